/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends one RFC 4180 field to a CSV line (a comma first unless the line is
 * empty); NULL is an empty field. */
void tdm_csv_append_value (GString    *line,
                           const char *value);

G_END_DECLS
