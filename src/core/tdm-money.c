/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-money"

#include "config.h"

#include "tdm-money.h"

#include <string.h>

/* Money leaves Tandem as a decimal string with as many decimals as its
 * currency has: two for most, three for a few, none for some
 * (docs/mapping.md § Money). */

static const struct {
  const char *code;
  guint       digits;
} currency_digits[] = {
  /* three decimals */
  { "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
  { "TND", 3 },
  /* none */
  { "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 }, { "JPY", 0 },
  { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 }, { "UGX", 0 }, { "VND", 0 },
  { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 },
};

/* The number of decimals of `currency` (ISO 4217); 2 when unknown or NULL. */
guint
tdm_money_currency_digits (const char *currency)
{
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currency_digits); i++)
    if (g_ascii_strcasecmp (currency, currency_digits[i].code) == 0)
      return currency_digits[i].digits;
  return 2;
}

/* Adds one unit in the last place to the digits in `s` (most significant
 * first); returns TRUE when it carried out of the first digit. */
static gboolean
add_one (GString *s)
{
  g_assert (s != NULL);

  for (gssize i = (gssize) s->len - 1; i >= 0; i--)
    {
      if (s->str[i] != '9')
        {
          s->str[i]++;
          return FALSE;
        }
      s->str[i] = '0';
    }
  return TRUE;
}

/* `amount` with exactly `digits` decimals, rounded half away from zero;
 * NULL when it is not a plain decimal. */
static char *
format_digits (const char *amount,
               guint       digits)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) all = NULL;
  const char *p = amount;
  const char *frac = "";
  gsize frac_len = 0;
  gboolean negative = FALSE;
  gboolean round_up;
  gboolean zero = TRUE;

  if (amount == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  while (g_ascii_isdigit (*p))
    g_string_append_c (whole, *p++);
  if (*p == '.')
    {
      frac = ++p;
      while (g_ascii_isdigit (*p))
        p++;
      frac_len = p - frac;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || (whole->len == 0 && frac_len == 0))
    return NULL;
  if (whole->len == 0)
    g_string_append_c (whole, '0');

  /* all the digits kept, then round on the first one dropped */
  all = g_string_new (whole->str);
  for (guint i = 0; i < digits; i++)
    g_string_append_c (all, i < frac_len ? frac[i] : '0');
  round_up = frac_len > digits && frac[digits] >= '5';
  if (round_up && add_one (all))
    g_string_prepend_c (all, '1');

  /* no leading zeros in the whole part, one kept */
  while (all->len > digits + 1 && all->str[0] == '0')
    g_string_erase (all, 0, 1);
  for (gsize i = 0; i < all->len; i++)
    if (all->str[i] != '0')
      zero = FALSE;
  if (digits > 0)
    g_string_insert_c (all, all->len - digits, '.');
  if (negative && !zero)
    g_string_prepend_c (all, '-');
  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* "2132" → "2132.00", "482.5" → "482.50", "1.005" → "1.01" (half away from
 * zero), "0.1234" KWD → "0.123". NULL when `amount` is not a plain decimal
 * (a sign, digits, a point and digits: no exponent, no thousands separator). */
char *
tdm_money_format (const char *amount,
                  const char *currency)
{
  return format_digits (amount, tdm_money_currency_digits (currency));
}

/* ---- Exact sums ---- */

#define MICROS_DIGITS    6
#define MICROS_WHOLE_MAX 12   /* digits before the point: below 10^12 */

gboolean
tdm_money_to_micros (const char *amount,
                     gint64     *out)
{
  g_autofree char *text = format_digits (amount, MICROS_DIGITS);
  const char *p;
  gboolean negative;
  gint64 value = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  p = text;
  negative = *p == '-';
  if (negative)
    p++;
  if (strchr (p, '.') - p > MICROS_WHOLE_MAX)
    return FALSE;
  for (; *p != '\0'; p++)
    if (*p != '.')
      value = value * 10 + (*p - '0');
  *out = negative ? -value : value;
  return TRUE;
}

char *
tdm_money_from_micros (gint64 micros)
{
  guint64 magnitude = micros < 0 ? (guint64) -(micros + 1) + 1 : (guint64) micros;
  g_autofree char *frac = g_strdup_printf ("%06" G_GUINT64_FORMAT, magnitude % 1000000);
  gsize len = strlen (frac);

  while (len > 0 && frac[len - 1] == '0')
    frac[--len] = '\0';
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s%s", micros < 0 ? "-" : "",
                          magnitude / 1000000, len > 0 ? "." : "", frac);
}
