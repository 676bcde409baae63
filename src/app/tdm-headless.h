/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gboolean dry_run;            /* --dry-run: print the plan, write nothing */
  gboolean confirm_large_run;  /* --confirm-large-run: pass the circuit breaker */
  gboolean reconcile;          /* --reconcile: full reconciliation pass */
} TdmHeadlessOptions;

/* Runs one sync pass with no display (GTK is never initialised) and returns
 * the process exit status: 0 the run completed (record errors are listed),
 * 1 it could not run (configuration, credentials, network), 2 usage error. */
int tdm_headless_run (const TdmHeadlessOptions *options);

G_END_DECLS
