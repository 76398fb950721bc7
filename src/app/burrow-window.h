/* burrow-window.h — the main window: the connections and the one shown.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-application.h"

G_BEGIN_DECLS

#define BURROW_TYPE_WINDOW (burrow_window_get_type ())

G_DECLARE_FINAL_TYPE (BurrowWindow, burrow_window, BURROW, WINDOW, AdwApplicationWindow)

BurrowWindow *burrow_window_new         (BurrowApplication *application);
GtkWidget    *burrow_window_get_page    (BurrowWindow      *self);
GtkWidget    *burrow_window_get_list    (BurrowWindow      *self);
void          burrow_window_add_toast   (BurrowWindow      *self,
                                         AdwToast          *toast);
void          burrow_window_show_connection (BurrowWindow     *self,
                                             BurrowConnection *connection);

G_END_DECLS
