/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-application.h"

G_BEGIN_DECLS

struct _TdmApplication
{
  AdwApplication      parent_instance;

  GSettings          *settings;
  TdmCredentialStore *credentials;
  TdmContext         *context;
  GError             *context_error;

  /* The run started from the window (Sync button or Ctrl+R). */
  GCancellable       *sync_cancellable;
  gboolean            held_for_background;
};

void _tdm_application_install_actions (TdmApplication *self);

G_END_DECLS
