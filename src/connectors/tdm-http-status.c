/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

/* An answer's HTTP status as a GError in the shop owner's words, with the
 * server's own message when its body is an error object
 * (docs/webshop-api.md, Errors). */

/* ---- The error body ---- */

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  g_assert (object != NULL);
  g_assert (name != NULL);

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* The "error" member of a small JSON object body, or NULL. */
static JsonNode *
parse_error_member (GBytes     *body,
                    JsonParser *parser)
{
  gsize len = 0;
  const char *data;
  JsonNode *root;

  g_assert (JSON_IS_PARSER (parser));

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 || len > 64 * 1024)
    return NULL;
  if (!tdm_http_check_json_depth (data, len, TDM_HTTP_MAX_JSON_DEPTH, NULL, NULL))
    return NULL;
  if (!json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_get_member (json_node_get_object (root), "error");
}

gboolean
tdm_http_parse_error_body (GBytes  *body,
                           char   **out_code,
                           char   **out_message,
                           char   **out_field,
                           char   **out_existing_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *member;
  JsonObject *error_object;

  if (out_code) *out_code = NULL;
  if (out_message) *out_message = NULL;
  if (out_field) *out_field = NULL;
  if (out_existing_id) *out_existing_id = NULL;

  member = parse_error_member (body, parser);
  if (member == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    {
      /* {"error": "message"} is common enough to accept. */
      if (out_message)
        *out_message = g_strdup (json_node_get_string (member));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (member))
    return FALSE;

  error_object = json_node_get_object (member);
  if (out_code) *out_code = dup_member_string (error_object, "code");
  if (out_message) *out_message = dup_member_string (error_object, "message");
  if (out_field) *out_field = dup_member_string (error_object, "field");
  if (out_existing_id) *out_existing_id = dup_member_string (error_object, "existing_id");
  return TRUE;
}

/* ---- Status → error ---- */

static TdmSyncError
status_to_code (guint status)
{
  switch (status)
    {
    case 401:
    case 403:
      return TDM_SYNC_ERROR_AUTH;
    case 402:
    case 423:
      return TDM_SYNC_ERROR_PAYMENT_REQUIRED;
    case 404:
      return TDM_SYNC_ERROR_NOT_FOUND;
    case 409:
      return TDM_SYNC_ERROR_DUPLICATE;
    case 412:
      return TDM_SYNC_ERROR_CONFLICT;
    case 400:
    case 422:
      return TDM_SYNC_ERROR_VALIDATION;
    case 429:
    case 430:
      return TDM_SYNC_ERROR_RATE_LIMITED;
    default:
      if (status >= 500)
        return TDM_SYNC_ERROR_SERVER;
      if (status < 100)
        return TDM_SYNC_ERROR_FAILED;
      return TDM_SYNC_ERROR_INVALID_RESPONSE;
    }
}

/* What went wrong and what happens next, for an error `code` of `status`
 * from `what` (the field the server named is nullable). */
static char *
status_sentence (TdmSyncError  code,
                 guint         status,
                 const char   *what,
                 const char   *field)
{
  g_assert (what != NULL);

  switch (code)
    {
    case TDM_SYNC_ERROR_AUTH:
      return g_strdup_printf (_("The credentials were refused by %s (HTTP %u). Check the "
                                "token or password in Preferences; nothing was retried."),
                              what, status);
    case TDM_SYNC_ERROR_PAYMENT_REQUIRED:
      return g_strdup_printf (_("The shop at %s is frozen or locked (HTTP %u). Sync is "
                                "paused until the shop is available again."), what, status);
    case TDM_SYNC_ERROR_NOT_FOUND:
      return g_strdup_printf (_("The record or address was not found at %s (HTTP 404)."),
                              what);
    case TDM_SYNC_ERROR_DUPLICATE:
      return g_strdup_printf (_("A matching record already exists at %s (HTTP 409)."), what);
    case TDM_SYNC_ERROR_CONFLICT:
      return g_strdup_printf (_("The record was changed at %s while Tandem was updating it "
                                "(HTTP 412). It will be read again and synced on the next "
                                "pass."), what);
    case TDM_SYNC_ERROR_VALIDATION:
      if (field != NULL)
        return g_strdup_printf (_("The record was rejected by %s because of the field "
                                  "“%s” (HTTP %u). Correct the value and it will be synced "
                                  "again."), what, field, status);
      return g_strdup_printf (_("The record was rejected by %s (HTTP %u). Correct it and "
                                "it will be synced again."), what, status);
    case TDM_SYNC_ERROR_RATE_LIMITED:
      return g_strdup_printf (_("Too many requests were sent to %s (HTTP %u). Tandem will "
                                "wait and try again later."), what, status);
    case TDM_SYNC_ERROR_SERVER:
      return g_strdup_printf (_("There was an internal problem at %s (HTTP %u). Tandem "
                                "will try again on the next pass."), what, status);
    case TDM_SYNC_ERROR_FAILED:
      return g_strdup_printf (_("No answer was received from %s."), what);
    default:
      return g_strdup_printf (_("An unexpected answer came from %s (HTTP %u)."), what, status);
    }
}

static char *
with_server_message (const char *sentence,
                     const char *server_message)
{
  g_assert (sentence != NULL);

  if (server_message == NULL || *server_message == '\0')
    return g_strdup (sentence);
  /* TRANSLATORS: first %s is a full sentence, second the server's own words */
  return g_strdup_printf (_("%s The server said: “%s”"), sentence, server_message);
}

gboolean
tdm_http_check_status (SoupMessage *msg,
                       GBytes      *body,
                       const char  *what,
                       GError     **error)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  return tdm_http_status_to_error (soup_message_get_status (msg), body, what, error);
}

gboolean
tdm_http_status_to_error (guint        status,
                          GBytes      *body,
                          const char  *what,
                          GError     **error)
{
  g_autofree char *server_message = NULL;
  g_autofree char *field = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *full = NULL;
  TdmSyncError code;

  if (status >= 200 && status < 300)
    return TRUE;

  if (what == NULL)
    what = _("the server");

  tdm_http_parse_error_body (body, NULL, &server_message, &field, NULL);
  code = status_to_code (status);
  sentence = status_sentence (code, status, what, field);
  full = with_server_message (sentence, server_message);
  g_set_error_literal (error, TDM_SYNC_ERROR, code, full);
  return FALSE;
}
