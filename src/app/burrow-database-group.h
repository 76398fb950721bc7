/* burrow-database-group.h — the database part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_DATABASE_GROUP (burrow_database_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowDatabaseGroup, burrow_database_group, BURROW, DATABASE_GROUP, AdwPreferencesGroup)

BurrowProfile *burrow_database_group_get_profile       (BurrowDatabaseGroup *self);
void           burrow_database_group_set_profile       (BurrowDatabaseGroup *self,
                                                        BurrowProfile       *profile);
void           burrow_database_group_show_problems     (BurrowDatabaseGroup *self,
                                                        GPtrArray           *errors,
                                                        gboolean             arm);
void           burrow_database_group_load_secrets      (BurrowDatabaseGroup *self,
                                                        BurrowCredentials   *credentials);
gboolean       burrow_database_group_get_secrets_edited (BurrowDatabaseGroup *self);
void           burrow_database_group_collect_secrets   (BurrowDatabaseGroup *self,
                                                        BurrowCredentials   *credentials);

void           burrow_database_group_mark_secrets_saved (BurrowDatabaseGroup *self);

G_END_DECLS
