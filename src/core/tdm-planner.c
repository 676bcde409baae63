/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* TdmLink                                                              */
/* ------------------------------------------------------------------ */

/**
 * tdm_link_new:
 * @kind: the kind of both records
 * @webshop_id: (nullable): the webshop record id
 * @shopify_id: (nullable): the Shopify GID
 *
 * Returns: (transfer full): a new link without snapshots (a first link).
 */
TdmLink *
tdm_link_new (TdmKind     kind,
              const char *webshop_id,
              const char *shopify_id)
{
  TdmLink *link = g_new0 (TdmLink, 1);

  link->kind = kind;
  link->webshop_id = g_strdup (webshop_id);
  link->shopify_id = g_strdup (shopify_id);
  link->ref_count = 1;
  return link;
}

TdmLink *
tdm_link_ref (TdmLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (link->ref_count > 0, NULL);

  g_atomic_int_inc (&link->ref_count);
  return link;
}

void
tdm_link_unref (TdmLink *link)
{
  g_return_if_fail (link != NULL);
  g_return_if_fail (link->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&link->ref_count))
    return;

  g_free (link->webshop_id);
  g_free (link->shopify_id);
  g_clear_pointer (&link->webshop_snapshot, json_object_unref);
  g_clear_pointer (&link->shopify_snapshot, json_object_unref);
  g_free (link->webshop_updated_at);
  g_free (link->shopify_updated_at);
  g_free (link);
}

/**
 * tdm_link_get_id:
 * Returns: (transfer none) (nullable): the id of the record on @side.
 */
const char *
tdm_link_get_id (TdmLink *link,
                 TdmSide  side)
{
  g_return_val_if_fail (link != NULL, NULL);

  return side == TDM_SIDE_WEBSHOP ? link->webshop_id : link->shopify_id;
}

/**
 * tdm_link_get_snapshot:
 * Returns: (transfer none) (nullable): the canonical snapshot last seen on
 *   @side, or %NULL when the pair was never synced.
 */
JsonObject *
tdm_link_get_snapshot (TdmLink *link,
                       TdmSide  side)
{
  g_return_val_if_fail (link != NULL, NULL);

  return side == TDM_SIDE_WEBSHOP ? link->webshop_snapshot : link->shopify_snapshot;
}

/**
 * tdm_link_set_snapshot:
 * @snapshot: (transfer none) (nullable): the canonical fields; referenced,
 *   so do not modify it afterwards
 * @updated_at: (nullable): the side's updated_at of that state
 */
void
tdm_link_set_snapshot (TdmLink    *link,
                       TdmSide     side,
                       JsonObject *snapshot,
                       const char *updated_at)
{
  JsonObject **slot;
  char **stamp;

  g_return_if_fail (link != NULL);

  slot = side == TDM_SIDE_WEBSHOP ? &link->webshop_snapshot : &link->shopify_snapshot;
  stamp = side == TDM_SIDE_WEBSHOP ? &link->webshop_updated_at : &link->shopify_updated_at;

  if (snapshot != NULL)
    json_object_ref (snapshot);
  g_clear_pointer (slot, json_object_unref);
  *slot = snapshot;

  if (*stamp != updated_at)
    {
      g_free (*stamp);
      *stamp = g_strdup (updated_at);
    }
}

/**
 * tdm_link_key:
 * Returns: (transfer full): "webshop:17" / "shopify:gid://shopify/Customer/1",
 *   the key of TdmPlanInput.links.
 */
char *
tdm_link_key (TdmSide     side,
              const char *id)
{
  return g_strconcat (side == TDM_SIDE_WEBSHOP ? "webshop:" : "shopify:", id, NULL);
}

/* ------------------------------------------------------------------ */
/* Conflicts and actions                                                */
/* ------------------------------------------------------------------ */

static JsonNode *
copy_value (JsonNode *value)
{
  /* json_node_copy shares containers by reference, which is cheap and safe:
   * canonical records are immutable once built. */
  return value != NULL ? json_node_copy (value) : NULL;
}

TdmFieldConflict *
tdm_field_conflict_new (const char *field,
                        JsonNode   *webshop_value,
                        JsonNode   *shopify_value,
                        JsonNode   *base_value)
{
  TdmFieldConflict *conflict = g_new0 (TdmFieldConflict, 1);

  g_return_val_if_fail (field != NULL, NULL);

  conflict->field = g_strdup (field);
  conflict->webshop_value = copy_value (webshop_value);
  conflict->shopify_value = copy_value (shopify_value);
  conflict->base_value = copy_value (base_value);
  conflict->winner = TDM_SIDE_WEBSHOP;
  conflict->resolved = FALSE;
  return conflict;
}

void
tdm_field_conflict_free (TdmFieldConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->field);
  g_clear_pointer (&conflict->webshop_value, json_node_unref);
  g_clear_pointer (&conflict->shopify_value, json_node_unref);
  g_clear_pointer (&conflict->base_value, json_node_unref);
  g_free (conflict);
}

TdmAction *
tdm_action_new (TdmActionType type,
                TdmKind       kind,
                TdmSide       target)
{
  TdmAction *action = g_new0 (TdmAction, 1);

  action->type = type;
  action->kind = kind;
  action->target = target;
  return action;
}

void
tdm_action_free (TdmAction *action)
{
  if (action == NULL)
    return;

  g_clear_pointer (&action->source, tdm_record_unref);
  g_clear_pointer (&action->twin, tdm_record_unref);
  g_clear_pointer (&action->link, tdm_link_unref);
  g_clear_pointer (&action->fields, json_object_unref);
  g_clear_pointer (&action->fields_other, json_object_unref);
  g_clear_pointer (&action->conflicts, g_ptr_array_unref);
  g_clear_pointer (&action->not_writable, g_ptr_array_unref);
  g_clear_pointer (&action->candidates, g_ptr_array_unref);
  g_free (action->reason);
  g_free (action);
}

/* ------------------------------------------------------------------ */
/* Helpers on canonical values and ids                                  */
/* ------------------------------------------------------------------ */

/* Absent, null, "", [] and {} are one "empty" value (SYNC.md, Normalization). */
static gboolean
value_is_empty (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        {
          const char *str = json_node_get_string (value);
          return str == NULL || *str == '\0';
        }
      return FALSE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (value)) == 0;
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (value)) == 0;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static JsonNode *
field_value (JsonObject *object,
             const char *name)
{
  JsonNode *value;

  if (object == NULL)
    return NULL;

  value = json_object_get_member (object, name);
  if (value_is_empty (value))
    return NULL;
  return value;
}

/* Structurally identical JSON (same types, same members, same order of array
 * items). Identical values serialize identically, so TRUE here implies
 * tdm_json_value_equal; FALSE means "ask tdm_json_value_equal". */
static gboolean
json_identical (JsonNode *a,
                JsonNode *b)
{
  JsonNodeType type;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  type = json_node_get_node_type (a);
  if (type != json_node_get_node_type (b))
    return FALSE;

  switch (type)
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      {
        GType vt = json_node_get_value_type (a);

        if (vt != json_node_get_value_type (b))
          return FALSE;
        if (vt == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        if (vt == G_TYPE_INT64)
          return json_node_get_int (a) == json_node_get_int (b);
        if (vt == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return FALSE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);
        guint len = json_array_get_length (aa);

        if (aa == ab)
          return TRUE;
        if (len != json_array_get_length (ab))
          return FALSE;
        for (guint i = 0; i < len; i++)
          if (!json_identical (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (oa == ob)
          return TRUE;
        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        json_object_iter_init (&iter, oa);
        while (json_object_iter_next (&iter, &name, &member))
          if (!json_identical (member, json_object_get_member (ob, name)))
            return FALSE;
        return TRUE;
      }

    default:
      return FALSE;
    }
}

/* tdm_json_value_equal with an allocation-free fast path, so that the
 * unchanged bulk of a run costs no serialization. */
static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (json_identical (a, b))
    return TRUE;
  return tdm_json_value_equal (a, b);
}

/* Natural order of ids: digit runs compare by value, so "9" < "10" and
 * "gid://shopify/Customer/9" < "gid://shopify/Customer/10". */
static int
compare_ids (const char *a,
             const char *b)
{
  const char *pa = a, *pb = b;

  while (*pa != '\0' && *pb != '\0')
    {
      if (g_ascii_isdigit (*pa) && g_ascii_isdigit (*pb))
        {
          const char *ea, *eb;
          gsize la, lb;
          int cmp;

          while (*pa == '0' && g_ascii_isdigit (pa[1]))
            pa++;
          while (*pb == '0' && g_ascii_isdigit (pb[1]))
            pb++;
          for (ea = pa; g_ascii_isdigit (*ea); ea++)
            ;
          for (eb = pb; g_ascii_isdigit (*eb); eb++)
            ;
          la = ea - pa;
          lb = eb - pb;
          if (la != lb)
            return la < lb ? -1 : 1;
          cmp = strncmp (pa, pb, la);
          if (cmp != 0)
            return cmp;
          pa = ea;
          pb = eb;
          continue;
        }
      if (*pa != *pb)
        return (guchar) *pa < (guchar) *pb ? -1 : 1;
      pa++;
      pb++;
    }
  if (*pa != *pb)
    return *pa == '\0' ? -1 : 1;
  return strcmp (a, b);
}

static int
compare_records_by_id (gconstpointer a,
                       gconstpointer b)
{
  const TdmRecord *ra = *(TdmRecord * const *) a;
  const TdmRecord *rb = *(TdmRecord * const *) b;

  return compare_ids (ra->id, rb->id);
}

/* Compares two RFC 3339 stamps; NULL is older than anything. */
static int
compare_timestamps (const char *a,
                    const char *b)
{
  g_autoptr(GDateTime) da = NULL;
  g_autoptr(GDateTime) db = NULL;

  if (g_strcmp0 (a, b) == 0)
    return 0;
  if (a == NULL)
    return -1;
  if (b == NULL)
    return 1;

  da = g_date_time_new_from_iso8601 (a, NULL);
  db = g_date_time_new_from_iso8601 (b, NULL);
  if (da != NULL && db != NULL)
    return g_date_time_compare (da, db);
  return strcmp (a, b) < 0 ? -1 : 1;
}

/* The other side's id carried by a record: its twin_id, or for a Shopify
 * order the webshop id in sourceIdentifier when the mapping kept it. */
static const char *
record_twin_ref (TdmRecord *record)
{
  if (record->twin_id != NULL && *record->twin_id != '\0')
    return record->twin_id;

  if (record->kind == TDM_KIND_ORDER && record->side == TDM_SIDE_SHOPIFY)
    {
      const char *names[] = { "source_identifier", "sourceIdentifier" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          JsonNode *value = field_value (record->fields, names[i]);

          if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING)
            return json_node_get_string (value);
        }
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* TdmMatchIndex                                                        */
/* ------------------------------------------------------------------ */

#define N_MATCH_KEYS 2

typedef struct {
  GHashTable *by_id;                 /* id → TdmRecord* (owned ref) */
  GHashTable *by_twin;               /* twin ref → GPtrArray of TdmRecord* */
  GHashTable *by_key[N_MATCH_KEYS];  /* normalized key → GPtrArray of TdmRecord* */
} MatchSide;

struct _TdmMatchIndex {
  TdmKind   kind;
  MatchSide sides[TDM_N_SIDES];
};

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *value = field_value (object, name);

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (value);
}

static const char *
first_variant_sku (JsonObject *fields)
{
  JsonNode *variants = field_value (fields, "variants");

  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    {
      JsonArray *array = json_node_get_array (variants);
      JsonNode *first = NULL;

      if (json_array_get_length (array) > 0)
        first = json_array_get_element (array, 0);

      if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
        {
          const char *sku = string_member (json_node_get_object (first), "sku");
          if (sku != NULL)
            return sku;
        }
    }
  return string_member (fields, "sku");
}

/* Room for a matching key; long or non-ASCII keys go to the heap. */
typedef struct {
  char  buf[128];
  char *heap;
} KeyBuf;

static void
key_buf_clear (KeyBuf *kb)
{
  g_clear_pointer (&kb->heap, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KeyBuf, key_buf_clear)

/* The kind's matching keys, in order (SYNC.md): customer email then phone;
 * product first variant SKU then handle; order number (the webshop id carried
 * on the Shopify order is matched before, as a twin reference).
 * Returns the trimmed, case-folded key in `kb` (valid until it is cleared),
 * or NULL when the record has no such key. Indexing a large first sync calls
 * this for every record, so the common ASCII case allocates nothing. */
static const char *
match_key (TdmRecord *record,
           guint      key,
           KeyBuf    *kb)
{
  const char *raw = NULL;
  gboolean fold = TRUE;
  gboolean ascii = TRUE;
  gsize len;

  switch (record->kind)
    {
    case TDM_KIND_CUSTOMER:
      raw = string_member (record->fields, key == 0 ? "email" : "phone");
      break;
    case TDM_KIND_PRODUCT:
      if (key == 0)
        {
          raw = first_variant_sku (record->fields);
          fold = FALSE;   /* SKUs are case-sensitive codes */
        }
      else
        raw = string_member (record->fields, "handle");
      break;
    case TDM_KIND_ORDER:
      if (key == 0)
        {
          raw = string_member (record->fields, "number");
          if (raw == NULL)
            raw = string_member (record->fields, "name");
          while (raw != NULL && (*raw == '#' || g_ascii_isspace (*raw)))
            raw++;
        }
      break;
    default:
      break;
    }

  if (raw == NULL)
    return NULL;
  while (g_ascii_isspace (*raw))
    raw++;
  len = strlen (raw);
  while (len > 0 && g_ascii_isspace (raw[len - 1]))
    len--;
  if (len == 0)
    return NULL;

  for (gsize i = 0; i < len && ascii; i++)
    ascii = (guchar) raw[i] < 0x80;
  if (ascii && len < sizeof kb->buf)
    {
      for (gsize i = 0; i < len; i++)
        kb->buf[i] = fold ? g_ascii_tolower (raw[i]) : raw[i];
      kb->buf[len] = '\0';
      return kb->buf;
    }

  g_free (kb->heap);
  if (fold)
    {
      g_autofree char *trimmed = g_strndup (raw, len);
      kb->heap = g_utf8_casefold (trimmed, -1);
    }
  else
    kb->heap = g_strndup (raw, len);
  return kb->heap;
}

static void
multimap_add (GHashTable *table,
              const char *key,
              TdmRecord  *record)
{
  GPtrArray *list = g_hash_table_lookup (table, key);

  if (list == NULL)
    {
      list = g_ptr_array_sized_new (1);
      g_hash_table_insert (table, g_strdup (key), list);
    }
  g_ptr_array_add (list, record);
}

static void
multimap_remove (GHashTable *table,
                 const char *key,
                 TdmRecord  *record)
{
  GPtrArray *list;

  if (key == NULL)
    return;
  list = g_hash_table_lookup (table, key);
  if (list != NULL)
    g_ptr_array_remove (list, record);
}

TdmMatchIndex *
tdm_match_index_new (TdmKind kind)
{
  TdmMatchIndex *index = g_new0 (TdmMatchIndex, 1);

  index->kind = kind;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      MatchSide *side = &index->sides[s];

      side->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) tdm_record_unref);
      side->by_twin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
      for (guint k = 0; k < N_MATCH_KEYS; k++)
        side->by_key[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
    }
  return index;
}

static void
match_side_remove (MatchSide *side,
                   TdmRecord *record)
{
  multimap_remove (side->by_twin, record_twin_ref (record), record);
  for (guint k = 0; k < N_MATCH_KEYS; k++)
    {
      g_auto(KeyBuf) kb = { { 0, }, NULL };
      multimap_remove (side->by_key[k], match_key (record, k, &kb), record);
    }
  /* Drops the index's reference: last. */
  g_hash_table_remove (side->by_id, record->id);
}

/**
 * tdm_match_index_add:
 * @record: an unlinked record of any side; tombstones are ignored. When a
 *   record with the same id was added before, the newer one (by updated_at)
 *   stays.
 */
void
tdm_match_index_add (TdmMatchIndex *index,
                     TdmRecord     *record)
{
  MatchSide *side;
  TdmRecord *existing;
  const char *twin;

  g_return_if_fail (index != NULL);
  g_return_if_fail (record != NULL && record->id != NULL);

  if (record->deleted || record->kind != index->kind)
    return;

  side = &index->sides[record->side];
  existing = g_hash_table_lookup (side->by_id, record->id);
  if (existing == record)
    return;
  if (existing != NULL)
    {
      if (compare_timestamps (record->updated_at, existing->updated_at) < 0)
        return;
      match_side_remove (side, existing);
    }

  g_hash_table_insert (side->by_id, record->id, tdm_record_ref (record));
  twin = record_twin_ref (record);
  if (twin != NULL)
    multimap_add (side->by_twin, twin, record);
  for (guint k = 0; k < N_MATCH_KEYS; k++)
    {
      g_auto(KeyBuf) kb = { { 0, }, NULL };
      const char *key = match_key (record, k, &kb);

      if (key != NULL)
        multimap_add (side->by_key[k], key, record);
    }
}

void
tdm_match_index_free (TdmMatchIndex *index)
{
  if (index == NULL)
    return;

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      MatchSide *side = &index->sides[s];

      for (guint k = 0; k < N_MATCH_KEYS; k++)
        g_hash_table_unref (side->by_key[k]);
      g_hash_table_unref (side->by_twin);
      g_hash_table_unref (side->by_id);
    }
  g_free (index);
}

static gboolean
ptr_array_has_id (GPtrArray  *array,
                  const char *id)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (((TdmRecord *) g_ptr_array_index (array, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* Is `candidate` the record's twin by a carried id (either direction)? */
static gboolean
is_twin_by_reference (TdmRecord *record,
                      TdmRecord *candidate)
{
  const char *ref = record_twin_ref (record);
  const char *back = record_twin_ref (candidate);

  return (ref != NULL && g_strcmp0 (candidate->id, ref) == 0) ||
         (back != NULL && g_strcmp0 (back, record->id) == 0);
}

/**
 * tdm_match_index_lookup:
 * @side: the side to search (the other side than @record's)
 *
 * Twin references come first: a record carrying the other side's id (the
 * webshop's shopify_id, Shopify's webshop_id metafield or an order's
 * sourceIdentifier) finds that record, and a record named by a candidate's
 * reference finds the candidate. This rebuilds lost local state without
 * duplicates. Then the kind's keys in order; the first key that finds
 * anything decides. Candidates that carry a reference to a different record
 * are not offered.
 *
 * Returns: (transfer full): TdmRecord* candidates (possibly empty), in
 *   natural id order.
 */
GPtrArray *
tdm_match_index_lookup (TdmMatchIndex *index,
                        TdmSide        side,
                        TdmRecord     *record)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  MatchSide *ms;
  const char *ref;
  GPtrArray *list;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  ms = &index->sides[side];

  ref = record_twin_ref (record);
  if (ref != NULL)
    {
      TdmRecord *twin = g_hash_table_lookup (ms->by_id, ref);

      if (twin != NULL)
        {
          g_ptr_array_add (result, tdm_record_ref (twin));
          return g_steal_pointer (&result);
        }
    }

  if (record->id != NULL && (list = g_hash_table_lookup (ms->by_twin, record->id)) != NULL &&
      list->len > 0)
    {
      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (result, tdm_record_ref (g_ptr_array_index (list, i)));
      g_ptr_array_sort (result, compare_records_by_id);
      return g_steal_pointer (&result);
    }

  for (guint k = 0; k < N_MATCH_KEYS; k++)
    {
      g_auto(KeyBuf) kb = { { 0, }, NULL };
      const char *key = match_key (record, k, &kb);

      if (key == NULL || (list = g_hash_table_lookup (ms->by_key[k], key)) == NULL)
        continue;

      for (guint i = 0; i < list->len; i++)
        {
          TdmRecord *candidate = g_ptr_array_index (list, i);
          const char *back = record_twin_ref (candidate);

          if (back != NULL && g_strcmp0 (back, record->id) != 0)
            continue;   /* it names another record as its twin */
          if (ptr_array_has_id (result, candidate->id))
            continue;
          g_ptr_array_add (result, tdm_record_ref (candidate));
        }
      if (result->len > 0)
        break;
    }

  g_ptr_array_sort (result, compare_records_by_id);
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------ */
/* The planner                                                          */
/* ------------------------------------------------------------------ */

typedef enum {
  RULE_NONE,
  RULE_FINANCIAL_STATUS,    /* orders: forward transitions only */
  RULE_FULFILLMENT_STATUS,  /* orders: forward transitions only */
  RULE_SET_ONCE,            /* orders: cancelled_at is set once, never changed or cleared */
} FieldRule;

typedef struct {
  const char *name;                        /* owned by the mapping row */
  gboolean    flow[TDM_N_SIDES];           /* kind and row direction let data onto the side */
  gboolean    write_update[TDM_N_SIDES];   /* ... and the side can change it after creation */
  gboolean    write_create[TDM_N_SIDES];   /* ... and the side takes it at creation */
  gboolean    empty_overwrites;
  FieldRule   rule;
} FieldInfo;

/* A pulled record with its sort key: ids sort in natural order, and most
 * ids are "<prefix><number>" ("17", "gid://shopify/Customer/17"), so the
 * number is parsed once instead of at every comparison. */
typedef struct {
  TdmRecord *record;
  guint64    number;       /* the trailing digits, when `numeric` */
  guint      prefix_len;   /* length of the id before its trailing digits */
  guint      position;     /* in the input, to keep the later of equal duplicates */
  gboolean   numeric;
  gboolean   done;         /* already part of an action */
} Entry;

typedef struct {
  const TdmPlanInput *input;
  GArray             *fields;                    /* FieldInfo */
  GArray             *entries[TDM_N_SIDES];      /* Entry, natural id order, no duplicates */
  GHashTable         *changed_by_id[TDM_N_SIDES]; /* id → index + 1 into entries */
  /* Reasons shared by many actions, translated once per plan. */
  const char         *unchanged_reason;
  char               *create_reason[TDM_N_SIDES];  /* by target side */
  char               *link_reason[TDM_N_SIDES];    /* by twin side */
  GHashTable         *claimed;                   /* "side:id" of twins not pulled this run
                                                  * that a LINK of this plan took */
  GHashTable         *linked_now;                /* "side:id" of records this plan links or
                                                  * creates a twin for: no longer candidates */
  GPtrArray          *deferred;                  /* TdmRecord* whose match competes: decided
                                                  * after every clear match is linked */
  GHashTable         *deferred_keys;             /* "side:id" of those records */
  gboolean            final_pass;
  GPtrArray          *actions;
} Planner;

/* Field-level outcome of comparing one pair. */
typedef struct {
  JsonObject *write[TDM_N_SIDES];  /* fields to write onto each side; created lazily */
  GPtrArray  *resolved;            /* TdmFieldConflict*, resolved by policy or the user */
  GPtrArray  *pending;             /* TdmFieldConflict*, waiting for the user (`ask`) */
  GPtrArray  *not_writable;        /* char* */
  GString    *changed_names[TDM_N_SIDES];  /* for the reason line; only when something is written */
} Merge;

static void
merge_clear (Merge *merge)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_clear_pointer (&merge->write[s], json_object_unref);
      if (merge->changed_names[s] != NULL)
        g_string_free (merge->changed_names[s], TRUE);
      merge->changed_names[s] = NULL;
    }
  g_clear_pointer (&merge->resolved, g_ptr_array_unref);
  g_clear_pointer (&merge->pending, g_ptr_array_unref);
  g_clear_pointer (&merge->not_writable, g_ptr_array_unref);
}

static gboolean
merge_has_writes (const Merge *merge)
{
  return merge->write[TDM_SIDE_WEBSHOP] != NULL || merge->write[TDM_SIDE_SHOPIFY] != NULL;
}

static void
merge_add_not_writable (Merge      *merge,
                        const char *name)
{
  if (merge->not_writable == NULL)
    merge->not_writable = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < merge->not_writable->len; i++)
    if (strcmp (g_ptr_array_index (merge->not_writable, i), name) == 0)
      return;
  g_ptr_array_add (merge->not_writable, g_strdup (name));
}

static void
merge_add_conflict (GPtrArray  **list,
                    const char  *name,
                    JsonNode    *values[TDM_N_SIDES],
                    JsonNode    *base,
                    TdmSide      winner,
                    gboolean     resolved)
{
  TdmFieldConflict *conflict = tdm_field_conflict_new (name, values[TDM_SIDE_WEBSHOP],
                                                       values[TDM_SIDE_SHOPIFY], base);

  conflict->winner = winner;
  conflict->resolved = resolved;
  if (*list == NULL)
    *list = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_field_conflict_free);
  g_ptr_array_add (*list, conflict);
}

/* Ranks of the order statuses that only move forward; -1 = not ranked
 * (unknown values follow the ordinary rules). */
static int
status_rank (FieldRule  rule,
             JsonNode  *value)
{
  static const char * const financial[] = {
    "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", NULL
  };
  static const char * const fulfillment[] = {
    "unfulfilled", "partial", "fulfilled", NULL
  };
  const char * const *table = rule == RULE_FINANCIAL_STATUS ? financial : fulfillment;
  const char *str;

  if (value == NULL)
    return -1;
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    return -1;
  str = json_node_get_string (value);

  if (rule == RULE_FINANCIAL_STATUS &&
      (g_str_equal (str, "voided") || g_str_equal (str, "expired")))
    return 100;   /* terminal */
  if (rule == RULE_FULFILLMENT_STATUS && g_str_equal (str, "partially_fulfilled"))
    return 1;
  for (guint i = 0; table[i] != NULL; i++)
    if (g_str_equal (str, table[i]))
      return i;
  return -1;
}

/* May an order status move from `from` to `to`? */
static gboolean
status_moves_forward (FieldRule  rule,
                      JsonNode  *from,
                      JsonNode  *to)
{
  int rf = status_rank (rule, from);
  int rt = status_rank (rule, to);

  if (from == NULL)
    return TRUE;
  if (to == NULL)
    return FALSE;   /* a status is never cleared */
  if (rf == 100)
    return FALSE;   /* voided and expired are terminal */
  if (rt == 100)
    return rf <= 1; /* only pending or authorized payments can be voided */
  if (rf < 0 || rt < 0)
    return TRUE;    /* not ranked: the ordinary rules decide */
  return rt > rf;
}

static gboolean
field_info_is_status (const FieldInfo *fi)
{
  return fi->rule == RULE_FINANCIAL_STATUS || fi->rule == RULE_FULFILLMENT_STATUS;
}

static void
note_changed (Merge      *merge,
              TdmSide     to,
              const char *name)
{
  GString **names = &merge->changed_names[to];

  if (*names == NULL)
    *names = g_string_new (name);
  else
    {
      g_string_append (*names, ", ");
      g_string_append (*names, name);
    }
}

/* Writes side `from`'s value of the field onto side `to`, when the
 * directions, writability, the empty rule and the order rules allow it.
 * `chosen`: the user picked this value, so an empty one clears the other
 * side too. Returns TRUE when a write was planned. */
static gboolean
propose_write_full (Merge           *merge,
                    const FieldInfo *fi,
                    JsonNode        *values[TDM_N_SIDES],
                    TdmSide          from,
                    gboolean         chosen)
{
  TdmSide to = tdm_side_other (from);
  JsonNode *value = values[from];
  JsonNode *current = values[to];

  if (!fi->flow[to])
    return FALSE;   /* by configuration: this field does not flow that way */
  if (!fi->write_update[to])
    {
      merge_add_not_writable (merge, fi->name);
      return FALSE;
    }
  if (value == NULL && current != NULL && !fi->empty_overwrites && !chosen)
    return FALSE;   /* an empty value never overwrites a filled one */
  if (fi->rule == RULE_SET_ONCE && (current != NULL || value == NULL))
    return FALSE;
  if (field_info_is_status (fi) && !status_moves_forward (fi->rule, current, value))
    return FALSE;

  if (merge->write[to] == NULL)
    merge->write[to] = json_object_new ();
  if (value != NULL)
    json_object_set_member (merge->write[to], fi->name, json_node_copy (value));
  else
    json_object_set_null_member (merge->write[to], fi->name);   /* clear it */
  note_changed (merge, to, fi->name);
  return TRUE;
}

static gboolean
propose_write (Merge           *merge,
               const FieldInfo *fi,
               JsonNode        *values[TDM_N_SIDES],
               TdmSide          from)
{
  return propose_write_full (merge, fi, values, from, FALSE);
}

/* Which side wins a conflict on a field both sides may write? */
static TdmSide
policy_winner (TdmConflictPolicy  policy,
               const char        *updated_at[TDM_N_SIDES])
{
  switch (policy)
    {
    case TDM_POLICY_SHOPIFY_WINS:
      return TDM_SIDE_SHOPIFY;
    case TDM_POLICY_NEWEST_WINS:
      return compare_timestamps (updated_at[TDM_SIDE_SHOPIFY],
                                 updated_at[TDM_SIDE_WEBSHOP]) > 0 ? TDM_SIDE_SHOPIFY
                                                                   : TDM_SIDE_WEBSHOP;
    case TDM_POLICY_WEBSHOP_WINS:
    case TDM_POLICY_ASK:
    default:
      return TDM_SIDE_WEBSHOP;
    }
}

/* One field of a pair. `base` is NULL on a first link: then every difference
 * is decided by `policy` (the first-link policy) as if both sides changed. */
static void
merge_field (Merge            *merge,
             const FieldInfo  *fi,
             JsonObject       *current[TDM_N_SIDES],
             JsonObject       *base[TDM_N_SIDES],
             gboolean          first_link,
             const char       *updated_at[TDM_N_SIDES],
             TdmConflictPolicy policy,
             int               user_winner)   /* -1: none */
{
  JsonNode *values[TDM_N_SIDES];
  gboolean changed[TDM_N_SIDES];
  gboolean can[TDM_N_SIDES];
  TdmSide winner;

  values[TDM_SIDE_WEBSHOP] = field_value (current[TDM_SIDE_WEBSHOP], fi->name);
  values[TDM_SIDE_SHOPIFY] = field_value (current[TDM_SIDE_SHOPIFY], fi->name);
  if (values_equal (values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY]))
    return;   /* the sides agree: nothing to write, whatever changed */

  if (user_winner >= 0)
    {
      /* The user picked a side in the Conflicts view. */
      JsonNode *base_value = first_link ? NULL : field_value (base[user_winner], fi->name);

      if (propose_write_full (merge, fi, values, (TdmSide) user_winner, TRUE))
        merge_add_conflict (&merge->resolved, fi->name, values, base_value,
                            (TdmSide) user_winner, TRUE);
      return;
    }

  if (first_link)
    {
      changed[TDM_SIDE_WEBSHOP] = changed[TDM_SIDE_SHOPIFY] = TRUE;
    }
  else
    {
      changed[TDM_SIDE_WEBSHOP] = !values_equal (values[TDM_SIDE_WEBSHOP],
                                                 field_value (base[TDM_SIDE_WEBSHOP], fi->name));
      changed[TDM_SIDE_SHOPIFY] = !values_equal (values[TDM_SIDE_SHOPIFY],
                                                 field_value (base[TDM_SIDE_SHOPIFY], fi->name));
    }

  if (!changed[TDM_SIDE_WEBSHOP] && !changed[TDM_SIDE_SHOPIFY])
    return;
  if (changed[TDM_SIDE_WEBSHOP] != changed[TDM_SIDE_SHOPIFY])
    {
      propose_write (merge, fi, values,
                     changed[TDM_SIDE_WEBSHOP] ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY);
      return;
    }

  /* Both changed (or first link) to different values. */
  can[TDM_SIDE_WEBSHOP] = fi->write_update[TDM_SIDE_WEBSHOP];
  can[TDM_SIDE_SHOPIFY] = fi->write_update[TDM_SIDE_SHOPIFY];

  if (!can[TDM_SIDE_WEBSHOP] || !can[TDM_SIDE_SHOPIFY])
    {
      /* Only one way is open (directions or writability): the side that can
       * be written mirrors the other; there is nothing to decide. */
      if (can[TDM_SIDE_SHOPIFY])
        propose_write (merge, fi, values, TDM_SIDE_WEBSHOP);
      else if (can[TDM_SIDE_WEBSHOP])
        propose_write (merge, fi, values, TDM_SIDE_SHOPIFY);
      else if (fi->flow[TDM_SIDE_WEBSHOP] || fi->flow[TDM_SIDE_SHOPIFY])
        merge_add_not_writable (merge, fi->name);
      return;
    }

  if (field_info_is_status (fi) &&
      status_rank (fi->rule, values[TDM_SIDE_WEBSHOP]) >= 0 &&
      status_rank (fi->rule, values[TDM_SIDE_SHOPIFY]) >= 0)
    {
      /* Statuses only move forward: the further one wins, whatever the policy. */
      winner = status_rank (fi->rule, values[TDM_SIDE_SHOPIFY]) >
               status_rank (fi->rule, values[TDM_SIDE_WEBSHOP]) ? TDM_SIDE_SHOPIFY
                                                                 : TDM_SIDE_WEBSHOP;
    }
  else if (!fi->empty_overwrites &&
           (values[TDM_SIDE_WEBSHOP] == NULL || values[TDM_SIDE_SHOPIFY] == NULL))
    {
      /* An empty value never overwrites a filled one: the filled one wins. */
      winner = values[TDM_SIDE_WEBSHOP] != NULL ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY;
    }
  else if (policy == TDM_POLICY_ASK)
    {
      merge_add_conflict (&merge->pending, fi->name, values,
                          first_link ? NULL : field_value (base[TDM_SIDE_WEBSHOP], fi->name),
                          TDM_SIDE_WEBSHOP, FALSE);
      return;
    }
  else
    winner = policy_winner (policy, updated_at);

  if (propose_write (merge, fi, values, winner))
    merge_add_conflict (&merge->resolved, fi->name, values,
                        first_link ? NULL : field_value (base[tdm_side_other (winner)], fi->name),
                        winner, TRUE);
}

/* Resolutions given by the user for a pair: field → winner side + 1. */
static GHashTable *
planner_resolutions_for (Planner    *planner,
                         const char *webshop_id)
{
  GHashTable *all = planner->input->resolutions;
  char buf[128];
  const char *id = webshop_id;
  gsize len;

  if (all == NULL || g_hash_table_size (all) == 0 || id == NULL)
    return NULL;

  len = strlen (id);
  if (len + sizeof "webshop:" <= sizeof buf)
    {
      memcpy (buf, "webshop:", 8);
      memcpy (buf + 8, id, len + 1);
      return g_hash_table_lookup (all, buf);
    }
  else
    {
      g_autofree char *key = tdm_link_key (TDM_SIDE_WEBSHOP, id);
      return g_hash_table_lookup (all, key);
    }
}

static void
merge_pair (Planner          *planner,
            Merge            *merge,
            JsonObject       *current[TDM_N_SIDES],
            JsonObject       *base[TDM_N_SIDES],
            gboolean          first_link,
            const char       *updated_at[TDM_N_SIDES],
            TdmConflictPolicy policy,
            GHashTable       *resolutions)
{
  for (guint i = 0; i < planner->fields->len; i++)
    {
      const FieldInfo *fi = &g_array_index (planner->fields, FieldInfo, i);
      int user_winner = -1;

      if (resolutions != NULL)
        {
          int v = GPOINTER_TO_INT (g_hash_table_lookup (resolutions, fi->name));
          if (v == TDM_SIDE_WEBSHOP + 1 || v == TDM_SIDE_SHOPIFY + 1)
            user_winner = v - 1;
        }
      merge_field (merge, fi, current, base, first_link, updated_at, policy, user_winner);
    }
}

/* The entry of the record pulled this run on `side` with `id`, or NULL. */
static Entry *
planner_entry (Planner    *planner,
               TdmSide     side,
               const char *id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (planner->changed_by_id[side], id));

  return index > 0 ? &g_array_index (planner->entries[side], Entry, index - 1) : NULL;
}

static TdmAction *
planner_emit (Planner       *planner,
              TdmActionType  type,
              TdmSide        target,
              TdmRecord     *source,
              TdmLink       *link,
              char          *reason)   /* transfer full */
{
  TdmAction *action = tdm_action_new (type, planner->input->kind, target);

  action->source = source != NULL ? tdm_record_ref (source) : NULL;
  action->link = link != NULL ? tdm_link_ref (link) : NULL;
  action->reason = reason;
  g_ptr_array_add (planner->actions, action);
  return action;
}

static TdmLink *
planner_find_link (Planner   *planner,
                   TdmRecord *record)
{
  GHashTable *links = planner->input->links;
  const char *prefix = record->side == TDM_SIDE_WEBSHOP ? "webshop:" : "shopify:";
  char buf[160];
  gsize len;

  if (links == NULL)
    return NULL;

  len = strlen (record->id);
  if (len + 9 <= sizeof buf)
    {
      memcpy (buf, prefix, 8);
      memcpy (buf + 8, record->id, len + 1);
      return g_hash_table_lookup (links, buf);
    }
  else
    {
      g_autofree char *key = tdm_link_key (record->side, record->id);
      return g_hash_table_lookup (links, key);
    }
}

/* Does any mapped field of `fields` differ from `snapshot`? */
static gboolean
planner_differs_from_snapshot (Planner    *planner,
                               JsonObject *fields,
                               JsonObject *snapshot)
{
  if (snapshot == NULL)
    return TRUE;
  if (fields == snapshot)
    return FALSE;
  for (guint i = 0; i < planner->fields->len; i++)
    {
      const FieldInfo *fi = &g_array_index (planner->fields, FieldInfo, i);

      if (!values_equal (field_value (fields, fi->name), field_value (snapshot, fi->name)))
        return TRUE;
    }
  return FALSE;
}

static char *
describe_changes (const Merge *merge)
{
  GString *out = g_string_new (NULL);

  /* Writes onto Shopify come from webshop edits and vice versa. */
  if (merge->changed_names[TDM_SIDE_SHOPIFY] != NULL)
    g_string_append_printf (out, _("Changed in the webshop: %s."),
                            merge->changed_names[TDM_SIDE_SHOPIFY]->str);
  if (merge->changed_names[TDM_SIDE_WEBSHOP] != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, _("Changed in Shopify: %s."),
                              merge->changed_names[TDM_SIDE_WEBSHOP]->str);
    }
  return g_string_free (out, FALSE);
}

static char *
join_conflict_names (GPtrArray *conflicts)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (conflicts, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, conflict->field);
    }
  return g_string_free (names, FALSE);
}

static void
planner_plan_tombstone (Planner   *planner,
                        TdmLink   *link,
                        TdmRecord *records[TDM_N_SIDES],
                        TdmSide    dead_side)
{
  const TdmPlanOptions *options = &planner->input->options;
  TdmSide keep = tdm_side_other (dead_side);
  TdmRecord *dead = records[dead_side];
  TdmRecord *survivor = records[keep];
  gboolean survivor_edited = FALSE;

  if (survivor != NULL)
    survivor_edited = planner_differs_from_snapshot (planner, survivor->fields,
                                                     tdm_link_get_snapshot (link, keep));

  if (options->delete_policy == TDM_DELETE_PROPAGATE &&
      tdm_direction_allows (options->direction, keep) &&
      !survivor_edited)
    {
      planner_emit (planner, TDM_ACTION_DELETE, keep, dead, link,
                    g_strdup_printf (_("Deleted in %s."), tdm_side_display_name (dead_side)));
      return;
    }

  if (survivor_edited && options->delete_policy == TDM_DELETE_PROPAGATE)
    planner_emit (planner, TDM_ACTION_ORPHAN, keep, dead, link,
                  /* Translators: the two sides ("Deleted in Shopify but edited in Webshop") */
                  g_strdup_printf (_("Deleted in %s but edited in %s since the last sync: "
                                     "the edited record is kept."),
                                   tdm_side_display_name (dead_side),
                                   tdm_side_display_name (keep)));
  else
    planner_emit (planner, TDM_ACTION_ORPHAN, keep, dead, link,
                  /* Translators: the deleting side, then the side whose record is kept */
                  g_strdup_printf (_("Deleted in %s; the record in %s is kept and marked "
                                     "orphaned."),
                                   tdm_side_display_name (dead_side),
                                   tdm_side_display_name (keep)));
}

static void
planner_plan_linked (Planner   *planner,
                     TdmRecord *record,
                     TdmLink   *link)
{
  const TdmPlanInput *input = planner->input;
  TdmSide side = record->side;
  TdmSide other = tdm_side_other (side);
  TdmRecord *records[TDM_N_SIDES] = { NULL, NULL };
  JsonObject *current[TDM_N_SIDES];
  JsonObject *base[TDM_N_SIDES];
  const char *updated_at[TDM_N_SIDES];
  const char *other_id = tdm_link_get_id (link, other);
  TdmRecord *source;
  TdmSide target;
  gboolean first_link;
  gboolean emitted = FALSE;
  Merge merge = { { NULL, NULL }, NULL, NULL, NULL, { NULL, NULL } };

  records[side] = record;
  if (other_id != NULL)
    {
      Entry *entry = planner_entry (planner, other, other_id);

      if (entry != NULL)
        {
          records[other] = entry->record;
          entry->done = TRUE;
        }
    }

  /* The webshop record leads when both sides were pulled. */
  source = records[TDM_SIDE_WEBSHOP] != NULL ? records[TDM_SIDE_WEBSHOP]
                                             : records[TDM_SIDE_SHOPIFY];
  target = tdm_side_other (source->side);

  if (link->orphaned)
    {
      planner_emit (planner, TDM_ACTION_NOTHING, target, source, link,
                    g_strdup (_("Its twin was deleted earlier; the record is kept as an orphan.")));
      return;
    }

  if (records[TDM_SIDE_WEBSHOP] != NULL && records[TDM_SIDE_WEBSHOP]->deleted &&
      records[TDM_SIDE_SHOPIFY] != NULL && records[TDM_SIDE_SHOPIFY]->deleted)
    {
      planner_emit (planner, TDM_ACTION_NOTHING, target, source, link,
                    g_strdup (_("Deleted on both sides.")));
      return;
    }
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (records[s] != NULL && records[s]->deleted)
      {
        planner_plan_tombstone (planner, link, records, (TdmSide) s);
        return;
      }

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      base[s] = tdm_link_get_snapshot (link, (TdmSide) s);
      /* A side not pulled this run is unchanged: its value is its snapshot. */
      current[s] = records[s] != NULL ? records[s]->fields : base[s];
      updated_at[s] = records[s] != NULL ? records[s]->updated_at
                                         : (s == TDM_SIDE_WEBSHOP ? link->webshop_updated_at
                                                                  : link->shopify_updated_at);
    }
  first_link = base[TDM_SIDE_WEBSHOP] == NULL || base[TDM_SIDE_SHOPIFY] == NULL;

  if (current[TDM_SIDE_WEBSHOP] == NULL || current[TDM_SIDE_SHOPIFY] == NULL)
    {
      TdmSide unknown = current[TDM_SIDE_WEBSHOP] == NULL ? TDM_SIDE_WEBSHOP : TDM_SIDE_SHOPIFY;

      planner_emit (planner, TDM_ACTION_WAIT, target, source, link,
                    g_strdup_printf (_("The linked record in %s has not been read yet; "
                                       "the pair is compared once it has been."),
                                     tdm_side_display_name (unknown)));
      return;
    }

  merge_pair (planner, &merge, current, base, first_link, updated_at,
              first_link ? input->options.first_link_policy : input->options.conflict_policy,
              planner_resolutions_for (planner, link->webshop_id));

  if (merge_has_writes (&merge))
    {
      TdmAction *action;

      /* Keep `fields` the non-empty side when only one side is written. */
      if (merge.write[target] == NULL && records[target] != NULL)
        {
          source = records[target];
          target = tdm_side_other (target);
        }
      else if (merge.write[target] == NULL)
        {
          /* Only the pulled record's own side is written (the other side won). */
          target = source->side;
          source = records[source->side];
        }
      action = planner_emit (planner, TDM_ACTION_UPDATE, target, source, link,
                             describe_changes (&merge));
      action->fields = g_steal_pointer (&merge.write[target]);
      action->fields_other = g_steal_pointer (&merge.write[tdm_side_other (target)]);
      action->conflicts = g_steal_pointer (&merge.resolved);
      action->not_writable = g_steal_pointer (&merge.not_writable);
      emitted = TRUE;
    }

  if (merge.pending != NULL)
    {
      g_autofree char *names = join_conflict_names (merge.pending);
      TdmAction *action;

      action = planner_emit (planner, TDM_ACTION_CONFLICT, target, source, link,
                             g_strdup_printf (_("Changed differently in the webshop and in "
                                                "Shopify: %s. Choose the value to keep in "
                                                "Conflicts."),
                                              names));
      action->conflicts = g_steal_pointer (&merge.pending);
      action->not_writable = g_steal_pointer (&merge.not_writable);
      emitted = TRUE;
    }

  if (!emitted)
    {
      TdmAction *action;

      action = planner_emit (planner, TDM_ACTION_NOTHING, target, source, link,
                             g_strdup (merge.not_writable != NULL
                                       ? _("Differs, but the difference cannot be written.")
                                       : planner->unchanged_reason));
      action->conflicts = g_steal_pointer (&merge.resolved);
      action->not_writable = g_steal_pointer (&merge.not_writable);
    }

  merge_clear (&merge);
}

static char *
claim_key (TdmRecord *record)
{
  return tdm_link_key (record->side, record->id);
}

/* An order waits until its customer is linked: the connector needs the
 * customer's id on the other side. Unlinked products are no reason to wait,
 * their lines become custom lines. */
static gboolean
planner_order_waits (Planner    *planner,
                     TdmRecord  *order,
                     char      **reason)
{
  const TdmPlanInput *input = planner->input;
  const char *customer;
  TdmSide customer_side;

  if (input->kind != TDM_KIND_ORDER || input->is_linked == NULL)
    return FALSE;
  customer = string_member (order->fields, "customer_id");
  if (customer == NULL)
    return FALSE;

  /* Canonical references hold webshop ids; an unresolved Shopify reference
   * keeps its GID. */
  customer_side = g_str_has_prefix (customer, "gid://") ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
  if (input->is_linked (TDM_KIND_CUSTOMER, customer_side, customer, input->is_linked_data))
    return FALSE;

  /* Translators: side of the customer id, the id, then the side the order goes to */
  *reason = g_strdup_printf (_("Waiting for its customer (%s id %s) to be linked to a customer "
                               "in %s first."),
                             tdm_side_display_name (customer_side), customer,
                             tdm_side_display_name (tdm_side_other (order->side)));
  return TRUE;
}

static void
planner_plan_create (Planner   *planner,
                     TdmRecord *record)
{
  const TdmPlanInput *input = planner->input;
  TdmSide other = tdm_side_other (record->side);
  TdmAction *action;
  g_autofree char *wait_reason = NULL;
  JsonObject *fields;

  if (!tdm_direction_allows (input->options.direction, other))
    {
      planner_emit (planner, TDM_ACTION_NOTHING, other, record, NULL,
                    /* Translators: a side, a kind in plural ("Customers"), the same side */
                    g_strdup_printf (_("Not created in %s: the sync direction for %s "
                                       "only allows changes from %s."),
                                     tdm_side_display_name (other),
                                     tdm_kind_display_plural (input->kind),
                                     tdm_side_display_name (other)));
      return;
    }

  if (planner_order_waits (planner, record, &wait_reason))
    {
      planner_emit (planner, TDM_ACTION_WAIT, other, record, NULL, g_steal_pointer (&wait_reason));
      return;
    }

  fields = json_object_new ();
  for (guint i = 0; i < planner->fields->len; i++)
    {
      const FieldInfo *fi = &g_array_index (planner->fields, FieldInfo, i);
      JsonNode *value;

      if (!fi->write_create[other])
        continue;
      value = field_value (record->fields, fi->name);
      if (value != NULL)
        json_object_set_member (fields, fi->name, json_node_copy (value));
    }

  action = planner_emit (planner, TDM_ACTION_CREATE, other, record, NULL,
                         g_strdup (planner->create_reason[other]));
  action->fields = fields;
  g_hash_table_add (planner->linked_now, claim_key (record));
}

static void
planner_emit_review (Planner    *planner,
                     TdmRecord  *record,
                     GPtrArray  *candidates,
                     char       *reason)
{
  TdmAction *action;

  action = planner_emit (planner, TDM_ACTION_REVIEW, tdm_side_other (record->side), record, NULL,
                         reason);
  action->candidates = g_ptr_array_ref (candidates);
}

static void
planner_plan_link (Planner   *planner,
                   TdmRecord *record,
                   TdmRecord *twin)
{
  const TdmPlanInput *input = planner->input;
  TdmSide side = record->side;
  TdmSide other = twin->side;
  JsonObject *current[TDM_N_SIDES];
  JsonObject *base[TDM_N_SIDES] = { NULL, NULL };
  const char *updated_at[TDM_N_SIDES];
  const char *webshop_id;
  Merge merge = { { NULL, NULL }, NULL, NULL, NULL, { NULL, NULL } };
  TdmAction *action;

  current[side] = record->fields;
  current[other] = twin->fields;
  updated_at[side] = record->updated_at;
  updated_at[other] = twin->updated_at;
  webshop_id = side == TDM_SIDE_WEBSHOP ? record->id : twin->id;

  merge_pair (planner, &merge, current, base, TRUE, updated_at,
              input->options.first_link_policy,
              planner_resolutions_for (planner, webshop_id));

  {
    Entry *entry = planner_entry (planner, twin->side, twin->id);

    if (entry != NULL)
      entry->done = TRUE;
    else
      g_hash_table_add (planner->claimed, claim_key (twin));
    g_hash_table_add (planner->linked_now, claim_key (twin));
    g_hash_table_add (planner->linked_now, claim_key (record));
  }

  action = planner_emit (planner, TDM_ACTION_LINK, other, record, NULL,
                         merge.pending != NULL
                         ? g_strdup (_("Matches an existing record; some values differ and wait "
                                       "for your choice in Conflicts."))
                         : g_strdup (planner->link_reason[other]));
  action->twin = tdm_record_ref (twin);
  action->fields = g_steal_pointer (&merge.write[other]);
  action->fields_other = g_steal_pointer (&merge.write[side]);
  action->not_writable = g_steal_pointer (&merge.not_writable);
  /* Resolved conflicts (for the log) and, under `ask`, pending ones
   * (resolved == FALSE) for the Conflicts view. */
  action->conflicts = g_steal_pointer (&merge.resolved);
  if (merge.pending != NULL)
    {
      if (action->conflicts == NULL)
        action->conflicts = g_steal_pointer (&merge.pending);
      else
        for (guint i = 0; i < merge.pending->len; i++)
          g_ptr_array_add (action->conflicts, g_ptr_array_steal_index (merge.pending, i--));
    }
  merge_clear (&merge);
}

/* Does `rival` (a record on `record`'s side) also pick `twin` as its match?
 * Only then is linking `record` to `twin` a guess. A rival whose own first
 * key finds another record (say by email, where `record` matched by phone)
 * does not compete. */
static gboolean
planner_competes_for (Planner   *planner,
                      TdmRecord *rival,
                      TdmRecord *record,
                      TdmRecord *twin)
{
  g_autoptr(GPtrArray) picks = NULL;

  if (g_strcmp0 (rival->id, record->id) == 0)
    return FALSE;
  picks = tdm_match_index_lookup (planner->input->match, twin->side, rival);
  return ptr_array_has_id (picks, twin->id);
}

static void
planner_defer (Planner   *planner,
               TdmRecord *record)
{
  g_ptr_array_add (planner->deferred, tdm_record_ref (record));
  g_hash_table_add (planner->deferred_keys, claim_key (record));
}

static void
planner_plan_unlinked (Planner   *planner,
                       TdmRecord *record)
{
  const TdmPlanInput *input = planner->input;
  TdmSide other = tdm_side_other (record->side);
  g_autoptr(GPtrArray) candidates = NULL;
  TdmRecord *candidate;
  TdmRecord *twin;
  Entry *fresh;
  gboolean named_twin_taken = FALSE;

  if (record->deleted)
    {
      planner_emit (planner, TDM_ACTION_NOTHING, other, record, NULL,
                    g_strdup (_("Deleted, but it was never linked: nothing else changes.")));
      return;
    }

  if (input->match != NULL)
    candidates = tdm_match_index_lookup (input->match, other, record);

  /* A candidate that already has its action in this plan (linked to another
   * record, created elsewhere, in review) or is deleted is not a twin for
   * this record: leaving it out now gives the same answer this run as the
   * next one, where it is linked and no longer in the index. */
  for (guint i = candidates != NULL ? candidates->len : 0; i > 0; i--)
    {
      TdmRecord *c = g_ptr_array_index (candidates, i - 1);
      Entry *entry = planner_entry (planner, other, c->id);
      g_autofree char *key = claim_key (c);
      gboolean taken;

      taken = g_hash_table_contains (planner->linked_now, key) ||
              (entry != NULL ? entry->record->deleted : c->deleted);
      if (taken)
        {
          /* The record names this twin itself: the references disagree. */
          if (record->twin_id != NULL && g_strcmp0 (record->twin_id, c->id) == 0)
            named_twin_taken = TRUE;
          g_ptr_array_remove_index (candidates, i - 1);
        }
    }

  /* The twin this record names is linked to another record, in this plan or
   * an earlier run: that needs the owner, never a second twin. */
  if (!named_twin_taken && record->twin_id != NULL && input->is_linked != NULL &&
      input->is_linked (input->kind, other, record->twin_id, input->is_linked_data))
    named_twin_taken = TRUE;
  if (named_twin_taken)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      planner_emit_review (planner, record, candidates != NULL ? candidates : none,
                           g_strdup_printf (_("The record in %s it names as its twin is already "
                                              "linked to another record. Nothing is linked or "
                                              "created until you choose."),
                                            tdm_side_display_name (other)));
      return;
    }

  if (candidates == NULL || candidates->len == 0)
    {
      planner_plan_create (planner, record);
      return;
    }

  /* Several candidates now may be one once the clear matches of this plan
   * are linked; and a candidate that waits for that decision decides this
   * record too. */
  if (!planner->final_pass && candidates->len > 1)
    {
      planner_defer (planner, record);
      return;
    }
  if (!planner->final_pass && candidates->len == 1)
    {
      g_autofree char *key = claim_key (g_ptr_array_index (candidates, 0));

      if (g_hash_table_contains (planner->deferred_keys, key))
        {
          planner_defer (planner, record);
          return;
        }
    }

  if (candidates->len > 1)
    {
      planner_emit_review (planner, record, candidates,
                           g_strdup_printf (_("%u records in %s match it. Nothing is linked or "
                                              "created until you choose one."),
                                            candidates->len, tdm_side_display_name (other)));
      return;
    }

  candidate = g_ptr_array_index (candidates, 0);
  /* The copy pulled this run is fresher than the store's cached one. */
  fresh = planner_entry (planner, other, candidate->id);
  twin = fresh != NULL ? fresh->record : candidate;

  {
    g_autofree char *key = claim_key (twin);
    /* A twin still waiting for its own deferred decision has no action yet. */
    gboolean pending = g_hash_table_contains (planner->deferred_keys, key);

    /* A twin that already has its action in this plan (linked to another
     * record, created elsewhere, in review) is not linked a second time. */
    if ((fresh != NULL && fresh->done && !pending) ||
        (fresh == NULL && g_hash_table_contains (planner->claimed, key)) ||
        twin->deleted)
      {
        planner_emit_review (planner, record, candidates,
                             g_strdup_printf (_("Its match in %s was already linked to another "
                                                "record or deleted. Nothing is linked or created "
                                                "until you choose."),
                                              tdm_side_display_name (other)));
        return;
      }
  }

  if (!is_twin_by_reference (record, twin))
    {
      /* The match must be mutual: when the candidate matches other records of
       * this side too, linking either would be a guess. */
      g_autoptr(GPtrArray) back = tdm_match_index_lookup (input->match, record->side, twin);

      for (guint i = 0; i < back->len; i++)
        if (planner_competes_for (planner, g_ptr_array_index (back, i), record, twin))
          {
            /* A rival may hold a clearer match to this twin (an email where
             * this record has only a phone): decide after every clear
             * match is linked, so this run answers as the next one will. */
            if (!planner->final_pass)
              {
                planner_defer (planner, record);
                return;
              }
            planner_emit_review (planner, record, candidates,
                                 g_strdup_printf (_("Its match in %s also matches other records "
                                                    "in %s. Nothing is linked or created until "
                                                    "you choose."),
                                                  tdm_side_display_name (other),
                                                  tdm_side_display_name (record->side)));
            return;
          }
    }

  planner_plan_link (planner, record, twin);
}

static FieldRule
field_rule_for (TdmKind     kind,
                const char *name)
{
  if (kind != TDM_KIND_ORDER)
    return RULE_NONE;
  if (g_str_equal (name, "financial_status"))
    return RULE_FINANCIAL_STATUS;
  if (g_str_equal (name, "fulfillment_status"))
    return RULE_FULFILLMENT_STATUS;
  if (g_str_equal (name, "cancelled_at"))
    return RULE_SET_ONCE;
  return RULE_NONE;
}

/* The compared fields: top-level rows of the kind, without the identity rows
 * (ids are the link itself, not data). */
static GArray *
build_field_infos (const TdmPlanInput *input)
{
  GArray *infos = g_array_new (FALSE, TRUE, sizeof (FieldInfo));
  GPtrArray *rows = tdm_mapping_get_rows (input->mapping, input->kind);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      FieldInfo fi = { 0, };

      if (row->parent >= 0 || row->name == NULL)
        continue;
      if (g_strcmp0 (row->transform, "identity") == 0 ||
          g_str_equal (row->name, "id") || g_str_equal (row->name, "shopify_id") ||
          g_str_equal (row->name, "webshop_id"))
        continue;
      if (!g_hash_table_add (seen, row->name))
        continue;

      fi.name = row->name;
      fi.empty_overwrites = row->empty_overwrites;
      fi.rule = field_rule_for (input->kind, row->name);
      for (guint s = 0; s < TDM_N_SIDES; s++)
        {
          fi.flow[s] = tdm_direction_allows (input->options.direction, (TdmSide) s) &&
                       tdm_direction_allows (row->direction, (TdmSide) s);
          fi.write_update[s] = fi.flow[s] &&
                               tdm_mapping_field_writable (input->mapping, input->kind, row->name,
                                                           (TdmSide) s, FALSE);
          fi.write_create[s] = fi.flow[s] &&
                               tdm_mapping_field_writable (input->mapping, input->kind, row->name,
                                                           (TdmSide) s, TRUE);
        }
      g_array_append_val (infos, fi);
    }
  return infos;
}

static void
entry_init_key (Entry *entry)
{
  const char *id = entry->record->id;
  gsize len = strlen (id);
  gsize start = len;
  guint64 number = 0;

  while (start > 0 && g_ascii_isdigit (id[start - 1]))
    start--;
  entry->prefix_len = start;
  /* Up to 18 digits fit; longer numbers take the general comparison. */
  entry->numeric = start < len && len - start <= 18;
  if (entry->numeric)
    {
      for (gsize i = start; i < len; i++)
        number = number * 10 + (guint64) (id[i] - '0');
      entry->number = number;
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;
  const char *ia = ea->record->id;
  const char *ib = eb->record->id;
  int cmp;

  if (ea->numeric && eb->numeric && ea->prefix_len == eb->prefix_len &&
      memcmp (ia, ib, ea->prefix_len) == 0)
    {
      /* Same prefix: natural order is the number's order. */
      if (ea->number != eb->number)
        return ea->number < eb->number ? -1 : 1;
      cmp = strcmp (ia, ib);   /* leading zeros */
    }
  else
    cmp = compare_ids (ia, ib);
  if (cmp != 0)
    return cmp;

  /* Duplicates (a record read twice): newest first, then the later read. */
  cmp = compare_timestamps (eb->record->updated_at, ea->record->updated_at);
  if (cmp != 0)
    return cmp;
  return ea->position > eb->position ? -1 : (ea->position < eb->position ? 1 : 0);
}

static void
planner_collect (Planner *planner,
                 TdmSide  side)
{
  GPtrArray *changed = planner->input->changed[side];
  guint n = changed != NULL ? changed->len : 0;
  GArray *entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), n);
  GHashTable *by_id;
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      TdmRecord *record = g_ptr_array_index (changed, i);
      Entry entry = { 0, };

      if (record == NULL || record->id == NULL || record->side != side ||
          record->kind != planner->input->kind)
        continue;
      entry.record = record;
      entry.position = i;
      entry_init_key (&entry);
      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);

  /* A record read twice (overlapping pages): the newer state counts. */
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (kept > 0 &&
          strcmp (g_array_index (entries, Entry, kept - 1).record->id, entry->record->id) == 0)
        continue;
      if (kept != i)
        g_array_index (entries, Entry, kept) = *entry;
      kept++;
    }
  g_array_set_size (entries, kept);
  for (guint i = 0; i < entries->len; i++)
    g_hash_table_insert (by_id, g_array_index (entries, Entry, i).record->id,
                         GUINT_TO_POINTER (i + 1));

  planner->entries[side] = entries;
  planner->changed_by_id[side] = by_id;
}

/* Deferred decisions were emitted last: restore the documented order (source
 * side, webshop first, then id in natural order). The sort is stable, so the
 * UPDATE/CONFLICT pairs of one record keep their order. */
typedef struct
{
  TdmAction *action;
  guint      index;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a;
  const Ranked *y = b;
  const TdmRecord *sx = x->action->source;
  const TdmRecord *sy = y->action->source;
  int c = 0;

  if (sx == NULL || sy == NULL)
    c = (sx == NULL) - (sy == NULL);
  else if (sx->side != sy->side)
    c = sx->side == TDM_SIDE_WEBSHOP ? -1 : 1;
  else
    c = compare_ids (sx->id, sy->id);
  /* Ties keep their emission order (an UPDATE before its CONFLICT). */
  return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* Deferred decisions were emitted last: restore the documented order
 * (source side, webshop first, then id in natural order). */
static void
sort_actions (Planner *planner)
{
  guint n = planner->actions->len;
  g_autofree Ranked *ranked = g_new (Ranked, n);

  for (guint i = 0; i < n; i++)
    {
      ranked[i].action = g_ptr_array_index (planner->actions, i);
      ranked[i].index = i;
    }
  qsort (ranked, n, sizeof (Ranked), compare_ranked);
  for (guint i = 0; i < n; i++)
    planner->actions->pdata[i] = ranked[i].action;
}

/**
 * tdm_planner_plan:
 * @input: the run's changed records, their links, the match index and the
 *   options for one kind
 *
 * Pure: no I/O. Every changed record yields its action(s): a pair changed on
 * both sides yields one set (an UPDATE and, under `ask`, a CONFLICT), a
 * record and its matched twin one LINK. Unchanged records yield NOTHING so
 * the engine can count them. Order: by source side (webshop first), then by
 * id in natural order.
 *
 * Returns: (transfer full) (element-type TdmAction): the actions.
 */
GPtrArray *
tdm_planner_plan (const TdmPlanInput *input)
{
  Planner planner = { 0, };

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (TDM_IS_MAPPING (input->mapping), NULL);

  planner.input = input;
  planner.actions = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_action_free);
  if (input->options.direction == TDM_DIRECTION_OFF)
    return planner.actions;

  planner.fields = build_field_infos (input);
  planner.unchanged_reason = _("No changes to sync.");
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      planner.create_reason[s] =
        /* Translators: the side the record comes from, then the other side */
        g_strdup_printf (_("New in %s, with no matching record in %s."),
                         tdm_side_display_name (tdm_side_other ((TdmSide) s)),
                         tdm_side_display_name ((TdmSide) s));
      planner.link_reason[s] = g_strdup_printf (_("Matches an existing record in %s."),
                                                tdm_side_display_name ((TdmSide) s));
    }
  planner.claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  planner.linked_now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  planner.deferred = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  planner.deferred_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    planner_collect (&planner, (TdmSide) s);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      GArray *entries = planner.entries[s];

      for (guint i = 0; i < entries->len; i++)
        {
          Entry *entry = &g_array_index (entries, Entry, i);
          TdmRecord *record = entry->record;
          TdmLink *link;

          if (entry->done)
            continue;
          entry->done = TRUE;
          link = planner_find_link (&planner, record);
          if (link != NULL)
            planner_plan_linked (&planner, record, link);
          else
            planner_plan_unlinked (&planner, record);
        }
    }

  planner.final_pass = TRUE;
  for (guint i = 0; i < planner.deferred->len; i++)
    {
      TdmRecord *record = g_ptr_array_index (planner.deferred, i);
      g_autofree char *key = claim_key (record);

      /* Already linked as the twin of a record decided before it. */
      if (!g_hash_table_contains (planner.linked_now, key))
        planner_plan_unlinked (&planner, record);
    }
  if (planner.deferred->len > 0)
    sort_actions (&planner);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_array_unref (planner.entries[s]);
      g_hash_table_unref (planner.changed_by_id[s]);
      g_free (planner.create_reason[s]);
      g_free (planner.link_reason[s]);
    }
  g_hash_table_unref (planner.claimed);
  g_hash_table_unref (planner.linked_now);
  g_ptr_array_unref (planner.deferred);
  g_hash_table_unref (planner.deferred_keys);
  g_array_unref (planner.fields);
  return planner.actions;
}

/* ------------------------------------------------------------------ */
/* Describing actions (--dry-run, logs)                                 */
/* ------------------------------------------------------------------ */

#define DESCRIBE_MAX_VALUE_CHARS 60

static void
append_value (GString  *out,
              JsonNode *value)
{
  g_autofree char *text = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      g_string_append (out, _("(empty)"));
      return;
    }
  text = tdm_json_canonical_string (value);
  if (text == NULL)
    {
      g_string_append (out, _("(empty)"));
      return;
    }
  if (g_utf8_strlen (text, -1) > DESCRIBE_MAX_VALUE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, DESCRIBE_MAX_VALUE_CHARS);
      g_string_append (out, cut);
      g_string_append (out, "…");
    }
  else
    g_string_append (out, text);
}

static void
append_fields (GString    *out,
               JsonObject *fields)
{
  g_autoptr(GList) names = NULL;
  gboolean first = TRUE;

  if (fields == NULL)
    return;

  names = g_list_sort (json_object_get_members (fields), (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      g_string_append_printf (out, "%s = ", (const char *) l->data);
      append_value (out, json_object_get_member (fields, l->data));
    }
}

static char *
describe_record (TdmRecord *record)
{
  return record != NULL ? tdm_record_describe (record) : NULL;
}

static char *
describe_subject (const TdmAction *action)
{
  if (action->source != NULL)
    return describe_record (action->source);
  if (action->link != NULL)
    /* Translators: a kind ("Customer"), then two record ids */
    return g_strdup_printf (_("%s (webshop id %s, Shopify id %s)"),
                            tdm_kind_display_name (action->kind),
                            action->link->webshop_id ? action->link->webshop_id : "—",
                            action->link->shopify_id ? action->link->shopify_id : "—");
  return g_strdup (tdm_kind_display_name (action->kind));
}

static void
append_writes (GString         *out,
               const TdmAction *action)
{
  TdmSide other = tdm_side_other (action->target);

  if (action->fields != NULL && json_object_get_size (action->fields) > 0)
    {
      g_string_append (out, " — ");
      g_string_append_printf (out, _("write in %s: "), tdm_side_display_name (action->target));
      append_fields (out, action->fields);
    }
  if (action->fields_other != NULL && json_object_get_size (action->fields_other) > 0)
    {
      g_string_append (out, " — ");
      g_string_append_printf (out, _("write in %s: "), tdm_side_display_name (other));
      append_fields (out, action->fields_other);
    }
}

static void
append_conflicts (GString         *out,
                  const TdmAction *action,
                  gboolean         pending_only)
{
  if (action->conflicts == NULL)
    return;
  for (guint i = 0; i < action->conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (action->conflicts, i);

      if (pending_only && conflict->resolved)
        continue;
      g_string_append (out, " — ");
      g_string_append_printf (out, _("%s: webshop "), conflict->field);
      append_value (out, conflict->webshop_value);
      g_string_append (out, _(", Shopify "));
      append_value (out, conflict->shopify_value);
      if (conflict->resolved)
        g_string_append_printf (out, _(" (%s wins)"), tdm_side_display_name (conflict->winner));
    }
}

/**
 * tdm_action_describe:
 *
 * Returns: (transfer full): one translated line naming the action, the
 *   record, the fields and their values, for `--dry-run` and the logs.
 */
char *
tdm_action_describe (const TdmAction *action)
{
  g_autofree char *subject = NULL;
  g_autofree char *twin = NULL;
  const char *target;
  GString *out;

  g_return_val_if_fail (action != NULL, NULL);

  subject = describe_subject (action);
  twin = describe_record (action->twin);
  target = tdm_side_display_name (action->target);
  out = g_string_new (NULL);

  switch (action->type)
    {
    case TDM_ACTION_NOTHING:
      g_string_append_printf (out, _("Nothing to do for %s"), subject);
      break;
    case TDM_ACTION_CREATE:
      /* Translators: a side, then a record ("customer kari@example.no (webshop id 17)") */
      g_string_append_printf (out, _("Create in %s: %s"), target, subject);
      if (action->fields != NULL)
        {
          g_string_append (out, " — ");
          append_fields (out, action->fields);
        }
      break;
    case TDM_ACTION_UPDATE:
      g_string_append_printf (out, _("Update %s"), subject);
      append_writes (out, action);
      append_conflicts (out, action, FALSE);
      break;
    case TDM_ACTION_LINK:
      /* Translators: two records, one on each side */
      g_string_append_printf (out, _("Link %s with %s"), subject, twin ? twin : "—");
      append_writes (out, action);
      append_conflicts (out, action, FALSE);
      break;
    case TDM_ACTION_CONFLICT:
      g_string_append_printf (out, _("Conflict on %s, waiting for your choice"), subject);
      append_conflicts (out, action, TRUE);
      break;
    case TDM_ACTION_ORPHAN:
      /* Translators: a side, then the deleted record */
      g_string_append_printf (out, _("Keep the twin in %s of %s, marked orphaned"),
                              target, subject);
      break;
    case TDM_ACTION_DELETE:
      if (action->kind == TDM_KIND_PRODUCT)
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Archive the twin in %s of %s"), target, subject);
      else if (action->kind == TDM_KIND_ORDER)
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Cancel the twin in %s of %s"), target, subject);
      else
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Delete the twin in %s of %s"), target, subject);
      break;
    case TDM_ACTION_WAIT:
      g_string_append_printf (out, _("Wait with %s"), subject);
      break;
    case TDM_ACTION_REVIEW:
      /* Translators: a record, then the other side */
      g_string_append_printf (out, _("Review %s: it matches several records in %s"),
                              subject, target);
      for (guint i = 0; action->candidates != NULL && i < action->candidates->len; i++)
        {
          g_autofree char *label = describe_record (g_ptr_array_index (action->candidates, i));

          g_string_append (out, i == 0 ? ": " : "; ");
          g_string_append (out, label ? label : "—");
        }
      break;
    default:
      g_string_append (out, subject);
      break;
    }

  if (action->not_writable != NULL && action->not_writable->len > 0)
    {
      g_string_append (out, " — ");
      g_string_append (out, _("differs, not writable: "));
      for (guint i = 0; i < action->not_writable->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          g_string_append (out, g_ptr_array_index (action->not_writable, i));
        }
    }
  if (action->reason != NULL && *action->reason != '\0')
    {
      g_string_append (out, " (");
      g_string_append (out, action->reason);
      g_string_append (out, ")");
    }
  return g_string_free (out, FALSE);
}
