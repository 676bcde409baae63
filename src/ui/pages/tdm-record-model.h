/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-store.h"

G_BEGIN_DECLS

/* One position of a TdmRecordModel. Its "row" (TdmStoreRow, nullable) is
 * NULL until the page holding it is loaded; widgets follow notify::row. */
#define TDM_TYPE_RECORD_ITEM (tdm_record_item_get_type ())
G_DECLARE_FINAL_TYPE (TdmRecordItem, tdm_record_item, TDM, RECORD_ITEM, GObject)

TdmStoreRow *tdm_record_item_get_row      (TdmRecordItem *self);
guint        tdm_record_item_get_position (TdmRecordItem *self);

/* A GListModel over the store's entity view query that loads lazily: it
 * reports n_items from the count for the current filter, and fetches rows
 * in pages of TDM_RECORD_MODEL_PAGE_SIZE on a worker thread when a position
 * is first asked for, so a list of 100,000 records opens at once and
 * scrolls without loading everything. */
#define TDM_RECORD_MODEL_PAGE_SIZE 200

#define TDM_TYPE_RECORD_MODEL (tdm_record_model_get_type ())
G_DECLARE_FINAL_TYPE (TdmRecordModel, tdm_record_model, TDM, RECORD_MODEL, GObject)

/* Properties: "loading" (boolean: a count or page query is in flight),
 * "n-items" (uint). Signal "reloaded": a reload finished (error nullable). */
TdmRecordModel *tdm_record_model_new          (TdmStore       *store,
                                               TdmKind         kind);
void            tdm_record_model_set_query    (TdmRecordModel *self,
                                               TdmLinkStatus   status,
                                               const char     *search,
                                               TdmStoreSort    sort,
                                               gboolean        descending);
/* Drops every loaded page and counts again (a new search, filter or sort:
 * the items are replaced). */
void            tdm_record_model_reload       (TdmRecordModel *self);
/* Reads the same query again without replacing the items (records were
 * committed: a sync goes on or ended, a conflict was settled): each loaded
 * position gets its new row (notify::row, only where it changed), and items
 * are added or removed at the end when the count changed, so the list
 * keeps its scroll position. Emits "reloaded" when page 0 is in. */
void            tdm_record_model_refresh      (TdmRecordModel *self);
/* The position of the loaded row of the record `id` on `side`; FALSE when
 * no loaded page holds it. */
gboolean        tdm_record_model_find         (TdmRecordModel *self,
                                               TdmSide         side,
                                               const char     *id,
                                               guint          *position);
gboolean        tdm_record_model_get_loading  (TdmRecordModel *self);
const char     *tdm_record_model_get_search   (TdmRecordModel *self);
TdmLinkStatus   tdm_record_model_get_status   (TdmRecordModel *self);
/* Number of pages fetched since creation (for tests and the benchmark). */
guint           tdm_record_model_get_pages_loaded (TdmRecordModel *self);

G_END_DECLS
