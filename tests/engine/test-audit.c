/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-audit"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tdm-test-secrets.h"
#include "tdm-test-world.h"

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
  TdmTestWorld *world;
  GString      *output;   /* everything the children printed */
} Audit;

static Audit *
audit_new (void)
{
  Audit *a = g_new0 (Audit, 1);

  a->output = g_string_new (NULL);
  a->world = tdm_test_world_new ("audit", WEBSHOP_TOKEN, CLIENT_ID, CLIENT_SECRET);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *wj = g_strdup_printf ("{\"email\": \"audit%u@example.no\", \"first_name\": \"Ragnhild\","
                                             " \"last_name\": \"Revisor%u\", \"phone\": \"+47400000%02u\"}", i, i, i);
      g_autofree char *sj = g_strdup_printf ("{\"firstName\": \"Torstein\", \"lastName\": \"Butikk%u\","
                                             " \"defaultEmailAddress\": {\"emailAddress\": \"butikk%u@example.no\"}}", i, i);
      g_autofree char *pj = g_strdup_printf ("{\"sku\": \"AUD-%02u\", \"title\": \"Revisjonsvare %u\","
                                             " \"status\": \"active\", \"price\": \"1%u0.00\", \"currency\": \"NOK\"}", i, i, i);

      g_free (tdm_test_world_seed_webshop (a->world, TDM_KIND_CUSTOMER, wj));
      g_free (tdm_test_world_seed_shopify (a->world, TDM_KIND_CUSTOMER, sj));
      g_free (tdm_test_world_seed_webshop (a->world, TDM_KIND_PRODUCT, pj));
    }
  return a;
}

static void
audit_free (Audit *a)
{
  tdm_test_world_free (a->world);
  g_string_free (a->output, TRUE);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Audit, audit_free)

/* Runs `tandem --sync-now` with `shopify_secret`, every debug message on;
 * returns the exit status (-1 when killed after `kill_after_requests`, 0:
 * never) and appends everything it printed to a->output. */
static int
run_tandem (Audit      *a,
            const char *shopify_secret,
            guint64     kill_after_requests)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(TdmTestChild) child = NULL;

  launcher = tdm_test_world_launcher (a->world,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                      WEBSHOP_TOKEN, shopify_secret);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  child = tdm_test_child_spawn_tandem (launcher, "--sync-now", NULL);
  if (kill_after_requests > 0)
    tdm_test_world_kill_after (a->world, child, kill_after_requests);
  tdm_test_child_wait (child, 300);

  g_string_append (a->output, child->out ? child->out : "");
  g_string_append (a->output, child->err ? child->err : "");
  return child->status;
}

static void
test_secrets_never_leak (void)
{
  g_autoptr(Audit) a = audit_new ();
  const char *secrets[] = { WEBSHOP_TOKEN, CLIENT_SECRET, WRONG_SECRET, NULL };
  int status;

  /* A rejected credential, a killed run, then two complete runs. */
  status = run_tandem (a, WRONG_SECRET, 0);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (a->output->str, "Shopify"));
  run_tandem (a, CLIENT_SECRET, 12);
  g_assert_cmpint (run_tandem (a, CLIENT_SECRET, 0), ==, 0);
  g_assert_cmpint (run_tandem (a, CLIENT_SECRET, 0), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (a->world->shop, TDM_KIND_CUSTOMER), ==, 12);

  /* The debug log really was on, so the check means something. */
  g_assert_nonnull (strstr (a->output->str, "DEBUG"));

  for (guint i = 0; secrets[i] != NULL; i++)
    {
      if (strstr (a->output->str, secrets[i]) != NULL)
        g_error ("The secret %.6s… appeared in Tandem's output", secrets[i]);
      tdm_test_assert_tree_clean (a->world->dir, secrets[i]);
    }
  /* Tokens minted by the grant must not leak either. */
  g_assert_null (strstr (a->output->str, "shpat_"));
}

static char *
state_path (Audit *a)
{
  return g_build_filename (a->world->dir, "state", "state.sqlite3", NULL);
}

static void
corrupt_and_check (Audit      *a,
                   const char *how)
{
  g_autofree char *path = state_path (a);
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

  g_string_truncate (a->output, 0);
  status = run_tandem (a, CLIENT_SECRET, 0);
  g_test_message ("%s: exit %d: %s", how, status, a->output->str);
  g_assert_cmpint (status, ==, 1);
  /* The message names the file; the file is left as it was for recovery. */
  g_assert_nonnull (strstr (a->output->str, "state.sqlite3"));
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
      g_autoptr(Audit) a = audit_new ();
      g_autofree char *path = state_path (a);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      guint customers_web, customers_shop, products_shop;

      g_assert_cmpint (run_tandem (a, CLIENT_SECRET, 0), ==, 0);
      customers_web = tdm_fake_webshop_count (a->world->web, TDM_KIND_CUSTOMER);
      customers_shop = tdm_fake_shopify_count (a->world->shop, TDM_KIND_CUSTOMER);
      products_shop = tdm_fake_shopify_count (a->world->shop, TDM_KIND_PRODUCT);
      g_unlink (wal);
      g_unlink (shm);

      corrupt_and_check (a, ways[i]);

      /* The documented recovery: move the file away and sync again. The
       * links come back from shopify_id and the webshop_id metafields. */
      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (run_tandem (a, CLIENT_SECRET, 0), ==, 0);
      g_assert_cmpuint (tdm_fake_webshop_count (a->world->web, TDM_KIND_CUSTOMER), ==, customers_web);
      g_assert_cmpuint (tdm_fake_shopify_count (a->world->shop, TDM_KIND_CUSTOMER), ==, customers_shop);
      g_assert_cmpuint (tdm_fake_shopify_count (a->world->shop, TDM_KIND_PRODUCT), ==, products_shop);
    }
}

static void
test_newer_database_refused (void)
{
  g_autoptr(Audit) a = audit_new ();
  g_autofree char *path = state_path (a);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len = 0, len_after = 0;
  int status;

  g_assert_cmpint (run_tandem (a, CLIENT_SECRET, 0), ==, 0);
  /* A database written by a newer Tandem (schema version far ahead). */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 9999;", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));
  g_string_truncate (a->output, 0);
  status = run_tandem (a, CLIENT_SECRET, 0);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (a->output->str, "state.sqlite3"));
  g_assert_true (g_file_get_contents (path, &after, &len_after, NULL));
  g_assert_cmpuint (len_after, ==, len);
  g_assert_true (memcmp (before, after, len) == 0);
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
