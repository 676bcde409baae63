/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-mapping-page.h"

struct _TdmMappingPage
{
  AdwPreferencesPage    parent_instance;

  TdmContext           *context;
  JsonNode             *root;        /* working copy, the mapping file's JSON */
  char                 *problem;     /* why the working copy is invalid, or NULL */
  gboolean              modified;

  AdwPreferencesGroup  *status_group;
  GtkLabel             *status_label;
  GtkWidget            *save_button;
  AdwPreferencesGroup  *groups[TDM_N_KINDS];
  GPtrArray            *rows[TDM_N_KINDS];  /* GtkWidget* shown in groups[kind] */
};

G_DEFINE_FINAL_TYPE (TdmMappingPage, tdm_mapping_page, ADW_TYPE_PREFERENCES_PAGE)

static const char * const kind_keys[TDM_N_KINDS] = {
  [TDM_KIND_CUSTOMER] = "customer",
  [TDM_KIND_PRODUCT] = "product",
  [TDM_KIND_ORDER] = "order",
};

/* In the order of the direction drop-down. */
static const char * const directions[] = { "both", "to_shopify", "to_webshop", NULL };

static void rebuild (TdmMappingPage *self);

static const char *
kind_title (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return _("Customers");
    case TDM_KIND_PRODUCT:
      return _("Products");
    case TDM_KIND_ORDER:
    default:
      return _("Orders");
    }
}

static const char *
direction_label (const char *direction)
{
  if (g_strcmp0 (direction, "to_shopify") == 0 || g_strcmp0 (direction, "to-shopify") == 0)
    return _("Webshop → Shopify");
  if (g_strcmp0 (direction, "to_webshop") == 0 || g_strcmp0 (direction, "to-webshop") == 0)
    return _("Shopify → webshop");
  if (direction == NULL)
    return _("As its list");
  return _("Both ways");
}

static JsonArray *
kind_array (JsonNode *root,
            TdmKind   kind)
{
  JsonObject *object = json_node_get_object (root);

  if (!json_object_has_member (object, kind_keys[kind]))
    json_object_set_array_member (object, kind_keys[kind], json_array_new ());

  return json_object_get_array_member (object, kind_keys[kind]);
}

static const char *
row_string (JsonObject *row,
            const char *member)
{
  if (!json_object_has_member (row, member))
    return NULL;
  return json_object_get_string_member_with_default (row, member, NULL);
}

/* Validates `root` exactly as the sync will read it. */
static char *
validate (JsonNode *root)
{
  g_autofree char *data = json_to_string (root, TRUE);
  g_autoptr(TdmMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  mapping = tdm_mapping_new_from_data (data, -1, "mapping.json", &error);
  if (mapping == NULL)
    return g_strdup (error->message);

  return NULL;
}

static void
update_status (TdmMappingPage *self)
{
  g_free (self->problem);
  self->problem = validate (self->root);

  if (self->problem != NULL)
    {
      gtk_label_set_label (self->status_label, self->problem);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      gtk_label_set_label (self->status_label,
                           self->modified ? _("All rows are valid. Save to use them from the next sync.")
                                          : _("All rows are valid."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
    }
  gtk_widget_set_sensitive (self->save_button, tdm_mapping_page_can_save (self));
}

static void
set_row_member (JsonObject *row,
                const char *member,
                const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (row, member, value);
  else if (json_object_has_member (row, member))
    json_object_remove_member (row, member);
}

static void
fill_row (JsonObject *row,
          const char *webshop,
          const char *shopify,
          const char *shopify_write,
          const char *type,
          const char *direction)
{
  set_row_member (row, "webshop", webshop);
  set_row_member (row, "shopify", shopify);
  set_row_member (row, "shopify_write", shopify_write);
  set_row_member (row, "type", type);
  set_row_member (row, "direction", direction);
}

/* The row dialog */

typedef struct {
  TdmMappingPage *self;
  TdmKind         kind;
  int             index;   /* -1: a new row */
  GtkEditable    *webshop;
  GtkEditable    *shopify;
  GtkEditable    *shopify_write;
  GtkEditable    *type;
  GtkDropDown    *direction;
  AdwMessageDialog *dialog;
} RowDialog;

static void
row_dialog_free (gpointer  data,
                 GClosure *closure)
{
  RowDialog *dialog = data;

  g_object_unref (dialog->self);
  g_free (dialog);
}

static const char *
dialog_direction (RowDialog *dialog)
{
  guint selected = gtk_drop_down_get_selected (dialog->direction);

  return selected < G_N_ELEMENTS (directions) - 1 ? directions[selected] : NULL;
}

/* The working copy with the dialog's row applied. */
static JsonNode *
dialog_candidate (RowDialog *dialog)
{
  JsonNode *candidate = json_node_copy (dialog->self->root);
  JsonArray *array = kind_array (candidate, dialog->kind);
  JsonObject *row;

  if (dialog->index < 0)
    {
      row = json_object_new ();
      json_array_add_object_element (array, row);
    }
  else
    row = json_array_get_object_element (array, dialog->index);

  fill_row (row,
            gtk_editable_get_text (dialog->webshop),
            gtk_editable_get_text (dialog->shopify),
            gtk_editable_get_text (dialog->shopify_write),
            gtk_editable_get_text (dialog->type),
            dialog_direction (dialog));

  return candidate;
}

static void
on_dialog_changed_cb (RowDialog *dialog)
{
  g_autoptr(JsonNode) candidate = dialog_candidate (dialog);
  g_autofree char *problem = validate (candidate);

  adw_message_dialog_set_body (dialog->dialog, problem != NULL ? problem : "");
  adw_message_dialog_set_response_enabled (dialog->dialog, "apply", problem == NULL);
}

static void
on_dialog_response_cb (AdwMessageDialog *message_dialog,
                       const char       *response,
                       RowDialog        *dialog)
{
  if (g_strcmp0 (response, "apply") == 0)
    {
      g_autoptr(JsonNode) candidate = dialog_candidate (dialog);

      json_node_unref (dialog->self->root);
      dialog->self->root = g_steal_pointer (&candidate);
      dialog->self->modified = TRUE;
      rebuild (dialog->self);
    }
}

static GtkEditable *
add_field (GtkGrid    *grid,
           int         line,
           const char *label_text,
           const char *value)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), value != NULL ? value : "");
  gtk_grid_attach (grid, label, 0, line, 1, 1);
  gtk_grid_attach (grid, entry, 1, line, 1, 1);

  return GTK_EDITABLE (entry);
}

static void
open_row_dialog (TdmMappingPage *self,
                 TdmKind         kind,
                 int             index)
{
  JsonObject *row = NULL;
  RowDialog *dialog = g_new0 (RowDialog, 1);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label;
  const char *direction = "both";
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (index >= 0)
    {
      row = json_array_get_object_element (kind_array (self->root, kind), index);
      direction = row_string (row, "direction");
    }

  dialog->self = g_object_ref (self);
  dialog->kind = kind;
  dialog->index = index;
  dialog->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               index >= 0 ? _("Edit Mapping Row")
                                                                          : _("Add Mapping Row"),
                                                               NULL));
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  dialog->webshop = add_field (GTK_GRID (grid), 0, _("_Webshop property"),
                               row != NULL ? row_string (row, "webshop") : NULL);
  dialog->shopify = add_field (GTK_GRID (grid), 1, _("_Shopify property"),
                               row != NULL ? row_string (row, "shopify") : NULL);
  dialog->shopify_write = add_field (GTK_GRID (grid), 2, _("Shopify _write property (optional)"),
                                     row != NULL ? row_string (row, "shopify_write") : NULL);
  dialog->type = add_field (GTK_GRID (grid), 3, _("Shopify data _type"),
                            row != NULL ? row_string (row, "type") : NULL);

  label = gtk_label_new_with_mnemonic (_("_Direction"));
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  {
    const char *items[] = { _("Both ways"), _("Webshop → Shopify"), _("Shopify → webshop"),
                            _("As its list"), NULL };
    dialog->direction = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (items));
  }
  gtk_drop_down_set_selected (dialog->direction, G_N_ELEMENTS (directions) - 1);
  for (guint i = 0; directions[i] != NULL; i++)
    {
      g_autofree char *dashed = g_strdelimit (g_strdup (directions[i]), "_", '-');

      if (g_strcmp0 (direction, directions[i]) == 0 || g_strcmp0 (direction, dashed) == 0)
        gtk_drop_down_set_selected (dialog->direction, i);
    }
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (dialog->direction));
  gtk_grid_attach (GTK_GRID (grid), label, 0, 4, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (dialog->direction), 1, 4, 1, 1);

  adw_message_dialog_set_extra_child (dialog->dialog, grid);
  adw_message_dialog_add_responses (dialog->dialog,
                                    "cancel", _("_Cancel"),
                                    "apply", index >= 0 ? _("_Apply") : _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog->dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog->dialog, "apply");
  adw_message_dialog_set_close_response (dialog->dialog, "cancel");

  g_signal_connect_swapped (dialog->webshop, "changed", G_CALLBACK (on_dialog_changed_cb), dialog);
  g_signal_connect_swapped (dialog->shopify, "changed", G_CALLBACK (on_dialog_changed_cb), dialog);
  g_signal_connect_swapped (dialog->shopify_write, "changed", G_CALLBACK (on_dialog_changed_cb), dialog);
  g_signal_connect_swapped (dialog->type, "changed", G_CALLBACK (on_dialog_changed_cb), dialog);
  g_signal_connect_swapped (dialog->direction, "notify::selected", G_CALLBACK (on_dialog_changed_cb), dialog);
  g_signal_connect_data (dialog->dialog, "response", G_CALLBACK (on_dialog_response_cb), dialog,
                         row_dialog_free, 0);

  on_dialog_changed_cb (dialog);
  gtk_window_present (GTK_WINDOW (dialog->dialog));
}

/* The rows */

static void
on_edit_clicked_cb (GtkButton      *button,
                    TdmMappingPage *self)
{
  TdmKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-kind"));
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-index"));

  open_row_dialog (self, kind, index);
}

static void
on_remove_clicked_cb (GtkButton      *button,
                      TdmMappingPage *self)
{
  TdmKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-kind"));
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-index"));

  tdm_mapping_page_remove_row (self, kind, index);
}

static void
on_add_clicked_cb (GtkButton      *button,
                   TdmMappingPage *self)
{
  open_row_dialog (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-kind")), -1);
}

static GtkWidget *
row_button (TdmMappingPage *self,
            const char     *icon_name,
            const char     *tooltip,
            TdmKind         kind,
            guint           index,
            GCallback       callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "tdm-kind", GINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (button), "tdm-index", GINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", callback, self);

  return button;
}

static void
rebuild_kind (TdmMappingPage *self,
              TdmKind         kind)
{
  JsonArray *array = kind_array (self->root, kind);

  for (guint i = 0; i < self->rows[kind]->len; i++)
    adw_preferences_group_remove (self->groups[kind], g_ptr_array_index (self->rows[kind], i));
  g_ptr_array_set_size (self->rows[kind], 0);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      AdwActionRow *action_row = ADW_ACTION_ROW (adw_action_row_new ());
      const char *webshop = row != NULL ? row_string (row, "webshop") : NULL;
      const char *shopify = row != NULL ? row_string (row, "shopify") : NULL;
      const char *type = row != NULL ? row_string (row, "type") : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: a numbered mapping row, "2. email → defaultEmailAddress.emailAddress";
       * the number is the one problems name ("row 2 of the customer table"). */
      title = g_strdup_printf (_("%u. %s → %s"), i + 1, webshop != NULL ? webshop : "?",
                               shopify != NULL ? shopify : "?");
      /* Translators: Shopify data type · direction, e.g. "Email · Both ways". */
      subtitle = g_strdup_printf (_("%s · %s"), type != NULL ? type : "?",
                                  direction_label (row != NULL ? row_string (row, "direction") : NULL));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), title);
      adw_action_row_set_subtitle (action_row, subtitle);
      adw_action_row_add_suffix (action_row, row_button (self, "document-edit-symbolic",
                                                         _("Edit this row"), kind, i,
                                                         G_CALLBACK (on_edit_clicked_cb)));
      adw_action_row_add_suffix (action_row, row_button (self, "user-trash-symbolic",
                                                         _("Remove this row"), kind, i,
                                                         G_CALLBACK (on_remove_clicked_cb)));
      adw_preferences_group_add (self->groups[kind], GTK_WIDGET (action_row));
      g_ptr_array_add (self->rows[kind], action_row);
    }
}

static void
rebuild (TdmMappingPage *self)
{
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    rebuild_kind (self, kind);
  update_status (self);
}

static void
load_from_context (TdmMappingPage *self)
{
  TdmMapping *mapping = tdm_context_get_mapping (self->context);
  g_autofree char *data = mapping != NULL ? tdm_mapping_to_data (mapping) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_clear_pointer (&self->root, json_node_unref);
  if (data != NULL && json_parser_load_from_data (parser, data, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    self->root = json_node_copy (json_parser_get_root (parser));
  else
    {
      self->root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (self->root, json_object_new ());
      json_object_set_int_member (json_node_get_object (self->root), "version", 1);
    }
  self->modified = FALSE;
  rebuild (self);
}

static void
on_save_clicked_cb (TdmMappingPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!tdm_mapping_page_save (self, &error))
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      adw_toast_new (_("Mapping saved. The next sync uses it.")));
}

static void
on_reset_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TdmMappingPage   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "reset") != 0)
    return;

  if (!tdm_mapping_page_reset (self, &error))
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
}

static void
on_reset_clicked_cb (TdmMappingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Reset the Mapping?"),
                                   _("Every row goes back to Tandem’s default table. Your own rows are removed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
build_widgets (TdmMappingPage *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Reset to Default"));

  self->status_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->status_group, _("Mapping Table"));
  adw_preferences_group_set_description (self->status_group,
                                         _("Which webshop property is written to which Shopify property, with Shopify’s data type and the direction. Changes take effect from the next sync after saving."));
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  g_signal_connect_swapped (reset, "clicked", G_CALLBACK (on_reset_clicked_cb), self);
  gtk_widget_set_valign (buttons, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (buttons), reset);
  gtk_box_append (GTK_BOX (buttons), self->save_button);
  adw_preferences_group_set_header_suffix (self->status_group, buttons);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_selectable (self->status_label, TRUE);
  adw_preferences_group_add (self->status_group, GTK_WIDGET (self->status_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->status_group);

  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    {
      GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

      gtk_widget_set_tooltip_text (add, _("Add a row"));

      gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,

                                      _("Add a row"), -1);
      gtk_widget_add_css_class (add, "flat");
      g_object_set_data (G_OBJECT (add), "tdm-kind", GINT_TO_POINTER (kind));
      g_signal_connect (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);

      self->groups[kind] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (self->groups[kind], kind_title (kind));
      adw_preferences_group_set_header_suffix (self->groups[kind], add);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->groups[kind]);
      self->rows[kind] = g_ptr_array_new ();
    }
}

static void
tdm_mapping_page_dispose (GObject *object)
{
  TdmMappingPage *self = TDM_MAPPING_PAGE (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->root, json_node_unref);
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    g_clear_pointer (&self->rows[kind], g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_mapping_page_parent_class)->dispose (object);
}

static void
tdm_mapping_page_finalize (GObject *object)
{
  TdmMappingPage *self = TDM_MAPPING_PAGE (object);

  g_free (self->problem);

  G_OBJECT_CLASS (tdm_mapping_page_parent_class)->finalize (object);
}

static void
tdm_mapping_page_class_init (TdmMappingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_mapping_page_dispose;
  object_class->finalize = tdm_mapping_page_finalize;
}

static void
tdm_mapping_page_init (TdmMappingPage *self)
{
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Mapping"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "view-list-bullet-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "mapping");
  build_widgets (self);
}

TdmMappingPage *
tdm_mapping_page_new (TdmContext *context)
{
  TdmMappingPage *self;

  g_return_val_if_fail (TDM_IS_CONTEXT (context), NULL);

  self = g_object_new (TDM_TYPE_MAPPING_PAGE, NULL);
  self->context = g_object_ref (context);
  load_from_context (self);

  return self;
}

guint
tdm_mapping_page_get_n_rows (TdmMappingPage *self,
                             TdmKind         kind)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), 0);

  return json_array_get_length (kind_array (self->root, kind));
}

gboolean
tdm_mapping_page_set_row (TdmMappingPage *self,
                          TdmKind         kind,
                          guint           index,
                          const char     *webshop,
                          const char     *shopify,
                          const char     *shopify_write,
                          const char     *type,
                          const char     *direction)
{
  JsonArray *array;

  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  array = kind_array (self->root, kind);
  g_return_val_if_fail (index < json_array_get_length (array), FALSE);

  fill_row (json_array_get_object_element (array, index), webshop, shopify, shopify_write, type,
            direction);
  self->modified = TRUE;
  rebuild (self);

  return self->problem == NULL;
}

void
tdm_mapping_page_remove_row (TdmMappingPage *self,
                             TdmKind         kind,
                             guint           index)
{
  JsonArray *array;

  g_return_if_fail (TDM_IS_MAPPING_PAGE (self));

  array = kind_array (self->root, kind);
  g_return_if_fail (index < json_array_get_length (array));

  json_array_remove_element (array, index);
  self->modified = TRUE;
  rebuild (self);
}

const char *
tdm_mapping_page_get_problem (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), NULL);

  return self->problem;
}

gboolean
tdm_mapping_page_can_save (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  return self->modified && self->problem == NULL;
}

gboolean
tdm_mapping_page_save (TdmMappingPage  *self,
                       GError         **error)
{
  g_autofree char *data = NULL;
  g_autoptr(TdmMapping) mapping = NULL;

  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  if (self->problem != NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING, self->problem);
      return FALSE;
    }

  data = json_to_string (self->root, TRUE);
  mapping = tdm_mapping_new_from_data (data, -1, "mapping.json", error);
  if (mapping == NULL || !tdm_context_save_mapping (self->context, mapping, error))
    return FALSE;

  load_from_context (self);
  return TRUE;
}

gboolean
tdm_mapping_page_reset (TdmMappingPage  *self,
                        GError         **error)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  if (!tdm_context_reset_mapping (self->context, error))
    return FALSE;

  load_from_context (self);
  return TRUE;
}

void
tdm_mapping_page_edit_row (TdmMappingPage *self,
                           TdmKind         kind,
                           int             index)
{
  g_return_if_fail (TDM_IS_MAPPING_PAGE (self));
  g_return_if_fail (index < (int) tdm_mapping_page_get_n_rows (self, kind));

  open_row_dialog (self, kind, index);
}
