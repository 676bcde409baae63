/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* The app metafield definitions Tandem writes to (docs/shopify.md §
 * Metafield definitions): prepare reads which exist; the missing ones are
 * made just before the first record write of a run, by that write alone:
 * the writes started meanwhile wait for it instead of making them again. */

static const struct {
  const char *owner;
  const char *key;
  const char *type;
  const char *name;
} definitions[] = {
  { "CUSTOMER", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "PRODUCT", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "ORDER", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "PRODUCTVARIANT", TDM_SHOPIFY_PRICE_EXCL_VAT_KEY, "number_decimal", N_("Price excluding VAT") },
};
/* The aliases of MetafieldDefinitions, in the order of `definitions`. */
static const char * const definition_aliases[] = { "customer", "product", "order", "variant" };

/* ---- Read by prepare ---- */

guint
_tdm_shopify_missing_definitions (JsonObject *data)
{
  guint missing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (definitions); i++)
    {
      JsonArray *nodes = _tdm_shopify_array (_tdm_shopify_object (data, definition_aliases[i]),
                                             "nodes");
      gboolean exists = FALSE;

      for (guint j = 0; nodes != NULL && j < json_array_get_length (nodes); j++)
        if (g_strcmp0 (_tdm_shopify_string (_tdm_shopify_element (nodes, j), "key"),
                       definitions[i].key) == 0)
          exists = TRUE;
      if (!exists)
        missing |= 1u << i;
    }
  return missing;
}

/* ---- Made before the first write ---- */

/* The write making the definitions is done with them (made, or failed):
 * the writes waiting for it go on; after a failure the next of them tries
 * again. */
static void
release_waiters (TdmShopifyConnector *self,
                 GTask               *task)
{
  g_autoptr(GPtrArray) waiters = NULL;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));
  g_assert (G_IS_TASK (task));

  if (self->definer != task)
    return;
  self->definer = NULL;
  waiters = g_steal_pointer (&self->definition_waiters);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    _tdm_shopify_ensure_definitions (g_ptr_array_index (waiters, i));
}

static void
on_write_definition_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonArray *errors;

  g_assert (op != NULL && op->def_step < G_N_ELEMENTS (definitions));

  if (data == NULL)
    {
      release_waiters (self, task);
      return;
    }
  errors = _tdm_shopify_array (_tdm_shopify_object (data, "metafieldDefinitionCreate"),
                               "userErrors");
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *e = _tdm_shopify_element (errors, i);

      /* TAKEN: it exists already (made in between): fine. */
      if (g_strcmp0 (_tdm_shopify_string (e, "code"), "TAKEN") != 0)
        {
          g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                   _("Tandem could not set up its Shopify field “%s” on %s: %s. "
                                     "Check the app’s access scopes in the Shopify Dev "
                                     "Dashboard."),
                                   definitions[op->def_step].key, definitions[op->def_step].owner,
                                   _tdm_shopify_string (e, "message"));
          release_waiters (self, task);
          return;
        }
    }
  self->missing_definitions &= ~(1u << op->def_step);
  _tdm_shopify_ensure_definitions (task);
}

void
_tdm_shopify_ensure_definitions (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *def;

  g_assert (op != NULL);

  if (self->missing_definitions != 0 && self->definer != NULL && self->definer != task)
    {
      if (self->definition_waiters == NULL)
        self->definition_waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->definition_waiters, g_object_ref (task));
      return;
    }
  while (op->def_step < G_N_ELEMENTS (definitions)
         && (self->missing_definitions & (1u << op->def_step)) == 0)
    op->def_step++;
  if (op->def_step >= G_N_ELEMENTS (definitions))
    {
      release_waiters (self, task);
      _tdm_shopify_write_dispatch (task);
      return;
    }
  self->definer = task;
  vars = json_object_new ();
  def = json_object_new ();
  json_object_set_string_member (def, "name", _(definitions[op->def_step].name));
  json_object_set_string_member (def, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
  json_object_set_string_member (def, "key", definitions[op->def_step].key);
  json_object_set_string_member (def, "type", definitions[op->def_step].type);
  json_object_set_string_member (def, "ownerType", definitions[op->def_step].owner);
  json_object_set_object_member (vars, "definition", def);
  _tdm_shopify_run (self, "MetafieldDefinitionCreate", vars, 10, 0, g_object_ref (task),
                    on_write_definition_cb);
}
