/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <glib/gi18n-lib.h>

#include "tdm-store-private.h"

/* One row of an entity view (tdm-store-query.c reads them), and the names
 * of a row's link status. */

struct _TdmStoreRow
{
  GObject        parent_instance;

  TdmKind        kind;
  char          *webshop_id;
  char          *shopify_id;
  char          *title;
  char          *subtitle;
  char          *extra;
  char          *extra2;
  char          *extra3;
  char          *currency;
  TdmLinkStatus  status;
  gint64         last_synced;
  char          *problem_field;
};

G_DEFINE_FINAL_TYPE (TdmStoreRow, tdm_store_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_KIND,
  ROW_PROP_WEBSHOP_ID,
  ROW_PROP_SHOPIFY_ID,
  ROW_PROP_TITLE,
  ROW_PROP_SUBTITLE,
  ROW_PROP_EXTRA,
  ROW_PROP_EXTRA2,
  ROW_PROP_EXTRA3,
  ROW_PROP_CURRENCY,
  ROW_PROP_STATUS,
  ROW_PROP_LAST_SYNCED,
  ROW_PROP_PROBLEM_FIELD,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
tdm_store_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TdmStoreRow *self = TDM_STORE_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case ROW_PROP_WEBSHOP_ID:
      g_value_set_string (value, self->webshop_id);
      break;
    case ROW_PROP_SHOPIFY_ID:
      g_value_set_string (value, self->shopify_id);
      break;
    case ROW_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case ROW_PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case ROW_PROP_EXTRA:
      g_value_set_string (value, self->extra);
      break;
    case ROW_PROP_EXTRA2:
      g_value_set_string (value, self->extra2);
      break;
    case ROW_PROP_EXTRA3:
      g_value_set_string (value, self->extra3);
      break;
    case ROW_PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case ROW_PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case ROW_PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;
    case ROW_PROP_PROBLEM_FIELD:
      g_value_set_string (value, self->problem_field);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_store_row_finalize (GObject *object)
{
  TdmStoreRow *self = TDM_STORE_ROW (object);

  g_free (self->webshop_id);
  g_free (self->shopify_id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->extra);
  g_free (self->extra2);
  g_free (self->extra3);
  g_free (self->currency);
  g_free (self->problem_field);

  G_OBJECT_CLASS (tdm_store_row_parent_class)->finalize (object);
}

static void
tdm_store_row_class_init (TdmStoreRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tdm_store_row_get_property;
  object_class->finalize = tdm_store_row_finalize;

  row_properties[ROW_PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, TDM_N_KINDS - 1, 0, flags);
  row_properties[ROW_PROP_WEBSHOP_ID] =
    g_param_spec_string ("webshop-id", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_SHOPIFY_ID] =
    g_param_spec_string ("shopify-id", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_EXTRA] =
    g_param_spec_string ("extra", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_EXTRA2] =
    g_param_spec_string ("extra2", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_EXTRA3] =
    g_param_spec_string ("extra3", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, TDM_N_LINK_STATUS - 1, 0, flags);
  row_properties[ROW_PROP_LAST_SYNCED] =
    g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0, flags);
  row_properties[ROW_PROP_PROBLEM_FIELD] =
    g_param_spec_string ("problem-field", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
tdm_store_row_init (TdmStoreRow *self)
{
}

TdmStoreRow *
_tdm_store_row_new (TdmKind        kind,
                    const char    *webshop_id,
                    const char    *shopify_id,
                    const char    *title,
                    const char    *subtitle,
                    const char    *extra,
                    const char    *extra2,
                    const char    *extra3,
                    const char    *currency,
                    TdmLinkStatus  status,
                    gint64         last_synced,
                    const char    *problem_field)
{
  TdmStoreRow *row = g_object_new (TDM_TYPE_STORE_ROW, NULL);

  row->kind = kind;
  row->webshop_id = g_strdup (webshop_id);
  row->shopify_id = g_strdup (shopify_id);
  row->title = g_strdup (title);
  row->subtitle = g_strdup (subtitle);
  row->extra = g_strdup (extra);
  row->extra2 = g_strdup (extra2);
  row->extra3 = g_strdup (extra3);
  row->currency = g_strdup (currency);
  row->status = status;
  row->last_synced = last_synced;
  row->problem_field = g_strdup (problem_field);
  return row;
}

TdmKind
tdm_store_row_get_kind (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), 0);
  return self->kind;
}

const char *
tdm_store_row_get_webshop_id (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->webshop_id;
}

const char *
tdm_store_row_get_shopify_id (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->shopify_id;
}

const char *
tdm_store_row_get_id (TdmStoreRow *self,
                      TdmSide      side)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return side == TDM_SIDE_WEBSHOP ? self->webshop_id : self->shopify_id;
}

const char *
tdm_store_row_get_title (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->title;
}

const char *
tdm_store_row_get_subtitle (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->subtitle;
}

const char *
tdm_store_row_get_extra (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->extra;
}

const char *
tdm_store_row_get_extra2 (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->extra2;
}

const char *
tdm_store_row_get_extra3 (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->extra3;
}

const char *
tdm_store_row_get_currency (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->currency;
}

TdmLinkStatus
tdm_store_row_get_status (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), 0);
  return self->status;
}

gint64
tdm_store_row_get_last_synced (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), 0);
  return self->last_synced;
}

const char *
tdm_store_row_get_problem_field (TdmStoreRow *self)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (self), NULL);
  return self->problem_field;
}

gboolean
tdm_store_row_equal (TdmStoreRow *a,
                     TdmStoreRow *b)
{
  g_return_val_if_fail (TDM_IS_STORE_ROW (a), FALSE);
  g_return_val_if_fail (TDM_IS_STORE_ROW (b), FALSE);

  return a->kind == b->kind && a->status == b->status && a->last_synced == b->last_synced &&
         g_strcmp0 (a->webshop_id, b->webshop_id) == 0 &&
         g_strcmp0 (a->shopify_id, b->shopify_id) == 0 &&
         g_strcmp0 (a->title, b->title) == 0 && g_strcmp0 (a->subtitle, b->subtitle) == 0 &&
         g_strcmp0 (a->extra, b->extra) == 0 && g_strcmp0 (a->extra2, b->extra2) == 0 &&
         g_strcmp0 (a->extra3, b->extra3) == 0 && g_strcmp0 (a->currency, b->currency) == 0 &&
         g_strcmp0 (a->problem_field, b->problem_field) == 0;
}

/* ---- Link status names ---- */

const char *
tdm_link_status_to_string (TdmLinkStatus status)
{
  switch (status)
    {
    case TDM_LINK_STATUS_LINKED:       return "linked";
    case TDM_LINK_STATUS_ONLY_WEBSHOP: return "only-webshop";
    case TDM_LINK_STATUS_ONLY_SHOPIFY: return "only-shopify";
    case TDM_LINK_STATUS_CONFLICT:     return "conflict";
    case TDM_LINK_STATUS_ERROR:        return "error";
    case TDM_LINK_STATUS_ORPHANED:     return "orphaned";
    default:                           return "all";
    }
}

const char *
tdm_link_status_display_name (TdmLinkStatus status)
{
  switch (status)
    {
    case TDM_LINK_STATUS_LINKED:       return _("Linked");
    case TDM_LINK_STATUS_ONLY_WEBSHOP: return _("Only in webshop");
    case TDM_LINK_STATUS_ONLY_SHOPIFY: return _("Only in Shopify");
    case TDM_LINK_STATUS_CONFLICT:     return _("Conflict");
    case TDM_LINK_STATUS_ERROR:        return _("Error");
    case TDM_LINK_STATUS_ORPHANED:     return _("Orphaned");
    default:                           return _("All");
    }
}
