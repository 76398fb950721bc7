/* burrow-engine-tunnels.c — the engine's tunnels: connect, disconnect,
 * reconnect, and the network and sleep watch that reaches every chain.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A connection's tunnel comes from one path: its credentials (filled from
 * the keyring), their chain, and the tunnel manager, which shares one
 * chain per bastion account. Each connect or disconnect starts a run of
 * the connection, so that a step of an older run that ends late cannot
 * undo a newer one.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-source.h"
#include "burrow-ssh-error.h"

/* The sessions of a chain's latest attempt, so that the key a server
 * showed can still be read once the chain stopped at it. */
typedef struct
{
  GPtrArray *sessions;   /* BurrowSshSession, one per hop reached */
} ChainWatch;

/* ------------------------------------------------------------------ */
/* Tunnels                                                             */
/* ------------------------------------------------------------------ */

static void
chain_watch_free (ChainWatch *watch)
{
  g_ptr_array_unref (watch->sessions);
  g_free (watch);
}

static void
on_chain_setup (BurrowSshChain   *chain,
                BurrowSshSession *session,
                guint             hop,
                gpointer          user_data)
{
  ChainWatch *watch = user_data;

  if (hop == 0)
    g_ptr_array_set_size (watch->sessions, 0);
  g_ptr_array_add (watch->sessions, g_object_ref (session));
}

static void
on_watched_chain_state (BurrowSshChain *chain,
                        GParamSpec     *pspec,
                        gpointer        user_data)
{
  ChainWatch *watch = user_data;

  /* Only a failure is read later; an attempt that got through keeps
   * nothing alive. */
  if (burrow_ssh_chain_get_state (chain) == BURROW_SSH_CHAIN_UP)
    g_ptr_array_set_size (watch->sessions, 0);
}

void
burrow_engine_watch_chain (BurrowSshChain *chain,
                           GPtrArray      *sessions)
{
  ChainWatch *watch = g_new0 (ChainWatch, 1);

  watch->sessions = sessions != NULL ? g_ptr_array_ref (sessions)
                                     : g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_data (G_OBJECT (chain), "burrow-engine-watch", watch);
  g_signal_connect_data (chain, "notify::state", G_CALLBACK (on_watched_chain_state), watch,
                         (GClosureNotify)(void (*) (void))chain_watch_free, 0);
  burrow_ssh_chain_set_setup_func (chain, on_chain_setup, watch, NULL);
}

/* The key that stopped the chain, when a host key did. */
static BurrowHostKey *
chain_host_key (BurrowSshChain *chain)
{
  ChainWatch *watch = g_object_get_data (G_OBJECT (chain), "burrow-engine-watch");
  BurrowSshSession *last;

  if (watch == NULL || watch->sessions->len == 0)
    return NULL;

  last = g_ptr_array_index (watch->sessions, watch->sessions->len - 1);
  return burrow_ssh_session_get_host_key (last);
}

static gboolean
on_remove_tunnel_idle (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);

  burrow_tunnel_manager_remove (self->tunnels, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static void
on_tunnel_state (BurrowTunnel *tunnel,
                 GParamSpec   *pspec,
                 gpointer      user_data)
{
  BurrowConnection *connection = user_data;
  BurrowEngine *self = g_object_get_data (G_OBJECT (tunnel), "burrow-engine");
  g_autoptr(GError) error = NULL;
  GTask *task;

  if (burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_FAILED ||
      burrow_connection_get_tunnel (connection) != tunnel)
    return;

  /* Only what a retry cannot fix ends here. The connection keeps the
   * error and, for a host key, the key to decide on; the tunnel leaves the
   * manager from an idle, as it is in the middle of failing. */
  error = g_error_copy (burrow_tunnel_get_error (tunnel));
  burrow_connection_set_failed (connection, error);
  burrow_connection_set_host_key (connection, chain_host_key (burrow_tunnel_get_chain (tunnel)));
  g_signal_handlers_disconnect_by_data (tunnel, connection);
  burrow_connection_set_tunnel (connection, NULL);
  burrow_engine_record_running (self, connection);

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (tunnel), g_object_unref);
  burrow_source_attach (self->context, g_idle_source_new (), on_remove_tunnel_idle, task);
}

static gboolean
start_tunnel (BurrowEngine      *self,
              BurrowConnection  *connection,
              BurrowSshChain    *chain,
              GError           **error)
{
  BurrowProfile *profile = burrow_connection_get_profile (connection);
  BurrowTunnel *tunnel;
  g_autofree char *key = NULL;
  GError *local_error = NULL;

  tunnel = burrow_tunnel_manager_add (self->tunnels, chain, burrow_profile_get_db_host (profile),
                                      burrow_profile_get_db_port (profile),
                                      burrow_profile_get_local_port (profile));

  /* A chain the manager took in for the first time is watched; a shared
   * one is watched already. */
  if (burrow_tunnel_get_chain (tunnel) == chain)
    burrow_engine_watch_chain (chain, NULL);

  g_object_set_data (G_OBJECT (tunnel), "burrow-engine", self);
  key = burrow_connection_dup_settings_key (connection);
  burrow_connection_set_running_key (connection, key);

  if (!burrow_tunnel_start (tunnel, &local_error))
    {
      burrow_tunnel_manager_remove (self->tunnels, tunnel);

      /* Whose the port is decides what to do about it. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_clear_error (&local_error);
          local_error = burrow_engine_explain_port_taken (self, connection, burrow_profile_get_local_port (profile));
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  burrow_connection_set_tunnel (connection, tunnel);
  burrow_engine_record_running (self, connection);
  g_signal_connect (tunnel, "notify::state", G_CALLBACK (on_tunnel_state), connection);
  on_tunnel_state (tunnel, NULL, connection);

  return TRUE;
}

/* Lets go of @connection's tunnel and of what it failed with. */
static void
stop_tunnel (BurrowEngine     *self,
             BurrowConnection *connection)
{
  g_autoptr(BurrowTunnel) tunnel = NULL;

  tunnel = burrow_connection_get_tunnel (connection);
  if (tunnel != NULL)
    {
      g_debug ("Stopping the tunnel of “%s”", burrow_connection_get_name (connection));
      g_object_ref (tunnel);
      g_signal_handlers_disconnect_by_data (tunnel, connection);
    }

  burrow_connection_set_tunnel (connection, NULL);
  burrow_connection_set_failed (connection, NULL);
  burrow_connection_set_running_key (connection, NULL);
  burrow_engine_record_running (self, connection);

  if (tunnel != NULL)
    burrow_tunnel_manager_remove (self->tunnels, tunnel);
}

/* Stops @connection's tunnel and any connect under way for it. */
void
burrow_engine_stop_connection (BurrowEngine     *self,
                               BurrowConnection *connection)
{
  burrow_connection_next_run (connection);
  stop_tunnel (self, connection);
  burrow_connection_set_busy (connection, FALSE);
}

typedef struct
{
  BurrowConnection  *connection;
  BurrowCredentials *credentials;
  guint              run;
} Connect;

static void
connect_free (Connect *data)
{
  g_clear_object (&data->connection);
  g_clear_object (&data->credentials);
  g_free (data);
}

static void
connect_failed (GTask  *task,
                GError *error)
{
  Connect *data = g_task_get_task_data (task);

  if (burrow_connection_get_run (data->connection) == data->run)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        burrow_connection_set_failed (data->connection, error);
      burrow_connection_set_busy (data->connection, FALSE);
    }

  g_task_return_error (task, error);
}

static void
on_connect_prepared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = BURROW_ENGINE (source);
  Connect *data = g_task_get_task_data (task);
  g_autoptr(BurrowSshChain) chain = NULL;
  GError *error = NULL;

  if (!burrow_engine_prepare_credentials_finish (self, result, &error))
    {
      connect_failed (task, error);
      return;
    }

  /* A disconnect, or another connect, came meanwhile. */
  if (burrow_connection_get_run (data->connection) != data->run)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connect was stopped before the tunnel was up"));
      return;
    }

  /* A reconnect replaces the running tunnel only now, once the new one
   * has what it needs: the port stops listening only for the moment it
   * takes to stop one and start the other. */
  stop_tunnel (self, data->connection);

  chain = burrow_credentials_build_chain (data->credentials, &error);
  if (chain == NULL || !start_tunnel (self, data->connection, chain, &error))
    {
      connect_failed (task, error);
      return;
    }

  burrow_connection_set_busy (data->connection, FALSE);
  g_task_return_boolean (task, TRUE);
}

/* Takes @task. @replace keeps a running tunnel until the new one starts;
 * otherwise a failed one is let go of at once. */
static void
start_connect (BurrowEngine     *self,
               BurrowConnection *connection,
               gboolean          replace,
               GTask            *task)
{
  BurrowProfile *profile = burrow_connection_get_profile (connection);
  Connect *data;

  g_debug ("Connecting “%s”", burrow_connection_get_name (connection));
  if (!replace)
    stop_tunnel (self, connection);

  data = g_new0 (Connect, 1);
  data->connection = g_object_ref (connection);
  data->credentials = burrow_credentials_new (profile);
  data->run = burrow_connection_next_run (connection);
  g_task_set_task_data (task, data, (GDestroyNotify)connect_free);
  burrow_connection_set_busy (connection, TRUE);

  burrow_engine_prepare_credentials_async (self, data->credentials, g_task_get_cancellable (task), on_connect_prepared, task);
}

/* Builds @connection's tunnel again from its settings and secrets as they
 * are now; errors end up in the connection's state. */
void
burrow_engine_restart_connection (BurrowEngine     *self,
                                  BurrowConnection *connection)
{
  GTask *task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, burrow_engine_restart_connection);
  if (!burrow_profile_get_tunnel_enabled (burrow_connection_get_profile (connection)))
    {
      burrow_engine_stop_connection (self, connection);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  start_connect (self, connection, TRUE, task);
}

/**
 * burrow_engine_connect_async:
 *
 * Loads what @connection needs to sign in and starts its tunnel; finishes
 * once the local port listens (the SSH chain then comes up on its own:
 * watch the connection's state). A connection that runs already
 * finishes at once. A failure is also kept as the connection's error.
 */
void
burrow_engine_connect_async (BurrowEngine        *self,
                             BurrowConnection    *connection,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BurrowProfile *profile;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_connect_async);

  if (burrow_connection_is_running (connection))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  profile = burrow_connection_get_profile (connection);
  if (!burrow_profile_get_tunnel_enabled (profile))
    {
      g_autofree char *address = burrow_format_host_port (burrow_profile_get_db_host (profile),
                                                          burrow_profile_get_db_port (profile));
      g_autofree char *hint = g_strdup_printf (_("Connect to %s directly, or turn the SSH tunnel on."), address);
      GError *error = NULL;

      burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_SSH_HOST, hint,
                        _("“%s” has no SSH tunnel"), burrow_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  start_connect (self, connection, FALSE, g_steal_pointer (&task));
}

gboolean
burrow_engine_connect_finish (BurrowEngine  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}

/**
 * burrow_engine_disconnect_async:
 *
 * Stops @connection's tunnel (its clients see their connections end) and
 * any connect under way for it; what it failed with is forgotten.
 */
void
burrow_engine_disconnect_async (BurrowEngine        *self,
                                BurrowConnection    *connection,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_disconnect_async);

  burrow_engine_stop_connection (self, connection);
  burrow_engine_update_n_running (self);
  g_task_return_boolean (task, TRUE);
}

gboolean
burrow_engine_disconnect_finish (BurrowEngine  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}

void
burrow_engine_disconnect_all_async (BurrowEngine        *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GHashTableIter iter;
  BurrowConnection *connection;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_disconnect_all_async);

  g_hash_table_iter_init (&iter, self->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&connection))
    if (burrow_connection_get_tunnel (connection) != NULL || burrow_connection_get_busy (connection))
      burrow_engine_stop_connection (self, connection);

  burrow_engine_update_n_running (self);
  g_task_return_boolean (task, TRUE);
}

gboolean
burrow_engine_disconnect_all_finish (BurrowEngine  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}

/* connect_at_start_async: every connect it started, until each ends. */
typedef struct
{
  GPtrArray *started;   /* BurrowConnection */
  guint      pending;
} AtStart;

static void
at_start_free (AtStart *at_start)
{
  g_ptr_array_unref (at_start->started);
  g_free (at_start);
}

static void
on_connected_at_start (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtStart *at_start = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A failure stays on its connection, where the window shows it. */
  if (!burrow_engine_connect_finish (BURROW_ENGINE (source), result, &error))
    g_debug ("Connecting at start failed: %s", error->message);

  if (--at_start->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (at_start->started), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * burrow_engine_connect_at_start_async:
 *
 * Connects, all at once, every connection marked "connect-at-start"
 * that has an SSH tunnel and does not run already, here or in another
 * Burrow process (burrowctl up). What the app does when it starts at
 * login. Finishes once each connect has finished: a connection that
 * failed keeps its error, as after any connect.
 */
void
burrow_engine_connect_at_start_async (BurrowEngine        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AtStart *at_start;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_connect_at_start_async);

  at_start = g_new0 (AtStart, 1);
  at_start->started = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, at_start, (GDestroyNotify)at_start_free);

  for (guint i = 0; i < self->connections->len; i++)
    {
      BurrowConnection *connection = g_ptr_array_index (self->connections, i);
      BurrowProfile *profile = burrow_connection_get_profile (connection);

      if (!burrow_profile_get_connect_at_start (profile) || !burrow_profile_get_tunnel_enabled (profile) ||
          burrow_connection_is_running (connection) || burrow_connection_get_busy (connection) ||
          burrow_connection_get_running_elsewhere (connection) != 0)
        continue;

      g_ptr_array_add (at_start->started, g_object_ref (connection));
    }

  /* One more than the connects, so that none can finish the task while
   * the others are still being started. */
  at_start->pending = at_start->started->len + 1;
  for (guint i = 0; i < at_start->started->len; i++)
    burrow_engine_connect_async (self, g_ptr_array_index (at_start->started, i), cancellable,
                                 on_connected_at_start, g_object_ref (task));

  if (--at_start->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (at_start->started), (GDestroyNotify)g_ptr_array_unref);
}

/* Returns: (transfer full) (element-type BurrowConnection): the
 *   connections it connected, each up or with its error */
GPtrArray *
burrow_engine_connect_at_start_finish (BurrowEngine  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}

/* Skips the wait before the next try of @connection's chain. */
void
burrow_engine_retry_now (BurrowEngine     *self,
                         BurrowConnection *connection)
{
  BurrowTunnel *tunnel;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));

  tunnel = burrow_connection_get_tunnel (connection);
  if (tunnel != NULL)
    burrow_ssh_chain_retry_now (burrow_tunnel_get_chain (tunnel));
}

/* ------------------------------------------------------------------ */
/* Network and sleep                                                   */
/* ------------------------------------------------------------------ */

/* After a network change or a resume every session may be dead without
 * knowing it: each chain checks now rather than at its next keepalive or
 * retry. */
static void
check_all_chains (BurrowEngine *self)
{
  g_autoptr(GPtrArray) chains = burrow_tunnel_manager_dup_chains (self->tunnels);

  for (guint i = 0; i < chains->len; i++)
    burrow_ssh_chain_check_now (g_ptr_array_index (chains, i));
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  if (available)
    check_all_chains (user_data);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean going_to_sleep;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    check_all_chains (user_data);
}

static void
on_system_bus_ready (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  BurrowEngine *self;

  if (bus == NULL)
    {
      /* No system bus (a container, a test): a resume from sleep is then
       * noticed by the keepalives alone. The engine may be gone when the
       * lookup was cancelled. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, resume from sleep is not watched: %s", error->message);
      return;
    }

  self = user_data;
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_prepare_for_sleep, self, NULL);
}

void
burrow_engine_watch_system (BurrowEngine *self)
{
  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_handler = g_signal_connect (self->network_monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);

  /* The system bus is the one DBUS_SYSTEM_BUS_ADDRESS names, when set.
   * The callback gets the engine only while the cancellable lives: it is
   * cancelled in dispose. */
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus_ready, self);
}

void
burrow_engine_unwatch_system (BurrowEngine *self)
{
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  g_clear_signal_handler (&self->network_handler, self->network_monitor);
  g_clear_object (&self->network_monitor);
}
