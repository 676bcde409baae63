/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-csv"

#include "config.h"

#include "tdm-csv.h"

/* The CSV writer every export uses (src/ui/tdm-csv.c). */

static char *
one_cell (const char *value)
{
  GString *line = g_string_new (NULL);

  tdm_csv_append_value (line, value);
  return g_string_free (line, FALSE);
}

/* A cell that a spreadsheet would run as a formula is written as text: a
 * leading apostrophe, inside quotes, inner quotes doubled. */
static void
test_formulas_neutralised (void)
{
  const struct {
    const char *value;
    const char *written;
  } cases[] = {
    { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
    { "+cmd|' /C calc'!A0",              "\"'+cmd|' /C calc'!A0\"" },
    { "-2+3",                            "\"'-2+3\"" },
    { "@SUM(A1)",                        "\"'@SUM(A1)\"" },
    { "\t=1+1",                          "\"'\t=1+1\"" },
    { "\r=1+1",                          "\"'\r=1+1\"" },
    { "=1+1",                            "\"'=1+1\"" },
    { "-",                               "\"'-\"" },
    { "-A1",                             "\"'-A1\"" },
    { "-1e5",                            "\"'-1e5\"" },
    { "-2.",                             "\"'-2.\"" },
    { "- 2",                             "\"'- 2\"" },
    { "+4791234567",                     "\"'+4791234567\"" },
    { "+2",                              "\"'+2\"" },
    { "\xef\xbc\x9d" "1+1",              "\"'\xef\xbc\x9d" "1+1\"" },
    { "\xef\xbc\x8b" "1",                "\"'\xef\xbc\x8b" "1\"" },
    { "\xef\xbc\x8d" "1",                "\"'\xef\xbc\x8d" "1\"" },
    { "\xef\xbc\xa0" "SUM(A1)",          "\"'\xef\xbc\xa0" "SUM(A1)\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *written = one_cell (cases[i].value);

      g_test_message ("%s", cases[i].value);
      g_assert_true (tdm_csv_value_is_formula (cases[i].value));
      g_assert_cmpstr (written, ==, cases[i].written);
    }
}

/* Everything else is written as before: plain when it can be, RFC 4180
 * quoting when it holds a comma, quote or line break; a plain negative
 * decimal number stays a number (see tdm-csv.c). */
static void
test_ordinary_values (void)
{
  const struct {
    const char *value;
    const char *written;
  } cases[] = {
    { "Kari Nordmann",        "Kari Nordmann" },
    { "kari@example.no",      "kari@example.no" },
    { "499.00",               "499.00" },
    { "-2.50",                "-2.50" },
    { "-12",                  "-12" },
    { "-2,50",                "\"-2,50\"" },
    { "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z" },
    { "Berg, Per",            "\"Berg, Per\"" },
    { "say \"hi\"",           "\"say \"\"hi\"\"\"" },
    { "two\nlines",           "\"two\nlines\"" },
    { "a=b",                  "a=b" },
    { " =1+1",                " =1+1" },
    { "",                     "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *written = one_cell (cases[i].value);

      g_test_message ("%s", cases[i].value);
      g_assert_false (tdm_csv_value_is_formula (cases[i].value));
      g_assert_cmpstr (written, ==, cases[i].written);
    }
  g_assert_false (tdm_csv_value_is_formula (NULL));
}

/* Cells join with commas; NULL is an empty field. */
static void
test_line (void)
{
  g_autoptr(GString) line = g_string_new (NULL);

  tdm_csv_append_value (line, "Ola");
  tdm_csv_append_value (line, NULL);
  tdm_csv_append_value (line, "@ola");
  tdm_csv_append_value (line, "-5");
  g_assert_cmpstr (line->str, ==, "Ola,,\"'@ola\",-5");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/formulas-neutralised", test_formulas_neutralised);
  g_test_add_func ("/csv/ordinary-values", test_ordinary_values);
  g_test_add_func ("/csv/line", test_line);

  return g_test_run ();
}
