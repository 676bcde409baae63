/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-normalize.h"
#include "tdm-record.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

typedef struct {
  TdmValueType type;
  const char  *in;         /* JSON text */
  const char  *out;        /* canonical JSON text; NULL = empty */
} Case;

typedef struct {
  TdmValueType type;
  const char  *in;
  const char  *message_part; /* expected in the error message */
} BadCase;

static void
check_cases (const Case *cases,
             gsize       n)
{
  TdmNormalizeOptions options = { .default_country = "NO" };

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) in = parse (cases[i].in);
      g_autoptr(JsonNode) out = tdm_normalize_value (cases[i].type, in, &options, &error);
      g_autofree char *text = out != NULL ? tdm_json_canonical_string (out) : NULL;

      if (error != NULL)
        g_test_message ("case %" G_GSIZE_FORMAT ": %s → error %s", i, cases[i].in, error->message);
      g_assert_no_error (error);
      if (g_strcmp0 (text, cases[i].out) != 0)
        g_test_message ("case %" G_GSIZE_FORMAT ": %s → %s, expected %s", i, cases[i].in,
                        text ? text : "(empty)", cases[i].out ? cases[i].out : "(empty)");
      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
check_bad_cases (const BadCase *cases,
                 gsize          n)
{
  TdmNormalizeOptions options = { .default_country = "NO" };

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) in = parse (cases[i].in);
      g_autoptr(JsonNode) out = tdm_normalize_value (cases[i].type, in, &options, &error);

      if (out != NULL)
        {
          g_autofree char *text = tdm_json_canonical_string (out);
          g_test_message ("case %" G_GSIZE_FORMAT ": %s unexpectedly → %s", i, cases[i].in, text);
        }
      g_assert_null (out);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_test_message ("case %" G_GSIZE_FORMAT ": message “%s” lacks “%s”", i, error->message,
                        cases[i].message_part);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
    }
}

static void
test_empty (void)
{
  static const char *empties[] = { "null", "\"\"", "\"   \"", "\" \\u00a0\\t\\n\"", "[]", "{}" };

  for (TdmValueType t = TDM_VALUE_STRING; t <= TDM_VALUE_TAX_LINES; t++)
    for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) in = parse (empties[i]);
        g_autoptr(JsonNode) out = tdm_normalize_value (t, in, NULL, &error);

        g_assert_no_error (error);
        g_assert_null (out);
      }

  /* absent */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (tdm_normalize_value (TDM_VALUE_STRING, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_phones (void)
{
  static const struct { const char *in; const char *country; const char *out; } cases[] = {
    { "+47 912 34 567", "NO", "+4791234567" },
    { "0047 91234567", "NO", "+4791234567" },
    { "91 23 45 67", "NO", "+4791234567" },
    { "912-34-567", "NO", "+4791234567" },
    { "+47 (0)22 12 34 56", "NO", "+4722123456" },
    { "4791234567", "NO", "+4791234567" },
    { "+4791234567", "SE", "+4791234567" },
    { "070-123 45 67", "SE", "+46701234567" },
    { "+46 (0)70 123 45 67", "NO", "+46701234567" },
    { "20 12 34 56", "DK", "+4520123456" },
    { "040 123 4567", "FI", "+358401234567" },
    { "611 2345", "IS", "+3546112345" },
    { "030 1234567", "DE", "+49301234567" },
    { "+49 (0)30 1234567", "NO", "+49301234567" },
    { "+49 030 1234567", "NO", "+49301234567" },
    { "06 12345678", "NL", "+31612345678" },
    { "0470 12 34 56", "BE", "+32470123456" },
    { "06 12 34 56 78", "FR", "+33612345678" },
    { "07700 900123", "GB", "+447700900123" },
    { "+44 (0)20 7946 0958", "NO", "+442079460958" },
    { "087 123 4567", "IE", "+353871234567" },
    { "612 34 56 78", "ES", "+34612345678" },
    { "06 1234 5678", "IT", "+390612345678" },
    { "512 345 678", "PL", "+48512345678" },
    { "0664 1234567", "AT", "+436641234567" },
    { "079 123 45 67", "CH", "+41791234567" },
    { "(415) 555-0100", "US", "+14155550100" },
    { "1 415 555 0100", "US", "+14155550100" },
    { "416.555.0199", "CA", "+14165550199" },
    { "+1 416 555 0199", "NO", "+14165550199" },
    { "+81 3 1234 5678", "NO", "+81312345678" },   /* a country without a plan: E.164 rules */
    { "91234567", NULL, "+4791234567" },           /* no default: Norway */
    { "(+47) 912 34 567", "SE", "+4791234567" },
    { "+47 912 34 567 ", "NO", "+4791234567" },
  };
  static const struct { const char *in; const char *country; const char *part; } bad[] = {
    { "91 23 45 6x", "NO", "contains letters" },
    { "call me", "NO", "contains letters" },
    { "912 34", "NO", "too short" },
    { "+47 912 34 567 89", "NO", "too long" },
    { "9123456789012", "NO", "too long" },
    { "+81 12", "NO", "too short" },
    { "+81 1234 5678 9012 3456", "NO", "at most 15 digits" },
    { "91234567", "XX", "default country XX" },
    { "+1 555 0100", "NO", "too short" },
    { "+47 +912 34 567", "NO", "contains letters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tdm_normalize_phone (cases[i].in, cases[i].country, &error);

      if (error != NULL)
        g_test_message ("%s (%s): %s", cases[i].in, cases[i].country, error->message);
      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tdm_normalize_phone (bad[i].in, bad[i].country, &error);

      g_assert_null (out);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      if (strstr (error->message, bad[i].part) == NULL)
        g_test_message ("%s: %s", bad[i].in, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].part));
      {
        g_autofree char *shown = g_strstrip (g_strdup (bad[i].in));
        g_assert_nonnull (strstr (error->message, shown));   /* the message quotes the value */
      }
    }

  /* through the value API, with and without options */
  {
    TdmNormalizeOptions se = { .default_country = "SE" };
    g_autoptr(JsonNode) in = parse ("\"070 123 45 67\"");
    g_autoptr(JsonNode) out = tdm_normalize_value (TDM_VALUE_PHONE, in, &se, NULL);
    g_autoptr(JsonNode) in2 = parse ("\"91234567\"");
    g_autoptr(JsonNode) out2 = tdm_normalize_value (TDM_VALUE_PHONE, in2, NULL, NULL);

    g_assert_cmpstr (json_node_get_string (out), ==, "+46701234567");
    g_assert_cmpstr (json_node_get_string (out2), ==, "+4791234567");
  }
}

static void
test_decimal_compare (void)
{
  g_assert_cmpint (tdm_decimal_compare ("10", "10.00"), ==, 0);
  g_assert_cmpint (tdm_decimal_compare ("9.99", "10"), ==, -1);
  g_assert_cmpint (tdm_decimal_compare ("100", "99.999"), ==, 1);
  g_assert_cmpint (tdm_decimal_compare ("-1", "0.5"), ==, -1);
  g_assert_cmpint (tdm_decimal_compare ("-2", "-1.5"), ==, -1);
  g_assert_cmpint (tdm_decimal_compare ("-0.0", "0"), ==, 0);
  g_assert_cmpint (tdm_decimal_compare ("0.10", "0.1"), ==, 0);
  g_assert_cmpint (tdm_decimal_compare ("0.09", "0.1"), ==, -1);
  g_assert_cmpint (tdm_decimal_compare ("12,5", "12.5"), ==, 0);
  g_assert_cmpint (tdm_decimal_compare (NULL, "1"), ==, -1);
}

static void
test_divide_vat (void)
{
  static const struct { const char *price; const char *rate; guint scale; const char *out; } cases[] = {
    { "125", "25", 2, "100" },
    { "129.90", "25", 2, "103.92" },
    { "100", "25", 2, "80" },
    { "99.99", "25", 2, "79.99" },        /* 79.992 */
    { "10", "15", 2, "8.7" },             /* 8.69565… */
    { "0.03125", "25", 4, "0.025" },
    { "1.25", "0", 2, "1.25" },
    { "0.125", "0", 2, "0.12" },          /* half-even: 0.125 → 0.12 */
    { "0.135", "0", 2, "0.14" },          /* half-even: 0.135 → 0.14 */
    { "-125", "25", 2, "-100" },
    { "1000", "12.5", 3, "888.889" },
    { "199", "25", 0, "159" },            /* 159.2 */
    { "0.01", "25", 2, "0.01" },          /* 0.008 */
    { "0.005", "0", 2, "0" },             /* half-even down to 0, no "-0" */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tdm_decimal_divide_vat (cases[i].price, cases[i].rate, cases[i].scale);

      if (g_strcmp0 (out, cases[i].out) != 0)
        g_test_message ("%s / %s%% → %s, expected %s", cases[i].price, cases[i].rate, out, cases[i].out);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (tdm_decimal_divide_vat ("abc", "25", 2));
  g_assert_null (tdm_decimal_divide_vat ("10", "-25", 2));
  g_assert_null (tdm_decimal_divide_vat (NULL, "25", 2));
}

static const Case strings_cases[] = {
  { TDM_VALUE_STRING, "\"Øyvind Ærø\"", "\"Øyvind Ærø\"" },
  { TDM_VALUE_STRING, "\"  Kari Nordmann \\n\"", "\"Kari Nordmann\"" },
  { TDM_VALUE_STRING, "\"\\u00a0Bjørnstjerne\\u00a0\"", "\"Bjørnstjerne\"" },
  { TDM_VALUE_STRING, "\"inner  spaces stay\"", "\"inner  spaces stay\"" },
  { TDM_VALUE_STRING, "150", "\"150\"" },
  { TDM_VALUE_STRING, "\"å\"", "\"å\"" },
  { TDM_VALUE_ID, "\" 17 \"", "\"17\"" },
  { TDM_VALUE_ID, "42", "\"42\"" },
  { TDM_VALUE_REFERENCE, "\"gid://shopify/Customer/7\"", "\"gid://shopify/Customer/7\"" },
  { TDM_VALUE_ENUM, "\" Active \"", "\"active\"" },
  { TDM_VALUE_ENUM, "\"PARTIALLY_PAID\"", "\"partially_paid\"" },
  { TDM_VALUE_HTML, "\"  <p>Varm\\r\\ngenser</p>\\r\\n<p>Ull</p>\\r \"", "\"<p>Varm\\ngenser</p>\\n<p>Ull</p>\"" },
};

static void
also_strings (void)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *decomposed_json = NULL;

  /* NFC: "Ø" is its own code point, but "Ä" written as A + combining diaeresis composes */
  decomposed = g_strdup ("A\xcc\x88rø");
  decomposed_json = g_strdup_printf ("\"%s\"", decomposed);
  {
    g_autoptr(JsonNode) in = parse (decomposed_json);
    g_autoptr(JsonNode) out = tdm_normalize_value (TDM_VALUE_STRING, in, NULL, NULL);

    g_assert_cmpstr (json_node_get_string (out), ==, "Ärø");
  }
}

static const BadCase strings_bad[] = {
  { TDM_VALUE_STRING, "[\"a\"]", "list" },
  { TDM_VALUE_STRING, "{\"a\":1}", "group of values" },
  { TDM_VALUE_ID, "true", "id" },
};

static const Case emails_cases[] = {
  { TDM_VALUE_EMAIL, "\"Kari@Example.NO\"", "\"kari@example.no\"" },
  { TDM_VALUE_EMAIL, "\"  ola.nordmann+vip@post.example.no \"", "\"ola.nordmann+vip@post.example.no\"" },
  { TDM_VALUE_EMAIL, "\"ØYVIND@ærø.no\"", "\"øyvind@ærø.no\"" },
};

static const BadCase emails_bad[] = {
  { TDM_VALUE_EMAIL, "\"kari.example.no\"", "“kari.example.no” is not a valid email address" },
  { TDM_VALUE_EMAIL, "\"kari@example\"", "not a valid email" },
  { TDM_VALUE_EMAIL, "\"kari@@example.no\"", "not a valid email" },
  { TDM_VALUE_EMAIL, "\"@example.no\"", "not a valid email" },
  { TDM_VALUE_EMAIL, "\"kari@example..no\"", "not a valid email" },
  { TDM_VALUE_EMAIL, "\"kari nordmann@example.no\"", "not a valid email" },
  { TDM_VALUE_EMAIL, "\"kari@example.no.\"", "not a valid email" },
};

static const Case tags_cases[] = {
  { TDM_VALUE_TAGS, "[\"vip\", \" nyhetsbrev \", \"vip\", \"\", \"Øst\", \"aktiv\"]",
    "[\"aktiv\",\"nyhetsbrev\",\"vip\",\"Øst\"]" },   /* byte order */
  { TDM_VALUE_TAGS, "\"vip, nyhetsbrev,,  aktiv ,vip\"", "[\"aktiv\",\"nyhetsbrev\",\"vip\"]" },
  { TDM_VALUE_TAGS, "[\"b\", \"a\"]", "[\"a\",\"b\"]" },
  { TDM_VALUE_TAGS, "[\"  \", \"\", null]", NULL },
  { TDM_VALUE_TAGS, "\" , , \"", NULL },
  { TDM_VALUE_TAGS, "[2026, \"sommer\"]", "[\"2026\",\"sommer\"]" },
};

static const BadCase tags_bad[] = {
  { TDM_VALUE_TAGS, "[{\"a\":1}]", "tag list" },
  { TDM_VALUE_TAGS, "{\"a\":1}", "Tags must be" },
};

static void
also_tags (void)
{
  /* the same set in any order and with duplicates compares equal */
  {
    g_autoptr(JsonNode) a = parse ("[\"vip\",\"sommer\",\"vip\"]");
    g_autoptr(JsonNode) b = parse ("\"sommer, vip\"");
    g_autoptr(JsonNode) na = tdm_normalize_value (TDM_VALUE_TAGS, a, NULL, NULL);
    g_autoptr(JsonNode) nb = tdm_normalize_value (TDM_VALUE_TAGS, b, NULL, NULL);

    g_assert_true (tdm_json_value_equal (na, nb));
  }
}

static const Case decimals_cases[] = {
  { TDM_VALUE_MONEY, "\"10\"", "\"10\"" },
  { TDM_VALUE_MONEY, "\"10.0\"", "\"10\"" },
  { TDM_VALUE_MONEY, "\"10.00\"", "\"10\"" },
  { TDM_VALUE_MONEY, "10", "\"10\"" },
  { TDM_VALUE_MONEY, "10.0", "\"10\"" },
  { TDM_VALUE_MONEY, "129.9", "\"129.9\"" },
  { TDM_VALUE_MONEY, "\"129.90\"", "\"129.9\"" },
  { TDM_VALUE_MONEY, "\"-0.50\"", "\"-0.5\"" },
  { TDM_VALUE_MONEY, "\"-0.00\"", "\"0\"" },
  { TDM_VALUE_MONEY, "\"0\"", "\"0\"" },
  { TDM_VALUE_MONEY, "\"007.10\"", "\"7.1\"" },
  { TDM_VALUE_MONEY, "\"+5\"", "\"5\"" },
  { TDM_VALUE_MONEY, "\".5\"", "\"0.5\"" },
  { TDM_VALUE_MONEY, "\"5.\"", "\"5\"" },
  { TDM_VALUE_MONEY, "\"12,50\"", "\"12.5\"" },
  { TDM_VALUE_MONEY, "\" 1299,00 \"", "\"1299\"" },
  { TDM_VALUE_DECIMAL, "\"1e3\"", "\"1000\"" },
  { TDM_VALUE_DECIMAL, "\"1.25E-2\"", "\"0.0125\"" },
  { TDM_VALUE_DECIMAL, "\"0.1000000000000000000001\"", "\"0.1000000000000000000001\"" },
  { TDM_VALUE_DECIMAL, "\"123456789012345678901234567890.5\"", "\"123456789012345678901234567890.5\"" },
  { TDM_VALUE_MONEY, "{\"amount\": \"99.00\", \"currencyCode\": \"NOK\"}", "\"99\"" },
  { TDM_VALUE_MONEY, "{\"shopMoney\": {\"amount\": \"149.50\", \"currencyCode\": \"NOK\"}}", "\"149.5\"" },
  { TDM_VALUE_MONEY, "{\"shopMoney\": {\"amount\": null}}", NULL },
};

static const BadCase decimals_bad[] = {
  { TDM_VALUE_MONEY, "\"12,3.4\"", "“12,3.4” is not a number" },
  { TDM_VALUE_MONEY, "\"1,234.50\"", "not a number" },
  { TDM_VALUE_MONEY, "\"abc\"", "not a number" },
  { TDM_VALUE_MONEY, "\"10 kr\"", "not a number" },
  { TDM_VALUE_MONEY, "\"-\"", "not a number" },
  { TDM_VALUE_MONEY, "\"1e\"", "not a number" },
  { TDM_VALUE_DECIMAL, "\"1e999\"", "not a number" },
  { TDM_VALUE_MONEY, "true", "number" },
  { TDM_VALUE_MONEY, "[1]", "list" },
};

static const Case ints_booleans_cases[] = {
  { TDM_VALUE_INT, "42", "42" },
  { TDM_VALUE_INT, "\" 42 \"", "42" },
  { TDM_VALUE_INT, "\"-3\"", "-3" },
  { TDM_VALUE_INT, "\"7.00\"", "7" },
  { TDM_VALUE_INT, "12.0", "12" },
  { TDM_VALUE_INT, "\"9223372036854775807\"", "9223372036854775807" },
  { TDM_VALUE_INT, "\"-9223372036854775808\"", "-9223372036854775808" },
  { TDM_VALUE_INT, "0", "0" },
  { TDM_VALUE_BOOLEAN, "true", "true" },
  { TDM_VALUE_BOOLEAN, "false", "false" },
  { TDM_VALUE_BOOLEAN, "\"TRUE\"", "true" },
  { TDM_VALUE_BOOLEAN, "\"yes\"", "true" },
  { TDM_VALUE_BOOLEAN, "\"1\"", "true" },
  { TDM_VALUE_BOOLEAN, "1", "true" },
  { TDM_VALUE_BOOLEAN, "0", "false" },
  { TDM_VALUE_BOOLEAN, "\"nei\"", "false" },
  { TDM_VALUE_BOOLEAN, "\"SUBSCRIBED\"", "true" },
};

static const BadCase ints_booleans_bad[] = {
  { TDM_VALUE_INT, "\"7.5\"", "“7.5” is not a whole number" },
  { TDM_VALUE_INT, "\"ten\"", "not a whole number" },
  { TDM_VALUE_INT, "\"9223372036854775808\"", "not a whole number" },
  { TDM_VALUE_INT, "true", "whole number" },
  { TDM_VALUE_BOOLEAN, "\"maybe\"", "“maybe” is not a yes/no value" },
  { TDM_VALUE_BOOLEAN, "2", "yes/no" },
};

static const Case datetimes_cases[] = {
  { TDM_VALUE_DATETIME, "\"2026-11-26T18:01:15Z\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26T19:01:15+01:00\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-27T01:31:15+07:30\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26T13:01:15-05:00\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-01-01T00:30:00+02:00\"", "\"2025-12-31T22:30:00Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26T18:01:15.789Z\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26 18:01:15+00:00\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26T18:01:15\"", "\"2026-11-26T18:01:15Z\"" },
  { TDM_VALUE_DATETIME, "\"2026-11-26\"", "\"2026-11-26T00:00:00Z\"" },
  { TDM_VALUE_DATETIME, "1795716075", "\"2026-11-26T18:01:15Z\"" },
};

static const BadCase datetimes_bad[] = {
  { TDM_VALUE_DATETIME, "\"yesterday\"", "“yesterday” is not a date and time" },
  { TDM_VALUE_DATETIME, "\"2026-13-01T00:00:00Z\"", "not a date and time" },
  { TDM_VALUE_DATETIME, "\"26.11.2026\"", "not a date and time" },
};

static const Case codes_cases[] = {
  { TDM_VALUE_COUNTRY_CODE, "\"no\"", "\"NO\"" },
  { TDM_VALUE_COUNTRY_CODE, "\" SE \"", "\"SE\"" },
  { TDM_VALUE_COUNTRY_CODE, "\"GB\"", "\"GB\"" },
  { TDM_VALUE_COUNTRY_CODE, "\"ZW\"", "\"ZW\"" },
  { TDM_VALUE_COUNTRY_CODE, "\"AD\"", "\"AD\"" },
  { TDM_VALUE_CURRENCY_CODE, "\"nok\"", "\"NOK\"" },
  { TDM_VALUE_CURRENCY_CODE, "\"EUR\"", "\"EUR\"" },
  { TDM_VALUE_CURRENCY_CODE, "\"SEK\"", "\"SEK\"" },
  { TDM_VALUE_CURRENCY_CODE, "\"AED\"", "\"AED\"" },
  { TDM_VALUE_CURRENCY_CODE, "\"ZWL\"", "\"ZWL\"" },
};

static const BadCase codes_bad[] = {
  { TDM_VALUE_COUNTRY_CODE, "\"Norway\"", "“Norway” is not a country code" },
  { TDM_VALUE_COUNTRY_CODE, "\"UK\"", "not a country code" },
  { TDM_VALUE_COUNTRY_CODE, "\"NOR\"", "not a country code" },
  { TDM_VALUE_COUNTRY_CODE, "\"N\"", "not a country code" },
  { TDM_VALUE_CURRENCY_CODE, "\"XYZ\"", "“XYZ” is not a currency code" },
  { TDM_VALUE_CURRENCY_CODE, "\"kr\"", "not a currency code" },
  { TDM_VALUE_CURRENCY_CODE, "\"NOKK\"", "not a currency code" },
};

static const Case weights_objects_lists_cases[] = {
  { TDM_VALUE_WEIGHT, "{\"value\": \"0.50\", \"unit\": \"kg\"}", "{\"unit\":\"kg\",\"value\":\"0.5\"}" },
  { TDM_VALUE_WEIGHT, "{\"value\": 250, \"unit\": \"GRAMS\"}", "{\"unit\":\"g\",\"value\":\"250\"}" },
  { TDM_VALUE_WEIGHT, "{\"value\": 1.5, \"unit\": \"POUNDS\"}", "{\"unit\":\"lb\",\"value\":\"1.5\"}" },
  { TDM_VALUE_WEIGHT, "{\"value\": \"3\", \"unit\": \"OUNCES\"}", "{\"unit\":\"oz\",\"value\":\"3\"}" },
  { TDM_VALUE_WEIGHT, "{\"value\": 0, \"unit\": \"KILOGRAMS\"}", NULL },
  { TDM_VALUE_WEIGHT, "{\"value\": null, \"unit\": \"kg\"}", NULL },
  { TDM_VALUE_OBJECT, "{\"Størrelse\": \" M \", \"Farge\": \"Blå\", \"Tom\": \"\"}",
    "{\"Farge\":\"Blå\",\"Størrelse\":\"M\"}" },
  { TDM_VALUE_LIST, "[{\"city\":\"Oslo\"}, null, {}, {\"city\":\"Bergen\"}]",
    "[{\"city\":\"Oslo\"},{\"city\":\"Bergen\"}]" },
};

static const BadCase weights_objects_lists_bad[] = {
  { TDM_VALUE_WEIGHT, "{\"value\": \"1\"}", "has no unit" },
  { TDM_VALUE_WEIGHT, "{\"value\": \"1\", \"unit\": \"stone\"}", "“stone” is not a weight unit" },
  { TDM_VALUE_WEIGHT, "{\"value\": \"heavy\", \"unit\": \"kg\"}", "not a number" },
  { TDM_VALUE_WEIGHT, "{\"value\": \"-1\", \"unit\": \"kg\"}", "negative" },
  { TDM_VALUE_WEIGHT, "\"1 kg\"", "value and a unit" },
  { TDM_VALUE_LIST, "\"Oslo\"", "list is expected" },
  { TDM_VALUE_LIST, "[\"Oslo\"]", "group of values" },
  { TDM_VALUE_OBJECT, "\"x\"", "group of values" },
};

static void
also_weights_objects_lists (void)
{
  g_assert_cmpstr (tdm_weight_unit_canonical ("KILOGRAMS"), ==, "kg");
  g_assert_cmpstr (tdm_weight_unit_canonical ("lb"), ==, "lb");
  g_assert_null (tdm_weight_unit_canonical ("stone"));
}

/* An order line's tax lines: the webshop's {title, rate, price} and
 * Shopify's {title, rate (a Float), priceSet} are one canonical value. */
static const Case tax_lines_cases[] = {
  { TDM_VALUE_TAX_LINES,
    "[{\"title\": \" MVA \", \"rate\": \"0.25\", \"price\": \"100.00\"}]",
    "[{\"price\":\"100\",\"rate\":\"0.25\",\"title\":\"MVA\"}]" },
  { TDM_VALUE_TAX_LINES,
    "[{\"title\": \"MVA\", \"rate\": 0.25, \"priceSet\": {\"shopMoney\": {\"amount\": \"100.0\"}}}]",
    "[{\"price\":\"100\",\"rate\":\"0.25\",\"title\":\"MVA\"}]" },
  { TDM_VALUE_TAX_LINES,
    "[{\"title\": \"MVA\", \"rate\": 0.15, \"priceSet\": {\"shopMoney\": {\"amount\": \"15.0\"}}},"
    " null, {\"title\": \"MVA\", \"rate\": 0.0, \"price\": \"0.00\"}]",
    "[{\"price\":\"15\",\"rate\":\"0.15\",\"title\":\"MVA\"},"
    "{\"price\":\"0\",\"rate\":\"0\",\"title\":\"MVA\"}]" },
  { TDM_VALUE_TAX_LINES, "[{\"rate\": \"1\", \"price\": \"5\"}]",
    "[{\"price\":\"5\",\"rate\":\"1\"}]" },
  { TDM_VALUE_TAX_LINES, "[]", NULL },
  { TDM_VALUE_TAX_LINES, "[null]", NULL },
};

static const BadCase tax_lines_bad[] = {
  { TDM_VALUE_TAX_LINES, "[{\"title\": \"MVA\", \"price\": \"5\"}]", "“MVA” has no rate" },
  { TDM_VALUE_TAX_LINES, "[{\"title\": \"MVA\", \"rate\": \"25\", \"price\": \"5\"}]",
    "not a fraction from 0 to 1" },
  { TDM_VALUE_TAX_LINES, "[{\"title\": \"MVA\", \"rate\": \"-0.1\", \"price\": \"5\"}]",
    "not a fraction from 0 to 1" },
  { TDM_VALUE_TAX_LINES, "[{\"title\": \"MVA\", \"rate\": \"0.25\"}]", "“MVA” has no amount" },
  { TDM_VALUE_TAX_LINES, "[{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"ti\"}]",
    "ti" },
  { TDM_VALUE_TAX_LINES, "[\"MVA\"]", "group of values" },
  { TDM_VALUE_TAX_LINES, "\"MVA 25 %\"", "list of tax lines" },
};

typedef struct {
  const char    *path;
  const Case    *cases;
  gsize          n_cases;
  const BadCase *bad;
  gsize          n_bad;
  void         (*also) (void);   /* the group's further asserts, or NULL */
} Group;

#define ROWS(table) table, G_N_ELEMENTS (table)

static const Group groups[] = {
  { "/model/normalize/strings", ROWS (strings_cases), NULL, 0, also_strings },
  { "/model/normalize/strings-bad", NULL, 0, ROWS (strings_bad), NULL },
  { "/model/normalize/emails", ROWS (emails_cases), ROWS (emails_bad), NULL },
  { "/model/normalize/tags", ROWS (tags_cases), ROWS (tags_bad), also_tags },
  { "/model/normalize/decimals", ROWS (decimals_cases), ROWS (decimals_bad), NULL },
  { "/model/normalize/ints-booleans", ROWS (ints_booleans_cases), ROWS (ints_booleans_bad), NULL },
  { "/model/normalize/datetimes", ROWS (datetimes_cases), ROWS (datetimes_bad), NULL },
  { "/model/normalize/codes", ROWS (codes_cases), ROWS (codes_bad), NULL },
  { "/model/normalize/weights-objects-lists", ROWS (weights_objects_lists_cases),
    ROWS (weights_objects_lists_bad), also_weights_objects_lists },
  { "/model/normalize/tax-lines", ROWS (tax_lines_cases), ROWS (tax_lines_bad), NULL },
};

static void
test_group (gconstpointer data)
{
  const Group *group = data;

  check_cases (group->cases, group->n_cases);
  check_bad_cases (group->bad, group->n_bad);
  if (group->also != NULL)
    group->also ();
}

static void
test_type_names (void)
{
  static const struct { const char *name; TdmValueType type; } names[] = {
    { "String", TDM_VALUE_STRING }, { "Email", TDM_VALUE_EMAIL }, { "String (email)", TDM_VALUE_EMAIL },
    { "Phone", TDM_VALUE_PHONE }, { "String (E.164)", TDM_VALUE_PHONE }, { "[String]", TDM_VALUE_TAGS },
    { "Money", TDM_VALUE_MONEY }, { "MoneyBag", TDM_VALUE_MONEY }, { "Decimal", TDM_VALUE_DECIMAL },
    { "Int", TDM_VALUE_INT }, { "Boolean", TDM_VALUE_BOOLEAN }, { "DateTime", TDM_VALUE_DATETIME },
    { "CountryCode", TDM_VALUE_COUNTRY_CODE }, { "CurrencyCode", TDM_VALUE_CURRENCY_CODE },
    { "HTML", TDM_VALUE_HTML }, { "ID", TDM_VALUE_ID }, { "id", TDM_VALUE_ID },
    { "ProductStatus", TDM_VALUE_ENUM }, { "OrderDisplayFinancialStatus", TDM_VALUE_ENUM },
    { "Weight", TDM_VALUE_WEIGHT }, { "[MailingAddress]", TDM_VALUE_LIST },
    { "[ProductVariant]", TDM_VALUE_LIST }, { "MailingAddress", TDM_VALUE_OBJECT },
    { "CustomerEmailMarketingState", TDM_VALUE_BOOLEAN }, { "Reference", TDM_VALUE_REFERENCE },
    { "[TaxLine]", TDM_VALUE_TAX_LINES }, { "[DiscountApplication]", TDM_VALUE_LIST },
  };
  TdmValueType type;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (tdm_value_type_from_name (names[i].name, &type));
      g_assert_cmpint (type, ==, names[i].type);
    }
  for (TdmValueType t = TDM_VALUE_STRING; t <= TDM_VALUE_TAX_LINES; t++)
    {
      g_assert_true (tdm_value_type_from_name (tdm_value_type_to_name (t), &type));
      g_assert_cmpint (type, ==, t);
    }
  g_assert_false (tdm_value_type_from_name ("Strnig", &type));
  g_assert_false (tdm_value_type_from_name ("", &type));
  g_assert_false (tdm_value_type_from_name (NULL, &type));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/normalize/empty", test_empty);
  g_test_add_func ("/model/normalize/phones", test_phones);
  g_test_add_func ("/model/normalize/decimal-compare", test_decimal_compare);
  g_test_add_func ("/model/normalize/divide-vat", test_divide_vat);
  g_test_add_func ("/model/normalize/type-names", test_type_names);
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    g_test_add_data_func (groups[i].path, &groups[i], test_group);

  return g_test_run ();
}
