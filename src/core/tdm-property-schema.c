/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-property-schema.h"

#include <string.h>

/* Lookups in a side's property schema (tdm-property-schema.h). */

static const TdmPropertySpec *
find_spec (const TdmPropertySpec *table,
           const char            *path)
{
  g_assert (path != NULL);

  for (guint i = 0; table != NULL && table[i].path != NULL; i++)
    if (strcmp (table[i].path, path) == 0)
      return &table[i];
  return NULL;
}

const TdmPropertySpec *
tdm_property_schema_find_read (const TdmPropertySchema *schema,
                               TdmKind                  kind,
                               const char              *path)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return find_spec (schema->read[kind], path);
}

const TdmPropertySpec *
tdm_property_schema_find_write (const TdmPropertySchema *schema,
                                TdmKind                  kind,
                                const char              *path)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return find_spec (schema->write[kind], path);
}
