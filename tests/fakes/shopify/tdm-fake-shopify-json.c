/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

/* JSON helpers of the fake, and the pieces every answer is built from:
 * connections, userErrors and top-level errors (docs/shopify.md). */

JsonObject *
_tdm_fake_shopify_copy_obj (JsonObject *o)
{
  /* json_node_copy () shares objects and arrays: copy deeply. */
  return tdm_json_object_copy (o);
}

void
_tdm_fake_shopify_set_str_or_null (JsonObject *o,
                                   const char *m,
                                   const char *value)
{
  g_assert (o != NULL);

  if (value != NULL)
    json_object_set_string_member (o, m, value);
  else
    json_object_set_null_member (o, m);
}

void
_tdm_fake_shopify_set_member_copy (JsonObject *dst,
                                   const char *m,
                                   JsonObject *src,
                                   const char *from)
{
  g_assert (dst != NULL);

  if (src != NULL && json_object_has_member (src, from))
    json_object_set_member (dst, m, tdm_json_node_copy_deep (json_object_get_member (src, from)));
}

char *
_tdm_fake_shopify_to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

char *
_tdm_fake_shopify_obj_to_json (JsonObject *o)
{
  g_autoptr(JsonNode) n = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (n, o);
  return _tdm_fake_shopify_to_json (n);
}

/* The fake's clock: real time plus an offset, the same for every fake
 * Shopify of the process, so tests can pretend time passed (see
 * tdm_fake_shopify_set_clock_offset()). */
static gint64 clock_offset_s;

void
_tdm_fake_shopify_set_clock_offset (gint64 seconds)
{
  clock_offset_s = seconds;
}

GDateTime *
_tdm_fake_shopify_now (void)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

  return g_date_time_add_seconds (real, (gdouble) clock_offset_s);
}

char *
_tdm_fake_shopify_now_stamp (void)
{
  g_autoptr(GDateTime) now = _tdm_fake_shopify_now ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

JsonObject *
_tdm_fake_shopify_connection (JsonArray *nodes)
{
  JsonObject *conn = json_object_new ();

  json_object_set_array_member (conn, "nodes", nodes ? nodes : json_array_new ());
  return conn;
}

/* ---- Errors ---- */

static JsonObject *
user_error_valist (const char *message,
                   const char *code,
                   va_list     ap)
{
  JsonObject *e = json_object_new ();
  JsonArray *field = json_array_new ();
  const char *part;

  g_assert (message != NULL);

  while ((part = va_arg (ap, const char *)) != NULL)
    json_array_add_string_element (field, part);
  json_object_set_array_member (e, "field", field);
  json_object_set_string_member (e, "message", message);
  if (code != NULL)
    json_object_set_string_member (e, "code", code);
  return e;
}

JsonObject *
_tdm_fake_shopify_user_error (const char *message,
                              const char *code,
                              ...)
{
  JsonObject *e;
  va_list ap;

  va_start (ap, code);
  e = user_error_valist (message, code, ap);
  va_end (ap);
  return e;
}

void
_tdm_fake_shopify_add_user_error (JsonArray  *errors,
                                  const char *message,
                                  const char *code,
                                  ...)
{
  va_list ap;

  g_assert (errors != NULL);

  va_start (ap, code);
  json_array_add_object_element (errors, user_error_valist (message, code, ap));
  va_end (ap);
}

void
_tdm_fake_shopify_set_payload (FakeCall   *call,
                               const char *payload_member,
                               const char *node_member,
                               JsonObject *node,
                               JsonArray  *errors)
{
  JsonObject *p = json_object_new ();

  g_assert (call != NULL && call->data != NULL);
  g_assert (errors != NULL);

  if (node != NULL && json_array_get_length (errors) == 0)
    json_object_set_object_member (p, node_member, _tdm_fake_shopify_copy_obj (node));
  else
    json_object_set_null_member (p, node_member);
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, payload_member, p);
}

void
_tdm_fake_shopify_fail_call (FakeCall   *call,
                             const char *message,
                             const char *code)
{
  JsonObject *e = json_object_new ();
  JsonObject *ext = json_object_new ();

  g_assert (call != NULL);
  g_assert (call->errors == NULL);

  json_object_set_string_member (e, "message", message);
  json_object_set_string_member (ext, "code", code);
  json_object_set_object_member (e, "extensions", ext);
  call->errors = json_array_new ();
  json_array_add_object_element (call->errors, e);
}
