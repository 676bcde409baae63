/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* The stored nodes: kept per kind in Tandem's read shape (the fields the
 * documents select), with GIDs and legacy ids, found by id, by the
 * $app:tandem.webshop_id custom id or by an upsert's identifier
 * (docs/shopify.md, Upserts by custom id). */

static const char * const type_names[TDM_N_KINDS] = { "Customer", "Product", "Order" };

/* ---- Lookups ---- */

/* Found through the indexes (tdm-fake-shopify-index.c); every node found is
 * marked, as the operation may change it. */

/* The first node under `value` in index `which` whose member `m` (or the
 * member `inner` of its object member `m`) is exactly `value`. */
static JsonObject *
find_indexed (TdmFakeShopify *self,
              TdmKind         kind,
              FakeIndex       which,
              const char     *m,
              const char     *inner,
              const char     *value)
{
  GPtrArray *list = _tdm_fake_shopify_index_lookup (self, which, value);

  g_assert (kind < TDM_N_KINDS);
  g_assert (m != NULL);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      JsonObject *n = list->pdata[i];
      const char *have = inner != NULL ? get_str (get_obj (n, m), inner) : get_str (n, m);

      if (g_strcmp0 (have, value) == 0)
        {
          _tdm_fake_shopify_index_mark (self, kind, n);
          return n;
        }
    }
  return NULL;
}

JsonObject *
_tdm_fake_shopify_find_by_id (TdmFakeShopify *self,
                              TdmKind         kind,
                              const char     *id)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (kind < TDM_N_KINDS);

  return find_indexed (self, kind, FAKE_INDEX_ID + kind, "id", NULL, id);
}

JsonObject *
_tdm_fake_shopify_find_by_custom_id (TdmFakeShopify *self,
                                     TdmKind         kind,
                                     const char     *value)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (kind < TDM_N_KINDS);

  return find_indexed (self, kind, FAKE_INDEX_CUSTOM_ID + kind, "webshopId", "value", value);
}

JsonObject *
_tdm_fake_shopify_find_owner (TdmFakeShopify *self,
                              const char     *gid,
                              TdmKind        *kind)
{
  g_assert (kind != NULL);

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      JsonObject *n = _tdm_fake_shopify_find_by_id (self, k, gid);
      if (n != NULL)
        {
          *kind = k;
          return n;
        }
    }
  return NULL;
}

void
_tdm_fake_shopify_remove_node (TdmFakeShopify *self,
                               TdmKind         kind,
                               JsonObject     *node)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (kind < TDM_N_KINDS);
  g_assert (node != NULL);

  _tdm_fake_shopify_index_forget (self, node);
  g_ptr_array_remove (self->records[kind], node);
}

JsonObject *
_tdm_fake_shopify_identify (TdmFakeShopify *self,
                            TdmKind         kind,
                            JsonObject     *identifier,
                            gboolean       *not_found)
{
  JsonObject *custom = get_obj (identifier, "customId");

  g_assert (not_found != NULL);

  *not_found = FALSE;
  if (identifier == NULL)
    return NULL;
  if (get_str (identifier, "id") != NULL)
    {
      JsonObject *n = _tdm_fake_shopify_find_by_id (self, kind, get_str (identifier, "id"));
      *not_found = n == NULL;
      return n;
    }
  if (custom != NULL)
    return _tdm_fake_shopify_find_by_custom_id (self, kind, get_str (custom, "value"));
  /* Only customers have an email, only products a handle. */
  if (get_str (identifier, "email") != NULL && kind == TDM_KIND_CUSTOMER)
    {
      JsonObject *n = find_indexed (self, kind, FAKE_INDEX_EMAIL, "defaultEmailAddress",
                                    "emailAddress", get_str (identifier, "email"));
      if (n != NULL)
        return n;
    }
  if (get_str (identifier, "handle") != NULL && kind == TDM_KIND_PRODUCT)
    return find_indexed (self, kind, FAKE_INDEX_HANDLE, "handle", NULL,
                         get_str (identifier, "handle"));
  return NULL;
}

/* ---- Ids and changes ---- */

char *
_tdm_fake_shopify_new_gid (TdmFakeShopify *self,
                           const char     *type,
                           char          **legacy)
{
  guint64 n = ++self->next_id;

  g_assert (type != NULL);

  if (legacy != NULL)
    *legacy = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  return g_strdup_printf ("gid://shopify/%s/%" G_GUINT64_FORMAT, type, n);
}

void
_tdm_fake_shopify_touch (JsonObject *node)
{
  g_autofree char *stamp = _tdm_fake_shopify_now_stamp ();

  g_assert (node != NULL);

  json_object_set_string_member (node, "updatedAt", stamp);
}

void
_tdm_fake_shopify_set_webshop_id (JsonObject *node,
                                  const char *value)
{
  JsonObject *mf;

  g_assert (node != NULL);

  if (value == NULL)
    {
      json_object_set_null_member (node, "webshopId");
      return;
    }
  mf = json_object_new ();
  json_object_set_string_member (mf, "value", value);
  json_object_set_object_member (node, "webshopId", mf);
}

/* ---- Insert ---- */

/* Fills what Shopify would answer for members the node does not have. */
static void
complete_node (TdmFakeShopify *self,
               TdmKind         kind,
               JsonObject     *node)
{
  g_assert (kind < TDM_N_KINDS);
  g_assert (node != NULL);

  if (!json_object_has_member (node, "updatedAt"))
    _tdm_fake_shopify_touch (node);
  if (!json_object_has_member (node, "tags"))
    json_object_set_array_member (node, "tags", json_array_new ());
  if (!json_object_has_member (node, "webshopId"))
    json_object_set_null_member (node, "webshopId");

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      _tdm_fake_shopify_complete_customer (node);
      break;
    case TDM_KIND_PRODUCT:
      _tdm_fake_shopify_complete_product (self, node);
      break;
    case TDM_KIND_ORDER:
    default:
      _tdm_fake_shopify_complete_order (self, node);
      break;
    }
}

JsonObject *
_tdm_fake_shopify_insert_node (TdmFakeShopify *self,
                               TdmKind         kind,
                               JsonObject     *node)   /* transfer full */
{
  g_autofree char *legacy = NULL;
  g_autofree char *id = NULL;
  JsonObject *stored = json_object_new ();
  GList *members;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (kind < TDM_N_KINDS);
  g_assert (node != NULL);

  id = _tdm_fake_shopify_new_gid (self, type_names[kind], &legacy);
  members = json_object_get_members (node);
  /* id and legacyResourceId first, like Shopify's field order. */
  json_object_set_string_member (stored, "id", id);
  json_object_set_string_member (stored, "legacyResourceId", legacy);
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "id") != 0 && strcmp (l->data, "legacyResourceId") != 0)
      json_object_set_member (stored, l->data,
                              tdm_json_node_copy_deep (json_object_get_member (node, l->data)));
  g_list_free (members);
  json_object_unref (node);
  complete_node (self, kind, stored);
  g_ptr_array_add (self->records[kind], stored);
  _tdm_fake_shopify_index_mark (self, kind, stored);
  return stored;
}

/* ---- Inputs ---- */

JsonObject *
_tdm_fake_shopify_address_from_input (JsonObject *in)
{
  static const char * const keys[] = { "firstName", "lastName", "company", "address1", "address2",
                                       "city", "provinceCode", "zip", NULL };
  JsonObject *a = json_object_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    _tdm_fake_shopify_set_str_or_null (a, keys[i], get_str (in, keys[i]));
  _tdm_fake_shopify_set_str_or_null (a, "countryCodeV2", get_str (in, "countryCode"));
  _tdm_fake_shopify_set_str_or_null (a, "phone", get_str (in, "phone"));
  return a;
}

void
_tdm_fake_shopify_complete_address (JsonObject *a)
{
  static const char * const keys[] = { "firstName", "lastName", "company", "address1", "address2",
                                       "city", "provinceCode", "zip", "countryCodeV2", "phone",
                                       NULL };

  g_assert (a != NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    if (!json_object_has_member (a, keys[i]))
      json_object_set_null_member (a, keys[i]);
}

gboolean
_tdm_fake_shopify_email_valid (const char *email)
{
  const char *at;

  if (email == NULL)
    return TRUE;
  at = strchr (email, '@');
  return at != NULL && at != email && strchr (at + 1, '@') == NULL
         && strchr (at + 1, '.') != NULL && strchr (email, ' ') == NULL
         && !g_str_has_suffix (email, ".");
}

gboolean
_tdm_fake_shopify_phone_valid (const char *phone)
{
  gsize len;

  if (phone == NULL)
    return TRUE;
  len = strlen (phone);
  if (len < 8 || len > 16 || phone[0] != '+' || phone[1] == '0')
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isdigit (phone[i]))
      return FALSE;
  return TRUE;
}

const char *
_tdm_fake_shopify_metafield_value (JsonArray  *metafields,
                                   const char *key)
{
  for (guint i = 0; metafields != NULL && i < json_array_get_length (metafields); i++)
    {
      JsonObject *mf = json_array_get_object_element (metafields, i);
      if (g_strcmp0 (get_str (mf, "key"), key) == 0)
        return get_str (mf, "value");
    }
  return NULL;
}

gboolean
_tdm_fake_shopify_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}
