/* burrow-database-group.h — the database part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-form-group.h"

G_BEGIN_DECLS

#define BURROW_TYPE_DATABASE_GROUP (burrow_database_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowDatabaseGroup, burrow_database_group, BURROW, DATABASE_GROUP, BurrowFormGroup)

G_END_DECLS
