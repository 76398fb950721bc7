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

BurrowProfile *burrow_usage_group_get_profile (BurrowUsageGroup *self);
void           burrow_usage_group_set_profile (BurrowUsageGroup *self,
                                               BurrowProfile    *profile);
guint          burrow_usage_group_get_port    (BurrowUsageGroup *self);
void           burrow_usage_group_set_port    (BurrowUsageGroup *self,
                                               guint             port);
guint          burrow_usage_group_get_n_rows  (BurrowUsageGroup *self);
GtkWidget     *burrow_usage_group_get_row     (BurrowUsageGroup *self,
                                               guint             index);

G_END_DECLS
