/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tdm-mapping.h"
#include "tdm-planner.h"
#include "tdm-record.h"
#include "tdm-types.h"

#define W TDM_SIDE_WEBSHOP
#define S TDM_SIDE_SHOPIFY

/* A small mapping that exercises every rule the planner knows: identity rows,
 * both-way rows, one-way rows, empty_overwrites, create-only and read-only
 * order rows and the forward-only statuses. */
static const char *test_mapping_json =
  "{ \"version\": 1,"
  "  \"customer\": ["
  "    { \"webshop\": \"id\", \"shopify\": \"metafield:$app:tandem.webshop_id\","
  "      \"type\": \"id\", \"direction\": \"to_shopify\", \"transform\": \"identity\" },"
  "    { \"webshop\": \"email\", \"shopify\": \"defaultEmailAddress.emailAddress\","
  "      \"shopify_write\": \"email\", \"type\": \"Email\", \"direction\": \"both\" },"
  "    { \"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"last_name\", \"shopify\": \"lastName\", \"type\": \"String\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"phone\", \"shopify\": \"defaultPhoneNumber.phoneNumber\","
  "      \"shopify_write\": \"phone\", \"type\": \"Phone\", \"direction\": \"both\" },"
  "    { \"webshop\": \"note\", \"shopify\": \"note\", \"type\": \"String\","
  "      \"direction\": \"both\", \"empty_overwrites\": true },"
  "    { \"webshop\": \"tags\", \"shopify\": \"tags\", \"type\": \"[String]\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"locale\", \"shopify\": \"locale\", \"type\": \"String\","
  "      \"direction\": \"to_shopify\" },"
  "    { \"webshop\": \"state\", \"shopify\": \"state\", \"type\": \"String\","
  "      \"direction\": \"to_webshop\" }"
  "  ],"
  "  \"product\": ["
  "    { \"webshop\": \"id\", \"shopify\": \"metafield:$app:tandem.webshop_id\","
  "      \"type\": \"id\", \"direction\": \"to_shopify\", \"transform\": \"identity\" },"
  "    { \"webshop\": \"title\", \"shopify\": \"title\", \"type\": \"String\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"handle\", \"shopify\": \"handle\", \"type\": \"String\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"status\", \"shopify\": \"status\", \"type\": \"ProductStatus\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"variants[]\", \"shopify\": \"variants.nodes[]\","
  "      \"shopify_write\": \"variants[]\", \"type\": \"[ProductVariant]\", \"direction\": "
  "\"both\" },"
  "    { \"webshop\": \"variants[].sku\", \"shopify\": \"variants.nodes[].sku\","
  "      \"shopify_write\": \"variants[].sku\", \"type\": \"String\", \"direction\": \"both\" },"
  "    { \"webshop\": \"variants[].price\", \"shopify\": \"variants.nodes[].price\","
  "      \"shopify_write\": \"variants[].price\", \"type\": \"Money\", \"direction\": \"both\" }"
  "  ],"
  "  \"order\": ["
  "    { \"webshop\": \"id\", \"shopify\": \"sourceIdentifier\", \"type\": \"String\","
  "      \"direction\": \"to_shopify\", \"transform\": \"identity\" },"
  "    { \"webshop\": \"number\", \"shopify\": \"name\", \"type\": \"String\","
  "      \"direction\": \"to_shopify\", \"writable\": \"create\" },"
  "    { \"webshop\": \"customer_id\", \"shopify\": \"customer.id\", \"shopify_write\": "
  "\"customerId\","
  "      \"type\": \"Reference\", \"direction\": \"both\", \"writable\": \"create\","
  "      \"transform\": \"customer_ref\" },"
  "    { \"webshop\": \"email\", \"shopify\": \"email\", \"type\": \"Email\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"financial_status\", \"shopify\": \"displayFinancialStatus\","
  "      \"shopify_write\": \"financialStatus\","
  "      \"type\": \"OrderDisplayFinancialStatus\", \"direction\": \"both\" },"
  "    { \"webshop\": \"fulfillment_status\", \"shopify\": \"displayFulfillmentStatus\","
  "      \"shopify_write\": \"fulfillmentStatus\","
  "      \"type\": \"OrderDisplayFulfillmentStatus\", \"direction\": \"both\" },"
  "    { \"webshop\": \"cancelled_at\", \"shopify\": \"cancelledAt\", \"type\": \"DateTime\","
  "      \"direction\": \"both\" },"
  "    { \"webshop\": \"total_price\", \"shopify\": \"totalPriceSet.shopMoney.amount\","
  "      \"type\": \"MoneyBag\", \"direction\": \"both\", \"writable\": \"never\" },"
  "    { \"webshop\": \"note\", \"shopify\": \"note\", \"type\": \"String\","
  "      \"direction\": \"both\" }"
  "  ] }";

static TdmMapping *test_mapping;

/* Helpers ------------------------------------------------------------------ */

static JsonObject *
obj (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static TdmRecord *
rec (TdmSide     side,
     TdmKind     kind,
     const char *id,
     const char *updated_at,
     const char *json)
{
  g_autoptr(JsonObject) fields = obj (json);

  return tdm_record_new (side, kind, id, updated_at, NULL, fields, NULL);
}

static TdmRecord *
rec_twin (TdmSide     side,
          TdmKind     kind,
          const char *id,
          const char *twin_id,
          const char *json)
{
  TdmRecord *record = rec (side, kind, id, "2026-11-01T10:00:00Z", json);

  tdm_record_set_twin_id (record, twin_id);
  return record;
}

static TdmLink *
link_new (TdmKind     kind,
          const char *webshop_id,
          const char *shopify_id,
          const char *webshop_snapshot,
          const char *shopify_snapshot)
{
  TdmLink *link = tdm_link_new (kind, webshop_id, shopify_id);

  if (webshop_snapshot != NULL)
    {
      g_autoptr(JsonObject) snap = obj (webshop_snapshot);
      tdm_link_set_snapshot (link, W, snap, "2026-11-01T09:00:00Z");
    }
  if (shopify_snapshot != NULL)
    {
      g_autoptr(JsonObject) snap = obj (shopify_snapshot);
      tdm_link_set_snapshot (link, S, snap, "2026-11-01T09:00:00Z");
    }
  return link;
}

typedef struct {
  TdmPlanInput   input;
  GPtrArray     *changed[TDM_N_SIDES];
  GHashTable    *links;
  TdmMatchIndex *match;
  GHashTable    *resolutions;
  GHashTable    *linked_customers;   /* "side:id" of linked customers, for orders */
} Fixture;

static gboolean
fixture_is_linked (TdmKind     kind,
                   TdmSide     side,
                   const char *id,
                   gpointer    user_data)
{
  Fixture *fx = user_data;
  g_autofree char *key = tdm_link_key (side, id);

  g_assert_cmpint (kind, ==, TDM_KIND_CUSTOMER);
  return g_hash_table_contains (fx->linked_customers, key);
}

static Fixture *
fixture_new (TdmKind kind)
{
  Fixture *fx = g_new0 (Fixture, 1);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    fx->changed[s] = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  fx->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) tdm_link_unref);
  fx->match = tdm_match_index_new (kind);
  fx->linked_customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  fx->input.kind = kind;
  fx->input.mapping = test_mapping;
  fx->input.options.conflict_policy = TDM_POLICY_NEWEST_WINS;
  fx->input.options.first_link_policy = TDM_POLICY_WEBSHOP_WINS;
  fx->input.options.delete_policy = TDM_DELETE_KEEP;
  fx->input.options.direction = TDM_DIRECTION_BOTH;
  fx->input.changed[W] = fx->changed[W];
  fx->input.changed[S] = fx->changed[S];
  fx->input.links = fx->links;
  fx->input.match = fx->match;
  fx->input.is_linked = fixture_is_linked;
  fx->input.is_linked_data = fx;
  return fx;
}

static void
fixture_free (Fixture *fx)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_ptr_array_unref (fx->changed[s]);
  g_hash_table_unref (fx->links);
  tdm_match_index_free (fx->match);
  g_clear_pointer (&fx->resolutions, g_hash_table_unref);
  g_hash_table_unref (fx->linked_customers);
  g_free (fx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* Takes `record` (transfer full). */
static void
fixture_pull (Fixture   *fx,
              TdmRecord *record)
{
  g_ptr_array_add (fx->changed[record->side], record);
}

/* A pulled, unlinked record: also a candidate for matching, as the engine does. */
static void
fixture_pull_unlinked (Fixture   *fx,
                       TdmRecord *record)
{
  tdm_match_index_add (fx->match, record);
  fixture_pull (fx, record);
}

/* Takes `link` (transfer full). */
static void
fixture_add_link (Fixture *fx,
                  TdmLink *link)
{
  g_hash_table_insert (fx->links, tdm_link_key (W, link->webshop_id), tdm_link_ref (link));
  g_hash_table_insert (fx->links, tdm_link_key (S, link->shopify_id), link);
}

static void
fixture_resolve (Fixture    *fx,
                 const char *webshop_id,
                 const char *field,
                 TdmSide     winner)
{
  GHashTable *fields;
  g_autofree char *key = tdm_link_key (W, webshop_id);

  if (fx->resolutions == NULL)
    fx->resolutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  fields = g_hash_table_lookup (fx->resolutions, key);
  if (fields == NULL)
    {
      fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (fx->resolutions, g_strdup (key), fields);
    }
  g_hash_table_insert (fields, g_strdup (field), GINT_TO_POINTER (winner + 1));
  fx->input.resolutions = fx->resolutions;
}

static GPtrArray *
fixture_plan (Fixture *fx)
{
  GPtrArray *actions = tdm_planner_plan (&fx->input);

  g_assert_nonnull (actions);
  /* Every action describes itself in one line. */
  for (guint i = 0; i < actions->len; i++)
    {
      g_autofree char *line = tdm_action_describe (g_ptr_array_index (actions, i));

      g_assert_nonnull (line);
      g_assert_null (strchr (line, '\n'));
      g_test_message ("%s", line);
    }
  return actions;
}

static TdmAction *
action_at (GPtrArray *actions,
           guint      i)
{
  g_assert_cmpuint (i, <, actions->len);
  return g_ptr_array_index (actions, i);
}

/* `fields` must equal `expected` (JSON text, or NULL for "nothing"). */
static void
assert_fields (JsonObject *fields,
               const char *expected)
{
  if (expected == NULL)
    {
      g_assert_true (fields == NULL || json_object_get_size (fields) == 0);
      return;
    }
  g_assert_nonnull (fields);
  {
    g_autoptr(JsonObject) want = obj (expected);
    g_autofree char *a = tdm_json_object_to_string (fields);
    g_autofree char *b = tdm_json_object_to_string (want);

    g_assert_cmpstr (a, ==, b);
  }
}

static TdmAction *
action_for (GPtrArray  *actions,
            TdmSide     side,
            const char *id)
{
  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (actions, i);

      if (action->source != NULL && action->source->side == side &&
          g_str_equal (action->source->id, id))
        return action;
    }
  g_assert_not_reached ();
}

static const TdmFieldConflict *
find_conflict (TdmAction  *action,
               const char *field)
{
  for (guint i = 0; action->conflicts != NULL && i < action->conflicts->len; i++)
    {
      TdmFieldConflict *c = g_ptr_array_index (action->conflicts, i);
      if (g_str_equal (c->field, field))
        return c;
    }
  return NULL;
}

static gboolean
has_string (GPtrArray  *array,
            const char *str)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), str))
      return TRUE;
  return FALSE;
}

/* TdmLink ------------------------------------------------------------------- */

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

/* The decision table -------------------------------------------------------- */

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
static const char *policy_names[] = { "newest-wins", "webshop-wins", "shopify-wins", "ask" };

typedef struct {
  FieldState         state;
  TdmConflictPolicy  policy;
  gboolean           shopify_newer;   /* for both-different under newest-wins */
  gboolean           same_time;       /* tie under newest-wins → webshop */
  const char        *field;           /* "first_name" or "note" (empty_overwrites) */
} DecisionCase;

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
      g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
      g_assert_cmpint (action->target, ==, S);
      g_assert_cmpint (action->source->side, ==, W);
      {
        g_autofree char *want = g_strdup_printf ("{\"%s\": \"Kaia\"}", dc->field);
        assert_fields (action->fields, want);
      }
      assert_fields (action->fields_other, NULL);
      break;

    case STATE_CHANGED_SHOPIFY:
      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
      g_assert_cmpint (action->target, ==, W);
      g_assert_cmpint (action->source->side, ==, S);
      {
        g_autofree char *want = g_strdup_printf ("{\"%s\": \"Kine\"}", dc->field);
        assert_fields (action->fields, want);
      }
      assert_fields (action->fields_other, NULL);
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

        g_assert_cmpint (action->type, ==, TDM_ACTION_UPDATE);
        g_assert_cmpint (action->target, ==, tdm_side_other (winner));
        {
          g_autofree char *want = g_strdup_printf ("{\"%s\": \"%s\"}", dc->field,
                                                   winner == W ? "Kaia" : "Kine");
          assert_fields (action->fields, want);
        }
        assert_fields (action->fields_other, NULL);
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

/* First link ---------------------------------------------------------------- */

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

/* Matching ------------------------------------------------------------------ */

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

/* Deletes ------------------------------------------------------------------- */

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

/* Orders -------------------------------------------------------------------- */

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

/* Directions ---------------------------------------------------------------- */

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

/* Resolutions --------------------------------------------------------------- */

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

/* Fixed point and echoes ---------------------------------------------------- */

typedef struct {
  TdmKind     kind;
  TdmMapping *mapping;
  GHashTable *state[TDM_N_SIDES];   /* id → JsonObject* (what each side holds) */
  GHashTable *links;                /* "side:id" → TdmLink* */
  guint       next_id[TDM_N_SIDES];
} World;

static char *
world_id (World  *world,
          TdmSide side,
          guint   n)
{
  static const char *types[] = { "Customer", "Product", "Order" };

  if (side == W)
    return g_strdup_printf ("%u", n);
  return g_strdup_printf ("gid://shopify/%s/%u", types[world->kind], n);
}

static JsonObject *
apply_fields (JsonObject *current,
              JsonObject *fields)
{
  g_autoptr(JsonObject) copy = tdm_json_object_copy (current);
  g_autoptr(GList) names = NULL;

  if (copy == NULL)
    copy = json_object_new ();
  if (fields == NULL)
    return g_steal_pointer (&copy);
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (fields, l->data);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (copy, l->data);
      else
        json_object_set_member (copy, l->data, json_node_copy (value));
    }
  return g_steal_pointer (&copy);
}

static void
world_link (World      *world,
            const char *wid,
            const char *sid)
{
  TdmLink *link = tdm_link_new (world->kind, wid, sid);

  /* Both snapshots: what each side holds after the writes (echo safety). */
  tdm_link_set_snapshot (link, W, g_hash_table_lookup (world->state[W], wid), NULL);
  tdm_link_set_snapshot (link, S, g_hash_table_lookup (world->state[S], sid), NULL);
  g_hash_table_replace (world->links, tdm_link_key (W, wid), tdm_link_ref (link));
  g_hash_table_replace (world->links, tdm_link_key (S, sid), link);
}

/* Executes a plan the way the engine does: write, then store what each side
 * holds as its snapshot. */
static void
world_apply (World     *world,
             GPtrArray *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (actions, i);
      TdmSide t = action->target, o = tdm_side_other (action->target);

      switch (action->type)
        {
        case TDM_ACTION_CREATE:
          {
            char *id = world_id (world, t, ++world->next_id[t]);

            g_hash_table_insert (world->state[t], id, apply_fields (NULL, action->fields));
            world_link (world, t == W ? id : action->source->id, t == S ? id : action->source->id);
          }
          break;
        case TDM_ACTION_UPDATE:
        case TDM_ACTION_LINK:
          {
            const char *tid, *oid;

            if (action->type == TDM_ACTION_LINK)
              {
                tid = action->twin->id;
                oid = action->source->id;
              }
            else
              {
                tid = tdm_link_get_id (action->link, t);
                oid = tdm_link_get_id (action->link, o);
              }
            g_hash_table_insert (world->state[t], g_strdup (tid),
                                 apply_fields (g_hash_table_lookup (world->state[t], tid),
                                               action->fields));
            g_hash_table_insert (world->state[o], g_strdup (oid),
                                 apply_fields (g_hash_table_lookup (world->state[o], oid),
                                               action->fields_other));
            world_link (world, t == W ? tid : oid, t == S ? tid : oid);
          }
          break;
        case TDM_ACTION_NOTHING:     /* like the engine: the link stays as it was */
        case TDM_ACTION_CONFLICT:
        case TDM_ACTION_ORPHAN:
        case TDM_ACTION_DELETE:
        case TDM_ACTION_WAIT:
        case TDM_ACTION_REVIEW:
        default:
          break;
        }
    }
}

/* Plans a run where every record of both sides is pulled. */
static GPtrArray *
world_plan (World            *world,
            TdmConflictPolicy policy)
{
  g_autoptr(Fixture) fx = fixture_new (world->kind);
  GHashTableIter iter;
  gpointer key, value;

  fx->input.mapping = world->mapping;
  fx->input.options.conflict_policy = policy;
  g_hash_table_iter_init (&iter, world->links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (fx->links, g_strdup (key), tdm_link_ref (value));
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_hash_table_iter_init (&iter, world->state[s]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *lk = tdm_link_key (s, key);
          TdmRecord *record = tdm_record_new (s, world->kind, key, "2026-11-03T10:00:00Z",
                                              NULL, value, NULL);

          if (g_hash_table_contains (world->links, lk))
            fixture_pull (fx, record);
          else
            fixture_pull_unlinked (fx, record);
        }
    }
  return fixture_plan (fx);
}

static void
world_edit (World      *world,
            TdmSide     side,
            const char *id,
            const char *field,
            const char *value)
{
  JsonObject *current = g_hash_table_lookup (world->state[side], id);
  g_autoptr(JsonObject) edit = json_object_new ();

  if (value != NULL)
    json_object_set_string_member (edit, field, value);
  else
    json_object_set_null_member (edit, field);
  g_hash_table_insert (world->state[side], g_strdup (id), apply_fields (current, edit));
}

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

/* Order, duplicates, unchanged ---------------------------------------------- */

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  static DecisionCase cases[N_STATES * 4 * 2 + 2];
  static FixedPointCase fixed_point_cases[G_N_ELEMENTS (world_specs) * 4];
  guint n = 0;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_mapping = tdm_mapping_new_from_data (test_mapping_json, -1, "test-mapping.json", &error);
  g_assert_no_error (error);

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

  g_test_add_data_func ("/planner/delete/keep", GINT_TO_POINTER (TDM_DELETE_KEEP), test_delete);
  g_test_add_data_func ("/planner/delete/propagate", GINT_TO_POINTER (TDM_DELETE_PROPAGATE),
                        test_delete);

  g_test_add_func ("/planner/orders/not-writable", test_orders_not_writable);
  g_test_add_func ("/planner/orders/forward-only", test_orders_forward_only);
  g_test_add_func ("/planner/orders/status-conflict", test_orders_status_conflict);
  g_test_add_func ("/planner/orders/wait-for-customer", test_orders_wait_for_customer);

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
  g_test_add_func ("/planner/echo", test_echo);
  g_test_add_func ("/planner/stable-order", test_stable_order);
  g_test_add_func ("/planner/duplicates-and-unchanged", test_duplicates_and_unchanged);
  g_test_add_func ("/planner/describe", test_describe);
  g_test_add_func ("/planner/merge/conflict-with-empty", test_conflict_with_empty);
  g_test_add_func ("/planner/input-order-independent", test_input_order_independent);
  g_test_add_func ("/planner/match/index-replace", test_match_index_replace);
  g_test_add_func ("/planner/natural-order", test_natural_order);
  g_test_add_func ("/planner/empty-forms", test_empty_forms);

  {
    int ret = g_test_run ();
    g_object_unref (test_mapping);
    return ret;
  }
}
