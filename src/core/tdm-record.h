/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>
#include "tdm-types.h"

G_BEGIN_DECLS

/* A canonical record: the mapped properties of one record on one side, with
 * normalized values (see tdm-normalize.h). Comparisons between the sides, and
 * against snapshots, happen on these.
 *
 * `fields` keys are canonical property names: the mapping row's `name`
 * (by default its webshop path without "[]", e.g. "email", "addresses",
 * "variants"). A list row's value is a JSON array of objects whose keys are
 * the sub-rows' canonical names ("addresses" → [{"city": …, "country_code": …}]).
 * An empty value is simply absent from `fields` (absent = null = "" = []).
 *
 * Refcounted and immutable once built; share freely between threads. */
typedef struct _TdmRecord TdmRecord;
struct _TdmRecord {
  /*< public, read-only >*/
  TdmSide     side;
  TdmKind     kind;
  char       *id;          /* webshop id, or the Shopify GID */
  char       *updated_at;  /* RFC 3339, UTC ("2026-11-26T18:01:15Z"); may be NULL */
  char       *etag;        /* webshop ETag; NULL when none */
  JsonObject *fields;      /* canonical properties (never NULL) */
  JsonObject *native;      /* the side's native JSON, when known (may be NULL) */
  char       *twin_id;     /* the other side's id as carried by this record:
                            * webshop `shopify_id`, or Shopify's `$app:tandem.webshop_id`
                            * metafield; NULL when absent */
  gboolean    deleted;     /* a tombstone: the record is gone on its side */
  /*< private >*/
  char       *hash;
  gint        ref_count;
};

GType       tdm_record_get_type      (void) G_GNUC_CONST;
#define TDM_TYPE_RECORD (tdm_record_get_type ())

TdmRecord  *tdm_record_new           (TdmSide     side,
                                      TdmKind     kind,
                                      const char *id,
                                      const char *updated_at,
                                      const char *etag,
                                      JsonObject *fields,   /* transfer none: referenced */
                                      JsonObject *native);  /* nullable, referenced */
TdmRecord  *tdm_record_new_tombstone (TdmSide     side,
                                      TdmKind     kind,
                                      const char *id,
                                      const char *deleted_at);
TdmRecord  *tdm_record_ref           (TdmRecord  *self);
void        tdm_record_unref         (TdmRecord  *self);
void        tdm_record_set_twin_id   (TdmRecord  *self, const char *twin_id); /* only while building */
/* Replaces the canonical fields (a new reference is taken) and forgets the
 * hash; only while the record is being built, or when nothing else reads
 * its fields or its hash. */
void        tdm_record_set_fields    (TdmRecord  *self, JsonObject *fields);

/* SHA-256 hex of the canonical serialization of `fields` (keys sorted at every
 * level). Equal canonical content ⇔ equal hash. Cached. */
const char *tdm_record_get_hash      (TdmRecord  *self);
const char *tdm_record_get_string    (TdmRecord  *self, const char *field);   /* NULL if absent/not a string */
JsonNode   *tdm_record_get_field     (TdmRecord  *self, const char *field);   /* transfer none; NULL if absent */
/* A short, human label for messages: "customer kari@example.no (webshop id 17)". */
char       *tdm_record_describe      (TdmRecord  *self);

/* Canonical serialization of any JSON value: objects with sorted keys, no
 * whitespace. Used for hashing, field comparison and snapshots in the store. */
char       *tdm_json_canonical_string (JsonNode   *node);
/* Equality of two field values (either may be NULL = empty). */
gboolean    tdm_json_value_equal      (JsonNode   *a, JsonNode *b);
/* Deep copy of any node (json_node_copy shares objects and arrays); NULL → NULL. */
JsonNode   *tdm_json_node_copy_deep   (JsonNode   *node);
/* Deep copy of an object; NULL → NULL. */
JsonObject *tdm_json_object_copy      (JsonObject *object);
/* Parse a JSON object from a string; NULL + error when it is not an object. */
JsonObject *tdm_json_object_from_string (const char *str, GError **error);
char       *tdm_json_object_to_string   (JsonObject *object);  /* canonical */
/* TRUE when `data` holds at most one JSON value (whitespace around it is
 * fine). json-glib 1.6 accepts "{…}{…}", keeps the last value and leaks the
 * others: every parser of outside input checks this first. Only the
 * structure is scanned (strings and escapes respected), not the syntax. */
gboolean    tdm_json_is_single_value    (const char *data, gssize length);

/* A problem with one record on one side, to be shown and stored. */
typedef struct {
  TdmSide  side;        /* where the error came from */
  TdmKind  kind;
  char    *record_id;   /* id on the source side of the operation (may be NULL for a create) */
  char    *field;       /* canonical field name or the side's field path; may be NULL */
  char    *message;     /* the side's message, as a user-readable sentence */
  char    *existing_id; /* for duplicates: the twin that holds the value; may be NULL */
} TdmRecordError;

TdmRecordError *tdm_record_error_new  (TdmSide side, TdmKind kind, const char *record_id,
                                       const char *field, const char *message);
GType           tdm_record_error_get_type (void) G_GNUC_CONST;
#define TDM_TYPE_RECORD_ERROR (tdm_record_error_get_type ())
TdmRecordError *tdm_record_error_copy (const TdmRecordError *error);
void            tdm_record_error_free (TdmRecordError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmRecord, tdm_record_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmRecordError, tdm_record_error_free)

G_END_DECLS
