/* burrow-connection.h — one saved connection as it lives: its profile,
 * its tunnel's state, its address and its last error.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items of burrow_engine_get_connections(). The window's rows, the
 * connection page's banner and the tray's menu bind to these properties
 * and change nothing here themselves: they call the engine. Every
 * property is notified only when its value really changed, on the
 * engine's main context.
 *
 * Properties (all read-only):
 *   profile             BurrowProfile   the saved settings; the same object
 *                                       for the connection's whole life,
 *                                       updated in place when
 *                                       connections.ini changes
 *   id, name            string          the profile's (name follows renames)
 *   summary             string          "PostgreSQL · via bastion.example.com"
 *   state               BurrowTunnelState
 *   attempt             uint            tries made while reconnecting
 *   next-try            int64           wall-clock µs of the next try, 0 if none
 *   local-address       string          "127.0.0.1:15432" while it listens, else NULL
 *   local-port          uint            the bound port while it listens, else 0
 *   active-connections  uint            clients connected through it now
 *   bytes-sent          uint64          to the database, since it started
 *   bytes-received      uint64
 *   error               GError (boxed)  why it failed or why it is
 *                                       reconnecting; NULL when fine
 *   host-key            BurrowHostKey   the key to decide on, when the error
 *                                       is an unknown or changed host key
 *   busy                boolean         a connect or disconnect is under way
 *   running-elsewhere   uint            the pid of another Burrow process
 *                                       (burrowctl up, another window) that
 *                                       runs this connection's tunnel; 0 if none
 *   running-elsewhere-port uint         the port it listens on there
 *   running-elsewhere-summary string    "Runs in burrowctl (pid 4242) on
 *                                       127.0.0.1:15432", NULL if none
 */

#pragma once

#include <gio/gio.h>

#include "burrow-host-key.h"
#include "burrow-profile.h"
#include "burrow-tunnel.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CONNECTION (burrow_connection_get_type ())

G_DECLARE_FINAL_TYPE (BurrowConnection, burrow_connection, BURROW, CONNECTION, GObject)

BurrowProfile     *burrow_connection_get_profile            (BurrowConnection *self);
const char        *burrow_connection_get_id                 (BurrowConnection *self);
const char        *burrow_connection_get_name               (BurrowConnection *self);
char              *burrow_connection_dup_summary            (BurrowConnection *self);
char              *burrow_connection_dup_route              (BurrowConnection *self);

BurrowTunnelState  burrow_connection_get_state              (BurrowConnection *self);
guint              burrow_connection_get_attempt            (BurrowConnection *self);
gint64             burrow_connection_get_next_try           (BurrowConnection *self);
const char        *burrow_connection_get_local_address      (BurrowConnection *self);
guint16            burrow_connection_get_local_port         (BurrowConnection *self);
guint              burrow_connection_get_active_connections (BurrowConnection *self);
guint64            burrow_connection_get_bytes_sent         (BurrowConnection *self);
guint64            burrow_connection_get_bytes_received     (BurrowConnection *self);
const GError      *burrow_connection_get_error              (BurrowConnection *self);
BurrowHostKey     *burrow_connection_get_host_key           (BurrowConnection *self);
gboolean           burrow_connection_get_busy               (BurrowConnection *self);
gboolean           burrow_connection_is_running             (BurrowConnection *self);
guint              burrow_connection_get_running_elsewhere  (BurrowConnection *self);
guint16            burrow_connection_get_running_elsewhere_port (BurrowConnection *self);
const char        *burrow_connection_get_running_elsewhere_summary (BurrowConnection *self);

/* The ready strings for this kind (BurrowDbConnectionString), to the
 * address it listens on, or to the port it will use when it does. */
GPtrArray         *burrow_connection_dup_connection_strings (BurrowConnection *self);

G_END_DECLS
