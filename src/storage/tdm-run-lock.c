/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-run-lock"

#include "config.h"

#include "tdm-run-lock.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Two runs on the same state at once (the window and `tandem --sync-now`
 * from a timer, or two timers) would read the same watermarks and write the
 * same records twice. A run therefore holds an exclusive flock () on
 * "<database>.lock" for as long as it goes on. flock () locks belong to the
 * open file, so a second lock taken in the same process conflicts too, and
 * the kernel drops the lock when the holder exits or is killed: a crashed
 * run never leaves a stale lock behind. The holder writes its process id
 * into the file so that the one refused can name it. */

struct _TdmRunLock
{
  int   fd;
  char *path;
};

char *
tdm_run_lock_path_for (const char *db_path)
{
  g_return_val_if_fail (db_path != NULL, NULL);
  return g_strconcat (db_path, ".lock", NULL);
}

/* The process id the holder wrote, or 0 when it has not yet. */
static long
read_holder (int fd)
{
  char buf[32] = { 0 };
  char *end = NULL;
  ssize_t n;
  long pid;

  g_assert (fd >= 0);

  n = pread (fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return 0;
  pid = strtol (buf, &end, 10);
  return end != buf && pid > 0 ? pid : 0;
}

TdmRunLock *
tdm_run_lock_acquire (const char  *lock_path,
                      GError     **error)
{
  g_autofree char *pid_text = NULL;
  TdmRunLock *lock;
  int fd;

  g_return_val_if_fail (lock_path != NULL, NULL);

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Tandem cannot open its lock file “%s”: %s."), lock_path,
                   g_strerror (saved));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      long holder;

      if (saved == EINTR)
        continue;
      if (saved != EWOULDBLOCK)
        {
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Tandem cannot lock its lock file “%s”: %s."), lock_path,
                       g_strerror (saved));
          return NULL;
        }

      holder = read_holder (fd);
      close (fd);
      if (holder > 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _("Another sync is running (pid %ld) on the same data. Wait for it to "
                       "finish, then try again."),
                     holder);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                     _("Another sync is running on the same data. Wait for it to finish, "
                       "then try again."));
      return NULL;
    }

  pid_text = g_strdup_printf ("%ld\n", (long) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid_text, strlen (pid_text), 0) < 0)
    g_debug ("Cannot write the process id into %s: %s", lock_path, g_strerror (errno));

  lock = g_new0 (TdmRunLock, 1);
  lock->fd = fd;
  lock->path = g_strdup (lock_path);
  return lock;
}

void
tdm_run_lock_release (TdmRunLock *lock)
{
  if (lock == NULL)
    return;

  /* Emptied first, so that a process reading it before the next holder
   * writes never names a finished one. */
  if (ftruncate (lock->fd, 0) != 0)
    g_debug ("Cannot empty %s: %s", lock->path, g_strerror (errno));
  close (lock->fd);   /* drops the flock */
  g_free (lock->path);
  g_free (lock);
}
