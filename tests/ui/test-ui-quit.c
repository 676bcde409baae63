/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-quit"

#include "config.h"

#include "tdm-mapping-page.h"
#include "tdm-ui-fixture.h"

/* Quitting (Ctrl+Q, app.quit) while Preferences hold changes that are not
 * saved: Tandem asks first, as closing Preferences does, and quits only
 * after Save, Apply or Discard (tdm-ui-fixture.h; docs/mapping.md, Editing
 * the mapping). */

static GtkWindow *
find_preferences (TdmUiFixture *fixture)
{
  return tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_PREFERENCES_WINDOW);
}

/* The question that asks before closing, once it shows. */
static AdwMessageDialog *
wait_for_question (void)
{
  tdm_test_wait_for (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10);
  return ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* Answers the question with its button, as a click: the response, then the
 * question closes. */
static void
answer_dialog (AdwMessageDialog *dialog,
               const char       *response)
{
  GtkWidget *button;

  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  button = tdm_test_find_button (GTK_WIDGET (dialog),
                                 adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  tdm_test_wait_for (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5);
  tdm_test_spin (50);
}

/* Is the main window still open (Quit closes it first)? */
static gboolean
main_window_open (TdmUiFixture *fixture)
{
  return tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_WINDOW) != NULL;
}

/* Changes a row of the mapping in open Preferences and presses Ctrl+Q
 * (app.quit); returns the question that follows. */
static AdwMessageDialog *
change_and_quit (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  AdwMessageDialog *question;

  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_spin (100);

  /* Nothing closed: the question asks first. */
  g_assert_true (main_window_open (fixture));
  g_assert_nonnull (find_preferences (fixture));
  question = wait_for_question ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Save Mapping Changes?");
  g_assert_true (adw_message_dialog_get_response_enabled (question, "save"));
  g_assert_true (adw_message_dialog_get_response_enabled (question, "discard"));
  g_assert_true (adw_message_dialog_get_response_enabled (question, "cancel"));
  return question;
}

/* Quitting with a changed mapping in Preferences asks first, as closing
 * Preferences does (issue 17, Polish): Cancel keeps Tandem running and the
 * change; Ctrl+Q again while it asks asks once; Discard quits without
 * writing the change. */
static void
test_mapping_quit_cancel_discard (TdmUiFixture *fixture)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json",
                                            NULL);
  AdwMessageDialog *question = change_and_quit (fixture);
  TdmMappingPage *page;

  tdm_ui_take_screenshot (GTK_WINDOW (question), "screenshot-mapping-quit.png");
  answer_dialog (question, "cancel");
  tdm_test_spin (100);
  g_assert_true (main_window_open (fixture));
  g_assert_nonnull (find_preferences (fixture));
  page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (
    TDM_PREFERENCES_WINDOW (find_preferences (fixture))));
  g_assert_true (tdm_mapping_page_has_unsaved_changes (page));
  /* Closing Preferences later asks, and Cancel does not quit then. */
  gtk_window_close (GTK_WINDOW (find_preferences (fixture)));
  tdm_test_spin (50);
  question = wait_for_question ();
  g_assert_nonnull (question);
  answer_dialog (question, "cancel");
  tdm_test_spin (100);
  g_assert_true (main_window_open (fixture));

  /* Quit twice: one question; Discard quits. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_spin (100);
  g_assert_true (main_window_open (fixture));
  question = wait_for_question ();
  g_assert_nonnull (question);
  answer_dialog (question, "discard");
  tdm_test_wait_for (!main_window_open (fixture), 5);
  g_assert_null (find_preferences (fixture));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Save in that question writes the mapping, then Tandem quits. */
static void
test_mapping_quit_save (TdmUiFixture *fixture)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json",
                                            NULL);
  AdwMessageDialog *question = change_and_quit (fixture);
  g_autoptr(TdmMapping) saved = NULL;
  g_autoptr(GError) error = NULL;

  answer_dialog (question, "save");
  tdm_test_wait_for (!main_window_open (fixture), 5);
  g_assert_null (find_preferences (fixture));
  saved = tdm_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_mapping_find_row (saved, TDM_KIND_CUSTOMER, "first_name")->direction, ==,
                   TDM_DIRECTION_TO_SHOPIFY);
}

/* Typed text and a changed mapping: Quit asks about the text (Keep Editing
 * stays), then, after Apply, about the mapping; Save there quits. */
static void
test_quit_typed_then_mapping (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  GtkWidget *url_row = tdm_ui_prefs_child (prefs, "webshop_url_row");
  AdwMessageDialog *question;
  g_autofree char *url = NULL;

  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://shop.example.com/api/tandem/v1");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_spin (100);
  question = wait_for_question ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Apply Typed Changes?");
  answer_dialog (question, "cancel");
  tdm_test_spin (100);
  g_assert_true (main_window_open (fixture));
  g_assert_nonnull (find_preferences (fixture));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_spin (100);
  question = wait_for_question ();
  g_assert_nonnull (question);
  answer_dialog (question, "apply");
  tdm_test_spin (100);
  url = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (url, ==, "https://shop.example.com/api/tandem/v1");
  g_assert_true (main_window_open (fixture));
  question = wait_for_question ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Save Mapping Changes?");
  answer_dialog (question, "save");
  tdm_test_wait_for (!main_window_open (fixture), 5);
  g_assert_null (find_preferences (fixture));
}

/* Without unsaved changes Quit closes everything at once. */
static void
test_quit_unchanged (TdmUiFixture *fixture)
{
  tdm_ui_open_preferences (fixture);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  tdm_test_wait_for (!main_window_open (fixture), 5);
  g_assert_null (find_preferences (fixture));
  g_assert_null (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/quit/mapping-cancel-discard", TDM_UI_EMPTY,
                       test_mapping_quit_cancel_discard);
      tdm_ui_test_add ("/ui/quit/mapping-save", TDM_UI_EMPTY, test_mapping_quit_save);
      tdm_ui_test_add ("/ui/quit/typed-then-mapping", TDM_UI_EMPTY, test_quit_typed_then_mapping);
      tdm_ui_test_add ("/ui/quit/unchanged", TDM_UI_EMPTY, test_quit_unchanged);
    }
  return g_test_run ();
}
