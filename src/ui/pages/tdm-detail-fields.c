/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-detail-private.h"
#include "tdm-planner.h"

/* Both shops' values side by side: one row per mapping row, a column per
 * shop, differences highlighted; addresses, order lines, shipping lines
 * and variants as small tables, compared member by member. Identity rows
 * are left to the technical details, and fields empty in both shops are
 * named once at the end. */

/* A column per shop that has the record; the grids are homogeneous, so
 * the columns line up from row to row. Each line of values has its label
 * above it: the panel is narrow, and the values get its whole width. */
typedef struct {
  TdmDetailData         *data;
  const TdmDetailFormat *format;
  gboolean               sides[TDM_N_SIDES];   /* which shops have the record */
} Table;

/* One text per shop, freed together (g_autofree on an array frees only
 * its first element). */
typedef struct {
  char *text[TDM_N_SIDES];
} SideTexts;

static void
side_texts_clear (SideTexts *texts)
{
  for (guint side = 0; side < TDM_N_SIDES; side++)
    g_clear_pointer (&texts->text[side], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SideTexts, side_texts_clear)

/* ---- Cells ---- */

static int
n_columns (Table *table)
{
  g_assert (table != NULL);

  return MAX (1, table->sides[TDM_SIDE_WEBSHOP] + table->sides[TDM_SIDE_SHOPIFY]);
}

static GtkWidget *
label_cell_new (const char *text)
{
  GtkWidget *label = _tdm_detail_label_new (text, TRUE);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

/* One shop's value; "—" when empty. Values may be long single words (an
 * email address): they break between characters there, without a hyphen. */
static GtkWidget *
value_cell_new (const char *text,
                gboolean    differs,
                gboolean    long_text)
{
  GtkWidget *label = _tdm_detail_label_new (text != NULL ? text : "—", TRUE);

  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "tdm-value");
  gtk_label_set_selectable (GTK_LABEL (label), text != NULL);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  if (text == NULL)
    gtk_widget_add_css_class (label, "dim-label");
  if (differs)
    gtk_widget_add_css_class (label, "tdm-cell-differs");
  if (long_text && text != NULL)
    {
      /* A description: its first lines, the whole on hover. */
      gtk_label_set_lines (GTK_LABEL (label), 8);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (label, text);
    }
  return label;
}

/* `label` on line `line` of `grid` (when not NULL), the shops' values on
 * the next; returns the next free line. */
static int
attach_line (Table      *table,
             GtkGrid    *grid,
             int         line,
             GtkWidget  *label,
             const char *texts[TDM_N_SIDES],
             gboolean    differs,
             gboolean    long_text)
{
  int column = 0;

  g_assert (table != NULL && GTK_IS_GRID (grid));

  if (label != NULL)
    gtk_grid_attach (grid, label, 0, line++, n_columns (table), 1);
  for (guint side = 0; side < TDM_N_SIDES; side++)
    {
      if (!table->sides[side])
        continue;
      gtk_grid_attach (grid, value_cell_new (texts[side], differs, long_text),
                       column++, line, 1, 1);
    }
  return line + 1;
}

static GtkWidget *
grid_new (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  return grid;
}

/* ---- Structured values ---- */

/* The heading of a list item: its number and the first of its title,
 * options, SKU or street address that it has. */
static char *
item_heading (Table     *table,
              GPtrArray *sub_rows,
              JsonNode  *items[TDM_N_SIDES],
              guint      number)
{
  static const char * const names[] = { "title", "options", "sku", "address1", "city", NULL };

  g_assert (table != NULL && sub_rows != NULL);

  for (guint n = 0; names[n] != NULL; n++)
    for (guint i = 0; i < sub_rows->len; i++)
      {
        const TdmMappingRow *row = g_ptr_array_index (sub_rows, i);

        if (g_strcmp0 (row->name, names[n]) != 0)
          continue;
        for (guint side = 0; side < TDM_N_SIDES; side++)
          {
            g_autofree char *text = _tdm_detail_value_text (table->format, row,
                                                            _tdm_detail_member (items[side],
                                                                                row->name));
            if (text != NULL)
              /* Translators: a numbered entry of a list, "2. Lofoten Lusekofte". */
              return g_strdup_printf (_("%u. %s"), number, text);
          }
      }
  return g_strdup_printf (_("%u."), number);
}

/* The members of one item (or group), a line per sub-row that has a value
 * in either shop; returns the next free line. */
static int
attach_members (Table     *table,
                GtkGrid   *grid,
                int        line,
                GPtrArray *sub_rows,
                JsonNode  *items[TDM_N_SIDES])
{
  g_assert (table != NULL && sub_rows != NULL);

  for (guint i = 0; i < sub_rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (sub_rows, i);
      JsonNode *values[TDM_N_SIDES] = { NULL, };
      g_auto (SideTexts) texts = { { NULL, } };
      gboolean differs;

      for (guint side = 0; side < TDM_N_SIDES; side++)
        {
          values[side] = _tdm_detail_member (items[side], row->name);
          texts.text[side] = _tdm_detail_value_text (table->format, row, values[side]);
        }
      if (texts.text[TDM_SIDE_WEBSHOP] == NULL && texts.text[TDM_SIDE_SHOPIFY] == NULL)
        continue;
      differs = table->sides[TDM_SIDE_WEBSHOP] && table->sides[TDM_SIDE_SHOPIFY] &&
                !tdm_json_value_equal (values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY]);
      line = attach_line (table, grid, line, label_cell_new (tdm_mapping_row_get_label (row)),
                          (const char **) texts.text, differs, FALSE);
    }
  return line;
}

static guint
list_length (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_ARRAY (value)
         ? json_array_get_length (json_node_get_array (value)) : 0;
}

/* A list of objects (order lines, addresses, variants) item by item, or a
 * group (an address) member by member. */
static GtkWidget *
structured_new (Table    *table,
                guint     row_index,
                JsonNode *values[TDM_N_SIDES])
{
  const TdmMappingRow *row = g_ptr_array_index (tdm_mapping_get_rows (table->data->mapping,
                                                                      table->data->kind),
                                                row_index);
  g_autoptr(GPtrArray) sub_rows = _tdm_detail_sub_rows (table->data->mapping, table->data->kind,
                                                        row_index);
  GtkWidget *grid = grid_new ();
  guint n;
  int line = 0;

  g_assert (table != NULL);

  if (row->type == TDM_VALUE_OBJECT)
    {
      attach_members (table, GTK_GRID (grid), 0, sub_rows, values);
      return grid;
    }

  n = MAX (list_length (values[TDM_SIDE_WEBSHOP]), list_length (values[TDM_SIDE_SHOPIFY]));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *items[TDM_N_SIDES] = { NULL, };
      g_autofree char *heading = NULL;
      GtkWidget *label;

      for (guint side = 0; side < TDM_N_SIDES; side++)
        if (i < list_length (values[side]))
          items[side] = json_array_get_element (json_node_get_array (values[side]), i);

      heading = item_heading (table, sub_rows, items, i + 1);
      /* An item only one shop has. */
      for (guint side = 0; side < TDM_N_SIDES; side++)
        if (table->sides[side] && table->sides[!side] && items[side] == NULL)
          {
            g_autofree char *only = heading;

            /* Translators: "3. Lofoten Lusekofte (only in Shopify)". */
            heading = g_strdup_printf (_("%s (only in %s)"), only,
                                       tdm_side_display_name (!side));
          }
      label = _tdm_detail_label_new (heading, TRUE);
      gtk_widget_add_css_class (label, "caption-heading");
      if (line > 0)
        gtk_widget_set_margin_top (label, 6);
      gtk_grid_attach (GTK_GRID (grid), label, 0, line++, n_columns (table), 1);
      line = attach_members (table, GTK_GRID (grid), line, sub_rows, items);
    }
  return grid;
}

/* Webshop | Shopify in small letters, over the values of a conflict. */
GtkWidget *
_tdm_detail_columns_new (void)
{
  GtkWidget *grid = grid_new ();

  gtk_grid_attach (GTK_GRID (grid), label_cell_new (_("Webshop")), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_cell_new (_("Shopify")), 1, 0, 1, 1);
  return grid;
}

GtkWidget *
_tdm_detail_compare_new (TdmDetailData         *data,
                         const TdmDetailFormat *format,
                         guint                  row_index,
                         JsonNode              *webshop,
                         JsonNode              *shopify)
{
  const TdmMappingRow *row = NULL;
  JsonNode *values[TDM_N_SIDES] = { webshop, shopify };
  g_auto (SideTexts) texts = { { NULL, } };
  Table table = { data, format, { TRUE, TRUE } };
  GtkWidget *grid;

  g_return_val_if_fail (data != NULL && data->mapping != NULL && format != NULL, NULL);

  row = g_ptr_array_index (tdm_mapping_get_rows (data->mapping, data->kind), row_index);
  if (_tdm_detail_row_is_structured (data->mapping, data->kind, row_index))
    return structured_new (&table, row_index, values);

  grid = grid_new ();
  for (guint side = 0; side < TDM_N_SIDES; side++)
    texts.text[side] = _tdm_detail_value_text (format, row, values[side]);
  attach_line (&table, GTK_GRID (grid), 0, NULL, (const char **) texts.text,
               !tdm_json_value_equal (webshop, shopify), row->type == TDM_VALUE_HTML);
  return grid;
}

/* ---- Field rows ---- */

static const char *
state_badge (const char  *state,
             const char **css_class)
{
  g_assert (css_class != NULL);

  /* The conflict badge has the list's colour (tdm-status-conflict). */
  if (g_strcmp0 (state, "conflict") == 0)
    {
      *css_class = "tdm-status-conflict";
      return _("Conflict");
    }
  if (g_strcmp0 (state, "settled") == 0)
    {
      *css_class = "tdm-field-settled";
      return _("Chosen");
    }
  if (g_strcmp0 (state, "differs") == 0)
    {
      *css_class = "tdm-field-differs";
      return _("Differs");
    }
  if (g_strcmp0 (state, "not-writable") == 0)
    {
      *css_class = "tdm-field-not-writable";
      return _("Read-only");
    }
  if (g_strcmp0 (state, "problem") == 0)
    {
      *css_class = "tdm-status-error";
      /* Translators: the badge of a field whose value stopped the record
       * from syncing (the Problems section above says why). */
      return _("Problem");
    }
  return NULL;
}

static TdmFieldConflict *
find_conflict (GPtrArray  *conflicts,
               const char *name)
{
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      TdmFieldConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->field, name) == 0)
        return conflict;
    }
  return NULL;
}

/* Does a record error of a shop name the field `name`? Its value there
 * could not be used, and is not in the stored version (`side`: that shop). */
static gboolean
find_problem (TdmDetailData *data,
              const char    *name,
              TdmSide       *side)
{
  g_assert (data != NULL && name != NULL);

  for (guint i = 0; data->errors != NULL && i < data->errors->len; i++)
    {
      TdmStoreError *e = g_ptr_array_index (data->errors, i);

      if (g_strcmp0 (e->field, name) == 0)
        {
          if (side != NULL)
            *side = e->side;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
field_state (TdmDetailData       *data,
             const TdmMappingRow *row,
             JsonNode            *values[TDM_N_SIDES])
{
  g_assert (data != NULL && row != NULL);

  if (find_conflict (data->conflicts, row->name) != NULL)
    return "conflict";
  if (find_problem (data, row->name, NULL))
    return "problem";
  if (find_conflict (data->settled, row->name) != NULL)
    return "settled";
  if (data->records[TDM_SIDE_WEBSHOP] == NULL || data->records[TDM_SIDE_SHOPIFY] == NULL)
    return "one-side";
  if (tdm_json_value_equal (values[TDM_SIDE_WEBSHOP], values[TDM_SIDE_SHOPIFY]))
    return "same";
  /* Set in both shops (an order cancelled in both): in step, only the
   * values differ (docs/sync.md, Orders: cancelled_at is set once). */
  if (tdm_planner_field_is_set_once (data->kind, row->name) &&
      !_tdm_detail_value_is_empty (values[TDM_SIDE_WEBSHOP]) &&
      !_tdm_detail_value_is_empty (values[TDM_SIDE_SHOPIFY]))
    return "set-once";
  if (!tdm_mapping_field_writable (data->mapping, data->kind, row->name, TDM_SIDE_WEBSHOP, FALSE) &&
      !tdm_mapping_field_writable (data->mapping, data->kind, row->name, TDM_SIDE_SHOPIFY, FALSE))
    return "not-writable";
  return "differs";
}

/* The sentence under a field: why a difference is not written, which way
 * a one-way field flows, or when a choice is written. */
static char *
field_explanation (TdmDetailData       *data,
                   const TdmMappingRow *row,
                   const char          *state)
{
  TdmFieldConflict *settled;

  g_assert (data != NULL && row != NULL);

  if (g_strcmp0 (state, "not-writable") == 0 ||
      (g_strcmp0 (state, "differs") == 0 && row->direction != TDM_DIRECTION_BOTH))
    return _tdm_detail_not_writable_text (data->kind, row);
  if (g_strcmp0 (state, "set-once") == 0)
    return g_strdup (_("Both shops have the order as cancelled. Shopify keeps the time it "
                       "cancelled the order itself and does not let apps change it, so the "
                       "times differ."));
  if ((settled = find_conflict (data->settled, row->name)) != NULL)
    return g_strdup (settled->winner == TDM_SIDE_WEBSHOP
                     ? _("You chose the webshop’s value. It will be written on the next sync.")
                     : _("You chose the Shopify value. It will be written on the next sync."));
  return NULL;
}

/* The field's label with its badge on the right: small and dim over a
 * value, as a heading over a table. */
static GtkWidget *
field_title_new (const char *text,
                 gboolean    over_table,
                 const char *badge,
                 const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = over_table ? _tdm_detail_label_new (text, TRUE) : label_cell_new (text);

  gtk_widget_set_hexpand (label, TRUE);
  if (over_table)
    gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (badge != NULL)
    gtk_box_append (GTK_BOX (box), _tdm_detail_badge_new (badge, css_class));
  return box;
}

static GtkWidget *
list_row_new (GtkWidget *child)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_widget_set_margin_top (child, 8);
  gtk_widget_set_margin_bottom (child, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static GtkWidget *
field_row_new (Table      *table,
               guint       row_index,
               JsonNode   *values[TDM_N_SIDES],
               const char *state)
{
  const TdmMappingRow *row = g_ptr_array_index (tdm_mapping_get_rows (table->data->mapping,
                                                                      table->data->kind),
                                                row_index);
  gboolean differs = g_strcmp0 (state, "same") != 0 && g_strcmp0 (state, "one-side") != 0 &&
                     g_strcmp0 (state, "problem") != 0 && g_strcmp0 (state, "set-once") != 0;
  g_autofree char *explanation = field_explanation (table->data, row, state);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gboolean structured = _tdm_detail_row_is_structured (table->data->mapping, table->data->kind,
                                                       row_index);
  const char *css_class = NULL;
  const char *badge = state_badge (state, &css_class);

  g_assert (table != NULL);

  gtk_box_append (GTK_BOX (box), field_title_new (tdm_mapping_row_get_label (row), structured,
                                                  badge, css_class));
  if (structured)
    gtk_box_append (GTK_BOX (box), structured_new (table, row_index, values));
  else
    {
      g_auto (SideTexts) texts = { { NULL, } };
      GtkWidget *grid = grid_new ();

      TdmSide problem_side = TDM_N_SIDES;

      for (guint side = 0; side < TDM_N_SIDES; side++)
        texts.text[side] = _tdm_detail_value_text (table->format, row, values[side]);
      /* A value that could not be used is not kept: not "—" (empty) but
       * where to read why. */
      if (find_problem (table->data, row->name, &problem_side) &&
          problem_side < TDM_N_SIDES && texts.text[problem_side] == NULL)
        texts.text[problem_side] = g_strdup (_("Cannot be used, see Problems"));
      attach_line (table, GTK_GRID (grid), 0, NULL, (const char **) texts.text, differs,
                   row->type == TDM_VALUE_HTML);
      gtk_box_append (GTK_BOX (box), grid);
    }

  if (explanation != NULL)
    {
      GtkWidget *sentence = _tdm_detail_label_new (explanation, TRUE);

      gtk_widget_add_css_class (sentence, "dim-label");
      gtk_widget_add_css_class (sentence, "caption");
      gtk_box_append (GTK_BOX (box), sentence);
    }
  return list_row_new (box);
}

/* Webshop | Shopify over the columns. */
static GtkWidget *
header_row_new (Table *table)
{
  const char *texts[TDM_N_SIDES] = { _("Webshop"), _("Shopify") };
  GtkWidget *grid = grid_new ();
  int column = 0;

  g_assert (table != NULL);

  for (guint side = 0; side < TDM_N_SIDES; side++)
    {
      GtkWidget *label;

      if (!table->sides[side])
        continue;
      label = _tdm_detail_label_new (texts[side], TRUE);
      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, column++, 0, 1, 1);
    }
  return list_row_new (grid);
}

static void
add_empty_row (Table      *table,
               GtkListBox *list,
               GPtrArray  *empty)
{
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  GtkWidget *label;

  g_assert (table != NULL && GTK_IS_LIST_BOX (list) && empty != NULL);

  g_ptr_array_add (empty, NULL);
  names = g_strjoinv (", ", (char **) empty->pdata);
  if (table->sides[TDM_SIDE_WEBSHOP] && table->sides[TDM_SIDE_SHOPIFY])
    /* Translators: "Empty in both shops: Note, Language, Tags". */
    text = g_strdup_printf (_("Empty in both shops: %s"), names);
  else
    /* Translators: "Empty: Note, Language, Tags" (a record in one shop only). */
    text = g_strdup_printf (_("Empty: %s"), names);
  label = _tdm_detail_label_new (text, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_box_append (list, list_row_new (label));
}

static JsonNode *
record_field (TdmRecord  *record,
              const char *name)
{
  if (record == NULL || record->fields == NULL || !json_object_has_member (record->fields, name))
    return NULL;
  return json_object_get_member (record->fields, name);
}

void
_tdm_detail_add_fields (TdmRecordDetail       *self,
                        TdmDetailData         *data,
                        const TdmDetailFormat *format)
{
  Table table = { data, format, { FALSE, FALSE } };
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  GPtrArray *rows;
  GtkListBox *list;

  g_assert (TDM_IS_RECORD_DETAIL (self));
  g_assert (data != NULL && format != NULL);

  if (data->mapping == NULL)
    return;
  for (guint side = 0; side < TDM_N_SIDES; side++)
    table.sides[side] = data->records[side] != NULL;
  if (!table.sides[TDM_SIDE_WEBSHOP] && !table.sides[TDM_SIDE_SHOPIFY])
    return;

  list = _tdm_detail_add_group (self, _("Values"));
  gtk_list_box_append (list, header_row_new (&table));

  rows = tdm_mapping_get_rows (data->mapping, data->kind);
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      JsonNode *values[TDM_N_SIDES];
      const char *state;

      /* Sub-rows belong to their list's table; the link's ids are
       * technical details. */
      if (row->parent >= 0 || g_strcmp0 (row->transform, "identity") == 0)
        continue;

      for (guint side = 0; side < TDM_N_SIDES; side++)
        values[side] = record_field (data->records[side], row->name);
      if (_tdm_detail_value_is_empty (values[TDM_SIDE_WEBSHOP]) &&
          _tdm_detail_value_is_empty (values[TDM_SIDE_SHOPIFY]) &&
          find_conflict (data->conflicts, row->name) == NULL &&
          !find_problem (data, row->name, NULL))
        {
          g_ptr_array_add (empty, (gpointer) tdm_mapping_row_get_label (row));
          continue;
        }

      state = field_state (data, row, values);
      g_hash_table_replace (self->field_states, g_strdup (row->name), (gpointer) state);
      gtk_list_box_append (list, field_row_new (&table, i, values, state));
    }
  if (empty->len > 0)
    add_empty_row (&table, list, empty);
}
