/* burrow-probe.c — the test connection: every step, its time, and what to
 * do when one fails.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe drives the same pieces a tunnel uses — the SSH chain, a tunnel
 * on an ephemeral loopback port, the database login — so that what it
 * checks is what Connect will do. The SSH steps are read afterwards from
 * the times each session records; a failure is placed on the first step
 * whose moment never came.
 */

#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "burrow-db-login.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-probe.h"
#include "burrow-shell.h"
#include "burrow-ssh-error.h"
#include "burrow-tunnel.h"
#include "burrow-version.h"

typedef struct
{
  BurrowProbeStepState  state;
  gint64                duration;   /* µs; -1 when not measured */
  char                 *detail;
  GError               *error;
} Step;

struct _BurrowProbe
{
  GObject            parent_instance;

  BurrowCredentials *credentials;
  guint              step_timeout;
  Step               steps[BURROW_PROBE_N_STEPS];

  /* One run at a time. */
  GTask             *task;
  GCancellable      *cancellable;        /* the run's: cancelled only with the caller's */
  GCancellable      *step_cancellable;   /* the running step's: also by its timeout */
  gulong             cancelled_handler;
  guint              timeout_source;

  BurrowSshChain    *chain;
  gboolean           holding_chain;
  gulong             chain_handler;
  GPtrArray         *sessions;      /* BurrowSshSession, one per hop, in order */
  BurrowSshSession  *unknown_key_session;
  BurrowTunnel      *tunnel;
  GSocketAddress    *db_address;    /* without a tunnel: what step 1 found */
  gint64             step_started;
};

G_DEFINE_FINAL_TYPE (BurrowProbe, burrow_probe, G_TYPE_OBJECT)

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *step_ids[] = {
  "resolve", "tcp", "handshake", "host-key", "auth", "channel", "login", "query",
};

static const char *state_ids[] = {
  "pending", "running", "passed", "failed", "not-run", "not-applicable",
};

G_STATIC_ASSERT (G_N_ELEMENTS (step_ids) == BURROW_PROBE_N_STEPS);
G_STATIC_ASSERT (G_N_ELEMENTS (state_ids) == BURROW_PROBE_STEP_NOT_APPLICABLE + 1);

static void run_channel_step (BurrowProbe *self);
static void run_login_step   (BurrowProbe *self);

/* Helpers */

static BurrowProfile *
profile (BurrowProbe *self)
{
  return burrow_credentials_get_profile (self->credentials);
}

static gboolean
tunnelled (BurrowProbe *self)
{
  return burrow_profile_get_tunnel_enabled (profile (self));
}

static void
step_reset (Step *step)
{
  step->state = BURROW_PROBE_STEP_PENDING;
  step->duration = -1;
  g_clear_pointer (&step->detail, g_free);
  g_clear_error (&step->error);
}

static void
set_step (BurrowProbe          *self,
          BurrowProbeStep       index,
          BurrowProbeStepState  state,
          gint64                duration,
          char                 *detail,     /* (transfer full) */
          GError               *error)      /* (transfer full) */
{
  Step *step = &self->steps[index];

  step->state = state;
  step->duration = duration;
  if (detail != NULL)
    {
      g_free (step->detail);
      step->detail = detail;
    }
  if (error != NULL)
    {
      g_clear_error (&step->error);
      step->error = error;
    }

  g_signal_emit (self, signals[STEP_CHANGED], 0, index);
}

static void
start_step (BurrowProbe     *self,
            BurrowProbeStep  index)
{
  self->step_started = g_get_monotonic_time ();
  set_step (self, index, BURROW_PROBE_STEP_RUNNING, -1, NULL, NULL);
}

static void
pass_step (BurrowProbe     *self,
           BurrowProbeStep  index,
           char            *detail)
{
  set_step (self, index, BURROW_PROBE_STEP_PASSED,
            g_get_monotonic_time () - self->step_started, detail, NULL);
}

static void
cleanup (BurrowProbe *self)
{
  g_clear_handle_id (&self->timeout_source, g_source_remove);

  if (self->tunnel != NULL)
    {
      burrow_tunnel_stop (self->tunnel);
      g_clear_object (&self->tunnel);
    }

  if (self->chain != NULL)
    {
      g_clear_signal_handler (&self->chain_handler, self->chain);
      burrow_ssh_chain_set_setup_func (self->chain, NULL, NULL, NULL);
      if (self->holding_chain)
        burrow_ssh_chain_release (self->chain);
      self->holding_chain = FALSE;
      g_clear_object (&self->chain);
    }
}

/* Ends the run: the failed step (if any) keeps its error, every step still
 * pending is marked as not run. */
static void
finish (BurrowProbe *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  BurrowProbeStep failed;

  cleanup (self);

  if (self->cancelled_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_handler);
  self->cancelled_handler = 0;

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      if (self->steps[i].state == BURROW_PROBE_STEP_PENDING ||
          self->steps[i].state == BURROW_PROBE_STEP_RUNNING)
        set_step (self, i, BURROW_PROBE_STEP_NOT_RUN, -1, NULL, NULL);
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The test was cancelled"));
  else if (burrow_probe_get_failed_step (self, &failed))
    g_task_return_error (task, g_error_copy (self->steps[failed].error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
fail_step (BurrowProbe     *self,
           BurrowProbeStep  index,
           GError          *error)   /* (transfer full) */
{
  /* Cancelled by the caller: the step did not fail, the run stopped. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_error_free (error);
      finish (self);
      return;
    }

  gint64 duration = self->steps[index].state == BURROW_PROBE_STEP_RUNNING
                    ? g_get_monotonic_time () - self->step_started : -1;

  set_step (self, index, BURROW_PROBE_STEP_FAILED, duration, NULL, error);
  finish (self);
}

static void ssh_timed_out (BurrowProbe *self);

static gboolean
on_step_timeout (gpointer user_data)
{
  BurrowProbe *self = user_data;

  self->timeout_source = 0;

  /* The SSH chain has no cancellable: its steps are ended here. */
  if (self->chain_handler != 0)
    {
      ssh_timed_out (self);
      return G_SOURCE_REMOVE;
    }

  /* Cancelling the step tells whatever runs it to stop; its callback then
   * reports a timeout. The run itself goes on to report it. */
  if (self->step_cancellable != NULL)
    g_cancellable_cancel (self->step_cancellable);

  return G_SOURCE_REMOVE;
}

/* Steps that have no timeout of their own get one here. */
static void
arm_timeout (BurrowProbe *self,
             guint        seconds)
{
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  self->timeout_source = g_timeout_add_seconds (seconds, on_step_timeout, self);
}

static gboolean
timed_out (BurrowProbe *self)
{
  return self->step_cancellable != NULL && g_cancellable_is_cancelled (self->step_cancellable) &&
         !g_cancellable_is_cancelled (self->cancellable);
}

/* A cancellable for the step about to start: its timeout cancels it, and
 * so does the caller. */
static GCancellable *
new_step_cancellable (BurrowProbe *self)
{
  g_clear_object (&self->step_cancellable);
  self->step_cancellable = g_cancellable_new ();
  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (self->step_cancellable);

  return self->step_cancellable;
}

/* Every callback of a run carries that run's task, so that an answer
 * arriving after the run ended (and maybe another began) changes nothing. */
static BurrowProbe *
probe_of_current_run (GTask *task)
{
  BurrowProbe *self = g_task_get_source_object (task);

  return self->task == task ? self : NULL;
}

static GError *
timeout_error (BurrowProbe *self,
               const char  *what)
{
  GError *error = NULL;

  burrow_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                    _("A firewall may drop the traffic, or the server is overloaded; try again, and check that the address is right."),
                    _("%s took longer than %u seconds."), what, self->step_timeout);
  return error;
}

static char *
format_address (GSocketAddress *address)
{
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");

  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* The address the first hop's socket is connected to, read from the socket
 * itself: the session resolved the name and tried each address. */
static char *
peer_address (BurrowSshSession *session)
{
  ssh_session handle = burrow_ssh_session_get_handle (session);
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;
  g_autoptr(GSocketAddress) address = NULL;
  int fd;

  fd = handle != NULL ? ssh_get_fd (handle) : -1;
  if (fd < 0 || getpeername (fd, (struct sockaddr *)&storage, &len) != 0)
    return NULL;

  address = g_socket_address_new_from_native (&storage, len);
  return address != NULL ? format_address (address) : NULL;
}

static char *
resolved_detail (const char *host,
                 const char *address)
{
  if (g_hostname_is_ip_address (host))
    return g_strdup_printf (_("%s is an address: nothing to look up"), host);

  return g_strdup_printf (_("%s is %s"), host, address != NULL ? address : "?");
}

static const char *
auth_method_text (BurrowProfileAuth auth)
{
  switch (auth)
    {
    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      return _("Burrow’s own key");
    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      return _("the pasted private key");
    case BURROW_PROFILE_AUTH_KEY_FILE:
      return _("a key file");
    case BURROW_PROFILE_AUTH_AGENT:
      return _("ssh-agent");
    case BURROW_PROFILE_AUTH_PASSWORD:
      return _("a password");
    default:
      return "?";
    }
}

/* SSH steps */

static gint64
phase (BurrowSshSession *session,
       BurrowSshPhase    which)
{
  return session != NULL ? burrow_ssh_session_get_phase_time (session, which) : 0;
}

static BurrowSshSession *
first_hop (BurrowProbe *self)
{
  return self->sessions->len > 0 ? g_ptr_array_index (self->sessions, 0) : NULL;
}

static BurrowSshSession *
last_hop (BurrowProbe *self)
{
  return self->sessions->len > 0 ? g_ptr_array_index (self->sessions, self->sessions->len - 1) : NULL;
}

/* Where a failed SSH connection stopped: the first moment that never came. */
static BurrowProbeStep
ssh_failed_step (BurrowProbe  *self,
                 const GError *error)
{
  BurrowSshSession *first = first_hop (self);
  BurrowSshSession *last = last_hop (self);

  if (error->domain == BURROW_SSH_ERROR)
    {
      switch (error->code)
        {
        case BURROW_SSH_ERROR_DNS:
          return BURROW_PROBE_STEP_RESOLVE;

        case BURROW_SSH_ERROR_REFUSED:
        case BURROW_SSH_ERROR_UNREACHABLE:
          return BURROW_PROBE_STEP_TCP;

        /* A jump host that cannot reach the next hop: for the analyst, the
         * connection to the bastion did not open. */
        case BURROW_SSH_ERROR_FORWARDING_PROHIBITED:
        case BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED:
          return BURROW_PROBE_STEP_TCP;

        case BURROW_SSH_ERROR_HOST_KEY_UNKNOWN:
        case BURROW_SSH_ERROR_HOST_KEY_CHANGED:
          return BURROW_PROBE_STEP_HOST_KEY;

        case BURROW_SSH_ERROR_AUTH_DENIED:
        case BURROW_SSH_ERROR_AGENT:
        case BURROW_SSH_ERROR_KEY_INVALID:
        case BURROW_SSH_ERROR_PASSPHRASE_WRONG:
          return BURROW_PROBE_STEP_AUTH;

        default:
          break;
        }
    }

  if (phase (first, BURROW_SSH_PHASE_RESOLVED) == 0 && first == last)
    return BURROW_PROBE_STEP_RESOLVE;
  if (phase (first, BURROW_SSH_PHASE_TCP_CONNECTED) == 0)
    return BURROW_PROBE_STEP_TCP;
  if (phase (last, BURROW_SSH_PHASE_HANDSHAKE_DONE) == 0)
    return BURROW_PROBE_STEP_HANDSHAKE;
  if (phase (last, BURROW_SSH_PHASE_HOST_KEY_CHECKED) == 0)
    return BURROW_PROBE_STEP_HOST_KEY;

  return BURROW_PROBE_STEP_AUTH;
}

static gint64
span (gint64 from,
      gint64 to)
{
  return from != 0 && to != 0 && to >= from ? to - from : -1;
}

/* Fills in the SSH steps from the moments the sessions recorded, up to
 * (not including) @until. */
static void
record_ssh_steps (BurrowProbe     *self,
                  BurrowProbeStep  until)
{
  BurrowSshSession *first = first_hop (self);
  BurrowSshSession *last = last_hop (self);
  BurrowProfile *p = profile (self);
  ssh_session handle = last != NULL ? burrow_ssh_session_get_handle (last) : NULL;
  guint n_jumps = self->sessions->len > 0 ? self->sessions->len - 1 : 0;
  g_autofree char *address = first != NULL ? peer_address (first) : NULL;
  gint64 start = phase (first, BURROW_SSH_PHASE_START);
  gint64 resolved = phase (first, BURROW_SSH_PHASE_RESOLVED);
  gint64 connected = phase (first, BURROW_SSH_PHASE_TCP_CONNECTED);
  gint64 handshake = phase (last, BURROW_SSH_PHASE_HANDSHAKE_DONE);
  gint64 host_key = phase (last, BURROW_SSH_PHASE_HOST_KEY_CHECKED);
  gint64 authenticated = phase (last, BURROW_SSH_PHASE_AUTHENTICATED);
  const char *first_host = first != NULL ? burrow_ssh_session_get_host (first) : burrow_profile_get_ssh_host (p);

  if (until > BURROW_PROBE_STEP_RESOLVE)
    set_step (self, BURROW_PROBE_STEP_RESOLVE, BURROW_PROBE_STEP_PASSED, span (start, resolved),
              resolved_detail (first_host, address), NULL);

  if (until > BURROW_PROBE_STEP_TCP)
    {
      char *detail;

      if (n_jumps > 0)
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Connected to %s port %u, then through %u jump host to the bastion",
                                               "Connected to %s port %u, then through %u jump hosts to the bastion",
                                               n_jumps),
                                  first_host, burrow_ssh_session_get_port (first), n_jumps);
      else
        detail = g_strdup_printf (_("Connected to %s port %u"), first_host,
                                  first != NULL ? burrow_ssh_session_get_port (first) : 0);

      set_step (self, BURROW_PROBE_STEP_TCP, BURROW_PROBE_STEP_PASSED, span (resolved, connected), detail, NULL);
    }

  if (until > BURROW_PROBE_STEP_HANDSHAKE)
    set_step (self, BURROW_PROBE_STEP_HANDSHAKE, BURROW_PROBE_STEP_PASSED, span (connected, handshake),
              g_strdup_printf (_("%s; key exchange %s, cipher %s"),
                               handle ? ssh_get_serverbanner (handle) : "?",
                               handle ? ssh_get_kex_algo (handle) : "?",
                               handle ? ssh_get_cipher_in (handle) : "?"),
              NULL);

  if (until > BURROW_PROBE_STEP_HOST_KEY)
    set_step (self, BURROW_PROBE_STEP_HOST_KEY, BURROW_PROBE_STEP_PASSED, span (handshake, host_key),
              g_strdup_printf (_("%s %s, as recorded"),
                               burrow_ssh_session_get_host_key_type (last),
                               burrow_ssh_session_get_host_key_fingerprint (last)),
              NULL);

  if (until > BURROW_PROBE_STEP_AUTH)
    set_step (self, BURROW_PROBE_STEP_AUTH, BURROW_PROBE_STEP_PASSED, span (host_key, authenticated),
              g_strdup_printf (_("Signed in as %s with %s"),
                               burrow_profile_get_ssh_user (p),
                               auth_method_text (burrow_profile_get_ssh_auth (p))),
              NULL);
}

/* With Burrow's own key, a refusal nearly always means the key is not in
 * the bastion's authorized_keys yet: point at the guide that puts it there. */
static GError *
with_guide_hint (BurrowProbe *self,
                 GError      *error)   /* (transfer full) */
{
  BurrowProfile *p = profile (self);
  g_autofree char *cause = NULL;
  g_autofree char *name = NULL;
  g_autofree char *hint = NULL;
  GError *replaced = NULL;

  if (!g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED) ||
      burrow_profile_get_ssh_auth (p) != BURROW_PROFILE_AUTH_WORKSPACE_KEY)
    return error;

  cause = burrow_error_dup_cause (error);
  name = burrow_shell_word (burrow_profile_get_name (p));
  hint = g_strdup_printf (_("Burrow’s public key is probably not in ~/.ssh/authorized_keys of %s on the bastion yet. The guide shows the commands that put it there: “burrowctl guide %s”."),
                          burrow_profile_get_ssh_user (p), name);
  burrow_set_error (&replaced, error->domain, error->code, hint, "%s", cause);
  g_error_free (error);

  return replaced;
}

/* Places an SSH failure on its step, with the steps before it passed. */
static void
fail_ssh (BurrowProbe *self,
          GError      *error)   /* (transfer full) */
{
  BurrowProbeStep failed;

  error = with_guide_hint (self, error);
  failed = ssh_failed_step (self, error);

  record_ssh_steps (self, failed);

  if (g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN))
    g_set_object (&self->unknown_key_session, last_hop (self));

  /* The step's time runs from the last moment that came. */
  self->step_started = g_get_monotonic_time ();
  set_step (self, failed, BURROW_PROBE_STEP_RUNNING, -1, NULL, NULL);
  fail_step (self, failed, error);
}

static void
on_chain_setup (BurrowSshChain   *chain,
                BurrowSshSession *session,
                guint             hop,
                gpointer          user_data)
{
  BurrowProbe *self = user_data;

  burrow_ssh_session_set_connect_timeout (session, self->step_timeout);
  g_ptr_array_add (self->sessions, g_object_ref (session));
}

static void
on_chain_notify_state (BurrowSshChain *chain,
                       GParamSpec     *pspec,
                       gpointer        user_data)
{
  BurrowProbe *self = user_data;
  BurrowSshChainState state = burrow_ssh_chain_get_state (chain);

  if (self->task == NULL)
    return;

  if (state == BURROW_SSH_CHAIN_UP)
    {
      g_clear_handle_id (&self->timeout_source, g_source_remove);
      g_clear_signal_handler (&self->chain_handler, self->chain);
      record_ssh_steps (self, BURROW_PROBE_STEP_CHANNEL);
      run_channel_step (self);
      return;
    }

  if (state == BURROW_SSH_CHAIN_RECONNECTING || state == BURROW_SSH_CHAIN_FAILED)
    {
      const GError *chain_error = burrow_ssh_chain_get_error (chain);
      g_autoptr(GError) error = NULL;

      /* The probe tries once: a test that retries in the background would
       * hide the answer the analyst is waiting for. */
      g_clear_handle_id (&self->timeout_source, g_source_remove);
      g_clear_signal_handler (&self->chain_handler, self->chain);

      if (chain_error != NULL)
        error = g_error_copy (chain_error);
      else
        burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED, NULL,
                          _("The SSH connection failed."));

      fail_ssh (self, g_steal_pointer (&error));
    }
}

static void
ssh_timed_out (BurrowProbe *self)
{
  g_autoptr(GError) error = timeout_error (self, _("Connecting and signing in to the bastion"));

  g_clear_signal_handler (&self->chain_handler, self->chain);
  fail_ssh (self, g_steal_pointer (&error));
}

static void
run_ssh_steps (BurrowProbe *self)
{
  g_autoptr(GError) error = NULL;

  self->chain = burrow_credentials_build_chain (self->credentials, &error);
  if (self->chain == NULL)
    {
      start_step (self, BURROW_PROBE_STEP_AUTH);
      fail_step (self, BURROW_PROBE_STEP_AUTH, g_steal_pointer (&error));
      return;
    }

  burrow_ssh_chain_set_setup_func (self->chain, on_chain_setup, self, NULL);
  self->chain_handler = g_signal_connect (self->chain, "notify::state",
                                          G_CALLBACK (on_chain_notify_state), self);

  start_step (self, BURROW_PROBE_STEP_RESOLVE);
  /* Each session times out its own connect; this bounds the whole of
   * signing in, agent and keyboard-interactive included. */
  arm_timeout (self, self->step_timeout * 4);
  self->holding_chain = TRUE;
  burrow_ssh_chain_hold (self->chain);
}

/* Step 6: a channel to the database, closed again at once. */

static void
on_channel_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowProbe *self = probe_of_current_run (task);
  g_autoptr(GError) error = NULL;
  BurrowProfile *p;
  ssh_channel channel;

  channel = burrow_ssh_session_open_channel_finish (BURROW_SSH_SESSION (source), result, &error);

  if (self == NULL)
    {
      if (channel != NULL)
        burrow_ssh_channel_close_and_free (channel);
      return;
    }

  g_clear_handle_id (&self->timeout_source, g_source_remove);

  if (channel == NULL)
    {
      if (timed_out (self))
        {
          g_clear_error (&error);
          error = timeout_error (self, _("Opening a channel through the bastion"));
        }
      fail_step (self, BURROW_PROBE_STEP_CHANNEL, g_steal_pointer (&error));
      return;
    }

  /* It opened, so closing it is safe (a channel whose open failed must
   * never be closed: that would take the whole session down). */
  burrow_ssh_channel_close_and_free (channel);
  burrow_ssh_session_flush (BURROW_SSH_SESSION (source));

  p = profile (self);
  pass_step (self, BURROW_PROBE_STEP_CHANNEL,
             g_strdup_printf (_("The bastion reached %s port %u"),
                              burrow_profile_get_db_host (p), burrow_profile_get_db_port (p)));
  run_login_step (self);
}

static void
run_channel_step (BurrowProbe *self)
{
  BurrowProfile *p = profile (self);

  start_step (self, BURROW_PROBE_STEP_CHANNEL);
  arm_timeout (self, self->step_timeout);
  burrow_ssh_session_open_channel_async (burrow_ssh_chain_get_session (self->chain),
                                         burrow_profile_get_db_host (p),
                                         burrow_profile_get_db_port (p),
                                         new_step_cancellable (self),
                                         on_channel_opened,
                                         g_object_ref (self->task));
}

/* Steps 7 and 8: the login and the first query, through a tunnel on an
 * ephemeral loopback port when there is one. */

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowProbe *self = probe_of_current_run (task);
  g_autoptr(BurrowDbLoginResult) login = NULL;
  g_autoptr(GError) error = NULL;
  BurrowDbKind kind;

  login = burrow_db_login_finish (result, &error);
  if (self == NULL)
    return;

  if (login == NULL)
    {
      BurrowProbeStep step = g_error_matches (error, BURROW_DB_ERROR, BURROW_DB_ERROR_QUERY_FAILED)
                             ? BURROW_PROBE_STEP_QUERY : BURROW_PROBE_STEP_LOGIN;

      if (step == BURROW_PROBE_STEP_QUERY)
        {
          set_step (self, BURROW_PROBE_STEP_LOGIN, BURROW_PROBE_STEP_PASSED,
                    g_get_monotonic_time () - self->step_started, NULL, NULL);
          start_step (self, BURROW_PROBE_STEP_QUERY);
        }
      fail_step (self, step, g_steal_pointer (&error));
      return;
    }

  kind = burrow_db_login_result_get_kind (login);
  set_step (self, BURROW_PROBE_STEP_LOGIN, BURROW_PROBE_STEP_PASSED,
            burrow_db_login_result_get_login_usec (login),
            g_strdup (burrow_db_login_result_get_description (login)), NULL);

  if (burrow_db_login_result_get_logged_in (login))
    set_step (self, BURROW_PROBE_STEP_QUERY, BURROW_PROBE_STEP_PASSED,
              burrow_db_login_result_get_query_usec (login),
              g_strdup (burrow_db_login_result_get_server_version (login) != NULL
                        ? burrow_db_login_result_get_server_version (login)
                        : _("The query ran; the server did not say its version.")),
              NULL);
  else
    set_step (self, BURROW_PROBE_STEP_QUERY, BURROW_PROBE_STEP_NOT_APPLICABLE, -1,
              g_strdup_printf (_("Burrow does not log in to %s; it checked that the server answers."),
                               burrow_db_kind_get_display_name (kind)),
              NULL);

  finish (self);
}

static void
run_login_step (BurrowProbe *self)
{
  BurrowProfile *p = profile (self);
  g_autofree char *connect_host = NULL;
  g_autoptr(GError) error = NULL;
  BurrowDbLoginParams params = { 0 };

  start_step (self, BURROW_PROBE_STEP_LOGIN);

  params.server_host = burrow_profile_get_db_host (p);
  params.database = burrow_profile_get_db_name (p);
  params.user = burrow_profile_get_db_user (p);
  params.password = burrow_credentials_get_secret (self->credentials, BURROW_SECRET_DB_PASSWORD);

  if (tunnelled (self))
    {
      self->tunnel = burrow_tunnel_new (self->chain, burrow_profile_get_db_host (p),
                                        burrow_profile_get_db_port (p), 0);
      if (!burrow_tunnel_start (self->tunnel, &error))
        {
          fail_step (self, BURROW_PROBE_STEP_LOGIN, g_steal_pointer (&error));
          return;
        }

      params.connect_host = "127.0.0.1";
      params.port = burrow_tunnel_get_bound_port (self->tunnel);
    }
  else
    {
      connect_host = format_address (self->db_address);
      params.connect_host = connect_host;
      params.port = burrow_profile_get_db_port (p);
    }

  burrow_db_login_async (burrow_profile_get_db_kind (p), &params,
                         self->step_timeout * 1000,
                         new_step_cancellable (self), on_login_done, g_object_ref (self->task));
}

/* Without a tunnel: steps 1 and 2 against the database itself. */

static void
on_direct_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowProbe *self = probe_of_current_run (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  BurrowProfile *p;
  g_autofree char *address = NULL;
  GError *step_error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self == NULL)
    return;

  p = profile (self);

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  address = format_address (self->db_address);

  if (connection == NULL)
    {
      if (timed_out (self))
        step_error = timeout_error (self, _("Connecting to the database"));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        burrow_set_error (&step_error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                          _("Check the port, and that the database server is running and listens on this address."),
                          _("Nothing accepts connections at %s port %u."), address, burrow_profile_get_db_port (p));
      else
        burrow_set_error (&step_error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                          _("If the database sits in a private network, turn on the SSH tunnel and connect through a bastion."),
                          _("Could not connect to %s port %u: %s"), address, burrow_profile_get_db_port (p), error->message);
      fail_step (self, BURROW_PROBE_STEP_TCP, step_error);
      return;
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  pass_step (self, BURROW_PROBE_STEP_TCP,
             g_strdup_printf (_("Connected to %s port %u"), address, burrow_profile_get_db_port (p)));
  run_login_step (self);
}

static void
on_direct_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowProbe *self = probe_of_current_run (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = NULL;
  BurrowProfile *p;
  GList *addresses;
  GError *step_error = NULL;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (self == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  p = profile (self);

  g_clear_handle_id (&self->timeout_source, g_source_remove);

  if (addresses == NULL)
    {
      if (timed_out (self))
        step_error = timeout_error (self, _("Looking up the database’s name"));
      else
        burrow_set_error (&step_error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                          _("Check the spelling. A name inside a private network resolves only through its VPN or a bastion: turn on the SSH tunnel."),
                          _("The name “%s” does not resolve."), burrow_profile_get_db_host (p));
      fail_step (self, BURROW_PROBE_STEP_RESOLVE, step_error);
      return;
    }

  self->db_address = g_inet_socket_address_new (addresses->data, burrow_profile_get_db_port (p));
  g_resolver_free_addresses (addresses);

  {
    g_autofree char *address = format_address (self->db_address);

    pass_step (self, BURROW_PROBE_STEP_RESOLVE, resolved_detail (burrow_profile_get_db_host (p), address));
  }

  start_step (self, BURROW_PROBE_STEP_TCP);
  arm_timeout (self, self->step_timeout);
  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->db_address),
                                 new_step_cancellable (self), on_direct_connected, g_object_ref (self->task));
}

static void
run_direct_steps (BurrowProbe *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  start_step (self, BURROW_PROBE_STEP_RESOLVE);
  arm_timeout (self, self->step_timeout);
  g_resolver_lookup_by_name_async (resolver, burrow_profile_get_db_host (profile (self)),
                                   new_step_cancellable (self), on_direct_resolved, g_object_ref (self->task));
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  BurrowProbe *self = user_data;

  g_cancellable_cancel (self->cancellable);
  if (self->step_cancellable != NULL)
    g_cancellable_cancel (self->step_cancellable);
}

static gboolean
on_cancel_idle (gpointer user_data)
{
  BurrowProbe *self = probe_of_current_run (user_data);

  /* Whatever step was running may not call back once torn down (the SSH
   * chain has no cancellable): end the run here. */
  if (self != NULL)
    finish (self);

  return G_SOURCE_REMOVE;
}

/* Only the caller cancels the run's cancellable. */
static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  BurrowProbe *self = user_data;

  if (self->task != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, on_cancel_idle, g_object_ref (self->task), g_object_unref);
}

/* Overrides */

static void
burrow_probe_dispose (GObject *object)
{
  BurrowProbe *self = (BurrowProbe *)object;

  cleanup (self);
  g_clear_object (&self->unknown_key_session);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_probe_parent_class)->dispose (object);
}

static void
burrow_probe_finalize (GObject *object)
{
  BurrowProbe *self = (BurrowProbe *)object;

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    step_reset (&self->steps[i]);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->step_cancellable);
  g_clear_object (&self->db_address);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (burrow_probe_parent_class)->finalize (object);
}

static void
burrow_probe_class_init (BurrowProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_probe_dispose;
  object_class->finalize = burrow_probe_finalize;

  /**
   * BurrowProbe::step-changed:
   * @step: the BurrowProbeStep whose state, time or detail changed
   */
  signals[STEP_CHANGED] =
    g_signal_new ("step-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
burrow_probe_init (BurrowProbe *self)
{
  self->step_timeout = BURROW_PROBE_DEFAULT_STEP_TIMEOUT;
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    step_reset (&self->steps[i]);
}

/* Public API */

BurrowProbe *
burrow_probe_new (BurrowCredentials *credentials)
{
  BurrowProbe *self;

  g_return_val_if_fail (BURROW_IS_CREDENTIALS (credentials), NULL);

  self = g_object_new (BURROW_TYPE_PROBE, NULL);
  self->credentials = g_object_ref (credentials);

  return self;
}

void
burrow_probe_set_step_timeout (BurrowProbe *self,
                               guint        seconds)
{
  g_return_if_fail (BURROW_IS_PROBE (self));
  g_return_if_fail (seconds > 0);

  self->step_timeout = seconds;
}

void
burrow_probe_run_async (BurrowProbe         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GCancellable) own_cancellable = NULL;

  g_return_if_fail (BURROW_IS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, burrow_probe_run_async);
  g_task_set_check_cancellable (self->task, FALSE);

  g_ptr_array_set_size (self->sessions, 0);
  g_clear_object (&self->unknown_key_session);
  g_clear_object (&self->db_address);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->step_cancellable);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (on_run_cancelled), self, 0);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    step_reset (&self->steps[i]);

  if (!tunnelled (self))
    for (guint i = BURROW_PROBE_STEP_HANDSHAKE; i <= BURROW_PROBE_STEP_CHANNEL; i++)
      self->steps[i].state = BURROW_PROBE_STEP_NOT_APPLICABLE;

  self->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled), self, NULL);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (tunnelled (self))
    run_ssh_steps (self);
  else
    run_direct_steps (self);
}

/* TRUE only when every step that applies passed; otherwise the failed
 * step's error (or G_IO_ERROR_CANCELLED). */
gboolean
burrow_probe_run_finish (BurrowProbe   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
burrow_probe_step_to_id (BurrowProbeStep step)
{
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return step_ids[step];
}

const char *
burrow_probe_step_state_to_id (BurrowProbeStepState state)
{
  g_return_val_if_fail (state <= BURROW_PROBE_STEP_NOT_APPLICABLE, NULL);

  return state_ids[state];
}

const char *
burrow_probe_get_step_title (BurrowProbe     *self,
                             BurrowProbeStep  step)
{
  gboolean tunnel;
  BurrowDbKind kind;

  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  tunnel = tunnelled (self);
  kind = burrow_profile_get_db_kind (profile (self));

  switch (step)
    {
    case BURROW_PROBE_STEP_RESOLVE:
      if (!tunnel)
        return _("Look up the database’s name");
      if (burrow_profile_get_jump_hosts (profile (self)) != NULL &&
          burrow_profile_get_jump_hosts (profile (self))[0] != NULL)
        return _("Look up the first jump host’s name");
      return _("Look up the bastion’s name");
    case BURROW_PROBE_STEP_TCP:
      return tunnel ? _("Connect to the bastion") : _("Connect to the database");
    case BURROW_PROBE_STEP_HANDSHAKE:
      return _("SSH handshake");
    case BURROW_PROBE_STEP_HOST_KEY:
      return _("Check the bastion’s host key");
    case BURROW_PROBE_STEP_AUTH:
      return _("Sign in to the bastion");
    case BURROW_PROBE_STEP_CHANNEL:
      return _("Open a channel to the database");
    case BURROW_PROBE_STEP_LOGIN:
      return burrow_db_kind_can_log_in (kind) ? _("Log in to the database") : _("Check that the database answers");
    case BURROW_PROBE_STEP_QUERY:
      return burrow_db_kind_get_first_query (kind) != NULL
             ? burrow_db_kind_get_first_query (kind) : _("First query");
    default:
      g_assert_not_reached ();
    }
}

BurrowProbeStepState
burrow_probe_get_step_state (BurrowProbe     *self,
                             BurrowProbeStep  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), BURROW_PROBE_STEP_PENDING);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, BURROW_PROBE_STEP_PENDING);

  return self->steps[step].state;
}

/* In microseconds; -1 when the step has no time of its own. */
gint64
burrow_probe_get_step_duration (BurrowProbe     *self,
                                BurrowProbeStep  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), -1);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, -1);

  return self->steps[step].duration;
}

const char *
burrow_probe_get_step_detail (BurrowProbe     *self,
                              BurrowProbeStep  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return self->steps[step].detail;
}

const GError *
burrow_probe_get_step_error (BurrowProbe     *self,
                             BurrowProbeStep  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return self->steps[step].error;
}

gboolean
burrow_probe_get_failed_step (BurrowProbe     *self,
                              BurrowProbeStep *step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      if (self->steps[i].state == BURROW_PROBE_STEP_FAILED)
        {
          if (step != NULL)
            *step = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
burrow_probe_get_host_key_fingerprint (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  if (self->unknown_key_session == NULL)
    return NULL;

  return burrow_ssh_session_get_host_key_fingerprint (self->unknown_key_session);
}

/* Records the key the last run found unknown, in Burrow's known_hosts. */
gboolean
burrow_probe_trust_host_key (BurrowProbe  *self,
                             GError      **error)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  if (self->unknown_key_session == NULL)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Run the test first; it shows the key to record."),
                        _("There is no new host key to record."));
      return FALSE;
    }

  return burrow_ssh_session_trust_host_key (self->unknown_key_session, error);
}

static void
append_quoted (GString    *command,
               const char *word)
{
  g_autofree char *quoted = burrow_shell_word (word);

  g_string_append_c (command, ' ');
  g_string_append (command, quoted);
}

/* The OpenSSH command that opens the same tunnel, for trying it by hand. */
char *
burrow_probe_dup_ssh_command (BurrowProbe *self)
{
  BurrowProfile *p;
  g_autoptr(GString) command = g_string_new ("ssh -N");
  const char * const *jumps;
  g_autofree char *forward = NULL;
  g_autofree char *database = NULL;
  g_autofree char *destination = NULL;
  guint local_port;

  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  p = profile (self);
  if (!burrow_profile_get_tunnel_enabled (p))
    return NULL;

  local_port = burrow_profile_get_local_port (p);
  if (local_port == 0)
    local_port = burrow_db_kind_get_default_port (burrow_profile_get_db_kind (p)) + 10000;
  database = burrow_format_host_port (burrow_profile_get_db_host (p), burrow_profile_get_db_port (p));
  forward = g_strdup_printf ("127.0.0.1:%u:%s", local_port, database);
  append_quoted (command, "-L");
  append_quoted (command, forward);

  if (burrow_profile_get_ssh_port (p) != 22)
    {
      g_autofree char *port = g_strdup_printf ("%u", burrow_profile_get_ssh_port (p));

      append_quoted (command, "-p");
      append_quoted (command, port);
    }

  jumps = burrow_profile_get_jump_hosts (p);
  if (jumps != NULL && jumps[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", (char **)jumps);

      append_quoted (command, "-J");
      append_quoted (command, joined);
    }

  if (burrow_profile_get_ssh_auth (p) == BURROW_PROFILE_AUTH_KEY_FILE)
    {
      append_quoted (command, "-i");
      append_quoted (command, burrow_profile_get_ssh_key_file (p));
    }

  destination = g_strdup_printf ("%s@%s", burrow_profile_get_ssh_user (p), burrow_profile_get_ssh_host (p));
  append_quoted (command, destination);

  return g_string_free (g_steal_pointer (&command), FALSE);
}

static const char *
state_mark (BurrowProbeStepState state)
{
  switch (state)
    {
    case BURROW_PROBE_STEP_PASSED:
      return "✔";
    case BURROW_PROBE_STEP_FAILED:
      return "✘";
    case BURROW_PROBE_STEP_RUNNING:
      return "…";
    case BURROW_PROBE_STEP_NOT_APPLICABLE:
      return "–";
    case BURROW_PROBE_STEP_PENDING:
    case BURROW_PROBE_STEP_NOT_RUN:
    default:
      return "·";
    }
}

/* Text for a support ticket: what was tested and what happened, with no
 * secret in it. */
char *
burrow_probe_dup_diagnostics (BurrowProbe *self)
{
  BurrowProfile *p;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = NULL;
  g_autofree char *libraries = burrow_version_libraries ();
  g_autofree char *command = NULL;

  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  p = profile (self);
  when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S %z");

  g_string_append_printf (text, _("Test of “%s”, %s\n"), burrow_profile_get_name (p), when);
  g_string_append_printf (text, _("Database: %s at %s port %u, database “%s”, user “%s”\n"),
                          burrow_db_kind_get_display_name (burrow_profile_get_db_kind (p)),
                          burrow_profile_get_db_host (p), burrow_profile_get_db_port (p),
                          burrow_profile_get_db_name (p) ? burrow_profile_get_db_name (p) : "",
                          burrow_profile_get_db_user (p) ? burrow_profile_get_db_user (p) : "");

  if (burrow_profile_get_tunnel_enabled (p))
    {
      const char * const *jumps = burrow_profile_get_jump_hosts (p);

      g_string_append_printf (text, _("SSH tunnel: %s@%s port %u, signing in with %s\n"),
                              burrow_profile_get_ssh_user (p), burrow_profile_get_ssh_host (p),
                              burrow_profile_get_ssh_port (p),
                              auth_method_text (burrow_profile_get_ssh_auth (p)));
      if (jumps != NULL && jumps[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", (char **)jumps);
          g_string_append_printf (text, _("Jump hosts: %s\n"), joined);
        }
    }
  else
    g_string_append (text, _("No SSH tunnel\n"));

  g_string_append_c (text, '\n');

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      Step *step = &self->steps[i];

      g_string_append_printf (text, "%s %s", state_mark (step->state), burrow_probe_get_step_title (self, i));
      if (step->duration >= 0)
        g_string_append_printf (text, " (%.1f ms)", step->duration / 1000.0);
      if (step->detail != NULL)
        g_string_append_printf (text, ": %s", step->detail);
      g_string_append_c (text, '\n');

      if (step->error != NULL)
        {
          g_autofree char *cause = burrow_error_dup_cause (step->error);
          const char *hint = burrow_error_get_hint (step->error);

          g_string_append_printf (text, "    %s\n", cause);
          if (hint != NULL)
            g_string_append_printf (text, "    %s\n", hint);
        }
    }

  command = burrow_probe_dup_ssh_command (self);
  if (command != NULL)
    {
      BurrowProfileAuth auth = burrow_profile_get_ssh_auth (p);

      g_string_append_printf (text, _("\nThe same tunnel with OpenSSH:\n  %s\n"), command);
      if (auth == BURROW_PROFILE_AUTH_WORKSPACE_KEY || auth == BURROW_PROFILE_AUTH_PRIVATE_KEY)
        g_string_append (text, _("  (The key Burrow signs in with stays in the keyring: add one of your own with -i, or use ssh-agent.)\n"));
    }

  g_string_append_printf (text, "\n%s", libraries);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
