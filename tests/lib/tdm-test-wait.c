/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-wait.h"

static gboolean
on_flag_timeout_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  g_assert (fired != NULL);

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

void
tdm_test_spin (guint ms)
{
  gboolean fired = FALSE;

  g_timeout_add (ms, on_flag_timeout_cb, &fired);
  while (!fired)
    g_main_context_iteration (NULL, TRUE);
}

guint
tdm_test_time_scale (void)
{
  static guint scale;

  if (scale == 0)
    {
      const char *env = g_getenv ("TDM_TEST_TIME_SCALE");
      guint64 value = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 1;

      scale = (guint) CLAMP (value, 1, 20);
    }
  return scale;
}

void
tdm_test_wait_until (TdmTestPredicate  done,
                     gpointer          data,
                     guint             seconds,
                     const char       *what)
{
  gint64 deadline;

  seconds *= tdm_test_time_scale ();
  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  g_assert (done != NULL);
  g_assert (what != NULL);

  while (!done (data))
    {
      if (!tdm_test_wait_step (deadline))
        g_error ("Timed out after %u s waiting for %s", seconds, what);
    }
}

static gboolean
on_wake_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

/* How often a wait looks again when nothing happens in the main loop: a
 * condition may change outside it (a file another process writes, a window
 * on the X server). */
#define POLL_MS 10

gboolean
tdm_test_wait_step (gint64 deadline)
{
  gint64 now = g_get_monotonic_time ();
  guint wake;

  if (now >= deadline)
    return FALSE;

  /* A source that fires soon: the blocking iteration returns then even
   * when nothing else happens. */
  wake = g_timeout_add ((guint) MIN (POLL_MS, (deadline - now) / 1000 + 1), on_wake_cb, &wake);
  g_main_context_iteration (NULL, TRUE);
  if (wake != 0)
    g_source_remove (wake);
  return TRUE;
}

void
tdm_test_keep_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (slot != NULL);
  g_assert (*slot == NULL);

  *slot = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  GAsyncResult **slot = data;

  return *slot != NULL;
}

GAsyncResult *
tdm_test_wait_result (GAsyncResult **slot,
                      guint          seconds)
{
  g_assert (slot != NULL);

  tdm_test_wait_until (result_arrived, slot, seconds, "an asynchronous call to finish");
  return *slot;
}
