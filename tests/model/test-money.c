/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include "tdm-money.h"

static void
test_digits (void)
{
  g_assert_cmpuint (tdm_money_currency_digits ("NOK"), ==, 2);
  g_assert_cmpuint (tdm_money_currency_digits ("USD"), ==, 2);
  g_assert_cmpuint (tdm_money_currency_digits (NULL), ==, 2);
  g_assert_cmpuint (tdm_money_currency_digits ("XYZ"), ==, 2);
  for (guint i = 0; i < 7; i++)
    {
      const char *three[] = { "KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD" };
      g_assert_cmpuint (tdm_money_currency_digits (three[i]), ==, 3);
    }
  g_assert_cmpuint (tdm_money_currency_digits ("kwd"), ==, 3);
  g_assert_cmpuint (tdm_money_currency_digits ("JPY"), ==, 0);
}

static void
test_format (void)
{
  static const struct {
    const char *amount;
    const char *currency;
    const char *expected;
  } cases[] = {
    { "2132", "NOK", "2132.00" },
    { "482.5", "NOK", "482.50" },
    { "482.50", "EUR", "482.50" },
    { "0", "NOK", "0.00" },
    { ".5", "NOK", "0.50" },
    { "007.1", "NOK", "7.10" },
    { "1.005", "NOK", "1.01" },
    { "1.004", "NOK", "1.00" },
    { "9.995", "NOK", "10.00" },
    { "99.999", "NOK", "100.00" },
    { "-12.5", "NOK", "-12.50" },
    { "-0.001", "NOK", "0.00" },
    { " 12 ", "NOK", "12.00" },
    { "12.5", "KWD", "12.500" },
    { "0.1234", "KWD", "0.123" },
    { "0.1235", "BHD", "0.124" },
    { "1288.8", "TND", "1288.800" },
    { "1500.4", "JPY", "1500" },
    { "1500.5", "JPY", "1501" },
    { "6444", NULL, "6444.00" },
  };
  static const char * const bad[] = { "", "abc", "1e5", "1,5", "12.5.1", "--1", ".", "12 kr" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tdm_money_format (cases[i].amount, cases[i].currency);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = tdm_money_format (bad[i], "NOK");
      g_assert_null (out);
    }
  g_assert_null (tdm_money_format (NULL, "NOK"));
}

/* Exact sums in millionths: amounts add and multiply without a float. */
static void
test_micros (void)
{
  static const struct {
    const char *amount;
    gint64      micros;
    const char *back;
  } cases[] = {
    { "12.5", 12500000, "12.5" },
    { "1066.00", 1066000000, "1066" },
    { "0.1", 100000, "0.1" },
    { "-29.8", -29800000, "-29.8" },
    { "0", 0, "0" },
    { "0.0000005", 1, "0.000001" },
    { "999999999999.5", G_GINT64_CONSTANT (999999999999500000), "999999999999.5" },
  };
  static const char * const bad[] = { "", "abc", "1e5", "1000000000000", "12 kr" };
  gint64 sum = 0;
  g_autofree char *total = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 micros = -1;
      g_autofree char *back = NULL;

      g_assert_true (tdm_money_to_micros (cases[i].amount, &micros));
      g_assert_cmpint (micros, ==, cases[i].micros);
      back = tdm_money_from_micros (micros);
      g_assert_cmpstr (back, ==, cases[i].back);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 micros = 0;
      g_assert_false (tdm_money_to_micros (bad[i], &micros));
    }
  /* 0.1 + 0.2 is 0.3 here */
  for (guint i = 0; i < 3; i++)
    {
      gint64 m = 0;
      g_assert_true (tdm_money_to_micros (i == 0 ? "0.1" : i == 1 ? "0.2" : "-0.000001", &m));
      sum += m;
    }
  total = tdm_money_from_micros (sum);
  g_assert_cmpstr (total, ==, "0.299999");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/money/digits", test_digits);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/micros", test_micros);
  return g_test_run ();
}
