/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-store-private.h"

/* TdmRecordStore.commit (): a link, the cached records, the outbox op it
 * completes, history, a record error and conflicts, and the view rows of
 * everything touched, in one transaction. See docs/sync.md, "Crash
 * safety". */

/* ---- Statements ---- */

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
/* The fields of the failed version stay until another version with fields
 * fails (format 4). */
static const char SQL_ERROR_UPSERT[] =
  "INSERT INTO record_errors (kind, side, record_id, field, message, existing_id, record_hash,"
  " first_seen, last_seen, run_id, fields)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)"
  " ON CONFLICT (kind, side, record_id) DO UPDATE SET"
  " field = excluded.field, message = excluded.message, existing_id = excluded.existing_id,"
  " record_hash = excluded.record_hash, last_seen = excluded.last_seen, run_id = excluded.run_id,"
  " fields = coalesce (excluded.fields, fields)";
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

/* ---- Writing one part ---- */

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

  g_assert (TDM_IS_STORE (self) && record != NULL);

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

  g_assert (TDM_IS_STORE (self) && link != NULL);

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

/* Stores (or replaces) the record error of one record. Unlocked. */
gboolean
_tdm_store_put_error_full (TdmStore              *self,
                           gint64                 run_id,
                           const TdmRecordError  *err,
                           const char            *record_hash,
                           const char            *fields_text,
                           GError               **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self) && err != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERROR_UPSERT, error);
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
  _tdm_store_bind_text_static (stmt, 10, fields_text);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

gboolean
_tdm_store_put_error (TdmStore              *self,
                      gint64                 run_id,
                      const TdmRecordError  *err,
                      const char            *record_hash,
                      GError               **error)
{
  return _tdm_store_put_error_full (self, run_id, err, record_hash, NULL, error);
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

  g_assert (TDM_IS_STORE (self));

  if (a == NULL && b == NULL)
    return TRUE;
  /* Most records have no error: a read is cheaper than a DELETE (which
   * opens the table and its three indexes for writing). */
  if (!_tdm_store_record_has_error (self, kind, a, b, &exists, error))
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
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert (TDM_IS_STORE (self) && affected != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, SQL_LINKS_TOUCHING, error);
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

/* Marks an outbox op; an unknown op id is an error. Unlocked. */
gboolean
_tdm_store_set_outbox_state (TdmStore    *self,
                             const char  *op_id,
                             const char  *state,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self) && state != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, SQL_OUTBOX_SET_STATE, error);
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


/* ---- The steps of a commit ---- */

/* One commit as it goes. */
typedef struct {
  const TdmCommit *commit;
  TdmKind          kind;
  const char      *webshop_id;                /* the link's ids, else the cached records' */
  const char      *shopify_id;
  gint64           now;
  char            *cache_text[TDM_N_SIDES];   /* canonical text of each cached record's fields */
  GPtrArray       *affected;                  /* "side:id" of the view rows to rebuild */
  TdmCommitState   cs;                        /* what the view code may take as known */
} CommitRun;

static void
commit_run_init (CommitRun       *run,
                 const TdmCommit *commit)
{
  g_assert (run != NULL && commit != NULL);

  memset (run, 0, sizeof *run);
  run->commit = commit;
  run->kind = commit->kind;
  run->now = _tdm_store_now_unix ();
  run->affected = g_ptr_array_new_with_free_func (g_free);
  if (commit->link != NULL)
    {
      run->webshop_id = commit->link->webshop_id;
      run->shopify_id = commit->link->shopify_id;
    }
  if (run->webshop_id == NULL && commit->cache[TDM_SIDE_WEBSHOP] != NULL)
    run->webshop_id = commit->cache[TDM_SIDE_WEBSHOP]->id;
  if (run->shopify_id == NULL && commit->cache[TDM_SIDE_SHOPIFY] != NULL)
    run->shopify_id = commit->cache[TDM_SIDE_SHOPIFY]->id;
}

static void
commit_run_clear (CommitRun *run)
{
  for (int side = 0; side < TDM_N_SIDES; side++)
    g_clear_pointer (&run->cache_text[side], g_free);
  g_clear_pointer (&run->affected, g_ptr_array_unref);
  g_clear_pointer (&run->cs.failed_fields, json_object_unref);
}

/* 1. The record cache. */
static gboolean
commit_put_records (TdmStore   *self,
                    CommitRun  *run,
                    GError    **error)
{
  g_assert (TDM_IS_STORE (self) && run != NULL);

  for (int side = 0; side < TDM_N_SIDES; side++)
    {
      TdmRecord *record = run->commit->cache[side];

      if (record == NULL)
        continue;
      if (!store_put_record (self, run->kind, record, &run->cache_text[side], error))
        return FALSE;
      run->cs.record[side] = record;
      _tdm_store_affected_add (run->affected, side, record->id);
    }
  return TRUE;
}

/* 2. The outbox op that this commit completes. */
static gboolean
commit_finish_outbox (TdmStore   *self,
                      CommitRun  *run,
                      GError    **error)
{
  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (run->commit->outbox_done == NULL)
    return TRUE;
  return _tdm_store_set_outbox_state (self, run->commit->outbox_done, "done", error);
}

/* 3. The link, remembering the records a replaced link pointed at. */
static gboolean
commit_put_link (TdmStore   *self,
                 CommitRun  *run,
                 GError    **error)
{
  TdmLink *link = run->commit->link;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (link == NULL)
    return TRUE;
  if (!store_links_touching (self, run->kind, link->webshop_id, link->shopify_id, run->affected,
                             error))
    return FALSE;
  if (link->kind != run->kind)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save a link of one kind of record under "
                             "another kind. Nothing of this change was saved; please "
                             "report this problem."));
      return FALSE;
    }
  return store_put_link (self, link, run->commit->cache, run->cache_text, run->now, error);
}

/* 4. History. */
static gboolean
commit_put_history (TdmStore   *self,
                    CommitRun  *run,
                    GError    **error)
{
  const TdmCommit *commit = run->commit;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  for (guint i = 0; commit->history != NULL && i < commit->history->len; i++)
    {
      TdmHistoryEntry *entry = g_ptr_array_index (commit->history, i);
      sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_HISTORY_INSERT, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, commit->run_id);
      sqlite3_bind_int (stmt, 2, run->kind);
      _tdm_store_bind_text (stmt, 3, run->webshop_id);
      _tdm_store_bind_text (stmt, 4, run->shopify_id);
      sqlite3_bind_int (stmt, 5, entry->side);
      _tdm_store_bind_text (stmt, 6, entry->action);
      _tdm_store_bind_text (stmt, 7, entry->field);
      _tdm_store_bind_text (stmt, 8, entry->before);
      _tdm_store_bind_text (stmt, 9, entry->after);
      sqlite3_bind_int64 (stmt, 10, run->now);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- A version that failed ---- */

/* The value at a dot path of a native record, as text: a plain value only
 * (a path through a list or to an app metafield, or to an object, gives
 * NULL). */
static char *
native_text_at (JsonObject *native,
                const char *path)
{
  g_auto(GStrv) segments = NULL;
  JsonObject *object = native;
  guint last;

  g_assert (native != NULL);

  if (path == NULL || *path == '\0' || strstr (path, "[]") != NULL ||
      g_str_has_prefix (path, "metafield:"))
    return NULL;
  segments = g_strsplit (path, ".", -1);
  last = g_strv_length (segments) - 1;
  for (guint i = 0; i < last && object != NULL; i++)
    {
      JsonNode *node = json_object_has_member (object, segments[i])
                         ? json_object_get_member (object, segments[i]) : NULL;

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return _tdm_store_member_text (object, segments[last]);
}

/* The fields a version that failed is stored with: its own, and the value
 * that cannot be used (so not among them) as its shop holds it, as text
 * under the error's field, read from the native record through the field's
 * mapping row: its row in the lists and its details show which record it
 * is (docs/sync.md, Normalization). Under the store's lock. */
static JsonObject *
failed_fields_new (TdmStore             *self,
                   TdmRecord            *failed,
                   const TdmRecordError *err)
{
  const TdmMappingRow *row;
  g_autofree char *text = NULL;
  JsonObject *fields;

  g_assert (TDM_IS_STORE (self) && failed != NULL && err != NULL);

  if (err->field == NULL || failed->native == NULL || self->mapping == NULL ||
      json_object_has_member (failed->fields, err->field))
    return json_object_ref (failed->fields);
  row = tdm_mapping_find_row (self->mapping, failed->kind, err->field);
  if (row != NULL)
    text = native_text_at (failed->native,
                           failed->side == TDM_SIDE_WEBSHOP ? row->webshop : row->shopify);
  if (text == NULL || *text == '\0')
    return json_object_ref (failed->fields);
  fields = tdm_json_object_copy (failed->fields);
  json_object_set_string_member (fields, err->field, text);
  return fields;
}

/* 5. Record errors: clear those of the records in this commit, then store
 *    the new one (with the hash of the version that failed, and that
 *    version's fields when it is not cached). */
static gboolean
commit_put_errors (TdmStore   *self,
                   CommitRun  *run,
                   GError    **error)
{
  const TdmCommit *commit = run->commit;
  const TdmRecordError *err = commit->error;
  TdmRecord *failed = commit->failed;
  g_autofree char *fields = NULL;
  const char *hash = NULL;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (commit->clear_errors)
    {
      if (!store_clear_errors (self, run->kind, run->webshop_id, run->shopify_id, error))
        return FALSE;
      if (err == NULL)
        {
          run->cs.clean[TDM_SIDE_WEBSHOP] = run->webshop_id;
          run->cs.clean[TDM_SIDE_SHOPIFY] = run->shopify_id;
        }
    }
  if (err == NULL)
    return TRUE;

  for (int side = 0; side < TDM_N_SIDES; side++)
    {
      TdmRecord *record = commit->cache[side];

      if (record != NULL && !record->deleted && g_strcmp0 (record->id, err->record_id) == 0)
        hash = tdm_record_get_hash (record);
    }
  if (err->kind != run->kind)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save an error of one kind of record under "
                             "another kind. Nothing of this change was saved; please "
                             "report this problem."));
      return FALSE;
    }
  /* A version that could not be read is not cached, but listed: its fields
   * go with the error. */
  if (failed != NULL && (failed->deleted || failed->side != err->side ||
                         g_strcmp0 (failed->id, err->record_id) != 0))
    failed = NULL;
  if (failed != NULL)
    {
      run->cs.failed_fields = failed_fields_new (self, failed, err);
      fields = object_text (run->cs.failed_fields);
      if (hash == NULL)
        hash = tdm_record_get_hash (failed);
      run->cs.failed = failed;
    }
  if (!_tdm_store_put_error_full (self, commit->run_id, err, hash, fields, error))
    return FALSE;
  _tdm_store_affected_add (run->affected, TDM_SIDE_WEBSHOP, err->record_id);
  _tdm_store_affected_add (run->affected, TDM_SIDE_SHOPIFY, err->record_id);
  return TRUE;
}

/* 6a. The conflicts of the link (ask policy), pending again. */
static gboolean
commit_put_conflicts (TdmStore   *self,
                      CommitRun  *run,
                      GError    **error)
{
  GPtrArray *conflicts = run->commit->conflicts;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (conflicts != NULL && conflicts->len > 0 && run->webshop_id == NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                           _("Tandem tried to save a conflict for a record that is not linked. "
                             "Nothing of this change was saved; please report this problem."));
      return FALSE;
    }
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      TdmFieldConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *wv = node_text (c->webshop_value);
      g_autofree char *sv = node_text (c->shopify_value);
      g_autofree char *bv = node_text (c->base_value);
      sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_UPSERT, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, run->kind);
      _tdm_store_bind_text (stmt, 2, run->webshop_id);
      _tdm_store_bind_text (stmt, 3, c->field);
      _tdm_store_bind_text (stmt, 4, wv);
      _tdm_store_bind_text (stmt, 5, sv);
      _tdm_store_bind_text (stmt, 6, bv);
      sqlite3_bind_int64 (stmt, 7, run->now);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
commit_has_conflict_on (const TdmCommit *commit,
                        const char      *field)
{
  g_assert (commit != NULL);

  for (guint i = 0; commit->conflicts != NULL && i < commit->conflicts->len; i++)
    {
      TdmFieldConflict *c = g_ptr_array_index (commit->conflicts, i);

      if (g_strcmp0 (c->field, field) == 0)
        return TRUE;
    }
  return FALSE;
}

/* 6b. With clear_conflicts: the pending conflicts of the link on fields
 *     that this commit does not hold go (they were settled). */
static gboolean
commit_drop_settled_conflicts (TdmStore   *self,
                               CommitRun  *run,
                               GError    **error)
{
  g_autoptr(GPtrArray) stale = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (!run->commit->clear_conflicts || run->webshop_id == NULL)
    return TRUE;

  stale = g_ptr_array_new_with_free_func (g_free);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_PENDING_FIELDS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, run->kind);
  _tdm_store_bind_text (stmt, 2, run->webshop_id);
  while (TRUE)
    {
      const char *field;

      if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      field = (const char *) sqlite3_column_text (stmt, 0);
      if (!commit_has_conflict_on (run->commit, field))
        g_ptr_array_add (stale, g_strdup (field));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < stale->len; i++)
    {
      stmt = _tdm_store_conn_prepare (&self->main, SQL_CONFLICT_DELETE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, run->kind);
      _tdm_store_bind_text (stmt, 2, run->webshop_id);
      _tdm_store_bind_text (stmt, 3, g_ptr_array_index (stale, i));
      if (!_tdm_store_conn_step_done (&self->main, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* 7. The view rows of everything touched: the link's row directly, then
 *    the rows of records it may have taken from other rows. */
static gboolean
commit_refresh_views (TdmStore   *self,
                      CommitRun  *run,
                      GError    **error)
{
  const TdmCommit *commit = run->commit;
  TdmLink *link = commit->link;
  g_autoptr(GHashTable) done = NULL;

  g_assert (TDM_IS_STORE (self) && run != NULL);

  if (commit->clear_errors || commit->conflicts != NULL || commit->clear_conflicts)
    {
      _tdm_store_affected_add (run->affected, TDM_SIDE_WEBSHOP, run->webshop_id);
      _tdm_store_affected_add (run->affected, TDM_SIDE_SHOPIFY, run->shopify_id);
    }

  done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (link != NULL)
    {
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id));
      g_hash_table_add (done, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id));
      if (!_tdm_store_view_put (self, run->kind, link->webshop_id, link->shopify_id,
                                link->orphaned ? TDM_LINK_STATUS_ORPHANED : TDM_LINK_STATUS_LINKED,
                                run->now, &run->cs, error))
        return FALSE;
    }
  return _tdm_store_refresh_affected (self, run->kind, run->affected, done, &run->cs, error);
}

/* The steps in order, inside the caller's transaction. Unlocked. */
static gboolean
store_commit_unlocked (TdmStore         *self,
                       const TdmCommit  *commit,
                       GError          **error)
{
  CommitRun run;
  gboolean ok;

  g_assert (TDM_IS_STORE (self) && commit != NULL);

  commit_run_init (&run, commit);
  ok = commit_put_records (self, &run, error) &&
       commit_finish_outbox (self, &run, error) &&
       commit_put_link (self, &run, error) &&
       commit_put_history (self, &run, error) &&
       commit_put_errors (self, &run, error) &&
       commit_put_conflicts (self, &run, error) &&
       commit_drop_settled_conflicts (self, &run, error) &&
       commit_refresh_views (self, &run, error);
  commit_run_clear (&run);
  return ok;
}

/* ---- TdmRecordStore ---- */

static gboolean
tdm_store_commit (TdmRecordStore   *store,
                  const TdmCommit  *commit,
                  GError          **error)
{
  TdmStore *self = TDM_STORE (store);
  gboolean ok;

  _tdm_store_lock (self);
  ok = _tdm_store_tx_begin (self, error);
  if (ok)
    {
      ok = store_commit_unlocked (self, commit, error);
      ok = _tdm_store_tx_end (self, ok, ok ? error : NULL);
    }
  _tdm_store_unlock (self);
  return ok;
}

void
_tdm_store_commit_iface_init (TdmRecordStoreInterface *iface)
{
  iface->commit = tdm_store_commit;
}
