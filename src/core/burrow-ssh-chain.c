/* burrow-ssh-chain.c — an SSH connection to a bastion, through jump hosts, kept up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libssh 0.10 has no ProxyJump, so hops are chained by hand: the session to
 * hop N opens a direct-tcpip channel to hop N+1, a channel pump moves that
 * channel's bytes to one end of a socket pair, and the session to hop N+1
 * runs over the other end. Each hop checks its own host key and
 * authenticates on its own; the last session is the one tunnels use.
 *
 * The chain also keeps itself up while someone holds it: when any hop dies
 * the whole chain is torn down and built again, with a backoff of 1 s
 * doubling up to 30 s. Errors that a retry cannot fix (host key,
 * credentials, a bastion that forbids forwarding, a question nobody
 * answered) stop it in FAILED. After a resume from sleep or a network
 * change, whoever watches for those calls burrow_ssh_chain_check_now():
 * the chain does not watch the system itself, so that one watcher serves
 * every chain.
 */

#include "config.h"

#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "burrow-channel-pump.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-secret-store.h"
#include "burrow-source.h"
#include "burrow-ssh-chain.h"

#define BACKOFF_MAX_SECONDS 30
/* How long a session must have stayed up for its loss to earn an
 * immediate retry. */
#define STABLE_SECONDS 10
/* How long each hop has to answer burrow_ssh_chain_check_now(). */
#define CHECK_SECONDS 3

typedef struct
{
  char    *host;
  guint16  port;
  char    *user;
} Hop;

typedef struct
{
  BurrowSshSession  *session;
  gulong             closed_handler;
  gulong             activity_handler;
  BurrowChannelPump *pump;          /* carries the next hop's session */
} Link;

struct _BurrowSshChain
{
  GObject parent_instance;

  GArray                  *hops;    /* Hop; the bastion last */
  BurrowSshAuth           *auth;
  char                    *known_hosts_file;
  gboolean                 keepalive_set;
  guint                    keepalive_interval;
  guint                    keepalive_misses;
  int                      io_priority;
  BurrowSshChainSetupFunc  setup_func;
  gpointer                 setup_data;
  GDestroyNotify           setup_destroy;
  char                    *key;

  guint                    holds;
  BurrowSshChainState      state;
  guint                    attempt;
  gint64                   next_try;
  gint64                   up_since;       /* monotonic, when it last came up */
  guint                    quick_losses;   /* sessions lost soon after coming up */
  GError                  *error;
  GArray                  *links;   /* Link, one per connected hop */
  GCancellable            *cancellable;
  guint                    retry_source;
  GMainContext            *context;
};

G_DEFINE_ENUM_TYPE (BurrowSshChainState, burrow_ssh_chain_state,
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_CHAIN_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_CHAIN_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_CHAIN_UP, "up"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_CHAIN_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_CHAIN_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (BurrowSshChain, burrow_ssh_chain, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ATTEMPT,
  PROP_NEXT_TRY,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_hop (BurrowSshChain    *self,
                         guint              index,
                         GSocketConnection *connection);

static void
hop_clear (Hop *hop)
{
  g_clear_pointer (&hop->host, g_free);
  g_clear_pointer (&hop->user, g_free);
}

static Hop *
bastion (BurrowSshChain *self)
{
  return &g_array_index (self->hops, Hop, self->hops->len - 1);
}

static gboolean
parse_jump (const char  *text,
            const char  *default_user,
            Hop         *hop,
            GError     **error)
{
  g_autoptr(BurrowJumpHost) jump = burrow_jump_host_parse (text, error);

  if (jump == NULL)
    return FALSE;

  hop->host = g_strdup (jump->host);
  hop->port = jump->port;
  hop->user = g_strdup (jump->user != NULL ? jump->user : default_user);
  return TRUE;
}

static gboolean
is_permanent (const GError *error)
{
  if (error->domain != BURROW_SSH_ERROR)
    return FALSE;

  switch (error->code)
    {
    case BURROW_SSH_ERROR_HOST_KEY_UNKNOWN:
    case BURROW_SSH_ERROR_HOST_KEY_CHANGED:
    case BURROW_SSH_ERROR_AUTH_DENIED:
    case BURROW_SSH_ERROR_AGENT:
    case BURROW_SSH_ERROR_KEY_INVALID:
    case BURROW_SSH_ERROR_PASSPHRASE_WRONG:
    case BURROW_SSH_ERROR_FORWARDING_PROHIBITED:
    case BURROW_SSH_ERROR_NOT_ANSWERED:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
set_state (BurrowSshChain      *self,
           BurrowSshChainState  state,
           const GError        *error)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (!burrow_error_equal (error, self->error))
    {
      g_clear_error (&self->error);
      if (error != NULL)
        self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_attempt (BurrowSshChain *self,
             guint           attempt,
             gint64          next_try)
{
  if (self->attempt != attempt)
    {
      self->attempt = attempt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);
    }
  if (self->next_try != next_try)
    {
      self->next_try = next_try;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_TRY]);
    }
}

static gboolean
on_unref_idle (gpointer user_data)
{
  g_object_unref (user_data);

  return G_SOURCE_REMOVE;
}

/* Tears every hop down, innermost first: an inner session talks through a
 * pump of the outer one. The last reference to a session is dropped from
 * an idle, since we may be inside one of its signal emissions. */
static void
teardown (BurrowSshChain *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  for (guint i = self->links->len; i-- > 0;)
    {
      Link *link = &g_array_index (self->links, Link, i);

      if (link->pump != NULL)
        {
          burrow_channel_pump_set_wake_func (link->pump, NULL, NULL);
          burrow_channel_pump_close (link->pump);
          g_clear_object (&link->pump);
        }
      g_clear_signal_handler (&link->closed_handler, link->session);
      g_clear_signal_handler (&link->activity_handler, link->session);
      burrow_ssh_session_close (link->session);
      burrow_source_attach (self->context, g_idle_source_new (), on_unref_idle,
                            g_steal_pointer (&link->session));
    }
  g_array_set_size (self->links, 0);
}

static gboolean
on_retry_timeout (gpointer user_data)
{
  BurrowSshChain *self = user_data;

  self->retry_source = 0;
  set_attempt (self, self->attempt + 1, 0);
  self->cancellable = g_cancellable_new ();
  connect_hop (self, 0, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (BurrowSshChain *self,
                guint           delay_seconds)
{
  burrow_source_clear (self->context, &self->retry_source);

  if (delay_seconds == 0)
    {
      self->retry_source = burrow_source_attach (self->context, g_idle_source_new (), on_retry_timeout, self);
      set_attempt (self, self->attempt, g_get_real_time ());
    }
  else
    {
      self->retry_source = burrow_source_attach (self->context, g_timeout_source_new_seconds (delay_seconds),
                                                 on_retry_timeout, self);
      set_attempt (self, self->attempt, g_get_real_time () + delay_seconds * G_USEC_PER_SEC);
    }
}

static void
chain_failed (BurrowSshChain *self,
              const GError   *error)
{
  g_autoptr(BurrowSshChain) keep = g_object_ref (self);
  guint delay;

  /* The state changes first: users of the session drop their channels
   * while it is still whole. */
  if (is_permanent (error))
    {
      set_attempt (self, self->attempt, 0);
      set_state (self, BURROW_SSH_CHAIN_FAILED, error);
      teardown (self);
      return;
    }

  /* A session that was up gets one immediate retry: networks come back
   * quickly after a blip. Then 1 s, 2 s, 4 s … up to 30 s. One lost again
   * soon after it came up (a bastion that drops sessions at once) backs off
   * the same way, rather than reconnecting in a tight loop. */
  if (self->state == BURROW_SSH_CHAIN_UP)
    {
      if (g_get_monotonic_time () - self->up_since >= STABLE_SECONDS * G_USEC_PER_SEC)
        self->quick_losses = 0;
      delay = self->quick_losses == 0 ? 0 : MIN (BACKOFF_MAX_SECONDS, 1u << MIN (self->quick_losses - 1, 5u));
      self->quick_losses++;
    }
  else
    delay = MIN (BACKOFF_MAX_SECONDS, 1u << MIN (self->attempt > 0 ? self->attempt - 1 : 0, 5u));

  set_state (self, BURROW_SSH_CHAIN_RECONNECTING, error);
  teardown (self);
  schedule_retry (self, delay);
}

typedef struct
{
  BurrowSshChain *chain;
  GError         *error;
  GCancellable   *cancellable;
} FailLater;

static gboolean
on_fail_idle (gpointer user_data)
{
  FailLater *later = user_data;

  if (!g_cancellable_is_cancelled (later->cancellable))
    chain_failed (later->chain, later->error);
  g_object_unref (later->chain);
  g_object_unref (later->cancellable);
  g_error_free (later->error);
  g_free (later);

  return G_SOURCE_REMOVE;
}

/* From inside a session's completion of channel opens, tearing the session
 * down would complete them twice: fail from an idle instead, unless the
 * attempt was given up meanwhile. */
static void
fail_later (BurrowSshChain *self,
            const GError   *error)
{
  FailLater *later = g_new0 (FailLater, 1);

  later->chain = g_object_ref (self);
  later->error = g_error_copy (error);
  later->cancellable = g_object_ref (self->cancellable);
  burrow_source_attach (self->context, g_idle_source_new (), on_fail_idle, later);
}

static void
on_session_closed (BurrowSshSession *session,
                   const GError     *error,
                   gpointer          user_data)
{
  BurrowSshChain *self = user_data;
  g_autoptr(GError) lost = NULL;

  if (error == NULL)
    {
      burrow_set_error (&lost, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST,
                        _("Burrow reconnects by itself."),
                        _("The connection to %s was closed."), burrow_ssh_session_get_host (session));
      error = lost;
    }

  chain_failed (self, error);
}

static void
on_pump_activity (BurrowSshSession *session,
                  gpointer          user_data)
{
  BurrowChannelPump *pump = user_data;

  (void)session;
  if (burrow_channel_pump_needs_service (pump))
    burrow_channel_pump_service (pump);
}

/* A pump called libssh outside its session's dispatch: give it a pass
 * there if it waits for one. */
static void
on_pump_wake (gpointer user_data)
{
  BurrowSshChain *self = user_data;

  for (guint i = 0; i < self->links->len; i++)
    {
      Link *link = &g_array_index (self->links, Link, i);

      if (link->pump != NULL && burrow_channel_pump_needs_service (link->pump))
        burrow_ssh_session_queue_activity (link->session);
    }
}

static void
on_hop_channel_opened (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BurrowSshSession *session = BURROW_SSH_SESSION (source);
  g_autoptr(BurrowSshChain) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  ssh_channel channel;
  Link *link;
  int pair[2];

  channel = burrow_ssh_session_open_channel_finish (session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (channel == NULL)
    {
      if (self->cancellable != NULL)
        fail_later (self, error);
      return;
    }

  link = &g_array_index (self->links, Link, self->links->len - 1);
  g_assert (link->session == session);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair) < 0)
    {
      int saved_errno = errno;

      burrow_ssh_channel_close_and_free (channel);
      burrow_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                        _("The system is short of resources; close other programs and try again."),
                        _("Could not create a socket pair: %s"), g_strerror (saved_errno));
      chain_failed (self, error);
      return;
    }

  link->pump = burrow_channel_pump_new (channel, pair[0]);
  burrow_channel_pump_set_io_priority (link->pump, self->io_priority);
  burrow_channel_pump_set_wake_func (link->pump, on_pump_wake, self);
  link->activity_handler = g_signal_connect (session, "activity", G_CALLBACK (on_pump_activity), link->pump);

  socket = g_socket_new_from_fd (pair[1], &error);
  if (socket == NULL)
    {
      close (pair[1]);
      chain_failed (self, error);
      return;
    }
  connection = g_socket_connection_factory_create_connection (socket);
  connect_hop (self, self->links->len, connection);
}

static void
on_hop_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BurrowSshSession *session = BURROW_SSH_SESSION (source);
  g_autoptr(BurrowSshChain) self = user_data;
  g_autoptr(GError) error = NULL;
  Link *link;
  guint index;

  if (!burrow_ssh_session_connect_finish (session, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        chain_failed (self, error);
      return;
    }

  index = self->links->len - 1;
  link = &g_array_index (self->links, Link, index);
  g_assert (link->session == session);
  link->closed_handler = g_signal_connect (session, "closed", G_CALLBACK (on_session_closed), self);

  if (index + 1 == self->hops->len)
    {
      set_attempt (self, 0, 0);
      self->up_since = g_get_monotonic_time ();
      set_state (self, BURROW_SSH_CHAIN_UP, NULL);
      return;
    }

  {
    Hop *next = &g_array_index (self->hops, Hop, index + 1);

    burrow_ssh_session_open_channel_async (session, next->host, next->port, self->cancellable,
                                           on_hop_channel_opened, g_object_ref (self));
  }
}

static void
connect_hop (BurrowSshChain    *self,
             guint              index,
             GSocketConnection *connection)
{
  Hop *hop = &g_array_index (self->hops, Hop, index);
  Link link = { 0 };

  link.session = burrow_ssh_session_new (hop->host, hop->port, hop->user);

  burrow_ssh_session_set_auth (link.session, self->auth);
  burrow_ssh_session_set_io_priority (link.session, self->io_priority);

  if (self->known_hosts_file != NULL)
    burrow_ssh_session_set_known_hosts_file (link.session, self->known_hosts_file);
  if (self->keepalive_set)
    burrow_ssh_session_set_keepalive_interval (link.session, self->keepalive_interval);
  if (self->keepalive_misses > 0)
    burrow_ssh_session_set_keepalive_misses (link.session, self->keepalive_misses);
  if (self->setup_func != NULL)
    self->setup_func (self, link.session, index, self->setup_data);

  g_array_append_val (self->links, link);
  burrow_ssh_session_connect_async (link.session, connection, self->cancellable,
                                    on_hop_connected, g_object_ref (self));
}

static void
start (BurrowSshChain *self)
{
  burrow_source_clear (self->context, &self->retry_source);
  teardown (self);
  set_attempt (self, 1, 0);
  set_state (self, BURROW_SSH_CHAIN_CONNECTING, NULL);
  self->cancellable = g_cancellable_new ();
  connect_hop (self, 0, NULL);
}

static void
burrow_ssh_chain_dispose (GObject *object)
{
  BurrowSshChain *self = BURROW_SSH_CHAIN (object);

  burrow_source_clear (self->context, &self->retry_source);
  teardown (self);

  if (self->setup_destroy != NULL)
    self->setup_destroy (self->setup_data);
  self->setup_destroy = NULL;
  self->setup_func = NULL;

  G_OBJECT_CLASS (burrow_ssh_chain_parent_class)->dispose (object);
}

static void
burrow_ssh_chain_finalize (GObject *object)
{
  BurrowSshChain *self = BURROW_SSH_CHAIN (object);

  g_array_unref (self->hops);
  g_array_unref (self->links);
  g_main_context_unref (self->context);
  burrow_ssh_auth_unref (self->auth);
  g_free (self->known_hosts_file);
  g_free (self->key);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (burrow_ssh_chain_parent_class)->finalize (object);
}

static void
burrow_ssh_chain_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BurrowSshChain *self = BURROW_SSH_CHAIN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_NEXT_TRY:
      g_value_set_int64 (value, self->next_try);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_chain_class_init (BurrowSshChainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_ssh_chain_dispose;
  object_class->finalize = burrow_ssh_chain_finalize;
  object_class->get_property = burrow_ssh_chain_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BURROW_TYPE_SSH_CHAIN_STATE, BURROW_SSH_CHAIN_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The number of the attempt under way or next, from 1; 0 when up. */
  properties[PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* When the next attempt starts, in g_get_real_time() microseconds; 0 when
   * none is waiting. */
  properties[PROP_NEXT_TRY] =
    g_param_spec_int64 ("next-try", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_ssh_chain_init (BurrowSshChain *self)
{
  self->hops = g_array_new (FALSE, TRUE, sizeof (Hop));
  g_array_set_clear_func (self->hops, (GDestroyNotify)hop_clear);
  self->links = g_array_new (FALSE, TRUE, sizeof (Link));
  self->auth = burrow_ssh_auth_new_agent ();
  self->io_priority = G_PRIORITY_DEFAULT;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * burrow_ssh_chain_new:
 * @host: the bastion, the last hop
 *
 * Returns: (transfer full): a chain that does nothing until held
 */
BurrowSshChain *
burrow_ssh_chain_new (const char *host,
                      guint16     port,
                      const char *user)
{
  BurrowSshChain *self;
  Hop hop;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (BURROW_TYPE_SSH_CHAIN, NULL);
  hop.host = g_strdup (host);
  hop.port = port != 0 ? port : 22;
  hop.user = g_strdup (user);
  g_array_append_val (self->hops, hop);

  return self;
}

/**
 * burrow_ssh_chain_set_jump_hosts:
 * @jump_hosts: (nullable): USER@HOST[:PORT] entries, the first one reached
 *   first; a missing user is the bastion's
 *
 * Each jump host authenticates with the same credentials as the bastion.
 */
gboolean
burrow_ssh_chain_set_jump_hosts (BurrowSshChain      *self,
                                 const char * const  *jump_hosts,
                                 GError             **error)
{
  g_autoptr(GArray) hops = NULL;
  Hop last;

  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), FALSE);
  g_return_val_if_fail (self->holds == 0, FALSE);

  hops = g_array_new (FALSE, TRUE, sizeof (Hop));
  g_array_set_clear_func (hops, (GDestroyNotify)hop_clear);

  for (guint i = 0; jump_hosts != NULL && jump_hosts[i] != NULL; i++)
    {
      Hop hop = { 0 };

      if (!parse_jump (jump_hosts[i], bastion (self)->user, &hop, error))
        return FALSE;
      g_array_append_val (hops, hop);
    }

  last = *bastion (self);
  last.host = g_strdup (last.host);
  last.user = g_strdup (last.user);
  g_array_append_val (hops, last);

  g_array_unref (self->hops);
  self->hops = g_steal_pointer (&hops);
  g_clear_pointer (&self->key, g_free);

  return TRUE;
}

/**
 * burrow_ssh_chain_set_io_priority:
 * @priority: a main-loop priority, %G_PRIORITY_DEFAULT unless set
 *
 * The priority of the sources that move the chain's bytes: each hop's
 * socket, and the pumps that carry a hop's session through the one
 * before. It takes effect at once, on a running chain too.
 */
void
burrow_ssh_chain_set_io_priority (BurrowSshChain *self,
                                  int             priority)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  self->io_priority = priority;
  for (guint i = 0; i < self->links->len; i++)
    {
      Link *link = &g_array_index (self->links, Link, i);

      burrow_ssh_session_set_io_priority (link->session, priority);
      if (link->pump != NULL)
        burrow_channel_pump_set_io_priority (link->pump, priority);
    }
}

int
burrow_ssh_chain_get_io_priority (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), G_PRIORITY_DEFAULT);

  return self->io_priority;
}

/**
 * burrow_ssh_chain_set_auth:
 *
 * How every hop signs in (a chain starts with ssh-agent). The chain keeps a
 * reference and hands the same auth to each session it makes.
 */
void
burrow_ssh_chain_set_auth (BurrowSshChain *self,
                           BurrowSshAuth  *auth)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));
  g_return_if_fail (auth != NULL);

  burrow_ssh_auth_ref (auth);
  burrow_ssh_auth_unref (self->auth);
  self->auth = auth;
  g_clear_pointer (&self->key, g_free);
}

BurrowSshAuth *
burrow_ssh_chain_get_auth (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), NULL);

  return self->auth;
}

void
burrow_ssh_chain_set_known_hosts_file (BurrowSshChain *self,
                                       const char     *path)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  g_free (self->known_hosts_file);
  self->known_hosts_file = g_strdup (path);
  g_clear_pointer (&self->key, g_free);
}

/* An interval of 0 turns keepalives off; misses of 0 keep the session's
 * default. Without a call, the session's defaults apply. */
void
burrow_ssh_chain_set_keepalive (BurrowSshChain *self,
                                guint           interval_seconds,
                                guint           misses)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  self->keepalive_set = TRUE;
  self->keepalive_interval = interval_seconds;
  self->keepalive_misses = misses;
}

void
burrow_ssh_chain_set_setup_func (BurrowSshChain          *self,
                                 BurrowSshChainSetupFunc  func,
                                 gpointer                 user_data,
                                 GDestroyNotify           destroy)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  if (self->setup_destroy != NULL)
    self->setup_destroy (self->setup_data);
  self->setup_func = func;
  self->setup_data = user_data;
  self->setup_destroy = destroy;
}

/**
 * burrow_ssh_chain_get_key:
 *
 * Returns: what identifies the accounts this chain logs in to (every hop,
 * the user, and how it signs in: burrow_ssh_auth_get_sharing_key(), never
 * a secret itself): two chains with the same key can be shared.
 */
const char *
burrow_ssh_chain_get_key (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), NULL);

  if (self->key == NULL)
    {
      g_autoptr(GString) key = g_string_new (NULL);

      for (guint i = 0; i < self->hops->len; i++)
        {
          Hop *hop = &g_array_index (self->hops, Hop, i);

          g_string_append_printf (key, "%s@[%s]:%u>", hop->user, hop->host, hop->port);
        }
      g_string_append_printf (key, "auth=%s>known_hosts=%s", burrow_ssh_auth_get_sharing_key (self->auth),
                              self->known_hosts_file != NULL ? self->known_hosts_file : "");

      self->key = g_string_free (g_steal_pointer (&key), FALSE);
    }

  return self->key;
}

guint
burrow_ssh_chain_get_n_hops (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), 0);

  return self->hops->len;
}

/**
 * burrow_ssh_chain_hold:
 *
 * Keeps the chain up: the first hold connects, and a FAILED chain tries
 * again.
 */
void
burrow_ssh_chain_hold (BurrowSshChain *self)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  self->holds++;

  if (self->state == BURROW_SSH_CHAIN_STOPPED || self->state == BURROW_SSH_CHAIN_FAILED)
    start (self);
}

/**
 * burrow_ssh_chain_release:
 *
 * The last release closes every session.
 */
void
burrow_ssh_chain_release (BurrowSshChain *self)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds > 0)
    return;

  burrow_source_clear (self->context, &self->retry_source);
  set_attempt (self, 0, 0);
  set_state (self, BURROW_SSH_CHAIN_STOPPED, NULL);
  teardown (self);
}

/**
 * burrow_ssh_chain_check_now:
 *
 * For after a resume from sleep or a network change: when the chain is up,
 * each hop sends a keepalive that wants a reply, and the chain reconnects
 * at once if one of them hears nothing within a few seconds (rather than
 * after the keepalive interval times its misses); when it waits to retry,
 * it retries now.
 */
void
burrow_ssh_chain_check_now (BurrowSshChain *self)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  if (self->state == BURROW_SSH_CHAIN_UP)
    {
      /* A session that fails here emits "closed" and tears the chain
       * down: walk a copy. */
      g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < self->links->len; i++)
        g_ptr_array_add (sessions, g_object_ref (g_array_index (self->links, Link, i).session));
      for (guint i = 0; i < sessions->len; i++)
        burrow_ssh_session_check_alive (g_ptr_array_index (sessions, i), CHECK_SECONDS);
    }
  else
    burrow_ssh_chain_retry_now (self);
}

/**
 * burrow_ssh_chain_retry_now:
 *
 * Skips the rest of the backoff wait, e.g. because the network changed.
 */
void
burrow_ssh_chain_retry_now (BurrowSshChain *self)
{
  g_return_if_fail (BURROW_IS_SSH_CHAIN (self));

  if (self->state == BURROW_SSH_CHAIN_RECONNECTING && self->retry_source != 0)
    schedule_retry (self, 0);
}

BurrowSshChainState
burrow_ssh_chain_get_state (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), BURROW_SSH_CHAIN_STOPPED);

  return self->state;
}

guint
burrow_ssh_chain_get_attempt (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), 0);

  return self->attempt;
}

gint64
burrow_ssh_chain_get_next_try (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), 0);

  return self->next_try;
}

const GError *
burrow_ssh_chain_get_error (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), NULL);

  return self->error;
}

/**
 * burrow_ssh_chain_get_session:
 *
 * Returns: (transfer none) (nullable): the session to the bastion while the
 * chain is up
 */
BurrowSshSession *
burrow_ssh_chain_get_session (BurrowSshChain *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (self), NULL);

  if (self->state != BURROW_SSH_CHAIN_UP || self->links->len == 0)
    return NULL;

  return g_array_index (self->links, Link, self->links->len - 1).session;
}
