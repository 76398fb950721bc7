/* burrow-accessible.h — names for the controls libadwaita builds inside its rows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean burrow_accessible_name_inner (GtkWidget  *root,
                                       GType       type,
                                       const char *label);

void     burrow_accessible_name_button (GtkWidget  *button,
                                        const char *label);
void     burrow_accessible_keep_label  (GtkWidget  *button);
void     burrow_accessible_track_expanded (AdwExpanderRow *row);

G_END_DECLS
