/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-http"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tdm-http.h"
#include "tdm-json-text.h"

/* ---- Back-off ---- */

static void
test_backoff_bounds (void)
{
  TdmHttpOptions options;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  tdm_http_options_init (&options);
  g_assert_cmpuint (options.base_delay_ms, ==, 500);
  g_assert_cmpuint (options.max_delay_ms, ==, 30000);
  g_assert_cmpuint (options.max_retries, ==, 4);
  g_assert_cmpuint (options.timeout_seconds, ==, 30);
  g_assert_cmpuint (options.max_body_bytes, ==, 64 * 1024 * 1024);

  for (guint attempt = 0; attempt < 12; attempt++)
    {
      double nominal = MIN (500.0 * (1u << attempt), 30000.0);

      for (guint i = 0; i < 200; i++)
        {
          guint d = tdm_http_backoff_delay_ms (&options, attempt, rand);

          g_assert_cmpuint (d, >=, (guint) (nominal * 0.5));
          g_assert_cmpuint (d, <=, MIN ((guint) (nominal * 1.5), 30000u));
        }
    }
}

static void
test_backoff_jitter_spreads (void)
{
  TdmHttpOptions options;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint min = G_MAXUINT, max = 0;
  double sum = 0;

  tdm_http_options_init (&options);
  options.base_delay_ms = 1000;
  for (guint i = 0; i < 1000; i++)
    {
      guint d = tdm_http_backoff_delay_ms (&options, 1, rand);

      min = MIN (min, d);
      max = MAX (max, d);
      sum += d;
    }
  /* Nominal 2000 ms, ±50 %: the spread is real and centred. */
  g_assert_cmpuint (min, <, 1200);
  g_assert_cmpuint (max, >, 2800);
  g_assert_cmpfloat (sum / 1000, >, 1800);
  g_assert_cmpfloat (sum / 1000, <, 2200);

  /* Large attempts never overflow past the cap. */
  g_assert_cmpuint (tdm_http_backoff_delay_ms (&options, 1000, rand), <=, options.max_delay_ms);
}

/* ---- Retry-After ---- */

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 18, 0, 0);

  g_assert_cmpint (tdm_http_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (tdm_http_parse_retry_after (" 0 ", now), ==, 0);
  g_assert_cmpint (tdm_http_parse_retry_after ("Thu, 26 Nov 2026 18:00:30 GMT", now), ==, 30);
  g_assert_cmpint (tdm_http_parse_retry_after ("Thu, 26 Nov 2026 17:59:00 GMT", now), ==, 0);
  g_assert_cmpint (tdm_http_parse_retry_after ("Thursday, 26-Nov-26 18:01:00 GMT", now), ==, 60);
  g_assert_cmpint (tdm_http_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (tdm_http_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (tdm_http_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (tdm_http_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (tdm_http_parse_retry_after ("12abc", now), ==, -1);
  /* Longer than 2^31 − 1 seconds is a very long wait, not an absent header
   * (issue 13): the caller ends the run. */
  g_assert_cmpint (tdm_http_parse_retry_after ("2147483647", now), ==, G_MAXINT32);
  g_assert_cmpint (tdm_http_parse_retry_after ("2147483648", now), ==, G_MAXINT32);
  g_assert_cmpint (tdm_http_parse_retry_after ("9999999999", now), ==, G_MAXINT32);
  g_assert_cmpint (tdm_http_parse_retry_after ("99999999999999999999999999", now), ==, G_MAXINT32);
  g_assert_cmpint (tdm_http_parse_retry_after ("9999999999x", now), ==, -1);
  g_assert_cmpint (tdm_http_parse_retry_after ("Fri, 31 Dec 9999 23:59:59 GMT", now), ==,
                   G_MAXINT32);
}

/* ---- NULs and broken text in JSON strings (tdm-json-text.h) ---- */

static void
test_json_text_mark (void)
{
  static const struct { const char *in; gsize len; const char *out; } cases[] = {
    { "{\"a\": \"plain æøå\"}", 0, NULL },
    { "{\"a\": \"Ka\\u0000ri\"}", 0, "{\"a\": \"Ka\\uFDD0ri\"}" },
    /* An escaped backslash before "u0000" is text, not an escape. */
    { "{\"a\": \"x\\\\u0000y\"}", 0, NULL },
    { "{\"a\": \"q\\\"\\u0000\"}", 0, "{\"a\": \"q\\\"\\uFDD0\"}" },
    { "{\"k\\u0000\": 1}", 0, "{\"k\\uFDD0\": 1}" },
    { "{\"a\": \"\\ud83d\\ude00\"}", 0, NULL },
    { "{\"a\": \"\\ud83dx\"}", 0, "{\"a\": \"\\uFDD1x\"}" },
    { "{\"a\": \"\\udc00\"}", 0, "{\"a\": \"\\uFDD1\"}" },
    { "{\"a\": \"\\ud83d\\u0041\"}", 0, "{\"a\": \"\\uFDD1\\u0041\"}" },
    { "{\"a\": \"x\0y\"}", 12, "{\"a\": \"x\\uFDD0y\"}" },
    { "{\"a\": \"x\xffy\xc3\"}", 0, "{\"a\": \"x\\uFDD1y\\uFDD1\"}" },
    /* Outside strings nothing changes: that is the envelope's problem. */
    { "{\"a\": 1}\0", 9, NULL },
    { "{\"a\": 1\xff}", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len ? cases[i].len : strlen (cases[i].in);
      gsize out_len = 0;
      g_autofree char *marked = tdm_json_text_mark_data (cases[i].in, len, &out_len);

      g_test_message ("case %u", i);
      g_assert_cmpstr (marked, ==, cases[i].out);
      if (marked != NULL)
        {
          g_autofree char *again = tdm_json_text_mark_data (marked, out_len, NULL);

          g_assert_cmpuint (out_len, ==, strlen (marked));
          /* Marking marked text changes nothing. */
          g_assert_null (again);
        }
    }
}

static void
test_json_text_find (void)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) marked = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *path = NULL;
  const char *text = "{\"id\": \"1\", \"name\": \"Kari\", \"addresses\": [{\"city\": \"Oslo\"}, "
                     "{\"city\": \"Ber\\u0000gen\"}], \"note\": \"\xfe\"}";

  raw = g_bytes_new_static (text, strlen (text));
  marked = tdm_json_text_mark (raw);
  object = tdm_json_object_from_string (g_bytes_get_data (marked, NULL), NULL);
  g_assert_nonnull (object);
  g_assert_cmpint (tdm_json_text_find (object, &path), ==, TDM_JSON_TEXT_NUL);
  g_assert_cmpstr (path, ==, "addresses[1].city");
  json_object_remove_member (object, "addresses");
  g_clear_pointer (&path, g_free);
  g_assert_cmpint (tdm_json_text_find (object, &path), ==, TDM_JSON_TEXT_BROKEN);
  g_assert_cmpstr (path, ==, "note");
  json_object_remove_member (object, "note");
  g_clear_pointer (&path, g_free);
  g_assert_cmpint (tdm_json_text_find (object, &path), ==, TDM_JSON_TEXT_OK);
  g_assert_null (path);
}

/* ---- Redaction ---- */

static void
test_redact (void)
{
  const char *secrets[] = { "s3cr3t-token", "hunter2pw", NULL };
  g_autofree char *r1 = tdm_http_redact ("Bearer s3cr3t-token and hunter2pw twice hunter2pw", secrets);
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  g_autofree char *r4 = NULL;
  g_autofree char *r5 = NULL;
  g_autofree char *r6 = NULL;
  g_autofree char *r7 = NULL;
  const char *extra[] = { "X-Shop-Key", NULL };

  g_assert_cmpstr (r1, ==, "Bearer [redacted] and [redacted] twice [redacted]");

  r2 = tdm_http_redact_line ("Authorization: Bearer abc.def", NULL);
  g_assert_cmpstr (r2, ==, "Authorization: [redacted]");
  r3 = tdm_http_redact_line ("x-api-key: k-123", NULL);
  g_assert_cmpstr (r3, ==, "x-api-key: [redacted]");
  r4 = tdm_http_redact_line ("X-Shop-Key: k-123", extra);
  g_assert_cmpstr (r4, ==, "X-Shop-Key: [redacted]");
  r5 = tdm_http_redact_line ("{\"client_secret\": \"abc\\\"def\", \"name\": \"Kari\"}", NULL);
  g_assert_cmpstr (r5, ==, "{\"client_secret\": \"[redacted]\", \"name\": \"Kari\"}");
  r6 = tdm_http_redact_line ("grant_type=client_credentials&client_secret=xyz&client_id=1", NULL);
  g_assert_cmpstr (r6, ==, "grant_type=client_credentials&client_secret=[redacted]&client_id=1");
  r7 = tdm_http_redact_line ("Content-Type: application/json", NULL);
  g_assert_cmpstr (r7, ==, "Content-Type: application/json");
}

/* ---- URL checks ---- */

static void
test_url_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tdm_http_check_url ("https://shop.example.com/api/tandem/v1", NULL));
  g_assert_true (tdm_http_check_url ("http://127.0.0.1:8080/v1", NULL));
  g_assert_true (tdm_http_check_url ("http://127.3.4.5/", NULL));
  g_assert_true (tdm_http_check_url ("http://localhost:1234", NULL));
  g_assert_true (tdm_http_check_url ("http://[::1]:8080/", NULL));

  g_assert_false (tdm_http_check_url ("http://shop.example.com/api", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "shop.example.com"));
  g_clear_error (&error);

  g_assert_false (tdm_http_check_url ("http://192.168.1.10/api", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "192.168.1.10"));
  g_clear_error (&error);

  g_assert_false (tdm_http_check_url ("http://localhost.evil.example/", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_clear_error (&error);

  g_assert_false (tdm_http_check_url ("not a url", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_false (tdm_http_check_url ("ftp://shop.example.com/", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_false (tdm_http_check_url ("", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_clear_error (&error);

  g_assert_true (tdm_http_is_loopback_host ("LOCALHOST"));
  g_assert_true (tdm_http_is_loopback_host ("::1"));
  g_assert_false (tdm_http_is_loopback_host ("10.0.0.1"));
  g_assert_false (tdm_http_is_loopback_host (NULL));
}

/* ---- Status mapping ---- */

static void
check_status_code (guint       status,
                   const char *body,
                   int         expected_code)
{
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GError) error = NULL;

  if (expected_code < 0)
    {
      g_assert_true (tdm_http_status_to_error (status, bytes, "the webshop", &error));
      g_assert_no_error (error);
      return;
    }
  g_assert_false (tdm_http_status_to_error (status, bytes, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, expected_code);
  g_assert_nonnull (strstr (error->message, "the webshop"));
}

static void
test_status_mapping (void)
{
  check_status_code (200, NULL, -1);
  check_status_code (201, NULL, -1);
  check_status_code (204, NULL, -1);
  check_status_code (400, NULL, TDM_SYNC_ERROR_VALIDATION);
  check_status_code (401, NULL, TDM_SYNC_ERROR_AUTH);
  check_status_code (402, NULL, TDM_SYNC_ERROR_PAYMENT_REQUIRED);
  check_status_code (403, NULL, TDM_SYNC_ERROR_AUTH);
  check_status_code (404, NULL, TDM_SYNC_ERROR_NOT_FOUND);
  check_status_code (409, NULL, TDM_SYNC_ERROR_DUPLICATE);
  check_status_code (412, NULL, TDM_SYNC_ERROR_CONFLICT);
  check_status_code (422, NULL, TDM_SYNC_ERROR_VALIDATION);
  check_status_code (423, NULL, TDM_SYNC_ERROR_PAYMENT_REQUIRED);
  check_status_code (429, NULL, TDM_SYNC_ERROR_RATE_LIMITED);
  check_status_code (430, NULL, TDM_SYNC_ERROR_RATE_LIMITED);
  check_status_code (500, NULL, TDM_SYNC_ERROR_SERVER);
  check_status_code (502, "<html>bad gateway</html>", TDM_SYNC_ERROR_SERVER);
  check_status_code (503, NULL, TDM_SYNC_ERROR_SERVER);
  check_status_code (418, NULL, TDM_SYNC_ERROR_INVALID_RESPONSE);
}

static void
test_status_error_body (void)
{
  const char *body = "{\"error\": {\"code\": \"invalid\", \"message\": \"Email is not valid\","
                     " \"field\": \"email\", \"existing_id\": \"c-17\"}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL, *message = NULL, *field = NULL, *existing = NULL;

  g_assert_false (tdm_http_status_to_error (422, bytes, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Email is not valid"));
  g_assert_nonnull (strstr (error->message, "email"));

  g_assert_true (tdm_http_parse_error_body (bytes, &code, &message, &field, &existing));
  g_assert_cmpstr (code, ==, "invalid");
  g_assert_cmpstr (message, ==, "Email is not valid");
  g_assert_cmpstr (field, ==, "email");
  g_assert_cmpstr (existing, ==, "c-17");

  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("nope", 4);
    g_autofree char *c2 = NULL;

    g_assert_false (tdm_http_parse_error_body (junk, &c2, NULL, NULL, NULL));
    g_assert_null (c2);
  }
}

static void
test_transient (void)
{
  g_autoptr(GError) e1 = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER, "x");
  g_autoptr(GError) e2 = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH, "x");
  g_autoptr(GError) e3 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");
  g_autoptr(GError) e4 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) e5 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "x");
  g_autoptr(GError) e6 = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, "x");
  g_autoptr(GError) e7 = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED, "x");

  g_assert_true (tdm_http_error_is_transient (e1));
  g_assert_false (tdm_http_error_is_transient (e2));
  g_assert_true (tdm_http_error_is_transient (e3));
  g_assert_false (tdm_http_error_is_transient (e4));
  g_assert_true (tdm_http_error_is_transient (e5));
  g_assert_false (tdm_http_error_is_transient (e6));
  g_assert_true (tdm_http_error_is_transient (e7));
  g_assert_false (tdm_http_error_is_transient (NULL));
}

/* ---- Live sending against a small in-process server ---- */

typedef struct {
  SoupServer *server;
  char       *url;
  guint       hits;
  guint       fail_first;   /* answer 503 to this many requests */
  guint       retry_after;  /* seconds for 429 answers, when status_first = 429 */
  const char *retry_after_text;  /* instead of retry_after, when set */
  guint       status_first;
  gsize       big;          /* send a body this large */
  GMainLoop  *loop;
  GBytes     *result;
  SoupMessage *result_msg;
  GError     *error;
  char       *last_user_agent;
} LiveFixture;

static void
live_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  LiveFixture *f = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  f->hits++;
  g_free (f->last_user_agent);
  f->last_user_agent = g_strdup (soup_message_headers_get_one (req, "User-Agent"));

  if (f->hits <= f->fail_first)
    {
      guint status = f->status_first ? f->status_first : 503;

      soup_server_message_set_status (msg, status, NULL);
      if (status == 429)
        {
          g_autofree char *ra = f->retry_after_text ? g_strdup (f->retry_after_text)
                                                    : g_strdup_printf ("%u", f->retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", ra);
        }
      const char *busy = "{\"error\":{\"code\":\"busy\",\"message\":\"Busy\"}}";

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        busy, strlen (busy));
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  if (f->big > 0)
    {
      char *data = g_malloc (f->big);

      memset (data, 'x', f->big);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, data, f->big);
      return;
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"ok\":true}", 11);
}

static void
live_setup (LiveFixture  *f,
            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, live_handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
live_teardown (LiveFixture  *f,
               gconstpointer data)
{
  g_clear_object (&f->server);
  g_free (f->url);
  g_free (f->last_user_agent);
  g_main_loop_unref (f->loop);
  g_clear_pointer (&f->result, g_bytes_unref);
  g_clear_object (&f->result_msg);
  g_clear_error (&f->error);
}

static SoupMessage *
build_get (gpointer user_data)
{
  return soup_message_new ("GET", user_data);
}

static void
on_live_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LiveFixture *f = user_data;

  f->result = tdm_http_send_finish (result, &f->result_msg, &f->error);
  g_main_loop_quit (f->loop);
}

static gboolean
on_hang_cb (gpointer user_data)
{
  g_error ("The request did not finish in time.");
  return G_SOURCE_REMOVE;
}

static void
live_run (LiveFixture    *f,
          TdmHttpOptions *options)
{
  g_autoptr(SoupSession) session = tdm_http_session_new (options, NULL);
  guint guard = g_timeout_add_seconds (20, on_hang_cb, NULL);

  tdm_http_send_async (session, options, build_get, g_strdup (f->url), g_free, NULL,
                       on_live_done, f);
  g_main_loop_run (f->loop);
  g_source_remove (guard);
  g_assert_cmpuint (tdm_http_session_get_request_count (session), ==, f->hits);
}

static void
test_send_retries_then_succeeds (LiveFixture  *f,
                                 gconstpointer data)
{
  TdmHttpOptions options;

  tdm_http_options_init (&options);
  options.base_delay_ms = 10;
  f->fail_first = 2;
  live_run (f, &options);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->hits, ==, 3);
  g_assert_cmpuint (soup_message_get_status (f->result_msg), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (f->result, NULL), g_bytes_get_size (f->result),
                   "{\"ok\":true}", 11);
  g_assert_cmpstr (f->last_user_agent, ==, "Tandem/" PACKAGE_VERSION);
}

static void
test_send_retries_bounded (LiveFixture  *f,
                           gconstpointer data)
{
  TdmHttpOptions options;
  g_autoptr(GError) error = NULL;

  tdm_http_options_init (&options);
  options.base_delay_ms = 5;
  options.max_retries = 2;
  f->fail_first = 100;
  live_run (f, &options);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->hits, ==, 3);
  g_assert_false (tdm_http_check_status (f->result_msg, f->result, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Busy"));
}

static void
test_send_retry_after (LiveFixture  *f,
                       gconstpointer data)
{
  TdmHttpOptions options;
  gint64 start = g_get_monotonic_time ();

  tdm_http_options_init (&options);
  options.base_delay_ms = 1;
  f->fail_first = 1;
  f->status_first = 429;
  f->retry_after = 1;
  live_run (f, &options);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->hits, ==, 2);
  /* Waited the server's second, not our 1 ms back-off. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 950 * 1000);
}

static void
test_send_retry_after_too_long (LiveFixture  *f,
                                gconstpointer data)
{
  TdmHttpOptions options;

  tdm_http_options_init (&options);
  options.max_delay_ms = 2000;
  f->fail_first = 1;
  f->status_first = 429;
  f->retry_after = 3600;
  live_run (f, &options);
  /* Not retried: the scheduler waits an hour, not this request. */
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->hits, ==, 1);
  g_assert_cmpuint (soup_message_get_status (f->result_msg), ==, 429);
}

/* Retry-After above 2^31 − 1 seconds: longer than any wait, so the answer
 * goes back at once (the run ends, docs/webshop-api.md, Rate limits), not
 * retried as if the header were absent. */
static void
test_send_retry_after_huge (LiveFixture  *f,
                            gconstpointer data)
{
  TdmHttpOptions options;
  g_autoptr(GError) error = NULL;

  tdm_http_options_init (&options);
  options.base_delay_ms = 1;
  options.max_delay_ms = 2000;
  f->fail_first = 3;
  f->status_first = 429;
  f->retry_after_text = "9999999999";
  live_run (f, &options);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->hits, ==, 1);
  g_assert_cmpuint (soup_message_get_status (f->result_msg), ==, 429);
  g_assert_false (tdm_http_check_status (f->result_msg, f->result, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED);
}

static void
test_send_body_cap (LiveFixture  *f,
                    gconstpointer data)
{
  TdmHttpOptions options;

  tdm_http_options_init (&options);
  options.max_body_bytes = 1000;
  f->big = 5000;
  live_run (f, &options);
  g_assert_error (f->error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_null (f->result);
  g_assert_cmpuint (f->hits, ==, 1);
}

static gboolean
on_cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_send_cancel_during_backoff (LiveFixture  *f,
                                 gconstpointer data)
{
  TdmHttpOptions options;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();

  tdm_http_options_init (&options);
  options.base_delay_ms = 5000;
  f->fail_first = 100;
  session = tdm_http_session_new (&options, NULL);
  g_timeout_add (300, on_cancel_cb, cancellable);
  tdm_http_send_async (session, &options, build_get, g_strdup (f->url), g_free, cancellable,
                       on_live_done, f);
  g_main_loop_run (f->loop);
  /* Cancelled while waiting to retry: at once, not after the back-off. */
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_send_cancel_before (LiveFixture  *f,
                         gconstpointer data)
{
  g_autoptr(SoupSession) session = tdm_http_session_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  tdm_http_send_async (session, NULL, build_get, g_strdup (f->url), g_free, cancellable,
                       on_live_done, f);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->hits, ==, 0);
}

static void
test_send_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;
  LiveFixture f = { 0 };
  TdmHttpOptions options;

  /* A port nobody listens on: bind, read the port, close. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  tdm_http_options_init (&options);
  options.base_delay_ms = 5;
  options.max_retries = 1;
  f.loop = g_main_loop_new (NULL, FALSE);
  session = tdm_http_session_new (&options, NULL);
  tdm_http_send_async (session, &options, build_get, g_strdup (url), g_free, NULL,
                       on_live_done, &f);
  g_main_loop_run (f.loop);
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (tdm_http_session_get_request_count (session), ==, 2);
  g_clear_error (&f.error);
  g_clear_object (&f.result_msg);
  g_main_loop_unref (f.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/http/backoff/bounds", test_backoff_bounds);
  g_test_add_func ("/http/backoff/jitter", test_backoff_jitter_spreads);
  g_test_add_func ("/http/retry-after", test_retry_after);
  g_test_add_func ("/http/json-text/mark", test_json_text_mark);
  g_test_add_func ("/http/json-text/find", test_json_text_find);
  g_test_add_func ("/http/redact", test_redact);
  g_test_add_func ("/http/url-check", test_url_check);
  g_test_add_func ("/http/status/mapping", test_status_mapping);
  g_test_add_func ("/http/status/error-body", test_status_error_body);
  g_test_add_func ("/http/transient", test_transient);
  g_test_add ("/http/send/retries-then-succeeds", LiveFixture, NULL,
              live_setup, test_send_retries_then_succeeds, live_teardown);
  g_test_add ("/http/send/retries-bounded", LiveFixture, NULL,
              live_setup, test_send_retries_bounded, live_teardown);
  g_test_add ("/http/send/retry-after", LiveFixture, NULL,
              live_setup, test_send_retry_after, live_teardown);
  g_test_add ("/http/send/retry-after-too-long", LiveFixture, NULL,
              live_setup, test_send_retry_after_too_long, live_teardown);
  g_test_add ("/http/send/retry-after-huge", LiveFixture, NULL,
              live_setup, test_send_retry_after_huge, live_teardown);
  g_test_add ("/http/send/body-cap", LiveFixture, NULL,
              live_setup, test_send_body_cap, live_teardown);
  g_test_add ("/http/send/cancel-during-backoff", LiveFixture, NULL,
              live_setup, test_send_cancel_during_backoff, live_teardown);
  g_test_add ("/http/send/cancel-before", LiveFixture, NULL,
              live_setup, test_send_cancel_before, live_teardown);
  g_test_add_func ("/http/send/connection-refused", test_send_connection_refused);

  return g_test_run ();
}
