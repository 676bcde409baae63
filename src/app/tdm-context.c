/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-context"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tdm-context.h"
#include "tdm-store.h"
#include "tdm-state-files.h"
#include "tdm-secrets.h"
#include "tdm-connector-factory.h"

struct _TdmContext
{
  GObject             parent_instance;

  GSettings          *settings;
  TdmCredentialStore *credentials;
  TdmStore           *store;
  TdmMapping         *mapping;
  TdmSyncEngine      *engine;
  TdmSyncScheduler   *scheduler;
  char               *state_dir;
  char               *mapping_path;
  gboolean            configured;
  gboolean            demo;
  gboolean            scheduler_bound;
};

G_DEFINE_FINAL_TYPE (TdmContext, tdm_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIGURED,
  PROP_DEMO,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_direction_keys[TDM_N_KINDS] = {
  [TDM_KIND_CUSTOMER] = "sync-customers",
  [TDM_KIND_PRODUCT] = "sync-products",
  [TDM_KIND_ORDER] = "sync-orders",
};

static gboolean
read_configured (TdmContext *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "webshop-url");
  g_autofree char *shop = g_settings_get_string (self->settings, "shopify-shop");

  return url[0] != '\0' && shop[0] != '\0';
}

static TdmConflictPolicy
read_policy (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);
  TdmConflictPolicy policy = TDM_POLICY_NEWEST_WINS;

  tdm_conflict_policy_from_string (value, &policy);
  return policy;
}

static void
apply_engine_options (TdmContext *self)
{
  g_autofree char *delete_str = g_settings_get_string (self->settings, "delete-policy");
  TdmDeletePolicy delete_policy = TDM_DELETE_KEEP;

  tdm_delete_policy_from_string (delete_str, &delete_policy);

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_autofree char *dir = g_settings_get_string (self->settings, kind_direction_keys[k]);
      TdmPlanOptions options = { 0 };

      options.conflict_policy = read_policy (self->settings, "conflict-policy");
      options.first_link_policy = read_policy (self->settings, "first-link-policy");
      options.delete_policy = delete_policy;
      options.direction = TDM_DIRECTION_BOTH;
      tdm_direction_from_string (dir, &options.direction);
      tdm_sync_engine_set_options (self->engine, k, &options);
    }

  tdm_sync_engine_set_breaker_threshold (self->engine,
                                         g_settings_get_uint (self->settings, "large-run-threshold"));
}

static void
apply_interval (TdmContext *self)
{
  const char *override = g_getenv ("TANDEM_SYNC_INTERVAL_SECONDS");
  guint seconds = g_settings_get_uint (self->settings, "sync-interval") * 60;

  if (!self->scheduler_bound)
    return;

  /* Tests and demos use a short interval without touching settings. */
  if (override != NULL && *override != '\0')
    seconds = (guint) g_ascii_strtoull (override, NULL, 10);

  tdm_sync_scheduler_set_interval (self->scheduler, seconds);
}

static void
on_settings_changed_cb (GSettings  *settings,
                        const char *key,
                        TdmContext *self)
{
  gboolean configured;

  if (g_str_equal (key, "sync-interval"))
    {
      apply_interval (self);
      return;
    }

  apply_engine_options (self);

  configured = read_configured (self);
  if (configured != self->configured)
    {
      self->configured = configured;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
    }
}

static char *
user_config_dir (void)
{
  const char *override = g_getenv ("TANDEM_CONFIG_DIR");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  return g_build_filename (g_get_user_config_dir (), "tandem", NULL);
}

static TdmMapping *
load_mapping (const char  *path,
              GError     **error)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return tdm_mapping_new_default ();
  return tdm_mapping_new_from_file (path, error);
}

/* In demo mode the made-up sandbox credentials live in memory only, so a
 * real keyring is never touched by a demo. */
static TdmCredentialStore *
demo_credentials (GSettings *settings)
{
  TdmMemoryCredentials *memory = tdm_memory_credentials_new ();
  const char *webshop_secret = g_getenv ("TANDEM_DEMO_WEBSHOP_SECRET");
  const char *shopify_secret = g_getenv ("TANDEM_DEMO_SHOPIFY_SECRET");
  g_autofree char *url = g_settings_get_string (settings, "webshop-url");
  g_autofree char *shop = g_settings_get_string (settings, "shopify-shop");

  if (webshop_secret != NULL)
    tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (memory), TDM_SIDE_WEBSHOP, url,
                                      webshop_secret, NULL, NULL, NULL);
  if (shopify_secret != NULL)
    tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (memory), TDM_SIDE_SHOPIFY, shop,
                                      shopify_secret, NULL, NULL, NULL);
  return TDM_CREDENTIAL_STORE (memory);
}

static void
tdm_context_dispose (GObject *object)
{
  TdmContext *self = TDM_CONTEXT (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->mapping);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tdm_context_parent_class)->dispose (object);
}

static void
tdm_context_finalize (GObject *object)
{
  TdmContext *self = TDM_CONTEXT (object);

  g_free (self->state_dir);
  g_free (self->mapping_path);

  G_OBJECT_CLASS (tdm_context_parent_class)->finalize (object);
}

static void
tdm_context_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TdmContext *self = TDM_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_CONFIGURED:
      g_value_set_boolean (value, self->configured);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_context_class_init (TdmContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_context_dispose;
  object_class->finalize = tdm_context_finalize;
  object_class->get_property = tdm_context_get_property;

  properties[PROP_CONFIGURED] =
    g_param_spec_boolean ("configured", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, TDM_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tdm_context_init (TdmContext *self)
{
}

TdmContext *
tdm_context_new (GSettings           *settings,
                 TdmCredentialStore  *credentials,
                 GError             **error)
{
  g_autoptr(TdmContext) self = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *config_dir = NULL;
  const char *state_override = g_getenv ("TANDEM_STATE_DIR");

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TDM_TYPE_CONTEXT, NULL);
  self->settings = g_object_ref (settings);
  self->demo = g_strcmp0 (g_getenv ("TANDEM_DEMO"), "1") == 0;

  self->state_dir = state_override != NULL && *state_override != '\0'
                    ? g_strdup (state_override)
                    : g_build_filename (g_get_user_data_dir (), "tandem", NULL);
  /* Owner only (0700, tightened when it exists wider), and writable. */
  if (!tdm_state_dir_prepare (self->state_dir, error))
    return NULL;

  state_path = g_build_filename (self->state_dir, "state.sqlite3", NULL);
  self->store = tdm_store_new (state_path, error);
  if (self->store == NULL)
    return NULL;

  config_dir = user_config_dir ();
  self->mapping_path = g_build_filename (config_dir, "mapping.json", NULL);
  self->mapping = load_mapping (self->mapping_path, error);
  if (self->mapping == NULL)
    return NULL;

  if (credentials != NULL)
    self->credentials = g_object_ref (credentials);
  else if (self->demo)
    self->credentials = demo_credentials (settings);
  else
    self->credentials = TDM_CREDENTIAL_STORE (tdm_secrets_new ());

  self->engine = tdm_sync_engine_new (TDM_RECORD_STORE (self->store), NULL, NULL, self->mapping);
  self->scheduler = tdm_sync_scheduler_new (self->engine, NULL);
  self->configured = read_configured (self);
  apply_engine_options (self);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed_cb), self);

  return g_steal_pointer (&self);
}

GSettings *
tdm_context_get_settings (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->settings;
}

TdmCredentialStore *
tdm_context_get_credentials (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->credentials;
}

TdmRecordStore *
tdm_context_get_store (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return TDM_RECORD_STORE (self->store);
}

TdmMapping *
tdm_context_get_mapping (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->mapping;
}

TdmSyncEngine *
tdm_context_get_engine (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->engine;
}

TdmSyncScheduler *
tdm_context_get_scheduler (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->scheduler;
}

gboolean
tdm_context_lock_runs (TdmContext  *self,
                       GError     **error)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), FALSE);
  return tdm_store_lock_runs (self->store, error);
}

void
tdm_context_unlock_runs (TdmContext *self)
{
  g_return_if_fail (TDM_IS_CONTEXT (self));
  tdm_store_unlock_runs (self->store);
}

void
tdm_context_start_scheduler (TdmContext *self)
{
  g_return_if_fail (TDM_IS_CONTEXT (self));
  self->scheduler_bound = TRUE;
  apply_interval (self);
}

gboolean
tdm_context_get_configured (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), FALSE);
  return self->configured;
}

gboolean
tdm_context_get_demo (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), FALSE);
  return self->demo;
}

const char *
tdm_context_get_state_dir (TdmContext *self)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  return self->state_dir;
}

gboolean
tdm_context_save_mapping (TdmContext  *self,
                          TdmMapping  *mapping,
                          GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(TdmMapping) check = NULL;

  g_return_val_if_fail (TDM_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (TDM_IS_MAPPING (mapping), FALSE);

  /* Validate what would be read back before replacing anything. */
  data = tdm_mapping_to_data (mapping);
  check = tdm_mapping_new_from_data (data, -1, self->mapping_path, error);
  if (check == NULL)
    return FALSE;

  dir = g_path_get_dirname (self->mapping_path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (self->mapping_path, data, -1, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                     _("Tandem cannot write the mapping file %s."), self->mapping_path);
      return FALSE;
    }

  g_set_object (&self->mapping, check);
  tdm_sync_engine_set_mapping (self->engine, self->mapping);
  return TRUE;
}

gboolean
tdm_context_reset_mapping (TdmContext  *self,
                           GError     **error)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();

  g_return_val_if_fail (TDM_IS_CONTEXT (self), FALSE);

  if (g_file_test (self->mapping_path, G_FILE_TEST_EXISTS) && g_unlink (self->mapping_path) != 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                   _("Tandem cannot remove the mapping file %s."), self->mapping_path);
      return FALSE;
    }
  g_set_object (&self->mapping, mapping);
  tdm_sync_engine_set_mapping (self->engine, self->mapping);
  return TRUE;
}

/* Connectors: secrets are looked up asynchronously from the credential
 * store, then both connectors are built from the settings. */

typedef struct
{
  TdmSide       side;
  TdmConnector *connectors[TDM_N_SIDES];
  GError       *error;
} LoadState;

static void
load_state_free (LoadState *state)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_clear_object (&state->connectors[s]);
  g_clear_error (&state->error);
  g_free (state);
}

static const char *
account_key (TdmSide side)
{
  return side == TDM_SIDE_WEBSHOP ? "webshop-url" : "shopify-shop";
}

static TdmConnector *
build_connector (TdmContext  *self,
                 TdmSide      side,
                 const char  *secret,
                 GError     **error)
{
  g_autofree char *account = g_settings_get_string (self->settings, account_key (side));
  g_autofree char *country = g_settings_get_string (self->settings, "default-phone-country");
  TdmConnector *connector;

  if (account[0] == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG, "%s",
                   side == TDM_SIDE_WEBSHOP
                   ? _("The webshop address is not set. Enter it in Preferences → Connections.")
                   : _("The Shopify shop is not set. Enter it in Preferences → Connections."));
      return NULL;
    }

  if (secret == NULL || secret[0] == '\0')
    {
      if (side == TDM_SIDE_WEBSHOP)
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                     _("No webshop secret is stored for %s. Enter it in Preferences → "
                       "Connections, or on a server run: secret-tool store --label=Tandem "
                       "service webshop account %s"), account, account);
      else
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                     _("No Shopify secret is stored for %s. Enter it in Preferences → "
                       "Connections, or on a server run: secret-tool store --label=Tandem "
                       "service shopify account %s"), account, account);
      return NULL;
    }

  connector = side == TDM_SIDE_WEBSHOP
              ? tdm_connector_factory_webshop (self->settings, secret, self->mapping, error)
              : tdm_connector_factory_shopify (self->settings, secret, self->mapping, error);
  if (connector != NULL)
    tdm_connector_set_normalize_options (connector, country);
  return connector;
}

static void
on_secret_sequential_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

void
tdm_context_load_connectors_async (TdmContext          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadState *state;

  g_return_if_fail (TDM_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_context_load_connectors_async);
  state = g_new0 (LoadState, 1);
  state->side = TDM_SIDE_WEBSHOP;
  g_task_set_task_data (task, state, (GDestroyNotify) load_state_free);

  if (!self->configured)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG, "%s",
                               _("Connect your webshop and Shopify in Preferences first."));
      return;
    }

  {
    g_autofree char *account = g_settings_get_string (self->settings, account_key (TDM_SIDE_WEBSHOP));

    tdm_credential_store_lookup_async (self->credentials, TDM_SIDE_WEBSHOP, account, cancellable,
                                       on_secret_sequential_cb, g_steal_pointer (&task));
  }
}

/* Looks the two secrets up one after the other (webshop, then Shopify). */
static void
on_secret_sequential_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmContext *self = g_task_get_source_object (task);
  LoadState *state = g_task_get_task_data (task);
  TdmSide side = state->side;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                               _("Tandem cannot read its secrets from the keyring: %s"),
                               error->message);
      return;
    }

  state->connectors[side] = build_connector (self, side, secret, &state->error);
  tdm_credential_free (secret);
  if (state->connectors[side] == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&state->error));
      return;
    }

  if (side == TDM_SIDE_WEBSHOP)
    {
      g_autofree char *account = g_settings_get_string (self->settings, account_key (TDM_SIDE_SHOPIFY));

      GCancellable *cancellable = g_task_get_cancellable (task);

      state->side = TDM_SIDE_SHOPIFY;
      tdm_credential_store_lookup_async (self->credentials, TDM_SIDE_SHOPIFY, account,
                                         cancellable, on_secret_sequential_cb,
                                         g_steal_pointer (&task));
      return;
    }

  tdm_sync_engine_set_connectors (self->engine, state->connectors[TDM_SIDE_WEBSHOP],
                                  state->connectors[TDM_SIDE_SHOPIFY]);
  g_task_return_boolean (task, TRUE);
}

gboolean
tdm_context_load_connectors_finish (TdmContext    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_single_secret_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmContext *self = g_task_get_source_object (task);
  TdmSide side = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  TdmConnector *connector;
  char *secret;

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  connector = build_connector (self, side, secret, &error);
  tdm_credential_free (secret);
  if (connector == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, connector, g_object_unref);
}

void
tdm_context_create_connector_async (TdmContext          *self,
                                    TdmSide              side,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *account = NULL;

  g_return_if_fail (TDM_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_context_create_connector_async);
  g_task_set_task_data (task, GINT_TO_POINTER (side), NULL);
  account = g_settings_get_string (self->settings, account_key (side));
  tdm_credential_store_lookup_async (self->credentials, side, account, cancellable,
                                     on_single_secret_cb, g_steal_pointer (&task));
}

TdmConnector *
tdm_context_create_connector_finish (TdmContext    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
