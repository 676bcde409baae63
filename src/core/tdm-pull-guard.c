/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-pull-guard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-pull-guard.h"
#include "tdm-error.h"

/* Longest piece of a side's bad value quoted back in a message. */
#define QUOTE_MAX 40

struct _TdmPullGuard
{
  TdmSide     side;
  TdmKind     kind;
  guint64     max_records;
  guint64     max_pages;
  guint64     records;
  guint64     pages;
  gboolean    counted;     /* the bound follows the side's own count */
  GHashTable *cursors;     /* SHA-256 of every cursor asked for (owned) */
  char       *last_time;   /* greatest record time noted (UTC) */
  gboolean    out_of_order;
};

static const char *
kind_plural (TdmKind kind)
{
  g_assert (kind < TDM_N_KINDS);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("customers");
    case TDM_KIND_PRODUCT:
      return _("products");
    case TDM_KIND_ORDER:
    default:
      return _("orders");
    }
}

static const char *
kind_singular (TdmKind kind)
{
  g_assert (kind < TDM_N_KINDS);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("customer");
    case TDM_KIND_PRODUCT:
      return _("product");
    case TDM_KIND_ORDER:
    default:
      return _("order");
    }
}

TdmPullGuard *
tdm_pull_guard_new (TdmSide side,
                    TdmKind kind,
                    guint   max_records)
{
  TdmPullGuard *guard = g_new0 (TdmPullGuard, 1);

  guard->side = side;
  guard->kind = kind;
  guard->max_records = max_records > 0 ? max_records : TDM_PULL_MAX_RECORDS;
  /* A page holds at least one record, bar a few empty ones at the end. */
  guard->max_pages = MIN (TDM_PULL_MAX_PAGES, guard->max_records + 100);
  guard->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return guard;
}

void
tdm_pull_guard_free (TdmPullGuard *guard)
{
  if (guard == NULL)
    return;
  g_hash_table_unref (guard->cursors);
  g_free (guard->last_time);
  g_free (guard);
}

static void
set_bound_error (TdmPullGuard  *guard,
                 GError       **error)
{
  g_assert (guard != NULL);
  g_assert (guard->side < TDM_N_SIDES);

  if (guard->side == TDM_SIDE_WEBSHOP)
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                 _("Tandem stopped listing %s from the webshop after %u pages and %u records, "
                   "the most it reads in one run. The records read were synced; the rest is "
                   "read on the next runs. If this message comes back, the webshop's paging "
                   "probably never ends: check the next_cursor it sends, or the paging setting "
                   "of its profile."),
                 kind_plural (guard->kind), (guint) guard->pages, (guint) guard->records);
  else
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                 _("Tandem stopped listing %s from Shopify after %u pages and %u records, the "
                   "most it reads in one run. The records read were synced; the rest is read "
                   "on the next runs."),
                 kind_plural (guard->kind), (guint) guard->pages, (guint) guard->records);
}

TdmPullStep
tdm_pull_guard_next (TdmPullGuard   *guard,
                     const TdmPage  *page,
                     GError        **error)
{
  g_return_val_if_fail (guard != NULL, TDM_PULL_DONE);
  g_return_val_if_fail (page != NULL, TDM_PULL_DONE);

  guard->pages++;
  guard->records += page->records != NULL ? page->records->len : 0;
  if (page->total > 0 && !guard->counted)
    {
      /* The side said how many it holds: a tighter bound than the cap. */
      guint64 bound = page->total * 2 + TDM_PULL_COUNT_SLACK;

      guard->counted = TRUE;
      guard->max_records = MIN (guard->max_records, bound);
      guard->max_pages = MIN (guard->max_pages, bound + 100);
    }

  if (page->next_cursor == NULL)
    return TDM_PULL_DONE;

  {
    char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, page->next_cursor, -1);

    if (!g_hash_table_add (guard->cursors, digest))
      {
        if (guard->side == TDM_SIDE_WEBSHOP)
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("The webshop returned the same page twice while listing %s, so Tandem "
                         "stopped reading them to avoid an endless loop; no records were synced "
                         "in this run. Check the webshop's paging (the next_cursor it sends, or the "
                         "paging setting of its profile), then sync again."),
                       kind_plural (guard->kind));
        else
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Shopify returned the same page twice while listing %s, so Tandem "
                         "stopped reading them to avoid an endless loop; no records were synced "
                         "in this run. Sync again later."),
                       kind_plural (guard->kind));
        return TDM_PULL_REPEATED;
      }
  }

  if (guard->records >= guard->max_records || guard->pages >= guard->max_pages)
    {
      set_bound_error (guard, error);
      return TDM_PULL_BOUND;
    }
  return TDM_PULL_NEXT;
}

void
tdm_pull_guard_note_time (TdmPullGuard *guard,
                          const char   *utc)
{
  g_return_if_fail (guard != NULL);

  if (utc == NULL)
    return;
  if (guard->last_time != NULL && strcmp (utc, guard->last_time) < 0)
    guard->out_of_order = TRUE;
  else
    {
      g_free (guard->last_time);
      guard->last_time = g_strdup (utc);
    }
}

gboolean
tdm_pull_guard_in_order (TdmPullGuard *guard)
{
  g_return_val_if_fail (guard != NULL, FALSE);
  return !guard->out_of_order;
}

static char *
format_utc (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;

  g_assert (dt != NULL);

  utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
tdm_pull_time_utc (const char *timestamp)
{
  g_autoptr(GDateTime) dt = NULL;

  if (timestamp == NULL || *timestamp == '\0')
    return NULL;
  dt = g_date_time_new_from_iso8601 (timestamp, NULL);
  return dt != NULL ? format_utc (dt) : NULL;
}

char *
tdm_pull_time_at (gint64 unix_seconds,
                  gint64 offset)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds + offset);

  /* Past year 9999: the largest time there is. */
  return dt != NULL ? format_utc (dt) : g_strdup ("9999-12-31T23:59:59Z");
}

static char *
quote_value (const char *value)
{
  g_assert (value != NULL);

  if (g_utf8_strlen (value, -1) <= QUOTE_MAX)
    return g_strdup (value);
  {
    g_autofree char *head = g_utf8_substring (value, 0, QUOTE_MAX);

    return g_strconcat (head, "…", NULL);
  }
}

TdmRecordError *
tdm_pull_check_updated_at (const TdmRecord *record)
{
  g_autofree char *utc = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  /* A deletion is real whatever time comes with it. */
  if (record->deleted || record->updated_at == NULL || *record->updated_at == '\0')
    return NULL;
  utc = tdm_pull_time_utc (record->updated_at);
  if (utc != NULL)
    return NULL;

  quoted = quote_value (g_utf8_validate (record->updated_at, -1, NULL) ? record->updated_at : "?");
  if (record->side == TDM_SIDE_WEBSHOP)
    message = g_strdup_printf (_("The webshop sent “%s” as the time this %s last changed "
                                 "(updated_at), which is not a date and time, so it was not "
                                 "synced. Once the webshop sends a valid time (for example "
                                 "2026-11-26T18:01:15Z), it is synced on the next run."),
                               quoted, kind_singular (record->kind));
  else
    message = g_strdup_printf (_("Shopify sent “%s” as the time this %s last changed "
                                 "(updated_at), which is not a date and time, so it was not "
                                 "synced. It is tried again on the next run."),
                               quoted, kind_singular (record->kind));
  return tdm_record_error_new (record->side, record->kind, record->id, "updated_at", message);
}

char *
tdm_pull_future_warning (const TdmRecord *record,
                         const char      *utc)
{
  g_return_val_if_fail (record != NULL, NULL);

  if (record->side == TDM_SIDE_WEBSHOP)
    return g_strdup_printf (_("The webshop sent %s %s with a last-change time far in the future "
                              "(%s). It was synced, and Tandem goes on reading %s from the "
                              "present, so later changes are not missed. Correct that time, or "
                              "the webshop server's clock."),
                            kind_singular (record->kind), record->id, utc,
                            kind_plural (record->kind));
  return g_strdup_printf (_("Shopify sent %s %s with a last-change time far in the future (%s). "
                            "It was synced, and Tandem goes on reading %s from the present, so "
                            "later changes are not missed."),
                          kind_singular (record->kind), record->id, utc,
                          kind_plural (record->kind));
}
