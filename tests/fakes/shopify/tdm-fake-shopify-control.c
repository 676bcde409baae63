/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

/* What tests, benchmarks and the sandbox set and read: credentials and
 * denied scopes, the records (seeded, edited and deleted as a merchant
 * would), the bucket, bulk polls, faults and the totals. */

/* ---- Credentials and scopes ---- */

static void
replace_string (char       **slot,
                const char  *value)
{
  g_assert (slot != NULL);

  if (value == NULL)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

void
tdm_fake_shopify_set_credentials (TdmFakeShopify *self,
                                  const char     *client_id,
                                  const char     *client_secret,
                                  const char     *access_token)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  replace_string (&self->client_id, client_id);
  replace_string (&self->client_secret, client_secret);
  replace_string (&self->static_token, access_token);
}

void
tdm_fake_shopify_set_token_lifetime (TdmFakeShopify *self,
                                     guint           seconds)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->token_lifetime = seconds;
}

void
tdm_fake_shopify_expire_tokens (TdmFakeShopify *self)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  g_hash_table_remove_all (self->tokens);
}

guint
tdm_fake_shopify_get_tokens_issued (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->tokens_issued;
}

void
tdm_fake_shopify_deny_operation (TdmFakeShopify *self,
                                 const char     *operation,
                                 const char     *scope)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));
  g_return_if_fail (operation != NULL);

  if (scope == NULL)
    g_hash_table_remove (self->denied, operation);
  else
    g_hash_table_replace (self->denied, g_strdup (operation), g_strdup (scope));
}

void
tdm_fake_shopify_set_development_store (TdmFakeShopify *self,
                                        gboolean        development)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->development = development;
}

void
tdm_fake_shopify_set_deny_status (TdmFakeShopify *self,
                                  guint           status)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->deny_status = status == 403 ? 403 : 200;
}

/* ---- Records ---- */

char *
tdm_fake_shopify_seed (TdmFakeShopify *self,
                       TdmKind         kind,
                       JsonObject     *node)
{
  JsonObject *stored;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (node != NULL, NULL);

  stored = _tdm_fake_shopify_insert_node (self, kind, _tdm_fake_shopify_copy_obj (node));
  _tdm_fake_shopify_index_settle (self);
  return g_strdup (get_str (stored, "id"));
}

JsonArray *
tdm_fake_shopify_get_records (TdmFakeShopify *self,
                              TdmKind         kind)
{
  JsonArray *out;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  out = json_array_new ();
  for (guint i = 0; i < self->records[kind]->len; i++)
    json_array_add_object_element (out, _tdm_fake_shopify_copy_obj (self->records[kind]->pdata[i]));
  return out;
}

JsonObject *
tdm_fake_shopify_get_record (TdmFakeShopify *self,
                             TdmKind         kind,
                             const char     *id)
{
  JsonObject *node;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  node = _tdm_fake_shopify_find_by_id (self, kind, id);
  return node ? _tdm_fake_shopify_copy_obj (node) : NULL;
}

guint
tdm_fake_shopify_count (TdmFakeShopify *self,
                        TdmKind         kind)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);
  g_return_val_if_fail (kind < TDM_N_KINDS, 0);

  return self->records[kind]->len;
}

gboolean
tdm_fake_shopify_edit (TdmFakeShopify *self,
                       TdmKind         kind,
                       const char     *id,
                       JsonObject     *changes,
                       const char     *updated_at)
{
  JsonObject *node;
  GList *members;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  node = _tdm_fake_shopify_find_by_id (self, kind, id);
  if (node == NULL)
    return FALSE;
  members = changes ? json_object_get_members (changes) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (node, l->data,
                            tdm_json_node_copy_deep (json_object_get_member (changes, l->data)));
  g_list_free (members);
  if (updated_at != NULL)
    json_object_set_string_member (node, "updatedAt", updated_at);
  else
    _tdm_fake_shopify_touch (node);
  _tdm_fake_shopify_index_settle (self);
  return TRUE;
}

/* The BasicEvent a product's deletion leaves (served by ProductDestroyEvents). */
static void
record_destroy_event (TdmFakeShopify *self,
                      const char     *id)
{
  JsonObject *event = json_object_new ();
  g_autofree char *gid = _tdm_fake_shopify_new_gid (self, "BasicEvent", NULL);
  g_autofree char *stamp = _tdm_fake_shopify_now_stamp ();

  json_object_set_string_member (event, "id", gid);
  json_object_set_string_member (event, "action", "destroy");
  json_object_set_string_member (event, "createdAt", stamp);
  json_object_set_string_member (event, "subjectId", id);
  json_object_set_string_member (event, "subjectType", "PRODUCT");
  g_ptr_array_add (self->events, event);
}

gboolean
tdm_fake_shopify_delete (TdmFakeShopify *self,
                         TdmKind         kind,
                         const char     *id)
{
  JsonObject *node;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  node = _tdm_fake_shopify_find_by_id (self, kind, id);
  if (node == NULL)
    return FALSE;
  if (kind == TDM_KIND_PRODUCT)
    record_destroy_event (self, id);
  _tdm_fake_shopify_remove_node (self, kind, node);
  return TRUE;
}

/* ---- Bucket and bulk ---- */

void
tdm_fake_shopify_set_bucket (TdmFakeShopify *self,
                             double          size,
                             double          restore_rate)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->bucket_size = size;
  self->restore_rate = restore_rate;
  self->available = size;
  self->bucket_at = g_get_monotonic_time ();
}

void
tdm_fake_shopify_set_available (TdmFakeShopify *self,
                                double          points)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  _tdm_fake_shopify_bucket_now (self);
  self->available = CLAMP (points, 0, self->bucket_size);
}

void
tdm_fake_shopify_set_clock_offset (TdmFakeShopify *self,
                                   gint64          seconds)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  _tdm_fake_shopify_set_clock_offset (seconds);
}

void
tdm_fake_shopify_set_time_scale (TdmFakeShopify *self,
                                 double          scale)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  _tdm_fake_shopify_bucket_now (self);
  self->time_scale = scale > 0 ? scale : 1;
}

void
tdm_fake_shopify_set_throttle_status (TdmFakeShopify *self,
                                      guint           status)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->throttle_status = status == 429 ? 429 : 200;
}

void
tdm_fake_shopify_set_bulk_polls (TdmFakeShopify *self,
                                 guint           polls)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->bulk_polls = MAX (polls, 1);
}

/* ---- Faults ---- */

void
tdm_fake_shopify_inject_fault (TdmFakeShopify      *self,
                               guint                n,
                               TdmFakeShopifyFault  fault)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  g_hash_table_replace (self->faults, GSIZE_TO_POINTER (self->request_total + MAX (n, 1)),
                        GINT_TO_POINTER (fault));
}

void
tdm_fake_shopify_set_fault_delay (TdmFakeShopify *self,
                                  guint           milliseconds)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->fault_delay_ms = milliseconds;
}

/* ---- Totals ---- */

guint
tdm_fake_shopify_get_throttled_count (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->throttled;
}

double
tdm_fake_shopify_get_requested_cost (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->requested_total;
}

double
tdm_fake_shopify_get_actual_cost (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->actual_total;
}

guint64
tdm_fake_shopify_get_request_total (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->request_total;
}

void
tdm_fake_shopify_reset_counters (TdmFakeShopify *self)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->throttled = 0;
  self->requested_total = 0;
  self->actual_total = 0;
}
