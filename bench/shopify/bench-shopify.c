/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-bench-shopify"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include "tdm-fake-shopify.h"
#include "tdm-shopify-connector.h"

/* Pull N products and create M customers against the fake Shopify at a real
 * plan's limits (Standard: 2,000-point bucket, 100 points/s), and compare the
 * wall time with the floor the rate limit sets:
 *
 *   floor = (actual cost spent − the initial bucket) ÷ restore rate
 *
 * and with the floor the requested costs set (Σ requestedQueryCost ÷ restore
 * rate): what a client that reserved every request's requested cost and
 * never got any of it back would need.
 *
 * Options: --products N (5000), --customers N (2000), --bucket P (2000),
 * --rate R (100), --time-scale S (20; 1: real time, which takes about 15
 * minutes; S > 1 restores S× faster and reports S× the rate, so the ratios
 * stay comparable). */

static guint n_products = 5000;
static guint n_customers = 2000;
static double bucket = 2000;
static double rate = 100;
static double time_scale = 20;

static GOptionEntry entries[] = {
  { "products", 0, 0, G_OPTION_ARG_INT, &n_products, "Products to pull", "N" },
  { "customers", 0, 0, G_OPTION_ARG_INT, &n_customers, "Customers to create", "N" },
  { "bucket", 0, 0, G_OPTION_ARG_DOUBLE, &bucket, "Bucket size in points", "P" },
  { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Restore rate in points per second", "R" },
  { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &time_scale, "Run the bucket S times faster", "S" },
  { NULL }
};

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static TdmShopifyConnector *
make_connector (TdmFakeShopify *fake,
                TdmMapping     *mapping)
{
  g_autoptr(GError) error = NULL;
  TdmShopifyConnector *conn = tdm_shopify_connector_new (tdm_fake_shopify_get_url (fake), NULL,
                                                         TDM_SHOPIFY_AUTH_TOKEN, NULL, NULL, NULL,
                                                         mapping, &error);

  if (conn == NULL)
    g_error ("%s", error->message);
  tdm_shopify_connector_set_secret (conn, "shpat_fake_static_token");
  /* The paged path is what the rate limit governs; bulk exports are exempt. */
  tdm_shopify_connector_set_bulk_threshold (conn, 0);
  return conn;
}

typedef struct {
  double   seconds;
  double   floor;
  double   ratio;
  double   requested_floor;
  double   requested_ratio;
  guint    throttled;
  guint64  requests;
  double   actual;
  double   requested;
} Figures;

static void
measure_end (TdmFakeShopify *fake,
             gint64          start,
             guint64         requests_before,
             Figures        *fig)
{
  double effective_rate = rate * time_scale;

  fig->seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  fig->actual = tdm_fake_shopify_get_actual_cost (fake);
  fig->requested = tdm_fake_shopify_get_requested_cost (fake);
  fig->throttled = tdm_fake_shopify_get_throttled_count (fake);
  fig->requests = tdm_fake_shopify_get_request_total (fake) - requests_before;
  fig->floor = MAX (fig->actual - bucket, 0) / effective_rate;
  fig->ratio = fig->floor > 0 ? fig->seconds / fig->floor : 0;
  fig->requested_floor = fig->requested / effective_rate;
  fig->requested_ratio = fig->requested_floor > 0 ? fig->seconds / fig->requested_floor : 0;
}

static void
bench_pull (TdmMapping *mapping,
            Figures    *fig)
{
  g_autoptr(TdmFakeShopify) fake = tdm_fake_shopify_new ();
  g_autoptr(TdmShopifyConnector) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint64 requests_before;
  guint total = 0;
  gint64 start;

  if (!tdm_fake_shopify_start (fake, &error))
    g_error ("%s", error->message);
  tdm_fake_shopify_set_logging (fake, FALSE);
  for (guint i = 0; i < n_products; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"updatedAt\":\"2026-11-20T10:00:00Z\",\"title\":\"Product %u\",\"vendor\":\"Acme\","
        "\"variants\":{\"nodes\":[{\"sku\":\"P%u-S\",\"price\":\"199.00\",\"inventoryQuantity\":5,"
        "\"selectedOptions\":[{\"name\":\"Size\",\"value\":\"S\"}]},"
        "{\"sku\":\"P%u-M\",\"price\":\"199.00\",\"inventoryQuantity\":3,"
        "\"selectedOptions\":[{\"name\":\"Size\",\"value\":\"M\"}]}]}}", i, i, i);
      g_autoptr(JsonObject) node = tdm_json_object_from_string (json, NULL);
      g_autofree char *id = tdm_fake_shopify_seed (fake, TDM_KIND_PRODUCT, node);
    }
  tdm_fake_shopify_set_bucket (fake, bucket, rate);
  tdm_fake_shopify_set_time_scale (fake, time_scale);
  tdm_fake_shopify_reset_counters (fake);
  conn = make_connector (fake, mapping);

  requests_before = tdm_fake_shopify_get_request_total (fake);
  start = g_get_monotonic_time ();
  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TdmPage) page = NULL;

      tdm_connector_list_changed_async (TDM_CONNECTOR (conn), TDM_KIND_PRODUCT, NULL, cursor, NULL,
                                        on_done, &result);
      page = tdm_connector_list_changed_finish (TDM_CONNECTOR (conn), wait_for (&result), &error);
      if (page == NULL)
        g_error ("pull failed: %s", error->message);
      total += page->records->len;
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
    }
  while (cursor != NULL);
  measure_end (fake, start, requests_before, fig);
  if (total != n_products)
    g_error ("pulled %u products, expected %u", total, n_products);
}

static void
bench_create (TdmMapping *mapping,
              Figures    *fig)
{
  g_autoptr(TdmFakeShopify) fake = tdm_fake_shopify_new ();
  g_autoptr(TdmShopifyConnector) conn = NULL;
  g_autoptr(GError) error = NULL;
  guint64 requests_before;
  gint64 start;

  if (!tdm_fake_shopify_start (fake, &error))
    g_error ("%s", error->message);
  tdm_fake_shopify_set_logging (fake, FALSE);
  tdm_fake_shopify_set_bucket (fake, bucket, rate);
  tdm_fake_shopify_set_time_scale (fake, time_scale);
  conn = make_connector (fake, mapping);

  requests_before = tdm_fake_shopify_get_request_total (fake);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_customers; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\":\"bench%u@example.no\",\"first_name\":\"Bench\","
                                               "\"last_name\":\"Customer %u\",\"tags\":[\"bench\"],"
                                               "\"addresses\":[{\"city\":\"Oslo\",\"zip\":\"0150\","
                                               "\"country_code\":\"NO\"}]}", i, i);
      g_autofree char *twin = g_strdup_printf ("bench-%u", i);
      g_autoptr(JsonObject) fields = tdm_json_object_from_string (json, NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TdmWriteResult) res = NULL;

      tdm_connector_create_async (TDM_CONNECTOR (conn), TDM_KIND_CUSTOMER, fields, twin, twin, NULL,
                                  on_done, &result);
      res = tdm_connector_create_finish (TDM_CONNECTOR (conn), wait_for (&result), NULL,
                                         &error);
      if (res == NULL)
        g_error ("create %u failed: %s", i, error->message);
    }
  measure_end (fake, start, requests_before, fig);
  if (tdm_fake_shopify_count (fake, TDM_KIND_CUSTOMER) != n_customers)
    g_error ("created %u customers, expected %u", tdm_fake_shopify_count (fake, TDM_KIND_CUSTOMER),
             n_customers);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— Shopify connector against the rate limit");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = NULL;
  Figures pull = { 0 }, made = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  mapping = tdm_mapping_new_default ();

  printf ("Shopify connector vs. the rate limit (bucket %.0f points, %.0f points/s, time scale %.0f×)\n",
          bucket, rate, time_scale);
  bench_pull (mapping, &pull);
  bench_create (mapping, &made);

  printf ("%-28s %10s %10s %8s %9s %10s %10s %9s\n", "phase", "wall s", "floor s", "ratio",
          "requests", "requested", "actual", "THROTTLED");
  printf ("%-28s %10.1f %10.1f %8.3f %9" G_GUINT64_FORMAT " %10.0f %10.0f %9u\n",
          g_strdup_printf ("pull %u products", n_products), pull.seconds, pull.floor, pull.ratio,
          pull.requests, pull.requested, pull.actual, pull.throttled);
  printf ("%-28s %10.1f %10.1f %8.3f %9" G_GUINT64_FORMAT " %10.0f %10.0f %9u\n",
          g_strdup_printf ("create %u customers", n_customers), made.seconds, made.floor, made.ratio,
          made.requests, made.requested, made.actual, made.throttled);
  printf ("bench: shopify_pull_ratio = %.3f\n", pull.ratio);
  printf ("bench: shopify_create_ratio = %.3f\n", made.ratio);
  printf ("bench: shopify_pull_ratio_requested = %.3f\n", pull.requested_ratio);
  printf ("bench: shopify_create_ratio_requested = %.3f\n", made.requested_ratio);
  printf ("bench: shopify_throttled = %u\n", pull.throttled + made.throttled);
  printf ("bench: shopify_pull_seconds = %.1f s\n", pull.seconds);
  printf ("bench: shopify_create_seconds = %.1f s\n", made.seconds);
  return 0;
}
