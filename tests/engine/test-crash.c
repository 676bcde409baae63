/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-crash"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"

/* Crash safety (SYNC.md): `tandem --sync-now` runs as a child process
 * against both fakes and is killed with SIGKILL after the k-th request, for
 * many k spread over the run; a rerun then completes. Both shops must end
 * exactly as after an uninterrupted run: no duplicate, no lost record. */

#define WEBSHOP_TOKEN  "crash-test-token-41"
#define CLIENT_ID      "crash-client"
#define CLIENT_SECRET  "crash-secret-99"

typedef struct
{
  TdmFakeWebshop *web;
  TdmFakeShopify *shop;
  char           *dir;
} World;

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
seed_world (World *w)
{
  /* Customers: some only in the webshop, some only in Shopify, some twins. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"web%u@example.no\", \"first_name\": \"Åse\","
                                               " \"last_name\": \"Nett%u\", \"tags\": [\"web\"]}", i, i);
      g_autoptr(JsonObject) o = object_from (json);
      g_free (tdm_fake_webshop_seed (w->web, TDM_KIND_CUSTOMER, o));
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"firstName\": \"Bjørn\", \"lastName\": \"Butikk%u\","
                                               " \"defaultEmailAddress\": {\"emailAddress\": \"shop%u@example.no\"},"
                                               " \"tags\": [\"shop\"]}", i, i);
      g_autoptr(JsonObject) o = object_from (json);
      g_free (tdm_fake_shopify_seed (w->shop, TDM_KIND_CUSTOMER, o));
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *wj = g_strdup_printf ("{\"email\": \"both%u@example.no\", \"first_name\": \"Tvilling\","
                                             " \"last_name\": \"Nett%u\"}", i, i);
      g_autofree char *sj = g_strdup_printf ("{\"firstName\": \"Tvilling\", \"lastName\": \"Butikk%u\","
                                             " \"defaultEmailAddress\": {\"emailAddress\": \"both%u@example.no\"}}", i, i);
      g_autoptr(JsonObject) wo = object_from (wj);
      g_autoptr(JsonObject) so = object_from (sj);
      g_free (tdm_fake_webshop_seed (w->web, TDM_KIND_CUSTOMER, wo));
      g_free (tdm_fake_shopify_seed (w->shop, TDM_KIND_CUSTOMER, so));
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"sku\": \"SKU-%03u\", \"title\": \"Vare %u\", \"status\": \"active\","
                                               " \"price\": \"%u9.50\", \"currency\": \"NOK\", \"tags\": []}", i, i, i + 1);
      g_autoptr(JsonObject) o = object_from (json);
      g_free (tdm_fake_webshop_seed (w->web, TDM_KIND_PRODUCT, o));
    }
}

static World *
world_new (void)
{
  World *w = g_new0 (World, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *contents = NULL;

  w->dir = g_dir_make_tmp ("tandem-crash-XXXXXX", &error);
  g_assert_no_error (error);

  w->web = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (w->web, TDM_WEBSHOP_AUTH_BEARER, WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (w->web, &error));
  w->shop = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (w->shop, CLIENT_ID, CLIENT_SECRET, NULL);
  g_assert_true (tdm_fake_shopify_start (w->shop, &error));
  seed_world (w);

  keyfile_dir = g_build_filename (w->dir, "config", "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  contents = g_strdup_printf ("[io/github/tandemsync/Tandem]\n"
                              "webshop-url='%s'\n"
                              "shopify-shop='%s'\n"
                              "shopify-client-id='%s'\n",
                              tdm_fake_webshop_get_url (w->web),
                              tdm_fake_shopify_get_url (w->shop), CLIENT_ID);
  g_assert_true (g_file_set_contents (keyfile, contents, -1, NULL));
  return w;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
world_free (World *w)
{
  g_clear_object (&w->web);
  g_clear_object (&w->shop);
  remove_tree (w->dir);
  g_free (w->dir);
  g_free (w);
}

static guint64
requests_so_far (World *w)
{
  return tdm_fake_webshop_get_request_log (w->web)->len +
         tdm_fake_shopify_get_request_total (w->shop);
}

static GSubprocess *
spawn_sync (World *w)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *config = g_build_filename (w->dir, "config", NULL);
  g_autofree char *state = g_build_filename (w->dir, "state", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("TANDEM_BUILD_DIR"), "src", "tandem", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_STATE_DIR", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_CONFIG_DIR", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_WEBSHOP_SECRET", WEBSHOP_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_SHOPIFY_SECRET", CLIENT_SECRET, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, exe, "--sync-now", NULL);
  g_assert_no_error (error);
  return child;
}

typedef struct
{
  GMainLoop   *loop;
  GSubprocess *child;
  World       *world;
  guint64      kill_at;   /* 0: never */
  gboolean     killed;
  gboolean     exited;
} Watch;

static void
on_child_exit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Watch *watch = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  watch->exited = TRUE;
  g_main_loop_quit (watch->loop);
}

static gboolean
on_poll_cb (gpointer user_data)
{
  Watch *watch = user_data;

  if (watch->exited)
    return G_SOURCE_REMOVE;
  if (watch->kill_at > 0 && !watch->killed && requests_so_far (watch->world) >= watch->kill_at)
    {
      g_subprocess_send_signal (watch->child, SIGKILL);
      watch->killed = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

/* Runs the child; returns TRUE when it was killed before it finished. */
static gboolean
run_child (World   *w,
           guint64  kill_after)
{
  Watch watch = { 0 };
  guint poll_id;

  watch.loop = g_main_loop_new (NULL, FALSE);
  watch.world = w;
  watch.kill_at = kill_after > 0 ? requests_so_far (w) + kill_after : 0;
  watch.child = spawn_sync (w);
  g_subprocess_wait_async (watch.child, NULL, on_child_exit_cb, &watch);
  poll_id = g_timeout_add (1, on_poll_cb, &watch);
  g_main_loop_run (watch.loop);
  g_source_remove (poll_id);
  if (!watch.killed)
    g_assert_true (g_subprocess_get_successful (watch.child));
  g_object_unref (watch.child);
  g_main_loop_unref (watch.loop);
  return watch.killed;
}

/* What both shops hold, as comparable text: one sorted line per record. */
static char *
summarize (World *w)
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
summarize_sorted (World *w)
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
  g_autofree char *exe = g_build_filename (g_getenv ("TANDEM_BUILD_DIR"), "src", "tandem", NULL);
  guint64 total;
  guint points = 0;

  if (!g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the tandem executable is not built");
      return;
    }

  /* The uninterrupted run, and its request count. */
  {
    World *w = world_new ();
    guint64 before = requests_so_far (w);

    g_assert_false (run_child (w, 0));
    total = requests_so_far (w) - before;
    g_assert_false (run_child (w, 0));   /* converged: a second run is harmless */
    reference = summarize_sorted (w);
    world_free (w);
  }
  g_test_message ("uninterrupted run: %" G_GUINT64_FORMAT " requests", total);
  g_assert_cmpuint (total, >=, 20);

  /* At least 20 kill points spread over the whole run. */
  for (guint64 k = 1; k < total; k += MAX (1, total / 24))
    {
      World *w = world_new ();
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
      world_free (w);
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
