/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-preferences-window-private.h"

/* Preferences → Connections: the webshop's address, profile and sign-in,
 * the Shopify shop and its sign-in, the secrets (kept in the keyring per
 * address, never shown back) and "Test connection" for each side. Entry
 * rows are saved when applied, after a check, never on every key press.
 * See docs/architecture.md § Configuration and § Keyring. */

static const char * const webshop_auth_choices[] = { "bearer", "basic", "header", NULL };
static const char * const shopify_auth_choices[] = { "client-credentials", "token", NULL };
static const char * const shipped_profiles[] = { "default", "page-apikey", "link-basic", NULL };

/* Everything that belongs to one side's "Test connection" and secret. */
typedef struct {
  TdmPreferencesWindow *self;
  TdmSide               side;
  guint                 generation;
} SideRequest;

/* The settings each side's connection is made from: a change to any of
 * them makes a shown test result stale. */
static const char * const webshop_keys[] = {
  "webshop-url", "webshop-profile", "webshop-auth", "webshop-auth-header", "webshop-user", NULL
};
static const char * const shopify_keys[] = {
  "shopify-shop", "shopify-api-version", "shopify-auth", "shopify-client-id", "shopify-location",
  NULL
};

/* ---- Checks ---- */

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  g_assert (GTK_IS_WIDGET (row));

  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static gboolean
is_loopback_host (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0 ||
         (host != NULL && g_str_has_prefix (host, "127."));
}

/* https:// anywhere; http:// only for this computer (a sandbox). */
static gboolean
check_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  g_assert (text != NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  return g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri));
}

static gboolean
check_shop_domain (const char *text)
{
  g_assert (text != NULL);

  if (strstr (text, "://") != NULL)
    return check_url (text);

  return g_regex_match_simple ("^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$", text,
                               G_REGEX_CASELESS, 0);
}

/* ---- Secrets ---- */

static const char *
secret_title (TdmPreferencesWindow *self,
              TdmSide               side)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (side == TDM_SIDE_WEBSHOP)
    {
      switch (adw_combo_row_get_selected (self->webshop_auth_row))
        {
        case 1:
          return _("Password");
        case 2:
          return _("Key (the header’s value)");
        default:
          return _("Token");
        }
    }

  return adw_combo_row_get_selected (self->shopify_auth_row) == 1
         ? _("Access token")
         : _("Client secret");
}

static char *
get_account (TdmPreferencesWindow *self,
             TdmSide               side)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  return g_settings_get_string (self->settings,
                                side == TDM_SIDE_WEBSHOP ? "webshop-url" : "shopify-shop");
}

static AdwEntryRow *
get_secret_row (TdmPreferencesWindow *self,
                TdmSide               side)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  return side == TDM_SIDE_WEBSHOP ? self->webshop_secret_row : self->shopify_secret_row;
}

static void
on_secret_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autofree SideRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;
  g_autofree char *title = NULL;

  /* request->self is gone once the window's cancellable fired. */
  g_assert (request != NULL);

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_assert (TDM_IS_PREFERENCES_WINDOW (request->self));
  /* The address or the sign-in method changed since: a newer look-up answers. */
  if (request->generation != request->self->secret_generation[SIDE_INDEX (request->side)])
    {
      tdm_credential_free (secret);
      return;
    }

  /* Only whether a secret exists is shown, never the secret. */
  if (secret != NULL)
    title = g_strdup_printf (_("%s (saved in the keyring)"),
                             secret_title (request->self, request->side));
  else
    title = g_strdup_printf (_("%s (not set)"), secret_title (request->self, request->side));
  tdm_credential_free (secret);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (get_secret_row (request->self,
                                                                      request->side)),
                                 title);
}

static void
update_secret_title (TdmPreferencesWindow *self,
                     TdmSide               side)
{
  g_autofree char *account = get_account (self, side);
  SideRequest *request;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  self->secret_generation[SIDE_INDEX (side)]++;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (get_secret_row (self, side)),
                                 secret_title (self, side));
  if (self->context == NULL || *account == '\0')
    return;

  request = g_new0 (SideRequest, 1);
  request->self = self;
  request->side = side;
  request->generation = self->secret_generation[SIDE_INDEX (side)];
  tdm_credential_store_lookup_async (tdm_context_get_credentials (self->context), side, account,
                                     self->cancellable, on_secret_looked_up_cb, request);
}

static void
on_secret_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree SideRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  /* request->self is gone once the window's cancellable fired. */
  g_assert (request != NULL);

  if (!tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_assert (TDM_IS_PREFERENCES_WINDOW (request->self));
      text = g_strdup_printf (_("The secret could not be saved in the keyring: %s"), error->message);
      _tdm_preferences_window_add_toast (request->self, text);
      return;
    }

  _tdm_preferences_window_add_toast (request->self, _("Saved in the keyring."));
  update_secret_title (request->self, request->side);
}

static void
apply_secret (TdmPreferencesWindow *self,
              TdmSide               side)
{
  AdwEntryRow *row = get_secret_row (self, side);
  g_autofree char *account = get_account (self, side);
  g_autofree char *secret = NULL;
  SideRequest *request;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (self->context == NULL)
    return;

  if (*account == '\0')
    {
      _tdm_preferences_window_add_toast (self, side == TDM_SIDE_WEBSHOP
                                         ? _("Save the webshop’s address first: the secret is kept for that address.")
                                         : _("Save the shop domain first: the secret is kept for that shop."));
      return;
    }

  secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  /* The entry never shows a saved secret back. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  if (*secret == '\0')
    return;

  request = g_new0 (SideRequest, 1);
  request->self = self;
  request->side = side;
  tdm_credential_store_store_async (tdm_context_get_credentials (self->context), side, account,
                                    secret, self->cancellable, on_secret_stored_cb, request);
  memset (secret, 0, strlen (secret));
}

static void
on_webshop_secret_apply_cb (TdmPreferencesWindow *self)
{
  apply_secret (self, TDM_SIDE_WEBSHOP);
}

static void
on_shopify_secret_apply_cb (TdmPreferencesWindow *self)
{
  apply_secret (self, TDM_SIDE_SHOPIFY);
}

/* ---- Entry rows ---- */

static gboolean
check_api_version (const char *text)
{
  g_assert (text != NULL);

  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}$", text, 0, 0);
}

static gboolean
check_header_name (const char *text)
{
  g_assert (text != NULL);

  return g_regex_match_simple ("^[A-Za-z0-9-]+$", text, 0, 0);
}

/* An ISO 3166 country code, as the phone numbers' default country. */
static gboolean
check_country (const char *text)
{
  g_assert (text != NULL);

  return g_regex_match_simple ("^[A-Z]{2}$", text, 0, 0);
}

#define ROW_OFFSET(member) G_STRUCT_OFFSET (TdmPreferencesWindow, member)

/* problem_offset: the row that explains a refused value; 0 for none. */
static const struct {
  const char *key;
  gsize       offset;
  gboolean  (*check) (const char *);
  gsize       problem_offset;
} entry_infos[N_ENTRIES] = {
  [ENTRY_WEBSHOP_URL] = { "webshop-url", ROW_OFFSET (webshop_url_row), check_url,
                          ROW_OFFSET (webshop_url_problem_row) },
  [ENTRY_WEBSHOP_HEADER] = { "webshop-auth-header", ROW_OFFSET (webshop_header_row),
                             check_header_name },
  [ENTRY_WEBSHOP_USER] = { "webshop-user", ROW_OFFSET (webshop_user_row), NULL },
  [ENTRY_SHOPIFY_SHOP] = { "shopify-shop", ROW_OFFSET (shopify_shop_row), check_shop_domain,
                           ROW_OFFSET (shopify_shop_problem_row) },
  [ENTRY_SHOPIFY_CLIENT_ID] = { "shopify-client-id", ROW_OFFSET (shopify_client_id_row), NULL },
  [ENTRY_SHOPIFY_VERSION] = { "shopify-api-version", ROW_OFFSET (shopify_version_row),
                              check_api_version },
  [ENTRY_PHONE_COUNTRY] = { "default-phone-country", ROW_OFFSET (phone_country_row),
                            check_country, ROW_OFFSET (phone_country_problem_row) },
};

static gboolean
entry_is_valid (EntryId     id,
                const char *text)
{
  g_assert (id < N_ENTRIES && text != NULL);

  return *text == '\0' || entry_infos[id].check == NULL || entry_infos[id].check (text);
}

/* The owner is typing in the row: AdwEntryRow's own notion of editing
 * (keyboard focus inside the row). */
static gboolean
entry_is_editing (AdwEntryRow *row)
{
  g_assert (ADW_IS_ENTRY_ROW (row));

  return (gtk_widget_get_state_flags (GTK_WIDGET (row)) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

static char *
entry_get_stripped_text (AdwEntryRow *row)
{
  g_assert (ADW_IS_ENTRY_ROW (row));

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Explains a refused value in the row under the entry, in full (a toast
 * would be cut short); NULL hides the explanation. Entries without such a
 * row fall back to a toast. */
static void
show_problem (TdmPreferencesWindow *self,
              EntryId               id,
              const char           *problem)
{
  EntryState *entry = &self->entries[id];

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));
  g_assert (id < N_ENTRIES);

  if (entry->problem_row == NULL)
    {
      if (problem != NULL)
        _tdm_preferences_window_add_toast (self, problem);
      return;
    }

  if (problem != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry->problem_row), problem);
  gtk_widget_set_visible (GTK_WIDGET (entry->problem_row), problem != NULL);
}

/* Shows the setting's current value in an entry row, unless that would
 * clobber the owner's work: unsaved text stays until it is applied (or
 * typed back to the saved value), and a row being edited is refreshed
 * when the focus leaves it. Never writes the setting, so it cannot loop. */
static void
refresh_entry (TdmPreferencesWindow *self,
               EntryId               id)
{
  EntryState *entry = &self->entries[id];
  g_autofree char *value = g_settings_get_string (self->settings, entry_infos[id].key);
  g_autofree char *text = entry_get_stripped_text (entry->row);

  g_assert (id < N_ENTRIES);

  if (g_str_equal (text, value))
    {
      /* Already showing it (the echo of our own save, say). */
      g_free (entry->shown);
      entry->shown = g_steal_pointer (&value);
      return;
    }

  if (g_strcmp0 (text, entry->shown) != 0 || entry_is_editing (entry->row))
    return;

  g_free (entry->shown);
  entry->shown = g_strdup (value);
  gtk_editable_set_text (GTK_EDITABLE (entry->row), value);
  /* A value set from outside that the row would not accept is marked. */
  set_row_error (GTK_WIDGET (entry->row), !entry_is_valid (id, value));
  if (entry_is_valid (id, value))
    show_problem (self, id, NULL);
}

static void
on_entry_state_flags_changed_cb (AdwEntryRow          *row,
                                 GtkStateFlags         previous,
                                 TdmPreferencesWindow *self)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  /* Editing ended: show what changed meanwhile. */
  if (self->settings == NULL || (previous & GTK_STATE_FLAG_FOCUS_WITHIN) == 0 ||
      entry_is_editing (row))
    return;

  for (guint id = 0; id < N_ENTRIES; id++)
    {
      if (self->entries[id].row == row)
        refresh_entry (self, id);
    }
}

static void
apply_entry (TdmPreferencesWindow *self,
             EntryId               id,
             const char           *problem)
{
  EntryState *entry = &self->entries[id];
  g_autofree char *text = entry_get_stripped_text (entry->row);

  g_assert (id < N_ENTRIES);

  if (!entry_is_valid (id, text))
    {
      set_row_error (GTK_WIDGET (entry->row), TRUE);
      show_problem (self, id, problem);
      return;
    }

  set_row_error (GTK_WIDGET (entry->row), FALSE);
  show_problem (self, id, NULL);
  /* Before writing: the change notification then finds the row up to date. */
  g_free (entry->shown);
  entry->shown = g_strdup (text);
  g_settings_set_string (self->settings, entry_infos[id].key, text);
}

static void
on_webshop_url_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_WEBSHOP_URL,
               _("Enter the full address of the webshop’s API, starting with https://, for example https://shop.example.com/api/tandem/v1."));
}

static void
on_webshop_header_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_WEBSHOP_HEADER,
               _("A header name has only letters, digits and dashes, for example X-API-Key."));
}

static void
on_webshop_user_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_WEBSHOP_USER, NULL);
}

static void
on_shopify_shop_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_SHOPIFY_SHOP,
               _("Enter your shop’s myshopify.com domain, for example my-shop.myshopify.com. Shopify admin shows it under Settings › Domains."));
}

static void
on_phone_country_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_PHONE_COUNTRY,
               _("Enter the two capital letters of a country code, for example NO for Norway, "
                 "SE for Sweden or DK for Denmark."));
}

static void
on_shopify_client_id_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_SHOPIFY_CLIENT_ID, NULL);
}

static void
on_shopify_version_apply_cb (TdmPreferencesWindow *self)
{
  apply_entry (self, ENTRY_SHOPIFY_VERSION,
               _("An Admin API version looks like 2026-10 (year and month)."));
}

/* ---- Test connection ---- */

static void
set_testing (TdmPreferencesWindow *self,
             TdmSide               side,
             gboolean              testing)
{
  GtkSpinner *spinner = side == TDM_SIDE_WEBSHOP ? self->webshop_test_spinner
                                                 : self->shopify_test_spinner;
  GtkWidget *button = GTK_WIDGET (side == TDM_SIDE_WEBSHOP ? self->webshop_test_button
                                                           : self->shopify_test_button);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  gtk_spinner_set_spinning (spinner, testing);
  /* Without the services there is nothing to test with. */
  gtk_widget_set_sensitive (button, !testing && self->context != NULL);
}

static void
show_test_result (TdmPreferencesWindow *self,
                  TdmSide               side,
                  const char           *text,
                  gboolean              failed)
{
  AdwActionRow *row = side == TDM_SIDE_WEBSHOP ? self->webshop_test_row : self->shopify_test_row;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  set_testing (self, side, FALSE);
  adw_action_row_set_subtitle (row, text);
  set_row_error (GTK_WIDGET (row), failed);
}

static void
show_test_error (TdmPreferencesWindow *self,
                 TdmSide               side,
                 const GError         *error)
{
  g_assert (error != NULL);

  /* The connectors' messages already say what to do. */
  show_test_result (self, side, error->message, TRUE);
}

static void
on_connection_tested_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autofree SideRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  /* request->self is gone once the window's cancellable fired. */
  g_assert (request != NULL);

  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_assert (TDM_IS_PREFERENCES_WINDOW (request->self));
  /* The connection settings changed while testing: this answer is for the old ones. */
  if (request->generation != request->self->test_generation[SIDE_INDEX (request->side)])
    return;
  if (info == NULL)
    {
      show_test_error (request->self, request->side, error);
      return;
    }

  g_string_printf (text, _("Connected to “%s”"), info->name != NULL ? info->name : "");
  if (info->currency != NULL && info->plan != NULL)
    g_string_append_printf (text, " (%s, %s)", info->currency, info->plan);
  else if (info->currency != NULL || info->plan != NULL)
    g_string_append_printf (text, " (%s)", info->currency != NULL ? info->currency : info->plan);
  g_string_append (text, ".");
  if (info->detail != NULL)
    g_string_append_printf (text, "\n%s", info->detail);
  show_test_result (request->self, request->side, text->str, FALSE);
}

static void
on_connector_created_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  SideRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmConnector) connector = NULL;

  /* request->self is gone once the window's cancellable fired. */
  g_assert (request != NULL);

  connector = tdm_context_create_connector_finish (TDM_CONTEXT (source), result, &error);
  if (connector == NULL ||
      request->generation != request->self->test_generation[SIDE_INDEX (request->side)])
    {
      if (connector == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          request->generation == request->self->test_generation[SIDE_INDEX (request->side)])
        show_test_error (request->self, request->side, error);
      g_free (request);
      return;
    }

  tdm_connector_test_connection_async (connector, request->self->cancellable,
                                       on_connection_tested_cb, request);
}

static void
test_connection (TdmPreferencesWindow *self,
                 TdmSide               side)
{
  SideRequest *request;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (self->context == NULL)
    return;

  request = g_new0 (SideRequest, 1);
  request->self = self;
  request->side = side;
  request->generation = ++self->test_generation[SIDE_INDEX (side)];
  set_testing (self, side, TRUE);
  adw_action_row_set_subtitle (side == TDM_SIDE_WEBSHOP ? self->webshop_test_row
                                                        : self->shopify_test_row,
                               _("Connecting…"));
  tdm_context_create_connector_async (self->context, side, self->cancellable,
                                      on_connector_created_cb, request);
}

static void
on_webshop_test_clicked_cb (TdmPreferencesWindow *self)
{
  test_connection (self, TDM_SIDE_WEBSHOP);
}

static void
on_shopify_test_clicked_cb (TdmPreferencesWindow *self)
{
  test_connection (self, TDM_SIDE_SHOPIFY);
}

/* ---- Sign-in method ---- */

static void
on_auth_kind_changed_cb (TdmPreferencesWindow *self)
{
  guint webshop = adw_combo_row_get_selected (self->webshop_auth_row);
  guint shopify = adw_combo_row_get_selected (self->shopify_auth_row);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->webshop_user_row), webshop == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->webshop_header_row), webshop == 2);
  gtk_widget_set_visible (GTK_WIDGET (self->shopify_client_id_row), shopify == 0);
  update_secret_title (self, TDM_SIDE_WEBSHOP);
  update_secret_title (self, TDM_SIDE_SHOPIFY);
}

/* ---- Profiles ---- */

/* Shipped profiles first, then the user's own in $XDG_CONFIG_HOME/tandem/profiles. */
static GtkStringList *
list_profiles (const char *current)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *user_dir = g_build_filename (g_get_user_config_dir (), "tandem", "profiles",
                                                NULL);
  g_autoptr(GDir) dir = g_dir_open (user_dir, 0, NULL);
  GtkStringList *list;
  const char *entry;

  for (guint i = 0; shipped_profiles[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (shipped_profiles[i]));

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;

      if (!g_str_has_suffix (entry, ".json"))
        continue;
      name = g_strndup (entry, strlen (entry) - strlen (".json"));
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }

  if (current != NULL && *current != '\0' &&
      !g_ptr_array_find_with_equal_func (names, current, g_str_equal, NULL))
    g_ptr_array_add (names, g_strdup (current));

  g_ptr_array_add (names, NULL);
  list = gtk_string_list_new ((const char * const *) names->pdata);
  return list;
}

/* A profile by what it does, for the owner; one of their own by its name. */
static char *
profile_label (GtkStringObject *item)
{
  const char *name = gtk_string_object_get_string (item);

  g_assert (GTK_IS_STRING_OBJECT (item));

  if (g_str_equal (name, "default"))
    /* Translators: the webshop profile that is the documented API itself. */
    return g_strdup (_("Webshop Sync API"));
  if (g_str_equal (name, "page-apikey"))
    /* Translators: a webshop profile: numbered pages, an API key header. */
    return g_strdup (_("Numbered pages and an API key"));
  if (g_str_equal (name, "link-basic"))
    /* Translators: a webshop profile: next pages in a Link header, user name and password. */
    return g_strdup (_("Link header and a password"));
  return g_strdup (name);
}

static gboolean
profile_to_selected (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  GListModel *model = user_data;
  const char *name = g_variant_get_string (variant, NULL);

  g_assert (GTK_IS_STRING_LIST (model));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
selected_to_profile (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *name = gtk_string_list_get_string (GTK_STRING_LIST (user_data),
                                                 g_value_get_uint (value));

  g_assert (GTK_IS_STRING_LIST (user_data));

  return name != NULL ? g_variant_new_string (name) : NULL;
}

/* ---- Following the settings ---- */

static const char * const *
side_keys (TdmSide side)
{
  return side == TDM_SIDE_WEBSHOP ? webshop_keys : shopify_keys;
}

/* The values of the settings a side's connection is made from, in one string. */
static char *
connection_signature (TdmPreferencesWindow *self,
                      TdmSide               side)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  const char * const *keys = side_keys (side);
  g_autoptr(GString) signature = g_string_new (NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (self->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_string_append_printf (signature, "%s=%s\n", keys[i], text);
    }
  return g_string_free (g_steal_pointer (&signature), FALSE);
}

/* A shown test result (or a test still running) no longer says anything
 * about the connection once its settings changed. */
static void
reset_test_row (TdmPreferencesWindow *self,
                TdmSide               side)
{
  AdwActionRow *row = side == TDM_SIDE_WEBSHOP ? self->webshop_test_row : self->shopify_test_row;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  self->test_generation[SIDE_INDEX (side)]++;
  set_testing (self, side, FALSE);
  set_row_error (GTK_WIDGET (row), FALSE);
  adw_action_row_set_subtitle (row, side == TDM_SIDE_WEBSHOP
                                    ? _("Save the address and the secret first.")
                                    : _("Save the shop domain and the secret first."));
}

static void
check_connection_changed (TdmPreferencesWindow *self,
                          TdmSide               side)
{
  g_autofree char *signature = connection_signature (self, side);
  char **known = &self->connection_signature[SIDE_INDEX (side)];

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  /* Writing a value again (applying an unchanged row) changes nothing. */
  if (g_strcmp0 (signature, *known) == 0)
    return;

  g_free (*known);
  *known = g_steal_pointer (&signature);
  reset_test_row (self, side);
}

/* A profile named in the settings that the list does not know yet (set from
 * outside, or a file added since the window opened) is added, so that the
 * row can show it. Connected before the row's binding, so it runs first. */
static void
on_profile_changed_cb (GSettings            *settings,
                       const char           *key,
                       TdmPreferencesWindow *self)
{
  GListModel *model = adw_combo_row_get_model (self->webshop_profile_row);
  g_autofree char *profile = g_settings_get_string (settings, key);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (!GTK_IS_STRING_LIST (model) || *profile == '\0')
    return;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), profile))
        return;
    }
  gtk_string_list_append (GTK_STRING_LIST (model), profile);
}

/* Rows whose display is computed from settings (the combo rows, switch and
 * spin button are bound with g_settings_bind). */
static void
on_settings_changed_cb (GSettings            *settings,
                        const char           *key,
                        TdmPreferencesWindow *self)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  for (guint id = 0; id < N_ENTRIES; id++)
    {
      if (g_str_equal (key, entry_infos[id].key))
        refresh_entry (self, id);
    }

  /* The secret is kept per address: whether one is saved depends on it. */
  if (g_str_equal (key, "webshop-url"))
    update_secret_title (self, TDM_SIDE_WEBSHOP);
  else if (g_str_equal (key, "shopify-shop"))
    update_secret_title (self, TDM_SIDE_SHOPIFY);

  if (g_strv_contains (webshop_keys, key))
    check_connection_changed (self, TDM_SIDE_WEBSHOP);
  else if (g_strv_contains (shopify_keys, key))
    check_connection_changed (self, TDM_SIDE_SHOPIFY);
}

/* ---- Closing with typed text ---- */

/* The first row holding text the owner typed but did not apply, or NULL. */
static AdwEntryRow *
find_unsaved_row (TdmPreferencesWindow *self)
{
  AdwEntryRow *secret_rows[] = { self->webshop_secret_row, self->shopify_secret_row };

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  for (guint id = 0; id < N_ENTRIES; id++)
    {
      EntryState *entry = &self->entries[id];
      g_autofree char *text = NULL;

      if (entry->row == NULL)
        continue;
      text = entry_get_stripped_text (entry->row);
      if (g_strcmp0 (text, entry->shown) != 0)
        return entry->row;
    }

  for (guint i = 0; i < G_N_ELEMENTS (secret_rows); i++)
    {
      if (secret_rows[i] != NULL &&
          *gtk_editable_get_text (GTK_EDITABLE (secret_rows[i])) != '\0')
        return secret_rows[i];
    }

  return NULL;
}

static void
discard_typed_text (TdmPreferencesWindow *self)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  for (guint id = 0; id < N_ENTRIES; id++)
    {
      EntryState *entry = &self->entries[id];

      if (entry->row != NULL && entry->shown != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (entry->row), entry->shown);
          set_row_error (GTK_WIDGET (entry->row), !entry_is_valid (id, entry->shown));
          show_problem (self, id, NULL);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->webshop_secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->shopify_secret_row), "");
}

static gboolean
close_window_cb (gpointer user_data)
{
  g_assert (GTK_IS_WINDOW (user_data));

  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_close_question_response_cb (AdwMessageDialog     *dialog,
                               const char           *response,
                               TdmPreferencesWindow *self)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (g_strcmp0 (response, "discard") == 0)
    discard_typed_text (self);
  else if (g_strcmp0 (response, "apply") == 0)
    {
      AdwEntryRow *row;

      /* Each row applies as its Apply button would; a refused value stays,
       * explained under its row, and the window stays open. */
      while ((row = find_unsaved_row (self)) != NULL)
        {
          g_autofree char *before = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

          g_signal_emit_by_name (row, "apply");
          if (g_strcmp0 (before, gtk_editable_get_text (GTK_EDITABLE (row))) == 0 &&
              find_unsaved_row (self) == row)
            {
              gtk_widget_grab_focus (GTK_WIDGET (row));
              return;
            }
        }
    }
  else
    return;

  /* Once the question has closed: it is the window's child. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_window_cb, g_object_ref (self), g_object_unref);
}

gboolean
_tdm_preferences_connections_ask_before_close (TdmPreferencesWindow *self)
{
  AdwMessageDialog *question;
  AdwEntryRow *row;
  g_autofree char *body = NULL;

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  row = find_unsaved_row (self);
  if (row == NULL)
    return FALSE;
  if (self->close_question != NULL)
    {
      gtk_window_present (self->close_question);
      return TRUE;
    }

  /* TRANSLATORS: %s is the title of a field in Preferences. */
  body = g_strdup_printf (_("“%s” holds text you typed but did not apply. Apply it, or "
                            "discard it and keep the saved value."),
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                         _("Apply Typed Changes?"), body));
  adw_message_dialog_add_responses (question,
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (question, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (question, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (question, "apply");
  adw_message_dialog_set_close_response (question, "cancel");
  g_signal_connect_object (question, "response", G_CALLBACK (on_close_question_response_cb),
                           self, 0);
  g_set_weak_pointer (&self->close_question, GTK_WINDOW (question));
  gtk_window_present (GTK_WINDOW (question));

  return TRUE;
}

/* ---- Setting up ---- */

void
_tdm_preferences_connections_setup (TdmPreferencesWindow *self)
{
  g_autofree char *profile = g_settings_get_string (self->settings, "webshop-profile");
  g_autoptr(GtkStringList) profiles = list_profiles (profile);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  /* Entries are saved when applied, not on every key press; they follow
   * changes from outside through on_settings_changed_cb(). */
  for (guint id = 0; id < N_ENTRIES; id++)
    {
      EntryState *entry = &self->entries[id];
      g_autofree char *value = g_settings_get_string (self->settings, entry_infos[id].key);

      entry->row = G_STRUCT_MEMBER (AdwEntryRow *, self, entry_infos[id].offset);
      if (entry_infos[id].problem_offset != 0)
        entry->problem_row = G_STRUCT_MEMBER (AdwActionRow *, self,
                                              entry_infos[id].problem_offset);
      entry->shown = g_strdup (value);
      gtk_editable_set_text (GTK_EDITABLE (entry->row), value);
      set_row_error (GTK_WIDGET (entry->row), !entry_is_valid (id, value));
      g_signal_connect_object (entry->row, "state-flags-changed",
                               G_CALLBACK (on_entry_state_flags_changed_cb), self, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->connection_signature); i++)
    self->connection_signature[i] = connection_signature (self, i == 0 ? TDM_SIDE_WEBSHOP
                                                                       : TDM_SIDE_SHOPIFY);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed_cb),
                           self, 0);

  adw_combo_row_set_expression (self->webshop_profile_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (profile_label),
                                                             NULL, NULL));
  adw_combo_row_set_model (self->webshop_profile_row, G_LIST_MODEL (profiles));
  g_signal_connect_object (self->settings, "changed::webshop-profile",
                           G_CALLBACK (on_profile_changed_cb), self, 0);
  g_settings_bind_with_mapping (self->settings, "webshop-profile", self->webshop_profile_row,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                profile_to_selected, selected_to_profile,
                                g_object_ref (profiles), g_object_unref);
  _tdm_preferences_window_bind_choice (self, "webshop-auth", self->webshop_auth_row,
                                       webshop_auth_choices);
  _tdm_preferences_window_bind_choice (self, "shopify-auth", self->shopify_auth_row,
                                       shopify_auth_choices);

  g_signal_connect_object (self->webshop_auth_row, "notify::selected",
                           G_CALLBACK (on_auth_kind_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->shopify_auth_row, "notify::selected",
                           G_CALLBACK (on_auth_kind_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->context == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->webshop_secret_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->shopify_secret_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->webshop_test_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->shopify_test_button), FALSE);
    }

  on_auth_kind_changed_cb (self);
}

void
_tdm_preferences_connections_class_init (GtkWidgetClass *widget_class)
{
  g_assert (GTK_IS_WIDGET_CLASS (widget_class));

  gtk_widget_class_bind_template_callback (widget_class, on_webshop_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_country_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_webshop_header_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_webshop_user_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_webshop_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_webshop_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shopify_shop_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shopify_client_id_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shopify_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shopify_version_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shopify_test_clicked_cb);
}
