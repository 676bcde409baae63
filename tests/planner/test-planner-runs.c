/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-planner"

#include "config.h"

#include <string.h>

#include "planner-fixture.h"

/* Whole runs: deletes and orphans, the order rules (read-only fields,
 * forward-only statuses, waiting for the customer), the one-line
 * descriptions of actions, and worlds that reach a fixed point under every
 * policy (docs/sync.md, Deletes and orphans, Orders). */

/* ---- Deletes ---- */

static void
test_delete (gconstpointer data)
{
  TdmDeletePolicy policy = GPOINTER_TO_INT (data);
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_PRODUCT);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"title\": \"Mug\"}";
  TdmAction *action;

  fx->input.options.delete_policy = policy;
  fixture_add_link (fx, link_new (TDM_KIND_PRODUCT, "1", "gid://shopify/Product/1", base, base));
  fixture_add_link (fx, link_new (TDM_KIND_PRODUCT, "2", "gid://shopify/Product/2", base, base));
  fixture_pull (fx, tdm_record_new_tombstone (W, TDM_KIND_PRODUCT, "1", "2026-11-02T10:00:00Z"));
  /* Deleted in Shopify, but edited in the webshop since the last sync. */
  fixture_pull (fx, tdm_record_new_tombstone (S, TDM_KIND_PRODUCT, "gid://shopify/Product/2",
                                              NULL));
  fixture_pull (fx, rec (W, TDM_KIND_PRODUCT, "2", NULL, "{\"title\": \"Big mug\"}"));
  /* A tombstone of a record that was never linked. */
  fixture_pull (fx, tdm_record_new_tombstone (S, TDM_KIND_PRODUCT, "gid://shopify/Product/3",
                                              NULL));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 3);

  action = action_at (actions, 0);
  g_assert_cmpstr (action->source->id, ==, "1");
  g_assert_cmpint (action->target, ==, S);
  g_assert_nonnull (action->link);
  g_assert_cmpint (action->type, ==,
                   policy == TDM_DELETE_KEEP ? TDM_ACTION_ORPHAN : TDM_ACTION_DELETE);

  /* An edit is never lost to a delete: the edited side is kept. */
  action = action_at (actions, 1);
  g_assert_cmpint (action->type, ==, TDM_ACTION_ORPHAN);
  g_assert_cmpint (action->target, ==, W);

  action = action_at (actions, 2);
  g_assert_cmpint (action->type, ==, TDM_ACTION_NOTHING);
  g_assert_cmpstr (action->source->id, ==, "gid://shopify/Product/3");

  /* An orphaned link plans nothing more. */
  {
    g_autoptr(Fixture) fx2 = fixture_new (TDM_KIND_PRODUCT);
    g_autoptr(GPtrArray) again = NULL;
    TdmLink *link = link_new (TDM_KIND_PRODUCT, "1", "gid://shopify/Product/1", base, base);

    fx2->input.options.delete_policy = policy;
    link->orphaned = TRUE;
    fixture_add_link (fx2, link);
    fixture_pull (fx2, rec (S, TDM_KIND_PRODUCT, "gid://shopify/Product/1", NULL,
                            "{\"title\": \"Renamed\"}"));
    again = fixture_plan (fx2);
    g_assert_cmpuint (again->len, ==, 1);
    g_assert_cmpint (action_at (again, 0)->type, ==, TDM_ACTION_NOTHING);
  }
}

/* ---- Orders ---- */

static const char *order_base =
  "{\"number\": \"1001\", \"email\": \"a@example.no\", \"financial_status\": \"pending\","
  " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"100\", \"customer_id\": \"5\"}";

static Fixture *
order_fixture (const char *webshop_json,
               const char *shopify_json)
{
  Fixture *fx = fixture_new (TDM_KIND_ORDER);

  fixture_add_link (fx, link_new (TDM_KIND_ORDER, "500", "gid://shopify/Order/1",
                                  order_base, order_base));
  if (webshop_json != NULL)
    fixture_pull (fx, rec (W, TDM_KIND_ORDER, "500", "2026-11-02T10:00:00Z", webshop_json));
  if (shopify_json != NULL)
    fixture_pull (fx, rec (S, TDM_KIND_ORDER, "gid://shopify/Order/1", "2026-11-02T11:00:00Z",
                           shopify_json));
  return fx;
}

static void
test_orders_not_writable (void)
{
  g_autoptr(Fixture) fx = order_fixture (
    "{\"number\": \"1001-B\", \"email\": \"new@example.no\", \"financial_status\": \"pending\","
    " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"120\", \"customer_id\": \"5\"}",
    NULL);
  g_autoptr(GPtrArray) actions = fixture_plan (fx);
  TdmAction *action;

  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, S);
  /* Only the email is written; the total and the number are shown as
   * "differs, not writable", never written. */
  assert_fields (action->fields, "{\"email\": \"new@example.no\"}");
  g_assert_true (has_string (action->not_writable, "total_price"));
  g_assert_true (has_string (action->not_writable, "number"));
  g_assert_false (has_string (action->not_writable, "email"));
  {
    g_autofree char *line = tdm_action_describe (action);
    g_assert_nonnull (strstr (line, "total_price"));
  }

  /* Only the read-only field differs: NOTHING, with the difference listed. */
  {
    g_autoptr(Fixture) fx2 = order_fixture (NULL,
      "{\"number\": \"1001\", \"email\": \"a@example.no\", \"financial_status\": \"pending\","
      " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"90\", \"customer_id\": \"5\"}");
    g_autoptr(GPtrArray) more = fixture_plan (fx2);

    g_assert_cmpuint (more->len, ==, 1);
    g_assert_cmpint (action_at (more, 0)->type, ==, TDM_ACTION_NOTHING);
    g_assert_true (has_string (action_at (more, 0)->not_writable, "total_price"));
  }
}

typedef struct {
  const char *field;
  const char *base;       /* also the other side's current value */
  const char *changed;    /* webshop's new value (NULL = cleared) */
  gboolean    written;
} ForwardCase;

/* The rule the record detail asks about (tdm_planner_field_is_set_once) is
 * the planner's own: only an order's cancelled_at is set once. */
static void
test_orders_set_once_rule (void)
{
  g_assert_true (tdm_planner_field_is_set_once (TDM_KIND_ORDER, "cancelled_at"));
  g_assert_false (tdm_planner_field_is_set_once (TDM_KIND_ORDER, "financial_status"));
  g_assert_false (tdm_planner_field_is_set_once (TDM_KIND_ORDER, "email"));
  g_assert_false (tdm_planner_field_is_set_once (TDM_KIND_CUSTOMER, "cancelled_at"));
  g_assert_false (tdm_planner_field_is_set_once (TDM_KIND_PRODUCT, "cancelled_at"));
}

static void
test_orders_forward_only (void)
{
  static const ForwardCase cases[] = {
    { "financial_status", "pending", "paid", TRUE },
    { "financial_status", "paid", "pending", FALSE },
    { "financial_status", "paid", "partially_paid", FALSE },
    { "financial_status", "partially_paid", "paid", TRUE },
    { "financial_status", "refunded", "partially_refunded", FALSE },
    { "financial_status", NULL, "authorized", TRUE },
    { "financial_status", "paid", "refunded", TRUE },
    { "financial_status", "refunded", "paid", FALSE },
    { "financial_status", "authorized", "voided", TRUE },
    { "financial_status", "voided", "paid", FALSE },
    { "financial_status", "paid", "voided", FALSE },
    { "financial_status", "paid", NULL, FALSE },
    { "fulfillment_status", "unfulfilled", "partial", TRUE },
    { "fulfillment_status", "partial", "fulfilled", TRUE },
    { "fulfillment_status", "fulfilled", "unfulfilled", FALSE },
    { "fulfillment_status", "partial", "unfulfilled", FALSE },
    { "fulfillment_status", "fulfilled", "partial", FALSE },
    { "cancelled_at", NULL, "2026-11-02T10:00:00Z", TRUE },
    { "cancelled_at", "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z", FALSE },
    { "cancelled_at", "2026-11-01T10:00:00Z", NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ForwardCase *fc = &cases[i];
      g_autoptr(Fixture) fx = fixture_new (TDM_KIND_ORDER);
      g_autoptr(GPtrArray) actions = NULL;
      g_autoptr(JsonObject) base = json_object_new ();
      g_autoptr(JsonObject) now = json_object_new ();
      g_autoptr(TdmLink) link = tdm_link_new (TDM_KIND_ORDER, "500", "gid://shopify/Order/1");
      TdmAction *action;

      g_test_message ("%s: %s → %s", fc->field, fc->base ? fc->base : "(empty)",
                      fc->changed ? fc->changed : "(empty)");
      json_object_set_string_member (base, "email", "a@example.no");
      json_object_set_string_member (now, "email", "a@example.no");
      if (fc->base != NULL)
        json_object_set_string_member (base, fc->field, fc->base);
      if (fc->changed != NULL)
        json_object_set_string_member (now, fc->field, fc->changed);
      tdm_link_set_snapshot (link, W, base, NULL);
      tdm_link_set_snapshot (link, S, base, NULL);
      fixture_add_link (fx, g_steal_pointer (&link));
      fixture_pull (fx, tdm_record_new (W, TDM_KIND_ORDER, "500", NULL, NULL, now, NULL));
      actions = fixture_plan (fx);
      g_assert_cmpuint (actions->len, ==, 1);
      action = action_at (actions, 0);
      if (fc->written)
        {
          g_autoptr(JsonObject) want = json_object_new ();

          g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
          g_assert_cmpint (action->target, ==, S);
          json_object_set_string_member (want, fc->field, fc->changed);
          {
            g_autofree char *a = tdm_json_object_to_string (action->fields);
            g_autofree char *b = tdm_json_object_to_string (want);
            g_assert_cmpstr (a, ==, b);
          }
        }
      else
        {
          g_assert_cmpint (action->type, ==, TDM_ACTION_NOTHING);
          assert_fields (action->fields, NULL);
        }
    }
}

/* Both sides moved a status differently: the further one wins, whatever the
 * conflict policy, and is written where it is a step forward. */
static void
test_orders_status_conflict (void)
{
  for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
    {
      g_autoptr(Fixture) fx = order_fixture (
        "{\"number\": \"1001\", \"email\": \"a@example.no\", \"financial_status\": \"paid\","
        " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"100\", \"customer_id\": "
        "\"5\"}",
        "{\"number\": \"1001\", \"email\": \"a@example.no\", \"financial_status\": \"authorized\","
        " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"100\", \"customer_id\": "
        "\"5\"}");
      g_autoptr(GPtrArray) actions = NULL;

      fx->input.options.conflict_policy = p;
      actions = fixture_plan (fx);
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_UPDATE);
      g_assert_cmpint (action_at (actions, 0)->target, ==, S);
      assert_fields (action_at (actions, 0)->fields, "{\"financial_status\": \"paid\"}");
    }
}

static void
test_orders_wait_for_customer (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_ORDER);
  g_autoptr(GPtrArray) actions = NULL;

  g_hash_table_add (fx->linked_customers, tdm_link_key (W, "5"));
  /* Customer 6 is not linked: wait. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "500", NULL,
                                  "{\"number\": \"1001\", \"customer_id\": \"6\"}"));
  /* Customer 5 is linked: create; its product lines need no product link. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "501", NULL,
                                  "{\"number\": \"1002\", \"customer_id\": \"5\","
                                  " \"note\": \"SKU NOPE-1 is not linked\"}"));
  /* No customer at all (guest order): create. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "502", NULL, "{\"number\": \"1003\"}"));
  /* A Shopify order whose customer reference is unresolved (GID): wait. */
  fixture_pull_unlinked (fx, rec (S, TDM_KIND_ORDER, "gid://shopify/Order/9", NULL,
                                  "{\"number\": \"#2001\", \"customer_id\": "
                                  "\"gid://shopify/Customer/77\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 4);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_WAIT);
  g_assert_nonnull (action_at (actions, 0)->reason);
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_CREATE);
  /* Create-only fields are part of a create. */
  assert_fields (action_at (actions, 1)->fields,
                 "{\"number\": \"1002\", \"customer_id\": \"5\", \"note\": \"SKU NOPE-1 is not "
                 "linked\"}");
  g_assert_cmpint (action_at (actions, 2)->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action_at (actions, 3)->type, ==, TDM_ACTION_WAIT);
}

/* Customers this run creates or links first: "side:id". */
static gboolean
planned_customer (TdmKind     kind,
                  TdmSide     side,
                  const char *id,
                  gpointer    user_data)
{
  GHashTable *planned = user_data;
  g_autofree char *key = tdm_link_key (side, id);

  g_assert_cmpint (kind, ==, TDM_KIND_CUSTOMER);
  return g_hash_table_contains (planned, key);
}

/* An order whose customer the same run creates or links is planned after
 * it (a CREATE saying so), not held back: a dry run shows the whole run. */
static void
test_orders_after_planned_customer (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_ORDER);
  g_autoptr(GHashTable) planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) actions = NULL;

  g_hash_table_add (planned, tdm_link_key (W, "6"));
  g_hash_table_add (planned, tdm_link_key (S, "gid://shopify/Customer/77"));
  fx->input.is_planned = planned_customer;
  fx->input.is_planned_data = planned;
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "500", NULL,
                                  "{\"number\": \"1001\", \"customer_id\": \"6\"}"));
  /* Customer 8 is neither linked nor planned: wait. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "501", NULL,
                                  "{\"number\": \"1002\", \"customer_id\": \"8\"}"));
  fixture_pull_unlinked (fx, rec (S, TDM_KIND_ORDER, "gid://shopify/Order/9", NULL,
                                  "{\"number\": \"#2001\", \"customer_id\": "
                                  "\"gid://shopify/Customer/77\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 3);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action_at (actions, 0)->target, ==, S);
  assert_fields (action_at (actions, 0)->fields,
                 "{\"number\": \"1001\", \"customer_id\": \"6\"}");
  g_assert_nonnull (strstr (action_at (actions, 0)->reason, "id 6)"));
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_WAIT);
  g_assert_cmpint (action_at (actions, 2)->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action_at (actions, 2)->target, ==, W);
  g_assert_nonnull (strstr (action_at (actions, 2)->reason, "gid://shopify/Customer/77"));
}

/* ---- Descriptions ---- */

static void
test_describe (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\"}";
  g_autofree char *update = NULL;
  g_autofree char *create = NULL;

  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "17", NULL,
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kaia\"}"));
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "18", NULL,
                                  "{\"email\": \"ola@example.no\", \"first_name\": \"Ola\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  update = tdm_action_describe (action_at (actions, 0));
  create = tdm_action_describe (action_at (actions, 1));
  /* The record, the field and the value. */
  g_assert_nonnull (strstr (update, "17"));
  g_assert_nonnull (strstr (update, "first_name"));
  g_assert_nonnull (strstr (update, "Kaia"));
  g_assert_nonnull (strstr (create, "18"));
  g_assert_nonnull (strstr (create, "ola@example.no"));
  g_assert_nonnull (strstr (create, "Ola"));
  g_assert_cmpstr (update, !=, create);
}

/* ---- Fixed point ---- */

/* What a fixed-point world is made of, per kind: pairs in step, unlinked
 * records (the first half of them twins by the kind's key) and the edits. */
typedef struct {
  const char *field;
  const char *values[6];   /* NULL-terminated unless 6; a "(empty)" entry clears */
} EditSpec;

typedef struct {
  const char *name;
  TdmKind     kind;
  gboolean    default_mapping;
  const char *linked_fmt;      /* one %u: the pair number */
  const char *unlinked_w_fmt;  /* one %u */
  const char *twin_s_fmt;      /* one %u: Shopify twin of the webshop record */
  const char *lone_s_fmt;      /* one %u: a Shopify record without twin */
  EditSpec    edits[6];
  /* Fields that flow both ways and are always writable: an edit on one side
   * only must reach the other side. Empty values only for `clearable`. */
  const char *both_ways[7];
  const char *clearable[2];
} WorldSpec;

static const WorldSpec world_specs[] = {
  { "customer", TDM_KIND_CUSTOMER, FALSE,
    "{\"email\": \"c%u@example.no\", \"first_name\": \"F\", \"locale\": \"nb\", \"state\": "
    "\"ENABLED\"}",
    "{\"email\": \"c%u@example.no\", \"first_name\": \"W\"}",
    "{\"email\": \"c%u@example.no\", \"last_name\": \"S\"}",
    "{\"email\": \"s%u@example.no\", \"last_name\": \"S\"}",
    { { "first_name", { "A", "B", "(empty)", NULL } },
      { "last_name", { "A", "B", "(empty)", NULL } },
      { "note", { "A", "B", "(empty)", NULL } },
      { "locale", { "en", "de", NULL } },
      { "state", { "ENABLED", "DISABLED", NULL } },
      { "phone", { "+4791234567", "(empty)", NULL } } },
    { "first_name", "last_name", "note", "phone", NULL }, { "note", NULL } },
  { "customer-default-mapping", TDM_KIND_CUSTOMER, TRUE,
    "{\"email\": \"c%u@example.no\", \"first_name\": \"F\", \"locale\": \"nb\"}",
    "{\"email\": \"c%u@example.no\", \"first_name\": \"W\"}",
    "{\"email\": \"c%u@example.no\", \"last_name\": \"S\"}",
    "{\"email\": \"s%u@example.no\", \"last_name\": \"S\"}",
    { { "first_name", { "A", "B", "(empty)", NULL } },
      { "last_name", { "A", "B", "(empty)", NULL } },
      { "note", { "A", "B", "(empty)", NULL } },
      { "locale", { "en", "de", NULL } },
      { "phone", { "+4791234567", "+4798765432", "(empty)", NULL } },
      { "email", { "x@example.no", "y@example.no", NULL } } },
    { "first_name", "last_name", "note", "locale", "phone", "email", NULL }, { NULL } },
  { "product", TDM_KIND_PRODUCT, FALSE,
    "{\"title\": \"P\", \"handle\": \"p%u\", \"status\": \"active\","
    " \"variants\": [{\"sku\": \"SKU-%u\", \"price\": \"10\"}]}",
    "{\"title\": \"W\", \"variants\": [{\"sku\": \"SKU-%u\"}]}",
    "{\"title\": \"S\", \"variants\": [{\"sku\": \"SKU-%u\", \"price\": \"12\"}]}",
    "{\"title\": \"S\", \"handle\": \"lone-%u\"}",
    { { "title", { "A", "B", "(empty)", NULL } },
      { "handle", { "h1", "h2", NULL } },
      { "status", { "active", "draft", "archived", NULL } },
      { NULL, { NULL } } },
    { "title", "handle", "status", NULL }, { NULL } },
  { "order", TDM_KIND_ORDER, FALSE,
    "{\"number\": \"%u\", \"email\": \"o@example.no\", \"financial_status\": \"pending\","
    " \"fulfillment_status\": \"unfulfilled\", \"total_price\": \"100\"}",
    "{\"number\": \"%u\", \"email\": \"w@example.no\"}",
    "{\"number\": \"#%u\", \"email\": \"s@example.no\", \"total_price\": \"5\"}",
    "{\"number\": \"#9%u\", \"email\": \"s@example.no\"}",
    { { "financial_status", { "pending", "authorized", "paid", "refunded", "voided", NULL } },
      { "fulfillment_status", { "unfulfilled", "partial", "fulfilled", NULL } },
      { "cancelled_at", { "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z", "(empty)", NULL } },
      { "total_price", { "100", "120", NULL } },
      { "note", { "A", "B", "(empty)", NULL } },
      { "email", { "x@example.no", "y@example.no", NULL } } },
    { "note", "email", NULL }, { NULL } },
};

typedef struct {
  const WorldSpec   *spec;
  TdmConflictPolicy  policy;
} FixedPointCase;

static void
world_add (World      *world,
           TdmSide     side,
           guint       n,
           const char *fmt)
{
  g_autofree char *id = world_id (world, side, n);
  g_autofree char *number = g_strdup_printf ("%u", n);
  g_auto(GStrv) parts = g_strsplit (fmt, "%u", -1);
  g_autofree char *json = g_strjoinv (number, parts);

  g_hash_table_insert (world->state[side], g_steal_pointer (&id), obj (json));
}

/* What one cycle of edits did to one field of one pair. */
typedef struct {
  guint     pair;
  char     *field;
  gboolean  edited[TDM_N_SIDES];
  char     *before[TDM_N_SIDES];
  char     *after[TDM_N_SIDES];
} TrackedEdit;

static void
tracked_edit_free (TrackedEdit *t)
{
  g_free (t->field);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_free (t->before[s]);
      g_free (t->after[s]);
    }
  g_free (t);
}

static char *
world_value (World      *world,
             TdmSide     side,
             guint       pair,
             const char *field)
{
  g_autofree char *id = world_id (world, side, pair);
  JsonObject *state = g_hash_table_lookup (world->state[side], id);

  if (state == NULL || !json_object_has_member (state, field))
    return NULL;
  return g_strdup (json_object_get_string_member (state, field));
}

static void
track_edit (GHashTable *tracked,
            World      *world,
            guint       pair,
            TdmSide     side,
            const char *field,
            const char *value)
{
  g_autofree char *key = g_strdup_printf ("%u|%s", pair, field);
  TrackedEdit *t = g_hash_table_lookup (tracked, key);

  if (t == NULL)
    {
      t = g_new0 (TrackedEdit, 1);
      t->pair = pair;
      t->field = g_strdup (field);
      g_hash_table_insert (tracked, g_steal_pointer (&key), t);
    }
  if (!t->edited[side])
    t->before[side] = world_value (world, side, pair, field);
  t->edited[side] = TRUE;
  g_free (t->after[side]);
  t->after[side] = g_strdup (value);
}

static gboolean
strv_has (const char * const *strv,
          gsize               n,
          const char         *str)
{
  for (gsize i = 0; i < n && strv[i] != NULL; i++)
    if (g_str_equal (strv[i], str))
      return TRUE;
  return FALSE;
}

static void
check_edits_arrived (GHashTable      *tracked,
                     World           *world,
                     const WorldSpec *spec)
{
  GHashTableIter iter;
  gpointer value;
  guint checked = 0;

  g_hash_table_iter_init (&iter, tracked);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TrackedEdit *t = value;
      TdmSide from;
      g_autofree char *there = NULL;

      if (t->edited[W] == t->edited[S])
        continue;   /* untouched, or a conflict: the policy decides */
      from = t->edited[W] ? W : S;
      if (g_strcmp0 (t->before[from], t->after[from]) == 0)
        continue;   /* edited back to what it was */
      if (!strv_has (spec->both_ways, G_N_ELEMENTS (spec->both_ways), t->field))
        continue;
      if (t->after[from] == NULL &&
          !strv_has (spec->clearable, G_N_ELEMENTS (spec->clearable), t->field))
        continue;   /* an empty value never overwrites a filled one */

      there = world_value (world, tdm_side_other (from), t->pair, t->field);
      g_test_message ("pair %u %s edited in %s: %s → %s; other side now %s", t->pair, t->field,
                      tdm_side_to_string (from), t->before[from] ? t->before[from] : "(empty)",
                      t->after[from] ? t->after[from] : "(empty)", there ? there : "(empty)");
      g_assert_cmpstr (there, ==, t->after[from]);
      checked++;
    }
  g_test_message ("%u one-sided edits arrived on the other side", checked);
}

static void
test_fixed_point (gconstpointer data)
{
  const FixedPointCase *fc = data;
  const WorldSpec *spec = fc->spec;
  TdmConflictPolicy policy = fc->policy;
  World world = { spec->kind, NULL, { NULL, NULL }, NULL, { 100, 100 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  g_autoptr(TdmMapping) default_mapping = NULL;
  guint n_edits = 0;

  if (spec->default_mapping)
    {
      default_mapping = tdm_mapping_new_default ();
      g_assert_nonnull (default_mapping);
    }
  world.mapping = spec->default_mapping ? default_mapping : test_mapping;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    world.state[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);
  world.links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) tdm_link_unref);
  while (n_edits < G_N_ELEMENTS (spec->edits) && spec->edits[n_edits].field != NULL)
    n_edits++;

  /* 40 linked pairs in step, 10 unlinked per side of which 5 are twins. */
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *wid = world_id (&world, W, i);
      g_autofree char *sid = world_id (&world, S, i);

      world_add (&world, W, i, spec->linked_fmt);
      world_add (&world, S, i, spec->linked_fmt);
      world_link (&world, wid, sid);
    }
  for (guint i = 41; i <= 50; i++)
    {
      world_add (&world, W, i, spec->unlinked_w_fmt);
      world_add (&world, S, i, i <= 45 ? spec->twin_s_fmt : spec->lone_s_fmt);
    }

  for (guint cycle = 0; cycle < 4; cycle++)
    {
      g_autoptr(GHashTable) tracked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) tracked_edit_free);

      /* Random edits on both sides of linked pairs. */
      for (guint n = 0; n < (cycle == 0 ? 150 : 60); n++)
        {
          guint i = g_rand_int_range (rand, 1, 41);
          TdmSide side = g_rand_boolean (rand) ? W : S;
          const EditSpec *edit = &spec->edits[g_rand_int_range (rand, 0, n_edits)];
          guint n_values = 0;
          const char *value;
          g_autofree char *id = world_id (&world, side, i);

          while (n_values < G_N_ELEMENTS (edit->values) && edit->values[n_values] != NULL)
            n_values++;
          value = edit->values[g_rand_int_range (rand, 0, n_values)];
          if (g_str_equal (value, "(empty)"))
            value = NULL;
          track_edit (tracked, &world, i, side, edit->field, value);
          world_edit (&world, side, id, edit->field, value);
        }

      for (guint round = 0; round < 3; round++)
        {
          g_autoptr(GPtrArray) actions = world_plan (&world, policy);
          guint writes = 0, conflicts = 0, links = 0, creates = 0;

          for (guint i = 0; i < actions->len; i++)
            {
              TdmAction *action = g_ptr_array_index (actions, i);

              if (action->type == TDM_ACTION_CONFLICT)
                conflicts++;
              else if (action->type != TDM_ACTION_NOTHING)
                writes++;
              links += action->type == TDM_ACTION_LINK;
              creates += action->type == TDM_ACTION_CREATE;
            }
          g_test_message ("cycle %u round %u: %u actions, %u writes (%u links, %u creates), "
                          "%u conflicts", cycle, round, actions->len, writes, links, creates,
                          conflicts);
          if (round == 0)
            {
              /* 5 twins linked, 5 + 5 lone records created on the other side. */
              g_assert_cmpuint (links, ==, cycle == 0 ? 5 : 0);
              g_assert_cmpuint (creates, ==, cycle == 0 ? 10 : 0);
              g_assert_cmpuint (writes, >, cycle == 0 ? 15 : 0);
              world_apply (&world, actions);
              /* Never lose an edit made on one side only. */
              check_edits_arrived (tracked, &world, spec);
              continue;
            }

          /* A converged run is a fixed point: only NOTHING (and, under ask,
           * the same conflicts waiting for the user, which write nothing). */
          g_assert_cmpuint (writes, ==, 0);
          if (policy != TDM_POLICY_ASK)
            g_assert_cmpuint (conflicts, ==, 0);
          world_apply (&world, actions);
        }
    }

  g_hash_table_unref (world.links);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_hash_table_unref (world.state[s]);
}

int
main (int   argc,
      char *argv[])
{
  static FixedPointCase fixed_point_cases[G_N_ELEMENTS (world_specs) * 4];

  planner_fixture_init (&argc, &argv);

  g_test_add_data_func ("/planner/delete/keep", GINT_TO_POINTER (TDM_DELETE_KEEP), test_delete);
  g_test_add_data_func ("/planner/delete/propagate", GINT_TO_POINTER (TDM_DELETE_PROPAGATE),
                        test_delete);

  g_test_add_func ("/planner/orders/not-writable", test_orders_not_writable);
  g_test_add_func ("/planner/orders/forward-only", test_orders_forward_only);
  g_test_add_func ("/planner/orders/set-once-rule", test_orders_set_once_rule);
  g_test_add_func ("/planner/orders/status-conflict", test_orders_status_conflict);
  g_test_add_func ("/planner/orders/wait-for-customer", test_orders_wait_for_customer);
  g_test_add_func ("/planner/orders/after-planned-customer", test_orders_after_planned_customer);

  g_test_add_func ("/planner/describe", test_describe);

  for (guint w = 0; w < G_N_ELEMENTS (world_specs); w++)
    for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
      {
        FixedPointCase *fc = &fixed_point_cases[w * 4 + p];
        g_autofree char *path = g_strdup_printf ("/planner/fixed-point/%s/%s",
                                                 world_specs[w].name, policy_names[p]);

        fc->spec = &world_specs[w];
        fc->policy = p;
        g_test_add_data_func (path, fc, test_fixed_point);
      }

  return planner_fixture_run ();
}
