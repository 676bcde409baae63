/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-state-files"

#include "config.h"

#include "tdm-state-files.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tdm-error.h"

/* The state folder and database hold the shop's customers: names, e-mail
 * and postal addresses. Only the owner may read them: the folder is 0700,
 * the database and the files SQLite keeps beside it 0600. SQLite creates
 * its -wal and -shm files with the mode of the database file, so a
 * database created 0600 here keeps them 0600 too. */

#define DIR_MODE  0700
#define FILE_MODE 0600

static const char * const sqlite_suffixes[] = { "", "-wal", "-shm", "-journal" };

/* Removes the group and other bits of an existing file or folder. A file
 * Tandem cannot change (a read-only disk, another owner) is left as it is:
 * the checks that follow say what is wrong with it. */
static void
tighten_mode (const char *path,
              mode_t      allowed)
{
  GStatBuf st;

  g_assert (path != NULL);

  if (g_stat (path, &st) != 0 || (st.st_mode & 0777 & ~allowed) == 0)
    return;
  if (g_chmod (path, st.st_mode & 0777 & allowed) != 0)
    {
      int saved = errno;

      g_debug ("Cannot tighten the mode of %s: %s", path, g_strerror (saved));
    }
}

static gboolean
errno_is_read_only (int sys_errno)
{
  return sys_errno == EROFS || sys_errno == EACCES || sys_errno == EPERM;
}

/* Whether the folder exists and this process may not write to it. */
static gboolean
dir_is_read_only (const char *dir)
{
  g_assert (dir != NULL);

  if (g_access (dir, W_OK | X_OK) == 0)
    return FALSE;
  return errno_is_read_only (errno);
}

static gboolean
file_is_read_only (const char *path)
{
  g_assert (path != NULL);

  if (g_access (path, W_OK) == 0)
    return FALSE;
  return errno_is_read_only (errno);
}

static gboolean
set_dir_read_only (GError     **error,
                   const char  *dir)
{
  g_assert (dir != NULL);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
               _("Tandem cannot write to its data folder “%s”: it is read-only. Make the folder "
                 "writable (or mount its disk read-write) and start Tandem again. The data in it "
                 "is kept as it is; do not move it away."),
               dir);
  return FALSE;
}

static gboolean
set_file_read_only (GError     **error,
                    const char  *path)
{
  g_assert (path != NULL);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
               _("Tandem cannot write to its local database “%s”: the file is read-only. Make "
                 "it writable for your user and start Tandem again. The data in it is kept as "
                 "it is; do not move it away."),
               path);
  return FALSE;
}

gboolean
tdm_state_dir_prepare (const char  *dir,
                       GError     **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, DIR_MODE) != 0)
    {
      int saved = errno;

      if (errno_is_read_only (saved))
        {
          g_autofree char *parent = g_path_get_dirname (dir);

          return set_dir_read_only (error, parent);
        }
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("Tandem cannot create its data folder %s: %s."), dir, g_strerror (saved));
      return FALSE;
    }

  tighten_mode (dir, DIR_MODE);
  if (dir_is_read_only (dir))
    return set_dir_read_only (error, dir);
  return TRUE;
}

gboolean
tdm_state_files_prepare (const char  *db_path,
                         GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);

  dir = g_path_get_dirname (db_path);
  if (dir_is_read_only (dir))
    return set_dir_read_only (error, dir);

  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      if (file_is_read_only (db_path))
        return set_file_read_only (error, db_path);
    }
  else
    {
      /* Created here, owner only, before SQLite creates it with its
       * default mode (0644 less the umask). A missing folder is left to
       * SQLite, which names it. */
      int fd = g_open (db_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE);

      if (fd >= 0)
        close (fd);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sqlite_suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, sqlite_suffixes[i], NULL);

      tighten_mode (path, FILE_MODE);
    }
  return TRUE;
}

gboolean
tdm_state_files_explain (const char  *db_path,
                         int          sys_errno,
                         GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);

  if (sys_errno == ENOSPC || sys_errno == EDQUOT)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                   _("The disk holding Tandem’s local database “%s” is full. "
                     "Free some space and try again."),
                   db_path);
      return TRUE;
    }

  dir = g_path_get_dirname (db_path);
  if (sys_errno == EROFS || dir_is_read_only (dir))
    {
      set_dir_read_only (error, dir);
      return TRUE;
    }
  if (g_file_test (db_path, G_FILE_TEST_EXISTS) && file_is_read_only (db_path))
    {
      set_file_read_only (error, db_path);
      return TRUE;
    }
  return FALSE;
}
