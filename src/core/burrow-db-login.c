/* burrow-db-login.c — log in to a database and run a first query, without blocking.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One check is a GTask whose task data is a Login. Every wait is a GLib
 * source on the caller's main context: a file-descriptor source on the
 * client library's socket (libpq, Connector/C), or GIO's own async calls
 * for the reachability check. Whatever ends the check first (success, an
 * error, the timeout, the cancellable) tears everything down at once, so
 * nothing of a finished check can call back later.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libpq-fe.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "burrow-db-login.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-secret-store.h"

struct _BurrowDbLoginResult
{
  BurrowDbKind  kind;
  gboolean      logged_in;
  gboolean      tls;
  char         *server_version;
  char         *query;
  char         *description;
  gint64        login_usec;
  gint64        query_usec;
};

G_DEFINE_BOXED_TYPE (BurrowDbLoginResult, burrow_db_login_result,
                     burrow_db_login_result_ref, burrow_db_login_result_unref)

G_DEFINE_QUARK (burrow-db-error-quark, burrow_db_error)

/* How long the reachability check waits for a server that may speak first
 * before taking an open, silent connection as the answer. */
#define LISTEN_WINDOW_MS 500

typedef enum
{
  STEP_RESOLVE,
  STEP_CONNECT,    /* TCP */
  STEP_HANDSHAKE,  /* the database protocol, TLS and authentication */
  STEP_QUERY,
  STEP_LISTEN,     /* reachability: does the server speak, hang up, or wait? */
} Step;

typedef enum
{
  MY_CALL_CONNECT,
  MY_CALL_QUERY,
  MY_CALL_STORE,
} MyCall;

typedef struct
{
  BurrowDbKind   kind;
  char          *connect_host;
  char          *server_host;
  char          *database;
  char          *user;
  char          *password;
  char          *tls_mode;
  guint16        port;
  guint          timeout_ms;

  GMainContext  *context;
  GCancellable  *io_cancellable;  /* ends our own GIO calls when the check ends */
  GSource       *timeout_source;
  GSource       *cancel_source;
  GSource       *io_source;
  int            io_fd;
  GIOCondition   io_condition;
  GUnixFDSourceFunc io_func;
  gboolean       done;
  Step           step;
  char          *address;         /* the numeric address connected to */
  GPtrArray     *addresses;       /* all a name resolved to, tried in turn */
  guint          address_index;
  gint64         started;
  gint64         login_done;
  gint64         query_started;

  PGconn                    *pg;
  PostgresPollingStatusType  pg_polling;
  gboolean                   pg_connected;  /* TCP was up at least once */
  gboolean                   pg_flushing;
  char                      *pg_version;
  char                      *pg_query_error;

  MYSQL         *my;
  MyCall         my_call;
  int            my_status;       /* what Connector/C waits for; 0: idle */
  MYSQL         *my_connect_ret;
  int            my_query_ret;
  MYSQL_RES     *my_result;
  GSource       *my_timer;

  GSocketConnection *connection;
  guint8             buffer[256];
  GSource           *listen_timer;
} Login;

static void login_fail      (GTask  *task,
                             GError *error);
static void login_start     (GTask  *task);
static void login_connect   (GTask  *task);
static void pg_start        (GTask  *task);
static void my_start        (GTask  *task);
static void listen_start    (GTask  *task);

/* Helpers */

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

static const char *
kind_name (Login *self)
{
  return burrow_db_kind_get_display_name (self->kind);
}

static gboolean
kind_is_postgresql (BurrowDbKind kind)
{
  return kind == BURROW_DB_KIND_POSTGRESQL || kind == BURROW_DB_KIND_REDSHIFT;
}

static char *
format_endpoint (Login *self)
{
  return burrow_format_host_port (self->address ? self->address : self->connect_host,
                                  self->port);
}

static char *
format_seconds (guint ms)
{
  return g_strdup_printf ("%.1f", ms / 1000.0);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
login_clear_io (Login *self)
{
  clear_source (&self->io_source);
  self->io_fd = -1;
  self->io_condition = 0;
  self->io_func = NULL;
}

/* Waits for @condition on @fd, keeping the current source when nothing
 * changed. Client libraries may move to a new socket between two calls
 * (libpq retries without TLS, for one), so the source follows the fd. */
static void
login_watch_fd (GTask             *task,
                int                fd,
                GIOCondition       condition,
                GUnixFDSourceFunc  func)
{
  Login *self = g_task_get_task_data (task);

  if (self->io_source != NULL && self->io_fd == fd && self->io_condition == condition &&
      self->io_func == func)
    return;

  login_clear_io (self);
  self->io_fd = fd;
  self->io_condition = condition;
  self->io_func = func;
  self->io_source = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (self->io_source, (GSourceFunc) func, task, NULL);
  g_source_attach (self->io_source, self->context);
}

static void
login_free (Login *self)
{
  g_assert (self->pg == NULL && self->my == NULL);

  g_clear_object (&self->io_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->connect_host);
  g_free (self->server_host);
  g_free (self->database);
  g_free (self->user);
  g_clear_pointer (&self->password, burrow_secret_wipe_free);
  g_free (self->tls_mode);
  g_free (self->address);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_free (self->pg_version);
  g_free (self->pg_query_error);
  g_free (self);
}

static int
my_resume (Login *self,
           int    ready)
{
  switch (self->my_call)
    {
    case MY_CALL_CONNECT:
      return mysql_real_connect_cont (&self->my_connect_ret, self->my, ready);

    case MY_CALL_QUERY:
      return mysql_real_query_cont (&self->my_query_ret, self->my, ready);

    case MY_CALL_STORE:
      return mysql_store_result_cont (&self->my_result, self->my, ready);

    default:
      g_assert_not_reached ();
    }
}

/* Connector/C cannot drop a connection in the middle of a non-blocking
 * call; shutting the socket down makes the call fail at once, and then
 * mysql_close() has nothing left to wait for. */
static void
my_close (Login *self)
{
  if (self->my_status != 0)
    {
      int fd = mysql_get_socket (self->my);

      if (fd >= 0)
        shutdown (fd, SHUT_RDWR);

      for (guint i = 0; self->my_status != 0 && i < 16; i++)
        self->my_status = my_resume (self, self->my_status);
    }

  g_clear_pointer (&self->my_result, mysql_free_result);
  g_clear_pointer (&self->my, mysql_close);
}

static void
login_teardown (Login *self)
{
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->my_timer);
  clear_source (&self->listen_timer);
  login_clear_io (self);
  g_cancellable_cancel (self->io_cancellable);

  g_clear_pointer (&self->pg, PQfinish);
  if (self->my != NULL)
    my_close (self);

  /* A pending read still holds the stream; it ends with the cancellable. */
  g_clear_object (&self->connection);
}

/* Takes @error; drops the reference the running check holds on @task. */
static void
login_fail (GTask  *task,
            GError *error)
{
  Login *self = g_task_get_task_data (task);

  if (self->done)
    {
      g_error_free (error);
      return;
    }

  self->done = TRUE;
  login_teardown (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
login_succeed (GTask      *task,
               gboolean    logged_in,
               gboolean    tls,
               const char *server_version,
               const char *query,
               char       *description)
{
  Login *self = g_task_get_task_data (task);
  BurrowDbLoginResult *result;
  gint64 now = g_get_monotonic_time ();

  g_assert (!self->done);

  result = g_atomic_rc_box_new0 (BurrowDbLoginResult);
  result->kind = self->kind;
  result->logged_in = logged_in;
  result->tls = tls;
  result->server_version = g_strdup (server_version);
  result->query = g_strdup (query);
  result->description = description;
  result->login_usec = (self->login_done ? self->login_done : now) - self->started;
  result->query_usec = query != NULL ? now - self->query_started : 0;

  self->done = TRUE;
  login_teardown (self);
  g_task_return_pointer (task, result, (GDestroyNotify) burrow_db_login_result_unref);
  g_object_unref (task);
}

/* Errors shared by every kind */

static GError *
error_refused (Login *self)
{
  g_autofree char *endpoint = format_endpoint (self);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                    _("Check the host and the port, and that the database server is running and listens on that address."),
                    _("Nothing accepts connections at %s"), endpoint);
  return error;
}

/* A TCP connection that failed for another reason than a refusal: the
 * client library's own words (no route, network down, …) say which. */
static GError *
error_connect_failed (Login      *self,
                      const char *detail)
{
  g_autofree char *endpoint = format_endpoint (self);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                    _("Check the host, the port, and this computer's network."),
                    _("Could not connect to %s: %s"), endpoint, detail);
  return error;
}

static GError *
error_closed (Login *self)
{
  g_autofree char *endpoint = format_endpoint (self);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  if (self->kind == BURROW_DB_KIND_OTHER)
    hint = g_strdup (_("Through an SSH tunnel this means the bastion could not reach the database: check the database host and port as seen from the bastion, and the firewall or security group in front of the database. Without a tunnel, check that the database server listens on this port."));
  else
    hint = g_strdup_printf (_("Through an SSH tunnel this means the bastion could not reach the database: check the database host and port as seen from the bastion, and the firewall or security group in front of the database. Without a tunnel, check that %s listens on this port."),
                            kind_name (self));
  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE, hint,
                    _("The connection to %s was closed before the database answered"),
                    endpoint);
  return error;
}

static GError *
error_not_this_kind (Login      *self,
                     const char *detail)
{
  g_autofree char *endpoint = format_endpoint (self);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  hint = g_strdup_printf (_("Check the port and the database kind of this connection: %s does not seem to listen on this port."),
                          kind_name (self));
  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PROTOCOL, hint,
                    _("The server at %s does not answer like %s (%s)"),
                    endpoint, kind_name (self), detail);
  return error;
}

static GError *
error_timeout (Login *self)
{
  g_autofree char *endpoint = format_endpoint (self);
  g_autofree char *seconds = format_seconds (self->timeout_ms);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  switch (self->step)
    {
    case STEP_RESOLVE:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("Check the host name and that this computer's name service (DNS) works."),
                        _("The name “%s” did not resolve within %s s"),
                        self->connect_host, seconds);
      break;

    case STEP_CONNECT:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("A firewall may drop the packets: check the host, the port, and the firewall or security group in front of the database."),
                        _("%s did not accept a connection within %s s"),
                        endpoint, seconds);
      break;

    case STEP_HANDSHAKE:
      hint = g_strdup_printf (_("Check that %s listens on this port, not another service, and that the server is not overloaded."),
                              kind_name (self));
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT, hint,
                        _("%s accepted the connection but did not complete the login within %s s"),
                        endpoint, seconds);
      break;

    case STEP_QUERY:
    default:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("The server may be overloaded, or the query may wait for a lock: try again later."),
                        _("The first query (%s) got no answer within %s s"),
                        burrow_db_kind_get_first_query (self->kind), seconds);
      break;
    }

  return error;
}

static GError *
error_password_refused (Login      *self,
                        const char *hint)
{
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PASSWORD_REFUSED, hint,
                    _("%s refused the password for user “%s”"),
                    kind_name (self), self->user ? self->user : "");
  return error;
}

/* The first line of a client library's message, for a cause, without
 * libpq's "connection to server at …, port … failed: " prefix, which the
 * cause already says in its own words. */
static char *
first_line (const char *message)
{
  g_autofree char *copy = g_strdup (message ? message : "");
  char *newline = strchr (copy, '\n');
  char *text = copy;
  char *failed;

  if (newline != NULL)
    *newline = '\0';

  if (g_str_has_prefix (text, "connection to server ") &&
      (failed = strstr (text, " failed: ")) != NULL)
    text = failed + strlen (" failed: ");

  return g_strdup (g_strstrip (text));
}

static GError *
error_query_failed (Login      *self,
                    const char *detail)
{
  g_autofree char *line = first_line (detail);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_QUERY_FAILED,
                    _("The login worked, so the connection is right; ask the database administrator about the error."),
                    _("%s accepted the login but the first query (%s) failed: %s"),
                    kind_name (self), burrow_db_kind_get_first_query (self->kind), line);
  return error;
}

/* Ends the check with a real login; @tls_text says how TLS went. */
static void
login_succeed_logged_in (GTask      *task,
                         const char *user,
                         const char *database,
                         gboolean    tls,
                         const char *tls_text,
                         const char *server_version)
{
  Login *self = g_task_get_task_data (task);
  g_autofree char *endpoint = format_endpoint (self);
  const char *query = burrow_db_kind_get_first_query (self->kind);
  char *description;

  description = g_strdup_printf (_("Logged in to %s at %s as user “%s” to database “%s”, %s, and ran %s."),
                                 kind_name (self), endpoint, user ? user : "",
                                 database ? database : "", tls_text, query);
  login_succeed (task, TRUE, tls, server_version, query, description);
}

/* Ends a reachability check whose server kept the connection open without
 * a word, as servers that wait for their client do. */
static void
login_succeed_kept_open (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  g_autofree char *endpoint = format_endpoint (self);
  double seconds = (g_get_monotonic_time () - self->login_done) / (double) G_USEC_PER_SEC;
  char *description;

  if (self->kind == BURROW_DB_KIND_OTHER)
    description = g_strdup_printf (_("%s accepted a TCP connection and kept it open for %.1f s without closing it; no login was tried."),
                                   endpoint, seconds);
  else
    description = g_strdup_printf (_("%s accepted a TCP connection and kept it open for %.1f s without closing it, as %s servers do while they wait for the client; no login was tried."),
                                   endpoint, seconds, kind_name (self));
  login_succeed (task, FALSE, FALSE, NULL, NULL, description);
}

/* Timeout and cancellation */

static gboolean
on_login_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);

  /* A server still silent at the deadline is the reachability check's
   * "kept the connection open" answer, not a failure. */
  if (self->step == STEP_LISTEN)
    {
      login_succeed_kept_open (task);
      return G_SOURCE_REMOVE;
    }

  login_fail (task, error_timeout (self));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancellable_cancelled (GCancellable *cancellable,
                          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  login_fail (task, error);
  return G_SOURCE_REMOVE;
}

/* Name resolution, once for every kind: the client libraries would call
 * getaddrinfo() and block, and one list of addresses serves every check */

static void
on_resolver_lookup (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *self = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (self->done)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  if (addresses == NULL)
    {
      GError *login_error = NULL;

      burrow_set_error (&login_error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                        _("Check the spelling of the host name, and this computer's network and name service (DNS)."),
                        _("The name “%s” does not resolve: %s"),
                        self->connect_host, error->message);
      login_fail (task, login_error);
      return;
    }

  self->addresses = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (self->addresses, g_inet_address_to_string (l->data));
  g_resolver_free_addresses (addresses);

  self->address = g_strdup (g_ptr_array_index (self->addresses, 0));
  login_connect (task);
}

/* A name such as "localhost" may give ::1 first to a server that listens
 * on 127.0.0.1 only: a refused connection moves on to the next address. */
static gboolean
login_try_next_address (GTask *task)
{
  Login *self = g_task_get_task_data (task);

  if (self->addresses == NULL || self->address_index + 1 >= self->addresses->len)
    return FALSE;

  self->address_index++;
  g_free (self->address);
  self->address = g_strdup (g_ptr_array_index (self->addresses, self->address_index));

  login_clear_io (self);
  g_clear_pointer (&self->pg, PQfinish);
  self->pg_connected = FALSE;
  if (self->my != NULL)
    my_close (self);

  login_connect (task);
  return TRUE;
}

/* PostgreSQL and Redshift */

/* With verbose errors libpq writes a server's error as
 * "SEVERITY:  SQLSTATE: primary message", after its own prefix; the
 * SQLSTATE is what tells a wrong password from a missing database in any
 * server language. */
static gboolean
pg_find_sqlstate (const char  *message,
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
      *primary = first_line (text);
      return TRUE;
    }

  return FALSE;
}

/* Whether libpq's message holds the C library's words for @code, the only
 * form in which libpq passes on why connect() failed. */
static gboolean
pg_message_names_errno (const char *message,
                        int         code)
{
  return strstr (message, g_strerror (code)) != NULL;
}

/* libpq's sslmode values. */
static const char *const pg_tls_modes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL,
};

static gboolean
pg_tls_required (Login *self)
{
  return self->tls_mode != NULL &&
         (g_str_equal (self->tls_mode, "require") ||
          g_str_equal (self->tls_mode, "verify-ca") ||
          g_str_equal (self->tls_mode, "verify-full"));
}

static GError *
pg_server_error (Login      *self,
                 const char *sqlstate,
                 const char *primary)
{
  const char *user = self->user ? self->user : "";
  GError *error = NULL;

  if (g_str_equal (sqlstate, "28P01"))
    return error_password_refused (self, _("Check the password stored for this connection. PostgreSQL gives the same answer for a user that does not exist, so check the user name too."));

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
                        kind_name (self), user, primary);
      return error;
    }

  if (g_str_equal (sqlstate, "57P03"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("The server is starting up, shutting down or recovering: try again in a moment."),
                        _("%s cannot accept logins now: %s"), kind_name (self), primary);
      return error;
    }

  if (g_str_equal (sqlstate, "53300"))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("All connection slots are in use: close idle sessions or try again later."),
                        _("%s has too many connections: %s"), kind_name (self), primary);
      return error;
    }

  if (g_str_has_prefix (sqlstate, "08"))
    return error_not_this_kind (self, primary);

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                    _("%s refused the login: %s (SQLSTATE %s)"),
                    kind_name (self), primary, sqlstate);
  return error;
}

static void
pg_fail_login (GTask          *task,
               ConnStatusType  status_before)
{
  Login *self = g_task_get_task_data (task);
  const char *message = PQerrorMessage (self->pg);
  g_autofree char *primary = NULL;
  g_autofree char *line = NULL;
  char sqlstate[6];
  gboolean closed;
  GError *error = NULL;

  if (pg_find_sqlstate (message, sqlstate, &primary))
    {
      login_fail (task, pg_server_error (self, sqlstate, primary));
      return;
    }

  line = first_line (message);

  /* libpq's own authentication errors carry no SQLSTATE. */
  if (PQconnectionNeedsPassword (self->pg))
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PASSWORD_REFUSED,
                        _("Store the database password for this connection."),
                        _("%s asks for a password for user “%s”, and no password is stored"),
                        kind_name (self), self->user ? self->user : "");
      login_fail (task, error);
      return;
    }

  if (!self->pg_connected)
    {
      /* libpq gives the reason only as text, in which a refusal reads as
       * the C library's own words for ECONNREFUSED. A connect() that fails
       * at once ends PQconnectStartParams() already, hence the check of
       * the text whatever the status was. */
      gboolean refused = pg_message_names_errno (message, ECONNREFUSED);

      if (status_before == CONNECTION_STARTED || refused ||
          pg_message_names_errno (message, ENETUNREACH) ||
          pg_message_names_errno (message, EHOSTUNREACH) ||
          pg_message_names_errno (message, ENETDOWN) ||
          pg_message_names_errno (message, EADDRNOTAVAIL))
        {
          if (!login_try_next_address (task))
            login_fail (task, refused ? error_refused (self) : error_connect_failed (self, line));
          return;
        }

      /* Nothing was sent: libpq did not accept the parameters. */
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Check the database host name and the TLS mode of this connection."),
                        _("The login to %s could not start: %s"), kind_name (self), line);
      login_fail (task, error);
      return;
    }

  /* libpq's own messages are translated; these checks only refine the
   * answer when they match, and the stage decides otherwise. */
  closed = strstr (message, "closed the connection unexpectedly") != NULL ||
           strstr (message, "Connection reset") != NULL ||
           strstr (message, "EOF") != NULL;

  if (!closed && pg_tls_required (self) && status_before == CONNECTION_SSL_STARTUP)
    {
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TLS,
                        _("Check that the server offers TLS and that its certificate is valid for the database host name (that name is checked, not 127.0.0.1). If the certificate is signed by a private authority, put that authority in ~/.postgresql/root.crt, or choose a TLS mode that checks less."),
                        _("The TLS connection to %s failed: %s"), kind_name (self), line);
      login_fail (task, error);
      return;
    }

  if (closed)
    {
      login_fail (task, error_closed (self));
      return;
    }

  if (status_before == CONNECTION_SSL_STARTUP || status_before == CONNECTION_AWAITING_RESPONSE)
    {
      login_fail (task, error_not_this_kind (self, line));
      return;
    }

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                    _("The login to %s failed: %s"), kind_name (self), line);
  login_fail (task, error);
}

static char *
pg_describe_tls (Login *self)
{
  if (!PQsslInUse (self->pg))
    return g_strdup (_("without TLS"));

  if (g_strcmp0 (self->tls_mode, "verify-full") == 0)
    return g_strdup_printf (_("over TLS, certificate and host name “%s” verified"),
                            self->server_host ? self->server_host : self->address);

  if (g_strcmp0 (self->tls_mode, "verify-ca") == 0)
    return g_strdup (_("over TLS, certificate verified but not its host name"));

  return g_strdup (_("over TLS, certificate not verified"));
}

static void
pg_succeed (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  g_autofree char *tls = pg_describe_tls (self);
  g_autofree char *version = g_steal_pointer (&self->pg_version);

  login_succeed_logged_in (task, PQuser (self->pg), PQdb (self->pg), PQsslInUse (self->pg),
                           tls, version);
}

static gboolean on_pg_query_ready (int fd, GIOCondition condition, gpointer user_data);

static void
pg_query_fail (GTask      *task,
               const char *message)
{
  login_fail (task, error_query_failed (g_task_get_task_data (task), message));
}

/* A server's error has a primary message; one libpq makes up itself (a
 * lost connection, say) has only the whole text. */
static char *
pg_result_error (PGresult *result)
{
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  g_autofree char *line = NULL;

  if (primary != NULL && *primary != '\0')
    return g_strdup (primary);

  line = first_line (PQresultErrorMessage (result));
  if (*line != '\0')
    return g_steal_pointer (&line);

  return g_strdup (PQresStatus (PQresultStatus (result)));
}

static void
pg_query_watch (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  int flushed = PQflush (self->pg);

  if (flushed < 0)
    {
      pg_query_fail (task, PQerrorMessage (self->pg));
      return;
    }

  self->pg_flushing = flushed == 1;
  login_watch_fd (task, PQsocket (self->pg),
                  self->pg_flushing ? G_IO_IN | G_IO_OUT : G_IO_IN,
                  on_pg_query_ready);
}

static gboolean
on_pg_query_ready (int           fd,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);
  PGresult *result;

  if (!PQconsumeInput (self->pg))
    {
      pg_query_fail (task, PQerrorMessage (self->pg));
      return G_SOURCE_CONTINUE;
    }

  if (self->pg_flushing)
    {
      pg_query_watch (task);
      return G_SOURCE_CONTINUE;
    }

  while (!PQisBusy (self->pg))
    {
      result = PQgetResult (self->pg);
      if (result == NULL)
        {
          if (self->pg_query_error != NULL)
            pg_query_fail (task, self->pg_query_error);
          else if (self->pg_version == NULL)
            pg_query_fail (task, _("it returned no rows"));
          else
            pg_succeed (task);
          return G_SOURCE_CONTINUE;
        }

      if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0 &&
          PQnfields (result) > 0 && self->pg_version == NULL)
        self->pg_version = g_strdup (PQgetvalue (result, 0, 0));
      else if (PQresultStatus (result) != PGRES_TUPLES_OK && self->pg_query_error == NULL)
        self->pg_query_error = pg_result_error (result);

      PQclear (result);
    }

  return G_SOURCE_CONTINUE;
}

static void
pg_start_query (GTask *task)
{
  Login *self = g_task_get_task_data (task);

  self->step = STEP_QUERY;
  self->query_started = g_get_monotonic_time ();

  if (PQsetnonblocking (self->pg, 1) != 0 ||
      !PQsendQuery (self->pg, burrow_db_kind_get_first_query (self->kind)))
    {
      pg_query_fail (task, PQerrorMessage (self->pg));
      return;
    }

  pg_query_watch (task);
}

static gboolean on_pg_connect_ready (int fd, GIOCondition condition, gpointer user_data);

static void
pg_connect_watch (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  int fd = PQsocket (self->pg);

  if (fd < 0)
    {
      pg_fail_login (task, PQstatus (self->pg));
      return;
    }

  login_watch_fd (task, fd,
                  self->pg_polling == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT,
                  on_pg_connect_ready);
}

static gboolean
on_pg_connect_ready (int           fd,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);
  ConnStatusType before = PQstatus (self->pg);
  ConnStatusType after;

  self->pg_polling = PQconnectPoll (self->pg);
  after = PQstatus (self->pg);

  if (after != CONNECTION_STARTED && after != CONNECTION_NEEDED && after != CONNECTION_BAD)
    {
      self->pg_connected = TRUE;
      self->step = STEP_HANDSHAKE;
    }
  else if (after == CONNECTION_BAD && before != CONNECTION_STARTED && before != CONNECTION_NEEDED)
    {
      self->pg_connected = TRUE;
    }

  switch (self->pg_polling)
    {
    case PGRES_POLLING_FAILED:
      pg_fail_login (task, before);
      break;

    case PGRES_POLLING_OK:
      self->login_done = g_get_monotonic_time ();
      pg_start_query (task);
      break;

    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
    case PGRES_POLLING_ACTIVE:
    default:
      pg_connect_watch (task);
      break;
    }

  return G_SOURCE_CONTINUE;
}

/* PostgreSQL 15's libpq has no sslrootcert=system: without a root.crt of
 * the user's own, verifying modes use the system's trusted authorities. */
static const char *
pg_find_root_cert (void)
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

static void
pg_start (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  g_autofree char *port = g_strdup_printf ("%u", self->port);
  const char *keys[16];
  const char *values[16];
  const char *root_cert;
  guint n = 0;

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
      (root_cert = pg_find_root_cert ()) != NULL)
    ADD ("sslrootcert", root_cert);
  /* GSSAPI may ask a Kerberos KDC from inside PQconnectPoll, blocking. */
  ADD ("gssencmode", "disable");
  ADD ("application_name", "Burrow");
  ADD ("client_encoding", "UTF8");
  keys[n] = NULL;
  values[n] = NULL;
#undef ADD
  g_assert (n < G_N_ELEMENTS (keys));

  self->step = STEP_CONNECT;
  self->pg = PQconnectStartParams (keys, values, 0);
  if (self->pg == NULL)
    {
      login_fail (task, g_error_new_literal (BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                                             _("Out of memory")));
      return;
    }

  PQsetErrorVerbosity (self->pg, PQERRORS_VERBOSE);

  if (PQstatus (self->pg) == CONNECTION_BAD)
    {
      pg_fail_login (task, CONNECTION_BAD);
      return;
    }

  /* As libpq asks: behave as if PQconnectPoll had said "writing". */
  self->pg_polling = PGRES_POLLING_WRITING;
  pg_connect_watch (task);
}

/* MySQL and MariaDB */

static gpointer
my_init_library (gpointer data)
{
  /* Not thread-safe, and mysql_init() would call it on every first use. */
  mysql_library_init (0, NULL, NULL);
  return NULL;
}

/* Connector/C ends a failed connect()'s message with the errno in
 * parentheses, "Can't connect to server on '…' (111)"; 0 when it does not. */
static int
my_connect_errno (const char *message)
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

/* The authentication plugins that only exchange packets with the server.
 * The others wait outside Connector/C's non-blocking loop, blocking the
 * main loop: auth_gssapi_client asks a Kerberos KDC, dialog prompts on the
 * terminal. mysql_clear_password is left out too: it would hand the
 * password, unencrypted, to whatever answers on this port. */
#define MY_ALLOWED_AUTH "mysql_native_password,caching_sha2_password,sha256_password,client_ed25519"

static GError *
my_error (Login *self)
{
  unsigned int code = mysql_errno (self->my);
  g_autofree char *message = first_line (mysql_error (self->my));
  const char *user = self->user ? self->user : "";
  GError *error = NULL;

  switch (code)
    {
    case ER_ACCESS_DENIED_ERROR:
      return error_password_refused (self, _("Check the password stored for this connection. MySQL and MariaDB give the same answer for a user that does not exist, or that may not log in from this client's address (through a tunnel: the bastion's), so check the user name and its host part too."));

    case ER_BAD_DB_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
      /* The server only admits that a database exists to users with rights
       * on it, so the two cases look alike on purpose. */
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_DATABASE_MISSING,
                        _("Check the database name (names are case-sensitive on most servers). If it is right, ask the database administrator to grant this user access to it."),
                        _("%s has no database “%s” that user “%s” may use"),
                        kind_name (self), self->database ? self->database : "", user);
      return error;

    case ER_HOST_NOT_PRIVILEGED:
    case ER_HOST_IS_BLOCKED:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_ACCESS_DENIED,
                        _("The server sees the client's address (through a tunnel: the bastion's), and the user's host part must admit it, e.g. 'user'@'%'. Ask the database administrator."),
                        _("%s does not accept connections from this address: %s"),
                        kind_name (self), message);
      return error;

    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
      if (self->step != STEP_CONNECT)
        return error_closed (self);
      if (my_connect_errno (mysql_error (self->my)) == ECONNREFUSED)
        return error_refused (self);
      return error_connect_failed (self, message);

    case CR_SERVER_LOST:
    case CR_SERVER_GONE_ERROR:
    case CR_ERR_NET_READ:
      return error_closed (self);

    case CR_SSL_CONNECTION_ERROR:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TLS,
                        _("Check the server's TLS set-up and certificate."),
                        _("The TLS connection to %s failed: %s"), kind_name (self), message);
      return error;

    case CR_PLUGIN_NOT_ALLOWED:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("This user logs in with a method that could make Burrow wait (a prompt, or a Kerberos server) or that sends the password unencrypted. Log in with the database's own client through the tunnel instead."),
                        _("%s asks user “%s” for an authentication method that Burrow does not use for its check"),
                        kind_name (self), user);
      return error;

    case CR_VERSION_ERROR:
    case CR_MALFORMED_PACKET:
    case CR_SERVER_HANDSHAKE_ERR:
      return error_not_this_kind (self, message);

    default:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED, NULL,
                        _("The login to %s failed: %s (error %u)"),
                        kind_name (self), message, code);
      return error;
    }
}

static void my_continue (GTask *task, int status);

static gboolean
on_my_ready (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);
  int ready = 0;

  if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    ready = self->my_status & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE | MYSQL_WAIT_EXCEPT);
  if (condition & G_IO_IN)
    ready |= MYSQL_WAIT_READ;
  if (condition & G_IO_OUT)
    ready |= MYSQL_WAIT_WRITE;
  if (condition & G_IO_PRI)
    ready |= MYSQL_WAIT_EXCEPT;

  my_continue (task, my_resume (self, ready));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_my_timer (gpointer user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);

  g_clear_pointer (&self->my_timer, g_source_unref);
  my_continue (task, my_resume (self, MYSQL_WAIT_TIMEOUT));
  return G_SOURCE_REMOVE;
}

static void
my_call_done (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  const char *query = burrow_db_kind_get_first_query (self->kind);
  gboolean tls;
  MYSQL_ROW row;

  switch (self->my_call)
    {
    case MY_CALL_CONNECT:
      if (self->my_connect_ret == NULL)
        {
          unsigned int code = mysql_errno (self->my);

          if (self->step == STEP_CONNECT &&
              (code == CR_CONN_HOST_ERROR || code == CR_CONNECTION_ERROR) &&
              login_try_next_address (task))
            return;

          login_fail (task, my_error (self));
          return;
        }
      self->login_done = g_get_monotonic_time ();
      self->step = STEP_QUERY;
      self->query_started = self->login_done;
      self->my_call = MY_CALL_QUERY;
      my_continue (task, mysql_real_query_start (&self->my_query_ret, self->my,
                                                 query, strlen (query)));
      return;

    case MY_CALL_QUERY:
      if (self->my_query_ret != 0)
        break;
      self->my_call = MY_CALL_STORE;
      my_continue (task, mysql_store_result_start (&self->my_result, self->my));
      return;

    case MY_CALL_STORE:
      if (self->my_result == NULL)
        break;
      /* A stored result is in memory: fetching never waits. */
      row = mysql_fetch_row (self->my_result);
      if (row == NULL || row[0] == NULL)
        break;
      tls = mysql_get_ssl_cipher (self->my) != NULL;
      login_succeed_logged_in (task, self->user, self->database, tls,
                               tls ? _("over TLS") : _("without TLS"), row[0]);
      return;

    default:
      g_assert_not_reached ();
    }

  {
    unsigned int code = mysql_errno (self->my);
    const char *message = mysql_error (self->my);

    /* Connector/C sets no error when the query simply gave nothing. */
    if (code == CR_SERVER_LOST || code == CR_SERVER_GONE_ERROR)
      message = _("the server closed the connection");
    else if (message == NULL || *message == '\0')
      message = _("it returned no rows");
    login_fail (task, error_query_failed (self, message));
  }
}

static void
my_continue (GTask *task,
             int    status)
{
  Login *self = g_task_get_task_data (task);
  GIOCondition condition = 0;

  self->my_status = status;
  clear_source (&self->my_timer);

  if (status == 0)
    {
      login_clear_io (self);
      my_call_done (task);
      return;
    }

  /* Connector/C waits to write while the TCP connection is being made,
   * and to read once it waits for the server's greeting. */
  if ((status & MYSQL_WAIT_READ) && self->step == STEP_CONNECT)
    self->step = STEP_HANDSHAKE;

  if (status & MYSQL_WAIT_READ)
    condition |= G_IO_IN;
  if (status & MYSQL_WAIT_WRITE)
    condition |= G_IO_OUT;
  if (status & MYSQL_WAIT_EXCEPT)
    condition |= G_IO_PRI;

  if (condition != 0)
    login_watch_fd (task, mysql_get_socket (self->my), condition, on_my_ready);
  else
    login_clear_io (self);

  if (status & MYSQL_WAIT_TIMEOUT)
    {
      self->my_timer = g_timeout_source_new (mysql_get_timeout_value_ms (self->my));
      g_source_set_callback (self->my_timer, on_my_timer, task, NULL);
      g_source_attach (self->my_timer, self->context);
    }
}

static void
my_start (GTask *task)
{
  static GOnce library_once = G_ONCE_INIT;
  Login *self = g_task_get_task_data (task);
  unsigned int protocol = MYSQL_PROTOCOL_TCP;

  g_once (&library_once, my_init_library, NULL);

  self->step = STEP_CONNECT;
  self->my = mysql_init (NULL);
  if (self->my == NULL)
    {
      login_fail (task, g_error_new_literal (BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                                             _("Out of memory")));
      return;
    }

  mysql_optionsv (self->my, MYSQL_OPT_NONBLOCK, 0);
  /* Never a Unix socket, whatever the host is called. */
  mysql_optionsv (self->my, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv (self->my, MARIADB_OPT_RESTRICTED_AUTH, MY_ALLOWED_AUTH);

  self->my_call = MY_CALL_CONNECT;
  my_continue (task, mysql_real_connect_start (&self->my_connect_ret, self->my,
                                               self->address, self->user,
                                               self->password ? self->password : "",
                                               self->database, self->port, NULL, 0));
}

/* Reachability, for the kinds without a client library here */

/* Whether this kind's server waits for the client to speak first; all the
 * kinds Burrow knows do, so a greeting from the server means another
 * service listens there. */
static gboolean
kind_server_waits (BurrowDbKind kind)
{
  return kind != BURROW_DB_KIND_OTHER;
}

/* The start of a greeting, printable, for a message. */
static char *
describe_greeting (const guint8 *data,
                   gsize         length)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < length && text->len < 40; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        break;
      g_string_append_c (text, g_ascii_isprint (data[i]) ? (char) data[i] : '.');
    }

  return g_string_free (text, FALSE);
}

static gboolean
on_listen_timer (gpointer user_data)
{
  GTask *task = user_data;
  Login *self = g_task_get_task_data (task);

  g_clear_pointer (&self->listen_timer, g_source_unref);
  login_succeed_kept_open (task);
  return G_SOURCE_REMOVE;
}

static void
on_input_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *self = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *endpoint = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (self->done)
    return;

  if (n <= 0)
    {
      login_fail (task, error_closed (self));
      return;
    }

  greeting = describe_greeting (self->buffer, n);

  if (kind_server_waits (self->kind))
    {
      g_autofree char *detail = g_strdup_printf (_("it spoke first: “%s”"), greeting);

      login_fail (task, error_not_this_kind (self, detail));
      return;
    }

  endpoint = format_endpoint (self);
  login_succeed (task, FALSE, FALSE, NULL, NULL,
                 g_strdup_printf (_("%s accepted a TCP connection and the server spoke first (%" G_GSSIZE_FORMAT " bytes: “%s”); no login was tried."),
                                  endpoint, n, greeting));
}

static void
on_socket_client_connect (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Login *self = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *input;
  gint64 elapsed_ms;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (self->done)
    return;

  if (connection == NULL)
    {
      GError *login_error = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        login_error = error_timeout (self);
      else if (login_try_next_address (task))
        return;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        login_error = error_refused (self);
      else
        login_error = error_connect_failed (self, error->message);
      login_fail (task, login_error);
      return;
    }

  self->login_done = g_get_monotonic_time ();
  self->step = STEP_LISTEN;
  self->connection = g_steal_pointer (&connection);

  input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));
  g_input_stream_read_async (input, self->buffer, sizeof self->buffer, G_PRIORITY_DEFAULT,
                             self->io_cancellable, on_input_read, g_object_ref (task));

  /* The rest of the time, if shorter, bounds the window: the timeout's own
   * handler gives the same answer at the deadline. */
  elapsed_ms = (self->login_done - self->started) / 1000;
  if (elapsed_ms < (gint64) self->timeout_ms)
    {
      self->listen_timer = g_timeout_source_new (MIN (LISTEN_WINDOW_MS, self->timeout_ms - elapsed_ms));
      g_source_set_callback (self->listen_timer, on_listen_timer, task, NULL);
      g_source_attach (self->listen_timer, self->context);
    }
}

static void
listen_start (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;

  /* A database check must go straight to the address it names. */
  g_socket_client_set_enable_proxy (client, FALSE);
  address = g_inet_socket_address_new_from_string (self->address, self->port);
  g_assert (address != NULL);

  self->step = STEP_CONNECT;
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), self->io_cancellable,
                                 on_socket_client_connect, g_object_ref (task));
}

static void
login_connect (GTask *task)
{
  Login *self = g_task_get_task_data (task);

  if (!burrow_db_kind_can_log_in (self->kind))
    listen_start (task);
  else if (kind_is_postgresql (self->kind))
    pg_start (task);
  else
    my_start (task);
}

static void
login_start (GTask *task)
{
  Login *self = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = NULL;

  if (g_hostname_is_ip_address (self->connect_host))
    {
      self->address = g_strdup (self->connect_host);
      login_connect (task);
      return;
    }

  self->step = STEP_RESOLVE;
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, self->connect_host,
                                   self->io_cancellable, on_resolver_lookup,
                                   g_object_ref (task));
}

/* Public API */

BurrowDbLoginResult *
burrow_db_login_result_ref (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
login_result_clear (BurrowDbLoginResult *self)
{
  g_free (self->server_version);
  g_free (self->query);
  g_free (self->description);
}

void
burrow_db_login_result_unref (BurrowDbLoginResult *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) login_result_clear);
}

BurrowDbKind
burrow_db_login_result_get_kind (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, BURROW_DB_KIND_OTHER);

  return self->kind;
}

/* TRUE when the check logged in for real; FALSE for a reachability check. */
gboolean
burrow_db_login_result_get_logged_in (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->logged_in;
}

/* The first query's answer, e.g. "PostgreSQL 15.8 (Debian …) on …";
 * NULL when no query was run. */
const char *
burrow_db_login_result_get_server_version (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->server_version;
}

/* The query that was run, e.g. "SELECT version()"; NULL when none was. */
const char *
burrow_db_login_result_get_query (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->query;
}

/* One translated sentence saying exactly what was checked. */
const char *
burrow_db_login_result_get_description (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->description;
}

gboolean
burrow_db_login_result_get_tls (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->tls;
}

/* From the start of the check to a finished login (or, for a reachability
 * check, to an open TCP connection), name resolution included. */
gint64
burrow_db_login_result_get_login_usec (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->login_usec;
}

/* How long the first query took; 0 when none was run. */
gint64
burrow_db_login_result_get_query_usec (BurrowDbLoginResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->query_usec;
}

/**
 * burrow_db_login_async:
 * @kind: the database kind, which decides the check (see the header)
 * @params: what to log in to; copied
 * @timeout_ms: for the whole check; 0 for BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS
 * @cancellable: (nullable): cancels the check and drops its connection
 * @callback: called once, on the thread-default main context of the caller
 * @user_data: for @callback
 */
void
burrow_db_login_async (BurrowDbKind               kind,
                       const BurrowDbLoginParams *params,
                       guint                      timeout_ms,
                       GCancellable              *cancellable,
                       GAsyncReadyCallback        callback,
                       gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  Login *self;

  g_return_if_fail (kind <= BURROW_DB_KIND_LAST);
  g_return_if_fail (params != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_db_login_async);

  self = g_new0 (Login, 1);
  self->kind = kind;
  self->connect_host = g_strdup (is_set (params->connect_host) ? params->connect_host : "127.0.0.1");
  self->port = params->port ? params->port : burrow_db_kind_get_default_port (kind);
  self->server_host = is_set (params->server_host) ? g_strdup (params->server_host) : NULL;
  self->database = is_set (params->database) ? g_strdup (params->database) : NULL;
  self->user = is_set (params->user) ? g_strdup (params->user) : NULL;
  self->password = is_set (params->password) ? g_strdup (params->password) : NULL;
  self->tls_mode = is_set (params->tls_mode) ? g_strdup (params->tls_mode) : NULL;
  self->timeout_ms = timeout_ms ? timeout_ms : BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS;
  self->context = g_main_context_ref_thread_default ();
  self->io_cancellable = g_cancellable_new ();
  self->io_fd = -1;
  self->started = g_get_monotonic_time ();
  g_task_set_task_data (task, self, (GDestroyNotify) login_free);

  if (self->port == 0)
    {
      GError *error = NULL;

      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Set the database port of this connection."),
                        _("No port to check: %s has no default port"), kind_name (self));
      g_task_return_error (task, error);
      return;
    }

  /* libpq would refuse an unknown mode before connecting, in words that
   * read like a network problem. */
  if (kind_is_postgresql (kind) && self->tls_mode != NULL &&
      !g_strv_contains (pg_tls_modes, self->tls_mode))
    {
      GError *error = NULL;

      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Choose one of the TLS modes disable, allow, prefer, require, verify-ca or verify-full."),
                        _("“%s” is not a TLS mode %s knows"), self->tls_mode, kind_name (self));
      g_task_return_error (task, error);
      return;
    }

  /* Not even a connection attempt for a check cancelled before it began. */
  if (g_task_return_error_if_cancelled (task))
    return;

  self->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (self->timeout_source, on_login_timeout, task, NULL);
  g_source_attach (self->timeout_source, self->context);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, (GSourceFunc) on_cancellable_cancelled, task, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  /* The running check owns a reference until it returns. */
  login_start (g_object_ref (task));
}

/**
 * burrow_db_login_finish:
 *
 * Returns: (transfer full): what was checked, or %NULL with @error set
 */
BurrowDbLoginResult *
burrow_db_login_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == burrow_db_login_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
