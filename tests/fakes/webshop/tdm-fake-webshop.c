/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop.h"

#include <string.h>

#include "tdm-record.h"
#include "tdm-webshop-json.h"

#define SHORT_TEXT_MAX 255
#define LONG_TEXT_MAX  65535

typedef struct {
  char *id;
  char *deleted_at;
} Tombstone;

typedef struct {
  TdmKind  kind;
  char    *body_canonical;
  guint    status;
  char    *response;
} IdempotentResult;

typedef struct {
  guint        skip;
  TdmFakeFault fault;
  guint        param;
  guint        times;
} FaultSpec;

struct _TdmFakeWebshop
{
  GObject             parent_instance;

  SoupServer         *server;
  char               *url;
  TdmWebshopProfile  *profile;
  TdmWebshopAuth      auth;
  char               *secret;

  guint               rate_rps;
  guint               rate_retry_after;
  GQueue              rate_times;

  GHashTable         *records[TDM_N_KINDS];     /* id → JsonObject */
  GPtrArray          *tombstones[TDM_N_KINDS];  /* Tombstone* */
  GHashTable         *idempotency;              /* key → IdempotentResult* */
  guint64             next_id[TDM_N_KINDS];
  guint64             etag_counter;
  guint64             next_order_number;

  GQueue              faults;
  TdmFakeRequestHook  hook;
  gpointer            hook_data;
  GPtrArray          *log;
  GPtrArray          *delayed;                  /* Delayed* */
  guint               in_flight;
  guint               max_in_flight;
  TdmFakeListMode     list_mode[TDM_N_KINDS];
  JsonObject         *page_extra[TDM_N_KINDS];
  char               *ghost_twin[TDM_N_KINDS];
  guint64             endless_serial;
};

G_DEFINE_FINAL_TYPE (TdmFakeWebshop, tdm_fake_webshop, G_TYPE_OBJECT)

static const TdmFakeRoute routes[] = {
  { "GET", "/customers" }, { "POST", "/customers" }, { "GET", "/customers/deleted" },
  { "GET", "/customers/{id}" }, { "PUT", "/customers/{id}" }, { "DELETE", "/customers/{id}" },
  { "GET", "/products" }, { "POST", "/products" }, { "GET", "/products/deleted" },
  { "GET", "/products/{id}" }, { "PUT", "/products/{id}" }, { "DELETE", "/products/{id}" },
  { "GET", "/orders" }, { "POST", "/orders" }, { "GET", "/orders/deleted" },
  { "GET", "/orders/{id}" }, { "PUT", "/orders/{id}" }, { "DELETE", "/orders/{id}" },
  { NULL, NULL }
};

static const char * const fault_names[] = {
  "none", "500", "502", "503", "429", "reset", "truncated", "malformed-json", "delay"
};

const TdmFakeRoute *
tdm_fake_webshop_get_routes (void)
{
  return routes;
}

const char *
tdm_fake_fault_to_string (TdmFakeFault fault)
{
  g_return_val_if_fail (fault <= TDM_FAKE_FAULT_DELAY, NULL);
  return fault_names[fault];
}

static void
tombstone_free (Tombstone *t)
{
  g_free (t->id);
  g_free (t->deleted_at);
  g_free (t);
}

static void
idempotent_result_free (IdempotentResult *r)
{
  g_free (r->body_canonical);
  g_free (r->response);
  g_free (r);
}

static void
fake_request_free (TdmFakeRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->body);
  g_free (r->idempotency_key);
  g_free (r->if_match);
  g_free (r->authorization);
  g_free (r);
}

/* Helpers: time, JSON */

static char *
timestamp_string (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* RFC 3339 with any offset → "…Z" UTC, seconds precision; NULL if invalid. */
static char *
normalize_timestamp (const char *value)
{
  g_autoptr(GDateTime) dt = NULL;

  if (value == NULL)
    return NULL;
  dt = g_date_time_new_from_iso8601 (value, NULL);
  if (dt == NULL)
    return NULL;
  return timestamp_string (dt);
}

/* A new updated_at: now, but always after `previous` so every write moves
 * the record forward in (updated_at, id) order. */
static char *
next_timestamp (const char *previous)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_str = timestamp_string (now);

  if (previous != NULL && g_strcmp0 (now_str, previous) <= 0)
    {
      g_autoptr(GDateTime) prev = g_date_time_new_from_iso8601 (previous, NULL);
      g_autoptr(GDateTime) later = prev ? g_date_time_add_seconds (prev, 1) : NULL;

      if (later != NULL)
        return timestamp_string (later);
    }
  return g_steal_pointer (&now_str);
}

static void
canonical_append (GString  *out,
                  JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = g_list_sort (json_object_get_members (object),
                                              (GCompareFunc) g_strcmp0);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
          g_autofree char *key_str = json_to_string (key, FALSE);

          if (l != members)
            g_string_append_c (out, ',');
          g_string_append_printf (out, "%s:", key_str);
          canonical_append (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          canonical_append (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
      return;
    }
  {
    g_autofree char *value = json_to_string (node, FALSE);

    g_string_append (out, value);
  }
}

static char *
canonical_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  canonical_append (out, node);
  return g_string_free (out, FALSE);
}

static JsonObject *
object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const TdmWebshopResource *
resource_for (TdmFakeWebshop *self,
              TdmKind         kind)
{
  return &self->profile->resources[kind];
}

static char *
record_id (TdmFakeWebshop *self,
           TdmKind         kind,
           JsonObject     *record)
{
  return tdm_webshop_json_dup_string (record, resource_for (self, kind)->id_field);
}

static char *
record_updated_at (TdmFakeWebshop *self,
                   TdmKind         kind,
                   JsonObject     *record)
{
  return tdm_webshop_json_dup_string (record, resource_for (self, kind)->updated_at_field);
}

static void
set_string_path (JsonObject *object,
                 const char *path,
                 const char *value)
{
  tdm_webshop_json_set_path (object, path, json_node_init_string (json_node_alloc (), value));
}

static void
stamp_write (TdmFakeWebshop *self,
             TdmKind         kind,
             JsonObject     *record,
             const char     *previous_updated_at)
{
  const TdmWebshopResource *res = resource_for (self, kind);
  g_autofree char *updated = next_timestamp (previous_updated_at);
  guint64 version = ++self->etag_counter;
  g_autofree char *etag = g_strdup_printf ("%" G_GUINT64_FORMAT "-%08x", version,
                                           g_str_hash (updated) ^ (guint) version);

  set_string_path (record, res->updated_at_field, updated);
  set_string_path (record, res->etag_field, etag);
}

static char *
new_id (TdmFakeWebshop *self,
        TdmKind         kind)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_id[kind]++);
}

static void
note_seeded_id (TdmFakeWebshop *self,
                TdmKind         kind,
                const char     *id)
{
  guint64 value;

  if (g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT64 - 1, &value, NULL)
      && value >= self->next_id[kind])
    self->next_id[kind] = value + 1;
}

/* Sorted (updated_at, id) list of borrowed records. */
static GPtrArray *
sorted_records (TdmFakeWebshop *self,
                TdmKind         kind)
{
  GPtrArray *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->records[kind]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (items, value);
  tdm_webshop_sort_records (items, resource_for (self, kind));
  return items;
}

/* Validation, the way a real shop would reject records. */

static gboolean
is_valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (strpbrk (email, " \t,;<>") != NULL)
    return FALSE;
  return strchr (at + 1, '.') != NULL && at[1] != '.' && email[strlen (email) - 1] != '.';
}

static gboolean
is_decimal_string (const char *value)
{
  g_autoptr(GRegex) regex = g_regex_new ("^-?[0-9]+(\\.[0-9]+)?$", 0, 0, NULL);

  return value != NULL && g_regex_match (regex, value, 0, NULL);
}

typedef struct {
  char *field;
  char *message;
} Problem;

static gboolean
problem (Problem    *p,
         const char *field,
         const char *message)
{
  p->field = g_strdup (field);
  p->message = g_strdup (message);
  return FALSE;
}

static gboolean
check_lengths (JsonNode   *node,
               const char *path,
               Problem    *p)
{
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = *path ? g_strdup_printf ("%s.%s", path, (char *) l->data)
                                         : g_strdup (l->data);

          if (!check_lengths (json_object_get_member (object, l->data), child, p))
            return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

          if (!check_lengths (json_array_get_element (array, i), child, p))
            return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *value = json_node_get_string (node);
      gboolean is_long = g_str_has_suffix (path, "description_html")
                         || g_str_equal (path, "note");
      glong max = is_long ? LONG_TEXT_MAX : SHORT_TEXT_MAX;

      if (!g_utf8_validate (value, -1, NULL))
        return problem (p, path, "The value is not valid UTF-8 text.");
      if (g_utf8_strlen (value, -1) > max)
        {
          g_autofree char *msg = g_strdup_printf ("The value is too long (at most %ld "
                                                  "characters).", max);
          return problem (p, path, msg);
        }
    }
  return TRUE;
}

static gboolean
check_enum (JsonObject         *record,
            const char         *field,
            const char * const *allowed,
            Problem            *p)
{
  JsonNode *node = json_object_get_member (record, field);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  value = get_string_member (record, field);
  if (value == NULL || !g_strv_contains (allowed, value))
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) allowed);
      g_autofree char *msg = g_strdup_printf ("The value must be one of: %s.", joined);

      return problem (p, field, msg);
    }
  return TRUE;
}

static gboolean
check_money (JsonObject *record,
             const char *field,
             const char *path,
             Problem    *p)
{
  JsonNode *node = json_object_get_member (record, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !is_decimal_string (json_node_get_string (node)))
    return problem (p, path, "Amounts must be decimal strings such as \"129.90\".");
  return TRUE;
}

static gboolean
validate_customer (JsonObject *record,
                   Problem    *p)
{
  const char *email = get_string_member (record, "email");
  JsonNode *tags = json_object_get_member (record, "tags");

  if (email == NULL || *email == '\0')
    return problem (p, "email", "Email is required.");
  if (!is_valid_email (email))
    return problem (p, "email", "Email is not a valid address.");
  if (tags != NULL && !JSON_NODE_HOLDS_NULL (tags) && !JSON_NODE_HOLDS_ARRAY (tags))
    return problem (p, "tags", "Tags must be a list of strings.");
  return TRUE;
}

static gboolean
validate_product (JsonObject *record,
                  Problem    *p)
{
  static const char * const statuses[] = { "active", "draft", "archived", NULL };
  static const char * const units[] = { "kg", "g", "lb", "oz", NULL };
  const char *title = get_string_member (record, "title");
  JsonNode *variants = json_object_get_member (record, "variants");

  if (title == NULL || *title == '\0')
    return problem (p, "title", "Title is required.");
  if (!check_enum (record, "status", statuses, p) || !check_enum (record, "weight_unit", units, p)
      || !check_money (record, "price", "price", p)
      || !check_money (record, "compare_at_price", "compare_at_price", p))
    return FALSE;
  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    {
      JsonArray *array = json_node_get_array (variants);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *v = json_array_get_element (array, i);
          g_autofree char *price_path = g_strdup_printf ("variants[%u].price", i);

          if (!JSON_NODE_HOLDS_OBJECT (v))
            return problem (p, "variants", "Each variant must be an object.");
          if (!check_money (json_node_get_object (v), "price", price_path, p))
            return FALSE;
        }
    }
  else if (variants != NULL && !JSON_NODE_HOLDS_NULL (variants))
    return problem (p, "variants", "Variants must be a list.");
  return TRUE;
}

static gboolean
validate_order (JsonObject *record,
                Problem    *p)
{
  static const char * const financial[] = { "pending", "authorized", "paid", "partially_paid",
                                            "partially_refunded", "refunded", "voided", NULL };
  static const char * const fulfillment[] = { "unfulfilled", "partial", "fulfilled", NULL };
  JsonNode *lines = json_object_get_member (record, "line_items");
  const char *currency = get_string_member (record, "currency");
  const char *email = get_string_member (record, "email");

  if (currency == NULL || strlen (currency) != 3)
    return problem (p, "currency", "Currency must be an ISO 4217 code such as NOK.");
  if (email != NULL && *email != '\0' && !is_valid_email (email))
    return problem (p, "email", "Email is not a valid address.");
  if (!check_enum (record, "financial_status", financial, p)
      || !check_enum (record, "fulfillment_status", fulfillment, p)
      || !check_money (record, "total_price", "total_price", p))
    return FALSE;
  if (lines == NULL || !JSON_NODE_HOLDS_ARRAY (lines)
      || json_array_get_length (json_node_get_array (lines)) == 0)
    return problem (p, "line_items", "An order needs at least one line item.");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lines)); i++)
    {
      JsonNode *line = json_array_get_element (json_node_get_array (lines), i);
      JsonNode *qty;
      g_autofree char *path = g_strdup_printf ("line_items[%u].quantity", i);

      if (!JSON_NODE_HOLDS_OBJECT (line))
        return problem (p, "line_items", "Each line item must be an object.");
      qty = json_object_get_member (json_node_get_object (line), "quantity");
      if (qty == NULL || !JSON_NODE_HOLDS_VALUE (qty)
          || json_node_get_value_type (qty) != G_TYPE_INT64 || json_node_get_int (qty) < 1)
        return problem (p, path, "Quantity must be a whole number of at least 1.");
    }
  return TRUE;
}

static gboolean
validate_record (TdmKind     kind,
                 JsonObject *record,
                 Problem    *p)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);

  if (!check_lengths (node, "", p))
    return FALSE;
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return validate_customer (record, p);
    case TDM_KIND_PRODUCT:
      return validate_product (record, p);
    case TDM_KIND_ORDER:
      return validate_order (record, p);
    default:
      g_assert_not_reached ();
    }
}

static void
collect_skus (JsonObject *record,
              GPtrArray  *skus)
{
  const char *sku = get_string_member (record, "sku");
  JsonNode *variants = json_object_get_member (record, "variants");

  if (sku != NULL && *sku != '\0')
    g_ptr_array_add (skus, (gpointer) sku);
  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (variants)); i++)
      {
        JsonNode *v = json_array_get_element (json_node_get_array (variants), i);
        const char *vsku = JSON_NODE_HOLDS_OBJECT (v)
                           ? get_string_member (json_node_get_object (v), "sku") : NULL;

        if (vsku != NULL && *vsku != '\0')
          g_ptr_array_add (skus, (gpointer) vsku);
      }
}

/* The id of another record holding a unique value of `record`, or NULL. */
static char *
find_duplicate (TdmFakeWebshop *self,
                TdmKind         kind,
                JsonObject     *record,
                const char     *self_id,
                const char    **out_field)
{
  GHashTableIter iter;
  gpointer key, value;

  if (kind == TDM_KIND_CUSTOMER)
    {
      const char *email = get_string_member (record, "email");

      *out_field = "email";
      g_hash_table_iter_init (&iter, self->records[kind]);
      while (email && g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *other = get_string_member (value, "email");

          g_autofree char *a = other ? g_strstrip (g_strdup (other)) : NULL;
          g_autofree char *b = g_strstrip (g_strdup (email));

          if (g_strcmp0 (key, self_id) != 0 && a != NULL && g_ascii_strcasecmp (a, b) == 0)
            return g_strdup (key);
        }
    }
  else if (kind == TDM_KIND_PRODUCT)
    {
      g_autoptr(GPtrArray) mine = g_ptr_array_new ();

      *out_field = "sku";
      collect_skus (record, mine);
      g_hash_table_iter_init (&iter, self->records[kind]);
      while (mine->len > 0 && g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autoptr(GPtrArray) theirs = g_ptr_array_new ();

          if (g_strcmp0 (key, self_id) == 0)
            continue;
          collect_skus (value, theirs);
          for (guint i = 0; i < mine->len; i++)
            for (guint j = 0; j < theirs->len; j++)
              if (g_str_equal (mine->pdata[i], theirs->pdata[j]))
                return g_strdup (key);
        }
    }
  return NULL;
}

/* Responses */

static TdmFakeRequest *
current_entry (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "tdm-fake-request");
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body)  /* transfer full, nullable */
{
  TdmFakeRequest *entry = current_entry (msg);

  if (entry != NULL)
    entry->status = status;
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  respond_text (msg, status, "application/json", json_to_string (node, FALSE));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond_json (msg, status, node);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message,
               const char        *field,
               const char        *existing_id)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  if (field != NULL)
    json_object_set_string_member (error, "field", field);
  if (existing_id != NULL)
    json_object_set_string_member (error, "existing_id", existing_id);
  json_object_set_object_member (root, "error", error);
  respond_object (msg, status, root);
}

static void
respond_record (TdmFakeWebshop    *self,
                SoupServerMessage *msg,
                TdmKind            kind,
                guint              status,
                JsonObject        *record)
{
  g_autofree char *etag = tdm_webshop_json_dup_string (record, resource_for (self, kind)->etag_field);

  if (etag != NULL)
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    quoted);
    }
  respond_object (msg, status, record);
}

static JsonObject *
parse_body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || body->length == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, body->data, body->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
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

/* Listing */

static char *
encode_cursor (const char *updated_at,
               const char *id)
{
  g_autofree char *raw = g_strdup_printf ("%s\n%s", updated_at ? updated_at : "", id);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static gboolean
decode_cursor (const char  *cursor,
               char       **out_updated_at,
               char       **out_id)
{
  gsize len = 0;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  char *nl;

  if (cursor == NULL || *cursor == '\0')
    return FALSE;
  raw = g_base64_decode (cursor, &len);
  if (raw == NULL || len == 0)
    return FALSE;
  text = g_strndup ((const char *) raw, len);
  nl = strchr (text, '\n');
  if (nl == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  *nl = '\0';
  *out_updated_at = g_strdup (text);
  *out_id = g_strdup (nl + 1);
  return TRUE;
}

static gboolean
parse_limit (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *param,
             guint              fallback,
             guint             *out)
{
  const char *value = query ? g_hash_table_lookup (query, param) : NULL;
  guint64 limit;

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 1, 250, &limit, NULL))
    {
      respond_error (msg, 400, "invalid_parameter",
                     "limit must be a whole number from 1 to 250.", param, NULL);
      return FALSE;
    }
  *out = (guint) limit;
  return TRUE;
}

static gboolean
parse_since (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *param,
             char             **out)
{
  const char *value = query ? g_hash_table_lookup (query, param) : NULL;

  *out = NULL;
  if (value == NULL || *value == '\0')
    return TRUE;
  *out = normalize_timestamp (value);
  if (*out == NULL)
    {
      respond_error (msg, 400, "invalid_parameter",
                     "The timestamp must be RFC 3339 with an offset, e.g. 2026-11-26T18:01:15Z.",
                     param, NULL);
      return FALSE;
    }
  return TRUE;
}

/* The URL of this collection page with one parameter replaced. */
static char *
build_next_link (TdmFakeWebshop    *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 const char        *param,
                 const char        *value)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (params, k, v);
    }
  g_hash_table_insert (params, (gpointer) param, (gpointer) value);
  encoded = soup_form_encode_hash (params);
  return g_strdup_printf ("%s%s?%s", self->url, g_uri_get_path (uri), encoded);
}

/* A new stored record for TDM_FAKE_LIST_ENDLESS (borrowed). */
static JsonObject *
endless_record (TdmFakeWebshop *self,
                TdmKind         kind)
{
  g_autoptr(JsonObject) record = json_object_new ();
  guint64 n = ++self->endless_serial;
  g_autofree char *email = g_strdup_printf ("endless-%" G_GUINT64_FORMAT "@example.com", n);
  g_autofree char *sku = g_strdup_printf ("ENDLESS-%" G_GUINT64_FORMAT, n);
  g_autofree char *id = NULL;

  if (kind == TDM_KIND_CUSTOMER)
    {
      json_object_set_string_member (record, "email", email);
      json_object_set_string_member (record, "first_name", "Endless");
    }
  else
    {
      json_object_set_string_member (record, "sku", sku);
      json_object_set_string_member (record, "title", "Endless");
    }
  id = tdm_fake_webshop_seed (self, kind, record);
  return g_hash_table_lookup (self->records[kind], id);
}

static void
serve_list (TdmFakeWebshop    *self,
            SoupServerMessage *msg,
            TdmKind            kind,
            GHashTable        *query)
{
  const TdmWebshopResource *res = resource_for (self, kind);
  g_autoptr(GPtrArray) all = sorted_records (self, kind);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autofree char *since = NULL;
  g_autofree char *next = NULL;
  JsonArray *items = json_array_new ();
  g_autoptr(JsonNode) items_node = json_node_init_array (json_node_alloc (), items);
  guint limit, start = 0;
  const char *cursor = NULL;

  json_array_unref (items);
  if (!parse_limit (msg, query, res->param_limit, res->page_size, &limit)
      || !parse_since (msg, query, res->param_updated_since, &since))
    return;

  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *updated = record_updated_at (self, kind, all->pdata[i]);

      if (since == NULL || g_strcmp0 (updated, since) >= 0)
        g_ptr_array_add (matching, all->pdata[i]);
    }
  if (self->list_mode[kind] == TDM_FAKE_LIST_ENDLESS)
    {
      /* Only what was "created" since the last page, and always more. */
      g_ptr_array_set_size (matching, 0);
      for (guint i = 0; i < limit + 1; i++)
        g_ptr_array_add (matching, endless_record (self, kind));
    }

  if (self->list_mode[kind] != TDM_FAKE_LIST_NORMAL)
    start = 0;
  else if (res->paging == TDM_WEBSHOP_PAGING_CURSOR || res->paging == TDM_WEBSHOP_PAGING_LINK)
    {
      cursor = query ? g_hash_table_lookup (query, res->param_cursor) : NULL;
      if (cursor != NULL && *cursor != '\0')
        {
          g_autofree char *cu = NULL, *ci = NULL;

          if (!decode_cursor (cursor, &cu, &ci))
            {
              respond_error (msg, 400, "invalid_cursor", "The cursor is not valid.",
                             res->param_cursor, NULL);
              return;
            }
          /* Keyset: everything after (cu, ci); stable while records change. */
          while (start < matching->len)
            {
              g_autofree char *u = record_updated_at (self, kind, matching->pdata[start]);
              g_autofree char *id = record_id (self, kind, matching->pdata[start]);
              int cmp = g_strcmp0 (u, cu);

              if (cmp > 0 || (cmp == 0 && g_strcmp0 (id, ci) > 0))
                break;
              start++;
            }
        }
    }
  else
    {
      const char *param = res->paging == TDM_WEBSHOP_PAGING_PAGE ? res->param_page
                                                                 : res->param_offset;
      const char *value = query ? g_hash_table_lookup (query, param) : NULL;
      guint64 n = res->paging == TDM_WEBSHOP_PAGING_PAGE ? 1 : 0;

      if (value != NULL && !g_ascii_string_to_unsigned (value, 10, n, G_MAXUINT32, &n, NULL))
        {
          respond_error (msg, 400, "invalid_parameter", "The page position is not valid.",
                         param, NULL);
          return;
        }
      start = res->paging == TDM_WEBSHOP_PAGING_PAGE ? (guint) ((n - 1) * limit) : (guint) n;
    }

  for (guint i = start; i < matching->len && i < start + limit; i++)
    json_array_add_object_element (items, object_copy (matching->pdata[i]));
  if (self->page_extra[kind] != NULL)
    json_array_add_object_element (items, object_copy (self->page_extra[kind]));

  if (start + limit < matching->len && json_array_get_length (items) > 0)
    {
      JsonObject *last = matching->pdata[start + limit - 1];
      g_autofree char *u = record_updated_at (self, kind, last);
      g_autofree char *id = record_id (self, kind, last);

      next = encode_cursor (u, id);
    }
  if (self->list_mode[kind] == TDM_FAKE_LIST_REPEAT_CURSOR)
    {
      g_clear_pointer (&next, g_free);
      next = encode_cursor ("repeat", "0");
    }

  if (res->paging == TDM_WEBSHOP_PAGING_LINK && next != NULL)
    {
      g_autofree char *link = build_next_link (self, msg, query, res->param_cursor, next);
      g_autofree char *header = g_strdup_printf ("<%s>; rel=\"next\"", link);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link",
                                    header);
    }

  if (res->items_key == NULL || *res->items_key == '\0')
    {
      respond_json (msg, 200, items_node);
      return;
    }
  {
    g_autoptr(JsonObject) root = json_object_new ();

    tdm_webshop_json_set_path (root, res->items_key, json_node_ref (items_node));
    if (res->paging == TDM_WEBSHOP_PAGING_CURSOR)
      tdm_webshop_json_set_path (root, res->next_cursor_key,
                                 next ? json_node_init_string (json_node_alloc (), next)
                                      : json_node_init_null (json_node_alloc ()));
    respond_object (msg, 200, root);
  }
}

static int
compare_tombstones (gconstpointer a,
                    gconstpointer b)
{
  const Tombstone *ta = *(Tombstone * const *) a;
  const Tombstone *tb = *(Tombstone * const *) b;
  int cmp = g_strcmp0 (ta->deleted_at, tb->deleted_at);

  return cmp != 0 ? cmp : g_strcmp0 (ta->id, tb->id);
}

static void
serve_deleted (TdmFakeWebshop    *self,
               SoupServerMessage *msg,
               TdmKind            kind,
               GHashTable        *query)
{
  const TdmWebshopResource *res = resource_for (self, kind);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *since = NULL;
  g_autofree char *cu = NULL, *ci = NULL;
  const char *cursor = query ? g_hash_table_lookup (query, res->param_cursor) : NULL;
  JsonArray *items = json_array_new ();
  Tombstone *last = NULL;
  guint limit, taken = 0;
  gboolean more = FALSE;

  if (!parse_limit (msg, query, res->param_limit, res->page_size, &limit)
      || !parse_since (msg, query, res->deleted_since_param, &since))
    {
      json_array_unref (items);
      return;
    }
  if (cursor != NULL && *cursor != '\0' && !decode_cursor (cursor, &cu, &ci))
    {
      json_array_unref (items);
      respond_error (msg, 400, "invalid_cursor", "The cursor is not valid.", res->param_cursor,
                     NULL);
      return;
    }

  /* Borrowed pointers: the copy must not free them. */
  for (guint i = 0; i < self->tombstones[kind]->len; i++)
    g_ptr_array_add (sorted, self->tombstones[kind]->pdata[i]);
  g_ptr_array_sort (sorted, compare_tombstones);
  for (guint i = 0; i < sorted->len; i++)
    {
      Tombstone *t = sorted->pdata[i];
      JsonObject *item;

      if (since != NULL && g_strcmp0 (t->deleted_at, since) < 0)
        continue;
      if (cu != NULL)
        {
          int cmp = g_strcmp0 (t->deleted_at, cu);

          if (cmp < 0 || (cmp == 0 && g_strcmp0 (t->id, ci) <= 0))
            continue;
        }
      if (taken == limit)
        {
          more = TRUE;
          break;
        }
      item = json_object_new ();
      json_object_set_string_member (item, "id", t->id);
      json_object_set_string_member (item, res->deleted_at_field, t->deleted_at);
      json_array_add_object_element (items, item);
      last = t;
      taken++;
    }

  json_object_set_array_member (root, "items", items);
  if (more && last != NULL)
    {
      g_autofree char *next = encode_cursor (last->deleted_at, last->id);

      json_object_set_string_member (root, "next_cursor", next);
    }
  else
    json_object_set_null_member (root, "next_cursor");
  respond_object (msg, 200, root);
}

/* Writes */

static void
strip_server_fields (TdmFakeWebshop *self,
                     TdmKind         kind,
                     JsonObject     *record)
{
  const TdmWebshopResource *res = resource_for (self, kind);

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
  Problem p = { NULL, NULL };
  const char *field = NULL;
  g_autofree char *existing = NULL;

  if (!validate_record (kind, record, &p))
    {
      respond_error (msg, 422, "invalid", p.message, p.field, NULL);
      g_free (p.field);
      g_free (p.message);
      return FALSE;
    }
  existing = find_duplicate (self, kind, record, self_id, &field);
  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf ("Another %s already has this %s.",
                                                  tdm_kind_to_string (kind), field);

      respond_error (msg, 409, "duplicate", message, field, existing);
      return FALSE;
    }
  return TRUE;
}

static void
serve_create (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              TdmKind            kind)
{
  const TdmWebshopResource *res = resource_for (self, kind);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(JsonObject) record = parse_body_object (msg);
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = timestamp_string (now);

  if (record == NULL)
    {
      respond_error (msg, 400, "invalid_json", "The body must be a JSON object.", NULL, NULL);
      return;
    }
  body_node = json_node_init_object (json_node_alloc (), record);
  canonical = canonical_string (body_node);

  if (key != NULL)
    {
      IdempotentResult *previous = g_hash_table_lookup (self->idempotency, key);

      if (previous != NULL)
        {
          if (previous->kind != kind || g_strcmp0 (previous->body_canonical, canonical) != 0)
            {
              respond_error (msg, 422, "idempotency_key_reused",
                             "This Idempotency-Key was already used with a different body.",
                             NULL, NULL);
              return;
            }
          respond_text (msg, previous->status, "application/json", g_strdup (previous->response));
          return;
        }
    }

  strip_server_fields (self, kind, record);
  if (self->ghost_twin[kind] != NULL)
    {
      respond_error (msg, 409, "duplicate", "Another record already has this value.", NULL,
                     self->ghost_twin[kind]);
      return;
    }
  if (!check_record (self, msg, kind, record, NULL))
    return;

  id = new_id (self, kind);
  set_string_path (record, res->id_field, id);
  json_object_set_string_member (record, "created_at", created);
  if (kind == TDM_KIND_ORDER && !json_object_has_member (record, "number"))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_order_number++);

      json_object_set_string_member (record, "number", number);
    }
  stamp_write (self, kind, record, NULL);
  g_hash_table_insert (self->records[kind], g_strdup (id), json_object_ref (record));

  respond_record (self, msg, kind, 201, record);
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

static gboolean
check_if_match (TdmFakeWebshop    *self,
                SoupServerMessage *msg,
                TdmKind            kind,
                JsonObject        *current)
{
  const char *if_match = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "If-Match");
  g_autofree char *wanted = bare_etag (if_match);
  g_autofree char *have = tdm_webshop_json_dup_string (current, resource_for (self, kind)->etag_field);

  if (wanted == NULL || g_str_equal (wanted, "*") || g_strcmp0 (wanted, have) == 0)
    return TRUE;
  respond_error (msg, 412, "precondition_failed",
                 "The record was changed since it was read.", NULL, NULL);
  return FALSE;
}

static void
serve_update (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              TdmKind            kind,
              const char        *id)
{
  const TdmWebshopResource *res = resource_for (self, kind);
  JsonObject *current = g_hash_table_lookup (self->records[kind], id);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *previous = NULL;
  const char *created;

  if (current == NULL)
    {
      respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      return;
    }
  if (!check_if_match (self, msg, kind, current))
    return;
  record = parse_body_object (msg);
  if (record == NULL)
    {
      respond_error (msg, 400, "invalid_json", "The body must be a JSON object.", NULL, NULL);
      return;
    }
  strip_server_fields (self, kind, record);
  if (!check_record (self, msg, kind, record, id))
    return;

  previous = record_updated_at (self, kind, current);
  created = get_string_member (current, "created_at");
  set_string_path (record, res->id_field, id);
  if (created != NULL)
    json_object_set_string_member (record, "created_at", created);
  if (kind == TDM_KIND_ORDER && !json_object_has_member (record, "number")
      && json_object_has_member (current, "number"))
    json_object_set_member (record, "number",
                            json_node_copy (json_object_get_member (current, "number")));
  stamp_write (self, kind, record, previous);
  g_hash_table_replace (self->records[kind], g_strdup (id), json_object_ref (record));
  respond_record (self, msg, kind, 200, record);
}

static void
add_tombstone (TdmFakeWebshop *self,
               TdmKind         kind,
               const char     *id)
{
  Tombstone *t = g_new0 (Tombstone, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  t->id = g_strdup (id);
  t->deleted_at = timestamp_string (now);
  g_ptr_array_add (self->tombstones[kind], t);
}

static void
serve_delete (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              TdmKind            kind,
              const char        *id)
{
  JsonObject *current = g_hash_table_lookup (self->records[kind], id);

  if (current == NULL)
    {
      respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      return;
    }
  if (!check_if_match (self, msg, kind, current))
    return;
  g_hash_table_remove (self->records[kind], id);
  add_tombstone (self, kind, id);
  respond_text (msg, 204, NULL, NULL);
}

/* Auth, rate cap, faults */

static gboolean
check_auth (TdmFakeWebshop    *self,
            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;
  const char *got = authorization;

  switch (self->auth)
    {
    case TDM_WEBSHOP_AUTH_PROFILE:
      return TRUE;
    case TDM_WEBSHOP_AUTH_BEARER:
      expected = g_strdup_printf ("Bearer %s", self->secret);
      break;
    case TDM_WEBSHOP_AUTH_BASIC:
      {
        g_autofree char *b64 = g_base64_encode ((const guchar *) self->secret,
                                                strlen (self->secret));

        expected = g_strdup_printf ("Basic %s", b64);
      }
      break;
    case TDM_WEBSHOP_AUTH_HEADER:
      expected = g_strdup (self->secret);
      got = soup_message_headers_get_one (headers, self->profile->auth_header);
      break;
    default:
      g_assert_not_reached ();
    }

  if (got != NULL && g_str_equal (got, expected))
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate",
                                self->auth == TDM_WEBSHOP_AUTH_BASIC ? "Basic realm=\"shop\""
                                                                     : "Bearer");
  respond_error (msg, 401, "unauthorized", "Missing or invalid credentials.", NULL, NULL);
  return FALSE;
}

static gboolean
check_rate (TdmFakeWebshop    *self,
            SoupServerMessage *msg)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *retry = NULL;

  if (self->rate_rps == 0)
    return TRUE;
  while (!g_queue_is_empty (&self->rate_times)
         && now - *(gint64 *) g_queue_peek_head (&self->rate_times) >= G_USEC_PER_SEC)
    g_free (g_queue_pop_head (&self->rate_times));
  if (g_queue_get_length (&self->rate_times) < self->rate_rps)
    {
      g_queue_push_tail (&self->rate_times, g_memdup2 (&now, sizeof now));
      return TRUE;
    }
  retry = g_strdup_printf ("%u", self->rate_retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                retry);
  respond_error (msg, 429, "rate_limited", "Too many requests.", NULL, NULL);
  return FALSE;
}

static TdmFakeFault
take_fault (TdmFakeWebshop *self,
            guint          *out_param)
{
  FaultSpec *spec = g_queue_peek_head (&self->faults);
  TdmFakeFault fault;

  if (spec == NULL)
    return TDM_FAKE_FAULT_NONE;
  if (spec->skip > 0)
    {
      spec->skip--;
      return TDM_FAKE_FAULT_NONE;
    }
  fault = spec->fault;
  *out_param = spec->param;
  if (--spec->times == 0)
    g_free (g_queue_pop_head (&self->faults));
  return fault;
}

static void
write_raw_and_close (SoupServerMessage *msg,
                     const char        *raw)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  if (raw != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw),
                               NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

typedef struct {
  TdmFakeWebshop    *self;
  SoupServerMessage *msg;
  guint              source_id;
  gboolean           disconnected;
} Delayed;

static void
on_delayed_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  Delayed *delayed = user_data;

  delayed->disconnected = TRUE;
}

static void
delayed_free (Delayed *delayed)
{
  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  /* The client may have given up (its timeout) and closed the connection. */
  if (!delayed->disconnected)
    soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove (delayed->self->delayed, delayed);
  return G_SOURCE_REMOVE;
}

static void
delay_answer (TdmFakeWebshop    *self,
              SoupServerMessage *msg,
              guint              ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_disconnected), delayed);
  soup_server_message_pause (msg);
  delayed->source_id = g_timeout_add (ms, on_delay_done_cb, delayed);
  g_ptr_array_add (self->delayed, delayed);
}

/* Faults answered without looking at the request. TRUE when answered. */
static gboolean
serve_fault (SoupServerMessage *msg,
             TdmFakeFault       fault,
             guint              param)
{
  TdmFakeRequest *entry = current_entry (msg);

  switch (fault)
    {
    case TDM_FAKE_FAULT_500:
    case TDM_FAKE_FAULT_502:
    case TDM_FAKE_FAULT_503:
      {
        guint status = fault == TDM_FAKE_FAULT_500 ? 500 : fault == TDM_FAKE_FAULT_502 ? 502 : 503;

        if (status == 502)
          respond_text (msg, status, "text/html",
                        g_strdup ("<html><body>Bad gateway</body></html>"));
        else
          respond_error (msg, status, "server_error", "Injected server error.", NULL, NULL);
      }
      return TRUE;
    case TDM_FAKE_FAULT_429:
      {
        g_autofree char *retry = g_strdup_printf ("%u", param);

        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", retry);
        respond_error (msg, 429, "rate_limited", "Too many requests.", NULL, NULL);
      }
      return TRUE;
    case TDM_FAKE_FAULT_RESET:
      if (param == 1)
        return FALSE;  /* carried out first, then dropped by the caller */
      entry->status = 0;
      write_raw_and_close (msg, NULL);
      return TRUE;
    case TDM_FAKE_FAULT_TRUNCATED:
      entry->status = 200;
      write_raw_and_close (msg, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 4096\r\nConnection: close\r\n\r\n"
                                "{\"items\": [{\"id\": \"1\", \"email\":");
      return TRUE;
    case TDM_FAKE_FAULT_MALFORMED_JSON:
      respond_text (msg, 200, "application/json",
                    g_strdup ("{\"items\": [{\"id\": \"1\", \"email\": }, ]"));
      return TRUE;
    case TDM_FAKE_FAULT_NONE:
    case TDM_FAKE_FAULT_DELAY:
    default:
      return FALSE;
    }
}

/* Dispatch */

static gboolean
match_resource (TdmFakeWebshop *self,
                const char     *path,
                TdmKind        *out_kind,
                char          **out_id,
                gboolean       *out_deleted)
{
  const char *rel = path[0] == '/' ? path + 1 : path;

  *out_id = NULL;
  *out_deleted = FALSE;
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      const TdmWebshopResource *res = resource_for (self, k);
      gsize len = strlen (res->path);

      *out_kind = k;
      if (res->deleted_available && g_str_equal (rel, res->deleted_path))
        {
          *out_deleted = TRUE;
          return TRUE;
        }
      if (g_str_equal (rel, res->path))
        return TRUE;
      if (strncmp (rel, res->path, len) == 0 && rel[len] == '/' && rel[len + 1] != '\0'
          && strchr (rel + len + 1, '/') == NULL)
        {
          *out_id = g_uri_unescape_string (rel + len + 1, NULL);
          return *out_id != NULL;
        }
    }
  return FALSE;
}

static void
serve_api (TdmFakeWebshop    *self,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *id = NULL;
  gboolean deleted;
  TdmKind kind;

  if (!match_resource (self, path, &kind, &id, &deleted))
    {
      respond_error (msg, 404, "not_found", "No such endpoint.", NULL, NULL);
      return;
    }

  if (deleted || id == NULL)
    {
      if (g_str_equal (method, "GET"))
        {
          if (deleted)
            serve_deleted (self, msg, kind, query);
          else
            serve_list (self, msg, kind, query);
        }
      else if (!deleted && g_str_equal (method, "POST"))
        serve_create (self, msg, kind);
      else
        respond_error (msg, 405, "method_not_allowed", "Method not allowed.", NULL, NULL);
      return;
    }

  if (g_str_equal (method, "GET"))
    {
      JsonObject *record = g_hash_table_lookup (self->records[kind], id);

      if (record == NULL)
        respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      else
        respond_record (self, msg, kind, 200, record);
    }
  else if (g_str_equal (method, "PUT"))
    serve_update (self, msg, kind, id);
  else if (g_str_equal (method, "DELETE"))
    serve_delete (self, msg, kind, id);
  else
    respond_error (msg, 405, "method_not_allowed", "Method not allowed.", NULL, NULL);
}

static void
on_message_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  TdmFakeWebshop *self = user_data;

  if (self->in_flight > 0)
    self->in_flight--;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TdmFakeWebshop *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  TdmFakeRequest *entry = g_new0 (TdmFakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  TdmFakeFault fault;
  guint param = 0;

  entry->method = g_strdup (soup_server_message_get_method (msg));
  entry->path = g_strdup (path);
  entry->query = g_strdup (g_uri_get_query (uri));
  if (body != NULL && body->length > 0)
    entry->body = g_strndup (body->data, body->length);
  entry->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  entry->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  if (soup_message_headers_get_one (headers, "Authorization") != NULL
      || soup_message_headers_get_one (headers, self->profile->auth_header) != NULL)
    entry->authorization = g_strdup ("present");
  g_ptr_array_add (self->log, entry);
  g_object_set_data (G_OBJECT (msg), "tdm-fake-request", entry);

  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_message_finished), self, 0);

  if (self->hook != NULL)
    self->hook (self, entry->method, path, self->hook_data);

  fault = take_fault (self, &param);
  entry->fault = fault;
  if (fault != TDM_FAKE_FAULT_NONE)
    g_debug ("Serving fault %s to %s %s.", tdm_fake_fault_to_string (fault), entry->method, path);
  if (serve_fault (msg, fault, param))
    {
      if (fault == TDM_FAKE_FAULT_RESET || fault == TDM_FAKE_FAULT_TRUNCATED)
        on_message_finished (msg, self);
      return;
    }

  if (check_auth (self, msg) && check_rate (self, msg))
    serve_api (self, msg, path, query);

  if (fault == TDM_FAKE_FAULT_RESET)
    {
      g_debug ("The answer (HTTP %u) is dropped after the request was carried out.",
               entry->status);
      entry->status = 0;
      write_raw_and_close (msg, NULL);
      on_message_finished (msg, self);
      return;
    }

  if (fault == TDM_FAKE_FAULT_DELAY)
    delay_answer (self, msg, param);
}

/* GObject */

static void
tdm_fake_webshop_dispose (GObject *object)
{
  TdmFakeWebshop *self = TDM_FAKE_WEBSHOP (object);

  for (guint i = 0; self->delayed != NULL && i < self->delayed->len; i++)
    {
      Delayed *delayed = self->delayed->pdata[i];

      g_clear_handle_id (&delayed->source_id, g_source_remove);
    }
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (tdm_fake_webshop_parent_class)->dispose (object);
}

static void
tdm_fake_webshop_finalize (GObject *object)
{
  TdmFakeWebshop *self = TDM_FAKE_WEBSHOP (object);

  g_free (self->url);
  g_clear_pointer (&self->profile, tdm_webshop_profile_unref);
  g_free (self->secret);
  g_queue_clear_full (&self->rate_times, g_free);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_hash_table_unref (self->records[k]);
      g_ptr_array_unref (self->tombstones[k]);
    }
  g_hash_table_unref (self->idempotency);
  g_queue_clear_full (&self->faults, g_free);
  g_ptr_array_unref (self->log);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_clear_pointer (&self->page_extra[k], json_object_unref);
      g_free (self->ghost_twin[k]);
    }

  G_OBJECT_CLASS (tdm_fake_webshop_parent_class)->finalize (object);
}

static void
tdm_fake_webshop_class_init (TdmFakeWebshopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_fake_webshop_dispose;
  object_class->finalize = tdm_fake_webshop_finalize;
}

static void
tdm_fake_webshop_init (TdmFakeWebshop *self)
{
  self->profile = tdm_webshop_profile_new_default ();
  self->auth = TDM_WEBSHOP_AUTH_PROFILE;
  self->rate_retry_after = 1;
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      self->records[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) json_object_unref);
      self->tombstones[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) tombstone_free);
      self->next_id[k] = (k + 1) * 100000 + 1;
    }
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) idempotent_result_free);
  self->next_order_number = 5001;
  g_queue_init (&self->faults);
  g_queue_init (&self->rate_times);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  self->delayed = g_ptr_array_new_with_free_func ((GDestroyNotify) delayed_free);
}

/* Public API */

TdmFakeWebshop *
tdm_fake_webshop_new (void)
{
  return g_object_new (TDM_TYPE_FAKE_WEBSHOP, NULL);
}

gboolean
tdm_fake_webshop_start_on_port (TdmFakeWebshop  *self,
                                guint            port,
                                GError         **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "TandemFakeWebshop/1 ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

gboolean
tdm_fake_webshop_start (TdmFakeWebshop  *self,
                        GError         **error)
{
  return tdm_fake_webshop_start_on_port (self, 0, error);
}

const char *
tdm_fake_webshop_get_url (TdmFakeWebshop *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  return self->url;
}

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

char *
tdm_fake_webshop_seed (TdmFakeWebshop *self,
                       TdmKind         kind,
                       JsonObject     *record)
{
  const TdmWebshopResource *res;
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *id = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *etag = NULL;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  res = resource_for (self, kind);
  copy = object_copy (record);
  id = record_id (self, kind, copy);
  if (id == NULL)
    {
      id = new_id (self, kind);
      set_string_path (copy, res->id_field, id);
    }
  else
    note_seeded_id (self, kind, id);

  updated = record_updated_at (self, kind, copy);
  if (updated == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      updated = timestamp_string (now);
      set_string_path (copy, res->updated_at_field, updated);
    }
  else
    {
      g_autofree char *normal = normalize_timestamp (updated);

      if (normal != NULL)
        set_string_path (copy, res->updated_at_field, normal);
    }
  if (!json_object_has_member (copy, "created_at"))
    json_object_set_string_member (copy, "created_at", updated);
  etag = tdm_webshop_json_dup_string (copy, res->etag_field);
  if (etag == NULL)
    {
      etag = g_strdup_printf ("%" G_GUINT64_FORMAT "-seed", ++self->etag_counter);
      set_string_path (copy, res->etag_field, etag);
    }
  if (kind == TDM_KIND_ORDER)
    {
      g_autofree char *number = tdm_webshop_json_dup_string (copy, "number");
      guint64 n;

      if (number != NULL && g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT32, &n, NULL)
          && n >= self->next_order_number)
        self->next_order_number = n + 1;
    }

  g_hash_table_replace (self->records[kind], g_strdup (id), g_steal_pointer (&copy));
  return g_steal_pointer (&id);
}

gboolean
tdm_fake_webshop_update (TdmFakeWebshop *self,
                         TdmKind         kind,
                         const char     *id,
                         JsonObject     *patch)
{
  JsonObject *record;
  g_autoptr(GList) members = NULL;
  g_autofree char *previous = NULL;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  record = g_hash_table_lookup (self->records[kind], id);
  if (record == NULL)
    return FALSE;
  if (patch != NULL)
    members = json_object_get_members (patch);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (record, l->data,
                            json_node_copy (json_object_get_member (patch, l->data)));
  previous = record_updated_at (self, kind, record);
  stamp_write (self, kind, record, previous);
  return TRUE;
}

gboolean
tdm_fake_webshop_delete (TdmFakeWebshop *self,
                         TdmKind         kind,
                         const char     *id)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (kind < TDM_N_KINDS, FALSE);

  if (!g_hash_table_remove (self->records[kind], id))
    return FALSE;
  add_tombstone (self, kind, id);
  return TRUE;
}

JsonObject *
tdm_fake_webshop_get_record (TdmFakeWebshop *self,
                             TdmKind         kind,
                             const char     *id)
{
  JsonObject *record;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  /* A deep copy: a test changing it must not change the shop. */
  record = g_hash_table_lookup (self->records[kind], id);
  return record ? tdm_json_object_copy (record) : NULL;
}

GPtrArray *
tdm_fake_webshop_get_records (TdmFakeWebshop *self,
                              TdmKind         kind)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GPtrArray *copies;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  g_return_val_if_fail (kind < TDM_N_KINDS, NULL);

  sorted = sorted_records (self, kind);
  copies = g_ptr_array_new_full (sorted->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (copies, tdm_json_object_copy (sorted->pdata[i]));
  return copies;
}

guint
tdm_fake_webshop_count (TdmFakeWebshop *self,
                        TdmKind         kind)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), 0);
  g_return_val_if_fail (kind < TDM_N_KINDS, 0);

  return g_hash_table_size (self->records[kind]);
}

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
