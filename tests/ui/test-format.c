/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-format"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "tdm-format.h"

/* Values as the owner reads them (src/ui/tdm-format.c): money, numbers,
 * dates, relative times, phone numbers, HTML and words. No display. */

#define NBSP "\xc2\xa0"

static const TdmFormatLocale *
locale (const char *name)
{
  return tdm_format_locale_lookup (name);
}

static void
assert_money (const char *locale_name,
              const char *amount,
              const char *currency,
              const char *expected)
{
  g_autofree char *text = tdm_format_money (locale (locale_name), amount, currency);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_locale_lookup (void)
{
  g_assert_cmpstr (locale ("nb_NO.UTF-8")->name, ==, "nb");
  g_assert_cmpstr (locale ("nn_NO")->name, ==, "nn");
  g_assert_cmpstr (locale ("en_US.UTF-8")->name, ==, "en_US");
  g_assert_cmpstr (locale ("en_GB.utf8@euro")->name, ==, "en_GB");
  g_assert_cmpstr (locale ("en_AU.UTF-8")->name, ==, "en");
  g_assert_cmpstr (locale ("fr_FR.UTF-8")->name, ==, "en");
  g_assert_cmpstr (locale ("sv_SE")->name, ==, "sv");
  g_assert_cmpstr (locale ("C")->name, ==, "en");
  g_assert_cmpstr (locale ("C.UTF-8")->name, ==, "en");
  g_assert_cmpstr (locale ("")->name, ==, "en");

  /* The C locale with LANGUAGE=nb: Norwegian conventions. */
  g_setenv ("LANGUAGE", "nb", TRUE);
  g_assert_cmpstr (tdm_format_locale_default ()->name, ==, "nb");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_cmpstr (tdm_format_locale_default ()->name, ==, "en");
}

static void
test_decimal (void)
{
  static const struct {
    const char *locale, *in;
    guint min;
    const char *out;
  } cases[] = {
    { "nb", "0", 0, "0" },
    { "nb", "999", 0, "999" },
    { "nb", "1000", 0, "1" NBSP "000" },
    { "nb", "1234567.891", 0, "1" NBSP "234" NBSP "567,891" },
    { "nb", "-0.5", 2, "-0,50" },
    { "nb", "007", 0, "7" },
    { "en", "1234567.891", 0, "1,234,567.891" },
    { "en", "12", 2, "12.00" },
    { "de", "6444.5", 2, "6.444,50" },
    /* Not decimal numbers: as they are. */
    { "nb", "1e3", 0, "1e3" },
    { "nb", "12,5", 0, "12,5" },
    { "nb", ".", 0, "." },
    { "nb", "5.", 0, "5." },
    { "nb", "", 0, "" },
    { "nb", "abc", 2, "abc" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tdm_format_decimal (locale (cases[i].locale), cases[i].in,
                                                  cases[i].min);
      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_money (void)
{
  /* The locale's own currency by its symbol, where the locale puts it. */
  assert_money ("nb_NO.UTF-8", "6444", "NOK", "kr" NBSP "6" NBSP "444,00");
  assert_money ("nb", "995.5", "NOK", "kr" NBSP "995,50");
  assert_money ("en_US", "6444", "USD", "$6,444.00");
  assert_money ("sv_SE", "6444", "SEK", "6" NBSP "444,00" NBSP "kr");
  assert_money ("de_DE", "6444", "EUR", "6.444,00" NBSP "€");
  assert_money ("da_DK", "6444", "DKK", "kr." NBSP "6.444,00");
  /* Any other currency by its code. */
  assert_money ("en", "6444", "NOK", "NOK" NBSP "6,444.00");
  assert_money ("en_US", "6444", "NOK", "NOK" NBSP "6,444.00");
  assert_money ("nb", "12.5", "EUR", "EUR" NBSP "12,50");
  assert_money ("sv", "12.5", "NOK", "12,50" NBSP "NOK");
  /* Minor units: none for yen, more kept when the value has them. */
  assert_money ("en", "1200", "JPY", "JPY" NBSP "1,200");
  assert_money ("nb", "0.125", "NOK", "kr" NBSP "0,125");
  /* Negative amounts, no currency, and text that is no amount. */
  assert_money ("nb", "-12", "NOK", "-kr" NBSP "12,00");
  assert_money ("en_US", "-12", "USD", "-$12.00");
  assert_money ("nb", "995", NULL, "995,00");
  assert_money ("nb", "free", "NOK", "free" NBSP "NOK");
}

static void
test_weight (void)
{
  g_autofree char *nb = tdm_format_weight (locale ("nb"), "0.5", "kg");
  g_autofree char *en = tdm_format_weight (locale ("en"), "1200", "g");
  g_autofree char *bare = tdm_format_weight (locale ("en"), "3", NULL);

  g_assert_cmpstr (nb, ==, "0,5" NBSP "kg");
  g_assert_cmpstr (en, ==, "1,200" NBSP "g");
  g_assert_cmpstr (bare, ==, "3");
}

static void
test_dates (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = g_date_time_new (utc, 2026, 11, 26, 18, 5, 0);
  g_autofree char *nb = tdm_format_date_time (locale ("nb_NO"), when);
  g_autofree char *en = tdm_format_date_time (locale ("en"), when);
  g_autofree char *us = tdm_format_date_time (locale ("en_US"), when);
  g_autofree char *sv = tdm_format_date_time (locale ("sv"), when);
  g_autofree char *date = tdm_format_date (locale ("nb"), when);

  g_assert_cmpstr (nb, ==, "26.11.2026 18:05");
  g_assert_cmpstr (en, ==, "26 Nov 2026 18:05");
  g_assert_cmpstr (us, ==, "11/26/2026 6:05 PM");
  g_assert_cmpstr (sv, ==, "2026-11-26 18:05");
  g_assert_cmpstr (date, ==, "26.11.2026");
}

static char *
relative (const char *locale_name,
          GDateTime  *now,
          GTimeSpan   ago)
{
  g_autoptr(GDateTime) when = g_date_time_add (now, -ago);

  return tdm_format_relative_time (locale (locale_name), when, now);
}

static void
test_relative (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+01:00");
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 11, 26, 18, 5, 0);
  static const struct {
    GTimeSpan ago;
    const char *expected;
  } cases[] = {
    { 0, "Just now" },
    { 59 * G_TIME_SPAN_SECOND, "Just now" },
    { G_TIME_SPAN_MINUTE, "1 minute ago" },
    { 5 * G_TIME_SPAN_MINUTE + 10 * G_TIME_SPAN_SECOND, "5 minutes ago" },
    { 59 * G_TIME_SPAN_MINUTE, "59 minutes ago" },
    { G_TIME_SPAN_HOUR, "1 hour ago" },
    { 3 * G_TIME_SPAN_HOUR, "3 hours ago" },
    { 8 * G_TIME_SPAN_HOUR, "Today, 10:05" },
    { 24 * G_TIME_SPAN_HOUR, "Yesterday, 18:05" },
    { 3 * G_TIME_SPAN_DAY, "23 Nov 2026 18:05" },
    /* A clock a few seconds ahead is "just now"; the future is a date. */
    { -30 * G_TIME_SPAN_SECOND, "Just now" },
    { -2 * G_TIME_SPAN_HOUR, "26 Nov 2026 20:05" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = relative ("en", now, cases[i].ago);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    g_autofree char *nb = relative ("nb", now, 3 * G_TIME_SPAN_DAY);
    g_assert_cmpstr (nb, ==, "23.11.2026 18:05");
  }
}

static void
test_timestamp (void)
{
  g_autoptr(GTimeZone) oslo = g_time_zone_new_identifier ("+01:00");
  g_autoptr(GDateTime) now = g_date_time_new (oslo, 2026, 11, 26, 18, 10, 0);
  g_autofree char *absolute = tdm_format_timestamp (locale ("nb"), "2026-11-26T17:05:00Z",
                                                    oslo, NULL);
  g_autofree char *recent = tdm_format_timestamp (locale ("en"), "2026-11-26T17:05:00Z",
                                                  oslo, now);
  g_autofree char *not_a_time = tdm_format_timestamp (locale ("en"), "soon", oslo, now);

  g_assert_cmpstr (absolute, ==, "26.11.2026 18:05");
  g_assert_cmpstr (recent, ==, "5 minutes ago");
  g_assert_cmpstr (not_a_time, ==, "soon");
}

static void
test_phone (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "+4791234567", "+47 912 34 567" },
    { "+4741234567", "+47 412 34 567" },
    { "+4722334455", "+47 22 33 44 55" },
    { "+46701234567", "+46 70 123 45 67" },
    { "+4530123456", "+45 30 12 34 56" },
    { "+14155550123", "+1 415 555 0123" },
    { "+447700900123", "+44 7700 900123" },
    { "+4930123456", "+49 301 234 56" },
    { "+493012345678", "+49 301 234 5678" },
    { "+358401234567", "+358 401 234 567" },
    /* Not E.164: as it is. */
    { "12", "12" },
    { "123", "123" },
    { "+47", "+47" },
    { "+47123", "+47123" },
    { "+47 912 34 567", "+47 912 34 567" },
    { "91234567", "91234567" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tdm_format_phone (cases[i].in);
      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_html (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "<p>Varm <strong>lusekofte</strong> i ren ull.</p>\n<p>Str&oslash;kkes p&aring; lav "
      "varme &amp; t&#248;rkes flatt.</p>",
      "Varm lusekofte i ren ull.\n\nStrøkkes på lav varme & tørkes flatt." },
    { "<ul><li>Ull</li><li>Alpakka</li></ul><p>Vask 30&#x00B0;</p>",
      "• Ull\n• Alpakka\n\nVask 30°" },
    { "Linje 1<br>Linje 2<br/>Linje 3", "Linje 1\nLinje 2\nLinje 3" },
    { "<div class=\"a>b\">Tekst</div>", "Tekst" },
    { "<script>alert('<p>')</script><style>p { color: red }</style>Synlig", "Synlig" },
    { "<!-- <p>skjult</p> -->Synlig", "Synlig" },
    { "  mange   \n  mellomrom  ", "mange mellomrom" },
    { "a < b &unknown; &", "a < b &unknown; &" },
    { "<P>STORE</P><H2>Tittel</H2>", "STORE\n\nTittel" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tdm_format_html_to_text (cases[i].in);
      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_words (void)
{
  static const struct {
    const char *in, *out;
  } states[] = {
    { "partially_paid", "Partially paid" },
    { "PAID", "Paid" },
    { "partial", "Partially fulfilled" },
    { "unfulfilled", "Unfulfilled" },
    { "active", "Active" },
    { "some_new_state", "Some new state" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *text = tdm_format_state (states[i].in);
      g_assert_cmpstr (text, ==, states[i].out);
    }

  {
    g_autofree char *no = tdm_format_country ("NO");
    g_autofree char *se = tdm_format_country ("se");
    g_autofree char *unknown = tdm_format_country ("ZZ");

    g_assert_cmpstr (no, ==, "Norway");
    g_assert_cmpstr (se, ==, "Sweden");
    g_assert_cmpstr (unknown, ==, "ZZ");
  }
  {
    g_autofree char *nb = tdm_format_language ("nb");
    g_autofree char *sv = tdm_format_language ("sv-SE");
    g_autofree char *unknown = tdm_format_language ("tlh");

    g_assert_cmpstr (nb, ==, "Norwegian Bokmål");
    g_assert_cmpstr (sv, ==, "Swedish");
    g_assert_cmpstr (unknown, ==, "tlh");
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/locale-lookup", test_locale_lookup);
  g_test_add_func ("/format/decimal", test_decimal);
  g_test_add_func ("/format/money", test_money);
  g_test_add_func ("/format/weight", test_weight);
  g_test_add_func ("/format/dates", test_dates);
  g_test_add_func ("/format/relative", test_relative);
  g_test_add_func ("/format/timestamp", test_timestamp);
  g_test_add_func ("/format/phone", test_phone);
  g_test_add_func ("/format/html", test_html);
  g_test_add_func ("/format/words", test_words);

  return g_test_run ();
}
