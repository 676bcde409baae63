/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

#include "tdm-types.h"

G_BEGIN_DECLS

/* A side's property schema: for each kind, the properties a connector
 * reads (the dot paths of its read queries, "[]" marking a list) and
 * writes (the members of its write shape), and what it cannot do with the
 * others it knows. The connector owns its schema (the Shopify one is in
 * src/connectors/shopify/tdm-shopify-schema.c); core only validates a
 * mapping against the schema it is handed (tdm_mapping_set_schema(),
 * docs/mapping.md § Validation) and knows nothing of any side's
 * properties. */

typedef enum {
  TDM_PROPERTY_SYNCED,      /* read by every read of the kind; in a write table: carried by
                             * every write */
  TDM_PROPERTY_READ_ONLY,   /* (read tables) read, but the side does not let it be written:
                             * a row sending it to the side is refused */
  TDM_PROPERTY_NOT_SYNCED,  /* known, but Tandem does not sync it (yet): a row naming it is
                             * refused with `reason` */
} TdmPropertyStatus;

typedef struct {
  const char        *path;
  TdmPropertyStatus  status;
  /* Why it is read-only or not synced, in a shop owner's words; English,
   * marked with N_() and translated when shown. NULL for a synced one. */
  const char        *reason;
  /* The connector's own: how its write carries the property. Core ignores it. */
  guint              side_data;
} TdmPropertySpec;

typedef struct {
  TdmSide                side;
  /* Per kind, terminated by an entry whose path is NULL. */
  const TdmPropertySpec *read[TDM_N_KINDS];
  const TdmPropertySpec *write[TDM_N_KINDS];
} TdmPropertySchema;

/* The entry for `path` of `kind` in the read or write table, or NULL when
 * the schema does not know it. */
const TdmPropertySpec *tdm_property_schema_find_read  (const TdmPropertySchema *schema,
                                                       TdmKind                  kind,
                                                       const char              *path);
const TdmPropertySpec *tdm_property_schema_find_write (const TdmPropertySchema *schema,
                                                       TdmKind                  kind,
                                                       const char              *path);

G_END_DECLS
