/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-dryrun"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-sandbox-data.h"

/* A dry run is the plan of the run that follows (docs/sync.md, A run's
 * phases): on the sandbox's demo shop (tests/fakes/sandbox), a dry run
 * plans every create, update, link and delete the real run then does —
 * the orders of customers created in the same run included, planned after
 * them — and the circuit breaker counts that whole plan, on a first run
 * too (docs/sync.md, Circuit breaker). The real engine, store and
 * connectors against both fakes (e2e-harness.h). */

#define N_TYPES (TDM_ACTION_REVIEW + 1)

typedef struct {
  guint n[TDM_N_KINDS][N_TYPES];
} KindCounts;

/* What the dry run's "plan-ready" signals held, in the order they came. */
typedef struct {
  KindCounts  counts;
  GPtrArray  *lines;      /* char*: "kind type source-side:source-id reason" */
  GHashTable *position;   /* "kind:side:id" of a planned create or link → index + 1 */
} Plan;

static const char *
type_name (TdmActionType type)
{
  static const char * const names[N_TYPES] = {
    "nothing", "create", "update", "link", "conflict", "orphan", "delete", "wait", "review",
  };

  g_assert ((guint) type < N_TYPES);
  return names[type];
}

static char *
key_of (TdmKind     kind,
        TdmSide     side,
        const char *id)
{
  return g_strdup_printf ("%s:%s:%s", tdm_kind_to_string (kind), tdm_side_to_string (side), id);
}

static void
on_plan_ready_cb (TdmSyncEngine *engine,
                  GPtrArray     *actions,
                  Plan          *plan)
{
  g_assert (actions != NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = actions->pdata[i];
      guint index = plan->lines->len;

      plan->counts.n[action->kind][action->type]++;
      g_ptr_array_add (plan->lines, g_strdup_printf ("%s %s %s:%s %s",
                                                     tdm_kind_to_string (action->kind),
                                                     type_name (action->type),
                                                     action->source
                                                       ? tdm_side_to_string (action->source->side)
                                                       : "-",
                                                     action->source ? action->source->id : "-",
                                                     action->reason ? action->reason : ""));
      if ((action->type == TDM_ACTION_CREATE || action->type == TDM_ACTION_LINK)
          && action->source != NULL)
        g_hash_table_replace (plan->position,
                              key_of (action->kind, action->source->side, action->source->id),
                              GUINT_TO_POINTER (index + 1));
      if (action->type == TDM_ACTION_LINK && action->twin != NULL)
        g_hash_table_replace (plan->position,
                              key_of (action->kind, action->twin->side, action->twin->id),
                              GUINT_TO_POINTER (index + 1));
      /* An order after the customer it needs: that customer's create or
       * link is already in the plan, and the order's reason names it. */
      if (action->kind == TDM_KIND_ORDER && action->type == TDM_ACTION_CREATE)
        {
          const char *customer = tdm_record_get_string (action->source, "customer_id");
          g_autofree char *customer_key = NULL;

          if (customer == NULL)
            continue;
          customer_key = key_of (TDM_KIND_CUSTOMER,
                                 g_str_has_prefix (customer, "gid://") ? TDM_SIDE_SHOPIFY
                                                                       : TDM_SIDE_WEBSHOP,
                                 customer);
          if (g_hash_table_contains (plan->position, customer_key))
            {
              g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (plan->position,
                                                                       customer_key)), <=, index);
              g_assert_nonnull (action->reason);
              g_assert_nonnull (strstr (action->reason, customer));
            }
        }
    }
}

/* The demo shop, smaller than the sandbox's (the real run stays short),
 * with its deliberate problems: an email nobody accepts, a product without
 * SKU. */
static void
seed_demo (E2E *e2e)
{
  TdmSandboxSizes sizes;

  tdm_sandbox_sizes_init_default (&sizes);
  sizes.customers = 60;
  sizes.products = 20;
  sizes.orders = 60;
  sizes.shared_customers = 24;
  sizes.shopify_customers = 8;
  sizes.shared_products = 10;
  sizes.shopify_products = 3;
  sizes.shopify_orders = 6;
  g_assert_true (tdm_sandbox_seed (e2e->web, e2e->shop, &sizes));
}

static guint
records_in_fakes (E2E     *e2e,
                  TdmKind  kind)
{
  return tdm_fake_webshop_count (e2e->web, kind) + tdm_fake_shopify_count (e2e->shop, kind);
}

/* The newest run in the store. */
static gint64
last_run_id (E2E *e2e)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = tdm_store_list_runs (e2e->store, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  return ((TdmRunInfo *) runs->pdata[0])->id;
}

/* What the run `run_id` did to each kind, from what it left in the store:
 * each linked pair's history of that run (created, linked, updated),
 * record errors, conflicts waiting and ambiguous matches. */
static void
count_real_run (E2E        *e2e,
                gint64      run_id,
                KindCounts *real)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) links = tdm_record_store_list_links (TDM_RECORD_STORE (e2e->store), k,
                                                                &error);
      g_autoptr(GPtrArray) reviews = NULL;

      g_assert_no_error (error);
      for (guint i = 0; i < links->len; i++)
        {
          TdmLink *link = links->pdata[i];
          g_autoptr(GPtrArray) history = tdm_store_list_history (e2e->store, k, link->webshop_id,
                                                                 link->shopify_id, 0, &error);
          gboolean created = FALSE, linked = FALSE, updated = FALSE;

          g_assert_no_error (error);
          for (guint h = 0; h < history->len; h++)
            {
              TdmStoreHistory *entry = history->pdata[h];

              if (entry->run_id != run_id)
                continue;
              created |= g_str_equal (entry->action, "created");
              linked |= g_str_equal (entry->action, "linked");
              updated |= g_str_equal (entry->action, "updated");
            }
          if (created)
            real->n[k][TDM_ACTION_CREATE]++;
          else if (linked)
            real->n[k][TDM_ACTION_LINK]++;
          else if (updated)
            real->n[k][TDM_ACTION_UPDATE]++;
        }
      real->n[k][TDM_ACTION_CONFLICT] = (guint) tdm_store_count_conflicts (e2e->store, k, &error);
      g_assert_no_error (error);
      reviews = tdm_store_list_review (e2e->store, k, &error);
      g_assert_no_error (error);
      real->n[k][TDM_ACTION_REVIEW] = reviews->len;
    }
}

/* Record errors of one kind among those of the last run. */
static guint
errors_of_kind (GPtrArray *errors,
                TdmKind    kind)
{
  guint n = 0;

  for (guint i = 0; i < errors->len; i++)
    if (((TdmRecordError *) errors->pdata[i])->kind == kind)
      n++;
  return n;
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->lines, g_ptr_array_unref);
  g_clear_pointer (&plan->position, g_hash_table_unref);
}

static void
plan_init (Plan *plan)
{
  memset (plan, 0, sizeof *plan);
  plan->lines = g_ptr_array_new_with_free_func (g_free);
  plan->position = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Seeds the demo shop, notes how many records of each kind the fakes hold
 * (`before`) and makes a dry run whose plan goes to `plan`. */
static void
dry_run_demo (E2E           *e2e,
              Plan          *plan,
              guint          before[TDM_N_KINDS],
              TdmSyncCounts *counts)
{
  TdmSyncRunOptions dry = { .dry_run = TRUE };
  gulong handler;

  g_assert (e2e != NULL && plan != NULL && before != NULL);

  plan_init (plan);
  seed_demo (e2e);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    before[k] = records_in_fakes (e2e, k);

  handler = g_signal_connect (e2e->engine, "plan-ready", G_CALLBACK (on_plan_ready_cb), plan);
  e2e_run_ok (e2e, &dry, counts);
  g_signal_handler_disconnect (e2e->engine, handler);
}

/* ---- A dry run counts what the real run does ---- */

static void
test_dry_run_is_the_plan (void)
{
  E2E *e2e = e2e_new ();
  TdmSyncRunOptions real = { .confirm_large_run = TRUE };
  TdmSyncCounts dry_counts = { 0 };
  TdmSyncCounts real_counts = { 0 };
  KindCounts real_kinds = { 0 };
  guint before[TDM_N_KINDS];
  guint dry_errors[TDM_N_KINDS];
  Plan plan;

  dry_run_demo (e2e, &plan, before, &dry_counts);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    dry_errors[k] = errors_of_kind (e2e->record_errors, k);

  for (guint i = 0; i < plan.lines->len; i++)
    g_test_message ("plan: %s", (const char *) plan.lines->pdata[i]);
  g_test_message ("dry run: created=%u updated=%u linked=%u conflicts=%u errors=%u unchanged=%u "
                  "waiting=%u review=%u", dry_counts.created, dry_counts.updated,
                  dry_counts.linked, dry_counts.conflicts, dry_counts.errors,
                  dry_counts.unchanged, dry_counts.waiting, dry_counts.review);

  /* Nothing written, every order planned: none waits for a customer that
   * the same run creates or links. */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    g_assert_cmpuint (records_in_fakes (e2e, k), ==, before[k]);
  g_assert_cmpuint (dry_counts.waiting, ==, 0);
  g_assert_cmpuint (plan.counts.n[TDM_KIND_ORDER][TDM_ACTION_CREATE], >, 0);

  e2e_run_ok (e2e, &real, &real_counts);
  g_test_message ("real run: created=%u updated=%u linked=%u conflicts=%u errors=%u unchanged=%u "
                  "waiting=%u review=%u", real_counts.created, real_counts.updated,
                  real_counts.linked, real_counts.conflicts, real_counts.errors,
                  real_counts.unchanged, real_counts.waiting, real_counts.review);
  count_real_run (e2e, last_run_id (e2e), &real_kinds);

  /* Per kind and action: the plan is what happened. */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_test_message ("%s: planned create %u link %u update %u; done create %u link %u "
                      "update %u; new records %u", tdm_kind_to_string (k),
                      plan.counts.n[k][TDM_ACTION_CREATE], plan.counts.n[k][TDM_ACTION_LINK],
                      plan.counts.n[k][TDM_ACTION_UPDATE], real_kinds.n[k][TDM_ACTION_CREATE],
                      real_kinds.n[k][TDM_ACTION_LINK], real_kinds.n[k][TDM_ACTION_UPDATE],
                      records_in_fakes (e2e, k) - before[k]);
      for (guint t = TDM_ACTION_CREATE; t <= TDM_ACTION_CONFLICT; t++)
        g_assert_cmpuint (plan.counts.n[k][t], ==, real_kinds.n[k][t]);
      g_assert_cmpuint (plan.counts.n[k][TDM_ACTION_REVIEW], ==,
                        real_kinds.n[k][TDM_ACTION_REVIEW]);
      g_assert_cmpuint (plan.counts.n[k][TDM_ACTION_WAIT], ==, 0);
      g_assert_cmpuint (plan.counts.n[k][TDM_ACTION_DELETE], ==, 0);
      g_assert_cmpuint (plan.counts.n[k][TDM_ACTION_ORPHAN], ==, 0);
      /* Each create made one record on one side. */
      g_assert_cmpuint (records_in_fakes (e2e, k) - before[k], ==,
                        plan.counts.n[k][TDM_ACTION_CREATE]);
      g_assert_cmpuint (errors_of_kind (e2e->record_errors, k), ==, dry_errors[k]);
    }

  /* And the summary lines agree. */
  g_assert_cmpuint (dry_counts.created, ==, real_counts.created);
  g_assert_cmpuint (dry_counts.updated, ==, real_counts.updated);
  g_assert_cmpuint (dry_counts.linked, ==, real_counts.linked);
  g_assert_cmpuint (dry_counts.conflicts, ==, real_counts.conflicts);
  g_assert_cmpuint (dry_counts.errors, ==, real_counts.errors);
  g_assert_cmpuint (dry_counts.unchanged, ==, real_counts.unchanged);
  g_assert_cmpuint (dry_counts.waiting, ==, real_counts.waiting);
  g_assert_cmpuint (dry_counts.review, ==, real_counts.review);
  g_assert_cmpuint (dry_counts.deleted, ==, real_counts.deleted);
  g_assert_cmpuint (dry_counts.orphaned, ==, real_counts.orphaned);

  plan_clear (&plan);
  e2e_free (e2e);
}

/* ---- The circuit breaker on a first run ---- */

static guint
plan_kind_writes (const KindCounts *counts,
                  TdmKind           kind)
{
  return counts->n[kind][TDM_ACTION_CREATE] + counts->n[kind][TDM_ACTION_UPDATE]
         + counts->n[kind][TDM_ACTION_LINK] + counts->n[kind][TDM_ACTION_DELETE];
}

static guint
plan_writes (const KindCounts *counts)
{
  guint n = 0;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    n += plan_kind_writes (counts, k);
  return n;
}

/* A first sync is checked like any other run, with the whole plan counted:
 * on the demo shop, customers and products alone stay under the limit and
 * the orders of new customers carry the run over it. The dry run says the
 * real run would stop; the real run stops before its first write, with the
 * plan kept for the window and a message that says why a first run asks. */
static void
test_first_run_breaker (void)
{
  E2E *e2e = e2e_new ();
  TdmSyncRunOptions dry = { .dry_run = TRUE };
  TdmSyncCounts counts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *changes_text = NULL;
  guint before[TDM_N_KINDS];
  GPtrArray *stopped;
  KindCounts stopped_counts = { 0 };
  Plan plan;
  guint writes, threshold;

  dry_run_demo (e2e, &plan, before, &counts);
  writes = plan_writes (&plan.counts);
  /* Above what customers and products write, below that plus the orders. */
  threshold = writes - plan_kind_writes (&plan.counts, TDM_KIND_ORDER)
              + records_in_fakes (e2e, TDM_KIND_ORDER) / 2;
  changes_text = g_strdup_printf ("would make %u changes, more than the limit of %u", writes,
                                  threshold);

  /* The dry run tells. */
  tdm_sync_engine_set_breaker_threshold (e2e->engine, threshold);
  e2e_run_ok (e2e, &dry, &counts);
  g_assert_cmpuint (e2e->warnings->len, ==, 1);
  g_test_message ("dry run: %s", (const char *) e2e->warnings->pdata[0]);
  g_assert_nonnull (strstr (e2e->warnings->pdata[0], changes_text));

  /* The real run stops before writing. */
  g_assert_false (e2e_run (e2e, NULL, &counts, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER);
  g_test_message ("breaker: %s", error->message);
  g_assert_nonnull (strstr (error->message, "This first sync"));
  g_assert_nonnull (strstr (error->message, changes_text));
  g_assert_nonnull (strstr (error->message, "cannot be taken back"));
  for (guint k = 0; k < TDM_N_KINDS; k++)
    g_assert_cmpuint (records_in_fakes (e2e, k), ==, before[k]);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  g_assert_cmpint (tdm_sync_engine_get_state (e2e->engine), ==, TDM_ENGINE_WAITING_CONFIRMATION);

  /* The plan kept for the window is the dry run's, orders included. */
  stopped = tdm_sync_engine_get_stopped_plan (e2e->engine);
  g_assert_nonnull (stopped);
  for (guint i = 0; i < stopped->len; i++)
    {
      TdmAction *action = stopped->pdata[i];

      stopped_counts.n[action->kind][action->type]++;
    }
  for (guint k = 0; k < TDM_N_KINDS; k++)
    for (guint t = 0; t < N_TYPES; t++)
      g_assert_cmpuint (stopped_counts.n[k][t], ==, plan.counts.n[k][t]);

  plan_clear (&plan);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/dry-run/is-the-plan", test_dry_run_is_the_plan);
  g_test_add_func ("/engine/dry-run/first-run-breaker", test_first_run_breaker);

  return g_test_run ();
}
