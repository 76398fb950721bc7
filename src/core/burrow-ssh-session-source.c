/* burrow-ssh-session-source.c — the main-loop source on a session's socket.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GSource per session watches its socket: G_IO_IN always, G_IO_OUT
 * only while libssh holds unsent data. Its dispatch lets libssh read and
 * write what it can (ssh_event_dopoll with a zero timeout), advances
 * connect and sign-in, collects the answers to channel opens, and emits
 * "activity" for the channel owners. Nothing here waits.
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "burrow-ssh-session-private.h"

/* 64 polls of up to 4 KiB each per dispatch. */
#define DISPATCH_POLL_BUDGET 64
/* What libssh asks of recv() per poll (MAX_BUF_SIZE in its sources). */
#define LIBSSH_READ_SIZE 4096

typedef struct
{
  GSource           source;
  gpointer          tag;
  GIOCondition      events;
  BurrowSshSession *session;
} SocketSource;

/* Channel owners do their reads and writes, and what the pass took in is
 * accounted for. */
static void
end_pass (BurrowSshSession *self)
{
  burrow_ssh_session_emit_activity (self);
  self->passed_in_bytes = self->counter.in_bytes;
}

/* Whether libssh took in input since the last pass: a call made outside
 * the dispatch (a channel read or poll, a close's flush, a keepalive) may
 * have consumed what a pending open or another channel waits for, and
 * left the socket drained, so that no event would come for it. */
static gboolean
input_taken_outside (BurrowSshSession *self)
{
  return self->step == STEP_DONE && !self->agent_busy &&
         self->counter.in_bytes != self->passed_in_bytes;
}

static gboolean
on_socket_ready (gpointer user_data)
{
  BurrowSshSession *self = user_data;
  SocketSource *source = (SocketSource *)self->socket_source;
  GIOCondition revents;

  /* A worker thread has the libssh session; its answer restarts things. */
  if (self->agent_busy || source->tag == NULL)
    return G_SOURCE_CONTINUE;

  revents = g_source_query_unix_fd ((GSource *)source, source->tag);

  g_object_ref (self);

  /* sshd turns on TCP_NODELAY only for interactive sessions, so on a
   * forwarding-only connection Nagle holds its small replies (a channel
   * open confirmation, a database's answer) until what it sent before is
   * acknowledged, and this end's kernel delays that acknowledgement by up
   * to 40 ms. Asking for the acknowledgement now, whenever data came in,
   * removes the stall. TCP_QUICKACK does not stick: the kernel goes back to
   * delayed ACKs on its own, hence once per dispatch. */
  if ((revents & G_IO_IN) != 0 && self->fd >= 0)
    {
      int one = 1;

      setsockopt (self->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }

  /* libssh reads at most 4 KiB per poll: keep polling while a read came
   * back full (the socket likely has more), up to a budget that leaves the
   * loop's other sources their turn. A short read means the socket is
   * drained, and saves a poll per small message. */
  if (self->event_added && (revents != 0 || self->step != STEP_DONE))
    {
      gboolean listening = burrow_ssh_session_has_pending_opens (self);

      if (listening)
        burrow_libssh_refusal_tap_start (&self->refusal_tap);

      for (guint i = 0; i < DISPATCH_POLL_BUDGET; i++)
        {
          guint64 before = self->counter.in_bytes;

          if (ssh_event_dopoll (self->event, 0) != SSH_OK ||
              self->counter.in_bytes - before < LIBSSH_READ_SIZE)
            break;
        }

      if (listening)
        burrow_libssh_refusal_tap_stop (&self->refusal_tap);
      burrow_ssh_session_note_input (self, TRUE);
    }

  if (self->step != STEP_DONE)
    {
      burrow_ssh_session_advance (self);

      /* A server that hung up during set-up leaves libssh answering
       * SSH_AGAIN, and the socket readable for ever. */
      if ((self->state == BURROW_SSH_STATE_CONNECTING || self->state == BURROW_SSH_STATE_AUTHENTICATING) &&
          self->step != STEP_NONE && !self->agent_busy && burrow_ssh_session_is_gone (self))
        burrow_ssh_session_fail_setup_lost (self);
    }

  if (self->state == BURROW_SSH_STATE_READY)
    {
      if ((revents & (G_IO_ERR | G_IO_NVAL)) != 0)
        burrow_ssh_session_fail_lost (self);
      else if (!burrow_ssh_session_fail_if_lost (self))
        burrow_ssh_session_service_opens (self);
    }
  else if (self->socket_source != NULL && (revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) != 0 &&
           self->state != BURROW_SSH_STATE_DEAD && !self->agent_busy)
    {
      /* The socket is finished but libssh did not say so: without this
       * the source would fire for ever. */
      burrow_ssh_session_fail_setup_lost (self);
    }

  if (self->state == BURROW_SSH_STATE_READY)
    end_pass (self);

  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/* The socket source */

static gboolean
socket_source_prepare (GSource *source,
                       int     *timeout)
{
  SocketSource *self = (SocketSource *)source;
  GIOCondition wanted = G_IO_IN;

  *timeout = -1;

  if (self->tag == NULL)
    return FALSE;
  if (input_taken_outside (self->session))
    return TRUE;

  /* Watching G_IO_OUT only while libssh holds unsent data keeps an idle
   * session from waking the loop. Once the session is ready, that is its
   * output buffer: libssh asks for POLLOUT after every send as well, only
   * to learn that the next send will not block, and the next
   * ssh_channel_write() finds that out by itself (it polls when it cannot
   * send at once); watching for it would cost a pass of the loop per
   * message. During set-up POLLOUT also completes libssh's connect. */
  if (self->session->ssh != NULL)
    {
      int pending = self->session->step == STEP_DONE ? ssh_get_status (self->session->ssh)
                                                     : ssh_get_poll_flags (self->session->ssh);

      if ((pending & SSH_WRITE_PENDING) != 0)
        wanted |= G_IO_OUT;
    }

  if (wanted != self->events)
    {
      g_source_modify_unix_fd (source, self->tag, wanted);
      self->events = wanted;
    }

  return FALSE;
}

static gboolean
socket_source_check (GSource *source)
{
  SocketSource *self = (SocketSource *)source;

  return self->tag != NULL && g_source_query_unix_fd (source, self->tag) != 0;
}

static gboolean
socket_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs socket_source_funcs = {
  socket_source_prepare,
  socket_source_check,
  socket_source_dispatch,
  NULL, NULL, NULL,
};

GSource *
burrow_ssh_session_source_new (BurrowSshSession *session,
                               int               fd)
{
  GSource *source = g_source_new (&socket_source_funcs, sizeof (SocketSource));
  SocketSource *socket_source = (SocketSource *)source;

  socket_source->session = session;
  socket_source->events = G_IO_IN | G_IO_OUT;
  socket_source->tag = g_source_add_unix_fd (source, fd, socket_source->events);
  g_source_set_static_name (source, "[burrow] ssh socket");
  g_source_set_callback (source, on_socket_ready, session, NULL);
  /* Nothing runs a nested loop from its dispatch; and GLib would otherwise
   * take the socket out of its poll set and put it back around each
   * dispatch, writing to its wakeup eventfd both times. */
  g_source_set_can_recurse (source, TRUE);

  return source;
}

static gboolean
on_activity_idle (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->activity_source, g_source_unref);

  /* A libssh call made outside the dispatch may have taken in a channel
   * confirmation, or the end of the connection. */
  if (burrow_ssh_session_fail_if_lost (self))
    return G_SOURCE_REMOVE;

  g_object_ref (self);
  burrow_ssh_session_service_opens (self);
  if (self->state == BURROW_SSH_STATE_READY)
    end_pass (self);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

/* While a worker signs in with ssh-agent, the libssh session is its alone:
 * the source neither watches the socket nor dispatches. The socket leaves
 * the source altogether meanwhile: poll() reports POLLHUP and POLLERR even
 * for a descriptor watched for nothing, and a server that resets the
 * connection would make the loop spin until the worker is done. */
void
burrow_ssh_session_set_agent_busy (BurrowSshSession *self,
                                   gboolean          busy)
{
  SocketSource *source = (SocketSource *)self->socket_source;

  self->agent_busy = busy;
  if (source == NULL)
    return;

  if (busy && source->tag != NULL)
    {
      g_source_remove_unix_fd ((GSource *)source, source->tag);
      source->tag = NULL;
    }
  else if (!busy && source->tag == NULL && self->fd >= 0)
    {
      source->events = G_IO_IN | G_IO_OUT;
      source->tag = g_source_add_unix_fd ((GSource *)source, self->fd, source->events);
    }
}

/* Public API */

/* Makes the loop look at the socket's write side again now: call it after
 * writing to a channel from another thread's wakeup or a long callback. */
void
burrow_ssh_session_flush (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  g_main_context_wakeup (self->context);
}

/* Emits "activity" once from an idle, however often it is called before. */
void
burrow_ssh_session_queue_activity (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  if (self->activity_source != NULL || self->state != BURROW_SSH_STATE_READY)
    return;

  self->activity_source = g_idle_source_new ();
  g_source_set_callback (self->activity_source, on_activity_idle, self, NULL);
  g_source_set_static_name (self->activity_source, "[burrow] ssh activity");
  g_source_attach (self->activity_source, self->context);
}
