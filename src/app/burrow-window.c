/* burrow-window.c — the main window: the connections and the one shown.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-window.h"

struct _BurrowWindow
{
  AdwApplicationWindow  parent_instance;

  /* Cancelled when the window closes, so that nothing started for it
   * calls back into a window that is gone. */
  GCancellable         *cancellable;

  /* Template widgets */
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (BurrowWindow, burrow_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
burrow_window_close_request (GtkWindow *window)
{
  BurrowWindow *self = BURROW_WINDOW (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (burrow_window_parent_class)->close_request (window);
}

static void
burrow_window_dispose (GObject *object)
{
  BurrowWindow *self = (BurrowWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_WINDOW);

  G_OBJECT_CLASS (burrow_window_parent_class)->dispose (object);
}

static void
burrow_window_class_init (BurrowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = burrow_window_dispose;

  window_class->close_request = burrow_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, empty_page);
}

static void
burrow_window_init (BurrowWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The development build shows the striped header bar, so that it cannot be
   * mistaken for the installed Burrow. */
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->empty_page, BASE_APP_ID "-symbolic");
}

BurrowWindow *
burrow_window_new (BurrowApplication *application)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (application), NULL);

  BurrowWindow *self;
  GSettings *settings;

  self = g_object_new (BURROW_TYPE_WINDOW,
                       "application", application,
                       NULL);

  /* Remember the size the analyst gave the window, not the one it opened at. */
  settings = burrow_application_get_settings (application);
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  return self;
}
