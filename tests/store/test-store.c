/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-store"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-record.h"
#include "tdm-planner.h"
#include "tdm-record-store.h"
#include "tdm-store.h"

/* ---------------------------------------------------------------- helpers */

typedef struct {
  char     *dir;
  char     *path;
  TdmStore *store;
} Fixture;

static void
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

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
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

static TdmRecord *
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

static TdmLink *
link_with_snapshots (TdmKind    kind,
                     TdmRecord *ws,
                     TdmRecord *sh)
{
  TdmLink *link = tdm_link_new (kind, ws->id, sh->id);

  tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, ws->fields, ws->updated_at);
  tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, sh->fields, sh->updated_at);
  return link;
}

/* Commits a linked customer pair with both cache rows. */
static void
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

static void
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

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static int
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

/* FTS5's own check that the search index matches view_rows. */
static void
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

static gint64
count_rows (TdmStore      *store,
            TdmLinkStatus  status,
            const char    *search)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tdm_store_count (store, TDM_KIND_CUSTOMER, status, search, &error);

  g_assert_no_error (error);
  return n;
}

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

static int
count_indexes (const char *path)
{
  return sqlite_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                           " AND tbl_name = 'view_rows'");
}

/* ---------------------------------------------------------------- tests */

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
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmOutboxOp) a = tdm_outbox_op_new (TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "17", "hash-a");
  g_autoptr(TdmOutboxOp) b = tdm_outbox_op_new (TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, "gid://shopify/Order/9", "hash-b");
  g_autoptr(TdmOutboxOp) c = tdm_outbox_op_new (TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "5", NULL);
  g_autoptr(GPtrArray) pending = NULL;
  TdmOutboxOp *first;

  g_assert_true (g_uuid_string_is_valid (a->op_id));
  g_assert_cmpstr (a->op_id, !=, b->op_id);
  g_assert_cmpstr (a->state, ==, "pending");

  g_assert_true (tdm_record_store_outbox_add (rs, a, &error));
  g_assert_true (tdm_record_store_outbox_add (rs, b, &error));
  g_assert_true (tdm_record_store_outbox_add (rs, c, &error));
  g_assert_no_error (error);
  /* The same op twice is refused. */
  g_assert_false (tdm_record_store_outbox_add (rs, a, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);
  first = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (first->op_id, ==, a->op_id);
  g_assert_cmpint (first->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpint (first->target, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (first->source_id, ==, "17");
  g_assert_cmpstr (first->payload_hash, ==, "hash-a");
  g_assert_cmpstr (((TdmOutboxOp *) g_ptr_array_index (pending, 1))->source_id, ==,
                   "gid://shopify/Order/9");

  g_assert_true (tdm_record_store_outbox_set_state (rs, b->op_id, "failed", &error));
  g_assert_true (tdm_record_store_outbox_set_state (rs, a->op_id, "done", &error));
  g_assert_no_error (error);
  g_assert_false (tdm_record_store_outbox_set_state (rs, "no-such-op", "done", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((TdmOutboxOp *) g_ptr_array_index (pending, 0))->op_id, ==, c->op_id);

  /* Done through a commit, together with the link. */
  {
    g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, "5", "P", "Q", "p@example.com", NULL);
    g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/5", "P", "Q",
                                        "p@example.com", NULL);
    g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link, .outbox_done = c->op_id };

    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_watermarks (Fixture       *f,
                 gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  char *v;

  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_no_error (error);
  g_assert_null (v);

  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER,
                                                 "2026-11-26T10:00:00Z", &error));
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_ORDER,
                                                 "2026-11-25T09:00:00Z", &error));
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER,
                                                 "2026-11-26T11:00:00Z", &error));
  g_assert_no_error (error);

  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_cmpstr (v, ==, "2026-11-26T11:00:00Z");
  g_free (v);
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_ORDER, &error);
  g_assert_cmpstr (v, ==, "2026-11-25T09:00:00Z");
  g_free (v);
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, &error);
  g_assert_null (v);

  /* Back to "never". */
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, NULL, &error));
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_no_error (error);
  g_assert_null (v);
}

static void
test_runs (Fixture       *f,
           gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  TdmRunInfo info = { 0 };
  TdmRunInfo *r;
  gint64 first, second;

  first = tdm_record_store_run_begin (rs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  second = tdm_record_store_run_begin (rs, &error);
  g_assert_cmpint (second, >, first);

  info.id = first;
  info.created = 3;
  info.updated = 4;
  info.linked = 5;
  info.conflicts = 1;
  info.errors = 2;
  info.unchanged = 100;
  info.outcome = (char *) "completed";
  g_assert_true (tdm_record_store_run_finish (rs, &info, &error));
  g_assert_no_error (error);

  info.id = 999;
  g_assert_false (tdm_record_store_run_finish (rs, &info, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  runs = tdm_store_list_runs (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  r = g_ptr_array_index (runs, 0);
  g_assert_cmpint (r->id, ==, second);           /* newest first */
  g_assert_cmpstr (r->outcome, ==, "running");
  g_assert_cmpint (r->finished_at, ==, 0);
  r = g_ptr_array_index (runs, 1);
  g_assert_cmpint (r->id, ==, first);
  g_assert_cmpstr (r->outcome, ==, "completed");
  g_assert_cmpint (r->finished_at, >=, r->started_at);
  g_assert_cmpuint (r->created, ==, 3);
  g_assert_cmpuint (r->updated, ==, 4);
  g_assert_cmpuint (r->linked, ==, 5);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_assert_cmpuint (r->errors, ==, 2);
  g_assert_cmpuint (r->unchanged, ==, 100);

  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = tdm_store_list_runs (f->store, 1, &error);
  g_assert_cmpuint (runs->len, ==, 1);
}

static void
test_record_errors (Fixture       *f,
                    gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecordError) err = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  TdmStoreError *e;
  char *hash;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  commit_only (f->store, TDM_SIDE_WEBSHOP, "2", "Ola", "Hansen", "ola@example.no");

  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_no_error (error);
  g_assert_null (hash);

  err = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "2", "email",
                              "Customer ola@example.no (webshop id 2): the email is already taken.");
  g_assert_true (tdm_record_store_set_record_error (rs, 7, err, "hash-v1", &error));
  g_assert_no_error (error);
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpstr (hash, ==, "hash-v1");
  g_free (hash);

  /* Replacing keeps one error per record. */
  g_assert_true (tdm_record_store_set_record_error (rs, 8, err, "hash-v2", &error));
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpstr (hash, ==, "hash-v2");
  g_free (hash);

  errors = tdm_store_list_errors (f->store, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (e->record_id, ==, "2");
  g_assert_cmpstr (e->field, ==, "email");
  g_assert_cmpstr (e->title, ==, "Ola Hansen");
  g_assert_cmpint (e->run_id, ==, 8);
  g_assert_cmpint (e->side, ==, TDM_SIDE_WEBSHOP);
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = tdm_store_list_errors (f->store, TDM_KIND_ORDER, 0, &error);
  g_assert_cmpuint (errors->len, ==, 0);

  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_nonnull (row);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);

  /* An error stored through a commit takes the cached record's hash. */
  {
    g_autoptr(TdmRecord) ws1 = customer (TDM_SIDE_WEBSHOP, "1", "Kari", "Nordmann",
                                         "kari@example.no", "+4712345678");
    g_autoptr(TdmRecordError) e1 = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "1",
                                                         "phone", "The phone is invalid.");
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 9, .error = e1 };

    commit.cache[TDM_SIDE_WEBSHOP] = ws1;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
    hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "1", &error);
    g_assert_cmpstr (hash, ==, tdm_record_get_hash (ws1));
    g_free (hash);
    g_clear_object (&row);
    row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
    g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);
  }

  /* A successful commit of the record clears its errors. */
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "Ola", "Hansen", "ola@example.no");
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_no_error (error);
  g_assert_null (hash);
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_LINKED);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);
}

static TdmFieldConflict *
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

static void
conflict_free (TdmFieldConflict *c)
{
  g_free (c->field);
  g_clear_pointer (&c->webshop_value, json_node_unref);
  g_clear_pointer (&c->shopify_value, json_node_unref);
  g_clear_pointer (&c->base_value, json_node_unref);
  g_free (c);
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) resolutions = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(TdmLink) link = tdm_link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1");
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link, .clear_conflicts = TRUE };
  TdmFieldConflict *c;
  TdmStoreConflict *sc;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_clear_pointer (&link, tdm_link_unref);
  link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  commit.link = link;

  g_ptr_array_add (conflicts, conflict_new ("email", "a@example.no", "b@example.no", "kari@example.no"));
  g_ptr_array_add (conflicts, conflict_new ("phone", "+471", "+472", NULL));
  commit.conflicts = conflicts;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);

  listed = tdm_record_store_list_conflicts (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  c = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (c->field, ==, "email");
  g_assert_cmpstr (json_node_get_string (c->webshop_value), ==, "a@example.no");
  g_assert_cmpstr (json_node_get_string (c->shopify_value), ==, "b@example.no");
  g_assert_cmpstr (json_node_get_string (c->base_value), ==, "kari@example.no");
  g_assert_false (c->resolved);
  c = g_ptr_array_index (listed, 1);
  g_assert_null (c->base_value);

  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_CUSTOMER, &error), ==, 2);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 2);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_ORDER, &error), ==, 0);
  pending = tdm_store_list_pending_conflicts (f->store, TDM_KIND_CUSTOMER, &error);
  g_assert_cmpuint (pending->len, ==, 2);
  sc = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (sc->shopify_id, ==, "gid://shopify/Customer/1");
  g_assert_cmpstr (sc->title, ==, "Kari Nordmann");
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_CONFLICT);

  /* Nothing resolved yet. */
  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 0);
  g_clear_pointer (&resolutions, g_hash_table_unref);

  g_assert_true (tdm_record_store_resolve_conflict (rs, TDM_KIND_CUSTOMER, "1", "email",
                                                    TDM_SIDE_SHOPIFY, &error));
  g_assert_no_error (error);
  g_assert_false (tdm_record_store_resolve_conflict (rs, TDM_KIND_CUSTOMER, "1", "note",
                                                     TDM_SIDE_SHOPIFY, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_CUSTOMER, &error), ==, 1);

  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 1);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolutions, "email")), ==,
                   TDM_SIDE_SHOPIFY + 1);
  g_clear_pointer (&resolutions, g_hash_table_unref);
  /* Taken means gone. */
  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 0);

  /* Still in conflict on phone. */
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_CONFLICT);

  /* A later commit where nothing is in conflict any more clears the rest. */
  commit.conflicts = NULL;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 0);
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_LINKED);

  /* Deleting the link drops its conflicts. */
  commit.conflicts = conflicts;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 2);
  g_assert_true (tdm_record_store_delete_link (rs, TDM_KIND_CUSTOMER, "1", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 0);
}

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TdmReviewItem item = { .kind = TDM_KIND_CUSTOMER, .side = TDM_SIDE_WEBSHOP,
                         .record_id = (char *) "17", .reason = (char *) "Two Shopify customers have this phone." };
  TdmReviewItem *got;

  item.candidate_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (item.candidate_ids, g_strdup ("gid://shopify/Customer/1"));
  g_ptr_array_add (item.candidate_ids, g_strdup ("gid://shopify/Customer/2"));
  g_assert_true (tdm_record_store_add_review (rs, &item, &error));
  g_assert_true (tdm_record_store_add_review (rs, &item, &error));   /* idempotent */
  g_assert_no_error (error);

  items = tdm_store_list_review (f->store, TDM_KIND_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  got = g_ptr_array_index (items, 0);
  g_assert_cmpstr (got->record_id, ==, "17");
  g_assert_cmpint (got->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpstr (got->reason, ==, item.reason);
  g_assert_cmpuint (got->candidate_ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (got->candidate_ids, 1), ==, "gid://shopify/Customer/2");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = tdm_store_list_review (f->store, TDM_KIND_PRODUCT, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_true (tdm_record_store_clear_review (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "17", &error));
  items = tdm_store_list_review (f->store, -1, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_ptr_array_unref (item.candidate_ids);
}

static void
test_links_and_unlinked (Fixture       *f,
                         gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) unlinked = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(TdmRecord) tomb = tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                        "gid://shopify/Customer/9", "2026-11-26T12:00:00Z");
  g_autoptr(TdmRecord) cached = NULL;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  commit_only (f->store, TDM_SIDE_WEBSHOP, "2", "Ola", "Hansen", "ola@example.no");
  commit_only (f->store, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/3", "Per", "Olsen", "per@example.no");
  commit_only (f->store, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/9", "Gone", "Away", "gone@example.no");

  links = tdm_record_store_list_links (rs, TDM_KIND_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 1);
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, &error);
  g_assert_cmpuint (unlinked->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) g_ptr_array_index (unlinked, 0))->id, ==, "2");
  g_clear_pointer (&unlinked, g_ptr_array_unref);
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, &error);
  g_assert_cmpuint (unlinked->len, ==, 2);
  g_clear_pointer (&unlinked, g_ptr_array_unref);

  /* A tombstone leaves the unlinked list and the views, and is cached as deleted. */
  {
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER };
    commit.cache[TDM_SIDE_SHOPIFY] = tomb;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  }
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, &error);
  g_assert_cmpuint (unlinked->len, ==, 1);
  cached = tdm_record_store_lookup_cached (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY,
                                           "gid://shopify/Customer/9", &error);
  g_assert_true (cached->deleted);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 3);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, NULL), ==, 1);

  /* Linking 2 and 3 merges their two rows into one. */
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Hansen", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, 2);

  /* Deleting a link splits it into two one-sided rows. */
  g_assert_true (tdm_record_store_delete_link (rs, TDM_KIND_CUSTOMER, "2", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, 1);

  /* An orphaned link: the Shopify side was deleted, the webshop record kept. */
  {
    g_autoptr(TdmLink) link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP,
                                                            "1", &error);
    g_autoptr(TdmRecord) gone = tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                          "gid://shopify/Customer/1", NULL);
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link };

    link->orphaned = TRUE;
    commit.cache[TDM_SIDE_SHOPIFY] = gone;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
    row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
    g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ORPHANED);
    g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Kari Nordmann");
  }

  /* A renamed record is found by its new name only. */
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Hansen", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 1);
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Berg", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "berg"), ==, 1);
  assert_fts_consistent (f->path);
}

/* --------------------------------------------------------------- views */

static void
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

static GPtrArray *
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

static const char *
row_title (GPtrArray *rows,
           guint      i)
{
  return tdm_store_row_get_title (g_ptr_array_index (rows, i));
}

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
    g_assert_cmpstr (tdm_store_row_get_extra2 (g_ptr_array_index (rows, 0)), ==, "paid · unfulfilled");
    g_assert_cmpstr (tdm_store_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "buyer@example.no");
  }
  g_assert_cmpint (tdm_store_count (f->store, TDM_KIND_ORDER, TDM_LINK_STATUS_ALL, "1001", &error), ==, 1);
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

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, "1", "Kari", "Nordmann", "kari@example.no", NULL);
  g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", "Kari", "Nordmann",
                                      "kari@example.no", NULL);
  g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_history_entry_free);
  g_autoptr(JsonNode) before = json_node_init_string (json_node_alloc (), "old@example.no");
  g_autoptr(JsonNode) after = json_node_init_string (json_node_alloc (), "kari@example.no");
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 3, .link = link, .history = entries };
  TdmStoreHistory *h;

  g_ptr_array_add (entries, tdm_history_entry_new (TDM_SIDE_SHOPIFY, "updated", "email", before, after));
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);

  history = tdm_store_list_history (f->store, TDM_KIND_CUSTOMER, NULL, "gid://shopify/Customer/1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  h = g_ptr_array_index (history, 0);
  g_assert_cmpint (h->run_id, ==, 3);
  g_assert_cmpint (h->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (h->action, ==, "updated");
  g_assert_cmpstr (h->field, ==, "email");
  g_assert_cmpstr (h->before, ==, "\"old@example.no\"");
  g_assert_cmpstr (h->after, ==, "\"kari@example.no\"");
  g_assert_cmpstr (h->webshop_id, ==, "1");
  g_assert_cmpint (h->at, >, 0);
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
  g_assert_cmpint (sqlite3_exec (db, downgrade_indexes_to_2, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (count_indexes (f->path), ==, 10);

  f->store = tdm_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, tdm_store_schema_version ());
  g_assert_cmpint (tdm_store_schema_version (), ==, 3);
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
  ADD ("migrate-empty", test_migrate_empty);
  ADD ("reopen-keeps-data", test_reopen_keeps_data);
  ADD ("migrate-from-1", test_migrate_from_1);
  ADD ("migrate-from-2", test_migrate_from_2);
  ADD ("newer-version-refused", test_newer_version_refused);
  ADD ("garbage-refused", test_garbage_refused);
  ADD ("corrupt-page-refused", test_corrupt_page_refused);
  ADD ("foreign-database-refused", test_foreign_database_refused);
  ADD ("commit-atomic", test_commit_atomic);
  ADD ("batch-rollback", test_batch_rollback);
  ADD ("outbox", test_outbox);
  ADD ("watermarks", test_watermarks);
  ADD ("runs", test_runs);
  ADD ("record-errors", test_record_errors);
  ADD ("conflicts", test_conflicts);
  ADD ("review", test_review);
  ADD ("links-and-unlinked", test_links_and_unlinked);
  ADD ("history", test_history);
  ADD ("view/filters", test_view_filters);
  ADD ("view/search", test_view_search);
  ADD ("view/sort-and-pages", test_view_sort_and_pages);
  ADD ("view/products-orders", test_view_products_orders);
  ADD ("view/async", test_view_async);
  ADD ("view/filter-each-sort", test_view_filter_each_sort);
  ADD ("view/in-place", test_view_in_place);
  ADD ("view/duplicates-removed", test_view_duplicates_removed);
  ADD ("view/large-status", test_view_large_status);
#undef ADD

  return g_test_run ();
}
