/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-mapping-private.h"
#include "tdm-error.h"

/* The Shopify side's property schema (src/core/tdm-mapping-shopify-schema.c)
 * against what the connector really reads and writes (issue 15: a row for
 * taxExempt was accepted and then silently dropped; docs/mapping.md,
 * Validation). */

#define GRAPHQL_PREFIX "/io/github/tandemsync/Tandem/graphql/"

static const char * const fragments[TDM_N_KINDS] = {
  "fragment-customer.graphql", "fragment-product.graphql", "fragment-order.graphql",
};

/* ---- The read fragments as a set of dot paths ---- */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* Every selected field of the fragment's body as a dot path ("a.b.c"),
 * aliases under their alias, arguments and comments skipped. */
static GHashTable *
fragment_paths (const char *resource)
{
  g_autofree char *path = g_strconcat (GRAPHQL_PREFIX, resource, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &error);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *last = NULL;
  const char *p;
  gboolean in_body = FALSE;
  gboolean skip_next_name = FALSE;

  g_assert_no_error (error);
  p = g_bytes_get_data (bytes, NULL);
  while (*p != '\0')
    {
      if (*p == '#')
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (*p == '(')
        {
          while (*p != '\0' && *p != ')')
            p++;
        }
      else if (*p == '{')
        {
          if (in_body)
            {
              g_assert_nonnull (last);
              g_ptr_array_add (stack, g_steal_pointer (&last));
            }
          in_body = TRUE;
          g_clear_pointer (&last, g_free);
        }
      else if (*p == '}')
        {
          if (stack->len > 0)
            g_ptr_array_remove_index (stack, stack->len - 1);
          g_clear_pointer (&last, g_free);
        }
      else if (*p == ':')
        skip_next_name = TRUE;  /* "alias: field": the result member is the alias */
      else if (is_name_char (*p))
        {
          const char *start = p;
          g_autofree char *name = NULL;

          while (is_name_char (p[1]))
            p++;
          name = g_strndup (start, p - start + 1);
          if (in_body && !skip_next_name)
            {
              g_autoptr(GString) full = g_string_new (NULL);

              for (guint i = 0; i < stack->len; i++)
                g_string_append_printf (full, "%s.", (char *) stack->pdata[i]);
              g_string_append (full, name);
              g_hash_table_add (set, g_string_free (g_steal_pointer (&full), FALSE));
              g_free (last);
              last = g_steal_pointer (&name);
            }
          skip_next_name = FALSE;
        }
      p++;
    }
  return set;
}

/* "variants.nodes[].sku" → "variants.nodes.sku" */
static char *
without_list_markers (const char *target)
{
  g_auto(GStrv) parts = g_strsplit (target, "[]", -1);

  return g_strjoinv ("", parts);
}

/* Every Shopify property the validator accepts for reading is selected by
 * the kind's read fragment (so a row naming it gets a value). */
static void
test_every_read_target_is_selected (void)
{
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    {
      g_autoptr(GHashTable) selected = fragment_paths (fragments[kind]);
      const char * const *table = _tdm_mapping_shopify_read_properties (kind);

      for (guint i = 0; table[i] != NULL; i++)
        {
          g_autofree char *path = without_list_markers (table[i]);

          if (!g_hash_table_contains (selected, path))
            g_error ("The %s target “%s” is accepted but %s does not select it",
                     tdm_kind_to_string (kind), table[i], fragments[kind]);
        }
    }
}

/* ---- Round trip through the real connectors and fakes ---- */

/* The default mapping with one more row in the `kind` table. */
static TdmMapping *
mapping_with_row (TdmKind     kind,
                  const char *row_json,
                  GError    **error)
{
  g_autoptr(TdmMapping) base = tdm_mapping_new_default ();
  g_autofree char *data = tdm_mapping_to_data (base);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) row_parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *out = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, data, -1, NULL));
  g_assert_true (json_parser_load_from_data (row_parser, row_json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  json_array_add_element (json_object_get_array_member (root, tdm_kind_to_string (kind)),
                          json_node_copy (json_parser_get_root (row_parser)));
  json_generator_set_root (generator, json_parser_get_root (parser));
  out = json_generator_to_data (generator, NULL);
  return tdm_mapping_new_from_data (out, -1, "custom.json", error);
}

#define TAX_EXEMPT_ROW \
  "{\"label\": \"Tax exempt\", \"webshop\": \"tax_exempt\", \"shopify\": \"taxExempt\", " \
  "\"type\": \"Boolean\", \"direction\": \"both\"}"

/* A customer's taxExempt row: the webshop's value arrives in Shopify, and a
 * change made in Shopify arrives back in the webshop. */
static void
test_tax_exempt_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = mapping_with_row (TDM_KIND_CUSTOMER, TAX_EXEMPT_ROW, &error);
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) shop = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(JsonObject) web = NULL;
  TdmSyncCounts counts;
  E2E *e2e;

  g_assert_no_error (error);
  e2e = e2e_new_with_mapping (mapping);
  id = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                         "{\"email\": \"ola@example.com\", \"first_name\": \"Ola\", "
                         "\"last_name\": \"Nordmann\", \"tax_exempt\": true}");

  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (counts.created, ==, 1);
  shop = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                           "ola@example.com");
  g_assert_nonnull (shop);
  g_assert_true (json_object_get_boolean_member_with_default (shop, "taxExempt", FALSE));

  /* The merchant clears it in Shopify. */
  json_object_set_boolean_member (edit, "taxExempt", FALSE);
  g_assert_true (tdm_fake_shopify_edit (e2e->shop, TDM_KIND_CUSTOMER,
                                        json_object_get_string_member (shop, "id"), edit, NULL));
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.errors, ==, 0);
  web = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, id);
  g_assert_nonnull (web);
  g_assert_true (json_object_has_member (web, "tax_exempt"));
  g_assert_false (json_object_get_boolean_member (web, "tax_exempt"));
  e2e_free (e2e);
}

/* ---- Refusals ---- */

/* Shopify properties the validator used to accept although no read
 * fragment selected them or no write input carried them. */
static const struct {
  TdmKind     kind;
  const char *row;
  const char *name;
} unsupported[] = {
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"created\", \"shopify\": \"createdAt\", \"type\": \"DateTime\", \"direction\": \"to_webshop\"}", "createdAt" },
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"display\", \"shopify\": \"displayName\", \"type\": \"String\", \"direction\": \"to_webshop\"}", "displayName" },
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"verified\", \"shopify\": \"verifiedEmail\", \"type\": \"Boolean\", \"direction\": \"to_webshop\"}", "verifiedEmail" },
  { TDM_KIND_PRODUCT, "{\"webshop\": \"seo_title\", \"shopify\": \"seo.title\", \"type\": \"String\", \"direction\": \"both\"}", "seo.title" },
  { TDM_KIND_PRODUCT, "{\"webshop\": \"template\", \"shopify\": \"templateSuffix\", \"type\": \"String\", \"direction\": \"both\"}", "templateSuffix" },
  { TDM_KIND_PRODUCT, "{\"webshop\": \"handle\", \"shopify\": \"handle\", \"type\": \"String\", \"direction\": \"both\"}", "handle" },
  { TDM_KIND_ORDER, "{\"webshop\": \"po\", \"shopify\": \"poNumber\", \"type\": \"String\", \"direction\": \"both\"}", "poNumber" },
  { TDM_KIND_ORDER, "{\"webshop\": \"discounts\", \"shopify\": \"totalDiscountsSet.shopMoney.amount\", \"type\": \"MoneyBag\", \"direction\": \"to_webshop\"}", "totalDiscountsSet.shopMoney.amount" },
};

/* A row naming a property the connector does not read (or, for a row that
 * writes to Shopify, does not write) is refused, and the message names the
 * row, the property and why. */
static void
test_unsupported_target_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmMapping) mapping = mapping_with_row (unsupported[i].kind, unsupported[i].row,
                                                        &error);
      g_autoptr(TdmMapping) base = tdm_mapping_new_default ();
      GPtrArray *rows = tdm_mapping_get_rows (base, unsupported[i].kind);
      g_autofree char *row_words = g_strdup_printf ("row %u of the %s table", rows->len + 1,
                                                    tdm_kind_to_string (unsupported[i].kind));
      g_autofree char *quoted = g_strdup_printf ("“%s”", unsupported[i].name);

      g_assert_null (mapping);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, row_words));
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_nonnull (strstr (error->message, "cannot be synced by Tandem yet"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schema/every-read-target-selected", test_every_read_target_is_selected);
  g_test_add_func ("/schema/tax-exempt-round-trip", test_tax_exempt_round_trips);
  g_test_add_func ("/schema/unsupported-target-refused", test_unsupported_target_refused);
  return g_test_run ();
}
