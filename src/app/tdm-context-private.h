/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-context.h"
#include "tdm-store.h"

G_BEGIN_DECLS

/* The context's struct and the helpers its files share (tdm-context.c: the
 * services and settings; tdm-context-connectors.c: building connectors;
 * tdm-context-sync.c: runs). Not for use outside src/app/tdm-context*.c.
 * See docs/architecture.md § TdmContext. */
struct _TdmContext
{
  GObject             parent_instance;

  GSettings          *settings;
  TdmCredentialStore *credentials;
  TdmStore           *store;
  TdmMapping         *mapping;
  TdmSyncEngine      *engine;
  TdmSyncScheduler   *scheduler;
  /* The connectors the engine holds, as the last successful load built them. */
  TdmConnector       *connectors[TDM_N_SIDES];
  char               *state_dir;
  char               *mapping_path;
  gboolean            configured;
  gboolean            demo;
  gboolean            scheduler_bound;
  /* FALSE until connectors are loaded, and again once a connection
   * setting changes or a run fails: the next timer run reloads them. */
  gboolean            connectors_fresh;
  /* A run of tdm-context-sync.c is under way (from the lock to the end). */
  gboolean            run_in_progress;
};

/* Looks both secrets up and (re)builds both connectors from the current
 * settings, handing them to the engine. */
void      _tdm_context_load_connectors_async  (TdmContext           *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean  _tdm_context_load_connectors_finish (TdmContext           *self,
                                               GAsyncResult         *result,
                                               GError              **error);
/* Starts the scheduler's ticks through the context's run path. */
void      _tdm_context_attach_scheduler       (TdmContext           *self);

G_END_DECLS
