/* burrow-probe.c — the test connection: every step, its time, and what to
 * do when one fails.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe drives the same pieces a tunnel uses — the SSH chain, a tunnel
 * on an ephemeral loopback port, the database login — so that what it
 * checks is what Connect will do. The SSH steps are read from the moments
 * each session records, as the sessions report progress; a failure is
 * placed on the first step whose moment never came, and its time runs from
 * the last moment that did.
 *
 * What the probe shows as text (the diagnostics, the OpenSSH command) is
 * in burrow-probe-report.c.
 */

#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "burrow-db-login.h"
#include "burrow-error.h"
#include "burrow-probe-private.h"
#include "burrow-probe-step-private.h"
#include "burrow-shell.h"
#include "burrow-source.h"
#include "burrow-ssh-error.h"
#include "burrow-tunnel.h"

struct _BurrowProbe
{
  GObject            parent_instance;

  BurrowCredentials *credentials;
  GMainContext      *context;
  guint              step_timeout;
  GListStore        *steps;
  BurrowProbeStep   *step[BURROW_PROBE_N_STEPS];   /* the store's items */

  gboolean           running;
  char              *server_version;
  BurrowHostKey     *host_key;
  gboolean           workspace_key_not_authorized;

  /* One run at a time. */
  GTask             *task;
  GCancellable      *cancellable;        /* the caller's, or the run's own */
  GCancellable      *step_cancellable;   /* the running step's: also by its timeout */
  guint              cancel_source;
  guint              timeout_source;
  gint64             step_started;

  BurrowSshChain    *chain;
  gboolean           holding_chain;
  gulong             chain_handler;    /* while signing in */
  guint              glance_source;    /* while signing in */
  GPtrArray         *sessions;      /* BurrowSshSession, one per hop, in order */
  BurrowTunnel      *tunnel;
  BurrowDbLogin     *login;
  GSocketAddress    *db_address;    /* without a tunnel: what step 1 found */
};

G_DEFINE_FINAL_TYPE (BurrowProbe, burrow_probe, G_TYPE_OBJECT)

/* How often the SSH steps are looked at while signing in: often enough for
 * a step that takes a while to show as running, seldom enough to cost
 * nothing. */
#define GLANCE_MS 100

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_SERVER_VERSION,
  PROP_HOST_KEY,
  PROP_WORKSPACE_KEY_NOT_AUTHORIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_channel_step (BurrowProbe *self);
static void run_login_step   (BurrowProbe *self);

/* Helpers */

static gboolean
tunnelled (BurrowProbe *self)
{
  return burrow_profile_get_tunnel_enabled (burrow_probe_get_profile (self));
}

/* Whether the caller runs the probe's context: everything the probe
 * drives attaches to the thread-default context of whoever calls it. */
static gboolean
on_own_context (BurrowProbe *self)
{
  g_autoptr(GMainContext) current = g_main_context_ref_thread_default ();

  return current == self->context;
}

static gint64
elapsed_since (gint64 moment)
{
  return moment > 0 ? MAX (g_get_monotonic_time () - moment, 0) : -1;
}

static const char *
step_title (BurrowProbe       *self,
            BurrowProbeStepId  id)
{
  BurrowProfile *p = burrow_probe_get_profile (self);
  BurrowDbKind kind = burrow_profile_get_db_kind (p);
  const char * const *jumps = burrow_profile_get_jump_hosts (p);
  gboolean tunnel = tunnelled (self);

  switch (id)
    {
    case BURROW_PROBE_STEP_RESOLVE:
      if (!tunnel)
        return _("Look up the database’s name");
      if (jumps != NULL && jumps[0] != NULL)
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

/* Takes @detail and @error. */
static void
set_step (BurrowProbe          *self,
          BurrowProbeStepId     id,
          BurrowProbeStepState  state,
          gint64                duration,
          char                 *detail,
          GError               *error)
{
  g_autofree char *owned_detail = detail;
  g_autoptr(GError) owned_error = error;

  if (burrow_probe_step_update (self->step[id], state, duration, detail, error))
    g_signal_emit (self, signals[STEP_CHANGED], 0, id);
}

static BurrowProbeStepState
step_state (BurrowProbe       *self,
            BurrowProbeStepId  id)
{
  return burrow_probe_step_get_state (self->step[id]);
}

static void
start_step (BurrowProbe       *self,
            BurrowProbeStepId  id)
{
  self->step_started = g_get_monotonic_time ();
  set_step (self, id, BURROW_PROBE_STEP_RUNNING, -1, NULL, NULL);
}

static void
pass_step (BurrowProbe       *self,
           BurrowProbeStepId  id,
           char              *detail)
{
  set_step (self, id, BURROW_PROBE_STEP_PASSED, elapsed_since (self->step_started), detail, NULL);
}

/* Every step back to where a run starts: titles for this profile, and
 * the steps that do not apply to it marked as such. */
static void
reset_steps (BurrowProbe *self)
{
  BurrowDbKind kind = burrow_profile_get_db_kind (burrow_probe_get_profile (self));
  gboolean tunnel = tunnelled (self);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      gboolean ssh_only = i >= BURROW_PROBE_STEP_HANDSHAKE && i <= BURROW_PROBE_STEP_CHANNEL;
      char *detail = NULL;
      BurrowProbeStepState state = BURROW_PROBE_STEP_PENDING;

      burrow_probe_step_set_title (self->step[i], step_title (self, i));

      if (ssh_only && !tunnel)
        state = BURROW_PROBE_STEP_NOT_APPLICABLE;
      else if (i == BURROW_PROBE_STEP_QUERY && !burrow_db_kind_can_log_in (kind))
        {
          state = BURROW_PROBE_STEP_NOT_APPLICABLE;
          detail = g_strdup_printf (_("Burrow does not log in to %s; it checks that the server answers."),
                                    burrow_db_kind_get_display_name (kind));
        }

      set_step (self, i, state, -1, detail, NULL);
    }
}

static void
set_running (BurrowProbe *self,
             gboolean     running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_server_version (BurrowProbe *self,
                    const char  *version)
{
  if (g_strcmp0 (self->server_version, version) == 0)
    return;

  g_free (self->server_version);
  self->server_version = g_strdup (version);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_VERSION]);
}

static void
set_host_key (BurrowProbe   *self,
              BurrowHostKey *host_key)
{
  if (g_set_object (&self->host_key, host_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_KEY]);
}

static void
set_workspace_key_not_authorized (BurrowProbe *self,
                                  gboolean     not_authorized)
{
  if (self->workspace_key_not_authorized == not_authorized)
    return;

  self->workspace_key_not_authorized = not_authorized;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE_KEY_NOT_AUTHORIZED]);
}

static void
clear_sessions (BurrowProbe *self)
{
  for (guint i = 0; i < self->sessions->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->sessions, i), self);
  g_ptr_array_set_size (self->sessions, 0);
}

/* Signing in ended, one way or the other. */
static void
stop_following_ssh (BurrowProbe *self)
{
  burrow_source_clear (self->context, &self->timeout_source);
  burrow_source_clear (self->context, &self->glance_source);
  g_clear_signal_handler (&self->chain_handler, self->chain);
}

static void
cleanup (BurrowProbe *self)
{
  burrow_source_clear (self->context, &self->timeout_source);
  burrow_source_clear (self->context, &self->cancel_source);

  if (self->tunnel != NULL)
    {
      burrow_tunnel_stop (self->tunnel);
      g_clear_object (&self->tunnel);
    }

  if (self->chain != NULL)
    {
      stop_following_ssh (self);
      burrow_ssh_chain_set_setup_func (self->chain, NULL, NULL, NULL);
      if (self->holding_chain)
        burrow_ssh_chain_release (self->chain);
      self->holding_chain = FALSE;
      g_clear_object (&self->chain);
    }

  /* Done with the chain, done with its sessions: what the analyst may
   * need of them (a host key) was copied out. */
  if (self->sessions != NULL)
    clear_sessions (self);
}

/* Ends the run: the failed step (if any) keeps its error, every step still
 * pending or running is marked as not run. */
static void
finish (BurrowProbe *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  BurrowProbeStepId failed;

  cleanup (self);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      if (step_state (self, i) == BURROW_PROBE_STEP_PENDING ||
          step_state (self, i) == BURROW_PROBE_STEP_RUNNING)
        set_step (self, i, BURROW_PROBE_STEP_NOT_RUN, -1, NULL, NULL);
    }

  set_running (self, FALSE);

  if (g_cancellable_is_cancelled (self->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The test was cancelled"));
  else if (burrow_probe_get_failed_step (self, &failed))
    g_task_return_error (task, g_error_copy (burrow_probe_step_get_error (self->step[failed])));
  else
    g_task_return_boolean (task, TRUE);
}

/* @duration: what the step took, -1 when it did not start. */
static void
fail_step (BurrowProbe       *self,
           BurrowProbeStepId  id,
           gint64             duration,
           GError            *error)   /* (transfer full) */
{
  /* Cancelled by the caller: the step did not fail, the run stopped. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_error_free (error);
      finish (self);
      return;
    }

  set_step (self, id, BURROW_PROBE_STEP_FAILED, duration, NULL, error);
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
  burrow_source_clear (self->context, &self->timeout_source);
  self->timeout_source = burrow_source_attach (self->context, g_timeout_source_new_seconds (seconds),
                                               on_step_timeout, self);
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

/* The hop the chain is at: the bastion once every jump host is through. */
static BurrowSshSession *
last_hop (BurrowProbe *self)
{
  return self->sessions->len > 0 ? g_ptr_array_index (self->sessions, self->sessions->len - 1) : NULL;
}

static BurrowSshSession *
bastion_hop (BurrowProbe *self)
{
  if (self->chain == NULL || self->sessions->len < burrow_ssh_chain_get_n_hops (self->chain))
    return NULL;

  return last_hop (self);
}

/* The moment each SSH step began: when the one before it ended. */
static gint64
ssh_step_began (BurrowProbe       *self,
                BurrowProbeStepId  id,
                BurrowSshSession  *at)
{
  BurrowSshSession *first = first_hop (self);

  switch (id)
    {
    case BURROW_PROBE_STEP_RESOLVE:
      return phase (first, BURROW_SSH_PHASE_START);
    case BURROW_PROBE_STEP_TCP:
      return phase (first, BURROW_SSH_PHASE_RESOLVED);
    case BURROW_PROBE_STEP_HANDSHAKE:
      return phase (first, BURROW_SSH_PHASE_TCP_CONNECTED);
    case BURROW_PROBE_STEP_HOST_KEY:
      return phase (at, BURROW_SSH_PHASE_HANDSHAKE_DONE);
    case BURROW_PROBE_STEP_AUTH:
      return phase (at, BURROW_SSH_PHASE_HOST_KEY_CHECKED);
    case BURROW_PROBE_STEP_CHANNEL:
      return phase (at, BURROW_SSH_PHASE_AUTHENTICATED);
    default:
      g_assert_not_reached ();
    }
}

/* The first SSH step that has not ended yet, @at being the hop whose
 * handshake, host key and sign-in count. */
static BurrowProbeStepId
ssh_step_reached (BurrowProbe      *self,
                  BurrowSshSession *at)
{
  for (BurrowProbeStepId id = BURROW_PROBE_STEP_RESOLVE; id < BURROW_PROBE_STEP_CHANNEL; id++)
    if (ssh_step_began (self, id + 1, at) == 0)
      return id;

  return BURROW_PROBE_STEP_CHANNEL;
}

/* Where a failed SSH connection stopped: the first moment that never came. */
static BurrowProbeStepId
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

  return CLAMP (ssh_step_reached (self, last), BURROW_PROBE_STEP_TCP, BURROW_PROBE_STEP_AUTH);
}

static gint64
span (gint64 from,
      gint64 to)
{
  return from != 0 && to != 0 && to >= from ? to - from : -1;
}

/* Marks the SSH steps before @until as passed, from the moments the
 * sessions recorded, @at being the hop whose handshake, host key and
 * sign-in count. */
static void
record_ssh_steps (BurrowProbe       *self,
                  BurrowProbeStepId  until,
                  BurrowSshSession  *at)
{
  BurrowSshSession *first = first_hop (self);
  BurrowProfile *p = burrow_probe_get_profile (self);
  ssh_session handle = at != NULL ? burrow_ssh_session_get_handle (at) : NULL;
  guint n_jumps = self->sessions->len > 0 ? self->sessions->len - 1 : 0;
  const char *first_host = first != NULL ? burrow_ssh_session_get_host (first) : burrow_profile_get_ssh_host (p);
  gint64 ended[BURROW_PROBE_N_STEPS];

  for (BurrowProbeStepId id = BURROW_PROBE_STEP_RESOLVE; id < BURROW_PROBE_STEP_CHANNEL; id++)
    ended[id] = ssh_step_began (self, id + 1, at);

  if (until > BURROW_PROBE_STEP_RESOLVE)
    {
      g_autofree char *address = first != NULL ? peer_address (first) : NULL;

      set_step (self, BURROW_PROBE_STEP_RESOLVE, BURROW_PROBE_STEP_PASSED,
                span (ssh_step_began (self, BURROW_PROBE_STEP_RESOLVE, at), ended[BURROW_PROBE_STEP_RESOLVE]),
                resolved_detail (first_host, address), NULL);
    }

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

      set_step (self, BURROW_PROBE_STEP_TCP, BURROW_PROBE_STEP_PASSED,
                span (ended[BURROW_PROBE_STEP_RESOLVE], ended[BURROW_PROBE_STEP_TCP]), detail, NULL);
    }

  if (until > BURROW_PROBE_STEP_HANDSHAKE)
    set_step (self, BURROW_PROBE_STEP_HANDSHAKE, BURROW_PROBE_STEP_PASSED,
              span (ended[BURROW_PROBE_STEP_TCP], ended[BURROW_PROBE_STEP_HANDSHAKE]),
              g_strdup_printf (_("%s; key exchange %s, cipher %s"),
                               handle ? ssh_get_serverbanner (handle) : "?",
                               handle ? ssh_get_kex_algo (handle) : "?",
                               handle ? ssh_get_cipher_in (handle) : "?"),
              NULL);

  if (until > BURROW_PROBE_STEP_HOST_KEY)
    set_step (self, BURROW_PROBE_STEP_HOST_KEY, BURROW_PROBE_STEP_PASSED,
              span (ended[BURROW_PROBE_STEP_HANDSHAKE], ended[BURROW_PROBE_STEP_HOST_KEY]),
              g_strdup_printf (_("%s %s, as recorded"),
                               burrow_ssh_session_get_host_key_type (at),
                               burrow_ssh_session_get_host_key_fingerprint (at)),
              NULL);

  if (until > BURROW_PROBE_STEP_AUTH)
    set_step (self, BURROW_PROBE_STEP_AUTH, BURROW_PROBE_STEP_PASSED,
              span (ended[BURROW_PROBE_STEP_HOST_KEY], ended[BURROW_PROBE_STEP_AUTH]),
              g_strdup_printf (_("Signed in as %s with %s"),
                               burrow_profile_get_ssh_user (p),
                               burrow_probe_auth_method_text (burrow_profile_get_ssh_auth (p))),
              NULL);
}

/* With Burrow's own key, a refusal nearly always means the key is not in
 * the bastion's authorized_keys yet: point at the guide that puts it there. */
static GError *
with_guide_hint (BurrowProbe *self,
                 GError      *error)   /* (transfer full) */
{
  BurrowProfile *p = burrow_probe_get_profile (self);
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

  set_workspace_key_not_authorized (self, TRUE);
  return replaced;
}

/* The key of the hop that stopped at its host key: the innermost one that
 * showed a key not trusted, which is the hop the chain was at. */
static BurrowHostKey *
failed_host_key (BurrowProbe *self)
{
  for (guint i = self->sessions->len; i > 0; i--)
    {
      BurrowHostKey *key = burrow_ssh_session_get_host_key (g_ptr_array_index (self->sessions, i - 1));

      if (key != NULL && burrow_host_key_get_status (key) != BURROW_HOST_KEY_TRUSTED)
        return key;
    }

  return NULL;
}

/* Places an SSH failure on its step, with the steps before it passed and
 * its time running from the moment the step before it ended. */
static void
fail_ssh (BurrowProbe *self,
          GError      *error)   /* (transfer full) */
{
  BurrowSshSession *at = last_hop (self);
  BurrowProbeStepId failed;
  gint64 began;

  error = with_guide_hint (self, error);
  failed = ssh_failed_step (self, error);
  record_ssh_steps (self, failed, at);

  if (failed == BURROW_PROBE_STEP_HOST_KEY)
    set_host_key (self, failed_host_key (self));

  began = ssh_step_began (self, failed, at);
  for (BurrowProbeStepId id = failed; began == 0 && id > BURROW_PROBE_STEP_RESOLVE; id--)
    began = ssh_step_began (self, id - 1, at);
  if (began == 0)
    began = self->step_started;

  fail_step (self, failed, elapsed_since (began), error);
}

/* Shows how far signing in got while it goes: the steps done pass, the
 * next one runs. */
static void
on_session_progress (BurrowProbe *self)
{
  BurrowSshSession *bastion = bastion_hop (self);
  BurrowProbeStepId reached;

  if (self->task == NULL || self->chain_handler == 0)
    return;

  reached = ssh_step_reached (self, bastion);
  record_ssh_steps (self, reached, bastion);
  if (reached < BURROW_PROBE_STEP_CHANNEL && step_state (self, reached) != BURROW_PROBE_STEP_RUNNING)
    set_step (self, reached, BURROW_PROBE_STEP_RUNNING, -1, NULL, NULL);
}

/* The sessions say when their state or host key changes, but not when
 * their name resolved or their TCP connection opened: a glance at the
 * moments they recorded, while signing in, shows those steps too. */
static gboolean
on_glance (gpointer user_data)
{
  on_session_progress (user_data);
  return G_SOURCE_CONTINUE;
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
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_session_progress), self);
  g_signal_connect_swapped (session, "notify::host-key-fingerprint", G_CALLBACK (on_session_progress), self);
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
      stop_following_ssh (self);
      record_ssh_steps (self, BURROW_PROBE_STEP_CHANNEL, last_hop (self));
      run_channel_step (self);
      return;
    }

  if (state == BURROW_SSH_CHAIN_RECONNECTING || state == BURROW_SSH_CHAIN_FAILED)
    {
      const GError *chain_error = burrow_ssh_chain_get_error (chain);
      g_autoptr(GError) error = NULL;

      /* The probe tries once: a test that retries in the background would
       * hide the answer the analyst is waiting for. */
      stop_following_ssh (self);

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

  stop_following_ssh (self);
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
      fail_step (self, BURROW_PROBE_STEP_AUTH, elapsed_since (self->step_started), g_steal_pointer (&error));
      return;
    }

  burrow_ssh_chain_set_setup_func (self->chain, on_chain_setup, self, NULL);
  self->chain_handler = g_signal_connect (self->chain, "notify::state",
                                          G_CALLBACK (on_chain_notify_state), self);

  start_step (self, BURROW_PROBE_STEP_RESOLVE);
  /* Each session times out its own connect; this bounds the whole of
   * signing in, agent and keyboard-interactive included. */
  arm_timeout (self, self->step_timeout * 4);
  self->glance_source = burrow_source_attach (self->context, g_timeout_source_new (GLANCE_MS),
                                              on_glance, self);
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

  burrow_source_clear (self->context, &self->timeout_source);

  if (channel == NULL)
    {
      if (timed_out (self))
        {
          g_clear_error (&error);
          error = timeout_error (self, _("Opening a channel through the bastion"));
        }
      fail_step (self, BURROW_PROBE_STEP_CHANNEL, elapsed_since (self->step_started), g_steal_pointer (&error));
      return;
    }

  /* It opened, so closing it is safe (a channel whose open failed must
   * never be closed: that would take the whole session down). */
  burrow_ssh_channel_close_and_free (channel);
  burrow_ssh_session_flush (BURROW_SSH_SESSION (source));

  p = burrow_probe_get_profile (self);
  pass_step (self, BURROW_PROBE_STEP_CHANNEL,
             g_strdup_printf (_("The bastion reached %s port %u"),
                              burrow_profile_get_db_host (p), burrow_profile_get_db_port (p)));
  run_login_step (self);
}

static void
run_channel_step (BurrowProbe *self)
{
  BurrowProfile *p = burrow_probe_get_profile (self);

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
  BurrowDbLogin *login = BURROW_DB_LOGIN (source);
  g_autoptr(BurrowDbLoginResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *version;

  answer = burrow_db_login_run_finish (login, result, &error);
  if (self == NULL)
    return;

  if (answer == NULL)
    {
      /* The login itself went through: each step gets its own time. */
      if (g_error_matches (error, BURROW_DB_ERROR, BURROW_DB_ERROR_QUERY_FAILED))
        {
          set_step (self, BURROW_PROBE_STEP_LOGIN, BURROW_PROBE_STEP_PASSED,
                    burrow_db_login_get_login_usec (login), NULL, NULL);
          fail_step (self, BURROW_PROBE_STEP_QUERY, burrow_db_login_get_query_usec (login),
                     g_steal_pointer (&error));
          return;
        }

      fail_step (self, BURROW_PROBE_STEP_LOGIN, elapsed_since (self->step_started), g_steal_pointer (&error));
      return;
    }

  set_step (self, BURROW_PROBE_STEP_LOGIN, BURROW_PROBE_STEP_PASSED,
            burrow_db_login_result_get_login_usec (answer),
            g_strdup (burrow_db_login_result_get_description (answer)), NULL);

  if (burrow_db_login_result_get_logged_in (answer))
    {
      version = burrow_db_login_result_get_server_version (answer);
      set_step (self, BURROW_PROBE_STEP_QUERY, BURROW_PROBE_STEP_PASSED,
                burrow_db_login_result_get_query_usec (answer),
                g_strdup (version != NULL ? version : _("The query ran; the server did not say its version.")),
                NULL);
      set_server_version (self, version);
    }

  finish (self);
}

static void
run_login_step (BurrowProbe *self)
{
  BurrowProfile *p = burrow_probe_get_profile (self);
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
          fail_step (self, BURROW_PROBE_STEP_LOGIN, elapsed_since (self->step_started), g_steal_pointer (&error));
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

  g_clear_object (&self->login);
  self->login = burrow_db_login_new (burrow_profile_get_db_kind (p), &params);
  burrow_db_login_run_async (self->login, self->step_timeout * 1000, new_step_cancellable (self),
                             on_login_done, g_object_ref (self->task));
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

  p = burrow_probe_get_profile (self);

  burrow_source_clear (self->context, &self->timeout_source);
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
      fail_step (self, BURROW_PROBE_STEP_TCP, elapsed_since (self->step_started), step_error);
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
  g_autofree char *address = NULL;
  BurrowProfile *p;
  GList *addresses;
  GError *step_error = NULL;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (self == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  p = burrow_probe_get_profile (self);

  burrow_source_clear (self->context, &self->timeout_source);

  if (addresses == NULL)
    {
      if (timed_out (self))
        step_error = timeout_error (self, _("Looking up the database’s name"));
      else
        burrow_set_error (&step_error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                          _("Check the spelling. A name inside a private network resolves only through its VPN or a bastion: turn on the SSH tunnel."),
                          _("The name “%s” does not resolve."), burrow_profile_get_db_host (p));
      fail_step (self, BURROW_PROBE_STEP_RESOLVE, elapsed_since (self->step_started), step_error);
      return;
    }

  self->db_address = g_inet_socket_address_new (addresses->data, burrow_profile_get_db_port (p));
  g_resolver_free_addresses (addresses);

  address = format_address (self->db_address);
  pass_step (self, BURROW_PROBE_STEP_RESOLVE, resolved_detail (burrow_profile_get_db_host (p), address));

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
  g_resolver_lookup_by_name_async (resolver, burrow_profile_get_db_host (burrow_probe_get_profile (self)),
                                   new_step_cancellable (self), on_direct_resolved, g_object_ref (self->task));
}

/* Cancelled by the caller, from any thread: this runs on the probe's own
 * context. Whatever step was running may not call back once torn down
 * (the SSH chain has no cancellable), so the run ends here. */
static gboolean
on_run_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  BurrowProbe *self = user_data;

  self->cancel_source = 0;
  if (self->step_cancellable != NULL)
    g_cancellable_cancel (self->step_cancellable);
  if (self->task != NULL)
    finish (self);

  return G_SOURCE_REMOVE;
}

/* Overrides */

static void
burrow_probe_dispose (GObject *object)
{
  BurrowProbe *self = (BurrowProbe *)object;

  cleanup (self);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_object (&self->login);
  g_clear_object (&self->host_key);

  G_OBJECT_CLASS (burrow_probe_parent_class)->dispose (object);
}

static void
burrow_probe_finalize (GObject *object)
{
  BurrowProbe *self = (BurrowProbe *)object;

  g_clear_object (&self->steps);
  g_free (self->server_version);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->step_cancellable);
  g_clear_object (&self->db_address);
  g_clear_object (&self->credentials);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (burrow_probe_parent_class)->finalize (object);
}

static void
burrow_probe_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BurrowProbe *self = BURROW_PROBE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_SERVER_VERSION:
      g_value_set_string (value, self->server_version);
      break;

    case PROP_HOST_KEY:
      g_value_set_object (value, self->host_key);
      break;

    case PROP_WORKSPACE_KEY_NOT_AUTHORIZED:
      g_value_set_boolean (value, self->workspace_key_not_authorized);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_class_init (BurrowProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = burrow_probe_dispose;
  object_class->finalize = burrow_probe_finalize;
  object_class->get_property = burrow_probe_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_SERVER_VERSION] =
    g_param_spec_string ("server-version", NULL, NULL, NULL, flags);
  properties[PROP_HOST_KEY] =
    g_param_spec_object ("host-key", NULL, NULL, BURROW_TYPE_HOST_KEY, flags);
  properties[PROP_WORKSPACE_KEY_NOT_AUTHORIZED] =
    g_param_spec_boolean ("workspace-key-not-authorized", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowProbe::step-changed:
   * @step: the BurrowProbeStepId of the step that changed
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
  self->context = g_main_context_ref_thread_default ();
  self->step_timeout = BURROW_PROBE_DEFAULT_STEP_TIMEOUT;
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->steps = g_list_store_new (BURROW_TYPE_PROBE_STEP);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      g_autoptr(BurrowProbeStep) step = burrow_probe_step_new (i);

      self->step[i] = step;
      g_list_store_append (self->steps, step);
    }
}

/* Private API */

BurrowProfile *
burrow_probe_get_profile (BurrowProbe *self)
{
  return burrow_credentials_get_profile (self->credentials);
}

/* Public API */

BurrowProbe *
burrow_probe_new (BurrowCredentials *credentials)
{
  BurrowProbe *self;

  g_return_val_if_fail (BURROW_IS_CREDENTIALS (credentials), NULL);

  self = g_object_new (BURROW_TYPE_PROBE, NULL);
  self->credentials = g_object_ref (credentials);
  reset_steps (self);

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
  g_return_if_fail (BURROW_IS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (on_own_context (self));

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, burrow_probe_run_async);
  g_task_set_check_cancellable (self->task, FALSE);

  g_clear_object (&self->login);
  g_clear_object (&self->db_address);
  g_clear_object (&self->step_cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  self->step_started = g_get_monotonic_time ();

  set_running (self, TRUE);
  set_server_version (self, NULL);
  set_host_key (self, NULL);
  set_workspace_key_not_authorized (self, FALSE);
  reset_steps (self);

  /* The caller may cancel from another thread; the run hears it here. */
  self->cancel_source = burrow_source_attach (self->context, g_cancellable_source_new (self->cancellable),
                                              (GSourceFunc) on_run_cancelled, self);
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

/**
 * burrow_probe_get_steps:
 *
 * Returns: (transfer none): a GListModel of the eight BurrowProbeStep, in
 *   order, for the probe's whole life
 */
GListModel *
burrow_probe_get_steps (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  return G_LIST_MODEL (self->steps);
}

/**
 * burrow_probe_get_step:
 *
 * Returns: (transfer none): the step @id, the same object as in the model
 */
BurrowProbeStep *
burrow_probe_get_step (BurrowProbe       *self,
                       BurrowProbeStepId  id)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (id < BURROW_PROBE_N_STEPS, NULL);

  return self->step[id];
}

gboolean
burrow_probe_get_running (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  return self->running;
}

/* The first query's answer once it passed, e.g. "PostgreSQL 15.8 …". */
const char *
burrow_probe_get_server_version (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  return self->server_version;
}

/**
 * burrow_probe_get_host_key:
 *
 * Returns: (transfer none) (nullable): when the host-key step failed, the
 *   key the hop that stopped showed (a jump host's or the bastion's), with
 *   Burrow's verdict on it; %NULL otherwise
 */
BurrowHostKey *
burrow_probe_get_host_key (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  return self->host_key;
}

/* TRUE when the bastion refused Burrow's own key: the key guide puts it
 * where the bastion looks. */
gboolean
burrow_probe_get_workspace_key_not_authorized (BurrowProbe *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  return self->workspace_key_not_authorized;
}

const char *
burrow_probe_get_step_title (BurrowProbe       *self,
                             BurrowProbeStepId  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return burrow_probe_step_get_title (self->step[step]);
}

BurrowProbeStepState
burrow_probe_get_step_state (BurrowProbe       *self,
                             BurrowProbeStepId  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), BURROW_PROBE_STEP_PENDING);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, BURROW_PROBE_STEP_PENDING);

  return step_state (self, step);
}

/* In microseconds, a failed step's too; -1 while the step has not run. */
gint64
burrow_probe_get_step_duration (BurrowProbe       *self,
                                BurrowProbeStepId  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), -1);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, -1);

  return burrow_probe_step_get_duration (self->step[step]);
}

const char *
burrow_probe_get_step_detail (BurrowProbe       *self,
                              BurrowProbeStepId  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return burrow_probe_step_get_detail (self->step[step]);
}

const GError *
burrow_probe_get_step_error (BurrowProbe       *self,
                             BurrowProbeStepId  step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);
  g_return_val_if_fail (step < BURROW_PROBE_N_STEPS, NULL);

  return burrow_probe_step_get_error (self->step[step]);
}

gboolean
burrow_probe_get_failed_step (BurrowProbe       *self,
                              BurrowProbeStepId *step)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      if (step_state (self, i) == BURROW_PROBE_STEP_FAILED)
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

  if (self->host_key == NULL || burrow_host_key_get_status (self->host_key) != BURROW_HOST_KEY_UNKNOWN)
    return NULL;

  return burrow_host_key_get_fingerprint (self->host_key);
}

/* Records the key the last run found unknown, in Burrow's known_hosts. */
gboolean
burrow_probe_trust_host_key (BurrowProbe  *self,
                             GError      **error)
{
  g_return_val_if_fail (BURROW_IS_PROBE (self), FALSE);

  if (self->host_key == NULL)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Run the test first; it shows the key to record."),
                        _("There is no new host key to record."));
      return FALSE;
    }

  return burrow_host_key_trust (self->host_key, error);
}
