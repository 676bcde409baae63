/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new folder in the temporary directory, named after `tmpl` (which ends
 * in XXXXXX, as for g_dir_make_tmp()); the test fails when it cannot be made. */
char *tdm_test_make_tmp_dir (const char *tmpl);

/* Removes `path` and everything below it: folders are made writable first,
 * symbolic links are removed, never followed. A missing path is no error. */
void  tdm_test_remove_tree  (const char *path);

G_END_DECLS
