/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sandbox"

#include "config.h"

#include "tdm-sandbox-data.h"

#include <string.h>

typedef struct {
  const char *country;
  const char *city;
  const char *zip;
  const char *street;
  const char *phone_prefix;   /* E.164 country prefix */
  const char *locale;
} Place;

static const Place places[] = {
  { "NO", "Oslo", "0155", "Storgata", "+47", "nb" },
  { "NO", "Bergen", "5003", "Strandgaten", "+47", "nb" },
  { "NO", "Trondheim", "7011", "Kongens gate", "+47", "nb" },
  { "NO", "Tromsø", "9008", "Fjellveien", "+47", "nb" },
  { "NO", "Stavanger", "4006", "Løkkeveien", "+47", "nb" },
  { "NO", "Ålesund", "6002", "Kongens gate", "+47", "nn" },
  { "NO", "Bodø", "8006", "Sjøgata", "+47", "nb" },
  { "NO", "Kristiansand", "4611", "Markens gate", "+47", "nb" },
  { "NO", "Lillehammer", "2609", "Bjørkelia", "+47", "nb" },
  { "NO", "Hønefoss", "3510", "Ørnevegen", "+47", "nb" },
  { "NO", "Kirkenes", "9900", "Dr. Wessels gate", "+47", "nb" },
  { "SE", "Göteborg", "411 05", "Östra Hamngatan", "+46", "sv" },
  { "SE", "Malmö", "211 20", "Södra Förstadsgatan", "+46", "sv" },
  { "SE", "Stockholm", "111 22", "Drottninggatan", "+46", "sv" },
  { "DK", "København K", "1050", "Nørregade", "+45", "da" },
  { "DK", "Aarhus C", "8000", "Søndergade", "+45", "da" },
  { "DE", "Berlin", "10115", "Müllerstraße", "+49", "de" },
  { "DE", "Hamburg", "20095", "Mönckebergstraße", "+49", "de" },
  { "DE", "München", "80331", "Weinstraße", "+49", "de" },
};

static const char * const first_names_no[] = {
  "Åse", "Bjørn", "Kåre", "Sølvi", "Øystein", "Håkon", "Torbjørn", "Siv", "Ingrid", "Marit",
  "Jørgen", "Pål", "Gro", "Åshild", "Ragnhild", "Stian", "Kari", "Ola", "Nils", "Mette",
  "Lars", "Eirik", "Sigrid", "Tove", "Hege", "Ørjan", "Brynjar", "Synnøve", "Trude", "Jens",
};
static const char * const last_names_no[] = {
  "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
  "Jensen", "Karlsen", "Bråten", "Sæther", "Løvås", "Kjærnes", "Østby", "Ødegård", "Berg",
  "Haugen", "Håland", "Strøm", "Sørensen", "Aasen", "Bøe", "Dahl", "Lie",
};
static const char * const first_names_se[] = { "Märta", "Björn", "Åsa", "Göran", "Linnéa" };
static const char * const last_names_se[] = { "Lindström", "Åkesson", "Sjöberg", "Nyström" };
static const char * const first_names_dk[] = { "Søren", "Mette", "Jørn", "Birthe" };
static const char * const last_names_dk[] = { "Søndergaard", "Jørgensen", "Mølgaard" };
static const char * const first_names_de[] = { "Jürgen", "Jörg", "Anneliese", "Günther" };
static const char * const last_names_de[] = { "Müller", "Schröder", "Weiß", "Köhler" };

static const char * const product_kinds[] = {
  "Lusekofte", "Marius-genser", "Selbuvotter", "Fjellue", "Ullsokker", "Skjerf", "Pledd",
  "Kofte", "Pannebånd", "Hals", "Babyteppe", "Tøfler",
};
static const char * const product_types[] = {
  "Genser", "Genser", "Votter", "Lue", "Sokker", "Skjerf", "Pledd", "Genser", "Lue", "Skjerf",
  "Teppe", "Tøfler",
};
static const char * const materials[] = {
  "ull", "alpakka", "merinoull", "lammeull", "mohair",
};
static const char * const qualifiers[] = {
  "Klassisk", "Fjord", "Nordlys", "Vinter", "Hytte", "Rondane", "Lofoten", "Jotunheim",
  "Hardanger", "Finnmark",
};
static const char * const colours[] = { "Rød", "Blå", "Grå", "Naturhvit", "Grønn", "Sort" };
static const char * const sizes[] = { "S", "M", "L", "XL" };
static const char * const vendors[] = { "Nordmann Strikk", "Fjordull", "Husflid AS" };
static const char * const financial[] = { "paid", "paid", "paid", "pending", "refunded",
                                          "partially_refunded", "authorized" };
static const char * const financial_shopify[] = { "PAID", "PAID", "PAID", "PENDING", "REFUNDED",
                                                  "PARTIALLY_REFUNDED", "AUTHORIZED" };
static const char * const fulfillment[] = { "fulfilled", "fulfilled", "unfulfilled", "partial" };
static const char * const fulfillment_shopify[] = { "FULFILLED", "FULFILLED", "UNFULFILLED",
                                                    "PARTIALLY_FULFILLED" };

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

void
tdm_sandbox_sizes_init_default (TdmSandboxSizes *sizes_out)
{
  g_return_if_fail (sizes_out != NULL);

  sizes_out->customers = 300;
  sizes_out->products = 100;
  sizes_out->orders = 300;
  sizes_out->shared_customers = 120;
  sizes_out->shopify_customers = 40;
  sizes_out->shared_products = 50;
  sizes_out->shopify_products = 15;
  sizes_out->shopify_orders = 30;
  sizes_out->seed = 2026;
}

/* ---- Helpers ---- */

typedef struct {
  char *first_name;
  char *last_name;
  char *email;
  char *phone;          /* E.164 */
  const Place *place;
  guint house;
  char *updated_at;
  char *webshop_id;
  char *shopify_id;
  gboolean bad_email;
} Person;

typedef struct {
  char   *sku;          /* may be NULL: the deliberate "missing SKU" products */
  char   *title;
  guint   price_ore;
  char   *webshop_product_id;
  char   *shopify_variant_id;
} Sellable;

typedef struct {
  GRand     *rand;
  GPtrArray *people;    /* Person*, webshop customers first */
  GPtrArray *sellables; /* Sellable* */
  GDateTime *epoch;
} Generator;

static void
person_free (Person *p)
{
  g_free (p->first_name);
  g_free (p->last_name);
  g_free (p->email);
  g_free (p->phone);
  g_free (p->updated_at);
  g_free (p->webshop_id);
  g_free (p->shopify_id);
  g_free (p);
}

static void
sellable_free (Sellable *s)
{
  g_free (s->sku);
  g_free (s->title);
  g_free (s->webshop_product_id);
  g_free (s->shopify_variant_id);
  g_free (s);
}

static char *
money (guint ore)
{
  return g_strdup_printf ("%u.%02u", ore / 100, ore % 100);
}

/* A timestamp between June and late November, moving forward with `n`. */
static char *
timestamp (Generator *gen,
           guint      n,
           guint      of)
{
  gint64 span = (gint64) 172 * 24 * 3600;
  gint64 offset = of ? span * n / of : 0;
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (gen->epoch,
                                                     offset + g_rand_int_range (gen->rand, 0, 3600));

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* ASCII local part for an email: "Åse Bråten" → "ase.braten". */
static char *
email_local (const char *first,
             const char *last)
{
  g_autofree char *joined = g_strdup_printf ("%s.%s", first, last);
  g_autofree char *ascii = g_str_to_ascii (joined, "C");
  g_autofree char *lower = g_ascii_strdown (ascii, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p++)
    if (g_ascii_isalnum (*p) || *p == '.')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static Person *
make_person (Generator *gen,
             guint      n,
             guint      of,
             const char *domain)
{
  Person *p = g_new0 (Person, 1);
  guint roll = g_rand_int_range (gen->rand, 0, 100);
  g_autofree char *local = NULL;

  /* Mostly Norway, some neighbours. */
  if (roll < 78)
    {
      p->place = &places[g_rand_int_range (gen->rand, 0, 11)];
      p->first_name = g_strdup (PICK (gen->rand, first_names_no));
      p->last_name = g_strdup (PICK (gen->rand, last_names_no));
      p->phone = g_strdup_printf ("+47%u%07u", g_rand_int_range (gen->rand, 4, 10) == 4 ? 4 : 9,
                                  g_rand_int_range (gen->rand, 0, 10000000));
    }
  else if (roll < 88)
    {
      p->place = &places[g_rand_int_range (gen->rand, 11, 14)];
      p->first_name = g_strdup (PICK (gen->rand, first_names_se));
      p->last_name = g_strdup (PICK (gen->rand, last_names_se));
      p->phone = g_strdup_printf ("+4670%07u", g_rand_int_range (gen->rand, 0, 10000000));
    }
  else if (roll < 94)
    {
      p->place = &places[g_rand_int_range (gen->rand, 14, 16)];
      p->first_name = g_strdup (PICK (gen->rand, first_names_dk));
      p->last_name = g_strdup (PICK (gen->rand, last_names_dk));
      p->phone = g_strdup_printf ("+452%07u", g_rand_int_range (gen->rand, 0, 10000000));
    }
  else
    {
      p->place = &places[g_rand_int_range (gen->rand, 16, 19)];
      p->first_name = g_strdup (PICK (gen->rand, first_names_de));
      p->last_name = g_strdup (PICK (gen->rand, last_names_de));
      p->phone = g_strdup_printf ("+49151%08u", g_rand_int_range (gen->rand, 0, 100000000));
    }
  p->house = g_rand_int_range (gen->rand, 1, 120);
  local = email_local (p->first_name, p->last_name);
  /* The number keeps emails unique (matching is by email). */
  p->email = g_strdup_printf ("%s%u@%s", local, n + 1, domain);
  p->updated_at = timestamp (gen, n, of);
  return p;
}

static JsonObject *
webshop_address (const Person *p)
{
  JsonObject *a = json_object_new ();
  g_autofree char *street = g_strdup_printf ("%s %u", p->place->street, p->house);

  json_object_set_string_member (a, "first_name", p->first_name);
  json_object_set_string_member (a, "last_name", p->last_name);
  json_object_set_string_member (a, "address1", street);
  json_object_set_string_member (a, "city", p->place->city);
  json_object_set_string_member (a, "zip", p->place->zip);
  json_object_set_string_member (a, "country_code", p->place->country);
  return a;
}

static JsonObject *
shopify_address (const Person *p)
{
  JsonObject *a = json_object_new ();
  g_autofree char *street = g_strdup_printf ("%s %u", p->place->street, p->house);

  json_object_set_string_member (a, "firstName", p->first_name);
  json_object_set_string_member (a, "lastName", p->last_name);
  json_object_set_null_member (a, "company");
  json_object_set_string_member (a, "address1", street);
  json_object_set_null_member (a, "address2");
  json_object_set_string_member (a, "city", p->place->city);
  json_object_set_null_member (a, "provinceCode");
  json_object_set_string_member (a, "zip", p->place->zip);
  json_object_set_string_member (a, "countryCodeV2", p->place->country);
  json_object_set_null_member (a, "phone");
  return a;
}

static JsonObject *
connection_of (JsonArray *nodes)
{
  JsonObject *conn = json_object_new ();

  json_object_set_array_member (conn, "nodes", nodes);
  return conn;
}

static JsonArray *
string_array (const char *first,
              ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);
  return array;
}

static JsonObject *
shop_money (const char *amount)
{
  JsonObject *bag = json_object_new ();
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "amount", amount);
  json_object_set_string_member (m, "currencyCode", "NOK");
  json_object_set_object_member (bag, "shopMoney", m);
  return bag;
}

/* ---- Customers ---- */

static void
seed_customers (Generator             *gen,
                TdmFakeWebshop        *webshop,
                TdmFakeShopify        *shopify,
                const TdmSandboxSizes *sz)
{
  for (guint i = 0; i < sz->customers; i++)
    {
      Person *p = make_person (gen, i, sz->customers, "example.no");
      g_autoptr(JsonObject) record = json_object_new ();
      JsonArray *addresses = json_array_new ();
      gboolean marketing = g_rand_boolean (gen->rand);

      /* Deliberate problems: an email the other side will refuse. */
      if (i == 7 || i == 131 || i == 250)
        {
          g_free (p->email);
          p->email = g_strdup (i == 7 ? "ola.nordmann@@example.no"
                               : i == 131 ? "kari at example.no" : "siv.berg@example");
          p->bad_email = TRUE;
        }

      json_object_set_string_member (record, "email", p->email);
      json_object_set_string_member (record, "first_name", p->first_name);
      json_object_set_string_member (record, "last_name", p->last_name);
      /* A third of the shop's numbers are typed the national way. */
      if (g_str_has_prefix (p->phone, "+47") && i % 3 == 0)
        json_object_set_string_member (record, "phone", p->phone + 3);
      else
        json_object_set_string_member (record, "phone", p->phone);
      json_object_set_boolean_member (record, "accepts_email_marketing", marketing);
      json_object_set_array_member (record, "tags",
                                    i % 9 == 0 ? string_array ("vip", "nyhetsbrev", NULL)
                                    : i % 4 == 0 ? string_array ("nyhetsbrev", NULL)
                                    : json_array_new ());
      json_object_set_string_member (record, "locale", p->place->locale);
      json_array_add_object_element (addresses, webshop_address (p));
      json_object_set_array_member (record, "addresses", addresses);
      json_object_set_int_member (record, "default_address_index", 0);
      json_object_set_string_member (record, "created_at", p->updated_at);
      json_object_set_string_member (record, "updated_at", p->updated_at);
      p->webshop_id = tdm_fake_webshop_seed (webshop, TDM_KIND_CUSTOMER, record);
      g_ptr_array_add (gen->people, p);
    }

  if (shopify == NULL)
    return;

  /* Twins: the same email in Shopify, spread over the list; a few differ. */
  for (guint i = 0; i < sz->shared_customers; i++)
    {
      guint index = (i * sz->customers) / MAX (sz->shared_customers, 1u);
      Person *p = gen->people->pdata[index];
      g_autoptr(JsonObject) node = json_object_new ();
      JsonObject *email = json_object_new ();
      JsonArray *addresses = json_array_new ();
      g_autofree char *updated = timestamp (gen, i, sz->shared_customers);

      /* Shopify would never have accepted the broken addresses: the twin
       * is the next customer instead. */
      if (p->bad_email && index + 1 < sz->customers)
        p = gen->people->pdata[index + 1];

      json_object_set_string_member (node, "firstName", p->first_name);
      json_object_set_string_member (node, "lastName",
                                     i % 10 == 3 ? "Nordmann-Hansen" : p->last_name);
      json_object_set_string_member (email, "emailAddress", p->email);
      json_object_set_string_member (email, "marketingState", "SUBSCRIBED");
      json_object_set_object_member (node, "defaultEmailAddress", email);
      if (i % 7 != 5)
        {
          JsonObject *phone = json_object_new ();

          json_object_set_string_member (phone, "phoneNumber", p->phone);
          json_object_set_object_member (node, "defaultPhoneNumber", phone);
        }
      json_object_set_string_member (node, "locale", p->place->locale);
      json_object_set_array_member (node, "tags", string_array ("shopify", NULL));
      json_array_add_object_element (addresses, shopify_address (p));
      json_object_set_object_member (node, "addressesV2", connection_of (addresses));
      json_object_set_string_member (node, "updatedAt", updated);
      g_free (p->shopify_id);
      p->shopify_id = tdm_fake_shopify_seed (shopify, TDM_KIND_CUSTOMER, node);
    }

  /* Shopify-only customers, one with a phone number nobody can parse. */
  for (guint i = 0; i < sz->shopify_customers; i++)
    {
      Person *p = make_person (gen, i, sz->shopify_customers, "example.com");
      g_autoptr(JsonObject) node = json_object_new ();
      JsonObject *email = json_object_new ();
      JsonObject *phone = json_object_new ();
      JsonArray *addresses = json_array_new ();

      json_object_set_string_member (node, "firstName", p->first_name);
      json_object_set_string_member (node, "lastName", p->last_name);
      json_object_set_string_member (email, "emailAddress", p->email);
      json_object_set_string_member (email, "marketingState", "NOT_SUBSCRIBED");
      json_object_set_object_member (node, "defaultEmailAddress", email);
      json_object_set_string_member (phone, "phoneNumber", i == 11 ? "ring etter kl. 16" : p->phone);
      json_object_set_object_member (node, "defaultPhoneNumber", phone);
      json_object_set_string_member (node, "locale", p->place->locale);
      json_array_add_object_element (addresses, shopify_address (p));
      json_object_set_object_member (node, "addressesV2", connection_of (addresses));
      json_object_set_string_member (node, "updatedAt", p->updated_at);
      p->shopify_id = tdm_fake_shopify_seed (shopify, TDM_KIND_CUSTOMER, node);
      g_ptr_array_add (gen->people, p);
    }
}

/* ---- Products ---- */

static void
seed_products (Generator             *gen,
               TdmFakeWebshop        *webshop,
               TdmFakeShopify        *shopify,
               const TdmSandboxSizes *sz)
{
  guint total = sz->products + (shopify ? sz->shopify_products : 0);
  guint stride = sz->shared_products ? MAX (sz->products / sz->shared_products, 1u) : G_MAXUINT;

  for (guint i = 0; i < total; i++)
    {
      gboolean in_webshop = i < sz->products;
      /* Every stride-th webshop product is also in Shopify, then the
       * Shopify-only ones. */
      gboolean in_shopify = shopify != NULL
                            && (i >= sz->products
                                || (i % stride == 0 && i / stride < sz->shared_products));
      guint kind = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (product_kinds));
      g_autofree char *title = g_strdup_printf ("%s %s", PICK (gen->rand, qualifiers),
                                                product_kinds[kind]);
      const char *material = PICK (gen->rand, materials);
      const char *vendor = PICK (gen->rand, vendors);
      guint price = (g_rand_int_range (gen->rand, 2, 30) * 5000) - 100;  /* 99.00 … 1499.00 */
      guint n_variants = g_rand_int_range (gen->rand, 0, 100) < 60
                         ? (guint) g_rand_int_range (gen->rand, 2, 5) : 0;
      gboolean by_colour = g_rand_boolean (gen->rand);
      g_autofree char *updated = timestamp (gen, i, total);
      g_autofree char *html = g_strdup_printf ("<p>%s i %s, strikket i Norge.</p>", title, material);
      g_autofree char *base_sku = g_strdup_printf ("NS-%04u", i + 1);
      g_autofree char *price_str = money (price);
      g_autofree char *compare = i % 6 == 0 ? money (price + 20000) : NULL;
      g_autofree char *webshop_id = NULL;
      gboolean missing_sku = in_webshop && (i == 13 || i == 77);
      JsonArray *ws_variants = json_array_new ();
      JsonArray *sh_variants = json_array_new ();
      guint count = MAX (n_variants, 1u);

      for (guint v = 0; v < count; v++)
        {
          const char *option = n_variants == 0 ? NULL
                               : by_colour ? colours[v % G_N_ELEMENTS (colours)]
                               : sizes[v % G_N_ELEMENTS (sizes)];
          g_autofree char *option_ascii = option ? g_str_to_ascii (option, "C") : NULL;
          g_autofree char *sku = missing_sku ? NULL
                                 : option ? g_strdup_printf ("%s-%.3s", base_sku, option_ascii)
                                 : g_strdup (base_sku);
          g_autofree char *barcode = g_strdup_printf ("7040%09u", i * 10 + v);
          guint stock = g_rand_int_range (gen->rand, 0, 40);
          Sellable *s = g_new0 (Sellable, 1);

          if (sku != NULL)
            for (char *c = sku; *c; c++)
              *c = g_ascii_toupper (*c);

          if (n_variants > 0)
            {
              JsonObject *wv = json_object_new ();
              JsonObject *options = json_object_new ();

              if (sku != NULL)
                json_object_set_string_member (wv, "sku", sku);
              json_object_set_string_member (wv, "title", option);
              json_object_set_string_member (options, by_colour ? "Farge" : "Størrelse", option);
              json_object_set_object_member (wv, "options", options);
              json_object_set_string_member (wv, "price", price_str);
              if (compare)
                json_object_set_string_member (wv, "compare_at_price", compare);
              json_object_set_int_member (wv, "inventory_quantity", stock);
              json_object_set_string_member (wv, "barcode", barcode);
              json_array_add_object_element (ws_variants, wv);
            }

          {
            JsonObject *sv = json_object_new ();
            JsonObject *item = json_object_new ();
            JsonObject *measurement = json_object_new ();
            JsonObject *weight = json_object_new ();
            JsonArray *selected = json_array_new ();

            if (sku != NULL)
              json_object_set_string_member (sv, "sku", sku);
            else
              json_object_set_null_member (sv, "sku");
            json_object_set_string_member (sv, "price", price_str);
            if (compare)
              json_object_set_string_member (sv, "compareAtPrice", compare);
            else
              json_object_set_null_member (sv, "compareAtPrice");
            json_object_set_string_member (sv, "barcode", barcode);
            json_object_set_int_member (sv, "inventoryQuantity", stock);
            if (option != NULL)
              {
                JsonObject *so = json_object_new ();

                json_object_set_string_member (so, "name", by_colour ? "Farge" : "Størrelse");
                json_object_set_string_member (so, "value", option);
                json_array_add_object_element (selected, so);
              }
            json_object_set_array_member (sv, "selectedOptions", selected);
            json_object_set_double_member (weight, "value", 0.4);
            json_object_set_string_member (weight, "unit", "KILOGRAMS");
            json_object_set_object_member (measurement, "weight", weight);
            json_object_set_object_member (item, "measurement", measurement);
            json_object_set_object_member (sv, "inventoryItem", item);
            json_array_add_object_element (sh_variants, sv);
          }

          s->sku = g_strdup (sku);
          s->title = option ? g_strdup_printf ("%s - %s", title, option) : g_strdup (title);
          s->price_ore = price;
          g_ptr_array_add (gen->sellables, s);
        }

      if (in_webshop)
        {
          g_autoptr(JsonObject) record = json_object_new ();

          json_object_set_string_member (record, "title", title);
          json_object_set_string_member (record, "description_html", html);
          json_object_set_string_member (record, "vendor", vendor);
          json_object_set_string_member (record, "product_type", product_types[kind]);
          json_object_set_string_member (record, "status", i % 25 == 24 ? "draft" : "active");
          json_object_set_array_member (record, "tags", string_array (material, NULL));
          json_object_set_string_member (record, "currency", "NOK");
          json_object_set_string_member (record, "weight", "0.4");
          json_object_set_string_member (record, "weight_unit", "kg");
          if (n_variants > 0)
            json_object_set_array_member (record, "variants", json_array_ref (ws_variants));
          else
            {
              Sellable *only = gen->sellables->pdata[gen->sellables->len - 1];

              if (only->sku != NULL)
                json_object_set_string_member (record, "sku", only->sku);
              json_object_set_string_member (record, "price", price_str);
              if (compare)
                json_object_set_string_member (record, "compare_at_price", compare);
              json_object_set_int_member (record, "inventory_quantity",
                                          g_rand_int_range (gen->rand, 0, 40));
              json_object_set_string_member (record, "barcode",
                                             json_object_get_string_member (
                                               json_array_get_object_element (sh_variants, 0),
                                               "barcode"));
            }
          json_object_set_string_member (record, "created_at", updated);
          json_object_set_string_member (record, "updated_at", updated);
          webshop_id = tdm_fake_webshop_seed (webshop, TDM_KIND_PRODUCT, record);
          for (guint v = 0; v < count; v++)
            {
              Sellable *s = gen->sellables->pdata[gen->sellables->len - count + v];

              s->webshop_product_id = g_strdup (webshop_id);
            }
        }

      if (in_shopify && !missing_sku)
        {
          g_autoptr(JsonObject) node = json_object_new ();
          g_autofree char *shopify_updated = timestamp (gen, i, total);
          g_autofree char *gid = NULL;
          g_autoptr(JsonObject) stored = NULL;
          JsonArray *nodes;

          json_object_set_string_member (node, "title", title);
          json_object_set_string_member (node, "descriptionHtml", html);
          json_object_set_string_member (node, "vendor", vendor);
          json_object_set_string_member (node, "productType", product_types[kind]);
          json_object_set_string_member (node, "status", "ACTIVE");
          json_object_set_array_member (node, "tags", string_array (material, NULL));
          json_object_set_object_member (node, "variants", connection_of (json_array_ref (sh_variants)));
          json_object_set_string_member (node, "updatedAt", shopify_updated);
          gid = tdm_fake_shopify_seed (shopify, TDM_KIND_PRODUCT, node);
          stored = tdm_fake_shopify_get_record (shopify, TDM_KIND_PRODUCT, gid);
          nodes = stored ? json_object_get_array_member (json_object_get_object_member (stored,
                                                                                        "variants"),
                                                         "nodes") : NULL;
          for (guint v = 0; nodes != NULL && v < json_array_get_length (nodes) && v < count; v++)
            {
              Sellable *s = gen->sellables->pdata[gen->sellables->len - count + v];
              JsonObject *vn = json_array_get_object_element (nodes, v);

              if (json_object_has_member (vn, "id"))
                s->shopify_variant_id = g_strdup (json_object_get_string_member (vn, "id"));
            }
        }

      json_array_unref (ws_variants);
      json_array_unref (sh_variants);
    }
}

/* ---- Orders ---- */

/* The demo's taxes and discounts (docs/webshop-api.md § order): lines at
 * 25 % VAT, every fifth order's last line at 15 % (food), every seventh
 * order with a gift card without tax, shipping taxed at 25 %, every sixth
 * order with a 10 % discount code (every thirtieth with a second code,
 * which Shopify cannot hold apart), every tenth with VAT on top of its
 * prices. Amounts in øre, rounded half up; the tax on what is left after
 * the discount. */
#define ORDER_RATE_REDUCED(i, l, n) ((i) % 5 == 1 && (n) > 1 && (l) == (n) - 1)
#define ORDER_GIFT_CARD(i)          ((i) % 7 == 3)
#define ORDER_DISCOUNTED(i)         ((i) % 6 == 2)
#define ORDER_VAT_ON_TOP(i)         ((i) % 10 == 9)
#define ORDER_TWO_CODES(i)          ((i) % 30 == 2)
#define GIFT_CARD_ORE               20000

static guint
share (guint amount,
       guint numerator,
       guint denominator)
{
  return (guint) (((guint64) amount * numerator + denominator / 2) / denominator);
}

/* The VAT of `amount` øre at `percent`, included in it or on top. */
static guint
vat_of (guint    amount,
        guint    percent,
        gboolean included)
{
  return included ? share (amount, percent, 100 + percent) : share (amount, percent, 100);
}

/* [{"title": "MVA", "rate": "0.25", "price": "…"}] */
static JsonArray *
tax_lines_of (guint percent,
              guint tax)
{
  JsonArray *lines = json_array_new ();
  JsonObject *line = json_object_new ();
  g_autofree char *rate = percent > 0 ? g_strdup_printf ("0.%02u", percent) : g_strdup ("0");
  g_autofree char *price = money (tax);

  json_object_set_string_member (line, "title", "MVA");
  json_object_set_string_member (line, "rate", rate);
  json_object_set_string_member (line, "price", price);
  json_array_add_object_element (lines, line);
  return lines;
}

/* Shopify's taxLines of one line at 25 %, VAT included. */
static JsonArray *
shopify_tax_lines_of (guint tax)
{
  JsonArray *lines = json_array_new ();
  JsonObject *line = json_object_new ();
  g_autofree char *price = money (tax);

  json_object_set_string_member (line, "title", "MVA");
  json_object_set_double_member (line, "rate", 0.25);
  json_object_set_object_member (line, "priceSet", shop_money (price));
  json_array_add_object_element (lines, line);
  return lines;
}

/* {"code", "amount"} */
static JsonObject *
discount_of (const char *code,
             guint       amount)
{
  JsonObject *discount = json_object_new ();
  g_autofree char *text = money (amount);

  json_object_set_string_member (discount, "code", code);
  json_object_set_string_member (discount, "amount", text);
  return discount;
}

/* The order's money: subtotal, discounts (one code, or two), shipping, tax
 * and total (total = subtotal − discounts + shipping, + tax when on top). */
static void
set_order_money (JsonObject *record,
                 guint       subtotal,
                 guint       discount,
                 gboolean    two_codes,
                 guint       freight,
                 guint       tax,
                 gboolean    included)
{
  g_autofree char *subtotal_str = money (subtotal);
  g_autofree char *discount_str = money (discount);
  g_autofree char *freight_str = money (freight);
  g_autofree char *tax_str = money (tax);
  g_autofree char *total_str = money (subtotal - discount + freight + (included ? 0 : tax));

  if (discount > 0)
    {
      JsonArray *discounts = json_array_new ();
      guint second = two_codes ? MIN (discount / 2, 5000) : 0;

      json_array_add_object_element (discounts, discount_of ("HOST10", discount - second));
      if (second > 0)
        json_array_add_object_element (discounts, discount_of ("VIP", second));
      json_object_set_array_member (record, "discounts", discounts);
    }
  json_object_set_string_member (record, "subtotal_price", subtotal_str);
  json_object_set_string_member (record, "total_discounts", discount_str);
  json_object_set_string_member (record, "total_shipping", freight_str);
  json_object_set_string_member (record, "total_tax", tax_str);
  json_object_set_string_member (record, "total_price", total_str);
  json_object_set_boolean_member (record, "taxes_included", included);
}

static void
seed_orders (Generator             *gen,
             TdmFakeWebshop        *webshop,
             TdmFakeShopify        *shopify,
             const TdmSandboxSizes *sz)
{
  guint webshop_people = sz->customers;

  for (guint i = 0; i < sz->orders; i++)
    {
      Person *p = gen->people->pdata[g_rand_int_range (gen->rand, 0, webshop_people)];
      g_autoptr(JsonObject) record = json_object_new ();
      JsonArray *lines = json_array_new ();
      JsonArray *shipping = json_array_new ();
      JsonObject *ship = json_object_new ();
      guint n_lines = g_rand_int_range (gen->rand, 1, 4);
      guint subtotal = 0, discount = 0, tax = 0;
      gboolean included = !ORDER_VAT_ON_TOP (i);
      guint freight = g_rand_boolean (gen->rand) ? 9900 : 0;
      guint status = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (financial));
      guint fstatus = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (fulfillment));
      g_autofree char *number = g_strdup_printf ("%u", 10001 + i);
      g_autofree char *when = timestamp (gen, i, sz->orders);
      g_autofree char *freight_str = money (freight);

      for (guint l = 0; l < n_lines; l++)
        {
          Sellable *s = gen->sellables->pdata[g_rand_int_range (gen->rand, 0,
                                                                gen->sellables->len)];
          JsonObject *line = json_object_new ();
          guint qty = g_rand_int_range (gen->rand, 1, 4);
          guint percent = ORDER_RATE_REDUCED (i, l, n_lines) ? 15 : 25;
          guint line_discount = ORDER_DISCOUNTED (i) ? share (s->price_ore * qty, 1, 10) : 0;
          guint line_tax = vat_of (s->price_ore * qty - line_discount, percent, included);
          g_autofree char *unit = money (s->price_ore);

          if (s->sku != NULL)
            json_object_set_string_member (line, "sku", s->sku);
          if (s->webshop_product_id != NULL)
            json_object_set_string_member (line, "product_id", s->webshop_product_id);
          json_object_set_string_member (line, "title", s->title);
          json_object_set_int_member (line, "quantity", qty);
          json_object_set_string_member (line, "unit_price", unit);
          json_object_set_array_member (line, "tax_lines", tax_lines_of (percent, line_tax));
          json_array_add_object_element (lines, line);
          subtotal += s->price_ore * qty;
          discount += line_discount;
          tax += line_tax;
        }
      if (ORDER_GIFT_CARD (i))
        {
          JsonObject *line = json_object_new ();
          g_autofree char *unit = money (GIFT_CARD_ORE);

          json_object_set_string_member (line, "title", "Gavekort");
          json_object_set_int_member (line, "quantity", 1);
          json_object_set_string_member (line, "unit_price", unit);
          json_object_set_array_member (line, "tax_lines", tax_lines_of (0, 0));
          json_array_add_object_element (lines, line);
          subtotal += GIFT_CARD_ORE;
        }

      json_object_set_string_member (record, "number", number);
      json_object_set_string_member (record, "customer_id", p->webshop_id);
      json_object_set_string_member (record, "email", p->email);
      json_object_set_string_member (record, "currency", "NOK");
      json_object_set_string_member (record, "financial_status", financial[status]);
      json_object_set_string_member (record, "fulfillment_status", fulfillment[fstatus]);
      json_object_set_string_member (record, "processed_at", when);
      if (g_str_equal (financial[status], "refunded") && i % 2 == 0)
        json_object_set_string_member (record, "cancelled_at", when);
      json_object_set_array_member (record, "line_items", lines);
      json_object_set_string_member (ship, "title", freight ? "Posten Norgespakke" : "Hent i butikk");
      json_object_set_string_member (ship, "price", freight_str);
      if (freight > 0)
        {
          guint freight_tax = vat_of (freight, 25, included);

          json_object_set_array_member (ship, "tax_lines", tax_lines_of (25, freight_tax));
          tax += freight_tax;
        }
      json_array_add_object_element (shipping, ship);
      json_object_set_array_member (record, "shipping_lines", shipping);
      set_order_money (record, subtotal, discount, ORDER_TWO_CODES (i), freight, tax, included);
      json_object_set_object_member (record, "shipping_address", webshop_address (p));
      json_object_set_object_member (record, "billing_address", webshop_address (p));
      if (i % 11 == 0)
        json_object_set_string_member (record, "note", "Gaveinnpakning, takk.");
      json_object_set_array_member (record, "tags", json_array_new ());
      json_object_set_string_member (record, "created_at", when);
      json_object_set_string_member (record, "updated_at", when);
      g_free (tdm_fake_webshop_seed (webshop, TDM_KIND_ORDER, record));
    }

  if (shopify == NULL)
    return;

  /* Orders placed in the Shopify store, by customers Shopify knows. */
  for (guint i = 0; i < sz->shopify_orders; i++)
    {
      Person *p = NULL;
      g_autoptr(JsonObject) node = json_object_new ();
      JsonArray *lines = json_array_new ();
      JsonObject *customer = json_object_new ();
      g_autofree char *when = timestamp (gen, i, sz->shopify_orders);
      g_autofree char *subtotal_str = NULL, *total_str = NULL, *tax_str = NULL;
      g_autofree char *discount_str = NULL;
      g_autofree char *name = g_strdup_printf ("#%u", 50001 + i);
      /* every fourth with a welcome code of 50 kr off, VAT included */
      guint discount = i % 4 == 1 ? 5000 : 0;
      guint subtotal = 0, tax = 0;
      guint status = g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (financial_shopify));

      for (guint tries = 0; tries < 1000 && (p == NULL || p->shopify_id == NULL); tries++)
        p = gen->people->pdata[g_rand_int_range (gen->rand, 0, gen->people->len)];
      if (p == NULL || p->shopify_id == NULL)
        break;

      for (guint l = 0; l < 2; l++)
        {
          Sellable *s = gen->sellables->pdata[g_rand_int_range (gen->rand, 0,
                                                                gen->sellables->len)];
          JsonObject *line = json_object_new ();
          g_autofree char *unit = money (s->price_ore);

          json_object_set_string_member (line, "sku", s->sku);
          json_object_set_string_member (line, "title", s->title);
          json_object_set_int_member (line, "quantity", 1);
          json_object_set_object_member (line, "originalUnitPriceSet", shop_money (unit));
          json_object_set_array_member (line, "taxLines",
                                        shopify_tax_lines_of (vat_of (s->price_ore, 25, TRUE)));
          tax += vat_of (s->price_ore, 25, TRUE);
          if (s->shopify_variant_id != NULL)
            {
              JsonObject *variant = json_object_new ();

              json_object_set_string_member (variant, "id", s->shopify_variant_id);
              json_object_set_object_member (line, "variant", variant);
            }
          else
            json_object_set_null_member (line, "variant");
          json_array_add_object_element (lines, line);
          subtotal += s->price_ore;
        }
      discount = MIN (discount, subtotal);
      subtotal_str = money (subtotal - discount);
      total_str = money (subtotal - discount);
      discount_str = money (discount);
      tax_str = money (tax);

      json_object_set_string_member (node, "name", name);
      json_object_set_string_member (node, "email", p->email);
      json_object_set_string_member (node, "currencyCode", "NOK");
      json_object_set_string_member (node, "processedAt", when);
      json_object_set_string_member (node, "displayFinancialStatus", financial_shopify[status]);
      json_object_set_string_member (node, "displayFulfillmentStatus",
                                     PICK (gen->rand, fulfillment_shopify));
      json_object_set_boolean_member (node, "taxesIncluded", TRUE);
      json_object_set_string_member (customer, "id", p->shopify_id);
      json_object_set_object_member (node, "customer", customer);
      json_object_set_object_member (node, "lineItems", connection_of (lines));
      if (discount > 0)
        {
          JsonArray *applications = json_array_new ();
          JsonObject *application = json_object_new ();
          JsonObject *value = json_object_new ();

          json_object_set_string_member (application, "code", "VELKOMMEN");
          json_object_set_string_member (value, "amount", discount_str);
          json_object_set_object_member (application, "value", value);
          json_array_add_object_element (applications, application);
          json_object_set_object_member (node, "discountApplications",
                                         connection_of (applications));
        }
      json_object_set_object_member (node, "subtotalPriceSet", shop_money (subtotal_str));
      json_object_set_object_member (node, "totalDiscountsSet", shop_money (discount_str));
      json_object_set_object_member (node, "totalShippingPriceSet", shop_money ("0.00"));
      json_object_set_object_member (node, "totalTaxSet", shop_money (tax_str));
      json_object_set_object_member (node, "totalPriceSet", shop_money (total_str));
      json_object_set_object_member (node, "shippingAddress", shopify_address (p));
      json_object_set_string_member (node, "updatedAt", when);
      g_free (tdm_fake_shopify_seed (shopify, TDM_KIND_ORDER, node));
    }
}

gboolean
tdm_sandbox_seed (TdmFakeWebshop        *webshop,
                  TdmFakeShopify        *shopify,
                  const TdmSandboxSizes *sizes_in)
{
  TdmSandboxSizes sz;
  Generator gen = { 0 };

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (webshop), FALSE);
  g_return_val_if_fail (shopify == NULL || TDM_IS_FAKE_SHOPIFY (shopify), FALSE);

  if (sizes_in != NULL)
    sz = *sizes_in;
  else
    tdm_sandbox_sizes_init_default (&sz);
  g_return_val_if_fail (sz.shared_customers <= sz.customers, FALSE);
  g_return_val_if_fail (sz.shared_products <= sz.products, FALSE);
  g_return_val_if_fail (sz.customers > 0 || sz.orders == 0, FALSE);
  g_return_val_if_fail (sz.products > 0 || sz.shopify_products > 0 || sz.orders == 0, FALSE);

  gen.rand = g_rand_new_with_seed (sz.seed);
  gen.people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  gen.sellables = g_ptr_array_new_with_free_func ((GDestroyNotify) sellable_free);
  gen.epoch = g_date_time_new_utc (2026, 6, 1, 8, 0, 0);

  seed_customers (&gen, webshop, shopify, &sz);
  seed_products (&gen, webshop, shopify, &sz);
  seed_orders (&gen, webshop, shopify, &sz);

  g_date_time_unref (gen.epoch);
  g_ptr_array_unref (gen.sellables);
  g_ptr_array_unref (gen.people);
  g_rand_free (gen.rand);
  return TRUE;
}
