/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Value types of mapping rows (the "Shopify data type" column). Each has a
 * normalizer so that equal things compare equal (docs/sync.md, Normalization). */
typedef enum {
  TDM_VALUE_STRING,        /* "String": trimmed, NFC; "" → empty */
  TDM_VALUE_EMAIL,         /* "Email": trimmed, lower-cased; must contain one @ and a dot in the domain */
  TDM_VALUE_PHONE,         /* "Phone": E.164 ("+4791234567"); national numbers use the default country */
  TDM_VALUE_TAGS,          /* "[String]": sorted, de-duplicated set of trimmed strings; also accepts "a, b" */
  TDM_VALUE_MONEY,         /* "Money": canonical decimal string, "10" = "10.0" = "10.00" → "10";
                            * "12,50" → "12.5"; exponents exact ("1e3" → "1000"); also a
                            * MoneyV2 {"amount"} or MoneyBag {"shopMoney": {"amount"}} object */
  TDM_VALUE_DECIMAL,       /* "Decimal": same canonical decimal strings, any precision */
  TDM_VALUE_INT,           /* "Int": JSON integer (64-bit); numeric strings accepted */
  TDM_VALUE_BOOLEAN,       /* "Boolean": true/false; "true"/"1"/"yes" accepted */
  TDM_VALUE_DATETIME,      /* "DateTime": RFC 3339 in UTC with Z, seconds precision */
  TDM_VALUE_COUNTRY_CODE,  /* "CountryCode": ISO 3166-1 alpha-2 upper-case */
  TDM_VALUE_CURRENCY_CODE, /* "CurrencyCode": ISO 4217 upper-case, must be a known code */
  TDM_VALUE_HTML,          /* "HTML": trimmed string, line endings normalized */
  TDM_VALUE_ID,            /* "ID" / "id": opaque string, trimmed */
  TDM_VALUE_ENUM,          /* an enum type ("ProductStatus", …): lower-case canonical string;
                            * the row's transform maps between the sides' spellings */
  TDM_VALUE_WEIGHT,        /* "Weight": {"value": decimal string, "unit": "kg"|"g"|"lb"|"oz"};
                            * Shopify's units (KILOGRAMS …) accepted; a zero weight is empty
                            * (Shopify reports 0 kg for a weight never set) */
  TDM_VALUE_REFERENCE,     /* a reference to another kind's record, canonical = webshop id */
  TDM_VALUE_LIST,          /* "[MailingAddress]", "[ProductVariant]", …: array of objects, sub-rows normalize items */
  TDM_VALUE_OBJECT,        /* "MailingAddress", "MoneyBag": object, sub-rows normalize members */
  TDM_VALUE_TAX_LINES,     /* "[TaxLine]": a list of tax lines, each {"title", "rate" (a decimal
                            * fraction, "0.25"), "price" (the amount)}; the webshop's
                            * {title, rate, price} and Shopify's {title, rate (a number),
                            * priceSet {shopMoney {amount}}} both accepted. One value: a
                            * list inside a list row (an order line's taxes) */
} TdmValueType;

typedef struct {
  const char *default_country;   /* ISO alpha-2 for national phone numbers, e.g. "NO";
                                  * NULL (or NULL options) = TDM_NORMALIZE_DEFAULT_COUNTRY */
} TdmNormalizeOptions;

#define TDM_NORMALIZE_DEFAULT_COUNTRY "NO"

/* Parse a type name as written in mapping files ("String", "Email", "[String]",
 * "Money", "CountryCode", "ProductStatus", "[MailingAddress]", …). Unknown → FALSE. */
gboolean     tdm_value_type_from_name   (const char    *name,
                                         TdmValueType  *out_type);
const char  *tdm_value_type_to_name     (TdmValueType   type);

/* Normalize one value. Returns a new node, or NULL for "empty" (absent, null,
 * "", whitespace, [] or {}) with no error. On a value that cannot be
 * normalized (an invalid email, an unparseable phone, "12,3.4" as money)
 * returns NULL and sets a G_IO_ERROR_INVALID_DATA-free TDM_SYNC_ERROR_VALIDATION
 * whose message says what is wrong with the value (the caller adds record and field). */
JsonNode    *tdm_normalize_value        (TdmValueType               type,
                                         JsonNode                  *value,
                                         const TdmNormalizeOptions *options,
                                         GError                   **error);

/* Helpers usable on their own (all return newly allocated strings or NULL + error). */
char        *tdm_normalize_email        (const char *in, GError **error);
char        *tdm_normalize_phone        (const char *in, const char *default_country, GError **error);
char        *tdm_normalize_decimal      (const char *in, GError **error);   /* never via double */
char        *tdm_normalize_datetime     (const char *in, GError **error);   /* → UTC "…Z" */
char        *tdm_normalize_country_code (const char *in, GError **error);
char        *tdm_normalize_currency     (const char *in, GError **error);
/* Canonical weight unit ("kg" | "g" | "lb" | "oz") for any accepted spelling
 * ("KILOGRAMS", "Grams", "lbs", …); NULL when unknown. */
const char  *tdm_weight_unit_canonical  (const char *spelling);

/* Exact decimal arithmetic on canonical decimal strings, for derived values
 * such as the VAT-exclusive price: a / (1 + rate/100) rounded half-even to
 * `scale` digits. */
char        *tdm_decimal_divide_vat     (const char *price, const char *rate_percent, guint scale);
int          tdm_decimal_compare        (const char *a, const char *b);

G_END_DECLS
