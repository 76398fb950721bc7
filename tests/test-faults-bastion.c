/* test-faults-bastion.c — a bastion that dies, restarts or freezes, a
 * resume from sleep or a network change, and a database that closes or
 * resets its connections: the tunnel says what happens, comes back in
 * time, serves the clients that waited, and leaks nothing.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A dying and restarting bastion is run against `burrowctl up`, as a user
 * runs it, so that its descriptors and memory can be counted; the frozen
 * bastion, the hooks for sleep and network changes and the database's
 * faults go through the engine in this process, the way the window uses
 * it. BURROW_TEST_LONG=1 makes the restarts a soak of many more.
 */

#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-engine.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-test-stream.h"
#include "burrow-test-up.h"

#define MIB ((guint64)1024 * 1024)
/* Only a guard against hangs: the bounds that matter are asserted apart. */
#define HANG_GUARD_SECONDS 60
/* How soon a tunnel serves again once its bastion listens. */
#define BACK_WITHIN_SECONDS 3.0
/* What a busy machine may add to a timer's deadline. */
#define TIMER_SLACK_SECONDS 1.5

static BurrowTestKeyring *keyring;
/* Stands for the system bus, where the test plays logind. */
static GTestDBus *system_bus;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

#define LOOP_UNTIL(cond) BURROW_TEST_LOOP_UNTIL (cond, HANG_GUARD_SECONDS)

/* ------------------------------------------------------------------ */
/* A bastion killed mid-transfer and restarted, under burrowctl up     */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowTestStreamServer *server;
  guint16                 port;
  guint                   n_connections;
  guint64                 bytes;
  GError                 *error;
  gint64                  done_at;    /* monotonic µs, once done is set */
  gint                    done;       /* atomic */
  GThread                *thread;
} Streams;

static gpointer
streams_thread (gpointer data)
{
  Streams *streams = data;
  g_autofree BurrowTestStreamSize *sizes = g_new (BurrowTestStreamSize, streams->n_connections);

  for (guint i = 0; i < streams->n_connections; i++)
    sizes[i] = (BurrowTestStreamSize) { streams->bytes, streams->bytes };
  burrow_test_stream_run (streams->server, streams->port, sizes, streams->n_connections, &streams->error);
  streams->done_at = g_get_monotonic_time ();
  g_atomic_int_set (&streams->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static Streams *
streams_start (BurrowTestStreamServer *server,
               guint16                 port,
               guint                   n_connections,
               guint64                 bytes)
{
  Streams *streams = g_new0 (Streams, 1);

  streams->server = server;
  streams->port = port;
  streams->n_connections = n_connections;
  streams->bytes = bytes;
  streams->thread = g_thread_new ("streams", streams_thread, streams);

  return streams;
}

/* When the streams ended, 0 while they run. */
static gint64
streams_done_at (Streams *streams)
{
  return g_atomic_int_get (&streams->done) ? streams->done_at : 0;
}

/* Waits for the streams to end; returns their error, and when they
 * ended. */
static GError *
streams_finish (Streams *streams,
                gint64  *done_at)
{
  GError *error;

  g_thread_join (streams->thread);
  error = streams->error;
  if (done_at != NULL)
    *done_at = streams_done_at (streams);
  g_free (streams);

  return error;
}

static guint
wait_for_fds (GPid  pid,
              guint baseline)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint now;

  while ((now = burrow_test_process_count_fds (pid)) > baseline && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);

  return now;
}

/* Waits until burrowctl up says it will try again after @failed tries
 * failed: the bastion comes back just after one did, as far from the
 * next try as it can be. */
static void
wait_for_failed_tries (BurrowTestUp *up,
                       guint         failed)
{
  for (;;)
    {
      g_autofree char *line = burrow_test_up_wait_for_line (up, "reconnecting: attempt ", HANG_GUARD_SECONDS * 1000);

      g_assert_nonnull (line);
      if ((guint)atoi (line + strlen ("reconnecting: attempt ")) > failed)
        return;
    }
}

/* The bastion dies in the middle of transfers, stays down while the
 * tunnel tries again and again, and comes back on the same port just
 * after a try failed, as far from the next one as it can be. Each time: the
 * running connections end (their clients see it, no hang), burrowctl up
 * says it lost the session and is reconnecting, a client that connected
 * while the bastion was down and one that connects just after it listens
 * again are both served within BACK_WITHIN_SECONDS, and burrowctl up
 * holds the same descriptors as before and no more memory than after the
 * first time. */
static void
test_killed_and_restarted (void)
{
  /* Down until this many tries failed. Without a client waiting, five
   * take some 15 s and the next comes 16 s later; a waiting client is
   * let go after 30 s. */
  const guint short_failures[] = { 1, 3, 5 };
  const guint soak_failures[] = { 1, 2, 3, 5, 8, 1, 12, 4, 2, 5, 1, 8, 3, 15, 1 };
  const guint *failures = burrow_test_soak () ? soak_failures : short_failures;
  guint n_cycles = burrow_test_soak () ? G_N_ELEMENTS (soak_failures) : G_N_ELEMENTS (short_failures);
  g_autoptr(BurrowTestSshd) sshd = burrow_test_up_start_sshd ();
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowTestUp) up = NULL;
  g_autoptr(GError) error = NULL;
  gsize rss_first = 0;
  guint fds_before;
  guint16 port;
  GPid pid;

  burrow_test_up_add_connection ("Restarts", sshd, burrow_test_stream_server_get_port (server), NULL);
  up = burrow_test_up_new ("Restarts", NULL, &error);
  g_assert_no_error (error);
  pid = burrow_test_up_get_pid (up);
  port = burrow_test_up_get_port (up);

  /* One connection first, so that what the first one sets up once is in
   * the baseline. */
  error = streams_finish (streams_start (server, port, 1, 64 * 1024), NULL);
  g_assert_no_error (error);
  fds_before = wait_for_fds (pid, 0);

  for (guint cycle = 0; cycle < n_cycles; cycle++)
    {
      g_autofree char *lost = NULL;
      g_autofree char *back = NULL;
      Streams *transfers;
      Streams *waiting;
      Streams *fresh;
      gint64 killed, listening, waiting_done, fresh_done;
      gsize rss;
      guint fds;

      /* Transfers far too big to end by themselves before the kill. */
      transfers = streams_start (server, port, 4, 64 * 1024 * MIB);
      g_usleep (300 * 1000);
      g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);
      burrow_test_sshd_stop (sshd);
      killed = g_get_monotonic_time ();

      lost = burrow_test_up_wait_for_line (up, "connection lost", HANG_GUARD_SECONDS * 1000);
      g_assert_nonnull (lost);
      error = streams_finish (transfers, NULL);
      g_assert_nonnull (error);
      g_test_message ("cycle %u: %s; the running transfers ended with: %s", cycle, lost, error->message);
      g_clear_error (&error);

      /* A client that comes while the bastion is down waits. */
      waiting = streams_start (server, port, 1, 64 * 1024);
      wait_for_failed_tries (up, failures[cycle]);
      if (streams_done_at (waiting) != 0)
        g_error ("cycle %u: a client that connected while the bastion was down ended early: %s",
                 cycle, waiting->error != NULL ? waiting->error->message : "served");

      burrow_test_sshd_start (sshd, &error);
      g_assert_no_error (error);
      listening = g_get_monotonic_time ();
      fresh = streams_start (server, port, 1, 64 * 1024);

      error = streams_finish (waiting, &waiting_done);
      g_assert_no_error (error);
      error = streams_finish (fresh, &fresh_done);
      g_assert_no_error (error);
      back = burrow_test_up_wait_for_line (up, "up", HANG_GUARD_SECONDS * 1000);
      g_assert_nonnull (back);

      fds = wait_for_fds (pid, fds_before);
      rss = burrow_test_process_get_rss (pid);
      if (cycle == 0)
        rss_first = rss;
      g_test_message ("cycle %u: down %.1f s; once sshd listened, the waiting client was served in %.2f s, "
                      "a new one in %.2f s; %u descriptors (%u before), %.1f MiB resident",
                      cycle, (listening - killed) / (double)G_USEC_PER_SEC,
                      (waiting_done - listening) / (double)G_USEC_PER_SEC,
                      (fresh_done - listening) / (double)G_USEC_PER_SEC, fds, fds_before, rss / (double)MIB);

      g_assert_cmpfloat ((waiting_done - listening) / (double)G_USEC_PER_SEC, <=, BACK_WITHIN_SECONDS);
      g_assert_cmpfloat ((fresh_done - listening) / (double)G_USEC_PER_SEC, <=, BACK_WITHIN_SECONDS);
      g_assert_cmpuint (fds, ==, fds_before);
    }

  /* What every restart costs, if anything, adds up: a few MiB of noise
   * from the allocator at most. */
  g_assert_true (burrow_test_memory_is_bounded (burrow_test_process_get_rss (pid), rss_first + 8 * MIB,
                                                "after the last restart"));
  g_assert_cmpint (burrow_test_up_stop (up, SIGTERM), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Through the engine                                                  */
/* ------------------------------------------------------------------ */

/* Saves a connection to @target_port through @sshd, as the window does. */
static BurrowConnection *
add_connection (BurrowEngine   *engine,
                const char     *name,
                BurrowTestSshd *sshd,
                BurrowDbKind    kind,
                guint16         target_port,
                guint           keepalive_interval)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BurrowConnection *connection;

  burrow_profile_set_name (profile, name);
  burrow_profile_set_db_kind (profile, kind);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, target_port);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));
  burrow_profile_set_keepalive_interval (profile, keepalive_interval);
  burrow_profile_set_local_port_auto (profile, FALSE);
  burrow_profile_set_local_port (profile, burrow_test_get_free_port ());

  credentials = burrow_credentials_new (profile);
  burrow_engine_save_async (engine, credentials, NULL, burrow_test_on_done, &result);
  connection = burrow_engine_save_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);

  return connection;
}

static void
connect_up (BurrowEngine     *engine,
            BurrowConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  burrow_engine_connect_async (engine, connection, NULL, burrow_test_on_done, &result);
  burrow_engine_connect_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  LOOP_UNTIL (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);
}

static void
disconnect_all (BurrowEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  burrow_engine_disconnect_all_async (engine, NULL, burrow_test_on_done, &result);
  burrow_engine_disconnect_all_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
}

/* Runs the loop until the streams end; returns their error. */
static GError *
streams_wait (Streams *streams)
{
  LOOP_UNTIL (streams_done_at (streams) != 0);
  return streams_finish (streams, NULL);
}

/* The time at which the connection left UP, recorded as it happens. */
static void
on_state_left_up (BurrowConnection *connection,
                  GParamSpec       *pspec,
                  gpointer          user_data)
{
  gint64 *left_at = user_data;

  if (*left_at == 0 && burrow_connection_get_state (connection) != BURROW_TUNNEL_UP)
    *left_at = g_get_monotonic_time ();
}

/* Freezes the bastion's session right after it answered a keepalive, the
 * worst moment for finding it out: the answer shows it alive a moment
 * longer. Returns when it froze. */
static gint64
freeze_after_keepalive (BurrowTestSshd *sshd)
{
  const char *answered = "keepalive@openssh.com want_reply 1";
  g_autofree char *log = burrow_test_sshd_get_log (sshd);
  guint seen = 0;

  for (const char *p = log; (p = strstr (p, answered)) != NULL; p++)
    seen++;

  for (;;)
    {
      guint now = 0;

      g_clear_pointer (&log, g_free);
      log = burrow_test_sshd_get_log (sshd);
      for (const char *p = log; (p = strstr (p, answered)) != NULL; p++)
        now++;
      if (now > seen)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }

  /* The answer is on its way back: let it arrive. */
  g_usleep (50 * 1000);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), ==, 1);

  return g_get_monotonic_time ();
}

/* The bastion stops answering without closing anything (SIGSTOP on its
 * session: a crashed host, a dead network path). The keepalives find it
 * out within interval × misses, and a client that connects meanwhile is
 * served once the tunnel reconnected. */
static void
test_frozen (void)
{
  const guint interval = 3, misses = 3;
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Streams *waiting;
  gint64 frozen, left_up = 0;
  double detected;

  burrow_test_sshd_set_option (sshd, "LogLevel", "DEBUG1");
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, burrow_engine_get_known_hosts_file (engine));

  connection = add_connection (engine, "Frozen", sshd, BURROW_DB_KIND_OTHER,
                               burrow_test_stream_server_get_port (server), interval);
  connect_up (engine, connection);
  error = streams_wait (streams_start (server, burrow_connection_get_local_port (connection), 2, MIB));
  g_assert_no_error (error);

  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state_left_up), &left_up);
  frozen = freeze_after_keepalive (sshd);
  waiting = streams_start (server, burrow_connection_get_local_port (connection), 2, MIB);

  LOOP_UNTIL (left_up != 0);
  detected = (left_up - frozen) / (double)G_USEC_PER_SEC;
  g_test_message ("a bastion frozen right after a keepalive was found out in %.2f s "
                  "(keepalives every %u s, %u misses)", detected, interval, misses);
  g_assert_cmpint (burrow_connection_get_state (connection), ==, BURROW_TUNNEL_RECONNECTING);
  g_assert_error ((GError *)burrow_connection_get_error (connection), BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
  g_assert_cmpfloat (detected, <=, interval * misses + TIMER_SLACK_SECONDS);
  /* Not by chance, nor by something else than the keepalives. */
  g_assert_cmpfloat (detected, >=, interval * (misses - 1));

  error = streams_wait (waiting);
  g_assert_no_error (error);
  g_assert_cmpint (burrow_connection_get_state (connection), ==, BURROW_TUNNEL_UP);

  g_signal_handlers_disconnect_by_data (connection, &left_up);
  disconnect_all (engine);
}

static void
emit_resume (void)
{
  g_autoptr(GDBusConnection) logind = burrow_test_logind_new (system_bus);

  /* Going to sleep, then waking up: the path to the bastion is dead. */
  burrow_test_logind_emit_resume (logind);
  g_dbus_connection_close_sync (logind, NULL, NULL);
}

static void
emit_network_changed (void)
{
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
}

/* After a resume from sleep or a network change, the session to the
 * bastion is often dead without a word (here: frozen), and the keepalives
 * are slow to find it out (here every 60 s). The hook the app uses makes
 * every chain check at once: the tunnel reconnects within seconds, and a
 * client that connected meanwhile is served. */
static void
assert_hook_reconnects (const char  *name,
                        void       (*wake) (void))
{
  const double check_seconds = 3;
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Streams *waiting;
  gint64 woken, left_up = 0;
  double detected, served;

  connection = add_connection (engine, name, sshd, BURROW_DB_KIND_OTHER,
                               burrow_test_stream_server_get_port (server), 60);
  connect_up (engine, connection);

  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state_left_up), &left_up);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), ==, 1);
  waiting = streams_start (server, burrow_connection_get_local_port (connection), 1, MIB);

  woken = g_get_monotonic_time ();
  wake ();
  LOOP_UNTIL (left_up != 0);
  detected = (left_up - woken) / (double)G_USEC_PER_SEC;

  error = streams_wait (waiting);
  g_assert_no_error (error);
  served = seconds_since (woken);
  g_test_message ("the dead session was found out %.2f s after the hook, and the waiting client "
                  "served after %.2f s", detected, served);

  g_assert_cmpfloat (detected, <=, check_seconds + TIMER_SLACK_SECONDS);
  g_assert_cmpfloat (served, <=, check_seconds + BACK_WITHIN_SECONDS + TIMER_SLACK_SECONDS);
  g_assert_cmpint (burrow_connection_get_state (connection), ==, BURROW_TUNNEL_UP);

  g_signal_handlers_disconnect_by_data (connection, &left_up);
  disconnect_all (engine);
}

static void
test_resume_from_sleep (void)
{
  assert_hook_reconnects ("Resumed", emit_resume);
}

static void
test_network_change (void)
{
  assert_hook_reconnects ("Network changed", emit_network_changed);
}

/* ------------------------------------------------------------------ */
/* The database side closes or resets                                  */
/* ------------------------------------------------------------------ */

/* A server that, for each connection, sends a few bytes and then resets
 * it (a close with a zero linger), or resets it at once. */
typedef struct
{
  int      listen_fd;
  guint16  port;
  guint    n_resets;
  gboolean greet;
  GThread *thread;
} Resetter;

static gpointer
resetter_thread (gpointer data)
{
  Resetter *resetter = data;

  for (guint i = 0; i < resetter->n_resets; i++)
    {
      struct linger linger = { 1, 0 };
      int fd = accept (resetter->listen_fd, NULL, NULL);

      if (fd < 0)
        return NULL;
      if (resetter->greet)
        {
          char byte;

          /* Waits for a byte from the client, so that the reset comes
           * in the middle of an exchange. */
          g_assert_cmpint (recv (fd, &byte, 1, 0), ==, 1);
          g_assert_cmpint (send (fd, "partial", 7, MSG_NOSIGNAL), ==, 7);
          g_usleep (100 * 1000);
        }
      setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      close (fd);
    }

  return NULL;
}

static void
resetter_start (Resetter *resetter,
                guint     n_resets,
                gboolean  greet)
{
  resetter->listen_fd = burrow_test_listen_loopback (FALSE, &resetter->port);
  resetter->n_resets = n_resets;
  resetter->greet = greet;
  resetter->thread = g_thread_new ("resetter", resetter_thread, resetter);
}

typedef struct
{
  guint16  port;
  gboolean speak;
  GString *heard;
  double   seconds;   /* until the close was seen */
  GError  *error;
} Listener;

/* Connects, says one byte if asked to, and reads until the connection
 * closes, however it closes: the close must reach the client. */
static gpointer
listener_thread (gpointer data)
{
  Listener *listener = data;
  gint64 start = g_get_monotonic_time ();
  int fd = burrow_test_connect_loopback (listener->port, &listener->error);

  if (fd < 0)
    return NULL;
  if (listener->speak)
    send (fd, "?", 1, MSG_NOSIGNAL);

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char buffer[64];
      ssize_t n;

      if (poll (&pfd, 1, HANG_GUARD_SECONDS * 1000) == 0)
        {
          g_set_error (&listener->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "the close never reached the client");
          break;
        }
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      g_string_append_len (listener->heard, buffer, n);
    }

  listener->seconds = seconds_since (start);
  close (fd);

  return NULL;
}

static PGconn *
pg_connect (guint16 port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *keys[] = { "host", "port", "user", "password", "dbname", "connect_timeout", NULL };
  const char *values[] = { "127.0.0.1", port_text, BURROW_TEST_DB_USER, BURROW_TEST_DB_PASSWORD,
                           BURROW_TEST_DB_NAME, "20", NULL };
  PGconn *conn = PQconnectdbParams (keys, values, 0);

  g_assert_cmpstr (PQerrorMessage (conn), ==, "");
  return conn;
}

static char *
pg_value (PGconn     *conn,
          const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  char *value;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);

  return value;
}

typedef struct
{
  guint16  port;
  guint16  direct_port;
  char    *failure;
  gboolean again;
} Terminated;

/* A client through the tunnel whose server process PostgreSQL ends: its
 * next query fails with the server's word, not a hang; and a new client
 * through the same tunnel logs in. */
static gpointer
terminated_thread (gpointer data)
{
  Terminated *terminated = data;
  PGconn *client = pg_connect (terminated->port);
  PGconn *admin = pg_connect (terminated->direct_port);
  g_autofree char *pid = pg_value (client, "SELECT pg_backend_pid()");
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%s)", pid);
  g_autofree char *ended = pg_value (admin, sql);
  PGresult *result;

  g_assert_cmpstr (ended, ==, "t");
  result = PQexec (client, "SELECT 1");
  g_assert_cmpint (PQresultStatus (result), !=, PGRES_TUPLES_OK);
  terminated->failure = g_strdup (PQerrorMessage (client));
  PQclear (result);
  g_assert_cmpint (PQstatus (client), ==, CONNECTION_BAD);
  PQfinish (client);
  PQfinish (admin);

  client = pg_connect (terminated->port);
  {
    g_autofree char *answer = pg_value (client, "SELECT 40 + 2");

    terminated->again = g_str_equal (answer, "42");
  }
  PQfinish (client);

  return NULL;
}

/* PostgreSQL ends a session, and a server resets its connections at once
 * or in the middle of an exchange: each time the local client sees its
 * connection close (promptly, without sending anything to find out), and
 * the tunnels, their one SSH session and a transfer beside them go on. */
static void
test_database_closes_and_resets (void)
{
  g_autoptr(BurrowTestDatabase) postgres = NULL;
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowTestStreamServer) server = burrow_test_stream_server_new ();
  g_autoptr(BurrowConnection) database = NULL;
  g_autoptr(BurrowConnection) resets = NULL;
  g_autoptr(BurrowConnection) resets_later = NULL;
  g_autoptr(BurrowConnection) beside = NULL;
  g_autoptr(GError) error = NULL;
  Resetter at_once = { 0 }, midway = { 0 };
  Terminated terminated = { 0 };
  Streams *transfer;

  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);
  resetter_start (&at_once, 3, FALSE);
  resetter_start (&midway, 3, TRUE);

  database = add_connection (engine, "Database", sshd, BURROW_DB_KIND_POSTGRESQL,
                             burrow_test_database_get_port (postgres), 15);
  resets = add_connection (engine, "Resets", sshd, BURROW_DB_KIND_OTHER, at_once.port, 15);
  resets_later = add_connection (engine, "Resets midway", sshd, BURROW_DB_KIND_OTHER, midway.port, 15);
  beside = add_connection (engine, "Beside", sshd, BURROW_DB_KIND_OTHER,
                           burrow_test_stream_server_get_port (server), 15);
  connect_up (engine, database);
  connect_up (engine, resets);
  connect_up (engine, resets_later);
  connect_up (engine, beside);
  /* One bastion account: one session carries them all. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);

  transfer = streams_start (server, burrow_connection_get_local_port (beside), 2, 32 * MIB);

  terminated.port = burrow_connection_get_local_port (database);
  terminated.direct_port = burrow_test_database_get_port (postgres);
  burrow_test_run_thread (terminated_thread, &terminated);
  g_test_message ("the ended PostgreSQL session said: %s", terminated.failure);
  g_assert_nonnull (strstr (terminated.failure, "terminat"));
  g_assert_true (terminated.again);
  g_free (terminated.failure);

  for (guint i = 0; i < 3; i++)
    {
      Listener quiet = { burrow_connection_get_local_port (resets), FALSE, g_string_new (NULL) };
      Listener talking = { burrow_connection_get_local_port (resets_later), TRUE, g_string_new (NULL) };

      burrow_test_run_thread (listener_thread, &quiet);
      g_assert_no_error (quiet.error);
      burrow_test_run_thread (listener_thread, &talking);
      g_assert_no_error (talking.error);
      g_assert_cmpstr (talking.heard->str, ==, "partial");
      g_test_message ("reset %u: seen by the client after %.2f s (at once) and %.2f s (midway)",
                      i, quiet.seconds, talking.seconds);
      g_assert_cmpfloat (quiet.seconds, <, 10);
      g_assert_cmpfloat (talking.seconds, <, 10);
      g_string_free (quiet.heard, TRUE);
      g_string_free (talking.heard, TRUE);
    }

  error = streams_wait (transfer);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_connection_get_state (database), ==, BURROW_TUNNEL_UP);
  g_assert_cmpint (burrow_connection_get_state (resets), ==, BURROW_TUNNEL_UP);
  g_assert_cmpint (burrow_connection_get_state (resets_later), ==, BURROW_TUNNEL_UP);
  g_assert_cmpint (burrow_connection_get_state (beside), ==, BURROW_TUNNEL_UP);
  g_assert_null (burrow_connection_get_error (database));
  g_assert_null (burrow_connection_get_error (resets));
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);

  disconnect_all (engine);
  g_thread_join (at_once.thread);
  g_thread_join (midway.thread);
  close (at_once.listen_fd);
  close (midway.listen_fd);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  system_bus = burrow_test_start_system_bus ();
  keyring = burrow_test_start_keyring ();

  g_test_add_func ("/burrow/faults-bastion/killed-and-restarted", test_killed_and_restarted);
  g_test_add_func ("/burrow/faults-bastion/frozen", test_frozen);
  g_test_add_func ("/burrow/faults-bastion/resume-from-sleep", test_resume_from_sleep);
  g_test_add_func ("/burrow/faults-bastion/network-change", test_network_change);
  g_test_add_func ("/burrow/faults-bastion/database-closes-and-resets", test_database_closes_and_resets);

  status = g_test_run ();

  burrow_test_keyring_free (keyring);
  /* The bus connections are process-wide singletons that libsecret and
   * the engine keep: stop the bus without waiting for them. */
  g_test_dbus_stop (system_bus);

  return status;
}
