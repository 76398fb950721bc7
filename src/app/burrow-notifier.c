/* burrow-notifier.c — desktop notifications when a tunnel drops, comes back or gives up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each connection has one notification at a time (its id is the
 * connection's), so "came back" replaces "dropped", and a tunnel the
 * analyst stops takes its notification away. Clicking one opens Burrow
 * on that connection (app.show-connection). Nothing is sent while
 * Burrow's window has the focus: the list and the page show the same.
 *
 * Nothing is sent either when no notification server could show it: on
 * a desktop without one GLib would warn on stderr at the first try. A
 * server counts when org.gtk.Notifications or
 * org.freedesktop.Notifications has an owner or can be started on the
 * session bus; inside a sandbox the portal always answers.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-connection-watch.h"
#include "burrow-notifier.h"

typedef struct
{
  BurrowTunnelState state;
  gboolean          was_up;    /* up since it was last started */
  gboolean          dropped;   /* lost since it was last up */
  gboolean          shown;     /* a notification of it may be showing */
} Seen;

static const char * const server_names[] = {
  "org.gtk.Notifications",
  "org.freedesktop.Notifications",
};

struct _BurrowNotifier
{
  GObject                parent_instance;

  GtkApplication        *application;   /* weak: it owns the notifier */
  GSettings             *settings;
  BurrowConnectionWatch *watch;
  GHashTable            *seen;          /* connection id → Seen */

  GDBusConnection       *bus;
  GCancellable          *cancellable;
  guint                  name_watch_ids[G_N_ELEMENTS (server_names)];
  gboolean               owned[G_N_ELEMENTS (server_names)];
  gboolean               activatable;
  gboolean               sandboxed;
  gboolean               available;
};

G_DEFINE_FINAL_TYPE (BurrowNotifier, burrow_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* Whether anything can show a notification                            */
/* ------------------------------------------------------------------ */

static void
update_available (BurrowNotifier *self)
{
  gboolean available = self->sandboxed || self->activatable;

  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    available |= self->owned[i];

  if (available == self->available)
    return;

  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static void
on_server_appeared (GDBusConnection *connection,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  BurrowNotifier *self = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    if (g_str_equal (name, server_names[i]))
      self->owned[i] = TRUE;
  update_available (self);
}

static void
on_server_vanished (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  BurrowNotifier *self = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    if (g_str_equal (name, server_names[i]))
      self->owned[i] = FALSE;
  update_available (self);
}

static void
on_activatable_names (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **names = NULL;
  BurrowNotifier *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (reply == NULL)
    {
      g_debug ("Could not list the bus's activatable names: %s", error->message);
      return;
    }

  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    self->activatable |= g_strv_contains (names, server_names[i]);
  update_available (self);
}

static void
watch_servers (BurrowNotifier *self)
{
  self->bus = g_application_get_dbus_connection (G_APPLICATION (self->application));
  if (self->bus == NULL)
    return;

  g_object_ref (self->bus);
  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    self->name_watch_ids[i] = g_bus_watch_name_on_connection (self->bus, server_names[i],
                                                              G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                              on_server_appeared, on_server_vanished,
                                                              self, NULL);

  g_dbus_connection_call (self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, on_activatable_names, self);
}

/* ------------------------------------------------------------------ */
/* What a connection's change says                                     */
/* ------------------------------------------------------------------ */

static char *
notification_id (const char *connection_id)
{
  return g_strconcat ("connection-", connection_id, NULL);
}

/* "the bastion refused the key. Check …", or the cause alone. */
static char *
dup_error_text (BurrowConnection *connection,
                gboolean          with_hint)
{
  const GError *error = burrow_connection_get_error (connection);
  g_autofree char *cause = NULL;
  const char *hint;

  if (error == NULL)
    return NULL;

  cause = burrow_error_dup_cause (error);
  hint = with_hint ? burrow_error_get_hint (error) : NULL;
  if (hint == NULL)
    return g_steal_pointer (&cause);

  /* Translators: a cause, then what to do about it */
  return g_strdup_printf (_("%s. %s"), cause, hint);
}

static void
notify_connection (BurrowNotifier   *self,
                   BurrowConnection *connection,
                   const char       *title,
                   const char       *body,
                   GNotificationPriority priority)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  const char *id = burrow_connection_get_id (connection);
  Seen *seen = g_hash_table_lookup (self->seen, id);
  g_autofree char *nid = notification_id (id);

  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-connection", "s", id);

  if (burrow_notifier_send (self, nid, notification) && seen != NULL)
    seen->shown = TRUE;
}

static void
on_connection_changed (BurrowNotifier   *self,
                       BurrowConnection *connection)
{
  const char *id = burrow_connection_get_id (connection);
  const char *name = burrow_connection_get_name (connection);
  BurrowTunnelState state = burrow_connection_get_state (connection);
  BurrowTunnelState before;
  Seen *seen = g_hash_table_lookup (self->seen, id);

  /* What a connection is doing when it is first seen is no news. */
  if (seen == NULL)
    {
      seen = g_new0 (Seen, 1);
      seen->state = state;
      g_hash_table_insert (self->seen, g_strdup (id), seen);
      return;
    }

  before = seen->state;
  if (state == before)
    return;
  seen->state = state;

  switch (state)
    {
    case BURROW_TUNNEL_RECONNECTING:
      /* A first connect that keeps trying is no drop: the window and
       * the tray show it. */
      if (seen->was_up && !seen->dropped)
        {
          g_autofree char *title = NULL;
          g_autofree char *cause = dup_error_text (connection, FALSE);
          g_autofree char *body = NULL;

          seen->dropped = TRUE;
          /* Translators: %s is a connection's name */
          title = g_strdup_printf (_("“%s” lost its connection"), name);
          /* Translators: %s says why the tunnel dropped */
          body = cause != NULL ? g_strdup_printf (_("%s. Burrow is reconnecting."), cause)
                               : g_strdup (_("Burrow is reconnecting."));
          notify_connection (self, connection, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
        }
      break;

    case BURROW_TUNNEL_UP:
      seen->was_up = TRUE;
      if (seen->dropped)
        {
          g_autofree char *title = NULL;
          g_autofree char *body = NULL;

          seen->dropped = FALSE;
          /* Translators: %s is a connection's name */
          title = g_strdup_printf (_("“%s” is up again"), name);
          /* Translators: %s is a local address, 127.0.0.1:15432 */
          body = g_strdup_printf (_("Your tools reach it on %s again."),
                                  burrow_connection_get_local_address (connection));
          notify_connection (self, connection, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
        }
      break;

    case BURROW_TUNNEL_FAILED:
      {
        g_autofree char *title = NULL;
        g_autofree char *body = dup_error_text (connection, TRUE);

        if (seen->was_up)
          /* Translators: %s is a connection's name */
          title = g_strdup_printf (_("“%s” gave up reconnecting"), name);
        else
          /* Translators: %s is a connection's name */
          title = g_strdup_printf (_("“%s” could not connect"), name);
        seen->dropped = FALSE;
        seen->was_up = FALSE;
        notify_connection (self, connection, title, body, G_NOTIFICATION_PRIORITY_HIGH);
      }
      break;

    case BURROW_TUNNEL_STOPPED:
      /* Stopped on purpose: what was said about it is old news. */
      seen->dropped = FALSE;
      seen->was_up = FALSE;
      if (seen->shown)
        {
          g_autofree char *nid = notification_id (id);

          seen->shown = FALSE;
          burrow_notifier_withdraw (self, nid);
        }
      break;

    case BURROW_TUNNEL_CONNECTING:
    default:
      break;
    }
}

static void
on_list_changed (BurrowNotifier *self)
{
  GListModel *connections = burrow_connection_watch_get_connections (self->watch);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  const char *id;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);

      g_hash_table_add (present, (gpointer)burrow_connection_get_id (connection));
      on_connection_changed (self, connection);
    }

  /* A removed connection says nothing more. */
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    if (!g_hash_table_contains (present, id))
      g_hash_table_iter_remove (&iter);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
burrow_notifier_dispose (GObject *object)
{
  BurrowNotifier *self = BURROW_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (server_names); i++)
    if (self->name_watch_ids[i] != 0)
      {
        g_bus_unwatch_name (self->name_watch_ids[i]);
        self->name_watch_ids[i] = 0;
      }
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *)&self->application);
  self->application = NULL;

  g_clear_object (&self->watch);
  g_clear_object (&self->settings);
  g_clear_object (&self->bus);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->seen, g_hash_table_unref);

  G_OBJECT_CLASS (burrow_notifier_parent_class)->dispose (object);
}

static void
burrow_notifier_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BurrowNotifier *self = BURROW_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_notifier_class_init (BurrowNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_notifier_dispose;
  object_class->get_property = burrow_notifier_get_property;

  /* Whether a notification server could show what is sent. */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_notifier_init (BurrowNotifier *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

/**
 * burrow_notifier_new:
 * @application: the registered application, which sends them
 * @settings: Burrow's preferences ("notifications")
 * @connections: the engine's connections
 */
BurrowNotifier *
burrow_notifier_new (GtkApplication *application,
                     GSettings      *settings,
                     GListModel     *connections)
{
  BurrowNotifier *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);

  self = g_object_new (BURROW_TYPE_NOTIFIER, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *)&self->application);
  self->settings = g_object_ref (settings);
  self->sandboxed = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
  update_available (self);
  watch_servers (self);

  self->watch = burrow_connection_watch_new (connections);
  on_list_changed (self);
  g_signal_connect_swapped (self->watch, "changed", G_CALLBACK (on_connection_changed), self);
  g_signal_connect_swapped (self->watch, "list-changed", G_CALLBACK (on_list_changed), self);

  return self;
}

gboolean
burrow_notifier_get_available (BurrowNotifier *self)
{
  g_return_val_if_fail (BURROW_IS_NOTIFIER (self), FALSE);

  return self->available;
}

/* Sends @notification under @id, unless the analyst turned notifications
 * off, the window has the focus, or nothing could show it. Returns
 * whether it was sent. */
gboolean
burrow_notifier_send (BurrowNotifier *self,
                      const char     *id,
                      GNotification  *notification)
{
  GtkWindow *window;

  g_return_val_if_fail (BURROW_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (G_IS_NOTIFICATION (notification), FALSE);

  if (self->application == NULL || !self->available ||
      !g_settings_get_boolean (self->settings, "notifications"))
    return FALSE;

  window = gtk_application_get_active_window (self->application);
  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) && gtk_window_is_active (window))
    return FALSE;

  g_application_send_notification (G_APPLICATION (self->application), id, notification);
  return TRUE;
}

void
burrow_notifier_withdraw (BurrowNotifier *self,
                          const char     *id)
{
  g_return_if_fail (BURROW_IS_NOTIFIER (self));
  g_return_if_fail (id != NULL);

  if (self->application != NULL && self->available)
    g_application_withdraw_notification (G_APPLICATION (self->application), id);
}
