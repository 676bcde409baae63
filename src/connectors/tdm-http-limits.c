/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

#include <glib/gi18n-lib.h>

/* Limits on what a broken or hostile server can make Tandem hold: JSON
 * nested too deep for json-glib's recursive parser, and lines too long for
 * a line-by-line reader (docs/webshop-api.md, Transport and security). */

/* ---- JSON nesting ---- */

gboolean
tdm_http_check_json_depth (const char  *data,
                           gsize        length,
                           guint        max_depth,
                           const char  *host,
                           GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; data != NULL && i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              if (host != NULL)
                g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("The answer from %s is nested more than %u levels deep, which "
                               "no shop sends. Tandem refused it; check that the address points "
                               "to the right server."), host, max_depth);
              else
                g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("The data is nested more than %u levels deep, which no shop "
                               "sends. Tandem refused it."), max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* ---- Line length ---- */

#define TDM_TYPE_HTTP_LINE_LIMIT_STREAM (tdm_http_line_limit_stream_get_type ())
G_DECLARE_FINAL_TYPE (TdmHttpLineLimitStream, tdm_http_line_limit_stream, TDM,
                      HTTP_LINE_LIMIT_STREAM, GFilterInputStream)

struct _TdmHttpLineLimitStream
{
  GFilterInputStream  parent_instance;
  gsize               max_line;
  gsize               line;      /* bytes since the last newline */
  char               *host;
};

G_DEFINE_FINAL_TYPE (TdmHttpLineLimitStream, tdm_http_line_limit_stream,
                     G_TYPE_FILTER_INPUT_STREAM)

/* Counts the bytes just read; FALSE with an error when a line is too long. */
static gboolean
line_limit_account (TdmHttpLineLimitStream  *self,
                    const char              *data,
                    gssize                   n,
                    GError                 **error)
{
  g_assert (TDM_IS_HTTP_LINE_LIMIT_STREAM (self));
  g_assert (data != NULL || n == 0);

  for (gssize i = 0; i < n; i++)
    {
      if (data[i] == '\n')
        self->line = 0;
      else if (++self->line > self->max_line)
        {
          g_autofree char *size = g_format_size (self->max_line);

          if (self->host != NULL)
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("A line of the answer from %s is longer than %s, which no real "
                           "export has. Tandem stopped reading it; the next sync starts "
                           "again."), self->host, size);
          else
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("A line of the answer is longer than %s, which no real export "
                           "has. Tandem stopped reading it; the next sync starts again."),
                         size);
          return FALSE;
        }
    }
  return TRUE;
}

static gssize
line_limit_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TdmHttpLineLimitStream *self = TDM_HTTP_LINE_LIMIT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0 && !line_limit_account (self, buffer, n, error))
    return -1;
  return n;
}

static void
on_line_limit_base_read_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmHttpLineLimitStream *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;

  g_assert (TDM_IS_HTTP_LINE_LIMIT_STREAM (self));

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0 || (n > 0 && !line_limit_account (self, g_task_get_task_data (task), n, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, n);
}

/* Forwarded to the base stream's own async read: a response stream of an
 * async session must not be read from a worker thread. */
static void
line_limit_read_async (GInputStream        *stream,
                       void                *buffer,
                       gsize                count,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, line_limit_read_async);
  g_task_set_task_data (task, buffer, NULL);
  g_input_stream_read_async (base, buffer, count, io_priority, cancellable,
                             on_line_limit_base_read_cb, g_steal_pointer (&task));
}

static gssize
line_limit_read_finish (GInputStream  *stream,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
tdm_http_line_limit_stream_finalize (GObject *object)
{
  TdmHttpLineLimitStream *self = TDM_HTTP_LINE_LIMIT_STREAM (object);

  g_free (self->host);
  G_OBJECT_CLASS (tdm_http_line_limit_stream_parent_class)->finalize (object);
}

static void
tdm_http_line_limit_stream_class_init (TdmHttpLineLimitStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tdm_http_line_limit_stream_finalize;
  stream_class->read_fn = line_limit_read;
  stream_class->read_async = line_limit_read_async;
  stream_class->read_finish = line_limit_read_finish;
}

static void
tdm_http_line_limit_stream_init (TdmHttpLineLimitStream *self)
{
}

GInputStream *
tdm_http_line_limit_stream_new (GInputStream *base,
                                gsize         max_line_bytes,
                                const char   *host)
{
  TdmHttpLineLimitStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  self = g_object_new (TDM_TYPE_HTTP_LINE_LIMIT_STREAM, "base-stream", base, NULL);
  self->max_line = MAX (max_line_bytes, 1);
  self->host = g_strdup (host);
  return G_INPUT_STREAM (self);
}
