/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* One request to POST /admin/api/<version>/graphql.json, in the order
 * Shopify answers it (docs/shopify.md, Endpoints and auth, Cost and
 * throttling): an injected fault that fails it before it runs, the access
 * token, a named operation, the bucket (THROTTLED), a denied scope, then the
 * operation itself, dispatched on the NAME of the document (Tandem's
 * documents, src/connectors/shopify/graphql/). The points requested but not
 * used go back into the bucket. */

/* ---- Dispatch ---- */

typedef void (*FakeOperation) (FakeCall *call);

static const struct {
  const char    *name;
  FakeOperation  run;
} operations[] = {
  { "CustomerSet",                _tdm_fake_shopify_op_customer_set },
  { "CustomerEmailConsentUpdate", _tdm_fake_shopify_op_customer_consent },
  { "CustomerDelete",             _tdm_fake_shopify_op_customer_delete },
  { "MetafieldsSet",              _tdm_fake_shopify_op_metafields_set },
  { "ProductSet",                 _tdm_fake_shopify_op_product_set },
  { "ProductArchive",             _tdm_fake_shopify_op_product_archive },
  { "ProductVariants",            _tdm_fake_shopify_op_product_variants },
  { "VariantsBySku",              _tdm_fake_shopify_op_variants_by_sku },
  { "ProductDestroyEvents",       _tdm_fake_shopify_op_destroy_events },
  { "InventorySet",               _tdm_fake_shopify_op_inventory_set },
  { "Locations",                  _tdm_fake_shopify_op_locations },
  { "OrderCreate",                _tdm_fake_shopify_op_order_create },
  { "OrderUpdate",                _tdm_fake_shopify_op_order_update },
  { "OrderCancel",                _tdm_fake_shopify_op_order_cancel },
  { "OrderMarkAsPaid",            _tdm_fake_shopify_op_order_mark_paid },
  { "ShopInfo",                   _tdm_fake_shopify_op_shop_info },
  { "MetafieldDefinitionCreate",  _tdm_fake_shopify_op_definition_create },
  { "MetafieldDefinitions",       _tdm_fake_shopify_op_definitions },
  { "BulkRun",                    _tdm_fake_shopify_op_bulk_run },
  { "BulkPoll",                   _tdm_fake_shopify_op_bulk_poll },
  { "StagedUploadsCreate",        _tdm_fake_shopify_op_staged_uploads },
  { "BulkRunMutation",            _tdm_fake_shopify_op_bulk_run_mutation },
};

/* The operations of every kind: <Kind>sChanged, <Kind>Ids, <Kind>sCount,
 * <Kind>Get and <Kind>ByIdentifier. */
static gboolean
dispatch_kind_operation (FakeCall *call)
{
  const char *op = call->op;
  TdmKind kind;
  const char *member;

  g_assert (fake_call_is_ready (call));

  if (!_tdm_fake_shopify_kind_from_operation (op, &kind))
    return FALSE;
  member = kind == TDM_KIND_CUSTOMER ? "customer" : kind == TDM_KIND_PRODUCT ? "product" : "order";
  if (g_str_has_suffix (op, "sChanged"))
    _tdm_fake_shopify_op_changed (call, kind, FALSE);
  else if (g_str_has_suffix (op, "Ids"))
    _tdm_fake_shopify_op_changed (call, kind, TRUE);
  else if (g_str_has_suffix (op, "sCount"))
    _tdm_fake_shopify_op_count (call, kind);
  else if (g_str_has_suffix (op, "Get"))
    {
      const char *id = get_str (call->vars, "id");

      _tdm_fake_shopify_op_get (call, kind, member,
                                _tdm_fake_shopify_find_by_id (call->self, kind, id));
    }
  else if (g_str_has_suffix (op, "ByIdentifier"))
    {
      g_autofree char *by = g_strconcat (member, "ByIdentifier", NULL);
      const char *value = get_str (call->vars, "value");

      _tdm_fake_shopify_op_get (call, kind, by,
                                _tdm_fake_shopify_find_by_custom_id (call->self, kind, value));
    }
  else
    return FALSE;
  return TRUE;
}

gboolean
_tdm_fake_shopify_dispatch (FakeCall *call)
{
  gboolean known = FALSE;

  g_assert (fake_call_is_ready (call));

  if (dispatch_kind_operation (call))
    known = TRUE;
  for (guint i = 0; !known && i < G_N_ELEMENTS (operations); i++)
    if (strcmp (call->op, operations[i].name) == 0)
      {
        operations[i].run (call);
        known = TRUE;
      }
  /* The nodes it found are indexed as it left them. */
  _tdm_fake_shopify_index_settle (call->self);
  return known;
}

/* ---- The request ---- */

typedef struct {
  JsonParser *parser;
  JsonObject *root;          /* NULL: the body is no JSON object */
  const char *query;
  JsonObject *vars;
  char       *vars_json;
  char       *op;            /* the operation's name, or NULL */
  gboolean    is_mutation;
} GraphqlRequest;

static void
graphql_request_clear (GraphqlRequest *gr)
{
  g_clear_object (&gr->parser);
  g_clear_pointer (&gr->vars_json, g_free);
  g_clear_pointer (&gr->op, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GraphqlRequest, graphql_request_clear)

char *
_tdm_fake_shopify_operation_name (const char *query,
                                  gboolean   *is_mutation)
{
  g_autoptr(GRegex) re = g_regex_new ("^\\s*(query|mutation)\\s+([A-Za-z_][A-Za-z0-9_]*)",
                                      G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *kind = NULL;

  g_assert (is_mutation != NULL);

  if (query == NULL || !g_regex_match (re, query, 0, &info))
    return NULL;
  kind = g_match_info_fetch (info, 1);
  *is_mutation = g_strcmp0 (kind, "mutation") == 0;
  return g_match_info_fetch (info, 2);
}

/* Reads {query, variables} from the body. */
static void
parse_graphql_request (GraphqlRequest *gr,
                       GBytes         *body)
{
  g_assert (gr->parser == NULL);

  gr->parser = json_parser_new ();
  if (json_parser_load_from_data (gr->parser, g_bytes_get_data (body, NULL),
                                  g_bytes_get_size (body), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (gr->parser)))
    gr->root = json_node_get_object (json_parser_get_root (gr->parser));
  gr->query = get_str (gr->root, "query");
  gr->vars = get_obj (gr->root, "variables");
  gr->vars_json = gr->vars ? _tdm_fake_shopify_obj_to_json (gr->vars) : g_strdup ("{}");
  gr->op = _tdm_fake_shopify_operation_name (gr->query, &gr->is_mutation);
}

/* Logs and sends an answer that is not a GraphQL result. */
static void
answer_plain (TdmFakeShopify        *self,
              SoupServerMessage     *msg,
              TdmFakeShopifyRequest *req,
              guint                  status,
              const char            *text)
{
  _tdm_fake_shopify_finish_log (self, req, status, text);
  _tdm_fake_shopify_respond (msg, status, text);
}

/* Answers THROTTLED (with the configured status), nothing taken. */
static void
answer_throttled (TdmFakeShopify        *self,
                  SoupServerMessage     *msg,
                  TdmFakeShopifyRequest *req,
                  double                 requested)
{
  g_autoptr(JsonObject) response = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *e = json_object_new ();
  JsonObject *ext = json_object_new ();
  g_autofree char *text = NULL;

  json_object_set_string_member (e, "message", "Throttled");
  json_object_set_string_member (ext, "code", "THROTTLED");
  json_object_set_string_member (ext, "documentation", "https://shopify.dev/api/usage/rate-limits");
  json_object_set_object_member (e, "extensions", ext);
  json_array_add_object_element (errors, e);
  json_object_set_array_member (response, "errors", errors);
  json_object_set_object_member (response, "extensions",
                                 _tdm_fake_shopify_cost_extensions (self, requested, -1));
  self->throttled++;
  req->throttled = TRUE;
  text = _tdm_fake_shopify_obj_to_json (response);
  answer_plain (self, msg, req, self->throttle_status, text);
}

/* The GraphQL answer to a denied operation: ACCESS_DENIED naming the scope. */
static void
deny_access (JsonObject *response,
             const char *op,
             const char *scope)
{
  JsonArray *errors = json_array_new ();
  JsonObject *e = json_object_new ();
  JsonObject *ext = json_object_new ();
  g_autofree char *message = g_strdup_printf ("Access denied for %s field. Required access: `%s` "
                                              "access scope.", op, scope);

  json_object_set_string_member (e, "message", message);
  json_object_set_string_member (ext, "code", "ACCESS_DENIED");
  json_object_set_string_member (ext, "requiredAccess", scope);
  json_object_set_object_member (e, "extensions", ext);
  json_array_add_object_element (errors, e);
  json_object_set_null_member (response, "data");
  json_object_set_array_member (response, "errors", errors);
}

/* Runs the operation into `response` (data, or top-level errors);
 * returns its actual cost. */
static double
run_operation (TdmFakeShopify *self,
               GraphqlRequest *gr,
               JsonObject     *response)
{
  FakeCall call = { 0 };

  call.self = self;
  call.op = gr->op;
  call.vars = gr->vars;
  call.data = json_object_new ();
  if (!_tdm_fake_shopify_dispatch (&call))
    {
      g_autofree char *message = g_strdup_printf ("The fake Shopify does not know the "
                                                  "operation %s.", gr->op);
      JsonObject *e = json_object_new ();

      g_assert (call.errors == NULL);
      call.errors = json_array_new ();
      json_object_set_string_member (e, "message", message);
      json_array_add_object_element (call.errors, e);
      call.actual = 1;
    }
  if (call.errors != NULL)
    {
      json_object_unref (call.data);
      json_object_set_array_member (response, "errors", call.errors);
    }
  else
    json_object_set_object_member (response, "data", call.data);
  return call.actual;
}

void
_tdm_fake_shopify_handle_graphql (TdmFakeShopify      *self,
                                  SoupServerMessage   *msg,
                                  const char          *path,
                                  GBytes              *body,
                                  TdmFakeShopifyFault  fault)
{
  g_auto(GraphqlRequest) gr = { 0 };
  TdmFakeShopifyRequest *req;
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "X-Shopify-Access-Token");
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *text = NULL;
  double requested;
  double actual;
  guint status;
  const char *denied_scope;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  parse_graphql_request (&gr, body);
  req = _tdm_fake_shopify_log_request (self, path, gr.op, gr.query, gr.vars_json);
  if (g_bytes_get_size (body) > 0)
    req->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (_tdm_fake_shopify_fails_before_run (fault, msg, &status))
    {
      answer_plain (self, msg, req, status,
                    status == 429 ? "{\"errors\":\"Exceeded 2 calls per second for api client. "
                                    "Reduce request rates to resume uninterrupted service.\"}"
                                  : "{\"errors\":\"Internal Server Error\"}");
      return;
    }
  if (!_tdm_fake_shopify_token_ok (self, token))
    {
      answer_plain (self, msg, req, 401,
                    "{\"errors\":\"[API] Invalid API key or access token "
                    "(unrecognized login or wrong password)\"}");
      return;
    }
  if (gr.root == NULL || gr.op == NULL)
    {
      answer_plain (self, msg, req, 400,
                    "{\"errors\":[{\"message\":\"Parse error: no named operation\","
                    "\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}");
      return;
    }

  requested = _tdm_fake_shopify_requested_cost (gr.op, gr.query, gr.is_mutation, gr.vars);
  req->requested_cost = requested;
  if (requested > _tdm_fake_shopify_bucket_now (self))
    {
      answer_throttled (self, msg, req, requested);
      return;
    }
  self->available -= requested;

  denied_scope = g_hash_table_lookup (self->denied, gr.op);
  if (denied_scope != NULL && self->deny_status == 403)
    {
      self->available += requested;
      text = g_strdup_printf ("{\"errors\":\"[API] This action requires merchant approval "
                              "for %s scope.\"}", denied_scope);
      answer_plain (self, msg, req, 403, text);
      return;
    }
  if (denied_scope != NULL)
    {
      deny_access (response, gr.op, denied_scope);
      actual = 1;
    }
  else
    actual = run_operation (self, &gr, response);

  /* Refund what was requested but not used. */
  self->available = MIN (self->bucket_size, self->available + MAX (0, requested - actual));
  self->requested_total += requested;
  self->actual_total += actual;
  req->actual_cost = actual;
  json_object_set_object_member (response, "extensions",
                                 _tdm_fake_shopify_cost_extensions (self, requested, actual));
  text = _tdm_fake_shopify_obj_to_json (response);
  _tdm_fake_shopify_finish_log (self, req, 200, text);
  _tdm_fake_shopify_deliver (self, msg, 200, text, fault);
}
