/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define _GNU_SOURCE  /* unshare () */
#define G_LOG_DOMAIN "tdm-test-state-files"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "tdm-error.h"
#include "tdm-record-store.h"
#include "tdm-state-files.h"
#include "tdm-store.h"
#include "tdm-test-tree.h"

/* The state folder and database on disk (src/storage/tdm-state-files.c):
 * owner-only modes, and a read-only folder or file or a full disk named as
 * such, never as a damaged database.
 *
 * Tests run as root on some machines, where a folder's mode does not stop
 * writing. There the read-only checks run in a child that drops to the
 * "nobody" user; the read-only mount and the full disk need a private
 * mount namespace, which only root can make (skipped otherwise). */

#define NOBODY 65534

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tdm-state-files-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static char *
sibling (const char *path,
         const char *suffix)
{
  return g_strconcat (path, suffix, NULL);
}

/* A store with one finished run in it, closed (the WAL is checkpointed and
 * removed). */
static void
make_state (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = tdm_store_new (path, &error);
  TdmRunInfo info = { 0 };

  g_assert_no_error (error);
  info.id = tdm_record_store_run_begin (TDM_RECORD_STORE (store), &error);
  g_assert_no_error (error);
  info.outcome = (char *) "completed";
  tdm_record_store_run_finish (TDM_RECORD_STORE (store), &info, &error);
  g_assert_no_error (error);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* The message of a store error that is about the disk, not the data. */
static void
assert_not_damaged (const GError *error)
{
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  if (strstr (error->message, "read-only") != NULL)
    g_assert_nonnull (strstr (error->message, "do not move it away"));
  g_assert_null (strstr (error->message, "damaged"));
  g_assert_null (strstr (error->message, "move the file away"));
  g_assert_null (strstr (error->message, "not a Tandem database"));
}

/* ---- Modes ---- */

/* A new database and its -wal and -shm files are readable by the owner only. */
static void
test_new_files_owner_only (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autofree char *wal = sibling (path, "-wal");
  g_autofree char *shm = sibling (path, "-shm");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  mode_t old_umask = umask (022);

  store = tdm_store_new (path, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (store), &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (mode_of (shm), ==, 0600);

  g_clear_object (&store);
  tdm_test_remove_tree (dir);
}

/* A folder left 0755 and a database, WAL and SHM left 0644 by an older
 * version are tightened to 0700 and 0600 when Tandem opens them. */
static void
test_wider_modes_tightened (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = g_build_filename (base, "tandem", NULL);
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autofree char *wal = sibling (path, "-wal");
  g_autofree char *shm = sibling (path, "-shm");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;
  sqlite3 *other = NULL;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  make_state (path);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  /* Another connection keeps the WAL and SHM files (created 0644, the
   * database's mode) in place. */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "PRAGMA journal_mode = WAL; SELECT count(*) FROM runs",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0644), ==, 0);
  g_assert_cmpuint (mode_of (shm), ==, 0644);

  g_assert_true (tdm_state_dir_prepare (dir, &error));
  g_assert_no_error (error);
  store = tdm_store_new (path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mode_of (dir), ==, 0700);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);

  sqlite3_close (other);
  g_clear_object (&store);
  tdm_test_remove_tree (base);
}

/* A missing state folder is created 0700 (and so are missing parents). */
static void
test_new_folder_owner_only (void)
{
  g_autofree char *base = make_dir ();
  g_autofree char *dir = g_build_filename (base, "data", "tandem", NULL);
  g_autoptr(GError) error = NULL;
  mode_t old_umask = umask (022);

  tdm_state_dir_prepare (dir, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (dir), ==, 0700);
  tdm_test_remove_tree (base);
}

/* ---- Read-only folders and files ---- */

/* Gives the whole tree to "nobody" when the test runs as root, so that the
 * child can drop to that user and meet the modes as an owner would. */
static void
chown_one (const char *path,
           gboolean    is_dir,
           gpointer    data)
{
  g_assert_cmpint (lchown (path, NOBODY, NOBODY), ==, 0);
}

static void
chown_tree (const char *path)
{
  if (getuid () != 0)
    return;
  tdm_test_walk_tree (path, TRUE, chown_one, NULL, NULL);
}

static void
drop_root (void)
{
  if (getuid () != 0)
    return;
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (NOBODY), ==, 0);
  g_assert_cmpint (setuid (NOBODY), ==, 0);
  g_assert_cmpint (getuid (), ==, NOBODY);
}

/* In the child: opening the store fails with `expected` in the message,
 * and nothing in the file changed. */
static void
child_open_fails (const char *expected)
{
  const char *path = g_getenv ("TDM_TEST_STATE");
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmStore) store = NULL;

  store = tdm_store_new (path, &error);
  g_assert_null (store);
  g_test_message ("%s", error->message);
  assert_not_damaged (error);
  g_assert_nonnull (strstr (error->message, expected));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

/* A state folder the user may not write to: named as read-only, with the
 * advice to make it writable. */
static void
test_read_only_folder (void)
{
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  if (g_test_subprocess ())
    {
      drop_root ();
      expected = g_strdup_printf ("Tandem cannot write to its data folder “%s”: it is read-only",
                                  g_getenv ("TDM_TEST_DIR"));
      child_open_fails (expected);
      {
        /* The context's check of the folder says the same. */
        g_autoptr(GError) error = NULL;

        g_assert_false (tdm_state_dir_prepare (g_getenv ("TDM_TEST_DIR"), &error));
        assert_not_damaged (error);
        g_assert_nonnull (strstr (error->message, expected));
      }
      return;
    }

  base = make_dir ();
  dir = g_build_filename (base, "tandem", NULL);
  path = g_build_filename (dir, "state.sqlite3", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  make_state (path);
  chown_tree (base);
  g_assert_cmpint (g_chmod (base, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  g_setenv ("TDM_TEST_DIR", dir, TRUE);
  g_setenv ("TDM_TEST_STATE", path, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  tdm_test_remove_tree (base);
}

/* A database file the user may not write to, in a writable folder. */
static void
test_read_only_file (void)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  if (g_test_subprocess ())
    {
      drop_root ();
      expected = g_strdup_printf ("Tandem cannot write to its local database “%s”: the file is "
                                  "read-only", g_getenv ("TDM_TEST_STATE"));
      child_open_fails (expected);
      return;
    }

  base = make_dir ();
  path = g_build_filename (base, "state.sqlite3", NULL);
  make_state (path);
  chown_tree (base);
  g_assert_cmpint (g_chmod (base, 0700), ==, 0);
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  g_setenv ("TDM_TEST_STATE", path, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  tdm_test_remove_tree (base);
}

/* In a child of its own mount namespace, so nothing outside sees the
 * mounts and they go away with the child. */
static gboolean
enter_private_mounts (void)
{
  if (getuid () != 0 || unshare (CLONE_NEWNS) != 0)
    return FALSE;
  return mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

static gboolean
can_mount (void)
{
  return getuid () == 0 && g_file_test ("/proc/self/ns/mnt", G_FILE_TEST_EXISTS);
}

/* The folder on a disk mounted read-only: even root cannot write there. */
static void
test_read_only_mount (void)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("TDM_TEST_DIR");
      g_autofree char *expected = NULL;

      g_assert_true (enter_private_mounts ());
      g_assert_cmpint (mount (dir, dir, NULL, MS_BIND, NULL), ==, 0);
      g_assert_cmpint (mount (NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
      expected = g_strdup_printf ("Tandem cannot write to its data folder “%s”: it is read-only",
                                  dir);
      child_open_fails (expected);
      return;
    }

  if (!can_mount ())
    {
      g_test_skip ("Mounting a read-only folder needs root (a private mount namespace)");
      return;
    }

  base = make_dir ();
  path = g_build_filename (base, "state.sqlite3", NULL);
  make_state (path);
  g_setenv ("TDM_TEST_DIR", base, TRUE);
  g_setenv ("TDM_TEST_STATE", path, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  tdm_test_remove_tree (base);
}

/* Fills the disk holding `dir` with a new file of zeros. */
static void
fill_disk (const char *dir)
{
  static guint n = 0;
  g_autofree char *name = g_strdup_printf ("filler%u", n++);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char block[4096] = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  close (fd);
}

/* A full disk, when Tandem opens its database and while it writes: named
 * as full, never as damaged. */
static void
test_full_disk (void)
{
  g_autofree char *base = NULL;

  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("TDM_TEST_DIR");
      g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
      g_autofree char *expected = g_strdup_printf ("The disk holding Tandem’s local database "
                                                   "“%s” is full", path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmStore) store = NULL;
      guint i;

      g_assert_true (enter_private_mounts ());
      g_assert_cmpint (mount ("tmpfs", dir, "tmpfs", 0, "size=512k"), ==, 0);

      /* While writing. */
      make_state (path);
      store = tdm_store_new (path, &error);
      g_assert_no_error (error);
      fill_disk (dir);
      for (i = 0; i < 100000 && error == NULL; i++)
        tdm_record_store_run_begin (TDM_RECORD_STORE (store), &error);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      assert_not_damaged (error);
      g_assert_nonnull (strstr (error->message, expected));
      g_clear_error (&error);
      g_clear_object (&store);

      /* When opening (closing removed the WAL, which made room). */
      fill_disk (dir);
      g_setenv ("TDM_TEST_STATE", path, TRUE);
      child_open_fails (expected);
      return;
    }

  if (!can_mount ())
    {
      g_test_skip ("Filling a small disk needs root (a private mount namespace for a tmpfs)");
      return;
    }

  base = make_dir ();
  g_setenv ("TDM_TEST_DIR", base, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  tdm_test_remove_tree (base);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/state-files/new-files-owner-only", test_new_files_owner_only);
  g_test_add_func ("/state-files/new-folder-owner-only", test_new_folder_owner_only);
  g_test_add_func ("/state-files/wider-modes-tightened", test_wider_modes_tightened);
  g_test_add_func ("/state-files/read-only-folder", test_read_only_folder);
  g_test_add_func ("/state-files/read-only-file", test_read_only_file);
  g_test_add_func ("/state-files/read-only-mount", test_read_only_mount);
  g_test_add_func ("/state-files/full-disk", test_full_disk);

  return g_test_run ();
}
