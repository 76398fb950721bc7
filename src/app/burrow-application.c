/* burrow-application.c — the Burrow application: one instance, its engine, its actions.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application holds the engine for as long as it runs: the window
 * and the tray indicator bind to it and call it. It answers the engine's
 * questions (a one-time code, a key's passphrase) with a dialog over the
 * window. The awake-wait poll is never installed here: this process
 * draws a window.
 *
 * Around the engine: the tray indicator (when the session bus has a tray
 * host), notifications, the background hold that keeps tunnels up with
 * the window closed, and starting at login. "burrow --autostart", what
 * the autostart entry runs, starts without a window and brings up the
 * connections marked "connect at start"; when Burrow runs already it
 * does nothing. Quit stops every tunnel, then ends Burrow.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libportal/portal.h>

#include "burrow-application.h"
#include "burrow-autostart.h"
#include "burrow-background.h"
#include "burrow-indicator.h"
#include "burrow-notifier.h"
#include "burrow-preferences-window.h"
#include "burrow-question-dialog.h"
#include "burrow-secret-store.h"
#include "burrow-window.h"

struct _BurrowApplication
{
  AdwApplication  parent_instance;

  GSettings        *settings;
  BurrowEngine     *engine;
  GError           *load_error;

  BurrowNotifier   *notifier;
  BurrowBackground *background;
  BurrowAutostart  *autostart;
  BurrowIndicator  *indicator;

  gboolean          start_hidden;
  gboolean          quitting;
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
on_quit_disconnected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BurrowApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!burrow_engine_disconnect_all_finish (BURROW_ENGINE (source), result, &error))
    g_debug ("Not every tunnel stopped cleanly: %s", error->message);

  g_application_quit (G_APPLICATION (self));
}

/* Every tunnel stops first, so that their clients see their connections
 * end rather than a process that vanished. */
static void
on_app_quit_activate (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  BurrowApplication *self = user_data;

  if (self->quitting)
    return;

  self->quitting = TRUE;
  if (self->engine == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }

  burrow_engine_disconnect_all_async (self->engine, NULL, on_quit_disconnected, g_object_ref (self));
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

/* The window, made when there is none; @token is an activation token a
 * tray host gave, or %NULL. */
static void
present_window (BurrowApplication *self,
                const char        *token)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (burrow_window_new (self));

  if (token != NULL)
    gtk_window_set_startup_id (window, token);
  gtk_window_present (window);
}

static void
on_indicator_show_window (BurrowApplication *self,
                          const char        *token)
{
  present_window (self, token);
}

static void
on_connected_at_start (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BurrowApplication) self = user_data;
  g_autoptr(GPtrArray) connected = NULL;
  g_autoptr(GError) error = NULL;

  /* Each failure stays on its connection, and is notified. */
  connected = burrow_engine_connect_at_start_finish (BURROW_ENGINE (source), result, &error);
  if (connected == NULL)
    g_debug ("Connecting at start did not run: %s", error->message);

  /* The background hold takes over for the tunnels that came up. */
  g_application_release (G_APPLICATION (self));
}

static void
burrow_application_activate (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);

  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      g_application_hold (app);
      burrow_engine_connect_at_start_async (self->engine, NULL, on_connected_at_start, g_object_ref (self));
      return;
    }

  present_window (self, NULL);
}

static int
burrow_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  BurrowApplication *self = BURROW_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, BURROW_AUTOSTART_OPTION))
    return -1;

  self->start_hidden = TRUE;
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Burrow runs already: there is nothing to start. */
  if (g_application_get_is_remote (app))
    return 0;

  return -1;
}

/* What the autostart entry runs: this very program. */
static char *
dup_program_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_strdup ("burrow");
}

static void
burrow_application_startup (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);
  g_autofree char *program = NULL;
  GDBusConnection *bus;
  GListModel *connections;
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

  /* Before any secret comes in: the forms, the clipboard and GTK's own
   * buffers hold copies of passwords that no wipe reaches, so the whole
   * process stays out of core dumps and out of other processes' reach. */
  burrow_secret_protect_process ();

  G_APPLICATION_CLASS (burrow_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  self->engine = burrow_engine_new ();
  /* The tunnels' sockets are ready at every pass of the loop while they
   * move bulk data, and GLib dispatches only the most urgent ready
   * sources: at the default priority they would outrank the window's
   * drawing (GDK_PRIORITY_REDRAW) and the window would stop painting for
   * as long as a transfer lasts. Just below it, drawing never starves, and
   * the loop still runs the tunnels whenever no frame is due. */
  burrow_engine_set_io_priority (self->engine, GDK_PRIORITY_REDRAW + 1);
  g_signal_connect (self->engine, "ask", G_CALLBACK (on_engine_ask), self);
  /* A file that does not load whole is reported by the window. */
  burrow_engine_load (self->engine, &self->load_error);

  connections = burrow_engine_get_connections (self->engine);
  self->notifier = burrow_notifier_new (GTK_APPLICATION (self), self->settings, connections);
  self->background = burrow_background_new (GTK_APPLICATION (self), self->settings, connections, self->notifier);
  program = dup_program_path ();
  self->autostart = burrow_autostart_new (GTK_APPLICATION (self), self->settings, program,
                                          xdp_portal_running_under_flatpak ());

  /* No bus, no tray: the window and the notifications are enough. */
  bus = g_application_get_dbus_connection (app);
  if (bus != NULL)
    {
      self->indicator = burrow_indicator_new (app, bus, self->engine);
      g_signal_connect_swapped (self->indicator, "show-window", G_CALLBACK (on_indicator_show_window), self);
    }
}

static void
burrow_application_shutdown (GApplication *app)
{
  BurrowApplication *self = BURROW_APPLICATION (app);

  g_clear_object (&self->indicator);
  g_clear_object (&self->background);
  g_clear_object (&self->autostart);
  g_clear_object (&self->notifier);

  /* Quitting stops every tunnel, whoever else holds the engine. */
  if (self->engine != NULL)
    {
      burrow_engine_disconnect_all_async (self->engine, NULL, NULL, NULL);
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }

  G_APPLICATION_CLASS (burrow_application_parent_class)->shutdown (app);
}

static void
burrow_application_dispose (GObject *object)
{
  BurrowApplication *self = (BurrowApplication *)object;

  g_clear_object (&self->indicator);
  g_clear_object (&self->background);
  g_clear_object (&self->autostart);
  g_clear_object (&self->notifier);
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
  app_class->handle_local_options = burrow_application_handle_local_options;
  app_class->startup = burrow_application_startup;
  app_class->shutdown = burrow_application_shutdown;
}

static void
burrow_application_init (BurrowApplication *self)
{
  /* The schema ID is the same in the development build, so both share one
   * set of preferences. */
  self->settings = g_settings_new (BASE_APP_ID);

  g_application_add_main_option (G_APPLICATION (self), BURROW_AUTOSTART_OPTION, 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Start without a window and connect the connections marked to connect at start, as at login"),
                                 NULL);
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

/* Returns: (transfer none) (nullable): the tray indicator, from startup
 * to shutdown, when the application has a bus */
BurrowIndicator *
burrow_application_get_indicator (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->indicator;
}

/* Returns: (transfer none): what holds Burrow with its window closed */
BurrowBackground *
burrow_application_get_background (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->background;
}

/* Returns: (transfer none): what follows "start at login" */
BurrowAutostart *
burrow_application_get_autostart (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->autostart;
}

/* Returns: (transfer none): what sends Burrow's notifications */
BurrowNotifier *
burrow_application_get_notifier (BurrowApplication *self)
{
  g_return_val_if_fail (BURROW_IS_APPLICATION (self), NULL);

  return self->notifier;
}
