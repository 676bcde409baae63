/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-pull"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"

/* Listings that misbehave, end to end: the real engine and connectors
 * against the fake webshop over HTTP (issue 13). */

typedef struct
{
  E2E        *e2e;
  guint       lists;        /* GET /customers so far */
  guint       edit_on;      /* edit on this list request */
  const char *id;
  const char *patch;
} EditHook;

static void
edit_hook_cb (TdmFakeWebshop *web,
              const char     *method,
              const char     *path,
              gpointer        user_data)
{
  EditHook *hook = user_data;

  if (!g_str_equal (method, "GET") || !g_str_equal (path, "/customers"))
    return;
  if (++hook->lists == hook->edit_on)
    e2e_edit_webshop (hook->e2e, TDM_KIND_CUSTOMER, hook->id, hook->patch);
}

static char *
seed_customer (E2E        *e2e,
               guint       n,
               const char *first_name)
{
  g_autofree char *json = g_strdup_printf ("{\"email\": \"kunde%u@example.no\", \"first_name\": \"%s\","
                                           " \"last_name\": \"Hansen\","
                                           " \"updated_at\": \"2026-01-%02uT08:00:00Z\"}",
                                           n, first_name, n);

  return e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json);
}

static guint
count_list_requests (E2E        *e2e,
                     const char *path)
{
  GPtrArray *log = tdm_fake_webshop_get_request_log (e2e->web);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeRequest *r = g_ptr_array_index (log, i);

      if (g_str_equal (r->method, "GET") && g_str_equal (r->path, path))
        n++;
    }
  return n;
}

static const char *
shopify_first_name (E2E        *e2e,
                    const char *email)
{
  g_autoptr(JsonObject) shop = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER,
                                                 "defaultEmailAddress.emailAddress", email);
  static char name[64];

  g_assert_nonnull (shop);
  g_strlcpy (name, e2e_json_path_string (shop, "firstName"), sizeof name);
  return name;
}

/* The same record on page 1 and, edited meanwhile, on page 3: the API
 * docs call that normal. The newest copy is planned and written. */
static void
test_same_id_across_pages (void)
{
  E2E *e2e = e2e_new ();
  EditHook hook = { e2e, 0, 2, NULL, "{\"first_name\": \"Kari Edited\"}" };
  g_autofree char *first = NULL;
  g_autoptr(GError) error = NULL;
  TdmSyncCounts counts;

  e2e_set_webshop_page_size (e2e, 2);
  first = seed_customer (e2e, 1, "Kari");
  for (guint i = 2; i <= 5; i++)
    g_free (seed_customer (e2e, i, "Ola"));
  hook.id = first;
  tdm_fake_webshop_set_request_hook (e2e->web, edit_hook_cb, &hook);

  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  tdm_fake_webshop_set_request_hook (e2e->web, NULL, NULL);

  /* Pages: (1, 2), (3, 4), (5, 1 edited). */
  g_assert_cmpuint (count_list_requests (e2e, "/customers"), ==, 3);
  g_assert_cmpuint (counts.created, ==, 5);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 5);
  g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, "Kari Edited");

  /* And nothing is left to do. */
  e2e_clear_logs (e2e);
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  e2e_free (e2e);
}

/* Two copies of one id in one page: the newest wins whichever comes
 * first; on equal times the later one in the listing wins. */
static void
test_duplicate_in_one_page (void)
{
  struct {
    const char *extra_updated_at;
    const char *expected;
  } cases[] = {
    { "2025-12-01T08:00:00Z", "Kari" },       /* an older copy after the record */
    { "2026-01-01T08:00:00Z", "Kari Later" }, /* the same time: the later copy */
    { "2026-02-01T08:00:00Z", "Kari Later" }, /* a newer copy */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      E2E *e2e = e2e_new ();
      g_autofree char *first = seed_customer (e2e, 1, "Kari");
      g_autofree char *second = seed_customer (e2e, 2, "Ola");
      g_autoptr(JsonObject) extra = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, first);
      g_autoptr(GError) error = NULL;
      TdmSyncCounts counts;

      json_object_set_string_member (extra, "first_name", "Kari Later");
      json_object_set_string_member (extra, "updated_at", cases[c].extra_updated_at);
      tdm_fake_webshop_set_page_extra (e2e->web, TDM_KIND_CUSTOMER, extra);

      g_assert_true (e2e_run (e2e, NULL, &counts, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (counts.created, ==, 2);
      g_assert_cmpuint (counts.errors, ==, 0);
      g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);
      g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, cases[c].expected);
      e2e_free (e2e);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pull/same-id-across-pages", test_same_id_across_pages);
  g_test_add_func ("/pull/duplicate-in-one-page", test_duplicate_in_one_page);

  return g_test_run ();
}
