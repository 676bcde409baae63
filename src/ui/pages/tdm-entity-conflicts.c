/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-entity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-entity-page-private.h"

/* The conflict count badge of an entity page: the store counts the kind's
 * open conflicts on a worker thread; the badge shows while there are any. */

static void
count_conflicts_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  TdmStore *store = task_data;
  TdmEntityPage *self = source_object;
  g_autoptr(GError) error = NULL;
  gint64 counts[TDM_N_LINK_STATUS] = { 0 };

  g_assert (TDM_IS_STORE (store));
  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (!tdm_store_count_by_status (store, self->kind, counts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, counts[TDM_LINK_STATUS_CONFLICT]);
}

static void
on_conflicts_counted_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  TdmEntityPage *self = TDM_ENTITY_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *text = NULL;

  g_assert (g_task_is_valid (result, self));

  if (error != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), n > 0);
  text = g_strdup_printf (ngettext ("%'ld conflict", "%'ld conflicts", n), (long) n);
  gtk_label_set_label (self->conflicts_label, text);
}

void
_tdm_entity_page_count_conflicts (TdmEntityPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (TDM_IS_ENTITY_PAGE (self));

  if (self->context == NULL || !TDM_IS_STORE (tdm_context_get_store (self->context)))
    return;

  task = g_task_new (self, self->cancellable, on_conflicts_counted_cb, NULL);
  g_task_set_source_tag (task, _tdm_entity_page_count_conflicts);
  g_task_set_name (task, "tdm-count-conflicts");
  g_task_set_task_data (task, g_object_ref (tdm_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, count_conflicts_in_thread);
}
