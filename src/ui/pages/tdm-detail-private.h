/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-record-detail.h"
#include "tdm-format.h"

G_BEGIN_DECLS

/* Shared by the files of the record details (tdm-record-detail.c and
 * tdm-detail-*.c); not for use outside them. What the panel shows and why
 * is described in docs/architecture.md, "The record details". */

struct _TdmRecordDetail
{
  GtkWidget     parent_instance;

  TdmContext   *context;
  TdmStoreRow  *row;
  GCancellable *cancellable;
  GHashTable   *field_states;   /* canonical name → state string (static) */
  AdwToast     *toast;          /* weak: the last settle toast, while it shows */
  gboolean      loading;        /* a load is under way */
  struct _TdmDetailData *data;  /* what the content shows, or NULL */

  GtkLabel     *title_label;
  GtkBox       *content_box;
};

/* What the worker thread reads for one record (reference counted: the
 * panel keeps the one its content shows). */
typedef struct _TdmDetailData {
  TdmRecordStore *store;
  TdmMapping     *mapping;     /* nullable */
  TdmKind         kind;
  char           *ids[TDM_N_SIDES];
  TdmStoreRow    *row;         /* the record's view row as stored now, or NULL */
  TdmRecord      *records[TDM_N_SIDES];
  GPtrArray      *errors;      /* TdmStoreError* of this record */
  GPtrArray      *conflicts;   /* TdmFieldConflict* pending */
  GPtrArray      *settled;     /* TdmFieldConflict* chosen, not written yet */
  GPtrArray      *history;     /* TdmStoreHistory* */
  GHashTable     *references;  /* referenced id → its record's title */
  char           *shop_currency; /* products: the currency of the shop's orders, or NULL */
} TdmDetailData;

/* How values are put into words for one record. */
typedef struct {
  const TdmFormatLocale *locale;
  GDateTime             *now;         /* relative times; NULL: absolute */
  const char            *currency;    /* the record's currency (orders), or NULL */
  GHashTable            *references;  /* id → title; nullable */
} TdmDetailFormat;

/* ---- Values in words (tdm-detail-values.c) ---- */

/* The value of a mapping row in words ("kr 6 444,00", "+47 912 34 567",
 * "Norway", a customer's name), never JSON, markup or an id; NULL when the
 * value is empty. For list and group rows: a short summary. */
char       *_tdm_detail_value_text        (const TdmDetailFormat *format,
                                           const TdmMappingRow   *row,
                                           JsonNode              *value);
/* Is the value empty (absent, null, "", [] or {})? */
gboolean    _tdm_detail_value_is_empty    (JsonNode              *value);
/* A list or group row whose members have rows of their own. */
gboolean    _tdm_detail_row_is_structured (TdmMapping            *mapping,
                                           TdmKind                kind,
                                           guint                  index);
/* The sub-rows of the row at `index` (const TdmMappingRow*, transfer container). */
GPtrArray  *_tdm_detail_sub_rows          (TdmMapping            *mapping,
                                           TdmKind                kind,
                                           guint                  index);
/* A member of a list item or group, or NULL. */
JsonNode   *_tdm_detail_member            (JsonNode              *object,
                                           const char            *name);
/* Why a difference of this row is not written, in a sentence, or NULL. */
char       *_tdm_detail_not_writable_text (TdmKind                kind,
                                           const TdmMappingRow   *row);
/* The label of a field by its canonical name (a top-level row), or the name
 * in words when the mapping has no such row. */
char       *_tdm_detail_field_label       (TdmMapping            *mapping,
                                           TdmKind                kind,
                                           const char            *name);

/* ---- Building blocks (tdm-record-detail.c) ---- */

TdmDetailData *_tdm_detail_data_ref       (TdmDetailData   *data);
void          _tdm_detail_data_unref      (TdmDetailData   *data);

GtkListBox   *_tdm_detail_add_group       (TdmRecordDetail *self,
                                           const char      *title);
AdwActionRow *_tdm_detail_add_row         (GtkListBox      *list,
                                           const char      *title,
                                           const char      *subtitle);
/* A label that wraps at word boundaries and never hyphenates. */
GtkWidget    *_tdm_detail_label_new       (const char      *text,
                                           gboolean         wrap);
/* Every wrapping label below `widget` breaks at words, never with a hyphen
 * (values, class "tdm-value", may break a long word such as an email
 * address between characters, still without a hyphen). */
void          _tdm_detail_words_only      (GtkWidget       *widget);
GtkWidget    *_tdm_detail_badge_new       (const char      *text,
                                           const char      *css_class);
/* "Sync This Record" style button: app.sync-record on (kind, side, id). */
GtkWidget    *_tdm_detail_sync_button_new (TdmKind          kind,
                                           TdmSide          side,
                                           const char      *record_id,
                                           const char      *label);
void          _tdm_detail_format_init     (TdmRecordDetail *self,
                                           TdmDetailData   *data,
                                           TdmDetailFormat *format);
void          _tdm_detail_format_clear    (TdmDetailFormat *format);
/* Reloads the panel and tells the page that something changed. */
void          _tdm_detail_changed         (TdmRecordDetail *self);

/* ---- Fields (tdm-detail-fields.c) ---- */

/* Both sides' values, side by side, with their differences. */
void        _tdm_detail_add_fields        (TdmRecordDetail       *self,
                                           TdmDetailData         *data,
                                           const TdmDetailFormat *format);
/* The comparison of one row's two values (a two-column table; lists and
 * groups as small tables per item), for the fields and the conflicts. */
GtkWidget  *_tdm_detail_compare_new       (TdmDetailData         *data,
                                           const TdmDetailFormat *format,
                                           guint                  row_index,
                                           JsonNode              *webshop,
                                           JsonNode              *shopify);

/* "Webshop" and "Shopify" over the two columns of a comparison. */
GtkWidget  *_tdm_detail_columns_new       (void);

/* ---- Conflicts (tdm-detail-conflicts.c) ---- */

/* Pending conflicts with the choice of value, and the choices not written
 * yet with "Write Now" and "Undo". */
void        _tdm_detail_add_conflicts     (TdmRecordDetail       *self,
                                           TdmDetailData         *data,
                                           const TdmDetailFormat *format);

/* ---- Technical details (tdm-detail-technical.c) ---- */

/* Ids, property paths and references behind a "Technical details"
 * expander, with copy buttons. */
void        _tdm_detail_add_technical     (TdmRecordDetail       *self,
                                           TdmDetailData         *data);
/* https://<shop>/admin/<customers|products|orders>/<number> for a GID, or NULL. */
char       *_tdm_detail_shopify_admin_url (TdmContext            *context,
                                           TdmKind                kind,
                                           const char            *gid);

G_END_DECLS
