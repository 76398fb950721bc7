/* test-database-fixtures.c — the PostgreSQL and MariaDB fixtures are real
 * servers that their own client libraries log in to over TCP.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libpq-fe.h>
#include <mysql.h>

#include "burrow-test-database.h"
#include "burrow-test-env.h"

static PGconn *
login_to_postgres (BurrowTestDatabase *db,
                  const char         *password)
{
  g_autofree char *port = g_strdup_printf ("%u", burrow_test_database_get_port (db));
  const char *keys[] = { "host", "port", "user", "password", "dbname", "connect_timeout", NULL };
  const char *values[] = { "127.0.0.1", port, BURROW_TEST_DB_USER, password, BURROW_TEST_DB_NAME, "10", NULL };

  return PQconnectdbParams (keys, values, 0);
}

static void
test_postgres_select (void)
{
  g_autoptr(BurrowTestDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  PGresult *result;

  db = burrow_test_postgres_new (&error);
  g_assert_no_error (error);

  conn = login_to_postgres (db, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  result = PQexec (conn, "SELECT 1");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "1");
  PQclear (result);
  PQfinish (conn);

  /* The password is really checked: the login tests depend on it. */
  conn = login_to_postgres (db, "not-the-password");
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_nonnull (strstr (PQerrorMessage (conn), "password authentication failed"));
  PQfinish (conn);
}

static MYSQL *
login_to_mariadb (BurrowTestDatabase *db,
                 const char         *password)
{
  MYSQL *mysql = mysql_init (NULL);
  unsigned int timeout = 10;

  mysql_options (mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (mysql_real_connect (mysql, "127.0.0.1", BURROW_TEST_DB_USER, password,
                          BURROW_TEST_DB_NAME, burrow_test_database_get_port (db),
                          NULL, 0) == NULL)
    g_test_message ("MariaDB login: %s", mysql_error (mysql));

  return mysql;
}

static void
test_mariadb_select (void)
{
  g_autoptr(BurrowTestDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  MYSQL *mysql;
  MYSQL_RES *result;
  MYSQL_ROW row;

  db = burrow_test_mariadb_new (&error);
  g_assert_no_error (error);

  mysql = login_to_mariadb (db, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpuint (mysql_errno (mysql), ==, 0);
  g_assert_cmpint (mysql_query (mysql, "SELECT 1"), ==, 0);
  result = mysql_store_result (mysql);
  g_assert_nonnull (result);
  row = mysql_fetch_row (result);
  g_assert_cmpstr (row[0], ==, "1");
  mysql_free_result (result);
  mysql_close (mysql);

  mysql = login_to_mariadb (db, "not-the-password");
  g_assert_cmpuint (mysql_errno (mysql), ==, 1045);  /* ER_ACCESS_DENIED_ERROR */
  mysql_close (mysql);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/database-fixtures/postgres-select", test_postgres_select);
  g_test_add_func ("/burrow/database-fixtures/mariadb-select", test_mariadb_select);

  return g_test_run ();
}
