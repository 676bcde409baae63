/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-context"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tdm-context.h"
#include "tdm-context-private.h"
#include "tdm-state-files.h"
#include "tdm-secrets.h"
#include "tdm-shopify-schema.h"


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

/* ---- Settings ---- */

static gboolean
read_configured (TdmContext *self)
{
  g_autofree char *url = NULL;
  g_autofree char *shop = NULL;

  g_assert (G_IS_SETTINGS (self->settings));

  url = g_settings_get_string (self->settings, "webshop-url");
  shop = g_settings_get_string (self->settings, "shopify-shop");
  return url[0] != '\0' && shop[0] != '\0';
}

static TdmConflictPolicy
read_policy (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = NULL;
  TdmConflictPolicy policy = TDM_POLICY_NEWEST_WINS;

  g_assert (G_IS_SETTINGS (settings));
  g_assert (key != NULL);

  value = g_settings_get_string (settings, key);
  tdm_conflict_policy_from_string (value, &policy);
  return policy;
}

/* The plan options of every kind and the circuit breaker, from the
 * settings (docs/sync.md § Circuit breaker). */
static void
apply_engine_options (TdmContext *self)
{
  g_autofree char *delete_str = NULL;
  TdmDeletePolicy delete_policy = TDM_DELETE_KEEP;

  g_assert (TDM_IS_SYNC_ENGINE (self->engine));

  delete_str = g_settings_get_string (self->settings, "delete-policy");
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
                                         g_settings_get_uint (self->settings,
                                                              "large-run-threshold"));
}

static void
apply_interval (TdmContext *self)
{
  const char *override = g_getenv ("TANDEM_SYNC_INTERVAL_SECONDS");
  guint seconds = g_settings_get_uint (self->settings, "sync-interval") * 60;

  g_assert (TDM_IS_SYNC_SCHEDULER (self->scheduler));

  if (!self->scheduler_bound)
    return;

  /* Tests and demos use a short interval without touching settings. */
  if (override != NULL && *override != '\0')
    seconds = (guint) g_ascii_strtoull (override, NULL, 10);

  tdm_sync_scheduler_set_interval (self->scheduler, seconds);
}

/* The settings a connector is built from: a change makes the timer's next
 * run build new ones (tdm-context-sync.c). */
static gboolean
is_connection_key (const char *key)
{
  g_assert (key != NULL);

  return g_str_has_prefix (key, "webshop-") || g_str_has_prefix (key, "shopify-") ||
         g_str_equal (key, "default-phone-country");
}

static void
on_settings_changed_cb (GSettings  *settings,
                        const char *key,
                        TdmContext *self)
{
  gboolean configured;

  g_assert (TDM_IS_CONTEXT (self));

  if (g_str_equal (key, "sync-interval"))
    {
      apply_interval (self);
      return;
    }

  if (is_connection_key (key))
    self->connectors_fresh = FALSE;
  apply_engine_options (self);

  configured = read_configured (self);
  if (configured != self->configured)
    {
      self->configured = configured;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
    }
}

/* ---- Files and secrets ---- */

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
  g_assert (path != NULL);

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
  g_autofree char *url = NULL;
  g_autofree char *shop = NULL;

  g_assert (G_IS_SETTINGS (settings));

  url = g_settings_get_string (settings, "webshop-url");
  shop = g_settings_get_string (settings, "shopify-shop");
  if (webshop_secret != NULL)
    tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (memory), TDM_SIDE_WEBSHOP, url,
                                      webshop_secret, NULL, NULL, NULL);
  if (shopify_secret != NULL)
    tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (memory), TDM_SIDE_SHOPIFY, shop,
                                      shopify_secret, NULL, NULL, NULL);
  return TDM_CREDENTIAL_STORE (memory);
}

/* ---- GObject ---- */

static void
tdm_context_dispose (GObject *object)
{
  TdmContext *self = TDM_CONTEXT (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  /* No run is under way: each one holds a reference on the context. */
  if (self->scheduler != NULL)
    tdm_sync_scheduler_set_runner (self->scheduler, NULL, NULL, NULL);
  g_clear_object (&self->scheduler);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_clear_object (&self->connectors[s]);
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

  /* Mappings are checked against the Shopify connector's property schema
   * (docs/mapping.md § Validation): handed over before the first one is
   * loaded, the window's mapping editor included. */
  tdm_mapping_set_schema (TDM_SIDE_SHOPIFY, tdm_shopify_property_schema ());
}

static void
tdm_context_init (TdmContext *self)
{
}

/* ---- Public ---- */

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

  tdm_store_set_mapping (self->store, self->mapping);
  self->engine = tdm_sync_engine_new (TDM_RECORD_STORE (self->store), NULL, NULL, self->mapping);
  self->scheduler = tdm_sync_scheduler_new (self->engine, NULL);
  _tdm_context_attach_scheduler (self);
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

/* ---- The user's mapping ---- */

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
  tdm_store_set_mapping (self->store, self->mapping);
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
  tdm_store_set_mapping (self->store, self->mapping);
  return TRUE;
}
