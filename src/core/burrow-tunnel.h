/* burrow-tunnel.h — a local port on loopback forwarded through an SSH bastion.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-ssh-chain.h"
#include "burrow-ssh-session.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_TUNNEL_STOPPED,
  BURROW_TUNNEL_CONNECTING,
  BURROW_TUNNEL_UP,
  BURROW_TUNNEL_RECONNECTING,
  BURROW_TUNNEL_FAILED,
} BurrowTunnelState;

#define BURROW_TYPE_TUNNEL_STATE (burrow_tunnel_state_get_type ())
#define BURROW_TYPE_TUNNEL (burrow_tunnel_get_type ())

GType burrow_tunnel_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowTunnel, burrow_tunnel, BURROW, TUNNEL, GObject)

/* The chain is built from a profile by BurrowCredentials; the tunnel
 * manager shares one between the tunnels that sign in to the same
 * bastion account. */
BurrowTunnel      *burrow_tunnel_new                 (BurrowSshChain *chain,
                                                      const char     *target_host,
                                                      guint16         target_port,
                                                      guint16         local_port);
BurrowSshChain    *burrow_tunnel_get_chain           (BurrowTunnel   *self);
int                burrow_tunnel_get_io_priority     (BurrowTunnel   *self);
void               burrow_tunnel_set_io_priority     (BurrowTunnel   *self,
                                                      int             priority);

/* Running. */
gboolean           burrow_tunnel_start               (BurrowTunnel   *self,
                                                      GError        **error);
void               burrow_tunnel_stop                (BurrowTunnel   *self);

/* What it is doing. */
BurrowTunnelState  burrow_tunnel_get_state           (BurrowTunnel   *self);
const GError      *burrow_tunnel_get_error           (BurrowTunnel   *self);
guint              burrow_tunnel_get_attempt         (BurrowTunnel   *self);
gint64             burrow_tunnel_get_next_try        (BurrowTunnel   *self);
guint16            burrow_tunnel_get_bound_port      (BurrowTunnel   *self);
guint              burrow_tunnel_get_active_connections (BurrowTunnel *self);
guint64            burrow_tunnel_get_total_connections  (BurrowTunnel *self);
guint64            burrow_tunnel_get_bytes_sent      (BurrowTunnel   *self);
guint64            burrow_tunnel_get_bytes_received  (BurrowTunnel   *self);
gsize              burrow_tunnel_get_buffered        (BurrowTunnel   *self);

G_END_DECLS
