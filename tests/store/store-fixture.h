/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

/* What the store test programs (test-store-open, test-store-records,
 * test-store-views) share: a store in a temporary folder, records and
 * links to commit, direct reads of the database file, and a populated
 * customer view. */

#include <glib.h>

#include "tdm-planner.h"
#include "tdm-record.h"
#include "tdm-record-store.h"
#include "tdm-store.h"

G_BEGIN_DECLS

typedef struct {
  char     *dir;
  char     *path;
  TdmStore *store;
} Fixture;

/* A store in a new temporary folder (f->path), for g_test_add (). */
void fixture_setup (Fixture       *f,
                    gconstpointer  data);

/* Closes the store and removes its folder. */
void fixture_teardown (Fixture       *f,
                       gconstpointer  data);

/* A JSON object of string members: key, value, …, NULL. */
JsonObject *fields_new (const char *first_key,
                        ...) G_GNUC_NULL_TERMINATED;

/* A customer record with first_name, last_name, email and (nullable) phone. */
TdmRecord *customer (TdmSide     side,
                     const char *id,
                     const char *first,
                     const char *last,
                     const char *email,
                     const char *phone);

/* A link of the two records with their fields as snapshots. */
TdmLink *link_with_snapshots (TdmKind    kind,
                              TdmRecord *ws,
                              TdmRecord *sh);

/* Commits a linked customer pair with both cache rows. */
void commit_pair (TdmStore   *store,
                  const char *ws_id,
                  const char *sh_id,
                  const char *first,
                  const char *last,
                  const char *email);

/* Commits one customer record without a twin. */
void commit_only (TdmStore   *store,
                  TdmSide     side,
                  const char *id,
                  const char *first,
                  const char *last,
                  const char *email);

/* A field conflict with string values (`base` nullable). */
TdmFieldConflict *conflict_new (const char *field,
                                const char *ws,
                                const char *sh,
                                const char *base);

/* Frees a conflict_new () (element free function of a GPtrArray). */
void conflict_free (TdmFieldConflict *c);

/* SHA-256 of a file's bytes (to check that a refused file is untouched). */
char *file_checksum (const char *path);

/* The first column of the first row of `sql` on a read-only connection. */
int sqlite_int (const char *path,
                const char *sql);

/* FTS5's own check that the search index matches view_rows. */
void assert_fts_consistent (const char *path);

/* tdm_store_count () of customers; asserts no error. */
gint64 count_rows (TdmStore      *store,
                   TdmLinkStatus  status,
                   const char    *search);

/* 12 linked customers, 5 only in the webshop, 4 only in Shopify, 2 with a
 * pending conflict, 1 with a record error and 1 orphaned. */
void populate_views (TdmStore *store);

/* tdm_store_query () of customers; asserts no error. */
GPtrArray *query (TdmStore      *store,
                  TdmLinkStatus  status,
                  const char    *search,
                  TdmStoreSort   sort,
                  gboolean       desc,
                  guint          offset,
                  guint          limit);

/* The title of rows[i] (TdmStoreRow). */
const char *row_title (GPtrArray *rows,
                       guint      i);

G_END_DECLS
