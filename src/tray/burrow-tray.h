/* burrow-tray.h — the tray indicator for active tunnels.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BURROW_TYPE_TRAY (burrow_tray_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTray, burrow_tray, BURROW, TRAY, GObject)

BurrowTray      *burrow_tray_new            (GDBusConnection *connection);
GDBusConnection *burrow_tray_get_connection (BurrowTray      *self);

G_END_DECLS
