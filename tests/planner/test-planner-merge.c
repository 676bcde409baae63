/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-planner"

#include "config.h"

#include <string.h>

#include "planner-fixture.h"

/* The three-way merge of a linked pair: the decision table (every state of a
 * field on both sides under every policy), merges of several fields, empty
 * values, echoes of Tandem's own writes, directions and the user's answers
 * to conflicts (docs/sync.md, Three-way merge, Empty never overwrites). */

/* ---- TdmLink ---- */

static void
test_link_basics (void)
{
  g_autoptr(TdmLink) link = tdm_link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9");
  g_autoptr(JsonObject) snap = obj ("{\"email\": \"kari@example.no\"}");
  g_autofree char *key_w = tdm_link_key (W, "17");
  g_autofree char *key_s = tdm_link_key (S, "gid://shopify/Customer/9");

  g_assert_cmpstr (key_w, ==, "webshop:17");
  g_assert_cmpstr (key_s, ==, "shopify:gid://shopify/Customer/9");
  g_assert_cmpstr (tdm_link_get_id (link, W), ==, "17");
  g_assert_cmpstr (tdm_link_get_id (link, S), ==, "gid://shopify/Customer/9");
  g_assert_null (tdm_link_get_snapshot (link, W));
  g_assert_null (tdm_link_get_snapshot (link, S));
  g_assert_false (link->orphaned);

  tdm_link_set_snapshot (link, S, snap, "2026-11-26T18:01:15Z");
  g_assert_true (tdm_link_get_snapshot (link, S) == snap);
  g_assert_cmpstr (link->shopify_updated_at, ==, "2026-11-26T18:01:15Z");
  g_assert_null (tdm_link_get_snapshot (link, W));

  /* The link holds its own reference and survives extra refs. */
  tdm_link_ref (link);
  tdm_link_unref (link);
  g_assert_cmpint (link->ref_count, ==, 1);

  tdm_link_set_snapshot (link, S, NULL, NULL);
  g_assert_null (tdm_link_get_snapshot (link, S));
  g_assert_null (link->shopify_updated_at);
}

/* ---- The decision table ---- */

typedef enum {
  STATE_UNCHANGED,
  STATE_CHANGED_WEBSHOP,
  STATE_CHANGED_SHOPIFY,
  STATE_CHANGED_BOTH_EQUAL,
  STATE_CHANGED_BOTH_DIFFERENT,
  STATE_CLEARED_WEBSHOP,        /* absent now on the webshop, filled on Shopify */
  STATE_CLEARED_SHOPIFY,
  N_STATES
} FieldState;

static const char *state_names[] = {
  "unchanged", "changed-webshop", "changed-shopify", "changed-both-equal",
  "changed-both-different", "cleared-webshop", "cleared-shopify",
};

typedef struct {
  FieldState         state;
  TdmConflictPolicy  policy;
  gboolean           shopify_newer;   /* for both-different under newest-wins */
  gboolean           same_time;       /* tie under newest-wins → webshop */
  const char        *field;           /* "first_name" or "note" (empty_overwrites) */
} DecisionCase;

/* An update of `target` that writes `field` = `value` alone, and nothing back. */
static void
assert_update_of_field (const TdmAction *action,
                        TdmSide          target,
                        const char      *field,
                        const char      *value)
{
  g_autofree char *want = g_strdup_printf ("{\"%s\": \"%s\"}", field, value);

  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, target);
  assert_fields (action->fields, want);
  assert_fields (action->fields_other, NULL);
}

static void
test_decision (gconstpointer data)
{
  const DecisionCase *dc = data;
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *base = g_strdup_printf ("{\"email\": \"kari@example.no\", \"%s\": \"Kari\"}",
                                           dc->field);
  const char *wv = "Kari", *sv = "Kari";
  const char *wtime = "2026-11-02T10:00:00Z";
  const char *stime = dc->same_time ? wtime : dc->shopify_newer ? "2026-11-02T11:00:00Z"
                                                                : "2026-11-02T09:00:00Z";
  g_autofree char *wjson = NULL;
  g_autofree char *sjson = NULL;
  TdmAction *action;

  switch (dc->state)
    {
    case STATE_UNCHANGED: break;
    case STATE_CHANGED_WEBSHOP: wv = "Kaia"; break;
    case STATE_CHANGED_SHOPIFY: sv = "Kine"; break;
    case STATE_CHANGED_BOTH_EQUAL: wv = sv = "Kaja"; break;
    case STATE_CHANGED_BOTH_DIFFERENT: wv = "Kaia"; sv = "Kine"; break;
    case STATE_CLEARED_WEBSHOP: wv = NULL; break;
    case STATE_CLEARED_SHOPIFY: sv = NULL; break;
    case N_STATES: default: g_assert_not_reached ();
    }

  wjson = wv ? g_strdup_printf ("{\"email\": \"kari@example.no\", \"%s\": \"%s\"}", dc->field, wv)
             : g_strdup ("{\"email\": \"kari@example.no\"}");
  sjson = sv ? g_strdup_printf ("{\"email\": \"kari@example.no\", \"%s\": \"%s\"}", dc->field, sv)
             : g_strdup ("{\"email\": \"kari@example.no\"}");

  fx->input.options.conflict_policy = dc->policy;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "17", wtime, wjson));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", stime, sjson));

  actions = fixture_plan (fx);
  action = action_at (actions, 0);
  g_assert_nonnull (action->link);
  g_assert_cmpstr (action->link->webshop_id, ==, "17");

  switch (dc->state)
    {
    case STATE_UNCHANGED:
    case STATE_CHANGED_BOTH_EQUAL:
      /* One action for the pair, although both sides were pulled. */
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action->type, ==, TDM_ACTION_NOTHING);
      assert_fields (action->fields, NULL);
      break;

    case STATE_CHANGED_WEBSHOP:
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action->source->side, ==, W);
      assert_update_of_field (action, S, dc->field, "Kaia");
      break;

    case STATE_CHANGED_SHOPIFY:
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action->source->side, ==, S);
      assert_update_of_field (action, W, dc->field, "Kine");
      break;

    case STATE_CHANGED_BOTH_DIFFERENT:
      {
        TdmSide winner;
        const TdmFieldConflict *conflict;

        g_assert_cmpuint (actions->len, ==, 1);
        if (dc->policy == TDM_POLICY_ASK)
          {
            g_assert_cmpint (action->type, ==, TDM_ACTION_CONFLICT);
            assert_fields (action->fields, NULL);
            assert_fields (action->fields_other, NULL);
            g_assert_nonnull (action->conflicts);
            g_assert_cmpuint (action->conflicts->len, ==, 1);
            conflict = find_conflict (action, dc->field);
            g_assert_nonnull (conflict);
            g_assert_false (conflict->resolved);
            g_assert_cmpstr (json_node_get_string (conflict->webshop_value), ==, "Kaia");
            g_assert_cmpstr (json_node_get_string (conflict->shopify_value), ==, "Kine");
            g_assert_cmpstr (json_node_get_string (conflict->base_value), ==, "Kari");
            break;
          }
        if (dc->policy == TDM_POLICY_WEBSHOP_WINS)
          winner = W;
        else if (dc->policy == TDM_POLICY_SHOPIFY_WINS)
          winner = S;
        else
          winner = (dc->shopify_newer && !dc->same_time) ? S : W;

        assert_update_of_field (action, tdm_side_other (winner), dc->field,
                                winner == W ? "Kaia" : "Kine");
        conflict = find_conflict (action, dc->field);
        g_assert_nonnull (conflict);
        g_assert_true (conflict->resolved);
        g_assert_cmpint (conflict->winner, ==, winner);
      }
      break;

    case STATE_CLEARED_WEBSHOP:
    case STATE_CLEARED_SHOPIFY:
      g_assert_cmpuint (actions->len, ==, 1);
      if (g_str_equal (dc->field, "note"))
        {
          /* empty_overwrites: the clearing is written as null. */
          TdmSide target = dc->state == STATE_CLEARED_WEBSHOP ? S : W;
          JsonNode *value;

          g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
          g_assert_cmpint (action->target, ==, target);
          g_assert_nonnull (action->fields);
          g_assert_true (json_object_has_member (action->fields, "note"));
          value = json_object_get_member (action->fields, "note");
          g_assert_true (JSON_NODE_HOLDS_NULL (value));
        }
      else
        {
          /* An empty value never overwrites a filled one. */
          g_assert_cmpint (action->type, ==, TDM_ACTION_NOTHING);
          assert_fields (action->fields, NULL);
        }
      break;

    case N_STATES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Merges ---- */

/* Only one side pulled: the other side's value is its snapshot. */
static void
test_one_side_pulled (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\"}";
  TdmAction *action;

  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", base, base));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", "2026-11-02T10:00:00Z",
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kine\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, W);
  assert_fields (action->fields, "{\"first_name\": \"Kine\"}");
}

/* Different fields changed on different sides merge without conflict. */
static void
test_merge_different_fields (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\", \"last_name\": "
                     "\"Nordmann\"}";
  TdmAction *action;

  fx->input.options.conflict_policy = TDM_POLICY_ASK;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "17", "2026-11-02T10:00:00Z",
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kaia\", "
                         "\"last_name\": \"Nordmann\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", "2026-11-02T11:00:00Z",
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\", "
                         "\"last_name\": \"Hansen\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, S);
  assert_fields (action->fields, "{\"first_name\": \"Kaia\"}");
  assert_fields (action->fields_other, "{\"last_name\": \"Hansen\"}");
  g_assert_null (action->conflicts);
}

/* Under `ask`, a conflicting field waits; the other fields still sync. */
static void
test_ask_mixed (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"kari@example.no\", \"first_name\": \"Kari\", \"last_name\": "
                     "\"Nordmann\"}";
  TdmAction *update, *conflict;

  fx->input.options.conflict_policy = TDM_POLICY_ASK;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "17", "2026-11-02T10:00:00Z",
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kaia\", "
                         "\"last_name\": \"Hansen\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", "2026-11-02T11:00:00Z",
                         "{\"email\": \"kari@example.no\", \"first_name\": \"Kine\", "
                         "\"last_name\": \"Nordmann\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  update = action_at (actions, 0);
  conflict = action_at (actions, 1);
  g_assert_cmpint (update->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (update->target, ==, S);
  assert_fields (update->fields, "{\"last_name\": \"Hansen\"}");
  assert_fields (update->fields_other, NULL);
  g_assert_cmpint (conflict->type, ==, TDM_ACTION_CONFLICT);
  g_assert_true (conflict->link == update->link);
  assert_fields (conflict->fields, NULL);
  g_assert_cmpuint (conflict->conflicts->len, ==, 1);
  g_assert_nonnull (find_conflict (conflict, "first_name"));
  g_assert_false (find_conflict (conflict, "first_name")->resolved);
}

/* Both changed, one of them to empty: the filled value wins whatever the
 * policy (an empty value never overwrites a filled one). */
static void
test_conflict_with_empty (void)
{
  for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
    {
      g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
      g_autoptr(GPtrArray) actions = NULL;
      const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\"}";

      fx->input.options.conflict_policy = p;
      fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base,
                                      base));
      /* The webshop cleared it (and is newer), Shopify changed it. */
      fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", "2026-11-02T12:00:00Z",
                             "{\"email\": \"a@example.no\", \"first_name\": null}"));
      fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1",
                             "2026-11-02T10:00:00Z",
                             "{\"email\": \"a@example.no\", \"first_name\": \"Kine\"}"));
      actions = fixture_plan (fx);
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_UPDATE);
      g_assert_cmpint (action_at (actions, 0)->target, ==, W);
      assert_fields (action_at (actions, 0)->fields, "{\"first_name\": \"Kine\"}");
    }
}

/* null, "" and [] are all "empty": equal to an absent value. */
static void
test_empty_forms (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"a@example.no\"}";

  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL,
                         "{\"email\": \"a@example.no\", \"note\": null, \"first_name\": \"\","
                         " \"tags\": []}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_NOTHING);
}

/* ---- Echoes ---- */

/* The side answers a write with its own rendering of the record (and a newer
 * updated_at). The engine stores that as the side's snapshot, so the next run
 * does not take Tandem's own write for an edit. */
static void
test_echo (void)
{
  const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\", \"tags\": [\"a\"]}";
  const char *wnow = "{\"email\": \"a@example.no\", \"first_name\": \"Kaia\", \"tags\": [\"a\", "
                     "\"b\"]}";
  g_autoptr(TdmLink) link = link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base,
                                      base);
  g_autoptr(JsonObject) returned = NULL;
  TdmAction *action;

  {
    g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
    g_autoptr(GPtrArray) actions = NULL;
    g_autoptr(JsonObject) shopify_before = obj (base);

    fixture_add_link (fx, tdm_link_ref (link));
    fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", "2026-11-02T10:00:00Z", wnow));
    actions = fixture_plan (fx);
    g_assert_cmpuint (actions->len, ==, 1);
    action = action_at (actions, 0);
    g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
    assert_fields (action->fields, "{\"first_name\": \"Kaia\", \"tags\": [\"a\", \"b\"]}");

    /* What Shopify returns after the write becomes its snapshot. */
    returned = apply_fields (shopify_before, action->fields);
    g_autoptr(JsonObject) wsnap = obj (wnow);
    tdm_link_set_snapshot (link, W, wsnap, "2026-11-02T10:00:00Z");
    tdm_link_set_snapshot (link, S, returned, "2026-11-02T10:00:05Z");
  }

  {
    /* Next run: Shopify's updated_at moved (our own write), so the record
     * is pulled again; the webshop too, in the overlap window. */
    g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
    g_autoptr(GPtrArray) actions = NULL;

    fixture_add_link (fx, tdm_link_ref (link));
    fixture_pull (fx, tdm_record_new (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1",
                                      "2026-11-02T10:00:05Z", NULL, returned, NULL));
    fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", "2026-11-02T10:00:00Z", wnow));
    actions = fixture_plan (fx);
    g_assert_cmpuint (actions->len, ==, 1);
    g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_NOTHING);
  }
}

/* ---- Directions ---- */

static void
test_direction_rows (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"a@example.no\", \"locale\": \"nb\", \"state\": \"ENABLED\"}";

  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base, base));
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "2", "gid://shopify/Customer/2", base, base));
  /* locale is to_shopify: a webshop edit flows, a Shopify edit does not. */
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL,
                         "{\"email\": \"a@example.no\", \"locale\": \"en\", \"state\": \"x\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/2", NULL,
                         "{\"email\": \"a@example.no\", \"locale\": \"de\", \"state\": "
                         "\"DISABLED\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action_at (actions, 0)->target, ==, S);
  assert_fields (action_at (actions, 0)->fields, "{\"locale\": \"en\"}");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action_at (actions, 1)->target, ==, W);
  assert_fields (action_at (actions, 1)->fields, "{\"state\": \"DISABLED\"}");
}

static void
test_direction_kind (gconstpointer data)
{
  TdmDirection direction = GPOINTER_TO_INT (data);
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\"}";
  guint n_writes[TDM_N_SIDES] = { 0, 0 };

  fx->input.options.direction = direction;
  fx->input.options.conflict_policy = TDM_POLICY_SHOPIFY_WINS;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base, base));
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "2", "gid://shopify/Customer/2", base, base));
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "3", "gid://shopify/Customer/3", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"email\": \"a@example.no\", "
                                                          "\"first_name\": \"W\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/2", NULL,
                         "{\"email\": \"a@example.no\", \"first_name\": \"S\"}"));
  /* Both changed: under a one-way direction the written side mirrors. */
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "3", NULL, "{\"email\": \"a@example.no\", "
                                                          "\"first_name\": \"W3\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/3", NULL,
                         "{\"email\": \"a@example.no\", \"first_name\": \"S3\"}"));
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "4", NULL, "{\"email\": "
                                                                   "\"w4@example.no\"}"));
  fixture_pull_unlinked (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/4", NULL,
                                  "{\"email\": \"s4@example.no\"}"));
  actions = fixture_plan (fx);

  if (direction == TDM_DIRECTION_OFF)
    {
      g_assert_cmpuint (actions->len, ==, 0);
      return;
    }

  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = action_at (actions, i);

      if (action->type == TDM_ACTION_UPDATE || action->type == TDM_ACTION_CREATE)
        {
          if (action->fields != NULL && json_object_get_size (action->fields) > 0)
            n_writes[action->target]++;
          if (action->fields_other != NULL && json_object_get_size (action->fields_other) > 0)
            n_writes[tdm_side_other (action->target)]++;
        }
    }

  switch (direction)
    {
    case TDM_DIRECTION_BOTH:
      /* 1 → Shopify, 2 → webshop, 3 → webshop (shopify-wins), creates both ways. */
      g_assert_cmpuint (n_writes[S], ==, 2);
      g_assert_cmpuint (n_writes[W], ==, 3);
      break;
    case TDM_DIRECTION_TO_SHOPIFY:
      /* 1 and 3 (the webshop is the master) and the create of 4 on Shopify. */
      g_assert_cmpuint (n_writes[S], ==, 3);
      g_assert_cmpuint (n_writes[W], ==, 0);
      g_assert_cmpint (action_for (actions, W, "3")->type, ==, TDM_ACTION_UPDATE);
      assert_fields (action_for (actions, W, "3")->fields, "{\"first_name\": \"W3\"}");
      g_assert_cmpint (action_for (actions, S, "gid://shopify/Customer/4")->type, ==,
                       TDM_ACTION_NOTHING);
      break;
    case TDM_DIRECTION_TO_WEBSHOP:
      g_assert_cmpuint (n_writes[W], ==, 3);
      g_assert_cmpuint (n_writes[S], ==, 0);
      break;
    case TDM_DIRECTION_OFF:
    default:
      g_assert_not_reached ();
    }
}

/* ---- Resolutions ---- */

static void
test_resolutions (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\", \"last_name\": "
                     "\"N\"}";
  TdmAction *action;

  fx->input.options.conflict_policy = TDM_POLICY_ASK;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base, base));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL,
                         "{\"email\": \"a@example.no\", \"first_name\": \"Kaia\", \"last_name\": "
                         "\"W\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL,
                         "{\"email\": \"a@example.no\", \"first_name\": \"Kine\", \"last_name\": "
                         "\"S\"}"));
  /* The user chose Shopify's first name; the last name still waits. */
  fixture_resolve (fx, "1", "first_name", S);
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, W);
  assert_fields (action->fields, "{\"first_name\": \"Kine\"}");
  g_assert_true (find_conflict (action, "first_name")->resolved);
  action = action_at (actions, 1);
  g_assert_cmpint (action->type, ==, TDM_ACTION_CONFLICT);
  g_assert_cmpuint (action->conflicts->len, ==, 1);
  g_assert_nonnull (find_conflict (action, "last_name"));

  /* A resolution applies in a later run, when neither side changed again
   * (the snapshots already hold the differing values). */
  {
    g_autoptr(Fixture) fx2 = fixture_new (TDM_KIND_CUSTOMER);
    g_autoptr(GPtrArray) later = NULL;
    const char *wnow = "{\"email\": \"a@example.no\", \"first_name\": \"Kaia\"}";
    const char *snow = "{\"email\": \"a@example.no\", \"first_name\": \"Kine\"}";

    fx2->input.options.conflict_policy = TDM_POLICY_ASK;
    fixture_add_link (fx2, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", wnow,
                                     snow));
    fixture_pull (fx2, rec (W, TDM_KIND_CUSTOMER, "1", NULL, wnow));
    fixture_resolve (fx2, "1", "first_name", W);
    later = fixture_plan (fx2);
    g_assert_cmpuint (later->len, ==, 1);
    g_assert_cmpint (action_at (later, 0)->type, ==, TDM_ACTION_UPDATE);
    g_assert_cmpint (action_at (later, 0)->target, ==, S);
    assert_fields (action_at (later, 0)->fields, "{\"first_name\": \"Kaia\"}");
  }

  /* The user chose the empty value: it clears the other side, although an
   * empty value does not overwrite a filled one on its own. */
  {
    g_autoptr(Fixture) fx3 = fixture_new (TDM_KIND_CUSTOMER);
    g_autoptr(GPtrArray) cleared = NULL;
    const char *wnow = "{\"email\": \"a@example.no\"}";
    const char *snow = "{\"email\": \"a@example.no\", \"first_name\": \"Kine\"}";

    fx3->input.options.conflict_policy = TDM_POLICY_ASK;
    fixture_add_link (fx3, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", wnow,
                                     snow));
    fixture_pull (fx3, rec (W, TDM_KIND_CUSTOMER, "1", NULL, wnow));
    fixture_resolve (fx3, "1", "first_name", W);
    cleared = fixture_plan (fx3);
    g_assert_cmpuint (cleared->len, ==, 1);
    g_assert_cmpint (action_at (cleared, 0)->type, ==, TDM_ACTION_UPDATE);
    g_assert_cmpint (action_at (cleared, 0)->target, ==, S);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (action_at (cleared, 0)->fields,
                                                                 "first_name")));
  }
}

int
main (int   argc,
      char *argv[])
{
  static DecisionCase cases[N_STATES * 4 * 2 + 2];
  guint n = 0;

  planner_fixture_init (&argc, &argv);

  g_test_add_func ("/planner/link/basics", test_link_basics);

  for (int field = 0; field < 2; field++)
    for (int st = 0; st < N_STATES; st++)
      for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
        {
          DecisionCase *dc = &cases[n++];
          g_autofree char *path = NULL;

          dc->state = st;
          dc->policy = p;
          dc->shopify_newer = TRUE;
          dc->field = field == 0 ? "first_name" : "note";
          path = g_strdup_printf ("/planner/decision/%s/%s/%s", dc->field, state_names[st],
                                  policy_names[p]);
          g_test_add_data_func (path, dc, test_decision);
        }
  /* newest-wins with the webshop newer, and a tie (→ webshop). */
  cases[n] = (DecisionCase) { STATE_CHANGED_BOTH_DIFFERENT, TDM_POLICY_NEWEST_WINS, FALSE, FALSE,
                              "first_name" };
  g_test_add_data_func ("/planner/decision/first_name/changed-both-different/"
                        "newest-wins-webshop-newer",
                        &cases[n++], test_decision);
  cases[n] = (DecisionCase) { STATE_CHANGED_BOTH_DIFFERENT, TDM_POLICY_NEWEST_WINS, TRUE, TRUE,
                              "first_name" };
  g_test_add_data_func ("/planner/decision/first_name/changed-both-different/newest-wins-tie",
                        &cases[n++], test_decision);
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (cases));

  g_test_add_func ("/planner/merge/one-side-pulled", test_one_side_pulled);
  g_test_add_func ("/planner/merge/different-fields", test_merge_different_fields);
  g_test_add_func ("/planner/merge/ask-mixed", test_ask_mixed);

  g_test_add_func ("/planner/direction/rows", test_direction_rows);
  g_test_add_data_func ("/planner/direction/kind/both", GINT_TO_POINTER (TDM_DIRECTION_BOTH),
                        test_direction_kind);
  g_test_add_data_func ("/planner/direction/kind/to-shopify",
                        GINT_TO_POINTER (TDM_DIRECTION_TO_SHOPIFY), test_direction_kind);
  g_test_add_data_func ("/planner/direction/kind/to-webshop",
                        GINT_TO_POINTER (TDM_DIRECTION_TO_WEBSHOP), test_direction_kind);
  g_test_add_data_func ("/planner/direction/kind/off", GINT_TO_POINTER (TDM_DIRECTION_OFF),
                        test_direction_kind);

  g_test_add_func ("/planner/resolutions", test_resolutions);
  g_test_add_func ("/planner/echo", test_echo);
  g_test_add_func ("/planner/merge/conflict-with-empty", test_conflict_with_empty);
  g_test_add_func ("/planner/empty-forms", test_empty_forms);

  return planner_fixture_run ();
}
