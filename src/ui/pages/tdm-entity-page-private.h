/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-entity-page.h"
#include "tdm-store.h"

G_BEGIN_DECLS

/* The entity page's struct and the helpers its files share:
 * tdm-entity-page.c (the widget, its states and public API),
 * tdm-entity-columns.c (columns, cells and header sorting),
 * tdm-entity-conflicts.c (the conflict count badge) and
 * tdm-entity-export.c (CSV export). See docs/architecture.md § Threading. */

/* What a column shows of a TdmStoreRow. */
typedef enum {
  TDM_ENTITY_FIELD_TITLE,
  TDM_ENTITY_FIELD_SUBTITLE,
  TDM_ENTITY_FIELD_EXTRA,
  TDM_ENTITY_FIELD_EXTRA2,
  TDM_ENTITY_FIELD_WEBSHOP_ID,
  TDM_ENTITY_FIELD_SHOPIFY_ID,
  TDM_ENTITY_FIELD_STATUS,
  TDM_ENTITY_FIELD_LAST_SYNCED,
  TDM_ENTITY_FIELD_EXTRA3,
} TdmEntityField;

typedef struct {
  const char     *id;     /* names the column in the settings ("phone") */
  const char     *title;  /* translatable (N_) */
  TdmEntityField  field;
  int             sort;   /* TdmStoreSort, or -1: not sortable */
  gboolean        expand;
  gboolean        shown;  /* shown until the owner hides it (column menu) */
  gboolean        secondary;  /* hidden while the detail is open beside the list */
  const char     *context;    /* the title's translation context (NC_), or NULL */
} TdmEntityColumn;

struct _TdmEntityPage
{
  GtkWidget           parent_instance;

  TdmKind             kind;
  TdmContext         *context;
  TdmRecordModel     *model;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;
  gboolean            loaded_once;
  /* The sort the column headers ask for, found with probe items. */
  TdmRecordItem      *probe[2];
  TdmStoreSort        sort;
  gboolean            descending;
  /* Reading the rows again while a sync runs. */
  guint               live_id;
  /* The page changes the selection itself (it does not open a record). */
  gboolean            selecting;
  /* Products: the currency of the shop's orders, for the prices. */
  char               *shop_currency;

  GtkStack           *stack;
  AdwStatusPage      *unconfigured_page;
  AdwStatusPage      *empty_page;
  GtkButton          *empty_sync_button;
  AdwFlap            *flap;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_dropdown;
  GtkButton          *conflicts_button;
  GtkLabel           *conflicts_label;
  GtkLabel           *count_label;
  GtkButton          *export_button;
  GtkMenuButton      *columns_button;
  GActionGroup       *column_actions;   /* "columns.show-<n>" */
  GSettings          *settings;         /* the columns shown: "<kind>-columns" */
  GtkStack           *list_stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *no_results_page;
  TdmRecordDetail    *detail;
};

/* tdm-entity-page.c */
TdmLinkStatus          _tdm_entity_page_get_selected_status (TdmEntityPage  *self);
/* Asks the model for the rows of the search, filter and sort shown. */
void                   _tdm_entity_page_apply_query         (TdmEntityPage  *self);

/* tdm-entity-columns.c */
/* The columns of `kind`'s page in order: the kind's own, then the ones
 * every kind has. */
guint                  _tdm_entity_columns_count            (TdmKind         kind);
const TdmEntityColumn *_tdm_entity_columns_get              (TdmKind         kind,
                                                             guint           index);
/* The text of `field`; `*owned` holds it when it had to be made. */
/* The column's title, translated. */
const char            *_tdm_entity_column_title             (const TdmEntityColumn *info);
const char            *_tdm_entity_row_text                 (TdmStoreRow    *row,
                                                             TdmEntityField  field,
                                                             char          **owned);
/* Adds the columns of the page's kind and their menu; the header's sorter
 * sets the sort. */
void                   _tdm_entity_page_setup_columns       (TdmEntityPage  *self);
/* Shows the columns chosen in the menu that fit beside the detail. */
void                   _tdm_entity_page_update_columns      (TdmEntityPage  *self);

/* tdm-entity-conflicts.c */
void                   _tdm_entity_page_count_conflicts     (TdmEntityPage  *self);

/* tdm-entity-export.c: the Export button (a template callback). */
void                   _tdm_entity_page_export_clicked_cb   (TdmEntityPage  *self);

G_END_DECLS
