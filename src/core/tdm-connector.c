/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-connector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tdm-connector.h"
#include "tdm-error.h"

typedef struct
{
  TdmSide              side;
  TdmMapping          *mapping;
  TdmNormalizeOptions  normalize;
  char                *default_country;
  TdmMapContext        map_context;
} TdmConnectorPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TdmConnector, tdm_connector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIDE,
  PROP_MAPPING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Results ---- */

void
tdm_page_free (TdmPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_clear_pointer (&page->problems, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page->max_updated_at);
  g_free (page->listed_at);
  g_free (page);
}

void
tdm_write_result_free (TdmWriteResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->record, tdm_record_unref);
  g_free (result);
}

void
tdm_shop_info_free (TdmShopInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->currency);
  g_free (info->plan);
  g_free (info->detail);
  g_free (info);
}

static void
refresh_map_context (TdmConnector *self)
{
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  g_assert (TDM_IS_CONNECTOR (self));

  priv->normalize.default_country = priv->default_country;
  priv->map_context.normalize = &priv->normalize;
}

/* ---- Default implementations of the optional vfuncs ---- */

static void
report_not_supported (TdmConnector        *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag,
                      const char          *what)
{
  g_assert (TDM_IS_CONNECTOR (self));
  g_assert (what != NULL);

  g_task_report_new_error (self, callback, user_data, source_tag,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This connection cannot %s."), what);
}

static void
default_delete_async (TdmConnector *self, TdmKind kind, const char *id,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  report_not_supported (self, cancellable, callback, user_data, default_delete_async,
                        _("delete records"));
}

static gboolean
default_boolean_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
default_pointer_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
default_find_created_async (TdmConnector *self, TdmKind kind, const char *op_id,
                            const char *twin_id, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  report_not_supported (self, cancellable, callback, user_data, default_find_created_async,
                        _("look up records it created"));
}

static void
default_list_ids_async (TdmConnector *self, TdmKind kind, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  report_not_supported (self, cancellable, callback, user_data, default_list_ids_async,
                        _("list every record"));
}

static void
default_test_connection_async (TdmConnector *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  report_not_supported (self, cancellable, callback, user_data, default_test_connection_async,
                        _("be tested"));
}

static void
default_prepare_async (TdmConnector *self, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, default_prepare_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
default_can_write_batch (TdmConnector *self, TdmKind kind)
{
  return FALSE;
}

static void
default_write_batch_async (TdmConnector *self, TdmKind kind, GPtrArray *writes,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  report_not_supported (self, cancellable, callback, user_data, default_write_batch_async,
                        _("write many records at once"));
}

static guint64
default_get_request_count (TdmConnector *self)
{
  return 0;
}

static void
default_check_api_version_async (TdmConnector *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, default_check_api_version_async);
  g_task_return_boolean (task, FALSE);
}

static gboolean
default_check_api_version_finish (TdmConnector *self, GAsyncResult *result,
                                  char **out_version, gint64 *out_days_left, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
tdm_connector_dispose (GObject *object)
{
  TdmConnector *self = TDM_CONNECTOR (object);
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  g_clear_object (&priv->mapping);

  G_OBJECT_CLASS (tdm_connector_parent_class)->dispose (object);
}

static void
tdm_connector_finalize (GObject *object)
{
  TdmConnector *self = TDM_CONNECTOR (object);
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  g_free (priv->default_country);

  G_OBJECT_CLASS (tdm_connector_parent_class)->finalize (object);
}

static void
tdm_connector_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TdmConnector *self = TDM_CONNECTOR (object);
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SIDE:
      g_value_set_int (value, priv->side);
      break;
    case PROP_MAPPING:
      g_value_set_object (value, priv->mapping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_connector_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TdmConnector *self = TDM_CONNECTOR (object);
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SIDE:
      priv->side = g_value_get_int (value);
      break;
    case PROP_MAPPING:
      tdm_connector_set_mapping (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_connector_class_init (TdmConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_connector_dispose;
  object_class->finalize = tdm_connector_finalize;
  object_class->get_property = tdm_connector_get_property;
  object_class->set_property = tdm_connector_set_property;

  klass->delete_async = default_delete_async;
  klass->delete_finish = default_boolean_finish;
  klass->find_created_async = default_find_created_async;
  klass->find_created_finish = (TdmRecord *(*) (TdmConnector *, GAsyncResult *, GError **)) default_pointer_finish;
  klass->list_ids_async = default_list_ids_async;
  klass->list_ids_finish = (GPtrArray *(*) (TdmConnector *, GAsyncResult *, GError **)) default_pointer_finish;
  klass->test_connection_async = default_test_connection_async;
  klass->test_connection_finish = (TdmShopInfo *(*) (TdmConnector *, GAsyncResult *, GError **)) default_pointer_finish;
  klass->prepare_async = default_prepare_async;
  klass->prepare_finish = default_boolean_finish;
  klass->get_request_count = default_get_request_count;
  klass->can_write_batch = default_can_write_batch;
  klass->write_batch_async = default_write_batch_async;
  klass->write_batch_finish = default_boolean_finish;
  klass->check_api_version_async = default_check_api_version_async;
  klass->check_api_version_finish = default_check_api_version_finish;

  properties[PROP_SIDE] =
    g_param_spec_int ("side", NULL, NULL, TDM_SIDE_WEBSHOP, TDM_SIDE_SHOPIFY, TDM_SIDE_WEBSHOP,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAPPING] =
    g_param_spec_object ("mapping", NULL, NULL, TDM_TYPE_MAPPING,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tdm_connector_init (TdmConnector *self)
{
  TdmConnectorPrivate *priv = tdm_connector_get_instance_private (self);

  priv->default_country = g_strdup ("NO");
  refresh_map_context (self);
}

/* ---- Side, mapping and record errors ---- */

TdmSide
tdm_connector_get_side (TdmConnector *self)
{
  TdmConnectorPrivate *priv;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), TDM_SIDE_WEBSHOP);
  priv = tdm_connector_get_instance_private (self);
  return priv->side;
}

TdmMapping *
tdm_connector_get_mapping (TdmConnector *self)
{
  TdmConnectorPrivate *priv;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  priv = tdm_connector_get_instance_private (self);
  return priv->mapping;
}

void
tdm_connector_set_mapping (TdmConnector *self,
                           TdmMapping   *mapping)
{
  TdmConnectorPrivate *priv;

  g_return_if_fail (TDM_IS_CONNECTOR (self));
  priv = tdm_connector_get_instance_private (self);
  if (g_set_object (&priv->mapping, mapping))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPPING]);
}

void
tdm_connector_set_normalize_options (TdmConnector *self,
                                     const char   *default_country)
{
  TdmConnectorPrivate *priv;

  g_return_if_fail (TDM_IS_CONNECTOR (self));
  priv = tdm_connector_get_instance_private (self);
  g_free (priv->default_country);
  priv->default_country = g_strdup (default_country != NULL && *default_country ? default_country : "NO");
  refresh_map_context (self);
}

/* ---- The mapping, applied for connectors ---- */

/* A connector maps its records through these, with its own mapping, side
 * and map context: the mapping is applied here, in one place
 * (docs/architecture.md § TdmConnector). */

JsonObject *
tdm_connector_map_native (TdmConnector *self,
                          TdmKind       kind,
                          JsonObject   *native,
                          GPtrArray    *problems)
{
  TdmConnectorPrivate *priv;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (native != NULL, NULL);

  priv = tdm_connector_get_instance_private (self);
  if (priv->mapping == NULL)
    return NULL;
  return tdm_mapping_map_fields (priv->mapping, kind, priv->side, native, &priv->map_context,
                                 problems);
}

JsonObject *
tdm_connector_unmap_fields (TdmConnector  *self,
                            TdmKind        kind,
                            JsonObject    *fields,
                            gboolean       for_create,
                            GError       **error)
{
  TdmConnectorPrivate *priv;
  g_autofree const char **only = NULL;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  priv = tdm_connector_get_instance_private (self);
  if (priv->mapping == NULL)
    return tdm_json_object_copy (fields);
  /* An update writes the fields it is given, and only those. */
  if (!for_create)
    {
      g_autoptr(GList) names = json_object_get_members (fields);
      guint i = 0;

      only = g_new0 (const char *, g_list_length (names) + 1);
      for (GList *l = names; l != NULL; l = l->next)
        only[i++] = l->data;
    }
  return tdm_mapping_unmap_fields (priv->mapping, kind, priv->side, fields, for_create,
                                   (const char * const *) only, error);
}

char *
tdm_connector_field_for_path (TdmConnector *self,
                              TdmKind       kind,
                              const char   *native_path)
{
  TdmConnectorPrivate *priv;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  priv = tdm_connector_get_instance_private (self);
  if (native_path == NULL)
    return NULL;
  if (priv->mapping == NULL)
    return g_strdup (native_path);
  return tdm_mapping_field_for_path (priv->mapping, kind, priv->side, native_path);
}

gboolean
tdm_connector_list_is_unordered (TdmConnector *self,
                                 TdmKind       kind,
                                 const char   *native_list)
{
  TdmConnectorPrivate *priv;
  g_autofree char *name = NULL;
  const TdmMappingRow *row;

  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);
  g_return_val_if_fail (native_list != NULL, FALSE);

  priv = tdm_connector_get_instance_private (self);
  if (priv->mapping == NULL)
    return FALSE;
  name = tdm_mapping_field_for_path (priv->mapping, kind, priv->side, native_list);
  row = tdm_mapping_find_row (priv->mapping, kind, name);
  return row != NULL && row->unordered;
}

/* ---- Record errors with each result ---- */

/* A record error travels with its own async result (object data on the
 * task the connector returns), never in state another call can touch: up
 * to four writes, and a record's reads on both sides, start in one
 * main-loop iteration (docs/sync.md § A run's phases). A connector attaches
 * it before it returns the task; the _finish functions hand it over. */

#define RECORD_ERROR_KEY "tdm-record-error"

void
_tdm_connector_attach_record_error (GAsyncResult   *result,
                                    TdmRecordError *error)
{
  g_return_if_fail (G_IS_ASYNC_RESULT (result));

  if (error == NULL)
    return;
  g_object_set_data_full (G_OBJECT (result), RECORD_ERROR_KEY, error,
                          (GDestroyNotify) tdm_record_error_free);
}

/* The record error that came with `result` into `*record_error` (transfer
 * full); dropped with a NULL `record_error`. */
static void
take_result_record_error (GAsyncResult    *result,
                          TdmRecordError **record_error)
{
  TdmRecordError *found;

  g_assert (G_IS_ASYNC_RESULT (result));

  found = g_object_steal_data (G_OBJECT (result), RECORD_ERROR_KEY);
  if (record_error != NULL)
    *record_error = found;
  else
    g_clear_pointer (&found, tdm_record_error_free);
}

/* ---- Public dispatchers ---- */

void
tdm_connector_list_changed_async (TdmConnector *self, TdmKind kind, const char *since,
                                  const char *cursor, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->list_changed_async (self, kind, since, cursor, cancellable,
                                                      callback, user_data);
}

TdmPage *
tdm_connector_list_changed_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  return TDM_CONNECTOR_GET_CLASS (self)->list_changed_finish (self, result, error);
}

void
tdm_connector_get_async (TdmConnector *self, TdmKind kind, const char *id,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->get_async (self, kind, id, cancellable, callback, user_data);
}

TdmRecord *
tdm_connector_get_finish (TdmConnector    *self,
                          GAsyncResult    *result,
                          TdmRecordError **record_error,
                          GError         **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  take_result_record_error (result, record_error);
  return TDM_CONNECTOR_GET_CLASS (self)->get_finish (self, result, error);
}

void
tdm_connector_create_async (TdmConnector *self, TdmKind kind, JsonObject *fields,
                            const char *op_id, const char *twin_id,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  g_return_if_fail (callback != NULL);
  TDM_CONNECTOR_GET_CLASS (self)->create_async (self, kind, fields, op_id, twin_id, cancellable,
                                                callback, user_data);
}

TdmWriteResult *
tdm_connector_create_finish (TdmConnector    *self,
                             GAsyncResult    *result,
                             TdmRecordError **record_error,
                             GError         **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  take_result_record_error (result, record_error);
  return TDM_CONNECTOR_GET_CLASS (self)->create_finish (self, result, error);
}

void
tdm_connector_update_async (TdmConnector *self, TdmKind kind, const char *id, JsonObject *fields,
                            const char *etag, const char *twin_id, const char *op_id,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  g_return_if_fail (callback != NULL);
  TDM_CONNECTOR_GET_CLASS (self)->update_async (self, kind, id, fields, etag, twin_id, op_id,
                                                cancellable, callback, user_data);
}

TdmWriteResult *
tdm_connector_update_finish (TdmConnector    *self,
                             GAsyncResult    *result,
                             TdmRecordError **record_error,
                             GError         **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  take_result_record_error (result, record_error);
  return TDM_CONNECTOR_GET_CLASS (self)->update_finish (self, result, error);
}

void
tdm_connector_delete_async (TdmConnector *self, TdmKind kind, const char *id,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  g_return_if_fail (callback != NULL);
  TDM_CONNECTOR_GET_CLASS (self)->delete_async (self, kind, id, cancellable, callback, user_data);
}

gboolean
tdm_connector_delete_finish (TdmConnector    *self,
                             GAsyncResult    *result,
                             TdmRecordError **record_error,
                             GError         **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  take_result_record_error (result, record_error);
  return TDM_CONNECTOR_GET_CLASS (self)->delete_finish (self, result, error);
}

void
tdm_connector_find_created_async (TdmConnector *self, TdmKind kind, const char *op_id,
                                  const char *twin_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->find_created_async (self, kind, op_id, twin_id, cancellable,
                                                      callback, user_data);
}

TdmRecord *
tdm_connector_find_created_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  return TDM_CONNECTOR_GET_CLASS (self)->find_created_finish (self, result, error);
}

void
tdm_connector_list_ids_async (TdmConnector *self, TdmKind kind, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->list_ids_async (self, kind, cancellable, callback, user_data);
}

GPtrArray *
tdm_connector_list_ids_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  return TDM_CONNECTOR_GET_CLASS (self)->list_ids_finish (self, result, error);
}

void
tdm_connector_test_connection_async (TdmConnector *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->test_connection_async (self, cancellable, callback, user_data);
}

TdmShopInfo *
tdm_connector_test_connection_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), NULL);
  return TDM_CONNECTOR_GET_CLASS (self)->test_connection_finish (self, result, error);
}

void
tdm_connector_prepare_async (TdmConnector *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->prepare_async (self, cancellable, callback, user_data);
}

gboolean
tdm_connector_prepare_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  return TDM_CONNECTOR_GET_CLASS (self)->prepare_finish (self, result, error);
}

guint64
tdm_connector_get_request_count (TdmConnector *self)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), 0);
  return TDM_CONNECTOR_GET_CLASS (self)->get_request_count (self);
}

gboolean
tdm_connector_can_write_batch (TdmConnector *self, TdmKind kind)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  return TDM_CONNECTOR_GET_CLASS (self)->can_write_batch (self, kind);
}

void
tdm_connector_write_batch_async (TdmConnector *self, TdmKind kind, GPtrArray *writes,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  g_return_if_fail (writes != NULL);
  TDM_CONNECTOR_GET_CLASS (self)->write_batch_async (self, kind, writes, cancellable, callback,
                                                     user_data);
}

gboolean
tdm_connector_write_batch_finish (TdmConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  return TDM_CONNECTOR_GET_CLASS (self)->write_batch_finish (self, result, error);
}

void
tdm_connector_check_api_version_async (TdmConnector *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TDM_IS_CONNECTOR (self));
  TDM_CONNECTOR_GET_CLASS (self)->check_api_version_async (self, cancellable, callback, user_data);
}

gboolean
tdm_connector_check_api_version_finish (TdmConnector *self, GAsyncResult *result,
                                        char **out_version, gint64 *out_days_left,
                                        GError **error)
{
  g_return_val_if_fail (TDM_IS_CONNECTOR (self), FALSE);
  if (out_version != NULL)
    *out_version = NULL;
  if (out_days_left != NULL)
    *out_days_left = 0;
  return TDM_CONNECTOR_GET_CLASS (self)->check_api_version_finish (self, result, out_version,
                                                                   out_days_left, error);
}
