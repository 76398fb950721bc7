/* burrow-tunnel-group.h — the SSH tunnel part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_TUNNEL_GROUP (burrow_tunnel_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTunnelGroup, burrow_tunnel_group, BURROW, TUNNEL_GROUP, AdwPreferencesGroup)

BurrowProfile *burrow_tunnel_group_get_profile        (BurrowTunnelGroup *self);
void           burrow_tunnel_group_set_profile        (BurrowTunnelGroup *self,
                                                       BurrowProfile     *profile);
void           burrow_tunnel_group_show_problems      (BurrowTunnelGroup *self,
                                                       GPtrArray         *errors,
                                                       gboolean           arm);
void           burrow_tunnel_group_load_secrets       (BurrowTunnelGroup *self,
                                                       BurrowCredentials *credentials);
gboolean       burrow_tunnel_group_get_secrets_edited (BurrowTunnelGroup *self);
void           burrow_tunnel_group_collect_secrets    (BurrowTunnelGroup *self,
                                                       BurrowCredentials *credentials);
void           burrow_tunnel_group_set_private_key    (BurrowTunnelGroup *self,
                                                       const char        *private_key);

void           burrow_tunnel_group_mark_secrets_saved (BurrowTunnelGroup *self);

G_END_DECLS
