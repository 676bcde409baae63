/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-record-detail.h"

struct _TdmRecordDetail
{
  GtkWidget     parent_instance;

  TdmContext   *context;
  TdmStoreRow  *row;
  GCancellable *cancellable;
  GHashTable   *field_states;   /* canonical name → state string (static) */

  GtkLabel     *title_label;
  GtkBox       *content_box;
};

G_DEFINE_FINAL_TYPE (TdmRecordDetail, tdm_record_detail, GTK_TYPE_WIDGET)

enum {
  CLOSE,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker thread reads for one record. */
typedef struct {
  TdmRecordStore *store;
  TdmKind         kind;
  char           *ids[TDM_N_SIDES];
  TdmRecord      *records[TDM_N_SIDES];
  GPtrArray      *errors;     /* TdmStoreError* of this record */
  GPtrArray      *conflicts;  /* TdmFieldConflict* pending */
  GPtrArray      *history;    /* TdmStoreHistory* */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  for (guint i = 0; i < TDM_N_SIDES; i++)
    {
      g_free (data->ids[i]);
      g_clear_pointer (&data->records[i], tdm_record_unref);
    }
  g_clear_pointer (&data->errors, g_ptr_array_unref);
  g_clear_pointer (&data->conflicts, g_ptr_array_unref);
  g_clear_pointer (&data->history, g_ptr_array_unref);
  g_free (data);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  for (guint side = 0; side < TDM_N_SIDES; side++)
    {
      if (data->ids[side] == NULL)
        continue;
      data->records[side] = tdm_record_store_lookup_cached (data->store, data->kind, side,
                                                            data->ids[side], &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  errors = tdm_store_list_errors (TDM_STORE (data->store), data->kind, 0, &error);
  if (errors == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_store_error_free);
  for (guint i = 0; i < errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->record_id, data->ids[e->side]) == 0)
        g_ptr_array_add (data->errors, g_ptr_array_steal_index (errors, i--));
    }

  if (data->ids[TDM_SIDE_WEBSHOP] != NULL)
    {
      data->conflicts = tdm_record_store_list_conflicts (data->store, data->kind,
                                                         data->ids[TDM_SIDE_WEBSHOP], &error);
      if (data->conflicts == NULL && error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  data->history = tdm_store_list_history (TDM_STORE (data->store), data->kind,
                                          data->ids[TDM_SIDE_WEBSHOP],
                                          data->ids[TDM_SIDE_SHOPIFY], 30, &error);
  if (data->history == NULL && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static char *
value_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return tdm_json_canonical_string (node);
}

static JsonNode *
record_field (TdmRecord  *record,
              const char *name)
{
  if (record == NULL || record->fields == NULL || !json_object_has_member (record->fields, name))
    return NULL;

  return json_object_get_member (record->fields, name);
}

static GtkListBox *
add_group (TdmRecordDetail *self,
           const char      *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (self->content_box, box);

  return GTK_LIST_BOX (list);
}

static AdwActionRow *
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  gtk_list_box_append (list, GTK_WIDGET (row));

  return row;
}

static void
on_copy_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "tdm-copy-text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static void
add_copy_button (AdwActionRow *row,
                 const char   *text,
                 const char   *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "tdm-copy-text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_copy_clicked_cb), NULL);
  adw_action_row_add_suffix (row, button);
}

/* https://<shop>/admin/<customers|products|orders>/<number> from a GID. */
static char *
shopify_admin_url (TdmContext *context,
                   TdmKind     kind,
                   const char *gid)
{
  static const char * const paths[TDM_N_KINDS] = {
    [TDM_KIND_CUSTOMER] = "customers",
    [TDM_KIND_PRODUCT] = "products",
    [TDM_KIND_ORDER] = "orders",
  };
  g_autofree char *shop = g_settings_get_string (tdm_context_get_settings (context), "shopify-shop");
  const char *number = strrchr (gid, '/');
  g_autofree char *base = NULL;

  if (*shop == '\0' || number == NULL)
    return NULL;

  base = strstr (shop, "://") != NULL ? g_strdup (shop) : g_strdup_printf ("https://%s", shop);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  return g_strdup_printf ("%s/admin/%s/%s", base, paths[kind], number + 1);
}

static void
on_open_admin_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "tdm-uri");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* Syncs this one record now (app.sync-record), even if its version failed before. */
static GtkWidget *
make_sync_button (TdmKind     kind,
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

static void
add_ids_group (TdmRecordDetail *self)
{
  GtkListBox *list = add_group (self, _("Record"));
  TdmKind kind = tdm_store_row_get_kind (self->row);
  const char *webshop_id = tdm_store_row_get_webshop_id (self->row);
  const char *shopify_id = tdm_store_row_get_shopify_id (self->row);
  gint64 last = tdm_store_row_get_last_synced (self->row);
  g_autofree char *last_text = NULL;
  AdwActionRow *row;

  add_row (list, _("Sync status"), tdm_link_status_display_name (tdm_store_row_get_status (self->row)));

  row = add_row (list, _("Webshop ID"), webshop_id != NULL ? webshop_id : _("Not in the webshop"));
  if (webshop_id != NULL)
    add_copy_button (row, webshop_id, _("Copy the webshop ID"));

  row = add_row (list, _("Shopify ID"), shopify_id != NULL ? shopify_id : _("Not in Shopify"));
  if (shopify_id != NULL)
    {
      g_autofree char *uri = shopify_admin_url (self->context, kind, shopify_id);

      add_copy_button (row, shopify_id, _("Copy the Shopify ID"));
      if (uri != NULL)
        {
          GtkWidget *button = gtk_button_new_from_icon_name ("adw-external-link-symbolic");

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_tooltip_text (button, _("Open in Shopify admin"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Open in Shopify admin"), -1);
          g_object_set_data_full (G_OBJECT (button), "tdm-uri", g_steal_pointer (&uri), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (on_open_admin_clicked_cb), NULL);
          adw_action_row_add_suffix (row, button);
        }
    }

  if (last > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (last);
      last_text = g_date_time_format (when, "%Y-%m-%d %H:%M");
    }
  row = add_row (list, _("Last synced"), last_text != NULL ? last_text : _("Never"));
  if (webshop_id != NULL || shopify_id != NULL)
    adw_action_row_add_suffix (row, make_sync_button (kind,
                                                      webshop_id != NULL ? TDM_SIDE_WEBSHOP
                                                                         : TDM_SIDE_SHOPIFY,
                                                      webshop_id != NULL ? webshop_id : shopify_id,
                                                      _("_Sync This Record")));
}

static void
add_errors_group (TdmRecordDetail *self,
                  LoadData        *data)
{
  GtkListBox *list;

  if (data->errors == NULL || data->errors->len == 0)
    return;

  list = add_group (self, _("Problems"));
  for (guint i = 0; i < data->errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (data->errors, i);
      g_autofree char *title = NULL;
      AdwActionRow *row;

      /* Translators: "Shopify: email" — the side and the field of a problem. */
      title = e->field != NULL
              ? g_strdup_printf (_("%s: %s"), tdm_side_display_name (e->side), e->field)
              : g_strdup (tdm_side_display_name (e->side));
      row = add_row (list, title, e->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      if (e->record_id != NULL)
        adw_action_row_add_suffix (row, make_sync_button (e->kind, e->side, e->record_id,
                                                          _("_Retry")));
    }
}

typedef struct {
  TdmRecordDetail *self;
  char            *field;   /* NULL: every conflicting field */
  TdmSide          winner;
  GPtrArray       *fields;  /* all conflicting fields, for "all" */
} ResolveData;

static void
resolve_data_free (gpointer data,
                   GClosure *closure)
{
  ResolveData *resolve = data;

  g_free (resolve->field);
  g_clear_pointer (&resolve->fields, g_ptr_array_unref);
  g_free (resolve);
}

static void
on_resolve_clicked_cb (GtkButton   *button,
                       ResolveData *resolve)
{
  TdmRecordDetail *self = resolve->self;
  TdmRecordStore *store = tdm_context_get_store (self->context);
  const char *webshop_id = tdm_store_row_get_webshop_id (self->row);
  TdmKind kind = tdm_store_row_get_kind (self->row);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < resolve->fields->len && error == NULL; i++)
    {
      const char *field = g_ptr_array_index (resolve->fields, i);

      if (resolve->field != NULL && g_strcmp0 (field, resolve->field) != 0)
        continue;
      tdm_record_store_resolve_conflict (store, kind, webshop_id, field, resolve->winner, &error);
    }

  if (error != NULL)
    g_warning ("Could not keep the chosen value: %s", error->message);

  g_signal_emit (self, signals[CHANGED], 0);
  tdm_record_detail_show (self, self->context, self->row);
}

static GtkWidget *
resolve_button (TdmRecordDetail *self,
                const char      *label,
                const char      *field,
                TdmSide          winner,
                GPtrArray       *fields)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  ResolveData *resolve = g_new0 (ResolveData, 1);

  resolve->self = self;
  resolve->field = g_strdup (field);
  resolve->winner = winner;
  resolve->fields = g_ptr_array_ref (fields);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_resolve_clicked_cb), resolve,
                         resolve_data_free, 0);

  return button;
}

/* A conflict: the field, both values, and one button per side. Built by
 * hand rather than as an AdwActionRow so the values get the full width. */
static GtkWidget *
make_conflict_row (TdmRecordDetail *self,
                   const char      *title,
                   const char      *webshop,
                   const char      *shopify,
                   const char      *field,
                   GPtrArray       *fields)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  if (webshop != NULL && shopify != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Webshop: %s\nShopify: %s"), webshop, shopify);
      GtkWidget *values = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (values), 0);
      gtk_label_set_wrap (GTK_LABEL (values), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (values), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (values), TRUE);
      gtk_widget_add_css_class (values, "dim-label");
      gtk_widget_add_css_class (values, "caption");
      gtk_box_append (GTK_BOX (box), values);
    }
  else
    {
      GtkWidget *hint = gtk_label_new (_("Choose one side for every field above."));

      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_add_css_class (hint, "caption");
      gtk_box_append (GTK_BOX (box), hint);
    }

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), resolve_button (self, _("Use Webshop"), field,
                                                     TDM_SIDE_WEBSHOP, fields));
  gtk_box_append (GTK_BOX (buttons), resolve_button (self, _("Use Shopify"), field,
                                                     TDM_SIDE_SHOPIFY, fields));
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
add_conflicts_group (TdmRecordDetail *self,
                     LoadData        *data)
{
  g_autoptr(GPtrArray) fields = NULL;
  GtkListBox *list;

  if (data->conflicts == NULL || data->conflicts->len == 0)
    return;

  fields = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < data->conflicts->len; i++)
    g_ptr_array_add (fields, g_strdup (((TdmFieldConflict *) g_ptr_array_index (data->conflicts, i))->field));

  list = add_group (self, _("Conflicts"));
  for (guint i = 0; i < data->conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (data->conflicts, i);
      g_autofree char *webshop = value_to_text (conflict->webshop_value);
      g_autofree char *shopify = value_to_text (conflict->shopify_value);

      gtk_list_box_append (list, make_conflict_row (self, conflict->field, webshop, shopify,
                                                    conflict->field, fields));
    }

  if (data->conflicts->len > 1)
    gtk_list_box_append (list, make_conflict_row (self, _("All fields"), NULL, NULL, NULL, fields));
}

static gboolean
has_conflict (LoadData   *data,
              const char *name)
{
  for (guint i = 0; data->conflicts != NULL && i < data->conflicts->len; i++)
    {
      if (g_strcmp0 (((TdmFieldConflict *) g_ptr_array_index (data->conflicts, i))->field, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_fields_group (TdmRecordDetail *self,
                  LoadData        *data)
{
  TdmMapping *mapping = tdm_context_get_mapping (self->context);
  TdmKind kind = tdm_store_row_get_kind (self->row);
  GPtrArray *rows;
  GtkListBox *list;

  if (mapping == NULL)
    return;

  rows = tdm_mapping_get_rows (mapping, kind);
  list = add_group (self, _("Fields"));
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *mrow = g_ptr_array_index (rows, i);
      JsonNode *values[TDM_N_SIDES];
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *webshop = NULL;
      g_autofree char *shopify = NULL;
      const char *state;
      const char *state_label;
      GtkWidget *badge;

      if (mrow->parent >= 0)
        continue;

      for (guint side = 0; side < TDM_N_SIDES; side++)
        values[side] = record_field (data->records[side], mrow->name);

      if (g_strcmp0 (mrow->type_name, "id") == 0)
        {
          /* An identity row carries the link itself: show the two ids. */
          gboolean linked = data->ids[TDM_SIDE_WEBSHOP] != NULL && data->ids[TDM_SIDE_SHOPIFY] != NULL;

          state = linked ? "linked" : "same";
          state_label = linked ? _("Linked") : _("One side");
          webshop = g_strdup (data->ids[TDM_SIDE_WEBSHOP] != NULL ? data->ids[TDM_SIDE_WEBSHOP]
                                                                  : _("(not linked)"));
          shopify = g_strdup (data->ids[TDM_SIDE_SHOPIFY] != NULL ? data->ids[TDM_SIDE_SHOPIFY]
                                                                  : _("(not linked)"));
        }
      else if (has_conflict (data, mrow->name))
        {
          state = "conflict";
          state_label = _("Conflict");
        }
      else if (data->records[TDM_SIDE_WEBSHOP] == NULL || data->records[TDM_SIDE_SHOPIFY] == NULL ||
               tdm_json_value_equal (values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY]))
        {
          state = "same";
          state_label = data->records[TDM_SIDE_WEBSHOP] != NULL && data->records[TDM_SIDE_SHOPIFY] != NULL
                        ? _("Same") : _("One side");
        }
      else if (!tdm_mapping_field_writable (mapping, kind, mrow->name, TDM_SIDE_WEBSHOP, FALSE) &&
               !tdm_mapping_field_writable (mapping, kind, mrow->name, TDM_SIDE_SHOPIFY, FALSE))
        {
          state = "not-writable";
          state_label = _("Not writable");
        }
      else
        {
          state = "differs";
          state_label = _("Differs");
        }
      g_hash_table_replace (self->field_states, g_strdup (mrow->name), (gpointer) state);

      if (webshop == NULL)
        webshop = value_to_text (values[TDM_SIDE_WEBSHOP]);
      if (shopify == NULL)
        shopify = value_to_text (values[TDM_SIDE_SHOPIFY]);
      /* Translators: mapping row: webshop property → Shopify property (type). */
      title = g_strdup_printf (_("%s → %s (%s)"), mrow->webshop, mrow->shopify, mrow->type_name);
      subtitle = g_strdup_printf (_("Webshop: %s\nShopify: %s"), webshop, shopify);

      badge = gtk_label_new (state_label);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "tdm-badge");
      {
        g_autofree char *css = g_strdup_printf ("tdm-field-%s", state);
        gtk_widget_add_css_class (badge, css);
      }
      adw_action_row_add_suffix (add_row (list, title, subtitle), badge);
    }
}

static void
add_history_group (TdmRecordDetail *self,
                   LoadData        *data)
{
  GtkListBox *list;

  if (data->history == NULL || data->history->len == 0)
    return;

  list = add_group (self, _("History"));
  for (guint i = 0; i < data->history->len; i++)
    {
      TdmStoreHistory *h = g_ptr_array_index (data->history, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (h->at);
      g_autofree char *at = g_date_time_format (when, "%Y-%m-%d %H:%M");
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: "2026-11-26 18:00 · Shopify: updated email". */
      title = g_strdup_printf (_("%s · %s: %s %s"), at, tdm_side_display_name (h->side),
                               h->action, h->field != NULL ? h->field : "");
      if (h->before != NULL || h->after != NULL)
        subtitle = g_strdup_printf (_("Before: %s\nAfter: %s"),
                                    h->before != NULL ? h->before : _("(empty)"),
                                    h->after != NULL ? h->after : _("(empty)"));
      add_row (list, title, subtitle);
    }
}

static void
clear_content (TdmRecordDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content_box))) != NULL)
    gtk_box_remove (self->content_box, child);
  g_hash_table_remove_all (self->field_states);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TdmRecordDetail *self = user_data;
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      clear_content (self);
      add_row (add_group (self, _("Problems")), _("The details could not be read"), error->message);
      return;
    }

  clear_content (self);
  add_ids_group (self);
  add_conflicts_group (self, data);
  add_errors_group (self, data);
  add_fields_group (self, data);
  add_history_group (self, data);
}

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

void
tdm_record_detail_show (TdmRecordDetail *self,
                        TdmContext      *context,
                        TdmStoreRow     *row)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (TDM_IS_RECORD_DETAIL (self));
  g_return_if_fail (TDM_IS_CONTEXT (context));
  g_return_if_fail (TDM_IS_STORE_ROW (row));

  g_set_object (&self->context, context);
  g_set_object (&self->row, row);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_label_set_label (self->title_label, tdm_store_row_get_title (row) != NULL
                                          ? tdm_store_row_get_title (row) : "");

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (tdm_context_get_store (context));
  data->kind = tdm_store_row_get_kind (row);
  data->ids[TDM_SIDE_WEBSHOP] = g_strdup (tdm_store_row_get_webshop_id (row));
  data->ids[TDM_SIDE_SHOPIFY] = g_strdup (tdm_store_row_get_shopify_id (row));

  task = g_task_new (self, self->cancellable, on_loaded_cb, self);
  g_task_set_source_tag (task, tdm_record_detail_show);
  g_task_set_name (task, "tdm-record-detail-load");
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
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
