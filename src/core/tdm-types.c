/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-types"

#include "config.h"

#include "tdm-types.h"

#include <glib/gi18n.h>

const char *
tdm_side_to_string (TdmSide side)
{
  switch (side)
    {
    case TDM_SIDE_WEBSHOP:
      return "webshop";
    case TDM_SIDE_SHOPIFY:
      return "shopify";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tdm_side_from_string (const char *str,
                      TdmSide    *out)
{
  TdmSide side;

  if (str == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (str, "webshop") == 0)
    side = TDM_SIDE_WEBSHOP;
  else if (g_ascii_strcasecmp (str, "shopify") == 0)
    side = TDM_SIDE_SHOPIFY;
  else
    return FALSE;

  if (out != NULL)
    *out = side;
  return TRUE;
}

TdmSide
tdm_side_other (TdmSide side)
{
  return side == TDM_SIDE_WEBSHOP ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
}

const char *
tdm_side_display_name (TdmSide side)
{
  switch (side)
    {
    case TDM_SIDE_WEBSHOP:
      return _("Webshop");
    case TDM_SIDE_SHOPIFY:
      return _("Shopify");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tdm_kind_to_string (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return "customer";
    case TDM_KIND_PRODUCT:
      return "product";
    case TDM_KIND_ORDER:
      return "order";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tdm_kind_from_string (const char *str,
                      TdmKind    *out)
{
  static const struct { const char *name; TdmKind kind; } names[] = {
    { "customer", TDM_KIND_CUSTOMER },
    { "customers", TDM_KIND_CUSTOMER },
    { "product", TDM_KIND_PRODUCT },
    { "products", TDM_KIND_PRODUCT },
    { "order", TDM_KIND_ORDER },
    { "orders", TDM_KIND_ORDER },
  };

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (str, names[i].name) == 0)
        {
          if (out != NULL)
            *out = names[i].kind;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tdm_kind_display_name (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("Customer");
    case TDM_KIND_PRODUCT:
      return _("Product");
    case TDM_KIND_ORDER:
      return _("Order");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tdm_kind_display_plural (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("Customers");
    case TDM_KIND_PRODUCT:
      return _("Products");
    case TDM_KIND_ORDER:
      return _("Orders");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tdm_direction_to_string (TdmDirection dir)
{
  switch (dir)
    {
    case TDM_DIRECTION_BOTH:
      return "both";
    case TDM_DIRECTION_TO_SHOPIFY:
      return "to-shopify";
    case TDM_DIRECTION_TO_WEBSHOP:
      return "to-webshop";
    case TDM_DIRECTION_OFF:
      return "off";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tdm_direction_from_string (const char   *str,
                           TdmDirection *out)
{
  static const struct { const char *name; TdmDirection dir; } names[] = {
    { "both", TDM_DIRECTION_BOTH },
    { "to-shopify", TDM_DIRECTION_TO_SHOPIFY },
    { "to_shopify", TDM_DIRECTION_TO_SHOPIFY },
    { "to-webshop", TDM_DIRECTION_TO_WEBSHOP },
    { "to_webshop", TDM_DIRECTION_TO_WEBSHOP },
    { "off", TDM_DIRECTION_OFF },
  };

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (str, names[i].name) == 0)
        {
          if (out != NULL)
            *out = names[i].dir;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
tdm_direction_allows (TdmDirection dir,
                      TdmSide      to)
{
  switch (dir)
    {
    case TDM_DIRECTION_BOTH:
      return TRUE;
    case TDM_DIRECTION_TO_SHOPIFY:
      return to == TDM_SIDE_SHOPIFY;
    case TDM_DIRECTION_TO_WEBSHOP:
      return to == TDM_SIDE_WEBSHOP;
    case TDM_DIRECTION_OFF:
    default:
      return FALSE;
    }
}

const char *
tdm_conflict_policy_to_string (TdmConflictPolicy policy)
{
  switch (policy)
    {
    case TDM_POLICY_NEWEST_WINS:
      return "newest-wins";
    case TDM_POLICY_WEBSHOP_WINS:
      return "webshop-wins";
    case TDM_POLICY_SHOPIFY_WINS:
      return "shopify-wins";
    case TDM_POLICY_ASK:
      return "ask";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tdm_conflict_policy_from_string (const char        *str,
                                 TdmConflictPolicy *out)
{
  static const struct { const char *name; TdmConflictPolicy policy; } names[] = {
    { "newest-wins", TDM_POLICY_NEWEST_WINS },
    { "newest_wins", TDM_POLICY_NEWEST_WINS },
    { "webshop-wins", TDM_POLICY_WEBSHOP_WINS },
    { "webshop_wins", TDM_POLICY_WEBSHOP_WINS },
    { "shopify-wins", TDM_POLICY_SHOPIFY_WINS },
    { "shopify_wins", TDM_POLICY_SHOPIFY_WINS },
    { "ask", TDM_POLICY_ASK },
  };

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (str, names[i].name) == 0)
        {
          if (out != NULL)
            *out = names[i].policy;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tdm_delete_policy_to_string (TdmDeletePolicy policy)
{
  switch (policy)
    {
    case TDM_DELETE_KEEP:
      return "keep";
    case TDM_DELETE_PROPAGATE:
      return "propagate";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tdm_delete_policy_from_string (const char      *str,
                               TdmDeletePolicy *out)
{
  TdmDeletePolicy policy;

  if (str == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (str, "keep") == 0)
    policy = TDM_DELETE_KEEP;
  else if (g_ascii_strcasecmp (str, "propagate") == 0)
    policy = TDM_DELETE_PROPAGATE;
  else
    return FALSE;

  if (out != NULL)
    *out = policy;
  return TRUE;
}
