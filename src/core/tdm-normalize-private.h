/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-normalize.h"

G_BEGIN_DECLS

/* Helpers shared by the files of the normalizer (tdm-normalize*.c); not for
 * use outside it. See docs/sync.md, Normalization. */

/* tdm-normalize.c: text and JSON node helpers */
gboolean  _tdm_normalize_is_trim_char  (gunichar      c);
char     *_tdm_normalize_clean_string  (const char   *in);
JsonNode *_tdm_normalize_string_node   (char         *owned);
gboolean  _tdm_normalize_node_is_empty (JsonNode     *node);
char     *_tdm_normalize_scalar_text   (JsonNode     *node);
void      _tdm_normalize_set_invalid   (GError      **error,
                                        const char   *message);

/* tdm-normalize-decimal.c: a whole number within gint64 ("12", "1e3",
 * "-5.0"); FALSE for fractions, values out of range and non-numbers. */
gboolean  _tdm_normalize_parse_int64   (const char   *clean,
                                        gint64       *out);

/* tdm-normalize-compound.c: the per-type normalizers of values made of
 * parts (non-empty value; NULL = empty, or NULL + error) */
JsonNode *_tdm_normalize_tags_value    (JsonNode                  *value,
                                        const TdmNormalizeOptions *options,
                                        GError                   **error);
JsonNode *_tdm_normalize_weight_value  (JsonNode                  *value,
                                        const TdmNormalizeOptions *options,
                                        GError                   **error);
JsonNode *_tdm_normalize_list_value    (JsonNode                  *value,
                                        const TdmNormalizeOptions *options,
                                        GError                   **error);
JsonNode *_tdm_normalize_object_value  (JsonNode                  *value,
                                        const TdmNormalizeOptions *options,
                                        GError                   **error);
JsonNode *_tdm_normalize_tax_lines_value (JsonNode                  *value,
                                          const TdmNormalizeOptions *options,
                                          GError                   **error);

G_END_DECLS
