/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Labels: each mapping row names its property in the shop owner's words
 * ("Email", "Shipping address"), written in English in the mapping file and
 * translated when shown (docs/mapping.md, File format). A row without a
 * label shows its canonical name in words ("first_name" → "First name"),
 * never the raw key. */

/* ---- The labels of the shipped mapping ---- */

/* The labels are data (data/mappings/default.json), which xgettext cannot
 * read: they are repeated here so that they reach po/tandem.pot. Keep this
 * list in step with the file; the test model/mapping-labels fails when a
 * label of the default mapping is missing here. */
static const char * const shipped_labels[] G_GNUC_UNUSED = {
  /* Translators: labels of the properties of customers, products and orders,
   * as the record details show them. */
  N_("Address line 2"),
  N_("Addresses"),
  /* Translators: the amount of an order's discount code. */
  N_("Amount"),
  N_("Barcode"),
  N_("Billing address"),
  /* Translators: when an order was cancelled. */
  N_("Cancelled"),
  N_("City"),
  /* Translators: a discount code, as the customer typed it at checkout. */
  N_("Code"),
  N_("Company"),
  /* Translators: the price a product was sold at before, shown struck out. */
  N_("Compare-at price"),
  N_("Country"),
  N_("Currency"),
  N_("Customer"),
  N_("Description"),
  /* Translators: the discount codes used on an order. */
  N_("Discount codes"),
  /* Translators: an order's total discount. */
  N_("Discounts"),
  N_("Email"),
  /* Translators: whether a customer accepts marketing emails. */
  N_("Email marketing"),
  N_("First name"),
  /* Translators: an order's fulfilment (shipping) status. */
  N_("Fulfilment"),
  /* Translators: a customer's language (locale). */
  N_("Language"),
  N_("Linked product"),
  N_("Last name"),
  N_("Note"),
  /* Translators: a product variant's options, such as size and colour. */
  N_("Options"),
  N_("Order lines"),
  N_("Order number"),
  /* Translators: an order's payment (financial) status. */
  N_("Payment"),
  N_("Phone"),
  /* Translators: when an order was placed. */
  N_("Placed"),
  N_("Postcode"),
  N_("Price"),
  N_("Price excluding VAT"),
  N_("Prices include tax"),
  N_("Product"),
  N_("Product type"),
  N_("Quantity"),
  /* Translators: a state or province in an address. */
  N_("Region"),
  /* Translators: stock keeping unit, a product's article number. */
  N_("SKU"),
  /* Translators: an order's shipping lines. */
  N_("Shipping"),
  N_("Shipping address"),
  N_("Shipping method"),
  /* Translators: what an order's shipping costs in all. */
  N_("Shipping total"),
  N_("Shopify ID"),
  /* Translators: the order's id in the webshop, as Shopify keeps it. */
  N_("Source identifier"),
  /* Translators: a product's status (active, draft, archived). */
  N_("Status"),
  /* Translators: how many of a product variant are in stock. */
  N_("Stock"),
  N_("Street address"),
  N_("Subtotal"),
  N_("Tags"),
  N_("Tax"),
  N_("Title"),
  N_("Total"),
  N_("Unit price"),
  N_("Variants"),
  N_("Vendor"),
  N_("Webshop ID"),
  N_("Weight"),
};

/* ---- Names in words ---- */

/* Words written in capitals. */
static const char * const acronyms[] = { "id", "sku", "url", "vat", "html", "gtin", NULL };

static void
append_word (GString    *out,
             const char *word,
             gsize       length)
{
  g_autofree char *lower = g_utf8_strdown (word, length);

  g_assert (out != NULL);

  if (lower[0] == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  if (g_strv_contains (acronyms, lower))
    {
      g_autofree char *upper = g_utf8_strup (lower, -1);
      g_string_append (out, upper);
    }
  else
    g_string_append (out, lower);
}

char *
_tdm_mapping_humanize_name (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *start = name;
  gunichar first;

  g_assert (name != NULL);

  /* Words end at _ . - [ ] spaces and before a capital that follows a
   * small letter (camelCase). */
  for (const char *p = name; ; p++)
    {
      gboolean separator = *p == '\0' || strchr ("_.-[] ", *p) != NULL;
      gboolean camel = !separator && g_ascii_isupper (*p) && p > name &&
                       g_ascii_islower (p[-1]);

      if (separator || camel)
        {
          append_word (out, start, p - start);
          start = separator ? p + 1 : p;
        }
      if (*p == '\0')
        break;
    }

  if (out->len == 0)
    return g_strdup (name);

  first = g_utf8_get_char (out->str);
  if (g_unichar_islower (first))
    {
      char buf[6];
      int n = g_unichar_to_utf8 (g_unichar_toupper (first), buf);
      int old = g_utf8_next_char (out->str) - out->str;

      g_string_erase (out, 0, old);
      g_string_insert_len (out, 0, buf, n);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Public API ---- */

const char *
tdm_mapping_row_get_label (const TdmMappingRow *row)
{
  const TdmRow *self = (const TdmRow *) row;

  g_return_val_if_fail (row != NULL, NULL);

  if (self->label != NULL)
    return g_dgettext (GETTEXT_PACKAGE, self->label);
  if (self->human_name != NULL)
    return self->human_name;
  return row->name;
}
