/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>
#include "tdm-webshop-profile.h"

G_BEGIN_DECLS

/* Pure parsing and building for the Webshop Sync API: no I/O, no session. */

/* Value at a dot path ("meta.id"); NULL when absent. transfer none. */
JsonNode   *tdm_webshop_json_get_path      (JsonObject  *object,
                                            const char  *path);
/* The value at a dot path as a string: strings as they are, integers in
 * decimal; NULL for anything else. */
char       *tdm_webshop_json_dup_string    (JsonObject  *object,
                                            const char  *path);
/* Set a value at a dot path, creating intermediate objects. Takes `value`. */
void        tdm_webshop_json_set_path      (JsonObject  *object,
                                            const char  *path,
                                            JsonNode    *value);

/* Remove the member at a dot path, if there is one. */
void        tdm_webshop_json_remove_path   (JsonObject  *object,
                                            const char  *path);

/* One page of a list answer. `items` are the record objects (referenced);
 * `next_cursor` is set for cursor paging when the body names one. Errors:
 * TDM_SYNC_ERROR_INVALID_RESPONSE naming what is missing. */
gboolean    tdm_webshop_parse_list         (GBytes                    *body,
                                            const TdmWebshopResource  *resource,
                                            GPtrArray                **out_items,
                                            char                     **out_next_cursor,
                                            GError                   **error);
/* A single record answer (GET/POST/PUT): a JSON object; also accepts the
 * object wrapped as {"item": {…}} or {"data": {…}}. */
JsonObject *tdm_webshop_parse_record       (GBytes                    *body,
                                            GError                   **error);

/* The target of rel="next" in an RFC 8288 Link header, or NULL. */
char       *tdm_webshop_parse_link_next    (const char                *link_header);

/* Sort records by (updated_at, id) as the contract orders them. */
void        tdm_webshop_sort_records       (GPtrArray                 *items,
                                            const TdmWebshopResource  *resource);

/* The body of a create/update: the record without id, updated_at, created_at
 * and etag; `shopify_id` set when given. Returns a new object. */
JsonObject *tdm_webshop_build_write_body   (JsonObject                *native,
                                            const TdmWebshopResource  *resource,
                                            const char                *shopify_id);

G_END_DECLS
