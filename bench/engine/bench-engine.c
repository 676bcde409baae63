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

/* Engine benchmarks (TESTING.md, issue "sync engine"):
 *  1. first sync of C customers, P products (2 variants each) and O orders
 *     into an empty fake Shopify at the Standard plan's rate limit: wall time
 *     ÷ the floor the rate limit allows, THROTTLED answers, peak memory;
 *  2. a run with nothing changed over N linked records: requests per side,
 *     CPU time;
 *  3. G Shopify products whose creates in the webshop all answer 409 naming a
 *     twin that does not exist (issue 13): wall time of the run at the real
 *     bucket speed, and the most re-reads (ProductGet) running at once.
 * The fake's bucket can run faster than real time (--time-scale): the ratio
 * to the floor does not depend on it. */

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

static guint
count_shopify_ops (E2E        *e2e,
                   gboolean    mutations)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);
      const char *q = r->query;

      if (q == NULL)
        continue;
      while (g_ascii_isspace (*q))
        q++;
      if (g_str_has_prefix (q, "mutation") == mutations)
        n++;
    }
  return n;
}

int
main (int   argc,
      char *argv[])
{
  guint customers = 2000, products = 500, orders = 1000, linked = 10000, ghosts = 24;
  double scale = 10.0;
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_INT, &customers, "Customers in the first sync", "N" },
    { "products", 0, 0, G_OPTION_ARG_INT, &products, "Products (2 variants each)", "N" },
    { "orders", 0, 0, G_OPTION_ARG_INT, &orders, "Orders", "N" },
    { "linked", 0, 0, G_OPTION_ARG_INT, &linked, "Linked customers for the no-change pass", "N" },
    { "ghosts", 0, 0, G_OPTION_ARG_INT, &ghosts, "Products answered 409 with a missing twin", "N" },
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Fake Shopify bucket speed-up (1 = real time)", "X" },
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

  /* 1. First sync at the Standard plan's limits. */
  {
    E2E *e2e = e2e_new ();
    TdmSyncCounts counts;
    TdmSyncRunOptions options = { .confirm_large_run = TRUE };
    double t0, wall, floor_s, cost;
    guint throttled;

    tdm_fake_shopify_set_bucket (e2e->shop, 2000, 100);
    tdm_fake_shopify_set_time_scale (e2e->shop, scale);
    seed (e2e, customers, products, orders);
    tdm_fake_shopify_reset_counters (e2e->shop);

    t0 = now_seconds ();
    if (!e2e_run (e2e, &options, &counts, &error))
      {
        g_printerr ("first sync failed: %s\n", error->message);
        return 1;
      }
    wall = now_seconds () - t0;
    cost = tdm_fake_shopify_get_actual_cost (e2e->shop);
    throttled = tdm_fake_shopify_get_throttled_count (e2e->shop);
    /* The floor: what the bucket lets through, beyond the full bucket at the start. */
    floor_s = MAX (0.0, cost - 2000.0) / (100.0 * scale);

    printf ("%-44s %12s\n", "first sync", "");
    printf ("  %-42s %12u\n", "customers / products / orders", customers + products + orders);
    printf ("  %-42s %12u\n", "created", counts.created);
    printf ("  %-42s %12u\n", "record errors", counts.errors);
    printf ("  %-42s %12.0f\n", "Shopify cost (points)", cost);
    printf ("  %-42s %12.2f\n", "wall time (s, time scale applied)", wall);
    printf ("  %-42s %12.2f\n", "rate-limit floor (s, same scale)", floor_s);
    printf ("  %-42s %12.3f\n", "wall ÷ floor", floor_s > 0 ? wall / floor_s : 0.0);
    printf ("  %-42s %12u\n", "THROTTLED answers", throttled);
    printf ("  %-42s %12.1f\n", "peak memory (MB)", peak_rss_kb () / 1024.0);
    printf ("bench: engine_first_sync_ratio = %.3f x\n", floor_s > 0 ? wall / floor_s : 0.0);
    printf ("bench: engine_first_sync_throttled = %u count\n", throttled);
    printf ("bench: engine_first_sync_peak_mb = %.1f MB\n", peak_rss_kb () / 1024.0);
    printf ("bench: engine_first_sync_wall_seconds = %.2f s (time scale %.0f)\n", wall, scale);
    e2e_free (e2e);
  }

  /* 2. Nothing changed over N linked records. */
  {
    E2E *e2e = e2e_new ();
    TdmSyncCounts counts;
    TdmSyncRunOptions options = { .confirm_large_run = TRUE };
    double cpu0, cpu;
    guint web_requests, shop_queries, shop_mutations;

    tdm_fake_shopify_set_time_scale (e2e->shop, 1000.0);
    seed (e2e, linked, 0, 0);
    if (!e2e_run (e2e, &options, &counts, &error))
      {
        g_printerr ("setup sync failed: %s\n", error->message);
        return 1;
      }
    e2e_clear_logs (e2e);
    cpu0 = cpu_seconds ();
    if (!e2e_run (e2e, NULL, &counts, &error))
      {
        g_printerr ("no-change sync failed: %s\n", error->message);
        return 1;
      }
    cpu = cpu_seconds () - cpu0;
    web_requests = tdm_fake_webshop_get_request_log (e2e->web)->len;
    shop_queries = count_shopify_ops (e2e, FALSE);
    shop_mutations = count_shopify_ops (e2e, TRUE);

    printf ("%-44s %12s\n", "no-change pass", "");
    printf ("  %-42s %12u\n", "linked customers", linked);
    printf ("  %-42s %12u\n", "webshop requests", web_requests);
    printf ("  %-42s %12u\n", "Shopify queries", shop_queries);
    printf ("  %-42s %12u\n", "Shopify mutations", shop_mutations);
    printf ("  %-42s %12.2f\n", "CPU time (s, whole process)", cpu);
    printf ("bench: engine_nochange_webshop_requests = %u requests\n", web_requests);
    printf ("bench: engine_nochange_shopify_requests = %u requests\n", shop_queries + shop_mutations);
    printf ("bench: engine_nochange_cpu_seconds = %.2f s\n", cpu);
    e2e_free (e2e);
  }

  /* 3. Re-reads after 409s naming a twin that does not exist, real time. */
  {
    E2E *e2e = e2e_new ();
    TdmShopifyClient *client = tdm_shopify_connector_get_client (TDM_SHOPIFY_CONNECTOR (e2e->shopify));
    TdmSyncCounts counts;
    TdmSyncRunOptions options = { .confirm_large_run = TRUE };
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
        return 1;
      }
    wall = now_seconds () - t0;
    most = tdm_shopify_client_get_most_in_flight (client, "ProductGet");

    printf ("%-44s %12s\n", "409 with a missing twin", "");
    printf ("  %-42s %12u\n", "products", ghosts);
    printf ("  %-42s %12u\n", "record errors", counts.errors);
    printf ("  %-42s %12u\n", "most re-reads at once", most);
    printf ("  %-42s %12.2f\n", "wall time (s, real time)", wall);
    printf ("bench: engine_ghost_twins_wall_seconds = %.2f s\n", wall);
    printf ("bench: engine_ghost_twins_reads_in_flight = %u count\n", most);
    e2e_free (e2e);
  }

  return 0;
}
