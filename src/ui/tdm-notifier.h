/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-context.h"

G_BEGIN_DECLS

/* Desktop notifications about runs the owner did not watch, each told once
 * per process: new conflicts under `ask`, records that could not be synced,
 * rejected credentials, and the Shopify API version nearing its end of
 * support. Clicking one activates app.show-page::<page> ("activity",
 * "customers", "orders", "products" or "preferences"). TdmBackground
 * decides when a run's outcome is news (docs/architecture.md § Entry
 * points). */
#define TDM_TYPE_NOTIFIER (tdm_notifier_get_type ())
G_DECLARE_FINAL_TYPE (TdmNotifier, tdm_notifier, TDM, NOTIFIER, GObject)

/* `app` is not owned. Conflicts already open are not news. */
TdmNotifier *tdm_notifier_new                     (GApplication        *app,
                                                   TdmContext          *context);
/* Counts the open conflicts; notifies of new ones when `notify`. Without
 * a store count, `counts` (nullable) says how many the run found. */
void         tdm_notifier_note_conflicts          (TdmNotifier         *self,
                                                   const TdmSyncCounts *counts,
                                                   gboolean             notify);
/* Notifies when more records failed than the last run's; `notify` FALSE
 * only remembers the number (the owner saw it in the window). */
void         tdm_notifier_note_record_errors      (TdmNotifier         *self,
                                                   const TdmSyncCounts *counts,
                                                   gboolean             notify);
/* A side refused the credentials: told once until a run succeeds again. */
void         tdm_notifier_note_rejected_credentials (TdmNotifier       *self,
                                                     const GError      *error);
void         tdm_notifier_note_signed_in          (TdmNotifier         *self);
/* Asks the loaded Shopify connector how long its API version is still
 * supported; told once (again after the setting changes) when fewer than
 * 90 days are left. */
void         tdm_notifier_check_api_version       (TdmNotifier         *self);

G_END_DECLS
