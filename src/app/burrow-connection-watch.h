/* burrow-connection-watch.h — follows what every connection of a list shows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CONNECTION_WATCH (burrow_connection_watch_get_type ())

G_DECLARE_FINAL_TYPE (BurrowConnectionWatch, burrow_connection_watch, BURROW, CONNECTION_WATCH, GObject)

BurrowConnectionWatch *burrow_connection_watch_new             (GListModel            *connections);
GListModel            *burrow_connection_watch_get_connections (BurrowConnectionWatch *self);

G_END_DECLS
