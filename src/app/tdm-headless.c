/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tdm-headless.h"

int
tdm_headless_run (const TdmHeadlessOptions *options)
{
  /* The engine lands with its own issue; until then say so rather than
   * pretend that something was synchronised. */
  fprintf (stderr, "%s\n", _("Headless sync is not available yet in this version of Tandem."));
  return 1;
}
