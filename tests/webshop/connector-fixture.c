/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-webshop"

#include "config.h"

#include "connector-fixture.h"

const char * const style_names[] = { "cursor", "page", "offset", "link" };

/* ---- Profiles and the connector ---- */

static TdmWebshopProfile *
profile_for_style (Style style)
{
  g_autoptr(GError) error = NULL;
  TdmWebshopProfile *profile = NULL;

  switch (style)
    {
    case STYLE_CURSOR:
      profile = tdm_webshop_profile_lookup ("default", &error);
      break;
    case STYLE_PAGE:
      profile = tdm_webshop_profile_lookup ("page-apikey", &error);
      break;
    case STYLE_LINK:
      profile = tdm_webshop_profile_lookup ("link-basic", &error);
      break;
    case STYLE_OFFSET:
      profile = tdm_webshop_profile_new_from_data (
          "{\"name\": \"offset-test\", \"auth\": {\"method\": \"header\", \"header\": \"X-Shop-Token\"},"
          " \"resources\": {"
          "  \"customers\": {\"paging\": \"offset\", \"items_key\": \"result.rows\","
          "                  \"params\": {\"offset\": \"skip\", \"limit\": \"take\"},"
          "                  \"fields\": {\"id\": \"uuid\", \"updated_at\": \"meta.modified\","
          "                             \"etag\": \"meta.version\", \"shopify_id\": \"links.shopify\"},"
          "                  \"deleted\": {\"available\": false}},"
          "  \"products\": {\"paging\": \"offset\", \"items_key\": \"result.rows\","
          "                 \"params\": {\"offset\": \"skip\", \"limit\": \"take\"},"
          "                 \"fields\": {\"id\": \"uuid\", \"updated_at\": \"meta.modified\","
          "                            \"etag\": \"meta.version\", \"shopify_id\": \"links.shopify\"},"
          "                 \"deleted\": {\"available\": false}},"
          "  \"orders\": {\"paging\": \"offset\", \"items_key\": \"result.rows\","
          "               \"params\": {\"offset\": \"skip\", \"limit\": \"take\"},"
          "               \"fields\": {\"id\": \"uuid\", \"updated_at\": \"meta.modified\","
          "                          \"etag\": \"meta.version\", \"shopify_id\": \"links.shopify\"},"
          "               \"deleted\": {\"available\": false}}}}",
          -1, "offset-test", &error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_no_error (error);
  /* Small pages so that every listing crosses page boundaries; no rate cap
   * unless a test sets one. */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    profile->resources[k].page_size = 3;
  profile->requests_per_second = 0;
  return profile;
}

static void
on_guard_cb (gpointer user_data)
{
  g_error ("A webshop request did not finish in time.");
}

static gboolean
on_guard_timeout_cb (gpointer user_data)
{
  on_guard_cb (user_data);
  return G_SOURCE_REMOVE;
}

void
make_connector (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  const char *user = NULL;
  const char *secret = TOKEN;

  switch (f->profile->auth)
    {
    case TDM_WEBSHOP_AUTH_BASIC:
      user = "kari";
      secret = PASSWORD;
      tdm_fake_webshop_set_auth (f->fake, TDM_WEBSHOP_AUTH_BASIC, "kari:" PASSWORD);
      break;
    case TDM_WEBSHOP_AUTH_HEADER:
      secret = API_KEY;
      tdm_fake_webshop_set_auth (f->fake, TDM_WEBSHOP_AUTH_HEADER, API_KEY);
      break;
    case TDM_WEBSHOP_AUTH_BEARER:
    case TDM_WEBSHOP_AUTH_PROFILE:
    default:
      tdm_fake_webshop_set_auth (f->fake, TDM_WEBSHOP_AUTH_BEARER, TOKEN);
      break;
    }

  g_clear_object (&f->connector);
  f->connector = tdm_webshop_connector_new (tdm_fake_webshop_get_url (f->fake), f->profile,
                                            TDM_WEBSHOP_AUTH_PROFILE, user, secret, NULL, &error);
  g_assert_no_error (error);
  tdm_http_options_init (&options);
  options.timeout_seconds = 1;
  options.connect_timeout = 1;
  options.base_delay_ms = 10;
  options.max_delay_ms = 3000;
  options.max_retries = 3;
  tdm_webshop_connector_set_http_options (f->connector, &options);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Params *params = data;
  g_autoptr(GError) error = NULL;

  f->style = params ? params->style : STYLE_CURSOR;
  f->kind = params ? params->kind : TDM_KIND_CUSTOMER;
  f->profile = profile_for_style (f->style);
  f->fake = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_profile (f->fake, f->profile);
  g_assert_true (tdm_fake_webshop_start (f->fake, &error));
  g_assert_no_error (error);
  make_connector (f);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->guard = g_timeout_add_seconds (30, on_guard_timeout_cb, NULL);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_handle_id (&f->guard, g_source_remove);
  g_clear_object (&f->connector);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->profile, tdm_webshop_profile_unref);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_object (&f->result);
  g_clear_pointer (&f->record_error, tdm_record_error_free);
}

/* ---- Waiting for results ---- */

void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

GAsyncResult *
wait_result (Fixture *f)
{
  if (f->result == NULL)
    g_main_loop_run (f->loop);
  g_assert_nonnull (f->result);
  return f->result;
}

/* ---- Synchronous wrappers ---- */

TdmPage *
list_page (Fixture     *f,
           TdmKind      kind,
           const char  *since,
           const char  *cursor,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_list_changed_async (TDM_CONNECTOR (f->connector), kind, since, cursor, NULL,
                                    on_done_cb, f);
  result = TAKE_RESULT (f);
  return tdm_connector_list_changed_finish (TDM_CONNECTOR (f->connector), result, error);
}

/* Every record (and tombstone) changed since `since`, walking all pages. */
GPtrArray *
list_all (Fixture     *f,
          TdmKind      kind,
          const char  *since,
          guint       *out_pages,
          GError     **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(TdmPage) page = list_page (f, kind, since, cursor, error);

      if (page == NULL)
        return NULL;
      pages++;
      for (guint i = 0; i < page->records->len; i++)
        g_ptr_array_add (all, tdm_record_ref (page->records->pdata[i]));
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      g_assert_cmpuint (pages, <, 100);
    }
  while (cursor != NULL);

  if (out_pages)
    *out_pages = pages;
  return g_steal_pointer (&all);
}

TdmWriteResult *
create_record (Fixture     *f,
               TdmKind      kind,
               JsonObject  *fields,
               const char  *op_id,
               const char  *twin_id,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_create_async (TDM_CONNECTOR (f->connector), kind, fields, op_id, twin_id, NULL,
                              on_done_cb, f);
  result = TAKE_RESULT (f);
  g_clear_pointer (&f->record_error, tdm_record_error_free);
  return tdm_connector_create_finish (TDM_CONNECTOR (f->connector), result, &f->record_error,
                                      error);
}

TdmWriteResult *
update_record (Fixture     *f,
               TdmKind      kind,
               const char  *id,
               JsonObject  *fields,
               const char  *etag,
               const char  *twin_id,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_update_async (TDM_CONNECTOR (f->connector), kind, id, fields, etag, twin_id,
                              "op-update", NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  g_clear_pointer (&f->record_error, tdm_record_error_free);
  return tdm_connector_update_finish (TDM_CONNECTOR (f->connector), result, &f->record_error,
                                      error);
}

TdmRecord *
get_record (Fixture     *f,
            TdmKind      kind,
            const char  *id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_get_async (TDM_CONNECTOR (f->connector), kind, id, NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  g_clear_pointer (&f->record_error, tdm_record_error_free);
  return tdm_connector_get_finish (TDM_CONNECTOR (f->connector), result, &f->record_error, error);
}

/* ---- Records ---- */

JsonObject *
json_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

JsonObject *
sample_record (TdmKind kind,
               guint   n)
{
  g_autofree char *json = NULL;

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      json = g_strdup_printf ("{\"email\": \"kunde%u@example.no\", \"first_name\": \"Åse\", "
                              "\"last_name\": \"Kunde %u\", \"tags\": [\"vip\"]}", n, n);
      break;
    case TDM_KIND_PRODUCT:
      json = g_strdup_printf ("{\"sku\": \"SKU-%03u\", \"title\": \"Strikkegenser %u\", "
                              "\"price\": \"%u.90\", \"currency\": \"NOK\", "
                              "\"status\": \"active\"}", n, n, 100 + n);
      break;
    case TDM_KIND_ORDER:
      json = g_strdup_printf ("{\"number\": \"%u\", \"currency\": \"NOK\", "
                              "\"email\": \"kunde%u@example.no\", \"financial_status\": \"paid\", "
                              "\"line_items\": [{\"sku\": \"SKU-001\", \"title\": \"Genser\", "
                              "\"quantity\": 1, \"unit_price\": \"199.00\"}], "
                              "\"total_price\": \"199.00\"}", 1000 + n, n);
      break;
    default:
      g_assert_not_reached ();
    }
  return json_object (json);
}

/* Seeds n records with updated_at one minute apart in January. */
GPtrArray *
seed_records (Fixture *f,
              TdmKind  kind,
              guint    n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) record = sample_record (kind, i + 1);
      g_autofree char *updated = g_strdup_printf ("2026-01-15T10:%02u:00Z", i);

      tdm_webshop_json_set_path (record, f->profile->resources[kind].updated_at_field,
                                 json_node_init_string (json_node_alloc (), updated));
      g_ptr_array_add (ids, tdm_fake_webshop_seed (f->fake, kind, record));
    }
  return ids;
}

guint
count_requests (Fixture    *f,
                const char *method)
{
  GPtrArray *log = tdm_fake_webshop_get_request_log (f->fake);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    if (method == NULL || g_str_equal (((TdmFakeRequest *) log->pdata[i])->method, method))
      n++;
  return n;
}
