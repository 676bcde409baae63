/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-mapping"

#include "config.h"

#include <string.h>

#include "tdm-mapping-page.h"
#include "tdm-ui-fixture.h"

/* The Mapping page of Preferences: the table in words, the row dialog
 * (its own copy of the table, live validation, no GTK critical when it
 * goes), Undo after a removal, and the question when Preferences close with
 * unsaved changes (tdm-ui-fixture.h; docs/mapping.md, Editing the mapping). */

/* ---- Finding the page's widgets ---- */


/* The first widget named `name` under `widget` (depth first), or NULL. */
static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first GtkEditable under `widget` (depth first), or NULL. */
static GtkEditable *
find_editable (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget))
    return GTK_EDITABLE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_editable (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
open_mapping_dialog (TdmMappingPage *page,
                     TdmKind         kind,
                     int             index)
{
  AdwMessageDialog *dialog;

  tdm_mapping_page_edit_row (page, kind, index);
  dialog = ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));

  return dialog;
}

/* Answers the dialog and waits until it is gone (disposed, its fields too). */
static void
answer_dialog (AdwMessageDialog *dialog,
               const char       *response)
{
  GtkWidget *button;

  /* Its button, as a click: the response, then the dialog closes. */
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  button = tdm_test_find_button (GTK_WIDGET (dialog),
                                 adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  tdm_test_wait_for (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5);
  tdm_test_spin (50);
}

/* The text of the dialog's problem: its "problem" label, else its body. */
static const char *
dialog_problem (AdwMessageDialog *dialog)
{
  GtkWidget *label = find_named (GTK_WIDGET (dialog), "problem");

  if (label != NULL)
    return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : "";
  return adw_message_dialog_get_body (dialog);
}

static GtkEditable *
dialog_field (AdwMessageDialog *dialog,
              const char       *name)
{
  GtkWidget *technical = find_named (GTK_WIDGET (dialog), "technical-details");
  GtkWidget *field;

  /* A collapsed expander holds its child outside the widget tree. */
  g_assert_nonnull (technical);
  if (g_str_has_prefix (name, "shopify-") && !g_str_equal (name, "shopify-property"))
    gtk_expander_set_expanded (GTK_EXPANDER (technical), TRUE);
  field = find_named (GTK_WIDGET (dialog), name);
  g_assert_nonnull (field);
  g_assert_true (GTK_IS_EDITABLE (field));
  return GTK_EDITABLE (field);
}

/* Selects the item whose text is `label` in a combo row. */
static void
select_combo_item (AdwMessageDialog *dialog,
                   const char       *name,
                   const char       *label)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_named (GTK_WIDGET (dialog), name));
  GListModel *model;

  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("No item “%s” in %s", label, name);
}

static const char *
combo_selected_text (AdwMessageDialog *dialog,
                     const char       *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_named (GTK_WIDGET (dialog), name));

  g_assert_nonnull (row);
  return gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (row)));
}

static void
test_mapping_editor (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json",
                                            NULL);
  g_autoptr(TdmMapping) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_customer;

  g_assert_nonnull (page);
  n_customer = tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER);
  g_assert_cmpuint (n_customer, >, 3);
  g_assert_null (tdm_mapping_page_get_problem (page));
  g_assert_false (tdm_mapping_page_can_save (page));

  /* The row dialog explains an unknown Shopify property as it is typed and
   * cannot apply it. */
  {
    AdwMessageDialog *dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, 3);
    GtkEditable *read = dialog_field (dialog, "shopify-read");

    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
    g_assert_cmpstr (gtk_editable_get_text (dialog_field (dialog, "webshop-field")), ==,
                     "last_name");
    g_assert_cmpstr (combo_selected_text (dialog, "data-type"), ==, "Text");
    g_assert_cmpstr (combo_selected_text (dialog, "direction"), ==, "Both ways");
    tdm_ui_take_screenshot (GTK_WINDOW (dialog), "screenshot-mapping-row-dialog.png");

    gtk_editable_set_text (read, "lastNmae");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
    g_assert_nonnull (strstr (dialog_problem (dialog), "lastNmae"));

    gtk_editable_set_text (read, "lastName");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
    answer_dialog (dialog, "cancel");
  }

  /* Row 3 is first_name → firstName. An unknown Shopify type is explained
   * and cannot be saved. */
  g_assert_false (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                            NULL, "NoSuchShopifyType", "both"));
  g_assert_nonnull (tdm_mapping_page_get_problem (page));
  g_assert_false (tdm_mapping_page_can_save (page));
  g_assert_false (tdm_mapping_page_save (page, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (page));
  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping-invalid.png");

  /* A valid change: only from the webshop to Shopify. */
  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  g_assert_true (tdm_mapping_page_can_save (page));
  g_assert_true (tdm_mapping_page_save (page, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  saved = tdm_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_mapping_find_row (saved, TDM_KIND_CUSTOMER, "first_name")->direction, ==,
                   TDM_DIRECTION_TO_SHOPIFY);
  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping.png");

  /* Remove, then reset to the default table. */
  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 2);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer - 1);
  g_assert_true (tdm_mapping_page_reset (page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A cancelled row dialog leaves the table as it was, whatever was typed:
 * nothing of it reaches the saved file, and taking the dialogs down prints
 * no GTK critical (the suite runs with G_DEBUG=fatal-criticals). */
static void
test_mapping_dialog_cancel (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json",
                                            NULL);
  g_autofree char *saved_text = NULL;
  g_autoptr(TdmMapping) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows[TDM_N_KINDS];
  AdwMessageDialog *dialog;

  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    n_rows[kind] = tdm_mapping_page_get_n_rows (page, kind);

  /* A new row, typed into and cancelled. */
  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, -1);
  gtk_editable_set_text (find_editable (adw_message_dialog_get_extra_child (dialog)), "x");
  gtk_editable_set_text (find_editable (adw_message_dialog_get_extra_child (dialog)), "xy");
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==,
                    n_rows[TDM_KIND_CUSTOMER]);
  answer_dialog (dialog, "cancel");
  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, kind), ==, n_rows[kind]);
  g_assert_false (tdm_mapping_page_can_save (page));

  /* Row 4 (last_name) edited and cancelled; closed with Escape's close too. */
  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, 3);
  gtk_editable_set_text (find_editable (adw_message_dialog_get_extra_child (dialog)),
                         "cancelled_name");
  answer_dialog (dialog, "cancel");
  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, 3);
  gtk_editable_set_text (find_editable (adw_message_dialog_get_extra_child (dialog)),
                         "closed_name");
  gtk_window_close (GTK_WINDOW (dialog));
  tdm_test_wait_for (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5);
  g_assert_null (tdm_mapping_page_get_problem (page));
  g_assert_false (tdm_mapping_page_can_save (page));

  /* Another change is saved: the cancelled ones are not in the file. */
  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  g_assert_true (tdm_mapping_page_save (page, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (saved_text, "cancelled_name"));
  g_assert_null (strstr (saved_text, "closed_name"));
  g_assert_null (strstr (saved_text, "\"xy\""));
  saved = tdm_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tdm_mapping_find_row (saved, TDM_KIND_CUSTOMER, "last_name"));
  g_assert_cmpuint (tdm_mapping_get_rows (saved, TDM_KIND_CUSTOMER)->len, ==,
                    n_rows[TDM_KIND_CUSTOMER]);

  /* A dialog still open when the preferences close goes with them. */
  dialog = open_mapping_dialog (page, TDM_KIND_ORDER, 1);
  gtk_editable_set_text (find_editable (adw_message_dialog_get_extra_child (dialog)), "gone");
  gtk_window_destroy (GTK_WINDOW (prefs));
  tdm_test_spin (200);
}

/* The row dialog validates while it is typed in: the problem follows the
 * text, and Add is enabled as soon as the row is valid. */
static void
test_mapping_dialog_live (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  guint n_customer = tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER);
  AdwMessageDialog *dialog;
  g_autofree char *first_problem = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  first_problem = g_strdup (dialog_problem (dialog));
  g_assert_cmpstr (first_problem, !=, "");

  gtk_editable_set_text (dialog_field (dialog, "webshop-field"), "tax_exempt");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  gtk_editable_set_text (dialog_field (dialog, "shopify-read"), "taxExemptt");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  g_assert_nonnull (strstr (dialog_problem (dialog), "taxExemptt"));
  g_assert_cmpstr (dialog_problem (dialog), !=, first_problem);
  select_combo_item (dialog, "data-type", "Yes or no");
  tdm_ui_take_screenshot (GTK_WINDOW (dialog), "screenshot-mapping-row-dialog-problem.png");

  gtk_editable_set_text (dialog_field (dialog, "shopify-read"), "taxExempt");
  g_assert_cmpstr (dialog_problem (dialog), ==, "");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  g_assert_cmpstr (combo_selected_text (dialog, "direction"), ==, "Both ways");
  answer_dialog (dialog, "apply");
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer + 1);
  g_assert_null (tdm_mapping_page_get_problem (page));
  g_assert_true (tdm_mapping_page_can_save (page));

  /* The page names it in words: its label, "Yes or no", "Both ways". */
  tdm_ui_collect_text (GTK_WIDGET (page), text);
  g_assert_nonnull (strstr (text->str, "Tax exempt"));
  g_assert_nonnull (strstr (text->str, "Yes or no · Both ways"));
  g_assert_null (strstr (text->str, "defaultEmailAddress"));
  g_assert_null (strstr (text->str, "CustomerEmailMarketingState"));
  g_assert_null (strstr (text->str, "As its list"));

  /* A property another row keeps in step: that row is named by its label. */
  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, -1);
  select_combo_item (dialog, "shopify-property", "Phone");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  g_assert_nonnull (strstr (dialog_problem (dialog), "“Phone”"));
  answer_dialog (dialog, "cancel");

  /* A Shopify property picked by its label fills in the rest. */
  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 4);   /* phone */
  dialog = open_mapping_dialog (page, TDM_KIND_CUSTOMER, -1);
  select_combo_item (dialog, "shopify-property", "Phone");
  g_assert_cmpstr (gtk_editable_get_text (dialog_field (dialog, "webshop-field")), ==, "phone");
  g_assert_cmpstr (gtk_editable_get_text (dialog_field (dialog, "shopify-read")), ==,
                   "defaultPhoneNumber.phoneNumber");
  g_assert_cmpstr (combo_selected_text (dialog, "data-type"), ==, "Phone number");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  tdm_ui_take_screenshot (GTK_WINDOW (dialog), "screenshot-mapping-row-dialog-new.png");
  answer_dialog (dialog, "apply");
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer + 1);
  g_assert_null (tdm_mapping_page_get_problem (page));
}

/* The expander row titled `title` under `widget`, or NULL. */
static AdwExpanderRow *
find_expander_row (GtkWidget  *widget,
                   const char *title)
{
  if (ADW_IS_EXPANDER_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_EXPANDER_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwExpanderRow *found = find_expander_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkScrolledWindow *
find_scrolled_window (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled_window (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Scrolls the first scrolled window under `page` so that `target` is at its top. */
static void
scroll_to (GtkWidget *page,
           GtkWidget *target)
{
  GtkScrolledWindow *scrolled = find_scrolled_window (page);
  GtkAdjustment *adjustment;
  double x = 0, y = 0;

  g_assert_nonnull (scrolled);
  tdm_test_spin (100);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  g_assert_true (gtk_widget_translate_coordinates (target, gtk_scrolled_window_get_child (scrolled),
                                                   0, 0, &x, &y));
  gtk_adjustment_set_value (adjustment, y - 12);
  tdm_test_spin (100);
}

/* Clicks the Undo of the toast in `window` and waits until the toast is gone. */
static void
click_undo (GtkWidget *window)
{
  GtkWidget *undo = tdm_test_find_button (window, "_Undo");

  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  tdm_test_wait_for (tdm_test_find_button (window, "_Undo") == NULL, 5);
}

/* Removing a row offers Undo, which puts it back where it was; a list's
 * fields go and come back with it. */
static void
test_mapping_remove_undo (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  guint n_customer = tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER);
  g_autoptr(GError) error = NULL;

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (page));
  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 3);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer - 1);
  g_assert_true (tdm_mapping_page_can_save (page));
  tdm_test_spin (100);
  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping-removed.png");
  click_undo (GTK_WIDGET (prefs));
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer);
  g_assert_false (tdm_mapping_page_has_unsaved_changes (page));
  g_assert_false (tdm_mapping_page_can_save (page));

  /* The address list (row 10) with its ten fields, in one expander row. */
  {
    AdwExpanderRow *addresses = find_expander_row (GTK_WIDGET (page), "Addresses");
    g_autoptr(GString) text = g_string_new (NULL);

    g_assert_nonnull (addresses);
    adw_expander_row_set_expanded (addresses, TRUE);
    scroll_to (GTK_WIDGET (page), GTK_WIDGET (addresses));
    tdm_ui_collect_text (GTK_WIDGET (addresses), text);
    g_assert_nonnull (strstr (text->str, "Same as its group"));
    g_assert_null (strstr (text->str, "addressesV2"));
    tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping-addresses.png");
  }

  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 9);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer - 11);
  g_assert_null (tdm_mapping_page_get_problem (page));
  tdm_test_spin (100);
  click_undo (GTK_WIDGET (prefs));
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer);
  g_assert_false (tdm_mapping_page_has_unsaved_changes (page));

  /* A removal stays undoable while it is unsaved (longer than a toast's
   * usual five seconds); saving it ends the offer. */
  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 3);
  tdm_test_spin (6000);
  g_assert_nonnull (tdm_test_find_button (GTK_WIDGET (prefs), "_Undo"));
  g_assert_true (tdm_mapping_page_save (page, &error));
  g_assert_no_error (error);
  tdm_test_wait_for (tdm_test_find_button (GTK_WIDGET (prefs), "_Undo") == NULL, 5);
  g_assert_null (tdm_test_find_button (GTK_WIDGET (prefs), "_Undo"));
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer - 1);
}

static GtkWindow *
find_preferences (TdmUiFixture *fixture)
{
  return tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_PREFERENCES_WINDOW);
}

/* Waits until the preferences window has closed. */
static void
wait_for_preferences_closed (TdmUiFixture *fixture)
{
  tdm_test_wait_for (find_preferences (fixture) == NULL, 5);
}

/* Closing the preferences with a changed mapping asks: Cancel keeps the
 * window, Discard drops the change, Save writes it. */
static void
test_mapping_unsaved_question (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json",
                                            NULL);
  g_autoptr(TdmMapping) saved = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;

  /* Unchanged: closes without a question. */
  gtk_window_close (GTK_WINDOW (prefs));
  tdm_test_spin (50);
  g_assert_null (find_preferences (fixture));

  prefs = tdm_ui_open_preferences (fixture);
  page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  gtk_window_close (GTK_WINDOW (prefs));
  tdm_test_spin (50);
  g_assert_nonnull (find_preferences (fixture));
  question = ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  tdm_ui_take_screenshot (GTK_WINDOW (question), "screenshot-mapping-unsaved.png");
  answer_dialog (question, "cancel");
  g_assert_nonnull (find_preferences (fixture));
  g_assert_true (tdm_mapping_page_has_unsaved_changes (page));

  gtk_window_close (GTK_WINDOW (prefs));
  tdm_test_spin (50);
  question = ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  answer_dialog (question, "discard");
  wait_for_preferences_closed (fixture);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  prefs = tdm_ui_open_preferences (fixture);
  page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_assert_false (tdm_mapping_page_has_unsaved_changes (page));
  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  gtk_window_close (GTK_WINDOW (prefs));
  tdm_test_spin (50);
  question = ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  answer_dialog (question, "save");
  wait_for_preferences_closed (fixture);
  saved = tdm_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_mapping_find_row (saved, TDM_KIND_CUSTOMER, "first_name")->direction, ==,
                   TDM_DIRECTION_TO_SHOPIFY);
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/preferences/mapping", TDM_UI_EMPTY, test_mapping_editor);
      tdm_ui_test_add ("/ui/preferences/mapping/dialog-cancel", TDM_UI_EMPTY,
                       test_mapping_dialog_cancel);
      tdm_ui_test_add ("/ui/preferences/mapping/dialog-live", TDM_UI_EMPTY,
                       test_mapping_dialog_live);
      tdm_ui_test_add ("/ui/preferences/mapping/remove-undo", TDM_UI_EMPTY,
                       test_mapping_remove_undo);
      tdm_ui_test_add ("/ui/preferences/mapping/unsaved-question", TDM_UI_EMPTY,
                       test_mapping_unsaved_question);
    }
  return g_test_run ();
}
