/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sandbox"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>

#include "tdm-sandbox-data.h"

/* tandem-sandbox: the fake webshop and the fake Shopify with demo data on
 * loopback, until SIGINT or SIGTERM. For the demo (build-aux/dev sandbox,
 * build-aux/run-app.sh) and for trying the Webshop Sync API with curl. */

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* The fake Shopify picks its own port. To honour --shopify-port the sandbox
 * listens there (loopback only) and relays each connection to it. */
typedef struct {
  GSocketService *service;
  GSocketClient  *client;
  guint           target_port;
} Relay;

static void
on_relay_spliced_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_splice_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    g_debug ("A relayed connection ended: %s", error->message);
}

static void
on_relay_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GSocketConnection) incoming = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) outgoing =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);

  if (outgoing == NULL)
    {
      g_warning ("The fake Shopify could not be reached: %s", error->message);
      g_io_stream_close (G_IO_STREAM (incoming), NULL, NULL);
      return;
    }
  g_io_stream_splice_async (G_IO_STREAM (incoming), G_IO_STREAM (outgoing),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, on_relay_spliced_cb, NULL);
}

static gboolean
on_relay_incoming_cb (GSocketService    *service,
                      GSocketConnection *connection,
                      GObject           *source_object,
                      gpointer           user_data)
{
  Relay *relay = user_data;
  g_autoptr(GSocketConnectable) target = g_network_address_new ("127.0.0.1",
                                                                relay->target_port);

  g_socket_client_connect_async (relay->client, target, NULL, on_relay_connected_cb,
                                 g_object_ref (connection));
  return TRUE;
}

static gboolean
start_relay (Relay       *relay,
             guint        port,
             const char  *target_url,
             GError     **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GUri) uri = g_uri_parse (target_url, G_URI_FLAGS_NONE, error);

  if (uri == NULL)
    return FALSE;
  relay->target_port = g_uri_get_port (uri);
  relay->client = g_socket_client_new ();
  /* Loopback to loopback: no proxy (and no proxy settings lookup). */
  g_socket_client_set_enable_proxy (relay->client, FALSE);
  relay->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL,
                                      error))
    return FALSE;
  g_signal_connect (relay->service, "incoming", G_CALLBACK (on_relay_incoming_cb), relay);
  g_socket_service_start (relay->service);
  return TRUE;
}

static void
relay_clear (Relay *relay)
{
  if (relay->service != NULL)
    g_socket_service_stop (relay->service);
  g_clear_object (&relay->service);
  g_clear_object (&relay->client);
}

static gboolean
write_info_file (const char      *path,
                 TdmFakeWebshop  *webshop,
                 const char      *shopify_url,
                 GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.tmp", path);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "webshop_url");
  json_builder_add_string_value (builder, tdm_fake_webshop_get_url (webshop));
  json_builder_set_member_name (builder, "webshop_token");
  json_builder_add_string_value (builder, TDM_SANDBOX_WEBSHOP_TOKEN);
  json_builder_set_member_name (builder, "shopify_url");
  json_builder_add_string_value (builder, shopify_url);
  json_builder_set_member_name (builder, "shopify_client_id");
  json_builder_add_string_value (builder, TDM_SANDBOX_SHOPIFY_CLIENT_ID);
  json_builder_set_member_name (builder, "shopify_client_secret");
  json_builder_add_string_value (builder, TDM_SANDBOX_SHOPIFY_CLIENT_SECRET);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);

  /* Written whole, then renamed: a reader polling for it never sees half. */
  if (!g_file_set_contents (tmp, text, -1, error))
    return FALSE;
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  int webshop_port = 0;
  int shopify_port = 0;
  g_autofree char *info_file = NULL;
  g_autofree char *webshop_log = NULL;
  gboolean empty = FALSE;
  gboolean webshop_only = FALSE;
  int rate = 0;
  const GOptionEntry entries[] = {
    { "webshop-port", 0, 0, G_OPTION_ARG_INT, &webshop_port,
      N_("Port of the fake webshop on 127.0.0.1 (0 = any free port)"), N_("PORT") },
    { "shopify-port", 0, 0, G_OPTION_ARG_INT, &shopify_port,
      N_("Port of the fake Shopify on 127.0.0.1 (0 = any free port)"), N_("PORT") },
    { "info-file", 0, 0, G_OPTION_ARG_FILENAME, &info_file,
      N_("Write the URLs and made-up credentials to this JSON file"), N_("PATH") },
    { "webshop-log", 0, 0, G_OPTION_ARG_FILENAME, &webshop_log,
      N_("On exit, write the fake webshop's request log to this file"), N_("PATH") },
    { "webshop-rate-limit", 0, 0, G_OPTION_ARG_INT, &rate,
      N_("Answer 429 above this many webshop requests per second (0 = no limit)"), N_("N") },
    { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, N_("Start without demo data"), NULL },
    { "webshop-only", 0, 0, G_OPTION_ARG_NONE, &webshop_only,
      N_("Start only the fake webshop"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmFakeWebshop) webshop = NULL;
  g_autoptr(TdmFakeShopify) shopify = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *shopify_url = NULL;
  Relay relay = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Runs a fake webshop and a fake Shopify with Norwegian demo "
                                  "data on this computer, until interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (webshop_port < 0 || webshop_port > 65535 || shopify_port < 0 || shopify_port > 65535)
    {
      g_printerr ("%s\n", _("A port must be between 0 and 65535."));
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  webshop = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (webshop, TDM_WEBSHOP_AUTH_BEARER, TDM_SANDBOX_WEBSHOP_TOKEN);
  if (rate > 0)
    tdm_fake_webshop_set_rate_limit (webshop, rate, 1);
  if (!tdm_fake_webshop_start_on_port (webshop, webshop_port, &error))
    {
      g_printerr (_("The fake webshop could not start: %s\n"), error->message);
      return 1;
    }

  if (!webshop_only)
    {
      shopify = tdm_fake_shopify_new ();
      tdm_fake_shopify_set_credentials (shopify, TDM_SANDBOX_SHOPIFY_CLIENT_ID,
                                        TDM_SANDBOX_SHOPIFY_CLIENT_SECRET, NULL);
      if (!tdm_fake_shopify_start (shopify, &error))
        {
          g_printerr (_("The fake Shopify could not start: %s\n"), error->message);
          return 1;
        }
      if (shopify_port != 0)
        {
          if (!start_relay (&relay, shopify_port, tdm_fake_shopify_get_url (shopify), &error))
            {
              g_printerr (_("The fake Shopify could not listen on port %d: %s\n"),
                          shopify_port, error->message);
              relay_clear (&relay);
              return 1;
            }
          shopify_url = g_strdup_printf ("http://127.0.0.1:%d", shopify_port);
        }
      else
        shopify_url = g_strdup (tdm_fake_shopify_get_url (shopify));
    }

  if (!empty)
    tdm_sandbox_seed (webshop, shopify, NULL);

  g_print (_("Fake webshop:  %s  (Authorization: Bearer %s)\n"),
           tdm_fake_webshop_get_url (webshop), TDM_SANDBOX_WEBSHOP_TOKEN);
  g_print (_("  %u customers, %u products, %u orders\n"),
           tdm_fake_webshop_count (webshop, TDM_KIND_CUSTOMER),
           tdm_fake_webshop_count (webshop, TDM_KIND_PRODUCT),
           tdm_fake_webshop_count (webshop, TDM_KIND_ORDER));
  if (shopify != NULL)
    {
      g_print (_("Fake Shopify:  %s  (client id %s, client secret %s)\n"),
               shopify_url, TDM_SANDBOX_SHOPIFY_CLIENT_ID,
               TDM_SANDBOX_SHOPIFY_CLIENT_SECRET);
      g_print (_("  %u customers, %u products, %u orders\n"),
               tdm_fake_shopify_count (shopify, TDM_KIND_CUSTOMER),
               tdm_fake_shopify_count (shopify, TDM_KIND_PRODUCT),
               tdm_fake_shopify_count (shopify, TDM_KIND_ORDER));
    }
  g_print ("%s\n", _("The credentials are made up for this sandbox. Press Ctrl+C to stop."));

  if (info_file != NULL && !write_info_file (info_file, webshop, shopify_url, &error))
    {
      g_printerr ("%s\n", error->message);
      relay_clear (&relay);
      return 1;
    }

  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  relay_clear (&relay);

  if (webshop_log != NULL && !tdm_fake_webshop_write_log (webshop, webshop_log, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s\n", _("Sandbox stopped."));
  return 0;
}
