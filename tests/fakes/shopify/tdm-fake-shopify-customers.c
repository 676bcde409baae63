/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Customers: customerSet (an upsert by id or custom id, with Shopify's
 * userErrors for invalid or taken emails and phone numbers), the email
 * marketing consent and customerDelete (docs/shopify.md, Upserts by custom
 * id). */

void
_tdm_fake_shopify_complete_customer (JsonObject *node)
{
  static const char * const nullable[] = { "firstName", "lastName", "note", "defaultEmailAddress",
                                           "defaultPhoneNumber", NULL };
  JsonArray *addresses;

  g_assert (node != NULL);

  for (guint i = 0; nullable[i] != NULL; i++)
    if (!json_object_has_member (node, nullable[i]))
      json_object_set_null_member (node, nullable[i]);
  if (!json_object_has_member (node, "locale"))
    json_object_set_string_member (node, "locale", "en");
  /* A customer made through the API has no account until invited. */
  if (!json_object_has_member (node, "state"))
    json_object_set_string_member (node, "state", "DISABLED");
  if (!json_object_has_member (node, "taxExempt"))
    json_object_set_boolean_member (node, "taxExempt", FALSE);
  if (get_obj (node, "addressesV2") == NULL)
    json_object_set_object_member (node, "addressesV2", _tdm_fake_shopify_connection (NULL));
  addresses = get_arr (get_obj (node, "addressesV2"), "nodes");
  for (guint i = 0; addresses != NULL && i < json_array_get_length (addresses); i++)
    _tdm_fake_shopify_complete_address (json_array_get_object_element (addresses, i));
}

/* ---- customerSet ---- */

/* Another customer than `except` whose email or phone (`path`) is `value`,
 * compared without case. */
static JsonObject *
find_customer_with (TdmFakeShopify *self,
                    const char     *path,
                    const char     *value,
                    JsonObject     *except)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (path != NULL);

  GPtrArray *candidates = _tdm_fake_shopify_index_lookup (self, strcmp (path, "email") == 0
                                                                  ? FAKE_INDEX_EMAIL
                                                                  : FAKE_INDEX_PHONE, value);

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      JsonObject *c = candidates->pdata[i];
      const char *v = strcmp (path, "email") == 0
                      ? get_str (get_obj (c, "defaultEmailAddress"), "emailAddress")
                      : get_str (get_obj (c, "defaultPhoneNumber"), "phoneNumber");
      if (c != except && v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return c;
    }
  return NULL;
}

/* The first userError of a customerSet for `node` (NULL: a new customer),
 * or NULL when the input may be saved. */
static JsonObject *
check_customer_input (TdmFakeShopify *self,
                      JsonObject     *input,
                      JsonObject     *node,
                      gboolean        not_found)
{
  const char *email = get_str (input, "email");
  const char *phone = get_str (input, "phone");

  if (not_found)
    return _tdm_fake_shopify_user_error ("Customer does not exist", "NOT_FOUND",
                                         "identifier", "id", NULL);
  if (!_tdm_fake_shopify_email_valid (email))
    return _tdm_fake_shopify_user_error ("Email is invalid", "INVALID", "input", "email", NULL);
  if (!_tdm_fake_shopify_phone_valid (phone))
    return _tdm_fake_shopify_user_error ("Phone is invalid", "INVALID", "input", "phone", NULL);
  if (find_customer_with (self, "email", email, node) != NULL)
    return _tdm_fake_shopify_user_error ("Email has already been taken", "TAKEN",
                                         "input", "email", NULL);
  if (find_customer_with (self, "phone", phone, node) != NULL)
    return _tdm_fake_shopify_user_error ("Phone has already been taken", "TAKEN",
                                         "input", "phone", NULL);
  if (node == NULL && email == NULL && phone == NULL && get_str (input, "firstName") == NULL
      && get_str (input, "lastName") == NULL)
    return _tdm_fake_shopify_user_error ("A name, phone number, or email address must be present",
                                         "BLANK", "input", NULL);
  return NULL;
}

/* The email and phone members of a CustomerInput; a null clears them. */
static void
apply_customer_contact (JsonObject *node,
                        JsonObject *input)
{
  const char *email = get_str (input, "email");
  const char *phone = get_str (input, "phone");

  g_assert (node != NULL);

  if (json_object_has_member (input, "email"))
    {
      if (email == NULL)
        json_object_set_null_member (node, "defaultEmailAddress");
      else
        {
          JsonObject *ea = get_obj (node, "defaultEmailAddress");
          if (ea == NULL)
            {
              ea = json_object_new ();
              json_object_set_string_member (ea, "marketingState", "NOT_SUBSCRIBED");
              json_object_set_object_member (node, "defaultEmailAddress", ea);
            }
          json_object_set_string_member (ea, "emailAddress", email);
        }
    }
  if (json_object_has_member (input, "phone"))
    {
      if (phone == NULL)
        json_object_set_null_member (node, "defaultPhoneNumber");
      else
        {
          JsonObject *pn = json_object_new ();
          json_object_set_string_member (pn, "phoneNumber", phone);
          json_object_set_object_member (node, "defaultPhoneNumber", pn);
        }
    }
}

/* The members a CustomerInput sets. Like Shopify, every member sent is
 * kept: email and phone as the default email address and phone number,
 * addresses as addressesV2, the locale unless null, the others (names,
 * note, tags, taxExempt, …) under their own name. */
static void
apply_customer_input (JsonObject *node,
                      JsonObject *input)
{
  static const char * const own[] = { "email", "phone", "addresses", "locale", "id", NULL };
  JsonArray *addresses = get_arr (input, "addresses");
  g_autoptr(GList) members = json_object_get_members (input);

  g_assert (node != NULL);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (own, l->data))
      _tdm_fake_shopify_set_member_copy (node, l->data, input, l->data);
  if (get_str (input, "locale") != NULL)
    json_object_set_string_member (node, "locale", get_str (input, "locale"));
  apply_customer_contact (node, input);
  if (addresses != NULL)
    {
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (addresses); i++)
        json_array_add_object_element (out, _tdm_fake_shopify_address_from_input (
                                              json_array_get_object_element (addresses, i)));
      json_object_set_object_member (node, "addressesV2", _tdm_fake_shopify_connection (out));
    }
  _tdm_fake_shopify_touch (node);
}

/* mutation CustomerSet($identifier, $input) */
void
_tdm_fake_shopify_op_customer_set (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = get_obj (call->vars, "input");
  JsonObject *identifier = get_obj (call->vars, "identifier");
  JsonArray *errors = json_array_new ();
  gboolean not_found;
  JsonObject *node;
  JsonObject *problem;

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_identify (self, TDM_KIND_CUSTOMER, identifier, &not_found);
  call->actual = 10;
  problem = check_customer_input (self, input, node, not_found);
  if (problem != NULL)
    {
      json_array_add_object_element (errors, problem);
      _tdm_fake_shopify_set_payload (call, "customerSet", "customer", NULL, errors);
      return;
    }

  if (node == NULL)
    {
      JsonObject *custom = get_obj (identifier, "customId");

      node = _tdm_fake_shopify_insert_node (self, TDM_KIND_CUSTOMER, json_object_new ());
      if (custom != NULL)
        _tdm_fake_shopify_set_webshop_id (node, get_str (custom, "value"));
    }
  apply_customer_input (node, input);
  _tdm_fake_shopify_set_payload (call, "customerSet", "customer", node, errors);
}

/* ---- Consent and delete ---- */

/* mutation CustomerEmailConsentUpdate($input) */
void
_tdm_fake_shopify_op_customer_consent (FakeCall *call)
{
  JsonObject *input = get_obj (call->vars, "input");
  JsonObject *node;
  JsonArray *errors = json_array_new ();
  const char *state = get_str (get_obj (input, "emailMarketingConsent"), "marketingState");

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (call->self, TDM_KIND_CUSTOMER,
                                       get_str (input, "customerId"));
  call->actual = 10;
  if (node == NULL)
    _tdm_fake_shopify_add_user_error (errors, "Customer not found", "INVALID",
                                      "input", "customerId", NULL);
  else if (get_obj (node, "defaultEmailAddress") == NULL)
    _tdm_fake_shopify_add_user_error (errors, "Email can't be blank", "INVALID", "input",
                                      "emailMarketingConsent", NULL);
  else if (g_strcmp0 (state, "SUBSCRIBED") != 0 && g_strcmp0 (state, "UNSUBSCRIBED") != 0
           && g_strcmp0 (state, "PENDING") != 0)
    _tdm_fake_shopify_add_user_error (errors, "Marketing state is not included in the list",
                                      "INCLUSION", "input", "emailMarketingConsent",
                                      "marketingState", NULL);
  if (json_array_get_length (errors) == 0)
    {
      json_object_set_string_member (get_obj (node, "defaultEmailAddress"),
                                     "marketingState", state);
      _tdm_fake_shopify_touch (node);
    }
  _tdm_fake_shopify_set_payload (call, "customerEmailMarketingConsentUpdate", "customer", node,
                                 errors);
}

/* mutation CustomerDelete($id) */
void
_tdm_fake_shopify_op_customer_delete (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  const char *id = get_str (call->vars, "id");
  JsonObject *node;
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (self, TDM_KIND_CUSTOMER, id);
  call->actual = 10;
  if (node == NULL)
    {
      _tdm_fake_shopify_add_user_error (errors, "Customer can't be found", NULL, "id", NULL);
      json_object_set_null_member (p, "deletedCustomerId");
    }
  else
    {
      json_object_set_string_member (p, "deletedCustomerId", id);
      _tdm_fake_shopify_remove_node (self, TDM_KIND_CUSTOMER, node);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "customerDelete", p);
}
