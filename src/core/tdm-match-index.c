/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <string.h>

/* TdmMatchIndex: the lookup of unlinked records by twin reference and
 * matching key (docs/sync.md, First link and matching keys). */

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

/* ---- Matching keys ---- */

static const char *
first_variant_sku (JsonObject *fields)
{
  JsonNode *variants = _tdm_planner_field_value (fields, "variants");

  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    {
      JsonArray *array = json_node_get_array (variants);
      JsonNode *first = NULL;

      if (json_array_get_length (array) > 0)
        first = json_array_get_element (array, 0);

      if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
        {
          const char *sku = _tdm_planner_string_member (json_node_get_object (first), "sku");
          if (sku != NULL)
            return sku;
        }
    }
  return _tdm_planner_string_member (fields, "sku");
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

/* The kind's raw matching key `key` (0 or 1) of a record, in order
 * (docs/sync.md, First link and matching keys): customer email then phone;
 * product first variant SKU then handle; order number (the webshop id
 * carried on the Shopify order is matched before, as a twin reference).
 * `fold` is set to FALSE for keys compared case-sensitively. */
static const char *
raw_match_key (TdmRecord *record,
               guint      key,
               gboolean  *fold)
{
  const char *raw = NULL;

  g_assert (key < N_MATCH_KEYS);

  *fold = TRUE;
  switch (record->kind)
    {
    case TDM_KIND_CUSTOMER:
      raw = _tdm_planner_string_member (record->fields, key == 0 ? "email" : "phone");
      break;
    case TDM_KIND_PRODUCT:
      if (key == 0)
        {
          raw = first_variant_sku (record->fields);
          *fold = FALSE;   /* SKUs are case-sensitive codes */
        }
      else
        raw = _tdm_planner_string_member (record->fields, "handle");
      break;
    case TDM_KIND_ORDER:
      if (key == 0)
        {
          raw = _tdm_planner_string_member (record->fields, "number");
          if (raw == NULL)
            raw = _tdm_planner_string_member (record->fields, "name");
          while (raw != NULL && (*raw == '#' || g_ascii_isspace (*raw)))
            raw++;
        }
      break;
    default:
      break;
    }
  return raw;
}

/* The kind's matching key `key` of a record (see raw_match_key ()), trimmed
 * and case-folded in `kb` (valid until it is cleared), or NULL when the
 * record has no such key. Indexing a large first sync calls this for every
 * record, so the common ASCII case allocates nothing. */
static const char *
match_key (TdmRecord *record,
           guint      key,
           KeyBuf    *kb)
{
  gboolean fold;
  gboolean ascii = TRUE;
  const char *raw;
  gsize len;

  g_assert (record != NULL);
  g_assert (kb != NULL);

  raw = raw_match_key (record, key, &fold);
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

/* ---- The index ---- */

static void
multimap_add (GHashTable *table,
              const char *key,
              TdmRecord  *record)
{
  GPtrArray *list;

  g_assert (table != NULL && key != NULL && record != NULL);

  list = g_hash_table_lookup (table, key);

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

  g_assert (table != NULL && record != NULL);

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
  g_assert (side != NULL && record != NULL);
  g_assert (g_hash_table_lookup (side->by_id, record->id) == record);

  multimap_remove (side->by_twin, _tdm_planner_record_twin_ref (record), record);
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
      if (_tdm_planner_compare_timestamps (record->updated_at, existing->updated_at) < 0)
        return;
      match_side_remove (side, existing);
    }

  g_hash_table_insert (side->by_id, record->id, tdm_record_ref (record));
  twin = _tdm_planner_record_twin_ref (record);
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

  ref = _tdm_planner_record_twin_ref (record);
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
      g_ptr_array_sort (result, _tdm_planner_compare_records_by_id);
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
          const char *back = _tdm_planner_record_twin_ref (candidate);

          if (back != NULL && g_strcmp0 (back, record->id) != 0)
            continue;   /* it names another record as its twin */
          if (_tdm_planner_records_have_id (result, candidate->id))
            continue;
          g_ptr_array_add (result, tdm_record_ref (candidate));
        }
      if (result->len > 0)
        break;
    }

  g_ptr_array_sort (result, _tdm_planner_compare_records_by_id);
  return g_steal_pointer (&result);
}
