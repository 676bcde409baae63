/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Creates Tandem's state folder (0700), or tightens an existing one to the
 * owner only, and checks that Tandem may write to it. */
gboolean tdm_state_dir_prepare        (const char  *dir,
                                       GError     **error);

/* Before SQLite opens `db_path`: checks that its folder and the file (when
 * it exists) are writable, creates a missing file with mode 0600 and
 * tightens the file and its -wal, -shm and -journal files to the owner
 * only. */
gboolean tdm_state_files_prepare      (const char  *db_path,
                                       GError     **error);

/* Sets a TDM_SYNC_ERROR_STORE error that names a full disk or a read-only
 * folder or file when that is why `db_path` cannot be used (`sys_errno` is
 * the operating system's error, or 0). Returns FALSE, setting nothing, when
 * neither is the cause. */
gboolean tdm_state_files_explain      (const char  *db_path,
                                       int          sys_errno,
                                       GError     **error);

G_END_DECLS
