/* burrow-db-kind.h — the kinds of database Burrow knows, and their defaults.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  BURROW_DB_KIND_POSTGRESQL,
  BURROW_DB_KIND_REDSHIFT,
  BURROW_DB_KIND_MYSQL,
  BURROW_DB_KIND_MARIADB,
  BURROW_DB_KIND_SQLSERVER,
  BURROW_DB_KIND_ORACLE,
  BURROW_DB_KIND_MONGODB,
  BURROW_DB_KIND_CLICKHOUSE,
  BURROW_DB_KIND_OTHER,
} BurrowDbKind;

#define BURROW_DB_KIND_LAST BURROW_DB_KIND_OTHER

#define BURROW_TYPE_DB_KIND (burrow_db_kind_get_type ())

GType        burrow_db_kind_get_type         (void) G_GNUC_CONST;
const char  *burrow_db_kind_to_id            (BurrowDbKind  kind);
gboolean     burrow_db_kind_from_id          (const char   *id,
                                              BurrowDbKind *kind);
const char  *burrow_db_kind_get_display_name (BurrowDbKind  kind);
guint16      burrow_db_kind_get_default_port (BurrowDbKind  kind);
gboolean     burrow_db_kind_can_log_in       (BurrowDbKind  kind);
const char  *burrow_db_kind_get_first_query  (BurrowDbKind  kind);

/* One ready-to-copy way to reach a database through its local endpoint:
 * `label` names the tool ("psql", "JDBC", …), `value` is the text to copy.
 * Never holds a password. */
typedef struct
{
  char *label;
  char *value;
} BurrowDbConnectionString;

void       burrow_db_connection_string_free        (BurrowDbConnectionString *self);
GPtrArray *burrow_db_kind_build_connection_strings (BurrowDbKind              kind,
                                                    const char               *db_host,
                                                    const char               *local_host,
                                                    guint16                   local_port,
                                                    const char               *database,
                                                    const char               *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowDbConnectionString, burrow_db_connection_string_free)

G_END_DECLS
