/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-fake-webshop.h"
#include "tdm-webshop-connector.h"
#include "tdm-webshop-json.h"

G_BEGIN_DECLS

/* The fixture shared by the webshop connector's test programs
 * (test-connector.c: reading and writing records; test-connector-transport.c:
 * rate limits, faults, security, test_connection): a fake webshop on
 * loopback in one paging style and a connector talking to it, with
 * synchronous wrappers around the connector's calls. */

typedef enum {
  STYLE_CURSOR,
  STYLE_PAGE,
  STYLE_OFFSET,
  STYLE_LINK,
} Style;

extern const char * const style_names[];

#define TOKEN     "tok-Secr3t-0xBEEF"
#define PASSWORD  "pw-Hemmelig-42"
#define API_KEY   "key-Nøkkel-7781"

typedef struct {
  Style                style;
  TdmKind              kind;
  TdmWebshopProfile   *profile;
  TdmFakeWebshop      *fake;
  TdmWebshopConnector *connector;
  GMainLoop           *loop;
  GAsyncResult        *result;
  guint                guard;
  TdmRecordError      *record_error;  /* what the last create_record(), update_record()
                                       * or get_record() finished with */
} Fixture;

typedef struct {
  Style   style;
  TdmKind kind;
} Params;

/* A connector for the fixture's profile, with credentials the fake checks
 * and short timeouts (replaces the fixture's connector). */
void          make_connector   (Fixture       *f);
/* `data`: a Params*, or NULL for cursor paging and customers. */
void          fixture_setup    (Fixture       *f,
                                gconstpointer  data);
void          fixture_teardown (Fixture       *f,
                                gconstpointer  data);

/* The GAsyncReadyCallback of every call; TAKE_RESULT waits for it. */
void          on_done_cb       (GObject       *source,
                                GAsyncResult  *result,
                                gpointer       user_data);
GAsyncResult *wait_result      (Fixture       *f);
#define TAKE_RESULT(f) (wait_result (f), g_steal_pointer (&(f)->result))

/* Synchronous wrappers */
TdmPage        *list_page      (Fixture     *f,
                                TdmKind      kind,
                                const char  *since,
                                const char  *cursor,
                                GError     **error);
/* Every record (and tombstone) changed since `since`, walking all pages. */
GPtrArray      *list_all       (Fixture     *f,
                                TdmKind      kind,
                                const char  *since,
                                guint       *out_pages,
                                GError     **error);
TdmWriteResult *create_record  (Fixture     *f,
                                TdmKind      kind,
                                JsonObject  *fields,
                                const char  *op_id,
                                const char  *twin_id,
                                GError     **error);
TdmWriteResult *update_record  (Fixture     *f,
                                TdmKind      kind,
                                const char  *id,
                                JsonObject  *fields,
                                const char  *etag,
                                const char  *twin_id,
                                GError     **error);
TdmRecord      *get_record     (Fixture     *f,
                                TdmKind      kind,
                                const char  *id,
                                GError     **error);

/* Records */
JsonObject     *json_object    (const char  *json);
JsonObject     *sample_record  (TdmKind      kind,
                                guint        n);
/* Seeds n records with updated_at one minute apart in January; their ids. */
GPtrArray      *seed_records   (Fixture     *f,
                                TdmKind      kind,
                                guint        n);
/* Requests the fake served (of `method`, or all when NULL). */
guint           count_requests (Fixture     *f,
                                const char  *method);

G_END_DECLS
