/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-planner"

#include "config.h"

#include "tdm-planner-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Conflicts and actions, the planner's output, and the one-line description
 * of an action for --dry-run and the logs (docs/sync.md, Action types). */

/* ---- Conflicts and actions ---- */

static JsonNode *
copy_value (JsonNode *value)
{
  /* json_node_copy shares containers by reference, which is cheap and safe:
   * canonical records are immutable once built. */
  return value != NULL ? json_node_copy (value) : NULL;
}

TdmFieldConflict *
tdm_field_conflict_new (const char *field,
                        JsonNode   *webshop_value,
                        JsonNode   *shopify_value,
                        JsonNode   *base_value)
{
  TdmFieldConflict *conflict = g_new0 (TdmFieldConflict, 1);

  g_return_val_if_fail (field != NULL, NULL);

  conflict->field = g_strdup (field);
  conflict->webshop_value = copy_value (webshop_value);
  conflict->shopify_value = copy_value (shopify_value);
  conflict->base_value = copy_value (base_value);
  conflict->winner = TDM_SIDE_WEBSHOP;
  conflict->resolved = FALSE;
  return conflict;
}

void
tdm_field_conflict_free (TdmFieldConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->field);
  g_clear_pointer (&conflict->webshop_value, json_node_unref);
  g_clear_pointer (&conflict->shopify_value, json_node_unref);
  g_clear_pointer (&conflict->base_value, json_node_unref);
  g_free (conflict);
}

TdmAction *
tdm_action_new (TdmActionType type,
                TdmKind       kind,
                TdmSide       target)
{
  TdmAction *action = g_new0 (TdmAction, 1);

  action->type = type;
  action->kind = kind;
  action->target = target;
  return action;
}

void
tdm_action_free (TdmAction *action)
{
  if (action == NULL)
    return;

  g_clear_pointer (&action->source, tdm_record_unref);
  g_clear_pointer (&action->twin, tdm_record_unref);
  g_clear_pointer (&action->link, tdm_link_unref);
  g_clear_pointer (&action->fields, json_object_unref);
  g_clear_pointer (&action->fields_other, json_object_unref);
  g_clear_pointer (&action->conflicts, g_ptr_array_unref);
  g_clear_pointer (&action->not_writable, g_ptr_array_unref);
  g_clear_pointer (&action->candidates, g_ptr_array_unref);
  g_free (action->reason);
  g_free (action);
}

/* ---- Describing actions (--dry-run, logs) ---- */

#define DESCRIBE_MAX_VALUE_CHARS 60

static void
append_value (GString  *out,
              JsonNode *value)
{
  g_autofree char *text = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      g_string_append (out, _("(empty)"));
      return;
    }
  text = tdm_json_canonical_string (value);
  if (text == NULL)
    {
      g_string_append (out, _("(empty)"));
      return;
    }
  if (g_utf8_strlen (text, -1) > DESCRIBE_MAX_VALUE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, DESCRIBE_MAX_VALUE_CHARS);
      g_string_append (out, cut);
      g_string_append (out, "…");
    }
  else
    g_string_append (out, text);
}

static void
append_fields (GString    *out,
               JsonObject *fields)
{
  g_autoptr(GList) names = NULL;
  gboolean first = TRUE;

  if (fields == NULL)
    return;

  names = g_list_sort (json_object_get_members (fields), (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      g_string_append_printf (out, "%s = ", (const char *) l->data);
      append_value (out, json_object_get_member (fields, l->data));
    }
}

static char *
describe_record (TdmRecord *record)
{
  return record != NULL ? tdm_record_describe (record) : NULL;
}

static char *
describe_subject (const TdmAction *action)
{
  if (action->source != NULL)
    return describe_record (action->source);
  if (action->link != NULL)
    /* Translators: a kind ("Customer"), then two record ids */
    return g_strdup_printf (_("%s (webshop id %s, Shopify id %s)"),
                            tdm_kind_display_name (action->kind),
                            action->link->webshop_id ? action->link->webshop_id : "—",
                            action->link->shopify_id ? action->link->shopify_id : "—");
  return g_strdup (tdm_kind_display_name (action->kind));
}

static void
append_writes (GString         *out,
               const TdmAction *action)
{
  TdmSide other = tdm_side_other (action->target);

  if (action->fields != NULL && json_object_get_size (action->fields) > 0)
    {
      g_string_append (out, " — ");
      g_string_append_printf (out, _("write in %s: "), tdm_side_display_name (action->target));
      append_fields (out, action->fields);
    }
  if (action->fields_other != NULL && json_object_get_size (action->fields_other) > 0)
    {
      g_string_append (out, " — ");
      g_string_append_printf (out, _("write in %s: "), tdm_side_display_name (other));
      append_fields (out, action->fields_other);
    }
}

static void
append_conflicts (GString         *out,
                  const TdmAction *action,
                  gboolean         pending_only)
{
  if (action->conflicts == NULL)
    return;
  for (guint i = 0; i < action->conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (action->conflicts, i);

      if (pending_only && conflict->resolved)
        continue;
      g_string_append (out, " — ");
      g_string_append_printf (out, _("%s: webshop "), conflict->field);
      append_value (out, conflict->webshop_value);
      g_string_append (out, _(", Shopify "));
      append_value (out, conflict->shopify_value);
      if (conflict->resolved)
        g_string_append_printf (out, _(" (%s wins)"), tdm_side_display_name (conflict->winner));
    }
}

/* ": candidate; candidate" of a REVIEW */
static void
append_candidates (GString         *out,
                   const TdmAction *action)
{
  for (guint i = 0; action->candidates != NULL && i < action->candidates->len; i++)
    {
      g_autofree char *label = describe_record (g_ptr_array_index (action->candidates, i));

      g_string_append (out, i == 0 ? ": " : "; ");
      g_string_append (out, label ? label : "—");
    }
}

/* "Create in Webshop: …", "Update …": what the action does, to whom */
static void
append_summary (GString         *out,
                const TdmAction *action,
                const char      *subject,
                const char      *twin)
{
  const char *target = tdm_side_display_name (action->target);

  g_assert (subject != NULL);

  switch (action->type)
    {
    case TDM_ACTION_NOTHING:
      g_string_append_printf (out, _("Nothing to do for %s"), subject);
      break;
    case TDM_ACTION_CREATE:
      /* Translators: a side, then a record ("customer kari@example.no (webshop id 17)") */
      g_string_append_printf (out, _("Create in %s: %s"), target, subject);
      if (action->fields != NULL)
        {
          g_string_append (out, " — ");
          append_fields (out, action->fields);
        }
      break;
    case TDM_ACTION_UPDATE:
      g_string_append_printf (out, _("Update %s"), subject);
      append_writes (out, action);
      append_conflicts (out, action, FALSE);
      break;
    case TDM_ACTION_LINK:
      /* Translators: two records, one on each side */
      g_string_append_printf (out, _("Link %s with %s"), subject, twin ? twin : "—");
      append_writes (out, action);
      append_conflicts (out, action, FALSE);
      break;
    case TDM_ACTION_CONFLICT:
      g_string_append_printf (out, _("Conflict on %s, waiting for your choice"), subject);
      append_conflicts (out, action, TRUE);
      break;
    case TDM_ACTION_ORPHAN:
      /* Translators: a side, then the deleted record */
      g_string_append_printf (out, _("Keep the twin in %s of %s, marked orphaned"),
                              target, subject);
      break;
    case TDM_ACTION_DELETE:
      if (action->kind == TDM_KIND_PRODUCT)
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Archive the twin in %s of %s"), target, subject);
      else if (action->kind == TDM_KIND_ORDER)
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Cancel the twin in %s of %s"), target, subject);
      else
        /* Translators: a side, then the deleted record */
        g_string_append_printf (out, _("Delete the twin in %s of %s"), target, subject);
      break;
    case TDM_ACTION_WAIT:
      g_string_append_printf (out, _("Wait with %s"), subject);
      break;
    case TDM_ACTION_REVIEW:
      /* Translators: a record, then the other side */
      g_string_append_printf (out, _("Review %s: it matches several records in %s"),
                              subject, target);
      append_candidates (out, action);
      break;
    default:
      g_string_append (out, subject);
      break;
    }
}

/* " — differs, not writable: a, b" and " (reason)" */
static void
append_notes (GString         *out,
              const TdmAction *action)
{
  if (action->not_writable != NULL && action->not_writable->len > 0)
    {
      g_string_append (out, " — ");
      g_string_append (out, _("differs, not writable: "));
      for (guint i = 0; i < action->not_writable->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          g_string_append (out, g_ptr_array_index (action->not_writable, i));
        }
    }
  if (action->reason != NULL && *action->reason != '\0')
    {
      g_string_append (out, " (");
      g_string_append (out, action->reason);
      g_string_append (out, ")");
    }
}

/**
 * tdm_action_describe:
 *
 * Returns: (transfer full): one translated line naming the action, the
 *   record, the fields and their values, for `--dry-run` and the logs.
 */
char *
tdm_action_describe (const TdmAction *action)
{
  g_autofree char *subject = NULL;
  g_autofree char *twin = NULL;
  GString *out;

  g_return_val_if_fail (action != NULL, NULL);

  subject = describe_subject (action);
  twin = describe_record (action->twin);
  out = g_string_new (NULL);
  append_summary (out, action, subject, twin);
  append_notes (out, action);
  return g_string_free (out, FALSE);
}
