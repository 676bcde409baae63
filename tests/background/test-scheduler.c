/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-scheduler"

#include "config.h"

#include "e2e-harness.h"
#include "tdm-context.h"
#include "tdm-sync-scheduler.h"
#include "tdm-test-tree.h"
#include "tdm-test-wait.h"

/* The background timer against both fakes, with a network monitor the test
 * switches: ticks while offline start no run and touch no shop; when the
 * network returns, the missed run happens at once instead of waiting for
 * the next tick. */

/* ---- A network monitor the test controls ---- */

#define TEST_TYPE_NETWORK (test_network_get_type ())
G_DECLARE_FINAL_TYPE (TestNetwork, test_network, TEST, NETWORK, GObject)

struct _TestNetwork
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void test_network_initable_iface_init (GInitableIface *iface);
static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetwork, test_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_network_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_monitor_iface_init))

static gboolean
test_network_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_network_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_initable_init;
}

static gboolean
test_network_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (!TEST_NETWORK (monitor)->available)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "offline (test)");
      return FALSE;
    }
  return TRUE;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_can_reach;
}

static void
test_network_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestNetwork *self = TEST_NETWORK (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_class_init (TestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_init (TestNetwork *self)
{
}

static void
test_network_set_available (TestNetwork *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ---- Helpers ---- */

typedef struct
{
  guint    runs;
  guint    ok;
  gint64   finished_at;
} Runs;

static void
on_run_finished_cb (TdmSyncScheduler *scheduler,
                    gboolean          success,
                    gpointer          counts,
                    gpointer          error,
                    Runs             *runs)
{
  if (!success && error != NULL)
    g_test_message ("run failed: %s", ((GError *) error)->message);
  runs->runs++;
  if (success)
    runs->ok++;
  runs->finished_at = g_get_monotonic_time ();
}

/* Iterates the main loop (the fakes live there) for `ms`, or until `runs`
 * reaches `until` when that is not 0. */
static void
spin (Runs  *runs,
      guint  until,
      guint  ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  g_assert (runs != NULL);

  while ((until == 0 || runs->runs < until) && tdm_test_wait_step (deadline))
    ;
}

static guint
shop_requests (E2E *e2e)
{
  return tdm_fake_webshop_get_request_log (e2e->web)->len +
         (guint) tdm_fake_shopify_get_request_total (e2e->shop);
}

/* ---- Tests ---- */

static void
test_offline_skips_then_catches_up (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(TdmSyncScheduler) scheduler = NULL;
  Runs runs = { 0 };
  gint64 back_online;
  guint before;

  g_free (e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                            "{\"email\": \"offline@example.no\", \"first_name\": \"Ola\", \"last_name\": \"Nett\"}"));

  network->available = FALSE;
  scheduler = tdm_sync_scheduler_new (e2e->engine, G_NETWORK_MONITOR (network));
  g_signal_connect (scheduler, "run-finished", G_CALLBACK (on_run_finished_cb), &runs);
  before = shop_requests (e2e);

  /* Three ticks pass offline: no run, no request to either shop. */
  tdm_sync_scheduler_set_interval (scheduler, 1);
  spin (&runs, 0, 3500);
  g_assert_cmpuint (runs.runs, ==, 0);
  g_assert_cmpuint (shop_requests (e2e), ==, before);
  g_assert_false (tdm_sync_scheduler_run_now (scheduler));
  g_assert_false (tdm_sync_engine_is_running (e2e->engine));

  /* The next tick is now an hour away, yet the missed run happens as soon
   * as the network returns. */
  tdm_sync_scheduler_set_interval (scheduler, 3600);
  g_assert_cmpint (tdm_sync_scheduler_get_next_run (scheduler), >, g_get_real_time () / G_USEC_PER_SEC + 3000);
  back_online = g_get_monotonic_time ();
  test_network_set_available (network, TRUE);
  spin (&runs, 1, 30000);
  g_assert_cmpuint (runs.runs, ==, 1);
  g_assert_cmpuint (runs.ok, ==, 1);
  g_assert_cmpint (runs.finished_at - back_online, <, 30 * G_USEC_PER_SEC);
  g_assert_cmpuint (shop_requests (e2e), >, before);
  {
    g_autoptr(JsonObject) found = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER,
                                                    "defaultEmailAddress.emailAddress",
                                                    "offline@example.no");
    g_assert_nonnull (found);
  }

  /* Back online with nothing missed: a network change alone starts nothing. */
  test_network_set_available (network, FALSE);
  test_network_set_available (network, TRUE);
  spin (&runs, 2, 1500);
  g_assert_cmpuint (runs.runs, ==, 1);

  g_clear_object (&scheduler);
  e2e_free (e2e);
}

static void
test_online_ticks_run (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(TdmSyncScheduler) scheduler = NULL;
  Runs runs = { 0 };

  g_free (e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                            "{\"email\": \"online@example.no\", \"first_name\": \"Kari\", \"last_name\": \"Nett\"}"));
  network->available = TRUE;
  scheduler = tdm_sync_scheduler_new (e2e->engine, G_NETWORK_MONITOR (network));
  g_signal_connect (scheduler, "run-finished", G_CALLBACK (on_run_finished_cb), &runs);

  tdm_sync_scheduler_set_interval (scheduler, 1);
  spin (&runs, 2, 30000);
  g_assert_cmpuint (runs.ok, ==, 2);
  {
    g_autoptr(JsonObject) found = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER,
                                                    "defaultEmailAddress.emailAddress",
                                                    "online@example.no");
    g_assert_nonnull (found);
  }

  /* Interval 0 turns the timer off. */
  tdm_sync_scheduler_set_interval (scheduler, 0);
  g_assert_cmpint (tdm_sync_scheduler_get_next_run (scheduler), ==, 0);
  spin (&runs, 3, 2500);
  g_assert_cmpuint (runs.runs, ==, 2);

  g_clear_object (&scheduler);
  e2e_free (e2e);
}

static void
test_power_saver_and_backoff_delays (void)
{
  /* Power saver doubles the interval; failures back off up to 8×. */
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 0, FALSE), ==, 900);
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 0, TRUE), ==, 1800);
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 1, FALSE), ==, 1800);
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 3, FALSE), ==, 7200);
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 12, FALSE), ==, 7200);
  g_assert_cmpuint (tdm_sync_scheduler_compute_delay (900, 12, TRUE), ==, 14400);
}

/* The window and `tandem --background` start the context's timer; from
 * then on it follows the sync-interval setting (minutes). */
static void
test_interval_follows_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(TdmMemoryCredentials) credentials = tdm_memory_credentials_new ();
  g_autoptr(TdmContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tdm_test_make_tmp_dir ("tandem-interval-XXXXXX");
  TdmSyncScheduler *scheduler;

  g_setenv ("TANDEM_STATE_DIR", dir, TRUE);
  g_setenv ("TANDEM_CONFIG_DIR", dir, TRUE);
  g_unsetenv ("TANDEM_SYNC_INTERVAL_SECONDS");

  g_settings_set_uint (settings, "sync-interval", 5);
  context = tdm_context_new (settings, TDM_CREDENTIAL_STORE (credentials), &error);
  g_assert_no_error (error);
  scheduler = tdm_context_get_scheduler (context);

  /* --sync-now never starts the timer. */
  g_assert_cmpuint (tdm_sync_scheduler_get_interval (scheduler), ==, 0);

  tdm_context_start_scheduler (context);
  g_assert_cmpuint (tdm_sync_scheduler_get_interval (scheduler), ==, 5 * 60);
  g_assert_cmpint (tdm_sync_scheduler_get_next_run (scheduler), >, 0);

  g_settings_set_uint (settings, "sync-interval", 30);
  g_assert_cmpuint (tdm_sync_scheduler_get_interval (scheduler), ==, 30 * 60);

  g_settings_set_uint (settings, "sync-interval", 0);
  g_assert_cmpuint (tdm_sync_scheduler_get_interval (scheduler), ==, 0);
  g_assert_cmpint (tdm_sync_scheduler_get_next_run (scheduler), ==, 0);

  g_clear_object (&context);
  tdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/background/scheduler/offline-skips-then-catches-up", test_offline_skips_then_catches_up);
  g_test_add_func ("/background/scheduler/online-ticks-run", test_online_ticks_run);
  g_test_add_func ("/background/scheduler/power-saver-and-backoff", test_power_saver_and_backoff_delays);
  g_test_add_func ("/background/scheduler/interval-follows-setting", test_interval_follows_setting);

  return g_test_run ();
}
