/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Hash indexes over the stored nodes, so that finding one by id, custom id,
 * email, phone, handle or a variant's SKU, id or inventory item costs the
 * same with 10 nodes as with 30,000 (docs/testing.md, The fakes).
 *
 * The operations change nodes in place, so the indexes are kept in step
 * this way: every node a lookup returns (or an insert stores) is marked;
 * before any lookup the marked nodes are indexed again as they are now,
 * and when an operation or a test's change is over (settle) every node
 * marked during it is indexed once more, as it was left. A node changes
 * only in the operation that found it, so no change is missed. The lists
 * under a key keep creation order (the legacy id), so a lookup answers the
 * first node Shopify would.
 *
 * With TDM_FAKE_CHECK_INDEXES=1 in the environment every lookup is checked
 * against a walk over every node, as the fake found them before it had
 * indexes (slow: for checking the fake with the whole suite). */

typedef struct {
  FakeIndex  which;
  char      *key;
} IndexKey;

static void
index_key_free (gpointer data)
{
  IndexKey *k = data;

  g_free (k->key);
  g_free (k);
}

/* ---- Keys of a node ---- */

static guint64
creation_number (JsonObject *node)
{
  return g_ascii_strtoull (get_str (node, "legacyResourceId") ?: "0", NULL, 10);
}

static char *
normal_key (FakeIndex   which,
            const char *value)
{
  g_assert (value != NULL);

  if (which == FAKE_INDEX_EMAIL || which == FAKE_INDEX_PHONE)
    return g_ascii_strdown (value, -1);
  return g_strdup (value);
}

/* Adds the key once: a product holding one SKU twice is listed under it
 * once (`seen` holds "<which>:<key>"). */
static void
add_key (GPtrArray  *keys,
         GHashTable *seen,
         FakeIndex   which,
         const char *value)
{
  g_autofree char *key = NULL;
  IndexKey *k;

  g_assert (keys != NULL);
  g_assert (seen != NULL);

  if (value == NULL)
    return;
  key = normal_key (which, value);
  if (!g_hash_table_add (seen, g_strdup_printf ("%u:%s", which, key)))
    return;
  k = g_new0 (IndexKey, 1);
  k->which = which;
  k->key = g_steal_pointer (&key);
  g_ptr_array_add (keys, k);
}

/* Every key `node` (of `kind`) is found by now. */
static GPtrArray *
node_keys (TdmKind     kind,
           JsonObject *node)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (index_key_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert (kind < TDM_N_KINDS);
  g_assert (node != NULL);

  add_key (keys, seen, FAKE_INDEX_ID + kind, get_str (node, "id"));
  add_key (keys, seen, FAKE_INDEX_CUSTOM_ID + kind, get_str (get_obj (node, "webshopId"), "value"));
  if (kind == TDM_KIND_CUSTOMER)
    {
      add_key (keys, seen, FAKE_INDEX_EMAIL, get_str (get_obj (node, "defaultEmailAddress"),
                                                "emailAddress"));
      add_key (keys, seen, FAKE_INDEX_PHONE, get_str (get_obj (node, "defaultPhoneNumber"),
                                                "phoneNumber"));
    }
  else if (kind == TDM_KIND_PRODUCT)
    {
      JsonArray *vs = get_arr (get_obj (node, "variants"), "nodes");

      add_key (keys, seen, FAKE_INDEX_HANDLE, get_str (node, "handle"));
      for (guint j = 0; vs != NULL && j < json_array_get_length (vs); j++)
        {
          JsonObject *v = json_array_get_object_element (vs, j);

          add_key (keys, seen, FAKE_INDEX_SKU, get_str (v, "sku"));
          add_key (keys, seen, FAKE_INDEX_VARIANT_ID, get_str (v, "id"));
          add_key (keys, seen, FAKE_INDEX_INVENTORY_ITEM,
                   get_str (get_obj (v, "inventoryItem"), "id"));
        }
    }
  return keys;
}

/* ---- Indexing one node ---- */

static void
unindex_node (TdmFakeShopify *self,
              JsonObject     *node)
{
  GPtrArray *keys = g_hash_table_lookup (self->index_keys, node);

  g_assert (node != NULL);

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      IndexKey *k = keys->pdata[i];
      GPtrArray *list = g_hash_table_lookup (self->index[k->which], k->key);

      if (list != NULL && g_ptr_array_remove (list, node) && list->len == 0)
        g_hash_table_remove (self->index[k->which], k->key);
    }
  g_hash_table_remove (self->index_keys, node);
}

/* Adds `node` to `list`, after every node created before it. */
static void
insert_in_creation_order (GPtrArray  *list,
                          JsonObject *node)
{
  guint64 n = creation_number (node);
  guint at = list->len;

  g_assert (node != NULL);

  while (at > 0 && creation_number (list->pdata[at - 1]) > n)
    at--;
  g_ptr_array_insert (list, at, node);
}

static void
index_node (TdmFakeShopify *self,
            TdmKind         kind,
            JsonObject     *node)
{
  GPtrArray *keys;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (node != NULL);

  unindex_node (self, node);
  keys = node_keys (kind, node);
  for (guint i = 0; i < keys->len; i++)
    {
      IndexKey *k = keys->pdata[i];
      GPtrArray *list = g_hash_table_lookup (self->index[k->which], k->key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->index[k->which], g_strdup (k->key), list);
        }
      insert_in_creation_order (list, node);
    }
  g_hash_table_insert (self->index_keys, node, keys);
}

/* ---- Marks ---- */

void
_tdm_fake_shopify_index_init (TdmFakeShopify *self)
{
  for (guint i = 0; i < FAKE_N_INDEXES; i++)
    self->index[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->index_keys = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->index_dirty = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->index_held = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->index_check = g_strcmp0 (g_getenv ("TDM_FAKE_CHECK_INDEXES"), "1") == 0;
}

void
_tdm_fake_shopify_index_clear (TdmFakeShopify *self)
{
  for (guint i = 0; i < FAKE_N_INDEXES; i++)
    g_clear_pointer (&self->index[i], g_hash_table_unref);
  g_clear_pointer (&self->index_keys, g_hash_table_unref);
  g_clear_pointer (&self->index_dirty, g_hash_table_unref);
  g_clear_pointer (&self->index_held, g_hash_table_unref);
}

void
_tdm_fake_shopify_index_mark (TdmFakeShopify *self,
                              TdmKind         kind,
                              JsonObject     *node)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (kind < TDM_N_KINDS);

  if (node != NULL && !g_hash_table_contains (self->index_held, node))
    g_hash_table_insert (self->index_dirty, node, GUINT_TO_POINTER (kind + 1));
}

/* Indexes the nodes marked since the last lookup as they are now; they
 * stay held until the operation settles. */
static void
refresh (TdmFakeShopify *self)
{
  GHashTableIter iter;
  gpointer node, kind;

  if (g_hash_table_size (self->index_dirty) == 0)
    return;
  g_hash_table_iter_init (&iter, self->index_dirty);
  while (g_hash_table_iter_next (&iter, &node, &kind))
    {
      index_node (self, GPOINTER_TO_UINT (kind) - 1, node);
      g_hash_table_insert (self->index_held, node, kind);
      g_hash_table_iter_remove (&iter);
    }
}

void
_tdm_fake_shopify_index_settle (TdmFakeShopify *self)
{
  GHashTableIter iter;
  gpointer node, kind;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  refresh (self);
  g_hash_table_iter_init (&iter, self->index_held);
  while (g_hash_table_iter_next (&iter, &node, &kind))
    index_node (self, GPOINTER_TO_UINT (kind) - 1, node);
  g_hash_table_remove_all (self->index_held);
}

void
_tdm_fake_shopify_index_forget (TdmFakeShopify *self,
                                JsonObject     *node)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (node != NULL);

  unindex_node (self, node);
  g_hash_table_remove (self->index_dirty, node);
  g_hash_table_remove (self->index_held, node);
}

/* ---- Lookups ---- */

static gboolean
node_has_key (TdmKind     kind,
              JsonObject *node,
              FakeIndex   which,
              const char *key)
{
  g_autoptr(GPtrArray) keys = node_keys (kind, node);

  for (guint i = 0; i < keys->len; i++)
    {
      IndexKey *k = keys->pdata[i];

      if (k->which == which && strcmp (k->key, key) == 0)
        return TRUE;
    }
  return FALSE;
}

/* TDM_FAKE_CHECK_INDEXES: the nodes a walk finds are the indexed ones. */
static void
check_lookup (TdmFakeShopify *self,
              FakeIndex       which,
              const char     *key,
              GPtrArray      *found)
{
  g_autoptr(GPtrArray) walked = g_ptr_array_new ();
  guint n = found != NULL ? found->len : 0;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    for (guint i = 0; i < self->records[k]->len; i++)
      if (node_has_key (k, self->records[k]->pdata[i], which, key))
        g_ptr_array_add (walked, self->records[k]->pdata[i]);
  if (walked->len != n)
    g_error ("fake Shopify index %u, key %s: %u nodes indexed, %u stored", which, key, n,
             walked->len);
  for (guint i = 0; i < n; i++)
    if (walked->pdata[i] != found->pdata[i])
      g_error ("fake Shopify index %u, key %s: node %u differs", which, key, i);
}

GPtrArray *
_tdm_fake_shopify_index_lookup (TdmFakeShopify *self,
                                FakeIndex       which,
                                const char     *value)
{
  g_autofree char *key = NULL;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (which < FAKE_N_INDEXES);

  if (value == NULL)
    return NULL;
  refresh (self);
  key = normal_key (which, value);
  if (self->index_check)
    check_lookup (self, which, key, g_hash_table_lookup (self->index[which], key));
  return g_hash_table_lookup (self->index[which], key);
}
