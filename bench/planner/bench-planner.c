/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tdm-mapping.h"
#include "tdm-planner.h"
#include "tdm-record.h"

/* Planner throughput and memory for 100,000 linked customer pairs of which
 * 10 % changed: 4 in 10 of those on the webshop, 4 in 10 in Shopify, 1 in 10
 * on both sides differently (a conflict, newest wins) and 1 in 10 on both
 * sides to the same value.
 *
 * Two runs, each planned from its own input:
 *  - "incremental": what a timer run sees, only the changed records are
 *    pulled (10,000 pairs; the engine passes just their links);
 *  - "full": every record of both sides is pulled (200,000 records, as in a
 *    first run after restoring the database or an overlap window covering
 *    everything); unchanged records are separate objects equal to their
 *    snapshots, so every field is really compared.
 * The headline figures are those of the full run. */

#define N_PAIRS 100000
#define N_REPEATS 3

typedef struct {
  const char *name;
  double      seconds;        /* best of N_REPEATS */
  double      seconds_worst;
  double      cpu_seconds;    /* CPU time of the best run: less sensitive to a busy machine */
  guint       records;
  guint       actions;
  guint       counts[TDM_ACTION_REVIEW + 1];
  double      rss_before_mb;
  double      hwm_after_mb;
} Result;

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
record_unref (gpointer record)
{
  tdm_record_unref (record);
}

static double
proc_status_mb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key) + 1, NULL) / 1024.0;   /* kB → MB */
}

static JsonObject *
customer_fields (guint       i,
                 const char *first_name)
{
  JsonObject *fields = json_object_new ();
  JsonArray *tags = json_array_new ();
  g_autofree char *email = g_strdup_printf ("customer%u@example.no", i);
  g_autofree char *phone = g_strdup_printf ("+479%07u", i);
  g_autofree char *last = g_strdup_printf ("Nordmann%u", i % 997);

  json_object_set_string_member (fields, "email", email);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "last_name", last);
  json_object_set_string_member (fields, "phone", phone);
  json_object_set_boolean_member (fields, "accepts_email_marketing", i % 3 == 0);
  json_array_add_string_element (tags, "newsletter");
  json_array_add_string_element (tags, i % 2 ? "retail" : "wholesale");
  json_object_set_array_member (fields, "tags", tags);
  json_object_set_string_member (fields, "locale", "nb");
  return fields;
}

typedef enum {
  CHANGE_NONE,
  CHANGE_WEBSHOP,
  CHANGE_SHOPIFY,
  CHANGE_BOTH_DIFFERENT,
  CHANGE_BOTH_EQUAL,
} Change;

static Change
change_of (guint i)
{
  guint sub;

  if (i % 10 != 0)
    return CHANGE_NONE;
  sub = (i / 10) % 10;
  if (sub < 4)
    return CHANGE_WEBSHOP;
  if (sub < 8)
    return CHANGE_SHOPIFY;
  return sub == 8 ? CHANGE_BOTH_DIFFERENT : CHANGE_BOTH_EQUAL;
}

static Result
run (TdmMapping *mapping,
     const char *name,
     gboolean    full)
{
  g_autoptr(GPtrArray) changed_w = g_ptr_array_new_with_free_func (record_unref);
  g_autoptr(GPtrArray) changed_s = g_ptr_array_new_with_free_func (record_unref);
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) tdm_link_unref);
  g_autoptr(TdmMatchIndex) match = tdm_match_index_new (TDM_KIND_CUSTOMER);
  g_autoptr(GPtrArray) actions = NULL;
  TdmPlanInput input = { 0, };
  Result result = { name, 0, };
  gint64 start;

  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *wid = g_strdup_printf ("%u", i + 1);
      g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%u", 7000000 + i);
      g_autoptr(JsonObject) base = customer_fields (i, "Kari");
      g_autoptr(JsonObject) wf = NULL;
      g_autoptr(JsonObject) sf = NULL;
      Change change = change_of (i);
      TdmLink *link;

      if (change == CHANGE_NONE && !full)
        continue;

      link = tdm_link_new (TDM_KIND_CUSTOMER, wid, sid);
      /* A converged pair: both snapshots hold the same canonical content. */
      tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, base, "2026-11-01T10:00:00Z");
      tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, base, "2026-11-01T10:00:00Z");
      g_hash_table_insert (links, tdm_link_key (TDM_SIDE_WEBSHOP, wid), tdm_link_ref (link));
      g_hash_table_insert (links, tdm_link_key (TDM_SIDE_SHOPIFY, sid), link);

      switch (change)
        {
        case CHANGE_WEBSHOP:
          wf = customer_fields (i, "Kaia");
          sf = full ? customer_fields (i, "Kari") : NULL;
          break;
        case CHANGE_SHOPIFY:
          wf = full ? customer_fields (i, "Kari") : NULL;
          sf = customer_fields (i, "Kine");
          break;
        case CHANGE_BOTH_DIFFERENT:
          wf = customer_fields (i, "Kaia");
          sf = customer_fields (i, "Kine");
          break;
        case CHANGE_BOTH_EQUAL:
          wf = customer_fields (i, "Kaja");
          sf = customer_fields (i, "Kaja");
          break;
        case CHANGE_NONE:
        default:
          wf = customer_fields (i, "Kari");
          sf = customer_fields (i, "Kari");
          break;
        }

      if (wf != NULL)
        g_ptr_array_add (changed_w, tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, wid,
                                                    "2026-11-02T10:00:00Z", NULL, wf, NULL));
      if (sf != NULL)
        g_ptr_array_add (changed_s, tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, sid,
                                                    "2026-11-02T11:00:00Z", NULL, sf, NULL));
    }

  input.kind = TDM_KIND_CUSTOMER;
  input.mapping = mapping;
  input.options.conflict_policy = TDM_POLICY_NEWEST_WINS;
  input.options.first_link_policy = TDM_POLICY_WEBSHOP_WINS;
  input.options.delete_policy = TDM_DELETE_KEEP;
  input.options.direction = TDM_DIRECTION_BOTH;
  input.changed[TDM_SIDE_WEBSHOP] = changed_w;
  input.changed[TDM_SIDE_SHOPIFY] = changed_s;
  input.links = links;
  input.match = match;

  result.records = changed_w->len + changed_s->len;
  result.rss_before_mb = proc_status_mb ("VmRSS:");
  /* The machine is shared: the best of a few identical runs is the figure. */
  for (guint r = 0; r < N_REPEATS; r++)
    {
      double seconds, cpu;

      g_clear_pointer (&actions, g_ptr_array_unref);
      start = g_get_monotonic_time ();
      cpu = cpu_now ();
      actions = tdm_planner_plan (&input);
      cpu = cpu_now () - cpu;
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (r == 0 || seconds < result.seconds)
        {
          result.seconds = seconds;
          result.cpu_seconds = cpu;
        }
      result.seconds_worst = MAX (result.seconds_worst, seconds);
    }
  result.hwm_after_mb = proc_status_mb ("VmHWM:");
  result.actions = actions->len;
  for (guint i = 0; i < actions->len; i++)
    result.counts[((TdmAction *) g_ptr_array_index (actions, i))->type]++;

  return result;
}

/* A first sync: nothing linked yet, every record of both sides pulled and
 * indexed; every webshop customer finds its Shopify twin by email (1 in 10
 * with a different first name, decided by the first-link policy). */
static Result
run_first_sync (TdmMapping *mapping,
                double     *index_seconds)
{
  g_autoptr(GPtrArray) changed_w = g_ptr_array_new_with_free_func (record_unref);
  g_autoptr(GPtrArray) changed_s = g_ptr_array_new_with_free_func (record_unref);
  g_autoptr(GHashTable) links = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TdmMatchIndex) match = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  TdmPlanInput input = { 0, };
  Result result = { "first-sync", 0, };
  gint64 start;

  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *wid = g_strdup_printf ("%u", i + 1);
      g_autofree char *sid = g_strdup_printf ("gid://shopify/Customer/%u", 7000000 + i);
      g_autoptr(JsonObject) wf = customer_fields (i, "Kari");
      g_autoptr(JsonObject) sf = customer_fields (i, i % 10 == 0 ? "Kine" : "Kari");

      g_ptr_array_add (changed_w, tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, wid,
                                                  "2026-11-02T10:00:00Z", NULL, wf, NULL));
      g_ptr_array_add (changed_s, tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, sid,
                                                  "2026-11-02T11:00:00Z", NULL, sf, NULL));
    }

  result.rss_before_mb = proc_status_mb ("VmRSS:");
  start = g_get_monotonic_time ();
  match = tdm_match_index_new (TDM_KIND_CUSTOMER);
  for (guint i = 0; i < N_PAIRS; i++)
    {
      tdm_match_index_add (match, g_ptr_array_index (changed_w, i));
      tdm_match_index_add (match, g_ptr_array_index (changed_s, i));
    }
  *index_seconds = (g_get_monotonic_time () - start) / 1e6;

  input.kind = TDM_KIND_CUSTOMER;
  input.mapping = mapping;
  input.options.conflict_policy = TDM_POLICY_NEWEST_WINS;
  input.options.first_link_policy = TDM_POLICY_WEBSHOP_WINS;
  input.options.delete_policy = TDM_DELETE_KEEP;
  input.options.direction = TDM_DIRECTION_BOTH;
  input.changed[TDM_SIDE_WEBSHOP] = changed_w;
  input.changed[TDM_SIDE_SHOPIFY] = changed_s;
  input.links = links;
  input.match = match;
  result.records = changed_w->len + changed_s->len;

  for (guint r = 0; r < N_REPEATS; r++)
    {
      double seconds, cpu;

      g_clear_pointer (&actions, g_ptr_array_unref);
      start = g_get_monotonic_time ();
      cpu = cpu_now ();
      actions = tdm_planner_plan (&input);
      cpu = cpu_now () - cpu;
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (r == 0 || seconds < result.seconds)
        {
          result.seconds = seconds;
          result.cpu_seconds = cpu;
        }
      result.seconds_worst = MAX (result.seconds_worst, seconds);
    }
  result.hwm_after_mb = proc_status_mb ("VmHWM:");
  result.actions = actions->len;
  for (guint i = 0; i < actions->len; i++)
    result.counts[((TdmAction *) g_ptr_array_index (actions, i))->type]++;
  return result;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = NULL;
  Result results[3];
  const Result *full;
  double index_seconds = 0;

  setlocale (LC_ALL, "");

  mapping = tdm_mapping_new_default ();
  if (mapping == NULL)
    {
      g_printerr ("The default mapping could not be loaded.\n");
      return 1;
    }

  results[0] = run (mapping, "incremental", FALSE);
  results[1] = run (mapping, "full", TRUE);
  full = &results[1];
  results[2] = run_first_sync (mapping, &index_seconds);

  g_print ("Planner, %d linked customer pairs, 10 %% changed\n\n", N_PAIRS);
  g_print ("%-12s %9s %9s %9s %9s %9s %9s %9s %9s %9s %11s %11s %12s\n",
           "run", "records", "actions", "update", "link", "unchanged", "conflict", "best s",
           "cpu s", "worst s", "rss before", "peak (MB)", "records/s");
  for (guint r = 0; r < G_N_ELEMENTS (results); r++)
    {
      const Result *res = &results[r];

      g_print ("%-12s %9u %9u %9u %9u %9u %9u %9.3f %9.3f %9.3f %11.1f %11.1f %12.0f\n",
               res->name, res->records, res->actions, res->counts[TDM_ACTION_UPDATE],
               res->counts[TDM_ACTION_LINK], res->counts[TDM_ACTION_NOTHING],
               res->counts[TDM_ACTION_CONFLICT],
               res->seconds, res->cpu_seconds, res->seconds_worst, res->rss_before_mb,
               res->hwm_after_mb,
               res->records / MAX (res->seconds, 1e-9));
    }
  g_print ("\n(best/worst of %d plans of the same input; peak = VmHWM of the whole process "
           "after planning, the input records and snapshots included; the planner's own share "
           "is peak minus rss before.)\n\n", N_REPEATS);

  g_print ("match index for the first sync (200,000 records): %.3f s\n\n", index_seconds);
  g_print ("bench: planner_incremental_10k_seconds = %.4f s\n", results[0].seconds);
  g_print ("bench: planner_first_sync_100k_seconds = %.4f s\n", results[2].seconds);
  g_print ("bench: planner_first_sync_index_seconds = %.4f s\n", index_seconds);
  g_print ("bench: planner_100k_seconds = %.4f s\n", full->seconds);
  g_print ("bench: planner_100k_cpu_seconds = %.4f s\n", full->cpu_seconds);
  g_print ("bench: planner_100k_peak_mb = %.1f MB\n", full->hwm_after_mb);
  g_print ("bench: planner_100k_plan_mb = %.1f MB\n", full->hwm_after_mb - full->rss_before_mb);
  g_print ("bench: planner_records_per_second = %.0f rec/s\n",
           full->records / MAX (full->seconds, 1e-9));
  return 0;
}
