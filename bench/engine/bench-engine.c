/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-bench-engine"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "e2e-harness.h"
#include "tdm-shopify-client.h"
#include "tdm-shopify-connector.h"

/* Engine benchmarks (issue 16; docs/sync.md § Watermarks, docs/shopify.md §
 * Cost and throttling), each against both fakes at the Standard plan's
 * limits (2,000-point bucket, 100 points/s):
 *  1. the per-record path: a first sync of C customers, P products (2
 *     variants each) and O orders, fewer of each than a bulk write takes:
 *     wall time ÷ the floor the requested costs set (Σ requestedQueryCost
 *     ÷ 100 points/s), THROTTLED answers;
 *  2. a first sync of N customers (10,000) into an empty shop, in real time
 *     at the Standard plan's limits (the bulk path: one bulk mutation, which
 *     Shopify runs outside the per-request bucket): wall time against the
 *     per-record floor (N × CustomerSet's requested cost ÷ 100 points/s;
 *     the goal is at least 5 times faster), THROTTLED, peak memory;
 *  3. a run with nothing changed over L linked customers, L products and L
 *     orders, made as a shop sees it: the first sync, the run after it (15
 *     minutes later by the fake Shopify's clock; it reads Tandem's own
 *     writes back once) and the measured run 15 minutes after that:
 *     requests to both shops together, CPU seconds of the process;
 *  4. G Shopify products whose creates in the webshop all answer 409
 *     naming a twin that does not exist (issue 13): wall time at the real
 *     bucket speed, and the most re-reads (ProductGet) running at once.
 * The fake's bucket runs --time-scale times faster than real time (reported
 * as such, so Tandem paces to it): the ratios to the floors do not depend
 * on it, the wall times do. */

#define RUN_INTERVAL (15 * 60)

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static long
peak_rss_kb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* ---- Seeding the webshop ---- */

static void
seed (E2E   *e2e,
      guint  customers,
      guint  products,
      guint  orders)
{
  g_autoptr(GPtrArray) customer_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < customers; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"email\": \"kunde%05u@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nordmann %u\","
        " \"phone\": \"+47%08u\", \"tags\": [\"bench\"], \"accepts_email_marketing\": %s,"
        " \"addresses\": [{\"address1\": \"Storgata %u\", \"city\": \"Oslo\", \"zip\": \"0155\", \"country_code\": \"NO\"}]}",
        i, i, 40000000 + i, i % 2 ? "true" : "false", i % 200 + 1);
      g_ptr_array_add (customer_ids, e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json));
    }

  for (guint i = 0; i < products; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"title\": \"Genser %u\", \"status\": \"active\", \"vendor\": \"Bench\", \"product_type\": \"Klær\","
        " \"tags\": [], \"currency\": \"NOK\", \"variants\": ["
        "  {\"sku\": \"GEN-%05u-S\", \"options\": {\"Størrelse\": \"S\"}, \"price\": \"499.00\", \"inventory_quantity\": 3},"
        "  {\"sku\": \"GEN-%05u-M\", \"options\": {\"Størrelse\": \"M\"}, \"price\": \"499.00\", \"inventory_quantity\": 5}]}",
        i, i, i);
      g_free (e2e_seed_webshop (e2e, TDM_KIND_PRODUCT, json));
    }

  for (guint i = 0; i < orders; i++)
    {
      const char *customer = customers > 0 ? g_ptr_array_index (customer_ids, i % customers) : "";
      g_autofree char *json = g_strdup_printf (
        "{\"number\": \"B%05u\", \"customer_id\": \"%s\", \"email\": \"kunde%05u@example.no\","
        " \"currency\": \"NOK\", \"financial_status\": \"paid\", \"fulfillment_status\": \"unfulfilled\","
        " \"processed_at\": \"2026-11-20T10:00:00Z\", \"taxes_included\": true, \"tags\": [],"
        " \"line_items\": [{\"sku\": \"GEN-%05u-M\", \"title\": \"Genser\", \"quantity\": 1, \"unit_price\": \"499.00\"}],"
        " \"subtotal_price\": \"499.00\", \"total_tax\": \"99.80\", \"total_price\": \"499.00\"}",
        i, customer, customers > 0 ? i % customers : 0, products > 0 ? i % products : 0);
      g_free (e2e_seed_webshop (e2e, TDM_KIND_ORDER, json));
    }
}

/* ---- Counting ---- */

/* GraphQL requests in the fake's log (the token grant is not one). */
static guint
count_shopify_ops (E2E *e2e)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    if (((TdmFakeShopifyRequest *) g_ptr_array_index (log, i))->query != NULL)
      n++;
  return n;
}

static void
run_or_die (E2E                     *e2e,
            const TdmSyncRunOptions *options,
            TdmSyncCounts           *counts,
            const char              *what)
{
  g_autoptr(GError) error = NULL;

  if (!e2e_run (e2e, options, counts, &error))
    {
      g_printerr ("%s failed: %s\n", what, error->message);
      exit (1);
    }
  if (counts->errors > 0)
    {
      g_printerr ("%s: %u record errors\n", what, counts->errors);
      exit (1);
    }
}

/* ---- 1. The per-record path ---- */

static void
bench_per_record (guint  customers,
                  guint  products,
                  guint  orders,
                  double scale)
{
  E2E *e2e = e2e_new ();
  TdmSyncCounts counts;
  TdmSyncRunOptions options = { .confirm_large_run = TRUE };
  double t0, wall, floor_s, requested, actual, actual_floor;
  guint throttled;

  tdm_fake_shopify_set_bucket (e2e->shop, 2000, 100);
  tdm_fake_shopify_set_time_scale (e2e->shop, scale);
  tdm_fake_shopify_set_logging (e2e->shop, FALSE);
  seed (e2e, customers, products, orders);
  tdm_fake_shopify_reset_counters (e2e->shop);

  t0 = now_seconds ();
  run_or_die (e2e, &options, &counts, "per-record first sync");
  wall = now_seconds () - t0;
  requested = tdm_fake_shopify_get_requested_cost (e2e->shop);
  actual = tdm_fake_shopify_get_actual_cost (e2e->shop);
  throttled = tdm_fake_shopify_get_throttled_count (e2e->shop);
  floor_s = requested / (100.0 * scale);
  /* What the bucket lets through once each answer gives back what was
   * requested beyond the actual cost, past the full bucket at the start. */
  actual_floor = MAX (0.0, actual - 2000.0) / (100.0 * scale);

  printf ("%-44s\n", "per-record path (first sync)");
  printf ("  %-42s %12u\n", "customers + products + orders", customers + products + orders);
  printf ("  %-42s %12u\n", "created", counts.created);
  printf ("  %-42s %12.0f\n", "Shopify requested cost (points)", requested);
  printf ("  %-42s %12.0f\n", "Shopify actual cost (points)", actual);
  printf ("  %-42s %12.2f\n", "wall time (s, time scale applied)", wall);
  printf ("  %-42s %12.2f\n", "floor: Σ requested ÷ 100/s (s, same scale)", floor_s);
  printf ("  %-42s %12.3f\n", "wall ÷ floor", floor_s > 0 ? wall / floor_s : 0.0);
  printf ("  %-42s %12.2f\n", "floor: (Σ actual − bucket) ÷ 100/s (s)", actual_floor);
  printf ("  %-42s %12.3f\n", "wall ÷ that floor", actual_floor > 0 ? wall / actual_floor : 0.0);
  printf ("  %-42s %12u\n", "THROTTLED answers", throttled);
  printf ("bench: engine_per_record_ratio = %.3f x\n", floor_s > 0 ? wall / floor_s : 0.0);
  printf ("bench: engine_per_record_ratio_actual = %.3f x\n",
          actual_floor > 0 ? wall / actual_floor : 0.0);
  printf ("bench: engine_per_record_throttled = %u count\n", throttled);
  fflush (stdout);
  e2e_free (e2e);
}

/* ---- 2. A first sync of N customers ---- */

static void
bench_first_sync (guint  customers,
                  double scale)
{
  E2E *e2e = e2e_new ();
  TdmSyncCounts counts;
  TdmSyncRunOptions options = { .confirm_large_run = TRUE };
  g_autofree char *document = tdm_shopify_client_get_document ("CustomerSet", NULL);
  g_autoptr(JsonObject) no_vars = json_object_new ();
  double t0, wall, per_record, floor_s;
  guint throttled;

  tdm_fake_shopify_set_bucket (e2e->shop, 2000, 100);
  tdm_fake_shopify_set_time_scale (e2e->shop, scale);
  tdm_fake_shopify_set_logging (e2e->shop, FALSE);
  seed (e2e, customers, 0, 0);
  tdm_fake_shopify_reset_counters (e2e->shop);

  t0 = now_seconds ();
  run_or_die (e2e, &options, &counts, "first sync");
  wall = now_seconds () - t0;
  throttled = tdm_fake_shopify_get_throttled_count (e2e->shop);
  /* What one customer costs written one at a time, as Shopify requests it. */
  per_record = tdm_shopify_requested_cost_estimate (document, no_vars);
  floor_s = customers * per_record / (100.0 * scale);

  printf ("%-44s\n", "first sync of customers");
  printf ("  %-42s %12u\n", "customers", customers);
  printf ("  %-42s %12u\n", "created", counts.created);
  printf ("  %-42s %12.0f\n", "Shopify requested cost (points)",
          tdm_fake_shopify_get_requested_cost (e2e->shop));
  printf ("  %-42s %12.2f\n", "wall time (s, time scale applied)", wall);
  printf ("  %-42s %12.2f\n", "per-record floor (s, same scale)", floor_s);
  printf ("  %-42s %12.3f\n", "floor ÷ wall (times faster)", wall > 0 ? floor_s / wall : 0.0);
  printf ("  %-42s %12s\n", "goal: at least 5 times faster, 0 THROTTLED",
          wall > 0 && floor_s / wall >= 5 && throttled == 0 ? "met" : "NOT MET");
  printf ("  %-42s %12u\n", "THROTTLED answers", throttled);
  printf ("  %-42s %12.1f\n", "peak memory (MB)", peak_rss_kb () / 1024.0);
  printf ("bench: engine_first_sync_customers = %u count\n", customers);
  printf ("bench: engine_first_sync_floor_seconds = %.1f s (N x %.0f points / 100 points/s, time scale %.0f)\n",
          floor_s, per_record, scale);
  printf ("bench: engine_first_sync_speedup = %.3f x\n", wall > 0 ? floor_s / wall : 0.0);
  printf ("bench: engine_first_sync_throttled = %u count\n", throttled);
  printf ("bench: engine_first_sync_peak_mb = %.1f MB\n", peak_rss_kb () / 1024.0);
  printf ("bench: engine_first_sync_wall_seconds = %.2f s (time scale %.0f)\n", wall, scale);
  fflush (stdout);
  e2e_free (e2e);
}

/* ---- 3. Nothing changed ---- */

/* One run, RUN_INTERVAL later than the last by the fake Shopify's clock. */
static void
run_later (E2E           *e2e,
           gint64        *clock,
           TdmSyncCounts *counts,
           const char    *what)
{
  TdmSyncRunOptions options = { .confirm_large_run = TRUE };

  *clock += RUN_INTERVAL;
  tdm_fake_shopify_set_clock_offset (e2e->shop, *clock);
  run_or_die (e2e, &options, counts, what);
}

/* "2026-…Z", `seconds` after `base`. */
static char *
stamp_after (GDateTime *base,
             gint64     seconds)
{
  g_autoptr(GDateTime) t = g_date_time_add_seconds (base, (gdouble) seconds);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

/* L linked pairs of each kind as a shop has them long after their sync:
 * each record in both fakes naming its twin, one changed a second (the
 * newest an hour ago), the links in the store and both watermarks where a
 * complete run left them. Made directly: a first sync of 30,000 records
 * (10,000 orders created one at a time: orders are never written in bulk,
 * docs/shopify.md § Bulk mutations) would take far longer than this
 * benchmark may. */
static void
seed_linked (E2E   *e2e,
             guint  linked)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) base = g_date_time_add_seconds (now, -3600.0 - 3 * linked);
  g_autoptr(GError) error = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *listed = stamp_after (base, 3 * linked + 120);
  gint64 n = 0;

  if (!tdm_store_begin_batch (e2e->store, &error))
    g_error ("%s", error->message);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    for (guint i = 0; i < linked; i++)
      {
        g_autofree char *stamp = stamp_after (base, n++);
        g_autofree char *web = NULL;
        g_autofree char *shop = NULL;
        g_autofree char *wid = g_strdup_printf ("%u", 500000 + k * linked + i);
        g_autofree char *sid = NULL;
        g_autoptr(TdmLink) link = NULL;
        TdmCommit commit = { .run_id = 1, .kind = k };

        switch (k)
          {
          case TDM_KIND_CUSTOMER:
            shop = g_strdup_printf ("{\"updatedAt\": \"%s\", \"firstName\": \"Kari\","
                                    " \"lastName\": \"Nordmann %u\", \"defaultEmailAddress\":"
                                    " {\"emailAddress\": \"kunde%05u@example.no\"},"
                                    " \"webshopId\": {\"value\": \"%s\"}}", stamp, i, i, wid);
            break;
          case TDM_KIND_PRODUCT:
            shop = g_strdup_printf ("{\"updatedAt\": \"%s\", \"title\": \"Genser %u\","
                                    " \"status\": \"ACTIVE\", \"variants\": {\"nodes\": ["
                                    "{\"sku\": \"GEN-%05u-S\", \"price\": \"499.00\"},"
                                    " {\"sku\": \"GEN-%05u-M\", \"price\": \"499.00\"}]},"
                                    " \"webshopId\": {\"value\": \"%s\"}}", stamp, i, i, i, wid);
            break;
          case TDM_KIND_ORDER:
          default:
            shop = g_strdup_printf ("{\"updatedAt\": \"%s\", \"name\": \"#B%05u\","
                                    " \"webshopId\": {\"value\": \"%s\"}}", stamp, i, wid);
            break;
          }
        {
          g_autoptr(JsonObject) node = tdm_json_object_from_string (shop, NULL);

          sid = tdm_fake_shopify_seed (e2e->shop, k, node);
        }
        web = g_strdup_printf ("{\"id\": \"%s\", \"updated_at\": \"%s\", \"shopify_id\": \"%s\","
                               " \"email\": \"kunde%05u@example.no\", \"title\": \"Genser %u\","
                               " \"number\": \"B%05u\"}", wid, stamp, sid, i, i, i);
        g_free (e2e_seed_webshop (e2e, k, web));
        link = tdm_link_new (k, wid, sid);
        commit.link = link;
        if (!tdm_record_store_commit (TDM_RECORD_STORE (e2e->store), &commit, &error))
          g_error ("%s", error->message);
        g_free (newest);
        newest = g_steal_pointer (&stamp);
      }
  if (!tdm_store_end_batch (e2e->store, TRUE, &error))
    g_error ("%s", error->message);
  /* Where a complete run left them: the newest webshop record, and
   * Shopify's time of its listing. */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    if (!tdm_record_store_set_watermark (TDM_RECORD_STORE (e2e->store), TDM_SIDE_WEBSHOP, k,
                                         newest, &error)
        || !tdm_record_store_set_watermark (TDM_RECORD_STORE (e2e->store), TDM_SIDE_SHOPIFY, k,
                                            listed, &error))
      g_error ("%s", error->message);
}

static void
bench_no_change (guint linked,
                 guint synced)
{
  TdmSyncCounts counts;
  double cpu0, cpu, after_cpu = 0;
  guint web_requests, shop_requests, after_requests = 0;

  /* The run after a real first sync of `synced` of each kind: it reads
   * Tandem's own writes back once (they are newer than any watermark). */
  if (synced > 0)
    {
      E2E *e2e = e2e_new ();
      gint64 clock = -3600 - RUN_INTERVAL;

      tdm_fake_shopify_set_time_scale (e2e->shop, 1000.0);
      tdm_fake_shopify_set_logging (e2e->shop, FALSE);
      seed (e2e, synced, synced, synced);
      run_later (e2e, &clock, &counts, "setup sync");
      e2e_clear_logs (e2e);
      tdm_fake_shopify_set_logging (e2e->shop, TRUE);
      cpu0 = cpu_seconds ();
      run_later (e2e, &clock, &counts, "the run after the first sync");
      after_cpu = cpu_seconds () - cpu0;
      after_requests = tdm_fake_webshop_get_request_log (e2e->web)->len + count_shopify_ops (e2e);
      tdm_fake_shopify_set_clock_offset (e2e->shop, 0);
      e2e_free (e2e);
    }

  {
    E2E *e2e = e2e_new ();

    seed_linked (e2e, linked);
    e2e_clear_logs (e2e);
    cpu0 = cpu_seconds ();
    run_or_die (e2e, NULL, &counts, "no-change sync");
    cpu = cpu_seconds () - cpu0;
    web_requests = tdm_fake_webshop_get_request_log (e2e->web)->len;
    shop_requests = count_shopify_ops (e2e);
    e2e_free (e2e);
  }

  printf ("%-44s\n", "no-change run");
  if (synced > 0)
    {
      printf ("  %-42s %12u\n", "synced customers, products, orders (each)", synced);
      printf ("  %-42s %12u\n", "  requests of the run after the first sync", after_requests);
      printf ("  %-42s %12.2f\n", "  its CPU time (s)", after_cpu);
    }
  printf ("  %-42s %12u\n", "linked customers, products, orders (each)", linked);
  printf ("  %-42s %12u\n", "  webshop requests", web_requests);
  printf ("  %-42s %12u\n", "  Shopify requests", shop_requests);
  printf ("  %-42s %12u\n", "  writes", counts.created + counts.updated + counts.linked);
  printf ("  %-42s %12.2f\n", "  CPU time (s, whole process, fakes included)", cpu);
  printf ("bench: engine_nochange_requests = %u requests\n", web_requests + shop_requests);
  printf ("bench: engine_nochange_webshop_requests = %u requests\n", web_requests);
  printf ("bench: engine_nochange_shopify_requests = %u requests\n", shop_requests);
  printf ("bench: engine_nochange_cpu_seconds = %.2f s\n", cpu);
  if (synced > 0)
    {
      printf ("bench: engine_after_first_sync_requests = %u requests (%u of each kind)\n",
              after_requests, synced);
      printf ("bench: engine_after_first_sync_cpu_seconds = %.2f s\n", after_cpu);
    }
  fflush (stdout);
}

/* ---- 4. Re-reads after 409s naming a twin that does not exist ---- */

static void
bench_ghost_twins (guint ghosts)
{
  E2E *e2e = e2e_new ();
  TdmShopifyClient *client = tdm_shopify_connector_get_client (TDM_SHOPIFY_CONNECTOR (e2e->shopify));
  TdmSyncCounts counts;
  TdmSyncRunOptions options = { .confirm_large_run = TRUE };
  g_autoptr(GError) error = NULL;
  double t0, wall;
  guint most;

  tdm_fake_shopify_set_bucket (e2e->shop, 2000, 100);
  for (guint i = 0; i < ghosts; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"title\": \"Skål %u\", \"handle\": \"skal-%u\", \"status\": \"ACTIVE\", \"tags\": [],"
        " \"variants\": {\"nodes\": [{\"sku\": \"BOWL-%05u\", \"price\": \"59.00\","
        " \"inventoryQuantity\": 3, \"selectedOptions\": [{\"name\": \"Title\","
        " \"value\": \"Default Title\"}]}]}}", i, i, i);

      g_free (e2e_seed_shopify (e2e, TDM_KIND_PRODUCT, json));
    }
  tdm_fake_webshop_set_ghost_twin (e2e->web, TDM_KIND_PRODUCT, "999999");

  t0 = now_seconds ();
  if (!e2e_run (e2e, &options, &counts, &error))
    {
      g_printerr ("ghost-twin sync failed: %s\n", error->message);
      exit (1);
    }
  wall = now_seconds () - t0;
  most = tdm_shopify_client_get_most_in_flight (client, "ProductGet");

  printf ("%-44s\n", "409 with a missing twin");
  printf ("  %-42s %12u\n", "products", ghosts);
  printf ("  %-42s %12u\n", "record errors", counts.errors);
  printf ("  %-42s %12u\n", "most re-reads at once", most);
  printf ("  %-42s %12.2f\n", "wall time (s, real time)", wall);
  printf ("bench: engine_ghost_twins_wall_seconds = %.2f s\n", wall);
  printf ("bench: engine_ghost_twins_reads_in_flight = %u count\n", most);
  fflush (stdout);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  guint customers = 200, products = 100, orders = 100, first = 10000, linked = 10000, synced = 500;
  guint ghosts = 24;
  /* The first sync runs at Shopify's own pace: its bulk mutation does not
   * wait on the bucket, so real time costs no more than a minute. */
  double scale = 5.0, first_scale = 1.0;
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_INT, &customers, "Customers on the per-record path", "N" },
    { "products", 0, 0, G_OPTION_ARG_INT, &products, "Products (2 variants each) on the per-record path", "N" },
    { "orders", 0, 0, G_OPTION_ARG_INT, &orders, "Orders on the per-record path", "N" },
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Bucket speed-up on the per-record path (1 = real time)", "X" },
    { "first", 0, 0, G_OPTION_ARG_INT, &first, "Customers in the first sync", "N" },
    { "first-time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &first_scale, "Bucket speed-up of the first sync", "X" },
    { "linked", 0, 0, G_OPTION_ARG_INT, &linked, "Linked customers, products and orders (each) for the no-change run", "N" },
    { "synced", 0, 0, G_OPTION_ARG_INT, &synced, "Customers, products and orders (each) synced before the run after a first sync", "N" },
    { "ghosts", 0, 0, G_OPTION_ARG_INT, &ghosts, "Products answered 409 with a missing twin", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  e2e_set_run_timeout (3600);

  /* A count of 0 leaves that benchmark out. */
  if (customers + products + orders > 0)
    bench_per_record (customers, products, orders, scale);
  if (first > 0)
    bench_first_sync (first, first_scale);
  if (linked > 0)
    bench_no_change (linked, synced);
  if (ghosts > 0)
    bench_ghost_twins (ghosts);
  return 0;
}
