/* test-background.c — the real burrow program, run as a person runs it:
 * closing its window keeps its tunnels up (and says so once), Quit ends
 * them and it, "run in background" off makes closing quit, and
 * "burrow --autostart" starts hidden with the connections marked to
 * connect at start. No tray host is on the bus: Burrow says nothing of it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "burrow-core.h"
#include "burrow-test-app.h"
#include "burrow-test-dialogs.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-notifications.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-test-watcher.h"

#define APP_PATH    "/io/github/burrowapp/Burrow"
#define TIMEOUT_MS  30000

static BurrowTestKeyring *keyring;
static BurrowTestDatabase *postgres;
static BurrowTestNotifications *notifications;

/* ------------------------------------------------------------------ */
/* The program under test                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  GSubprocess     *process;
  char            *log_path;
  GDBusConnection *bus;
  guint            pid;
} App;

static gboolean
have_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

static gboolean
name_owned (gpointer data)
{
  App *app = data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = burrow_test_call (app->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner", g_variant_new ("(s)", APP_ID), NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

/* Starts burrow, with @argument if not %NULL, and waits for it on the
 * bus; @keyfile_settings (nullable) are its preferences. */
static void
app_start (App         *app,
           const char  *keyfile_settings,
           const char  *argument)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *settings_dir = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", NULL);
  g_autofree char *settings_path = g_build_filename (settings_dir, "keyfile", NULL);
  static guint n_runs;

  app->log_path = g_strdup_printf ("%s/burrow-%u.log", g_get_user_runtime_dir (), ++n_runs);
  app->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, "env");
  g_ptr_array_add (argv, "-u");
  g_ptr_array_add (argv, "G_MESSAGES_DEBUG");
  if (keyfile_settings != NULL)
    {
      g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
      g_file_set_contents (settings_path, keyfile_settings, -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (argv, "GSETTINGS_BACKEND=keyfile");
    }
  g_ptr_array_add (argv, (gpointer)g_getenv ("BURROW_APP"));
  if (argument != NULL)
    g_ptr_array_add (argv, (gpointer)argument);
  g_ptr_array_add (argv, NULL);

  app->process = burrow_test_spawn ((const char * const *)argv->pdata, NULL, app->log_path, &error);
  g_assert_no_error (error);
  g_assert_true (burrow_test_wait_until (name_owned, app, TIMEOUT_MS));
  app->pid = (guint)atoi (g_subprocess_get_identifier (app->process));
}

static gboolean
app_exited (gpointer data)
{
  App *app = data;

  /* Reaped by GSubprocess's child watch on this main context. */
  return g_subprocess_get_identifier (app->process) == NULL;
}

/* What burrow printed: nothing, when all is well. */
static char *
app_dup_log (App *app)
{
  return burrow_test_read_log (app->log_path);
}

static void
app_clear (App *app)
{
  if (app->process != NULL && !app_exited (app))
    {
      g_subprocess_force_exit (app->process);
      g_assert_true (burrow_test_wait_until (app_exited, app, TIMEOUT_MS));
    }
  g_clear_object (&app->process);
  g_clear_object (&app->bus);
  g_clear_pointer (&app->log_path, g_free);
}

static GVariant *
app_call (App         *app,
          const char  *path,
          const char  *interface,
          const char  *method,
          GVariant    *parameters,
          GError     **error)
{
  return burrow_test_call (app->bus, APP_ID, path, interface, method, parameters, error);
}

/* Runs action @name of the object at @path (the application, or
 * APP_PATH "/window/N"), as a click would. */
static void
app_activate_action (App        *app,
                     const char *path,
                     const char *name,
                     GVariant   *parameter)
{
  GVariantBuilder parameters;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&parameters, "v", parameter);

  reply = app_call (app, path, "org.gtk.Actions", "Activate",
                    g_variant_new ("(sava{sv})", name, &parameters, NULL), &error);
  g_assert_no_error (error);
}

typedef struct
{
  App        *app;
  const char *path;
} WindowQuery;

/* Whether the window exported at @path is there: GtkApplication exports
 * each window's actions while it exists. */
static gboolean
window_exists (gpointer data)
{
  WindowQuery *query = data;
  g_autoptr(GVariant) reply = NULL;

  reply = app_call (query->app, query->path, "org.gtk.Actions", "List", NULL, NULL);
  return reply != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return !window_exists (data);
}

/* ------------------------------------------------------------------ */
/* What this process sees of the tunnels                               */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowConnection *connection;
  guint             pid;
} Elsewhere;

static gboolean
runs_in (gpointer data)
{
  Elsewhere *elsewhere = data;

  return burrow_connection_get_running_elsewhere (elsewhere->connection) == elsewhere->pid;
}

/* Waits until @connection's tunnel runs in process @pid (0: nowhere). */
static void
wait_runs_in (BurrowConnection *connection,
              guint             pid)
{
  Elsewhere elsewhere = { connection, pid };

  g_assert_true (burrow_test_wait_until (runs_in, &elsewhere, TIMEOUT_MS));
}

static void
assert_psql (guint16  port,
             gboolean works)
{
  g_autofree char *out = NULL;
  gboolean success = FALSE;

  out = burrow_test_psql (port, "SELECT 6 * 7", &success);
  g_assert_cmpint (success, ==, works);
  if (works)
    g_assert_cmpstr (out, ==, "42");
}

static void
remove_connections (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "burrow", "connections.ini", NULL);

  g_remove (path);
}

static guint
count_notifications (const char *summary)
{
  guint n = 0;

  for (guint i = 0; i < burrow_test_notifications_get_n (notifications); i++)
    n += g_str_equal (burrow_test_notifications_get (notifications, i)->summary, summary);

  return n;
}

static gboolean
notified (gpointer summary)
{
  return count_notifications (summary) > 0;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* Closing the window leaves the tunnel up, and says so the first time
 * only; the notification's Quit stops the tunnel and ends Burrow. */
static void
test_close_keeps_tunnel (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(BurrowEngine) engine = NULL;
  g_autofree char *log = NULL;
  WindowQuery first, second;
  BurrowConnection *sales;
  const BurrowTestNotification *notice;
  App app = { NULL };
  guint16 port;

  if (!have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_connections ();
  burrow_test_notifications_clear (notifications);
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  engine = burrow_test_new_engine ();
  sales = burrow_engine_find_by_name (engine, "Sales warehouse", NULL);
  g_assert_nonnull (sales);

  app_start (&app, NULL, NULL);
  first = (WindowQuery) { &app, APP_PATH "/window/1" };
  g_assert_true (burrow_test_wait_until (window_exists, &first, TIMEOUT_MS));

  /* As a click on the connection's switch. */
  app_activate_action (&app, first.path, "connect", g_variant_new_string (burrow_connection_get_id (sales)));
  wait_runs_in (sales, app.pid);
  port = burrow_connection_get_running_elsewhere_port (sales);
  assert_psql (port, TRUE);

  /* The window closes; Burrow and the tunnel stay. */
  app_activate_action (&app, first.path, "close", NULL);
  g_assert_true (burrow_test_wait_until (window_gone, &first, TIMEOUT_MS));
  burrow_test_iterate (500);
  g_assert_false (app_exited (&app));
  assert_psql (port, TRUE);
  g_assert_true (burrow_test_wait_until (notified, "Burrow Is Still Running", TIMEOUT_MS));
  notice = burrow_test_notifications_find (notifications, "Burrow Is Still Running");
  g_assert_cmpstr (notice->body, ==,
                   "1 tunnel stays up with the window closed. Open Burrow to stop it, or quit Burrow.");
  g_assert_cmpstr (notice->actions[0], ==, "app.quit");
  g_assert_cmpstr (notice->actions[1], ==, "Quit Burrow");

  /* Opened and closed again: said once is enough. */
  {
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) error = NULL;

    reply = app_call (&app, APP_PATH, "org.freedesktop.Application", "Activate",
                      g_variant_new ("(a{sv})", NULL), &error);
    g_assert_no_error (error);
  }
  second = (WindowQuery) { &app, APP_PATH "/window/2" };
  g_assert_true (burrow_test_wait_until (window_exists, &second, TIMEOUT_MS));
  app_activate_action (&app, second.path, "close", NULL);
  g_assert_true (burrow_test_wait_until (window_gone, &second, TIMEOUT_MS));
  burrow_test_iterate (500);
  g_assert_false (app_exited (&app));
  g_assert_cmpuint (count_notifications ("Burrow Is Still Running"), ==, 1);

  /* Quit, from the notification: the tunnel stops, then Burrow. */
  burrow_test_notifications_invoke (notifications, notice->id, "app.quit");
  g_assert_true (burrow_test_wait_until (app_exited, &app, TIMEOUT_MS));
  g_assert_true (g_subprocess_get_if_exited (app.process));
  g_assert_cmpint (g_subprocess_get_exit_status (app.process), ==, 0);
  wait_runs_in (sales, 0);
  assert_psql (port, FALSE);

  /* No tray host and no trouble: nothing to say on the terminal. */
  log = app_dup_log (&app);
  g_assert_cmpstr (log, ==, "");

  app_clear (&app);
}

/* A connect clicked just before the window closes still comes up:
 * closing the window is no Disconnect. */
static void
test_close_while_connecting (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(BurrowEngine) engine = NULL;
  WindowQuery window;
  BurrowConnection *sales;
  App app = { NULL };

  if (!have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_connections ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  engine = burrow_test_new_engine ();
  sales = burrow_engine_find_by_name (engine, "Sales warehouse", NULL);

  app_start (&app, NULL, NULL);
  window = (WindowQuery) { &app, APP_PATH "/window/1" };
  g_assert_true (burrow_test_wait_until (window_exists, &window, TIMEOUT_MS));
  app_activate_action (&app, window.path, "connect", g_variant_new_string (burrow_connection_get_id (sales)));
  app_activate_action (&app, window.path, "close", NULL);

  wait_runs_in (sales, app.pid);
  assert_psql (burrow_connection_get_running_elsewhere_port (sales), TRUE);
  g_assert_false (app_exited (&app));

  app_activate_action (&app, APP_PATH, "quit", NULL);
  g_assert_true (burrow_test_wait_until (app_exited, &app, TIMEOUT_MS));
  app_clear (&app);
}

/* With "run in background" off, closing the window quits, and the
 * tunnel goes with it. */
static void
test_background_off (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(BurrowEngine) engine = NULL;
  WindowQuery window;
  BurrowConnection *sales;
  App app = { NULL };
  guint16 port;

  if (!have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_connections ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  engine = burrow_test_new_engine ();
  sales = burrow_engine_find_by_name (engine, "Sales warehouse", NULL);

  app_start (&app, "[io/github/burrowapp/Burrow]\nrun-in-background=false\n", NULL);
  window = (WindowQuery) { &app, APP_PATH "/window/1" };
  g_assert_true (burrow_test_wait_until (window_exists, &window, TIMEOUT_MS));
  app_activate_action (&app, window.path, "connect", g_variant_new_string (burrow_connection_get_id (sales)));
  wait_runs_in (sales, app.pid);
  port = burrow_connection_get_running_elsewhere_port (sales);
  assert_psql (port, TRUE);

  app_activate_action (&app, window.path, "close", NULL);
  g_assert_true (burrow_test_wait_until (app_exited, &app, TIMEOUT_MS));
  g_assert_cmpint (g_subprocess_get_exit_status (app.process), ==, 0);
  wait_runs_in (sales, 0);
  assert_psql (port, FALSE);

  app_clear (&app);
}

/* What the autostart entry runs: no window, and the connections marked
 * "connect at start" come up; a second one changes nothing. */
static void
test_autostart_hidden (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  BurrowConnection *sales, *finance;
  WindowQuery window;
  App app = { NULL };
  const char *argv[] = { g_getenv ("BURROW_APP"), "--autostart", NULL };

  if (!have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_connections ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, "--connect-at-start");
  burrow_test_app_add_connection ("Finance", sshd, postgres, NULL);
  engine = burrow_test_new_engine ();
  sales = burrow_engine_find_by_name (engine, "Sales warehouse", NULL);
  finance = burrow_engine_find_by_name (engine, "Finance", NULL);

  app_start (&app, NULL, "--autostart");
  wait_runs_in (sales, app.pid);
  assert_psql (burrow_connection_get_running_elsewhere_port (sales), TRUE);
  g_assert_cmpuint (burrow_connection_get_running_elsewhere (finance), ==, 0);

  window = (WindowQuery) { &app, APP_PATH "/window/1" };
  g_assert_false (window_exists (&window));

  /* Burrow runs already: a second start at login does nothing. */
  again = burrow_test_spawn (argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (again, NULL, &error);
  g_assert_no_error (error);
  burrow_test_iterate (300);
  g_assert_false (window_exists (&window));
  g_assert_false (app_exited (&app));

  app_activate_action (&app, APP_PATH, "quit", NULL);
  g_assert_true (burrow_test_wait_until (app_exited, &app, TIMEOUT_MS));
  g_assert_cmpint (g_subprocess_get_exit_status (app.process), ==, 0);
  wait_runs_in (sales, 0);

  log = app_dup_log (&app);
  g_assert_cmpstr (log, ==, "");
  app_clear (&app);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/background/close-keeps-tunnel", test_close_keeps_tunnel);
  g_test_add_func ("/burrow/background/close-while-connecting", test_close_while_connecting);
  g_test_add_func ("/burrow/background/background-off", test_background_off);
  g_test_add_func ("/burrow/background/autostart-hidden", test_autostart_hidden);

  /* The keyring's bus is the session bus of this program and of the
   * burrow it starts. */
  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);
  notifications = burrow_test_notifications_new (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  status = g_test_run ();

  g_clear_pointer (&notifications, burrow_test_notifications_free);
  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
