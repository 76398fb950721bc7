/* burrow-application.c — the Burrow application: one instance, its actions.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-core.h"

#include "burrow-application.h"
#include "burrow-window.h"

struct _BurrowApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (BurrowApplication, burrow_application, ADW_TYPE_APPLICATION)

static void
on_app_about_activate (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BurrowApplication *self = user_data;
  static const char *developers[] = { "The Burrow authors", NULL };
  g_autofree char *debug_info = burrow_version_libraries ();
  GtkWindow *window;
  GtkWidget *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-icon", APP_ID,
                        "application-name", _("Burrow"),
                        "developer-name", _("The Burrow authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Reach databases in private networks through SSH tunnels over a bastion host"),
                        "website", "https://github.com/burrowapp/burrow",
                        "issue-url", "https://github.com/burrowapp/burrow/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Burrow authors",
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug_info,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_app_quit_activate (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", on_app_about_activate },
  { "quit", on_app_quit_activate },
};

static void
burrow_application_activate (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (burrow_window_new (self));

  gtk_window_present (window);
}

static void
burrow_application_startup (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (burrow_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
burrow_application_dispose (GObject *object)
{
  BurrowApplication *self = (BurrowApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (burrow_application_parent_class)->dispose (object);
}

static void
burrow_application_class_init (BurrowApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = burrow_application_dispose;

  app_class->activate = burrow_application_activate;
  app_class->startup = burrow_application_startup;
}

static void
burrow_application_init (BurrowApplication *self)
{
  /* The schema ID is the same in the development build, so both share one
   * set of preferences. */
  self->settings = g_settings_new (BASE_APP_ID);
}

BurrowApplication *
burrow_application_new (void)
{
  return g_object_new (BURROW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

GSettings *
burrow_application_get_settings (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->settings;
}
