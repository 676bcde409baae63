/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Waiting on the main loop, always with a time limit: the fakes, the
 * session bus and GTK all live in the test's main context, so a test waits
 * by iterating it. A wait that runs out of time ends the program with a
 * message naming what it waited for (docs/testing.md, The test library). */

typedef gboolean (*TdmTestPredicate) (gpointer data);

/* Iterates the main context for `ms` milliseconds. */
void          tdm_test_spin          (guint             ms);

/* Iterates until `done (data)` is TRUE; after `seconds` the program fails
 * with "Timed out after N s waiting for <what>". */
void          tdm_test_wait_until    (TdmTestPredicate  done,
                                      gpointer          data,
                                      guint             seconds,
                                      const char       *what);

/* One iteration that returns within 10 ms (and by `deadline`, monotonic
 * time) even when nothing happens; FALSE, without iterating, once the
 * deadline has passed. */
gboolean      tdm_test_wait_step     (gint64            deadline);

/* How many times longer a wait may take than its stated limit: 1, or
 * TDM_TEST_TIME_SCALE (a sanitizer build sets it, as meson's
 * --timeout-multiplier does for whole programs: such a build runs 3 to 15
 * times slower). It scales limits only, never what a test asserts. */
guint         tdm_test_time_scale    (void);

/* Iterates until the expression `condition` holds, for `seconds` (times
 * the time scale) at most; the program fails naming the expression, the
 * file and the line. */
#define tdm_test_wait_for(condition, seconds) \
  G_STMT_START { \
    guint tdm_test_limit_ = (guint) (seconds) * tdm_test_time_scale (); \
    gint64 tdm_test_deadline_ = g_get_monotonic_time () + (gint64) tdm_test_limit_ * G_USEC_PER_SEC; \
    while (!(condition)) \
      if (!tdm_test_wait_step (tdm_test_deadline_)) \
        g_error ("%s:%d: still not true after %u s: %s", __FILE__, __LINE__, \
                 tdm_test_limit_, #condition); \
  } G_STMT_END

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult * that
 * `user_data` points to; tdm_test_wait_result() waits for it:
 *
 *   g_autoptr(GAsyncResult) result = NULL;
 *   thing_do_async (thing, NULL, tdm_test_keep_result_cb, &result);
 *   thing_do_finish (thing, tdm_test_wait_result (&result, 10), &error);
 */
void          tdm_test_keep_result_cb (GObject          *source,
                                       GAsyncResult     *result,
                                       gpointer          user_data);
/* Fails after `seconds` with "Timed out after N s waiting for an
 * asynchronous call to finish". */
GAsyncResult *tdm_test_wait_result    (GAsyncResult    **slot,
                                       guint             seconds);

G_END_DECLS
