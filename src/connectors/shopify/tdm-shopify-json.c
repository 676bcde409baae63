/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify-json"

#include "config.h"

#include "tdm-shopify-json-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-http.h"
#include "tdm-json-text.h"

/* Reading Shopify's answers, pure (no I/O): the JSON readers the Shopify
 * files share, extensions.cost, API-version dates, top-level errors,
 * search syntax, userErrors and the bulk JSONL joiner (docs/shopify.md).
 * The write shapes are in tdm-shopify-json-write.c, the bucket arithmetic
 * in tdm-shopify-pacing.c. */

/* ---- JSON readers ---- */

JsonObject *
_tdm_shopify_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
_tdm_shopify_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

const char *
_tdm_shopify_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_double (JsonObject *object,
            const char *member,
            double     *out)
{
  JsonNode *node;

  g_assert (out != NULL);

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    default:
      return FALSE;
    }
}

JsonObject *
_tdm_shopify_element (JsonArray *array,
                      guint      i)
{
  JsonNode *node;

  if (array == NULL || i >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, i);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- extensions.cost ---- */

gboolean
tdm_shopify_parse_cost (JsonObject     *root,
                        TdmShopifyCost *out)
{
  JsonObject *cost;
  JsonObject *throttle;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->actual = -1;
  cost = _tdm_shopify_object (_tdm_shopify_object (root, "extensions"), "cost");
  if (cost == NULL)
    return FALSE;

  out->has_cost = TRUE;
  get_double (cost, "requestedQueryCost", &out->requested);
  if (!get_double (cost, "actualQueryCost", &out->actual))
    out->actual = -1;

  throttle = _tdm_shopify_object (cost, "throttleStatus");
  if (throttle != NULL
      && get_double (throttle, "maximumAvailable", &out->maximum)
      && get_double (throttle, "currentlyAvailable", &out->available)
      && get_double (throttle, "restoreRate", &out->restore_rate))
    out->has_throttle = TRUE;

  return TRUE;
}

/* ---- API versions ---- */

gboolean
tdm_shopify_api_version_days_left (const char *version,
                                   GDateTime  *now,
                                   gint64     *out_days)
{
  g_autoptr(GDateTime) end = NULL;
  int year, month;

  if (version == NULL || strlen (version) != 7 || version[4] != '-'
      || !g_ascii_isdigit (version[0]) || !g_ascii_isdigit (version[5])
      || !g_ascii_isdigit (version[6]))
    return FALSE;
  year = atoi (version);
  month = atoi (version + 5);
  if (year < 2019 || (month != 1 && month != 4 && month != 7 && month != 10))
    return FALSE;
  end = g_date_time_new_utc (year + 1, month, 1, 17, 0, 0);
  if (end == NULL)
    return FALSE;
  *out_days = g_date_time_difference (end, now) / G_TIME_SPAN_DAY;
  return TRUE;
}

/* ---- Top-level errors ---- */

char *
tdm_shopify_find_scope (const char *text)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) info = NULL;

  if (text == NULL)
    return NULL;
  regex = g_regex_new ("\\b((?:read|write)_[a-z_]+)\\b", 0, 0, NULL);
  if (g_regex_match (regex, text, 0, &info))
    return g_match_info_fetch (info, 1);
  return NULL;
}

TdmShopifyErrorsKind
tdm_shopify_check_errors (JsonObject  *root,
                          GError     **error)
{
  JsonArray *errors = _tdm_shopify_array (root, "errors");
  JsonObject *first;
  const char *message;
  const char *code;

  if (errors == NULL || json_array_get_length (errors) == 0)
    {
      /* Some Shopify failures are a plain {"errors": "…"} string. */
      if (_tdm_shopify_string (root, "errors") != NULL)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Shopify refused the request: %s"), _tdm_shopify_string (root, "errors"));
          return TDM_SHOPIFY_ERRORS_OTHER;
        }
      return TDM_SHOPIFY_ERRORS_NONE;
    }

  first = _tdm_shopify_element (errors, 0);
  message = _tdm_shopify_string (first, "message");
  code = _tdm_shopify_string (_tdm_shopify_object (first, "extensions"), "code");
  if (message == NULL)
    message = _("no details given");

  if (g_strcmp0 (code, "THROTTLED") == 0 || g_ascii_strcasecmp (message, "Throttled") == 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED,
                   _("Shopify kept asking Tandem to slow down. The sync will continue on its "
                     "next run."));
      return TDM_SHOPIFY_ERRORS_THROTTLED;
    }
  if (g_strcmp0 (code, "ACCESS_DENIED") == 0)
    {
      g_autofree char *scope = NULL;
      JsonObject *ext = _tdm_shopify_object (first, "extensions");

      scope = g_strdup (_tdm_shopify_string (ext, "requiredAccess"));
      if (scope == NULL)
        scope = tdm_shopify_find_scope (message);
      if (scope != NULL)
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                     _("The Shopify app is missing the access scope “%s”. Add it to the app "
                       "in the Shopify Dev Dashboard, release a new version and install it again."),
                     scope);
      else
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                     _("Shopify denied access (%s). Check the access scopes of the app "
                       "in the Shopify Dev Dashboard."), message);
      return TDM_SHOPIFY_ERRORS_ACCESS_DENIED;
    }
  if (g_strcmp0 (code, "INTERNAL_SERVER_ERROR") == 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                   _("Shopify had an internal error (%s). Try again later."), message);
      return TDM_SHOPIFY_ERRORS_INTERNAL;
    }

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("Shopify refused the request: %s"), message);
  return TDM_SHOPIFY_ERRORS_OTHER;
}

/* ---- Search syntax ---- */

char *
tdm_shopify_changed_query (TdmKind     kind,
                           const char *since)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;

  if (since == NULL || *since == '\0')
    return NULL;
  dt = g_date_time_new_from_iso8601 (since, NULL);
  if (dt == NULL)
    return NULL;
  utc = g_date_time_to_utc (dt);

  if (kind == TDM_KIND_CUSTOMER)
    {
      stamp = g_date_time_format (utc, "%Y-%m-%dT00:00:00Z");
      return g_strdup_printf ("updated_at:>='%s'", stamp);
    }
  stamp = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  return g_strdup_printf ("updated_at:>'%s'", stamp);
}

char *
tdm_shopify_sku_query (const char *sku)
{
  GString *out = g_string_new ("sku:\"");

  for (const char *p = sku; p != NULL && *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---- userErrors ---- */

char *
tdm_shopify_field_path (JsonArray *field)
{
  GString *out = g_string_new (NULL);
  guint n = field ? json_array_get_length (field) : 0;
  guint start = 0;

  if (n > 1)
    {
      JsonNode *first = json_array_get_element (field, 0);
      const char *head = JSON_NODE_HOLDS_VALUE (first)
                         && json_node_get_value_type (first) == G_TYPE_STRING
                         ? json_node_get_string (first) : NULL;
      if (g_strcmp0 (head, "input") == 0 || g_strcmp0 (head, "order") == 0
          || g_strcmp0 (head, "identifier") == 0 || g_strcmp0 (head, "metafields") == 0
          || g_strcmp0 (head, "definition") == 0)
        start = 1;
    }
  for (guint i = start; i < n; i++)
    {
      JsonNode *node = json_array_get_element (field, i);
      g_autofree char *part = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        part = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        part = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        continue;
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, part);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* The sentence for a record Shopify refused: `field` names the field (its
 * label in the owner's words where the caller has one), nullable. */
static char *
user_error_text (TdmKind     kind,
                 const char *record_label,
                 const char *message,
                 const char *field)
{
  g_assert (message != NULL);

  if (field != NULL)
    /* Translators: 1: the record (e.g. "customer kari@example.no"),
     * 2: Shopify's message, 3: the field name. */
    return g_strdup_printf (_("Shopify rejected %s: %s (field “%s”). Correct the value in the "
                              "webshop; the record is sent again after it changes."),
                            record_label ? record_label : tdm_kind_display_name (kind),
                            message, field);
  return g_strdup_printf (_("Shopify rejected %s: %s. Correct the record in the webshop; "
                            "it is sent again after it changes."),
                          record_label ? record_label : tdm_kind_display_name (kind),
                          message);
}

/* Shopify's message of the first userError, or NULL when there is none. */
static const char *
user_error_message (JsonArray *user_errors)
{
  const char *message;

  if (user_errors == NULL || json_array_get_length (user_errors) == 0)
    return NULL;
  message = _tdm_shopify_string (_tdm_shopify_element (user_errors, 0), "message");
  return message != NULL ? message : _("no reason given");
}

char *
tdm_shopify_user_error_path (JsonArray *user_errors)
{
  if (user_errors == NULL || json_array_get_length (user_errors) == 0)
    return NULL;
  return tdm_shopify_field_path (_tdm_shopify_array (_tdm_shopify_element (user_errors, 0),
                                                     "field"));
}

gboolean
tdm_shopify_user_errors (JsonArray       *user_errors,
                         TdmKind          kind,
                         const char      *record_label,
                         const char      *record_id,
                         const char      *field,
                         const char      *field_words,
                         TdmRecordError **out_record_error,
                         GError         **error)
{
  JsonObject *first;
  g_autofree char *path = NULL;
  const char *code;
  gboolean duplicate;
  g_autofree char *text = NULL;

  if (user_errors == NULL || json_array_get_length (user_errors) == 0)
    return FALSE;

  first = _tdm_shopify_element (user_errors, 0);
  code = _tdm_shopify_string (first, "code");
  duplicate = g_strcmp0 (code, "TAKEN") == 0
              || g_strcmp0 (code, "DUPLICATED_METAFIELD_VALUE") == 0
              || g_strcmp0 (code, "HANDLE_NOT_UNIQUE") == 0;

  /* The field as the caller names it, else Shopify's path. */
  if (field == NULL)
    field = path = tdm_shopify_user_error_path (user_errors);
  text = user_error_text (kind, record_label, user_error_message (user_errors),
                          field_words != NULL ? field_words : field);

  if (out_record_error != NULL)
    *out_record_error = tdm_record_error_new (TDM_SIDE_SHOPIFY, kind, record_id, field, text);
  g_set_error_literal (error, TDM_SYNC_ERROR,
                       duplicate ? TDM_SYNC_ERROR_DUPLICATE : TDM_SYNC_ERROR_VALIDATION,
                       text);
  return TRUE;
}

/* ---- Read helpers ---- */

const char *
tdm_shopify_node_twin_id (JsonObject *node)
{
  return _tdm_shopify_string (_tdm_shopify_object (node, "webshopId"), "value");
}

const char *
tdm_shopify_node_string (JsonObject *node,
                         const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *cur = node;
  guint n = g_strv_length (parts);

  for (guint i = 0; cur != NULL && i + 1 < n; i++)
    cur = _tdm_shopify_object (cur, parts[i]);
  return n > 0 ? _tdm_shopify_string (cur, parts[n - 1]) : NULL;
}

/* ---- Bulk JSONL ---- */

struct _TdmShopifyBulkJoiner {
  TdmKind     kind;
  JsonParser *parser;
  JsonObject *current;   /* root node being assembled */
};

TdmShopifyBulkJoiner *
tdm_shopify_bulk_joiner_new (TdmKind kind)
{
  TdmShopifyBulkJoiner *joiner = g_new0 (TdmShopifyBulkJoiner, 1);

  joiner->kind = kind;
  joiner->parser = json_parser_new ();
  return joiner;
}

void
tdm_shopify_bulk_joiner_free (TdmShopifyBulkJoiner *joiner)
{
  if (joiner == NULL)
    return;
  g_clear_object (&joiner->parser);
  g_clear_pointer (&joiner->current, json_object_unref);
  g_free (joiner);
}

static const char *
connection_for_typename (const char *type_name)
{
  if (g_strcmp0 (type_name, "MailingAddress") == 0)
    return "addressesV2";
  if (g_strcmp0 (type_name, "ProductVariant") == 0)
    return "variants";
  if (g_strcmp0 (type_name, "LineItem") == 0)
    return "lineItems";
  if (g_strcmp0 (type_name, "ShippingLine") == 0)
    return "shippingLines";
  /* the kinds of an order's DiscountApplication */
  if (g_strcmp0 (type_name, "DiscountCodeApplication") == 0 ||
      g_strcmp0 (type_name, "AutomaticDiscountApplication") == 0 ||
      g_strcmp0 (type_name, "ManualDiscountApplication") == 0 ||
      g_strcmp0 (type_name, "ScriptDiscountApplication") == 0)
    return "discountApplications";
  return NULL;
}

static void
ensure_connections (TdmKind     kind,
                    JsonObject *node)
{
  static const char * const customer[] = { "addressesV2", NULL };
  static const char * const product[] = { "variants", NULL };
  static const char * const order[] = {
    "lineItems", "shippingLines", "discountApplications", NULL
  };
  const char * const *list = kind == TDM_KIND_CUSTOMER ? customer
                             : kind == TDM_KIND_PRODUCT ? product : order;

  g_assert (node != NULL);

  for (guint i = 0; list[i] != NULL; i++)
    if (!json_object_has_member (node, list[i]))
      {
        JsonObject *conn = json_object_new ();
        json_object_set_array_member (conn, "nodes", json_array_new ());
        json_object_set_object_member (node, list[i], conn);
      }
}

/* The object of one line of the export, NULL with `error` when the line
 * is not one JSON object. NULs and broken text in strings become marks
 * that refuse only their record (tdm-json-text.h), never the whole
 * export. */
static JsonObject *
parse_bulk_line (TdmShopifyBulkJoiner  *joiner,
                 const char            *line,
                 GError               **error)
{
  g_autofree char *marked = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  g_assert (joiner != NULL);
  g_assert (line != NULL);

  marked = tdm_json_text_mark_data (line, strlen (line), NULL);
  if (marked != NULL)
    line = marked;
  /* json-glib recurses: a hostile line must not exhaust the stack. */
  if (!tdm_http_check_json_depth (line, strlen (line), TDM_HTTP_MAX_JSON_DEPTH, NULL, error))
    return NULL;
  if (!tdm_json_is_single_value (line, -1))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("Shopify's bulk export contained a line with more than one JSON "
                             "value."));
      return NULL;
    }
  if (!json_parser_load_from_data (joiner->parser, line, -1, &parse_error))
    {
      /* json-glib may cut a quoted "ø" in half: keep the message valid UTF-8. */
      g_autofree char *detail = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify's bulk export contained a line that is not valid JSON (%s)."),
                   detail);
      return NULL;
    }
  root = json_parser_get_root (joiner->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify's bulk export contained a line that is not a JSON object."));
      return NULL;
    }
  return json_node_get_object (root);
}

/* Appends a child line (with "__parentId") to its parent's connection;
 * FALSE with `error` when it does not follow its parent or does not fit. */
static gboolean
add_bulk_child (TdmShopifyBulkJoiner  *joiner,
                JsonObject            *object,
                const char            *parent,
                GError               **error)
{
  const char *conn_name = connection_for_typename (_tdm_shopify_string (object, "__typename"));
  JsonObject *child;
  JsonObject *conn;

  g_assert (parent != NULL);

  if (joiner->current == NULL || conn_name == NULL
      || g_strcmp0 (parent, _tdm_shopify_string (joiner->current, "id")) != 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify's bulk export listed a part of a record (%s) away from its "
                     "record."), parent);
      return FALSE;
    }
  conn = _tdm_shopify_object (joiner->current, conn_name);
  if (conn == NULL || !json_object_has_member (conn, "nodes") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (conn, "nodes")))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify's bulk export listed a part of a record (%s) that the record "
                     "cannot hold."), parent);
      return FALSE;
    }
  child = tdm_json_object_copy (object);
  json_object_remove_member (child, "__parentId");
  json_object_remove_member (child, "__typename");
  json_array_add_object_element (json_object_get_array_member (conn, "nodes"), child);
  return TRUE;
}

JsonObject *
tdm_shopify_bulk_joiner_push (TdmShopifyBulkJoiner *joiner,
                              const char           *line,
                              GError              **error)
{
  JsonObject *object;
  JsonObject *done;
  const char *parent;

  if (line == NULL || *line == '\0')
    return NULL;
  object = parse_bulk_line (joiner, line, error);
  if (object == NULL)
    return NULL;
  parent = _tdm_shopify_string (object, "__parentId");
  if (parent != NULL)
    {
      add_bulk_child (joiner, object, parent, error);
      return NULL;
    }
  done = g_steal_pointer (&joiner->current);
  joiner->current = tdm_json_object_copy (object);
  ensure_connections (joiner->kind, joiner->current);
  return done;
}

JsonObject *
tdm_shopify_bulk_joiner_finish (TdmShopifyBulkJoiner *joiner)
{
  return g_steal_pointer (&joiner->current);
}
