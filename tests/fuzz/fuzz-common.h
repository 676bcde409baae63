/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

/* Shared by the fuzz targets (tests/fuzz/fuzz-*.c). Each target defines
 * LLVMFuzzerTestOneInput; it is linked either with libFuzzer (clang,
 * -fsanitize=fuzzer) or with fuzz-replay.c, a GTest main that feeds every
 * file of a corpus directory to it (the 'fuzz' test suite). */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Errors, criticals (a g_return_if_fail hit by outside input) and warnings
 * abort() after being printed, so that libFuzzer sees a crash (it does not
 * catch the SIGTRAP g_error raises) and saves the input. */
static inline GLogWriterOutput
tdm_fuzz_log_writer (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

static inline void
tdm_fuzz_init_once (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (tdm_fuzz_log_writer, NULL, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* The input as a NUL-terminated string (it may contain NULs: C functions
 * see the part before the first one). */
static inline char *
tdm_fuzz_strndup (const uint8_t *data,
                  size_t         size)
{
  char *s = g_malloc (size + 1);

  if (size > 0)
    memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

/* Parse the input as JSON; NULL when it is not JSON. */
static inline JsonNode *
tdm_fuzz_parse_json (const uint8_t *data,
                     size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (size == 0 || !json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

/* A small deterministic byte source for structured fuzzing (the planner). */
typedef struct {
  const uint8_t *data;
  size_t         size;
  size_t         pos;
} TdmFuzzBytes;

static inline guint
tdm_fuzz_byte (TdmFuzzBytes *in)
{
  if (in->pos >= in->size)
    return 0;
  return in->data[in->pos++];
}

/* A number in [0, n). */
static inline guint
tdm_fuzz_pick (TdmFuzzBytes *in,
               guint         n)
{
  return n == 0 ? 0 : tdm_fuzz_byte (in) % n;
}

static inline gboolean
tdm_fuzz_bool (TdmFuzzBytes *in)
{
  return tdm_fuzz_byte (in) & 1;
}
