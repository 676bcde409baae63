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
  JsonObject *nodes_holder;
  JsonArray *nodes;
  JsonObject *m;
  const char *price;
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);
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
  e2e_run_ok (e2e, NULL, &counts);
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
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  e2e_free (e2e);
}

/* ---- One field edited on one side, the other side's record whole ---- */

#define WEB_KARI \
  "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nordmann\"," \
  " \"phone\": \"+4791234567\", \"accepts_email_marketing\": true, \"tags\": [\"vip\"]," \
  " \"note\": \"Ringer før levering\", \"locale\": \"nb\", \"default_address_index\": 0," \
  " \"addresses\": [" \
  "  {\"first_name\": \"Kari\", \"last_name\": \"Nordmann\", \"company\": \"Nordmann AS\"," \
  "   \"address1\": \"Storgata 1\", \"address2\": \"3. etg\", \"city\": \"Oslo\"," \
  "   \"province_code\": \"03\", \"zip\": \"0155\", \"country_code\": \"NO\", \"phone\": \"+4791234567\"}," \
  "  {\"first_name\": \"Kari\", \"last_name\": \"Nordmann\", \"address1\": \"Fjellveien 9\"," \
  "   \"city\": \"Bergen\", \"zip\": \"5003\", \"country_code\": \"NO\"}]}"

typedef struct
{
  TdmKind     kind;
  TdmSide     edited;     /* the side the merchant edits */
  const char *path;       /* the native field edited there */
  const char *value;      /* its new value, JSON */
  const char *other;      /* the native field it is read from on the other side */
} FieldCase;

static const FieldCase field_cases[] = {
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "first_name", "\"Karianne\"", "firstName" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "last_name", "\"Nordkvinne\"", "lastName" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "email", "\"kari.n@example.no\"", "defaultEmailAddress.emailAddress" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "phone", "\"+4799999999\"", "defaultPhoneNumber.phoneNumber" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "accepts_email_marketing", "false", "defaultEmailAddress" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "tags", "[\"vip\", \"gull\"]", "tags" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "note", "\"Ring ikke\"", "note" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "locale", "\"en\"", "locale" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "addresses[0].city", "\"Drammen\"", "addressesV2.nodes[].city" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "addresses[1].zip", "\"5004\"", "addressesV2.nodes[].zip" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "firstName", "\"Karianne\"", "first_name" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "lastName", "\"Nordkvinne\"", "last_name" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "note", "\"Ring ikke\"", "note" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "tags", "[\"vip\", \"gull\"]", "tags" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "locale", "\"en\"", "locale" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "defaultPhoneNumber.phoneNumber", "\"+4799999999\"", "phone" },
  { TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "addressesV2.nodes[0].city", "\"Drammen\"", "addresses[].city" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "title", "\"Ullgenser\"", "title" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "description_html", "\"<p>Merinoull</p>\"", "descriptionHtml" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "vendor", "\"Strikk AS\"", "vendor" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "product_type", "\"Jakker\"", "productType" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "status", "\"draft\"", "status" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "tags", "[\"ull\", \"vinter\"]", "tags" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "variants[1].price", "\"549.00\"", "variants.nodes[].price" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "variants[1].compare_at_price", "\"699.00\"", "variants.nodes[].compareAtPrice" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "variants[1].barcode", "\"7040000000099\"", "variants.nodes[].barcode" },
  { TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, "variants[1].inventory_quantity", "3", "variants.nodes[].inventoryQuantity" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "title", "\"Ullgenser\"", "title" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "descriptionHtml", "\"<p>Merinoull</p>\"", "description_html" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "vendor", "\"Strikk AS\"", "vendor" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "productType", "\"Jakker\"", "product_type" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "status", "\"DRAFT\"", "status" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "tags", "[\"ull\", \"vinter\"]", "tags" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "variants.nodes[1].price", "\"549.00\"", "variants[].price" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "variants.nodes[1].compareAtPrice", "\"699.00\"", "variants[].compare_at_price" },
  { TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "variants.nodes[1].barcode", "\"7040000000099\"", "variants[].barcode" },
};

static const char * const volatile_paths[] = {
  "updated_at", "etag", "version", "updatedAt", NULL
};

/* Sets `value` at a dot path with [i] indexes ("variants.nodes[1].price"). */
static void
set_at_path (JsonObject *root,
             const char *path,
             JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');
      gboolean last = parts[i + 1] == NULL;

      if (bracket != NULL)
        {
          guint index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);
          JsonArray *array;

          *bracket = '\0';
          array = json_object_get_array_member (object, parts[i]);
          g_assert_nonnull (array);
          g_assert_cmpuint (index, <, json_array_get_length (array));
          g_assert_false (last);
          object = json_array_get_object_element (array, index);
          continue;
        }
      if (last)
        {
          json_object_set_member (object, parts[i], json_node_copy (value));
          return;
        }
      object = json_object_get_object_member (object, parts[i]);
      g_assert_nonnull (object);
    }
}

/* The paths (indexes as "[]") where `a` and `b` differ. */
static void
collect_differences (JsonNode   *a,
                     JsonNode   *b,
                     const char *prefix,
                     GPtrArray  *out)
{
  if (a != NULL && b != NULL && JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
    {
      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GList) na = json_object_get_members (json_node_get_object (a));
      g_autoptr(GList) nb = json_object_get_members (json_node_get_object (b));
      GHashTableIter iter;
      gpointer name;

      for (GList *l = na; l != NULL; l = l->next)
        g_hash_table_add (names, l->data);
      for (GList *l = nb; l != NULL; l = l->next)
        g_hash_table_add (names, l->data);
      g_hash_table_iter_init (&iter, names);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          g_autofree char *path = *prefix ? g_strdup_printf ("%s.%s", prefix, (char *) name)
                                          : g_strdup (name);

          collect_differences (json_object_get_member (json_node_get_object (a), name),
                               json_object_get_member (json_node_get_object (b), name),
                               path, out);
        }
      return;
    }
  if (a != NULL && b != NULL && JSON_NODE_HOLDS_ARRAY (a) && JSON_NODE_HOLDS_ARRAY (b)
      && json_array_get_length (json_node_get_array (a))
         == json_array_get_length (json_node_get_array (b)))
    {
      g_autofree char *path = g_strdup_printf ("%s[]", prefix);

      for (guint i = 0; i < json_array_get_length (json_node_get_array (a)); i++)
        collect_differences (json_array_get_element (json_node_get_array (a), i),
                             json_array_get_element (json_node_get_array (b), i), path, out);
      return;
    }
  if (a == NULL || b == NULL || !nodes_same (a, b))
    g_ptr_array_add (out, g_strdup (prefix));
}

static gboolean
path_allowed (const char *path,
              const char *allowed)
{
  gsize n = strlen (allowed);

  for (guint i = 0; volatile_paths[i] != NULL; i++)
    if (g_str_equal (path, volatile_paths[i]))
      return TRUE;
  return g_str_has_prefix (path, allowed) && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

static JsonObject *
other_record (E2E        *e2e,
              TdmSide     side,
              TdmKind     kind,
              const char *id)
{
  return side == TDM_SIDE_WEBSHOP ? tdm_fake_webshop_get_record (e2e->web, kind, id)
                                  : tdm_fake_shopify_get_record (e2e->shop, kind, id);
}

static void
run_field_case (const FieldCase *c)
{
  E2E *e2e = e2e_new ();
  g_autofree char *web_id = e2e_seed_webshop (e2e, c->kind,
                                              c->kind == TDM_KIND_CUSTOMER ? WEB_KARI : WEB_SWEATER);
  g_autoptr(JsonObject) web = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonNode) value = json_from_string (c->value, NULL);
  g_autoptr(GPtrArray) differences = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *top = g_strdup (c->path);
  g_autofree char *shop_id = NULL;
  TdmSide other = c->edited == TDM_SIDE_WEBSHOP ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
  const char *other_id;
  const char *edited_id;
  TdmSyncCounts counts;

  g_test_message ("%s: %s %s = %s", tdm_kind_display_name (c->kind),
                  c->edited == TDM_SIDE_WEBSHOP ? "webshop" : "Shopify", c->path, c->value);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  web = tdm_fake_webshop_get_record (e2e->web, c->kind, web_id);
  shop_id = g_strdup (json_object_get_string_member (web, "shopify_id"));
  g_assert_nonnull (shop_id);
  other_id = other == TDM_SIDE_WEBSHOP ? web_id : shop_id;
  edited_id = other == TDM_SIDE_WEBSHOP ? shop_id : web_id;
  before = other_record (e2e, other, c->kind, other_id);

  /* The merchant edits one field, sent as its top-level member. */
  edited = other_record (e2e, c->edited, c->kind, edited_id);
  set_at_path (edited, c->path, value);
  top[strcspn (top, ".[")] = '\0';
  json_object_set_member (patch, top, json_node_copy (json_object_get_member (edited, top)));
  if (c->edited == TDM_SIDE_WEBSHOP)
    g_assert_true (tdm_fake_webshop_update (e2e->web, c->kind, edited_id, patch));
  else
    g_assert_true (tdm_fake_shopify_edit (e2e->shop, c->kind, edited_id, patch, NULL));

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (counts.updated, >=, 1);
  after = other_record (e2e, other, c->kind, other_id);

  {
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), before);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), after);

    collect_differences (a, b, "", differences);
  }
  for (guint i = 0; i < differences->len; i++)
    {
      if (path_allowed (differences->pdata[i], c->other))
        continue;
      g_test_message ("%s changed too", (char *) differences->pdata[i]);
      g_test_fail ();
    }
  e2e_free (e2e);
}

static void
test_one_field_keeps_the_rest (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    run_field_case (&field_cases[i]);
}

/* ---- Record errors travel with each result ---- */

typedef struct
{
  const char     *id;
  gboolean        later;        /* finished once every write is back */
  gboolean        done;
  gboolean        failed;
  GAsyncResult   *result;
  TdmRecordError *record_error;
} WriteCase;

static void
finish_case_update (TdmConnector *conn,
                    WriteCase    *c,
                    GAsyncResult *result)
{
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  written = tdm_connector_update_finish (conn, result, &c->record_error, &error);
  c->failed = written == NULL;
}

static void
on_case_updated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WriteCase *c = user_data;

  if (c->later)
    c->result = g_object_ref (result);
  else
    finish_case_update (TDM_CONNECTOR (source), c, result);
  c->done = TRUE;
}

static void
wait_cases (WriteCase *cases,
            guint      n)
{
  gboolean all_done = FALSE;

  while (!all_done)
    {
      g_main_context_iteration (NULL, TRUE);
      all_done = TRUE;
      for (guint i = 0; i < n; i++)
        all_done = all_done && cases[i].done;
    }
}

/* Four updates start in one main-loop iteration; "." and ".." cannot be
 * addressed and fail before anything is sent, the two unknown ids fail
 * later with a 404. Each error names its own record, whether its write is
 * finished in its callback or after all four are back. */
static void
run_four_writes (gboolean later)
{
  E2E *e2e = e2e_new ();
  WriteCase cases[] = {
    { ".", later }, { "900001", later }, { "..", later }, { "900002", later },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();

      json_object_set_string_member (fields, "note", "Ny merknad");
      tdm_connector_update_async (e2e->webshop, TDM_KIND_CUSTOMER, cases[i].id, fields, NULL,
                                  "gid://shopify/Customer/1", NULL, NULL, on_case_updated_cb,
                                  &cases[i]);
    }
  wait_cases (cases, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].later)
      {
        finish_case_update (e2e->webshop, &cases[i], cases[i].result);
        g_clear_object (&cases[i].result);
      }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (cases[i].failed);
      g_assert_nonnull (cases[i].record_error);
      g_assert_cmpstr (cases[i].record_error->record_id, ==, cases[i].id);
      g_assert_cmpint (cases[i].record_error->side, ==, TDM_SIDE_WEBSHOP);
      g_clear_pointer (&cases[i].record_error, tdm_record_error_free);
    }
  e2e_free (e2e);
}

static void
test_record_errors_with_result (void)
{
  run_four_writes (FALSE);
}

static void
test_record_errors_finished_later (void)
{
  run_four_writes (TRUE);
}

typedef struct
{
  char           *id;
  gboolean        done;
  GAsyncResult   *result;
} GetCase;

static void
on_case_got_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GetCase *c = user_data;

  g_assert_null (c->result);
  c->result = g_object_ref (result);
  c->done = TRUE;
}

/* Reads the customers `good` and `bad` (a phone the mapping cannot use) of
 * one side, both started in one main-loop iteration, `bad` first; finishes
 * them once both are back, `good` first: `bad`'s problem comes with `bad`'s
 * record only. */
static void
check_two_gets (TdmConnector *conn,
                const char   *good,
                const char   *bad)
{
  GetCase cases[] = { { g_strdup (bad) }, { g_strdup (good) } };
  g_autoptr(TdmRecord) good_record = NULL, bad_record = NULL;
  g_autoptr(TdmRecordError) good_problem = NULL, bad_problem = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_done = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    tdm_connector_get_async (conn, TDM_KIND_CUSTOMER, cases[i].id, NULL, on_case_got_cb,
                             &cases[i]);
  while (!all_done)
    {
      g_main_context_iteration (NULL, TRUE);
      all_done = cases[0].done && cases[1].done;
    }

  good_record = tdm_connector_get_finish (conn, cases[1].result, &good_problem, &error);
  g_assert_no_error (error);
  g_assert_nonnull (good_record);
  g_assert_null (good_problem);

  bad_record = tdm_connector_get_finish (conn, cases[0].result, &bad_problem, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bad_record);
  g_assert_nonnull (bad_problem);
  g_assert_cmpstr (bad_problem->record_id, ==, bad);
  g_assert_cmpint (bad_problem->side, ==, tdm_connector_get_side (conn));
  g_assert_cmpstr (bad_problem->field, ==, "phone");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_clear_object (&cases[i].result);
      g_free (cases[i].id);
    }
}

/* Two gets in one main-loop iteration on each side, one of a record with a
 * value that cannot be used: each problem lands on its own record. */
static void
test_record_errors_two_gets (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *web_good = NULL, *web_bad = NULL, *shop_good = NULL, *shop_bad = NULL;

  web_good = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                               "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\","
                               " \"phone\": \"+4791234567\"}");
  web_bad = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                              "{\"email\": \"solvi@example.no\", \"first_name\": \"S\u00f8lvi\","
                              " \"phone\": \"123\"}");
  shop_good = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                                "{\"firstName\": \"Ola\", \"email\": \"ola@example.no\","
                                " \"defaultPhoneNumber\": {\"phoneNumber\": \"+4791234568\"}}");
  shop_bad = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                               "{\"firstName\": \"Per\", \"lastName\": \"Feil\","
                               " \"defaultPhoneNumber\": {\"phoneNumber\": \"123\"}}");

  check_two_gets (e2e->webshop, web_good, web_bad);
  check_two_gets (e2e->shopify, shop_good, shop_bad);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fields/shopify-variant-price-keeps-webshop-variants",
                   test_shopify_variant_price_keeps_webshop_variants);

  g_test_add_func ("/fields/one-field-keeps-the-rest", test_one_field_keeps_the_rest);

  g_test_add_func ("/fields/record-errors/with-result", test_record_errors_with_result);
  g_test_add_func ("/fields/record-errors/finished-later", test_record_errors_finished_later);
  g_test_add_func ("/fields/record-errors/two-gets", test_record_errors_two_gets);

  return g_test_run ();
}
