/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-core-resources.h"
#include "tdm-error.h"

/* Loading a mapping: reading the file, parsing and validating each row, so
 * that a mistake is refused with a message naming the file, the table, the
 * row and what to do (docs/mapping.md, Validation). */

#define DEFAULT_MAPPING_RESOURCE "/io/github/tandemsync/Tandem/core/mappings/default.json"

/* ---- Row errors ---- */

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

static TdmRow *
fail_row (GError          **error,
          const RowContext *ctx,
          const char       *problem)
{
  set_row_error (error, ctx, problem);
  return NULL;
}

/* A member that must be text when present; sets `wrong_type` when not. */
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

/* ---- Row settings ---- */

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

static const struct {
  const char   *name;
  TdmTransform  transform;
} transform_names[] = {
  { "identity", TDM_TRANSFORM_IDENTITY },
  { "status_upper", TDM_TRANSFORM_STATUS_UPPER },
  { "financial_status", TDM_TRANSFORM_FINANCIAL_STATUS },
  { "fulfillment_status", TDM_TRANSFORM_FULFILLMENT_STATUS },
  { "marketing_state", TDM_TRANSFORM_MARKETING_STATE },
  { "weight_unit", TDM_TRANSFORM_WEIGHT_UNIT },
  { "options_map", TDM_TRANSFORM_OPTIONS_MAP },
  { "customer_ref", TDM_TRANSFORM_CUSTOMER_REF },
  { "product_ref", TDM_TRANSFORM_PRODUCT_REF },
  { "vat_exclusive", TDM_TRANSFORM_VAT_EXCLUSIVE },
  { "order_number", TDM_TRANSFORM_ORDER_NUMBER },
  { "lines_subtotal", TDM_TRANSFORM_LINES_SUBTOTAL },
};

static gboolean
parse_transform (const char   *str,
                 TdmTransform *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (transform_names); i++)
    if (strcmp (transform_names[i].name, str) == 0)
      {
        *out = transform_names[i].transform;
        return TRUE;
      }
  return FALSE;
}

/* ---- Rows ---- */

/* The members of one row as written in the file, before they are checked. */
typedef struct {
  const char *webshop;
  const char *shopify;
  const char *shopify_write;   /* NULL: as shopify */
  const char *type;
  const char *direction;
  const char *writable;
  const char *transform;
  const char *name;
  const char *label;
  gboolean    empty_overwrites;
  gboolean    unordered;
} RowSpec;

/* A member that must be true or false when present. */
static gboolean
read_row_flag (JsonObject *object,
               const char *member,
               gboolean   *out)
{
  JsonNode *node = _tdm_mapping_member_node (object, member);

  g_assert (out != NULL);

  if (node != NULL &&
      (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    return FALSE;
  *out = node != NULL && json_node_get_boolean (node);
  return TRUE;
}

/* Reads the members of a row into `spec`: known keys only, text where text
 * is expected, the three required ones present. */
static gboolean
read_row_spec (JsonNode          *node,
               const RowContext  *ctx,
               RowSpec           *spec,
               GError           **error)
{
  static const char * const known_keys[] = {
    "webshop", "shopify", "shopify_write", "type", "direction", "writable", "transform",
    "empty_overwrites", "unordered", "name", "label", "comment", NULL
  };
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gboolean wrong_type = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_row_error (error, ctx,
                     _("A row must be a JSON object with “webshop”, “shopify” and “type”."));
      return FALSE;
    }
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known_keys, l->data))
      {
        g_autofree char *problem = NULL;

        problem = g_strdup_printf (_("The key “%s” is unknown. Known keys are webshop, shopify, "
                                     "shopify_write, type, direction, writable, transform, "
                                     "empty_overwrites, unordered, name and label."),
                                   (const char *) l->data);
        set_row_error (error, ctx, problem);
        return FALSE;
      }

  spec->webshop = member_string (object, "webshop", &wrong_type);
  spec->shopify = member_string (object, "shopify", &wrong_type);
  spec->shopify_write = member_string (object, "shopify_write", &wrong_type);
  spec->type = member_string (object, "type", &wrong_type);
  spec->direction = member_string (object, "direction", &wrong_type);
  spec->writable = member_string (object, "writable", &wrong_type);
  spec->transform = member_string (object, "transform", &wrong_type);
  spec->name = member_string (object, "name", &wrong_type);
  spec->label = member_string (object, "label", &wrong_type);
  if (wrong_type)
    {
      set_row_error (error, ctx,
                     _("The values of webshop, shopify, shopify_write, type, direction, "
                       "writable, transform, name and label must be text."));
      return FALSE;
    }
  if (spec->webshop == NULL || spec->shopify == NULL || spec->type == NULL)
    {
      set_row_error (error, ctx,
                     _("The row needs a “webshop” property, a “shopify” property and a “type”."));
      return FALSE;
    }
  if (!read_row_flag (object, "empty_overwrites", &spec->empty_overwrites))
    {
      set_row_error (error, ctx, _("“empty_overwrites” must be true or false."));
      return FALSE;
    }
  if (!read_row_flag (object, "unordered", &spec->unordered))
    {
      set_row_error (error, ctx, _("“unordered” must be true or false."));
      return FALSE;
    }
  return TRUE;
}

static TdmRow *
row_new (const RowSpec *spec)
{
  TdmRow *row = g_new0 (TdmRow, 1);

  row->row.webshop = g_strdup (spec->webshop);
  row->row.shopify = g_strdup (spec->shopify);
  row->row.shopify_write = g_strdup (spec->shopify_write != NULL ? spec->shopify_write
                                                                 : spec->shopify);
  row->row.type_name = g_strdup (spec->type);
  row->row.parent = -1;
  row->row.empty_overwrites = spec->empty_overwrites;
  row->row.unordered = spec->unordered;
  row->name_given = spec->name != NULL;
  row->label = spec->label != NULL && *spec->label != '\0' ? g_strdup (spec->label) : NULL;
  return row;
}

/* The type, direction, writable and transform of the row. Returns NULL, or
 * what is wrong (transfer full). */
static char *
parse_row_settings (TdmRow        *row,
                    const RowSpec *spec)
{
  if (!tdm_value_type_from_name (spec->type, &row->row.type))
    return g_strdup_printf (_("The data type “%s” is unknown. Use one of String, Email, "
                              "Phone, [String], Money, Decimal, Int, Boolean, DateTime, "
                              "CountryCode, CurrencyCode, HTML, ID, Weight, an enum name such "
                              "as ProductStatus, or a list such as [MailingAddress]."),
                            spec->type);
  if (row->row.unordered && row->row.type != TDM_VALUE_LIST)
    return g_strdup_printf (_("Only lists can be “unordered”, and the type %s is not a list."),
                            spec->type);
  if (spec->direction != NULL &&
      !tdm_direction_from_string (spec->direction, &row->row.direction))
    return g_strdup_printf (_("The direction “%s” is unknown. Use both, to_shopify or "
                              "to_webshop."), spec->direction);
  if (spec->writable != NULL && !parse_writable (spec->writable, &row->row.writable))
    return g_strdup_printf (_("The value “%s” for writable is unknown. Use always, create "
                              "or never."), spec->writable);
  if (spec->transform != NULL)
    {
      if (!parse_transform (spec->transform, &row->transform))
        return g_strdup_printf (_("The transform “%s” is unknown. Known transforms are "
                                  "identity, status_upper, financial_status, "
                                  "fulfillment_status, marketing_state, weight_unit, "
                                  "options_map, customer_ref, product_ref, "
                                  "vat_exclusive, order_number and lines_subtotal."),
                                spec->transform);
      row->row.transform = g_strdup (spec->transform);
    }
  return NULL;
}

/* The syntax of the row's paths, metafields only where Tandem can use them,
 * and "[]" at the end of a list's paths and nowhere else. Returns NULL, or
 * what is wrong (transfer full). */
static char *
check_row_paths (const TdmRow *row)
{
  const char *webshop = row->row.webshop;
  const char *shopify = row->row.shopify;
  const char *paths[] = { webshop, shopify, row->row.shopify_write };
  gboolean is_list = row->row.type == TDM_VALUE_LIST;
  char *problem;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if ((problem = _tdm_mapping_check_path_syntax (paths[i])) != NULL)
      return problem;
  if (g_str_has_prefix (webshop, TDM_MAPPING_METAFIELD_PREFIX))
    return g_strdup_printf (_("The webshop property “%s” cannot be a Shopify metafield."),
                            webshop);
  if (g_str_has_prefix (shopify, TDM_MAPPING_METAFIELD_PREFIX) &&
      !_tdm_mapping_row_is_identity (row))
    return g_strdup_printf (_("The Shopify property “%s” is a metafield, which Tandem can "
                              "write but not read: give the name under which it is read in "
                              "“shopify” and the metafield in “shopify_write”."), shopify);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (is_list && !g_str_has_suffix (paths[i], "[]"))
        return g_strdup_printf (_("“%s” is a list (type %s): write it with “[]” at the end, "
                                  "as in “addresses[]”."), paths[i], row->row.type_name);
      if (!is_list && g_str_has_suffix (paths[i], "[]"))
        return g_strdup_printf (_("“%s” ends in “[]”, but the type %s is not a list."),
                                paths[i], row->row.type_name);
    }
  return NULL;
}

/* The list or group row a row belongs to: the top-level container row with
 * the longest webshop path that starts the row's. Sets row.parent. */
static TdmRow *
find_parent (TdmMapping *self,
             TdmKind     kind,
             TdmRow     *row)
{
  GPtrArray *rows = self->rows[kind];
  TdmRow *parent = NULL;

  g_assert (row->row.parent == -1);

  for (guint i = 0; i < rows->len; i++)
    {
      TdmRow *candidate = g_ptr_array_index (rows, i);
      g_autofree char *rel = NULL;

      if (!_tdm_mapping_row_is_container (candidate) || candidate->row.parent >= 0)
        continue;
      rel = _tdm_mapping_relative_path (row->row.webshop, candidate->row.webshop);
      if (rel != NULL &&
          (parent == NULL || strlen (candidate->row.webshop) > strlen (parent->row.webshop)))
        {
          parent = candidate;
          row->row.parent = (int) i;
        }
    }
  return parent;
}

/* A sub-row: its paths relative to its list or group row, whose direction
 * and writable it takes unless it has its own. */
static char *
attach_to_parent (TdmRow        *row,
                  const TdmRow  *parent,
                  const RowSpec *spec)
{
  g_assert (parent != NULL && row->row.parent >= 0);

  if (row->row.type == TDM_VALUE_LIST)
    return g_strdup_printf (_("“%s” is a list inside “%s”; Tandem supports only one "
                              "level of lists."), row->row.webshop, parent->row.webshop);

  row->rel_webshop = _tdm_mapping_relative_path (row->row.webshop, parent->row.webshop);
  row->rel_shopify = _tdm_mapping_relative_path (row->row.shopify, parent->row.shopify);
  row->rel_write = _tdm_mapping_relative_path (row->row.shopify_write,
                                               parent->row.shopify_write);
  if (row->rel_shopify == NULL)
    return g_strdup_printf (_("The Shopify property “%s” must start with “%s.”, like the "
                              "row of its list or group."), row->row.shopify,
                            parent->row.shopify);
  if (row->rel_write == NULL)
    return g_strdup_printf (_("The Shopify write property “%s” must start with “%s.”, "
                              "like the row of its list or group."),
                            row->row.shopify_write, parent->row.shopify_write);
  if (spec->direction == NULL)
    row->row.direction = parent->row.direction;
  if (spec->writable == NULL)
    row->row.writable = parent->row.writable;
  return NULL;
}

/* A top-level row: no path of it may be inside a list. */
static char *
place_top_level (TdmRow *row)
{
  const char *webshop = row->row.webshop;
  const char *paths[] = { row->row.shopify, row->row.shopify_write };

  g_assert (row->row.parent == -1);

  if (_tdm_mapping_has_inner_list (webshop))
    {
      g_autofree char *list = g_strndup (webshop, strstr (webshop, "[]") + 2 - webshop);

      return g_strdup_printf (_("“%s” belongs to the list “%s”, but no row for that list comes "
                                "before it. Add a row for “%s” first."), webshop, list, list);
    }
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (_tdm_mapping_has_inner_list (paths[i]))
      return g_strdup_printf (_("The Shopify property “%s” is inside a list, but the "
                                "webshop property “%s” is not: add the list row and "
                                "write the webshop property inside it."),
                              paths[i], webshop);
  row->rel_webshop = g_strdup (webshop);
  row->rel_shopify = g_strdup (row->row.shopify);
  row->rel_write = g_strdup (row->row.shopify_write);
  return NULL;
}

/* The canonical name: "name" when given, else the webshop path without
 * "[]" (a sub-row: its last segment). */
static char *
row_canonical_name (const TdmRow  *row,
                    const RowSpec *spec)
{
  if (spec->name != NULL)
    return g_strdup (spec->name);
  if (row->row.parent >= 0)
    return _tdm_mapping_strip_list_marker (_tdm_mapping_last_segment (row->row.webshop));
  return _tdm_mapping_strip_list_marker (row->row.webshop);
}

/* One row of the kind's table, checked against the rows before it, or NULL
 * and an error naming the row and what is wrong. */
static TdmRow *
parse_row (TdmMapping  *self,
           JsonNode    *node,
           RowContext  *ctx,
           GError     **error)
{
  RowSpec spec = { NULL, };
  g_autoptr(TdmRow) row = NULL;
  g_autofree char *problem = NULL;
  TdmRow *parent;

  if (!read_row_spec (node, ctx, &spec, error))
    return NULL;

  row = row_new (&spec);
  if ((problem = parse_row_settings (row, &spec)) != NULL ||
      (problem = check_row_paths (row)) != NULL)
    return fail_row (error, ctx, problem);

  parent = find_parent (self, ctx->kind, row);
  if (parent != NULL)
    problem = attach_to_parent (row, parent, &spec);
  else
    problem = place_top_level (row);
  if (problem != NULL ||
      (problem = _tdm_mapping_check_shopify_row (self, ctx->kind, row)) != NULL)
    return fail_row (error, ctx, problem);

  row->row.name = row_canonical_name (row, &spec);
  row->human_name = _tdm_mapping_humanize_name (row->row.name);
  return g_steal_pointer (&row);
}

/* Duplicate targets: two rows writing the same place on one side, or two
 * canonical fields with one name. */
static gboolean
check_duplicates (TdmMapping  *self,
                  TdmKind      kind,
                  TdmRow      *row,
                  RowContext  *ctx,
                  GError     **error)
{
  GPtrArray *rows = self->rows[kind];

  for (guint i = 0; i < rows->len; i++)
    {
      TdmRow *other = g_ptr_array_index (rows, i);
      g_autofree char *problem = NULL;

      if (_tdm_mapping_row_allows (self, kind, row, TDM_SIDE_WEBSHOP) &&
          _tdm_mapping_row_allows (self, kind, other, TDM_SIDE_WEBSHOP) &&
          strcmp (row->row.webshop, other->row.webshop) == 0)
        problem = g_strdup_printf (_("Row %u already writes the webshop property “%s”. "
                                     "Remove one of the two rows."), i + 1, row->row.webshop);
      else if (_tdm_mapping_row_allows (self, kind, row, TDM_SIDE_SHOPIFY) &&
               _tdm_mapping_row_allows (self, kind, other, TDM_SIDE_SHOPIFY) &&
               row->row.writable != TDM_WRITABLE_NEVER &&
               other->row.writable != TDM_WRITABLE_NEVER &&
               strcmp (row->row.shopify_write, other->row.shopify_write) == 0)
        problem = g_strdup_printf (_("Row %u already writes the Shopify property “%s”. "
                                     "Remove one of the two rows."), i + 1, row->row.shopify_write);
      else if (!_tdm_mapping_row_is_identity (row) && !_tdm_mapping_row_is_identity (other) &&
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

/* ---- Tables ---- */

/* Only the three tables, "version" and comments at the top level; version 1. */
static gboolean
check_root (JsonObject  *root,
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
  return TRUE;
}

/* The rows of one kind's table, each checked against those before it. */
static gboolean
load_table (TdmMapping  *self,
            TdmKind      kind,
            JsonArray   *array,
            const char  *source,
            GError     **error)
{
  g_assert (self->rows[kind]->len == 0);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      RowContext ctx = { source, kind, i + 1 };
      TdmRow *row = parse_row (self, json_array_get_element (array, i), &ctx, error);

      if (row == NULL)
        return FALSE;
      if (!check_duplicates (self, kind, row, &ctx, error))
        {
          _tdm_mapping_row_free (row);
          return FALSE;
        }
      g_ptr_array_add (self->rows[kind], row);
      if (row->row.parent >= 0)
        {
          TdmRow *parent = g_ptr_array_index (self->rows[kind], row->row.parent);

          if (parent->children == NULL)
            parent->children = g_ptr_array_new ();
          g_ptr_array_add (parent->children, row);
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
  if (!check_root (root, source, error))
    return FALSE;

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      const char *key = tdm_kind_to_string (kind);

      if (!json_object_has_member (root, key))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, key)))
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING,
                       _("In the mapping “%s”, the %s table must be a list of rows."), source, key);
          return FALSE;
        }
      if (!load_table (self, kind, json_object_get_array_member (root, key), source, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Files ---- */

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
