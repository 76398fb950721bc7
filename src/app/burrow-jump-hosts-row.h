/* burrow-jump-hosts-row.h — the hops before the bastion: add, reorder, remove.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BURROW_TYPE_JUMP_HOSTS_ROW (burrow_jump_hosts_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowJumpHostsRow, burrow_jump_hosts_row, BURROW, JUMP_HOSTS_ROW, AdwExpanderRow)

const char * const *burrow_jump_hosts_row_get_hosts (BurrowJumpHostsRow *self);
void                burrow_jump_hosts_row_set_hosts (BurrowJumpHostsRow *self,
                                                     const char * const *hosts);
void                burrow_jump_hosts_row_add       (BurrowJumpHostsRow *self);
void                burrow_jump_hosts_row_move      (BurrowJumpHostsRow *self,
                                                     guint               index,
                                                     int                 offset);
void                burrow_jump_hosts_row_remove    (BurrowJumpHostsRow *self,
                                                     guint               index);
GtkWidget          *burrow_jump_hosts_row_get_hop_row (BurrowJumpHostsRow *self,
                                                       guint               index);

gboolean            burrow_jump_hosts_row_show_problems (BurrowJumpHostsRow *self,
                                                         gboolean            arm);

G_END_DECLS
