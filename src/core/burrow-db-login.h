/* burrow-db-login.h — log in to a database and run a first query, without blocking.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * burrow_db_login_async() checks one database endpoint (any host and port:
 * the database itself, or a loopback forward to it) the way the analyst's
 * own tools will use it:
 *
 *  - PostgreSQL and Redshift: a real libpq login (PQconnectStartParams and
 *    PQconnectPoll on GLib sources), then `SELECT version()`. TLS as the
 *    params' tls_mode says (libpq's sslmode, "prefer" when NULL), with
 *    `host` set to the real server name and `hostaddr` to the address
 *    connected to, so that verify-full still checks the certificate name
 *    through a tunnel.
 *    GSSAPI encryption is off (gssencmode=disable), but libpq still runs
 *    GSSAPI authentication when the server's pg_hba.conf asks for "gss",
 *    and that may wait for a Kerberos server inside PQconnectPoll.
 *  - MySQL and MariaDB: a real login with MariaDB Connector/C's non-blocking
 *    API, then `SELECT VERSION()`. tls_mode and server_host are not used:
 *    Connector/C's defaults apply, which do not ask for TLS. Only the
 *    authentication plugins that cannot block are allowed
 *    (mysql_native_password, caching_sha2_password, sha256_password,
 *    client_ed25519); a user set up for another (GSSAPI, PAM's dialog,
 *    cleartext) gets BURROW_DB_ERROR_FAILED.
 *  - SQL Server, Oracle, MongoDB, ClickHouse, other: a reachability check.
 *    The TCP connection opens and the server keeps it open for a moment
 *    (half a second) without closing it. Servers of those four kinds wait
 *    for the client to speak, so one that speaks first is another service
 *    (BURROW_DB_ERROR_PROTOCOL); for "other", speaking first counts as an
 *    answer. No credentials are sent, and no protocol is spoken. The
 *    result's description says what was seen.
 *
 * A connect_host that is a name is resolved asynchronously, once, for every
 * kind of check; each of its addresses is tried in turn while no TCP
 * connection can be made to it.
 *
 * Everything runs on the thread-default main context of the thread that
 * made the check; nothing blocks it, name resolution included. One
 * timeout covers the whole check.
 * Cancelling returns G_IO_ERROR_CANCELLED at once and drops the connection.
 *
 * Failures are GErrors in BURROW_DB_ERROR with a cause and a hint (see
 * burrow-error.h). The password never appears in any message or log.
 *
 * On success the result (a BurrowDbLoginResult, refcounted, immutable)
 * holds the server version, how long the login and the query took, and a
 * sentence saying exactly what was checked.
 *
 * A BurrowDbLogin is one check: made for a kind and its parameters, run
 * once. After a failure it still says how far it got (get_login_usec(),
 * get_query_usec()), so that a first query that failed after a good login
 * shows both times. burrow_db_login_async() makes one and runs it in a
 * single call.
 */

#pragma once

#include <gio/gio.h>

#include "burrow-db-kind.h"

G_BEGIN_DECLS

#define BURROW_DB_ERROR (burrow_db_error_quark ())

typedef enum
{
  BURROW_DB_ERROR_FAILED,            /* anything not listed below */
  BURROW_DB_ERROR_PASSWORD_REFUSED,  /* wrong password (or, for most servers, an unknown user) */
  BURROW_DB_ERROR_USER_UNKNOWN,      /* only when the server says so plainly */
  BURROW_DB_ERROR_ACCESS_DENIED,     /* the login was right, but this user/host/database is not allowed */
  BURROW_DB_ERROR_DATABASE_MISSING,  /* no such database */
  BURROW_DB_ERROR_TLS,               /* TLS required but refused, or the certificate did not check */
  BURROW_DB_ERROR_UNREACHABLE,       /* refused, reset, or closed before the database answered */
  BURROW_DB_ERROR_TIMEOUT,           /* no answer in time */
  BURROW_DB_ERROR_QUERY_FAILED,      /* logged in, but the first query failed */
  BURROW_DB_ERROR_PROTOCOL,          /* the server does not speak this kind's protocol */
} BurrowDbError;

GQuark burrow_db_error_quark (void);

/* What to log in to. The strings are copied; NULL or "" means "not set". */
typedef struct
{
  const char *connect_host;  /* address (or name) to connect to; NULL: 127.0.0.1 */
  guint16     port;          /* 0: the kind's default port */
  const char *server_host;   /* the database's real host name, for TLS checks; NULL: connect_host */
  const char *database;
  const char *user;
  const char *password;
  const char *tls_mode;      /* PostgreSQL sslmode (disable, allow, prefer, require, verify-ca,
                              * verify-full; anything else is BURROW_DB_ERROR_FAILED); NULL: prefer */
} BurrowDbLoginParams;

#define BURROW_DB_LOGIN_DEFAULT_TIMEOUT_MS 10000

#define BURROW_TYPE_DB_LOGIN_RESULT (burrow_db_login_result_get_type ())

typedef struct _BurrowDbLoginResult BurrowDbLoginResult;

GType                burrow_db_login_result_get_type           (void) G_GNUC_CONST;
BurrowDbLoginResult *burrow_db_login_result_ref                (BurrowDbLoginResult  *self);
void                 burrow_db_login_result_unref              (BurrowDbLoginResult  *self);
BurrowDbKind         burrow_db_login_result_get_kind           (BurrowDbLoginResult  *self);
gboolean             burrow_db_login_result_get_logged_in      (BurrowDbLoginResult  *self);
const char          *burrow_db_login_result_get_server_version (BurrowDbLoginResult  *self);
const char          *burrow_db_login_result_get_query          (BurrowDbLoginResult  *self);
const char          *burrow_db_login_result_get_description    (BurrowDbLoginResult  *self);
gboolean             burrow_db_login_result_get_tls            (BurrowDbLoginResult  *self);
gint64               burrow_db_login_result_get_login_usec     (BurrowDbLoginResult  *self);
gint64               burrow_db_login_result_get_query_usec     (BurrowDbLoginResult  *self);

#define BURROW_TYPE_DB_LOGIN (burrow_db_login_get_type ())

G_DECLARE_FINAL_TYPE (BurrowDbLogin, burrow_db_login, BURROW, DB_LOGIN, GObject)

BurrowDbLogin       *burrow_db_login_new                       (BurrowDbKind               kind,
                                                                const BurrowDbLoginParams *params);
BurrowDbKind         burrow_db_login_get_kind                  (BurrowDbLogin             *self);
void                 burrow_db_login_run_async                 (BurrowDbLogin             *self,
                                                                guint                      timeout_ms,
                                                                GCancellable              *cancellable,
                                                                GAsyncReadyCallback        callback,
                                                                gpointer                   user_data);
BurrowDbLoginResult *burrow_db_login_run_finish                (BurrowDbLogin             *self,
                                                                GAsyncResult              *result,
                                                                GError                   **error);
gint64               burrow_db_login_get_login_usec            (BurrowDbLogin             *self);
gint64               burrow_db_login_get_query_usec            (BurrowDbLogin             *self);

void                 burrow_db_login_async                     (BurrowDbKind               kind,
                                                                const BurrowDbLoginParams *params,
                                                                guint                      timeout_ms,
                                                                GCancellable              *cancellable,
                                                                GAsyncReadyCallback        callback,
                                                                gpointer                   user_data);
BurrowDbLoginResult *burrow_db_login_finish                    (GAsyncResult              *result,
                                                                GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowDbLoginResult, burrow_db_login_result_unref)

G_END_DECLS
