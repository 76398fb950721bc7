/* burrow-bench-echo.h — the 64-byte round trip and the bulk echo the
 * benchmarks time, so that each means the same in every row of the table.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "burrow-test-echo.h"

#define BURROW_BENCH_MESSAGE 64

/* Seconds on the monotonic clock. */
static inline double
burrow_bench_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static inline int
burrow_bench_connect (guint16 port)
{
  g_autoptr(GError) error = NULL;
  int fd = burrow_test_connect_loopback (port, &error);

  if (fd < 0)
    g_error ("%s", error->message);

  return fd;
}

/* One message to an echo server and its echo back, checked. */
static inline gboolean
burrow_bench_ping (int fd)
{
  char out[BURROW_BENCH_MESSAGE], in[BURROW_BENCH_MESSAGE];
  gsize got = 0;

  memset (out, 'p', sizeof out);
  if (send (fd, out, sizeof out, MSG_NOSIGNAL) != sizeof out)
    return FALSE;

  while (got < sizeof in)
    {
      ssize_t n = recv (fd, in + got, sizeof in - got, 0);

      if (n <= 0)
        return FALSE;
      got += n;
    }

  return memcmp (in, out, sizeof in) == 0;
}

/* @count round trips on one new connection to @port, after 200 that warm
 * it up, in microseconds; stops early when *@stop (nullable) is set. */
static inline GArray *
burrow_bench_ping_pong (guint16         port,
                        guint           count,
                        const gboolean *stop)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  int fd = burrow_bench_connect (port);

  for (guint i = 0; i < 200; i++)
    if (!burrow_bench_ping (fd))
      g_error ("ping failed");

  for (guint i = 0; i < count && (stop == NULL || !g_atomic_int_get (stop)); i++)
    {
      double start = burrow_bench_now (), sample;

      if (!burrow_bench_ping (fd))
        g_error ("ping failed");
      sample = (burrow_bench_now () - start) * 1e6;
      g_array_append_val (samples, sample);
    }

  close (fd);

  return samples;
}

typedef struct
{
  guint16  port;
  gsize    bytes;
  gboolean ok;
  char    *message;   /* why it failed */
} BurrowBenchTransfer;

/* A thread that echoes transfer->bytes through transfer->port on one
 * connection and checks every byte (burrow_test_run_thread runs it). */
static inline gpointer
burrow_bench_transfer_thread (gpointer data)
{
  BurrowBenchTransfer *transfer = data;
  g_autoptr(GError) error = NULL;

  transfer->ok = burrow_test_echo_exchange (transfer->port, 1, transfer->bytes, &error);
  if (!transfer->ok)
    transfer->message = g_strdup (error->message);

  return NULL;
}
