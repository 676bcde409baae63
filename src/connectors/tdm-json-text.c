/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-json-text"

#include "config.h"

#include "tdm-json-text.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* What the marks are written as: JSON escapes, plain ASCII. */
#define ESCAPE_NUL     "\\uFDD0"
#define ESCAPE_BROKEN  "\\uFDD1"

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The code unit of "\uXXXX" at `p` (which starts with the backslash), or -1
 * when fewer than six bytes are left or XXXX is not hexadecimal. */
static int
unicode_escape (const char *p,
                const char *end)
{
  int value = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (guint i = 2; i < 6; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Appends to `out` (created on first use) the bytes not copied yet up to
 * `at`, then `mark` in place of the `replace` bytes at `at`. */
static void
put_mark (GString    **out,
          const char  *data,
          gsize        length,
          gsize       *copied,
          gsize        at,
          gsize        replace,
          const char  *mark)
{
  g_assert (out != NULL);

  if (*out == NULL)
    *out = g_string_sized_new (length + 16);
  g_string_append_len (*out, data + *copied, at - *copied);
  g_string_append (*out, mark);
  *copied = at + replace;
}

char *
tdm_json_text_mark_data (const char *data,
                         gsize       length,
                         gsize      *out_length)
{
  const char *end = data + length;
  GString *out = NULL;
  gboolean in_string = FALSE;
  gsize copied = 0;
  gsize i = 0;

  if (out_length != NULL)
    *out_length = length;
  if (data == NULL)
    return NULL;

  while (i < length)
    {
      guchar c = (guchar) data[i];

      if (!in_string)
        {
          in_string = c == '"';
          i++;
          continue;
        }
      if (c == '"')
        {
          in_string = FALSE;
          i++;
          continue;
        }
      if (c == '\\')
        {
          int unit = unicode_escape (data + i, end);

          if (unit < 0)
            {
              /* Any other escape: skip the escaped byte (a quote stays inside). */
              i += i + 1 < length ? 2 : 1;
              continue;
            }
          if (unit == 0)
            put_mark (&out, data, length, &copied, i, 6, ESCAPE_NUL);
          else if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              int low = unicode_escape (data + i + 6, end);

              if (low >= 0xDC00 && low <= 0xDFFF)
                {
                  i += 12;
                  continue;
                }
              put_mark (&out, data, length, &copied, i, 6, ESCAPE_BROKEN);
            }
          else if (unit >= 0xDC00 && unit <= 0xDFFF)
            put_mark (&out, data, length, &copied, i, 6, ESCAPE_BROKEN);
          i += 6;
          continue;
        }
      if (c == '\0')
        {
          put_mark (&out, data, length, &copied, i, 1, ESCAPE_NUL);
          i++;
          continue;
        }
      if (c < 0x80)
        {
          i++;
          continue;
        }
      {
        gunichar u = g_utf8_get_char_validated (data + i, length - i);

        if (u == (gunichar) -1 || u == (gunichar) -2)
          {
            /* One mark per byte that does not start a UTF-8 character. */
            put_mark (&out, data, length, &copied, i, 1, ESCAPE_BROKEN);
            i++;
            continue;
          }
        i += g_utf8_skip[c];
      }
    }

  if (out == NULL)
    return NULL;
  g_string_append_len (out, data + copied, length - copied);
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

GBytes *
tdm_json_text_mark (GBytes *body)
{
  gsize length = 0;
  const char *data;
  char *marked;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  marked = tdm_json_text_mark_data (data, length, &length);
  if (marked == NULL)
    return g_bytes_ref (body);
  return g_bytes_new_take (marked, length);
}

TdmJsonTextProblem
tdm_json_text_check (const char *text)
{
  if (text == NULL)
    return TDM_JSON_TEXT_OK;
  if (strstr (text, TDM_JSON_TEXT_MARK_NUL) != NULL)
    return TDM_JSON_TEXT_NUL;
  if (strstr (text, TDM_JSON_TEXT_MARK_BROKEN) != NULL)
    return TDM_JSON_TEXT_BROKEN;
  return TDM_JSON_TEXT_OK;
}

/* A member name as shown in a path: marks as U+FFFD. */
static void
append_name (GString    *path,
             const char *name)
{
  g_autofree char *shown = NULL;
  g_autoptr(GString) text = g_string_new (name);

  g_assert (path != NULL);
  g_assert (name != NULL);

  g_string_replace (text, TDM_JSON_TEXT_MARK_NUL, "\xef\xbf\xbd", 0);
  g_string_replace (text, TDM_JSON_TEXT_MARK_BROKEN, "\xef\xbf\xbd", 0);
  shown = g_string_free (g_steal_pointer (&text), FALSE);
  if (path->len > 0)
    g_string_append_c (path, '.');
  g_string_append (path, shown);
}

static TdmJsonTextProblem find_in_node (JsonNode *node, GString *path);

static TdmJsonTextProblem
find_in_object (JsonObject *object,
                GString    *path)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_assert (object != NULL);
  g_assert (path != NULL);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      gsize mark = path->len;
      TdmJsonTextProblem problem;

      append_name (path, name);
      problem = tdm_json_text_check (name);
      if (problem == TDM_JSON_TEXT_OK)
        problem = find_in_node (value, path);
      if (problem != TDM_JSON_TEXT_OK)
        return problem;
      g_string_truncate (path, mark);
    }
  return TDM_JSON_TEXT_OK;
}

static TdmJsonTextProblem
find_in_node (JsonNode *node,
              GString  *path)
{
  g_assert (path != NULL);

  if (node == NULL)
    return TDM_JSON_TEXT_OK;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return find_in_object (json_node_get_object (node), path);
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            gsize mark = path->len;
            TdmJsonTextProblem problem;

            g_string_append_printf (path, "[%u]", i);
            problem = find_in_node (json_array_get_element (array, i), path);
            if (problem != TDM_JSON_TEXT_OK)
              return problem;
            g_string_truncate (path, mark);
          }
        return TDM_JSON_TEXT_OK;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return tdm_json_text_check (json_node_get_string (node));
      return TDM_JSON_TEXT_OK;
    case JSON_NODE_NULL:
    default:
      return TDM_JSON_TEXT_OK;
    }
}

TdmJsonTextProblem
tdm_json_text_find (JsonObject  *object,
                    char       **out_path)
{
  g_autoptr(GString) path = g_string_new (NULL);
  TdmJsonTextProblem problem;

  if (out_path != NULL)
    *out_path = NULL;
  if (object == NULL)
    return TDM_JSON_TEXT_OK;
  problem = find_in_object (object, path);
  if (problem != TDM_JSON_TEXT_OK && out_path != NULL)
    *out_path = g_string_free (g_steal_pointer (&path), FALSE);
  return problem;
}

char *
tdm_json_text_message (TdmJsonTextProblem  problem,
                       TdmSide             side,
                       TdmKind             kind,
                       const char         *record_id,
                       const char         *field)
{
  const char *kind_name = tdm_kind_display_name (kind);
  const char *id = record_id != NULL ? record_id : _("(its id cannot be read)");

  g_return_val_if_fail (problem != TDM_JSON_TEXT_OK, NULL);

  if (side == TDM_SIDE_WEBSHOP)
    return problem == TDM_JSON_TEXT_NUL
      ? g_strdup_printf (_("The field “%s” of the webshop’s %s %s holds a NUL character "
                           "(\\u0000), which Tandem cannot keep. The record was not synced, so "
                           "that nothing is cut short or written back shortened; remove the "
                           "character in the webshop."), field, kind_name, id)
      : g_strdup_printf (_("The field “%s” of the webshop’s %s %s holds bytes that are not "
                           "valid UTF-8 text. The record was not synced; correct the text in "
                           "the webshop."), field, kind_name, id);
  return problem == TDM_JSON_TEXT_NUL
    ? g_strdup_printf (_("The field “%s” of the Shopify %s %s holds a NUL character (\\u0000), "
                         "which Tandem cannot keep. The record was not synced, so that nothing "
                         "is cut short; remove the character in Shopify."), field, kind_name, id)
    : g_strdup_printf (_("The field “%s” of the Shopify %s %s holds text that is not valid "
                         "Unicode. The record was not synced; correct the text in Shopify."),
                       field, kind_name, id);
}
