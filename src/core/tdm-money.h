/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint  tdm_money_currency_digits (const char *currency);
char  *tdm_money_format          (const char *amount,
                                  const char *currency);

G_END_DECLS
