/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tandem"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tdm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = G_APPLICATION (tdm_application_new ());
  return g_application_run (app, argc, argv);
}
