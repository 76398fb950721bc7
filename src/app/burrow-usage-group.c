/* burrow-usage-group.c — the ready strings for this connection's kind.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * psql, the libpq URI (with host=<real host> hostaddr=127.0.0.1, so that
 * TLS still checks the database's name), JDBC, SQLAlchemy, mysql, … as
 * the engine builds them for the kind, to the port the tunnel listens on
 * (or will). They follow the form as it is edited; none holds a password.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-copy-row.h"
#include "burrow-usage-group.h"

struct _BurrowUsageGroup
{
  AdwPreferencesGroup  parent_instance;

  BurrowProfile       *profile;
  guint                port;
  GPtrArray           *rows;
  GtkWidget           *no_port_row;
};

G_DEFINE_FINAL_TYPE (BurrowUsageGroup, burrow_usage_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rebuild (BurrowUsageGroup *self)
{
  g_autoptr(GPtrArray) strings = NULL;
  guint port = self->port;

  if (port == 0 && self->profile != NULL)
    port = burrow_profile_get_local_port (self->profile);

  if (self->profile != NULL && port != 0 && port <= G_MAXUINT16)
    strings = burrow_db_kind_build_connection_strings (burrow_profile_get_db_kind (self->profile),
                                                      burrow_profile_get_db_host (self->profile),
                                                      NULL,
                                                      port,
                                                      burrow_profile_get_db_name (self->profile),
                                                      burrow_profile_get_db_user (self->profile));

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
on_profile_notify (BurrowUsageGroup *self,
                   GParamSpec       *pspec)
{
  rebuild (self);
}

static void
burrow_usage_group_dispose (GObject *object)
{
  BurrowUsageGroup *self = (BurrowUsageGroup *)object;

  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->profile);
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
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
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
    case PROP_PROFILE:
      burrow_usage_group_set_profile (self, g_value_get_object (value));
      break;

    case PROP_PORT:
      burrow_usage_group_set_port (self, g_value_get_uint (value));
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

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The port the tunnel listens on now; 0 uses the profile's. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_usage_group_init (BurrowUsageGroup *self)
{
  self->rows = g_ptr_array_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Use It"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Ready for your own tools. None of them holds the password: your tool asks for it."));

  self->no_port_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_port_row),
                                 _("Save the connection to get its local port"));
  gtk_widget_add_css_class (self->no_port_row, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->no_port_row);
}

BurrowProfile *
burrow_usage_group_get_profile (BurrowUsageGroup *self)
{
  g_return_val_if_fail (BURROW_IS_USAGE_GROUP (self), NULL);

  return self->profile;
}

void
burrow_usage_group_set_profile (BurrowUsageGroup *self,
                                BurrowProfile    *profile)
{
  g_return_if_fail (BURROW_IS_USAGE_GROUP (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_set_object (&self->profile, profile);
  if (profile != NULL)
    g_signal_connect_swapped (profile, "notify", G_CALLBACK (on_profile_notify), self);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

guint
burrow_usage_group_get_port (BurrowUsageGroup *self)
{
  g_return_val_if_fail (BURROW_IS_USAGE_GROUP (self), 0);

  return self->port;
}

void
burrow_usage_group_set_port (BurrowUsageGroup *self,
                             guint             port)
{
  g_return_if_fail (BURROW_IS_USAGE_GROUP (self));

  if (self->port == port)
    return;

  self->port = port;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
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
