/* test-db-kind.c — database kinds: ids, defaults, first queries, and the
 * connection strings an analyst copies, read back by the tools' own rules.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libpq-fe.h>

#include "burrow-core.h"
#include "burrow-test-env.h"

/* Names that break naive string building: a space, a quote, a slash, an
 * at sign, a percent sign, a dollar, a backslash. */
#define TRICKY_USER "o'brien @ana%"
#define TRICKY_DB   "q1 sales/2024 $x\\y"

static const char *
find_string (GPtrArray  *strings,
             const char *label)
{
  for (guint i = 0; i < strings->len; i++)
    {
      BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

      if (g_str_equal (string->label, label))
        return string->value;
    }

  g_error ("no connection string labelled “%s”", label);
  return NULL;
}

/* The value of @keyword in a libpq connection string (keyword form or URI),
 * as libpq itself reads it. */
static char *
libpq_value (const char *conninfo,
             const char *keyword)
{
  char *parse_error = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &parse_error);
  char *value = NULL;

  g_assert_null (parse_error);
  g_assert_nonnull (options);
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, keyword))
      value = g_strdup (option->val);
  PQconninfoFree (options);

  return value;
}

/* The words a POSIX shell makes of @command_line. */
static char **
shell_words (const char *command_line)
{
  g_autoptr(GError) error = NULL;
  char **argv = NULL;

  g_assert_true (g_shell_parse_argv (command_line, NULL, &argv, &error));
  g_assert_no_error (error);

  return argv;
}

static void
test_kinds (void)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (BURROW_TYPE_DB_KIND);

  g_assert_cmpuint (enum_class->n_values, ==, BURROW_DB_KIND_LAST + 1);
  for (BurrowDbKind kind = 0; kind <= BURROW_DB_KIND_LAST; kind++)
    {
      GEnumValue *value = g_enum_get_value (enum_class, kind);
      BurrowDbKind parsed;

      g_assert_nonnull (value);

      g_assert_true (burrow_db_kind_from_id (burrow_db_kind_to_id (kind), &parsed));
      g_assert_cmpint (parsed, ==, kind);
      g_assert_nonnull (burrow_db_kind_get_display_name (kind));
      g_assert_cmpint (burrow_db_kind_can_log_in (kind), ==,
                       burrow_db_kind_get_first_query (kind) != NULL);
      /* The GType's nicks are the ids, whatever order either table has. */
      g_assert_cmpstr (value->value_nick, ==, burrow_db_kind_to_id (kind));
    }

  g_assert_cmpstr (burrow_db_kind_get_first_query (BURROW_DB_KIND_POSTGRESQL), ==, "SELECT version()");
  g_assert_cmpstr (burrow_db_kind_get_first_query (BURROW_DB_KIND_REDSHIFT), ==, "SELECT version()");
  g_assert_cmpstr (burrow_db_kind_get_first_query (BURROW_DB_KIND_MYSQL), ==, "SELECT VERSION()");
  g_assert_cmpstr (burrow_db_kind_get_first_query (BURROW_DB_KIND_MARIADB), ==, "SELECT VERSION()");
  g_assert_false (burrow_db_kind_can_log_in (BURROW_DB_KIND_SQLSERVER));
  g_assert_false (burrow_db_kind_can_log_in (BURROW_DB_KIND_OTHER));
  g_assert_cmpuint (burrow_db_kind_get_default_port (BURROW_DB_KIND_REDSHIFT), ==, 5439);
}

static void
test_postgresql_plain (void)
{
  g_autoptr(GPtrArray) strings = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_POSTGRESQL, "db.internal",
                                                     NULL, 15432, "sales", "ana");
  g_assert_cmpstr (find_string (strings, "psql"), ==,
                   "psql \"host=db.internal hostaddr=127.0.0.1 port=15432 dbname=sales user=ana\"");
  g_assert_cmpstr (find_string (strings, "libpq URI"), ==, "postgresql://ana@127.0.0.1:15432/sales");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==, "jdbc:postgresql://127.0.0.1:15432/sales");
  g_assert_cmpstr (find_string (strings, "SQLAlchemy"), ==,
                   "postgresql+psycopg2://ana@127.0.0.1:15432/sales");
  g_ptr_array_unref (strings);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_REDSHIFT, "dwh.example",
                                                     NULL, 15439, "dev", "ana");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==, "jdbc:redshift://127.0.0.1:15439/dev");
  g_ptr_array_unref (strings);

  /* Without a tunnel there is no other host name to check TLS against. */
  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_POSTGRESQL, NULL,
                                                     NULL, 5432, NULL, NULL);
  g_assert_cmpstr (find_string (strings, "psql"), ==, "psql \"host=127.0.0.1 port=5432\"");
  g_assert_cmpstr (find_string (strings, "libpq URI"), ==, "postgresql://127.0.0.1:5432");
  g_clear_pointer (&strings, g_ptr_array_unref);
}

static void
test_postgresql_tricky (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_auto(GStrv) words = NULL;
  const char *tricky_dbs[] = { TRICKY_DB, "it's \"quoted\"", "a=b c" };

  for (guint i = 0; i < G_N_ELEMENTS (tricky_dbs); i++)
    {
      g_autofree char *host = NULL;
      g_autofree char *hostaddr = NULL;
      g_autofree char *dbname = NULL;
      g_autofree char *user = NULL;
      g_autofree char *uri_dbname = NULL;
      g_autofree char *uri_user = NULL;
      g_autofree char *uri_host = NULL;

      strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_POSTGRESQL,
                                                         "db.internal", NULL, 15432,
                                                         tricky_dbs[i], TRICKY_USER);

      /* The shell gives psql one argument, and libpq reads it back. */
      words = shell_words (find_string (strings, "psql"));
      g_assert_cmpuint (g_strv_length (words), ==, 2);
      g_assert_cmpstr (words[0], ==, "psql");
      host = libpq_value (words[1], "host");
      hostaddr = libpq_value (words[1], "hostaddr");
      dbname = libpq_value (words[1], "dbname");
      user = libpq_value (words[1], "user");
      g_assert_cmpstr (host, ==, "db.internal");
      g_assert_cmpstr (hostaddr, ==, "127.0.0.1");
      g_assert_cmpstr (dbname, ==, tricky_dbs[i]);
      g_assert_cmpstr (user, ==, TRICKY_USER);
      g_clear_pointer (&words, g_strfreev);

      uri_dbname = libpq_value (find_string (strings, "libpq URI"), "dbname");
      uri_user = libpq_value (find_string (strings, "libpq URI"), "user");
      uri_host = libpq_value (find_string (strings, "libpq URI"), "host");
      g_assert_cmpstr (uri_dbname, ==, tricky_dbs[i]);
      g_assert_cmpstr (uri_user, ==, TRICKY_USER);
      g_assert_cmpstr (uri_host, ==, "127.0.0.1");

      /* Nothing in a URI may stay unescaped that could end the path. */
      g_assert_null (strchr (find_string (strings, "JDBC") + strlen ("jdbc:postgresql://"), ' '));
      g_assert_true (g_str_has_prefix (find_string (strings, "SQLAlchemy"),
                                       "postgresql+psycopg2://o%27brien%20%40ana%25@127.0.0.1:15432/"));
      g_clear_pointer (&strings, g_ptr_array_unref);
    }
}

static void
test_mysql (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MYSQL, "db.internal",
                                                     NULL, 13306, "sales", "ana");
  g_assert_cmpstr (find_string (strings, "mysql"), ==, "mysql -h 127.0.0.1 -P 13306 -u ana -p -D sales");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==, "jdbc:mysql://127.0.0.1:13306/sales");
  g_assert_cmpstr (find_string (strings, "SQLAlchemy"), ==, "mysql+pymysql://ana@127.0.0.1:13306/sales");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MARIADB, "db.internal",
                                                     NULL, 13306, TRICKY_DB, TRICKY_USER);
  g_assert_cmpstr (find_string (strings, "JDBC"), ==,
                   "jdbc:mariadb://127.0.0.1:13306/q1%20sales%2F2024%20%24x%5Cy");

  /* "-p" stays alone, so the client prompts for the password. */
  words = shell_words (find_string (strings, "mysql"));
  g_assert_cmpuint (g_strv_length (words), ==, 10);
  g_assert_cmpstr (words[0], ==, "mysql");
  g_assert_cmpstr (words[2], ==, "127.0.0.1");
  g_assert_cmpstr (words[4], ==, "13306");
  g_assert_cmpstr (words[6], ==, TRICKY_USER);
  g_assert_cmpstr (words[7], ==, "-p");
  g_assert_cmpstr (words[8], ==, "-D");
  g_assert_cmpstr (words[9], ==, TRICKY_DB);
  g_clear_pointer (&words, g_strfreev);
  g_clear_pointer (&strings, g_ptr_array_unref);

  /* A database name that looks like an option stays the value of -D:
   * as a word of its own, mysql would take it for an option. */
  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MYSQL, NULL, NULL, 3306,
                                                     "--pager=touch /tmp/x", "ana");
  words = shell_words (find_string (strings, "mysql"));
  g_assert_cmpuint (g_strv_length (words), ==, 10);
  g_assert_cmpstr (words[8], ==, "-D");
  g_assert_cmpstr (words[9], ==, "--pager=touch /tmp/x");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MARIADB, "db.internal",
                                                     NULL, 13306, TRICKY_DB, TRICKY_USER);

  uri = g_uri_parse (find_string (strings, "SQLAlchemy"), G_URI_FLAGS_ENCODED_PATH, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "mysql+pymysql");
  g_assert_cmpstr (g_uri_get_user (uri), ==, TRICKY_USER);
  g_assert_cmpint (g_uri_get_port (uri), ==, 13306);
  /* One path segment: the slash in the name is escaped. */
  g_assert_null (strchr (g_uri_get_path (uri) + 1, '/'));
  path = g_uri_unescape_string (g_uri_get_path (uri) + 1, NULL);
  g_assert_cmpstr (path, ==, TRICKY_DB);
}

static void
test_sqlserver (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_auto(GStrv) words = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_SQLSERVER, "sql.internal",
                                                     NULL, 11433, "Sales", "ana");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==,
                   "jdbc:sqlserver://127.0.0.1:11433;databaseName=Sales;hostNameInCertificate=sql.internal");
  g_assert_cmpstr (find_string (strings, "sqlcmd"), ==, "sqlcmd -S 127.0.0.1,11433 -U ana -d Sales");
  g_clear_pointer (&strings, g_ptr_array_unref);

  /* A separator in a property value needs braces, and a brace doubling. */
  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_SQLSERVER, NULL,
                                                     NULL, 11433, "a;b}c", TRICKY_USER);
  g_assert_cmpstr (find_string (strings, "JDBC"), ==,
                   "jdbc:sqlserver://127.0.0.1:11433;databaseName={a;b}}c}");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_SQLSERVER, NULL,
                                                     NULL, 11433, "q1 sales", TRICKY_USER);
  g_assert_cmpstr (find_string (strings, "JDBC"), ==,
                   "jdbc:sqlserver://127.0.0.1:11433;databaseName={q1 sales}");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_SQLSERVER, NULL,
                                                     NULL, 11433, "a;b}c", TRICKY_USER);
  words = shell_words (find_string (strings, "sqlcmd"));
  g_assert_cmpstr (words[4], ==, TRICKY_USER);
  g_assert_cmpstr (words[6], ==, "a;b}c");
}

static void
test_oracle (void)
{
  g_autoptr(GPtrArray) strings = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_ORACLE, "ora.internal",
                                                     NULL, 11521, "ORCLPDB1", "scott");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==, "jdbc:oracle:thin:@//127.0.0.1:11521/ORCLPDB1");
  g_assert_cmpstr (find_string (strings, "sqlplus"), ==, "sqlplus scott@//127.0.0.1:11521/ORCLPDB1");
  g_assert_cmpstr (find_string (strings, "SQLAlchemy"), ==,
                   "oracle+oracledb://scott@127.0.0.1:11521/?service_name=ORCLPDB1");
}

static void
test_mongodb (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MONGODB, "mongo.internal",
                                                     NULL, 27018, "sales", "ana");
  g_assert_cmpstr (find_string (strings, "MongoDB URI"), ==,
                   "mongodb://ana@127.0.0.1:27018/sales?directConnection=true");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_MONGODB, "mongo.internal",
                                                     NULL, 27018, TRICKY_DB, TRICKY_USER);
  uri = g_uri_parse (find_string (strings, "MongoDB URI"), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_user (uri), ==, TRICKY_USER);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_query (uri), ==, "directConnection=true");

  words = shell_words (find_string (strings, "mongosh"));
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  g_assert_cmpstr (words[1], ==, find_string (strings, "MongoDB URI"));
}

static void
test_clickhouse_and_other (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_auto(GStrv) words = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_CLICKHOUSE, "ch.internal",
                                                     NULL, 19000, "default", "ana");
  g_assert_cmpstr (find_string (strings, "clickhouse-client"), ==,
                   "clickhouse-client --host 127.0.0.1 --port 19000 --user ana --database default");
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_CLICKHOUSE, NULL,
                                                     NULL, 19000, TRICKY_DB, TRICKY_USER);
  words = shell_words (find_string (strings, "clickhouse-client"));
  g_assert_cmpstr (words[6], ==, TRICKY_USER);
  g_assert_cmpstr (words[8], ==, TRICKY_DB);
  g_clear_pointer (&strings, g_ptr_array_unref);

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_OTHER, "x.internal",
                                                     NULL, 18080, NULL, NULL);
  g_assert_cmpuint (strings->len, ==, 1);
  g_assert_cmpstr (((BurrowDbConnectionString *) strings->pdata[0])->value, ==, "127.0.0.1:18080");
}

static void
test_ipv6_endpoint (void)
{
  g_autoptr(GPtrArray) strings = NULL;
  g_autofree char *hostaddr = NULL;
  g_auto(GStrv) words = NULL;

  strings = burrow_db_kind_build_connection_strings (BURROW_DB_KIND_POSTGRESQL, "db.internal",
                                                     "::1", 15432, "sales", "ana");
  g_assert_cmpstr (find_string (strings, "libpq URI"), ==, "postgresql://ana@[::1]:15432/sales");
  g_assert_cmpstr (find_string (strings, "JDBC"), ==, "jdbc:postgresql://[::1]:15432/sales");
  words = shell_words (find_string (strings, "psql"));
  hostaddr = libpq_value (words[1], "hostaddr");
  g_assert_cmpstr (hostaddr, ==, "::1");
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/db-kind/kinds", test_kinds);
  g_test_add_func ("/burrow/db-kind/postgresql/plain", test_postgresql_plain);
  g_test_add_func ("/burrow/db-kind/postgresql/tricky-names", test_postgresql_tricky);
  g_test_add_func ("/burrow/db-kind/mysql", test_mysql);
  g_test_add_func ("/burrow/db-kind/sqlserver", test_sqlserver);
  g_test_add_func ("/burrow/db-kind/oracle", test_oracle);
  g_test_add_func ("/burrow/db-kind/mongodb", test_mongodb);
  g_test_add_func ("/burrow/db-kind/clickhouse-and-other", test_clickhouse_and_other);
  g_test_add_func ("/burrow/db-kind/ipv6-endpoint", test_ipv6_endpoint);

  return g_test_run ();
}
