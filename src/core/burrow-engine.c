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
 * This file holds the object, its list, the questions it passes on and
 * what every operation needs to sign in (Burrow's own key, credentials
 * filled from the keyring); the operations live in burrow-engine-*.c
 * (see burrow-engine-private.h).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"
#include "burrow-paths.h"
#include "burrow-source.h"

static void burrow_engine_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BurrowEngine, burrow_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, burrow_engine_list_model_init))

enum {
  PROP_0,
  PROP_N_RUNNING,
  PROP_IO_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ASK,
  SIGNAL_FILE_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What every _finish() of the engine does. */
gboolean
burrow_engine_finish_boolean (BurrowEngine  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
burrow_engine_finish_pointer (BurrowEngine  *self,
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

void
burrow_engine_update_n_running (BurrowEngine *self)
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
  burrow_engine_update_n_running (user_data);
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
      burrow_engine_restart_connection (self, connection);
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
  burrow_engine_apply_running (self, connection);

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
          burrow_engine_stop_connection (self, connection);
        }
    }

  burrow_engine_update_n_running (self);

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
  burrow_engine_update_n_running (self);
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

void
burrow_engine_emit_ask (BurrowEngine   *self,
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

  burrow_engine_emit_ask (self, question, context->profile);
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
  return burrow_engine_finish_pointer (self, result, error);
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
void
burrow_engine_prepare_credentials_async (BurrowEngine        *self,
                                         BurrowCredentials   *credentials,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  BurrowProfile *profile = burrow_credentials_get_profile (credentials);

  g_task_set_source_tag (task, burrow_engine_prepare_credentials_async);
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

gboolean
burrow_engine_prepare_credentials_finish (BurrowEngine  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
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
          burrow_engine_stop_connection (self, connection);
          g_signal_handlers_disconnect_by_data (connection, self);
          g_signal_handlers_disconnect_by_data (burrow_connection_get_profile (connection), self);
        }
    }

  if (self->tunnels != NULL)
    burrow_tunnel_manager_stop_all (self->tunnels);

  burrow_source_clear (self->context, &self->removed_source);
  burrow_source_clear (self->context, &self->settings_source);

  burrow_engine_unwatch_system (self);
  burrow_engine_unwatch_running (self);

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
  burrow_engine_finalize_running (self);
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
    case PROP_IO_PRIORITY:
      g_value_set_int (value, burrow_engine_get_io_priority (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_engine_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BurrowEngine *self = BURROW_ENGINE (object);

  switch (prop_id)
    {
    case PROP_IO_PRIORITY:
      burrow_engine_set_io_priority (self, g_value_get_int (value));
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
  object_class->set_property = burrow_engine_set_property;

  /* How many connections are up or on their way up. */
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The main-loop priority of the tunnels' I/O: see burrow_engine_set_io_priority(). */
  properties[PROP_IO_PRIORITY] =
    g_param_spec_int ("io-priority", NULL, NULL, G_MININT, G_MAXINT, G_PRIORITY_DEFAULT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  burrow_engine_init_running (self);

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
      burrow_engine_watch_system (self);
      burrow_engine_watch_running (self);
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
 * burrow_engine_set_io_priority:
 * @priority: a main-loop priority; %G_PRIORITY_DEFAULT unless set
 *
 * The priority, on the engine's main context, of the sources that run for
 * every byte a tunnel moves: the SSH sockets, the local listeners and the
 * channel pumps. Under bulk traffic they are ready at every pass of the
 * loop, and GLib dispatches only the most urgent sources that are ready:
 * a program whose loop has other work that must not wait (a window's
 * drawing) puts them below that work. It applies at once, to running
 * tunnels too; test connections keep the default.
 */
void
burrow_engine_set_io_priority (BurrowEngine *self,
                               int           priority)
{
  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (self->tunnels != NULL);

  if (priority == burrow_tunnel_manager_get_io_priority (self->tunnels))
    return;

  burrow_tunnel_manager_set_io_priority (self->tunnels, priority);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IO_PRIORITY]);
}

int
burrow_engine_get_io_priority (BurrowEngine *self)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (self), G_PRIORITY_DEFAULT);

  return self->tunnels != NULL ? burrow_tunnel_manager_get_io_priority (self->tunnels) : G_PRIORITY_DEFAULT;
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
