/* test-db-login.c — the database login check against real servers, and
 * against small local servers that refuse, hang up, stay silent or speak.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"

/* Started once for the whole program: starting them is the slow part. */
static BurrowTestDatabase *postgres;
static BurrowTestDatabase *mariadb;

/* Hang guard only: no test waits anywhere near this long when it passes. */
#define HANG_GUARD_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  guint                 callbacks;
  BurrowDbLoginResult  *result;
  GError               *error;
  gpointer              task;  /* weak: NULL once the check is freed */
} Login;

static void
login_clear (Login *login)
{
  g_clear_pointer (&login->result, burrow_db_login_result_unref);
  g_clear_error (&login->error);
  if (login->task != NULL)
    g_object_remove_weak_pointer (login->task, &login->task);
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the default main context until @done says so. */
static void
iterate_until (Condition done,
               gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_USEC;
  guint wake = g_timeout_add (100, on_wake, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
}

static gboolean
login_called_back (gpointer data)
{
  return ((Login *) data)->callbacks > 0;
}

static gboolean
login_freed (gpointer data)
{
  return ((Login *) data)->task == NULL;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_login_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Login *login = user_data;

  g_assert_true (BURROW_IS_DB_LOGIN (object));
  login->callbacks++;
  g_assert_cmpuint (login->callbacks, ==, 1);
  login->result = burrow_db_login_finish (result, &login->error);
  g_assert_true ((login->result == NULL) != (login->error == NULL));

  login->task = result;
  g_object_add_weak_pointer (G_OBJECT (result), &login->task);
}

/* Runs one check to its end, then until everything it held is freed: a
 * check that leaked its task (and with it the connection) would hang here. */
static void
run_login (BurrowDbKind               kind,
           const BurrowDbLoginParams *params,
           guint                      timeout_ms,
           GCancellable              *cancellable,
           Login                     *login)
{
  memset (login, 0, sizeof *login);
  burrow_db_login_async (kind, params, timeout_ms, cancellable, on_login_done, login);
  iterate_until (login_called_back, login);
  iterate_until (login_freed, login);
  g_assert_cmpuint (login->callbacks, ==, 1);
}

/* The same with a check made beforehand, whose times outlive its end. */
static void
run_check (BurrowDbLogin *check,
           guint          timeout_ms,
           Login         *login)
{
  memset (login, 0, sizeof *login);
  burrow_db_login_run_async (check, timeout_ms, NULL, on_login_done, login);
  iterate_until (login_called_back, login);
  iterate_until (login_freed, login);
  g_assert_cmpuint (login->callbacks, ==, 1);
}

static BurrowDbLoginParams
params_for (BurrowTestDatabase *db,
            const char         *password,
            const char         *database)
{
  BurrowDbLoginParams params = {
    .connect_host = "127.0.0.1",
    .port = burrow_test_database_get_port (db),
    .server_host = "db.internal.example",
    .database = database,
    .user = BURROW_TEST_DB_USER,
    .password = password,
  };

  return params;
}

/* Every error a person sees has a cause and a hint, and never the password. */
static void
assert_good_error (const GError *error,
                   int           code)
{
  g_autofree char *cause = NULL;

  g_assert_error (error, BURROW_DB_ERROR, code);
  cause = burrow_error_dup_cause (error);
  g_assert_cmpstr (cause, !=, "");
  g_assert_nonnull (burrow_error_get_hint (error));
  g_assert_null (strstr (error->message, BURROW_TEST_DB_PASSWORD));
  g_assert_null (strstr (error->message, "not-the-password"));
  g_test_message ("%s", error->message);
}

/* Small local servers */

typedef enum
{
  SERVER_CLOSES,   /* accepts, then closes at once */
  SERVER_SILENT,   /* accepts, reads, never writes */
  SERVER_SPEAKS,   /* accepts and sends a banner, as SSH does */
} ServerMode;

typedef struct
{
  GSocketService *service;
  ServerMode      mode;
  guint16         port;
  GPtrArray      *connections;
  guint           accepted;
  gboolean        peer_closed;  /* a silent server saw its client go */
  guint8          buffer[256];
} Server;

static void
on_server_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (n <= 0)
    {
      server->peer_closed = TRUE;
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (object), server->buffer, sizeof server->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_server_read, server);
}

static gboolean
on_service_incoming (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source_object,
                     gpointer           user_data)
{
  Server *server = user_data;
  static const char banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian\r\n";

  server->accepted++;

  switch (server->mode)
    {
    case SERVER_CLOSES:
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      break;

    case SERVER_SPEAKS:
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 banner, strlen (banner), NULL, NULL, NULL);
      G_GNUC_FALLTHROUGH;

    case SERVER_SILENT:
    default:
      g_ptr_array_add (server->connections, g_object_ref (connection));
      g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                 server->buffer, sizeof server->buffer,
                                 G_PRIORITY_DEFAULT, NULL, on_server_read, server);
      break;
    }

  return TRUE;
}

static Server *
server_new (ServerMode mode)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->mode = mode;
  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "incoming", G_CALLBACK (on_service_incoming), server);
  g_socket_service_start (server->service);

  return server;
}

static void
server_free (Server *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  for (guint i = 0; i < server->connections->len; i++)
    g_io_stream_close (g_ptr_array_index (server->connections, i), NULL, NULL);
  g_ptr_array_unref (server->connections);
  /* Let pending reads see the close before the buffer goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static BurrowDbLoginParams
params_for_port (guint16 port)
{
  BurrowDbLoginParams params = {
    .connect_host = "127.0.0.1",
    .port = port,
    .database = BURROW_TEST_DB_NAME,
    .user = BURROW_TEST_DB_USER,
    .password = BURROW_TEST_DB_PASSWORD,
  };

  return params;
}

/* PostgreSQL */

static void
test_postgres_login (void)
{
  BurrowDbLoginParams params = params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_true (g_str_has_prefix (burrow_db_login_result_get_server_version (login.result),
                                   "PostgreSQL "));
  g_assert_true (burrow_db_login_result_get_logged_in (login.result));
  g_assert_cmpint (burrow_db_login_result_get_kind (login.result), ==, BURROW_DB_KIND_POSTGRESQL);
  g_assert_cmpstr (burrow_db_login_result_get_query (login.result), ==, "SELECT version()");
  /* The fixture offers no TLS; "prefer" then goes on without it. */
  g_assert_false (burrow_db_login_result_get_tls (login.result));
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result), "without TLS"));
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result), "“" BURROW_TEST_DB_NAME "”"));
  g_assert_cmpint (burrow_db_login_result_get_login_usec (login.result), >, 0);
  g_assert_cmpint (burrow_db_login_result_get_query_usec (login.result), >, 0);
  g_test_message ("%s (%s; login %.1f ms, query %.1f ms)",
                  burrow_db_login_result_get_description (login.result),
                  burrow_db_login_result_get_server_version (login.result),
                  burrow_db_login_result_get_login_usec (login.result) / 1000.0,
                  burrow_db_login_result_get_query_usec (login.result) / 1000.0);
  login_clear (&login);

  /* Redshift speaks PostgreSQL's protocol; the same check logs in. */
  run_login (BURROW_DB_KIND_REDSHIFT, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_true (burrow_db_login_result_get_logged_in (login.result));
  login_clear (&login);
}

static void
test_postgres_wrong_password (void)
{
  BurrowDbLoginParams params = params_for (postgres, "not-the-password", BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_PASSWORD_REFUSED);
  login_clear (&login);

  /* With the right password but a user the server does not know, the
   * server says the same, on purpose. */
  params.password = BURROW_TEST_DB_PASSWORD;
  params.user = "nobody-here";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_PASSWORD_REFUSED);
  g_assert_nonnull (strstr (login.error->message, "nobody-here"));
  login_clear (&login);
}

/* libpq itself says a password is missing, without a SQLSTATE; that is
 * a password problem, not a server of another kind. */
static void
test_postgres_no_password (void)
{
  BurrowDbLoginParams params = params_for (postgres, NULL, BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_PASSWORD_REFUSED);
  g_assert_nonnull (strstr (login.error->message, "no password is stored"));
  login_clear (&login);
}

/* Parameters libpq rejects before it connects are reported as such, with
 * libpq's reason, not as a server that refuses connections. */
static void
test_postgres_bad_parameters (void)
{
  BurrowDbLoginParams params = params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  params.tls_mode = "verify_full";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_FAILED);
  g_assert_nonnull (strstr (login.error->message, "“verify_full” is not a TLS mode"));
  g_assert_nonnull (strstr (login.error->message, "verify-full"));
  login_clear (&login);

  /* libpq reads a comma as a list of hosts, which does not match the one
   * address connected to. */
  params.tls_mode = NULL;
  params.server_host = "a,b";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_FAILED);
  g_assert_nonnull (strstr (login.error->message, "could not start"));
  g_assert_null (strstr (login.error->message, "Nothing accepts"));
  login_clear (&login);
}

static void
test_postgres_missing_database (void)
{
  BurrowDbLoginParams params = params_for (postgres, BURROW_TEST_DB_PASSWORD, "no_such_db");
  Login login;

  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_DATABASE_MISSING);
  g_assert_nonnull (strstr (login.error->message, "no_such_db"));
  login_clear (&login);
}

static void
test_postgres_tls_required (void)
{
  BurrowDbLoginParams params = params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  /* The fixture has no certificate: a mode that demands TLS must fail as a
   * TLS problem, not as a password or network one. */
  params.tls_mode = "require";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_TLS);
  login_clear (&login);
}

/* TLS with a certificate for the database's real name, reached on
 * 127.0.0.1 as through a tunnel. */

#define TLS_HOST_NAME "db.internal.example"

static void
run_openssl (const char * const *argv)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_test_run (argv, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A test CA in the user's ~/.postgresql/root.crt (HOME is the test's own),
 * and a server certificate for TLS_HOST_NAME signed by it. */
static void
make_certificates (const char *dir,
                   char      **cert_path,
                   char      **key_path)
{
  g_autofree char *openssl = burrow_test_find_program ("openssl");
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *ca_cert = g_build_filename (dir, "ca.crt", NULL);
  g_autofree char *csr = g_build_filename (dir, "server.csr", NULL);
  g_autofree char *ext = g_build_filename (dir, "server.ext", NULL);
  g_autofree char *pg_dir = g_build_filename (g_get_home_dir (), ".postgresql", NULL);
  g_autofree char *root_cert = g_build_filename (pg_dir, "root.crt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (openssl);
  *cert_path = g_build_filename (dir, "server.crt", NULL);
  *key_path = g_build_filename (dir, "server.key", NULL);

  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec",
                           "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                           "-keyout", ca_key, "-out", ca_cert, "-days", "2",
                           "-subj", "/CN=Burrow Test CA", NULL };
    run_openssl (argv);
  }
  {
    const char *argv[] = { openssl, "req", "-newkey", "ec",
                           "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                           "-keyout", *key_path, "-out", csr,
                           "-subj", "/CN=" TLS_HOST_NAME, NULL };
    run_openssl (argv);
  }
  g_file_set_contents (ext, "subjectAltName=DNS:" TLS_HOST_NAME "\n", -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { openssl, "x509", "-req", "-in", csr, "-CA", ca_cert,
                           "-CAkey", ca_key, "-CAcreateserial", "-out", *cert_path,
                           "-days", "2", "-extfile", ext, NULL };
    run_openssl (argv);
  }

  g_assert_cmpint (g_mkdir_with_parents (pg_dir, 0700), ==, 0);
  g_file_get_contents (ca_cert, &contents, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (root_cert, contents, -1, &error);
  g_assert_no_error (error);

  /* PostgreSQL reads its key only when no one else may. */
  g_assert_cmpint (chmod (*key_path, 0600), ==, 0);
  if (burrow_test_running_as_root ())
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_cmpint (chown (*cert_path, pw->pw_uid, pw->pw_gid), ==, 0);
      g_assert_cmpint (chown (*key_path, pw->pw_uid, pw->pw_gid), ==, 0);
    }
}

/* Test set-up only, so plain blocking libpq. */
static PGconn *
postgres_connect_sync (const char *sslmode)
{
  g_autofree char *port = g_strdup_printf ("%u", burrow_test_database_get_port (postgres));
  const char *keys[] = { "host", "port", "user", "password", "dbname", "sslmode", "connect_timeout", NULL };
  const char *values[] = { "127.0.0.1", port, BURROW_TEST_DB_USER, BURROW_TEST_DB_PASSWORD,
                           BURROW_TEST_DB_NAME, sslmode, "10", NULL };

  return PQconnectdbParams (keys, values, 0);
}

/* A reload is asynchronous: new connections see it a moment later. */
static void
postgres_wait_for_ssl (gboolean on)
{
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_USEC;

  for (;;)
    {
      PGconn *conn = postgres_connect_sync ("require");
      gboolean up = PQstatus (conn) == CONNECTION_OK;

      PQfinish (conn);
      if (up == on)
        return;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

/* A login that works, then a first query the server refuses: the check
 * keeps the time of each, so that the login and the query each show what
 * they really took. */
static void
test_postgres_query_fails (void)
{
  BurrowDbLoginParams params = params_for (postgres, "no-version-pw", BURROW_TEST_DB_NAME);
  g_autoptr(BurrowDbLogin) check = NULL;
  Login login;

  burrow_test_postgres_run_sql (postgres, "DROP ROLE IF EXISTS burrow_no_version");
  burrow_test_postgres_run_sql (postgres, "CREATE ROLE burrow_no_version LOGIN PASSWORD 'no-version-pw'");
  burrow_test_postgres_run_sql (postgres, "REVOKE EXECUTE ON FUNCTION version() FROM PUBLIC");

  params.user = "burrow_no_version";
  check = burrow_db_login_new (BURROW_DB_KIND_POSTGRESQL, &params);
  g_assert_cmpint (burrow_db_login_get_kind (check), ==, BURROW_DB_KIND_POSTGRESQL);
  g_assert_cmpint (burrow_db_login_get_login_usec (check), ==, -1);
  g_assert_cmpint (burrow_db_login_get_query_usec (check), ==, -1);
  run_check (check, 0, &login);

  burrow_test_postgres_run_sql (postgres, "GRANT EXECUTE ON FUNCTION version() TO PUBLIC");
  burrow_test_postgres_run_sql (postgres, "DROP ROLE burrow_no_version");

  assert_good_error (login.error, BURROW_DB_ERROR_QUERY_FAILED);
  g_assert_nonnull (strstr (login.error->message, "version"));
  g_assert_cmpint (burrow_db_login_get_login_usec (check), >, 0);
  g_assert_cmpint (burrow_db_login_get_query_usec (check), >, 0);
  g_test_message ("login %.1f ms, query %.1f ms",
                  burrow_db_login_get_login_usec (check) / 1000.0,
                  burrow_db_login_get_query_usec (check) / 1000.0);
  login_clear (&login);

  /* The check is over: nothing holds it any more. */
  g_assert_finalize_object (g_steal_pointer (&check));
}

static void
test_postgres_tls_host_name (void)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *sql = NULL;
  BurrowDbLoginParams params = params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  make_certificates (burrow_test_database_get_dir (postgres), &cert_path, &key_path);
  /* ALTER SYSTEM refuses to run inside a transaction, so one at a time. */
  sql = g_strdup_printf ("ALTER SYSTEM SET ssl_cert_file = '%s'", cert_path);
  burrow_test_postgres_run_sql (postgres, sql);
  g_free (sql);
  sql = g_strdup_printf ("ALTER SYSTEM SET ssl_key_file = '%s'", key_path);
  burrow_test_postgres_run_sql (postgres, sql);
  burrow_test_postgres_run_sql (postgres, "ALTER SYSTEM SET ssl = on");
  burrow_test_postgres_run_sql (postgres, "SELECT pg_reload_conf ()");
  postgres_wait_for_ssl (TRUE);

  /* The certificate names the real host, not 127.0.0.1, and still checks. */
  params.server_host = TLS_HOST_NAME;
  params.tls_mode = "verify-full";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_true (burrow_db_login_result_get_tls (login.result));
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result),
                            "certificate and host name “" TLS_HOST_NAME "” verified"));
  g_test_message ("%s", burrow_db_login_result_get_description (login.result));
  login_clear (&login);

  /* A name the certificate does not hold is refused as a TLS problem. */
  params.server_host = "other.internal.example";
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_TLS);
  login_clear (&login);

  /* The default mode uses TLS when the server offers it. */
  params.tls_mode = NULL;
  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_true (burrow_db_login_result_get_tls (login.result));
  login_clear (&login);

  burrow_test_postgres_run_sql (postgres, "ALTER SYSTEM RESET ssl");
  burrow_test_postgres_run_sql (postgres, "SELECT pg_reload_conf ()");
  postgres_wait_for_ssl (FALSE);
}

/* MariaDB */

static void
test_mariadb_login (void)
{
  BurrowDbLoginParams params = params_for (mariadb, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_MARIADB, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_nonnull (strstr (burrow_db_login_result_get_server_version (login.result), "MariaDB"));
  g_assert_true (burrow_db_login_result_get_logged_in (login.result));
  g_assert_cmpstr (burrow_db_login_result_get_query (login.result), ==, "SELECT VERSION()");
  g_assert_cmpint (burrow_db_login_result_get_login_usec (login.result), >, 0);
  g_test_message ("%s (%s; login %.1f ms, query %.1f ms)",
                  burrow_db_login_result_get_description (login.result),
                  burrow_db_login_result_get_server_version (login.result),
                  burrow_db_login_result_get_login_usec (login.result) / 1000.0,
                  burrow_db_login_result_get_query_usec (login.result) / 1000.0);
  login_clear (&login);

  run_login (BURROW_DB_KIND_MYSQL, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_true (burrow_db_login_result_get_logged_in (login.result));
  login_clear (&login);
}

static void
test_mariadb_wrong_password (void)
{
  BurrowDbLoginParams params = params_for (mariadb, "not-the-password", BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_MARIADB, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_PASSWORD_REFUSED);
  login_clear (&login);
}

/* A user that logs in through PAM makes the server ask for the "dialog"
 * plugin, which may prompt on the terminal and block; the check refuses
 * it and says why, instead of trying it. Setting the user up needs the
 * server's root account, which only root reaches (over the fixture's
 * private socket). */
static void
test_mariadb_blocking_auth (void)
{
  g_autofree char *socket = NULL;
  BurrowDbLoginParams params = params_for (mariadb, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  MYSQL *admin;
  Login login;

  if (!burrow_test_running_as_root ())
    {
      g_test_skip ("needs root to set up a PAM user on the MariaDB fixture");
      return;
    }

  /* Test set-up only, so plain blocking Connector/C. */
  socket = g_build_filename (burrow_test_database_get_dir (mariadb), "mysqld.sock", NULL);
  admin = mysql_init (NULL);
  g_assert_nonnull (admin);
  if (mysql_real_connect (admin, NULL, "root", NULL, NULL, 0, socket, 0) == NULL)
    g_error ("root login over %s: %s", socket, mysql_error (admin));
  if (mysql_query (admin, "INSTALL SONAME 'auth_pam'") != 0 &&
      mysql_errno (admin) != ER_PLUGIN_INSTALLED)
    g_error ("INSTALL SONAME 'auth_pam': %s", mysql_error (admin));
  if (mysql_query (admin, "CREATE USER IF NOT EXISTS 'burrow_pam'@'%' IDENTIFIED VIA pam") != 0)
    g_error ("CREATE USER: %s", mysql_error (admin));
  mysql_close (admin);

  params.user = "burrow_pam";
  run_login (BURROW_DB_KIND_MARIADB, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_FAILED);
  g_assert_nonnull (strstr (login.error->message, "authentication method"));
  login_clear (&login);
}

static void
test_mariadb_missing_database (void)
{
  BurrowDbLoginParams params = params_for (mariadb, BURROW_TEST_DB_PASSWORD, "no_such_db");
  Login login;

  run_login (BURROW_DB_KIND_MARIADB, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_DATABASE_MISSING);
  g_assert_nonnull (strstr (login.error->message, "no_such_db"));
  login_clear (&login);
}

/* Checks each kind (a real login, and reachability against @silent) on
 * "localhost", and that the address described is the one the servers
 * listen on. */
static void
check_localhost (Server *silent)
{
  BurrowTestDatabase *servers[] = { postgres, mariadb, NULL };
  const BurrowDbKind kinds[] = {
    BURROW_DB_KIND_POSTGRESQL, BURROW_DB_KIND_MARIADB, BURROW_DB_KIND_CLICKHOUSE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      BurrowDbLoginParams params;
      Login login;

      params = servers[i] ? params_for (servers[i], BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME)
                          : params_for_port (silent->port);
      params.connect_host = "localhost";
      run_login (kinds[i], &params, 0, NULL, &login);
      g_assert_no_error (login.error);
      g_assert_cmpint (burrow_db_login_result_get_logged_in (login.result), ==, servers[i] != NULL);
      g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result), "127.0.0.1"));
      login_clear (&login);
    }
}

/* A name rather than an address is resolved without blocking, for every
 * kind of check. */
static void
test_host_name (void)
{
  g_autoptr(Server) server = server_new (SERVER_SILENT);

  check_localhost (server);
  g_assert_cmpuint (server->accepted, ==, 1);
}

/* A name whose first address refuses (::1 for "localhost", where the
 * fixtures do not listen) falls back to the next one. Only a machine
 * whose "localhost" gives another address before 127.0.0.1 shows it;
 * elsewhere this is skipped, so that the gap stays visible. */
static void
test_next_address (void)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Server) server = NULL;
  g_autofree char *first = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name (resolver, "localhost", NULL, &error);
  g_assert_no_error (error);
  first = g_inet_address_to_string (addresses->data);
  g_test_message ("“localhost” resolves to %u address(es), first %s",
                  g_list_length (addresses), first);
  g_resolver_free_addresses (addresses);

  if (g_str_equal (first, "127.0.0.1"))
    {
      g_test_skip ("“localhost” resolves to 127.0.0.1 first here: no address to fall back from");
      return;
    }

  server = server_new (SERVER_SILENT);
  check_localhost (server);
}

/* Failures of the path, for every kind of check */

static const BurrowDbKind every_check[] = {
  BURROW_DB_KIND_POSTGRESQL,
  BURROW_DB_KIND_MARIADB,
  BURROW_DB_KIND_CLICKHOUSE,
};

static void
test_closed_port (void)
{
  BurrowDbLoginParams params = params_for_port (burrow_test_get_free_port ());

  for (guint i = 0; i < G_N_ELEMENTS (every_check); i++)
    {
      Login login;

      run_login (every_check[i], &params, 0, NULL, &login);
      assert_good_error (login.error, BURROW_DB_ERROR_UNREACHABLE);
      g_assert_nonnull (strstr (login.error->message, "Nothing accepts connections"));
      login_clear (&login);
    }
}

static void
test_closing_port (void)
{
  g_autoptr(Server) server = server_new (SERVER_CLOSES);
  BurrowDbLoginParams params = params_for_port (server->port);

  /* This is what a tunnel does when the bastion cannot reach the database:
   * the local end accepts, the channel fails, the local end closes. */
  for (guint i = 0; i < G_N_ELEMENTS (every_check); i++)
    {
      Login login;

      run_login (every_check[i], &params, 0, NULL, &login);
      assert_good_error (login.error, BURROW_DB_ERROR_UNREACHABLE);
      g_assert_nonnull (strstr (login.error->message, "closed"));
      g_assert_nonnull (strstr (login.error->message, "bastion"));
      login_clear (&login);
    }

  g_assert_cmpuint (server->accepted, >=, G_N_ELEMENTS (every_check));
}

static void
test_silent_port_times_out (void)
{
  g_autoptr(Server) server = server_new (SERVER_SILENT);
  BurrowDbLoginParams params = params_for_port (server->port);
  const BurrowDbKind kinds[] = { BURROW_DB_KIND_POSTGRESQL, BURROW_DB_KIND_MARIADB };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      Login login;

      run_login (kinds[i], &params, 300, NULL, &login);
      assert_good_error (login.error, BURROW_DB_ERROR_TIMEOUT);
      g_assert_nonnull (strstr (login.error->message, "accepted the connection"));
      login_clear (&login);
    }
}

typedef struct
{
  GCancellable *cancellable;
  guint         ticks;
} Ticker;

static gboolean
on_ticker_tick (gpointer user_data)
{
  Ticker *ticker = user_data;

  if (++ticker->ticks < 5)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (ticker->cancellable);
  return G_SOURCE_REMOVE;
}

/* A timer on the same main loop keeps firing while a login waits on a
 * server that never answers, and it is the timer that ends the login.
 * The check's own timeout lies far beyond the hang guard, so only a real
 * cancellation can end it in time. Cancelling drops the connection, and
 * nothing calls back after.
 *
 * For the reachability kind a silent server is an answer after the listen
 * window, so there a check that ignored the cancellable would fail here,
 * but one that blocked the loop for less than that window could only be
 * told apart by measuring time. */
static void
test_main_loop_runs_and_cancel (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_check); i++)
    {
      g_autoptr(Server) server = server_new (SERVER_SILENT);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      BurrowDbLoginParams params = params_for_port (server->port);
      Ticker ticker = { cancellable, 0 };
      Login login;

      g_timeout_add (10, on_ticker_tick, &ticker);
      run_login (every_check[i], &params, 10 * 60 * 1000, cancellable, &login);
      g_assert_error (login.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (ticker.ticks, ==, 5);
      g_assert_cmpuint (server->accepted, ==, 1);
      login_clear (&login);

      iterate_until (flag_is_set, &server->peer_closed);
    }
}

static guint16
socket_port (GSocketConnection *connection,
             gboolean           remote)
{
  g_autoptr(GSocketAddress) address = NULL;

  address = remote ? g_socket_connection_get_remote_address (connection, NULL)
                   : g_socket_connection_get_local_address (connection, NULL);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

typedef struct
{
  Server  *server;
  guint16  client_port;
} Awaited;

static gboolean
server_accepted_port (gpointer data)
{
  Awaited *awaited = data;

  for (guint i = 0; i < awaited->server->connections->len; i++)
    if (socket_port (g_ptr_array_index (awaited->server->connections, i), TRUE) == awaited->client_port)
      return TRUE;

  return FALSE;
}

/* A check cancelled before it starts does not even connect. The server
 * accepts in the order connections came in, so once a connection made
 * after the checks is accepted, any the checks had made would have been
 * accepted before it. */
static void
test_cancel_before_start (void)
{
  g_autoptr(Server) server = server_new (SERVER_SILENT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) marker = NULL;
  g_autoptr(GError) error = NULL;
  BurrowDbLoginParams params = params_for_port (server->port);
  Awaited awaited;
  Login login;

  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (every_check); i++)
    {
      run_login (every_check[i], &params, 0, cancellable, &login);
      g_assert_error (login.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      login_clear (&login);
    }

  marker = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  awaited.server = server;
  awaited.client_port = socket_port (marker, FALSE);
  iterate_until (server_accepted_port, &awaited);
  g_assert_cmpuint (server->accepted, ==, 1);
}

typedef struct
{
  BurrowDbKind         kind;
  BurrowDbLoginParams  params;
  GMainContext        *context;
  Login                login;
} ThreadedLogin;

static gboolean
on_hang_guard (gpointer user_data)
{
  g_error ("a check on a worker thread's own context never ended");
  return G_SOURCE_REMOVE;
}

/* Only the thread's own context is iterated here: nothing else runs the
 * default one meanwhile. */
static gpointer
run_login_in_thread (gpointer data)
{
  ThreadedLogin *run = data;
  GSource *guard = g_timeout_source_new (HANG_GUARD_USEC / 1000);

  g_main_context_push_thread_default (run->context);
  g_source_set_callback (guard, on_hang_guard, NULL, NULL);
  g_source_attach (guard, run->context);

  memset (&run->login, 0, sizeof run->login);
  burrow_db_login_async (run->kind, &run->params, 2000, NULL, on_login_done, &run->login);
  while (!login_called_back (&run->login) || !login_freed (&run->login))
    g_main_context_iteration (run->context, TRUE);

  g_source_destroy (guard);
  g_source_unref (guard);
  g_main_context_pop_thread_default (run->context);

  return NULL;
}

/* A check made on a thread that runs its own main context lives on that
 * context: the client libraries' sockets, the timers and the deadline. */
static void
test_worker_thread (void)
{
  ThreadedLogin runs[] = {
    { BURROW_DB_KIND_POSTGRESQL, params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME) },
    { BURROW_DB_KIND_MARIADB, params_for (mariadb, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME) },
    /* PostgreSQL waits for its client: the listen window ends the check. */
    { BURROW_DB_KIND_SQLSERVER, params_for (postgres, NULL, NULL) },
    /* A MariaDB client waits for a greeting PostgreSQL never sends: the
     * deadline ends the check. */
    { BURROW_DB_KIND_MARIADB, params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      GThread *thread;

      runs[i].context = g_main_context_new ();
      thread = g_thread_new ("login", run_login_in_thread, &runs[i]);
      g_thread_join (thread);
      g_main_context_unref (runs[i].context);
    }

  g_assert_no_error (runs[0].login.error);
  g_assert_true (g_str_has_prefix (burrow_db_login_result_get_server_version (runs[0].login.result), "PostgreSQL "));
  g_assert_no_error (runs[1].login.error);
  g_assert_nonnull (strstr (burrow_db_login_result_get_server_version (runs[1].login.result), "MariaDB"));
  g_assert_no_error (runs[2].login.error);
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (runs[2].login.result), "kept it open"));
  assert_good_error (runs[3].login.error, BURROW_DB_ERROR_TIMEOUT);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    login_clear (&runs[i].login);
}

/* Reachability, for the kinds without a login here */

static void
test_reachability_silent (void)
{
  g_autoptr(Server) server = server_new (SERVER_SILENT);
  BurrowDbLoginParams params = params_for_port (server->port);
  const BurrowDbKind kinds[] = {
    BURROW_DB_KIND_SQLSERVER, BURROW_DB_KIND_ORACLE, BURROW_DB_KIND_MONGODB,
    BURROW_DB_KIND_CLICKHOUSE, BURROW_DB_KIND_OTHER,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      Login login;

      run_login (kinds[i], &params, 0, NULL, &login);
      g_assert_no_error (login.error);
      g_assert_false (burrow_db_login_result_get_logged_in (login.result));
      g_assert_null (burrow_db_login_result_get_server_version (login.result));
      g_assert_null (burrow_db_login_result_get_query (login.result));
      g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result), "kept it open"));
      g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result), "no login was tried"));
      /* "Other" is no server's name. */
      if (kinds[i] == BURROW_DB_KIND_OTHER)
        g_assert_null (strstr (burrow_db_login_result_get_description (login.result), "Other"));
      g_test_message ("%s", burrow_db_login_result_get_description (login.result));
      login_clear (&login);
    }

  g_assert_cmpuint (server->accepted, ==, G_N_ELEMENTS (kinds));
}

static void
test_reachability_speaks_first (void)
{
  g_autoptr(Server) server = server_new (SERVER_SPEAKS);
  BurrowDbLoginParams params = params_for_port (server->port);
  Login login;

  /* Unknown kinds may well speak first. */
  run_login (BURROW_DB_KIND_OTHER, &params, 0, NULL, &login);
  g_assert_no_error (login.error);
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result),
                            "spoke first"));
  g_assert_nonnull (strstr (burrow_db_login_result_get_description (login.result),
                            "SSH-2.0-OpenSSH_9.2p1"));
  login_clear (&login);

  /* A SQL Server never does: this port belongs to something else. */
  run_login (BURROW_DB_KIND_SQLSERVER, &params, 0, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (login.error->message, "SSH-2.0"));
  login_clear (&login);
}

/* A MySQL client pointed at PostgreSQL waits for a greeting that never
 * comes; a PostgreSQL client pointed at MariaDB gets an answer it cannot
 * read. Neither may look like a password problem. */
static void
test_wrong_kind (void)
{
  BurrowDbLoginParams params = params_for (mariadb, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  Login login;

  run_login (BURROW_DB_KIND_POSTGRESQL, &params, 5000, NULL, &login);
  g_assert_nonnull (login.error);
  g_assert_true (g_error_matches (login.error, BURROW_DB_ERROR, BURROW_DB_ERROR_PROTOCOL) ||
                 g_error_matches (login.error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE));
  g_test_message ("%s", login.error->message);
  login_clear (&login);

  params = params_for (postgres, BURROW_TEST_DB_PASSWORD, BURROW_TEST_DB_NAME);
  run_login (BURROW_DB_KIND_MARIADB, &params, 300, NULL, &login);
  assert_good_error (login.error, BURROW_DB_ERROR_TIMEOUT);
  login_clear (&login);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);
  mariadb = burrow_test_mariadb_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/burrow/db-login/postgres/login", test_postgres_login);
  g_test_add_func ("/burrow/db-login/postgres/wrong-password", test_postgres_wrong_password);
  g_test_add_func ("/burrow/db-login/postgres/no-password", test_postgres_no_password);
  g_test_add_func ("/burrow/db-login/postgres/bad-parameters", test_postgres_bad_parameters);
  g_test_add_func ("/burrow/db-login/postgres/missing-database", test_postgres_missing_database);
  g_test_add_func ("/burrow/db-login/postgres/tls-required", test_postgres_tls_required);
  g_test_add_func ("/burrow/db-login/postgres/tls-host-name", test_postgres_tls_host_name);
  g_test_add_func ("/burrow/db-login/postgres/query-fails", test_postgres_query_fails);
  g_test_add_func ("/burrow/db-login/mariadb/login", test_mariadb_login);
  g_test_add_func ("/burrow/db-login/mariadb/wrong-password", test_mariadb_wrong_password);
  g_test_add_func ("/burrow/db-login/mariadb/missing-database", test_mariadb_missing_database);
  g_test_add_func ("/burrow/db-login/mariadb/blocking-auth", test_mariadb_blocking_auth);
  g_test_add_func ("/burrow/db-login/host-name", test_host_name);
  g_test_add_func ("/burrow/db-login/host-name/next-address", test_next_address);
  g_test_add_func ("/burrow/db-login/closed-port", test_closed_port);
  g_test_add_func ("/burrow/db-login/closing-port", test_closing_port);
  g_test_add_func ("/burrow/db-login/silent-port-times-out", test_silent_port_times_out);
  g_test_add_func ("/burrow/db-login/main-loop-runs-and-cancel", test_main_loop_runs_and_cancel);
  g_test_add_func ("/burrow/db-login/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/burrow/db-login/worker-thread", test_worker_thread);
  g_test_add_func ("/burrow/db-login/reachability/silent", test_reachability_silent);
  g_test_add_func ("/burrow/db-login/reachability/speaks-first", test_reachability_speaks_first);
  g_test_add_func ("/burrow/db-login/wrong-kind", test_wrong_kind);

  status = g_test_run ();

  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&mariadb, burrow_test_database_free);

  return status;
}
