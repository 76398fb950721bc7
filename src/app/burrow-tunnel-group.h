/* burrow-tunnel-group.h — the SSH tunnel part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-form-group.h"

G_BEGIN_DECLS

#define BURROW_TYPE_TUNNEL_GROUP (burrow_tunnel_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTunnelGroup, burrow_tunnel_group, BURROW, TUNNEL_GROUP, BurrowFormGroup)

void burrow_tunnel_group_set_private_key (BurrowTunnelGroup *self,
                                          const char        *private_key);

G_END_DECLS
