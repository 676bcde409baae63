/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <string.h>

/* Helpers on canonical values and ids, shared by the planner's files. */

/* ---- Empty values and comparisons ---- */

/* Absent, null, "", [] and {} are one "empty" value (docs/sync.md,
 * Normalization). */
gboolean
_tdm_planner_value_is_empty (JsonNode *value)
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

/* The member `name` of `object`, or NULL when it is empty (transfer none). */
JsonNode *
_tdm_planner_field_value (JsonObject *object,
                          const char *name)
{
  JsonNode *value;

  g_assert (name != NULL);

  if (object == NULL)
    return NULL;

  value = json_object_get_member (object, name);
  if (_tdm_planner_value_is_empty (value))
    return NULL;
  return value;
}

/* The member `name` of `object` when it is a non-empty string. */
const char *
_tdm_planner_string_member (JsonObject *object,
                            const char *name)
{
  JsonNode *value = _tdm_planner_field_value (object, name);

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (value);
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
gboolean
_tdm_planner_values_equal (JsonNode *a,
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

/* ---- Ids ---- */

/* Natural order of ids: digit runs compare by value, so "9" < "10" and
 * "gid://shopify/Customer/9" < "gid://shopify/Customer/10". */
int
_tdm_planner_compare_ids (const char *a,
                          const char *b)
{
  const char *pa = a, *pb = b;

  g_assert (a != NULL && b != NULL);

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

int
_tdm_planner_compare_records_by_id (gconstpointer a,
                                    gconstpointer b)
{
  const TdmRecord *ra = *(TdmRecord * const *) a;
  const TdmRecord *rb = *(TdmRecord * const *) b;

  return _tdm_planner_compare_ids (ra->id, rb->id);
}

/* Compares two RFC 3339 stamps; NULL is older than anything. */
int
_tdm_planner_compare_timestamps (const char *a,
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
const char *
_tdm_planner_record_twin_ref (TdmRecord *record)
{
  g_assert (record != NULL);

  if (record->twin_id != NULL && *record->twin_id != '\0')
    return record->twin_id;

  if (record->kind == TDM_KIND_ORDER && record->side == TDM_SIDE_SHOPIFY)
    {
      const char *names[] = { "source_identifier", "sourceIdentifier" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          JsonNode *value = _tdm_planner_field_value (record->fields, names[i]);

          if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING)
            return json_node_get_string (value);
        }
    }
  return NULL;
}

/* Is `candidate` the record's twin by a carried id (either direction)? */
gboolean
_tdm_planner_is_twin_by_reference (TdmRecord *record,
                                   TdmRecord *candidate)
{
  const char *ref = _tdm_planner_record_twin_ref (record);
  const char *back = _tdm_planner_record_twin_ref (candidate);

  return (ref != NULL && g_strcmp0 (candidate->id, ref) == 0) ||
         (back != NULL && g_strcmp0 (back, record->id) == 0);
}

gboolean
_tdm_planner_records_have_id (GPtrArray  *records,
                              const char *id)
{
  g_assert (records != NULL);

  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((TdmRecord *) g_ptr_array_index (records, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}
