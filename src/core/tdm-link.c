/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

/* TdmLink: a pair of twins with the snapshots of its last sync
 * (docs/sync.md, Words). */

/**
 * tdm_link_new:
 * @kind: the kind of both records
 * @webshop_id: (nullable): the webshop record id
 * @shopify_id: (nullable): the Shopify GID
 *
 * Returns: (transfer full): a new link without snapshots (a first link).
 */
TdmLink *
tdm_link_new (TdmKind     kind,
              const char *webshop_id,
              const char *shopify_id)
{
  TdmLink *link = g_new0 (TdmLink, 1);

  link->kind = kind;
  link->webshop_id = g_strdup (webshop_id);
  link->shopify_id = g_strdup (shopify_id);
  link->ref_count = 1;
  return link;
}

TdmLink *
tdm_link_ref (TdmLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (link->ref_count > 0, NULL);

  g_atomic_int_inc (&link->ref_count);
  return link;
}

void
tdm_link_unref (TdmLink *link)
{
  g_return_if_fail (link != NULL);
  g_return_if_fail (link->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&link->ref_count))
    return;

  g_free (link->webshop_id);
  g_free (link->shopify_id);
  g_clear_pointer (&link->webshop_snapshot, json_object_unref);
  g_clear_pointer (&link->shopify_snapshot, json_object_unref);
  g_free (link->webshop_updated_at);
  g_free (link->shopify_updated_at);
  g_free (link);
}

/**
 * tdm_link_get_id:
 * Returns: (transfer none) (nullable): the id of the record on @side.
 */
const char *
tdm_link_get_id (TdmLink *link,
                 TdmSide  side)
{
  g_return_val_if_fail (link != NULL, NULL);

  return side == TDM_SIDE_WEBSHOP ? link->webshop_id : link->shopify_id;
}

/**
 * tdm_link_get_snapshot:
 * Returns: (transfer none) (nullable): the canonical snapshot last seen on
 *   @side, or %NULL when the pair was never synced.
 */
JsonObject *
tdm_link_get_snapshot (TdmLink *link,
                       TdmSide  side)
{
  g_return_val_if_fail (link != NULL, NULL);

  return side == TDM_SIDE_WEBSHOP ? link->webshop_snapshot : link->shopify_snapshot;
}

/**
 * tdm_link_set_snapshot:
 * @snapshot: (transfer none) (nullable): the canonical fields; referenced,
 *   so do not modify it afterwards
 * @updated_at: (nullable): the side's updated_at of that state
 */
void
tdm_link_set_snapshot (TdmLink    *link,
                       TdmSide     side,
                       JsonObject *snapshot,
                       const char *updated_at)
{
  JsonObject **slot;
  char **stamp;

  g_return_if_fail (link != NULL);

  slot = side == TDM_SIDE_WEBSHOP ? &link->webshop_snapshot : &link->shopify_snapshot;
  stamp = side == TDM_SIDE_WEBSHOP ? &link->webshop_updated_at : &link->shopify_updated_at;

  if (snapshot != NULL)
    json_object_ref (snapshot);
  g_clear_pointer (slot, json_object_unref);
  *slot = snapshot;

  if (*stamp != updated_at)
    {
      g_free (*stamp);
      *stamp = g_strdup (updated_at);
    }
}

/**
 * tdm_link_key:
 * Returns: (transfer full): "webshop:17" / "shopify:gid://shopify/Customer/1",
 *   the key of TdmPlanInput.links.
 */
char *
tdm_link_key (TdmSide     side,
              const char *id)
{
  return g_strconcat (side == TDM_SIDE_WEBSHOP ? "webshop:" : "shopify:", id, NULL);
}
