/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-planner"

#include "config.h"

#include "planner-fixture.h"

#include <locale.h>
#include <string.h>

const char * const policy_names[4] = { "newest-wins", "webshop-wins", "shopify-wins", "ask" };

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

TdmMapping *test_mapping;

void
planner_fixture_init (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_mapping = tdm_mapping_new_from_data (test_mapping_json, -1, "test-mapping.json", &error);
  g_assert_no_error (error);
}

int
planner_fixture_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&test_mapping);
  return ret;
}

/* ---- Records and links ---- */

JsonObject *
obj (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

TdmRecord *
rec (TdmSide     side,
     TdmKind     kind,
     const char *id,
     const char *updated_at,
     const char *json)
{
  g_autoptr(JsonObject) fields = obj (json);

  return tdm_record_new (side, kind, id, updated_at, NULL, fields, NULL);
}

TdmRecord *
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

TdmLink *
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

JsonObject *
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

/* ---- A plan input ---- */

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

Fixture *
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

void
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

/* Takes `record` (transfer full). */
void
fixture_pull (Fixture   *fx,
              TdmRecord *record)
{
  g_ptr_array_add (fx->changed[record->side], record);
}

/* A pulled, unlinked record: also a candidate for matching, as the engine does. */
void
fixture_pull_unlinked (Fixture   *fx,
                       TdmRecord *record)
{
  tdm_match_index_add (fx->match, record);
  fixture_pull (fx, record);
}

/* Takes `link` (transfer full). */
void
fixture_add_link (Fixture *fx,
                  TdmLink *link)
{
  g_hash_table_insert (fx->links, tdm_link_key (W, link->webshop_id), tdm_link_ref (link));
  g_hash_table_insert (fx->links, tdm_link_key (S, link->shopify_id), link);
}

void
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

GPtrArray *
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

/* ---- Assertions on actions ---- */

TdmAction *
action_at (GPtrArray *actions,
           guint      i)
{
  g_assert_cmpuint (i, <, actions->len);
  return g_ptr_array_index (actions, i);
}

/* `fields` must equal `expected` (JSON text, or NULL for "nothing"). */
void
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

TdmAction *
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

const TdmFieldConflict *
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

gboolean
has_string (GPtrArray  *array,
            const char *str)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), str))
      return TRUE;
  return FALSE;
}

/* ---- A world of two shops ---- */

char *
world_id (World  *world,
          TdmSide side,
          guint   n)
{
  static const char *types[] = { "Customer", "Product", "Order" };

  if (side == W)
    return g_strdup_printf ("%u", n);
  return g_strdup_printf ("gid://shopify/%s/%u", types[world->kind], n);
}

void
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
void
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
GPtrArray *
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

void
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
