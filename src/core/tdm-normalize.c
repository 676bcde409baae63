/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tdm-error.h"

/* Type names -------------------------------------------------------------- */

static const struct {
  const char   *name;
  TdmValueType  type;
} type_names[] = {
  /* the first entry of each type is its canonical name (tdm_value_type_to_name) */
  { "String", TDM_VALUE_STRING },
  { "Email", TDM_VALUE_EMAIL },
  { "Phone", TDM_VALUE_PHONE },
  { "[String]", TDM_VALUE_TAGS },
  { "Money", TDM_VALUE_MONEY },
  { "Decimal", TDM_VALUE_DECIMAL },
  { "Int", TDM_VALUE_INT },
  { "Boolean", TDM_VALUE_BOOLEAN },
  { "DateTime", TDM_VALUE_DATETIME },
  { "CountryCode", TDM_VALUE_COUNTRY_CODE },
  { "CurrencyCode", TDM_VALUE_CURRENCY_CODE },
  { "HTML", TDM_VALUE_HTML },
  { "ID", TDM_VALUE_ID },
  { "Enum", TDM_VALUE_ENUM },
  { "Weight", TDM_VALUE_WEIGHT },
  { "Reference", TDM_VALUE_REFERENCE },
  { "List", TDM_VALUE_LIST },
  { "Object", TDM_VALUE_OBJECT },
  /* synonyms, as the Shopify data type column writes them */
  { "String (email)", TDM_VALUE_EMAIL },
  { "String (E.164)", TDM_VALUE_PHONE },
  { "Tags", TDM_VALUE_TAGS },
  { "Decimal (money)", TDM_VALUE_MONEY },
  { "Integer", TDM_VALUE_INT },
  { "UnsignedInt64", TDM_VALUE_INT },
  { "Bool", TDM_VALUE_BOOLEAN },
  { "Date", TDM_VALUE_DATETIME },
  { "URL", TDM_VALUE_STRING },
  { "id", TDM_VALUE_ID },
  { "ProductStatus", TDM_VALUE_ENUM },
  { "OrderDisplayFinancialStatus", TDM_VALUE_ENUM },
  { "OrderDisplayFulfillmentStatus", TDM_VALUE_ENUM },
  { "OrderCreateFinancialStatus", TDM_VALUE_ENUM },
  { "OrderCreateFulfillmentStatus", TDM_VALUE_ENUM },
  { "WeightUnit", TDM_VALUE_ENUM },
  { "CustomerEmailMarketingState", TDM_VALUE_BOOLEAN },
  { "Customer", TDM_VALUE_REFERENCE },
  { "Product", TDM_VALUE_REFERENCE },
  { "ProductVariant", TDM_VALUE_REFERENCE },
  { "[MailingAddress]", TDM_VALUE_LIST },
  { "[ProductVariant]", TDM_VALUE_LIST },
  { "[LineItem]", TDM_VALUE_LIST },
  { "[ShippingLine]", TDM_VALUE_LIST },
  { "[Object]", TDM_VALUE_LIST },
  { "MailingAddress", TDM_VALUE_OBJECT },
  { "MoneyBag", TDM_VALUE_MONEY },
  { "[ProductOption]", TDM_VALUE_OBJECT },
  { "[SelectedOption]", TDM_VALUE_OBJECT },
};

gboolean
tdm_value_type_from_name (const char   *name,
                          TdmValueType *out_type)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_ascii_strcasecmp (name, type_names[i].name) == 0)
        {
          if (out_type != NULL)
            *out_type = type_names[i].type;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tdm_value_type_to_name (TdmValueType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (type_names[i].type == type)
      return type_names[i].name;
  g_return_val_if_reached (NULL);
}

/* Helpers ----------------------------------------------------------------- */

static gboolean
is_trim_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x200B || c == 0xFEFF || c == 0x202F;
}

/* Trim Unicode white space (including no-break spaces) at both ends and
 * compose to NFC. Returns NULL when nothing is left. */
static char *
clean_string (const char *in)
{
  const char *start = in;
  const char *end;

  if (in == NULL)
    return NULL;

  while (*start != '\0' && is_trim_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !is_trim_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  if (end == start)
    return NULL;

  return g_utf8_normalize (start, end - start, G_NORMALIZE_NFC);
}

static JsonNode *
string_node (char *owned)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, owned);
  g_free (owned);
  return node;
}

static gboolean
node_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *s = clean_string (json_node_get_string (node));
      return s == NULL;
    }
  return FALSE;
}

static char *
double_to_shortest (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

/* The text of a scalar node: strings as they are, numbers in decimal. */
static char *
scalar_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return double_to_shortest (json_node_get_double (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static void
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, message);
}

/* Emails ------------------------------------------------------------------ */

char *
tdm_normalize_email (const char  *in,
                     GError     **error)
{
  g_autofree char *clean = clean_string (in);
  g_autofree char *lower = NULL;
  const char *at;
  const char *domain;
  gboolean valid = TRUE;

  if (clean == NULL)
    return NULL;

  lower = g_utf8_strdown (clean, -1);
  at = strchr (lower, '@');
  if (at == NULL || at == lower || strchr (at + 1, '@') != NULL)
    valid = FALSE;
  else
    {
      const char *dot;

      domain = at + 1;
      dot = strrchr (domain, '.');
      if (*domain == '\0' || *domain == '.' || dot == NULL || dot[1] == '\0' ||
          strstr (domain, "..") != NULL || domain[strlen (domain) - 1] == '.')
        valid = FALSE;
    }
  for (const char *p = lower; valid && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || c == ',' || c == ';' || c == '<' || c == '>' || c < 0x20)
        valid = FALSE;
    }

  if (!valid)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a valid email address. An email address looks like "
                     "name@example.no."),
                   clean);
      return NULL;
    }
  return g_steal_pointer (&lower);
}

/* Phone numbers ----------------------------------------------------------- */

typedef struct {
  const char *country;      /* ISO alpha-2 */
  const char *calling_code; /* without "+" */
  const char *trunk;        /* national trunk prefix, or "" */
  guint       min_len;      /* national significant number length */
  guint       max_len;
} PhonePlan;

static const PhonePlan phone_plans[] = {
  { "NO", "47", "", 8, 8 },
  { "SE", "46", "0", 7, 10 },
  { "DK", "45", "", 8, 8 },
  { "FI", "358", "0", 5, 12 },
  { "IS", "354", "", 7, 9 },
  { "DE", "49", "0", 6, 13 },
  { "NL", "31", "0", 9, 9 },
  { "BE", "32", "0", 8, 9 },
  { "FR", "33", "0", 9, 9 },
  { "GB", "44", "0", 9, 10 },
  { "IE", "353", "0", 7, 9 },
  { "ES", "34", "", 9, 9 },
  { "IT", "39", "", 6, 11 },
  { "PL", "48", "", 9, 9 },
  { "AT", "43", "0", 4, 13 },
  { "CH", "41", "0", 9, 9 },
  { "US", "1", "1", 10, 10 },
  { "CA", "1", "1", 10, 10 },
  { "EE", "372", "", 7, 8 },
  { "LV", "371", "", 8, 8 },
  { "LT", "370", "", 8, 8 },
  { "PT", "351", "", 9, 9 },
  { "LU", "352", "", 4, 11 },
  { "CZ", "420", "", 9, 9 },
  { "AU", "61", "0", 9, 9 },
  { "NZ", "64", "0", 8, 10 },
};

static const PhonePlan *
phone_plan_for_country (const char *country)
{
  if (country == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (phone_plans); i++)
    if (g_ascii_strcasecmp (phone_plans[i].country, country) == 0)
      return &phone_plans[i];
  return NULL;
}

/* The plan whose calling code starts `digits` (longest match). US comes
 * before CA in the table, so "+1" numbers validate by the NANP rules. */
static const PhonePlan *
phone_plan_for_digits (const char *digits)
{
  const PhonePlan *best = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (phone_plans); i++)
    {
      const char *cc = phone_plans[i].calling_code;

      if (g_str_has_prefix (digits, cc) &&
          (best == NULL || strlen (cc) > strlen (best->calling_code)))
        best = &phone_plans[i];
    }
  return best;
}

char *
tdm_normalize_phone (const char  *in,
                     const char  *default_country,
                     GError     **error)
{
  g_autofree char *clean = clean_string (in);
  g_autoptr(GString) digits = NULL;
  const PhonePlan *plan;
  gboolean international = FALSE;
  const char *p;
  const char *national;

  if (clean == NULL)
    return NULL;

  digits = g_string_new (NULL);
  p = clean;
  if (*p == '+')
    {
      international = TRUE;
      p++;
    }

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* "+47 (0)22 …" and "+44 (0)20 …": the bracketed trunk zero is dropped */
      if (c == '(' && p[1] == '0' && p[2] == ')' && (international || digits->len > 0))
        {
          p += 2;
          continue;
        }
      /* "(+47) 912 34 567": a plus before any digit */
      if (c == '+' && !international && digits->len == 0)
        {
          international = TRUE;
          continue;
        }
      if (g_unichar_isdigit (c))
        {
          int d = g_unichar_digit_value (c);
          g_string_append_c (digits, (char) ('0' + d));
        }
      else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' ||
               is_trim_char (c))
        continue;
      else
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                       _("“%s” is not a phone number: it contains letters or other characters. "
                         "Write it with digits only, for example +47 912 34 567."),
                       clean);
          return NULL;
        }
    }

  if (!international && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      international = TRUE;
    }

  if (international)
    {
      plan = phone_plan_for_digits (digits->str);
      if (plan != NULL)
        {
          national = digits->str + strlen (plan->calling_code);
          /* a trunk prefix written after the country code ("+49 030…" is a common
           * mistake): no subscriber number starts with it, so drop it */
          if (*plan->trunk != '\0' && g_str_has_prefix (national, plan->trunk))
            national += strlen (plan->trunk);
        }
      else
        national = NULL;
    }
  else
    {
      const char *country = default_country != NULL ? default_country
                                                    : TDM_NORMALIZE_DEFAULT_COUNTRY;

      plan = phone_plan_for_country (country);
      if (plan == NULL)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                       _("“%s” has no country code, and Tandem does not know the phone numbers "
                         "of the default country %s. Write the number with its country code, "
                         "for example +47 912 34 567."),
                       clean, country);
          return NULL;
        }
      national = digits->str;
      /* in these countries no subscriber number starts with the trunk prefix */
      if (*plan->trunk != '\0' && g_str_has_prefix (national, plan->trunk))
        national += strlen (plan->trunk);
      /* a national number written with the country code but without "+" or "00" */
      else if (strlen (national) > plan->max_len &&
               g_str_has_prefix (national, plan->calling_code) &&
               strlen (national) - strlen (plan->calling_code) >= plan->min_len &&
               strlen (national) - strlen (plan->calling_code) <= plan->max_len)
        national += strlen (plan->calling_code);
    }

  if (plan != NULL)
    {
      gsize len = strlen (national);

      /* No subscriber number starts with the trunk prefix, so one left after
       * stripping it once means the number is wrong ("1 1 225…" in the US);
       * accepting it would give a number that does not read back the same. */
      if (*plan->trunk != '\0' && g_str_has_prefix (national, plan->trunk))
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                       _("“%s” is not a valid phone number for country code +%s. "
                         "Check the digits after the country code."),
                       clean, plan->calling_code);
          return NULL;
        }
      if (len < plan->min_len)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                       _("“%s” is too short to be a phone number (country code +%s). "
                         "Check that no digits are missing."),
                       clean, plan->calling_code);
          return NULL;
        }
      if (len > plan->max_len)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                       _("“%s” is too long to be a phone number (country code +%s). "
                         "Check for extra digits, or write another country code."),
                       clean, plan->calling_code);
          return NULL;
        }
      return g_strdup_printf ("+%s%s", plan->calling_code, national);
    }

  /* a country code Tandem has no plan for: E.164 limits only */
  if (digits->len < 8)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too short to be an international phone number. "
                     "Check that no digits are missing."),
                   clean);
      return NULL;
    }
  if (digits->len > 15)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too long to be a phone number: international numbers have at most "
                     "15 digits."),
                   clean);
      return NULL;
    }
  if (digits->str[0] == '0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a valid international phone number: country codes do not "
                     "start with 0."),
                   clean);
      return NULL;
    }
  return g_strdup_printf ("+%s", digits->str);
}

/* Decimals ---------------------------------------------------------------- */

typedef struct {
  gboolean  negative;
  char     *int_part;   /* digits, no leading zeros ("0" for zero) */
  char     *frac_part;  /* digits, no trailing zeros, may be "" */
} Decimal;

static void
decimal_clear (Decimal *d)
{
  g_clear_pointer (&d->int_part, g_free);
  g_clear_pointer (&d->frac_part, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decimal, decimal_clear)

#define MAX_EXPONENT 40

/* Parses a decimal written with '.' or ',' as the decimal mark and an
 * optional exponent, exactly (digit strings, never a double). */
static gboolean
decimal_parse (const char *in,
               Decimal    *out)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = in;
  int point = -1;        /* number of digits before the decimal mark */
  gint64 exponent = 0;
  gsize n_int;

  memset (out, 0, sizeof *out);

  if (*p == '+' || *p == '-')
    {
      out->negative = *p == '-';
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if ((*p == '.' || *p == ',') && point < 0)
        point = digits->len;
      else
        break;
    }
  if (digits->len == 0)
    return FALSE;
  if (point < 0)
    point = digits->len;

  if (*p == 'e' || *p == 'E')
    {
      gboolean neg_exp = FALSE;
      gboolean any = FALSE;

      p++;
      if (*p == '+' || *p == '-')
        {
          neg_exp = *p == '-';
          p++;
        }
      for (; g_ascii_isdigit (*p); p++)
        {
          any = TRUE;
          exponent = exponent * 10 + (*p - '0');
          if (exponent > MAX_EXPONENT)
            return FALSE;
        }
      if (!any)
        return FALSE;
      if (neg_exp)
        exponent = -exponent;
    }
  if (*p != '\0')
    return FALSE;

  /* shift the decimal mark */
  {
    gint64 new_point = point + exponent;

    while (new_point < 0)
      {
        g_string_prepend_c (digits, '0');
        new_point++;
      }
    while ((gsize) new_point > digits->len)
      g_string_append_c (digits, '0');
    n_int = (gsize) new_point;
  }

  {
    const char *int_start = digits->str;
    const char *int_end = digits->str + n_int;
    const char *frac_start = int_end;
    const char *frac_end = digits->str + digits->len;

    while (int_start < int_end && *int_start == '0')
      int_start++;
    while (frac_end > frac_start && frac_end[-1] == '0')
      frac_end--;

    out->int_part = int_start == int_end ? g_strdup ("0")
                                         : g_strndup (int_start, int_end - int_start);
    out->frac_part = g_strndup (frac_start, frac_end - frac_start);
  }

  if (strcmp (out->int_part, "0") == 0 && *out->frac_part == '\0')
    out->negative = FALSE;
  return TRUE;
}

static char *
decimal_to_string (const Decimal *d)
{
  return g_strdup_printf ("%s%s%s%s", d->negative ? "-" : "", d->int_part,
                          *d->frac_part != '\0' ? "." : "", d->frac_part);
}

char *
tdm_normalize_decimal (const char  *in,
                       GError     **error)
{
  g_autofree char *clean = clean_string (in);
  g_auto(Decimal) d = { 0 };

  if (clean == NULL)
    return NULL;

  if (!decimal_parse (clean, &d))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a number. Write amounts with digits and at most one decimal mark, "
                     "for example 129.90."),
                   clean);
      return NULL;
    }
  return decimal_to_string (&d);
}

static int
compare_abs (const Decimal *a,
             const Decimal *b)
{
  gsize la = strlen (a->int_part);
  gsize lb = strlen (b->int_part);
  int c;

  if (la != lb)
    return la < lb ? -1 : 1;
  c = strcmp (a->int_part, b->int_part);
  if (c != 0)
    return c < 0 ? -1 : 1;
  c = strcmp (a->frac_part, b->frac_part);   /* no trailing zeros: plain comparison works */
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int
tdm_decimal_compare (const char *a,
                     const char *b)
{
  g_auto(Decimal) da = { 0 };
  g_auto(Decimal) db = { 0 };
  g_autofree char *ca = clean_string (a);
  g_autofree char *cb = clean_string (b);
  gboolean ok_a = ca != NULL && decimal_parse (ca, &da);
  gboolean ok_b = cb != NULL && decimal_parse (cb, &db);
  int c;

  /* empty or invalid values sort first, in string order */
  if (!ok_a || !ok_b)
    {
      if (ok_a != ok_b)
        return ok_a ? 1 : -1;
      c = g_strcmp0 (ca, cb);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }

  if (da.negative != db.negative)
    return da.negative ? -1 : 1;
  c = compare_abs (&da, &db);
  return da.negative ? -c : c;
}

/* digits of d scaled by 10^extra_scale as an integer: d * 10^(frac_len + extra) */
static gboolean
decimal_to_int128 (const Decimal    *d,
                   guint             scale,
                   unsigned __int128 *out)
{
  unsigned __int128 v = 0;
  const unsigned __int128 limit = ((unsigned __int128) 1) << 120;
  gsize frac_len = strlen (d->frac_part);

  if (frac_len > scale)
    return FALSE;

  for (const char *p = d->int_part; *p; p++)
    {
      v = v * 10 + (guint) (*p - '0');
      if (v > limit)
        return FALSE;
    }
  for (gsize i = 0; i < scale; i++)
    {
      v = v * 10 + (i < frac_len ? (guint) (d->frac_part[i] - '0') : 0);
      if (v > limit)
        return FALSE;
    }
  *out = v;
  return TRUE;
}

static char *
int128_to_decimal_string (unsigned __int128 v,
                          guint             scale,
                          gboolean          negative)
{
  char buf[64];
  int pos = sizeof buf - 1;
  g_autofree char *raw = NULL;
  g_autofree char *with_point = NULL;
  g_auto(Decimal) d = { 0 };
  gsize len;

  buf[pos] = '\0';
  do
    {
      buf[--pos] = (char) ('0' + (int) (v % 10));
      v /= 10;
    }
  while (v > 0 && pos > 0);

  raw = g_strdup (buf + pos);
  len = strlen (raw);
  if (len <= scale)
    {
      g_autofree char *zeros = g_strnfill (scale - len + 1, '0');
      char *tmp = g_strconcat (zeros, raw, NULL);
      g_free (raw);
      raw = tmp;
      len = strlen (raw);
    }
  with_point = g_strdup_printf ("%s%.*s.%s", negative ? "-" : "", (int) (len - scale), raw,
                                raw + len - scale);
  if (!decimal_parse (with_point, &d))
    return NULL;
  return decimal_to_string (&d);
}

char *
tdm_decimal_divide_vat (const char *price,
                        const char *rate_percent,
                        guint       scale)
{
  g_auto(Decimal) p = { 0 };
  g_auto(Decimal) r = { 0 };
  g_autofree char *cp = clean_string (price);
  g_autofree char *cr = clean_string (rate_percent);
  unsigned __int128 pv, rv, numerator, denominator, q, rem, pow_scale = 1;
  guint ps, rs;

  if (cp == NULL || cr == NULL || !decimal_parse (cp, &p) || !decimal_parse (cr, &r))
    return NULL;
  if (r.negative || scale > 12)
    return NULL;

  ps = strlen (p.frac_part);
  rs = strlen (r.frac_part);
  if (ps > 12 || rs > 12)
    return NULL;
  if (!decimal_to_int128 (&p, ps, &pv) || !decimal_to_int128 (&r, rs, &rv))
    return NULL;

  /* price / (1 + rate/100) = pv / 10^ps / ((100·10^rs + rv) / (100·10^rs))
   *                        = pv · 100 · 10^rs / (10^ps · (100·10^rs + rv));
   * multiplied by 10^scale for the digits kept. */
  {
    unsigned __int128 pow_rs = 1, pow_ps = 1;
    const unsigned __int128 limit = ((unsigned __int128) 1) << 124;

    for (guint i = 0; i < rs; i++)
      pow_rs *= 10;
    for (guint i = 0; i < ps; i++)
      pow_ps *= 10;
    for (guint i = 0; i < scale; i++)
      pow_scale *= 10;

    if (pv > limit / (100 * pow_rs * pow_scale))
      return NULL;
    numerator = pv * 100 * pow_rs * pow_scale;
    denominator = pow_ps * (100 * pow_rs + rv);
  }

  q = numerator / denominator;
  rem = numerator % denominator;
  /* round half to even */
  if (rem * 2 > denominator || (rem * 2 == denominator && (q % 2) == 1))
    q++;

  return int128_to_decimal_string (q, scale, p.negative && q != 0);
}

/* Date and time ------------------------------------------------------------- */

char *
tdm_normalize_datetime (const char  *in,
                        GError     **error)
{
  g_autofree char *clean = clean_string (in);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) dt_utc = NULL;

  if (clean == NULL)
    return NULL;

  /* "2026-11-26 18:01:15+01:00": a space instead of the T */
  if (strlen (clean) > 10 && clean[10] == ' ')
    clean[10] = 'T';

  if (strlen (clean) == 10)
    {
      /* a date alone: midnight UTC */
      g_autofree char *full = g_strconcat (clean, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  else
    dt = g_date_time_new_from_iso8601 (clean, utc);

  if (dt == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a date and time Tandem understands. "
                     "Use the form 2026-11-26T18:01:15+01:00."),
                   clean);
      return NULL;
    }

  dt_utc = g_date_time_to_utc (dt);
  /* Not "%Y": GLib does not pad years before 1000 to four digits. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (dt_utc), g_date_time_get_month (dt_utc),
                          g_date_time_get_day_of_month (dt_utc), g_date_time_get_hour (dt_utc),
                          g_date_time_get_minute (dt_utc), g_date_time_get_second (dt_utc));
}

/* Countries and currencies ---------------------------------------------------- */

static const char iso3166_alpha2[] =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
  "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
  "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
  "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
  "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
  "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
  "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
  "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
  "ZW XK";

static const char iso4217[] =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP "
  "BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
  "GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR "
  "KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
  "MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR "
  "SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD "
  "TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL";

static gboolean
code_in_table (const char *table,
               const char *code,
               gsize       len)
{
  if (strlen (code) != len)
    return FALSE;
  for (const char *p = table; *p != '\0'; p += len + 1)
    {
      if (strncmp (p, code, len) == 0)
        return TRUE;
      if (p[len] == '\0')
        break;
    }
  return FALSE;
}

/* An ISO code from a table, upper-cased. Returns NULL for empty input (no
 * error) and for an unknown code (with *invalid set to the cleaned input, for
 * the caller's message). */
static char *
normalize_code (const char  *in,
                const char  *table,
                gsize        len,
                char       **invalid)
{
  g_autofree char *clean = clean_string (in);
  g_autofree char *upper = NULL;

  if (clean == NULL)
    return NULL;
  upper = g_ascii_strup (clean, -1);
  if (!code_in_table (table, upper, len))
    {
      *invalid = g_steal_pointer (&clean);
      return NULL;
    }
  return g_steal_pointer (&upper);
}

char *
tdm_normalize_country_code (const char  *in,
                            GError     **error)
{
  g_autofree char *invalid = NULL;
  char *code = normalize_code (in, iso3166_alpha2, 2, &invalid);

  if (invalid != NULL)
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                 _("“%s” is not a country code. Use the two-letter ISO code, for example "
                   "NO for Norway."),
                 invalid);
  return code;
}

char *
tdm_normalize_currency (const char  *in,
                        GError     **error)
{
  g_autofree char *invalid = NULL;
  char *code = normalize_code (in, iso4217, 3, &invalid);

  if (invalid != NULL)
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                 _("“%s” is not a currency code. Use the three-letter ISO code, for "
                   "example NOK."),
                 invalid);
  return code;
}

/* Per-type normalizers ------------------------------------------------------- */

typedef JsonNode *(*NormalizeFunc) (JsonNode                  *value,
                                    const TdmNormalizeOptions *options,
                                    GError                   **error);

static gboolean
require_scalar (JsonNode   *value,
                GError    **error)
{
  if (JSON_NODE_HOLDS_VALUE (value))
    return TRUE;
  set_invalid (error, JSON_NODE_HOLDS_ARRAY (value)
                        ? _("A list was found where a single value is expected.")
                        : _("A group of values was found where a single value is expected."));
  return FALSE;
}

static JsonNode *
normalize_string (JsonNode                  *value,
                  const TdmNormalizeOptions *options,
                  GError                   **error)
{
  g_autofree char *text = NULL;
  char *clean;

  if (!require_scalar (value, error))
    return NULL;
  text = scalar_text (value);
  clean = clean_string (text);
  return clean != NULL ? string_node (clean) : NULL;
}

typedef char *(*StringFunc) (const char *in, GError **error);

static JsonNode *
normalize_with (JsonNode   *value,
                StringFunc  func,
                GError    **error)
{
  g_autofree char *text = NULL;
  char *result;

  if (!require_scalar (value, error))
    return NULL;
  text = scalar_text (value);
  result = func (text, error);
  return result != NULL ? string_node (result) : NULL;
}

static JsonNode *
normalize_email (JsonNode                  *value,
                 const TdmNormalizeOptions *options,
                 GError                   **error)
{
  return normalize_with (value, tdm_normalize_email, error);
}

static JsonNode *
normalize_phone (JsonNode                  *value,
                 const TdmNormalizeOptions *options,
                 GError                   **error)
{
  g_autofree char *text = NULL;
  char *result;

  if (!require_scalar (value, error))
    return NULL;
  text = scalar_text (value);
  result = tdm_normalize_phone (text, options != NULL ? options->default_country : NULL, error);
  return result != NULL ? string_node (result) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
normalize_tags (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  JsonArray *result;
  JsonNode *node;

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *text = NULL;
          char *clean;

          if (JSON_NODE_HOLDS_NULL (element))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (element))
            {
              set_invalid (error, _("A tag list may only hold words, not groups of values."));
              return NULL;
            }
          text = scalar_text (element);
          clean = clean_string (text);
          if (clean != NULL)
            g_ptr_array_add (tags, clean);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (value))
    {
      g_autofree char *text = scalar_text (value);
      g_auto(GStrv) parts = g_strsplit (text, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *clean = clean_string (parts[i]);
          if (clean != NULL)
            g_ptr_array_add (tags, clean);
        }
    }
  else
    {
      set_invalid (error, _("Tags must be a list of words or a comma-separated text."));
      return NULL;
    }

  if (tags->len == 0)
    return NULL;

  g_ptr_array_sort (tags, compare_strings);
  result = json_array_new ();
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);

      if (i > 0 && strcmp (tag, g_ptr_array_index (tags, i - 1)) == 0)
        continue;
      json_array_add_string_element (result, tag);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, result);
  return node;
}

static JsonNode *
normalize_decimal (JsonNode                  *value,
                   const TdmNormalizeOptions *options,
                   GError                   **error)
{
  /* A MoneyBag / MoneyV2 object: {"amount": "…", "currencyCode": …} or
   * {"shopMoney": {"amount": …}} */
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);

      if (json_object_has_member (object, "shopMoney"))
        return normalize_decimal (json_object_get_member (object, "shopMoney"), options, error);
      if (json_object_has_member (object, "amount"))
        {
          JsonNode *amount = json_object_get_member (object, "amount");
          return node_is_empty (amount) ? NULL : normalize_decimal (amount, options, error);
        }
    }
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      set_invalid (error, _("Yes/no was found where a number is expected."));
      return NULL;
    }
  return normalize_with (value, tdm_normalize_decimal, error);
}

static JsonNode *
normalize_int (JsonNode                  *value,
               const TdmNormalizeOptions *options,
               GError                   **error)
{
  JsonNode *node;
  gint64 result = 0;

  if (!require_scalar (value, error))
    return NULL;

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_INT64:
      result = json_node_get_int (value);
      break;

    case G_TYPE_DOUBLE:
    case G_TYPE_STRING:
      {
        g_autofree char *text = scalar_text (value);
        g_autofree char *clean = clean_string (text);
        g_auto(Decimal) d = { 0 };
        guint64 magnitude = 0;
        gboolean ok = clean != NULL && decimal_parse (clean, &d) && *d.frac_part == '\0' &&
                      strlen (d.int_part) <= 19;

        if (ok)
          {
            for (const char *p = d.int_part; *p; p++)
              magnitude = magnitude * 10 + (guint64) (*p - '0');
            ok = strlen (d.int_part) < 19 ||
                 magnitude <= (d.negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64);
          }
        if (!ok)
          {
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                         _("“%s” is not a whole number."), clean != NULL ? clean : "");
            return NULL;
          }
        result = d.negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
      }
      break;

    default:
      set_invalid (error, _("Yes/no was found where a whole number is expected."));
      return NULL;
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, result);
  return node;
}

static JsonNode *
normalize_boolean (JsonNode                  *value,
                   const TdmNormalizeOptions *options,
                   GError                   **error)
{
  static const char *yes[] = { "true", "1", "yes", "y", "on", "ja", "subscribed" };
  static const char *no[] = {
    "false", "0", "no", "n", "off", "nei", "unsubscribed", "not_subscribed"
  };
  g_autofree char *text = NULL;
  g_autofree char *clean = NULL;
  JsonNode *node;
  int result = -1;

  if (!require_scalar (value, error))
    return NULL;

  if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    result = json_node_get_boolean (value);
  else
    {
      text = scalar_text (value);
      clean = clean_string (text);
      for (guint i = 0; clean != NULL && i < G_N_ELEMENTS (yes) && result < 0; i++)
        if (g_ascii_strcasecmp (clean, yes[i]) == 0)
          result = TRUE;
      for (guint i = 0; clean != NULL && i < G_N_ELEMENTS (no) && result < 0; i++)
        if (g_ascii_strcasecmp (clean, no[i]) == 0)
          result = FALSE;
    }

  if (result < 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a yes/no value. Use true or false."), clean != NULL ? clean : "");
      return NULL;
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (node, result);
  return node;
}

static JsonNode *
normalize_datetime (JsonNode                  *value,
                    const TdmNormalizeOptions *options,
                    GError                   **error)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
    {
      /* seconds since 1970 */
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (json_node_get_int (value));

      if (dt == NULL)
        {
          set_invalid (error, _("The number is not a valid point in time."));
          return NULL;
        }
      return string_node (g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ"));
    }
  return normalize_with (value, tdm_normalize_datetime, error);
}

static JsonNode *
normalize_country (JsonNode                  *value,
                   const TdmNormalizeOptions *options,
                   GError                   **error)
{
  return normalize_with (value, tdm_normalize_country_code, error);
}

static JsonNode *
normalize_currency (JsonNode                  *value,
                    const TdmNormalizeOptions *options,
                    GError                   **error)
{
  return normalize_with (value, tdm_normalize_currency, error);
}

static JsonNode *
normalize_html (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  g_autofree char *text = NULL;
  g_autofree char *clean = NULL;
  GString *out;

  if (!require_scalar (value, error))
    return NULL;
  text = scalar_text (value);
  clean = clean_string (text);
  if (clean == NULL)
    return NULL;

  out = g_string_sized_new (strlen (clean));
  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return string_node (g_string_free (out, FALSE));
}

static JsonNode *
normalize_enum (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  g_autofree char *text = NULL;
  g_autofree char *clean = NULL;

  if (!require_scalar (value, error))
    return NULL;
  text = scalar_text (value);
  clean = clean_string (text);
  if (clean == NULL)
    return NULL;
  return string_node (g_utf8_strdown (clean, -1));
}

static const struct {
  const char *spelling;
  const char *unit;
} weight_units[] = {
  { "kg", "kg" }, { "kilograms", "kg" }, { "kilogram", "kg" }, { "kgs", "kg" },
  { "g", "g" }, { "grams", "g" }, { "gram", "g" }, { "gr", "g" },
  { "lb", "lb" }, { "pounds", "lb" }, { "pound", "lb" }, { "lbs", "lb" },
  { "oz", "oz" }, { "ounces", "oz" }, { "ounce", "oz" },
};

/* Canonical weight unit for any accepted spelling ("KILOGRAMS" → "kg"), or NULL. */
const char *
tdm_weight_unit_canonical (const char *spelling)
{
  if (spelling == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (weight_units); i++)
    if (g_ascii_strcasecmp (spelling, weight_units[i].spelling) == 0)
      return weight_units[i].unit;
  return NULL;
}

static JsonNode *
normalize_weight (JsonNode                  *value,
                  const TdmNormalizeOptions *options,
                  GError                   **error)
{
  JsonObject *object;
  JsonObject *result;
  JsonNode *node;
  g_autofree char *value_text = NULL;
  g_autofree char *unit_text = NULL;
  g_autofree char *amount = NULL;
  const char *unit;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      set_invalid (error, _("A weight needs a value and a unit, for example 0.5 kg."));
      return NULL;
    }
  object = json_node_get_object (value);
  if (!json_object_has_member (object, "value") ||
      node_is_empty (json_object_get_member (object, "value")))
    return NULL;

  value_text = scalar_text (json_object_get_member (object, "value"));
  if (value_text == NULL ||
      json_node_get_value_type (json_object_get_member (object, "value")) == G_TYPE_BOOLEAN)
    {
      set_invalid (error, _("The weight is not a number."));
      return NULL;
    }
  amount = tdm_normalize_decimal (value_text, error);
  if (amount == NULL)
    return NULL;
  /* Shopify reports 0 kg for variants whose weight was never set: no weight */
  if (strcmp (amount, "0") == 0)
    return NULL;
  if (amount[0] == '-')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The weight %s is negative."), amount);
      return NULL;
    }

  if (json_object_has_member (object, "unit") &&
      !node_is_empty (json_object_get_member (object, "unit")))
    unit_text = scalar_text (json_object_get_member (object, "unit"));
  if (unit_text == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The weight %s has no unit. Give the unit as kg, g, lb or oz."), amount);
      return NULL;
    }
  g_strstrip (unit_text);
  unit = tdm_weight_unit_canonical (unit_text);
  if (unit == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a weight unit. Use kg, g, lb or oz."), unit_text);
      return NULL;
    }

  result = json_object_new ();
  json_object_set_string_member (result, "value", amount);
  json_object_set_string_member (result, "unit", unit);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, result);
  return node;
}

static JsonNode *
normalize_id (JsonNode                  *value,
              const TdmNormalizeOptions *options,
              GError                   **error)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      set_invalid (error, _("Yes/no was found where an id is expected."));
      return NULL;
    }
  return normalize_string (value, options, error);
}

static JsonNode *
normalize_list (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  JsonArray *array;
  JsonArray *result;
  JsonNode *node;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      set_invalid (error, _("A single value was found where a list is expected."));
      return NULL;
    }

  array = json_node_get_array (value);
  result = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          json_array_unref (result);
          set_invalid (error,
                       _("The list holds a single value where a group of values is expected."));
          return NULL;
        }
      if (json_object_get_size (json_node_get_object (element)) == 0)
        continue;
      json_array_add_element (result, json_node_copy (element));
    }
  if (json_array_get_length (result) == 0)
    {
      json_array_unref (result);
      return NULL;
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, result);
  return node;
}

/* A generic object (options {"Size": "M"}, an address without sub-rows):
 * scalar members are cleaned like strings, empty members dropped. */
static JsonNode *
normalize_object (JsonNode                  *value,
                  const TdmNormalizeOptions *options,
                  GError                   **error)
{
  JsonObject *object;
  JsonObject *result;
  JsonNode *node;
  GList *members;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      set_invalid (error, _("A single value was found where a group of values is expected."));
      return NULL;
    }
  object = json_node_get_object (value);
  result = json_object_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *key = clean_string (l->data);
      JsonNode *member = json_object_get_member (object, l->data);

      if (key == NULL || node_is_empty (member))
        continue;
      if (JSON_NODE_HOLDS_VALUE (member))
        {
          g_autofree char *text = scalar_text (member);
          char *clean = clean_string (text);

          if (clean != NULL)
            json_object_set_member (result, key, string_node (clean));
        }
      else
        json_object_set_member (result, key, json_node_copy (member));
    }
  g_list_free (members);

  if (json_object_get_size (result) == 0)
    {
      json_object_unref (result);
      return NULL;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, result);
  return node;
}

static const NormalizeFunc normalizers[] = {
  [TDM_VALUE_STRING] = normalize_string,
  [TDM_VALUE_EMAIL] = normalize_email,
  [TDM_VALUE_PHONE] = normalize_phone,
  [TDM_VALUE_TAGS] = normalize_tags,
  [TDM_VALUE_MONEY] = normalize_decimal,
  [TDM_VALUE_DECIMAL] = normalize_decimal,
  [TDM_VALUE_INT] = normalize_int,
  [TDM_VALUE_BOOLEAN] = normalize_boolean,
  [TDM_VALUE_DATETIME] = normalize_datetime,
  [TDM_VALUE_COUNTRY_CODE] = normalize_country,
  [TDM_VALUE_CURRENCY_CODE] = normalize_currency,
  [TDM_VALUE_HTML] = normalize_html,
  [TDM_VALUE_ID] = normalize_id,
  [TDM_VALUE_ENUM] = normalize_enum,
  [TDM_VALUE_WEIGHT] = normalize_weight,
  [TDM_VALUE_REFERENCE] = normalize_id,
  [TDM_VALUE_LIST] = normalize_list,
  [TDM_VALUE_OBJECT] = normalize_object,
};

JsonNode *
tdm_normalize_value (TdmValueType               type,
                     JsonNode                  *value,
                     const TdmNormalizeOptions *options,
                     GError                   **error)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (normalizers), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node_is_empty (value))
    return NULL;
  return normalizers[type] (value, options, error);
}
