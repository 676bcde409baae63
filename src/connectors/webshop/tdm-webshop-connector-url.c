/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* Addresses of the Webshop Sync API, and the checks that keep every request
 * on the configured site and below its base path (docs/webshop-api.md,
 * Endpoints and Profiles). */

/* ---- Building addresses ---- */

char *
_tdm_webshop_connector_resource_url (TdmWebshopConnector *self,
                                     const char          *path,
                                     const char          *id)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (path != NULL);

  if (id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

      return g_strdup_printf ("%s/%s/%s", self->base_url, path, escaped);
    }
  return g_strdup_printf ("%s/%s", self->base_url, path);
}

void
_tdm_webshop_connector_append_param (GString    *url,
                                     const char *name,
                                     const char *value)
{
  g_autofree char *n = NULL;
  g_autofree char *v = NULL;

  g_assert (url != NULL);
  g_assert (name != NULL);
  g_assert (value != NULL);

  n = g_uri_escape_string (name, NULL, FALSE);
  v = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?', n, v);
}

/* ---- Record ids in a path ---- */

/* Can this id be put in a path segment? Escaping keeps "/", "?", "#" and
 * "%" inside the segment, but "." and ".." stay dot segments, which URL
 * parsers remove together with the segment before them ("PUT /customers/..
 * " becomes "PUT /"): such a record cannot be addressed, so it is refused.
 * See docs/webshop-api.md (Endpoints). */
gboolean
_tdm_webshop_connector_id_is_addressable (const char *id)
{
  return id != NULL && *id != '\0' && g_strcmp0 (id, ".") != 0 && g_strcmp0 (id, "..") != 0;
}

char *
_tdm_webshop_connector_unaddressable_message (TdmKind     kind,
                                              const char *id,
                                              const char *id_field)
{
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (id_field != NULL);

  return g_strdup_printf (_("The webshop %s with id “%s” cannot be synced: “%s” cannot be used "
                            "in a web address, so Tandem could not read or change exactly this "
                            "record. Give it another id (field “%s”) in the webshop."),
                          tdm_kind_display_name (kind), id ? id : "", id ? id : "", id_field);
}

/* Refuses a request for a record whose id cannot be addressed: a record
 * error naming the id field, and a VALIDATION error. */
gboolean
_tdm_webshop_connector_check_addressable (TdmWebshopConnector  *self,
                                          TdmKind               kind,
                                          const char           *id,
                                          GTask                *task,
                                          GError              **error)
{
  const TdmWebshopResource *res;
  g_autofree char *message = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (G_IS_TASK (task));

  if (_tdm_webshop_connector_id_is_addressable (id))
    return TRUE;
  res = tdm_webshop_profile_get_resource (self->profile, kind);
  message = _tdm_webshop_connector_unaddressable_message (kind, id, res->id_field);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                      tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id,
                                                            res->id_field, message));
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, message);
  return FALSE;
}

/* ---- Staying on the configured site ---- */

/* A next-page link must stay on the configured site: credentials go with it. */
gboolean
_tdm_webshop_connector_same_origin (TdmWebshopConnector  *self,
                                    const char           *url,
                                    GError              **error)
{
  g_autoptr(GUri) uri = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (url != NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL
      && g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (self->base_uri)) == 0
      && g_ascii_strcasecmp (g_uri_get_host (uri) ? g_uri_get_host (uri) : "",
                             g_uri_get_host (self->base_uri)) == 0
      && g_uri_get_port (uri) == g_uri_get_port (self->base_uri))
    return TRUE;

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("The webshop pointed to another site (%s) for the next page. Tandem does not "
                 "send your credentials there; check the webshop's paging settings."),
               uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
  return FALSE;
}

/* Every request stays on the configured site and below its base path, as
 * libsoup will send it (after it decoded "%2e" and removed dot segments):
 * a profile path or a record id can never address anything else there.
 * See docs/webshop-api.md (Profiles). */
gboolean
_tdm_webshop_connector_below_base (TdmWebshopConnector  *self,
                                   const char           *url,
                                   GError              **error)
{
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *base_path;
  const char *path;
  gsize len;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (url != NULL);

  if (!_tdm_webshop_connector_same_origin (self, url, error))
    return FALSE;
  base = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  base_path = base ? g_uri_get_path (base) : "";
  path = uri ? g_uri_get_path (uri) : "";
  len = strlen (base_path);
  while (len > 0 && base_path[len - 1] == '/')
    len--;
  if (base != NULL && uri != NULL && strncmp (path, base_path, len) == 0
      && (path[len] == '\0' || path[len] == '/'))
    return TRUE;
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
               _("Tandem refused to send a request to %s: it is outside the webshop address "
                 "%s. Check the paths in the webshop profile."), path, self->base_url);
  return FALSE;
}
