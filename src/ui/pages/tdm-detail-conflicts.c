/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-detail-private.h"

/* Conflicts under the "ask" policy (docs/sync.md, Three-way merge): both
 * values and a button per shop. A choice is stored at once and written by
 * the next sync of the record; until then it is listed with "Write Now"
 * (Sync This Record) and "Undo", and a toast offers Undo as well. */

/* ---- Choosing ---- */

typedef struct {
  GWeakRef   detail;
  TdmKind    kind;
  char      *webshop_id;
  GPtrArray *fields;   /* char*: the fields this choice settles / takes back */
  TdmSide    winner;
} Choice;

static void
choice_free (Choice *choice)
{
  g_weak_ref_clear (&choice->detail);
  g_free (choice->webshop_id);
  g_clear_pointer (&choice->fields, g_ptr_array_unref);
  g_free (choice);
}

static void
choice_closure_free (gpointer  data,
                     GClosure *closure)
{
  choice_free (data);
}

static Choice *
choice_new (TdmRecordDetail *self,
            TdmKind          kind,
            const char      *webshop_id,
            TdmSide          winner)
{
  Choice *choice = g_new0 (Choice, 1);

  g_weak_ref_init (&choice->detail, self);
  choice->kind = kind;
  choice->webshop_id = g_strdup (webshop_id);
  choice->winner = winner;
  choice->fields = g_ptr_array_new_with_free_func (g_free);
  return choice;
}

static Choice *
choice_copy (const Choice *choice)
{
  g_autoptr(TdmRecordDetail) self = g_weak_ref_get ((GWeakRef *) &choice->detail);
  Choice *copy = choice_new (self, choice->kind, choice->webshop_id, choice->winner);

  for (guint i = 0; i < choice->fields->len; i++)
    g_ptr_array_add (copy->fields, g_strdup (g_ptr_array_index (choice->fields, i)));
  return copy;
}

/* Takes the choices back; the conflicts wait for a choice again. */
static void
undo_choice (TdmRecordDetail *self,
             const Choice    *choice)
{
  TdmStore *store = TDM_STORE (tdm_context_get_store (self->context));
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (choice != NULL);

  for (guint i = 0; i < choice->fields->len && error == NULL; i++)
    tdm_store_unresolve_conflict (store, choice->kind, choice->webshop_id,
                                  g_ptr_array_index (choice->fields, i), &error);
  if (error != NULL)
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
      g_warning ("Could not take the choice back: %s", error->message);
    }
  _tdm_detail_changed (self);
}

static void
on_toast_undo_cb (AdwToast *toast,
                  Choice   *choice)
{
  g_autoptr(TdmRecordDetail) self = g_weak_ref_get (&choice->detail);

  g_assert (ADW_IS_TOAST (toast));

  if (self != NULL && self->context != NULL)
    undo_choice (self, choice);
}

static void
on_undo_clicked_cb (GtkButton *button,
                    Choice    *choice)
{
  g_autoptr(TdmRecordDetail) self = g_weak_ref_get (&choice->detail);

  g_assert (GTK_IS_BUTTON (button));

  if (self != NULL)
    undo_choice (self, choice);
}

/* "“Email”: the Shopify value will be written on the next sync", with Undo. */
static void
show_choice_toast (TdmRecordDetail *self,
                   const Choice    *choice,
                   TdmDetailData   *data)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_assert (choice != NULL && data != NULL);

  if (choice->fields->len == 1)
    {
      g_autofree char *label = _tdm_detail_field_label (data->mapping, choice->kind,
                                                        g_ptr_array_index (choice->fields, 0));

      /* Translators: "“Email”: the webshop’s value will be written…" */
      text = g_strdup_printf (choice->winner == TDM_SIDE_WEBSHOP
                              ? _("“%s”: the webshop’s value will be written on the next sync")
                              : _("“%s”: the Shopify value will be written on the next sync"),
                              label);
    }
  else
    text = g_strdup (choice->winner == TDM_SIDE_WEBSHOP
                     ? _("The webshop’s values will be written on the next sync")
                     : _("The Shopify values will be written on the next sync"));

  /* libadwaita 1.2 reads a toast's title as markup. */
  title = g_markup_escape_text (text, -1);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_toast_undo_cb),
                         choice_copy (choice), choice_closure_free, 0);
  g_set_weak_pointer (&self->toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
on_choose_clicked_cb (GtkButton *button,
                      Choice    *choice)
{
  g_autoptr(TdmRecordDetail) self = g_weak_ref_get (&choice->detail);
  TdmRecordStore *store;
  g_autoptr(GError) error = NULL;

  g_assert (GTK_IS_BUTTON (button));

  if (self == NULL || self->context == NULL)
    return;
  store = tdm_context_get_store (self->context);
  for (guint i = 0; i < choice->fields->len && error == NULL; i++)
    tdm_record_store_resolve_conflict (store, choice->kind, choice->webshop_id,
                                       g_ptr_array_index (choice->fields, i), choice->winner,
                                       &error);
  if (error != NULL)
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
      g_warning ("Could not keep the chosen value: %s", error->message);
    }
  else if (self->data != NULL)
    show_choice_toast (self, choice, self->data);

  _tdm_detail_changed (self);
}

static GtkWidget *
choose_button_new (TdmRecordDetail *self,
                   TdmDetailData   *data,
                   const char      *label,
                   TdmSide          winner,
                   const char      *field)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  Choice *choice = choice_new (self, data->kind, data->ids[TDM_SIDE_WEBSHOP], winner);

  g_assert (data != NULL);

  if (field != NULL)
    g_ptr_array_add (choice->fields, g_strdup (field));
  else
    for (guint i = 0; i < data->conflicts->len; i++)
      {
        TdmFieldConflict *conflict = g_ptr_array_index (data->conflicts, i);

        g_ptr_array_add (choice->fields, g_strdup (conflict->field));
      }

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_choose_clicked_cb), choice,
                         choice_closure_free, 0);
  return button;
}

/* ---- Rows ---- */

static GtkWidget *
conflict_box_new (const char *title,
                  const char *badge,
                  const char *badge_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = _tdm_detail_label_new (title, TRUE);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (top), label);
  if (badge != NULL)
    gtk_box_append (GTK_BOX (top), _tdm_detail_badge_new (badge, badge_class));
  gtk_box_append (GTK_BOX (box), top);
  return box;
}

static void
append_sentence (GtkWidget  *box,
                 const char *text)
{
  GtkWidget *sentence = _tdm_detail_label_new (text, TRUE);

  gtk_widget_add_css_class (sentence, "dim-label");
  gtk_widget_add_css_class (sentence, "caption");
  gtk_box_append (GTK_BOX (box), sentence);
}

static GtkWidget *
list_row_new (GtkWidget *box)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static GtkWidget *
buttons_box_new (void)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  return buttons;
}

/* Both values of a conflict, as the fields show them. */
static GtkWidget *
values_new (TdmDetailData         *data,
            const TdmDetailFormat *format,
            TdmFieldConflict      *conflict)
{
  GPtrArray *rows = data->mapping != NULL ? tdm_mapping_get_rows (data->mapping, data->kind) : NULL;

  g_assert (data != NULL && conflict != NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);

      if (row->parent < 0 && g_strcmp0 (row->name, conflict->field) == 0)
        return _tdm_detail_compare_new (data, format, i, conflict->webshop_value,
                                        conflict->shopify_value);
    }
  return NULL;
}

static void
add_pending (TdmRecordDetail       *self,
             TdmDetailData         *data,
             const TdmDetailFormat *format)
{
  GtkListBox *list = _tdm_detail_add_group (self, _("Conflicts"));

  g_assert (data != NULL);

  for (guint i = 0; i < data->conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (data->conflicts, i);
      g_autofree char *label = _tdm_detail_field_label (data->mapping, data->kind, conflict->field);
      GtkWidget *box = conflict_box_new (label, _("Conflict"), "tdm-status-conflict");
      GtkWidget *values = values_new (data, format, conflict);
      GtkWidget *buttons = buttons_box_new ();

      if (values != NULL)
        {
          gtk_box_append (GTK_BOX (box), _tdm_detail_columns_new ());
          gtk_box_append (GTK_BOX (box), values);
        }
      append_sentence (box, _("Both shops changed this since the last sync. Choose the value "
                              "to keep; it is written to the other shop on the next sync."));
      gtk_box_append (GTK_BOX (buttons), choose_button_new (self, data, _("Use Webshop"),
                                                            TDM_SIDE_WEBSHOP, conflict->field));
      gtk_box_append (GTK_BOX (buttons), choose_button_new (self, data, _("Use Shopify"),
                                                            TDM_SIDE_SHOPIFY, conflict->field));
      gtk_box_append (GTK_BOX (box), buttons);
      gtk_list_box_append (list, list_row_new (box));
    }

  if (data->conflicts->len > 1)
    {
      GtkWidget *box = conflict_box_new (_("All fields"), NULL, NULL);
      GtkWidget *buttons = buttons_box_new ();

      append_sentence (box, _("Keep one shop’s values for every field above."));
      gtk_box_append (GTK_BOX (buttons), choose_button_new (self, data, _("Use Webshop"),
                                                            TDM_SIDE_WEBSHOP, NULL));
      gtk_box_append (GTK_BOX (buttons), choose_button_new (self, data, _("Use Shopify"),
                                                            TDM_SIDE_SHOPIFY, NULL));
      gtk_box_append (GTK_BOX (box), buttons);
      gtk_list_box_append (list, list_row_new (box));
    }
}

/* Choices not written yet: what was chosen, when it is written, Write Now
 * and Undo. */
static void
add_settled (TdmRecordDetail       *self,
             TdmDetailData         *data,
             const TdmDetailFormat *format)
{
  GtkListBox *list = _tdm_detail_add_group (self, _("Waiting for the Next Sync"));

  g_assert (data != NULL && format != NULL);

  for (guint i = 0; i < data->settled->len; i++)
    {
      TdmFieldConflict *settled = g_ptr_array_index (data->settled, i);
      g_autofree char *label = _tdm_detail_field_label (data->mapping, data->kind, settled->field);
      GtkWidget *box = conflict_box_new (label, _("Chosen"), "tdm-field-settled");
      GtkWidget *buttons = buttons_box_new ();
      GtkWidget *undo = gtk_button_new_with_mnemonic (_("_Undo"));
      Choice *choice = choice_new (self, data->kind, data->ids[TDM_SIDE_WEBSHOP], settled->winner);

      append_sentence (box, settled->winner == TDM_SIDE_WEBSHOP
                            ? _("You chose the webshop’s value. It will be written to Shopify "
                                "on the next sync.")
                            : _("You chose the Shopify value. It will be written to the webshop "
                                "on the next sync."));
      g_ptr_array_add (choice->fields, g_strdup (settled->field));
      g_signal_connect_data (undo, "clicked", G_CALLBACK (on_undo_clicked_cb), choice,
                             choice_closure_free, 0);
      gtk_box_append (GTK_BOX (buttons), undo);
      gtk_box_append (GTK_BOX (buttons),
                      _tdm_detail_sync_button_new (data->kind, TDM_SIDE_WEBSHOP,
                                                   data->ids[TDM_SIDE_WEBSHOP], _("_Write Now")));
      gtk_box_append (GTK_BOX (box), buttons);
      gtk_list_box_append (list, list_row_new (box));
    }
}

void
_tdm_detail_add_conflicts (TdmRecordDetail       *self,
                           TdmDetailData         *data,
                           const TdmDetailFormat *format)
{
  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (data != NULL && format != NULL);

  if (data->conflicts != NULL && data->conflicts->len > 0)
    add_pending (self, data, format);
  if (data->settled != NULL && data->settled->len > 0)
    add_settled (self, data, format);
}
