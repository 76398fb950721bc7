/* burrow-window-parent.h — a dialog that closes with the window it is for.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void burrow_window_follow_parent (GtkWindow *window);

G_END_DECLS
