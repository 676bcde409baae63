/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"
#include "tdm-state-files.h"
#include "tdm-store-private.h"

/* One SQLite connection: opening it with Tandem's settings, its cache of
 * prepared statements, binding and stepping, and SQLite's errors said in a
 * shop owner's words. */

/* ---- Errors ---- */

gboolean
_tdm_store_set_error (GError     **error,
                      sqlite3     *db,
                      int          rc,
                      const char  *path)
{
  const char *msg = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int primary = rc & 0xff;

  g_debug ("SQLite error %d: %s", rc, msg);

  /* A full disk or a read-only folder or file is named as such, with the
   * advice that fits (never "damaged": the data is fine). */
  switch (primary)
    {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      if (path != NULL && g_strcmp0 (path, ":memory:") != 0 &&
          tdm_state_files_explain (path, db != NULL ? sqlite3_system_errno (db) : 0, error))
        return FALSE;
      break;
    default:
      break;
    }

  switch (primary)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem’s local database “%s” is in use by another program (%s). "
                     "Close other copies of Tandem and try again."),
                   path, msg);
      break;
    case SQLITE_FULL:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("The disk holding Tandem’s local database “%s” is full. "
                     "Free some space and try again."),
                   path);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem cannot write its local database “%s” (%s). "
                     "Check that the folder exists and that you may write to it."),
                   path, msg);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem’s local database “%s” is damaged (%s). Quit Tandem, move "
                     "the file away (for example rename it to “state.sqlite3.broken”) and "
                     "start Tandem again: it will rebuild the links by matching records "
                     "on the next sync."),
                   path, msg);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem could not save a change in its local database because it "
                     "contradicts what is already stored (%s). Nothing of this change was "
                     "saved; the next sync will try again."),
                   msg);
      break;
    default:
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem’s local database “%s” reported a problem: %s. "
                     "If this keeps happening, restart Tandem."),
                   path, msg);
      break;
    }
  return FALSE;
}

/* ---- Opening and closing ---- */

gboolean
_tdm_store_is_memory (const char *path)
{
  return g_strcmp0 (path, ":memory:") == 0;
}

void
_tdm_store_conn_clear (TdmStoreConn *conn)
{
  g_assert (conn != NULL);

  g_clear_pointer (&conn->stmts, g_hash_table_unref);  /* finalizes statements */
  g_clear_pointer (&conn->dyn_stmts, g_hash_table_unref);
  if (conn->db != NULL)
    {
      sqlite3_close_v2 (conn->db);
      conn->db = NULL;
    }
  g_clear_pointer (&conn->path, g_free);
  g_rec_mutex_clear (&conn->lock);
}

static void
stmt_finalize (gpointer stmt)
{
  g_assert (stmt != NULL);

  sqlite3_finalize (stmt);
}

static void
conn_init (TdmStoreConn *conn,
           const char   *path)
{
  g_assert (conn != NULL && conn->db == NULL && conn->stmts == NULL);
  g_assert (path != NULL);

  conn->stmts = g_hash_table_new_full (NULL, NULL, NULL, stmt_finalize);
  conn->dyn_stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  conn->path = g_strdup (path);
}

gboolean
_tdm_store_conn_open (TdmStoreConn  *conn,
                      const char    *path,
                      gboolean       read_only,
                      GError       **error)
{
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc;

  conn_init (conn, path);
  rc = sqlite3_open_v2 (path, &conn->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return _tdm_store_set_error (error, conn->db, rc, path);

  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_timeout (conn->db, 5000);

  if (!_tdm_store_conn_exec (conn, "PRAGMA foreign_keys = ON", error))
    return FALSE;
  if (!read_only && !_tdm_store_is_memory (path))
    {
      if (!_tdm_store_conn_exec (conn, "PRAGMA journal_mode = WAL", error) ||
          !_tdm_store_conn_exec (conn, "PRAGMA synchronous = NORMAL", error))
        return FALSE;
    }
  /* Up to 32 MB of page cache: a 100,000-record database is ~150 MB and
   * the view indexes are hot. */
  if (!_tdm_store_conn_exec (conn, "PRAGMA cache_size = -32768", error))
    return FALSE;
  return _tdm_store_conn_exec (conn, "PRAGMA temp_store = MEMORY", error);
}

/* ---- Statements ---- */

/* A cached prepared statement, reset and with its bindings cleared.
 * `dynamic`: `sql` is generated text (cached by content); otherwise it is a
 * static string (cached by address). */
sqlite3_stmt *
_tdm_store_conn_prepare_full (TdmStoreConn  *conn,
                              const char    *sql,
                              gboolean       dynamic,
                              GError       **error)
{
  GHashTable *cache;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (conn != NULL && conn->db != NULL);
  g_assert (sql != NULL);

  cache = dynamic ? conn->dyn_stmts : conn->stmts;
  stmt = g_hash_table_lookup (cache, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_warning ("Cannot prepare statement: %s (%s)", sqlite3_errmsg (conn->db), sql);
      _tdm_store_set_error (error, conn->db, rc, conn->path);
      return NULL;
    }
  g_hash_table_insert (cache, dynamic ? g_strdup (sql) : (gpointer) sql, stmt);
  return stmt;
}

gboolean
_tdm_store_conn_exec (TdmStoreConn  *conn,
                      const char    *sql,
                      GError       **error)
{
  char *errmsg = NULL;
  int rc;

  g_assert (conn != NULL && conn->db != NULL);
  g_assert (sql != NULL);

  rc = sqlite3_exec (conn->db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      g_debug ("exec failed: %s", errmsg != NULL ? errmsg : "");
      sqlite3_free (errmsg);
      return _tdm_store_set_error (error, conn->db, rc, conn->path);
    }
  return TRUE;
}

/* Steps a statement that returns no rows. */
gboolean
_tdm_store_conn_step_done (TdmStoreConn  *conn,
                           sqlite3_stmt  *stmt,
                           GError       **error)
{
  int rc;

  g_assert (conn != NULL && stmt != NULL);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _tdm_store_set_error (error, conn->db, rc, conn->path);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Steps once: TRUE with *has_row when a row is there. */
gboolean
_tdm_store_conn_step_row (TdmStoreConn  *conn,
                          sqlite3_stmt  *stmt,
                          gboolean      *has_row,
                          GError       **error)
{
  int rc;

  g_assert (conn != NULL && stmt != NULL && has_row != NULL);

  rc = sqlite3_step (stmt);
  *has_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _tdm_store_set_error (error, conn->db, rc, conn->path);
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

/* Runs a static statement (BEGIN, COMMIT, …) through the statement cache
 * (sqlite3_exec would compile it again for every record). */
gboolean
_tdm_store_conn_run (TdmStoreConn  *conn,
                     const char    *sql,
                     GError       **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (conn, sql, error);

  return stmt != NULL && _tdm_store_conn_step_done (conn, stmt, error);
}

/* ---- Values ---- */

void
_tdm_store_bind_text (sqlite3_stmt *stmt,
                      int           idx,
                      const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

/* The same for text that stays alive until the statement is stepped and
 * reset (SQLite does not copy it). */
void
_tdm_store_bind_text_static (sqlite3_stmt *stmt,
                             int           idx,
                             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
}

/* Binds a value that may be a number (REAL/INTEGER) or text. */
void
_tdm_store_bind_key (sqlite3_stmt *stmt,
                     int           idx,
                     const char   *text,
                     gboolean      numeric)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else if (numeric)
    sqlite3_bind_double (stmt, idx, g_ascii_strtod (text, NULL));
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

char *
_tdm_store_column_dup (sqlite3_stmt *stmt,
                       int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static JsonNode *
json_node_from_text (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}

static JsonObject *
json_object_from_text (const char *text)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  if (text == NULL)
    return NULL;
  object = tdm_json_object_from_string (text, &local_error);
  if (object == NULL)
    g_warning ("Ignoring a stored JSON value that cannot be read: %s", local_error->message);
  return object;
}

/* The JSON text in a column, parsed; NULL when the column is NULL or does
 * not hold JSON. */
JsonNode *
_tdm_store_column_json_node (sqlite3_stmt *stmt,
                             int           col)
{
  return json_node_from_text ((const char *) sqlite3_column_text (stmt, col));
}

/* The same for a JSON object (a record's fields, a snapshot); a value that
 * cannot be read is logged and taken as NULL. */
JsonObject *
_tdm_store_column_json_object (sqlite3_stmt *stmt,
                               int           col)
{
  return json_object_from_text ((const char *) sqlite3_column_text (stmt, col));
}

gint64
_tdm_store_now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
