/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-activity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-activity-page.h"
#include "tdm-csv.h"
#include "tdm-format.h"
#include "tdm-export-chooser.h"
#include "tdm-store.h"

#define MAX_RUNS 100
#define MAX_ERRORS 500

struct _TdmActivityPage
{
  GtkWidget     parent_instance;

  TdmContext   *context;
  GCancellable *cancellable;
  guint         n_runs;
  guint         n_errors;
  guint         n_review;
  gboolean      loaded_once;

  GtkStack     *stack;
  GtkWidget    *errors_box;
  GtkWidget    *review_box;
  GtkListBox   *review_list;
  GtkListBox   *errors_list;
  GtkListBox   *runs_list;
};

G_DEFINE_FINAL_TYPE (TdmActivityPage, tdm_activity_page, GTK_TYPE_WIDGET)

typedef struct {
  TdmStore  *store;
  GPtrArray *runs;    /* TdmRunInfo* */
  GPtrArray *errors;  /* TdmStoreError* */
  GPtrArray *review;  /* TdmReviewItem* */
  GHashTable *names;  /* "side/id" → the record's title in the views */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->runs, g_ptr_array_unref);
  g_clear_pointer (&data->errors, g_ptr_array_unref);
  g_clear_pointer (&data->review, g_ptr_array_unref);
  g_clear_pointer (&data->names, g_hash_table_unref);
  g_free (data);
}

static char *
name_key (TdmSide     side,
          const char *id)
{
  return g_strdup_printf ("%d/%s", (int) side, id);
}

static void
remember_name (LoadData   *data,
               TdmKind     kind,
               TdmSide     side,
               const char *id)
{
  g_autoptr(TdmStoreRow) row = tdm_store_get_row (data->store, kind, side, id, NULL);
  const char *title = row != NULL ? tdm_store_row_get_title (row) : NULL;

  if (title != NULL && *title != '\0')
    g_hash_table_replace (data->names, name_key (side, id), g_strdup (title));
}

/* The id as a shop owner reads it: the webshop's id, the number at the end
 * of a Shopify id (as the Shopify admin shows it). */
static const char *
short_id (const char *id)
{
  const char *slash;

  g_assert (id != NULL);

  slash = strrchr (id, '/');
  return slash != NULL ? slash + 1 : id;
}

/* "Ola Hansen (105)": its name and its id, which tells twins of the same
 * name apart; the id alone for a record without a name. */
static char *
describe_record (GHashTable *names,
                 TdmSide     side,
                 const char *id)
{
  g_autofree char *key = name_key (side, id);
  const char *title = names != NULL ? g_hash_table_lookup (names, key) : NULL;

  if (title == NULL)
    return g_strdup (short_id (id));
  /* Translators: a record's name and its id. */
  return g_strdup_printf (_("%s (%s)"), title, short_id (id));
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;

  data->runs = tdm_store_list_runs (data->store, MAX_RUNS, &error);
  if (data->runs != NULL)
    data->errors = tdm_store_list_errors (data->store, -1, MAX_ERRORS, &error);
  if (data->errors != NULL)
    data->review = tdm_store_list_review (data->store, -1, &error);
  /* Names for the review list: the record and its possible twins as the
   * shop owner knows them, not only their ids. */
  data->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; data->review != NULL && i < data->review->len; i++)
    {
      TdmReviewItem *item = g_ptr_array_index (data->review, i);

      remember_name (data, item->kind, item->side, item->record_id);
      for (guint c = 0; item->candidate_ids != NULL && c < MIN (item->candidate_ids->len, 5); c++)
        remember_name (data, item->kind, tdm_side_other (item->side),
                       g_ptr_array_index (item->candidate_ids, c));
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* A time in the locale's format, relative when recent ("5 minutes ago"). */
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return tdm_format_relative_time (tdm_format_locale_default (), when, now);
}

/* A field of a record as the mapping names it in the owner's words
 * ("Phone", "Shipping address"); a field the mapping does not have (a link
 * marker, a sub-field) in words made of its name. */
static char *
field_label (TdmMapping *mapping,
             TdmKind     kind,
             const char *field)
{
  g_autofree char *top = NULL;
  const TdmMappingRow *row = NULL;
  char *words;

  g_assert (field != NULL);

  top = g_strndup (field, strcspn (field, ".["));
  if (mapping != NULL)
    row = tdm_mapping_find_row (mapping, kind, top);
  if (row != NULL)
    return g_strdup (tdm_mapping_row_get_label (row));

  words = g_strdup (field);
  g_strdelimit (words, "_.[]", ' ');
  g_strstrip (words);
  if (words[0] != '\0')
    words[0] = g_ascii_toupper (words[0]);
  return words;
}

/* "Customer Kari Nordmann", "Order 10262": the record as the views name
 * it; a record without a row by the number a shop owner sees (the end of a
 * Shopify id). */
static char *
record_name (TdmKind     kind,
             const char *title,
             const char *record_id)
{
  const char *name = title;

  if (name == NULL || *name == '\0')
    {
      const char *slash = record_id != NULL ? strrchr (record_id, '/') : NULL;

      name = slash != NULL ? slash + 1 : record_id != NULL ? record_id : "";
    }
  /* Translators: a kind of record and its name, "Customer Kari Nordmann". */
  return g_strdup_printf (_("%s %s"), tdm_kind_display_name (kind), name);
}

static const char *
outcome_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "completed") == 0)
    return _("Completed");
  if (g_strcmp0 (outcome, "failed") == 0)
    return _("Failed");
  if (g_strcmp0 (outcome, "cancelled") == 0)
    return _("Stopped");
  if (g_strcmp0 (outcome, "waiting-confirmation") == 0)
    return _("Waiting for your confirmation");
  if (g_strcmp0 (outcome, "running") == 0)
    return _("Running");
  return outcome;
}

static GtkWidget *
make_run_row (TdmRunInfo *run)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *start = format_time (run->started_at);
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  /* Translators: "2026-11-26 18:00 · Completed". */
  title = g_strdup_printf (_("%s · %s"), start, outcome_label (run->outcome));
  if (run->finished_at >= run->started_at && run->finished_at > 0)
    g_string_append_printf (subtitle, _("Took %'lld s. "),
                            (long long) (run->finished_at - run->started_at));
  {
    /* Translators: part of "…, 1 conflict, …". */
    g_autofree char *conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict",
                                                               "%u conflicts", run->conflicts),
                                                  run->conflicts);
    /* Translators: part of "…, 1 error, …". */
    g_autofree char *errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error",
                                                            "%u errors", run->errors),
                                               run->errors);

    /* Translators: the counts of one run; the two %s are "%u conflict(s)"
     * and "%u error(s)". */
    g_string_append_printf (subtitle, _("%u created, %u updated, %u linked, %s, %s, %u unchanged."),
                            run->created, run->updated, run->linked, conflicts, errors,
                            run->unchanged);
  }
  if (run->message != NULL && *run->message != '\0')
    g_string_append_printf (subtitle, "\n%s", run->message);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle->str);
  if (g_strcmp0 (run->outcome, "failed") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");

  return GTK_WIDGET (row);
}

/* "Retry": syncs this one record now, even though its version failed before. */
static GtkWidget *
make_retry_button (TdmKind     kind,
                   TdmSide     side,
                   const char *record_id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));
  g_autofree char *target = g_strdup_printf ("%s/%s/%s", tdm_kind_to_string (kind),
                                             tdm_side_to_string (side), record_id);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Sync this record again now"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.sync-record");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

static GtkWidget *
make_error_row (TdmActivityPage *self,
                TdmStoreError   *e)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *title = record_name (e->kind, e->title, e->record_id);
  g_autofree char *seen = format_time (e->last_seen);
  g_autofree char *where = NULL;
  g_autofree char *subtitle = NULL;

  g_assert (TDM_IS_ACTIVITY_PAGE (self));

  if (e->field != NULL)
    {
      g_autofree char *label = field_label (self->context != NULL
                                              ? tdm_context_get_mapping (self->context) : NULL,
                                            e->kind, e->field);

      /* Translators: the field of a record error, "In Shopify · Phone". */
      where = g_strdup_printf (e->side == TDM_SIDE_WEBSHOP ? _("In the webshop · %s")
                                                           : _("In Shopify · %s"), label);
    }
  else
    where = g_strdup (e->side == TDM_SIDE_WEBSHOP ? _("In the webshop") : _("In Shopify"));
  /* Translators: where the error is, the error message, then when it was
   * last seen ("5 minutes ago", "Yesterday, 18:05"). */
  subtitle = g_strdup_printf (_("%s\n%s\nLast seen: %s"), where, e->message, seen);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);

  /* Activating the row opens the record on its page. */
  if (e->record_id != NULL)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-record");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "(iss)", (int) e->kind,
                                        tdm_side_to_string (e->side), e->record_id);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Show this record"));
      adw_action_row_add_suffix (row, make_retry_button (e->kind, e->side, e->record_id));
      adw_action_row_add_suffix (row, arrow);
    }

  return GTK_WIDGET (row);
}

typedef struct
{
  TdmActivityPage *page;
  TdmKind          kind;
  TdmSide          side;
  char            *record_id;
  char            *candidate_id;   /* NULL: dismiss */
} ReviewChoice;

static void
review_choice_free (gpointer  data,
                    GClosure *closure)
{
  ReviewChoice *choice = data;

  g_free (choice->record_id);
  g_free (choice->candidate_id);
  g_free (choice);
}

/* The owner settles an ambiguous match: link the record to the twin they
 * picked (the first-link policy then decides differing fields, in a sync of
 * that record started right away), or dismiss it from the list. */
static void
on_review_choice_clicked_cb (GtkButton    *button,
                             ReviewChoice *choice)
{
  TdmActivityPage *self = choice->page;
  TdmRecordStore *store;
  g_autoptr(GError) error = NULL;

  if (self->context == NULL)
    return;
  store = tdm_context_get_store (self->context);

  if (choice->candidate_id != NULL)
    {
      g_autoptr(TdmLink) link = NULL;
      g_autofree char *target = NULL;
      TdmCommit commit = { 0 };

      link = choice->side == TDM_SIDE_WEBSHOP
             ? tdm_link_new (choice->kind, choice->record_id, choice->candidate_id)
             : tdm_link_new (choice->kind, choice->candidate_id, choice->record_id);
      commit.kind = choice->kind;
      commit.link = link;
      if (!tdm_record_store_commit (store, &commit, &error))
        {
          g_warning ("Could not link %s to %s: %s", choice->record_id, choice->candidate_id,
                     error->message);
          return;
        }
      target = g_strdup_printf ("%s/%s/%s", tdm_kind_to_string (choice->kind),
                                tdm_side_to_string (choice->side), choice->record_id);
      gtk_widget_activate_action (GTK_WIDGET (button), "app.sync-record", "s", target);
    }

  tdm_record_store_clear_review (store, choice->kind, choice->side, choice->record_id, NULL);
  if (choice->candidate_id != NULL)
    {
      g_autoptr(GError) other_error = NULL;

      /* The chosen twin no longer waits either. */
      tdm_record_store_clear_review (store, choice->kind, tdm_side_other (choice->side),
                                     choice->candidate_id, &other_error);
    }
  tdm_activity_page_reload (self);
}

static GtkWidget *
make_choice_button (TdmActivityPage *self,
                    TdmReviewItem   *item,
                    const char      *candidate_id,
                    const char      *label,
                    const char      *tooltip)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  ReviewChoice *choice = g_new0 (ReviewChoice, 1);

  choice->page = self;
  choice->kind = item->kind;
  choice->side = item->side;
  choice->record_id = g_strdup (item->record_id);
  choice->candidate_id = g_strdup (candidate_id);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_review_choice_clicked_cb), choice,
                         review_choice_free, 0);
  return button;
}

static GtkWidget *
make_review_row (TdmActivityPage *self,
                 TdmReviewItem   *item,
                 GHashTable      *names)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *title = NULL;
  g_autofree char *record = describe_record (names, item->side, item->record_id);
  g_autoptr(GString) subtitle = g_string_new (item->reason != NULL ? item->reason : "");

  /* Translators: "Customer Ola Hansen (10017) · Webshop". */
  title = g_strdup_printf (_("%s %s · %s"), tdm_kind_display_name (item->kind), record,
                           tdm_side_display_name (item->side));
  if (item->candidate_ids != NULL && item->candidate_ids->len > 0)
    {
      g_string_append_printf (subtitle, subtitle->len > 0 ? "\n%s" : "%s",
                              _("Possible twins:"));
      for (guint i = 0; i < item->candidate_ids->len; i++)
        {
          g_autofree char *twin = describe_record (names, tdm_side_other (item->side),
                                                   g_ptr_array_index (item->candidate_ids, i));

          g_string_append_printf (subtitle, i == 0 ? " %s" : ", %s", twin);
        }
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle->str);

  /* The choices live in a popover so the row stays narrow: one button per
   * possible twin (a handful at most), and Dismiss. */
  {
    GtkWidget *menu_button = gtk_menu_button_new ();
    GtkWidget *popover = gtk_popover_new ();
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    for (guint i = 0; item->candidate_ids != NULL && i < MIN (item->candidate_ids->len, 5); i++)
      {
        const char *candidate = g_ptr_array_index (item->candidate_ids, i);
        g_autofree char *twin = describe_record (names, tdm_side_other (item->side), candidate);
        g_autofree char *label = g_strdup_printf (_("Link to %s"), twin);
        g_autofree char *tooltip = g_strdup_printf (_("Link this record to %s in %s and sync the pair"),
                                                    twin,
                                                    tdm_side_display_name (tdm_side_other (item->side)));

        gtk_box_append (GTK_BOX (box), make_choice_button (self, item, candidate, label, tooltip));
      }
    {
      GtkWidget *create = gtk_button_new_with_label (_("Create a New Record"));
      g_autofree char *target = g_strdup_printf ("%s/%s/%s", tdm_kind_to_string (item->kind),
                                                 tdm_side_to_string (item->side), item->record_id);
      g_autofree char *tooltip = g_strdup_printf (_("None of these is its twin: create it in %s"),
                                                  tdm_side_display_name (tdm_side_other (item->side)));

      gtk_widget_set_tooltip_text (create, tooltip);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (create), "app.create-record");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (create), "s", target);
      gtk_box_append (GTK_BOX (box), create);
    }
    gtk_box_append (GTK_BOX (box),
                    make_choice_button (self, item, NULL, _("Dismiss"),
                                        _("Remove it from this list; it comes back if the record "
                                          "changes and is still ambiguous")));
    gtk_popover_set_child (GTK_POPOVER (popover), box);
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
    gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Choose"));
    gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (menu_button, _("Link this record to one of its possible twins"));
    adw_action_row_add_suffix (row, menu_button);
  }

  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-record");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "(iss)", (int) item->kind,
                                    tdm_side_to_string (item->side), item->record_id);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (row, gtk_image_new_from_icon_name ("go-next-symbolic"));

  return GTK_WIDGET (row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
update_state (TdmActivityPage *self)
{
  gboolean configured = self->context != NULL && tdm_context_get_configured (self->context);

  if (self->n_runs > 0 || self->n_errors > 0 || self->n_review > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    gtk_stack_set_visible_child_name (self->stack, configured ? "empty" : "unconfigured");
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TdmActivityPage *self = TDM_ACTIVITY_PAGE (source);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the sync activity: %s", error->message);
      return;
    }

  clear_list (self->runs_list);
  clear_list (self->errors_list);
  clear_list (self->review_list);
  for (guint i = 0; i < data->review->len; i++)
    gtk_list_box_append (self->review_list, make_review_row (self, g_ptr_array_index (data->review, i),
                                                           data->names));
  for (guint i = 0; i < data->runs->len; i++)
    gtk_list_box_append (self->runs_list, make_run_row (g_ptr_array_index (data->runs, i)));
  for (guint i = 0; i < data->errors->len; i++)
    gtk_list_box_append (self->errors_list, make_error_row (self, g_ptr_array_index (data->errors, i)));

  self->n_runs = data->runs->len;
  self->n_errors = data->errors->len;
  self->n_review = data->review->len;
  gtk_widget_set_visible (self->review_box, self->n_review > 0);
  self->loaded_once = TRUE;
  gtk_widget_set_visible (self->errors_box, self->n_errors > 0);
  update_state (self);
}

static void
on_context_configured_cb (TdmActivityPage *self,
                          GParamSpec      *pspec,
                          TdmContext      *context)
{
  update_state (self);
}

static void
on_engine_state_cb (TdmActivityPage *self,
                    GParamSpec      *pspec,
                    TdmSyncEngine   *engine)
{
  tdm_activity_page_reload (self);
}

static void
tdm_activity_page_dispose (GObject *object)
{
  TdmActivityPage *self = TDM_ACTIVITY_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TDM_TYPE_ACTIVITY_PAGE);
  /* The template's top widget is not bound to a field: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (tdm_activity_page_parent_class)->dispose (object);
}


/* CSV export of the activity log: every run, then every record error. */

typedef struct
{
  TdmStore *store;
  GFile    *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->file);
  g_free (data);
}

static char *
format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
csv_end_line (GString *out,
              GString *line)
{
  g_string_append_len (out, line->str, line->len);
  g_string_append (out, "\r\n");
  g_string_truncate (line, 0);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *header[] = {
    N_("Entry"), N_("Started"), N_("Finished"), N_("Outcome"), N_("Created"), N_("Updated"),
    N_("Linked"), N_("Conflicts"), N_("Errors"), N_("Unchanged"), N_("Kind"), N_("Side"),
    N_("Record"), N_("Field"), N_("Message"),
  };

  runs = tdm_store_list_runs (data->store, 0, &error);
  if (runs != NULL)
    errors = tdm_store_list_errors (data->store, -1, 0, &error);
  if (errors == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    tdm_csv_append_value (line, _(header[i]));
  csv_end_line (out, line);

  for (guint i = 0; i < runs->len; i++)
    {
      TdmRunInfo *run = g_ptr_array_index (runs, i);
      g_autofree char *started = format_utc (run->started_at);
      g_autofree char *finished = format_utc (run->finished_at);
      guint counts[] = { run->created, run->updated, run->linked, run->conflicts, run->errors,
                         run->unchanged };

      tdm_csv_append_value (line, _("run"));
      tdm_csv_append_value (line, started);
      tdm_csv_append_value (line, finished);
      tdm_csv_append_value (line, run->outcome);
      for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
        {
          char number[16];

          g_snprintf (number, sizeof number, "%u", counts[c]);
          tdm_csv_append_value (line, number);
        }
      for (guint c = 0; c < 4; c++)
        tdm_csv_append_value (line, NULL);
      tdm_csv_append_value (line, run->message);
      csv_end_line (out, line);
    }

  for (guint i = 0; i < errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (errors, i);
      g_autofree char *first = format_utc (e->first_seen);
      g_autofree char *last = format_utc (e->last_seen);

      tdm_csv_append_value (line, _("record error"));
      tdm_csv_append_value (line, first);
      tdm_csv_append_value (line, last);
      for (guint c = 0; c < 7; c++)
        tdm_csv_append_value (line, NULL);
      tdm_csv_append_value (line, tdm_kind_to_string (e->kind));
      tdm_csv_append_value (line, tdm_side_to_string (e->side));
      tdm_csv_append_value (line, e->record_id);
      tdm_csv_append_value (line, e->field);
      tdm_csv_append_value (line, e->message);
      csv_end_line (out, line);
    }

  if (!g_file_replace_contents (data->file, out->str, out->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, runs->len + errors->len);
}

void
tdm_activity_page_export_async (TdmActivityPage     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (TDM_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_activity_page_export_async);
  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("There is no activity to export yet."));
      return;
    }
  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (TDM_STORE (tdm_context_get_store (self->context)));
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_in_thread);
}

gssize
tdm_activity_page_export_finish (TdmActivityPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TdmActivityPage *self = TDM_ACTIVITY_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;
  gssize n = tdm_activity_page_export_finish (self, result, &error);

  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The export to %s failed: %s"), name, error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
      return;
    }
  text = g_strdup_printf (ngettext ("Exported %'ld entry to %s.", "Exported %'ld entries to %s.", n),
                          (long) n, name);
  tdm_export_show_done (GTK_WIDGET (self), file, text);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TdmActivityPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      tdm_activity_page_export_async (self, file, self->cancellable, on_exported_cb, file);
    }
  g_object_unref (dialog);
}

static void
on_export_clicked_cb (TdmActivityPage *self)
{
  /* Translators: the suggested file name of the activity log export. */
  const char *name = _("tandem-activity.csv");
  GtkFileChooserNative *chooser;

  chooser = tdm_export_chooser_new (GTK_WIDGET (self), _("Export the Activity Log"), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tdm_activity_page_class_init (TdmActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tdm_activity_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tdm-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, errors_box);
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, review_box);
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, review_list);
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, errors_list);
  gtk_widget_class_bind_template_child (widget_class, TdmActivityPage, runs_list);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tdm_activity_page_init (TdmActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

void
tdm_activity_page_set_context (TdmActivityPage *self,
                               TdmContext      *context)
{
  g_return_if_fail (TDM_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (context == NULL || TDM_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->context, self);
      if (tdm_context_get_engine (self->context) != NULL)
        g_signal_handlers_disconnect_by_data (tdm_context_get_engine (self->context), self);
    }
  g_set_object (&self->context, context);
  if (context != NULL)
    {
      g_signal_connect_object (context, "notify::configured",
                               G_CALLBACK (on_context_configured_cb), self, G_CONNECT_SWAPPED);
      if (tdm_context_get_engine (context) != NULL)
        g_signal_connect_object (tdm_context_get_engine (context), "notify::state",
                                 G_CALLBACK (on_engine_state_cb), self, G_CONNECT_SWAPPED);
    }
  update_state (self);
  tdm_activity_page_reload (self);
}

const char *
tdm_activity_page_get_state (TdmActivityPage *self)
{
  g_return_val_if_fail (TDM_IS_ACTIVITY_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
tdm_activity_page_reload (TdmActivityPage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (TDM_IS_ACTIVITY_PAGE (self));

  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (TDM_STORE (tdm_context_get_store (self->context)));
  task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  g_task_set_source_tag (task, tdm_activity_page_reload);
  g_task_set_name (task, "tdm-activity-load");
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_in_thread);
}

guint
tdm_activity_page_get_n_runs (TdmActivityPage *self)
{
  g_return_val_if_fail (TDM_IS_ACTIVITY_PAGE (self), 0);

  return self->n_runs;
}

guint
tdm_activity_page_get_n_errors (TdmActivityPage *self)
{
  g_return_val_if_fail (TDM_IS_ACTIVITY_PAGE (self), 0);

  return self->n_errors;
}

guint
tdm_activity_page_get_n_review (TdmActivityPage *self)
{
  g_return_val_if_fail (TDM_IS_ACTIVITY_PAGE (self), 0);

  return self->n_review;
}
