/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-webshop"

#include "config.h"

#include <string.h>

#include "tdm-fake-webshop.h"
#include "tdm-webshop-connector.h"
#include "tdm-webshop-json.h"

/* Log capture for the "secrets never in debug logs" test: one writer for
 * the whole program; it only records while `capture` is set. */
static GString *captured;
static gboolean capture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (capture)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE"))
          {
            g_string_append_len (captured, fields[i].value,
                                 fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                      : fields[i].length);
            g_string_append_c (captured, '\n');
          }
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Styles */

typedef enum {
  STYLE_CURSOR,
  STYLE_PAGE,
  STYLE_OFFSET,
  STYLE_LINK,
} Style;

static const char * const style_names[] = { "cursor", "page", "offset", "link" };

#define TOKEN     "tok-Secr3t-0xBEEF"
#define PASSWORD  "pw-Hemmelig-42"
#define API_KEY   "key-Nøkkel-7781"

typedef struct {
  Style                style;
  TdmKind              kind;
  TdmWebshopProfile   *profile;
  TdmFakeWebshop      *fake;
  TdmWebshopConnector *connector;
  GMainLoop           *loop;
  GAsyncResult        *result;
  guint                guard;
} Fixture;

typedef struct {
  Style   style;
  TdmKind kind;
} Params;

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

static void
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

static void
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

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_handle_id (&f->guard, g_source_remove);
  g_clear_object (&f->connector);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->profile, tdm_webshop_profile_unref);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_object (&f->result);
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  if (f->result == NULL)
    g_main_loop_run (f->loop);
  g_assert_nonnull (f->result);
  return f->result;
}

#define TAKE_RESULT(f) (wait_result (f), g_steal_pointer (&(f)->result))

/* Synchronous wrappers */

static TdmPage *
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
static GPtrArray *
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

static TdmWriteResult *
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
  return tdm_connector_create_finish (TDM_CONNECTOR (f->connector), result, error);
}

static TdmWriteResult *
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
  return tdm_connector_update_finish (TDM_CONNECTOR (f->connector), result, error);
}

static TdmRecord *
get_record (Fixture     *f,
            TdmKind      kind,
            const char  *id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_get_async (TDM_CONNECTOR (f->connector), kind, id, NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  return tdm_connector_get_finish (TDM_CONNECTOR (f->connector), result, error);
}

/* Records */

static JsonObject *
json_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

static JsonObject *
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
static GPtrArray *
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

static guint
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

/* Incremental listing, every kind × paging style */

static void
test_incremental_listing (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, f->kind, 7);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object ("{\"note\": \"endret i butikken\"}");
  gboolean has_tombstones = f->profile->resources[f->kind].deleted_available;
  guint pages = 0;

  /* Everything, in (updated_at, id) order, over several pages. */
  all = list_all (f, f->kind, NULL, &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 7);
  g_assert_cmpuint (pages, >=, 3);
  for (guint i = 0; i < all->len; i++)
    {
      TdmRecord *record = all->pdata[i];

      g_assert_cmpstr (record->id, ==, ids->pdata[i]);
      g_assert_false (record->deleted);
      g_assert_nonnull (record->etag);
      g_assert_nonnull (record->native);
      g_assert_cmpint (record->kind, ==, f->kind);
      g_assert_cmpint (record->side, ==, TDM_SIDE_WEBSHOP);
    }
  g_assert_cmpstr (((TdmRecord *) all->pdata[6])->updated_at, ==, "2026-01-15T10:06:00Z");

  /* Since a watermark: only what changed at or after it. */
  changed = list_all (f, f->kind, "2026-01-15T10:04:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 3);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, ids->pdata[4]);

  /* An edit in the shop and a delete show up in the next incremental pass. */
  g_assert_true (tdm_fake_webshop_update (f->fake, f->kind, ids->pdata[1], patch));
  g_assert_true (tdm_fake_webshop_delete (f->fake, f->kind, ids->pdata[2]));
  later = list_all (f, f->kind, "2026-02-01T00:00:00+01:00", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, has_tombstones ? 2 : 1);
  g_assert_cmpstr (((TdmRecord *) later->pdata[0])->id, ==, ids->pdata[1]);
  g_assert_false (((TdmRecord *) later->pdata[0])->deleted);
  g_assert_nonnull (tdm_record_get_string (later->pdata[0], "note"));
  if (has_tombstones)
    {
      g_assert_cmpstr (((TdmRecord *) later->pdata[1])->id, ==, ids->pdata[2]);
      g_assert_true (((TdmRecord *) later->pdata[1])->deleted);
    }

  /* Every request carried the credentials and the user agent's version. */
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->connector)), ==,
                    count_requests (f, NULL));
  for (guint i = 0; i < tdm_fake_webshop_get_request_log (f->fake)->len; i++)
    {
      TdmFakeRequest *r = tdm_fake_webshop_get_request_log (f->fake)->pdata[i];

      g_assert_cmpstr (r->authorization, ==, "present");
      g_assert_cmpuint (r->status, ==, 200);
    }
}

static void
test_list_ids (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, f->kind, 8);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  tdm_connector_list_ids_async (TDM_CONNECTOR (f->connector), f->kind, NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  listed = tdm_connector_list_ids_finish (TDM_CONNECTOR (f->connector), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 8);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (listed->pdata[i], ==, ids->pdata[i]);
  /* 8 records in pages of 3. */
  g_assert_cmpuint (count_requests (f, "GET"), >=, 3);
}

/* Create, idempotency */

static void
test_create_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) fields = sample_record (f->kind, 42);
  g_autoptr(TdmWriteResult) first = NULL;
  g_autoptr(TdmWriteResult) again = NULL;
  g_autoptr(TdmWriteResult) lost = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) other = sample_record (f->kind, 43);
  TdmFakeRequest *post;

  first = create_record (f, f->kind, fields, "6f1c3a52-0000-4000-8000-000000000001",
                         "gid://shopify/Thing/42", &error);
  g_assert_no_error (error);
  g_assert_nonnull (first->record->id);
  g_assert_cmpstr (first->record->twin_id, ==, "gid://shopify/Thing/42");
  g_assert_nonnull (first->record->etag);
  post = g_ptr_array_index (tdm_fake_webshop_get_request_log (f->fake), 0);
  g_assert_cmpstr (post->method, ==, "POST");
  g_assert_cmpstr (post->idempotency_key, ==, "6f1c3a52-0000-4000-8000-000000000001");
  g_assert_cmpuint (post->status, ==, 201);

  stored = tdm_fake_webshop_get_record (f->fake, f->kind, first->record->id);
  {
    g_autofree char *twin = tdm_webshop_json_dup_string (
        stored, f->profile->resources[f->kind].shopify_id_field);

    g_assert_cmpstr (twin, ==, "gid://shopify/Thing/42");
  }

  /* The same create again (a retry after a crash): the same record, no duplicate. */
  again = create_record (f, f->kind, fields, "6f1c3a52-0000-4000-8000-000000000001",
                         "gid://shopify/Thing/42", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->record->id, ==, first->record->id);
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, f->kind), ==, 1);

  /* The answer is lost after the shop stored the record: the HTTP layer
   * retries with the same key and gets the stored record back. */
  tdm_fake_webshop_inject_fault (f->fake, 0, TDM_FAKE_FAULT_RESET, 1, 1);
  lost = create_record (f, f->kind, other, "6f1c3a52-0000-4000-8000-000000000002", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, f->kind), ==, 2);
  g_assert_cmpuint (count_requests (f, "POST"), ==, 4);
}

static void
test_create_key_reused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) a = sample_record (f->kind, 1);
  g_autoptr(JsonObject) b = sample_record (f->kind, 2);
  g_autoptr(TdmWriteResult) first = NULL;
  g_autoptr(TdmWriteResult) second = NULL;
  g_autoptr(TdmRecordError) record_error = NULL;
  g_autoptr(GError) error = NULL;

  first = create_record (f, f->kind, a, "key-1", NULL, &error);
  g_assert_no_error (error);
  second = create_record (f, f->kind, b, "key-1", "gid://shopify/Thing/2", &error);
  g_assert_null (second);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->record_id, ==, "gid://shopify/Thing/2");
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, f->kind), ==, 1);
}

/* Record errors */

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) existing = sample_record (TDM_KIND_CUSTOMER, 5);
  g_autoptr(JsonObject) twin = json_object ("{\"email\": \"KUNDE5@example.no\", "
                                            "\"first_name\": \"Kari\"}");
  g_autofree char *id = tdm_fake_webshop_seed (f->fake, TDM_KIND_CUSTOMER, existing);
  g_autoptr(TdmWriteResult) result = NULL;
  g_autoptr(TdmRecordError) record_error = NULL;
  g_autoptr(GError) error = NULL;

  result = create_record (f, TDM_KIND_CUSTOMER, twin, "op-dup", "gid://shopify/Customer/77",
                          &error);
  g_assert_null (result);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->existing_id, ==, id);
  g_assert_cmpstr (record_error->field, ==, "email");
  g_assert_cmpint (record_error->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpint (record_error->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);
  /* Taken: a second take is empty. */
  g_assert_null (tdm_connector_take_record_error (TDM_CONNECTOR (f->connector)));
}

typedef struct {
  TdmKind     kind;
  const char *json;
  const char *field;
} InvalidCase;

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (300, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"email\": \"lang@example.no\", "
                                                "\"first_name\": \"%s\"}", too_long);
  const InvalidCase cases[] = {
    { TDM_KIND_CUSTOMER, "{\"email\": \"ikke-en-epost\", \"first_name\": \"Ola\"}", "email" },
    { TDM_KIND_CUSTOMER, "{\"first_name\": \"Uten e-post\"}", "email" },
    { TDM_KIND_CUSTOMER, long_json, "first_name" },
    { TDM_KIND_PRODUCT, "{\"sku\": \"NO-TITLE\", \"price\": \"10.00\"}", "title" },
    { TDM_KIND_PRODUCT, "{\"title\": \"Lue\", \"price\": \"10,00\"}", "price" },
    { TDM_KIND_ORDER, "{\"currency\": \"NOK\", \"line_items\": []}", "line_items" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) fields = json_object (cases[i].json);
      g_autoptr(TdmWriteResult) result = NULL;
      g_autoptr(TdmRecordError) record_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *op = g_strdup_printf ("op-invalid-%u", i);

      result = create_record (f, cases[i].kind, fields, op, "gid://shopify/X/1", &error);
      g_assert_null (result);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
      g_assert_nonnull (record_error);
      g_assert_cmpstr (record_error->field, ==, cases[i].field);
      g_assert_nonnull (record_error->message);
    }
  /* Rejected records were not retried. */
  g_assert_cmpuint (count_requests (f, "POST"), ==, G_N_ELEMENTS (cases));
}

/* Update, ETag */

static void
test_update_merges_and_links (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) seed = json_object ("{\"email\": \"ola@example.no\", \"first_name\": "
                                            "\"Ola\", \"loyalty_points\": 1200}");
  g_autofree char *id = tdm_fake_webshop_seed (f->fake, TDM_KIND_CUSTOMER, seed);
  g_autoptr(TdmRecord) before = NULL;
  g_autoptr(TdmWriteResult) result = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) change = json_object ("{\"first_name\": \"Ola Nordmann\"}");
  g_autoptr(GError) error = NULL;
  TdmFakeRequest *put;

  before = get_record (f, TDM_KIND_CUSTOMER, id, &error);
  g_assert_no_error (error);
  result = update_record (f, TDM_KIND_CUSTOMER, id, change, before->etag,
                          "gid://shopify/Customer/9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (result->record, "first_name"), ==, "Ola Nordmann");
  g_assert_cmpstr (result->record->twin_id, ==, "gid://shopify/Customer/9");
  g_assert_cmpstr (result->record->etag, !=, before->etag);

  stored = tdm_fake_webshop_get_record (f->fake, TDM_KIND_CUSTOMER, id);
  /* Fields Tandem does not map survive the PUT. */
  g_assert_cmpint (json_object_get_int_member (stored, "loyalty_points"), ==, 1200);
  g_assert_cmpstr (json_object_get_string_member (stored, "email"), ==, "ola@example.no");
  g_assert_cmpstr (json_object_get_string_member (stored, "shopify_id"), ==,
                   "gid://shopify/Customer/9");

  put = g_ptr_array_index (tdm_fake_webshop_get_request_log (f->fake),
                           tdm_fake_webshop_get_request_log (f->fake)->len - 1);
  g_assert_cmpstr (put->method, ==, "PUT");
  g_assert_nonnull (put->if_match);
  g_assert_nonnull (strstr (put->if_match, before->etag));
  /* The record read before was reused: one GET, one PUT. */
  g_assert_cmpuint (count_requests (f, "GET"), ==, 1);
  g_assert_cmpuint (count_requests (f, "PUT"), ==, 1);

  /* A second change in the same run builds on the stored answer. */
  {
    g_autoptr(JsonObject) again = json_object ("{\"last_name\": \"Nordmann\"}");
    g_autoptr(TdmWriteResult) second = update_record (f, TDM_KIND_CUSTOMER, id, again,
                                                      result->record->etag, NULL, &error);
    g_autoptr(JsonObject) now = NULL;

    g_assert_no_error (error);
    now = tdm_fake_webshop_get_record (f->fake, TDM_KIND_CUSTOMER, id);
    g_assert_cmpstr (json_object_get_string_member (now, "first_name"), ==, "Ola Nordmann");
    g_assert_cmpstr (json_object_get_string_member (now, "last_name"), ==, "Nordmann");
    g_assert_cmpstr (json_object_get_string_member (now, "shopify_id"), ==,
                     "gid://shopify/Customer/9");
    g_assert_cmpuint (count_requests (f, "GET"), ==, 1);
    g_assert_cmpuint (count_requests (f, "PUT"), ==, 2);
  }
}

static void
test_update_stale_etag (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) seed = sample_record (TDM_KIND_PRODUCT, 1);
  g_autofree char *id = tdm_fake_webshop_seed (f->fake, TDM_KIND_PRODUCT, seed);
  g_autoptr(TdmRecord) before = NULL;
  g_autoptr(TdmWriteResult) result = NULL;
  g_autoptr(TdmRecordError) record_error = NULL;
  g_autoptr(JsonObject) shop_edit = json_object ("{\"price\": \"149.00\"}");
  g_autoptr(JsonObject) change = json_object ("{\"title\": \"Ny tittel\"}");
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;

  before = get_record (f, TDM_KIND_PRODUCT, id, &error);
  g_assert_no_error (error);
  g_assert_true (tdm_fake_webshop_update (f->fake, TDM_KIND_PRODUCT, id, shop_edit));

  /* The connector still holds the copy it read: it PUTs with that etag and
   * the shop refuses (412). */
  result = update_record (f, TDM_KIND_PRODUCT, id, change, before->etag, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT);
  record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->record_id, ==, id);
  stored = tdm_fake_webshop_get_record (f->fake, TDM_KIND_PRODUCT, id);
  g_assert_cmpstr (json_object_get_string_member (stored, "title"), ==, "Strikkegenser 1");
  g_assert_cmpstr (json_object_get_string_member (stored, "price"), ==, "149.00");
  g_assert_cmpuint (count_requests (f, "PUT"), ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&record_error, tdm_record_error_free);

  /* A connector that has not read it (a new run) reads it first, sees the
   * newer etag and writes nothing. */
  tdm_connector_prepare_async (TDM_CONNECTOR (f->connector), NULL, on_done_cb, f);
  {
    g_autoptr(GAsyncResult) prepared = TAKE_RESULT (f);

    g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->connector), prepared, NULL));
  }
  result = update_record (f, TDM_KIND_PRODUCT, id, change, before->etag, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT);
  record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
  g_assert_nonnull (record_error);
  g_assert_cmpuint (count_requests (f, "PUT"), ==, 1);
}

typedef struct {
  TdmKind     kind;
  const char *id;
} RaceData;

static void
on_put_edit_in_shop (TdmFakeWebshop *fake,
                     const char     *method,
                     const char     *path,
                     gpointer        user_data)
{
  RaceData *race = user_data;
  g_autoptr(JsonObject) edit = NULL;

  if (!g_str_equal (method, "PUT"))
    return;
  edit = json_object ("{\"note\": \"endret samtidig\"}");
  tdm_fake_webshop_update (fake, race->kind, race->id, edit);
}

static void
test_update_412 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) seed = sample_record (TDM_KIND_CUSTOMER, 3);
  g_autofree char *id = tdm_fake_webshop_seed (f->fake, TDM_KIND_CUSTOMER, seed);
  g_autoptr(JsonObject) change = json_object ("{\"last_name\": \"Hansen\"}");
  g_autoptr(TdmWriteResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RaceData race = { TDM_KIND_CUSTOMER, id };
  TdmFakeRequest *put;

  /* The shop owner saves the record between Tandem's read and its write. */
  tdm_fake_webshop_set_request_hook (f->fake, on_put_edit_in_shop, &race);
  result = update_record (f, TDM_KIND_CUSTOMER, id, change, NULL, NULL, &error);
  tdm_fake_webshop_set_request_hook (f->fake, NULL, NULL);
  g_assert_null (result);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT);
  put = g_ptr_array_index (tdm_fake_webshop_get_request_log (f->fake),
                           tdm_fake_webshop_get_request_log (f->fake)->len - 1);
  g_assert_cmpstr (put->method, ==, "PUT");
  g_assert_cmpuint (put->status, ==, 412);
  g_assert_cmpuint (count_requests (f, "PUT"), ==, 1);
}

static void
test_get_and_delete (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) seed = sample_record (TDM_KIND_CUSTOMER, 8);
  g_autofree char *id = tdm_fake_webshop_seed (f->fake, TDM_KIND_CUSTOMER, seed);
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(TdmRecord) gone = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  record = get_record (f, TDM_KIND_CUSTOMER, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, id);
  g_assert_cmpstr (tdm_record_get_string (record, "email"), ==, "kunde8@example.no");

  tdm_connector_delete_async (TDM_CONNECTOR (f->connector), TDM_KIND_CUSTOMER, id, NULL,
                              on_done_cb, f);
  result = TAKE_RESULT (f);
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->connector), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, TDM_KIND_CUSTOMER), ==, 0);

  gone = get_record (f, TDM_KIND_CUSTOMER, id, &error);
  g_assert_null (gone);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND);
}

static void
test_find_created (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 5);
  g_autoptr(JsonObject) fields = sample_record (TDM_KIND_CUSTOMER, 99);
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(TdmRecord) missing = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  created = create_record (f, TDM_KIND_CUSTOMER, fields, "op-99", "gid://shopify/Customer/99",
                           &error);
  g_assert_no_error (error);

  tdm_connector_find_created_async (TDM_CONNECTOR (f->connector), TDM_KIND_CUSTOMER, "op-99",
                                    "gid://shopify/Customer/99", NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->connector), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, created->record->id);
  g_clear_object (&result);

  tdm_connector_find_created_async (TDM_CONNECTOR (f->connector), TDM_KIND_CUSTOMER, "op-100",
                                    "gid://shopify/Customer/100", NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  missing = tdm_connector_find_created_finish (TDM_CONNECTOR (f->connector), result, &error);
  g_assert_no_error (error);
  g_assert_null (missing);
}

/* Rate limits */

static void
test_429_waits_retry_after (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 2);
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  tdm_fake_webshop_inject_fault (f->fake, 0, TDM_FAKE_FAULT_429, 1, 1);
  start = g_get_monotonic_time ();
  page = list_page (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 950 * 1000);
  g_assert_cmpuint (count_requests (f, NULL), ==, 2);
  g_assert_cmpuint (((TdmFakeRequest *) tdm_fake_webshop_get_request_log (f->fake)->pdata[0])->status,
                    ==, 429);
}

static void
test_rate_cap_from_profile (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 1);
  guint done = 0;
  gint64 start;
  const guint n = 10;

  /* 5 requests/s, 2 at a time; each answer takes 500 ms. */
  f->profile->requests_per_second = 5;
  f->profile->concurrency = 2;
  make_connector (f);
  tdm_fake_webshop_inject_fault (f->fake, 0, TDM_FAKE_FAULT_DELAY, 500, n);
  tdm_fake_webshop_set_rate_limit (f->fake, 7, 1);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    tdm_connector_get_async (TDM_CONNECTOR (f->connector), TDM_KIND_CUSTOMER, ids->pdata[0],
                             NULL, on_done_cb, f);
  while (done < n)
    {
      g_autoptr(GAsyncResult) result = TAKE_RESULT (f);
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmRecord) record = tdm_connector_get_finish (TDM_CONNECTOR (f->connector),
                                                              result, &error);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      done++;
    }
  /* One every 200 ms at most, two at a time at most (and they did overlap). */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1800 * 1000);
  g_assert_cmpuint (tdm_fake_webshop_get_max_in_flight (f->fake), ==, 2);
  /* Paced under the shop's own cap: never answered 429. */
  g_assert_cmpuint (count_requests (f, NULL), ==, n);
}

/* Faults */

typedef struct {
  TdmFakeFault fault;
  guint        param;
  guint        times;
  gboolean     recovers;
  GQuark       domain;
  int          code;
} FaultCase;

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const FaultCase cases[] = {
    { TDM_FAKE_FAULT_500, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_502, 0, 2, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_503, 0, 3, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_429, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_RESET, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_TRUNCATED, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_DELAY, 1500, 1, TRUE, 0, 0 },
    /* Clean failures: more faults than retries, or a body that is no JSON. */
    { TDM_FAKE_FAULT_503, 0, 10, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER },
    { TDM_FAKE_FAULT_429, 0, 10, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED },
    { TDM_FAKE_FAULT_RESET, 0, 10, FALSE, 0, 0 },
    { TDM_FAKE_FAULT_DELAY, 1500, 10, FALSE, G_IO_ERROR, G_IO_ERROR_TIMED_OUT },
    { TDM_FAKE_FAULT_MALFORMED_JSON, 0, 1, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE },
  };
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 4);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("fault %s ×%u", tdm_fake_fault_to_string (cases[i].fault), cases[i].times);
      tdm_fake_webshop_clear_log (f->fake);
      /* Hit the second page, not only the first request. */
      tdm_fake_webshop_inject_fault (f->fake, 1, cases[i].fault, cases[i].param, cases[i].times);
      all = list_all (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
      if (cases[i].recovers)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (all->len, ==, 4);
          g_assert_cmpuint (count_requests (f, NULL), ==, 2 + cases[i].times);
        }
      else
        {
          g_assert_null (all);
          g_assert_nonnull (error);
          if (cases[i].domain != 0)
            g_assert_error (error, cases[i].domain, cases[i].code);
          else
            g_assert_true (tdm_http_error_is_transient (error));
          g_test_message ("  → %s", error->message);
          /* Bounded: 1 + max_retries attempts at the failing page; libsoup
           * itself resends once when a kept-alive connection turns out closed. */
          if (cases[i].times > 1)
            g_assert_cmpuint (count_requests (f, NULL), >=, 1 + 4);
          else
            g_assert_cmpuint (count_requests (f, NULL), ==, 2);
          g_assert_cmpuint (count_requests (f, NULL), <=, 1 + 2 * 4);
        }
      tdm_fake_webshop_clear_faults (f->fake);
    }
}

/* Security */

static void
test_plain_http_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopConnector) insecure = NULL;
  g_autofree char *lan = NULL;
  const char *url = tdm_fake_webshop_get_url (f->fake);
  guint port;

  insecure = tdm_webshop_connector_new ("http://butikk.example.no/api/tandem/v1", NULL,
                                        TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL, &error);
  g_assert_null (insecure);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "butikk.example.no"));
  g_assert_null (strstr (error->message, TOKEN));
  g_clear_error (&error);

  /* The fake's own port on a non-loopback name: still refused, nothing sent. */
  port = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
  lan = g_strdup_printf ("http://shop.lan:%u", port);
  insecure = tdm_webshop_connector_new (lan, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL,
                                        &error);
  g_assert_null (insecure);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "shop.lan"));
  g_assert_cmpuint (tdm_fake_webshop_get_request_log (f->fake)->len, ==, 0);
}

static void
test_secrets_not_logged (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) fields = json_object ("{\"email\": \"ny@example.no\", "
                                              "\"password\": \"kundens-passord\"}");
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basic = g_base64_encode ((const guchar *) "kari:" PASSWORD,
                                            strlen ("kari:" PASSWORD));

  /* The logger is attached when a session is made with debug output on. */
  g_log_set_debug_enabled (TRUE);
  make_connector (f);
  ids = seed_records (f, TDM_KIND_CUSTOMER, 2);

  captured = g_string_new (NULL);
  capture = TRUE;
  all = list_all (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  created = create_record (f, TDM_KIND_CUSTOMER, fields, "op-secret", NULL, &error);
  g_assert_no_error (error);
  capture = FALSE;
  g_log_set_debug_enabled (FALSE);

  /* Logged something, and with headers masked. */
  g_assert_nonnull (strstr (captured->str, "GET "));
  g_assert_nonnull (strstr (captured->str, "[redacted]"));
  g_assert_null (strstr (captured->str, TOKEN));
  g_assert_null (strstr (captured->str, PASSWORD));
  g_assert_null (strstr (captured->str, API_KEY));
  g_assert_null (strstr (captured->str, basic));
  g_assert_null (strstr (captured->str, "kundens-passord"));
  g_string_free (g_steal_pointer (&captured), TRUE);
}

/* Test connection */

static TdmShopInfo *
test_connection (Fixture              *f,
                 TdmWebshopConnector  *connector,
                 GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_test_connection_async (TDM_CONNECTOR (connector), NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  return tdm_connector_test_connection_finish (TDM_CONNECTOR (connector), result, error);
}

static void
html_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *body = "<html><body>Velkommen til butikken!</body></html>";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_test_connection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(TdmWebshopConnector) wrong_token = NULL;
  g_autoptr(TdmWebshopConnector) wrong_path = NULL;
  g_autoptr(TdmWebshopConnector) not_api = NULL;
  g_autoptr(TdmWebshopConnector) nobody = NULL;
  g_autoptr(SoupServer) html = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *html_url = NULL;
  GSList *uris;

  info = test_connection (f, f->connector, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "127.0.0.1");
  g_assert_nonnull (info->detail);
  g_clear_pointer (&info, tdm_shop_info_free);

  wrong_token = tdm_webshop_connector_new (tdm_fake_webshop_get_url (f->fake), NULL,
                                           TDM_WEBSHOP_AUTH_BEARER, NULL, "feil-token", NULL,
                                           &error);
  info = test_connection (f, wrong_token, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_null (strstr (error->message, "feil-token"));
  g_clear_error (&error);

  url = g_strdup_printf ("%s/wrong/prefix", tdm_fake_webshop_get_url (f->fake));
  wrong_path = tdm_webshop_connector_new (url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL,
                                          &error);
  info = test_connection (f, wrong_path, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "/wrong/prefix"));
  g_clear_error (&error);

  soup_server_add_handler (html, NULL, html_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (html, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (html);
  html_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  not_api = tdm_webshop_connector_new (html_url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN,
                                       NULL, &error);
  info = test_connection (f, not_api, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Webshop Sync API"));
  g_clear_error (&error);
  soup_server_disconnect (html);

  /* Nothing listens there any more. */
  nobody = tdm_webshop_connector_new (html_url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN,
                                      NULL, &error);
  info = test_connection (f, nobody, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "Nothing answered"));
}

static void
test_credentials_from_store (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TdmMemoryCredentials) store = tdm_memory_credentials_new ();
  g_autoptr(TdmWebshopConnector) connector = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = tdm_fake_webshop_get_url (f->fake);

  tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (store), TDM_SIDE_WEBSHOP, url, TOKEN,
                                    NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  g_assert_true (tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (store), result,
                                                    &error));
  connector = tdm_webshop_connector_new (url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  tdm_webshop_connector_set_credentials (connector, TDM_CREDENTIAL_STORE (store), url);
  info = test_connection (f, connector, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
}

/* With the shipped mapping: canonical records both ways. */
static void
test_default_mapping (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  g_autoptr(JsonObject) product = json_object ("{\"sku\": \"ULL-01\", \"title\": \"Ullsokker\", "
                                               "\"price\": \"129.90\", \"currency\": \"NOK\", "
                                               "\"status\": \"active\", \"shopify_id\": "
                                               "\"gid://shopify/Product/5\"}");
  g_autofree char *product_id = tdm_fake_webshop_seed (f->fake, TDM_KIND_PRODUCT, product);
  g_autoptr(JsonObject) customer = json_object ("{\"email\": \"  Kari.Nordmann@Example.NO \", "
                                                "\"first_name\": \"Kari\", "
                                                "\"tags\": [\"vip\", \"nyhetsbrev\", \"vip\"], "
                                                "\"addresses\": [{\"city\": \"Tromsø\", "
                                                "\"country_code\": \"no\"}]}");
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(TdmWriteResult) invalid = NULL;
  g_autoptr(TdmRecordError) record_error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) bad = json_object ("{\"email\": \"kari.nordmann@example.no\", "
                                           "\"first_name\": \"Kari N.\"}");
  g_autoptr(GError) error = NULL;
  TdmRecord *record;
  JsonNode *variants;

  tdm_connector_set_mapping (TDM_CONNECTOR (f->connector), mapping);

  products = list_all (f, TDM_KIND_PRODUCT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 1);
  record = products->pdata[0];
  g_assert_cmpstr (record->id, ==, product_id);
  g_assert_cmpstr (record->twin_id, ==, "gid://shopify/Product/5");
  g_assert_cmpstr (tdm_record_get_string (record, "title"), ==, "Ullsokker");
  /* A product without variants is one variant made of its own fields. */
  variants = json_object_get_member (record->fields, "variants");
  g_assert_nonnull (variants);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (variants));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (variants)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (variants), 0), "sku"),
                   ==, "ULL-01");

  /* Canonical in, the webshop's native shape out, canonical back. */
  {
    g_autoptr(TdmRecord) canonical_source = NULL;
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
        (GDestroyNotify) tdm_record_error_free);
    g_autoptr(JsonObject) fields = tdm_mapping_map_fields (mapping, TDM_KIND_CUSTOMER,
                                                           TDM_SIDE_WEBSHOP, customer, NULL,
                                                           problems);

    g_assert_cmpuint (problems->len, ==, 0);
    created = create_record (f, TDM_KIND_CUSTOMER, fields, "op-map-1",
                             "gid://shopify/Customer/12", &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (tdm_record_get_string (created->record, "email"), ==,
                   "kari.nordmann@example.no");
  g_assert_cmpstr (created->record->twin_id, ==, "gid://shopify/Customer/12");
  stored = tdm_fake_webshop_get_record (f->fake, TDM_KIND_CUSTOMER, created->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "email"), ==,
                   "kari.nordmann@example.no");
  g_assert_cmpstr (json_object_get_string_member (stored, "shopify_id"), ==,
                   "gid://shopify/Customer/12");
  g_assert_true (json_object_has_member (stored, "addresses"));

  /* A duplicate's error names the canonical field and the twin. */
  invalid = create_record (f, TDM_KIND_CUSTOMER, bad, "op-map-2", "gid://shopify/Customer/13",
                           &error);
  g_assert_null (invalid);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->field, ==, "email");
  g_assert_cmpstr (record_error->existing_id, ==, created->record->id);
  g_assert_cmpstr (record_error->record_id, ==, "gid://shopify/Customer/13");
  g_clear_pointer (&record_error, tdm_record_error_free);
  g_clear_error (&error);

  /* A rejected list item is named the way the mapping names it. */
  {
    g_autofree char *long_city = g_strnfill (300, 'a');
    g_autofree char *json = g_strdup_printf ("{\"email\": \"lang.by@example.no\", "
                                             "\"addresses\": [{\"city\": \"%s\"}]}",
                                             long_city);
    g_autoptr(JsonObject) too_long = json_object (json);
    g_autoptr(TdmWriteResult) rejected = create_record (f, TDM_KIND_CUSTOMER, too_long,
                                                        "op-map-3", NULL, &error);

    g_assert_null (rejected);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
    record_error = tdm_connector_take_record_error (TDM_CONNECTOR (f->connector));
    g_assert_cmpstr (record_error->field, ==, "addresses.city");
  }
}

/* The parameters live as long as the test program; freed after the run. */
static GPtrArray *style_params;

static void
add_style_tests (void)
{
  for (Style s = STYLE_CURSOR; s <= STYLE_LINK; s++)
    for (TdmKind k = TDM_KIND_CUSTOMER; k < TDM_N_KINDS; k++)
      {
        Params *params = g_new0 (Params, 1);
        g_autofree char *listing = NULL, *ids = NULL, *create = NULL, *reused = NULL;

        params->style = s;
        params->kind = k;
        if (style_params == NULL)
          style_params = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (style_params, params);
        listing = g_strdup_printf ("/webshop/connector/%s/%s/incremental", style_names[s],
                                   tdm_kind_to_string (k));
        ids = g_strdup_printf ("/webshop/connector/%s/%s/list-ids", style_names[s],
                               tdm_kind_to_string (k));
        create = g_strdup_printf ("/webshop/connector/%s/%s/create-idempotent", style_names[s],
                                  tdm_kind_to_string (k));
        reused = g_strdup_printf ("/webshop/connector/%s/%s/key-reused", style_names[s],
                                  tdm_kind_to_string (k));
        g_test_add (listing, Fixture, params, fixture_setup, test_incremental_listing,
                    fixture_teardown);
        g_test_add (ids, Fixture, params, fixture_setup, test_list_ids, fixture_teardown);
        g_test_add (create, Fixture, params, fixture_setup, test_create_idempotent,
                    fixture_teardown);
        g_test_add (reused, Fixture, params, fixture_setup, test_create_key_reused,
                    fixture_teardown);
      }
}

int
main (int   argc,
      char *argv[])
{
  static const Params link_params = { STYLE_LINK, TDM_KIND_CUSTOMER };
  static const Params page_params = { STYLE_PAGE, TDM_KIND_CUSTOMER };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  add_style_tests ();
  g_test_add ("/webshop/connector/duplicate-409", Fixture, NULL, fixture_setup, test_duplicate,
              fixture_teardown);
  g_test_add ("/webshop/connector/validation-422", Fixture, NULL, fixture_setup,
              test_validation, fixture_teardown);
  g_test_add ("/webshop/connector/update/merge-and-link", Fixture, NULL, fixture_setup,
              test_update_merges_and_links, fixture_teardown);
  g_test_add ("/webshop/connector/update/stale-etag", Fixture, NULL, fixture_setup,
              test_update_stale_etag, fixture_teardown);
  g_test_add ("/webshop/connector/update/412", Fixture, NULL, fixture_setup, test_update_412,
              fixture_teardown);
  g_test_add ("/webshop/connector/get-and-delete", Fixture, NULL, fixture_setup,
              test_get_and_delete, fixture_teardown);
  g_test_add ("/webshop/connector/find-created", Fixture, NULL, fixture_setup,
              test_find_created, fixture_teardown);
  g_test_add ("/webshop/connector/429-retry-after", Fixture, NULL, fixture_setup,
              test_429_waits_retry_after, fixture_teardown);
  g_test_add ("/webshop/connector/rate-cap", Fixture, &page_params, fixture_setup,
              test_rate_cap_from_profile, fixture_teardown);
  g_test_add ("/webshop/connector/faults", Fixture, NULL, fixture_setup, test_faults,
              fixture_teardown);
  g_test_add ("/webshop/connector/plain-http-refused", Fixture, NULL, fixture_setup,
              test_plain_http_refused, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/bearer", Fixture, NULL, fixture_setup,
              test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/basic", Fixture, &link_params,
              fixture_setup, test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/header", Fixture, &page_params,
              fixture_setup, test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/test-connection", Fixture, NULL, fixture_setup,
              test_test_connection, fixture_teardown);
  g_test_add ("/webshop/connector/default-mapping", Fixture, NULL, fixture_setup,
              test_default_mapping, fixture_teardown);
  g_test_add ("/webshop/connector/credentials-from-store", Fixture, NULL, fixture_setup,
              test_credentials_from_store, fixture_teardown);

  {
    int status = g_test_run ();

    g_clear_pointer (&style_params, g_ptr_array_unref);
    return status;
  }
}
