/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-preferences-window-private.h"
#include "tdm-mapping-page.h"

/* The Preferences window: the Sync page (interval, running in the
 * background, policies, directions), the mapping page, and the window
 * itself; the Connections page is in tdm-preferences-connections.c. */

G_DEFINE_FINAL_TYPE (TdmPreferencesWindow, tdm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SETTINGS,
  PROP_BACKGROUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The settings' choices, in the order of the combo rows' items. */
static const char * const policy_choices[] = {
  "newest-wins", "webshop-wins", "shopify-wins", "ask", NULL
};
static const char * const delete_choices[] = { "keep", "propagate", NULL };
static const char * const direction_choices[] = { "both", "to-shopify", "to-webshop", "off", NULL };

/* ---- Combo rows bound to a setting ---- */

static gboolean
choice_to_selected (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *str = g_variant_get_string (variant, NULL);

  g_assert (choices != NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_str_equal (choices[i], str))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
selected_to_choice (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *choices = user_data;
  guint selected = g_value_get_uint (value);

  g_assert (choices != NULL);

  if (selected >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[selected]);
}

void
_tdm_preferences_window_bind_choice (TdmPreferencesWindow *self,
                                     const char           *key,
                                     AdwComboRow          *row,
                                     const char * const   *choices)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));
  g_assert (key != NULL && ADW_IS_COMBO_ROW (row) && choices != NULL);

  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_selected, selected_to_choice,
                                (gpointer) choices, NULL);
}

void
_tdm_preferences_window_add_toast (TdmPreferencesWindow *self,
                                   const char           *text)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));
  g_assert (text != NULL);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* ---- The Sync page ---- */

static void
setup_sync_page (TdmPreferencesWindow *self)
{
  AdwComboRow *direction_rows[] = {
    self->customers_direction_row, self->products_direction_row, self->orders_direction_row
  };
  const char *direction_keys[] = { "sync-customers", "sync-products", "sync-orders" };

  g_assert (G_IS_SETTINGS (self->settings));

  g_settings_bind (self->settings, "sync-interval", self->interval_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "large-run-threshold", self->threshold_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* "Start at Login" (in the .ui): its switch asks the Background portal
   * while Tandem keeps syncing with the window closed, and the row shows
   * what the portal answered (tdm-autostart.c). */
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->portal_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  if (self->background != NULL)
    g_object_bind_property (self->background, "portal-message", self->portal_row, "subtitle",
                            G_BINDING_SYNC_CREATE);
  _tdm_preferences_window_bind_choice (self, "conflict-policy", self->conflict_row,
                                       policy_choices);
  _tdm_preferences_window_bind_choice (self, "first-link-policy", self->first_link_row,
                                       policy_choices);
  _tdm_preferences_window_bind_choice (self, "delete-policy", self->delete_row, delete_choices);

  for (guint i = 0; i < G_N_ELEMENTS (direction_rows); i++)
    {
      const char *items[] = {
        _("Both ways"),
        _("Only from the webshop to Shopify"),
        _("Only from Shopify to the webshop"),
        _("Off"),
        NULL
      };
      g_autoptr(GtkStringList) model = gtk_string_list_new (items);

      adw_combo_row_set_model (direction_rows[i], G_LIST_MODEL (model));
      _tdm_preferences_window_bind_choice (self, direction_keys[i], direction_rows[i],
                                           direction_choices);
    }
}

/* ---- Closing, asking first ---- */

/* The question about unsaved changes that is open, or NULL. */
static GtkWindow *
get_open_question (TdmPreferencesWindow *self)
{
  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (self->close_question != NULL)
    return self->close_question;
  if (self->mapping_page != NULL)
    return tdm_mapping_page_get_close_question (TDM_MAPPING_PAGE (self->mapping_page));
  return NULL;
}

static void
finish_close (TdmPreferencesWindow *self,
              gboolean              closed)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->close_task);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  g_clear_weak_pointer (&self->watched_question);
  if (task != NULL)
    g_task_return_boolean (task, closed);
}

/* After an answer: the window and the question answered (weak: the
 * pending close task keeps the window while it matters). */
typedef struct
{
  GWeakRef window;
  GWeakRef answered;
} AnswerCheck;

static void
answer_check_free (AnswerCheck *check)
{
  g_weak_ref_clear (&check->window);
  g_weak_ref_clear (&check->answered);
  g_free (check);
}

/* Runs after the answer and after the close it may have queued (at the
 * default priority): the window still open and no other question asked
 * means the owner chose to keep editing, or a value was refused. */
static gboolean
check_still_open_cb (gpointer user_data)
{
  AnswerCheck *check = user_data;
  g_autoptr(TdmPreferencesWindow) self = g_weak_ref_get (&check->window);
  g_autoptr(GtkWindow) answered = g_weak_ref_get (&check->answered);
  GtkWindow *question;

  if (self == NULL || self->close_task == NULL)
    return G_SOURCE_REMOVE;
  question = get_open_question (self);
  if (question == NULL || question == answered)
    finish_close (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_question_answered_cb (AdwMessageDialog     *question,
                         const char           *response,
                         TdmPreferencesWindow *self)
{
  AnswerCheck *check = g_new0 (AnswerCheck, 1);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  g_weak_ref_init (&check->window, self);
  g_weak_ref_init (&check->answered, question);
  g_idle_add_full (G_PRIORITY_LOW, check_still_open_cb, check,
                   (GDestroyNotify) answer_check_free);
}

/* While tdm_preferences_window_close_async() waits, follows the question
 * just asked. */
static void
watch_question (TdmPreferencesWindow *self)
{
  GtkWindow *question = get_open_question (self);

  g_assert (TDM_IS_PREFERENCES_WINDOW (self));

  if (self->close_task == NULL || question == NULL || question == self->watched_question)
    return;
  g_set_weak_pointer (&self->watched_question, question);
  g_signal_connect_object (question, "response", G_CALLBACK (on_question_answered_cb), self,
                           G_CONNECT_AFTER);
}

/* ---- GObject ---- */

static void
tdm_preferences_window_dispose (GObject *object)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* Disposed while asking (g_object_run_dispose()): it is closed. */
  finish_close (self, TRUE);
  g_clear_weak_pointer (&self->close_question);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  /* The rows go with the template; a late state change finds none. */
  for (guint id = 0; id < N_ENTRIES; id++)
    self->entries[id].row = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TDM_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->background);

  G_OBJECT_CLASS (tdm_preferences_window_parent_class)->dispose (object);
}

static void
tdm_preferences_window_finalize (GObject *object)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (object);

  for (guint id = 0; id < N_ENTRIES; id++)
    g_free (self->entries[id].shown);
  for (guint i = 0; i < G_N_ELEMENTS (self->connection_signature); i++)
    g_free (self->connection_signature[i]);

  G_OBJECT_CLASS (tdm_preferences_window_parent_class)->finalize (object);
}

static void
tdm_preferences_window_constructed (GObject *object)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (tdm_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  _tdm_preferences_connections_setup (self);
  setup_sync_page (self);
  if (self->context != NULL)
    {
      self->mapping_page = GTK_WIDGET (tdm_mapping_page_new (self->context));
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (self->mapping_page));
    }
}

static void
tdm_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BACKGROUND:
      g_value_set_object (value, self->background);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_BACKGROUND:
      self->background = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Typed text (tdm-preferences-connections.c) and a changed mapping
 * (tdm-mapping-page.c) ask before they are lost. */
static gboolean
tdm_preferences_window_close_request (GtkWindow *window)
{
  TdmPreferencesWindow *self = TDM_PREFERENCES_WINDOW (window);

  if (_tdm_preferences_connections_ask_before_close (self) ||
      (self->mapping_page != NULL &&
       tdm_mapping_page_ask_before_close (TDM_MAPPING_PAGE (self->mapping_page), window)))
    {
      watch_question (self);
      return TRUE;
    }

  finish_close (self, TRUE);
  return GTK_WINDOW_CLASS (tdm_preferences_window_parent_class)->close_request (window);
}

static void
tdm_preferences_window_class_init (TdmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  GTK_WINDOW_CLASS (klass)->close_request = tdm_preferences_window_close_request;

  object_class->constructed = tdm_preferences_window_constructed;
  object_class->dispose = tdm_preferences_window_dispose;
  object_class->finalize = tdm_preferences_window_finalize;
  object_class->get_property = tdm_preferences_window_get_property;
  object_class->set_property = tdm_preferences_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TDM_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKGROUND] =
    g_param_spec_object ("background", NULL, NULL, TDM_TYPE_BACKGROUND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tdm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_url_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow,
                                        webshop_url_problem_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_profile_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_auth_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_header_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_user_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_test_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_test_spinner);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, webshop_test_button);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_shop_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow,
                                        shopify_shop_problem_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_auth_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_version_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_test_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_test_spinner);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, shopify_test_button);
  _tdm_preferences_connections_class_init (widget_class);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow,
                                        threshold_adjustment);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, phone_country_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow,
                                        phone_country_problem_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, portal_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, conflict_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, first_link_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, delete_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, customers_direction_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, products_direction_row);
  gtk_widget_class_bind_template_child (widget_class, TdmPreferencesWindow, orders_direction_row);
}

static void
tdm_preferences_window_init (TdmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* ---- Public ---- */

TdmPreferencesWindow *
tdm_preferences_window_new (TdmContext    *context,
                            GSettings     *settings,
                            TdmBackground *background)
{
  g_return_val_if_fail (context == NULL || TDM_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (background == NULL || TDM_IS_BACKGROUND (background), NULL);

  return g_object_new (TDM_TYPE_PREFERENCES_WINDOW,
                       "context", context,
                       "settings", settings,
                       "background", background,
                       NULL);
}

GtkWidget *
tdm_preferences_window_get_mapping_page (TdmPreferencesWindow *self)
{
  g_return_val_if_fail (TDM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->mapping_page;
}

void
tdm_preferences_window_close_async (TdmPreferencesWindow *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TDM_IS_PREFERENCES_WINDOW (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_preferences_window_close_async);

  if (self->close_task != NULL)
    {
      GtkWindow *question = get_open_question (self);

      if (question != NULL)
        {
          gtk_window_present (question);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                                   "Preferences already ask before closing");
          return;
        }
      /* Answered a moment ago, the outcome not checked yet: the window is
       * still open, so the owner stayed; this call asks again. */
      finish_close (self, FALSE);
    }

  self->close_task = g_steal_pointer (&task);
  gtk_window_close (GTK_WINDOW (self));
}

gboolean
tdm_preferences_window_close_finish (TdmPreferencesWindow  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (TDM_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
