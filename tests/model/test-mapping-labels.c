/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-mapping-labels"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "tdm-mapping.h"

/* The labels of mapping rows: the owner's words for each property, shipped
 * with the default mapping, marked for translation, kept when a mapping is
 * saved, and a name in words for rows without one (docs/mapping.md). */

/* A key rather than words: with _ . [ ] or camelCase. */
static gboolean
is_raw_key (const char *text)
{
  if (strpbrk (text, "_.[]") != NULL)
    return TRUE;
  for (const char *p = text + 1; *p != '\0'; p++)
    if (g_ascii_isupper (*p) && g_ascii_islower (p[-1]))
      return TRUE;
  return FALSE;
}

static char *
read_labels_source (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "src", "core", "tdm-mapping-labels.c",
                                            NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Every row of the shipped mapping has a label in words, and every label
 * is marked for translation in tdm-mapping-labels.c (so it reaches po/). */
static void
test_default_labels (void)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  g_autofree char *source = read_labels_source ();
  guint n = 0;

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);

      for (guint i = 0; i < rows->len; i++)
        {
          const TdmMappingRow *row = g_ptr_array_index (rows, i);
          const char *label = tdm_mapping_row_get_label (row);
          g_autofree char *marked = g_strdup_printf ("N_(\"%s\")", label);

          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, row->name);
          g_assert_false (is_raw_key (label));
          if (strstr (source, marked) == NULL)
            g_error ("The label “%s” of the %s row %s is not marked for translation in "
                     "src/core/tdm-mapping-labels.c", label, tdm_kind_to_string (kind),
                     row->webshop);
          n++;
        }
    }
  g_assert_cmpuint (n, >=, 85);

  /* A few the record details rely on. */
  g_assert_cmpstr (tdm_mapping_row_get_label (tdm_mapping_find_row (mapping, TDM_KIND_ORDER,
                                                                    "line_items")), ==,
                   "Order lines");
  g_assert_cmpstr (tdm_mapping_row_get_label (tdm_mapping_find_row (mapping, TDM_KIND_ORDER,
                                                                    "shipping_address")), ==,
                   "Shipping address");
  g_assert_cmpstr (tdm_mapping_row_get_label (tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER,
                                                                    "last_name")), ==,
                   "Last name");
}

/* A row without a label shows its name in words; a label survives saving. */
static void
test_fallback_and_round_trip (void)
{
  static const char data[] =
    "{\"version\": 1, \"customer\": ["
    " {\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\"},"
    " {\"webshop\": \"email\", \"shopify\": \"defaultEmailAddress.emailAddress\","
    "  \"shopify_write\": \"email\", \"type\": \"Email\", \"label\": \"E-mail address\"},"
    " {\"name\": \"shopNote\", \"webshop\": \"note\", \"shopify\": \"note\", \"type\": \"String\"},"
    " {\"webshop\": \"addresses[]\", \"shopify\": \"addressesV2.nodes[]\","
    "  \"shopify_write\": \"addresses[]\", \"type\": \"[MailingAddress]\"},"
    " {\"webshop\": \"addresses[].province_code\","
    "  \"shopify\": \"addressesV2.nodes[].provinceCode\","
    "  \"shopify_write\": \"addresses[].provinceCode\", \"type\": \"String\"},"
    " {\"webshop\": \"shopify_id\", \"shopify\": \"id\", \"type\": \"ID\","
    "  \"direction\": \"to_webshop\", \"transform\": \"identity\"}"
    "], \"product\": [], \"order\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_from_data (data, -1, "labels.json", &error);
  g_autoptr(TdmMapping) again = NULL;
  g_autofree char *saved = NULL;
  GPtrArray *rows;

  g_assert_no_error (error);
  rows = tdm_mapping_get_rows (mapping, TDM_KIND_CUSTOMER);
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 0)), ==, "First name");
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 1)), ==, "E-mail address");
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 2)), ==, "Shop note");
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 3)), ==, "Addresses");
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 4)), ==, "Province code");
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 5)), ==, "Shopify ID");

  saved = tdm_mapping_to_data (mapping);
  g_assert_nonnull (strstr (saved, "\"label\" : \"E-mail address\""));
  g_assert_null (strstr (saved, "\"label\" : \"First name\""));
  again = tdm_mapping_new_from_data (saved, -1, "saved.json", &error);
  g_assert_no_error (error);
  rows = tdm_mapping_get_rows (again, TDM_KIND_CUSTOMER);
  g_assert_cmpstr (tdm_mapping_row_get_label (g_ptr_array_index (rows, 1)), ==, "E-mail address");
}

/* A label that is not text is refused with the row named. */
static void
test_label_not_text (void)
{
  static const char data[] =
    "{\"version\": 1, \"customer\": ["
    " {\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\","
    "  \"label\": 12}], \"product\": [], \"order\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_from_data (data, -1, "labels.json", &error);

  g_assert_null (mapping);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "row 1 of the customer table"));
  g_assert_nonnull (strstr (error->message, "label must be text"));
}

/* The labels are translated when shown (the nb catalogue of the build). */
static void
test_translated (void)
{
  g_autofree char *podir = g_build_filename (BUILD_ROOT, "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "nb", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  const char *label;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("The nb catalogue is not built");
      return;
    }

  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "nb", TRUE);
  label = tdm_mapping_row_get_label (tdm_mapping_find_row (mapping, TDM_KIND_ORDER,
                                                           "shipping_address"));
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_cmpstr (label, ==, "Leveringsadresse");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/mapping-labels/default", test_default_labels);
  g_test_add_func ("/model/mapping-labels/fallback-and-round-trip", test_fallback_and_round_trip);
  g_test_add_func ("/model/mapping-labels/not-text", test_label_not_text);
  g_test_add_func ("/model/mapping-labels/translated", test_translated);

  return g_test_run ();
}
