/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-crash"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tdm-test-world.h"

/* Crash safety (docs/sync.md): `tandem --sync-now` runs as a child process
 * against both fakes and is killed with SIGKILL after the k-th request, for
 * many k spread over the run; a rerun then completes. Both shops must end
 * exactly as after an uninterrupted run: no duplicate, no lost record. */

#define WEBSHOP_TOKEN  "crash-test-token-41"
#define CLIENT_ID      "crash-client"
#define CLIENT_SECRET  "crash-secret-99"

static void
seed_world (TdmTestWorld *w)
{
  /* Customers: some only in the webshop, some only in Shopify, some twins. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"web%u@example.no\", \"first_name\": \"Åse\","
                                               " \"last_name\": \"Nett%u\", \"tags\": [\"web\"]}", i, i);
      g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER, json));
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"firstName\": \"Bjørn\", \"lastName\": \"Butikk%u\","
                                               " \"defaultEmailAddress\": {\"emailAddress\": \"shop%u@example.no\"},"
                                               " \"tags\": [\"shop\"]}", i, i);
      g_free (tdm_test_world_seed_shopify (w, TDM_KIND_CUSTOMER, json));
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *wj = g_strdup_printf ("{\"email\": \"both%u@example.no\", \"first_name\": \"Tvilling\","
                                             " \"last_name\": \"Nett%u\"}", i, i);
      g_autofree char *sj = g_strdup_printf ("{\"firstName\": \"Tvilling\", \"lastName\": \"Butikk%u\","
                                             " \"defaultEmailAddress\": {\"emailAddress\": \"both%u@example.no\"}}", i, i);
      g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER, wj));
      g_free (tdm_test_world_seed_shopify (w, TDM_KIND_CUSTOMER, sj));
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"sku\": \"SKU-%03u\", \"title\": \"Vare %u\", \"status\": \"active\","
                                               " \"price\": \"%u9.50\", \"currency\": \"NOK\", \"tags\": []}", i, i, i + 1);
      g_free (tdm_test_world_seed_webshop (w, TDM_KIND_PRODUCT, json));
    }
}

static TdmTestWorld *
world_new (void)
{
  TdmTestWorld *w = tdm_test_world_new ("crash", WEBSHOP_TOKEN, CLIENT_ID, CLIENT_SECRET);

  seed_world (w);
  return w;
}

/* Runs `tandem --sync-now` to its end, or kills it after `kill_after`
 * requests (0: never); TRUE when it was killed. */
#define run_child(w, kill_after) \
  tdm_test_world_sync_now (w, WEBSHOP_TOKEN, CLIENT_SECRET, NULL, kill_after, NULL)

/* What both shops hold, as comparable text: one sorted line per record. */
static char *
summarize (TdmTestWorld *w)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < 2; k++)
    {
      TdmKind kind = k == 0 ? TDM_KIND_CUSTOMER : TDM_KIND_PRODUCT;
      g_autoptr(GPtrArray) web = tdm_fake_webshop_get_records (w->web, kind);
      g_autoptr(JsonArray) shop = tdm_fake_shopify_get_records (w->shop, kind);

      for (guint i = 0; i < web->len; i++)
        {
          JsonObject *r = g_ptr_array_index (web, i);
          const char *key = kind == TDM_KIND_CUSTOMER ? json_object_get_string_member_with_default (r, "email", "")
                                                      : json_object_get_string_member_with_default (r, "sku", "");
          const char *name = kind == TDM_KIND_CUSTOMER ? json_object_get_string_member_with_default (r, "last_name", "")
                                                       : json_object_get_string_member_with_default (r, "title", "");
          g_ptr_array_add (lines, g_strdup_printf ("web %d %s %s linked=%d", kind, key, name,
                                                   json_object_get_string_member_with_default (r, "shopify_id", NULL) != NULL));
        }
      for (guint i = 0; i < json_array_get_length (shop); i++)
        {
          JsonObject *r = json_array_get_object_element (shop, i);
          const char *key = "";
          const char *name;

          if (kind == TDM_KIND_CUSTOMER)
            {
              JsonObject *email = json_object_get_object_member (r, "defaultEmailAddress");
              key = email ? json_object_get_string_member_with_default (email, "emailAddress", "") : "";
              name = json_object_get_string_member_with_default (r, "lastName", "");
            }
          else
            {
              JsonObject *variants = json_object_get_object_member (r, "variants");
              JsonArray *nodes = variants ? json_object_get_array_member (variants, "nodes") : NULL;
              if (nodes != NULL && json_array_get_length (nodes) > 0)
                key = json_object_get_string_member_with_default (json_array_get_object_element (nodes, 0), "sku", "");
              name = json_object_get_string_member_with_default (r, "title", "");
            }
          g_ptr_array_add (lines, g_strdup_printf ("shop %d %s %s", kind, key, name));
        }
    }

  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (out, g_ptr_array_index (lines, i));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static char *
summarize_sorted (TdmTestWorld *w)
{
  g_autofree char *text = summarize (w);
  g_auto(GStrv) parts = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (parts);

  qsort (parts, n, sizeof (char *), compare_lines);
  return g_strjoinv ("\n", parts);
}

static void
test_kill_anywhere (void)
{
  g_autofree char *reference = NULL;
  guint64 total;
  guint points = 0;

  if (!tdm_test_have_tandem ())
    {
      g_test_skip ("the tandem executable is not built");
      return;
    }

  /* The uninterrupted run, and its request count. */
  {
    g_autoptr(TdmTestWorld) w = world_new ();
    guint64 before = tdm_test_world_requests (w);

    g_assert_false (run_child (w, 0));
    total = tdm_test_world_requests (w) - before;
    g_assert_false (run_child (w, 0));   /* converged: a second run is harmless */
    reference = summarize_sorted (w);
  }
  g_test_message ("uninterrupted run: %" G_GUINT64_FORMAT " requests", total);
  g_assert_cmpuint (total, >=, 20);

  /* At least 20 kill points spread over the whole run. */
  for (guint64 k = 1; k < total; k += MAX (1, total / 24))
    {
      g_autoptr(TdmTestWorld) w = world_new ();
      g_autofree char *result = NULL;

      run_child (w, k);
      g_assert_false (run_child (w, 0));
      g_assert_false (run_child (w, 0));
      result = summarize_sorted (w);
      if (g_strcmp0 (result, reference) != 0)
        g_test_message ("killed after request %" G_GUINT64_FORMAT ":\n--- expected\n%s\n--- got\n%s",
                        k, reference, result);
      g_assert_cmpstr (result, ==, reference);
      points++;
    }
  g_test_message ("%u kill points checked", points);
  g_assert_cmpuint (points, >=, 20);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/crash/kill-anywhere", test_kill_anywhere);
  return g_test_run ();
}
