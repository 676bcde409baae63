/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"
#include "tdm-json-text.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* The HTTP layer shared by both connectors: options, and sending one
 * request with bounded retries, a deadline for connecting and for the
 * whole answer, the body cap, and redirects decided here. The other jobs
 * live in tdm-http-*.c (see tdm-http-private.h); how the connectors use it
 * is in docs/architecture.md. */

#define READ_CHUNK (64 * 1024)

/* ---- Options ---- */

void
tdm_http_options_init (TdmHttpOptions *options)
{
  g_return_if_fail (options != NULL);

  options->timeout_seconds = 30;
  options->connect_timeout = 10;
  options->max_retries = 4;
  options->base_delay_ms = 500;
  options->max_delay_ms = 30000;
  options->max_body_bytes = 64 * 1024 * 1024;
}

const TdmHttpOptions *
_tdm_http_options_or_default (const TdmHttpOptions *options,
                              TdmHttpOptions       *storage)
{
  g_assert (storage != NULL);

  if (options != NULL)
    return options;
  tdm_http_options_init (storage);
  return storage;
}

/* ---- One request's state ---- */

/* The task data of tdm_http_send_async. An attempt is one message sent and
 * its body read; a redirect followed or a retry starts the next one. */
typedef struct {
  SoupSession      *session;
  TdmHttpOptions    options;
  TdmHttpBuildFunc  build;
  gpointer          build_data;
  GDestroyNotify    build_data_free;

  guint             attempt;
  SoupMessage      *msg;
  GInputStream     *stream;
  GByteArray       *buffer;
  GCancellable     *attempt_cancellable;
  gulong            cancel_handler;
  guint             deadline_id;
  guint             connect_id;
  gboolean          timed_out;
  gboolean          connect_timed_out;
  gboolean          restarted;      /* libsoup meant to resend the attempt by itself */
  guint             wait_id;        /* a retry's wait; the source holds a task reference */
  GSource          *wait_cancel_source;  /* the same, ended early by the user's cancellable */
  guint             redirects;      /* hops followed so far */
  GUri             *redirect_uri;   /* where the next attempt goes, NULL: build's URL */
} SendState;

static void start_attempt (GTask *task);

/* Ends the current attempt: its timers, its cancellable, its stream. */
static void
clear_attempt (SendState    *state,
               GCancellable *user_cancellable)
{
  g_assert (state != NULL);

  g_clear_handle_id (&state->deadline_id, g_source_remove);
  g_clear_handle_id (&state->connect_id, g_source_remove);
  if (state->cancel_handler != 0 && user_cancellable != NULL)
    g_cancellable_disconnect (user_cancellable, state->cancel_handler);
  state->cancel_handler = 0;
  g_clear_object (&state->attempt_cancellable);
  if (state->stream != NULL)
    g_input_stream_close_async (state->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&state->stream);
  g_clear_pointer (&state->buffer, g_byte_array_unref);
}

/* Ends a retry's wait: both of its sources (and their task references). */
static void
stop_waiting (SendState *state)
{
  g_assert (state != NULL);

  g_clear_handle_id (&state->wait_id, g_source_remove);
  if (state->wait_cancel_source != NULL)
    {
      g_source_destroy (state->wait_cancel_source);
      g_clear_pointer (&state->wait_cancel_source, g_source_unref);
    }
}

static void
send_state_free (gpointer data)
{
  SendState *state = data;

  g_clear_handle_id (&state->deadline_id, g_source_remove);
  g_clear_handle_id (&state->connect_id, g_source_remove);
  stop_waiting (state);
  g_clear_object (&state->attempt_cancellable);
  g_clear_object (&state->stream);
  g_clear_pointer (&state->buffer, g_byte_array_unref);
  if (state->msg != NULL)
    g_signal_handlers_disconnect_by_data (state->msg, state);
  g_clear_object (&state->msg);
  if (state->build_data_free != NULL)
    state->build_data_free (state->build_data);
  g_clear_pointer (&state->redirect_uri, g_uri_unref);
  g_clear_object (&state->session);
  g_free (state);
}

/* ---- Errors in the owner's words ---- */

/* Our own deadlines cancel the attempt: say which one passed. */
static GError *
new_timeout_error (SendState *state)
{
  const char *host = _tdm_http_message_host (state->msg);

  g_assert (state != NULL);

  if (state->connect_timed_out)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        _("No connection could be made to %s within %u seconds. "
                          "Check the address and your network connection."),
                        host, state->options.connect_timeout);
  if (state->stream != NULL && state->buffer != NULL)
    {
      g_autofree char *size = g_format_size (state->buffer->len);

      /* Headers came, then the body stalled. */
      return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                          _("The answer from %s stopped arriving after %s and was not "
                            "complete within %u seconds. Tandem will try again later."),
                          host, size, state->options.timeout_seconds);
    }
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      _("The server at %s did not answer within %u seconds. "
                        "Tandem will try again later."),
                      host, state->options.timeout_seconds);
}

/* Turn our own timers' cancellation into a timeout error that says what
 * happened, and a resend we stopped (on_msg_restarted) into a dropped
 * connection; pass a user cancellation through. libsoup's own words for a
 * broken answer ("Header too big", "Could not parse HTTP response") do not
 * say which server: add it. Takes `error`. */
static GError *
adjust_error (GTask   *task,
              GError  *error)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);
  const char *host = _tdm_http_message_host (state->msg);
  GError *clear;

  g_assert (state != NULL);
  g_assert (error != NULL);

  if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
       || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
      && !(user != NULL && g_cancellable_is_cancelled (user)))
    clear = state->restarted
            ? g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           _("The connection to %s was closed before an answer came. "
                             "Tandem will try again later."),
                           host)
            : new_timeout_error (state);
  else if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
            || g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING))
           && strstr (error->message, host) == NULL)
    clear = g_error_new (error->domain, error->code,
                         _("The answer from %s was broken or incomplete (%s). "
                           "Tandem will try again later."),
                         host, error->message);
  else
    return error;
  g_error_free (error);
  return clear;
}

static GError *
new_too_large_error (SendState *state)
{
  g_autofree char *size = g_format_size (state->options.max_body_bytes);

  g_assert (state != NULL);

  return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                      _("The answer from %s is larger than %s and was cut off. Lower the page "
                        "size in the profile or check the server."),
                      _tdm_http_message_host (state->msg), size);
}

/* ---- Retrying ---- */

/* The wait is over: the next attempt. The source holds a task reference. */
static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendState *state = g_task_get_task_data (task);

  g_assert (state != NULL);
  g_assert (state->wait_id != 0);

  state->wait_id = 0;
  stop_waiting (state);
  state->attempt++;
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

/* Cancelled while waiting. The source holds a task reference. */
static gboolean
on_wait_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  SendState *state = g_task_get_task_data (task);

  g_assert (state != NULL);

  stop_waiting (state);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           _("The operation was cancelled."));
  return G_SOURCE_REMOVE;
}

/* Waits `delay_ms`, then starts the next attempt; the user's cancellable
 * ends the wait. Each of the two sources holds its own task reference. */
static void
schedule_retry (GTask *task,
                guint  delay_ms)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (state != NULL);
  g_assert (state->wait_id == 0 && state->wait_cancel_source == NULL);

  g_debug ("%s: retrying %s in %u ms (attempt %u of %u).", G_STRFUNC,
           _tdm_http_message_host (state->msg), delay_ms, state->attempt + 2,
           state->options.max_retries + 1);

  state->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, on_wait_timeout_cb,
                                       g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    {
      state->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (state->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (state->wait_cancel_source, g_main_context_get_thread_default ());
    }
}

/* Retries a transient failure while attempts are left, else returns it.
 * Takes `error`. */
static void
finish_with_error (GTask  *task,
                   GError *error)
{
  SendState *state = g_task_get_task_data (task);

  g_assert (state != NULL);
  g_assert (error != NULL);

  error = adjust_error (task, error);
  clear_attempt (state, g_task_get_cancellable (task));

  if (tdm_http_error_is_transient (error) && state->attempt < state->options.max_retries)
    {
      g_debug ("%s: transient failure: %s", G_STRFUNC, error->message);
      g_error_free (error);
      schedule_retry (task, tdm_http_backoff_delay_ms (&state->options, state->attempt, NULL));
      return;
    }

  g_task_return_error (task, error);
}

/* A failure the same request would meet again: no retries. Takes `error`. */
static void
finish_without_retry (GTask  *task,
                      GError *error)
{
  SendState *state = g_task_get_task_data (task);

  g_assert (state != NULL);

  state->attempt = state->options.max_retries;
  finish_with_error (task, error);
}

/* ---- The body ---- */

/* Does the body claim to be JSON, or look like it? Only then is its nesting
 * checked: an HTML error page may hold unbalanced quotes. */
static gboolean
body_looks_like_json (SoupMessage *msg,
                      GBytes      *bytes)
{
  const char *type = soup_message_headers_get_content_type (
      soup_message_get_response_headers (msg), NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert (SOUP_IS_MESSAGE (msg));

  if (type != NULL && strstr (type, "json") != NULL)
    return TRUE;
  for (gsize i = 0; data != NULL && i < len; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[';
    }
  return FALSE;
}

/* A JSON body nested too deep is refused; in one that is not, NULs and
 * broken text in strings become marks that the record readers refuse
 * (tdm-json-text.h): never a truncated string. Takes `bytes`; returns the
 * body to hand out, or NULL with an error. */
static GBytes *
check_and_mark_json (SendState  *state,
                     GBytes     *bytes,
                     GError    **error)
{
  g_autoptr(GBytes) body = bytes;

  g_assert (state != NULL && SOUP_IS_MESSAGE (state->msg));

  if (!body_looks_like_json (state->msg, body))
    return g_steal_pointer (&body);
  if (!tdm_http_check_json_depth (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  TDM_HTTP_MAX_JSON_DEPTH, _tdm_http_message_host (state->msg),
                                  error))
    return NULL;
  return tdm_json_text_mark (body);
}

/* For a transient status (429, most 5xx): how long to wait before the next
 * attempt, in *out_delay_ms. FALSE when the answer is to be returned as it
 * is: not transient, no attempts left, or a Retry-After longer than our cap
 * (left to the scheduler). */
static gboolean
retry_delay_for_status (SendState *state,
                        guint     *out_delay_ms)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (state->msg);
  gint64 retry_after;

  g_assert (state != NULL);
  g_assert (out_delay_ms != NULL);

  if (!_tdm_http_status_is_transient (soup_message_get_status (state->msg))
      || state->attempt >= state->options.max_retries)
    return FALSE;
  retry_after = tdm_http_parse_retry_after (soup_message_headers_get_one (headers,
                                                                          "Retry-After"),
                                            NULL);
  if (retry_after < 0)
    {
      *out_delay_ms = tdm_http_backoff_delay_ms (&state->options, state->attempt, NULL);
      return TRUE;
    }
  if (retry_after * 1000 > (gint64) state->options.max_delay_ms)
    return FALSE;
  *out_delay_ms = (guint) (retry_after * 1000);
  return TRUE;
}

/* The whole body is in: returned, or retried when its status says so. */
static void
finish_with_body (GTask *task)
{
  SendState *state = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  guint delay_ms;

  g_assert (state != NULL && state->buffer != NULL);

  bytes = check_and_mark_json (state, g_byte_array_free_to_bytes (g_steal_pointer (&state->buffer)),
                               &error);
  if (bytes == NULL)
    {
      /* Not transient: the same answer would come again. */
      finish_without_retry (task, error);
      return;
    }

  clear_attempt (state, g_task_get_cancellable (task));
  if (retry_delay_for_status (state, &delay_ms))
    {
      schedule_retry (task, delay_ms);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

/* libsoup reports a connection closed early as a normal end of the body;
 * with an unencoded body the declared length tells. */
static gboolean
check_body_complete (SendState  *state,
                     GError    **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (state->msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  goffset expected = soup_message_headers_get_content_length (headers);

  g_assert (state->buffer != NULL);

  if ((encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
      && expected > 0 && (goffset) state->buffer->len < expected)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The answer from %s was cut off after %u of %lld bytes."),
                   _tdm_http_message_host (state->msg), state->buffer->len,
                   (long long) expected);
      return FALSE;
    }
  return TRUE;
}

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  g_assert (state != NULL && state->buffer != NULL);

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      finish_with_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      if (!check_body_complete (state, &error))
        finish_with_error (task, error);
      else
        finish_with_body (task);
      return;
    }

  if (state->buffer->len + g_bytes_get_size (chunk) > state->options.max_body_bytes)
    {
      /* Not transient: do not retry a body that will be just as large. */
      finish_without_retry (task, new_too_large_error (state));
      return;
    }

  g_byte_array_append (state->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (state->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   state->attempt_cancellable, on_read_cb,
                                   g_steal_pointer (&task));
}

/* ---- The headers ---- */

/* A redirect the policy allows (tdm-http-url.c) is the next attempt, to the
 * new address; any other is a failure without retries. */
static void
follow_redirect (GTask *task)
{
  SendState *state = g_task_get_task_data (task);
  GUri *target = NULL;
  GError *error = NULL;

  g_assert (state != NULL);

  if (!_tdm_http_check_redirect (state->msg, state->redirects, &target, &error))
    {
      /* A policy answer, not a transient failure: no retries. */
      finish_without_retry (task, error);
      return;
    }
  g_debug ("%s: following a redirect from %s (hop %u).", G_STRFUNC,
           _tdm_http_message_host (state->msg), state->redirects + 1);
  state->redirects++;
  g_clear_pointer (&state->redirect_uri, g_uri_unref);
  state->redirect_uri = target;
  clear_attempt (state, g_task_get_cancellable (task));
  start_attempt (task);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendState *state = g_task_get_task_data (task);
  GError *error = NULL;
  GInputStream *stream;
  goffset length;

  g_assert (state != NULL && state->stream == NULL);

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  g_clear_handle_id (&state->connect_id, g_source_remove);
  if (stream == NULL)
    {
      finish_with_error (task, error);
      return;
    }
  state->stream = stream;
  state->buffer = g_byte_array_new ();

  if (_tdm_http_is_redirect_status (soup_message_get_status (state->msg)))
    {
      follow_redirect (task);
      return;
    }

  length = soup_message_headers_get_content_length (
      soup_message_get_response_headers (state->msg));
  if (length > 0 && (guint64) length > state->options.max_body_bytes)
    {
      finish_without_retry (task, new_too_large_error (state));
      return;
    }

  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   state->attempt_cancellable, on_read_cb,
                                   g_steal_pointer (&task));
}

/* ---- An attempt ---- */

static gboolean
on_deadline_cb (gpointer user_data)
{
  SendState *state = user_data;

  g_assert (state != NULL && state->attempt_cancellable != NULL);

  state->deadline_id = 0;
  state->timed_out = TRUE;
  g_cancellable_cancel (state->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_deadline_cb (gpointer user_data)
{
  SendState *state = user_data;

  g_assert (state != NULL && state->attempt_cancellable != NULL);

  state->connect_id = 0;
  state->connect_timed_out = TRUE;
  g_cancellable_cancel (state->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_msg_connected (SoupMessage *msg,
                  gpointer     user_data)
{
  SendState *state = user_data;

  g_assert (state != NULL);

  g_clear_handle_id (&state->connect_id, g_source_remove);
}

static void
on_msg_network_event (SoupMessage        *msg,
                      GSocketClientEvent  event,
                      GIOStream          *connection,
                      gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    on_msg_connected (msg, user_data);
}

/* libsoup resends a PUT, DELETE or GET by itself, at once, when a kept-alive
 * connection closes before any answer, and it sends the PUT without its
 * body, which it has already used up (the body would have to be set
 * again). Tandem does not let it: the attempt ends as a dropped
 * connection, and the retry, after the back-off, is a message built afresh
 * from the stored request, identical to the first (docs/webshop-api.md,
 * Errors). */
static void
on_msg_restarted (SoupMessage *msg,
                  gpointer     user_data)
{
  SendState *state = user_data;

  g_assert (state != NULL && state->msg == msg);

  if (state->attempt_cancellable == NULL || state->restarted)
    return;
  g_debug ("%s: the connection to %s closed before an answer; not resent at once.",
           G_STRFUNC, _tdm_http_message_host (msg));
  state->restarted = TRUE;
  g_cancellable_cancel (state->attempt_cancellable);
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt = user_data;

  g_assert (G_IS_CANCELLABLE (attempt));

  g_cancellable_cancel (attempt);
}

/* A fresh message from `build` (messages cannot be re-sent), sent to the
 * redirect's target when one is followed. FALSE when it could not be built. */
static gboolean
build_attempt_message (SendState *state)
{
  g_assert (state != NULL && state->build != NULL);

  if (state->msg != NULL)
    g_signal_handlers_disconnect_by_data (state->msg, state);
  g_clear_object (&state->msg);
  state->msg = state->build (state->build_data);
  if (state->msg == NULL)
    return FALSE;

  /* Redirects are decided in on_sent_cb, never by libsoup. */
  soup_message_add_flags (state->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (state->redirect_uri != NULL)
    soup_message_set_uri (state->msg, state->redirect_uri);
  return TRUE;
}

/* The attempt's own cancellable (the user's cancels it too) and its two
 * deadlines: connecting, and the whole answer. */
static void
arm_attempt (SendState    *state,
             GCancellable *user)
{
  g_assert (state != NULL && SOUP_IS_MESSAGE (state->msg));
  g_assert (state->attempt_cancellable == NULL);

  state->timed_out = FALSE;
  state->connect_timed_out = FALSE;
  state->restarted = FALSE;
  state->attempt_cancellable = g_cancellable_new ();
  if (user != NULL)
    state->cancel_handler = g_cancellable_connect (user, G_CALLBACK (on_user_cancelled),
                                                   g_object_ref (state->attempt_cancellable),
                                                   g_object_unref);

  if (state->options.timeout_seconds > 0)
    state->deadline_id = g_timeout_add_seconds (state->options.timeout_seconds,
                                                on_deadline_cb, state);
  if (state->options.connect_timeout > 0)
    state->connect_id = g_timeout_add_seconds (state->options.connect_timeout,
                                               on_connect_deadline_cb, state);
  g_signal_connect (state->msg, "network-event", G_CALLBACK (on_msg_network_event), state);
  g_signal_connect (state->msg, "wrote-headers", G_CALLBACK (on_msg_connected), state);
  g_signal_connect (state->msg, "restarted", G_CALLBACK (on_msg_restarted), state);
}

static void
start_attempt (GTask *task)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);

  g_assert (state != NULL);

  if (user != NULL && g_cancellable_is_cancelled (user))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The operation was cancelled."));
      return;
    }
  if (!build_attempt_message (state))
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_FAILED, "%s",
                               _("The request could not be prepared."));
      return;
    }
  arm_attempt (state, user);
  soup_session_send_async (state->session, state->msg, G_PRIORITY_DEFAULT,
                           state->attempt_cancellable, on_sent_cb, g_object_ref (task));
}

/* ---- Sending ---- */

void
tdm_http_send_async (SoupSession          *session,
                     const TdmHttpOptions *options,
                     TdmHttpBuildFunc      build,
                     gpointer              build_data,
                     GDestroyNotify        build_data_free,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SendState *state;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (build != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_http_send_async);
  g_task_set_name (task, "tdm_http_send_async");

  state = g_new0 (SendState, 1);
  state->session = g_object_ref (session);
  if (options != NULL)
    state->options = *options;
  else
    tdm_http_options_init (&state->options);
  state->build = build;
  state->build_data = build_data;
  state->build_data_free = build_data_free;
  g_task_set_task_data (task, state, send_state_free);

  start_attempt (task);
}

GBytes *
tdm_http_send_finish (GAsyncResult  *result,
                      SoupMessage  **out_message,
                      GError       **error)
{
  SendState *state;

  /* The source object is the session, which the caller does not pass:
   * the source tag tells that this is our task. */
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tdm_http_send_async, NULL);

  state = g_task_get_task_data (G_TASK (result));
  if (out_message != NULL)
    *out_message = state->msg ? g_object_ref (state->msg) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
