/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-bulk-run"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "e2e-harness.h"
#include "tdm-test-wait.h"
#include "tdm-test-world.h"

/* Big runs (docs/sync.md § Big runs): more than the batch threshold of
 * Shopify writes of one kind go as one bulk mutation, each record's outcome
 * committed as a single write's; killed anywhere in it (upload, polling,
 * the result stream), a rerun ends with no duplicate and every record
 * linked. In-process runs use the e2e harness; the crash tests run the real
 * `tandem --sync-now` and kill it with SIGKILL. */

#define N_CUSTOMERS 1000

/* ---- In-process runs ---- */

static void
seed_customers (E2E        *e2e,
                guint       n,
                const char *prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"email\": \"%s%05u@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nordmann %u\","
        " \"phone\": \"+47%08u\", \"tags\": [\"bulk\"],"
        " \"addresses\": [{\"address1\": \"Storgata %u\", \"city\": \"Oslo\", \"zip\": \"0155\","
        " \"country_code\": \"NO\"}]}",
        prefix, i, i, 40000000 + i, i % 200 + 1);
      g_free (e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json));
    }
}

static E2E *
big_run_new (void)
{
  E2E *e2e = e2e_new ();

  /* A first load is confirmed by its owner (README, The circuit breaker). */
  tdm_sync_engine_set_breaker_threshold (e2e->engine, G_MAXUINT);
  /* The run after a first load reads the 1,000 new customers back (26
   * points each): the bucket restores 50 times faster than Shopify's. */
  tdm_fake_shopify_set_time_scale (e2e->shop, 50);
  return e2e;
}

/* Every webshop customer is in Shopify exactly once, named by its webshop
 * id, and the two are linked both ways (the webshop record names its twin;
 * the store holds the link). */
static void
assert_all_linked (E2E   *e2e,
                   guint  n)
{
  g_autoptr(GPtrArray) web = tdm_fake_webshop_get_records (e2e->web, TDM_KIND_CUSTOMER);
  g_autoptr(JsonArray) shop = tdm_fake_shopify_get_records (e2e->shop, TDM_KIND_CUSTOMER);
  g_autoptr(GHashTable) by_webshop_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (web->len, ==, n);
  g_assert_cmpuint (json_array_get_length (shop), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = json_array_get_object_element (shop, i);
      const char *webshop_id = e2e_json_path_string (s, "webshopId.value");

      g_assert_nonnull (webshop_id);
      g_assert_false (g_hash_table_contains (by_webshop_id, webshop_id));
      g_hash_table_insert (by_webshop_id, (gpointer) webshop_id, s);
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *w = g_ptr_array_index (web, i);
      const char *id = json_object_get_string_member (w, "id");
      const char *shopify_id = json_object_get_string_member_with_default (w, "shopify_id", NULL);
      JsonObject *twin = g_hash_table_lookup (by_webshop_id, id);
      g_autoptr(TdmLink) link = NULL;

      g_assert_nonnull (twin);
      g_assert_nonnull (shopify_id);
      g_assert_cmpstr (json_object_get_string_member (twin, "id"), ==, shopify_id);
      link = tdm_record_store_lookup_link (TDM_RECORD_STORE (e2e->store), TDM_KIND_CUSTOMER,
                                           TDM_SIDE_WEBSHOP, id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (link);
      g_assert_cmpstr (link->shopify_id, ==, shopify_id);
    }
}

/* A first load of 1,000 customers: one staged upload, one bulk mutation,
 * polls, and not one customerSet of its own; every customer linked and
 * committed as a single create is (link, marker, outbox op done); no
 * THROTTLED; the next run writes nothing. */
static void
test_first_load (void)
{
  E2E *e2e = big_run_new ();
  g_autoptr(GPtrArray) pending = NULL;
  TdmSyncCounts counts;

  seed_customers (e2e, N_CUSTOMERS, "kunde");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, N_CUSTOMERS);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "StagedUploadsCreate"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_get_staged_uploads (e2e->shop), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkPoll"), >=, 1);
  g_assert_cmpuint (tdm_fake_shopify_get_bulk_mutation_lines (e2e->shop), ==, N_CUSTOMERS);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "MetafieldsSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (e2e->shop), ==, 0);
  assert_all_linked (e2e, N_CUSTOMERS);
  pending = tdm_record_store_outbox_pending (TDM_RECORD_STORE (e2e->store), NULL);
  g_assert_cmpuint (pending->len, ==, 0);

  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created + counts.updated + counts.linked, ==, 0);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  e2e_free (e2e);
}

/* Three customers share another's phone number: Shopify refuses each in
 * its result line (TAKEN), and the error reaches that webshop record,
 * naming the field, as a single write's would; the others are linked. */
static void
test_record_errors (void)
{
  E2E *e2e = big_run_new ();
  g_autoptr(GPtrArray) web = NULL;
  g_autoptr(GHashTable) refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TdmSyncCounts counts;
  guint named = 0;

  seed_customers (e2e, 300, "feil");
  web = tdm_fake_webshop_get_records (e2e->web, TDM_KIND_CUSTOMER);
  for (guint i = 10; i < 300; i += 100)
    {
      JsonObject *w = g_ptr_array_index (web, i);
      JsonObject *before = g_ptr_array_index (web, i - 1);
      const char *id = json_object_get_string_member (w, "id");
      g_autofree char *json = g_strdup_printf ("{\"phone\": \"%s\"}",
                                               json_object_get_string_member (before, "phone"));

      e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, id, json);
      g_hash_table_add (refused, g_strdup (id));
    }

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerSet"), ==, 0);
  g_assert_cmpuint (counts.created, ==, 297);
  g_assert_cmpuint (counts.errors, ==, 3);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 297);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    {
      TdmRecordError *err = g_ptr_array_index (e2e->record_errors, i);

      g_assert_true (g_hash_table_contains (refused, err->record_id));
      g_assert_cmpint (err->side, ==, TDM_SIDE_WEBSHOP);
      g_assert_cmpstr (err->field, ==, "phone");
      g_assert_nonnull (err->message);
      named++;
    }
  g_assert_cmpuint (named, ==, 3);
  e2e_free (e2e);
}

/* Updates of many linked customers go in one bulk mutation too, by GID;
 * at the threshold itself a run writes one record at a time. */
static void
test_updates_and_threshold (void)
{
  E2E *e2e = big_run_new ();
  g_autoptr(GPtrArray) web = NULL;
  TdmSyncCounts counts;

  seed_customers (e2e, TDM_BATCH_MIN_WRITES + 1, "endre");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, TDM_BATCH_MIN_WRITES + 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 1);

  web = tdm_fake_webshop_get_records (e2e->web, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < web->len; i++)
    e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER,
                      json_object_get_string_member (g_ptr_array_index (web, i), "id"),
                      "{\"note\": \"Stamkunde\"}");
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, TDM_BATCH_MIN_WRITES + 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerSet"), ==, 0);
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER, "note", "Stamkunde"), ==,
                    TDM_BATCH_MIN_WRITES + 1);

  /* One fewer than that: one at a time. */
  for (guint i = 1; i < web->len; i++)
    e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER,
                      json_object_get_string_member (g_ptr_array_index (web, i), "id"),
                      "{\"note\": \"Fast kunde\"}");
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, TDM_BATCH_MIN_WRITES);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerSet"), ==,
                    TDM_BATCH_MIN_WRITES);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (e2e->shop), ==, 0);
  e2e_free (e2e);
}

/* Another app's bulk mutation is running: the run writes one record at a
 * time instead, and ends the same. */
static void
test_shop_busy (void)
{
  E2E *e2e = big_run_new ();
  TdmSyncCounts counts;

  tdm_fake_shopify_set_bulk_mutation_busy (e2e->shop, TRUE);
  seed_customers (e2e, 300, "opptatt");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, 300);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerSet"), ==, 300);
  assert_all_linked (e2e, 300);
  e2e_free (e2e);
}

/* ---- Timing (-m perf) ---- */

/* Wall time of a first load of `n` customers into an empty fake Shopify
 * at Standard limits (2,000 points, 100/s), one at a time or in bulk. */
static double
time_first_load (guint    n,
                 gboolean bulk,
                 double   time_scale)
{
  E2E *e2e = big_run_new ();
  TdmSyncCounts counts;
  gint64 start;
  double seconds;

  e2e_set_run_timeout (7200);
  tdm_fake_shopify_set_logging (e2e->shop, FALSE);
  tdm_fake_shopify_set_time_scale (e2e->shop, time_scale);
  if (!bulk)
    tdm_sync_engine_set_batch_threshold (e2e->engine, G_MAXUINT);
  seed_customers (e2e, n, "tid");
  start = g_get_monotonic_time ();
  e2e_run_ok (e2e, NULL, &counts);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (counts.created, ==, n);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, n);
  e2e_free (e2e);
  return seconds;
}

/* TDM_BULK_PERF_SIZES ("1000,10000") and TDM_BULK_PERF_SCALE (the
 * bucket's time scale, 1 = Shopify's own pace) choose what is timed. */
static void
test_perf (void)
{
  const char *scale_env = g_getenv ("TDM_BULK_PERF_SCALE");
  const char *sizes_env = g_getenv ("TDM_BULK_PERF_SIZES");
  double scale = scale_env != NULL ? g_ascii_strtod (scale_env, NULL) : 1;
  g_auto(GStrv) sizes = g_strsplit (sizes_env != NULL ? sizes_env : "1000,10000", ",", -1);

  if (!g_test_perf ())
    {
      g_test_skip ("timing only with -m perf");
      return;
    }
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (sizes[i], NULL, 10);
      double bulk = time_first_load (n, TRUE, scale);
      double alone = time_first_load (n, FALSE, scale);

      g_test_message ("first load of %u customers (bucket time scale %.0f): one at a time %.1f s, "
                      "bulk %.1f s", n, scale, alone, bulk);
      printf ("bench: bulk_first_load_%u_per_record = %.1f s (time scale %.0f)\n", n, alone, scale);
      printf ("bench: bulk_first_load_%u_bulk = %.1f s (time scale %.0f)\n", n, bulk, scale);
    }
}

/* ---- Killed during a bulk mutation ---- */

#define WEBSHOP_TOKEN  "bulk-crash-token-17"
#define CLIENT_ID      "bulk-crash-client"
#define CLIENT_SECRET  "bulk-crash-secret-23"

/* The child's webshop profile: the shipped one without its 10 requests a
 * second, which would only make these runs slow. */
static void
write_fast_profile (TdmTestWorld *w)
{
  g_autofree char *shipped = g_build_filename (g_getenv ("TANDEM_SOURCE_DIR"), "data", "profiles",
                                               "default.json", NULL);
  g_autofree char *dir = g_build_filename (w->dir, "config", "tandem", "profiles", NULL);
  g_autofree char *path = g_build_filename (dir, "fast.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) rate = g_regex_new ("\"requests_per_second\": *[0-9]+", 0, 0, NULL);
  g_autofree char *fast = NULL;

  g_file_get_contents (shipped, &text, NULL, &error);
  g_assert_no_error (error);
  fast = g_regex_replace_literal (rate, text, -1, 0, "\"requests_per_second\": 0", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, fast, -1, &error);
  g_assert_no_error (error);
  tdm_test_world_write_settings (w, "webshop-profile='fast'\n");
}

static TdmTestWorld *
crash_world_new (void)
{
  TdmTestWorld *w = tdm_test_world_new ("bulk-crash", WEBSHOP_TOKEN, CLIENT_ID, CLIENT_SECRET);

  write_fast_profile (w);
  /* The bucket restores 50 times faster: the rerun lists 1,000 customers. */
  tdm_fake_shopify_set_time_scale (w->shop, 50);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"krasj%05u@example.no\", \"first_name\": \"Åse\","
                                               " \"last_name\": \"Nett%u\", \"tags\": [\"web\"]}", i, i);
      g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER, json));
    }
  return w;
}

/* Runs `tandem --sync-now --confirm-large-run`, killed with SIGKILL as soon
 * as `when (w)` holds (NULL: never); TRUE when it was killed. */
#define run_child(w, when) \
  tdm_test_world_sync_now (w, WEBSHOP_TOKEN, CLIENT_SECRET, "--confirm-large-run", 0, when)

/* Shopify holds each webshop customer exactly once and each webshop
 * customer names its twin there. */
static void
assert_world_linked (TdmTestWorld *w)
{
  g_autoptr(GPtrArray) web = tdm_fake_webshop_get_records (w->web, TDM_KIND_CUSTOMER);
  g_autoptr(JsonArray) shop = tdm_fake_shopify_get_records (w->shop, TDM_KIND_CUSTOMER);
  g_autoptr(GHashTable) twins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_cmpuint (json_array_get_length (shop), ==, N_CUSTOMERS);
  for (guint i = 0; i < json_array_get_length (shop); i++)
    {
      JsonObject *s = json_array_get_object_element (shop, i);
      JsonObject *mf = json_object_get_object_member (s, "webshopId");
      const char *webshop_id = mf != NULL ? json_object_get_string_member (mf, "value") : NULL;

      g_assert_nonnull (webshop_id);
      g_assert_false (g_hash_table_contains (twins, webshop_id));
      g_hash_table_insert (twins, g_strdup (webshop_id),
                           g_strdup (json_object_get_string_member (s, "id")));
    }
  g_assert_cmpuint (web->len, ==, N_CUSTOMERS);
  for (guint i = 0; i < web->len; i++)
    {
      JsonObject *r = g_ptr_array_index (web, i);
      const char *id = json_object_get_string_member (r, "id");

      g_assert_cmpstr (json_object_get_string_member_with_default (r, "shopify_id", NULL), ==,
                       g_hash_table_lookup (twins, id));
    }
}

/* A run after the rerun writes nothing anywhere. */
static void
assert_converged (TdmTestWorld *w)
{
  GPtrArray *shop_log;
  GPtrArray *web_log;
  guint writes = 0;

  tdm_fake_shopify_clear_log (w->shop);
  tdm_fake_webshop_clear_log (w->web);
  g_assert_false (run_child (w, NULL));
  shop_log = tdm_fake_shopify_get_request_log (w->shop);
  for (guint i = 0; i < shop_log->len; i++)
    {
      TdmFakeShopifyRequest *req = g_ptr_array_index (shop_log, i);

      if (req->query != NULL && g_str_has_prefix (req->query, "mutation")
          && g_strcmp0 (req->operation, "MetafieldDefinitionCreate") != 0)
        writes++;
    }
  web_log = tdm_fake_webshop_get_request_log (w->web);
  for (guint i = 0; i < web_log->len; i++)
    if (g_strcmp0 (((TdmFakeRequest *) g_ptr_array_index (web_log, i))->method, "GET") != 0)
      writes++;
  g_assert_cmpuint (writes, ==, 0);
}

static gboolean
upload_arrived (gpointer data)
{
  TdmTestWorld *w = data;

  return tdm_fake_shopify_get_staged_uploads (w->shop) >= 1;
}

static gboolean
polled (gpointer data)
{
  TdmTestWorld *w = data;

  return tdm_fake_shopify_count_requests (w->shop, "BulkPoll") >= 1;
}

/* The result file is being read: its first half was sent a second ago
 * (and its records committed), the rest is held back. */
static gboolean
reading_results (gpointer data)
{
  TdmTestWorld *w = data;
  GPtrArray *log = tdm_fake_shopify_get_request_log (w->shop);
  static gint64 seen;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = g_ptr_array_index (log, i);

      if (req->operation == NULL && g_str_has_prefix (req->path, "/bulk/"))
        {
          if (seen == 0)
            seen = g_get_monotonic_time ();
          if (g_get_monotonic_time () - seen < G_USEC_PER_SEC)
            return FALSE;
          seen = 0;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
all_lines_ran (gpointer data)
{
  TdmTestWorld *w = data;

  return tdm_fake_shopify_get_bulk_mutation_lines (w->shop) >= N_CUSTOMERS;
}

/* Killed while the variables were being uploaded: nothing reached
 * Shopify; the rerun sends them again. */
static void
test_kill_during_upload (void)
{
  g_autoptr(TdmTestWorld) w = NULL;

  if (!tdm_test_have_tandem ())
    {
      g_test_skip ("the tandem executable is not built");
      return;
    }
  w = crash_world_new ();
  tdm_fake_shopify_stall_bulk (w->shop, TDM_FAKE_SHOPIFY_STALL_UPLOAD, 60000);
  g_assert_true (run_child (w, upload_arrived));
  g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER), ==, 0);
  tdm_fake_shopify_stall_bulk (w->shop, TDM_FAKE_SHOPIFY_STALL_UPLOAD, 0);
  g_assert_false (run_child (w, NULL));
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "BulkRunMutation"), ==, 1);
  assert_world_linked (w);
  assert_converged (w);
}

/* Killed while polling: Shopify made every customer; the rerun links them
 * (the pending creates of a batch are left to the planner) and makes none
 * twice. */
static void
test_kill_during_polling (void)
{
  g_autoptr(TdmTestWorld) w = NULL;

  if (!tdm_test_have_tandem ())
    {
      g_test_skip ("the tandem executable is not built");
      return;
    }
  w = crash_world_new ();
  tdm_fake_shopify_set_bulk_polls (w->shop, 3);
  g_assert_true (run_child (w, polled));
  /* Shopify goes on without Tandem: every line runs. */
  tdm_test_wait_until (all_lines_ran, w, 60, "the bulk mutation's lines");
  g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER), ==, N_CUSTOMERS);
  g_assert_false (run_child (w, NULL));
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "CustomerSet"), ==, 0);
  /* No lookup of each pending create, one request each (1,000 here). */
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "CustomerByIdentifier"), ==, 0);
  assert_world_linked (w);
  assert_converged (w);
}

/* Killed in the middle of the result file: the records read by then are
 * committed and linked; the rerun links the rest. */
static void
test_kill_during_results (void)
{
  g_autoptr(TdmTestWorld) w = NULL;
  g_autoptr(GPtrArray) web = NULL;
  guint linked = 0;

  if (!tdm_test_have_tandem ())
    {
      g_test_skip ("the tandem executable is not built");
      return;
    }
  w = crash_world_new ();
  tdm_fake_shopify_stall_bulk (w->shop, TDM_FAKE_SHOPIFY_STALL_RESULT, 60000);
  g_assert_true (run_child (w, reading_results));
  web = tdm_fake_webshop_get_records (w->web, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < web->len; i++)
    if (json_object_get_string_member_with_default (g_ptr_array_index (web, i), "shopify_id",
                                                    NULL) != NULL)
      linked++;
  g_test_message ("linked before the kill: %u of %u", linked, N_CUSTOMERS);
  g_assert_cmpuint (linked, >, 0);
  g_assert_cmpuint (linked, <, N_CUSTOMERS);
  tdm_fake_shopify_stall_bulk (w->shop, TDM_FAKE_SHOPIFY_STALL_RESULT, 0);
  g_assert_false (run_child (w, NULL));
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (w->shop, "CustomerSet"), ==, 0);
  assert_world_linked (w);
  assert_converged (w);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  e2e_set_run_timeout (300);

  g_test_add_func ("/engine/bulk/first-load", test_first_load);
  g_test_add_func ("/engine/bulk/record-errors", test_record_errors);
  g_test_add_func ("/engine/bulk/updates-and-threshold", test_updates_and_threshold);
  g_test_add_func ("/engine/bulk/shop-busy", test_shop_busy);
  g_test_add_func ("/engine/bulk/kill-during-upload", test_kill_during_upload);
  g_test_add_func ("/engine/bulk/kill-during-polling", test_kill_during_polling);
  g_test_add_func ("/engine/bulk/kill-during-results", test_kill_during_results);
  g_test_add_func ("/engine/bulk/perf", test_perf);
  return g_test_run ();
}
