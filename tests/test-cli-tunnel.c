/* test-cli-tunnel.c — burrowctl test, trust and up against a real sshd,
 * PostgreSQL and keyring, through the burrowctl binary as a script runs it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libpq-fe.h>
#include <pty.h>
#include <signal.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-2fa.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-sshd.h"

static BurrowTestKeyring *keyring;
static BurrowTestDatabase *postgres;

/* A local port for a tunnel a test brings up. Not an automatic one:
 * those start from the same number (15432 for PostgreSQL) in every
 * process, so test programs running at once, here or in another
 * checkout on the same machine, would each choose it while it is free
 * and then collide when they listen. The kernel's pick does not. */
static char *
free_local_port (void)
{
  return g_strdup_printf ("%u", burrow_test_get_free_port ());
}

/* A connection NAME to the PostgreSQL fixture through @sshd, its
 * database password in the keyring. */
static void
add_connection (const char     *name,
                BurrowTestSshd *sshd,
                const char     *db_password)
{
  g_autofree char *db_port = g_strdup_printf ("%u", burrow_test_database_get_port (postgres));
  g_autofree char *ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *local_port = free_local_port ();

  g_assert_cmpint (burrow_test_burrowctl (db_password, NULL, NULL,
                        "add", name,
                        "--db-kind", "postgresql",
                        "--db-host", "127.0.0.1",
                        "--db-port", db_port,
                        "--db-name", BURROW_TEST_DB_NAME,
                        "--db-user", BURROW_TEST_DB_USER,
                        "--db-password-file", "-",
                        "--ssh-host", "127.0.0.1",
                        "--ssh-port", ssh_port,
                        "--ssh-user", burrow_test_sshd_get_user (sshd),
                        "--ssh-auth", "key-file",
                        "--ssh-key-file", burrow_test_sshd_get_client_key_path (sshd),
                        "--local-port", local_port,
                        NULL), ==, 0);
}

static BurrowTestSshd *
start_sshd (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);

  return sshd;
}

/* Parsed by a real JSON parser, not just searched: scripts will parse it. */
static void
assert_valid_json (const char *text)
{
  g_autofree char *python = burrow_test_find_program ("python3");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { python, "-c", "import json, sys; json.load(sys.stdin)", NULL };

  g_assert_nonnull (python);
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, text, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
test_trust_then_test (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;

  add_connection ("Sales warehouse", sshd, BURROW_TEST_DB_PASSWORD);

  /* Not trusted yet: the test stops at the host key and says what to do. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Sales warehouse", NULL), ==, 1);
  g_assert_nonnull (strstr (out, fingerprint));
  g_assert_nonnull (strstr (out, "burrowctl trust"));
  g_clear_pointer (&out, g_free);

  /* Without a terminal and without --yes, nothing is recorded. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "trust", "Sales warehouse", NULL), ==, 1);
  g_assert_nonnull (strstr (out, fingerprint));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "trust", "Sales warehouse", "--yes", NULL), ==, 0);
  g_assert_nonnull (strstr (out, fingerprint));
  g_assert_nonnull (strstr (out, "Recorded"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "trust", "Sales warehouse", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "recorded already"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Sales warehouse", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "✔ SELECT version()"));
  g_assert_null (strstr (out, "✘"));
  g_assert_null (strstr (out, BURROW_TEST_DB_PASSWORD));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Sales warehouse", "--diagnostics", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Test of “Sales warehouse”"));
  g_assert_nonnull (strstr (out, "ssh -N -L"));
  g_assert_nonnull (strstr (out, "libssh"));
  g_assert_null (strstr (out, BURROW_TEST_DB_PASSWORD));

  g_assert_cmpint (burrow_test_burrowctl (NULL, &json, NULL, "test", "Sales warehouse", "--json", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (json, "{\"connection\":\"Sales warehouse\",\"passed\":true,"));
  assert_valid_json (json);
  g_assert_nonnull (strstr (json, "\"id\":\"query\""));
}

/* Burrow's own key, from the keyring, installed as the guide says. */
static void
test_workspace_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *db_port = g_strdup_printf ("%u", burrow_test_database_get_port (postgres));
  g_autofree char *ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *pubkey = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (burrow_test_burrowctl (BURROW_TEST_DB_PASSWORD, NULL, NULL,
                        "add", "Own key",
                        "--db-kind", "postgresql", "--db-host", "127.0.0.1", "--db-port", db_port,
                        "--db-name", BURROW_TEST_DB_NAME, "--db-user", BURROW_TEST_DB_USER,
                        "--db-password-file", "-",
                        "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                        "--ssh-user", burrow_test_sshd_get_user (sshd),
                        "--ssh-auth", "workspace-key",
                        NULL), ==, 0);

  /* The key is recorded; that signing in will still fail is said at
   * once, with the hint, without failing the trust itself. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, &err, "trust", "Own key", "--yes", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Recorded"));
  g_assert_nonnull (strstr (err, "burrowctl: warning: "));
  g_assert_nonnull (strstr (err, "\n  "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Not installed yet: refused, and the hint says how to install it. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Own key", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "✘ Sign in to the bastion"));
  g_assert_nonnull (strstr (out, "burrowctl guide"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &pubkey, NULL, "pubkey", NULL), ==, 0);
  burrow_test_sshd_set_authorized_keys (sshd, pubkey);
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Own key", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "with Burrow’s own key"));
  g_clear_pointer (&out, g_free);

  /* Signing in works now: trust has nothing more to say. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, &err, "trust", "Own key", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "recorded already"));
  g_assert_null (strstr (err, "warning"));
}

static void
test_failure_exit_code (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;

  add_connection ("Wrong password", sshd, "not-the-password");
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "trust", "Wrong password", "--yes", NULL), ==, 0);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Wrong password", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "✘ Log in to the database"));
  g_assert_nonnull (strstr (out, "ssh -N -L"));

  g_assert_cmpint (burrow_test_burrowctl (NULL, &json, NULL, "test", "Wrong password", "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (json, "\"passed\":false"));
  assert_valid_json (json);
  g_assert_nonnull (strstr (json, "\"state\":\"failed\""));

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "test", "No such connection", NULL), ==, 1);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "test", NULL), ==, 2);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "up", NULL), ==, 2);
}

/* A bastion port that takes the connection and never says a word: the
 * handshake waits out its timeout, and the time reads in seconds, as a
 * person reads it; --json keeps milliseconds for scripts. */
static void
test_slow_step_in_seconds (void)
{
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ssh_port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) lines = NULL;
  const char *handshake = NULL;
  const char *field;

  /* Listening is enough: the kernel completes the connection, nobody
   * ever answers on it. */
  g_assert_true (g_socket_bind (silent, address, FALSE, &error));
  g_assert_true (g_socket_listen (silent, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (silent, &error);
  ssh_port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  g_assert_cmpint (burrow_test_burrowctl ("", NULL, NULL, "add", "Silent",
                                          "--db-kind", "postgresql", "--db-host", "db.internal",
                                          "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                                          "--ssh-user", "burrow", "--ssh-auth", "agent", NULL), ==, 0);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "test", "Silent", "--timeout", "2", NULL), ==, 1);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "✘ SSH handshake  "))
      handshake = lines[i];
  g_assert_nonnull (handshake);
  /* "✘ SSH handshake  2.0 s" (a whole-second timer may fire a little
   * early), never "2000.0 ms". */
  g_assert_true (g_str_has_suffix (handshake, " s"));
  g_assert_null (strstr (handshake, " ms"));

  g_assert_cmpint (burrow_test_burrowctl (NULL, &json, NULL, "test", "Silent", "--timeout", "2", "--json", NULL), ==, 1);
  assert_valid_json (json);
  field = strstr (json, "\"id\":\"handshake\"");
  g_assert_nonnull (field);
  field = strstr (field, "\"duration_ms\":");
  g_assert_nonnull (field);
  g_assert_cmpfloat (g_ascii_strtod (field + strlen ("\"duration_ms\":"), NULL), >=, 1000.0);

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Silent", NULL), ==, 0);
}

static char *
read_line (GDataInputStream *stream)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static void
test_up (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GSubprocess) up = NULL;
  g_autoptr(GDataInputStream) stdout_lines = NULL;
  g_autoptr(GDataInputStream) stderr_lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  const char *keys[] = { "host", "port", "user", "password", "dbname", "connect_timeout", NULL };
  const char *values[7];
  PGconn *conn;
  PGresult *result;
  guint local_port;

  add_connection ("Up", sshd, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "trust", "Up", "--yes", NULL), ==, 0);

  {
    const char *argv[] = { g_getenv ("BURROWCTL"), "up", "Up", NULL };

    up = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
  }

  stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (up));
  line = read_line (stdout_lines);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening 127.0.0.1:"));
  local_port = atoi (line + strlen ("listening 127.0.0.1:"));
  g_assert_cmpuint (local_port, >, 0);

  /* A real client through the tunnel: what the analyst's tool does. */
  port = g_strdup_printf ("%u", local_port);
  values[0] = "127.0.0.1";
  values[1] = port;
  values[2] = BURROW_TEST_DB_USER;
  values[3] = BURROW_TEST_DB_PASSWORD;
  values[4] = BURROW_TEST_DB_NAME;
  values[5] = "10";
  values[6] = NULL;
  for (guint round = 0; round < 2; round++)
    {
      conn = PQconnectdbParams (keys, values, 0);
      g_assert_cmpstr (PQerrorMessage (conn), ==, "");
      result = PQexec (conn, "SELECT 40 + 2");
      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "42");
      PQclear (result);
      PQfinish (conn);

      if (round > 0)
        break;

      /* The bastion drops the session: up says so, reconnects by itself,
       * and the same port serves again. */
      stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (up));
      g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
      for (gboolean retried = FALSE;;)
        {
          g_autofree char *status = read_line (stderr_lines);

          g_assert_nonnull (status);
          g_test_message ("up: %s", status);
          if (g_str_has_prefix (status, "reconnecting: attempt 1 in "))
            retried = TRUE;
          else if (retried && g_str_equal (status, "up"))
            break;
        }
    }

  g_subprocess_send_signal (up, SIGTERM);
  g_subprocess_wait (up, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (up));
  g_assert_cmpint (g_subprocess_get_exit_status (up), ==, 0);
}

/* Two burrowctl up of one connection: the second says where the first
 * runs rather than "address in use", and list shows it. */
static void
test_up_twice (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  const char *argv[] = { g_getenv ("BURROWCTL"), "up", "Twice", NULL };
  const char *pid;

  add_connection ("Twice", sshd, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "trust", "Twice", "--yes", NULL), ==, 0);

  first = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  pid = g_subprocess_get_identifier (first);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (first));
  line = read_line (lines);
  g_assert_true (g_str_has_prefix (line, "listening "));

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "up", "Twice", NULL), ==, 1);
  expected = g_strdup_printf ("burrowctl: “Twice” already runs in burrowctl (pid %s) on %s\n"
                              "  Stop it there, or use it: it leads to the same database.\n",
                              pid, line + strlen ("listening "));
  g_assert_cmpstr (err, ==, expected);
  g_clear_pointer (&expected, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "list", NULL), ==, 0);
  expected = g_strdup_printf ("Runs in burrowctl (pid %s) on %s\n", pid, line + strlen ("listening "));
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  assert_valid_json (out);
  expected = g_strdup_printf ("\"running_elsewhere\":{\"pid\":%s,", pid);
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&out, g_free);

  /* Stopped: list no longer says so. */
  g_subprocess_send_signal (first, SIGTERM);
  g_assert_true (g_subprocess_wait (first, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"running_elsewhere\":null"));
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Twice", NULL), ==, 0);
}

static void
test_up_unknown_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autofree char *err = NULL;

  add_connection ("Untrusted", sshd, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "up", "Untrusted", NULL), ==, 1);
  g_assert_nonnull (strstr (err, fingerprint));
  g_assert_nonnull (strstr (err, "burrowctl trust Untrusted"));
}

/* burrowctl strings: the ready strings to the connection's local port, as
 * text and as JSON; never the password. */
static void
test_strings (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *port = NULL;
  const char *listed;

  add_connection ("Strings", sshd, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "list", NULL), ==, 0);
  /* The last column of its row: the local endpoint. */
  listed = strstr (out, "\nStrings ");
  g_assert_nonnull (listed);
  listed = g_strrstr_len (listed, strchr (listed + 1, '\n') - listed, "127.0.0.1:");
  g_assert_nonnull (listed);
  port = g_strndup (listed + strlen ("127.0.0.1:"), strspn (listed + strlen ("127.0.0.1:"), "0123456789"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (burrow_test_burrowctl (NULL, &out, NULL, "strings", "Strings", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "psql: "));
  g_assert_nonnull (strstr (out, "host=127.0.0.1"));
  g_assert_nonnull (strstr (out, "JDBC: jdbc:postgresql://127.0.0.1:"));
  g_assert_nonnull (strstr (out, port));
  g_assert_cmpuint (strlen (port), >=, 4);
  g_assert_nonnull (strstr (out, BURROW_TEST_DB_NAME));
  g_assert_null (strstr (out, BURROW_TEST_DB_PASSWORD));

  g_assert_cmpint (burrow_test_burrowctl (NULL, &json, NULL, "strings", "Strings", "--json", NULL), ==, 0);
  assert_valid_json (json);
  g_assert_true (g_str_has_prefix (json, "[{\"label\":\"psql\",\"value\":"));
  g_assert_null (strstr (json, BURROW_TEST_DB_PASSWORD));

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "strings", "Nothing like it", NULL), ==, 1);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "strings", NULL), ==, 2);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Strings", NULL), ==, 0);
}

/* A bastion that asks for a one-time code: burrowctl up asks on the
 * terminal without echo, and without a terminal fails with the engine's
 * clear error. */
static void
test_second_factor (void)
{
  g_autoptr(BurrowTest2fa) server = burrow_test_2fa_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ssh_port = NULL;
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *local_port = free_local_port ();
  g_autofree char *err = NULL;

  burrow_test_2fa_add_prompt (server, "Verification code: ", FALSE, "123456");
  burrow_test_2fa_start (server, &error);
  g_assert_no_error (error);
  burrow_test_2fa_write_known_host (server, known_hosts);
  ssh_port = g_strdup_printf ("%u", burrow_test_2fa_get_port (server));

  g_assert_cmpint (burrow_test_burrowctl ("", NULL, NULL, "add", "Code",
                                          "--db-kind", "other", "--db-host", "127.0.0.1", "--db-port", "9",
                                          "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                                          "--ssh-user", burrow_test_2fa_get_user (server),
                                          "--ssh-auth", "key-file",
                                          "--ssh-key-file", burrow_test_2fa_get_client_key_path (server),
                                          "--local-port", local_port,
                                          NULL), ==, 0);

  /* No terminal to ask on. */
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "up", "Code", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Verification code"));
  g_assert_nonnull (strstr (err, "burrowctl"));
  g_clear_pointer (&err, g_free);

  /* On a terminal. */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) up = NULL;
    g_autoptr(GString) said = g_string_new (NULL);
    GInputStream *stderr_stream;
    char echoed[256] = { 0 };
    int master;
    int slave;

    if (openpty (&master, &slave, NULL, NULL, NULL) != 0)
      {
        g_test_skip ("No pseudo-terminals here");
        return;
      }
    g_subprocess_launcher_take_stdin_fd (launcher, slave);
    up = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BURROWCTL"), "up", "Code", NULL);
    g_assert_no_error (error);
    stderr_stream = g_subprocess_get_stderr_pipe (up);

    burrow_test_read_until (stderr_stream, said, "Verification code: ");
    g_assert_cmpint (write (master, "123456\n", 7), ==, 7);
    burrow_test_read_until (stderr_stream, said, "up\n");

    {
      GPollFD poll_fd = { master, G_IO_IN, 0 };

      if (g_poll (&poll_fd, 1, 1000) == 1)
        g_assert_cmpint (read (master, echoed, sizeof echoed - 1), >=, 0);
      g_assert_null (strstr (echoed, "123456"));
    }

    g_subprocess_send_signal (up, SIGTERM);
    g_subprocess_wait (up, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (up), ==, 0);
    close (master);
  }

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Code", NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/cli-tunnel/trust-then-test", test_trust_then_test);
  g_test_add_func ("/burrow/cli-tunnel/workspace-key", test_workspace_key);
  g_test_add_func ("/burrow/cli-tunnel/failure-exit-code", test_failure_exit_code);
  g_test_add_func ("/burrow/cli-tunnel/slow-step-in-seconds", test_slow_step_in_seconds);
  g_test_add_func ("/burrow/cli-tunnel/up", test_up);
  g_test_add_func ("/burrow/cli-tunnel/up-twice", test_up_twice);
  g_test_add_func ("/burrow/cli-tunnel/up-unknown-host-key", test_up_unknown_host_key);
  g_test_add_func ("/burrow/cli-tunnel/strings", test_strings);
  g_test_add_func ("/burrow/cli-tunnel/second-factor", test_second_factor);

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
