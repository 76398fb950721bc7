/* burrow-db-login-postgres.c — the login to PostgreSQL and Redshift, through libpq.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PQconnectStartParams and PQconnectPoll, then PQsendQuery, each wait on
 * libpq's socket through the login's fd watch: nothing blocks. The
 * address is always numeric (hostaddr), so libpq never resolves a name.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "burrow-db-login-private.h"
#include "burrow-error.h"

typedef struct
{
  PGconn                    *conn;
  PostgresPollingStatusType  polling;
  gboolean                   connected;  /* TCP was up at least once */
  gboolean                   flushing;
  char                      *version;
  char                      *query_error;
} Postgres;

/* libpq's sslmode values. */
static const char *const tls_modes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL,
};

static Postgres *
state (BurrowDbLogin *self)
{
  return self->engine_state;
}

/* With verbose errors libpq writes a server's error as
 * "SEVERITY:  SQLSTATE: primary message", after its own prefix; the
 * SQLSTATE is what tells a wrong password from a missing database in any
 * server language. */
static gboolean
find_sqlstate (const char  *message,
               char         sqlstate[6],
               char       **primary)
{
  for (const char *p = strstr (message, ":  "); p != NULL; p = strstr (p + 1, ":  "))
    {
      const char *code = p + 3;
      const char *text;
      guint i;

      for (i = 0; i < 5; i++)
        if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
          break;

      if (i < 5 || code[5] != ':')
        continue;

      memcpy (sqlstate, code, 5);
      sqlstate[5] = '\0';
      text = code + 6;
      while (*text == ' ')
        text++;
      *primary = burrow_db_login_first_line (text);
      return TRUE;
    }

  return FALSE;
}

/* Whether libpq's message holds the C library's words for @code, the only
 * form in which libpq passes on why connect() failed. */
static gboolean
message_names_errno (const char *message,
                     int         code)
{
  return strstr (message, g_strerror (code)) != NULL;
}

static gboolean
tls_required (BurrowDbLogin *self)
{
  return self->tls_mode != NULL &&
         (g_str_equal (self->tls_mode, "require") ||
          g_str_equal (self->tls_mode, "verify-ca") ||
          g_str_equal (self->tls_mode, "verify-full"));
}

static GError *
server_error (BurrowDbLogin *self,
              const char    *sqlstate,
              const char    *primary)
{
  const char *user = self->user ? self->user : "";
  const char *kind = burrow_db_login_kind_name (self);
  GError *error = NULL;

  if (g_str_equal (sqlstate, "28P01"))
    return burrow_db_login_error_password_refused (self, _("Check the password stored for this connection. PostgreSQL gives the same answer for a user that does not exist, so check the user name too."));

  if (g_str_equal (sqlstate, "3D000"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_DATABASE_MISSING,
                        _("Check the database name: names are case-sensitive. The database owner can tell the exact name."),
                        _("There is no database “%s” on this server"),
                        self->database ? self->database : user);
      return error;
    }

  /* 28000 covers both an unknown role (under trust or cert methods) and a
   * pg_hba.conf that does not admit this client; only the text says which,
   * and only in English. */
  if (g_str_equal (sqlstate, "28000") &&
      strstr (primary, "role \"") != NULL && strstr (primary, "does not exist") != NULL)
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_USER_UNKNOWN,
                        _("Check the user name, or ask the database administrator to create the user."),
                        _("There is no user “%s” on this server"), user);
      return error;
    }

  if (g_str_equal (sqlstate, "28000") || g_str_equal (sqlstate, "42501"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_ACCESS_DENIED,
                        _("The server's access rules (pg_hba.conf and the database's CONNECT privilege) must admit this user, database and client address; through a tunnel the client address is the bastion's. Ask the database administrator."),
                        _("%s does not let user “%s” log in here: %s"),
                        kind, user, primary);
      return error;
    }

  if (g_str_equal (sqlstate, "57P03"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("The server is starting up, shutting down or recovering: try again in a moment."),
                        _("%s cannot accept logins now: %s"), kind, primary);
      return error;
    }

  if (g_str_equal (sqlstate, "53300"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("All connection slots are in use: close idle sessions or try again later."),
                        _("%s has too many connections: %s"), kind, primary);
      return error;
    }

  if (g_str_has_prefix (sqlstate, "08"))
    return burrow_db_login_error_not_this_kind (self, primary);

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                    _("%s refused the login: %s (SQLSTATE %s)"),
                    kind, primary, sqlstate);
  return error;
}

static void
fail_login (BurrowDbLogin  *self,
            ConnStatusType  status_before)
{
  Postgres *pg = state (self);
  const char *message = PQerrorMessage (pg->conn);
  const char *kind = burrow_db_login_kind_name (self);
  g_autofree char *primary = NULL;
  g_autofree char *line = NULL;
  char sqlstate[6];
  gboolean closed;
  GError *error = NULL;

  if (find_sqlstate (message, sqlstate, &primary))
    {
      burrow_db_login_fail (self, server_error (self, sqlstate, primary));
      return;
    }

  line = burrow_db_login_first_line (message);

  /* libpq's own authentication errors carry no SQLSTATE. */
  if (PQconnectionNeedsPassword (pg->conn))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PASSWORD_REFUSED,
                        _("Store the database password for this connection."),
                        _("%s asks for a password for user “%s”, and no password is stored"),
                        kind, self->user ? self->user : "");
      burrow_db_login_fail (self, error);
      return;
    }

  if (!pg->connected)
    {
      /* libpq gives the reason only as text, in which a refusal reads as
       * the C library's own words for ECONNREFUSED. A connect() that fails
       * at once ends PQconnectStartParams() already, hence the check of
       * the text whatever the status was. */
      gboolean refused = message_names_errno (message, ECONNREFUSED);

      if (status_before == CONNECTION_STARTED || refused ||
          message_names_errno (message, ENETUNREACH) ||
          message_names_errno (message, EHOSTUNREACH) ||
          message_names_errno (message, ENETDOWN) ||
          message_names_errno (message, EADDRNOTAVAIL))
        {
          if (!burrow_db_login_try_next_address (self))
            burrow_db_login_fail (self, refused ? burrow_db_login_error_refused (self)
                                                : burrow_db_login_error_connect_failed (self, line));
          return;
        }

      /* Nothing was sent: libpq did not accept the parameters. */
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Check the database host name and the TLS mode of this connection."),
                        _("The login to %s could not start: %s"), kind, line);
      burrow_db_login_fail (self, error);
      return;
    }

  /* libpq's own messages are translated; these checks only refine the
   * answer when they match, and the stage decides otherwise. */
  closed = strstr (message, "closed the connection unexpectedly") != NULL ||
           strstr (message, "Connection reset") != NULL ||
           strstr (message, "EOF") != NULL;

  if (!closed && tls_required (self) && status_before == CONNECTION_SSL_STARTUP)
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TLS,
                        _("Check that the server offers TLS and that its certificate is valid for the database host name (that name is checked, not 127.0.0.1). If the certificate is signed by a private authority, put that authority in ~/.postgresql/root.crt, or choose a TLS mode that checks less."),
                        _("The TLS connection to %s failed: %s"), kind, line);
      burrow_db_login_fail (self, error);
      return;
    }

  if (closed)
    {
      burrow_db_login_fail (self, burrow_db_login_error_closed (self));
      return;
    }

  if (status_before == CONNECTION_SSL_STARTUP || status_before == CONNECTION_AWAITING_RESPONSE)
    {
      burrow_db_login_fail (self, burrow_db_login_error_not_this_kind (self, line));
      return;
    }

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                    _("The login to %s failed: %s"), kind, line);
  burrow_db_login_fail (self, error);
}

static char *
describe_tls (BurrowDbLogin *self)
{
  if (!PQsslInUse (state (self)->conn))
    return g_strdup (_("without TLS"));

  if (g_strcmp0 (self->tls_mode, "verify-full") == 0)
    return g_strdup_printf (_("over TLS, certificate and host name “%s” verified"),
                            self->server_host ? self->server_host : self->address);

  if (g_strcmp0 (self->tls_mode, "verify-ca") == 0)
    return g_strdup (_("over TLS, certificate verified but not its host name"));

  return g_strdup (_("over TLS, certificate not verified"));
}

static void
succeed (BurrowDbLogin *self)
{
  Postgres *pg = state (self);
  g_autofree char *tls = describe_tls (self);
  g_autofree char *version = g_steal_pointer (&pg->version);

  burrow_db_login_succeed_logged_in (self, PQuser (pg->conn), PQdb (pg->conn), PQsslInUse (pg->conn),
                                     tls, version);
}

/* The first query */

static gboolean on_query_ready (int fd, GIOCondition condition, gpointer user_data);

static void
query_fail (BurrowDbLogin *self,
            const char    *message)
{
  burrow_db_login_fail (self, burrow_db_login_error_query_failed (self, message));
}

/* A server's error has a primary message; one libpq makes up itself (a
 * lost connection, say) has only the whole text. */
static char *
result_error (PGresult *result)
{
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  g_autofree char *line = NULL;

  if (primary != NULL && *primary != '\0')
    return g_strdup (primary);

  line = burrow_db_login_first_line (PQresultErrorMessage (result));
  if (*line != '\0')
    return g_steal_pointer (&line);

  return g_strdup (PQresStatus (PQresultStatus (result)));
}

static void
query_watch (BurrowDbLogin *self)
{
  Postgres *pg = state (self);
  int flushed = PQflush (pg->conn);

  if (flushed < 0)
    {
      query_fail (self, PQerrorMessage (pg->conn));
      return;
    }

  pg->flushing = flushed == 1;
  burrow_db_login_watch_fd (self, PQsocket (pg->conn),
                            pg->flushing ? G_IO_IN | G_IO_OUT : G_IO_IN,
                            on_query_ready);
}

static gboolean
on_query_ready (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  BurrowDbLogin *self = user_data;
  Postgres *pg = state (self);
  PGresult *result;

  if (!PQconsumeInput (pg->conn))
    {
      query_fail (self, PQerrorMessage (pg->conn));
      return G_SOURCE_CONTINUE;
    }

  if (pg->flushing)
    {
      query_watch (self);
      return G_SOURCE_CONTINUE;
    }

  while (!PQisBusy (pg->conn))
    {
      result = PQgetResult (pg->conn);
      if (result == NULL)
        {
          if (pg->query_error != NULL)
            query_fail (self, pg->query_error);
          else if (pg->version == NULL)
            query_fail (self, _("it returned no rows"));
          else
            succeed (self);
          return G_SOURCE_CONTINUE;
        }

      if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0 &&
          PQnfields (result) > 0 && pg->version == NULL)
        pg->version = g_strdup (PQgetvalue (result, 0, 0));
      else if (PQresultStatus (result) != PGRES_TUPLES_OK && pg->query_error == NULL)
        pg->query_error = result_error (result);

      PQclear (result);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_query (BurrowDbLogin *self)
{
  Postgres *pg = state (self);

  self->stage = BURROW_DB_LOGIN_STAGE_QUERY;
  self->query_started = g_get_monotonic_time ();

  if (PQsetnonblocking (pg->conn, 1) != 0 ||
      !PQsendQuery (pg->conn, burrow_db_kind_get_first_query (self->kind)))
    {
      query_fail (self, PQerrorMessage (pg->conn));
      return;
    }

  query_watch (self);
}

/* The login */

static gboolean on_connect_ready (int fd, GIOCondition condition, gpointer user_data);

static void
connect_watch (BurrowDbLogin *self)
{
  Postgres *pg = state (self);
  int fd = PQsocket (pg->conn);

  if (fd < 0)
    {
      fail_login (self, PQstatus (pg->conn));
      return;
    }

  burrow_db_login_watch_fd (self, fd,
                            pg->polling == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT,
                            on_connect_ready);
}

static gboolean
on_connect_ready (int           fd,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  BurrowDbLogin *self = user_data;
  Postgres *pg = state (self);
  ConnStatusType before = PQstatus (pg->conn);
  ConnStatusType after;

  pg->polling = PQconnectPoll (pg->conn);
  after = PQstatus (pg->conn);

  if (after != CONNECTION_STARTED && after != CONNECTION_NEEDED && after != CONNECTION_BAD)
    {
      pg->connected = TRUE;
      self->stage = BURROW_DB_LOGIN_STAGE_HANDSHAKE;
    }
  else if (after == CONNECTION_BAD && before != CONNECTION_STARTED && before != CONNECTION_NEEDED)
    {
      pg->connected = TRUE;
    }

  switch (pg->polling)
    {
    case PGRES_POLLING_FAILED:
      fail_login (self, before);
      break;

    case PGRES_POLLING_OK:
      self->login_done = g_get_monotonic_time ();
      start_query (self);
      break;

    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
    case PGRES_POLLING_ACTIVE:
    default:
      connect_watch (self);
      break;
    }

  return G_SOURCE_CONTINUE;
}

/* PostgreSQL 15's libpq has no sslrootcert=system: without a root.crt of
 * the user's own, verifying modes use the system's trusted authorities. */
static const char *
find_root_cert (void)
{
  g_autofree char *own = NULL;
  static const char *const bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
  };

  if (g_getenv ("PGSSLROOTCERT") != NULL)
    return NULL;

  own = g_build_filename (g_get_home_dir (), ".postgresql", "root.crt", NULL);
  if (g_file_test (own, G_FILE_TEST_EXISTS))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bundles); i++)
    if (g_file_test (bundles[i], G_FILE_TEST_EXISTS))
      return bundles[i];

  return NULL;
}

/* The engine */

/* libpq would refuse an unknown mode before connecting, in words that
 * read like a network problem. */
static gboolean
postgres_check (BurrowDbLogin  *self,
                GError        **error)
{
  if (self->tls_mode != NULL && !g_strv_contains (tls_modes, self->tls_mode))
    {
      burrow_set_error (error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Choose one of the TLS modes disable, allow, prefer, require, verify-ca or verify-full."),
                        _("“%s” is not a TLS mode %s knows"), self->tls_mode, burrow_db_login_kind_name (self));
      return FALSE;
    }

  return TRUE;
}

static void
postgres_start (BurrowDbLogin *self)
{
  Postgres *pg = g_new0 (Postgres, 1);
  g_autofree char *port = g_strdup_printf ("%u", self->port);
  const char *keys[16];
  const char *values[16];
  const char *root_cert;
  guint n = 0;

  self->engine_state = pg;

#define ADD(key, value) G_STMT_START { keys[n] = (key); values[n] = (value); n++; } G_STMT_END
  /* host is what TLS checks the certificate against; hostaddr is where the
   * bytes go, and being numeric it also keeps libpq from resolving names
   * (which would block). */
  ADD ("host", self->server_host ? self->server_host : self->address);
  ADD ("hostaddr", self->address);
  ADD ("port", port);
  if (self->database != NULL)
    ADD ("dbname", self->database);
  if (self->user != NULL)
    ADD ("user", self->user);
  if (self->password != NULL)
    ADD ("password", self->password);
  ADD ("sslmode", self->tls_mode ? self->tls_mode : "prefer");
  if (g_str_has_prefix (self->tls_mode ? self->tls_mode : "", "verify-") &&
      (root_cert = find_root_cert ()) != NULL)
    ADD ("sslrootcert", root_cert);
  /* GSSAPI may ask a Kerberos KDC from inside PQconnectPoll, blocking. */
  ADD ("gssencmode", "disable");
  ADD ("application_name", "Burrow");
  ADD ("client_encoding", "UTF8");
  keys[n] = NULL;
  values[n] = NULL;
#undef ADD
  g_assert (n < G_N_ELEMENTS (keys));

  pg->conn = PQconnectStartParams (keys, values, 0);
  if (pg->conn == NULL)
    {
      burrow_db_login_fail (self, g_error_new_literal (BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                                                       _("Out of memory")));
      return;
    }

  PQsetErrorVerbosity (pg->conn, PQERRORS_VERBOSE);

  if (PQstatus (pg->conn) == CONNECTION_BAD)
    {
      fail_login (self, CONNECTION_BAD);
      return;
    }

  /* As libpq asks: behave as if PQconnectPoll had said "writing". */
  pg->polling = PGRES_POLLING_WRITING;
  connect_watch (self);
}

static void
postgres_stop (BurrowDbLogin *self)
{
  Postgres *pg = g_steal_pointer (&self->engine_state);

  g_clear_pointer (&pg->conn, PQfinish);
  g_free (pg->version);
  g_free (pg->query_error);
  g_free (pg);
}

const BurrowDbLoginEngine burrow_db_login_postgres_engine = {
  .check = postgres_check,
  .start = postgres_start,
  .stop = postgres_stop,
};
