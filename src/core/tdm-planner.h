/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-types.h"
#include "tdm-record.h"
#include "tdm-mapping.h"

G_BEGIN_DECLS

/* A link between two twins, with each side's canonical snapshot as last seen
 * after the last successful sync of the pair (NULL snapshot = never synced,
 * i.e. a first link: the first-link policy decides differing fields). */
typedef struct {
  TdmKind     kind;
  char       *webshop_id;
  char       *shopify_id;
  JsonObject *webshop_snapshot;   /* nullable */
  JsonObject *shopify_snapshot;   /* nullable */
  char       *webshop_updated_at; /* of the snapshot, nullable */
  char       *shopify_updated_at;
  gboolean    orphaned;           /* one side was deleted and the policy kept the other */
  gint        ref_count;
} TdmLink;

TdmLink *tdm_link_new   (TdmKind kind, const char *webshop_id, const char *shopify_id);
TdmLink *tdm_link_ref   (TdmLink *link);
void     tdm_link_unref (TdmLink *link);
const char *tdm_link_get_id (TdmLink *link, TdmSide side);
JsonObject *tdm_link_get_snapshot (TdmLink *link, TdmSide side);
void     tdm_link_set_snapshot (TdmLink    *link,
                                TdmSide     side,
                                JsonObject *snapshot,
                                const char *updated_at);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmLink, tdm_link_unref)

typedef enum {
  TDM_ACTION_NOTHING,    /* unchanged (echo or no edit) */
  TDM_ACTION_CREATE,     /* create the twin of `source` on `target` */
  TDM_ACTION_UPDATE,     /* write `fields` onto `target` (id = target id of the link) */
  TDM_ACTION_LINK,       /* link `source` to the existing twin `twin` (then fields may follow
                          * in `fields` to write on `target`, decided by the first-link policy;
                          * `fields_other` are written on the source side) */
  TDM_ACTION_CONFLICT,   /* fields changed on both sides differently under `ask`: store, write
                          * nothing for those fields (other fields of the pair are in a
                          * separate UPDATE) */
  TDM_ACTION_ORPHAN,     /* the twin was deleted; keep the survivor, mark the link orphaned */
  TDM_ACTION_DELETE,     /* propagate a delete: products archived, customers deleted (no orders),
                          * orders cancelled */
  TDM_ACTION_WAIT,       /* depends on a record not linked yet (order → customer/product) */
  TDM_ACTION_REVIEW,     /* ambiguous match: several candidates; nothing is linked or created */
} TdmActionType;

typedef struct {
  char      *field;          /* canonical name */
  JsonNode  *webshop_value;  /* nullable = empty */
  JsonNode  *shopify_value;
  JsonNode  *base_value;     /* snapshot value, nullable */
  TdmSide    winner;         /* when resolved by policy */
  gboolean   resolved;       /* FALSE under `ask` */
} TdmFieldConflict;

/* How to read an action (tdm_planner_plan):
 * - `fields` / `fields_other` hold canonical field → value; a JSON null value
 *   means "clear this field" (only for rows with empty_overwrites).
 * - UPDATE: `fields` go onto `target` (never empty), `fields_other` onto the
 *   other side (may be NULL); `conflicts` lists the conflicts resolved by the
 *   policy or by the user (resolved = TRUE, `winner` set), for the log.
 * - LINK: `source` and `twin` become a pair; `fields` go onto the twin's side
 *   (= `target`), `fields_other` onto the source's side. Under the `ask`
 *   first-link policy, `conflicts` may hold entries with resolved = FALSE:
 *   fields that differ and wait for the user; nothing is written for them.
 * - CONFLICT: `conflicts` all have resolved = FALSE; nothing is written for
 *   them. The non-conflicting fields of the same pair are in an UPDATE that
 *   comes just before it.
 * - NOTHING: also for unchanged records (the engine counts them),
 *   tombstones of unlinked records and orphaned links. `not_writable` lists
 *   differences that cannot be written.
 * - ORPHAN: `source` is the tombstone, `target` the side that is kept.
 * - DELETE: `source` is the tombstone, `target` the side to delete on.
 * - WAIT: `reason` says what is missing (an order's customer link, or the
 *   twin of a never-synced link not read yet).
 * - REVIEW: `candidates` are the records on `target` that match. */
typedef struct {
  TdmActionType type;
  TdmKind       kind;
  TdmSide       target;        /* side that is written (CREATE/UPDATE/DELETE), or the side kept
                                * (ORPHAN) */
  TdmRecord    *source;        /* record the action is about (nullable for pure link updates) */
  TdmRecord    *twin;          /* LINK: the matched record on the other side */
  TdmLink      *link;          /* existing link, if any */
  JsonObject   *fields;        /* CREATE: all fields to write; UPDATE/LINK: the changed fields for
                                * `target` */
  JsonObject   *fields_other;  /* LINK/UPDATE: fields to write on the other side
                                * (tdm_side_other (target)) */
  GPtrArray    *conflicts;     /* of TdmFieldConflict*, nullable */
  GPtrArray    *not_writable;  /* canonical names that differ but cannot be written (char*) */
  GPtrArray    *candidates;    /* REVIEW: TdmRecord* candidates */
  char         *reason;        /* translated one-line reason ("email changed in Shopify") */
} TdmAction;

TdmFieldConflict *tdm_field_conflict_new  (const char *field,
                                           JsonNode   *webshop_value,   /* nullable, copied */
                                           JsonNode   *shopify_value,   /* nullable, copied */
                                           JsonNode   *base_value);     /* nullable, copied */
void              tdm_field_conflict_free (TdmFieldConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmFieldConflict, tdm_field_conflict_free)

TdmAction *tdm_action_new (TdmActionType type, TdmKind kind, TdmSide target);
void tdm_action_free (TdmAction *action);
char *tdm_action_describe (const TdmAction *action);  /* for --dry-run and logs */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmAction, tdm_action_free)

typedef struct {
  TdmConflictPolicy conflict_policy;    /* default NEWEST_WINS */
  TdmConflictPolicy first_link_policy;  /* default WEBSHOP_WINS */
  TdmDeletePolicy   delete_policy;      /* default KEEP */
  TdmDirection      direction;          /* for this kind; OFF plans nothing */
} TdmPlanOptions;

/* Lookup of unlinked records on one side by matching key, for twin matching.
 * The engine fills it from the records pulled in this run plus the store's
 * cache of unlinked records. */
typedef struct _TdmMatchIndex TdmMatchIndex;
TdmMatchIndex *tdm_match_index_new    (TdmKind kind);
void           tdm_match_index_add    (TdmMatchIndex *index, TdmRecord *record);
void           tdm_match_index_free   (TdmMatchIndex *index);
/* Candidates on `side` for `record` (of the other side), by the kind's keys in
 * order (customer: email, then phone; product: first variant SKU, then handle;
 * order: webshop id carried on the Shopify order, then number). */
GPtrArray     *tdm_match_index_lookup (TdmMatchIndex *index, TdmSide side, TdmRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmMatchIndex, tdm_match_index_free)

/* Does (kind, side, id) have a link? Used for order dependencies. */
typedef gboolean (*TdmLinkedFunc) (TdmKind kind, TdmSide side, const char *id, gpointer user_data);

typedef struct {
  TdmKind         kind;
  TdmMapping     *mapping;
  TdmPlanOptions  options;
  /* Changed records pulled this run, per side (TdmRecord*, tombstones included). */
  GPtrArray      *changed[TDM_N_SIDES];
  /* For every changed record that has a link: the link. Key "side:id" → TdmLink*. */
  GHashTable     *links;
  /* Unlinked records on each side that may be twins. */
  TdmMatchIndex  *match;
  /* Order dependencies (nullable for other kinds). */
  TdmLinkedFunc   is_linked;
  gpointer        is_linked_data;
  /* Order dependencies met by the same run's plan (nullable): does
   * (kind, side, id) get its link earlier in this run, from a CREATE or LINK
   * already planned for its kind? An order whose customer only this is true
   * of is planned as a CREATE after it, not held back as a WAIT, so that a
   * dry run and the circuit breaker see what the run will do (docs/sync.md,
   * A run's phases). */
  TdmLinkedFunc   is_planned;
  gpointer        is_planned_data;
  /* The user's answers to `ask` conflicts (nullable):
   * tdm_link_key (TDM_SIDE_WEBSHOP, webshop_id) → GHashTable of
   * canonical field name → GINT_TO_POINTER (winner TdmSide + 1).
   * A resolved field is written from the winner's side even under `ask`. */
  GHashTable     *resolutions;
} TdmPlanInput;

/* Pure: no I/O. Returns TdmAction* in a stable order (by source side then id,
 * ids in natural order: "9" before "10"). A record changed on both sides
 * appears once; a record and the twin it is linked to by this plan appear
 * once. Records pulled twice: the newer (updated_at) counts. */
GPtrArray *tdm_planner_plan (const TdmPlanInput *input);

char *tdm_link_key (TdmSide side, const char *id);   /* "webshop:17" */

/* Is the field set once and never changed or cleared (an order's
 * cancelled_at)? Each shop keeps its own value, so a difference in it is in
 * step, not a conflict (docs/sync.md, Orders). */
gboolean tdm_planner_field_is_set_once (TdmKind     kind,
                                        const char *name);

G_END_DECLS
