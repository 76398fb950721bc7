/* burrow-tunnel-manager.h — all tunnels, sharing sessions to the same bastion account.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-tunnel.h"

G_BEGIN_DECLS

#define BURROW_TYPE_TUNNEL_MANAGER (burrow_tunnel_manager_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTunnelManager, burrow_tunnel_manager, BURROW, TUNNEL_MANAGER, GObject)

BurrowTunnelManager *burrow_tunnel_manager_new            (void);
int                  burrow_tunnel_manager_get_io_priority (BurrowTunnelManager *self);
void                 burrow_tunnel_manager_set_io_priority (BurrowTunnelManager *self,
                                                            int                  priority);
BurrowTunnel        *burrow_tunnel_manager_add            (BurrowTunnelManager  *self,
                                                           BurrowSshChain       *chain,
                                                           const char           *target_host,
                                                           guint16               target_port,
                                                           guint16               local_port);
void                 burrow_tunnel_manager_remove         (BurrowTunnelManager  *self,
                                                           BurrowTunnel         *tunnel);
void                 burrow_tunnel_manager_stop_all       (BurrowTunnelManager  *self);
guint                burrow_tunnel_manager_get_n_chains   (BurrowTunnelManager  *self);
GPtrArray           *burrow_tunnel_manager_dup_chains     (BurrowTunnelManager  *self);

G_END_DECLS
