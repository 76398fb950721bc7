/* burrow-usage-group.h — the ready strings for this connection's kind.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_USAGE_GROUP (burrow_usage_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowUsageGroup, burrow_usage_group, BURROW, USAGE_GROUP, AdwPreferencesGroup)

BurrowConnection *burrow_usage_group_get_connection (BurrowUsageGroup *self);
void              burrow_usage_group_set_connection (BurrowUsageGroup *self,
                                                     BurrowConnection *connection);
guint             burrow_usage_group_get_n_rows     (BurrowUsageGroup *self);
GtkWidget        *burrow_usage_group_get_row        (BurrowUsageGroup *self,
                                                     guint             index);

G_END_DECLS
