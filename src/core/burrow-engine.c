/* burrow-engine.c — the one object the window, the tray and burrowctl hold.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine owns the profile store and mirrors its list one to one as
 * BurrowConnection objects, kept per profile id for the engine's whole
 * life (a connection removed and brought back by an undo is the same
 * object). It turns a connection into a tunnel through one path:
 * BurrowCredentials (the secrets, from the keyring or typed), their chain,
 * and the tunnel manager, which shares chains per bastion account. It
 * watches the network and logind's PrepareForSleep once, for every chain.
 *
 * The order of writes on a save is what keeps a failure from losing
 * anything: a new connection's secrets go first, then its entry in
 * connections.ini (a keyring that refuses leaves no entry without its
 * secrets; a file that refuses takes the secrets just written back out);
 * an existing connection's entry goes first, then its secrets, then the
 * secrets its sign-in no longer uses are forgotten (a file that refuses
 * leaves the old entry with the old secrets).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-connection-private.h"
#include "burrow-engine.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-paths.h"
#include "burrow-source.h"
#include "burrow-ssh-error.h"
#include "burrow-tunnel-manager.h"

#define N_SECRET_KINDS (BURROW_SECRET_KIND_LAST + 1)

/* The sessions of a chain's latest attempt, so that the key a server
 * showed can still be read once the chain stopped at it. */
typedef struct
{
  GPtrArray *sessions;   /* BurrowSshSession, one per hop reached */
} ChainWatch;

struct _BurrowEngine
{
  GObject              parent_instance;

  GMainContext        *context;
  BurrowProfileStore  *store;
  BurrowTunnelManager *tunnels;
  GHashTable          *by_id;          /* id → BurrowConnection, every one ever listed */
  GPtrArray           *connections;    /* the model: the store's order */
  char                *known_hosts_file;
  guint                n_running;
  gboolean             loaded;
  GPtrArray           *removed_ids;    /* gone from the list, to stop if they stay gone */
  guint                removed_source;
  guint                settings_source;

  BurrowIdentity      *identity;
  GPtrArray           *identity_waiters;   /* GTask */

  GNetworkMonitor     *network_monitor;
  gulong               network_handler;
  GDBusConnection     *system_bus;
  guint                sleep_subscription;
  GCancellable        *cancellable;        /* cancelled in dispose */
};

static void burrow_engine_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BurrowEngine, burrow_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, burrow_engine_list_model_init))

enum {
  PROP_0,
  PROP_N_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ASK,
  SIGNAL_FILE_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void stop_connection    (BurrowEngine     *self,
                                BurrowConnection *connection);
static void restart_connection (BurrowEngine     *self,
                                BurrowConnection *connection);

/* What every _finish() of the engine does. */
static gboolean
finish_boolean (BurrowEngine  *self,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (BurrowEngine  *self,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* The list                                                            */
/* ------------------------------------------------------------------ */

static GType
burrow_engine_get_item_type (GListModel *model)
{
  return BURROW_TYPE_CONNECTION;
}

static guint
burrow_engine_get_n_items (GListModel *model)
{
  return BURROW_ENGINE (model)->connections->len;
}

static gpointer
burrow_engine_get_item (GListModel *model,
                        guint       position)
{
  BurrowEngine *self = BURROW_ENGINE (model);

  if (position >= self->connections->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
burrow_engine_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = burrow_engine_get_item_type;
  iface->get_n_items = burrow_engine_get_n_items;
  iface->get_item = burrow_engine_get_item;
}

static void
update_n_running (BurrowEngine *self)
{
  guint n = 0;

  for (guint i = 0; i < self->connections->len; i++)
    n += burrow_connection_is_running (g_ptr_array_index (self->connections, i));

  if (n != self->n_running)
    {
      self->n_running = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
    }
}

static void
on_connection_state (BurrowConnection *connection,
                     GParamSpec       *pspec,
                     gpointer          user_data)
{
  update_n_running (user_data);
}

static gboolean
on_settings_check (gpointer user_data)
{
  BurrowEngine *self = user_data;
  g_autoptr(GPtrArray) restart = g_ptr_array_new_with_free_func (g_object_unref);

  self->settings_source = 0;

  for (guint i = 0; i < self->connections->len; i++)
    {
      BurrowConnection *connection = g_ptr_array_index (self->connections, i);
      g_autofree char *key = NULL;

      if (burrow_connection_get_tunnel (connection) == NULL)
        continue;

      key = burrow_connection_dup_settings_key (connection);
      if (g_strcmp0 (key, burrow_connection_get_running_key (connection)) != 0)
        g_ptr_array_add (restart, g_object_ref (connection));
    }

  for (guint i = 0; i < restart->len; i++)
    {
      BurrowConnection *connection = g_ptr_array_index (restart, i);

      g_debug ("Settings of “%s” changed: reconnecting", burrow_connection_get_name (connection));
      restart_connection (self, connection);
    }

  return G_SOURCE_REMOVE;
}

/* A profile changed in place (a save here, or another process's change
 * read back): a running tunnel built from other settings is rebuilt,
 * once for a whole burst of property changes. */
static void
on_profile_changed (BurrowProfile *profile,
                    GParamSpec    *pspec,
                    gpointer       user_data)
{
  BurrowEngine *self = user_data;

  if (self->settings_source == 0)
    self->settings_source = burrow_source_attach (self->context, g_idle_source_new (),
                                                  on_settings_check, self);
}

static BurrowConnection *
connection_for (BurrowEngine  *self,
                BurrowProfile *profile)
{
  BurrowConnection *connection = g_hash_table_lookup (self->by_id, burrow_profile_get_id (profile));

  if (connection != NULL && burrow_connection_get_profile (connection) == profile)
    return connection;

  /* A profile object the store made anew for an id (removed, then added
   * again by another process) is still the same connection for the
   * list; it is followed from now on. Only while stopped: a running one
   * is stopped once it is seen gone. */
  if (connection != NULL && !burrow_connection_is_running (connection))
    {
      g_signal_handlers_disconnect_by_data (burrow_connection_get_profile (connection), self);
      burrow_profile_assign (burrow_connection_get_profile (connection), profile);
      g_signal_connect (burrow_connection_get_profile (connection), "notify",
                        G_CALLBACK (on_profile_changed), self);
      return connection;
    }

  connection = burrow_connection_new (profile);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_state), self);
  g_signal_connect (profile, "notify", G_CALLBACK (on_profile_changed), self);
  g_hash_table_replace (self->by_id, g_strdup (burrow_profile_get_id (profile)), connection);

  return connection;
}

static gboolean
on_removed_check (gpointer user_data)
{
  BurrowEngine *self = user_data;
  g_autoptr(GPtrArray) ids = g_steal_pointer (&self->removed_ids);

  self->removed_ids = g_ptr_array_new_with_free_func (g_free);
  self->removed_source = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      BurrowConnection *connection = g_hash_table_lookup (self->by_id, id);

      if (connection != NULL && burrow_profile_store_lookup (self->store, id) == NULL &&
          burrow_connection_get_tunnel (connection) != NULL)
        {
          g_debug ("“%s” was removed: stopping its tunnel", burrow_connection_get_name (connection));
          stop_connection (self, connection);
        }
    }

  update_n_running (self);

  return G_SOURCE_REMOVE;
}

/* The list follows the store item for item, so that a view keeps its
 * selection when another connection comes or goes. */
static void
on_store_items_changed (GListModel *store,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  BurrowEngine *self = user_data;

  for (guint i = 0; i < removed; i++)
    {
      BurrowConnection *gone = g_ptr_array_index (self->connections, position + i);

      /* A move within the list shows as a removal and an addition: only
       * what is still missing once the change is over stops. */
      g_ptr_array_add (self->removed_ids, g_strdup (burrow_connection_get_id (gone)));
    }
  if (removed > 0)
    {
      g_ptr_array_remove_range (self->connections, position, removed);
      if (self->removed_source == 0)
        self->removed_source = burrow_source_attach (self->context, g_idle_source_new (),
                                                     on_removed_check, self);
    }

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(BurrowProfile) profile = g_list_model_get_item (store, position + i);

      g_ptr_array_insert (self->connections, position + i,
                          g_object_ref (connection_for (self, profile)));
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  update_n_running (self);
}

static void
on_store_file_problem (BurrowProfileStore *store,
                       const GError       *error,
                       gpointer            user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_FILE_PROBLEM], 0, error);
}

/* ------------------------------------------------------------------ */
/* Questions                                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  GWeakRef       engine;
  BurrowProfile *profile;
} AskContext;

static void
ask_context_free (AskContext *context)
{
  g_weak_ref_clear (&context->engine);
  g_clear_object (&context->profile);
  g_free (context);
}

static void
emit_ask (BurrowEngine   *self,
          BurrowQuestion *question,
          BurrowProfile  *profile)
{
  gboolean handled = FALSE;

  if (profile != NULL)
    burrow_question_set_connection (question, burrow_profile_get_id (profile),
                                    burrow_profile_get_name (profile));

  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_ASK], 0, question, &handled);

  /* Nobody will answer: the sign-in fails now, with the session's clear
   * error, rather than waiting for its timeout. */
  if (!handled)
    burrow_question_cancel (question);
}

static void
on_ask (BurrowQuestion *question,
        gpointer        user_data)
{
  AskContext *context = user_data;
  g_autoptr(BurrowEngine) self = g_weak_ref_get (&context->engine);

  emit_ask (self, question, context->profile);
}

static void
set_ask_func (BurrowEngine      *self,
              BurrowCredentials *credentials)
{
  AskContext *context = g_new0 (AskContext, 1);

  g_weak_ref_init (&context->engine, self);
  context->profile = g_object_ref (burrow_credentials_get_profile (credentials));
  burrow_credentials_set_ask_func (credentials, on_ask, context, (GDestroyNotify)ask_context_free);
}

/* ------------------------------------------------------------------ */
/* Burrow's own key, and credentials ready to sign in                 */
/* ------------------------------------------------------------------ */

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BurrowEngine) self = user_data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->identity_waiters);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->identity);
  self->identity = burrow_identity_load_finish (result, &error);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (self->identity != NULL)
        g_task_return_pointer (task, g_object_ref (self->identity), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

void
burrow_engine_load_identity_async (BurrowEngine        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_load_identity_async);

  if (self->identity != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->identity), g_object_unref);
      return;
    }

  /* One load for every caller: Burrow's key is made on first use, and two
   * loads at once must not make two keys. */
  if (self->identity_waiters != NULL)
    {
      g_ptr_array_add (self->identity_waiters, g_steal_pointer (&task));
      return;
    }

  self->identity_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->identity_waiters, g_steal_pointer (&task));
  burrow_identity_load_async (self->cancellable, on_identity_loaded, g_object_ref (self));
}

BurrowIdentity *
burrow_engine_load_identity_finish (BurrowEngine  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, error);
}

static void
on_prepared_filled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_credentials_fill_finish (BURROW_CREDENTIALS (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_prepared_identity (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowCredentials *credentials = g_task_get_task_data (task);
  g_autoptr(BurrowIdentity) identity = NULL;
  GError *error = NULL;
  char *text;

  identity = burrow_engine_load_identity_finish (BURROW_ENGINE (source), result, &error);
  if (identity == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  text = burrow_identity_dup_private_key_text (identity);
  if (text != NULL)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_WORKSPACE_KEY, text);
  burrow_secret_wipe_free (text);

  burrow_credentials_fill_async (credentials, g_task_get_cancellable (task),
                                 on_prepared_filled, g_object_ref (task));
}

/* Fills @credentials from the keyring (Burrow's own key from the
 * engine's identity) and gives its chains the engine's "ask". */
static void
prepare_credentials_async (BurrowEngine        *self,
                           BurrowCredentials   *credentials,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  BurrowProfile *profile = burrow_credentials_get_profile (credentials);

  g_task_set_source_tag (task, prepare_credentials_async);
  g_task_set_task_data (task, g_object_ref (credentials), g_object_unref);
  set_ask_func (self, credentials);

  if (burrow_credentials_secret_needed (profile, BURROW_SECRET_WORKSPACE_KEY) &&
      !burrow_credentials_has_secret (credentials, BURROW_SECRET_WORKSPACE_KEY))
    {
      burrow_engine_load_identity_async (self, cancellable, on_prepared_identity, g_steal_pointer (&task));
      return;
    }

  burrow_credentials_fill_async (credentials, cancellable, on_prepared_filled, g_steal_pointer (&task));
}

static gboolean
prepare_credentials_finish (BurrowEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

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

static void
watch_chain (BurrowSshChain *chain,
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

  tunnel = burrow_tunnel_manager_add (self->tunnels, chain, burrow_profile_get_db_host (profile),
                                      burrow_profile_get_db_port (profile),
                                      burrow_profile_get_local_port (profile));

  /* A chain the manager took in for the first time is watched; a shared
   * one is watched already. */
  if (burrow_tunnel_get_chain (tunnel) == chain)
    watch_chain (chain, NULL);

  g_object_set_data (G_OBJECT (tunnel), "burrow-engine", self);
  key = burrow_connection_dup_settings_key (connection);
  burrow_connection_set_running_key (connection, key);

  if (!burrow_tunnel_start (tunnel, error))
    {
      burrow_tunnel_manager_remove (self->tunnels, tunnel);
      return FALSE;
    }

  burrow_connection_set_tunnel (connection, tunnel);
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

  if (tunnel != NULL)
    burrow_tunnel_manager_remove (self->tunnels, tunnel);
}

/* Stops @connection's tunnel and any connect under way for it. */
static void
stop_connection (BurrowEngine     *self,
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

  if (!prepare_credentials_finish (self, result, &error))
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

  prepare_credentials_async (self, data->credentials, g_task_get_cancellable (task), on_connect_prepared, task);
}

/* Builds @connection's tunnel again from its settings and secrets as they
 * are now; errors end up in the connection's state. */
static void
restart_connection (BurrowEngine     *self,
                    BurrowConnection *connection)
{
  GTask *task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, restart_connection);
  if (!burrow_profile_get_tunnel_enabled (burrow_connection_get_profile (connection)))
    {
      stop_connection (self, connection);
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
  return finish_boolean (self, result, error);
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

  stop_connection (self, connection);
  update_n_running (self);
  g_task_return_boolean (task, TRUE);
}

gboolean
burrow_engine_disconnect_finish (BurrowEngine  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, error);
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
      stop_connection (self, connection);

  update_n_running (self);
  g_task_return_boolean (task, TRUE);
}

gboolean
burrow_engine_disconnect_all_finish (BurrowEngine  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_boolean (self, result, error);
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

static void
watch_system (BurrowEngine *self)
{
  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_handler = g_signal_connect (self->network_monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);

  /* The system bus is the one DBUS_SYSTEM_BUS_ADDRESS names, when set.
   * The callback gets the engine only while the cancellable lives: it is
   * cancelled in dispose. */
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus_ready, self);
}

/* ------------------------------------------------------------------ */
/* The object                                                          */
/* ------------------------------------------------------------------ */

static void
burrow_engine_dispose (GObject *object)
{
  BurrowEngine *self = BURROW_ENGINE (object);

  g_cancellable_cancel (self->cancellable);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  if (self->by_id != NULL)
    {
      GHashTableIter iter;
      BurrowConnection *connection;

      g_hash_table_iter_init (&iter, self->by_id);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&connection))
        {
          stop_connection (self, connection);
          g_signal_handlers_disconnect_by_data (connection, self);
          g_signal_handlers_disconnect_by_data (burrow_connection_get_profile (connection), self);
        }
    }

  if (self->tunnels != NULL)
    burrow_tunnel_manager_stop_all (self->tunnels);

  burrow_source_clear (self->context, &self->removed_source);
  burrow_source_clear (self->context, &self->settings_source);

  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  g_clear_signal_handler (&self->network_handler, self->network_monitor);
  g_clear_object (&self->network_monitor);

  g_clear_object (&self->tunnels);
  g_clear_object (&self->store);
  g_clear_object (&self->identity);
  if (self->connections != NULL)
    g_ptr_array_set_size (self->connections, 0);
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);

  G_OBJECT_CLASS (burrow_engine_parent_class)->dispose (object);
}

static void
burrow_engine_finalize (GObject *object)
{
  BurrowEngine *self = BURROW_ENGINE (object);

  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->removed_ids, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->known_hosts_file);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (burrow_engine_parent_class)->finalize (object);
}

static void
burrow_engine_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BurrowEngine *self = BURROW_ENGINE (object);

  switch (prop_id)
    {
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_engine_class_init (BurrowEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_engine_dispose;
  object_class->finalize = burrow_engine_finalize;
  object_class->get_property = burrow_engine_get_property;

  /* How many connections are up or on their way up. */
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowEngine::ask:
   * @question: what only a person can answer
   *
   * Return %TRUE when you will answer or cancel @question, now or later;
   * when no handler does, it is cancelled and the sign-in fails with a
   * clear error.
   */
  signals[SIGNAL_ASK] =
    g_signal_new ("ask",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, BURROW_TYPE_QUESTION);

  /**
   * BurrowEngine::file-problem:
   * @error: what went wrong with connections.ini, with a hint
   */
  signals[SIGNAL_FILE_PROBLEM] =
    g_signal_new ("file-problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_engine_init (BurrowEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->store = burrow_profile_store_new (NULL);
  self->tunnels = burrow_tunnel_manager_new ();
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->removed_ids = g_ptr_array_new_with_free_func (g_free);
  self->known_hosts_file = burrow_paths_known_hosts_file ();

  g_signal_connect (self->store, "items-changed", G_CALLBACK (on_store_items_changed), self);
  g_signal_connect (self->store, "file-problem", G_CALLBACK (on_store_file_problem), self);
}

/**
 * burrow_engine_new:
 *
 * An engine for the user's connections.ini, on the thread-default main
 * context. Call burrow_engine_load() next.
 */
BurrowEngine *
burrow_engine_new (void)
{
  return g_object_new (BURROW_TYPE_ENGINE, NULL);
}

/**
 * burrow_engine_load:
 *
 * Reads connections.ini (a file that does not parse is moved aside and
 * reported through "file-problem", not here), then follows changes other
 * programs make to it, and starts watching the network and sleep.
 */
gboolean
burrow_engine_load (BurrowEngine  *self,
                    GError       **error)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), FALSE);

  if (!burrow_profile_store_load (self->store, error))
    return FALSE;

  if (!self->loaded)
    {
      self->loaded = TRUE;
      watch_system (self);
    }

  return TRUE;
}

/* (transfer none) */
GListModel *
burrow_engine_get_connections (BurrowEngine *self)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);

  return G_LIST_MODEL (self);
}

/* The listed connection with @id. (transfer none) (nullable) */
BurrowConnection *
burrow_engine_lookup (BurrowEngine *self,
                      const char   *id)
{
  BurrowConnection *connection;

  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  connection = g_hash_table_lookup (self->by_id, id);
  if (connection == NULL || !g_ptr_array_find (self->connections, connection, NULL))
    return NULL;

  return connection;
}

/**
 * burrow_engine_find_by_name:
 *
 * By name first, without regard to case, the way people call them; then
 * by id, for scripts.
 *
 * Returns: (transfer none): the connection, or %NULL with
 *   %BURROW_PROFILE_STORE_ERROR_NOT_FOUND
 */
BurrowConnection *
burrow_engine_find_by_name (BurrowEngine  *self,
                            const char    *name,
                            GError       **error)
{
  BurrowProfile *profile;

  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  profile = burrow_profile_store_find_by_name (self->store, name);
  if (profile == NULL)
    profile = burrow_profile_store_lookup (self->store, name);

  if (profile == NULL)
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
                        _("Run “burrowctl list” to see the connections."),
                        _("There is no connection named “%s”"), name);
      return NULL;
    }

  return burrow_engine_lookup (self, burrow_profile_get_id (profile));
}

/* (transfer none) */
BurrowProfileStore *
burrow_engine_get_store (BurrowEngine *self)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);

  return self->store;
}

const char *
burrow_engine_get_known_hosts_file (BurrowEngine *self)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);

  return self->known_hosts_file;
}

guint
burrow_engine_get_n_running (BurrowEngine *self)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), 0);

  return self->n_running;
}

/**
 * burrow_engine_collect_errors:
 *
 * Returns: (transfer full) (element-type GError): every problem of
 *   @profile (a form's copy), its own and against the other connections,
 *   one per field, for a form to show beside each
 */
GPtrArray *
burrow_engine_collect_errors (BurrowEngine  *self,
                              BurrowProfile *profile)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  return burrow_profile_store_collect_errors (self->store, profile);
}

/* A free local port for @profile that no other connection uses: what
 * "automatic" will choose on save. */
guint16
burrow_engine_suggest_local_port (BurrowEngine  *self,
                                  BurrowProfile *profile)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), 0);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), 0);

  return burrow_profile_store_suggest_local_port (self->store, profile);
}

/* ------------------------------------------------------------------ */
/* The test connection                                                 */
/* ------------------------------------------------------------------ */

static void
on_probe_prepared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowCredentials *credentials = g_task_get_task_data (task);
  GError *error = NULL;

  if (!prepare_credentials_finish (BURROW_ENGINE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, burrow_probe_new (credentials), g_object_unref);
}

void
burrow_engine_prepare_probe_async (BurrowEngine        *self,
                                   BurrowCredentials   *credentials,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_prepare_probe_async);
  g_task_set_task_data (task, g_object_ref (credentials), g_object_unref);

  prepare_credentials_async (self, credentials, cancellable, on_probe_prepared, g_steal_pointer (&task));
}

BurrowProbe *
burrow_engine_prepare_probe_finish (BurrowEngine  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, error);
}

static void
on_test_run (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  burrow_probe_run_finish (BURROW_PROBE (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

static void
on_test_prepared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BurrowProbe) probe = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  probe = burrow_engine_prepare_probe_finish (BURROW_ENGINE (source), result, &error);
  if (probe == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  burrow_probe_run_async (probe, cancellable, on_test_run, g_steal_pointer (&task));
}

/**
 * burrow_engine_test_async:
 *
 * Runs the test connection for @profile with its stored secrets.
 * test_finish() gives the probe whether or not every step passed: a
 * failed step is in the probe, not an error.
 */
void
burrow_engine_test_async (BurrowEngine        *self,
                          BurrowProfile       *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(BurrowCredentials) credentials = NULL;
  GTask *task;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_test_async);

  credentials = burrow_credentials_new (profile);
  burrow_engine_prepare_probe_async (self, credentials, cancellable, on_test_prepared, task);
}

BurrowProbe *
burrow_engine_test_finish (BurrowEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_pointer (self, result, error);
}

/* ------------------------------------------------------------------ */
/* Keyring writes, one after another                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowSecretKind  kind;
  char             *value;   /* NULL: clear the item */
} SecretOp;

typedef struct
{
  char      *id;
  char      *name;
  GArray    *ops;       /* SecretOp, in order */
  guint      next;
  GArray    *written;   /* BurrowSecretKind stored so far */
} SecretOps;

static void
secret_op_clear (SecretOp *op)
{
  g_clear_pointer (&op->value, burrow_secret_wipe_free);
}

static void
secret_ops_free (SecretOps *ops)
{
  g_free (ops->id);
  g_free (ops->name);
  g_array_unref (ops->ops);
  g_array_unref (ops->written);
  g_free (ops);
}

static SecretOps *
secret_ops_new (BurrowProfile *profile)
{
  SecretOps *ops = g_new0 (SecretOps, 1);

  ops->id = g_strdup (burrow_profile_get_id (profile));
  ops->name = g_strdup (burrow_profile_get_name (profile));
  ops->ops = g_array_new (FALSE, TRUE, sizeof (SecretOp));
  g_array_set_clear_func (ops->ops, (GDestroyNotify)secret_op_clear);
  ops->written = g_array_new (FALSE, FALSE, sizeof (BurrowSecretKind));

  return ops;
}

static void
secret_ops_add (SecretOps        *ops,
                BurrowSecretKind  kind,
                const char       *value)
{
  SecretOp op = { kind, g_strdup (value) };

  g_array_append_val (ops->ops, op);
}

static void secret_ops_next (GTask *task);

static void
on_secret_op_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOps *ops = g_task_get_task_data (task);
  SecretOp *op = &g_array_index (ops->ops, SecretOp, ops->next);
  GError *error = NULL;
  gboolean done;

  done = op->value != NULL ? burrow_secret_store_store_finish (result, &error)
                           : burrow_secret_store_clear_finish (result, &error);
  if (!done)
    {
      g_task_return_error (task, error);
      return;
    }

  if (op->value != NULL)
    g_array_append_val (ops->written, op->kind);
  secret_op_clear (op);
  ops->next++;
  secret_ops_next (g_steal_pointer (&task));
}

static void
secret_ops_next (GTask *task)
{
  SecretOps *ops = g_task_get_task_data (task);
  SecretOp *op;

  if (ops->next == ops->ops->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  op = &g_array_index (ops->ops, SecretOp, ops->next);
  if (op->value != NULL)
    burrow_secret_store_store_async (ops->id, ops->name, op->kind, op->value,
                                     g_task_get_cancellable (task), on_secret_op_done, task);
  else
    burrow_secret_store_clear_async (ops->id, op->kind, g_task_get_cancellable (task),
                                     on_secret_op_done, task);
}

/* Runs @ops in order; the first failure stops the rest. Takes @ops. */
static GTask *
secret_ops_run (BurrowEngine        *self,
                SecretOps           *ops,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, secret_ops_run);
  g_task_set_task_data (task, ops, (GDestroyNotify)secret_ops_free);
  secret_ops_next (g_object_ref (task));

  return task;
}

/* ------------------------------------------------------------------ */
/* Saving and removing                                                 */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowCredentials *credentials;
  gboolean           adding;
  char              *old_name;
  gboolean           secrets_given;
  SecretOps         *ops;       /* to write once the file is saved */
  GArray            *written;   /* BurrowSecretKind, for an undo */
  GError            *error;     /* kept while an undo runs */
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->credentials);
  g_free (save->old_name);
  g_clear_pointer (&save->ops, secret_ops_free);
  g_clear_pointer (&save->written, g_array_unref);
  g_clear_error (&save->error);
  g_free (save);
}

/* The secrets typed for @profile that its sign-in uses: each stored, or
 * cleared when given empty. */
static SecretOps *
given_secrets (BurrowCredentials *credentials,
               gboolean          *any)
{
  BurrowProfile *profile = burrow_credentials_get_profile (credentials);
  SecretOps *ops = secret_ops_new (profile);

  *any = FALSE;
  for (BurrowSecretKind kind = 0; kind < N_SECRET_KINDS; kind++)
    {
      const char *value;

      /* Burrow's own key belongs to the workspace, not to a connection. */
      if (kind == BURROW_SECRET_WORKSPACE_KEY || !burrow_credentials_has_secret (credentials, kind) ||
          !burrow_credentials_secret_applies (profile, kind))
        continue;

      value = burrow_credentials_get_secret (credentials, kind);
      secret_ops_add (ops, kind, value != NULL ? value : NULL);
      *any = TRUE;
    }

  return ops;
}

static void
save_done (GTask *task)
{
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  BurrowConnection *connection = burrow_engine_lookup (self, burrow_profile_get_id (profile));

  if (connection == NULL)
    {
      g_task_return_new_error (task, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
                               _("Another program removed the connection as it was saved"));
      return;
    }

  /* New secrets for a running tunnel take effect now; new settings do
   * through the profile's change (on_settings_check). */
  if (save->secrets_given && burrow_connection_get_tunnel (connection) != NULL)
    restart_connection (self, connection);

  g_task_return_pointer (task, g_object_ref (connection), g_object_unref);
}

static void
on_save_relabelled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  if (!burrow_secret_store_relabel_finish (result, &error))
    {
      g_prefix_error (&error, _("“%s” was saved, but its keyring items keep the old name: "),
                      burrow_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  save_done (task);
}

static void
on_save_forgotten (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_prefix_error (&error, _("“%s” was saved, but the keyring was not updated: "),
                      burrow_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  if (!save->adding && g_strcmp0 (save->old_name, burrow_profile_get_name (profile)) != 0)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      burrow_secret_store_relabel_async (burrow_profile_get_id (profile), burrow_profile_get_name (profile),
                                         cancellable, on_save_relabelled, g_steal_pointer (&task));
      return;
    }

  save_done (task);
}

/* The secrets @profile's sign-in no longer uses: forgotten once the file
 * says so, never before (a save that fails would leave the old sign-in
 * without them). */
static void
forget_unused_secrets (BurrowEngine *self,
                       GTask        *task)
{
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  SecretOps *ops = secret_ops_new (profile);
  static const BurrowSecretKind ssh_kinds[] = {
    BURROW_SECRET_SSH_PASSWORD, BURROW_SECRET_PRIVATE_KEY, BURROW_SECRET_KEY_PASSPHRASE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ssh_kinds); i++)
    if (!burrow_credentials_secret_applies (profile, ssh_kinds[i]))
      secret_ops_add (ops, ssh_kinds[i], NULL);

  g_object_unref (secret_ops_run (self, ops, g_task_get_cancellable (task), on_save_forgotten, task));
}

static void
on_save_secrets_stored (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_prefix_error (&error, _("“%s” was saved, but the keyring was not updated: "),
                      burrow_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  forget_unused_secrets (self, g_steal_pointer (&task));
}

static void
on_save_undone (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GError) undo_error = NULL;

  /* The save's own error is the one to tell; an undo that failed too
   * leaves secrets that nothing refers to, which a later save of the same
   * id replaces. */
  if (!g_task_propagate_boolean (G_TASK (result), &undo_error))
    g_debug ("Could not take back the secrets of a connection that was not saved: %s", undo_error->message);

  g_task_return_error (task, g_steal_pointer (&save->error));
}

/* A new connection whose secrets were stored, or partly stored, and whose
 * entry could not be written: the secrets go again. */
static void
undo_new_secrets (BurrowEngine *self,
                  GTask        *task,
                  GArray       *written,
                  GError       *error)
{
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = secret_ops_new (burrow_credentials_get_profile (save->credentials));

  save->error = error;
  for (guint i = 0; written != NULL && i < written->len; i++)
    secret_ops_add (ops, g_array_index (written, BurrowSecretKind, i), NULL);

  /* Not cancellable: a cancelled save must not leave half its secrets. */
  g_object_unref (secret_ops_run (self, ops, NULL, on_save_undone, task));
}

static void
on_new_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      undo_new_secrets (self, g_steal_pointer (&task), save->written, error);
      return;
    }

  save_done (task);
}

static void
on_new_secrets_stored (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = g_task_get_task_data (G_TASK (result));
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  save->written = g_array_ref (ops->written);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      undo_new_secrets (self, g_steal_pointer (&task), save->written, error);
      return;
    }

  /* Not cancellable from here: the secrets are in, the entry must follow
   * or they must go again. */
  burrow_profile_store_save_async (self->store, profile, NULL, on_new_saved, g_steal_pointer (&task));
}

static void
on_existing_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = g_steal_pointer (&save->ops);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      secret_ops_free (ops);
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_object_unref (secret_ops_run (self, ops, cancellable, on_save_secrets_stored, g_steal_pointer (&task)));
}

/**
 * burrow_engine_save_async:
 *
 * What `burrowctl add` and `edit` do: checks the profile against the
 * others, then writes it and its secrets in the order that loses nothing
 * when one of them fails, forgets the secrets the sign-in no longer
 * uses, and relabels the keyring's items after a rename.
 */
void
burrow_engine_save_async (BurrowEngine        *self,
                          BurrowCredentials   *credentials,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BurrowProfile *profile;
  BurrowProfile *existing;
  SecretOps *ops;
  GError *error = NULL;
  Save *save;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_save_async);

  profile = burrow_credentials_get_profile (credentials);
  existing = burrow_profile_store_lookup (self->store, burrow_profile_get_id (profile));

  save = g_new0 (Save, 1);
  save->credentials = g_object_ref (credentials);
  save->adding = existing == NULL;
  save->old_name = existing != NULL ? g_strdup (burrow_profile_get_name (existing)) : NULL;
  g_task_set_task_data (task, save, (GDestroyNotify)save_free);

  /* Checked before anything is written, so that a refused connection
   * leaves no secret behind. */
  if (!burrow_profile_store_check (self->store, profile, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ops = given_secrets (credentials, &save->secrets_given);

  if (save->adding)
    {
      g_object_unref (secret_ops_run (self, ops, cancellable, on_new_secrets_stored, g_steal_pointer (&task)));
      return;
    }

  save->ops = ops;
  burrow_profile_store_save_async (self->store, profile, cancellable, on_existing_saved, g_steal_pointer (&task));
}

/* Returns: (transfer full): the saved connection, as listed */
BurrowConnection *
burrow_engine_save_finish (BurrowEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_pointer (self, result, error);
}

static void
on_removed_secrets_cleared (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_secret_store_clear_all_finish (result, &error))
    {
      g_prefix_error (&error, _("“%s” was removed, but its secrets are still in the keyring: "),
                      (const char *)g_object_get_data (G_OBJECT (task), "burrow-name"));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_profile_store_remove_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The entry first: a keyring that fails then leaves secrets nothing
   * refers to, and the error says so; never an entry without them. */
  if (g_task_get_task_data (task) != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      const char *id = g_task_get_task_data (task);

      burrow_secret_store_clear_all_async (id, cancellable, on_removed_secrets_cleared, g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * burrow_engine_remove_async:
 *
 * Stops @connection, removes it from connections.ini and, unless
 * @flags keep them for an undo, its secrets from the keyring.
 */
void
burrow_engine_remove_async (BurrowEngine            *self,
                            BurrowConnection        *connection,
                            BurrowEngineRemoveFlags  flags,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_remove_async);

  id = g_strdup (burrow_connection_get_id (connection));
  stop_connection (self, connection);

  if ((flags & BURROW_ENGINE_REMOVE_KEEP_SECRETS) == 0)
    g_task_set_task_data (task, g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (task), "burrow-name", g_strdup (burrow_connection_get_name (connection)), g_free);

  burrow_profile_store_remove_async (self->store, id, cancellable, on_removed, g_steal_pointer (&task));
}

gboolean
burrow_engine_remove_finish (BurrowEngine  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_boolean (self, result, error);
}

static void
on_secrets_forgotten (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_secret_store_clear_all_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Ends what a remove with KEEP_SECRETS kept: every secret of the
 * connection with @connection_id. */
void
burrow_engine_forget_secrets_async (BurrowEngine        *self,
                                    const char          *connection_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_forget_secrets_async);

  burrow_secret_store_clear_all_async (connection_id, cancellable, on_secrets_forgotten, g_steal_pointer (&task));
}

gboolean
burrow_engine_forget_secrets_finish (BurrowEngine  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_boolean (self, result, error);
}

/* ------------------------------------------------------------------ */
/* Host keys                                                           */
/* ------------------------------------------------------------------ */

static void
trust_host_key_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;

  if (!burrow_host_key_trust (task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * burrow_engine_trust_host_key_async:
 *
 * Records @host_key (once a person compared its fingerprint) in its
 * known_hosts file. A changed or revoked key is refused.
 */
void
burrow_engine_trust_host_key_async (BurrowEngine        *self,
                                    BurrowHostKey       *host_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_HOST_KEY (host_key));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_trust_host_key_async);
  g_task_set_task_data (task, g_object_ref (host_key), g_object_unref);
  g_task_run_in_thread (task, trust_host_key_thread);
}

gboolean
burrow_engine_trust_host_key_finish (BurrowEngine  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_boolean (self, result, error);
}

typedef struct
{
  char    *host;
  guint16  port;
  char    *file;
} ForgetHostKey;

static void
forget_host_key_free (ForgetHostKey *forget)
{
  g_free (forget->host);
  g_free (forget->file);
  g_free (forget);
}

static void
forget_host_key_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ForgetHostKey *forget = task_data;
  GError *error = NULL;

  if (!burrow_host_keys_forget (forget->file, forget->host, forget->port, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * burrow_engine_forget_host_key_async:
 *
 * Removes what Burrow's own known_hosts records for @host port @port, so
 * that a key the bastion's administrator says was replaced can be trusted
 * anew. ~/.ssh/known_hosts is never written.
 */
void
burrow_engine_forget_host_key_async (BurrowEngine        *self,
                                     const char          *host,
                                     guint16              port,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ForgetHostKey *forget;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_forget_host_key_async);

  forget = g_new0 (ForgetHostKey, 1);
  forget->host = g_strdup (host);
  forget->port = port;
  forget->file = g_strdup (self->known_hosts_file);
  g_task_set_task_data (task, forget, (GDestroyNotify)forget_host_key_free);
  g_task_run_in_thread (task, forget_host_key_thread);
}

gboolean
burrow_engine_forget_host_key_finish (BurrowEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, error);
}

/* trust_async: one pass per hop at most, each of which may record one
 * more key. */
typedef struct
{
  BurrowConnection  *connection;
  BurrowCredentials *credentials;
  BurrowSshChain    *chain;
  gulong             state_handler;
  GPtrArray         *sessions;
  guint              pass;
  BurrowQuestion    *question;
  BurrowHostKey     *host_key;
} Trust;

static void
trust_free (Trust *trust)
{
  g_clear_object (&trust->connection);
  g_clear_object (&trust->credentials);
  g_clear_object (&trust->chain);
  g_clear_pointer (&trust->sessions, g_ptr_array_unref);
  g_clear_object (&trust->question);
  g_clear_object (&trust->host_key);
  g_free (trust);
}

static void trust_pass (GTask *task);

static void
on_trust_recorded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Trust *trust = g_task_get_task_data (task);
  GError *error = NULL;

  if (!burrow_engine_trust_host_key_finish (BURROW_ENGINE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  trust->pass++;
  trust_pass (g_steal_pointer (&task));
}

static void
on_trust_answered (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Trust *trust = g_task_get_task_data (task);
  g_autofree char *address = burrow_host_key_dup_address (trust->host_key);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  char *answer;

  answer = burrow_question_wait_finish (BURROW_QUESTION (source), result, &error);
  burrow_secret_wipe_free (answer);
  if (error != NULL)
    {
      g_autofree char *command = burrow_host_key_dup_check_command (trust->host_key);
      g_autofree char *hint =
        g_strdup_printf (_("Compare it with what “%s” prints on the bastion, then trust it."), command);
      GError *refused = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      burrow_set_error (&refused, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN, hint,
                        _("The host key of %s was not recorded"), address);
      g_task_return_error (task, refused);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  burrow_engine_trust_host_key_async (self, trust->host_key, cancellable, on_trust_recorded,
                                      g_steal_pointer (&task));
}

static gboolean
on_trust_settled (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Trust *trust = g_task_get_task_data (task);
  g_autoptr(BurrowSshChain) chain = g_steal_pointer (&trust->chain);
  BurrowSshChainState state = burrow_ssh_chain_get_state (chain);
  g_autoptr(GError) error = NULL;
  BurrowSshSession *last;

  if (burrow_ssh_chain_get_error (chain) != NULL)
    error = g_error_copy (burrow_ssh_chain_get_error (chain));
  burrow_ssh_chain_release (chain);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  last = trust->sessions->len > 0 ? g_ptr_array_index (trust->sessions, trust->sessions->len - 1) : NULL;

  /* Every hop's key is known once the last hop checked its own; signing
   * in may still fail, which the test connection explains. */
  if (state == BURROW_SSH_CHAIN_UP ||
      (last != NULL && trust->sessions->len == burrow_ssh_chain_get_n_hops (chain) &&
       burrow_ssh_session_get_phase_time (last, BURROW_SSH_PHASE_HOST_KEY_CHECKED) != 0))
    {
      g_task_return_boolean (task, TRUE);
      return G_SOURCE_REMOVE;
    }

  if (!g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN) || last == NULL ||
      burrow_ssh_session_get_host_key (last) == NULL || trust->pass > burrow_ssh_chain_get_n_hops (chain))
    {
      if (error == NULL)
        burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                          _("Run the test connection to see where it stops."),
                          _("Could not reach the bastion to read its host key"));
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  g_set_object (&trust->host_key, burrow_ssh_session_get_host_key (last));
  g_clear_object (&trust->question);
  trust->question = burrow_question_new_for_host_key (trust->host_key);
  burrow_question_wait_async (trust->question, g_task_get_cancellable (task), on_trust_answered,
                              g_object_ref (task));
  emit_ask (self, trust->question, burrow_connection_get_profile (trust->connection));

  return G_SOURCE_REMOVE;
}

static void
on_trust_chain_state (BurrowSshChain *chain,
                      GParamSpec     *pspec,
                      gpointer        user_data)
{
  GTask *task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Trust *trust = g_task_get_task_data (task);
  BurrowSshChainState state = burrow_ssh_chain_get_state (chain);

  if (state != BURROW_SSH_CHAIN_UP && state != BURROW_SSH_CHAIN_RECONNECTING &&
      state != BURROW_SSH_CHAIN_FAILED)
    return;

  /* Let go of the chain outside its own state change, and before it
   * schedules a retry. */
  g_clear_signal_handler (&trust->state_handler, chain);
  burrow_source_attach (self->context, g_idle_source_new (), on_trust_settled, task);
}

/* Takes @task: its reference stays with the chain's handler until the
 * chain settles. */
static void
trust_pass (GTask *task)
{
  Trust *trust = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  trust->chain = burrow_credentials_build_chain (trust->credentials, &error);
  if (trust->chain == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_ptr_array_set_size (trust->sessions, 0);
  watch_chain (trust->chain, trust->sessions);
  trust->state_handler = g_signal_connect (trust->chain, "notify::state",
                                           G_CALLBACK (on_trust_chain_state), task);
  burrow_ssh_chain_hold (trust->chain);
}

static void
on_trust_prepared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!prepare_credentials_finish (BURROW_ENGINE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  trust_pass (g_steal_pointer (&task));
}

/**
 * burrow_engine_trust_async:
 *
 * Connects to @connection's jump hosts and bastion in turn and asks
 * ("ask", %BURROW_QUESTION_HOST_KEY) about each host key not recorded
 * yet, recording it when answered. Finishes %TRUE once every hop's key is
 * recorded, whether or not signing in would work; a changed key is an
 * error, and is never replaced here.
 */
void
burrow_engine_trust_async (BurrowEngine        *self,
                           BurrowConnection    *connection,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Trust *trust;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_trust_async);

  trust = g_new0 (Trust, 1);
  trust->connection = g_object_ref (connection);
  trust->credentials = burrow_credentials_new (burrow_connection_get_profile (connection));
  trust->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, trust, (GDestroyNotify)trust_free);

  prepare_credentials_async (self, trust->credentials, cancellable, on_trust_prepared, g_steal_pointer (&task));
}

gboolean
burrow_engine_trust_finish (BurrowEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_boolean (self, result, error);
}

/* ------------------------------------------------------------------ */
/* ~/.ssh/config                                                       */
/* ------------------------------------------------------------------ */

static void
read_ssh_config_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify)burrow_ssh_config_host_free);
  g_auto(GStrv) aliases = NULL;
  GError *error = NULL;

  aliases = burrow_ssh_config_list_hosts (path, &error);
  if (aliases == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; aliases[i] != NULL; i++)
    {
      g_autoptr(GError) entry_error = NULL;
      BurrowSshConfigHost *host = burrow_ssh_config_resolve (path, aliases[i], &entry_error);

      /* One entry libssh cannot resolve does not hide the others. */
      if (host == NULL)
        {
          g_debug ("Skipping Host %s: %s", aliases[i], entry_error->message);
          continue;
        }
      g_ptr_array_add (hosts, host);
    }

  g_task_return_pointer (task, g_steal_pointer (&hosts), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * burrow_engine_read_ssh_config_async:
 * @path: (nullable): the file; %NULL for ~/.ssh/config
 *
 * Reads the Host entries (patterns skipped, Include followed) as libssh
 * resolves them, in a worker thread.
 */
void
burrow_engine_read_ssh_config_async (BurrowEngine        *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_read_ssh_config_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_ssh_config_thread);
}

/* Returns: (transfer full) (element-type BurrowSshConfigHost) */
GPtrArray *
burrow_engine_read_ssh_config_finish (BurrowEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, error);
}

static void
on_imported_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  BurrowConnection *connection;

  connection = burrow_engine_save_finish (BURROW_ENGINE (source), result, &error);
  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

/* The name of a new connection made from an alias: the alias, numbered
 * when a connection has it already. */
static char *
free_name (BurrowEngine *self,
           const char   *alias)
{
  char *name = g_strdup (alias);

  for (guint n = 2; burrow_profile_store_find_by_name (self->store, name) != NULL; n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %u", alias, n);
    }

  return name;
}

/**
 * burrow_engine_import_ssh_host_async:
 * @into: (nullable): the connection whose tunnel to set; %NULL makes a new
 *   connection named after the alias, to a database on the bastion itself
 *
 * Saves the tunnel settings of @host (bastion, port, user, key file, jump
 * hosts) into a connection, as a save does: the secrets the new sign-in
 * method does not use are forgotten. An entry with a ProxyCommand is
 * refused: Burrow does not run commands.
 */
void
burrow_engine_import_ssh_host_async (BurrowEngine              *self,
                                     const BurrowSshConfigHost *host,
                                     BurrowConnection          *into,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (into == NULL || BURROW_IS_CONNECTION (into));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_import_ssh_host_async);

  /* Applying the rest would make a tunnel that skips the proxy and
   * fails, or worse, reaches the bastion some other way. */
  if (host->proxy_command != NULL)
    {
      GError *error = NULL;

      burrow_set_error (&error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                        _("Burrow does not run commands to reach a host. Use ProxyJump in that entry "
                          "if the proxy is an SSH host, or set the connection’s tunnel by hand."),
                        _("“%s” reaches its host through a ProxyCommand (%s)"), host->alias, host->proxy_command);
      g_task_return_error (task, error);
      return;
    }

  if (into != NULL)
    profile = burrow_profile_copy (burrow_connection_get_profile (into), FALSE);
  else
    {
      g_autofree char *name = free_name (self, host->alias);

      profile = burrow_profile_new ();
      burrow_profile_set_name (profile, name);
      burrow_profile_set_db_host (profile, "localhost");
    }

  burrow_ssh_config_host_apply (host, profile);
  credentials = burrow_credentials_new (profile);
  burrow_engine_save_async (self, credentials, cancellable, on_imported_saved, g_steal_pointer (&task));
}

/* Returns: (transfer full): the connection, as listed */
BurrowConnection *
burrow_engine_import_ssh_host_finish (BurrowEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, error);
}
