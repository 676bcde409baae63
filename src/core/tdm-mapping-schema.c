/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n.h>

/* The rows of a mapping against the property schema of the Shopify side:
 * a row is accepted only when the connector reads its Shopify property and,
 * when the row sends data to Shopify, writes it; a property Shopify keeps
 * read-only or that Tandem does not sync (yet) is refused with the reason
 * (docs/mapping.md § Validation). The schema itself lives with its connector
 * and is handed over with tdm_mapping_set_schema(). */

/* ---- The schemas handed over ---- */

static const TdmPropertySchema *side_schemas[TDM_N_SIDES];

void
tdm_mapping_set_schema (TdmSide                  side,
                        const TdmPropertySchema *schema)
{
  g_return_if_fail ((guint) side < TDM_N_SIDES);
  g_return_if_fail (schema == NULL || schema->side == side);

  g_atomic_pointer_set (&side_schemas[side], schema);
}

const TdmPropertySchema *
tdm_mapping_get_schema (TdmSide side)
{
  g_return_val_if_fail ((guint) side < TDM_N_SIDES, NULL);

  return g_atomic_pointer_get (&side_schemas[side]);
}

/* ---- Messages ---- */

static char *
not_synced (TdmKind     kind,
            const char *path,
            const char *reason,
            const char *advice)
{
  g_assert (path != NULL && reason != NULL && advice != NULL);

  /* Translators: "The Shopify customer property “displayName” cannot be
   * synced by Tandem yet: <the reason>. <what to do>" */
  return g_strdup_printf (_("The Shopify %s property “%s” cannot be synced by Tandem yet: %s. %s"),
                          tdm_kind_to_string (kind), path, reason, advice);
}

/* ---- Checks ---- */

/* The row's read property: one the connector reads. An identity row's
 * metafield is the connector's own (the twin's id). */
static char *
check_read (const TdmPropertySchema *schema,
            TdmKind                  kind,
            const TdmRow            *row)
{
  const TdmPropertySpec *spec;

  g_assert (schema != NULL && row != NULL);

  if (_tdm_mapping_row_is_identity (row) &&
      g_str_has_prefix (row->row.shopify, TDM_MAPPING_METAFIELD_PREFIX))
    return NULL;
  spec = tdm_property_schema_find_read (schema, kind, row->row.shopify);
  if (spec == NULL)
    return not_synced (kind, row->row.shopify, _("Tandem does not read it"),
                       _("Check the spelling against the default mapping, or leave the row "
                         "out."));
  if (spec->status == TDM_PROPERTY_NOT_SYNCED)
    return not_synced (kind, row->row.shopify, _(spec->reason),
                       _("Leave the row out, or map another property."));
  return NULL;
}

/* A row that sends data to Shopify: its write property must be one the
 * connector writes. */
static char *
check_write (const TdmPropertySchema *schema,
             TdmKind                  kind,
             const TdmRow            *row)
{
  const char *path = row->row.shopify_write;
  const TdmPropertySpec *read;
  const TdmPropertySpec *write;

  g_assert (schema != NULL && row != NULL);

  write = tdm_property_schema_find_write (schema, kind, path);
  if (write != NULL && write->status == TDM_PROPERTY_SYNCED)
    return NULL;
  read = tdm_property_schema_find_read (schema, kind, row->row.shopify);
  if (read != NULL && read->status == TDM_PROPERTY_READ_ONLY)
    /* Translators: "The Shopify customer property “state” can only be read:
     * <the reason>. Make the row …" */
    return g_strdup_printf (_("The Shopify %s property “%s” can only be read: %s. Make the row "
                              "“to_webshop”, or leave it out."),
                            tdm_kind_to_string (kind), row->row.shopify, _(read->reason));
  if (write != NULL)
    return not_synced (kind, path, _(write->reason),
                       _("Make the row “to_webshop”, or leave it out."));
  if (g_str_has_prefix (path, TDM_MAPPING_METAFIELD_PREFIX))
    return not_synced (kind, path, _("Tandem writes no metafields but its own"),
                       _("Make the row “to_webshop”, or leave it out."));
  return not_synced (kind, path, _("Tandem does not write it"),
                     _("Give the name used for writing in “shopify_write”, or make the row "
                       "“to_webshop”."));
}

char *
_tdm_mapping_check_shopify_row (TdmMapping   *self,
                                TdmKind       kind,
                                const TdmRow *row)
{
  const TdmPropertySchema *schema = tdm_mapping_get_schema (TDM_SIDE_SHOPIFY);
  char *problem;

  g_assert (TDM_IS_MAPPING (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (row != NULL && row->row.shopify != NULL && row->row.shopify_write != NULL);

  if (schema == NULL)
    return NULL;
  if ((problem = check_read (schema, kind, row)) != NULL)
    return problem;
  if (_tdm_mapping_row_allows (self, kind, row, TDM_SIDE_SHOPIFY) &&
      row->row.writable != TDM_WRITABLE_NEVER && !_tdm_mapping_row_is_identity (row))
    return check_write (schema, kind, row);
  return NULL;
}
