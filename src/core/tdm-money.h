/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint  tdm_money_currency_digits (const char *currency);
char  *tdm_money_format          (const char *amount,
                                  const char *currency);

/* Exact sums of money: an amount as a whole number of millionths
 * ("12.5" → 12500000, rounded half away from zero past six decimals).
 * FALSE for anything but a plain decimal, or beyond ±10^12. */
gboolean tdm_money_to_micros   (const char *amount,
                                gint64     *out);
/* The shortest plain decimal of `micros` millionths: 12500000 → "12.5". */
char    *tdm_money_from_micros (gint64      micros);

G_END_DECLS
