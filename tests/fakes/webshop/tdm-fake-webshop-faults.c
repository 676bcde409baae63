/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* What stands between a request and its answer: credentials, the rate cap
 * (429 + Retry-After), and injected faults (server errors, resets,
 * truncated or malformed bodies, delays) (docs/webshop-api.md,
 * Authentication and Rate limits). */

/* ---- Credentials and the rate cap ---- */

gboolean
_tdm_fake_webshop_check_auth (TdmFakeWebshop    *self,
                              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;
  const char *got = authorization;

  switch (self->auth)
    {
    case TDM_WEBSHOP_AUTH_PROFILE:
      return TRUE;
    case TDM_WEBSHOP_AUTH_BEARER:
      expected = g_strdup_printf ("Bearer %s", self->secret);
      break;
    case TDM_WEBSHOP_AUTH_BASIC:
      {
        g_autofree char *b64 = g_base64_encode ((const guchar *) self->secret,
                                                strlen (self->secret));

        expected = g_strdup_printf ("Basic %s", b64);
      }
      break;
    case TDM_WEBSHOP_AUTH_HEADER:
      expected = g_strdup (self->secret);
      got = soup_message_headers_get_one (headers, self->profile->auth_header);
      break;
    default:
      g_assert_not_reached ();
    }

  if (got != NULL && g_str_equal (got, expected))
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate",
                                self->auth == TDM_WEBSHOP_AUTH_BASIC ? "Basic realm=\"shop\""
                                                                     : "Bearer");
  _tdm_fake_webshop_respond_error (msg, 401, "unauthorized", "Missing or invalid credentials.",
                                   NULL, NULL);
  return FALSE;
}

gboolean
_tdm_fake_webshop_check_rate (TdmFakeWebshop    *self,
                              SoupServerMessage *msg)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *retry = NULL;

  if (self->rate_rps == 0)
    return TRUE;
  while (!g_queue_is_empty (&self->rate_times)
         && now - *(gint64 *) g_queue_peek_head (&self->rate_times) >= G_USEC_PER_SEC)
    g_free (g_queue_pop_head (&self->rate_times));
  if (g_queue_get_length (&self->rate_times) < self->rate_rps)
    {
      g_queue_push_tail (&self->rate_times, g_memdup2 (&now, sizeof now));
      return TRUE;
    }
  retry = g_strdup_printf ("%u", self->rate_retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                retry);
  _tdm_fake_webshop_respond_error (msg, 429, "rate_limited", "Too many requests.", NULL, NULL);
  return FALSE;
}

/* ---- Faults ---- */

TdmFakeFault
_tdm_fake_webshop_take_fault (TdmFakeWebshop *self,
                              guint          *out_param)
{
  FaultSpec *spec = g_queue_peek_head (&self->faults);
  TdmFakeFault fault;

  if (spec == NULL)
    return TDM_FAKE_FAULT_NONE;
  if (spec->skip > 0)
    {
      spec->skip--;
      return TDM_FAKE_FAULT_NONE;
    }
  fault = spec->fault;
  *out_param = spec->param;
  if (--spec->times == 0)
    g_free (g_queue_pop_head (&self->faults));
  return fault;
}

void
_tdm_fake_webshop_write_raw_and_close (SoupServerMessage *msg,
                                       const char        *raw)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  if (raw != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw),
                               NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

typedef struct {
  TdmFakeWebshop    *self;
  SoupServerMessage *msg;
  guint              source_id;
  gboolean           disconnected;
} Delayed;

static void
on_delayed_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  Delayed *delayed = user_data;

  delayed->disconnected = TRUE;
}

void
_tdm_fake_webshop_delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

/* Ends every wait (the server goes away): the answers are never sent. */
void
_tdm_fake_webshop_stop_delayed (TdmFakeWebshop *self)
{
  g_assert (TDM_IS_FAKE_WEBSHOP (self));

  for (guint i = 0; self->delayed != NULL && i < self->delayed->len; i++)
    {
      Delayed *delayed = self->delayed->pdata[i];

      g_clear_handle_id (&delayed->source_id, g_source_remove);
    }
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  /* The client may have given up (its timeout) and closed the connection. */
  if (!delayed->disconnected)
    soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove (delayed->self->delayed, delayed);
  return G_SOURCE_REMOVE;
}

void
_tdm_fake_webshop_delay_answer (TdmFakeWebshop    *self,
                                SoupServerMessage *msg,
                                guint              ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_disconnected), delayed);
  soup_server_message_pause (msg);
  delayed->source_id = g_timeout_add (ms, on_delay_done_cb, delayed);
  g_ptr_array_add (self->delayed, delayed);
}

/* Faults answered without looking at the request. TRUE when answered. */
gboolean
_tdm_fake_webshop_serve_fault (SoupServerMessage *msg,
                               TdmFakeFault       fault,
                               guint              param)
{
  TdmFakeRequest *entry = _tdm_fake_webshop_current_entry (msg);

  switch (fault)
    {
    case TDM_FAKE_FAULT_500:
    case TDM_FAKE_FAULT_502:
    case TDM_FAKE_FAULT_503:
      {
        guint status = fault == TDM_FAKE_FAULT_500 ? 500 : fault == TDM_FAKE_FAULT_502 ? 502 : 503;

        if (status == 502)
          _tdm_fake_webshop_respond_text (msg, status, "text/html",
                                          g_strdup ("<html><body>Bad gateway</body></html>"));
        else
          _tdm_fake_webshop_respond_error (msg, status, "server_error", "Injected server error.",
                                           NULL, NULL);
      }
      return TRUE;
    case TDM_FAKE_FAULT_429:
      {
        g_autofree char *retry = g_strdup_printf ("%u", param);

        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", retry);
        _tdm_fake_webshop_respond_error (msg, 429, "rate_limited", "Too many requests.", NULL,
                                         NULL);
      }
      return TRUE;
    case TDM_FAKE_FAULT_RESET:
      if (param == 1)
        return FALSE;  /* carried out first, then dropped by the caller */
      entry->status = 0;
      _tdm_fake_webshop_write_raw_and_close (msg, NULL);
      return TRUE;
    case TDM_FAKE_FAULT_TRUNCATED:
      entry->status = 200;
      _tdm_fake_webshop_write_raw_and_close (msg,
                                             "HTTP/1.1 200 OK\r\n"
                                             "Content-Type: application/json\r\n"
                                             "Content-Length: 4096\r\nConnection: close\r\n\r\n"
                                             "{\"items\": [{\"id\": \"1\", \"email\":");
      return TRUE;
    case TDM_FAKE_FAULT_MALFORMED_JSON:
      _tdm_fake_webshop_respond_text (msg, 200, "application/json",
                                      g_strdup ("{\"items\": [{\"id\": \"1\", \"email\": }, ]"));
      return TRUE;
    case TDM_FAKE_FAULT_NONE:
    case TDM_FAKE_FAULT_DELAY:
    default:
      return FALSE;
    }
}
