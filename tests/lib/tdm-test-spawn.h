/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

#include "tdm-test-wait.h"

G_BEGIN_DECLS

/* The real `tandem` as a child process, and waiting for it to end. */

/* $TANDEM_BUILD_DIR/src/tandem, or NULL when TANDEM_BUILD_DIR is not set
 * (run the tests through meson). */
char                *tdm_test_tandem_path       (void);
/* TRUE when that program is built. */
gboolean             tdm_test_have_tandem       (void);

/* A launcher for `tandem` with its settings and state below `dir`
 * (`dir`/config holds the key file of tdm-test-settings.h, `dir`/state
 * the database), and the two secrets given through demo mode, in memory. */
GSubprocessLauncher *tdm_test_launcher_new      (GSubprocessFlags  flags,
                                                 const char       *dir,
                                                 const char       *webshop_secret,
                                                 const char       *shopify_secret);

typedef struct
{
  GSubprocess *process;
  gboolean     exited;
  gboolean     killed;   /* by tdm_test_child_kill_when() */
  int          status;   /* the exit status once exited; -1 after a signal */
  char        *out;      /* what it printed, with G_SUBPROCESS_FLAGS_STDOUT_PIPE */
  char        *err;      /* … and with G_SUBPROCESS_FLAGS_STDERR_PIPE */
  guint        poll_id;
} TdmTestChild;

/* Starts `program` with the NULL-terminated arguments after it; the child
 * is watched from the main loop from then on. */
TdmTestChild        *tdm_test_child_spawn       (GSubprocessLauncher *launcher,
                                                 const char          *program,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* The same for `tandem` (tdm_test_tandem_path()). */
TdmTestChild        *tdm_test_child_spawn_tandem (GSubprocessLauncher *launcher,
                                                  ...) G_GNUC_NULL_TERMINATED;
/* Sends SIGKILL as soon as `ready (data)` is TRUE (asked every millisecond
 * while the child runs); `destroy` frees `data` when the question ends. */
void                 tdm_test_child_kill_when   (TdmTestChild     *child,
                                                 TdmTestPredicate  ready,
                                                 gpointer          data,
                                                 GDestroyNotify    destroy);
/* A TdmTestPredicate: has the TdmTestChild `child` ended? */
gboolean             tdm_test_child_exited      (gpointer          child);
/* Waits for the child to end, `seconds` at most. */
void                 tdm_test_child_wait        (TdmTestChild     *child,
                                                 guint             seconds);
/* Kills the child if it still runs, waits for it and frees it. */
void                 tdm_test_child_free        (TdmTestChild     *child);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmTestChild, tdm_test_child_free)

G_END_DECLS
