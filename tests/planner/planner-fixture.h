/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

/* The shared fixture of the planner tests (tests/planner/test-planner-*.c):
 * a small mapping that exercises every planner rule, records and links
 * built from JSON text, a plan input to fill, assertions on actions, and a
 * world that executes plans the way the engine does. */

#include "tdm-mapping.h"
#include "tdm-planner.h"
#include "tdm-record.h"
#include "tdm-types.h"

G_BEGIN_DECLS

#define W TDM_SIDE_WEBSHOP
#define S TDM_SIDE_SHOPIFY

/* "newest-wins", "webshop-wins", "shopify-wins", "ask": by TdmConflictPolicy */
extern const char * const policy_names[4];

/* The test mapping (planner-fixture.c), loaded by planner_fixture_init (). */
extern TdmMapping *test_mapping;

/* Sets the locale, initializes GTest and loads the test mapping. */
void        planner_fixture_init  (int          *argc,
                                   char       ***argv);
/* Runs the tests, then frees the test mapping. */
int         planner_fixture_run   (void);

/* ---- Records and links ---- */

JsonObject *obj                   (const char   *json);
TdmRecord  *rec                   (TdmSide       side,
                                   TdmKind       kind,
                                   const char   *id,
                                   const char   *updated_at,
                                   const char   *json);
TdmRecord  *rec_twin              (TdmSide       side,
                                   TdmKind       kind,
                                   const char   *id,
                                   const char   *twin_id,
                                   const char   *json);
/* Snapshots as JSON text, or NULL for none. */
TdmLink    *link_new              (TdmKind       kind,
                                   const char   *webshop_id,
                                   const char   *shopify_id,
                                   const char   *webshop_snapshot,
                                   const char   *shopify_snapshot);
/* `current` with `fields` written over it (a JSON null removes a member). */
JsonObject *apply_fields          (JsonObject   *current,
                                   JsonObject   *fields);

/* ---- A plan input ---- */

typedef struct {
  TdmPlanInput   input;
  GPtrArray     *changed[TDM_N_SIDES];
  GHashTable    *links;
  TdmMatchIndex *match;
  GHashTable    *resolutions;
  GHashTable    *linked_customers;   /* "side:id" of linked customers, for orders */
} Fixture;

/* The test mapping, newest-wins, webshop-wins on first links, deletes kept,
 * both directions. */
Fixture    *fixture_new           (TdmKind       kind);
void        fixture_free          (Fixture      *fx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* Takes `record` (transfer full). */
void        fixture_pull          (Fixture      *fx,
                                   TdmRecord    *record);
/* A pulled, unlinked record: also a candidate for matching, as the engine
 * does. Takes `record`. */
void        fixture_pull_unlinked (Fixture      *fx,
                                   TdmRecord    *record);
/* Takes `link` (transfer full). */
void        fixture_add_link      (Fixture      *fx,
                                   TdmLink      *link);
/* The user chose `winner` for `field` of the pair of `webshop_id`. */
void        fixture_resolve       (Fixture      *fx,
                                   const char   *webshop_id,
                                   const char   *field,
                                   TdmSide       winner);
/* Plans, and checks that every action describes itself in one line. */
GPtrArray  *fixture_plan          (Fixture      *fx);

/* ---- Assertions on actions ---- */

TdmAction  *action_at             (GPtrArray    *actions,
                                   guint         i);
/* `fields` must equal `expected` (JSON text, or NULL for "nothing"). */
void        assert_fields         (JsonObject   *fields,
                                   const char   *expected);
/* The action about the record (side, id); fails when there is none. */
TdmAction  *action_for            (GPtrArray    *actions,
                                   TdmSide       side,
                                   const char   *id);
const TdmFieldConflict *find_conflict (TdmAction  *action,
                                       const char *field);
gboolean    has_string            (GPtrArray    *array,
                                   const char   *str);

/* ---- A world of two shops ---- */

typedef struct {
  TdmKind     kind;
  TdmMapping *mapping;
  GHashTable *state[TDM_N_SIDES];   /* id → JsonObject* (what each side holds) */
  GHashTable *links;                /* "side:id" → TdmLink* */
  guint       next_id[TDM_N_SIDES];
} World;

/* "17" on the webshop, "gid://shopify/Customer/17" on Shopify */
char       *world_id              (World        *world,
                                   TdmSide       side,
                                   guint         n);
/* Links the two records with what each side holds as its snapshot. */
void        world_link            (World        *world,
                                   const char   *wid,
                                   const char   *sid);
/* Executes a plan the way the engine does: write, then store what each
 * side holds as its snapshot. */
void        world_apply           (World        *world,
                                   GPtrArray    *actions);
/* Plans a run where every record of both sides is pulled. */
GPtrArray  *world_plan            (World        *world,
                                   TdmConflictPolicy policy);
/* Sets (or with a NULL value clears) a field of a record on one side. */
void        world_edit            (World        *world,
                                   TdmSide       side,
                                   const char   *id,
                                   const char   *field,
                                   const char   *value);

G_END_DECLS
