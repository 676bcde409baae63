/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* Listing: record pages in the profile's paging style (keyset cursor,
 * Link, page, offset), ordered by (updated_at, id), and tombstone pages;
 * the list modes of hostile-server tests (docs/webshop-api.md, Listing
 * changes and paging; Deletes and tombstones). */

/* ---- Cursors and parameters ---- */

static char *
encode_cursor (const char *updated_at,
               const char *id)
{
  g_autofree char *raw = g_strdup_printf ("%s\n%s", updated_at ? updated_at : "", id);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static gboolean
decode_cursor (const char  *cursor,
               char       **out_updated_at,
               char       **out_id)
{
  gsize len = 0;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  char *nl;

  if (cursor == NULL || *cursor == '\0')
    return FALSE;
  raw = g_base64_decode (cursor, &len);
  if (raw == NULL || len == 0)
    return FALSE;
  text = g_strndup ((const char *) raw, len);
  nl = strchr (text, '\n');
  if (nl == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  *nl = '\0';
  *out_updated_at = g_strdup (text);
  *out_id = g_strdup (nl + 1);
  return TRUE;
}

static gboolean
parse_limit (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *param,
             guint              fallback,
             guint             *out)
{
  const char *value = query ? g_hash_table_lookup (query, param) : NULL;
  guint64 limit;

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 1, 250, &limit, NULL))
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_parameter",
                                       "limit must be a whole number from 1 to 250.", param, NULL);
      return FALSE;
    }
  *out = (guint) limit;
  return TRUE;
}

static gboolean
parse_since (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *param,
             char             **out)
{
  const char *value = query ? g_hash_table_lookup (query, param) : NULL;

  *out = NULL;
  if (value == NULL || *value == '\0')
    return TRUE;
  *out = _tdm_fake_webshop_normalize_timestamp (value);
  if (*out == NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_parameter",
                                       "The timestamp must be RFC 3339 with an offset, "
                                       "e.g. 2026-11-26T18:01:15Z.",
                                       param, NULL);
      return FALSE;
    }
  return TRUE;
}

/* The URL of this collection page with one parameter replaced. */
static char *
build_next_link (TdmFakeWebshop    *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 const char        *param,
                 const char        *value)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (params, k, v);
    }
  g_hash_table_insert (params, (gpointer) param, (gpointer) value);
  encoded = soup_form_encode_hash (params);
  return g_strdup_printf ("%s%s?%s", self->url, g_uri_get_path (uri), encoded);
}

/* A new stored record for TDM_FAKE_LIST_ENDLESS (borrowed). */
static JsonObject *
endless_record (TdmFakeWebshop *self,
                TdmKind         kind)
{
  g_autoptr(JsonObject) record = json_object_new ();
  guint64 n = ++self->endless_serial;
  g_autofree char *email = g_strdup_printf ("endless-%" G_GUINT64_FORMAT "@example.com", n);
  g_autofree char *sku = g_strdup_printf ("ENDLESS-%" G_GUINT64_FORMAT, n);
  g_autofree char *id = NULL;

  if (kind == TDM_KIND_CUSTOMER)
    {
      json_object_set_string_member (record, "email", email);
      json_object_set_string_member (record, "first_name", "Endless");
    }
  else
    {
      json_object_set_string_member (record, "sku", sku);
      json_object_set_string_member (record, "title", "Endless");
    }
  id = tdm_fake_webshop_seed (self, kind, record);
  return g_hash_table_lookup (self->records[kind], id);
}

/* ---- Record pages ---- */

/* The records a listing walks: updated since `since` (nullable), in
 * (updated_at, id) order; in TDM_FAKE_LIST_ENDLESS mode only new ones,
 * always more than a page. Borrowed pointers. */
static GPtrArray *
select_records (TdmFakeWebshop *self,
                TdmKind         kind,
                const char     *since,
                guint           limit)
{
  g_autoptr(GPtrArray) all = _tdm_fake_webshop_sorted_records (self, kind);
  GPtrArray *matching = g_ptr_array_new ();

  g_assert ((guint) kind < TDM_N_KINDS);

  if (self->list_mode[kind] == TDM_FAKE_LIST_ENDLESS)
    {
      /* Only what was "created" since the last page, and always more. */
      for (guint i = 0; i < limit + 1; i++)
        g_ptr_array_add (matching, endless_record (self, kind));
      return matching;
    }
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *updated = _tdm_fake_webshop_record_updated_at (self, kind,
                                                                      all->pdata[i]);

      if (since == NULL || g_strcmp0 (updated, since) >= 0)
        g_ptr_array_add (matching, all->pdata[i]);
    }
  return matching;
}

/* Keyset paging: the index of the first record after the cursor's
 * (updated_at, id); stable while records change. FALSE when answered (a
 * cursor that is not ours). */
static gboolean
find_cursor_start (TdmFakeWebshop    *self,
                   SoupServerMessage *msg,
                   TdmKind            kind,
                   const char        *cursor,
                   GPtrArray         *matching,
                   guint             *out_start)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  g_autofree char *cu = NULL, *ci = NULL;
  guint start = 0;

  g_assert (out_start != NULL);

  *out_start = 0;
  if (cursor == NULL || *cursor == '\0')
    return TRUE;
  if (!decode_cursor (cursor, &cu, &ci))
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_cursor", "The cursor is not valid.",
                                       res->param_cursor, NULL);
      return FALSE;
    }
  while (start < matching->len)
    {
      g_autofree char *u = _tdm_fake_webshop_record_updated_at (self, kind,
                                                                matching->pdata[start]);
      g_autofree char *id = _tdm_fake_webshop_record_id (self, kind, matching->pdata[start]);
      int cmp = g_strcmp0 (u, cu);

      if (cmp > 0 || (cmp == 0 && g_strcmp0 (id, ci) > 0))
        break;
      start++;
    }
  *out_start = start;
  return TRUE;
}

/* The index of the page's first record, in the profile's paging style.
 * FALSE when answered (a position that is not valid). */
static gboolean
find_page_start (TdmFakeWebshop    *self,
                 SoupServerMessage *msg,
                 TdmKind            kind,
                 GHashTable        *query,
                 GPtrArray         *matching,
                 guint              limit,
                 guint             *out_start)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  const char *param;
  const char *value;
  guint64 n;

  g_assert (out_start != NULL);

  *out_start = 0;
  if (self->list_mode[kind] != TDM_FAKE_LIST_NORMAL)
    return TRUE;
  if (res->paging == TDM_WEBSHOP_PAGING_CURSOR || res->paging == TDM_WEBSHOP_PAGING_LINK)
    return find_cursor_start (self, msg, kind,
                              query ? g_hash_table_lookup (query, res->param_cursor) : NULL,
                              matching, out_start);

  param = res->paging == TDM_WEBSHOP_PAGING_PAGE ? res->param_page : res->param_offset;
  value = query ? g_hash_table_lookup (query, param) : NULL;
  n = res->paging == TDM_WEBSHOP_PAGING_PAGE ? 1 : 0;
  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, n, G_MAXUINT32, &n, NULL))
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_parameter",
                                       "The page position is not valid.", param, NULL);
      return FALSE;
    }
  *out_start = res->paging == TDM_WEBSHOP_PAGING_PAGE ? (guint) ((n - 1) * limit) : (guint) n;
  return TRUE;
}

/* The cursor of the page after this one, or NULL on the last page; in
 * TDM_FAKE_LIST_REPEAT_CURSOR mode always the same one. */
static char *
next_page_cursor (TdmFakeWebshop *self,
                  TdmKind         kind,
                  GPtrArray      *matching,
                  guint           start,
                  guint           limit,
                  guint           n_items)
{
  JsonObject *last;
  g_autofree char *u = NULL;
  g_autofree char *id = NULL;

  if (self->list_mode[kind] == TDM_FAKE_LIST_REPEAT_CURSOR)
    return encode_cursor ("repeat", "0");
  if (start + limit >= matching->len || n_items == 0)
    return NULL;
  last = matching->pdata[start + limit - 1];
  u = _tdm_fake_webshop_record_updated_at (self, kind, last);
  id = _tdm_fake_webshop_record_id (self, kind, last);
  return encode_cursor (u, id);
}

/* Sends the page in the profile's envelope; the next page as a Link header
 * or as the envelope's cursor. */
static void
respond_page (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              TdmKind            kind,
              GHashTable        *query,
              JsonNode          *items_node,
              const char        *next)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  g_autoptr(JsonObject) root = NULL;

  g_assert (JSON_NODE_HOLDS_ARRAY (items_node));

  if (res->paging == TDM_WEBSHOP_PAGING_LINK && next != NULL)
    {
      g_autofree char *link = build_next_link (self, msg, query, res->param_cursor, next);
      g_autofree char *header = g_strdup_printf ("<%s>; rel=\"next\"", link);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link",
                                    header);
    }

  if (res->items_key == NULL || *res->items_key == '\0')
    {
      _tdm_fake_webshop_respond_json (msg, 200, items_node);
      return;
    }
  root = json_object_new ();
  tdm_webshop_json_set_path (root, res->items_key, json_node_ref (items_node));
  if (res->paging == TDM_WEBSHOP_PAGING_CURSOR)
    tdm_webshop_json_set_path (root, res->next_cursor_key,
                               next ? json_node_init_string (json_node_alloc (), next)
                                    : json_node_init_null (json_node_alloc ()));
  _tdm_fake_webshop_respond_object (msg, 200, root);
}

void
_tdm_fake_webshop_serve_list (TdmFakeWebshop    *self,
                              SoupServerMessage *msg,
                              TdmKind            kind,
                              GHashTable        *query)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  g_autoptr(GPtrArray) matching = NULL;
  g_autofree char *since = NULL;
  g_autofree char *next = NULL;
  g_autoptr(JsonNode) items_node = NULL;
  JsonArray *items;
  guint limit, start;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  if (!parse_limit (msg, query, res->param_limit, res->page_size, &limit)
      || !parse_since (msg, query, res->param_updated_since, &since))
    return;

  matching = select_records (self, kind, since, limit);
  if (!find_page_start (self, msg, kind, query, matching, limit, &start))
    return;

  items = json_array_new ();
  items_node = json_node_init_array (json_node_alloc (), items);
  json_array_unref (items);
  for (guint i = start; i < matching->len && i < start + limit; i++)
    json_array_add_object_element (items, _tdm_fake_webshop_object_copy (matching->pdata[i]));
  if (self->page_extra[kind] != NULL)
    json_array_add_object_element (items, _tdm_fake_webshop_object_copy (self->page_extra[kind]));

  next = next_page_cursor (self, kind, matching, start, limit, json_array_get_length (items));
  respond_page (self, msg, kind, query, items_node, next);
}

/* ---- Tombstone pages ---- */

static int
compare_tombstones (gconstpointer a,
                    gconstpointer b)
{
  const Tombstone *ta = *(Tombstone * const *) a;
  const Tombstone *tb = *(Tombstone * const *) b;
  int cmp = g_strcmp0 (ta->deleted_at, tb->deleted_at);

  return cmp != 0 ? cmp : g_strcmp0 (ta->id, tb->id);
}

void
_tdm_fake_webshop_serve_deleted (TdmFakeWebshop    *self,
                                 SoupServerMessage *msg,
                                 TdmKind            kind,
                                 GHashTable        *query)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *since = NULL;
  g_autofree char *cu = NULL, *ci = NULL;
  const char *cursor = query ? g_hash_table_lookup (query, res->param_cursor) : NULL;
  JsonArray *items = json_array_new ();
  Tombstone *last = NULL;
  guint limit, taken = 0;
  gboolean more = FALSE;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  if (!parse_limit (msg, query, res->param_limit, res->page_size, &limit)
      || !parse_since (msg, query, res->deleted_since_param, &since))
    {
      json_array_unref (items);
      return;
    }
  if (cursor != NULL && *cursor != '\0' && !decode_cursor (cursor, &cu, &ci))
    {
      json_array_unref (items);
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_cursor", "The cursor is not valid.",
                                       res->param_cursor,
                                       NULL);
      return;
    }

  /* Borrowed pointers: the copy must not free them. */
  for (guint i = 0; i < self->tombstones[kind]->len; i++)
    g_ptr_array_add (sorted, self->tombstones[kind]->pdata[i]);
  g_ptr_array_sort (sorted, compare_tombstones);
  for (guint i = 0; i < sorted->len; i++)
    {
      Tombstone *t = sorted->pdata[i];
      JsonObject *item;

      if (since != NULL && g_strcmp0 (t->deleted_at, since) < 0)
        continue;
      if (cu != NULL)
        {
          int cmp = g_strcmp0 (t->deleted_at, cu);

          if (cmp < 0 || (cmp == 0 && g_strcmp0 (t->id, ci) <= 0))
            continue;
        }
      if (taken == limit)
        {
          more = TRUE;
          break;
        }
      item = json_object_new ();
      json_object_set_string_member (item, "id", t->id);
      json_object_set_string_member (item, res->deleted_at_field, t->deleted_at);
      json_array_add_object_element (items, item);
      last = t;
      taken++;
    }

  json_object_set_array_member (root, "items", items);
  if (more && last != NULL)
    {
      g_autofree char *next = encode_cursor (last->deleted_at, last->id);

      json_object_set_string_member (root, "next_cursor", next);
    }
  else
    json_object_set_null_member (root, "next_cursor");
  _tdm_fake_webshop_respond_object (msg, 200, root);
}
