/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-model"

#include "config.h"

#include "tdm-record-model.h"

struct _TdmRecordItem
{
  GObject      parent_instance;

  guint        position;
  TdmStoreRow *row;
};

G_DEFINE_FINAL_TYPE (TdmRecordItem, tdm_record_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ROW,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
tdm_record_item_dispose (GObject *object)
{
  TdmRecordItem *self = TDM_RECORD_ITEM (object);

  g_clear_object (&self->row);

  G_OBJECT_CLASS (tdm_record_item_parent_class)->dispose (object);
}

static void
tdm_record_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TdmRecordItem *self = TDM_RECORD_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ROW:
      g_value_set_object (value, self->row);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_record_item_class_init (TdmRecordItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_record_item_dispose;
  object_class->get_property = tdm_record_item_get_property;

  item_properties[ITEM_PROP_ROW] =
    g_param_spec_object ("row", NULL, NULL, TDM_TYPE_STORE_ROW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
tdm_record_item_init (TdmRecordItem *self)
{
}

static void
item_set_row (TdmRecordItem *self,
              TdmStoreRow   *row)
{
  if (g_set_object (&self->row, row))
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_ROW]);
}

TdmStoreRow *
tdm_record_item_get_row (TdmRecordItem *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_ITEM (self), NULL);

  return self->row;
}

guint
tdm_record_item_get_position (TdmRecordItem *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_ITEM (self), 0);

  return self->position;
}

/* One page of items; the items exist as soon as any of them is asked for,
 * their rows arrive when the page query returns. */
typedef struct {
  GPtrArray *items;     /* TdmRecordItem* */
  gboolean   requested;
} Page;

struct _TdmRecordModel
{
  GObject        parent_instance;

  TdmStore      *store;
  TdmKind        kind;
  TdmLinkStatus  status;
  char          *search;
  TdmStoreSort   sort;
  gboolean       descending;

  guint          n_items;
  GHashTable    *pages;        /* page index → Page* */
  /* Replaced on every reload: answers for an older query are dropped. */
  GCancellable  *cancellable;
  guint          generation;
  guint          in_flight;
  guint          pages_loaded;
};

static void tdm_record_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmRecordModel, tdm_record_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tdm_record_model_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  RELOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  TdmRecordModel *self;     /* strong */
  guint           generation;
  guint           page;     /* G_MAXUINT: a reload or refresh (page 0 plus count) */
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
set_in_flight (TdmRecordModel *self,
               int             delta)
{
  gboolean was_loading = self->in_flight > 0;

  self->in_flight += delta;
  if (was_loading != (self->in_flight > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
fill_page (TdmRecordModel *self,
           Page           *page,
           GPtrArray      *rows)
{
  for (guint i = 0; i < page->items->len && i < rows->len; i++)
    {
      TdmRecordItem *item = g_ptr_array_index (page->items, i);

      /* Unchanged rows stay, so that their cells are not drawn again. */
      if (item->row == NULL || !tdm_store_row_equal (item->row, g_ptr_array_index (rows, i)))
        item_set_row (item, g_ptr_array_index (rows, i));
    }
}

static Page *
ensure_page (TdmRecordModel *self,
             guint           index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  guint first = index * TDM_RECORD_MODEL_PAGE_SIZE;
  guint count;

  if (page != NULL)
    return page;

  count = MIN (TDM_RECORD_MODEL_PAGE_SIZE, self->n_items - first);
  page = g_new0 (Page, 1);
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    {
      TdmRecordItem *item = g_object_new (TDM_TYPE_RECORD_ITEM, NULL);

      item->position = first + i;
      g_ptr_array_add (page->items, item);
    }
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  return page;
}

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QueryData *data = user_data;
  TdmRecordModel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Page *page;

  rows = tdm_store_query_finish (TDM_STORE (source), result, NULL, &error);
  if (data->generation == self->generation)
    {
      set_in_flight (self, -1);
      page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (data->page));
      if (rows == NULL)
        {
          if (page != NULL)
            page->requested = FALSE;  /* asked again when shown again */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_warning ("Could not load a page of records: %s", error->message);
        }
      else if (page != NULL)
        {
          self->pages_loaded++;
          fill_page (self, page, rows);
        }
    }

  query_data_free (data);
}

static void
request_page (TdmRecordModel *self,
              guint           index)
{
  Page *page = ensure_page (self, index);
  QueryData *data;

  if (page->requested)
    return;
  page->requested = TRUE;

  data = g_new0 (QueryData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->page = index;
  set_in_flight (self, 1);
  tdm_store_query_async (self->store, self->kind, self->status, self->search, self->sort,
                         self->descending, index * TDM_RECORD_MODEL_PAGE_SIZE,
                         TDM_RECORD_MODEL_PAGE_SIZE, self->cancellable,
                         on_page_loaded_cb, data);
}

static void
on_reloaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  QueryData *data = user_data;
  TdmRecordModel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 total = 0;
  guint old_n_items;
  Page *page;

  rows = tdm_store_query_finish (TDM_STORE (source), result, &total, &error);
  if (data->generation != self->generation)
    {
      query_data_free (data);
      return;
    }

  set_in_flight (self, -1);
  old_n_items = self->n_items;
  g_hash_table_remove_all (self->pages);
  self->n_items = rows != NULL ? (guint) MAX (total, 0) : 0;

  if (rows != NULL && self->n_items > 0)
    {
      self->pages_loaded++;
      page = ensure_page (self, 0);
      page->requested = TRUE;
      fill_page (self, page, rows);
    }

  if (old_n_items != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (rows == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_clear_error (&error);
  g_signal_emit (self, signals[RELOADED], 0, error);

  query_data_free (data);
}

/* A refresh changed the count from `old_n_items` to n_items: items go or
 * come at the end only, the others stay (their rows are replaced). */
static void
resize_pages (TdmRecordModel *self,
              guint           old_n_items)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert (TDM_IS_RECORD_MODEL (self));

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;
      guint first = GPOINTER_TO_UINT (key) * TDM_RECORD_MODEL_PAGE_SIZE;
      guint want;

      if (first >= self->n_items)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      want = MIN (TDM_RECORD_MODEL_PAGE_SIZE, self->n_items - first);
      if (want < page->items->len)
        g_ptr_array_set_size (page->items, want);
      for (guint i = page->items->len; i < want; i++)
        {
          TdmRecordItem *item = g_object_new (TDM_TYPE_RECORD_ITEM, NULL);

          item->position = first + i;
          g_ptr_array_add (page->items, item);
        }
    }
  if (self->n_items < old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items,
                                old_n_items - self->n_items, 0);
  else if (self->n_items > old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n_items, 0,
                                self->n_items - old_n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_refreshed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  QueryData *data = user_data;
  TdmRecordModel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) others = NULL;
  gint64 total = 0;
  GHashTableIter iter;
  gpointer key;

  g_assert (TDM_IS_STORE (source));

  rows = tdm_store_query_finish (TDM_STORE (source), result, &total, &error);
  if (data->generation != self->generation)
    {
      query_data_free (data);
      return;
    }

  set_in_flight (self, -1);
  if (rows != NULL)
    {
      guint old_n_items = self->n_items;

      self->n_items = (guint) MAX (total, 0);
      resize_pages (self, old_n_items);
      if (self->n_items > 0)
        {
          Page *page = ensure_page (self, 0);

          self->pages_loaded++;
          page->requested = TRUE;
          fill_page (self, page, rows);
        }
      /* The other pages shown so far are read again, in place. */
      others = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (GPOINTER_TO_UINT (key) != 0)
          {
            guint index = GPOINTER_TO_UINT (key);

            g_array_append_val (others, index);
          }
      for (guint i = 0; i < others->len; i++)
        {
          Page *page = g_hash_table_lookup (self->pages,
                                            GUINT_TO_POINTER (g_array_index (others, guint, i)));

          page->requested = FALSE;
          request_page (self, g_array_index (others, guint, i));
        }
    }

  if (rows == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_clear_error (&error);
  g_signal_emit (self, signals[RELOADED], 0, error);

  query_data_free (data);
}

static GType
tdm_record_model_get_item_type (GListModel *model)
{
  return TDM_TYPE_RECORD_ITEM;
}

static guint
tdm_record_model_get_n_items (GListModel *model)
{
  return TDM_RECORD_MODEL (model)->n_items;
}

static gpointer
tdm_record_model_get_item (GListModel *model,
                           guint       position)
{
  TdmRecordModel *self = TDM_RECORD_MODEL (model);
  guint index = position / TDM_RECORD_MODEL_PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  request_page (self, index);
  page = ensure_page (self, index);

  return g_object_ref (g_ptr_array_index (page->items, position % TDM_RECORD_MODEL_PAGE_SIZE));
}

static void
tdm_record_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tdm_record_model_get_item_type;
  iface->get_n_items = tdm_record_model_get_n_items;
  iface->get_item = tdm_record_model_get_item;
}

static void
tdm_record_model_dispose (GObject *object)
{
  TdmRecordModel *self = TDM_RECORD_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tdm_record_model_parent_class)->dispose (object);
}

static void
tdm_record_model_finalize (GObject *object)
{
  TdmRecordModel *self = TDM_RECORD_MODEL (object);

  g_free (self->search);

  G_OBJECT_CLASS (tdm_record_model_parent_class)->finalize (object);
}

static void
tdm_record_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TdmRecordModel *self = TDM_RECORD_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->in_flight > 0);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_record_model_class_init (TdmRecordModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_record_model_dispose;
  object_class->finalize = tdm_record_model_finalize;
  object_class->get_property = tdm_record_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tdm_record_model_init (TdmRecordModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->status = TDM_LINK_STATUS_ALL;
  self->sort = TDM_STORE_SORT_TITLE;
  self->cancellable = g_cancellable_new ();
}

TdmRecordModel *
tdm_record_model_new (TdmStore *store,
                      TdmKind   kind)
{
  TdmRecordModel *self;

  g_return_val_if_fail (TDM_IS_STORE (store), NULL);

  self = g_object_new (TDM_TYPE_RECORD_MODEL, NULL);
  self->store = g_object_ref (store);
  self->kind = kind;

  return self;
}

void
tdm_record_model_set_query (TdmRecordModel *self,
                            TdmLinkStatus   status,
                            const char     *search,
                            TdmStoreSort    sort,
                            gboolean        descending)
{
  g_return_if_fail (TDM_IS_RECORD_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;

  self->status = status;
  g_free (self->search);
  self->search = g_strdup (search);
  self->sort = sort;
  self->descending = descending;
  tdm_record_model_reload (self);
}

/* Starts reading page 0 and the count for the current query; answers to
 * the previous one are no longer wanted. */
static void
start_query (TdmRecordModel      *self,
             GAsyncReadyCallback  callback)
{
  QueryData *data;

  g_assert (TDM_IS_RECORD_MODEL (self));
  g_assert (callback != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  if (self->in_flight > 0)
    {
      self->in_flight = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  data = g_new0 (QueryData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->page = G_MAXUINT;
  set_in_flight (self, 1);
  tdm_store_query_async (self->store, self->kind, self->status, self->search, self->sort,
                         self->descending, 0, TDM_RECORD_MODEL_PAGE_SIZE, self->cancellable,
                         callback, data);
}

void
tdm_record_model_reload (TdmRecordModel *self)
{
  g_return_if_fail (TDM_IS_RECORD_MODEL (self));

  start_query (self, on_reloaded_cb);
}

void
tdm_record_model_refresh (TdmRecordModel *self)
{
  g_return_if_fail (TDM_IS_RECORD_MODEL (self));

  start_query (self, on_refreshed_cb);
}

gboolean
tdm_record_model_find (TdmRecordModel *self,
                       TdmSide         side,
                       const char     *id,
                       guint          *position)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (TDM_IS_RECORD_MODEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          TdmRecordItem *item = g_ptr_array_index (page->items, i);

          if (item->row != NULL &&
              g_strcmp0 (tdm_store_row_get_id (item->row, side), id) == 0)
            {
              if (position != NULL)
                *position = item->position;
              return TRUE;
            }
        }
    }
  return FALSE;
}

gboolean
tdm_record_model_get_loading (TdmRecordModel *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_MODEL (self), FALSE);

  return self->in_flight > 0;
}

const char *
tdm_record_model_get_search (TdmRecordModel *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_MODEL (self), NULL);

  return self->search;
}

TdmLinkStatus
tdm_record_model_get_status (TdmRecordModel *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_MODEL (self), TDM_LINK_STATUS_ALL);

  return self->status;
}

guint
tdm_record_model_get_pages_loaded (TdmRecordModel *self)
{
  g_return_val_if_fail (TDM_IS_RECORD_MODEL (self), 0);

  return self->pages_loaded;
}
