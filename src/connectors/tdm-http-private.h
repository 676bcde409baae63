/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-http.h"

G_BEGIN_DECLS

/* Shared by the files of the HTTP layer (tdm-http*.c); not for use outside
 * it. How the connectors use it: docs/architecture.md (connectors).
 *
 *   tdm-http.c           options, and sending with retries, timeouts, the
 *                        body cap and redirects decided here
 *   tdm-http-session.c   the SoupSession: proxy, request count, the
 *                        redacting debug logger and its secrets
 *   tdm-http-redact.c    masking secrets in log lines
 *   tdm-http-url.c       which addresses may be used, which redirects
 *                        followed
 *   tdm-http-limits.c    limits on what a server sends: JSON nesting, line
 *                        length
 *   tdm-http-status.c    HTTP status → GError, the contract's error body
 *   tdm-http-retry.c     Retry-After, back-off, what is worth retrying */

/* tdm-http.c: `options`, or the defaults in `storage` when NULL. */
const TdmHttpOptions *_tdm_http_options_or_default (const TdmHttpOptions *options,
                                                    TdmHttpOptions       *storage);

/* tdm-http-url.c */

/* The host a message goes to, "?" when it has none (for messages). */
const char *_tdm_http_message_host      (SoupMessage  *msg);
gboolean    _tdm_http_is_redirect_status (guint        status);
/* Decides on a redirect answer to `msg`: TRUE with the target in
 * *out_target when it may be followed (`redirects` hops were followed
 * before); FALSE with an error when it must not. */
gboolean    _tdm_http_check_redirect    (SoupMessage  *msg,
                                         guint         redirects,
                                         GUri        **out_target,
                                         GError      **error);

/* tdm-http-retry.c: is an answer with this status worth another attempt? */
gboolean    _tdm_http_status_is_transient (guint status);

G_END_DECLS
