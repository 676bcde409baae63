/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-entity-page-private.h"
#include "tdm-format.h"

/* The entity page's columns: which the kind shows (the ones a shop owner
 * reads first; ids and the like can be shown from the column menu), the
 * text and badge of each cell in the owner's words and the locale's
 * conventions (tdm-format.h), the column menu, and the header's sorter,
 * which only tells the store which column sorts and which way. */

static const TdmEntityColumn customer_columns[] = {
  { "name", N_("Name"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE, TRUE },
  { "email", N_("Email"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE, TRUE },
  { "phone", N_("Phone"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE, TRUE },
};
static const TdmEntityColumn product_columns[] = {
  { "title", N_("Title"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE, TRUE },
  { "sku", N_("SKU"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, FALSE, TRUE },
  { "price", N_("Price"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE, TRUE },
  { "stock", N_("Stock"), TDM_ENTITY_FIELD_EXTRA3, -1, FALSE, TRUE },
  { "product-status", N_("Product status"), TDM_ENTITY_FIELD_EXTRA2, -1, FALSE, FALSE },
};
static const TdmEntityColumn order_columns[] = {
  { "order", N_("Order"), TDM_ENTITY_FIELD_TITLE, TDM_STORE_SORT_TITLE, FALSE, TRUE },
  { "customer", N_("Customer"), TDM_ENTITY_FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE, TRUE },
  { "total", N_("Total"), TDM_ENTITY_FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE, TRUE },
  { "payment", N_("Payment"), TDM_ENTITY_FIELD_EXTRA2, -1, FALSE, TRUE },
  { "fulfilment", N_("Fulfilment"), TDM_ENTITY_FIELD_EXTRA3, -1, FALSE, TRUE },
};
static const TdmEntityColumn common_columns[] = {
  { "webshop-id", N_("Webshop ID"), TDM_ENTITY_FIELD_WEBSHOP_ID, -1, FALSE, FALSE },
  { "shopify-id", N_("Shopify ID"), TDM_ENTITY_FIELD_SHOPIFY_ID, -1, FALSE, FALSE },
  /* Over a column of short badges: a short word where a language has one
   * (the Norwegian in full cut the list's other columns short). */
  { "sync-status", NC_("list column", "Sync status"), TDM_ENTITY_FIELD_STATUS,
    TDM_STORE_SORT_STATUS, FALSE, TRUE, FALSE, "list column" },
  { "last-synced", N_("Last synced"), TDM_ENTITY_FIELD_LAST_SYNCED, TDM_STORE_SORT_LAST_SYNCED,
    FALSE, TRUE, TRUE },
};

const char *
_tdm_entity_column_title (const TdmEntityColumn *info)
{
  g_assert (info != NULL);

  return info->context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, info->context, info->title)
                               : _(info->title);
}

/* ---- Cells ---- */

/* The value of `field` as stored (the API's words, decimal strings), for
 * the cells and for CSV export. */
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
    case TDM_ENTITY_FIELD_EXTRA3:
      return tdm_store_row_get_extra3 (row);
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

/* A cell as the owner reads it: amounts with the currency in the locale's
 * conventions, phone numbers in groups, states in words, times relative
 * when recent. NULL: the stored text as it is. */
static char *
display_text (TdmEntityPage  *self,
              TdmStoreRow    *row,
              TdmEntityField  field,
              const char     *text)
{
  const TdmFormatLocale *locale = tdm_format_locale_default ();
  TdmKind kind = tdm_store_row_get_kind (row);

  g_assert (row != NULL);

  if (field == TDM_ENTITY_FIELD_LAST_SYNCED && tdm_store_row_get_last_synced (row) > 0)
    {
      g_autoptr(GDateTime) when =
        g_date_time_new_from_unix_local (tdm_store_row_get_last_synced (row));
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      return tdm_format_relative_time (locale, when, now);
    }
  if (text == NULL || *text == '\0')
    return NULL;

  switch (field)
    {
    case TDM_ENTITY_FIELD_EXTRA:
      if (kind == TDM_KIND_CUSTOMER)
        return tdm_format_phone (text);
      /* A product's price in the currency of the shop's orders. */
      return tdm_format_money (locale, text, tdm_store_row_get_currency (row) != NULL
                                               ? tdm_store_row_get_currency (row)
                                               : self->shop_currency);
    case TDM_ENTITY_FIELD_EXTRA2:
      return tdm_format_state (text);
    case TDM_ENTITY_FIELD_EXTRA3:
      if (kind == TDM_KIND_PRODUCT)
        return tdm_format_decimal (locale, text, 0);
      return tdm_format_state (text);
    case TDM_ENTITY_FIELD_TITLE:
    case TDM_ENTITY_FIELD_SUBTITLE:
    case TDM_ENTITY_FIELD_WEBSHOP_ID:
    case TDM_ENTITY_FIELD_SHOPIFY_ID:
    case TDM_ENTITY_FIELD_STATUS:
    case TDM_ENTITY_FIELD_LAST_SYNCED:
    default:
      return NULL;
    }
}

/* Does the cell show the canonical field `name` (tdm-store.h says what the
 * display columns hold per kind)? */
static gboolean
cell_shows_field (TdmKind         kind,
                  TdmEntityField  field,
                  const char     *name)
{
  static const struct {
    TdmKind         kind;
    TdmEntityField  field;
    const char     *name;
  } shown[] = {
    { TDM_KIND_CUSTOMER, TDM_ENTITY_FIELD_TITLE, "first_name" },
    { TDM_KIND_CUSTOMER, TDM_ENTITY_FIELD_TITLE, "last_name" },
    { TDM_KIND_CUSTOMER, TDM_ENTITY_FIELD_SUBTITLE, "email" },
    { TDM_KIND_CUSTOMER, TDM_ENTITY_FIELD_EXTRA, "phone" },
    { TDM_KIND_PRODUCT, TDM_ENTITY_FIELD_TITLE, "title" },
    { TDM_KIND_PRODUCT, TDM_ENTITY_FIELD_EXTRA2, "status" },
    { TDM_KIND_ORDER, TDM_ENTITY_FIELD_TITLE, "number" },
    { TDM_KIND_ORDER, TDM_ENTITY_FIELD_EXTRA, "total_price" },
    { TDM_KIND_ORDER, TDM_ENTITY_FIELD_EXTRA2, "financial_status" },
    { TDM_KIND_ORDER, TDM_ENTITY_FIELD_EXTRA3, "fulfillment_status" },
  };

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (shown[i].kind == kind && shown[i].field == field && g_str_equal (shown[i].name, name))
      return TRUE;
  return FALSE;
}

/* A value its shop holds that cannot be used (the field the row's error
 * names) shows as it is, marked as the problem, with where to read why;
 * without the value, the cell says it cannot be used. */
static void
update_problem_mark (GtkLabel *label,
                     gboolean  problem)
{
  g_autofree char *tooltip = NULL;
  const char *value;

  g_assert (GTK_IS_LABEL (label));

  if (!problem)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      return;
    }
  gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  value = gtk_label_get_label (label);
  if (*value == '\0')
    {
      gtk_label_set_label (label, _("Cannot be used"));
      tooltip = g_strdup (_("This value cannot be used. Open the record to see why."));
    }
  else
    /* Translators: the value a shop holds for a field, as it is */
    tooltip = g_strdup_printf (_("“%s” cannot be used. Open the record to see why."), value);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
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
  TdmEntityPage *self = g_object_get_data (G_OBJECT (label), "tdm-page");
  TdmStoreRow *row = item != NULL ? tdm_record_item_get_row (item) : NULL;
  g_autofree char *owned = NULL;
  const char *text = row != NULL ? _tdm_entity_row_text (row, field, &owned) : NULL;
  g_autofree char *shown = row != NULL ? display_text (self, row, field, text) : NULL;

  g_assert (GTK_IS_LABEL (label));

  gtk_label_set_label (label, shown != NULL ? shown : text != NULL ? text : "");
  /* Cut short in a narrow column: the whole text on hover. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                               field == TDM_ENTITY_FIELD_STATUS ? NULL
                               : shown != NULL ? shown : text);

  if (field == TDM_ENTITY_FIELD_STATUS)
    update_status_badge (label, row, text);
  else
    update_problem_mark (label, row != NULL &&
                                cell_shows_field (tdm_store_row_get_kind (row), field,
                                                  tdm_store_row_get_problem_field (row)));
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
                  TdmEntityPage            *self)
{
  TdmEntityField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "tdm-field"));
  GtkWidget *label = gtk_label_new (NULL);

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (field <= TDM_ENTITY_FIELD_EXTRA3);

  g_object_set_data (G_OBJECT (label), "tdm-field", GINT_TO_POINTER (field));
  g_object_set_data (G_OBJECT (label), "tdm-page", self);
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

static GtkColumnViewColumn *
add_column (TdmEntityPage         *self,
            const TdmEntityColumn *info)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (info != NULL);

  g_object_set_data (G_OBJECT (factory), "tdm-field", GINT_TO_POINTER (info->field));
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), NULL);

  column = gtk_column_view_column_new (_tdm_entity_column_title (info), factory);
  gtk_column_view_column_set_expand (column, info->expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_visible (column, info->shown);
  if (info->sort >= 0)
    {
      g_autoptr(GtkSorter) sorter = NULL;

      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_probe,
                                                  GINT_TO_POINTER (info->sort + 1), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
    }
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
  return column;
}

/* ---- The column menu ---- */

/* "columns.show-<n>" shows or hides column n (every column but the first,
 * which names the record). The menu is the columns' header menu and the
 * toolbar's Columns button. The owner's choices are kept in the setting
 * "<kind>-columns" (column id → shown, only where it differs from the
 * default, so a column added later starts as it should) and restored on
 * the next start. */

static char *
columns_key (TdmEntityPage *self)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));

  return g_strdup_printf ("%s-columns", tdm_kind_to_string (self->kind));
}

/* Whether column `info` was shown when the owner last chose, or by default. */
static gboolean
load_column_shown (TdmEntityPage         *self,
                   const TdmEntityColumn *info)
{
  g_autofree char *key = columns_key (self);
  g_autoptr(GVariant) choices = NULL;
  gboolean shown;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (info != NULL && info->id != NULL);

  choices = g_settings_get_value (self->settings, key);
  if (!g_variant_lookup (choices, info->id, "b", &shown))
    shown = info->shown;
  return shown;
}

/* Keeps every column whose state differs from its default. */
static void
save_columns (TdmEntityPage *self)
{
  g_autofree char *key = columns_key (self);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sb}"));
  guint n = _tdm_entity_columns_count (self->kind);

  g_assert (TDM_IS_ENTITY_PAGE (self));

  for (guint i = 1; i < n; i++)
    {
      const TdmEntityColumn *info = _tdm_entity_columns_get (self->kind, i);
      g_autofree char *name = g_strdup_printf ("show-%u", i);
      g_autoptr(GVariant) state = g_action_group_get_action_state (self->column_actions, name);
      gboolean shown = state != NULL && g_variant_get_boolean (state);

      if (shown != info->shown)
        g_variant_builder_add (&builder, "{sb}", info->id, shown);
    }
  g_settings_set_value (self->settings, key, g_variant_builder_end (&builder));
}

static void
on_column_shown_cb (GSimpleAction *action,
                    GVariant      *state,
                    TdmEntityPage *self)
{
  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TDM_IS_ENTITY_PAGE (self));

  g_simple_action_set_state (action, state);
  save_columns (self);
  _tdm_entity_page_update_columns (self);
}

static void
add_column_toggle (TdmEntityPage         *self,
                   GSimpleActionGroup    *group,
                   GMenu                 *menu,
                   guint                  index,
                   const TdmEntityColumn *info)
{
  g_autofree char *name = g_strdup_printf ("show-%u", index);
  g_autofree char *detailed = g_strdup_printf ("columns.%s", name);
  g_autoptr(GSimpleAction) action = NULL;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (G_IS_SIMPLE_ACTION_GROUP (group) && G_IS_MENU (menu));
  g_assert (info != NULL);

  action = g_simple_action_new_stateful (name, NULL,
                                         g_variant_new_boolean (load_column_shown (self, info)));
  g_signal_connect_object (action, "change-state", G_CALLBACK (on_column_shown_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  g_menu_append (menu, _tdm_entity_column_title (info), detailed);
}

/* Shows the columns the owner chose; while the detail is open beside the
 * list, the secondary ones (Last synced) make room for the others. */
void
_tdm_entity_page_update_columns (TdmEntityPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  gboolean detail_open = adw_flap_get_reveal_flap (self->flap) && !adw_flap_get_folded (self->flap);

  g_assert (TDM_IS_ENTITY_PAGE (self));

  for (guint i = 1; i < g_list_model_get_n_items (columns); i++)
    {
      const TdmEntityColumn *info = _tdm_entity_columns_get (self->kind, i);
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_autofree char *name = g_strdup_printf ("show-%u", i);
      g_autoptr(GVariant) state = g_action_group_get_action_state (self->column_actions, name);
      gboolean shown = state != NULL && g_variant_get_boolean (state);

      gtk_column_view_column_set_visible (column, shown && !(info->secondary && detail_open));
    }
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
  GSimpleActionGroup *group = g_simple_action_group_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (self->column_actions == NULL && self->settings == NULL);

  self->settings = g_settings_new (SCHEMA_ID);
  for (guint i = 0; i < n; i++)
    {
      const TdmEntityColumn *info = _tdm_entity_columns_get (self->kind, i);

      g_ptr_array_add (columns, add_column (self, info));
      if (i > 0)
        add_column_toggle (self, group, menu, i, info);
    }
  for (guint i = 0; i < columns->len; i++)
    gtk_column_view_column_set_header_menu (g_ptr_array_index (columns, i), G_MENU_MODEL (menu));
  gtk_menu_button_set_menu_model (self->columns_button, G_MENU_MODEL (menu));
  self->column_actions = G_ACTION_GROUP (group);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", self->column_actions);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
  _tdm_entity_page_update_columns (self);
}
