/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Values as a shop owner reads them: money with its currency, numbers,
 * dates and times in the conventions of the owner's locale, relative when
 * recent ("5 minutes ago"), phone numbers in groups, HTML as plain text,
 * states and countries in words. Pure functions of their arguments (plus
 * the message catalogue for words), so they are tested without a display
 * (tests/ui/test-format.c). Every function returns a new string. */

/* The conventions of one locale. */
typedef struct {
  const char *name;             /* "nb", "en_US", … */
  const char *decimal_mark;     /* "," */
  const char *group_mark;       /* digit groups: U+00A0 (no-break space), ",", "." */
  const char *currency;         /* the locale's own currency ("NOK"), or NULL */
  const char *currency_symbol;  /* its symbol ("kr"), or NULL */
  gboolean    symbol_first;     /* "kr 10,00" rather than "10,00 kr" (also for codes) */
  gboolean    symbol_space;     /* a space between the symbol and the amount */
  const char *date_format;      /* g_date_time_format () pattern: "%d.%m.%Y" */
  const char *time_format;      /* "%H:%M" */
} TdmFormatLocale;

/* The conventions of a locale name ("nb_NO.UTF-8", "nb", "en_US", "C"):
 * the nearest Tandem knows (language and territory, then language), else
 * neutral English ones. Never NULL. */
const TdmFormatLocale *tdm_format_locale_lookup  (const char *name);
/* The conventions of the running program: its LC_MONETARY locale, or when
 * that is C/POSIX the language of its messages (LANGUAGE=nb shows
 * Norwegian dates and money). Never NULL. */
const TdmFormatLocale *tdm_format_locale_default (void);

/* A canonical decimal string ("6444.5", "-12", "1e3" is not one) with the
 * locale's marks, at least `min_decimals` digits after the mark (more when
 * the value has them): "6 444,50". Anything that is not a decimal number is
 * returned as it is. */
char *tdm_format_decimal       (const TdmFormatLocale *locale,
                                const char            *decimal,
                                guint                  min_decimals);
/* An amount of money: "kr 6 444,00" (nb, NOK), "NOK 6,444.00" (en, NOK),
 * "$6,444.00" (en_US, USD). `currency` is an ISO 4217 code, or NULL for the
 * amount alone. Spaces are no-break spaces. */
char *tdm_format_money         (const TdmFormatLocale *locale,
                                const char            *amount,
                                const char            *currency);
/* A weight with its unit ("kg", "g", "lb", "oz"): "0,5 kg". */
char *tdm_format_weight        (const TdmFormatLocale *locale,
                                const char            *value,
                                const char            *unit);

/* "26.11.2026 18:05" (nb), "26 Nov 2026 18:05" (en), in `when`'s time zone. */
char *tdm_format_date_time     (const TdmFormatLocale *locale,
                                GDateTime             *when);
char *tdm_format_date          (const TdmFormatLocale *locale,
                                GDateTime             *when);
/* Relative when recent, seen from `now`: "Just now", "5 minutes ago",
 * "3 hours ago", "Today, 08:15", "Yesterday, 18:05"; older (or later than
 * now) as tdm_format_date_time (). */
char *tdm_format_relative_time (const TdmFormatLocale *locale,
                                GDateTime             *when,
                                GDateTime             *now);
/* An RFC 3339 time ("2026-11-26T17:05:00Z") in the time zone `tz` (NULL:
 * local), relative to `now` when `now` is not NULL. Text that is not such a
 * time is returned as it is. */
char *tdm_format_timestamp     (const TdmFormatLocale *locale,
                                const char            *rfc3339,
                                GTimeZone             *tz,
                                GDateTime             *now);

/* An E.164 number in groups for reading: "+47 912 34 567",
 * "+46 70 123 45 67", "+1 415 555 0123". Anything else is returned as it is. */
char *tdm_format_phone         (const char *number);

/* HTML as plain text: tags dropped (paragraphs, line breaks and list items
 * become new lines, list items start with "• "), entities decoded,
 * whitespace collapsed; script and style content left out. */
char *tdm_format_html_to_text  (const char *html);

/* An order or product state in words ("partially_paid" → "Partially paid"),
 * translated; an unknown one in words, untranslated. */
char *tdm_format_state         (const char *value);
/* A language in words ("nb", "nb-NO" or "nb_NO" → "Norwegian Bokmål"),
 * translated; an unknown code as it is. */
char *tdm_format_language      (const char *code);
/* A country in words ("NO" → "Norway"), translated; an unknown code as it is. */
char *tdm_format_country       (const char *code);

G_END_DECLS
