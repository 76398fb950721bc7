/* burrow-autostart.h — "Start at login": the XDG autostart entry, or the Background portal in a sandbox.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BURROW_AUTOSTART_OPTION "autostart"

#define BURROW_TYPE_AUTOSTART (burrow_autostart_get_type ())

G_DECLARE_FINAL_TYPE (BurrowAutostart, burrow_autostart, BURROW, AUTOSTART, GObject)

BurrowAutostart *burrow_autostart_new           (GtkApplication  *application,
                                                 GSettings       *settings,
                                                 const char      *program,
                                                 gboolean         sandboxed);
char            *burrow_autostart_dup_file_path (void);
gboolean         burrow_autostart_get_busy      (BurrowAutostart *self);

G_END_DECLS
