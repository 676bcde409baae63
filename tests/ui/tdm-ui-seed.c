/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-ui-seed"

#include "config.h"

#include "tdm-ui-seed.h"
#include "tdm-store.h"

static TdmRecord *
make_record (TdmSide     side,
             TdmKind     kind,
             const char *id,
             JsonObject *fields)
{
  return tdm_record_new (side, kind, id, "2026-11-26T10:00:00Z", NULL, fields, NULL);
}

static JsonObject *
customer_fields (const char *first,
                 const char *last,
                 const char *email,
                 const char *phone)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "first_name", first);
  json_object_set_string_member (fields, "last_name", last);
  json_object_set_string_member (fields, "email", email);
  if (phone != NULL)
    json_object_set_string_member (fields, "phone", phone);
  return fields;
}

static gboolean
commit_pair (TdmRecordStore *store,
             gint64          run_id,
             TdmKind         kind,
             const char     *webshop_id,
             JsonObject     *webshop_fields,
             const char     *shopify_id,
             JsonObject     *shopify_fields,
             TdmRecordError *record_error,
             GPtrArray      *conflicts,
             GError        **error)
{
  TdmCommit commit = { 0 };
  g_autoptr(TdmLink) link = NULL;
  g_autoptr(TdmRecord) webshop = NULL;
  g_autoptr(TdmRecord) shopify = NULL;

  commit.run_id = run_id;
  commit.kind = kind;
  if (webshop_id != NULL)
    webshop = make_record (TDM_SIDE_WEBSHOP, kind, webshop_id, webshop_fields);
  if (shopify_id != NULL)
    shopify = make_record (TDM_SIDE_SHOPIFY, kind, shopify_id, shopify_fields);
  if (webshop_id != NULL && shopify_id != NULL)
    {
      link = tdm_link_new (kind, webshop_id, shopify_id);
      tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, webshop_fields, "2026-11-26T10:00:00Z");
      tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, shopify_fields, "2026-11-26T10:00:00Z");
    }
  commit.link = link;
  commit.cache[TDM_SIDE_WEBSHOP] = webshop;
  commit.cache[TDM_SIDE_SHOPIFY] = shopify;
  commit.error = record_error;
  commit.conflicts = conflicts;

  return tdm_record_store_commit (store, &commit, error);
}

/* Batches of 1,000 commits share a transaction, as a sync run's would. */
#define SEED_BATCH 1000

gboolean
tdm_ui_seed_customers (TdmRecordStore *store,
                       guint           n,
                       GError        **error)
{
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *last = g_strdup_printf ("%05u", i);
      g_autofree char *email = g_strdup_printf ("customer%05u@example.no", i);
      g_autofree char *phone = g_strdup_printf ("+47 4%07u", i);
      g_autofree char *webshop_id = g_strdup_printf ("%u", i);
      g_autofree char *shopify_id = g_strdup_printf ("gid://shopify/Customer/%u", 9000000 + i);
      g_autoptr(JsonObject) fields = customer_fields ("Customer", last, email, phone);

      if ((i - 1) % SEED_BATCH == 0 && !tdm_store_begin_batch (TDM_STORE (store), error))
        return FALSE;

      if (!commit_pair (store, 0, TDM_KIND_CUSTOMER, webshop_id, fields, shopify_id, fields,
                        NULL, NULL, error))
        {
          tdm_store_end_batch (TDM_STORE (store), FALSE, NULL);
          return FALSE;
        }

      if ((i % SEED_BATCH == 0 || i == n) && !tdm_store_end_batch (TDM_STORE (store), TRUE, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
tdm_ui_seed_shop (TdmRecordStore *store,
                  GError        **error)
{
  g_autoptr(JsonObject) kari = customer_fields ("Kari", "Nordmann", "kari@example.no", "+4791234567");
  g_autoptr(JsonObject) ola = customer_fields ("Ola", "Hansen", "ola@example.no", NULL);
  g_autoptr(JsonObject) per_webshop = customer_fields ("Per", "Berg", "per@example.no", NULL);
  g_autoptr(JsonObject) per_shopify = customer_fields ("Per", "Berg", "per.berg@example.com", NULL);
  g_autoptr(JsonObject) eva = customer_fields ("Eva", "Lie", "eva@example.no", "12");
  g_autoptr(JsonObject) socks = json_object_new ();
  g_autoptr(JsonObject) jacket = json_object_new ();
  g_autoptr(JsonObject) order = json_object_new ();
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_field_conflict_free);
  g_autoptr(TdmRecordError) eva_error = NULL;
  g_autoptr(JsonNode) webshop_email = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) shopify_email = json_node_new (JSON_NODE_VALUE);
  TdmRunInfo run = { 0 };
  gint64 run_id;

  run_id = tdm_record_store_run_begin (store, error);
  if (run_id <= 0)
    return FALSE;

  json_node_set_string (webshop_email, "per@example.no");
  json_node_set_string (shopify_email, "per.berg@example.com");
  g_ptr_array_add (conflicts, tdm_field_conflict_new ("email", webshop_email, shopify_email, NULL));
  eva_error = tdm_record_error_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "gid://shopify/Customer/104",
                                    "phone", "Shopify says: phone is invalid. Correct the phone number of Eva Lie in the webshop.");

  json_object_set_string_member (socks, "title", "Wool Socks");
  json_object_set_string_member (socks, "status", "active");
  json_object_set_string_member (jacket, "title", "Rain Jacket");
  json_object_set_string_member (jacket, "status", "draft");
  json_object_set_string_member (order, "number", "1001");
  json_object_set_string_member (order, "email", "kari@example.no");
  json_object_set_string_member (order, "total_price", "499.00");
  json_object_set_string_member (order, "currency", "NOK");

  if (!commit_pair (store, run_id, TDM_KIND_CUSTOMER, "101", kari, "gid://shopify/Customer/101", kari,
                    NULL, NULL, error) ||
      !commit_pair (store, run_id, TDM_KIND_CUSTOMER, "102", ola, NULL, NULL, NULL, NULL, error) ||
      !commit_pair (store, run_id, TDM_KIND_CUSTOMER, "103", per_webshop, "gid://shopify/Customer/103",
                    per_shopify, NULL, conflicts, error) ||
      !commit_pair (store, run_id, TDM_KIND_CUSTOMER, "104", eva, "gid://shopify/Customer/104", eva,
                    eva_error, NULL, error) ||
      !commit_pair (store, run_id, TDM_KIND_PRODUCT, "201", socks, "gid://shopify/Product/201", socks,
                    NULL, NULL, error) ||
      !commit_pair (store, run_id, TDM_KIND_PRODUCT, NULL, NULL, "gid://shopify/Product/202", jacket,
                    NULL, NULL, error) ||
      !commit_pair (store, run_id, TDM_KIND_ORDER, "301", order, "gid://shopify/Order/301", order,
                    NULL, NULL, error))
    return FALSE;

  {
    TdmReviewItem review = { 0 };
    g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

    g_ptr_array_add (candidates, (char *) "gid://shopify/Customer/105");
    g_ptr_array_add (candidates, (char *) "gid://shopify/Customer/106");
    review.kind = TDM_KIND_CUSTOMER;
    review.side = TDM_SIDE_WEBSHOP;
    review.record_id = (char *) "102";
    review.reason = (char *) "Two Shopify customers have the name Ola Hansen and no email in common.";
    review.candidate_ids = candidates;
    if (!tdm_record_store_add_review (store, &review, error))
      return FALSE;
  }

  run.id = run_id;
  run.started_at = 1795000000;
  run.finished_at = 1795000012;
  run.created = 2;
  run.updated = 1;
  run.linked = 4;
  run.conflicts = 1;
  run.errors = 1;
  run.outcome = (char *) "completed";
  return tdm_record_store_run_finish (store, &run, error);
}

gboolean
tdm_ui_seed_customer (TdmRecordStore *store,
                      const char     *webshop_id,
                      const char     *first_name,
                      const char     *last_name,
                      const char     *email,
                      const char     *phone,
                      const char     *error_message,
                      GError        **error)
{
  g_autoptr(JsonObject) fields = customer_fields (first_name, last_name, email, phone);
  g_autoptr(TdmRecordError) record_error = NULL;

  if (error_message != NULL)
    record_error = tdm_record_error_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, webshop_id, "phone",
                                         error_message);
  return commit_pair (store, 0, TDM_KIND_CUSTOMER, webshop_id, fields, NULL, NULL, record_error,
                      NULL, error);
}
