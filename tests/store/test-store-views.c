/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-store"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "store-fixture.h"

/* The entity views: filters, search, sorting and pages, products and
 * orders, queries on a worker thread, view rows kept in place and healed. */

static void
test_view_filters (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 counts[TDM_N_LINK_STATUS];
  struct { TdmLinkStatus status; gint64 n; } expect[] = {
    { TDM_LINK_STATUS_LINKED, 12 },
    { TDM_LINK_STATUS_ONLY_WEBSHOP, 5 },
    { TDM_LINK_STATUS_ONLY_SHOPIFY, 4 },
    { TDM_LINK_STATUS_CONFLICT, 2 },
    { TDM_LINK_STATUS_ERROR, 1 },
    { TDM_LINK_STATUS_ORPHANED, 1 },
    { TDM_LINK_STATUS_ALL, 25 },
  };

  populate_views (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autoptr(GPtrArray) rows = query (f->store, expect[i].status, NULL, TDM_STORE_SORT_TITLE,
                                         FALSE, 0, 100);
      g_assert_cmpint (rows->len, ==, expect[i].n);
      g_assert_cmpint (count_rows (f->store, expect[i].status, NULL), ==, expect[i].n);
      for (guint j = 0; j < rows->len && expect[i].status != TDM_LINK_STATUS_ALL; j++)
        g_assert_cmpint (tdm_store_row_get_status (g_ptr_array_index (rows, j)), ==, expect[i].status);
    }

  g_assert_true (tdm_store_count_by_status (f->store, TDM_KIND_CUSTOMER, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[TDM_LINK_STATUS_LINKED], ==, 12);
  g_assert_cmpint (counts[TDM_LINK_STATUS_ONLY_WEBSHOP], ==, 5);
  g_assert_cmpint (counts[TDM_LINK_STATUS_ONLY_SHOPIFY], ==, 4);
  g_assert_cmpint (counts[TDM_LINK_STATUS_CONFLICT], ==, 2);
  g_assert_cmpint (counts[TDM_LINK_STATUS_ERROR], ==, 1);
  g_assert_cmpint (counts[TDM_LINK_STATUS_ORPHANED], ==, 1);

  /* Other kinds are separate. */
  g_assert_cmpint (tdm_store_count (f->store, TDM_KIND_ORDER, TDM_LINK_STATUS_ALL, NULL, &error), ==, 0);

  /* Row contents. */
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, NULL,
                                       TDM_STORE_SORT_SUBTITLE, FALSE, 0, 1);
    TdmStoreRow *row = g_ptr_array_index (rows, 0);
    gint64 kind = -1;
    g_autofree char *title = NULL;

    g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Only Shopify");
    g_assert_cmpstr (tdm_store_row_get_subtitle (row), ==, "shopify0@shop.test");
    g_assert_null (tdm_store_row_get_webshop_id (row));
    g_assert_cmpstr (tdm_store_row_get_shopify_id (row), ==, "gid://shopify/Customer/700");
    g_assert_cmpint (tdm_store_row_get_last_synced (row), ==, 0);
    g_object_get (row, "title", &title, NULL);
    g_assert_cmpstr (title, ==, "Only Shopify");
    {
      int k = -1;
      g_object_get (row, "kind", &k, NULL);
      kind = k;
    }
    g_assert_cmpint (kind, ==, TDM_KIND_CUSTOMER);
  }
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_LINKED, NULL,
                                       TDM_STORE_SORT_TITLE, FALSE, 0, 1);
    TdmStoreRow *row = g_ptr_array_index (rows, 0);
    g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Anna Nordmann");
    g_assert_cmpstr (tdm_store_row_get_webshop_id (row), ==, "100");
    g_assert_cmpstr (tdm_store_row_get_shopify_id (row), ==, "gid://shopify/Customer/500");
    g_assert_cmpint (tdm_store_row_get_last_synced (row), >, 0);
  }
}

static void
test_view_search (Fixture       *f,
                  gconstpointer  data)
{
  populate_views (f->store);

  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kari"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "KARI"), ==, 1);      /* case */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordm"), ==, 12);    /* prefix of a later word */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "shop.test"), ==, 9); /* email parts */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, "shop.test"), ==, 5);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kari nord"), ==, 1); /* all words */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kari olsen"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "bjørn"), ==, 1);     /* non-ASCII */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "503"), ==, 1);       /* Shopify id tail */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "103"), ==, 1);       /* webshop id */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "zzz"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "\"*)("), ==, 25);    /* no words: everything */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, ""), ==, 25);

  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ALL, "nordmann",
                                       TDM_STORE_SORT_TITLE, TRUE, 0, 3);
    g_assert_cmpuint (rows->len, ==, 3);
    g_assert_cmpstr (row_title (rows, 0), ==, "Lars Nordmann");
    g_assert_cmpstr (row_title (rows, 1), ==, "Kari Nordmann");
    g_assert_cmpstr (row_title (rows, 2), ==, "Jon Nordmann");
  }
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_CONFLICT, "conflict",
                                       TDM_STORE_SORT_TITLE, FALSE, 0, 10);
    g_assert_cmpuint (rows->len, ==, 2);
  }
}

static void
test_view_sort_and_pages (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) rev = NULL;

  populate_views (f->store);

  all = query (f->store, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_TITLE, FALSE, 0, 0);
  g_assert_cmpuint (all->len, ==, 25);
  for (guint i = 1; i < all->len; i++)
    {
      g_autofree char *a = g_utf8_casefold (row_title (all, i - 1), -1);
      g_autofree char *b = g_utf8_casefold (row_title (all, i), -1);
      g_assert_cmpint (strcmp (a, b), <=, 0);
    }
  rev = query (f->store, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_TITLE, TRUE, 0, 0);
  g_assert_cmpuint (rev->len, ==, 25);
  for (guint i = 0; i < rev->len; i++)
    g_assert_true (g_ptr_array_index (rev, i) != NULL &&
                   g_strcmp0 (row_title (rev, i), row_title (all, all->len - 1 - i)) == 0);

  /* Pages concatenate to the whole list, without gaps or repeats. */
  {
    g_autoptr(GPtrArray) seen = g_ptr_array_new ();
    for (guint offset = 0; offset < 30; offset += 7)
      {
        g_autoptr(GPtrArray) page = query (f->store, TDM_LINK_STATUS_ALL, NULL,
                                           TDM_STORE_SORT_TITLE, FALSE, offset, 7);
        for (guint i = 0; i < page->len; i++)
          {
            TdmStoreRow *a = g_ptr_array_index (page, i);
            TdmStoreRow *b = g_ptr_array_index (all, offset + i);
            g_assert_cmpstr (tdm_store_row_get_webshop_id (a), ==, tdm_store_row_get_webshop_id (b));
            g_assert_cmpstr (tdm_store_row_get_shopify_id (a), ==, tdm_store_row_get_shopify_id (b));
            g_ptr_array_add (seen, a);
          }
      }
    g_assert_cmpuint (seen->len, ==, 25);
  }

  /* Subtitle sort (email), both directions. */
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ALL, NULL,
                                       TDM_STORE_SORT_SUBTITLE, FALSE, 0, 0);
    g_autoptr(GPtrArray) desc = query (f->store, TDM_LINK_STATUS_ALL, NULL,
                                       TDM_STORE_SORT_SUBTITLE, TRUE, 0, 1);
    for (guint i = 1; i < rows->len; i++)
      g_assert_cmpint (g_strcmp0 (tdm_store_row_get_subtitle (g_ptr_array_index (rows, i - 1)),
                                  tdm_store_row_get_subtitle (g_ptr_array_index (rows, i))), <=, 0);
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "anna@example.no");
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (desc, 0)), ==, "webshop4@shop.test");
  }

  /* Status sort groups by status. */
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ALL, NULL,
                                       TDM_STORE_SORT_STATUS, FALSE, 0, 0);
    for (guint i = 1; i < rows->len; i++)
      g_assert_cmpint (tdm_store_row_get_status (g_ptr_array_index (rows, i - 1)), <=,
                       tdm_store_row_get_status (g_ptr_array_index (rows, i)));
    g_assert_cmpint (tdm_store_row_get_status (g_ptr_array_index (rows, 24)), ==,
                     TDM_LINK_STATUS_ORPHANED);
  }

  /* Last synced: one-sided rows (0) first ascending. */
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ALL, NULL,
                                       TDM_STORE_SORT_LAST_SYNCED, FALSE, 0, 0);
    for (guint i = 1; i < rows->len; i++)
      g_assert_cmpint (tdm_store_row_get_last_synced (g_ptr_array_index (rows, i - 1)), <=,
                       tdm_store_row_get_last_synced (g_ptr_array_index (rows, i)));
    g_assert_cmpint (tdm_store_row_get_last_synced (g_ptr_array_index (rows, 0)), ==, 0);
  }
}

static void
test_view_products_orders (Fixture       *f,
                           gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  const char *prices[] = { "100", "9.5", "20.00", "1000" };
  const char *numbers[] = { "#1001", "#999", "#10000" };

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(JsonArray) variants = json_array_new ();
      g_autoptr(JsonObject) v = json_object_new ();
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_autofree char *sku = g_strdup_printf ("SKU-%u", i);
      g_autoptr(TdmRecord) r = NULL;
      TdmCommit commit = { .kind = TDM_KIND_PRODUCT };

      json_object_set_string_member (fields, "title", "Wool socks");
      json_object_set_string_member (fields, "status", "active");
      json_object_set_string_member (v, "sku", sku);
      json_object_set_string_member (v, "price", prices[i]);
      json_array_add_object_element (variants, g_steal_pointer (&v));
      json_object_set_array_member (fields, "variants", g_steal_pointer (&variants));
      r = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_PRODUCT, id, NULL, NULL, fields, NULL);
      commit.cache[TDM_SIDE_WEBSHOP] = r;
      g_assert_true (tdm_record_store_commit (rs, &commit, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ALL,
                                                 "sku-2", TDM_STORE_SORT_EXTRA, FALSE, 0, 0, &error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "SKU-2");
    g_assert_cmpstr (tdm_store_row_get_extra (g_ptr_array_index (rows, 0)), ==, "20.00");
    g_assert_cmpstr (tdm_store_row_get_extra2 (g_ptr_array_index (rows, 0)), ==, "active");
  }
  {
    /* Prices sort as numbers: 9.5 < 20.00 < 100 < 1000. */
    g_autoptr(GPtrArray) rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ONLY_WEBSHOP,
                                                 NULL, TDM_STORE_SORT_EXTRA, FALSE, 0, 0, &error);
    g_assert_cmpuint (rows->len, ==, 4);
    g_assert_cmpstr (tdm_store_row_get_extra (g_ptr_array_index (rows, 0)), ==, "9.5");
    g_assert_cmpstr (tdm_store_row_get_extra (g_ptr_array_index (rows, 1)), ==, "20.00");
    g_assert_cmpstr (tdm_store_row_get_extra (g_ptr_array_index (rows, 2)), ==, "100");
    g_assert_cmpstr (tdm_store_row_get_extra (g_ptr_array_index (rows, 3)), ==, "1000");
  }

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(JsonObject) fields = fields_new ("number", numbers[i], "email", "buyer@example.no",
                                                 "total_price", "49.90", "financial_status", "paid",
                                                 "fulfillment_status", "unfulfilled", NULL);
      g_autofree char *id = g_strdup_printf ("gid://shopify/Order/%u", i);
      g_autoptr(TdmRecord) r = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, id, NULL, NULL, fields, NULL);
      TdmCommit commit = { .kind = TDM_KIND_ORDER };

      commit.cache[TDM_SIDE_SHOPIFY] = r;
      g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    }
  {
    /* Order numbers sort as numbers: #999 < #1001 < #10000. */
    g_autoptr(GPtrArray) rows = tdm_store_query (f->store, TDM_KIND_ORDER, TDM_LINK_STATUS_ALL,
                                                 NULL, TDM_STORE_SORT_TITLE, FALSE, 0, 0, &error);
    g_assert_cmpuint (rows->len, ==, 3);
    g_assert_cmpstr (row_title (rows, 0), ==, "#999");
    g_assert_cmpstr (row_title (rows, 1), ==, "#1001");
    g_assert_cmpstr (row_title (rows, 2), ==, "#10000");
    /* Payment and fulfilment apart; without a name on the order, the
     * customer by e-mail address. */
    g_assert_cmpstr (tdm_store_row_get_extra2 (g_ptr_array_index (rows, 0)), ==, "paid");
    g_assert_cmpstr (tdm_store_row_get_extra3 (g_ptr_array_index (rows, 0)), ==, "unfulfilled");
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "buyer@example.no");
  }
  g_assert_cmpint (tdm_store_count (f->store, TDM_KIND_ORDER, TDM_LINK_STATUS_ALL, "1001", &error), ==, 1);
}

/* A linked product whose webshop copy has no stock (stock flows to Shopify
 * only, and the product came from Shopify) shows its Shopify stock. */
static void
test_view_stock_from_twin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ws_fields = tdm_json_object_from_string (
    "{\"title\": \"Vinter Hals\", \"variants\": [{\"sku\": \"VH-1\", \"price\": \"299\"}]}",
    &error);
  g_autoptr(JsonObject) sh_fields = tdm_json_object_from_string (
    "{\"title\": \"Vinter Hals\", \"variants\": [{\"sku\": \"VH-1\", \"price\": \"299\","
    " \"inventory_quantity\": 7}, {\"sku\": \"VH-2\", \"price\": \"299\", \"inventory_quantity\": 3}]}",
    &error);
  g_autoptr(TdmRecord) ws = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_PRODUCT, "P7", NULL, NULL,
                                            ws_fields, NULL);
  g_autoptr(TdmRecord) sh = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT,
                                            "gid://shopify/Product/7", NULL, NULL, sh_fields, NULL);
  g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_PRODUCT, ws, sh);
  g_autoptr(GPtrArray) rows = NULL;
  TdmCommit commit = { .kind = TDM_KIND_PRODUCT };

  g_assert_no_error (error);
  commit.link = link;
  commit.cache[TDM_SIDE_WEBSHOP] = ws;
  commit.cache[TDM_SIDE_SHOPIFY] = sh;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
  g_assert_no_error (error);

  rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ALL, NULL,
                          TDM_STORE_SORT_TITLE, FALSE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (tdm_store_row_get_title (g_ptr_array_index (rows, 0)), ==, "Vinter Hals");
  g_assert_cmpstr (tdm_store_row_get_extra3 (g_ptr_array_index (rows, 0)), ==, "10");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A commit of the webshop copy alone: the twin is read from the table. */
  json_object_set_string_member (ws_fields, "title", "Vinterhals");
  commit.cache[TDM_SIDE_SHOPIFY] = NULL;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
  g_assert_no_error (error);
  rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ALL, NULL,
                          TDM_STORE_SORT_TITLE, FALSE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (tdm_store_row_get_title (g_ptr_array_index (rows, 0)), ==, "Vinterhals");
  g_assert_cmpstr (tdm_store_row_get_extra3 (g_ptr_array_index (rows, 0)), ==, "10");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A row built again outside a commit (a record error stored): the twin
   * comes with the webshop record. */
  {
    g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_PRODUCT, "P7",
                                                          "title", "Too long.");

    g_assert_true (tdm_record_store_set_record_error (TDM_RECORD_STORE (f->store), 1, err, "h",
                                                      &error));
    g_assert_no_error (error);
  }
  rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ERROR, NULL,
                          TDM_STORE_SORT_TITLE, FALSE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (tdm_store_row_get_extra3 (g_ptr_array_index (rows, 0)), ==, "10");
}

/* A linked product whose Shopify twin could only be read with a value that
 * cannot be used: the stock comes from that version, as the twin's own row
 * would show it. */
static void
test_view_stock_from_failed_twin (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ws_fields = tdm_json_object_from_string (
    "{\"title\": \"Sommer Hals\", \"variants\": [{\"sku\": \"SH-1\", \"price\": \"199\"}]}",
    &error);
  g_autoptr(JsonObject) sh_fields = tdm_json_object_from_string (
    "{\"title\": \"Sommer Hals\", \"variants\": [{\"sku\": \"SH-1\", \"price\": \"199\","
    " \"inventory_quantity\": 5}]}", &error);
  g_autoptr(TdmRecord) ws = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_PRODUCT, "P8", NULL, NULL,
                                            ws_fields, NULL);
  g_autoptr(TdmRecord) sh = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT,
                                            "gid://shopify/Product/8", NULL, NULL, sh_fields, NULL);
  g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT,
                                                        "gid://shopify/Product/8", "barcode",
                                                        "Not a barcode.");
  g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_PRODUCT, ws, sh);
  g_autoptr(GPtrArray) rows = NULL;
  TdmCommit failed = { .kind = TDM_KIND_PRODUCT };
  TdmCommit commit = { .kind = TDM_KIND_PRODUCT };

  g_assert_no_error (error);
  failed.error = err;
  failed.failed = sh;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &failed, &error));
  g_assert_no_error (error);
  commit.link = link;
  commit.cache[TDM_SIDE_WEBSHOP] = ws;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
  g_assert_no_error (error);

  rows = tdm_store_query (f->store, TDM_KIND_PRODUCT, TDM_LINK_STATUS_ALL, NULL,
                          TDM_STORE_SORT_TITLE, FALSE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (tdm_store_row_get_title (g_ptr_array_index (rows, 0)), ==, "Sommer Hals");
  g_assert_cmpstr (tdm_store_row_get_extra3 (g_ptr_array_index (rows, 0)), ==, "5");
}

/* Search ignores case and accents, also for letters that do not decompose
 * (ø, æ), both ways; orders show their customer by name. */
static void
test_view_search_folded (Fixture       *f,
                         gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  struct { TdmKind kind; const char *search; gint64 n; } expect[] = {
    { TDM_KIND_CUSTOMER, "solvi", 2 }, { TDM_KIND_CUSTOMER, "SOLVI", 2 },
    { TDM_KIND_CUSTOMER, "Sølvi", 2 }, { TDM_KIND_CUSTOMER, "sølv", 2 },
    { TDM_KIND_CUSTOMER, "aerlig", 1 }, { TDM_KIND_CUSTOMER, "Ærlig", 1 },
    { TDM_KIND_CUSTOMER, "bjorn", 1 }, { TDM_KIND_CUSTOMER, "rene", 1 },
    { TDM_KIND_CUSTOMER, "rené", 1 }, { TDM_KIND_CUSTOMER, "strasse", 1 },
    { TDM_KIND_CUSTOMER, "solvi bjorn", 0 }, { TDM_KIND_ORDER, "lovas", 1 },
    { TDM_KIND_ORDER, "gro", 1 }, { TDM_KIND_ORDER, "gro@example", 1 },
  };

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Sølvi", "Ærlig", "s@example.no");
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "Björn", "René", "b@example.no");
  commit_only (f->store, TDM_SIDE_WEBSHOP, "3", "Solvi", "Straße", "x@example.no");
  {
    g_autoptr(JsonObject) fields = fields_new ("number", "10001", "email", "gro@example.no",
                                               "total_price", "995", "currency", "NOK",
                                               "financial_status", "paid",
                                               "fulfillment_status", "partial", NULL);
    g_autoptr(JsonObject) billing = fields_new ("first_name", "Gro", "last_name", "Løvås", NULL);
    g_autoptr(TdmRecord) order = NULL;
    TdmCommit commit = { .kind = TDM_KIND_ORDER };

    json_object_set_object_member (fields, "billing_address", g_steal_pointer (&billing));
    order = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_ORDER, "300", NULL, NULL, fields, NULL);
    commit.cache[TDM_SIDE_WEBSHOP] = order;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      gint64 n = tdm_store_count (f->store, expect[i].kind, TDM_LINK_STATUS_ALL,
                                  expect[i].search, &error);

      g_assert_no_error (error);
      g_test_message ("“%s”: %" G_GINT64_FORMAT, expect[i].search, n);
      g_assert_cmpint (n, ==, expect[i].n);
    }

  {
    g_autoptr(TdmStoreRow) row = tdm_store_get_row (f->store, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP,
                                                    "300", &error);

    g_assert_cmpstr (tdm_store_row_get_title (row), ==, "10001");
    g_assert_cmpstr (tdm_store_row_get_subtitle (row), ==, "Gro Løvås");
    g_assert_cmpstr (tdm_store_row_get_extra (row), ==, "995");
    g_assert_cmpstr (tdm_store_row_get_currency (row), ==, "NOK");
    g_assert_cmpstr (tdm_store_row_get_extra2 (row), ==, "paid");
    g_assert_cmpstr (tdm_store_row_get_extra3 (row), ==, "partial");
  }
  assert_fts_consistent (f->path);
}

typedef struct {
  GPtrArray *rows;
  gint64     total;
  gboolean   done;
} AsyncResult;

static void
on_query_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncResult *out = user_data;
  g_autoptr(GError) error = NULL;

  out->rows = tdm_store_query_finish (TDM_STORE (source), result, &out->total, &error);
  g_assert_no_error (error);
  out->done = TRUE;
}

static GPtrArray *
run_async (TdmStore   *store,
           const char *search,
           guint       offset,
           guint       limit,
           gint64     *total)
{
  AsyncResult out = { 0 };

  tdm_store_query_async (store, TDM_KIND_CUSTOMER, TDM_LINK_STATUS_ALL, search,
                         TDM_STORE_SORT_TITLE, FALSE, offset, limit, NULL, on_query_done, &out);
  while (!out.done)
    g_main_context_iteration (NULL, TRUE);
  *total = out.total;
  return out.rows;
}

static void
check_async (TdmStore *store)
{
  g_autoptr(GPtrArray) rows = NULL;
  gint64 total = 0;

  rows = run_async (store, "nordmann", 10, 5, &total);
  g_assert_cmpint (total, ==, 12);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (row_title (rows, 0), ==, "Kari Nordmann");
  g_assert_cmpstr (row_title (rows, 1), ==, "Lars Nordmann");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A commit after the reader opened is seen by the next query. */
  commit_pair (store, "999", "gid://shopify/Customer/999", "Zed", "Nordmann", "zed@example.no");
  rows = run_async (store, "zed", 0, 5, &total);
  g_assert_cmpint (total, ==, 1);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (row_title (rows, 0), ==, "Zed Nordmann");
}

static void
test_view_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) mem = tdm_store_new (":memory:", &error);

  g_assert_no_error (error);
  populate_views (f->store);
  check_async (f->store);
  populate_views (mem);
  check_async (mem);
}

/* Each status filter with each sort key returns exactly the rows of that
 * status, in the order of the key, and pages agree with the whole list
 * (the filtered pages read the status from the key's index). */
static void
test_view_filter_each_sort (Fixture       *f,
                            gconstpointer  data)
{
  const TdmStoreSort sorts[] = { TDM_STORE_SORT_TITLE, TDM_STORE_SORT_SUBTITLE, TDM_STORE_SORT_EXTRA,
                                 TDM_STORE_SORT_STATUS, TDM_STORE_SORT_LAST_SYNCED };
  const gint64 expected[TDM_N_LINK_STATUS] = { 12, 5, 4, 2, 1, 1 };

  populate_views (f->store);
  for (int status = 0; status < TDM_N_LINK_STATUS; status++)
    for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
      for (int desc = 0; desc < 2; desc++)
        {
          g_autoptr(GPtrArray) rows = query (f->store, status, NULL, sorts[s], desc, 0, 0);
          g_autoptr(GPtrArray) tail = query (f->store, status, NULL, sorts[s], desc, 1, 0);

          g_assert_cmpuint (rows->len, ==, expected[status]);
          g_assert_cmpint (count_rows (f->store, status, NULL), ==, expected[status]);
          g_assert_cmpuint (tail->len, ==, rows->len - 1);
          for (guint i = 0; i < rows->len; i++)
            {
              TdmStoreRow *row = g_ptr_array_index (rows, i);

              g_assert_cmpint (tdm_store_row_get_status (row), ==, status);
              if (i > 0)
                {
                  TdmStoreRow *prev = g_ptr_array_index (rows, i - 1);
                  TdmStoreRow *same = g_ptr_array_index (tail, i - 1);
                  int cmp = 0;

                  g_assert_cmpstr (tdm_store_row_get_webshop_id (row), ==, tdm_store_row_get_webshop_id (same));
                  g_assert_cmpstr (tdm_store_row_get_shopify_id (row), ==, tdm_store_row_get_shopify_id (same));
                  if (sorts[s] == TDM_STORE_SORT_SUBTITLE)
                    cmp = g_strcmp0 (tdm_store_row_get_subtitle (prev), tdm_store_row_get_subtitle (row));
                  else if (sorts[s] == TDM_STORE_SORT_LAST_SYNCED)
                    cmp = tdm_store_row_get_last_synced (prev) < tdm_store_row_get_last_synced (row) ? -1
                        : tdm_store_row_get_last_synced (prev) > tdm_store_row_get_last_synced (row);
                  else if (sorts[s] != TDM_STORE_SORT_EXTRA)
                    {
                      g_autofree char *a = g_utf8_casefold (tdm_store_row_get_title (prev), -1);
                      g_autofree char *b = g_utf8_casefold (tdm_store_row_get_title (row), -1);
                      cmp = strcmp (a, b);
                    }
                  g_assert_cmpint (desc ? -cmp : cmp, <=, 0);
                }
            }
        }

  /* Every status: pages of 7 make up the whole list, for each order. */
  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int desc = 0; desc < 2; desc++)
      {
        g_autoptr(GPtrArray) all = query (f->store, TDM_LINK_STATUS_ALL, NULL, sorts[s], desc, 0, 0);
        guint n = 0;

        g_assert_cmpuint (all->len, ==, 25);
        for (guint offset = 0; offset < 28; offset += 7)
          {
            g_autoptr(GPtrArray) page = query (f->store, TDM_LINK_STATUS_ALL, NULL, sorts[s], desc, offset, 7);

            for (guint i = 0; i < page->len; i++, n++)
              {
                TdmStoreRow *a = g_ptr_array_index (page, i);
                TdmStoreRow *b = g_ptr_array_index (all, offset + i);

                g_assert_cmpstr (tdm_store_row_get_webshop_id (a), ==, tdm_store_row_get_webshop_id (b));
                g_assert_cmpstr (tdm_store_row_get_shopify_id (a), ==, tdm_store_row_get_shopify_id (b));
              }
          }
        g_assert_cmpuint (n, ==, 25);
        if (sorts[s] == TDM_STORE_SORT_STATUS)
          for (guint i = 1; i < all->len; i++)
            {
              int a = tdm_store_row_get_status (g_ptr_array_index (all, i - 1));
              int b = tdm_store_row_get_status (g_ptr_array_index (all, i));
              g_assert_cmpint (desc ? b - a : a - b, <=, 0);
            }
      }

  /* Counts per status. */
  {
    g_autoptr(GError) error = NULL;
    gint64 counts[TDM_N_LINK_STATUS];

    g_assert_true (tdm_store_count_by_status (f->store, TDM_KIND_CUSTOMER, counts, &error));
    g_assert_no_error (error);
    for (int status = 0; status < TDM_N_LINK_STATUS; status++)
      g_assert_cmpint (counts[status], ==, expected[status]);
    g_assert_true (tdm_store_count_by_status (f->store, TDM_KIND_PRODUCT, counts, &error));
    for (int status = 0; status < TDM_N_LINK_STATUS; status++)
      g_assert_cmpint (counts[status], ==, 0);
  }
}

static gint64
view_row_id (const char *path,
             const char *webshop_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM view_rows WHERE webshop_id = '%s'", webshop_id);

  return sqlite_int (path, sql);
}

/* A damaged view (several rows for one record, as an older version or a
 * failed repair could leave) heals on the record's next commit: it shows
 * once, and the search index stays in step. */
static void
test_view_duplicates_removed (Fixture       *f,
                              gconstpointer  data)
{
  sqlite3 *db = NULL;
  const char *dup =
    "INSERT INTO view_rows (kind, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
    " title_key, subtitle_key, extra_key, last_synced, search)"
    " SELECT kind, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
    " title_key, subtitle_key, extra_key, last_synced, search FROM view_rows WHERE webshop_id = '1';";

  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Nordmann", "kari@example.no");
  commit_pair (f->store, "2", "gid://shopify/Customer/12", "Ola", "Olsen", "ola@example.no");

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (sqlite3_exec (db, dup, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO view_fts (view_fts) VALUES ('rebuild')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows WHERE webshop_id = '1'"), ==, 8);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordmann"), ==, 8);

  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Hansen", "kh@example.no");
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows WHERE webshop_id = '1'"), ==, 1);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows"), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordmann"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 2);
  assert_fts_consistent (f->path);
}

/* A changed record updates its view row in place: the row keeps its id,
 * shows the new values, and search finds the new words, not the old ones.
 * An unchanged commit, or one that changes the status only, does not
 * rewrite the search index. */
static void
test_view_in_place (Fixture       *f,
                    gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  gint64 id;
  int fts_pages;

  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Nordmann", "kari@example.no");
  commit_pair (f->store, "2", "gid://shopify/Customer/12", "Ola", "Olsen", "ola@example.no");
  id = view_row_id (f->path, "1");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordmann"), ==, 1);

  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Hansen", "kh@example.no");
  g_assert_cmpint (view_row_id (f->path, "1"), ==, id);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows"), ==, 2);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/11", &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Kari Hansen");
  g_assert_cmpstr (tdm_store_row_get_subtitle (row), ==, "kh@example.no");
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_LINKED);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordmann"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kh"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kari"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "11"), ==, 1);
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_TITLE, FALSE, 0, 0);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (row_title (rows, 0), ==, "Kari Hansen");
    g_assert_cmpstr (row_title (rows, 1), ==, "Ola Olsen");
  }
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_LINKED, NULL, TDM_STORE_SORT_SUBTITLE, FALSE, 0, 0);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "kh@example.no");
  }
  assert_fts_consistent (f->path);

  /* The same again, and a status change: the search index stays as it is. */
  fts_pages = sqlite_int (f->path, "SELECT count(*) FROM view_fts_data");
  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Hansen", "kh@example.no");
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_fts_data"), ==, fts_pages);
  {
    g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                          "gid://shopify/Customer/11", "email",
                                                          "Invalid email.");
    g_assert_true (tdm_record_store_set_record_error (rs, 1, err, "h", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_fts_data"), ==, fts_pages);
  g_assert_cmpint (view_row_id (f->path, "1"), ==, id);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, "hansen"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "hansen"), ==, 0);
  commit_pair (f->store, "1", "gid://shopify/Customer/11", "Kari", "Hansen", "kh@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "hansen"), ==, 1);
  g_assert_cmpint (view_row_id (f->path, "1"), ==, id);

  /* Two one-sided rows become one when linked, and two again when unlinked. */
  commit_only (f->store, TDM_SIDE_WEBSHOP, "5", "Per", "Lund", "per@example.no");
  commit_only (f->store, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/15", "Per", "Lund", "per@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "lund"), ==, 2);
  commit_pair (f->store, "5", "gid://shopify/Customer/15", "Per", "Lund", "per@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "lund"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "lund 15"), ==, 1);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows"), ==, 3);
  assert_fts_consistent (f->path);
  g_assert_true (tdm_record_store_delete_link (rs, TDM_KIND_CUSTOMER, "5", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "lund"), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, "lund"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, "lund"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "lund 15"), ==, 1);
  assert_fts_consistent (f->path);

  /* A record relinked to another twin: the old twin gets its own row back. */
  commit_pair (f->store, "2", "gid://shopify/Customer/15", "Ola", "Olsen", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "olsen"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "olsen 15"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, "olsen 12"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, "lund"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "lund"), ==, 1);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows"), ==, 4);
  assert_fts_consistent (f->path);
}

static void
assert_same_rows (GPtrArray *page,
                  GPtrArray *all,
                  guint      offset)
{
  for (guint i = 0; i < page->len; i++)
    {
      TdmStoreRow *a = g_ptr_array_index (page, i);
      TdmStoreRow *b = g_ptr_array_index (all, offset + i);

      g_assert_cmpstr (tdm_store_row_get_webshop_id (a), ==, tdm_store_row_get_webshop_id (b));
      g_assert_cmpstr (tdm_store_row_get_shopify_id (a), ==, tdm_store_row_get_shopify_id (b));
    }
}

/* Many rows of one status other than LINKED (read along the key's index)
 * and few of another (sorted in memory), and every status sorted by
 * status across the linked rows and the others: pages agree with the
 * whole list. */
static void
test_view_large_status (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const guint n_webshop = 2200, n_linked = 300, n_shopify = 30;
  const TdmStoreSort sorts[] = { TDM_STORE_SORT_SUBTITLE, TDM_STORE_SORT_EXTRA,
                                 TDM_STORE_SORT_LAST_SYNCED, TDM_STORE_SORT_TITLE };

  g_assert_true (tdm_store_begin_batch (f->store, &error));
  for (guint i = 0; i < n_webshop; i++)
    {
      g_autofree char *id = g_strdup_printf ("w%04u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.no", (i * 7919) % n_webshop);
      commit_only (f->store, TDM_SIDE_WEBSHOP, id, "Only", "Webshop", email);
    }
  for (guint i = 0; i < n_linked; i++)
    {
      g_autofree char *ws = g_strdup_printf ("l%04u", i);
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", 9000 + i);
      g_autofree char *last = g_strdup_printf ("Name%03u", (i * 37) % n_linked);
      commit_pair (f->store, ws, sh, "Linked", last, "linked@example.no");
    }
  for (guint i = 0; i < n_shopify; i++)
    {
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", 5000 + i);
      g_autofree char *email = g_strdup_printf ("s%u@example.no", (i * 13) % n_shopify);
      commit_only (f->store, TDM_SIDE_SHOPIFY, sh, "Only", "Shopify", email);
    }
  g_assert_true (tdm_store_end_batch (f->store, TRUE, &error));
  g_assert_no_error (error);

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int desc = 0; desc < 2; desc++)
      {
        const TdmLinkStatus statuses[] = { TDM_LINK_STATUS_ONLY_WEBSHOP, TDM_LINK_STATUS_ONLY_SHOPIFY };
        const guint sizes[] = { n_webshop, n_shopify };

        for (guint k = 0; k < G_N_ELEMENTS (statuses); k++)
          {
            g_autoptr(GPtrArray) all = query (f->store, statuses[k], NULL, sorts[s], desc, 0, 0);
            g_autoptr(GPtrArray) page = query (f->store, statuses[k], NULL, sorts[s], desc,
                                               sizes[k] - 20, 50);

            g_assert_cmpuint (all->len, ==, sizes[k]);
            g_assert_cmpuint (page->len, ==, 20);
            assert_same_rows (page, all, sizes[k] - 20);
            for (guint i = 0; i < all->len; i++)
              {
                TdmStoreRow *row = g_ptr_array_index (all, i);

                g_assert_cmpint (tdm_store_row_get_status (row), ==, statuses[k]);
                if (i > 0 && sorts[s] == TDM_STORE_SORT_SUBTITLE)
                  {
                    int cmp = g_strcmp0 (tdm_store_row_get_subtitle (g_ptr_array_index (all, i - 1)),
                                         tdm_store_row_get_subtitle (row));
                    g_assert_cmpint (desc ? -cmp : cmp, <=, 0);
                  }
              }
          }
      }

  for (int desc = 0; desc < 2; desc++)
    {
      g_autoptr(GPtrArray) all = query (f->store, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_STATUS, desc, 0, 0);
      const guint offsets[] = { 0, 290, 300, 2220, 2500, 2525, 2530 };
      guint total = n_webshop + n_linked + n_shopify;

      g_assert_cmpuint (all->len, ==, total);
      for (guint i = 1; i < all->len; i++)
        {
          int a = tdm_store_row_get_status (g_ptr_array_index (all, i - 1));
          int b = tdm_store_row_get_status (g_ptr_array_index (all, i));
          g_assert_cmpint (desc ? b - a : a - b, <=, 0);
        }
      for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
        {
          g_autoptr(GPtrArray) page = query (f->store, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_STATUS,
                                             desc, offsets[o], 50);

          g_assert_cmpuint (page->len, ==, MIN (50, total - offsets[o]));
          assert_same_rows (page, all, offsets[o]);
        }
      /* The same with a search that matches every row (read along the
       * indexes, not from the matches, above 20,000 matches only: here
       * from the matches). */
      {
        g_autoptr(GPtrArray) found = query (f->store, TDM_LINK_STATUS_ALL, "example", TDM_STORE_SORT_STATUS,
                                            desc, 0, 0);
        g_assert_cmpuint (found->len, ==, total);
      }
    }
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, n_linked);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, NULL), ==, n_webshop);
  assert_fts_consistent (f->path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, fn) g_test_add ("/store/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("view/filters", test_view_filters);
  ADD ("view/search", test_view_search);
  ADD ("view/search-folded", test_view_search_folded);
  ADD ("view/sort-and-pages", test_view_sort_and_pages);
  ADD ("view/products-orders", test_view_products_orders);
  ADD ("view/stock-from-twin", test_view_stock_from_twin);
  ADD ("view/stock-from-failed-twin", test_view_stock_from_failed_twin);
  ADD ("view/async", test_view_async);
  ADD ("view/filter-each-sort", test_view_filter_each_sort);
  ADD ("view/in-place", test_view_in_place);
  ADD ("view/duplicates-removed", test_view_duplicates_removed);
  ADD ("view/large-status", test_view_large_status);
#undef ADD

  return g_test_run ();
}
