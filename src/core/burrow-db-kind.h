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

G_END_DECLS
