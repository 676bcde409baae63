/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

/* What the files of TdmStore share (tdm-store*.c); nothing outside
 * src/storage/tdm-store*.c includes this header.
 *
 *   tdm-store.c            everything else (being split along its sections)
 *   tdm-store-row.c        TdmStoreRow, the link status names
 *   tdm-store-db.c         a connection, its statement cache, bind and step helpers,
 *                          SQLite errors in a shop owner's words
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
JsonNode     *_tdm_store_json_node_from_text    (const char    *text);
JsonObject   *_tdm_store_json_object_from_text  (const char    *text);
gint64        _tdm_store_now_unix               (void);

/* ---- Row objects (tdm-store-row.c) ---- */

TdmStoreRow  *_tdm_store_row_new                (TdmKind        kind,
                                                 const char    *webshop_id,
                                                 const char    *shopify_id,
                                                 const char    *title,
                                                 const char    *subtitle,
                                                 const char    *extra,
                                                 const char    *extra2,
                                                 TdmLinkStatus  status,
                                                 gint64         last_synced);

G_END_DECLS
