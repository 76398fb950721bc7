/* burrow-tunnel.c — a local port on loopback forwarded through an SSH bastion.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tunnel listens on 127.0.0.1 (and ::1 when the machine has it), never
 * on another interface. Each accepted connection gets a direct-tcpip
 * channel, opened asynchronously on the session its chain keeps up, and a
 * channel pump. While the session is down the listener stays bound: new
 * connections wait, for a bounded time, for the chain to come back, and the
 * connections that were running are closed cleanly (their client sees an
 * EOF and can reconnect).
 */

#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "burrow-channel-pump.h"
#include "burrow-error.h"
#include "burrow-source.h"
#include "burrow-tunnel.h"

#define DEFAULT_WAIT_SECONDS 30
#define COUNTER_INTERVAL_MS 1000
/* While a client waits for the session, the chain tries at least this
 * often, whatever its backoff. */
#define WAITING_RETRY_MS 1000

typedef struct
{
  BurrowTunnel      *tunnel;
  int                fd;
  BurrowChannelPump *pump;
  gulong             finished_handler;
  GCancellable      *cancellable;
  guint              deadline_source;
  gboolean           opening;
  gboolean           closed;
} Connection;

struct _BurrowTunnel
{
  GObject parent_instance;

  /* Settings. */
  char                *target_host;
  guint                target_port;
  guint                local_port;
  guint                wait_timeout;
  int                  io_priority;

  /* Running, on the thread-default context of the thread that made it. */
  GMainContext        *context;
  gboolean             started;
  BurrowSshChain      *chain;
  gulong               chain_state_handler;
  gboolean             holding_chain;
  BurrowSshSession    *session;
  gulong               activity_handler;
  int                  listen_fds[2];
  guint                listen_sources[2];
  guint                listeners_paused;     /* a timeout while out of descriptors */
  guint                run;                  /* counts starts */
  guint                waiting_retry_source;
  guint16              bound_port;
  GPtrArray           *connections;   /* Connection, all of them */
  GPtrArray           *pumps;         /* BurrowChannelPump of the session */
  guint                counter_source;

  BurrowTunnelState    state;
  GError              *error;
  guint64              total_connections;
  guint64              bytes_sent;      /* of finished connections */
  guint64              bytes_received;
  guint64              notified_sent;
  guint64              notified_received;
};

G_DEFINE_ENUM_TYPE (BurrowTunnelState, burrow_tunnel_state,
                    G_DEFINE_ENUM_VALUE (BURROW_TUNNEL_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (BURROW_TUNNEL_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_TUNNEL_UP, "up"),
                    G_DEFINE_ENUM_VALUE (BURROW_TUNNEL_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_TUNNEL_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (BurrowTunnel, burrow_tunnel, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHAIN,
  PROP_TARGET_HOST,
  PROP_TARGET_PORT,
  PROP_LOCAL_PORT,
  PROP_WAIT_TIMEOUT,
  PROP_STATE,
  PROP_ERROR,
  PROP_ATTEMPT,
  PROP_NEXT_TRY,
  PROP_BOUND_PORT,
  PROP_ACTIVE_CONNECTIONS,
  PROP_TOTAL_CONNECTIONS,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CONNECTION_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_channel (BurrowTunnel *self,
                          Connection   *connection);
static void update_waiting_retry (BurrowTunnel *self);

static void
set_state (BurrowTunnel      *self,
           BurrowTunnelState  state,
           const GError      *error)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (!burrow_error_equal (error, self->error))
    {
      g_clear_error (&self->error);
      if (error != NULL)
        self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* Returns whether a counter changed. */
static gboolean
notify_counters (BurrowTunnel *self)
{
  guint64 sent = burrow_tunnel_get_bytes_sent (self);
  guint64 received = burrow_tunnel_get_bytes_received (self);
  gboolean changed = FALSE;

  if (sent != self->notified_sent)
    {
      self->notified_sent = sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
      changed = TRUE;
    }
  if (received != self->notified_received)
    {
      self->notified_received = received;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
      changed = TRUE;
    }

  return changed;
}

static gboolean
on_counter_timeout (gpointer user_data)
{
  BurrowTunnel *self = user_data;

  /* Quiet connections need no tick: watch_counters() starts it again when
   * bytes move. */
  if (notify_counters (self) && self->pumps->len > 0)
    return G_SOURCE_CONTINUE;

  self->counter_source = 0;
  return G_SOURCE_REMOVE;
}

/* Cheap enough for every pass of a pump or of the session. */
static void
watch_counters (BurrowTunnel *self)
{
  if (self->counter_source == 0 && self->pumps->len > 0)
    self->counter_source = burrow_source_attach (self->context, g_timeout_source_new (COUNTER_INTERVAL_MS),
                                                 on_counter_timeout, self);
}

static void
connection_free (Connection *connection)
{
  g_clear_object (&connection->cancellable);
  g_free (connection);
}

/* Ends a connection now, whatever it was doing. */
static void
close_connection (BurrowTunnel *self,
                  Connection   *connection)
{
  if (connection->closed)
    return;

  connection->closed = TRUE;
  burrow_source_clear (connection->tunnel->context, &connection->deadline_source);

  if (connection->pump != NULL)
    {
      BurrowChannelPump *pump = connection->pump;

      self->bytes_sent += burrow_channel_pump_get_bytes_up (pump);
      self->bytes_received += burrow_channel_pump_get_bytes_down (pump);
      g_clear_signal_handler (&connection->finished_handler, pump);
      burrow_channel_pump_close (pump);
      g_ptr_array_remove_fast (self->pumps, pump);
      g_clear_object (&connection->pump);
    }
  else if (connection->fd >= 0)
    close (connection->fd);
  connection->fd = -1;

  g_ptr_array_remove_fast (self->connections, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_CONNECTIONS]);
  notify_counters (self);

  /* An open under way owns the connection until its callback runs. */
  if (connection->opening)
    g_cancellable_cancel (connection->cancellable);
  else
    connection_free (connection);

  update_waiting_retry (self);
}

static void
close_all_connections (BurrowTunnel *self,
                       gboolean      only_running)
{
  g_autoptr(GPtrArray) snapshot = g_ptr_array_copy (self->connections, NULL, NULL);

  for (guint i = 0; i < snapshot->len; i++)
    {
      Connection *connection = g_ptr_array_index (snapshot, i);

      if (!only_running || connection->pump != NULL)
        close_connection (self, connection);
    }
}

static void
on_session_activity (BurrowSshSession *session,
                     gpointer          user_data)
{
  BurrowTunnel *self = user_data;

  (void)session;

  watch_counters (self);
  for (guint i = 0; i < self->pumps->len; i++)
    {
      BurrowChannelPump *pump = g_ptr_array_index (self->pumps, i);

      if (burrow_channel_pump_needs_service (pump))
        burrow_channel_pump_service (pump);
    }
}

/* A pump called libssh outside the session's dispatch, which may have
 * taken in what other pumps wait for: give them a pass, if any waits. */
static void
on_pump_wake (gpointer user_data)
{
  BurrowTunnel *self = user_data;

  watch_counters (self);
  if (self->session == NULL)
    return;

  for (guint i = 0; i < self->pumps->len; i++)
    if (burrow_channel_pump_needs_service (g_ptr_array_index (self->pumps, i)))
      {
        burrow_ssh_session_queue_activity (self->session);
        return;
      }
}

static void
on_pump_finished (BurrowChannelPump *pump,
                  const GError      *error,
                  gpointer           user_data)
{
  Connection *connection = user_data;

  if (error != NULL)
    g_debug ("A forwarded connection ended early: %s", error->message);

  close_connection (connection->tunnel, connection);
}

static gboolean
on_deadline (gpointer user_data)
{
  Connection *connection = user_data;
  BurrowTunnel *self = connection->tunnel;
  g_autoptr(GError) error = NULL;

  connection->deadline_source = 0;
  burrow_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                    _("The tunnel keeps trying to reconnect; connect again once it is up."),
                    _("The connection waited %u seconds for the SSH session and was closed."),
                    self->wait_timeout);
  close_connection (self, connection);
  g_signal_emit (self, signals[SIGNAL_CONNECTION_FAILED], 0, error);

  return G_SOURCE_REMOVE;
}

static void
wait_for_session (BurrowTunnel *self,
                  Connection   *connection)
{
  if (connection->deadline_source == 0)
    connection->deadline_source = burrow_source_attach (self->context, g_timeout_source_new_seconds (self->wait_timeout),
                                                        on_deadline, connection);
}

static void fail (BurrowTunnel *self,
                  const GError *error);

static void
open_on_current_session (BurrowTunnel *self,
                          Connection   *connection)
{
  if (self->session != NULL)
    open_channel (self, connection);
  else
    wait_for_session (self, connection);
}

typedef struct
{
  BurrowTunnel *tunnel;
  guint         run;     /* the run it belongs to: a later one must not end */
  GError       *error;
} FailLater;

static gboolean
on_fail_idle (gpointer user_data)
{
  FailLater *later = user_data;

  if (later->tunnel->started && later->run == later->tunnel->run)
    fail (later->tunnel, later->error);
  g_object_unref (later->tunnel);
  g_error_free (later->error);
  g_free (later);

  return G_SOURCE_REMOVE;
}

/* The session may be in the middle of completing channel opens: tearing it
 * down from there would complete them twice. */
static void
fail_later (BurrowTunnel *self,
            const GError *error)
{
  FailLater *later = g_new0 (FailLater, 1);

  later->tunnel = g_object_ref (self);
  later->run = self->run;
  later->error = g_error_copy (error);
  burrow_source_attach (self->context, g_idle_source_new (), on_fail_idle, later);
}

static void
on_channel_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BurrowSshSession *session = BURROW_SSH_SESSION (source);
  Connection *connection = user_data;
  BurrowTunnel *self = connection->tunnel;
  g_autoptr(GError) error = NULL;
  ssh_channel channel;

  connection->opening = FALSE;
  channel = burrow_ssh_session_open_channel_finish (session, result, &error);

  if (connection->closed)
    {
      if (channel != NULL)
        {
          burrow_ssh_channel_close_and_free (channel);
        }
      connection_free (connection);
      return;
    }

  if (channel == NULL)
    {
      if (session != self->session)
        {
          /* The session died meanwhile: try the next one. */
          open_on_current_session (self, connection);
          return;
        }
      if (g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST))
        {
          /* It is dying right now: the chain brings the next one, which
           * serves this connection (attach_session()), within the wait
           * timeout. */
          wait_for_session (self, connection);
          return;
        }

      close_connection (self, connection);
      g_signal_emit (self, signals[SIGNAL_CONNECTION_FAILED], 0, error);
      if (g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED))
        fail_later (self, error);
      return;
    }

  if (session != self->session)
    {
      burrow_ssh_channel_close_and_free (channel);
      open_on_current_session (self, connection);
      return;
    }

  burrow_source_clear (connection->tunnel->context, &connection->deadline_source);
  connection->pump = burrow_channel_pump_new (channel, connection->fd);
  connection->fd = -1;
  burrow_channel_pump_set_io_priority (connection->pump, self->io_priority);
  burrow_channel_pump_set_wake_func (connection->pump, on_pump_wake, self);
  burrow_channel_pump_set_group (connection->pump, burrow_channel_pump_group_for_session (session));
  connection->finished_handler = g_signal_connect (connection->pump, "finished",
                                                   G_CALLBACK (on_pump_finished), connection);
  g_ptr_array_add (self->pumps, connection->pump);
  watch_counters (self);
}

static void
open_channel (BurrowTunnel *self,
              Connection   *connection)
{
  g_assert (self->session != NULL);
  g_assert (!connection->opening);

  connection->opening = TRUE;
  g_clear_object (&connection->cancellable);
  connection->cancellable = g_cancellable_new ();
  burrow_ssh_session_open_channel_async (self->session, self->target_host, self->target_port,
                                         connection->cancellable, on_channel_opened, connection);
}

static gboolean
on_waiting_retry (gpointer user_data)
{
  BurrowTunnel *self = user_data;

  burrow_ssh_chain_retry_now (self->chain);

  return G_SOURCE_CONTINUE;
}

/* The chain's backoff, which grows to half a minute, spares a bastion
 * that is down; but while a client waits for the session, a person or a
 * program is waiting on it: the chain tries now, and then every second,
 * so that a bastion that comes back serves the client at once. */
static void
update_waiting_retry (BurrowTunnel *self)
{
  gboolean waiting = self->started && self->session == NULL && self->connections->len > 0;

  if (waiting && self->waiting_retry_source == 0)
    {
      burrow_ssh_chain_retry_now (self->chain);
      self->waiting_retry_source = burrow_source_attach (self->context, g_timeout_source_new (WAITING_RETRY_MS),
                                                         on_waiting_retry, self);
    }
  else if (!waiting)
    burrow_source_clear (self->context, &self->waiting_retry_source);
}

static void
attach_session (BurrowTunnel     *self,
                BurrowSshSession *session)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  self->session = g_object_ref (session);
  update_waiting_retry (self);
  self->activity_handler = g_signal_connect (session, "activity",
                                             G_CALLBACK (on_session_activity), self);

  snapshot = g_ptr_array_copy (self->connections, NULL, NULL);
  for (guint i = 0; i < snapshot->len; i++)
    {
      Connection *connection = g_ptr_array_index (snapshot, i);

      if (connection->pump == NULL && !connection->opening)
        open_channel (self, connection);
    }
}

/* The running connections end (their channels went with the session); the
 * waiting ones keep waiting. */
static void
detach_session (BurrowTunnel *self)
{
  if (self->session == NULL)
    return;

  close_all_connections (self, TRUE);
  g_clear_signal_handler (&self->activity_handler, self->session);
  g_clear_object (&self->session);

  for (guint i = 0; i < self->connections->len; i++)
    wait_for_session (self, g_ptr_array_index (self->connections, i));
  update_waiting_retry (self);
}

static void
close_listeners (BurrowTunnel *self)
{
  burrow_source_clear (self->context, &self->listeners_paused);
  for (guint i = 0; i < G_N_ELEMENTS (self->listen_fds); i++)
    {
      burrow_source_clear (self->context, &self->listen_sources[i]);
      if (self->listen_fds[i] >= 0)
        close (self->listen_fds[i]);
      self->listen_fds[i] = -1;
    }
}

static void
release_chain (BurrowTunnel *self)
{
  if (self->chain == NULL)
    return;

  g_clear_signal_handler (&self->chain_state_handler, self->chain);
  if (self->holding_chain)
    {
      self->holding_chain = FALSE;
      burrow_ssh_chain_release (self->chain);
    }
}

static void
shut_down (BurrowTunnel *self)
{
  release_chain (self);
  detach_session (self);
  close_all_connections (self, FALSE);
  close_listeners (self);
  burrow_source_clear (self->context, &self->counter_source);
  notify_counters (self);
  self->started = FALSE;
  update_waiting_retry (self);
  if (self->bound_port != 0)
    {
      self->bound_port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);
    }
}

static void
fail (BurrowTunnel *self,
      const GError *error)
{
  g_autoptr(BurrowTunnel) keep = g_object_ref (self);
  g_autoptr(GError) copy = g_error_copy (error);

  shut_down (self);
  set_state (self, BURROW_TUNNEL_FAILED, copy);
}

static void
on_chain_notify (BurrowSshChain *chain,
                 GParamSpec     *pspec,
                 gpointer        user_data)
{
  BurrowTunnel *self = user_data;
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "attempt"))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);
      return;
    }
  if (g_str_equal (name, "next-try"))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_TRY]);
      return;
    }
  if (!g_str_equal (name, "state"))
    return;

  switch (burrow_ssh_chain_get_state (chain))
    {
    case BURROW_SSH_CHAIN_UP:
      detach_session (self);
      attach_session (self, burrow_ssh_chain_get_session (chain));
      set_state (self, BURROW_TUNNEL_UP, NULL);
      break;

    case BURROW_SSH_CHAIN_FAILED:
      fail (self, burrow_ssh_chain_get_error (chain));
      break;

    case BURROW_SSH_CHAIN_RECONNECTING:
      detach_session (self);
      set_state (self, BURROW_TUNNEL_RECONNECTING, burrow_ssh_chain_get_error (chain));
      break;

    case BURROW_SSH_CHAIN_STOPPED:
    case BURROW_SSH_CHAIN_CONNECTING:
    default:
      detach_session (self);
      set_state (self, BURROW_TUNNEL_CONNECTING, NULL);
      break;
    }
}

static gboolean on_listener_ready (int          fd,
                                   GIOCondition condition,
                                   gpointer     user_data);

static void
watch_listeners (BurrowTunnel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->listen_fds); i++)
    if (self->listen_fds[i] >= 0 && self->listen_sources[i] == 0)
      {
        GSource *source = g_unix_fd_source_new (self->listen_fds[i], G_IO_IN);

        g_source_set_priority (source, self->io_priority);
        self->listen_sources[i] = burrow_source_attach (self->context, source,
                                                        (GSourceFunc)(void (*) (void))on_listener_ready, self);
      }
}

static gboolean
on_listeners_resume (gpointer user_data)
{
  BurrowTunnel *self = user_data;

  self->listeners_paused = 0;
  watch_listeners (self);

  return G_SOURCE_REMOVE;
}

static void
pause_listeners (BurrowTunnel *self)
{
  if (self->listeners_paused != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->listen_sources); i++)
    burrow_source_clear (self->context, &self->listen_sources[i]);

  self->listeners_paused = burrow_source_attach (self->context, g_timeout_source_new (250),
                                                 on_listeners_resume, self);
}

static void
accept_connections (BurrowTunnel *self,
                    int           listen_fd)
{
  for (;;)
    {
      Connection *connection;
      int one = 1;
      int fd = accept4 (listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

      if (fd < 0)
        {
          /* Out of descriptors, the connection stays in the backlog and the
           * listener is readable at once again: stop watching for a moment
           * rather than spin. */
          if (errno == EMFILE || errno == ENFILE)
            pause_listeners (self);
          else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
            g_debug ("Could not accept a connection: %s", g_strerror (errno));
          return;
        }

      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

      connection = g_new0 (Connection, 1);
      connection->tunnel = self;
      connection->fd = fd;
      g_ptr_array_add (self->connections, connection);
      self->total_connections++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_CONNECTIONS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_CONNECTIONS]);

      open_on_current_session (self, connection);
      update_waiting_retry (self);
    }
}

static gboolean
on_listener_ready (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  (void)condition;

  accept_connections (user_data, fd);

  return G_SOURCE_CONTINUE;
}

/* Returns the socket, -1 with errno set. */
static int
listen_loopback (int      family,
                 guint16  port,
                 guint16 *out_port)
{
  struct sockaddr_storage storage = { 0 };
  socklen_t length;
  int one = 1;
  int fd;

  fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;

  /* A restarted Burrow must get its port back while old connections are
   * in TIME_WAIT. */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

  if (family == AF_INET6)
    {
      struct sockaddr_in6 *addr = (struct sockaddr_in6 *)&storage;

      setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
      addr->sin6_family = AF_INET6;
      addr->sin6_addr = in6addr_loopback;
      addr->sin6_port = htons (port);
      length = sizeof *addr;
    }
  else
    {
      struct sockaddr_in *addr = (struct sockaddr_in *)&storage;

      addr->sin_family = AF_INET;
      addr->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      addr->sin_port = htons (port);
      length = sizeof *addr;
    }

  if (bind (fd, (struct sockaddr *)&storage, length) < 0 || listen (fd, SOMAXCONN) < 0
      || getsockname (fd, (struct sockaddr *)&storage, &length) < 0)
    {
      int saved_errno = errno;

      close (fd);
      errno = saved_errno;
      return -1;
    }

  *out_port = ntohs (family == AF_INET6 ? ((struct sockaddr_in6 *)&storage)->sin6_port
                                        : ((struct sockaddr_in *)&storage)->sin_port);
  return fd;
}

static gboolean
open_listeners (BurrowTunnel  *self,
                GError       **error)
{
  /* With an automatic port, IPv4 picks it and IPv6 must get the same one:
   * try again a few times when it is taken there. */
  for (guint tries = 0; tries < 8; tries++)
    {
      guint16 port = 0, port6 = 0;
      int fd4, fd6;

      fd4 = listen_loopback (AF_INET, self->local_port, &port);
      if (fd4 < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EADDRINUSE)
            burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                              _("Choose another local port, or stop the program that uses it."),
                              _("Port %u on 127.0.0.1 is already in use."), self->local_port);
          else
            burrow_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                              _("Choose a local port above 1023, or 0 for an automatic one."),
                              _("Could not listen on 127.0.0.1 port %u: %s"),
                              self->local_port, g_strerror (saved_errno));
          return FALSE;
        }

      fd6 = listen_loopback (AF_INET6, port, &port6);
      if (fd6 < 0 && errno == EADDRINUSE)
        {
          close (fd4);
          if (self->local_port == 0 && tries + 1 < 8)
            continue;

          /* Serving IPv4 alone would send clients that try ::1 first
           * (psql with "localhost" does) to whatever holds that port,
           * password and all. */
          burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                            _("Choose another local port, or stop the program that uses it."),
                            _("Port %u on ::1 is already in use."), port);
          return FALSE;
        }

      self->listen_fds[0] = fd4;
      self->listen_fds[1] = fd6;
      self->bound_port = port;
      break;
    }

  watch_listeners (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_PORT]);

  return TRUE;
}

static void
burrow_tunnel_dispose (GObject *object)
{
  BurrowTunnel *self = BURROW_TUNNEL (object);

  shut_down (self);

  G_OBJECT_CLASS (burrow_tunnel_parent_class)->dispose (object);
}

static void
burrow_tunnel_finalize (GObject *object)
{
  BurrowTunnel *self = BURROW_TUNNEL (object);

  g_free (self->target_host);
  g_clear_object (&self->chain);
  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->pumps);
  g_main_context_unref (self->context);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (burrow_tunnel_parent_class)->finalize (object);
}

static void
burrow_tunnel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BurrowTunnel *self = BURROW_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_CHAIN:
      g_value_set_object (value, self->chain);
      break;
    case PROP_TARGET_HOST:
      g_value_set_string (value, self->target_host);
      break;
    case PROP_TARGET_PORT:
      g_value_set_uint (value, self->target_port);
      break;
    case PROP_LOCAL_PORT:
      g_value_set_uint (value, self->local_port);
      break;
    case PROP_WAIT_TIMEOUT:
      g_value_set_uint (value, self->wait_timeout);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, burrow_tunnel_get_attempt (self));
      break;
    case PROP_NEXT_TRY:
      g_value_set_int64 (value, burrow_tunnel_get_next_try (self));
      break;
    case PROP_BOUND_PORT:
      g_value_set_uint (value, self->bound_port);
      break;
    case PROP_ACTIVE_CONNECTIONS:
      g_value_set_uint (value, self->connections->len);
      break;
    case PROP_TOTAL_CONNECTIONS:
      g_value_set_uint64 (value, self->total_connections);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, burrow_tunnel_get_bytes_sent (self));
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, burrow_tunnel_get_bytes_received (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tunnel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BurrowTunnel *self = BURROW_TUNNEL (object);

  switch (prop_id)
    {
    case PROP_CHAIN:
      self->chain = g_value_dup_object (value);
      break;
    case PROP_TARGET_HOST:
      self->target_host = g_value_dup_string (value);
      break;
    case PROP_TARGET_PORT:
      self->target_port = g_value_get_uint (value);
      break;
    case PROP_LOCAL_PORT:
      self->local_port = g_value_get_uint (value);
      break;
    case PROP_WAIT_TIMEOUT:
      if (self->wait_timeout != g_value_get_uint (value))
        {
          self->wait_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tunnel_class_init (BurrowTunnelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = burrow_tunnel_dispose;
  object_class->finalize = burrow_tunnel_finalize;
  object_class->get_property = burrow_tunnel_get_property;
  object_class->set_property = burrow_tunnel_set_property;

  /* The SSH chain to the bastion, perhaps shared with other tunnels. */
  properties[PROP_CHAIN] = g_param_spec_object ("chain", NULL, NULL, BURROW_TYPE_SSH_CHAIN, co);
  /* The database, as the bastion sees it. */
  properties[PROP_TARGET_HOST] = g_param_spec_string ("target-host", NULL, NULL, NULL, co);
  properties[PROP_TARGET_PORT] = g_param_spec_uint ("target-port", NULL, NULL, 0, 65535, 0, co);
  /* 0 picks a free port: see bound-port. */
  properties[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, co);
  /* How long a new connection waits for a session that is down. */
  properties[PROP_WAIT_TIMEOUT] =
    g_param_spec_uint ("wait-timeout", NULL, NULL, 1, 3600, DEFAULT_WAIT_SECONDS, rw);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BURROW_TYPE_TUNNEL_STATE, BURROW_TUNNEL_STOPPED, ro);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* g_get_real_time() of the next attempt, 0 when none waits. */
  properties[PROP_NEXT_TRY] = g_param_spec_int64 ("next-try", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_BOUND_PORT] = g_param_spec_uint ("bound-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_ACTIVE_CONNECTIONS] =
    g_param_spec_uint ("active-connections", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_TOTAL_CONNECTIONS] =
    g_param_spec_uint64 ("total-connections", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /* Bytes from local clients to the server, and back; notified at most
   * once a second. */
  properties[PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowTunnel::connection-failed:
   * @error: why
   *
   * A local connection could not be forwarded (the target refused, the
   * bastion forbids forwarding, the session stayed down too long).
   */
  signals[SIGNAL_CONNECTION_FAILED] =
    g_signal_new ("connection-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_tunnel_init (BurrowTunnel *self)
{
  self->wait_timeout = DEFAULT_WAIT_SECONDS;
  self->io_priority = G_PRIORITY_DEFAULT;
  self->listen_fds[0] = self->listen_fds[1] = -1;
  self->connections = g_ptr_array_new ();
  self->pumps = g_ptr_array_new ();
  self->context = g_main_context_ref_thread_default ();
}

/**
 * burrow_tunnel_new:
 * @chain: the SSH chain to the bastion; the tunnel holds it while it runs
 * @target_host: the database host, as the bastion sees it
 * @target_port: its port
 * @local_port: the loopback port to listen on, 0 for a free one
 *
 * Returns: (transfer full): a stopped tunnel
 */
BurrowTunnel *
burrow_tunnel_new (BurrowSshChain *chain,
                   const char     *target_host,
                   guint16         target_port,
                   guint16         local_port)
{
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (chain), NULL);

  return g_object_new (BURROW_TYPE_TUNNEL,
                       "chain", chain,
                       "target-host", target_host,
                       "target-port", (guint)target_port,
                       "local-port", (guint)local_port,
                       NULL);
}

/**
 * burrow_tunnel_get_chain:
 *
 * Returns: (transfer none): the chain the tunnel uses
 */
BurrowSshChain *
burrow_tunnel_get_chain (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), NULL);

  return self->chain;
}

/**
 * burrow_tunnel_set_io_priority:
 * @priority: a main-loop priority, %G_PRIORITY_DEFAULT unless set
 *
 * The priority of the sources that accept the tunnel's connections and
 * move their bytes, at once. The chain's own sources follow its setting
 * (burrow_ssh_chain_set_io_priority), since tunnels may share it.
 */
void
burrow_tunnel_set_io_priority (BurrowTunnel *self,
                               int           priority)
{
  g_return_if_fail (BURROW_IS_TUNNEL (self));

  self->io_priority = priority;
  for (guint i = 0; i < G_N_ELEMENTS (self->listen_sources); i++)
    if (self->listen_sources[i] != 0)
      g_source_set_priority (g_main_context_find_source_by_id (self->context, self->listen_sources[i]), priority);
  for (guint i = 0; i < self->pumps->len; i++)
    burrow_channel_pump_set_io_priority (g_ptr_array_index (self->pumps, i), priority);
}

int
burrow_tunnel_get_io_priority (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), G_PRIORITY_DEFAULT);

  return self->io_priority;
}

/**
 * burrow_tunnel_start:
 *
 * Binds the local port at once (so that the port is known, and a port in
 * use is reported here), then brings the SSH session up in the background:
 * watch #BurrowTunnel:state.
 */
gboolean
burrow_tunnel_start (BurrowTunnel  *self,
                     GError       **error)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), FALSE);
  g_return_val_if_fail (self->chain != NULL, FALSE);

  if (self->started)
    return TRUE;

  if (self->target_host == NULL || self->target_host[0] == '\0' || self->target_port == 0)
    {
      burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        _("Fill in the database host and port as the bastion sees them."),
                        _("The tunnel has no target set."));
      return FALSE;
    }

  if (!open_listeners (self, error))
    return FALSE;

  self->started = TRUE;
  self->run++;
  set_state (self, BURROW_TUNNEL_CONNECTING, NULL);
  self->chain_state_handler = g_signal_connect (self->chain, "notify",
                                                G_CALLBACK (on_chain_notify), self);
  self->holding_chain = TRUE;
  burrow_ssh_chain_hold (self->chain);

  /* A shared chain may be up already. */
  if (burrow_ssh_chain_get_state (self->chain) == BURROW_SSH_CHAIN_UP)
    {
      attach_session (self, burrow_ssh_chain_get_session (self->chain));
      set_state (self, BURROW_TUNNEL_UP, NULL);
    }

  return TRUE;
}

/**
 * burrow_tunnel_stop:
 *
 * Closes every connection and the listener, and lets go of the session.
 */
void
burrow_tunnel_stop (BurrowTunnel *self)
{
  g_return_if_fail (BURROW_IS_TUNNEL (self));

  shut_down (self);
  set_state (self, BURROW_TUNNEL_STOPPED, NULL);
}

BurrowTunnelState
burrow_tunnel_get_state (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), BURROW_TUNNEL_STOPPED);

  return self->state;
}

const GError *
burrow_tunnel_get_error (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), NULL);

  return self->error;
}

guint
burrow_tunnel_get_attempt (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  return self->chain != NULL && self->started ? burrow_ssh_chain_get_attempt (self->chain) : 0;
}

gint64
burrow_tunnel_get_next_try (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  return self->chain != NULL && self->started ? burrow_ssh_chain_get_next_try (self->chain) : 0;
}

guint16
burrow_tunnel_get_bound_port (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  return self->bound_port;
}

guint
burrow_tunnel_get_active_connections (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  return self->connections->len;
}

guint64
burrow_tunnel_get_total_connections (BurrowTunnel *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  return self->total_connections;
}

guint64
burrow_tunnel_get_bytes_sent (BurrowTunnel *self)
{
  guint64 total;

  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  total = self->bytes_sent;
  for (guint i = 0; i < self->pumps->len; i++)
    total += burrow_channel_pump_get_bytes_up (g_ptr_array_index (self->pumps, i));

  return total;
}

guint64
burrow_tunnel_get_bytes_received (BurrowTunnel *self)
{
  guint64 total;

  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  total = self->bytes_received;
  for (guint i = 0; i < self->pumps->len; i++)
    total += burrow_channel_pump_get_bytes_down (g_ptr_array_index (self->pumps, i));

  return total;
}

/**
 * burrow_tunnel_get_buffered:
 *
 * Returns: the bytes held in memory for all connections, by Burrow and by
 * libssh for their channels
 */
gsize
burrow_tunnel_get_buffered (BurrowTunnel *self)
{
  gsize total = 0;

  g_return_val_if_fail (BURROW_IS_TUNNEL (self), 0);

  for (guint i = 0; i < self->pumps->len; i++)
    total += burrow_channel_pump_get_buffered (g_ptr_array_index (self->pumps, i));

  return total;
}
