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
 * timer on a server. Same settings, keyring and state as the window. */

typedef struct
{
  GMainLoop     *loop;
  GCancellable  *cancellable;
  TdmContext    *context;
  TdmSyncCounts  counts;
  GError        *error;
  gboolean       ok;
  gboolean       dry_run;
  TdmSyncPhase   last_phase;
  TdmKind        last_kind;
  guint          last_percent;
} Runner;

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

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Runner *runner = user_data;

  runner->ok = tdm_sync_engine_run_finish (TDM_SYNC_ENGINE (source), result, &runner->counts,
                                           &runner->error);
  g_main_loop_quit (runner->loop);
}

static void
on_connectors_ready_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Runner *runner = user_data;
  TdmSyncRunOptions *options = g_object_get_data (G_OBJECT (runner->context), "tdm-run-options");

  if (!tdm_context_load_connectors_finish (TDM_CONTEXT (source), result, &runner->error))
    {
      g_main_loop_quit (runner->loop);
      return;
    }

  tdm_sync_engine_run_async (tdm_context_get_engine (runner->context), options,
                             runner->cancellable, on_run_done_cb, runner);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Runner *runner = user_data;

  g_printerr ("%s\n", _("Stopping the sync…"));
  g_cancellable_cancel (runner->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_summary (const TdmSyncCounts *counts)
{
  g_print ("created=%u updated=%u linked=%u conflicts=%u errors=%u unchanged=%u\n",
           counts->created, counts->updated, counts->linked, counts->conflicts,
           counts->errors, counts->unchanged);
}

int
tdm_headless_run (const TdmHeadlessOptions *options)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  TdmSyncRunOptions run_options = { 0 };
  TdmSyncEngine *engine;
  Runner runner = { 0 };
  guint sigint_id, sigterm_id;

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("Tandem's settings schema %s is not installed. Reinstall Tandem, or set "
                    "GSETTINGS_SCHEMA_DIR when running from a build directory.\n"), SCHEMA_ID);
      return 1;
    }

  settings = g_settings_new (SCHEMA_ID);
  runner.context = tdm_context_new (settings, NULL, &error);
  if (runner.context == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!tdm_context_get_configured (runner.context))
    {
      g_printerr ("%s\n", _("Tandem is not configured yet. Set the webshop-url and shopify-shop "
                            "settings and store both secrets in the keyring (see README.md), "
                            "or configure both connections in the window."));
      g_object_unref (runner.context);
      return 1;
    }

  /* One run at a time per state: a second --sync-now (or the window, or
   * its timer) on the same state is refused before anything is read. */
  if (!tdm_context_lock_runs (runner.context, &error))
    {
      g_printerr ("%s\n", error->message);
      g_object_unref (runner.context);
      return 1;
    }

  run_options.dry_run = options->dry_run;
  run_options.confirm_large_run = options->confirm_large_run;
  run_options.reconcile = options->reconcile;
  g_object_set_data (G_OBJECT (runner.context), "tdm-run-options", &run_options);

  runner.loop = g_main_loop_new (NULL, FALSE);
  runner.cancellable = g_cancellable_new ();
  runner.dry_run = options->dry_run;
  runner.last_phase = (TdmSyncPhase) -1;

  engine = tdm_context_get_engine (runner.context);
  g_signal_connect (engine, "notify::phase", G_CALLBACK (on_progress_cb), &runner);
  g_signal_connect (engine, "notify::kind", G_CALLBACK (on_progress_cb), &runner);
  g_signal_connect (engine, "notify::done", G_CALLBACK (on_progress_cb), &runner);
  g_signal_connect (engine, "record-error", G_CALLBACK (on_record_error_cb), &runner);
  if (options->dry_run)
    g_signal_connect (engine, "plan-ready", G_CALLBACK (on_plan_ready_cb), &runner);

  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &runner);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &runner);

  tdm_context_load_connectors_async (runner.context, runner.cancellable,
                                     on_connectors_ready_cb, &runner);
  g_main_loop_run (runner.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (engine, &runner);

  if (runner.ok)
    {
      if (options->dry_run)
        g_print ("%s\n", _("Dry run: nothing was written."));
      print_summary (&runner.counts);
    }
  else
    {
      const char *hint = runner.error ? tdm_sync_error_to_hint (runner.error) : NULL;

      print_summary (&runner.counts);
      g_printerr (_("The sync did not complete: %s\n"),
                  runner.error ? runner.error->message : _("unknown error"));
      if (g_error_matches (runner.error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER))
        g_printerr ("%s\n", _("Run again with --sync-now --confirm-large-run to apply this plan, "
                              "or --sync-now --dry-run to see it first."));
      else if (hint != NULL)
        g_printerr ("%s\n", hint);
    }

  tdm_context_unlock_runs (runner.context);
  g_clear_error (&runner.error);
  g_main_loop_unref (runner.loop);
  g_object_unref (runner.cancellable);
  g_object_unref (runner.context);

  return runner.ok ? 0 : 1;
}
