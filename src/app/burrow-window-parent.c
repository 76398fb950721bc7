/* burrow-window-parent.c — a dialog that closes with the window it is for.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK's "destroy-with-parent" destroys the dialog but leaves it pointing at
 * its parent; a dialog that a pending callback keeps alive past the
 * parent's end then reaches back to a freed window when it goes. Letting
 * go of the parent first, while it still exists, avoids that.
 */

#include "config.h"

#include "burrow-window-parent.h"

static void
on_parent_destroy (GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);
  gtk_window_destroy (window);
}

/* Destroys @window when its transient parent (set by now) is destroyed. */
void
burrow_window_follow_parent (GtkWindow *window)
{
  GtkWindow *parent;

  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_window_set_destroy_with_parent (window, FALSE);
  parent = gtk_window_get_transient_for (window);
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (on_parent_destroy), window, G_CONNECT_SWAPPED);
}
