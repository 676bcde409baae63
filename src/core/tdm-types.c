/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-types"

#include "config.h"

#include "tdm-types.h"

#include <glib/gi18n.h>

/* ---- Names ---- */

/* One spelling of an enum value; in each table the first spelling of a
 * value is the one it is written as, the others are also read. */
typedef struct {
  const char *name;
  int         value;
} TdmNamedValue;

static const TdmNamedValue side_names[] = {
  { "webshop", TDM_SIDE_WEBSHOP },
  { "shopify", TDM_SIDE_SHOPIFY },
};

static const TdmNamedValue kind_names[] = {
  { "customer", TDM_KIND_CUSTOMER },
  { "customers", TDM_KIND_CUSTOMER },
  { "product", TDM_KIND_PRODUCT },
  { "products", TDM_KIND_PRODUCT },
  { "order", TDM_KIND_ORDER },
  { "orders", TDM_KIND_ORDER },
};

static const TdmNamedValue direction_names[] = {
  { "both", TDM_DIRECTION_BOTH },
  { "to-shopify", TDM_DIRECTION_TO_SHOPIFY },
  { "to_shopify", TDM_DIRECTION_TO_SHOPIFY },
  { "to-webshop", TDM_DIRECTION_TO_WEBSHOP },
  { "to_webshop", TDM_DIRECTION_TO_WEBSHOP },
  { "off", TDM_DIRECTION_OFF },
};

static const TdmNamedValue conflict_policy_names[] = {
  { "newest-wins", TDM_POLICY_NEWEST_WINS },
  { "newest_wins", TDM_POLICY_NEWEST_WINS },
  { "webshop-wins", TDM_POLICY_WEBSHOP_WINS },
  { "webshop_wins", TDM_POLICY_WEBSHOP_WINS },
  { "shopify-wins", TDM_POLICY_SHOPIFY_WINS },
  { "shopify_wins", TDM_POLICY_SHOPIFY_WINS },
  { "ask", TDM_POLICY_ASK },
};

static const TdmNamedValue delete_policy_names[] = {
  { "keep", TDM_DELETE_KEEP },
  { "propagate", TDM_DELETE_PROPAGATE },
};

/* The name @value is written as; NULL (and a critical) for a value the
 * table does not know. */
static const char *
name_of_value (const TdmNamedValue *names,
               gsize                n_names,
               int                  value)
{
  g_assert (names != NULL);

  for (gsize i = 0; i < n_names; i++)
    {
      if (names[i].value == value)
        return names[i].name;
    }
  g_return_val_if_reached (NULL);
}

/* Reads @str (any case) into @out (nullable); FALSE for NULL or a name the
 * table does not know. @out points to one of the enums above, all of which
 * are int-sized (checked below). */
static gboolean
value_of_name (const TdmNamedValue *names,
               gsize                n_names,
               const char          *str,
               int                 *out)
{
  g_assert (names != NULL);

  if (str == NULL)
    return FALSE;

  for (gsize i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (str, names[i].name) == 0)
        {
          if (out != NULL)
            *out = names[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

G_STATIC_ASSERT (sizeof (TdmSide) == sizeof (int));
G_STATIC_ASSERT (sizeof (TdmKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (TdmDirection) == sizeof (int));
G_STATIC_ASSERT (sizeof (TdmConflictPolicy) == sizeof (int));
G_STATIC_ASSERT (sizeof (TdmDeletePolicy) == sizeof (int));

const char *
tdm_side_to_string (TdmSide side)
{
  return name_of_value (side_names, G_N_ELEMENTS (side_names), side);
}

gboolean
tdm_side_from_string (const char *str,
                      TdmSide    *out)
{
  return value_of_name (side_names, G_N_ELEMENTS (side_names), str, (int *) out);
}

const char *
tdm_kind_to_string (TdmKind kind)
{
  return name_of_value (kind_names, G_N_ELEMENTS (kind_names), kind);
}

gboolean
tdm_kind_from_string (const char *str,
                      TdmKind    *out)
{
  return value_of_name (kind_names, G_N_ELEMENTS (kind_names), str, (int *) out);
}

const char *
tdm_direction_to_string (TdmDirection dir)
{
  return name_of_value (direction_names, G_N_ELEMENTS (direction_names), dir);
}

gboolean
tdm_direction_from_string (const char   *str,
                           TdmDirection *out)
{
  return value_of_name (direction_names, G_N_ELEMENTS (direction_names),
                        str, (int *) out);
}

const char *
tdm_conflict_policy_to_string (TdmConflictPolicy policy)
{
  return name_of_value (conflict_policy_names, G_N_ELEMENTS (conflict_policy_names),
                        policy);
}

gboolean
tdm_conflict_policy_from_string (const char        *str,
                                 TdmConflictPolicy *out)
{
  return value_of_name (conflict_policy_names, G_N_ELEMENTS (conflict_policy_names),
                        str, (int *) out);
}

const char *
tdm_delete_policy_to_string (TdmDeletePolicy policy)
{
  return name_of_value (delete_policy_names, G_N_ELEMENTS (delete_policy_names), policy);
}

gboolean
tdm_delete_policy_from_string (const char      *str,
                               TdmDeletePolicy *out)
{
  return value_of_name (delete_policy_names, G_N_ELEMENTS (delete_policy_names),
                        str, (int *) out);
}

/* ---- Sides, kinds and directions ---- */

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
