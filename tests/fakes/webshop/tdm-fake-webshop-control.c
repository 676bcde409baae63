/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

/* The test-facing controls: the profile, credentials, the rate cap, faults,
 * list modes, page extras, ghost twins, the request hook and the request
 * log. */

/* ---- The shop's settings ---- */

void
tdm_fake_webshop_set_profile (TdmFakeWebshop    *self,
                              TdmWebshopProfile *profile)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));

  g_clear_pointer (&self->profile, tdm_webshop_profile_unref);
  self->profile = profile ? tdm_webshop_profile_ref (profile) : tdm_webshop_profile_new_default ();
}

void
tdm_fake_webshop_set_auth (TdmFakeWebshop *self,
                           TdmWebshopAuth  kind,
                           const char     *secret)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_return_if_fail (kind == TDM_WEBSHOP_AUTH_PROFILE || secret != NULL);

  self->auth = kind;
  g_free (self->secret);
  self->secret = g_strdup (secret);
}

void
tdm_fake_webshop_set_rate_limit (TdmFakeWebshop *self,
                                 guint           requests_per_second,
                                 guint           retry_after)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));

  self->rate_rps = requests_per_second;
  self->rate_retry_after = retry_after;
  g_queue_clear_full (&self->rate_times, g_free);
}

/* ---- Misbehaving on purpose ---- */

void
tdm_fake_webshop_inject_fault (TdmFakeWebshop *self,
                               guint           skip,
                               TdmFakeFault    fault,
                               guint           param,
                               guint           times)
{
  FaultSpec *spec;

  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_return_if_fail (fault != TDM_FAKE_FAULT_NONE);

  spec = g_new0 (FaultSpec, 1);
  spec->skip = skip;
  spec->fault = fault;
  spec->param = param;
  spec->times = MAX (times, 1u);
  g_queue_push_tail (&self->faults, spec);
}

void
tdm_fake_webshop_clear_faults (TdmFakeWebshop *self)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_queue_clear_full (&self->faults, g_free);
}

void
tdm_fake_webshop_set_list_mode (TdmFakeWebshop  *self,
                                TdmKind          kind,
                                TdmFakeListMode  mode)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_return_if_fail (kind < TDM_N_KINDS);

  self->list_mode[kind] = mode;
}

void
tdm_fake_webshop_set_page_extra (TdmFakeWebshop *self,
                                 TdmKind         kind,
                                 JsonObject     *item)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_return_if_fail (kind < TDM_N_KINDS);

  g_clear_pointer (&self->page_extra[kind], json_object_unref);
  if (item != NULL)
    self->page_extra[kind] = tdm_json_object_copy (item);
}

void
tdm_fake_webshop_set_ghost_twin (TdmFakeWebshop *self,
                                 TdmKind         kind,
                                 const char     *existing_id)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_return_if_fail (kind < TDM_N_KINDS);

  g_free (self->ghost_twin[kind]);
  self->ghost_twin[kind] = g_strdup (existing_id);
}

void
tdm_fake_webshop_set_request_hook (TdmFakeWebshop     *self,
                                   TdmFakeRequestHook  hook,
                                   gpointer            user_data)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));

  self->hook = hook;
  self->hook_data = user_data;
}

/* ---- The request log ---- */

GPtrArray *
tdm_fake_webshop_get_request_log (TdmFakeWebshop *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  return self->log;
}

void
tdm_fake_webshop_clear_log (TdmFakeWebshop *self)
{
  g_return_if_fail (TDM_IS_FAKE_WEBSHOP (self));
  g_ptr_array_set_size (self->log, 0);
  self->max_in_flight = self->in_flight;
}

gboolean
tdm_fake_webshop_write_log (TdmFakeWebshop  *self,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);

  for (guint i = 0; i < self->log->len; i++)
    {
      TdmFakeRequest *r = self->log->pdata[i];
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, r->method);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, r->path);
      json_builder_set_member_name (b, "query");
      json_builder_add_string_value (b, r->query);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, r->status);
      json_builder_set_member_name (b, "fault");
      json_builder_add_string_value (b, tdm_fake_fault_to_string (r->fault));
      json_builder_set_member_name (b, "idempotency_key");
      json_builder_add_string_value (b, r->idempotency_key);
      json_builder_set_member_name (b, "if_match");
      json_builder_add_string_value (b, r->if_match);
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, r->body);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      line = json_to_string (node, FALSE);
      g_string_append_printf (out, "%s\n", line);
    }
  return g_file_set_contents (path, out->str, out->len, error);
}

guint
tdm_fake_webshop_get_max_in_flight (TdmFakeWebshop *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), 0);
  return self->max_in_flight;
}
