/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"
#include "graphql-selection.h"

#include <string.h>

/* Reads the selection sets of the Shopify connector's GraphQL documents
 * (src/connectors/shopify/graphql/, from the connector's resources): enough
 * of GraphQL for Tandem's own documents (see graphql-selection.h). */

#define GRAPHQL_PREFIX "/io/github/tandemsync/Tandem/graphql/"

typedef struct _Selection Selection;
struct _Selection {
  char      *name;       /* the result key (the alias when aliased); NULL for a spread */
  char      *spread;     /* "...Name": the fragment's name */
  GPtrArray *children;   /* Selection*, owned; NULL for a leaf */
};

static void
selection_free (gpointer data)
{
  Selection *sel = data;

  g_free (sel->name);
  g_free (sel->spread);
  g_clear_pointer (&sel->children, g_ptr_array_unref);
  g_free (sel);
}

static void
skip_ignored (const char **p)
{
  for (;;)
    {
      while (g_ascii_isspace (**p) || **p == ',')
        (*p)++;
      if (**p != '#')
        return;
      while (**p != '\0' && **p != '\n')
        (*p)++;
    }
}

static char *
read_name (const char **p)
{
  const char *start = *p;

  while (g_ascii_isalnum (**p) || **p == '_')
    (*p)++;
  return *p > start ? g_strndup (start, *p - start) : NULL;
}

/* Skips "( … )" with the strings inside it. */
static void
skip_parens (const char **p)
{
  int depth = 0;

  g_assert (**p == '(');

  do
    {
      if (**p == '"')
        {
          for ((*p)++; **p != '\0' && **p != '"'; (*p)++)
            if (**p == '\\' && (*p)[1] != '\0')
              (*p)++;
        }
      else if (**p == '(')
        depth++;
      else if (**p == ')')
        depth--;
      g_assert (**p != '\0');
      (*p)++;
    }
  while (depth > 0);
}

static GPtrArray *
parse_selection_set (const char **p)
{
  GPtrArray *set = g_ptr_array_new_with_free_func (selection_free);

  g_assert (**p == '{');
  (*p)++;
  for (;;)
    {
      Selection *sel;

      skip_ignored (p);
      g_assert (**p != '\0');
      if (**p == '}')
        {
          (*p)++;
          return set;
        }
      sel = g_new0 (Selection, 1);
      if (g_str_has_prefix (*p, "..."))
        {
          *p += 3;
          skip_ignored (p);
          sel->spread = read_name (p);
          g_assert_nonnull (sel->spread);
          skip_ignored (p);
          if (strcmp (sel->spread, "on") == 0)
            {
              /* "... on Type { … }": its fields belong to this level */
              g_autoptr(GPtrArray) inline_set = NULL;

              g_free (read_name (p));
              skip_ignored (p);
              inline_set = parse_selection_set (p);
              selection_free (sel);
              while (inline_set->len > 0)
                g_ptr_array_add (set, g_ptr_array_steal_index (inline_set, 0));
              continue;
            }
        }
      else
        {
          sel->name = read_name (p);
          g_assert_nonnull (sel->name);
          skip_ignored (p);
          if (**p == ':')   /* "alias: field": the result member is the alias */
            {
              (*p)++;
              skip_ignored (p);
              g_free (read_name (p));
              skip_ignored (p);
            }
          if (**p == '(')
            skip_parens (p);
          skip_ignored (p);
          if (**p == '{')
            sel->children = parse_selection_set (p);
        }
      g_ptr_array_add (set, sel);
    }
}

/* The definitions of a GraphQL text: fragments by name, operations in
 * `operations`. */
static void
parse_document (const char *text,
                GHashTable *fragments,
                GPtrArray  *operations)
{
  const char *p = text;

  for (;;)
    {
      g_autofree char *keyword = NULL;
      g_autofree char *name = NULL;
      GPtrArray *set;

      skip_ignored (&p);
      if (*p == '\0')
        return;
      keyword = read_name (&p);
      g_assert_nonnull (keyword);
      skip_ignored (&p);
      name = read_name (&p);
      while (*p != '{')
        {
          g_assert (*p != '\0');
          if (*p == '(')
            skip_parens (&p);
          else
            p++;
        }
      set = parse_selection_set (&p);
      if (strcmp (keyword, "fragment") == 0)
        g_hash_table_insert (fragments, g_steal_pointer (&name), set);
      else
        g_ptr_array_add (operations, set);
    }
}

static void
collect_paths (GPtrArray  *set,
               const char *prefix,
               GHashTable *fragments,
               GHashTable *paths)
{
  for (guint i = 0; i < set->len; i++)
    {
      Selection *sel = set->pdata[i];
      char *path;

      if (sel->spread != NULL)
        {
          GPtrArray *fragment = g_hash_table_lookup (fragments, sel->spread);

          g_assert_nonnull (fragment);
          collect_paths (fragment, prefix, fragments, paths);
          continue;
        }
      path = prefix != NULL ? g_strconcat (prefix, ".", sel->name, NULL) : g_strdup (sel->name);
      g_hash_table_add (paths, path);
      if (sel->children != NULL)
        collect_paths (sel->children, path, fragments, paths);
    }
}

static char *
resource_text (const char *name)
{
  g_autofree char *path = g_strconcat (GRAPHQL_PREFIX, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* "a.edges.node.b" (a bulk query's connection) → "a.nodes.b". */
static char *
nodes_form (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".edges.node", -1);

  return g_strjoinv (".nodes", parts);
}

GHashTable *
graphql_document_paths (const char *text)
{
  static const char * const fragment_files[] = {
    "fragment-customer.graphql", "fragment-product.graphql", "fragment-order.graphql", NULL
  };
  g_autoptr(GHashTable) fragments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) operations = g_ptr_array_new_with_free_func (
                                      (GDestroyNotify) g_ptr_array_unref);
  GHashTable *paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert (text != NULL);

  for (guint i = 0; fragment_files[i] != NULL; i++)
    {
      g_autofree char *fragment = resource_text (fragment_files[i]);

      parse_document (fragment, fragments, operations);
    }
  g_ptr_array_set_size (operations, 0);
  parse_document (text, fragments, operations);
  g_assert_cmpuint (operations->len, ==, 1);
  collect_paths (operations->pdata[0], NULL, fragments, paths);
  return paths;
}

GHashTable *
graphql_selected_paths (const char *resource,
                        const char *root)
{
  g_autofree char *text = resource_text (resource);
  g_autoptr(GHashTable) all = graphql_document_paths (text);
  GHashTable *selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, root))
      g_hash_table_add (selected, nodes_form ((const char *) key + strlen (root)));
  return selected;
}
