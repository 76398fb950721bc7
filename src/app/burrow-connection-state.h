/* burrow-connection-state.h — how a connection's state reads, in the list
 * and on its page.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-core.h"

G_BEGIN_DECLS

BurrowTunnelState  burrow_connection_state_get_shown     (BurrowConnection *connection);
gboolean           burrow_connection_state_is_elsewhere  (BurrowConnection *connection);
char              *burrow_connection_state_dup_address   (BurrowConnection *connection);
char              *burrow_connection_state_dup_title     (BurrowConnection *connection);
const char        *burrow_connection_state_get_icon_name (BurrowConnection *connection);
const char        *burrow_connection_state_get_style     (BurrowConnection *connection);
gboolean           burrow_connection_state_is_counting   (BurrowConnection *connection);
gboolean           burrow_connection_state_wants_switch_on (BurrowConnection *connection);
void               burrow_connection_state_keep_clock    (BurrowConnection *connection,
                                                          guint            *source_id,
                                                          GSourceFunc       tick,
                                                          gpointer          user_data);

G_END_DECLS
