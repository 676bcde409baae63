/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-format"

#include "config.h"

#include "tdm-format.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

/* Values as a shop owner reads them (docs/architecture.md, The window).
 * The conventions of the locales Tandem is translated to, and of a few
 * neighbours of its first shops, are written out below rather than read
 * from the C library: a desktop often runs with LANG=C.UTF-8 and
 * LANGUAGE=nb, where the C library would give Norwegian words with
 * American numbers. */

#define NBSP "\xc2\xa0"

/* ---- Locales ---- */

static const TdmFormatLocale locales[] = {
  { "nb", ",", NBSP, "NOK", "kr", TRUE, TRUE, "%d.%m.%Y", "%H:%M" },
  { "nn", ",", NBSP, "NOK", "kr", TRUE, TRUE, "%d.%m.%Y", "%H:%M" },
  { "no", ",", NBSP, "NOK", "kr", TRUE, TRUE, "%d.%m.%Y", "%H:%M" },
  { "sv", ",", NBSP, "SEK", "kr", FALSE, TRUE, "%Y-%m-%d", "%H:%M" },
  { "da", ",", ".", "DKK", "kr.", TRUE, TRUE, "%d.%m.%Y", "%H.%M" },
  { "fi", ",", NBSP, "EUR", "€", FALSE, TRUE, "%d.%m.%Y", "%H.%M" },
  { "de", ",", ".", "EUR", "€", FALSE, TRUE, "%d.%m.%Y", "%H:%M" },
  { "en_US", ".", ",", "USD", "$", TRUE, FALSE, "%m/%d/%Y", "%-I:%M %p" },
  { "en_GB", ".", ",", "GBP", "£", TRUE, FALSE, "%d/%m/%Y", "%H:%M" },
  /* Neutral English, also for locales Tandem does not know. */
  { "en", ".", ",", NULL, NULL, TRUE, FALSE, "%-d %b %Y", "%H:%M" },
};

static const TdmFormatLocale *
find_locale (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (g_ascii_strcasecmp (locales[i].name, name) == 0)
      return &locales[i];
  return NULL;
}

static gboolean
is_c_locale (const char *name)
{
  return name == NULL || *name == '\0' || strcmp (name, "C") == 0 ||
         strcmp (name, "POSIX") == 0 || g_str_has_prefix (name, "C.");
}

const TdmFormatLocale *
tdm_format_locale_lookup (const char *name)
{
  g_autofree char *base = NULL;
  const TdmFormatLocale *found;
  char *cut;

  if (is_c_locale (name))
    return find_locale ("en");

  /* "nb_NO.UTF-8@euro" → "nb_NO", then "nb". */
  base = g_strdup (name);
  if ((cut = strpbrk (base, ".@")) != NULL)
    *cut = '\0';
  if ((found = find_locale (base)) != NULL)
    return found;
  if ((cut = strchr (base, '_')) != NULL)
    *cut = '\0';
  if ((found = find_locale (base)) != NULL)
    return found;
  return find_locale ("en");
}

const TdmFormatLocale *
tdm_format_locale_default (void)
{
  const char *name = setlocale (LC_MONETARY, NULL);
  const char * const *languages;

  if (!is_c_locale (name))
    return tdm_format_locale_lookup (name);

  languages = g_get_language_names ();
  for (guint i = 0; languages[i] != NULL; i++)
    if (!is_c_locale (languages[i]))
      return tdm_format_locale_lookup (languages[i]);
  return tdm_format_locale_lookup ("C");
}

/* ---- Numbers and money ---- */

/* Currencies without minor units (ISO 4217 exponent 0). */
static const char * const zero_decimal_currencies[] = {
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
  "VUV", "XAF", "XOF", "XPF", NULL
};

/* Splits "-6444.5" into its sign, integer digits and fraction digits;
 * FALSE when the text is not a plain decimal number. */
static gboolean
split_decimal (const char  *text,
               gboolean    *negative,
               const char **int_start,
               gsize       *int_len,
               const char **frac_start,
               gsize       *frac_len)
{
  const char *p = text;

  g_assert (negative != NULL && int_start != NULL && frac_start != NULL);

  *negative = FALSE;
  if (*p == '-' || *p == '+')
    *negative = *p++ == '-';
  *int_start = p;
  while (g_ascii_isdigit (*p))
    p++;
  *int_len = p - *int_start;
  *frac_start = p;
  *frac_len = 0;
  if (*p == '.')
    {
      *frac_start = ++p;
      while (g_ascii_isdigit (*p))
        p++;
      *frac_len = p - *frac_start;
      if (*frac_len == 0)
        return FALSE;
    }
  return *p == '\0' && *int_len > 0;
}

/* The number without its sign, with the locale's marks. */
static char *
format_unsigned (const TdmFormatLocale *locale,
                 const char            *int_start,
                 gsize                  int_len,
                 const char            *frac_start,
                 gsize                  frac_len,
                 guint                  min_decimals)
{
  GString *out = g_string_new (NULL);

  /* No leading zeros ("007" → "7"), but keep one. */
  while (int_len > 1 && *int_start == '0')
    {
      int_start++;
      int_len--;
    }
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (out, locale->group_mark);
      g_string_append_c (out, int_start[i]);
    }
  if (frac_len > 0 || min_decimals > 0)
    {
      g_string_append (out, locale->decimal_mark);
      g_string_append_len (out, frac_start, frac_len);
      for (gsize i = frac_len; i < min_decimals; i++)
        g_string_append_c (out, '0');
    }
  return g_string_free (out, FALSE);
}

char *
tdm_format_decimal (const TdmFormatLocale *locale,
                    const char            *decimal,
                    guint                  min_decimals)
{
  const char *int_start, *frac_start;
  gsize int_len, frac_len;
  gboolean negative;
  g_autofree char *number = NULL;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (decimal != NULL, NULL);

  if (!split_decimal (decimal, &negative, &int_start, &int_len, &frac_start, &frac_len))
    return g_strdup (decimal);

  number = format_unsigned (locale, int_start, int_len, frac_start, frac_len, min_decimals);
  return negative ? g_strconcat ("-", number, NULL) : g_steal_pointer (&number);
}

char *
tdm_format_money (const TdmFormatLocale *locale,
                  const char            *amount,
                  const char            *currency)
{
  const char *int_start, *frac_start;
  gsize int_len, frac_len;
  gboolean negative;
  g_autofree char *number = NULL;
  const char *sign;
  const char *unit;
  const char *space;
  guint decimals;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (amount != NULL, NULL);

  if (!split_decimal (amount, &negative, &int_start, &int_len, &frac_start, &frac_len))
    return currency != NULL ? g_strdup_printf ("%s" NBSP "%s", amount, currency)
                            : g_strdup (amount);

  decimals = currency != NULL && g_strv_contains (zero_decimal_currencies, currency) ? 0 : 2;
  number = format_unsigned (locale, int_start, int_len, frac_start, frac_len, decimals);
  sign = negative ? "-" : "";

  if (currency == NULL || *currency == '\0')
    return g_strconcat (sign, number, NULL);

  /* The locale's own currency by its symbol, any other by its code. */
  if (locale->currency != NULL && g_ascii_strcasecmp (currency, locale->currency) == 0)
    {
      unit = locale->currency_symbol;
      space = locale->symbol_space ? NBSP : "";
    }
  else
    {
      unit = currency;
      space = NBSP;
    }

  if (locale->symbol_first)
    return g_strconcat (sign, unit, space, number, NULL);
  return g_strconcat (sign, number, space, unit, NULL);
}

char *
tdm_format_weight (const TdmFormatLocale *locale,
                   const char            *value,
                   const char            *unit)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  number = tdm_format_decimal (locale, value, 0);
  if (unit == NULL || *unit == '\0')
    return g_steal_pointer (&number);
  return g_strconcat (number, NBSP, unit, NULL);
}

/* ---- Dates and times ---- */

char *
tdm_format_date (const TdmFormatLocale *locale,
                 GDateTime             *when)
{
  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (when != NULL, NULL);

  return g_date_time_format (when, locale->date_format);
}

static char *
format_time (const TdmFormatLocale *locale,
             GDateTime             *when)
{
  g_assert (locale != NULL && when != NULL);

  return g_date_time_format (when, locale->time_format);
}

char *
tdm_format_date_time (const TdmFormatLocale *locale,
                      GDateTime             *when)
{
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (when != NULL, NULL);

  date = tdm_format_date (locale, when);
  time = format_time (locale, when);
  return g_strconcat (date, " ", time, NULL);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  g_assert (a != NULL && b != NULL);

  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

char *
tdm_format_relative_time (const TdmFormatLocale *locale,
                          GDateTime             *when,
                          GDateTime             *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *time = NULL;
  GTimeSpan ago;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (when != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  ago = g_date_time_difference (now, when);
  if (ago < -G_TIME_SPAN_MINUTE)
    return tdm_format_date_time (locale, when);
  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      int minutes = ago / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (ago < 6 * G_TIME_SPAN_HOUR)
    {
      int hours = ago / G_TIME_SPAN_HOUR;
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
    }

  /* Today and yesterday as the owner's clock counts them. */
  local = g_date_time_to_timezone (when, g_date_time_get_timezone (now));
  yesterday = g_date_time_add_days (now, -1);
  time = format_time (locale, local);
  if (same_day (local, now))
    /* Translators: "Today, 08:15". */
    return g_strdup_printf (_("Today, %s"), time);
  if (same_day (local, yesterday))
    /* Translators: "Yesterday, 18:05". */
    return g_strdup_printf (_("Yesterday, %s"), time);
  return tdm_format_date_time (locale, local);
}

char *
tdm_format_timestamp (const TdmFormatLocale *locale,
                      const char            *rfc3339,
                      GTimeZone             *tz,
                      GDateTime             *now)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GTimeZone) local = NULL;

  g_return_val_if_fail (locale != NULL, NULL);
  g_return_val_if_fail (rfc3339 != NULL, NULL);

  parsed = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (parsed == NULL)
    return g_strdup (rfc3339);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  when = g_date_time_to_timezone (parsed, tz);
  if (now != NULL)
    {
      g_autoptr(GDateTime) now_here = g_date_time_to_timezone (now, tz);
      return tdm_format_relative_time (locale, when, now_here);
    }
  return tdm_format_date_time (locale, when);
}

/* ---- Phone numbers ---- */

/* Country calling codes of one and two digits (ITU E.164); all others have
 * three. */
static const char * const short_calling_codes[] = {
  "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
  "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62",
  "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
  NULL
};

static gsize
calling_code_length (const char *digits)
{
  for (guint i = 0; short_calling_codes[i] != NULL; i++)
    if (g_str_has_prefix (digits, short_calling_codes[i]))
      return strlen (short_calling_codes[i]);
  return 3;
}

/* Appends `digits` in groups of the given sizes (0-terminated); what is
 * left over joins the last group. */
static void
append_groups (GString    *out,
               const char *digits,
               const guint *sizes)
{
  gsize len = strlen (digits);
  gsize at = 0;

  g_assert (out != NULL && sizes != NULL);

  for (guint i = 0; sizes[i] != 0 && at < len; i++)
    {
      gsize n = sizes[i + 1] == 0 ? len - at : MIN (sizes[i], len - at);

      g_string_append_c (out, ' ');
      g_string_append_len (out, digits + at, n);
      at += n;
    }
}

/* Groups of three, the last of two to four digits. */
static void
append_threes (GString    *out,
               const char *digits)
{
  gsize len = strlen (digits);
  gsize at = 0;

  g_assert (out != NULL);

  while (at < len)
    {
      gsize left = len - at;
      gsize n = left == 4 ? 4 : MIN (left, 3);

      g_string_append_c (out, ' ');
      g_string_append_len (out, digits + at, n);
      at += n;
    }
}

char *
tdm_format_phone (const char *number)
{
  static const guint nanp[] = { 3, 3, 4, 0 };
  static const guint pairs[] = { 2, 2, 2, 2, 0 };
  static const guint no_mobile[] = { 3, 2, 3, 0 };
  static const guint se_mobile[] = { 2, 3, 2, 2, 0 };
  static const guint uk_mobile[] = { 4, 6, 0 };
  g_autofree char *code = NULL;
  GString *out;
  const char *rest;
  gsize code_len, rest_len;

  g_return_val_if_fail (number != NULL, NULL);

  if (number[0] != '+' || number[1] == '\0' || number[1] == '0')
    return g_strdup (number);
  for (const char *p = number + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return g_strdup (number);

  code_len = calling_code_length (number + 1);
  if (strlen (number + 1) <= code_len + 3)
    return g_strdup (number);
  code = g_strndup (number + 1, code_len);
  rest = number + 1 + code_len;
  rest_len = strlen (rest);

  out = g_string_new ("+");
  g_string_append (out, code);
  if (strcmp (code, "1") == 0 && rest_len == 10)
    append_groups (out, rest, nanp);
  else if (strcmp (code, "47") == 0 && rest_len == 8)
    append_groups (out, rest, rest[0] == '4' || rest[0] == '9' ? no_mobile : pairs);
  else if (strcmp (code, "45") == 0 && rest_len == 8)
    append_groups (out, rest, pairs);
  else if (strcmp (code, "46") == 0 && rest_len == 9 && rest[0] == '7')
    append_groups (out, rest, se_mobile);
  else if (strcmp (code, "44") == 0 && rest_len == 10 && rest[0] == '7')
    append_groups (out, rest, uk_mobile);
  else
    append_threes (out, rest);
  return g_string_free (out, FALSE);
}

/* ---- HTML ---- */

static const struct {
  const char *name;
  const char *text;
} entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", NBSP }, { "ndash", "–" }, { "mdash", "—" }, { "hellip", "…" },
  { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" },
  { "laquo", "«" }, { "raquo", "»" }, { "copy", "©" }, { "reg", "®" }, { "trade", "™" },
  { "euro", "€" }, { "deg", "°" }, { "times", "×" }, { "middot", "·" }, { "bull", "•" },
  { "aelig", "æ" }, { "oslash", "ø" }, { "aring", "å" }, { "AElig", "Æ" }, { "Oslash", "Ø" },
  { "Aring", "Å" }, { "auml", "ä" }, { "ouml", "ö" }, { "uuml", "ü" }, { "Auml", "Ä" },
  { "Ouml", "Ö" }, { "Uuml", "Ü" }, { "szlig", "ß" }, { "eacute", "é" },
};

/* Tags that start a paragraph or a line of their own. */
static const char * const paragraph_tags[] = {
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote",
  "section", "article", "header", "footer", "pre", NULL
};
static const char * const line_tags[] = { "br", "li", "tr", "dt", "dd", NULL };

typedef struct {
  GString  *out;
  gboolean  space;      /* whitespace seen since the last text */
  guint     newlines;   /* breaks wanted before the next text (1 line, 2 paragraph) */
  gboolean  bullet;     /* a list item begins with the next text */
} HtmlText;

static void
html_want_break (HtmlText *text,
                 guint     newlines)
{
  g_assert (text != NULL);

  text->newlines = MAX (text->newlines, newlines);
  text->space = FALSE;
}

static void
html_append (HtmlText   *text,
             const char *str,
             gsize       len)
{
  g_assert (text != NULL);

  if (text->out->len > 0 && text->newlines > 0)
    g_string_append (text->out, text->newlines > 1 ? "\n\n" : "\n");
  else if (text->out->len > 0 && text->space)
    g_string_append_c (text->out, ' ');
  text->newlines = 0;
  text->space = FALSE;
  if (text->bullet)
    {
      g_string_append (text->out, "• ");
      text->bullet = FALSE;
    }
  g_string_append_len (text->out, str, len);
}

/* Decodes the entity at `p` (after '&'); returns the characters used, or 0. */
static gsize
html_entity (const char *p,
             GString    *decoded)
{
  const char *end = strchr (p, ';');
  gsize len;

  g_assert (decoded != NULL);

  if (end == NULL || end - p > 10 || end == p)
    return 0;
  len = end - p;
  if (p[0] == '#')
    {
      gboolean hex = p[1] == 'x' || p[1] == 'X';
      g_autofree char *digits = g_strndup (p + (hex ? 2 : 1), len - (hex ? 2 : 1));
      char *rest = NULL;
      guint64 c = g_ascii_strtoull (digits, &rest, hex ? 16 : 10);

      if (*digits == '\0' || *rest != '\0' || c == 0 || !g_unichar_validate ((gunichar) c) ||
          c > 0x10FFFF)
        return 0;
      g_string_append_unichar (decoded, (gunichar) c);
      return len + 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == len && strncmp (entities[i].name, p, len) == 0)
      {
        g_string_append (decoded, entities[i].text);
        return len + 1;
      }
  return 0;
}

/* Reads the tag at `p` (after '<'): its name (lower case) and whether it
 * closes; returns a pointer after its '>', or NULL when it is no tag. */
static const char *
html_tag (const char  *p,
          char       **name,
          gboolean    *closing)
{
  const char *start;
  char quote = 0;

  g_assert (name != NULL && closing != NULL);

  *closing = *p == '/';
  if (*closing)
    p++;
  if (*p == '!' || *p == '?')
    {
      const char *end = g_str_has_prefix (p, "!--") ? strstr (p, "-->") : strchr (p, '>');

      *name = g_strdup ("");
      return end == NULL ? p + strlen (p) : end + (g_str_has_prefix (end, "-->") ? 3 : 1);
    }
  if (!g_ascii_isalpha (*p))
    return NULL;
  start = p;
  while (g_ascii_isalnum (*p))
    p++;
  *name = g_ascii_strdown (start, p - start);
  for (; *p != '\0'; p++)
    {
      if (quote != 0)
        quote = *p == quote ? 0 : quote;
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }
  return p;
}

char *
tdm_format_html_to_text (const char *html)
{
  HtmlText text = { g_string_new (NULL), FALSE, 0, FALSE };
  const char *p = html;

  g_return_val_if_fail (html != NULL, NULL);

  while (*p != '\0')
    {
      if (*p == '<')
        {
          g_autofree char *name = NULL;
          gboolean closing;
          const char *after = html_tag (p + 1, &name, &closing);

          if (after != NULL)
            {
              if (!closing && (strcmp (name, "script") == 0 || strcmp (name, "style") == 0))
                {
                  g_autofree char *end_tag = g_strdup_printf ("</%s", name);
                  const char *end = g_strstr_len (after, -1, end_tag);

                  after = end == NULL ? after + strlen (after) : strchr (end, '>');
                  after = after == NULL ? end + strlen (end) : after + (*after == '>');
                }
              else if (g_strv_contains (paragraph_tags, name))
                html_want_break (&text, 2);
              else if (g_strv_contains (line_tags, name))
                {
                  html_want_break (&text, 1);
                  text.bullet = !closing && strcmp (name, "li") == 0;
                }
              else if (strcmp (name, "td") == 0 || strcmp (name, "th") == 0)
                text.space = TRUE;
              p = after;
              continue;
            }
          /* A "<" that starts no tag is text. */
          html_append (&text, p++, 1);
          continue;
        }

      if (g_ascii_isspace (*p))
        {
          text.space = TRUE;
          p++;
        }
      else if (*p == '&')
        {
          g_autoptr(GString) decoded = g_string_new (NULL);
          gsize used = html_entity (p + 1, decoded);

          if (used > 0)
            {
              html_append (&text, decoded->str, decoded->len);
              p += used + 1;
            }
          else
            html_append (&text, p++, 1);
        }
      else
        {
          const char *start = p;

          while (*p != '\0' && *p != '<' && *p != '&' && !g_ascii_isspace (*p))
            p++;
          html_append (&text, start, p - start);
        }
    }

  return g_string_free (text.out, FALSE);
}

/* ---- Words ---- */

/* Order and product states, in the words the lists use. */
static const struct {
  const char *value;
  const char *words;
} state_words[] = {
  { "paid", N_("Paid") },
  { "pending", N_("Pending") },
  { "authorized", N_("Authorized") },
  { "partially_paid", N_("Partially paid") },
  { "partially_refunded", N_("Partially refunded") },
  { "refunded", N_("Refunded") },
  { "voided", N_("Voided") },
  { "expired", N_("Expired") },
  { "unpaid", N_("Unpaid") },
  { "fulfilled", N_("Fulfilled") },
  { "unfulfilled", N_("Unfulfilled") },
  { "partial", N_("Partially fulfilled") },
  { "partially_fulfilled", N_("Partially fulfilled") },
  { "restocked", N_("Restocked") },
  { "scheduled", N_("Scheduled") },
  { "on_hold", N_("On hold") },
  { "in_progress", N_("In progress") },
  { "open", N_("Open") },
  { "cancelled", N_("Cancelled") },
  { "active", N_("Active") },
  { "draft", N_("Draft") },
  { "archived", N_("Archived") },
  { "unlisted", N_("Unlisted") },
};

char *
tdm_format_state (const char *value)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (value != NULL, NULL);

  lower = g_ascii_strdown (value, -1);
  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (state_words); i++)
    if (strcmp (lower, state_words[i].value) == 0)
      return g_strdup (_(state_words[i].words));

  /* A state Tandem does not know yet: readable, not translated. */
  g_strdelimit (lower, "_", ' ');
  if (lower[0] != '\0')
    lower[0] = g_ascii_toupper (lower[0]);
  return g_steal_pointer (&lower);
}

/* The countries of the shops Tandem is made for and their neighbours. */
static const struct {
  const char *code;
  const char *name;
} countries[] = {
  { "AT", N_("Austria") }, { "BE", N_("Belgium") }, { "CA", N_("Canada") },
  { "CH", N_("Switzerland") }, { "DE", N_("Germany") }, { "DK", N_("Denmark") },
  { "EE", N_("Estonia") }, { "ES", N_("Spain") }, { "FI", N_("Finland") },
  { "FO", N_("Faroe Islands") }, { "FR", N_("France") }, { "GB", N_("United Kingdom") },
  { "GL", N_("Greenland") }, { "IE", N_("Ireland") }, { "IS", N_("Iceland") },
  { "IT", N_("Italy") }, { "LT", N_("Lithuania") }, { "LV", N_("Latvia") },
  { "NL", N_("Netherlands") }, { "NO", N_("Norway") }, { "PL", N_("Poland") },
  { "PT", N_("Portugal") }, { "SE", N_("Sweden") }, { "US", N_("United States") },
};

char *
tdm_format_country (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (code, countries[i].code) == 0)
      return g_strdup (_(countries[i].name));
  return g_strdup (code);
}

/* The languages of the shops Tandem is made for and their neighbours. */
static const struct {
  const char *code;
  const char *name;
} languages[] = {
  { "da", N_("Danish") }, { "de", N_("German") }, { "en", N_("English") },
  { "es", N_("Spanish") }, { "fi", N_("Finnish") }, { "fo", N_("Faroese") },
  { "fr", N_("French") }, { "is", N_("Icelandic") }, { "it", N_("Italian") },
  { "nb", N_("Norwegian Bokmål") }, { "nl", N_("Dutch") }, { "nn", N_("Norwegian Nynorsk") },
  { "no", N_("Norwegian") }, { "pl", N_("Polish") }, { "pt", N_("Portuguese") },
  { "se", N_("Northern Sami") }, { "sv", N_("Swedish") },
};

char *
tdm_format_language (const char *code)
{
  g_autofree char *language = NULL;
  char *cut;

  g_return_val_if_fail (code != NULL, NULL);

  language = g_ascii_strdown (code, -1);
  if ((cut = strpbrk (language, "-_.@")) != NULL)
    *cut = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (strcmp (language, languages[i].code) == 0)
      return g_strdup (_(languages[i].name));
  return g_strdup (code);
}
