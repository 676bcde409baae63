/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Scans for secrets where Tandem must never keep them: files (the state
 * database and its journal, the settings key file, logs) and settings. The
 * assertions end the program naming the place and only the first six
 * characters of the secret (docs/testing.md, Secrets audit). */

gboolean tdm_test_bytes_contain         (const char *data,
                                         gsize       length,
                                         const char *needle);
/* FALSE also when the file cannot be read (a file that is not there holds
 * no secret). */
gboolean tdm_test_file_contains         (const char *path,
                                         const char *needle);
/* Fails if `secret` is in any file at or below `path`. */
void     tdm_test_assert_tree_clean     (const char *path,
                                         const char *secret);
/* Fails if `secret` is in the value of any key of `settings`. */
void     tdm_test_assert_settings_clean (GSettings  *settings,
                                         const char *secret);

G_END_DECLS
