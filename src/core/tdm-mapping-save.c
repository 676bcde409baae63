/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <string.h>

/* Saving a mapping in the format it is loaded from (docs/mapping.md, File
 * format): what a row inherits from its list row and the defaults are left
 * out, so a saved file reads like a written one. */

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

static void
add_row_to_builder (JsonBuilder  *builder,
                    const TdmRow *row,
                    const TdmRow *parent)
{
  json_builder_begin_object (builder);
  if (row->name_given)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, row->row.name);
    }
  if (row->label != NULL)
    {
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, row->label);
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
          const TdmRow *row = g_ptr_array_index (self->rows[kind], i);
          add_row_to_builder (builder, row, _tdm_mapping_row_parent (self, kind, row));
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
