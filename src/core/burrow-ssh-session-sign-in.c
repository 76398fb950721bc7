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
 *
 * What Burrow does not store is asked, never waited for on the loop: a
 * keyboard-interactive prompt other than the password prompt (a one-time
 * code), or the passphrase of an encrypted key given without one, becomes
 * a BurrowQuestion for the auth's ask func. While a person answers, the
 * connect timeout is paused; closing or cancelling the connect withdraws
 * the question. Answers go to libssh (or to the key's worker) and are
 * wiped; nothing keeps them.
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

/* A PAM stack that keeps asking is not going to accept what it gets. */
#define MAX_KBDINT_ROUNDS 6
/* A person may mistype a key's passphrase. */
#define MAX_PASSPHRASE_TRIES 3

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
  ssh_key  key;
  gboolean needs_passphrase;
  guint    agent_keys;
  int      agent_fd;     /* the connection the probe used, for libssh */
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
      prepared->key = burrow_ssh_key_load (prep->path, prep->text, prep->passphrase,
                                           &prepared->needs_passphrase, &error);
      if (prepared->key == NULL && !prepared->needs_passphrase)
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
      self->key_needs_passphrase = prepared->needs_passphrase;
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
                                  _("The bastion asks for another sign-in method as well, one that Burrow cannot answer; ask its administrator which one."),
                                  _("%s accepted the %s for %s but requires another method as well (it offers: %s)"),
                                  self->host, tried, self->user, offered);
  else if (self->kbdint_asked)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                  _("Check what was answered (a one-time code is valid for a short time only) and connect again."),
                                  _("%s refused the answers to its questions for %s (it offers: %s)"),
                                  self->host, self->user, offered);
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

/* A first method was accepted and the server wants another
 * ("AuthenticationMethods publickey,keyboard-interactive"): the next step,
 * or STEP_NONE when there is none Burrow can take. */
static BurrowSshStep
step_after_partial (BurrowSshSession *self)
{
  self->offered_methods = ssh_userauth_list (self->ssh, NULL);

  if (self->offered_methods & SSH_AUTH_METHOD_INTERACTIVE)
    return STEP_AUTH_KBDINT;
  if ((self->offered_methods & SSH_AUTH_METHOD_PASSWORD) &&
      self->auth_method == BURROW_SSH_AUTH_PASSWORD && self->step != STEP_AUTH_PASSWORD)
    return STEP_AUTH_PASSWORD;

  return STEP_NONE;
}

/* Handles what an auth call answered; TRUE when advancing stops here (it
 * waits, or the session is ready or failed), FALSE when the next step
 * is set and may go on at once. */
static gboolean
handle_auth_result (BurrowSshSession *self,
                    int               rc,
                    const char       *tried)
{
  BurrowSshStep next;

  switch (rc)
    {
    case SSH_AUTH_AGAIN:
      return TRUE;
    case SSH_AUTH_SUCCESS:
      burrow_ssh_session_become_ready (self);
      return TRUE;
    case SSH_AUTH_DENIED:
      fail_denied (self, tried, FALSE);
      return TRUE;
    case SSH_AUTH_PARTIAL:
      next = step_after_partial (self);
      if (next == STEP_NONE)
        {
          fail_denied (self, tried, TRUE);
          return TRUE;
        }
      g_debug ("%s accepted the %s for %s and asks for more", self->host, tried, self->user);
      self->step = next;
      return FALSE;
    case SSH_AUTH_ERROR:
    default:
      burrow_ssh_session_fail_libssh (self, _("authentication"));
      return TRUE;
    }
}

/* Asking a person */

/* What the server's prompt says, without the blanks and the colon around
 * it, to quote in a sentence. */
static char *
quote_prompt (const char *prompt)
{
  g_autofree char *text = g_strstrip (g_strdup (prompt != NULL ? prompt : ""));
  gsize len = strlen (text);

  while (len > 0 && (text[len - 1] == ':' || g_ascii_isspace (text[len - 1])))
    text[--len] = '\0';

  return g_steal_pointer (&text);
}

static void
fail_not_answered (BurrowSshSession *self,
                   BurrowQuestion   *question,
                   gboolean          cancelled)
{
  g_autofree char *prompt = quote_prompt (burrow_question_get_prompt (question));
  const char *hint;

  if (burrow_question_get_kind (question) == BURROW_QUESTION_PASSPHRASE)
    {
      g_autofree char *key = burrow_ssh_key_describe (burrow_ssh_auth_get_key_file (self->auth));

      hint = _("Store the passphrase with the connection, or connect from Burrow’s window or with burrowctl on a terminal, which ask for it.");
      if (cancelled)
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_NOT_ANSWERED, hint,
                                      _("%s needs its passphrase, and it was not entered"), key);
      else
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_NOT_ANSWERED, hint,
                                      _("%s needs its passphrase, and none is stored"), key);
      return;
    }

  hint = _("Connect from Burrow’s window, which shows the question, or run burrowctl on a terminal and type the answer there.");
  if (cancelled)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_NOT_ANSWERED, hint,
                                  _("%s asked “%s” for %s, and it was not answered"),
                                  self->host, prompt, self->user);
  else
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_NOT_ANSWERED, hint,
                                  _("%s asks “%s” for %s, and nobody was there to answer"),
                                  self->host, prompt, self->user);
}

static void
start_preparation (BurrowSshSession *self,
                   const char       *passphrase);

static void
on_question_answered (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BurrowQuestion *question = BURROW_QUESTION (source_object);
  g_autoptr(BurrowSshSession) self = user_data;
  g_autoptr(GError) error = NULL;
  char *answer;

  answer = burrow_question_wait_finish (question, result, &error);

  /* Withdrawn: the session ended meanwhile, and asked no more. */
  if (self->question != question || self->step == STEP_NONE)
    {
      g_clear_pointer (&answer, burrow_secret_wipe_free);
      return;
    }

  g_clear_object (&self->question);
  burrow_ssh_session_resume_connect_timeout (self);

  if (answer == NULL)
    {
      fail_not_answered (self, question, TRUE);
      return;
    }

  if (burrow_question_get_kind (question) == BURROW_QUESTION_PASSPHRASE)
    start_preparation (self, answer);
  else
    {
      ssh_userauth_kbdint_setanswer (self->ssh, self->kbdint_prompt++, answer);
      burrow_ssh_session_advance (self);
    }

  burrow_secret_wipe_free (answer);
}

/* Hands @question (taken) to the auth's ask func and waits for the answer
 * without blocking; the caller returns from advancing right after. */
static void
ask (BurrowSshSession *self,
     BurrowQuestion   *question)
{
  g_assert (self->question == NULL);

  if (!burrow_ssh_auth_can_ask (self->auth))
    {
      fail_not_answered (self, question, FALSE);
      g_object_unref (question);
      return;
    }

  self->question = question;
  burrow_ssh_session_pause_connect_timeout (self);
  g_main_context_push_thread_default (self->context);
  burrow_question_wait_async (question, NULL, on_question_answered, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
  burrow_ssh_auth_ask (self->auth, question);
}

static void
ask_passphrase (BurrowSshSession *self)
{
  g_autofree char *key = burrow_ssh_key_describe (burrow_ssh_auth_get_key_file (self->auth));
  BurrowQuestion *question = burrow_question_new (BURROW_QUESTION_PASSPHRASE, self->host, self->port, self->user);

  burrow_question_set_prompt (question, key,
                              self->passphrase_tries > 0 ? _("That passphrase did not open the key. Try again.") : "",
                              _("Passphrase:"), FALSE);
  self->passphrase_tries++;
  ask (self, question);
}

/* The password prompt of a PAM stack ("Password: ", "ana@host's
 * password: "), which the stored password answers. */
static gboolean
is_password_prompt (const char *prompt,
                    char        echo)
{
  g_autofree char *lower = g_ascii_strdown (prompt != NULL ? prompt : "", -1);

  return !echo && strstr (lower, "password") != NULL;
}

/* Answers the prompts of the current round, in order: the password prompt
 * with the stored password (once), every other one through a question.
 * TRUE when all are answered. */
static gboolean
answer_prompts (BurrowSshSession *self)
{
  int n = ssh_userauth_kbdint_getnprompts (self->ssh);

  while ((int)self->kbdint_prompt < n)
    {
      char echo = 0;
      const char *prompt = ssh_userauth_kbdint_getprompt (self->ssh, self->kbdint_prompt, &echo);
      BurrowQuestion *question;

      if (self->auth_method == BURROW_SSH_AUTH_PASSWORD && !self->password_given &&
          is_password_prompt (prompt, echo))
        {
          ssh_userauth_kbdint_setanswer (self->ssh, self->kbdint_prompt++, stored_password (self));
          self->password_given = TRUE;
          continue;
        }

      question = burrow_question_new (BURROW_QUESTION_PROMPT, self->host, self->port, self->user);
      burrow_question_set_prompt (question, ssh_userauth_kbdint_getname (self->ssh),
                                  ssh_userauth_kbdint_getinstruction (self->ssh), prompt, echo != 0);
      self->kbdint_asked = TRUE;
      ask (self, question);
      return FALSE;
    }

  return TRUE;
}

/* Workers */

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

  burrow_ssh_session_set_agent_busy (self, FALSE);
  if (self->state != BURROW_SSH_STATE_AUTHENTICATING)
    return;   /* timed out, cancelled or closed meanwhile */

  /* As in the socket's dispatch: a server that hung up leaves libssh
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
  else if (!handle_auth_result (self, rc, tried))
    burrow_ssh_session_advance (self);
}

/* One ssh_userauth_agent() call, in a worker thread: libssh waits for the
 * agent with blocking reads and no time limit, and an agent that asks the
 * user first (ssh-add -c, a hardware key's PIN) would freeze the loop and
 * every tunnel on it. Meanwhile the loop leaves the libssh session alone
 * (the socket source neither watches nor dispatches), and the connect
 * timeout, a close or a cancel ends the wait
 * (burrow_ssh_session_stop_sign_in()). */
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

  burrow_ssh_session_set_agent_busy (self, TRUE);
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
      /* A passphrase a person typed may be retyped. */
      if (self->passphrase_tries > 0 && self->passphrase_tries < MAX_PASSPHRASE_TRIES &&
          g_error_matches (self->prep_error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG))
        {
          g_clear_error (&self->prep_error);
          ask_passphrase (self);
          return FALSE;
        }
      burrow_ssh_session_fail (self, g_steal_pointer (&self->prep_error));
      return FALSE;
    }
  if (self->key_needs_passphrase)
    {
      self->key_needs_passphrase = FALSE;
      ask_passphrase (self);
      return FALSE;
    }

  return TRUE;
}

/* The sign-in part of the connect state machine: from "none" on, calls the
 * current step until libssh answers SSH_AGAIN, the session is ready, it
 * waits for a worker or a person, or it failed. */
void
burrow_ssh_session_advance_sign_in (BurrowSshSession *self)
{
  for (;;)
    {
      g_autofree char *tried = NULL;
      int rc;

      if (self->question != NULL)
        return;

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
          tried = g_strdup_printf (_("%s key"), ssh_key_type_to_char (ssh_key_type (self->key)));
          if (handle_auth_result (self, rc, tried))
            return;
          break;

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
          if (rc != SSH_AUTH_AGAIN)
            self->password_given = TRUE;
          if (handle_auth_result (self, rc, _("password")))
            return;
          break;

        case STEP_AUTH_KBDINT:
          if (!(self->offered_methods & SSH_AUTH_METHOD_INTERACTIVE))
            {
              fail_not_offered (self);
              return;
            }
          if (self->kbdint_in_round)
            {
              /* Answered so far: the rest, then send them all. */
              if (!answer_prompts (self))
                return;
              self->kbdint_in_round = FALSE;
            }
          rc = ssh_userauth_kbdint (self->ssh, NULL, NULL);
          if (rc == SSH_AUTH_INFO)
            {
              if (++self->kbdint_rounds > MAX_KBDINT_ROUNDS)
                {
                  fail_denied (self, _("keyboard-interactive"), FALSE);
                  return;
                }
              self->kbdint_in_round = TRUE;
              self->kbdint_prompt = 0;
              break;
            }
          if (handle_auth_result (self, rc, self->kbdint_asked ? _("keyboard-interactive")
                                                                : _("password (keyboard-interactive)")))
            return;
          break;

        case STEP_NONE:
        case STEP_KEY_EXCHANGE:
        case STEP_DONE:
        default:
          return;
        }
    }
}

/* Reads and decrypts the key, or asks ssh-agent how many keys it holds,
 * in a worker thread; on_prepared() comes back. */
static void
start_preparation (BurrowSshSession *self,
                   const char       *passphrase)
{
  g_autoptr(GTask) prep_task = NULL;
  Preparation *prep = g_new0 (Preparation, 1);

  prep->agent = self->auth_method == BURROW_SSH_AUTH_AGENT;
  prep->agent_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  prep->path = g_strdup (burrow_ssh_auth_get_key_file (self->auth));
  prep->text = g_strdup (burrow_ssh_auth_get_private_key (self->auth));
  prep->passphrase = g_strdup (passphrase);

  if (self->prep_cancellable == NULL)
    self->prep_cancellable = g_cancellable_new ();
  self->preparing = TRUE;
  g_main_context_push_thread_default (self->context);
  prep_task = g_task_new (self, self->prep_cancellable, on_prepared, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (prep_task, prepare_thread);
  g_task_set_task_data (prep_task, prep, (GDestroyNotify)preparation_free);
  g_task_run_in_thread (prep_task, prepare_thread);
}

/* The key is decrypted, or the agent asked, while TCP and the handshake
 * go on. */
void
burrow_ssh_session_prepare_sign_in (BurrowSshSession *self)
{
  if (self->auth_method != BURROW_SSH_AUTH_PASSWORD)
    start_preparation (self, burrow_ssh_auth_get_secret (self->auth));
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

  /* Nobody needs the answer any more: the dialog closes. */
  if (self->question != NULL)
    {
      g_autoptr(BurrowQuestion) question = g_steal_pointer (&self->question);

      burrow_question_withdraw (question);
    }
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
