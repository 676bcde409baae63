/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-profile"

#include "config.h"

#include <string.h>

#include "tdm-http.h"
#include "tdm-record.h"
#include "tdm-webshop-json.h"
#include "tdm-webshop-profile.h"

static char *
shipped_profile_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.json", name);

  return g_build_filename (SOURCE_DATADIR, "profiles", file, NULL);
}

static void
assert_resources_equal (const TdmWebshopResource *a,
                        const TdmWebshopResource *b)
{
  g_assert_cmpstr (a->path, ==, b->path);
  g_assert_cmpint (a->paging, ==, b->paging);
  g_assert_cmpuint (a->page_size, ==, b->page_size);
  g_assert_cmpstr (a->param_updated_since, ==, b->param_updated_since);
  g_assert_cmpstr (a->param_limit, ==, b->param_limit);
  g_assert_cmpstr (a->param_cursor, ==, b->param_cursor);
  g_assert_cmpstr (a->items_key, ==, b->items_key);
  g_assert_cmpstr (a->next_cursor_key, ==, b->next_cursor_key);
  g_assert_cmpstr (a->id_field, ==, b->id_field);
  g_assert_cmpstr (a->updated_at_field, ==, b->updated_at_field);
  g_assert_cmpstr (a->etag_field, ==, b->etag_field);
  g_assert_cmpstr (a->shopify_id_field, ==, b->shopify_id_field);
  g_assert_cmpint (a->deleted_available, ==, b->deleted_available);
  g_assert_cmpstr (a->deleted_path, ==, b->deleted_path);
  g_assert_cmpstr (a->deleted_since_param, ==, b->deleted_since_param);
  g_assert_cmpstr (a->deleted_at_field, ==, b->deleted_at_field);
}

static void
test_default_is_contract (void)
{
  g_autoptr(TdmWebshopProfile) builtin = tdm_webshop_profile_new_default ();
  g_autofree char *path = shipped_profile_path ("default");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) file = tdm_webshop_profile_new_from_file (path, &error);
  const TdmWebshopResource *customers;

  g_assert_no_error (error);
  g_assert_cmpstr (file->name, ==, "default");
  g_assert_cmpint (file->auth, ==, TDM_WEBSHOP_AUTH_BEARER);
  g_assert_cmpint (builtin->auth, ==, TDM_WEBSHOP_AUTH_BEARER);
  g_assert_cmpfloat (file->requests_per_second, ==, builtin->requests_per_second);
  g_assert_cmpuint (file->concurrency, ==, builtin->concurrency);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    assert_resources_equal (&file->resources[k], &builtin->resources[k]);

  /* The contract, spelled out. */
  customers = tdm_webshop_profile_get_resource (builtin, TDM_KIND_CUSTOMER);
  g_assert_cmpstr (customers->path, ==, "customers");
  g_assert_cmpint (customers->paging, ==, TDM_WEBSHOP_PAGING_CURSOR);
  g_assert_cmpstr (customers->param_updated_since, ==, "updated_since");
  g_assert_cmpstr (customers->param_limit, ==, "limit");
  g_assert_cmpstr (customers->param_cursor, ==, "cursor");
  g_assert_cmpstr (customers->items_key, ==, "items");
  g_assert_cmpstr (customers->next_cursor_key, ==, "next_cursor");
  g_assert_cmpuint (customers->page_size, ==, 100);
  g_assert_true (customers->deleted_available);
  g_assert_cmpstr (customers->deleted_path, ==, "customers/deleted");
  g_assert_cmpstr (customers->deleted_since_param, ==, "since");
  g_assert_cmpstr (tdm_webshop_profile_get_resource (builtin, TDM_KIND_ORDER)->path, ==, "orders");
}

static void
test_shipped_profiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) page = tdm_webshop_profile_lookup ("page-apikey", &error);
  g_autoptr(TdmWebshopProfile) link = NULL;
  const TdmWebshopResource *res;

  g_assert_no_error (error);
  g_assert_cmpstr (page->name, ==, "page-apikey");
  g_assert_cmpint (page->auth, ==, TDM_WEBSHOP_AUTH_HEADER);
  g_assert_cmpstr (page->auth_header, ==, "X-API-Key");
  res = tdm_webshop_profile_get_resource (page, TDM_KIND_PRODUCT);
  g_assert_cmpint (res->paging, ==, TDM_WEBSHOP_PAGING_PAGE);
  g_assert_cmpstr (res->items_key, ==, "data");
  g_assert_cmpstr (res->param_updated_since, ==, "modified_after");
  g_assert_cmpstr (res->param_limit, ==, "per_page");
  g_assert_false (res->deleted_available);

  link = tdm_webshop_profile_lookup ("link-basic", &error);
  g_assert_no_error (error);
  g_assert_cmpint (link->auth, ==, TDM_WEBSHOP_AUTH_BASIC);
  res = tdm_webshop_profile_get_resource (link, TDM_KIND_ORDER);
  g_assert_cmpint (res->paging, ==, TDM_WEBSHOP_PAGING_LINK);
  g_assert_cmpstr (res->items_key, ==, "");
  g_assert_cmpfloat (link->requests_per_second, ==, 4);
  g_assert_cmpuint (link->concurrency, ==, 2);
}

static void
test_lookup_order (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "tandem", "profiles", NULL);
  g_autofree char *path = g_build_filename (dir, "page-apikey.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) profile = NULL;
  g_autoptr(TdmWebshopProfile) builtin = NULL;
  g_auto(GStrv) names = NULL;

  /* Nothing in the user's dir: the shipped file. */
  profile = tdm_webshop_profile_lookup ("page-apikey", &error);
  g_assert_no_error (error);
  /* (An installed copy, when there is one, comes before the source tree.) */
  g_assert_true (g_str_has_prefix (profile->source, SOURCE_DATADIR)
                 || g_str_has_prefix (profile->source, PKGDATADIR));
  g_clear_pointer (&profile, tdm_webshop_profile_unref);

  /* The user's own file wins. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"rate_limit\": "
                                      "{\"requests_per_second\": 1.5}}", -1, NULL));
  profile = tdm_webshop_profile_lookup ("page-apikey", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->source, ==, path);
  g_assert_cmpfloat (profile->requests_per_second, ==, 1.5);
  g_assert_cmpstr (profile->name, ==, "page-apikey");
  g_clear_pointer (&profile, tdm_webshop_profile_unref);

  names = tdm_webshop_profile_list_names ();
  g_assert_true (g_strv_contains ((const char * const *) names, "default"));
  g_assert_true (g_strv_contains ((const char * const *) names, "link-basic"));
  g_assert_true (g_strv_contains ((const char * const *) names, "page-apikey"));

  builtin = tdm_webshop_profile_lookup (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (builtin->name, ==, "default");

  profile = tdm_webshop_profile_lookup ("no-such-profile", &error);
  g_assert_null (profile);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "no-such-profile"));
  g_clear_error (&error);

  profile = tdm_webshop_profile_lookup ("../../etc/passwd", &error);
  g_assert_null (profile);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE);
}

typedef struct {
  const char *json;
  const char *field;   /* expected in the message */
  const char *problem; /* also expected, when set */
} BadProfile;

#define BELOW "must be a path below the base address"

static void
test_validation_errors (void)
{
  static const BadProfile cases[] = {
    { "{\"pagin\": 1}", "“pagin”" },
    { "{\"version\": 2}", "“version”" },
    { "{\"auth\": {\"method\": \"oauth\"}}", "“auth.method”" },
    { "{\"auth\": {\"header\": \"X-Key: 1\"}}", "“auth.header”" },
    { "{\"auth\": \"bearer\"}", "“auth”" },
    { "{\"rate_limit\": {\"requests_per_second\": -1}}", "“rate_limit.requests_per_second”" },
    { "{\"rate_limit\": {\"concurrency\": 0}}", "“rate_limit.concurrency”" },
    { "{\"rate_limit\": {\"concurrency\": 2.5}}", "“rate_limit.concurrency”" },
    { "{\"resources\": {\"clients\": {}}}", "“resources.clients”" },
    { "{\"resources\": {\"customers\": {\"paging\": \"pages\"}}}", "“resources.customers.paging”" },
    { "{\"resources\": {\"orders\": {\"page_size\": 500}}}", "“resources.orders.page_size”" },
    { "{\"resources\": {\"orders\": {\"page_size\": \"50\"}}}", "“resources.orders.page_size”" },
    { "{\"resources\": {\"products\": {\"path\": \"/abs\"}}}", "“resources.products.path”", BELOW },
    { "{\"resources\": {\"products\": {\"path\": \"a b\"}}}", "“resources.products.path”" },
    { "{\"resources\": {\"products\": {\"fields\": {\"id\": \"\"}}}}", "“resources.products.fields.id”" },
    { "{\"resources\": {\"products\": {\"fields\": {\"sku\": \"x\"}}}}", "“resources.products.fields.sku”" },
    { "{\"resources\": {\"products\": {\"params\": {\"limit\": 5}}}}", "“resources.products.params.limit”" },
    { "{\"resources\": {\"customers\": {\"deleted\": {\"available\": \"yes\"}}}}",
      "“resources.customers.deleted.available”" },
    /* Every path obeys the rules of `path` (issue 13, item 7). */
    { "{\"resources\": {\"customers\": {\"deleted\": {\"path\": \"../../../admin/purge\"}}}}",
      "“resources.customers.deleted.path”", BELOW },
    { "{\"resources\": {\"customers\": {\"deleted\": {\"path\": \"/admin/purge\"}}}}",
      "“resources.customers.deleted.path”", BELOW },
    { "{\"resources\": {\"customers\": {\"deleted\": {\"path\": \"https://evil.example/x\"}}}}",
      "“resources.customers.deleted.path”", BELOW },
    { "{\"resources\": {\"orders\": {\"deleted\": {\"path\": \"orders/%2e%2e/%2E%2E/admin\"}}}}",
      "“resources.orders.deleted.path”", BELOW },
    { "{\"resources\": {\"orders\": {\"deleted\": {\"path\": \"orders\\\\..\\\\admin\"}}}}",
      "“resources.orders.deleted.path”", BELOW },
    { "{\"resources\": {\"products\": {\"path\": \"%2e%2e/admin\"}}}", "“resources.products.path”", BELOW },
    { "{\"resources\": {\"products\": {\"path\": \"products/.\"}}}", "“resources.products.path”", BELOW },
    { "{\"resources\": {\"products\": {\"path\": \"%2fadmin\"}}}", "“resources.products.path”", BELOW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmWebshopProfile) profile =
        tdm_webshop_profile_new_from_data (cases[i].json, -1, "/home/kari/shop.json", &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (profile);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE);
      g_assert_nonnull (strstr (error->message, "/home/kari/shop.json"));
      if (strstr (error->message, cases[i].field) == NULL)
        g_error ("“%s” not named in: %s", cases[i].field, error->message);
      if (cases[i].problem != NULL && strstr (error->message, cases[i].problem) == NULL)
        g_error ("“%s” not said in: %s", cases[i].problem, error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TdmWebshopProfile) profile =
      tdm_webshop_profile_new_from_data ("{ not json", -1, "broken.json", &error);

    g_assert_null (profile);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE);
    g_assert_nonnull (strstr (error->message, "broken.json"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TdmWebshopProfile) profile =
      tdm_webshop_profile_new_from_data ("[1, 2]", -1, "list.json", &error);

    g_assert_null (profile);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_PROFILE);
  }
}

static void
test_partial_profile_keeps_defaults (void)
{
  const char *json = "{\"resources\": {\"customers\": {\"path\": \"api/clients\", "
                     "\"fields\": {\"id\": \"meta.uuid\"}}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_from_data (json, -1, "p", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (profile->resources[TDM_KIND_CUSTOMER].path, ==, "api/clients");
  g_assert_cmpstr (profile->resources[TDM_KIND_CUSTOMER].id_field, ==, "meta.uuid");
  g_assert_cmpstr (profile->resources[TDM_KIND_CUSTOMER].updated_at_field, ==, "updated_at");
  g_assert_cmpstr (profile->resources[TDM_KIND_PRODUCT].path, ==, "products");
  g_assert_cmpint (profile->auth, ==, TDM_WEBSHOP_AUTH_BEARER);
}

/* ---- Pure JSON helpers ---- */

static void
test_link_header (void)
{
  struct { const char *header; const char *next; } cases[] = {
    { "<https://s.example/c?page=2>; rel=\"next\"", "https://s.example/c?page=2" },
    { "<https://s.example/c?page=1>; rel=\"prev\", <https://s.example/c?page=3>; rel=\"next\"",
      "https://s.example/c?page=3" },
    { "</c?cursor=a,b>; rel=\"next last\"; title=\"x, y\"", "/c?cursor=a,b" },
    { "<https://s.example/c?page=9>; rel=last", NULL },
    { "<https://s.example/c?page=2>; REL=next", "https://s.example/c?page=2" },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *next = tdm_webshop_parse_link_next (cases[i].header);

      g_assert_cmpstr (next, ==, cases[i].next);
    }
}

static void
test_parse_list (void)
{
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_default ();
  TdmWebshopResource res = profile->resources[TDM_KIND_CUSTOMER];
  const char *body = "{\"items\": [{\"id\": \"1\"}, {\"id\": 2}], \"next_cursor\": \"abc\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tdm_webshop_parse_list (bytes, &res, &items, &cursor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (cursor, ==, "abc");
  {
    g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[1], "id");

    g_assert_cmpstr (id, ==, "2");
  }
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&cursor, g_free);

  {
    const char *last = "{\"items\": [], \"next_cursor\": null}";
    g_autoptr(GBytes) b = g_bytes_new_static (last, strlen (last));

    g_assert_true (tdm_webshop_parse_list (b, &res, &items, &cursor, &error));
    g_assert_cmpuint (items->len, ==, 0);
    g_assert_null (cursor);
    g_clear_pointer (&items, g_ptr_array_unref);
  }
  {
    const char *bare = "[{\"id\": \"1\"}]";
    g_autoptr(GBytes) b = g_bytes_new_static (bare, strlen (bare));

    res.items_key = (char *) "";
    g_assert_true (tdm_webshop_parse_list (b, &res, &items, NULL, &error));
    g_assert_cmpuint (items->len, ==, 1);
    g_clear_pointer (&items, g_ptr_array_unref);
  }
  {
    const char *nested = "{\"result\": {\"data\": [{\"id\": \"1\"}]}}";
    g_autoptr(GBytes) b = g_bytes_new_static (nested, strlen (nested));

    res.items_key = (char *) "result.data";
    g_assert_true (tdm_webshop_parse_list (b, &res, &items, NULL, &error));
    g_assert_cmpuint (items->len, ==, 1);
    g_clear_pointer (&items, g_ptr_array_unref);
  }
  {
    const char *wrong = "{\"customers\": []}";
    g_autoptr(GBytes) b = g_bytes_new_static (wrong, strlen (wrong));

    res.items_key = (char *) "items";
    g_assert_false (tdm_webshop_parse_list (b, &res, &items, NULL, &error));
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
    g_clear_error (&error);
  }
  {
    const char *broken = "{\"items\": [";
    g_autoptr(GBytes) b = g_bytes_new_static (broken, strlen (broken));

    g_assert_false (tdm_webshop_parse_list (b, &res, &items, NULL, &error));
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
    g_clear_error (&error);
  }
  {
    const char *html = "<html>Welcome</html>";
    g_autoptr(GBytes) b = g_bytes_new_static (html, strlen (html));

    g_assert_false (tdm_webshop_parse_list (b, &res, &items, NULL, &error));
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  }
}

static void
test_write_body (void)
{
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) native = tdm_json_object_from_string (
      "{\"id\": \"7\", \"etag\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\", "
      "\"created_at\": \"2026-01-01T00:00:00Z\", \"email\": \"a@b.no\"}", &error);
  g_autoptr(JsonObject) body = NULL;

  g_assert_no_error (error);
  body = tdm_webshop_build_write_body (native, &profile->resources[TDM_KIND_CUSTOMER],
                                       "gid://shopify/Customer/1");
  g_assert_false (json_object_has_member (body, "id"));
  g_assert_false (json_object_has_member (body, "etag"));
  g_assert_false (json_object_has_member (body, "updated_at"));
  g_assert_false (json_object_has_member (body, "created_at"));
  g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, "a@b.no");
  g_assert_cmpstr (json_object_get_string_member (body, "shopify_id"), ==,
                   "gid://shopify/Customer/1");
}

static void
test_dot_paths (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *value = NULL;

  tdm_webshop_json_set_path (object, "meta.ids.shopify",
                             json_node_init_string (json_node_alloc (), "gid://x"));
  value = tdm_webshop_json_dup_string (object, "meta.ids.shopify");
  g_assert_cmpstr (value, ==, "gid://x");
  g_assert_null (tdm_webshop_json_get_path (object, "meta.nope"));
  g_assert_null (tdm_webshop_json_get_path (object, "meta.ids.shopify.deeper"));
}

/* ---- Fixtures: answers as real shops send them ---- */

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static void
test_fixture_pages (void)
{
  g_autoptr(TdmWebshopProfile) contract = tdm_webshop_profile_new_default ();
  g_autoptr(TdmWebshopProfile) page = tdm_webshop_profile_lookup ("page-apikey", NULL);
  g_autoptr(TdmWebshopProfile) link = tdm_webshop_profile_lookup ("link-basic", NULL);
  g_autoptr(GBytes) customers = fixture ("webshop-customers-page.json");
  g_autoptr(GBytes) products = fixture ("webshop-products-page-data.json");
  g_autoptr(GBytes) orders = fixture ("webshop-orders-list.json");
  g_autoptr(GBytes) tombstones = fixture ("webshop-tombstones.json");
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  TdmWebshopResource tomb;

  g_assert_true (tdm_webshop_parse_list (customers, &contract->resources[TDM_KIND_CUSTOMER],
                                         &items, &cursor, &error));
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (cursor, ==, "MjAyNi0xMS0yNlQxODozMDowMFoKMTAwMDE4");
  {
    g_autofree char *twin = tdm_webshop_json_dup_string (items->pdata[0], "shopify_id");
    g_autofree char *name = tdm_webshop_json_dup_string (items->pdata[1], "last_name");

    g_assert_cmpstr (twin, ==, "gid://shopify/Customer/7012345678");
    g_assert_cmpstr (name, ==, "Sæther");
  }
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&cursor, g_free);

  /* "data" envelope, numeric ids; page paging has no body cursor. */
  g_assert_true (tdm_webshop_parse_list (products, &page->resources[TDM_KIND_PRODUCT], &items,
                                         &cursor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_null (cursor);
  {
    g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[0], "id");

    g_assert_cmpstr (id, ==, "200042");
  }
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A bare list (Link paging). */
  g_assert_true (tdm_webshop_parse_list (orders, &link->resources[TDM_KIND_ORDER], &items, NULL,
                                         &error));
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* The same bare list read with the contract's envelope is an error. */
  g_assert_false (tdm_webshop_parse_list (orders, &contract->resources[TDM_KIND_ORDER], &items,
                                          NULL, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  tomb = contract->resources[TDM_KIND_CUSTOMER];
  g_assert_true (tdm_webshop_parse_list (tombstones, &tomb, &items, &cursor, &error));
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_null (cursor);
}

static void
test_fixture_errors (void)
{
  g_autoptr(GBytes) duplicate = fixture ("webshop-error-duplicate.json");
  g_autoptr(GBytes) invalid = fixture ("webshop-error-validation.json");
  g_autofree char *code = NULL, *message = NULL, *field = NULL, *existing = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tdm_http_parse_error_body (duplicate, &code, &message, &field, &existing));
  g_assert_cmpstr (code, ==, "duplicate");
  g_assert_cmpstr (field, ==, "email");
  g_assert_cmpstr (existing, ==, "100017");
  g_assert_false (tdm_http_status_to_error (409, duplicate, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Another customer already has this email."));
  g_clear_error (&error);

  g_assert_false (tdm_http_status_to_error (422, invalid, "the webshop", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "addresses[0].city"));
  g_assert_nonnull (strstr (error->message, "at most 255 characters"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/webshop/profile/default-is-contract", test_default_is_contract);
  g_test_add_func ("/webshop/profile/shipped", test_shipped_profiles);
  g_test_add_func ("/webshop/profile/lookup-order", test_lookup_order);
  g_test_add_func ("/webshop/profile/validation-errors", test_validation_errors);
  g_test_add_func ("/webshop/profile/partial", test_partial_profile_keeps_defaults);
  g_test_add_func ("/webshop/json/link-header", test_link_header);
  g_test_add_func ("/webshop/json/parse-list", test_parse_list);
  g_test_add_func ("/webshop/json/write-body", test_write_body);
  g_test_add_func ("/webshop/json/dot-paths", test_dot_paths);
  g_test_add_func ("/webshop/json/fixture-pages", test_fixture_pages);
  g_test_add_func ("/webshop/json/fixture-errors", test_fixture_errors);

  return g_test_run ();
}
