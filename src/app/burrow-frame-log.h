/* burrow-frame-log.h — the times of the window's frames, for the benchmark,
 * when BURROW_FRAME_LOG names a file.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void burrow_frame_log_attach (GtkApplication *app);

G_END_DECLS
