/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include "fuzz-common.h"
#include "tdm-shopify-json.h"

/* Shopify's answers as the connector reads them: a GraphQL response body
 * (extensions.cost and throttleStatus, the top-level errors, the access
 * scope in a 401/403 text, mutation payloads with userErrors, nodes with the
 * webshop_id metafield), and the same bytes as a bulk export (JSONL lines
 * joined into nodes, for each kind). */

static void
fuzz_payload (JsonObject *payload)
{
  JsonNode *member;

  /* userErrors of any mutation payload, as handle_user_errors does it. */
  for (const char *const *key = (const char *const[]) { "userErrors", "orderCancelUserErrors", NULL };
       *key != NULL; key++)
    {
      member = json_object_get_member (payload, *key);
      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        continue;
      for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(TdmRecordError) record_error = NULL;
          gboolean failed;

          failed = tdm_shopify_user_errors (json_node_get_array (member), kind, "record “x”", "17",
                                            NULL, NULL, &record_error, &error);
          g_assert_true (failed == (error != NULL));
          if (failed)
            {
              g_assert_nonnull (record_error);
              g_assert_nonnull (record_error->message);
              tdm_fuzz_assert_utf8 (error->message);
            }
        }
    }

  /* Nodes: a payload's own node ("customer": {…}), a connection's nodes
   * or edges. */
  (void) tdm_shopify_node_twin_id (payload);
  (void) tdm_shopify_node_string (payload, "defaultEmailAddress.marketingState");
  (void) tdm_shopify_node_string (payload, "id");
  (void) tdm_shopify_node_string (payload, "pageInfo.endCursor");
  member = json_object_get_member (payload, "nodes");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *nodes = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (nodes); i++)
        {
          JsonNode *node = json_array_get_element (nodes, i);

          if (JSON_NODE_HOLDS_OBJECT (node))
            fuzz_payload (json_node_get_object (node));
        }
    }
}

static void
fuzz_response (JsonObject *root)
{
  TdmShopifyCost cost = { 0 };
  TdmShopifyBucket bucket;
  g_autoptr(GError) error = NULL;
  TdmShopifyErrorsKind kind;
  JsonNode *data;

  tdm_shopify_bucket_init (&bucket);
  if (tdm_shopify_parse_cost (root, &cost))
    {
      gint64 wait;

      tdm_shopify_bucket_update (&bucket, &cost, 1000000);
      (void) tdm_shopify_bucket_available (&bucket, 2000000);
      wait = tdm_shopify_bucket_wait_us (&bucket, cost.requested, 2000000);
      g_assert_cmpint (wait, >=, 0);
      tdm_shopify_bucket_take (&bucket, cost.requested, 2000000);
      wait = tdm_shopify_throttle_wait_us (cost.has_throttle ? &cost : NULL);
      g_assert_cmpint (wait, >=, 0);
    }

  kind = tdm_shopify_check_errors (root, &error);
  g_assert_true ((kind == TDM_SHOPIFY_ERRORS_NONE) == (error == NULL));
  if (error != NULL)
    tdm_fuzz_assert_utf8 (error->message);

  data = json_object_get_member (root, "data");
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *object = json_node_get_object (data);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *payload = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_OBJECT (payload))
            fuzz_payload (json_node_get_object (payload));
        }
    }
}

static void
fuzz_bulk (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      g_autoptr(TdmShopifyBulkJoiner) joiner = tdm_shopify_bulk_joiner_new (kind);
      g_autoptr(JsonObject) last = NULL;
      gboolean failed = FALSE;

      for (guint i = 0; lines[i] != NULL && !failed; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonObject) done = NULL;

          if (lines[i][0] == '\0'
              || tdm_fuzz_skip_several_values ((const uint8_t *) lines[i], strlen (lines[i])))
            continue;
          done = tdm_shopify_bulk_joiner_push (joiner, lines[i], &error);
          /* Like the connector: the first bad line ends the export. */
          if (error != NULL)
            {
              g_assert_null (done);
              tdm_fuzz_assert_utf8 (error->message);
              failed = TRUE;
            }
        }
      if (!failed)
        last = tdm_shopify_bulk_joiner_finish (joiner);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = tdm_fuzz_strndup (data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *scope = NULL;

  tdm_fuzz_init_once ();

  /* The client looks for a scope in the first 4 KiB of a 401/403 body. */
  scope = tdm_shopify_find_scope (text);
  if (scope != NULL)
    g_assert_true (*scope != '\0');

  root = tdm_fuzz_parse_json (data, size);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    fuzz_response (json_node_get_object (root));

  fuzz_bulk (text);

  /* Search syntax from values that come from the other side. */
  {
    g_autofree char *sku = tdm_shopify_sku_query (text);
    g_autofree char *changed = tdm_shopify_changed_query (size % TDM_N_KINDS, text);

    (void) changed;

    g_assert_nonnull (sku);
  }
  return 0;
}
