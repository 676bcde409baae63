/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-entity-page-private.h"

/* The entity page's columns: which the kind shows, the text and badge of
 * each cell (order and product states in words, amounts with the locale's
 * grouping), and the header's sorter, which only tells the store which
 * column sorts and which way. */

static const TdmEntityColumn customer_columns[] = {
  { N_("Name"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE },
  { N_("Email"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE },
  { N_("Phone"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
};
static const TdmEntityColumn product_columns[] = {
  { N_("Title"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE },
  { N_("SKU"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, FALSE },
  { N_("Price"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
  { N_("Product status"), TDM_ENTITY_FIELD_EXTRA2, -1, FALSE },
};
static const TdmEntityColumn order_columns[] = {
  { N_("Order"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, FALSE },
  { N_("Customer"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE },
  { N_("Total"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
  { N_("Payment · Fulfillment"), TDM_ENTITY_FIELD_EXTRA2, -1, FALSE },
};
static const TdmEntityColumn common_columns[] = {
  { N_("Webshop ID"), TDM_ENTITY_FIELD_WEBSHOP_ID, -1, FALSE },
  { N_("Shopify ID"), TDM_ENTITY_FIELD_SHOPIFY_ID, -1, FALSE },
  { N_("Sync status"), TDM_ENTITY_FIELD_STATUS, TDM_STORE_SORT_STATUS, FALSE },
  { N_("Last synced"), TDM_ENTITY_FIELD_LAST_SYNCED, TDM_STORE_SORT_LAST_SYNCED, FALSE },
};

/* ---- Cells ---- */

const char *
_tdm_entity_row_text (TdmStoreRow     *row,
                      TdmEntityField   field,
                      char           **owned)
{
  gint64 when;

  g_assert (row != NULL);
  g_assert (owned != NULL && *owned == NULL);

  switch (field)
    {
    case TDM_ENTITY_FIELD_TITLE:
      return tdm_store_row_get_title (row);
    case TDM_ENTITY_FIELD_SUBTITLE:
      return tdm_store_row_get_subtitle (row);
    case TDM_ENTITY_FIELD_EXTRA:
      return tdm_store_row_get_extra (row);
    case TDM_ENTITY_FIELD_EXTRA2:
      return tdm_store_row_get_extra2 (row);
    case TDM_ENTITY_FIELD_WEBSHOP_ID:
      return tdm_store_row_get_webshop_id (row);
    case TDM_ENTITY_FIELD_SHOPIFY_ID:
      return tdm_store_row_get_shopify_id (row);
    case TDM_ENTITY_FIELD_STATUS:
      return tdm_link_status_display_name (tdm_store_row_get_status (row));
    case TDM_ENTITY_FIELD_LAST_SYNCED:
      when = tdm_store_row_get_last_synced (row);
      if (when <= 0)
        return _("Never");
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (when);
        *owned = g_date_time_format (dt, "%Y-%m-%d %H:%M");
      }
      return *owned;
    default:
      return NULL;
    }
}

/* Order and product states as a shop owner reads them; the views keep the
 * API's words (CSV export too). */
static const struct { const char *value; const char *label; } state_words[] = {
  { "paid", N_("Paid") },
  { "pending", N_("Pending") },
  { "authorized", N_("Authorized") },
  { "partially_paid", N_("Partially paid") },
  { "partially_refunded", N_("Partially refunded") },
  { "refunded", N_("Refunded") },
  { "voided", N_("Voided") },
  { "expired", N_("Expired") },
  { "unpaid", N_("Unpaid") },
  { "fulfilled", N_("Fulfilled") },
  { "unfulfilled", N_("Unfulfilled") },
  { "partial", N_("Partly sent") },
  { "partially_fulfilled", N_("Partly sent") },
  { "restocked", N_("Restocked") },
  { "scheduled", N_("Scheduled") },
  { "on_hold", N_("On hold") },
  { "in_progress", N_("In progress") },
  { "open", N_("Open") },
  { "cancelled", N_("Cancelled") },
  { "active", N_("Active") },
  { "draft", N_("Draft") },
  { "archived", N_("Archived") },
  { "unlisted", N_("Unlisted") },
};

static void
append_state_word (GString    *out,
                   const char *value)
{
  g_autofree char *lower = NULL;

  g_assert (out != NULL);
  g_assert (value != NULL);

  lower = g_ascii_strdown (value, -1);

  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (state_words); i++)
    if (strcmp (lower, state_words[i].value) == 0)
      {
        g_string_append (out, _(state_words[i].label));
        return;
      }
  /* A word Tandem does not know yet: readable, not translated. */
  g_strdelimit (lower, "_", ' ');
  if (lower[0] != '\0')
    lower[0] = g_ascii_toupper (lower[0]);
  g_string_append (out, lower);
}

/* "partially_refunded · unfulfilled" → "Partially refunded · Unfulfilled". */
static char *
display_states (const char *text)
{
  g_auto(GStrv) parts = NULL;
  GString *out = g_string_new (NULL);

  g_assert (text != NULL);

  parts = g_strsplit (text, " · ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, " · ");
      append_state_word (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/* A price or total with two decimals and the locale's digit grouping;
 * text that is not a number is shown as it is. */
static char *
display_amount (const char *text)
{
  char *end = NULL;
  double value;

  g_assert (text != NULL);

  value = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0')
    return g_strdup (text);
  return g_strdup_printf ("%'.2f", value);
}

/* The status badge: a CSS class per status and a name for screen readers. */
static void
update_status_badge (GtkLabel    *label,
                     TdmStoreRow *row,
                     const char  *text)
{
  const char *old = g_object_get_data (G_OBJECT (label), "tdm-status-class");
  g_autofree char *css = NULL;
  g_autofree char *name = NULL;

  g_assert (GTK_IS_LABEL (label));

  if (old != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (label), old);
  gtk_widget_set_visible (GTK_WIDGET (label), row != NULL);
  if (row == NULL)
    return;

  css = g_strdup_printf ("tdm-status-%s",
                         tdm_link_status_to_string (tdm_store_row_get_status (row)));
  gtk_widget_add_css_class (GTK_WIDGET (label), css);
  g_object_set_data_full (G_OBJECT (label), "tdm-status-class", g_steal_pointer (&css), g_free);
  name = g_strdup_printf (_("Sync status: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_cell (GtkListItem *list_item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  TdmRecordItem *item = gtk_list_item_get_item (list_item);
  TdmEntityField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "tdm-field"));
  TdmStoreRow *row = item != NULL ? tdm_record_item_get_row (item) : NULL;
  g_autofree char *owned = NULL;
  const char *text = row != NULL ? _tdm_entity_row_text (row, field, &owned) : NULL;
  g_autofree char *shown = NULL;

  if (text != NULL && *text != '\0' && row != NULL &&
      tdm_store_row_get_kind (row) != TDM_KIND_CUSTOMER)
    {
      if (field == TDM_ENTITY_FIELD_EXTRA)
        shown = display_amount (text);
      else if (field == TDM_ENTITY_FIELD_EXTRA2)
        shown = display_states (text);
    }
  g_assert (GTK_IS_LABEL (label));

  gtk_label_set_label (label, shown != NULL ? shown : text != NULL ? text : "");

  if (field == TDM_ENTITY_FIELD_STATUS)
    update_status_badge (label, row, text);
}

static void
on_item_row_changed_cb (TdmRecordItem *item,
                        GParamSpec    *pspec,
                        GtkListItem   *list_item)
{
  g_assert (GTK_IS_LIST_ITEM (list_item));

  update_cell (list_item);
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  TdmEntityField field = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  g_assert (field <= TDM_ENTITY_FIELD_LAST_SYNCED);

  g_object_set_data (G_OBJECT (label), "tdm-field", GINT_TO_POINTER (field));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (field == TDM_ENTITY_FIELD_STATUS)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_add_css_class (label, "tdm-badge");
    }
  else if (field == TDM_ENTITY_FIELD_EXTRA || field == TDM_ENTITY_FIELD_LAST_SYNCED)
    gtk_widget_add_css_class (label, "numeric");
  if (field == TDM_ENTITY_FIELD_WEBSHOP_ID || field == TDM_ENTITY_FIELD_SHOPIFY_ID ||
      field == TDM_ENTITY_FIELD_LAST_SYNCED)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  TdmRecordItem *item = gtk_list_item_get_item (list_item);

  g_assert (TDM_IS_RECORD_ITEM (item));

  g_signal_connect (item, "notify::row", G_CALLBACK (on_item_row_changed_cb), list_item);
  update_cell (list_item);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  TdmRecordItem *item = gtk_list_item_get_item (list_item);

  g_signal_handlers_disconnect_by_func (item, on_item_row_changed_cb, list_item);
}

/* ---- Sorting ---- */

/* The store sorts, so the headers' sorter is only asked which column is
 * first and in which direction. Each column's sorter answers a probe
 * comparison by naming itself; GtkColumnViewSorter consults the primary
 * column first and inverts its answer when that column is descending. */

static int
compare_probe (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (g_object_get_data (G_OBJECT (a), "tdm-probe") == NULL)
    return GTK_ORDERING_EQUAL;

  if (g_object_get_data (G_OBJECT (a), "tdm-probe-sort") == NULL)
    g_object_set_data (G_OBJECT (a), "tdm-probe-sort", user_data);

  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed_cb (GtkSorter       *sorter,
                      GtkSorterChange  change,
                      TdmEntityPage   *self)
{
  GtkOrdering ordering;
  gpointer sort;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  g_object_set_data (G_OBJECT (self->probe[0]), "tdm-probe-sort", NULL);
  ordering = gtk_sorter_compare (sorter, self->probe[0], self->probe[1]);
  sort = g_object_get_data (G_OBJECT (self->probe[0]), "tdm-probe-sort");

  self->sort = sort != NULL ? (TdmStoreSort) (GPOINTER_TO_INT (sort) - 1) : TDM_STORE_SORT_TITLE;
  self->descending = sort != NULL && ordering == GTK_ORDERING_LARGER;
  _tdm_entity_page_apply_query (self);
}

/* ---- Columns ---- */

static void
add_column (TdmEntityPage         *self,
            const TdmEntityColumn *info)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (info != NULL);


  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb),
                    GINT_TO_POINTER (info->field));
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), NULL);

  column = gtk_column_view_column_new (_(info->title), factory);
  gtk_column_view_column_set_expand (column, info->expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (info->sort >= 0)
    {
      g_autoptr(GtkSorter) sorter = NULL;

      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_probe,
                                                  GINT_TO_POINTER (info->sort + 1), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
    }
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

static const TdmEntityColumn *
kind_columns (TdmKind  kind,
              guint   *n_columns)
{
  g_assert (kind < TDM_N_KINDS);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      *n_columns = G_N_ELEMENTS (customer_columns);
      return customer_columns;
    case TDM_KIND_PRODUCT:
      *n_columns = G_N_ELEMENTS (product_columns);
      return product_columns;
    case TDM_KIND_ORDER:
    default:
      *n_columns = G_N_ELEMENTS (order_columns);
      return order_columns;
    }
}

guint
_tdm_entity_columns_count (TdmKind kind)
{
  guint n = 0;

  kind_columns (kind, &n);
  return n + G_N_ELEMENTS (common_columns);
}

const TdmEntityColumn *
_tdm_entity_columns_get (TdmKind kind,
                         guint   index)
{
  guint n = 0;
  const TdmEntityColumn *own = kind_columns (kind, &n);

  g_assert (index < n + G_N_ELEMENTS (common_columns));

  return index < n ? &own[index] : &common_columns[index - n];
}

void
_tdm_entity_page_setup_columns (TdmEntityPage *self)
{
  guint n = _tdm_entity_columns_count (self->kind);

  g_assert (TDM_IS_ENTITY_PAGE (self));

  for (guint i = 0; i < n; i++)
    add_column (self, _tdm_entity_columns_get (self->kind, i));
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
}
