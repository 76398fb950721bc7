/* burrow-background.h — keeps Burrow running while tunnels are up and its window is closed.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "burrow-notifier.h"

G_BEGIN_DECLS

#define BURROW_TYPE_BACKGROUND (burrow_background_get_type ())

G_DECLARE_FINAL_TYPE (BurrowBackground, burrow_background, BURROW, BACKGROUND, GObject)

BurrowBackground *burrow_background_new      (GtkApplication   *application,
                                              GSettings        *settings,
                                              GListModel       *connections,
                                              BurrowNotifier   *notifier);
gboolean          burrow_background_get_held (BurrowBackground *self);

G_END_DECLS
