/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "tdm-headless.h"
#include "tdm-context.h"

/* `tandem --sync-now`: one run with no display, for cron or a systemd
 * timer on a server. Same settings, keyring and state as the window; the
 * run goes through tdm_context_sync_async like every other
 * (docs/architecture.md § Entry points). */

typedef struct
{
  GMainLoop     *loop;
  GCancellable  *cancellable;
  TdmContext    *context;
  TdmSyncCounts  counts;
  GError        *error;
  gboolean       ok;
  TdmSyncPhase   last_phase;
  TdmKind        last_kind;
  guint          last_percent;
} Runner;

/* ---- Progress lines ---- */

static const char *
phase_label (TdmSyncPhase phase)
{
  switch (phase)
    {
    case TDM_PHASE_PREPARING:   return _("Preparing");
    case TDM_PHASE_RECOVERING:  return _("Finishing interrupted work");
    case TDM_PHASE_PULLING:     return _("Reading changes");
    case TDM_PHASE_PLANNING:    return _("Planning");
    case TDM_PHASE_WRITING:     return _("Writing");
    case TDM_PHASE_RECONCILING: return _("Comparing all records");
    case TDM_PHASE_DONE:        return _("Done");
    default:                    return "";
    }
}

static void
on_progress_cb (TdmSyncEngine *engine,
                GParamSpec    *pspec,
                Runner        *runner)
{
  TdmSyncPhase phase = tdm_sync_engine_get_phase (engine);
  TdmKind kind = tdm_sync_engine_get_kind (engine);
  guint done = tdm_sync_engine_get_done (engine);
  guint total = tdm_sync_engine_get_total (engine);
  guint percent = total > 0 ? MIN (100, done * 100 / total) : 0;

  g_assert (runner != NULL);

  if (phase == TDM_PHASE_DONE)
    return;

  if (phase != runner->last_phase || kind != runner->last_kind)
    {
      runner->last_phase = phase;
      runner->last_kind = kind;
      runner->last_percent = 0;
      g_print ("%s: %s\n", phase_label (phase), tdm_kind_display_plural (kind));
      return;
    }

  /* A line per tenth is enough for a log file. */
  if (phase == TDM_PHASE_WRITING && total > 0 && percent / 10 > runner->last_percent / 10)
    {
      runner->last_percent = percent;
      g_print (_("%s: %s %u of %u\n"), phase_label (phase), tdm_kind_display_plural (kind),
               done, total);
    }
}

static void
on_record_error_cb (TdmSyncEngine  *engine,
                    TdmRecordError *err,
                    Runner         *runner)
{
  g_assert (err != NULL && err->message != NULL);

  if (err->field != NULL)
    g_print (_("Error: %s %s (%s): field “%s”: %s\n"), tdm_kind_display_name (err->kind),
             err->record_id ? err->record_id : "—", tdm_side_display_name (err->side),
             err->field, err->message);
  else
    g_print (_("Error: %s %s (%s): %s\n"), tdm_kind_display_name (err->kind),
             err->record_id ? err->record_id : "—", tdm_side_display_name (err->side),
             err->message);
}

static void
on_plan_ready_cb (TdmSyncEngine *engine,
                  GPtrArray     *actions,
                  Runner        *runner)
{
  g_assert (actions != NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (actions, i);
      g_autofree char *line = NULL;

      if (action->type == TDM_ACTION_NOTHING)
        continue;
      line = tdm_action_describe (action);
      g_print ("plan: %s\n", line);
    }
}

/* Something the owner should know about a run that still went on (a
 * listing cut short, a time far in the future; docs/sync.md § Watermarks):
 * a line among the progress lines, so a server's log shows it. */
static void
on_warning_cb (TdmSyncEngine *engine,
               const char    *message,
               Runner        *runner)
{
  g_assert (TDM_IS_SYNC_ENGINE (engine));
  g_assert (message != NULL);

  g_print (_("Warning: %s\n"), message);
}

/* ---- The run ---- */

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Runner *runner = user_data;

  g_assert (TDM_IS_CONTEXT (source));

  runner->ok = tdm_context_sync_finish (TDM_CONTEXT (source), result, &runner->counts,
                                        &runner->error);
  g_main_loop_quit (runner->loop);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Runner *runner = user_data;

  g_assert (G_IS_CANCELLABLE (runner->cancellable));

  g_printerr ("%s\n", _("Stopping the sync…"));
  g_cancellable_cancel (runner->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_summary (const TdmSyncCounts *counts)
{
  g_assert (counts != NULL);

  g_print ("created=%u updated=%u linked=%u conflicts=%u errors=%u unchanged=%u\n",
           counts->created, counts->updated, counts->linked, counts->conflicts,
           counts->errors, counts->unchanged);
}

/* The context of this run, or NULL after saying on stderr why there is none. */
static TdmContext *
create_context (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmContext) context = NULL;

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("Tandem's settings schema %s is not installed. Reinstall Tandem, or set "
                    "GSETTINGS_SCHEMA_DIR when running from a build directory.\n"), SCHEMA_ID);
      return NULL;
    }

  settings = g_settings_new (SCHEMA_ID);
  context = tdm_context_new (settings, NULL, &error);
  if (context == NULL)
    {
      g_printerr ("%s\n", error->message);
      return NULL;
    }

  if (!tdm_context_get_configured (context))
    {
      g_printerr (_("Tandem is not configured yet. Open Tandem and fill in both connections "
                    "in Preferences, or set them from a terminal:\n"
                    "  gsettings set %s webshop-url 'https://shop.example.com/api/tandem/v1'\n"
                    "  gsettings set %s shopify-shop 'example.myshopify.com'\n"
                    "  secret-tool store --label=Tandem service webshop account "
                    "'https://shop.example.com/api/tandem/v1'\n"
                    "  secret-tool store --label=Tandem service shopify account "
                    "'example.myshopify.com'\n"
                    "Run “tandem --help” for the other options.\n"),
                  SCHEMA_ID, SCHEMA_ID);
      return NULL;
    }

  return g_steal_pointer (&context);
}

static void
watch_engine (Runner   *runner,
              gboolean  dry_run)
{
  TdmSyncEngine *engine = tdm_context_get_engine (runner->context);

  g_assert (TDM_IS_SYNC_ENGINE (engine));

  g_signal_connect (engine, "notify::phase", G_CALLBACK (on_progress_cb), runner);
  g_signal_connect (engine, "notify::kind", G_CALLBACK (on_progress_cb), runner);
  g_signal_connect (engine, "notify::done", G_CALLBACK (on_progress_cb), runner);
  g_signal_connect (engine, "record-error", G_CALLBACK (on_record_error_cb), runner);
  g_signal_connect (engine, "warning", G_CALLBACK (on_warning_cb), runner);
  if (dry_run)
    g_signal_connect (engine, "plan-ready", G_CALLBACK (on_plan_ready_cb), runner);
}

/* The summary line, then on stderr why a run did not complete and what to
 * do. Another run on the same state is only named: nothing was read. */
static void
report_outcome (Runner   *runner,
                gboolean  dry_run)
{
  const char *hint;

  g_assert (runner->ok || runner->error != NULL);

  if (runner->ok)
    {
      if (dry_run)
        g_print ("%s\n", _("Dry run: nothing was written."));
      print_summary (&runner->counts);
      return;
    }

  if (g_error_matches (runner->error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      g_printerr ("%s\n", runner->error->message);
      return;
    }

  print_summary (&runner->counts);
  g_printerr (_("The sync did not complete: %s\n"), runner->error->message);
  hint = tdm_sync_error_to_hint (runner->error);
  if (g_error_matches (runner->error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER))
    g_printerr ("%s\n", _("Run again with --sync-now --confirm-large-run to apply this plan, "
                          "or --sync-now --dry-run to see it first."));
  else if (hint != NULL)
    g_printerr ("%s\n", hint);
}

int
tdm_headless_run (const TdmHeadlessOptions *options)
{
  TdmSyncRunOptions run_options = { 0 };
  Runner runner = { 0 };
  guint sigint_id, sigterm_id;

  g_return_val_if_fail (options != NULL, 2);

  runner.context = create_context ();
  if (runner.context == NULL)
    return 1;

  run_options.dry_run = options->dry_run;
  run_options.confirm_large_run = options->confirm_large_run;
  run_options.reconcile = options->reconcile;

  runner.loop = g_main_loop_new (NULL, FALSE);
  runner.cancellable = g_cancellable_new ();
  runner.last_phase = (TdmSyncPhase) -1;
  watch_engine (&runner, options->dry_run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &runner);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &runner);

  /* The run lock comes first: a second --sync-now (or the window, or its
   * timer) on the same state is refused before anything is read. */
  tdm_context_sync_async (runner.context, &run_options, runner.cancellable,
                          on_run_done_cb, &runner);
  g_main_loop_run (runner.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (tdm_context_get_engine (runner.context), &runner);
  report_outcome (&runner, options->dry_run);

  g_clear_error (&runner.error);
  g_main_loop_unref (runner.loop);
  g_object_unref (runner.cancellable);
  g_object_unref (runner.context);

  return runner.ok ? 0 : 1;
}
