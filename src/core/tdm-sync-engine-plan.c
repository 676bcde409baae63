/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"

/* Planning: the pulled records of each kind, with their links, the
 * unlinked records the store knows and the owner's settled conflicts, go to
 * the pure planner (tdm-planner.c); the circuit breaker looks at every
 * kind's plan before the first write (docs/sync.md § A run's phases,
 * § Circuit breaker). */

/* ---- Planner input ---- */

static gboolean
is_linked_cb (TdmKind     kind,
              TdmSide     side,
              const char *id,
              gpointer    user_data)
{
  TdmSyncEngine *self = user_data;
  g_autoptr(TdmLink) link = NULL;

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (kind < TDM_N_KINDS && side < TDM_N_SIDES);

  link = tdm_record_store_lookup_link (self->store, kind, side, id, NULL);
  return link != NULL;
}

/* "kind:side:id" of a record that gets a link from the plan. */
static char *
planned_key (TdmKind     kind,
             TdmSide     side,
             const char *id)
{
  g_assert (kind < TDM_N_KINDS && side < TDM_N_SIDES);
  g_assert (id != NULL);

  return g_strdup_printf ("%s:%s:%s", tdm_kind_to_string (kind), tdm_side_to_string (side), id);
}

static gboolean
is_planned_cb (TdmKind     kind,
               TdmSide     side,
               const char *id,
               gpointer    user_data)
{
  GHashTable *planned = user_data;
  g_autofree char *key = planned_key (kind, side, id);

  g_assert (planned != NULL);

  return g_hash_table_contains (planned, key);
}

/* The records of the kinds planned so far that this run creates a twin for
 * or links: orders that depend on them are planned after them (a dry run
 * and the circuit breaker then see the whole run; docs/sync.md, A run's
 * phases). Orders are planned again when they are executed, from the links
 * that exist by then. */
static GHashTable *
collect_planned_links (TdmRunState *st,
                       TdmKind      before)
{
  GHashTable *planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert (st != NULL);

  for (guint k = 0; k < before; k++)
    for (guint i = 0; st->kinds[k].actions != NULL && i < st->kinds[k].actions->len; i++)
      {
        TdmAction *action = g_ptr_array_index (st->kinds[k].actions, i);

        if (action->type != TDM_ACTION_CREATE && action->type != TDM_ACTION_LINK)
          continue;
        if (action->source != NULL)
          g_hash_table_add (planned, planned_key (k, action->source->side, action->source->id));
        if (action->type == TDM_ACTION_LINK && action->twin != NULL)
          g_hash_table_add (planned, planned_key (k, action->twin->side, action->twin->id));
      }
  return planned;
}

static GHashTable *
collect_links (TdmSyncEngine  *self,
               TdmKindRun     *kr,
               GError        **error)
{
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) tdm_link_unref);

  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint s = 0; s < TDM_N_SIDES; s++)
    for (guint i = 0; i < kr->records[s]->len; i++)
      {
        TdmRecord *record = g_ptr_array_index (kr->records[s], i);
        g_autoptr(GError) local_error = NULL;
        TdmLink *link;

        link = tdm_record_store_lookup_link (self->store, kr->kind, s, record->id, &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        if (link == NULL)
          continue;

        /* Key the link under both ids so the planner finds it from either side. */
        g_hash_table_replace (links, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id),
                              tdm_link_ref (link));
        g_hash_table_replace (links, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id), link);
      }

  return g_steal_pointer (&links);
}

static TdmMatchIndex *
build_match_index (TdmSyncEngine  *self,
                   TdmKindRun     *kr,
                   GHashTable     *links,
                   GError        **error)
{
  g_autoptr(TdmMatchIndex) index = tdm_match_index_new (kr->kind);

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (links != NULL);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GPtrArray) cached = NULL;
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < kr->records[s]->len; i++)
        {
          TdmRecord *record = g_ptr_array_index (kr->records[s], i);
          g_autofree char *key = tdm_link_key (s, record->id);

          if (!record->deleted && !g_hash_table_contains (links, key))
            tdm_match_index_add (index, record);
        }

      cached = tdm_record_store_list_unlinked (self->store, kr->kind, s, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      for (guint i = 0; cached != NULL && i < cached->len; i++)
        {
          TdmRecord *record = g_ptr_array_index (cached, i);

          /* The pulled copy is newer than the cached one. */
          if (!g_hash_table_contains (kr->seen[s], record->id) && !record->deleted)
            tdm_match_index_add (index, record);
        }
    }

  return g_steal_pointer (&index);
}

static GHashTable *
collect_resolutions (TdmSyncEngine *self,
                     TdmKindRun    *kr,
                     GHashTable    *links,
                     gboolean       dry_run)
{
  GHashTable *resolutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_hash_table_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (links != NULL);

  if (dry_run)
    return resolutions;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TdmLink *link = value;
      g_autofree char *wkey = tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id);
      GHashTable *choices;

      if (strcmp (key, wkey) != 0 || g_hash_table_contains (resolutions, wkey))
        continue;

      choices = tdm_record_store_take_resolutions (self->store, kr->kind, link->webshop_id, NULL);
      if (choices != NULL && g_hash_table_size (choices) > 0)
        g_hash_table_insert (resolutions, g_steal_pointer (&wkey), choices);
      else
        g_clear_pointer (&choices, g_hash_table_unref);
    }

  return resolutions;
}

/* ---- Records that join or leave the plan ---- */

/* Drops records whose current version already failed: they are retried
 * only after they change (docs/sync.md § Rate limits and faults). */
static void
drop_known_failures (TdmSyncEngine *self,
                     TdmKindRun    *kr)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint s = 0; s < TDM_N_SIDES; s++)
    for (guint i = kr->records[s]->len; i > 0; i--)
      {
        TdmRecord *record = g_ptr_array_index (kr->records[s], i - 1);
        g_autofree char *hash = NULL;

        hash = tdm_record_store_get_error_hash (self->store, kr->kind, s, record->id, NULL);
        if (hash != NULL && g_strcmp0 (hash, tdm_record_get_hash (record)) == 0)
          {
            g_hash_table_remove (kr->seen[s], record->id);
            g_ptr_array_remove_index (kr->records[s], i - 1);
          }
      }
}

/* A record this run did not pull joins the plan from the cache. */
static void
add_cached_record (TdmSyncEngine *self,
                   TdmKindRun    *kr,
                   TdmSide        side,
                   const char    *id)
{
  g_autoptr(TdmRecord) cached = NULL;

  g_assert (side < TDM_N_SIDES);
  g_assert (id != NULL);

  if (g_hash_table_contains (kr->seen[side], id))
    return;
  cached = tdm_record_store_lookup_cached (self->store, kr->kind, side, id, NULL);
  if (cached == NULL)
    return;
  g_ptr_array_add (kr->records[side], tdm_record_ref (cached));
  g_hash_table_replace (kr->seen[side], g_strdup (cached->id), cached);
}

/* "Retry all failed": the records with a stored error join the plan, read
 * from the cache when this run did not pull them. Their errors are cleared
 * when they sync, or replaced when they fail again. */
static void
add_failed_records (TdmSyncEngine *self,
                    TdmKindRun    *kr)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GPtrArray) ids = tdm_record_store_list_failed (self->store, kr->kind, s, NULL);

      for (guint i = 0; ids != NULL && i < ids->len; i++)
        add_cached_record (self, kr, s, g_ptr_array_index (ids, i));
    }
}

/* A conflict the owner settled is applied on the next run even when
 * neither record changed since: bring both cached records into the plan. */
static void
add_resolved_pairs (TdmSyncEngine *self,
                    TdmKindRun    *kr)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_assert (TDM_IS_SYNC_ENGINE (self));

  ids = tdm_record_store_list_resolved (self->store, kr->kind, NULL);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(TdmLink) link = tdm_record_store_lookup_link (self->store, kr->kind,
                                                              TDM_SIDE_WEBSHOP,
                                                              g_ptr_array_index (ids, i), NULL);

      if (link == NULL)
        continue;
      for (guint s = 0; s < TDM_N_SIDES; s++)
        add_cached_record (self, kr, s, tdm_link_get_id (link, s));
    }
}

/* ---- Planning one kind ---- */

static gboolean
has_pending_conflicts (GPtrArray *conflicts)
{
  g_assert (conflicts != NULL);

  for (guint i = 0; i < conflicts->len; i++)
    if (!((TdmFieldConflict *) g_ptr_array_index (conflicts, i))->resolved)
      return TRUE;
  return FALSE;
}

/* The fields of a planned pair still waiting for the owner, keyed by the
 * pair's webshop id: CONFLICT actions, and first links under `ask` whose
 * differing fields wait for the user. */
static void
collect_pending_conflicts (TdmKindRun *kr)
{
  g_assert (kr->actions != NULL);

  kr->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < kr->actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, i);
      const char *webshop_id = NULL;
      GPtrArray *pending;

      if (action->conflicts == NULL || !has_pending_conflicts (action->conflicts))
        continue;
      if (action->type == TDM_ACTION_CONFLICT && action->link != NULL)
        webshop_id = action->link->webshop_id;
      else if (action->type == TDM_ACTION_LINK && action->source != NULL && action->twin != NULL)
        webshop_id = action->source->side == TDM_SIDE_WEBSHOP ? action->source->id
                                                             : action->twin->id;
      if (webshop_id == NULL)
        continue;

      /* Only the fields still waiting for the owner (borrowed from the action). */
      pending = g_ptr_array_new ();
      for (guint j = 0; j < action->conflicts->len; j++)
        {
          TdmFieldConflict *c = g_ptr_array_index (action->conflicts, j);

          if (!c->resolved)
            g_ptr_array_add (pending, c);
        }
      g_hash_table_replace (kr->conflicts, tdm_link_key (TDM_SIDE_WEBSHOP, webshop_id), pending);
    }
}

/* Plans one kind. `planned` (nullable): records of earlier kinds that this
 * run's plan links (collect_planned_links). */
static gboolean
plan_kind_after (TdmSyncEngine  *self,
                 TdmKindRun     *kr,
                 gboolean        dry_run,
                 GHashTable     *planned,
                 GError        **error)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(TdmMatchIndex) index = NULL;
  g_autoptr(GHashTable) resolutions = NULL;
  TdmPlanInput input = { 0 };

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (kr != NULL && kr->enabled);

  g_clear_pointer (&kr->actions, g_ptr_array_unref);
  g_clear_pointer (&kr->conflicts, g_hash_table_unref);

  if (!dry_run)
    add_resolved_pairs (self, kr);

  links = collect_links (self, kr, error);
  if (links == NULL)
    return FALSE;
  index = build_match_index (self, kr, links, error);
  if (index == NULL)
    return FALSE;
  resolutions = collect_resolutions (self, kr, links, dry_run);

  input.kind = kr->kind;
  input.mapping = self->mapping;
  input.options = self->options[kr->kind];
  input.changed[TDM_SIDE_WEBSHOP] = kr->records[TDM_SIDE_WEBSHOP];
  input.changed[TDM_SIDE_SHOPIFY] = kr->records[TDM_SIDE_SHOPIFY];
  input.links = links;
  input.match = index;
  input.is_linked = is_linked_cb;
  input.is_linked_data = self;
  if (planned != NULL)
    {
      input.is_planned = is_planned_cb;
      input.is_planned_data = planned;
    }
  input.resolutions = resolutions;

  kr->actions = tdm_planner_plan (&input);
  collect_pending_conflicts (kr);
  return TRUE;
}

gboolean
_tdm_sync_engine_plan_kind (TdmSyncEngine  *self,
                            TdmKindRun     *kr,
                            gboolean        dry_run,
                            GError        **error)
{
  return plan_kind_after (self, kr, dry_run, NULL, error);
}

/* ---- The circuit breaker ---- */

/* The writes of a plan (docs/sync.md § Circuit breaker). */
typedef struct {
  guint changes;                /* CREATE, UPDATE, LINK, DELETE */
  guint creates[TDM_N_SIDES];   /* by the side written */
  guint links;
} PlanTally;

static gboolean
action_writes (const TdmAction *action)
{
  switch (action->type)
    {
    case TDM_ACTION_CREATE:
    case TDM_ACTION_DELETE:
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
      return TRUE;
    case TDM_ACTION_NOTHING:
    case TDM_ACTION_CONFLICT:
    case TDM_ACTION_ORPHAN:
    case TDM_ACTION_WAIT:
    case TDM_ACTION_REVIEW:
    default:
      return FALSE;
    }
}

/* Deletes and orphans of more than TDM_SYNC_DELETE_RATIO_LIMIT of a kind's
 * links stop the run. Adds the kind's writes to `tally`. */
static gboolean
check_kind_deletes (TdmSyncEngine  *self,
                    TdmKindRun     *kr,
                    PlanTally      *tally,
                    GError        **error)
{
  g_autoptr(GPtrArray) links = NULL;
  guint deletes = 0;

  g_assert (kr->enabled && kr->actions != NULL);
  g_assert (tally != NULL);

  for (guint i = 0; i < kr->actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, i);

      if (action_writes (action))
        tally->changes++;
      if (action->type == TDM_ACTION_CREATE)
        tally->creates[action->target]++;
      else if (action->type == TDM_ACTION_LINK)
        tally->links++;
      if (action->type == TDM_ACTION_DELETE || action->type == TDM_ACTION_ORPHAN)
        deletes++;
    }

  if (deletes == 0)
    return TRUE;

  links = tdm_record_store_list_links (self->store, kr->kind, NULL);
  if (links != NULL && links->len > 0 && deletes > 1 &&
      (double) deletes / (double) links->len > TDM_SYNC_DELETE_RATIO_LIMIT)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER,
                   _("This sync would remove or orphan %u of %u linked %s. Nothing was "
                     "written. If that is what you want, confirm the run; otherwise check "
                     "your webshop and your mapping."),
                   deletes, links->len, tdm_kind_display_plural (kr->kind));
      return FALSE;
    }
  return TRUE;
}

/* Nothing was ever linked, in any kind: the shops are being joined. */
static gboolean
is_first_run (TdmSyncEngine *self)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_autoptr(GPtrArray) links = tdm_record_store_list_links (self->store, k, NULL);

      if (links != NULL && links->len > 0)
        return FALSE;
    }
  return TRUE;
}

/* The owner's words for a plan over the threshold. A first sync is not
 * exempt: it is the run that creates the most, and records created in a
 * shop cannot be taken back in one step (docs/sync.md § Circuit breaker;
 * README.md, The circuit breaker). */
static void
set_too_many_error (GError          **error,
                    const PlanTally  *tally,
                    gboolean          first_run,
                    guint             threshold)
{
  g_assert (tally != NULL);

  if (first_run)
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER,
                 /* Translators: the changes, the limit, then records to create in
                  * Shopify, in the webshop, and pairs to link */
                 _("This first sync would make %u changes, more than the limit of %u (new in "
                   "Shopify: %u, new in the webshop: %u, pairs linked: %u). A first sync is "
                   "checked too: the records it creates cannot be taken back in one step. "
                   "Nothing was written. Review the plan and confirm the run if it is right."),
                 tally->changes, threshold, tally->creates[TDM_SIDE_SHOPIFY],
                 tally->creates[TDM_SIDE_WEBSHOP], tally->links);
  else
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER,
                 _("This sync would change %u records, more than the limit of %u. Nothing was "
                   "written. Review the plan and confirm the run if it is right."),
                 tally->changes, threshold);
}

/* More than the threshold of records changed (a first run included), or
 * deletes and orphans of more than 5 % of a kind's links, stop the run
 * before the first write (docs/sync.md § Circuit breaker). The plan counted
 * is the whole run's: orders of customers created in the same run are in
 * it (collect_planned_links). */
static gboolean
check_breaker (TdmSyncEngine  *self,
               TdmRunState    *st,
               GError        **error)
{
  PlanTally tally = { 0 };

  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      TdmKindRun *kr = &st->kinds[k];

      if (!kr->enabled || kr->actions == NULL)
        continue;
      if (!check_kind_deletes (self, kr, &tally, error))
        return FALSE;
    }

  if (self->breaker_threshold > 0 && tally.changes > self->breaker_threshold)
    {
      set_too_many_error (error, &tally, is_first_run (self), self->breaker_threshold);
      return FALSE;
    }

  return TRUE;
}

/* The actions of a stopped run go to the review page. */
static void
keep_stopped_plan (TdmSyncEngine *self,
                   TdmRunState   *st)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  g_clear_pointer (&self->stopped_plan, g_ptr_array_unref);
  self->stopped_plan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_action_free);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      GPtrArray *actions = st->kinds[k].actions;

      if (actions == NULL)
        continue;
      /* Hand the actions over: the kind's array no longer frees them. */
      g_ptr_array_set_free_func (actions, NULL);
      for (guint i = 0; i < actions->len; i++)
        g_ptr_array_add (self->stopped_plan, g_ptr_array_index (actions, i));
      g_ptr_array_set_size (actions, 0);
    }
}

/* ---- Planning every kind ---- */

/* A dry run counts what the plan would do, so the summary line means something. */
static void
count_planned (TdmRunState *st)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    for (guint i = 0; st->kinds[k].actions != NULL && i < st->kinds[k].actions->len; i++)
      {
        TdmAction *a = g_ptr_array_index (st->kinds[k].actions, i);

        switch (a->type)
          {
          case TDM_ACTION_CREATE: st->counts.created++; break;
          case TDM_ACTION_UPDATE: st->counts.updated++; break;
          case TDM_ACTION_LINK: st->counts.linked++; break;
          case TDM_ACTION_CONFLICT: st->counts.conflicts++; break;
          case TDM_ACTION_NOTHING: st->counts.unchanged++; break;
          case TDM_ACTION_ORPHAN: st->counts.orphaned++; break;
          case TDM_ACTION_DELETE: st->counts.deleted++; break;
          case TDM_ACTION_WAIT: st->counts.waiting++; break;
          case TDM_ACTION_REVIEW: st->counts.review++; break;
          default: break;
          }
      }
}

/* A dry run says when the real run would stop for confirmation (a run
 * with --confirm-large-run would not). */
static void
warn_breaker (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_assert (st->options.dry_run);

  if (st->options.confirm_large_run || check_breaker (self, st, &error))
    return;
  /* Translators: what the circuit breaker says, as a full sentence */
  message = g_strdup_printf (_("A real run would stop before writing and ask first: %s"),
                             error->message);
  _tdm_sync_run_warn (task, message);
}

/* Plans every enabled kind; FALSE (the run's error set) when one fails. */
static gboolean
plan_every_kind (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      TdmKindRun *kr = &st->kinds[k];
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) planned = NULL;

      if (!kr->enabled)
        continue;

      _tdm_sync_engine_set_progress (self, TDM_PHASE_PLANNING, kr->kind, k, TDM_N_KINDS);
      if (st->options.retry_failed && !st->options.dry_run)
        add_failed_records (self, kr);
      else if (!st->options.dry_run && st->options.only_id == NULL)
        drop_known_failures (self, kr);
      /* Orders depend on customers: those this run links count as linked. */
      if (kr->kind == TDM_KIND_ORDER)
        planned = collect_planned_links (st, kr->kind);
      if (!plan_kind_after (self, kr, st->options.dry_run, planned, &error))
        {
          _tdm_sync_run_set_fatal (task, error);
          return FALSE;
        }
    }
  return TRUE;
}

void
_tdm_sync_engine_plan_all (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;

  g_assert (st->fatal == NULL);

  if (!plan_every_kind (task))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  if (st->options.dry_run)
    {
      for (guint k = 0; k < TDM_N_KINDS; k++)
        if (st->kinds[k].enabled)
          _tdm_sync_engine_emit_plan_ready (self, st->kinds[k].actions);
      count_planned (st);
      warn_breaker (task);
      _tdm_sync_engine_finish_run (task);
      return;
    }

  g_clear_pointer (&self->stopped_plan, g_ptr_array_unref);
  if (!st->options.confirm_large_run && !check_breaker (self, st, &error))
    {
      keep_stopped_plan (self, st);
      _tdm_sync_run_set_fatal (task, error);
      _tdm_sync_engine_finish_run (task);
      return;
    }

  st->kind_index = 0;
  _tdm_sync_engine_execute_kind (task);
}
