/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record"

#include "config.h"

#include "tdm-record.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tdm-error.h"

G_DEFINE_BOXED_TYPE (TdmRecord, tdm_record, tdm_record_ref, tdm_record_unref)
G_DEFINE_BOXED_TYPE (TdmRecordError, tdm_record_error, tdm_record_error_copy, tdm_record_error_free)

/* ---- Canonical JSON serialization ---- */

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_assert (str != NULL);

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", (guint) *p);
          else
            g_string_append_c (out, (char) *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  /* Integral values print as integers so that 10 and 10.0 are one value. */
  if (value == (double) (gint64) value && value > -9.0e15 && value < 9.0e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  /* Shortest representation that reads back as the same double. */
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static int
compare_member_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void append_node (GString *out, JsonNode *node);

static void
append_object (GString    *out,
               JsonObject *object)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GList *members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (names, l->data);
  g_list_free (members);
  g_ptr_array_sort (names, compare_member_names);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, name);
      g_string_append_c (out, ':');
      append_node (out, json_object_get_member (object, name));
    }
  g_string_append_c (out, '}');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint len = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_json_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
tdm_json_canonical_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

char *
tdm_json_object_to_string (JsonObject *object)
{
  GString *out = g_string_new (NULL);

  if (object == NULL)
    g_string_append (out, "null");
  else
    append_object (out, object);
  return g_string_free (out, FALSE);
}

static gboolean
node_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      return s == NULL || *s == '\0';
    }
  return FALSE;
}

gboolean
tdm_json_value_equal (JsonNode *a,
                      JsonNode *b)
{
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;
  gboolean empty_a = node_is_empty (a);
  gboolean empty_b = node_is_empty (b);

  if (empty_a || empty_b)
    return empty_a == empty_b;

  sa = tdm_json_canonical_string (a);
  sb = tdm_json_canonical_string (b);
  return strcmp (sa, sb) == 0;
}

JsonNode *
tdm_json_node_copy_deep (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *copy = tdm_json_object_copy (json_node_get_object (node));
        JsonNode *result = json_node_new (JSON_NODE_OBJECT);

        json_node_take_object (result, copy);
        return result;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint len = json_array_get_length (array);
        JsonArray *copy = json_array_sized_new (len);
        JsonNode *result = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < len; i++)
          json_array_add_element (copy,
                                  tdm_json_node_copy_deep (json_array_get_element (array, i)));
        json_node_take_array (result, copy);
        return result;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

JsonObject *
tdm_json_object_copy (JsonObject *object)
{
  JsonObject *copy;
  GList *members;

  if (object == NULL)
    return NULL;

  copy = json_object_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      json_object_set_member (copy, name,
                              tdm_json_node_copy_deep (json_object_get_member (object, name)));
    }
  g_list_free (members);
  return copy;
}

JsonObject *
tdm_json_object_from_string (const char  *str,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (str != NULL, NULL);

  if (!json_parser_load_from_data (parser, str, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("The data is not a JSON object."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* ---- Records ---- */

TdmRecord *
tdm_record_new (TdmSide     side,
                TdmKind     kind,
                const char *id,
                const char *updated_at,
                const char *etag,
                JsonObject *fields,
                JsonObject *native)
{
  TdmRecord *self = g_new0 (TdmRecord, 1);

  self->ref_count = 1;
  self->side = side;
  self->kind = kind;
  self->id = g_strdup (id);
  self->updated_at = g_strdup (updated_at);
  self->etag = g_strdup (etag);
  self->fields = fields != NULL ? json_object_ref (fields) : json_object_new ();
  self->native = native != NULL ? json_object_ref (native) : NULL;
  return self;
}

TdmRecord *
tdm_record_new_tombstone (TdmSide     side,
                          TdmKind     kind,
                          const char *id,
                          const char *deleted_at)
{
  TdmRecord *self = tdm_record_new (side, kind, id, deleted_at, NULL, NULL, NULL);

  self->deleted = TRUE;
  return self;
}

TdmRecord *
tdm_record_ref (TdmRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->ref_count > 0, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
tdm_record_unref (TdmRecord *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->updated_at);
  g_free (self->etag);
  g_clear_pointer (&self->fields, json_object_unref);
  g_clear_pointer (&self->native, json_object_unref);
  g_free (self->twin_id);
  g_free (self->hash);
  g_free (self);
}

void
tdm_record_set_twin_id (TdmRecord  *self,
                        const char *twin_id)
{
  g_return_if_fail (self != NULL);

  if (g_strcmp0 (self->twin_id, twin_id) == 0)
    return;
  g_free (self->twin_id);
  self->twin_id = g_strdup (twin_id);
}

void
tdm_record_set_fields (TdmRecord  *self,
                       JsonObject *fields)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (fields != NULL);

  if (fields == self->fields)
    return;
  json_object_ref (fields);
  g_clear_pointer (&self->fields, json_object_unref);
  self->fields = fields;
  g_clear_pointer (&self->hash, g_free);
}

const char *
tdm_record_get_hash (TdmRecord *self)
{
  char *hash;

  g_return_val_if_fail (self != NULL, NULL);

  hash = g_atomic_pointer_get (&self->hash);
  if (hash == NULL)
    {
      g_autofree char *canonical = tdm_json_object_to_string (self->fields);

      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
      if (!g_atomic_pointer_compare_and_exchange (&self->hash, NULL, hash))
        {
          g_free (hash);
          hash = g_atomic_pointer_get (&self->hash);
        }
    }
  return hash;
}

JsonNode *
tdm_record_get_field (TdmRecord  *self,
                      const char *field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (self->fields == NULL || !json_object_has_member (self->fields, field))
    return NULL;
  return json_object_get_member (self->fields, field);
}

const char *
tdm_record_get_string (TdmRecord  *self,
                       const char *field)
{
  JsonNode *node = tdm_record_get_field (self, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
record_label (TdmRecord *self)
{
  const char *s;

  g_assert (self != NULL);

  switch (self->kind)
    {
    case TDM_KIND_CUSTOMER:
      if ((s = tdm_record_get_string (self, "email")) != NULL)
        return g_strdup (s);
      {
        const char *first = tdm_record_get_string (self, "first_name");
        const char *last = tdm_record_get_string (self, "last_name");

        if (first != NULL || last != NULL)
          return g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
      }
      if ((s = tdm_record_get_string (self, "phone")) != NULL)
        return g_strdup (s);
      break;

    case TDM_KIND_PRODUCT:
      if ((s = tdm_record_get_string (self, "title")) != NULL)
        return g_strdup_printf ("“%s”", s);
      if ((s = tdm_record_get_string (self, "sku")) != NULL)
        return g_strdup (s);
      break;

    case TDM_KIND_ORDER:
      if ((s = tdm_record_get_string (self, "number")) != NULL)
        return g_strdup (s);
      if ((s = tdm_record_get_string (self, "email")) != NULL)
        return g_strdup (s);
      break;

    default:
      break;
    }
  return NULL;
}

static const char *
kind_noun (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return C_("record kind in a sentence", "customer");
    case TDM_KIND_PRODUCT:
      return C_("record kind in a sentence", "product");
    case TDM_KIND_ORDER:
      return C_("record kind in a sentence", "order");
    default:
      return "";
    }
}

static const char *
side_noun (TdmSide side)
{
  return side == TDM_SIDE_WEBSHOP ? C_("side in a sentence", "webshop")
                                  : C_("side in a sentence", "Shopify");
}

char *
tdm_record_describe (TdmRecord *self)
{
  g_autofree char *label = NULL;
  const char *kind;
  const char *side;

  g_return_val_if_fail (self != NULL, NULL);

  label = record_label (self);
  kind = kind_noun (self->kind);
  side = side_noun (self->side);

  if (label != NULL && self->id != NULL)
    /* Translators: "customer kari@example.no (webshop id 17)": kind, label, side, id */
    return g_strdup_printf (_("%s %s (%s id %s)"), kind, label, side, self->id);
  if (label != NULL)
    /* Translators: "customer kari@example.no (new in the webshop)": kind, label, side */
    return g_strdup_printf (_("%s %s (new, from %s)"), kind, label, side);
  if (self->id != NULL)
    /* Translators: "customer (webshop id 17)": kind, side, id */
    return g_strdup_printf (_("%s (%s id %s)"), kind, side, self->id);
  /* Translators: "customer (new, from webshop)": kind, side */
  return g_strdup_printf (_("%s (new, from %s)"), kind, side);
}

/* ---- Record errors ---- */

TdmRecordError *
tdm_record_error_new (TdmSide     side,
                      TdmKind     kind,
                      const char *record_id,
                      const char *field,
                      const char *message)
{
  TdmRecordError *error = g_new0 (TdmRecordError, 1);

  error->side = side;
  error->kind = kind;
  error->record_id = g_strdup (record_id);
  error->field = g_strdup (field);
  error->message = g_strdup (message);
  return error;
}

TdmRecordError *
tdm_record_error_copy (const TdmRecordError *error)
{
  TdmRecordError *copy;

  g_return_val_if_fail (error != NULL, NULL);

  copy = tdm_record_error_new (error->side, error->kind, error->record_id,
                               error->field, error->message);
  copy->existing_id = g_strdup (error->existing_id);
  return copy;
}

void
tdm_record_error_free (TdmRecordError *error)
{
  if (error == NULL)
    return;
  g_free (error->record_id);
  g_free (error->field);
  g_free (error->message);
  g_free (error->existing_id);
  g_free (error);
}

static const char *
skip_json_space (const char *p,
                 const char *end)
{
  g_assert (p <= end);

  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

gboolean
tdm_json_is_single_value (const char *data,
                          gssize      length)
{
  const char *p, *end;
  guint depth = 0;
  gboolean in_string = FALSE;

  if (data == NULL)
    return TRUE;
  end = data + (length < 0 ? strlen (data) : (gsize) length);
  p = skip_json_space (data, end);
  if (p == end)
    return TRUE;

  if (*p != '{' && *p != '[' && *p != '"')
    {
      /* A scalar (number, true, false, null): it ends at a space or a
       * structural character, and nothing may follow. */
      while (p < end && strchr (" \t\n\r{}[]\",:", *p) == NULL)
        p++;
      return skip_json_space (p, end) == end;
    }

  for (; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return skip_json_space (p + 1, end) == end;
            }
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        return skip_json_space (p + 1, end) == end;
    }
  /* Unterminated: json-glib reports the syntax error itself. */
  return TRUE;
}
