/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* Customer writes: customerSet (an upsert by custom id), the webshop_id
 * metafield when it is missing, then the email marketing consent when it
 * changed (docs/shopify.md § Upserts by custom id). */

static void
on_customer_consent_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  JsonObject *customer;

  g_assert (op != NULL && op->kind == TDM_KIND_CUSTOMER);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "customerEmailMarketingConsentUpdate");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  customer = _tdm_shopify_object (payload, "customer");
  if (customer != NULL)
    _tdm_shopify_write_set_node (op, customer);
  _tdm_shopify_write_done (task);
}

/* Sets the email marketing consent asked for when it differs from the
 * customer's, then returns the customer. */
static void
customer_consent (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  const char *current;
  const char *change;
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *input;
  JsonObject *consent;

  g_assert (op != NULL && op->node != NULL);

  current = tdm_shopify_node_string (op->node, "defaultEmailAddress.marketingState");
  change = tdm_shopify_consent_change (op->marketing, current);
  if (change == NULL || _tdm_shopify_object (op->node, "defaultEmailAddress") == NULL)
    {
      _tdm_shopify_write_done (task);
      return;
    }
  vars = json_object_new ();
  input = json_object_new ();
  consent = json_object_new ();
  json_object_set_string_member (input, "customerId", _tdm_shopify_string (op->node, "id"));
  json_object_set_string_member (consent, "marketingState", change);
  json_object_set_string_member (consent, "marketingOptInLevel", "SINGLE_OPT_IN");
  json_object_set_object_member (input, "emailMarketingConsent", consent);
  json_object_set_object_member (vars, "input", input);
  _tdm_shopify_run (self, "CustomerEmailConsentUpdate", vars, 10, 0, g_object_ref (task),
                    on_customer_consent_cb);
}

static void
on_customer_set_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  JsonObject *customer;

  g_assert (op != NULL && op->kind == TDM_KIND_CUSTOMER);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "customerSet");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  customer = _tdm_shopify_object (payload, "customer");
  if (customer == NULL)
    {
      _tdm_shopify_write_fail (task,
                               g_error_new_literal (TDM_SYNC_ERROR,
                                                    TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                    _("Shopify did not return the customer it "
                                                      "saved.")),
                               NULL);
      return;
    }
  _tdm_shopify_write_set_node (op, customer);
  _tdm_shopify_write_link_twin (task, customer_consent);
}

void
_tdm_shopify_write_customer (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input;

  g_assert (op != NULL && op->kind == TDM_KIND_CUSTOMER && op->write != NULL);

  input = tdm_shopify_customer_set_input (op->write, &op->marketing);
  _tdm_shopify_write_set_identifier (op, vars);
  json_object_set_object_member (vars, "input", input);
  _tdm_shopify_run (self, "CustomerSet", vars, 10, 0, g_object_ref (task), on_customer_set_cb);
}
