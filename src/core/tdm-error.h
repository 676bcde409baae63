/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TDM_SYNC_ERROR (tdm_sync_error_quark ())
GQuark tdm_sync_error_quark (void);

/* One error domain for everything the sync reports; messages are translated
 * full sentences a shop owner can act on, naming the record and field. */
typedef enum {
  TDM_SYNC_ERROR_FAILED,
  TDM_SYNC_ERROR_AUTH,              /* 401/403: credentials rejected or scope missing; stops the run */
  TDM_SYNC_ERROR_RATE_LIMITED,      /* 429/THROTTLED after the bounded retries */
  TDM_SYNC_ERROR_SERVER,            /* 5xx after the bounded retries */
  TDM_SYNC_ERROR_INVALID_RESPONSE,  /* malformed JSON, unexpected shape, too large */
  TDM_SYNC_ERROR_CONFLICT,          /* 412 precondition failed: re-read and re-plan */
  TDM_SYNC_ERROR_DUPLICATE,         /* 409 / TAKEN: a twin exists; see tdm_error_get_existing_id */
  TDM_SYNC_ERROR_VALIDATION,        /* 400/422/userErrors: the record is rejected, others go on */
  TDM_SYNC_ERROR_NOT_FOUND,         /* 404 / null node: the record is gone on that side */
  TDM_SYNC_ERROR_CONFIG,            /* missing or invalid configuration */
  TDM_SYNC_ERROR_INSECURE,          /* plain http:// to a non-loopback host */
  TDM_SYNC_ERROR_MAPPING,           /* invalid mapping file or row */
  TDM_SYNC_ERROR_PROFILE,           /* invalid webshop profile */
  TDM_SYNC_ERROR_STORE,             /* local database problem */
  TDM_SYNC_ERROR_CANCELLED_BY_USER, /* circuit breaker: the run waits for confirmation */
  TDM_SYNC_ERROR_OFFLINE,           /* no network */
  TDM_SYNC_ERROR_PAYMENT_REQUIRED,  /* 402/423 shop frozen or locked: pause */
} TdmSyncError;

/* Record-level errors carry more than a GError can: see TdmRecordError in
 * tdm-record.h, which names the side, record, field and the twin's id. */

const char *tdm_sync_error_to_hint (const GError *error); /* translated "what to do" sentence, or NULL */

G_END_DECLS
