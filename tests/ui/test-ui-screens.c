/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-screens"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tdm-ui-fixture.h"

/* Screenshots of every page after a sync of the sandbox shop, in light and
 * dark style, in English and in Norwegian, for people to look at before a
 * change to the window ships (docs/testing.md, Screenshots; the curated
 * ones in data/screenshots/ are listed in the metainfo). Each is drawn by
 * GTK from the window as it is on screen (no ImageMagick needed) and
 * written as screen-<page>-<style>-<language>.png into TANDEM_SCREENSHOT_DIR
 * (the build directory when the suite runs); each file is checked to be a
 * PNG of the window's size. */

/* The window's size in the screenshots: the default width, a little taller
 * so that a record's details show more than their header. */
#define SCREEN_WIDTH  1100
#define SCREEN_HEIGHT 760

typedef struct
{
  TdmUiFixture *fixture;
  const char   *language;   /* "en" or "nb" */
  const char   *style;      /* "light" or "dark" */
  char         *dir;
  guint         n_written;
} Screens;

/* ---- Drawing and checking a PNG ---- */

/* Draws `widget` as it is now, at `width` × `height`, into
 * screen-<page>-<style>-<language>.png (GTK's own rendering, as on screen)
 * and checks the file: a PNG of that size. */
static void
save_widget (Screens    *screens,
             GtkWidget  *widget,
             const char *page,
             int         width,
             int         height)
{
  g_autofree char *name = g_strdup_printf ("screen-%s-%s-%s.png", page, screens->style,
                                           screens->language);
  g_autofree char *path = g_build_filename (screens->dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  GStatBuf info;
  int png_width = 0;
  int png_height = 0;

  g_assert (GTK_IS_WIDGET (widget));
  g_assert (width > 0 && height > 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  if (!GTK_IS_WINDOW (widget))
    {
      /* A part of a window has no background of its own: libadwaita's
       * window background under it, as on screen. */
      gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
      GdkRGBA background = { dark ? 0x24 / 255. : 0xfa / 255., dark ? 0x24 / 255. : 0xfa / 255.,
                             dark ? 0x24 / 255. : 0xfa / 255., 1 };

      gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_size, >, 10000);
  g_assert_nonnull (gdk_pixbuf_get_file_info (path, &png_width, &png_height));
  g_assert_cmpint (png_width, ==, width);
  g_assert_cmpint (png_height, ==, height);
  g_test_message ("Screenshot: %s (%d × %d)", path, png_width, png_height);
  screens->n_written++;
}

/* Draws `window` as it is now: the main window at the size asked for, a
 * dialog at a readable size. */
static void
save_window (Screens    *screens,
             GtkWindow  *window,
             const char *page)
{
  int width;
  int height;

  g_assert (GTK_IS_WINDOW (window));

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  tdm_test_spin (400);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  if (TDM_IS_WINDOW (window))
    {
      /* The size asked for, less the window's frame (a few pixels). */
      g_assert_cmpint (width, <=, SCREEN_WIDTH);
      g_assert_cmpint (width, >=, SCREEN_WIDTH - 20);
      g_assert_cmpint (height, <=, SCREEN_HEIGHT);
      g_assert_cmpint (height, >=, SCREEN_HEIGHT - 20);
    }
  else
    {
      g_assert_cmpint (width, >=, 600);
      g_assert_cmpint (height, >=, 500);
    }
  save_widget (screens, GTK_WIDGET (window), page, width, height);
}

/* Draws all of a record's details, also what is scrolled out of sight:
 * the panel's content at its full height. */
static void
save_detail_content (Screens         *screens,
                     TdmRecordDetail *detail,
                     const char      *page)
{
  GtkWidget *content = NULL;

  g_assert (TDM_IS_RECORD_DETAIL (detail));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (detail));
       child != NULL && content == NULL;
       child = gtk_widget_get_first_child (child))
    for (GtkWidget *sibling = child; sibling != NULL; sibling = gtk_widget_get_next_sibling (sibling))
      if (GTK_IS_SCROLLED_WINDOW (sibling))
        {
          /* The scrolled window's viewport, and the content in it. */
          content = gtk_widget_get_first_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (sibling)));
          break;
        }
  g_assert_nonnull (content);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (detail));
  tdm_test_spin (400);
  save_widget (screens, content, page, gtk_widget_get_width (content),
               gtk_widget_get_height (content));
}

/* ---- The pages ---- */

/* Shows page `name` as a click on its tab does, and waits for its rows. */
static void
show_page (Screens    *screens,
           const char *name)
{
  GtkWidget *page = tdm_window_get_page (screens->fixture->window, name);
  GtkWidget *stack = gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK);
  AdwToast *toast = tdm_window_get_shown_toast (screens->fixture->window);

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
  g_assert_cmpstr (tdm_window_get_visible_page (screens->fixture->window), ==, name);
  /* The sync's toast would cover the rows. */
  if (toast != NULL)
    adw_toast_dismiss (toast);
  if (TDM_IS_ENTITY_PAGE (page))
    {
      tdm_ui_wait_for_page (TDM_ENTITY_PAGE (page));
      g_assert_cmpuint (tdm_ui_n_rows (TDM_ENTITY_PAGE (page)), >, 0);
    }
  else
    tdm_test_wait_for (tdm_activity_page_get_n_runs (TDM_ACTIVITY_PAGE (page)) > 0, 10);
}

/* The cells of `widget` cut short (ellipsized), one per line, into `out`. */
static void
collect_cut_cells (GtkWidget *widget,
                   GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cut_cells (child, out);
}

/* At the default width with the details open, every cell of the list can
 * be read whole (issue 17: the list stays readable at 1,100 px). */
static void
assert_list_readable (Screens    *screens,
                      const char *name)
{
  TdmEntityPage *page = tdm_ui_entity_page (screens->fixture, name);
  g_autoptr(GString) cut = g_string_new (NULL);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (screens->fixture->window));
  tdm_test_spin (200);
  collect_cut_cells (GTK_WIDGET (tdm_entity_page_get_column_view (page)), cut);
  if (cut->len > 0)
    g_test_message ("Cut short on %s (%s, %s):\n%s", name, screens->language, screens->style,
                    cut->str);
  g_assert_cmpuint (cut->len, ==, 0);
}

/* Opens the details of row `position` of page `name` and draws them all
 * as screen-<shot>-…png. */
static TdmRecordDetail *
save_details (Screens    *screens,
              const char *name,
              guint       position,
              const char *shot)
{
  TdmEntityPage *page = tdm_ui_entity_page (screens->fixture, name);
  TdmRecordDetail *detail = tdm_entity_page_get_detail (page);

  show_page (screens, name);
  tdm_entity_page_show_detail (page, position);
  tdm_ui_wait_for_detail (detail);
  tdm_test_wait_for (!tdm_record_detail_is_loading (detail), 10);
  save_detail_content (screens, detail, shot);
  assert_list_readable (screens, name);
  return detail;
}

/* Customers, Orders, Products and Activity, then an order's details in
 * the window, and all of the details of an order, a product, a customer
 * in step and one that could not be synced. */
static void
save_pages (Screens *screens)
{
  static const char * const pages[] = { "customers", "orders", "products", "activity" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      show_page (screens, pages[i]);
      save_window (screens, GTK_WINDOW (screens->fixture->window), pages[i]);
    }

  save_details (screens, "orders", 0, "order-detail-all");
  save_window (screens, GTK_WINDOW (screens->fixture->window), "order-detail");
  save_details (screens, "products", 0, "product-detail-all");
  /* Birthe Jørgensen, whose email the sandbox's webshop got wrong, first
   * in the list; then a customer in step. */
  save_details (screens, "customers", 0, "customer-error-detail-all");
  save_details (screens, "customers", 1, "customer-detail-all");
}

/* Preferences, and their Mapping page. */
static void
save_preferences (Screens *screens)
{
  static const char * const auth_rows[] = { "webshop_auth_row", "shopify_auth_row" };
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (screens->fixture);
  GtkWidget *mapping = tdm_preferences_window_get_mapping_page (prefs);
  g_autoptr(GString) text = g_string_new ("\n");

  /* The webshop's profile in words, not its file name ("default"). */
  tdm_ui_collect_text (tdm_ui_prefs_child (prefs, "webshop_profile_row"), text);
  g_test_message ("Profile row: %s", text->str);
  g_assert_null (strstr (text->str, "\ndefault\n"));
  g_assert_nonnull (strstr (text->str, "\nWebshop Sync API\n"));
  /* Each sign-in method in full under its title (beside it, longer
   * translations were cut off). */
  for (guint i = 0; i < G_N_ELEMENTS (auth_rows); i++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (tdm_ui_prefs_child (prefs, auth_rows[i]));
      GtkStringObject *method = adw_combo_row_get_selected_item (row);

      g_assert_nonnull (method);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                       gtk_string_object_get_string (method));
    }
  save_window (screens, GTK_WINDOW (prefs), "preferences");
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (mapping));
  save_window (screens, GTK_WINDOW (prefs), "mapping");
  gtk_window_destroy (GTK_WINDOW (prefs));
  tdm_test_spin (50);
}

/* ---- The program ---- */

/* A new main window, its texts in the language set now (GtkBuilder
 * translates a template when a window is made). */
static void
reopen_window (TdmUiFixture *fixture)
{
  GtkWindow *window;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  tdm_test_spin (50);
  g_application_activate (G_APPLICATION (fixture->app));
  window = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  fixture->window = TDM_WINDOW (window);
}

/* Syncs the sandbox shop, then draws every page in light and dark style,
 * in `language`. */
static void
save_screens (TdmUiFixture *fixture,
              const char   *language)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(TdmUiFakes) fakes = NULL;
  const char *toast;
  Screens screens = { fixture, language, NULL, NULL, 0 };
  const char *dir = g_getenv ("TANDEM_SCREENSHOT_DIR");

  screens.dir = dir != NULL ? g_strdup (dir) : g_dir_make_tmp ("tandem-screens-XXXXXX", NULL);
  g_assert_nonnull (screens.dir);

  g_settings_set_int (fixture->settings, "window-width", SCREEN_WIDTH);
  g_settings_set_int (fixture->settings, "window-height", SCREEN_HEIGHT);
  reopen_window (fixture);

  /* What a new owner sees first: nothing set up; then both shops
   * connected, before the first sync. */
  screens.style = "light";
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_window (&screens, GTK_WINDOW (fixture->window), "first-start");
  fakes = tdm_ui_fakes_start (fixture);
  save_window (&screens, GTK_WINDOW (fixture->window), "connected");

  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_nonnull (toast);
  tdm_ui_wait_until_sync_stops (fixture);

  save_pages (&screens);
  save_preferences (&screens);

  screens.style = "dark";
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  reopen_window (fixture);   /* without the order's details open */
  save_pages (&screens);
  save_preferences (&screens);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpuint (screens.n_written, ==, 2 + 2 * 11);
  g_free (screens.dir);
}

static void
test_screens_english (TdmUiFixture *fixture)
{
  save_screens (fixture, "en");
}

/* In Norwegian: LANGUAGE=nb with the build's catalogue, as
 * /ui/detail/norwegian does. */
static void
test_screens_norwegian (TdmUiFixture *fixture)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "nb", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", "nb", TRUE);
  g_assert_cmpstr (_("Customers"), ==, "Kunder");

  save_screens (fixture, "nb");
  g_setenv ("LANGUAGE", "C", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/screens/english", TDM_UI_EMPTY, test_screens_english);
      tdm_ui_test_add ("/ui/screens/norwegian", TDM_UI_EMPTY, test_screens_norwegian);
    }
  return g_test_run ();
}
