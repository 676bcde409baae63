/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-secrets"

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tdm-credential-store.h"
#include "tdm-error.h"
#include "tdm-record.h"
#include "tdm-planner.h"
#include "tdm-secrets.h"
#include "tdm-store.h"
#include "tdm-test-secrets.h"
#include "tdm-test-tree.h"

/* Run through tests/store/run-secret-test.sh: a private session bus with
 * its own gnome-keyring and HOME. TANDEM_SECRET_COLLECTION picks the
 * collection: "default" (the login keyring) or "session" (in memory). */

#define SHOP "tandem-test.myshopify.com"
#define SECRET_A "shpat_0123456789abcdef-A"
#define SECRET_B "shpat_fedcba9876543210-B"

static const char *
collection (void)
{
  const char *c = g_getenv ("TANDEM_SECRET_COLLECTION");

  if (g_strcmp0 (c, "session") == 0)
    return SECRET_COLLECTION_SESSION;
  return SECRET_COLLECTION_DEFAULT;
}

/* Skips unless a Secret Service answers on this session bus. */
static gboolean
have_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No D-Bus session bus; run through run-secret-test.sh");
      return FALSE;
    }
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  if (service == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("No Secret Service answers: %s", error->message);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("The keyring did not answer within 20 seconds");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_result (Wait *w)
{
  guint id = g_timeout_add_seconds (20, on_timeout, NULL);

  g_main_loop_run (w->loop);
  g_source_remove (id);
  return w->result;
}

static gboolean
store_secret (TdmCredentialStore *store,
              TdmSide             side,
              const char         *account,
              const char         *secret,
              GError            **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL };
  gboolean ok;

  tdm_credential_store_store_async (store, side, account, secret, NULL, on_done, &w);
  ok = tdm_credential_store_store_finish (store, wait_result (&w), error);
  g_object_unref (w.result);
  g_main_loop_unref (w.loop);
  return ok;
}

static char *
lookup_secret (TdmCredentialStore *store,
               TdmSide             side,
               const char         *account,
               GError            **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL };
  char *secret;

  tdm_credential_store_lookup_async (store, side, account, NULL, on_done, &w);
  secret = tdm_credential_store_lookup_finish (store, wait_result (&w), error);
  g_object_unref (w.result);
  g_main_loop_unref (w.loop);
  return secret;
}

static gboolean
clear_secret (TdmCredentialStore *store,
              TdmSide             side,
              const char         *account,
              GError            **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL };
  gboolean ok;

  tdm_credential_store_clear_async (store, side, account, NULL, on_done, &w);
  ok = tdm_credential_store_clear_finish (store, wait_result (&w), error);
  g_object_unref (w.result);
  g_main_loop_unref (w.loop);
  return ok;
}

/* The same flow for any TdmCredentialStore. */
static void
check_round_trip (TdmCredentialStore *store)
{
  g_autoptr(GError) error = NULL;
  char *got;

  got = lookup_secret (store, TDM_SIDE_SHOPIFY, SHOP, &error);
  g_assert_no_error (error);
  g_assert_null (got);

  g_assert_true (store_secret (store, TDM_SIDE_SHOPIFY, SHOP, SECRET_A, &error));
  g_assert_no_error (error);
  got = lookup_secret (store, TDM_SIDE_SHOPIFY, SHOP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, SECRET_A);
  tdm_credential_free (got);

  /* Other side, other account: separate. */
  got = lookup_secret (store, TDM_SIDE_WEBSHOP, SHOP, &error);
  g_assert_no_error (error);
  g_assert_null (got);
  got = lookup_secret (store, TDM_SIDE_SHOPIFY, "other-shop.myshopify.com", &error);
  g_assert_no_error (error);
  g_assert_null (got);
  g_assert_true (store_secret (store, TDM_SIDE_WEBSHOP, "https://shop.example", "webshop-token", &error));

  /* Storing again replaces. */
  g_assert_true (store_secret (store, TDM_SIDE_SHOPIFY, SHOP, SECRET_B, &error));
  got = tdm_credential_store_lookup_sync (store, TDM_SIDE_SHOPIFY, SHOP, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, SECRET_B);
  tdm_credential_free (got);

  g_assert_true (clear_secret (store, TDM_SIDE_SHOPIFY, SHOP, &error));
  g_assert_no_error (error);
  got = lookup_secret (store, TDM_SIDE_SHOPIFY, SHOP, &error);
  g_assert_no_error (error);
  g_assert_null (got);
  /* Clearing nothing is fine. */
  g_assert_true (clear_secret (store, TDM_SIDE_SHOPIFY, SHOP, &error));
  g_assert_no_error (error);

  got = tdm_credential_store_lookup_sync (store, TDM_SIDE_WEBSHOP, "https://shop.example", NULL, &error);
  g_assert_cmpstr (got, ==, "webshop-token");
  tdm_credential_free (got);
  g_assert_true (clear_secret (store, TDM_SIDE_WEBSHOP, "https://shop.example", &error));
}

static void
test_memory_round_trip (void)
{
  g_autoptr(TdmMemoryCredentials) store = tdm_memory_credentials_new ();

  g_assert_true (TDM_IS_CREDENTIAL_STORE (store));
  check_round_trip (TDM_CREDENTIAL_STORE (store));
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(TdmSecrets) secrets = NULL;

  if (!have_secret_service ())
    return;
  secrets = tdm_secrets_new_for_collection (collection ());
  check_round_trip (TDM_CREDENTIAL_STORE (secrets));
}

static void
test_keyring_item (void)
{
  g_autoptr(TdmSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;
  SecretItem *item;
  g_autofree char *label = NULL;
  g_autoptr(GHashTable) item_attributes = NULL;

  if (!have_secret_service ())
    return;
  secrets = tdm_secrets_new_for_collection (collection ());
  g_assert_true (store_secret (TDM_CREDENTIAL_STORE (secrets), TDM_SIDE_SHOPIFY, SHOP, SECRET_A, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  attributes = secret_attributes_build (tdm_secrets_get_schema (),
                                        "service", "shopify", "account", SHOP, NULL);
  items = secret_service_search_sync (service, tdm_secrets_get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  item = items->data;
  label = secret_item_get_label (item);
  g_assert_cmpstr (label, ==, "Tandem: Shopify (" SHOP ")");
  item_attributes = secret_item_get_attributes (item);
  g_assert_cmpstr (g_hash_table_lookup (item_attributes, "service"), ==, "shopify");
  g_assert_cmpstr (g_hash_table_lookup (item_attributes, "account"), ==, SHOP);
  g_assert_cmpstr (g_hash_table_lookup (item_attributes, "gen"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (item_attributes, "xdg:schema"), ==,
                   "io.github.tandemsync.Tandem.Secret");
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear_secret (TDM_CREDENTIAL_STORE (secrets), TDM_SIDE_SHOPIFY, SHOP, &error));
}

/* A secret stored on a headless server with secret-tool is found. */
static void
test_secret_tool_compatible (void)
{
  g_autoptr(TdmSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *found = NULL;
  g_autofree char *tool = g_find_program_in_path ("secret-tool");

  if (!have_secret_service ())
    return;
  if (tool == NULL)
    {
      g_test_skip ("secret-tool (libsecret-tools) is not installed");
      return;
    }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, tool, "store",
                           "--label=Tandem", "service", "webshop", "account",
                           "https://headless.example", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, "token-from-secret-tool", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));

  secrets = tdm_secrets_new_for_collection (collection ());
  found = tdm_credential_store_lookup_sync (TDM_CREDENTIAL_STORE (secrets), TDM_SIDE_WEBSHOP,
                                            "https://headless.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "token-from-secret-tool");
  g_assert_true (clear_secret (TDM_CREDENTIAL_STORE (secrets), TDM_SIDE_WEBSHOP,
                               "https://headless.example", &error));
}

/* The database never holds a credential: after a full round of store use
 * with a secret in the keyring, its bytes do not contain it. */
static void
test_secret_not_in_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tdm-secret-db-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(TdmStore) store = NULL;
  g_autoptr(TdmSecrets) secrets = NULL;
  g_autoptr(TdmMemoryCredentials) memory = tdm_memory_credentials_new ();
  TdmCredentialStore *credentials;
  g_autofree char *secret = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL && have_secret_service ())
    {
      secrets = tdm_secrets_new_for_collection (collection ());
      credentials = TDM_CREDENTIAL_STORE (secrets);
    }
  else
    {
      /* g_test_skip above marks the keyring unavailable; still check the
       * database with the in-memory store. */
      credentials = TDM_CREDENTIAL_STORE (memory);
    }

  g_assert_true (store_secret (credentials, TDM_SIDE_SHOPIFY, SHOP, SECRET_A, &error));
  g_assert_no_error (error);

  store = tdm_store_new (path, &error);
  g_assert_no_error (error);
  secret = tdm_credential_store_lookup_sync (credentials, TDM_SIDE_SHOPIFY, SHOP, NULL, &error);
  g_assert_cmpstr (secret, ==, SECRET_A);
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autoptr(TdmRecord) ws = NULL;
    g_autoptr(TdmRecord) sh = NULL;
    g_autoptr(TdmLink) link = NULL;
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER };

    json_object_set_string_member (fields, "email", "kari@example.no");
    ws = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "1", NULL, NULL, fields, NULL);
    sh = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL, NULL, fields, NULL);
    link = tdm_link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1");
    commit.link = link;
    commit.cache[TDM_SIDE_WEBSHOP] = ws;
    commit.cache[TDM_SIDE_SHOPIFY] = sh;
    g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (store), &commit, &error));
    g_assert_true (tdm_record_store_set_watermark (TDM_RECORD_STORE (store), TDM_SIDE_SHOPIFY,
                                                   TDM_KIND_CUSTOMER, "2026-11-26T10:00:00Z", &error));
    g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (store), &error), >, 0);
    g_assert_no_error (error);
  }

  /* Sanity: the check can see plain text in the file. */
  g_assert_true (tdm_test_file_contains (path, "kari@example.no") || tdm_test_file_contains (wal, "kari@example.no"));
  g_assert_false (tdm_test_file_contains (path, SECRET_A));
  g_assert_false (tdm_test_file_contains (wal, SECRET_A));
  g_clear_object (&store);
  g_assert_false (tdm_test_file_contains (path, SECRET_A));

  g_assert_true (clear_secret (credentials, TDM_SIDE_SHOPIFY, SHOP, &error));
  tdm_credential_free (g_steal_pointer (&secret));
  tdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/secret/memory-round-trip", test_memory_round_trip);
  g_test_add_func ("/secret/keyring-round-trip", test_keyring_round_trip);
  g_test_add_func ("/secret/keyring-item", test_keyring_item);
  g_test_add_func ("/secret/secret-tool-compatible", test_secret_tool_compatible);
  g_test_add_func ("/secret/not-in-database", test_secret_not_in_database);

  return g_test_run ();
}
