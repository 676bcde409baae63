/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop-profile"

#include "config.h"

#include "tdm-webshop-profile.h"
#include "tdm-record.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

G_DEFINE_BOXED_TYPE (TdmWebshopProfile, tdm_webshop_profile,
                     tdm_webshop_profile_ref, tdm_webshop_profile_unref)

static const char * const resource_names[TDM_N_KINDS] = { "customers", "products", "orders" };
static const char * const paging_names[] = { "cursor", "page", "offset", "link" };
static const char * const auth_names[] = { "profile", "bearer", "basic", "header" };

const char *
tdm_webshop_resource_name (TdmKind kind)
{
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);
  return resource_names[kind];
}

const char *
tdm_webshop_paging_to_string (TdmWebshopPaging paging)
{
  g_return_val_if_fail (paging <= TDM_WEBSHOP_PAGING_LINK, NULL);
  return paging_names[paging];
}

gboolean
tdm_webshop_paging_from_string (const char       *str,
                                TdmWebshopPaging *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (paging_names); i++)
    if (g_str_equal (str, paging_names[i]))
      {
        if (out)
          *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
tdm_webshop_auth_to_string (TdmWebshopAuth auth)
{
  g_return_val_if_fail (auth <= TDM_WEBSHOP_AUTH_HEADER, NULL);
  return auth_names[auth];
}

gboolean
tdm_webshop_auth_from_string (const char     *str,
                              TdmWebshopAuth *out)
{
  /* "profile" is only meaningful as a constructor argument, not in a file. */
  for (guint i = TDM_WEBSHOP_AUTH_BEARER; str != NULL && i < G_N_ELEMENTS (auth_names); i++)
    if (g_str_equal (str, auth_names[i]))
      {
        if (out)
          *out = i;
        return TRUE;
      }
  return FALSE;
}

static void
resource_init_default (TdmWebshopResource *res,
                       TdmKind             kind)
{
  res->path = g_strdup (resource_names[kind]);
  res->paging = TDM_WEBSHOP_PAGING_CURSOR;
  res->page_size = 100;
  res->param_updated_since = g_strdup ("updated_since");
  res->param_limit = g_strdup ("limit");
  res->param_cursor = g_strdup ("cursor");
  res->param_page = g_strdup ("page");
  res->param_offset = g_strdup ("offset");
  res->items_key = g_strdup ("items");
  res->next_cursor_key = g_strdup ("next_cursor");
  res->id_field = g_strdup ("id");
  res->updated_at_field = g_strdup ("updated_at");
  res->etag_field = g_strdup ("etag");
  res->shopify_id_field = g_strdup ("shopify_id");
  res->deleted_available = TRUE;
  res->deleted_path = g_strdup_printf ("%s/deleted", resource_names[kind]);
  res->deleted_since_param = g_strdup ("since");
  res->deleted_at_field = g_strdup ("deleted_at");
}

static void
resource_clear (TdmWebshopResource *res)
{
  g_free (res->path);
  g_free (res->param_updated_since);
  g_free (res->param_limit);
  g_free (res->param_cursor);
  g_free (res->param_page);
  g_free (res->param_offset);
  g_free (res->items_key);
  g_free (res->next_cursor_key);
  g_free (res->id_field);
  g_free (res->updated_at_field);
  g_free (res->etag_field);
  g_free (res->shopify_id_field);
  g_free (res->deleted_path);
  g_free (res->deleted_since_param);
  g_free (res->deleted_at_field);
}

TdmWebshopProfile *
tdm_webshop_profile_new_default (void)
{
  TdmWebshopProfile *self = g_new0 (TdmWebshopProfile, 1);

  self->ref_count = 1;
  self->name = g_strdup ("default");
  self->source = g_strdup ("built-in");
  self->auth = TDM_WEBSHOP_AUTH_BEARER;
  self->auth_header = g_strdup ("X-API-Key");
  self->requests_per_second = 10;
  self->concurrency = 4;
  for (guint k = 0; k < TDM_N_KINDS; k++)
    resource_init_default (&self->resources[k], k);
  return self;
}

TdmWebshopProfile *
tdm_webshop_profile_ref (TdmWebshopProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
tdm_webshop_profile_unref (TdmWebshopProfile *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->source);
  g_free (self->auth_header);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    resource_clear (&self->resources[k]);
  g_free (self);
}

const TdmWebshopResource *
tdm_webshop_profile_get_resource (TdmWebshopProfile *self,
                                  TdmKind            kind)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);
  return &self->resources[kind];
}

/* ---- Parsing ---- */

/* Every error names the source and the member path. */

typedef struct {
  const char *source;
  GError    **error;
} ParseCtx;

static gboolean
fail (ParseCtx   *ctx,
      const char *member,
      const char *problem)
{
  g_assert (ctx != NULL);
  g_assert (member != NULL && problem != NULL);

  g_set_error (ctx->error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
               /* TRANSLATORS: "The webshop profile “file” is not valid: the setting “a.b” must be …" */
               _("The webshop profile “%s” is not valid: the setting “%s” %s Correct the file "
                 "or choose another profile in Preferences."),
               ctx->source, member, problem);
  return FALSE;
}

static gboolean
check_members (ParseCtx           *ctx,
               JsonObject         *object,
               const char         *prefix,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert (ctx != NULL);
  g_assert (object != NULL);
  g_assert (allowed != NULL);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = NULL;

      if (g_strv_contains (allowed, name))
        continue;
      path = prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);
      return fail (ctx, path, _("is unknown (check its spelling)."));
    }
  return TRUE;
}

static gboolean
get_object (ParseCtx    *ctx,
            JsonObject  *parent,
            const char  *prefix,
            const char  *name,
            JsonObject **out)
{
  JsonNode *node = json_object_get_member (parent, name);
  g_autofree char *path = prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);

  g_assert (parent != NULL && name != NULL);
  g_assert (out != NULL);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, path, _("must be an object ({ … })."));
  *out = json_node_get_object (node);
  return TRUE;
}

/* A string member; `allow_empty` for keys where "" has a meaning. */
static gboolean
get_string (ParseCtx    *ctx,
            JsonObject  *parent,
            const char  *prefix,
            const char  *name,
            gboolean     allow_empty,
            char       **inout)
{
  JsonNode *node = json_object_get_member (parent, name);
  g_autofree char *path = g_strdup_printf ("%s.%s", prefix, name);
  const char *value;

  g_assert (parent != NULL && name != NULL);
  g_assert (inout != NULL);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (ctx, path, _("must be a text value in quotes."));
  value = json_node_get_string (node);
  if (!allow_empty && *value == '\0')
    return fail (ctx, path, _("must not be empty."));
  if (strpbrk (value, " \t\r\n?#") != NULL)
    return fail (ctx, path, _("must not contain spaces, “?” or “#”."));
  g_free (*inout);
  *inout = g_strdup (value);
  return TRUE;
}

static gboolean
get_number (ParseCtx    *ctx,
            JsonObject  *parent,
            const char  *prefix,
            const char  *name,
            double       min,
            double       max,
            gboolean     integer,
            double      *inout)
{
  JsonNode *node = json_object_get_member (parent, name);
  g_autofree char *path = g_strdup_printf ("%s.%s", prefix, name);
  g_autofree char *problem = NULL;
  double value;
  GType type;

  g_assert (parent != NULL && name != NULL);
  g_assert (inout != NULL && min <= max);

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return fail (ctx, path, _("must be a number."));
  if (integer && type != G_TYPE_INT64)
    return fail (ctx, path, _("must be a whole number."));
  value = json_node_get_double (node);
  if (value < min || value > max)
    {
      problem = g_strdup_printf (_("must be between %g and %g."), min, max);
      return fail (ctx, path, problem);
    }
  *inout = value;
  return TRUE;
}

static gboolean
get_boolean (ParseCtx    *ctx,
             JsonObject  *parent,
             const char  *prefix,
             const char  *name,
             gboolean    *inout)
{
  JsonNode *node = json_object_get_member (parent, name);
  g_autofree char *path = g_strdup_printf ("%s.%s", prefix, name);

  g_assert (parent != NULL && name != NULL);
  g_assert (inout != NULL);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (ctx, path, _("must be true or false."));
  *inout = json_node_get_boolean (node);
  return TRUE;
}

/* Every address path of a profile (a resource's `path`, `deleted.path`) is
 * relative to the base address and stays below it: no leading "/", no
 * scheme, no backslash, and no "." or ".." segment — also not spelled with
 * percent escapes ("%2e%2e"), which URL parsers decode and then remove
 * together with the segment before them. See docs/webshop-api.md
 * (Profiles). */
static gboolean
check_relative_path (ParseCtx   *ctx,
                     const char *prefix,
                     const char *name,
                     const char *value,
                     const char *example)
{
  g_autofree char *member = g_strdup_printf ("%s.%s", prefix, name);
  g_autofree char *decoded = NULL;
  g_autofree char *problem = NULL;
  g_auto(GStrv) segments = NULL;

  g_assert (prefix != NULL && name != NULL);

  if (value == NULL || *value == '\0')
    return fail (ctx, member, _("must not be empty."));
  problem = g_strdup_printf (_("must be a path below the base address, such as “%s” (not "
                               "starting with “/”, without “..”, “.”, “\\” or an address "
                               "of its own)."), example);
  decoded = g_uri_unescape_string (value, NULL);
  /* A "%00" or a broken escape cannot name a path either. */
  if (decoded == NULL || strlen (decoded) == 0 || decoded[0] == '/' || strchr (decoded, '\\'))
    return fail (ctx, member, problem);
  if (strstr (decoded, "://") != NULL)
    return fail (ctx, member, problem);
  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
      return fail (ctx, member, problem);
  return TRUE;
}

static gboolean
parse_auth (ParseCtx          *ctx,
            JsonObject        *auth,
            TdmWebshopProfile *self)
{
  static const char * const allowed[] = { "method", "header", NULL };
  g_autofree char *method = NULL;

  g_assert (auth != NULL);
  g_assert (self != NULL);

  if (!check_members (ctx, auth, "auth", allowed)
      || !get_string (ctx, auth, "auth", "method", FALSE, &method)
      || !get_string (ctx, auth, "auth", "header", FALSE, &self->auth_header))
    return FALSE;
  if (method != NULL && !tdm_webshop_auth_from_string (method, &self->auth))
    return fail (ctx, "auth.method", _("must be “bearer”, “basic” or “header”."));
  if (strchr (self->auth_header, ':') != NULL)
    return fail (ctx, "auth.header", _("must be a header name such as X-API-Key."));
  return TRUE;
}

static gboolean
parse_rate (ParseCtx          *ctx,
            JsonObject        *rate,
            TdmWebshopProfile *self)
{
  static const char * const allowed[] = { "requests_per_second", "concurrency", NULL };
  double concurrency = self->concurrency;

  g_assert (rate != NULL);
  g_assert (self != NULL);

  if (!check_members (ctx, rate, "rate_limit", allowed)
      || !get_number (ctx, rate, "rate_limit", "requests_per_second", 0, 1000, FALSE,
                      &self->requests_per_second)
      || !get_number (ctx, rate, "rate_limit", "concurrency", 1, 32, TRUE, &concurrency))
    return FALSE;
  self->concurrency = (guint) concurrency;
  return TRUE;
}

static gboolean
parse_resource (ParseCtx           *ctx,
                JsonObject         *object,
                const char         *prefix,
                TdmWebshopResource *res)
{
  static const char * const allowed[] = { "path", "paging", "page_size", "params", "items_key",
                                          "next_cursor_key", "fields", "deleted", NULL };
  static const char * const params_allowed[] = { "updated_since", "limit", "cursor", "page",
                                                 "offset", NULL };
  static const char * const fields_allowed[] = { "id", "updated_at", "etag", "shopify_id", NULL };
  static const char * const deleted_allowed[] = { "available", "path", "since_param",
                                                  "deleted_at", NULL };
  g_autofree char *paging = NULL;
  g_autofree char *params_prefix = g_strdup_printf ("%s.params", prefix);
  g_autofree char *fields_prefix = g_strdup_printf ("%s.fields", prefix);
  g_autofree char *deleted_prefix = g_strdup_printf ("%s.deleted", prefix);
  JsonObject *params, *fields, *deleted;
  double page_size = res->page_size;

  g_assert (object != NULL);
  g_assert (res != NULL);

  if (!check_members (ctx, object, prefix, allowed)
      || !get_string (ctx, object, prefix, "path", FALSE, &res->path)
      || !get_string (ctx, object, prefix, "paging", FALSE, &paging)
      || !get_number (ctx, object, prefix, "page_size", 1, 250, TRUE, &page_size)
      || !get_string (ctx, object, prefix, "items_key", TRUE, &res->items_key)
      || !get_string (ctx, object, prefix, "next_cursor_key", FALSE, &res->next_cursor_key)
      || !get_object (ctx, object, prefix, "params", &params)
      || !get_object (ctx, object, prefix, "fields", &fields)
      || !get_object (ctx, object, prefix, "deleted", &deleted))
    return FALSE;

  res->page_size = (guint) page_size;
  if (paging != NULL && !tdm_webshop_paging_from_string (paging, &res->paging))
    {
      g_autofree char *path = g_strdup_printf ("%s.paging", prefix);

      return fail (ctx, path, _("must be “cursor”, “page”, “offset” or “link”."));
    }
  if (!check_relative_path (ctx, prefix, "path", res->path, "customers"))
    return FALSE;

  if (params != NULL
      && (!check_members (ctx, params, params_prefix, params_allowed)
          || !get_string (ctx, params, params_prefix, "updated_since", FALSE,
                          &res->param_updated_since)
          || !get_string (ctx, params, params_prefix, "limit", FALSE, &res->param_limit)
          || !get_string (ctx, params, params_prefix, "cursor", FALSE, &res->param_cursor)
          || !get_string (ctx, params, params_prefix, "page", FALSE, &res->param_page)
          || !get_string (ctx, params, params_prefix, "offset", FALSE, &res->param_offset)))
    return FALSE;

  if (fields != NULL
      && (!check_members (ctx, fields, fields_prefix, fields_allowed)
          || !get_string (ctx, fields, fields_prefix, "id", FALSE, &res->id_field)
          || !get_string (ctx, fields, fields_prefix, "updated_at", FALSE, &res->updated_at_field)
          || !get_string (ctx, fields, fields_prefix, "etag", FALSE, &res->etag_field)
          || !get_string (ctx, fields, fields_prefix, "shopify_id", FALSE,
                          &res->shopify_id_field)))
    return FALSE;

  if (deleted != NULL
      && (!check_members (ctx, deleted, deleted_prefix, deleted_allowed)
          || !get_boolean (ctx, deleted, deleted_prefix, "available", &res->deleted_available)
          || !get_string (ctx, deleted, deleted_prefix, "path", FALSE, &res->deleted_path)
          || !get_string (ctx, deleted, deleted_prefix, "since_param", FALSE,
                          &res->deleted_since_param)
          || !get_string (ctx, deleted, deleted_prefix, "deleted_at", FALSE,
                          &res->deleted_at_field)))
    return FALSE;
  /* Checked even when not given: a derived default must obey the same rules. */
  if (!check_relative_path (ctx, deleted_prefix, "path", res->deleted_path, "customers/deleted"))
    return FALSE;

  return TRUE;
}

static gboolean
parse_profile (ParseCtx          *ctx,
               JsonObject        *root,
               TdmWebshopProfile *self)
{
  static const char * const allowed[] = { "version", "name", "description", "auth",
                                          "rate_limit", "resources", NULL };
  static const char * const resources_allowed[] = { "customers", "products", "orders", NULL };
  JsonObject *auth, *rate, *resources;
  double version = 1;

  g_assert (root != NULL);
  g_assert (self != NULL);

  if (!check_members (ctx, root, NULL, allowed))
    return FALSE;
  if (json_object_has_member (root, "version"))
    {
      JsonNode *node = json_object_get_member (root, "version");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return fail (ctx, "version", _("must be the number 1."));
      version = json_node_get_int (node);
      if (version != 1)
        return fail (ctx, "version", _("must be the number 1 (this version of Tandem reads "
                                       "version 1 profiles)."));
    }
  if (json_object_has_member (root, "name"))
    {
      JsonNode *node = json_object_get_member (root, "name");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || *json_node_get_string (node) == '\0')
        return fail (ctx, "name", _("must be a non-empty text value."));
      g_free (self->name);
      self->name = g_strdup (json_node_get_string (node));
    }

  if (!get_object (ctx, root, NULL, "auth", &auth)
      || !get_object (ctx, root, NULL, "rate_limit", &rate)
      || !get_object (ctx, root, NULL, "resources", &resources))
    return FALSE;
  if (auth != NULL && !parse_auth (ctx, auth, self))
    return FALSE;
  if (rate != NULL && !parse_rate (ctx, rate, self))
    return FALSE;
  if (resources == NULL)
    return TRUE;
  if (!check_members (ctx, resources, "resources", resources_allowed))
    return FALSE;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_autofree char *prefix = g_strdup_printf ("resources.%s", resource_names[k]);
      JsonObject *res;

      if (!get_object (ctx, resources, "resources", resource_names[k], &res))
        return FALSE;
      if (res != NULL && !parse_resource (ctx, res, prefix, &self->resources[k]))
        return FALSE;
    }
  return TRUE;
}

TdmWebshopProfile *
tdm_webshop_profile_new_from_data (const char  *data,
                                   gssize       length,
                                   const char  *source_name,
                                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TdmWebshopProfile) self = NULL;
  ParseCtx ctx = { source_name ? source_name : "?", error };
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  if (!tdm_json_is_single_value (data, length))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
                   _("The profile “%s” is not valid JSON: it holds more than one value."),
                   ctx.source);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib may cut a quoted token inside a UTF-8 sequence */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
                   _("The webshop profile “%s” is not valid JSON: %s. Correct the file or "
                     "choose another profile in Preferences."),
                   ctx.source, reason);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
                   _("The webshop profile “%s” is not valid: it must be a JSON object "
                     "({ … }). Correct the file or choose another profile in Preferences."),
                   ctx.source);
      return NULL;
    }

  self = tdm_webshop_profile_new_default ();
  g_free (self->source);
  self->source = g_strdup (ctx.source);
  if (!parse_profile (&ctx, json_node_get_object (root), self))
    return NULL;
  return g_steal_pointer (&self);
}

TdmWebshopProfile *
tdm_webshop_profile_new_from_file (const char  *path,
                                   GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  TdmWebshopProfile *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
                   _("The webshop profile “%s” could not be read: %s"), path,
                   local_error->message);
      return NULL;
    }
  self = tdm_webshop_profile_new_from_data (contents, length, path, error);
  if (self != NULL && g_strcmp0 (self->name, "default") == 0)
    {
      /* A file without a name is named after itself. */
      g_autofree char *base = g_path_get_basename (path);
      char *dot = strrchr (base, '.');

      if (dot != NULL)
        *dot = '\0';
      g_free (self->name);
      self->name = g_strdup (base);
    }
  return self;
}

static GPtrArray *
profile_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (dirs, g_build_filename (g_get_user_config_dir (), "tandem", "profiles", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "profiles", NULL));
  g_ptr_array_add (dirs, g_build_filename (SOURCE_DATADIR, "profiles", NULL));
  return dirs;
}

static gboolean
name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return name[0] != '.';
}

TdmWebshopProfile *
tdm_webshop_profile_lookup (const char  *name,
                            GError     **error)
{
  g_autoptr(GPtrArray) dirs = NULL;

  if (name == NULL || *name == '\0')
    name = "default";
  if (!name_is_valid (name))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
                   _("“%s” is not a valid webshop profile name. Use letters, digits, “-” "
                     "and “_” only."), name);
      return NULL;
    }

  dirs = profile_dirs ();
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.json", name);
      g_autofree char *path = g_build_filename (dirs->pdata[i], file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          TdmWebshopProfile *self = tdm_webshop_profile_new_from_file (path, error);

          if (self != NULL)
            {
              g_free (self->name);
              self->name = g_strdup (name);
            }
          return self;
        }
    }

  if (g_str_equal (name, "default"))
    return tdm_webshop_profile_new_default ();

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE,
               _("The webshop profile “%s” was not found. Put %s.json in %s, or choose "
                 "another profile in Preferences."),
               name, name, (const char *) dirs->pdata[0]);
  return NULL;
}

static int
compare_string_ptrs (gconstpointer a,
                     gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
tdm_webshop_profile_list_names (void)
{
  g_autoptr(GPtrArray) dirs = profile_dirs ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_hash_table_add (seen, g_strdup ("default"));
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs->pdata[i], 0, NULL);
      const char *entry;

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (entry, ".json"))
          {
            char *name = g_strndup (entry, strlen (entry) - 5);

            if (name_is_valid (name))
              g_hash_table_add (seen, name);
            else
              g_free (name);
          }
    }

  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (names, g_strdup (key));
  }
  g_ptr_array_sort (names, compare_string_ptrs);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
