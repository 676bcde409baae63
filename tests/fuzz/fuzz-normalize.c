/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-error.h"
#include "tdm-normalize.h"
#include "tdm-record.h"

/* Every normalizer on the input (as a string, and as JSON when it parses),
 * with the property the planner relies on: a normalized value normalizes to
 * itself (else the two sides would never compare equal and every run would
 * write again). The input's first line and the rest are also the two
 * operands of the decimal helpers. */

typedef char *(*StringNormalizer) (const char *in, GError **error);

static char *
normalize_phone_no (const char *in, GError **error)
{
  return tdm_normalize_phone (in, "NO", error);
}

static char *
normalize_phone_us (const char *in, GError **error)
{
  return tdm_normalize_phone (in, "US", error);
}

static char *
normalize_phone_default (const char *in, GError **error)
{
  return tdm_normalize_phone (in, NULL, error);
}

static void
check_string_normalizer (StringNormalizer  normalize,
                         const char       *name,
                         const char       *in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *out = normalize (in, &error);
  g_autofree char *again = NULL;

  if (out == NULL)
    {
      if (error != NULL)
        tdm_fuzz_assert_utf8 (error->message);
      return;
    }
  g_assert_no_error (error);
  again = normalize (out, &again_error);
  if (again == NULL || strcmp (again, out) != 0)
    g_error ("%s is not idempotent: “%s” → “%s” → “%s” (%s)", name, in, out,
             again ? again : "(null)", again_error ? again_error->message : "no error");
}

static void
check_value (TdmValueType  type,
             JsonNode     *value)
{
  static const TdmNormalizeOptions options = { "NO" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autoptr(JsonNode) out = tdm_normalize_value (type, value, &options, &error);
  g_autoptr(JsonNode) again = NULL;

  if (out == NULL)
    {
      if (error != NULL)
        {
          g_assert_true (error->domain == TDM_SYNC_ERROR);
          tdm_fuzz_assert_utf8 (error->message);
        }
      return;
    }
  g_assert_no_error (error);
  again = tdm_normalize_value (type, out, &options, &again_error);
  if (!tdm_json_value_equal (out, again))
    {
      g_autofree char *s_in = json_to_string (value, FALSE);
      g_autofree char *s_out = json_to_string (out, FALSE);
      g_autofree char *s_again = again ? json_to_string (again, FALSE) : g_strdup ("(null)");

      g_error ("tdm_normalize_value (%s) is not idempotent: %s → %s → %s (%s)",
               tdm_value_type_to_name (type), s_in, s_out, s_again,
               again_error ? again_error->message : "no error");
    }
}

static int
sign (int v)
{
  return v < 0 ? -1 : v > 0 ? 1 : 0;
}

static void
check_decimals (const char *a,
                const char *b,
                guint       scale)
{
  g_autofree char *q = tdm_decimal_divide_vat (a, b, scale);
  g_autofree char *na = tdm_normalize_decimal (a, NULL);
  g_autofree char *nb = tdm_normalize_decimal (b, NULL);
  int ab = tdm_decimal_compare (a, b);
  int ba = tdm_decimal_compare (b, a);

  g_assert_cmpint (tdm_decimal_compare (a, a), ==, 0);
  g_assert_cmpint (sign (ab), ==, -sign (ba));
  if (na != NULL && nb != NULL)
    g_assert_true ((ab == 0) == (strcmp (na, nb) == 0));
  if (q != NULL)
    {
      g_autofree char *nq = tdm_normalize_decimal (q, NULL);

      g_assert_nonnull (nq);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const struct { StringNormalizer f; const char *name; } normalizers[] = {
    { tdm_normalize_email, "tdm_normalize_email" },
    { normalize_phone_no, "tdm_normalize_phone (NO)" },
    { normalize_phone_us, "tdm_normalize_phone (US)" },
    { normalize_phone_default, "tdm_normalize_phone (default)" },
    { tdm_normalize_decimal, "tdm_normalize_decimal" },
    { tdm_normalize_datetime, "tdm_normalize_datetime" },
    { tdm_normalize_country_code, "tdm_normalize_country_code" },
    { tdm_normalize_currency, "tdm_normalize_currency" },
  };
  g_autofree char *raw = tdm_fuzz_strndup (data, size);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) string_node = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *unit;
  char *newline;

  tdm_fuzz_init_once ();

  /* Values reach the normalizers from JSON, which json-glib only accepts as
   * UTF-8: the helpers take UTF-8 text. */
  text = g_utf8_validate (raw, -1, NULL) ? g_strdup (raw) : g_utf8_make_valid (raw, -1);

  for (guint i = 0; i < G_N_ELEMENTS (normalizers); i++)
    check_string_normalizer (normalizers[i].f, normalizers[i].name, text);

  unit = tdm_weight_unit_canonical (text);
  if (unit != NULL)
    g_assert_cmpstr (tdm_weight_unit_canonical (unit), ==, unit);

  string_node = json_node_init_string (json_node_alloc (), text);
  json = tdm_fuzz_parse_json (data, size);
  for (TdmValueType type = TDM_VALUE_STRING; type <= TDM_VALUE_OBJECT; type++)
    {
      const char *name = tdm_value_type_to_name (type);
      TdmValueType parsed;

      g_assert_nonnull (name);
      g_assert_true (tdm_value_type_from_name (name, &parsed));
      check_value (type, string_node);
      if (json != NULL)
        check_value (type, json);
    }
  {
    TdmValueType parsed;

    (void) tdm_value_type_from_name (text, &parsed);
  }

  newline = strchr (text, '\n');
  if (newline != NULL)
    {
      *newline = '\0';
      check_decimals (text, newline + 1, strlen (newline + 1) % 9);
    }
  else
    check_decimals (text, "25", strlen (text) % 9);
  return 0;
}
