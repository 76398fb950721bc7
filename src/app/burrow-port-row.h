/* burrow-port-row.h — an entry row that takes a port number, digits only.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BURROW_TYPE_PORT_ROW (burrow_port_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowPortRow, burrow_port_row, BURROW, PORT_ROW, AdwEntryRow)

guint burrow_port_row_get_port (BurrowPortRow *self);
void  burrow_port_row_set_port (BurrowPortRow *self,
                                guint          port);

gboolean    burrow_port_row_is_number   (BurrowPortRow *self);
const char *burrow_port_row_get_problem (BurrowPortRow *self);

G_END_DECLS
