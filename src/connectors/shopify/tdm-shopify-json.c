/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify-json"

#include "config.h"
#include "tdm-shopify-json-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include "tdm-error.h"
#include "tdm-http.h"
#include "tdm-json-text.h"

/* ---- small JSON helpers ------------------------------------------------- */

JsonObject *
_tdm_shopify_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
_tdm_shopify_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

const char *
_tdm_shopify_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_double (JsonObject *object,
            const char *member,
            double     *out)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    default:
      return FALSE;
    }
}

JsonObject *
_tdm_shopify_element (JsonArray *array,
                      guint      i)
{
  JsonNode *node;

  if (array == NULL || i >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, i);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Copies member `from` of `src` into `dst` as `to` when present and not null. */
static void
copy_member (JsonObject *dst,
             const char *to,
             JsonObject *src,
             const char *from)
{
  JsonNode *node;

  if (src == NULL || !json_object_has_member (src, from))
    return;
  node = json_object_get_member (src, from);
  if (JSON_NODE_HOLDS_NULL (node))
    return;
  json_object_set_member (dst, to, json_node_copy (node));
}

/* A scalar member as a string (numbers are printed without loss). */
static char *
member_to_string (JsonObject *object,
                  const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gboolean
member_to_int (JsonObject *object,
               const char *member,
               gint64     *out)
{
  g_autofree char *str = member_to_string (object, member);
  char *end = NULL;
  gint64 value;

  if (str == NULL || *str == '\0')
    return FALSE;
  value = g_ascii_strtoll (str, &end, 10);
  if (end == NULL || (*end != '\0' && *end != '.'))
    return FALSE;
  *out = value;
  return TRUE;
}

/* ---- extensions.cost -------------------------------------------------- */

gboolean
tdm_shopify_parse_cost (JsonObject     *root,
                        TdmShopifyCost *out)
{
  JsonObject *cost;
  JsonObject *throttle;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->actual = -1;
  cost = _tdm_shopify_object (_tdm_shopify_object (root, "extensions"), "cost");
  if (cost == NULL)
    return FALSE;

  out->has_cost = TRUE;
  get_double (cost, "requestedQueryCost", &out->requested);
  if (!get_double (cost, "actualQueryCost", &out->actual))
    out->actual = -1;

  throttle = _tdm_shopify_object (cost, "throttleStatus");
  if (throttle != NULL
      && get_double (throttle, "maximumAvailable", &out->maximum)
      && get_double (throttle, "currentlyAvailable", &out->available)
      && get_double (throttle, "restoreRate", &out->restore_rate))
    out->has_throttle = TRUE;

  return TRUE;
}

/* ---- API versions ---------------------------------------------------------- */

gboolean
tdm_shopify_api_version_days_left (const char *version,
                                   GDateTime  *now,
                                   gint64     *out_days)
{
  g_autoptr(GDateTime) end = NULL;
  int year, month;

  if (version == NULL || strlen (version) != 7 || version[4] != '-'
      || !g_ascii_isdigit (version[0]) || !g_ascii_isdigit (version[5]) || !g_ascii_isdigit (version[6]))
    return FALSE;
  year = atoi (version);
  month = atoi (version + 5);
  if (year < 2019 || (month != 1 && month != 4 && month != 7 && month != 10))
    return FALSE;
  end = g_date_time_new_utc (year + 1, month, 1, 17, 0, 0);
  if (end == NULL)
    return FALSE;
  *out_days = g_date_time_difference (end, now) / G_TIME_SPAN_DAY;
  return TRUE;
}

/* ---- top-level errors --------------------------------------------------- */

char *
tdm_shopify_find_scope (const char *text)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) info = NULL;

  if (text == NULL)
    return NULL;
  regex = g_regex_new ("\\b((?:read|write)_[a-z_]+)\\b", 0, 0, NULL);
  if (g_regex_match (regex, text, 0, &info))
    return g_match_info_fetch (info, 1);
  return NULL;
}

TdmShopifyErrorsKind
tdm_shopify_check_errors (JsonObject  *root,
                          GError     **error)
{
  JsonArray *errors = _tdm_shopify_array (root, "errors");
  JsonObject *first;
  const char *message;
  const char *code;

  if (errors == NULL || json_array_get_length (errors) == 0)
    {
      /* Some Shopify failures are a plain {"errors": "…"} string. */
      if (_tdm_shopify_string (root, "errors") != NULL)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Shopify refused the request: %s"), _tdm_shopify_string (root, "errors"));
          return TDM_SHOPIFY_ERRORS_OTHER;
        }
      return TDM_SHOPIFY_ERRORS_NONE;
    }

  first = _tdm_shopify_element (errors, 0);
  message = _tdm_shopify_string (first, "message");
  code = _tdm_shopify_string (_tdm_shopify_object (first, "extensions"), "code");
  if (message == NULL)
    message = _("no details given");

  if (g_strcmp0 (code, "THROTTLED") == 0 || g_ascii_strcasecmp (message, "Throttled") == 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED,
                   _("Shopify kept asking Tandem to slow down. The sync will continue on its next run."));
      return TDM_SHOPIFY_ERRORS_THROTTLED;
    }
  if (g_strcmp0 (code, "ACCESS_DENIED") == 0)
    {
      g_autofree char *scope = NULL;
      JsonObject *ext = _tdm_shopify_object (first, "extensions");

      scope = g_strdup (_tdm_shopify_string (ext, "requiredAccess"));
      if (scope == NULL)
        scope = tdm_shopify_find_scope (message);
      if (scope != NULL)
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                     _("The Shopify app is missing the access scope “%s”. Add it to the app "
                       "in the Shopify Dev Dashboard, release a new version and install it again."),
                     scope);
      else
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                     _("Shopify denied access (%s). Check the access scopes of the app "
                       "in the Shopify Dev Dashboard."), message);
      return TDM_SHOPIFY_ERRORS_ACCESS_DENIED;
    }
  if (g_strcmp0 (code, "INTERNAL_SERVER_ERROR") == 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                   _("Shopify had an internal error (%s). Try again later."), message);
      return TDM_SHOPIFY_ERRORS_INTERNAL;
    }

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("Shopify refused the request: %s"), message);
  return TDM_SHOPIFY_ERRORS_OTHER;
}

/* ---- search syntax ------------------------------------------------------ */

char *
tdm_shopify_changed_query (TdmKind     kind,
                           const char *since)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;

  if (since == NULL || *since == '\0')
    return NULL;
  dt = g_date_time_new_from_iso8601 (since, NULL);
  if (dt == NULL)
    return NULL;
  utc = g_date_time_to_utc (dt);

  if (kind == TDM_KIND_CUSTOMER)
    {
      stamp = g_date_time_format (utc, "%Y-%m-%dT00:00:00Z");
      return g_strdup_printf ("updated_at:>='%s'", stamp);
    }
  stamp = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  return g_strdup_printf ("updated_at:>'%s'", stamp);
}

char *
tdm_shopify_sku_query (const char *sku)
{
  GString *out = g_string_new ("sku:\"");

  for (const char *p = sku; p != NULL && *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---- userErrors --------------------------------------------------------- */

char *
tdm_shopify_field_path (JsonArray *field)
{
  GString *out = g_string_new (NULL);
  guint n = field ? json_array_get_length (field) : 0;
  guint start = 0;

  if (n > 1)
    {
      JsonNode *first = json_array_get_element (field, 0);
      const char *head = JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING
                         ? json_node_get_string (first) : NULL;
      if (g_strcmp0 (head, "input") == 0 || g_strcmp0 (head, "order") == 0
          || g_strcmp0 (head, "identifier") == 0 || g_strcmp0 (head, "metafields") == 0
          || g_strcmp0 (head, "definition") == 0)
        start = 1;
    }
  for (guint i = start; i < n; i++)
    {
      JsonNode *node = json_array_get_element (field, i);
      g_autofree char *part = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        part = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        part = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        continue;
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, part);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

gboolean
tdm_shopify_user_errors (JsonArray       *user_errors,
                         TdmKind          kind,
                         const char      *record_label,
                         const char      *record_id,
                         char           **out_field_path,
                         TdmRecordError **out_record_error,
                         GError         **error)
{
  JsonObject *first;
  g_autofree char *path = NULL;
  const char *message;
  const char *code;
  gboolean duplicate;
  g_autofree char *text = NULL;

  if (user_errors == NULL || json_array_get_length (user_errors) == 0)
    return FALSE;

  first = _tdm_shopify_element (user_errors, 0);
  path = tdm_shopify_field_path (_tdm_shopify_array (first, "field"));
  message = _tdm_shopify_string (first, "message");
  code = _tdm_shopify_string (first, "code");
  if (message == NULL)
    message = _("no reason given");

  duplicate = g_strcmp0 (code, "TAKEN") == 0
              || g_strcmp0 (code, "DUPLICATED_METAFIELD_VALUE") == 0
              || g_strcmp0 (code, "HANDLE_NOT_UNIQUE") == 0;

  if (path != NULL)
    /* Translators: 1: the record (e.g. "customer kari@example.no"),
     * 2: Shopify's message, 3: the field name. */
    text = g_strdup_printf (_("Shopify rejected %s: %s (field “%s”). Correct the value in the "
                              "webshop; the record is sent again after it changes."),
                            record_label ? record_label : tdm_kind_display_name (kind),
                            message, path);
  else
    text = g_strdup_printf (_("Shopify rejected %s: %s. Correct the record in the webshop; "
                              "it is sent again after it changes."),
                            record_label ? record_label : tdm_kind_display_name (kind),
                            message);

  if (out_record_error != NULL)
    *out_record_error = tdm_record_error_new (TDM_SIDE_SHOPIFY, kind, record_id, path, text);
  g_set_error_literal (error, TDM_SYNC_ERROR,
                       duplicate ? TDM_SYNC_ERROR_DUPLICATE : TDM_SYNC_ERROR_VALIDATION,
                       text);
  if (out_field_path != NULL)
    *out_field_path = g_steal_pointer (&path);
  return TRUE;
}

/* ---- write shapes -------------------------------------------------------- */

static JsonArray *
string_array_copy (JsonArray *array)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        json_array_add_string_element (out, json_node_get_string (node));
    }
  return out;
}

JsonObject *
tdm_shopify_address_input (JsonObject *address)
{
  static const char * const keys[] = {
    "firstName", "lastName", "company", "address1", "address2", "city",
    "provinceCode", "zip", "phone", NULL
  };
  JsonObject *out = json_object_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    copy_member (out, keys[i], address, keys[i]);
  copy_member (out, "countryCode", address, "countryCodeV2");
  copy_member (out, "countryCode", address, "countryCode");
  return out;
}

JsonObject *
tdm_shopify_webshop_id_metafield (const char *owner_id,
                                  const char *twin_id)
{
  JsonObject *mf = json_object_new ();

  if (owner_id != NULL)
    json_object_set_string_member (mf, "ownerId", owner_id);
  json_object_set_string_member (mf, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
  json_object_set_string_member (mf, "key", TDM_SHOPIFY_WEBSHOP_ID_KEY);
  json_object_set_string_member (mf, "type", "id");
  json_object_set_string_member (mf, "value", twin_id);
  return mf;
}

JsonObject *
tdm_shopify_customer_set_input (JsonObject  *write,
                                char       **out_marketing_state)
{
  static const char * const scalars[] = {
    "email", "phone", "firstName", "lastName", "locale", "note", NULL
  };
  JsonObject *input = json_object_new ();
  JsonArray *addresses;

  for (guint i = 0; scalars[i] != NULL; i++)
    copy_member (input, scalars[i], write, scalars[i]);
  if (json_object_has_member (write, "tags"))
    json_object_set_array_member (input, "tags", string_array_copy (_tdm_shopify_array (write, "tags")));

  addresses = _tdm_shopify_array (write, "addresses");
  if (addresses != NULL)
    {
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (addresses); i++)
        {
          JsonNode *node = json_array_get_element (addresses, i);
          if (JSON_NODE_HOLDS_OBJECT (node))
            json_array_add_object_element (out, tdm_shopify_address_input (json_node_get_object (node)));
        }
      json_object_set_array_member (input, "addresses", out);
    }

  if (out_marketing_state != NULL)
    {
      const char *state = _tdm_shopify_string (write, "emailMarketingState");
      *out_marketing_state = state && *state ? g_ascii_strup (state, -1) : NULL;
    }
  return input;
}

const char *
tdm_shopify_consent_change (const char *desired,
                            const char *current)
{
  if (desired == NULL)
    return NULL;
  if (g_ascii_strcasecmp (desired, "NOT_SUBSCRIBED") == 0)
    {
      if (current == NULL || g_ascii_strcasecmp (current, "NOT_SUBSCRIBED") == 0
          || g_ascii_strcasecmp (current, "UNSUBSCRIBED") == 0)
        return NULL;
      return "UNSUBSCRIBED";
    }
  if (current != NULL && g_ascii_strcasecmp (desired, current) == 0)
    return NULL;
  /* Both read back as "not subscribed". */
  if (current != NULL && g_ascii_strcasecmp (desired, "UNSUBSCRIBED") == 0
      && g_ascii_strcasecmp (current, "NOT_SUBSCRIBED") == 0)
    return NULL;
  if (g_ascii_strcasecmp (desired, "SUBSCRIBED") == 0)
    return "SUBSCRIBED";
  if (g_ascii_strcasecmp (desired, "UNSUBSCRIBED") == 0)
    return "UNSUBSCRIBED";
  if (g_ascii_strcasecmp (desired, "PENDING") == 0)
    return "PENDING";
  return NULL;
}

static const char *
weight_unit (const char *unit)
{
  if (unit == NULL)
    return NULL;
  if (g_ascii_strcasecmp (unit, "kg") == 0 || g_ascii_strcasecmp (unit, "KILOGRAMS") == 0)
    return "KILOGRAMS";
  if (g_ascii_strcasecmp (unit, "g") == 0 || g_ascii_strcasecmp (unit, "GRAMS") == 0)
    return "GRAMS";
  if (g_ascii_strcasecmp (unit, "lb") == 0 || g_ascii_strcasecmp (unit, "POUNDS") == 0)
    return "POUNDS";
  if (g_ascii_strcasecmp (unit, "oz") == 0 || g_ascii_strcasecmp (unit, "OUNCES") == 0)
    return "OUNCES";
  return NULL;
}

JsonObject *
tdm_shopify_product_set_input (JsonObject  *write,
                               const char  *twin_id,
                               JsonArray  **out_quantities)
{
  static const char * const scalars[] = {
    "title", "descriptionHtml", "vendor", "productType", NULL
  };
  JsonObject *input = json_object_new ();
  JsonArray *variants = _tdm_shopify_array (write, "variants");
  JsonArray *quantities = json_array_new ();
  const char *status;

  for (guint i = 0; scalars[i] != NULL; i++)
    copy_member (input, scalars[i], write, scalars[i]);
  status = _tdm_shopify_string (write, "status");
  if (status != NULL && *status != '\0')
    {
      g_autofree char *up = g_ascii_strup (status, -1);
      json_object_set_string_member (input, "status", up);
    }
  if (json_object_has_member (write, "tags"))
    json_object_set_array_member (input, "tags", string_array_copy (_tdm_shopify_array (write, "tags")));

  if (variants != NULL)
    {
      /* Option names in first-seen order, each with its values in order. */
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) g_ptr_array_unref);
      JsonArray *out_variants = json_array_new ();
      JsonArray *options_out = json_array_new ();
      gboolean any_options = FALSE;

      for (guint i = 0; i < json_array_get_length (variants); i++)
        {
          JsonObject *v = _tdm_shopify_element (variants, i);
          JsonArray *opts = _tdm_shopify_array (v, "options");

          for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
            {
              JsonObject *o = _tdm_shopify_element (opts, j);
              const char *name = _tdm_shopify_string (o, "name");
              const char *value = _tdm_shopify_string (o, "value");
              GPtrArray *list;
              gboolean seen = FALSE;

              if (name == NULL || value == NULL)
                continue;
              list = g_hash_table_lookup (values, name);
              if (list == NULL)
                {
                  list = g_ptr_array_new_with_free_func (g_free);
                  g_hash_table_insert (values, g_strdup (name), list);
                  g_ptr_array_add (names, g_strdup (name));
                }
              for (guint k = 0; k < list->len; k++)
                if (g_strcmp0 (list->pdata[k], value) == 0)
                  seen = TRUE;
              if (!seen)
                g_ptr_array_add (list, g_strdup (value));
              any_options = TRUE;
            }
        }

      if (!any_options)
        {
          /* Shopify's model always has one option: "Title" / "Default Title". */
          GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (list, g_strdup ("Default Title"));
          g_hash_table_insert (values, g_strdup ("Title"), list);
          g_ptr_array_add (names, g_strdup ("Title"));
        }

      for (guint i = 0; i < names->len; i++)
        {
          JsonObject *opt = json_object_new ();
          JsonArray *vals = json_array_new ();
          GPtrArray *list = g_hash_table_lookup (values, names->pdata[i]);

          json_object_set_string_member (opt, "name", names->pdata[i]);
          json_object_set_int_member (opt, "position", i + 1);
          for (guint k = 0; k < list->len; k++)
            {
              JsonObject *val = json_object_new ();
              json_object_set_string_member (val, "name", list->pdata[k]);
              json_array_add_object_element (vals, val);
            }
          json_object_set_array_member (opt, "values", vals);
          json_array_add_object_element (options_out, opt);
        }

      for (guint i = 0; i < json_array_get_length (variants); i++)
        {
          JsonObject *v = _tdm_shopify_element (variants, i);
          JsonObject *out = json_object_new ();
          JsonArray *option_values = json_array_new ();
          JsonArray *opts = _tdm_shopify_array (v, "options");
          JsonObject *weight = _tdm_shopify_object (v, "weight");
          g_autofree char *price_excl = member_to_string (v, "priceExclVat");
          gint64 qty;

          copy_member (out, "sku", v, "sku");
          copy_member (out, "price", v, "price");
          copy_member (out, "compareAtPrice", v, "compareAtPrice");
          copy_member (out, "barcode", v, "barcode");

          if (any_options)
            {
              for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
                {
                  JsonObject *o = _tdm_shopify_element (opts, j);
                  JsonObject *ov = json_object_new ();
                  copy_member (ov, "optionName", o, "name");
                  copy_member (ov, "name", o, "value");
                  json_array_add_object_element (option_values, ov);
                }
            }
          else
            {
              JsonObject *ov = json_object_new ();
              json_object_set_string_member (ov, "optionName", "Title");
              json_object_set_string_member (ov, "name", "Default Title");
              json_array_add_object_element (option_values, ov);
            }
          json_object_set_array_member (out, "optionValues", option_values);

          if (weight != NULL && weight_unit (_tdm_shopify_string (weight, "unit")) != NULL)
            {
              g_autofree char *value = member_to_string (weight, "value");
              if (value != NULL)
                {
                  JsonObject *item = json_object_new ();
                  JsonObject *measurement = json_object_new ();
                  JsonObject *w = json_object_new ();

                  json_object_set_double_member (w, "value", g_ascii_strtod (value, NULL));
                  json_object_set_string_member (w, "unit", weight_unit (_tdm_shopify_string (weight, "unit")));
                  json_object_set_object_member (measurement, "weight", w);
                  json_object_set_object_member (item, "measurement", measurement);
                  json_object_set_object_member (out, "inventoryItem", item);
                }
            }

          if (price_excl != NULL && *price_excl != '\0')
            {
              JsonArray *mfs = json_array_new ();
              JsonObject *mf = json_object_new ();
              json_object_set_string_member (mf, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
              json_object_set_string_member (mf, "key", TDM_SHOPIFY_PRICE_EXCL_VAT_KEY);
              json_object_set_string_member (mf, "type", "number_decimal");
              json_object_set_string_member (mf, "value", price_excl);
              json_array_add_object_element (mfs, mf);
              json_object_set_array_member (out, "metafields", mfs);
            }

          if (member_to_int (v, "inventoryQuantity", &qty))
            {
              JsonObject *q = json_object_new ();
              copy_member (q, "sku", v, "sku");
              json_object_set_array_member (q, "options",
                                            json_array_ref (json_object_get_array_member (out, "optionValues")));
              json_object_set_int_member (q, "quantity", qty);
              json_array_add_object_element (quantities, q);
            }

          json_array_add_object_element (out_variants, out);
        }

      json_object_set_array_member (input, "productOptions", options_out);
      json_object_set_array_member (input, "variants", out_variants);
    }

  if (twin_id != NULL)
    {
      JsonArray *mfs = json_array_new ();
      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (NULL, twin_id));
      json_object_set_array_member (input, "metafields", mfs);
    }

  if (out_quantities != NULL)
    *out_quantities = quantities;
  else
    json_array_unref (quantities);
  return input;
}

static JsonObject *
money_bag (const char *amount,
           const char *currency)
{
  JsonObject *bag = json_object_new ();
  JsonObject *money = json_object_new ();

  json_object_set_string_member (money, "amount", amount);
  json_object_set_string_member (money, "currencyCode", currency);
  json_object_set_object_member (bag, "shopMoney", money);
  return bag;
}

static const char *
financial_status (const char *status)
{
  static const char * const allowed[] = {
    "AUTHORIZED", "EXPIRED", "PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED",
    "PENDING", "REFUNDED", "VOIDED", NULL
  };

  for (guint i = 0; status != NULL && allowed[i] != NULL; i++)
    if (g_ascii_strcasecmp (status, allowed[i]) == 0)
      return allowed[i];
  return NULL;
}

static const char *
fulfillment_status (const char *status)
{
  if (status == NULL)
    return NULL;
  if (g_ascii_strcasecmp (status, "fulfilled") == 0)
    return "FULFILLED";
  if (g_ascii_strcasecmp (status, "partial") == 0
      || g_ascii_strcasecmp (status, "partially_fulfilled") == 0)
    return "PARTIAL";
  if (g_ascii_strcasecmp (status, "restocked") == 0)
    return "RESTOCKED";
  return NULL;
}

JsonObject *
tdm_shopify_order_create_input (JsonObject *write,
                                const char *twin_id,
                                const char *shop_currency,
                                GHashTable *variant_ids)
{
  JsonObject *order = json_object_new ();
  const char *currency = _tdm_shopify_string (write, "currency");
  JsonArray *lines = _tdm_shopify_array (write, "lineItems");
  JsonArray *shipping = _tdm_shopify_array (write, "shippingLines");
  const char *customer_id = _tdm_shopify_string (write, "customerId");
  const char *status;

  if (currency == NULL || *currency == '\0')
    currency = shop_currency ? shop_currency : "USD";

  copy_member (order, "name", write, "name");
  copy_member (order, "email", write, "email");
  copy_member (order, "phone", write, "phone");
  copy_member (order, "note", write, "note");
  copy_member (order, "processedAt", write, "processedAt");
  copy_member (order, "taxesIncluded", write, "taxesIncluded");
  json_object_set_string_member (order, "currency", currency);
  if (json_object_has_member (write, "tags"))
    json_object_set_array_member (order, "tags", string_array_copy (_tdm_shopify_array (write, "tags")));

  status = financial_status (_tdm_shopify_string (write, "financialStatus"));
  if (status != NULL)
    json_object_set_string_member (order, "financialStatus", status);
  status = fulfillment_status (_tdm_shopify_string (write, "fulfillmentStatus"));
  if (status != NULL)
    json_object_set_string_member (order, "fulfillmentStatus", status);

  if (customer_id != NULL && g_str_has_prefix (customer_id, "gid://shopify/Customer/"))
    {
      JsonObject *customer = json_object_new ();
      JsonObject *assoc = json_object_new ();
      json_object_set_string_member (assoc, "id", customer_id);
      json_object_set_object_member (customer, "toAssociate", assoc);
      json_object_set_object_member (order, "customer", customer);
    }

  if (lines != NULL)
    {
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (lines); i++)
        {
          JsonObject *l = _tdm_shopify_element (lines, i);
          JsonObject *li = json_object_new ();
          const char *sku = _tdm_shopify_string (l, "sku");
          const char *variant = sku && variant_ids ? g_hash_table_lookup (variant_ids, sku) : NULL;
          g_autofree char *price = member_to_string (l, "unitPrice");
          gint64 qty = 1;

          member_to_int (l, "quantity", &qty);
          json_object_set_int_member (li, "quantity", qty);
          if (variant != NULL && *variant != '\0')
            json_object_set_string_member (li, "variantId", variant);
          else if (_tdm_shopify_string (l, "variantId") != NULL)
            json_object_set_string_member (li, "variantId", _tdm_shopify_string (l, "variantId"));
          copy_member (li, "sku", l, "sku");
          copy_member (li, "title", l, "title");
          if (!json_object_has_member (li, "title") && !json_object_has_member (li, "variantId"))
            json_object_set_string_member (li, "title", sku ? sku : _("Item"));
          json_object_set_object_member (li, "priceSet", money_bag (price ? price : "0", currency));
          json_array_add_object_element (out, li);
        }
      json_object_set_array_member (order, "lineItems", out);
    }

  if (shipping != NULL)
    {
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (shipping); i++)
        {
          JsonObject *s = _tdm_shopify_element (shipping, i);
          JsonObject *sl = json_object_new ();
          g_autofree char *price = member_to_string (s, "price");
          const char *title = _tdm_shopify_string (s, "title");

          json_object_set_string_member (sl, "title", title ? title : _("Shipping"));
          json_object_set_object_member (sl, "priceSet", money_bag (price ? price : "0", currency));
          json_array_add_object_element (out, sl);
        }
      json_object_set_array_member (order, "shippingLines", out);
    }

  if (_tdm_shopify_object (write, "shippingAddress") != NULL)
    json_object_set_object_member (order, "shippingAddress",
                                   tdm_shopify_address_input (_tdm_shopify_object (write, "shippingAddress")));
  if (_tdm_shopify_object (write, "billingAddress") != NULL)
    json_object_set_object_member (order, "billingAddress",
                                   tdm_shopify_address_input (_tdm_shopify_object (write, "billingAddress")));

  if (twin_id == NULL && _tdm_shopify_string (write, "sourceIdentifier") != NULL)
    json_object_set_string_member (order, "sourceIdentifier", _tdm_shopify_string (write, "sourceIdentifier"));
  if (twin_id != NULL)
    {
      JsonArray *mfs = json_array_new ();
      json_object_set_string_member (order, "sourceIdentifier", twin_id);
      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (NULL, twin_id));
      json_object_set_array_member (order, "metafields", mfs);
    }
  return order;
}

JsonObject *
tdm_shopify_order_update_input (JsonObject *write,
                                const char *id,
                                const char *twin_id)
{
  g_autoptr(JsonObject) input = json_object_new ();
  gboolean any = FALSE;

  json_object_set_string_member (input, "id", id);
  if (json_object_has_member (write, "email"))
    {
      copy_member (input, "email", write, "email");
      any = TRUE;
    }
  if (json_object_has_member (write, "phone"))
    {
      copy_member (input, "phone", write, "phone");
      any = TRUE;
    }
  if (json_object_has_member (write, "note"))
    {
      JsonNode *n = json_object_get_member (write, "note");
      if (JSON_NODE_HOLDS_NULL (n))
        json_object_set_string_member (input, "note", "");
      else
        copy_member (input, "note", write, "note");
      any = TRUE;
    }
  if (json_object_has_member (write, "tags"))
    {
      json_object_set_array_member (input, "tags", string_array_copy (_tdm_shopify_array (write, "tags")));
      any = TRUE;
    }
  if (_tdm_shopify_object (write, "shippingAddress") != NULL)
    {
      json_object_set_object_member (input, "shippingAddress",
                                     tdm_shopify_address_input (_tdm_shopify_object (write, "shippingAddress")));
      any = TRUE;
    }
  if (twin_id != NULL)
    {
      JsonArray *mfs = json_array_new ();
      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (NULL, twin_id));
      json_object_set_array_member (input, "metafields", mfs);
      any = TRUE;
    }
  return any ? g_steal_pointer (&input) : NULL;
}

/* ---- read helpers -------------------------------------------------------- */

const char *
tdm_shopify_node_twin_id (JsonObject *node)
{
  return _tdm_shopify_string (_tdm_shopify_object (node, "webshopId"), "value");
}

const char *
tdm_shopify_node_string (JsonObject *node,
                         const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *cur = node;
  guint n = g_strv_length (parts);

  for (guint i = 0; cur != NULL && i + 1 < n; i++)
    cur = _tdm_shopify_object (cur, parts[i]);
  return n > 0 ? _tdm_shopify_string (cur, parts[n - 1]) : NULL;
}

/* ---- bulk JSONL ----------------------------------------------------------- */

struct _TdmShopifyBulkJoiner {
  TdmKind     kind;
  JsonParser *parser;
  JsonObject *current;   /* root node being assembled */
};

TdmShopifyBulkJoiner *
tdm_shopify_bulk_joiner_new (TdmKind kind)
{
  TdmShopifyBulkJoiner *joiner = g_new0 (TdmShopifyBulkJoiner, 1);

  joiner->kind = kind;
  joiner->parser = json_parser_new ();
  return joiner;
}

void
tdm_shopify_bulk_joiner_free (TdmShopifyBulkJoiner *joiner)
{
  if (joiner == NULL)
    return;
  g_clear_object (&joiner->parser);
  g_clear_pointer (&joiner->current, json_object_unref);
  g_free (joiner);
}

static const char *
connection_for_typename (const char *type_name)
{
  if (g_strcmp0 (type_name, "MailingAddress") == 0)
    return "addressesV2";
  if (g_strcmp0 (type_name, "ProductVariant") == 0)
    return "variants";
  if (g_strcmp0 (type_name, "LineItem") == 0)
    return "lineItems";
  if (g_strcmp0 (type_name, "ShippingLine") == 0)
    return "shippingLines";
  return NULL;
}

static void
ensure_connections (TdmKind     kind,
                    JsonObject *node)
{
  static const char * const customer[] = { "addressesV2", NULL };
  static const char * const product[] = { "variants", NULL };
  static const char * const order[] = { "lineItems", "shippingLines", NULL };
  const char * const *list = kind == TDM_KIND_CUSTOMER ? customer
                             : kind == TDM_KIND_PRODUCT ? product : order;

  for (guint i = 0; list[i] != NULL; i++)
    if (!json_object_has_member (node, list[i]))
      {
        JsonObject *conn = json_object_new ();
        json_object_set_array_member (conn, "nodes", json_array_new ());
        json_object_set_object_member (node, list[i], conn);
      }
}

JsonObject *
tdm_shopify_bulk_joiner_push (TdmShopifyBulkJoiner *joiner,
                              const char           *line,
                              GError              **error)
{
  JsonNode *root;
  JsonObject *object;
  const char *parent;
  g_autofree char *marked = NULL;

  if (line == NULL || *line == '\0')
    return NULL;
  /* NULs and broken text in strings become marks that refuse only their
   * record (tdm-json-text.h), never the whole export. */
  marked = tdm_json_text_mark_data (line, strlen (line), NULL);
  if (marked != NULL)
    line = marked;
  /* json-glib recurses: a hostile line must not exhaust the stack. */
  if (!tdm_http_check_json_depth (line, strlen (line), TDM_HTTP_MAX_JSON_DEPTH, NULL, error))
    return NULL;
  {
    g_autoptr(GError) parse_error = NULL;

    if (!tdm_json_is_single_value (line, -1))
      {
        g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("Shopify's bulk export contained a line with more than one JSON value."));
        return NULL;
      }
    if (!json_parser_load_from_data (joiner->parser, line, -1, &parse_error))
      {
        /* json-glib may cut a quoted "ø" in half: keep the message valid UTF-8. */
        g_autofree char *detail = g_utf8_make_valid (parse_error->message, -1);

        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                     _("Shopify's bulk export contained a line that is not valid JSON (%s)."),
                     detail);
        return NULL;
      }
  }
  root = json_parser_get_root (joiner->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify's bulk export contained a line that is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);
  parent = _tdm_shopify_string (object, "__parentId");

  if (parent == NULL)
    {
      JsonObject *done = g_steal_pointer (&joiner->current);
      joiner->current = tdm_json_object_copy (object);
      ensure_connections (joiner->kind, joiner->current);
      return done;
    }
  else
    {
      const char *conn_name = connection_for_typename (_tdm_shopify_string (object, "__typename"));
      JsonObject *child;
      JsonObject *conn;

      if (joiner->current == NULL || conn_name == NULL
          || g_strcmp0 (parent, _tdm_shopify_string (joiner->current, "id")) != 0)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Shopify's bulk export listed a part of a record (%s) away from its record."),
                       parent);
          return NULL;
        }
      conn = _tdm_shopify_object (joiner->current, conn_name);
      if (conn == NULL || !json_object_has_member (conn, "nodes") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (conn, "nodes")))
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Shopify's bulk export listed a part of a record (%s) that the record "
                         "cannot hold."), parent);
          return NULL;
        }
      child = tdm_json_object_copy (object);
      json_object_remove_member (child, "__parentId");
      json_object_remove_member (child, "__typename");
      json_array_add_object_element (json_object_get_array_member (conn, "nodes"), child);
      return NULL;
    }
}

JsonObject *
tdm_shopify_bulk_joiner_finish (TdmShopifyBulkJoiner *joiner)
{
  return g_steal_pointer (&joiner->current);
}
