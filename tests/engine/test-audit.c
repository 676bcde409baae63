/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "tdm-test-audit"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"

/* Runs the real `tandem --sync-now` in child processes against both fakes:
 *  - secrets audit: with G_MESSAGES_DEBUG=all, a full sync, a rejected
 *    credential and a killed-and-resumed run; no secret may appear in any
 *    output, the database, the settings keyfile or anywhere in the state dir;
 *  - durability: a truncated, corrupted or newer database is refused with a
 *    clear message (exit 1) and never replaced; removing it rebuilds the
 *    links from the ids both shops carry, without a single duplicate. */

#define WEBSHOP_TOKEN  "audit-webshop-token-5d8c1e"
#define CLIENT_ID      "audit-client-id"
#define CLIENT_SECRET  "audit-client-secret-91fe2a"
#define WRONG_SECRET   "audit-wrong-secret-0b77"

typedef struct
{
  TdmFakeWebshop *web;
  TdmFakeShopify *shop;
  char           *dir;
  GString        *output;   /* everything the children printed */
} World;

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static World *
world_new (void)
{
  World *w = g_new0 (World, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *contents = NULL;

  w->output = g_string_new (NULL);
  w->dir = g_dir_make_tmp ("tandem-audit-XXXXXX", &error);
  g_assert_no_error (error);

  w->web = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (w->web, TDM_WEBSHOP_AUTH_BEARER, WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (w->web, &error));
  w->shop = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (w->shop, CLIENT_ID, CLIENT_SECRET, NULL);
  g_assert_true (tdm_fake_shopify_start (w->shop, &error));

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *wj = g_strdup_printf ("{\"email\": \"audit%u@example.no\", \"first_name\": \"Ragnhild\","
                                             " \"last_name\": \"Revisor%u\", \"phone\": \"+47400000%02u\"}", i, i, i);
      g_autofree char *sj = g_strdup_printf ("{\"firstName\": \"Torstein\", \"lastName\": \"Butikk%u\","
                                             " \"defaultEmailAddress\": {\"emailAddress\": \"butikk%u@example.no\"}}", i, i);
      g_autofree char *pj = g_strdup_printf ("{\"sku\": \"AUD-%02u\", \"title\": \"Revisjonsvare %u\","
                                             " \"status\": \"active\", \"price\": \"1%u0.00\", \"currency\": \"NOK\"}", i, i, i);
      g_autoptr(JsonObject) wo = object_from (wj);
      g_autoptr(JsonObject) so = object_from (sj);
      g_autoptr(JsonObject) po = object_from (pj);

      g_free (tdm_fake_webshop_seed (w->web, TDM_KIND_CUSTOMER, wo));
      g_free (tdm_fake_shopify_seed (w->shop, TDM_KIND_CUSTOMER, so));
      g_free (tdm_fake_webshop_seed (w->web, TDM_KIND_PRODUCT, po));
    }

  keyfile_dir = g_build_filename (w->dir, "config", "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  contents = g_strdup_printf ("[io/github/tandemsync/Tandem]\n"
                              "webshop-url='%s'\nshopify-shop='%s'\nshopify-client-id='%s'\n",
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
  g_string_free (w->output, TRUE);
  g_free (w);
}

typedef struct
{
  GMainLoop   *loop;
  GSubprocess *child;
  World       *world;
  guint64      kill_at;   /* 0: never */
  char        *out;
  char        *err;
  int          status;
} Run;

static guint64
requests_so_far (World *w)
{
  return tdm_fake_webshop_get_request_log (w->web)->len +
         tdm_fake_shopify_get_request_total (w->shop);
}

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  g_main_loop_quit (run->loop);
}

static gboolean
on_kill_poll_cb (gpointer user_data)
{
  Run *run = user_data;

  if (run->kill_at > 0 && requests_so_far (run->world) >= run->kill_at)
    {
      g_subprocess_send_signal (run->child, SIGKILL);
      run->kill_at = 0;
    }
  return G_SOURCE_CONTINUE;
}

/* Runs `tandem --sync-now` with `shopify_secret`; returns the exit status
 * (-1 when killed) and appends everything it printed to w->output. */
static int
run_tandem (World      *w,
            const char *shopify_secret,
            guint64     kill_after_requests)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *config = g_build_filename (w->dir, "config", NULL);
  g_autofree char *state = g_build_filename (w->dir, "state", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("TANDEM_BUILD_DIR"), "src", "tandem", NULL);
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  guint poll_id;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_STATE_DIR", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_CONFIG_DIR", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_WEBSHOP_SECRET", WEBSHOP_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_SHOPIFY_SECRET", shopify_secret, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");

  run.world = w;
  run.kill_at = kill_after_requests > 0 ? requests_so_far (w) + kill_after_requests : 0;
  run.loop = g_main_loop_new (NULL, FALSE);
  run.child = g_subprocess_launcher_spawn (launcher, &error, exe, "--sync-now", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run.child, NULL, NULL, on_communicated_cb, &run);
  poll_id = g_timeout_add (1, on_kill_poll_cb, &run);
  g_main_loop_run (run.loop);
  g_source_remove (poll_id);
  g_main_loop_unref (run.loop);
  g_object_unref (run.child);

  g_string_append (w->output, run.out ? run.out : "");
  g_string_append (w->output, run.err ? run.err : "");
  g_free (run.out);
  g_free (run.err);
  return run.status;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
assert_tree_clean (const char *path,
                   const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_tree_clean (child, needle);
      else if (file_contains (child, needle))
        g_error ("A secret was found in %s", child);
    }
}

static void
test_secrets_never_leak (void)
{
  World *w = world_new ();
  const char *secrets[] = { WEBSHOP_TOKEN, CLIENT_SECRET, WRONG_SECRET, NULL };
  int status;

  /* A rejected credential, a killed run, then two complete runs. */
  status = run_tandem (w, WRONG_SECRET, 0);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (w->output->str, "Shopify"));
  run_tandem (w, CLIENT_SECRET, 12);
  g_assert_cmpint (run_tandem (w, CLIENT_SECRET, 0), ==, 0);
  g_assert_cmpint (run_tandem (w, CLIENT_SECRET, 0), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER), ==, 12);

  /* The debug log really was on, so the check means something. */
  g_assert_nonnull (strstr (w->output->str, "DEBUG"));

  for (guint i = 0; secrets[i] != NULL; i++)
    {
      if (strstr (w->output->str, secrets[i]) != NULL)
        g_error ("The secret %.6s… appeared in Tandem's output", secrets[i]);
      assert_tree_clean (w->dir, secrets[i]);
    }
  /* Tokens minted by the grant must not leak either. */
  g_assert_null (strstr (w->output->str, "shpat_"));
  world_free (w);
}

static char *
state_path (World *w)
{
  return g_build_filename (w->dir, "state", "state.sqlite3", NULL);
}

static void
corrupt_and_check (World      *w,
                   const char *how)
{
  g_autofree char *path = state_path (w);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len = 0, len_after = 0;
  int status;

  g_assert_true (g_file_get_contents (path, &before, &len, NULL));
  g_assert_cmpuint (len, >, 4096);

  if (g_str_equal (how, "truncate"))
    len = len / 3;
  else if (g_str_equal (how, "flip"))
    {
      /* Garble the second page, where the tables live. */
      for (gsize i = 4096; i < MIN (len, 8192); i++)
        before[i] ^= 0x5a;
    }
  else if (g_str_equal (how, "header"))
    memcpy (before, "Not a database at all...", 24);
  g_assert_true (g_file_set_contents (path, before, len, NULL));
  g_clear_pointer (&before, g_free);
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));

  g_string_truncate (w->output, 0);
  status = run_tandem (w, CLIENT_SECRET, 0);
  g_test_message ("%s: exit %d: %s", how, status, w->output->str);
  g_assert_cmpint (status, ==, 1);
  /* The message names the file; the file is left as it was for recovery. */
  g_assert_nonnull (strstr (w->output->str, "state.sqlite3"));
  g_assert_true (g_file_get_contents (path, &after, &len_after, NULL));
  g_assert_cmpuint (len_after, ==, len);
  g_assert_true (memcmp (before, after, len) == 0);
}

static void
test_corrupt_database_refused_then_rebuilt (void)
{
  const char *ways[] = { "truncate", "flip", "header" };

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      World *w = world_new ();
      g_autofree char *path = state_path (w);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      guint customers_web, customers_shop, products_shop;

      g_assert_cmpint (run_tandem (w, CLIENT_SECRET, 0), ==, 0);
      customers_web = tdm_fake_webshop_count (w->web, TDM_KIND_CUSTOMER);
      customers_shop = tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER);
      products_shop = tdm_fake_shopify_count (w->shop, TDM_KIND_PRODUCT);
      g_unlink (wal);
      g_unlink (shm);

      corrupt_and_check (w, ways[i]);

      /* The documented recovery: move the file away and sync again. The
       * links come back from shopify_id and the webshop_id metafields. */
      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (run_tandem (w, CLIENT_SECRET, 0), ==, 0);
      g_assert_cmpuint (tdm_fake_webshop_count (w->web, TDM_KIND_CUSTOMER), ==, customers_web);
      g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER), ==, customers_shop);
      g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_PRODUCT), ==, products_shop);
      world_free (w);
    }
}

static void
test_newer_database_refused (void)
{
  World *w = world_new ();
  g_autofree char *path = state_path (w);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len = 0, len_after = 0;
  int status;

  g_assert_cmpint (run_tandem (w, CLIENT_SECRET, 0), ==, 0);
  /* A database written by a newer Tandem (schema version far ahead). */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 9999;", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));
  g_string_truncate (w->output, 0);
  status = run_tandem (w, CLIENT_SECRET, 0);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (w->output->str, "state.sqlite3"));
  g_assert_true (g_file_get_contents (path, &after, &len_after, NULL));
  g_assert_cmpuint (len_after, ==, len);
  g_assert_true (memcmp (before, after, len) == 0);
  world_free (w);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/audit/secrets-never-leak", test_secrets_never_leak);
  g_test_add_func ("/durability/corrupt-database", test_corrupt_database_refused_then_rebuilt);
  g_test_add_func ("/durability/newer-database", test_newer_database_refused);
  return g_test_run ();
}
