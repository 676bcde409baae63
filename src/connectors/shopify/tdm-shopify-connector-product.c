/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tdm-error.h"

/* Product writes: productSet with every variant (an upsert by custom id),
 * the variants past the first page read back, the webshop_id link and the
 * VAT-exclusive prices that changed with metafieldsSet (never inside
 * productSet, whose metafield lists replace the shop's own), then stock
 * levels with inventorySetQuantities at the chosen location
 * (docs/shopify.md § Upserts by custom id, § Inventory). */

/* ---- Variants of the product saved ---- */

static gboolean
options_match (JsonArray *selected,   /* [{name, value}] */
               JsonArray *wanted)     /* [{optionName, name}] */
{
  if (selected == NULL || wanted == NULL)
    return FALSE;
  if (json_array_get_length (selected) != json_array_get_length (wanted))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (wanted); i++)
    {
      JsonObject *w = _tdm_shopify_element (wanted, i);
      const char *name = _tdm_shopify_string (w, "optionName");
      const char *value = _tdm_shopify_string (w, "name");
      gboolean found = FALSE;

      for (guint j = 0; j < json_array_get_length (selected); j++)
        {
          JsonObject *s = _tdm_shopify_element (selected, j);

          if (g_strcmp0 (_tdm_shopify_string (s, "name"), name) == 0
              && g_strcmp0 (_tdm_shopify_string (s, "value"), value) == 0)
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The variant of `product` a wanted quantity is for: by SKU, else by its
 * options. */
static JsonObject *
find_variant (JsonObject *product,
              JsonObject *wanted)
{
  JsonArray *variants = _tdm_shopify_array (_tdm_shopify_object (product, "variants"), "nodes");
  const char *sku = _tdm_shopify_string (wanted, "sku");
  JsonArray *options = _tdm_shopify_array (wanted, "options");

  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonObject *v = _tdm_shopify_element (variants, i);

      if (sku != NULL && *sku != '\0')
        {
          if (g_strcmp0 (_tdm_shopify_string (v, "sku"), sku) == 0)
            return v;
        }
      else if (options_match (_tdm_shopify_array (v, "selectedOptions"), options))
        return v;
    }
  return NULL;
}

/* ---- Stock levels ---- */

static void product_send_inventory (GTask *task);

static void
on_inventory_set_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;

  g_assert (op != NULL && op->inventory != NULL && op->quantities != NULL);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "inventorySetQuantities");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  op->inventory_sent = MIN (op->inventory_sent + MAX_INPUT_ARRAY,
                            json_array_get_length (op->inventory));
  if (op->inventory_sent < json_array_get_length (op->inventory))
    {
      product_send_inventory (task);
      return;
    }

  /* Reflect the quantities written in the returned record. */
  for (guint i = 0; i < json_array_get_length (op->quantities); i++)
    {
      JsonObject *q = _tdm_shopify_element (op->quantities, i);
      JsonObject *v = find_variant (op->node, q);

      if (v != NULL)
        json_object_set_int_member (v, "inventoryQuantity",
                                    json_object_get_int_member (q, "quantity"));
    }
  _tdm_shopify_write_done (task);
}

/* Sends the next part of op->inventory (inventorySetQuantities). */
static void
product_send_inventory (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input = json_object_new ();
  JsonArray *quantities = json_array_new ();
  guint total;
  guint part;
  g_autofree char *key = NULL;

  g_assert (op != NULL && op->inventory != NULL);
  g_assert (self->location_id != NULL);

  total = json_array_get_length (op->inventory);
  part = op->inventory_sent / MAX_INPUT_ARRAY;
  /* At most 250 quantities a request. Each part has its own idempotency key,
   * the same again when the write is retried: the op id for the first. */
  if (op->op_id == NULL)
    key = g_uuid_string_random ();
  else if (part == 0)
    key = g_strdup (op->op_id);
  else
    key = g_strdup_printf ("%s-%u", op->op_id, part + 1);
  for (guint i = op->inventory_sent; i < total && i < op->inventory_sent + MAX_INPUT_ARRAY; i++)
    {
      JsonObject *entry = _tdm_shopify_element (op->inventory, i);

      json_object_set_string_member (entry, "locationId", self->location_id);
      json_array_add_object_element (quantities, json_object_ref (entry));
    }
  json_object_set_string_member (input, "name", "available");
  json_object_set_string_member (input, "reason", "correction");
  json_object_set_array_member (input, "quantities", quantities);
  json_object_set_object_member (vars, "input", input);
  json_object_set_string_member (vars, "key", key);
  _tdm_shopify_run (self, "InventorySet", vars, 10, 0, g_object_ref (task), on_inventory_set_cb);
}

const char *
_tdm_shopify_location_choose (JsonObject *data)
{
  JsonArray *nodes = _tdm_shopify_array (_tdm_shopify_object (data, "locations"), "nodes");

  /* The first location that ships inventory, else the first one. */
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *loc = _tdm_shopify_element (nodes, i);

      if (loc != NULL && json_object_get_boolean_member_with_default (loc, "shipsInventory", FALSE))
        return _tdm_shopify_string (loc, "id");
    }
  if (nodes != NULL && json_array_get_length (nodes) > 0)
    return _tdm_shopify_string (_tdm_shopify_element (nodes, 0), "id");
  return NULL;
}

static void
on_locations_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  const char *chosen;

  if (data == NULL)
    return;
  chosen = _tdm_shopify_location_choose (data);
  if (chosen == NULL)
    {
      _tdm_shopify_write_fail (task,
                               g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                                    _("The Shopify shop has no location to keep "
                                                      "stock at. Add a location in Shopify, or "
                                                      "turn off stock sync.")),
                               "inventoryQuantity");
      return;
    }
  g_free (self->location_id);
  self->location_id = g_strdup (chosen);
  product_send_inventory (task);
}

/* The InventoryQuantityInput entries of the quantities asked for that
 * differ from the saved product's. */
static JsonArray *
inventory_changes (WriteOp *op)
{
  JsonArray *changes = json_array_new ();

  g_assert (op->node != NULL);

  for (guint i = 0; op->quantities != NULL && i < json_array_get_length (op->quantities); i++)
    {
      JsonObject *q = _tdm_shopify_element (op->quantities, i);
      JsonObject *v = find_variant (op->node, q);
      JsonObject *item;
      JsonObject *entry;
      gint64 wanted = json_object_get_int_member (q, "quantity");

      if (v == NULL || _tdm_shopify_object (v, "inventoryItem") == NULL)
        continue;
      if (json_object_has_member (v, "inventoryQuantity")
          && !JSON_NODE_HOLDS_NULL (json_object_get_member (v, "inventoryQuantity"))
          && json_object_get_int_member (v, "inventoryQuantity") == wanted)
        continue;
      item = _tdm_shopify_object (v, "inventoryItem");
      entry = json_object_new ();
      json_object_set_string_member (entry, "inventoryItemId", _tdm_shopify_string (item, "id"));
      json_object_set_int_member (entry, "quantity", wanted);
      json_object_set_null_member (entry, "changeFromQuantity");
      json_array_add_object_element (changes, entry);
    }
  return changes;
}

/* Writes the stock levels that changed (first choosing a location when
 * none is set), then returns the product. */
static void
product_inventory (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->kind == TDM_KIND_PRODUCT);

  g_clear_pointer (&op->inventory, json_array_unref);
  op->inventory = inventory_changes (op);
  op->inventory_sent = 0;
  if (json_array_get_length (op->inventory) == 0)
    {
      _tdm_shopify_write_done (task);
      return;
    }
  if (self->location_id == NULL)
    {
      _tdm_shopify_run (self, "Locations", NULL, 5, 0, g_object_ref (task), on_locations_cb);
      return;
    }
  product_send_inventory (task);
}

/* ---- VAT-exclusive prices ---- */

/* Does the variant's price_excl_vat metafield say `wanted` already? */
static gboolean
price_excl_same (JsonObject *variant,
                 const char *wanted)
{
  const char *have = _tdm_shopify_string (_tdm_shopify_object (variant, "priceExclVat"), "value");

  g_assert (wanted != NULL);

  return have != NULL && fabs (g_ascii_strtod (have, NULL) - g_ascii_strtod (wanted, NULL)) < 5e-7;
}

/* The MetafieldsSetInput entries of the VAT-exclusive prices asked for that
 * differ from the saved product's. */
static JsonArray *
price_excl_changes (WriteOp *op)
{
  JsonArray *changes = json_array_new ();

  g_assert (op->node != NULL);

  for (guint i = 0; op->prices_excl != NULL && i < json_array_get_length (op->prices_excl); i++)
    {
      JsonObject *p = _tdm_shopify_element (op->prices_excl, i);
      JsonObject *v = find_variant (op->node, p);
      const char *wanted = _tdm_shopify_string (p, "value");
      JsonObject *mf;

      if (v == NULL || _tdm_shopify_string (v, "id") == NULL || price_excl_same (v, wanted))
        continue;
      mf = json_object_new ();
      json_object_set_string_member (mf, "ownerId", _tdm_shopify_string (v, "id"));
      json_object_set_string_member (mf, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
      json_object_set_string_member (mf, "key", TDM_SHOPIFY_PRICE_EXCL_VAT_KEY);
      json_object_set_string_member (mf, "type", "number_decimal");
      json_object_set_string_member (mf, "value", wanted);
      json_array_add_object_element (changes, mf);
    }
  return changes;
}

static void product_send_prices_excl (GTask *task);

static void
on_prices_excl_set_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonArray *variants;
  JsonObject *payload;
  guint total;

  g_assert (op != NULL && op->price_changes != NULL && op->node != NULL);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "metafieldsSet");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  total = json_array_get_length (op->price_changes);
  op->prices_sent = MIN (op->prices_sent + MAX_METAFIELDS_SET, total);
  if (op->prices_sent < total)
    {
      product_send_prices_excl (task);
      return;
    }

  /* Reflect the prices written in the returned record. */
  variants = _tdm_shopify_array (_tdm_shopify_object (op->node, "variants"), "nodes");
  for (guint i = 0; i < total; i++)
    {
      JsonObject *mf = _tdm_shopify_element (op->price_changes, i);

      for (guint j = 0; variants != NULL && j < json_array_get_length (variants); j++)
        {
          JsonObject *v = _tdm_shopify_element (variants, j);
          JsonObject *value;

          if (g_strcmp0 (_tdm_shopify_string (v, "id"), _tdm_shopify_string (mf, "ownerId")) != 0)
            continue;
          value = json_object_new ();
          json_object_set_string_member (value, "value", _tdm_shopify_string (mf, "value"));
          json_object_set_object_member (v, "priceExclVat", value);
        }
    }
  product_inventory (task);
}

/* Sends the next part of op->price_changes (metafieldsSet). */
static void
product_send_prices_excl (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonArray *part = json_array_new ();
  guint total;

  g_assert (op != NULL && op->price_changes != NULL);

  total = json_array_get_length (op->price_changes);
  for (guint i = op->prices_sent; i < total && i < op->prices_sent + MAX_METAFIELDS_SET; i++)
    json_array_add_object_element (part,
                                   json_object_ref (_tdm_shopify_element (op->price_changes, i)));
  json_object_set_array_member (vars, "metafields", part);
  _tdm_shopify_run (self, "MetafieldsSet", vars, 10, 0, g_object_ref (task),
                    on_prices_excl_set_cb);
}

/* Writes the VAT-exclusive prices that changed, then the stock levels. */
static void
product_prices_excl (GTask *task)
{
  WriteOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->kind == TDM_KIND_PRODUCT && op->node != NULL);

  g_clear_pointer (&op->price_changes, json_array_unref);
  op->price_changes = price_excl_changes (op);
  op->prices_sent = 0;
  if (json_array_get_length (op->price_changes) == 0)
    {
      product_inventory (task);
      return;
    }
  product_send_prices_excl (task);
}

/* ---- productSet ---- */

static void
on_product_set_variants_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autofree char *field = NULL;
  GError *error = NULL;

  if (_tdm_shopify_read_variants_finish (self, result, &error))
    {
      _tdm_shopify_write_link_twin (task, product_prices_excl);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The product was saved; its record must hold every variant. */
  field = _tdm_shopify_canonical_field (self, TDM_KIND_PRODUCT, "variants");
  _tdm_shopify_write_fail (task, error, field);
}

static void
on_product_set_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  JsonObject *product;

  g_assert (op != NULL && op->kind == TDM_KIND_PRODUCT);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "productSet");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  product = _tdm_shopify_object (payload, "product");
  if (product == NULL)
    {
      _tdm_shopify_write_fail (task,
                               g_error_new_literal (TDM_SYNC_ERROR,
                                                    TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                    _("Shopify did not return the product it "
                                                      "saved.")),
                               NULL);
      return;
    }
  _tdm_shopify_write_set_node (op, product);
  if (!_tdm_shopify_variants_complete (op->node))
    {
      _tdm_shopify_read_variants_async (self, op->node, g_task_get_cancellable (task),
                                        on_product_set_variants_cb, g_object_ref (task));
      return;
    }
  _tdm_shopify_write_link_twin (task, product_prices_excl);
}

void
_tdm_shopify_write_product (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input;
  JsonArray *variants;
  guint n;

  g_assert (op != NULL && op->kind == TDM_KIND_PRODUCT && op->write != NULL);

  input = tdm_shopify_product_set_input (op->write, &op->quantities, &op->prices_excl);
  variants = _tdm_shopify_array (input, "variants");
  n = variants != NULL ? json_array_get_length (variants) : 0;
  if (n > MAX_PRODUCT_VARIANTS)
    {
      g_autofree char *field = _tdm_shopify_canonical_field (self, TDM_KIND_PRODUCT, "variants");

      json_object_unref (input);
      _tdm_shopify_write_fail (task,
                               g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                                            _("%s has %u variants, but Shopify takes at most %u "
                                              "variants per product. Nothing was sent to Shopify. "
                                              "Remove variants in the webshop or split the "
                                              "product, then sync again."),
                                            op->label, n, MAX_PRODUCT_VARIANTS),
                               field);
      return;
    }
  _tdm_shopify_write_set_identifier (op, vars);
  json_object_set_object_member (vars, "input", input);
  json_object_set_int_member (vars, "variantsFirst", VARIANTS_FIRST);
  _tdm_shopify_run (self, "ProductSet", vars, 10 + 0.2 * n, 0, g_object_ref (task),
                    on_product_set_cb);
}
