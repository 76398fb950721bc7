/* burrow-db-kind.c — the kinds of database Burrow knows, and their defaults.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-db-kind.h"

typedef struct
{
  BurrowDbKind  kind;
  const char   *id;            /* in connections.ini and on the command line */
  const char   *display_name;
  guint16       default_port;  /* 0: none, the analyst must say */
} KindInfo;

static const KindInfo kinds[] = {
  { BURROW_DB_KIND_POSTGRESQL, "postgresql", N_("PostgreSQL"), 5432 },
  { BURROW_DB_KIND_REDSHIFT, "redshift", N_("Amazon Redshift"), 5439 },
  { BURROW_DB_KIND_MYSQL, "mysql", N_("MySQL"), 3306 },
  { BURROW_DB_KIND_MARIADB, "mariadb", N_("MariaDB"), 3306 },
  { BURROW_DB_KIND_SQLSERVER, "sqlserver", N_("SQL Server"), 1433 },
  { BURROW_DB_KIND_ORACLE, "oracle", N_("Oracle"), 1521 },
  { BURROW_DB_KIND_MONGODB, "mongodb", N_("MongoDB"), 27017 },
  { BURROW_DB_KIND_CLICKHOUSE, "clickhouse", N_("ClickHouse"), 9000 },
  { BURROW_DB_KIND_OTHER, "other", N_("Other"), 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == BURROW_DB_KIND_LAST + 1);

GType
burrow_db_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { BURROW_DB_KIND_POSTGRESQL, "BURROW_DB_KIND_POSTGRESQL", "postgresql" },
        { BURROW_DB_KIND_REDSHIFT, "BURROW_DB_KIND_REDSHIFT", "redshift" },
        { BURROW_DB_KIND_MYSQL, "BURROW_DB_KIND_MYSQL", "mysql" },
        { BURROW_DB_KIND_MARIADB, "BURROW_DB_KIND_MARIADB", "mariadb" },
        { BURROW_DB_KIND_SQLSERVER, "BURROW_DB_KIND_SQLSERVER", "sqlserver" },
        { BURROW_DB_KIND_ORACLE, "BURROW_DB_KIND_ORACLE", "oracle" },
        { BURROW_DB_KIND_MONGODB, "BURROW_DB_KIND_MONGODB", "mongodb" },
        { BURROW_DB_KIND_CLICKHOUSE, "BURROW_DB_KIND_CLICKHOUSE", "clickhouse" },
        { BURROW_DB_KIND_OTHER, "BURROW_DB_KIND_OTHER", "other" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static ("BurrowDbKind", values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

const char *
burrow_db_kind_to_id (BurrowDbKind kind)
{
  g_return_val_if_fail (kind <= BURROW_DB_KIND_LAST, "other");

  return kinds[kind].id;
}

gboolean
burrow_db_kind_from_id (const char   *id,
                        BurrowDbKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_ascii_strcasecmp (id, kinds[i].id) == 0)
        {
          *kind = kinds[i].kind;
          return TRUE;
        }
    }

  return FALSE;
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
