/* burrow-poll.c — a main-loop poll that stays awake briefly for a reply.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tunnel that has just passed on a small message (a query, a ping, the
 * answer to one) usually sees the next one within tens of microseconds
 * when the database is close by. A process asleep in poll() takes about as
 * long again to be running once that message arrives: the kernel must wake
 * an idle CPU, which on a virtual machine is a trip through the
 * hypervisor. Measured on loopback, that wake-up is half of a round trip
 * through the tunnel.
 *
 * So after an exchange of small messages, and only then, the loop first
 * polls without sleeping for a short while, and sleeps as usual if nothing
 * came. What it learns keeps the cost down:
 * - it spins only when a connection's traffic turned round since the loop
 *   last waited (a query after an answer, an answer after a query): a
 *   stream in one direction, even a slow one that comes in small pieces,
 *   never makes it spin;
 * - nor does bulk traffic (the loop seldom waits then, and spinning would
 *   take the CPU from the other end of the transfer), nor a loop that moved
 *   nothing since it last waited, so an idle tunnel sleeps at once and uses
 *   no CPU;
 * - it keeps a running estimate of how long such a wait turns out to be,
 *   sleeping or not, and does not spin while that estimate is beyond the
 *   limit: over a network with a millisecond of latency or more (most
 *   bastions), the loop behaves exactly as GLib's own.
 */

#include "config.h"

#include "burrow-poll.h"

/* How long the loop may stay awake waiting for the next message. */
#define SPIN_LIMIT_US 200
/* Traffic since the loop last waited above this is a transfer, not an
 * exchange of messages. */
#define SMALL_TRAFFIC (16 * 1024)
/* One long wait counts as at most this much in the estimate, so that a
 * pause between two bursts of queries does not stop the spinning for long. */
#define WAIT_SAMPLE_CAP_US (8 * SPIN_LIMIT_US)

typedef struct
{
  /* Bytes passed on since the loop last waited, and whether a connection
   * turned round meanwhile. */
  gsize    traffic;
  gboolean turned;
  /* How long the loop has waited after small traffic, smoothed; starts at
   * zero so that the first exchange already spins. */
  gint64 typical_wait_us;
  BurrowPollStats stats;
} PollState;

/* A context's poll function is called by whichever thread iterates it, and
 * that is the thread whose pumps note traffic. */
static __thread PollState poll_state;

static void
learn_wait (gint64 waited_us)
{
  waited_us = MIN (waited_us, WAIT_SAMPLE_CAP_US);
  poll_state.typical_wait_us += (waited_us - poll_state.typical_wait_us) / 4;
}

static gint
burrow_poll (GPollFD *fds,
             guint    nfds,
             gint     timeout)
{
  gsize traffic;
  gboolean turned;
  gint64 start, spun_ms;
  gint ready;

  /* A pass that does not wait (some source was ready) leaves the traffic
   * to the next one that does. */
  if (timeout == 0)
    return g_poll (fds, nfds, timeout);

  traffic = poll_state.traffic;
  turned = poll_state.turned;
  poll_state.traffic = 0;
  poll_state.turned = FALSE;
  poll_state.stats.waits++;
  if (!turned || traffic > SMALL_TRAFFIC)
    return g_poll (fds, nfds, timeout);

  start = g_get_monotonic_time ();
  if (poll_state.typical_wait_us <= SPIN_LIMIT_US)
    {
      gint64 deadline = start + SPIN_LIMIT_US;

      poll_state.stats.awake++;

      /* GLib's own wake-up (a source added or changed) ends the spin as
       * well; the loop then comes back with no traffic and sleeps. */
      do
        {
          ready = g_poll (fds, nfds, 0);
          /* EINTR and the like: GLib's loop knows what to do with them. */
          if (ready < 0)
            return ready;
          if (ready > 0)
            {
              poll_state.stats.answered_awake++;
              learn_wait (g_get_monotonic_time () - start);
              return ready;
            }
        }
      while (g_get_monotonic_time () < deadline);
    }

  spun_ms = (g_get_monotonic_time () - start) / 1000;
  ready = g_poll (fds, nfds, timeout < 0 ? -1 : (gint)MAX (0, timeout - spun_ms));
  learn_wait (ready > 0 ? g_get_monotonic_time () - start : WAIT_SAMPLE_CAP_US);

  return ready;
}

/**
 * burrow_poll_install:
 * @context: (nullable): the context the tunnels run on, %NULL for the
 *   global default one
 *
 * Makes @context wait with Burrow's poll, which stays awake for a moment
 * after small traffic noted with burrow_poll_note_traffic(). The program
 * that owns the loop decides: a library object does not change how a
 * context it did not make waits.
 */
void
burrow_poll_install (GMainContext *context)
{
  g_main_context_set_poll_func (context, burrow_poll);
}

/**
 * burrow_poll_note_traffic:
 * @bytes: how many bytes were just passed on
 * @turn: whether they go the other way from the connection's previous ones
 *
 * Called by whatever forwards data, on the thread that runs its loop. Does
 * nothing visible unless that loop uses Burrow's poll.
 */
void
burrow_poll_note_traffic (gsize    bytes,
                          gboolean turn)
{
  poll_state.traffic += bytes;
  poll_state.turned |= turn;
}

/**
 * burrow_poll_get_stats:
 * @stats: (out): filled with the counts of the calling thread
 */
void
burrow_poll_get_stats (BurrowPollStats *stats)
{
  *stats = poll_state.stats;
}
