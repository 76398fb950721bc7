/* burrow-connection-watch.c — follows what every connection of a list shows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray, the notifications and the background hold all react to the
 * same few changes of every connection: its state, whether a connect or
 * disconnect is under way, its address, its name, its error and where
 * else it runs. This
 * follows those for each item of the engine's list, items that come and
 * go included, and leaves out the counters, which change with every
 * byte a tunnel moves.
 *
 * Signals:
 *   changed (BurrowConnection)  one of those properties of it changed
 *   list-changed                connections came or went
 */

#include "config.h"

#include "burrow-connection-watch.h"

struct _BurrowConnectionWatch
{
  GObject     parent_instance;

  GListModel *connections;
  GPtrArray  *watched;   /* BurrowConnection, each with our handlers */
};

G_DEFINE_FINAL_TYPE (BurrowConnectionWatch, burrow_connection_watch, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_LIST_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const followed[] = {
  "notify::state",
  "notify::busy",
  "notify::local-address",
  "notify::name",
  "notify::error",
  "notify::running-elsewhere-summary",
};

static void
on_connection_notify (BurrowConnection      *connection,
                      GParamSpec            *pspec,
                      BurrowConnectionWatch *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, connection);
}

static void
unwatch_all (BurrowConnectionWatch *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
on_items_changed (BurrowConnectionWatch *self)
{
  unwatch_all (self);

  for (guint i = 0; i < g_list_model_get_n_items (self->connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (self->connections, i);

      for (guint j = 0; j < G_N_ELEMENTS (followed); j++)
        g_signal_connect (connection, followed[j], G_CALLBACK (on_connection_notify), self);
      g_ptr_array_add (self->watched, g_steal_pointer (&connection));
    }

  g_signal_emit (self, signals[SIGNAL_LIST_CHANGED], 0);
}

static void
burrow_connection_watch_dispose (GObject *object)
{
  BurrowConnectionWatch *self = BURROW_CONNECTION_WATCH (object);

  if (self->watched != NULL)
    unwatch_all (self);
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  g_clear_object (&self->connections);
  g_clear_pointer (&self->watched, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_connection_watch_parent_class)->dispose (object);
}

static void
burrow_connection_watch_class_init (BurrowConnectionWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_connection_watch_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BURROW_TYPE_CONNECTION);
  signals[SIGNAL_LIST_CHANGED] =
    g_signal_new ("list-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
burrow_connection_watch_init (BurrowConnectionWatch *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}

BurrowConnectionWatch *
burrow_connection_watch_new (GListModel *connections)
{
  BurrowConnectionWatch *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);

  self = g_object_new (BURROW_TYPE_CONNECTION_WATCH, NULL);
  self->connections = g_object_ref (connections);
  g_signal_connect_swapped (connections, "items-changed", G_CALLBACK (on_items_changed), self);
  on_items_changed (self);

  return self;
}

GListModel *
burrow_connection_watch_get_connections (BurrowConnectionWatch *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_WATCH (self), NULL);

  return self->connections;
}
