/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends one RFC 4180 field to a CSV line (a comma first unless the line is
 * empty); NULL is an empty field. A value a spreadsheet would read as a
 * formula is written as text (see tdm-csv.c). Every CSV Tandem writes goes
 * through here. */
void     tdm_csv_append_value   (GString    *line,
                                 const char *value);

/* Whether `value` starts the way a spreadsheet formula does and is written
 * with a leading apostrophe. */
gboolean tdm_csv_value_is_formula (const char *value);

G_END_DECLS
