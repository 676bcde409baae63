/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* The values a real shop keeps unique (a customer's email, compared
 * without case or surrounding space; every SKU of a product) and an index
 * of them: unique value → the ids of the records holding it, kept in step
 * by every change to the records (put, remove, the admin's in-place
 * update). A 409 names another record holding one of the values
 * (docs/webshop-api.md); found in the index, not by a walk over every
 * record, so a first sync of tens of thousands stays linear (docs/testing.md,
 * The fakes). With TDM_FAKE_CHECK_INDEXES=1 in the environment every 409
 * check is also made by a walk over every record and the two compared. */

/* ---- Unique values ---- */

static void
collect_skus (JsonObject *record,
              GPtrArray  *skus)
{
  const char *sku = _tdm_fake_webshop_get_string (record, "sku");
  JsonNode *variants = json_object_get_member (record, "variants");

  g_assert (record != NULL);
  g_assert (skus != NULL);

  if (sku != NULL && *sku != '\0')
    g_ptr_array_add (skus, g_strdup (sku));
  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (variants)); i++)
      {
        JsonNode *v = json_array_get_element (json_node_get_array (variants), i);
        const char *vsku = JSON_NODE_HOLDS_OBJECT (v)
                           ? _tdm_fake_webshop_get_string (json_node_get_object (v), "sku") : NULL;

        if (vsku != NULL && *vsku != '\0')
          g_ptr_array_add (skus, g_strdup (vsku));
      }
}

/* The unique values of `record` as index keys (an email stripped and in
 * lower case); `out_field` (nullable) gets the field they come from. */
static GPtrArray *
unique_keys (TdmKind      kind,
             JsonObject  *record,
             const char **out_field)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  const char *field = NULL;

  g_assert (record != NULL);

  if (kind == TDM_KIND_CUSTOMER)
    {
      const char *email = _tdm_fake_webshop_get_string (record, "email");

      field = "email";
      if (email != NULL)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (email));

          g_ptr_array_add (keys, g_ascii_strdown (stripped, -1));
        }
    }
  else if (kind == TDM_KIND_PRODUCT)
    {
      field = "sku";
      collect_skus (record, keys);
    }
  if (out_field != NULL)
    *out_field = field;
  return keys;
}

/* ---- The index ---- */

static void
index_record (TdmFakeWebshop *self,
              TdmKind         kind,
              const char     *id,
              JsonObject     *record)
{
  g_autoptr(GPtrArray) keys = unique_keys (kind, record, NULL);

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert (id != NULL);

  for (guint i = 0; i < keys->len; i++)
    {
      GHashTable *ids = g_hash_table_lookup (self->unique[kind], keys->pdata[i]);

      if (ids == NULL)
        {
          ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (self->unique[kind], g_strdup (keys->pdata[i]), ids);
        }
      g_hash_table_add (ids, g_strdup (id));
    }
}

void
_tdm_fake_webshop_unindex_record (TdmFakeWebshop *self,
                                  TdmKind         kind,
                                  const char     *id)
{
  JsonObject *record = g_hash_table_lookup (self->records[kind], id);
  g_autoptr(GPtrArray) keys = NULL;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  if (record == NULL)
    return;
  keys = unique_keys (kind, record, NULL);
  for (guint i = 0; i < keys->len; i++)
    {
      GHashTable *ids = g_hash_table_lookup (self->unique[kind], keys->pdata[i]);

      if (ids != NULL && g_hash_table_remove (ids, id) && g_hash_table_size (ids) == 0)
        g_hash_table_remove (self->unique[kind], keys->pdata[i]);
    }
}

void
_tdm_fake_webshop_reindex_record (TdmFakeWebshop *self,
                                  TdmKind         kind,
                                  const char     *id)
{
  JsonObject *record = g_hash_table_lookup (self->records[kind], id);

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  if (record != NULL)
    index_record (self, kind, id, record);
}

void
_tdm_fake_webshop_put_record (TdmFakeWebshop *self,
                              TdmKind         kind,
                              const char     *id,
                              JsonObject     *record)
{
  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (id != NULL);
  g_assert (record != NULL);

  _tdm_fake_webshop_unindex_record (self, kind, id);
  index_record (self, kind, id, record);
  g_hash_table_replace (self->records[kind], g_strdup (id), record);
}

gboolean
_tdm_fake_webshop_remove_record (TdmFakeWebshop *self,
                                 TdmKind         kind,
                                 const char     *id)
{
  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  _tdm_fake_webshop_unindex_record (self, kind, id);
  return g_hash_table_remove (self->records[kind], id);
}

/* ---- 409 ---- */

/* The answer without the index: a walk over every record. */
static gboolean
walk_finds_duplicate (TdmFakeWebshop *self,
                      TdmKind         kind,
                      GPtrArray      *mine,
                      const char     *self_id)
{
  GHashTableIter iter;
  gpointer id, record;

  g_hash_table_iter_init (&iter, self->records[kind]);
  while (g_hash_table_iter_next (&iter, &id, &record))
    {
      g_autoptr(GPtrArray) theirs = NULL;

      if (g_strcmp0 (id, self_id) == 0)
        continue;
      theirs = unique_keys (kind, record, NULL);
      for (guint i = 0; i < mine->len; i++)
        for (guint j = 0; j < theirs->len; j++)
          if (strcmp (mine->pdata[i], theirs->pdata[j]) == 0)
            return TRUE;
    }
  return FALSE;
}

static char *
find_indexed_duplicate (TdmFakeWebshop *self,
                        TdmKind         kind,
                        GPtrArray      *keys,
                        const char     *self_id)
{
  for (guint i = 0; i < keys->len; i++)
    {
      GHashTable *ids = g_hash_table_lookup (self->unique[kind], keys->pdata[i]);
      GHashTableIter iter;
      gpointer other;

      if (ids == NULL)
        continue;
      g_hash_table_iter_init (&iter, ids);
      while (g_hash_table_iter_next (&iter, &other, NULL))
        if (g_strcmp0 (other, self_id) != 0)
          return g_strdup (other);
    }
  return NULL;
}

char *
_tdm_fake_webshop_find_duplicate (TdmFakeWebshop *self,
                                  TdmKind         kind,
                                  JsonObject     *record,
                                  const char     *self_id,
                                  const char    **out_field)
{
  g_autoptr(GPtrArray) keys = NULL;
  char *found;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert (out_field != NULL);

  keys = unique_keys (kind, record, out_field);
  found = find_indexed_duplicate (self, kind, keys, self_id);
  if (g_strcmp0 (g_getenv ("TDM_FAKE_CHECK_INDEXES"), "1") == 0
      && (found != NULL) != walk_finds_duplicate (self, kind, keys, self_id))
    g_error ("fake webshop unique index: %s for a %s, a walk says otherwise",
             found != NULL ? found : "no duplicate", tdm_kind_to_string (kind));
  return found;
}
