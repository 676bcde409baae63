/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-record.h"
#include "tdm-types.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_types_strings (void)
{
  TdmSide side;
  TdmKind kind;
  TdmDirection dir;
  TdmConflictPolicy policy;
  TdmDeletePolicy del;

  for (int s = 0; s < TDM_N_SIDES; s++)
    {
      g_assert_true (tdm_side_from_string (tdm_side_to_string (s), &side));
      g_assert_cmpint (side, ==, s);
      g_assert_nonnull (tdm_side_display_name (s));
    }
  g_assert_cmpstr (tdm_side_to_string (TDM_SIDE_WEBSHOP), ==, "webshop");
  g_assert_cmpint (tdm_side_other (TDM_SIDE_WEBSHOP), ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpint (tdm_side_other (TDM_SIDE_SHOPIFY), ==, TDM_SIDE_WEBSHOP);
  g_assert_false (tdm_side_from_string ("amazon", &side));
  g_assert_false (tdm_side_from_string (NULL, &side));

  for (int k = 0; k < TDM_N_KINDS; k++)
    {
      g_assert_true (tdm_kind_from_string (tdm_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
      g_assert_nonnull (tdm_kind_display_name (k));
      g_assert_nonnull (tdm_kind_display_plural (k));
    }
  g_assert_cmpstr (tdm_kind_to_string (TDM_KIND_ORDER), ==, "order");
  g_assert_cmpstr (tdm_kind_display_plural (TDM_KIND_CUSTOMER), ==, "Customers");
  g_assert_false (tdm_kind_from_string ("invoice", &kind));

  for (int d = TDM_DIRECTION_BOTH; d <= TDM_DIRECTION_OFF; d++)
    {
      g_assert_true (tdm_direction_from_string (tdm_direction_to_string (d), &dir));
      g_assert_cmpint (dir, ==, d);
    }
  g_assert_true (tdm_direction_from_string ("to_shopify", &dir));
  g_assert_cmpint (dir, ==, TDM_DIRECTION_TO_SHOPIFY);
  g_assert_true (tdm_direction_from_string ("to_webshop", &dir));
  g_assert_cmpint (dir, ==, TDM_DIRECTION_TO_WEBSHOP);
  g_assert_false (tdm_direction_from_string ("sideways", &dir));
  g_assert_true (tdm_direction_allows (TDM_DIRECTION_BOTH, TDM_SIDE_SHOPIFY));
  g_assert_true (tdm_direction_allows (TDM_DIRECTION_TO_SHOPIFY, TDM_SIDE_SHOPIFY));
  g_assert_false (tdm_direction_allows (TDM_DIRECTION_TO_SHOPIFY, TDM_SIDE_WEBSHOP));
  g_assert_true (tdm_direction_allows (TDM_DIRECTION_TO_WEBSHOP, TDM_SIDE_WEBSHOP));
  g_assert_false (tdm_direction_allows (TDM_DIRECTION_OFF, TDM_SIDE_WEBSHOP));

  for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
    {
      g_assert_true (tdm_conflict_policy_from_string (tdm_conflict_policy_to_string (p), &policy));
      g_assert_cmpint (policy, ==, p);
    }
  g_assert_cmpstr (tdm_conflict_policy_to_string (TDM_POLICY_NEWEST_WINS), ==, "newest-wins");
  g_assert_false (tdm_conflict_policy_from_string ("loudest-wins", &policy));

  g_assert_true (tdm_delete_policy_from_string ("propagate", &del));
  g_assert_cmpint (del, ==, TDM_DELETE_PROPAGATE);
  g_assert_cmpstr (tdm_delete_policy_to_string (TDM_DELETE_KEEP), ==, "keep");
  g_assert_false (tdm_delete_policy_from_string ("shred", &del));
}

static void
test_error_hint (void)
{
  g_autoptr(GError) error = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, 0, "x");

  g_assert_cmpstr (g_quark_to_string (TDM_SYNC_ERROR), ==, "tdm-sync-error-quark");
  for (int code = TDM_SYNC_ERROR_FAILED; code <= TDM_SYNC_ERROR_PAYMENT_REQUIRED; code++)
    {
      g_autoptr(GError) e = g_error_new_literal (TDM_SYNC_ERROR, code, "x");
      const char *hint = tdm_sync_error_to_hint (e);

      g_assert_nonnull (hint);
      g_assert_cmpuint (strlen (hint), >, 10);
    }
  g_assert_nonnull (strstr (tdm_sync_error_to_hint (error), "connection settings"));
  g_assert_null (tdm_sync_error_to_hint (other));
  g_assert_null (tdm_sync_error_to_hint (NULL));
}

static void
test_canonical_string (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "{\"b\": 1, \"a\": {\"z\": true, \"y\": null}}", "{\"a\":{\"y\":null,\"z\":true},\"b\":1}" },
    { "[3, 2, {\"b\":\"x\",\"a\":[]}]", "[3,2,{\"a\":[],\"b\":\"x\"}]" },
    { "\"quote \\\" back \\\\ nl \\n tab \\t ctl \\u0001\"", "\"quote \\\" back \\\\ nl \\n tab \\t ctl \\u0001\"" },
    { "\"Øyvind Ærø\"", "\"Øyvind Ærø\"" },
    { "10.0", "10" },
    { "12.5", "12.5" },
    { "-7", "-7" },
    { "9007199254740993", "9007199254740993" },
    { "false", "false" },
    { "null", "null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].in);
      g_autofree char *out = tdm_json_canonical_string (node);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_value_equal (void)
{
  g_autoptr(JsonNode) empty_str = parse ("\"\"");
  g_autoptr(JsonNode) null_node = parse ("null");
  g_autoptr(JsonNode) empty_arr = parse ("[]");
  g_autoptr(JsonNode) empty_obj = parse ("{}");
  g_autoptr(JsonNode) a1 = parse ("{\"x\":1,\"y\":[\"a\",\"b\"]}");
  g_autoptr(JsonNode) a2 = parse ("{\"y\":[\"a\",\"b\"],\"x\":1}");
  g_autoptr(JsonNode) a3 = parse ("{\"y\":[\"b\",\"a\"],\"x\":1}");
  g_autoptr(JsonNode) s = parse ("\"x\"");

  g_assert_true (tdm_json_value_equal (NULL, NULL));
  g_assert_true (tdm_json_value_equal (NULL, empty_str));
  g_assert_true (tdm_json_value_equal (null_node, empty_arr));
  g_assert_true (tdm_json_value_equal (empty_obj, NULL));
  g_assert_true (tdm_json_value_equal (a1, a2));
  g_assert_false (tdm_json_value_equal (a1, a3));   /* list order matters */
  g_assert_false (tdm_json_value_equal (s, NULL));
  g_assert_false (tdm_json_value_equal (NULL, s));
}

static void
test_record_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) f1 = tdm_json_object_from_string (
      "{\"email\":\"kari@example.no\",\"tags\":[\"vip\"],\"addresses\":[{\"city\":\"Oslo\",\"zip\":\"0150\"}]}", &error);
  g_autoptr(JsonObject) f2 = NULL;
  g_autoptr(JsonObject) f3 = NULL;
  g_autoptr(TdmRecord) r1 = NULL;
  g_autoptr(TdmRecord) r2 = NULL;
  g_autoptr(TdmRecord) r3 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  f2 = tdm_json_object_from_string (
      "{\"addresses\":[{\"zip\":\"0150\",\"city\":\"Oslo\"}],\"tags\":[\"vip\"],\"email\":\"kari@example.no\"}", &error);
  g_assert_no_error (error);
  f3 = tdm_json_object_copy (f2);
  json_object_set_string_member (f3, "email", "kari.nordmann@example.no");

  r1 = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "17", "2026-11-26T18:01:15Z", "\"e1\"", f1, NULL);
  r2 = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL, NULL, f2, f2);
  r3 = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL, NULL, f3, NULL);

  g_assert_cmpuint (strlen (tdm_record_get_hash (r1)), ==, 64);
  g_assert_cmpstr (tdm_record_get_hash (r1), ==, tdm_record_get_hash (r2));
  g_assert_cmpstr (tdm_record_get_hash (r1), !=, tdm_record_get_hash (r3));

  canonical = tdm_json_object_to_string (f1);
  g_assert_cmpstr (canonical, ==,
                   "{\"addresses\":[{\"city\":\"Oslo\",\"zip\":\"0150\"}],\"email\":\"kari@example.no\",\"tags\":[\"vip\"]}");
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  g_assert_cmpstr (tdm_record_get_hash (r1), ==, expected);

  /* the deep copy is independent of the original */
  g_assert_cmpstr (json_object_get_string_member (f2, "email"), ==, "kari@example.no");

  g_assert_cmpstr (tdm_record_get_string (r1, "email"), ==, "kari@example.no");
  g_assert_null (tdm_record_get_string (r1, "tags"));
  g_assert_null (tdm_record_get_string (r1, "missing"));
  g_assert_nonnull (tdm_record_get_field (r1, "tags"));

  s1 = tdm_json_object_to_string (r2->native);
  g_assert_nonnull (s1);
}

static void
test_record_basics (void)
{
  g_autoptr(TdmRecord) r = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "17", NULL, NULL, NULL, NULL);
  g_autoptr(TdmRecord) t = tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT,
                                                     "gid://shopify/Product/9", "2026-11-26T10:00:00Z");
  TdmRecord *extra;
  GValue value = G_VALUE_INIT;

  g_assert_nonnull (r->fields);
  g_assert_cmpuint (json_object_get_size (r->fields), ==, 0);
  g_assert_false (r->deleted);
  g_assert_true (t->deleted);
  g_assert_cmpstr (t->updated_at, ==, "2026-11-26T10:00:00Z");

  tdm_record_set_twin_id (r, "gid://shopify/Customer/5");
  g_assert_cmpstr (r->twin_id, ==, "gid://shopify/Customer/5");
  tdm_record_set_twin_id (r, NULL);
  g_assert_null (r->twin_id);

  extra = tdm_record_ref (r);
  g_assert_true (extra == r);
  tdm_record_unref (extra);

  /* boxed type: copying through GValue refs */
  g_assert_true (G_TYPE_IS_BOXED (TDM_TYPE_RECORD));
  g_value_init (&value, TDM_TYPE_RECORD);
  g_value_set_boxed (&value, r);
  g_assert_true (g_value_get_boxed (&value) == r);
  g_assert_cmpint (r->ref_count, ==, 2);
  g_value_unset (&value);
  g_assert_cmpint (r->ref_count, ==, 1);
}

static void
test_record_describe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = tdm_json_object_from_string ("{\"email\":\"kari@example.no\"}", &error);
  g_autoptr(JsonObject) pfields = tdm_json_object_from_string ("{\"title\":\"Ullgenser\",\"sku\":\"UG-1\"}", &error);
  g_autoptr(TdmRecord) c = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "17", NULL, NULL, fields, NULL);
  g_autoptr(TdmRecord) c_new = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, NULL, NULL, NULL, fields, NULL);
  g_autoptr(TdmRecord) p = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT, "gid://shopify/Product/3", NULL, NULL, pfields, NULL);
  g_autoptr(TdmRecord) o = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_ORDER, "5001", NULL, NULL, NULL, NULL);
  g_autofree char *dc = tdm_record_describe (c);
  g_autofree char *dn = tdm_record_describe (c_new);
  g_autofree char *dp = tdm_record_describe (p);
  g_autofree char *dord = tdm_record_describe (o);

  g_assert_no_error (error);
  g_assert_cmpstr (dc, ==, "customer kari@example.no (webshop id 17)");
  g_assert_cmpstr (dn, ==, "customer kari@example.no (new, from Shopify)");
  g_assert_cmpstr (dp, ==, "product “Ullgenser” (Shopify id gid://shopify/Product/3)");
  g_assert_cmpstr (dord, ==, "order (webshop id 5001)");
}

static void
test_json_helpers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = tdm_json_object_from_string ("[1,2]", &error);

  g_assert_null (o);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  o = tdm_json_object_from_string ("{broken", &error);
  g_assert_null (o);
  g_assert_nonnull (error);
  g_assert_null (tdm_json_object_copy (NULL));
  g_assert_null (tdm_json_node_copy_deep (NULL));

  /* a deep copy shares nothing with the original */
  {
    g_autoptr(JsonNode) original = parse ("[{\"a\": [1, {\"b\": \"x\"}]}]");
    g_autoptr(JsonNode) copy = tdm_json_node_copy_deep (original);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    JsonObject *item;

    before = tdm_json_canonical_string (original);
    item = json_array_get_object_element (json_node_get_array (copy), 0);
    json_object_set_string_member (json_array_get_object_element (json_object_get_array_member (item, "a"), 1),
                                   "b", "changed");
    after = tdm_json_canonical_string (original);
    g_assert_cmpstr (before, ==, after);
    g_assert_true (tdm_json_value_equal (original, original));
    g_assert_false (tdm_json_value_equal (original, copy));
  }
}

static void
test_record_error (void)
{
  g_autoptr(TdmRecordError) e = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "17", "email",
                                                      "Email has already been taken.");
  g_autoptr(TdmRecordError) copy = NULL;

  e->existing_id = g_strdup ("gid://shopify/Customer/2");
  copy = tdm_record_error_copy (e);
  g_assert_cmpint (copy->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (copy->record_id, ==, "17");
  g_assert_cmpstr (copy->field, ==, "email");
  g_assert_cmpstr (copy->message, ==, "Email has already been taken.");
  g_assert_cmpstr (copy->existing_id, ==, "gid://shopify/Customer/2");

  /* boxed: a GValue holds its own copy */
  {
    GValue value = G_VALUE_INIT;
    const TdmRecordError *held;

    g_value_init (&value, TDM_TYPE_RECORD_ERROR);
    g_value_set_boxed (&value, e);
    held = g_value_get_boxed (&value);
    g_assert_true (held != e);
    g_assert_cmpstr (held->message, ==, e->message);
    g_value_unset (&value);
  }
}

static void
test_json_single_value (void)
{
  static const struct { const char *text; gboolean single; } cases[] = {
    { "", TRUE }, { "  {}  ", TRUE }, { "[1, {\"a\": \"}{\"}]", TRUE },
    { "\"x\\\"}\"", TRUE }, { "42", TRUE }, { " true\n", TRUE },
    { "{}{}", FALSE }, { "{\"a\":1} {\"b\":2}", FALSE }, { "0{}", FALSE },
    { "[] []", FALSE }, { "\"a\" \"b\"", FALSE }, { "null null", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (tdm_json_is_single_value (cases[i].text, -1), ==, cases[i].single);
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/types/strings", test_types_strings);
  g_test_add_func ("/model/error/hint", test_error_hint);
  g_test_add_func ("/model/record/canonical-string", test_canonical_string);
  g_test_add_func ("/model/record/value-equal", test_value_equal);
  g_test_add_func ("/model/record/hash", test_record_hash);
  g_test_add_func ("/model/record/basics", test_record_basics);
  g_test_add_func ("/model/record/describe", test_record_describe);
  g_test_add_func ("/model/record/json-helpers", test_json_helpers);
  g_test_add_func ("/model/record/error", test_record_error);

  g_test_add_func ("/model/json/single-value", test_json_single_value);
  return g_test_run ();
}
