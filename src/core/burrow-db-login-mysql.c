/* burrow-db-login-mysql.c — the login to MySQL and MariaDB, through Connector/C.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connector/C's non-blocking API: each call starts, says what it waits
 * for (read, write, a timer), and is resumed when that came, through the
 * login's fd watch and a timer on the login's context.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "burrow-db-login-private.h"
#include "burrow-error.h"
#include "burrow-source.h"

typedef enum
{
  CALL_CONNECT,
  CALL_QUERY,
  CALL_STORE,
} Call;

typedef struct
{
  MYSQL     *conn;
  Call       call;
  int        status;       /* what Connector/C waits for; 0: idle */
  MYSQL     *connect_ret;
  int        query_ret;
  MYSQL_RES *result;
  guint      timer;
} Mysql;

/* The authentication plugins that only exchange packets with the server.
 * The others wait outside Connector/C's non-blocking loop, blocking the
 * main loop: auth_gssapi_client asks a Kerberos KDC, dialog prompts on the
 * terminal. mysql_clear_password is left out too: it would hand the
 * password, unencrypted, to whatever answers on this port. */
#define ALLOWED_AUTH "mysql_native_password,caching_sha2_password,sha256_password,client_ed25519"

static void call_continue (BurrowDbLogin *self,
                           int            status);

static Mysql *
state (BurrowDbLogin *self)
{
  return self->engine_state;
}

static gpointer
init_library (gpointer data)
{
  /* Not thread-safe, and mysql_init() would call it on every first use. */
  mysql_library_init (0, NULL, NULL);
  return NULL;
}

static int
resume (Mysql *my,
        int    ready)
{
  switch (my->call)
    {
    case CALL_CONNECT:
      return mysql_real_connect_cont (&my->connect_ret, my->conn, ready);

    case CALL_QUERY:
      return mysql_real_query_cont (&my->query_ret, my->conn, ready);

    case CALL_STORE:
      return mysql_store_result_cont (&my->result, my->conn, ready);

    default:
      g_assert_not_reached ();
    }
}

/* Connector/C ends a failed connect()'s message with the errno in
 * parentheses, "Can't connect to server on '…' (111)"; 0 when it does not. */
static int
connect_errno (const char *message)
{
  const char *open = strrchr (message, '(');
  char *end = NULL;
  gint64 code;

  if (open == NULL)
    return 0;

  code = g_ascii_strtoll (open + 1, &end, 10);
  if (end == open + 1 || *end != ')' || code <= 0 || code > G_MAXINT)
    return 0;

  return (int) code;
}

static GError *
login_error (BurrowDbLogin *self)
{
  Mysql *my = state (self);
  unsigned int code = mysql_errno (my->conn);
  g_autofree char *message = burrow_db_login_first_line (mysql_error (my->conn));
  const char *user = self->user ? self->user : "";
  const char *kind = burrow_db_login_kind_name (self);
  GError *error = NULL;

  switch (code)
    {
    case ER_ACCESS_DENIED_ERROR:
      return burrow_db_login_error_password_refused (self, _("Check the password stored for this connection. MySQL and MariaDB give the same answer for a user that does not exist, or that may not log in from this client's address (through a tunnel: the bastion's), so check the user name and its host part too."));

    case ER_BAD_DB_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
      /* The server only admits that a database exists to users with rights
       * on it, so the two cases look alike on purpose. */
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_DATABASE_MISSING,
                        _("Check the database name (names are case-sensitive on most servers). If it is right, ask the database administrator to grant this user access to it."),
                        _("%s has no database “%s” that user “%s” may use"),
                        kind, self->database ? self->database : "", user);
      return error;

    case ER_HOST_NOT_PRIVILEGED:
    case ER_HOST_IS_BLOCKED:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_ACCESS_DENIED,
                        _("The server sees the client's address (through a tunnel: the bastion's), and the user's host part must admit it, e.g. 'user'@'%'. Ask the database administrator."),
                        _("%s does not accept connections from this address: %s"),
                        kind, message);
      return error;

    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
      if (self->stage != BURROW_DB_LOGIN_STAGE_CONNECT)
        return burrow_db_login_error_closed (self);
      if (connect_errno (mysql_error (my->conn)) == ECONNREFUSED)
        return burrow_db_login_error_refused (self);
      return burrow_db_login_error_connect_failed (self, message);

    case CR_SERVER_LOST:
    case CR_SERVER_GONE_ERROR:
    case CR_ERR_NET_READ:
      return burrow_db_login_error_closed (self);

    case CR_SSL_CONNECTION_ERROR:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TLS,
                        _("Check the server's TLS set-up and certificate."),
                        _("The TLS connection to %s failed: %s"), kind, message);
      return error;

    case CR_PLUGIN_NOT_ALLOWED:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("This user logs in with a method that could make Burrow wait (a prompt, or a Kerberos server) or that sends the password unencrypted. Log in with the database's own client through the tunnel instead."),
                        _("%s asks user “%s” for an authentication method that Burrow does not use for its check"),
                        kind, user);
      return error;

    case CR_VERSION_ERROR:
    case CR_MALFORMED_PACKET:
    case CR_SERVER_HANDSHAKE_ERR:
      return burrow_db_login_error_not_this_kind (self, message);

    default:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                        _("The login to %s failed: %s (error %u)"),
                        kind, message, code);
      return error;
    }
}

static gboolean
on_ready (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  BurrowDbLogin *self = user_data;
  Mysql *my = state (self);
  int ready = 0;

  if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    ready = my->status & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE | MYSQL_WAIT_EXCEPT);
  if (condition & G_IO_IN)
    ready |= MYSQL_WAIT_READ;
  if (condition & G_IO_OUT)
    ready |= MYSQL_WAIT_WRITE;
  if (condition & G_IO_PRI)
    ready |= MYSQL_WAIT_EXCEPT;

  call_continue (self, resume (my, ready));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timer (gpointer user_data)
{
  BurrowDbLogin *self = user_data;
  Mysql *my = state (self);

  my->timer = 0;
  call_continue (self, resume (my, MYSQL_WAIT_TIMEOUT));
  return G_SOURCE_REMOVE;
}

static void
call_done (BurrowDbLogin *self)
{
  Mysql *my = state (self);
  const char *query = burrow_db_kind_get_first_query (self->kind);
  gboolean tls;
  MYSQL_ROW row;

  switch (my->call)
    {
    case CALL_CONNECT:
      if (my->connect_ret == NULL)
        {
          unsigned int code = mysql_errno (my->conn);

          if (self->stage == BURROW_DB_LOGIN_STAGE_CONNECT &&
              (code == CR_CONN_HOST_ERROR || code == CR_CONNECTION_ERROR) &&
              burrow_db_login_try_next_address (self))
            return;

          burrow_db_login_fail (self, login_error (self));
          return;
        }
      self->login_done = g_get_monotonic_time ();
      self->stage = BURROW_DB_LOGIN_STAGE_QUERY;
      self->query_started = self->login_done;
      my->call = CALL_QUERY;
      call_continue (self, mysql_real_query_start (&my->query_ret, my->conn, query, strlen (query)));
      return;

    case CALL_QUERY:
      if (my->query_ret != 0)
        break;
      my->call = CALL_STORE;
      call_continue (self, mysql_store_result_start (&my->result, my->conn));
      return;

    case CALL_STORE:
      if (my->result == NULL)
        break;
      /* A stored result is in memory: fetching never waits. */
      row = mysql_fetch_row (my->result);
      if (row == NULL || row[0] == NULL)
        break;
      tls = mysql_get_ssl_cipher (my->conn) != NULL;
      burrow_db_login_succeed_logged_in (self, self->user, self->database, tls,
                                         tls ? _("over TLS") : _("without TLS"), row[0]);
      return;

    default:
      g_assert_not_reached ();
    }

  {
    unsigned int code = mysql_errno (my->conn);
    const char *message = mysql_error (my->conn);

    /* Connector/C sets no error when the query simply gave nothing. */
    if (code == CR_SERVER_LOST || code == CR_SERVER_GONE_ERROR)
      message = _("the server closed the connection");
    else if (message == NULL || *message == '\0')
      message = _("it returned no rows");
    burrow_db_login_fail (self, burrow_db_login_error_query_failed (self, message));
  }
}

static void
call_continue (BurrowDbLogin *self,
               int            status)
{
  Mysql *my = state (self);
  GIOCondition condition = 0;

  my->status = status;
  burrow_source_clear (self->context, &my->timer);

  if (status == 0)
    {
      burrow_db_login_clear_io (self);
      call_done (self);
      return;
    }

  /* Connector/C waits to write while the TCP connection is being made,
   * and to read once it waits for the server's greeting. */
  if ((status & MYSQL_WAIT_READ) && self->stage == BURROW_DB_LOGIN_STAGE_CONNECT)
    self->stage = BURROW_DB_LOGIN_STAGE_HANDSHAKE;

  if (status & MYSQL_WAIT_READ)
    condition |= G_IO_IN;
  if (status & MYSQL_WAIT_WRITE)
    condition |= G_IO_OUT;
  if (status & MYSQL_WAIT_EXCEPT)
    condition |= G_IO_PRI;

  if (condition != 0)
    burrow_db_login_watch_fd (self, mysql_get_socket (my->conn), condition, on_ready);
  else
    burrow_db_login_clear_io (self);

  if (status & MYSQL_WAIT_TIMEOUT)
    my->timer = burrow_source_attach (self->context,
                                      g_timeout_source_new (mysql_get_timeout_value_ms (my->conn)),
                                      on_timer, self);
}

/* The engine */

static void
mysql_start (BurrowDbLogin *self)
{
  static GOnce library_once = G_ONCE_INIT;
  Mysql *my = g_new0 (Mysql, 1);
  unsigned int protocol = MYSQL_PROTOCOL_TCP;

  self->engine_state = my;
  g_once (&library_once, init_library, NULL);

  my->conn = mysql_init (NULL);
  if (my->conn == NULL)
    {
      burrow_db_login_fail (self, g_error_new_literal (BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                                                       _("Out of memory")));
      return;
    }

  mysql_optionsv (my->conn, MYSQL_OPT_NONBLOCK, 0);
  /* Never a Unix socket, whatever the host is called. */
  mysql_optionsv (my->conn, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv (my->conn, MARIADB_OPT_RESTRICTED_AUTH, ALLOWED_AUTH);

  my->call = CALL_CONNECT;
  call_continue (self, mysql_real_connect_start (&my->connect_ret, my->conn,
                                                 self->address, self->user,
                                                 self->password ? self->password : "",
                                                 self->database, self->port, NULL, 0));
}

/* Connector/C cannot drop a connection in the middle of a non-blocking
 * call; shutting the socket down makes the call fail at once, and then
 * mysql_close() has nothing left to wait for. */
static void
mysql_stop (BurrowDbLogin *self)
{
  Mysql *my = g_steal_pointer (&self->engine_state);

  burrow_source_clear (self->context, &my->timer);

  if (my->conn != NULL && my->status != 0)
    {
      int fd = mysql_get_socket (my->conn);

      if (fd >= 0)
        shutdown (fd, SHUT_RDWR);

      for (guint i = 0; my->status != 0 && i < 16; i++)
        my->status = resume (my, my->status);
    }

  g_clear_pointer (&my->result, mysql_free_result);
  g_clear_pointer (&my->conn, mysql_close);
  g_free (my);
}

const BurrowDbLoginEngine burrow_db_login_mysql_engine = {
  .start = mysql_start,
  .stop = mysql_stop,
};
