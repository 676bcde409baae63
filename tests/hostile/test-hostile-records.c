/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-hostile"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"
#include "tdm-hostile-server.h"
#include "tdm-webshop-connector.h"
#include "tdm-shopify-connector.h"

/* Records a server sends or answers oddly (issue 13): ids that are dot
 * segments or hold a slash, 404 answers to writes, profile paths that leave
 * the base address. Every server is a hostile one (tdm-hostile-server.c)
 * answering canned bytes, and every test checks what the server received. */

#define BASE "/api/tandem/v1"
#define T0 "2026-03-01T10:00:00Z"

static TdmWebshopConnector *
webshop_for (Hostile           *h,
             TdmWebshopProfile *profile)
{
  g_autofree char *url = g_strdup_printf ("%s" BASE, h->url);
  g_autoptr(GError) error = NULL;
  TdmWebshopConnector *conn = tdm_webshop_connector_new (url, profile, TDM_WEBSHOP_AUTH_BEARER,
                                                         NULL, TOKEN, NULL, &error);
  TdmHttpOptions options;

  g_assert_no_error (error);
  short_options (&options);
  tdm_webshop_connector_set_http_options (conn, &options);
  return conn;
}

static TdmPage *
list_page (TdmConnector  *conn,
           const char    *since,
           const char    *cursor,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_list_changed_async (conn, TDM_KIND_CUSTOMER, since, cursor, NULL,
                                    tdm_test_keep_result_cb, &result);
  return tdm_connector_list_changed_finish (conn, tdm_test_wait_result (&result, 90), error);
}

static TdmRecord *
get_record (TdmConnector    *conn,
            const char      *id,
            TdmRecordError **record_error,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_get_async (conn, TDM_KIND_CUSTOMER, id, NULL, tdm_test_keep_result_cb, &result);
  return tdm_connector_get_finish (conn, tdm_test_wait_result (&result, 90), record_error, error);
}

static TdmWriteResult *
update_record (TdmConnector    *conn,
               const char      *id,
               const char      *fields_json,
               TdmRecordError **record_error,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) fields = tdm_json_object_from_string (fields_json, NULL);

  g_assert_nonnull (fields);
  tdm_connector_update_async (conn, TDM_KIND_CUSTOMER, id, fields, NULL,
                              "gid://shopify/Customer/1", NULL, NULL, tdm_test_keep_result_cb,
                              &result);
  return tdm_connector_update_finish (conn, tdm_test_wait_result (&result, 90), record_error,
                                      error);
}

static TdmWriteResult *
create_record (TdmConnector    *conn,
               const char      *twin_id,
               TdmRecordError **record_error,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) fields = tdm_json_object_from_string ("{\"email\": \"ny@example.no\"}",
                                                              NULL);

  tdm_connector_create_async (conn, TDM_KIND_CUSTOMER, fields, "op-1", twin_id, NULL,
                              tdm_test_keep_result_cb, &result);
  return tdm_connector_create_finish (conn, tdm_test_wait_result (&result, 90), record_error,
                                      error);
}

static gboolean
delete_record (TdmConnector    *conn,
               const char      *id,
               TdmRecordError **record_error,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_delete_async (conn, TDM_KIND_CUSTOMER, id, NULL, tdm_test_keep_result_cb, &result);
  return tdm_connector_delete_finish (conn, tdm_test_wait_result (&result, 90), record_error,
                                      error);
}

static void
assert_request (Hostile    *h,
                guint       i,
                const char *expected)
{
  g_autofree char *line = hostile_request (h, i, NULL);

  g_assert_cmpstr (line, ==, expected);
}

static const TdmRecordError *
find_problem (TdmPage    *page,
              const char *record_id)
{
  for (guint i = 0; i < page->problems->len; i++)
    {
      const TdmRecordError *problem = page->problems->pdata[i];

      if (g_strcmp0 (problem->record_id, record_id) == 0)
        return problem;
    }
  return NULL;
}

static gboolean
page_has_record (TdmPage    *page,
                 const char *id)
{
  for (guint i = 0; i < page->records->len; i++)
    if (g_strcmp0 (((TdmRecord *) page->records->pdata[i])->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* ---- Ids "." and "..", "a/b" and "" (item 6) ---- */

#define CUSTOMER(id, email) \
  "{\"id\": \"" id "\", \"email\": \"" email "\", \"first_name\": \"Kari\", " \
  "\"updated_at\": \"" T0 "\", \"etag\": \"e-1\"}"

static void
test_ids_dot_segments (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  TdmConnector *c = TDM_CONNECTOR (conn);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(TdmRecordError) refused = NULL;
  const TdmRecordError *problem;
  guint before;

  hostile_route (h, "GET " BASE "/customers?", 200, NULL,
                 "{\"items\": [" CUSTOMER (".", "dot@example.no") ", "
                 CUSTOMER ("..", "dotdot@example.no") ", " CUSTOMER ("", "empty@example.no") ", "
                 CUSTOMER ("a/b", "slash@example.no") ", " CUSTOMER ("7", "seven@example.no")
                 "], \"next_cursor\": null}", -1);
  hostile_route (h, "GET " BASE "/customers/a%2Fb", 200, NULL,
                 CUSTOMER ("a/b", "slash@example.no"), -1);
  hostile_route (h, "PUT " BASE "/customers/a%2Fb", 200, NULL,
                 CUSTOMER ("a/b", "new@example.no"), -1);

  page = list_page (c, NULL, NULL, &error);
  g_assert_no_error (error);
  /* "a/b" and "7" are read; ".", ".." and "" cannot be addressed. */
  g_assert_cmpuint (page->records->len, ==, 2);
  g_assert_true (page_has_record (page, "a/b"));
  g_assert_true (page_has_record (page, "7"));
  g_assert_cmpuint (page->problems->len, ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      const char *id = i == 0 ? "." : "..";

      problem = find_problem (page, id);
      g_assert_nonnull (problem);
      g_assert_cmpstr (problem->field, ==, "id");
      g_assert_nonnull (strstr (problem->message, "web address"));
    }

  /* "a/b" is one path segment: the server receives it escaped. */
  record = get_record (c, "a/b", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "a/b");
  assert_request (h, 1, "GET " BASE "/customers/a%2Fb");
  written = update_record (c, "a/b", "{\"email\": \"new@example.no\"}", NULL, &error);
  g_assert_no_error (error);
  assert_request (h, 2, "PUT " BASE "/customers/a%2Fb");

  /* "." and ".." (and "") are refused before anything is sent: they would
   * become "PUT /customers/" and "PUT /". */
  before = hostile_request_count (h);
  for (guint i = 0; i < 3; i++)
    {
      const char *id = i == 0 ? "." : i == 1 ? ".." : "";
      g_autoptr(TdmWriteResult) none = NULL;

      none = update_record (c, id, "{\"email\": \"x@example.no\"}", &refused, &error);
      g_assert_null (none);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      g_clear_error (&error);
      g_assert_nonnull (refused);
      g_assert_cmpstr (refused->record_id, ==, id);
      g_assert_cmpstr (refused->field, ==, "id");
      g_clear_pointer (&refused, tdm_record_error_free);

      g_assert_false (delete_record (c, id, &refused, &error));
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      g_clear_error (&error);
      g_assert_nonnull (refused);
      g_assert_cmpstr (refused->field, ==, "id");
      g_clear_pointer (&refused, tdm_record_error_free);

      g_clear_pointer (&record, tdm_record_unref);
      record = get_record (c, id, NULL, &error);
      g_assert_null (record);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
      g_clear_error (&error);
    }
  g_assert_cmpuint (hostile_request_count (h), ==, before);
}

/* ---- 404 to a write (item 6) ---- */

static void
test_write_404 (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  TdmConnector *c = TDM_CONNECTOR (conn);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(TdmRecordError) problem = NULL;
  const char *not_found = "{\"error\": {\"code\": \"not_found\", \"message\": \"No such path\"}}";

  hostile_route (h, "GET " BASE "/customers/7", 200, NULL, CUSTOMER ("7", "seven@example.no"),
                 -1);
  hostile_route (h, "PUT " BASE "/customers/7", 404, NULL, not_found, -1);
  hostile_route (h, "POST " BASE "/customers", 404, NULL, not_found, -1);
  hostile_route (h, "DELETE " BASE "/customers/8", 404, NULL, not_found, -1);
  hostile_route (h, "GET " BASE "/customers/8", 200, NULL, CUSTOMER ("8", "eight@example.no"),
                 -1);
  hostile_route (h, "DELETE " BASE "/customers/9", 404, NULL, not_found, -1);
  hostile_route (h, "GET " BASE "/customers/9", 404, NULL, not_found, -1);

  /* PUT: the change was not written; the record is named. */
  written = update_record (c, "7", "{\"email\": \"new@example.no\"}", &problem, &error);
  g_assert_null (written);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND);
  assert_request (h, 1, "PUT " BASE "/customers/7");
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpstr (problem->record_id, ==, "7");
  g_assert_nonnull (strstr (problem->message, "not written"));
  g_assert_nonnull (strstr (error->message, " 7 "));
  g_clear_error (&error);
  g_clear_pointer (&problem, tdm_record_error_free);

  /* POST: nothing was created; the Shopify record it came from is named. */
  written = create_record (c, "gid://shopify/Customer/55", &problem, &error);
  g_assert_null (written);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->record_id, ==, "gid://shopify/Customer/55");
  g_assert_nonnull (strstr (problem->message, "nothing was created"));
  g_clear_error (&error);
  g_clear_pointer (&problem, tdm_record_error_free);

  /* DELETE answered 404 while the record is still there: not deleted. */
  g_assert_false (delete_record (c, "8", &problem, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->record_id, ==, "8");
  g_assert_nonnull (strstr (problem->message, "still there"));
  g_clear_error (&error);
  g_clear_pointer (&problem, tdm_record_error_free);

  /* DELETE answered 404 and the record is gone: what a delete wants. */
  g_assert_true (delete_record (c, "9", &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
}

/* ---- NUL in strings (item 4) ---- */

static gboolean
any_request_starts (Hostile    *h,
                    const char *prefix)
{
  g_autofree char *line = NULL;

  for (guint i = 0; (line = hostile_request (h, i, NULL)) != NULL; i++)
    {
      gboolean found = g_str_has_prefix (line, prefix);

      g_clear_pointer (&line, g_free);
      if (found)
        return TRUE;
    }
  return FALSE;
}

/* `text` with every "<NUL>" replaced by a NUL byte and every "<FF>" by the
 * byte 0xFF (not UTF-8): bytes no C string literal in a JSON body can hold. */
static char *
raw_bytes (const char *text,
           gsize      *out_len)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; )
    {
      if (g_str_has_prefix (p, "<NUL>"))
        {
          g_string_append_c (out, '\0');
          p += 5;
        }
      else if (g_str_has_prefix (p, "<FF>"))
        {
          g_string_append_c (out, (char) 0xff);
          p += 4;
        }
      else
        g_string_append_c (out, *p++);
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

static void
route_raw (Hostile    *h,
           const char *request,
           guint       status,
           const char *text)
{
  gsize len;
  g_autofree char *body = raw_bytes (text, &len);

  hostile_route (h, request, status, NULL, body, len);
}

#define KARI \
  "{\"id\": \"1\", \"email\": \"kari@example.no\", \"first_name\": \"Ka\\u0000ri\", " \
  "\"last_name\": \"Nordmann\", \"note\": \"xy\", \"updated_at\": \"" T0 "\", \"etag\": \"e-1\"}"

static void
test_nul_webshop (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  TdmConnector *c = TDM_CONNECTOR (conn);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(TdmRecordError) refused = NULL;
  const TdmRecordError *problem;

  route_raw (h, "GET " BASE "/customers?", 200,
             "{\"items\": [" KARI ", " CUSTOMER ("2", "ola@example.no") ", "
             "{\"id\": \"3\", \"email\": \"per@example.no\", \"note\": \"x\\u0000y\", "
             "\"updated_at\": \"" T0 "\"}, "
             "{\"id\": \"5\", \"email\": \"key@example.no\", \"k\\u0000ey\": 1, "
             "\"updated_at\": \"" T0 "\"}], \"next_cursor\": null}");
  hostile_route (h, "GET " BASE "/customers/1", 200, NULL, KARI, -1);
  hostile_route (h, "PUT " BASE "/customers/1", 200, NULL, KARI, -1);

  /* Only record 2 is read: 1, 3 (a field Tandem may not even sync) and 5
   * (a member name) are refused, naming the field; none is cut short at
   * the NUL. */
  page = list_page (c, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 1);
  g_assert_true (page_has_record (page, "2"));
  g_assert_cmpuint (page->problems->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const ids[] = { "1", "3", "5" };
      static const char * const fields[] = { "first_name", "note", "k\xef\xbf\xbd" "ey" };

      problem = find_problem (page, ids[i]);
      g_assert_nonnull (problem);
      g_assert_cmpint (problem->side, ==, TDM_SIDE_WEBSHOP);
      g_assert_cmpstr (problem->field, ==, fields[i]);
      g_assert_nonnull (strstr (problem->message, "NUL character"));
      g_assert_nonnull (strstr (problem->message, fields[i]));
      g_assert_nonnull (strstr (problem->message, ids[i]));
    }

  /* An update reads the whole record to send it back: a record that cannot
   * be read in full is never written, so nothing goes back shortened. */
  written = update_record (c, "1", "{\"email\": \"kari@example.no\"}", &refused, &error);
  g_assert_null (written);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (refused);
  g_assert_cmpstr (refused->record_id, ==, "1");
  g_assert_cmpstr (refused->field, ==, "first_name");
  g_assert_true (any_request_starts (h, "GET " BASE "/customers/1"));
  g_assert_false (any_request_starts (h, "PUT "));
  g_clear_error (&error);

  /* Nor is it returned by a single read. */
  record = get_record (c, "1", NULL, &error);
  g_assert_null (record);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
}

/* Bad UTF-8 in one record of a page refuses that record, not the page;
 * a raw NUL byte outside any value is named as such. */
static void
test_broken_text_webshop (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  TdmConnector *c = TDM_CONNECTOR (conn);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  const TdmRecordError *problem;

  route_raw (h, "GET " BASE "/customers?", 200,
             "{\"items\": [" CUSTOMER ("1", "kari@example.no") ", "
             "{\"id\": \"2\", \"email\": \"ola@example.no\", \"last_name\": \"Nordm<FF>nn\", "
             "\"updated_at\": \"" T0 "\"}, " CUSTOMER ("3", "per@example.no")
             "], \"next_cursor\": null}");
  page = list_page (c, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 2);
  g_assert_true (page_has_record (page, "1"));
  g_assert_true (page_has_record (page, "3"));
  g_assert_cmpuint (page->problems->len, ==, 1);
  problem = find_problem (page, "2");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->field, ==, "last_name");
  g_assert_nonnull (strstr (problem->message, "UTF-8"));
  g_assert_true (g_utf8_validate (problem->message, -1, NULL));
  g_clear_pointer (&page, tdm_page_free);

  /* A raw NUL byte inside a value: that record is refused as holding a NUL. */
  g_ptr_array_set_size (h->routes, 0);
  route_raw (h, "GET " BASE "/customers?", 200,
             "{\"items\": [" CUSTOMER ("1", "kari@example.no") ", "
             "{\"id\": \"4\", \"email\": \"raw@example.no\", \"last_name\": \"Ha<NUL>nsen\", "
             "\"updated_at\": \"" T0 "\"}], \"next_cursor\": null}");
  page = list_page (c, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 1);
  g_assert_true (page_has_record (page, "1"));
  problem = find_problem (page, "4");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->field, ==, "last_name");
  g_assert_nonnull (strstr (problem->message, "NUL character"));
  g_clear_pointer (&page, tdm_page_free);

  /* Outside every value the answer itself is broken: the page fails,
   * saying what is wrong. */
  g_ptr_array_set_size (h->routes, 0);
  route_raw (h, "GET " BASE "/customers?", 200,
             "{\"items\": [<NUL>" CUSTOMER ("1", "kari@example.no") "], \"next_cursor\": null}");
  page = list_page (c, NULL, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "contains a NUL byte (at byte 11)");
  g_assert_null (strstr (error->message, "must be UTF-8"));
  g_clear_error (&error);

  g_ptr_array_set_size (h->routes, 0);
  route_raw (h, "GET " BASE "/customers?", 200,
             "{\"items\": [<FF>" CUSTOMER ("1", "kari@example.no") "], \"next_cursor\": null}");
  page = list_page (c, NULL, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  assert_message_contains (error, "not UTF-8 text outside");
}

/* Shopify: the same refusal, for a node of a GraphQL answer. */
static void
test_nul_shopify (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_SHOPIFY_NODES, FALSE);
  g_autoptr(TdmShopifyConnector) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  const TdmRecordError *problem;

  h->nodes = g_strdup ("{\"id\": \"gid://shopify/Customer/1\", \"firstName\": \"Ka\\u0000ri\", "
                       "\"updatedAt\": \"" T0 "\"}, "
                       "{\"id\": \"gid://shopify/Customer/2\", \"firstName\": \"Ola\", "
                       "\"updatedAt\": \"" T0 "\"}, "
                       "{\"id\": \"gid://shopify/Customer/3\", \"note\": \"\\udc00x\", "
                       "\"updatedAt\": \"" T0 "\"}");
  conn = tdm_shopify_connector_new (h->url, NULL, TDM_SHOPIFY_AUTH_TOKEN, NULL, NULL, NULL, NULL,
                                    &error);
  g_assert_no_error (error);
  tdm_shopify_connector_set_secret (conn, TOKEN);
  tdm_shopify_connector_set_page_size (conn, 50);
  tdm_shopify_connector_set_bulk_threshold (conn, 0);
  tdm_shopify_client_set_max_retries (tdm_shopify_connector_get_client (conn), 0);

  page = list_page (TDM_CONNECTOR (conn), "2026-01-01T00:00:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) page->records->pdata[0])->id, ==, "gid://shopify/Customer/2");
  g_assert_cmpuint (page->problems->len, ==, 2);
  problem = find_problem (page, "gid://shopify/Customer/1");
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (problem->field, ==, "firstName");
  g_assert_nonnull (strstr (problem->message, "NUL character"));
  /* A surrogate without its pair is not cut or garbled either. */
  problem = find_problem (page, "gid://shopify/Customer/3");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->field, ==, "note");
  g_assert_nonnull (strstr (problem->message, "not valid Unicode"));
}

/* ---- Retry-After above 2^31 − 1 (minor item) ---- */

static void
test_retry_after_huge (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopConnector) conn = webshop_for (h, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  TdmHttpOptions options;

  short_options (&options);
  options.max_retries = 3;
  options.base_delay_ms = 1;
  options.max_delay_ms = 50;
  tdm_webshop_connector_set_http_options (conn, &options);
  hostile_route (h, "GET " BASE "/customers?", 429, "Retry-After: 9999999999\r\n",
                 "{\"error\": {\"code\": \"rate_limited\", \"message\": \"Slow down\"}}", -1);
  page = list_page (TDM_CONNECTOR (conn), NULL, NULL, &error);
  g_assert_null (page);
  /* Longer than Tandem waits: the run ends (docs/webshop-api.md, Rate
   * limits) at once, instead of retrying as if there were no header. */
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED);
  assert_message_contains (error, "HTTP 429");
  assert_message_contains (error, "try again later");
  g_assert_cmpuint (hostile_request_count (h), ==, 1);
}

/* End to end: the real engine and store, Shopify's fake, and the hostile
 * webshop. The run: a customer "Ka\u0000ri" was PUT back as "Ka"
 * and created in Shopify as "Ka"; ids "." and ".." were PUT to
 * "/customers/" and "/", their 404s swallowed and links stored. */
static void
test_run_writes_nothing_unread (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_default ();
  g_autofree char *url = g_strdup_printf ("%s" BASE, h->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  TdmSyncCounts counts = { 0 };
  guint refused = 0;

  hostile_route (h, "GET " BASE "/customers?", 200, NULL,
                 "{\"items\": [" KARI ", " CUSTOMER ("2", "ola@example.no") ", "
                 CUSTOMER (".", "dot@example.no") ", " CUSTOMER ("..", "dotdot@example.no")
                 "], \"next_cursor\": null}", -1);
  hostile_route (h, "GET " BASE "/products?", 200, NULL, "{\"items\": [], \"next_cursor\": null}",
                 -1);
  hostile_route (h, "GET " BASE "/orders?", 200, NULL, "{\"items\": [], \"next_cursor\": null}",
                 -1);
  /* The link marker on Ola, the one record read in full. */
  hostile_route (h, "PUT " BASE "/customers/2", 200, NULL, CUSTOMER ("2", "ola@example.no"), -1);

  profile->requests_per_second = 0;
  g_clear_object (&e2e->webshop);
  e2e->webshop = TDM_CONNECTOR (tdm_webshop_connector_new (url, profile, TDM_WEBSHOP_AUTH_BEARER,
                                                           NULL, TOKEN, e2e->mapping, &error));
  g_assert_no_error (error);
  tdm_sync_engine_set_connectors (e2e->engine, e2e->webshop, e2e->shopify);

  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.created, ==, 1);
  g_assert_cmpuint (counts.errors, ==, 3);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    {
      TdmRecordError *err = e2e->record_errors->pdata[i];

      g_test_message ("record error: %s %s: %s", err->record_id, err->field, err->message);
      if (g_strcmp0 (err->record_id, "1") == 0)
        {
          g_assert_nonnull (strstr (err->message, "NUL"));
          g_assert_nonnull (err->field);
          refused |= 1;
        }
      else if (g_strcmp0 (err->record_id, ".") == 0)
        refused |= 2;
      else if (g_strcmp0 (err->record_id, "..") == 0)
        refused |= 4;
    }
  g_assert_cmpuint (refused, ==, 7);

  /* Shopify got Ola only: no truncated "Ka", nothing for "." or "..". */
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER,
                                          "defaultEmailAddress.emailAddress",
                                          "ola@example.no"), ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const emails[] = { "kari@example.no", "dot@example.no",
                                              "dotdot@example.no" };

      g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_CUSTOMER,
                                              "defaultEmailAddress.emailAddress", emails[i]),
                        ==, 0);
    }
  /* The webshop got one write: Ola's link marker. */
  for (guint i = 0; (line = hostile_request (h, i, NULL)) != NULL; i++)
    {
      if (!g_str_has_prefix (line, "GET "))
        g_assert_cmpstr (line, ==, "PUT " BASE "/customers/2");
      g_clear_pointer (&line, g_free);
    }
  g_assert_true (any_request_starts (h, "PUT " BASE "/customers/2"));
  e2e_free (e2e);
}

/* ---- Profile paths (item 7) ---- */

static void
test_profile_path_outside_base (void)
{
  g_autoptr(Hostile) h = hostile_new (SCENARIO_ROUTES, FALSE);
  g_autoptr(TdmWebshopProfile) profile = tdm_webshop_profile_new_default ();
  g_autoptr(TdmWebshopConnector) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;
  TdmWebshopResource *res = &profile->resources[TDM_KIND_CUSTOMER];

  /* A profile file with this path is refused when read (test-profile);
   * here it got past that: the connector still sends nothing outside the
   * base address, credentials included. */
  g_free (res->deleted_path);
  res->deleted_path = g_strdup ("../../../admin/purge");
  hostile_route (h, "GET /admin/purge?", 200, NULL, "{\"items\": [], \"next_cursor\": null}", -1);
  conn = webshop_for (h, profile);
  page = list_page (TDM_CONNECTOR (conn), T0, "d:", &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  assert_message_contains (error, "/admin/purge");
  g_assert_cmpuint (hostile_request_count (h), ==, 0);

  /* The same with percent escapes, which URL parsers decode. */
  g_clear_error (&error);
  g_free (res->deleted_path);
  res->deleted_path = g_strdup ("%2e%2e/%2E%2E/%2e%2e/admin/purge");
  page = list_page (TDM_CONNECTOR (conn), T0, "d:", &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_assert_cmpuint (hostile_request_count (h), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hostile/records/ids-dot-segments", test_ids_dot_segments);
  g_test_add_func ("/hostile/records/write-404", test_write_404);
  g_test_add_func ("/hostile/records/profile-path-outside-base", test_profile_path_outside_base);
  g_test_add_func ("/hostile/records/nul-webshop", test_nul_webshop);
  g_test_add_func ("/hostile/records/broken-text-webshop", test_broken_text_webshop);
  g_test_add_func ("/hostile/records/nul-shopify", test_nul_shopify);
  g_test_add_func ("/hostile/records/retry-after-huge", test_retry_after_huge);
  g_test_add_func ("/hostile/records/run-writes-nothing-unread", test_run_writes_nothing_unread);

  return g_test_run ();
}
