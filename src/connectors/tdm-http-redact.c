/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

#include <string.h>

/* Masking secrets in what the debug logger prints: the values of secret
 * headers, secret members of JSON and form bodies, and the known secrets
 * themselves wherever they appear. Secrets never reach a log
 * (docs/architecture.md). */

static const char * const default_secret_headers[] = {
  "Authorization",
  "Proxy-Authorization",
  "X-Shopify-Access-Token",
  "X-API-Key",
  "Cookie",
  "Set-Cookie",
  NULL
};

static const char * const secret_keys[] = {
  "access_token", "client_secret", "password", "token", "secret", "api_key", NULL
};

/* ---- Known secrets ---- */

char *
tdm_http_redact (const char         *text,
                 const char * const *secrets)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      /* Very short "secrets" would mask ordinary words; nobody uses them. */
      if (strlen (secrets[i]) < 4)
        continue;
      g_string_replace (out, secrets[i], "[redacted]", 0);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Header lines and bodies ---- */

static gboolean
is_secret_header (const char         *name,
                  const char * const *extra)
{
  g_assert (name != NULL);

  for (guint i = 0; default_secret_headers[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, default_secret_headers[i]) == 0)
      return TRUE;
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, extra[i]) == 0)
      return TRUE;
  return FALSE;
}

static GRegex *
get_secret_value_regex (void)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    {
      g_autoptr(GString) keys = g_string_new (NULL);
      GRegex *r;

      for (guint i = 0; secret_keys[i] != NULL; i++)
        g_string_append_printf (keys, "%s%s", i ? "|" : "", secret_keys[i]);
      /* JSON string members ("password": "…") and form fields (password=…). */
      g_autofree char *pattern =
        g_strdup_printf ("(\"(?:%s)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""
                         "|(\\b(?:%s)=)[^&\\s]*",
                         keys->str, keys->str);
      r = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }

  return regex;
}

static gboolean
replace_secret_value_cb (const GMatchInfo *info,
                         GString          *result,
                         gpointer          user_data)
{
  g_autofree char *json_prefix = NULL;
  g_autofree char *form_prefix = NULL;

  g_assert (info != NULL);
  g_assert (result != NULL);

  json_prefix = g_match_info_fetch (info, 1);
  form_prefix = g_match_info_fetch (info, 2);
  if (json_prefix != NULL && *json_prefix != '\0')
    g_string_append_printf (result, "%s\"[redacted]\"", json_prefix);
  else
    g_string_append_printf (result, "%s[redacted]", form_prefix ? form_prefix : "");
  return FALSE;
}

char *
tdm_http_redact_line (const char         *line,
                      const char * const *secret_headers)
{
  const char *colon;

  if (line == NULL)
    return NULL;

  /* A header line: "Name: value". Names have no spaces. */
  colon = strchr (line, ':');
  if (colon != NULL && colon > line && memchr (line, ' ', colon - line) == NULL
      && memchr (line, '"', colon - line) == NULL && memchr (line, '{', colon - line) == NULL)
    {
      g_autofree char *name = g_strndup (line, colon - line);

      if (is_secret_header (name, secret_headers))
        return g_strdup_printf ("%s: [redacted]", name);
    }

  return g_regex_replace_eval (get_secret_value_regex (), line, -1, 0, 0,
                               replace_secret_value_cb, NULL, NULL);
}
