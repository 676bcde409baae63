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

/* "2132" → "2132.00", "482.5" → "482.50", "1.005" → "1.01" (half away from
 * zero), "0.1234" KWD → "0.123". NULL when `amount` is not a plain decimal
 * (a sign, digits, a point and digits: no exponent, no thousands separator). */
char *
tdm_money_format (const char *amount,
                  const char *currency)
{
  guint digits = tdm_money_currency_digits (currency);
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
