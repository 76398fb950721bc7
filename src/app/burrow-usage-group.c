/* burrow-usage-group.c — the ready strings for this connection's kind.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * psql, the libpq URI, JDBC, SQLAlchemy, mysql, … as the engine builds
 * them for the saved connection (psql with host=<real host>
 * hostaddr=127.0.0.1, so that TLS still checks the database's name), to
 * the port the tunnel listens on, or will. None holds a password. They
 * are the saved connection's, not the form's: a string to copy must work
 * as it is.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-copy-row.h"
#include "burrow-usage-group.h"

struct _BurrowUsageGroup
{
  AdwPreferencesGroup  parent_instance;

  BurrowConnection    *connection;
  GSignalGroup        *profile_signals;
  GPtrArray           *rows;
  GtkWidget           *no_port_row;
};

G_DEFINE_FINAL_TYPE (BurrowUsageGroup, burrow_usage_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rebuild (BurrowUsageGroup *self)
{
  g_autoptr(GPtrArray) strings = NULL;
  BurrowProfile *profile = self->connection != NULL ? burrow_connection_get_profile (self->connection) : NULL;

  /* A tunnel without a port yet (a new connection, or one not saved
   * through Burrow) has nothing to offer: saving chooses the port. */
  if (profile != NULL &&
      (!burrow_profile_get_tunnel_enabled (profile) ||
       burrow_connection_get_local_port (self->connection) != 0 ||
       burrow_profile_get_local_port (profile) != 0))
    strings = burrow_connection_dup_connection_strings (self->connection);

  gtk_widget_set_visible (self->no_port_row, strings == NULL);

  /* Rows are reused in place, so that a keystroke in the form does not
   * move the focus or the scroll position. */
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    {
      BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

      if (i < self->rows->len)
        {
          BurrowCopyRow *row = g_ptr_array_index (self->rows, i);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), string->label);
          burrow_copy_row_set_value (row, string->value);
        }
      else
        {
          BurrowCopyRow *row = burrow_copy_row_new (string->label, string->value);

          g_ptr_array_add (self->rows, row);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
        }
    }

  while (self->rows->len > (strings != NULL ? strings->len : 0))
    {
      GtkWidget *row = g_ptr_array_steal_index (self->rows, self->rows->len - 1);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
    }
}

static void
on_notify (BurrowUsageGroup *self,
           GParamSpec       *pspec)
{
  rebuild (self);
}

static void
burrow_usage_group_dispose (GObject *object)
{
  BurrowUsageGroup *self = (BurrowUsageGroup *)object;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->profile_signals);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_usage_group_parent_class)->dispose (object);
}

static void
burrow_usage_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BurrowUsageGroup *self = BURROW_USAGE_GROUP (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_usage_group_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BurrowUsageGroup *self = BURROW_USAGE_GROUP (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      burrow_usage_group_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_usage_group_class_init (BurrowUsageGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_usage_group_dispose;
  object_class->get_property = burrow_usage_group_get_property;
  object_class->set_property = burrow_usage_group_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_usage_group_init (BurrowUsageGroup *self)
{
  self->rows = g_ptr_array_new ();
  self->profile_signals = g_signal_group_new (BURROW_TYPE_PROFILE);
  g_signal_group_connect_swapped (self->profile_signals, "notify", G_CALLBACK (on_notify), self);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Use It"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Ready for your own tools. None of them holds the password: your tool asks for it."));

  self->no_port_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_port_row),
                                 _("Save the connection to get its local port"));
  gtk_widget_add_css_class (self->no_port_row, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->no_port_row);
}

BurrowConnection *
burrow_usage_group_get_connection (BurrowUsageGroup *self)
{
  g_return_val_if_fail (BURROW_IS_USAGE_GROUP (self), NULL);

  return self->connection;
}

/* @connection: (nullable): the saved connection whose strings to show */
void
burrow_usage_group_set_connection (BurrowUsageGroup *self,
                                   BurrowConnection *connection)
{
  g_return_if_fail (BURROW_IS_USAGE_GROUP (self));
  g_return_if_fail (connection == NULL || BURROW_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    g_signal_connect_swapped (connection, "notify::local-port", G_CALLBACK (on_notify), self);
  g_signal_group_set_target (self->profile_signals,
                             connection != NULL ? burrow_connection_get_profile (connection) : NULL);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

guint
burrow_usage_group_get_n_rows (BurrowUsageGroup *self)
{
  g_return_val_if_fail (BURROW_IS_USAGE_GROUP (self), 0);

  return self->rows->len;
}

/* Returns: (transfer none): the BurrowCopyRow at @index */
GtkWidget *
burrow_usage_group_get_row (BurrowUsageGroup *self,
                            guint             index)
{
  g_return_val_if_fail (BURROW_IS_USAGE_GROUP (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, index);
}
