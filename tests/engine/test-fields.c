/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-fields"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-record.h"

/* A write never loses what it did not change: an edit of one field on one
 * side leaves every other field of the other side's stored record as it
 * was (docs/sync.md; docs/webshop-api.md, Updating records: ETags). */

#define WEB_SWEATER \
  "{\"sku\": \"TDM-1009\", \"title\": \"Genser\", \"description_html\": \"<p>Ull</p>\"," \
  " \"vendor\": \"Tandem Demo\", \"product_type\": \"Gensere\", \"status\": \"active\"," \
  " \"tags\": [\"ull\"], \"currency\": \"NOK\"," \
  " \"variants\": [" \
  "  {\"sku\": \"TDM-1009-S\", \"title\": \"S\", \"options\": {\"Størrelse\": \"S\"}," \
  "   \"price\": \"499.00\", \"inventory_quantity\": 1, \"barcode\": \"7040000000011\"}," \
  "  {\"sku\": \"TDM-1009-M\", \"title\": \"M\", \"options\": {\"Størrelse\": \"M\"}," \
  "   \"price\": \"499.00\", \"inventory_quantity\": 15, \"barcode\": \"7040000000012\"}," \
  "  {\"sku\": \"TDM-1009-L\", \"title\": \"L\", \"options\": {\"Størrelse\": \"L\"}," \
  "   \"price\": \"499.00\", \"inventory_quantity\": 8, \"barcode\": \"7040000000013\"}]}"

/* Members a write may change besides the edit: the record's version. */
static const char * const volatile_members[] = { "updated_at", "etag", "version", NULL };

static void
drop_volatile (JsonObject *record)
{
  for (guint i = 0; volatile_members[i] != NULL; i++)
    if (json_object_has_member (record, volatile_members[i]))
      json_object_remove_member (record, volatile_members[i]);
}

static gboolean
parse_decimal (const char *text,
               double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* Equal JSON, where two decimal strings of the same amount ("499.00",
 * "499") count as the same: how money is spelled is test-orders' subject,
 * what this program checks is that nothing is lost or changed. */
static gboolean
nodes_same (JsonNode *a,
            JsonNode *b)
{
  double x, y;

  if (JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b)
      && json_node_get_value_type (a) == G_TYPE_STRING
      && json_node_get_value_type (b) == G_TYPE_STRING
      && parse_decimal (json_node_get_string (a), &x)
      && parse_decimal (json_node_get_string (b), &y))
    return x == y;
  if (JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
    {
      JsonObject *p = json_node_get_object (a);
      JsonObject *q = json_node_get_object (b);
      g_autoptr(GList) names = json_object_get_members (p);

      if (json_object_get_size (p) != json_object_get_size (q))
        return FALSE;
      for (GList *l = names; l != NULL; l = l->next)
        if (!json_object_has_member (q, l->data)
            || !nodes_same (json_object_get_member (p, l->data),
                            json_object_get_member (q, l->data)))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (a) && JSON_NODE_HOLDS_ARRAY (b))
    {
      JsonArray *p = json_node_get_array (a);
      JsonArray *q = json_node_get_array (b);

      if (json_array_get_length (p) != json_array_get_length (q))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (p); i++)
        if (!nodes_same (json_array_get_element (p, i), json_array_get_element (q, i)))
          return FALSE;
      return TRUE;
    }
  return json_node_equal (a, b);
}

static void
assert_records_equal (JsonObject *expected,
                      JsonObject *actual)
{
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), expected);
  g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), actual);

  if (!nodes_same (a, b))
    {
      g_autofree char *x = json_to_string (a, TRUE);
      g_autofree char *y = json_to_string (b, TRUE);

      g_test_message ("expected: %s", x);
      g_test_message ("actual: %s", y);
      g_assert_not_reached ();
    }
}

static JsonObject *
find_variant (JsonArray  *variants,
              const char *sku)
{
  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonObject *v = json_array_get_object_element (variants, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (v, "sku", NULL), sku) == 0)
        return v;
    }
  return NULL;
}

/* The webshop product with its three sizes goes to Shopify; the price of
 * size M is changed there. The PUT back carries every variant whole: each
 * keeps its stock and title (issue 15: they were wiped). */
static void
test_shopify_variant_price_keeps_webshop_variants (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *id = e2e_seed_webshop (e2e, TDM_KIND_PRODUCT, WEB_SWEATER);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) shop = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *nodes_holder;
  JsonArray *nodes;
  JsonObject *m;
  const char *price;
  TdmSyncCounts counts;

  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (counts.created, ==, 1);
  before = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_PRODUCT, id);
  g_assert_nonnull (before);

  /* The merchant changes the price of M in Shopify. */
  shop = e2e_find_shopify (e2e, TDM_KIND_PRODUCT, "title", "Genser");
  g_assert_nonnull (shop);
  nodes_holder = tdm_json_object_copy (json_object_get_object_member (shop, "variants"));
  nodes = json_object_get_array_member (nodes_holder, "nodes");
  m = find_variant (nodes, "TDM-1009-M");
  g_assert_nonnull (m);
  json_object_set_string_member (m, "price", "549.00");
  edit = json_object_new ();
  json_object_set_object_member (edit, "variants", nodes_holder);
  g_assert_true (tdm_fake_shopify_edit (e2e->shop, TDM_KIND_PRODUCT,
                                        json_object_get_string_member (shop, "id"), edit, NULL));

  e2e_clear_logs (e2e);
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 1);

  after = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_PRODUCT, id);
  g_assert_nonnull (after);
  /* Only M's price changed; every variant keeps its stock and title. */
  price = json_object_get_string_member (find_variant (json_object_get_array_member (after, "variants"),
                                                      "TDM-1009-M"),
                                         "price");
  g_assert_cmpfloat (g_ascii_strtod (price, NULL), ==, 549.0);
  json_object_set_string_member (find_variant (json_object_get_array_member (before, "variants"),
                                               "TDM-1009-M"),
                                 "price", price);
  drop_volatile (before);
  drop_volatile (after);
  assert_records_equal (before, after);
  g_assert_cmpint (json_object_get_int_member (find_variant (json_object_get_array_member (after, "variants"), "TDM-1009-S"), "inventory_quantity"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (find_variant (json_object_get_array_member (after, "variants"), "TDM-1009-M"), "inventory_quantity"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (find_variant (json_object_get_array_member (after, "variants"), "TDM-1009-L"), "inventory_quantity"), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (find_variant (json_object_get_array_member (after, "variants"), "TDM-1009-L"), "title"), ==, "L");

  /* And nothing is left to do. */
  e2e_clear_logs (e2e);
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fields/shopify-variant-price-keeps-webshop-variants",
                   test_shopify_variant_price_keeps_webshop_variants);

  return g_test_run ();
}
