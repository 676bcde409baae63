/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Injected faults (see TdmFakeShopifyFault) and how answers are sent: a
 * fault either fails the request before it runs (500, 502, 503, 429), or
 * lets it run and then loses the answer: the connection reset, a body
 * shorter than its Content-Length, JSON that does not parse, or an answer
 * held back past the client's timeout. */

TdmFakeShopifyFault
_tdm_fake_shopify_take_fault (TdmFakeShopify *self)
{
  gpointer key = GSIZE_TO_POINTER (self->request_total);
  TdmFakeShopifyFault fault = GPOINTER_TO_INT (g_hash_table_lookup (self->faults, key));

  g_hash_table_remove (self->faults, key);
  return fault;
}

gboolean
_tdm_fake_shopify_fails_before_run (TdmFakeShopifyFault  fault,
                                    SoupServerMessage   *msg,
                                    guint               *status)
{
  g_assert (status != NULL);

  if (fault < TDM_FAKE_SHOPIFY_FAULT_500 || fault > TDM_FAKE_SHOPIFY_FAULT_429)
    return FALSE;
  *status = fault == TDM_FAKE_SHOPIFY_FAULT_500 ? 500 : fault == TDM_FAKE_SHOPIFY_FAULT_502 ? 502
            : fault == TDM_FAKE_SHOPIFY_FAULT_503 ? 503 : 429;
  if (*status == 429)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", "1");
  return TRUE;
}

void
_tdm_fake_shopify_respond (SoupServerMessage *msg,
                           guint              status,
                           const char        *body)
{
  g_autoptr(GDateTime) now = _tdm_fake_shopify_now ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  g_assert (body != NULL);

  /* The Date of the fake's own clock, as Shopify's answers carry its own. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* ---- Lost answers ---- */

/* Closes the connection without an answer, or (truncated) after the head
 * and half of `body` with a Content-Length 100 bytes longer. */
static void
drop_connection (SoupServerMessage *msg,
                 const char        *body,
                 gboolean           truncated)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  if (truncated)
    {
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                               "Content-Type: application/json\r\n"
                                               "Content-Length: %zu\r\n"
                                               "Connection: close\r\n\r\n",
                                               strlen (body) + 100);
      GOutputStream *out = g_io_stream_get_output_stream (stream);

      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, body, strlen (body) / 2, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
    }
  g_io_stream_close (stream, NULL, NULL);
}

/* ---- Delayed answers ---- */

typedef struct {
  TdmFakeShopify    *self;
  SoupServerMessage *msg;
  char              *body;
  guint              status;
  gboolean           finished;   /* the client went away first */
} Delayed;

static void
on_delayed_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Delayed *d = user_data;

  g_assert (d != NULL && d->msg == msg);

  d->finished = TRUE;
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Delayed *d = user_data;

  g_assert (d != NULL && SOUP_IS_SERVER_MESSAGE (d->msg));

  g_signal_handlers_disconnect_by_func (d->msg, on_delayed_finished, d);
  if (!d->finished)
    {
      _tdm_fake_shopify_respond (d->msg, d->status, d->body);
      soup_server_message_unpause (d->msg);
    }
  g_object_unref (d->msg);
  g_object_unref (d->self);
  g_free (d->body);
  g_free (d);
  return G_SOURCE_REMOVE;
}

/* Holds the answer back for the fault delay. */
static void
delay_answer (TdmFakeShopify    *self,
              SoupServerMessage *msg,
              guint              status,
              const char        *body)
{
  Delayed *d = g_new0 (Delayed, 1);

  d->msg = g_object_ref (msg);
  d->self = g_object_ref (self);
  d->body = g_strdup (body);
  d->status = status;
  g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), d);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_finished), d);
  soup_server_message_pause (msg);
  g_timeout_add (self->fault_delay_ms, on_delay_done_cb, d);
}

void
_tdm_fake_shopify_deliver (TdmFakeShopify      *self,
                           SoupServerMessage   *msg,
                           guint                status,
                           const char          *body,
                           TdmFakeShopifyFault  fault)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (body != NULL);

  switch (fault)
    {
    case TDM_FAKE_SHOPIFY_FAULT_RESET:
    case TDM_FAKE_SHOPIFY_FAULT_TRUNCATED:
      drop_connection (msg, body, fault == TDM_FAKE_SHOPIFY_FAULT_TRUNCATED);
      return;
    case TDM_FAKE_SHOPIFY_FAULT_MALFORMED:
      _tdm_fake_shopify_respond (msg, 200, "{\"data\": {\"oops\": [1, 2,, ]");
      return;
    case TDM_FAKE_SHOPIFY_FAULT_DELAY:
      delay_answer (self, msg, status, body);
      return;
    case TDM_FAKE_SHOPIFY_FAULT_NONE:
    case TDM_FAKE_SHOPIFY_FAULT_500:
    case TDM_FAKE_SHOPIFY_FAULT_502:
    case TDM_FAKE_SHOPIFY_FAULT_503:
    case TDM_FAKE_SHOPIFY_FAULT_429:
    default:
      _tdm_fake_shopify_respond (msg, status, body);
      return;
    }
}
