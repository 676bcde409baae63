/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-preferences-window.h"

G_BEGIN_DECLS

/* The Preferences window's struct and the helpers its files share:
 * tdm-preferences-window.c (the window, the Sync page, the mapping page)
 * and tdm-preferences-connections.c (the Connections page: addresses,
 * secrets, profiles and "Test connection"). Settings are described in
 * docs/architecture.md § Configuration. */

/* The entry rows that hold one string setting each. They are saved when
 * applied, after a check, never on every key press. */
typedef enum {
  ENTRY_WEBSHOP_URL,
  ENTRY_WEBSHOP_HEADER,
  ENTRY_WEBSHOP_USER,
  ENTRY_SHOPIFY_SHOP,
  ENTRY_SHOPIFY_CLIENT_ID,
  ENTRY_SHOPIFY_VERSION,
  ENTRY_PHONE_COUNTRY,
  N_ENTRIES
} EntryId;

typedef struct {
  AdwEntryRow  *row;
  /* The setting's value the row last showed or saved. Text that differs
   * from it (ignoring surrounding spaces) is the owner's unsaved edit. */
  char         *shown;
  /* The row under it that explains a value it refused, or NULL. */
  AdwActionRow *problem_row;
} EntryState;

/* Index of a side in the per-side arrays. */
#define SIDE_INDEX(side) ((side) == TDM_SIDE_WEBSHOP ? 0 : 1)

struct _TdmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TdmContext           *context;
  GSettings            *settings;
  TdmBackground        *background;
  GCancellable         *cancellable;
  GtkWidget            *mapping_page;

  AdwEntryRow          *webshop_url_row;
  AdwActionRow         *webshop_url_problem_row;
  AdwComboRow          *webshop_profile_row;
  AdwComboRow          *webshop_auth_row;
  AdwEntryRow          *webshop_header_row;
  AdwEntryRow          *webshop_user_row;
  AdwEntryRow          *webshop_secret_row;
  AdwActionRow         *webshop_test_row;
  GtkSpinner           *webshop_test_spinner;
  GtkButton            *webshop_test_button;
  AdwEntryRow          *shopify_shop_row;
  AdwActionRow         *shopify_shop_problem_row;
  AdwComboRow          *shopify_auth_row;
  AdwEntryRow          *shopify_client_id_row;
  AdwEntryRow          *shopify_secret_row;
  AdwEntryRow          *shopify_version_row;
  AdwActionRow         *shopify_test_row;
  GtkSpinner           *shopify_test_spinner;
  GtkButton            *shopify_test_button;

  GtkAdjustment        *interval_adjustment;
  GtkAdjustment        *threshold_adjustment;
  AdwEntryRow          *phone_country_row;
  AdwActionRow         *phone_country_problem_row;
  GtkSwitch            *background_switch;
  AdwActionRow         *portal_row;
  GtkSwitch            *login_switch;
  AdwComboRow          *conflict_row;
  AdwComboRow          *first_link_row;
  AdwComboRow          *delete_row;
  AdwComboRow          *customers_direction_row;
  AdwComboRow          *products_direction_row;
  AdwComboRow          *orders_direction_row;

  EntryState            entries[N_ENTRIES];
  /* "Apply typed changes?" while it is open (weak). */
  GtkWindow            *close_question;
  /* tdm_preferences_window_close_async() while the owner is asked, and
   * the question it waits for (weak). */
  GTask                *close_task;
  GtkWindow            *watched_question;
  /* Answers to older secret look-ups and connection tests are dropped. */
  guint                 secret_generation[2];
  guint                 test_generation[2];
  /* The connection settings of each side the last test result was for. */
  char                 *connection_signature[2];
};

/* tdm-preferences-window.c */
void _tdm_preferences_window_bind_choice        (TdmPreferencesWindow *self,
                                                 const char           *key,
                                                 AdwComboRow          *row,
                                                 const char * const   *choices);
void _tdm_preferences_window_add_toast          (TdmPreferencesWindow *self,
                                                 const char           *text);

/* tdm-preferences-connections.c */
/* Binds the Connections page's template callbacks (after the template). */
void _tdm_preferences_connections_class_init    (GtkWidgetClass       *widget_class);
/* Fills the Connections page from the settings and follows their changes. */
void _tdm_preferences_connections_setup         (TdmPreferencesWindow *self);
/* Text typed but not applied asks before the window closes (Escape or the
 * close button): TRUE when it asked and the window stays open for now. */
gboolean _tdm_preferences_connections_ask_before_close (TdmPreferencesWindow *self);

G_END_DECLS
