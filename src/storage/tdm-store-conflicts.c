/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"
#include "tdm-store-private.h"

/* What the engine stores for the shop owner to look at: record errors
 * (with the hash of the version that failed, so that an unchanged record
 * is not tried again), field conflicts under the ask policy and the
 * owner's choices, and ambiguous matches for review. See docs/sync.md,
 * "Three-way merge" and "Ambiguous matches and the review list". */

/* ---- Record errors ---- */

static const char SQL_ERROR_HASH[] =
  "SELECT record_hash FROM record_errors WHERE kind = ?1 AND side = ?2 AND record_id = ?3";
static const char SQL_ERRORS_FAILED_IDS[] =
  "SELECT record_id FROM record_errors WHERE kind = ?1 AND side = ?2 ORDER BY record_id";

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
  ok = _tdm_store_tx_begin (self, error);
  if (ok)
    {
      ok = _tdm_store_put_error (self, run_id, err, record_hash, error);
      _tdm_store_affected_add (affected, TDM_SIDE_WEBSHOP, err->record_id);
      _tdm_store_affected_add (affected, TDM_SIDE_SHOPIFY, err->record_id);
      ok = _tdm_store_tx_end_refreshed (self, err->kind, affected, ok, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

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

/* The texts in the first column of @sql's rows, with ?1 bound to @kind and,
 * unless @side is -1, ?2 to @side; NULL on error. */
static GPtrArray *
list_texts (TdmStore    *self,
            const char  *sql,
            TdmKind      kind,
            int          side,
            GError     **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok;

  g_assert (TDM_IS_STORE (self) && sql != NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int (stmt, 1, kind);
      if (side != -1)
        sqlite3_bind_int (stmt, 2, side);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        g_ptr_array_add (texts, _tdm_store_column_dup (stmt, 0));
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&texts) : NULL;
}

static GPtrArray *
tdm_store_list_failed (TdmRecordStore  *store,
                       TdmKind          kind,
                       TdmSide          side,
                       GError         **error)
{
  return list_texts (TDM_STORE (store), SQL_ERRORS_FAILED_IDS, kind, side, error);
}

/* ---- Conflicts ---- */

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
static const char SQL_CONFLICTS_SETTLED[] =
  "SELECT field, webshop_value, shopify_value, base_value, winner FROM conflicts"
  " WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'resolved' ORDER BY field";
static const char SQL_CONFLICT_UNRESOLVE[] =
  "UPDATE conflicts SET state = 'pending', winner = NULL, resolved_at = NULL"
  " WHERE kind = ?1 AND webshop_id = ?2 AND field = ?3 AND state = 'resolved'";
static const char SQL_CONFLICT_TAKE[] =
  "DELETE FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'resolved'";

static void
field_conflict_free (TdmFieldConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->field);
  g_clear_pointer (&conflict->webshop_value, json_node_unref);
  g_clear_pointer (&conflict->shopify_value, json_node_unref);
  g_clear_pointer (&conflict->base_value, json_node_unref);
  g_free (conflict);
}

/* The conflicts of one link that @sql reads (field and the three values;
 * with @resolved also the winner, column 4); NULL on error. */
static GPtrArray *
list_field_conflicts (TdmStore    *self,
                      const char  *sql,
                      TdmKind      kind,
                      const char  *webshop_id,
                      gboolean     resolved,
                      GError     **error)
{
  g_autoptr(GPtrArray) conflicts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) field_conflict_free);
  sqlite3_stmt *stmt;
  gboolean has_row, ok = FALSE;

  g_assert (TDM_IS_STORE (self) && sql != NULL && webshop_id != NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, webshop_id);
      while ((ok = _tdm_store_conn_step_row (&self->main, stmt, &has_row, error)) && has_row)
        {
          TdmFieldConflict *c = g_new0 (TdmFieldConflict, 1);

          c->field = _tdm_store_column_dup (stmt, 0);
          c->webshop_value = _tdm_store_column_json_node (stmt, 1);
          c->shopify_value = _tdm_store_column_json_node (stmt, 2);
          c->base_value = _tdm_store_column_json_node (stmt, 3);
          if (resolved)
            c->winner = sqlite3_column_int (stmt, 4);
          c->resolved = resolved;
          g_ptr_array_add (conflicts, c);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&conflicts) : NULL;
}

static GPtrArray *
tdm_store_list_conflicts (TdmRecordStore  *store,
                          TdmKind          kind,
                          const char      *webshop_id,
                          GError         **error)
{
  return list_field_conflicts (TDM_STORE (store), SQL_CONFLICTS_OF_LINK, kind, webshop_id,
                               FALSE, error);
}

/* Records the owner's choice of @winner for a pending conflict (@resolve),
 * or takes back a choice no run has applied yet; a conflict no longer in
 * the state the change expects is an error that says what happened. */
static gboolean
set_conflict_choice (TdmStore    *self,
                     TdmKind      kind,
                     const char  *webshop_id,
                     const char  *field,
                     gboolean     resolve,
                     TdmSide      winner,
                     GError     **error)
{
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok;

  g_assert (TDM_IS_STORE (self) && webshop_id != NULL && field != NULL);

  _tdm_store_lock (self);
  ok = _tdm_store_tx_begin (self, error);
  if (ok)
    {
      stmt = _tdm_store_conn_prepare (&self->main,
                                      resolve ? SQL_CONFLICT_RESOLVE : SQL_CONFLICT_UNRESOLVE,
                                      error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int (stmt, 1, kind);
          _tdm_store_bind_text (stmt, 2, webshop_id);
          _tdm_store_bind_text (stmt, 3, field);
          if (resolve)
            {
              sqlite3_bind_int (stmt, 4, winner);
              sqlite3_bind_int64 (stmt, 5, _tdm_store_now_unix ());
            }
          ok = _tdm_store_conn_step_done (&self->main, stmt, error);
        }
      if (ok && sqlite3_changes (self->main.db) == 0)
        {
          if (resolve)
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                         _("The conflict on “%s” of %s %s is no longer waiting for a choice; "
                           "a later sync has settled it. Refresh the list of conflicts."),
                         field, tdm_kind_display_name (kind), webshop_id);
          else
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                         _("The choice for “%s” of %s %s was already written by a sync and "
                           "cannot be taken back. Change the value in the shop instead."),
                         field, tdm_kind_display_name (kind), webshop_id);
          ok = FALSE;
        }
      _tdm_store_affected_add (affected, TDM_SIDE_WEBSHOP, webshop_id);
      ok = _tdm_store_tx_end_refreshed (self, kind, affected, ok, error);
    }
  _tdm_store_unlock (self);
  return ok;
}

static gboolean
tdm_store_resolve_conflict (TdmRecordStore  *store,
                            TdmKind          kind,
                            const char      *webshop_id,
                            const char      *field,
                            TdmSide          winner,
                            GError         **error)
{
  return set_conflict_choice (TDM_STORE (store), kind, webshop_id, field, TRUE, winner, error);
}

/* The owner's choices no run has applied yet (TdmFieldConflict*, resolved
 * and with the chosen side as winner), so the record details can say what
 * will be written. */
GPtrArray *
tdm_store_list_settled_conflicts (TdmStore    *self,
                                  TdmKind      kind,
                                  const char  *webshop_id,
                                  GError     **error)
{
  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  g_return_val_if_fail (webshop_id != NULL, NULL);

  return list_field_conflicts (self, SQL_CONFLICTS_SETTLED, kind, webshop_id, TRUE, error);
}

/* Takes back a choice no run has applied yet (the owner's Undo): the
 * conflict waits for a choice again. */
gboolean
tdm_store_unresolve_conflict (TdmStore    *self,
                              TdmKind      kind,
                              const char  *webshop_id,
                              const char  *field,
                              GError     **error)
{
  g_return_val_if_fail (TDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (webshop_id != NULL && field != NULL, FALSE);

  return set_conflict_choice (self, kind, webshop_id, field, FALSE, TDM_SIDE_WEBSHOP, error);
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
  ok = _tdm_store_tx_begin (self, error);
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
      ok = _tdm_store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&resolutions) : NULL;
}

static GPtrArray *
tdm_store_list_resolved (TdmRecordStore  *store,
                         TdmKind          kind,
                         GError         **error)
{
  return list_texts (TDM_STORE (store), SQL_CONFLICT_RESOLVED_LINKS, kind, -1, error);
}

/* ---- The review list ---- */

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

void
_tdm_store_conflicts_iface_init (TdmRecordStoreInterface *iface)
{
  iface->set_record_error = tdm_store_set_record_error;
  iface->get_error_hash = tdm_store_get_error_hash;
  iface->list_failed = tdm_store_list_failed;
  iface->list_conflicts = tdm_store_list_conflicts;
  iface->resolve_conflict = tdm_store_resolve_conflict;
  iface->take_resolutions = tdm_store_take_resolutions;
  iface->list_resolved = tdm_store_list_resolved;
  iface->add_review = tdm_store_add_review;
  iface->clear_review = tdm_store_clear_review;
}
