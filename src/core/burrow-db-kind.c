/* burrow-db-kind.c — the kinds of database Burrow knows, and their defaults.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "burrow-db-kind.h"
#include "burrow-enum.h"
#include "burrow-jump-host.h"
#include "burrow-shell.h"

typedef struct
{
  const char   *display_name;
  guint16       default_port;  /* 0: none, the analyst must say */
} KindInfo;

static const KindInfo kinds[] = {
  [BURROW_DB_KIND_POSTGRESQL] = { N_("PostgreSQL"), 5432 },
  [BURROW_DB_KIND_REDSHIFT] = { N_("Amazon Redshift"), 5439 },
  [BURROW_DB_KIND_MYSQL] = { N_("MySQL"), 3306 },
  [BURROW_DB_KIND_MARIADB] = { N_("MariaDB"), 3306 },
  [BURROW_DB_KIND_SQLSERVER] = { N_("SQL Server"), 1433 },
  [BURROW_DB_KIND_ORACLE] = { N_("Oracle"), 1521 },
  [BURROW_DB_KIND_MONGODB] = { N_("MongoDB"), 27017 },
  [BURROW_DB_KIND_CLICKHOUSE] = { N_("ClickHouse"), 9000 },
  [BURROW_DB_KIND_OTHER] = { N_("Other"), 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == BURROW_DB_KIND_LAST + 1);

/* The nicks are the ids, in connections.ini and on the command line: one
 * table for GObject and for the files. */
G_DEFINE_ENUM_TYPE (BurrowDbKind, burrow_db_kind,
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_POSTGRESQL, "postgresql"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_REDSHIFT, "redshift"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_MYSQL, "mysql"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_MARIADB, "mariadb"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_SQLSERVER, "sqlserver"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_ORACLE, "oracle"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_MONGODB, "mongodb"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_CLICKHOUSE, "clickhouse"),
  G_DEFINE_ENUM_VALUE (BURROW_DB_KIND_OTHER, "other"))

const char *
burrow_db_kind_to_id (BurrowDbKind kind)
{
  const char *id = burrow_enum_to_id (BURROW_TYPE_DB_KIND, kind);

  g_return_val_if_fail (id != NULL, "other");

  return id;
}

/* Case does not matter: a hand-edited file may say "PostgreSQL". */
gboolean
burrow_db_kind_from_id (const char   *id,
                        BurrowDbKind *kind)
{
  int value;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (!burrow_enum_from_id (BURROW_TYPE_DB_KIND, id, TRUE, &value))
    return FALSE;

  *kind = value;
  return TRUE;
}

const char *
burrow_db_kind_get_display_name (BurrowDbKind kind)
{
  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, NULL);

  return g_dgettext (GETTEXT_PACKAGE, kinds[kind].display_name);
}

guint16
burrow_db_kind_get_default_port (BurrowDbKind kind)
{
  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, 0);

  return kinds[kind].default_port;
}

/* Whether Burrow logs in to this kind for real (and runs a first query), or
 * only checks that the port answers. */
gboolean
burrow_db_kind_can_log_in (BurrowDbKind kind)
{
  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, FALSE);

  return burrow_db_kind_get_first_query (kind) != NULL;
}

/* The statement the login check runs once logged in, as the probe shows it;
 * NULL for kinds that only get a reachability check. */
const char *
burrow_db_kind_get_first_query (BurrowDbKind kind)
{
  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, NULL);

  switch (kind)
    {
    case BURROW_DB_KIND_POSTGRESQL:
    case BURROW_DB_KIND_REDSHIFT:
      return "SELECT version()";

    case BURROW_DB_KIND_MYSQL:
    case BURROW_DB_KIND_MARIADB:
      return "SELECT VERSION()";

    case BURROW_DB_KIND_SQLSERVER:
    case BURROW_DB_KIND_ORACLE:
    case BURROW_DB_KIND_MONGODB:
    case BURROW_DB_KIND_CLICKHOUSE:
    case BURROW_DB_KIND_OTHER:
    default:
      return NULL;
    }
}

void
burrow_db_connection_string_free (BurrowDbConnectionString *self)
{
  if (self == NULL)
    return;

  g_free (self->label);
  g_free (self->value);
  g_free (self);
}

static void
add_string (GPtrArray  *strings,
            const char *label,
            char       *value)
{
  BurrowDbConnectionString *string = g_new0 (BurrowDbConnectionString, 1);

  string->label = g_strdup (label);
  string->value = value;
  g_ptr_array_add (strings, string);
}

static gboolean
is_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

/* Percent-encodes everything but RFC 3986's unreserved characters, so that
 * a user or database name can never be read as a separator. */
static char *
uri_escape (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

/* A value in libpq's keyword=value form: single quotes when it holds a
 * space, a quote or a backslash (or is empty), with those escaped. */
static char *
libpq_quote (const char *value)
{
  GString *quoted;

  if (*value != '\0' && strpbrk (value, " \t\n\r\f\v'\\") == NULL)
    return g_strdup (value);

  quoted = g_string_new ("'");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');

  return g_string_free (quoted, FALSE);
}

/* Shell double quotes read better for psql's conninfo, but they only keep
 * text literal when it holds none of $ ` \ " ! — otherwise single quotes. */
static char *
shell_quote_conninfo (const char *conninfo)
{
  if (strpbrk (conninfo, "$`\\\"!") == NULL)
    return g_strdup_printf ("\"%s\"", conninfo);

  return g_shell_quote (conninfo);
}

/* " OPTION VALUE" with VALUE as one shell word; nothing when VALUE is empty. */
static void
append_shell_option (GString    *command,
                     const char *option,
                     const char *value)
{
  g_autofree char *word = NULL;

  if (is_empty (value))
    return;

  word = burrow_shell_word (value);
  g_string_append_printf (command, " %s %s", option, word);
}

/* " keyword=value" in libpq's form; nothing when VALUE is empty. */
static void
append_libpq_keyword (GString    *conninfo,
                      const char *keyword,
                      const char *value)
{
  g_autofree char *quoted = NULL;

  if (is_empty (value))
    return;

  quoted = libpq_quote (value);
  g_string_append_printf (conninfo, "%s%s=%s", conninfo->len > 0 ? " " : "", keyword, quoted);
}

/* "scheme://user@host:port/database", leaving out what is empty. */
static char *
build_uri (const char *scheme,
           const char *authority,
           const char *database,
           const char *user)
{
  g_autofree char *user_part = NULL;
  g_autofree char *database_part = NULL;

  if (!is_empty (user))
    {
      g_autofree char *escaped = uri_escape (user);

      user_part = g_strconcat (escaped, "@", NULL);
    }

  if (!is_empty (database))
    {
      g_autofree char *escaped = uri_escape (database);

      database_part = g_strconcat ("/", escaped, NULL);
    }

  return g_strconcat (scheme, "://", user_part ? user_part : "", authority,
                      database_part ? database_part : "", NULL);
}

static void
add_postgresql_strings (GPtrArray    *strings,
                        BurrowDbKind  kind,
                        const char   *db_host,
                        const char   *local_host,
                        guint16       local_port,
                        const char   *authority,
                        const char   *database,
                        const char   *user)
{
  g_autoptr(GString) conninfo = g_string_new (NULL);
  g_autofree char *jdbc_database = uri_escape (is_empty (database) ? "" : database);
  g_autofree char *psql_argument = NULL;
  g_autofree char *port = g_strdup_printf ("%u", local_port);

  /* host names the real server so that TLS still checks its certificate
   * name; hostaddr is where the bytes actually go. */
  if (!is_empty (db_host) && g_strcmp0 (db_host, local_host) != 0)
    {
      append_libpq_keyword (conninfo, "host", db_host);
      append_libpq_keyword (conninfo, "hostaddr", local_host);
    }
  else
    {
      append_libpq_keyword (conninfo, "host", local_host);
    }

  append_libpq_keyword (conninfo, "port", port);
  append_libpq_keyword (conninfo, "dbname", database);
  append_libpq_keyword (conninfo, "user", user);

  psql_argument = shell_quote_conninfo (conninfo->str);
  add_string (strings, "psql", g_strconcat ("psql ", psql_argument, NULL));
  add_string (strings, _("libpq URI"), build_uri ("postgresql", authority, database, user));
  add_string (strings, "JDBC",
              g_strdup_printf ("jdbc:%s://%s/%s",
                               kind == BURROW_DB_KIND_REDSHIFT ? "redshift" : "postgresql",
                               authority, jdbc_database));
  add_string (strings, "SQLAlchemy",
              build_uri ("postgresql+psycopg2", authority, database, user));
}

static void
add_mysql_strings (GPtrArray    *strings,
                   BurrowDbKind  kind,
                   const char   *local_host,
                   guint16       local_port,
                   const char   *authority,
                   const char   *database,
                   const char   *user)
{
  g_autoptr(GString) command = g_string_new ("mysql");
  g_autofree char *host_word = burrow_shell_word (local_host);
  g_autofree char *jdbc_database = uri_escape (is_empty (database) ? "" : database);

  g_string_append_printf (command, " -h %s -P %u", host_word, local_port);
  append_shell_option (command, "-u", user);

  /* -p alone makes the client prompt, so the password never lands in the
   * shell history. */
  g_string_append (command, " -p");
  /* As an option's value, a name that starts with "-" cannot be read as
   * another option (a bare "--pager=…" would run a command). */
  append_shell_option (command, "-D", database);

  add_string (strings, "mysql", g_string_free (g_steal_pointer (&command), FALSE));
  add_string (strings, "JDBC",
              g_strdup_printf ("jdbc:%s://%s/%s",
                               kind == BURROW_DB_KIND_MARIADB ? "mariadb" : "mysql",
                               authority, jdbc_database));
  add_string (strings, "SQLAlchemy", build_uri ("mysql+pymysql", authority, database, user));
}

/* A SQL Server JDBC property value: braces when it holds a separator,
 * with a closing brace doubled inside them. */
static char *
sqlserver_property (const char *value)
{
  GString *quoted;

  if (strpbrk (value, ";{}= \t") == NULL)
    return g_strdup (value);

  quoted = g_string_new ("{");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '}')
        g_string_append_c (quoted, '}');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '}');

  return g_string_free (quoted, FALSE);
}

static void
add_sqlserver_strings (GPtrArray  *strings,
                       const char *db_host,
                       const char *local_host,
                       guint16     local_port,
                       const char *authority,
                       const char *database,
                       const char *user)
{
  g_autoptr(GString) jdbc = g_string_new (NULL);
  g_autoptr(GString) sqlcmd = g_string_new ("sqlcmd");
  g_autofree char *server = g_strdup_printf ("%s,%u", local_host, local_port);
  g_autofree char *server_word = burrow_shell_word (server);

  g_string_append_printf (jdbc, "jdbc:sqlserver://%s", authority);
  if (!is_empty (database))
    {
      g_autofree char *value = sqlserver_property (database);

      g_string_append_printf (jdbc, ";databaseName=%s", value);
    }
  /* Through a tunnel the certificate names the real server, not 127.0.0.1. */
  if (!is_empty (db_host) && g_strcmp0 (db_host, local_host) != 0)
    {
      g_autofree char *value = sqlserver_property (db_host);

      g_string_append_printf (jdbc, ";hostNameInCertificate=%s", value);
    }

  g_string_append_printf (sqlcmd, " -S %s", server_word);
  append_shell_option (sqlcmd, "-U", user);
  append_shell_option (sqlcmd, "-d", database);

  add_string (strings, "JDBC", g_string_free (g_steal_pointer (&jdbc), FALSE));
  add_string (strings, "sqlcmd", g_string_free (g_steal_pointer (&sqlcmd), FALSE));
  add_string (strings, "SQLAlchemy", build_uri ("mssql+pymssql", authority, database, user));
}

static void
add_oracle_strings (GPtrArray  *strings,
                    const char *authority,
                    const char *database,
                    const char *user)
{
  /* For Oracle the "database" is the service name, which Easy Connect
   * takes as it is: service names hold no URI separators. */
  const char *service = is_empty (database) ? "" : database;
  g_autofree char *escaped_service = uri_escape (service);
  g_autofree char *easy_connect = g_strdup_printf ("//%s/%s", authority, service);
  g_autofree char *sqlplus_target = NULL;
  g_autofree char *sqlplus_word = NULL;
  g_autofree char *sqlalchemy = build_uri ("oracle+oracledb", authority, NULL, user);

  sqlplus_target = is_empty (user) ? g_strdup (easy_connect)
                                   : g_strconcat (user, "@", easy_connect, NULL);
  sqlplus_word = burrow_shell_word (sqlplus_target);

  add_string (strings, "JDBC", g_strconcat ("jdbc:oracle:thin:@", easy_connect, NULL));
  add_string (strings, "sqlplus", g_strconcat ("sqlplus ", sqlplus_word, NULL));
  add_string (strings, "SQLAlchemy",
              g_strconcat (sqlalchemy, "/?service_name=", escaped_service, NULL));
}

static void
add_mongodb_strings (GPtrArray  *strings,
                     const char *authority,
                     const char *database,
                     const char *user)
{
  g_autofree char *base = build_uri ("mongodb", authority, database, user);
  /* Without directConnection a driver asks the server for its replica set
   * and then tries the members' own addresses, which the tunnel hides. */
  g_autofree char *uri = g_strconcat (base, is_empty (database) ? "/" : "",
                                      "?directConnection=true", NULL);

  add_string (strings, _("MongoDB URI"), g_strdup (uri));
  /* An escaped URI holds nothing that shell double quotes would change. */
  add_string (strings, "mongosh", g_strdup_printf ("mongosh \"%s\"", uri));
}

static void
add_clickhouse_strings (GPtrArray  *strings,
                        const char *local_host,
                        guint16     local_port,
                        const char *authority,
                        const char *database,
                        const char *user)
{
  g_autoptr(GString) command = g_string_new ("clickhouse-client");
  g_autofree char *host_word = burrow_shell_word (local_host);

  g_string_append_printf (command, " --host %s --port %u", host_word, local_port);
  append_shell_option (command, "--user", user);
  append_shell_option (command, "--database", database);

  add_string (strings, "clickhouse-client", g_string_free (g_steal_pointer (&command), FALSE));
  add_string (strings, "SQLAlchemy", build_uri ("clickhouse+native", authority, database, user));
}

/**
 * burrow_db_kind_build_connection_strings:
 * @kind: the database kind
 * @db_host: (nullable): the database's real host name, as seen from the
 *   bastion; used where a client can check TLS names against it
 * @local_host: (nullable): the local endpoint's address; %NULL for 127.0.0.1
 * @local_port: the local endpoint's port
 * @database: (nullable): the database (the service name for Oracle)
 * @user: (nullable): the database user
 *
 * The ready strings an analyst copies into their own tool, most common
 * first. None of them holds a password: the tools ask for it.
 *
 * Returns: (transfer full) (element-type BurrowDbConnectionString): the strings
 */
GPtrArray *
burrow_db_kind_build_connection_strings (BurrowDbKind  kind,
                                         const char   *db_host,
                                         const char   *local_host,
                                         guint16       local_port,
                                         const char   *database,
                                         const char   *user)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_autofree char *authority = NULL;

  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, NULL);

  strings = g_ptr_array_new_with_free_func ((GDestroyNotify) burrow_db_connection_string_free);
  if (is_empty (local_host))
    local_host = "127.0.0.1";
  authority = burrow_format_host_port (local_host, local_port);

  switch (kind)
    {
    case BURROW_DB_KIND_POSTGRESQL:
    case BURROW_DB_KIND_REDSHIFT:
      add_postgresql_strings (strings, kind, db_host, local_host, local_port,
                              authority, database, user);
      break;

    case BURROW_DB_KIND_MYSQL:
    case BURROW_DB_KIND_MARIADB:
      add_mysql_strings (strings, kind, local_host, local_port, authority, database, user);
      break;

    case BURROW_DB_KIND_SQLSERVER:
      add_sqlserver_strings (strings, db_host, local_host, local_port,
                             authority, database, user);
      break;

    case BURROW_DB_KIND_ORACLE:
      add_oracle_strings (strings, authority, database, user);
      break;

    case BURROW_DB_KIND_MONGODB:
      add_mongodb_strings (strings, authority, database, user);
      break;

    case BURROW_DB_KIND_CLICKHOUSE:
      add_clickhouse_strings (strings, local_host, local_port, authority, database, user);
      break;

    case BURROW_DB_KIND_OTHER:
    default:
      add_string (strings, _("Address"), g_strdup (authority));
      break;
    }

  return g_steal_pointer (&strings);
}
