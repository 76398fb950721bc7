/* burrow-db-login-private.h — what the database login shares with its engines.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BurrowDbLogin (burrow-db-login.c) resolves the name, keeps the deadline,
 * the cancellable and the list of addresses, and ends the check. An engine
 * does the rest for one family of servers, with a state of its own that
 * lives from its start() to its stop():
 *
 *   burrow-db-login-postgres.c   PostgreSQL and Redshift, through libpq
 *   burrow-db-login-mysql.c      MySQL and MariaDB, through Connector/C
 *   burrow-db-login-reach.c      every other kind: does the server answer?
 *
 * An engine ends the check with burrow_db_login_fail() or one of the
 * succeed functions, or moves to the next address with
 * burrow_db_login_try_next_address(). Everything runs on the login's own
 * main context; the fd it waits on is watched through
 * burrow_db_login_watch_fd(), so that teardown removes it with the rest.
 */

#pragma once

#include <glib-unix.h>

#include "burrow-db-login.h"

G_BEGIN_DECLS

/* Where the check stands, for the words of a timeout. */
typedef enum
{
  BURROW_DB_LOGIN_STAGE_RESOLVE,
  BURROW_DB_LOGIN_STAGE_CONNECT,    /* TCP */
  BURROW_DB_LOGIN_STAGE_HANDSHAKE,  /* the database protocol, TLS and authentication */
  BURROW_DB_LOGIN_STAGE_QUERY,
  BURROW_DB_LOGIN_STAGE_LISTEN,     /* reachability: does the server speak, hang up, or wait? */
} BurrowDbLoginStage;

typedef struct
{
  /* Optional: refuses parameters this engine cannot use, before any
   * connection is made. */
  gboolean (*check)    (BurrowDbLogin  *self,
                        GError        **error);
  /* Connects to self->address and port, logs in and runs the first query. */
  void     (*start)    (BurrowDbLogin  *self);
  /* Drops the connection and frees the state at once; calls nothing back. */
  void     (*stop)     (BurrowDbLogin  *self);
  /* Optional: the deadline came; TRUE when the engine ended the check. */
  gboolean (*deadline) (BurrowDbLogin  *self);
} BurrowDbLoginEngine;

extern const BurrowDbLoginEngine burrow_db_login_postgres_engine;
extern const BurrowDbLoginEngine burrow_db_login_mysql_engine;
extern const BurrowDbLoginEngine burrow_db_login_reach_engine;

struct _BurrowDbLogin
{
  GObject                    parent_instance;

  BurrowDbKind               kind;
  char                      *connect_host;
  guint16                    port;
  char                      *server_host;
  char                      *database;
  char                      *user;
  char                      *password;
  char                      *tls_mode;

  const BurrowDbLoginEngine *engine;
  gpointer                   engine_state;    /* the engine's own, from start() to stop() */

  GMainContext              *context;
  GTask                     *task;            /* while the check runs */
  GCancellable              *io_cancellable;  /* ends our own GIO calls when the check ends */
  guint                      timeout_ms;
  guint                      timeout_source;
  guint                      cancel_source;
  guint                      io_source;
  int                        io_fd;
  GIOCondition               io_condition;
  GUnixFDSourceFunc          io_func;

  BurrowDbLoginStage         stage;
  char                      *address;         /* the numeric address connected to */
  GPtrArray                 *addresses;       /* all a name resolved to, tried in turn */
  guint                      address_index;
  gint64                     started;
  gint64                     login_done;
  gint64                     query_started;
  gint64                     ended;
};

const char *burrow_db_login_kind_name                (BurrowDbLogin      *self);
char       *burrow_db_login_format_endpoint          (BurrowDbLogin      *self);
char       *burrow_db_login_first_line               (const char         *message);

void        burrow_db_login_watch_fd                 (BurrowDbLogin      *self,
                                                      int                 fd,
                                                      GIOCondition        condition,
                                                      GUnixFDSourceFunc   func);
void        burrow_db_login_clear_io                 (BurrowDbLogin      *self);
gboolean    burrow_db_login_try_next_address         (BurrowDbLogin      *self);

void        burrow_db_login_fail                     (BurrowDbLogin      *self,
                                                      GError             *error);
void        burrow_db_login_succeed                  (BurrowDbLogin      *self,
                                                      gboolean            logged_in,
                                                      gboolean            tls,
                                                      const char         *server_version,
                                                      const char         *query,
                                                      char               *description);
void        burrow_db_login_succeed_logged_in        (BurrowDbLogin      *self,
                                                      const char         *user,
                                                      const char         *database,
                                                      gboolean            tls,
                                                      const char         *tls_text,
                                                      const char         *server_version);

/* Errors every kind can meet, in words that name the server and the way
 * out. */
GError     *burrow_db_login_error_refused            (BurrowDbLogin      *self);
GError     *burrow_db_login_error_connect_failed     (BurrowDbLogin      *self,
                                                      const char         *detail);
GError     *burrow_db_login_error_closed             (BurrowDbLogin      *self);
GError     *burrow_db_login_error_not_this_kind      (BurrowDbLogin      *self,
                                                      const char         *detail);
GError     *burrow_db_login_error_timeout            (BurrowDbLogin      *self);
GError     *burrow_db_login_error_password_refused   (BurrowDbLogin      *self,
                                                      const char         *hint);
GError     *burrow_db_login_error_query_failed       (BurrowDbLogin      *self,
                                                      const char         *detail);

G_END_DECLS
