/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-mapping-page-private.h"

/* The mapping table in a shop owner's words: row labels, data types,
 * directions (docs/mapping.md). */

/* ---- Problems ---- */

char *
_tdm_mapping_page_strip_row_context (const char *message,
                                     TdmKind     kind,
                                     guint       number)
{
  g_autofree char *prefix = NULL;

  g_assert (message != NULL);
  g_assert ((guint) kind < TDM_N_KINDS);

  /* The same words as the validation's (src/core/tdm-mapping-load.c). */
  prefix = g_strdup_printf (_("In the mapping “%s”, row %u of the %s table: %s"),
                            TDM_MAPPING_PAGE_SOURCE, number, tdm_kind_to_string (kind), "");
  if (g_str_has_prefix (message, prefix))
    return g_strdup (message + strlen (prefix));

  return g_strdup (message);
}

/* ---- Row labels ---- */

static TdmMapping *
default_mapping (void)
{
  static TdmMapping *mapping;

  if (g_once_init_enter (&mapping))
    g_once_init_leave (&mapping, tdm_mapping_new_default ());

  return mapping;
}

static gboolean
is_acronym (const char *word)
{
  static const char * const acronyms[] = { "id", "sku", "vat", "html", "url", "seo", NULL };

  return g_strv_contains (acronyms, word);
}

/* "province_code" → "Province code", "address1" → "Address 1",
 * "shopify_id" → "Shopify ID". */
static char *
humanize_path (const char *path)
{
  const char *last = strrchr (path, '.');
  g_autofree char *segment = g_strdup (last != NULL ? last + 1 : path);
  g_auto(GStrv) words = NULL;
  GString *out = g_string_new (NULL);
  char *marker = strstr (segment, "[]");

  if (marker != NULL)
    *marker = '\0';
  words = g_strsplit (segment, "_", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (is_acronym (word))
        {
          g_autofree char *upper = g_ascii_strup (word, -1);

          g_string_append (out, upper);
          continue;
        }
      for (const char *c = word; *c != '\0'; c++)
        {
          if (g_ascii_isdigit (*c) && c > word && !g_ascii_isdigit (c[-1]))
            g_string_append_c (out, ' ');
          g_string_append_c (out, *c);
        }
    }
  if (out->len > 0)
    out->str[0] = g_ascii_toupper (out->str[0]);

  return g_string_free (out, FALSE);
}

char *
_tdm_mapping_page_mapping_row_label (TdmKind              kind,
                                     const TdmMappingRow *row)
{
  g_assert (row != NULL);
  g_assert ((guint) kind < TDM_N_KINDS);

  return g_strdup (tdm_mapping_row_get_label (row));
}

/* The default mapping's row for these paths: the same webshop and Shopify
 * path, else the same webshop path. */
static const TdmMappingRow *
find_default_row (TdmKind     kind,
                  const char *webshop,
                  const char *shopify)
{
  GPtrArray *rows = tdm_mapping_get_rows (default_mapping (), kind);
  const TdmMappingRow *same_webshop = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->webshop, webshop) != 0)
        continue;
      if (g_strcmp0 (row->shopify, shopify) == 0)
        return row;
      if (same_webshop == NULL)
        same_webshop = row;
    }
  return same_webshop;
}

char *
_tdm_mapping_page_row_label (TdmKind     kind,
                             JsonObject *row)
{
  const char *label = _tdm_mapping_page_row_string (row, "label");
  const char *webshop = _tdm_mapping_page_row_string (row, "webshop");
  const TdmMappingRow *known;

  g_assert ((guint) kind < TDM_N_KINDS);

  if (label != NULL && *label != '\0')
    return g_strdup (_(label));
  if (webshop == NULL || *webshop == '\0')
    return g_strdup (_("New row"));

  known = find_default_row (kind, webshop, _tdm_mapping_page_row_string (row, "shopify"));
  if (known != NULL)
    return _tdm_mapping_page_mapping_row_label (kind, known);

  return humanize_path (webshop);
}

/* ---- Data types ---- */

static const struct {
  const char *name;
  const char *label;
} type_words[] = {
  { "String", N_("Text") },
  { "Email", N_("Email") },
  { "Phone", N_("Phone number") },
  { "[String]", N_("Tags") },
  { "Money", N_("Money") },
  { "Decimal", N_("Decimal number") },
  { "Int", N_("Whole number") },
  { "Boolean", N_("Yes or no") },
  { "DateTime", N_("Date and time") },
  { "CountryCode", N_("Country") },
  { "CurrencyCode", N_("Currency") },
  { "HTML", N_("Formatted text") },
  { "ID", N_("Identifier") },
  { "Weight", N_("Weight") },
  { "Reference", N_("Link to another record") },
  { "CustomerEmailMarketingState", N_("Email marketing consent") },
  { "ProductStatus", N_("Product status") },
  { "OrderDisplayFinancialStatus", N_("Payment status") },
  { "OrderCreateFinancialStatus", N_("Payment status") },
  { "OrderDisplayFulfillmentStatus", N_("Fulfillment status") },
  { "OrderCreateFulfillmentStatus", N_("Fulfillment status") },
  { "WeightUnit", N_("Weight unit") },
  { "[MailingAddress]", N_("List of addresses") },
  { "[ProductVariant]", N_("List of variants") },
  { "[LineItem]", N_("List of order lines") },
  { "[ShippingLine]", N_("List of shipping lines") },
  { "[TaxLine]", N_("Tax lines") },
  { "[DiscountApplication]", N_("List of discounts") },
  { "MailingAddress", N_("Address") },
  { "MoneyBag", N_("Amount in the shop’s currency") },
  { "[ProductOption]", N_("Variant options") },
  { "[SelectedOption]", N_("Variant options") },
};

/* Other spellings the file format accepts, by what they normalize as. */
static const char *
value_type_label (TdmValueType type)
{
  switch (type)
    {
    case TDM_VALUE_STRING:
      return _("Text");
    case TDM_VALUE_EMAIL:
      return _("Email");
    case TDM_VALUE_PHONE:
      return _("Phone number");
    case TDM_VALUE_TAGS:
      return _("Tags");
    case TDM_VALUE_MONEY:
      return _("Money");
    case TDM_VALUE_DECIMAL:
      return _("Decimal number");
    case TDM_VALUE_INT:
      return _("Whole number");
    case TDM_VALUE_BOOLEAN:
      return _("Yes or no");
    case TDM_VALUE_DATETIME:
      return _("Date and time");
    case TDM_VALUE_COUNTRY_CODE:
      return _("Country");
    case TDM_VALUE_CURRENCY_CODE:
      return _("Currency");
    case TDM_VALUE_HTML:
      return _("Formatted text");
    case TDM_VALUE_ID:
      return _("Identifier");
    case TDM_VALUE_ENUM:
      return _("One of a fixed set of values");
    case TDM_VALUE_WEIGHT:
      return _("Weight");
    case TDM_VALUE_REFERENCE:
      return _("Link to another record");
    case TDM_VALUE_LIST:
      return _("List");
    case TDM_VALUE_TAX_LINES:
      return _("Tax lines");
    case TDM_VALUE_OBJECT:
    default:
      return _("Group of fields");
    }
}

char *
_tdm_mapping_page_type_label (const char *type_name)
{
  TdmValueType type;

  if (type_name == NULL || *type_name == '\0')
    return g_strdup (_("No data type"));

  for (guint i = 0; i < G_N_ELEMENTS (type_words); i++)
    if (g_ascii_strcasecmp (type_words[i].name, type_name) == 0)
      return g_strdup (_(type_words[i].label));

  if (tdm_value_type_from_name (type_name, &type))
    return g_strdup (value_type_label (type));

  /* Translators: a data type in a hand-edited mapping file that Tandem does
   * not know, e.g. “Strnig”. */
  return g_strdup_printf (_("Unknown data type “%s”"), type_name);
}

const char * const *
_tdm_mapping_page_type_choices (TdmKind kind)
{
#define COMMON_TYPES \
  "String", "Email", "Phone", "[String]", "Money", "Decimal", "Int", "Boolean", "DateTime", \
  "CountryCode", "CurrencyCode", "HTML", "ID"
  static const char * const customer[] = {
    COMMON_TYPES, "CustomerEmailMarketingState", "[MailingAddress]", "MailingAddress", NULL
  };
  static const char * const product[] = {
    COMMON_TYPES, "Weight", "ProductStatus", "[ProductVariant]", "[ProductOption]", NULL
  };
  static const char * const order[] = {
    COMMON_TYPES, "Reference", "OrderDisplayFinancialStatus", "OrderDisplayFulfillmentStatus",
    "MoneyBag", "[LineItem]", "[ShippingLine]", "[TaxLine]", "[DiscountApplication]",
    "MailingAddress", NULL
  };
#undef COMMON_TYPES

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return customer;
    case TDM_KIND_PRODUCT:
      return product;
    case TDM_KIND_ORDER:
      return order;
    default:
      g_assert_not_reached ();
    }
}

/* ---- Directions and writability ---- */

static const char * const direction_values[TDM_MAPPING_N_DIRECTIONS] = {
  "both", "to_shopify", "to_webshop", NULL
};

const char *
_tdm_mapping_page_direction_value (guint position)
{
  g_assert (position < TDM_MAPPING_N_DIRECTIONS);

  return direction_values[position];
}

guint
_tdm_mapping_page_direction_position (const char *direction)
{
  TdmDirection parsed;

  if (direction == NULL)
    return TDM_MAPPING_N_DIRECTIONS - 1;
  if (!tdm_direction_from_string (direction, &parsed))
    return 0;

  switch (parsed)
    {
    case TDM_DIRECTION_TO_SHOPIFY:
      return 1;
    case TDM_DIRECTION_TO_WEBSHOP:
      return 2;
    case TDM_DIRECTION_BOTH:
    case TDM_DIRECTION_OFF:
    default:
      return 0;
    }
}

const char *
_tdm_mapping_page_direction_label (const char *direction)
{
  switch (_tdm_mapping_page_direction_position (direction))
    {
    case 1:
      return _("Only to Shopify");
    case 2:
      return _("Only to the webshop");
    case 3:
      return _("Same as its group");
    case 0:
    default:
      return _("Both ways");
    }
}

const char *
_tdm_mapping_page_writable_label (const char *writable)
{
  if (g_strcmp0 (writable, "create") == 0)
    return _("Set when the record is created");
  if (g_strcmp0 (writable, "never") == 0)
    return _("Never written");
  return NULL;
}
