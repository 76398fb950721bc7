/* burrow-db-login.c — log in to a database and run a first query, without blocking.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The part every kind shares: the parameters, name resolution, the
 * deadline and the cancellable, the addresses tried in turn, the end of
 * the check and the errors any server can cause. The engines in
 * burrow-db-login-{postgres,mysql,reach}.c speak to the servers. Every
 * wait is a GLib source on the login's own main context. Whatever ends the
 * check first (success, an error, the timeout, the cancellable) tears
 * everything down at once, so nothing of a finished check can call back
 * later.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-db-login-private.h"
#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-secret-store.h"
#include "burrow-source.h"

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

G_DEFINE_FINAL_TYPE (BurrowDbLogin, burrow_db_login, G_TYPE_OBJECT)

static void login_connect (BurrowDbLogin *self);

/* Helpers */

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

const char *
burrow_db_login_kind_name (BurrowDbLogin *self)
{
  return burrow_db_kind_get_display_name (self->kind);
}

char *
burrow_db_login_format_endpoint (BurrowDbLogin *self)
{
  return burrow_format_host_port (self->address ? self->address : self->connect_host,
                                  self->port);
}

static char *
format_seconds (guint ms)
{
  return g_strdup_printf ("%.1f", ms / 1000.0);
}

/* The first line of a client library's message, for a cause, without
 * libpq's "connection to server at …, port … failed: " prefix, which the
 * cause already says in its own words. */
char *
burrow_db_login_first_line (const char *message)
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

void
burrow_db_login_clear_io (BurrowDbLogin *self)
{
  burrow_source_clear (self->context, &self->io_source);
  self->io_fd = -1;
  self->io_condition = 0;
  self->io_func = NULL;
}

/* Waits for @condition on @fd, keeping the current source when nothing
 * changed. Client libraries may move to a new socket between two calls
 * (libpq retries without TLS, for one), so the source follows the fd. */
void
burrow_db_login_watch_fd (BurrowDbLogin     *self,
                          int                fd,
                          GIOCondition       condition,
                          GUnixFDSourceFunc  func)
{
  if (self->io_source != 0 && self->io_fd == fd && self->io_condition == condition &&
      self->io_func == func)
    return;

  burrow_db_login_clear_io (self);
  self->io_fd = fd;
  self->io_condition = condition;
  self->io_func = func;
  self->io_source = burrow_source_attach (self->context, g_unix_fd_source_new (fd, condition),
                                          (GSourceFunc) func, self);
}

static void
login_teardown (BurrowDbLogin *self)
{
  burrow_source_clear (self->context, &self->timeout_source);
  burrow_source_clear (self->context, &self->cancel_source);
  burrow_db_login_clear_io (self);
  g_cancellable_cancel (self->io_cancellable);

  if (self->engine_state != NULL)
    self->engine->stop (self);
  g_assert (self->engine_state == NULL);
}

/* Takes @error. */
void
burrow_db_login_fail (BurrowDbLogin *self,
                      GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }

  self->ended = g_get_monotonic_time ();
  login_teardown (self);
  g_task_return_error (task, error);
}

/* Takes @description. */
void
burrow_db_login_succeed (BurrowDbLogin *self,
                         gboolean       logged_in,
                         gboolean       tls,
                         const char    *server_version,
                         const char    *query,
                         char          *description)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  BurrowDbLoginResult *result;

  g_assert (task != NULL);

  /* The strings may belong to the client library's connection: copy them
   * before it goes. */
  self->ended = g_get_monotonic_time ();
  result = g_atomic_rc_box_new0 (BurrowDbLoginResult);
  result->kind = self->kind;
  result->logged_in = logged_in;
  result->tls = tls;
  result->server_version = g_strdup (server_version);
  result->query = g_strdup (query);
  result->description = description;
  result->login_usec = (self->login_done ? self->login_done : self->ended) - self->started;
  result->query_usec = query != NULL ? self->ended - self->query_started : 0;

  login_teardown (self);
  g_task_return_pointer (task, result, (GDestroyNotify) burrow_db_login_result_unref);
}

/* Ends the check with a real login; @tls_text says how TLS went. */
void
burrow_db_login_succeed_logged_in (BurrowDbLogin *self,
                                   const char    *user,
                                   const char    *database,
                                   gboolean       tls,
                                   const char    *tls_text,
                                   const char    *server_version)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  const char *query = burrow_db_kind_get_first_query (self->kind);
  char *description;

  description = g_strdup_printf (_("Logged in to %s at %s as user “%s” to database “%s”, %s, and ran %s."),
                                 burrow_db_login_kind_name (self), endpoint, user ? user : "",
                                 database ? database : "", tls_text, query);
  burrow_db_login_succeed (self, TRUE, tls, server_version, query, description);
}

/* Errors shared by every kind */

GError *
burrow_db_login_error_refused (BurrowDbLogin *self)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                    _("Check the host and the port, and that the database server is running and listens on that address."),
                    _("Nothing accepts connections at %s"), endpoint);
  return error;
}

/* A TCP connection that failed for another reason than a refusal: the
 * client library's own words (no route, network down, …) say which. */
GError *
burrow_db_login_error_connect_failed (BurrowDbLogin *self,
                                      const char    *detail)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE,
                    _("Check the host, the port, and this computer's network."),
                    _("Could not connect to %s: %s"), endpoint, detail);
  return error;
}

GError *
burrow_db_login_error_closed (BurrowDbLogin *self)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  if (self->kind == BURROW_DB_KIND_OTHER)
    hint = g_strdup (_("Through an SSH tunnel this means the bastion could not reach the database: check the database host and port as seen from the bastion, and the firewall or security group in front of the database. Without a tunnel, check that the database server listens on this port."));
  else
    hint = g_strdup_printf (_("Through an SSH tunnel this means the bastion could not reach the database: check the database host and port as seen from the bastion, and the firewall or security group in front of the database. Without a tunnel, check that %s listens on this port."),
                            burrow_db_login_kind_name (self));
  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_UNREACHABLE, hint,
                    _("The connection to %s was closed before the database answered"),
                    endpoint);
  return error;
}

GError *
burrow_db_login_error_not_this_kind (BurrowDbLogin *self,
                                     const char    *detail)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  hint = g_strdup_printf (_("Check the port and the database kind of this connection: %s does not seem to listen on this port."),
                          burrow_db_login_kind_name (self));
  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PROTOCOL, hint,
                    _("The server at %s does not answer like %s (%s)"),
                    endpoint, burrow_db_login_kind_name (self), detail);
  return error;
}

GError *
burrow_db_login_error_timeout (BurrowDbLogin *self)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  g_autofree char *seconds = format_seconds (self->timeout_ms);
  g_autofree char *hint = NULL;
  GError *error = NULL;

  switch (self->stage)
    {
    case BURROW_DB_LOGIN_STAGE_RESOLVE:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("Check the host name and that this computer's name service (DNS) works."),
                        _("The name “%s” did not resolve within %s s"),
                        self->connect_host, seconds);
      break;

    case BURROW_DB_LOGIN_STAGE_CONNECT:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("A firewall may drop the packets: check the host, the port, and the firewall or security group in front of the database."),
                        _("%s did not accept a connection within %s s"),
                        endpoint, seconds);
      break;

    case BURROW_DB_LOGIN_STAGE_HANDSHAKE:
      hint = g_strdup_printf (_("Check that %s listens on this port, not another service, and that the server is not overloaded."),
                              burrow_db_login_kind_name (self));
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT, hint,
                        _("%s accepted the connection but did not complete the login within %s s"),
                        endpoint, seconds);
      break;

    case BURROW_DB_LOGIN_STAGE_QUERY:
    case BURROW_DB_LOGIN_STAGE_LISTEN:
    default:
      burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_TIMEOUT,
                        _("The server may be overloaded, or the query may wait for a lock: try again later."),
                        _("The first query (%s) got no answer within %s s"),
                        burrow_db_kind_get_first_query (self->kind), seconds);
      break;
    }

  return error;
}

GError *
burrow_db_login_error_password_refused (BurrowDbLogin *self,
                                        const char    *hint)
{
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_PASSWORD_REFUSED, hint,
                    _("%s refused the password for user “%s”"),
                    burrow_db_login_kind_name (self), self->user ? self->user : "");
  return error;
}

GError *
burrow_db_login_error_query_failed (BurrowDbLogin *self,
                                    const char    *detail)
{
  g_autofree char *line = burrow_db_login_first_line (detail);
  GError *error = NULL;

  burrow_set_error (&error, BURROW_DB_ERROR, BURROW_DB_ERROR_QUERY_FAILED,
                    _("The login worked, so the connection is right; ask the database administrator about the error."),
                    _("%s accepted the login but the first query (%s) failed: %s"),
                    burrow_db_login_kind_name (self), burrow_db_kind_get_first_query (self->kind), line);
  return error;
}

/* Timeout and cancellation */

static gboolean
on_login_timeout (gpointer user_data)
{
  BurrowDbLogin *self = user_data;

  self->timeout_source = 0;

  if (self->engine->deadline != NULL && self->engine_state != NULL && self->engine->deadline (self))
    return G_SOURCE_REMOVE;

  burrow_db_login_fail (self, burrow_db_login_error_timeout (self));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancellable_cancelled (GCancellable *cancellable,
                          gpointer      user_data)
{
  BurrowDbLogin *self = user_data;
  GError *error = NULL;

  self->cancel_source = 0;
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  burrow_db_login_fail (self, error);
  return G_SOURCE_REMOVE;
}

/* Name resolution, once for every kind: the client libraries would call
 * getaddrinfo() and block, and one list of addresses serves every check */

static void
on_resolver_lookup (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BurrowDbLogin) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (self->task == NULL)
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
      burrow_db_login_fail (self, login_error);
      return;
    }

  self->addresses = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (self->addresses, g_inet_address_to_string (l->data));
  g_resolver_free_addresses (addresses);

  self->address = g_strdup (g_ptr_array_index (self->addresses, 0));
  login_connect (self);
}

/* A name such as "localhost" may give ::1 first to a server that listens
 * on 127.0.0.1 only: a refused connection moves on to the next address. */
gboolean
burrow_db_login_try_next_address (BurrowDbLogin *self)
{
  if (self->addresses == NULL || self->address_index + 1 >= self->addresses->len)
    return FALSE;

  self->address_index++;
  g_free (self->address);
  self->address = g_strdup (g_ptr_array_index (self->addresses, self->address_index));

  burrow_db_login_clear_io (self);
  self->engine->stop (self);
  login_connect (self);
  return TRUE;
}

static void
login_connect (BurrowDbLogin *self)
{
  self->stage = BURROW_DB_LOGIN_STAGE_CONNECT;
  self->engine->start (self);
}

static void
login_start (BurrowDbLogin *self)
{
  g_autoptr(GResolver) resolver = NULL;

  if (g_hostname_is_ip_address (self->connect_host))
    {
      self->address = g_strdup (self->connect_host);
      login_connect (self);
      return;
    }

  self->stage = BURROW_DB_LOGIN_STAGE_RESOLVE;
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, self->connect_host,
                                   self->io_cancellable, on_resolver_lookup,
                                   g_object_ref (self));
}

static gboolean
login_check (BurrowDbLogin  *self,
             GError        **error)
{
  if (self->port == 0)
    {
      burrow_set_error (error, BURROW_DB_ERROR, BURROW_DB_ERROR_FAILED,
                        _("Set the database port of this connection."),
                        _("No port to check: %s has no default port"), burrow_db_login_kind_name (self));
      return FALSE;
    }

  return self->engine->check == NULL || self->engine->check (self, error);
}

/* Overrides */

static void
burrow_db_login_dispose (GObject *object)
{
  BurrowDbLogin *self = (BurrowDbLogin *)object;

  /* The running check holds a reference through its task. */
  g_assert (self->task == NULL);
  g_assert (self->engine_state == NULL);

  G_OBJECT_CLASS (burrow_db_login_parent_class)->dispose (object);
}

static void
burrow_db_login_finalize (GObject *object)
{
  BurrowDbLogin *self = (BurrowDbLogin *)object;

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

  G_OBJECT_CLASS (burrow_db_login_parent_class)->finalize (object);
}

static void
burrow_db_login_class_init (BurrowDbLoginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_db_login_dispose;
  object_class->finalize = burrow_db_login_finalize;
}

static void
burrow_db_login_init (BurrowDbLogin *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->io_cancellable = g_cancellable_new ();
  self->io_fd = -1;
}

/* Public API: the result */

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

/* Public API: the check */

/**
 * burrow_db_login_new:
 * @kind: the database kind, which decides the check (see the header)
 * @params: what to log in to; copied
 *
 * The check belongs to the thread-default main context of the caller:
 * run it from there.
 */
BurrowDbLogin *
burrow_db_login_new (BurrowDbKind               kind,
                     const BurrowDbLoginParams *params)
{
  BurrowDbLogin *self;

  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  self = g_object_new (BURROW_TYPE_DB_LOGIN, NULL);
  self->kind = kind;
  self->connect_host = g_strdup (is_set (params->connect_host) ? params->connect_host : "127.0.0.1");
  self->port = params->port ? params->port : burrow_db_kind_get_default_port (kind);
  self->server_host = is_set (params->server_host) ? g_strdup (params->server_host) : NULL;
  self->database = is_set (params->database) ? g_strdup (params->database) : NULL;
  self->user = is_set (params->user) ? g_strdup (params->user) : NULL;
  self->password = is_set (params->password) ? g_strdup (params->password) : NULL;
  self->tls_mode = is_set (params->tls_mode) ? g_strdup (params->tls_mode) : NULL;

  if (!burrow_db_kind_can_log_in (kind))
    self->engine = &burrow_db_login_reach_engine;
  else if (kind == BURROW_DB_KIND_POSTGRESQL || kind == BURROW_DB_KIND_REDSHIFT)
    self->engine = &burrow_db_login_postgres_engine;
  else
    self->engine = &burrow_db_login_mysql_engine;

  return self;
}

BurrowDbKind
burrow_db_login_get_kind (BurrowDbLogin *self)
{
  g_return_val_if_fail (BURROW_IS_DB_LOGIN (self), BURROW_DB_KIND_OTHER);

  return self->kind;
}

/**
 * burrow_db_login_run_async:
 * @timeout_ms: for the whole check; 0 for BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS
 * @cancellable: (nullable): cancels the check and drops its connection
 * @callback: called once, on the login's main context
 *
 * A check runs once.
 */
void
burrow_db_login_run_async (BurrowDbLogin       *self,
                           guint                timeout_ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (BURROW_IS_DB_LOGIN (self));
  g_return_if_fail (self->started == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_db_login_run_async);

  self->timeout_ms = timeout_ms ? timeout_ms : BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS;
  self->started = g_get_monotonic_time ();

  if (!login_check (self, &error))
    {
      self->ended = self->started;
      g_task_return_error (task, error);
      return;
    }

  /* Not even a connection attempt for a check cancelled before it began. */
  if (g_task_return_error_if_cancelled (task))
    {
      self->ended = self->started;
      return;
    }

  self->task = g_steal_pointer (&task);
  self->timeout_source = burrow_source_attach (self->context, g_timeout_source_new (self->timeout_ms),
                                               on_login_timeout, self);
  if (cancellable != NULL)
    self->cancel_source = burrow_source_attach (self->context, g_cancellable_source_new (cancellable),
                                                (GSourceFunc) on_cancellable_cancelled, self);

  login_start (self);
}

/**
 * burrow_db_login_run_finish:
 *
 * Returns: (transfer full): what was checked, or %NULL with @error set
 */
BurrowDbLoginResult *
burrow_db_login_run_finish (BurrowDbLogin  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (BURROW_IS_DB_LOGIN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* How long the login took, resolution included (for a reachability check:
 * until the TCP connection opened); -1 when it did not get that far. */
gint64
burrow_db_login_get_login_usec (BurrowDbLogin *self)
{
  g_return_val_if_fail (BURROW_IS_DB_LOGIN (self), -1);

  return self->login_done != 0 ? self->login_done - self->started : -1;
}

/* How long the first query ran, until its answer, its error or the end of
 * the check; -1 when it did not start. */
gint64
burrow_db_login_get_query_usec (BurrowDbLogin *self)
{
  g_return_val_if_fail (BURROW_IS_DB_LOGIN (self), -1);

  if (self->query_started == 0)
    return -1;

  return (self->ended != 0 ? self->ended : g_get_monotonic_time ()) - self->query_started;
}

/**
 * burrow_db_login_async:
 * @kind: the database kind, which decides the check (see the header)
 * @params: what to log in to; copied
 * @timeout_ms: for the whole check; 0 for BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS
 * @cancellable: (nullable): cancels the check and drops its connection
 * @callback: called once, on the thread-default main context of the caller,
 *   with the BurrowDbLogin as its source object
 * @user_data: for @callback
 *
 * burrow_db_login_new() and burrow_db_login_run_async() in one call.
 */
void
burrow_db_login_async (BurrowDbKind               kind,
                       const BurrowDbLoginParams *params,
                       guint                      timeout_ms,
                       GCancellable              *cancellable,
                       GAsyncReadyCallback        callback,
                       gpointer                   user_data)
{
  g_autoptr(BurrowDbLogin) self = NULL;

  g_return_if_fail (kind <= BURROW_DB_KIND_LAST);
  g_return_if_fail (params != NULL);

  self = burrow_db_login_new (kind, params);
  burrow_db_login_run_async (self, timeout_ms, cancellable, callback, user_data);
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
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == burrow_db_login_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
