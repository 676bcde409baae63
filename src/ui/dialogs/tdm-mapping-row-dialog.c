/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping-row-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-mapping-row-dialog.h"
#include "tdm-mapping-page-private.h"

/* One Shopify property the owner can pick: a row of the default mapping
 * (docs/mapping.md, The default mapping). */
typedef struct {
  char *label;
  char *webshop;
  char *shopify;
  char *shopify_write;   /* NULL: the same as shopify */
  char *type_name;
  char *direction;       /* NULL: the same as its group (a sub-row) */
} PropertyChoice;

struct _TdmMappingRowDialog
{
  AdwMessageDialog  parent_instance;

  /* The dialog's own copy of the table and its row inside that copy. */
  JsonNode         *table;
  JsonObject       *row;
  TdmKind           kind;
  int               index;
  char             *problem;
  gboolean          updating;   /* fields are being filled by the dialog itself */

  /* What the row held when the dialog opened, kept when its choice stays. */
  char             *initial_type;
  guint             initial_type_position;
  char             *initial_direction;
  guint             initial_direction_position;
  char             *initial_shopify;
  char             *initial_label;

  GPtrArray        *properties;   /* PropertyChoice*, in the order of property_row */
  GPtrArray        *type_names;   /* char*, in the order of type_row */

  AdwComboRow      *property_row;
  AdwEntryRow      *webshop_row;
  AdwComboRow      *type_row;
  AdwComboRow      *direction_row;
  GtkLabel         *problem_label;
  GtkExpander      *technical;
  AdwEntryRow      *shopify_row;
  AdwEntryRow      *shopify_write_row;
};

G_DEFINE_FINAL_TYPE (TdmMappingRowDialog, tdm_mapping_row_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* ---- Choices ---- */

static void
property_choice_free (PropertyChoice *choice)
{
  g_free (choice->label);
  g_free (choice->webshop);
  g_free (choice->shopify);
  g_free (choice->shopify_write);
  g_free (choice->type_name);
  g_free (choice->direction);
  g_free (choice);
}

/* The default mapping's rows of the kind, by label ("Addresses › City"). */
static GPtrArray *
collect_property_choices (TdmKind kind)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);
  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify) property_choice_free);

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      PropertyChoice *choice = g_new0 (PropertyChoice, 1);
      g_autofree char *label = _tdm_mapping_page_mapping_row_label (kind, row);

      if (row->parent >= 0)
        {
          const TdmMappingRow *parent = g_ptr_array_index (rows, row->parent);
          g_autofree char *parent_label = _tdm_mapping_page_mapping_row_label (kind, parent);

          /* Translators: a field of a list or group, "Addresses › City". */
          choice->label = g_strdup_printf (_("%s › %s"), parent_label, label);
        }
      else
        {
          const char *direction = tdm_direction_to_string (row->direction);
          guint position = _tdm_mapping_page_direction_position (direction);

          choice->label = g_steal_pointer (&label);
          choice->direction = g_strdup (_tdm_mapping_page_direction_value (position));
        }
      choice->webshop = g_strdup (row->webshop);
      choice->shopify = g_strdup (row->shopify);
      if (g_strcmp0 (row->shopify_write, row->shopify) != 0)
        choice->shopify_write = g_strdup (row->shopify_write);
      choice->type_name = g_strdup (row->type_name);
      g_ptr_array_add (choices, choice);
    }
  return choices;
}

/* The position of the choice whose paths the technical fields hold, or the
 * last position ("Another property"). */
static guint
find_property_position (TdmMappingRowDialog *self)
{
  const char *shopify = gtk_editable_get_text (GTK_EDITABLE (self->shopify_row));
  const char *write = gtk_editable_get_text (GTK_EDITABLE (self->shopify_write_row));

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  for (guint i = 0; i < self->properties->len; i++)
    {
      PropertyChoice *choice = g_ptr_array_index (self->properties, i);
      const char *choice_write = choice->shopify_write != NULL ? choice->shopify_write : "";

      if (g_strcmp0 (choice->shopify, shopify) == 0 &&
          (g_strcmp0 (choice_write, write) == 0 ||
           (*choice_write == '\0' && g_strcmp0 (write, shopify) == 0)))
        return i;
    }
  return self->properties->len;
}

/* The position of `type_name` in the type list, added when the list does
 * not offer it (a type from a hand-edited file). */
static guint
ensure_type_position (TdmMappingRowDialog *self,
                      const char          *type_name)
{
  GtkStringList *labels = GTK_STRING_LIST (adw_combo_row_get_model (self->type_row));
  g_autofree char *label = NULL;

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (type_name == NULL || *type_name == '\0')
    type_name = "String";

  for (guint i = 0; i < self->type_names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->type_names, i), type_name) == 0)
      return i;

  label = _tdm_mapping_page_type_label (type_name);
  g_ptr_array_add (self->type_names, g_strdup (type_name));
  gtk_string_list_append (labels, label);
  return self->type_names->len - 1;
}

/* ---- Validation ---- */

/* A row that already uses this row's webshop field or Shopify property,
 * said with that row's label; NULL when there is none. Only asked once the
 * table is invalid: two identity rows may share a webshop field. */
static char *
describe_duplicate (TdmMappingRowDialog *self)
{
  JsonArray *rows = _tdm_mapping_page_kind_array (self->table, self->kind);
  const char *webshop = _tdm_mapping_page_row_string (self->row, "webshop");
  const char *shopify = _tdm_mapping_page_row_string (self->row, "shopify");

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *other = _tdm_mapping_page_table_row (rows, i);
      g_autofree char *label = NULL;

      if (other == NULL || other == self->row)
        continue;
      if (g_strcmp0 (_tdm_mapping_page_row_string (other, "webshop"), webshop) == 0)
        {
          label = _tdm_mapping_page_row_label (self->kind, other);
          return g_strdup_printf (_("The row “%s” already keeps the webshop field “%s” in "
                                    "step. Choose another field, or edit that row."),
                                  label, webshop);
        }
      if (g_strcmp0 (_tdm_mapping_page_row_string (other, "shopify"), shopify) == 0)
        {
          label = _tdm_mapping_page_row_label (self->kind, other);
          return g_strdup_printf (_("The row “%s” already keeps this Shopify property in step. "
                                    "Choose another property, or edit that row."), label);
        }
    }
  return NULL;
}

static char *
find_problem (TdmMappingRowDialog *self)
{
  char *duplicate;
  g_autofree char *message = NULL;
  JsonArray *rows;
  guint number;

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (_tdm_mapping_page_row_string (self->row, "shopify") == NULL)
    return g_strdup (_("Choose the Shopify property this row keeps in step."));
  if (_tdm_mapping_page_row_string (self->row, "webshop") == NULL)
    return g_strdup (_("Name the webshop field that holds this property, "
                       "for example “email”."));

  message = _tdm_mapping_page_validate (self->table);
  if (message == NULL)
    return NULL;
  duplicate = describe_duplicate (self);
  if (duplicate != NULL)
    return duplicate;

  /* In this dialog, the row is the one being edited. */
  rows = _tdm_mapping_page_kind_array (self->table, self->kind);
  number = self->index >= 0 ? (guint) self->index + 1 : json_array_get_length (rows);
  return _tdm_mapping_page_strip_row_context (message, self->kind, number);
}

/* Writes the fields into the dialog's row. A type or direction that was not
 * changed keeps the spelling it had in the file. */
static void
store_fields (TdmMappingRowDialog *self)
{
  guint type_position = adw_combo_row_get_selected (self->type_row);
  guint direction_position = adw_combo_row_get_selected (self->direction_row);
  const char *type_name = NULL;
  const char *direction = NULL;
  g_autofree char *webshop = NULL;

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (type_position == self->initial_type_position && self->initial_type != NULL)
    type_name = self->initial_type;
  else if (type_position < self->type_names->len)
    type_name = g_ptr_array_index (self->type_names, type_position);

  if (direction_position == self->initial_direction_position)
    direction = self->initial_direction;
  else if (direction_position < TDM_MAPPING_N_DIRECTIONS)
    direction = _tdm_mapping_page_direction_value (direction_position);

  webshop = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->webshop_row))));
  _tdm_mapping_page_row_set_string (self->row, "webshop", webshop);
  _tdm_mapping_page_row_set_string (self->row, "shopify",
                                    gtk_editable_get_text (GTK_EDITABLE (self->shopify_row)));
  _tdm_mapping_page_row_set_string (self->row, "shopify_write",
                                    gtk_editable_get_text (GTK_EDITABLE (self->shopify_write_row)));
  _tdm_mapping_page_row_set_string (self->row, "type", type_name);
  _tdm_mapping_page_row_set_string (self->row, "direction", direction);

  /* A row's label names its property: another property, another name. */
  if (g_strcmp0 (_tdm_mapping_page_row_string (self->row, "shopify"), self->initial_shopify) != 0)
    _tdm_mapping_page_row_set_string (self->row, "label", NULL);
  else
    _tdm_mapping_page_row_set_string (self->row, "label", self->initial_label);
}

static void
revalidate (TdmMappingRowDialog *self)
{
  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (self->updating)
    return;

  store_fields (self);
  g_clear_pointer (&self->problem, g_free);
  self->problem = find_problem (self);

  gtk_label_set_label (self->problem_label, self->problem != NULL ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), self->problem != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "apply",
                                           self->problem == NULL);
}

/* ---- Signal callbacks ---- */

static void
on_property_selected_cb (TdmMappingRowDialog *self)
{
  guint position = adw_combo_row_get_selected (self->property_row);
  PropertyChoice *choice;
  const char *webshop;

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (self->updating)
    return;
  if (position >= self->properties->len)
    {
      /* "Another property": the paths are typed under Technical details. */
      gtk_expander_set_expanded (self->technical, TRUE);
      return;
    }

  choice = g_ptr_array_index (self->properties, position);
  webshop = gtk_editable_get_text (GTK_EDITABLE (self->webshop_row));

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->shopify_row), choice->shopify);
  gtk_editable_set_text (GTK_EDITABLE (self->shopify_write_row),
                         choice->shopify_write != NULL ? choice->shopify_write : "");
  if (*webshop == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->webshop_row), choice->webshop);
  if (self->index < 0)
    {
      adw_combo_row_set_selected (self->type_row, ensure_type_position (self, choice->type_name));
      adw_combo_row_set_selected (self->direction_row,
                                  _tdm_mapping_page_direction_position (choice->direction));
    }
  self->updating = FALSE;

  revalidate (self);
}

static void
on_path_changed_cb (TdmMappingRowDialog *self)
{
  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  if (self->updating)
    return;

  self->updating = TRUE;
  adw_combo_row_set_selected (self->property_row, find_property_position (self));
  self->updating = FALSE;

  revalidate (self);
}

/* ---- Building the fields ---- */

static AdwEntryRow *
add_entry_row (GtkListBox *list,
               const char *name,
               const char *title,
               const char *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  gtk_widget_set_name (GTK_WIDGET (row), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_entry_row_set_activates_default (row, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_list_box_append (list, GTK_WIDGET (row));

  return row;
}

static AdwComboRow *
add_combo_row (GtkListBox    *list,
               const char    *name,
               const char    *title,
               GtkStringList *labels)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  gtk_widget_set_name (GTK_WIDGET (row), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  gtk_list_box_append (list, GTK_WIDGET (row));
  g_object_unref (labels);

  return row;
}

static GtkListBox *
new_boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  return GTK_LIST_BOX (list);
}

static GtkStringList *
new_property_labels (GPtrArray *properties)
{
  GtkStringList *labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < properties->len; i++)
    gtk_string_list_append (labels, ((PropertyChoice *) g_ptr_array_index (properties, i))->label);
  gtk_string_list_append (labels, _("Another property"));

  return labels;
}

static void
build_type_list (TdmMappingRowDialog *self)
{
  const char * const *names = _tdm_mapping_page_type_choices (self->kind);
  GtkStringList *labels = GTK_STRING_LIST (adw_combo_row_get_model (self->type_row));

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *label = _tdm_mapping_page_type_label (names[i]);

      g_ptr_array_add (self->type_names, g_strdup (names[i]));
      gtk_string_list_append (labels, label);
    }
}

static GtkWidget *
build_fields (TdmMappingRowDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkListBox *main_list = new_boxed_list ();
  GtkListBox *technical_list = new_boxed_list ();
  const char *directions[TDM_MAPPING_N_DIRECTIONS + 1] = { NULL };

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  for (guint i = 0; i < TDM_MAPPING_N_DIRECTIONS; i++)
    directions[i] = _tdm_mapping_page_direction_label (_tdm_mapping_page_direction_value (i));

  gtk_widget_set_size_request (box, 440, -1);
  self->property_row = add_combo_row (main_list, "shopify-property", _("Shopify _property"),
                                      new_property_labels (self->properties));
  self->webshop_row = add_entry_row (main_list, "webshop-field", _("_Webshop field"),
                                     _tdm_mapping_page_row_string (self->row, "webshop"));
  self->type_row = add_combo_row (main_list, "data-type", _("Data _type"),
                                  gtk_string_list_new (NULL));
  self->direction_row = add_combo_row (main_list, "direction", _("_Direction"),
                                       gtk_string_list_new (directions));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (main_list));

  self->problem_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->problem_label), "problem");
  gtk_label_set_wrap (self->problem_label, TRUE);
  gtk_label_set_xalign (self->problem_label, 0);
  gtk_label_set_selectable (self->problem_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem_label));

  self->technical = GTK_EXPANDER (gtk_expander_new_with_mnemonic (_("T_echnical details")));
  gtk_widget_set_name (GTK_WIDGET (self->technical), "technical-details");
  self->shopify_row = add_entry_row (technical_list, "shopify-read", _("Shopify path, _read"),
                                     _tdm_mapping_page_row_string (self->row, "shopify"));
  self->shopify_write_row = add_entry_row (technical_list, "shopify-write",
                                           _("Shopify path, wr_itten (when not the same)"),
                                           _tdm_mapping_page_row_string (self->row,
                                                                         "shopify_write"));
  gtk_widget_set_margin_top (GTK_WIDGET (technical_list), 6);
  gtk_expander_set_child (self->technical, GTK_WIDGET (technical_list));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->technical));

  return box;
}

/* Shows the row's type, direction and Shopify property as chosen, and
 * remembers them so that an unchanged choice keeps its spelling. */
static void
select_initial_choices (TdmMappingRowDialog *self)
{
  const char *type_name = _tdm_mapping_page_row_string (self->row, "type");
  const char *direction = _tdm_mapping_page_row_string (self->row, "direction");

  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  build_type_list (self);
  self->initial_shopify = g_strdup (_tdm_mapping_page_row_string (self->row, "shopify"));
  self->initial_label = g_strdup (_tdm_mapping_page_row_string (self->row, "label"));
  self->initial_type = g_strdup (type_name);
  self->initial_type_position = ensure_type_position (self, type_name);
  adw_combo_row_set_selected (self->type_row, self->initial_type_position);

  /* A new row goes both ways until a property says otherwise. */
  if (self->index < 0)
    direction = "both";
  self->initial_direction = g_strdup (direction);
  self->initial_direction_position = _tdm_mapping_page_direction_position (direction);
  adw_combo_row_set_selected (self->direction_row, self->initial_direction_position);

  if (self->index < 0)
    adw_combo_row_set_selected (self->property_row, self->properties->len);
  else
    adw_combo_row_set_selected (self->property_row, find_property_position (self));
  /* A property that is not in the list is known only by its paths. */
  gtk_expander_set_expanded (self->technical,
                             self->index >= 0 &&
                             adw_combo_row_get_selected (self->property_row)
                             >= self->properties->len);
}

static void
connect_fields (TdmMappingRowDialog *self)
{
  g_assert (TDM_IS_MAPPING_ROW_DIALOG (self));

  g_signal_connect_swapped (self->property_row, "notify::selected",
                            G_CALLBACK (on_property_selected_cb), self);
  g_signal_connect_swapped (self->webshop_row, "changed", G_CALLBACK (revalidate), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (revalidate), self);
  g_signal_connect_swapped (self->direction_row, "notify::selected", G_CALLBACK (revalidate), self);
  g_signal_connect_swapped (self->shopify_row, "changed", G_CALLBACK (on_path_changed_cb), self);
  g_signal_connect_swapped (self->shopify_write_row, "changed",
                            G_CALLBACK (on_path_changed_cb), self);
}

/* Field signals stop before the fields are taken apart: a combo row that
 * loses its model on dispose notifies "selected", and an entry row's text
 * is gone by then. */
static void
disconnect_fields (TdmMappingRowDialog *self)
{
  GtkWidget *fields[] = {
    GTK_WIDGET (self->property_row), GTK_WIDGET (self->webshop_row),
    GTK_WIDGET (self->type_row), GTK_WIDGET (self->direction_row),
    GTK_WIDGET (self->shopify_row), GTK_WIDGET (self->shopify_write_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      g_signal_handlers_disconnect_by_data (fields[i], self);

  self->property_row = NULL;
  self->webshop_row = NULL;
  self->type_row = NULL;
  self->direction_row = NULL;
  self->shopify_row = NULL;
  self->shopify_write_row = NULL;
  self->problem_label = NULL;
  self->technical = NULL;
}

/* ---- GObject ---- */

static void
tdm_mapping_row_dialog_dispose (GObject *object)
{
  TdmMappingRowDialog *self = TDM_MAPPING_ROW_DIALOG (object);

  disconnect_fields (self);
  g_clear_pointer (&self->properties, g_ptr_array_unref);
  g_clear_pointer (&self->type_names, g_ptr_array_unref);
  self->row = NULL;
  g_clear_pointer (&self->table, json_node_unref);

  G_OBJECT_CLASS (tdm_mapping_row_dialog_parent_class)->dispose (object);
}

static void
tdm_mapping_row_dialog_finalize (GObject *object)
{
  TdmMappingRowDialog *self = TDM_MAPPING_ROW_DIALOG (object);

  g_free (self->problem);
  g_free (self->initial_type);
  g_free (self->initial_direction);
  g_free (self->initial_shopify);
  g_free (self->initial_label);

  G_OBJECT_CLASS (tdm_mapping_row_dialog_parent_class)->finalize (object);
}

static void
tdm_mapping_row_dialog_class_init (TdmMappingRowDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_mapping_row_dialog_dispose;
  object_class->finalize = tdm_mapping_row_dialog_finalize;
}

static void
tdm_mapping_row_dialog_init (TdmMappingRowDialog *self)
{
  self->type_names = g_ptr_array_new_with_free_func (g_free);
}

/* ---- Public API ---- */

TdmMappingRowDialog *
tdm_mapping_row_dialog_new (GtkWindow *parent,
                            JsonNode  *table,
                            TdmKind    kind,
                            int        index)
{
  TdmMappingRowDialog *self;
  JsonArray *rows;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (table != NULL && JSON_NODE_HOLDS_OBJECT (table), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  self = g_object_new (TDM_TYPE_MAPPING_ROW_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", index >= 0 ? _("Edit Mapping Row") : _("Add Mapping Row"),
                       "body", _("Which Shopify property is kept in step with which field of "
                                 "your webshop, and which way changes go."),
                       NULL);
  self->table = _tdm_mapping_page_json_copy (table);
  self->kind = kind;
  rows = _tdm_mapping_page_kind_array (self->table, kind);
  g_return_val_if_fail (index < (int) json_array_get_length (rows), self);
  self->index = index;
  if (index < 0)
    {
      self->row = json_object_new ();
      json_array_add_object_element (rows, self->row);
    }
  else
    {
      JsonNode *node = json_array_get_element (rows, index);

      /* A row that is not an object (a hand-edited file) is edited as a new one. */
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autoptr(JsonObject) fresh = json_object_new ();

          json_node_init_object (node, fresh);
        }
      self->row = json_node_get_object (node);
    }
  self->properties = collect_property_choices (kind);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), build_fields (self));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "apply", index >= 0 ? _("_Apply") : _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");

  select_initial_choices (self);
  connect_fields (self);
  revalidate (self);

  return self;
}

JsonNode *
tdm_mapping_row_dialog_dup_table (TdmMappingRowDialog *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_ROW_DIALOG (self), NULL);
  g_return_val_if_fail (self->table != NULL, NULL);

  return _tdm_mapping_page_json_copy (self->table);
}

const char *
tdm_mapping_row_dialog_get_problem (TdmMappingRowDialog *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_ROW_DIALOG (self), NULL);

  return self->problem;
}
