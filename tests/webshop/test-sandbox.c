/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-sandbox"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tdm-sandbox-data.h"
#include "tdm-test-spawn.h"
#include "tdm-test-tree.h"
#include "tdm-webshop-connector.h"

static char *
dump_records (GPtrArray *records)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *text = tdm_json_object_to_string (records->pdata[i]);

      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

static void
test_seed_deterministic (void)
{
  g_autoptr(TdmFakeWebshop) a = tdm_fake_webshop_new ();
  g_autoptr(TdmFakeWebshop) b = tdm_fake_webshop_new ();
  g_autoptr(TdmFakeShopify) sa = tdm_fake_shopify_new ();
  g_autoptr(TdmFakeShopify) sb = tdm_fake_shopify_new ();

  g_assert_true (tdm_sandbox_seed (a, sa, NULL));
  g_assert_true (tdm_sandbox_seed (b, sb, NULL));
  for (TdmKind k = TDM_KIND_CUSTOMER; k < TDM_N_KINDS; k++)
    {
      g_autoptr(GPtrArray) ra = tdm_fake_webshop_get_records (a, k);
      g_autoptr(GPtrArray) rb = tdm_fake_webshop_get_records (b, k);
      g_autofree char *da = dump_records (ra);
      g_autofree char *db = dump_records (rb);
      g_autoptr(JsonArray) na = tdm_fake_shopify_get_records (sa, k);
      g_autoptr(JsonArray) nb = tdm_fake_shopify_get_records (sb, k);
      g_autoptr(JsonNode) ja = json_node_init_array (json_node_alloc (), na);
      g_autoptr(JsonNode) jb = json_node_init_array (json_node_alloc (), nb);
      g_autofree char *sa_text = json_to_string (ja, FALSE);
      g_autofree char *sb_text = json_to_string (jb, FALSE);

      g_assert_cmpstr (da, ==, db);
      /* Shopify's updatedAt of seeded nodes is ours; only GIDs are its own
       * and those count up the same way. */
      g_assert_cmpstr (sa_text, ==, sb_text);
    }
}

/* "129.90" → 12990 */
static gint64
ore_of (JsonObject *object,
        const char *member)
{
  const char *text = json_object_has_member (object, member)
                       ? json_object_get_string_member (object, member) : NULL;
  g_auto(GStrv) parts = text != NULL ? g_strsplit (text, ".", 2) : NULL;

  g_assert_nonnull (text);
  g_assert_nonnull (parts[1]);
  g_assert_cmpuint (strlen (parts[1]), ==, 2);
  return g_ascii_strtoll (parts[0], NULL, 10) * 100 + g_ascii_strtoll (parts[1], NULL, 10);
}

/* The tax lines of an order line or shipping line: their sum, and the
 * rates seen ("0.25" …) in `rates`. */
static gint64
tax_of (JsonObject *line,
        GHashTable *rates)
{
  JsonArray *taxes = json_object_has_member (line, "tax_lines")
                       ? json_object_get_array_member (line, "tax_lines") : NULL;
  gint64 sum = 0;

  for (guint i = 0; taxes != NULL && i < json_array_get_length (taxes); i++)
    {
      JsonObject *tax = json_array_get_object_element (taxes, i);

      g_hash_table_add (rates, (gpointer) json_object_get_string_member (tax, "rate"));
      sum += ore_of (tax, "price");
    }
  return sum;
}

/* The demo's orders have what docs/webshop-api.md describes: tax lines,
 * several rates, taxed shipping, discount codes, lines without tax, VAT
 * included and on top; each order's totals agree to the øre. */
static void
test_seed_order_money (void)
{
  g_autoptr(TdmFakeWebshop) webshop = tdm_fake_webshop_new ();
  g_autoptr(GPtrArray) orders = NULL;
  guint several_rates = 0, shipping_tax = 0, discounted = 0, zero_tax = 0, on_top = 0;

  g_assert_true (tdm_sandbox_seed (webshop, NULL, NULL));
  orders = tdm_fake_webshop_get_records (webshop, TDM_KIND_ORDER);
  for (guint i = 0; i < orders->len; i++)
    {
      JsonObject *o = orders->pdata[i];
      JsonArray *lines = json_object_get_array_member (o, "line_items");
      JsonArray *shipping = json_object_get_array_member (o, "shipping_lines");
      g_autoptr(GHashTable) rates = g_hash_table_new (g_str_hash, g_str_equal);
      gboolean included = json_object_get_boolean_member (o, "taxes_included");
      gint64 subtotal = 0, tax = 0, freight = 0, total;

      for (guint l = 0; l < json_array_get_length (lines); l++)
        {
          JsonObject *line = json_array_get_object_element (lines, l);

          subtotal += ore_of (line, "unit_price") * json_object_get_int_member (line, "quantity");
          tax += tax_of (line, rates);
        }
      for (guint l = 0; l < json_array_get_length (shipping); l++)
        {
          JsonObject *line = json_array_get_object_element (shipping, l);
          gint64 line_tax = tax_of (line, rates);

          freight += ore_of (line, "price");
          tax += line_tax;
          shipping_tax += line_tax > 0;
        }
      g_assert_cmpint (ore_of (o, "subtotal_price"), ==, subtotal);
      g_assert_cmpint (ore_of (o, "total_shipping"), ==, freight);
      g_assert_cmpint (ore_of (o, "total_tax"), ==, tax);
      total = subtotal - ore_of (o, "total_discounts") + freight + (included ? 0 : tax);
      g_assert_cmpint (ore_of (o, "total_price"), ==, total);

      several_rates += g_hash_table_contains (rates, "0.25") && g_hash_table_contains (rates, "0.15");
      zero_tax += g_hash_table_contains (rates, "0");
      discounted += json_object_has_member (o, "discounts");
      on_top += !included;
    }
  g_assert_cmpuint (several_rates, >=, 5);
  g_assert_cmpuint (shipping_tax, >=, 5);
  g_assert_cmpuint (discounted, >=, 5);
  g_assert_cmpuint (zero_tax, >=, 5);
  g_assert_cmpuint (on_top, >=, 5);
}

static void
test_seed_content (void)
{
  g_autoptr(TdmFakeWebshop) webshop = tdm_fake_webshop_new ();
  g_autoptr(TdmFakeShopify) shopify = tdm_fake_shopify_new ();
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(JsonArray) shopify_customers = NULL;
  g_autoptr(JsonArray) shopify_products = NULL;
  g_autoptr(GHashTable) emails = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) skus = g_hash_table_new (g_str_hash, g_str_equal);
  TdmSandboxSizes sizes;
  guint invalid = 0, nordic = 0, countries_seen = 0, without_sku = 0, with_variants = 0;
  guint twins = 0, product_twins = 0;
  gboolean country[4] = { FALSE, FALSE, FALSE, FALSE };
  static const char * const country_codes[] = { "NO", "SE", "DK", "DE" };

  tdm_sandbox_sizes_init_default (&sizes);
  g_assert_true (tdm_sandbox_seed (webshop, shopify, &sizes));
  g_assert_cmpuint (tdm_fake_webshop_count (webshop, TDM_KIND_CUSTOMER), ==, 300);
  g_assert_cmpuint (tdm_fake_webshop_count (webshop, TDM_KIND_PRODUCT), ==, 100);
  g_assert_cmpuint (tdm_fake_webshop_count (webshop, TDM_KIND_ORDER), ==, 300);
  g_assert_cmpuint (tdm_fake_shopify_count (shopify, TDM_KIND_CUSTOMER), ==, 160);
  g_assert_cmpuint (tdm_fake_shopify_count (shopify, TDM_KIND_PRODUCT), ==, 65);
  g_assert_cmpuint (tdm_fake_shopify_count (shopify, TDM_KIND_ORDER), ==, 30);

  customers = tdm_fake_webshop_get_records (webshop, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < customers->len; i++)
    {
      JsonObject *c = customers->pdata[i];
      const char *email = json_object_get_string_member (c, "email");
      const char *name = json_object_get_string_member (c, "last_name");
      JsonObject *address = json_array_get_object_element (
          json_object_get_array_member (c, "addresses"), 0);
      const char *cc = json_object_get_string_member (address, "country_code");

      g_hash_table_add (emails, (gpointer) email);
      if (strchr (email, ' ') || strstr (email, "@@") || !strchr (strchr (email, '@'), '.'))
        invalid++;
      if (strstr (name, "æ") || strstr (name, "ø") || strstr (name, "å")
          || strstr (json_object_get_string_member (c, "first_name"), "Å")
          || strstr (json_object_get_string_member (c, "first_name"), "ø"))
        nordic++;
      for (guint k = 0; k < 4; k++)
        if (g_str_equal (cc, country_codes[k]))
          country[k] = TRUE;
    }
  for (guint k = 0; k < 4; k++)
    countries_seen += country[k];
  g_assert_cmpuint (invalid, ==, 3);
  g_assert_cmpuint (nordic, >, 30);
  g_assert_cmpuint (countries_seen, ==, 4);

  products = tdm_fake_webshop_get_records (webshop, TDM_KIND_PRODUCT);
  for (guint i = 0; i < products->len; i++)
    {
      JsonObject *p = products->pdata[i];

      g_assert_cmpstr (json_object_get_string_member (p, "currency"), ==, "NOK");
      if (json_object_has_member (p, "variants"))
        {
          JsonArray *variants = json_object_get_array_member (p, "variants");

          with_variants++;
          g_assert_cmpuint (json_array_get_length (variants), >=, 2);
          for (guint v = 0; v < json_array_get_length (variants); v++)
            {
              JsonObject *variant = json_array_get_object_element (variants, v);

              if (json_object_has_member (variant, "sku"))
                g_hash_table_add (skus, (gpointer) json_object_get_string_member (variant, "sku"));
              else
                without_sku++;
            }
        }
      else if (json_object_has_member (p, "sku"))
        g_hash_table_add (skus, (gpointer) json_object_get_string_member (p, "sku"));
      else
        without_sku++;
    }
  g_assert_cmpuint (with_variants, >=, 45);
  g_assert_cmpuint (with_variants, <=, 75);
  /* Two products lack SKUs (a product with variants counts each variant). */
  g_assert_cmpuint (without_sku, >=, 2);

  orders = tdm_fake_webshop_get_records (webshop, TDM_KIND_ORDER);
  for (guint i = 0; i < orders->len; i++)
    {
      JsonObject *o = orders->pdata[i];

      g_assert_cmpstr (json_object_get_string_member (o, "currency"), ==, "NOK");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "line_items")),
                        >=, 1);
      g_assert_nonnull (json_object_get_string_member (o, "customer_id"));
    }

  /* Twins on both sides: the same email / SKU. */
  shopify_customers = tdm_fake_shopify_get_records (shopify, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < json_array_get_length (shopify_customers); i++)
    {
      JsonObject *node = json_array_get_object_element (shopify_customers, i);
      JsonObject *email = json_object_get_object_member (node, "defaultEmailAddress");

      const char *address = json_object_get_string_member (email, "emailAddress");
      const char *at = strchr (address, '@');

      /* Shopify only ever holds valid addresses. */
      g_assert_nonnull (at);
      g_assert_null (strchr (at + 1, '@'));
      g_assert_nonnull (strchr (at, '.'));
      g_assert_null (strchr (address, ' '));
      if (g_hash_table_contains (emails, address))
        twins++;
    }
  g_assert_cmpuint (twins, ==, 120);

  shopify_products = tdm_fake_shopify_get_records (shopify, TDM_KIND_PRODUCT);
  for (guint i = 0; i < json_array_get_length (shopify_products); i++)
    {
      JsonObject *node = json_array_get_object_element (shopify_products, i);
      JsonArray *variants = json_object_get_array_member (
          json_object_get_object_member (node, "variants"), "nodes");
      JsonObject *first = json_array_get_object_element (variants, 0);

      if (json_object_has_member (first, "sku") && !json_object_get_null_member (first, "sku")
          && g_hash_table_contains (skus, json_object_get_string_member (first, "sku")))
        product_twins++;
    }
  g_assert_cmpuint (product_twins, >=, 45);
  g_assert_cmpuint (product_twins, <=, 50);
}

/* The connector reads the demo data with the shipped mapping; the records
 * with problems are reported, the rest map. */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
test_connector_reads_demo (void)
{
  g_autoptr(TdmFakeWebshop) webshop = tdm_fake_webshop_new ();
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  g_autoptr(TdmWebshopConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL };
  guint records = 0, problems = 0, pages = 0;

  tdm_fake_webshop_set_auth (webshop, TDM_WEBSHOP_AUTH_BEARER, TDM_SANDBOX_WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (webshop, &error));
  g_assert_true (tdm_sandbox_seed (webshop, NULL, NULL));
  connector = tdm_webshop_connector_new (tdm_fake_webshop_get_url (webshop), NULL,
                                         TDM_WEBSHOP_AUTH_PROFILE, NULL,
                                         TDM_SANDBOX_WEBSHOP_TOKEN, mapping, &error);
  g_assert_no_error (error);

  do
    {
      g_autoptr(TdmPage) page = NULL;

      tdm_connector_list_changed_async (TDM_CONNECTOR (connector), TDM_KIND_CUSTOMER, NULL,
                                        cursor, NULL, on_done_cb, &w);
      g_main_loop_run (w.loop);
      page = tdm_connector_list_changed_finish (TDM_CONNECTOR (connector), w.result, &error);
      g_clear_object (&w.result);
      g_assert_no_error (error);
      records += page->records->len;
      problems += page->problems->len;
      pages++;
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
    }
  while (cursor != NULL);

  g_assert_cmpuint (records, ==, 300);
  g_assert_cmpuint (pages, ==, 3);
  /* The three invalid emails. */
  g_assert_cmpuint (problems, >=, 3);
  g_main_loop_unref (w.loop);
}

/* ---- The installed program ---- */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
on_token_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
test_program (void)
{
  const char *build = g_getenv ("TANDEM_BUILD_DIR");
  g_autofree char *program = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *info = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopConnector) connector = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TdmShopInfo) shop = NULL;
  JsonObject *root;
  g_autofree char *expected_webshop = NULL;
  g_autofree char *expected_shopify = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(TdmTestChild) child = NULL;
  Waiter w = { loop, NULL };

  if (build == NULL)
    {
      g_test_skip ("TANDEM_BUILD_DIR is not set (run through meson test)");
      return;
    }
  program = g_build_filename (build, "tests", "fakes", "sandbox", "tandem-sandbox", NULL);
  dir = g_dir_make_tmp ("tandem-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  info_path = g_build_filename (dir, "info.json", NULL);
  log_path = g_build_filename (dir, "webshop.jsonl", NULL);

  {
    g_autofree char *webshop_port = g_strdup_printf ("%u", free_port ());
    g_autofree char *shopify_port = g_strdup_printf ("%u", free_port ());

    expected_webshop = g_strdup_printf ("http://127.0.0.1:%s", webshop_port);
    expected_shopify = g_strdup_printf ("http://127.0.0.1:%s", shopify_port);

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
    child = tdm_test_child_spawn (launcher, program, "--info-file", info_path, "--webshop-log",
                                  log_path, "--webshop-port", webshop_port, "--shopify-port",
                                  shopify_port, NULL);
  }
  tdm_test_wait_for (g_file_test (info_path, G_FILE_TEST_EXISTS), 10);
  g_assert_true (g_file_get_contents (info_path, &info, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, info, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "webshop_url"), ==, expected_webshop);
  g_assert_cmpstr (json_object_get_string_member (root, "shopify_url"), ==, expected_shopify);
  g_assert_cmpstr (json_object_get_string_member (root, "shopify_client_id"), ==,
                   TDM_SANDBOX_SHOPIFY_CLIENT_ID);
  g_assert_nonnull (json_object_get_string_member (root, "shopify_client_secret"));

  connector = tdm_webshop_connector_new (json_object_get_string_member (root, "webshop_url"),
                                         NULL, TDM_WEBSHOP_AUTH_BEARER, NULL,
                                         json_object_get_string_member (root, "webshop_token"),
                                         NULL, &error);
  g_assert_no_error (error);
  tdm_connector_test_connection_async (TDM_CONNECTOR (connector), NULL, on_done_cb, &w);
  g_main_loop_run (loop);
  shop = tdm_connector_test_connection_finish (TDM_CONNECTOR (connector), w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_nonnull (shop);

  /* The fake Shopify answers on the requested port: a token grant. */
  {
    g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                    NULL);
    g_autofree char *url = g_strdup_printf ("%s/admin/oauth/access_token", expected_shopify);
    g_autoptr(SoupMessage) msg = soup_message_new_from_encoded_form (
        "POST", url, soup_form_encode ("client_id", TDM_SANDBOX_SHOPIFY_CLIENT_ID,
                                       "client_secret", TDM_SANDBOX_SHOPIFY_CLIENT_SECRET,
                                       "grant_type", "client_credentials", NULL));
    g_autoptr(GBytes) body = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_token_cb, &w);
    g_main_loop_run (loop);
    body = soup_session_send_and_read_finish (session, w.result, &error);
    g_clear_object (&w.result);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                    "access_token"));
  }

  g_subprocess_send_signal (child->process, SIGTERM);
  tdm_test_child_wait (child, 10);
  g_assert_cmpint (child->status, ==, 0);
  g_assert_true (g_file_test (log_path, G_FILE_TEST_EXISTS));

  tdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/webshop/sandbox/deterministic", test_seed_deterministic);
  g_test_add_func ("/webshop/sandbox/content", test_seed_content);
  g_test_add_func ("/webshop/sandbox/order-money", test_seed_order_money);
  g_test_add_func ("/webshop/sandbox/connector-reads-demo", test_connector_reads_demo);
  g_test_add_func ("/webshop/sandbox/program", test_program);

  return g_test_run ();
}
