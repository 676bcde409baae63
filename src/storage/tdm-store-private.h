/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

/* What the files of TdmStore share (tdm-store*.c); nothing outside
 * src/storage/tdm-store*.c includes this header.
 *
 *   tdm-store.c            the GObject, tdm_store_new (), the TdmRecordStore wiring
 *   tdm-store-row.c        TdmStoreRow, the link status names
 *   tdm-store-db.c         a connection, its statement cache, bind and step helpers,
 *                          SQLite errors in a shop owner's words
 *   tdm-store-open.c       checking an existing file, migrations
 *   tdm-store-txn.c        transactions and batches
 *   tdm-store-display.c    the display columns of a record (title, subtitle, search text)
 *   tdm-store-view.c       keeping the view rows and the search index in step
 *   tdm-store-commit.c     TdmRecordStore.commit (), step by step
 *   tdm-store-links.c      links and the record cache (TdmRecordStore)
 *   tdm-store-runs.c       runs, the run lock, the outbox, watermarks (TdmRecordStore)
 *   tdm-store-conflicts.c  record errors, conflicts, the review list (TdmRecordStore)
 *   tdm-store-query.c      entity-view pages and counts, on a worker thread too
 *   tdm-store-activity.c   the activity, error, conflict, review and history lists
 *
 * Locking: every entry point takes the main connection's lock
 * (_tdm_store_lock ()); the helpers below marked "unlocked" expect it held.
 * See docs/architecture.md, "Threading". */

#include <sqlite3.h>

#include "tdm-record.h"
#include "tdm-record-store.h"
#include "tdm-run-lock.h"
#include "tdm-store.h"

G_BEGIN_DECLS

/* ---- Connections (tdm-store-db.c) ---- */

/* One SQLite connection with its statement cache. Callers hold `lock`. */
typedef struct {
  sqlite3    *db;
  GHashTable *stmts;      /* static SQL (by address) → sqlite3_stmt* */
  GHashTable *dyn_stmts;  /* generated SQL (by text) → sqlite3_stmt* */
  GRecMutex   lock;
  char       *path;
} TdmStoreConn;

struct _TdmStore
{
  GObject       parent_instance;

  char         *path;
  gboolean      in_memory;
  TdmStoreConn  main;
  TdmStoreConn *reader;         /* lazily opened read-only connection for workers */
  GMutex        reader_lock;
  guint         batch_depth;
  int           fts_mark;       /* sqlite3_total_changes () after the last FTS flush */
  TdmRunLock   *run_lock;       /* held while a run goes on (tdm_store_lock_runs) */
  guint         run_lock_depth;
  TdmMapping   *mapping;        /* nullable; under the store's lock (tdm_store_set_mapping) */
};

static inline void
_tdm_store_lock (TdmStore *self)
{
  g_rec_mutex_lock (&self->main.lock);
}

static inline void
_tdm_store_unlock (TdmStore *self)
{
  g_rec_mutex_unlock (&self->main.lock);
}

gboolean      _tdm_store_is_memory              (const char    *path);
gboolean      _tdm_store_set_error              (GError       **error,
                                                 sqlite3       *db,
                                                 int            rc,
                                                 const char    *path);
gboolean      _tdm_store_conn_open              (TdmStoreConn  *conn,
                                                 const char    *path,
                                                 gboolean       read_only,
                                                 GError       **error);
void          _tdm_store_conn_clear             (TdmStoreConn  *conn);
/* A cached prepared statement, reset and with its bindings cleared.
 * `dynamic`: `sql` is generated text (cached by content); otherwise it is a
 * static string (cached by address). */
sqlite3_stmt *_tdm_store_conn_prepare_full      (TdmStoreConn  *conn,
                                                 const char    *sql,
                                                 gboolean       dynamic,
                                                 GError       **error);
#define _tdm_store_conn_prepare(conn, sql, error) \
  _tdm_store_conn_prepare_full ((conn), (sql), FALSE, (error))
#define _tdm_store_conn_prepare_dynamic(conn, sql, error) \
  _tdm_store_conn_prepare_full ((conn), (sql), TRUE, (error))
gboolean      _tdm_store_conn_exec              (TdmStoreConn  *conn,
                                                 const char    *sql,
                                                 GError       **error);
/* Runs a static statement through the statement cache (sqlite3_exec would
 * compile it again every time). */
gboolean      _tdm_store_conn_run               (TdmStoreConn  *conn,
                                                 const char    *sql,
                                                 GError       **error);
gboolean      _tdm_store_conn_step_done         (TdmStoreConn  *conn,
                                                 sqlite3_stmt  *stmt,
                                                 GError       **error);
gboolean      _tdm_store_conn_step_row          (TdmStoreConn  *conn,
                                                 sqlite3_stmt  *stmt,
                                                 gboolean      *has_row,
                                                 GError       **error);
void          _tdm_store_bind_text              (sqlite3_stmt  *stmt,
                                                 int            idx,
                                                 const char    *text);
void          _tdm_store_bind_text_static       (sqlite3_stmt  *stmt,
                                                 int            idx,
                                                 const char    *text);
void          _tdm_store_bind_key               (sqlite3_stmt  *stmt,
                                                 int            idx,
                                                 const char    *text,
                                                 gboolean       numeric);
char         *_tdm_store_column_dup             (sqlite3_stmt  *stmt,
                                                 int            col);
JsonNode     *_tdm_store_column_json_node       (sqlite3_stmt  *stmt,
                                                 int            col);
JsonObject   *_tdm_store_column_json_object     (sqlite3_stmt  *stmt,
                                                 int            col);
gint64        _tdm_store_now_unix               (void);

/* ---- Opening (tdm-store-open.c) ---- */

/* Before the object exists: the state files' modes, and an existing file
 * checked without writing to it. */
gboolean      _tdm_store_check_path             (const char    *path,
                                                 GError       **error);
/* Opens the main connection and brings the schema to the latest format. */
gboolean      _tdm_store_open                   (TdmStore      *self,
                                                 GError       **error);

/* ---- Transactions (tdm-store-txn.c) ---- */

/* One atomic unit: a transaction, or a savepoint inside a batch. Unlocked. */
gboolean      _tdm_store_tx_begin               (TdmStore      *self,
                                                 GError       **error);
/* Commits when `ok` (FALSE if that fails), else rolls back; FALSE then. */
gboolean      _tdm_store_tx_end                 (TdmStore      *self,
                                                 gboolean       ok,
                                                 GError       **error);

/* ---- Display columns (tdm-store-display.c) ---- */

/* A member's scalar value as text, trimmed: a string, a number, a boolean;
 * NULL when absent, empty or not a scalar (transfer full). */
char         *_tdm_store_member_text            (JsonObject      *object,
                                                 const char      *name);

typedef struct {
  char     *title;
  char     *subtitle;
  char     *extra;
  char     *extra2;
  char     *extra3;
  char     *currency;
  char     *email;           /* searchable, not shown (orders) */
  char     *title_key;
  gboolean  title_numeric;
  char     *subtitle_key;
  char     *extra_key;
  gboolean  extra_numeric;
  char     *search;
} TdmStoreDisplay;

void          _tdm_store_display_compute        (TdmStoreDisplay *d,
                                                 TdmKind          kind,
                                                 JsonObject      *fields,
                                                 const char      *id);
void          _tdm_store_display_clear          (TdmStoreDisplay *d);
/* A product's stock as its Stock column shows it: the sum of the variants'
 * stock (or the product's own); NULL when nothing says (fields nullable). */
char         *_tdm_store_product_stock          (JsonObject      *fields);
char         *_tdm_store_text_down              (const char      *text);
/* The form of the words in the search index and in a search: folded case,
 * no accents, ø → o, æ → ae (tdm-store-display.c). */
char         *_tdm_store_text_search            (const char      *text);
const char   *_tdm_store_id_for_search          (const char      *id);

/* ---- View rows and the search index (tdm-store-view.c) ---- */

/* What a commit already knows, so that its view rows need not be read back:
 * the records it cached, and the ids whose record errors it cleared
 * (without storing a new one). */
typedef struct {
  TdmRecord  *record[TDM_N_SIDES];    /* cached record of each side; NULL = none */
  const char *clean[TDM_N_SIDES];     /* ids that have no record error now */
  TdmRecord  *failed;                 /* the version an error was stored for; NULL = none */
  JsonObject *failed_fields;          /* its fields as stored, with a value that cannot
                                       * be used (_tdm_store_failed_fields) */
} TdmCommitState;

gboolean      _tdm_store_fts_setup              (TdmStore      *self,
                                                 GError       **error);
gboolean      _tdm_store_flush_fts              (TdmStore      *self,
                                                 GError       **error);
gboolean      _tdm_store_record_has_error       (TdmStore      *self,
                                                 TdmKind        kind,
                                                 const char    *a,
                                                 const char    *b,
                                                 gboolean      *exists,
                                                 GError       **error);
gboolean      _tdm_store_view_put               (TdmStore              *self,
                                                 TdmKind                kind,
                                                 const char            *webshop_id,
                                                 const char            *shopify_id,
                                                 TdmLinkStatus          base_status,
                                                 gint64                 last_synced,
                                                 const TdmCommitState  *cs,
                                                 GError               **error);
void          _tdm_store_affected_add           (GPtrArray     *affected,
                                                 TdmSide        side,
                                                 const char    *id);
gboolean      _tdm_store_refresh_affected       (TdmStore              *self,
                                                 TdmKind                kind,
                                                 GPtrArray             *affected,
                                                 GHashTable            *done_in,
                                                 const TdmCommitState  *cs,
                                                 GError               **error);
/* Builds every view row and the search index again, from the links, the
 * cached records and the record errors (a migration that changes what rows
 * show). Inside the caller's transaction; unlocked. */
gboolean      _tdm_store_view_rebuild_all       (TdmStore              *self,
                                                 GError               **error);

/* Unlocked: ends the transaction of a change to the records in @affected,
 * refreshing their view rows first if the change went well (@ok). */
static inline gboolean
_tdm_store_tx_end_refreshed (TdmStore   *self,
                             TdmKind     kind,
                             GPtrArray  *affected,
                             gboolean    ok,
                             GError    **error)
{
  if (ok)
    ok = _tdm_store_refresh_affected (self, kind, affected, NULL, NULL, error);
  return _tdm_store_tx_end (self, ok, ok ? error : NULL);
}

/* ---- Links and the record cache (tdm-store-links.c) ---- */

/* Unlocked: the link of (side, id); NULL with *error unset when none.
 * `snapshots` FALSE: the ids and times only. */
TdmLink      *_tdm_store_find_link              (TdmStore      *self,
                                                 TdmKind        kind,
                                                 TdmSide        side,
                                                 const char    *id,
                                                 gboolean       snapshots,
                                                 gint64        *last_synced,
                                                 GError       **error);

/* ---- Commit (tdm-store-commit.c) ---- */

gboolean      _tdm_store_put_error              (TdmStore              *self,
                                                 gint64                 run_id,
                                                 const TdmRecordError  *err,
                                                 const char            *record_hash,
                                                 GError               **error);
/* … with `fields_text` (nullable): the canonical fields of the version that
 * failed, which its view row shows while that version is not in the cache
 * (a record that could not be read; tdm-store-view.c). */
gboolean      _tdm_store_put_error_full         (TdmStore              *self,
                                                 gint64                 run_id,
                                                 const TdmRecordError  *err,
                                                 const char            *record_hash,
                                                 const char            *fields_text,
                                                 GError               **error);
gboolean      _tdm_store_set_outbox_state       (TdmStore      *self,
                                                 const char    *op_id,
                                                 const char    *state,
                                                 GError       **error);

/* ---- Row objects (tdm-store-row.c) ---- */

TdmStoreRow  *_tdm_store_row_new                (TdmKind        kind,
                                                 const char    *webshop_id,
                                                 const char    *shopify_id,
                                                 const char    *title,
                                                 const char    *subtitle,
                                                 const char    *extra,
                                                 const char    *extra2,
                                                 const char    *extra3,
                                                 const char    *currency,
                                                 TdmLinkStatus  status,
                                                 gint64         last_synced,
                                                 const char    *problem_field);

/* ---- The TdmRecordStore interface, one part per file ---- */

void          _tdm_store_commit_iface_init      (TdmRecordStoreInterface *iface);
void          _tdm_store_links_iface_init       (TdmRecordStoreInterface *iface);
void          _tdm_store_runs_iface_init        (TdmRecordStoreInterface *iface);
void          _tdm_store_conflicts_iface_init   (TdmRecordStoreInterface *iface);

G_END_DECLS
