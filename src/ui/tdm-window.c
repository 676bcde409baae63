/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-window.h"
#include "tdm-activity-page.h"
#include "tdm-entity-page.h"

struct _TdmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  TdmContext           *context;
  char                 *last_toast;
  guint                 n_toasts;
  AdwToast             *shown_toast;   /* weak: the newest toast, while it shows */

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  GtkStack             *sync_stack;
  GtkButton            *sync_button;
  GtkSpinner           *sync_spinner;
  GtkLabel             *progress_label;
  GtkRevealer          *demo_revealer;
  GtkRevealer          *failure_revealer;
  GtkLabel             *failure_label;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;
  guint                 switcher_idle;
  TdmEntityPage        *customers_page;
  TdmEntityPage        *orders_page;
  TdmEntityPage        *products_page;
  TdmActivityPage      *activity_page;
};

G_DEFINE_FINAL_TYPE (TdmWindow, tdm_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const page_names[] = { "customers", "orders", "products", "activity" };

/* ---- The sync button and progress ---- */

static gboolean
is_page_name (const char *name)
{
  return g_strv_contains ((const char * const *) page_names, name);
}

static char *
format_progress (TdmSyncEngine *engine)
{
  TdmKind kind = tdm_sync_engine_get_kind (engine);
  guint done = tdm_sync_engine_get_done (engine);
  guint total = tdm_sync_engine_get_total (engine);

  g_assert (TDM_IS_SYNC_ENGINE (engine));

  switch (tdm_sync_engine_get_phase (engine))
    {
    case TDM_PHASE_PREPARING:
      return g_strdup (_("Preparing…"));
    case TDM_PHASE_RECOVERING:
      return g_strdup (_("Finishing interrupted work…"));
    case TDM_PHASE_PLANNING:
      return g_strdup (_("Comparing…"));
    case TDM_PHASE_RECONCILING:
      return g_strdup (_("Checking every record…"));
    case TDM_PHASE_DONE:
      return g_strdup (_("Finishing…"));
    case TDM_PHASE_PULLING:
    case TDM_PHASE_WRITING:
    default:
      break;
    }

  if (total == 0)
    /* Translators: %s is a record kind in the plural, e.g. "Customers". */
    return g_strdup_printf (_("%s…"), tdm_kind_display_plural (kind));

  /* Translators: progress, e.g. "Customers 120 of 2,000". */
  return g_strdup_printf (_("%s %'u of %'u"), tdm_kind_display_plural (kind), done, total);
}

/* A run that failed leaves its reason above the pages until a run goes
 * well (the engine clears its last error then); a run waiting for the
 * owner's confirmation asks in its own dialog instead. */
static void
update_failure_notice (TdmWindow     *self,
                       TdmSyncEngine *engine)
{
  const char *message = engine != NULL ? tdm_sync_engine_get_last_error (engine) : NULL;
  gboolean failed = message != NULL &&
                    tdm_sync_engine_get_state (engine) != TDM_ENGINE_WAITING_CONFIRMATION;

  g_assert (TDM_IS_WINDOW (self));

  if (failed)
    {
      g_autofree char *text = g_strdup_printf (_("The last sync failed: %s"), message);
      gtk_label_set_label (self->failure_label, text);
    }
  gtk_revealer_set_reveal_child (self->failure_revealer, failed);
}

static void
update_sync_state (TdmWindow *self)
{
  TdmSyncEngine *engine = tdm_context_get_engine (self->context);
  gboolean running = engine != NULL && tdm_sync_engine_get_state (engine) == TDM_ENGINE_RUNNING;

  g_assert (TDM_IS_CONTEXT (self->context));

  gtk_stack_set_visible_child_name (self->sync_stack, running ? "running" : "idle");
  gtk_spinner_set_spinning (self->sync_spinner, running);

  if (running)
    {
      g_autofree char *text = format_progress (engine);
      gtk_label_set_label (self->progress_label, text);
    }

  update_failure_notice (self, engine);
}

static void
on_engine_changed_cb (TdmWindow     *self,
                      GParamSpec    *pspec,
                      TdmSyncEngine *engine)
{
  g_assert (TDM_IS_WINDOW (self));

  update_sync_state (self);
}

/* ---- Size and page, kept in the settings ---- */

static void
save_window_state (TdmWindow *self)
{
  int width = 0;
  int height = 0;
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  g_assert (G_IS_SETTINGS (self->settings));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (is_page_name (page))
    g_settings_set_string (self->settings, "last-page", page);
  g_settings_apply (self->settings);
}

static void
restore_window_state (TdmWindow *self)
{
  g_autofree char *page = NULL;

  g_assert (G_IS_SETTINGS (self->settings));

  page = g_settings_get_string (self->settings, "last-page");
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (is_page_name (page))
    adw_view_stack_set_visible_child_name (self->view_stack, page);
}

/* ---- Window actions ---- */

/* A page shown by its shortcut (Ctrl+1…4) or by a toast's or notification's
 * button takes the keyboard focus, as it would from Tab: left where it was
 * (on a tab the owner clicked a while ago, or in the header bar), the focus
 * showed its ring there as soon as the shortcut's key was pressed. */
static void
focus_page (TdmWindow *self,
            GtkWidget *page)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  g_assert (TDM_IS_WINDOW (self));
  g_assert (GTK_IS_WIDGET (page));

  if (focus != NULL && gtk_widget_is_ancestor (focus, page))
    return;
  if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
page_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TdmWindow *self = TDM_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  g_assert (TDM_IS_WINDOW (self));

  if (!is_page_name (name))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  focus_page (self, adw_view_stack_get_visible_child (self->view_stack));
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TdmWindow *self = TDM_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  g_assert (TDM_IS_WINDOW (self));

  if (TDM_IS_ENTITY_PAGE (page))
    tdm_entity_page_focus_search (TDM_ENTITY_PAGE (page));
}

static void
show_record_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TdmWindow *self = TDM_WINDOW (widget);
  static const char * const kind_pages[TDM_N_KINDS] = {
    [TDM_KIND_CUSTOMER] = "customers",
    [TDM_KIND_PRODUCT] = "products",
    [TDM_KIND_ORDER] = "orders",
  };
  const char *side_name = NULL;
  const char *id = NULL;
  GtkWidget *page;
  int kind = 0;
  TdmSide side;

  g_assert (TDM_IS_WINDOW (self));

  g_variant_get (parameter, "(i&s&s)", &kind, &side_name, &id);
  if (kind < 0 || kind >= TDM_N_KINDS || !tdm_side_from_string (side_name, &side))
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, kind_pages[kind]);
  page = adw_view_stack_get_child_by_name (self->view_stack, kind_pages[kind]);
  tdm_entity_page_reveal_record (TDM_ENTITY_PAGE (page), side, id);
}

static void add_toast (TdmWindow  *self,
                       const char *text,
                       const char *button_label,
                       const char *action,
                       GVariant   *target);

static void
toast_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  tdm_window_add_toast (TDM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* win.toast-file (text, uri): a toast about a file Tandem wrote (an
 * export), with a button that opens it. */
static void
toast_file_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  const char *text = NULL;
  const char *uri = NULL;

  g_variant_get (parameter, "(&s&s)", &text, &uri);
  /* Translators: toast button that opens an exported file. */
  add_toast (TDM_WINDOW (widget), text, _("_Open"), "win.open-file", g_variant_new_string (uri));
}

static void
on_file_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TdmWindow *self = TDM_WINDOW (source);
  g_autofree char *uri = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_WINDOW (self));
  g_assert (uri != NULL);

  if (!gtk_show_uri_full_finish (GTK_WINDOW (self), result, &error))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        /* Translators: %s is a file name. */
        text = g_strdup_printf (_("%s is not there any more: it was moved or deleted."), name);
      else
        /* Translators: %s is a file name, then why it could not be opened. */
        text = g_strdup_printf (_("%s could not be opened: %s"), name, error->message);
      tdm_window_add_toast (self, text);
    }
}

/* win.open-file (uri): opens the file in the owner's application for its
 * type; in a Flatpak GTK asks the OpenURI portal. */
static void
open_file_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *uri = g_variant_get_string (parameter, NULL);

  g_assert (TDM_IS_WINDOW (widget));

  gtk_show_uri_full (GTK_WINDOW (widget), uri, GDK_CURRENT_TIME, NULL, on_file_opened_cb,
                     g_strdup (uri));
}

/* ---- GObject ---- */

/* ---- The switcher bar ---- */

static gboolean
sync_switcher_bar_cb (gpointer user_data)
{
  TdmWindow *self = user_data;

  g_assert (TDM_IS_WINDOW (self));

  self->switcher_idle = 0;
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
  return G_SOURCE_REMOVE;
}

/* The bar under the pages shows when the switcher no longer fits in the
 * header bar, which the switcher title finds out while the window is laid
 * out. The bar follows once that layout is done: revealed in the middle of
 * it with animations off, it was given its full height in a layout that
 * had measured it hidden (a GTK warning, "allocate GtkBox with width 0 and
 * height -1"). */
static void
on_title_visible_cb (AdwViewSwitcherTitle *title,
                     GParamSpec           *pspec,
                     TdmWindow            *self)
{
  g_assert (ADW_IS_VIEW_SWITCHER_TITLE (title));
  g_assert (TDM_IS_WINDOW (self));

  if (self->switcher_idle == 0)
    self->switcher_idle = g_idle_add (sync_switcher_bar_cb, self);
}

static gboolean
tdm_window_close_request (GtkWindow *window)
{
  save_window_state (TDM_WINDOW (window));

  return GTK_WINDOW_CLASS (tdm_window_parent_class)->close_request (window);
}

static void
tdm_window_dispose (GObject *object)
{
  TdmWindow *self = TDM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TDM_TYPE_WINDOW);
  g_clear_handle_id (&self->switcher_idle, g_source_remove);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->shown_toast);

  G_OBJECT_CLASS (tdm_window_parent_class)->dispose (object);
}

static void
tdm_window_finalize (GObject *object)
{
  TdmWindow *self = TDM_WINDOW (object);

  g_free (self->last_toast);

  G_OBJECT_CLASS (tdm_window_parent_class)->finalize (object);
}

static void
tdm_window_class_init (TdmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tdm_window_dispose;
  object_class->finalize = tdm_window_finalize;
  window_class->close_request = tdm_window_close_request;

  g_type_ensure (TDM_TYPE_ENTITY_PAGE);
  g_type_ensure (TDM_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tdm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, failure_revealer);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, failure_label);
  gtk_widget_class_bind_template_child_full (widget_class, "failure_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, customers_page);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, products_page);
  gtk_widget_class_bind_template_child (widget_class, TdmWindow, activity_page);

  gtk_widget_class_install_action (widget_class, "win.page", "s", page_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_activated);
  gtk_widget_class_install_action (widget_class, "win.toast-file", "(ss)", toast_file_activated);
  gtk_widget_class_install_action (widget_class, "win.open-file", "s", open_file_activated);
  gtk_widget_class_install_action (widget_class, "win.show-record", "(iss)", show_record_activated);
}

static void
tdm_window_init (TdmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->switcher_title, "notify::title-visible",
                    G_CALLBACK (on_title_visible_cb), self);

  self->settings = g_settings_new (SCHEMA_ID);
  restore_window_state (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
set_context (TdmWindow    *self,
             TdmContext   *context,
             const GError *error)
{
  TdmSyncEngine *engine;

  g_assert (TDM_IS_WINDOW (self));
  g_assert (self->context == NULL);

  if (context == NULL)
    {
      /* The services' messages say what to do. */
      adw_status_page_set_description (self->error_page,
                                       error != NULL ? error->message
                                                     : _("Tandem could not open its data. Quit Tandem and start it again."));
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.page", FALSE);
      return;
    }

  self->context = g_object_ref (context);
  gtk_stack_set_visible_child_name (self->main_stack, "content");

  tdm_entity_page_set_context (self->customers_page, context);
  tdm_entity_page_set_context (self->orders_page, context);
  tdm_entity_page_set_context (self->products_page, context);
  tdm_activity_page_set_context (self->activity_page, context);

  g_object_bind_property (context, "demo", self->demo_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);

  engine = tdm_context_get_engine (context);
  if (engine != NULL)
    {
      static const char * const signals[] = {
        "notify::state", "notify::phase", "notify::kind", "notify::done", "notify::total",
        "notify::last-error",
      };

      for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
        g_signal_connect_object (engine, signals[i], G_CALLBACK (on_engine_changed_cb),
                                 self, G_CONNECT_SWAPPED);
    }
  update_sync_state (self);
}

/* ---- Public ---- */

TdmWindow *
tdm_window_new (TdmApplication *application)
{
  TdmWindow *self;

  g_return_val_if_fail (TDM_IS_APPLICATION (application), NULL);

  self = g_object_new (TDM_TYPE_WINDOW, "application", application, NULL);
  set_context (self, tdm_application_get_context (application),
               tdm_application_get_context_error (application));

  return self;
}

void
tdm_window_add_toast (TdmWindow  *self,
                      const char *text)
{
  g_return_if_fail (TDM_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  add_toast (self, text, NULL, NULL, NULL);
}

void
tdm_window_add_toast_showing (TdmWindow  *self,
                              const char *text,
                              const char *button_label,
                              const char *page)
{
  g_return_if_fail (TDM_IS_WINDOW (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (button_label != NULL && page != NULL);

  add_toast (self, text, button_label, "app.show-page", g_variant_new_string (page));
}

/* `target` is floating or NULL. */
static void
add_toast (TdmWindow  *self,
           const char *text,
           const char *button_label,
           const char *action,
           GVariant   *target)
{
  AdwToast *toast;

  g_assert (TDM_IS_WINDOW (self));
  g_assert (text != NULL);
  g_assert ((button_label == NULL) == (action == NULL) && (action == NULL) == (target == NULL));

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  self->n_toasts++;
  /* A newer message replaces the one showing: a queued toast would tell the
   * owner about an older run after a newer one finished. */
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action);
      adw_toast_set_action_target_value (toast, target);
    }
  g_set_weak_pointer (&self->shown_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
tdm_window_get_visible_page (TdmWindow *self)
{
  g_return_val_if_fail (TDM_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
tdm_window_get_page (TdmWindow  *self,
                     const char *name)
{
  g_return_val_if_fail (TDM_IS_WINDOW (self), NULL);

  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

const char *
tdm_window_get_last_toast (TdmWindow *self)
{
  g_return_val_if_fail (TDM_IS_WINDOW (self), NULL);

  return self->last_toast;
}

guint
tdm_window_get_n_toasts (TdmWindow *self)
{
  g_return_val_if_fail (TDM_IS_WINDOW (self), 0);

  return self->n_toasts;
}

AdwToast *
tdm_window_get_shown_toast (TdmWindow *self)
{
  g_return_val_if_fail (TDM_IS_WINDOW (self), NULL);

  return self->shown_toast;
}
