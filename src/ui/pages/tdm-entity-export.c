/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-entity-page-private.h"
#include "tdm-csv.h"
#include "tdm-export-chooser.h"

/* CSV export of what an entity page shows (search, filter and sort as they
 * are), a thousand rows at a time on a worker thread; every cell goes
 * through tdm-csv.c (docs/architecture.md § Threading). */

#define EXPORT_PAGE 1000

typedef struct {
  TdmStore      *store;
  TdmKind        kind;
  TdmLinkStatus  status;
  char          *search;
  TdmStoreSort   sort;
  gboolean       descending;
  GFile         *file;
  GPtrArray     *fields;   /* TdmEntityField as pointers, in column order */
  GPtrArray     *titles;   /* char*, translated column titles */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->file);
  g_free (data->search);
  g_clear_pointer (&data->fields, g_ptr_array_unref);
  g_clear_pointer (&data->titles, g_ptr_array_unref);
  g_free (data);
}

/* ---- Writing the file ---- */

static gboolean
write_line (GOutputStream  *out,
            GString        *line,
            GCancellable   *cancellable,
            GError        **error)
{
  g_assert (G_IS_OUTPUT_STREAM (out));
  g_assert (line != NULL);

  g_string_append (line, "\r\n");
  return g_output_stream_write_all (out, line->str, line->len, NULL, cancellable, error);
}

/* One record's cells: the API's words and times (ISO 8601, UTC), not the
 * page's display forms, so that a spreadsheet can use them. */
static void
append_row (GString     *line,
            ExportData  *data,
            TdmStoreRow *row)
{
  g_assert (line != NULL);
  g_assert (row != NULL);

  g_string_truncate (line, 0);
  for (guint i = 0; i < data->fields->len; i++)
    {
      TdmEntityField field = GPOINTER_TO_INT (g_ptr_array_index (data->fields, i));
      g_autofree char *owned = NULL;
      const char *text;

      if (field == TDM_ENTITY_FIELD_STATUS)
        text = tdm_link_status_to_string (tdm_store_row_get_status (row));
      else if (field == TDM_ENTITY_FIELD_LAST_SYNCED)
        {
          gint64 when = tdm_store_row_get_last_synced (row);
          g_autoptr(GDateTime) dt = when > 0 ? g_date_time_new_from_unix_utc (when) : NULL;

          owned = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
          text = owned;
        }
      else
        text = _tdm_entity_row_text (row, field, &owned);
      tdm_csv_append_value (line, text);
    }
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 total;
  gssize written = 0;

  g_assert (G_IS_TASK (task));
  g_assert (TDM_IS_STORE (data->store));

  total = tdm_store_count (data->store, data->kind, data->status, data->search, &error);
  if (total < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  out = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        &error);
  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < data->titles->len; i++)
    tdm_csv_append_value (line, g_ptr_array_index (data->titles, i));
  if (!write_line (G_OUTPUT_STREAM (out), line, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (gint64 offset = 0; offset < total; offset += EXPORT_PAGE)
    {
      g_autoptr(GPtrArray) rows = NULL;

      rows = tdm_store_query (data->store, data->kind, data->status, data->search, data->sort,
                              data->descending, offset, EXPORT_PAGE, &error);
      if (rows == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      for (guint r = 0; r < rows->len; r++)
        {
          TdmStoreRow *row = g_ptr_array_index (rows, r);

          append_row (line, data, row);
          if (!write_line (G_OUTPUT_STREAM (out), line, cancellable, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          written++;
        }

      if (rows->len < EXPORT_PAGE)
        break;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, written);
}

/* ---- The Export button ---- */

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_file_get_basename (file);
  gssize n;

  n = tdm_entity_page_export_finish (self, result, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The export to %s failed: %s"), name, error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
      return;
    }

  text = g_strdup_printf (ngettext ("Exported %'ld record to %s.",
                                    "Exported %'ld records to %s.", n),
                          (long) n, name);
  tdm_export_show_done (GTK_WIDGET (self), file, text);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TdmEntityPage   *self)
{
  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      tdm_entity_page_export_async (self, file, self->cancellable, on_exported_cb, file);
    }
  g_object_unref (dialog);
}

void
_tdm_entity_page_export_clicked_cb (TdmEntityPage *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  /* Translators: the suggested file name of an export, e.g. "customers.csv". */
  name = g_strdup_printf (_("%s.csv"), tdm_kind_display_plural (self->kind));
  chooser = tdm_export_chooser_new (GTK_WIDGET (self), _("Export as CSV"), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Public ---- */

void
tdm_entity_page_export_async (TdmEntityPage       *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (TDM_IS_ENTITY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_entity_page_export_async);
  g_task_set_name (task, "tdm-entity-export");

  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                               _("There are no records to export yet."));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (TDM_STORE (tdm_context_get_store (self->context)));
  data->kind = self->kind;
  data->status = _tdm_entity_page_get_selected_status (self);
  data->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (data->search != NULL && *data->search == '\0')
    g_clear_pointer (&data->search, g_free);
  data->sort = self->sort;
  data->descending = self->descending;
  data->file = g_object_ref (file);
  data->fields = g_ptr_array_new ();
  data->titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < _tdm_entity_columns_count (self->kind); i++)
    {
      const TdmEntityColumn *column = _tdm_entity_columns_get (self->kind, i);

      g_ptr_array_add (data->fields, GINT_TO_POINTER (column->field));
      g_ptr_array_add (data->titles, g_strdup (_tdm_entity_column_title (column)));
    }

  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_in_thread);
}

gssize
tdm_entity_page_export_finish (TdmEntityPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (TDM_IS_ENTITY_PAGE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
