/* burrow-channel-pump.c — moves bytes between a local socket and an SSH channel.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pump per forwarded connection: the local end is a socket (a client of
 * the tunnel, or one end of a socket pair that an inner SSH session of a
 * jump chain talks through), the far end an open channel.
 *
 * Flow control is done by hand, because libssh 0.10 has none to offer:
 * - upstream, the socket is read only while the channel is open, its window
 *   is not empty and libssh has no unsent output; a partial channel write
 *   (a rekey makes ssh_channel_write() return 0) keeps its leftover and the
 *   socket is not read again until the leftover is gone;
 * - downstream, the data callback sends without blocking and returns what
 *   the socket took; libssh keeps the rest and withholds window from the
 *   server, so a slow reader slows the database, not our memory. The rest is
 *   pulled later with ssh_channel_read_nonblocking(), outside the callback,
 *   all of it at once (libssh 0.10 re-opens the window on every read), and
 *   passed on from the pump's own buffer as the client takes it.
 * Half-close travels both ways: a local EOF becomes a channel EOF once the
 * leftover is written; a channel EOF becomes shutdown(SHUT_WR) once every
 * byte before it reached the socket. The pump finishes, and only then frees
 * its channel, when both directions are done.
 *
 * Each call moves a bounded amount, so that one bulk connection cannot delay
 * the small round trips of another: GLib's round robin over ready sources
 * does the rest.
 */

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <libssh/callbacks.h>

#include "burrow-channel-pump.h"
#include "burrow-libssh-compat.h"
#include "burrow-poll.h"
#include "burrow-ssh-session.h"

/* One read from the socket, at most; a few SSH packets. */
#define SCRATCH_SIZE (64 * 1024)
/* At most this much per direction per call. */
#define BUDGET (64 * 1024)
/* While other connections of the group move data too, a connection keeps at
 * first at most this much sent to the server and not yet acknowledged by a
 * window adjustment: what waits ahead of their small messages on the shared
 * TCP connection. sshd acknowledges every ~96 KiB it passed on (3 packets
 * of 32 KiB), so this leaves it room to. */
#define SHARED_UNACKED (128 * 1024)
/* A server that acknowledges in larger steps, or a long link, leaves a
 * connection at that limit without an acknowledgement for longer than
 * this: then its limit doubles, up to the whole window. An acknowledgement
 * that comes within a tenth of it halves the limit again. */
#define SHARED_STALL_MS 20
/* While other connections of the group move data too, a channel offered
 * more than this leaves it with libssh and passes it on from the main loop:
 * the session's dispatch then only decrypts, and gets to the small
 * messages of the others behind a bulk transfer sooner. */
#define SHARED_DIRECT_MAX (8 * 1024)
/* Other connections count as active for this long after they moved data. */
#define SHARED_SPAN (100 * G_TIME_SPAN_MILLISECOND)

struct _BurrowChannelPump
{
  GObject parent_instance;

  GMainContext                   *context;
  ssh_channel                     channel;
  ssh_session                     session;
  struct ssh_channel_callbacks_struct callbacks;
  int                             fd;
  GSource                        *source;
  gpointer                        fd_tag;
  GIOCondition                    watched;
  GSource                        *finish_source;
  int                             io_priority;

  BurrowChannelPumpWakeFunc       wake_func;
  gpointer                        wake_data;
  BurrowChannelPumpGroup         *group;
  /* The largest window the server granted: what it holds unacknowledged is
   * the difference to the current one. */
  guint32                         window_peak;
  /* The limit while the group is shared, and since when it holds us. */
  guint32                         shared_unacked;
  gint64                          capped_since;
  GSource                        *stall_source;

  /* Upstream leftover of a partial channel write. */
  guint8                         *up_buffer;
  gsize                           up_offset;
  gsize                           up_length;
  /* Downstream leftover of a partial send(). */
  guint8                         *down_buffer;
  gsize                           down_offset;
  gsize                           down_length;

  guint64                         bytes_up;
  guint64                         bytes_down;

  guint                           local_eof : 1;
  guint                           up_done : 1;
  guint                           down_done : 1;
  guint                           remote_eof : 1;
  guint                           remote_closed : 1;
  guint                           libssh_holds_data : 1;
  guint                           finished : 1;
  /* Waits on something only the session can change: window, unsent
   * output, a rekey, or an EOF or close that arrived. */
  guint                           needs_service : 1;
  /* Wrote, and libssh could not send it all yet. */
  guint                           awaiting_flush : 1;
  /* The latest bytes went from the client to the server. */
  guint                           last_went_up : 1;
  GError                         *error;
};

typedef struct
{
  GSource            source;
  BurrowChannelPump *pump;
} PumpSource;

G_DEFINE_FINAL_TYPE (BurrowChannelPump, burrow_channel_pump, G_TYPE_OBJECT)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint8 *
get_scratch (void)
{
  static GPrivate scratch_key = G_PRIVATE_INIT (g_free);
  guint8 *scratch = g_private_get (&scratch_key);

  if (scratch == NULL)
    {
      scratch = g_malloc (SCRATCH_SIZE);
      g_private_set (&scratch_key, scratch);
    }

  return scratch;
}

static void
wake_owner (BurrowChannelPump *self)
{
  if (self->wake_func != NULL)
    self->wake_func (self->wake_data);
}

/* Called whenever bytes moved: @went_up when from the client to the
 * server. The main loop's poll hears of it too, and of whether the
 * connection turned round (an answer after a query, or the next query). */
static void
note_activity (BurrowChannelPump *self,
               gsize              bytes,
               gboolean           went_up)
{
  BurrowChannelPumpGroup *group = self->group;

  burrow_poll_note_traffic (bytes, went_up != self->last_went_up);
  self->last_went_up = went_up;

  if (group != NULL && group->last_active != self)
    {
      /* The first to move data after the last one finished is alone. */
      if (group->last_active != NULL)
        group->shared_at = g_get_monotonic_time ();
      group->last_active = self;
    }
}

/* Whether other connections of the group moved data lately. */
static gboolean
group_shared (BurrowChannelPump *self)
{
  return self->group != NULL && g_get_monotonic_time () - self->group->shared_at < SHARED_SPAN;
}

/* How much may be sent on the channel now. Alone, the window; while other
 * connections of the group move data too, less, so that a bulk transfer
 * does not queue megabytes ahead of their round trips. */
static guint32
upstream_room (BurrowChannelPump *self)
{
  guint32 window = ssh_channel_window_size (self->channel);
  guint32 unacked;

  if (window > self->window_peak)
    self->window_peak = window;

  /* An empty window is the server's own limit, not ours to time. */
  if (window == 0 || !group_shared (self))
    {
      if (window > 0)
        self->shared_unacked = SHARED_UNACKED;
      self->capped_since = 0;
      return window;
    }

  unacked = self->window_peak - window;
  if (unacked >= self->shared_unacked)
    {
      gint64 now = g_get_monotonic_time ();

      if (self->capped_since == 0)
        self->capped_since = now;
      if (now - self->capped_since < SHARED_STALL_MS * G_TIME_SPAN_MILLISECOND)
        return 0;

      self->shared_unacked = MIN (self->shared_unacked * 2, self->window_peak);
      self->capped_since = now;
      if (unacked >= self->shared_unacked)
        return 0;
      self->capped_since = 0;
    }

  if (self->capped_since != 0 &&
      g_get_monotonic_time () - self->capped_since < SHARED_STALL_MS * G_TIME_SPAN_MILLISECOND / 10)
    {
      self->shared_unacked = MAX (self->shared_unacked / 2, SHARED_UNACKED);

      /* Halved below what is already in flight: capped again, not free
       * of the limit (the subtraction below would wrap). */
      if (unacked >= self->shared_unacked)
        {
          self->capped_since = g_get_monotonic_time ();
          return 0;
        }
    }
  self->capped_since = 0;
  return MIN (window, self->shared_unacked - unacked);
}

static void
keep_leftover (guint8       **buffer,
               gsize         *offset,
               gsize         *length,
               const guint8  *data,
               gsize          size)
{
  g_assert (*length == 0);

  *buffer = g_realloc (*buffer, size);
  memcpy (*buffer, data, size);
  *offset = 0;
  *length = size;
}

static void
drop_leftover (guint8 **buffer,
               gsize   *offset,
               gsize   *length)
{
  g_clear_pointer (buffer, g_free);
  *offset = 0;
  *length = 0;
}

static gboolean
channel_usable (BurrowChannelPump *self)
{
  return self->channel != NULL && !self->remote_closed && ssh_channel_is_open (self->channel);
}

static void
fail (BurrowChannelPump *self,
      GError            *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);

  self->up_done = TRUE;
  self->down_done = TRUE;
}

static void
fail_ssh (BurrowChannelPump *self,
          const char        *what)
{
  fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                           _("The SSH channel broke while %s: %s"),
                           what, ssh_get_error (self->session)));
}

/* libssh's output is shared by every channel of the session. A pump that
 * filled it waits until it is sent before reading more, which bounds it;
 * the others may still add one round each, so that a bulk transfer cannot
 * keep a small query out. */
static gboolean
output_blocked (BurrowChannelPump *self)
{
  if (!self->awaiting_flush)
    return FALSE;

  /* ssh_get_status() looks at libssh's output buffer; the poll flags
   * report SSH_WRITE_PENDING after every send, even when all of it went
   * out, until the next POLLOUT. */
  if ((ssh_get_status (self->session) & SSH_WRITE_PENDING) != 0)
    return TRUE;

  self->awaiting_flush = FALSE;
  return FALSE;
}

static void pump_run (BurrowChannelPump *self,
                      GIOCondition       ready);

static gboolean
on_stall_timeout (gpointer user_data)
{
  BurrowChannelPump *self = user_data;

  g_clear_pointer (&self->stall_source, g_source_unref);
  pump_run (self, 0);
  wake_owner (self);

  return G_SOURCE_REMOVE;
}

static void
clear_stall_timeout (BurrowChannelPump *self)
{
  if (self->stall_source != NULL)
    {
      g_source_destroy (self->stall_source);
      g_clear_pointer (&self->stall_source, g_source_unref);
    }
}

/* Held back by the limit of a shared group, nothing from the session may
 * come to end the wait (the other connections went quiet, or the server
 * waits for more before it acknowledges): look again a little later. */
static void
watch_stall (BurrowChannelPump *self)
{
  if (self->capped_since == 0 || self->up_done)
    {
      clear_stall_timeout (self);
      return;
    }

  if (self->stall_source != NULL)
    return;

  self->stall_source = g_timeout_source_new (SHARED_STALL_MS);
  /* It moves bytes too. */
  g_source_set_priority (self->stall_source, self->io_priority);
  g_source_set_static_name (self->stall_source, "burrow-channel-pump stall");
  g_source_set_callback (self->stall_source, on_stall_timeout, self, NULL);
  g_source_attach (self->stall_source, self->context);
}

static void
update_watch (BurrowChannelPump *self)
{
  GIOCondition wanted = 0;

  if (self->source == NULL)
    return;

  self->needs_service = FALSE;
  if (!self->up_done && channel_usable (self))
    {
      if (self->up_length > 0 || (self->local_eof && !self->up_done))
        self->needs_service = TRUE;
      else if (upstream_room (self) == 0 || output_blocked (self))
        self->needs_service = TRUE;
      else if (!self->local_eof)
        wanted |= G_IO_IN;
    }

  if (!self->down_done && (self->down_length > 0 || self->libssh_holds_data))
    wanted |= G_IO_OUT;

  watch_stall (self);

  if (wanted == self->watched && (wanted == 0) == (self->fd_tag == NULL))
    return;

  /* poll() reports HUP and ERR even for no events: a socket we do not want
   * to hear from must leave the source, or the loop would spin. */
  if (wanted == 0)
    {
      if (self->fd_tag != NULL)
        g_source_remove_unix_fd (self->source, self->fd_tag);
      self->fd_tag = NULL;
    }
  else if (self->fd_tag == NULL)
    self->fd_tag = g_source_add_unix_fd (self->source, self->fd, wanted);
  else
    g_source_modify_unix_fd (self->source, self->fd_tag, wanted);

  self->watched = wanted;
}

/* Returns FALSE when it could not write everything (window, rekey). */
static gboolean
write_channel (BurrowChannelPump *self,
               const guint8      *data,
               gsize              length,
               gsize             *written)
{
  *written = 0;

  while (*written < length)
    {
      guint32 window = ssh_channel_window_size (self->channel);
      int n;

      if (window == 0)
        return FALSE;

      n = ssh_channel_write (self->channel, data + *written, MIN (length - *written, window));
      if (n < 0)
        {
          /* The far end is gone: what the client still sends has nowhere
           * to go. A channel the server closed before this pump watched it
           * is only marked delayed_close by libssh, so a refused write on a
           * session still up means the same — and what libssh holds for
           * the client must still reach it. */
          if (self->remote_closed || !ssh_channel_is_open (self->channel) ||
              ssh_is_connected (ssh_channel_get_session (self->channel)))
            {
              self->up_done = TRUE;
              return FALSE;
            }
          fail_ssh (self, _("sending"));
          return FALSE;
        }
      if (n == 0)
        return FALSE;

      *written += n;
      self->bytes_up += n;
    }

  return TRUE;
}

static void
pump_upstream (BurrowChannelPump *self,
               gboolean           may_read)
{
  guint8 *scratch;
  gsize budget = BUDGET;

  if (self->up_done)
    return;

  if (!channel_usable (self))
    {
      if (self->channel == NULL || self->remote_closed || ssh_channel_is_closed (self->channel))
        {
          self->up_done = TRUE;
          drop_leftover (&self->up_buffer, &self->up_offset, &self->up_length);
        }
      return;
    }

  while (self->up_length > 0)
    {
      gsize written;
      gboolean all = write_channel (self, self->up_buffer + self->up_offset, self->up_length, &written);

      self->up_offset += written;
      self->up_length -= written;
      if (self->up_done)
        return;
      if (!all)
        return;
    }
  drop_leftover (&self->up_buffer, &self->up_offset, &self->up_length);

  scratch = get_scratch ();

  while (may_read && !self->local_eof && budget > 0)
    {
      guint32 window = upstream_room (self);
      gsize written;
      ssize_t n;

      if (window == 0 || output_blocked (self))
        break;

      n = recv (self->fd, scratch, MIN (MIN (window, SCRATCH_SIZE), budget), MSG_DONTWAIT);
      if (n == 0)
        {
          self->local_eof = TRUE;
          break;
        }
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EINTR)
            break;
          /* The client reset the connection: nothing more will come from
           * it, nor can anything reach it. */
          self->local_eof = TRUE;
          self->down_done = TRUE;
          break;
        }

      budget -= n;
      self->awaiting_flush = TRUE;
      note_activity (self, n, TRUE);
      if (!write_channel (self, scratch, n, &written))
        {
          if (!self->up_done)
            keep_leftover (&self->up_buffer, &self->up_offset, &self->up_length,
                           scratch + written, n - written);
          return;
        }

      /* A short read drained the socket: save the recv() that would say
       * EAGAIN, the loop tells us when more comes. */
      if ((gsize)n < MIN (MIN (window, SCRATCH_SIZE), budget + n))
        break;
    }

  if (self->local_eof && self->up_length == 0)
    {
      /* SSH_AGAIN only says the EOF is not on the wire yet. */
      if (ssh_channel_send_eof (self->channel) == SSH_ERROR)
        {
          fail_ssh (self, _("ending the stream"));
          return;
        }
      self->up_done = TRUE;
    }
}

/* Returns the number of bytes the socket took, or -1 when the client can no
 * longer receive anything. */
static gssize
send_local (BurrowChannelPump *self,
            const guint8      *data,
            gsize              length)
{
  ssize_t n = send (self->fd, data, length, MSG_DONTWAIT | MSG_NOSIGNAL);

  if (n >= 0)
    {
      self->bytes_down += n;
      if (n > 0)
        note_activity (self, n, FALSE);
      return n;
    }
  if (errno == EAGAIN || errno == EINTR)
    return 0;

  return -1;
}

static void
discard_downstream (BurrowChannelPump *self)
{
  self->down_done = TRUE;
  self->libssh_holds_data = FALSE;
  drop_leftover (&self->down_buffer, &self->down_offset, &self->down_length);
}

static void
pump_downstream (BurrowChannelPump *self,
                 gboolean           may_write)
{
  gsize budget = BUDGET;

  if (self->down_done)
    return;

  if (!may_write)
    goto check_eof;

  /* What the client did not take yet goes first; then what libssh holds,
   * all of it at once (burrow_libssh_channel_read_size()), kept here and
   * passed on as the client takes it. Until then libssh keeps what comes
   * (on_channel_data()) and opens no more window. */
  for (;;)
    {
      if (self->down_length > 0)
        {
          gssize n = send_local (self, self->down_buffer + self->down_offset, MIN (self->down_length, budget));

          if (n < 0)
            {
              discard_downstream (self);
              return;
            }
          self->down_offset += n;
          self->down_length -= n;
          budget -= MIN ((gsize)n, budget);
          if (self->down_length > 0)
            return;
          drop_leftover (&self->down_buffer, &self->down_offset, &self->down_length);
        }

      if (!self->libssh_holds_data || budget == 0 || self->channel == NULL)
        break;

      {
        gsize want = burrow_libssh_channel_read_size (self->channel, budget);
        int n;

        self->down_buffer = g_realloc (self->down_buffer, want);
        n = ssh_channel_read_nonblocking (self->channel, self->down_buffer, want, 0);
        if (n == 0 || n == SSH_EOF)
          {
            self->libssh_holds_data = FALSE;
            drop_leftover (&self->down_buffer, &self->down_offset, &self->down_length);
            break;
          }
        if (n < 0)
          {
            drop_leftover (&self->down_buffer, &self->down_offset, &self->down_length);
            fail_ssh (self, _("receiving"));
            return;
          }
        self->down_offset = 0;
        self->down_length = n;
      }
    }

check_eof:
  if (self->channel != NULL && (self->remote_eof || ssh_channel_is_eof (self->channel))
      && !self->libssh_holds_data && self->down_length == 0)
    {
      self->remote_eof = TRUE;
      shutdown (self->fd, SHUT_WR);
      self->down_done = TRUE;
    }
}

static gboolean
on_finish_idle (gpointer user_data)
{
  BurrowChannelPump *self = user_data;
  g_autoptr(BurrowChannelPump) keep = g_object_ref (self);

  g_clear_pointer (&self->finish_source, g_source_unref);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->error);

  return G_SOURCE_REMOVE;
}

/* Frees the channel, which tells the server unless it is gone, and closes
 * the socket. Never from inside a libssh callback. */
static void
release (BurrowChannelPump *self)
{
  /* The group may hand this address to a new pump; and it belongs to the
   * tunnel, which may go before this pump does. */
  if (self->group != NULL && self->group->last_active == self)
    self->group->last_active = NULL;
  self->group = NULL;

  if (self->channel != NULL)
    {
      ssh_remove_channel_callbacks (self->channel, &self->callbacks);
      g_clear_pointer (&self->channel, burrow_ssh_channel_close_and_free);
    }

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }

  drop_leftover (&self->up_buffer, &self->up_offset, &self->up_length);
  drop_leftover (&self->down_buffer, &self->down_offset, &self->down_length);
  clear_stall_timeout (self);
}

static void
finish (BurrowChannelPump *self)
{
  if (self->finished)
    return;

  self->finished = TRUE;
  self->up_done = TRUE;
  self->down_done = TRUE;
  release (self);

  self->finish_source = g_idle_source_new ();
  g_source_set_priority (self->finish_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->finish_source, on_finish_idle, self, NULL);
  g_source_attach (self->finish_source, self->context);
}

/* @ready: what the socket is ready for; 0 when the session woke us, in
 * which case no socket call is made unless needed. */
static void
pump_run (BurrowChannelPump *self,
          GIOCondition       ready)
{
  if (self->finished)
    return;

  pump_downstream (self, (ready & (G_IO_OUT | G_IO_HUP | G_IO_ERR)) != 0);
  pump_upstream (self, (ready & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0);

  if (self->up_done && self->down_done)
    finish (self);
  else
    update_watch (self);
}

static int
on_channel_data (ssh_session  session,
                 ssh_channel  channel,
                 void        *data,
                 uint32_t     len,
                 int          is_stderr,
                 void        *user_data)
{
  BurrowChannelPump *self = user_data;
  gssize sent;

  (void)session;
  (void)channel;

  /* direct-tcpip has no stderr stream; and a finished client takes all. */
  if (is_stderr || self->down_done)
    return len;

  /* Keep the order: what libssh already held, and our own leftover, go
   * first. */
  if (self->down_length > 0 || (len > SHARED_DIRECT_MAX && group_shared (self)))
    {
      self->libssh_holds_data = TRUE;
      update_watch (self);
      return 0;
    }

  sent = send_local (self, data, len);
  if (sent < 0)
    {
      discard_downstream (self);
      return len;
    }

  if ((uint32_t)sent < len)
    {
      self->libssh_holds_data = TRUE;
      update_watch (self);
    }
  else
    self->libssh_holds_data = FALSE;

  return sent;
}

static void
on_channel_eof (ssh_session  session,
                ssh_channel  channel,
                void        *user_data)
{
  BurrowChannelPump *self = user_data;

  (void)session;
  (void)channel;

  self->remote_eof = TRUE;
  self->needs_service = TRUE;
}

static void
on_channel_close (ssh_session  session,
                  ssh_channel  channel,
                  void        *user_data)
{
  BurrowChannelPump *self = user_data;

  (void)session;
  (void)channel;

  self->remote_eof = TRUE;
  self->remote_closed = TRUE;
  self->needs_service = TRUE;
}

static gboolean
pump_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  PumpSource *pump_source = (PumpSource *)source;
  BurrowChannelPump *self = pump_source->pump;

  (void)callback;
  (void)user_data;

  if (self->fd_tag == NULL)
    return G_SOURCE_CONTINUE;

  pump_run (self, g_source_query_unix_fd (source, self->fd_tag));
  /* Our libssh calls may have taken in window adjustments, EOFs or data for
   * the other channels of this session. */
  wake_owner (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs pump_source_funcs = {
  .dispatch = pump_source_dispatch,
};

static void
burrow_channel_pump_dispose (GObject *object)
{
  BurrowChannelPump *self = BURROW_CHANNEL_PUMP (object);

  release (self);
  if (self->finish_source != NULL)
    {
      g_source_destroy (self->finish_source);
      g_clear_pointer (&self->finish_source, g_source_unref);
    }

  G_OBJECT_CLASS (burrow_channel_pump_parent_class)->dispose (object);
}

static void
burrow_channel_pump_finalize (GObject *object)
{
  BurrowChannelPump *self = BURROW_CHANNEL_PUMP (object);

  g_clear_error (&self->error);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (burrow_channel_pump_parent_class)->finalize (object);
}

static void
burrow_channel_pump_class_init (BurrowChannelPumpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_channel_pump_dispose;
  object_class->finalize = burrow_channel_pump_finalize;

  /**
   * BurrowChannelPump::finished:
   * @error: (nullable): why the pump stopped early, or %NULL when both
   *   directions ended normally
   *
   * Emitted once, from the main loop, after the pump released its channel
   * and closed its socket.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_channel_pump_init (BurrowChannelPump *self)
{
  self->fd = -1;
  self->shared_unacked = SHARED_UNACKED;
  self->io_priority = G_PRIORITY_DEFAULT;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * burrow_channel_pump_new:
 * @channel: (transfer full): an open channel
 * @fd: (transfer full): a connected stream socket
 *
 * Starts moving bytes on the thread-default main context. The pump owns
 * both ends and frees them when it finishes.
 */
BurrowChannelPump *
burrow_channel_pump_new (ssh_channel channel,
                         int         fd)
{
  BurrowChannelPump *self;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (BURROW_TYPE_CHANNEL_PUMP, NULL);
  self->channel = channel;
  self->session = ssh_channel_get_session (channel);
  self->fd = fd;

  self->callbacks = (struct ssh_channel_callbacks_struct) {
    .userdata = self,
    .channel_data_function = on_channel_data,
    .channel_eof_function = on_channel_eof,
    .channel_close_function = on_channel_close,
  };
  ssh_callbacks_init (&self->callbacks);
  ssh_set_channel_callbacks (channel, &self->callbacks);

  self->source = g_source_new (&pump_source_funcs, sizeof (PumpSource));
  ((PumpSource *)self->source)->pump = self;
  g_source_set_static_name (self->source, "burrow-channel-pump");
  /* Nothing runs a nested loop from a pump's dispatch; and GLib would
   * otherwise take the socket out of its poll set and put it back around
   * each dispatch, writing to its wakeup eventfd both times. */
  g_source_set_can_recurse (self->source, TRUE);
  g_source_attach (self->source, self->context);

  /* The channel may already hold data or an EOF from before we were
   * attached. */
  self->libssh_holds_data = TRUE;
  update_watch (self);

  return self;
}

/**
 * burrow_channel_pump_set_io_priority:
 * @priority: a main-loop priority, %G_PRIORITY_DEFAULT unless set
 *
 * The priority of the sources that move the bytes, at once.
 */
void
burrow_channel_pump_set_io_priority (BurrowChannelPump *self,
                                     int                priority)
{
  g_return_if_fail (BURROW_IS_CHANNEL_PUMP (self));

  self->io_priority = priority;
  if (self->source != NULL)
    g_source_set_priority (self->source, priority);
  if (self->stall_source != NULL)
    g_source_set_priority (self->stall_source, priority);
}

void
burrow_channel_pump_set_wake_func (BurrowChannelPump         *self,
                                   BurrowChannelPumpWakeFunc  func,
                                   gpointer                   user_data)
{
  g_return_if_fail (BURROW_IS_CHANNEL_PUMP (self));

  self->wake_func = func;
  self->wake_data = user_data;
}

/**
 * burrow_channel_pump_set_group:
 * @group: (nullable): shared by the pumps of one SSH session, and outliving
 *   them
 *
 * Pumps of one group share a TCP connection: while more than one of them
 * moves data, each keeps less unacknowledged data in flight, so that a bulk
 * transfer does not hold up the small messages of the others. A pump alone
 * in its group, or without one, goes at full speed.
 */
void
burrow_channel_pump_set_group (BurrowChannelPump      *self,
                               BurrowChannelPumpGroup *group)
{
  g_return_if_fail (BURROW_IS_CHANNEL_PUMP (self));

  if (self->group != NULL && self->group->last_active == self)
    self->group->last_active = NULL;
  self->group = group;
}

/**
 * burrow_channel_pump_service:
 *
 * Lets the pump act on what its session took in: window adjustments, data
 * the socket could not take at once, EOF and close. Call it for every pump
 * of a session after each dispatch of that session, outside any libssh
 * callback.
 */
void
burrow_channel_pump_service (BurrowChannelPump *self)
{
  g_return_if_fail (BURROW_IS_CHANNEL_PUMP (self));

  pump_run (self, 0);
}

/**
 * burrow_channel_pump_close:
 *
 * Stops at once: frees the channel (which tells the server) and closes the
 * socket. For a connection that must end while its session lives on.
 */
void
burrow_channel_pump_close (BurrowChannelPump *self)
{
  g_return_if_fail (BURROW_IS_CHANNEL_PUMP (self));

  finish (self);
}

/**
 * burrow_channel_pump_needs_service:
 *
 * Returns: whether burrow_channel_pump_service() has anything to do: the
 * pump waits for window, for the session to send its output, or has an
 * EOF or close to act on. Pumps that only wait for their socket do not.
 */
gboolean
burrow_channel_pump_needs_service (BurrowChannelPump *self)
{
  g_return_val_if_fail (BURROW_IS_CHANNEL_PUMP (self), FALSE);

  return self->needs_service && !self->finished;
}

gboolean
burrow_channel_pump_is_finished (BurrowChannelPump *self)
{
  g_return_val_if_fail (BURROW_IS_CHANNEL_PUMP (self), TRUE);

  return self->finished;
}

guint64
burrow_channel_pump_get_bytes_up (BurrowChannelPump *self)
{
  g_return_val_if_fail (BURROW_IS_CHANNEL_PUMP (self), 0);

  return self->bytes_up;
}

guint64
burrow_channel_pump_get_bytes_down (BurrowChannelPump *self)
{
  g_return_val_if_fail (BURROW_IS_CHANNEL_PUMP (self), 0);

  return self->bytes_down;
}

/**
 * burrow_channel_pump_get_buffered:
 *
 * Returns: the bytes Burrow holds for this connection in memory: its own
 * leftovers plus what libssh keeps for the channel because the client did
 * not read it yet.
 */
gsize
burrow_channel_pump_get_buffered (BurrowChannelPump *self)
{
  gsize buffered;

  g_return_val_if_fail (BURROW_IS_CHANNEL_PUMP (self), 0);

  buffered = self->up_length + self->down_length;
  if (self->channel != NULL && self->libssh_holds_data)
    {
      int held = ssh_channel_poll (self->channel, 0);

      if (held > 0)
        buffered += held;
    }

  return buffered;
}

/**
 * burrow_channel_pump_group_for_session:
 *
 * Returns: (transfer none): the group of the pumps on @session, made on
 * first use and freed with the session. Tunnels to the same bastion
 * account share one session, so they share its bandwidth, and its group.
 */
BurrowChannelPumpGroup *
burrow_channel_pump_group_for_session (BurrowSshSession *session)
{
  static GQuark quark;
  BurrowChannelPumpGroup *group;

  g_return_val_if_fail (BURROW_IS_SSH_SESSION (session), NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("burrow-channel-pump-group");

  group = g_object_get_qdata (G_OBJECT (session), quark);
  if (group == NULL)
    {
      group = g_new0 (BurrowChannelPumpGroup, 1);
      g_object_set_qdata_full (G_OBJECT (session), quark, group, g_free);
    }

  return group;
}
