/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-entity-page-private.h"

/* One entity page class for the three record kinds: its states
 * (unconfigured, empty, list, no results), the search and status filter,
 * the detail flap, following commits while a sync runs, and the public
 * API. Columns, the conflict badge and CSV export live in
 * tdm-entity-columns.c, -conflicts.c and -export.c. */

/* While a sync runs, the rows are read again this often (milliseconds):
 * records appear as they are committed. */
#define LIVE_REFRESH_INTERVAL 1000

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

/* ---- States ---- */

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

/* The search entry's placeholder: short, so that it is not cut off with
 * the detail open. */
static const char *
search_placeholder (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("Search customers");
    case TDM_KIND_PRODUCT:
      return _("Search products");
    case TDM_KIND_ORDER:
    default:
      return _("Search orders");
    }
}

/* … and its tooltip: what a search looks at. */
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

TdmLinkStatus
_tdm_entity_page_get_selected_status (TdmEntityPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return TDM_LINK_STATUS_ALL;
  return (TdmLinkStatus) (selected - 1);
}

static gboolean
filter_active (TdmEntityPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (text != NULL && *text != '\0') ||
         _tdm_entity_page_get_selected_status (self) != TDM_LINK_STATUS_ALL;
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

void
_tdm_entity_page_apply_query (TdmEntityPage *self)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (self->model == NULL)
    return;

  tdm_record_model_set_query (self->model, _tdm_entity_page_get_selected_status (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                              self->sort, self->descending);
}

static void
apply_kind (TdmEntityPage *self)
{
  g_assert (self->kind < TDM_N_KINDS);

  adw_status_page_set_icon_name (self->unconfigured_page, kind_info[self->kind].icon_name);
  adw_status_page_set_icon_name (self->empty_page, kind_info[self->kind].icon_name);
  adw_status_page_set_title (self->empty_page, empty_title (self->kind));
  g_object_set (self->search_entry, "placeholder-text", search_placeholder (self->kind), NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), search_hint (self->kind));
}

/* ---- Signal handlers ---- */

/* ---- The record the detail shows ---- */

/* The detail's record, by the id it is known by on the page (either side's
 * id finds its row, also after it got linked). */
static TdmStoreRow *
read_detail_row (TdmEntityPage *self,
                 TdmStoreRow   *shown)
{
  TdmRecordStore *store = tdm_context_get_store (self->context);
  TdmSide side = tdm_store_row_get_webshop_id (shown) != NULL ? TDM_SIDE_WEBSHOP
                                                              : TDM_SIDE_SHOPIFY;
  g_autoptr(GError) error = NULL;
  TdmStoreRow *row;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (TDM_IS_STORE_ROW (shown));

  if (!TDM_IS_STORE (store))
    return NULL;
  row = tdm_store_get_row (TDM_STORE (store), self->kind, side,
                           tdm_store_row_get_id (shown, side), &error);
  if (error != NULL)
    g_warning ("Could not read the record shown: %s", error->message);
  return row;
}

/* Selects the row of `row`'s record when a loaded page holds it, else
 * nothing: the list never marks a record other than the one the detail
 * shows. */
static void
select_detail_row (TdmEntityPage *self,
                   TdmStoreRow   *row)
{
  guint position = GTK_INVALID_LIST_POSITION;
  TdmSide side;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (row == NULL || TDM_IS_STORE_ROW (row));

  if (row != NULL)
    {
      side = tdm_store_row_get_webshop_id (row) != NULL ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY;
      if (!tdm_record_model_find (self->model, side, tdm_store_row_get_id (row, side), &position))
        position = GTK_INVALID_LIST_POSITION;
    }
  if (gtk_single_selection_get_selected (self->selection) == position)
    return;
  self->selecting = TRUE;
  if (position == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  else
    gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

/* Opens `row`'s record in the detail. */
static void
open_detail (TdmEntityPage *self,
             TdmStoreRow   *row)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (TDM_IS_STORE_ROW (row));

  tdm_record_detail_show (self->detail, self->context, row);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* After the rows were read again: the open detail shows its record as it
 * is now (without the owner selecting it again), and the selection
 * follows that record to its position. */
static void
follow_detail (TdmEntityPage *self)
{
  TdmStoreRow *shown = tdm_record_detail_get_row (self->detail);
  g_autoptr(TdmStoreRow) fresh = NULL;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (!adw_flap_get_reveal_flap (self->flap) || shown == NULL || self->context == NULL)
    return;
  fresh = read_detail_row (self, shown);
  if (fresh != NULL && !tdm_store_row_equal (fresh, shown))
    tdm_record_detail_show (self->detail, self->context, fresh);
  select_detail_row (self, fresh != NULL ? fresh : shown);
}

/* Products carry no currency: their prices are shown in the currency of
 * the shop's newest order. `drawn`: the page has shown rows before. */
static void
read_shop_currency (TdmEntityPage *self,
                    gboolean       drawn)
{
  TdmRecordStore *store = self->context != NULL ? tdm_context_get_store (self->context) : NULL;
  g_autoptr(GPtrArray) orders = NULL;
  const char *currency = NULL;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (self->kind != TDM_KIND_PRODUCT || !TDM_IS_STORE (store))
    return;
  orders = tdm_store_query (TDM_STORE (store), TDM_KIND_ORDER, TDM_LINK_STATUS_ALL, NULL,
                            TDM_STORE_SORT_LAST_SYNCED, TRUE, 0, 1, NULL);
  if (orders != NULL && orders->len > 0)
    currency = tdm_store_row_get_currency (g_ptr_array_index (orders, 0));
  if (g_strcmp0 (currency, self->shop_currency) == 0)
    return;
  /* Read before the rows are bound (the column view binds them after the
   * model's "reloaded"). */
  g_free (self->shop_currency);
  self->shop_currency = g_strdup (currency);
  /* The shop's first orders came after its products (a first sync commits
   * them last): rows drawn without a currency keep their cells through a
   * refresh, so they are read again and drawn anew, this once. */
  if (drawn && g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    tdm_record_model_reload (self->model);
}

static void
on_model_reloaded_cb (TdmEntityPage  *self,
                      GError         *error,
                      TdmRecordModel *model)
{
  gboolean drawn = self->loaded_once;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  self->loaded_once = TRUE;
  if (error != NULL)
    g_warning ("Could not read the %s: %s", kind_info[self->kind].name, error->message);
  read_shop_currency (self, drawn);
  update_state (self);
  if (error == NULL)
    follow_detail (self);
}

/* ---- Following a sync ---- */

static gboolean
on_live_refresh_cb (gpointer user_data)
{
  TdmEntityPage *self = user_data;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  /* One read at a time: a large list may take longer than the interval. */
  if (self->model != NULL && !tdm_record_model_get_loading (self->model))
    {
      tdm_record_model_refresh (self->model);
      _tdm_entity_page_count_conflicts (self);
    }
  return G_SOURCE_CONTINUE;
}

/* The empty state's Sync Now while a sync runs: nothing to start, and the
 * page says that records appear as they are saved. */
static void
update_empty_sync (TdmEntityPage *self,
                   gboolean       running)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->empty_sync_button), !running);
  gtk_button_set_label (self->empty_sync_button, running ? _("Syncing…") : _("_Sync Now"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->empty_sync_button),
                               running ? _("A sync is running already") : NULL);
  adw_status_page_set_description (self->empty_page,
                                   running ? _("Reading both shops. Records appear here as "
                                               "they are saved.")
                                           : _("Press Sync to fetch the records from both "
                                               "shops."));
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
  gboolean running;

  g_assert (TDM_IS_ENTITY_PAGE (self));
  g_assert (TDM_IS_SYNC_ENGINE (engine));

  running = tdm_sync_engine_is_running (engine);
  update_empty_sync (self, running);
  if (running && self->live_id == 0)
    self->live_id = g_timeout_add (LIVE_REFRESH_INTERVAL, on_live_refresh_cb, self);
  else if (!running)
    {
      g_clear_handle_id (&self->live_id, g_source_remove);
      tdm_entity_page_reload (self);
    }
}

static void
on_search_changed_cb (TdmEntityPage *self)
{
  _tdm_entity_page_apply_query (self);
}

static void
on_stop_search_cb (TdmEntityPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_status_selected_cb (TdmEntityPage *self)
{
  _tdm_entity_page_apply_query (self);
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
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* "detail.close" (Escape; the search entry takes Escape first when it has
 * the focus): enabled while the detail is open, so that Escape goes on to
 * others when it is not. */
static void
close_detail_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (widget);

  g_assert (TDM_IS_ENTITY_PAGE (self));

  on_detail_close_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_flap_revealed_cb (TdmEntityPage *self)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.close",
                                 adw_flap_get_reveal_flap (self->flap));
  _tdm_entity_page_update_columns (self);
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

  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (!self->selecting && position != GTK_INVALID_LIST_POSITION)
    tdm_entity_page_show_detail (self, position);
}

static void
on_column_view_activate_cb (TdmEntityPage *self,
                            guint          position)
{
  tdm_entity_page_show_detail (self, position);
}

/* ---- GObject ---- */

static void
tdm_entity_page_dispose (GObject *object)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->live_id, g_source_remove);
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
  g_clear_object (&self->column_actions);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tdm_entity_page_parent_class)->dispose (object);
}

static void
tdm_entity_page_finalize (GObject *object)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (object);

  g_free (self->shop_currency);

  G_OBJECT_CLASS (tdm_entity_page_parent_class)->finalize (object);
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
  _tdm_entity_page_setup_columns (self);
}

static void
tdm_entity_page_class_init (TdmEntityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tdm_entity_page_dispose;
  object_class->finalize = tdm_entity_page_finalize;
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
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, empty_sync_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, flap);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, columns_button);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, TdmEntityPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_conflicts_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_close_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_export_clicked_cb",
                                                G_CALLBACK (_tdm_entity_page_export_clicked_cb));
  gtk_widget_class_install_action (widget_class, "detail.close", NULL, close_detail_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "detail.close", NULL);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.close", FALSE);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (_tdm_entity_page_update_columns), self, G_CONNECT_SWAPPED);
}

/* ---- Public ---- */

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
  g_clear_handle_id (&self->live_id, g_source_remove);
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
    {
      g_signal_connect_object (tdm_context_get_engine (context), "notify::state",
                               G_CALLBACK (on_engine_state_cb), self, G_CONNECT_SWAPPED);
      update_empty_sync (self, tdm_sync_engine_is_running (tdm_context_get_engine (context)));
    }

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
      _tdm_entity_page_apply_query (self);
      _tdm_entity_page_count_conflicts (self);
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

  /* The same query read again in place: the list keeps its scroll
   * position, and the detail follows its record when the rows are in. */
  tdm_record_model_refresh (self->model);
  _tdm_entity_page_count_conflicts (self);
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
  _tdm_entity_page_apply_query (self);
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

  open_detail (self, row);
  select_detail_row (self, row);
}

TdmRecordDetail *
tdm_entity_page_get_detail (TdmEntityPage *self)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), NULL);

  return self->detail;
}

void
tdm_entity_page_reveal_record (TdmEntityPage *self,
                               TdmSide        side,
                               const char    *id)
{
  TdmRecordStore *store;
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));
  g_return_if_fail (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);
  g_return_if_fail (id != NULL);

  store = self->context != NULL ? tdm_context_get_store (self->context) : NULL;
  if (TDM_IS_STORE (store))
    row = tdm_store_get_row (TDM_STORE (store), self->kind, side, id, &error);
  if (row == NULL)
    {
      /* Never leave another record on show as if it were this one. */
      on_detail_close_cb (self);
      if (error != NULL)
        g_warning ("Could not read the record %s: %s", id, error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                                  _("This record is not in Tandem’s lists any more: it was "
                                    "deleted, or the next sync reads it again."));
      return;
    }

  /* The record itself, whatever the list is filtered to; marked in the
   * list when the list shows it. */
  gtk_stack_set_visible_child_name (self->stack, "content");
  open_detail (self, row);
  select_detail_row (self, row);
}