/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

/* The arithmetic of retrying: how long a server asks Tandem to wait, how
 * long Tandem waits on its own (exponential back-off with jitter), and
 * which failures are worth another attempt (docs/webshop-api.md, Rate
 * limits; docs/sync.md, Rate limits and faults). */

/* ---- Retry-After ---- */

gint64
tdm_http_parse_retry_after (const char *value,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *trimmed = NULL;
  GTimeSpan diff;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  if (g_ascii_isdigit (trimmed[0]))
    {
      guint64 seconds = 0;

      for (const char *p = trimmed; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          return -1;
      /* Digits only: a number too large for any type is still a wait,
       * longer than anyone waits (not an absent header). */
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &seconds, NULL))
        return G_MAXINT32;
      return (gint64) seconds;
    }

  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return -1;

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  diff = g_date_time_difference (date, now);
  if (diff <= 0)
    return 0;
  /* Round up: waiting a little longer is harmless, too short is not. */
  return MIN ((diff + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, (gint64) G_MAXINT32);
}

/* ---- Back-off ---- */

guint
tdm_http_backoff_delay_ms (const TdmHttpOptions *options,
                           guint                 attempt,
                           GRand                *rand)
{
  TdmHttpOptions defaults;
  double base, jitter;

  options = _tdm_http_options_or_default (options, &defaults);

  base = options->base_delay_ms;
  for (guint i = 0; i < attempt && base < options->max_delay_ms; i++)
    base *= 2;
  base = MIN (base, (double) options->max_delay_ms);

  /* ±50 %: spreads clients that failed together. */
  jitter = rand ? g_rand_double_range (rand, 0.5, 1.5) : g_random_double_range (0.5, 1.5);
  return (guint) MIN (base * jitter, (double) options->max_delay_ms);
}

/* ---- What is worth retrying ---- */

gboolean
tdm_http_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == TDM_SYNC_ERROR)
    return error->code == TDM_SYNC_ERROR_SERVER || error->code == TDM_SYNC_ERROR_RATE_LIMITED;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_WOULD_BLOCK:
        case G_IO_ERROR_BUSY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;

  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING;

  return FALSE;
}

gboolean
_tdm_http_status_is_transient (guint status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504
         || (status > 504 && status < 600 && status != 501 && status != 505);
}
