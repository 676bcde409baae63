/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-core-resources.h"
#include "tdm-error.h"

#define DEFAULT_MAPPING_RESOURCE "/io/github/tandemsync/Tandem/core/mappings/default.json"
#define METAFIELD_PREFIX "metafield:"

/* Named transforms --------------------------------------------------------- */

typedef enum {
  TRANSFORM_NONE,
  TRANSFORM_IDENTITY,          /* the record's own id / its twin's id: not a canonical field */
  TRANSFORM_STATUS_UPPER,      /* ACTIVE ⇄ active */
  TRANSFORM_FINANCIAL_STATUS,  /* PARTIALLY_PAID ⇄ partially_paid */
  TRANSFORM_FULFILLMENT_STATUS,/* FULFILLED → fulfilled, PARTIALLY_FULFILLED → partial,
                                * anything else → unfulfilled */
  TRANSFORM_MARKETING_STATE,   /* SUBSCRIBED ⇄ true */
  TRANSFORM_WEIGHT_UNIT,       /* kg ⇄ KILOGRAMS … */
  TRANSFORM_OPTIONS_MAP,       /* {"Size": "M"} ⇄ [{"name": "Size", "value": "M"}] */
  TRANSFORM_CUSTOMER_REF,      /* a customer reference through the links */
  TRANSFORM_PRODUCT_REF,       /* a product reference through the links */
  TRANSFORM_VAT_EXCLUSIVE,     /* derived from the sibling "price" and the VAT rate when absent */
} Transform;

static const struct {
  const char *name;
  Transform   transform;
} transform_names[] = {
  { "identity", TRANSFORM_IDENTITY },
  { "status_upper", TRANSFORM_STATUS_UPPER },
  { "financial_status", TRANSFORM_FINANCIAL_STATUS },
  { "fulfillment_status", TRANSFORM_FULFILLMENT_STATUS },
  { "marketing_state", TRANSFORM_MARKETING_STATE },
  { "weight_unit", TRANSFORM_WEIGHT_UNIT },
  { "options_map", TRANSFORM_OPTIONS_MAP },
  { "customer_ref", TRANSFORM_CUSTOMER_REF },
  { "product_ref", TRANSFORM_PRODUCT_REF },
  { "vat_exclusive", TRANSFORM_VAT_EXCLUSIVE },
};

/* Shopify properties Tandem knows, per kind ---------------------------------- */

#define ADDRESS_READ(p) \
  p ".firstName", p ".lastName", p ".company", p ".address1", p ".address2", p ".city", \
  p ".provinceCode", p ".province", p ".zip", p ".countryCodeV2", p ".country", p ".phone", \
  p ".name"
#define ADDRESS_WRITE(p) \
  p ".firstName", p ".lastName", p ".company", p ".address1", p ".address2", p ".city", \
  p ".provinceCode", p ".zip", p ".countryCode", p ".phone"

static const char * const customer_read[] = {
  "id", "legacyResourceId", "updatedAt", "createdAt", "firstName", "lastName", "displayName",
  "note", "locale", "tags", "state", "taxExempt", "verifiedEmail", "numberOfOrders",
  "defaultEmailAddress.emailAddress", "defaultEmailAddress.marketingState",
  "defaultPhoneNumber.phoneNumber", "defaultPhoneNumber.marketingState",
  "addressesV2.nodes[]", ADDRESS_READ ("addressesV2.nodes[]"),
  "defaultAddress", ADDRESS_READ ("defaultAddress"),
  "webshopId.value",
  NULL
};

static const char * const customer_write[] = {
  "email", "phone", "firstName", "lastName", "locale", "note", "tags", "taxExempt",
  "emailMarketingState", "addresses[]", ADDRESS_WRITE ("addresses[]"),
  NULL
};

static const char * const product_read[] = {
  "id", "legacyResourceId", "handle", "updatedAt", "createdAt", "title", "descriptionHtml",
  "vendor", "productType", "status", "tags", "templateSuffix", "seo.title", "seo.description",
  "variants.nodes[]", "variants.nodes[].id", "variants.nodes[].title", "variants.nodes[].sku",
  "variants.nodes[].price", "variants.nodes[].compareAtPrice", "variants.nodes[].barcode",
  "variants.nodes[].inventoryQuantity", "variants.nodes[].selectedOptions",
  "variants.nodes[].taxable", "variants.nodes[].position",
  "variants.nodes[].inventoryItem.id", "variants.nodes[].inventoryItem.sku",
  "variants.nodes[].inventoryItem.measurement.weight",
  "variants.nodes[].priceExclVat.value",
  "webshopId.value",
  NULL
};

static const char * const product_write[] = {
  "title", "handle", "descriptionHtml", "vendor", "productType", "status", "tags",
  "templateSuffix", "seo.title", "seo.description",
  "variants[]", "variants[].sku", "variants[].price", "variants[].compareAtPrice",
  "variants[].barcode", "variants[].options", "variants[].weight", "variants[].inventoryQuantity",
  "variants[].priceExclVat", "variants[].taxable",
  NULL
};

static const char * const order_read[] = {
  "id", "legacyResourceId", "name", "updatedAt", "createdAt", "email", "phone", "note", "tags",
  "currencyCode", "processedAt", "cancelledAt", "closedAt", "cancelReason",
  "displayFinancialStatus", "displayFulfillmentStatus", "taxesIncluded", "sourceIdentifier",
  "sourceName", "poNumber", "test", "customer.id",
  "lineItems.nodes[]", "lineItems.nodes[].sku", "lineItems.nodes[].title",
  "lineItems.nodes[].quantity", "lineItems.nodes[].originalUnitPriceSet.shopMoney.amount",
  "lineItems.nodes[].variant.id", "lineItems.nodes[].vendor",
  "shippingLines.nodes[]", "shippingLines.nodes[].title",
  "shippingLines.nodes[].originalPriceSet.shopMoney.amount", "shippingLines.nodes[].code",
  "subtotalPriceSet.shopMoney.amount", "totalTaxSet.shopMoney.amount",
  "totalPriceSet.shopMoney.amount", "totalShippingPriceSet.shopMoney.amount",
  "totalDiscountsSet.shopMoney.amount",
  "shippingAddress", ADDRESS_READ ("shippingAddress"),
  "billingAddress", ADDRESS_READ ("billingAddress"),
  "webshopId.value",
  NULL
};

static const char * const order_write[] = {
  "name", "email", "phone", "currency", "processedAt", "financialStatus", "fulfillmentStatus",
  "cancelledAt", "taxesIncluded", "note", "tags", "customerId", "sourceIdentifier", "poNumber",
  "lineItems[]", "lineItems[].sku", "lineItems[].title", "lineItems[].quantity",
  "lineItems[].unitPrice", "lineItems[].variantId",
  "shippingLines[]", "shippingLines[].title", "shippingLines[].price", "shippingLines[].code",
  "shippingAddress", ADDRESS_WRITE ("shippingAddress"),
  "billingAddress", ADDRESS_WRITE ("billingAddress"),
  NULL
};

static const char * const * const shopify_read_props[TDM_N_KINDS] = {
  customer_read, product_read, order_read,
};
static const char * const * const shopify_write_props[TDM_N_KINDS] = {
  customer_write, product_write, order_write,
};

static gboolean
known_property (const char * const *table,
                const char         *path)
{
  if (g_str_has_prefix (path, METAFIELD_PREFIX))
    return TRUE;
  for (guint i = 0; table[i] != NULL; i++)
    if (strcmp (table[i], path) == 0)
      return TRUE;
  return FALSE;
}

/* Rows ------------------------------------------------------------------------ */

typedef struct {
  TdmMappingRow  row;            /* first: a Row* is a TdmMappingRow* */
  Transform      transform;
  char          *rel_webshop;    /* path relative to the parent row (or the full path) */
  char          *rel_shopify;
  char          *rel_write;
  gboolean       name_given;     /* "name" was in the file */
  GPtrArray     *children;       /* Row*, not owned; for list and object rows */
} Row;

static void row_free (Row *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_free)

static void
row_free (Row *row)
{
  g_free (row->row.name);
  g_free (row->row.webshop);
  g_free (row->row.shopify);
  g_free (row->row.shopify_write);
  g_free (row->row.type_name);
  g_free (row->row.transform);
  g_free (row->rel_webshop);
  g_free (row->rel_shopify);
  g_free (row->rel_write);
  g_clear_pointer (&row->children, g_ptr_array_unref);
  g_free (row);
}

struct _TdmMapping
{
  GObject    parent_instance;

  GPtrArray *rows[TDM_N_KINDS];   /* Row*, owned */
};

G_DEFINE_FINAL_TYPE (TdmMapping, tdm_mapping, G_TYPE_OBJECT)

static gboolean
row_is_identity (const Row *row)
{
  return row->transform == TRANSFORM_IDENTITY;
}

static gboolean
row_is_container (const Row *row)
{
  return row->row.type == TDM_VALUE_LIST || row->row.type == TDM_VALUE_OBJECT;
}

static Row *
row_parent (TdmMapping *self,
            TdmKind     kind,
            const Row  *row)
{
  if (row->row.parent < 0)
    return NULL;
  return g_ptr_array_index (self->rows[kind], row->row.parent);
}

/* May data of this row flow onto `side` (its list row permitting)? */
static gboolean
row_allows (TdmMapping *self,
            TdmKind     kind,
            const Row  *row,
            TdmSide     side)
{
  const Row *parent = row_parent (self, kind, row);

  if (!tdm_direction_allows (row->row.direction, side))
    return FALSE;
  return parent == NULL || tdm_direction_allows (parent->row.direction, side);
}

static gboolean
writable_ok (TdmWritable writable,
             gboolean    for_create)
{
  switch (writable)
    {
    case TDM_WRITABLE_ALWAYS:
      return TRUE;
    case TDM_WRITABLE_CREATE_ONLY:
      return for_create;
    case TDM_WRITABLE_NEVER:
    default:
      return FALSE;
    }
}

static gboolean
row_writes (TdmMapping *self,
            TdmKind     kind,
            const Row  *row,
            TdmSide     side,
            gboolean    for_create)
{
  const Row *parent = row_parent (self, kind, row);

  if (row_is_identity (row) || !row_allows (self, kind, row, side))
    return FALSE;
  if (!writable_ok (row->row.writable, for_create))
    return FALSE;
  return parent == NULL || writable_ok (parent->row.writable, for_create);
}

/* Paths ----------------------------------------------------------------------- */

/* A member of `object`, or NULL when absent (transfer none). */
static JsonNode *
member_node (JsonObject *object,
             const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  return json_object_get_member (object, name);
}

/* Splits a dot path into segments; a "metafield:ns.key" segment keeps its dot. */
static GStrv
split_path (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *p = path;

  while (TRUE)
    {
      const char *dot;

      if (g_str_has_prefix (p, METAFIELD_PREFIX))
        {
          g_strv_builder_add (builder, p);
          break;
        }
      dot = strchr (p, '.');
      if (dot == NULL)
        {
          g_strv_builder_add (builder, p);
          break;
        }
      {
        g_autofree char *segment = g_strndup (p, dot - p);
        g_strv_builder_add (builder, segment);
      }
      p = dot + 1;
    }
  return g_strv_builder_end (builder);
}

static char *
strip_list_marker (const char *segment)
{
  if (g_str_has_suffix (segment, "[]"))
    return g_strndup (segment, strlen (segment) - 2);
  return g_strdup (segment);
}

/* NULL when the path is well formed, else a translated description of what is wrong. */
static char *
check_path_syntax (const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (path == NULL || *path == '\0')
    return g_strdup (_("The path is empty."));

  for (const char *p = path; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return g_strdup_printf (_("The path “%s” contains a space."), path);

  segments = split_path (path);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *seg = segments[i];
      const char *bracket;

      if (*seg == '\0')
        return g_strdup_printf (_("The path “%s” has an empty part (two dots in a row, or a dot at "
                                  "the start or end)."), path);
      if (g_str_has_prefix (seg, METAFIELD_PREFIX))
        {
          const char *rest = seg + strlen (METAFIELD_PREFIX);
          const char *dot = strrchr (rest, '.');

          if (dot == NULL || dot == rest || dot[1] == '\0' || strchr (rest, '[') != NULL)
            return g_strdup_printf (_("The metafield path “%s” must look like "
                                      "metafield:namespace.key."), path);
          continue;
        }
      bracket = strpbrk (seg, "[]");
      if (bracket != NULL)
        {
          if (strcmp (bracket, "[]") != 0 || bracket == seg)
            return g_strdup_printf (_("The path “%s” uses “[]” wrongly: it may only follow a name, "
                                      "as in “addresses[]”."), path);
        }
      for (const char *p = seg; *p != '\0' && p != bracket; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '$')
          return g_strdup_printf (_("The path “%s” contains the character “%.*s”, which is not "
                                    "allowed in property names."), path,
                                  (int) (g_utf8_next_char (p) - p), p);
    }
  return NULL;
}

/* The node at `path` in `object` (transfer none), or NULL. A trailing "[]"
 * names the list itself. Connections may arrive as {"nodes": […]} or as a
 * plain list; both are accepted. */
static JsonNode *
get_path (JsonObject *object,
          const char *path)
{
  g_auto(GStrv) segments = split_path (path);
  JsonNode *node = NULL;
  JsonObject *current = object;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *name = strip_list_marker (segments[i]);

      if (current == NULL)
        {
          /* a plain list where a connection object was expected */
          if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
              (strcmp (name, "nodes") == 0 || strcmp (name, "edges") == 0))
            continue;
          return NULL;
        }
      if (!json_object_has_member (current, name))
        return NULL;
      node = json_object_get_member (current, name);
      current = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

/* Sets `value` (transfer full) at `path`, creating objects on the way. */
static void
set_path (JsonObject *object,
          const char *path,
          JsonNode   *value)
{
  g_auto(GStrv) segments = split_path (path);
  JsonObject *current = object;
  guint n = g_strv_length (segments);

  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *name = strip_list_marker (segments[i]);
      JsonNode *child = member_node (current, name);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (current, name, json_object_new ());
          child = json_object_get_member (current, name);
        }
      current = json_node_get_object (child);
    }

  {
    g_autofree char *name = strip_list_marker (segments[n - 1]);
    json_object_set_member (current, name, value);
  }
}

static const char *
last_segment (const char *path)
{
  const char *dot;

  if (g_str_has_prefix (path, METAFIELD_PREFIX))
    return path;
  dot = strrchr (path, '.');
  return dot != NULL ? dot + 1 : path;
}

/* Loading --------------------------------------------------------------------- */

typedef struct {
  const char *source;
  TdmKind     kind;
  guint       number;   /* 1-based */
} RowContext;

static void
set_row_error (GError          **error,
               const RowContext *ctx,
               const char       *problem)
{
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
               /* Translators: "In the mapping “custom.json”, row 3 of the customer table:
                * <problem>" */
               _("In the mapping “%s”, row %u of the %s table: %s"),
               ctx->source, ctx->number, tdm_kind_to_string (ctx->kind), problem);
}

static Row *
fail_row (GError          **error,
          const RowContext *ctx,
          const char       *problem)
{
  set_row_error (error, ctx, problem);
  return NULL;
}

static const char *
member_string (JsonObject  *object,
               const char  *name,
               gboolean    *wrong_type)
{
  JsonNode *node;

  if (!json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *wrong_type = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
parse_writable (const char  *str,
                TdmWritable *out)
{
  if (g_strcmp0 (str, "always") == 0)
    *out = TDM_WRITABLE_ALWAYS;
  else if (g_strcmp0 (str, "create") == 0)
    *out = TDM_WRITABLE_CREATE_ONLY;
  else if (g_strcmp0 (str, "never") == 0)
    *out = TDM_WRITABLE_NEVER;
  else
    return FALSE;
  return TRUE;
}

static const char *
writable_to_string (TdmWritable writable)
{
  switch (writable)
    {
    case TDM_WRITABLE_CREATE_ONLY:
      return "create";
    case TDM_WRITABLE_NEVER:
      return "never";
    case TDM_WRITABLE_ALWAYS:
    default:
      return "always";
    }
}

static const char *
direction_to_file_string (TdmDirection direction)
{
  switch (direction)
    {
    case TDM_DIRECTION_TO_SHOPIFY:
      return "to_shopify";
    case TDM_DIRECTION_TO_WEBSHOP:
      return "to_webshop";
    case TDM_DIRECTION_OFF:
      return "off";
    case TDM_DIRECTION_BOTH:
    default:
      return "both";
    }
}

static gboolean
parse_transform (const char *str,
                 Transform  *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (transform_names); i++)
    if (strcmp (transform_names[i].name, str) == 0)
      {
        *out = transform_names[i].transform;
        return TRUE;
      }
  return FALSE;
}

/* The path relative to the parent's path, or NULL when it does not start with it. */
static char *
relative_path (const char *path,
               const char *parent_path)
{
  gsize len = strlen (parent_path);

  if (strncmp (path, parent_path, len) != 0 || path[len] != '.' || path[len + 1] == '\0')
    return NULL;
  return g_strdup (path + len + 1);
}

/* Does the path have a "[]" before its last segment? */
static gboolean
has_inner_list (const char *path)
{
  g_auto(GStrv) segments = split_path (path);
  guint n = g_strv_length (segments);

  for (guint i = 0; i + 1 < n; i++)
    if (g_str_has_suffix (segments[i], "[]"))
      return TRUE;
  return FALSE;
}

static Row *
parse_row (TdmMapping  *self,
           JsonNode    *node,
           RowContext  *ctx,
           GError     **error)
{
  static const char * const known_keys[] = {
    "webshop", "shopify", "shopify_write", "type", "direction", "writable", "transform",
    "empty_overwrites", "unordered", "name", "comment", NULL
  };
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gboolean wrong_type = FALSE;
  const char *webshop, *shopify, *shopify_write, *type, *direction, *writable, *transform, *name;
  JsonNode *empty_overwrites;
  JsonNode *unordered;
  GPtrArray *rows = self->rows[ctx->kind];
  Row *parent = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(Row) row = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_row_error (error, ctx,
                     _("A row must be a JSON object with “webshop”, “shopify” and “type”."));
      return NULL;
    }
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known_keys, l->data))
      {
        problem = g_strdup_printf (_("The key “%s” is unknown. Known keys are webshop, shopify, "
                                     "shopify_write, type, direction, writable, transform, "
                                     "empty_overwrites, unordered and name."),
                                   (const char *) l->data);
        set_row_error (error, ctx, problem);
        return NULL;
      }

  webshop = member_string (object, "webshop", &wrong_type);
  shopify = member_string (object, "shopify", &wrong_type);
  shopify_write = member_string (object, "shopify_write", &wrong_type);
  type = member_string (object, "type", &wrong_type);
  direction = member_string (object, "direction", &wrong_type);
  writable = member_string (object, "writable", &wrong_type);
  transform = member_string (object, "transform", &wrong_type);
  name = member_string (object, "name", &wrong_type);
  if (wrong_type)
    {
      set_row_error (error, ctx,
                     _("The values of webshop, shopify, shopify_write, type, direction, "
                       "writable, transform and name must be text."));
      return NULL;
    }
  if (webshop == NULL || shopify == NULL || type == NULL)
    {
      set_row_error (error, ctx,
                     _("The row needs a “webshop” property, a “shopify” property and a “type”."));
      return NULL;
    }
  empty_overwrites = member_node (object, "empty_overwrites");
  if (empty_overwrites != NULL &&
      (!JSON_NODE_HOLDS_VALUE (empty_overwrites) ||
       json_node_get_value_type (empty_overwrites) != G_TYPE_BOOLEAN))
    {
      set_row_error (error, ctx, _("“empty_overwrites” must be true or false."));
      return NULL;
    }
  unordered = member_node (object, "unordered");
  if (unordered != NULL &&
      (!JSON_NODE_HOLDS_VALUE (unordered) || json_node_get_value_type (unordered) != G_TYPE_BOOLEAN))
    {
      set_row_error (error, ctx, _("“unordered” must be true or false."));
      return NULL;
    }

  row = g_new0 (Row, 1);
  row->row.webshop = g_strdup (webshop);
  row->row.shopify = g_strdup (shopify);
  row->row.shopify_write = g_strdup (shopify_write != NULL ? shopify_write : shopify);
  row->row.type_name = g_strdup (type);
  row->row.parent = -1;
  row->row.empty_overwrites = empty_overwrites != NULL && json_node_get_boolean (empty_overwrites);
  row->row.unordered = unordered != NULL && json_node_get_boolean (unordered);
  row->name_given = name != NULL;

  /* type, direction, writable, transform */
  if (!tdm_value_type_from_name (type, &row->row.type))
    {
      problem = g_strdup_printf (_("The data type “%s” is unknown. Use one of String, Email, "
                                   "Phone, [String], Money, Decimal, Int, Boolean, DateTime, "
                                   "CountryCode, CurrencyCode, HTML, ID, Weight, an enum name such "
                                   "as ProductStatus, or a list such as [MailingAddress]."), type);
      return fail_row (error, ctx, problem);
    }
  if (row->row.unordered && row->row.type != TDM_VALUE_LIST)
    {
      problem = g_strdup_printf (_("Only lists can be “unordered”, and the type %s is not a list."),
                                 type);
      return fail_row (error, ctx, problem);
    }
  if (direction != NULL && !tdm_direction_from_string (direction, &row->row.direction))
    {
      problem = g_strdup_printf (_("The direction “%s” is unknown. Use both, to_shopify or "
                                   "to_webshop."), direction);
      return fail_row (error, ctx, problem);
    }
  if (writable != NULL && !parse_writable (writable, &row->row.writable))
    {
      problem = g_strdup_printf (_("The value “%s” for writable is unknown. Use always, create "
                                   "or never."), writable);
      return fail_row (error, ctx, problem);
    }
  if (transform != NULL)
    {
      if (!parse_transform (transform, &row->transform))
        {
          problem = g_strdup_printf (_("The transform “%s” is unknown. Known transforms are "
                                       "identity, status_upper, financial_status, "
                                       "fulfillment_status, marketing_state, weight_unit, "
                                       "options_map, customer_ref, product_ref and "
                                       "vat_exclusive."), transform);
          return fail_row (error, ctx, problem);
        }
      row->row.transform = g_strdup (transform);
    }

  /* path syntax */
  if ((problem = check_path_syntax (webshop)) != NULL ||
      (problem = check_path_syntax (shopify)) != NULL ||
      (problem = check_path_syntax (row->row.shopify_write)) != NULL)
    return fail_row (error, ctx, problem);
  if (g_str_has_prefix (webshop, METAFIELD_PREFIX))
    {
      problem = g_strdup_printf (_("The webshop property “%s” cannot be a Shopify metafield."),
                                 webshop);
      return fail_row (error, ctx, problem);
    }
  if (g_str_has_prefix (shopify, METAFIELD_PREFIX) && !row_is_identity (row))
    {
      problem = g_strdup_printf (_("The Shopify property “%s” is a metafield, which Tandem can "
                                   "write but not read: give the name under which it is read in "
                                   "“shopify” and the metafield in “shopify_write”."), shopify);
      return fail_row (error, ctx, problem);
    }

  /* list rows end in "[]", nothing else does */
  {
    gboolean is_list = row->row.type == TDM_VALUE_LIST;
    const char *paths[] = { webshop, shopify, row->row.shopify_write };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        if (is_list && !g_str_has_suffix (paths[i], "[]"))
          {
            problem = g_strdup_printf (_("“%s” is a list (type %s): write it with “[]” at the end, "
                                         "as in “addresses[]”."), paths[i], type);
            return fail_row (error, ctx, problem);
          }
        if (!is_list && g_str_has_suffix (paths[i], "[]"))
          {
            problem = g_strdup_printf (_("“%s” ends in “[]”, but the type %s is not a list."),
                                       paths[i], type);
            return fail_row (error, ctx, problem);
          }
      }
  }

  /* the parent list or object row, by the longest webshop prefix */
  for (guint i = 0; i < rows->len; i++)
    {
      Row *candidate = g_ptr_array_index (rows, i);
      g_autofree char *rel = NULL;

      if (!row_is_container (candidate) || candidate->row.parent >= 0)
        continue;
      rel = relative_path (webshop, candidate->row.webshop);
      if (rel != NULL &&
          (parent == NULL || strlen (candidate->row.webshop) > strlen (parent->row.webshop)))
        {
          parent = candidate;
          row->row.parent = (int) i;
        }
    }

  if (parent == NULL && has_inner_list (webshop))
    {
      g_autofree char *list = g_strndup (webshop, strstr (webshop, "[]") + 2 - webshop);
      problem = g_strdup_printf (_("“%s” belongs to the list “%s”, but no row for that list comes "
                                   "before it. Add a row for “%s” first."), webshop, list, list);
      return fail_row (error, ctx, problem);
    }
  if (parent != NULL && row->row.type == TDM_VALUE_LIST)
    {
      problem = g_strdup_printf (_("“%s” is a list inside “%s”; Tandem supports only one "
                                   "level of lists."), webshop, parent->row.webshop);
      return fail_row (error, ctx, problem);
    }

  if (parent != NULL)
    {
      row->rel_webshop = relative_path (webshop, parent->row.webshop);
      row->rel_shopify = relative_path (shopify, parent->row.shopify);
      row->rel_write = relative_path (row->row.shopify_write, parent->row.shopify_write);
      if (row->rel_shopify == NULL)
        {
          problem = g_strdup_printf (_("The Shopify property “%s” must start with “%s.”, like the "
                                       "row of its list or group."), shopify, parent->row.shopify);
          return fail_row (error, ctx, problem);
        }
      if (row->rel_write == NULL)
        {
          problem = g_strdup_printf (_("The Shopify write property “%s” must start with “%s.”, "
                                       "like the row of its list or group."),
                                     row->row.shopify_write, parent->row.shopify_write);
          return fail_row (error, ctx, problem);
        }
      if (direction == NULL)
        row->row.direction = parent->row.direction;
      if (writable == NULL)
        row->row.writable = parent->row.writable;
    }
  else
    {
      const char *paths[] = { shopify, row->row.shopify_write };

      for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
        if (has_inner_list (paths[i]))
          {
            problem = g_strdup_printf (_("The Shopify property “%s” is inside a list, but the "
                                         "webshop property “%s” is not: add the list row and "
                                         "write the webshop property inside it."),
                                       paths[i], webshop);
            return fail_row (error, ctx, problem);
          }
      row->rel_webshop = g_strdup (webshop);
      row->rel_shopify = g_strdup (shopify);
      row->rel_write = g_strdup (row->row.shopify_write);
    }

  /* the Shopify properties must be ones Tandem knows */
  if (!known_property (shopify_read_props[ctx->kind], shopify))
    {
      problem = g_strdup_printf (_("Shopify has no %s property “%s” that Tandem can read. "
                                   "Check the spelling against the default mapping."),
                                 tdm_kind_to_string (ctx->kind), shopify);
      return fail_row (error, ctx, problem);
    }
  if (row_allows (self, ctx->kind, row, TDM_SIDE_SHOPIFY) &&
      row->row.writable != TDM_WRITABLE_NEVER && !row_is_identity (row) &&
      !known_property (shopify_write_props[ctx->kind], row->row.shopify_write))
    {
      problem = g_strdup_printf (_("Shopify has no %s property “%s” that Tandem can write. "
                                   "Give the name used for writing in “shopify_write”."),
                                 tdm_kind_to_string (ctx->kind), row->row.shopify_write);
      return fail_row (error, ctx, problem);
    }

  /* canonical name */
  if (name != NULL)
    row->row.name = g_strdup (name);
  else if (parent != NULL)
    row->row.name = strip_list_marker (last_segment (webshop));
  else
    row->row.name = strip_list_marker (webshop);

  return g_steal_pointer (&row);
}

/* Duplicate targets: two rows writing the same place on one side, or two
 * canonical fields with one name. */
static gboolean
check_duplicates (TdmMapping  *self,
                  TdmKind      kind,
                  Row         *row,
                  RowContext  *ctx,
                  GError     **error)
{
  GPtrArray *rows = self->rows[kind];

  for (guint i = 0; i < rows->len; i++)
    {
      Row *other = g_ptr_array_index (rows, i);
      g_autofree char *problem = NULL;

      if (row_allows (self, kind, row, TDM_SIDE_WEBSHOP) &&
          row_allows (self, kind, other, TDM_SIDE_WEBSHOP) &&
          strcmp (row->row.webshop, other->row.webshop) == 0)
        problem = g_strdup_printf (_("Row %u already writes the webshop property “%s”. "
                                     "Remove one of the two rows."), i + 1, row->row.webshop);
      else if (row_allows (self, kind, row, TDM_SIDE_SHOPIFY) &&
               row_allows (self, kind, other, TDM_SIDE_SHOPIFY) &&
               row->row.writable != TDM_WRITABLE_NEVER &&
               other->row.writable != TDM_WRITABLE_NEVER &&
               strcmp (row->row.shopify_write, other->row.shopify_write) == 0)
        problem = g_strdup_printf (_("Row %u already writes the Shopify property “%s”. "
                                     "Remove one of the two rows."), i + 1, row->row.shopify_write);
      else if (!row_is_identity (row) && !row_is_identity (other) &&
               row->row.parent == other->row.parent && strcmp (row->row.name, other->row.name) == 0)
        problem = g_strdup_printf (_("Row %u has the same name “%s”. Give one of them another "
                                     "“name”."), i + 1, row->row.name);

      if (problem != NULL)
        {
          set_row_error (error, ctx, problem);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_from_object (TdmMapping  *self,
                  JsonObject  *root,
                  const char  *source,
                  GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (root);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      TdmKind kind;

      if (strcmp (key, "version") == 0 || strcmp (key, "comment") == 0 ||
          key[0] == '_' || key[0] == '$')
        continue;
      if (!tdm_kind_from_string (key, &kind) || strcmp (key, tdm_kind_to_string (kind)) != 0)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                       _("The mapping “%s” has a table “%s”, which Tandem does not know. "
                         "The tables are customer, product and order."), source, key);
          return FALSE;
        }
    }

  if (json_object_has_member (root, "version"))
    {
      JsonNode *version = json_object_get_member (root, "version");

      if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64 ||
          json_node_get_int (version) != 1)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                       _("The mapping “%s” has a format version this Tandem does not understand "
                         "(expected 1)."), source);
          return FALSE;
        }
    }

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      const char *key = tdm_kind_to_string (kind);
      JsonArray *array;

      if (!json_object_has_member (root, key))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, key)))
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                       _("In the mapping “%s”, the %s table must be a list of rows."), source, key);
          return FALSE;
        }

      array = json_object_get_array_member (root, key);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          RowContext ctx = { source, kind, i + 1 };
          Row *row = parse_row (self, json_array_get_element (array, i), &ctx, error);

          if (row == NULL)
            return FALSE;
          if (!check_duplicates (self, kind, row, &ctx, error))
            {
              row_free (row);
              return FALSE;
            }
          g_ptr_array_add (self->rows[kind], row);
          if (row->row.parent >= 0)
            {
              Row *parent = g_ptr_array_index (self->rows[kind], row->row.parent);

              if (parent->children == NULL)
                parent->children = g_ptr_array_new ();
              g_ptr_array_add (parent->children, row);
            }
        }
    }
  return TRUE;
}

/* GObject ------------------------------------------------------------------- */

static void
tdm_mapping_finalize (GObject *object)
{
  TdmMapping *self = TDM_MAPPING (object);

  for (guint k = 0; k < TDM_N_KINDS; k++)
    g_clear_pointer (&self->rows[k], g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_mapping_parent_class)->finalize (object);
}

static void
tdm_mapping_class_init (TdmMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tdm_mapping_finalize;
}

static void
tdm_mapping_init (TdmMapping *self)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    self->rows[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
}

/* Public: loading and saving --------------------------------------------------- */

TdmMapping *
tdm_mapping_new_from_data (const char  *data,
                           gssize       length,
                           const char  *source_name,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TdmMapping) self = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *source = source_name != NULL ? source_name : _("(unnamed)");
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tdm_json_is_single_value (data, length))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                   _("The mapping “%s” is not valid JSON: it holds more than one value."), source);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      /* json-glib may cut a quoted "ø" in half: keep the message valid UTF-8. */
      g_autofree char *detail = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                   _("The mapping “%s” is not valid JSON: %s"), source, detail);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                   _("The mapping “%s” must be a JSON object with the tables customer, product "
                     "and order."), source);
      return NULL;
    }

  self = g_object_new (TDM_TYPE_MAPPING, NULL);
  if (!load_from_object (self, json_node_get_object (root), source, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
set_file_too_large (GError     **error,
                    const char  *path,
                    guint64      size)
{
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *max_text = g_format_size (TDM_MAPPING_FILE_MAX_BYTES);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
               _("The mapping file %s is too large (%s; a mapping is at most %s). Tandem has not "
                 "read it. Replace it with a mapping saved from Preferences, or restore the "
                 "default mapping there."),
               path, size_text, max_text);
}

/* Reads at most TDM_MAPPING_FILE_MAX_BYTES: the size of the opened file is
 * checked first, and the read stops past the limit for a file that grows
 * meanwhile or reports no size (a pipe, /dev/zero). NUL-terminated. */
static char *
read_mapping_file (const char  *path,
                   gsize       *length,
                   GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GByteArray) contents = NULL;
  g_autofree char *basename = g_path_get_basename (path);

  stream = g_file_read (file, NULL, &read_error);
  if (stream != NULL)
    info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL,
                                           &read_error);
  if (info == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                   _("The mapping “%s” could not be read: %s"), basename, read_error->message);
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > TDM_MAPPING_FILE_MAX_BYTES)
    {
      set_file_too_large (error, path, g_file_info_get_size (info));
      return NULL;
    }

  contents = g_byte_array_sized_new (MIN ((guint64) g_file_info_get_size (info) + 1,
                                            TDM_MAPPING_FILE_MAX_BYTES + 1));
  for (;;)
    {
      guint8 chunk[16384];
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, sizeof chunk, NULL,
                                      &read_error);

      if (n < 0)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                       _("The mapping “%s” could not be read: %s"), basename,
                       read_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (contents, chunk, n);
      if (contents->len > TDM_MAPPING_FILE_MAX_BYTES)
        {
          set_file_too_large (error, path, contents->len);
          return NULL;
        }
    }
  *length = contents->len;
  g_byte_array_append (contents, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&contents), FALSE);
}

TdmMapping *
tdm_mapping_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  contents = read_mapping_file (path, &length, error);
  if (contents == NULL)
    return NULL;
  return tdm_mapping_new_from_data (contents, length, basename, error);
}

TdmMapping *
tdm_mapping_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TdmMapping *self;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (tdm_core_get_resource (), DEFAULT_MAPPING_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_critical ("The default mapping is missing from the resources: %s", error->message);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  self = tdm_mapping_new_from_data (data, size, "default.json", &error);
  if (self == NULL)
    g_critical ("The default mapping is invalid: %s", error->message);
  return self;
}

static void
add_row_to_builder (JsonBuilder *builder,
                    const Row   *row,
                    const Row   *parent)
{
  json_builder_begin_object (builder);
  if (row->name_given)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, row->row.name);
    }
  json_builder_set_member_name (builder, "webshop");
  json_builder_add_string_value (builder, row->row.webshop);
  json_builder_set_member_name (builder, "shopify");
  json_builder_add_string_value (builder, row->row.shopify);
  if (strcmp (row->row.shopify, row->row.shopify_write) != 0)
    {
      json_builder_set_member_name (builder, "shopify_write");
      json_builder_add_string_value (builder, row->row.shopify_write);
    }
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, row->row.type_name);
  if (parent == NULL || parent->row.direction != row->row.direction)
    {
      json_builder_set_member_name (builder, "direction");
      json_builder_add_string_value (builder, direction_to_file_string (row->row.direction));
    }
  if ((parent == NULL && row->row.writable != TDM_WRITABLE_ALWAYS) ||
      (parent != NULL && parent->row.writable != row->row.writable))
    {
      json_builder_set_member_name (builder, "writable");
      json_builder_add_string_value (builder, writable_to_string (row->row.writable));
    }
  if (row->row.transform != NULL)
    {
      json_builder_set_member_name (builder, "transform");
      json_builder_add_string_value (builder, row->row.transform);
    }
  if (row->row.empty_overwrites)
    {
      json_builder_set_member_name (builder, "empty_overwrites");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (row->row.unordered)
    {
      json_builder_set_member_name (builder, "unordered");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
}

char *
tdm_mapping_to_data (TdmMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      json_builder_set_member_name (builder, tdm_kind_to_string (kind));
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->rows[kind]->len; i++)
        {
          const Row *row = g_ptr_array_index (self->rows[kind], i);
          add_row_to_builder (builder, row, row_parent (self, kind, row));
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

GPtrArray *
tdm_mapping_get_rows (TdmMapping *self,
                      TdmKind     kind)
{
  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  return self->rows[kind];
}

static const Row *
find_row (TdmMapping *self,
          TdmKind     kind,
          const char *name)
{
  GPtrArray *rows = self->rows[kind];

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);

      if (row->row.parent < 0 && !row_is_identity (row) && strcmp (row->row.name, name) == 0)
        return row;
    }
  return NULL;
}

const TdmMappingRow *
tdm_mapping_find_row (TdmMapping *self,
                      TdmKind     kind,
                      const char *name)
{
  const Row *row;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  row = find_row (self, kind, name);
  return row != NULL ? &row->row : NULL;
}

gboolean
tdm_mapping_field_writable (TdmMapping *self,
                            TdmKind     kind,
                            const char *name,
                            TdmSide     side,
                            gboolean    for_create)
{
  const Row *row;

  g_return_val_if_fail (TDM_IS_MAPPING (self), FALSE);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  row = find_row (self, kind, name);
  return row != NULL && row_writes (self, kind, row, side, for_create);
}

/* The twin's id carried by a native record: the webshop's "shopify_id", or
 * the Shopify app metafield (read as webshopId.value). */
char *
tdm_mapping_get_twin_id (TdmMapping *self,
                         TdmKind     kind,
                         TdmSide     side,
                         JsonObject *native)
{
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  if (native == NULL)
    return NULL;

  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);
      const char *path;
      JsonNode *node;
      g_autofree char *text = NULL;

      if (!row_is_identity (row) || row->row.parent >= 0)
        continue;
      /* the row that carries the other side's id onto this side */
      if (row->row.direction != (side == TDM_SIDE_WEBSHOP ? TDM_DIRECTION_TO_WEBSHOP
                                                          : TDM_DIRECTION_TO_SHOPIFY))
        continue;
      path = side == TDM_SIDE_WEBSHOP ? row->row.webshop : row->row.shopify;
      if (g_str_has_prefix (path, METAFIELD_PREFIX))
        continue;
      node = get_path (native, path);
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        text = g_strstrip (g_strdup (json_node_get_string (node)));
      if (text != NULL && *text != '\0')
        return g_steal_pointer (&text);
    }
  return NULL;
}

/* Conversions: helpers ---------------------------------------------------------- */

static JsonNode *
new_string_node (const char *str)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, str);
  return node;
}

static JsonNode *
new_bool_node (gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return node;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
native_id (JsonObject *native)
{
  JsonNode *node;

  if (native == NULL || !json_object_has_member (native, "id"))
    return NULL;
  node = json_object_get_member (native, "id");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (node_string (node));
}

static TdmKind
ref_kind (Transform transform)
{
  return transform == TRANSFORM_PRODUCT_REF ? TDM_KIND_PRODUCT : TDM_KIND_CUSTOMER;
}

static char *
resolve (const TdmMapContext *context,
         TdmKind              kind,
         TdmSide              from_side,
         const char          *id)
{
  if (context == NULL || context->resolver == NULL || context->resolver->func == NULL)
    return NULL;
  return context->resolver->func (kind, from_side, id, context->resolver->user_data);
}

/* Conversions: native → canonical ------------------------------------------------ */

typedef struct {
  TdmMapping          *self;
  TdmKind              kind;
  TdmSide              side;
  const TdmMapContext *context;
  GPtrArray           *problems;
  char                *record_id;
} MapState;

static void
report_problem (MapState   *state,
                const Row  *top,
                const Row  *sub,
                guint       item,
                const char *message)
{
  g_autofree char *text = NULL;

  if (state->problems == NULL)
    return;

  /* The engine holds the whole record back until the value is corrected,
   * so a twin is never created without it. */
  if (sub != NULL && top->row.type == TDM_VALUE_LIST)
    /* Translators: "Not synced: “city” in item 2 of “addresses” cannot be used. <reason> …" */
    text = g_strdup_printf (_("Not synced: “%s” in item %u of “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            sub->row.name, item + 1, top->row.name, message);
  else if (sub != NULL)
    text = g_strdup_printf (_("Not synced: “%s” in “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            sub->row.name, top->row.name, message);
  else
    text = g_strdup_printf (_("Not synced: “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            top->row.name, message);

  g_ptr_array_add (state->problems,
                   tdm_record_error_new (state->side, state->kind, state->record_id,
                                         top->row.name, text));
}

/* Shopify spellings and shapes → the canonical spelling, before normalization.
 * Returns a new node or NULL (empty). */
static JsonNode *
read_transform (MapState   *state,
                const Row  *row,
                JsonObject *container,
                JsonNode   *raw)
{
  const char *str;

  if (state->side == TDM_SIDE_WEBSHOP)
    {
      /* the webshop writes a weight as two members: weight and weight_unit */
      if (row->row.type == TDM_VALUE_WEIGHT && raw != NULL && JSON_NODE_HOLDS_VALUE (raw))
        {
          g_autofree char *unit_member = g_strconcat (last_segment (row->rel_webshop), "_unit",
                                                      NULL);
          JsonObject *weight = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_object_set_member (weight, "value", json_node_copy (raw));
          if (member_node (container, unit_member) != NULL)
            json_object_set_member (weight, "unit",
                                    json_node_copy (member_node (container, unit_member)));
          json_node_take_object (node, weight);
          return node;
        }
      if (row->transform == TRANSFORM_VAT_EXCLUSIVE &&
          (raw == NULL || JSON_NODE_HOLDS_NULL (raw) || g_strcmp0 (node_string (raw), "") == 0) &&
          state->context != NULL && state->context->vat_rate != NULL &&
          json_object_has_member (container, "price"))
        {
          g_autoptr(JsonNode) price = tdm_normalize_value (TDM_VALUE_MONEY,
                                                           member_node (container, "price"),
                                                           NULL, NULL);
          g_autofree char *derived = NULL;

          if (price != NULL)
            derived = tdm_decimal_divide_vat (json_node_get_string (price),
                                              state->context->vat_rate, 2);
          return derived != NULL ? new_string_node (derived) : NULL;
        }
      return raw != NULL ? json_node_copy (raw) : NULL;
    }

  if (raw == NULL || JSON_NODE_HOLDS_NULL (raw))
    return NULL;

  switch (row->transform)
    {
    case TRANSFORM_FULFILLMENT_STATUS:
      str = node_string (raw);
      if (str == NULL)
        return json_node_copy (raw);
      if (g_ascii_strcasecmp (str, "FULFILLED") == 0)
        return new_string_node ("fulfilled");
      if (g_ascii_strcasecmp (str, "PARTIALLY_FULFILLED") == 0 ||
          g_ascii_strcasecmp (str, "PARTIAL") == 0)
        return new_string_node ("partial");
      return new_string_node ("unfulfilled");

    case TRANSFORM_MARKETING_STATE:
      str = node_string (raw);
      if (str == NULL)
        return json_node_copy (raw);
      return new_bool_node (g_ascii_strcasecmp (str, "SUBSCRIBED") == 0);

    case TRANSFORM_OPTIONS_MAP:
      if (JSON_NODE_HOLDS_ARRAY (raw))
        {
          JsonArray *array = json_node_get_array (raw);
          JsonObject *options = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *option;
              const char *name, *value;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                continue;
              option = json_node_get_object (element);
              name = node_string (json_object_get_member (option, "name"));
              value = node_string (json_object_get_member (option, "value"));
              if (name == NULL || value == NULL)
                continue;
              /* Shopify's stand-in option of a product without options */
              if (strcmp (name, "Title") == 0 && strcmp (value, "Default Title") == 0)
                continue;
              json_object_set_string_member (options, name, value);
            }
          json_node_take_object (node, options);
          return node;
        }
      return json_node_copy (raw);

    case TRANSFORM_CUSTOMER_REF:
    case TRANSFORM_PRODUCT_REF:
      {
        g_autoptr(JsonNode) id = tdm_normalize_value (TDM_VALUE_ID, raw, NULL, NULL);
        g_autofree char *resolved = NULL;

        if (id == NULL)
          return json_node_copy (raw);
        resolved = resolve (state->context, ref_kind (row->transform), TDM_SIDE_SHOPIFY,
                            json_node_get_string (id));
        return resolved != NULL ? new_string_node (resolved) : g_steal_pointer (&id);
      }

    case TRANSFORM_NONE:
    case TRANSFORM_IDENTITY:
    case TRANSFORM_STATUS_UPPER:
    case TRANSFORM_FINANCIAL_STATUS:
    case TRANSFORM_WEIGHT_UNIT:
    case TRANSFORM_VAT_EXCLUSIVE:
    default:
      return json_node_copy (raw);
    }
}

static const char *
row_read_path (const Row *row,
               TdmSide    side)
{
  return side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_shopify;
}

/* One scalar (or weight, options …) value of `container` → normalized node or NULL. */
static JsonNode *
map_value (MapState   *state,
           const Row  *row,
           JsonObject *container,
           GError    **error)
{
  JsonNode *raw = get_path (container, row_read_path (row, state->side));
  g_autoptr(JsonNode) transformed = read_transform (state, row, container, raw);
  const TdmNormalizeOptions *options = state->context != NULL ? state->context->normalize : NULL;

  if (transformed == NULL)
    return NULL;
  return tdm_normalize_value (row->row.type, transformed, options, error);
}

/* The members of one list item or group: its sub-rows. */
static JsonObject *
map_members (MapState   *state,
             const Row  *top,
             JsonObject *item,
             guint       index)
{
  JsonObject *result = json_object_new ();

  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const Row *sub = g_ptr_array_index (top->children, i);
      g_autoptr(GError) error = NULL;
      JsonNode *value;

      if (row_is_identity (sub))
        continue;
      value = map_value (state, sub, item, &error);
      if (error != NULL)
        report_problem (state, top, sub, index, error->message);
      else if (value != NULL)
        json_object_set_member (result, sub->row.name, value);
    }
  return result;
}

typedef struct {
  char     *key;
  JsonNode *item;
} SortItem;

static int
compare_sort_items (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return strcmp (((const SortItem *) a)->key, ((const SortItem *) b)->key);
}

/* The items of an unordered list in canonical order (takes `array`). */
static JsonArray *
sort_items (JsonArray *array)
{
  guint n = json_array_get_length (array);
  g_autofree SortItem *items = g_new0 (SortItem, n);
  JsonArray *sorted = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      items[i].item = json_array_get_element (array, i);
      items[i].key = tdm_json_canonical_string (items[i].item);
    }
  g_qsort_with_data (items, n, sizeof (SortItem), compare_sort_items, NULL);
  for (guint i = 0; i < n; i++)
    {
      json_array_add_element (sorted, json_node_copy (items[i].item));
      g_free (items[i].key);
    }
  json_array_unref (array);
  return sorted;
}

static void
map_row (MapState   *state,
         const Row  *row,
         JsonObject *native,
         JsonObject *fields)
{
  const char *path = row_read_path (row, state->side);

  if (row_is_container (row) && row->children != NULL && row->children->len > 0)
    {
      JsonNode *raw = get_path (native, path);

      if (raw == NULL || JSON_NODE_HOLDS_NULL (raw))
        return;

      if (row->row.type == TDM_VALUE_LIST)
        {
          JsonArray *array;
          JsonArray *result;

          if (!JSON_NODE_HOLDS_ARRAY (raw))
            {
              report_problem (state, row, NULL, 0, _("A list was expected."));
              return;
            }
          array = json_node_get_array (raw);
          result = json_array_new ();
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *item;

              if (JSON_NODE_HOLDS_NULL (element))
                continue;
              if (!JSON_NODE_HOLDS_OBJECT (element))
                {
                  g_autofree char *msg = NULL;

                  msg = g_strdup_printf (_("Item %u of the list is not a group of values."), i + 1);
                  report_problem (state, row, NULL, i, msg);
                  continue;
                }
              item = map_members (state, row, json_node_get_object (element), i);
              if (json_object_get_size (item) > 0)
                json_array_add_object_element (result, item);
              else
                json_object_unref (item);
            }
          if (row->row.unordered)
            result = sort_items (result);
          if (json_array_get_length (result) > 0)
            json_object_set_array_member (fields, row->row.name, result);
          else
            json_array_unref (result);
        }
      else
        {
          JsonObject *group;

          if (!JSON_NODE_HOLDS_OBJECT (raw))
            {
              report_problem (state, row, NULL, 0, _("A group of values was expected."));
              return;
            }
          group = map_members (state, row, json_node_get_object (raw), 0);
          if (json_object_get_size (group) > 0)
            json_object_set_object_member (fields, row->row.name, group);
          else
            json_object_unref (group);
        }
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    JsonNode *value = map_value (state, row, native, &error);

    if (error != NULL)
      report_problem (state, row, NULL, 0, error->message);
    else if (value != NULL)
      json_object_set_member (fields, row->row.name, value);
  }
}

static const char * const single_variant_members[] = {
  "sku", "price", "compare_at_price", "inventory_quantity", "barcode", "weight", "weight_unit",
  "price_excl_vat", NULL
};

/* A webshop product without variants is one variant made of its top-level fields. */
static JsonObject *
webshop_product_with_variants (JsonObject *native)
{
  JsonNode *variants = json_object_has_member (native, "variants")
                         ? json_object_get_member (native, "variants") : NULL;
  JsonObject *copy;
  JsonObject *variant;
  JsonArray *array;

  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants) &&
      json_array_get_length (json_node_get_array (variants)) > 0)
    {
      /* variants without their own weight have the product's */
      if (!json_object_has_member (native, "weight"))
        return json_object_ref (native);

      copy = tdm_json_object_copy (native);
      array = json_object_get_array_member (copy, "variants");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          variant = json_node_get_object (element);
          if (json_object_has_member (variant, "weight"))
            continue;
          json_object_set_member (variant, "weight", json_node_copy (member_node (copy, "weight")));
          if (json_object_has_member (copy, "weight_unit"))
            json_object_set_member (variant, "weight_unit",
                                    json_node_copy (json_object_get_member (copy, "weight_unit")));
        }
      return copy;
    }

  copy = tdm_json_object_copy (native);
  variant = json_object_new ();
  for (guint i = 0; single_variant_members[i] != NULL; i++)
    {
      const char *name = single_variant_members[i];

      if (json_object_has_member (copy, name))
        json_object_set_member (variant, name, json_node_copy (member_node (copy, name)));
    }
  array = json_array_new ();
  if (json_object_get_size (variant) > 0)
    json_array_add_object_element (array, variant);
  else
    json_object_unref (variant);
  json_object_set_array_member (copy, "variants", array);
  return copy;
}

JsonObject *
tdm_mapping_map_fields (TdmMapping          *self,
                        TdmKind              kind,
                        TdmSide              side,
                        JsonObject          *native,
                        const TdmMapContext *context,
                        GPtrArray           *problems)
{
  g_autoptr(JsonObject) source = NULL;
  JsonObject *fields;
  MapState state;
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (native != NULL, NULL);

  if (kind == TDM_KIND_PRODUCT && side == TDM_SIDE_WEBSHOP)
    source = webshop_product_with_variants (native);
  else
    source = json_object_ref (native);

  state.self = self;
  state.kind = kind;
  state.side = side;
  state.context = context;
  state.problems = problems;
  state.record_id = native_id (native);

  fields = json_object_new ();
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);

      if (row->row.parent >= 0 || row_is_identity (row))
        continue;
      map_row (&state, row, source, fields);
    }

  g_free (state.record_id);
  return fields;
}

/* Conversions: canonical → write shape ------------------------------------------- */

typedef struct {
  TdmMapping          *self;
  TdmKind              kind;
  TdmSide              side;
  gboolean             for_create;
  const TdmMapContext *context;
} UnmapState;

static const struct {
  const char *canonical;
  const char *shopify;
} shopify_weight_units[] = {
  { "kg", "KILOGRAMS" }, { "g", "GRAMS" }, { "lb", "POUNDS" }, { "oz", "OUNCES" },
};

static JsonNode *
decimal_number_node (const char *decimal)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  /* a JSON number for GraphQL Float inputs; the canonical string is exact */
  json_node_set_double (node, g_ascii_strtod (decimal, NULL));
  return node;
}

static void
set_unresolved_error (GError     **error,
                      UnmapState  *state,
                      const Row   *row,
                      const char  *value)
{
  TdmKind kind = ref_kind (row->transform);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
               /* Translators: "The customer with id 17 … (field customer_id)" */
               _("The %s with id %s is not linked to a record in %s yet, so this %s cannot be "
                 "written there (field %s). Tandem syncs the %s first and tries again on the "
                 "next run."),
               tdm_kind_to_string (kind), value, tdm_side_display_name (state->side),
               tdm_kind_to_string (state->kind), row->row.name, tdm_kind_to_string (kind));
}

/* Canonical value → the side's spelling. Returns a new node (JSON null for
 * "clear"), or NULL + error. */
static JsonNode *
write_transform (UnmapState  *state,
                 const Row   *row,
                 JsonNode    *value,
                 GError     **error)
{
  const char *str = node_string (value);

  if (value == NULL)
    {
      if (row->row.type == TDM_VALUE_LIST || row->row.type == TDM_VALUE_TAGS)
        {
          JsonNode *node = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (node, json_array_new ());
          return node;
        }
      return json_node_new (JSON_NODE_NULL);
    }

  if (row->transform == TRANSFORM_CUSTOMER_REF || row->transform == TRANSFORM_PRODUCT_REF)
    {
      gboolean is_gid = str != NULL && g_str_has_prefix (str, "gid://");
      g_autofree char *resolved = NULL;

      if (str == NULL)
        return json_node_copy (value);
      if (state->side == TDM_SIDE_SHOPIFY && is_gid)
        return json_node_copy (value);
      if (state->side == TDM_SIDE_WEBSHOP && !is_gid)
        return json_node_copy (value);

      /* canonical holds the webshop id; an unresolved Shopify reference holds the GID */
      resolved = resolve (state->context, ref_kind (row->transform),
                          is_gid ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP, str);
      if (resolved == NULL)
        {
          set_unresolved_error (error, state, row, str);
          return NULL;
        }
      return new_string_node (resolved);
    }

  if (state->side == TDM_SIDE_WEBSHOP)
    return json_node_copy (value);

  switch (row->transform)
    {
    case TRANSFORM_STATUS_UPPER:
    case TRANSFORM_FINANCIAL_STATUS:
      if (str != NULL)
        {
          g_autofree char *upper = g_ascii_strup (str, -1);
          return new_string_node (upper);
        }
      break;

    case TRANSFORM_FULFILLMENT_STATUS:
      if (g_strcmp0 (str, "fulfilled") == 0)
        return new_string_node ("FULFILLED");
      if (g_strcmp0 (str, "partial") == 0)
        return new_string_node ("PARTIAL");
      return json_node_new (JSON_NODE_NULL);

    case TRANSFORM_MARKETING_STATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return new_string_node (json_node_get_boolean (value) ? "SUBSCRIBED" : "UNSUBSCRIBED");
      break;

    case TRANSFORM_OPTIONS_MAP:
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *object = json_node_get_object (value);
          g_autoptr(GList) members = json_object_get_members (object);
          JsonArray *array = json_array_new ();
          JsonNode *node = json_node_new (JSON_NODE_ARRAY);

          /* in the order the options came in (Shopify's option positions, or
           * the webshop's member order): comparisons ignore it, the shop
           * owner does not */
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonObject *option = json_object_new ();
              const char *name = l->data;

              json_object_set_string_member (option, "name", name);
              json_object_set_member (option, "value", json_node_copy (member_node (object, name)));
              json_array_add_object_element (array, option);
            }
          json_node_take_array (node, array);
          return node;
        }
      break;

    case TRANSFORM_NONE:
    case TRANSFORM_IDENTITY:
    case TRANSFORM_WEIGHT_UNIT:
    case TRANSFORM_CUSTOMER_REF:
    case TRANSFORM_PRODUCT_REF:
    case TRANSFORM_VAT_EXCLUSIVE:
    default:
      break;
    }

  if (row->row.type == TDM_VALUE_WEIGHT && JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *weight = json_node_get_object (value);
      const char *unit = node_string (json_object_get_member (weight, "unit"));
      const char *amount = node_string (json_object_get_member (weight, "value"));
      JsonObject *out = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      if (amount != NULL)
        json_object_set_member (out, "value", decimal_number_node (amount));
      for (guint i = 0; unit != NULL && i < G_N_ELEMENTS (shopify_weight_units); i++)
        if (strcmp (unit, shopify_weight_units[i].canonical) == 0)
          json_object_set_string_member (out, "unit", shopify_weight_units[i].shopify);
      json_node_take_object (node, out);
      return node;
    }

  return json_node_copy (value);
}

/* Writes one row's value into `target` at its relative write path. */
static gboolean
unmap_value (UnmapState  *state,
             const Row   *row,
             JsonNode    *value,
             JsonObject  *target,
             GError     **error)
{
  const char *path = state->side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_write;
  JsonNode *out;

  /* the webshop keeps a weight as two members: weight and weight_unit */
  if (state->side == TDM_SIDE_WEBSHOP && row->row.type == TDM_VALUE_WEIGHT)
    {
      g_autofree char *unit_path = g_strconcat (path, "_unit", NULL);
      JsonObject *weight = value != NULL && JSON_NODE_HOLDS_OBJECT (value)
                             ? json_node_get_object (value) : NULL;
      JsonNode *amount = weight != NULL ? member_node (weight, "value") : NULL;
      JsonNode *unit = weight != NULL ? member_node (weight, "unit") : NULL;

      set_path (target, path,
                amount != NULL ? json_node_copy (amount) : json_node_new (JSON_NODE_NULL));
      set_path (target, unit_path,
                unit != NULL ? json_node_copy (unit) : json_node_new (JSON_NODE_NULL));
      return TRUE;
    }

  out = write_transform (state, row, value, error);
  if (out == NULL)
    return FALSE;
  set_path (target, path, out);
  return TRUE;
}

static JsonObject *
unmap_members (UnmapState  *state,
               const Row   *top,
               JsonObject  *item,
               GError     **error)
{
  g_autoptr(JsonObject) result = json_object_new ();

  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const Row *sub = g_ptr_array_index (top->children, i);
      JsonNode *value;

      if (!row_writes (state->self, state->kind, sub, state->side, state->for_create))
        continue;
      value = member_node (item, sub->row.name);
      if (value == NULL)
        continue;
      if (!unmap_value (state, sub, value, result, error))
        return NULL;
    }
  return g_steal_pointer (&result);
}

static gboolean
unmap_row (UnmapState  *state,
           const Row   *row,
           JsonNode    *value,
           JsonObject  *out,
           GError     **error)
{
  const char *path = state->side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_write;

  if (value != NULL && row_is_container (row) && row->children != NULL && row->children->len > 0)
    {
      if (row->row.type == TDM_VALUE_LIST && JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);
          g_autoptr(JsonArray) result = json_array_new ();
          JsonNode *node;

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *item;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                continue;
              item = unmap_members (state, row, json_node_get_object (element), error);
              if (item == NULL)
                return FALSE;
              json_array_add_object_element (result, item);
            }
          node = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (node, g_steal_pointer (&result));
          set_path (out, path, node);
          return TRUE;
        }
      if (row->row.type == TDM_VALUE_OBJECT && JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *group = unmap_members (state, row, json_node_get_object (value), error);
          JsonNode *node;

          if (group == NULL)
            return FALSE;
          node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (node, group);
          set_path (out, path, node);
          return TRUE;
        }
    }
  return unmap_value (state, row, value, out, error);
}

/* A webshop product with exactly one variant without options is written
 * with top-level fields, as the webshop itself would. */
static void
flatten_single_variant (JsonObject *product)
{
  JsonArray *variants;
  JsonObject *variant;
  g_autoptr(GList) members = NULL;

  if (!json_object_has_member (product, "variants") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (product, "variants")))
    return;
  variants = json_object_get_array_member (product, "variants");
  if (json_array_get_length (variants) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (variants, 0)))
    return;
  variant = json_array_get_object_element (variants, 0);
  if (json_object_has_member (variant, "options") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (variant, "options")) &&
      !(JSON_NODE_HOLDS_OBJECT (json_object_get_member (variant, "options")) &&
        json_object_get_size (json_object_get_object_member (variant, "options")) == 0))
    return;

  json_object_ref (variant);
  json_object_remove_member (product, "variants");
  members = json_object_get_members (variant);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "options") == 0)
        continue;
      json_object_set_member (product, l->data, json_node_copy (member_node (variant, l->data)));
    }
  json_object_unref (variant);
}

JsonObject *
tdm_mapping_unmap_fields (TdmMapping          *self,
                          TdmKind              kind,
                          TdmSide              side,
                          JsonObject          *fields,
                          gboolean             for_create,
                          const char * const  *only,
                          const TdmMapContext *context,
                          GError             **error)
{
  g_autoptr(JsonObject) out = NULL;
  UnmapState state = { self, kind, side, for_create, context };
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = json_object_new ();
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);
      JsonNode *value;

      if (row->row.parent >= 0 || !row_writes (self, kind, row, side, for_create))
        continue;
      if (only != NULL && !g_strv_contains (only, row->row.name))
        continue;

      value = member_node (fields, row->row.name);
      if (value != NULL && JSON_NODE_HOLDS_NULL (value))
        value = NULL;
      /* an absent field is written as "clear" only when asked for by name */
      if (value == NULL && only == NULL)
        continue;
      if (!unmap_row (&state, row, value, out, error))
        return NULL;
    }

  if (kind == TDM_KIND_PRODUCT && side == TDM_SIDE_WEBSHOP)
    flatten_single_variant (out);

  return g_steal_pointer (&out);
}

static void
filter_members (TdmMapping *self,
                TdmKind     kind,
                const Row  *top,
                JsonObject *item,
                TdmSide     to_side)
{
  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const Row *sub = g_ptr_array_index (top->children, i);

      if (!row_allows (self, kind, sub, to_side) && json_object_has_member (item, sub->row.name))
        json_object_remove_member (item, sub->row.name);
    }
}

JsonObject *
tdm_mapping_filter_fields (TdmMapping *self,
                           TdmKind     kind,
                           JsonObject *fields,
                           TdmSide     to_side)
{
  JsonObject *result;
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  if (fields == NULL)
    return NULL;

  result = json_object_new ();
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = g_ptr_array_index (rows, i);
      JsonNode *copy;

      if (row->row.parent >= 0 || row_is_identity (row) || !row_allows (self, kind, row, to_side) ||
          !json_object_has_member (fields, row->row.name))
        continue;

      copy = tdm_json_node_copy_deep (json_object_get_member (fields, row->row.name));
      if (row_is_container (row) && row->children != NULL)
        {
          if (JSON_NODE_HOLDS_ARRAY (copy))
            {
              JsonArray *array = json_node_get_array (copy);

              for (guint j = 0; j < json_array_get_length (array); j++)
                if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, j)))
                  filter_members (self, kind, row, json_array_get_object_element (array, j),
                                  to_side);
            }
          else if (JSON_NODE_HOLDS_OBJECT (copy))
            filter_members (self, kind, row, json_node_get_object (copy), to_side);
        }
      json_object_set_member (result, row->row.name, copy);
    }
  return result;
}
