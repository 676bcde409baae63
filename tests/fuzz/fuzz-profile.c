/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-webshop-profile.h"

/* Webshop profiles are files the user writes or downloads: loading one
 * either fails with a message naming the member, or gives a profile whose
 * values are inside the documented ranges. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) profile = NULL;

  tdm_fuzz_init_once ();

  profile = tdm_webshop_profile_new_from_data ((const char *) data, size, "fuzz.json", &error);
  if (profile == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
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
    }
  return 0;
}
