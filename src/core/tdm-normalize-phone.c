/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"

/* Phone numbers to E.164 ("+4791234567"), with the numbering plans of the
 * countries Tandem's shops sell to; see docs/sync.md, Normalization. */

/* ---- Numbering plans ---- */

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

  g_assert (digits != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (phone_plans); i++)
    {
      const char *cc = phone_plans[i].calling_code;

      if (g_str_has_prefix (digits, cc) &&
          (best == NULL || strlen (cc) > strlen (best->calling_code)))
        best = &phone_plans[i];
    }
  return best;
}

/* ---- Steps of tdm_normalize_phone ---- */

/* The digits of `clean` (ASCII, any Unicode digit converted), with
 * *international set when the number starts with "+" or "00" (which is
 * dropped). Spaces, dashes, dots, slashes and brackets are skipped; any other
 * character is an error. */
static GString *
collect_phone_digits (const char  *clean,
                      gboolean    *international,
                      GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = clean;

  g_assert (clean != NULL);
  g_assert (international != NULL);
  g_assert (!*international);

  if (*p == '+')
    {
      *international = TRUE;
      p++;
    }

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* "+47 (0)22 …" and "+44 (0)20 …": the bracketed trunk zero is dropped */
      if (c == '(' && p[1] == '0' && p[2] == ')' && (*international || digits->len > 0))
        {
          p += 2;
          continue;
        }
      /* "(+47) 912 34 567": a plus before any digit */
      if (c == '+' && !*international && digits->len == 0)
        {
          *international = TRUE;
          continue;
        }
      if (g_unichar_isdigit (c))
        {
          int d = g_unichar_digit_value (c);
          g_string_append_c (digits, (char) ('0' + d));
        }
      else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' ||
               _tdm_normalize_is_trim_char (c))
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

  if (!*international && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      *international = TRUE;
    }
  return g_steal_pointer (&digits);
}

/* The plan of an international number and, in *national, its digits after
 * the country code; NULL (and *national NULL) for a country code Tandem has
 * no plan for. */
static const PhonePlan *
split_international_number (const char  *digits,
                            const char **national)
{
  const PhonePlan *plan;

  g_assert (digits != NULL);
  g_assert (national != NULL);

  plan = phone_plan_for_digits (digits);
  if (plan == NULL)
    {
      *national = NULL;
      return NULL;
    }

  *national = digits + strlen (plan->calling_code);
  /* a trunk prefix written after the country code ("+49 030…" is a common
   * mistake): no subscriber number starts with it, so drop it */
  if (*plan->trunk != '\0' && g_str_has_prefix (*national, plan->trunk))
    *national += strlen (plan->trunk);
  return plan;
}

/* The plan of the default country for a number written without a country
 * code and, in *national, its digits without the trunk prefix; NULL + error
 * when Tandem has no plan for that country. */
static const PhonePlan *
split_national_number (const char  *clean,
                       const char  *digits,
                       const char  *default_country,
                       const char **national,
                       GError     **error)
{
  const char *country = default_country != NULL ? default_country
                                                : TDM_NORMALIZE_DEFAULT_COUNTRY;
  const PhonePlan *plan;

  g_assert (clean != NULL);
  g_assert (digits != NULL);
  g_assert (national != NULL);

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
  *national = digits;
  /* in these countries no subscriber number starts with the trunk prefix */
  if (*plan->trunk != '\0' && g_str_has_prefix (*national, plan->trunk))
    *national += strlen (plan->trunk);
  /* a national number written with the country code but without "+" or "00" */
  else if (strlen (*national) > plan->max_len &&
           g_str_has_prefix (*national, plan->calling_code) &&
           strlen (*national) - strlen (plan->calling_code) >= plan->min_len &&
           strlen (*national) - strlen (plan->calling_code) <= plan->max_len)
    *national += strlen (plan->calling_code);
  return plan;
}

/* Whether `national` is a subscriber number by `plan`'s rules. */
static gboolean
check_national_number (const char       *clean,
                       const PhonePlan  *plan,
                       const char       *national,
                       GError          **error)
{
  gsize len;

  g_assert (clean != NULL);
  g_assert (plan != NULL);
  g_assert (national != NULL);

  len = strlen (national);

  /* No subscriber number starts with the trunk prefix, so one left after
   * stripping it once means the number is wrong ("1 1 225…" in the US);
   * accepting it would give a number that does not read back the same. */
  if (*plan->trunk != '\0' && g_str_has_prefix (national, plan->trunk))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a valid phone number for country code +%s. "
                     "Check the digits after the country code."),
                   clean, plan->calling_code);
      return FALSE;
    }
  if (len < plan->min_len)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too short to be a phone number (country code +%s). "
                     "Check that no digits are missing."),
                   clean, plan->calling_code);
      return FALSE;
    }
  if (len > plan->max_len)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too long to be a phone number (country code +%s). "
                     "Check for extra digits, or write another country code."),
                   clean, plan->calling_code);
      return FALSE;
    }
  return TRUE;
}

/* Whether `digits` (country code included) can be an international number
 * by the E.164 limits alone, for a country code Tandem has no plan for. */
static gboolean
check_e164_number (const char  *clean,
                   const char  *digits,
                   GError     **error)
{
  gsize len;

  g_assert (clean != NULL);
  g_assert (digits != NULL);

  len = strlen (digits);
  if (len < 8)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too short to be an international phone number. "
                     "Check that no digits are missing."),
                   clean);
      return FALSE;
    }
  if (len > 15)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is too long to be a phone number: international numbers have at most "
                     "15 digits."),
                   clean);
      return FALSE;
    }
  if (digits[0] == '0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a valid international phone number: country codes do not "
                     "start with 0."),
                   clean);
      return FALSE;
    }
  return TRUE;
}

/* ---- Public API ---- */

char *
tdm_normalize_phone (const char  *in,
                     const char  *default_country,
                     GError     **error)
{
  g_autofree char *clean = _tdm_normalize_clean_string (in);
  g_autoptr(GString) digits = NULL;
  const PhonePlan *plan;
  const char *national = NULL;
  gboolean international = FALSE;

  if (clean == NULL)
    return NULL;

  digits = collect_phone_digits (clean, &international, error);
  if (digits == NULL)
    return NULL;

  if (international)
    plan = split_international_number (digits->str, &national);
  else
    {
      plan = split_national_number (clean, digits->str, default_country, &national, error);
      if (plan == NULL)
        return NULL;
    }

  if (plan != NULL)
    {
      if (!check_national_number (clean, plan, national, error))
        return NULL;
      return g_strdup_printf ("+%s%s", plan->calling_code, national);
    }

  /* a country code Tandem has no plan for: E.164 limits only */
  if (!check_e164_number (clean, digits->str, error))
    return NULL;
  return g_strdup_printf ("+%s", digits->str);
}
