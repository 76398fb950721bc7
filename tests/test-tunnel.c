/* test-tunnel.c — tunnels through a real sshd to a real echo server: bytes
 * intact, half-close, back-pressure, loopback only, reconnect, rekeys, jump
 * hosts and a bastion that forbids forwarding.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes. */
#define HANG_GUARD_SECONDS 30
#define MIB (1024 * 1024)

static gboolean
on_hang_guard (gpointer user_data)
{
  gboolean *hung = user_data;

  *hung = TRUE;
  return G_SOURCE_REMOVE;
}

/* Options as keyword, value pairs, then NULL. */
static BurrowTestSshd *
start_sshd (const char *first_option,
            ...)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(GError) error = NULL;
  const char *option = first_option;
  va_list args;

  va_start (args, first_option);
  while (option != NULL)
    {
      burrow_test_sshd_set_option (sshd, option, va_arg (args, const char *));
      option = va_arg (args, const char *);
    }
  va_end (args);

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);

  return sshd;
}

/* A connection to @sshd's account with its client key, the way a saved
 * one is: the chain comes from the profile. */
static BurrowProfile *
sshd_profile (BurrowTestSshd *sshd,
              guint16         target_port)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, "Tunnel test");
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, target_port);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));

  return profile;
}

static BurrowSshChain *
profile_chain (BurrowProfile *profile)
{
  g_autoptr(BurrowCredentials) credentials = burrow_credentials_new (profile);
  g_autoptr(GError) error = NULL;
  BurrowSshChain *chain;

  chain = burrow_credentials_build_chain (credentials, &error);
  g_assert_no_error (error);

  return chain;
}

static BurrowSshChain *
new_chain (BurrowTestSshd *sshd)
{
  g_autoptr(BurrowProfile) profile = sshd_profile (sshd, 1);

  return profile_chain (profile);
}

static BurrowTunnel *
new_tunnel (BurrowTestSshd *sshd,
            guint16         target_port)
{
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);

  return burrow_tunnel_new (chain, "127.0.0.1", target_port, 0);
}

static void
wait_for_state (BurrowTunnel      *tunnel,
                BurrowTunnelState  state)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);

  while (burrow_tunnel_get_state (tunnel) != state && !hung)
    {
      if (state != BURROW_TUNNEL_FAILED && burrow_tunnel_get_state (tunnel) == BURROW_TUNNEL_FAILED)
        g_error ("the tunnel failed: %s", burrow_tunnel_get_error (tunnel)->message);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (hung);
  g_source_remove (guard);
}

static BurrowTunnel *
start_tunnel (BurrowTestSshd *sshd,
              guint16         target_port)
{
  BurrowTunnel *tunnel = new_tunnel (sshd, target_port);
  g_autoptr(GError) error = NULL;

  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (burrow_tunnel_get_bound_port (tunnel), !=, 0);
  wait_for_state (tunnel, BURROW_TUNNEL_UP);

  return tunnel;
}

/* Clients run in a thread of their own, while this thread's main loop runs
 * the tunnel. */
typedef struct
{
  guint16  port;
  guint    n_connections;
  gsize    bytes_each;
  GError  *error;
  gboolean done;
  GThread *thread;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *client = data;

  burrow_test_echo_exchange (client->port, client->n_connections, client->bytes_each, &client->error);
  g_atomic_int_set (&client->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static Client *
client_start (guint16 port,
              guint   n_connections,
              gsize   bytes_each)
{
  Client *client = g_new0 (Client, 1);

  client->port = port;
  client->n_connections = n_connections;
  client->bytes_each = bytes_each;
  client->thread = g_thread_new ("client", client_thread, client);

  return client;
}

static GError *
client_wait (Client *client)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  GError *error;

  while (!g_atomic_int_get (&client->done) && !hung)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (hung);
  g_source_remove (guard);
  g_thread_join (client->thread);
  error = client->error;
  g_free (client);

  return error;
}

static void
exchange (guint16 port,
          guint   n_connections,
          gsize   bytes_each)
{
  g_autoptr(GError) error = client_wait (client_start (port, n_connections, bytes_each));

  g_assert_no_error (error);
}

static void
test_integrity (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));

  /* 64 MiB through 16 connections at once, each half-closed by the client
   * when it has sent everything and still receiving the rest. */
  exchange (burrow_tunnel_get_bound_port (tunnel), 16, 4 * MIB);

  g_assert_cmpuint (burrow_tunnel_get_total_connections (tunnel), ==, 16);
  g_assert_cmpuint (burrow_tunnel_get_bytes_sent (tunnel), ==, 64 * MIB);
  g_assert_cmpuint (burrow_tunnel_get_bytes_received (tunnel), ==, 64 * MIB);
  g_assert_cmpuint (burrow_test_echo_get_accepted (echo), ==, 16);

  burrow_tunnel_stop (tunnel);
  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_STOPPED);
}

typedef struct
{
  guint16  port;
  gboolean stop;
  gboolean done;
  guint    round_trips;
  GError  *error;
  GThread *thread;
  gboolean hung;
  guint    guard;
} Pinger;

/* 64-byte round trips, each checked, until told to stop. */
static gpointer
pinger_thread (gpointer data)
{
  Pinger *pinger = data;
  int fd = burrow_test_connect_loopback (pinger->port, &pinger->error);

  if (fd < 0)
    return NULL;

  while (!g_atomic_int_get (&pinger->stop))
    {
      char out[64], in[64];
      gsize got = 0;

      memset (out, 'a' + g_atomic_int_get (&pinger->round_trips) % 26, sizeof out);
      if (send (fd, out, sizeof out, MSG_NOSIGNAL) != sizeof out)
        break;
      while (got < sizeof in)
        {
          ssize_t n = recv (fd, in + got, sizeof in - got, 0);

          if (n <= 0)
            break;
          got += n;
        }
      if (got < sizeof in || memcmp (in, out, sizeof in) != 0)
        break;
      g_atomic_int_inc (&pinger->round_trips);
      g_main_context_wakeup (NULL);
    }

  if (!g_atomic_int_get (&pinger->stop))
    g_set_error (&pinger->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "round trip %u came back wrong or not at all", pinger->round_trips);
  close (fd);
  g_atomic_int_set (&pinger->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static void
pinger_start (Pinger  *pinger,
              guint16  port)
{
  pinger->port = port;
  pinger->guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &pinger->hung);
  pinger->thread = g_thread_new ("pinger", pinger_thread, pinger);
}

/* Runs the loop until @round_trips were made in all. */
static void
pinger_wait (Pinger *pinger,
             guint   round_trips)
{
  while ((guint)g_atomic_int_get (&pinger->round_trips) < round_trips &&
         !g_atomic_int_get (&pinger->done) && !pinger->hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pinger->hung);
}

static void
pinger_finish (Pinger *pinger)
{
  g_atomic_int_set (&pinger->stop, TRUE);
  while (!g_atomic_int_get (&pinger->done) && !pinger->hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pinger->hung);
  g_source_remove (pinger->guard);
  g_thread_join (pinger->thread);
  g_assert_no_error (pinger->error);
}

/* A bulk transfer beside a connection that keeps making small round trips:
 * the tunnel then holds the bulk channel to a small share of the SSH
 * connection (at most a little unacknowledged data, its downstream passed
 * on from the main loop), which must neither starve it nor lose a byte,
 * and must let the round trips through all along. */
static void
test_bulk_beside_round_trips (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  guint16 port = burrow_tunnel_get_bound_port (tunnel);
  Pinger pinger = { 0 };
  g_autoptr(GError) error = NULL;
  guint during, before;

  pinger_start (&pinger, port);
  pinger_wait (&pinger, 1);

  during = g_atomic_int_get (&pinger.round_trips);
  error = client_wait (client_start (port, 1, 32 * MIB));
  g_assert_no_error (error);

  /* The round trips went on during the transfer (not starved behind it),
   * and still do after it. */
  before = g_atomic_int_get (&pinger.round_trips);
  g_assert_cmpuint (before, >, during);
  pinger_wait (&pinger, before + 10);
  pinger_finish (&pinger);

  g_assert_cmpuint (burrow_tunnel_get_bytes_sent (tunnel), ==, 32 * MIB + 64 * (guint64)pinger.round_trips);
  burrow_tunnel_stop (tunnel);
}

/* Small round trips through a tunnel on a loop with Burrow's poll: the
 * pumps report what they pass on, and which way, so the loop waits awake
 * for the answers (test-poll has the rest). */
static void
test_round_trips_wait_awake (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  Pinger pinger = { 0 };
  BurrowPollStats before, after;

  burrow_poll_install (NULL);
  tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  burrow_poll_get_stats (&before);

  pinger_start (&pinger, burrow_tunnel_get_bound_port (tunnel));
  pinger_wait (&pinger, 200);
  pinger_finish (&pinger);

  burrow_poll_get_stats (&after);
  g_assert_cmpuint (after.waits, >, before.waits);
  g_assert_cmpuint (after.awake, >, before.awake);

  burrow_tunnel_stop (tunnel);
  g_main_context_set_poll_func (NULL, NULL);
}

typedef struct
{
  guint16  port;
  gsize    greet_size;
  gsize    send_size;
  char    *sent_sha256;
  GError  *error;
} GreetClient;

/* Reads the server's whole greeting up to its EOF, and only then sends:
 * the server's half-close must leave the other direction open. */
static gpointer
greet_client_thread (gpointer data)
{
  GreetClient *client = data;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  g_autofree guint8 *expected = g_malloc (64 * 1024);
  guint64 received = 0, sent = 0;
  int fd;

  fd = burrow_test_connect_loopback (client->port, &client->error);
  if (fd < 0)
    return NULL;

  for (;;)
    {
      ssize_t n = recv (fd, buffer, 64 * 1024, 0);

      if (n < 0)
        {
          g_set_error (&client->error, G_IO_ERROR, g_io_error_from_errno (errno), "recv: %s", g_strerror (errno));
          goto out;
        }
      if (n == 0)
        break;
      burrow_test_pattern_fill (expected, n, received, BURROW_TEST_ECHO_GREET_SEED);
      if (memcmp (buffer, expected, n) != 0)
        {
          g_set_error (&client->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "wrong greeting at %" G_GUINT64_FORMAT, received);
          goto out;
        }
      received += n;
    }

  if (received != client->greet_size)
    {
      g_set_error (&client->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "greeting cut at %" G_GUINT64_FORMAT " bytes", received);
      goto out;
    }

  while (sent < client->send_size)
    {
      gsize chunk = MIN (64 * 1024, client->send_size - sent);
      ssize_t n;

      burrow_test_pattern_fill (buffer, chunk, sent, 7);
      n = send (fd, buffer, chunk, MSG_NOSIGNAL);
      if (n <= 0)
        {
          g_set_error (&client->error, G_IO_ERROR, g_io_error_from_errno (errno), "send: %s", g_strerror (errno));
          goto out;
        }
      g_checksum_update (checksum, buffer, n);
      sent += n;
    }
  shutdown (fd, SHUT_WR);
  client->sent_sha256 = g_strdup (g_checksum_get_string (checksum));

out:
  close (fd);
  return NULL;
}

static void
test_half_close_server (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_GREET, 3 * MIB + 17);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  GreetClient client = { 0 };
  g_autofree char *received_sha256 = NULL;
  guint64 received = 0;

  client.port = burrow_tunnel_get_bound_port (tunnel);
  client.greet_size = 3 * MIB + 17;
  client.send_size = 5 * MIB + 3;
  burrow_test_run_thread (greet_client_thread, &client);
  g_assert_no_error (client.error);

  g_assert_true (burrow_test_echo_pop_received (echo, HANG_GUARD_SECONDS * 1000, &received, &received_sha256));
  g_assert_cmpuint (received, ==, client.send_size);
  g_assert_cmpstr (received_sha256, ==, client.sent_sha256);
  g_free (client.sent_sha256);
}

static void
test_half_close_client (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));

  /* Many small connections: the client's EOF often arrives while most of
   * the echo is still on its way back. */
  for (guint i = 0; i < 20; i++)
    exchange (burrow_tunnel_get_bound_port (tunnel), 4, 256 * 1024 + i);
}

static gpointer
reset_mid_transfer (gpointer data)
{
  guint16 port = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc0 (1024 * 1024);
  struct linger linger = { 1, 0 };
  int fd = burrow_test_connect_loopback (port, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (send (fd, buffer, 1024 * 1024, MSG_NOSIGNAL), >, 0);
  g_assert_cmpint (recv (fd, buffer, 1024, 0), >, 0);

  /* Close with unread data and a zero linger: the tunnel gets a reset. */
  setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  close (fd);

  return NULL;
}

/* A client that resets its connection mid-transfer ends that connection
 * only: the session and the other connections go on. */
static void
test_client_reset (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  guint16 port = burrow_tunnel_get_bound_port (tunnel);
  gboolean hung = FALSE;
  Client *client;
  guint guard;

  client = client_start (port, 2, 16 * MIB);
  for (guint i = 0; i < 3; i++)
    burrow_test_run_thread (reset_mid_transfer, GUINT_TO_POINTER (port));
  g_assert_no_error (client_wait (client));

  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (burrow_tunnel_get_active_connections (tunnel) > 0 && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);

  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_UP);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);
  exchange (port, 2, MIB);
}

typedef struct
{
  guint16  port;
  gsize    total;
  guint64  written_when_stalled;
  gint     stage;            /* 1: stalled, waiting; 2: go on */
  GMutex   mutex;
  GCond    cond;
  GError  *error;
} SlowReader;

static gpointer
slow_reader_thread (gpointer data)
{
  SlowReader *reader = data;
  g_autofree guint8 *out = g_malloc (64 * 1024);
  g_autofree guint8 *in = g_malloc (64 * 1024);
  g_autofree guint8 *expected = g_malloc (64 * 1024);
  guint64 sent = 0, received = 0;
  gboolean shut = FALSE;
  int fd;

  fd = burrow_test_connect_loopback (reader->port, &reader->error);
  if (fd < 0)
    return NULL;

  /* Write without reading until nothing moves any more. */
  while (sent < reader->total)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLOUT };
      gsize chunk = MIN (64 * 1024, reader->total - sent);
      ssize_t n;

      if (poll (&pfd, 1, 2000) == 0)
        break;
      burrow_test_pattern_fill (out, chunk, sent, 99);
      n = send (fd, out, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0)
        sent += n;
    }

  g_mutex_lock (&reader->mutex);
  reader->written_when_stalled = sent;
  reader->stage = 1;
  g_main_context_wakeup (NULL);
  while (reader->stage != 2)
    g_cond_wait (&reader->cond, &reader->mutex);
  g_mutex_unlock (&reader->mutex);

  /* Now read it all back, and send the rest. */
  while (TRUE)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN | (shut ? 0 : POLLOUT) };
      ssize_t n;

      if (poll (&pfd, 1, 60000) == 0)
        {
          g_set_error (&reader->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "stalled after the slow read");
          break;
        }
      if (pfd.revents & POLLOUT)
        {
          gsize chunk = MIN (64 * 1024, reader->total - sent);

          burrow_test_pattern_fill (out, chunk, sent, 99);
          n = send (fd, out, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
          if (n > 0)
            sent += n;
          if (sent == reader->total)
            {
              shutdown (fd, SHUT_WR);
              shut = TRUE;
            }
        }
      if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = recv (fd, in, 64 * 1024, MSG_DONTWAIT);
          if (n == 0)
            break;
          if (n < 0)
            continue;
          burrow_test_pattern_fill (expected, n, received, 99);
          if (memcmp (in, expected, n) != 0)
            {
              g_set_error (&reader->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "wrong bytes at %" G_GUINT64_FORMAT, received);
              break;
            }
          received += n;
        }
    }

  if (reader->error == NULL && received != reader->total)
    g_set_error (&reader->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                 "%" G_GUINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes came back", received, reader->total);

  close (fd);
  g_atomic_int_set (&reader->stage, 3);
  g_main_context_wakeup (NULL);

  return NULL;
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);

  return resident * sysconf (_SC_PAGESIZE);
}

static void
test_back_pressure (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  SlowReader reader = { 0 };
  GThread *thread;
  gsize rss_before = resident_bytes ();
  gsize buffered = 0, rss_stalled = 0;
  gboolean hung = FALSE;
  guint guard;

  reader.port = burrow_tunnel_get_bound_port (tunnel);
  reader.total = 256 * MIB;
  g_mutex_init (&reader.mutex);
  g_cond_init (&reader.cond);
  thread = g_thread_new ("slow-reader", slow_reader_thread, &reader);

  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS * 2, on_hang_guard, &hung);
  while (g_atomic_int_get (&reader.stage) != 3 && !hung)
    {
      g_main_context_iteration (NULL, TRUE);

      g_mutex_lock (&reader.mutex);
      if (reader.stage == 1)
        {
          buffered = burrow_tunnel_get_buffered (tunnel);
          rss_stalled = resident_bytes ();
          reader.stage = 2;
          g_cond_signal (&reader.cond);
        }
      g_mutex_unlock (&reader.mutex);
    }
  g_assert_false (hung);
  g_source_remove (guard);
  g_thread_join (thread);
  g_assert_no_error (reader.error);

  g_test_message ("stalled after %" G_GUINT64_FORMAT " bytes; Burrow held %" G_GSIZE_FORMAT
                  " bytes; resident memory grew by %" G_GSSIZE_FORMAT " bytes",
                  reader.written_when_stalled, buffered, (gssize)(rss_stalled - rss_before));

  /* The writer was stopped: the tunnel did not swallow everything. */
  g_assert_cmpuint (reader.written_when_stalled, <, reader.total / 2);
  /* What Burrow holds for a reader that does not read is bounded by the
   * channel window, not by what the server sends. */
  g_assert_cmpuint (buffered, <=, 4 * MIB);
  g_assert_cmpint ((gssize)(rss_stalled - rss_before), <, 32 * MIB);

  g_mutex_clear (&reader.mutex);
  g_cond_clear (&reader.cond);
}

/* A reader that takes at most @rate bytes a second (0: as fast as it can)
 * until told to stop. */
typedef struct
{
  guint16  port;
  gsize    rate;
  gint     stop;
  guint64  received;
  GError  *error;
  GThread *thread;
} RateReader;

static gpointer
rate_reader_thread (gpointer data)
{
  RateReader *reader = data;
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gint64 start = g_get_monotonic_time ();
  int fd = burrow_test_connect_loopback (reader->port, &reader->error);

  if (fd < 0)
    return NULL;

  while (!g_atomic_int_get (&reader->stop))
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gsize chunk = 64 * 1024;
      ssize_t n;

      if (reader->rate > 0)
        {
          gint64 allowed = (g_get_monotonic_time () - start) * (gint64)reader->rate / G_USEC_PER_SEC;

          if ((gint64)reader->received >= allowed)
            {
              g_usleep (10 * 1000);
              continue;
            }
          chunk = MIN (chunk, (gsize)(allowed - reader->received));
        }

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = recv (fd, buffer, chunk, MSG_DONTWAIT);
      if (n == 0)
        break;
      if (n > 0)
        reader->received += n;
    }

  close (fd);
  return NULL;
}

/* Connections that share one SSH session, their clients reading at
 * different slow rates beside a fast one: what the tunnel holds for each
 * (in libssh and in its own buffers) stays within a few MiB, however long
 * they read. libssh 0.10 re-opens the whole channel window on every read,
 * whatever it already holds, so reading a little at a time from a channel
 * that holds a lot let the server send without end. */
static void
test_slow_readers_bounded (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) greeter = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_GREET, (gsize)8192 * MIB);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (greeter));
  RateReader readers[] = {
    { .rate = 40 * MIB },
    { .rate = 3 * MIB / 2 },
    { .rate = 3 * MIB },
  };
  gsize most = 0;
  gint64 end;

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      readers[i].port = burrow_tunnel_get_bound_port (tunnel);
      readers[i].thread = g_thread_new ("rate-reader", rate_reader_thread, &readers[i]);
    }

  end = g_get_monotonic_time () + 6 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      gboolean tick = FALSE;

      g_timeout_add (50, on_hang_guard, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
      most = MAX (most, burrow_tunnel_get_buffered (tunnel));
    }

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_atomic_int_set (&readers[i].stop, TRUE);
      g_thread_join (readers[i].thread);
      g_assert_no_error (readers[i].error);
      g_test_message ("reader %u took %" G_GUINT64_FORMAT " bytes", i, readers[i].received);
      g_assert_cmpuint (readers[i].received, >, 0);
    }
  g_test_message ("the tunnel held at most %" G_GSIZE_FORMAT " bytes", most);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);
  g_assert_cmpuint (most, <=, G_N_ELEMENTS (readers) * 4 * MIB);
  burrow_tunnel_stop (tunnel);
}

static char *
find_non_loopback_address (void)
{
  struct ifaddrs *addresses = NULL, *a;
  char *found = NULL;

  if (getifaddrs (&addresses) < 0)
    return NULL;

  for (a = addresses; a != NULL && found == NULL; a = a->ifa_next)
    {
      struct sockaddr_in *in;

      if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_INET)
        continue;
      in = (struct sockaddr_in *)a->ifa_addr;
      if ((ntohl (in->sin_addr.s_addr) >> 24) == 127)
        continue;
      found = g_strdup (inet_ntoa (in->sin_addr));
    }

  freeifaddrs (addresses);
  return found;
}

/* Every listening socket on @port, as "ADDRESS" in /proc/net/tcp{,6} hex. */
static GPtrArray *
list_listeners (guint16 port)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (files[f], &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) words = g_ptr_array_new ();
          char *colon;

          for (guint w = 0; fields[w] != NULL; w++)
            if (fields[w][0] != '\0')
              g_ptr_array_add (words, fields[w]);
          if (words->len < 4 || !g_str_equal (g_ptr_array_index (words, 3), "0A"))
            continue;
          colon = strchr (g_ptr_array_index (words, 1), ':');
          if (colon == NULL || g_ascii_strtoull (colon + 1, NULL, 16) != port)
            continue;
          g_ptr_array_add (found, g_strndup (g_ptr_array_index (words, 1), colon - (char *)g_ptr_array_index (words, 1)));
        }
    }

  return found;
}

static void
test_loopback_only (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  guint16 port = burrow_tunnel_get_bound_port (tunnel);
  g_autoptr(GPtrArray) listeners = list_listeners (port);
  g_autofree char *outside = find_non_loopback_address ();

  g_assert_cmpuint (listeners->len, >=, 1);
  for (guint i = 0; i < listeners->len; i++)
    {
      const char *address = g_ptr_array_index (listeners, i);

      /* 127.0.0.1 or ::1, as the kernel prints them. */
      g_assert_true (g_str_equal (address, "0100007F")
                     || g_str_equal (address, "00000000000000000000000001000000"));
    }

  if (outside != NULL)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;

      connection = g_socket_client_connect_to_host (client, outside, port, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
    }
  else
    g_test_message ("no address other than loopback here: only /proc/net/tcp was checked");

  /* And the tunnel does serve on loopback. */
  exchange (port, 1, 1000);
}

static void
on_tunnel_state (BurrowTunnel *tunnel,
                 GParamSpec   *pspec,
                 gpointer      user_data)
{
  GArray *states = user_data;
  BurrowTunnelState state = burrow_tunnel_get_state (tunnel);

  (void)pspec;
  g_array_append_val (states, state);
}

static void
test_reconnect (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (BurrowTunnelState));
  g_autoptr(GError) error = NULL;
  guint16 port = burrow_tunnel_get_bound_port (tunnel);
  gboolean hung = FALSE;
  gboolean seen_reconnecting = FALSE;
  Client *client;
  guint guard;

  g_signal_connect (tunnel, "notify::state", G_CALLBACK (on_tunnel_state), states);

  /* A transfer far too big to end by itself before the bastion dies. */
  client = client_start (port, 1, (gsize)4096 * MIB);
  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (burrow_tunnel_get_bytes_received (tunnel) < 8 * MIB && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);

  /* The bastion dies and stays down for a while. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >=, 1);
  burrow_test_sshd_stop (sshd);

  /* The running connection is closed, not left hanging. */
  error = client_wait (client);
  g_assert_nonnull (error);
  g_clear_error (&error);
  wait_for_state (tunnel, BURROW_TUNNEL_RECONNECTING);
  g_assert_cmpuint (burrow_tunnel_get_bound_port (tunnel), ==, port);

  /* A connection made meanwhile waits for the session to come back, and
   * is then served. */
  client = client_start (port, 1, MIB);
  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (burrow_tunnel_get_active_connections (tunnel) < 1 && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  error = client_wait (client);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_UP);
  for (guint i = 0; i < states->len; i++)
    seen_reconnecting |= g_array_index (states, BurrowTunnelState, i) == BURROW_TUNNEL_RECONNECTING;
  g_assert_true (seen_reconnecting);
  g_assert_cmpuint (burrow_tunnel_get_attempt (tunnel), ==, 0);

  /* Same port, new session, new connections served. */
  g_assert_cmpuint (burrow_tunnel_get_bound_port (tunnel), ==, port);
  exchange (port, 4, MIB);
}

/* What a network change or a resume from sleep does: skip the backoff. */
static void
test_retry_now (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  BurrowSshChain *chain = burrow_tunnel_get_chain (tunnel);
  g_autoptr(GError) error = NULL;
  gboolean hung = FALSE;
  guint guard;

  burrow_test_sshd_stop (sshd);

  /* Wait until an attempt failed and the next one is scheduled later. */
  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (!(burrow_tunnel_get_attempt (tunnel) >= 2 && burrow_tunnel_get_next_try (tunnel) > g_get_real_time ())
         && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_RECONNECTING);
  g_assert_nonnull (burrow_tunnel_get_error (tunnel));

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_ssh_chain_retry_now (chain);
  g_assert_cmpint (burrow_ssh_chain_get_next_try (chain), <=, g_get_real_time ());
  wait_for_state (tunnel, BURROW_TUNNEL_UP);
  g_assert_null (burrow_tunnel_get_error (tunnel));
  exchange (burrow_tunnel_get_bound_port (tunnel), 1, MIB);
}

static void
on_chain_up_set_rekey (BurrowSshChain *chain,
                       GParamSpec     *pspec,
                       gpointer        user_data)
{
  BurrowSshSession *session = burrow_ssh_chain_get_session (chain);
  guint64 limit = 1 * MIB;

  (void)pspec;
  (void)user_data;

  /* libssh applies the limit from the next key exchange on, which the
   * server's own RekeyLimit starts. */
  if (session != NULL)
    g_assert_cmpint (ssh_options_set (burrow_ssh_session_get_handle (session), SSH_OPTIONS_REKEY_DATA, &limit), ==, SSH_OK);
}

static void
test_rekey (void)
{
  /* Key exchanges show in the log from DEBUG1 on. */
  g_autoptr(BurrowTestSshd) sshd = start_sshd ("RekeyLimit", "1M", "LogLevel", "DEBUG1", NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  g_signal_connect (chain, "notify::state", G_CALLBACK (on_chain_up_set_rekey), NULL);
  tunnel = burrow_tunnel_new (chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  wait_for_state (tunnel, BURROW_TUNNEL_UP);

  exchange (burrow_tunnel_get_bound_port (tunnel), 4, 8 * MIB);
  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_UP);

  /* The server logs each key exchange (LogLevel DEBUG1): there were many
   * while the bytes flowed, the first one aside. */
  log = burrow_test_sshd_get_log (sshd);
  {
    guint rekeys = 0;

    for (const char *p = log; (p = strstr (p, "SSH2_MSG_NEWKEYS received")) != NULL; p++)
      rekeys++;
    g_test_message ("%u key exchanges", rekeys);
    g_assert_cmpuint (rekeys, >=, 10);
  }
}

static void
test_jump_chain (void)
{
  g_autoptr(BurrowTestSshd) jump = start_sshd (NULL);
  g_autoptr(BurrowTestSshd) bastion = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) profile = sshd_profile (bastion, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowSshChain) chain = NULL;
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autofree char *jump_key = burrow_test_sshd_get_client_public_key (jump);
  g_autofree char *jump_host = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (jump),
                                                burrow_test_sshd_get_port (jump));
  const char *jumps[] = { jump_host, NULL };
  g_autoptr(GError) error = NULL;

  /* One key for both hops. */
  burrow_test_sshd_add_authorized_key (bastion, jump_key);
  burrow_profile_set_jump_hosts (profile, jumps);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (jump));
  chain = profile_chain (profile);
  tunnel = burrow_tunnel_new (chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  wait_for_state (tunnel, BURROW_TUNNEL_UP);
  g_assert_cmpuint (burrow_ssh_chain_get_n_hops (burrow_tunnel_get_chain (tunnel)), ==, 2);

  exchange (burrow_tunnel_get_bound_port (tunnel), 4, 4 * MIB);

  /* The jump host carries the session: without it, nothing goes through. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (jump, 0), ==, 1);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (bastion, 0), ==, 1);
  burrow_test_sshd_signal_sessions (jump, SIGKILL);
  wait_for_state (tunnel, BURROW_TUNNEL_RECONNECTING);
  wait_for_state (tunnel, BURROW_TUNNEL_UP);
  exchange (burrow_tunnel_get_bound_port (tunnel), 2, MIB);
}

static void
on_connection_failed (BurrowTunnel *tunnel,
                      const GError *error,
                      gpointer      user_data)
{
  GError **out = user_data;

  (void)tunnel;
  if (*out == NULL)
    *out = g_error_copy (error);
}

static gpointer
read_until_closed (gpointer data)
{
  guint16 port = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  char byte;
  int fd = burrow_test_connect_loopback (port, &error);

  g_assert_no_error (error);
  send (fd, "hello", 5, MSG_NOSIGNAL);
  g_assert_cmpint (recv (fd, &byte, 1, 0), <=, 0);
  close (fd);

  return NULL;
}

static void
test_forwarding_prohibited (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ("AllowTcpForwarding", "no", NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  g_autoptr(GError) failure = NULL;

  g_signal_connect (tunnel, "connection-failed", G_CALLBACK (on_connection_failed), &failure);
  burrow_test_run_thread (read_until_closed, GUINT_TO_POINTER (burrow_tunnel_get_bound_port (tunnel)));
  wait_for_state (tunnel, BURROW_TUNNEL_FAILED);

  g_assert_error (failure, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED);
  g_assert_error ((GError *)burrow_tunnel_get_error (tunnel), BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED);
  g_assert_nonnull (burrow_error_get_hint (burrow_tunnel_get_error (tunnel)));
  g_assert_cmpuint (burrow_test_echo_get_accepted (echo), ==, 0);
}

/* A client that connects while the bastion is silently dead (frozen: the
 * TCP connection stays up, nothing answers) waits for the reconnect and is
 * served by the next session, instead of being reset when the dead one is
 * found out. */
static void
test_wait_through_frozen_bastion (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  Client *client;

  burrow_ssh_chain_set_keepalive (chain, 1, 2);
  tunnel = burrow_tunnel_new (chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  g_signal_connect (tunnel, "connection-failed", G_CALLBACK (on_connection_failed), &failure);
  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  wait_for_state (tunnel, BURROW_TUNNEL_UP);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), ==, 1);
  client = client_start (burrow_tunnel_get_bound_port (tunnel), 2, 64 * 1024);
  error = client_wait (client);
  g_assert_no_error (error);
  g_assert_no_error (failure);

  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_UP);
  g_assert_cmpuint (burrow_test_echo_get_accepted (echo), ==, 2);
}

/* A connection made while the bastion stays down is closed after the wait
 * timeout, with an error that says why. */
static void
test_wait_timeout (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, burrow_test_echo_get_port (echo));
  g_autoptr(GError) failure = NULL;

  g_object_set (tunnel, "wait-timeout", 1, NULL);
  g_signal_connect (tunnel, "connection-failed", G_CALLBACK (on_connection_failed), &failure);
  burrow_test_sshd_stop (sshd);
  wait_for_state (tunnel, BURROW_TUNNEL_RECONNECTING);

  burrow_test_run_thread (read_until_closed, GUINT_TO_POINTER (burrow_tunnel_get_bound_port (tunnel)));
  g_assert_error (failure, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (burrow_tunnel_get_active_connections (tunnel), ==, 0);
  g_assert_cmpuint (burrow_tunnel_get_total_connections (tunnel), ==, 1);
  g_assert_cmpint (burrow_tunnel_get_state (tunnel), ==, BURROW_TUNNEL_RECONNECTING);
}

typedef struct
{
  BurrowTestSshd *sshd;
  guint16         target_port;
  GError         *error;
  gboolean        up;
} ThreadRun;

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A whole tunnel on the thread-default context of another thread: nothing
 * of it may land on the global default context, which nobody runs here. */
static gpointer
tunnel_thread (gpointer data)
{
  ThreadRun *run = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(BurrowTunnel) tunnel = NULL;
  GSource *tick = g_timeout_source_new (50);
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_SECONDS * G_USEC_PER_SEC;
  Client *client;

  g_main_context_push_thread_default (context);
  g_source_set_callback (tick, on_tick, NULL, NULL);
  g_source_attach (tick, context);

  tunnel = new_tunnel (run->sshd, run->target_port);
  if (!burrow_tunnel_start (tunnel, &run->error))
    goto out;

  while (burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_UP && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  run->up = burrow_tunnel_get_state (tunnel) == BURROW_TUNNEL_UP;
  if (!run->up)
    goto out;

  client = client_start (burrow_tunnel_get_bound_port (tunnel), 4, MIB);
  while (!g_atomic_int_get (&client->done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_thread_join (client->thread);
  run->error = client->error;
  g_free (client);

  burrow_tunnel_stop (tunnel);

out:
  g_clear_object (&tunnel);
  /* Let the idles of the closing sessions run. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (context, FALSE);
  g_source_destroy (tick);
  g_source_unref (tick);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
test_thread_default_context (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  ThreadRun run = { sshd, burrow_test_echo_get_port (echo), NULL, FALSE };

  g_thread_join (g_thread_new ("tunnel", tunnel_thread, &run));
  g_assert_no_error (run.error);
  g_assert_true (run.up);
}

static void
test_unknown_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autofree char *empty = g_build_filename (g_get_user_config_dir (), "empty_known_hosts", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (empty, "", 0, NULL);
  {
    g_autoptr(BurrowSshChain) chain = new_chain (sshd);

    burrow_ssh_chain_set_known_hosts_file (chain, empty);
    tunnel = burrow_tunnel_new (chain, "127.0.0.1", 9, 0);
  }
  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  wait_for_state (tunnel, BURROW_TUNNEL_FAILED);
  g_assert_error ((GError *)burrow_tunnel_get_error (tunnel), BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
  g_assert_cmpuint (burrow_tunnel_get_bound_port (tunnel), ==, 0);
}

/* A keepalive interval of 0 in the profile turns keepalives off, as the
 * form's hint says; none set keeps the profile's default. */
static void
test_keepalive_off (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  guint intervals[] = { 0, 7, BURROW_PROFILE_DEFAULT_KEEPALIVE };

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      g_autoptr(BurrowProfile) profile = sshd_profile (sshd, burrow_test_echo_get_port (echo));
      g_autoptr(BurrowSshChain) chain = NULL;
      g_autoptr(BurrowTunnel) tunnel = NULL;
      g_autoptr(GError) error = NULL;
      BurrowSshSession *session;

      if (intervals[i] != BURROW_PROFILE_DEFAULT_KEEPALIVE)
        burrow_profile_set_keepalive_interval (profile, intervals[i]);
      chain = profile_chain (profile);
      tunnel = burrow_tunnel_new (chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
      burrow_tunnel_start (tunnel, &error);
      g_assert_no_error (error);
      wait_for_state (tunnel, BURROW_TUNNEL_UP);

      session = burrow_ssh_chain_get_session (chain);
      g_assert_nonnull (session);
      g_assert_cmpuint (burrow_ssh_session_get_keepalive_interval (session), ==, intervals[i]);
      exchange (burrow_tunnel_get_bound_port (tunnel), 1, 1024);
      burrow_tunnel_stop (tunnel);
    }
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

/* Stopping a tunnel tells the bastion to free its channels, even while
 * another tunnel on the same session keeps libssh's output busy: otherwise
 * sshd keeps each channel, and the database connection behind it, open. */
static void
test_stop_frees_channels_on_server (void)
{
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTestSshd) sshd = start_sshd ("LogLevel", "DEBUG1", NULL);
  g_autoptr(BurrowTunnelManager) manager = burrow_tunnel_manager_new ();
  g_autoptr(BurrowSshChain) busy_chain = new_chain (sshd);
  g_autoptr(BurrowSshChain) quiet_chain = new_chain (sshd);
  BurrowTunnel *busy;
  BurrowTunnel *quiet;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  Client *client;
  int fds[4];
  gboolean hung = FALSE;
  guint guard;

  busy = burrow_tunnel_manager_add (manager, busy_chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  quiet = burrow_tunnel_manager_add (manager, quiet_chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 1);
  burrow_tunnel_start (busy, &error);
  g_assert_no_error (error);
  burrow_tunnel_start (quiet, &error);
  g_assert_no_error (error);
  wait_for_state (busy, BURROW_TUNNEL_UP);
  wait_for_state (quiet, BURROW_TUNNEL_UP);

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = burrow_test_connect_loopback (burrow_tunnel_get_bound_port (quiet), &error);
      g_assert_no_error (error);
    }

  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (burrow_tunnel_get_active_connections (quiet) < G_N_ELEMENTS (fds) && !hung)
    g_main_context_iteration (NULL, TRUE);

  /* The quiet tunnel stops while the busy one keeps libssh's output full. */
  client = client_start (burrow_tunnel_get_bound_port (busy), 4, 64 * 1024 * 1024);
  while (burrow_tunnel_get_bytes_sent (busy) < 32 * 1024 * 1024 && !hung)
    g_main_context_iteration (NULL, TRUE);
  burrow_tunnel_stop (quiet);

  g_assert_no_error (client_wait (client));
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);

  /* Four quiet channels and four busy ones, each freed by sshd. */
  while (!hung)
    {
      g_clear_pointer (&log, g_free);
      log = burrow_test_sshd_get_log (sshd);
      if (count_in (log, "free: direct-tcpip") >= 8)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_source_remove (guard);

  g_assert_cmpuint (count_in (log, "free: direct-tcpip"), ==, 8);
  burrow_tunnel_stop (busy);
}

/* A fixed port whose ::1 side another program holds is refused, rather
 * than served on 127.0.0.1 alone: a client trying ::1 first would hand its
 * password to that program. */
static void
test_ipv6_side_taken (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GError) error = NULL;
  struct sockaddr_in6 address = { 0 };
  socklen_t length = sizeof address;
  int holder;

  holder = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (holder < 0)
    {
      g_test_skip ("No IPv6 on this machine");
      return;
    }

  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  if (bind (holder, (struct sockaddr *)&address, sizeof address) != 0 || listen (holder, 1) != 0)
    {
      close (holder);
      g_test_skip ("::1 is not available on this machine");
      return;
    }
  g_assert_cmpint (getsockname (holder, (struct sockaddr *)&address, &length), ==, 0);

  {
    g_autoptr(BurrowSshChain) chain = new_chain (sshd);

    tunnel = burrow_tunnel_new (chain, "127.0.0.1", 1, ntohs (address.sin6_port));
  }
  g_assert_false (burrow_tunnel_start (tunnel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, "::1"));

  close (holder);
}

static GPollFunc default_poll;
static guint n_polls;

static int
counting_poll (GPollFD *fds,
               guint    n_fds,
               int      timeout)
{
  n_polls++;
  return default_poll (fds, n_fds, timeout);
}

/* Out of file descriptors, a connection waiting in the backlog keeps the
 * listener readable: the tunnel must pause rather than spin the loop. */
static void
test_out_of_descriptors (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BurrowTestSshd) sshd = start_sshd (NULL);
      g_autoptr(BurrowTunnel) tunnel = start_tunnel (sshd, 1);
      g_autoptr(GError) error = NULL;
      struct rlimit limit;
      gboolean done = FALSE;
      int client;
      int spare;

      client = burrow_test_connect_loopback (burrow_tunnel_get_bound_port (tunnel), &error);
      g_assert_no_error (error);

      /* Use up every descriptor left, so that accept() fails. */
      getrlimit (RLIMIT_NOFILE, &limit);
      limit.rlim_cur = 64;
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      while ((spare = dup (0)) >= 0)
        ;

      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, counting_poll);
      g_timeout_add_seconds (1, on_hang_guard, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_main_context_set_poll_func (NULL, default_poll);

      /* A few re-arms a second; a spinning loop polls hundreds of
       * thousands of times. */
      g_test_message ("%u polls in 1 s", n_polls);
      g_assert_cmpuint (n_polls, <, 2000);
      close (client);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/tunnel/integrity", test_integrity);
  g_test_add_func ("/burrow/tunnel/bulk-beside-round-trips", test_bulk_beside_round_trips);
  g_test_add_func ("/burrow/tunnel/round-trips-wait-awake", test_round_trips_wait_awake);
  g_test_add_func ("/burrow/tunnel/half-close-client", test_half_close_client);
  g_test_add_func ("/burrow/tunnel/half-close-server", test_half_close_server);
  g_test_add_func ("/burrow/tunnel/back-pressure", test_back_pressure);
  g_test_add_func ("/burrow/tunnel/slow-readers-bounded", test_slow_readers_bounded);
  g_test_add_func ("/burrow/tunnel/client-reset", test_client_reset);
  g_test_add_func ("/burrow/tunnel/loopback-only", test_loopback_only);
  g_test_add_func ("/burrow/tunnel/reconnect", test_reconnect);
  g_test_add_func ("/burrow/tunnel/retry-now", test_retry_now);
  g_test_add_func ("/burrow/tunnel/rekey", test_rekey);
  g_test_add_func ("/burrow/tunnel/jump-chain", test_jump_chain);
  g_test_add_func ("/burrow/tunnel/forwarding-prohibited", test_forwarding_prohibited);
  g_test_add_func ("/burrow/tunnel/wait-timeout", test_wait_timeout);
  g_test_add_func ("/burrow/tunnel/wait-through-frozen-bastion", test_wait_through_frozen_bastion);
  g_test_add_func ("/burrow/tunnel/thread-default-context", test_thread_default_context);
  g_test_add_func ("/burrow/tunnel/unknown-host-key", test_unknown_host_key);
  g_test_add_func ("/burrow/tunnel/keepalive-off", test_keepalive_off);
  g_test_add_func ("/burrow/tunnel/stop-frees-channels-on-server", test_stop_frees_channels_on_server);
  g_test_add_func ("/burrow/tunnel/ipv6-side-taken", test_ipv6_side_taken);
  g_test_add_func ("/burrow/tunnel/out-of-descriptors", test_out_of_descriptors);

  return g_test_run ();
}
