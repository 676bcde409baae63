/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include "tdm-store-private.h"

/* The lists the Activity page, the Conflicts and Errors views and the
 * record detail show: runs, record errors, pending conflicts, the review
 * list and a record's history, each with the titles of the view rows. */

/* ---- Plain structs ---- */

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

/* ---- Runs ---- */

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

/* ---- Record errors and conflicts ---- */

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
          c->webshop_value = _tdm_store_column_json_node (stmt, 5);
          c->shopify_value = _tdm_store_column_json_node (stmt, 6);
          c->base_value = _tdm_store_column_json_node (stmt, 7);
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

/* ---- The review list ---- */

static const char SQL_REVIEW_LIST[] =
  "SELECT kind, side, record_id, reason, candidates FROM review_items"
  " WHERE ?1 < 0 OR kind = ?1 ORDER BY created_at, id";

static TdmReviewItem *
review_item_from_row (sqlite3_stmt *stmt)
{
  TdmReviewItem *item = g_new0 (TdmReviewItem, 1);
  g_autoptr(JsonNode) candidates = NULL;

  g_assert (stmt != NULL);

  candidates = _tdm_store_column_json_node (stmt, 4);
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
  return item;
}

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
        g_ptr_array_add (items, review_item_from_row (stmt));
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return ok ? g_steal_pointer (&items) : NULL;
}

/* ---- History ---- */

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
