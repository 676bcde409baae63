/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-planner"

#include "config.h"

#include <string.h>

#include "planner-fixture.h"

/* Records without a link: the first link and its policy, matching by twin
 * references and the kinds' keys, reviews of ambiguous matches, the match
 * index, and the order of a plan's actions (docs/sync.md, First link and
 * matching keys, Ambiguous matches and the review list). */

/* ---- First link ---- */

static void
test_first_link (gconstpointer data)
{
  TdmConflictPolicy policy = GPOINTER_TO_INT (data);
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  TdmAction *action;

  fx->input.options.first_link_policy = policy;
  /* Different first names; the phone only in the webshop, the tags only in
   * Shopify: filled values fill the empty side whatever the policy. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "17", "2026-11-02T10:00:00Z",
                                  "{\"email\": \"kari@example.no\", \"first_name\": \"Kaia\","
                                  " \"last_name\": \"Nordmann\", \"phone\": \"+4791234567\"}"));
  fixture_pull_unlinked (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9",
                                  "2026-11-02T11:00:00Z",
                                  "{\"email\": \"kari@example.no\", \"first_name\": \"Kine\","
                                  " \"last_name\": \"Nordmann\", \"tags\": [\"vip\"]}"));
  actions = fixture_plan (fx);

  /* The record and its twin were both pulled: one LINK, not two actions. */
  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_LINK);
  g_assert_null (action->link);
  g_assert_cmpstr (action->source->id, ==, "17");
  g_assert_cmpstr (action->twin->id, ==, "gid://shopify/Customer/9");
  g_assert_cmpint (action->target, ==, S);

  switch (policy)
    {
    case TDM_POLICY_WEBSHOP_WINS:
      assert_fields (action->fields, "{\"first_name\": \"Kaia\", \"phone\": \"+4791234567\"}");
      assert_fields (action->fields_other, "{\"tags\": [\"vip\"]}");
      g_assert_true (find_conflict (action, "first_name")->resolved);
      break;
    case TDM_POLICY_NEWEST_WINS:   /* Shopify is newer here */
    case TDM_POLICY_SHOPIFY_WINS:
      assert_fields (action->fields, "{\"phone\": \"+4791234567\"}");
      assert_fields (action->fields_other, "{\"first_name\": \"Kine\", \"tags\": [\"vip\"]}");
      g_assert_cmpint (find_conflict (action, "first_name")->winner, ==, S);
      break;
    case TDM_POLICY_ASK:
      assert_fields (action->fields, "{\"phone\": \"+4791234567\"}");
      assert_fields (action->fields_other, "{\"tags\": [\"vip\"]}");
      g_assert_nonnull (find_conflict (action, "first_name"));
      g_assert_false (find_conflict (action, "first_name")->resolved);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A link whose snapshots are missing (never synced) is a first link too. */
static void
test_first_link_existing_link_without_snapshots (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  TdmAction *action;

  fx->input.options.first_link_policy = TDM_POLICY_SHOPIFY_WINS;
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/9", NULL, NULL));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "17", NULL, "{\"first_name\": \"Kaia\"}"));
  fixture_pull (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", NULL,
                         "{\"first_name\": \"Kine\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
  g_assert_cmpint (action->target, ==, W);
  assert_fields (action->fields, "{\"first_name\": \"Kine\"}");

  /* Only one side pulled and no snapshot of the other: wait, write nothing. */
  g_ptr_array_set_size (fx->changed[S], 0);
  g_clear_pointer (&actions, g_ptr_array_unref);
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_WAIT);
}

/* ---- Matching ---- */

static void
test_match_by_email_then_phone (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;

  /* Shopify side: not pulled this run, in the index from the store's cache. */
  g_autoptr(TdmRecord) s_email = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL,
                                      "{\"email\": \"kari@example.no\", \"phone\": "
                                      "\"+4799999999\"}");
  g_autoptr(TdmRecord) s_phone = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/2", NULL,
                                      "{\"email\": \"ola@example.no\", \"phone\": "
                                      "\"+4791234567\"}");
  tdm_match_index_add (fx->match, s_email);
  tdm_match_index_add (fx->match, s_phone);

  /* Email decides before phone, even when the phone names another record. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL,
                                  "{\"email\": \"kari@example.no\", \"phone\": \"+4791234567\"}"));
  /* No email: the phone finds the twin. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "2", NULL,
                                  "{\"phone\": \"+4791234567\", \"first_name\": \"Ola\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Customer/1");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 1)->twin->id, ==, "gid://shopify/Customer/2");
  /* The twin learns the first name; the webshop learns the email (first link). */
  assert_fields (action_at (actions, 1)->fields, "{\"first_name\": \"Ola\"}");
  assert_fields (action_at (actions, 1)->fields_other, "{\"email\": \"ola@example.no\"}");
}

static void
test_match_twin_id_first (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(TdmRecord) same_email = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL,
                                         "{\"email\": \"kari@example.no\"}");
  g_autoptr(TdmRecord) carried = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/2", NULL,
                                      "{\"email\": \"kari.old@example.no\"}");
  g_autoptr(TdmRecord) s_backref = rec_twin (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/3", "20",
                                             "{\"email\": \"other@example.no\"}");
  g_autoptr(TdmRecord) s_decoy = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/4", NULL,
                                      "{\"email\": \"lars@example.no\"}");

  tdm_match_index_add (fx->match, same_email);
  tdm_match_index_add (fx->match, carried);
  tdm_match_index_add (fx->match, s_backref);
  tdm_match_index_add (fx->match, s_decoy);

  /* The webshop record carries shopify_id: that twin wins over the email. */
  fixture_pull_unlinked (fx, rec_twin (W, TDM_KIND_CUSTOMER, "10", "gid://shopify/Customer/2",
                                       "{\"email\": \"kari@example.no\"}"));
  /* A Shopify record carries webshop id 20 in its metafield: it is 20's twin,
   * even though 20's email names another record. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "20", NULL,
                                  "{\"email\": \"lars@example.no\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Customer/2");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 1)->twin->id, ==, "gid://shopify/Customer/3");
}

/* Rebuilding lost local state: no links at all, both sides carry each
 * other's ids: every pair is linked, nothing is created. */
static void
test_match_rebuild_lost_state (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *wid = g_strdup_printf ("%u", i);
      g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%u", 100 + i);
      /* Same email on all of them: only the carried ids can tell them apart. */
      const char *json = "{\"email\": \"shared@example.no\"}";

      fixture_pull_unlinked (fx, rec_twin (W, TDM_KIND_CUSTOMER, wid, sid, json));
      fixture_pull_unlinked (fx, rec_twin (S, TDM_KIND_CUSTOMER, sid, wid, json));
    }
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      TdmAction *action = action_at (actions, i);
      g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%u", 101 + i);

      g_assert_cmpint (action->type, ==, TDM_ACTION_LINK);
      g_assert_cmpstr (action->twin->id, ==, sid);
      assert_fields (action->fields, NULL);
      assert_fields (action->fields_other, NULL);
    }
}

/* References that disagree (the webshop record names one Shopify record,
 * another Shopify record names the webshop record): the first link wins and
 * the other record goes to review instead of linking the webshop record a
 * second time. */
static void
test_match_conflicting_references (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;

  fixture_pull_unlinked (fx, rec_twin (W, TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/5",
                                       "{\"email\": \"a@example.no\"}"));
  fixture_pull_unlinked (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/5", NULL,
                                  "{\"email\": \"a@example.no\"}"));
  fixture_pull_unlinked (fx, rec_twin (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/6", "1",
                                       "{\"email\": \"a@example.no\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Customer/5");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_REVIEW);
  g_assert_cmpstr (action_at (actions, 1)->source->id, ==, "gid://shopify/Customer/6");
}

/* A carried reference beats an ambiguous key. */
static void
test_match_reference_beats_ambiguity (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(TdmRecord) other = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/8", NULL,
                                    "{\"email\": \"b@example.no\", \"phone\": \"+4791234567\"}");

  tdm_match_index_add (fx->match, other);
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"phone\": \"+4791234567\"}"));
  fixture_pull_unlinked (fx, rec_twin (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/7", "1",
                                       "{\"phone\": \"+4791234567\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Customer/7");
}

/* A record that already has its own action in this plan (here a create) is
 * never linked by a later record of the other side: that would pair it
 * twice. */
static void
test_match_twin_already_planned (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;

  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"email\": "
                                                                   "\"a@example.no\"}"));
  /* Pulled but not (yet) in the index, so the webshop record cannot see it. */
  fixture_pull (fx, rec_twin (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/7", "1",
                              "{\"email\": \"a@example.no\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_REVIEW);
}

static void
test_match_ambiguous_review (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(TdmRecord) a = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL,
                                "{\"phone\": \"+4791234567\"}");
  g_autoptr(TdmRecord) b = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/2", NULL,
                                "{\"phone\": \"+4791234567\"}");
  TdmAction *action;

  tdm_match_index_add (fx->match, a);
  tdm_match_index_add (fx->match, b);
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "5", NULL, "{\"phone\": \"+4791234567\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 1);
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_REVIEW);
  g_assert_nonnull (action->candidates);
  g_assert_cmpuint (action->candidates->len, ==, 2);
  g_assert_cmpstr (((TdmRecord *) g_ptr_array_index (action->candidates, 0))->id, ==,
                   "gid://shopify/Customer/1");
  g_assert_null (action->fields);
  g_assert_null (action->twin);
}

/* Two webshop records with one email and one Shopify record: linking either
 * would be a guess. Neither is linked, nothing is created. */
static void
test_match_ambiguous_reverse (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(TdmRecord) twin = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1", NULL,
                                   "{\"email\": \"kari@example.no\"}");

  tdm_match_index_add (fx->match, twin);
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"email\": "
                                                                   "\"kari@example.no\"}"));
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "2", NULL, "{\"email\": "
                                                                   "\"kari@example.no\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_REVIEW);
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_REVIEW);
}

static void
test_no_twin_create (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  TdmAction *action;

  fixture_pull_unlinked (fx, rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/7", NULL,
                                  "{\"email\": \"new@example.no\", \"first_name\": \"Nina\","
                                  " \"locale\": \"nb\", \"state\": \"ENABLED\"}"));
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, "8", NULL,
                                  "{\"email\": \"web@example.no\", \"locale\": \"nb\", \"state\": "
                                  "\"x\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);

  /* Webshop first, then Shopify. */
  action = action_at (actions, 0);
  g_assert_cmpint (action->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action->target, ==, S);
  /* `state` flows to the webshop only; `locale` to Shopify only. */
  assert_fields (action->fields, "{\"email\": \"web@example.no\", \"locale\": \"nb\"}");

  action = action_at (actions, 1);
  g_assert_cmpint (action->type, ==, TDM_ACTION_CREATE);
  g_assert_cmpint (action->target, ==, W);
  assert_fields (action->fields, "{\"email\": \"new@example.no\", \"first_name\": \"Nina\","
                                 " \"state\": \"ENABLED\"}");
}

static void
test_match_products (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_PRODUCT);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(TdmRecord) by_sku = rec (S, TDM_KIND_PRODUCT, "gid://shopify/Product/1", NULL,
                                     "{\"title\": \"Mug\", \"handle\": \"mug-blue\","
                                     " \"variants\": [{\"sku\": \"MUG-1\", \"price\": \"10\"}]}");
  g_autoptr(TdmRecord) by_handle = rec (S, TDM_KIND_PRODUCT, "gid://shopify/Product/2", NULL,
                                        "{\"title\": \"Cup\", \"handle\": \"cup\","
                                        " \"variants\": [{\"sku\": \"CUP-9\"}]}");

  tdm_match_index_add (fx->match, by_sku);
  tdm_match_index_add (fx->match, by_handle);

  /* SKU of the first variant decides, even when the handle names another. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_PRODUCT, "1", NULL,
                                  "{\"title\": \"Mug\", \"handle\": \"cup\","
                                  " \"variants\": [{\"sku\": \"MUG-1\", \"price\": \"10\"}]}"));
  /* No variant SKU: the handle. */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_PRODUCT, "2", NULL,
                                  "{\"title\": \"Cup\", \"handle\": \"cup\"}"));
  /* SKUs are case-sensitive codes: "mug-1" is not "MUG-1". */
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_PRODUCT, "3", NULL,
                                  "{\"title\": \"Other\", \"variants\": [{\"sku\": \"mug-1\"}]}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 3);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Product/1");
  /* webshop-wins first link: Shopify gets the webshop's handle. */
  assert_fields (action_at (actions, 0)->fields, "{\"handle\": \"cup\"}");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 1)->twin->id, ==, "gid://shopify/Product/2");
  g_assert_cmpint (action_at (actions, 2)->type, ==, TDM_ACTION_CREATE);
}

static void
test_match_orders (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_ORDER);
  g_autoptr(GPtrArray) actions = NULL;
  /* A Shopify order carrying webshop order 500 (sourceIdentifier). */
  g_autoptr(TdmRecord) carried = rec_twin (S, TDM_KIND_ORDER, "gid://shopify/Order/1", "500",
                                           "{\"number\": \"#1001\", \"email\": \"a@example.no\"}");
  /* An order found by its number only. */
  g_autoptr(TdmRecord) numbered = rec (S, TDM_KIND_ORDER, "gid://shopify/Order/2", NULL,
                                       "{\"number\": \"#1002\", \"email\": \"b@example.no\"}");

  tdm_match_index_add (fx->match, carried);
  tdm_match_index_add (fx->match, numbered);
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "500", NULL,
                                  "{\"number\": \"1002\", \"email\": \"a@example.no\"}"));
  fixture_pull_unlinked (fx, rec (W, TDM_KIND_ORDER, "501", NULL,
                                  "{\"number\": \"1002\", \"email\": \"b@example.no\"}"));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 0)->twin->id, ==, "gid://shopify/Order/1");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_LINK);
  g_assert_cmpstr (action_at (actions, 1)->twin->id, ==, "gid://shopify/Order/2");
}

static void
test_match_index_lookup (void)
{
  g_autoptr(TdmMatchIndex) index = tdm_match_index_new (TDM_KIND_CUSTOMER);
  g_autoptr(TdmRecord) a = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/10", NULL,
                                "{\"email\": \"kari@example.no\"}");
  g_autoptr(TdmRecord) b = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/9", NULL,
                                "{\"email\": \"kari@example.no\"}");
  g_autoptr(TdmRecord) other = rec_twin (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/11", "99",
                                         "{\"email\": \"kari@example.no\"}");
  g_autoptr(TdmRecord) gone = tdm_record_new_tombstone (S, TDM_KIND_CUSTOMER,
                                                        "gid://shopify/Customer/12", NULL);
  g_autoptr(TdmRecord) query = rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"email\": "
                                                                     "\"Kari@Example.no\"}");
  g_autoptr(TdmRecord) nothing = rec (W, TDM_KIND_CUSTOMER, "2", NULL, "{\"email\": "
                                                                       "\"x@example.no\"}");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;

  tdm_match_index_add (index, a);
  tdm_match_index_add (index, b);
  tdm_match_index_add (index, other);
  tdm_match_index_add (index, gone);
  tdm_match_index_add (index, a);   /* twice: still one candidate */

  found = tdm_match_index_lookup (index, S, query);
  /* Case-insensitive email; natural id order; the record naming webshop 99
   * as its twin is not offered; tombstones are never indexed. */
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((TdmRecord *) g_ptr_array_index (found, 0))->id, ==,
                   "gid://shopify/Customer/9");
  g_assert_cmpstr (((TdmRecord *) g_ptr_array_index (found, 1))->id, ==,
                   "gid://shopify/Customer/10");

  none = tdm_match_index_lookup (index, S, nothing);
  g_assert_cmpuint (none->len, ==, 0);
  /* Nothing is indexed on the webshop side. */
  g_clear_pointer (&none, g_ptr_array_unref);
  none = tdm_match_index_lookup (index, W, a);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Adding a newer copy of a record replaces the older one in the index. */
static void
test_match_index_replace (void)
{
  g_autoptr(TdmMatchIndex) index = tdm_match_index_new (TDM_KIND_CUSTOMER);
  g_autoptr(TdmRecord) old = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1",
                                  "2026-11-01T10:00:00Z", "{\"email\": \"old@example.no\"}");
  g_autoptr(TdmRecord) newer = rec (S, TDM_KIND_CUSTOMER, "gid://shopify/Customer/1",
                                    "2026-11-02T10:00:00Z", "{\"email\": \"new@example.no\"}");
  g_autoptr(TdmRecord) q_old = rec (W, TDM_KIND_CUSTOMER, "1", NULL, "{\"email\": "
                                                                     "\"old@example.no\"}");
  g_autoptr(TdmRecord) q_new = rec (W, TDM_KIND_CUSTOMER, "2", NULL, "{\"email\": \" "
                                                                     "NEW@example.no \"}");
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;

  tdm_match_index_add (index, old);
  tdm_match_index_add (index, newer);
  tdm_match_index_add (index, old);   /* an older copy arriving later is ignored */
  a = tdm_match_index_lookup (index, S, q_old);
  b = tdm_match_index_lookup (index, S, q_new);
  g_assert_cmpuint (a->len, ==, 0);
  g_assert_cmpuint (b->len, ==, 1);
  g_assert_true (g_ptr_array_index (b, 0) == newer);

  /* Records of another kind are not indexed. */
  {
    g_autoptr(TdmRecord) product = rec (S, TDM_KIND_PRODUCT, "gid://shopify/Product/1", NULL,
                                        "{\"email\": \"new@example.no\"}");
    tdm_match_index_add (index, product);
    c = tdm_match_index_lookup (index, S, q_new);
    g_assert_cmpuint (c->len, ==, 1);
  }
}

/* ---- The order of the actions ---- */

static void
test_stable_order (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  const char *ids[] = { "10", "9", "100", "2" };
  const char *expected[] = { "2", "9", "10", "100" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%s", ids[i]);
      g_autofree char *json = g_strdup_printf ("{\"email\": \"s%s@example.no\"}", ids[i]);

      fixture_pull_unlinked (fx, rec (S, TDM_KIND_CUSTOMER, sid, NULL, json));
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"w%s@example.no\"}", ids[i]);

      fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, ids[i], NULL, json));
    }
  first = fixture_plan (fx);
  second = fixture_plan (fx);
  g_assert_cmpuint (first->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      TdmAction *a = action_at (first, i);
      g_autofree char *da = tdm_action_describe (a);
      g_autofree char *db = tdm_action_describe (action_at (second, i));
      g_autofree char *want = i < 4 ? g_strdup (expected[i])
                                    : g_strdup_printf ("gid://shopify/Customer/%s",
                                                       expected[i - 4]);

      g_assert_cmpint (a->source->side, ==, i < 4 ? W : S);
      g_assert_cmpstr (a->source->id, ==, want);
      g_assert_cmpstr (da, ==, db);
    }
}

static void
test_duplicates_and_unchanged (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\"}";

  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "1", "gid://shopify/Customer/1", base, base));
  fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, "2", "gid://shopify/Customer/2", base, base));
  /* Pulled twice (overlapping pages): the newer copy counts, once. */
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", "2026-11-02T10:00:00Z",
                         "{\"email\": \"a@example.no\", \"first_name\": \"Newer\"}"));
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "1", "2026-11-02T09:00:00Z",
                         "{\"email\": \"a@example.no\", \"first_name\": \"Older\"}"));
  /* Unchanged (re-read in the overlap window): counted as NOTHING. */
  fixture_pull (fx, rec (W, TDM_KIND_CUSTOMER, "2", NULL, base));
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (action_at (actions, 0)->type, ==, TDM_ACTION_UPDATE);
  assert_fields (action_at (actions, 0)->fields, "{\"first_name\": \"Newer\"}");
  g_assert_cmpint (action_at (actions, 1)->type, ==, TDM_ACTION_NOTHING);
  g_assert_cmpstr (action_at (actions, 1)->source->id, ==, "2");
}

/* The output does not depend on the order the records were pulled in. */
static void
test_input_order_independent (void)
{
  GPtrArray *lines[2] = { NULL, NULL };

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
      g_autoptr(GPtrArray) actions = NULL;
      g_autoptr(GPtrArray) records = g_ptr_array_new ();
      const char *base = "{\"email\": \"a@example.no\", \"first_name\": \"Kari\"}";

      lines[pass] = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 1; i <= 30; i++)
        {
          g_autofree char *wid = g_strdup_printf ("%u", i);
          g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%u", i);
          g_autofree char *wjson = g_strdup_printf ("{\"email\": \"a@example.no\", "
                                                    "\"first_name\": \"W%u\"}", i % 3 ? i : 0);
          g_autofree char *sjson = g_strdup_printf ("{\"email\": \"a@example.no\", "
                                                    "\"first_name\": \"S%u\"}", i % 4 ? i : 0);

          if (i <= 20)
            {
              fixture_add_link (fx, link_new (TDM_KIND_CUSTOMER, wid, sid, base, base));
              g_ptr_array_add (records, rec (W, TDM_KIND_CUSTOMER, wid, NULL, wjson));
              if (i % 2)
                g_ptr_array_add (records, rec (S, TDM_KIND_CUSTOMER, sid, NULL, sjson));
            }
          else
            {
              g_autofree char *email = g_strdup_printf ("{\"email\": \"u%u@example.no\"}", i);
              TdmRecord *w = rec (W, TDM_KIND_CUSTOMER, wid, NULL, email);
              TdmRecord *sr = rec (S, TDM_KIND_CUSTOMER, sid, NULL, email);

              tdm_match_index_add (fx->match, w);
              tdm_match_index_add (fx->match, sr);
              g_ptr_array_add (records, w);
              g_ptr_array_add (records, sr);
            }
        }
      /* Second pass: the same records pulled in reverse order. */
      for (guint i = 0; i < records->len; i++)
        fixture_pull (fx, g_ptr_array_index (records, pass == 0 ? i : records->len - 1 - i));
      actions = fixture_plan (fx);
      for (guint i = 0; i < actions->len; i++)
        g_ptr_array_add (lines[pass], tdm_action_describe (action_at (actions, i)));
    }

  g_assert_cmpuint (lines[0]->len, ==, 30);
  g_assert_cmpuint (lines[0]->len, ==, lines[1]->len);
  for (guint i = 0; i < lines[0]->len; i++)
    g_assert_cmpstr (g_ptr_array_index (lines[0], i), ==, g_ptr_array_index (lines[1], i));
  g_ptr_array_unref (lines[0]);
  g_ptr_array_unref (lines[1]);
}

/* Ids sort naturally, on both sides, whatever their shape. */
static void
test_natural_order (void)
{
  g_autoptr(Fixture) fx = fixture_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  const char *ids[] = { "b2", "a10", "a9", "10", "9", "007", "a", "99999999999999999999" };
  const char *sorted[] = { "007", "9", "10", "99999999999999999999", "a", "a9", "a10", "b2" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"email\": \"n%u@example.no\"}", i);
      fixture_pull_unlinked (fx, rec (W, TDM_KIND_CUSTOMER, ids[i], NULL, json));
    }
  actions = fixture_plan (fx);
  g_assert_cmpuint (actions->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_assert_cmpstr (action_at (actions, i)->source->id, ==, sorted[i]);
}

int
main (int   argc,
      char *argv[])
{
  planner_fixture_init (&argc, &argv);

  for (int p = TDM_POLICY_NEWEST_WINS; p <= TDM_POLICY_ASK; p++)
    {
      g_autofree char *path = g_strdup_printf ("/planner/first-link/%s", policy_names[p]);
      g_test_add_data_func (path, GINT_TO_POINTER (p), test_first_link);
    }
  g_test_add_func ("/planner/first-link/link-without-snapshots",
                   test_first_link_existing_link_without_snapshots);

  g_test_add_func ("/planner/match/email-then-phone", test_match_by_email_then_phone);
  g_test_add_func ("/planner/match/twin-id-first", test_match_twin_id_first);
  g_test_add_func ("/planner/match/rebuild-lost-state", test_match_rebuild_lost_state);
  g_test_add_func ("/planner/match/ambiguous-review", test_match_ambiguous_review);
  g_test_add_func ("/planner/match/conflicting-references", test_match_conflicting_references);
  g_test_add_func ("/planner/match/twin-already-planned", test_match_twin_already_planned);
  g_test_add_func ("/planner/match/reference-beats-ambiguity",
                   test_match_reference_beats_ambiguity);
  g_test_add_func ("/planner/match/ambiguous-reverse", test_match_ambiguous_reverse);
  g_test_add_func ("/planner/match/no-twin-create", test_no_twin_create);
  g_test_add_func ("/planner/match/products-sku-then-handle", test_match_products);
  g_test_add_func ("/planner/match/orders-source-then-number", test_match_orders);
  g_test_add_func ("/planner/match/index-lookup", test_match_index_lookup);
  g_test_add_func ("/planner/match/index-replace", test_match_index_replace);

  g_test_add_func ("/planner/stable-order", test_stable_order);
  g_test_add_func ("/planner/duplicates-and-unchanged", test_duplicates_and_unchanged);
  g_test_add_func ("/planner/input-order-independent", test_input_order_independent);
  g_test_add_func ("/planner/natural-order", test_natural_order);

  return planner_fixture_run ();
}
