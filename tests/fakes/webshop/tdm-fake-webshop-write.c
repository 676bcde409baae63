/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* Writes: create with Idempotency-Key replay, update and delete with
 * If-Match, each checked the way a real shop would (docs/webshop-api.md,
 * Creating records: idempotency; Updating records: ETags; Deletes and
 * tombstones). */

/* ---- Checks ---- */

static void
strip_server_fields (TdmFakeWebshop *self,
                     TdmKind         kind,
                     JsonObject     *record)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);

  tdm_webshop_json_remove_path (record, res->id_field);
  tdm_webshop_json_remove_path (record, res->updated_at_field);
  tdm_webshop_json_remove_path (record, res->etag_field);
  json_object_remove_member (record, "created_at");
}

static gboolean
check_record (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              TdmKind            kind,
              JsonObject        *record,
              const char        *self_id)
{
  FakeProblem p = { NULL, NULL };
  const char *field = NULL;
  g_autofree char *existing = NULL;

  if (!_tdm_fake_webshop_validate_record (kind, record, &p))
    {
      _tdm_fake_webshop_respond_error (msg, 422, "invalid", p.message, p.field, NULL);
      g_free (p.field);
      g_free (p.message);
      return FALSE;
    }
  existing = _tdm_fake_webshop_find_duplicate (self, kind, record, self_id, &field);
  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf ("Another %s already has this %s.",
                                                  tdm_kind_to_string (kind), field);

      _tdm_fake_webshop_respond_error (msg, 409, "duplicate", message, field, existing);
      return FALSE;
    }
  return TRUE;
}

/* Strip quotes and a weak prefix from an entity tag. */
static char *
bare_etag (const char *value)
{
  g_autofree char *copy = NULL;
  char *v;
  gsize len;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  v = copy;
  if (g_str_has_prefix (v, "W/"))
    v += 2;
  len = strlen (v);
  if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
    return g_strndup (v + 1, len - 2);
  return g_strdup (v);
}

static gboolean
check_if_match (TdmFakeWebshop    *self,
                SoupServerMessage *msg,
                TdmKind            kind,
                JsonObject        *current)
{
  const char *if_match = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "If-Match");
  g_autofree char *wanted = bare_etag (if_match);
  g_autofree char *have = tdm_webshop_json_dup_string (current, _tdm_fake_webshop_resource (self,
                                                       kind)->etag_field);

  if (wanted == NULL || g_str_equal (wanted, "*") || g_strcmp0 (wanted, have) == 0)
    return TRUE;
  _tdm_fake_webshop_respond_error (msg, 412, "precondition_failed",
                                   "The record was changed since it was read.", NULL, NULL);
  return FALSE;
}

/* ---- Create ---- */

void
_tdm_fake_webshop_serve_create (TdmFakeWebshop    *self,
                                SoupServerMessage *msg,
                                TdmKind            kind)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(JsonObject) record = _tdm_fake_webshop_parse_body (msg);
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = _tdm_fake_webshop_timestamp (now);

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);

  if (record == NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_json", "The body must be a JSON object.",
                                       NULL, NULL);
      return;
    }
  body_node = json_node_init_object (json_node_alloc (), record);
  canonical = _tdm_fake_webshop_canonical_string (body_node);

  if (key != NULL)
    {
      IdempotentResult *previous = g_hash_table_lookup (self->idempotency, key);

      if (previous != NULL)
        {
          if (previous->kind != kind || g_strcmp0 (previous->body_canonical, canonical) != 0)
            {
              _tdm_fake_webshop_respond_error (msg, 422, "idempotency_key_reused",
                                               "This Idempotency-Key was already used with a "
                                               "different body.",
                                               NULL, NULL);
              return;
            }
          _tdm_fake_webshop_respond_text (msg, previous->status, "application/json",
                                          g_strdup (previous->response));
          return;
        }
    }

  strip_server_fields (self, kind, record);
  if (self->ghost_twin[kind] != NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 409, "duplicate",
                                       "Another record already has this value.", NULL,
                                       self->ghost_twin[kind]);
      return;
    }
  if (!check_record (self, msg, kind, record, NULL))
    return;

  id = _tdm_fake_webshop_new_id (self, kind);
  _tdm_fake_webshop_set_string (record, res->id_field, id);
  json_object_set_string_member (record, "created_at", created);
  if (kind == TDM_KIND_ORDER && !json_object_has_member (record, "number"))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_order_number++);

      json_object_set_string_member (record, "number", number);
    }
  _tdm_fake_webshop_stamp_write (self, kind, record, NULL);
  _tdm_fake_webshop_put_record (self, kind, id, json_object_ref (record));

  _tdm_fake_webshop_respond_record (self, msg, kind, 201, record);
  if (key != NULL)
    {
      IdempotentResult *result = g_new0 (IdempotentResult, 1);
      g_autoptr(JsonNode) stored = json_node_init_object (json_node_alloc (), record);

      result->kind = kind;
      result->body_canonical = g_steal_pointer (&canonical);
      result->status = 201;
      result->response = json_to_string (stored, FALSE);
      g_hash_table_insert (self->idempotency, g_strdup (key), result);
    }
}

/* ---- Update and delete ---- */

void
_tdm_fake_webshop_serve_update (TdmFakeWebshop    *self,
                                SoupServerMessage *msg,
                                TdmKind            kind,
                                const char        *id)
{
  const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, kind);
  JsonObject *current = g_hash_table_lookup (self->records[kind], id);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *previous = NULL;
  const char *created;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (id != NULL);

  if (current == NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      return;
    }
  if (!check_if_match (self, msg, kind, current))
    return;
  record = _tdm_fake_webshop_parse_body (msg);
  if (record == NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 400, "invalid_json", "The body must be a JSON object.",
                                       NULL, NULL);
      return;
    }
  strip_server_fields (self, kind, record);
  if (!check_record (self, msg, kind, record, id))
    return;

  previous = _tdm_fake_webshop_record_updated_at (self, kind, current);
  created = _tdm_fake_webshop_get_string (current, "created_at");
  _tdm_fake_webshop_set_string (record, res->id_field, id);
  if (created != NULL)
    json_object_set_string_member (record, "created_at", created);
  if (kind == TDM_KIND_ORDER && !json_object_has_member (record, "number")
      && json_object_has_member (current, "number"))
    json_object_set_member (record, "number",
                            json_node_copy (json_object_get_member (current, "number")));
  _tdm_fake_webshop_stamp_write (self, kind, record, previous);
  _tdm_fake_webshop_put_record (self, kind, id, json_object_ref (record));
  _tdm_fake_webshop_respond_record (self, msg, kind, 200, record);
}

void
_tdm_fake_webshop_serve_delete (TdmFakeWebshop    *self,
                                SoupServerMessage *msg,
                                TdmKind            kind,
                                const char        *id)
{
  JsonObject *current = g_hash_table_lookup (self->records[kind], id);

  g_assert (TDM_IS_FAKE_WEBSHOP (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (id != NULL);

  if (current == NULL)
    {
      _tdm_fake_webshop_respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      return;
    }
  if (!check_if_match (self, msg, kind, current))
    return;
  _tdm_fake_webshop_remove_record (self, kind, id);
  _tdm_fake_webshop_add_tombstone (self, kind, id);
  _tdm_fake_webshop_respond_text (msg, 204, NULL, NULL);
}
