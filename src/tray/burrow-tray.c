/* burrow-tray.c — the tray indicator for active tunnels.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indicator will speak StatusNotifierItem and com.canonical.dbusmenu
 * over GDBus directly, so that it works with no GTK in the process; the
 * window owns one, and it needs nothing but the session bus it is given.
 * So far it only holds that bus.
 */

#include "config.h"

#include "burrow-tray.h"

struct _BurrowTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
};

G_DEFINE_FINAL_TYPE (BurrowTray, burrow_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
burrow_tray_dispose (GObject *object)
{
  BurrowTray *self = (BurrowTray *)object;

  g_clear_object (&self->connection);

  G_OBJECT_CLASS (burrow_tray_parent_class)->dispose (object);
}

static void
burrow_tray_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BurrowTray *self = BURROW_TRAY (object);

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
burrow_tray_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BurrowTray *self = BURROW_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tray_class_init (BurrowTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_tray_dispose;
  object_class->get_property = burrow_tray_get_property;
  object_class->set_property = burrow_tray_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_tray_init (BurrowTray *self)
{
}

BurrowTray *
burrow_tray_new (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (BURROW_TYPE_TRAY,
                       "connection", connection,
                       NULL);
}

GDBusConnection *
burrow_tray_get_connection (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->connection;
}
