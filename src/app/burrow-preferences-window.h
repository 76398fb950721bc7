/* burrow-preferences-window.h — Burrow's preferences, bound to GSettings.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BURROW_TYPE_PREFERENCES_WINDOW (burrow_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BurrowPreferencesWindow, burrow_preferences_window, BURROW, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *burrow_preferences_window_new (GSettings *settings);

G_END_DECLS
