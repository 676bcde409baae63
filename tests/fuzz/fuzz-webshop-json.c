/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-webshop-json.h"
#include "tdm-webshop-profile.h"

/* The webshop's answers as the connector reads them, under every shipped
 * profile and one more (cursor, page, offset and Link paging; items under a
 * key, a nested key or the body itself; nested member paths): list pages, single records (also wrapped, and
 * error bodies), the members the connector reads from each record, sorting,
 * the write body built back from a record, and the same bytes as a Link
 * header. */

static GPtrArray *profiles;   /* TdmWebshopProfile* */

static void
load_profiles (void)
{
  static const char *names[] = { "default.json", "link-basic.json", "page-apikey.json" };

  if (profiles != NULL)
    return;
  profiles = g_ptr_array_new ();
  g_ptr_array_add (profiles, tdm_webshop_profile_new_default ());
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (PROFILES_DIR, names[i], NULL);
      TdmWebshopProfile *profile = tdm_webshop_profile_new_from_file (path, &error);

      g_assert_no_error (error);
      g_ptr_array_add (profiles, profile);
    }
  /* No shipped profile pages by offset or nests its members: this one does. */
  {
    static const char offset_profile[] =
      "{\"version\": 1, \"name\": \"offset-nested\", \"resources\": {"
      " \"customers\": {\"paging\": \"offset\", \"items_key\": \"result.records\","
      "   \"fields\": {\"id\": \"meta.id\", \"updated_at\": \"meta.updated\","
      "              \"etag\": \"meta.version\", \"shopify_id\": \"links.shopify.id\"}},"
      " \"products\": {\"paging\": \"offset\", \"items_key\": \"records\"},"
      " \"orders\": {\"paging\": \"cursor\", \"items_key\": \"page.items\","
      "   \"next_cursor_key\": \"page.next\"}}}";
    g_autoptr(GError) error = NULL;
    TdmWebshopProfile *profile = tdm_webshop_profile_new_from_data (offset_profile, -1,
                                                                    "offset-nested", &error);

    g_assert_no_error (error);
    g_ptr_array_add (profiles, profile);
  }
}

static void
fuzz_record (JsonObject               *record,
             const TdmWebshopResource *res)
{
  const char *fields[] = { res->id_field, res->updated_at_field, res->etag_field,
                           res->shopify_id_field, res->deleted_at_field, "id" };
  g_autoptr(JsonObject) body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = tdm_webshop_json_dup_string (record, fields[i]);

      (void) tdm_webshop_json_get_path (record, fields[i]);
      if (value != NULL)
        g_assert_true (value != NULL);
    }

  body = tdm_webshop_build_write_body (record, res, "gid://shopify/Customer/7001");
  g_assert_nonnull (body);
  {
    g_autofree char *twin = tdm_webshop_json_dup_string (body, res->shopify_id_field);

    g_assert_cmpstr (twin, ==, "gid://shopify/Customer/7001");
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autofree char *text = tdm_fuzz_strndup (data, size);
  g_autofree char *next = NULL;

  tdm_fuzz_init_once ();
  load_profiles ();
  if (tdm_fuzz_skip_several_values (data, size))
    return 0;

  next = tdm_webshop_parse_link_next (text);

  for (guint p = 0; p < profiles->len; p++)
    for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
      {
        const TdmWebshopResource *res
          = tdm_webshop_profile_get_resource (g_ptr_array_index (profiles, p), kind);
        g_autoptr(GPtrArray) items = NULL;
        g_autofree char *cursor = NULL;
        g_autoptr(GError) error = NULL;

        if (tdm_webshop_parse_list (bytes, res, &items, &cursor, &error))
          {
            g_assert_no_error (error);
            g_assert_nonnull (items);
            if (cursor != NULL)
              g_assert_true (*cursor != '\0');
            for (guint i = 0; i < items->len; i++)
              fuzz_record (g_ptr_array_index (items, i), res);
            tdm_webshop_sort_records (items, res);
          }
        else
          {
            g_assert_nonnull (error);
            tdm_fuzz_assert_utf8 (error->message);
          }
      }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) record = tdm_webshop_parse_record (bytes, &error);

    g_assert_true ((record == NULL) == (error != NULL));
    if (record != NULL)
      for (guint p = 0; p < profiles->len; p++)
        fuzz_record (record,
                     tdm_webshop_profile_get_resource (g_ptr_array_index (profiles, p),
                                                       size % TDM_N_KINDS));
  }
  return 0;
}
