/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-planner.h"

G_BEGIN_DECLS

/* Helpers shared by the files of the planner (tdm-planner*.c, tdm-link.c,
 * tdm-action.c, tdm-match-index.c); not for use outside it. The rules they
 * implement are described in docs/sync.md. */

/* ---- Canonical values and ids (tdm-planner-values.c) ---- */

/* Absent, null, "", [] and {} are one "empty" value (docs/sync.md,
 * Normalization). */
gboolean    _tdm_planner_value_is_empty           (JsonNode      *value);
/* The member `name` of `object`, or NULL when it is empty (transfer none). */
JsonNode   *_tdm_planner_field_value              (JsonObject    *object,
                                                   const char    *name);
/* The member `name` of `object` when it is a non-empty string. */
const char *_tdm_planner_string_member            (JsonObject    *object,
                                                   const char    *name);
gboolean    _tdm_planner_values_equal             (JsonNode      *a,
                                                   JsonNode      *b);
/* Natural order of ids: "9" < "10". */
int         _tdm_planner_compare_ids              (const char    *a,
                                                   const char    *b);
/* GCompareFunc over TdmRecord** by id, in natural order. */
int         _tdm_planner_compare_records_by_id    (gconstpointer  a,
                                                   gconstpointer  b);
/* RFC 3339 stamps; NULL is older than anything. */
int         _tdm_planner_compare_timestamps       (const char    *a,
                                                   const char    *b);
/* The other side's id carried by a record, or NULL. */
const char *_tdm_planner_record_twin_ref          (TdmRecord     *record);
/* Is `candidate` the record's twin by a carried id (either direction)? */
gboolean    _tdm_planner_is_twin_by_reference     (TdmRecord     *record,
                                                   TdmRecord     *candidate);
/* Does `records` (of TdmRecord*) hold a record with this id? */
gboolean    _tdm_planner_records_have_id          (GPtrArray     *records,
                                                   const char    *id);

/* ---- Three-way merge of a pair (tdm-planner-merge.c) ---- */

typedef enum {
  TDM_FIELD_RULE_NONE,
  TDM_FIELD_RULE_FINANCIAL_STATUS,    /* orders: forward transitions only */
  TDM_FIELD_RULE_FULFILLMENT_STATUS,  /* orders: forward transitions only */
  TDM_FIELD_RULE_SET_ONCE,            /* orders: cancelled_at is set once, never changed
                                       * or cleared */
} TdmFieldRule;

TdmFieldRule _tdm_planner_field_rule (TdmKind     kind,
                                      const char *name);

/* One compared field of the kind: where its data may flow and be written. */
typedef struct {
  const char   *name;                        /* owned by the mapping row */
  gboolean      flow[TDM_N_SIDES];           /* kind and row direction let data onto the side */
  gboolean      write_update[TDM_N_SIDES];   /* ... and the side can change it after creation */
  gboolean      write_create[TDM_N_SIDES];   /* ... and the side takes it at creation */
  gboolean      empty_overwrites;
  TdmFieldRule  rule;
} TdmPlanField;

/* Field-level outcome of comparing one pair. Zero-initialize, then clear. */
typedef struct {
  JsonObject *write[TDM_N_SIDES];          /* fields to write onto each side; created lazily */
  GPtrArray  *resolved;                    /* TdmFieldConflict*, resolved by policy or the user */
  GPtrArray  *pending;                     /* TdmFieldConflict*, waiting for the user (`ask`) */
  GPtrArray  *not_writable;                /* char* */
  GString    *changed_names[TDM_N_SIDES];  /* for the reason line; only when something is
                                            * written */
} TdmMerge;

void      _tdm_planner_merge_clear            (TdmMerge           *merge);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TdmMerge, _tdm_planner_merge_clear)

/* The compared fields of the input's kind (TdmPlanField), without the
 * identity rows. */
GArray   *_tdm_planner_fields_new             (const TdmPlanInput *input);
/* Merges every field of `fields` into `merge`. `base` all NULL and
 * `first_link` TRUE on a first link. `resolutions`: the user's answers for
 * the pair (field → winner side + 1), nullable. */
void      _tdm_planner_merge_pair             (GArray             *fields,
                                               TdmMerge           *merge,
                                               JsonObject         *current[TDM_N_SIDES],
                                               JsonObject         *base[TDM_N_SIDES],
                                               gboolean            first_link,
                                               const char         *updated_at[TDM_N_SIDES],
                                               TdmConflictPolicy   policy,
                                               GHashTable         *resolutions);
gboolean  _tdm_planner_merge_has_writes       (const TdmMerge     *merge);
/* The reason line of an UPDATE: "Changed in the webshop: email." */
char     *_tdm_planner_merge_describe_changes (const TdmMerge     *merge);
/* "email, phone" of TdmFieldConflict* */
char     *_tdm_planner_join_conflict_names    (GPtrArray          *conflicts);

/* ---- The planner's walk (tdm-planner.c) ---- */

/* A pulled record with its sort key: ids sort in natural order, and most
 * ids are "<prefix><number>" ("17", "gid://shopify/Customer/17"), so the
 * number is parsed once instead of at every comparison. */
typedef struct {
  TdmRecord *record;
  guint64    number;       /* the trailing digits, when `numeric` */
  guint      prefix_len;   /* length of the id before its trailing digits */
  guint      position;     /* in the input, to keep the later of equal duplicates */
  gboolean   numeric;
  gboolean   done;         /* already part of an action */
} TdmPlanEntry;

/* The state of one tdm_planner_plan () call. */
typedef struct {
  const TdmPlanInput *input;
  GArray             *fields;                     /* TdmPlanField */
  GArray             *entries[TDM_N_SIDES];       /* TdmPlanEntry, natural id order, no
                                                   * duplicates */
  GHashTable         *changed_by_id[TDM_N_SIDES]; /* id → index + 1 into entries */
  /* Reasons shared by many actions, translated once per plan. */
  const char         *unchanged_reason;
  char               *create_reason[TDM_N_SIDES]; /* by target side */
  char               *link_reason[TDM_N_SIDES];   /* by twin side */
  GHashTable         *claimed;                    /* "side:id" of twins not pulled this run
                                                   * that a LINK of this plan took */
  GHashTable         *linked_now;                 /* "side:id" of records this plan links or
                                                   * creates a twin for: no longer candidates */
  GPtrArray          *deferred;                   /* TdmRecord* whose match competes: decided
                                                   * after every clear match is linked */
  GHashTable         *deferred_keys;              /* "side:id" of those records */
  gboolean            final_pass;
  GPtrArray          *actions;
} TdmPlanner;

/* The entry of the record pulled this run on `side` with `id`, or NULL. */
TdmPlanEntry *_tdm_planner_entry           (TdmPlanner    *planner,
                                            TdmSide        side,
                                            const char    *id);
/* Appends a new action (transfer none) to the plan; takes `reason`. */
TdmAction    *_tdm_planner_emit            (TdmPlanner    *planner,
                                            TdmActionType  type,
                                            TdmSide        target,
                                            TdmRecord     *source,
                                            TdmLink       *link,
                                            char          *reason);
/* "side:id" of a record (transfer full): the key of the claim tables. */
char         *_tdm_planner_claim_key       (TdmRecord     *record);
/* The user's answers for the pair of the webshop record `webshop_id`. */
GHashTable   *_tdm_planner_resolutions_for (TdmPlanner    *planner,
                                            const char    *webshop_id);

/* ---- Linked pairs (tdm-planner-linked.c) ---- */

void          _tdm_planner_plan_linked     (TdmPlanner    *planner,
                                            TdmRecord     *record,
                                            TdmLink       *link);

/* ---- Records without a link (tdm-planner-unlinked.c) ---- */

void          _tdm_planner_plan_unlinked   (TdmPlanner    *planner,
                                            TdmRecord     *record);

G_END_DECLS
