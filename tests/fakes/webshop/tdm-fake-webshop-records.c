/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* The fake's records: timestamps and JSON helpers, the store of records,
 * tombstones and ids, and the API tests use to change the shop "from its
 * admin" (seed, update, delete) and to look into it. */

/* ---- Time and JSON ---- */

char *
_tdm_fake_webshop_timestamp (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* RFC 3339 with any offset → "…Z" UTC, seconds precision; NULL if invalid. */
char *
_tdm_fake_webshop_normalize_timestamp (const char *value)
{
  g_autoptr(GDateTime) dt = NULL;

  if (value == NULL)
    return NULL;
  dt = g_date_time_new_from_iso8601 (value, NULL);
  if (dt == NULL)
    return NULL;
  return _tdm_fake_webshop_timestamp (dt);
}

/* A new updated_at: now, but always after `previous` so every write moves
 * the record forward in (updated_at, id) order. */
static char *
next_timestamp (const char *previous)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_str = _tdm_fake_webshop_timestamp (now);

  if (previous != NULL && g_strcmp0 (now_str, previous) <= 0)
    {
      g_autoptr(GDateTime) prev = g_date_time_new_from_iso8601 (previous, NULL);
      g_autoptr(GDateTime) later = prev ? g_date_time_add_seconds (prev, 1) : NULL;

      if (later != NULL)
        return _tdm_fake_webshop_timestamp (later);
    }
  return g_steal_pointer (&now_str);
}

static void
canonical_append (GString  *out,
                  JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = g_list_sort (json_object_get_members (object),
                                              (GCompareFunc) g_strcmp0);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
          g_autofree char *key_str = json_to_string (key, FALSE);

          if (l != members)
            g_string_append_c (out, ',');
          g_string_append_printf (out, "%s:", key_str);
          canonical_append (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          canonical_append (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
      return;
    }
  {
    g_autofree char *value = json_to_string (node, FALSE);

    g_string_append (out, value);
  }
}

char *
_tdm_fake_webshop_canonical_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  canonical_append (out, node);
  return g_string_free (out, FALSE);
}

JsonObject *
_tdm_fake_webshop_object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

const char *
_tdm_fake_webshop_get_string (JsonObject *object,
                              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ---- Records, ids, tombstones ---- */

const TdmWebshopResource *
_tdm_fake_webshop_resource (TdmFakeWebshop *self,
                            TdmKind         kind)
{
  return &self->profile->resources[kind];
}

char *
_tdm_fake_webshop_record_id (TdmFakeWebshop *self,
                             TdmKind         kind,
                             JsonObject     *record)
{
  return tdm_webshop_json_dup_string (record, _tdm_fake_webshop_resource (self, kind)->id_field);
}

char *
_tdm_fake_webshop_record_updated_at (TdmFakeWebshop *self,
                                     TdmKind         kind,
                                     JsonObject     *record)
{
  return tdm_webshop_json_dup_string (record, _tdm_fake_webshop_resource (self,
                                      kind)->updated_at_field);
}

void
_tdm_fake_webshop_set_string (JsonObject *object,
                              const char *path,
                              const char *value)
{
  tdm_webshop_json_set_path (object, path, json_node_init_string (json_node_alloc (), value));
}

void
_tdm_fake_webshop_stamp_write (TdmFakeWebshop *self,
                               TdmKind         kind,
                               JsonObject     *record,
                               const char     *previous_updated_at)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  g_autofree char *updated = next_timestamp (previous_updated_at);
  guint64 version = ++self->etag_counter;
  g_autofree char *etag = g_strdup_printf ("%" G_GUINT64_FORMAT "-%08x", version,
                                           g_str_hash (updated) ^ (guint) version);

  _tdm_fake_webshop_set_string (record, res->updated_at_field, updated);
  _tdm_fake_webshop_set_string (record, res->etag_field, etag);
}

char *
_tdm_fake_webshop_new_id (TdmFakeWebshop *self,
                          TdmKind         kind)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id[kind]++);
}

static void
note_seeded_id (TdmFakeWebshop *self,
                TdmKind         kind,
                const char     *id)
{
  guint64 value;

  if (g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT64 - 1, &value, NULL)
      && value >= self->next_id[kind])
    self->next_id[kind] = value + 1;
}

/* Sorted (updated_at, id) list of borrowed records. */
GPtrArray *
_tdm_fake_webshop_sorted_records (TdmFakeWebshop *self,
                                  TdmKind         kind)
{
  GPtrArray *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->records[kind]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (items, value);
  tdm_webshop_sort_records (items, _tdm_fake_webshop_resource (self, kind));
  return items;
}

void
_tdm_fake_webshop_tombstone_free (Tombstone *t)
{
  g_free (t->id);
  g_free (t->deleted_at);
  g_free (t);
}

void
_tdm_fake_webshop_idempotent_result_free (IdempotentResult *r)
{
  g_free (r->body_canonical);
  g_free (r->response);
  g_free (r);
}

void
_tdm_fake_webshop_add_tombstone (TdmFakeWebshop *self,
                                 TdmKind         kind,
                                 const char     *id)
{
  Tombstone *t = g_new0 (Tombstone, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  t->id = g_strdup (id);
  t->deleted_at = _tdm_fake_webshop_timestamp (now);
  g_ptr_array_add (self->tombstones[kind], t);
}

/* ---- The shop's own admin, and looking into it ---- */

char *
tdm_fake_webshop_seed (TdmFakeWebshop *self,
                       TdmKind         kind,
                       JsonObject     *record)
{
  const TdmWebshopResource *res;
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *id = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *etag = NULL;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  res = _tdm_fake_webshop_resource (self, kind);
  copy = _tdm_fake_webshop_object_copy (record);
  id = _tdm_fake_webshop_record_id (self, kind, copy);
  if (id == NULL)
    {
      id = _tdm_fake_webshop_new_id (self, kind);
      _tdm_fake_webshop_set_string (copy, res->id_field, id);
    }
  else
    note_seeded_id (self, kind, id);

  updated = _tdm_fake_webshop_record_updated_at (self, kind, copy);
  if (updated == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      updated = _tdm_fake_webshop_timestamp (now);
      _tdm_fake_webshop_set_string (copy, res->updated_at_field, updated);
    }
  else
    {
      g_autofree char *normal = _tdm_fake_webshop_normalize_timestamp (updated);

      if (normal != NULL)
        _tdm_fake_webshop_set_string (copy, res->updated_at_field, normal);
    }
  if (!json_object_has_member (copy, "created_at"))
    json_object_set_string_member (copy, "created_at", updated);
  etag = tdm_webshop_json_dup_string (copy, res->etag_field);
  if (etag == NULL)
    {
      etag = g_strdup_printf ("%" G_GUINT64_FORMAT "-seed", ++self->etag_counter);
      _tdm_fake_webshop_set_string (copy, res->etag_field, etag);
    }
  if (kind == TDM_KIND_ORDER)
    {
      g_autofree char *number = tdm_webshop_json_dup_string (copy, "number");
      guint64 n;

      if (number != NULL && g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT32, &n, NULL)
          && n >= self->next_order_number)
        self->next_order_number = n + 1;
    }

  _tdm_fake_webshop_put_record (self, kind, id, g_steal_pointer (&copy));
  return g_steal_pointer (&id);
}

gboolean
tdm_fake_webshop_update (TdmFakeWebshop *self,
                         TdmKind         kind,
                         const char     *id,
                         JsonObject     *patch)
{
  JsonObject *record;
  g_autoptr(GList) members = NULL;
  g_autofree char *previous = NULL;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  record = g_hash_table_lookup (self->records[kind], id);
  if (record == NULL)
    return FALSE;
  if (patch != NULL)
    members = json_object_get_members (patch);
  _tdm_fake_webshop_unindex_record (self, kind, id);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (record, l->data,
                            json_node_copy (json_object_get_member (patch, l->data)));
  _tdm_fake_webshop_reindex_record (self, kind, id);
  previous = _tdm_fake_webshop_record_updated_at (self, kind, record);
  _tdm_fake_webshop_stamp_write (self, kind, record, previous);
  return TRUE;
}

gboolean
tdm_fake_webshop_delete (TdmFakeWebshop *self,
                         TdmKind         kind,
                         const char     *id)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  if (!_tdm_fake_webshop_remove_record (self, kind, id))
    return FALSE;
  _tdm_fake_webshop_add_tombstone (self, kind, id);
  return TRUE;
}

JsonObject *
tdm_fake_webshop_get_record (TdmFakeWebshop *self,
                             TdmKind         kind,
                             const char     *id)
{
  JsonObject *record;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  /* A deep copy: a test changing it must not change the shop. */
  record = g_hash_table_lookup (self->records[kind], id);
  return record ? tdm_json_object_copy (record) : NULL;
}

GPtrArray *
tdm_fake_webshop_get_records (TdmFakeWebshop *self,
                              TdmKind         kind)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GPtrArray *copies;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  sorted = _tdm_fake_webshop_sorted_records (self, kind);
  copies = g_ptr_array_new_full (sorted->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (copies, tdm_json_object_copy (sorted->pdata[i]));
  return copies;
}

guint
tdm_fake_webshop_count (TdmFakeWebshop *self,
                        TdmKind         kind)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), 0);
  g_return_val_if_fail (kind < TDM_N_KINDS, 0);

  return g_hash_table_size (self->records[kind]);
}
