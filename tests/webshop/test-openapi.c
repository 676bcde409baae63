/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-openapi"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tdm-fake-webshop.h"

/* The fake webshop and docs/webshop-api.openapi.json must describe the same
 * API: the same routes, examples that fit the schemas, and real answers of
 * the fake that fit them too. The schema check is a small JSON-schema subset
 * ($ref, allOf, anyOf, type, enum, required, properties,
 * additionalProperties, items, minItems, minimum, maximum, maxLength,
 * pattern): enough for this document, and strict about what it knows. */

static JsonNode *openapi;

static JsonObject *
doc_root (void)
{
  return json_node_get_object (openapi);
}

static JsonNode *
resolve_pointer (const char *ref)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = openapi;

  g_assert_true (g_str_has_prefix (ref, "#/"));
  parts = g_strsplit (ref + 2, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      if (node == NULL)
        g_error ("Unresolvable $ref %s", ref);
    }
  return node;
}

static gboolean
type_matches (JsonNode   *value,
              const char *type)
{
  GType vt = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  if (g_str_equal (type, "null"))
    return JSON_NODE_HOLDS_NULL (value);
  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (value);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (value);
  if (g_str_equal (type, "string"))
    return vt == G_TYPE_STRING;
  if (g_str_equal (type, "boolean"))
    return vt == G_TYPE_BOOLEAN;
  if (g_str_equal (type, "integer"))
    return vt == G_TYPE_INT64;
  if (g_str_equal (type, "number"))
    return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
  g_error ("Unknown JSON-schema type %s", type);
  return FALSE;
}

static void validate (JsonNode *value, JsonNode *schema, const char *path, GString *errors);

static void
add_error (GString    *errors,
           const char *path,
           const char *what)
{
  g_string_append_printf (errors, "%s: %s\n", *path ? path : "(root)", what);
}

static void
validate_type (JsonNode   *value,
               JsonNode   *type,
               const char *path,
               GString    *errors)
{
  if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *types = json_node_get_array (type);

      for (guint i = 0; i < json_array_get_length (types); i++)
        if (type_matches (value, json_array_get_string_element (types, i)))
          return;
      add_error (errors, path, "has none of the allowed types");
      return;
    }
  if (!type_matches (value, json_node_get_string (type)))
    {
      g_autofree char *msg = g_strdup_printf ("is not of type %s", json_node_get_string (type));

      add_error (errors, path, msg);
    }
}

static void
validate_object (JsonNode   *value,
                 JsonObject *schema,
                 const char *path,
                 GString    *errors)
{
  JsonObject *object = json_node_get_object (value);
  JsonObject *properties = json_object_has_member (schema, "properties")
                           ? json_object_get_object_member (schema, "properties") : NULL;
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  g_autoptr(GList) members = json_object_get_members (object);

  if (json_object_has_member (schema, "required"))
    {
      JsonArray *required = json_object_get_array_member (schema, "required");

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          const char *name = json_array_get_string_element (required, i);

          if (!json_object_has_member (object, name))
            {
              g_autofree char *msg = g_strdup_printf ("lacks required member “%s”", name);

              add_error (errors, path, msg);
            }
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *child = g_strdup_printf ("%s.%s", path, (char *) l->data);
      JsonNode *member = json_object_get_member (object, l->data);

      if (properties != NULL && json_object_has_member (properties, l->data))
        validate (member, json_object_get_member (properties, l->data), child, errors);
      else if (additional != NULL && JSON_NODE_HOLDS_OBJECT (additional))
        validate (member, additional, child, errors);
      else if (additional != NULL && JSON_NODE_HOLDS_VALUE (additional)
               && !json_node_get_boolean (additional))
        add_error (errors, child, "is not allowed");
    }
}

static void
validate (JsonNode   *value,
          JsonNode   *schema_node,
          const char *path,
          GString    *errors)
{
  JsonObject *schema;
  JsonNode *node;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (schema_node));
  schema = json_node_get_object (schema_node);

  if (json_object_has_member (schema, "$ref"))
    validate (value, resolve_pointer (json_object_get_string_member (schema, "$ref")), path,
              errors);

  if ((node = json_object_get_member (schema, "allOf")) != NULL)
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      validate (value, json_array_get_element (json_node_get_array (node), i), path, errors);

  if ((node = json_object_get_member (schema, "anyOf")) != NULL)
    {
      gboolean any = FALSE;

      for (guint i = 0; !any && i < json_array_get_length (json_node_get_array (node)); i++)
        {
          g_autoptr(GString) sub = g_string_new (NULL);

          validate (value, json_array_get_element (json_node_get_array (node), i), path, sub);
          any = sub->len == 0;
        }
      if (!any)
        add_error (errors, path, "matches none of anyOf");
    }

  if ((node = json_object_get_member (schema, "type")) != NULL)
    validate_type (value, node, path, errors);

  if ((node = json_object_get_member (schema, "enum")) != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        found |= json_node_equal (value, json_array_get_element (json_node_get_array (node), i));
      if (!found)
        add_error (errors, path, "is not one of the enum values");
    }

  if (JSON_NODE_HOLDS_OBJECT (value))
    validate_object (value, schema, path, errors);

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      if (json_object_has_member (schema, "minItems")
          && json_array_get_length (array) < json_object_get_int_member (schema, "minItems"))
        add_error (errors, path, "has too few items");
      if ((node = json_object_get_member (schema, "items")) != NULL)
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

            validate (json_array_get_element (array, i), node, child, errors);
          }
    }

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (value);

      if (json_object_has_member (schema, "maxLength")
          && g_utf8_strlen (s, -1) > json_object_get_int_member (schema, "maxLength"))
        add_error (errors, path, "is too long");
      if (json_object_has_member (schema, "pattern"))
        {
          g_autoptr(GRegex) regex = g_regex_new (json_object_get_string_member (schema, "pattern"),
                                                 0, 0, NULL);

          g_assert_nonnull (regex);
          if (!g_regex_match (regex, s, 0, NULL))
            add_error (errors, path, "does not match the pattern");
        }
    }

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
    {
      gint64 n = json_node_get_int (value);

      if (json_object_has_member (schema, "minimum")
          && n < json_object_get_int_member (schema, "minimum"))
        add_error (errors, path, "is below the minimum");
      if (json_object_has_member (schema, "maximum")
          && n > json_object_get_int_member (schema, "maximum"))
        add_error (errors, path, "is above the maximum");
    }
}

static char *
validation_errors (JsonNode *value,
                   JsonNode *schema)
{
  g_autoptr(GString) errors = g_string_new (NULL);

  validate (value, schema, "", errors);
  return errors->len ? g_string_free (g_steal_pointer (&errors), FALSE) : NULL;
}

static JsonNode *
schema_ref (const char *name)
{
  g_autofree char *ref = g_strdup_printf ("#/components/schemas/%s", name);

  return resolve_pointer (ref);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* ---- Tests ---- */

static void
test_routes_agree (void)
{
  JsonObject *paths = json_object_get_object_member (doc_root (), "paths");
  g_autoptr(GList) names = json_object_get_members (paths);
  g_autoptr(GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char * const methods[] = { "get", "post", "put", "delete", "patch", NULL };
  const TdmFakeRoute *routes = tdm_fake_webshop_get_routes ();
  GHashTableIter iter;
  gpointer key;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);

      for (guint m = 0; methods[m] != NULL; m++)
        if (json_object_has_member (item, methods[m]))
          {
            g_autofree char *upper = g_ascii_strup (methods[m], -1);

            g_hash_table_add (documented, g_strdup_printf ("%s %s", upper, (char *) l->data));
          }
    }
  for (guint i = 0; routes[i].method != NULL; i++)
    g_hash_table_add (served, g_strdup_printf ("%s %s", routes[i].method, routes[i].path));

  g_assert_cmpuint (g_hash_table_size (served), ==, 18);
  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (documented, key))
      g_error ("The fake serves %s, which the OpenAPI file does not describe.", (char *) key);
  g_hash_table_iter_init (&iter, documented);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (served, key))
      g_error ("The OpenAPI file describes %s, which the fake does not serve.", (char *) key);
}

static void
test_validator_can_fail (void)
{
  g_autoptr(JsonNode) missing = parse ("{\"first_name\": \"Kari\"}");
  g_autoptr(JsonNode) wrong_type = parse ("{\"email\": \"a@b.no\", \"tags\": \"vip\"}");
  g_autoptr(JsonNode) bad_enum = parse ("{\"title\": \"Lue\", \"status\": \"sold\"}");
  g_autoptr(JsonNode) bad_money = parse ("{\"title\": \"Lue\", \"price\": 10.5}");
  g_autoptr(JsonNode) bad_page = parse ("{\"items\": [{\"id\": \"1\"}], \"next_cursor\": 3}");
  g_autoptr(JsonNode) bad_line = parse ("{\"currency\": \"NOK\", \"line_items\": "
                                        "[{\"quantity\": 0}]}");
  g_autoptr(JsonNode) empty_lines = parse ("{\"currency\": \"NOK\", \"line_items\": []}");
  g_autoptr(JsonNode) good = parse ("{\"email\": \"a@b.no\", \"addresses\": "
                                    "[{\"country_code\": \"NO\", \"zip\": null}]}");
  char *errors;

  g_assert_nonnull ((errors = validation_errors (missing, schema_ref ("CustomerInput"))));
  g_assert_nonnull (strstr (errors, "email"));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (wrong_type, schema_ref ("CustomerInput"))));
  g_assert_nonnull (strstr (errors, ".tags"));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (bad_enum, schema_ref ("ProductInput"))));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (bad_money, schema_ref ("ProductInput"))));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (bad_page, schema_ref ("CustomerPage"))));
  g_assert_nonnull (strstr (errors, "created_at"));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (bad_line, schema_ref ("OrderInput"))));
  g_free (errors);
  g_assert_nonnull ((errors = validation_errors (empty_lines, schema_ref ("OrderInput"))));
  g_free (errors);
  g_assert_null (validation_errors (good, schema_ref ("CustomerInput")));
}

static void
check_example (JsonNode   *example,
               JsonNode   *schema,
               const char *where)
{
  g_autofree char *errors = validation_errors (example, schema);

  if (errors != NULL)
    g_error ("The example of %s does not fit its schema:\n%s", where, errors);
}

static void
test_examples_validate (void)
{
  JsonObject *schemas = json_object_get_object_member (
      json_object_get_object_member (doc_root (), "components"), "schemas");
  JsonObject *paths = json_object_get_object_member (doc_root (), "paths");
  g_autoptr(GList) names = json_object_get_members (schemas);
  g_autoptr(GList) path_names = json_object_get_members (paths);
  guint checked = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *schema = json_object_get_object_member (schemas, l->data);
      JsonArray *examples;

      g_assert_true (json_object_has_member (schema, "examples"));
      examples = json_object_get_array_member (schema, "examples");
      g_assert_cmpuint (json_array_get_length (examples), >, 0);
      for (guint i = 0; i < json_array_get_length (examples); i++, checked++)
        check_example (json_array_get_element (examples, i),
                       json_object_get_member (schemas, l->data), l->data);
    }

  /* Examples inside request bodies and responses. */
  for (GList *p = path_names; p != NULL; p = p->next)
    {
      JsonObject *item = json_object_get_object_member (paths, p->data);
      g_autoptr(GList) ops = json_object_get_members (item);

      for (GList *o = ops; o != NULL; o = o->next)
        {
          JsonObject *op;
          JsonObject *body;

          if (g_str_equal (o->data, "parameters"))
            continue;
          op = json_object_get_object_member (item, o->data);
          if (!json_object_has_member (op, "requestBody"))
            continue;
          body = json_object_get_object_member (
              json_object_get_object_member (json_object_get_object_member (op, "requestBody"),
                                             "content"), "application/json");
          if (json_object_has_member (body, "example"))
            {
              check_example (json_object_get_member (body, "example"),
                             json_object_get_member (body, "schema"), p->data);
              checked++;
            }
        }
    }
  {
    JsonObject *responses = json_object_get_object_member (
        json_object_get_object_member (doc_root (), "components"), "responses");
    g_autoptr(GList) rnames = json_object_get_members (responses);

    for (GList *l = rnames; l != NULL; l = l->next)
      {
        JsonObject *media = json_object_get_object_member (
            json_object_get_object_member (json_object_get_object_member (responses, l->data),
                                           "content"), "application/json");

        if (json_object_has_member (media, "example"))
          {
            check_example (json_object_get_member (media, "example"),
                           json_object_get_member (media, "schema"), l->data);
            checked++;
          }
      }
  }
  g_assert_cmpuint (checked, ==, 26);
}

/* ---- The fake's real answers fit the documented schemas ---- */

typedef struct {
  TdmFakeWebshop *fake;
  SoupSession    *session;
  GMainLoop      *loop;
  guint           status;
  JsonNode       *body;
} Live;

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Live *live = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  gsize len = 0;
  const char *data;

  g_assert_no_error (error);
  live->status = soup_message_get_status (msg);
  g_clear_pointer (&live->body, json_node_unref);
  data = g_bytes_get_data (bytes, &len);
  if (len > 0)
    {
      g_autofree char *text = g_strndup (data, len);

      live->body = parse (text);
    }
  g_main_loop_quit (live->loop);
}

static void
request (Live       *live,
         const char *method,
         const char *path,
         JsonNode   *body,
         const char *idempotency_key,
         const char *if_match)
{
  g_autofree char *url = g_strdup_printf ("%s%s", tdm_fake_webshop_get_url (live->fake), path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  soup_session_send_and_read_async (live->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb,
                                    live);
  g_main_loop_run (live->loop);
}

/* The schema of an operation's answer, from the document. */
static JsonNode *
response_schema (const char *path,
                 const char *method,
                 guint       status)
{
  JsonObject *op = json_object_get_object_member (
      json_object_get_object_member (json_object_get_object_member (doc_root (), "paths"), path),
      method);
  g_autofree char *code = g_strdup_printf ("%u", status);
  JsonObject *responses = json_object_get_object_member (op, "responses");
  JsonNode *response;
  JsonObject *object;

  response = json_object_get_member (responses, code);
  if (response == NULL && status >= 500)
    response = json_object_get_member (responses, "5XX");
  if (response == NULL)
    g_error ("The OpenAPI file has no %u answer for %s %s.", status, method, path);
  object = json_node_get_object (response);
  if (json_object_has_member (object, "$ref"))
    object = json_node_get_object (resolve_pointer (json_object_get_string_member (object, "$ref")));
  if (!json_object_has_member (object, "content"))
    return NULL;
  return json_object_get_member (
      json_object_get_object_member (json_object_get_object_member (object, "content"),
                                     "application/json"), "schema");
}

static JsonNode *
request_example (const char *path,
                 const char *method)
{
  JsonObject *op = json_object_get_object_member (
      json_object_get_object_member (json_object_get_object_member (doc_root (), "paths"), path),
      method);

  return json_object_get_member (
      json_object_get_object_member (
          json_object_get_object_member (json_object_get_object_member (op, "requestBody"),
                                         "content"), "application/json"), "example");
}

static void
check_answer (Live       *live,
              const char *doc_path,
              const char *method,
              guint       expected_status)
{
  JsonNode *schema;
  g_autofree char *errors = NULL;

  g_assert_cmpuint (live->status, ==, expected_status);
  schema = response_schema (doc_path, method, live->status);
  if (schema == NULL)
    {
      g_assert_null (live->body);
      return;
    }
  g_assert_nonnull (live->body);
  errors = validation_errors (live->body, schema);
  if (errors != NULL)
    g_error ("The fake's answer to %s %s (HTTP %u) does not fit the OpenAPI schema:\n%s",
             method, doc_path, live->status, errors);
}

static void
test_fake_answers_fit (void)
{
  static const char * const resources[] = { "customers", "products", "orders" };
  Live live = { 0 };
  g_autoptr(GError) error = NULL;

  live.fake = tdm_fake_webshop_new ();
  g_assert_true (tdm_fake_webshop_start (live.fake, &error));
  live.session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  live.loop = g_main_loop_new (NULL, FALSE);

  for (guint r = 0; r < G_N_ELEMENTS (resources); r++)
    {
      g_autofree char *collection = g_strdup_printf ("/%s", resources[r]);
      g_autofree char *item_doc = g_strdup_printf ("/%s/{id}", resources[r]);
      g_autofree char *deleted = g_strdup_printf ("/%s/deleted", resources[r]);
      g_autofree char *key = g_strdup_printf ("key-%s", resources[r]);
      g_autofree char *item = NULL;
      g_autofree char *etag = NULL;
      g_autoptr(JsonNode) other = NULL;
      JsonNode *example = request_example (collection, "post");

      /* Create with the documented example, then replay it. */
      request (&live, "POST", collection, example, key, NULL);
      check_answer (&live, collection, "post", 201);
      item = g_strdup_printf ("/%s/%s", resources[r],
                              json_object_get_string_member (json_node_get_object (live.body), "id"));
      etag = g_strdup_printf ("\"%s\"",
                              json_object_get_string_member (json_node_get_object (live.body),
                                                             "etag"));
      request (&live, "POST", collection, example, key, NULL);
      check_answer (&live, collection, "post", 201);
      g_assert_cmpuint (tdm_fake_webshop_count (live.fake, r), ==, 1);

      /* The same key with another body. */
      other = json_node_copy (example);
      json_object_set_string_member (json_node_get_object (other), "note", "endret");
      request (&live, "POST", collection, other, key, NULL);
      check_answer (&live, collection, "post", 422);

      /* A second record with the same unique value under a fresh key. */
      if (r != TDM_KIND_ORDER)
        {
          request (&live, "POST", collection, example, "fresh-key", NULL);
          check_answer (&live, collection, "post", 409);
          g_assert_true (json_object_has_member (
              json_object_get_object_member (json_node_get_object (live.body), "error"),
              "existing_id"));
        }

      request (&live, "GET", collection, NULL, NULL, NULL);
      check_answer (&live, collection, "get", 200);
      request (&live, "GET", "/customers?limit=0", NULL, NULL, NULL);
      check_answer (&live, "/customers", "get", 400);
      request (&live, "GET", item, NULL, NULL, NULL);
      check_answer (&live, item_doc, "get", 200);
      request (&live, "PUT", item, request_example (item_doc, "put"), NULL, "\"stale\"");
      check_answer (&live, item_doc, "put", 412);
      request (&live, "PUT", item, request_example (item_doc, "put"), NULL, etag);
      check_answer (&live, item_doc, "put", 200);
      request (&live, "DELETE", item, NULL, NULL, NULL);
      check_answer (&live, item_doc, "delete", 204);
      request (&live, "GET", item, NULL, NULL, NULL);
      check_answer (&live, item_doc, "get", 404);
      request (&live, "GET", deleted, NULL, NULL, NULL);
      check_answer (&live, deleted, "get", 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          json_node_get_object (live.body), "items")), ==, 1);
    }

  /* Credentials and rate limit answers. */
  tdm_fake_webshop_set_auth (live.fake, TDM_WEBSHOP_AUTH_BEARER, "t0ken-value");
  request (&live, "GET", "/orders", NULL, NULL, NULL);
  check_answer (&live, "/orders", "get", 401);
  tdm_fake_webshop_set_auth (live.fake, TDM_WEBSHOP_AUTH_PROFILE, NULL);
  tdm_fake_webshop_inject_fault (live.fake, 0, TDM_FAKE_FAULT_429, 2, 1);
  request (&live, "GET", "/orders", NULL, NULL, NULL);
  check_answer (&live, "/orders", "get", 429);
  tdm_fake_webshop_inject_fault (live.fake, 0, TDM_FAKE_FAULT_503, 0, 1);
  request (&live, "GET", "/orders", NULL, NULL, NULL);
  check_answer (&live, "/orders", "get", 503);

  g_clear_pointer (&live.body, json_node_unref);
  g_main_loop_unref (live.loop);
  g_object_unref (live.session);
  g_object_unref (live.fake);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  path = g_test_build_filename (G_TEST_DIST, "..", "docs", "webshop-api.openapi.json", NULL);
  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  openapi = parse (contents);
  g_assert_cmpstr (json_object_get_string_member (doc_root (), "openapi"), ==, "3.1.0");

  g_test_add_func ("/webshop/openapi/routes-agree", test_routes_agree);
  g_test_add_func ("/webshop/openapi/validator-can-fail", test_validator_can_fail);
  g_test_add_func ("/webshop/openapi/examples-validate", test_examples_validate);
  g_test_add_func ("/webshop/openapi/fake-answers-fit", test_fake_answers_fit);

  ret = g_test_run ();
  json_node_unref (openapi);
  return ret;
}
