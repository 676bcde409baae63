/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-mapping.h"
#include "tdm-planner.h"

/* The planner on random worlds built from the input bytes: records on both
 * sides whose fields are drawn from the default mapping's rows of one kind
 * (small value pools, so sides agree and disagree often), links between some
 * of them with random snapshots, random policies, direction and answers to
 * `ask` conflicts. Three plans per input:
 *   0. a random subset pulled, with tombstones and twin ids: must not crash;
 *   1. every record pulled: its writes are applied the way the engine does
 *      (write, then both sides' snapshots = what each side holds);
 *   2. every record pulled again: a fixed point, nothing is written (only
 *      NOTHING, and the REVIEW / WAIT / `ask` CONFLICT that wait for the
 *      user or for another kind).
 * In every plan no action writes a field that tdm_mapping_field_writable
 * says is not writable on its side (at creation for CREATE, on update
 * otherwise), nor onto a side the kind's direction does not allow. */

#define W TDM_SIDE_WEBSHOP
#define S TDM_SIDE_SHOPIFY

static TdmMapping *mapping;

static const char *timestamps[] = {
  "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z",
};

typedef struct {
  TdmKind       kind;
  TdmFuzzBytes *in;
  GPtrArray    *rows;                /* of the kind, transfer none */
  GHashTable   *state[TDM_N_SIDES];  /* id → JsonObject* */
  GHashTable   *updated[TDM_N_SIDES];/* id → updated_at */
  GHashTable   *links;               /* "side:id" → TdmLink* */
  GHashTable   *resolutions;         /* as TdmPlanInput.resolutions, nullable */
  guint         next_id[TDM_N_SIDES];
  guint         linked_seed;
  TdmPlanOptions options;
} World;

/* Values ------------------------------------------------------------------- */

static JsonNode *
string_node (const char *s)
{
  return json_node_init_string (json_node_alloc (), s);
}

/* json_node_init_array/object take a reference: these take the caller's. */
static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

static JsonNode *gen_value (World *world, guint row_index);

static JsonObject *
gen_members (World *world,
             guint  parent_index)
{
  JsonObject *object = json_object_new ();

  for (guint i = parent_index + 1; i < world->rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (world->rows, i);
      JsonNode *value;

      if (row->parent != (int) parent_index || !tdm_fuzz_bool (world->in))
        continue;
      value = gen_value (world, i);
      if (value != NULL)
        json_object_set_member (object, row->name, value);
    }
  return object;
}

static JsonNode *
raw_value (World *world,
           guint  row_index)
{
  const TdmMappingRow *row = g_ptr_array_index (world->rows, row_index);
  static const char *strings[] = { "A", "B", "Ærlig" };
  static const char *enums[] = { "active", "draft", "paid", "pending", "fulfilled" };
  static const char *emails[] = { "a@example.no", "b@example.no", "c@example.no" };
  static const char *phones[] = { "+4791234567", "+4798765432" };
  static const char *decimals[] = { "10", "12.5", "0.99" };
  static const char *countries[] = { "NO", "SE" };
  static const char *currencies[] = { "NOK", "EUR" };
  static const char *refs[] = { "17", "18", "19" };
  static const char *units[] = { "kg", "g", "lb" };
  guint pick = tdm_fuzz_byte (world->in);

  switch (row->type)
    {
    case TDM_VALUE_EMAIL:
      return string_node (emails[pick % G_N_ELEMENTS (emails)]);
    case TDM_VALUE_PHONE:
      return string_node (phones[pick % G_N_ELEMENTS (phones)]);
    case TDM_VALUE_TAGS:
      {
        JsonArray *tags = json_array_new ();

        for (guint i = 0; i < 3; i++)
          if (pick & (1u << i))
            json_array_add_string_element (tags, strings[i]);
        return array_node (tags);
      }
    case TDM_VALUE_MONEY:
    case TDM_VALUE_DECIMAL:
      return string_node (decimals[pick % G_N_ELEMENTS (decimals)]);
    case TDM_VALUE_INT:
      return json_node_init_int (json_node_alloc (), pick % 3);
    case TDM_VALUE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), pick & 1);
    case TDM_VALUE_DATETIME:
      return string_node (timestamps[pick % G_N_ELEMENTS (timestamps)]);
    case TDM_VALUE_COUNTRY_CODE:
      return string_node (countries[pick % G_N_ELEMENTS (countries)]);
    case TDM_VALUE_CURRENCY_CODE:
      return string_node (currencies[pick % G_N_ELEMENTS (currencies)]);
    case TDM_VALUE_ENUM:
      return string_node (enums[pick % G_N_ELEMENTS (enums)]);
    case TDM_VALUE_REFERENCE:
      return string_node (refs[pick % G_N_ELEMENTS (refs)]);
    case TDM_VALUE_WEIGHT:
      {
        JsonObject *weight = json_object_new ();

        json_object_set_string_member (weight, "value", decimals[pick % G_N_ELEMENTS (decimals)]);
        json_object_set_string_member (weight, "unit", units[(pick >> 2) % G_N_ELEMENTS (units)]);
        return object_node (weight);
      }
    case TDM_VALUE_LIST:
      {
        JsonArray *items = json_array_new ();

        for (guint i = 0; i < 1 + pick % 3; i++)
          {
            JsonObject *item = gen_members (world, row_index);

            if (json_object_get_size (item) > 0)
              json_array_add_object_element (items, item);
            else
              json_object_unref (item);
          }
        return array_node (items);
      }
    case TDM_VALUE_OBJECT:
      return object_node (gen_members (world, row_index));
    case TDM_VALUE_STRING:
    case TDM_VALUE_HTML:
    case TDM_VALUE_ID:
    default:
      return string_node (strings[pick % G_N_ELEMENTS (strings)]);
    }
}

/* A canonical value for the row (normalized like the mapping does), or NULL
 * for an empty one. */
static JsonNode *
gen_value (World *world,
           guint  row_index)
{
  const TdmMappingRow *row = g_ptr_array_index (world->rows, row_index);
  g_autoptr(JsonNode) raw = raw_value (world, row_index);

  if (row->type == TDM_VALUE_LIST || row->type == TDM_VALUE_OBJECT)
    {
      gboolean empty = JSON_NODE_HOLDS_ARRAY (raw) ? json_array_get_length (json_node_get_array (raw)) == 0
                                                   : json_object_get_size (json_node_get_object (raw)) == 0;
      return empty ? NULL : g_steal_pointer (&raw);
    }
  return tdm_normalize_value (row->type, raw, NULL, NULL);
}

static gboolean
row_is_field (const TdmMappingRow *row)
{
  return row->parent < 0 && g_strcmp0 (row->transform, "identity") != 0
         && strcmp (row->name, "id") != 0 && strcmp (row->name, "shopify_id") != 0;
}

static JsonObject *
gen_fields (World *world)
{
  JsonObject *fields = json_object_new ();

  for (guint i = 0; i < world->rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (world->rows, i);
      JsonNode *value;

      if (!row_is_field (row) || !tdm_fuzz_bool (world->in))
        continue;
      value = gen_value (world, i);
      if (value != NULL)
        json_object_set_member (fields, row->name, value);
    }
  return fields;
}

/* The world --------------------------------------------------------------- */

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
  JsonObject *copy = current ? tdm_json_object_copy (current) : json_object_new ();
  g_autoptr(GList) names = NULL;

  if (fields == NULL)
    return copy;
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (fields, l->data);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (copy, l->data);
      else
        json_object_set_member (copy, l->data, tdm_json_node_copy_deep (value));
    }
  return copy;
}

static void
world_link (World      *world,
            const char *wid,
            const char *sid,
            JsonObject *wsnap,
            JsonObject *ssnap)
{
  TdmLink *link = tdm_link_new (world->kind, wid, sid);

  tdm_link_set_snapshot (link, W, wsnap, wsnap ? timestamps[0] : NULL);
  tdm_link_set_snapshot (link, S, ssnap, ssnap ? timestamps[0] : NULL);
  g_hash_table_replace (world->links, tdm_link_key (W, wid), tdm_link_ref (link));
  g_hash_table_replace (world->links, tdm_link_key (S, sid), link);
}

static gboolean
world_is_linked (TdmKind     kind,
                 TdmSide     side,
                 const char *id,
                 gpointer    user_data)
{
  World *world = user_data;

  /* Records of the planned kind: the world's real links (a record's named
   * twin may be linked elsewhere). Other kinds (an order's customer): drawn
   * from the input. */
  if (kind == world->kind)
    {
      g_autofree char *key = tdm_link_key (side, id);

      return g_hash_table_contains (world->links, key);
    }
  return (g_str_hash (id) + world->linked_seed + side) % 3 != 0;
}

static JsonObject *
gen_snapshot (World      *world,
              JsonObject *current,
              JsonObject *other)
{
  switch (tdm_fuzz_pick (world->in, 4))
    {
    case 0:
      return NULL;
    case 1:
      return tdm_json_object_copy (current);
    case 2:
      return tdm_json_object_copy (other);
    default:
      return gen_fields (world);
    }
}

static void
world_build (World *world)
{
  guint n[TDM_N_SIDES];
  g_autoptr(GPtrArray) ids_s = g_ptr_array_new_with_free_func (g_free);

  for (TdmSide s = 0; s < TDM_N_SIDES; s++)
    {
      n[s] = tdm_fuzz_pick (world->in, 5);
      for (guint i = 1; i <= n[s]; i++)
        {
          char *id = world_id (world, s, i);

          g_hash_table_insert (world->state[s], id, gen_fields (world));
          g_hash_table_insert (world->updated[s], g_strdup (id),
                               (gpointer) timestamps[tdm_fuzz_pick (world->in, 3)]);
          if (s == S)
            g_ptr_array_add (ids_s, g_strdup (id));
        }
      world->next_id[s] = 100;
    }

  /* Links between some webshop records and distinct Shopify records. */
  for (guint i = 1; i <= n[W] && ids_s->len > 0; i++)
    {
      g_autofree char *wid = NULL;
      g_autofree char *sid = NULL;
      g_autoptr(JsonObject) wsnap = NULL;
      g_autoptr(JsonObject) ssnap = NULL;
      JsonObject *wcur, *scur;
      guint j;

      if (!tdm_fuzz_bool (world->in))
        continue;
      wid = world_id (world, W, i);
      j = tdm_fuzz_pick (world->in, ids_s->len);
      sid = g_ptr_array_steal_index (ids_s, j);
      wcur = g_hash_table_lookup (world->state[W], wid);
      scur = g_hash_table_lookup (world->state[S], sid);
      wsnap = gen_snapshot (world, wcur, scur);
      ssnap = gen_snapshot (world, scur, wcur);
      world_link (world, wid, sid, wsnap, ssnap);

      /* The user's answers to `ask` conflicts for some of the pairs. */
      if (tdm_fuzz_pick (world->in, 4) == 0)
        {
          g_autofree char *key = tdm_link_key (W, wid);
          GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          const TdmMappingRow *row = g_ptr_array_index (world->rows,
                                                        tdm_fuzz_pick (world->in, world->rows->len));

          if (world->resolutions == NULL)
            world->resolutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_hash_table_unref);
          if (row->parent < 0)
            g_hash_table_insert (fields, g_strdup (row->name),
                                 GINT_TO_POINTER (tdm_fuzz_pick (world->in, 2) + 1));
          g_hash_table_replace (world->resolutions, g_steal_pointer (&key), fields);
        }
    }
}

/* Planning ---------------------------------------------------------------- */

typedef enum {
  PULL_ALL,
  PULL_RANDOM,   /* a random subset, tombstones and twin ids */
} PullMode;

static GPtrArray *
world_plan (World   *world,
            PullMode mode)
{
  g_autoptr(GPtrArray) changed_w = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  g_autoptr(GPtrArray) changed_s = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  g_autoptr(TdmMatchIndex) match = tdm_match_index_new (world->kind);
  GPtrArray *changed[TDM_N_SIDES] = { changed_w, changed_s };
  TdmPlanInput input = { 0 };
  GPtrArray *actions;

  for (TdmSide s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GList) ids = g_hash_table_get_keys (world->state[s]);

      /* Hash-table order is not the input order the engine sees: sort. */
      ids = g_list_sort (ids, (GCompareFunc) strcmp);
      for (GList *l = ids; l != NULL; l = l->next)
        {
          const char *id = l->data;
          g_autofree char *key = tdm_link_key (s, id);
          gboolean linked = g_hash_table_contains (world->links, key);
          TdmRecord *record;

          if (mode == PULL_RANDOM)
            {
              guint how = tdm_fuzz_pick (world->in, 8);

              if (how == 0)
                continue;
              if (how == 1)
                {
                  record = tdm_record_new_tombstone (s, world->kind, id, timestamps[2]);
                  g_ptr_array_add (changed[s], record);
                  continue;
                }
            }
          record = tdm_record_new (s, world->kind, id, g_hash_table_lookup (world->updated[s], id),
                                   NULL, g_hash_table_lookup (world->state[s], id), NULL);
          if (mode == PULL_RANDOM && tdm_fuzz_pick (world->in, 4) == 0)
            {
              g_autofree char *twin = world_id (world, tdm_side_other (s),
                                                1 + tdm_fuzz_pick (world->in, 5));
              tdm_record_set_twin_id (record, twin);
            }
          if (!linked)
            tdm_match_index_add (match, record);
          g_ptr_array_add (changed[s], record);
        }
    }

  input.kind = world->kind;
  input.mapping = mapping;
  input.options = world->options;
  input.changed[W] = changed_w;
  input.changed[S] = changed_s;
  input.links = world->links;
  input.match = match;
  /* As the engine does: every kind can ask whether a record is linked. */
  input.is_linked = world_is_linked;
  input.is_linked_data = world;
  input.resolutions = world->resolutions;
  actions = tdm_planner_plan (&input);
  g_assert_nonnull (actions);
  return actions;
}

static void
check_writes (World      *world,
              TdmAction  *action,
              JsonObject *fields,
              TdmSide     side,
              gboolean    for_create)
{
  g_autoptr(GList) names = NULL;

  if (fields == NULL)
    return;
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!tdm_mapping_field_writable (mapping, world->kind, name, side, for_create)
          || !tdm_direction_allows (world->options.direction, side))
        {
          g_autofree char *line = tdm_action_describe (action);

          g_error ("%s: the plan writes “%s” onto %s, which is not writable there "
                   "(%s, kind direction %s)", line, name, tdm_side_to_string (side),
                   for_create ? "at creation" : "on update",
                   tdm_direction_to_string (world->options.direction));
        }
    }
}

static void
check_plan (World     *world,
            GPtrArray *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (actions, i);
      g_autofree char *line = tdm_action_describe (action);

      g_assert_nonnull (line);
      tdm_fuzz_assert_utf8 (line);
      g_assert_cmpint (action->kind, ==, world->kind);
      switch (action->type)
        {
        case TDM_ACTION_CREATE:
          g_assert_nonnull (action->source);
          check_writes (world, action, action->fields, action->target, TRUE);
          break;
        case TDM_ACTION_UPDATE:
          g_assert_nonnull (action->link);
          g_assert_true (action->fields != NULL && json_object_get_size (action->fields) > 0);
          check_writes (world, action, action->fields, action->target, FALSE);
          check_writes (world, action, action->fields_other, tdm_side_other (action->target), FALSE);
          break;
        case TDM_ACTION_LINK:
          g_assert_nonnull (action->source);
          g_assert_nonnull (action->twin);
          g_assert_cmpint (action->twin->side, ==, action->target);
          g_assert_cmpint (action->source->side, ==, tdm_side_other (action->target));
          check_writes (world, action, action->fields, action->target, FALSE);
          check_writes (world, action, action->fields_other, tdm_side_other (action->target), FALSE);
          break;
        case TDM_ACTION_CONFLICT:
          g_assert_true (action->conflicts != NULL && action->conflicts->len > 0);
          g_assert_null (action->fields);
          break;
        case TDM_ACTION_NOTHING:
        case TDM_ACTION_ORPHAN:
        case TDM_ACTION_DELETE:
        case TDM_ACTION_WAIT:
        case TDM_ACTION_REVIEW:
        default:
          break;
        }
    }
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
            g_autofree char *id = world_id (world, t, ++world->next_id[t]);
            const char *wid = t == W ? id : action->source->id;
            const char *sid = t == S ? id : action->source->id;

            g_hash_table_insert (world->state[t], g_strdup (id), apply_fields (NULL, action->fields));
            g_hash_table_insert (world->updated[t], g_strdup (id), (gpointer) timestamps[2]);
            world_link (world, wid, sid, g_hash_table_lookup (world->state[W], wid),
                        g_hash_table_lookup (world->state[S], sid));
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
            {
              const char *wid = t == W ? tid : oid;
              const char *sid = t == S ? tid : oid;

              world_link (world, wid, sid, g_hash_table_lookup (world->state[W], wid),
                          g_hash_table_lookup (world->state[S], sid));
            }
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

static gboolean
plan_has (GPtrArray     *actions,
          TdmActionType  type,
          TdmRecord     *source)
{
  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (actions, i);

      if (action->type == type && action->source != NULL && action->source->side == source->side
          && g_strcmp0 (action->source->id, source->id) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
describe_plan (GPtrArray *actions)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      g_autofree char *line = tdm_action_describe (g_ptr_array_index (actions, i));

      g_string_append_printf (out, "  %s\n", line);
    }
  return g_string_free (out, FALSE);
}

static char *
describe_world (World *world)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "kind %s, conflict %s, first link %s, delete %s, direction %s\n",
                          tdm_kind_to_string (world->kind),
                          tdm_conflict_policy_to_string (world->options.conflict_policy),
                          tdm_conflict_policy_to_string (world->options.first_link_policy),
                          tdm_delete_policy_to_string (world->options.delete_policy),
                          tdm_direction_to_string (world->options.direction));
  for (TdmSide s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GList) ids = g_list_sort (g_hash_table_get_keys (world->state[s]), (GCompareFunc) strcmp);

      for (GList *l = ids; l != NULL; l = l->next)
        {
          g_autofree char *key = tdm_link_key (s, l->data);
          g_autofree char *fields = tdm_json_object_to_string (g_hash_table_lookup (world->state[s], l->data));
          TdmLink *link = g_hash_table_lookup (world->links, key);
          g_autofree char *snap = NULL;

          if (link != NULL && tdm_link_get_snapshot (link, s) != NULL)
            snap = tdm_json_object_to_string (tdm_link_get_snapshot (link, s));
          g_string_append_printf (out, "  %s %s (%s) linked to %s snapshot %s\n", key, fields,
                                  (const char *) g_hash_table_lookup (world->updated[s], l->data),
                                  link ? tdm_link_get_id (link, tdm_side_other (s)) : "-",
                                  snap ? snap : "-");
        }
    }
  return g_string_free (out, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  TdmFuzzBytes in = { data, size, 0 };
  World world = { 0 };
  g_autoptr(GPtrArray) plan0 = NULL;
  g_autoptr(GPtrArray) plan1 = NULL;
  g_autoptr(GPtrArray) plan2 = NULL;
  g_autofree char *before = NULL;
  gboolean ask;

  tdm_fuzz_init_once ();
  if (mapping == NULL)
    mapping = tdm_mapping_new_default ();

  world.in = &in;
  world.kind = tdm_fuzz_pick (&in, TDM_N_KINDS);
  world.rows = tdm_mapping_get_rows (mapping, world.kind);
  world.options.conflict_policy = tdm_fuzz_pick (&in, 4);
  world.options.first_link_policy = tdm_fuzz_pick (&in, 4);
  world.options.delete_policy = tdm_fuzz_pick (&in, 2);
  world.options.direction = tdm_fuzz_pick (&in, 4);
  world.linked_seed = tdm_fuzz_byte (&in);
  ask = world.options.conflict_policy == TDM_POLICY_ASK
        || world.options.first_link_policy == TDM_POLICY_ASK;
  for (TdmSide s = 0; s < TDM_N_SIDES; s++)
    {
      world.state[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) json_object_unref);
      world.updated[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  world.links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) tdm_link_unref);

  world_build (&world);

  plan0 = world_plan (&world, PULL_RANDOM);
  check_plan (&world, plan0);

  before = describe_world (&world);
  plan1 = world_plan (&world, PULL_ALL);
  check_plan (&world, plan1);
  world_apply (&world, plan1);

  plan2 = world_plan (&world, PULL_ALL);
  check_plan (&world, plan2);
  for (guint i = 0; i < plan2->len; i++)
    {
      TdmAction *action = g_ptr_array_index (plan2, i);

      if (action->type == TDM_ACTION_NOTHING || action->type == TDM_ACTION_REVIEW
          || action->type == TDM_ACTION_WAIT || (ask && action->type == TDM_ACTION_CONFLICT))
        continue;
      /* Reported planner issue: a record held for review because of a
       * candidate this plan links elsewhere is created or linked by the
       * next run (linked records leave the match index). */
      if ((action->type == TDM_ACTION_CREATE || action->type == TDM_ACTION_LINK)
          && action->source != NULL
          && tdm_fuzz_skip_known ("review-not-stable")
          && plan_has (plan1, TDM_ACTION_REVIEW, action->source))
        continue;
      {
        g_autofree char *p1 = describe_plan (plan1);
        g_autofree char *p2 = describe_plan (plan2);
        g_autofree char *after = describe_world (&world);

        g_error ("planning twice is not a fixed point.\nworld:\n%splan:\n%sworld after it:\n%s"
                 "second plan:\n%s", before, p1, after, p2);
      }
    }

  g_clear_pointer (&world.resolutions, g_hash_table_unref);
  g_hash_table_unref (world.links);
  for (TdmSide s = 0; s < TDM_N_SIDES; s++)
    {
      g_hash_table_unref (world.state[s]);
      g_hash_table_unref (world.updated[s]);
    }
  return 0;
}
