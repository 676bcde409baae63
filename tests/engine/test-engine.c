/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-engine"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"

/* End-to-end: the real engine, store and connectors against both fakes. */

#define WEB_KARI \
  "{\"email\": \"kari.nordmann@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nordmann\"," \
  " \"phone\": \"+4791234567\", \"accepts_email_marketing\": true, \"tags\": [\"vip\"]," \
  " \"note\": \"Fast kunde\", \"locale\": \"nb\"," \
  " \"addresses\": [{\"first_name\": \"Kari\", \"last_name\": \"Nordmann\", \"address1\": \"Storgata 1\"," \
  " \"city\": \"Oslo\", \"zip\": \"0155\", \"country_code\": \"NO\"}]}"

#define WEB_OYVIND \
  "{\"email\": \"oyvind.aero@example.no\", \"first_name\": \"Øyvind\", \"last_name\": \"Ærø\"," \
  " \"phone\": \"+4792345678\", \"accepts_email_marketing\": false, \"tags\": []}"

#define SHOP_OYVIND \
  "{\"firstName\": \"Øyvind\", \"lastName\": \"Ærø\"," \
  " \"defaultEmailAddress\": {\"emailAddress\": \"oyvind.aero@example.no\", \"marketingState\": \"NOT_SUBSCRIBED\"}," \
  " \"defaultPhoneNumber\": {\"phoneNumber\": \"+4792345678\"}, \"tags\": []}"

#define SHOP_SVEN \
  "{\"firstName\": \"Sven\", \"lastName\": \"Svensson\"," \
  " \"defaultEmailAddress\": {\"emailAddress\": \"sven@example.se\", \"marketingState\": \"SUBSCRIBED\"}," \
  " \"defaultPhoneNumber\": {\"phoneNumber\": \"+46701234567\"}, \"tags\": [\"se\"]," \
  " \"addressesV2\": {\"nodes\": [{\"firstName\": \"Sven\", \"lastName\": \"Svensson\"," \
  " \"address1\": \"Drottninggatan 5\", \"city\": \"Stockholm\", \"zip\": \"111 51\", \"countryCodeV2\": \"SE\"}]}}"

#define WEB_MUG \
  "{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"description_html\": \"<p>Steintøy</p>\"," \
  " \"vendor\": \"Tandem Demo\", \"product_type\": \"Kopper\", \"status\": \"active\", \"tags\": [\"kjøkken\"]," \
  " \"price\": \"149.00\", \"currency\": \"NOK\", \"inventory_quantity\": 12}"

#define SHOP_PLATE \
  "{\"title\": \"Tallerken\", \"handle\": \"tallerken\", \"descriptionHtml\": \"<p>Porselen</p>\"," \
  " \"vendor\": \"Tandem Demo\", \"productType\": \"Tallerkener\", \"status\": \"ACTIVE\", \"tags\": []," \
  " \"variants\": {\"nodes\": [{\"sku\": \"PLATE-001\", \"price\": \"99.00\", \"inventoryQuantity\": 4," \
  " \"selectedOptions\": [{\"name\": \"Title\", \"value\": \"Default Title\"}]}]}}"

static void
dump_writes (E2E *e2e)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (e2e->shop);
  GPtrArray *wlog = tdm_fake_webshop_get_request_log (e2e->web);

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *r = g_ptr_array_index (log, i);
      if (r->query != NULL && strstr (r->query, "mutation") != NULL)
        g_test_message ("shopify write: %s %s", r->operation, r->variables);
    }
  for (guint i = 0; i < wlog->len; i++)
    {
      TdmFakeRequest *r = g_ptr_array_index (wlog, i);
      if (!g_str_equal (r->method, "GET"))
        g_test_message ("webshop write: %s %s %s", r->method, r->path, r->body ? r->body : "");
    }
}

/* ---- Four customers: Kari in the webshop, Øyvind in both, Sven in Shopify ---- */

typedef struct {
  E2E  *e2e;
  char *kari;          /* webshop id */
  char *oyvind_web;    /* webshop id */
  char *oyvind_shop;   /* Shopify id */
  char *sven;          /* Shopify id */
} Seeded;

static void
seeded_set_up (Seeded        *s,
               gconstpointer  data)
{
  s->e2e = e2e_new ();
  s->kari = e2e_seed_webshop (s->e2e, TDM_KIND_CUSTOMER, WEB_KARI);
  s->oyvind_web = e2e_seed_webshop (s->e2e, TDM_KIND_CUSTOMER, WEB_OYVIND);
  s->oyvind_shop = e2e_seed_shopify (s->e2e, TDM_KIND_CUSTOMER, SHOP_OYVIND);
  s->sven = e2e_seed_shopify (s->e2e, TDM_KIND_CUSTOMER, SHOP_SVEN);
}

static void
seeded_tear_down (Seeded        *s,
                  gconstpointer  data)
{
  e2e_free (s->e2e);
  g_free (s->kari);
  g_free (s->oyvind_web);
  g_free (s->oyvind_shop);
  g_free (s->sven);
}

#define add_seeded(path, data, func) \
  g_test_add (path, Seeded, data, seeded_set_up, func, seeded_tear_down)

static void
test_first_sync_customers (Seeded        *s,
                           gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(JsonObject) kari_shop = NULL;
  g_autoptr(JsonObject) sven_web = NULL;
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);

  /* Kari is created in Shopify, Sven in the webshop, Øyvind is linked. */
  g_assert_cmpuint (counts.created, ==, 2);
  g_assert_cmpuint (counts.linked, ==, 1);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_CUSTOMER), ==, 3);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 3);
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                          "oyvind.aero@example.no"), ==, 1);

  kari_shop = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                "kari.nordmann@example.no");
  g_assert_nonnull (kari_shop);
  g_assert_cmpstr (e2e_json_path_string (kari_shop, "firstName"), ==, "Kari");
  g_assert_cmpstr (e2e_json_path_string (kari_shop, "defaultPhoneNumber.phoneNumber"), ==, "+4791234567");
  /* The webshop id travels as the app's custom id on the Shopify record. */
  g_assert_cmpstr (e2e_json_path_string (kari_shop, "webshopId.value"), ==, s->kari);

  sven_web = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "email", "sven@example.se");
  g_assert_nonnull (sven_web);
  g_assert_cmpstr (e2e_json_path_string (sven_web, "last_name"), ==, "Svensson");
  g_assert_cmpstr (e2e_json_path_string (sven_web, "shopify_id"), ==, s->sven);
}

static void
test_fixed_point (Seeded        *s,
                  gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autofree char *mug = NULL, *plate = NULL;
  TdmSyncCounts counts;

  mug = e2e_seed_webshop (e2e, TDM_KIND_PRODUCT, WEB_MUG);
  plate = e2e_seed_shopify (e2e, TDM_KIND_PRODUCT, SHOP_PLATE);

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);

  /* A converged run is a fixed point: the next run writes nothing anywhere. */
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  dump_writes (e2e);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_writes (e2e), ==, 0);
  g_assert_cmpuint (counts.created + counts.updated + counts.linked, ==, 0);

  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_PRODUCT), ==, 2);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_PRODUCT), ==, 2);
}

static void
test_edits_propagate_and_merge (Seeded        *s,
                                gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(JsonObject) shop_rec = NULL;
  g_autoptr(JsonObject) web_rec = NULL;
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);

  /* Different fields of one pair edited on both sides merge. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, s->oyvind_web, "{\"note\": \"Ringer før levering\"}");
  e2e_edit_shopify (e2e, TDM_KIND_CUSTOMER, s->oyvind_shop, "{\"lastName\": \"Ærø-Hansen\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.conflicts, ==, 0);

  shop_rec = tdm_fake_shopify_get_record (e2e->shop, TDM_KIND_CUSTOMER, s->oyvind_shop);
  web_rec = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, s->oyvind_web);
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "note"), ==, "Ringer før levering");
  g_assert_cmpstr (e2e_json_path_string (web_rec, "last_name"), ==, "Ærø-Hansen");

  e2e_assert_next_run_writes_nothing (e2e);
}

/* One field changed differently on both sides under a conflict policy:
 * what each side holds after the run, and how many conflicts wait. */
typedef struct {
  const char        *path;
  TdmConflictPolicy  policy;
  const char        *expect_web;
  const char        *expect_shop;
  guint              expect_conflicts;
} ConflictCase;

static const ConflictCase conflict_cases[] = {
  { "/engine/conflict/newest-wins", TDM_POLICY_NEWEST_WINS, "Öyvind", "Öyvind", 0 },
  { "/engine/conflict/webshop-wins", TDM_POLICY_WEBSHOP_WINS, "Øyvin", "Øyvin", 0 },
  { "/engine/conflict/shopify-wins", TDM_POLICY_SHOPIFY_WINS, "Öyvind", "Öyvind", 0 },
  { "/engine/conflict/ask", TDM_POLICY_ASK, "Øyvin", "Öyvind", 1 },
};

static void
test_conflict (Seeded        *s,
               gconstpointer  data)
{
  const ConflictCase *c = data;
  E2E *e2e = s->e2e;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) shop_rec = NULL;
  g_autoptr(JsonObject) web_rec = NULL;
  TdmSyncCounts counts;

  e2e_set_policy (e2e, c->policy, TDM_POLICY_WEBSHOP_WINS);
  e2e_run_ok (e2e, NULL, &counts);

  /* The same field, changed differently: the webshop edit first, then the
   * Shopify one a little later. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, s->oyvind_web, "{\"first_name\": \"Øyvin\"}");
  {
    /* Shopify's edit is the newer one, whatever the two clocks say. */
    g_autoptr(JsonObject) w = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, s->oyvind_web);
    g_autoptr(GDateTime) web_time = g_date_time_new_from_iso8601 (e2e_json_path_string (w, "updated_at"), NULL);
    g_autoptr(GDateTime) later = g_date_time_add_seconds (web_time, 5);
    g_autofree char *stamp = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
    g_autoptr(JsonObject) change = json_object_new ();

    json_object_set_string_member (change, "firstName", "Öyvind");
    g_assert_true (tdm_fake_shopify_edit (e2e->shop, TDM_KIND_CUSTOMER, s->oyvind_shop, change, stamp));
  }
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.conflicts, ==, c->expect_conflicts);

  shop_rec = tdm_fake_shopify_get_record (e2e->shop, TDM_KIND_CUSTOMER, s->oyvind_shop);
  web_rec = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, s->oyvind_web);
  g_assert_cmpstr (e2e_json_path_string (web_rec, "first_name"), ==, c->expect_web);
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "firstName"), ==, c->expect_shop);

  if (c->policy == TDM_POLICY_ASK)
    {
      g_autoptr(GPtrArray) pending = NULL;

      pending = tdm_record_store_list_conflicts (TDM_RECORD_STORE (e2e->store), TDM_KIND_CUSTOMER,
                                                 s->oyvind_web, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (pending->len, ==, 1);

      /* Nothing is written while the conflict waits; a second run keeps it. */
      e2e_assert_next_run_writes_nothing (e2e);

      /* The user picks the Shopify value; the next run writes it. */
      g_assert_true (tdm_record_store_resolve_conflict (TDM_RECORD_STORE (e2e->store),
                                                        TDM_KIND_CUSTOMER, s->oyvind_web,
                                                        "first_name", TDM_SIDE_SHOPIFY, &error));
      /* Applied even though neither record changed (and long after the
       * overlap window: the watermarks are moved far ahead). */
      for (guint s = 0; s < TDM_N_SIDES; s++)
        tdm_record_store_set_watermark (TDM_RECORD_STORE (e2e->store), s, TDM_KIND_CUSTOMER,
                                        "2099-01-01T00:00:00Z", NULL);
      e2e_run_ok (e2e, NULL, &counts);
      g_clear_pointer (&web_rec, json_object_unref);
      web_rec = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, s->oyvind_web);
      g_assert_cmpstr (e2e_json_path_string (web_rec, "first_name"), ==, "Öyvind");
    }
}

static void
test_first_link_ask (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *web = NULL, *shop = NULL;
  g_autoptr(JsonObject) web_rec = NULL;
  g_autoptr(JsonObject) shop_rec = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  TdmSyncCounts counts;

  e2e_set_policy (e2e, TDM_POLICY_NEWEST_WINS, TDM_POLICY_ASK);
  web = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, WEB_OYVIND);
  shop = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                           "{\"firstName\": \"Öyvind\", \"lastName\": \"Ærø\","
                           " \"defaultEmailAddress\": {\"emailAddress\": \"oyvind.aero@example.no\"},"
                           " \"defaultPhoneNumber\": {\"phoneNumber\": \"+4792345678\"}}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.linked, ==, 1);
  g_assert_cmpuint (counts.conflicts, ==, 1);

  /* Linked, but the differing first name waits for the owner's choice. */
  pending = tdm_record_store_list_conflicts (TDM_RECORD_STORE (e2e->store), TDM_KIND_CUSTOMER,
                                             web, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pending->len; i++)
    {
      TdmFieldConflict *c = g_ptr_array_index (pending, i);
      g_autofree char *a = c->webshop_value ? tdm_json_canonical_string (c->webshop_value) : g_strdup ("(empty)");
      g_autofree char *b = c->shopify_value ? tdm_json_canonical_string (c->shopify_value) : g_strdup ("(empty)");
      g_test_message ("pending conflict: %s web=%s shop=%s", c->field, a, b);
    }
  g_assert_cmpuint (pending->len, ==, 1);
  web_rec = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, web);
  shop_rec = tdm_fake_shopify_get_record (e2e->shop, TDM_KIND_CUSTOMER, shop);
  g_assert_cmpstr (e2e_json_path_string (web_rec, "first_name"), ==, "Øyvind");
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "firstName"), ==, "Öyvind");
  e2e_free (e2e);
}

static void
test_bad_record_does_not_block (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *good = NULL, *bad = NULL;
  TdmSyncCounts counts;
  gboolean named_email = FALSE;

  good = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, WEB_KARI);
  bad = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                          "{\"email\": \"ola@@example\", \"first_name\": \"Ola\", \"last_name\": \"Feil\"}");
  e2e_run_ok (e2e, NULL, &counts);

  g_assert_cmpuint (counts.errors, >=, 1);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 1);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    {
      TdmRecordError *err = g_ptr_array_index (e2e->record_errors, i);

      if (g_strcmp0 (err->record_id, bad) == 0 && err->field != NULL &&
          strstr (err->field, "email") != NULL)
        named_email = TRUE;
    }
  g_assert_true (named_email);
  e2e_free (e2e);
}

static void
test_dry_run_writes_nothing (Seeded        *s,
                             gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  TdmSyncRunOptions options = { .dry_run = TRUE };
  TdmSyncCounts counts;

  e2e_run_ok (e2e, &options, &counts);
  g_assert_cmpuint (counts.created, ==, 2);
  g_assert_cmpuint (counts.linked, ==, 1);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_writes (e2e), ==, 0);
  links = tdm_record_store_list_links (TDM_RECORD_STORE (e2e->store), TDM_KIND_CUSTOMER, &error);
  g_assert_cmpuint (links->len, ==, 0);
}

static void
test_circuit_breaker (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(GError) error = NULL;
  TdmSyncRunOptions confirm = { .confirm_large_run = TRUE };
  TdmSyncCounts counts;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"kunde%u@example.no\", "
                                               "\"first_name\": \"Kunde\", \"last_name\": \"%u\"}", i, i);
      g_autofree char *id = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json);
    }
  tdm_sync_engine_set_breaker_threshold (e2e->engine, 5);

  g_assert_false (e2e_run (e2e, NULL, &counts, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 0);
  g_assert_cmpuint (tdm_sync_engine_get_state (e2e->engine), ==, TDM_ENGINE_WAITING_CONFIRMATION);
  g_assert_nonnull (tdm_sync_engine_get_stopped_plan (e2e->engine));
  g_clear_error (&error);

  e2e_run_ok (e2e, &confirm, &counts);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 6);
  e2e_free (e2e);
}

static void
test_ambiguous_match_waits_for_review (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *w = NULL;
  TdmSyncCounts counts;

  a = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                        "{\"firstName\": \"Per\", \"lastName\": \"A\", \"defaultPhoneNumber\": {\"phoneNumber\": \"+4793333333\"}}");
  b = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                        "{\"firstName\": \"Per\", \"lastName\": \"B\", \"defaultPhoneNumber\": {\"phoneNumber\": \"+4793333333\"}}");
  w = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                        "{\"email\": \"per@example.no\", \"first_name\": \"Per\", \"last_name\": \"C\", \"phone\": \"93 33 33 33\"}");

  tdm_sync_engine_set_options (e2e->engine, TDM_KIND_CUSTOMER,
                               &(TdmPlanOptions) { TDM_POLICY_NEWEST_WINS, TDM_POLICY_WEBSHOP_WINS,
                                                   TDM_DELETE_KEEP, TDM_DIRECTION_TO_SHOPIFY });
  e2e_run_ok (e2e, NULL, &counts);
  /* The webshop customer and both candidates wait in the review list. */
  g_assert_cmpuint (counts.review, >=, 1);
  g_assert_cmpuint (counts.created, ==, 0);
  g_assert_cmpuint (counts.linked, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);

  /* The owner decides neither candidate is the twin: create it. Shopify
   * keeps phone numbers unique, so here the create is refused — with a
   * message naming the phone, and nothing else written. */
  {
    TdmSyncRunOptions create = { .only_id = w, .only_kind = TDM_KIND_CUSTOMER,
                                 .only_side = TDM_SIDE_WEBSHOP, .only_create = TRUE };
    gboolean named_phone = FALSE;

    e2e_run_ok (e2e, &create, &counts);
    g_assert_cmpuint (counts.review, ==, 0);
    g_assert_cmpuint (counts.errors, ==, 1);
    for (guint i = 0; i < e2e->record_errors->len; i++)
      {
        TdmRecordError *err = g_ptr_array_index (e2e->record_errors, i);

        named_phone |= g_strcmp0 (err->record_id, w) == 0 && err->field != NULL &&
                       strstr (err->field, "phone") != NULL;
      }
    g_assert_true (named_phone);
    g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);
  }

  /* The blocking Shopify customers get other numbers; "Retry all failed" tries the
   * record again although it did not change, and this time it is created. */
  {
    TdmSyncRunOptions retry = { .retry_failed = TRUE };

    e2e_edit_shopify (e2e, TDM_KIND_CUSTOMER, a, "{\"defaultPhoneNumber\": {\"phoneNumber\": \"+4794444441\"}}");
    e2e_edit_shopify (e2e, TDM_KIND_CUSTOMER, b, "{\"defaultPhoneNumber\": {\"phoneNumber\": \"+4794444442\"}}");
    /* A normal run does not retry a record whose version already failed. */
    g_assert_true (e2e_run (e2e, NULL, &counts, &error));
    g_assert_cmpuint (counts.created, ==, 0);
    e2e_run_ok (e2e, &retry, &counts);
    g_assert_cmpuint (counts.created, ==, 1);
    {
      g_autoptr(JsonObject) per = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER,
                                                    "defaultEmailAddress.emailAddress",
                                                    "per@example.no");

      g_assert_nonnull (per);
    }
  }
  e2e_free (e2e);
}

static void
test_orders_follow_customers_and_products (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *kari = NULL, *mug = NULL, *order = NULL, *json = NULL;
  g_autoptr(JsonObject) shop_order = NULL;
  TdmSyncCounts counts;

  kari = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, WEB_KARI);
  mug = e2e_seed_webshop (e2e, TDM_KIND_PRODUCT, WEB_MUG);
  json = g_strdup_printf ("{\"number\": \"1001\", \"customer_id\": \"%s\", \"email\": \"kari.nordmann@example.no\","
                          " \"currency\": \"NOK\", \"financial_status\": \"paid\", \"fulfillment_status\": \"unfulfilled\","
                          " \"processed_at\": \"2026-11-20T10:00:00Z\", \"taxes_included\": true,"
                          " \"line_items\": [{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 2, \"unit_price\": \"149.00\"},"
                          "                  {\"sku\": \"GIFT-WRAP\", \"title\": \"Gaveinnpakning\", \"quantity\": 1, \"unit_price\": \"29.00\"}],"
                          " \"shipping_lines\": [{\"title\": \"Posten\", \"price\": \"79.00\"}],"
                          " \"subtotal_price\": \"327.00\", \"total_tax\": \"65.40\", \"total_price\": \"406.00\","
                          " \"shipping_address\": {\"first_name\": \"Kari\", \"last_name\": \"Nordmann\", \"address1\": \"Storgata 1\","
                          " \"city\": \"Oslo\", \"zip\": \"0155\", \"country_code\": \"NO\"}, \"tags\": []}", kari);
  order = e2e_seed_webshop (e2e, TDM_KIND_ORDER, json);

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_ORDER), ==, 1);

  shop_order = e2e_find_shopify (e2e, TDM_KIND_ORDER, "sourceIdentifier", order);
  g_assert_nonnull (shop_order);
  g_assert_cmpstr (e2e_json_path_string (shop_order, "name"), ==, "1001");
  g_assert_nonnull (e2e_json_path_string (shop_order, "customer.id"));

  /* Status moves forward on Shopify and comes back to the webshop. */
  e2e_edit_shopify (e2e, TDM_KIND_ORDER, e2e_json_path_string (shop_order, "id"),
                    "{\"displayFulfillmentStatus\": \"FULFILLED\"}");
  e2e_run_ok (e2e, NULL, &counts);
  {
    g_autoptr(JsonObject) web_order = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_ORDER, order);
    g_assert_cmpstr (e2e_json_path_string (web_order, "fulfillment_status"), ==, "fulfilled");
  }

  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

static void
test_order_born_in_shopify (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *sven = NULL, *order = NULL, *json = NULL;
  g_autoptr(JsonObject) web_order = NULL;
  g_autoptr(JsonObject) web_sven = NULL;
  TdmSyncCounts counts;

  sven = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER, SHOP_SVEN);
  json = g_strdup_printf ("{\"name\": \"#2001\", \"email\": \"sven@example.se\", \"currencyCode\": \"NOK\","
                          " \"processedAt\": \"2026-11-21T09:15:00Z\", \"displayFinancialStatus\": \"PAID\","
                          " \"displayFulfillmentStatus\": \"UNFULFILLED\", \"taxesIncluded\": true,"
                          " \"customer\": {\"id\": \"%s\"}, \"tags\": [],"
                          " \"lineItems\": {\"nodes\": [{\"sku\": \"PLATE-001\", \"title\": \"Tallerken\", \"quantity\": 3,"
                          "   \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"99.00\", \"currencyCode\": \"NOK\"}}}]},"
                          " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"297.00\"}},"
                          " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"59.40\"}},"
                          " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"297.00\"}}}", sven);
  order = e2e_seed_shopify (e2e, TDM_KIND_ORDER, json);

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_ORDER), ==, 1);

  /* The webshop gets the whole order, with its customer linked first. */
  web_order = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", order);
  g_assert_nonnull (web_order);
  g_assert_cmpstr (e2e_json_path_string (web_order, "currency"), ==, "NOK");
  g_assert_cmpstr (e2e_json_path_string (web_order, "financial_status"), ==, "paid");
  g_assert_cmpstr (e2e_json_path_string (web_order, "total_price"), ==, "297.00");
  g_assert_cmpstr (e2e_json_path_string (web_order, "number"), ==, "2001");
  g_assert_nonnull (e2e_json_path_string (web_order, "customer_id"));
  web_sven = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "email", "sven@example.se");
  g_assert_nonnull (web_sven);

  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

static void
test_reconcile_finds_deletions (Seeded        *s,
                                gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) still_there = NULL;
  TdmSyncRunOptions reconcile = { .reconcile = TRUE };
  TdmSyncCounts counts;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"fyll%u@example.no\", \"first_name\": \"Fyll\","
                                               " \"last_name\": \"%u\"}", i, i);
      g_free (e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json));
    }
  e2e_run_ok (e2e, NULL, &counts);

  /* Shopify has no deletion feed for customers: an incremental run cannot
   * see this delete; the reconciliation pass does, and (policy keep) marks
   * the pair orphaned instead of deleting anything in the webshop. */
  g_assert_true (tdm_fake_shopify_delete (e2e->shop, TDM_KIND_CUSTOMER, s->oyvind_shop));
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_cmpuint (counts.orphaned, ==, 0);

  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, &reconcile, &counts);
  g_assert_cmpuint (counts.orphaned, ==, 1);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  still_there = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, s->oyvind_web);
  g_assert_nonnull (still_there);
  /* …and nothing was recreated in Shopify. */
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                          "oyvind.aero@example.no"), ==, 0);
}

static void
test_sync_one_record (Seeded        *s,
                      gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(JsonObject) shop_rec = NULL;
  TdmSyncRunOptions one = { .only_id = NULL, .only_kind = TDM_KIND_CUSTOMER, .only_side = TDM_SIDE_WEBSHOP };
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);

  /* Two records change; syncing one of them writes only that one. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, s->oyvind_web, "{\"note\": \"Bare denne\"}");
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, s->kari, "{\"note\": \"Ikke denne\"}");
  e2e_clear_logs (e2e);
  one.only_id = s->oyvind_web;
  e2e_run_ok (e2e, &one, &counts);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 1);
  shop_rec = tdm_fake_shopify_get_record (e2e->shop, TDM_KIND_CUSTOMER, s->oyvind_shop);
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "note"), ==, "Bare denne");

  /* The other change is still picked up by the next normal run. */
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, 1);
}

/* TRUE when a record error of `id` named `field` since the last clear. */
static gboolean
record_error_names (E2E        *e2e,
                    const char *id,
                    const char *field)
{
  for (guint i = 0; i < e2e->record_errors->len; i++)
    {
      TdmRecordError *err = g_ptr_array_index (e2e->record_errors, i);

      if (g_strcmp0 (err->record_id, id) == 0 && g_strcmp0 (err->field, field) == 0)
        return TRUE;
    }
  return FALSE;
}

/* "Retry" / "Sync this record" reads the record alone and checks it as a
 * listing does: a webshop customer with the phone "123" stays a record
 * error naming the phone, and nothing is written to Shopify, neither a new
 * customer without the phone nor an update that drops it. */
static void
test_sync_one_record_checks_values (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *kari = NULL, *bad = NULL, *per = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStoreError) stored = NULL;
  g_autoptr(TdmLink) link = NULL;
  g_autoptr(JsonObject) shop_rec = NULL;
  TdmSyncRunOptions one = { .only_kind = TDM_KIND_CUSTOMER, .only_side = TDM_SIDE_WEBSHOP };
  TdmSyncCounts counts;

  kari = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, WEB_KARI);
  bad = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                          "{\"email\": \"solvi@example.no\", \"first_name\": \"S\u00f8lvi\","
                          " \"last_name\": \"\u00d8deg\u00e5rd\", \"phone\": \"123\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_true (record_error_names (e2e, bad, "phone"));
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 1);

  /* Retry the unlinked one: still in error, no customer created. */
  e2e_clear_logs (e2e);
  one.only_id = bad;
  e2e_run_ok (e2e, &one, &counts);
  g_assert_cmpuint (counts.errors, ==, 1);
  g_assert_cmpuint (counts.created, ==, 0);
  g_assert_true (record_error_names (e2e, bad, "phone"));
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 1);
  stored = tdm_store_get_record_error (e2e->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, bad, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->field, ==, "phone");

  /* A linked customer whose phone turns unusable: its retry writes nothing
   * either, and Shopify keeps the phone it had. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, kari, "{\"phone\": \"123\", \"note\": \"Ny\"}");
  link = tdm_record_store_lookup_link (TDM_RECORD_STORE (e2e->store), TDM_KIND_CUSTOMER,
                                       TDM_SIDE_WEBSHOP, kari, NULL);
  g_assert_nonnull (link);
  e2e_clear_logs (e2e);
  one.only_id = kari;
  e2e_run_ok (e2e, &one, &counts);
  g_assert_cmpuint (counts.errors, ==, 1);
  g_assert_cmpuint (counts.updated, ==, 0);
  g_assert_true (record_error_names (e2e, kari, "phone"));
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  shop_rec = tdm_fake_shopify_get_record (e2e->shop, TDM_KIND_CUSTOMER,
                                          tdm_link_get_id (link, TDM_SIDE_SHOPIFY));
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "defaultPhoneNumber.phoneNumber"), ==,
                   "+4791234567");
  g_assert_cmpstr (e2e_json_path_string (shop_rec, "note"), ==, "Fast kunde");

  /* The same from Shopify's side: nothing is created in the webshop. */
  per = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                          "{\"firstName\": \"Per\", \"lastName\": \"Feil\","
                          " \"defaultPhoneNumber\": {\"phoneNumber\": \"123\"}}");
  e2e_clear_logs (e2e);
  one.only_id = per;
  one.only_side = TDM_SIDE_SHOPIFY;
  e2e_run_ok (e2e, &one, &counts);
  g_assert_cmpuint (counts.errors, ==, 1);
  g_assert_cmpuint (counts.created, ==, 0);
  g_assert_true (record_error_names (e2e, per, "phone"));
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  e2e_free (e2e);
}

static void
test_faults_then_converge (Seeded        *s,
                           gconstpointer  data)
{
  E2E *e2e = s->e2e;
  g_autoptr(GError) error = NULL;
  TdmSyncCounts counts;
  gboolean ok;

  /* A 503 and a reset on the webshop, a lost answer on Shopify. */
  tdm_fake_webshop_inject_fault (e2e->web, 0, TDM_FAKE_FAULT_503, 0, 1);
  tdm_fake_webshop_inject_fault (e2e->web, 2, TDM_FAKE_FAULT_RESET, 0, 1);
  tdm_fake_shopify_inject_fault (e2e->shop, 3, TDM_FAKE_SHOPIFY_FAULT_RESET);

  ok = e2e_run (e2e, NULL, &counts, &error);
  if (!ok)
    {
      /* A clean failure is allowed; the next run must converge. */
      g_test_message ("first run failed cleanly: %s", error->message);
      g_clear_error (&error);
    }
  e2e_run_ok (e2e, NULL, &counts);

  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_CUSTOMER), ==, 3);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 3);
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                          "kari.nordmann@example.no"), ==, 1);
  g_assert_cmpuint (e2e_count_webshop_by (e2e, TDM_KIND_CUSTOMER, "email", "sven@example.se"), ==, 1);

  e2e_assert_next_run_writes_nothing (e2e);
}

/* ---- The engine's enum properties (issue 14) ---- */

static void
assert_nicks (GType        type,
              guint        n_values,
              const char *(*to_string) (int value))
{
  GEnumClass *klass = g_type_class_ref (type);

  g_assert_cmpuint (klass->n_values, ==, n_values);
  for (guint v = 0; v < n_values; v++)
    g_assert_cmpstr (g_enum_get_value (klass, v)->value_nick, ==, to_string (v));
  g_type_class_unref (klass);
}

static void
test_properties_are_enums (void)
{
  E2E *e2e = e2e_new ();
  GObjectClass *klass = G_OBJECT_GET_CLASS (e2e->engine);
  const struct { const char *name; GType type; } enums[] = {
    { "state", TDM_TYPE_ENGINE_STATE },
    { "phase", TDM_TYPE_SYNC_PHASE },
    { "kind", TDM_TYPE_KIND },
  };
  TdmEngineState state = TDM_ENGINE_RUNNING;
  TdmSyncPhase phase = TDM_PHASE_PREPARING;
  TdmKind kind = TDM_N_KINDS;
  TdmSyncCounts counts;

  for (guint i = 0; i < G_N_ELEMENTS (enums); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, enums[i].name);

      g_assert_nonnull (pspec);
      g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
      g_assert_true (pspec->value_type == enums[i].type);
    }

  /* The registered nicks are the names used everywhere else. */
  assert_nicks (TDM_TYPE_SIDE, TDM_N_SIDES, (const char *(*) (int)) tdm_side_to_string);
  assert_nicks (TDM_TYPE_KIND, TDM_N_KINDS, (const char *(*) (int)) tdm_kind_to_string);
  assert_nicks (TDM_TYPE_DIRECTION, 4, (const char *(*) (int)) tdm_direction_to_string);
  assert_nicks (TDM_TYPE_CONFLICT_POLICY, 4, (const char *(*) (int)) tdm_conflict_policy_to_string);
  assert_nicks (TDM_TYPE_DELETE_POLICY, 2, (const char *(*) (int)) tdm_delete_policy_to_string);

  e2e_run_ok (e2e, NULL, &counts);
  g_object_get (e2e->engine, "state", &state, "phase", &phase, "kind", &kind, NULL);
  g_assert_cmpint (state, ==, TDM_ENGINE_IDLE);
  g_assert_cmpint (phase, ==, TDM_PHASE_DONE);
  g_assert_cmpint (kind, ==, tdm_sync_engine_get_kind (e2e->engine));
  e2e_free (e2e);
}

/* ---- A link marker that cannot be written (issue 13, item 6) ---- */

/* Customers moved to another path on the webshop: a request to the old
 * one is answered 404 "No such endpoint". */
#define MOVED_PROFILE \
  "{\"version\": 1, \"name\": \"moved\", \"resources\": {\"customers\": {\"path\": \"clients\"," \
  " \"deleted\": {\"available\": true, \"path\": \"clients/deleted\"}}}}"

/* Answers the first PUT to `path` with a 404 (for that one request the
 * fake serves the moved profile); every other request is served as usual. */
typedef struct
{
  TdmWebshopProfile *moved;
  const char        *path;
  gboolean           moved_now;
  guint              puts;
} MarkerHook;

static void
marker_404_hook_cb (TdmFakeWebshop *web,
                    const char     *method,
                    const char     *path,
                    gpointer        user_data)
{
  MarkerHook *hook = user_data;

  if (hook->moved_now)
    {
      tdm_fake_webshop_set_profile (web, NULL);
      hook->moved_now = FALSE;
    }
  if (g_str_equal (method, "PUT") && g_strcmp0 (path, hook->path) == 0 && hook->puts++ == 0)
    {
      tdm_fake_webshop_set_profile (web, hook->moved);
      hook->moved_now = TRUE;
    }
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *value)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_marker_write_fails (void)
{
  E2E *e2e = e2e_new ();
  TdmRecordStore *store = TDM_RECORD_STORE (e2e->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *kari = NULL;
  g_autofree char *oyvind = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) kari_shop = NULL;
  g_autoptr(JsonObject) kari_web = NULL;
  g_autoptr(TdmLink) link = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *shop_id = NULL;
  MarkerHook hook = { 0 };
  TdmRecordError *err;
  TdmSyncCounts counts;

  /* Kari was last edited long ago; Øyvind just now, so the watermark a
   * completed run leaves is far past Kari's time. */
  kari = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                           "{\"email\": \"kari.nordmann@example.no\", \"first_name\": \"Kari\","
                           " \"last_name\": \"Nordmann\", \"updated_at\": \"2025-01-06T09:00:00Z\"}");
  oyvind = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, WEB_OYVIND);
  hook.moved = tdm_webshop_profile_new_from_data (MOVED_PROFILE, -1, "moved.json", &error);
  g_assert_no_error (error);
  path = g_strconcat ("/customers/", kari, NULL);
  hook.path = path;
  tdm_fake_webshop_set_request_hook (e2e->web, marker_404_hook_cb, &hook);

  /* Kari is created in Shopify; writing its id back into the webshop
   * record (the link marker) is answered 404. */
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (hook.puts, ==, 1);
  g_assert_cmpuint (counts.created, ==, 2);
  g_assert_cmpuint (counts.errors, ==, 1);

  kari_shop = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "webshopId.value", kari);
  g_assert_nonnull (kari_shop);
  shop_id = g_strdup (e2e_json_path_string (kari_shop, "id"));
  g_assert_nonnull (shop_id);

  /* The error is on Kari's webshop record, names the marker's field and
   * keeps the webshop's message. */
  g_assert_cmpuint (e2e->record_errors->len, ==, 1);
  err = g_ptr_array_index (e2e->record_errors, 0);
  g_assert_cmpint (err->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpint (err->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpstr (err->record_id, ==, kari);
  g_assert_cmpstr (err->field, ==, "shopify_id");
  g_assert_nonnull (strstr (err->message, shop_id));
  g_assert_nonnull (strstr (err->message, "HTTP 404"));
  failed = tdm_record_store_list_failed (store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, NULL);
  g_assert_true (ptr_array_has_string (failed, kari));
  g_clear_pointer (&failed, g_ptr_array_unref);

  /* The twin exists, so the pair stays linked. */
  link = tdm_record_store_lookup_link (store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, kari, NULL);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->shopify_id, ==, shop_id);
  kari_web = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, kari);
  g_assert_null (e2e_json_path_string (kari_web, "shopify_id"));
  g_clear_pointer (&kari_web, json_object_unref);

  /* The next run writes the marker (the path works again), clears the
   * error and creates nothing. */
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (hook.puts, ==, 2);
  g_assert_cmpuint (counts.created, ==, 0);
  g_assert_cmpuint (counts.errors, ==, 0);
  kari_web = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, kari);
  g_assert_cmpstr (e2e_json_path_string (kari_web, "shopify_id"), ==, shop_id);
  failed = tdm_record_store_list_failed (store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, NULL);
  g_assert_false (ptr_array_has_string (failed, kari));
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER, "webshopId.value", kari), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);

  /* And then there is nothing left to write. */
  e2e_assert_next_run_writes_nothing (e2e);

  tdm_fake_webshop_set_request_hook (e2e->web, NULL, NULL);
  tdm_webshop_profile_unref (hook.moved);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_seeded ("/engine/first-sync/customers", NULL, test_first_sync_customers);
  add_seeded ("/engine/fixed-point", NULL, test_fixed_point);
  add_seeded ("/engine/edits/propagate-and-merge", NULL, test_edits_propagate_and_merge);
  for (guint i = 0; i < G_N_ELEMENTS (conflict_cases); i++)
    add_seeded (conflict_cases[i].path, &conflict_cases[i], test_conflict);
  g_test_add_func ("/engine/conflict/first-link-ask", test_first_link_ask);
  g_test_add_func ("/engine/bad-record", test_bad_record_does_not_block);
  add_seeded ("/engine/dry-run", NULL, test_dry_run_writes_nothing);
  g_test_add_func ("/engine/circuit-breaker", test_circuit_breaker);
  g_test_add_func ("/engine/ambiguous-match", test_ambiguous_match_waits_for_review);
  g_test_add_func ("/engine/orders", test_orders_follow_customers_and_products);
  g_test_add_func ("/engine/orders/born-in-shopify", test_order_born_in_shopify);
  add_seeded ("/engine/reconcile", NULL, test_reconcile_finds_deletions);
  add_seeded ("/engine/sync-one-record", NULL, test_sync_one_record);
  g_test_add_func ("/engine/sync-one-record/checks-values", test_sync_one_record_checks_values);
  add_seeded ("/engine/faults", NULL, test_faults_then_converge);
  g_test_add_func ("/engine/properties/enums", test_properties_are_enums);
  g_test_add_func ("/engine/marker/write-fails", test_marker_write_fails);

  return g_test_run ();
}
