/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

/* Stock: inventorySetQuantities at the shop's one location, with the
 * @idempotent key Shopify requires since 2026-04 and its cap of 250
 * quantities a request (docs/shopify.md, Inventory). */

/* The top-level error that stops an inventorySetQuantities before it runs
 * (no key, too many quantities), or FALSE. */
static gboolean
refuse_inventory_request (FakeCall   *call,
                          const char *key,
                          JsonArray  *quantities)
{
  g_assert (call != NULL);

  if (key == NULL || *key == '\0')
    {
      /* Required since 2026-04: a top-level error, not a userError. */
      _tdm_fake_shopify_fail_call (call, "The @idempotent directive is required for this mutation.",
                                   "BAD_REQUEST");
      return TRUE;
    }
  if (quantities != NULL && json_array_get_length (quantities) > 250)
    {
      /* Shopify's cap on input arrays: a top-level error, nothing runs. */
      g_autofree char *message = g_strdup_printf ("The input array size of %u is greater than the "
                                                  "maximum allowed of 250.",
                                                  json_array_get_length (quantities));

      _tdm_fake_shopify_fail_call (call, message, "MAX_INPUT_SIZE_EXCEEDED");
      return TRUE;
    }
  return FALSE;
}

/* The first userError of the input, or NULL. `seen` is the input last sent
 * with the same idempotency key (NULL: a new key). */
static JsonObject *
check_inventory_input (TdmFakeShopify *self,
                       JsonObject     *input,
                       const char     *input_json,
                       const char     *seen)
{
  JsonArray *quantities = get_arr (input, "quantities");

  if (seen != NULL && g_strcmp0 (seen, input_json) != 0)
    return _tdm_fake_shopify_user_error ("The idempotency key was used with different parameters",
                                         "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "input", NULL);
  if (g_strcmp0 (get_str (input, "name"), "available") != 0
      && g_strcmp0 (get_str (input, "name"), "on_hand") != 0)
    return _tdm_fake_shopify_user_error ("The quantity name must be available or on_hand",
                                         "INVALID_NAME", "input", "name", NULL);
  for (guint i = 0; quantities != NULL && i < json_array_get_length (quantities); i++)
    {
      JsonObject *q = json_array_get_object_element (quantities, i);
      g_autofree char *index = g_strdup_printf ("%u", i);

      if (g_strcmp0 (get_str (q, "locationId"), LOCATION_ID) != 0)
        return _tdm_fake_shopify_user_error ("The location is invalid", "INVALID_LOCATION",
                                             "input", "quantities", index, "locationId", NULL);
      if (_tdm_fake_shopify_variant_by (self, "inventoryItem", get_str (q, "inventoryItemId"),
                                        NULL) == NULL)
        return _tdm_fake_shopify_user_error ("The inventory item is invalid",
                                             "INVALID_INVENTORY_ITEM", "input", "quantities",
                                             index, "inventoryItemId", NULL);
      if (!json_object_has_member (q, "changeFromQuantity"))
        return _tdm_fake_shopify_user_error ("changeFromQuantity must be given (it may be null)",
                                             "CHANGE_FROM_QUANTITY_STALE", "input", "quantities",
                                             index, "changeFromQuantity", NULL);
    }
  return NULL;
}

/* Sets each quantity on its variant and bumps the variant's product. */
static void
apply_quantities (TdmFakeShopify *self,
                  JsonArray      *quantities)
{
  for (guint i = 0; quantities != NULL && i < json_array_get_length (quantities); i++)
    {
      JsonObject *q = json_array_get_object_element (quantities, i);
      JsonObject *product = NULL;
      JsonObject *v = _tdm_fake_shopify_variant_by (self, "inventoryItem",
                                                    get_str (q, "inventoryItemId"), &product);

      g_assert (v != NULL && product != NULL);   /* checked by check_inventory_input () */
      json_object_set_int_member (v, "inventoryQuantity", get_int (q, "quantity", 0));
      _tdm_fake_shopify_touch (product);
    }
}

/* mutation InventorySet($input, $key) @idempotent(key: $key): a key sent
 * again with the same input answers again without changing anything. */
void
_tdm_fake_shopify_op_inventory_set (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = get_obj (call->vars, "input");
  const char *key = get_str (call->vars, "key");
  JsonArray *quantities = get_arr (input, "quantities");
  JsonArray *errors;
  JsonObject *problem;
  JsonObject *p;
  g_autofree char *input_json = NULL;
  const char *seen;

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  if (refuse_inventory_request (call, key, quantities))
    return;

  input_json = _tdm_fake_shopify_obj_to_json (input);
  seen = g_hash_table_lookup (self->idempotency, key);
  errors = json_array_new ();
  p = json_object_new ();
  problem = check_inventory_input (self, input, input_json, seen);
  if (problem == NULL)
    {
      JsonObject *group = json_object_new ();
      g_autofree char *gid = _tdm_fake_shopify_new_gid (self, "InventoryAdjustmentGroup", NULL);

      if (seen == NULL)
        {
          apply_quantities (self, quantities);
          g_hash_table_insert (self->idempotency, g_strdup (key), g_steal_pointer (&input_json));
        }
      json_object_set_string_member (group, "id", gid);
      json_object_set_object_member (p, "inventoryAdjustmentGroup", group);
    }
  else
    {
      json_array_add_object_element (errors, problem);
      json_object_set_null_member (p, "inventoryAdjustmentGroup");
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "inventorySetQuantities", p);
}

/* query Locations: the shop's one location, which ships inventory. */
void
_tdm_fake_shopify_op_locations (FakeCall *call)
{
  JsonObject *conn = json_object_new ();
  JsonArray *nodes = json_array_new ();
  JsonObject *loc = json_object_new ();

  g_assert (fake_call_is_ready (call));

  json_object_set_string_member (loc, "id", LOCATION_ID);
  json_object_set_string_member (loc, "name", "Shop location");
  json_object_set_boolean_member (loc, "shipsInventory", TRUE);
  json_array_add_object_element (nodes, loc);
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_object_member (call->data, "locations", conn);
  call->actual = 3;
}
