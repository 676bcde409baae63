/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tdm-error.h"
#include "tdm-state-files.h"
#include "tdm-store-migrations.h"
#include "tdm-store-private.h"

/* Opening the state database: the checks of an existing file (which never
 * write to it), and the migrations to the format this build writes
 * (tdm-store-migrations.c). */

/* ---- Checking an existing file ---- */

static gboolean
pragma_int (sqlite3    *db,
            const char *sql,
            int        *out,
            int        *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert (db != NULL && sql != NULL && out != NULL && rc_out != NULL);

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
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

static gboolean
store_error_newer (GError     **error,
                   const char  *path,
                   int          version)
{
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
               _("The database “%s” was written by a newer version of Tandem (format %d; "
                 "this version knows formats up to %d). Tandem has not changed it. "
                 "Install the newer version of Tandem again, or move the file away to "
                 "start over with an empty database."),
               path, version, tdm_store_migrations_latest ());
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

  g_assert (rc != SQLITE_OK && path != NULL);

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

  g_assert (path != NULL && !_tdm_store_is_memory (path));

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
      return store_error_newer (error, path, version);
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

/* ---- Migrations ---- */

static gboolean
store_migrate (TdmStore  *self,
               GError   **error)
{
  const TdmStoreMigration *migrations;
  gboolean rebuild_views = FALSE;
  guint n_migrations;
  int version = 0, rc;

  g_assert (TDM_IS_STORE (self) && self->main.db != NULL);

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
      return store_error_newer (error, self->path, version);
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
      rebuild_views |= migrations[i].rebuild_views;
      version = migrations[i].version;
    }
  if (rebuild_views)
    {
      g_debug ("Building the view rows of %s again", self->path);
      if (!_tdm_store_view_rebuild_all (self, error))
        {
          _tdm_store_conn_exec (&self->main, "ROLLBACK", NULL);
          return FALSE;
        }
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

/* ---- Process-wide settings ---- */

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

/* ---- Entry points ---- */

gboolean
_tdm_store_check_path (const char  *path,
                       GError     **error)
{
  g_assert (path != NULL);

  store_configure_sqlite ();
  if (_tdm_store_is_memory (path))
    return TRUE;
  return tdm_state_files_prepare (path, error) && store_check_existing (path, error);
}

gboolean
_tdm_store_open (TdmStore  *self,
                 GError   **error)
{
  g_assert (TDM_IS_STORE (self) && self->path != NULL);

  /* The search index queue first: a migration may rebuild the views. */
  return _tdm_store_conn_open (&self->main, self->path, FALSE, error) &&
         _tdm_store_fts_setup (self, error) &&
         store_migrate (self, error);
}
