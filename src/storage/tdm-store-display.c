/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <string.h>

#include "tdm-store-private.h"

/* The display columns of a record in the entity views: title, subtitle,
 * extra and extra2 as shown, the sort keys, and the lower-cased words the
 * search index holds. Computed from the record's canonical fields
 * (docs/mapping.md names them). */

/* ---- Reading fields ---- */

static char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  g_assert (name != NULL);

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));
        return *s != '\0' ? g_steal_pointer (&s) : NULL;
      }
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

static JsonObject *
first_variant (JsonObject *fields)
{
  JsonNode *node;
  JsonArray *array;

  if (fields == NULL || !json_object_has_member (fields, "variants"))
    return NULL;
  node = json_object_get_member (fields, "variants");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
member_or_variant (JsonObject *fields,
                   const char *name)
{
  char *value = member_string (fields, name);

  if (value == NULL)
    value = member_string (first_variant (fields), name);
  return value;
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* ---- Text ---- */

/* The id as a user would type it: the webshop id, or the number at the end
 * of a Shopify GID. */
const char *
_tdm_store_id_for_search (const char *id)
{
  const char *slash;

  if (id == NULL)
    return NULL;
  slash = strrchr (id, '/');
  return slash != NULL ? slash + 1 : id;
}

/* Lower-casing and case folding, with a fast path for ASCII text (most
 * names, emails, numbers and ids), where both equal ASCII lower-casing. */
static gboolean
text_is_ascii (const char *text)
{
  g_assert (text != NULL);

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

char *
_tdm_store_text_down (const char *text)
{
  if (text == NULL)
    return NULL;
  return text_is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_strdown (text, -1);
}

static char *
text_fold (const char *text)
{
  if (text == NULL)
    return NULL;
  return text_is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
}

/* ---- Per kind ---- */

static void
display_customer (TdmStoreDisplay *d,
                  JsonObject      *fields)
{
  g_autofree char *first = member_string (fields, "first_name");
  g_autofree char *last = member_string (fields, "last_name");

  g_assert (d != NULL);

  if (first != NULL && last != NULL)
    d->title = g_strdup_printf ("%s %s", first, last);
  else if (first != NULL || last != NULL)
    d->title = g_strdup (first != NULL ? first : last);
  d->subtitle = member_string (fields, "email");
  d->extra = member_string (fields, "phone");
  if (d->title == NULL)
    d->title = g_strdup (d->subtitle);
  d->extra_key = _tdm_store_text_down (d->extra);
}

static void
display_product (TdmStoreDisplay *d,
                 JsonObject      *fields)
{
  g_assert (d != NULL);

  d->title = member_string (fields, "title");
  d->subtitle = member_or_variant (fields, "sku");
  d->extra = member_or_variant (fields, "price");
  d->extra2 = member_string (fields, "status");
  if (d->extra != NULL && is_number (d->extra))
    {
      d->extra_key = g_strdup (d->extra);
      d->extra_numeric = TRUE;
    }
  else
    d->extra_key = _tdm_store_text_down (d->extra);
}

static void
display_order (TdmStoreDisplay *d,
               JsonObject      *fields)
{
  g_autofree char *financial = member_string (fields, "financial_status");
  g_autofree char *fulfillment = member_string (fields, "fulfillment_status");
  const char *number;

  g_assert (d != NULL);

  d->title = member_string (fields, "number");
  if (d->title == NULL)
    d->title = member_string (fields, "name");
  d->subtitle = member_string (fields, "email");
  d->extra = member_string (fields, "total_price");
  if (financial != NULL && fulfillment != NULL)
    d->extra2 = g_strdup_printf ("%s · %s", financial, fulfillment);
  else if (financial != NULL || fulfillment != NULL)
    d->extra2 = g_strdup (financial != NULL ? financial : fulfillment);

  number = d->title;
  if (number != NULL && number[0] == '#')
    number++;
  if (number != NULL && is_number (number))
    {
      d->title_key = g_strdup (number);
      d->title_numeric = TRUE;
    }
  if (d->extra != NULL && is_number (d->extra))
    {
      d->extra_key = g_strdup (d->extra);
      d->extra_numeric = TRUE;
    }
}

/* ---- Entry points ---- */

void
_tdm_store_display_compute (TdmStoreDisplay *d,
                            TdmKind          kind,
                            JsonObject      *fields,
                            const char      *id)
{
  const char *id_words = _tdm_store_id_for_search (id);
  GString *search;

  g_assert (d != NULL);

  memset (d, 0, sizeof *d);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      display_customer (d, fields);
      break;
    case TDM_KIND_PRODUCT:
      display_product (d, fields);
      break;
    case TDM_KIND_ORDER:
    default:
      display_order (d, fields);
      break;
    }

  if (d->title == NULL)
    d->title = g_strdup (id);
  if (d->title_key == NULL && d->title != NULL)
    d->title_key = text_fold (d->title);
  if (d->subtitle != NULL)
    d->subtitle_key = text_fold (d->subtitle);

  search = g_string_new (NULL);
  for (const char *part[] = { d->title, d->subtitle, d->extra, d->extra2, id_words },
       **p = part; p < part + G_N_ELEMENTS (part); p++)
    {
      if (*p == NULL)
        continue;
      if (search->len > 0)
        g_string_append_c (search, ' ');
      g_string_append (search, *p);
    }
  d->search = _tdm_store_text_down (search->str);
  g_string_free (search, TRUE);
}

void
_tdm_store_display_clear (TdmStoreDisplay *d)
{
  g_assert (d != NULL);

  g_free (d->title);
  g_free (d->subtitle);
  g_free (d->extra);
  g_free (d->extra2);
  g_free (d->title_key);
  g_free (d->subtitle_key);
  g_free (d->extra_key);
  g_free (d->search);
  memset (d, 0, sizeof *d);
}
