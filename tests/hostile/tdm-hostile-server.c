/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-hostile"

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>
#include <libsoup/soup.h>

#include "tdm-hostile-server.h"

/* Hostile and broken servers against the HTTP layer and both connectors.
 * Each server is a small threaded socket service on 127.0.0.1 that writes
 * raw HTTP, so that it can do what no well-behaved server library allows:
 * announce 2 GB, stream without end, stall mid-body, never answer. Bodies
 * are streamed from one small buffer: the test never holds them. */

#ifdef TDM_TEST_ASAN
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  /* LeakSanitizer's tracer crashes on the dynamic TLS block of the TLS
   * module (glib-networking) at exit with intercepted __tls_get_addr
   * (gcc 12, glibc 2.36). GLib's g_set_user_dirs strings (tests/lsan.supp)
   * are only matched with the slow unwinder. */
  return "intercept_tls_get_addr=0:fast_unwind_on_malloc=0:malloc_context_size=8";
}
#endif

/* A throw-away self-signed certificate for 127.0.0.1 (test only). */
/* A throwaway self-signed certificate for 127.0.0.1, made when the test runs
 * (no key is ever committed). NULL when openssl is not installed. */
static char *
make_test_cert_pem (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tandem-cert-XXXXXX", NULL);
  g_autofree char *key = NULL, *cert = NULL, *key_pem = NULL, *cert_pem = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  int status = 0;

  if (dir == NULL || openssl == NULL)
    return NULL;
  key = g_build_filename (dir, "key.pem", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", key, "-out", cert, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
        !g_spawn_check_wait_status (status, NULL) ||
        !g_file_get_contents (cert, &cert_pem, NULL, NULL) ||
        !g_file_get_contents (key, &key_pem, NULL, NULL))
      g_clear_pointer (&cert_pem, g_free);
  }
  g_unlink (key);
  g_unlink (cert);
  g_rmdir (dir);
  return cert_pem != NULL ? g_strconcat (cert_pem, key_pem, NULL) : NULL;
}

/* ---- Servers ---- */

/* One canned answer: the first route whose `request` is the request line
 * ("PUT /api/tandem/v1/customers/7"), or its start when `request` ends in
 * "?" (any query), answers it; anything else is answered 404. Bodies may
 * hold any bytes (a NUL, broken UTF-8). */
typedef struct {
  char   *request;
  guint   status;
  char   *headers;   /* extra header lines, each ending in CRLF; nullable */
  GBytes *body;
} Route;

static void
route_free (gpointer data)
{
  Route *r = data;

  g_free (r->request);
  g_free (r->headers);
  g_bytes_unref (r->body);
  g_free (r);
}

static void
hostile_clear (Hostile *h)
{
  g_free (h->url);
  g_free (h->body);
  g_free (h->location);
  g_free (h->nodes);
  g_clear_object (&h->cert);
  g_ptr_array_unref (h->requests);
  g_ptr_array_unref (h->bodies);
  g_ptr_array_unref (h->routes);
  g_mutex_clear (&h->lock);
}

static void
hostile_unref (Hostile *h)
{
  g_atomic_rc_box_release_full (h, (GDestroyNotify) hostile_clear);
}

gboolean
stopped (Hostile *h)
{
  return g_atomic_int_get (&h->stop) != 0;
}

static gboolean
write_all (Hostile       *h,
           GOutputStream *out,
           const void    *data,
           gsize          len,
           gboolean       is_body)
{
  if (stopped (h) || !g_output_stream_write_all (out, data, len, NULL, NULL, NULL))
    return FALSE;
  if (is_body)
    {
      g_mutex_lock (&h->lock);
      h->written += len;
      g_mutex_unlock (&h->lock);
    }
  return TRUE;
}

static gboolean
write_head (Hostile       *h,
            GOutputStream *out,
            const char    *format,
            ...) G_GNUC_PRINTF (3, 4);

static gboolean
write_head (Hostile       *h,
            GOutputStream *out,
            const char    *format,
            ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return write_all (h, out, text, strlen (text), FALSE);
}

static void
wait_until_stopped (Hostile *h)
{
  /* At most 60 s: the client's timeouts in these tests are a few seconds. */
  for (guint i = 0; i < 6000 && !stopped (h); i++)
    g_usleep (10 * 1000);
}

static void
send_json (Hostile       *h,
           GOutputStream *out,
           const char    *body,
           gsize          len)
{
  if (write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", len))
    write_all (h, out, body, len, TRUE);
}

char *
nested_body (guint    depth,
             gboolean objects,
             gsize   *out_len)
{
  GString *s = g_string_sized_new (depth * 6 + 8);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, objects ? '}' : ']');
  *out_len = s->len;
  return g_string_free (s, FALSE);
}

static void
serve (Hostile       *h,
       GOutputStream *out,
       const char    *line,
       const char    *request_body)
{
  static char block[64 * 1024];

  memset (block, ' ', sizeof block);

  switch (h->scenario)
    {
    case SCENARIO_JSON:
      send_json (h, out, h->body, strlen (h->body));
      break;

    case SCENARIO_REDIRECT:
      /* With a body: answer at the redirect's target. */
      if (h->body != NULL && g_str_has_suffix (line, h->location))
        {
          send_json (h, out, h->body, strlen (h->body));
          break;
        }
      write_head (h, out, "HTTP/1.1 %u Moved\r\nLocation: %s\r\nContent-Length: 0\r\n"
                  "Connection: close\r\n\r\n", h->status, h->location);
      break;

    case SCENARIO_HUGE_LENGTH:
    case SCENARIO_HUGE_EOF:
      if (h->scenario == SCENARIO_HUGE_LENGTH)
        write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Content-Length: %" G_GUINT64_FORMAT "\r\nConnection: close\r\n\r\n", GIB2);
      else
        write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Connection: close\r\n\r\n");
      for (guint64 sent = 0; sent < GIB2; sent += sizeof block)
        if (!write_all (h, out, block, sizeof block, TRUE))
          break;
      break;

    case SCENARIO_ENDLESS_CHUNKED:
      if (!write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n"))
        break;
      while (write_head (h, out, "%zx\r\n", sizeof block)
             && write_all (h, out, block, sizeof block, TRUE)
             && write_head (h, out, "\r\n"))
        ;
      break;

    case SCENARIO_STALL:
      if (write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 1000\r\nConnection: close\r\n\r\n")
          && write_all (h, out, block, 100, TRUE))
        {
          g_output_stream_flush (out, NULL, NULL);
          wait_until_stopped (h);
        }
      break;

    case SCENARIO_SILENT:
      wait_until_stopped (h);
      break;

    case SCENARIO_NESTED:
      {
        gsize len;
        g_autofree char *body = nested_body (h->count, h->objects, &len);

        send_json (h, out, body, len);
      }
      break;

    case SCENARIO_ITEMS:
      {
        g_autoptr(GString) s = g_string_new ("{\"items\":[");

        for (guint i = 0; i < h->count; i++)
          g_string_append (s, i ? ",{}" : "{}");
        g_string_append (s, "],\"next_cursor\":null}");
        send_json (h, out, s->str, s->len);
      }
      break;

    case SCENARIO_SHOPIFY_NODES:
      {
        g_autoptr(GString) s = g_string_new (NULL);

        if (request_body == NULL || strstr (request_body, "CustomersChanged") == NULL)
          {
            const char *empty = "{\"data\":{}}";

            send_json (h, out, empty, strlen (empty));
            break;
          }
        g_string_append (s, "{\"data\":{\"customers\":{\"nodes\":[");
        if (h->nodes != NULL)
          g_string_append (s, h->nodes);
        for (guint i = 0; h->nodes == NULL && i < h->count; i++)
          g_string_append_printf (s, "%s{\"id\":\"gid://shopify/Customer/%u\"}", i ? "," : "",
                                  i + 1);
        g_string_append (s, "],\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}");
        send_json (h, out, s->str, s->len);
      }
      break;

    case SCENARIO_GZIP_ENDLESS:
      {
        g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
        g_autofree char *packed = g_malloc (sizeof block);

        if (!write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Encoding: gzip\r\nConnection: close\r\n\r\n"))
          break;
        /* Up to 16 GiB decoded, a few MiB on the wire: until the client hangs up. */
        for (guint64 fed = 0; fed < 8 * GIB2; )
          {
            gsize read = 0, written = 0;

            if (g_converter_convert (G_CONVERTER (zlib), block, sizeof block, packed, sizeof block,
                                     G_CONVERTER_NO_FLAGS, &read, &written, NULL)
                == G_CONVERTER_ERROR)
              break;
            fed += read;
            if (written > 0 && !write_all (h, out, packed, written, TRUE))
              break;
            if (stopped (h))
              break;
          }
      }
      break;

    case SCENARIO_ROUTES:
      {
        Route *route = NULL;

        g_mutex_lock (&h->lock);
        for (guint i = 0; i < h->routes->len && route == NULL; i++)
          {
            const char *request = ((Route *) h->routes->pdata[i])->request;

            if (g_str_equal (line, request)
                || (g_str_has_suffix (request, "?") && g_str_has_prefix (line, request)))
              route = h->routes->pdata[i];
          }
        g_mutex_unlock (&h->lock);
        if (route == NULL)
          {
            write_head (h, out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                        "Connection: close\r\n\r\n");
            break;
          }
        if (write_head (h, out, "HTTP/1.1 %u Canned\r\nContent-Type: application/json\r\n"
                        "%sContent-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                        route->status, route->headers ? route->headers : "",
                        g_bytes_get_size (route->body)))
          write_all (h, out, g_bytes_get_data (route->body, NULL), g_bytes_get_size (route->body),
                     TRUE);
      }
      break;

    case SCENARIO_ENDLESS_HEADER:
      if (!write_head (h, out, "HTTP/1.1 200 OK\r\nX-Padding: "))
        break;
      while (write_all (h, out, block, sizeof block, TRUE))
        ;
      break;

    case SCENARIO_SHOPIFY_BULK:
      if (g_str_has_prefix (line, "POST"))
        {
          g_autofree char *answer = NULL;

          if (strstr (request_body, "\"operationName\":\"BulkRun\"") != NULL)
            answer = g_strdup ("{\"data\":{\"bulkOperationRunQuery\":{\"bulkOperation\":"
                               "{\"id\":\"gid://shopify/BulkOperation/1\",\"status\":\"CREATED\"},"
                               "\"userErrors\":[]}}}");
          else if (strstr (request_body, "\"operationName\":\"BulkPoll\"") != NULL)
            answer = g_strdup_printf ("{\"data\":{\"bulkOperation\":{\"id\":"
                                      "\"gid://shopify/BulkOperation/1\",\"status\":\"COMPLETED\","
                                      "\"objectCount\":\"1\",\"url\":\"%s/bulk.jsonl\"}}}", h->url);
          else
            answer = g_strdup ("{\"data\":{\"customersCount\":{\"count\":5000}}}");
          send_json (h, out, answer, strlen (answer));
          break;
        }
      G_GNUC_FALLTHROUGH;
    case SCENARIO_ENDLESS_LINE:
      if (!write_head (h, out, "HTTP/1.1 200 OK\r\nContent-Type: application/jsonl\r\n"
                       "Connection: close\r\n\r\n"))
        break;
      while (write_all (h, out, block, sizeof block, TRUE))
        ;
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Reads one request: the head and a Content-Length body. */
static gboolean
read_request (GInputStream  *in,
              char         **out_line,
              char         **out_body)
{
  g_autoptr(GString) head = g_string_new (NULL);
  char c;
  gsize body_len = 0;
  g_auto(GStrv) lines = NULL;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (head->len > 64 * 1024 || g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        return FALSE;
      g_string_append_c (head, c);
    }

  lines = g_strsplit (head->str, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      body_len = g_ascii_strtoull (lines[i] + 15, NULL, 10);

  *out_body = g_malloc0 (body_len + 1);
  if (body_len > 0
      && !g_input_stream_read_all (in, *out_body, body_len, NULL, NULL, NULL))
    {
      g_clear_pointer (out_body, g_free);
      return FALSE;
    }
  /* "GET /path HTTP/1.1" → "GET /path" */
  *out_line = g_strdup (lines[0]);
  if (strrchr (*out_line, ' ') != NULL && strrchr (*out_line, ' ') != strchr (*out_line, ' '))
    *strrchr (*out_line, ' ') = '\0';
  return TRUE;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  Hostile *h = user_data;

  g_atomic_int_inc (&h->active);
  {
    g_autoptr(GIOStream) tls = NULL;
    GIOStream *io = G_IO_STREAM (connection);
    g_autofree char *line = NULL;
    g_autofree char *body = NULL;

    if (h->cert != NULL)
      {
        tls = g_tls_server_connection_new (io, h->cert, NULL);
        if (tls != NULL && !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
          g_clear_object (&tls);
        io = tls;
      }

    if (io != NULL && read_request (g_io_stream_get_input_stream (io), &line, &body))
      {
        g_mutex_lock (&h->lock);
        g_ptr_array_add (h->requests, g_strdup (line));
        g_ptr_array_add (h->bodies, g_strdup (body));
        g_mutex_unlock (&h->lock);

        serve (h, g_io_stream_get_output_stream (io), line, body);
        g_output_stream_flush (g_io_stream_get_output_stream (io), NULL, NULL);
      }
    if (io != NULL)
      g_io_stream_close (io, NULL, NULL);
  }
  g_atomic_int_add (&h->active, -1);
  return TRUE;
}

static void
hostile_closure_notify (gpointer  data,
                        GClosure *closure)
{
  hostile_unref (data);
}

Hostile *
hostile_new (Scenario scenario,
             gboolean tls)
{
  Hostile *h = g_atomic_rc_box_new0 (Hostile);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&h->lock);
  h->requests = g_ptr_array_new_with_free_func (g_free);
  h->bodies = g_ptr_array_new_with_free_func (g_free);
  h->routes = g_ptr_array_new_with_free_func (route_free);
  h->scenario = scenario;
  if (tls)
    {
      g_autofree char *pem = make_test_cert_pem ();

      g_assert_nonnull (pem);
      h->cert = g_tls_certificate_new_from_pem (pem, -1, &error);
      g_assert_no_error (error);
    }

  h->service = g_threaded_socket_service_new (16);
  g_socket_listener_add_address (G_SOCKET_LISTENER (h->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  h->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  h->url = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", h->port);
  g_signal_connect_data (h->service, "run", G_CALLBACK (on_run), g_atomic_rc_box_acquire (h),
                         hostile_closure_notify, 0);
  g_socket_service_start (h->service);
  return h;
}

void
hostile_free (Hostile *h)
{
  GSocketService *service = h->service;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_atomic_int_set (&h->stop, 1);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));

  /* Let every serving thread finish and the service go away before the
   * next test: nothing may be left running (or look leaked) at exit. */
  while (g_atomic_int_get (&h->active) > 0 && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_object_add_weak_pointer (G_OBJECT (service), (gpointer *) &service);
  h->service = NULL;
  g_object_unref (service);
  while (service != NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (service);
  hostile_unref (h);
}

guint
hostile_request_count (Hostile *h)
{
  guint n;

  g_mutex_lock (&h->lock);
  n = h->requests->len;
  g_mutex_unlock (&h->lock);
  return n;
}

/* Adds a canned answer (SCENARIO_ROUTES); `body` of `len` bytes, -1: a string. */
void
hostile_route (Hostile    *h,
               const char *request,
               guint       status,
               const char *headers,
               const char *body,
               gssize      len)
{
  Route *r = g_new0 (Route, 1);

  r->request = g_strdup (request);
  r->status = status;
  r->headers = g_strdup (headers);
  r->body = g_bytes_new (body ? body : "", body ? (len < 0 ? strlen (body) : (gsize) len) : 0);
  g_mutex_lock (&h->lock);
  g_ptr_array_add (h->routes, r);
  g_mutex_unlock (&h->lock);
}

/* The request line and body of request `i` (copies). */
char *
hostile_request (Hostile *h,
                 guint    i,
                 char   **out_body)
{
  char *line = NULL;

  g_mutex_lock (&h->lock);
  if (i < h->requests->len)
    {
      line = g_strdup (h->requests->pdata[i]);
      if (out_body != NULL)
        *out_body = g_strdup (h->bodies->pdata[i]);
    }
  g_mutex_unlock (&h->lock);
  return line;
}

guint64
hostile_written (Hostile *h)
{
  guint64 n;

  g_mutex_lock (&h->lock);
  n = h->written;
  g_mutex_unlock (&h->lock);
  return n;
}

/* Memory of this process (kB) from /proc/self/status; 0 when unknown. */
guint64
proc_status_kb (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  line = strstr (text, field);
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

/* ---- Client side ---- */

typedef struct {
  char *method;
  char *url;
  char *body;
} Request;

static void
request_free (gpointer data)
{
  Request *r = data;

  g_free (r->method);
  g_free (r->url);
  g_free (r->body);
  g_free (r);
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;   /* the test's own self-signed certificate */
}

static SoupMessage *
build_request (gpointer user_data)
{
  Request *r = user_data;
  SoupMessage *msg = soup_message_new (r->method, r->url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", "Bearer " TOKEN);
  if (r->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (r->body, strlen (r->body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  return msg;
}

void
short_options (TdmHttpOptions *options)
{
  tdm_http_options_init (options);
  options->max_retries = 0;
  options->timeout_seconds = 10;
  options->connect_timeout = 5;
}

/* Sends through tdm_http_send_async; returns the body, the elapsed time. */
GBytes *
send_request (const TdmHttpOptions  *options,
              const char            *method,
              const char            *url,
              const char            *body,
              SoupMessage          **out_msg,
              gint64                *out_elapsed_us,
              GError               **error)
{
  g_autoptr(SoupSession) session = tdm_http_session_new (options, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  Request *r = g_new0 (Request, 1);
  gint64 start = g_get_monotonic_time ();
  GBytes *bytes;

  r->method = g_strdup (method);
  r->url = g_strdup (url);
  r->body = g_strdup (body);
  tdm_http_send_async (session, options, build_request, r, request_free, NULL,
                       tdm_test_keep_result_cb, &result);
  bytes = tdm_http_send_finish (tdm_test_wait_result (&result, 90), out_msg, error);
  if (out_elapsed_us != NULL)
    *out_elapsed_us = g_get_monotonic_time () - start;
  return bytes;
}

void
assert_message_contains (const GError *error,
                         const char   *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” is not in the message “%s”", part, error->message);
  g_assert_null (strstr (error->message, TOKEN));
}
