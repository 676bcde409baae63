/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"

/* Decimals and money as canonical decimal strings ("10.00" → "10",
 * "12,50" → "12.5"), compared and divided exactly on digit strings, never
 * through a double; see docs/sync.md, Normalization. */

/* ---- Parsing ---- */

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

/* Reads an optional exponent ("e3", "E-2", at most MAX_EXPONENT) at *p and
 * moves *p past it. FALSE for an "e" without digits or a larger exponent. */
static gboolean
parse_exponent (const char **p,
                gint64      *exponent)
{
  gboolean neg_exp = FALSE;
  gboolean any = FALSE;

  g_assert (p != NULL && *p != NULL);
  g_assert (exponent != NULL);

  *exponent = 0;
  if (**p != 'e' && **p != 'E')
    return TRUE;

  (*p)++;
  if (**p == '+' || **p == '-')
    {
      neg_exp = **p == '-';
      (*p)++;
    }
  for (; g_ascii_isdigit (**p); (*p)++)
    {
      any = TRUE;
      *exponent = *exponent * 10 + (**p - '0');
      if (*exponent > MAX_EXPONENT)
        return FALSE;
    }
  if (!any)
    return FALSE;
  if (neg_exp)
    *exponent = -*exponent;
  return TRUE;
}

/* Sets out's integer and fraction parts from `digits` with the decimal mark
 * after `point` digits (which may lie outside them), without leading or
 * trailing zeros. */
static void
set_decimal_parts (Decimal *out,
                   GString *digits,
                   gint64   point)
{
  gsize n_int;

  g_assert (out != NULL);
  g_assert (digits != NULL && digits->len > 0);

  /* shift the decimal mark */
  while (point < 0)
    {
      g_string_prepend_c (digits, '0');
      point++;
    }
  while ((gsize) point > digits->len)
    g_string_append_c (digits, '0');
  n_int = (gsize) point;

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
}

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

  g_assert (in != NULL);
  g_assert (out != NULL);

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

  if (!parse_exponent (&p, &exponent))
    return FALSE;
  if (*p != '\0')
    return FALSE;

  set_decimal_parts (out, digits, point + exponent);

  if (strcmp (out->int_part, "0") == 0 && *out->frac_part == '\0')
    out->negative = FALSE;
  return TRUE;
}

static char *
decimal_to_string (const Decimal *d)
{
  g_assert (d != NULL && d->int_part != NULL && d->frac_part != NULL);

  return g_strdup_printf ("%s%s%s%s", d->negative ? "-" : "", d->int_part,
                          *d->frac_part != '\0' ? "." : "", d->frac_part);
}

char *
tdm_normalize_decimal (const char  *in,
                       GError     **error)
{
  g_autofree char *clean = _tdm_normalize_clean_string (in);
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

gboolean
_tdm_normalize_parse_int64 (const char *clean,
                            gint64     *out)
{
  g_auto(Decimal) d = { 0 };
  guint64 magnitude = 0;
  gsize len;

  g_assert (clean != NULL);
  g_assert (out != NULL);

  if (!decimal_parse (clean, &d) || *d.frac_part != '\0')
    return FALSE;
  len = strlen (d.int_part);
  if (len > 19)
    return FALSE;

  for (const char *p = d.int_part; *p; p++)
    magnitude = magnitude * 10 + (guint64) (*p - '0');
  if (len == 19 &&
      magnitude > (d.negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64))
    return FALSE;

  *out = d.negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return TRUE;
}

/* ---- Comparison ---- */

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
  g_autofree char *ca = _tdm_normalize_clean_string (a);
  g_autofree char *cb = _tdm_normalize_clean_string (b);
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

/* ---- Division (VAT) ---- */

/* d · 10^scale as an integer; FALSE when d has more than `scale` fraction
 * digits or does not fit in 120 bits. */
static gboolean
decimal_to_int128 (const Decimal    *d,
                   guint             scale,
                   unsigned __int128 *out)
{
  unsigned __int128 v = 0;
  const unsigned __int128 limit = ((unsigned __int128) 1) << 120;
  gsize frac_len;

  g_assert (d != NULL && d->int_part != NULL && d->frac_part != NULL);
  g_assert (out != NULL);

  frac_len = strlen (d->frac_part);
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
  g_autofree char *cp = _tdm_normalize_clean_string (price);
  g_autofree char *cr = _tdm_normalize_clean_string (rate_percent);
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
