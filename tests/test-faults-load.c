/* test-faults-load.c — one tunnel under load, in `burrowctl up` as a user
 * runs it: many connections moving gigabytes both ways with half-closes
 * in both directions, and slow and stalled readers beside fast ones on
 * one session; not a byte lost, memory bounded, the fast ones as fast.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BURROW_TEST_LONG=1 (build-aux/dev test --long) makes this the soak:
 * 10 GiB instead of 1 GiB, and the readers run four times as long.
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-sshd.h"
#include "burrow-test-stream.h"
#include "burrow-test-up.h"

#define MIB ((guint64)1024 * 1024)
#define GIB (1024 * MIB)

static BurrowTestKeyring *keyring;

/* The connections have all ended inside the tunnel too: it holds no more
 * descriptors than before they came. */
static void
assert_fds_return (BurrowTestUp *up,
                   guint         baseline)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint now;

  while ((now = burrow_test_process_count_fds (burrow_test_up_get_pid (up))) > baseline &&
         g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);

  g_test_message ("descriptors: %u before, %u after", baseline, now);
  if (now > baseline)
    {
      g_autofree char *command = g_strdup_printf ("ls -l /proc/%d/fd", (int)burrow_test_up_get_pid (up));
      g_autofree char *listing = NULL;

      g_spawn_command_line_sync (command, &listing, NULL, NULL, NULL);
      g_test_message ("%s", listing != NULL ? listing : "");
    }
  g_assert_cmpuint (now, <=, baseline);
}

/* One small connection first, and the descriptors counted once the
 * tunnel holds no more than it settles at: what the first connection sets
 * up once (the SSH session, watches made when first needed) is then in
 * the baseline, and only what the load leaves behind counts. */
static guint
warm_up (BurrowTestStreamServer *server,
         BurrowTestUp           *up)
{
  const BurrowTestStreamSize one = { 1, 1 };
  g_autoptr(GError) error = NULL;

  burrow_test_stream_run (server, burrow_test_up_get_port (up), &one, 1, &error);
  g_assert_no_error (error);

  return burrow_test_process_count_fds (burrow_test_up_get_pid (up));
}

/* The session stayed up all along. */
static void
assert_never_dropped (BurrowTestUp *up)
{
  g_autofree char *output = burrow_test_up_get_output (up);

  g_assert_null (strstr (output, "connection lost"));
  g_assert_null (strstr (output, "reconnecting"));
}

/* 64 connections at once through one tunnel, each moving its bytes both
 * ways at the same time and half-closing its side when done: half of them
 * send more than they receive (the server's side closes first), half the
 * other way round, one sends nothing, one receives nothing. Each direction
 * of each connection is checked by SHA-256 at both ends, and the tunnel's
 * memory is sampled throughout. */
static void
test_many_connections (void)
{
  const guint n = 64;
  guint64 total = burrow_test_soak () ? 10 * GIB : GIB;
  guint64 each = total / (2 * n);
  g_autoptr(BurrowTestSshd) sshd = burrow_test_up_start_sshd ();
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowTestUp) up = NULL;
  g_autofree BurrowTestStreamSize *sizes = g_new0 (BurrowTestStreamSize, n);
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  BurrowTestRssSampler *sampler;
  guint64 moved = 0;
  gsize rss_before, rss_most, rss_first_half, rss_second_half, rss_after;
  guint fds_before;
  gint64 start;
  double seconds;
  GPid pid;

  for (guint i = 0; i < n; i++)
    {
      /* Sizes that are no multiple of anything the tunnel uses. */
      guint64 more = each + each / 2 + i * 4099;
      guint64 less = each / 2 + i * 7;

      sizes[i].up = i % 2 == 0 ? more : less;
      sizes[i].down = i % 2 == 0 ? less : more;
    }
  sizes[0].up = 0;
  sizes[1].down = 0;
  for (guint i = 0; i < n; i++)
    moved += sizes[i].up + sizes[i].down;

  burrow_test_up_add_connection ("Load", sshd, burrow_test_stream_server_get_port (server), NULL);
  up = burrow_test_up_new ("Load", NULL, &error);
  g_assert_no_error (error);
  pid = burrow_test_up_get_pid (up);
  fds_before = warm_up (server, up);
  rss_before = burrow_test_process_get_rss (pid);

  sampler = burrow_test_rss_sampler_new (pid, 50);
  start = g_get_monotonic_time ();
  burrow_test_stream_run (server, burrow_test_up_get_port (up), sizes, n, &error);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  samples = burrow_test_rss_sampler_stop (sampler);
  g_assert_no_error (error);
  g_assert_cmpuint (burrow_test_stream_server_get_accepted (server), ==, n + 1);

  rss_most = burrow_test_rss_max (samples, 0, samples->len);
  rss_first_half = burrow_test_rss_max (samples, 0, samples->len / 2);
  rss_second_half = burrow_test_rss_max (samples, samples->len / 2, samples->len);
  rss_after = burrow_test_process_get_rss (pid);
  g_test_message ("%" G_GUINT64_FORMAT " MiB through %u connections in %.1f s: %.2f Gbit/s",
                  moved / MIB, n, seconds, moved * 8 / seconds / 1e9);
  g_test_message ("tunnel resident memory: %.1f MiB before, at most %.1f MiB in %u samples "
                  "(first half %.1f, second half %.1f), %.1f MiB after; kernel's peak %.1f MiB",
                  rss_before / (double)MIB, rss_most / (double)MIB, samples->len,
                  rss_first_half / (double)MIB, rss_second_half / (double)MIB,
                  rss_after / (double)MIB, burrow_test_process_get_peak_rss (pid) / (double)MIB);

  /* Bounded by the channels' windows, not by what went through: the same
   * bound for 1 GiB and for 10 GiB, and no growth as the bytes go on. */
  g_assert_cmpuint (samples->len, >=, 10);
  g_assert_true (burrow_test_memory_is_bounded (rss_most, rss_before + 64 * MIB, "the most under load"));
  g_assert_true (burrow_test_memory_is_bounded (rss_second_half, rss_first_half + 16 * MIB,
                                                "the most in the second half"));

  assert_fds_return (up, fds_before);
  assert_never_dropped (up);
  g_assert_cmpint (burrow_test_up_stop (up, SIGTERM), ==, 0);
}

/* ------------------------------------------------------------------ */

typedef enum
{
  READER_FAST,
  READER_SLOW,
  READER_STALLED,
} ReaderKind;

typedef struct
{
  ReaderKind kind;
  gsize      rate;        /* bytes a second, for a slow one */
  int        fd;
  gint64     start;       /* when it connected */
  gsize      received;    /* atomic */
} Reader;

typedef struct
{
  Reader  *readers;
  guint    n_readers;
  gint     stop;          /* atomic */
  GThread *thread;
} Readers;

/* One thread reads for all of them: the fast ones as fast as they can,
 * the slow ones no faster than their rate, the stalled ones never. */
static gpointer
readers_thread (gpointer data)
{
  Readers *readers = data;
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, readers->n_readers);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);

  while (!g_atomic_int_get (&readers->stop))
    {
      gint64 now = g_get_monotonic_time ();

      for (guint i = 0; i < readers->n_readers; i++)
        {
          Reader *reader = &readers->readers[i];
          gint64 allowed = (now - reader->start) * (gint64)reader->rate / G_USEC_PER_SEC - (gint64)reader->received;

          fds[i].fd = reader->kind == READER_FAST || (reader->kind == READER_SLOW && allowed > 0) ? reader->fd : -1;
          fds[i].events = POLLIN;
          fds[i].revents = 0;
        }

      if (poll (fds, readers->n_readers, 10) <= 0)
        continue;

      for (guint i = 0; i < readers->n_readers; i++)
        {
          Reader *reader = &readers->readers[i];
          gint64 want = 64 * 1024;
          ssize_t n;

          if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
          if (reader->kind == READER_SLOW)
            want = MIN (want, (now - reader->start) * (gint64)reader->rate / G_USEC_PER_SEC - (gint64)reader->received);
          n = recv (reader->fd, buffer, MAX (want, 1), MSG_DONTWAIT);
          if (n > 0)
            g_atomic_pointer_add (&reader->received, n);
          else if (n == 0 || errno != EAGAIN)
            g_error ("reader %u: the stream ended after %" G_GSIZE_FORMAT " bytes", i, reader->received);
        }
    }

  return NULL;
}

static gsize
received (Reader *reader)
{
  return (gsize)g_atomic_pointer_get (&reader->received);
}

static void
connect_readers (Reader  *readers,
                 guint    n_readers,
                 guint16  port)
{
  for (guint i = 0; i < n_readers; i++)
    {
      g_autoptr(GError) error = NULL;

      /* Far more than any run takes. */
      readers[i].fd = burrow_test_stream_open (port, 1024 * GIB, &error);
      g_assert_no_error (error);
      readers[i].start = g_get_monotonic_time ();
      readers[i].received = 0;
    }
}

/* Reads with @readers for @seconds; returns what the fast ones took, and
 * raises @rss_most to the most the tunnel held meanwhile. */
static guint64
read_for (Reader *readers,
          guint   n_readers,
          guint   seconds,
          GPid    pid,
          gsize  *rss_most)
{
  Readers running = { readers, n_readers, FALSE, NULL };
  double cpu = burrow_test_process_get_cpu_time (pid);
  guint64 before = 0, after = 0;
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (guint i = 0; i < n_readers; i++)
    if (readers[i].kind == READER_FAST)
      before += received (&readers[i]);

  running.thread = g_thread_new ("readers", readers_thread, &running);
  while (g_get_monotonic_time () < end)
    {
      g_usleep (50 * 1000);
      *rss_most = MAX (*rss_most, burrow_test_process_get_rss (pid));
    }
  g_atomic_int_set (&running.stop, TRUE);
  g_thread_join (running.thread);

  for (guint i = 0; i < n_readers; i++)
    if (readers[i].kind == READER_FAST)
      after += received (&readers[i]);
  g_test_message ("%u readers: the fast ones took %.1f MB/s; the tunnel used %.2f s of CPU",
                  n_readers, (after - before) / (seconds * 1e6), burrow_test_process_get_cpu_time (pid) - cpu);

  return after - before;
}

/* Two fast readers on one session, in turns alone and beside four slow
 * ones and four that never read: the tunnel holds a bounded amount for
 * each of those (about its channel window), and the fast ones go on at
 * their speed. */
static void
test_slow_and_stalled_readers (void)
{
  const guint rounds = 3;
  guint seconds = burrow_test_soak () ? 10 : 2;
  g_autoptr(BurrowTestSshd) sshd = burrow_test_up_start_sshd ();
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowTestUp) up = NULL;
  g_autoptr(GError) error = NULL;
  Reader all[] = {
    { READER_FAST }, { READER_FAST },
    { READER_SLOW, 2 * MIB }, { READER_SLOW, 512 * 1024 }, { READER_SLOW, 128 * 1024 }, { READER_SLOW, 16 * 1024 },
    { READER_STALLED }, { READER_STALLED }, { READER_STALLED }, { READER_STALLED },
  };
  const guint n_fast = 2;
  guint64 alone = 0, beside = 0;
  gsize rss_idle, rss_alone = 0, rss_beside = 0;
  double ratio;
  guint fds_before;
  guint16 port;
  GPid pid;

  burrow_test_up_add_connection ("Readers", sshd, burrow_test_stream_server_get_port (server), NULL);
  up = burrow_test_up_new ("Readers", NULL, &error);
  g_assert_no_error (error);
  pid = burrow_test_up_get_pid (up);
  port = burrow_test_up_get_port (up);
  fds_before = warm_up (server, up);
  rss_idle = burrow_test_process_get_rss (pid);

  connect_readers (all, n_fast, port);
  for (guint round = 0; round < rounds; round++)
    {
      /* Turns, so that the machine's load, which changes from second to
       * second, weighs on both measures alike. */
      alone += read_for (all, n_fast, seconds, pid, &rss_alone);

      connect_readers (all + n_fast, G_N_ELEMENTS (all) - n_fast, port);
      beside += read_for (all, G_N_ELEMENTS (all), seconds, pid, &rss_beside);

      for (guint i = n_fast; i < G_N_ELEMENTS (all); i++)
        {
          g_test_message ("round %u: reader %u (%s) took %" G_GSIZE_FORMAT " bytes", round, i,
                          all[i].kind == READER_SLOW ? "slow" : "stalled", received (&all[i]));
          if (all[i].kind == READER_SLOW)
            g_assert_cmpuint (received (&all[i]), >, 0);
          else
            g_assert_cmpuint (received (&all[i]), ==, 0);
          close (all[i].fd);
        }
    }

  ratio = (double)beside / alone;
  g_test_message ("fast readers: %.1f MB/s alone, %.1f MB/s beside slow and stalled ones: %.2f of their speed",
                  alone / (rounds * seconds * 1e6), beside / (rounds * seconds * 1e6), ratio);
  g_test_message ("tunnel resident memory: %.1f MiB idle, at most %.1f MiB with the fast readers alone, "
                  "%.1f MiB with everyone", rss_idle / (double)MIB, rss_alone / (double)MIB, rss_beside / (double)MIB);

  /* What the tunnel holds for a reader that does not keep up is about two
   * channel windows (in libssh, and taken out of it for the client): a
   * few MiB for each of the eight, whatever the server would send. */
  g_assert_true (burrow_test_memory_is_bounded (rss_alone, rss_idle + 32 * MIB, "with the fast readers alone"));
  g_assert_true (burrow_test_memory_is_bounded (rss_beside, rss_idle + 8 * 4 * MIB + 32 * MIB, "with everyone"));
  /* The fast ones are not held to the pace of the slow ones (that would
   * leave them a hundredth of their speed, or less): a generous bound,
   * as the load of a shared machine moves their speed more than the
   * tunnel does. */
  g_assert_cmpfloat (ratio, >=, 0.3);

  for (guint i = 0; i < n_fast; i++)
    close (all[i].fd);
  assert_fds_return (up, fds_before);
  assert_never_dropped (up);
  g_assert_cmpint (burrow_test_up_stop (up, SIGTERM), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/faults-load/many-connections", test_many_connections);
  g_test_add_func ("/burrow/faults-load/slow-and-stalled-readers", test_slow_and_stalled_readers);

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
