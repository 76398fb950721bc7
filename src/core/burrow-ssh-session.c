/* burrow-ssh-session.c — one SSH connection driven by the GLib main loop.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The libssh session runs in non-blocking mode. A custom GSource watches
 * its socket; each dispatch lets libssh read and write what it can
 * (ssh_event_dopoll with a zero timeout) and then re-calls whichever step
 * is in progress (key exchange, authentication, channel opens) until it
 * stops answering SSH_AGAIN. Nothing here waits: the loop's thread only
 * ever does work that is ready.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "burrow-error.h"
#include "burrow-host-keys.h"
#include "burrow-paths.h"
#include "burrow-ssh-session-private.h"

#define DEFAULT_PORT 22
#define DEFAULT_KEEPALIVE_INTERVAL 15
#define DEFAULT_KEEPALIVE_MISSES 3
#define DEFAULT_CONNECT_TIMEOUT 10

G_DEFINE_FINAL_TYPE (BurrowSshSession, burrow_ssh_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BurrowSshState, burrow_ssh_state,
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_AUTHENTICATING, "authenticating"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_DEAD, "dead"))

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_AUTH_METHOD,
  PROP_KNOWN_HOSTS_FILE,
  PROP_KEEPALIVE_INTERVAL,
  PROP_KEEPALIVE_MISSES,
  PROP_CONNECT_TIMEOUT,
  PROP_STATE,
  PROP_HOST_KEY_FINGERPRINT,
  N_PROPS
};

enum {
  SIGNAL_ACTIVITY,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
burrow_ssh_session_emit_activity (BurrowSshSession *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVITY], 0);
}

void
burrow_ssh_session_set_state (BurrowSshSession *self,
                              BurrowSshState    state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_uint (BurrowSshSession *self,
          guint            *field,
          guint             value,
          guint             prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
burrow_ssh_session_mark_phase (BurrowSshSession *self,
                               BurrowSshPhase    phase)
{
  if (self->phase_times[phase] == 0)
    self->phase_times[phase] = g_get_monotonic_time ();
}

/* Takes the socket back from libssh's blocking mode: it made it blocking
 * when it saw the (supplied) socket connected, and a blocking send of a big
 * buffer would stall the whole loop. libssh writes only after poll said the
 * socket is writable, so non-blocking sends just write less. O_NONBLOCK
 * belongs to the open socket, shared by libssh's dup and ours. */
void
burrow_ssh_session_restore_nonblocking (BurrowSshSession *self)
{
  int flags;

  if (self->fd < 0)
    return;

  flags = fcntl (self->fd, F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK) == 0)
    fcntl (self->fd, F_SETFL, flags | O_NONBLOCK);
}

/* Stops every source and timer. The libssh session itself stays until
 * finalize, so that channel pointers held by others remain valid. */
static void
stop_io (BurrowSshSession *self)
{
  clear_source (&self->socket_source);
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->keepalive_source);
  clear_source (&self->silence_source);
  clear_source (&self->check_source);
  clear_source (&self->activity_source);

  if (self->tcp_cancellable != NULL)
    g_cancellable_cancel (self->tcp_cancellable);
  burrow_ssh_session_stop_sign_in (self);

  /* The peer learns at once that we are gone; our descriptor and libssh's
   * share one socket, so this covers both. */
  if (self->fd >= 0)
    {
      shutdown (self->fd, SHUT_RDWR);
      self->fd = -1;
    }
}

/* A session signs in once: after that its secrets are only a risk. */
static void
forget_secrets (BurrowSshSession *self)
{
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  g_clear_pointer (&self->key, ssh_key_free);
}

/* Ends the session with @error (taken). Everything is made consistent
 * before any callback runs, since a callback may drop the last reference
 * or call back into the session. */
static void
finish (BurrowSshSession *self,
        BurrowSshState    state,
        GError           *error)
{
  g_autoptr(GTask) connect_task = NULL;
  gboolean was_ready;

  if (self->state == BURROW_SSH_STATE_DEAD || self->state == BURROW_SSH_STATE_CLOSED)
    {
      g_clear_error (&error);
      return;
    }

  g_object_ref (self);

  was_ready = self->state == BURROW_SSH_STATE_READY;
  g_clear_error (&self->error);
  self->error = error;
  self->step = STEP_NONE;

  stop_io (self);
  forget_secrets (self);
  connect_task = g_steal_pointer (&self->connect_task);
  burrow_ssh_session_set_state (self, state);

  if (error != NULL)
    g_debug ("SSH session to %s:%u ended: %s", self->host, self->port, error->message);

  if (connect_task != NULL)
    {
      if (self->error != NULL)
        g_task_return_error (connect_task, g_error_copy (self->error));
      else
        g_task_return_new_error (connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The connection was closed before it was ready"));
    }

  /* "closed" first: when the opens then fail, their owners know that the
   * session went, not the target, and can wait for the next one. */
  if (was_ready)
    g_signal_emit (self, signals[SIGNAL_CLOSED], 0, self->error);

  if (self->error != NULL)
    burrow_ssh_session_fail_pending_opens (self);
  else
    {
      g_autoptr(GError) closed = NULL;

      burrow_set_error (&closed, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, NULL,
                        _("The connection to %s was closed"), self->host);
      self->error = g_steal_pointer (&closed);
      burrow_ssh_session_fail_pending_opens (self);
      g_clear_error (&self->error);
    }

  g_object_unref (self);
}

void
burrow_ssh_session_fail (BurrowSshSession *self,
                         GError           *error)
{
  finish (self, BURROW_SSH_STATE_DEAD, error);
}

void
burrow_ssh_session_fail_with (BurrowSshSession *self,
                              int               code,
                              const char       *hint,
                              const char       *format,
                              ...)
{
  g_autofree char *cause = NULL;
  GError *error = NULL;
  va_list args;

  va_start (args, format);
  cause = g_strdup_vprintf (format, args);
  va_end (args);

  burrow_set_error (&error, BURROW_SSH_ERROR, code, hint, "%s", cause);
  burrow_ssh_session_fail (self, error);
}

gboolean
burrow_ssh_session_is_gone (BurrowSshSession *self)
{
  return !ssh_is_connected (self->ssh) ||
         (ssh_get_status (self->ssh) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

void
burrow_ssh_session_fail_lost (BurrowSshSession *self)
{
  GError *error = NULL;

  burrow_ssh_error_set_lost (&error, self->host, ssh_get_error (self->ssh));
  burrow_ssh_session_fail (self, error);
}

/* Ends a ready session whose connection libssh found gone; TRUE if so. */
gboolean
burrow_ssh_session_fail_if_lost (BurrowSshSession *self)
{
  if (!burrow_ssh_session_is_gone (self))
    return FALSE;

  burrow_ssh_session_fail_lost (self);
  return TRUE;
}

/* A libssh call answered SSH_ERROR/SSH_AUTH_ERROR during set-up. */
void
burrow_ssh_session_fail_libssh (BurrowSshSession *self,
                                const char       *doing)
{
  /* OpenSSH hangs up after MaxAuthTries refused keys, which an agent full
   * of keys reaches before it offers the right one. */
  if (self->state == BURROW_SSH_STATE_AUTHENTICATING &&
      strstr (ssh_get_error (self->ssh), "authentication failures") != NULL)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
                                  self->auth_method == BURROW_SSH_AUTH_AGENT
                                  ? _("The bastion stops after a few refused keys (MaxAuthTries). Keep only the key for this bastion in ssh-agent, or sign in with the key file.")
                                  : _("The bastion stops after a few refused attempts (MaxAuthTries). Check the user name and the credentials."),
                                  _("%s refused %s for %s too many times and hung up"),
                                  self->host, burrow_ssh_session_describe_auth_method (self->auth_method), self->user);
  else if (self->state == BURROW_SSH_STATE_AUTHENTICATING)
    /* The server is an SSH server and the key exchange went through: what
     * is left is the account, or the server's own rules for it. */
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
                                  _("The bastion ended the sign-in; its log (e.g. journalctl -u ssh) says why. Check the user name, and that this account may sign in there (AllowUsers, DenyUsers, an expired account)."),
                                  burrow_ssh_session_is_gone (self) ? _("%s closed the connection during %s: %s") : _("SSH failed with %s during %s: %s"),
                                  self->host, doing, ssh_get_error (self->ssh));
  else if (ssh_get_serverbanner (self->ssh) != NULL &&
           strstr (ssh_get_error (self->ssh), "no match for method") != NULL)
    /* libssh: "kex error : no match for method …: server [...], client [...]". */
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
                                  _("The bastion’s sshd_config allows only algorithms that Burrow does not use: ask its administrator to allow current ones in Ciphers, KexAlgorithms, HostKeyAlgorithms or MACs."),
                                  _("Burrow and %s have no algorithm in common: %s"), self->host, ssh_get_error (self->ssh));
  else if (ssh_get_serverbanner (self->ssh) != NULL)
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
                                  _("The server speaks SSH, but the key exchange did not finish; its log says why."),
                                  _("SSH failed with %s during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
  else if (burrow_ssh_session_is_gone (self))
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
                                  _("Check that the host and port are those of an SSH server; it may also limit connections (MaxStartups)."),
                                  _("%s closed the connection during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
  else
    burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
                                  _("Check that the host and port are those of an SSH server."),
                                  _("SSH failed with %s during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
}

/* The connection ended while connecting or signing in. */
void
burrow_ssh_session_fail_setup_lost (BurrowSshSession *self)
{
  burrow_ssh_session_fail_libssh (self, self->step == STEP_KEY_EXCHANGE ? _("the SSH handshake") : _("authentication"));
}

/* Callbacks */

static gboolean
on_connect_timeout (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);

  switch (self->step)
    {
    case STEP_NONE:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                                    _("Check the host name and port, and that a firewall lets you through."),
                                    _("Could not connect to %s port %u within %u s"),
                                    self->host, self->port, self->connect_timeout);
      break;
    case STEP_KEY_EXCHANGE:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                                    _("Check that this port is an SSH server’s, and that nothing between drops the traffic."),
                                    _("The SSH handshake with %s did not finish within %u s"),
                                    self->host, self->connect_timeout);
      break;
    case STEP_AUTH_AGENT:
      if (self->agent_busy)
        {
          burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_AGENT,
                                        _("The agent did not answer: does it wait for a confirmation (ssh-add -c) or a PIN? Answer its prompt and connect again, or choose another sign-in method."),
                                        _("ssh-agent did not sign in to %s within %u s"),
                                        self->host, self->connect_timeout);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                                    _("The server, its PAM stack or your ssh-agent did not answer in time."),
                                    _("Signing in to %s did not finish within %u s"),
                                    self->host, self->connect_timeout);
      break;
    }

  return G_SOURCE_REMOVE;
}

static void
arm_connect_timeout (BurrowSshSession *self,
                     gint64            left)
{
  clear_source (&self->timeout_source);
  self->timeout_deadline = g_get_monotonic_time () + left;
  self->timeout_source = g_timeout_source_new (MAX (left, 0) / 1000);
  g_source_set_callback (self->timeout_source, on_connect_timeout, self, NULL);
  g_source_set_static_name (self->timeout_source, "[burrow] ssh connect timeout");
  g_source_attach (self->timeout_source, self->context);
}

/* A person's answer takes what it takes: the connect timeout is for the
 * network and the server, and stops while a question is open. */
void
burrow_ssh_session_pause_connect_timeout (BurrowSshSession *self)
{
  if (self->timeout_source == NULL)
    return;

  self->timeout_left = MAX (self->timeout_deadline - g_get_monotonic_time (), 1);
  clear_source (&self->timeout_source);
}

void
burrow_ssh_session_resume_connect_timeout (BurrowSshSession *self)
{
  if (self->timeout_source != NULL || self->timeout_left == 0 ||
      self->state == BURROW_SSH_STATE_DEAD || self->state == BURROW_SSH_STATE_CLOSED)
    return;

  arm_connect_timeout (self, self->timeout_left);
  self->timeout_left = 0;
}

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  burrow_ssh_session_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The connection was cancelled")));

  return G_SOURCE_REMOVE;
}

/* Sends a keepalive that wants a reply: what comes back, or anything else
 * from the server, shows it alive. libssh has one slot for a pending global
 * request: the first call collects the previous reply if there is one
 * (ssh_send_keepalive() hides the outcome), the second then sends a new
 * request; while a request is unanswered neither call sends anything. */
static void
send_keepalive (BurrowSshSession *self)
{
  burrow_libssh_send_keepalive (self->ssh);
  burrow_libssh_send_keepalive (self->ssh);
}

/* Whether input came since the last look: the server was alive then. In
 * the socket's dispatch it came @just_now; read by another libssh call
 * (a channel's, a keepalive's), it came at some time since the last look,
 * and the silence counts from then, so that it is never found out later
 * than its limit. */
void
burrow_ssh_session_note_input (BurrowSshSession *self,
                               gboolean          just_now)
{
  gint64 now = g_get_monotonic_time ();

  if (self->counter.in_bytes != self->last_in_bytes)
    {
      self->last_in_bytes = self->counter.in_bytes;
      self->last_in_time = just_now ? now : self->last_look_time;
    }
  self->last_look_time = now;
}

/* Ends the session once nothing at all came from the server for the
 * interval times the misses; TRUE when it did. */
static gboolean
fail_if_silent (BurrowSshSession *self)
{
  gint64 limit = (gint64)self->keepalive_interval * self->keepalive_misses * G_USEC_PER_SEC;

  burrow_ssh_session_note_input (self, FALSE);
  if (g_get_monotonic_time () - self->last_in_time < limit)
    return FALSE;

  burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_CONNECTION_LOST,
                                _("The bastion or the network stopped answering. Burrow reconnects by itself when it can."),
                                _("%s did not answer for %u s"), self->host,
                                self->keepalive_interval * self->keepalive_misses);
  return TRUE;
}

static gboolean
on_silence_limit (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->silence_source, g_source_unref);
  fail_if_silent (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_keepalive_tick (gpointer user_data)
{
  BurrowSshSession *self = user_data;
  gint64 limit = (gint64)self->keepalive_interval * self->keepalive_misses * G_USEC_PER_SEC;
  gint64 left;

  if (fail_if_silent (self))
    return G_SOURCE_REMOVE;

  send_keepalive (self);
  if (burrow_ssh_session_fail_if_lost (self))
    return G_SOURCE_REMOVE;

  /* The limit counts from the last input, which came at any time between
   * two ticks (the answer to a keepalive comes a round trip after it), and
   * a tick in whole seconds may come up to a second late: when the limit
   * falls before the next tick could see it, look exactly then. */
  left = self->last_in_time + limit - g_get_monotonic_time ();
  if (left < ((gint64)self->keepalive_interval + 1) * G_USEC_PER_SEC)
    {
      clear_source (&self->silence_source);
      self->silence_source = g_timeout_source_new (MAX (left, 0) / 1000 + 1);
      g_source_set_callback (self->silence_source, on_silence_limit, self, NULL);
      g_source_set_static_name (self->silence_source, "[burrow] ssh keepalive limit");
      g_source_attach (self->silence_source, self->context);
    }

  return G_SOURCE_CONTINUE;
}

static void arm_check (BurrowSshSession *self,
                       guint             ms);

/* Whatever was already on its way from the server (sent before it froze,
 * or the answer to an earlier keepalive) arrives within a round trip of
 * the first keepalive: only what comes after the second one, sent a
 * second later, proves the server alive. */
static gboolean
on_check_timeout (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->check_source, g_source_unref);

  if (!self->check_settled)
    {
      self->check_settled = TRUE;
      self->check_in_bytes = self->counter.in_bytes;
      arm_check (self, (self->check_seconds - 1) * 1000);
      send_keepalive (self);
      burrow_ssh_session_fail_if_lost (self);
      return G_SOURCE_REMOVE;
    }

  if (self->counter.in_bytes != self->check_in_bytes)
    return G_SOURCE_REMOVE;

  burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_CONNECTION_LOST,
                                _("The bastion or the network stopped answering. Burrow reconnects by itself when it can."),
                                _("%s did not answer within %u s"), self->host, self->check_seconds);
  return G_SOURCE_REMOVE;
}

static void
arm_check (BurrowSshSession *self,
           guint             ms)
{
  self->check_source = g_timeout_source_new (ms);
  g_source_set_callback (self->check_source, on_check_timeout, self, NULL);
  g_source_set_static_name (self->check_source, "[burrow] ssh liveness check");
  g_source_attach (self->check_source, self->context);
}

void
burrow_ssh_session_become_ready (BurrowSshSession *self)
{
  g_autoptr(GTask) task = NULL;

  burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_AUTHENTICATED);
  self->step = STEP_DONE;
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  forget_secrets (self);

  if (self->keepalive_interval > 0)
    {
      self->keepalive_source = g_timeout_source_new_seconds (self->keepalive_interval);
      g_source_set_callback (self->keepalive_source, on_keepalive_tick, self, NULL);
      g_source_set_static_name (self->keepalive_source, "[burrow] ssh keepalive");
      g_source_attach (self->keepalive_source, self->context);
      self->last_in_bytes = self->counter.in_bytes;
      self->last_in_time = self->last_look_time = g_get_monotonic_time ();
      send_keepalive (self);
    }

  task = g_steal_pointer (&self->connect_task);
  burrow_ssh_session_set_state (self, BURROW_SSH_STATE_READY);
  g_debug ("SSH session to %s:%u is ready", self->host, self->port);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
check_host_key (BurrowSshSession *self)
{
  BurrowHostKeyStatus status;
  ssh_key key = NULL;
  const char *type;

  if (ssh_get_server_publickey (self->ssh, &key) != SSH_OK || key == NULL)
    {
      burrow_ssh_session_fail_libssh (self, _("the key exchange"));
      return FALSE;
    }

  self->server_key = key;
  type = ssh_key_type_to_char (ssh_key_type (key));
  self->host_key_type = g_strdup (type != NULL ? type : "unknown");
  self->host_key_fingerprint = burrow_host_keys_fingerprint (key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_KEY_FINGERPRINT]);

  status = burrow_host_keys_check (self->known_hosts_file, self->host, self->port, key,
                                   &self->known_host_key_fingerprint);
  self->host_key = burrow_host_key_new (self->host, self->port, key, status,
                                        self->known_host_key_fingerprint, self->known_hosts_file);
  switch (status)
    {
    case BURROW_HOST_KEY_TRUSTED:
      burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_HOST_KEY_CHECKED);
      return TRUE;

    case BURROW_HOST_KEY_UNKNOWN:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN,
                                    _("Make sure this is the bastion’s fingerprint (its administrator can tell you), then trust it."),
                                    _("%s is not known yet: its %s host key has the fingerprint %s"),
                                    self->host, self->host_key_type, self->host_key_fingerprint);
      return FALSE;

    case BURROW_HOST_KEY_REVOKED:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_HOST_KEY_REVOKED,
                                    _("This key must not be trusted again. Ask the bastion’s administrator for its current host key."),
                                    _("The %s host key of %s (%s) is marked revoked in known_hosts; nothing was sent"),
                                    self->host_key_type, self->host, self->host_key_fingerprint);
      return FALSE;

    case BURROW_HOST_KEY_CHANGED:
    default:
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_HOST_KEY_CHANGED,
                                    _("Someone may be intercepting the connection, or the bastion was reinstalled. Ask its administrator before trusting the new key."),
                                    _("The host key of %s has changed: it was %s and is now %s (%s); nothing was sent"),
                                    self->host, self->known_host_key_fingerprint, self->host_key_fingerprint,
                                    self->host_key_type);
      return FALSE;
    }
}

/* One pass of the connect state machine: the key exchange and the host
 * key, then signing in (burrow-ssh-session-sign-in.c). */
void
burrow_ssh_session_advance (BurrowSshSession *self)
{
  int rc;

  if (self->step == STEP_KEY_EXCHANGE)
    {
      rc = ssh_connect (self->ssh);
      burrow_ssh_session_restore_nonblocking (self);
      if (!self->event_added && ssh_event_add_session (self->event, self->ssh) == SSH_OK)
        self->event_added = TRUE;
      if (rc == SSH_AGAIN)
        return;
      if (rc != SSH_OK)
        {
          burrow_ssh_session_fail_libssh (self, _("the SSH handshake"));
          return;
        }
      burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_HANDSHAKE_DONE);
      if (!check_host_key (self))
        return;
      self->step = STEP_AUTH_NONE;
      burrow_ssh_session_set_state (self, BURROW_SSH_STATE_AUTHENTICATING);
    }

  burrow_ssh_session_advance_sign_in (self);
}

/* The socket source */


/* Whether the CPU encrypts AES in hardware (x86 AES-NI, the ARMv8 crypto
 * extensions). */
static gboolean
cpu_has_aes (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("aes");
#elif defined(__aarch64__) && defined(HWCAP_AES)
  return (getauxval (AT_HWCAP) & HWCAP_AES) != 0;
#else
  return FALSE;
#endif
}

/* The ciphers offered, best first; the server takes the first it knows.
 * libssh, like OpenSSH, puts ChaCha20-Poly1305 first whatever the CPU;
 * where it has AES instructions, AES-GCM costs less CPU per byte, and on
 * a bastion shared by many tunnels, or a laptop on battery, that is what
 * counts. The rest of the list is libssh's default. */
static const char *
preferred_ciphers (void)
{
  static const char * const lists[] = {
    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,"
    "aes256-ctr,aes192-ctr,aes128-ctr",
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,"
    "aes256-ctr,aes192-ctr,aes128-ctr",
  };
  static gsize chosen;

  if (g_once_init_enter (&chosen))
    g_once_init_leave (&chosen, cpu_has_aes () ? 1 : 2);

  return lists[chosen - 1];
}

/* From a connected socket to the SSH handshake. */
static void
start_ssh (BurrowSshSession *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);
  g_autofree char *user_known_hosts = burrow_host_keys_user_file ();
  unsigned int port = self->port;
  bool process_config = false;
  socket_t fd;

  burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_TCP_CONNECTED);

  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV4 ||
      g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* libssh closes the descriptor it is given, on some error paths too, and
   * a closed number can be reused at once by another socket. So libssh
   * gets a dup, and the session watches and shuts down the original, which
   * the GSocket keeps open until the session is finalized. */
  self->fd = g_socket_get_fd (socket);
  fd = fcntl (self->fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    {
      int saved_errno = errno;

      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_FAILED, _("Close some programs or tunnels, then try again."),
                                    _("Could not set up the connection to %s: %s"), self->host, g_strerror (saved_errno));
      return;
    }

  self->ssh = ssh_new ();
  if (self->ssh == NULL ||
      ssh_options_set (self->ssh, SSH_OPTIONS_PROCESS_CONFIG, &process_config) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_HOST, self->host) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_PORT, &port) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_USER, self->user) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_KNOWNHOSTS, self->known_hosts_file) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, user_known_hosts) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_CIPHERS_C_S, preferred_ciphers ()) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_CIPHERS_S_C, preferred_ciphers ()) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_FD, &fd) != SSH_OK)
    {
      /* ssh_connect() never ran: libssh does not own the dup yet. */
      close (fd);
      burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_FAILED, _("Check the host and user name."),
                                    _("Could not set up SSH for %s: %s"), self->host,
                                    self->ssh != NULL ? ssh_get_error (self->ssh) : g_strerror (ENOMEM));
      return;
    }

  ssh_set_blocking (self->ssh, 0);
  ssh_set_counters (self->ssh, &self->counter, NULL);
  self->event = ssh_event_new ();

  self->socket_source = burrow_ssh_session_source_new (self, self->fd);
  g_source_set_priority (self->socket_source, self->io_priority);
  g_source_attach (self->socket_source, self->context);

  self->step = STEP_KEY_EXCHANGE;
  burrow_ssh_session_advance (self);
}

static void
on_socket_client_event (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        gpointer            user_data)
{
  BurrowSshSession *self = user_data;

  if (event == G_SOCKET_CLIENT_RESOLVED)
    burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
}

static void
on_tcp_connected (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BurrowSshSession) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source_object), result, &error);
  g_signal_handlers_disconnect_by_func (source_object, on_socket_client_event, self);

  if (self->state != BURROW_SSH_STATE_CONNECTING)
    return;   /* timed out, cancelled or closed meanwhile */

  if (connection == NULL)
    {
      /* GResolver's own text repeats the name ("Error resolving “x”:
       * Name or service not known"): a name that does not exist needs
       * no more words, other failures keep GLib's reason. */
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_DNS,
                                      _("Check the spelling of the host name, and your network or VPN connection."),
                                      _("The host name %s does not resolve"), self->host);
      else if (error->domain == G_RESOLVER_ERROR)
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_DNS,
                                      _("Check the spelling of the host name, and your network or VPN connection."),
                                      _("The host name %s could not be resolved: %s"), self->host, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_REFUSED,
                                      _("Check the port, and that the SSH server on that host is running."),
                                      _("%s refused the connection on port %u"), self->host, self->port);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_UNREACHABLE,
                                      _("Check your network or VPN connection."),
                                      _("%s cannot be reached: %s"), self->host, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                                      _("Check the host name and port, and that a firewall lets you through."),
                                      _("Could not connect to %s port %u: %s"), self->host, self->port, error->message);
      else
        burrow_ssh_session_fail_with (self, BURROW_SSH_ERROR_FAILED,
                                      _("Check the host name and port, and your network connection."),
                                      _("Could not connect to %s port %u: %s"), self->host, self->port, error->message);
      return;
    }

  burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
  self->connection = g_steal_pointer (&connection);
  start_ssh (self);
}

/* Overrides */

static void
burrow_ssh_session_dispose (GObject *object)
{
  BurrowSshSession *self = (BurrowSshSession *)object;

  stop_io (self);
  g_clear_object (&self->tcp_cancellable);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->dispose (object);
}

static void
burrow_ssh_session_finalize (GObject *object)
{
  BurrowSshSession *self = (BurrowSshSession *)object;

  g_assert (self->connect_task == NULL);
  burrow_ssh_session_free_channels (self);

  if (self->event != NULL)
    {
      if (self->event_added)
        ssh_event_remove_session (self->event, self->ssh);
      ssh_event_free (self->event);
    }
  if (self->ssh != NULL)
    {
      /* Frees every channel still attached to the session. */
      ssh_disconnect (self->ssh);
      ssh_free (self->ssh);
    }

  burrow_ssh_session_clear_sign_in (self);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->server_key, ssh_key_free);
  g_clear_object (&self->host_key);
  g_clear_error (&self->error);
  g_main_context_unref (self->context);

  g_free (self->host);
  g_free (self->user);
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  g_free (self->known_hosts_file);
  g_free (self->host_key_type);
  g_free (self->host_key_fingerprint);
  g_free (self->known_host_key_fingerprint);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->finalize (object);
}

static void
burrow_ssh_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_AUTH_METHOD:
      g_value_set_enum (value, self->auth_method);
      break;
    case PROP_KNOWN_HOSTS_FILE:
      g_value_set_string (value, self->known_hosts_file);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    case PROP_KEEPALIVE_MISSES:
      g_value_set_uint (value, self->keepalive_misses);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_HOST_KEY_FINGERPRINT:
      g_value_set_string (value, self->host_key_fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_session_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    case PROP_KNOWN_HOSTS_FILE:
      burrow_ssh_session_set_known_hosts_file (self, g_value_get_string (value));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      burrow_ssh_session_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    case PROP_KEEPALIVE_MISSES:
      burrow_ssh_session_set_keepalive_misses (self, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      burrow_ssh_session_set_connect_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_session_constructed (GObject *object)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->constructed (object);

  if (self->host == NULL)
    self->host = g_strdup ("localhost");
  if (self->port == 0)
    self->port = DEFAULT_PORT;
  if (self->user == NULL || *self->user == '\0')
    {
      g_free (self->user);
      self->user = g_strdup (g_get_user_name ());
    }
}

/* Class */

static void
burrow_ssh_session_class_init (BurrowSshSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = burrow_ssh_session_constructed;
  object_class->dispose = burrow_ssh_session_dispose;
  object_class->finalize = burrow_ssh_session_finalize;
  object_class->get_property = burrow_ssh_session_get_property;
  object_class->set_property = burrow_ssh_session_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH_METHOD] =
    g_param_spec_enum ("auth-method", NULL, NULL,
                       BURROW_TYPE_SSH_AUTH_METHOD, BURROW_SSH_AUTH_AGENT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KNOWN_HOSTS_FILE] =
    g_param_spec_string ("known-hosts-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600, DEFAULT_KEEPALIVE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_MISSES] =
    g_param_spec_uint ("keepalive-misses", NULL, NULL, 1, 100, DEFAULT_KEEPALIVE_MISSES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 3600, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BURROW_TYPE_SSH_STATE, BURROW_SSH_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST_KEY_FINGERPRINT] =
    g_param_spec_string ("host-key-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowSshSession::activity:
   *
   * Emitted after each pass over the socket while the session is ready,
   * and by burrow_ssh_session_queue_activity(): channel owners do their
   * pending reads and writes here, once per pass for all channels.
   */
  signals[SIGNAL_ACTIVITY] =
    g_signal_new ("activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * BurrowSshSession::closed:
   * @error: (nullable): why, or %NULL after burrow_ssh_session_close()
   *
   * Emitted once when a session that was ready ends.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_ssh_session_init (BurrowSshSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->fd = -1;
  self->agent_fd = -1;
  self->auth_method = BURROW_SSH_AUTH_AGENT;
  self->known_hosts_file = burrow_paths_known_hosts_file ();
  self->keepalive_interval = DEFAULT_KEEPALIVE_INTERVAL;
  self->keepalive_misses = DEFAULT_KEEPALIVE_MISSES;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->io_priority = G_PRIORITY_DEFAULT;
  burrow_ssh_session_init_channels (self);
}

/* Public API */

/**
 * burrow_ssh_session_new:
 * @host: the server's host name or address
 * @port: its port, 0 for 22
 * @user: (nullable): the account, %NULL for the local user name
 *
 * The session belongs to the calling thread's thread-default main context.
 */
BurrowSshSession *
burrow_ssh_session_new (const char *host,
                        guint16     port,
                        const char *user)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return g_object_new (BURROW_TYPE_SSH_SESSION,
                       "host", host,
                       "port", (guint)(port != 0 ? port : DEFAULT_PORT),
                       "user", user,
                       NULL);
}

const char *
burrow_ssh_session_get_host (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host;
}

guint16
burrow_ssh_session_get_port (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->port;
}

const char *
burrow_ssh_session_get_user (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->user;
}

BurrowSshAuthMethod
burrow_ssh_session_get_auth_method (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), BURROW_SSH_AUTH_AGENT);

  return self->auth_method;
}

/* The auth the session signs in with, until it did; %NULL after. */
BurrowSshAuth *
burrow_ssh_session_get_auth (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->auth;
}

/* Keeps a reference to @auth until signed in. */
void
burrow_ssh_session_set_auth (BurrowSshSession *self,
                             BurrowSshAuth    *auth)
{
  BurrowSshAuthMethod method;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (auth != NULL);
  g_return_if_fail (self->state == BURROW_SSH_STATE_NEW);

  burrow_ssh_auth_ref (auth);
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  self->auth = auth;

  method = burrow_ssh_auth_get_method (auth);
  if (self->auth_method != method)
    {
      self->auth_method = method;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
    }
}

const char *
burrow_ssh_session_get_known_hosts_file (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->known_hosts_file;
}

/* Burrow's own known_hosts; %NULL restores burrow_paths_known_hosts_file(). */
void
burrow_ssh_session_set_known_hosts_file (BurrowSshSession *self,
                                         const char       *path)
{
  g_autofree char *resolved = NULL;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  resolved = path != NULL ? g_strdup (path) : burrow_paths_known_hosts_file ();
  if (g_strcmp0 (resolved, self->known_hosts_file) == 0)
    return;

  g_free (self->known_hosts_file);
  self->known_hosts_file = g_steal_pointer (&resolved);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOWN_HOSTS_FILE]);
}

guint
burrow_ssh_session_get_keepalive_interval (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->keepalive_interval;
}

/* Seconds between keepalives; 0 sends none. */
void
burrow_ssh_session_set_keepalive_interval (BurrowSshSession *self,
                                           guint             seconds)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  set_uint (self, &self->keepalive_interval, seconds, PROP_KEEPALIVE_INTERVAL);
}

guint
burrow_ssh_session_get_keepalive_misses (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->keepalive_misses;
}

/* How many intervals without a byte from the server make it dead. */
void
burrow_ssh_session_set_keepalive_misses (BurrowSshSession *self,
                                         guint             misses)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (misses > 0);

  set_uint (self, &self->keepalive_misses, misses, PROP_KEEPALIVE_MISSES);
}

/**
 * burrow_ssh_session_set_io_priority:
 * @priority: a main-loop priority, %G_PRIORITY_DEFAULT unless set
 *
 * The priority of the source that reads and writes the session's socket,
 * which runs for every packet moved; it takes effect at once. Timers
 * (connect timeout, keepalives) keep theirs.
 */
void
burrow_ssh_session_set_io_priority (BurrowSshSession *self,
                                    int               priority)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  self->io_priority = priority;
  if (self->socket_source != NULL)
    g_source_set_priority (self->socket_source, priority);
}

int
burrow_ssh_session_get_io_priority (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), G_PRIORITY_DEFAULT);

  return self->io_priority;
}

guint
burrow_ssh_session_get_connect_timeout (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->connect_timeout;
}

/* Seconds from connect_async to ready: TCP, handshake and sign-in. */
void
burrow_ssh_session_set_connect_timeout (BurrowSshSession *self,
                                        guint             seconds)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (seconds > 0);

  set_uint (self, &self->connect_timeout, seconds, PROP_CONNECT_TIMEOUT);
}

/**
 * burrow_ssh_session_connect_async:
 * @connection: (nullable): an already connected stream socket to speak SSH
 *   over (a jump host's channel), or %NULL to connect to host:port over TCP
 *
 * Connects, checks the host key and signs in. Call once per session; a
 * session that died is not reused: make a new one.
 */
void
burrow_ssh_session_connect_async (BurrowSshSession    *self,
                                  GSocketConnection   *connection,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (connection == NULL || G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_main_context_push_thread_default (self->context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_ssh_session_connect_async);

  if (self->state != BURROW_SSH_STATE_NEW)
    {
      g_task_return_new_error (task, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                               "This session was already used; make a new one");
      g_main_context_pop_thread_default (self->context);
      return;
    }

  self->connect_task = g_steal_pointer (&task);
  burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_START);
  burrow_ssh_session_set_state (self, BURROW_SSH_STATE_CONNECTING);

  if (self->auth == NULL)
    self->auth = burrow_ssh_auth_new_agent ();
  burrow_ssh_session_prepare_sign_in (self);

  arm_connect_timeout (self, (gint64)self->connect_timeout * G_USEC_PER_SEC);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_connect_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  if (connection != NULL)
    {
      burrow_ssh_session_mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
      self->connection = g_object_ref (connection);
      start_ssh (self);
    }
  else
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnectable) address = g_network_address_new (self->host, self->port);

      /* Like ssh, talk to the bastion directly: a desktop's proxy settings
       * are meant for the web, not for SSH. */
      g_socket_client_set_enable_proxy (client, FALSE);
      self->tcp_cancellable = g_cancellable_new ();
      g_signal_connect (client, "event", G_CALLBACK (on_socket_client_event), self);
      g_socket_client_connect_async (client, address, self->tcp_cancellable,
                                     on_tcp_connected, g_object_ref (self));
    }

  g_main_context_pop_thread_default (self->context);
}

gboolean
burrow_ssh_session_connect_finish (BurrowSshSession  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Ends the session. A connect in progress fails with G_IO_ERROR_CANCELLED,
 * pending channel opens fail, and "closed" is emitted with no error if the
 * session was ready. Channel pointers stay valid until finalize. */
void
burrow_ssh_session_close (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  if (self->state == BURROW_SSH_STATE_NEW)
    {
      burrow_ssh_session_set_state (self, BURROW_SSH_STATE_CLOSED);
      return;
    }

  finish (self, BURROW_SSH_STATE_CLOSED, NULL);
}

/**
 * burrow_ssh_session_check_alive:
 * @seconds: how long the server has to answer, at least 2
 *
 * Sends a keepalive that wants a reply, now, and ends the session (state
 * DEAD, "closed" with BURROW_SSH_ERROR_CONNECTION_LOST) when nothing at
 * all came from the server @seconds later. For after a resume from sleep
 * or a network change, when waiting for the regular keepalives to miss
 * would take far longer. Does nothing unless the session is ready, or
 * while a check is under way.
 */
void
burrow_ssh_session_check_alive (BurrowSshSession *self,
                                guint             seconds)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (seconds > 0);

  if (self->state != BURROW_SSH_STATE_READY || self->check_source != NULL)
    return;

  self->check_seconds = MAX (seconds, 2);
  self->check_settled = FALSE;
  arm_check (self, 1000);

  send_keepalive (self);
  burrow_ssh_session_fail_if_lost (self);
}

BurrowSshState
burrow_ssh_session_get_state (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), BURROW_SSH_STATE_DEAD);

  return self->state;
}

/* Why the session is dead, %NULL otherwise. */
const GError *
burrow_ssh_session_get_error (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->error;
}

/* The monotonic time (g_get_monotonic_time()) at which @phase was
 * reached, 0 if it was not. */
gint64
burrow_ssh_session_get_phase_time (BurrowSshSession *self,
                                   BurrowSshPhase    phase)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);
  g_return_val_if_fail (phase <= BURROW_SSH_PHASE_LAST, 0);

  return self->phase_times[phase];
}

/* "ssh-ed25519", "ecdsa-sha2-nistp256", …; %NULL before the handshake. */
const char *
burrow_ssh_session_get_host_key_type (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key_type;
}

/* "SHA256:…"; %NULL before the handshake. */
const char *
burrow_ssh_session_get_host_key_fingerprint (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key_fingerprint;
}

/* The recorded fingerprint when the key changed, %NULL otherwise. */
const char *
burrow_ssh_session_get_known_host_key_fingerprint (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->known_host_key_fingerprint;
}

/* The key the server showed and Burrow's verdict on it, once the key
 * exchange finished; it outlives the session for whoever decides on it. */
BurrowHostKey *
burrow_ssh_session_get_host_key (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key;
}

/* Records the key the server showed in Burrow's known_hosts, replacing a
 * recorded key of the same type. Call it after the user confirmed the
 * fingerprint; then connect with a new session. */
gboolean
burrow_ssh_session_trust_host_key (BurrowSshSession  *self,
                                   GError           **error)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), FALSE);

  if (self->server_key == NULL)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Connect first, so that the server shows its key."),
                        _("The host key of %s is not known yet"), self->host);
      return FALSE;
    }

  return burrow_host_keys_trust (self->known_hosts_file, self->host, self->port,
                                 self->server_key, error);
}

/* The libssh session, for channel I/O on the session's thread; %NULL
 * before connect_async. Do not free it, change its options or poll it. */
ssh_session
burrow_ssh_session_get_handle (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->ssh;
}

