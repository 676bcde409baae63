/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <string.h>

#include "tdm-store-private.h"

/* The entity views read one row per pair of twins (or per record without a
 * twin) from view_rows, and search it through the FTS index view_fts. This
 * file keeps both in step with the records, links, errors and conflicts,
 * inside the transaction that changed them; tdm-store-query.c reads them. */

/* ---- The search index queue ---- */

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

gboolean
_tdm_store_fts_setup (TdmStore  *self,
                      GError   **error)
{
  g_assert (TDM_IS_STORE (self) && self->main.db != NULL);

  return _tdm_store_conn_exec (&self->main, SQL_FTS_QUEUE_SETUP, error);
}

/* Queues a change of the search index (applied by _tdm_store_flush_fts). */
static gboolean
store_fts_queue (TdmStore    *self,
                 gboolean     delete,
                 gint64       id,
                 const char  *search,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self));

  stmt = _tdm_store_conn_prepare (&self->main, SQL_FTS_QUEUE_ADD, error);
  if (stmt == NULL)
    return FALSE;
  _tdm_store_bind_text (stmt, 1, delete ? "delete" : NULL);
  sqlite3_bind_int64 (stmt, 2, id);
  _tdm_store_bind_text (stmt, 3, search);
  return _tdm_store_conn_step_done (&self->main, stmt, error);
}

/* Applies the queued view changes to the search index. Inside the
 * transaction, before COMMIT. */
gboolean
_tdm_store_flush_fts (TdmStore  *self,
                      GError   **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self));

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

/* ---- What a row shows ---- */

/* The columns of a view row, in the order of the numbered parameters of the
 * statements below (?1 … ?14; ?15 is the row id, ?16 the kind). */
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
  VIEW_COL_EXTRA3,
  VIEW_COL_CURRENCY,
  VIEW_N_COLS
};

#define VIEW_PARAM_ID   "?15"
#define VIEW_PARAM_KIND "?16"

static const char *const view_col_names[VIEW_N_COLS] = {
  "webshop_id", "shopify_id", "status", "title", "subtitle", "extra", "extra2",
  "title_key", "subtitle_key", "extra_key", "last_synced", "search", "extra3", "currency",
};

/* The row a pair should have. */
typedef struct {
  TdmKind                kind;
  const char            *webshop_id;
  const char            *shopify_id;
  TdmLinkStatus          status;
  gint64                 last_synced;
  const TdmStoreDisplay *d;           /* NULL: the pair has no row */
} ViewRow;

/* The existing view rows of a pair: ?1 kind, ?2 webshop id, ?3 Shopify id. */
#define VIEW_ROW_COLUMNS \
  "id, webshop_id, shopify_id, status, title, subtitle, extra, extra2," \
  " title_key, subtitle_key, extra_key, last_synced, search, extra3, currency"
static const char SQL_VIEW_ROWS_OF_PAIR[] =
  "SELECT " VIEW_ROW_COLUMNS " FROM view_rows WHERE kind = ?1 AND webshop_id = ?2"
  " UNION ALL SELECT " VIEW_ROW_COLUMNS " FROM view_rows WHERE kind = ?1 AND shopify_id = ?3";
static const char SQL_VIEW_INSERT[] =
  "INSERT INTO view_rows (kind, webshop_id, shopify_id, status, title, subtitle, extra, extra2,"
  " title_key, subtitle_key, extra_key, last_synced, search, extra3, currency)"
  " VALUES (" VIEW_PARAM_KIND ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char SQL_VIEW_DELETE[] =
  "DELETE FROM view_rows WHERE id = ?1";
/* The fields of a cached record (not a tombstone). */
static const char SQL_RECORD_FIELDS[] =
  "SELECT fields FROM records WHERE kind = ?1 AND side = ?2 AND id = ?3 AND deleted = 0";
/* A linked product's webshop record and, in the same read, the fields of
 * its Shopify twin (?4), for the stock its own copy may not have. */
static const char SQL_RECORD_FIELDS_WITH_TWIN[] =
  "SELECT r.fields, t.fields FROM records r"
  " LEFT JOIN records t ON t.kind = r.kind AND t.side = 1 AND t.id = ?4 AND t.deleted = 0"
  " WHERE r.kind = ?1 AND r.side = ?2 AND r.id = ?3 AND r.deleted = 0";
/* A record that is not cached but has an error: the fields of the version
 * that failed, when the error came with them (format 4). */
static const char SQL_ERROR_FIELDS[] =
  "SELECT fields FROM record_errors WHERE kind = ?1 AND side = ?2 AND record_id = ?3";
/* (Not "record_id IN (?2, ?3)": SQLite builds a temporary b-tree for the
 * list at every run.) */
static const char SQL_HAS_ERROR[] =
  "SELECT 1 FROM record_errors WHERE kind = ?1 AND record_id = ?2"
  " UNION ALL SELECT 1 FROM record_errors WHERE kind = ?1 AND record_id = ?3 LIMIT 1";
static const char SQL_HAS_CONFLICT[] =
  "SELECT 1 FROM conflicts WHERE kind = ?1 AND webshop_id = ?2 AND +state = 'pending' LIMIT 1";

static gboolean
commit_state_is_clean (const TdmCommitState *cs,
                       const char           *id)
{
  g_assert (cs != NULL);

  if (id == NULL)
    return TRUE;
  for (int side = 0; side < TDM_N_SIDES; side++)
    if (cs->clean[side] != NULL && strcmp (cs->clean[side], id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
store_exists (TdmStore    *self,
              const char  *sql,
              TdmKind      kind,
              const char  *a,
              const char  *b,
              gboolean    *exists,
              GError     **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self) && sql != NULL && exists != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
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

/* Whether a record error is stored for the record `a` or `b` (either may
 * be NULL). Unlocked. */
gboolean
_tdm_store_record_has_error (TdmStore    *self,
                             TdmKind      kind,
                             const char  *a,
                             const char  *b,
                             gboolean    *exists,
                             GError     **error)
{
  return store_exists (self, SQL_HAS_ERROR, kind, a, b, exists, error);
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

/* Is `id` one of `side`'s own ids? Shopify's are GIDs, the webshop's are
 * not. (Older versions stored the error of a failed create under the side
 * that refused it with the source's id: that error shows on the source's
 * own row, not on a row of its own.) */
static gboolean
id_fits_side (const char *id,
              TdmSide     side)
{
  g_assert (id != NULL);

  return g_str_has_prefix (id, "gid://") == (side == TDM_SIDE_SHOPIFY);
}

/* A linked product's Shopify twin, read with its webshop record for the
 * stock (view_stock_from_twin ()). */
typedef struct {
  const char *id;
  gboolean    read;       /* the read of the webshop record found it */
  JsonObject *fields;     /* the twin's fields; NULL when it is not cached */
} ViewTwin;

static void
view_twin_clear (ViewTwin *twin)
{
  g_clear_pointer (&twin->fields, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ViewTwin, view_twin_clear)

/* Reads the fields of (side, id) with `sql` (?1 kind, ?2 side, ?3 id) and
 * computes its display columns; FALSE in *found without a row. A row whose
 * fields are NULL shows the id, if the id is the side's own. With `twin`
 * (nullable), `sql` also binds ?4 to its id and reads its fields in a
 * second column. */
static gboolean
view_read_fields (TdmStore         *self,
                  const char       *sql,
                  TdmKind           kind,
                  TdmSide           side,
                  const char       *id,
                  ViewTwin         *twin,
                  TdmStoreDisplay  *d,
                  gboolean         *found,
                  GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert (TDM_IS_STORE (self) && sql != NULL && id != NULL);
  g_assert (d != NULL && found != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int (stmt, 2, side);
  _tdm_store_bind_text (stmt, 3, id);
  if (twin != NULL)
    _tdm_store_bind_text (stmt, 4, twin->id);
  if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
    return FALSE;
  if (has_row && (sqlite3_column_type (stmt, 0) != SQLITE_NULL || id_fits_side (id, side)))
    {
      g_autoptr(JsonObject) fields = _tdm_store_column_json_object (stmt, 0);

      _tdm_store_display_compute (d, kind, fields, id);
      *found = TRUE;
    }
  if (has_row && twin != NULL)
    {
      twin->read = TRUE;
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        twin->fields = _tdm_store_column_json_object (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Does this commit hold the record (side, id)? */
static TdmRecord *
commit_state_record (const TdmCommitState *cs,
                     TdmSide               side,
                     const char           *id)
{
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  if (cs == NULL || id == NULL || cs->record[side] == NULL ||
      strcmp (cs->record[side]->id, id) != 0)
    return NULL;
  return cs->record[side];
}

/* The display columns of the record (side, id): from what this commit
 * stored, the records table, or, for a record that is not cached but has
 * an error, the version that failed. FALSE in *found when there is none
 * of these, or the record is a tombstone. With `twin` (nullable): its
 * Shopify twin, read with the record when that is read from the table. */
static gboolean
view_record_display (TdmStore              *self,
                     TdmKind                kind,
                     TdmSide                side,
                     const char            *id,
                     const TdmCommitState  *cs,
                     ViewTwin              *twin,
                     TdmStoreDisplay       *d,
                     gboolean              *found,
                     GError               **error)
{
  TdmRecord *held;

  g_assert (TDM_IS_STORE (self));
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);
  g_assert (id != NULL && d != NULL && found != NULL);

  memset (d, 0, sizeof *d);
  *found = FALSE;
  if ((held = commit_state_record (cs, side, id)) != NULL)
    {
      if (held->deleted)
        return TRUE;
      _tdm_store_display_compute (d, kind, held->fields, id);
      *found = TRUE;
      return TRUE;
    }

  if (!view_read_fields (self, twin != NULL ? SQL_RECORD_FIELDS_WITH_TWIN : SQL_RECORD_FIELDS,
                         kind, side, id, twin, d, found, error))
    return FALSE;
  if (*found)
    return TRUE;

  /* Not cached: a version that failed (kept with its error), or the id of
   * a record that has an error and nothing else to show. (A failed create
   * without a source id is stored under the id "": no row.) */
  if (*id == '\0')
    return TRUE;
  if (cs != NULL && cs->failed != NULL && cs->failed->side == side &&
      strcmp (cs->failed->id, id) == 0)
    {
      _tdm_store_display_compute (d, kind, cs->failed_fields, id);
      *found = TRUE;
      return TRUE;
    }
  return view_read_fields (self, SQL_ERROR_FIELDS, kind, side, id, NULL, d, found, error);
}

/* ---- Writing one row ---- */

static void
view_bind_values (sqlite3_stmt  *stmt,
                  const ViewRow *row)
{
  const TdmStoreDisplay *d = row->d;

  g_assert (stmt != NULL && d != NULL);

  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_WEBSHOP_ID, row->webshop_id);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SHOPIFY_ID, row->shopify_id);
  sqlite3_bind_int (stmt, 1 + VIEW_COL_STATUS, row->status);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_TITLE, d->title);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SUBTITLE, d->subtitle);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_EXTRA, d->extra);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_EXTRA2, d->extra2);
  _tdm_store_bind_key (stmt, 1 + VIEW_COL_TITLE_KEY, d->title_key, d->title_numeric);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SUBTITLE_KEY, d->subtitle_key);
  _tdm_store_bind_key (stmt, 1 + VIEW_COL_EXTRA_KEY, d->extra_key, d->extra_numeric);
  sqlite3_bind_int64 (stmt, 1 + VIEW_COL_LAST_SYNCED, row->last_synced);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_SEARCH, d->search);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_EXTRA3, d->extra3);
  _tdm_store_bind_text_static (stmt, 1 + VIEW_COL_CURRENCY, d->currency);
}

/* The existing rows of a pair, as view_read_pair () found them. */
typedef struct {
  gint64     keep;          /* the row updated in place; 0 = none */
  guint      changed;       /* its columns that differ: 1 << VIEW_COL_x */
  char      *old_search;    /* its search text, when that changed */
  GArray    *drop;          /* the other rows (gint64 ids) */
  GPtrArray *drop_search;   /* and their search texts */
} ViewPairRows;

static void
view_pair_rows_clear (ViewPairRows *rows)
{
  g_clear_pointer (&rows->old_search, g_free);
  g_clear_pointer (&rows->drop, g_array_unref);
  g_clear_pointer (&rows->drop_search, g_ptr_array_unref);
}

/* The columns of the current row of `stmt` (1 + VIEW_COL_x is the column)
 * that differ from `row`. */
static guint
view_changed_columns (sqlite3_stmt  *stmt,
                      const ViewRow *row)
{
  const TdmStoreDisplay *d = row->d;
  guint changed = 0;

  g_assert (stmt != NULL && d != NULL);

  if (!column_equals (stmt, 1 + VIEW_COL_WEBSHOP_ID, row->webshop_id, FALSE))
    changed |= 1u << VIEW_COL_WEBSHOP_ID;
  if (!column_equals (stmt, 1 + VIEW_COL_SHOPIFY_ID, row->shopify_id, FALSE))
    changed |= 1u << VIEW_COL_SHOPIFY_ID;
  if (sqlite3_column_type (stmt, 1 + VIEW_COL_STATUS) != SQLITE_INTEGER ||
      sqlite3_column_int (stmt, 1 + VIEW_COL_STATUS) != (int) row->status)
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
  if (sqlite3_column_int64 (stmt, 1 + VIEW_COL_LAST_SYNCED) != row->last_synced)
    changed |= 1u << VIEW_COL_LAST_SYNCED;
  if (!column_equals (stmt, 1 + VIEW_COL_SEARCH, d->search, FALSE))
    changed |= 1u << VIEW_COL_SEARCH;
  if (!column_equals (stmt, 1 + VIEW_COL_EXTRA3, d->extra3, FALSE))
    changed |= 1u << VIEW_COL_EXTRA3;
  if (!column_equals (stmt, 1 + VIEW_COL_CURRENCY, d->currency, FALSE))
    changed |= 1u << VIEW_COL_CURRENCY;
  return changed;
}

/* Reads the existing rows of the pair: the first is kept (when the pair
 * should have a row) and compared column by column; the others are to be
 * dropped (normally at most one: a one-sided row merging into the linked
 * one; more is earlier damage, removed too so the record shows once). */
static gboolean
view_read_pair (TdmStore       *self,
                const ViewRow  *row,
                ViewPairRows   *rows,
                GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert (TDM_IS_STORE (self) && row != NULL && rows != NULL);

  rows->drop = g_array_new (FALSE, FALSE, sizeof (gint64));
  rows->drop_search = g_ptr_array_new_with_free_func (g_free);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_ROWS_OF_PAIR, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, row->kind);
  _tdm_store_bind_text (stmt, 2, row->webshop_id);
  _tdm_store_bind_text (stmt, 3, row->shopify_id);
  while (TRUE)
    {
      gint64 id;
      gboolean seen = FALSE;

      if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      seen = id == rows->keep;
      for (guint i = 0; i < rows->drop->len; i++)
        seen = seen || g_array_index (rows->drop, gint64, i) == id;
      if (seen)
        continue;
      if (rows->keep == 0 && row->d != NULL)
        {
          rows->keep = id;
          rows->changed = view_changed_columns (stmt, row);
          if ((rows->changed & (1u << VIEW_COL_SEARCH)) != 0)
            rows->old_search = _tdm_store_column_dup (stmt, 1 + VIEW_COL_SEARCH);
        }
      else
        {
          g_ptr_array_add (rows->drop_search, _tdm_store_column_dup (stmt, 1 + VIEW_COL_SEARCH));
          g_array_append_val (rows->drop, id);
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
view_drop_rows (TdmStore            *self,
                const ViewRow       *row,
                const ViewPairRows  *rows,
                GError             **error)
{
  g_assert (TDM_IS_STORE (self) && row != NULL && rows != NULL);
  g_assert (rows->drop->len == rows->drop_search->len);

  if (rows->drop->len > 1)
    g_debug ("Removing %u extra view rows of %s / %s", rows->drop->len,
             row->webshop_id ? row->webshop_id : "-", row->shopify_id ? row->shopify_id : "-");
  for (guint i = 0; i < rows->drop->len; i++)
    {
      gint64 id = g_array_index (rows->drop, gint64, i);
      sqlite3_stmt *stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_DELETE, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!_tdm_store_conn_step_done (&self->main, stmt, error) ||
          !store_fts_queue (self, TRUE, id, rows->drop_search->pdata[i], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
view_insert_row (TdmStore       *self,
                 const ViewRow  *row,
                 GError        **error)
{
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self) && row != NULL && row->d != NULL);

  stmt = _tdm_store_conn_prepare (&self->main, SQL_VIEW_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  view_bind_values (stmt, row);
  sqlite3_bind_int (stmt, 16, row->kind);
  if (!_tdm_store_conn_step_done (&self->main, stmt, error))
    return FALSE;
  return store_fts_queue (self, FALSE, sqlite3_last_insert_rowid (self->main.db),
                          row->d->search, error);
}

/* UPDATE view_rows SET <changed columns> WHERE id = ?15: SQLite rewrites
 * only the indexes that hold one of those columns. */
static gboolean
view_update_row (TdmStore            *self,
                 const ViewRow       *row,
                 const ViewPairRows  *rows,
                 GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("UPDATE view_rows SET ");
  gboolean first = TRUE;
  sqlite3_stmt *stmt;

  g_assert (TDM_IS_STORE (self) && row != NULL && row->d != NULL);
  g_assert (rows->keep != 0 && rows->changed != 0);

  for (guint col = 0; col < VIEW_N_COLS; col++)
    {
      if ((rows->changed & (1u << col)) == 0)
        continue;
      g_string_append_printf (sql, "%s%s = ?%u", first ? "" : ", ", view_col_names[col], col + 1);
      first = FALSE;
    }
  g_string_append (sql, " WHERE id = " VIEW_PARAM_ID);
  stmt = _tdm_store_conn_prepare_dynamic (&self->main, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  view_bind_values (stmt, row);
  sqlite3_bind_int64 (stmt, 15, rows->keep);
  if (!_tdm_store_conn_step_done (&self->main, stmt, error))
    return FALSE;
  if ((rows->changed & (1u << VIEW_COL_SEARCH)) != 0 &&
      (!store_fts_queue (self, TRUE, rows->keep, rows->old_search, error) ||
       !store_fts_queue (self, FALSE, rows->keep, row->d->search, error)))
    return FALSE;
  return TRUE;
}

/* Writes the one view row of a pair: updates the row it already has in
 * place (only the columns that changed, so that only the indexes of those
 * columns are touched, and the search index only when the searchable text
 * changed), or inserts one; other rows of the pair's records go. */
static gboolean
view_write (TdmStore       *self,
            const ViewRow  *row,
            GError        **error)
{
  ViewPairRows rows = { 0, };
  gboolean ok;

  g_assert (TDM_IS_STORE (self) && row != NULL);

  ok = view_read_pair (self, row, &rows, error) &&
       view_drop_rows (self, row, &rows, error);
  if (ok && row->d != NULL)
    {
      if (rows.keep == 0)
        ok = view_insert_row (self, row, error);
      else if (rows.changed != 0)
        ok = view_update_row (self, row, &rows, error);
    }
  view_pair_rows_clear (&rows);
  return ok;
}

/* ---- Rebuilding rows ---- */

/* A linked product's stock, when its webshop copy does not say it, from
 * its Shopify twin: stock flows to Shopify only in the default mapping, so
 * a product that came from Shopify has none in its webshop copy. The twin
 * is what this commit holds, or was read with the webshop record; only
 * when neither is so (the commit holds the webshop record, not its twin)
 * is the twin read here, the one read of the row. */
static gboolean
view_stock_from_twin (TdmStore              *self,
                      const TdmCommitState  *cs,
                      const ViewTwin        *read,
                      TdmStoreDisplay       *d,
                      GError               **error)
{
  TdmRecord *held;
  TdmStoreDisplay twin;
  gboolean found = FALSE;

  g_assert (TDM_IS_STORE (self) && read != NULL && read->id != NULL);
  g_assert (d != NULL && d->extra3 == NULL);

  if ((held = commit_state_record (cs, TDM_SIDE_SHOPIFY, read->id)) != NULL)
    {
      if (!held->deleted)
        d->extra3 = _tdm_store_product_stock (held->fields);
      return TRUE;
    }
  if (read->read && read->fields != NULL)
    {
      d->extra3 = _tdm_store_product_stock (read->fields);
      return TRUE;
    }
  /* not cached: its version that failed, if any, as the row would show it */
  if (!view_record_display (self, TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, read->id, cs, NULL, &twin,
                            &found, error))
    return FALSE;
  if (found)
    d->extra3 = g_steal_pointer (&twin.extra3);
  _tdm_store_display_clear (&twin);
  return TRUE;
}

/* What the row of a pair shows, from the first side whose record is
 * cached; for a link whose records are not cached, from its snapshots.
 * FALSE in *found when there is nothing to show. */
static gboolean
view_display_of_pair (TdmStore              *self,
                      TdmKind                kind,
                      const char            *webshop_id,
                      const char            *shopify_id,
                      const TdmCommitState  *cs,
                      TdmStoreDisplay       *d,
                      gboolean              *found,
                      GError               **error)
{
  g_auto(ViewTwin) twin = { shopify_id, FALSE, NULL };

  g_assert (TDM_IS_STORE (self) && d != NULL && found != NULL);

  memset (d, 0, sizeof *d);
  *found = FALSE;
  for (int side = 0; !*found && side < TDM_N_SIDES; side++)
    {
      const char *id = side == TDM_SIDE_WEBSHOP ? webshop_id : shopify_id;
      const char *other = side == TDM_SIDE_WEBSHOP ? shopify_id : webshop_id;
      /* A linked product's webshop record: its twin is read with it, unless
       * this commit holds the twin. */
      gboolean stock_twin = side == TDM_SIDE_WEBSHOP && kind == TDM_KIND_PRODUCT &&
                            shopify_id != NULL;
      gboolean read_twin = stock_twin &&
                           commit_state_record (cs, TDM_SIDE_SHOPIFY, shopify_id) == NULL;

      if (id == NULL)
        continue;
      if (!view_record_display (self, kind, side, id, cs, read_twin ? &twin : NULL, d, found,
                                error))
        return FALSE;
      if (*found && other != NULL)
        {
          /* The other side's id is searchable too. */
          g_autofree char *words = _tdm_store_text_down (_tdm_store_id_for_search (other));
          char *search = d->search != NULL ? g_strconcat (d->search, " ", words, NULL)
                                           : g_strdup (words);

          g_free (d->search);
          d->search = search;
        }
      if (*found && stock_twin && d->extra3 == NULL &&
          !view_stock_from_twin (self, cs, &twin, d, error))
        return FALSE;
    }

  if (!*found && webshop_id != NULL && shopify_id != NULL)
    {
      /* A link without cached records: show what its snapshots hold. */
      g_autoptr(TdmLink) full = NULL;
      GError *local_error = NULL;
      JsonObject *snapshot = NULL;

      full = _tdm_store_find_link (self, kind, TDM_SIDE_WEBSHOP, webshop_id, TRUE, NULL,
                                   &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (full != NULL)
        snapshot = full->webshop_snapshot != NULL ? full->webshop_snapshot : full->shopify_snapshot;
      _tdm_store_display_compute (d, kind, snapshot, webshop_id);
      *found = TRUE;
    }
  return TRUE;
}

/* The status of a pair's row: a stored error of either record, then
 * pending conflicts, then `base_status`. */
static gboolean
view_status_of_pair (TdmStore              *self,
                     TdmKind                kind,
                     const char            *webshop_id,
                     const char            *shopify_id,
                     TdmLinkStatus          base_status,
                     const TdmCommitState  *cs,
                     TdmLinkStatus         *status,
                     GError               **error)
{
  gboolean has_error = FALSE, has_conflict = FALSE;

  g_assert (TDM_IS_STORE (self) && status != NULL);

  if (cs == NULL || !commit_state_is_clean (cs, webshop_id) || !commit_state_is_clean (cs, shopify_id))
    {
      if (!store_exists (self, SQL_HAS_ERROR, kind, webshop_id, shopify_id, &has_error, error))
        return FALSE;
    }
  if (!has_error && webshop_id != NULL && shopify_id != NULL &&
      !store_exists (self, SQL_HAS_CONFLICT, kind, webshop_id, NULL, &has_conflict, error))
    return FALSE;
  *status = has_error ? TDM_LINK_STATUS_ERROR
          : has_conflict ? TDM_LINK_STATUS_CONFLICT
          : base_status;
  return TRUE;
}

/* Puts the one view row of a pair (or of one record when the other id is
 * NULL), built from the cached records; for a link whose records are not
 * cached, from its snapshots. `cs` (nullable): what the current commit
 * knows. */
gboolean
_tdm_store_view_put (TdmStore              *self,
                     TdmKind                kind,
                     const char            *webshop_id,
                     const char            *shopify_id,
                     TdmLinkStatus          base_status,
                     gint64                 last_synced,
                     const TdmCommitState  *cs,
                     GError               **error)
{
  TdmStoreDisplay d;
  ViewRow row = { kind, webshop_id, shopify_id, base_status, last_synced, NULL };
  gboolean found = FALSE, ok;

  g_assert (TDM_IS_STORE (self));
  g_assert (webshop_id != NULL || shopify_id != NULL);

  if (!view_display_of_pair (self, kind, webshop_id, shopify_id, cs, &d, &found, error))
    {
      _tdm_store_display_clear (&d);
      return FALSE;
    }
  if (!found)
    return view_write (self, &row, error);

  row.d = &d;
  ok = view_status_of_pair (self, kind, webshop_id, shopify_id, base_status, cs, &row.status,
                            error) &&
       view_write (self, &row, error);
  _tdm_store_display_clear (&d);
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

  g_assert (TDM_IS_STORE (self) && done != NULL);
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  if (id == NULL)
    return TRUE;
  key = tdm_link_key (side, id);
  if (g_hash_table_contains (done, key))
    return TRUE;

  link = _tdm_store_find_link (self, kind, side, id, FALSE, &last_synced, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (link == NULL)
    {
      g_hash_table_add (done, g_steal_pointer (&key));
      return _tdm_store_view_put (self, kind,
                                  side == TDM_SIDE_WEBSHOP ? id : NULL,
                                  side == TDM_SIDE_SHOPIFY ? id : NULL,
                                  side == TDM_SIDE_WEBSHOP ? TDM_LINK_STATUS_ONLY_WEBSHOP
                                                           : TDM_LINK_STATUS_ONLY_SHOPIFY,
                                  0, cs, error);
    }

  g_hash_table_add (done, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id));
  g_hash_table_add (done, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id));
  return _tdm_store_view_put (self, kind, link->webshop_id, link->shopify_id,
                              link->orphaned ? TDM_LINK_STATUS_ORPHANED : TDM_LINK_STATUS_LINKED,
                              last_synced, cs, error);
}

/* Adds "side:id" (tdm_link_key ()) to the list of records whose view row
 * must be rebuilt. */
void
_tdm_store_affected_add (GPtrArray  *affected,
                         TdmSide     side,
                         const char *id)
{
  g_assert (affected != NULL);

  if (id != NULL)
    g_ptr_array_add (affected, tdm_link_key (side, id));
}

/* Rebuilds the rows of the records in `affected`, each once; `done_in`
 * (nullable): keys of rows already rebuilt. */
gboolean
_tdm_store_refresh_affected (TdmStore              *self,
                             TdmKind                kind,
                             GPtrArray             *affected,
                             GHashTable            *done_in,
                             const TdmCommitState  *cs,
                             GError               **error)
{
  g_autoptr(GHashTable) done = NULL;

  g_assert (TDM_IS_STORE (self) && affected != NULL);

  done = done_in != NULL ? g_hash_table_ref (done_in)
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

/* ---- Rebuilding every row ---- */

/* Every record a row may be built for: the cached ones, those with an
 * error, and both records of every link (through its webshop id). */
static const char SQL_REBUILD_KEYS[] =
  "SELECT side, id FROM records WHERE kind = ?1 AND deleted = 0"
  " UNION SELECT side, record_id FROM record_errors WHERE kind = ?1 AND record_id <> ''"
  " UNION SELECT 0, webshop_id FROM links WHERE kind = ?1";

static gboolean
view_rebuild_kind (TdmStore  *self,
                   TdmKind    kind,
                   GError   **error)
{
  g_autoptr(GPtrArray) affected = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert (TDM_IS_STORE (self) && kind < TDM_N_KINDS);

  stmt = _tdm_store_conn_prepare (&self->main, SQL_REBUILD_KEYS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  while (TRUE)
    {
      int side;

      if (!_tdm_store_conn_step_row (&self->main, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      side = sqlite3_column_int (stmt, 0);
      if (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY)
        _tdm_store_affected_add (affected, side, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return _tdm_store_refresh_affected (self, kind, affected, NULL, NULL, error);
}

gboolean
_tdm_store_view_rebuild_all (TdmStore  *self,
                             GError   **error)
{
  g_assert (TDM_IS_STORE (self));

  if (!_tdm_store_conn_run (&self->main, "DELETE FROM view_rows", error))
    return FALSE;
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    if (!view_rebuild_kind (self, kind, error))
      return FALSE;
  /* The index from the rows as they are now, in one pass. */
  if (!_tdm_store_conn_run (&self->main, SQL_FTS_CLEAR, error) ||
      !_tdm_store_conn_run (&self->main, "INSERT INTO view_fts (view_fts) VALUES ('rebuild')",
                            error))
    return FALSE;
  self->fts_mark = sqlite3_total_changes (self->main.db);
  return TRUE;
}
