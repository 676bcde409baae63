/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-entity-page.h"
#include "tdm-csv.h"

/* What a column shows of a TdmStoreRow. */
typedef enum {
  FIELD_TITLE,
  FIELD_SUBTITLE,
  FIELD_EXTRA,
  FIELD_EXTRA2,
  FIELD_WEBSHOP_ID,
  FIELD_SHOPIFY_ID,
  FIELD_STATUS,
  FIELD_LAST_SYNCED,
} Field;

typedef struct {
  const char *title;  /* translatable */
  Field       field;
  int         sort;   /* TdmStoreSort, or -1: not sortable */
  gboolean    expand;
} ColumnInfo;

struct _TdmEntityPage
{
  GtkWidget        parent_instance;

  TdmKind          kind;
  TdmContext      *context;
  TdmRecordModel  *model;
  GtkSingleSelection *selection;
  GCancellable    *cancellable;
  gboolean         loaded_once;
  /* The sort the column headers ask for, found with probe items. */
  TdmRecordItem   *probe[2];
  TdmStoreSort     sort;
  gboolean         descending;
  /* A record to open when the current query answers. */
  TdmSide          reveal_side;
  char            *reveal_id;

  GtkStack        *stack;
  AdwStatusPage   *unconfigured_page;
  AdwStatusPage   *empty_page;
  AdwFlap         *flap;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *status_dropdown;
  GtkButton       *conflicts_button;
  GtkLabel        *conflicts_label;
  GtkLabel        *count_label;
  GtkButton       *export_button;
  GtkStack        *list_stack;
  GtkColumnView   *column_view;
  AdwStatusPage   *no_results_page;
  TdmRecordDetail *detail;
};

G_DEFINE_FINAL_TYPE (TdmEntityPage, tdm_entity_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kind names are the contract of the mapping file and the settings
 * ("customer", "product", "order"); the .ui files use them too. */
static const struct {
  const char *name;
  const char *icon_name;
} kind_info[TDM_N_KINDS] = {
  [TDM_KIND_CUSTOMER] = { "customer", "system-users-symbolic" },
  [TDM_KIND_PRODUCT]  = { "product",  "package-x-generic-symbolic" },
  [TDM_KIND_ORDER]    = { "order",    "emblem-documents-symbolic" },
};

static const ColumnInfo customer_columns[] = {
  { N_("Name"), FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE },
  { N_("Email"), FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE },
  { N_("Phone"), FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
};
static const ColumnInfo product_columns[] = {
  { N_("Title"), FIELD_TITLE, TDM_STORE_SORT_TITLE, TRUE },
  { N_("SKU"), FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, FALSE },
  { N_("Price"), FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
  { N_("Product status"), FIELD_EXTRA2, -1, FALSE },
};
static const ColumnInfo order_columns[] = {
  { N_("Order"), FIELD_TITLE, TDM_STORE_SORT_TITLE, FALSE },
  { N_("Customer"), FIELD_SUBTITLE, TDM_STORE_SORT_SUBTITLE, TRUE },
  { N_("Total"), FIELD_EXTRA, TDM_STORE_SORT_EXTRA, FALSE },
  { N_("Payment · Fulfillment"), FIELD_EXTRA2, -1, FALSE },
};
static const ColumnInfo common_columns[] = {
  { N_("Webshop ID"), FIELD_WEBSHOP_ID, -1, FALSE },
  { N_("Shopify ID"), FIELD_SHOPIFY_ID, -1, FALSE },
  { N_("Sync status"), FIELD_STATUS, TDM_STORE_SORT_STATUS, FALSE },
  { N_("Last synced"), FIELD_LAST_SYNCED, TDM_STORE_SORT_LAST_SYNCED, FALSE },
};

static gboolean
parse_kind (const char *str,
            TdmKind    *out)
{
  for (guint i = 0; i < TDM_N_KINDS; i++)
    {
      if (g_strcmp0 (kind_info[i].name, str) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
empty_title (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("No Customers Yet");
    case TDM_KIND_PRODUCT:
      return _("No Products Yet");
    case TDM_KIND_ORDER:
    default:
      return _("No Orders Yet");
    }
}

static const char *
search_hint (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("Search customers by name, email, phone or ID");
    case TDM_KIND_PRODUCT:
      return _("Search products by title, SKU or ID");
    case TDM_KIND_ORDER:
    default:
      return _("Search orders by number, customer or ID");
    }
}

static char *
format_count (TdmKind kind,
              guint   n)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return g_strdup_printf (ngettext ("%'u customer", "%'u customers", n), n);
    case TDM_KIND_PRODUCT:
      return g_strdup_printf (ngettext ("%'u product", "%'u products", n), n);
    case TDM_KIND_ORDER:
    default:
      return g_strdup_printf (ngettext ("%'u order", "%'u orders", n), n);
    }
}

static TdmLinkStatus
selected_status (TdmEntityPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return TDM_LINK_STATUS_ALL;
  return (TdmLinkStatus) (selected - 1);
}

static gboolean
filter_active (TdmEntityPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (text != NULL && *text != '\0') || selected_status (self) != TDM_LINK_STATUS_ALL;
}

static void
update_state (TdmEntityPage *self)
{
  gboolean configured = self->context != NULL && tdm_context_get_configured (self->context);
  guint n_items = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *count = format_count (self->kind, n_items);

  gtk_label_set_label (self->count_label, count);

  if (n_items > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "content");
      gtk_stack_set_visible_child_name (self->list_stack, "list");
    }
  else if (self->model != NULL && self->loaded_once && filter_active (self))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
      g_autofree char *description = NULL;

      if (text != NULL && *text != '\0')
        description = g_strdup_printf (_("Nothing matches “%s” with this filter. Try fewer or other words."), text);
      else
        description = g_strdup (_("No records have this sync status."));
      adw_status_page_set_description (self->no_results_page, description);
      gtk_stack_set_visible_child_name (self->stack, "content");
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, configured ? "empty" : "unconfigured");
}

static void
apply_kind (TdmEntityPage *self)
{
  adw_status_page_set_icon_name (self->unconfigured_page, kind_info[self->kind].icon_name);
  adw_status_page_set_icon_name (self->empty_page, kind_info[self->kind].icon_name);
  adw_status_page_set_title (self->empty_page, empty_title (self->kind));
  g_object_set (self->search_entry, "placeholder-text", search_hint (self->kind), NULL);
}

/* Cells */

static const char *
row_text (TdmStoreRow *row,
          Field        field,
          char       **owned)
{
  gint64 when;

  switch (field)
    {
    case FIELD_TITLE:
      return tdm_store_row_get_title (row);
    case FIELD_SUBTITLE:
      return tdm_store_row_get_subtitle (row);
    case FIELD_EXTRA:
      return tdm_store_row_get_extra (row);
    case FIELD_EXTRA2:
      return tdm_store_row_get_extra2 (row);
    case FIELD_WEBSHOP_ID:
      return tdm_store_row_get_webshop_id (row);
    case FIELD_SHOPIFY_ID:
      return tdm_store_row_get_shopify_id (row);
    case FIELD_STATUS:
      return tdm_link_status_display_name (tdm_store_row_get_status (row));
    case FIELD_LAST_SYNCED:
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
  g_autofree char *lower = g_ascii_strdown (value, -1);

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
  g_auto(GStrv) parts = g_strsplit (text, " · ", -1);
  GString *out = g_string_new (NULL);

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
  double value = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0')
    return g_strdup (text);
  return g_strdup_printf ("%'.2f", value);
}

static void
update_cell (GtkListItem *list_item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  TdmRecordItem *item = gtk_list_item_get_item (list_item);
  Field field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "tdm-field"));
  TdmStoreRow *row = item != NULL ? tdm_record_item_get_row (item) : NULL;
  g_autofree char *owned = NULL;
  const char *text = row != NULL ? row_text (row, field, &owned) : NULL;
  g_autofree char *shown = NULL;

  if (text != NULL && *text != '\0' && row != NULL &&
      tdm_store_row_get_kind (row) != TDM_KIND_CUSTOMER)
    {
      if (field == FIELD_EXTRA)
        shown = display_amount (text);
      else if (field == FIELD_EXTRA2)
        shown = display_states (text);
    }
  gtk_label_set_label (label, shown != NULL ? shown : text != NULL ? text : "");

  if (field == FIELD_STATUS)
    {
      const char *old = g_object_get_data (G_OBJECT (label), "tdm-status-class");
      g_autofree char *css = NULL;

      if (old != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (label), old);
      gtk_widget_set_visible (GTK_WIDGET (label), row != NULL);
      if (row == NULL)
        return;

      css = g_strdup_printf ("tdm-status-%s", tdm_link_status_to_string (tdm_store_row_get_status (row)));
      gtk_widget_add_css_class (GTK_WIDGET (label), css);
      g_object_set_data_full (G_OBJECT (label), "tdm-status-class", g_steal_pointer (&css), g_free);
      {
        g_autofree char *name = g_strdup_printf (_("Sync status: %s"), text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      }
    }
}

static void
on_item_row_changed_cb (TdmRecordItem *item,
                        GParamSpec    *pspec,
                        GtkListItem   *list_item)
{
  update_cell (list_item);
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  Field field = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_data (G_OBJECT (label), "tdm-field", GINT_TO_POINTER (field));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (field == FIELD_STATUS)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_add_css_class (label, "tdm-badge");
    }
  else if (field == FIELD_EXTRA || field == FIELD_LAST_SYNCED)
    gtk_widget_add_css_class (label, "numeric");
  if (field == FIELD_WEBSHOP_ID || field == FIELD_SHOPIFY_ID || field == FIELD_LAST_SYNCED)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  TdmRecordItem *item = gtk_list_item_get_item (list_item);

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

/* Sorting: the store sorts, so the headers' sorter is only asked which
 * column is first and in which direction. Each column's sorter answers a
 * probe comparison by naming itself; GtkColumnViewSorter consults the
 * primary column first and inverts its answer when that column is
 * descending. */

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
apply_query (TdmEntityPage *self)
{
  if (self->model == NULL)
    return;

  tdm_record_model_set_query (self->model, selected_status (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                              self->sort, self->descending);
}

static void
on_sorter_changed_cb (GtkSorter       *sorter,
                      GtkSorterChange  change,
                      TdmEntityPage   *self)
{
  GtkOrdering ordering;
  gpointer sort;

  g_object_set_data (G_OBJECT (self->probe[0]), "tdm-probe-sort", NULL);
  ordering = gtk_sorter_compare (sorter, self->probe[0], self->probe[1]);
  sort = g_object_get_data (G_OBJECT (self->probe[0]), "tdm-probe-sort");

  self->sort = sort != NULL ? (TdmStoreSort) (GPOINTER_TO_INT (sort) - 1) : TDM_STORE_SORT_TITLE;
  self->descending = sort != NULL && ordering == GTK_ORDERING_LARGER;
  apply_query (self);
}

static void
add_columns (TdmEntityPage    *self,
             const ColumnInfo *columns,
             guint             n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb),
                        GINT_TO_POINTER (columns[i].field));
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), NULL);

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[i].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter = NULL;

          sorter = GTK_SORTER (gtk_custom_sorter_new (compare_probe,
                                                      GINT_TO_POINTER (columns[i].sort + 1),
                                                      NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
}

static void
setup_columns (TdmEntityPage *self)
{
  switch (self->kind)
    {
    case TDM_KIND_CUSTOMER:
      add_columns (self, customer_columns, G_N_ELEMENTS (customer_columns));
      break;
    case TDM_KIND_PRODUCT:
      add_columns (self, product_columns, G_N_ELEMENTS (product_columns));
      break;
    case TDM_KIND_ORDER:
    default:
      add_columns (self, order_columns, G_N_ELEMENTS (order_columns));
      break;
    }
  add_columns (self, common_columns, G_N_ELEMENTS (common_columns));
}

/* CSV export */

#define EXPORT_PAGE 1000

typedef struct {
  TdmStore      *store;
  TdmKind        kind;
  TdmLinkStatus  status;
  char          *search;
  TdmStoreSort   sort;
  gboolean       descending;
  GFile         *file;
  GPtrArray     *fields;   /* Field as pointers, in column order */
  GPtrArray     *titles;   /* char*, translated column titles */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->file);
  g_free (data->search);
  g_clear_pointer (&data->fields, g_ptr_array_unref);
  g_clear_pointer (&data->titles, g_ptr_array_unref);
  g_free (data);
}


static gboolean
write_line (GOutputStream  *out,
            GString        *line,
            GCancellable   *cancellable,
            GError        **error)
{
  g_string_append (line, "\r\n");
  return g_output_stream_write_all (out, line->str, line->len, NULL, cancellable, error);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 total;
  gssize written = 0;

  total = tdm_store_count (data->store, data->kind, data->status, data->search, &error);
  if (total < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  out = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        &error);
  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < data->titles->len; i++)
    tdm_csv_append_value (line, g_ptr_array_index (data->titles, i));
  if (!write_line (G_OUTPUT_STREAM (out), line, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (gint64 offset = 0; offset < total; offset += EXPORT_PAGE)
    {
      g_autoptr(GPtrArray) rows = NULL;

      rows = tdm_store_query (data->store, data->kind, data->status, data->search, data->sort,
                              data->descending, offset, EXPORT_PAGE, &error);
      if (rows == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      for (guint r = 0; r < rows->len; r++)
        {
          TdmStoreRow *row = g_ptr_array_index (rows, r);

          g_string_truncate (line, 0);
          for (guint i = 0; i < data->fields->len; i++)
            {
              Field field = GPOINTER_TO_INT (g_ptr_array_index (data->fields, i));
              g_autofree char *owned = NULL;
              g_autofree char *iso = NULL;
              const char *text;

              if (field == FIELD_STATUS)
                text = tdm_link_status_to_string (tdm_store_row_get_status (row));
              else if (field == FIELD_LAST_SYNCED)
                {
                  gint64 when = tdm_store_row_get_last_synced (row);
                  g_autoptr(GDateTime) dt = when > 0 ? g_date_time_new_from_unix_utc (when) : NULL;

                  iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
                  text = iso;
                }
              else
                text = row_text (row, field, &owned);
              tdm_csv_append_value (line, text);
            }
          if (!write_line (G_OUTPUT_STREAM (out), line, cancellable, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          written++;
        }

      if (rows->len < EXPORT_PAGE)
        break;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, written);
}

static void
add_export_columns (ExportData       *data,
                    const ColumnInfo *columns,
                    guint             n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    {
      g_ptr_array_add (data->fields, GINT_TO_POINTER (columns[i].field));
      g_ptr_array_add (data->titles, g_strdup (_(columns[i].title)));
    }
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_file_get_basename (file);
  gssize n;

  n = tdm_entity_page_export_finish (self, result, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The export to %s failed: %s"), name, error->message);
    }
  else
    text = g_strdup_printf (ngettext ("Exported %'ld record to %s.", "Exported %'ld records to %s.", n),
                            (long) n, name);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TdmEntityPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      tdm_entity_page_export_async (self, file, self->cancellable, on_exported_cb, file);
    }
  g_object_unref (dialog);
}

static void
on_export_clicked_cb (TdmEntityPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  /* Translators: the suggested file name of an export, e.g. "customers.csv". */
  name = g_strdup_printf (_("%s.csv"), tdm_kind_display_plural (self->kind));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Conflict count badge */

static void
count_conflicts_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  TdmStore *store = task_data;
  TdmEntityPage *self = source_object;
  g_autoptr(GError) error = NULL;
  gint64 counts[TDM_N_LINK_STATUS] = { 0 };

  if (!tdm_store_count_by_status (store, self->kind, counts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, counts[TDM_LINK_STATUS_CONFLICT]);
}

static void
on_conflicts_counted_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (error != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), n > 0);
  text = g_strdup_printf (ngettext ("%'ld conflict", "%'ld conflicts", n), (long) n);
  gtk_label_set_label (self->conflicts_label, text);
}

static void
count_conflicts (TdmEntityPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    return;

  task = g_task_new (self, self->cancellable, on_conflicts_counted_cb, NULL);
  g_task_set_source_tag (task, count_conflicts);
  g_task_set_name (task, "tdm-count-conflicts");
  g_task_set_task_data (task, g_object_ref (tdm_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, count_conflicts_in_thread);
}

/* Signal handlers */

static void
reveal_pending_record (TdmEntityPage *self)
{
  guint n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->model)), TDM_RECORD_MODEL_PAGE_SIZE);
  g_autofree char *id = g_steal_pointer (&self->reveal_id);

  /* The first page is in as soon as the query answers. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      TdmStoreRow *row = tdm_record_item_get_row (item);

      if (row != NULL && g_strcmp0 (tdm_store_row_get_id (row, self->reveal_side), id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          tdm_entity_page_show_detail (self, i);
          return;
        }
    }
}

static void
on_model_reloaded_cb (TdmEntityPage  *self,
                      GError         *error,
                      TdmRecordModel *model)
{
  self->loaded_once = TRUE;
  if (error != NULL)
    g_warning ("Could not read the %s: %s", kind_info[self->kind].name, error->message);
  update_state (self);
  if (self->reveal_id != NULL && error == NULL)
    reveal_pending_record (self);
}

static void
on_model_items_changed_cb (TdmEntityPage *self)
{
  update_state (self);
}

static void
on_context_configured_cb (TdmEntityPage *self,
                          GParamSpec    *pspec,
                          TdmContext    *context)
{
  update_state (self);
}

static void
on_engine_state_cb (TdmEntityPage *self,
                    GParamSpec    *pspec,
                    TdmSyncEngine *engine)
{
  if (!tdm_sync_engine_is_running (engine))
    tdm_entity_page_reload (self);
}

static void
on_search_changed_cb (TdmEntityPage *self)
{
  apply_query (self);
}

static void
on_stop_search_cb (TdmEntityPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_status_selected_cb (TdmEntityPage *self)
{
  apply_query (self);
}

static void
on_conflicts_clicked_cb (TdmEntityPage *self)
{
  tdm_entity_page_set_status_filter (self, TDM_LINK_STATUS_CONFLICT);
}

static void
on_detail_close_cb (TdmEntityPage *self)
{
  adw_flap_set_reveal_flap (self->flap, FALSE);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
on_detail_changed_cb (TdmEntityPage *self)
{
  tdm_entity_page_reload (self);
}

static void
on_selection_changed_cb (TdmEntityPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    tdm_entity_page_show_detail (self, position);
}

static void
on_column_view_activate_cb (TdmEntityPage *self,
                            guint          position)
{
  tdm_entity_page_show_detail (self, position);
}

/* GObject */

static void
tdm_entity_page_dispose (GObject *object)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TDM_TYPE_ENTITY_PAGE);
  /* The template's top widget is not bound to a field: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->context);
  g_clear_object (&self->probe[0]);
  g_clear_object (&self->probe[1]);
  g_clear_pointer (&self->reveal_id, g_free);

  G_OBJECT_CLASS (tdm_entity_page_parent_class)->dispose (object);
}

static void
tdm_entity_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, kind_info[self->kind].name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_entity_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      if (!parse_kind (g_value_get_string (value), &self->kind))
        g_warning ("Unknown record kind “%s” for an entity page.", g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_entity_page_constructed (GObject *object)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);

  G_OBJECT_CLASS (tdm_entity_page_parent_class)->constructed (object);

  apply_kind (self);
  setup_columns (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
}

static void
tdm_entity_page_class_init (TdmEntityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tdm_entity_page_dispose;
  object_class->constructed = tdm_entity_page_constructed;
  object_class->get_property = tdm_entity_page_get_property;
  object_class->set_property = tdm_entity_page_set_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "customer",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TDM_TYPE_RECORD_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tdm-entity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, unconfigured_page);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, flap);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_conflicts_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tdm_entity_page_init (TdmEntityPage *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->sort = TDM_STORE_SORT_TITLE;
  for (guint i = 0; i < G_N_ELEMENTS (self->probe); i++)
    {
      self->probe[i] = g_object_new (TDM_TYPE_RECORD_ITEM, NULL);
      g_object_set_data (G_OBJECT (self->probe[i]), "tdm-probe", GINT_TO_POINTER (TRUE));
    }

  gtk_string_list_append (statuses, _("All statuses"));
  for (guint i = 0; i < TDM_N_LINK_STATUS; i++)
    gtk_string_list_append (statuses, tdm_link_status_display_name (i));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (on_column_view_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "changed",
                           G_CALLBACK (on_detail_changed_cb), self, G_CONNECT_SWAPPED);
}

TdmEntityPage *
tdm_entity_page_new (TdmKind kind)
{
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  return g_object_new (TDM_TYPE_ENTITY_PAGE, "kind", kind_info[kind].name, NULL);
}

TdmKind
tdm_entity_page_get_kind (TdmEntityPage *self)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), TDM_KIND_CUSTOMER);

  return self->kind;
}

void
tdm_entity_page_set_context (TdmEntityPage *self,
                             TdmContext    *context)
{
  TdmRecordStore *store;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));
  g_return_if_fail (context == NULL || TDM_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->context, self);
      if (tdm_context_get_engine (self->context) != NULL)
        g_signal_handlers_disconnect_by_data (tdm_context_get_engine (self->context), self);
    }
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  self->loaded_once = FALSE;

  g_set_object (&self->context, context);
  if (context == NULL)
    {
      update_state (self);
      return;
    }

  g_signal_connect_object (context, "notify::configured",
                           G_CALLBACK (on_context_configured_cb), self, G_CONNECT_SWAPPED);
  if (tdm_context_get_engine (context) != NULL)
    g_signal_connect_object (tdm_context_get_engine (context), "notify::state",
                             G_CALLBACK (on_engine_state_cb), self, G_CONNECT_SWAPPED);

  store = tdm_context_get_store (context);
  if (TDM_IS_STORE (store))
    {
      self->model = tdm_record_model_new (TDM_STORE (store), self->kind);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      g_signal_connect_object (self->selection, "selection-changed",
                               G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->model, "reloaded",
                               G_CALLBACK (on_model_reloaded_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->model, "items-changed",
                               G_CALLBACK (on_model_items_changed_cb), self, G_CONNECT_SWAPPED);
      apply_query (self);
      count_conflicts (self);
    }

  update_state (self);
}

const char *
tdm_entity_page_get_state (TdmEntityPage *self)
{
  const char *name;

  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (name, "content") == 0)
    return gtk_stack_get_visible_child_name (self->list_stack);
  return name;
}

void
tdm_entity_page_focus_search (TdmEntityPage *self)
{
  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "content") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
tdm_entity_page_reload (TdmEntityPage *self)
{
  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));

  if (self->model == NULL)
    return;

  tdm_record_model_reload (self->model);
  count_conflicts (self);
  if (adw_flap_get_reveal_flap (self->flap) && tdm_record_detail_get_row (self->detail) != NULL)
    tdm_record_detail_show (self->detail, self->context, tdm_record_detail_get_row (self->detail));
}

TdmRecordModel *
tdm_entity_page_get_model (TdmEntityPage *self)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), NULL);

  return self->model;
}

GtkColumnView *
tdm_entity_page_get_column_view (TdmEntityPage *self)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), NULL);

  return self->column_view;
}

void
tdm_entity_page_set_search (TdmEntityPage *self,
                            const char    *text)
{
  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));

  /* Set directly and apply now, without the entry's typing delay. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  apply_query (self);
}

void
tdm_entity_page_set_status_filter (TdmEntityPage *self,
                                   TdmLinkStatus  status)
{
  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));

  gtk_drop_down_set_selected (self->status_dropdown,
                              status == TDM_LINK_STATUS_ALL ? 0 : (guint) status + 1);
}

void
tdm_entity_page_show_detail (TdmEntityPage *self,
                             guint          position)
{
  g_autoptr(TdmRecordItem) item = NULL;
  TdmStoreRow *row;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));

  if (self->model == NULL)
    return;

  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  row = item != NULL ? tdm_record_item_get_row (item) : NULL;
  if (row == NULL)
    return;

  tdm_record_detail_show (self->detail, self->context, row);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

TdmRecordDetail *
tdm_entity_page_get_detail (TdmEntityPage *self)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), NULL);

  return self->detail;
}

void
tdm_entity_page_export_async (TdmEntityPage       *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_entity_page_export_async);
  g_task_set_name (task, "tdm-entity-export");

  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                               _("There are no records to export yet."));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (TDM_STORE (tdm_context_get_store (self->context)));
  data->kind = self->kind;
  data->status = selected_status (self);
  data->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (data->search != NULL && *data->search == '\0')
    g_clear_pointer (&data->search, g_free);
  data->sort = self->sort;
  data->descending = self->descending;
  data->file = g_object_ref (file);
  data->fields = g_ptr_array_new ();
  data->titles = g_ptr_array_new_with_free_func (g_free);
  switch (self->kind)
    {
    case TDM_KIND_CUSTOMER:
      add_export_columns (data, customer_columns, G_N_ELEMENTS (customer_columns));
      break;
    case TDM_KIND_PRODUCT:
      add_export_columns (data, product_columns, G_N_ELEMENTS (product_columns));
      break;
    case TDM_KIND_ORDER:
    default:
      add_export_columns (data, order_columns, G_N_ELEMENTS (order_columns));
      break;
    }
  add_export_columns (data, common_columns, G_N_ELEMENTS (common_columns));

  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_in_thread);
}

gssize
tdm_entity_page_export_finish (TdmEntityPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

void
tdm_entity_page_reveal_record (TdmEntityPage *self,
                               TdmSide        side,
                               const char    *id)
{
  const char *slash;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));
  g_return_if_fail (id != NULL);

  g_free (self->reveal_id);
  self->reveal_id = g_strdup (id);
  self->reveal_side = side;

  /* Shopify ids are searched by their number. */
  slash = strrchr (id, '/');
  g_signal_handlers_block_by_func (self->status_dropdown, on_status_selected_cb, self);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->status_dropdown, on_status_selected_cb, self);
  tdm_entity_page_set_search (self, slash != NULL ? slash + 1 : id);
}
