/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

/* The planner's walk: every changed record of both sides, in natural id
 * order, to its action(s) (docs/sync.md, A run's phases, Action types). */

/* ---- Helpers of the walk ---- */

/* Resolutions given by the user for a pair: field → winner side + 1. */
GHashTable *
_tdm_planner_resolutions_for (TdmPlanner *planner,
                              const char *webshop_id)
{
  GHashTable *all;
  char buf[128];
  const char *id = webshop_id;
  gsize len;

  g_assert (planner != NULL && planner->input != NULL);

  all = planner->input->resolutions;
  if (all == NULL || g_hash_table_size (all) == 0 || id == NULL)
    return NULL;

  len = strlen (id);
  if (len + sizeof "webshop:" <= sizeof buf)
    {
      memcpy (buf, "webshop:", 8);
      memcpy (buf + 8, id, len + 1);
      return g_hash_table_lookup (all, buf);
    }
  else
    {
      g_autofree char *key = tdm_link_key (TDM_SIDE_WEBSHOP, id);
      return g_hash_table_lookup (all, key);
    }
}

TdmPlanEntry *
_tdm_planner_entry (TdmPlanner *planner,
                    TdmSide     side,
                    const char *id)
{
  guint index;

  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);
  g_assert (planner->changed_by_id[side] != NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (planner->changed_by_id[side], id));
  return index > 0 ? &g_array_index (planner->entries[side], TdmPlanEntry, index - 1) : NULL;
}

TdmAction *
_tdm_planner_emit (TdmPlanner    *planner,
                   TdmActionType  type,
                   TdmSide        target,
                   TdmRecord     *source,
                   TdmLink       *link,
                   char          *reason)   /* transfer full */
{
  TdmAction *action;

  g_assert (target == TDM_SIDE_WEBSHOP || target == TDM_SIDE_SHOPIFY);

  action = tdm_action_new (type, planner->input->kind, target);
  action->source = source != NULL ? tdm_record_ref (source) : NULL;
  action->link = link != NULL ? tdm_link_ref (link) : NULL;
  action->reason = reason;
  g_ptr_array_add (planner->actions, action);
  return action;
}

/* The link of a pulled record, or NULL (TdmPlanInput.links). */
static TdmLink *
planner_find_link (TdmPlanner *planner,
                   TdmRecord  *record)
{
  GHashTable *links = planner->input->links;
  const char *prefix = record->side == TDM_SIDE_WEBSHOP ? "webshop:" : "shopify:";
  char buf[160];
  gsize len;

  g_assert (record->id != NULL);

  if (links == NULL)
    return NULL;

  len = strlen (record->id);
  if (len + 9 <= sizeof buf)
    {
      memcpy (buf, prefix, 8);
      memcpy (buf + 8, record->id, len + 1);
      return g_hash_table_lookup (links, buf);
    }
  else
    {
      g_autofree char *key = tdm_link_key (record->side, record->id);
      return g_hash_table_lookup (links, key);
    }
}

char *
_tdm_planner_claim_key (TdmRecord *record)
{
  g_assert (record != NULL && record->id != NULL);

  return tdm_link_key (record->side, record->id);
}

/* ---- Pulled records in natural id order ---- */

static void
entry_init_key (TdmPlanEntry *entry)
{
  const char *id = entry->record->id;
  gsize len = strlen (id);
  gsize start = len;
  guint64 number = 0;

  while (start > 0 && g_ascii_isdigit (id[start - 1]))
    start--;
  entry->prefix_len = start;
  /* Up to 18 digits fit; longer numbers take the general comparison. */
  entry->numeric = start < len && len - start <= 18;
  if (entry->numeric)
    {
      for (gsize i = start; i < len; i++)
        number = number * 10 + (guint64) (id[i] - '0');
      entry->number = number;
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const TdmPlanEntry *ea = a;
  const TdmPlanEntry *eb = b;
  const char *ia = ea->record->id;
  const char *ib = eb->record->id;
  int cmp;

  if (ea->numeric && eb->numeric && ea->prefix_len == eb->prefix_len &&
      memcmp (ia, ib, ea->prefix_len) == 0)
    {
      /* Same prefix: natural order is the number's order. */
      if (ea->number != eb->number)
        return ea->number < eb->number ? -1 : 1;
      cmp = strcmp (ia, ib);   /* leading zeros */
    }
  else
    cmp = _tdm_planner_compare_ids (ia, ib);
  if (cmp != 0)
    return cmp;

  /* Duplicates (a record read twice): newest first, then the later read. */
  cmp = _tdm_planner_compare_timestamps (eb->record->updated_at, ea->record->updated_at);
  if (cmp != 0)
    return cmp;
  return ea->position > eb->position ? -1 : (ea->position < eb->position ? 1 : 0);
}

/* The records of `side` pulled this run, in natural id order, each id once
 * (a record read twice, on overlapping pages: the newer state counts). */
static void
planner_collect (TdmPlanner *planner,
                 TdmSide     side)
{
  GPtrArray *changed = planner->input->changed[side];
  guint n = changed != NULL ? changed->len : 0;
  GArray *entries = g_array_sized_new (FALSE, TRUE, sizeof (TdmPlanEntry), n);
  GHashTable *by_id;
  guint kept = 0;

  g_assert (planner->entries[side] == NULL);

  for (guint i = 0; i < n; i++)
    {
      TdmRecord *record = g_ptr_array_index (changed, i);
      TdmPlanEntry entry = { 0, };

      if (record == NULL || record->id == NULL || record->side != side ||
          record->kind != planner->input->kind)
        continue;
      entry.record = record;
      entry.position = i;
      entry_init_key (&entry);
      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);

  /* A record read twice (overlapping pages): the newer state counts. */
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++)
    {
      TdmPlanEntry *entry = &g_array_index (entries, TdmPlanEntry, i);
      TdmPlanEntry *last = kept > 0 ? &g_array_index (entries, TdmPlanEntry, kept - 1) : NULL;

      if (last != NULL && strcmp (last->record->id, entry->record->id) == 0)
        continue;
      if (kept != i)
        g_array_index (entries, TdmPlanEntry, kept) = *entry;
      kept++;
    }
  g_array_set_size (entries, kept);
  for (guint i = 0; i < entries->len; i++)
    g_hash_table_insert (by_id, g_array_index (entries, TdmPlanEntry, i).record->id,
                         GUINT_TO_POINTER (i + 1));

  planner->entries[side] = entries;
  planner->changed_by_id[side] = by_id;
}

/* ---- The order of the actions ---- */

/* Deferred decisions were emitted last: restore the documented order (source
 * side, webshop first, then id in natural order). The sort is stable, so the
 * UPDATE/CONFLICT pairs of one record keep their order. */
typedef struct
{
  TdmAction *action;
  guint      index;   /* of emission */
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a;
  const Ranked *y = b;
  const TdmRecord *sx = x->action->source;
  const TdmRecord *sy = y->action->source;
  int c = 0;

  if (sx == NULL || sy == NULL)
    c = (sx == NULL) - (sy == NULL);
  else if (sx->side != sy->side)
    c = sx->side == TDM_SIDE_WEBSHOP ? -1 : 1;
  else
    c = _tdm_planner_compare_ids (sx->id, sy->id);
  /* Ties keep their emission order (an UPDATE before its CONFLICT). */
  return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static void
sort_actions (TdmPlanner *planner)
{
  guint n = planner->actions->len;
  g_autofree Ranked *ranked = g_new (Ranked, n);

  for (guint i = 0; i < n; i++)
    {
      ranked[i].action = g_ptr_array_index (planner->actions, i);
      ranked[i].index = i;
    }
  qsort (ranked, n, sizeof (Ranked), compare_ranked);
  for (guint i = 0; i < n; i++)
    planner->actions->pdata[i] = ranked[i].action;
}

/* ---- The walk ---- */

static void
planner_init (TdmPlanner         *planner,
              const TdmPlanInput *input)
{
  g_assert (input->options.direction != TDM_DIRECTION_OFF);

  planner->fields = _tdm_planner_fields_new (input);
  planner->unchanged_reason = _("No changes to sync.");
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      planner->create_reason[s] =
        /* Translators: the side the record comes from, then the other side */
        g_strdup_printf (_("New in %s, with no matching record in %s."),
                         tdm_side_display_name (tdm_side_other ((TdmSide) s)),
                         tdm_side_display_name ((TdmSide) s));
      planner->link_reason[s] = g_strdup_printf (_("Matches an existing record in %s."),
                                                 tdm_side_display_name ((TdmSide) s));
    }
  planner->claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  planner->linked_now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  planner->deferred = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  planner->deferred_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    planner_collect (planner, (TdmSide) s);
}

/* Frees everything but the actions. */
static void
planner_clear (TdmPlanner *planner)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_array_unref (planner->entries[s]);
      g_hash_table_unref (planner->changed_by_id[s]);
      g_free (planner->create_reason[s]);
      g_free (planner->link_reason[s]);
    }
  g_hash_table_unref (planner->claimed);
  g_hash_table_unref (planner->linked_now);
  g_ptr_array_unref (planner->deferred);
  g_hash_table_unref (planner->deferred_keys);
  g_array_unref (planner->fields);
}

/* The first pass: every pulled record not yet part of an action, webshop
 * side first. Unclear matches are deferred. */
static void
planner_walk (TdmPlanner *planner)
{
  g_assert (!planner->final_pass);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      GArray *entries = planner->entries[s];

      for (guint i = 0; i < entries->len; i++)
        {
          TdmPlanEntry *entry = &g_array_index (entries, TdmPlanEntry, i);
          TdmRecord *record = entry->record;
          TdmLink *link;

          if (entry->done)
            continue;
          entry->done = TRUE;
          link = planner_find_link (planner, record);
          if (link != NULL)
            _tdm_planner_plan_linked (planner, record, link);
          else
            _tdm_planner_plan_unlinked (planner, record);
        }
    }
}

/* The final pass: the deferred records, once every clear match is linked. */
static void
planner_decide_deferred (TdmPlanner *planner)
{
  planner->final_pass = TRUE;
  for (guint i = 0; i < planner->deferred->len; i++)
    {
      TdmRecord *record = g_ptr_array_index (planner->deferred, i);
      g_autofree char *key = _tdm_planner_claim_key (record);

      /* Already linked as the twin of a record decided before it. */
      if (!g_hash_table_contains (planner->linked_now, key))
        _tdm_planner_plan_unlinked (planner, record);
    }
  if (planner->deferred->len > 0)
    sort_actions (planner);
}

/**
 * tdm_planner_plan:
 * @input: the run's changed records, their links, the match index and the
 *   options for one kind
 *
 * Pure: no I/O. Every changed record yields its action(s): a pair changed on
 * both sides yields one set (an UPDATE and, under `ask`, a CONFLICT), a
 * record and its matched twin one LINK. Unchanged records yield NOTHING so
 * the engine can count them. Order: by source side (webshop first), then by
 * id in natural order.
 *
 * Returns: (transfer full) (element-type TdmAction): the actions.
 */
GPtrArray *
tdm_planner_plan (const TdmPlanInput *input)
{
  TdmPlanner planner = { 0, };

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (TDM_IS_MAPPING (input->mapping), NULL);

  planner.input = input;
  planner.actions = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_action_free);
  if (input->options.direction == TDM_DIRECTION_OFF)
    return planner.actions;

  planner_init (&planner, input);
  planner_walk (&planner);
  planner_decide_deferred (&planner);
  planner_clear (&planner);
  return planner.actions;
}

gboolean
tdm_planner_field_is_set_once (TdmKind     kind,
                               const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return _tdm_planner_field_rule (kind, name) == TDM_FIELD_RULE_SET_ONCE;
}
