/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-e2e"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-test-tree.h"
#include "tdm-test-wait.h"
#include "tdm-shopify-connector.h"
#include "tdm-webshop-connector.h"

static void
on_record_error_cb (TdmSyncEngine  *engine,
                    TdmRecordError *err,
                    E2E            *e2e)
{
  TdmRecordError *copy = tdm_record_error_new (err->side, err->kind, err->record_id,
                                               err->field, err->message);

  copy->existing_id = g_strdup (err->existing_id);
  g_ptr_array_add (e2e->record_errors, copy);
}

static void
on_warning_cb (TdmSyncEngine *engine,
               const char    *message,
               E2E           *e2e)
{
  g_ptr_array_add (e2e->warnings, g_strdup (message));
}

static TdmConnector *
new_webshop_connector (E2E   *e2e,
                       guint  page_size)
{
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_default ();
  g_autoptr(GError) error = NULL;
  TdmConnector *connector;

  /* The shipped profile caps the webshop at 10 requests per second; these
   * tests and the engine benchmark measure Tandem, not that cap (the
   * webshop suite tests the cap itself). */
  profile->requests_per_second = 0;
  for (guint k = 0; page_size > 0 && k < TDM_N_KINDS; k++)
    profile->resources[k].page_size = page_size;
  connector = TDM_CONNECTOR (tdm_webshop_connector_new (tdm_fake_webshop_get_url (e2e->web),
                                                        profile, TDM_WEBSHOP_AUTH_BEARER,
                                                        NULL, E2E_WEBSHOP_TOKEN,
                                                        e2e->mapping, &error));
  g_assert_no_error (error);
  return connector;
}

void
e2e_set_webshop_page_size (E2E   *e2e,
                           guint  page_size)
{
  g_clear_object (&e2e->webshop);
  e2e->webshop = new_webshop_connector (e2e, page_size);
  tdm_sync_engine_set_connectors (e2e->engine, e2e->webshop, e2e->shopify);
}

E2E *
e2e_new (void)
{
  E2E *e2e = g_new0 (E2E, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  e2e->warnings = g_ptr_array_new_with_free_func (g_free);
  e2e->record_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  e2e->dir = g_dir_make_tmp ("tandem-e2e-XXXXXX", &error);
  g_assert_no_error (error);

  e2e->web = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (e2e->web, TDM_WEBSHOP_AUTH_BEARER, E2E_WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (e2e->web, &error));
  g_assert_no_error (error);

  e2e->shop = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (e2e->shop, E2E_SHOPIFY_ID, E2E_SHOPIFY_SECRET, NULL);
  g_assert_true (tdm_fake_shopify_start (e2e->shop, &error));
  g_assert_no_error (error);

  path = g_build_filename (e2e->dir, "state.sqlite3", NULL);
  e2e->store = tdm_store_new (path, &error);
  g_assert_no_error (error);
  e2e->mapping = tdm_mapping_new_default ();

  e2e->webshop = new_webshop_connector (e2e, 0);
  e2e->shopify = TDM_CONNECTOR (tdm_shopify_connector_new (tdm_fake_shopify_get_url (e2e->shop),
                                                           NULL,
                                                           TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS,
                                                           E2E_SHOPIFY_ID, NULL, NULL,
                                                           e2e->mapping, &error));
  g_assert_no_error (error);
  tdm_shopify_connector_set_secret (TDM_SHOPIFY_CONNECTOR (e2e->shopify), E2E_SHOPIFY_SECRET);

  e2e->engine = tdm_sync_engine_new (TDM_RECORD_STORE (e2e->store), e2e->webshop, e2e->shopify,
                                     e2e->mapping);
  g_signal_connect (e2e->engine, "record-error", G_CALLBACK (on_record_error_cb), e2e);
  g_signal_connect (e2e->engine, "warning", G_CALLBACK (on_warning_cb), e2e);
  return e2e;
}

void
e2e_free (E2E *e2e)
{
  g_signal_handlers_disconnect_by_data (e2e->engine, e2e);
  g_clear_object (&e2e->engine);
  g_clear_object (&e2e->webshop);
  g_clear_object (&e2e->shopify);
  g_clear_object (&e2e->store);
  g_clear_object (&e2e->mapping);
  g_clear_object (&e2e->web);
  g_clear_object (&e2e->shop);
  g_ptr_array_unref (e2e->record_errors);
  g_ptr_array_unref (e2e->warnings);
  tdm_test_remove_tree (e2e->dir);
  g_free (e2e->dir);
  g_free (e2e);
}

static guint run_timeout_seconds = 120;

void
e2e_set_run_timeout (guint seconds)
{
  run_timeout_seconds = seconds;
}

gboolean
e2e_run (E2E                     *e2e,
         const TdmSyncRunOptions *options,
         TdmSyncCounts           *counts,
         GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  TdmSyncCounts run_counts = { 0 };
  gboolean ok;

  g_ptr_array_set_size (e2e->record_errors, 0);
  g_ptr_array_set_size (e2e->warnings, 0);
  tdm_sync_engine_run_async (e2e->engine, options, NULL, tdm_test_keep_result_cb, &result);
  ok = tdm_sync_engine_run_finish (e2e->engine, tdm_test_wait_result (&result, run_timeout_seconds),
                                   &run_counts, error);
  if (counts != NULL)
    *counts = run_counts;
  return ok;
}

void
e2e_run_ok (E2E                     *e2e,
            const TdmSyncRunOptions *options,
            TdmSyncCounts           *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (e2e);
  g_assert_true (e2e_run (e2e, options, counts, &error));
  g_assert_no_error (error);
}

void
e2e_assert_next_run_writes_nothing (E2E *e2e)
{
  g_assert_nonnull (e2e);
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, NULL);
  g_assert_cmpuint (e2e_webshop_writes (e2e) + e2e_shopify_writes (e2e), ==, 0);
}

void
e2e_set_policy (E2E               *e2e,
                TdmConflictPolicy  conflict,
                TdmConflictPolicy  first_link)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      TdmPlanOptions options = { 0 };

      options.conflict_policy = conflict;
      options.first_link_policy = first_link;
      options.delete_policy = TDM_DELETE_KEEP;
      options.direction = TDM_DIRECTION_BOTH;
      tdm_sync_engine_set_options (e2e->engine, k, &options);
    }
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

char *
e2e_seed_webshop (E2E        *e2e,
                  TdmKind     kind,
                  const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);

  return tdm_fake_webshop_seed (e2e->web, kind, object);
}

char *
e2e_seed_shopify (E2E        *e2e,
                  TdmKind     kind,
                  const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);

  return tdm_fake_shopify_seed (e2e->shop, kind, object);
}

void
e2e_edit_webshop (E2E        *e2e,
                  TdmKind     kind,
                  const char *id,
                  const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);

  g_assert_true (tdm_fake_webshop_update (e2e->web, kind, id, object));
}

void
e2e_edit_shopify (E2E        *e2e,
                  TdmKind     kind,
                  const char *id,
                  const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);

  g_assert_true (tdm_fake_shopify_edit (e2e->shop, kind, id, object, NULL));
}

guint
e2e_webshop_writes (E2E *e2e)
{
  GPtrArray *log = tdm_fake_webshop_get_request_log (e2e->web);
  guint writes = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeRequest *request = g_ptr_array_index (log, i);

      if (!g_str_equal (request->method, "GET"))
        writes++;
    }
  return writes;
}

static guint
count_shopify_writes (E2E *e2e, gboolean records_only)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  guint writes = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *request = g_ptr_array_index (log, i);
      const char *q = request->query;

      if (q == NULL)
        continue;
      while (g_ascii_isspace (*q))
        q++;
      /* Setting up the app's metafield definitions is not a record write. */
      if (records_only && g_strcmp0 (request->operation, "MetafieldDefinitionCreate") == 0)
        continue;
      if (g_str_has_prefix (q, "mutation"))
        writes++;
    }
  return writes;
}

guint
e2e_shopify_writes (E2E *e2e)
{
  return count_shopify_writes (e2e, FALSE);
}

guint
e2e_shopify_record_writes (E2E *e2e)
{
  return count_shopify_writes (e2e, TRUE);
}

void
e2e_clear_logs (E2E *e2e)
{
  tdm_fake_webshop_clear_log (e2e->web);
  tdm_fake_shopify_clear_log (e2e->shop);
}

const char *
e2e_json_path_string (JsonObject *object,
                      const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *cur = object;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node;

      if (cur == NULL || !json_object_has_member (cur, parts[i]))
        return NULL;
      node = json_object_get_member (cur, parts[i]);
      if (parts[i + 1] == NULL)
        return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
               ? json_node_get_string (node) : NULL;
      cur = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return NULL;
}

/* The records of `kind` in the fake of `side`, as JsonObjects (references). */
static GPtrArray *
fake_records (E2E     *e2e,
              TdmSide  side,
              TdmKind  kind)
{
  g_autoptr(JsonArray) nodes = NULL;
  GPtrArray *records;

  g_assert (e2e != NULL);
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  if (side == TDM_SIDE_WEBSHOP)
    return tdm_fake_webshop_get_records (e2e->web, kind);
  nodes = tdm_fake_shopify_get_records (e2e->shop, kind);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    g_ptr_array_add (records, json_object_ref (json_array_get_object_element (nodes, i)));
  return records;
}

/* How many records of `kind` on `side` have `value` at `path`; the first of
 * them goes to `first` (nullable, a new reference). */
static guint
find_records (E2E         *e2e,
              TdmSide      side,
              TdmKind      kind,
              const char  *path,
              const char  *value,
              JsonObject **first)
{
  g_autoptr(GPtrArray) records = fake_records (e2e, side, kind);
  guint n = 0;

  g_assert (path != NULL);

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (e2e_json_path_string (record, path), value) != 0)
        continue;
      if (n++ == 0 && first != NULL)
        *first = json_object_ref (record);
    }
  return n;
}

JsonObject *
e2e_find_webshop (E2E        *e2e,
                  TdmKind     kind,
                  const char *member,
                  const char *value)
{
  JsonObject *found = NULL;

  find_records (e2e, TDM_SIDE_WEBSHOP, kind, member, value, &found);
  return found;
}

guint
e2e_count_webshop_by (E2E        *e2e,
                      TdmKind     kind,
                      const char *member,
                      const char *value)
{
  return find_records (e2e, TDM_SIDE_WEBSHOP, kind, member, value, NULL);
}

JsonObject *
e2e_find_shopify (E2E        *e2e,
                  TdmKind     kind,
                  const char *path,
                  const char *value)
{
  JsonObject *found = NULL;

  find_records (e2e, TDM_SIDE_SHOPIFY, kind, path, value, &found);
  return found;
}

guint
e2e_count_shopify_by (E2E        *e2e,
                      TdmKind     kind,
                      const char *path,
                      const char *value)
{
  return find_records (e2e, TDM_SIDE_SHOPIFY, kind, path, value, NULL);
}
