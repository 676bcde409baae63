/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-webshop"

#include "config.h"

#include <string.h>

#include "connector-fixture.h"

/* The webshop connector's transport against the fake webshop: Retry-After
 * and the profile's rate cap, injected faults and bounded retries, plain
 * http:// refused, secrets never in debug logs, test_connection and
 * credentials from the keyring (docs/webshop-api.md, Transport and security;
 * Rate limits). Records are in test-connector.c. */

/* Log capture for the "secrets never in debug logs" test: one writer for
 * the whole program; it only records while `capture` is set. */
static GString *captured;
static gboolean capture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (capture)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE"))
          {
            g_string_append_len (captured, fields[i].value,
                                 fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                      : fields[i].length);
            g_string_append_c (captured, '\n');
          }
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---- Rate limits ---- */

static void
test_429_waits_retry_after (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 2);
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  tdm_fake_webshop_inject_fault (f->fake, 0, TDM_FAKE_FAULT_429, 1, 1);
  start = g_get_monotonic_time ();
  page = list_page (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 950 * 1000);
  g_assert_cmpuint (count_requests (f, NULL), ==, 2);
  g_assert_cmpuint (((TdmFakeRequest *) tdm_fake_webshop_get_request_log (f->fake)->pdata[0])->status,
                    ==, 429);
}

static void
test_rate_cap_from_profile (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 1);
  guint done = 0;
  gint64 start;
  const guint n = 10;

  /* 5 requests/s, 2 at a time; each answer takes 500 ms. */
  f->profile->requests_per_second = 5;
  f->profile->concurrency = 2;
  make_connector (f);
  tdm_fake_webshop_inject_fault (f->fake, 0, TDM_FAKE_FAULT_DELAY, 500, n);
  tdm_fake_webshop_set_rate_limit (f->fake, 7, 1);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    tdm_connector_get_async (TDM_CONNECTOR (f->connector), TDM_KIND_CUSTOMER, ids->pdata[0],
                             NULL, on_done_cb, f);
  while (done < n)
    {
      g_autoptr(GAsyncResult) result = TAKE_RESULT (f);
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmRecord) record = tdm_connector_get_finish (TDM_CONNECTOR (f->connector),
                                                              result, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      done++;
    }
  /* One every 200 ms at most, two at a time at most (and they did overlap). */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1800 * 1000);
  g_assert_cmpuint (tdm_fake_webshop_get_max_in_flight (f->fake), ==, 2);
  /* Paced under the shop's own cap: never answered 429. */
  g_assert_cmpuint (count_requests (f, NULL), ==, n);
}

/* ---- Faults ---- */

typedef struct {
  TdmFakeFault fault;
  guint        param;
  guint        times;
  gboolean     recovers;
  GQuark       domain;
  int          code;
} FaultCase;

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const FaultCase cases[] = {
    { TDM_FAKE_FAULT_500, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_502, 0, 2, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_503, 0, 3, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_429, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_RESET, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_TRUNCATED, 0, 1, TRUE, 0, 0 },
    { TDM_FAKE_FAULT_DELAY, 1500, 1, TRUE, 0, 0 },
    /* Clean failures: more faults than retries, or a body that is no JSON. */
    { TDM_FAKE_FAULT_503, 0, 10, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER },
    { TDM_FAKE_FAULT_429, 0, 10, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED },
    { TDM_FAKE_FAULT_RESET, 0, 10, FALSE, 0, 0 },
    { TDM_FAKE_FAULT_DELAY, 1500, 10, FALSE, G_IO_ERROR, G_IO_ERROR_TIMED_OUT },
    { TDM_FAKE_FAULT_MALFORMED_JSON, 0, 1, FALSE, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE },
  };
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 4);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("fault %s ×%u", tdm_fake_fault_to_string (cases[i].fault), cases[i].times);
      tdm_fake_webshop_clear_log (f->fake);
      /* Hit the second page, not only the first request. */
      tdm_fake_webshop_inject_fault (f->fake, 1, cases[i].fault, cases[i].param, cases[i].times);
      all = list_all (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
      if (cases[i].recovers)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (all->len, ==, 4);
          g_assert_cmpuint (count_requests (f, NULL), ==, 2 + cases[i].times);
        }
      else
        {
          g_assert_null (all);
          g_assert_nonnull (error);
          if (cases[i].domain != 0)
            g_assert_error (error, cases[i].domain, cases[i].code);
          else
            g_assert_true (tdm_http_error_is_transient (error));
          g_test_message ("  → %s", error->message);
          /* Bounded: 1 + max_retries attempts at the failing page (libsoup
           * does not resend on its own: tdm-http.c stops it). */
          if (cases[i].times > 1)
            g_assert_cmpuint (count_requests (f, NULL), ==, 1 + 4);
          else
            g_assert_cmpuint (count_requests (f, NULL), ==, 2);
        }
      tdm_fake_webshop_clear_faults (f->fake);
    }
}

/* ---- A retry resends the same request ---- */

typedef struct {
  Params      params;     /* first: the fixture reads it */
  const char *method;     /* "POST" or "PUT" */
  guint       carried;    /* the reset's param: 1 = the write happened, the answer is lost */
} ResendCase;

typedef struct {
  const ResendCase *resend;
  GArray           *times;     /* when each request reached the fake */
  gboolean          injected;
} ResendWatch;

/* Runs before the fake answers: notes the time, and drops the connection
 * of the first write of the case's method. */
static void
on_resend_request (TdmFakeWebshop *fake,
                   const char     *method,
                   const char     *path,
                   gpointer        user_data)
{
  ResendWatch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (watch->times, now);
  if (!watch->injected && g_str_equal (method, watch->resend->method))
    {
      tdm_fake_webshop_inject_fault (fake, 0, TDM_FAKE_FAULT_RESET, watch->resend->carried, 1);
      watch->injected = TRUE;
    }
}

/* The connection is dropped after the fake has read the whole request
 * (docs/webshop-api.md, Errors: dropped connections are retried like 5xx),
 * before or after carrying it out: the retry, after a back-off, carries the
 * same body, Idempotency-Key and If-Match, and the record is written once
 * (a create by its key; an update by its If-Match). The connection was used
 * before, so libsoup would resend a PUT at once on its own. */
static void
test_retry_resends_request (Fixture       *f,
                            gconstpointer  data)
{
  const ResendCase *resend = data;
  gboolean is_put = g_str_equal (resend->method, "PUT");
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ResendWatch watch = { resend, times, FALSE };
  g_autoptr(GPtrArray) ids = seed_records (f, TDM_KIND_CUSTOMER, 1);
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *log = tdm_fake_webshop_get_request_log (f->fake);
  TdmFakeRequest *first = NULL;
  TdmFakeRequest *retry = NULL;
  guint first_index = 0;
  TdmHttpOptions options;

  tdm_http_options_init (&options);
  options.timeout_seconds = 2;
  options.connect_timeout = 2;
  options.base_delay_ms = 300;
  options.max_retries = 2;
  tdm_webshop_connector_set_http_options (f->connector, &options);

  /* A kept-alive connection: the write goes out on a used one. */
  page = list_page (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  tdm_fake_webshop_clear_log (f->fake);
  tdm_fake_webshop_set_request_hook (f->fake, on_resend_request, &watch);

  if (!is_put)
    {
      g_autoptr(JsonObject) fields = json_object ("{\"email\": \"ny.kunde@example.no\", "
                                                  "\"first_name\": \"Åse\", "
                                                  "\"note\": \"Ring før levering\"}");

      written = create_record (f, TDM_KIND_CUSTOMER, fields, "9a7c3e10-0000-4000-8000-00000000c0de",
                               NULL, &error);
    }
  else
    {
      g_autoptr(JsonObject) change = json_object ("{\"last_name\": \"Ødegård\", "
                                                  "\"note\": \"Ny adresse i mars\"}");

      written = update_record (f, TDM_KIND_CUSTOMER, ids->pdata[0], change, NULL, NULL, &error);
    }
  tdm_fake_webshop_set_request_hook (f->fake, NULL, NULL);
  if (is_put && resend->carried)
    {
      /* The first PUT was written; its If-Match keeps the retry from
       * writing again (412: the engine reads the record again). */
      g_assert_null (written);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (written);
    }

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeRequest *request = log->pdata[i];

      g_test_message ("%s %s → %u, %zu bytes", request->method, request->path, request->status,
                      request->body ? strlen (request->body) : 0);
      if (!g_str_equal (request->method, resend->method))
        continue;
      if (first == NULL)
        {
          first = request;
          first_index = i;
        }
      else if (retry == NULL)
        retry = request;
      else
        g_error ("A third %s was sent.", resend->method);
    }
  g_assert_nonnull (first);
  g_assert_nonnull (retry);
  g_assert_cmpuint (first->status, ==, 0);
  g_assert_cmpuint (retry->status, ==, !is_put ? 201 : resend->carried ? 412 : 200);
  g_assert_nonnull (first->body);
  g_assert_cmpstr (retry->path, ==, first->path);
  g_assert_cmpstr (retry->body, ==, first->body);
  g_assert_cmpstr (retry->idempotency_key, ==, first->idempotency_key);
  g_assert_cmpstr (retry->if_match, ==, first->if_match);
  g_assert_cmpstr (retry->authorization, ==, "present");
  if (!is_put)
    g_assert_cmpstr (retry->idempotency_key, ==, "9a7c3e10-0000-4000-8000-00000000c0de");
  else
    g_assert_nonnull (retry->if_match);
  /* After the back-off (300 ms, jitter down to half), not at once. */
  g_assert_cmpuint (times->len, ==, log->len);
  g_assert_cmpint (g_array_index (times, gint64, first_index + 1)
                   - g_array_index (times, gint64, first_index), >=, 150 * 1000);

  /* Written once: one record more for a create, the change for an update. */
  g_assert_cmpuint (tdm_fake_webshop_count (f->fake, TDM_KIND_CUSTOMER), ==, is_put ? 1 : 2);
  stored = tdm_fake_webshop_get_record (f->fake, TDM_KIND_CUSTOMER,
                                        is_put ? ids->pdata[0] : written->record->id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "note"), ==,
                   is_put ? "Ny adresse i mars" : "Ring før levering");
}

/* ---- Security ---- */

static void
test_plain_http_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopConnector) insecure = NULL;
  g_autofree char *lan = NULL;
  const char *url = tdm_fake_webshop_get_url (f->fake);
  guint port;

  insecure = tdm_webshop_connector_new ("http://butikk.example.no/api/tandem/v1", NULL,
                                        TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL, &error);
  g_assert_null (insecure);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "butikk.example.no"));
  g_assert_null (strstr (error->message, TOKEN));
  g_clear_error (&error);

  /* The fake's own port on a non-loopback name: still refused, nothing sent. */
  port = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
  lan = g_strdup_printf ("http://shop.lan:%u", port);
  insecure = tdm_webshop_connector_new (lan, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL,
                                        &error);
  g_assert_null (insecure);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "shop.lan"));
  g_assert_cmpuint (tdm_fake_webshop_get_request_log (f->fake)->len, ==, 0);
}

static void
test_secrets_not_logged (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) fields = json_object ("{\"email\": \"ny@example.no\", "
                                              "\"password\": \"kundens-passord\"}");
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basic = g_base64_encode ((const guchar *) "kari:" PASSWORD,
                                            strlen ("kari:" PASSWORD));

  /* The logger is attached when a session is made with debug output on. */
  g_log_set_debug_enabled (TRUE);
  make_connector (f);
  ids = seed_records (f, TDM_KIND_CUSTOMER, 2);

  captured = g_string_new (NULL);
  capture = TRUE;
  all = list_all (f, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  created = create_record (f, TDM_KIND_CUSTOMER, fields, "op-secret", NULL, &error);
  g_assert_no_error (error);
  capture = FALSE;
  g_log_set_debug_enabled (FALSE);

  /* Logged something, and with headers masked. */
  g_assert_nonnull (strstr (captured->str, "GET "));
  g_assert_nonnull (strstr (captured->str, "[redacted]"));
  g_assert_null (strstr (captured->str, TOKEN));
  g_assert_null (strstr (captured->str, PASSWORD));
  g_assert_null (strstr (captured->str, API_KEY));
  g_assert_null (strstr (captured->str, basic));
  g_assert_null (strstr (captured->str, "kundens-passord"));
  g_string_free (g_steal_pointer (&captured), TRUE);
}

/* ---- Test connection ---- */

static TdmShopInfo *
test_connection (Fixture              *f,
                 TdmWebshopConnector  *connector,
                 GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_test_connection_async (TDM_CONNECTOR (connector), NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  return tdm_connector_test_connection_finish (TDM_CONNECTOR (connector), result, error);
}

static void
html_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *body = "<html><body>Velkommen til butikken!</body></html>";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_test_connection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(TdmWebshopConnector) wrong_token = NULL;
  g_autoptr(TdmWebshopConnector) wrong_path = NULL;
  g_autoptr(TdmWebshopConnector) not_api = NULL;
  g_autoptr(TdmWebshopConnector) nobody = NULL;
  g_autoptr(SoupServer) html = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *html_url = NULL;
  GSList *uris;

  info = test_connection (f, f->connector, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "127.0.0.1");
  g_assert_nonnull (info->detail);
  g_clear_pointer (&info, tdm_shop_info_free);

  wrong_token = tdm_webshop_connector_new (tdm_fake_webshop_get_url (f->fake), NULL,
                                           TDM_WEBSHOP_AUTH_BEARER, NULL, "feil-token", NULL,
                                           &error);
  info = test_connection (f, wrong_token, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_null (strstr (error->message, "feil-token"));
  g_clear_error (&error);

  url = g_strdup_printf ("%s/wrong/prefix", tdm_fake_webshop_get_url (f->fake));
  wrong_path = tdm_webshop_connector_new (url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN, NULL,
                                          &error);
  info = test_connection (f, wrong_path, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "/wrong/prefix"));
  g_clear_error (&error);

  soup_server_add_handler (html, NULL, html_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (html, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (html);
  html_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  not_api = tdm_webshop_connector_new (html_url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN,
                                       NULL, &error);
  info = test_connection (f, not_api, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Webshop Sync API"));
  g_clear_error (&error);
  soup_server_disconnect (html);

  /* Nothing listens there any more. */
  nobody = tdm_webshop_connector_new (html_url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, TOKEN,
                                      NULL, &error);
  info = test_connection (f, nobody, &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "Nothing answered"));
}

static void
test_credentials_from_store (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TdmMemoryCredentials) store = tdm_memory_credentials_new ();
  g_autoptr(TdmWebshopConnector) connector = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = tdm_fake_webshop_get_url (f->fake);

  tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (store), TDM_SIDE_WEBSHOP, url, TOKEN,
                                    NULL, on_done_cb, f);
  result = TAKE_RESULT (f);
  g_assert_true (tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (store), result,
                                                    &error));
  connector = tdm_webshop_connector_new (url, NULL, TDM_WEBSHOP_AUTH_BEARER, NULL, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  tdm_webshop_connector_set_credentials (connector, TDM_CREDENTIAL_STORE (store), url);
  info = test_connection (f, connector, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
}

int
main (int   argc,
      char *argv[])
{
  static const Params link_params = { STYLE_LINK, TDM_KIND_CUSTOMER };
  static const Params page_params = { STYLE_PAGE, TDM_KIND_CUSTOMER };
  static const ResendCase resend_post = { { STYLE_CURSOR, TDM_KIND_CUSTOMER }, "POST", 0 };
  static const ResendCase resend_post_carried = { { STYLE_CURSOR, TDM_KIND_CUSTOMER }, "POST", 1 };
  static const ResendCase resend_put = { { STYLE_CURSOR, TDM_KIND_CUSTOMER }, "PUT", 0 };
  static const ResendCase resend_put_carried = { { STYLE_CURSOR, TDM_KIND_CUSTOMER }, "PUT", 1 };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add ("/webshop/connector/429-retry-after", Fixture, NULL, fixture_setup,
              test_429_waits_retry_after, fixture_teardown);
  g_test_add ("/webshop/connector/rate-cap", Fixture, &page_params, fixture_setup,
              test_rate_cap_from_profile, fixture_teardown);
  g_test_add ("/webshop/connector/faults", Fixture, NULL, fixture_setup, test_faults,
              fixture_teardown);
  g_test_add ("/webshop/connector/retry-resends/post", Fixture, &resend_post, fixture_setup,
              test_retry_resends_request, fixture_teardown);
  g_test_add ("/webshop/connector/retry-resends/post-carried-out", Fixture, &resend_post_carried,
              fixture_setup, test_retry_resends_request, fixture_teardown);
  g_test_add ("/webshop/connector/retry-resends/put", Fixture, &resend_put, fixture_setup,
              test_retry_resends_request, fixture_teardown);
  g_test_add ("/webshop/connector/retry-resends/put-carried-out", Fixture, &resend_put_carried,
              fixture_setup, test_retry_resends_request, fixture_teardown);
  g_test_add ("/webshop/connector/plain-http-refused", Fixture, NULL, fixture_setup,
              test_plain_http_refused, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/bearer", Fixture, NULL, fixture_setup,
              test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/basic", Fixture, &link_params,
              fixture_setup, test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/secrets-not-logged/header", Fixture, &page_params,
              fixture_setup, test_secrets_not_logged, fixture_teardown);
  g_test_add ("/webshop/connector/test-connection", Fixture, NULL, fixture_setup,
              test_test_connection, fixture_teardown);
  g_test_add ("/webshop/connector/credentials-from-store", Fixture, NULL, fixture_setup,
              test_credentials_from_store, fixture_teardown);

  return g_test_run ();
}
