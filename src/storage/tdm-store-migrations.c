/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store-migrations.h"

/* Version 1: the first schema.
 *
 * kind and side are stored as integers (TdmKind, TdmSide); times as unix
 * seconds except the sides' own updated_at values, kept as RFC 3339 text.
 * Snapshots and cached fields are canonical JSON text
 * (tdm_json_canonical_string). Credentials are never stored here. */
static const char migration_1[] =
  /* Links between twins, with each side's snapshot after the last sync. */
  "CREATE TABLE links ("
  "  kind               INTEGER NOT NULL,"
  "  webshop_id         TEXT NOT NULL,"
  "  shopify_id         TEXT NOT NULL,"
  "  webshop_snapshot   TEXT,"
  "  shopify_snapshot   TEXT,"
  "  webshop_updated_at TEXT,"
  "  shopify_updated_at TEXT,"
  "  orphaned           INTEGER NOT NULL DEFAULT 0,"
  "  last_synced        INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (kind, webshop_id)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX links_shopify ON links (kind, shopify_id);"

  /* Pending creates (crash safety). seq keeps insertion order. */
  "CREATE TABLE outbox ("
  "  seq          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  op_id        TEXT NOT NULL UNIQUE,"
  "  kind         INTEGER NOT NULL,"
  "  target       INTEGER NOT NULL,"
  "  source_id    TEXT NOT NULL,"
  "  payload_hash TEXT,"
  "  created_at   TEXT NOT NULL,"
  "  state        TEXT NOT NULL DEFAULT 'pending'"
  "               CHECK (state IN ('pending', 'done', 'failed'))"
  ");"
  "CREATE INDEX outbox_state ON outbox (state, seq);"

  "CREATE TABLE watermarks ("
  "  side  INTEGER NOT NULL,"
  "  kind  INTEGER NOT NULL,"
  "  value TEXT,"
  "  PRIMARY KEY (side, kind)"
  ");"

  "CREATE TABLE runs ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  started_at  INTEGER NOT NULL,"
  "  finished_at INTEGER NOT NULL DEFAULT 0,"
  "  created     INTEGER NOT NULL DEFAULT 0,"
  "  updated     INTEGER NOT NULL DEFAULT 0,"
  "  linked      INTEGER NOT NULL DEFAULT 0,"
  "  conflicts   INTEGER NOT NULL DEFAULT 0,"
  "  errors      INTEGER NOT NULL DEFAULT 0,"
  "  unchanged   INTEGER NOT NULL DEFAULT 0,"
  "  outcome     TEXT NOT NULL DEFAULT 'running',"
  "  message     TEXT"
  ");"

  /* One error per (kind, side, record); record_id '' for a failed create
   * without a source id. */
  "CREATE TABLE record_errors ("
  "  id          INTEGER PRIMARY KEY,"
  "  kind        INTEGER NOT NULL,"
  "  side        INTEGER NOT NULL,"
  "  record_id   TEXT NOT NULL,"
  "  field       TEXT,"
  "  message     TEXT NOT NULL,"
  "  existing_id TEXT,"
  "  record_hash TEXT,"
  "  first_seen  INTEGER NOT NULL,"
  "  last_seen   INTEGER NOT NULL,"
  "  run_id      INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (kind, side, record_id)"
  ");"
  "CREATE INDEX record_errors_record ON record_errors (kind, record_id);"
  "CREATE INDEX record_errors_seen ON record_errors (last_seen);"

  /* Field conflicts under the `ask` policy; gone with their link. */
  "CREATE TABLE conflicts ("
  "  id            INTEGER PRIMARY KEY,"
  "  kind          INTEGER NOT NULL,"
  "  webshop_id    TEXT NOT NULL,"
  "  field         TEXT NOT NULL,"
  "  webshop_value TEXT,"
  "  shopify_value TEXT,"
  "  base_value    TEXT,"
  "  state         TEXT NOT NULL DEFAULT 'pending'"
  "                CHECK (state IN ('pending', 'resolved')),"
  "  winner        INTEGER,"
  "  first_seen    INTEGER NOT NULL,"
  "  resolved_at   INTEGER,"
  "  UNIQUE (kind, webshop_id, field),"
  "  FOREIGN KEY (kind, webshop_id) REFERENCES links (kind, webshop_id)"
  "    ON DELETE CASCADE"
  ");"
  "CREATE INDEX conflicts_state ON conflicts (state, kind);"

  "CREATE TABLE history ("
  "  id         INTEGER PRIMARY KEY,"
  "  run_id     INTEGER NOT NULL DEFAULT 0,"
  "  kind       INTEGER NOT NULL,"
  "  webshop_id TEXT,"
  "  shopify_id TEXT,"
  "  side       INTEGER NOT NULL,"
  "  action     TEXT NOT NULL,"
  "  field      TEXT,"
  "  before     TEXT,"
  "  after      TEXT,"
  "  at         INTEGER NOT NULL"
  ");"
  "CREATE INDEX history_webshop ON history (kind, webshop_id);"
  "CREATE INDEX history_shopify ON history (kind, shopify_id);"

  /* Ambiguous matches waiting for the user. */
  "CREATE TABLE review_items ("
  "  id         INTEGER PRIMARY KEY,"
  "  kind       INTEGER NOT NULL,"
  "  side       INTEGER NOT NULL,"
  "  record_id  TEXT NOT NULL,"
  "  reason     TEXT,"
  "  candidates TEXT NOT NULL DEFAULT '[]',"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (kind, side, record_id)"
  ");"

  /* The latest canonical record per side, with its display columns. */
  "CREATE TABLE records ("
  "  kind       INTEGER NOT NULL,"
  "  side       INTEGER NOT NULL,"
  "  id         TEXT NOT NULL,"
  "  fields     TEXT NOT NULL,"
  "  native     TEXT,"
  "  updated_at TEXT,"
  "  etag       TEXT,"
  "  hash       TEXT,"
  "  twin_id    TEXT,"
  "  deleted    INTEGER NOT NULL DEFAULT 0,"
  "  title      TEXT,"
  "  subtitle   TEXT,"
  "  extra      TEXT,"
  "  extra2     TEXT,"
  "  title_key  ,"
  "  extra_key  ,"
  "  search     TEXT,"
  "  PRIMARY KEY (kind, side, id)"
  ") WITHOUT ROWID;"

  /* One row per entry of an entity view (a link, or a record without a
   * twin), maintained on every commit, with a status column and sort keys
   * so that a filtered, sorted page is an index range scan. title_key and
   * extra_key hold numbers for numeric sorting where that makes sense
   * (order numbers, prices, totals). */
  "CREATE TABLE view_rows ("
  "  id           INTEGER PRIMARY KEY,"
  "  kind         INTEGER NOT NULL,"
  "  webshop_id   TEXT,"
  "  shopify_id   TEXT,"
  "  status       INTEGER NOT NULL,"
  "  title        TEXT,"
  "  subtitle     TEXT,"
  "  extra        TEXT,"
  "  extra2       TEXT,"
  "  title_key    ,"
  "  subtitle_key TEXT,"
  "  extra_key    ,"
  "  last_synced  INTEGER NOT NULL DEFAULT 0,"
  "  search       TEXT"
  ");"
  "CREATE INDEX view_webshop ON view_rows (kind, webshop_id);"
  "CREATE INDEX view_shopify ON view_rows (kind, shopify_id);"
  "CREATE INDEX view_title ON view_rows (kind, title_key);"
  "CREATE INDEX view_status_title ON view_rows (kind, status, title_key);"
  "CREATE INDEX view_subtitle ON view_rows (kind, subtitle_key);"
  "CREATE INDEX view_status_subtitle ON view_rows (kind, status, subtitle_key);"
  "CREATE INDEX view_extra ON view_rows (kind, extra_key);"
  "CREATE INDEX view_status_extra ON view_rows (kind, status, extra_key);"
  "CREATE INDEX view_synced ON view_rows (kind, last_synced);"
  "CREATE INDEX view_status_synced ON view_rows (kind, status, last_synced);"

  /* Word-prefix search over the view rows (external content FTS5). The
   * store keeps it in step itself, once per transaction (see tdm-store.c:
   * per-row triggers would flush FTS5 after every statement). */
  "CREATE VIRTUAL TABLE view_fts USING fts5 ("
  "  search, content = 'view_rows', content_rowid = 'id',"
  "  detail = none, prefix = '2 3');";

/* Version 2: early development databases had per-row FTS triggers. */
static const char migration_2[] =
  "DROP TRIGGER IF EXISTS view_rows_ai;"
  "DROP TRIGGER IF EXISTS view_rows_ad;"
  "DROP TRIGGER IF EXISTS view_rows_au;"
  "INSERT INTO view_fts (view_fts) VALUES ('rebuild');"
  /* The case-folded subtitle, copied into view rows for sorting. */
  "ALTER TABLE records ADD COLUMN subtitle_key TEXT;"
  "UPDATE records SET subtitle_key = lower(subtitle);";

/* Version 3: fewer sort indexes on the view rows, so that a commit
 * maintains four instead of eight for a linked record: one (kind, key,
 * status) per sort key, which serves pages of every status and, reading the
 * status from the index, filtered pages sorted by that key; and a partial
 * (kind, status, title_key) of the rows that are not linked (status 0),
 * for the other statuses' pages sorted by title or status.
 * From this version on, the display columns of records (title, subtitle,
 * extra, extra2, title_key, subtitle_key, extra_key, search) and its hash
 * are neither written nor read: view rows are built from the fields. They
 * stay in the table (dropping them would rewrite it); an update of a record
 * clears them. */
static const char migration_3[] =
  "DROP INDEX IF EXISTS view_title;"
  "DROP INDEX IF EXISTS view_subtitle;"
  "DROP INDEX IF EXISTS view_extra;"
  "DROP INDEX IF EXISTS view_synced;"
  "DROP INDEX IF EXISTS view_status_subtitle;"
  "DROP INDEX IF EXISTS view_status_extra;"
  "DROP INDEX IF EXISTS view_status_synced;"
  "DROP INDEX IF EXISTS view_status_title;"
  "CREATE INDEX view_other_status_title ON view_rows (kind, status, title_key) WHERE status <> 0;"
  "CREATE INDEX view_title_status ON view_rows (kind, title_key, status);"
  "CREATE INDEX view_subtitle_status ON view_rows (kind, subtitle_key, status);"
  "CREATE INDEX view_extra_status ON view_rows (kind, extra_key, status);"
  "CREATE INDEX view_synced_status ON view_rows (kind, last_synced, status);";

/* Version 4: every record of both shops in the views, in the owner's
 * words and findable without accents.
 * - record_errors.fields: the canonical fields of a version that failed and
 *   is not cached (it could not be read), so that its row can show it.
 * - view_rows.extra3 and .currency: an order's fulfilment and currency, a
 *   product's stock (extra2 now holds an order's payment state alone).
 * - The search index words are folded by the store (ø → o, æ → ae, accents
 *   dropped: _tdm_store_text_search); the tokenizer drops any diacritics
 *   left. The index is made again and, with the view rows, rebuilt from the
 *   records after this SQL (rebuild_views). */
static const char migration_4[] =
  "ALTER TABLE record_errors ADD COLUMN fields TEXT;"
  "ALTER TABLE view_rows ADD COLUMN extra3 TEXT;"
  "ALTER TABLE view_rows ADD COLUMN currency TEXT;"
  "DROP TABLE IF EXISTS view_fts;"
  "CREATE VIRTUAL TABLE view_fts USING fts5 ("
  "  search, content = 'view_rows', content_rowid = 'id',"
  "  detail = none, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2');";

static const TdmStoreMigration migrations[] = {
  { 1, migration_1, FALSE },
  { 2, migration_2, FALSE },
  { 3, migration_3, FALSE },
  { 4, migration_4, TRUE },
};

const TdmStoreMigration *
tdm_store_migrations_get (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

int
tdm_store_migrations_latest (void)
{
  return migrations[G_N_ELEMENTS (migrations) - 1].version;
}
