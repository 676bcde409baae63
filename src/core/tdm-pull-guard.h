/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-connector.h"
#include "tdm-record.h"

G_BEGIN_DECLS

/* What the engine accepts from a side's listing (docs/sync.md § Listing
 * bounds and § Watermarks): a bound on one listing, no page twice, and
 * record times that are times and not far in the future. */

/* Records one listing (one side, one kind, one run) may hand over when the
 * side does not say how many it holds: 2.5 times the largest shop Tandem is
 * measured with (100,000 linked customers, bench/store), about 650 MB of
 * records in memory at most. */
#define TDM_PULL_MAX_RECORDS        250000
/* Pages one listing may take: the smallest pages Tandem asks for are
 * Shopify orders, about four to a page under the 1,000-point query cap, so
 * this still holds more than TDM_PULL_MAX_RECORDS orders. Also ends a
 * listing of empty pages that never ends. */
#define TDM_PULL_MAX_PAGES          100000
/* When a side says how many records a listing holds, the bound is twice
 * that (records edited while the listing is paged come again) plus this. */
#define TDM_PULL_COUNT_SLACK        1000
/* A watermark never moves past now plus this: clocks of the shops and of
 * this computer differ by seconds to minutes, and the 10-minute overlap of
 * the next read covers it. */
#define TDM_PULL_FUTURE_SKEW        (5 * 60)
/* A record time further ahead than this is a wrong time, not a clock
 * difference: the run says so (once per side and kind). */
#define TDM_PULL_FUTURE_WARN        (24 * 60 * 60)

typedef enum {
  TDM_PULL_NEXT,      /* read page->next_cursor */
  TDM_PULL_DONE,      /* that was the last page */
  TDM_PULL_BOUND,     /* the listing reached its bound: stop (error: what the run reports) */
  TDM_PULL_REPEATED,  /* the next cursor was read before in this listing: stop (error set) */
} TdmPullStep;

typedef struct _TdmPullGuard TdmPullGuard;

/* `max_records` 0 = TDM_PULL_MAX_RECORDS. */
TdmPullGuard *tdm_pull_guard_new       (TdmSide side, TdmKind kind, guint max_records);
void          tdm_pull_guard_free      (TdmPullGuard *guard);
/* Called once per page received, after its records were taken. */
TdmPullStep   tdm_pull_guard_next      (TdmPullGuard *guard, const TdmPage *page, GError **error);
/* A record time (UTC, as from tdm_pull_time_utc) taken from this listing. */
void          tdm_pull_guard_note_time (TdmPullGuard *guard, const char *utc);
/* TRUE while every time noted came in (updated_at) order, so a listing cut
 * at its bound was read up to a point and a watermark may move there. */
gboolean      tdm_pull_guard_in_order  (TdmPullGuard *guard);

/* A record error naming the record and `updated_at` when the record has a
 * time that is not an RFC 3339 date and time; NULL when it is fine or
 * absent, and for tombstones. */
TdmRecordError *tdm_pull_check_updated_at (const TdmRecord *record);
/* The time as "YYYY-MM-DDTHH:MM:SSZ" in UTC, or NULL when absent or invalid. */
char          *tdm_pull_time_utc          (const char *timestamp);
/* `unix_seconds` + `offset` as tdm_pull_time_utc returns it. */
char          *tdm_pull_time_at           (gint64 unix_seconds, gint64 offset);
/* What the run says once when a side sent a record time far in the future. */
char          *tdm_pull_future_warning    (const TdmRecord *record, const char *utc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmPullGuard, tdm_pull_guard_free)

G_END_DECLS
