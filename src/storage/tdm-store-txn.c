/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include "tdm-store-private.h"

/* Transactions: every change of the store is one atomic unit, a
 * transaction of its own, or a savepoint inside a batch (bulk loads commit
 * many units in one transaction). The search index is brought in step just
 * before the outermost COMMIT (tdm-store-view.c). */

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT tdm_commit";
static const char SQL_RELEASE[] = "RELEASE tdm_commit";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO tdm_commit";

/* Ends the outermost transaction: commits when `commit` is TRUE; rolls back
 * when it is FALSE or when COMMIT fails (e.g. disk full), so that nothing
 * stays half-done. TRUE when committed. */
static gboolean
store_finish_transaction (TdmStore  *self,
                          gboolean   commit,
                          GError   **error)
{
  g_assert (TDM_IS_STORE (self) && self->batch_depth == 0);

  if (commit &&
      _tdm_store_flush_fts (self, error) &&
      _tdm_store_conn_run (&self->main, SQL_COMMIT, error))
    return TRUE;
  if (!sqlite3_get_autocommit (self->main.db))
    _tdm_store_conn_run (&self->main, SQL_ROLLBACK, NULL);
  return FALSE;
}

gboolean
_tdm_store_tx_begin (TdmStore  *self,
                     GError   **error)
{
  g_assert (TDM_IS_STORE (self));

  if (self->batch_depth > 0)
    return _tdm_store_conn_run (&self->main, SQL_SAVEPOINT, error);
  return _tdm_store_conn_run (&self->main, SQL_BEGIN, error);
}

gboolean
_tdm_store_tx_end (TdmStore  *self,
                   gboolean   ok,
                   GError   **error)
{
  g_assert (TDM_IS_STORE (self));

  if (self->batch_depth == 0)
    return store_finish_transaction (self, ok, error);
  if (ok)
    return _tdm_store_conn_run (&self->main, SQL_RELEASE, error);
  _tdm_store_conn_run (&self->main, SQL_ROLLBACK_TO, NULL);
  _tdm_store_conn_run (&self->main, SQL_RELEASE, NULL);
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
  gboolean ok;

  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch_depth > 0, FALSE);

  self->batch_depth--;
  if (self->batch_depth == 0)
    ok = store_finish_transaction (self, commit, error);
  else
    ok = commit;
  _tdm_store_unlock (self);
  return ok;
}
