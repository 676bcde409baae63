/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include "tdm-store-private.h"

/* Links between twins and the cache of each side's latest record: reading
 * them, and the TdmRecordStore calls lookup_link, delete_link, list_links,
 * list_unlinked and lookup_cached. See docs/sync.md, "Words". */

/* ---- Links ---- */

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
  TdmLink *link;
  g_autoptr(JsonObject) ws = NULL;
  g_autoptr(JsonObject) sh = NULL;

  g_assert (stmt != NULL);

  link = tdm_link_new (kind,
                       (const char *) sqlite3_column_text (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 1));
  ws = _tdm_store_column_json_object (stmt, 2);
  sh = _tdm_store_column_json_object (stmt, 3);
  tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, ws, (const char *) sqlite3_column_text (stmt, 4));
  tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, sh, (const char *) sqlite3_column_text (stmt, 5));
  link->orphaned = sqlite3_column_int (stmt, 6) != 0;
  if (last_synced != NULL)
    *last_synced = sqlite3_column_int64 (stmt, 7);
  return link;
}

TdmLink *
_tdm_store_find_link (TdmStore    *self,
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

  g_assert (TDM_IS_STORE (self));
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

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

/* ---- The record cache ---- */

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

  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  if (sqlite3_column_int (stmt, 6) != 0)
    {
      record = tdm_record_new_tombstone (side, kind, id, updated_at);
    }
  else
    {
      g_autoptr(JsonObject) fields = _tdm_store_column_json_object (stmt, 1);
      g_autoptr(JsonObject) native = _tdm_store_column_json_object (stmt, 2);

      record = tdm_record_new (side, kind, id, updated_at,
                               (const char *) sqlite3_column_text (stmt, 4),
                               fields, native);
    }
  tdm_record_set_twin_id (record, (const char *) sqlite3_column_text (stmt, 5));
  return record;
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

  g_assert (TDM_IS_STORE (self) && sql != NULL);

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

/* ---- TdmRecordStore ---- */

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
  link = _tdm_store_find_link (self, kind, side, id, TRUE, NULL, error);
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
  ok = _tdm_store_tx_begin (self, error);
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
          _tdm_store_affected_add (affected, side, id);
          old = _tdm_store_find_link (self, kind, side, id, FALSE, NULL, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              ok = FALSE;
            }
          else if (old != NULL)
            {
              _tdm_store_affected_add (affected, TDM_SIDE_WEBSHOP, old->webshop_id);
              _tdm_store_affected_add (affected, TDM_SIDE_SHOPIFY, old->shopify_id);
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
      ok = _tdm_store_tx_end_refreshed (self, kind, affected, ok, error);
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

void
_tdm_store_links_iface_init (TdmRecordStoreInterface *iface)
{
  iface->lookup_link = tdm_store_lookup_link;
  iface->delete_link = tdm_store_delete_link;
  iface->list_links = tdm_store_list_links;
  iface->list_unlinked = tdm_store_list_unlinked;
  iface->lookup_cached = tdm_store_lookup_cached;
}
