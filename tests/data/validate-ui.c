/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-validate-ui"

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <string.h>

/* validate-ui FILE.ui
 *
 * Does what `gtk4-builder-tool validate` does, in a process that knows the
 * libadwaita and Tandem widget types: the builder tool only finds types that
 * are registered already, so every Adw* class fails there with "Invalid
 * object type" or "Failed to lookup template parent type".
 *
 * adw_init() registers the libadwaita types; Tandem's own types are found by
 * GtkBuilder through their tdm_*_get_type() symbols, which this program
 * exports (it links the UI library whole, with -rdynamic).
 *
 * A file with a <template> is built onto a fresh instance of a stand-in type
 * with the template's class name and parent, so the file on disk is what is
 * checked, not the copy compiled into the resources. Signal handlers are
 * resolved to a no-op closure: their names belong to the widget class, which
 * the UI tests exercise.
 *
 * Exit status 0 when the file builds without error, warning or critical;
 * 1 otherwise, with the reason on stderr. */

/* A GtkBuilderCScope that accepts every signal handler name. */
typedef struct
{
  GtkBuilderCScope parent_instance;
} ValidateScope;

typedef struct
{
  GtkBuilderCScopeClass parent_class;
} ValidateScopeClass;

static GType validate_scope_get_type (void);
static void validate_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                validate_scope_iface_init))

static void
noop_handler (void)
{
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope        *scope,
                               GtkBuilder             *builder,
                               const char             *function_name,
                               GtkBuilderClosureFlags  flags,
                               GObject                *object,
                               GError                **error)
{
  if (function_name == NULL || *function_name == '\0')
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_FUNCTION,
                   "Empty signal handler name");
      return NULL;
    }

  return g_cclosure_new (G_CALLBACK (noop_handler), NULL, NULL);
}

static void
validate_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  /* The type look-ups stay those of GtkBuilderCScope (copied from the
   * parent's vtable); only closures are replaced. */
  iface->create_closure = validate_scope_create_closure;
}

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
}

static void
validate_scope_init (ValidateScope *self)
{
}

/* Finding the <template> element. */
typedef struct
{
  char *klass;
  char *parent;
} TemplateInfo;

static void
template_start_element (GMarkupParseContext  *context,
                        const char           *element_name,
                        const char          **attribute_names,
                        const char          **attribute_values,
                        gpointer              user_data,
                        GError              **error)
{
  TemplateInfo *info = user_data;

  if (g_strcmp0 (element_name, "template") != 0 || info->klass != NULL)
    return;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "class"))
        info->klass = g_strdup (attribute_values[i]);
      else if (g_str_equal (attribute_names[i], "parent"))
        info->parent = g_strdup (attribute_values[i]);
    }
}

static gboolean
find_template (const char    *contents,
               gsize          length,
               TemplateInfo  *info,
               GError       **error)
{
  static const GMarkupParser parser = { .start_element = template_start_element };
  g_autoptr(GMarkupParseContext) context = NULL;

  context = g_markup_parse_context_new (&parser, 0, info, NULL);
  if (!g_markup_parse_context_parse (context, contents, length, error))
    return FALSE;
  return g_markup_parse_context_end_parse (context, error);
}

static GType
make_stand_in_type (const char  *name,
                    GType        parent,
                    GError     **error)
{
  GTypeQuery query;

  if (g_type_from_name (name) != G_TYPE_INVALID)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "The template class %s is already registered before validation", name);
      return G_TYPE_INVALID;
    }

  g_type_query (parent, &query);
  if (query.type == G_TYPE_INVALID)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot derive a type from %s", g_type_name (parent));
      return G_TYPE_INVALID;
    }

  return g_type_register_static_simple (parent, name,
                                        query.class_size, NULL,
                                        query.instance_size, NULL, 0);
}

static gboolean
validate_template (const char    *contents,
                   gsize          length,
                   TemplateInfo  *info,
                   GError       **error)
{
  g_autoptr(GtkBuilder) resolver = gtk_builder_new ();
  g_autoptr(GtkBuilderScope) scope = g_object_new (validate_scope_get_type (), NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GObject) object = NULL;
  GType parent;
  GType type;

  if (info->parent == NULL)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_MISSING_ATTRIBUTE,
                   "<template class=\"%s\"> has no parent attribute", info->klass);
      return FALSE;
    }

  /* Resolve the parent by name the way GtkBuilder does, which also finds
   * Tandem's own classes through their get_type symbols. */
  gtk_builder_set_scope (resolver, scope);
  parent = gtk_builder_get_type_from_name (resolver, info->parent);
  if (parent == G_TYPE_INVALID)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "Unknown template parent type %s", info->parent);
      return FALSE;
    }
  if (!g_type_is_a (parent, G_TYPE_OBJECT))
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "Template parent type %s is not a GObject", info->parent);
      return FALSE;
    }

  type = make_stand_in_type (info->klass, parent, error);
  if (type == G_TYPE_INVALID)
    return FALSE;

  /* Own one reference: sink a floating widget; a window is owned by GTK's
   * list of toplevels, so take one of our own next to it. */
  object = g_object_new (type, NULL);
  if (GTK_IS_WINDOW (object))
    g_object_ref (object);
  else if (g_object_is_floating (object))
    g_object_ref_sink (object);

  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  if (!gtk_builder_extend_with_template (builder, object, type, contents, (gssize) length, error))
    return FALSE;

  /* A template whose parent is GtkWidget itself parents its children
   * directly; the real class unparents them in dispose, so the stand-in
   * does the same here. Containers (AdwBin, GtkBox...) clean up their own. */
  if (parent == GTK_TYPE_WIDGET)
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
        gtk_widget_unparent (child);
    }

  if (GTK_IS_WINDOW (object))
    gtk_window_destroy (GTK_WINDOW (object));

  return TRUE;
}

static gboolean
validate_plain (const char  *contents,
                gsize        length,
                GError     **error)
{
  g_autoptr(GtkBuilderScope) scope = g_object_new (validate_scope_get_type (), NULL);
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  GSList *objects;

  gtk_builder_set_scope (builder, scope);
  if (!gtk_builder_add_from_string (builder, contents, (gssize) length, error))
    return FALSE;

  /* Toplevel windows are owned by GTK, not the builder: close them. */
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      if (GTK_IS_WINDOW (l->data))
        gtk_window_destroy (GTK_WINDOW (l->data));
    }
  g_slist_free (objects);

  return TRUE;
}

static guint n_problems = 0;

static GLogWriterOutput
count_problems (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    n_problems++;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TemplateInfo info = { NULL, NULL };
  gsize length = 0;
  gboolean ok;

  if (argc != 2)
    {
      g_printerr ("Usage: %s FILE.ui\n", argv[0]);
      return 2;
    }

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("%s: cannot open a display; run under Xvfb (tests/data/validate-ui.py does)\n",
                  argv[1]);
      return 77;
    }
  adw_init ();

  g_log_set_writer_func (count_problems, NULL, NULL);

  if (!find_template (contents, length, &info, &error))
    ok = FALSE;
  else if (info.klass != NULL)
    ok = validate_template (contents, length, &info, &error);
  else
    ok = validate_plain (contents, length, &error);

  /* Let idle handlers queued while building run, so warnings they print
   * are counted too. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_free (info.klass);
  g_free (info.parent);

  if (!ok)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  if (n_problems > 0)
    {
      g_printerr ("%s: %u warning(s) or critical(s) while building\n", argv[1], n_problems);
      return 1;
    }

  g_print ("%s: valid\n", argv[1]);
  return 0;
}
