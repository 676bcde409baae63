/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PRAGMA application_id of a Tandem state database ("TDM1"). */
#define TDM_STORE_APPLICATION_ID 0x54444d31

/* Numbered schema migrations: migration N brings PRAGMA user_version from
 * N - 1 to N. Each is a batch of SQL run inside the caller's transaction;
 * with `rebuild_views`, the store then builds every view row and the search
 * index again from the records (what the rows show changed). Never edit a
 * released migration; append a new one. */
typedef struct {
  int         version;
  const char *sql;
  gboolean    rebuild_views;
} TdmStoreMigration;

const TdmStoreMigration *tdm_store_migrations_get (guint *n_migrations);
int                      tdm_store_migrations_latest (void);

G_END_DECLS
