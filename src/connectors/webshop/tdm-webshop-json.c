/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop-json"

#include "config.h"

#include "tdm-webshop-json.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tdm-http.h"
#include "tdm-json-text.h"
#include "tdm-record.h"

JsonNode *
tdm_webshop_json_get_path (JsonObject *object,
                           const char *path)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = NULL;

  if (object == NULL || path == NULL || *path == '\0')
    return NULL;
  if (strchr (path, '.') == NULL)
    return json_object_get_member (object, path);

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL)
        return NULL;
      node = json_object_get_member (object, parts[i]);
      if (node == NULL)
        return NULL;
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

char *
tdm_webshop_json_dup_string (JsonObject *object,
                             const char *path)
{
  JsonNode *node = tdm_webshop_json_get_path (object, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

void
tdm_webshop_json_set_path (JsonObject *object,
                           const char *path,
                           JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (object, parts[i]);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (object, parts[i], json_object_new ());
          child = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (child);
    }
  json_object_set_member (object, parts[n - 1], value);
}

static JsonNode *
parse_root (GBytes  *raw,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  /* NULs and broken text inside strings become marks that refuse only
   * their record (tdm-json-text.h); what is left is the envelope's. */
  g_autoptr(GBytes) body = raw ? tdm_json_text_mark (raw) : NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  const char *nul;
  const char *invalid = NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("The webshop sent an empty answer where records were expected. "
                             "Check that the address points to the Webshop Sync API."));
      return NULL;
    }
  /* json-glib recurses: refuse deep nesting before it sees the data. */
  if (!tdm_http_check_json_depth (data, len, TDM_HTTP_MAX_JSON_DEPTH, NULL, error))
    return NULL;
  if (!tdm_json_is_single_value (data, len))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("The webshop sent an answer with more than one JSON value. "
                             "Check that the address points to the Webshop Sync API."));
      return NULL;
    }
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The webshop sent an answer that contains a NUL byte (at byte %lu), "
                     "which JSON text cannot hold. Check what the webshop sends for this list "
                     "or record."), (gulong) (nul - data));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, &invalid))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The webshop sent an answer with bytes that are not UTF-8 text outside "
                     "of any record’s values (at byte %lu). Check what the webshop sends for "
                     "this list or record."), (gulong) (invalid - data));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      /* json-glib may cut a quoted token inside a UTF-8 sequence */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The webshop sent an answer that is not valid JSON (%s). Check that the "
                     "address points to the Webshop Sync API."), reason);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("The webshop sent an empty answer where records were expected."));
      return NULL;
    }
  return json_node_copy (root);
}

gboolean
tdm_webshop_parse_list (GBytes                    *body,
                        const TdmWebshopResource  *resource,
                        GPtrArray                **out_items,
                        char                     **out_next_cursor,
                        GError                   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonNode *list = NULL;
  JsonArray *array;

  g_return_val_if_fail (resource != NULL, FALSE);

  if (out_next_cursor)
    *out_next_cursor = NULL;
  root = parse_root (body, error);
  if (root == NULL)
    return FALSE;

  if (resource->items_key == NULL || *resource->items_key == '\0')
    list = root;
  else if (JSON_NODE_HOLDS_OBJECT (root))
    list = tdm_webshop_json_get_path (json_node_get_object (root), resource->items_key);

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      if (resource->items_key && *resource->items_key)
        g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                     _("The webshop's answer has no list “%s”. This is not a Webshop Sync "
                       "API answer, or the profile does not match the shop."),
                     resource->items_key);
      else
        g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("The webshop's answer is not a list of records. The profile "
                               "does not match the shop."));
      return FALSE;
    }

  array = json_node_get_array (list);
  items = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Item %u of the webshop's list is not a record (JSON object)."), i + 1);
          return FALSE;
        }
      g_ptr_array_add (items, json_object_ref (json_node_get_object (element)));
    }

  if (out_next_cursor && resource->paging == TDM_WEBSHOP_PAGING_CURSOR
      && JSON_NODE_HOLDS_OBJECT (root))
    {
      char *cursor = tdm_webshop_json_dup_string (json_node_get_object (root),
                                                  resource->next_cursor_key);

      if (cursor != NULL && *cursor == '\0')
        g_clear_pointer (&cursor, g_free);
      /* Sent back as it was read, or not at all. */
      if (tdm_json_text_check (cursor) != TDM_JSON_TEXT_OK)
        {
          g_free (cursor);
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("The webshop’s position for the next page (“%s”) holds a NUL "
                         "character or bytes that are not UTF-8 text, so Tandem cannot ask "
                         "for the next page. Check the webshop’s paging."),
                       resource->next_cursor_key);
          return FALSE;
        }
      *out_next_cursor = cursor;
    }

  if (out_items)
    *out_items = g_steal_pointer (&items);
  return TRUE;
}

JsonObject *
tdm_webshop_parse_record (GBytes  *body,
                          GError **error)
{
  g_autoptr(JsonNode) root = parse_root (body, error);
  JsonObject *object;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("The webshop's answer is not a record (JSON object)."));
      return NULL;
    }
  object = json_node_get_object (root);
  for (guint i = 0; i < 2; i++)
    {
      const char *wrapper = i == 0 ? "item" : "data";
      JsonNode *inner = json_object_get_member (object, wrapper);

      if (json_object_get_size (object) == 1 && inner && JSON_NODE_HOLDS_OBJECT (inner))
        return json_object_ref (json_node_get_object (inner));
    }
  return json_object_ref (object);
}

char *
tdm_webshop_parse_link_next (const char *link_header)
{
  const char *p = link_header;

  /* Link: <url>; rel="next", <url2>; rel="prev"; title="x" */
  while (p != NULL && *p != '\0')
    {
      const char *lt = strchr (p, '<');
      const char *gt = lt ? strchr (lt, '>') : NULL;
      const char *end;
      g_autofree char *params = NULL;
      g_auto(GStrv) parts = NULL;

      if (lt == NULL || gt == NULL)
        return NULL;
      /* Parameters run to the next "," that is followed by "<" (or the end). */
      end = gt + 1;
      while (*end != '\0')
        {
          if (*end == ',')
            {
              const char *q = end + 1;

              while (*q == ' ' || *q == '\t')
                q++;
              if (*q == '<')
                break;
            }
          end++;
        }
      params = g_strndup (gt + 1, end - (gt + 1));
      parts = g_strsplit (params, ";", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *param = g_strstrip (parts[i]);
          g_auto(GStrv) rels = NULL;
          char *value;

          if (g_ascii_strncasecmp (param, "rel", 3) != 0)
            continue;
          value = param + 3;
          while (*value == ' ')
            value++;
          if (*value != '=')
            continue;
          value++;
          while (*value == ' ')
            value++;
          if (*value == '"')
            {
              value++;
              if (value[0] != '\0' && value[strlen (value) - 1] == '"')
                value[strlen (value) - 1] = '\0';
            }
          /* rel may hold several space-separated relation types. */
          rels = g_strsplit (value, " ", -1);
          for (guint j = 0; rels[j] != NULL; j++)
            if (g_ascii_strcasecmp (rels[j], "next") == 0)
              return g_strndup (lt + 1, gt - lt - 1);
        }
      p = *end ? end + 1 : end;
    }
  return NULL;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const TdmWebshopResource *resource = user_data;
  JsonObject *ra = *(JsonObject * const *) a;
  JsonObject *rb = *(JsonObject * const *) b;
  g_autofree char *ua = tdm_webshop_json_dup_string (ra, resource->updated_at_field);
  g_autofree char *ub = tdm_webshop_json_dup_string (rb, resource->updated_at_field);
  g_autofree char *ia = NULL;
  g_autofree char *ib = NULL;
  int cmp = g_strcmp0 (ua, ub);

  if (cmp != 0)
    return cmp;
  ia = tdm_webshop_json_dup_string (ra, resource->id_field);
  ib = tdm_webshop_json_dup_string (rb, resource->id_field);
  return g_strcmp0 (ia, ib);
}

void
tdm_webshop_sort_records (GPtrArray                *items,
                          const TdmWebshopResource *resource)
{
  g_ptr_array_sort_with_data (items, compare_records, (gpointer) resource);
}

void
tdm_webshop_json_remove_path (JsonObject *object,
                              const char *path)
{
  const char *dot = strrchr (path, '.');
  g_autofree char *parent = NULL;
  JsonNode *node;

  if (dot == NULL)
    {
      json_object_remove_member (object, path);
      return;
    }
  parent = g_strndup (path, dot - path);
  node = tdm_webshop_json_get_path (object, parent);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_remove_member (json_node_get_object (node), dot + 1);
}

JsonObject *
tdm_webshop_build_write_body (JsonObject               *native,
                              const TdmWebshopResource *resource,
                              const char               *shopify_id)
{
  /* A deep copy: removing server fields must not touch the caller's record. */
  JsonObject *body = native ? tdm_json_object_copy (native) : json_object_new ();

  tdm_webshop_json_remove_path (body, resource->id_field);
  tdm_webshop_json_remove_path (body, resource->updated_at_field);
  tdm_webshop_json_remove_path (body, resource->etag_field);
  json_object_remove_member (body, "created_at");
  if (shopify_id != NULL)
    tdm_webshop_json_set_path (body, resource->shopify_id_field,
                               json_node_init_string (json_node_alloc (), shopify_id));
  return body;
}
