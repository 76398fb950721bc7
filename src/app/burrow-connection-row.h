/* burrow-connection-row.h — one connection in the list: name, route, state, switch.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CONNECTION_ROW (burrow_connection_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowConnectionRow, burrow_connection_row, BURROW, CONNECTION_ROW, GtkListBoxRow)

GtkWidget        *burrow_connection_row_new            (BurrowConnection    *connection);
BurrowConnection *burrow_connection_row_get_connection (BurrowConnectionRow *self);
const char       *burrow_connection_row_get_state_text (BurrowConnectionRow *self);
GtkSwitch        *burrow_connection_row_get_switch     (BurrowConnectionRow *self);

G_END_DECLS
