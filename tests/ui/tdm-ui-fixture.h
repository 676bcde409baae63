/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>

#include "tdm-activity-page.h"
#include "tdm-application.h"
#include "tdm-entity-page.h"
#include "tdm-fake-shopify.h"
#include "tdm-fake-webshop.h"
#include "tdm-preferences-window.h"
#include "tdm-test-wait.h"
#include "tdm-test-window.h"
#include "tdm-window.h"

G_BEGIN_DECLS

/* The fixture of the UI test programs (tests/ui/test-ui-*.c, one per page):
 * a fresh application with in-memory credentials and the memory settings
 * backend, its state database in the test's own isolated XDG_DATA_HOME,
 * and its window drawn. The programs run under Xvfb with a private session
 * bus (tests/ui/meson.build; docs/testing.md, Display and keyring).
 *
 * Adding a UI test is one function in the program of its page:
 *
 *   static void
 *   test_something (TdmUiFixture *fixture)
 *   {
 *     …
 *   }
 *
 * and one line in that program's main():
 *
 *   tdm_ui_test_add ("/ui/page/something", TDM_UI_SHOP, test_something);
 */

/* ---- The fixture ---- */

/* What the application starts with. */
typedef enum
{
  TDM_UI_EMPTY,   /* nothing configured */
  TDM_UI_SHOP,    /* both connections named, the store seeded (tdm_ui_seed_shop()) */
  TDM_UI_DEMO,    /* as TDM_UI_SHOP, started in demo mode (TANDEM_DEMO=1) */
} TdmUiStart;

typedef struct
{
  TdmApplication     *app;
  TdmWindow          *window;
  GSettings          *settings;
  TdmCredentialStore *credentials;
} TdmUiFixture;

typedef void (*TdmUiTestFunc) (TdmUiFixture *fixture);

/* g_test_init() with isolated folders, then GTK and libadwaita. Without a
 * display it registers /ui/no-display, which skips, and returns FALSE. */
gboolean            tdm_ui_test_init            (int           *argc,
                                                 char        ***argv);
/* Registers `func` as the test `path` on a fixture started as `start`. */
void                tdm_ui_test_add             (const char    *path,
                                                 TdmUiStart     start,
                                                 TdmUiTestFunc  func);
TdmContext         *tdm_ui_fixture_get_context  (TdmUiFixture  *fixture);
/* Writes a PNG of `window` as `name` into TANDEM_SCREENSHOT_DIR, for people
 * to look at (nothing without that variable or ImageMagick's import). */
void                tdm_ui_take_screenshot      (GtkWindow     *window,
                                                 const char    *name);

/* ---- Pages ---- */

TdmEntityPage      *tdm_ui_entity_page          (TdmUiFixture  *fixture,
                                                 const char    *name);
TdmActivityPage    *tdm_ui_activity_page        (TdmUiFixture  *fixture);
/* Waits until the page's model has answered its latest query. */
void                tdm_ui_wait_for_page        (TdmEntityPage *page);
/* The title of row `position`, waiting for the row to load. */
char               *tdm_ui_row_title            (TdmEntityPage *page,
                                                 guint          position);
guint               tdm_ui_n_rows               (TdmEntityPage *page);
void                tdm_ui_search               (TdmEntityPage *page,
                                                 const char    *text);
void                tdm_ui_filter               (TdmEntityPage *page,
                                                 TdmLinkStatus  status);
/* Waits until the detail pane shows a record's fields. */
void                tdm_ui_wait_for_detail      (TdmRecordDetail *detail);
/* Exports the page as it is filtered to `path`; returns the rows written. */
gssize              tdm_ui_export_entities      (TdmEntityPage *page,
                                                 const char    *path);
gssize              tdm_ui_export_activity      (TdmActivityPage *page,
                                                 const char      *path);
/* All text below `widget`, one item per line: labels, entries, tooltips. */
void                tdm_ui_collect_text         (GtkWidget     *widget,
                                                 GString       *out);
/* … of every toplevel on screen. */
void                tdm_ui_collect_screen_text  (GString       *out);

/* ---- Preferences ---- */

/* Activates app.preferences and returns the window, drawn. */
TdmPreferencesWindow *tdm_ui_open_preferences   (TdmUiFixture  *fixture);
/* The template child `name` of the Preferences window. */
GtkWidget          *tdm_ui_prefs_child          (TdmPreferencesWindow *prefs,
                                                 const char           *name);
/* Types `text` into the entry row `name` and applies it. */
void                tdm_ui_apply_row            (TdmPreferencesWindow *prefs,
                                                 const char           *name,
                                                 const char           *text);
/* Waits for Test Connection to end; returns the subtitle of `row_name`. */
const char         *tdm_ui_wait_for_test_result (TdmPreferencesWindow *prefs,
                                                 const char           *spinner_name,
                                                 const char           *row_name);

/* ---- Syncing against the fakes ---- */

/* Both fakes with a small sandbox shop, the settings pointing at them and
 * the secrets in the fixture's credential store. */
typedef struct
{
  TdmFakeWebshop *webshop;
  TdmFakeShopify *shopify;
} TdmUiFakes;

TdmUiFakes         *tdm_ui_fakes_start          (TdmUiFixture  *fixture);
void                tdm_ui_fakes_free           (TdmUiFakes    *fakes);
/* Adds a customer to each fake that cannot be synced as it is: Sølvi
 * Ødegård in the webshop with the phone "123", Trude Ærlig in Shopify with
 * the phone "ring etter kl. 16". Returns their ids (g_free). */
void                tdm_ui_fakes_add_unreadable_customers (TdmUiFakes  *fakes,
                                                           char       **webshop_id,
                                                           char       **shopify_id);
void                tdm_ui_store_secret         (TdmUiFixture  *fixture,
                                                 TdmSide        side,
                                                 const char    *account,
                                                 const char    *secret);
/* Runs a sync from the window and returns its toast. */
const char         *tdm_ui_sync_and_wait        (TdmUiFixture  *fixture);
/* The window's last toast, once there is one (60 s at most). */
const char         *tdm_ui_wait_for_toast       (TdmUiFixture  *fixture);
/* Waits until the engine has stopped running. */
void                tdm_ui_wait_until_sync_stops (TdmUiFixture *fixture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmUiFakes, tdm_ui_fakes_free)

G_END_DECLS
