/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <glib/gi18n-lib.h>

/* Records without a link: matched to a twin (a first link), created on the
 * other side, or held for review (docs/sync.md, First link and matching keys,
 * Ambiguous matches and the review list). */

/* ---- Creating the twin ---- */

/* An order waits until its customer is linked: the connector needs the
 * customer's id on the other side. A customer this run creates or links
 * first (input->is_planned) is no reason to wait: the order is created
 * after it, and `after` says so. Unlinked products are no reason to wait,
 * their lines become custom lines. */
static gboolean
planner_order_waits (TdmPlanner *planner,
                     TdmRecord  *order,
                     char      **reason,
                     char      **after)
{
  const TdmPlanInput *input = planner->input;
  const char *customer;
  TdmSide customer_side;
  TdmSide target;

  g_assert (reason != NULL && *reason == NULL);
  g_assert (after != NULL && *after == NULL);

  if (input->kind != TDM_KIND_ORDER || input->is_linked == NULL)
    return FALSE;
  customer = _tdm_planner_string_member (order->fields, "customer_id");
  if (customer == NULL)
    return FALSE;

  /* Canonical references hold webshop ids; an unresolved Shopify reference
   * keeps its GID. */
  customer_side = g_str_has_prefix (customer, "gid://") ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
  if (input->is_linked (TDM_KIND_CUSTOMER, customer_side, customer, input->is_linked_data))
    return FALSE;

  target = tdm_side_other (order->side);
  if (input->is_planned != NULL
      && input->is_planned (TDM_KIND_CUSTOMER, customer_side, customer, input->is_planned_data))
    {
      /* Translators: the side the order comes from, the other side, then
       * the side of the customer id and the id */
      *after = g_strdup_printf (_("New in %s; created in %s once its customer (%s id %s), "
                                  "planned above, is created or linked there."),
                                tdm_side_display_name (order->side),
                                tdm_side_display_name (target),
                                tdm_side_display_name (customer_side), customer);
      return FALSE;
    }

  /* Translators: side of the customer id, the id, then the side the order goes to */
  *reason = g_strdup_printf (_("Waiting for its customer (%s id %s) to be linked to a customer "
                               "in %s first."),
                             tdm_side_display_name (customer_side), customer,
                             tdm_side_display_name (target));
  return TRUE;
}

/* No twin on the other side: create one there, when the direction allows
 * it and nothing it depends on is missing. */
static void
planner_plan_create (TdmPlanner *planner,
                     TdmRecord  *record)
{
  const TdmPlanInput *input = planner->input;
  TdmSide other = tdm_side_other (record->side);
  TdmAction *action;
  g_autofree char *wait_reason = NULL;
  g_autofree char *after_reason = NULL;
  JsonObject *fields;

  g_assert (!record->deleted);

  if (!tdm_direction_allows (input->options.direction, other))
    {
      _tdm_planner_emit (planner, TDM_ACTION_NOTHING, other, record, NULL,
                         /* Translators: a side, a kind in plural ("Customers"), the same side */
                         g_strdup_printf (_("Not created in %s: the sync direction for %s "
                                            "only allows changes from %s."),
                                          tdm_side_display_name (other),
                                          tdm_kind_display_plural (input->kind),
                                          tdm_side_display_name (other)));
      return;
    }

  if (planner_order_waits (planner, record, &wait_reason, &after_reason))
    {
      _tdm_planner_emit (planner, TDM_ACTION_WAIT, other, record, NULL,
                         g_steal_pointer (&wait_reason));
      return;
    }

  fields = json_object_new ();
  for (guint i = 0; i < planner->fields->len; i++)
    {
      const TdmPlanField *fi = &g_array_index (planner->fields, TdmPlanField, i);
      JsonNode *value;

      if (!fi->write_create[other])
        continue;
      value = _tdm_planner_field_value (record->fields, fi->name);
      if (value != NULL)
        json_object_set_member (fields, fi->name, json_node_copy (value));
    }

  action = _tdm_planner_emit (planner, TDM_ACTION_CREATE, other, record, NULL,
                              after_reason != NULL ? g_steal_pointer (&after_reason)
                                                   : g_strdup (planner->create_reason[other]));
  action->fields = fields;
  g_hash_table_add (planner->linked_now, _tdm_planner_claim_key (record));
}

/* ---- Linking to a twin ---- */

/* Marks `record` and `twin` as linked by this plan: neither is a candidate
 * for another record any more. */
static void
planner_claim_pair (TdmPlanner *planner,
                    TdmRecord  *record,
                    TdmRecord  *twin)
{
  TdmPlanEntry *entry = _tdm_planner_entry (planner, twin->side, twin->id);

  g_assert (record->side != twin->side);

  if (entry != NULL)
    entry->done = TRUE;
  else
    g_hash_table_add (planner->claimed, _tdm_planner_claim_key (twin));
  g_hash_table_add (planner->linked_now, _tdm_planner_claim_key (twin));
  g_hash_table_add (planner->linked_now, _tdm_planner_claim_key (record));
}

/* A first link of `record` to its matched `twin`: the first-link policy
 * decides the fields that differ. */
static void
planner_plan_link (TdmPlanner *planner,
                   TdmRecord  *record,
                   TdmRecord  *twin)
{
  const TdmPlanInput *input = planner->input;
  TdmSide side = record->side;
  TdmSide other = twin->side;
  JsonObject *current[TDM_N_SIDES];
  JsonObject *base[TDM_N_SIDES] = { NULL, NULL };
  const char *updated_at[TDM_N_SIDES];
  const char *webshop_id;
  g_auto(TdmMerge) merge = { { NULL, }, };
  TdmAction *action;

  g_assert (side != other);

  current[side] = record->fields;
  current[other] = twin->fields;
  updated_at[side] = record->updated_at;
  updated_at[other] = twin->updated_at;
  webshop_id = side == TDM_SIDE_WEBSHOP ? record->id : twin->id;

  _tdm_planner_merge_pair (planner->fields, &merge, current, base, TRUE, updated_at,
                           input->options.first_link_policy,
                           _tdm_planner_resolutions_for (planner, webshop_id));
  planner_claim_pair (planner, record, twin);

  action = _tdm_planner_emit (planner, TDM_ACTION_LINK, other, record, NULL,
                              merge.pending != NULL
                              ? g_strdup (_("Matches an existing record; some values differ and "
                                            "wait for your choice in Conflicts."))
                              : g_strdup (planner->link_reason[other]));
  action->twin = tdm_record_ref (twin);
  action->fields = g_steal_pointer (&merge.write[other]);
  action->fields_other = g_steal_pointer (&merge.write[side]);
  action->not_writable = g_steal_pointer (&merge.not_writable);
  /* Resolved conflicts (for the log) and, under `ask`, pending ones
   * (resolved == FALSE) for the Conflicts view. */
  action->conflicts = g_steal_pointer (&merge.resolved);
  if (merge.pending != NULL)
    {
      if (action->conflicts == NULL)
        action->conflicts = g_steal_pointer (&merge.pending);
      else
        for (guint i = 0; i < merge.pending->len; i++)
          g_ptr_array_add (action->conflicts, g_ptr_array_steal_index (merge.pending, i--));
    }
}

/* ---- Review and deferred decisions ---- */

static void
planner_emit_review (TdmPlanner *planner,
                     TdmRecord  *record,
                     GPtrArray  *candidates,
                     char       *reason)
{
  TdmAction *action;

  g_assert (candidates != NULL);

  action = _tdm_planner_emit (planner, TDM_ACTION_REVIEW, tdm_side_other (record->side), record,
                              NULL, reason);
  action->candidates = g_ptr_array_ref (candidates);
}

static void
planner_defer (TdmPlanner *planner,
               TdmRecord  *record)
{
  g_assert (!planner->final_pass);

  g_ptr_array_add (planner->deferred, tdm_record_ref (record));
  g_hash_table_add (planner->deferred_keys, _tdm_planner_claim_key (record));
}

/* Several candidates now may be one once the clear matches of this plan
 * are linked; and a candidate that waits for that decision decides this
 * record too. Only in the first pass. */
static gboolean
planner_waits_for_clear_matches (TdmPlanner *planner,
                                 GPtrArray  *candidates)
{
  g_autofree char *key = NULL;

  g_assert (candidates->len > 0);

  if (planner->final_pass)
    return FALSE;
  if (candidates->len > 1)
    return TRUE;
  key = _tdm_planner_claim_key (g_ptr_array_index (candidates, 0));
  return g_hash_table_contains (planner->deferred_keys, key);
}

/* ---- Candidates ---- */

/* Removes the candidates that already have their action in this plan
 * (linked to another record, created elsewhere, in review) or are deleted:
 * they are no twin for this record. Leaving them out now gives the same
 * answer this run as the next one, where they are linked and no longer in
 * the index. Returns TRUE when the twin the record names itself was among
 * them: the references disagree. */
static gboolean
planner_drop_taken_candidates (TdmPlanner *planner,
                               TdmRecord  *record,
                               GPtrArray  *candidates)
{
  TdmSide other = tdm_side_other (record->side);
  gboolean named_twin_taken = FALSE;

  for (guint i = candidates != NULL ? candidates->len : 0; i > 0; i--)
    {
      TdmRecord *c = g_ptr_array_index (candidates, i - 1);
      TdmPlanEntry *entry = _tdm_planner_entry (planner, other, c->id);
      g_autofree char *key = _tdm_planner_claim_key (c);
      gboolean taken;

      taken = g_hash_table_contains (planner->linked_now, key) ||
              (entry != NULL ? entry->record->deleted : c->deleted);
      if (taken)
        {
          if (record->twin_id != NULL && g_strcmp0 (record->twin_id, c->id) == 0)
            named_twin_taken = TRUE;
          g_ptr_array_remove_index (candidates, i - 1);
        }
    }
  return named_twin_taken;
}

/* Is the twin this record names linked to another record, in an earlier
 * run? That needs the owner, never a second twin. */
static gboolean
planner_named_twin_is_linked (TdmPlanner *planner,
                              TdmRecord  *record)
{
  const TdmPlanInput *input = planner->input;

  return record->twin_id != NULL && input->is_linked != NULL &&
         input->is_linked (input->kind, tdm_side_other (record->side), record->twin_id,
                           input->is_linked_data);
}

/* Has the matched twin already its action in this plan (linked to another
 * record, created elsewhere, in review), or is it deleted? Then it is not
 * linked a second time. `fresh`: its entry when it was pulled this run. */
static gboolean
planner_twin_is_taken (TdmPlanner   *planner,
                       TdmPlanEntry *fresh,
                       TdmRecord    *twin)
{
  g_autofree char *key = _tdm_planner_claim_key (twin);
  /* A twin still waiting for its own deferred decision has no action yet. */
  gboolean pending = g_hash_table_contains (planner->deferred_keys, key);

  g_assert (fresh == NULL || fresh->record == twin);

  return (fresh != NULL && fresh->done && !pending) ||
         (fresh == NULL && g_hash_table_contains (planner->claimed, key)) ||
         twin->deleted;
}

/* Does `rival` (a record on `record`'s side) also pick `twin` as its match?
 * Only then is linking `record` to `twin` a guess. A rival whose own first
 * key finds another record (say by email, where `record` matched by phone)
 * does not compete. */
static gboolean
planner_competes_for (TdmPlanner *planner,
                      TdmRecord  *rival,
                      TdmRecord  *record,
                      TdmRecord  *twin)
{
  g_autoptr(GPtrArray) picks = NULL;

  if (g_strcmp0 (rival->id, record->id) == 0)
    return FALSE;
  picks = tdm_match_index_lookup (planner->input->match, twin->side, rival);
  return _tdm_planner_records_have_id (picks, twin->id);
}

/* The match must be mutual: when the candidate matches other records of
 * this side too, linking either would be a guess. */
static gboolean
planner_match_is_contested (TdmPlanner *planner,
                            TdmRecord  *record,
                            TdmRecord  *twin)
{
  g_autoptr(GPtrArray) back = NULL;

  g_assert (planner->input->match != NULL);

  back = tdm_match_index_lookup (planner->input->match, record->side, twin);
  for (guint i = 0; i < back->len; i++)
    if (planner_competes_for (planner, g_ptr_array_index (back, i), record, twin))
      return TRUE;
  return FALSE;
}

/* ---- A record without a link ---- */

/* A pulled record without a link: a tombstone changes nothing; else its
 * candidates decide between a first link, a create, a review and (in the
 * first pass) a decision deferred until the clear matches are linked. */
void
_tdm_planner_plan_unlinked (TdmPlanner *planner,
                            TdmRecord  *record)
{
  const TdmPlanInput *input = planner->input;
  TdmSide other = tdm_side_other (record->side);
  g_autoptr(GPtrArray) candidates = NULL;
  TdmRecord *candidate;
  TdmRecord *twin;
  TdmPlanEntry *fresh;

  g_assert (record != NULL && record->id != NULL);

  if (record->deleted)
    {
      _tdm_planner_emit (planner, TDM_ACTION_NOTHING, other, record, NULL,
                         g_strdup (_("Deleted, but it was never linked: nothing else changes.")));
      return;
    }

  if (input->match != NULL)
    candidates = tdm_match_index_lookup (input->match, other, record);

  if (planner_drop_taken_candidates (planner, record, candidates) ||
      planner_named_twin_is_linked (planner, record))
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      planner_emit_review (planner, record, candidates != NULL ? candidates : none,
                           g_strdup_printf (_("The record in %s it names as its twin is already "
                                              "linked to another record. Nothing is linked or "
                                              "created until you choose."),
                                            tdm_side_display_name (other)));
      return;
    }

  if (candidates == NULL || candidates->len == 0)
    {
      planner_plan_create (planner, record);
      return;
    }
  if (planner_waits_for_clear_matches (planner, candidates))
    {
      planner_defer (planner, record);
      return;
    }
  if (candidates->len > 1)
    {
      planner_emit_review (planner, record, candidates,
                           g_strdup_printf (_("%u records in %s match it. Nothing is linked or "
                                              "created until you choose one."),
                                            candidates->len, tdm_side_display_name (other)));
      return;
    }

  candidate = g_ptr_array_index (candidates, 0);
  /* The copy pulled this run is fresher than the store's cached one. */
  fresh = _tdm_planner_entry (planner, other, candidate->id);
  twin = fresh != NULL ? fresh->record : candidate;
  if (planner_twin_is_taken (planner, fresh, twin))
    {
      planner_emit_review (planner, record, candidates,
                           g_strdup_printf (_("Its match in %s was already linked to another "
                                              "record or deleted. Nothing is linked or created "
                                              "until you choose."),
                                            tdm_side_display_name (other)));
      return;
    }

  if (!_tdm_planner_is_twin_by_reference (record, twin) &&
      planner_match_is_contested (planner, record, twin))
    {
      /* A rival may hold a clearer match to this twin (an email where this
       * record has only a phone): decide after every clear match is linked,
       * so this run answers as the next one will. */
      if (!planner->final_pass)
        {
          planner_defer (planner, record);
          return;
        }
      planner_emit_review (planner, record, candidates,
                           g_strdup_printf (_("Its match in %s also matches other records "
                                              "in %s. Nothing is linked or created until "
                                              "you choose."),
                                            tdm_side_display_name (other),
                                            tdm_side_display_name (record->side)));
      return;
    }

  planner_plan_link (planner, record, twin);
}
