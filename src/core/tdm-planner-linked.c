/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <glib/gi18n-lib.h>

/* Pairs that are linked already: the three-way merge of their fields, and
 * deletes on one side (docs/sync.md, Three-way merge, Deletes and orphans). */

/* A linked pair as this run sees it. */
typedef struct {
  TdmLink    *link;
  TdmRecord  *records[TDM_N_SIDES];     /* pulled this run, or NULL */
  JsonObject *current[TDM_N_SIDES];     /* the fields now: pulled, else the snapshot */
  JsonObject *base[TDM_N_SIDES];        /* the snapshots of the last sync */
  const char *updated_at[TDM_N_SIDES];
  gboolean    first_link;               /* never synced: no snapshots */
  TdmRecord  *source;                   /* the record the actions are about */
  TdmSide     target;
} Pair;

/* ---- Deletes ---- */

/* Does any mapped field of `fields` differ from `snapshot`? */
static gboolean
planner_differs_from_snapshot (TdmPlanner *planner,
                               JsonObject *fields,
                               JsonObject *snapshot)
{
  if (snapshot == NULL)
    return TRUE;
  if (fields == snapshot)
    return FALSE;
  for (guint i = 0; i < planner->fields->len; i++)
    {
      const TdmPlanField *fi = &g_array_index (planner->fields, TdmPlanField, i);

      if (!_tdm_planner_values_equal (_tdm_planner_field_value (fields, fi->name),
                                      _tdm_planner_field_value (snapshot, fi->name)))
        return TRUE;
    }
  return FALSE;
}

/* One side of the pair was deleted: propagate the delete, or keep the
 * survivor as an orphan. */
static void
planner_plan_tombstone (TdmPlanner *planner,
                        const Pair *pair,
                        TdmSide     dead_side)
{
  const TdmPlanOptions *options = &planner->input->options;
  TdmSide keep = tdm_side_other (dead_side);
  TdmRecord *dead = pair->records[dead_side];
  TdmRecord *survivor = pair->records[keep];
  TdmLink *link = pair->link;
  gboolean survivor_edited = FALSE;

  g_assert (dead != NULL && dead->deleted);

  if (survivor != NULL)
    survivor_edited = planner_differs_from_snapshot (planner, survivor->fields,
                                                     tdm_link_get_snapshot (link, keep));

  if (options->delete_policy == TDM_DELETE_PROPAGATE &&
      tdm_direction_allows (options->direction, keep) &&
      !survivor_edited)
    {
      _tdm_planner_emit (planner, TDM_ACTION_DELETE, keep, dead, link,
                         g_strdup_printf (_("Deleted in %s."), tdm_side_display_name (dead_side)));
      return;
    }

  if (survivor_edited && options->delete_policy == TDM_DELETE_PROPAGATE)
    _tdm_planner_emit (planner, TDM_ACTION_ORPHAN, keep, dead, link,
                       /* Translators: the two sides ("Deleted in Shopify but edited in Webshop") */
                       g_strdup_printf (_("Deleted in %s but edited in %s since the last sync: "
                                          "the edited record is kept."),
                                        tdm_side_display_name (dead_side),
                                        tdm_side_display_name (keep)));
  else
    _tdm_planner_emit (planner, TDM_ACTION_ORPHAN, keep, dead, link,
                       /* Translators: the deleting side, then the side whose record is kept */
                       g_strdup_printf (_("Deleted in %s; the record in %s is kept and marked "
                                          "orphaned."),
                                        tdm_side_display_name (dead_side),
                                        tdm_side_display_name (keep)));
}

/* An orphaned link, or a tombstone on one or both sides: planned here.
 * Returns FALSE when the pair is to be merged. */
static gboolean
planner_plan_deleted (TdmPlanner *planner,
                      const Pair *pair)
{
  TdmRecord *webshop = pair->records[TDM_SIDE_WEBSHOP];
  TdmRecord *shopify = pair->records[TDM_SIDE_SHOPIFY];

  if (pair->link->orphaned)
    {
      _tdm_planner_emit (planner, TDM_ACTION_NOTHING, pair->target, pair->source, pair->link,
                         g_strdup (_("Its twin was deleted earlier; the record is kept as an "
                                     "orphan.")));
      return TRUE;
    }

  if (webshop != NULL && webshop->deleted && shopify != NULL && shopify->deleted)
    {
      _tdm_planner_emit (planner, TDM_ACTION_NOTHING, pair->target, pair->source, pair->link,
                         g_strdup (_("Deleted on both sides.")));
      return TRUE;
    }
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (pair->records[s] != NULL && pair->records[s]->deleted)
      {
        planner_plan_tombstone (planner, pair, (TdmSide) s);
        return TRUE;
      }
  return FALSE;
}

/* ---- The pair ---- */

/* The pair of `record`, with its twin when that was pulled this run too
 * (then it is done: one set of actions covers both). */
static void
pair_init (Pair       *pair,
           TdmPlanner *planner,
           TdmRecord  *record,
           TdmLink    *link)
{
  TdmSide other = tdm_side_other (record->side);
  const char *other_id = tdm_link_get_id (link, other);

  pair->link = link;
  pair->records[record->side] = record;
  if (other_id != NULL)
    {
      TdmPlanEntry *entry = _tdm_planner_entry (planner, other, other_id);

      if (entry != NULL)
        {
          pair->records[other] = entry->record;
          entry->done = TRUE;
        }
    }

  /* The webshop record leads when both sides were pulled. */
  pair->source = pair->records[TDM_SIDE_WEBSHOP] != NULL ? pair->records[TDM_SIDE_WEBSHOP]
                                                         : pair->records[TDM_SIDE_SHOPIFY];
  pair->target = tdm_side_other (pair->source->side);
}

/* The current state of each side and the snapshots to compare it with. */
static void
pair_read_state (Pair *pair)
{
  TdmLink *link = pair->link;

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      TdmRecord *record = pair->records[s];

      pair->base[s] = tdm_link_get_snapshot (link, (TdmSide) s);
      /* A side not pulled this run is unchanged: its value is its snapshot. */
      pair->current[s] = record != NULL ? record->fields : pair->base[s];
      pair->updated_at[s] = record != NULL ? record->updated_at
                                           : (s == TDM_SIDE_WEBSHOP ? link->webshop_updated_at
                                                                    : link->shopify_updated_at);
    }
  pair->first_link = pair->base[TDM_SIDE_WEBSHOP] == NULL ||
                     pair->base[TDM_SIDE_SHOPIFY] == NULL;
}

/* ---- Actions from the merge ---- */

/* The UPDATE of a pair with writes; `fields` is kept the non-empty side when
 * only one side is written. */
static void
planner_emit_update (TdmPlanner *planner,
                     Pair       *pair,
                     TdmMerge   *merge)
{
  TdmAction *action;

  g_assert (_tdm_planner_merge_has_writes (merge));

  if (merge->write[pair->target] == NULL && pair->records[pair->target] != NULL)
    {
      pair->source = pair->records[pair->target];
      pair->target = tdm_side_other (pair->target);
    }
  else if (merge->write[pair->target] == NULL)
    {
      /* Only the pulled record's own side is written (the other side won). */
      pair->target = pair->source->side;
      pair->source = pair->records[pair->source->side];
    }
  action = _tdm_planner_emit (planner, TDM_ACTION_UPDATE, pair->target, pair->source,
                              pair->link, _tdm_planner_merge_describe_changes (merge));
  action->fields = g_steal_pointer (&merge->write[pair->target]);
  action->fields_other = g_steal_pointer (&merge->write[tdm_side_other (pair->target)]);
  action->conflicts = g_steal_pointer (&merge->resolved);
  action->not_writable = g_steal_pointer (&merge->not_writable);
}

/* The CONFLICT of the fields that wait for the user (`ask`). */
static void
planner_emit_conflict (TdmPlanner *planner,
                       const Pair *pair,
                       TdmMerge   *merge)
{
  g_autofree char *names = NULL;
  TdmAction *action;

  g_assert (merge->pending != NULL);

  names = _tdm_planner_join_conflict_names (merge->pending);
  action = _tdm_planner_emit (planner, TDM_ACTION_CONFLICT, pair->target, pair->source,
                              pair->link,
                              g_strdup_printf (_("Changed differently in the webshop and in "
                                                 "Shopify: %s. Choose the value to keep in "
                                                 "Conflicts."),
                                               names));
  action->conflicts = g_steal_pointer (&merge->pending);
  action->not_writable = g_steal_pointer (&merge->not_writable);
}

/* UPDATE and/or CONFLICT, or NOTHING when the merge found nothing to do. */
static void
planner_emit_merge (TdmPlanner *planner,
                    Pair       *pair,
                    TdmMerge   *merge)
{
  gboolean emitted = FALSE;
  TdmAction *action;

  if (_tdm_planner_merge_has_writes (merge))
    {
      planner_emit_update (planner, pair, merge);
      emitted = TRUE;
    }
  if (merge->pending != NULL)
    {
      planner_emit_conflict (planner, pair, merge);
      emitted = TRUE;
    }
  if (emitted)
    return;

  action = _tdm_planner_emit (planner, TDM_ACTION_NOTHING, pair->target, pair->source,
                              pair->link,
                              g_strdup (merge->not_writable != NULL
                                        ? _("Differs, but the difference cannot be written.")
                                        : planner->unchanged_reason));
  action->conflicts = g_steal_pointer (&merge->resolved);
  action->not_writable = g_steal_pointer (&merge->not_writable);
}

/* A pulled record that has a link: deletes, else the three-way merge of the
 * pair against its snapshots. */
void
_tdm_planner_plan_linked (TdmPlanner *planner,
                          TdmRecord  *record,
                          TdmLink    *link)
{
  const TdmPlanOptions *options = &planner->input->options;
  g_auto(TdmMerge) merge = { { NULL, }, };
  Pair pair = { NULL, };

  g_assert (record != NULL && link != NULL);
  g_assert (!planner->final_pass);

  pair_init (&pair, planner, record, link);
  if (planner_plan_deleted (planner, &pair))
    return;

  pair_read_state (&pair);
  if (pair.current[TDM_SIDE_WEBSHOP] == NULL || pair.current[TDM_SIDE_SHOPIFY] == NULL)
    {
      TdmSide unknown = pair.current[TDM_SIDE_WEBSHOP] == NULL ? TDM_SIDE_WEBSHOP
                                                               : TDM_SIDE_SHOPIFY;

      _tdm_planner_emit (planner, TDM_ACTION_WAIT, pair.target, pair.source, link,
                         g_strdup_printf (_("The linked record in %s has not been read yet; "
                                            "the pair is compared once it has been."),
                                          tdm_side_display_name (unknown)));
      return;
    }

  _tdm_planner_merge_pair (planner->fields, &merge, pair.current, pair.base, pair.first_link,
                           pair.updated_at,
                           pair.first_link ? options->first_link_policy
                                           : options->conflict_policy,
                           _tdm_planner_resolutions_for (planner, link->webshop_id));
  planner_emit_merge (planner, &pair, &merge);
}
