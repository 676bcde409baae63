/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-csv"

#include "config.h"

#include <string.h>

#include "tdm-csv.h"

/* CSV injection. The exports hold text that anyone who registers on the
 * webshop can choose (a customer's name, an error message that quotes it). A
 * spreadsheet opening the file runs a cell that starts with '=', '+', '-' or
 * '@' as a formula (=HYPERLINK(…), DDE calls such as +cmd|' /C calc'!A0), and
 * a leading tab or carriage return can hide such a start from a quick look.
 * As OWASP's "CSV Injection" advice says, such a cell is written with a
 * leading apostrophe, which makes it text, and always quoted (with inner
 * quotes doubled) so that the apostrophe and the value stay one field.
 *
 * The full-width forms (＝ ＋ － ＠), which some spreadsheets also accept as
 * the start of a formula, are treated the same.
 *
 * One exception, on purpose: a plain decimal number with a leading minus and
 * nothing else ("-2.50", "-12", "-2,50") is written unchanged. It cannot run
 * anything, and a refund's negative total must stay a number the shop owner
 * can add up. Anything more ("-2+3", "-A1", "-1e5", "- 2") is neutralised.
 * A leading '+' is always neutralised, also before digits: "+4791234567" is a
 * phone number, which a spreadsheet would otherwise turn into 4791234567. */

static const char * const formula_starts[] = {
  "=", "+", "-", "@", "\t", "\r",
  "\xef\xbc\x9d",  /* U+FF1D FULLWIDTH EQUALS SIGN */
  "\xef\xbc\x8b",  /* U+FF0B FULLWIDTH PLUS SIGN */
  "\xef\xbc\x8d",  /* U+FF0D FULLWIDTH HYPHEN-MINUS */
  "\xef\xbc\xa0",  /* U+FF20 FULLWIDTH COMMERCIAL AT */
};

/* "-" digits, then at most one '.' or ',' followed by digits. */
static gboolean
is_plain_negative_number (const char *value)
{
  const char *p = value;

  g_assert (value != NULL);

  if (*p != '-')
    return FALSE;
  p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.' || *p == ',')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

gboolean
tdm_csv_value_is_formula (const char *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  if (is_plain_negative_number (value))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (formula_starts); i++)
    {
      if (g_str_has_prefix (value, formula_starts[i]))
        return TRUE;
    }
  return FALSE;
}

void
tdm_csv_append_value (GString    *line,
                      const char *value)
{
  gboolean formula;

  if (line->len > 0)
    g_string_append_c (line, ',');
  if (value == NULL)
    return;
  formula = tdm_csv_value_is_formula (value);
  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  if (formula)
    g_string_append_c (line, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}
