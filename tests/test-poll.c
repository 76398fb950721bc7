/* test-poll.c — the main-loop poll that stays awake briefly after small
 * traffic, and sleeps at once otherwise.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs on a context of its own, in a thread of its own, so that
 * the counts (kept per thread) start at zero. What is checked is what the
 * poll decided, never how long anything took.
 */

#include "config.h"

#include <glib-unix.h>
#include <unistd.h>

#include "burrow-core.h"

typedef struct
{
  GMainContext *context;
  int           pipe_fds[2];
  gboolean      readable;
  gboolean      timed_out;
} Loop;

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Loop *loop = user_data;
  char byte;

  (void)condition;
  g_assert_cmpint (read (fd, &byte, 1), ==, 1);
  loop->readable = TRUE;

  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Loop *loop = user_data;

  loop->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
loop_init (Loop     *loop,
           gboolean  install)
{
  GSource *source;

  loop->context = g_main_context_new ();
  g_main_context_push_thread_default (loop->context);
  if (install)
    burrow_poll_install (loop->context);

  g_assert_true (g_unix_open_pipe (loop->pipe_fds, FD_CLOEXEC, NULL));
  source = g_unix_fd_source_new (loop->pipe_fds[0], G_IO_IN);
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable), loop, NULL);
  g_source_attach (source, loop->context);
  g_source_unref (source);
}

static void
loop_clear (Loop *loop)
{
  g_main_context_pop_thread_default (loop->context);
  g_main_context_unref (loop->context);
  close (loop->pipe_fds[0]);
  close (loop->pipe_fds[1]);
}

/* One wait of the loop after @traffic bytes were passed on (in an
 * exchange of messages when @turn), ended by the pipe when @ready, else by
 * a timer of 5 ms (and then the only time the loop has a timeout at all). */
static void
wait_once (Loop     *loop,
           gsize     traffic,
           gboolean  turn,
           gboolean  ready)
{
  loop->readable = FALSE;
  loop->timed_out = FALSE;
  if (!ready)
    {
      GSource *source = g_timeout_source_new (5);

      g_source_set_callback (source, on_timeout, loop, NULL);
      g_source_attach (source, loop->context);
      g_source_unref (source);
    }

  /* What is ready already (GLib wakes its own context up when a source is
   * added) is dispatched without a wait. */
  while (g_main_context_iteration (loop->context, FALSE))
    ;

  if (traffic > 0)
    burrow_poll_note_traffic (traffic, turn);
  if (ready)
    g_assert_cmpint (write (loop->pipe_fds[1], "x", 1), ==, 1);

  while (!loop->readable && !loop->timed_out)
    g_main_context_iteration (loop->context, TRUE);
  g_assert_true (ready ? loop->readable : loop->timed_out);
}

static void
run_in_thread (GThreadFunc func)
{
  g_thread_join (g_thread_new ("poll", func, NULL));
}

/* After a small message the wait begins awake, and what arrives then is
 * taken without the loop ever sleeping. */
static gpointer
awake_after_small_traffic (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;

  (void)data;
  loop_init (&loop, TRUE);

  wait_once (&loop, 64, TRUE, TRUE);

  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.waits, ==, 1);
  g_assert_cmpuint (stats.awake, ==, 1);
  g_assert_cmpuint (stats.answered_awake, ==, 1);

  loop_clear (&loop);

  return NULL;
}

static void
test_awake_after_small_traffic (void)
{
  run_in_thread (awake_after_small_traffic);
}

/* With nothing moved, or a transfer's worth, the loop sleeps at once: an
 * idle tunnel costs nothing, and a bulk transfer does not take the CPU
 * from the other end. */
static gpointer
sleeps_otherwise (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;

  (void)data;
  loop_init (&loop, TRUE);

  wait_once (&loop, 0, FALSE, TRUE);
  wait_once (&loop, 0, FALSE, FALSE);
  wait_once (&loop, 1024 * 1024, TRUE, TRUE);

  burrow_poll_get_stats (&stats);
  /* The two waits the pipe ends always happen; the timer's may not, on a
   * machine slow enough that it is due before the loop waits. */
  g_assert_cmpuint (stats.waits, >=, 2);
  g_assert_cmpuint (stats.awake, ==, 0);

  loop_clear (&loop);

  return NULL;
}

static void
test_sleeps_otherwise (void)
{
  run_in_thread (sleeps_otherwise);
}

/* A stream in one direction, even in small pieces, never makes it spin:
 * the next piece is not an answer to anything. */
static gpointer
stream_does_not_spin (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;

  (void)data;
  loop_init (&loop, TRUE);

  for (guint i = 0; i < 8; i++)
    wait_once (&loop, 1024, FALSE, TRUE);

  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.waits, >=, 8);
  g_assert_cmpuint (stats.awake, ==, 0);

  loop_clear (&loop);

  return NULL;
}

static void
test_stream_does_not_spin (void)
{
  run_in_thread (stream_does_not_spin);
}

/* Traffic counts once: the wait after the next one sleeps unless more
 * came. */
static gpointer
traffic_counts_once (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;

  (void)data;
  loop_init (&loop, TRUE);

  wait_once (&loop, 64, TRUE, TRUE);
  wait_once (&loop, 0, FALSE, TRUE);

  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.waits, >=, 2);
  g_assert_cmpuint (stats.awake, ==, 1);

  loop_clear (&loop);

  return NULL;
}

static void
test_traffic_counts_once (void)
{
  run_in_thread (traffic_counts_once);
}

/* Replies that keep coming later than the spin lasts (a bastion far away)
 * stop the spinning; quick ones bring it back. */
static gpointer
learns_from_slow_replies (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;
  guint64 awake_before;

  (void)data;
  loop_init (&loop, TRUE);

  /* Nothing answers within the 5 ms of the timer, four times over. */
  for (guint i = 0; i < 4; i++)
    {
      wait_once (&loop, 64, TRUE, FALSE);
    }
  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.awake, <, 4);
  g_assert_cmpuint (stats.answered_awake, ==, 0);

  /* The next small message waits asleep... */
  awake_before = stats.awake;
  wait_once (&loop, 64, TRUE, TRUE);
  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.awake, ==, awake_before);

  /* ...and answers that are already there when the loop waits teach it
   * that they come quickly: it spins again. */
  for (guint i = 0; i < 16; i++)
    {
      wait_once (&loop, 64, TRUE, TRUE);
    }
  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.awake, >, awake_before);

  loop_clear (&loop);

  return NULL;
}

static void
test_learns_from_slow_replies (void)
{
  run_in_thread (learns_from_slow_replies);
}

/* A context that did not install it keeps GLib's poll: nothing is
 * counted, whatever traffic is noted. */
static gpointer
only_where_installed (gpointer data)
{
  Loop loop;
  BurrowPollStats stats;

  (void)data;
  loop_init (&loop, FALSE);

  wait_once (&loop, 64, TRUE, TRUE);

  burrow_poll_get_stats (&stats);
  g_assert_cmpuint (stats.waits, ==, 0);

  loop_clear (&loop);

  return NULL;
}

static void
test_only_where_installed (void)
{
  run_in_thread (only_where_installed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/poll/awake-after-small-traffic", test_awake_after_small_traffic);
  g_test_add_func ("/poll/sleeps-otherwise", test_sleeps_otherwise);
  g_test_add_func ("/poll/stream-does-not-spin", test_stream_does_not_spin);
  g_test_add_func ("/poll/traffic-counts-once", test_traffic_counts_once);
  g_test_add_func ("/poll/learns-from-slow-replies", test_learns_from_slow_replies);
  g_test_add_func ("/poll/only-where-installed", test_only_where_installed);

  return g_test_run ();
}
