/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include "tdm-store-migrations.h"
#include "tdm-store-private.h"

/* The store object: its life cycle, tdm_store_new (), and the
 * TdmRecordStore interface, whose parts live with their jobs
 * (tdm-store-private.h lists the files). See docs/architecture.md,
 * "TdmRecordStore". */

static void tdm_store_record_store_iface_init (TdmRecordStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmStore, tdm_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TDM_TYPE_RECORD_STORE,
                                                      tdm_store_record_store_iface_init))

static void
tdm_store_record_store_iface_init (TdmRecordStoreInterface *iface)
{
  _tdm_store_links_iface_init (iface);
  _tdm_store_commit_iface_init (iface);
  _tdm_store_runs_iface_init (iface);
  _tdm_store_conflicts_iface_init (iface);
}

static void
tdm_store_dispose (GObject *object)
{
  TdmStore *self = TDM_STORE (object);

  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (tdm_store_parent_class)->dispose (object);
}

/* Its connections, the run lock and its strings are plain memory, freed
 * here. */
static void
tdm_store_finalize (GObject *object)
{
  TdmStore *self = TDM_STORE (object);

  g_assert (self->batch_depth == 0);

  if (self->reader != NULL)
    {
      _tdm_store_conn_clear (self->reader);
      g_free (self->reader);
    }
  g_mutex_clear (&self->reader_lock);
  g_clear_pointer (&self->run_lock, tdm_run_lock_release);
  _tdm_store_conn_clear (&self->main);
  g_free (self->path);

  G_OBJECT_CLASS (tdm_store_parent_class)->finalize (object);
}

static void
tdm_store_class_init (TdmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_store_dispose;
  object_class->finalize = tdm_store_finalize;
}

static void
tdm_store_init (TdmStore *self)
{
  g_mutex_init (&self->reader_lock);
  /* main is initialized by _tdm_store_conn_open; make finalize safe before that. */
  g_rec_mutex_init (&self->main.lock);
}

/**
 * tdm_store_new:
 * @path: a file name, or ":memory:"
 *
 * Opens (creating when missing) and migrates the state database.
 *
 * Returns: (transfer full) (nullable): the store, or NULL with
 *   TDM_SYNC_ERROR_STORE.
 */
TdmStore *
tdm_store_new (const char  *path,
               GError     **error)
{
  g_autoptr(TdmStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_tdm_store_check_path (path, error))
    return NULL;

  self = g_object_new (TDM_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->in_memory = _tdm_store_is_memory (path);
  if (!_tdm_store_open (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
tdm_store_get_path (TdmStore *self)
{
  g_return_val_if_fail (TDM_IS_STORE (self), NULL);
  return self->path;
}

int
tdm_store_schema_version (void)
{
  return tdm_store_migrations_latest ();
}

void
tdm_store_set_mapping (TdmStore   *self,
                       TdmMapping *mapping)
{
  g_return_if_fail (TDM_IS_STORE (self));
  g_return_if_fail (mapping == NULL || TDM_IS_MAPPING (mapping));

  _tdm_store_lock (self);
  g_set_object (&self->mapping, mapping);
  _tdm_store_unlock (self);
}
