/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-record.h"
#include "tdm-webshop-json.h"
#include "tdm-webshop-profile.h"

/* Webshop profiles are files the user writes or downloads: loading one
 * either fails with a message naming the member, or gives a profile whose
 * values are inside the documented ranges. */

/* The profile's member paths on a record: read, and written back into a
 * write body (dot paths create the objects they need). */
static void
fuzz_paths (const TdmWebshopResource *res)
{
  const char *paths[] = { res->id_field, res->updated_at_field, res->etag_field,
                          res->shopify_id_field, res->deleted_at_field, res->next_cursor_key };
  g_autoptr(JsonObject) record = tdm_json_object_from_string (
    "{\"id\": 17, \"updated_at\": \"2026-11-20T09:15:00+01:00\", \"etag\": \"\\\"c17-3\\\"\","
    " \"meta\": {\"id\": \"17\", \"updated\": \"2026-11-20T08:15:00Z\"}, \"email\": \"a@b.no\"}", NULL);
  g_autoptr(JsonObject) body = NULL;

  g_assert_nonnull (record);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *value = NULL;

      if (paths[i] == NULL)
        continue;
      (void) tdm_webshop_json_get_path (record, paths[i]);
      value = tdm_webshop_json_dup_string (record, paths[i]);
    }
  body = tdm_webshop_build_write_body (record, res, "gid://shopify/Customer/7001");
  g_assert_nonnull (body);
  if (res->shopify_id_field != NULL)
    {
      g_autofree char *twin = tdm_webshop_json_dup_string (body, res->shopify_id_field);

      g_assert_cmpstr (twin, ==, "gid://shopify/Customer/7001");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) profile = NULL;

  tdm_fuzz_init_once ();
  if (tdm_fuzz_skip_several_values (data, size))
    return 0;

  profile = tdm_webshop_profile_new_from_data ((const char *) data, size, "fuzz.json", &error);
  if (profile == NULL)
    {
      g_assert_nonnull (error);
      tdm_fuzz_assert_utf8 (error->message);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (profile->name);
  g_assert_cmpint (profile->auth, !=, TDM_WEBSHOP_AUTH_PROFILE);
  g_assert_nonnull (tdm_webshop_auth_to_string (profile->auth));
  if (profile->auth == TDM_WEBSHOP_AUTH_HEADER)
    g_assert_true (profile->auth_header != NULL && *profile->auth_header != '\0');
  g_assert_cmpuint (profile->concurrency, >=, 1);
  g_assert_true (profile->requests_per_second >= 0);
  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      const TdmWebshopResource *res = tdm_webshop_profile_get_resource (profile, kind);

      g_assert_nonnull (res);
      g_assert_nonnull (res->path);
      g_assert_cmpuint (res->page_size, >=, 1);
      g_assert_cmpuint (res->page_size, <=, 250);
      g_assert_nonnull (tdm_webshop_paging_to_string (res->paging));
      g_assert_nonnull (res->items_key);
      g_assert_nonnull (res->id_field);
      g_assert_nonnull (res->updated_at_field);
      if (res->deleted_available)
        g_assert_nonnull (res->deleted_path);
      fuzz_paths (res);
    }
  return 0;
}
