/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-world.h"

#include "tdm-test-settings.h"
#include "tdm-test-tree.h"

TdmTestWorld *
tdm_test_world_new (const char *name,
                    const char *webshop_token,
                    const char *client_id,
                    const char *client_secret)
{
  TdmTestWorld *world = g_new0 (TdmTestWorld, 1);
  g_autofree char *tmpl = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (name != NULL);
  g_assert (webshop_token != NULL);
  g_assert (client_id != NULL);
  g_assert (client_secret != NULL);

  tmpl = g_strdup_printf ("tandem-%s-XXXXXX", name);
  world->dir = tdm_test_make_tmp_dir (tmpl);
  world->client_id = g_strdup (client_id);

  world->web = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (world->web, TDM_WEBSHOP_AUTH_BEARER, webshop_token);
  g_assert_true (tdm_fake_webshop_start (world->web, &error));
  world->shop = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (world->shop, client_id, client_secret, NULL);
  g_assert_true (tdm_fake_shopify_start (world->shop, &error));

  tdm_test_world_write_settings (world, NULL);
  return world;
}

void
tdm_test_world_free (TdmTestWorld *world)
{
  if (world == NULL)
    return;

  g_clear_object (&world->web);
  g_clear_object (&world->shop);
  tdm_test_remove_tree (world->dir);
  g_free (world->dir);
  g_free (world->keyfile);
  g_free (world->client_id);
  g_free (world);
}

void
tdm_test_world_write_settings (TdmTestWorld *world,
                               const char   *extra)
{
  g_autofree char *config = NULL;
  g_autofree char *lines = NULL;

  g_assert (world != NULL);

  config = g_build_filename (world->dir, "config", NULL);
  lines = g_strdup_printf ("webshop-url='%s'\n"
                           "shopify-shop='%s'\n"
                           "shopify-client-id='%s'\n"
                           "%s",
                           tdm_fake_webshop_get_url (world->web),
                           tdm_fake_shopify_get_url (world->shop), world->client_id,
                           extra != NULL ? extra : "");
  g_free (world->keyfile);
  world->keyfile = tdm_test_settings_write (config, lines);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
tdm_test_world_seed_webshop (TdmTestWorld *world,
                             TdmKind       kind,
                             const char   *json)
{
  g_autoptr(JsonObject) object = NULL;

  g_assert (world != NULL);
  g_assert (json != NULL);

  object = parse_object (json);
  return tdm_fake_webshop_seed (world->web, kind, object);
}

char *
tdm_test_world_seed_shopify (TdmTestWorld *world,
                             TdmKind       kind,
                             const char   *json)
{
  g_autoptr(JsonObject) object = NULL;

  g_assert (world != NULL);
  g_assert (json != NULL);

  object = parse_object (json);
  return tdm_fake_shopify_seed (world->shop, kind, object);
}

guint64
tdm_test_world_requests (TdmTestWorld *world)
{
  g_assert (world != NULL);

  return tdm_fake_webshop_get_request_log (world->web)->len +
         tdm_fake_shopify_get_request_total (world->shop);
}

GSubprocessLauncher *
tdm_test_world_launcher (TdmTestWorld     *world,
                         GSubprocessFlags  flags,
                         const char       *webshop_secret,
                         const char       *shopify_secret)
{
  g_assert (world != NULL);

  return tdm_test_launcher_new (flags, world->dir, webshop_secret, shopify_secret);
}

typedef struct
{
  TdmTestWorld *world;
  guint64       at;
} RequestMark;

static gboolean
requests_reached (gpointer data)
{
  RequestMark *mark = data;

  return tdm_test_world_requests (mark->world) >= mark->at;
}

void
tdm_test_world_kill_after (TdmTestWorld *world,
                           TdmTestChild *child,
                           guint64       n_requests)
{
  RequestMark *mark = g_new0 (RequestMark, 1);

  g_assert (world != NULL);
  g_assert (child != NULL);
  g_assert (n_requests > 0);

  mark->world = world;
  mark->at = tdm_test_world_requests (world) + n_requests;
  tdm_test_child_kill_when (child, requests_reached, mark, g_free);
}

gboolean
tdm_test_world_sync_now (TdmTestWorld     *world,
                         const char       *webshop_secret,
                         const char       *shopify_secret,
                         const char       *extra_arg,
                         guint64           kill_after,
                         TdmTestPredicate  kill_when)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(TdmTestChild) child = NULL;

  g_assert (world != NULL);

  launcher = tdm_test_world_launcher (world, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, webshop_secret,
                                      shopify_secret);
  child = tdm_test_child_spawn_tandem (launcher, "--sync-now", extra_arg, NULL);
  if (kill_after > 0)
    tdm_test_world_kill_after (world, child, kill_after);
  if (kill_when != NULL)
    tdm_test_child_kill_when (child, kill_when, world, NULL);
  tdm_test_child_wait (child, 300);
  if (!child->killed)
    g_assert_cmpint (child->status, ==, 0);
  return child->killed;
}
