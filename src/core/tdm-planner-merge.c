/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The three-way merge of a pair, field by field: what each side changed
 * since the snapshot, who wins a conflict, and the order status rules
 * (docs/sync.md, Three-way merge, Empty never overwrites, Orders). */

/* ---- The compared fields ---- */

/* The rule a field of the kind follows in the merge (docs/sync.md, Orders). */
TdmFieldRule
_tdm_planner_field_rule (TdmKind     kind,
                         const char *name)
{
  g_assert (name != NULL);

  if (kind != TDM_KIND_ORDER)
    return TDM_FIELD_RULE_NONE;
  if (g_str_equal (name, "financial_status"))
    return TDM_FIELD_RULE_FINANCIAL_STATUS;
  if (g_str_equal (name, "fulfillment_status"))
    return TDM_FIELD_RULE_FULFILLMENT_STATUS;
  if (g_str_equal (name, "cancelled_at"))
    return TDM_FIELD_RULE_SET_ONCE;
  return TDM_FIELD_RULE_NONE;
}

/* The compared fields: top-level rows of the kind, without the identity rows
 * (ids are the link itself, not data). */
GArray *
_tdm_planner_fields_new (const TdmPlanInput *input)
{
  GArray *infos = g_array_new (FALSE, TRUE, sizeof (TdmPlanField));
  GPtrArray *rows;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert (input != NULL && TDM_IS_MAPPING (input->mapping));

  rows = tdm_mapping_get_rows (input->mapping, input->kind);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      TdmPlanField fi = { 0, };

      if (row->parent >= 0 || row->name == NULL)
        continue;
      if (g_strcmp0 (row->transform, "identity") == 0 ||
          g_str_equal (row->name, "id") || g_str_equal (row->name, "shopify_id") ||
          g_str_equal (row->name, "webshop_id"))
        continue;
      if (!g_hash_table_add (seen, row->name))
        continue;

      fi.name = row->name;
      fi.empty_overwrites = row->empty_overwrites;
      fi.rule = _tdm_planner_field_rule (input->kind, row->name);
      for (guint s = 0; s < TDM_N_SIDES; s++)
        {
          fi.flow[s] = tdm_direction_allows (input->options.direction, (TdmSide) s) &&
                       tdm_direction_allows (row->direction, (TdmSide) s);
          fi.write_update[s] = fi.flow[s] &&
                               tdm_mapping_field_writable (input->mapping, input->kind, row->name,
                                                           (TdmSide) s, FALSE);
          fi.write_create[s] = fi.flow[s] &&
                               tdm_mapping_field_writable (input->mapping, input->kind, row->name,
                                                           (TdmSide) s, TRUE);
        }
      g_array_append_val (infos, fi);
    }
  return infos;
}

/* ---- The outcome of a pair ---- */

void
_tdm_planner_merge_clear (TdmMerge *merge)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_clear_pointer (&merge->write[s], json_object_unref);
      if (merge->changed_names[s] != NULL)
        g_string_free (merge->changed_names[s], TRUE);
      merge->changed_names[s] = NULL;
    }
  g_clear_pointer (&merge->resolved, g_ptr_array_unref);
  g_clear_pointer (&merge->pending, g_ptr_array_unref);
  g_clear_pointer (&merge->not_writable, g_ptr_array_unref);
}

gboolean
_tdm_planner_merge_has_writes (const TdmMerge *merge)
{
  return merge->write[TDM_SIDE_WEBSHOP] != NULL || merge->write[TDM_SIDE_SHOPIFY] != NULL;
}

static void
merge_add_not_writable (TdmMerge   *merge,
                        const char *name)
{
  g_assert (merge != NULL && name != NULL);

  if (merge->not_writable == NULL)
    merge->not_writable = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < merge->not_writable->len; i++)
    if (strcmp (g_ptr_array_index (merge->not_writable, i), name) == 0)
      return;
  g_ptr_array_add (merge->not_writable, g_strdup (name));
}

static void
merge_add_conflict (GPtrArray  **list,
                    const char  *name,
                    JsonNode    *values[TDM_N_SIDES],
                    JsonNode    *base,
                    TdmSide      winner,
                    gboolean     resolved)
{
  TdmFieldConflict *conflict;

  g_assert (list != NULL && name != NULL);
  g_assert (winner == TDM_SIDE_WEBSHOP || winner == TDM_SIDE_SHOPIFY);

  conflict = tdm_field_conflict_new (name, values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY],
                                     base);
  conflict->winner = winner;
  conflict->resolved = resolved;
  if (*list == NULL)
    *list = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_field_conflict_free);
  g_ptr_array_add (*list, conflict);
}

static void
note_changed (TdmMerge   *merge,
              TdmSide     to,
              const char *name)
{
  GString **names = &merge->changed_names[to];

  if (*names == NULL)
    *names = g_string_new (name);
  else
    {
      g_string_append (*names, ", ");
      g_string_append (*names, name);
    }
}

/* ---- Order status rules ---- */

static gboolean
field_is_status (const TdmPlanField *fi)
{
  return fi->rule == TDM_FIELD_RULE_FINANCIAL_STATUS ||
         fi->rule == TDM_FIELD_RULE_FULFILLMENT_STATUS;
}

/* Ranks of the order statuses that only move forward; -1 = not ranked
 * (unknown values follow the ordinary rules). */
static int
status_rank (TdmFieldRule  rule,
             JsonNode     *value)
{
  static const char * const financial[] = {
    "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", NULL
  };
  static const char * const fulfillment[] = {
    "unfulfilled", "partial", "fulfilled", NULL
  };
  const char * const *table;
  const char *str;

  g_assert (rule == TDM_FIELD_RULE_FINANCIAL_STATUS || rule == TDM_FIELD_RULE_FULFILLMENT_STATUS);

  table = rule == TDM_FIELD_RULE_FINANCIAL_STATUS ? financial : fulfillment;
  if (value == NULL)
    return -1;
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    return -1;
  str = json_node_get_string (value);

  if (rule == TDM_FIELD_RULE_FINANCIAL_STATUS &&
      (g_str_equal (str, "voided") || g_str_equal (str, "expired")))
    return 100;   /* terminal */
  if (rule == TDM_FIELD_RULE_FULFILLMENT_STATUS && g_str_equal (str, "partially_fulfilled"))
    return 1;
  for (guint i = 0; table[i] != NULL; i++)
    if (g_str_equal (str, table[i]))
      return i;
  return -1;
}

/* May an order status move from `from` to `to`? */
static gboolean
status_moves_forward (TdmFieldRule  rule,
                      JsonNode     *from,
                      JsonNode     *to)
{
  int rf = status_rank (rule, from);
  int rt = status_rank (rule, to);

  if (from == NULL)
    return TRUE;
  if (to == NULL)
    return FALSE;   /* a status is never cleared */
  if (rf == 100)
    return FALSE;   /* voided and expired are terminal */
  if (rt == 100)
    return rf <= 1; /* only pending or authorized payments can be voided */
  if (rf < 0 || rt < 0)
    return TRUE;    /* not ranked: the ordinary rules decide */
  return rt > rf;
}

/* ---- Field outcomes ---- */

/* Writes side `from`'s value of the field onto side `to`, when the
 * directions, writability, the empty rule and the order rules allow it.
 * `chosen`: the user picked this value, so an empty one clears the other
 * side too. Returns TRUE when a write was planned. */
static gboolean
propose_write_full (TdmMerge           *merge,
                    const TdmPlanField *fi,
                    JsonNode           *values[TDM_N_SIDES],
                    TdmSide             from,
                    gboolean            chosen)
{
  TdmSide to = tdm_side_other (from);
  JsonNode *value = values[from];
  JsonNode *current = values[to];

  g_assert (from == TDM_SIDE_WEBSHOP || from == TDM_SIDE_SHOPIFY);

  if (!fi->flow[to])
    return FALSE;   /* by configuration: this field does not flow that way */
  if (!fi->write_update[to])
    {
      merge_add_not_writable (merge, fi->name);
      return FALSE;
    }
  if (value == NULL && current != NULL && !fi->empty_overwrites && !chosen)
    return FALSE;   /* an empty value never overwrites a filled one */
  if (fi->rule == TDM_FIELD_RULE_SET_ONCE && (current != NULL || value == NULL))
    return FALSE;
  if (field_is_status (fi) && !status_moves_forward (fi->rule, current, value))
    return FALSE;

  if (merge->write[to] == NULL)
    merge->write[to] = json_object_new ();
  if (value != NULL)
    json_object_set_member (merge->write[to], fi->name, json_node_copy (value));
  else
    json_object_set_null_member (merge->write[to], fi->name);   /* clear it */
  note_changed (merge, to, fi->name);
  return TRUE;
}

static gboolean
propose_write (TdmMerge           *merge,
               const TdmPlanField *fi,
               JsonNode           *values[TDM_N_SIDES],
               TdmSide             from)
{
  return propose_write_full (merge, fi, values, from, FALSE);
}

/* Which side wins a conflict on a field both sides may write, by policy? */
static TdmSide
policy_winner (TdmConflictPolicy  policy,
               const char        *updated_at[TDM_N_SIDES])
{
  switch (policy)
    {
    case TDM_POLICY_SHOPIFY_WINS:
      return TDM_SIDE_SHOPIFY;
    case TDM_POLICY_NEWEST_WINS:
      return _tdm_planner_compare_timestamps (updated_at[TDM_SIDE_SHOPIFY],
                                              updated_at[TDM_SIDE_WEBSHOP]) > 0
             ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
    case TDM_POLICY_WEBSHOP_WINS:
    case TDM_POLICY_ASK:
    default:
      return TDM_SIDE_WEBSHOP;
    }
}

/* The winner of a field both sides changed to different values and both may
 * write: an order status that moved further, the filled value over an empty
 * one, else the policy. -1 under `ask` when the user has to choose. */
static int
conflict_winner (const TdmPlanField *fi,
                 JsonNode           *values[TDM_N_SIDES],
                 const char         *updated_at[TDM_N_SIDES],
                 TdmConflictPolicy   policy)
{
  JsonNode *webshop = values[TDM_SIDE_WEBSHOP];
  JsonNode *shopify = values[TDM_SIDE_SHOPIFY];

  g_assert (fi->write_update[TDM_SIDE_WEBSHOP] && fi->write_update[TDM_SIDE_SHOPIFY]);

  if (field_is_status (fi) &&
      status_rank (fi->rule, webshop) >= 0 && status_rank (fi->rule, shopify) >= 0)
    /* Statuses only move forward: the further one wins, whatever the policy. */
    return status_rank (fi->rule, shopify) > status_rank (fi->rule, webshop)
           ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
  if (!fi->empty_overwrites && (webshop == NULL || shopify == NULL))
    /* An empty value never overwrites a filled one: the filled one wins. */
    return webshop != NULL ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY;
  if (policy == TDM_POLICY_ASK)
    return -1;
  return policy_winner (policy, updated_at);
}

/* The snapshot value of the field on `side`; NULL on a first link. */
static JsonNode *
base_value (const TdmPlanField *fi,
            JsonObject         *base[TDM_N_SIDES],
            gboolean            first_link,
            TdmSide             side)
{
  return first_link ? NULL : _tdm_planner_field_value (base[side], fi->name);
}

/* Both sides changed the field (or it is a first link) to different values. */
static void
merge_changed_both (TdmMerge           *merge,
                    const TdmPlanField *fi,
                    JsonNode           *values[TDM_N_SIDES],
                    JsonObject         *base[TDM_N_SIDES],
                    gboolean            first_link,
                    const char         *updated_at[TDM_N_SIDES],
                    TdmConflictPolicy   policy)
{
  gboolean can_webshop = fi->write_update[TDM_SIDE_WEBSHOP];
  gboolean can_shopify = fi->write_update[TDM_SIDE_SHOPIFY];
  int winner;

  if (!can_webshop || !can_shopify)
    {
      /* Only one way is open (directions or writability): the side that can
       * be written mirrors the other; there is nothing to decide. */
      if (can_shopify)
        propose_write (merge, fi, values, TDM_SIDE_WEBSHOP);
      else if (can_webshop)
        propose_write (merge, fi, values, TDM_SIDE_SHOPIFY);
      else if (fi->flow[TDM_SIDE_WEBSHOP] || fi->flow[TDM_SIDE_SHOPIFY])
        merge_add_not_writable (merge, fi->name);
      return;
    }

  winner = conflict_winner (fi, values, updated_at, policy);
  if (winner < 0)
    {
      merge_add_conflict (&merge->pending, fi->name, values,
                          base_value (fi, base, first_link, TDM_SIDE_WEBSHOP),
                          TDM_SIDE_WEBSHOP, FALSE);
      return;
    }
  if (propose_write (merge, fi, values, (TdmSide) winner))
    merge_add_conflict (&merge->resolved, fi->name, values,
                        base_value (fi, base, first_link, tdm_side_other ((TdmSide) winner)),
                        (TdmSide) winner, TRUE);
}

/* One field of a pair. `base` is NULL on a first link: then every difference
 * is decided by `policy` (the first-link policy) as if both sides changed. */
static void
merge_field (TdmMerge           *merge,
             const TdmPlanField *fi,
             JsonObject         *current[TDM_N_SIDES],
             JsonObject         *base[TDM_N_SIDES],
             gboolean            first_link,
             const char         *updated_at[TDM_N_SIDES],
             TdmConflictPolicy   policy,
             int                 user_winner)   /* -1: none */
{
  JsonNode *values[TDM_N_SIDES];
  gboolean changed[TDM_N_SIDES];

  g_assert (merge != NULL && fi != NULL && fi->name != NULL);
  g_assert (user_winner >= -1 && user_winner < TDM_N_SIDES);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    values[s] = _tdm_planner_field_value (current[s], fi->name);
  if (_tdm_planner_values_equal (values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY]))
    return;   /* the sides agree: nothing to write, whatever changed */

  if (user_winner >= 0)
    {
      /* The user picked a side in the Conflicts view. */
      TdmSide chosen = (TdmSide) user_winner;

      if (propose_write_full (merge, fi, values, chosen, TRUE))
        merge_add_conflict (&merge->resolved, fi->name, values,
                            base_value (fi, base, first_link, chosen), chosen, TRUE);
      return;
    }

  for (guint s = 0; s < TDM_N_SIDES; s++)
    changed[s] = first_link ||
                 !_tdm_planner_values_equal (values[s],
                                             _tdm_planner_field_value (base[s], fi->name));

  if (!changed[TDM_SIDE_WEBSHOP] && !changed[TDM_SIDE_SHOPIFY])
    return;
  if (changed[TDM_SIDE_WEBSHOP] != changed[TDM_SIDE_SHOPIFY])
    {
      propose_write (merge, fi, values,
                     changed[TDM_SIDE_WEBSHOP] ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY);
      return;
    }
  merge_changed_both (merge, fi, values, base, first_link, updated_at, policy);
}

void
_tdm_planner_merge_pair (GArray            *fields,
                         TdmMerge          *merge,
                         JsonObject        *current[TDM_N_SIDES],
                         JsonObject        *base[TDM_N_SIDES],
                         gboolean           first_link,
                         const char        *updated_at[TDM_N_SIDES],
                         TdmConflictPolicy  policy,
                         GHashTable        *resolutions)
{
  g_return_if_fail (fields != NULL);
  g_return_if_fail (merge != NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      const TdmPlanField *fi = &g_array_index (fields, TdmPlanField, i);
      int user_winner = -1;

      if (resolutions != NULL)
        {
          int v = GPOINTER_TO_INT (g_hash_table_lookup (resolutions, fi->name));
          if (v == TDM_SIDE_WEBSHOP + 1 || v == TDM_SIDE_SHOPIFY + 1)
            user_winner = v - 1;
        }
      merge_field (merge, fi, current, base, first_link, updated_at, policy, user_winner);
    }
}

/* ---- Reason lines ---- */

char *
_tdm_planner_merge_describe_changes (const TdmMerge *merge)
{
  GString *out = g_string_new (NULL);

  /* Writes onto Shopify come from webshop edits and vice versa. */
  if (merge->changed_names[TDM_SIDE_SHOPIFY] != NULL)
    g_string_append_printf (out, _("Changed in the webshop: %s."),
                            merge->changed_names[TDM_SIDE_SHOPIFY]->str);
  if (merge->changed_names[TDM_SIDE_WEBSHOP] != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, _("Changed in Shopify: %s."),
                              merge->changed_names[TDM_SIDE_WEBSHOP]->str);
    }
  return g_string_free (out, FALSE);
}

char *
_tdm_planner_join_conflict_names (GPtrArray *conflicts)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (conflicts, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, conflict->field);
    }
  return g_string_free (names, FALSE);
}
