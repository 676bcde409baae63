/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-detail-private.h"

/* What a developer or Shopify's support asks for, behind a "Technical
 * details" expander: both ids (with copy buttons and a link to Shopify's
 * admin), the ids other records are referred to by, and each field's
 * property paths and data type (docs/mapping.md). Nothing else in the
 * panel shows an id or a path. */

/* ---- Ids ---- */

char *
_tdm_detail_shopify_admin_url (TdmContext *context,
                               TdmKind     kind,
                               const char *gid)
{
  static const char * const paths[TDM_N_KINDS] = {
    [TDM_KIND_CUSTOMER] = "customers",
    [TDM_KIND_PRODUCT] = "products",
    [TDM_KIND_ORDER] = "orders",
  };
  g_autofree char *shop = NULL;
  const char *number = strrchr (gid, '/');
  g_autofree char *base = NULL;

  g_return_val_if_fail (TDM_IS_CONTEXT (context), NULL);

  shop = g_settings_get_string (tdm_context_get_settings (context), "shopify-shop");
  if (*shop == '\0' || number == NULL)
    return NULL;

  base = strstr (shop, "://") != NULL ? g_strdup (shop) : g_strdup_printf ("https://%s", shop);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  return g_strdup_printf ("%s/admin/%s/%s", base, paths[kind], number + 1);
}

static void
on_copy_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "tdm-copy-text");

  g_assert (text != NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static void
add_copy_button (AdwActionRow *row,
                 const char   *text,
                 const char   *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  g_assert (ADW_IS_ACTION_ROW (row));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "tdm-copy-text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_copy_clicked_cb), NULL);
  adw_action_row_add_suffix (row, button);
}

static void
on_open_admin_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "tdm-uri");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  g_assert (uri != NULL);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
add_open_button (AdwActionRow *row,
                 char         *uri)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("adw-external-link-symbolic");

  g_assert (ADW_IS_ACTION_ROW (row) && uri != NULL);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Open in Shopify admin"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Open in Shopify admin"), -1);
  g_object_set_data_full (G_OBJECT (button), "tdm-uri", uri, g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_open_admin_clicked_cb), NULL);
  adw_action_row_add_suffix (row, button);
}

static GtkListBox *
boxed_list_new (GtkWidget  *box,
                const char *title)
{
  GtkWidget *label = _tdm_detail_label_new (title, TRUE);
  GtkWidget *list = gtk_list_box_new ();

  g_assert (GTK_IS_BOX (box));

  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), list);
  return GTK_LIST_BOX (list);
}

static void
add_id_rows (TdmRecordDetail *self,
             TdmDetailData   *data,
             GtkListBox      *list)
{
  const char *webshop_id = data->ids[TDM_SIDE_WEBSHOP];
  const char *shopify_id = data->ids[TDM_SIDE_SHOPIFY];
  AdwActionRow *row;

  g_assert (data != NULL);

  row = _tdm_detail_add_row (list, _("Webshop ID"),
                             webshop_id != NULL ? webshop_id : _("Not in the webshop"));
  if (webshop_id != NULL)
    add_copy_button (row, webshop_id, _("Copy the webshop ID"));

  row = _tdm_detail_add_row (list, _("Shopify ID"),
                             shopify_id != NULL ? shopify_id : _("Not in Shopify"));
  if (shopify_id != NULL)
    {
      char *uri = _tdm_detail_shopify_admin_url (self->context, data->kind, shopify_id);

      add_copy_button (row, shopify_id, _("Copy the Shopify ID"));
      if (uri != NULL)
        add_open_button (row, uri);
    }
}

/* The ids behind the names of referenced records (an order's customer). */
static void
add_reference_rows (TdmDetailData *data,
                    GtkListBox    *list)
{
  GPtrArray *rows = tdm_mapping_get_rows (data->mapping, data->kind);

  g_assert (data != NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);

      if (row->type != TDM_VALUE_REFERENCE || row->parent >= 0)
        continue;
      for (guint side = 0; side < TDM_N_SIDES; side++)
        {
          JsonNode *value = data->records[side] != NULL && data->records[side]->fields != NULL
                            ? json_object_get_member (data->records[side]->fields, row->name)
                            : NULL;
          g_autofree char *title = NULL;
          AdwActionRow *id_row;

          if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          /* Translators: "Customer, as the webshop refers to it". */
          title = g_strdup_printf (side == TDM_SIDE_WEBSHOP ? _("%s, as the webshop refers to it")
                                                            : _("%s, as Shopify refers to it"),
                                   tdm_mapping_row_get_label (row));
          id_row = _tdm_detail_add_row (list, title, json_node_get_string (value));
          add_copy_button (id_row, json_node_get_string (value), _("Copy the ID"));
        }
    }
}

/* Each field's two property paths and its data type. */
static void
add_property_rows (TdmDetailData *data,
                   GtkListBox    *list)
{
  GPtrArray *rows = tdm_mapping_get_rows (data->mapping, data->kind);

  g_assert (data != NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (row->parent >= 0)
        {
          const TdmMappingRow *parent = g_ptr_array_index (rows, row->parent);
          /* Translators: "Order lines › SKU". */
          title = g_strdup_printf (_("%s › %s"), tdm_mapping_row_get_label (parent),
                                   tdm_mapping_row_get_label (row));
        }
      else
        title = g_strdup (tdm_mapping_row_get_label (row));
      /* Translators: "webshop: email · Shopify: defaultEmailAddress.emailAddress · Email". */
      subtitle = g_strdup_printf (_("webshop: %s · Shopify: %s · %s"), row->webshop, row->shopify,
                                  row->type_name);
      _tdm_detail_add_row (list, title, subtitle);
    }
}

void
_tdm_detail_add_technical (TdmRecordDetail *self,
                           TdmDetailData   *data)
{
  GtkWidget *expander = gtk_expander_new (_("Technical details"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkListBox *list;

  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (data != NULL);

  gtk_widget_set_name (expander, "technical-details");
  gtk_widget_add_css_class (gtk_expander_get_label_widget (GTK_EXPANDER (expander)), "heading");
  gtk_widget_set_margin_top (box, 6);

  list = boxed_list_new (box, _("Record IDs"));
  add_id_rows (self, data, list);
  if (data->mapping != NULL)
    {
      add_reference_rows (data, list);
      add_property_rows (data, boxed_list_new (box, _("Properties")));
    }

  _tdm_detail_words_only (box);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  gtk_box_append (self->content_box, expander);
}
