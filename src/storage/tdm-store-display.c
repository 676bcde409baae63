/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-store"

#include "config.h"

#include "tdm-store.h"

#include <string.h>

#include "tdm-store-private.h"

/* The display columns of a record in the entity views: title, subtitle,
 * extra, extra2, extra3 and currency as shown (tdm-store.h says what each
 * holds per kind), the sort keys, and the folded words the search index
 * holds (_tdm_store_text_search). Computed from the record's canonical
 * fields (docs/mapping.md names them). */

/* ---- Reading fields ---- */

char *
_tdm_store_member_text (JsonObject *object,
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
  char *value = _tdm_store_member_text (fields, name);

  if (value == NULL)
    value = _tdm_store_member_text (first_variant (fields), name);
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

/* Letters that Unicode does not decompose into a base letter and a mark
 * (so dropping marks leaves them as they are), as a shop owner types them
 * without the key: "solvi" for "Sølvi", "aerlig" for "ærlig". Case-folded
 * text only holds the lower-case forms. */
static const struct {
  gunichar    letter;
  const char *plain;
} plain_letters[] = {
  { 0x00E6, "ae" },  /* æ */
  { 0x00F8, "o" },   /* ø */
  { 0x0153, "oe" },  /* œ */
  { 0x00F0, "d" },   /* ð */
  { 0x0111, "d" },   /* đ */
  { 0x00FE, "th" },  /* þ */
  { 0x0142, "l" },   /* ł */
  { 0x0131, "i" },   /* ı */
  { 0x0127, "h" },   /* ħ */
  { 0x014B, "n" },   /* ŋ */
};

static void
append_plain_letter (GString  *out,
                     gunichar  c)
{
  g_assert (out != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plain_letters); i++)
    if (plain_letters[i].letter == c)
      {
        g_string_append (out, plain_letters[i].plain);
        return;
      }
  g_string_append_unichar (out, c);
}

/* The words of the search index and of a search, as one form: case-folded,
 * accents dropped (å → a, é → e, ü → u) and the letters that have no
 * accent to drop spelled plainly (ø → o, æ → ae, ß → ss), so that a search
 * for "solvi" finds "Sølvi" and "sølvi" finds "Solvi". FTS5's
 * remove_diacritics only knows the letters that decompose. */
char *
_tdm_store_text_search (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  if (text_is_ascii (text))
    return g_ascii_strdown (text, -1);

  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_steal_pointer (&folded);
  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      append_plain_letter (out, c);
    }
  return g_string_free (out, FALSE);
}

/* ---- Per kind ---- */

static void
display_customer (TdmStoreDisplay *d,
                  JsonObject      *fields)
{
  g_autofree char *first = _tdm_store_member_text (fields, "first_name");
  g_autofree char *last = _tdm_store_member_text (fields, "last_name");

  g_assert (d != NULL);

  if (first != NULL && last != NULL)
    d->title = g_strdup_printf ("%s %s", first, last);
  else if (first != NULL || last != NULL)
    d->title = g_strdup (first != NULL ? first : last);
  d->subtitle = _tdm_store_member_text (fields, "email");
  d->extra = _tdm_store_member_text (fields, "phone");
  if (d->title == NULL)
    d->title = g_strdup (d->subtitle);
  d->extra_key = _tdm_store_text_down (d->extra);
}

/* The sum of the variants' stock (or the product's own), as a whole
 * number; NULL when no variant says. */
char *
_tdm_store_product_stock (JsonObject *fields)
{
  JsonNode *node;
  gint64 total = 0;
  gboolean known = FALSE;

  if (fields == NULL)
    return NULL;
  node = json_object_get_member (fields, "variants");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *variants = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (variants); i++)
        {
          JsonNode *variant = json_array_get_element (variants, i);
          g_autofree char *quantity = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (variant))
            continue;
          quantity = _tdm_store_member_text (json_node_get_object (variant), "inventory_quantity");
          if (quantity != NULL && is_number (quantity))
            {
              total += (gint64) g_ascii_strtod (quantity, NULL);
              known = TRUE;
            }
        }
    }
  if (!known)
    {
      g_autofree char *quantity = _tdm_store_member_text (fields, "inventory_quantity");

      if (quantity != NULL && is_number (quantity))
        {
          total = (gint64) g_ascii_strtod (quantity, NULL);
          known = TRUE;
        }
    }
  return known ? g_strdup_printf ("%" G_GINT64_FORMAT, total) : NULL;
}

static void
display_product (TdmStoreDisplay *d,
                 JsonObject      *fields)
{
  g_assert (d != NULL);

  d->title = _tdm_store_member_text (fields, "title");
  d->subtitle = member_or_variant (fields, "sku");
  d->extra = member_or_variant (fields, "price");
  d->extra2 = _tdm_store_member_text (fields, "status");
  d->extra3 = _tdm_store_product_stock (fields);
  if (d->extra != NULL && is_number (d->extra))
    {
      d->extra_key = g_strdup (d->extra);
      d->extra_numeric = TRUE;
    }
  else
    d->extra_key = _tdm_store_text_down (d->extra);
}

/* "Gro Løvås" from an address's first and last name, or its company. */
static char *
address_name (JsonObject *fields,
              const char *member)
{
  JsonNode *node;
  JsonObject *address;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  g_assert (member != NULL);

  node = fields != NULL ? json_object_get_member (fields, member) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  address = json_node_get_object (node);
  first = _tdm_store_member_text (address, "first_name");
  last = _tdm_store_member_text (address, "last_name");
  if (first != NULL && last != NULL)
    return g_strdup_printf ("%s %s", first, last);
  if (first != NULL || last != NULL)
    return g_strdup (first != NULL ? first : last);
  return _tdm_store_member_text (address, "company");
}

static void
display_order (TdmStoreDisplay *d,
               JsonObject      *fields)
{
  const char *number;

  g_assert (d != NULL);

  d->title = _tdm_store_member_text (fields, "number");
  if (d->title == NULL)
    d->title = _tdm_store_member_text (fields, "name");
  /* The customer by name: the billing address's, the shipping address's,
   * else the e-mail address the order was placed with. */
  d->email = _tdm_store_member_text (fields, "email");
  d->subtitle = address_name (fields, "billing_address");
  if (d->subtitle == NULL)
    d->subtitle = address_name (fields, "shipping_address");
  if (d->subtitle == NULL)
    d->subtitle = g_strdup (d->email);
  d->extra = _tdm_store_member_text (fields, "total_price");
  d->extra2 = _tdm_store_member_text (fields, "financial_status");
  d->extra3 = _tdm_store_member_text (fields, "fulfillment_status");
  d->currency = _tdm_store_member_text (fields, "currency");

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
  for (const char *part[] = { d->title, d->subtitle, d->email, d->extra, d->extra2, d->extra3,
                              id_words },
       **p = part; p < part + G_N_ELEMENTS (part); p++)
    {
      if (*p == NULL || (p != part && g_strcmp0 (*p, *(p - 1)) == 0))
        continue;
      if (search->len > 0)
        g_string_append_c (search, ' ');
      g_string_append (search, *p);
    }
  d->search = _tdm_store_text_search (search->str);
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
  g_free (d->extra3);
  g_free (d->currency);
  g_free (d->email);
  g_free (d->title_key);
  g_free (d->subtitle_key);
  g_free (d->extra_key);
  g_free (d->search);
  memset (d, 0, sizeof *d);
}
