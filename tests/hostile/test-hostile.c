/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-hostile"

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>
#include <libsoup/soup.h>

#include "tdm-hostile-server.h"
#include "tdm-http.h"
#include "tdm-webshop-connector.h"
#include "tdm-shopify-connector.h"
#include "tdm-shopify-json.h"
#include "tdm-webshop-json.h"

/* Hostile and broken servers (tdm-hostile-server.c) against the HTTP layer
 * and both connectors: sizes, nesting, timeouts and redirects. */

/* Sends `method` (with the JSON `json`, nullable) to the server's
 * /customers: the request must fail. Returns the error; `elapsed`
 * (nullable) gets how long the request took. */
static GError *
send_failing (Hostile              *h,
              const TdmHttpOptions *options,
              const char           *method,
              const char           *json,
              gint64               *elapsed)
{
  g_autofree char *url = g_strdup_printf ("%s/customers", h->url);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  g_assert (h != NULL && options != NULL && method != NULL);

  body = send_request (options, method, url, json, NULL, elapsed, &error);
  g_assert_null (body);
  g_assert_nonnull (error);
  return error;
}

/* A refusal for size: an invalid answer whose message names the limit
 * and, when `host` is given, the host. */
static void
assert_refused_for_size (const GError *error,
                         const char   *host,
                         guint64       limit_bytes)
{
  g_autofree char *limit = g_format_size (limit_bytes);

  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  if (host != NULL)
    assert_message_contains (error, host);
  assert_message_contains (error, limit);
}

/* ---- Maximum response size ---- */

static void
test_size_content_length_2gb (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_HUGE_LENGTH, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  short_options (&options);
  options.max_body_bytes = 1024 * 1024;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  assert_refused_for_size (error, "127.0.0.1", options.max_body_bytes);
  /* Refused on the announced length: one request, hardly anything read. */
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_size_eof_2gb_default_limit (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_HUGE_EOF, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  guint64 rss_before = proc_status_kb ("VmRSS:");
  gint64 elapsed;

  /* The defaults (64 MiB), as the connectors use them. */
  tdm_http_options_init (&options);
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  assert_refused_for_size (error, "127.0.0.1", options.max_body_bytes);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  /* Cut off near the limit, not read to the end of the 2 GiB. */
  g_test_message ("server wrote %" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT " ms; "
                  "VmHWM %" G_GUINT64_FORMAT " kB", hostile_written (h), elapsed / 1000,
                  proc_status_kb ("VmHWM:"));
  g_assert_cmpuint (hostile_written (h), <, options.max_body_bytes + 64 * 1024 * 1024);
  g_assert_cmpint (elapsed, <, 30 * G_USEC_PER_SEC);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
  g_assert_cmpuint (proc_status_kb ("VmRSS:"), <, rss_before + 256 * 1024);
}

static void
test_size_endless_chunked (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ENDLESS_CHUNKED, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  short_options (&options);
  options.max_retries = 3;   /* a size refusal is never retried */
  options.max_body_bytes = 4 * 1024 * 1024;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  assert_refused_for_size (error, "127.0.0.1", options.max_body_bytes);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  g_assert_cmpuint (hostile_written (h), <, options.max_body_bytes + 32 * 1024 * 1024);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_size_gzip_bomb (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_GZIP_ENDLESS, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  /* The cap counts decoded bytes: a small compressed answer that unpacks
   * to gigabytes is cut off like any other. */
  short_options (&options);
  options.max_body_bytes = 4 * 1024 * 1024;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  assert_refused_for_size (error, NULL, options.max_body_bytes);
  g_test_message ("gzip bomb: %" G_GUINT64_FORMAT " compressed bytes written in %"
                  G_GINT64_FORMAT " ms", hostile_written (h), elapsed / 1000);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_size_endless_line (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ENDLESS_LINE, FALSE);
  g_autoptr(SoupSession) session = tdm_http_session_new (NULL, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GInputStream) limited = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/bulk.jsonl", h->url);
  g_autofree char *line = NULL;

  /* A line-by-line download (as of a bulk export) of one endless line. */
  msg = soup_message_new ("GET", url);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, tdm_test_keep_result_cb,
                           &sent);
  stream = soup_session_send_finish (session, tdm_test_wait_result (&sent, 90), &error);
  g_assert_no_error (error);
  limited = tdm_http_line_limit_stream_new (stream, 1024 * 1024, "127.0.0.1");
  lines = g_data_input_stream_new (limited);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, tdm_test_keep_result_cb,
                                       &read);
  line = g_data_input_stream_read_line_finish_utf8 (lines, tdm_test_wait_result (&read, 90), NULL,
                                                    &error);
  g_assert_null (line);
  assert_refused_for_size (error, "127.0.0.1", 1024 * 1024);
  g_assert_cmpuint (hostile_written (h), <, 64 * 1024 * 1024);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_size_line_limit_passes_lines (void)
{
  const char *good = "0123456789\n0123456789\n\n0123456789";
  const char *bad = "0123456789\n01234567890\n";
  g_autoptr(GError) error = NULL;

  /* Lines up to the limit pass, however many; one byte more fails. */
  {
    g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data (good, -1, NULL);
    g_autoptr(GInputStream) limited = tdm_http_line_limit_stream_new (base, 10, NULL);
    g_autoptr(GDataInputStream) lines = g_data_input_stream_new (limited);
    guint n = 0;
    char *line;

    while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
      {
        g_assert_cmpuint (strlen (line), <=, 10);
        g_free (line);
        n++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 4);
  }
  {
    g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data (bad, -1, NULL);
    g_autoptr(GInputStream) limited = tdm_http_line_limit_stream_new (base, 10, NULL);
    g_autoptr(GDataInputStream) lines = g_data_input_stream_new (limited);
    g_autofree char *all = g_data_input_stream_read_upto (lines, "", 0, NULL, NULL, &error);

    g_assert_null (all);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
    assert_message_contains (error, "10 bytes");
  }
}

static void
test_size_endless_header (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ENDLESS_HEADER, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  /* Headers without end: libsoup's own header limit, or our deadline. */
  short_options (&options);
  options.timeout_seconds = 5;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  g_assert_nonnull (error);
  g_test_message ("endless header: %s %d “%s” after %" G_GUINT64_FORMAT " bytes, %" G_GINT64_FORMAT
                  " ms, VmHWM %" G_GUINT64_FORMAT " kB", g_quark_to_string (error->domain),
                  error->code, error->message, hostile_written (h),
                  elapsed / 1000, proc_status_kb ("VmHWM:"));
  assert_message_contains (error, "127.0.0.1");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  g_assert_cmpint (elapsed, <, 8 * G_USEC_PER_SEC);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

/* ---- Maximum JSON nesting depth ---- */

static void
test_depth_scan (void)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree char *ok = nested_body (TDM_HTTP_MAX_JSON_DEPTH, FALSE, &len);
  g_autofree char *deep = NULL;
  const char *in_string = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
  const char *escaped = "[\"\\\"[[[[\", \"\\\\\", [[[1]]]]";

  g_assert_true (tdm_http_check_json_depth (ok, len, TDM_HTTP_MAX_JSON_DEPTH, "x", &error));
  g_assert_no_error (error);
  deep = nested_body (TDM_HTTP_MAX_JSON_DEPTH + 1, TRUE, &len);
  g_assert_false (tdm_http_check_json_depth (deep, len, TDM_HTTP_MAX_JSON_DEPTH,
                                             "shop.example", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "shop.example");
  assert_message_contains (error, "64");
  g_clear_error (&error);

  /* Brackets inside strings (escaped quotes included) do not count. */
  g_assert_true (tdm_http_check_json_depth (in_string, strlen (in_string), 2, NULL, &error));
  g_assert_true (tdm_http_check_json_depth (escaped, strlen (escaped), 4, NULL, &error));
  g_assert_false (tdm_http_check_json_depth (escaped, strlen (escaped), 3, NULL, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* The error-body parser applies it too. */
  deep = (g_free (deep), g_strdup_printf ("{\"error\":%s}", ok));
  {
    g_autoptr(GBytes) bytes = g_bytes_new (deep, strlen (deep));
    g_autofree char *message = NULL;

    g_assert_false (tdm_http_parse_error_body (bytes, NULL, &message, NULL, NULL));
  }
}

static void
check_nested (guint    depth,
              gboolean objects)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_NESTED, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;

  h->count = depth;
  h->objects = objects;
  short_options (&options);
  options.max_retries = 3;
  error = send_failing (h, &options, "GET", NULL, NULL);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "127.0.0.1");
  assert_message_contains (error, "64 levels");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_depth_arrays_10000 (void)
{
  check_nested (10000, FALSE);
}

static void
test_depth_objects_10000 (void)
{
  check_nested (10000, TRUE);
}

static void
test_depth_arrays_million (void)
{
  /* Enough to overflow json-glib's recursion on an 8 MiB stack. */
  check_nested (1000000, FALSE);
}

static void
test_depth_bulk_line (void)
{
  g_autoptr(GError) error = NULL;
  TdmShopifyBulkJoiner *joiner = tdm_shopify_bulk_joiner_new (TDM_KIND_CUSTOMER);
  gsize len;
  g_autofree char *nested = nested_body (10000, TRUE, &len);
  g_autofree char *line = g_strdup_printf ("{\"id\":\"gid://shopify/Customer/1\",\"x\":%s}",
                                           nested);
  g_autoptr(JsonObject) done = NULL;

  /* Lines of a bulk export (JSONL) are checked before json-glib sees them. */
  done = tdm_shopify_bulk_joiner_push (joiner, line, &error);
  g_assert_null (done);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "64 levels");
  tdm_shopify_bulk_joiner_free (joiner);
}

static void
test_depth_webshop_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  g_autofree char *nested = nested_body (10000, FALSE, &len);
  g_autofree char *body = g_strdup_printf ("{\"items\":[{\"id\":\"1\",\"x\":%s}]}", nested);
  TdmWebshopProfile *profile = tdm_webshop_profile_lookup ("default", &error);

  /* The webshop parser refuses it too (for callers outside the HTTP layer). */
  g_assert_no_error (error);
  bytes = g_bytes_new (body, strlen (body));
  g_assert_false (tdm_webshop_parse_list (bytes,
                                          tdm_webshop_profile_get_resource (profile,
                                                                            TDM_KIND_CUSTOMER),
                                          &items, NULL, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "64 levels");
  tdm_webshop_profile_unref (profile);
}

static void
test_depth_normal_answer_passes (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_NESTED, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = g_strdup_printf ("%s/customers", h->url);
  TdmHttpOptions options;

  h->count = TDM_HTTP_MAX_JSON_DEPTH;
  short_options (&options);
  body = send_request (&options, "GET", url, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 2 * TDM_HTTP_MAX_JSON_DEPTH + 1);
}

/* ---- Timeouts ---- */

static void
test_timeout_connect_handshake (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  if (g_tls_backend_get_default () == NULL
      || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking) is installed.");
      return;
    }

  /* The kernel completes TCP connections on a listening socket that never
   * accepts: the TLS handshake then waits for ever. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("https://127.0.0.1:%u/customers",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));

  short_options (&options);
  options.connect_timeout = 2;
  options.timeout_seconds = 20;
  body = send_request (&options, "GET", url, NULL, NULL, &elapsed, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_message_contains (error, "No connection could be made to 127.0.0.1 within 2 seconds");
  /* g_timeout_add_seconds may fire up to a second early. */
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
}

/* A server that stops answering: the request ends at its deadline with an
 * error saying what the server did. */
typedef struct {
  const char *path;
  Scenario    scenario;
  const char *message_part;
} TimeoutCase;

static const TimeoutCase timeout_cases[] = {
  { "/hostile/timeout/no-answer", SCENARIO_SILENT, "127.0.0.1 did not answer within 2 seconds" },
  { "/hostile/timeout/stalled-body", SCENARIO_STALL, "127.0.0.1 stopped arriving after 100 bytes" },
};

static void
test_timeout (gconstpointer data)
{
  const TimeoutCase *c = data;
  g_autoptr(Hostile) h = hostile_new (c->scenario, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  short_options (&options);
  options.timeout_seconds = 2;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_message_contains (error, c->message_part);
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_timeout_stalled_body_retries_bounded (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_STALL, FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;
  gint64 elapsed;

  /* A stall is transient: retried, but only as often as configured. */
  short_options (&options);
  options.timeout_seconds = 1;
  options.max_retries = 2;
  options.base_delay_ms = 10;
  options.max_delay_ms = 20;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (hostile_request_count (h), ==, 3);
  g_assert_cmpint (elapsed, <, 6 * G_USEC_PER_SEC);
}

/* ---- Redirects ---- */

static Hostile *
redirect_server (guint        status,
                 const char  *location,
                 gboolean     tls)
{
  Hostile *h = hostile_new (SCENARIO_REDIRECT, tls);

  h->status = status;
  h->location = g_strdup (location);
  return h;
}

static void
test_redirect_other_host (void)
{
  g_autoptr(Hostile) h = redirect_server (302, "https://evil.example/steal", FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;

  short_options (&options);
  options.max_retries = 3;
  error = send_failing (h, &options, "GET", NULL, NULL);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "evil.example");
  assert_message_contains (error, "127.0.0.1");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_redirect_other_port (void)
{
  g_autoptr(Hostile) h = redirect_server (301, "http://127.0.0.1:1/customers", FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;

  short_options (&options);
  error = send_failing (h, &options, "GET", NULL, NULL);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_redirect_to_plain_http (void)
{
  g_autoptr(Hostile) h = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  TdmHttpOptions options;

  if (g_tls_backend_get_default () == NULL
      || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking) is installed.");
      return;
    }
  {
    g_autofree char *openssl = g_find_program_in_path ("openssl");

    if (openssl == NULL)
      {
        g_test_skip ("openssl is not installed, so no test certificate can be made.");
        return;
      }
  }
  h = redirect_server (302, "", TRUE);
  /* The same host and port, only the scheme drops to http. */
  g_free (h->location);
  h->location = g_strdup_printf ("http://127.0.0.1:%u/customers", h->port);

  short_options (&options);
  error = send_failing (h, &options, "GET", NULL, NULL);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  assert_message_contains (error, "http://127.0.0.1");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
check_write_not_followed (const char *method,
                          guint       status)
{
  g_autoptr(Hostile) h = redirect_server (status, "/elsewhere", FALSE);
  g_autoptr(GError) error = NULL;
  TdmHttpOptions options;

  short_options (&options);
  options.max_retries = 3;
  error = send_failing (h, &options, method, "{\"email\":\"a@example.com\"}", NULL);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, method);
  assert_message_contains (error, "nothing was changed");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_redirect_post_not_followed (void)
{
  check_write_not_followed ("POST", 307);
  check_write_not_followed ("POST", 302);
  check_write_not_followed ("POST", 303);
}

static void
test_redirect_put_not_followed (void)
{
  check_write_not_followed ("PUT", 308);
  check_write_not_followed ("PUT", 301);
  check_write_not_followed ("DELETE", 307);
}

static void
test_redirect_loop (void)
{
  g_autoptr(Hostile) h = redirect_server (302, "/customers", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *times = g_strdup_printf ("more than %u times", TDM_HTTP_MAX_REDIRECTS);
  TdmHttpOptions options;
  gint64 elapsed;

  short_options (&options);
  options.max_retries = 3;
  error = send_failing (h, &options, "GET", NULL, &elapsed);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, times);
  assert_message_contains (error, "127.0.0.1");
  /* The request and its allowed hops, then no retries. */
  g_assert_cmpuint (hostile_request_count (h), ==, TDM_HTTP_MAX_REDIRECTS + 1);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
}

static void
test_redirect_same_site_followed (void)
{
  g_autoptr(Hostile) h = redirect_server (301, "/v2/customers", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = g_strdup_printf ("%s/customers", h->url);
  TdmHttpOptions options;

  /* Positive control: a same-site GET redirect is followed. */
  h->body = g_strdup ("{\"items\":[]}");
  short_options (&options);
  body = send_request (&options, "GET", url, NULL, &msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (hostile_request_count (h), ==, 2);
  g_assert_cmpstr (g_ptr_array_index (h->requests, 1), ==, "GET /v2/customers");
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (msg)), ==, "/v2/customers");
}

/* ---- The webshop connector against a hostile server ---- */

static TdmWebshopConnector *
webshop_for (Hostile              *h,
             const TdmHttpOptions *options)
{
  g_autofree char *url = g_strdup_printf ("%s/api/tandem/v1", h->url);
  g_autoptr(GError) error = NULL;
  TdmWebshopConnector *conn = tdm_webshop_connector_new (url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL,
                                                         TOKEN, NULL, &error);

  g_assert_no_error (error);
  if (options != NULL)
    tdm_webshop_connector_set_http_options (conn, options);
  return conn;
}

static TdmPage *
list_customers (TdmConnector  *conn,
                const char    *since,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_list_changed_async (conn, TDM_KIND_CUSTOMER, since, NULL, NULL,
                                    tdm_test_keep_result_cb, &result);
  return tdm_connector_list_changed_finish (conn, tdm_test_wait_result (&result, 90), error);
}

/* Lists customers through `conn`: the answer must be refused as invalid.
 * Returns the error. */
static GError *
list_customers_refused (TdmConnector *conn,
                        const char   *since)
{
  g_autoptr(TdmPage) page = NULL;
  GError *error = NULL;

  page = list_customers (conn, since, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  return error;
}

static void
test_webshop_too_many_items (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ITEMS, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;

  /* Positive control: a full page of the requested size (100) is read. */
  h->count = 100;
  page = list_customers (TDM_CONNECTOR (conn), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_nonnull (strstr (g_ptr_array_index (h->requests, 0), "limit=100"));
  g_clear_pointer (&page, tdm_page_free);

  h->count = 100000;
  error = list_customers_refused (TDM_CONNECTOR (conn), NULL);
  assert_message_contains (error, "100000 items");
  assert_message_contains (error, "at most 100");
  assert_message_contains (error, "127.0.0.1");
  g_assert_cmpuint (hostile_request_count (h), ==, 2);
}

static void
test_webshop_nested (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_NESTED, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  g_autoptr(GError) error = NULL;

  h->count = 10000;
  error = list_customers_refused (TDM_CONNECTOR (conn), NULL);
  assert_message_contains (error, "64 levels");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_webshop_huge_bodies (void)
{
  TdmHttpOptions options;

  tdm_http_options_init (&options);
  options.max_body_bytes = 4 * 1024 * 1024;
  for (Scenario s = SCENARIO_HUGE_LENGTH; s <= SCENARIO_ENDLESS_CHUNKED; s++)
    {
      g_autoptr(Hostile) h = hostile_new (s, FALSE);
      g_autoptr(TdmWebshopConnector) conn = webshop_for (h, &options);
      g_autoptr(GError) error = NULL;
      g_autofree char *limit = g_format_size (options.max_body_bytes);

      error = list_customers_refused (TDM_CONNECTOR (conn), NULL);
      assert_message_contains (error, limit);
      g_assert_cmpuint (hostile_request_count (h), ==, 1);
      g_assert_cmpuint (hostile_written (h), <, options.max_body_bytes + 32 * 1024 * 1024);
    }
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_webshop_redirect_other_host (void)
{
  g_autoptr(Hostile) h = redirect_server (302, "https://evil.example/api", FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  g_autoptr(GError) error = NULL;

  error = list_customers_refused (TDM_CONNECTOR (conn), NULL);
  assert_message_contains (error, "evil.example");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_webshop_stalled_body (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_STALL, FALSE);
  g_autoptr(TdmWebshopConnector) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  TdmHttpOptions options;
  gint64 start = g_get_monotonic_time ();

  short_options (&options);
  options.timeout_seconds = 2;
  conn = webshop_for (h, &options);
  page = list_customers (TDM_CONNECTOR (conn), NULL, &error);
  g_assert_null (page);
  g_assert_nonnull (error);
  assert_message_contains (error, "stopped arriving");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

/* ---- The Shopify connector against a hostile GraphQL endpoint ---- */

static TdmShopifyConnector *
shopify_for (Hostile *h)
{
  g_autoptr(GError) error = NULL;
  TdmShopifyConnector *conn = tdm_shopify_connector_new (h->url, NULL, TDM_SHOPIFY_AUTH_TOKEN, NULL,
                                                         NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  tdm_shopify_connector_set_secret (conn, TOKEN);
  tdm_shopify_connector_set_page_size (conn, 50);
  tdm_shopify_connector_set_bulk_threshold (conn, 0);
  tdm_shopify_client_set_timeout (tdm_shopify_connector_get_client (conn), 5);
  tdm_shopify_client_set_max_retries (tdm_shopify_connector_get_client (conn), 2);
  tdm_shopify_client_set_backoff (tdm_shopify_connector_get_client (conn), 10, 20);
  return conn;
}

#define SINCE "2026-01-01T00:00:00Z"

static void
test_shopify_too_many_nodes (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_SHOPIFY_NODES, FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;

  /* Positive control: as many nodes as asked for are read. */
  h->count = 50;
  page = list_customers (TDM_CONNECTOR (conn), SINCE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_clear_pointer (&page, tdm_page_free);

  h->count = 1000;
  error = list_customers_refused (TDM_CONNECTOR (conn), SINCE);
  assert_message_contains (error, "1000 entries of “customers”");
  assert_message_contains (error, "at most 50");
  g_assert_cmpuint (hostile_request_count (h), ==, 2);
}

static void
test_shopify_nested (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_NESTED, FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;

  h->count = 10000;
  h->objects = TRUE;
  error = list_customers_refused (TDM_CONNECTOR (conn), SINCE);
  assert_message_contains (error, "64 levels");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_shopify_redirect_post (void)
{
  g_autoptr(Hostile) h = redirect_server (307, "/admin/api/other/graphql.json", FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;

  error = list_customers_refused (TDM_CONNECTOR (conn), SINCE);
  assert_message_contains (error, "POST");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_shopify_endless_chunked (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ENDLESS_CHUNKED, FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = g_format_size (64 * 1024 * 1024);

  /* The client's default cap (64 MiB). */
  error = list_customers_refused (TDM_CONNECTOR (conn), SINCE);
  assert_message_contains (error, limit);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

static void
test_shopify_empty_body (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_JSON, FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;

  /* 200 with nothing in it: a clear error, not a critical from json-glib. */
  h->body = g_strdup ("");
  tdm_shopify_client_set_max_retries (tdm_shopify_connector_get_client (conn), 0);
  error = list_customers_refused (TDM_CONNECTOR (conn), SINCE);
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

static void
test_shopify_bulk_endless_line (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_SHOPIFY_BULK, FALSE);
  g_autoptr(TdmShopifyConnector) conn = shopify_for (h);
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = g_format_size (TDM_HTTP_MAX_LINE_BYTES);
  gint64 start = g_get_monotonic_time ();

  /* A first load above the threshold goes through a bulk export. */
  tdm_shopify_connector_set_bulk_threshold (conn, 100);
  tdm_shopify_connector_set_bulk_poll_interval (conn, 10);
  error = list_customers_refused (TDM_CONNECTOR (conn), NULL);
  assert_message_contains (error, limit);
  assert_message_contains (error, "127.0.0.1");
  g_test_message ("bulk endless line: %" G_GUINT64_FORMAT " bytes written in %" G_GINT64_FORMAT
                  " ms; VmHWM %" G_GUINT64_FORMAT " kB", hostile_written (h),
                  (g_get_monotonic_time () - start) / 1000, proc_status_kb ("VmHWM:"));
  g_assert_cmpuint (hostile_written (h), <, TDM_HTTP_MAX_LINE_BYTES + 64 * 1024 * 1024);
  g_assert_cmpuint (proc_status_kb ("VmHWM:"), <, MEMORY_BOUND_KB);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hostile/size/content-length-2gb", test_size_content_length_2gb);
  g_test_add_func ("/hostile/size/eof-2gb-default-limit", test_size_eof_2gb_default_limit);
  g_test_add_func ("/hostile/size/endless-chunked", test_size_endless_chunked);
  g_test_add_func ("/hostile/size/gzip-bomb", test_size_gzip_bomb);
  g_test_add_func ("/hostile/size/endless-line", test_size_endless_line);
  g_test_add_func ("/hostile/size/endless-header", test_size_endless_header);
  g_test_add_func ("/hostile/size/line-limit-passes-lines", test_size_line_limit_passes_lines);
  g_test_add_func ("/hostile/depth/scan", test_depth_scan);
  g_test_add_func ("/hostile/depth/bulk-line", test_depth_bulk_line);
  g_test_add_func ("/hostile/depth/webshop-parse", test_depth_webshop_parse);
  g_test_add_func ("/hostile/depth/arrays-10000", test_depth_arrays_10000);
  g_test_add_func ("/hostile/depth/objects-10000", test_depth_objects_10000);
  g_test_add_func ("/hostile/depth/arrays-million", test_depth_arrays_million);
  g_test_add_func ("/hostile/depth/normal-answer-passes", test_depth_normal_answer_passes);
  g_test_add_func ("/hostile/timeout/connect-handshake", test_timeout_connect_handshake);
  for (guint i = 0; i < G_N_ELEMENTS (timeout_cases); i++)
    g_test_add_data_func (timeout_cases[i].path, &timeout_cases[i], test_timeout);
  g_test_add_func ("/hostile/timeout/stalled-body-retries-bounded",
                   test_timeout_stalled_body_retries_bounded);
  g_test_add_func ("/hostile/redirect/same-site-followed", test_redirect_same_site_followed);
  g_test_add_func ("/hostile/redirect/other-host", test_redirect_other_host);
  g_test_add_func ("/hostile/redirect/other-port", test_redirect_other_port);
  g_test_add_func ("/hostile/redirect/to-plain-http", test_redirect_to_plain_http);
  g_test_add_func ("/hostile/redirect/post-not-followed", test_redirect_post_not_followed);
  g_test_add_func ("/hostile/redirect/put-not-followed", test_redirect_put_not_followed);
  g_test_add_func ("/hostile/redirect/loop", test_redirect_loop);
  g_test_add_func ("/hostile/webshop/too-many-items", test_webshop_too_many_items);
  g_test_add_func ("/hostile/webshop/nested", test_webshop_nested);
  g_test_add_func ("/hostile/webshop/huge-bodies", test_webshop_huge_bodies);
  g_test_add_func ("/hostile/webshop/redirect-other-host", test_webshop_redirect_other_host);
  g_test_add_func ("/hostile/webshop/stalled-body", test_webshop_stalled_body);
  g_test_add_func ("/hostile/shopify/too-many-nodes", test_shopify_too_many_nodes);
  g_test_add_func ("/hostile/shopify/nested", test_shopify_nested);
  g_test_add_func ("/hostile/shopify/redirect-post", test_shopify_redirect_post);
  g_test_add_func ("/hostile/shopify/endless-chunked", test_shopify_endless_chunked);
  g_test_add_func ("/hostile/shopify/empty-body", test_shopify_empty_body);
  g_test_add_func ("/hostile/shopify/bulk-endless-line", test_shopify_bulk_endless_line);

  return g_test_run ();
}
