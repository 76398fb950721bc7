/* fuzz-connection-strings.c — the ready-to-copy connection strings, built
 * from whatever a user typed as database host, name and user.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A string an analyst pastes into a shell or a tool must mean what the
 * form says, whatever odd characters the names hold: each command line is
 * split the way a shell splits it, each libpq string and URI is read back
 * with libpq, GUri or the JDBC rules, and what comes out must be exactly
 * the host, database and user that went in.
 *
 * Input: a kind byte, two port bytes, a local-address byte, then the
 * database host, the database and the user, separated by NUL bytes.
 */

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

typedef struct
{
  BurrowDbKind  kind;
  const char   *db_host;
  const char   *local_host;
  guint16       port;
  const char   *database;
  const char   *user;
} Fields;

static gboolean
is_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

static const char *
nonempty_or_null (const char *s)
{
  return is_empty (s) ? NULL : s;
}

static const char *
find_value (GPtrArray  *strings,
            const char *label)
{
  for (guint i = 0; i < strings->len; i++)
    {
      BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

      if (g_str_equal (string->label, label))
        return string->value;
    }

  return NULL;
}

static GStrv
split_command (const char *command)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_shell_parse_argv (command, NULL, &argv, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&argv);
}

/* A command's options, each with the word after it as its value (as the
 * tools read a required argument, even one that starts with "-"); the
 * words in @flags take none. */
static GHashTable *
parse_options (GStrv        argv,
               const char  *flags)
{
  GHashTable *options = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 1; argv[i] != NULL; i++)
    {
      g_assert_true (argv[i][0] == '-');
      if (flags != NULL && g_str_equal (argv[i], flags))
        {
          g_hash_table_insert (options, argv[i], argv[i]);
          continue;
        }
      g_assert_nonnull (argv[i + 1]);
      g_assert_false (g_hash_table_contains (options, argv[i]));
      g_hash_table_insert (options, argv[i], argv[i + 1]);
      i++;
    }

  return options;
}

static const char *
conninfo_value (PQconninfoOption *options,
                const char       *keyword)
{
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (g_str_equal (o->keyword, keyword))
        return o->val;
    }

  g_assert_not_reached ();
}

static PQconninfoOption *
parse_conninfo (const char *conninfo)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);

  if (options == NULL)
    g_error ("libpq cannot read “%s”: %s", conninfo, message != NULL ? message : "out of memory");

  return options;
}

/* Where a libpq URI's user, database, host and port end up. */
static void
check_libpq_uri (const char   *uri,
                 const Fields *f)
{
  PQconninfoOption *options = parse_conninfo (uri);
  g_autofree char *port = g_strdup_printf ("%u", f->port);

  g_assert_cmpstr (conninfo_value (options, "dbname"), ==, nonempty_or_null (f->database));
  g_assert_cmpstr (conninfo_value (options, "user"), ==, nonempty_or_null (f->user));
  g_assert_cmpstr (conninfo_value (options, "host"), ==, f->local_host);
  g_assert_cmpstr (conninfo_value (options, "port"), ==, port);
  PQconninfoFree (options);
}

/* Another scheme's URI read as libpq's, for the parts they share. */
static void
check_uri_as_libpq (const char   *uri,
                    const char   *scheme,
                    const Fields *f)
{
  g_autofree char *as_libpq = NULL;

  g_assert_true (g_str_has_prefix (uri, scheme));
  as_libpq = g_strconcat ("postgresql", uri + strlen (scheme), NULL);
  check_libpq_uri (as_libpq, f);
}

static void
check_postgresql (GPtrArray    *strings,
                  const Fields *f)
{
  g_auto(GStrv) argv = split_command (find_value (strings, "psql"));
  g_autofree char *port = g_strdup_printf ("%u", f->port);
  const char *jdbc = find_value (strings, "JDBC");
  const char *jdbc_scheme = f->kind == BURROW_DB_KIND_REDSHIFT ? "jdbc:redshift:" : "jdbc:postgresql:";
  PQconninfoOption *options;

  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[0], ==, "psql");
  options = parse_conninfo (argv[1]);
  g_assert_cmpstr (conninfo_value (options, "dbname"), ==, nonempty_or_null (f->database));
  g_assert_cmpstr (conninfo_value (options, "user"), ==, nonempty_or_null (f->user));
  g_assert_cmpstr (conninfo_value (options, "port"), ==, port);
  if (!is_empty (f->db_host) && g_strcmp0 (f->db_host, f->local_host) != 0)
    {
      g_assert_cmpstr (conninfo_value (options, "host"), ==, f->db_host);
      g_assert_cmpstr (conninfo_value (options, "hostaddr"), ==, f->local_host);
    }
  else
    {
      g_assert_cmpstr (conninfo_value (options, "host"), ==, f->local_host);
      g_assert_null (conninfo_value (options, "hostaddr"));
    }
  PQconninfoFree (options);

  check_libpq_uri (find_value (strings, "libpq URI"), f);
  check_uri_as_libpq (find_value (strings, "SQLAlchemy"), "postgresql+psycopg2", f);

  /* JDBC has no user in the URL: the database and the address only. */
  g_assert_true (g_str_has_prefix (jdbc, jdbc_scheme));
  {
    g_autofree char *as_libpq = g_strconcat ("postgresql:", jdbc + strlen (jdbc_scheme), NULL);

    options = parse_conninfo (as_libpq);
    g_assert_cmpstr (conninfo_value (options, "dbname"), ==, nonempty_or_null (f->database));
    g_assert_cmpstr (conninfo_value (options, "host"), ==, f->local_host);
    g_assert_cmpstr (conninfo_value (options, "port"), ==, port);
    PQconninfoFree (options);
  }
}

/* A URI's user and database, decoded, against the fields. */
static void
check_uri (const char   *uri,
           const char   *scheme,
           const Fields *f,
           gboolean      database_in_path)
{
  g_autofree char *got_scheme = NULL;
  g_autofree char *userinfo = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int port = -1;

  g_uri_split (uri, G_URI_FLAGS_ENCODED, &got_scheme, &userinfo, &host, &port, &path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got_scheme, ==, scheme);
  g_assert_cmpstr (host, ==, f->local_host);
  g_assert_cmpint (port, ==, f->port);

  if (is_empty (f->user))
    g_assert_null (userinfo);
  else
    {
      g_autofree char *decoded = g_uri_unescape_string (userinfo, NULL);
      g_assert_cmpstr (decoded, ==, f->user);
    }

  if (database_in_path && !is_empty (f->database))
    {
      g_autofree char *decoded = NULL;

      g_assert_true (path[0] == '/');
      decoded = g_uri_unescape_string (path + 1, NULL);
      g_assert_cmpstr (decoded, ==, f->database);
    }
}

static void
check_mysql (GPtrArray    *strings,
             const Fields *f)
{
  g_auto(GStrv) argv = split_command (find_value (strings, "mysql"));
  g_autoptr(GHashTable) options = parse_options (argv, "-p");
  g_autofree char *port = g_strdup_printf ("%u", f->port);

  g_assert_cmpstr (argv[0], ==, "mysql");
  g_assert_cmpstr (g_hash_table_lookup (options, "-h"), ==, f->local_host);
  g_assert_cmpstr (g_hash_table_lookup (options, "-P"), ==, port);
  g_assert_cmpstr (g_hash_table_lookup (options, "-u"), ==, nonempty_or_null (f->user));
  g_assert_cmpstr (g_hash_table_lookup (options, "-D"), ==, nonempty_or_null (f->database));
  /* -p alone: the client asks for the password. */
  g_assert_true (g_hash_table_contains (options, "-p"));

  check_uri (find_value (strings, "SQLAlchemy"), "mysql+pymysql", f, TRUE);
}

/* "key=value;…" of a SQL Server JDBC URL, a value in braces when it holds
 * a separator, "}}" for a brace inside them. */
static GHashTable *
parse_sqlserver_properties (const char *text)
{
  GHashTable *properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = text;

  while (*p == ';')
    {
      const char *equals = strchr (++p, '=');
      g_autoptr(GString) value = g_string_new (NULL);
      char *key;

      g_assert_nonnull (equals);
      key = g_strndup (p, equals - p);
      p = equals + 1;

      if (*p == '{')
        {
          for (p++; !(p[0] == '}' && p[1] != '}'); p++)
            {
              g_assert_true (*p != '\0');
              if (p[0] == '}')
                p++;
              g_string_append_c (value, *p);
            }
          p++;
        }
      else
        {
          while (*p != '\0' && *p != ';')
            g_string_append_c (value, *p++);
        }

      g_hash_table_insert (properties, key, g_string_free (g_steal_pointer (&value), FALSE));
    }
  g_assert_true (*p == '\0');

  return properties;
}

static void
check_sqlserver (GPtrArray    *strings,
                 const Fields *f)
{
  g_auto(GStrv) argv = split_command (find_value (strings, "sqlcmd"));
  g_autoptr(GHashTable) options = parse_options (argv, NULL);
  g_autofree char *server = g_strdup_printf ("%s,%u", f->local_host, f->port);
  g_autofree char *authority = burrow_format_host_port (f->local_host, f->port);
  g_autofree char *prefix = g_strconcat ("jdbc:sqlserver://", authority, NULL);
  const char *jdbc = find_value (strings, "JDBC");
  g_autoptr(GHashTable) properties = NULL;

  g_assert_cmpstr (argv[0], ==, "sqlcmd");
  g_assert_cmpstr (g_hash_table_lookup (options, "-S"), ==, server);
  g_assert_cmpstr (g_hash_table_lookup (options, "-U"), ==, nonempty_or_null (f->user));
  g_assert_cmpstr (g_hash_table_lookup (options, "-d"), ==, nonempty_or_null (f->database));

  g_assert_true (g_str_has_prefix (jdbc, prefix));
  properties = parse_sqlserver_properties (jdbc + strlen (prefix));
  g_assert_cmpstr (g_hash_table_lookup (properties, "databaseName"), ==, nonempty_or_null (f->database));
  if (!is_empty (f->db_host) && g_strcmp0 (f->db_host, f->local_host) != 0)
    g_assert_cmpstr (g_hash_table_lookup (properties, "hostNameInCertificate"), ==, f->db_host);
  else
    g_assert_null (g_hash_table_lookup (properties, "hostNameInCertificate"));

  check_uri (find_value (strings, "SQLAlchemy"), "mssql+pymssql", f, TRUE);
}

static void
check_mongodb (GPtrArray    *strings,
               const Fields *f)
{
  const char *uri = find_value (strings, "MongoDB URI");
  g_auto(GStrv) argv = split_command (find_value (strings, "mongosh"));

  check_uri (uri, "mongodb", f, TRUE);
  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[1], ==, uri);
}

static void
check_clickhouse (GPtrArray    *strings,
                  const Fields *f)
{
  g_auto(GStrv) argv = split_command (find_value (strings, "clickhouse-client"));
  g_autoptr(GHashTable) options = parse_options (argv, NULL);
  g_autofree char *port = g_strdup_printf ("%u", f->port);

  g_assert_cmpstr (argv[0], ==, "clickhouse-client");
  g_assert_cmpstr (g_hash_table_lookup (options, "--host"), ==, f->local_host);
  g_assert_cmpstr (g_hash_table_lookup (options, "--port"), ==, port);
  g_assert_cmpstr (g_hash_table_lookup (options, "--user"), ==, nonempty_or_null (f->user));
  g_assert_cmpstr (g_hash_table_lookup (options, "--database"), ==, nonempty_or_null (f->database));

  check_uri (find_value (strings, "SQLAlchemy"), "clickhouse+native", f, TRUE);
}

static void
check_oracle (GPtrArray    *strings,
              const Fields *f)
{
  g_auto(GStrv) argv = split_command (find_value (strings, "sqlplus"));

  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[0], ==, "sqlplus");
  check_uri (find_value (strings, "SQLAlchemy"), "oracle+oracledb", f, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *local_hosts[] = { NULL, "127.0.0.1", "::1" };
  g_autofree char *db_host = NULL;
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  Fields f;

  burrow_fuzz_init ();

  if (size < 4)
    return 0;

  f.kind = data[0] % (BURROW_DB_KIND_LAST + 1);
  f.port = (guint16)(data[1] << 8 | data[2]);
  f.local_host = local_hosts[data[3] % G_N_ELEMENTS (local_hosts)];
  data += 4;
  size -= 4;
  db_host = burrow_fuzz_take_string (&data, &size);
  database = burrow_fuzz_take_string (&data, &size);
  user = burrow_fuzz_take_string (&data, &size);
  f.db_host = db_host;
  f.database = database;
  f.user = user;

  strings = burrow_db_kind_build_connection_strings (f.kind, f.db_host, f.local_host, f.port,
                                                     f.database, f.user);
  g_assert_nonnull (strings);
  g_assert_cmpuint (strings->len, >, 0);
  if (f.local_host == NULL)
    f.local_host = "127.0.0.1";

  for (guint i = 0; i < strings->len; i++)
    {
      BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

      g_assert_true (string->label != NULL && *string->label != '\0');
      g_assert_nonnull (string->value);
    }

  switch (f.kind)
    {
    case BURROW_DB_KIND_POSTGRESQL:
    case BURROW_DB_KIND_REDSHIFT:
      check_postgresql (strings, &f);
      break;
    case BURROW_DB_KIND_MYSQL:
    case BURROW_DB_KIND_MARIADB:
      check_mysql (strings, &f);
      break;
    case BURROW_DB_KIND_SQLSERVER:
      check_sqlserver (strings, &f);
      break;
    case BURROW_DB_KIND_ORACLE:
      check_oracle (strings, &f);
      break;
    case BURROW_DB_KIND_MONGODB:
      check_mongodb (strings, &f);
      break;
    case BURROW_DB_KIND_CLICKHOUSE:
      check_clickhouse (strings, &f);
      break;
    case BURROW_DB_KIND_OTHER:
    default:
      break;
    }

  return 0;
}
