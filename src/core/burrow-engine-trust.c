/* burrow-engine-trust.c — the engine's host keys: record one, forget one,
 * and trust a connection's hops one after another.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys are written in GTask threads (a known_hosts file is small, but a
 * disk may be slow). trust_async() connects hop by hop with the
 * connection's own credentials and asks through "ask" about each key not
 * recorded yet; a changed key is never replaced here.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"
#include "burrow-host-keys.h"
#include "burrow-source.h"
#include "burrow-ssh-error.h"

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
  return burrow_engine_finish_boolean (self, result, error);
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
  return burrow_engine_finish_boolean (self, result, error);
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
  GError            *sign_in_error;   /* once every key is known */
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
  g_clear_error (&trust->sign_in_error);
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
   * in may still fail, which is kept for the caller to mention and the
   * test connection explains. */
  if (state == BURROW_SSH_CHAIN_UP ||
      (last != NULL && trust->sessions->len == burrow_ssh_chain_get_n_hops (chain) &&
       burrow_ssh_session_get_phase_time (last, BURROW_SSH_PHASE_HOST_KEY_CHECKED) != 0))
    {
      if (state != BURROW_SSH_CHAIN_UP)
        trust->sign_in_error = g_steal_pointer (&error);
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
  burrow_engine_emit_ask (self, trust->question, burrow_connection_get_profile (trust->connection));

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
  burrow_engine_watch_chain (trust->chain, trust->sessions);
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

  if (!burrow_engine_prepare_credentials_finish (BURROW_ENGINE (source), result, &error))
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

  burrow_engine_prepare_credentials_async (self, trust->credentials, cancellable, on_trust_prepared, g_steal_pointer (&task));
}

gboolean
burrow_engine_trust_finish (BurrowEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}

/**
 * burrow_engine_trust_get_sign_in_error:
 * @result: the result trust_finish() was given
 *
 * Returns: (nullable) (transfer none): why signing in failed after every
 *   host key was known (a trust that finished %TRUE reads the keys, it
 *   does not need the sign-in to work), or %NULL when it worked
 */
const GError *
burrow_engine_trust_get_sign_in_error (BurrowEngine *self,
                                       GAsyncResult *result)
{
  Trust *trust;

  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == burrow_engine_trust_async, NULL);

  trust = g_task_get_task_data (G_TASK (result));
  return trust->sign_in_error;
}
