/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <libsoup/soup.h>
#include "tdm-error.h"

G_BEGIN_DECLS

/* The HTTP layer shared by both connectors. */

typedef struct {
  guint   timeout_seconds;       /* whole request incl. body (default 30) */
  guint   connect_timeout;       /* seconds (default 10) */
  guint   max_retries;           /* bounded retries for 5xx/timeouts/resets/429 (default 4) */
  guint   base_delay_ms;         /* first back-off (default 500); doubles, with ±50 % jitter */
  guint   max_delay_ms;          /* cap (default 30000) */
  gsize   max_body_bytes;        /* responses larger are cut off with INVALID_RESPONSE (default 64 MiB) */
} TdmHttpOptions;
void         tdm_http_options_init        (TdmHttpOptions *options);  /* defaults above */

/* One SoupSession per connector: timeouts, "User-Agent: Tandem/<version>",
 * no proxy surprises for loopback, and — when G_MESSAGES_DEBUG covers
 * "tdm-http" — a SoupLogger whose printer masks Authorization,
 * X-Shopify-Access-Token, X-API-Key (and any header named in `secret_headers`)
 * and redacts "access_token", "client_secret" and "password" values in bodies. */
SoupSession *tdm_http_session_new         (const TdmHttpOptions *options,
                                           const char * const   *secret_headers);

/* Refuse plain http:// to anything but loopback (127.0.0.0/8, ::1, localhost):
 * TDM_SYNC_ERROR_INSECURE with a message naming the URL's host. Also rejects
 * unparsable URLs (TDM_SYNC_ERROR_CONFIG). */
gboolean     tdm_http_check_url           (const char  *url,
                                           GError     **error);
gboolean     tdm_http_is_loopback_host    (const char  *host);

/* Map a finished message to an error: 2xx → TRUE. 401/403 → AUTH, 402/423 →
 * PAYMENT_REQUIRED, 404 → NOT_FOUND, 409 → DUPLICATE, 412 → CONFLICT,
 * 400/422 → VALIDATION, 429/430 → RATE_LIMITED, 5xx → SERVER. The message
 * uses `what` ("the webshop", "Shopify") and, if the body is a JSON error
 * object, its message. */
gboolean     tdm_http_check_status        (SoupMessage *msg,
                                           GBytes      *body,
                                           const char  *what,
                                           GError     **error);

/* Retry-After as seconds or an HTTP date; -1 when absent/invalid. A wait
 * longer than G_MAXINT32 seconds (a number of any size, a date in year
 * 9999) is G_MAXINT32: callers compare it with the longest wait they
 * accept, and a longer one ends the run (docs/webshop-api.md, Rate limits). */
gint64       tdm_http_parse_retry_after   (const char  *value,
                                           GDateTime   *now);

/* Exponential back-off with jitter for attempt n (0-based), in ms. */
guint        tdm_http_backoff_delay_ms    (const TdmHttpOptions *options,
                                           guint                 attempt,
                                           GRand                *rand);  /* nullable: g_random */

/* Is this error worth retrying (5xx, 429, timeouts, resets, truncated bodies)? */
gboolean     tdm_http_error_is_transient  (const GError *error);

/* Send with bounded retries on transient failures, honouring Retry-After,
 * and enforcing max_body_bytes while reading. `build` creates a fresh
 * SoupMessage per attempt (messages cannot be re-sent). The result is the
 * body bytes; the final message is available from
 * tdm_http_send_finish's out parameter. The status is NOT mapped to an error:
 * callers call tdm_http_check_status themselves (except that transient
 * statuses are retried first). A body that looks like JSON is returned with
 * NULs and broken text inside its strings marked (tdm_json_text_mark,
 * tdm-json-text.h), so that no reader cuts a string short. */
typedef SoupMessage *(*TdmHttpBuildFunc) (gpointer user_data);
void         tdm_http_send_async          (SoupSession          *session,
                                           const TdmHttpOptions *options,
                                           TdmHttpBuildFunc      build,
                                           gpointer              build_data,
                                           GDestroyNotify        build_data_free,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GBytes      *tdm_http_send_finish         (GAsyncResult         *result,
                                           SoupMessage         **out_message,  /* transfer full, nullable */
                                           GError              **error);

/* Replace every occurrence of each secret in `text` with "[redacted]".
 * Strings shorter than 4 characters are not treated as secrets (they would
 * mask ordinary words). */
char        *tdm_http_redact              (const char          *text,
                                           const char * const  *secrets);

/* Additions (webshop area). */

/* Strings the session's debug logger must never print (tokens, passwords,
 * client secrets). Stored on the session; the logger replaces every
 * occurrence with "[redacted]". Call it whenever the secret becomes known. */
void         tdm_http_session_add_secret  (SoupSession *session,
                                           const char  *secret);
/* Requests queued on this session so far (every attempt counts). */
guint64      tdm_http_session_get_request_count (SoupSession *session);

/* Parse the contract's error body {"error": {"code", "message", "field",
 * "existing_id"}}. Returns FALSE when the body is not such an object; each
 * out parameter is nullable and set to NULL when the member is absent. */
gboolean     tdm_http_parse_error_body    (GBytes      *body,
                                           char       **out_code,
                                           char       **out_message,
                                           char       **out_field,
                                           char       **out_existing_id);

/* tdm_http_check_status on a bare status code (what check_status uses). */
gboolean     tdm_http_status_to_error     (guint        status,
                                           GBytes      *body,
                                           const char  *what,
                                           GError     **error);

/* Mask "access_token", "client_secret", "password", "token", "secret"
 * string values in a JSON or form-encoded body, and mask secret header
 * values ("Authorization: [redacted]"). Used by the logger; exposed for tests. */
char        *tdm_http_redact_line         (const char          *line,
                                           const char * const  *secret_headers);

/* Additions (limits against hostile or broken servers). */

/* Deepest JSON nesting accepted from a server. json-glib parses recursively:
 * a body of thousands of nested arrays could exhaust the stack, so every
 * body tdm_http_send_async returns that looks like JSON (a JSON content type,
 * or "{" / "[" first) is scanned and refused with INVALID_RESPONSE when it
 * nests deeper. Real answers of both shops stay below 20 levels. */
#define TDM_HTTP_MAX_JSON_DEPTH 64

/* Same-site GET/HEAD redirects tdm_http_send_async follows for one request;
 * one more is refused as a loop (INVALID_RESPONSE). */
#define TDM_HTTP_MAX_REDIRECTS 5

/* Cheap scan (no allocation, no recursion) of the nesting depth of JSON
 * text: brackets inside strings do not count. FALSE with
 * TDM_SYNC_ERROR_INVALID_RESPONSE naming `host` (nullable) and the limit
 * when it nests deeper than `max_depth`. Call it before
 * json_parser_load_from_data on anything a server sent. */
gboolean     tdm_http_check_json_depth    (const char   *data,
                                           gsize         length,
                                           guint         max_depth,
                                           const char   *host,
                                           GError      **error);

/* Longest line accepted in a line-by-line download (Shopify's bulk JSONL
 * exports hold one record per line). */
#define TDM_HTTP_MAX_LINE_BYTES (16 * 1024 * 1024)

/* Wraps `base` (a response stream, read asynchronously) so that reading
 * fails with TDM_SYNC_ERROR_INVALID_RESPONSE, naming `host` and the limit,
 * once a line (the bytes between two newlines) grows longer than
 * `max_line_bytes`. GDataInputStream would otherwise buffer an endless line
 * until memory runs out. Returns a new reference. */
GInputStream *tdm_http_line_limit_stream_new (GInputStream *base,
                                              gsize         max_line_bytes,
                                              const char   *host);

/* Redirects: tdm_http_send_async sets SOUP_MESSAGE_NO_REDIRECT on every
 * message and decides itself. A 301/302/303/307/308 is followed only for
 * GET and HEAD, only to the same host and port, and never from https to
 * plain http; anything else (another host, plain http, POST/PUT/PATCH/DELETE,
 * more than TDM_HTTP_MAX_REDIRECTS hops) fails the request with
 * TDM_SYNC_ERROR_INVALID_RESPONSE, without retries. The request headers
 * (credentials included) are rebuilt by `build` for each hop. */

G_END_DECLS
