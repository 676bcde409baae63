/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tandem's settings for a `tandem` child process: the child runs with
 * GSETTINGS_BACKEND=keyfile and XDG_CONFIG_HOME=`config_dir`, so it reads
 * `config_dir`/glib-2.0/settings/keyfile. Values are GVariant text, as
 * gsettings prints them ("webshop-url='https://…'", "sync-interval=uint32 5"). */

/* Writes `lines` ("key=value\n" each) as Tandem's settings, replacing the
 * file; makes the folders. Returns the key file's path. */
char *tdm_test_settings_write (const char *config_dir,
                               const char *lines);
/* The GVariant text of `key` in `keyfile` ("'activity'"), or NULL. */
char *tdm_test_settings_read  (const char *keyfile,
                               const char *key);

G_END_DECLS
