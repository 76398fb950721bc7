/* burrow-connection-list.c — the sidebar: the connections, searchable.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list box bound to the engine's connections through a filter: the
 * search matches the name, the database and bastion hosts and the kind.
 * The selection is a connection, not a row, so that it survives the list
 * changing under it (another process adding or renaming a connection).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "burrow-connection-list.h"
#include "burrow-connection-row.h"

struct _BurrowConnectionList
{
  GtkWidget           parent_instance;

  GListModel         *model;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  char               *search;   /* casefolded */
  BurrowConnection   *selected;
  gboolean            selecting;

  /* Template widgets */
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (BurrowConnectionList, burrow_connection_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_CONNECTION,
  PROP_SEARCH_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
match_connection (gpointer item,
                  gpointer user_data)
{
  BurrowConnectionList *self = user_data;
  BurrowProfile *profile;

  if (self->search == NULL)
    return TRUE;

  profile = burrow_connection_get_profile (item);

  return contains (burrow_profile_get_name (profile), self->search) ||
         contains (burrow_profile_get_db_host (profile), self->search) ||
         contains (burrow_profile_get_ssh_host (profile), self->search) ||
         contains (burrow_db_kind_get_display_name (burrow_profile_get_db_kind (profile)), self->search) ||
         contains (burrow_db_kind_to_id (burrow_profile_get_db_kind (profile)), self->search);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return burrow_connection_row_new (item);
}

static void
set_selected (BurrowConnectionList *self,
              BurrowConnection     *connection)
{
  if (self->selected == connection)
    return;

  g_set_object (&self->selected, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CONNECTION]);
}

static void
select_row_of (BurrowConnectionList *self,
               BurrowConnection     *connection)
{
  GtkWidget *row = connection != NULL ? burrow_connection_list_get_row (self, connection) : NULL;

  self->selecting = TRUE;
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
  else
    gtk_list_box_unselect_all (self->list_box);
  self->selecting = FALSE;
}

static void
update_stack (BurrowConnectionList *self)
{
  gboolean empty = self->filtered == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty && self->search != NULL ? "no-results" : "list");
}

static gboolean
model_contains (GListModel *model,
                gpointer    item)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return TRUE;
    }

  return FALSE;
}

static void
on_filtered_items_changed (BurrowConnectionList *self)
{
  /* Rows of items that changed place were made anew: the selection
   * follows the connection, and one hidden by the search stays
   * selected. One that left the engine's list is no longer selected. */
  if (self->selected != NULL && !model_contains (self->model, self->selected))
    set_selected (self, NULL);
  else
    select_row_of (self, self->selected);

  update_stack (self);
}

static void
on_list_box_row_selected (BurrowConnectionList *self,
                          GtkListBoxRow        *row)
{
  if (self->selecting)
    return;

  /* A search that hides the selected row leaves it selected. */
  if (row == NULL)
    return;

  set_selected (self, burrow_connection_row_get_connection (BURROW_CONNECTION_ROW (row)));
}

static void
on_search_entry_search_changed (BurrowConnectionList *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
}

static void
on_search_entry_stop_search (BurrowConnectionList *self)
{
  burrow_connection_list_set_search_mode (self, FALSE);
}

/* Enter opens the first connection found. */
static void
on_search_entry_activate (BurrowConnectionList *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, 0);

  if (row != NULL)
    {
      gtk_list_box_select_row (self->list_box, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
on_search_bar_notify_search_mode_enabled (BurrowConnectionList *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

static void
burrow_connection_list_dispose (GObject *object)
{
  BurrowConnectionList *self = (BurrowConnectionList *)object;

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  g_clear_object (&self->selected);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_CONNECTION_LIST);

  G_OBJECT_CLASS (burrow_connection_list_parent_class)->dispose (object);
}

static void
burrow_connection_list_finalize (GObject *object)
{
  BurrowConnectionList *self = (BurrowConnectionList *)object;

  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (burrow_connection_list_parent_class)->finalize (object);
}

static void
burrow_connection_list_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BurrowConnectionList *self = BURROW_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED_CONNECTION:
      g_value_set_object (value, self->selected);
      break;

    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, burrow_connection_list_get_search_mode (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_list_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BurrowConnectionList *self = BURROW_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      burrow_connection_list_set_model (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_CONNECTION:
      burrow_connection_list_select (self, g_value_get_object (value));
      break;

    case PROP_SEARCH_MODE:
      burrow_connection_list_set_search_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_list_class_init (BurrowConnectionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_connection_list_dispose;
  object_class->finalize = burrow_connection_list_finalize;
  object_class->get_property = burrow_connection_list_get_property;
  object_class->set_property = burrow_connection_list_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CONNECTION] =
    g_param_spec_object ("selected-connection", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-connection-list.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionList, stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionList, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_list_box_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
}

static void
burrow_connection_list_init (BurrowConnectionList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->filter = gtk_custom_filter_new (match_connection, self, NULL);

  {
    GtkWidget *placeholder = gtk_label_new (_("No connections yet"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 24);
    gtk_list_box_set_placeholder (self->list_box, placeholder);
  }
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_bar_notify_search_mode_enabled), self);
}

GListModel *
burrow_connection_list_get_model (BurrowConnectionList *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_LIST (self), NULL);

  return self->model;
}

/* @model: (nullable): a list of BurrowConnection, the engine's */
void
burrow_connection_list_set_model (BurrowConnectionList *self,
                                  GListModel           *model)
{
  g_return_if_fail (BURROW_IS_CONNECTION_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_object (&self->filtered);
  g_set_object (&self->model, model);

  if (model != NULL)
    {
      self->filtered = gtk_filter_list_model_new (g_object_ref (model), g_object_ref (GTK_FILTER (self->filter)));
      gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
      g_signal_connect_object (self->filtered, "items-changed",
                               G_CALLBACK (on_filtered_items_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
  else
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);

  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

BurrowConnection *
burrow_connection_list_get_selected_connection (BurrowConnectionList *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_LIST (self), NULL);

  return self->selected;
}

/* @connection: (nullable): the connection to select, %NULL for none */
void
burrow_connection_list_select (BurrowConnectionList *self,
                               BurrowConnection     *connection)
{
  g_return_if_fail (BURROW_IS_CONNECTION_LIST (self));
  g_return_if_fail (connection == NULL || BURROW_IS_CONNECTION (connection));

  select_row_of (self, connection);
  set_selected (self, connection);
}

gboolean
burrow_connection_list_get_search_mode (BurrowConnectionList *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_LIST (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

void
burrow_connection_list_set_search_mode (BurrowConnectionList *self,
                                        gboolean              search_mode)
{
  g_return_if_fail (BURROW_IS_CONNECTION_LIST (self));

  gtk_search_bar_set_search_mode (self->search_bar, search_mode);
  if (search_mode)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
burrow_connection_list_set_search_text (BurrowConnectionList *self,
                                        const char           *text)
{
  g_return_if_fail (BURROW_IS_CONNECTION_LIST (self));

  burrow_connection_list_set_search_mode (self, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry waits a moment before it says the search changed. */
  on_search_entry_search_changed (self);
}

/* Returns: (transfer none) (nullable): the row showing @connection */
GtkWidget *
burrow_connection_list_get_row (BurrowConnectionList *self,
                                BurrowConnection     *connection)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_LIST (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (BURROW_IS_CONNECTION_ROW (child) &&
        burrow_connection_row_get_connection (BURROW_CONNECTION_ROW (child)) == connection)
      return child;

  return NULL;
}

/* How many connections the search leaves. */
guint
burrow_connection_list_get_n_shown (BurrowConnectionList *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_LIST (self), 0);

  return self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
}
