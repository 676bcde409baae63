/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-scheduler"

#include "config.h"

#include "tdm-sync-scheduler.h"

#define MAX_BACKOFF_FACTOR 8
#define POWER_SAVER_FACTOR 2

struct _TdmSyncScheduler
{
  GObject               parent_instance;

  TdmSyncEngine        *engine;
  GNetworkMonitor      *network;
  GPowerProfileMonitor *power;
  GCancellable         *cancellable;
  guint                 interval;
  guint                 failures;
  guint                 timeout_id;
  gint64                next_run;
  gboolean              missed_tick;   /* a tick was skipped while offline */
  /* tdm_sync_scheduler_set_runner(); NULL: the engine's own run. */
  TdmSyncSchedulerStartFunc  start_func;
  TdmSyncSchedulerFinishFunc finish_func;
  gpointer                   runner_data;
};

G_DEFINE_FINAL_TYPE (TdmSyncScheduler, tdm_sync_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_NEXT_RUN,
  PROP_FAILURES,
  N_PROPS
};

enum {
  SIGNAL_RUN_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_next_run (TdmSyncScheduler *self);

/* ---- Runs ---- */

static gboolean
power_saver_on (TdmSyncScheduler *self)
{
  g_assert (TDM_IS_SYNC_SCHEDULER (self));

  return self->power != NULL && g_power_profile_monitor_get_power_saver_enabled (self->power);
}

static gboolean
network_available (TdmSyncScheduler *self)
{
  g_assert (TDM_IS_SYNC_SCHEDULER (self));

  return self->network == NULL || g_network_monitor_get_network_available (self->network);
}

static void
on_run_finished_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TdmSyncScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  TdmSyncCounts counts = { 0 };
  gboolean ok;
  GApplication *app = g_application_get_default ();

  g_assert (TDM_IS_SYNC_SCHEDULER (self));
  g_assert (G_IS_ASYNC_RESULT (result));

  if (self->finish_func != NULL)
    ok = self->finish_func (self->runner_data, result, &counts, &error);
  else
    ok = tdm_sync_engine_run_finish (TDM_SYNC_ENGINE (source), result, &counts, &error);

  if (app != NULL)
    g_application_release (app);

  /* Another run on the same state (G_IO_ERROR_BUSY: `tandem --sync-now`
   * from a system timer; G_IO_ERROR_PENDING: the window's run in this
   * process) skips this tick without a back-off. */
  if (ok)
    self->failures = 0;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    self->failures++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURES]);

  g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, ok, &counts, error);
  schedule_next_run (self);
}

static gboolean
start_run (TdmSyncScheduler *self)
{
  GApplication *app = g_application_get_default ();
  TdmSyncRunOptions options = { 0 };

  g_assert (TDM_IS_SYNC_SCHEDULER (self));
  g_assert ((self->start_func == NULL) == (self->finish_func == NULL));

  if (tdm_sync_engine_is_running (self->engine))
    return FALSE;

  if (!network_available (self))
    {
      g_debug ("No network: skipping this sync tick until it returns.");
      self->missed_tick = TRUE;
      return FALSE;
    }

  self->missed_tick = FALSE;
  if (app != NULL)
    g_application_hold (app);

  g_cancellable_reset (self->cancellable);
  if (self->start_func != NULL)
    self->start_func (self->runner_data, self->cancellable, on_run_finished_cb,
                      g_object_ref (self));
  else
    tdm_sync_engine_run_async (self->engine, &options, self->cancellable,
                               on_run_finished_cb, g_object_ref (self));
  return TRUE;
}

/* ---- The timer ---- */

static gboolean
on_tick_cb (gpointer user_data)
{
  TdmSyncScheduler *self = user_data;

  g_assert (TDM_IS_SYNC_SCHEDULER (self));
  g_assert (self->timeout_id != 0);

  self->timeout_id = 0;
  if (!start_run (self))
    schedule_next_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_next_run (TdmSyncScheduler *self)
{
  guint delay;

  g_assert (TDM_IS_SYNC_SCHEDULER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->interval == 0)
    {
      self->next_run = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN]);
      return;
    }

  delay = tdm_sync_scheduler_compute_delay (self->interval, self->failures, power_saver_on (self));
  self->next_run = g_get_real_time () / G_USEC_PER_SEC + delay;
  self->timeout_id = g_timeout_add_seconds (delay, on_tick_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN]);
}

static void
on_network_changed_cb (GNetworkMonitor  *monitor,
                       gboolean          available,
                       TdmSyncScheduler *self)
{
  g_assert (TDM_IS_SYNC_SCHEDULER (self));

  /* Catch up at once when the network returns after a skipped tick. */
  if (available && self->missed_tick && self->interval > 0)
    start_run (self);
}

static void
on_power_saver_changed_cb (GObject          *object,
                           GParamSpec       *pspec,
                           TdmSyncScheduler *self)
{
  g_assert (TDM_IS_SYNC_SCHEDULER (self));

  if (self->timeout_id != 0)
    schedule_next_run (self);
}

/* ---- GObject ---- */

static void
tdm_sync_scheduler_dispose (GObject *object)
{
  TdmSyncScheduler *self = TDM_SYNC_SCHEDULER (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  if (self->power != NULL)
    g_signal_handlers_disconnect_by_data (self->power, self);
  g_clear_object (&self->network);
  g_clear_object (&self->power);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (tdm_sync_scheduler_parent_class)->dispose (object);
}

static void
tdm_sync_scheduler_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TdmSyncScheduler *self = TDM_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_NEXT_RUN:
      g_value_set_int64 (value, self->next_run);
      break;
    case PROP_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_sync_scheduler_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TdmSyncScheduler *self = TDM_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      tdm_sync_scheduler_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_sync_scheduler_class_init (TdmSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_sync_scheduler_dispose;
  object_class->get_property = tdm_sync_scheduler_get_property;
  object_class->set_property = tdm_sync_scheduler_set_property;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_RUN] =
    g_param_spec_int64 ("next-run", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURES] =
    g_param_spec_uint ("failures", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_POINTER, G_TYPE_POINTER);
}

static void
tdm_sync_scheduler_init (TdmSyncScheduler *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ---- Public API ---- */

TdmSyncScheduler *
tdm_sync_scheduler_new (TdmSyncEngine   *engine,
                        GNetworkMonitor *network)
{
  TdmSyncScheduler *self;

  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (TDM_TYPE_SYNC_SCHEDULER, NULL);
  self->engine = g_object_ref (engine);
  self->network = g_object_ref (network != NULL ? network : g_network_monitor_get_default ());
  self->power = g_power_profile_monitor_dup_default ();
  g_signal_connect (self->network, "network-changed", G_CALLBACK (on_network_changed_cb), self);
  if (self->power != NULL)
    g_signal_connect (self->power, "notify::power-saver-enabled",
                      G_CALLBACK (on_power_saver_changed_cb), self);
  return self;
}

void
tdm_sync_scheduler_set_interval (TdmSyncScheduler *self,
                                 guint             seconds)
{
  g_return_if_fail (TDM_IS_SYNC_SCHEDULER (self));

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
  if (!tdm_sync_engine_is_running (self->engine))
    schedule_next_run (self);
}

guint
tdm_sync_scheduler_get_interval (TdmSyncScheduler *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_SCHEDULER (self), 0);
  return self->interval;
}

gint64
tdm_sync_scheduler_get_next_run (TdmSyncScheduler *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_SCHEDULER (self), 0);
  return self->next_run;
}

guint
tdm_sync_scheduler_get_failures (TdmSyncScheduler *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_SCHEDULER (self), 0);
  return self->failures;
}

void
tdm_sync_scheduler_set_runner (TdmSyncScheduler           *self,
                               TdmSyncSchedulerStartFunc   start,
                               TdmSyncSchedulerFinishFunc  finish,
                               gpointer                    user_data)
{
  g_return_if_fail (TDM_IS_SYNC_SCHEDULER (self));
  g_return_if_fail ((start == NULL) == (finish == NULL));

  self->start_func = start;
  self->finish_func = finish;
  self->runner_data = user_data;
}

gboolean
tdm_sync_scheduler_run_now (TdmSyncScheduler *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_SCHEDULER (self), FALSE);

  if (!start_run (self))
    return FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  return TRUE;
}

guint
tdm_sync_scheduler_compute_delay (guint    interval,
                                  guint    failures,
                                  gboolean power_saver)
{
  guint64 delay = interval;
  guint factor = 1;

  for (guint i = 0; i < failures && factor < MAX_BACKOFF_FACTOR; i++)
    factor *= 2;
  delay *= factor;
  if (power_saver)
    delay *= POWER_SAVER_FACTOR;
  return (guint) MIN (delay, (guint64) G_MAXUINT / 2);
}
