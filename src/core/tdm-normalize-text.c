/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"

/* Values written in a fixed text format: email addresses, dates and times,
 * ISO country and currency codes; see docs/sync.md, Normalization. */

/* ---- Emails ---- */

char *
tdm_normalize_email (const char  *in,
                     GError     **error)
{
  g_autofree char *clean = _tdm_normalize_clean_string (in);
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

/* ---- Date and time ---- */

char *
tdm_normalize_datetime (const char  *in,
                        GError     **error)
{
  g_autofree char *clean = _tdm_normalize_clean_string (in);
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

/* ---- Countries and currencies ---- */

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
  g_assert (table != NULL);
  g_assert (code != NULL);
  g_assert (len > 0);

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
  g_autofree char *clean = _tdm_normalize_clean_string (in);
  g_autofree char *upper = NULL;

  g_assert (table != NULL);
  g_assert (invalid != NULL && *invalid == NULL);

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
