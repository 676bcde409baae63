/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new folder in the temporary directory, named after `tmpl` (which ends
 * in XXXXXX, as for g_dir_make_tmp()); the test fails when it cannot be made. */
char *tdm_test_make_tmp_dir (const char *tmpl);

/* Called for each file and folder of a tree; `is_dir` says whether the
 * walk goes into it. */
typedef void (*TdmTestTreeVisit) (const char *path,
                                  gboolean    is_dir,
                                  gpointer    data);

/* Walks `path` and everything below it: `before` (nullable) sees a folder
 * before what it holds and `after` (nullable) after it, so that `before`
 * may open a folder up and `after` may remove it. Symbolic links to
 * folders are walked into only with `follow_links`. A missing path is
 * visited as a file. The one folder scanner of the tests. */
void  tdm_test_walk_tree    (const char       *path,
                             gboolean          follow_links,
                             TdmTestTreeVisit  before,
                             TdmTestTreeVisit  after,
                             gpointer          data);

/* Removes `path` and everything below it: folders are made writable first,
 * symbolic links are removed, never followed. A missing path is no error. */
void  tdm_test_remove_tree  (const char *path);

G_END_DECLS
