/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tdm-http.h"
#include "tdm-test-wait.h"

G_BEGIN_DECLS

/* Hostile and broken servers for the tests in tests/hostile (see
 * tdm-hostile-server.c), and the client helpers those tests share. */

#define TOKEN "hostile-test-token-5f2e"

#if defined(__SANITIZE_ADDRESS__)
# define TDM_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TDM_TEST_ASAN 1
# endif
#endif

#ifdef TDM_TEST_ASAN
/* Highest memory use accepted while a 2 GiB body is refused, in kB.
 * AddressSanitizer's quarantine and redzones add a few hundred MiB. */
# define MEMORY_BOUND_KB (1024 * 1024)
#else
# define MEMORY_BOUND_KB (512 * 1024)
#endif
#define GIB2  G_GUINT64_CONSTANT (2147483648)

typedef enum {
  SCENARIO_JSON,             /* 200 with `body` */
  SCENARIO_REDIRECT,         /* `status` with Location: `location` */
  SCENARIO_HUGE_LENGTH,      /* Content-Length: 2 GiB, streamed lazily */
  SCENARIO_HUGE_EOF,         /* 2 GiB without a length, until the connection closes */
  SCENARIO_ENDLESS_CHUNKED,  /* chunks without end */
  SCENARIO_STALL,            /* headers and 100 of 1000 bytes, then nothing */
  SCENARIO_SILENT,           /* reads the request, never answers */
  SCENARIO_NESTED,           /* `count` nested arrays (or objects with `objects`) */
  SCENARIO_ITEMS,            /* a webshop page of `count` tiny items */
  SCENARIO_SHOPIFY_NODES,    /* a Shopify connection of `count` nodes (or of `nodes`) */
  SCENARIO_GZIP_ENDLESS,     /* a gzip stream of spaces without end (a decompression bomb) */
  SCENARIO_ENDLESS_LINE,     /* a body without a newline, without end */
  SCENARIO_SHOPIFY_BULK,     /* a bulk export whose JSONL download is one endless line */
  SCENARIO_ENDLESS_HEADER,   /* a status line, then one header line without end */
  SCENARIO_ROUTES,           /* answers from `routes` (see hostile_route) */
} Scenario;

typedef struct {
  GSocketService   *service;
  GTlsCertificate  *cert;      /* non-NULL: https */
  guint16           port;
  char             *url;
  Scenario          scenario;
  char             *body;
  guint             status;
  char             *location;
  guint             count;
  gboolean          objects;
  char             *nodes;     /* SCENARIO_SHOPIFY_NODES: the nodes' JSON, without brackets */

  GMutex            lock;
  GPtrArray        *requests;  /* "METHOD /path" */
  GPtrArray        *bodies;    /* the request bodies, in the same order */
  GPtrArray        *routes;    /* Route*, for SCENARIO_ROUTES */
  guint64           written;   /* body bytes written */
  gint              stop;
  gint              active;    /* connections being served */
} Hostile;

Hostile      *hostile_new             (Scenario      scenario,
                                       gboolean      tls);
void          hostile_free            (Hostile      *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_free)
gboolean      stopped                 (Hostile      *h);
guint         hostile_request_count   (Hostile      *h);
guint64       hostile_written         (Hostile      *h);
/* Adds a canned answer (SCENARIO_ROUTES); `body` of `len` bytes, -1: a string. */
void          hostile_route           (Hostile      *h,
                                       const char   *request,
                                       guint         status,
                                       const char   *headers,
                                       const char   *body,
                                       gssize        len);
/* The request line and body of request `i` (copies); NULL when there is none. */
char         *hostile_request         (Hostile      *h,
                                       guint         i,
                                       char        **out_body);
char         *nested_body             (guint         depth,
                                       gboolean      objects,
                                       gsize        *out_len);
/* Memory of this process (kB) from /proc/self/status; 0 when unknown. */
guint64       proc_status_kb          (const char   *field);

void          short_options           (TdmHttpOptions *options);
/* Sends through tdm_http_send_async; returns the body, the elapsed time. */
GBytes       *send_request            (const TdmHttpOptions  *options,
                                       const char            *method,
                                       const char            *url,
                                       const char            *body,
                                       SoupMessage          **out_msg,
                                       gint64                *out_elapsed_us,
                                       GError               **error);
void          assert_message_contains (const GError *error,
                                       const char   *part);

G_END_DECLS
