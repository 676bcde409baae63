/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-store"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "store-fixture.h"
#include "tdm-error.h"

/* Opening the state database: migrations from every older format, files
 * that are refused and left untouched, and atomic commits and batches. */

/* The sort indexes of formats 1 and 2 in place of those of format 3: what
 * a database written by those versions has. */
static const char downgrade_indexes_to_2[] =
  "DROP INDEX view_title_status;"
  "DROP INDEX view_subtitle_status;"
  "DROP INDEX view_extra_status;"
  "DROP INDEX view_synced_status;"
  "DROP INDEX view_other_status_title;"
  "CREATE INDEX view_status_title ON view_rows (kind, status, title_key);"
  "CREATE INDEX view_title ON view_rows (kind, title_key);"
  "CREATE INDEX view_subtitle ON view_rows (kind, subtitle_key);"
  "CREATE INDEX view_status_subtitle ON view_rows (kind, status, subtitle_key);"
  "CREATE INDEX view_extra ON view_rows (kind, extra_key);"
  "CREATE INDEX view_status_extra ON view_rows (kind, status, extra_key);"
  "CREATE INDEX view_synced ON view_rows (kind, last_synced);"
  "CREATE INDEX view_status_synced ON view_rows (kind, status, last_synced);";

/* A format 3 database: no record_errors.fields, no view_rows.extra3 and
 * .currency, the search index with the default tokenizer and its words
 * lower-cased only (lower () leaves "ø" as it is, as format 3 did). */
static const char downgrade_to_3[] =
  "DROP TABLE view_fts;"
  "CREATE VIRTUAL TABLE view_fts USING fts5 ("
  "  search, content = 'view_rows', content_rowid = 'id',"
  "  detail = none, prefix = '2 3');"
  "ALTER TABLE view_rows DROP COLUMN extra3;"
  "ALTER TABLE view_rows DROP COLUMN currency;"
  "ALTER TABLE record_errors DROP COLUMN fields;"
  "UPDATE view_rows SET search = lower (title || ' ' || coalesce (subtitle, ''));"
  "INSERT INTO view_fts (view_fts) VALUES ('rebuild');"
  "PRAGMA user_version = 3;";

static int
count_indexes (const char *path)
{
  return sqlite_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                           " AND tbl_name = 'view_rows'");
}

static void
test_migrate_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) mem = NULL;
  const char *tables[] = { "links", "outbox", "watermarks", "runs", "record_errors",
                           "conflicts", "history", "review_items", "records", "view_rows",
                           "view_fts" };

  g_assert_cmpstr (tdm_store_get_path (f->store), ==, f->path);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, tdm_store_schema_version ());
  g_assert_cmpint (tdm_store_schema_version (), >=, 1);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA application_id"), ==, 0x54444d31);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE name = '%s'",
                                              tables[i]);
      g_assert_cmpint (sqlite_int (f->path, sql), ==, 1);
    }

  /* WAL mode is persistent in the file. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  mem = tdm_store_new (":memory:", &error);
  g_assert_no_error (error);
  g_assert_nonnull (mem);
  g_assert_true (TDM_IS_RECORD_STORE (mem));
}

static void
test_reopen_keeps_data (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmLink) link = NULL;
  g_autoptr(TdmRecord) cached = NULL;
  g_autofree char *mark = NULL;

  commit_pair (f->store, "17", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_assert_true (tdm_record_store_set_watermark (TDM_RECORD_STORE (f->store), TDM_SIDE_WEBSHOP,
                                                 TDM_KIND_CUSTOMER, "2026-11-26T10:00:00Z", &error));
  g_clear_object (&f->store);

  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);

  link = tdm_record_store_lookup_link (TDM_RECORD_STORE (f->store), TDM_KIND_CUSTOMER,
                                       TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->webshop_id, ==, "17");
  g_assert_nonnull (link->webshop_snapshot);
  g_assert_cmpstr (json_object_get_string_member (link->webshop_snapshot, "email"), ==,
                   "kari@example.no");
  g_assert_cmpstr (link->shopify_updated_at, ==, "2026-11-26T10:00:00Z");

  cached = tdm_record_store_lookup_cached (TDM_RECORD_STORE (f->store), TDM_KIND_CUSTOMER,
                                           TDM_SIDE_WEBSHOP, "17", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_cmpstr (tdm_record_get_string (cached, "first_name"), ==, "Kari");

  mark = tdm_record_store_get_watermark (TDM_RECORD_STORE (f->store), TDM_SIDE_WEBSHOP,
                                         TDM_KIND_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mark, ==, "2026-11-26T10:00:00Z");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, 1);
}

/* A version 1 database (per-row FTS triggers, no records.subtitle_key)
 * is migrated in place and keeps its data. */
static void
test_migrate_from_1 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  const char *downgrade =
    "CREATE TRIGGER view_rows_ai AFTER INSERT ON view_rows BEGIN"
    "  INSERT INTO view_fts (rowid, search) VALUES (new.id, new.search);"
    "END;"
    "CREATE TRIGGER view_rows_ad AFTER DELETE ON view_rows BEGIN"
    "  INSERT INTO view_fts (view_fts, rowid, search) VALUES ('delete', old.id, old.search);"
    "END;"
    "ALTER TABLE records DROP COLUMN subtitle_key;"
    /* Format 1 stored display columns in the records. */
    "UPDATE records SET subtitle = json_extract (fields, '$.email');"
    "PRAGMA user_version = 1;";

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "Kari@Example.no");
  g_clear_object (&f->store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade_to_3, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade_indexes_to_2, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), ==, 2);

  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, tdm_store_schema_version ());
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), ==, 0);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM records WHERE subtitle_key = 'kari@example.no'"), ==, 2);

  /* Old data and new commits are both found, once each. */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "kari"), ==, 1);
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "Kari", "Hansen", "kh@example.no");
  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "kari"), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "nordmann"), ==, 1);
}

/* A format 2 database (eight sort indexes on the view rows) is migrated to
 * the five of format 3 and keeps its rows, search and sort orders. */
static void
test_migrate_from_2 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  const char *v3[] = { "view_title_status", "view_subtitle_status", "view_extra_status",
                       "view_synced_status", "view_other_status_title", "view_webshop",
                       "view_shopify" };
  const char *v2_only[] = { "view_title", "view_subtitle", "view_status_subtitle", "view_extra",
                            "view_status_extra", "view_synced", "view_status_synced",
                            "view_status_title" };

  populate_views (f->store);
  g_clear_object (&f->store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade_to_3, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade_indexes_to_2, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (count_indexes (f->path), ==, 10);

  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, tdm_store_schema_version ());
  g_assert_cmpint (tdm_store_schema_version (), ==, 4);
  g_assert_cmpint (count_indexes (f->path), ==, G_N_ELEMENTS (v3));
  for (guint i = 0; i < G_N_ELEMENTS (v3); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE name = '%s'", v3[i]);
      g_assert_cmpint (sqlite_int (f->path, sql), ==, 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (v2_only); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE name = '%s'", v2_only[i]);
      g_assert_cmpint (sqlite_int (f->path, sql), ==, 0);
    }

  /* The data is all there, searchable and sorted. */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 25);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordm"), ==, 12);
  {
    g_autoptr(GPtrArray) rows = query (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, NULL,
                                       TDM_STORE_SORT_SUBTITLE, TRUE, 0, 0);
    g_assert_cmpuint (rows->len, ==, 5);
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "webshop4@shop.test");
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 4)), ==, "webshop0@shop.test");
  }
  commit_pair (f->store, "100", "gid://shopify/Customer/500", "Anna", "Berg", "anna@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "nordm"), ==, 11);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "berg"), ==, 1);
  assert_fts_consistent (f->path);
}

/* A format 3 database is migrated to format 4: its view rows are built
 * again from the records, so that a search without accents finds a name
 * with them, orders show their payment, fulfilment and currency apart, and
 * a record that failed before it was ever cached is listed (by its id: its
 * fields were not kept then). */
static void
test_migrate_from_3 (Fixture       *f,
                     gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Sølvi", "Ærø", "solvi@example.no");
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "Kari", "Nordmann", "kari@example.no");
  {
    g_autoptr(JsonObject) fields = fields_new ("number", "1001", "total_price", "995",
                                               "currency", "NOK", "financial_status", "paid",
                                               "fulfillment_status", "partial", NULL);
    g_autoptr(TdmRecord) order = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_ORDER, "300", NULL,
                                                 NULL, fields, NULL);
    TdmCommit commit = { .kind = TDM_KIND_ORDER };

    commit.cache[TDM_SIDE_WEBSHOP] = order;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  }
  {
    /* A Shopify customer that could not be read: an error, no record. */
    g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                          "gid://shopify/Customer/1132", "phone",
                                                          "Not synced: the phone is not a number.");

    g_assert_true (tdm_record_store_set_record_error (rs, 1, err, NULL, &error));
  }
  g_clear_object (&f->store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade_to_3, NULL, NULL, NULL), ==, SQLITE_OK);
  /* Format 3 had no row for the record that was never read, and the
   * order's states in one column. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM view_rows WHERE shopify_id = 'gid://shopify/Customer/1132';"
                                 "UPDATE view_rows SET extra2 = 'paid · partial' WHERE kind = 2;"
                                 "INSERT INTO view_fts (view_fts) VALUES ('rebuild');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM view_rows WHERE search LIKE 's_lvi%'"), ==, 1);

  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, 4);

  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "solvi"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "aero"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "Sølvi"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "kari"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 3);
  {
    g_autoptr(TdmStoreRow) row = tdm_store_get_row (f->store, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP,
                                                    "300", &error);

    g_assert_nonnull (row);
    g_assert_cmpstr (tdm_store_row_get_extra2 (row), ==, "paid");
    g_assert_cmpstr (tdm_store_row_get_extra3 (row), ==, "partial");
    g_assert_cmpstr (tdm_store_row_get_currency (row), ==, "NOK");
  }
  assert_fts_consistent (f->path);
}

static void
test_newer_version_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autofree char *before = NULL, *after = NULL;
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", tdm_store_schema_version () + 1);

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "A", "B", "a@example.com");
  g_clear_object (&f->store);   /* checkpoints the WAL into the file */

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_checksum (f->path);

  store = tdm_store_new (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "newer version of Tandem"));
  g_assert_nonnull (strstr (error->message, f->path));

  after = file_checksum (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, tdm_store_schema_version () + 1);
}

static void
test_garbage_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autofree char *path = g_build_filename (f->dir, "garbage.sqlite3", NULL);
  g_autofree char *before = NULL, *after = NULL;
  GString *junk = g_string_new (NULL);

  for (guint i = 0; i < 8192; i++)
    g_string_append_c (junk, (char) ('A' + (i * 7) % 26));
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  g_string_free (junk, TRUE);
  before = file_checksum (path);

  store = tdm_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "move the file away"));

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

static void
test_corrupt_page_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize len = 0;
  sqlite3 *db = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *ws = g_strdup_printf ("%u", i);
      g_autofree char *sh = g_strdup_printf ("gid://shopify/Customer/%u", i);
      g_autofree char *email = g_strdup_printf ("c%u@example.com", i);
      commit_pair (f->store, ws, sh, "First", "Last", email);
    }
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Smash the middle of the file: b-tree pages, not the header. */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 4096);
  memset (contents + 4 * 4096, 0xA5, 3 * 4096);
  g_assert_true (g_file_set_contents (f->path, contents, len, NULL));
  before = file_checksum (f->path);

  store = tdm_store_new (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "damaged"));
  after = file_checksum (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_foreign_database_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autofree char *path = g_build_filename (f->dir, "other.sqlite3", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_checksum (path);

  store = tdm_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "another program"));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_commit_atomic (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) ws2 = customer (TDM_SIDE_WEBSHOP, "2", "Ola", "Hansen", "ola@example.no", NULL);
  g_autoptr(TdmRecord) sh1 = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", "Ola", "Hansen",
                                       "ola@example.no", NULL);
  g_autoptr(TdmLink) bad = link_with_snapshots (TDM_KIND_CUSTOMER, ws2, sh1);
  g_autoptr(TdmRecord) cached = NULL;
  g_autoptr(TdmLink) link = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) hist = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_history_entry_free);
  g_autoptr(TdmOutboxOp) op = tdm_outbox_op_new (TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "2", "h");
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) after = json_node_new (JSON_NODE_VALUE);
  TdmCommit commit = { 0 };

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_assert_true (tdm_record_store_outbox_add (TDM_RECORD_STORE (f->store), op, &error));
  g_assert_no_error (error);

  /* Link webshop 2 to a Shopify customer already linked to webshop 1:
   * the cache row, outbox op and history come first, the link violates
   * UNIQUE (kind, shopify_id): nothing of it may stay. */
  json_node_set_string (after, "ola@example.no");
  g_ptr_array_add (hist, tdm_history_entry_new (TDM_SIDE_SHOPIFY, "linked", NULL, NULL, NULL));
  g_ptr_array_add (hist, tdm_history_entry_new (TDM_SIDE_SHOPIFY, "updated", "email", NULL, after));
  commit.kind = TDM_KIND_CUSTOMER;
  commit.cache[TDM_SIDE_WEBSHOP] = ws2;
  commit.cache[TDM_SIDE_SHOPIFY] = sh1;
  commit.outbox_done = op->op_id;
  commit.history = hist;
  commit.link = bad;
  g_assert_false (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  cached = tdm_record_store_lookup_cached (TDM_RECORD_STORE (f->store), TDM_KIND_CUSTOMER,
                                           TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_no_error (error);
  g_assert_null (cached);
  cached = tdm_record_store_lookup_cached (TDM_RECORD_STORE (f->store), TDM_KIND_CUSTOMER,
                                           TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", &error);
  g_assert_cmpstr (tdm_record_get_string (cached, "first_name"), ==, "Kari");
  link = tdm_record_store_lookup_link (TDM_RECORD_STORE (f->store), TDM_KIND_CUSTOMER,
                                       TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", &error);
  g_assert_cmpstr (link->webshop_id, ==, "1");
  pending = tdm_record_store_outbox_pending (TDM_RECORD_STORE (f->store), &error);
  g_assert_cmpuint (pending->len, ==, 1);
  history = tdm_store_list_history (f->store, TDM_KIND_CUSTOMER, "2", "gid://shopify/Customer/1", 0, &error);
  g_assert_cmpuint (history->len, ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "ola"), ==, 0);

  /* A conflict without a link is refused as a whole too. */
  {
    g_autoptr(GPtrArray) conflicts = g_ptr_array_new ();
    TdmFieldConflict c = { .field = (char *) "email" };
    TdmCommit c2 = { 0 };

    g_ptr_array_add (conflicts, &c);
    c2.kind = TDM_KIND_CUSTOMER;
    c2.cache[TDM_SIDE_WEBSHOP] = ws2;
    c2.conflicts = conflicts;
    c2.cache[TDM_SIDE_WEBSHOP] = NULL;
    g_assert_false (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &c2, &error));
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
    g_clear_error (&error);
  }

  /* The same commit with a free Shopify id goes through as a whole. */
  {
    g_autoptr(TdmRecord) sh2 = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/2", "Ola",
                                         "Hansen", "ola@example.no", NULL);
    g_autoptr(TdmLink) good = link_with_snapshots (TDM_KIND_CUSTOMER, ws2, sh2);

    commit.cache[TDM_SIDE_SHOPIFY] = sh2;
    commit.link = good;
    g_assert_true (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
    g_assert_no_error (error);
    g_clear_pointer (&pending, g_ptr_array_unref);
    pending = tdm_record_store_outbox_pending (TDM_RECORD_STORE (f->store), &error);
    g_assert_cmpuint (pending->len, ==, 0);
    g_clear_pointer (&history, g_ptr_array_unref);
    history = tdm_store_list_history (f->store, TDM_KIND_CUSTOMER, "2", NULL, 0, &error);
    g_assert_cmpuint (history->len, ==, 2);
    g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "ola"), ==, 1);
  }
}

static void
test_batch_rollback (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tdm_store_begin_batch (f->store, &error));
  commit_pair (f->store, "1", "gid://shopify/Customer/1", "A", "B", "a@example.com");
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "C", "D", "c@example.com");
  g_assert_false (tdm_store_end_batch (f->store, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 0);

  g_assert_true (tdm_store_begin_batch (f->store, &error));
  commit_pair (f->store, "1", "gid://shopify/Customer/1", "A", "B", "a@example.com");
  {
    /* A failing commit inside a batch undoes only itself. */
    g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, "3", "X", "Y", "x@example.com", NULL);
    g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", "X", "Y",
                                        "x@example.com", NULL);
    g_autoptr(TdmLink) bad = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = bad };
    commit.cache[TDM_SIDE_WEBSHOP] = ws;
    g_assert_false (tdm_record_store_commit (TDM_RECORD_STORE (f->store), &commit, &error));
    g_clear_error (&error);
  }
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "C", "D", "c@example.com");
  g_assert_true (tdm_store_end_batch (f->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "x"), ==, 0);
  assert_fts_consistent (f->path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, fn) g_test_add ("/store/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("migrate-empty", test_migrate_empty);
  ADD ("reopen-keeps-data", test_reopen_keeps_data);
  ADD ("migrate-from-1", test_migrate_from_1);
  ADD ("migrate-from-2", test_migrate_from_2);
  ADD ("migrate-from-3", test_migrate_from_3);
  ADD ("newer-version-refused", test_newer_version_refused);
  ADD ("garbage-refused", test_garbage_refused);
  ADD ("corrupt-page-refused", test_corrupt_page_refused);
  ADD ("foreign-database-refused", test_foreign_database_refused);
  ADD ("commit-atomic", test_commit_atomic);
  ADD ("batch-rollback", test_batch_rollback);
#undef ADD

  return g_test_run ();
}
