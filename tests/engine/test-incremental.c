/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-incremental"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-shopify-client.h"

/* Runs that cost what changed (issue 16; docs/sync.md § Watermarks): after
 * a first sync of 1,000 customers, on the day of the sync and with the fake
 * Shopify's customer filter matching whole days, a run with nothing to do
 * and a run after three edits, counted in requests to both shops; Tandem's
 * own writes read back are not planned, a real edit in the same second is;
 * customer listing pages hold three addresses, the rest is read for the
 * customers that have more; order listing pages hold five line items, the
 * rest is read for the orders that have more.
 *
 * Runs are 15 minutes apart by the fake Shopify's clock (it runs an hour
 * behind real time, so no stamp is ever in Tandem's future). */

#define N_CUSTOMERS 1000
#define RUN_INTERVAL (15 * 60)

/* ---- Counting requests ---- */

static guint
webshop_requests (E2E *e2e)
{
  return tdm_fake_webshop_get_request_log (e2e->web)->len;
}

/* GraphQL requests (the token grant is not one). */
static guint
shopify_requests (E2E *e2e)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);

      if (r->query != NULL)
        n++;
    }
  return n;
}

static void
log_requests (E2E        *e2e,
              const char *run)
{
  GPtrArray *web = tdm_fake_webshop_get_request_log (e2e->web);
  GPtrArray *shop = tdm_fake_shopify_get_request_log (e2e->shop);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < web->len && i < 40; i++)
    {
      TdmFakeRequest *r = g_ptr_array_index (web, i);

      g_string_append_printf (line, " %s %s;", r->method, r->path);
    }
  for (guint i = 0; i < shop->len && i < 40; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (shop, i);

      g_string_append_printf (line, " %s;", r->operation);
    }
  g_test_message ("%s: %u webshop + %u Shopify requests:%s", run, webshop_requests (e2e),
                  shopify_requests (e2e), line->str);
}

/* One run, `minutes_later` by the fake Shopify's clock than the last. */
static TdmSyncCounts
run_later (E2E        *e2e,
           gint64     *clock,
           const char *name)
{
  TdmSyncRunOptions options = { .confirm_large_run = TRUE };
  TdmSyncCounts counts;

  *clock += RUN_INTERVAL;
  tdm_fake_shopify_set_clock_offset (e2e->shop, *clock);
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, &options, &counts);
  log_requests (e2e, name);
  return counts;
}

/* ---- 1,000 customers, synced on the day ---- */

typedef struct
{
  E2E       *e2e;
  gint64     clock;          /* the fake Shopify's clock offset, seconds */
  GPtrArray *webshop_ids;
} Synced;

static Synced synced;

static char *
seed_customer (E2E   *e2e,
               guint  n)
{
  g_autofree char *json = g_strdup_printf (
    "{\"email\": \"kunde%04u@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nordmann %u\","
    " \"phone\": \"+47%08u\", \"addresses\": [{\"address1\": \"Storgata %u\", \"city\": \"Oslo\","
    " \"zip\": \"0155\", \"country_code\": \"NO\"}]}", n, n, 40000000 + n, n % 200 + 1);

  return e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json);
}

/* A first sync of N_CUSTOMERS webshop customers into an empty Shopify, and
 * the run after it, which reads Tandem's own writes back once (they are
 * newer than any watermark) and writes nothing. Made once for the tests
 * that share it, in the order they are added. */
static Synced *
synced_shops (void)
{
  TdmSyncCounts counts;

  if (synced.e2e != NULL)
    return &synced;

  synced.e2e = e2e_new ();
  synced.clock = -3600 - RUN_INTERVAL;
  synced.webshop_ids = g_ptr_array_new_with_free_func (g_free);
  tdm_fake_shopify_set_time_scale (synced.e2e->shop, 1000);
  tdm_fake_shopify_set_clock_offset (synced.e2e->shop, synced.clock);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    g_ptr_array_add (synced.webshop_ids, seed_customer (synced.e2e, i));

  counts = run_later (synced.e2e, &synced.clock, "first sync");
  g_assert_cmpuint (counts.created, ==, N_CUSTOMERS);
  g_assert_cmpuint (counts.errors, ==, 0);

  counts = run_later (synced.e2e, &synced.clock, "the run after");
  g_assert_cmpuint (e2e_webshop_writes (synced.e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_record_writes (synced.e2e), ==, 0);
  /* The 1,000 read back on each side: ten webshop pages, Shopify pages of
   * about a hundred customers (three addresses each, not twenty). */
  g_assert_cmpuint (webshop_requests (synced.e2e) + shopify_requests (synced.e2e), <=, 40);
  return &synced;
}

static void
synced_free (void)
{
  if (synced.e2e != NULL)
    tdm_fake_shopify_set_clock_offset (synced.e2e->shop, 0);
  g_clear_pointer (&synced.e2e, e2e_free);
  g_clear_pointer (&synced.webshop_ids, g_ptr_array_unref);
}

/* Nothing changed: the run reads what the overlaps hold and writes nothing
 * (the old code read every customer touched that day again: 51 requests). */
static void
test_no_change_after_first_sync (void)
{
  Synced *s = synced_shops ();
  TdmSyncCounts counts;
  guint requests;

  counts = run_later (s->e2e, &s->clock, "no change");
  requests = webshop_requests (s->e2e) + shopify_requests (s->e2e);
  g_assert_cmpuint (requests, <=, 20);
  g_assert_cmpuint (e2e_webshop_writes (s->e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_record_writes (s->e2e), ==, 0);
  g_assert_cmpuint (counts.updated + counts.created + counts.errors, ==, 0);
  /* Shopify: one customers page, which ends the listing at once. */
  g_assert_cmpuint (tdm_fake_shopify_count_requests (s->e2e->shop, "CustomersChanged"), ==, 1);
}

/* Three edits, two in the webshop and one in Shopify: those three are
 * written, nothing else. */
static void
test_three_edits (void)
{
  Synced *s = synced_shops ();
  const char *web_a = g_ptr_array_index (s->webshop_ids, 17);
  const char *web_b = g_ptr_array_index (s->webshop_ids, 503);
  g_autoptr(JsonObject) shop_c = e2e_find_shopify (s->e2e, TDM_KIND_CUSTOMER,
                                                   "defaultEmailAddress.emailAddress",
                                                   "kunde0911@example.no");
  g_autoptr(JsonObject) shop_a = NULL;
  g_autoptr(JsonObject) shop_b = NULL;
  g_autoptr(JsonObject) web_c = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  TdmSyncCounts counts;
  guint requests;

  g_assert_nonnull (shop_c);
  /* Edited a while after the last run, in each shop's own admin. */
  s->clock += 60;
  tdm_fake_shopify_set_clock_offset (s->e2e->shop, s->clock);
  e2e_edit_webshop (s->e2e, TDM_KIND_CUSTOMER, web_a, "{\"first_name\": \"Kari Anne\"}");
  e2e_edit_webshop (s->e2e, TDM_KIND_CUSTOMER, web_b, "{\"note\": \"Ring før levering\"}");
  json_object_set_string_member (changes, "lastName", "Nordmann-Berg");
  g_assert_true (tdm_fake_shopify_edit (s->e2e->shop, TDM_KIND_CUSTOMER,
                                        e2e_json_path_string (shop_c, "id"), changes, NULL));
  s->clock -= 60;

  counts = run_later (s->e2e, &s->clock, "three edits");
  requests = webshop_requests (s->e2e) + shopify_requests (s->e2e);
  g_assert_cmpuint (requests, <=, 30);
  g_assert_cmpuint (counts.updated, ==, 3);
  g_assert_cmpuint (counts.created + counts.errors, ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (s->e2e), ==, 1);
  g_assert_cmpuint (e2e_shopify_record_writes (s->e2e), ==, 2);

  shop_a = e2e_find_shopify (s->e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                             "kunde0017@example.no");
  shop_b = e2e_find_shopify (s->e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                             "kunde0503@example.no");
  web_c = e2e_find_webshop (s->e2e, TDM_KIND_CUSTOMER, "email", "kunde0911@example.no");
  g_assert_cmpstr (e2e_json_path_string (shop_a, "firstName"), ==, "Kari Anne");
  g_assert_cmpstr (e2e_json_path_string (shop_b, "note"), ==, "Ring før levering");
  g_assert_cmpstr (e2e_json_path_string (web_c, "last_name"), ==, "Nordmann-Berg");
}

/* ---- Tandem's own writes ---- */

static guint plan_actions;

static void
on_plan_ready_cb (TdmSyncEngine *engine,
                  GPtrArray     *actions,
                  gpointer       user_data)
{
  TdmKind kind = GPOINTER_TO_UINT (user_data);

  for (guint i = 0; i < actions->len; i++)
    if (((TdmAction *) g_ptr_array_index (actions, i))->kind == kind)
      plan_actions++;
}

/* Right after a run that wrote 20 customers to Shopify (and their link
 * markers to the webshop), both listings hold them again: they are left
 * out before planning, so the plan holds nothing for them (the old code
 * planned 20 pairs that had not changed). */
static void
test_own_writes_not_planned (void)
{
  E2E *e2e = e2e_new ();
  TdmSyncRunOptions dry = { .dry_run = TRUE };
  TdmSyncCounts counts;
  gulong handler;

  for (guint i = 0; i < 20; i++)
    g_free (seed_customer (e2e, i));
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, 20);

  plan_actions = 0;
  handler = g_signal_connect (e2e->engine, "plan-ready", G_CALLBACK (on_plan_ready_cb),
                              GUINT_TO_POINTER (TDM_KIND_CUSTOMER));
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, &dry, &counts);
  /* Read back on both sides... */
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomersChanged"), >=, 1);
  /* ...and not planned, but still counted as unchanged, once a pair. */
  g_assert_cmpuint (plan_actions, ==, 0);
  g_assert_cmpuint (counts.unchanged, ==, 20);
  g_signal_handler_disconnect (e2e->engine, handler);
  e2e_free (e2e);
}

/* Tandem writes a customer to Shopify; in the same second someone edits it
 * there (same updatedAt, other content), and the webshop twin of another
 * customer Tandem just wrote changes too: both edits are synced. */
static void
test_same_second_edit (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *kari = seed_customer (e2e, 1);
  g_autofree char *ola = seed_customer (e2e, 2);
  g_autoptr(JsonObject) shop_kari = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) web_kari = NULL;
  g_autoptr(JsonObject) shop_ola = NULL;
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, 2);

  /* Tandem's own writes: Kari's and Ola's names to Shopify. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, kari, "{\"first_name\": \"Kari Tandem\"}");
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, ola, "{\"first_name\": \"Ola Tandem\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, 2);

  /* Kari edited in Shopify with the very updatedAt of Tandem's write. */
  shop_kari = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                "kunde0001@example.no");
  json_object_set_string_member (changes, "note", "Same second");
  g_assert_true (tdm_fake_shopify_edit (e2e->shop, TDM_KIND_CUSTOMER,
                                        e2e_json_path_string (shop_kari, "id"), changes,
                                        e2e_json_path_string (shop_kari, "updatedAt")));
  /* Ola's webshop record changed after Tandem wrote his Shopify twin. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, ola, "{\"last_name\": \"Hansen\"}");

  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, 2);
  web_kari = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "email", "kunde0001@example.no");
  shop_ola = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                               "kunde0002@example.no");
  g_assert_cmpstr (e2e_json_path_string (web_kari, "note"), ==, "Same second");
  g_assert_cmpstr (e2e_json_path_string (shop_ola, "lastName"), ==, "Hansen");
  g_assert_cmpstr (e2e_json_path_string (shop_ola, "firstName"), ==, "Ola Tandem");
  e2e_free (e2e);
}

/* ---- Listing pages ---- */

/* The selection between `open` and its matching brace, whitespace folded. */
static char *
selection_after (const char *document,
                 const char *open)
{
  const char *p = strstr (document, open);
  g_autoptr(GString) out = g_string_new (NULL);
  int depth = 0;

  g_assert_nonnull (p);
  p = strchr (p, '{');
  g_assert_nonnull (p);
  for (; *p != '\0'; p++)
    {
      if (*p == '{')
        depth++;
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
      if (*p == '}' && --depth == 0)
        break;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A customers page selects the customer read shape (fragment-customer),
 * field for field, with the first $addressesFirst addresses and whether
 * there are more: nothing the planner needs is left out, and a page costs
 * 9 points a customer, not 26. */
static void
test_list_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = tdm_shopify_client_get_document ("CustomersChanged", &error);
  g_autofree char *get = tdm_shopify_client_get_document ("CustomerGet", &error);
  g_autofree char *page = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) lean = NULL;
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert_no_error (error);
  page = selection_after (listing, "nodes");
  shape = selection_after (get, "fragment CustomerFields");
  lean = g_string_new (shape);
  g_assert_cmpint (g_string_replace (lean, "addressesV2(first: 20)",
                                     "addressesV2(first: $addressesFirst)", 0), ==, 1);
  g_assert_cmpint (g_string_replace (lean, "countryCodeV2 phone } }",
                                     "countryCodeV2 phone } pageInfo { hasNextPage } }", 0), ==, 1);
  expected = g_string_free (g_steal_pointer (&lean), FALSE);
  g_assert_cmpstr (page, ==, expected);

  json_object_set_int_member (vars, "first", 100);
  json_object_set_int_member (vars, "addressesFirst", 3);
  g_assert_cmpfloat (tdm_shopify_requested_cost_estimate (listing, vars), ==, 2 + 100 * 9);
}

/* A customer with five addresses, edited in Shopify: the listing page
 * holds three of them, and the customer is read whole before it is
 * planned, so the webshop gets all five; pages ask for three addresses. */
static void
test_more_addresses (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) web = NULL;
  TdmSyncCounts counts;
  GPtrArray *log;
  JsonArray *addresses;
  guint pages = 0;

  for (guint i = 0; i < 3; i++)
    g_free (seed_customer (e2e, i));
  id = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
    "{\"firstName\": \"Fem\", \"lastName\": \"Adresser\","
    " \"defaultEmailAddress\": {\"emailAddress\": \"fem@example.no\","
    " \"marketingState\": \"NOT_SUBSCRIBED\"}, \"addressesV2\": {\"nodes\": ["
    " {\"address1\": \"Gate 1\", \"city\": \"Oslo\", \"zip\": \"0150\", \"countryCodeV2\": \"NO\"},"
    " {\"address1\": \"Gate 2\", \"city\": \"Oslo\", \"zip\": \"0150\", \"countryCodeV2\": \"NO\"},"
    " {\"address1\": \"Gate 3\", \"city\": \"Oslo\", \"zip\": \"0150\", \"countryCodeV2\": \"NO\"},"
    " {\"address1\": \"Gate 4\", \"city\": \"Oslo\", \"zip\": \"0150\", \"countryCodeV2\": \"NO\"},"
    " {\"address1\": \"Gate 5\", \"city\": \"Bergen\", \"zip\": \"5003\", \"countryCodeV2\": \"NO\"}]}}");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, 4);
  web = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "email", "fem@example.no");
  g_assert_nonnull (web);
  addresses = json_object_get_array_member (web, "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (addresses, 4),
                                                  "city"), ==, "Bergen");

  /* Edited in Shopify: read again, whole. */
  e2e_edit_shopify (e2e, TDM_KIND_CUSTOMER, id, "{\"note\": \"Fem adresser\"}");
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_clear_pointer (&web, json_object_unref);
  web = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "email", "fem@example.no");
  g_assert_cmpstr (e2e_json_path_string (web, "note"), ==, "Fem adresser");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (web, "addresses")), ==, 5);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "CustomerGet"), >=, 1);

  log = tdm_fake_shopify_get_request_log (e2e->shop);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);
      g_autoptr(JsonNode) vars = NULL;
      JsonObject *v;

      if (g_strcmp0 (r->operation, "CustomersChanged") != 0)
        continue;
      vars = json_from_string (r->variables, NULL);
      v = json_node_get_object (vars);
      pages++;
      g_assert_cmpint (json_object_get_int_member (v, "addressesFirst"), ==, 3);
      g_assert_cmpfloat (r->requested_cost, <=, 2 + json_object_get_int_member (v, "first") * 9);
    }
  g_assert_cmpuint (pages, >=, 1);
  e2e_free (e2e);
}

/* ---- Orders: lean listing pages ---- */

/* An orders page selects the order read shape (fragment-order), field for
 * field (tax lines, shipping, discounts and totals included), with the first
 * $linesFirst line items and whether there are more: 104 points an order by
 * Shopify's rules, not 464 (a page of 9 asks for 2 + 9 × 104). */
static void
test_order_list_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = tdm_shopify_client_get_document ("OrdersChanged", &error);
  g_autofree char *get = tdm_shopify_client_get_document ("OrderGet", &error);
  g_autofree char *page = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) lean = NULL;
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert_no_error (error);
  page = selection_after (listing, "nodes");
  shape = selection_after (get, "fragment OrderFields");
  lean = g_string_new (shape);
  g_assert_cmpint (g_string_replace (lean, "lineItems(first: 50)", "lineItems(first: $linesFirst)",
                                     0), ==, 1);
  g_assert_cmpint (g_string_replace (lean, "taxLines { title rate priceSet { shopMoney { amount } } }"
                                     " } } shippingLines",
                                     "taxLines { title rate priceSet { shopMoney { amount } } }"
                                     " } pageInfo { hasNextPage } } shippingLines", 0), ==, 1);
  expected = g_string_free (g_steal_pointer (&lean), FALSE);
  g_assert_cmpstr (page, ==, expected);

  json_object_set_int_member (vars, "first", 9);
  json_object_set_int_member (vars, "linesFirst", 5);
  g_assert_cmpfloat (tdm_shopify_requested_cost_estimate (listing, vars), ==, 2 + 9 * 104);
}

/* An order placed in Shopify with `lines` line items (100.00 each, VAT
 * included), a shipping line and a discount code, its totals adding up. */
static char *
seed_shopify_order (E2E   *e2e,
                    guint  number,
                    guint  lines)
{
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append_printf (json,
    "{\"name\": \"#%u\", \"email\": \"ordre%u@example.no\", \"currencyCode\": \"NOK\","
    " \"processedAt\": \"2026-11-21T09:15:00Z\", \"displayFinancialStatus\": \"PAID\","
    " \"displayFulfillmentStatus\": \"UNFULFILLED\", \"taxesIncluded\": true, \"tags\": [],"
    " \"lineItems\": {\"nodes\": [", number, number);
  for (guint i = 0; i < lines; i++)
    g_string_append_printf (json,
      "%s{\"sku\": null, \"title\": \"Kopp %u\", \"quantity\": 1, \"variant\": null,"
      " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"100.0\", \"currencyCode\": \"NOK\"}},"
      " \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25, \"priceSet\": {\"shopMoney\": {\"amount\": \"20.0\"}}}]}",
      i > 0 ? ", " : "", i + 1);
  g_string_append_printf (json,
    "]}, \"shippingLines\": {\"nodes\": [{\"title\": \"Posten\","
    " \"originalPriceSet\": {\"shopMoney\": {\"amount\": \"50.0\"}},"
    " \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25, \"priceSet\": {\"shopMoney\": {\"amount\": \"10.0\"}}}]}]},"
    " \"discountApplications\": {\"nodes\": [{\"code\": \"HOST10\", \"value\": {\"amount\": \"10.0\"}}]},"
    " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"%u.0\"}},"
    " \"totalDiscountsSet\": {\"shopMoney\": {\"amount\": \"10.0\"}},"
    " \"totalShippingPriceSet\": {\"shopMoney\": {\"amount\": \"50.0\"}},"
    " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"%u.0\"}},"
    " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"%u.0\"}}}",
    lines * 100 - 10, lines * 20 + 10, lines * 100 - 10 + 50);
  return e2e_seed_shopify (e2e, TDM_KIND_ORDER, json->str);
}

/* The requests of `operation` for the record `id`. */
static guint
count_requests_for (E2E        *e2e,
                    const char *operation,
                    const char *id)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);
      g_autoptr(JsonNode) vars = NULL;

      if (g_strcmp0 (r->operation, operation) != 0 || r->variables == NULL)
        continue;
      vars = json_from_string (r->variables, NULL);
      if (vars != NULL && JSON_NODE_HOLDS_OBJECT (vars)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (vars),
                                                                    "id", NULL), id) == 0)
        n++;
    }
  return n;
}

/* 30 orders placed in Shopify (3 line items each) and one with 8: the
 * first sync lists them in at most 3 pages (2 a page before), each asking
 * for 5 line items an order, and reads the big order whole (OrderGet), so
 * the webshop gets its 8 lines, their tax lines and its discount code; the
 * next run writes nothing. */
static void
test_order_pages (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *big = NULL;
  g_autofree char *small = NULL;
  g_autoptr(JsonObject) web = NULL;
  JsonArray *lines;
  TdmSyncCounts counts;
  GPtrArray *log;
  guint pages = 0;

  small = seed_shopify_order (e2e, 2000, 3);
  for (guint i = 1; i < 30; i++)
    g_free (seed_shopify_order (e2e, 2000 + i, 3));
  big = seed_shopify_order (e2e, 2100, 8);

  e2e_run_ok (e2e, NULL, &counts);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    g_test_message ("record error: %s",
                    ((TdmRecordError *) e2e->record_errors->pdata[i])->message);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_ORDER), ==, 31);

  log = tdm_fake_shopify_get_request_log (e2e->shop);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);
      g_autoptr(JsonNode) vars = NULL;

      if (g_strcmp0 (r->operation, "OrdersChanged") != 0)
        continue;
      vars = json_from_string (r->variables, NULL);
      pages++;
      g_assert_cmpint (json_object_get_int_member_with_default (json_node_get_object (vars),
                                                                "linesFirst", 0), ==, 5);
    }
  log_requests (e2e, "first sync of 31 orders");
  g_test_message ("%u OrdersChanged pages", pages);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_cmpuint (pages, <=, 3);
  /* Read whole once more than an order the page held whole (the writes
   * may read each order back). */
  g_assert_cmpuint (count_requests_for (e2e, "OrderGet", big), ==,
                    count_requests_for (e2e, "OrderGet", small) + 1);

  web = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", big);
  g_assert_nonnull (web);
  lines = json_object_get_array_member (web, "line_items");
  g_assert_cmpuint (json_array_get_length (lines), ==, 8);
  g_assert_cmpstr (e2e_json_path_string (json_array_get_object_element (lines, 7), "title"), ==,
                   "Kopp 8");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (lines, 7), "tax_lines")), ==, 1);
  g_assert_cmpstr (e2e_json_path_string (json_array_get_object_element (
                     json_object_get_array_member (web, "discounts"), 0), "code"), ==, "HOST10");
  g_assert_cmpstr (e2e_json_path_string (web, "total_tax"), ==, "170.00");

  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e) + e2e_shopify_writes (e2e), ==, 0);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A first sync of 1,000 customers takes minutes under the sanitizers. */
  e2e_set_run_timeout (600);
  g_test_add_func ("/incremental/no-change-after-first-sync", test_no_change_after_first_sync);
  g_test_add_func ("/incremental/three-edits", test_three_edits);
  g_test_add_func ("/incremental/own-writes-not-planned", test_own_writes_not_planned);
  g_test_add_func ("/incremental/same-second-edit", test_same_second_edit);
  g_test_add_func ("/incremental/list-shape", test_list_shape);
  g_test_add_func ("/incremental/more-addresses", test_more_addresses);
  g_test_add_func ("/incremental/order-list-shape", test_order_list_shape);
  g_test_add_func ("/incremental/order-pages", test_order_pages);
  status = g_test_run ();
  synced_free ();
  return status;
}
