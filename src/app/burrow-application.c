/* burrow-application.c — the Burrow application: one instance, its engine, its actions.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application holds the engine for as long as it runs: the window
 * binds to it and calls it, and so will the tray. It answers the engine's
 * questions (a one-time code, a key's passphrase) with a dialog over the
 * window. The awake-wait poll is never installed here: this process
 * draws a window.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-application.h"
#include "burrow-preferences-window.h"
#include "burrow-question-dialog.h"
#include "burrow-window.h"

struct _BurrowApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BurrowEngine   *engine;
  GError         *load_error;
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
on_app_preferences_activate (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  BurrowApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = burrow_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Presents the window showing one connection: for notifications and the
 * tray, which name it by id. */
static void
on_app_show_connection_activate (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  BurrowApplication *self = user_data;
  BurrowConnection *connection = burrow_engine_lookup (self->engine, g_variant_get_string (parameter, NULL));
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (connection != NULL && BURROW_IS_WINDOW (window))
    burrow_window_show_connection (BURROW_WINDOW (window), connection);
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
  { "preferences", on_app_preferences_activate },
  { "show-connection", on_app_show_connection_activate, "s" },
  { "quit", on_app_quit_activate },
};

/* A question while connecting: shown over the window, answered or
 * cancelled by the analyst. Host keys are decided elsewhere (the test
 * dialog, burrowctl trust): unanswered here, they fail the sign-in with
 * the fingerprint in the error. */
static gboolean
on_engine_ask (BurrowEngine      *engine,
               BurrowQuestion    *question,
               BurrowApplication *self)
{
  GtkWindow *parent;
  GtkWidget *dialog;

  if (burrow_question_get_kind (question) == BURROW_QUESTION_HOST_KEY)
    return FALSE;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (parent == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      parent = gtk_application_get_active_window (GTK_APPLICATION (self));
    }

  dialog = burrow_question_dialog_new (parent, question);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

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
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.add-connection", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.test-connection", { "<Control>t", NULL } },
    { "win.toggle-connection", { "<Control>Return", NULL } },
    { "win.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (burrow_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  self->engine = burrow_engine_new ();
  g_signal_connect (self->engine, "ask", G_CALLBACK (on_engine_ask), self);
  /* A file that does not load whole is reported by the window. */
  burrow_engine_load (self->engine, &self->load_error);
}

static void
burrow_application_shutdown (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);

  /* Quitting stops every tunnel. */
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }

  G_APPLICATION_CLASS (burrow_application_parent_class)->shutdown (app);
}

static void
burrow_application_dispose (GObject *object)
{
  BurrowApplication *self = (BurrowApplication *)object;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);

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
  app_class->shutdown = burrow_application_shutdown;
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

/* Returns: (transfer none): the engine, from startup to shutdown */
BurrowEngine *
burrow_application_get_engine (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->engine;
}

/* Why connections.ini did not load whole at startup, or %NULL. */
const GError *
burrow_application_get_load_error (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->load_error;
}
