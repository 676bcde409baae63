/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-detail-private.h"

/* The side pane of an entity page, in the owner's words: the record's sync
 * status, pending conflicts with the choice of value, its problems, both
 * shops' values side by side (tdm-detail-fields.c), its history, and the
 * ids and property paths behind "Technical details" (docs/architecture.md,
 * The record details). Everything is read on a worker thread. */

G_DEFINE_FINAL_TYPE (TdmRecordDetail, tdm_record_detail, GTK_TYPE_WIDGET)

enum {
  CLOSE,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Reading ---- */

static void
detail_data_clear (TdmDetailData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->mapping);
  g_clear_object (&data->row);
  for (guint i = 0; i < TDM_N_SIDES; i++)
    {
      g_free (data->ids[i]);
      g_clear_pointer (&data->records[i], tdm_record_unref);
    }
  g_clear_pointer (&data->errors, g_ptr_array_unref);
  g_clear_pointer (&data->conflicts, g_ptr_array_unref);
  g_clear_pointer (&data->settled, g_ptr_array_unref);
  g_clear_pointer (&data->history, g_ptr_array_unref);
  g_clear_pointer (&data->references, g_hash_table_unref);
  g_clear_pointer (&data->shop_currency, g_free);
}

TdmDetailData *
_tdm_detail_data_ref (TdmDetailData *data)
{
  return g_atomic_rc_box_acquire (data);
}

void
_tdm_detail_data_unref (TdmDetailData *data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) detail_data_clear);
}

static JsonNode *
record_field (TdmRecord  *record,
              const char *name)
{
  if (record == NULL || record->fields == NULL || !json_object_has_member (record->fields, name))
    return NULL;
  return json_object_get_member (record->fields, name);
}

/* The title of the record `id` refers to (a webshop id, or a Shopify GID
 * not linked yet), so that the panel names it instead of showing the id. */
static void
read_reference (TdmDetailData *data,
                TdmKind        kind,
                JsonNode      *value)
{
  g_autoptr(TdmStoreRow) row = NULL;
  const char *id;

  g_assert (data != NULL);

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_STRING)
    return;
  id = json_node_get_string (value);
  if (id == NULL || g_hash_table_contains (data->references, id))
    return;
  row = tdm_store_get_row (TDM_STORE (data->store), kind,
                           g_str_has_prefix (id, "gid://") ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP,
                           id, NULL);
  if (row != NULL && tdm_store_row_get_title (row) != NULL)
    g_hash_table_insert (data->references, g_strdup (id), g_strdup (tdm_store_row_get_title (row)));
}

static void
read_references (TdmDetailData *data)
{
  GPtrArray *rows;

  g_assert (data != NULL);

  data->references = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (data->mapping == NULL)
    return;

  rows = tdm_mapping_get_rows (data->mapping, data->kind);
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      TdmKind kind = g_strcmp0 (row->transform, "product_ref") == 0 ? TDM_KIND_PRODUCT
                                                                    : TDM_KIND_CUSTOMER;

      if (row->type != TDM_VALUE_REFERENCE)
        continue;
      for (guint side = 0; side < TDM_N_SIDES; side++)
        {
          const TdmMappingRow *parent = row->parent >= 0 ? g_ptr_array_index (rows, row->parent)
                                                         : NULL;
          JsonNode *value = record_field (data->records[side],
                                          parent != NULL ? parent->name : row->name);

          if (parent == NULL)
            read_reference (data, kind, value);
          else if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *items = json_node_get_array (value);

              for (guint j = 0; j < json_array_get_length (items); j++)
                read_reference (data, kind,
                                _tdm_detail_member (json_array_get_element (items, j), row->name));
            }
          else
            read_reference (data, kind, _tdm_detail_member (value, row->name));
        }
    }
}

/* A product's prices carry no currency: they are in the shop's, which its
 * latest order shows. */
static void
read_shop_currency (TdmDetailData *data)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(TdmRecord) order = NULL;
  TdmStoreRow *row;
  JsonNode *currency;
  const char *id;
  TdmSide side;

  g_assert (data != NULL);

  if (data->kind != TDM_KIND_PRODUCT)
    return;
  orders = tdm_store_query (TDM_STORE (data->store), TDM_KIND_ORDER, TDM_LINK_STATUS_ALL, NULL,
                            TDM_STORE_SORT_LAST_SYNCED, TRUE, 0, 1, NULL);
  if (orders == NULL || orders->len == 0)
    return;
  row = g_ptr_array_index (orders, 0);
  side = tdm_store_row_get_webshop_id (row) != NULL ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY;
  id = side == TDM_SIDE_WEBSHOP ? tdm_store_row_get_webshop_id (row)
                                : tdm_store_row_get_shopify_id (row);
  order = tdm_record_store_lookup_cached (data->store, TDM_KIND_ORDER, side, id, NULL);
  currency = record_field (order, "currency");
  if (currency != NULL && JSON_NODE_HOLDS_VALUE (currency) &&
      json_node_get_value_type (currency) == G_TYPE_STRING)
    data->shop_currency = g_strdup (json_node_get_string (currency));
}

static gboolean
read_records (TdmDetailData  *data,
              GError        **error)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_assert (data != NULL);

  for (guint side = 0; side < TDM_N_SIDES; side++)
    {
      if (data->ids[side] == NULL)
        continue;
      data->records[side] = tdm_record_store_lookup_cached (data->store, data->kind, side,
                                                            data->ids[side], error);
      /* A record that could not be read is not cached: its failed version. */
      if (data->records[side] == NULL && (error == NULL || *error == NULL))
        data->records[side] = tdm_store_get_failed_record (TDM_STORE (data->store), data->kind,
                                                           side, data->ids[side], error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  /* The row as stored now: the one the page passed may be older. */
  data->row = tdm_store_get_row (TDM_STORE (data->store), data->kind,
                                 data->ids[TDM_SIDE_WEBSHOP] != NULL ? TDM_SIDE_WEBSHOP
                                                                     : TDM_SIDE_SHOPIFY,
                                 data->ids[TDM_SIDE_WEBSHOP] != NULL ? data->ids[TDM_SIDE_WEBSHOP]
                                                                     : data->ids[TDM_SIDE_SHOPIFY],
                                 NULL);

  errors = tdm_store_list_errors (TDM_STORE (data->store), data->kind, 0, error);
  if (errors == NULL)
    return FALSE;
  data->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_store_error_free);
  for (guint i = 0; i < errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->record_id, data->ids[e->side]) == 0)
        g_ptr_array_add (data->errors, g_ptr_array_steal_index (errors, i--));
    }
  return TRUE;
}

static gboolean
read_conflicts (TdmDetailData  *data,
                GError        **error)
{
  const char *webshop_id = data->ids[TDM_SIDE_WEBSHOP];

  g_assert (data != NULL);

  if (webshop_id == NULL)
    return TRUE;
  data->conflicts = tdm_record_store_list_conflicts (data->store, data->kind, webshop_id, error);
  if (data->conflicts == NULL)
    return FALSE;
  data->settled = tdm_store_list_settled_conflicts (TDM_STORE (data->store), data->kind,
                                                    webshop_id, error);
  return data->settled != NULL;
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TdmDetailData *data = task_data;
  g_autoptr(GError) error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  if (!read_records (data, &error) || !read_conflicts (data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->history = tdm_store_list_history (TDM_STORE (data->store), data->kind,
                                          data->ids[TDM_SIDE_WEBSHOP],
                                          data->ids[TDM_SIDE_SHOPIFY], 30, &error);
  if (data->history == NULL && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_references (data);
  read_shop_currency (data);

  g_task_return_boolean (task, TRUE);
}

/* ---- Building blocks ---- */

GtkListBox *
_tdm_detail_add_group (TdmRecordDetail *self,
                       const char      *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = _tdm_detail_label_new (title, TRUE);
  GtkWidget *list = gtk_list_box_new ();

  g_assert (TDM_IS_RECORD_DETAIL (self));

  gtk_widget_add_css_class (label, "heading");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (self->content_box, box);

  return GTK_LIST_BOX (list);
}

AdwActionRow *
_tdm_detail_add_row (GtkListBox *list,
                     const char *title,
                     const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  g_assert (GTK_IS_LIST_BOX (list));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  gtk_list_box_append (list, GTK_WIDGET (row));

  return row;
}

GtkWidget *
_tdm_detail_label_new (const char *text,
                       gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (text);
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Words are never broken with a hyphen ("f-irst_name"). */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  if (!wrap)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

void
_tdm_detail_words_only (GtkWidget *widget)
{
  g_assert (GTK_IS_WIDGET (widget));

  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)))
    {
      PangoAttrList *old = gtk_label_get_attributes (GTK_LABEL (widget));
      PangoAttrList *attrs = old != NULL ? pango_attr_list_copy (old) : pango_attr_list_new ();

      pango_attr_list_change (attrs, pango_attr_insert_hyphens_new (FALSE));
      gtk_label_set_attributes (GTK_LABEL (widget), attrs);
      pango_attr_list_unref (attrs);
      if (!gtk_widget_has_css_class (widget, "tdm-value"))
        gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    _tdm_detail_words_only (child);
}

GtkWidget *
_tdm_detail_badge_new (const char *text,
                       const char *css_class)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (badge, GTK_ALIGN_END);
  gtk_widget_add_css_class (badge, "tdm-badge");
  gtk_widget_add_css_class (badge, css_class);
  return badge;
}

GtkWidget *
_tdm_detail_sync_button_new (TdmKind     kind,
                             TdmSide     side,
                             const char *record_id,
                             const char *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  g_autofree char *target = g_strdup_printf ("%s/%s/%s", tdm_kind_to_string (kind),
                                             tdm_side_to_string (side), record_id);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.sync-record");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

void
_tdm_detail_format_init (TdmRecordDetail *self,
                         TdmDetailData   *data,
                         TdmDetailFormat *format)
{
  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (data != NULL && format != NULL);

  format->locale = tdm_format_locale_default ();
  format->now = g_date_time_new_now_local ();
  format->currency = NULL;
  format->references = data->references;
  for (guint side = 0; side < TDM_N_SIDES && format->currency == NULL; side++)
    {
      JsonNode *currency = record_field (data->records[side], "currency");

      if (currency != NULL && JSON_NODE_HOLDS_VALUE (currency) &&
          json_node_get_value_type (currency) == G_TYPE_STRING)
        format->currency = json_node_get_string (currency);
    }
  if (format->currency == NULL)
    format->currency = data->shop_currency;
}

void
_tdm_detail_format_clear (TdmDetailFormat *format)
{
  g_clear_pointer (&format->now, g_date_time_unref);
}

void
_tdm_detail_changed (TdmRecordDetail *self)
{
  g_assert (TDM_IS_RECORD_DETAIL (self));

  g_signal_emit (self, signals[CHANGED], 0);
  if (self->row != NULL)
    tdm_record_detail_show (self, self->context, self->row);
}

/* ---- Groups ---- */

static const char *
status_explanation (TdmLinkStatus status)
{
  switch (status)
    {
    case TDM_LINK_STATUS_LINKED:
      return _("The same record in both shops.");
    case TDM_LINK_STATUS_ONLY_WEBSHOP:
      return _("Only in the webshop so far.");
    case TDM_LINK_STATUS_ONLY_SHOPIFY:
      return _("Only in Shopify so far.");
    case TDM_LINK_STATUS_CONFLICT:
      return _("Both shops changed the same field. Choose the value to keep below.");
    case TDM_LINK_STATUS_ERROR:
      return _("A problem stopped this record from syncing. See Problems below.");
    case TDM_LINK_STATUS_ORPHANED:
      return _("It was deleted in one shop and kept in the other.");
    default:
      return NULL;
    }
}

static void
on_open_admin_activated_cb (AdwActionRow *row,
                            gpointer      user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "tdm-uri");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));

  g_assert (uri != NULL);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
add_summary_group (TdmRecordDetail       *self,
                   const TdmDetailFormat *format)
{
  GtkListBox *list = _tdm_detail_add_group (self, _("Record"));
  TdmKind kind = tdm_store_row_get_kind (self->row);
  TdmLinkStatus status = tdm_store_row_get_status (self->row);
  const char *webshop_id = tdm_store_row_get_webshop_id (self->row);
  const char *shopify_id = tdm_store_row_get_shopify_id (self->row);
  gint64 last = tdm_store_row_get_last_synced (self->row);
  g_autofree char *css = g_strdup_printf ("tdm-status-%s", tdm_link_status_to_string (status));
  g_autofree char *last_text = NULL;
  AdwActionRow *row;

  g_assert (format != NULL);

  row = _tdm_detail_add_row (list, _("Sync status"), status_explanation (status));
  adw_action_row_add_suffix (row, _tdm_detail_badge_new (tdm_link_status_display_name (status),
                                                         css));

  if (last > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (last);
      last_text = tdm_format_relative_time (format->locale, when, format->now);
    }
  row = _tdm_detail_add_row (list, _("Last synced"), last_text != NULL ? last_text : _("Never"));
  if (webshop_id != NULL)
    adw_action_row_add_suffix (row, _tdm_detail_sync_button_new (kind, TDM_SIDE_WEBSHOP, webshop_id,
                                                                 _("_Sync This Record")));
  else if (shopify_id != NULL)
    adw_action_row_add_suffix (row, _tdm_detail_sync_button_new (kind, TDM_SIDE_SHOPIFY, shopify_id,
                                                                 _("_Sync This Record")));

  if (shopify_id != NULL)
    {
      g_autofree char *uri = _tdm_detail_shopify_admin_url (self->context, kind, shopify_id);

      if (uri != NULL)
        {
          row = _tdm_detail_add_row (list, _("Open in Shopify"), NULL);
          adw_action_row_add_suffix (row,
                                     gtk_image_new_from_icon_name ("adw-external-link-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "tdm-uri", g_steal_pointer (&uri), g_free);
          g_signal_connect (row, "activated", G_CALLBACK (on_open_admin_activated_cb), NULL);
        }
    }
}

static void
add_errors_group (TdmRecordDetail *self,
                  TdmDetailData   *data)
{
  GtkListBox *list;

  g_assert (data != NULL);

  if (data->errors == NULL || data->errors->len == 0)
    return;

  list = _tdm_detail_add_group (self, _("Problems"));
  for (guint i = 0; i < data->errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (data->errors, i);
      g_autofree char *title = NULL;
      AdwActionRow *row;

      if (e->field != NULL)
        {
          g_autofree char *label = _tdm_detail_field_label (data->mapping, data->kind, e->field);
          /* Translators: "Shopify · Phone" — the shop and the field of a problem. */
          title = g_strdup_printf (_("%s · %s"), tdm_side_display_name (e->side), label);
        }
      else
        title = g_strdup (tdm_side_display_name (e->side));
      row = _tdm_detail_add_row (list, title, e->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      if (e->record_id != NULL)
        adw_action_row_add_suffix (row, _tdm_detail_sync_button_new (e->kind, e->side, e->record_id,
                                                                     _("_Retry")));
    }
}

/* The canonical JSON text of a history line, in words. */
static char *
history_value_text (TdmDetailData         *data,
                    const TdmDetailFormat *format,
                    const TdmMappingRow   *row,
                    const char            *json)
{
  g_autoptr(JsonNode) node = NULL;
  char *text;

  g_assert (data != NULL && format != NULL);

  if (json == NULL || (node = json_from_string (json, NULL)) == NULL)
    return g_strdup (_("empty"));
  text = row != NULL ? _tdm_detail_value_text (format, row, node) : NULL;
  return text != NULL ? text : g_strdup (_("empty"));
}

static char *
history_title (TdmDetailData         *data,
               const TdmStoreHistory *h)
{
  const char *side = tdm_side_display_name (h->side);
  g_autofree char *label = NULL;

  g_assert (data != NULL && h != NULL);

  if (g_strcmp0 (h->action, "updated") == 0 && h->field != NULL)
    {
      label = _tdm_detail_field_label (data->mapping, data->kind, h->field);
      /* Translators: "Email changed in Shopify". */
      return g_strdup_printf (_("%s changed in %s"), label, side);
    }
  if (g_strcmp0 (h->action, "created") == 0)
    /* Translators: "Created in Shopify". */
    return g_strdup_printf (_("Created in %s"), side);
  if (g_strcmp0 (h->action, "updated") == 0)
    return g_strdup_printf (_("Updated in %s"), side);
  if (g_strcmp0 (h->action, "linked") == 0)
    return g_strdup (_("Linked to its twin"));
  if (g_strcmp0 (h->action, "deleted") == 0)
    return g_strdup_printf (_("Deleted in %s"), side);
  if (g_strcmp0 (h->action, "orphaned") == 0)
    return g_strdup_printf (_("Its twin in %s is gone"), side);
  return g_strdup_printf (_("Changed in %s"), side);
}

static void
add_history_group (TdmRecordDetail       *self,
                   TdmDetailData         *data,
                   const TdmDetailFormat *format)
{
  GtkListBox *list;

  g_assert (data != NULL && format != NULL);

  if (data->history == NULL || data->history->len == 0)
    return;

  list = _tdm_detail_add_group (self, _("History"));
  for (guint i = 0; i < data->history->len; i++)
    {
      TdmStoreHistory *h = g_ptr_array_index (data->history, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (h->at);
      g_autofree char *at = tdm_format_relative_time (format->locale, when, format->now);
      g_autofree char *title = history_title (data, h);
      g_autofree char *subtitle = NULL;
      const TdmMappingRow *row = NULL;

      if (h->field != NULL && data->mapping != NULL)
        row = tdm_mapping_find_row (data->mapping, data->kind, h->field);
      if (h->before != NULL || h->after != NULL)
        {
          g_autofree char *before = history_value_text (data, format, row, h->before);
          g_autofree char *after = history_value_text (data, format, row, h->after);

          /* A list's summary ("1 entry → 1 entry") says nothing of what
           * changed in it: the time alone. */
          if (g_strcmp0 (before, after) != 0)
            /* Translators: "5 minutes ago · kari@example.no → kari.n@example.no". */
            subtitle = g_strdup_printf (_("%s · %s → %s"), at, before, after);
        }
      _tdm_detail_add_row (list, title, subtitle != NULL ? subtitle : at);
    }
}

/* The panel's title: a customer or product by its name, an order as
 * "Order 10001" (its title is the bare number). */
static void
set_title (TdmRecordDetail *self,
           TdmStoreRow     *row)
{
  const char *title = tdm_store_row_get_title (row);
  g_autofree char *order = NULL;

  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (row != NULL);

  if (title != NULL && tdm_store_row_get_kind (row) == TDM_KIND_ORDER)
    /* Translators: the title of an order's details, "Order 10001". */
    title = order = g_strdup_printf (_("Order %s"), title);
  gtk_label_set_label (self->title_label, title != NULL ? title : "");
}

static void
clear_content (TdmRecordDetail *self)
{
  GtkWidget *child;

  g_assert (TDM_IS_RECORD_DETAIL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content_box))) != NULL)
    gtk_box_remove (self->content_box, child);
  g_hash_table_remove_all (self->field_states);
  g_clear_pointer (&self->data, _tdm_detail_data_unref);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TdmRecordDetail *self = TDM_RECORD_DETAIL (source);
  TdmDetailData *data = g_task_get_task_data (G_TASK (result));
  TdmDetailFormat format = { 0 };
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      clear_content (self);
      _tdm_detail_add_row (_tdm_detail_add_group (self, _("Problems")),
                           _("The details could not be read"), error->message);
      return;
    }

  self->loading = FALSE;
  if (data->row != NULL)
    {
      g_set_object (&self->row, data->row);
      set_title (self, data->row);
    }

  _tdm_detail_format_init (self, data, &format);
  clear_content (self);
  self->data = _tdm_detail_data_ref (data);
  add_summary_group (self, &format);
  _tdm_detail_add_conflicts (self, data, &format);
  add_errors_group (self, data);
  _tdm_detail_add_fields (self, data, &format);
  add_history_group (self, data, &format);
  _tdm_detail_add_technical (self, data);
  _tdm_detail_words_only (GTK_WIDGET (self->content_box));
  _tdm_detail_format_clear (&format);
}

/* ---- GObject ---- */

static void
on_close_clicked_cb (TdmRecordDetail *self)
{
  g_signal_emit (self, signals[CLOSE], 0);
}

static void
tdm_record_detail_dispose (GObject *object)
{
  TdmRecordDetail *self = TDM_RECORD_DETAIL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TDM_TYPE_RECORD_DETAIL);
  /* The template's top widget is not bound to a field: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_weak_pointer (&self->toast);
  g_clear_pointer (&self->data, _tdm_detail_data_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->row);
  g_clear_pointer (&self->field_states, g_hash_table_unref);

  G_OBJECT_CLASS (tdm_record_detail_parent_class)->dispose (object);
}

static void
tdm_record_detail_class_init (TdmRecordDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tdm_record_detail_dispose;

  signals[CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tdm-record-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, TdmRecordDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, TdmRecordDetail, content_box);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tdm_record_detail_init (TdmRecordDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->field_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- Public API ---- */

void
tdm_record_detail_show (TdmRecordDetail *self,
                        TdmContext      *context,
                        TdmStoreRow     *row)
{
  g_autoptr(GTask) task = NULL;
  TdmMapping *mapping;
  TdmDetailData *data;

  g_return_if_fail (TDM_IS_RECORD_DETAIL (self));
  g_return_if_fail (TDM_IS_CONTEXT (context));
  g_return_if_fail (TDM_IS_STORE_ROW (row));

  g_set_object (&self->context, context);
  g_set_object (&self->row, row);
  self->loading = TRUE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_title (self, row);

  mapping = tdm_context_get_mapping (context);
  data = g_atomic_rc_box_new0 (TdmDetailData);
  data->store = g_object_ref (tdm_context_get_store (context));
  data->mapping = mapping != NULL ? g_object_ref (mapping) : NULL;
  data->kind = tdm_store_row_get_kind (row);
  data->ids[TDM_SIDE_WEBSHOP] = g_strdup (tdm_store_row_get_webshop_id (row));
  data->ids[TDM_SIDE_SHOPIFY] = g_strdup (tdm_store_row_get_shopify_id (row));

  task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  g_task_set_source_tag (task, tdm_record_detail_show);
  g_task_set_name (task, "tdm-record-detail-load");
  g_task_set_task_data (task, data, (GDestroyNotify) _tdm_detail_data_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_in_thread);
}

TdmStoreRow *
tdm_record_detail_get_row (TdmRecordDetail *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_DETAIL (self), NULL);

  return self->row;
}

guint
tdm_record_detail_get_n_fields (TdmRecordDetail *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_DETAIL (self), 0);

  return g_hash_table_size (self->field_states);
}

const char *
tdm_record_detail_get_field_state (TdmRecordDetail *self,
                                   const char      *field)
{
  g_return_val_if_fail (TDM_IS_RECORD_DETAIL (self), NULL);

  return g_hash_table_lookup (self->field_states, field);
}

AdwToast *
tdm_record_detail_get_toast (TdmRecordDetail *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_DETAIL (self), NULL);

  return self->toast;
}

gboolean
tdm_record_detail_is_loading (TdmRecordDetail *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_DETAIL (self), FALSE);

  return self->loading;
}
