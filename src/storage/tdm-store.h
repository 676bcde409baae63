/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-record-store.h"
#include "tdm-mapping.h"

G_BEGIN_DECLS

/* The state of one row in an entity view (one link, or one record that has
 * no twin yet). When several apply, the first in this order wins:
 * ERROR, CONFLICT, ORPHANED, then LINKED / ONLY_WEBSHOP / ONLY_SHOPIFY. */
typedef enum {
  TDM_LINK_STATUS_LINKED,
  TDM_LINK_STATUS_ONLY_WEBSHOP,   /* a webshop record with no Shopify twin (yet) */
  TDM_LINK_STATUS_ONLY_SHOPIFY,   /* a Shopify record with no webshop twin (yet) */
  TDM_LINK_STATUS_CONFLICT,       /* a linked pair with pending (ask) conflicts */
  TDM_LINK_STATUS_ERROR,          /* a record error is stored for either side */
  TDM_LINK_STATUS_ORPHANED,       /* one side was deleted, the other kept */
} TdmLinkStatus;
#define TDM_N_LINK_STATUS 6
/* Filter value meaning "every status". */
#define TDM_LINK_STATUS_ALL ((TdmLinkStatus) -1)

const char *tdm_link_status_to_string    (TdmLinkStatus status);  /* "linked", "only-webshop", ... */
const char *tdm_link_status_display_name (TdmLinkStatus status);  /* translated: "Linked", ... */

/* Sort columns of the entity views. */
typedef enum {
  TDM_STORE_SORT_TITLE,        /* customer "first last" / product title / order number */
  TDM_STORE_SORT_SUBTITLE,     /* email / SKU / customer email */
  TDM_STORE_SORT_EXTRA,        /* phone / price (numeric) / total (numeric) */
  TDM_STORE_SORT_STATUS,
  TDM_STORE_SORT_LAST_SYNCED,
} TdmStoreSort;

/* One row of an entity view: a small immutable object (for GListStore and
 * GtkColumnView). Properties (read-only): "kind" (int, TdmKind),
 * "webshop-id", "shopify-id", "title", "subtitle", "extra", "extra2",
 * "extra3", "currency" (strings, nullable), "status" (int, TdmLinkStatus),
 * "last-synced" (int64 unix seconds, 0 = never), "problem-field" (string,
 * nullable: tdm_store_row_get_problem_field ()). What the display columns
 * hold per kind:
 *
 *   kind      title         subtitle        extra   extra2            extra3       currency
 *   customer  name          email           phone   -                 -            -
 *   product   title         SKU             price   status (active)   stock        -
 *   order     number        customer name   total   payment (paid)    fulfilment   ISO 4217
 *
 * States are the canonical words ("partially_refunded"); amounts decimal
 * strings; stock a whole number (the sum of the variants'). */
#define TDM_TYPE_STORE_ROW (tdm_store_row_get_type ())
G_DECLARE_FINAL_TYPE (TdmStoreRow, tdm_store_row, TDM, STORE_ROW, GObject)

TdmKind       tdm_store_row_get_kind        (TdmStoreRow *self);
const char   *tdm_store_row_get_webshop_id  (TdmStoreRow *self);
const char   *tdm_store_row_get_shopify_id  (TdmStoreRow *self);
const char   *tdm_store_row_get_id          (TdmStoreRow *self, TdmSide side);
const char   *tdm_store_row_get_title       (TdmStoreRow *self);
const char   *tdm_store_row_get_subtitle    (TdmStoreRow *self);
const char   *tdm_store_row_get_extra       (TdmStoreRow *self);  /* phone / price / total */
const char   *tdm_store_row_get_extra2      (TdmStoreRow *self);  /* product status / order payment */
const char   *tdm_store_row_get_extra3      (TdmStoreRow *self);  /* product stock / order fulfilment */
const char   *tdm_store_row_get_currency    (TdmStoreRow *self);  /* order currency */
TdmLinkStatus tdm_store_row_get_status      (TdmStoreRow *self);
gint64        tdm_store_row_get_last_synced (TdmStoreRow *self);
/* The field a stored record error of the row names (its canonical name,
 * "email"); NULL when the row has no error or the error names no field. */
const char   *tdm_store_row_get_problem_field (TdmStoreRow *self);
/* Do both rows show the same record the same way (every column)? */
gboolean      tdm_store_row_equal           (TdmStoreRow *a,
                                             TdmStoreRow *b);

/* A pending conflict with what the Conflicts view needs. */
typedef struct {
  gint64    id;
  TdmKind   kind;
  char     *webshop_id;
  char     *shopify_id;     /* nullable */
  char     *title;          /* the record's title as in the views; nullable */
  char     *field;          /* canonical field name */
  JsonNode *webshop_value;  /* nullable = empty */
  JsonNode *shopify_value;
  JsonNode *base_value;
  gint64    first_seen;     /* unix seconds */
} TdmStoreConflict;
void tdm_store_conflict_free (TdmStoreConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmStoreConflict, tdm_store_conflict_free)

/* A stored record error, for the views. */
typedef struct {
  gint64   id;
  TdmKind  kind;
  TdmSide  side;
  char    *record_id;
  char    *field;       /* nullable */
  char    *message;
  char    *title;       /* the record's title as in the views; nullable */
  gint64   run_id;
  gint64   first_seen;  /* unix seconds */
  gint64   last_seen;
} TdmStoreError;
void tdm_store_error_free (TdmStoreError *err);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmStoreError, tdm_store_error_free)

/* One history line of one record. */
typedef struct {
  gint64   run_id;
  gint64   at;          /* unix seconds */
  TdmKind  kind;
  char    *webshop_id;  /* nullable */
  char    *shopify_id;  /* nullable */
  TdmSide  side;        /* the side written */
  char    *action;      /* "created" | "updated" | "linked" | "deleted" | "orphaned" */
  char    *field;       /* nullable */
  char    *before;      /* canonical JSON text, nullable */
  char    *after;
} TdmStoreHistory;
void tdm_store_history_free (TdmStoreHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmStoreHistory, tdm_store_history_free)

/* The SQLite state database (docs/architecture.md, "TdmRecordStore" and
 * "Paths"). Implements TdmRecordStore. The only code in Tandem that speaks
 * SQL.
 *
 * Threads: every function may be called from any thread; calls are
 * serialized on the store's connection. tdm_store_query_async() reads on a
 * worker thread through a second, read-only connection (WAL lets it read
 * while the engine writes), so the UI never waits for a sync batch. */
#define TDM_TYPE_STORE (tdm_store_get_type ())
G_DECLARE_FINAL_TYPE (TdmStore, tdm_store, TDM, STORE, GObject)

/* `path` is a file name (created with its directory's parent existing) or
 * ":memory:". Fails with TDM_SYNC_ERROR_STORE and a message saying what to
 * do when the file is not a Tandem database, is damaged, or was written by
 * a newer Tandem; such a file is never modified. */
TdmStore   *tdm_store_new              (const char    *path,
                                        GError       **error);
const char *tdm_store_get_path         (TdmStore      *self);
/* The mapping the runs use (nullable): a version that failed because a
 * value cannot be used is stored with that value as its shop holds it,
 * read through the field's row (its path on the failed side), so that the
 * lists can show which record it is. Whoever holds the mapping sets it
 * again when it changes. */
void        tdm_store_set_mapping      (TdmStore      *self,
                                        TdmMapping    *mapping);
/* One run at a time per database: see tdm_store_lock_runs () in tdm-store-runs.c. */
gboolean    tdm_store_lock_runs        (TdmStore      *self,
                                        GError       **error);
void        tdm_store_unlock_runs      (TdmStore      *self);
/* The schema version this build writes (PRAGMA user_version). */
int         tdm_store_schema_version   (void);

/* Entity views. `status` is a TdmLinkStatus or TDM_LINK_STATUS_ALL; `search`
 * (nullable) matches the words of title, subtitle, extra, extra2 and ids by
 * prefix, case-insensitively ("kari exa" finds "Kari Nordmann, kari@example.no").
 * Returns TdmStoreRow* (element free: g_object_unref). */
GPtrArray  *tdm_store_query            (TdmStore      *self,
                                        TdmKind        kind,
                                        TdmLinkStatus  status,
                                        const char    *search,
                                        TdmStoreSort   sort,
                                        gboolean       descending,
                                        guint          offset,
                                        guint          limit,
                                        GError       **error);
/* Number of rows the same filter and search match; -1 on error. */
gint64      tdm_store_count            (TdmStore      *self,
                                        TdmKind        kind,
                                        TdmLinkStatus  status,
                                        const char    *search,
                                        GError       **error);
/* Rows per status of one kind: counts[TdmLinkStatus]. */
gboolean    tdm_store_count_by_status  (TdmStore      *self,
                                        TdmKind        kind,
                                        gint64         counts[TDM_N_LINK_STATUS],
                                        GError       **error);
/* Query + count on a worker thread. */
void        tdm_store_query_async      (TdmStore           *self,
                                        TdmKind             kind,
                                        TdmLinkStatus       status,
                                        const char         *search,
                                        TdmStoreSort        sort,
                                        gboolean            descending,
                                        guint               offset,
                                        guint               limit,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
/* Returns the page (TdmStoreRow*); `total` (nullable) gets the count for the
 * same filter and search. */
GPtrArray  *tdm_store_query_finish     (TdmStore      *self,
                                        GAsyncResult  *result,
                                        gint64        *total,
                                        GError       **error);
/* The view row of one record (by either side's id); NULL without error when
 * unknown. */
TdmStoreRow *tdm_store_get_row         (TdmStore      *self,
                                        TdmKind        kind,
                                        TdmSide        side,
                                        const char    *id,
                                        GError       **error);

/* The newest stored error of the record (side, id) or of its twin, with
 * the record's title; NULL without error when it has none
 * (tdm_store_error_free). */
TdmStoreError *tdm_store_get_record_error (TdmStore   *self,
                                           TdmKind     kind,
                                           TdmSide     side,
                                           const char *id,
                                           GError    **error);

/* The version of the record (side, id) that could not be read, as its
 * error keeps it for the views, while no version of it is cached (for its
 * detail); NULL without error when there is none. */
TdmRecord     *tdm_store_get_failed_record (TdmStore   *self,
                                            TdmKind     kind,
                                            TdmSide     side,
                                            const char *id,
                                            GError    **error);

/* Activity: runs newest first (TdmRunInfo*), at most `limit` (0 = all). */
GPtrArray  *tdm_store_list_runs        (TdmStore      *self,
                                        guint          limit,
                                        GError       **error);
/* Record errors, newest first (TdmStoreError*). `kind` < 0: all kinds. */
GPtrArray  *tdm_store_list_errors      (TdmStore      *self,
                                        int            kind,
                                        guint          limit,
                                        GError       **error);
/* Pending conflicts (TdmStoreConflict*), oldest first. `kind` < 0: all. */
GPtrArray  *tdm_store_list_pending_conflicts (TdmStore *self,
                                              int       kind,
                                              GError  **error);
/* Number of pending conflicts of one kind (< 0: all kinds); -1 on error. */
gint64      tdm_store_count_conflicts  (TdmStore      *self,
                                        int            kind,
                                        GError       **error);
/* The owner's choices for conflicts of one link that no run has applied
 * yet (TdmFieldConflict*, resolved, winner = the chosen side). */
GPtrArray  *tdm_store_list_settled_conflicts (TdmStore   *self,
                                              TdmKind     kind,
                                              const char *webshop_id,
                                              GError    **error);
/* Takes back such a choice: the conflict waits for a choice again. Fails
 * (TDM_SYNC_ERROR_STORE) when a run has applied it already. */
gboolean    tdm_store_unresolve_conflict (TdmStore   *self,
                                          TdmKind     kind,
                                          const char *webshop_id,
                                          const char *field,
                                          GError    **error);
/* Review items (ambiguous matches) of one kind (< 0: all), TdmReviewItem*. */
GPtrArray  *tdm_store_list_review      (TdmStore      *self,
                                        int            kind,
                                        GError       **error);
/* History of one record (either id may be NULL), newest first
 * (TdmStoreHistory*), at most `limit` (0 = all). */
GPtrArray  *tdm_store_list_history     (TdmStore      *self,
                                        TdmKind        kind,
                                        const char    *webshop_id,
                                        const char    *shopify_id,
                                        guint          limit,
                                        GError       **error);

/* Batches for bulk loads (first sync, benchmarks): commits between
 * begin_batch and end_batch share one transaction. end_batch with
 * commit = FALSE rolls back everything since begin_batch. */
gboolean    tdm_store_begin_batch      (TdmStore      *self,
                                        GError       **error);
gboolean    tdm_store_end_batch        (TdmStore      *self,
                                        gboolean       commit,
                                        GError       **error);

G_END_DECLS
