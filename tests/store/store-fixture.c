/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-store"

#include "config.h"

#include "store-fixture.h"

#include <sqlite3.h>

#include "tdm-test-tree.h"

/* ---- The fixture ---- */

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tdm-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "state.sqlite3", NULL);
  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  tdm_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* ---- Records and commits ---- */

JsonObject *
fields_new (const char *first_key,
            ...)
{
  JsonObject *o = json_object_new ();
  va_list ap;

  va_start (ap, first_key);
  for (const char *k = first_key; k != NULL; k = va_arg (ap, const char *))
    {
      const char *v = va_arg (ap, const char *);
      json_object_set_string_member (o, k, v);
    }
  va_end (ap);
  return o;
}

TdmRecord *
customer (TdmSide     side,
          const char *id,
          const char *first,
          const char *last,
          const char *email,
          const char *phone)
{
  g_autoptr(JsonObject) fields = fields_new ("first_name", first, "last_name", last,
                                             "email", email, NULL);
  if (phone != NULL)
    json_object_set_string_member (fields, "phone", phone);
  return tdm_record_new (side, TDM_KIND_CUSTOMER, id, "2026-11-26T10:00:00Z", NULL, fields, NULL);
}

TdmLink *
link_with_snapshots (TdmKind    kind,
                     TdmRecord *ws,
                     TdmRecord *sh)
{
  TdmLink *link = tdm_link_new (kind, ws->id, sh->id);

  tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, ws->fields, ws->updated_at);
  tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, sh->fields, sh->updated_at);
  return link;
}

void
commit_pair (TdmStore   *store,
             const char *ws_id,
             const char *sh_id,
             const char *first,
             const char *last,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, ws_id, first, last, email, NULL);
  g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, sh_id, first, last, email, NULL);
  g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
  TdmCommit commit = { 0 };

  commit.kind = TDM_KIND_CUSTOMER;
  commit.link = link;
  commit.cache[TDM_SIDE_WEBSHOP] = ws;
  commit.cache[TDM_SIDE_SHOPIFY] = sh;
  commit.clear_errors = TRUE;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (store), &commit, &error));
  g_assert_no_error (error);
}

void
commit_only (TdmStore   *store,
             TdmSide     side,
             const char *id,
             const char *first,
             const char *last,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) r = customer (side, id, first, last, email, NULL);
  TdmCommit commit = { 0 };

  commit.kind = TDM_KIND_CUSTOMER;
  commit.cache[side] = r;
  g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (store), &commit, &error));
  g_assert_no_error (error);
}

TdmFieldConflict *
conflict_new (const char *field,
              const char *ws,
              const char *sh,
              const char *base)
{
  TdmFieldConflict *c = g_new0 (TdmFieldConflict, 1);

  c->field = g_strdup (field);
  c->webshop_value = json_node_init_string (json_node_alloc (), ws);
  c->shopify_value = json_node_init_string (json_node_alloc (), sh);
  c->base_value = base != NULL ? json_node_init_string (json_node_alloc (), base) : NULL;
  return c;
}

void
conflict_free (TdmFieldConflict *c)
{
  g_free (c->field);
  g_clear_pointer (&c->webshop_value, json_node_unref);
  g_clear_pointer (&c->shopify_value, json_node_unref);
  g_clear_pointer (&c->base_value, json_node_unref);
  g_free (c);
}

/* ---- The database file ---- */

char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

int
sqlite_int (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

void
assert_fts_consistent (const char *path)
{
  sqlite3 *db = NULL;
  char *msg = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "INSERT INTO view_fts (view_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    g_error ("FTS index out of step: %s", msg);
  sqlite3_close (db);
}

/* ---- Views ---- */

gint64
count_rows (TdmStore      *store,
            TdmLinkStatus  status,
            const char    *search)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tdm_store_count (store, TDM_KIND_CUSTOMER, status, search, &error);

  g_assert_no_error (error);
  return n;
}

void
populate_views (TdmStore *store)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (store);
  g_autoptr(GError) error = NULL;
  /* 12 linked, 5 only webshop, 4 only Shopify, 2 conflicts, 1 error, 1 orphaned */
  const char *first[] = { "Anna", "Bjørn", "Cecilie", "Dag", "Eva", "Frode", "Gro", "Hans",
                          "Ingrid", "Jon", "Kari", "Lars" };

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    {
      g_autofree char *ws = g_strdup_printf ("%u", 100 + i);
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", 500 + i);
      g_autofree char *email = g_strdup_printf ("%s@example.no", first[i]);
      g_autofree char *lower = g_utf8_strdown (email, -1);
      commit_pair (store, ws, sh, first[i], "Nordmann", lower);
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *ws = g_strdup_printf ("%u", 200 + i);
      g_autofree char *email = g_strdup_printf ("webshop%u@shop.test", i);
      commit_only (store, TDM_SIDE_WEBSHOP, ws, "Only", "Webshop", email);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", 700 + i);
      g_autofree char *email = g_strdup_printf ("shopify%u@shop.test", i);
      commit_only (store, TDM_SIDE_SHOPIFY, sh, "Only", "Shopify", email);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *ws = g_strdup_printf ("%u", 300 + i);
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", 800 + i);
      g_autoptr(TdmLink) link = NULL;
      g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
      TdmCommit commit = { .kind = TDM_KIND_CUSTOMER };

      commit_pair (store, ws, sh, "Conflicted", "Person", "conflict@example.no");
      link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, ws, &error);
      g_ptr_array_add (conflicts, conflict_new ("note", "x", "y", NULL));
      commit.link = link;
      commit.conflicts = conflicts;
      g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    }
  {
    g_autoptr(TdmRecordError) err = NULL;
    commit_only (store, TDM_SIDE_WEBSHOP, "400", "Broken", "Record", "broken@example.no");
    err = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "400", "email", "Invalid email.");
    g_assert_true (tdm_record_store_set_record_error (rs, 1, err, "h", &error));
  }
  {
    g_autoptr(TdmLink) link = NULL;
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER };
    commit_pair (store, "500", "gid://shopify/Customer/900", "Orphan", "Annie", "orphan@example.no");
    link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "500", &error);
    link->orphaned = TRUE;
    commit.link = link;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  }
  g_assert_no_error (error);
}

GPtrArray *
query (TdmStore      *store,
       TdmLinkStatus  status,
       const char    *search,
       TdmStoreSort   sort,
       gboolean       desc,
       guint          offset,
       guint          limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = tdm_store_query (store, TDM_KIND_CUSTOMER, status, search, sort, desc,
                                     offset, limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

const char *
row_title (GPtrArray *rows,
           guint      i)
{
  return tdm_store_row_get_title (g_ptr_array_index (rows, i));
}
