/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-store"

#include "config.h"

#include "store-fixture.h"
#include "tdm-error.h"

/* What the engine keeps through TdmRecordStore: the outbox, watermarks,
 * runs, record errors, conflicts and the review list, links and the
 * record cache, and history. */

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmOutboxOp) a = tdm_outbox_op_new (TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "17", "hash-a");
  g_autoptr(TdmOutboxOp) b = tdm_outbox_op_new (TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, "gid://shopify/Order/9", "hash-b");
  g_autoptr(TdmOutboxOp) c = tdm_outbox_op_new (TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, "5", NULL);
  g_autoptr(GPtrArray) pending = NULL;
  TdmOutboxOp *first;

  g_assert_true (g_uuid_string_is_valid (a->op_id));
  g_assert_cmpstr (a->op_id, !=, b->op_id);
  g_assert_cmpstr (a->state, ==, "pending");

  g_assert_true (tdm_record_store_outbox_add (rs, a, &error));
  g_assert_true (tdm_record_store_outbox_add (rs, b, &error));
  g_assert_true (tdm_record_store_outbox_add (rs, c, &error));
  g_assert_no_error (error);
  /* The same op twice is refused. */
  g_assert_false (tdm_record_store_outbox_add (rs, a, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);
  first = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (first->op_id, ==, a->op_id);
  g_assert_cmpint (first->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpint (first->target, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (first->source_id, ==, "17");
  g_assert_cmpstr (first->payload_hash, ==, "hash-a");
  g_assert_cmpstr (((TdmOutboxOp *) g_ptr_array_index (pending, 1))->source_id, ==,
                   "gid://shopify/Order/9");

  g_assert_true (tdm_record_store_outbox_set_state (rs, b->op_id, "failed", &error));
  g_assert_true (tdm_record_store_outbox_set_state (rs, a->op_id, "done", &error));
  g_assert_no_error (error);
  g_assert_false (tdm_record_store_outbox_set_state (rs, "no-such-op", "done", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((TdmOutboxOp *) g_ptr_array_index (pending, 0))->op_id, ==, c->op_id);

  /* Done through a commit, together with the link. */
  {
    g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, "5", "P", "Q", "p@example.com", NULL);
    g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/5", "P", "Q",
                                        "p@example.com", NULL);
    g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link, .outbox_done = c->op_id };

    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tdm_record_store_outbox_pending (rs, &error);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_watermarks (Fixture       *f,
                 gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  char *v;

  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_no_error (error);
  g_assert_null (v);

  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER,
                                                 "2026-11-26T10:00:00Z", &error));
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_ORDER,
                                                 "2026-11-25T09:00:00Z", &error));
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER,
                                                 "2026-11-26T11:00:00Z", &error));
  g_assert_no_error (error);

  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_cmpstr (v, ==, "2026-11-26T11:00:00Z");
  g_free (v);
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_ORDER, &error);
  g_assert_cmpstr (v, ==, "2026-11-25T09:00:00Z");
  g_free (v);
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, &error);
  g_assert_null (v);

  /* Back to "never". */
  g_assert_true (tdm_record_store_set_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, NULL, &error));
  v = tdm_record_store_get_watermark (rs, TDM_SIDE_SHOPIFY, TDM_KIND_ORDER, &error);
  g_assert_no_error (error);
  g_assert_null (v);
}

static void
test_runs (Fixture       *f,
           gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  TdmRunInfo info = { 0 };
  TdmRunInfo *r;
  gint64 first, second;

  first = tdm_record_store_run_begin (rs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  second = tdm_record_store_run_begin (rs, &error);
  g_assert_cmpint (second, >, first);

  info.id = first;
  info.created = 3;
  info.updated = 4;
  info.linked = 5;
  info.conflicts = 1;
  info.errors = 2;
  info.unchanged = 100;
  info.outcome = (char *) "completed";
  g_assert_true (tdm_record_store_run_finish (rs, &info, &error));
  g_assert_no_error (error);

  info.id = 999;
  g_assert_false (tdm_record_store_run_finish (rs, &info, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);

  runs = tdm_store_list_runs (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  r = g_ptr_array_index (runs, 0);
  g_assert_cmpint (r->id, ==, second);           /* newest first */
  g_assert_cmpstr (r->outcome, ==, "running");
  g_assert_cmpint (r->finished_at, ==, 0);
  r = g_ptr_array_index (runs, 1);
  g_assert_cmpint (r->id, ==, first);
  g_assert_cmpstr (r->outcome, ==, "completed");
  g_assert_cmpint (r->finished_at, >=, r->started_at);
  g_assert_cmpuint (r->created, ==, 3);
  g_assert_cmpuint (r->updated, ==, 4);
  g_assert_cmpuint (r->linked, ==, 5);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_assert_cmpuint (r->errors, ==, 2);
  g_assert_cmpuint (r->unchanged, ==, 100);

  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = tdm_store_list_runs (f->store, 1, &error);
  g_assert_cmpuint (runs->len, ==, 1);
}

static void
test_record_errors (Fixture       *f,
                    gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecordError) err = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  TdmStoreError *e;
  char *hash;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  commit_only (f->store, TDM_SIDE_WEBSHOP, "2", "Ola", "Hansen", "ola@example.no");

  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_no_error (error);
  g_assert_null (hash);

  err = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "2", "email",
                              "Customer ola@example.no (webshop id 2): the email is already taken.");
  g_assert_true (tdm_record_store_set_record_error (rs, 7, err, "hash-v1", &error));
  g_assert_no_error (error);
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpstr (hash, ==, "hash-v1");
  g_free (hash);

  /* Replacing keeps one error per record. */
  g_assert_true (tdm_record_store_set_record_error (rs, 8, err, "hash-v2", &error));
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpstr (hash, ==, "hash-v2");
  g_free (hash);

  errors = tdm_store_list_errors (f->store, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (e->record_id, ==, "2");
  g_assert_cmpstr (e->field, ==, "email");
  g_assert_cmpstr (e->title, ==, "Ola Hansen");
  g_assert_cmpint (e->run_id, ==, 8);
  g_assert_cmpint (e->side, ==, TDM_SIDE_WEBSHOP);
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = tdm_store_list_errors (f->store, TDM_KIND_ORDER, 0, &error);
  g_assert_cmpuint (errors->len, ==, 0);

  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_nonnull (row);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);

  /* An error stored through a commit takes the cached record's hash. */
  {
    g_autoptr(TdmRecord) ws1 = customer (TDM_SIDE_WEBSHOP, "1", "Kari", "Nordmann",
                                         "kari@example.no", "+4712345678");
    g_autoptr(TdmRecordError) e1 = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "1",
                                                         "phone", "The phone is invalid.");
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 9, .error = e1 };

    commit.cache[TDM_SIDE_WEBSHOP] = ws1;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
    hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "1", &error);
    g_assert_cmpstr (hash, ==, tdm_record_get_hash (ws1));
    g_free (hash);
    g_clear_object (&row);
    row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
    g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);
  }

  /* A successful commit of the record clears its errors. */
  commit_pair (f->store, "2", "gid://shopify/Customer/2", "Ola", "Hansen", "ola@example.no");
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_no_error (error);
  g_assert_null (hash);
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "2", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_LINKED);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);
}

/* A record whose version failed before it was ever cached (a value that
 * cannot be read: the engine stores the error with that version as
 * `failed`) is listed with its name and the Error status, found by name,
 * counted, and neither cached for the engine nor a candidate twin; once a
 * version syncs, its row is an ordinary one. */
static void
test_failed_record_listed (Fixture       *f,
                           gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) bad = customer (TDM_SIDE_WEBSHOP, "100008", "Sølvi", "Ødegård",
                                       "solvi@example.no", "123");
  g_autoptr(TdmRecord) bad_sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1132", "Per",
                                          "Berg", "per@example.no", "ring etter kl. 16");
  g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER,
                                                        "100008", "phone",
                                                        "Not synced: “123” is not a phone number.");
  g_autoptr(TdmRecordError) err_sh = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                           "gid://shopify/Customer/1132", "phone",
                                                           "Not synced: not a phone number.");
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(GPtrArray) unlinked = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(TdmRecord) cached = NULL;
  g_autofree char *hash = NULL;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  for (guint i = 0; i < 2; i++)
    {
      TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 3 };

      commit.error = i == 0 ? err : err_sh;
      commit.failed = i == 0 ? bad : bad_sh;
      g_assert_true (tdm_record_store_commit (rs, &commit, &error));
      g_assert_no_error (error);
    }

  /* Listed: by the Error filter, by name (without its accents too), in the
   * count of every record. */
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 3);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "sølvi"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "odegard"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, "per berg"), ==, 1);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "100008", &error);
  g_assert_nonnull (row);
  g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Sølvi Ødegård");
  g_assert_cmpstr (tdm_store_row_get_extra (row), ==, "123");
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);

  /* Activity names it. */
  errors = tdm_store_list_errors (f->store, -1, 0, &error);
  g_assert_cmpuint (errors->len, ==, 2);
  for (guint i = 0; i < errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (errors, i);

      g_assert_cmpstr (e->title, ==, e->side == TDM_SIDE_WEBSHOP ? "Sølvi Ødegård" : "Per Berg");
    }

  /* The version that failed is remembered, not cached. */
  hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "100008",
                                          &error);
  g_assert_cmpstr (hash, ==, tdm_record_get_hash (bad));
  cached = tdm_record_store_lookup_cached (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "100008",
                                           &error);
  g_assert_null (cached);
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unlinked->len, ==, 0);

  /* Fixed and synced: an ordinary row, found under its new name only. */
  commit_pair (f->store, "100008", "gid://shopify/Customer/2000", "Sølvi", "Lie",
               "solvi@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ERROR, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 3);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, "solvi lie"), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "odegard"), ==, 0);
  assert_fts_consistent (f->path);
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) resolutions = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(TdmLink) link = tdm_link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1");
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link, .clear_conflicts = TRUE };
  TdmFieldConflict *c;
  TdmStoreConflict *sc;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_clear_pointer (&link, tdm_link_unref);
  link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  commit.link = link;

  g_ptr_array_add (conflicts, conflict_new ("email", "a@example.no", "b@example.no", "kari@example.no"));
  g_ptr_array_add (conflicts, conflict_new ("phone", "+471", "+472", NULL));
  commit.conflicts = conflicts;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);

  listed = tdm_record_store_list_conflicts (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  c = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (c->field, ==, "email");
  g_assert_cmpstr (json_node_get_string (c->webshop_value), ==, "a@example.no");
  g_assert_cmpstr (json_node_get_string (c->shopify_value), ==, "b@example.no");
  g_assert_cmpstr (json_node_get_string (c->base_value), ==, "kari@example.no");
  g_assert_false (c->resolved);
  c = g_ptr_array_index (listed, 1);
  g_assert_null (c->base_value);

  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_CUSTOMER, &error), ==, 2);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 2);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_ORDER, &error), ==, 0);
  pending = tdm_store_list_pending_conflicts (f->store, TDM_KIND_CUSTOMER, &error);
  g_assert_cmpuint (pending->len, ==, 2);
  sc = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (sc->shopify_id, ==, "gid://shopify/Customer/1");
  g_assert_cmpstr (sc->title, ==, "Kari Nordmann");
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_CONFLICT);

  /* Nothing resolved yet. */
  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 0);
  g_clear_pointer (&resolutions, g_hash_table_unref);

  g_assert_true (tdm_record_store_resolve_conflict (rs, TDM_KIND_CUSTOMER, "1", "email",
                                                    TDM_SIDE_SHOPIFY, &error));
  g_assert_no_error (error);
  g_assert_false (tdm_record_store_resolve_conflict (rs, TDM_KIND_CUSTOMER, "1", "note",
                                                     TDM_SIDE_SHOPIFY, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE);
  g_clear_error (&error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, TDM_KIND_CUSTOMER, &error), ==, 1);

  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 1);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolutions, "email")), ==,
                   TDM_SIDE_SHOPIFY + 1);
  g_clear_pointer (&resolutions, g_hash_table_unref);
  /* Taken means gone. */
  resolutions = tdm_record_store_take_resolutions (rs, TDM_KIND_CUSTOMER, "1", &error);
  g_assert_cmpuint (g_hash_table_size (resolutions), ==, 0);

  /* Still in conflict on phone. */
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_CONFLICT);

  /* A later commit where nothing is in conflict any more clears the rest. */
  commit.conflicts = NULL;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 0);
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_LINKED);

  /* Deleting the link drops its conflicts. */
  commit.conflicts = conflicts;
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 2);
  g_assert_true (tdm_record_store_delete_link (rs, TDM_KIND_CUSTOMER, "1", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tdm_store_count_conflicts (f->store, -1, &error), ==, 0);
}

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TdmReviewItem item = { .kind = TDM_KIND_CUSTOMER, .side = TDM_SIDE_WEBSHOP,
                         .record_id = (char *) "17", .reason = (char *) "Two Shopify customers have this phone." };
  TdmReviewItem *got;

  item.candidate_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (item.candidate_ids, g_strdup ("gid://shopify/Customer/1"));
  g_ptr_array_add (item.candidate_ids, g_strdup ("gid://shopify/Customer/2"));
  g_assert_true (tdm_record_store_add_review (rs, &item, &error));
  g_assert_true (tdm_record_store_add_review (rs, &item, &error));   /* idempotent */
  g_assert_no_error (error);

  items = tdm_store_list_review (f->store, TDM_KIND_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  got = g_ptr_array_index (items, 0);
  g_assert_cmpstr (got->record_id, ==, "17");
  g_assert_cmpint (got->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpstr (got->reason, ==, item.reason);
  g_assert_cmpuint (got->candidate_ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (got->candidate_ids, 1), ==, "gid://shopify/Customer/2");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = tdm_store_list_review (f->store, TDM_KIND_PRODUCT, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_true (tdm_record_store_clear_review (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "17", &error));
  items = tdm_store_list_review (f->store, -1, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_ptr_array_unref (item.candidate_ids);
}

static void
test_links_and_unlinked (Fixture       *f,
                         gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) unlinked = NULL;
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(TdmRecord) tomb = tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                        "gid://shopify/Customer/9", "2026-11-26T12:00:00Z");
  g_autoptr(TdmRecord) cached = NULL;

  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  commit_only (f->store, TDM_SIDE_WEBSHOP, "2", "Ola", "Hansen", "ola@example.no");
  commit_only (f->store, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/3", "Per", "Olsen", "per@example.no");
  commit_only (f->store, TDM_SIDE_SHOPIFY, "gid://shopify/Customer/9", "Gone", "Away", "gone@example.no");

  links = tdm_record_store_list_links (rs, TDM_KIND_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 1);
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, &error);
  g_assert_cmpuint (unlinked->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) g_ptr_array_index (unlinked, 0))->id, ==, "2");
  g_clear_pointer (&unlinked, g_ptr_array_unref);
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, &error);
  g_assert_cmpuint (unlinked->len, ==, 2);
  g_clear_pointer (&unlinked, g_ptr_array_unref);

  /* A tombstone leaves the unlinked list and the views, and is cached as deleted. */
  {
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER };
    commit.cache[TDM_SIDE_SHOPIFY] = tomb;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  }
  unlinked = tdm_record_store_list_unlinked (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, &error);
  g_assert_cmpuint (unlinked->len, ==, 1);
  cached = tdm_record_store_lookup_cached (rs, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY,
                                           "gid://shopify/Customer/9", &error);
  g_assert_true (cached->deleted);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 3);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, NULL), ==, 1);

  /* Linking 2 and 3 merges their two rows into one. */
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Hansen", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, NULL), ==, 2);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, 2);

  /* Deleting a link splits it into two one-sided rows. */
  g_assert_true (tdm_record_store_delete_link (rs, TDM_KIND_CUSTOMER, "2", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_WEBSHOP, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ONLY_SHOPIFY, NULL), ==, 1);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_LINKED, NULL), ==, 1);

  /* An orphaned link: the Shopify side was deleted, the webshop record kept. */
  {
    g_autoptr(TdmLink) link = tdm_record_store_lookup_link (rs, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP,
                                                            "1", &error);
    g_autoptr(TdmRecord) gone = tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER,
                                                          "gid://shopify/Customer/1", NULL);
    TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .link = link };

    link->orphaned = TRUE;
    commit.cache[TDM_SIDE_SHOPIFY] = gone;
    g_assert_true (tdm_record_store_commit (rs, &commit, &error));
    g_assert_no_error (error);
    row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
    g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ORPHANED);
    g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Kari Nordmann");
  }

  /* A renamed record is found by its new name only. */
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Hansen", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 1);
  commit_pair (f->store, "2", "gid://shopify/Customer/3", "Ola", "Berg", "ola@example.no");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "hansen"), ==, 0);
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "berg"), ==, 1);
  assert_fts_consistent (f->path);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(TdmRecord) ws = customer (TDM_SIDE_WEBSHOP, "1", "Kari", "Nordmann", "kari@example.no", NULL);
  g_autoptr(TdmRecord) sh = customer (TDM_SIDE_SHOPIFY, "gid://shopify/Customer/1", "Kari", "Nordmann",
                                      "kari@example.no", NULL);
  g_autoptr(TdmLink) link = link_with_snapshots (TDM_KIND_CUSTOMER, ws, sh);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_history_entry_free);
  g_autoptr(JsonNode) before = json_node_init_string (json_node_alloc (), "old@example.no");
  g_autoptr(JsonNode) after = json_node_init_string (json_node_alloc (), "kari@example.no");
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 3, .link = link, .history = entries };
  TdmStoreHistory *h;

  g_ptr_array_add (entries, tdm_history_entry_new (TDM_SIDE_SHOPIFY, "updated", "email", before, after));
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);

  history = tdm_store_list_history (f->store, TDM_KIND_CUSTOMER, NULL, "gid://shopify/Customer/1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  h = g_ptr_array_index (history, 0);
  g_assert_cmpint (h->run_id, ==, 3);
  g_assert_cmpint (h->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (h->action, ==, "updated");
  g_assert_cmpstr (h->field, ==, "email");
  g_assert_cmpstr (h->before, ==, "\"old@example.no\"");
  g_assert_cmpstr (h->after, ==, "\"kari@example.no\"");
  g_assert_cmpstr (h->webshop_id, ==, "1");
  g_assert_cmpint (h->at, >, 0);
}

/* A version that failed on a value that cannot be used keeps that value as
 * its shop holds it (read from its native record through the mapping), so
 * that its row shows which record it is, with the field of its problem
 * named; the details read it too. Without a mapping nothing is read. */
static void
test_failed_record_value (Fixture       *f,
                          gconstpointer  data)
{
  TdmRecordStore *rs = TDM_RECORD_STORE (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) native = NULL;
  g_autoptr(TdmRecord) bad = NULL;
  g_autoptr(TdmRecord) failed = NULL;
  g_autoptr(TdmRecordError) err = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER,
                                                        "108", "email",
                                                        "Not synced: “Email” cannot be used.");
  g_autoptr(TdmStoreRow) row = NULL;
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 3 };

  native = tdm_json_object_from_string ("{\"id\": 108, \"first_name\": \"Ola\","
                                        " \"last_name\": \"Nordmann\","
                                        " \"email\": \"ola.nordmann@@example.no\"}", &error);
  g_assert_no_error (error);
  json_object_set_string_member (fields, "first_name", "Ola");
  json_object_set_string_member (fields, "last_name", "Nordmann");
  bad = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "108", NULL, NULL, fields, native);
  commit.error = err;
  commit.failed = bad;

  /* No mapping: the email is not known. */
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "108", &error);
  g_assert_nonnull (row);
  g_assert_null (tdm_store_row_get_subtitle (row));
  g_assert_cmpstr (tdm_store_row_get_problem_field (row), ==, "email");
  g_clear_object (&row);

  tdm_store_set_mapping (f->store, mapping);
  g_assert_true (tdm_record_store_commit (rs, &commit, &error));
  g_assert_no_error (error);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "108", &error);
  g_assert_nonnull (row);
  g_assert_cmpstr (tdm_store_row_get_title (row), ==, "Ola Nordmann");
  g_assert_cmpstr (tdm_store_row_get_subtitle (row), ==, "ola.nordmann@@example.no");
  g_assert_cmpint (tdm_store_row_get_status (row), ==, TDM_LINK_STATUS_ERROR);
  g_assert_cmpstr (tdm_store_row_get_problem_field (row), ==, "email");
  g_assert_cmpint (count_rows (f->store, TDM_LINK_STATUS_ALL, "ola.nordmann"), ==, 1);
  failed = tdm_store_get_failed_record (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "108",
                                        &error);
  g_assert_nonnull (failed);
  g_assert_cmpstr (tdm_record_get_string (failed, "email"), ==, "ola.nordmann@@example.no");
  /* The version is remembered by its own fields. */
  {
    g_autofree char *hash = tdm_record_store_get_error_hash (rs, TDM_KIND_CUSTOMER,
                                                             TDM_SIDE_WEBSHOP, "108", &error);

    g_assert_cmpstr (hash, ==, tdm_record_get_hash (bad));
  }

  /* Rows without an error name no field. */
  commit_pair (f->store, "1", "gid://shopify/Customer/1", "Kari", "Nordmann", "kari@example.no");
  g_clear_object (&row);
  row = tdm_store_get_row (f->store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, "1", &error);
  g_assert_nonnull (row);
  g_assert_null (tdm_store_row_get_problem_field (row));
  tdm_store_set_mapping (f->store, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, fn) g_test_add ("/store/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("outbox", test_outbox);
  ADD ("watermarks", test_watermarks);
  ADD ("runs", test_runs);
  ADD ("record-errors", test_record_errors);
  ADD ("failed-record-listed", test_failed_record_listed);
  ADD ("failed-record-value", test_failed_record_value);
  ADD ("conflicts", test_conflicts);
  ADD ("review", test_review);
  ADD ("links-and-unlinked", test_links_and_unlinked);
  ADD ("history", test_history);
#undef ADD

  return g_test_run ();
}
