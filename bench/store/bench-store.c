/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-bench-store"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "tdm-record.h"
#include "tdm-planner.h"
#include "tdm-record-store.h"
#include "tdm-store.h"

/* Benchmarks of the SQLite store: committing 100,000 linked customers
 * (snapshots, both cache rows, view rows) and fetching one 50-row page with
 * a status filter and a search. Prints a table and `bench:` lines; asserts
 * no timings. Usage: bench-store [N] */

static const char *first_names[] = {
  "Anna", "Bjørn", "Cecilie", "Dag", "Eva", "Frode", "Gro", "Hans", "Ingrid", "Jon",
  "Kari", "Lars", "Marit", "Nils", "Ola", "Per", "Randi", "Siri", "Tor", "Unni",
  "Vidar", "Wenche", "Åse", "Øystein", "Liv", "Knut", "Hilde", "Geir", "Berit", "Arne",
};
static const char *last_names[] = {
  "Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
  "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen",
  "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
  "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
};

/* The fields of customer i; both sides' records share them (the store
 * reads them only). */
static JsonObject *
make_fields (guint       i,
             const char *first,
             const char *last)
{
  JsonObject *fields = json_object_new ();
  g_autofree char *email = g_strdup_printf ("customer%u@example.no", i);
  g_autofree char *phone = g_strdup_printf ("+47%08u", 40000000 + i);
  g_autoptr(JsonArray) tags = json_array_new ();

  json_object_set_string_member (fields, "first_name", first);
  json_object_set_string_member (fields, "last_name", last);
  json_object_set_string_member (fields, "email", email);
  json_object_set_string_member (fields, "phone", phone);
  json_object_set_string_member (fields, "note", "Prefers delivery after 16:00.");
  json_array_add_string_element (tags, "newsletter");
  json_array_add_string_element (tags, "vip");
  json_object_set_array_member (fields, "tags", g_steal_pointer (&tags));
  return fields;
}

static TdmRecord *
make_customer (TdmSide     side,
               guint       i,
               JsonObject *fields)
{
  g_autofree char *id = side == TDM_SIDE_WEBSHOP ? g_strdup_printf ("%u", 10000 + i)
                                                 : g_strdup_printf ("gid://shopify/Customer/%u", 7000000 + i);

  return tdm_record_new (side, TDM_KIND_CUSTOMER, id, "2026-11-26T10:00:00Z", NULL, fields, NULL);
}

static gboolean
commit_one (TdmStore      *store,
            guint          i,
            const guint8  *names)
{
  g_autoptr(GError) error = NULL;
  /* Both sides get the same name. */
  const char *first = first_names[names[2 * i]];
  const char *last = last_names[names[2 * i + 1]];
  g_autoptr(JsonObject) fields = make_fields (i, first, last);
  g_autoptr(TdmRecord) ws = make_customer (TDM_SIDE_WEBSHOP, i, fields);
  g_autoptr(TdmRecord) sh = make_customer (TDM_SIDE_SHOPIFY, i, fields);
  g_autoptr(TdmLink) link = NULL;
  TdmCommit commit = { .kind = TDM_KIND_CUSTOMER, .run_id = 1, .clear_errors = TRUE };
  guint mix = i % 20;

  if (mix == 0)
    {
      /* 5 % only in the webshop */
      commit.cache[TDM_SIDE_WEBSHOP] = ws;
    }
  else if (mix == 1)
    {
      /* 5 % only in Shopify */
      commit.cache[TDM_SIDE_SHOPIFY] = sh;
    }
  else
    {
      link = tdm_link_new (TDM_KIND_CUSTOMER, ws->id, sh->id);
      tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, ws->fields, ws->updated_at);
      tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, sh->fields, sh->updated_at);
      link->orphaned = (mix == 2);
      commit.link = link;
      commit.cache[TDM_SIDE_WEBSHOP] = ws;
      commit.cache[TDM_SIDE_SHOPIFY] = sh;
    }

  if (!tdm_record_store_commit (TDM_RECORD_STORE (store), &commit, &error))
    {
      g_printerr ("commit %u failed: %s\n", i, error->message);
      return FALSE;
    }
  return TRUE;
}

/* The names of customers 0 … n-1, drawn before the clock starts (the same
 * names as earlier versions of this benchmark drew during the commits: a
 * generator seeded per record from one seeded with 42). */
static guint8 *
draw_names (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 *names = g_new (guint8, 2 * (gsize) MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GRand) r = g_rand_new_with_seed (g_rand_int (rand));

      names[2 * i] = g_rand_int_range (r, 0, G_N_ELEMENTS (first_names));
      names[2 * i + 1] = g_rand_int_range (r, 0, G_N_ELEMENTS (last_names));
    }
  return names;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Other processes share this machine: show how busy it was. */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median_query_ms (TdmStore      *store,
                 TdmLinkStatus  status,
                 const char    *search,
                 TdmStoreSort   sort,
                 guint          offset,
                 guint         *n_rows,
                 gint64        *total,
                 double        *cpu_ms)
{
  double times[15], cpu[15];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_seconds ();

      rows = tdm_store_query (store, TDM_KIND_CUSTOMER, status, search, sort, FALSE, offset, 50, &error);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
      cpu[i] = (cpu_seconds () - c0) * 1000.0;
      if (rows == NULL)
        g_error ("query failed: %s", error->message);
      *n_rows = rows->len;
    }
  *total = tdm_store_count (store, TDM_KIND_CUSTOMER, status, search, NULL);
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  qsort (cpu, G_N_ELEMENTS (cpu), sizeof cpu[0], compare_double);
  *cpu_ms = cpu[G_N_ELEMENTS (cpu) / 2];
  return times[G_N_ELEMENTS (times) / 2];
}

static double
median_count_ms (TdmStore      *store,
                 TdmLinkStatus  status,
                 const char    *search)
{
  double times[15];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      tdm_store_count (store, TDM_KIND_CUSTOMER, status, search, NULL);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  return times[G_N_ELEMENTS (times) / 2];
}

static double
median_count_by_status_ms (TdmStore *store)
{
  double times[15];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 counts[TDM_N_LINK_STATUS];
      gint64 t0 = g_get_monotonic_time ();

      if (!tdm_store_count_by_status (store, TDM_KIND_CUSTOMER, counts, NULL))
        g_error ("count by status failed");
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_double);
  return times[G_N_ELEMENTS (times) / 2];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tdm-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autofree guint8 *names = NULL;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  guint single = MIN (n / 10, 2000);
  guint batch = 1000;
  gint64 t0;
  double single_s, bulk_s, total_s, cpu0, single_cpu, bulk_cpu;
  GStatBuf st;

  g_assert_no_error (error);
  path = g_build_filename (dir, "state.sqlite3", NULL);
  if (g_getenv ("TANDEM_BENCH_REUSE_DB") != NULL)
    {
      /* Queries only, on a database kept by an earlier run. */
      g_free (path);
      path = g_strdup (g_getenv ("TANDEM_BENCH_REUSE_DB"));
      single = 0;
      n = 0;
    }
  store = tdm_store_new (path, &error);
  g_assert_no_error (error);
  names = draw_names (n);

  g_print ("Store benchmark: %u customers (90 %% linked pairs, 5 %% only webshop, 5 %% only Shopify)\n", n);
  g_print ("database: %s\n\n", path);

  /* One transaction per record (what a sync run does). */
  t0 = g_get_monotonic_time ();
  cpu0 = cpu_seconds ();
  for (guint i = 0; i < single; i++)
    if (!commit_one (store, i, names))
      return 1;
  single_s = (g_get_monotonic_time () - t0) / 1e6;
  single_cpu = cpu_seconds () - cpu0;

  /* The rest in batches of `batch` records per transaction (first load). */
  t0 = g_get_monotonic_time ();
  cpu0 = cpu_seconds ();
  for (guint i = single; i < n; i += batch)
    {
      if (!tdm_store_begin_batch (store, &error))
        g_error ("%s", error->message);
      for (guint j = i; j < MIN (n, i + batch); j++)
        if (!commit_one (store, j, names))
          return 1;
      if (!tdm_store_end_batch (store, TRUE, &error))
        g_error ("%s", error->message);
    }
  bulk_s = (g_get_monotonic_time () - t0) / 1e6;
  bulk_cpu = cpu_seconds () - cpu0;
  total_s = single_s + bulk_s;

  if (n > 0)
    {
      g_print ("%-52s %12s\n", "step", "value");
      g_print ("%-52s %10.0f/s\n", "per-record commits (own transaction each)", single / single_s);
      g_print ("%-52s %10.0f/s\n", "commits in batches of 1000", (n - single) / bulk_s);
      g_print ("%-52s %11.2fs\n", "total for all records (wall clock)", total_s);
      g_print ("%-52s %11.2fs\n", "total for all records (CPU time of this process)",
               single_cpu + bulk_cpu);
      g_print ("%-52s %11.2fs\n", "  of which per-record commits (CPU time)", single_cpu);
      g_print ("%-52s %11.2fs\n", "  of which commits in batches (CPU time)", bulk_cpu);
      if (g_stat (path, &st) == 0)
        g_print ("%-52s %9.1f MB\n", "database size (without WAL)", st.st_size / 1e6);
    }
  g_print ("%-52s %11.2f\n", "load average (1 min) of this machine", load_average ());

  {
    struct {
      const char    *label;
      TdmLinkStatus  status;
      const char    *search;
      TdmStoreSort   sort;
      guint          offset;
    } cases[] = {
      { "page: linked + search \"kari\", by title", TDM_LINK_STATUS_LINKED, "kari", TDM_STORE_SORT_TITLE, 0 },
      { "page: linked + search \"kari nord\", by title", TDM_LINK_STATUS_LINKED, "kari nord", TDM_STORE_SORT_TITLE, 0 },
      { "page: orphaned + search \"hansen\", by email", TDM_LINK_STATUS_ORPHANED, "hansen", TDM_STORE_SORT_SUBTITLE, 0 },
      { "page: all + search \"customer12\", by title", TDM_LINK_STATUS_ALL, "customer12", TDM_STORE_SORT_TITLE, 0 },
      { "page: all + search \"example\" (every row)", TDM_LINK_STATUS_ALL, "example", TDM_STORE_SORT_TITLE, 0 },
      { "page: linked, no search, by title", TDM_LINK_STATUS_LINKED, NULL, TDM_STORE_SORT_TITLE, 0 },
      { "page: only Shopify, no search, by phone", TDM_LINK_STATUS_ONLY_SHOPIFY, NULL, TDM_STORE_SORT_EXTRA, 0 },
      { "page: all, by last synced, offset 50000", TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_LAST_SYNCED, 50000 },
      { "page: linked, by email, offset 50000", TDM_LINK_STATUS_LINKED, NULL, TDM_STORE_SORT_SUBTITLE, 50000 },
      { "page: only webshop, by title, offset 2000", TDM_LINK_STATUS_ONLY_WEBSHOP, NULL, TDM_STORE_SORT_TITLE, 2000 },
      { "page: orphaned, by last synced, offset 2000", TDM_LINK_STATUS_ORPHANED, NULL, TDM_STORE_SORT_LAST_SYNCED, 2000 },
      { "page: conflict (no rows), by email", TDM_LINK_STATUS_CONFLICT, NULL, TDM_STORE_SORT_SUBTITLE, 0 },
      { "page: all, by status, offset 90000", TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_STATUS, 90000 },
      { "page: all, by status", TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_STATUS, 0 },
    };
    double headline = 0, headline_cpu = 0;

    g_print ("\n%-52s %8s %8s %8s %10s\n", "query (median of 15)", "ms", "cpu ms", "rows", "matches");
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        guint rows = 0;
        gint64 total = 0;
        double cpu_ms = 0;
        double ms = median_query_ms (store, cases[i].status, cases[i].search, cases[i].sort,
                                     cases[i].offset, &rows, &total, &cpu_ms);
        g_print ("%-52s %8.2f %8.2f %8u %10" G_GINT64_FORMAT "\n", cases[i].label, ms, cpu_ms,
                 rows, total);
        if (i == 0)
          {
            headline = ms;
            headline_cpu = cpu_ms;
          }
      }
    g_print ("%-52s %8.2f\n", "count: linked + search \"kari\"",
             median_count_ms (store, TDM_LINK_STATUS_LINKED, "kari"));
    g_print ("%-52s %8.2f\n", "count: all, no search",
             median_count_ms (store, TDM_LINK_STATUS_ALL, NULL));
    g_print ("%-52s %8.2f\n", "count: linked, no search",
             median_count_ms (store, TDM_LINK_STATUS_LINKED, NULL));
    g_print ("%-52s %8.2f\n", "count: conflict, no search",
             median_count_ms (store, TDM_LINK_STATUS_CONFLICT, NULL));
    g_print ("%-52s %8.2f\n", "counts by status (badges)", median_count_by_status_ms (store));

    g_print ("\n");
    if (n > 0)
      {
        g_print ("bench: store_commit_100k_seconds = %.2f s\n", total_s * 100000.0 / n);
        g_print ("bench: store_commit_100k_cpu_seconds = %.2f s\n",
                 (single_cpu + bulk_cpu) * 100000.0 / n);
        g_print ("bench: store_commit_per_record_per_second = %.0f commits/s\n", single / single_s);
        g_print ("bench: store_commit_batched_per_second = %.0f commits/s\n", (n - single) / bulk_s);
      }
    g_print ("bench: store_page_query_ms = %.2f ms\n", headline);
    g_print ("bench: store_page_query_cpu_ms = %.2f ms\n", headline_cpu);
  }

  g_clear_object (&store);
  if (g_getenv ("TANDEM_BENCH_KEEP_DB") != NULL || g_getenv ("TANDEM_BENCH_REUSE_DB") != NULL)
    {
      g_print ("kept %s\n", path);
      return 0;
    }
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
        g_remove (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
