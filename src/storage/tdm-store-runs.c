/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"
#include "tdm-store-private.h"

/* A run's bookkeeping: the run lock, the runs table, the outbox of pending
 * creates and the watermarks (the TdmRecordStore calls run_begin,
 * run_finish, outbox_add, outbox_pending, outbox_set_state, get_watermark
 * and set_watermark). See docs/sync.md, "Crash safety" and "Watermarks". */

/* ---- The run lock ---- */

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

/* ---- Runs ---- */

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
      sqlite3_bind_int64 (stmt, 2, info->finished_at != 0 ? info->finished_at
                                                           : _tdm_store_now_unix ());
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

/* ---- The outbox ---- */

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
  ok = _tdm_store_set_outbox_state (self, op_id, state, error);
  _tdm_store_unlock (self);
  return ok;
}

/* ---- Watermarks ---- */

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

void
_tdm_store_runs_iface_init (TdmRecordStoreInterface *iface)
{
  iface->run_begin = tdm_store_run_begin;
  iface->run_finish = tdm_store_run_finish;
  iface->outbox_add = tdm_store_outbox_add;
  iface->outbox_pending = tdm_store_outbox_pending;
  iface->outbox_set_state = tdm_store_outbox_set_state;
  iface->get_watermark = tdm_store_get_watermark;
  iface->set_watermark = tdm_store_set_watermark;
}
