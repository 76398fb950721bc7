/* burrow-ssh-session-sign-in.c — signing in: keys, ssh-agent, passwords, prompts.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After "none" told which methods the server takes, the session signs in
 * the way its BurrowSshAuth says. What may block or take long runs in a
 * worker thread: the key is read and decrypted while TCP and the key
 * exchange go on, ssh-agent is asked how many keys it has, and libssh's
 * own agent sign-in (blocking reads, no time limit) runs there too while
 * the loop leaves the libssh session alone.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-agent.h"
#include "burrow-ssh-key.h"
#include "burrow-ssh-session-private.h"

/* A PAM stack that keeps asking is not going to accept the password. */
#define MAX_KBDINT_ROUNDS 4

/* What a worker thread prepares while TCP and the handshake go on: the
 * decrypted private key, or a first word with ssh-agent. */
typedef struct
{
  gboolean  agent;
  char     *agent_socket;
  char     *path;
  char     *text;
  char     *passphrase;
} Preparation;

typedef struct
{
  ssh_key key;
  guint   agent_keys;
  int     agent_fd;     /* the connection the probe used, for libssh */
} Prepared;

static void
preparation_free (Preparation *prep)
{
  g_free (prep->agent_socket);
  g_free (prep->path);
  g_clear_pointer (&prep->text, burrow_secret_wipe_free);
  g_clear_pointer (&prep->passphrase, burrow_secret_wipe_free);
  g_free (prep);
}

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->key, ssh_key_free);
  if (prepared->agent_fd >= 0)
    close (prepared->agent_fd);
  g_free (prepared);
}

static char *
describe_methods (guint methods)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (methods & SSH_AUTH_METHOD_PUBLICKEY)
    g_ptr_array_add (names, (char *)"publickey");
  if (methods & SSH_AUTH_METHOD_PASSWORD)
    g_ptr_array_add (names, (char *)"password");
  if (methods & SSH_AUTH_METHOD_INTERACTIVE)
    g_ptr_array_add (names, (char *)"keyboard-interactive");
  if (methods & SSH_AUTH_METHOD_HOSTBASED)
    g_ptr_array_add (names, (char *)"hostbased");
  if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
    g_ptr_array_add (names, (char *)"gssapi-with-mic");

  if (names->len == 0)
    return g_strdup (_("nothing"));

  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **)names->pdata);
}

const char *
burrow_ssh_session_describe_auth_method (BurrowSshAuthMethod method)
{
  switch (method)
    {
    case BURROW_SSH_AUTH_KEY_FILE:
    case BURROW_SSH_AUTH_PRIVATE_KEY:
      return _("public key");
    case BURROW_SSH_AUTH_AGENT:
      return _("the keys in ssh-agent");
    case BURROW_SSH_AUTH_PASSWORD:
    default:
      return _("password");
    }
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Preparation *prep = task_data;
  Prepared *prepared = g_new0 (Prepared, 1);
  GError *error = NULL;

  prepared->agent_fd = -1;
  if (prep->agent)
    {
      if (!burrow_ssh_agent_probe (prep->agent_socket, &prepared->agent_keys, &prepared->agent_fd, &error))
        {
          prepared_free (prepared);
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      prepared->key = burrow_ssh_key_load (prep->path, prep->text, prep->passphrase, &error);
      if (prepared->key == NULL)
        {
          prepared_free (prepared);
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, prepared, (GDestroyNotify)prepared_free);
}

/* Callbacks */

static void
on_prepared (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (source_object);
  GError *error = NULL;
  Prepared *prepared;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  self->preparing = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->state == BURROW_SSH_STATE_DEAD || self->state == BURROW_SSH_STATE_CLOSED)
    {
      g_clear_error (&error);
      g_clear_pointer (&prepared, prepared_free);
      return;
    }

  self->prep_error = error;
  if (prepared != NULL)
    {
      self->key = g_steal_pointer (&prepared->key);
      self->agent_keys = prepared->agent_keys;
      self->agent_fd = prepared->agent_fd;
      prepared->agent_fd = -1;
      prepared_free (prepared);
    }

  if (self->step == STEP_AUTH_KEY || self->step == STEP_AUTH_AGENT)
    burrow_ssh_session_advance (self);
}

static const char *
stored_password (BurrowSshSession *self)
{
  const char *password = self->auth != NULL ? burrow_ssh_auth_get_secret (self->auth) : NULL;

  return password != NULL ? password : "";
}

/* After "none" was refused, picks the step for the configured method. */
static BurrowSshStep
first_auth_step (BurrowSshSession *self)
{
  switch (self->auth_method)
    {
    case BURROW_SSH_AUTH_KEY_FILE:
    case BURROW_SSH_AUTH_PRIVATE_KEY:
      return STEP_AUTH_KEY;
    case BURROW_SSH_AUTH_AGENT:
      return STEP_AUTH_AGENT;
    case BURROW_SSH_AUTH_PASSWORD:
    default:
      if (self->offered_methods & SSH_AUTH_METHOD_PASSWORD)
        return STEP_AUTH_PASSWORD;
      return STEP_AUTH_KBDINT;
    }
}

static void
fail_not_offered (BurrowSshSession *self)
{
  g_autofree char *offered = describe_methods (self->offered_methods);

  burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                _("Choose a sign-in method the bastion accepts, or ask its administrator to enable this one."),
                                _("%s does not accept sign-in with %s for %s (it offers: %s)"),
                                self->host, burrow_ssh_session_describe_auth_method (self->auth_method), self->user, offered);
}

static void
fail_denied (BurrowSshSession *self,
             const char       *tried,
             gboolean          partial)
{
  g_autofree char *offered = NULL;

  self->offered_methods = ssh_userauth_list (self->ssh, NULL);
  offered = describe_methods (self->offered_methods);

  if (partial)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                  _("The bastion asks for more than one method; Burrow signs in with one."),
                                  _("%s accepted the %s for %s but requires another method as well (it offers: %s)"),
                                  self->host, tried, self->user, offered);
  else if (self->auth_method == BURROW_SSH_AUTH_PASSWORD)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                  _("Check the user name and the password."),
                                  _("%s refused the %s for %s (it offers: %s)"),
                                  self->host, tried, self->user, offered);
  else
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                  _("Add the public key to ~/.ssh/authorized_keys of this user on the bastion, and check the user name."),
                                  _("%s refused the %s for %s (it offers: %s)"),
                                  self->host, tried, self->user, offered);
}

/* Handles what an auth call answered; TRUE when the step is over. */
static gboolean
handle_auth_result (BurrowSshSession *self,
                    int               rc,
                    const char       *tried)
{
  switch (rc)
    {
    case SSH_AUTH_AGAIN:
      return FALSE;
    case SSH_AUTH_SUCCESS:
      burrow_ssh_session_become_ready (self);
      return TRUE;
    case SSH_AUTH_DENIED:
      fail_denied (self, tried, FALSE);
      return TRUE;
    case SSH_AUTH_PARTIAL:
      fail_denied (self, tried, TRUE);
      return TRUE;
    case SSH_AUTH_ERROR:
    default:
      burrow_ssh_session_fail_libssh (self, _("authentication"));
      return TRUE;
    }
}

static void
agent_step_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BurrowSshSession *self = source_object;

  g_task_return_int (task, ssh_userauth_agent (self->ssh, NULL));
}

static void
on_agent_step_done (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (source_object);
  g_autofree char *tried = NULL;
  int rc = g_task_propagate_int (G_TASK (result), NULL);

  self->agent_busy = FALSE;
  if (self->state != BURROW_SSH_STATE_AUTHENTICATING)
    return;   /* timed out, cancelled or closed meanwhile */

  g_main_context_wakeup (self->context);   /* watch the socket again */

  /* As in on_socket_ready(): a server that hung up leaves libssh
   * answering SSH_AGAIN. */
  if (rc == SSH_AUTH_AGAIN)
    {
      if (burrow_ssh_session_is_gone (self))
        burrow_ssh_session_fail_setup_lost (self);
      return;
    }

  tried = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the key in ssh-agent",
                                        "the %u keys in ssh-agent", self->agent_keys),
                           self->agent_keys);

  /* libssh answers a signature the agent refused or never gave (the
   * user said no, the agent went away) with SSH_AUTH_ERROR and "Out of
   * memory"; a server that hung up is told apart by the socket. */
  if (rc == SSH_AUTH_ERROR && !burrow_ssh_session_is_gone (self))
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AGENT,
                                  _("If the key asks for a confirmation (ssh-add -c) or a PIN, accept it when asked; otherwise restart ssh-agent or choose another sign-in method."),
                                  _("ssh-agent did not sign with %s for %s"), tried, self->host);
  else
    handle_auth_result (self, rc, tried);
}

/* One ssh_userauth_agent() call, in a worker thread: libssh waits for the
 * agent with blocking reads and no time limit, and an agent that asks the
 * user first (ssh-add -c, a hardware key's PIN) would freeze the loop and
 * every tunnel on it. Meanwhile the loop leaves the libssh session alone
 * (the socket source watches nothing and dispatches nothing), and the
 * connect timeout, a close or a cancel ends the wait (burrow_ssh_session_stop_sign_in()). */
static void
start_agent_step (BurrowSshSession *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->agent_busy)
    return;   /* on_agent_step_done() comes back */

  if (!self->agent_fd_given && self->agent_fd >= 0)
    {
      /* libssh now owns the probe's connection, and closes it in ssh_free(). */
      ssh_set_agent_socket (self->ssh, self->agent_fd);
      self->agent_fd_given = TRUE;
    }

  self->agent_busy = TRUE;
  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, NULL, on_agent_step_done, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, start_agent_step);
  g_task_run_in_thread (task, agent_step_thread);
}

/* Whether public-key sign-in (a key, or the agent's) can go ahead: the
 * server takes public keys and the worker thread finished without error.
 * FALSE when the session failed, or when on_prepared() will come back. */
static gboolean
auth_prepared (BurrowSshSession *self)
{
  if (!(self->offered_methods & SSH_AUTH_METHOD_PUBLICKEY))
    {
      fail_not_offered (self);
      return FALSE;
    }
  if (self->preparing)
    return FALSE;
  if (self->prep_error != NULL)
    {
      burrow_ssh_session_fail (self, g_steal_pointer (&self->prep_error));
      return FALSE;
    }

  return TRUE;
}

/* The sign-in part of the connect state machine: from "none" on, calls the
 * current step until libssh answers SSH_AGAIN, the session is ready, or it
 * failed. */
void
burrow_ssh_session_advance_sign_in (BurrowSshSession *self)
{
  for (;;)
    {
      int rc;

      switch (self->step)
        {
        case STEP_AUTH_NONE:
          /* "none" gives the list of methods the server accepts. */
          rc = ssh_userauth_none (self->ssh, NULL);
          if (rc == SSH_AUTH_AGAIN)
            return;
          if (rc == SSH_AUTH_SUCCESS)
            {
              burrow_ssh_session_become_ready (self);
              return;
            }
          if (rc == SSH_AUTH_ERROR)
            {
              burrow_ssh_session_fail_libssh (self, _("authentication"));
              return;
            }
          self->offered_methods = ssh_userauth_list (self->ssh, NULL);
          self->step = first_auth_step (self);
          break;

        case STEP_AUTH_KEY:
          if (!auth_prepared (self))
            return;
          if (self->key == NULL)
            {
              burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_KEY_INVALID,
                                            _("Choose a private key for this connection."),
                                            _("No private key was given"));
              return;
            }
          rc = ssh_userauth_publickey (self->ssh, NULL, self->key);
          {
            g_autofree char *tried = g_strdup_printf (_("%s key"), ssh_key_type_to_char (ssh_key_type (self->key)));

            handle_auth_result (self, rc, tried);
          }
          return;

        case STEP_AUTH_AGENT:
          if (!auth_prepared (self))
            return;
          if (self->agent_keys == 0)
            {
              burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AGENT,
                                            _("Add your key to the agent with ssh-add, or choose another sign-in method."),
                                            _("ssh-agent holds no keys"));
              return;
            }
          start_agent_step (self);
          return;

        case STEP_AUTH_PASSWORD:
          rc = ssh_userauth_password (self->ssh, NULL, stored_password (self));
          handle_auth_result (self, rc, _("password"));
          return;

        case STEP_AUTH_KBDINT:
          if (!(self->offered_methods & SSH_AUTH_METHOD_INTERACTIVE))
            {
              fail_not_offered (self);
              return;
            }
          rc = ssh_userauth_kbdint (self->ssh, NULL, NULL);
          if (rc == SSH_AUTH_INFO)
            {
              int prompts = ssh_userauth_kbdint_getnprompts (self->ssh);

              if (++self->kbdint_rounds > MAX_KBDINT_ROUNDS)
                {
                  fail_denied (self, _("password (keyboard-interactive)"), FALSE);
                  return;
                }
              /* Every prompt is answered with the password: a server that
               * wants anything else (a one-time code) needs a terminal. */
              for (int i = 0; i < prompts; i++)
                ssh_userauth_kbdint_setanswer (self->ssh, i, stored_password (self));
              break;
            }
          handle_auth_result (self, rc, _("password (keyboard-interactive)"));
          return;

        case STEP_NONE:
        case STEP_KEY_EXCHANGE:
        case STEP_DONE:
        default:
          return;
        }
    }
}

/* The key is decrypted, or the agent asked, while TCP and the handshake
 * go on. */
void
burrow_ssh_session_prepare_sign_in (BurrowSshSession *self)
{
  g_autoptr(GTask) prep_task = NULL;
  Preparation *prep;

  if (self->auth_method == BURROW_SSH_AUTH_PASSWORD)
    return;

  prep = g_new0 (Preparation, 1);
  prep->agent = self->auth_method == BURROW_SSH_AUTH_AGENT;
  prep->agent_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  prep->path = g_strdup (burrow_ssh_auth_get_key_file (self->auth));
  prep->text = g_strdup (burrow_ssh_auth_get_private_key (self->auth));
  prep->passphrase = g_strdup (burrow_ssh_auth_get_secret (self->auth));

  self->prep_cancellable = g_cancellable_new ();
  self->preparing = TRUE;
  g_main_context_push_thread_default (self->context);
  prep_task = g_task_new (self, self->prep_cancellable, on_prepared, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (prep_task, prepare_thread);
  g_task_set_task_data (prep_task, prep, (GDestroyNotify)preparation_free);
  g_task_run_in_thread (prep_task, prepare_thread);
}

/* The session ends: workers are told to stop. */
void
burrow_ssh_session_stop_sign_in (BurrowSshSession *self)
{
  if (self->prep_cancellable != NULL)
    g_cancellable_cancel (self->prep_cancellable);

  /* A worker waiting on ssh-agent (a confirmation nobody gives) ends now:
   * libssh reads end-of-file and gives up. The descriptor stays open, and
   * libssh's, until the session is freed. */
  if (self->agent_busy && self->agent_fd >= 0)
    shutdown (self->agent_fd, SHUT_RDWR);
}

/* At finalize, after libssh let go of what it was given. */
void
burrow_ssh_session_clear_sign_in (BurrowSshSession *self)
{
  g_clear_object (&self->prep_cancellable);
  if (!self->agent_fd_given && self->agent_fd >= 0)
    close (self->agent_fd);
  self->agent_fd = -1;
  g_clear_pointer (&self->key, ssh_key_free);
  g_clear_error (&self->prep_error);
}
