/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-error.h"
#include "tdm-mapping.h"
#include "tdm-shopify-schema.h"

/* Two inputs in one: a mapping file the user edits, and a native record a
 * side sends.
 * - As a mapping (checked against the Shopify connector's property schema):
 *   loading fails with a message, or gives a mapping that
 *   saves (tdm_mapping_to_data) into a file that loads again, and that maps
 *   the real fixture records (tests/fixtures/model-*.json) both ways.
 * - As a native record: the default mapping maps it for every kind and side
 *   (values that do not normalize become problems, never a crash), and the
 *   canonical result unmaps onto both sides. */

static TdmMapping *default_mapping;
static JsonObject *fixtures[TDM_N_KINDS][TDM_N_SIDES];

static char *
resolve (TdmKind     kind,
         TdmSide     from_side,
         const char *id,
         gpointer    user_data)
{
  /* Half of the references are linked. */
  if (id == NULL || g_str_hash (id) % 2 == 0)
    return NULL;
  return from_side == TDM_SIDE_WEBSHOP ? g_strdup_printf ("gid://shopify/Customer/%s", id)
                                       : g_strdup ("17");
}

static const TdmNormalizeOptions normalize_options = { "NO" };
static const TdmMapContext context = { &normalize_options, "25" };

static void
load_fixtures (void)
{
  static const char *files[] = { "model-customer.json", "model-product.json", "model-order.json" };

  if (default_mapping != NULL)
    return;
  /* As the app does: rows are checked against the Shopify connector's schema. */
  tdm_mapping_set_schema (TDM_SIDE_SHOPIFY, tdm_shopify_property_schema ());
  default_mapping = tdm_mapping_new_default ();
  g_assert_nonnull (default_mapping);
  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (FIXTURES_DIR, files[kind], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(JsonObject) root = NULL;

      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      root = tdm_json_object_from_string (contents, &error);
      g_assert_no_error (error);
      fixtures[kind][TDM_SIDE_WEBSHOP] = json_object_ref (json_object_get_object_member (root, "webshop"));
      fixtures[kind][TDM_SIDE_SHOPIFY] = json_object_ref (json_object_get_object_member (root, "shopify"));
    }
}

static void
map_both_ways (TdmMapping *mapping,
               TdmKind     kind,
               TdmSide     side,
               JsonObject *native)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  g_autoptr(JsonObject) mapped = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *twin = NULL;

  mapped = tdm_mapping_map_fields (mapping, kind, side, native, &context, problems);
  g_assert_nonnull (mapped);
  /* as the engine does with a record it reads */
  fields = tdm_mapping_resolve_references (mapping, kind, TDM_SIDE_WEBSHOP, mapped, resolve, NULL);
  g_assert_nonnull (fields);
  for (guint i = 0; i < problems->len; i++)
    {
      TdmRecordError *problem = g_ptr_array_index (problems, i);

      g_assert_nonnull (problem->message);
      tdm_fuzz_assert_utf8 (problem->message);
    }
  twin = tdm_mapping_get_twin_id (mapping, kind, side, native);

  for (TdmSide to = 0; to < TDM_N_SIDES; to++)
    {
      g_autoptr(JsonObject) filtered = tdm_mapping_filter_fields (mapping, kind, fields, to);

      g_assert_nonnull (filtered);
      for (int for_create = 0; for_create < 2; for_create++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonObject) named = tdm_mapping_resolve_references (mapping, kind, to, fields,
                                                                        resolve, NULL);
          g_autoptr(JsonObject) write = tdm_mapping_unmap_fields (mapping, kind, to, named,
                                                                  for_create, NULL, &error);

          g_assert_true ((write == NULL) == (error != NULL));
        }
    }
}

static void
fuzz_as_mapping (const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = NULL;
  g_autoptr(TdmMapping) reloaded = NULL;
  g_autofree char *saved = NULL;

  mapping = tdm_mapping_new_from_data ((const char *) data, size, "fuzz.json", &error);
  if (mapping == NULL)
    {
      g_assert_nonnull (error);
      tdm_fuzz_assert_utf8 (error->message);
      return;
    }
  g_assert_no_error (error);

  saved = tdm_mapping_to_data (mapping);
  reloaded = tdm_mapping_new_from_data (saved, -1, "saved.json", &error);
  if (reloaded == NULL)
    g_error ("a loaded mapping saves into a file that does not load: %s\n%s",
             error->message, saved);

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);

      for (guint i = 0; i < rows->len; i++)
        {
          const TdmMappingRow *row = g_ptr_array_index (rows, i);

          g_assert_nonnull (row->name);
          g_assert_true (row->parent < (int) i);
          if (row->parent < 0)
            {
              (void) tdm_mapping_find_row (mapping, kind, row->name);
              for (TdmSide side = 0; side < TDM_N_SIDES; side++)
                (void) tdm_mapping_field_writable (mapping, kind, row->name, side, FALSE);
            }
        }
      for (TdmSide side = 0; side < TDM_N_SIDES; side++)
        map_both_ways (mapping, kind, side, fixtures[kind][side]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;

  tdm_fuzz_init_once ();
  load_fixtures ();
  if (tdm_fuzz_skip_several_values (data, size))
    return 0;

  fuzz_as_mapping (data, size);

  root = tdm_fuzz_parse_json (data, size);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
      for (TdmSide side = 0; side < TDM_N_SIDES; side++)
        map_both_ways (default_mapping, kind, side, json_node_get_object (root));
  return 0;
}
