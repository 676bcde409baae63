/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include "tdm-store-private.h"

/* The entity views' pages and counts: a filter by status, a search through
 * the FTS index and a sort, read along the indexes that fit
 * (tdm-store-migrations.c, format 3), on the caller's thread or on a worker
 * thread through a second, read-only connection. */

/* ---- The SQL of a page ---- */

/* Turns what the user typed into an FTS5 query: every word is a prefix
 * term in the index's folded form (no case, no accents: "solvi" and
 * "Sølvi" are one word), all must match. NULL when there is nothing to
 * search for. */
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

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          /* The index's form of the word: "Sølvi" → "solvi". */
          g_autofree char *folded = _tdm_store_text_search (word->str);

          if (match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_printf (match, "\"%s\"*", folded);
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

/* The last column: the field a row in error has its error on (status 4 is
 * TDM_LINK_STATUS_ERROR), looked up for those rows only. */
#define VIEW_COLUMNS \
  "kind, webshop_id, shopify_id, title, subtitle, extra, extra2, status, last_synced, extra3," \
  " currency, CASE WHEN status = 4 THEN coalesce(" \
  "(SELECT field FROM record_errors e WHERE e.kind = view_rows.kind" \
  " AND e.record_id = view_rows.webshop_id)," \
  " (SELECT field FROM record_errors e WHERE e.kind = view_rows.kind" \
  " AND e.record_id = view_rows.shopify_id)) END"
G_STATIC_ASSERT (TDM_LINK_STATUS_ERROR == 4);

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
                             (const char *) sqlite3_column_text (stmt, 9),
                             (const char *) sqlite3_column_text (stmt, 10),
                             sqlite3_column_int (stmt, 7),
                             sqlite3_column_int64 (stmt, 8),
                             (const char *) sqlite3_column_text (stmt, 11));
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

/* ---- Reading pages ---- */

static const char SQL_FTS_COUNT[] =
  "SELECT count(*) FROM view_fts WHERE view_fts MATCH ?1";

/* Number of rows (of all kinds) matching an FTS query; -1 on error. */
static gint64
conn_count_matches (TdmStoreConn  *conn,
                    const char    *match,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 n = -1;

  g_assert (conn != NULL && match != NULL);

  stmt = _tdm_store_conn_prepare (conn, SQL_FTS_COUNT, error);
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
  sqlite3_stmt *stmt;
  gboolean has_row, ok;

  g_assert (conn != NULL && sql != NULL && rows != NULL);

  stmt = _tdm_store_conn_prepare_dynamic (conn, sql, error);
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
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 count = -1;

  g_assert (conn != NULL && sql != NULL);

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

  g_assert (conn != NULL);

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

  g_assert (conn != NULL);

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

/* ---- Entry points ---- */

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

/* The newest error of either record of a pair (a record error is stored
 * under the record that failed, which may be the twin). */
static const char SQL_ERROR_OF_PAIR[] =
  "SELECT id, kind, side, record_id, field, message, run_id, first_seen, last_seen"
  " FROM record_errors WHERE kind = ?1 AND record_id IN (?2, ?3)"
  " ORDER BY last_seen DESC, id DESC LIMIT 1";

TdmStoreError *
tdm_store_get_record_error (TdmStore     *self,
                            TdmKind       kind,
                            TdmSide       side,
                            const char   *id,
                            GError      **error)
{
  g_autoptr(TdmStoreRow) row = NULL;
  TdmStoreError *e = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  row = tdm_store_get_row (self, kind, side, id, error);
  if (row == NULL && error != NULL && *error != NULL)
    return NULL;

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_ERROR_OF_PAIR, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      _tdm_store_bind_text (stmt, 2, row != NULL && tdm_store_row_get_webshop_id (row) != NULL
                                       ? tdm_store_row_get_webshop_id (row) : id);
      _tdm_store_bind_text (stmt, 3, row != NULL && tdm_store_row_get_shopify_id (row) != NULL
                                       ? tdm_store_row_get_shopify_id (row) : id);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error) && has_row)
        {
          e = g_new0 (TdmStoreError, 1);
          e->id = sqlite3_column_int64 (stmt, 0);
          e->kind = sqlite3_column_int (stmt, 1);
          e->side = sqlite3_column_int (stmt, 2);
          e->record_id = _tdm_store_column_dup (stmt, 3);
          e->field = _tdm_store_column_dup (stmt, 4);
          e->message = _tdm_store_column_dup (stmt, 5);
          e->run_id = sqlite3_column_int64 (stmt, 6);
          e->first_seen = sqlite3_column_int64 (stmt, 7);
          e->last_seen = sqlite3_column_int64 (stmt, 8);
          e->title = row != NULL ? g_strdup (tdm_store_row_get_title (row)) : NULL;
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return e;
}

static const char SQL_FAILED_FIELDS[] =
  "SELECT fields FROM record_errors WHERE kind = ?1 AND side = ?2 AND record_id = ?3"
  " AND fields IS NOT NULL";

TdmRecord *
tdm_store_get_failed_record (TdmStore    *self,
                             TdmKind      kind,
                             TdmSide      side,
                             const char  *id,
                             GError     **error)
{
  TdmRecord *record = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  g_return_val_if_fail (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  _tdm_store_lock (self);
  stmt = _tdm_store_conn_prepare (&self->main, SQL_FAILED_FIELDS, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_int (stmt, 2, side);
      _tdm_store_bind_text (stmt, 3, id);
      if (_tdm_store_conn_step_row (&self->main, stmt, &has_row, error) && has_row)
        {
          g_autoptr(JsonObject) fields = _tdm_store_column_json_object (stmt, 0);

          if (fields != NULL)
            record = tdm_record_new (side, kind, id, NULL, NULL, fields, NULL);
        }
      sqlite3_reset (stmt);
    }
  _tdm_store_unlock (self);
  return record;
}

/* ---- On a worker thread ---- */

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
  g_assert (data != NULL);

  g_free (data->search);
  g_free (data);
}

/* The read-only connection for worker threads (file databases only). */
static TdmStoreConn *
store_get_reader (TdmStore  *self,
                  GError   **error)
{
  g_assert (TDM_IS_STORE (self) && !self->in_memory);

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

/* The page and the count of `data`. */
static GPtrArray *
query_run (TdmStoreConn  *conn,
           QueryData     *data,
           GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_assert (conn != NULL && data != NULL);

  rows = conn_query (conn, data->kind, data->status, data->search, data->sort,
                     data->descending, data->offset, data->limit, error);
  if (rows != NULL)
    data->total = conn_count (conn, data->kind, data->status, data->search, error);
  return g_steal_pointer (&rows);
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

  g_assert (G_IS_TASK (task));
  g_assert (TDM_IS_STORE (self));
  g_assert (data != NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->in_memory)
    {
      /* One connection only: share it under its lock. */
      _tdm_store_lock (self);
      rows = query_run (&self->main, data, &error);
      _tdm_store_unlock (self);
    }
  else
    {
      g_mutex_lock (&self->reader_lock);
      conn = store_get_reader (self, &error);
      /* Page and count from one read transaction: they agree. */
      if (conn != NULL && _tdm_store_conn_exec (conn, "BEGIN", &error))
        {
          rows = query_run (conn, data, &error);
          _tdm_store_conn_exec (conn, "COMMIT", NULL);
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
