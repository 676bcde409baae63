/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-mapping-page.h"
#include "tdm-mapping-page-private.h"
#include "tdm-mapping-row-dialog.h"

/* The mapping table of docs/mapping.md (Editing the mapping) in a shop
 * owner's words: one group per kind, a row per property by its label, the
 * fields of a list or group inside an expander row. */

struct _TdmMappingPage
{
  AdwPreferencesPage    parent_instance;

  TdmContext           *context;
  JsonNode             *root;        /* the working copy, the mapping file's JSON */
  JsonNode             *saved;       /* the table as last loaded or saved */
  char                 *problem;     /* why the working copy is invalid, or NULL */
  TdmKind               bad_kind;    /* the row the problem is in, when bad_index >= 0 */
  int                   bad_index;

  AdwPreferencesGroup  *status_group;
  GtkLabel             *status_label;
  GtkWidget            *save_button;
  AdwPreferencesGroup  *groups[TDM_N_KINDS];
  GPtrArray            *rows[TDM_N_KINDS];  /* GtkWidget*, the top-level rows of groups[kind] */

  AdwToast             *undo_toast;         /* weak: the toast of the last removal */
  GtkWindow            *close_question;     /* weak: the open "unsaved changes" question */
};

G_DEFINE_FINAL_TYPE (TdmMappingPage, tdm_mapping_page, ADW_TYPE_PREFERENCES_PAGE)

static void rebuild (TdmMappingPage *self);

/* ---- Helpers ---- */

static void
show_status (TdmMappingPage *self,
             const char     *text,
             gboolean        is_error)
{
  g_assert (TDM_IS_MAPPING_PAGE (self));

  gtk_label_set_label (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_status (TdmMappingPage *self)
{
  g_autofree char *row_problem = NULL;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  g_clear_pointer (&self->problem, g_free);
  self->problem = _tdm_mapping_page_validate (self->root);
  self->bad_index = -1;
  if (self->problem != NULL)
    self->bad_index = _tdm_mapping_page_find_bad_row (self->root, &self->bad_kind, &row_problem);

  if (self->problem != NULL && self->bad_index >= 0)
    {
      JsonArray *rows = _tdm_mapping_page_kind_array (self->root, self->bad_kind);
      JsonObject *row = _tdm_mapping_page_table_row (rows, self->bad_index);
      g_autofree char *label = _tdm_mapping_page_row_label (self->bad_kind, row);
      g_autofree char *problem = _tdm_mapping_page_strip_row_context (row_problem,
                                                                      self->bad_kind,
                                                                      self->bad_index + 1);
      g_autofree char *text = NULL;

      /* Translators: "The row “First name” of Customers cannot be used: <problem>". */
      text = g_strdup_printf (_("The row “%s” of %s cannot be used: %s"), label,
                              tdm_kind_display_plural (self->bad_kind), problem);
      show_status (self, text, TRUE);
    }
  else if (self->problem != NULL)
    show_status (self, self->problem, TRUE);
  else if (tdm_mapping_page_has_unsaved_changes (self))
    show_status (self, _("All rows are valid. Save to use them from the next sync."), FALSE);
  else
    show_status (self, _("All rows are valid."), FALSE);

  gtk_widget_set_sensitive (self->save_button, tdm_mapping_page_can_save (self));
}

static void
replace_table (TdmMappingPage *self,
               JsonNode       *root)
{
  g_assert (TDM_IS_MAPPING_PAGE (self));
  g_assert (root != NULL && JSON_NODE_HOLDS_OBJECT (root));

  g_clear_pointer (&self->root, json_node_unref);
  self->root = root;
  rebuild (self);
}

static GtkRoot *
page_root (TdmMappingPage *self)
{
  return gtk_widget_get_root (GTK_WIDGET (self));
}

static void
add_toast (TdmMappingPage *self,
           AdwToast       *toast)
{
  GtkRoot *root = page_root (self);
  g_autoptr(AdwToast) owned = toast;

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), g_steal_pointer (&owned));
}

/* ---- The row dialog ---- */

static void
on_row_dialog_response_cb (TdmMappingRowDialog *dialog,
                           const char          *response,
                           TdmMappingPage      *self)
{
  g_assert (TDM_IS_MAPPING_ROW_DIALOG (dialog));
  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (g_strcmp0 (response, "apply") != 0 || tdm_mapping_row_dialog_get_problem (dialog) != NULL)
    return;

  replace_table (self, tdm_mapping_row_dialog_dup_table (dialog));
}

static GtkWidget *
open_row_dialog (TdmMappingPage *self,
                 TdmKind         kind,
                 int             index)
{
  GtkRoot *root = page_root (self);
  TdmMappingRowDialog *dialog;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  dialog = tdm_mapping_row_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       self->root, kind, index);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_row_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

/* ---- Removing and undoing ---- */

static void
on_undo_clicked_cb (AdwToast       *toast,
                    TdmMappingPage *self)
{
  TdmMappingRemoval *removal = g_object_get_data (G_OBJECT (toast), "tdm-removal");

  g_assert (ADW_IS_TOAST (toast));
  g_assert (TDM_IS_MAPPING_PAGE (self));

  /* A second click while the toast goes away. */
  if (removal == NULL)
    return;

  _tdm_mapping_page_restore_rows (self->root, removal);
  g_object_set_data (G_OBJECT (toast), "tdm-removal", NULL);
  rebuild (self);
}

static void
offer_undo (TdmMappingPage    *self,
            TdmMappingRemoval *removal,
            const char        *label)
{
  AdwToast *toast;

  g_assert (TDM_IS_MAPPING_PAGE (self));
  g_assert (removal != NULL);

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);

  /* Translators: a toast after a row of the mapping table was removed. */
  toast = adw_toast_new_format (_("“%s” removed"), label);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* A removal is a pending change until Save: Undo stays offered until
   * the next removal, a save or a discard, not for a few seconds only. */
  adw_toast_set_timeout (toast, 0);
  g_object_set_data_full (G_OBJECT (toast), "tdm-removal", removal,
                          (GDestroyNotify) _tdm_mapping_page_removal_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, 0);
  g_set_weak_pointer (&self->undo_toast, toast);
  add_toast (self, toast);
}

/* ---- The rows ---- */

static void
on_edit_clicked_cb (GtkButton      *button,
                    TdmMappingPage *self)
{
  TdmKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-kind"));
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-index"));

  g_assert (TDM_IS_MAPPING_PAGE (self));

  open_row_dialog (self, kind, index);
}

static void
on_remove_clicked_cb (GtkButton      *button,
                      TdmMappingPage *self)
{
  TdmKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-kind"));
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tdm-index"));

  g_assert (TDM_IS_MAPPING_PAGE (self));

  tdm_mapping_page_remove_row (self, kind, index);
}

static void
on_add_clicked_cb (GtkButton      *button,
                   TdmMappingPage *self)
{
  g_assert (TDM_IS_MAPPING_PAGE (self));

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

/* "Email · Both ways", "Money · Only to the webshop · Set when the record is
 * created". */
static char *
row_subtitle (JsonObject *row)
{
  g_autofree char *type = _tdm_mapping_page_type_label (_tdm_mapping_page_row_string (row, "type"));
  const char *direction = _tdm_mapping_page_row_string (row, "direction");
  const char *writable = _tdm_mapping_page_writable_label (_tdm_mapping_page_row_string (row,
                                                                                      "writable"));

  if (writable != NULL)
    /* Translators: data type · direction · when it is written, in the mapping table. */
    return g_strdup_printf (_("%s · %s · %s"), type,
                            _tdm_mapping_page_direction_label (direction), writable);
  /* Translators: data type · direction, e.g. "Email · Both ways". */
  return g_strdup_printf (_("%s · %s"), type, _tdm_mapping_page_direction_label (direction));
}

static GtkWidget *
build_row (TdmMappingPage *self,
           TdmKind         kind,
           guint           index,
           gboolean        is_container)
{
  JsonArray *rows = _tdm_mapping_page_kind_array (self->root, kind);
  JsonObject *row = _tdm_mapping_page_table_row (rows, index);
  g_autofree char *label = _tdm_mapping_page_row_label (kind, row);
  g_autofree char *subtitle = row_subtitle (row);
  g_autofree char *edit_tip = g_strdup_printf (_("Edit “%s”"), label);
  g_autofree char *remove_tip = g_strdup_printf (_("Remove “%s”"), label);
  GtkWidget *edit = row_button (self, "document-edit-symbolic", edit_tip, kind, index,
                                G_CALLBACK (on_edit_clicked_cb));
  GtkWidget *remove = row_button (self, "user-trash-symbolic", remove_tip, kind, index,
                                  G_CALLBACK (on_remove_clicked_cb));
  GtkWidget *widget;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (is_container)
    {
      widget = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (widget), subtitle);
      /* Each action goes in front of the ones before it. */
      adw_expander_row_add_action (ADW_EXPANDER_ROW (widget), remove);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (widget), edit);
    }
  else
    {
      widget = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), edit);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), remove);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (widget), edit);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), label);
  g_object_set_data (G_OBJECT (widget), "tdm-index", GINT_TO_POINTER (index));

  if (self->problem != NULL && self->bad_index == (int) index && self->bad_kind == kind)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_tooltip_text (icon, gtk_label_get_label (self->status_label));
      gtk_widget_add_css_class (widget, "tdm-mapping-row-problem");
      if (is_container)
        adw_expander_row_add_prefix (ADW_EXPANDER_ROW (widget), icon);
      else
        adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
    }

  return widget;
}

static void
rebuild_kind (TdmMappingPage *self,
              TdmKind         kind)
{
  JsonArray *rows = _tdm_mapping_page_kind_array (self->root, kind);
  guint n_rows = json_array_get_length (rows);
  g_autofree int *parents = g_new (int, MAX (n_rows, 1));
  g_autofree gboolean *containers = g_new0 (gboolean, MAX (n_rows, 1));
  g_autofree GtkWidget **widgets = g_new0 (GtkWidget *, MAX (n_rows, 1));

  g_assert (TDM_IS_MAPPING_PAGE (self));

  for (guint i = 0; i < self->rows[kind]->len; i++)
    adw_preferences_group_remove (self->groups[kind], g_ptr_array_index (self->rows[kind], i));
  g_ptr_array_set_size (self->rows[kind], 0);

  for (guint i = 0; i < n_rows; i++)
    {
      parents[i] = _tdm_mapping_page_row_parent_index (rows, i);
      if (parents[i] >= 0)
        containers[parents[i]] = TRUE;
    }

  for (guint i = 0; i < n_rows; i++)
    {
      widgets[i] = build_row (self, kind, i, containers[i]);
      if (parents[i] >= 0)
        {
          AdwExpanderRow *parent = ADW_EXPANDER_ROW (widgets[parents[i]]);

          adw_expander_row_add_row (parent, widgets[i]);
          if (self->problem != NULL && self->bad_kind == kind && self->bad_index == (int) i)
            adw_expander_row_set_expanded (parent, TRUE);
        }
      else
        {
          adw_preferences_group_add (self->groups[kind], widgets[i]);
          g_ptr_array_add (self->rows[kind], widgets[i]);
        }
    }
}

static void
rebuild (TdmMappingPage *self)
{
  g_assert (TDM_IS_MAPPING_PAGE (self));

  update_status (self);
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    rebuild_kind (self, kind);
}

static void
load_from_context (TdmMappingPage *self)
{
  TdmMapping *mapping = tdm_context_get_mapping (self->context);
  g_autofree char *data = mapping != NULL ? tdm_mapping_to_data (mapping) : NULL;
  JsonNode *root = data != NULL ? json_from_string (data, NULL) : NULL;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = _tdm_mapping_page_new_table ();
    }
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    _tdm_mapping_page_kind_array (root, kind);

  g_clear_pointer (&self->saved, json_node_unref);
  self->saved = _tdm_mapping_page_json_copy (root);
  replace_table (self, root);
}

/* ---- Saving, resetting and the question on closing ---- */

static void
on_save_clicked_cb (TdmMappingPage *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (!tdm_mapping_page_save (self, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }

  add_toast (self, adw_toast_new (_("Mapping saved. The next sync uses it.")));
}

static void
on_reset_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TdmMappingPage   *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (g_strcmp0 (response, "reset") != 0)
    return;

  if (!tdm_mapping_page_reset (self, &error))
    show_status (self, error->message, TRUE);
}

static void
on_reset_clicked_cb (TdmMappingPage *self)
{
  GtkRoot *root = page_root (self);
  GtkWidget *dialog;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Reset the Mapping?"),
                                   _("Every row goes back to Tandem’s default table. "
                                     "Your own rows are removed."));
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

static gboolean
close_window_cb (gpointer data)
{
  GtkWindow *window = data;

  g_assert (GTK_IS_WINDOW (window));

  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_close_question_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               TdmMappingPage   *self)
{
  GtkWindow *window = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_MAPPING_PAGE (self));

  if (g_strcmp0 (response, "discard") == 0)
    tdm_mapping_page_discard (self);
  else if (g_strcmp0 (response, "save") == 0)
    {
      if (!tdm_mapping_page_save (self, &error))
        {
          show_status (self, error->message, TRUE);
          return;
        }
    }
  else
    return;

  /* Once the question has closed: it is the window's child. */
  if (window != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_window_cb, g_object_ref (window),
                     g_object_unref);
}

/* ---- GObject ---- */

static void
build_status_group (TdmMappingPage *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Reset to Default"));

  g_assert (TDM_IS_MAPPING_PAGE (self));

  self->status_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->status_group, _("Mapping Table"));
  adw_preferences_group_set_description (self->status_group,
                                         _("Which webshop property is written to which "
                                           "Shopify property, with Shopify’s data type and "
                                           "the direction. Changes take effect from the next "
                                           "sync after saving."));
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
}

static void
build_kind_groups (TdmMappingPage *self)
{
  g_assert (TDM_IS_MAPPING_PAGE (self));

  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    {
      GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
      g_autofree char *tip = NULL;

      /* Translators: the add button of a table, "Add a customer row". */
      tip = g_strdup_printf (_("Add a row to %s"), tdm_kind_display_plural (kind));
      gtk_widget_set_tooltip_text (add, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tip, -1);
      gtk_widget_add_css_class (add, "flat");
      g_object_set_data (G_OBJECT (add), "tdm-kind", GINT_TO_POINTER (kind));
      g_signal_connect (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);

      self->groups[kind] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (self->groups[kind], tdm_kind_display_plural (kind));
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
  g_clear_pointer (&self->saved, json_node_unref);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_weak_pointer (&self->close_question);
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
  self->bad_index = -1;
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Mapping"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "view-list-bullet-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "mapping");
  build_status_group (self);
  build_kind_groups (self);
}

/* ---- Public API ---- */

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
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, 0);

  return json_array_get_length (_tdm_mapping_page_kind_array (self->root, kind));
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
  JsonArray *rows;
  JsonObject *row;

  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);

  rows = _tdm_mapping_page_kind_array (self->root, kind);
  g_return_val_if_fail (index < json_array_get_length (rows), FALSE);
  row = _tdm_mapping_page_table_row (rows, index);
  g_return_val_if_fail (row != NULL, FALSE);

  _tdm_mapping_page_row_set_string (row, "webshop", webshop);
  _tdm_mapping_page_row_set_string (row, "shopify", shopify);
  _tdm_mapping_page_row_set_string (row, "shopify_write", shopify_write);
  _tdm_mapping_page_row_set_string (row, "type", type);
  _tdm_mapping_page_row_set_string (row, "direction", direction);
  rebuild (self);

  return self->problem == NULL;
}

GtkWidget *
tdm_mapping_page_edit_row (TdmMappingPage *self,
                           TdmKind         kind,
                           int             index)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (index < (int) tdm_mapping_page_get_n_rows (self, kind), NULL);

  return open_row_dialog (self, kind, index);
}

void
tdm_mapping_page_remove_row (TdmMappingPage *self,
                             TdmKind         kind,
                             guint           index)
{
  JsonArray *rows;
  g_autofree char *label = NULL;

  g_return_if_fail (TDM_IS_MAPPING_PAGE (self));
  g_return_if_fail ((guint) kind < TDM_N_KINDS);

  rows = _tdm_mapping_page_kind_array (self->root, kind);
  g_return_if_fail (index < json_array_get_length (rows));

  label = _tdm_mapping_page_row_label (kind, _tdm_mapping_page_table_row (rows, index));
  offer_undo (self, _tdm_mapping_page_remove_rows (self->root, kind, index), label);
  rebuild (self);
}

const char *
tdm_mapping_page_get_problem (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), NULL);

  return self->problem;
}

gboolean
tdm_mapping_page_has_unsaved_changes (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  return self->saved != NULL && self->root != NULL && !json_node_equal (self->root, self->saved);
}

gboolean
tdm_mapping_page_can_save (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);

  return tdm_mapping_page_has_unsaved_changes (self) && self->problem == NULL;
}

gboolean
tdm_mapping_page_save (TdmMappingPage  *self,
                       GError         **error)
{
  g_autofree char *data = NULL;
  g_autoptr(TdmMapping) mapping = NULL;

  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->problem != NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING, self->problem);
      return FALSE;
    }

  data = json_to_string (self->root, TRUE);
  mapping = tdm_mapping_new_from_data (data, -1, TDM_MAPPING_PAGE_SOURCE, error);
  if (mapping == NULL || !tdm_context_save_mapping (self->context, mapping, error))
    return FALSE;

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  load_from_context (self);
  return TRUE;
}

void
tdm_mapping_page_discard (TdmMappingPage *self)
{
  g_return_if_fail (TDM_IS_MAPPING_PAGE (self));

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  replace_table (self, _tdm_mapping_page_json_copy (self->saved));
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

gboolean
tdm_mapping_page_ask_before_close (TdmMappingPage *self,
                                   GtkWindow      *window)
{
  AdwMessageDialog *question;
  const char *body;

  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), FALSE);
  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);

  if (!tdm_mapping_page_has_unsaved_changes (self))
    return FALSE;
  if (self->close_question != NULL)
    {
      gtk_window_present (self->close_question);
      return TRUE;
    }

  if (ADW_IS_PREFERENCES_WINDOW (window))
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                             ADW_PREFERENCES_PAGE (self));
  if (self->problem == NULL)
    body = _("The mapping table has changes that are not saved. Saved, they are used from "
             "the next sync.");
  else
    body = _("The mapping table has changes that are not saved, and a row is not valid yet: "
             "fix it to save, or discard the changes.");
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Save Mapping Changes?"), body));
  adw_message_dialog_add_responses (question,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (question, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (question, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (question, "save", self->problem == NULL);
  adw_message_dialog_set_default_response (question, self->problem == NULL ? "save" : "cancel");
  adw_message_dialog_set_close_response (question, "cancel");
  g_signal_connect_object (question, "response", G_CALLBACK (on_close_question_response_cb),
                           self, 0);
  g_set_weak_pointer (&self->close_question, GTK_WINDOW (question));
  gtk_window_present (GTK_WINDOW (question));

  return TRUE;
}

GtkWindow *
tdm_mapping_page_get_close_question (TdmMappingPage *self)
{
  g_return_val_if_fail (TDM_IS_MAPPING_PAGE (self), NULL);

  return self->close_question;
}
