/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One sync run at a time per state: an exclusive lock on a file next to
 * the database, held while a run goes on (see tdm-run-lock.c). */
typedef struct _TdmRunLock TdmRunLock;

/* The lock file of the database at `db_path`. */
char       *tdm_run_lock_path_for (const char  *db_path);

/* Takes the lock without waiting. When another process (or another lock in
 * this one) holds it, fails with G_IO_ERROR_BUSY and a message naming the
 * holder's process id. */
TdmRunLock *tdm_run_lock_acquire  (const char  *lock_path,
                                   GError     **error);

/* Releases the lock (the kernel releases it too when the process ends,
 * however it ends). */
void        tdm_run_lock_release  (TdmRunLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmRunLock, tdm_run_lock_release)

G_END_DECLS
