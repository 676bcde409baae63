/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>
#include "tdm-record.h"

G_BEGIN_DECLS

/* Text Tandem cannot keep, as it arrives in JSON from either shop.
 *
 * json-glib turns "\u0000" into a C string that ends there ("Ka\u0000ri"
 * reads as "Ka"), refuses a whole answer for one byte that is not UTF-8,
 * and garbles a UTF-16 surrogate escape without its pair (it even eats the
 * character after it). Before JSON text is parsed, tdm_json_text_mark
 * therefore replaces, inside strings (values and member names) only:
 *
 *   - a NUL (the escape \u0000, or a raw NUL byte) with U+FDD0, and
 *   - a byte that is not UTF-8, or a surrogate escape without its pair,
 *     with U+FDD1,
 *
 * two noncharacters Unicode reserves for a program's internal use. A record
 * holding either is refused as a whole, with an error naming the record and
 * the field, so that nothing is truncated and nothing is written back to a
 * shop that was not read from it in full. Should a shop send U+FDD0 or
 * U+FDD1 itself, that record is refused the same way. Outside strings
 * nothing changes: there, such bytes make the answer invalid JSON. See
 * docs/webshop-api.md (Record shapes). */

#define TDM_JSON_TEXT_MARK_NUL     "\xef\xb7\x90"   /* U+FDD0 in UTF-8 */
#define TDM_JSON_TEXT_MARK_BROKEN  "\xef\xb7\x91"   /* U+FDD1 in UTF-8 */

typedef enum {
  TDM_JSON_TEXT_OK,
  TDM_JSON_TEXT_NUL,     /* a NUL character */
  TDM_JSON_TEXT_BROKEN,  /* bytes that are not UTF-8, or a lone surrogate */
} TdmJsonTextProblem;

/* The marked copy of `length` bytes of JSON text (see above), or NULL when
 * nothing needed marking. `out_length` (nullable) receives the copy's
 * length; the copy is NUL-terminated. Marking marked text changes nothing. */
char               *tdm_json_text_mark_data     (const char  *data,
                                                 gsize        length,
                                                 gsize       *out_length);
/* The same for a body: `body` itself (a new reference) when nothing needed
 * marking. */
GBytes             *tdm_json_text_mark          (GBytes      *body);

/* Does this string (a parsed value) hold a mark? */
TdmJsonTextProblem  tdm_json_text_check         (const char  *text);
/* The first member name or string value in `object` (depth first, in
 * member order) that holds a mark, with its path in `out_path` (nullable):
 * "note", "meta.label", "addresses[0].city". */
TdmJsonTextProblem  tdm_json_text_find          (JsonObject  *object,
                                                 char       **out_path);

/* The record error's message for a problem found in the record `record_id`
 * (nullable when the id itself is unreadable) of `kind` on `side`, at
 * `field`: a sentence naming the record and the field and saying what to
 * do. */
char               *tdm_json_text_message       (TdmJsonTextProblem  problem,
                                                 TdmSide             side,
                                                 TdmKind             kind,
                                                 const char         *record_id,
                                                 const char         *field);

G_END_DECLS
