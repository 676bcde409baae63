/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-webshop"

#include "config.h"

#include <string.h>

#include "connector-fixture.h"

/* The webshop connector reading and writing records against the fake
 * webshop: listing in every paging style, ids, idempotent creates, record
 * errors, updates with ETags, get, delete, find_created, and the shipped
 * mapping (docs/webshop-api.md). Transport matters (rate limits, faults,
 * security, test_connection) are in test-connector-transport.c. */

/* ---- Incremental listing, every kind × paging style ---- */

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

/* ---- Create, idempotency ---- */

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
  record_error = g_steal_pointer (&f->record_error);
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->record_id, ==, "gid://shopify/Thing/2");
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, f->kind), ==, 1);
}

/* ---- Record errors ---- */

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
  record_error = g_steal_pointer (&f->record_error);
  g_assert_nonnull (record_error);
  g_assert_cmpstr (record_error->existing_id, ==, id);
  g_assert_cmpstr (record_error->field, ==, "email");
  g_assert_cmpint (record_error->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpint (record_error->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);
  /* It came with that write only: the next one, accepted, brings none. */
  g_clear_error (&error);
  {
    g_autoptr(JsonObject) other = sample_record (TDM_KIND_CUSTOMER, 6);
    g_autoptr(TdmWriteResult) accepted = create_record (f, TDM_KIND_CUSTOMER, other, "op-ok",
                                                        "gid://shopify/Customer/78", &error);

    g_assert_no_error (error);
    g_assert_nonnull (accepted);
    g_assert_null (f->record_error);
  }
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
      record_error = g_steal_pointer (&f->record_error);
      g_assert_nonnull (record_error);
      g_assert_cmpstr (record_error->field, ==, cases[i].field);
      g_assert_nonnull (record_error->message);
    }
  /* Rejected records were not retried. */
  g_assert_cmpuint (count_requests (f, "POST"), ==, G_N_ELEMENTS (cases));
}

/* ---- Update, ETag ---- */

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
  record_error = g_steal_pointer (&f->record_error);
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
  record_error = g_steal_pointer (&f->record_error);
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

/* ---- Get, delete, find_created ---- */

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
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->connector), result, NULL, &error));
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

/* ---- With the shipped mapping ---- */

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
  record_error = g_steal_pointer (&f->record_error);
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
    record_error = g_steal_pointer (&f->record_error);
    g_assert_cmpstr (record_error->field, ==, "addresses.city");
  }
}

/* Which native lists are sets, the mapping's "unordered" rows, the base
 * class answers: the webshop's addresses are, its tags and variants not;
 * without a mapping none is. */
static void
test_unordered_lists (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  TdmConnector *connector = TDM_CONNECTOR (f->connector);

  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_CUSTOMER, "addresses"));
  tdm_connector_set_mapping (connector, mapping);
  g_assert_true (tdm_connector_list_is_unordered (connector, TDM_KIND_CUSTOMER, "addresses"));
  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_CUSTOMER, "tags"));
  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_CUSTOMER, "email"));
  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_CUSTOMER, "no_such"));
  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_PRODUCT, "variants"));
  g_assert_false (tdm_connector_list_is_unordered (connector, TDM_KIND_ORDER, "line_items"));
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
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

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
  g_test_add ("/webshop/connector/default-mapping", Fixture, NULL, fixture_setup,
              test_default_mapping, fixture_teardown);
  g_test_add ("/webshop/connector/unordered-lists", Fixture, NULL, fixture_setup,
              test_unordered_lists, fixture_teardown);

  {
    int status = g_test_run ();

    g_clear_pointer (&style_params, g_ptr_array_unref);
    return status;
  }
}
