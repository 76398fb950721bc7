/* burrow-indicator.h — Burrow's tray indicator: its tunnels, their state, a menu to drive them.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-core.h"
#include "burrow-tray.h"

G_BEGIN_DECLS

#define BURROW_TYPE_INDICATOR (burrow_indicator_get_type ())

G_DECLARE_FINAL_TYPE (BurrowIndicator, burrow_indicator, BURROW, INDICATOR, GObject)

BurrowIndicator *burrow_indicator_new         (GApplication    *application,
                                               GDBusConnection *bus,
                                               BurrowEngine    *engine);
BurrowTray      *burrow_indicator_get_tray    (BurrowIndicator *self);
GMenuModel      *burrow_indicator_get_menu    (BurrowIndicator *self);
GActionGroup    *burrow_indicator_get_actions (BurrowIndicator *self);

G_END_DECLS
