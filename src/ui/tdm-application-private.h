/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-application.h"

G_BEGIN_DECLS

/* The application's struct and the helpers its files share
 * (tdm-application.c, -actions.c, -hidden.c). */
struct _TdmApplication
{
  AdwApplication      parent_instance;

  GSettings          *settings;
  TdmCredentialStore *credentials;
  TdmContext         *context;
  GError             *context_error;
  TdmBackground      *background;

  /* The run started from the window (Sync button or Ctrl+R). */
  GCancellable       *sync_cancellable;
  gboolean            held_for_background;

  /* `tandem --background` (tdm-application-hidden.c): this start opens no
   * window, and the application is held until one opens. */
  gboolean            hidden_start;
  gboolean            hidden_hold;
};

void     _tdm_application_install_actions          (TdmApplication *self);
/* For handle-local-options when `--background` is given: registers the
 * application. Returns 0 when another instance already runs (nothing to
 * do), 1 when registering failed, -1 to let this instance go on without a
 * window. */
int      _tdm_application_handle_background_option (TdmApplication *self);
/* For GApplication::activate: TRUE once when this activation is the
 * windowless `--background` start (the timer runs, the window stays
 * closed, the application is held); the caller then returns without a
 * window. Once a window opens later, closing it follows run-in-background. */
gboolean _tdm_application_claim_hidden_start       (TdmApplication *self);

G_END_DECLS
