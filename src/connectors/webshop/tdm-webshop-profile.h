/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-error.h"

G_BEGIN_DECLS

/* A webshop profile adapts the Webshop Sync API contract (docs/webshop-api.md)
 * to an existing API without code. JSON form (every member optional; the
 * defaults are exactly the contract, see data/profiles/default.json):
 *
 *   { "version": 1,
 *     "name": "default",
 *     "auth": { "method": "bearer" | "basic" | "header", "header": "X-API-Key" },
 *     "rate_limit": { "requests_per_second": 10, "concurrency": 4 },
 *     "resources": {
 *       "customers": {
 *         "path": "customers",
 *         "paging": "cursor" | "page" | "offset" | "link",
 *         "page_size": 100,
 *         "params": { "updated_since": "updated_since", "limit": "limit",
 *                     "cursor": "cursor", "page": "page", "offset": "offset" },
 *         "items_key": "items",            ("" = the body is the list itself)
 *         "next_cursor_key": "next_cursor",
 *         "fields": { "id": "id", "updated_at": "updated_at", "etag": "etag",
 *                     "shopify_id": "shopify_id" },      (dot paths allowed)
 *         "deleted": { "available": true, "path": "customers/deleted",
 *                      "since_param": "since", "deleted_at": "deleted_at" } },
 *       "products": { … }, "orders": { … } } }
 */

typedef enum {
  TDM_WEBSHOP_PAGING_CURSOR,   /* {"items": [...], "next_cursor": "…"|null} + ?cursor= */
  TDM_WEBSHOP_PAGING_PAGE,     /* ?page=1,2,…; the last page has fewer than page_size items */
  TDM_WEBSHOP_PAGING_OFFSET,   /* ?offset=0,100,…; same end rule */
  TDM_WEBSHOP_PAGING_LINK,     /* RFC 8288 Link: <…>; rel="next" */
} TdmWebshopPaging;

typedef enum {
  TDM_WEBSHOP_AUTH_PROFILE,    /* use the profile's method (constructor argument only) */
  TDM_WEBSHOP_AUTH_BEARER,     /* Authorization: Bearer <token> */
  TDM_WEBSHOP_AUTH_BASIC,      /* Authorization: Basic base64(user:password) */
  TDM_WEBSHOP_AUTH_HEADER,     /* <header>: <value> */
} TdmWebshopAuth;

typedef struct {
  char             *path;               /* collection path relative to the base URL */
  TdmWebshopPaging  paging;
  guint             page_size;          /* 1..250 */
  char             *param_updated_since;
  char             *param_limit;
  char             *param_cursor;
  char             *param_page;
  char             *param_offset;
  char             *items_key;          /* "" = top-level array */
  char             *next_cursor_key;    /* dot path into the body (cursor paging) */
  char             *id_field;           /* dot paths */
  char             *updated_at_field;
  char             *etag_field;
  char             *shopify_id_field;
  gboolean          deleted_available;
  char             *deleted_path;
  char             *deleted_since_param;
  char             *deleted_at_field;
} TdmWebshopResource;

typedef struct _TdmWebshopProfile TdmWebshopProfile;
struct _TdmWebshopProfile {
  /*< public, read-only >*/
  char               *name;
  char               *source;           /* file it was read from, or "built-in" */
  TdmWebshopAuth      auth;             /* never TDM_WEBSHOP_AUTH_PROFILE */
  char               *auth_header;      /* for TDM_WEBSHOP_AUTH_HEADER */
  double              requests_per_second;  /* 0 = no cap */
  guint               concurrency;      /* >= 1 */
  TdmWebshopResource  resources[TDM_N_KINDS];
  /*< private >*/
  gint                ref_count;
};

GType               tdm_webshop_profile_get_type      (void) G_GNUC_CONST;
#define TDM_TYPE_WEBSHOP_PROFILE (tdm_webshop_profile_get_type ())

/* The contract itself (what data/profiles/default.json says). */
TdmWebshopProfile  *tdm_webshop_profile_new_default   (void);
/* Errors are TDM_SYNC_ERROR_PROFILE and name the file and the member
 * ("resources.customers.paging"). */
TdmWebshopProfile  *tdm_webshop_profile_new_from_data (const char  *data,
                                                       gssize       length,
                                                       const char  *source_name,
                                                       GError     **error);
TdmWebshopProfile  *tdm_webshop_profile_new_from_file (const char  *path,
                                                       GError     **error);
/* By name: $XDG_CONFIG_HOME/tandem/profiles/<name>.json, then the installed
 * PKGDATADIR/profiles, then the source tree's data/profiles (uninstalled
 * runs). "default" falls back to the built-in contract. */
TdmWebshopProfile  *tdm_webshop_profile_lookup        (const char  *name,
                                                       GError     **error);
/* Names of every profile found in those places, sorted, without duplicates. */
GStrv               tdm_webshop_profile_list_names    (void);

TdmWebshopProfile  *tdm_webshop_profile_ref           (TdmWebshopProfile *self);
void                tdm_webshop_profile_unref         (TdmWebshopProfile *self);
const TdmWebshopResource *tdm_webshop_profile_get_resource (TdmWebshopProfile *self,
                                                            TdmKind            kind);

const char         *tdm_webshop_paging_to_string      (TdmWebshopPaging paging);
gboolean            tdm_webshop_paging_from_string    (const char *str, TdmWebshopPaging *out);
const char         *tdm_webshop_auth_to_string        (TdmWebshopAuth auth);
gboolean            tdm_webshop_auth_from_string      (const char *str, TdmWebshopAuth *out);
/* "customers" | "products" | "orders" */
const char         *tdm_webshop_resource_name         (TdmKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmWebshopProfile, tdm_webshop_profile_unref)

G_END_DECLS
