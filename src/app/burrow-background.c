/* burrow-background.c — keeps Burrow running while tunnels are up and its window is closed.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkApplication runs for as long as a window is open. With "run in
 * background" on (the default), this holds the application as well while
 * any tunnel is up, on its way up or reconnecting, or a connect or
 * disconnect is under way: closing the window then leaves the tunnels to
 * the tray and the notifications, and Burrow ends by itself once the last
 * one stops. With it off, closing the window quits, and quitting stops
 * every tunnel.
 *
 * The first time the window closes on running tunnels, a notification
 * says that Burrow is still there and how to end it.
 *
 * Properties: "held" (boolean), whether this holds the application now.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-background.h"
#include "burrow-connection-watch.h"

struct _BurrowBackground
{
  GObject                parent_instance;

  GtkApplication        *application;   /* weak: it owns this */
  GSettings             *settings;
  BurrowNotifier        *notifier;
  BurrowConnectionWatch *watch;
  gboolean               held;
};

G_DEFINE_FINAL_TYPE (BurrowBackground, burrow_background, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
count_running (BurrowBackground *self)
{
  GListModel *connections = burrow_connection_watch_get_connections (self->watch);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);

      n += burrow_connection_is_running (connection) || burrow_connection_get_busy (connection);
    }

  return n;
}

static void
set_held (BurrowBackground *self,
          gboolean          held)
{
  if (held == self->held || self->application == NULL)
    return;

  self->held = held;
  if (held)
    g_application_hold (G_APPLICATION (self->application));
  else
    g_application_release (G_APPLICATION (self->application));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

static void
update (BurrowBackground *self)
{
  set_held (self,
            g_settings_get_boolean (self->settings, "run-in-background") && count_running (self) > 0);
}

/* The window is gone and Burrow stays: said once, the first time. */
static void
on_window_removed (BurrowBackground *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  guint n;

  if (!self->held || gtk_application_get_windows (self->application) != NULL ||
      g_settings_get_boolean (self->settings, "background-notice-shown"))
    return;

  n = count_running (self);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u tunnel stays up with the window closed. Open Burrow to stop it, or quit Burrow.",
                                       "%u tunnels stay up with the window closed. Open Burrow to stop them, or quit Burrow.",
                                       n), n);
  notification = g_notification_new (_("Burrow Is Still Running"));
  g_notification_set_body (notification, body);
  g_notification_add_button (notification, _("Quit Burrow"), "app.quit");

  if (burrow_notifier_send (self->notifier, "background", notification))
    g_settings_set_boolean (self->settings, "background-notice-shown", TRUE);
}

static void
burrow_background_dispose (GObject *object)
{
  BurrowBackground *self = BURROW_BACKGROUND (object);

  set_held (self, FALSE);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->application != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->application, self);
      g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *)&self->application);
      self->application = NULL;
    }

  g_clear_object (&self->watch);
  g_clear_object (&self->settings);
  g_clear_object (&self->notifier);

  G_OBJECT_CLASS (burrow_background_parent_class)->dispose (object);
}

static void
burrow_background_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BurrowBackground *self = BURROW_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_background_class_init (BurrowBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_background_dispose;
  object_class->get_property = burrow_background_get_property;

  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_background_init (BurrowBackground *self)
{
}

BurrowBackground *
burrow_background_new (GtkApplication *application,
                       GSettings      *settings,
                       GListModel     *connections,
                       BurrowNotifier *notifier)
{
  BurrowBackground *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);
  g_return_val_if_fail (BURROW_IS_NOTIFIER (notifier), NULL);

  self = g_object_new (BURROW_TYPE_BACKGROUND, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *)&self->application);
  self->settings = g_object_ref (settings);
  self->notifier = g_object_ref (notifier);
  self->watch = burrow_connection_watch_new (connections);

  g_signal_connect_swapped (self->watch, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->watch, "list-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (settings, "changed::run-in-background", G_CALLBACK (update), self);
  /* After GtkApplication's own handler, which forgets the window. */
  g_signal_connect_data (application, "window-removed", G_CALLBACK (on_window_removed), self,
                         NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  update (self);

  return self;
}

gboolean
burrow_background_get_held (BurrowBackground *self)
{
  g_return_val_if_fail (BURROW_IS_BACKGROUND (self), FALSE);

  return self->held;
}
