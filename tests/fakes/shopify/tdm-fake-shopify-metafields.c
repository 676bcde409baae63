/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Metafields: metafieldsSet (all or nothing; the webshop_id custom id is
 * unique per kind) and the app's metafield definitions (docs/shopify.md,
 * Upserts by custom id and Metafield definitions). */

/* ---- The shop's own metafields ---- */

void
tdm_fake_shopify_set_metafield (TdmFakeShopify *self,
                                const char     *owner,
                                const char     *namespace_,
                                const char     *key,
                                const char     *value)
{
  GHashTable *mine;

  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));
  g_return_if_fail (owner != NULL && namespace_ != NULL && key != NULL && value != NULL);

  mine = g_hash_table_lookup (self->shop_metafields, owner);
  if (mine == NULL)
    {
      mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (self->shop_metafields, g_strdup (owner), mine);
    }
  g_hash_table_insert (mine, g_strconcat (namespace_, ".", key, NULL), g_strdup (value));
}

const char *
tdm_fake_shopify_get_metafield (TdmFakeShopify *self,
                                const char     *owner,
                                const char     *namespace_,
                                const char     *key)
{
  g_autofree char *name = NULL;
  GHashTable *mine;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);
  g_return_val_if_fail (owner != NULL && namespace_ != NULL && key != NULL, NULL);

  mine = g_hash_table_lookup (self->shop_metafields, owner);
  name = g_strconcat (namespace_, ".", key, NULL);
  return mine != NULL ? g_hash_table_lookup (mine, name) : NULL;
}

gboolean
_tdm_fake_shopify_metafield_listed (JsonArray  *metafields,
                                    const char *name)
{
  for (guint i = 0; i < json_array_get_length (metafields); i++)
    {
      JsonObject *mf = json_array_get_object_element (metafields, i);
      const char *ns = get_str (mf, "namespace");
      g_autofree char *listed = NULL;

      if (g_strcmp0 (ns, "$app:tandem") == 0)
        ns = APP_NAMESPACE_RESOLVED;
      listed = g_strconcat (ns != NULL ? ns : "", ".", get_str (mf, "key"), NULL);
      if (g_strcmp0 (listed, name) == 0)
        return TRUE;
    }
  return FALSE;
}

void
_tdm_fake_shopify_keep_metafields (TdmFakeShopify *self,
                                   const char     *owner,
                                   JsonArray      *metafields)
{
  GHashTable *mine;
  GHashTableIter iter;
  gpointer name;

  g_assert (metafields != NULL);

  mine = owner != NULL ? g_hash_table_lookup (self->shop_metafields, owner) : NULL;
  if (mine == NULL)
    return;
  g_hash_table_iter_init (&iter, mine);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!_tdm_fake_shopify_metafield_listed (metafields, name))
      g_hash_table_iter_remove (&iter);
}

/* ---- metafieldsSet ---- */

/* The userErrors of a metafieldsSet, added to `errors`: owners that do not
 * exist and custom ids another record holds. */
static void
check_metafields (TdmFakeShopify *self,
                  JsonArray      *mfs,
                  JsonArray      *errors)
{
  g_assert (errors != NULL);

  for (guint i = 0; mfs != NULL && i < json_array_get_length (mfs); i++)
    {
      JsonObject *mf = json_array_get_object_element (mfs, i);
      TdmKind kind;
      JsonObject *owner = _tdm_fake_shopify_find_owner (self, get_str (mf, "ownerId"), &kind);
      g_autofree char *index = g_strdup_printf ("%u", i);
      JsonObject *other;

      if (owner == NULL
          && _tdm_fake_shopify_variant_by (self, "id", get_str (mf, "ownerId"), NULL) != NULL)
        continue;
      if (owner == NULL)
        {
          _tdm_fake_shopify_add_user_error (errors, "Owner does not exist", "INVALID", "metafields",
                                            index, "ownerId", NULL);
          continue;
        }
      if (g_strcmp0 (get_str (mf, "key"), "webshop_id") != 0)
        continue;
      other = _tdm_fake_shopify_find_by_custom_id (self, kind, get_str (mf, "value"));
      if (other != NULL && other != owner)
        _tdm_fake_shopify_add_user_error (errors, "Value has already been taken", "TAKEN",
                                          "metafields", index, "value", NULL);
    }
}

/* Sets the metafields (all owners exist) and returns what Shopify answers
 * for them. */
static JsonArray *
apply_metafields (TdmFakeShopify *self,
                  JsonArray      *mfs)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; mfs != NULL && i < json_array_get_length (mfs); i++)
    {
      JsonObject *mf = json_array_get_object_element (mfs, i);
      TdmKind kind;
      JsonObject *owner = _tdm_fake_shopify_find_owner (self, get_str (mf, "ownerId"), &kind);
      JsonObject *res = json_object_new ();
      g_autofree char *id = _tdm_fake_shopify_new_gid (self, "Metafield", NULL);
      JsonObject *variant = NULL;

      if (owner == NULL)
        variant = _tdm_fake_shopify_variant_by (self, "id", get_str (mf, "ownerId"), &owner);
      g_assert (owner != NULL);   /* checked by check_metafields () */
      if (variant != NULL && g_strcmp0 (get_str (mf, "key"), "price_excl_vat") == 0)
        {
          JsonObject *value = json_object_new ();

          json_object_set_string_member (value, "value", get_str (mf, "value"));
          json_object_set_object_member (variant, "priceExclVat", value);
        }
      else if (variant != NULL)
        tdm_fake_shopify_set_metafield (self, get_str (mf, "ownerId"),
                                        get_str (mf, "namespace") ? get_str (mf, "namespace") : "",
                                        get_str (mf, "key"), get_str (mf, "value"));
      else if (g_strcmp0 (get_str (mf, "key"), "webshop_id") == 0)
        _tdm_fake_shopify_set_webshop_id (owner, get_str (mf, "value"));
      else
        tdm_fake_shopify_set_metafield (self, get_str (mf, "ownerId"),
                                        get_str (mf, "namespace") ? get_str (mf, "namespace") : "",
                                        get_str (mf, "key"), get_str (mf, "value"));
      _tdm_fake_shopify_touch (owner);
      json_object_set_string_member (res, "id", id);
      json_object_set_string_member (res, "namespace", APP_NAMESPACE_RESOLVED);
      json_object_set_string_member (res, "key", get_str (mf, "key"));
      json_object_set_string_member (res, "value", get_str (mf, "value"));
      json_array_add_object_element (out, res);
    }
  return out;
}

/* mutation MetafieldsSet($metafields) */
void
_tdm_fake_shopify_op_metafields_set (FakeCall *call)
{
  JsonArray *mfs = get_arr (call->vars, "metafields");
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  check_metafields (call->self, mfs, errors);
  if (json_array_get_length (errors) == 0)
    json_object_set_array_member (p, "metafields", apply_metafields (call->self, mfs));
  else
    json_object_set_null_member (p, "metafields");
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "metafieldsSet", p);
}

/* ---- Definitions ---- */

/* mutation MetafieldDefinitionCreate($definition): TAKEN when it exists. */
void
_tdm_fake_shopify_op_definition_create (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *def = get_obj (call->vars, "definition");
  g_autofree char *key = g_strdup_printf ("%s/%s/%s", get_str (def, "ownerType"),
                                          get_str (def, "namespace"), get_str (def, "key"));
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  if (g_hash_table_contains (self->definitions, key))
    {
      g_autofree char *msg = g_strdup_printf ("Key is in use for %s metafields on the '%s' "
                                              "namespace.", get_str (def, "ownerType"),
                                              APP_NAMESPACE_RESOLVED);
      _tdm_fake_shopify_add_user_error (errors, msg, "TAKEN", "definition", "key", NULL);
      json_object_set_null_member (p, "createdDefinition");
    }
  else
    {
      JsonObject *created = json_object_new ();
      g_autofree char *gid = _tdm_fake_shopify_new_gid (self, "MetafieldDefinition", NULL);
      g_hash_table_insert (self->definitions, g_steal_pointer (&key), g_strdup (gid));
      json_object_set_string_member (created, "id", gid);
      json_object_set_object_member (p, "createdDefinition", created);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "metafieldDefinitionCreate", p);
}

/* query MetafieldDefinitions: the app's definitions per owner type. */
void
_tdm_fake_shopify_op_definitions (FakeCall *call)
{
  static const struct { const char *alias; const char *owner; } owners[] = {
    { "customer", "CUSTOMER" }, { "product", "PRODUCT" }, { "order", "ORDER" },
    { "variant", "PRODUCTVARIANT" },
  };
  GHashTableIter iter;
  gpointer key, value;

  g_assert (fake_call_is_ready (call));

  call->actual = 2;
  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      JsonArray *nodes = json_array_new ();
      g_autofree char *prefix = g_strdup_printf ("%s/$app:tandem/", owners[i].owner);

      g_hash_table_iter_init (&iter, call->self->definitions);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_str_has_prefix (key, prefix))
          {
            JsonObject *def = json_object_new ();
            json_object_set_string_member (def, "id", value);
            json_object_set_string_member (def, "key", (const char *) key + strlen (prefix));
            json_array_add_object_element (nodes, def);
            call->actual += 1;
          }
      json_object_set_object_member (call->data, owners[i].alias,
                                     _tdm_fake_shopify_connection (nodes));
    }
}
