/* burrow-frame-log.c — the times of the window's frames, for the benchmark,
 * when BURROW_FRAME_LOG names a file.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `build-aux/dev bench` measures how soon the window shows its first frame
 * and how evenly it draws while tunnels move data; only the process itself
 * sees when its frame clock paints. With BURROW_FRAME_LOG=PATH, each
 * frame the main window paints adds one line to PATH: the frame clock's
 * counter and frame time, then the monotonic time (g_get_monotonic_time,
 * µs) when painting ended ("after-paint"). Nothing else goes there: no
 * names, no addresses. Unset, this does nothing at all.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "burrow-frame-log.h"
#include "burrow-window.h"

static void
on_frame_clock_after_paint (GdkFrameClock *clock,
                            FILE          *file)
{
  fprintf (file, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
           gdk_frame_clock_get_frame_counter (clock), gdk_frame_clock_get_frame_time (clock),
           g_get_monotonic_time ());
  /* The benchmark reads the file while the window runs. */
  fflush (file);
}

/* A surface, and its frame clock, comes with each realize. */
static void
on_window_realize (GtkWidget *window,
                   FILE      *file)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_frame_clock_after_paint), file);
}

static void
on_application_window_added (GtkApplication *app,
                             GtkWindow      *window,
                             FILE           *file)
{
  if (BURROW_IS_WINDOW (window))
    g_signal_connect (window, "realize", G_CALLBACK (on_window_realize), file);
}

/* The file stays open for the life of the process. */
void
burrow_frame_log_attach (GtkApplication *app)
{
  const char *path = g_getenv ("BURROW_FRAME_LOG");
  FILE *file;

  g_return_if_fail (GTK_IS_APPLICATION (app));

  if (path == NULL || path[0] == '\0')
    return;

  file = fopen (path, "we");
  if (file == NULL)
    {
      g_printerr ("BURROW_FRAME_LOG: %s: %s\n", path, g_strerror (errno));
      return;
    }

  g_signal_connect (app, "window-added", G_CALLBACK (on_application_window_added), file);
}
