/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-record.h"
#include "tdm-planner.h"
#include "tdm-store-migrations.h"
#include "tdm-state-files.h"
#include "tdm-run-lock.h"
#include "tdm-store-private.h"

/* ------------------------------------------------------------------ */
/* Plain structs                                                        */
/* ------------------------------------------------------------------ */

void
tdm_store_conflict_free (TdmStoreConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->webshop_id);
  g_free (conflict->shopify_id);
  g_free (conflict->title);
  g_free (conflict->field);
  g_clear_pointer (&conflict->webshop_value, json_node_unref);
  g_clear_pointer (&conflict->shopify_value, json_node_unref);
  g_clear_pointer (&conflict->base_value, json_node_unref);
  g_free (conflict);
}

void
tdm_store_error_free (TdmStoreError *err)
{
  if (err == NULL)
    return;
  g_free (err->record_id);
  g_free (err->field);
  g_free (err->message);
  g_free (err->title);
  g_free (err);
}

void
tdm_store_history_free (TdmStoreHistory *history)
{
  if (history == NULL)
    return;
  g_free (history->webshop_id);
  g_free (history->shopify_id);
  g_free (history->action);
  g_free (history->field);
  g_free (history->before);
  g_free (history->after);
  g_free (history);
}

static void
tdm_field_conflict_free_internal (TdmFieldConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->field);
  g_clear_pointer (&conflict->webshop_value, json_node_unref);
  g_clear_pointer (&conflict->shopify_value, json_node_unref);
  g_clear_pointer (&conflict->base_value, json_node_unref);
  g_free (conflict);
}

static void tdm_store_record_store_iface_init (TdmRecordStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmStore, tdm_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TDM_TYPE_RECORD_STORE,
                                                      tdm_store_record_store_iface_init))

/* ------------------------------------------------------------------ */
/* Opening, validation and migrations                                   */
/* ------------------------------------------------------------------ */

static gboolean
pragma_int (sqlite3    *db,
            const char *sql,
            int        *out,
            int        *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  *out = 0;
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;
  return rc == SQLITE_OK;
}

static gboolean
store_error_damaged (GError     **error,
                     const char  *path,
                     const char  *detail)
{
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
               _("The file “%s” is not a Tandem database or it is damaged (%s). "
                 "Tandem has not changed it. Quit Tandem, move the file away (for example "
                 "rename it to “state.sqlite3.broken”) and start Tandem again: it will "
                 "rebuild the links by matching records on the next sync."),
               path, detail);
  return FALSE;
}

/* Closes `db` after a failed check of an existing file. Only SQLite's
 * verdict on the content makes the file "damaged"; a read-only folder or
 * file, a full disk, a lock held elsewhere or a failing disk leave the data
 * as it is, and are named as such (_tdm_store_set_error). */
static gboolean
store_check_failed (GError     **error,
                    sqlite3     *db,
                    int          rc,
                    const char  *path)
{
  g_autofree char *detail = g_strdup (db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
      _tdm_store_set_error (error, db, rc, path);
      sqlite3_close_v2 (db);
      return FALSE;
    default:
      sqlite3_close_v2 (db);
      return store_error_damaged (error, path, detail);
    }
}

/* Checks an existing file without writing to it: a SQLite database, not
 * damaged, Tandem's, and not newer than this build. */
static gboolean
store_check_existing (const char  *path,
                      GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *check = NULL;
  int rc, version = 0, app_id = 0, n_tables = 0;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || st.st_size == 0)
    return TRUE;   /* new or empty file: created below */

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    return store_check_failed (error, db, rc, path);

  if (!pragma_int (db, "PRAGMA application_id", &app_id, &rc) ||
      !pragma_int (db, "PRAGMA user_version", &version, &rc) ||
      !pragma_int (db, "SELECT count(*) FROM sqlite_master", &n_tables, &rc))
    return store_check_failed (error, db, rc, path);

  if (version > tdm_store_migrations_latest ())
    {
      sqlite3_close_v2 (db);
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("The database “%s” was written by a newer version of Tandem (format %d; "
                     "this version knows formats up to %d). Tandem has not changed it. "
                     "Install the newer version of Tandem again, or move the file away to "
                     "start over with an empty database."),
                   path, version, tdm_store_migrations_latest ());
      return FALSE;
    }

  if ((app_id != 0 && app_id != TDM_STORE_APPLICATION_ID) ||
      (app_id == 0 && n_tables > 0))
    {
      sqlite3_close_v2 (db);
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("The file “%s” is a database of another program, not Tandem’s. "
                     "Tandem has not changed it. Move it away, or point Tandem to another "
                     "folder, and start Tandem again."),
                   path);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return store_check_failed (error, db, rc, path);
    }
  check = _tdm_store_column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  if (g_strcmp0 (check, "ok") != 0)
    return store_error_damaged (error, path, check != NULL ? check : "quick_check");

  return TRUE;
}

static gboolean
store_migrate (TdmStore  *self,
               GError   **error)
{
  const TdmStoreMigration *migrations;
  guint n_migrations;
  int version = 0, rc;

  if (!_tdm_store_conn_exec (&self->main, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!pragma_int (self->main.db, "PRAGMA user_version", &version, &rc))
    {
      _tdm_store_set_error (error, self->main.db, rc, self->path);
      _tdm_store_conn_exec (&self->main, "ROLLBACK", NULL);
      return FALSE;
    }
  if (version > tdm_store_migrations_latest ())
    {
      _tdm_store_conn_exec (&self->main, "ROLLBACK", NULL);
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("The database “%s” was written by a newer version of Tandem (format %d; "
                     "this version knows formats up to %d). Tandem has not changed it. "
                     "Install the newer version of Tandem again, or move the file away to "
                     "start over with an empty database."),
                   self->path, version, tdm_store_migrations_latest ());
      return FALSE;
    }

  migrations = tdm_store_migrations_get (&n_migrations);
  for (guint i = 0; i < n_migrations; i++)
    {
      if (migrations[i].version <= version)
        continue;
      g_debug ("Migrating %s to format %d", self->path, migrations[i].version);
      if (!_tdm_store_conn_exec (&self->main, migrations[i].sql, error))
        {
          _tdm_store_conn_exec (&self->main, "ROLLBACK", NULL);
          return FALSE;
        }
      version = migrations[i].version;
    }

  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d",
                                            version, TDM_STORE_APPLICATION_ID);
    if (!_tdm_store_conn_exec (&self->main, sql, error) ||
        !_tdm_store_conn_exec (&self->main, "COMMIT", error))
      {
        _tdm_store_conn_exec (&self->main, "ROLLBACK", NULL);
        return FALSE;
      }
  }
  return TRUE;
}

/* Per-connection bookkeeping: the view code queues its changes of
 * view_rows.search in a TEMP table (which follows the transaction and its
 * savepoints), and they are applied to the FTS index in one statement when
 * the outermost transaction commits (one FTS5 flush per transaction, not
 * one per statement). */
static const char SQL_FTS_QUEUE_SETUP[] =
  "CREATE TEMP TABLE fts_pending ("
  "  seq    INTEGER PRIMARY KEY,"
  "  cmd    TEXT,"
  "  id     INTEGER NOT NULL,"
  "  search TEXT);";
static const char SQL_FTS_QUEUE_ADD[] =
  "INSERT INTO temp.fts_pending (cmd, id, search) VALUES (?1, ?2, ?3)";
static const char SQL_FTS_FLUSH[] =
  "INSERT INTO view_fts (view_fts, rowid, search)"
  " SELECT cmd, id, search FROM temp.fts_pending ORDER BY seq";
static const char SQL_FTS_CLEAR[] =
  "DELETE FROM temp.fts_pending";

/* Applies the queued view changes to the search index. Inside the
 * transaction, before COMMIT. */
static gboolean
store_flush_fts (TdmStore  *self,
                 GError   **error)
{
  sqlite3_stmt *stmt;

  if (sqlite3_total_changes (self->main.db) == self->fts_mark)
    return TRUE;
  stmt = _tdm_store_conn_prepare (&self->main, SQL_FTS_FLUSH, error);
  if (stmt == NULL || !_tdm_store_conn_step_done (&self->main, stmt, error))
    return FALSE;
  stmt = _tdm_store_conn_prepare (&self->main, SQL_FTS_CLEAR, error);
  if (stmt == NULL || !_tdm_store_conn_step_done (&self->main, stmt, error))
    return FALSE;
  self->fts_mark = sqlite3_total_changes (self->main.db);
  return TRUE;
}

int
tdm_store_schema_version (void)
{
  return tdm_store_migrations_latest ();
}

/* Process-wide SQLite settings, before SQLite initializes (later calls
 * have no effect): no memory statistics. The store is the only SQLite
 * user in Tandem and reads none of them; keeping them takes a global
 * mutex for every allocation (the Debian build allocates a lot: it has
 * no lookaside memory), which costs about a tenth of a commit. */
static void
store_configure_sqlite (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      int rc = sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

      if (rc != SQLITE_OK)
        g_debug ("SQLite was initialized before the first store: memory statistics stay on");
      g_once_init_leave (&configured, 1);
    }
}

/**
 * tdm_store_new:
 * @path: a file name, or ":memory:"
 *
 * Opens (creating when missing) and migrates the state database.
 *
 * Returns: (transfer full) (nullable): the store, or NULL with
 *   TDM_SYNC_ERROR_STORE.
 */
TdmStore *
tdm_store_new (const char  *path,
               GError     **error)
{
  g_autoptr(TdmStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store_configure_sqlite ();
  if (!_tdm_store_is_memory (path) &&
      (!tdm_state_files_prepare (path, error) || !store_check_existing (path, error)))
    return NULL;

  self = g_object_new (TDM_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->in_memory = _tdm_store_is_memory (path);

  if (!_tdm_store_conn_open (&self->main, path, FALSE, error))
    return NULL;
  if (!store_migrate (self, error))
    return NULL;
  if (!_tdm_store_conn_exec (&self->main, SQL_FTS_QUEUE_SETUP, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
tdm_store_get_path (TdmStore *self)
{
  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  return self->path;
}


static void
tdm_store_finalize (GObject *object)
{
  TdmStore *self = TDM_STORE (object);

  if (self->reader != NULL)
    {
      _tdm_store_conn_clear (self->reader);
      g_free (self->reader);
    }
  g_mutex_clear (&self->reader_lock);
  g_clear_pointer (&self->run_lock, tdm_run_lock_release);
  _tdm_store_conn_clear (&self->main);
  g_free (self->path);

  G_OBJECT_CLASS (tdm_store_parent_class)->finalize (object);
}

static void
tdm_store_class_init (TdmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tdm_store_finalize;
}

static void
tdm_store_init (TdmStore *self)
{
  g_mutex_init (&self->reader_lock);
  /* main is initialized by _tdm_store_conn_open; make finalize safe before that. */
  g_rec_mutex_init (&self->main.lock);
}

/**
 * tdm_store_lock_runs:
 *
 * Takes the run lock of this database (tdm-run-lock.c), or counts one more
 * user when this store already holds it: the window and the headless runner
 * take it before they load the connectors, and the run's own begin and
 * finish nest inside. An in-memory store has nothing to share and always
 * succeeds.
 *
 * Returns: FALSE with G_IO_ERROR_BUSY when another run holds the lock.
 */
gboolean
tdm_store_lock_runs (TdmStore  *self,
                     GError   **error)
{
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);

  _tdm_store_lock (self);
  if (self->run_lock_depth > 0 || self->in_memory)
    {
      self->run_lock_depth++;
      _tdm_store_unlock (self);
      return TRUE;
    }
  lock_path = tdm_run_lock_path_for (self->path);
  self->run_lock = tdm_run_lock_acquire (lock_path, error);
  if (self->run_lock != NULL)
    self->run_lock_depth = 1;
  _tdm_store_unlock (self);
  return self->run_lock_depth > 0;
}

/* Gives back one tdm_store_lock_runs (); the last one releases the lock. */
void
tdm_store_unlock_runs (TdmStore *self)
{
  g_return_if_fail (TDM_IS_STORE (self));

  _tdm_store_lock (self);
  g_assert (self->run_lock_depth > 0);
  if (--self->run_lock_depth == 0)
    g_clear_pointer (&self->run_lock, tdm_run_lock_release);
  _tdm_store_unlock (self);
}

/* ------------------------------------------------------------------ */
/* Display columns                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
  char     *title;
  char     *subtitle;
  char     *extra;
  char     *extra2;
  char     *title_key;
  gboolean  title_numeric;
  char     *subtitle_key;
  char     *extra_key;
  gboolean  extra_numeric;
  char     *search;
} TdmDisplay;

static void
display_clear (TdmDisplay *d)
{
  g_free (d->title);
  g_free (d->subtitle);
  g_free (d->extra);
  g_free (d->extra2);
  g_free (d->title_key);
  g_free (d->subtitle_key);
  g_free (d->extra_key);
  g_free (d->search);
  memset (d, 0, sizeof *d);
}

static char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));
        return *s != '\0' ? g_steal_pointer (&s) : NULL;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static JsonObject *
first_variant (JsonObject *fields)
{
  JsonNode *node;
  JsonArray *array;

  if (fields == NULL || !json_object_has_member (fields, "variants"))
    return NULL;
  node = json_object_get_member (fields, "variants");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
member_or_variant (JsonObject *fields,
                   const char *name)
{
  char *value = member_string (fields, name);

  if (value == NULL)
    value = member_string (first_variant (fields), name);
  return value;
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* The id as a user would type it: the webshop id, or the number at the end
 * of a Shopify GID. */
static const char *
id_for_search (const char *id)
{
  const char *slash;

  if (id == NULL)
    return NULL;
  slash = strrchr (id, '/');
  return slash != NULL ? slash + 1 : id;
}

/* Lower-casing and case folding, with a fast path for ASCII text (most
 * names, emails, numbers and ids), where both equal ASCII lower-casing. */
static gboolean
text_is_ascii (const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static char *
text_down (const char *text)
{
  if (text == NULL)
    return NULL;
  return text_is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_strdown (text, -1);
}

static char *
text_fold (const char *text)
{
  if (text == NULL)
    return NULL;
  return text_is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
}

static void
display_compute (TdmDisplay *d,
                 TdmKind     kind,
                 JsonObject *fields,
                 const char *id)
{
  GString *search;

  memset (d, 0, sizeof *d);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      {
        g_autofree char *first = member_string (fields, "first_name");
        g_autofree char *last = member_string (fields, "last_name");

        if (first != NULL && last != NULL)
          d->title = g_strdup_printf ("%s %s", first, last);
        else if (first != NULL || last != NULL)
          d->title = g_strdup (first != NULL ? first : last);
        d->subtitle = member_string (fields, "email");
        d->extra = member_string (fields, "phone");
        if (d->title == NULL)
          d->title = g_strdup (d->subtitle);
        d->extra_key = text_down (d->extra);
      }
      break;

    case TDM_KIND_PRODUCT:
      d->title = member_string (fields, "title");
      d->subtitle = member_or_variant (fields, "sku");
      d->extra = member_or_variant (fields, "price");
      d->extra2 = member_string (fields, "status");
      if (d->extra != NULL && is_number (d->extra))
        {
          d->extra_key = g_strdup (d->extra);
          d->extra_numeric = TRUE;
        }
      else
        d->extra_key = text_down (d->extra);
      break;

    case TDM_KIND_ORDER:
    default:
      {
        g_autofree char *financial = member_string (fields, "financial_status");
        g_autofree char *fulfillment = member_string (fields, "fulfillment_status");
        const char *number;

        d->title = member_string (fields, "number");
        if (d->title == NULL)
          d->title = member_string (fields, "name");
        d->subtitle = member_string (fields, "email");
        d->extra = member_string (fields, "total_price");
        if (financial != NULL && fulfillment != NULL)
          d->extra2 = g_strdup_printf ("%s · %s", financial, fulfillment);
        else if (financial != NULL || fulfillment != NULL)
          d->extra2 = g_strdup (financial != NULL ? financial : fulfillment);

        number = d->title;
        if (number != NULL && number[0] == '#')
          number++;
        if (number != NULL && is_number (number))
          {
            d->title_key = g_strdup (number);
            d->title_numeric = TRUE;
          }
        if (d->extra != NULL && is_number (d->extra))
          {
            d->extra_key = g_strdup (d->extra);
            d->extra_numeric = TRUE;
          }
      }
      break;
    }

  if (d->title == NULL)
    d->title = g_strdup (id);
  if (d->title_key == NULL && d->title != NULL)
    d->title_key = text_fold (d->title);
  if (d->subtitle != NULL)
    d->subtitle_key = text_fold (d->subtitle);

  search = g_string_new (NULL);
  for (const char *part[] = { d->title, d->subtitle, d->extra, d->extra2, id_for_search (id) },
       **p = part; p < part + G_N_ELEMENTS (part); p++)
    {
      if (*p == NULL)
        continue;
      if (search->len > 0)
        g_string_append_c (search, ' ');
      g_string_append (search, *p);
    }
  d->search = text_down (search->str);
  g_string_free (search, TRUE);
}

/* ------------------------------------------------------------------ */
/* Reading rows                                                         */
/* ------------------------------------------------------------------ */

static const char SQL_LINK_BY_WEBSHOP[] =
  "SELECT webshop_id, shopify_id, webshop_snapshot, shopify_snapshot,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced"
  " FROM links WHERE kind = ?1 AND webshop_id = ?2";
static const char SQL_LINK_BY_SHOPIFY[] =
  "SELECT webshop_id, shopify_id, webshop_snapshot, shopify_snapshot,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced"
  " FROM links WHERE kind = ?1 AND shopify_id = ?2";
/* The same without the snapshots, for bookkeeping that needs the ids only. */
static const char SQL_LINK_IDS_BY_WEBSHOP[] =
  "SELECT webshop_id, shopify_id, NULL, NULL,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced"
  " FROM links WHERE kind = ?1 AND webshop_id = ?2";
static const char SQL_LINK_IDS_BY_SHOPIFY[] =
  "SELECT webshop_id, shopify_id, NULL, NULL,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced"
  " FROM links WHERE kind = ?1 AND shopify_id = ?2";
static const char SQL_LINKS_OF_KIND[] =
  "SELECT webshop_id, shopify_id, webshop_snapshot, shopify_snapshot,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced"
  " FROM links WHERE kind = ?1 ORDER BY webshop_id";

static TdmLink *
link_from_row (sqlite3_stmt *stmt,
               TdmKind       kind,
               gint64       *last_synced)
{
  TdmLink *link = tdm_link_new (kind,
                                (const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
  g_autoptr(JsonObject) ws = _tdm_store_json_object_from_text ((const char *) sqlite3_column_text (stmt, 2));
  g_autoptr(JsonObject) sh = _tdm_store_json_object_from_text ((const char *) sqlite3_column_text (stmt, 3));

  tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, ws, (const char *) sqlite3_column_text (stmt, 4));
  tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, sh, (const char *) sqlite3_column_text (stmt, 5));
  link->orphaned = sqlite3_column_int (stmt, 6) != 0;
  if (last_synced != NULL)
    *last_synced = sqlite3_column_int64 (stmt, 7);
  return link;
}

/* Unlocked: the link of (side, id); NULL with *error unset when none. */
static TdmLink *
store_lookup_link (TdmStore    *self,
                   TdmKind      kind,
                   TdmSide      side,
                   const char  *id,
                   gboolean     snapshots,
                   gint64      *last_synced,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;
  TdmLink *link = NULL;
  const char *sql;

  if (snapshots)
    sql = side == TDM_SIDE_WEBSHOP ? SQL_LINK_BY_WEBSHOP : SQL_LINK_BY_SHOPIFY;
  else
    sql = side == TDM_SIDE_WEBSHOP ? SQL_LINK_IDS_BY_WEBSHOP : SQL_LINK_IDS_BY_SHOPIFY;
  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, kind);
  _tdm_store_bind_text (stmt, 2, id);
  if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
    return NULL;
  if (has_row)
    link = link_from_row (stmt, kind, last_synced);
  sqlite3_reset (stmt);
  return link;
}

static const char SQL_RECORD_GET[] =
  "SELECT id, fields, native, updated_at, etag, twin_id, deleted"
  " FROM records WHERE kind = ?1 AND side = ?2 AND id = ?3";
static const char SQL_RECORDS_UNLINKED_WEBSHOP[] =
  "SELECT id, fields, native, updated_at, etag, twin_id, deleted"
  " FROM records r WHERE r.kind = ?1 AND r.side = 0 AND r.deleted = 0"
  " AND NOT EXISTS (SELECT 1 FROM links l WHERE l.kind = r.kind AND l.webshop_id = r.id)"
  " ORDER BY r.id";
static const char SQL_RECORDS_UNLINKED_SHOPIFY[] =
  "SELECT id, fields, native, updated_at, etag, twin_id, deleted"
  " FROM records r WHERE r.kind = ?1 AND r.side = 1 AND r.deleted = 0"
  " AND NOT EXISTS (SELECT 1 FROM links l WHERE l.kind = r.kind AND l.shopify_id = r.id)"
  " ORDER BY r.id";

static TdmRecord *
record_from_row (sqlite3_stmt *stmt,
                 TdmKind       kind,
                 TdmSide       side)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *updated_at = (const char *) sqlite3_column_text (stmt, 3);
  TdmRecord *record;

  if (sqlite3_column_int (stmt, 6) != 0)
    {
      record = tdm_record_new_tombstone (side, kind, id, updated_at);
    }
  else
    {
      g_autoptr(JsonObject) fields = _tdm_store_json_object_from_text ((const char *) sqlite3_column_text (stmt, 1));
      g_autoptr(JsonObject) native = _tdm_store_json_object_from_text ((const char *) sqlite3_column_text (stmt, 2));

      record = tdm_record_new (side, kind, id, updated_at,
                               (const char *) sqlite3_column_text (stmt, 4),
                               fields, native);
    }
  tdm_record_set_twin_id (record, (const char *) sqlite3_column_text (stmt, 5));
  return record;
}

/* ------------------------------------------------------------------ */
/* View maintenance                                                     */
/* ------------------------------------------------------------------ */

/* What a commit already knows, so that its view rows need not be read back:
 * the records it cached, and the ids whose record errors it cleared
 * (without storing a new one). */
typedef struct {
  TdmRecord  *record[TDM_N_SIDES];    /* cached record of each side; NULL = none */
  const char *clean[TDM_N_SIDES];     /* ids that have no record error now */
} TdmCommitState;

static gboolean
commit_state_is_clean (const TdmCommitState *cs,
                       const char           *id)
{
  if (id == NULL)
    return TRUE;
  for (int side = 0; side < TDM_N_SIDES; side++)
    if (cs->clean[side] != NULL && strcmp (cs->clean[side], id) == 0)
      return TRUE;
  return FALSE;
}

/* The columns of a view row, in the order of the numbered parameters of the
 * statements below (?1 … ?12; ?13 is the row id, ?14 the kind). */
enum {
  VIEW_COL_WEBSHOP_ID,
  VIEW_COL_SHOPIFY_ID,
  VIEW_COL_STATUS,
  VIEW_COL_TITLE,
  VIEW_COL_SUBTITLE,
  VIEW_COL_EXTRA,
  VIEW_COL_EXTRA2,
  VIEW_COL_TITLE_KEY,
  VIEW_COL_SUBTITLE_KEY,
  VIEW_COL_EXTRA_KEY,
  VIEW_COL_LAST_SYNCED,
  VIEW_COL_SEARCH,
  VIEW_N_COLS
};

static const char *const view_col_names[VIEW_N_COLS] = {
  "webshop_id", "shopify_id", "status", "title", "subtitle", "extra", "extra2",
  "title_key", "subtitle_key", "extra_key", "last_synced", "search",
};

/* The existing view rows of a pair: ?1 kind, ?2 webshop id, ?3 Shopify id. */
static const char SQL_VIEW_ROWS_OF_PAIR[] =
  "SELECT id, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
  " title_key, subtitle_key, extra_key, last_synced, search"
  " FROM view_rows WHERE kind = ?1 AND webshop_id = ?2"
  " UNION ALL SELECT id, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
  " title_key, subtitle_key, extra_key, last_synced, search"
  " FROM view_rows WHERE kind = ?1 AND shopify_id = ?3";
static const char SQL_VIEW_INSERT[] =
  "INSERT INTO view_rows (kind, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
  " title_key, subtitle_key, extra_key, last_synced, search)"
  " VALUES (?14, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_VIEW_DELETE[] =
  "DELETE FROM view_rows WHERE id = ?1";
/* The fields of a cached record (not a tombstone). */
static const char SQL_RECORD_FIELDS[] =
  "SELECT fields FROM records WHERE kind = ?1 AND side = ?2 AND id = ?3 AND deleted = 0";
/* (Not "record_id IN (?2, ?3)": SQLite builds a temporary b-tree for the
 * list at every run.) */
static const char SQL_HAS_ERROR[] =
  "SELECT 1 FROM record_errors WHERE kind = ?1 AND record_id = ?2"
  " UNION ALL SELECT 1 FROM record_errors WHERE kind = ?1 AND record_id = ?3 LIMIT 1";
static const char SQL_HAS_CONFLICT[] =
  "SELECT 1 FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'pending' LIMIT 1";

static gboolean
store_exists (TdmStore    *self,
              const char  *sql,
              TdmKind      kind,
              const char  *a,
              const char  *b,
              gboolean    *exists,
              GError     **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  _tdm_store_bind_text (stmt, 2, a);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _tdm_store_bind_text (stmt, 3, b != NULL ? b : a);
  if (!_tdm_store_conn_step_row (&self->main, stmt, exists, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* Queues a change of the search index (applied by store_flush_fts). */
static gboolean
store_fts_queue (TdmStore    *self,
                 gboolean     delete,
                 gint64       id,
                 const char  *search,
                 GError     **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_FTS_QUEUE_ADD, error);

  if (stmt == NULL)
    return FALSE;
  _tdm_store_bind_text (stmt, 1, delete ? "delete" : NULL);
  sqlite3_bind_int64 (stmt, 2, id);
  _tdm_store_bind_text (stmt, 3, search);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

/* Does the stored column hold exactly this text (or number)? */
static gboolean
column_equals (sqlite3_stmt *stmt,
               int           col,
               const char   *text,
               gboolean      numeric)
{
  int type = sqlite3_column_type (stmt, col);

  if (text == NULL)
    return type == SQLITE_NULL;
  if (numeric)
    return (type == SQLITE_FLOAT || type == SQLITE_INTEGER) &&
           sqlite3_column_double (stmt, col) == g_ascii_strtod (text, NULL);
  return type == SQLITE_TEXT && strcmp ((const char *) sqlite3_column_text (stmt, col), text) == 0;
}

/* The display columns of the cached record (side, id), from what this
 * commit stored or from the records table. FALSE in *found when the
 * record is not cached or is a tombstone. */
static gboolean
view_record_display (TdmStore              *self,
                     TdmKind                kind,
                     TdmSide                side,
                     const char            *id,
                     const TdmCommitState  *cs,
                     TdmDisplay            *d,
                     gboolean              *found,
                     GError               **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  memset (d, 0, sizeof *d);
  *found = FALSE;
  if (cs != NULL && cs->record[side] != NULL && strcmp (cs->record[side]->id, id) == 0)
    {
      if (cs->record[side]->deleted)
        return TRUE;
      display_compute (d, kind, cs->record[side]->fields, id);
      *found = TRUE;
      return TRUE;
    }

  stmt = _tdm_store_conn_prepare (&self->main, SQL_RECORD_FIELDS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int (stmt, 2, side);
  _tdm_store_bind_text (stmt, 3, id);
  if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      g_autoptr(JsonObject) fields = _tdm_store_json_object_from_text ((const char *) sqlite3_column_text (stmt, 0));

      display_compute (d, kind, fields, id);
      *found = TRUE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
view_bind_values (sqlite3_stmt     *stmt,
                  const char       *webshop_id,
                  const char       *shopify_id,
                  TdmLinkStatus     status,
                  gint64            last_synced,
                  const TdmDisplay *d)
{
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_WEBSHOP_ID, webshop_id);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SHOPIFY_ID, shopify_id);
  sqlite3_bind_int (stmt, 1 + VIEW_COL_STATUS, status);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_TITLE, d->title);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SUBTITLE, d->subtitle);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_EXTRA, d->extra);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_EXTRA2, d->extra2);
  _tdm_store_bind_key (stmt, 1 + VIEW_COL_TITLE_KEY, d->title_key, d->title_numeric);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SUBTITLE_KEY, d->subtitle_key);
  _tdm_store_bind_key (stmt, 1 + VIEW_COL_EXTRA_KEY, d->extra_key, d->extra_numeric);
  sqlite3_bind_int64 (stmt, 1 + VIEW_COL_LAST_SYNCED, last_synced);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SEARCH, d->search);
}

/* Writes the one view row of a pair: updates the row it already has in
 * place (only the columns that changed, so that only the indexes of those
 * columns are touched, and the search index only when the searchable text
 * changed), or inserts one; other rows of the pair's records go. `d` NULL:
 * the pair has no row. */
static gboolean
view_write (TdmStore          *self,
            TdmKind            kind,
            const char        *webshop_id,
            const char        *shopify_id,
            TdmLinkStatus      status,
            gint64             last_synced,
            const TdmDisplay  *d,
            GError           **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_ROWS_OF_PAIR, error);
  gint64 keep = 0;
  /* Rows of the pair other than the one kept (normally at most one: a
   * one-sided row merging into the linked one); more is earlier damage,
   * removed too so the record shows once. */
  g_autoptr(GArray) drop = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) drop_search = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *old_search = NULL;
  guint changed = 0;
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  _tdm_store_bind_text (stmt, 2, webshop_id);
  _tdm_store_bind_text (stmt, 3, shopify_id);
  while (TRUE)
    {
      gint64 id;
      gboolean seen = FALSE;

      if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      seen = id == keep;
      for (guint i = 0; i < drop->len; i++)
        seen = seen || g_array_index (drop, gint64, i) == id;
      if (seen)
        continue;
      if (keep == 0 && d != NULL)
        {
          /* Compare column by column (1 + VIEW_COL_x is the column). */
          keep = id;
          if (!column_equals (stmt, 1 + VIEW_COL_WEBSHOP_ID, webshop_id, FALSE))
            changed |= 1u << VIEW_COL_WEBSHOP_ID;
          if (!column_equals (stmt, 1 + VIEW_COL_SHOPIFY_ID, shopify_id, FALSE))
            changed |= 1u << VIEW_COL_SHOPIFY_ID;
          if (sqlite3_column_type (stmt, 1 + VIEW_COL_STATUS) != SQLITE_INTEGER ||
              sqlite3_column_int (stmt, 1 + VIEW_COL_STATUS) != (int) status)
            changed |= 1u << VIEW_COL_STATUS;
          if (!column_equals (stmt, 1 + VIEW_COL_TITLE, d->title, FALSE))
            changed |= 1u << VIEW_COL_TITLE;
          if (!column_equals (stmt, 1 + VIEW_COL_SUBTITLE, d->subtitle, FALSE))
            changed |= 1u << VIEW_COL_SUBTITLE;
          if (!column_equals (stmt, 1 + VIEW_COL_EXTRA, d->extra, FALSE))
            changed |= 1u << VIEW_COL_EXTRA;
          if (!column_equals (stmt, 1 + VIEW_COL_EXTRA2, d->extra2, FALSE))
            changed |= 1u << VIEW_COL_EXTRA2;
          if (!column_equals (stmt, 1 + VIEW_COL_TITLE_KEY, d->title_key, d->title_numeric))
            changed |= 1u << VIEW_COL_TITLE_KEY;
          if (!column_equals (stmt, 1 + VIEW_COL_SUBTITLE_KEY, d->subtitle_key, FALSE))
            changed |= 1u << VIEW_COL_SUBTITLE_KEY;
          if (!column_equals (stmt, 1 + VIEW_COL_EXTRA_KEY, d->extra_key, d->extra_numeric))
            changed |= 1u << VIEW_COL_EXTRA_KEY;
          if (sqlite3_column_int64 (stmt, 1 + VIEW_COL_LAST_SYNCED) != last_synced)
            changed |= 1u << VIEW_COL_LAST_SYNCED;
          if (!column_equals (stmt, 1 + VIEW_COL_SEARCH, d->search, FALSE))
            {
              changed |= 1u << VIEW_COL_SEARCH;
              old_search = _tdm_store_column_dup (stmt, 1 + VIEW_COL_SEARCH);
            }
        }
      else
        {
          g_ptr_array_add (drop_search, _tdm_store_column_dup (stmt, 1 + VIEW_COL_SEARCH));
          g_array_append_val (drop, id);
        }
    }
  sqlite3_reset (stmt);

  if (drop->len > 1)
    g_debug ("Removing %u extra view rows of %s / %s", drop->len,
             webshop_id ? webshop_id : "-", shopify_id ? shopify_id : "-");
  for (guint i = 0; i < drop->len; i++)
    {
      gint64 id = g_array_index (drop, gint64, i);

      stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_DELETE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error) ||
          !store_fts_queue (self, TRUE, id, drop_search->pdata[i], error))
        return FALSE;
    }

  if (d == NULL)
    return TRUE;

  if (keep == 0)
    {
      stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_INSERT, error);
      if (stmt == NULL)
        return FALSE;
      view_bind_values (stmt, webshop_id, shopify_id, status, last_synced, d);
      sqlite3_bind_int (stmt, 14, kind);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error))
        return FALSE;
      return store_fts_queue (self, FALSE, sqlite3_last_insert_rowid (self->main.db),
                              d->search, error);
    }

  if (changed != 0)
    {
      /* UPDATE view_rows SET <changed columns> WHERE id = ?13: SQLite
       * rewrites only the indexes that hold one of those columns. */
      g_autoptr(GString) sql = g_string_new ("UPDATE view_rows SET ");
      gboolean first = TRUE;

      for (guint col = 0; col < VIEW_N_COLS; col++)
        {
          if ((changed & (1u << col)) == 0)
            continue;
          g_string_append_printf (sql, "%s%s = ?%u", first ? "" : ", ", view_col_names[col], col + 1);
          first = FALSE;
        }
      g_string_append (sql, " WHERE id = ?13");
      stmt = _tdm_store_conn_prepare_dynamic (&self->main, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      view_bind_values (stmt, webshop_id, shopify_id, status, last_synced, d);
      sqlite3_bind_int64 (stmt, 13, keep);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error))
        return FALSE;
      if ((changed & (1u << VIEW_COL_SEARCH)) != 0 &&
          (!store_fts_queue (self, TRUE, keep, old_search, error) ||
           !store_fts_queue (self, FALSE, keep, d->search, error)))
        return FALSE;
    }
  return TRUE;
}

/* Puts the one view row of a pair (or of one record when the other id is
 * NULL), built from the cached records; for a link whose records are not
 * cached, from its snapshots. `cs` (nullable): what the current commit
 * knows. */
static gboolean
view_put (TdmStore              *self,
          TdmKind                kind,
          const char            *webshop_id,
          const char            *shopify_id,
          TdmLinkStatus          base_status,
          gint64                 last_synced,
          const TdmCommitState  *cs,
          GError               **error)
{
  TdmDisplay d;
  gboolean found = FALSE, has_error = FALSE, has_conflict = FALSE;
  TdmLinkStatus status;
  gboolean ok;

  memset (&d, 0, sizeof d);
  for (int side = 0; !found && side < TDM_N_SIDES; side++)
    {
      const char *id = side == TDM_SIDE_WEBSHOP ? webshop_id : shopify_id;
      const char *other = side == TDM_SIDE_WEBSHOP ? shopify_id : webshop_id;

      if (id == NULL)
        continue;
      if (!view_record_display (self, kind, side, id, cs, &d, &found, error))
        return FALSE;
      if (found && other != NULL)
        {
          /* The other side's id is searchable too. */
          g_autofree char *words = text_down (id_for_search (other));
          char *search = d.search != NULL ? g_strconcat (d.search, " ", words, NULL)
                                          : g_strdup (words);

          g_free (d.search);
          d.search = search;
        }
    }

  if (!found && webshop_id != NULL && shopify_id != NULL)
    {
      /* A link without cached records: show what its snapshots hold. */
      g_autoptr(TdmLink) full = NULL;
      GError *local_error = NULL;
      JsonObject *snapshot = NULL;

      full = store_lookup_link (self, kind, TDM_SIDE_WEBSHOP, webshop_id, TRUE, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (full != NULL)
        snapshot = full->webshop_snapshot != NULL ? full->webshop_snapshot : full->shopify_snapshot;
      display_compute (&d, kind, snapshot, webshop_id);
      found = TRUE;
    }

  if (!found)
    return view_write (self, kind, webshop_id, shopify_id, base_status, last_synced, NULL, error);

  /* The status: a stored error of either record, then pending conflicts. */
  if (cs == NULL || !commit_state_is_clean (cs, webshop_id) || !commit_state_is_clean (cs, shopify_id))
    {
      if (!store_exists (self, SQL_HAS_ERROR, kind, webshop_id, shopify_id, &has_error, error))
        {
          display_clear (&d);
          return FALSE;
        }
    }
  if (!has_error && webshop_id != NULL && shopify_id != NULL &&
      !store_exists (self, SQL_HAS_CONFLICT, kind, webshop_id, NULL, &has_conflict, error))
    {
      display_clear (&d);
      return FALSE;
    }
  status = has_error ? TDM_LINK_STATUS_ERROR
         : has_conflict ? TDM_LINK_STATUS_CONFLICT
         : base_status;

  ok = view_write (self, kind, webshop_id, shopify_id, status, last_synced, &d, error);
  display_clear (&d);
  return ok;
}

/* Rebuilds the view row of the record (side, id): its link's row when it
 * is linked, its "only on one side" row otherwise, or none. `done` holds
 * "side:id" keys already rebuilt in this transaction. Unlocked. */
static gboolean
store_refresh_view (TdmStore              *self,
                    TdmKind                kind,
                    TdmSide                side,
                    const char            *id,
                    GHashTable            *done,
                    const TdmCommitState  *cs,
                    GError               **error)
{
  g_autoptr(TdmLink) link = NULL;
  g_autofree char *key = NULL;
  GError *local_error = NULL;
  gint64 last_synced = 0;

  if (id == NULL)
    return TRUE;
  key = tdm_link_key (side, id);
  if (done != NULL && g_hash_table_contains (done, key))
    return TRUE;

  link = store_lookup_link (self, kind, side, id, FALSE, &last_synced, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (link == NULL)
    {
      if (done != NULL)
        g_hash_table_add (done, g_steal_pointer (&key));
      return view_put (self, kind,
                       side == TDM_SIDE_WEBSHOP ? id : NULL,
                       side == TDM_SIDE_SHOPIFY ? id : NULL,
                       side == TDM_SIDE_WEBSHOP ? TDM_LINK_STATUS_ONLY_WEBSHOP
                                                : TDM_LINK_STATUS_ONLY_SHOPIFY,
                       0, cs, error);
    }

  if (done != NULL)
    {
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id));
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id));
    }
  return view_put (self, kind, link->webshop_id, link->shopify_id,
                   link->orphaned ? TDM_LINK_STATUS_ORPHANED : TDM_LINK_STATUS_LINKED,
                   last_synced, cs, error);
}

/* ------------------------------------------------------------------ */
/* Transactions                                                         */
/* ------------------------------------------------------------------ */

/* Begins one atomic unit: a transaction, or a savepoint inside a batch. */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT tdm_commit";
static const char SQL_RELEASE[] = "RELEASE tdm_commit";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO tdm_commit";

static gboolean
store_tx_begin (TdmStore  *self,
                GError   **error)
{
  if (self->batch_depth > 0)
    return _tdm_store_conn_run (&self->main, SQL_SAVEPOINT, error);
  return _tdm_store_conn_run (&self->main, SQL_BEGIN, error);
}

static gboolean
store_tx_end (TdmStore  *self,
              gboolean   ok,
              GError   **error)
{
  if (self->batch_depth > 0)
    {
      if (ok)
        return _tdm_store_conn_run (&self->main, SQL_RELEASE, error);
      _tdm_store_conn_run (&self->main, SQL_ROLLBACK_TO, NULL);
      _tdm_store_conn_run (&self->main, SQL_RELEASE, NULL);
      return FALSE;
    }
  if (ok)
    {
      if (store_flush_fts (self, error) && _tdm_store_conn_run (&self->main, SQL_COMMIT, error))
        return TRUE;
      /* COMMIT failed (e.g. disk full): make sure nothing stays half-done. */
    }
  if (!sqlite3_get_autocommit (self->main.db))
    _tdm_store_conn_run (&self->main, SQL_ROLLBACK, NULL);
  return FALSE;
}

gboolean
tdm_store_begin_batch (TdmStore  *self,
                       GError   **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);

  _tdm_store_lock (self);
  if (self->batch_depth == 0)
    ok = _tdm_store_conn_run (&self->main, SQL_BEGIN, error);
  if (ok)
    self->batch_depth++;
  if (!ok)
    _tdm_store_unlock (self);
  /* The lock stays held until tdm_store_end_batch: other threads wait. */
  return ok;
}

gboolean
tdm_store_end_batch (TdmStore  *self,
                     gboolean   commit,
                     GError   **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch_depth > 0, FALSE);

  self->batch_depth--;
  if (self->batch_depth == 0)
    {
      if (commit)
        ok = store_flush_fts (self, error) && _tdm_store_conn_run (&self->main, SQL_COMMIT, error);
      if (!commit || !ok)
        {
          if (!sqlite3_get_autocommit (self->main.db))
            _tdm_store_conn_run (&self->main, SQL_ROLLBACK, NULL);
        }
    }
  _tdm_store_unlock (self);
  return ok && commit;
}

/* ------------------------------------------------------------------ */
/* Commit                                                               */
/* ------------------------------------------------------------------ */

/* The display columns (title … subtitle_key) and hash of records are no
 * longer written (format 3): view rows are built from the fields. An update
 * clears what older versions stored there. */
static const char SQL_RECORD_UPSERT[] =
  "INSERT INTO records (kind, side, id, fields, native, updated_at, etag, twin_id, deleted)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)"
  " ON CONFLICT (kind, side, id) DO UPDATE SET"
  " fields = excluded.fields, native = excluded.native, updated_at = excluded.updated_at,"
  " etag = excluded.etag, hash = NULL, twin_id = excluded.twin_id, deleted = 0,"
  " title = NULL, subtitle = NULL, extra = NULL, extra2 = NULL, title_key = NULL,"
  " extra_key = NULL, search = NULL, subtitle_key = NULL";
/* A tombstone keeps the last known fields. */
static const char SQL_RECORD_TOMBSTONE[] =
  "INSERT INTO records (kind, side, id, fields, updated_at, deleted)"
  " VALUES (?1, ?2, ?3, '{}', ?4, 1)"
  " ON CONFLICT (kind, side, id) DO UPDATE SET deleted = 1, updated_at = excluded.updated_at";
static const char SQL_LINK_UPSERT[] =
  "INSERT INTO links (kind, webshop_id, shopify_id, webshop_snapshot, shopify_snapshot,"
  " webshop_updated_at, shopify_updated_at, orphaned, last_synced)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
  " ON CONFLICT (kind, webshop_id) DO UPDATE SET"
  " shopify_id = excluded.shopify_id, webshop_snapshot = excluded.webshop_snapshot,"
  " shopify_snapshot = excluded.shopify_snapshot,"
  " webshop_updated_at = excluded.webshop_updated_at,"
  " shopify_updated_at = excluded.shopify_updated_at,"
  " orphaned = excluded.orphaned, last_synced = excluded.last_synced";
static const char SQL_OUTBOX_SET_STATE[] =
  "UPDATE outbox SET state = ?2 WHERE op_id = ?1";
static const char SQL_HISTORY_INSERT[] =
  "INSERT INTO history (run_id, kind, webshop_id, shopify_id, side, action, field, before, after, at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_ERRORS_CLEAR[] =
  "DELETE FROM record_errors WHERE kind = ?1 AND record_id IN (?2, ?3)";
static const char SQL_LINKS_TOUCHING[] =
  "SELECT webshop_id, shopify_id FROM links WHERE kind = ?1 AND webshop_id = ?2"
  " UNION ALL SELECT webshop_id, shopify_id FROM links WHERE kind = ?1 AND shopify_id = ?3";
static const char SQL_ERROR_UPSERT[] =
  "INSERT INTO record_errors (kind, side, record_id, field, message, existing_id, record_hash,"
  " first_seen, last_seen, run_id)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)"
  " ON CONFLICT (kind, side, record_id) DO UPDATE SET"
  " field = excluded.field, message = excluded.message, existing_id = excluded.existing_id,"
  " record_hash = excluded.record_hash, last_seen = excluded.last_seen, run_id = excluded.run_id";
static const char SQL_CONFLICT_UPSERT[] =
  "INSERT INTO conflicts (kind, webshop_id, field, webshop_value, shopify_value, base_value,"
  " state, winner, first_seen)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', NULL, ?7)"
  " ON CONFLICT (kind, webshop_id, field) DO UPDATE SET"
  " webshop_value = excluded.webshop_value, shopify_value = excluded.shopify_value,"
  " base_value = excluded.base_value, state = 'pending', winner = NULL, resolved_at = NULL";
static const char SQL_CONFLICT_PENDING_FIELDS[] =
  "SELECT field FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'pending'";
static const char SQL_CONFLICT_DELETE[] =
  "DELETE FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND field = ?3 AND state = 'pending'";

static char *
node_text (JsonNode *node)
{
  return node != NULL ? tdm_json_canonical_string (node) : NULL;
}

static char *
object_text (JsonObject *object)
{
  return object != NULL ? tdm_json_object_to_string (object) : NULL;
}

/* Stores the record in the cache. `fields_text` gets the canonical text
 * of its fields (NULL for a tombstone), for reuse by the caller. */
static gboolean
store_put_record (TdmStore   *self,
                  TdmKind     kind,
                  TdmRecord  *record,
                  char      **fields_text,
                  GError    **error)
{
  sqlite3_stmt *stmt;

  if (record->deleted)
    {
      stmt = _tdm_store_conn_prepare (&self->main, SQL_RECORD_TOMBSTONE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, record->side);
      _tdm_store_bind_text (stmt, 3, record->id);
      _tdm_store_bind_text (stmt, 4, record->updated_at);
      return _tdm_store_conn_step_done (&self->main, stmt, error);
    }
  else
    {
      g_autofree char *fields = object_text (record->fields);
      g_autofree char *native = object_text (record->native);
      gboolean ok;

      stmt = _tdm_store_conn_prepare (&self->main, SQL_RECORD_UPSERT, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, record->side);
      _tdm_store_bind_text (stmt, 3, record->id);
      _tdm_store_bind_text_static (stmt, 4, fields);
      _tdm_store_bind_text_static (stmt, 5, native);
      _tdm_store_bind_text (stmt, 6, record->updated_at);
      _tdm_store_bind_text (stmt, 7, record->etag);
      _tdm_store_bind_text (stmt, 8, record->twin_id);
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
      if (ok && fields_text != NULL)
        *fields_text = g_steal_pointer (&fields);
      return ok;
    }
}

static gboolean
store_put_link (TdmStore          *self,
                TdmLink           *link,
                TdmRecord *const   cache[TDM_N_SIDES],
                char              *cache_text[TDM_N_SIDES],
                gint64             now,
                GError           **error)
{
  g_autofree char *ws = NULL;
  g_autofree char *sh = NULL;
  sqlite3_stmt *stmt;

  /* A snapshot is usually the very object just cached: reuse its text. */
  if (link->webshop_snapshot != NULL && cache[TDM_SIDE_WEBSHOP] != NULL &&
      cache[TDM_SIDE_WEBSHOP]->fields == link->webshop_snapshot && cache_text[TDM_SIDE_WEBSHOP] != NULL)
    ws = g_strdup (cache_text[TDM_SIDE_WEBSHOP]);
  else
    ws = object_text (link->webshop_snapshot);
  if (link->shopify_snapshot != NULL && cache[TDM_SIDE_SHOPIFY] != NULL &&
      cache[TDM_SIDE_SHOPIFY]->fields == link->shopify_snapshot && cache_text[TDM_SIDE_SHOPIFY] != NULL)
    sh = g_strdup (cache_text[TDM_SIDE_SHOPIFY]);
  else
    sh = object_text (link->shopify_snapshot);

  if (link->webshop_id == NULL || link->shopify_id == NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save a link that lacks the record id of one "
                             "side. Nothing of this change was saved; please report this "
                             "problem."));
      return FALSE;
    }

  stmt = _tdm_store_conn_prepare (&self->main, SQL_LINK_UPSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, link->kind);
  _tdm_store_bind_text (stmt, 2, link->webshop_id);
  _tdm_store_bind_text (stmt, 3, link->shopify_id);
  _tdm_store_bind_text_static (stmt, 4, ws);
  _tdm_store_bind_text_static (stmt, 5, sh);
  _tdm_store_bind_text (stmt, 6, link->webshop_updated_at);
  _tdm_store_bind_text (stmt, 7, link->shopify_updated_at);
  sqlite3_bind_int (stmt, 8, link->orphaned ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, now);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

static gboolean
store_put_error (TdmStore              *self,
                 gint64                 run_id,
                 const TdmRecordError  *err,
                 const char            *record_hash,
                 GError               **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_ERROR_UPSERT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, err->kind);
  sqlite3_bind_int (stmt, 2, err->side);
  _tdm_store_bind_text (stmt, 3, err->record_id != NULL ? err->record_id : "");
  _tdm_store_bind_text (stmt, 4, err->field);
  _tdm_store_bind_text (stmt, 5, err->message != NULL ? err->message : "");
  _tdm_store_bind_text (stmt, 6, err->existing_id);
  _tdm_store_bind_text (stmt, 7, record_hash);
  sqlite3_bind_int64 (stmt, 8, _tdm_store_now_unix ());
  sqlite3_bind_int64 (stmt, 9, run_id);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

static gboolean
store_clear_errors (TdmStore    *self,
                    TdmKind      kind,
                    const char  *a,
                    const char  *b,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;

  if (a == NULL && b == NULL)
    return TRUE;
  /* Most records have no error: a read is cheaper than a DELETE (which
   * opens the table and its three indexes for writing). */
  if (!store_exists (self, SQL_HAS_ERROR, kind, a, b, &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;
  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERRORS_CLEAR, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  _tdm_store_bind_text (stmt, 2, a);
  _tdm_store_bind_text (stmt, 3, b);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

/* Adds the ids of the links that hold `webshop_id` or `shopify_id` to
 * `affected` (they lose their row when a commit relinks them). */
static gboolean
store_links_touching (TdmStore    *self,
                      TdmKind      kind,
                      const char  *webshop_id,
                      const char  *shopify_id,
                      GPtrArray   *affected,
                      GError     **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_LINKS_TOUCHING, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  _tdm_store_bind_text (stmt, 2, webshop_id);
  _tdm_store_bind_text (stmt, 3, shopify_id);
  while (TRUE)
    {
      if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      g_ptr_array_add (affected, tdm_link_key (TDM_SIDE_WEBSHOP,
                                               (const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (affected, tdm_link_key (TDM_SIDE_SHOPIFY,
                                               (const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
store_set_outbox_state (TdmStore    *self,
                        const char  *op_id,
                        const char  *state,
                        GError     **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_OUTBOX_SET_STATE, error);

  if (stmt == NULL)
    return FALSE;
  _tdm_store_bind_text (stmt, 1, op_id);
  _tdm_store_bind_text (stmt, 2, state);
  if (!_tdm_store_conn_step_done (&self->main, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->main.db) == 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem’s local database has no pending create with the id %s. "
                     "Nothing of this change was saved; the next sync will check the "
                     "record again."),
                   op_id);
      return FALSE;
    }
  return TRUE;
}

/* Adds "side\tid" to the list of records whose view row must be rebuilt. */
static void
affected_add (GPtrArray  *affected,
              TdmSide     side,
              const char *id)
{
  if (id != NULL)
    g_ptr_array_add (affected, tdm_link_key (side, id));
}

static gboolean
store_refresh_affected (TdmStore              *self,
                        TdmKind                kind,
                        GPtrArray             *affected,
                        GHashTable            *done_in,
                        const TdmCommitState  *cs,
                        GError               **error)
{
  g_autoptr(GHashTable) done = done_in != NULL ? g_hash_table_ref (done_in)
                                               : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < affected->len; i++)
    {
      const char *key = g_ptr_array_index (affected, i);
      gboolean webshop = g_str_has_prefix (key, "webshop:");
      const char *id = strchr (key, ':') + 1;

      if (!store_refresh_view (self, kind, webshop ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY,
                               id, done, cs, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_commit_steps (TdmStore         *self,
                    const TdmCommit  *commit,
                    TdmCommitState   *cs,
                    GError          **error)
{
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) done = NULL;
  g_autofree char *ws_text = NULL;
  g_autofree char *sh_text = NULL;
  char *cache_text[TDM_N_SIDES] = { NULL, NULL };
  TdmLink *link = commit->link;
  TdmKind kind = commit->kind;
  const char *webshop_id = NULL, *shopify_id = NULL;
  gint64 now = _tdm_store_now_unix ();

  if (link != NULL)
    {
      webshop_id = link->webshop_id;
      shopify_id = link->shopify_id;
    }
  if (webshop_id == NULL && commit->cache[TDM_SIDE_WEBSHOP] != NULL)
    webshop_id = commit->cache[TDM_SIDE_WEBSHOP]->id;
  if (shopify_id == NULL && commit->cache[TDM_SIDE_SHOPIFY] != NULL)
    shopify_id = commit->cache[TDM_SIDE_SHOPIFY]->id;

  /* 1. The record cache. */
  for (int side = 0; side < TDM_N_SIDES; side++)
    {
      TdmRecord *record = commit->cache[side];

      if (record == NULL)
        continue;
      if (!store_put_record (self, kind, record, &cache_text[side], error))
        {
          g_free (cache_text[TDM_SIDE_WEBSHOP]);
          return FALSE;
        }
      cs->record[side] = record;
      affected_add (affected, side, record->id);
    }
  ws_text = cache_text[TDM_SIDE_WEBSHOP];
  sh_text = cache_text[TDM_SIDE_SHOPIFY];

  /* 2. The outbox op that this commit completes. */
  if (commit->outbox_done != NULL &&
      !store_set_outbox_state (self, commit->outbox_done, "done", error))
    return FALSE;

  /* 3. The link, remembering the records a replaced link pointed at. */
  if (link != NULL)
    {
      if (!store_links_touching (self, kind, link->webshop_id, link->shopify_id, affected, error))
        return FALSE;
      if (link->kind != kind)
        {
          g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                               _("Tandem tried to save a link of one kind of record under "
                                 "another kind. Nothing of this change was saved; please "
                                 "report this problem."));
          return FALSE;
        }
      if (!store_put_link (self, link, commit->cache, cache_text, now, error))
        return FALSE;
    }

  /* 4. History. */
  if (commit->history != NULL)
    {
      for (guint i = 0; i < commit->history->len; i++)
        {
          TdmHistoryEntry *entry = g_ptr_array_index (commit->history, i);
          sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_HISTORY_INSERT, error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, commit->run_id);
          sqlite3_bind_int (stmt, 2, kind);
          _tdm_store_bind_text (stmt, 3, webshop_id);
          _tdm_store_bind_text (stmt, 4, shopify_id);
          sqlite3_bind_int (stmt, 5, entry->side);
          _tdm_store_bind_text (stmt, 6, entry->action);
          _tdm_store_bind_text (stmt, 7, entry->field);
          _tdm_store_bind_text (stmt, 8, entry->before);
          _tdm_store_bind_text (stmt, 9, entry->after);
          sqlite3_bind_int64 (stmt, 10, now);
          if (!_tdm_store_conn_step_done (&self->main, stmt, error))
            return FALSE;
        }
    }

  /* 5. Record errors: clear those of the records in this commit, then
   *    store the new one. */
  if (commit->clear_errors)
    {
      if (!store_clear_errors (self, kind, webshop_id, shopify_id, error))
        return FALSE;
      if (commit->error == NULL)
        {
          cs->clean[TDM_SIDE_WEBSHOP] = webshop_id;
          cs->clean[TDM_SIDE_SHOPIFY] = shopify_id;
        }
    }
  if (commit->error != NULL)
    {
      const TdmRecordError *err = commit->error;
      const char *hash = NULL;

      for (int side = 0; side < TDM_N_SIDES; side++)
        {
          TdmRecord *record = commit->cache[side];
          if (record != NULL && !record->deleted && g_strcmp0 (record->id, err->record_id) == 0)
            hash = tdm_record_get_hash (record);
        }
      if (err->kind != kind)
        {
          g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                               _("Tandem tried to save an error of one kind of record under "
                                 "another kind. Nothing of this change was saved; please "
                                 "report this problem."));
          return FALSE;
        }
      if (!store_put_error (self, commit->run_id, err, hash, error))
        return FALSE;
      affected_add (affected, TDM_SIDE_WEBSHOP, err->record_id);
      affected_add (affected, TDM_SIDE_SHOPIFY, err->record_id);
    }

  /* 6. Conflicts of the link (ask policy). */
  if (commit->conflicts != NULL && commit->conflicts->len > 0 && webshop_id == NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save a conflict for a record that is not linked. "
                             "Nothing of this change was saved; please report this problem."));
      return FALSE;
    }
  if (commit->conflicts != NULL)
    {
      for (guint i = 0; i < commit->conflicts->len; i++)
        {
          TdmFieldConflict *c = g_ptr_array_index (commit->conflicts, i);
          g_autofree char *wv = node_text (c->webshop_value);
          g_autofree char *sv = node_text (c->shopify_value);
          g_autofree char *bv = node_text (c->base_value);
          sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_UPSERT, error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, kind);
          _tdm_store_bind_text (stmt, 2, webshop_id);
          _tdm_store_bind_text (stmt, 3, c->field);
          _tdm_store_bind_text (stmt, 4, wv);
          _tdm_store_bind_text (stmt, 5, sv);
          _tdm_store_bind_text (stmt, 6, bv);
          sqlite3_bind_int64 (stmt, 7, now);
          if (!_tdm_store_conn_step_done (&self->main, stmt, error))
            return FALSE;
        }
    }
  if (commit->clear_conflicts && webshop_id != NULL)
    {
      g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_PENDING_FIELDS, error);
      gboolean has_row;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, webshop_id);
      while (TRUE)
        {
          const char *field;
          gboolean keep = FALSE;

          if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
            return FALSE;
          if (!has_row)
            break;
          field = (const char *) sqlite3_column_text (stmt, 0);
          for (guint i = 0; commit->conflicts != NULL && i < commit->conflicts->len; i++)
            {
              TdmFieldConflict *c = g_ptr_array_index (commit->conflicts, i);
              if (g_strcmp0 (c->field, field) == 0)
                keep = TRUE;
            }
          if (!keep)
            g_ptr_array_add (stale, g_strdup (field));
        }
      sqlite3_reset (stmt);

      for (guint i = 0; i < stale->len; i++)
        {
          stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_DELETE, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, kind);
          _tdm_store_bind_text (stmt, 2, webshop_id);
          _tdm_store_bind_text (stmt, 3, g_ptr_array_index (stale, i));
          if (!_tdm_store_conn_step_done (&self->main, stmt, error))
            return FALSE;
        }
    }
  if (commit->clear_errors || commit->conflicts != NULL || commit->clear_conflicts)
    {
      affected_add (affected, TDM_SIDE_WEBSHOP, webshop_id);
      affected_add (affected, TDM_SIDE_SHOPIFY, shopify_id);
    }

  /* 7. The view rows of everything touched: the link's row directly, then
   *    the rows of records it may have taken from other rows. */
  done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (link != NULL)
    {
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id));
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id));
      if (!view_put (self, kind, link->webshop_id, link->shopify_id,
                     link->orphaned ? TDM_LINK_STATUS_ORPHANED : TDM_LINK_STATUS_LINKED,
                     now, cs, error))
        return FALSE;
    }
  return store_refresh_affected (self, kind, affected, done, cs, error);
}

static gboolean
store_commit_unlocked (TdmStore         *self,
                       const TdmCommit  *commit,
                       GError          **error)
{
  TdmCommitState cs;
  gboolean ok;

  memset (&cs, 0, sizeof cs);
  ok = store_commit_steps (self, commit, &cs, error);
  return ok;
}

static gboolean
tdm_store_commit (TdmRecordStore   *store,
                  const TdmCommit  *commit,
                  GError          **error)
{
  TdmStore *self = TDM_STORE (store);
  gboolean ok;

  _tdm_store_lock (self);
  ok = store_tx_begin (self, error);
  if (ok)
    {
      ok = store_commit_unlocked (self, commit, error);
      ok = store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok;
}

/* ------------------------------------------------------------------ */
/* TdmRecordStore                                                       */
/* ------------------------------------------------------------------ */

static TdmLink *
tdm_store_lookup_link (TdmRecordStore  *store,
                       TdmKind          kind,
                       TdmSide          side,
                       const char      *id,
                       GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  TdmLink *link;

  _tdm_store_lock (self);
  link = store_lookup_link (self, kind, side, id, TRUE, NULL, error);
  _tdm_store_unlock (self);
  return link;
}

static const char SQL_LINK_DELETE[] =
  "DELETE FROM links WHERE kind = ?1 AND webshop_id IN ("
  " SELECT webshop_id FROM links WHERE kind = ?1 AND webshop_id = ?2"
  " UNION ALL SELECT webshop_id FROM links WHERE kind = ?1 AND shopify_id = ?3)";

static gboolean
tdm_store_delete_link (TdmRecordStore  *store,
                       TdmKind          kind,
                       const char      *webshop_id,
                       const char      *shopify_id,
                       GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;

  _tdm_store_lock (self);
  ok = store_tx_begin (self, error);
  if (ok)
    {
      /* Both records' other halves lose their pair row too. */
      for (int side = 0; ok && side < TDM_N_SIDES; side++)
        {
          const char *id = side == TDM_SIDE_WEBSHOP ? webshop_id : shopify_id;
          g_autoptr(TdmLink) old = NULL;
          GError *local_error = NULL;

          if (id == NULL)
            continue;
          affected_add (affected, side, id);
          old = store_lookup_link (self, kind, side, id, FALSE, NULL, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              ok = FALSE;
            }
          else if (old != NULL)
            {
              affected_add (affected, TDM_SIDE_WEBSHOP, old->webshop_id);
              affected_add (affected, TDM_SIDE_SHOPIFY, old->shopify_id);
            }
        }
      if (ok)
        {
          stmt = _tdm_store_conn_prepare (&self->main, SQL_LINK_DELETE, error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_int (stmt, 1, kind);
              _tdm_store_bind_text (stmt, 2, webshop_id);
              _tdm_store_bind_text (stmt, 3, shopify_id);
              ok = _tdm_store_conn_step_done (&self->main, stmt, error);
            }
        }
      if (ok)
        ok = store_refresh_affected (self, kind, affected, NULL, NULL, error);
      ok = store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok;
}

static GPtrArray *
tdm_store_list_links (TdmRecordStore  *store,
                      TdmKind          kind,
                      GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_link_unref);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_LINKS_OF_KIND, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        g_ptr_array_add (links, link_from_row (stmt, kind, NULL));
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&links) : NULL;
}

static GPtrArray *
store_list_records (TdmStore    *self,
                    const char  *sql,
                    TdmKind      kind,
                    TdmSide      side,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, kind);
  if (id != NULL)
    {
      sqlite3_bind_int (stmt, 2, side);
      _tdm_store_bind_text (stmt, 3, id);
    }
  while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
    g_ptr_array_add (records, record_from_row (stmt, kind, side));
  sqlite3_reset (stmt);
  return ok ? g_steal_pointer (&records) : NULL;
}

static GPtrArray *
tdm_store_list_unlinked (TdmRecordStore  *store,
                         TdmKind          kind,
                         TdmSide          side,
                         GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  GPtrArray *records;

  _tdm_store_lock (self);
  records = store_list_records (self,
                                side == TDM_SIDE_WEBSHOP ? SQL_RECORDS_UNLINKED_WEBSHOP
                                                         : SQL_RECORDS_UNLINKED_SHOPIFY,
                                kind, side, NULL, error);
  _tdm_store_unlock (self);
  return records;
}

static TdmRecord *
tdm_store_lookup_cached (TdmRecordStore  *store,
                         TdmKind          kind,
                         TdmSide          side,
                         const char      *id,
                         GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) records = NULL;
  TdmRecord *record = NULL;

  _tdm_store_lock (self);
  records = store_list_records (self, SQL_RECORD_GET, kind, side, id, error);
  _tdm_store_unlock (self);
  if (records != NULL && records->len > 0)
    record = tdm_record_ref (g_ptr_array_index (records, 0));
  return record;
}

static const char SQL_OUTBOX_ADD[] =
  "INSERT INTO outbox (op_id, kind, target, source_id, payload_hash, created_at, state)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_OUTBOX_PENDING[] =
  "SELECT op_id, kind, target, source_id, payload_hash, created_at, state"
  " FROM outbox WHERE state = 'pending' ORDER BY seq";

static gboolean
tdm_store_outbox_add (TdmRecordStore     *store,
                      const TdmOutboxOp  *op,
                      GError            **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_OUTBOX_ADD, error);
  if (stmt != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      _tdm_store_bind_text (stmt, 1, op->op_id);
      sqlite3_bind_int (stmt, 2, op->kind);
      sqlite3_bind_int (stmt, 3, op->target);
      _tdm_store_bind_text (stmt, 4, op->source_id != NULL ? op->source_id : "");
      _tdm_store_bind_text (stmt, 5, op->payload_hash);
      _tdm_store_bind_text (stmt, 6, op->created_at != NULL ? op->created_at : created);
      _tdm_store_bind_text (stmt, 7, op->state != NULL ? op->state : "pending");
      /* Outside a batch this is its own (autocommit) transaction: the op is
       * durable before the create is sent. */
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

static GPtrArray *
tdm_store_outbox_pending (TdmRecordStore  *store,
                          GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_outbox_op_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_OUTBOX_PENDING, error);
  if (stmt != NULL)
    {
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmOutboxOp *op = g_new0 (TdmOutboxOp, 1);

          op->op_id = _tdm_store_column_dup (stmt, 0);
          op->kind = sqlite3_column_int (stmt, 1);
          op->target = sqlite3_column_int (stmt, 2);
          op->source_id = _tdm_store_column_dup (stmt, 3);
          op->payload_hash = _tdm_store_column_dup (stmt, 4);
          op->created_at = _tdm_store_column_dup (stmt, 5);
          op->state = _tdm_store_column_dup (stmt, 6);
          g_ptr_array_add (ops, op);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&ops) : NULL;
}

static gboolean
tdm_store_outbox_set_state (TdmRecordStore  *store,
                            const char      *op_id,
                            const char      *state,
                            GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  gboolean ok;

  if (g_strcmp0 (state, "pending") != 0 && g_strcmp0 (state, "done") != 0 &&
      g_strcmp0 (state, "failed") != 0)
    {
      g_critical ("Unknown outbox state “%s”", state);
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save an unknown state for a pending create. "
                             "Please report this problem."));
      return FALSE;
    }

  _tdm_store_lock (self);
  ok = store_set_outbox_state (self, op_id, state, error);
  _tdm_store_unlock (self);
  return ok;
}

static const char SQL_WATERMARK_GET[] =
  "SELECT value FROM watermarks WHERE side = ?1 AND kind = ?2";
static const char SQL_WATERMARK_SET[] =
  "INSERT INTO watermarks (side, kind, value) VALUES (?1, ?2, ?3)"
  " ON CONFLICT (side, kind) DO UPDATE SET value = excluded.value";

static char *
tdm_store_get_watermark (TdmRecordStore  *store,
                         TdmSide          side,
                         TdmKind          kind,
                         GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean has_row;
  char *value = NULL;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_WATERMARK_GET, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, side);
      sqlite3_bind_int (stmt, 2, kind);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error) && has_row)
        value = _tdm_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return value;
}

static gboolean
tdm_store_set_watermark (TdmRecordStore  *store,
                         TdmSide          side,
                         TdmKind          kind,
                         const char      *value,
                         GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_WATERMARK_SET, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, side);
      sqlite3_bind_int (stmt, 2, kind);
      _tdm_store_bind_text (stmt, 3, value);
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

static const char SQL_RUN_BEGIN[] =
  "INSERT INTO runs (started_at, outcome) VALUES (?1, 'running')";
static const char SQL_RUN_FINISH[] =
  "UPDATE runs SET finished_at = ?2, created = ?3, updated = ?4, linked = ?5, conflicts = ?6,"
  " errors = ?7, unchanged = ?8, outcome = ?9, message = ?10 WHERE id = ?1";

/* Every run, however it starts (the window's Sync, the background timer,
 * `tandem --sync-now`), holds the run lock from its beginning to its end:
 * a second one on the same database is refused with the holder's process
 * id (tdm_store_lock_runs). */
static gint64
tdm_store_run_begin (TdmRecordStore  *store,
                     GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gint64 id = -1;

  _tdm_store_lock (self);
  if (!tdm_store_lock_runs (self, error))
    {
      _tdm_store_unlock (self);
      return -1;
    }
  stmt = _tdm_store_conn_prepare (&self->main, SQL_RUN_BEGIN, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, _tdm_store_now_unix ());
      if (_tdm_store_conn_step_done (&self->main, stmt, error))
        id = sqlite3_last_insert_rowid (self->main.db);
    }
  if (id < 0)
    tdm_store_unlock_runs (self);
  _tdm_store_unlock (self);
  return id;
}

static gboolean
tdm_store_run_finish (TdmRecordStore    *store,
                      const TdmRunInfo  *info,
                      GError           **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_RUN_FINISH, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, info->id);
      sqlite3_bind_int64 (stmt, 2, info->finished_at != 0 ? info->finished_at : _tdm_store_now_unix ());
      sqlite3_bind_int (stmt, 3, info->created);
      sqlite3_bind_int (stmt, 4, info->updated);
      sqlite3_bind_int (stmt, 5, info->linked);
      sqlite3_bind_int (stmt, 6, info->conflicts);
      sqlite3_bind_int (stmt, 7, info->errors);
      sqlite3_bind_int (stmt, 8, info->unchanged);
      _tdm_store_bind_text (stmt, 9, info->outcome != NULL ? info->outcome : "completed");
      _tdm_store_bind_text (stmt, 10, info->message);
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
      if (ok && sqlite3_changes (self->main.db) == 0)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                       _("Tandem’s local database has no sync run number %lld. "
                         "The result of this run was not saved."),
                       (long long) info->id);
          ok = FALSE;
        }
    }
  /* The run is over, recorded or not. */
  if (self->run_lock_depth > 0)
    tdm_store_unlock_runs (self);
  _tdm_store_unlock (self);
  return ok;
}

static gboolean
tdm_store_set_record_error (TdmRecordStore        *store,
                            gint64                 run_id,
                            const TdmRecordError  *err,
                            const char            *record_hash,
                            GError               **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  _tdm_store_lock (self);
  ok = store_tx_begin (self, error);
  if (ok)
    {
      ok = store_put_error (self, run_id, err, record_hash, error);
      affected_add (affected, TDM_SIDE_WEBSHOP, err->record_id);
      affected_add (affected, TDM_SIDE_SHOPIFY, err->record_id);
      if (ok)
        ok = store_refresh_affected (self, err->kind, affected, NULL, NULL, error);
      ok = store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok;
}

static const char SQL_ERROR_HASH[] =
  "SELECT record_hash FROM record_errors WHERE kind = ?1 AND side = ?2 AND record_id = ?3";

static char *
tdm_store_get_error_hash (TdmRecordStore  *store,
                          TdmKind          kind,
                          TdmSide          side,
                          const char      *record_id,
                          GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean has_row;
  char *hash = NULL;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERROR_HASH, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, side);
      _tdm_store_bind_text (stmt, 3, record_id);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error) && has_row)
        hash = _tdm_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return hash;
}

static const char SQL_CONFLICTS_OF_LINK[] =
  "SELECT field, webshop_value, shopify_value, base_value FROM conflicts"
  " WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'pending' ORDER BY field";
static const char SQL_CONFLICT_RESOLVE[] =
  "UPDATE conflicts SET state = 'resolved', winner = ?4, resolved_at = ?5"
  " WHERE kind = ?1 AND webshop_id = ?2 AND field = ?3 AND state = 'pending'";
static const char SQL_CONFLICT_RESOLUTIONS[] =
  "SELECT field, winner FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'resolved'";
static const char SQL_CONFLICT_RESOLVED_LINKS[] =
  "SELECT DISTINCT webshop_id FROM conflicts WHERE kind = ?1 AND +state = 'resolved'"
  " ORDER BY webshop_id";
static const char SQL_ERRORS_FAILED_IDS[] =
  "SELECT record_id FROM record_errors WHERE kind = ?1 AND side = ?2 ORDER BY record_id";
static const char SQL_CONFLICT_TAKE[] =
  "DELETE FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'resolved'";

static GPtrArray *
tdm_store_list_conflicts (TdmRecordStore  *store,
                          TdmKind          kind,
                          const char      *webshop_id,
                          GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) conflicts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_field_conflict_free_internal);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICTS_OF_LINK, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, webshop_id);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmFieldConflict *c = g_new0 (TdmFieldConflict, 1);

          c->field = _tdm_store_column_dup (stmt, 0);
          c->webshop_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 1));
          c->shopify_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 2));
          c->base_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 3));
          c->resolved = FALSE;
          g_ptr_array_add (conflicts, c);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&conflicts) : NULL;
}

static gboolean
tdm_store_resolve_conflict (TdmRecordStore  *store,
                            TdmKind          kind,
                            const char      *webshop_id,
                            const char      *field,
                            TdmSide          winner,
                            GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;

  _tdm_store_lock (self);
  ok = store_tx_begin (self, error);
  if (ok)
    {
      stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_RESOLVE, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int (stmt, 1, kind);
          _tdm_store_bind_text (stmt, 2, webshop_id);
          _tdm_store_bind_text (stmt, 3, field);
          sqlite3_bind_int (stmt, 4, winner);
          sqlite3_bind_int64 (stmt, 5, _tdm_store_now_unix ());
          ok = _tdm_store_conn_step_done (&self->main, stmt, error);
        }
      if (ok && sqlite3_changes (self->main.db) == 0)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                       _("The conflict on “%s” of %s %s is no longer waiting for a choice; "
                         "a later sync has settled it. Refresh the list of conflicts."),
                       field, tdm_kind_display_name (kind), webshop_id);
          ok = FALSE;
        }
      affected_add (affected, TDM_SIDE_WEBSHOP, webshop_id);
      if (ok)
        ok = store_refresh_affected (self, kind, affected, NULL, NULL, error);
      ok = store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok;
}

static GHashTable *
tdm_store_take_resolutions (TdmRecordStore  *store,
                            TdmKind          kind,
                            const char      *webshop_id,
                            GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GHashTable) resolutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  gboolean has_row, ok;

  _tdm_store_lock (self);
  ok = store_tx_begin (self, error);
  if (ok)
    {
      stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_RESOLUTIONS, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int (stmt, 1, kind);
          _tdm_store_bind_text (stmt, 2, webshop_id);
          while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
            g_hash_table_insert (resolutions, _tdm_store_column_dup (stmt, 0),
                                 GINT_TO_POINTER (sqlite3_column_int (stmt, 1) + 1));
          sqlite3_reset (stmt);
        }
      if (ok && g_hash_table_size (resolutions) > 0)
        {
          stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_TAKE, error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_int (stmt, 1, kind);
              _tdm_store_bind_text (stmt, 2, webshop_id);
              ok = _tdm_store_conn_step_done (&self->main, stmt, error);
            }
        }
      ok = store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&resolutions) : NULL;
}

static GPtrArray *
tdm_store_list_resolved (TdmRecordStore  *store,
                         TdmKind          kind,
                         GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_RESOLVED_LINKS, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int (stmt, 1, kind);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        g_ptr_array_add (ids, _tdm_store_column_dup (stmt, 0));
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&ids) : NULL;
}

static GPtrArray *
tdm_store_list_failed (TdmRecordStore  *store,
                       TdmKind          kind,
                       TdmSide          side,
                       GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERRORS_FAILED_IDS, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, side);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        g_ptr_array_add (ids, _tdm_store_column_dup (stmt, 0));
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&ids) : NULL;
}

static const char SQL_REVIEW_ADD[] =
  "INSERT INTO review_items (kind, side, record_id, reason, candidates, created_at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (kind, side, record_id) DO UPDATE SET"
  " reason = excluded.reason, candidates = excluded.candidates";
static const char SQL_REVIEW_CLEAR[] =
  "DELETE FROM review_items WHERE kind = ?1 AND side = ?2 AND record_id = ?3";

static gboolean
tdm_store_add_review (TdmRecordStore       *store,
                      const TdmReviewItem  *item,
                      GError              **error)
{
  TdmStore *self = TDM_STORE (store);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *candidates = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  json_builder_begin_array (builder);
  for (guint i = 0; item->candidate_ids != NULL && i < item->candidate_ids->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (item->candidate_ids, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  candidates = tdm_json_canonical_string (root);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_REVIEW_ADD, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, item->kind);
      sqlite3_bind_int (stmt, 2, item->side);
      _tdm_store_bind_text (stmt, 3, item->record_id);
      _tdm_store_bind_text (stmt, 4, item->reason);
      _tdm_store_bind_text (stmt, 5, candidates);
      sqlite3_bind_int64 (stmt, 6, _tdm_store_now_unix ());
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

static gboolean
tdm_store_clear_review (TdmRecordStore  *store,
                        TdmKind          kind,
                        TdmSide          side,
                        const char      *record_id,
                        GError         **error)
{
  TdmStore *self = TDM_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_REVIEW_CLEAR, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, side);
      _tdm_store_bind_text (stmt, 3, record_id);
      ok = _tdm_store_conn_step_done (&self->main, stmt, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

static void
tdm_store_record_store_iface_init (TdmRecordStoreInterface *iface)
{
  iface->lookup_link = tdm_store_lookup_link;
  iface->commit = tdm_store_commit;
  iface->delete_link = tdm_store_delete_link;
  iface->list_links = tdm_store_list_links;
  iface->list_unlinked = tdm_store_list_unlinked;
  iface->lookup_cached = tdm_store_lookup_cached;
  iface->outbox_add = tdm_store_outbox_add;
  iface->outbox_pending = tdm_store_outbox_pending;
  iface->outbox_set_state = tdm_store_outbox_set_state;
  iface->get_watermark = tdm_store_get_watermark;
  iface->set_watermark = tdm_store_set_watermark;
  iface->run_begin = tdm_store_run_begin;
  iface->run_finish = tdm_store_run_finish;
  iface->set_record_error = tdm_store_set_record_error;
  iface->get_error_hash = tdm_store_get_error_hash;
  iface->list_conflicts = tdm_store_list_conflicts;
  iface->resolve_conflict = tdm_store_resolve_conflict;
  iface->take_resolutions = tdm_store_take_resolutions;
  iface->list_resolved = tdm_store_list_resolved;
  iface->list_failed = tdm_store_list_failed;
  iface->add_review = tdm_store_add_review;
  iface->clear_review = tdm_store_clear_review;
}

/* ------------------------------------------------------------------ */
/* Entity views                                                         */
/* ------------------------------------------------------------------ */

/* Turns what the user typed into an FTS5 query: every word is a prefix
 * term, all must match. NULL when there is nothing to search for. */
static char *
search_to_match (const char *search)
{
  g_autoptr(GString) match = NULL;
  g_autoptr(GString) word = NULL;

  if (search == NULL || !g_utf8_validate (search, -1, NULL))
    return NULL;

  match = g_string_new (NULL);
  word = g_string_new (NULL);
  for (const char *p = search; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, g_unichar_tolower (c));
          continue;
        }
      if (word->len > 0)
        {
          if (match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_printf (match, "\"%s\"*", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

/* The sort indexes (format 3) are (kind, <key>, status) for each sort key,
 * and (kind, status, title_key) for the rows that are not LINKED only (a
 * partial index: most rows are linked, and each index costs every commit).
 * A page of every status is a range of the key's index; a page of one
 * status other than LINKED sorted by title (or status) a range of the
 * partial index; any other filtered page walks the key's index and reads
 * the status from it. Ties are broken by status, then row id: the order of
 * the index entries. `filtered`: one status only (sorting by status is then
 * sorting by title). */
static const char *
sort_order_sql (TdmStoreSort sort,
                gboolean     descending,
                gboolean     filtered)
{
  if (filtered && sort == TDM_STORE_SORT_STATUS)
    sort = TDM_STORE_SORT_TITLE;
  switch (sort)
    {
    case TDM_STORE_SORT_SUBTITLE:
      return descending ? "subtitle_key DESC, status DESC, id DESC" : "subtitle_key, status, id";
    case TDM_STORE_SORT_EXTRA:
      return descending ? "extra_key DESC, status DESC, id DESC" : "extra_key, status, id";
    case TDM_STORE_SORT_STATUS:
      return descending ? "status DESC, title_key DESC, id DESC" : "status, title_key, id";
    case TDM_STORE_SORT_LAST_SYNCED:
      return descending ? "last_synced DESC, status DESC, id DESC" : "last_synced, status, id";
    case TDM_STORE_SORT_TITLE:
    default:
      return descending ? "title_key DESC, status DESC, id DESC" : "title_key, status, id";
    }
}

#define VIEW_COLUMNS "kind, webshop_id, shopify_id, title, subtitle, extra, extra2, status, last_synced"

static TdmStoreRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  g_assert (stmt != NULL);

  return _tdm_store_row_new (sqlite3_column_int (stmt, 0),
                             (const char *) sqlite3_column_text (stmt, 1),
                             (const char *) sqlite3_column_text (stmt, 2),
                             (const char *) sqlite3_column_text (stmt, 3),
                             (const char *) sqlite3_column_text (stmt, 4),
                             (const char *) sqlite3_column_text (stmt, 5),
                             (const char *) sqlite3_column_text (stmt, 6),
                             sqlite3_column_int (stmt, 7),
                             sqlite3_column_int64 (stmt, 8));
}

/* Above this many search matches, a page is read along the sort index
 * (most rows match, the first page comes quickly); below it, from the
 * matching rows themselves (few rows, sorted in memory). */
#define VIEW_DRIVE_BY_MATCHES_MAX 20000

/* Up to this many rows of one status other than LINKED, a page sorted by
 * a key other than title is read from the status index and sorted in
 * memory; above it, along the key's index (which holds the status). */
#define VIEW_SORT_STATUS_IN_MEMORY_MAX 2000

/* `by_matches`: drive the query from the FTS matches (the unary + keeps
 * SQLite from choosing a sort index instead, which would walk every row of
 * the filter). Otherwise: see sort_order_sql (). "status <> 0" (the
 * partial index's own condition) lets SQLite use that index; the unary +
 * keeps SQLite from treating the status as a constant of the ORDER BY,
 * so that the key's index delivers the whole order. */
static char *
view_where_sql (TdmLinkStatus  status,
                const char    *match,
                gboolean       by_matches,
                TdmStoreSort   sort,
                gboolean       few)
{
  const char *status_sql;

  if (match != NULL && by_matches)
    return g_strconcat (" WHERE id IN (SELECT rowid FROM view_fts WHERE view_fts MATCH ?3)"
                        " AND +kind = ?1",
                        status != TDM_LINK_STATUS_ALL ? " AND +status = ?2" : "",
                        NULL);
  if (status == TDM_LINK_STATUS_ALL)
    status_sql = "";
  else if (status != TDM_LINK_STATUS_LINKED &&
           (few || sort == TDM_STORE_SORT_TITLE || sort == TDM_STORE_SORT_STATUS))
    status_sql = " AND status = ?2 AND status <> 0";
  else
    status_sql = " AND +status = ?2";
  return g_strconcat (" WHERE kind = ?1", status_sql,
                      match != NULL
                        ? " AND id IN (SELECT rowid FROM view_fts WHERE view_fts MATCH ?3)"
                        : "",
                      NULL);
}

static const char SQL_FTS_COUNT[] =
  "SELECT count(*) FROM view_fts WHERE view_fts MATCH ?1";

/* Number of rows (of all kinds) matching an FTS query; -1 on error. */
static gint64
conn_count_matches (TdmStoreConn  *conn,
                    const char    *match,
                    GError       **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare (conn, SQL_FTS_COUNT, error);
  gboolean has_row;
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  _tdm_store_bind_text (stmt, 1, match);
  if (_tdm_store_conn_step_row (conn, stmt, &has_row, error))
    n = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return n;
}

/* Runs a page query (?1 kind, ?2 status unless ALL, ?3 FTS match when
 * set, ?4 limit, ?5 offset) and appends its rows. */
static gboolean
conn_query_rows (TdmStoreConn   *conn,
                 const char     *sql,
                 TdmKind         kind,
                 TdmLinkStatus   status,
                 const char     *match,
                 guint           offset,
                 guint           limit,
                 GPtrArray      *rows,
                 GError        **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare_dynamic (conn, sql, error);
  gboolean has_row, ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  if (status != TDM_LINK_STATUS_ALL)
    sqlite3_bind_int (stmt, 2, status);
  if (match != NULL)
    _tdm_store_bind_text (stmt, 3, match);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 5, offset);
  while ((ok = _tdm_store_conn_step_row (conn, stmt, &has_row, error)) && has_row)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  sqlite3_reset (stmt);
  return ok;
}

/* Runs a count (same parameters, no ?4 ?5); -1 on error. */
static gint64
conn_count_sql (TdmStoreConn   *conn,
                const char     *sql,
                TdmKind         kind,
                TdmLinkStatus   status,
                const char     *match,
                GError        **error)
{
  sqlite3_stmt *stmt = _tdm_store_conn_prepare_dynamic (conn, sql, error);
  gboolean has_row;
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int (stmt, 1, kind);
  if (status != TDM_LINK_STATUS_ALL)
    sqlite3_bind_int (stmt, 2, status);
  if (match != NULL)
    _tdm_store_bind_text (stmt, 3, match);
  if (_tdm_store_conn_step_row (conn, stmt, &has_row, error))
    count = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return count;
}

/* Every status sorted by status: the linked rows (status 0) along the
 * title index, and the others along the partial status index, one after
 * the other (descending: the others first). */
static gboolean
conn_query_by_status (TdmStoreConn  *conn,
                      TdmKind        kind,
                      const char    *match,
                      gboolean       descending,
                      guint          offset,
                      guint          limit,
                      GPtrArray     *rows,
                      GError       **error)
{
  const char *in_match = match != NULL
    ? " AND id IN (SELECT rowid FROM view_fts WHERE view_fts MATCH ?3)" : "";
  const char *linked_where = " WHERE kind = ?1 AND +status = 0";
  const char *others_where = " WHERE kind = ?1 AND status <> 0";
  g_autofree char *linked_sql =
    g_strconcat ("SELECT " VIEW_COLUMNS " FROM view_rows", linked_where, in_match,
                 " ORDER BY ", sort_order_sql (TDM_STORE_SORT_TITLE, descending, FALSE),
                 " LIMIT ?4 OFFSET ?5", NULL);
  g_autofree char *others_sql =
    g_strconcat ("SELECT " VIEW_COLUMNS " FROM view_rows", others_where, in_match,
                 " ORDER BY ", sort_order_sql (TDM_STORE_SORT_STATUS, descending, FALSE),
                 " LIMIT ?4 OFFSET ?5", NULL);
  const char *first_sql = descending ? others_sql : linked_sql;
  const char *second_sql = descending ? linked_sql : others_sql;
  const char *first_where = descending ? others_where : linked_where;
  guint before = rows->len, got = 0;
  gint64 n_first = -1;

  /* Past the first part? Without a search its size comes from two
   * index counts (the linked rows are all rows less the others). */
  if (offset > 0 && match == NULL)
    {
      gint64 others = conn_count_sql (conn, "SELECT count(*) FROM view_rows"
                                      " WHERE kind = ?1 AND status <> 0",
                                      kind, TDM_LINK_STATUS_ALL, NULL, error);
      gint64 total = others < 0 ? -1
        : conn_count_sql (conn, "SELECT count(*) FROM view_rows WHERE kind = ?1",
                          kind, TDM_LINK_STATUS_ALL, NULL, error);

      if (total < 0)
        return FALSE;
      n_first = descending ? others : total - others;
    }

  if (n_first < 0 || (gint64) offset < n_first)
    {
      if (!conn_query_rows (conn, first_sql, kind, TDM_LINK_STATUS_ALL, match, offset, limit,
                            rows, error))
        return FALSE;
      got = rows->len - before;
      if (limit > 0 && got >= limit)
        return TRUE;
      /* The first part ended on this page. */
      if (got > 0)
        n_first = (gint64) offset + got;
    }

  if (n_first < 0)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM view_rows", first_where,
                                                in_match, NULL);
      n_first = conn_count_sql (conn, count_sql, kind, TDM_LINK_STATUS_ALL, match, error);
      if (n_first < 0)
        return FALSE;
    }
  return conn_query_rows (conn, second_sql, kind, TDM_LINK_STATUS_ALL, match,
                          (gint64) offset > n_first ? offset - n_first : 0,
                          limit > 0 ? limit - got : 0, rows, error);
}

static const char SQL_COUNT_OTHER_STATUS[] =
  "SELECT count(*) FROM view_rows WHERE kind = ?1 AND status = ?2 AND status <> 0";

static GPtrArray *
conn_query (TdmStoreConn   *conn,
            TdmKind         kind,
            TdmLinkStatus   status,
            const char     *search,
            TdmStoreSort    sort,
            gboolean        descending,
            guint           offset,
            guint           limit,
            GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *match = search_to_match (search);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  gboolean by_matches = FALSE, few = FALSE;

  if (match != NULL)
    {
      gint64 n = conn_count_matches (conn, match, error);
      if (n < 0)
        return NULL;
      by_matches = n <= VIEW_DRIVE_BY_MATCHES_MAX;
    }

  if (status == TDM_LINK_STATUS_ALL && sort == TDM_STORE_SORT_STATUS && !by_matches)
    {
      if (!conn_query_by_status (conn, kind, match, descending, offset, limit, rows, error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  if (status != TDM_LINK_STATUS_ALL && status != TDM_LINK_STATUS_LINKED && !by_matches &&
      sort != TDM_STORE_SORT_TITLE && sort != TDM_STORE_SORT_STATUS)
    {
      gint64 n = conn_count_sql (conn, SQL_COUNT_OTHER_STATUS, kind, status, NULL, error);
      if (n < 0)
        return NULL;
      few = n <= VIEW_SORT_STATUS_IN_MEMORY_MAX;
    }

  where = view_where_sql (status, match, by_matches, sort, few);
  sql = g_strconcat ("SELECT " VIEW_COLUMNS " FROM view_rows",
                     few ? " INDEXED BY view_other_status_title" : "", where,
                     " ORDER BY ",
                     sort_order_sql (sort, descending, status != TDM_LINK_STATUS_ALL),
                     " LIMIT ?4 OFFSET ?5", NULL);
  if (!conn_query_rows (conn, sql, kind, status, match, offset, limit, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static gint64
conn_count (TdmStoreConn   *conn,
            TdmKind         kind,
            TdmLinkStatus   status,
            const char     *search,
            GError        **error)
{
  g_autofree char *match = search_to_match (search);
  g_autofree char *where = view_where_sql (status, match, TRUE, TDM_STORE_SORT_TITLE, FALSE);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 count = -1;

  if (status == TDM_LINK_STATUS_LINKED && match == NULL)
    /* All rows less the others (both counted from indexes). */
    sql = g_strdup ("SELECT (SELECT count(*) FROM view_rows WHERE kind = ?1)"
                    " - (SELECT count(*) FROM view_rows WHERE kind = ?1 AND status <> 0) + 0 * ?2");
  else
    sql = g_strconcat ("SELECT count(*) FROM view_rows", where, NULL);
  stmt = _tdm_store_conn_prepare_dynamic (conn, sql, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int (stmt, 1, kind);
  if (status != TDM_LINK_STATUS_ALL)
    sqlite3_bind_int (stmt, 2, status);
  if (match != NULL)
    _tdm_store_bind_text (stmt, 3, match);
  if (_tdm_store_conn_step_row (conn, stmt, &has_row, error))
    count = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return count;
}

GPtrArray *
tdm_store_query (TdmStore       *self,
                 TdmKind         kind,
                 TdmLinkStatus   status,
                 const char     *search,
                 TdmStoreSort    sort,
                 gboolean        descending,
                 guint           offset,
                 guint           limit,
                 GError        **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _tdm_store_lock (self);
  rows = conn_query (&self->main, kind, status, search, sort, descending, offset, limit, error);
  _tdm_store_unlock (self);
  return rows;
}

gint64
tdm_store_count (TdmStore       *self,
                 TdmKind         kind,
                 TdmLinkStatus   status,
                 const char     *search,
                 GError        **error)
{
  gint64 count;

  g_return_val_if_fail (TDM_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  _tdm_store_lock (self);
  count = conn_count (&self->main, kind, status, search, error);
  _tdm_store_unlock (self);
  return count;
}

/* The rows that are not linked (partial index), and all rows: the linked
 * ones are the difference. */
static const char SQL_COUNT_BY_STATUS[] =
  "SELECT status, count(*) FROM view_rows WHERE kind = ?1 AND status <> 0 GROUP BY status"
  " UNION ALL SELECT -1, count(*) FROM view_rows WHERE kind = ?1";

gboolean
tdm_store_count_by_status (TdmStore  *self,
                           TdmKind    kind,
                           gint64     counts[TDM_N_LINK_STATUS],
                           GError   **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;
  gint64 total = 0, others = 0;

  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);

  for (guint i = 0; i < TDM_N_LINK_STATUS; i++)
    counts[i] = 0;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_COUNT_BY_STATUS, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          int status = sqlite3_column_int (stmt, 0);
          gint64 n = sqlite3_column_int64 (stmt, 1);

          if (status == -1)
            total = n;
          else if (status > 0 && status < TDM_N_LINK_STATUS)
            {
              counts[status] = n;
              others += n;
            }
        }
      sqlite3_reset (stmt);
      counts[TDM_LINK_STATUS_LINKED] = total - others;
    }
  _tdm_store_unlock (self);
  return ok;
}

static const char SQL_ROW_BY_WEBSHOP[] =
  "SELECT " VIEW_COLUMNS " FROM view_rows WHERE kind = ?1 AND webshop_id = ?2";
static const char SQL_ROW_BY_SHOPIFY[] =
  "SELECT " VIEW_COLUMNS " FROM view_rows WHERE kind = ?1 AND shopify_id = ?2";

TdmStoreRow *
tdm_store_get_row (TdmStore    *self,
                   TdmKind      kind,
                   TdmSide      side,
                   const char  *id,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;
  TdmStoreRow *row = NULL;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main,
                                  side == TDM_SIDE_WEBSHOP ? SQL_ROW_BY_WEBSHOP : SQL_ROW_BY_SHOPIFY,
                                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, id);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error) && has_row)
        row = row_from_stmt (stmt);
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return row;
}

/* Async query ------------------------------------------------------- */

typedef struct {
  TdmKind        kind;
  TdmLinkStatus  status;
  char          *search;
  TdmStoreSort   sort;
  gboolean       descending;
  guint          offset;
  guint          limit;
  gint64         total;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->search);
  g_free (data);
}

/* The read-only connection for worker threads (file databases only). */
static TdmStoreConn *
store_get_reader (TdmStore  *self,
                  GError   **error)
{
  if (self->reader == NULL)
    {
      TdmStoreConn *reader = g_new0 (TdmStoreConn, 1);

      g_rec_mutex_init (&reader->lock);
      if (!_tdm_store_conn_open (reader, self->path, TRUE, error))
        {
          _tdm_store_conn_clear (reader);
          g_free (reader);
          return NULL;
        }
      self->reader = reader;
    }
  return self->reader;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TdmStore *self = source_object;
  QueryData *data = task_data;
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;
  TdmStoreConn *conn;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->in_memory)
    {
      /* One connection only: share it under its lock. */
      _tdm_store_lock (self);
      rows = conn_query (&self->main, data->kind, data->status, data->search, data->sort,
                         data->descending, data->offset, data->limit, &error);
      if (rows != NULL)
        data->total = conn_count (&self->main, data->kind, data->status, data->search, &error);
      _tdm_store_unlock (self);
    }
  else
    {
      g_mutex_lock (&self->reader_lock);
      conn = store_get_reader (self, &error);
      if (conn != NULL)
        {
          /* Page and count from one read transaction: they agree. */
          if (_tdm_store_conn_exec (conn, "BEGIN", &error))
            {
              rows = conn_query (conn, data->kind, data->status, data->search, data->sort,
                                 data->descending, data->offset, data->limit, &error);
              if (rows != NULL)
                data->total = conn_count (conn, data->kind, data->status, data->search, &error);
              _tdm_store_conn_exec (conn, "COMMIT", NULL);
            }
        }
      g_mutex_unlock (&self->reader_lock);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

void
tdm_store_query_async (TdmStore            *self,
                       TdmKind              kind,
                       TdmLinkStatus        status,
                       const char          *search,
                       TdmStoreSort         sort,
                       gboolean             descending,
                       guint                offset,
                       guint                limit,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *data;

  g_return_if_fail (TDM_IS_STORE (self));

  data = g_new0 (QueryData, 1);
  data->kind = kind;
  data->status = status;
  data->search = g_strdup (search);
  data->sort = sort;
  data->descending = descending;
  data->offset = offset;
  data->limit = limit;
  data->total = -1;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_store_query_async);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  g_task_run_in_thread (task, query_thread);
}

GPtrArray *
tdm_store_query_finish (TdmStore      *self,
                        GAsyncResult  *result,
                        gint64        *total,
                        GError       **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tdm_store_query_async, NULL);

  rows = g_task_propagate_pointer (G_TASK (result), error);
  if (total != NULL)
    {
      QueryData *data = g_task_get_task_data (G_TASK (result));
      *total = rows != NULL ? data->total : -1;
    }
  return rows;
}

/* ------------------------------------------------------------------ */
/* Activity, errors, conflicts, review, history                          */
/* ------------------------------------------------------------------ */

static const char SQL_RUNS[] =
  "SELECT id, started_at, finished_at, created, updated, linked, conflicts, errors, unchanged,"
  " outcome, message FROM runs ORDER BY id DESC LIMIT ?1";

GPtrArray *
tdm_store_list_runs (TdmStore  *self,
                     guint      limit,
                     GError   **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_run_info_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_RUNS, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmRunInfo *info = g_new0 (TdmRunInfo, 1);

          info->id = sqlite3_column_int64 (stmt, 0);
          info->started_at = sqlite3_column_int64 (stmt, 1);
          info->finished_at = sqlite3_column_int64 (stmt, 2);
          info->created = sqlite3_column_int (stmt, 3);
          info->updated = sqlite3_column_int (stmt, 4);
          info->linked = sqlite3_column_int (stmt, 5);
          info->conflicts = sqlite3_column_int (stmt, 6);
          info->errors = sqlite3_column_int (stmt, 7);
          info->unchanged = sqlite3_column_int (stmt, 8);
          info->outcome = _tdm_store_column_dup (stmt, 9);
          info->message = _tdm_store_column_dup (stmt, 10);
          g_ptr_array_add (runs, info);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&runs) : NULL;
}

/* The title of a record error or conflict: from the view row of either id. */
#define TITLE_OF(kind_col, id_col) \
  "(SELECT v.title FROM view_rows v WHERE v.kind = " kind_col " AND v.webshop_id = " id_col \
  " UNION ALL SELECT v.title FROM view_rows v WHERE v.kind = " kind_col \
  " AND v.shopify_id = " id_col " LIMIT 1)"

static const char SQL_ERRORS_ALL[] =
  "SELECT e.id, e.kind, e.side, e.record_id, e.field, e.message, e.run_id, e.first_seen,"
  " e.last_seen, " TITLE_OF ("e.kind", "e.record_id")
  " FROM record_errors e WHERE ?1 < 0 OR e.kind = ?1 ORDER BY e.last_seen DESC, e.id DESC LIMIT ?2";

GPtrArray *
tdm_store_list_errors (TdmStore  *self,
                       int        kind,
                       guint      limit,
                       GError   **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_store_error_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERRORS_ALL, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmStoreError *e = g_new0 (TdmStoreError, 1);

          e->id = sqlite3_column_int64 (stmt, 0);
          e->kind = sqlite3_column_int (stmt, 1);
          e->side = sqlite3_column_int (stmt, 2);
          e->record_id = _tdm_store_column_dup (stmt, 3);
          e->field = _tdm_store_column_dup (stmt, 4);
          e->message = _tdm_store_column_dup (stmt, 5);
          e->run_id = sqlite3_column_int64 (stmt, 6);
          e->first_seen = sqlite3_column_int64 (stmt, 7);
          e->last_seen = sqlite3_column_int64 (stmt, 8);
          e->title = _tdm_store_column_dup (stmt, 9);
          g_ptr_array_add (errors, e);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&errors) : NULL;
}

static const char SQL_PENDING_CONFLICTS[] =
  "SELECT c.id, c.kind, c.webshop_id, l.shopify_id, c.field, c.webshop_value, c.shopify_value,"
  " c.base_value, c.first_seen, " TITLE_OF ("c.kind", "c.webshop_id")
  " FROM conflicts c LEFT JOIN links l ON l.kind = c.kind AND l.webshop_id = c.webshop_id"
  " WHERE c.state = 'pending' AND (?1 < 0 OR c.kind = ?1)"
  " ORDER BY c.first_seen, c.id";
static const char SQL_COUNT_CONFLICTS[] =
  "SELECT count(*) FROM conflicts WHERE state = 'pending' AND (?1 < 0 OR kind = ?1)";

GPtrArray *
tdm_store_list_pending_conflicts (TdmStore  *self,
                                  int        kind,
                                  GError   **error)
{
  g_autoptr(GPtrArray) conflicts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_store_conflict_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_PENDING_CONFLICTS, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmStoreConflict *c = g_new0 (TdmStoreConflict, 1);

          c->id = sqlite3_column_int64 (stmt, 0);
          c->kind = sqlite3_column_int (stmt, 1);
          c->webshop_id = _tdm_store_column_dup (stmt, 2);
          c->shopify_id = _tdm_store_column_dup (stmt, 3);
          c->field = _tdm_store_column_dup (stmt, 4);
          c->webshop_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 5));
          c->shopify_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 6));
          c->base_value = _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 7));
          c->first_seen = sqlite3_column_int64 (stmt, 8);
          c->title = _tdm_store_column_dup (stmt, 9);
          g_ptr_array_add (conflicts, c);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&conflicts) : NULL;
}

gint64
tdm_store_count_conflicts (TdmStore  *self,
                           int        kind,
                           GError   **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 count = -1;

  g_return_val_if_fail (TDM_IS_STORE (self), -1);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_COUNT_CONFLICTS, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        count = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return count;
}

static const char SQL_REVIEW_LIST[] =
  "SELECT kind, side, record_id, reason, candidates FROM review_items"
  " WHERE ?1 < 0 OR kind = ?1 ORDER BY created_at, id";

GPtrArray *
tdm_store_list_review (TdmStore  *self,
                       int        kind,
                       GError   **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_review_item_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_REVIEW_LIST, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmReviewItem *item = g_new0 (TdmReviewItem, 1);
          g_autoptr(JsonNode) candidates =
            _tdm_store_json_node_from_text ((const char *) sqlite3_column_text (stmt, 4));

          item->kind = sqlite3_column_int (stmt, 0);
          item->side = sqlite3_column_int (stmt, 1);
          item->record_id = _tdm_store_column_dup (stmt, 2);
          item->reason = _tdm_store_column_dup (stmt, 3);
          item->candidate_ids = g_ptr_array_new_with_free_func (g_free);
          if (candidates != NULL && JSON_NODE_HOLDS_ARRAY (candidates))
            {
              JsonArray *array = json_node_get_array (candidates);
              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  const char *id = json_array_get_string_element (array, i);
                  if (id != NULL)
                    g_ptr_array_add (item->candidate_ids, g_strdup (id));
                }
            }
          g_ptr_array_add (items, item);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&items) : NULL;
}

static const char SQL_HISTORY_OF[] =
  "SELECT run_id, at, kind, webshop_id, shopify_id, side, action, field, before, after"
  " FROM history WHERE id IN ("
  "  SELECT id FROM history WHERE kind = ?1 AND webshop_id = ?2"
  "  UNION SELECT id FROM history WHERE kind = ?1 AND shopify_id = ?3)"
  " ORDER BY at DESC, id DESC LIMIT ?4";

GPtrArray *
tdm_store_list_history (TdmStore    *self,
                        TdmKind      kind,
                        const char  *webshop_id,
                        const char  *shopify_id,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_store_history_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_HISTORY_OF, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, webshop_id);
      _tdm_store_bind_text (stmt, 3, shopify_id);
      sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmStoreHistory *h = g_new0 (TdmStoreHistory, 1);

          h->run_id = sqlite3_column_int64 (stmt, 0);
          h->at = sqlite3_column_int64 (stmt, 1);
          h->kind = sqlite3_column_int (stmt, 2);
          h->webshop_id = _tdm_store_column_dup (stmt, 3);
          h->shopify_id = _tdm_store_column_dup (stmt, 4);
          h->side = sqlite3_column_int (stmt, 5);
          h->action = _tdm_store_column_dup (stmt, 6);
          h->field = _tdm_store_column_dup (stmt, 7);
          h->before = _tdm_store_column_dup (stmt, 8);
          h->after = _tdm_store_column_dup (stmt, 9);
          g_ptr_array_add (entries, h);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&entries) : NULL;
}
