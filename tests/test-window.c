/* test-window.c — the window against the real engine, sshd, keyring and
 * PostgreSQL: a connection made through the form lands in connections.ini
 * and the keyring; a bad form says why and cannot be saved; the switch
 * brings a real tunnel up that psql talks through; burrowctl's changes
 * show; delete and undo lose nothing; questions while connecting are
 * asked and answered.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-application.h"
#include "burrow-connection-list.h"
#include "burrow-connection-page.h"
#include "burrow-connection-row.h"
#include "burrow-port-row.h"
#include "burrow-probe-dialog.h"
#include "burrow-problem-row.h"
#include "burrow-question-dialog.h"
#include "burrow-state-banner.h"
#include "burrow-test-app.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-window.h"

/* One application for the whole program, as in a real session: a second
 * registration of the same ID would clash on the bus while the first is
 * still being released. */
static BurrowApplication *app;
static BurrowTestKeyring *keyring;
static BurrowTestDatabase *postgres;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static BurrowEngine *
engine (void)
{
  return burrow_application_get_engine (app);
}

static BurrowWindow *
open_window (void)
{
  return burrow_test_app_open_window (app);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
save_anyway_offered (gpointer data)
{
  GtkWindow *dialog = find_toplevel (BURROW_TYPE_PROBE_DIALOG);
  GtkWidget *button = dialog != NULL ? burrow_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Save _Anyway") : NULL;

  return button != NULL && gtk_widget_get_mapped (button);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static AdwMessageDialog *
wait_for_message_dialog (void)
{
  g_assert_true (burrow_test_wait_until (message_dialog_shown, NULL, 5000));
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
is_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* Clicks the dialog's button labelled @label, and waits until it is gone. */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  g_autoptr(AdwMessageDialog) held = g_object_ref (dialog);
  GtkWidget *button = burrow_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (burrow_test_wait_until (is_hidden, held, 5000));
}

static void
close_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }

  burrow_test_iterate (50);
}

static void
remove_all_connections (void)
{
  burrow_test_app_remove_all (engine ());
}

static BurrowTestSshd *
start_sshd (void)
{
  return burrow_test_app_start_sshd ();
}

/* A connection NAME to the PostgreSQL fixture through @sshd, made by
 * burrowctl as a script would, its host key trusted. */
static void
add_connection (const char     *name,
                BurrowTestSshd *sshd,
                const char     *extra_option)
{
  burrow_test_app_add_connection (name, sshd, postgres, extra_option);
}

typedef struct
{
  BurrowWindow *window;
  const char   *name;
} RowQuery;

static BurrowConnectionRow *
row_named (BurrowWindow *window,
           const char   *name)
{
  BurrowConnectionList *list = BURROW_CONNECTION_LIST (burrow_window_get_list (window));
  GListModel *connections = burrow_engine_get_connections (engine ());

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);

      if (g_strcmp0 (burrow_connection_get_name (connection), name) == 0)
        {
          GtkWidget *row = burrow_connection_list_get_row (list, connection);

          return row != NULL ? BURROW_CONNECTION_ROW (row) : NULL;
        }
    }

  return NULL;
}

static gboolean
row_shown (gpointer data)
{
  RowQuery *query = data;

  return row_named (query->window, query->name) != NULL;
}

static BurrowConnectionRow *
wait_for_row (BurrowWindow *window,
              const char   *name)
{
  RowQuery query = { window, name };

  g_assert_true (burrow_test_wait_until (row_shown, &query, 10000));
  return row_named (window, name);
}

static gboolean
connection_up (gpointer data)
{
  return burrow_connection_get_state (data) == BURROW_TUNNEL_UP;
}

static gboolean
connection_failed (gpointer data)
{
  return burrow_connection_get_state (data) == BURROW_TUNNEL_FAILED;
}

static gboolean
connection_stopped (gpointer data)
{
  return burrow_connection_get_state (data) == BURROW_TUNNEL_STOPPED &&
         !burrow_connection_get_busy (data);
}

static BurrowConnectionPage *
show_page (BurrowWindow     *window,
           BurrowConnection *connection)
{
  return burrow_test_app_show_page (window, connection);
}

static char *
read_connections_ini (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "burrow", "connections.ini", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return g_strdup ("");
    }

  return contents;
}

/* The real psql client through the local port, while this main loop
 * pumps the tunnel; it must succeed. */
static char *
run_psql (guint16     port,
          const char *query)
{
  gboolean success = FALSE;
  char *out = burrow_test_psql (port, query, &success);

  g_assert_true (success);
  return out;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_empty_state (void)
{
  BurrowWindow *window;
  GtkWidget *status_page;
  g_auto(GStrv) accels = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  window = open_window ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Burrow");

  status_page = burrow_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "No Connections Yet");
  g_assert_nonnull (status_page);
  g_assert_true (gtk_widget_is_drawable (status_page));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status_page)), "SSH tunnels"));
  /* It offers the two ways in. */
  g_assert_nonnull (burrow_test_find_widget (status_page, GTK_TYPE_BUTTON, "_Add a Connection"));
  g_assert_nonnull (burrow_test_find_widget (status_page, GTK_TYPE_BUTTON, "_Import from SSH Config…"));
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-empty");

  /* A second activation brings back the same window, not another one. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char * const *)accels, "<Control>q"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.toggle-connection");
  g_assert_true (g_strv_contains ((const char * const *)accels, "<Control>Return"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.test-connection");
  g_assert_true (g_strv_contains ((const char * const *)accels, "<Control>t"));

  close_windows ();
}

static void
test_about (void)
{
  GtkWindow *about;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  open_window ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Burrow");
  /* The troubleshooting text names the libraries a bug report needs. */
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (ADW_ABOUT_WINDOW (about)), "libssh"));
  g_assert_true (gtk_window_get_transient_for (about) ==
                 gtk_application_get_active_window (GTK_APPLICATION (app)));

  close_windows ();
}

static void
test_shortcuts (void)
{
  BurrowWindow *window;
  GtkWindow *shortcuts;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  window = open_window ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  burrow_test_wait_until_drawn (GTK_WIDGET (shortcuts));
  /* The keys of the page's header are listed, read from the application. */
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (shortcuts), GTK_TYPE_LABEL, "Connect or disconnect"));
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (shortcuts), GTK_TYPE_LABEL, "Test every step"));
  g_free (burrow_test_screenshot (GTK_WIDGET (shortcuts), "shortcuts"));

  close_windows ();
}

static gboolean
page_not_busy (gpointer data)
{
  return !burrow_connection_page_get_busy (data);
}

static void
type_into (GtkWidget  *page,
           GType       type,
           const char *title,
           const char *text)
{
  GtkWidget *row = burrow_test_find_widget (page, type, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Through the form: the connection lands in connections.ini, its
 * password in the keyring and nowhere else. */
static void
test_create_through_form (void)
{
  BurrowWindow *window;
  BurrowConnectionPage *page;
  BurrowConnection *connection;
  g_autofree char *ini = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *key_file = g_build_filename (g_get_home_dir (), ".ssh", "id_analyst", NULL);

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  window = open_window ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-connection", NULL);
  page = BURROW_CONNECTION_PAGE (burrow_window_get_page (window));
  g_assert_nonnull (page);
  g_assert_null (burrow_connection_page_get_connection (page));
  g_assert_cmpstr (burrow_connection_page_get_title (page), ==, "New Connection");
  /* Nothing typed: nothing to save, and nothing to complain about yet. */
  g_assert_false (gtk_widget_is_sensitive (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Save")));
  g_assert_false (gtk_widget_get_visible (burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_PROBLEM_ROW, NULL)));

  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Connection name", "Sales warehouse");
  adw_combo_row_set_selected (ADW_COMBO_ROW (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, "Kind")),
                              BURROW_DB_KIND_MYSQL);
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Host", "db.internal");
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Database name", "sales");
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "User", "ana");
  type_into (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, "Password", "s3cret-db-pw");
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Bastion host", "bastion.example.com");
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "User on the bastion", "burrow");
  adw_combo_row_set_selected (ADW_COMBO_ROW (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, "Sign in with")),
                              BURROW_PROFILE_AUTH_KEY_FILE);
  /* The file chooser is the desktop's: what it hands back is a path. */
  burrow_profile_set_ssh_key_file (burrow_connection_page_get_draft (page), key_file);
  type_into (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, "Key passphrase, if it has one", "key-pass");

  g_assert_cmpstr (burrow_connection_page_get_title (page), ==, "Sales warehouse");
  g_assert_true (burrow_connection_page_get_valid (page));
  g_assert_true (gtk_widget_is_sensitive (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Save")));
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-new-connection");

  gtk_widget_activate_action (GTK_WIDGET (page), "page.save", NULL);
  /* A new connection is tested before it is saved; this bastion is made up. */
  g_assert_true (burrow_test_wait_until (save_anyway_offered, NULL, 30000));
  g_signal_emit_by_name (burrow_test_find_widget (GTK_WIDGET (find_toplevel (BURROW_TYPE_PROBE_DIALOG)),
                                                  GTK_TYPE_BUTTON, "Save _Anyway"), "clicked");
  g_assert_true (burrow_test_wait_until (page_not_busy, page, 10000));

  connection = burrow_connection_page_get_connection (page);
  g_assert_nonnull (connection);
  g_assert_false (burrow_connection_page_get_dirty (page));
  g_assert_true (burrow_engine_find_by_name (engine (), "Sales warehouse", NULL) == connection);
  /* The list shows it, chosen. */
  g_assert_true (burrow_connection_list_get_selected_connection (BURROW_CONNECTION_LIST (burrow_window_get_list (window))) ==
                 connection);

  ini = read_connections_ini ();
  g_assert_nonnull (strstr (ini, "name=Sales warehouse\n"));
  g_assert_nonnull (strstr (ini, "db-kind=mysql\n"));
  g_assert_nonnull (strstr (ini, "db-port=3306\n"));
  g_assert_nonnull (strstr (ini, "db-host=db.internal\n"));
  g_assert_nonnull (strstr (ini, "ssh-host=bastion.example.com\n"));
  g_assert_nonnull (strstr (ini, "ssh-auth=key-file\n"));
  g_assert_nonnull (strstr (ini, key_file));
  g_assert_nonnull (strstr (ini, "local-port=auto:"));
  /* The secrets are in the keyring, never in the file. */
  g_assert_null (strstr (ini, "s3cret-db-pw"));
  g_assert_null (strstr (ini, "key-pass"));
  secret = burrow_test_lookup_secret (burrow_connection_get_id (connection), BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "s3cret-db-pw");
  g_clear_pointer (&secret, g_free);
  secret = burrow_test_lookup_secret (burrow_connection_get_id (connection), BURROW_SECRET_KEY_PASSPHRASE);
  g_assert_cmpstr (secret, ==, "key-pass");

  close_windows ();
}

/* A bad port and an empty host each say what is wrong and why, and Save
 * stays off until both are right. */
static void
test_invalid_form (void)
{
  BurrowWindow *window;
  BurrowConnectionPage *page;
  GtkWidget *host_row, *port_row, *save_button;
  BurrowProblemRow *host_problem, *port_problem;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  window = open_window ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-connection", NULL);
  page = BURROW_CONNECTION_PAGE (burrow_window_get_page (window));
  save_button = burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Save");
  host_row = burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Host");
  port_row = burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_PORT_ROW, "Port");
  host_problem = BURROW_PROBLEM_ROW (gtk_widget_get_next_sibling (host_row));
  port_problem = BURROW_PROBLEM_ROW (gtk_widget_get_next_sibling (port_row));

  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Connection name", "Finance");
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Bastion host", "bastion.example.com");
  gtk_editable_set_text (GTK_EDITABLE (host_row), "db");
  gtk_editable_set_text (GTK_EDITABLE (host_row), "");
  gtk_editable_set_text (GTK_EDITABLE (port_row), "70000");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (host_problem)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (port_problem)));
  g_assert_nonnull (strstr (burrow_problem_row_get_text (host_problem), "The database host is empty"));
  g_assert_nonnull (strstr (burrow_problem_row_get_text (port_problem), "70000 is out of range"));
  g_assert_nonnull (strstr (burrow_problem_row_get_text (port_problem), "A port is a number from 1 to 65535"));
  gtk_test_accessible_assert_property (port_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       burrow_problem_row_get_text (port_problem));

  g_assert_false (burrow_connection_page_get_valid (page));
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (save_button), "Cannot save yet"));
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-invalid-form");

  /* Letters in the port: Save gives their reason, not the profile's
   * "port 0". */
  gtk_editable_set_text (GTK_EDITABLE (port_row), "abc");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (save_button), ==,
                   "Cannot save yet: The port must be a number from 1 to 65535");
  gtk_editable_set_text (GTK_EDITABLE (port_row), "70000");

  /* Ctrl+S cannot save it either. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "save", NULL);
  burrow_test_iterate (200);
  g_assert_null (burrow_connection_page_get_connection (page));
  {
    g_autofree char *ini = read_connections_ini ();

    g_assert_null (strstr (ini, "Finance"));
  }

  gtk_editable_set_text (GTK_EDITABLE (host_row), "finance-db.internal");
  g_assert_false (gtk_widget_is_sensitive (save_button));
  gtk_editable_set_text (GTK_EDITABLE (port_row), "3306");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (host_problem)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (port_problem)));
  g_assert_true (gtk_widget_is_sensitive (save_button));

  /* Leaving it now asks first; Discard leaves it unsaved. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-connection", NULL);
  respond (wait_for_message_dialog (), "_Discard");
  g_assert_true ((gpointer) burrow_window_get_page (window) != (gpointer) page);

  close_windows ();
}

/* The switch brings a real tunnel up, psql talks through the port the
 * row and the banner show, and the switch takes it down again. */
static void
test_switch_connects (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  BurrowWindow *window;
  BurrowConnectionRow *row;
  BurrowConnection *connection;
  BurrowConnectionPage *page;
  BurrowStateBanner *banner;
  GtkSwitch *switch_;
  g_autofree char *address = NULL;
  g_autofree char *up_text = NULL;
  g_autofree char *out = NULL;
  guint16 port;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  add_connection ("Sales warehouse", sshd, NULL);
  window = open_window ();
  row = wait_for_row (window, "Sales warehouse");
  connection = burrow_connection_row_get_connection (row);
  switch_ = burrow_connection_row_get_switch (row);
  page = show_page (window, connection);
  banner = BURROW_STATE_BANNER (burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_STATE_BANNER, NULL));

  g_assert_cmpstr (burrow_connection_row_get_state_text (row), ==, "Stopped");
  g_assert_false (gtk_switch_get_active (switch_));
  g_assert_false (burrow_state_banner_get_revealed (banner));
  burrow_test_assert_accessible_name (banner, "Stopped");
  burrow_test_assert_accessible_name (switch_, "Connect Sales warehouse");
  /* Each said once, without the mnemonic's "_". */
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Test"),
                                      "Test the connection");
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Connect"),
                                      "Connect Sales warehouse");
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Delete Connection…"),
                                      "Delete connection");
  /* Shown when the window is narrow: an icon, named too. */
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "go-previous-symbolic"),
                                      "Back to connections");
  burrow_test_assert_accessible_name (burrow_test_find_widget (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW,
                                                                                       "Choose the port automatically"),
                                                               GTK_TYPE_SWITCH, NULL),
                                      "Choose the port automatically");

  gtk_switch_set_active (switch_, TRUE);
  g_assert_true (burrow_test_wait_until (connection_up, connection, 20000));

  port = burrow_connection_get_local_port (connection);
  address = g_strdup_printf ("127.0.0.1:%u", port);
  up_text = g_strdup_printf ("Up on %s", address);
  g_assert_cmpuint (port, ==, burrow_profile_get_local_port (burrow_connection_get_profile (connection)));
  g_assert_cmpstr (burrow_connection_row_get_state_text (row), ==, up_text);
  g_assert_true (gtk_switch_get_active (switch_));
  g_assert_true (burrow_state_banner_get_revealed (banner));
  g_assert_cmpstr (burrow_state_banner_get_title (banner), ==, up_text);
  burrow_test_assert_accessible_name (banner, up_text);
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Disconnect"),
                                      "Disconnect Sales warehouse");

  /* Real traffic, through the port shown. */
  out = run_psql (port, "SELECT 6 * 7");
  g_assert_cmpstr (g_strstrip (out), ==, "42");
  burrow_test_iterate (300);
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-connection-up");

  /* The header's button (Ctrl+Return) takes it down, as the switch would. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-connection", NULL);
  g_assert_true (burrow_test_wait_until (connection_stopped, connection, 10000));
  g_assert_false (gtk_switch_get_active (switch_));
  g_assert_cmpstr (burrow_connection_row_get_state_text (row), ==, "Stopped");

  /* A new connection: the list shows no other one chosen, Connect names
   * what it would connect, and Use It says what really brings the port. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-connection", NULL);
  page = BURROW_CONNECTION_PAGE (burrow_window_get_page (window));
  g_assert_null (burrow_connection_page_get_connection (page));
  burrow_test_iterate (100);
  g_assert_null (burrow_connection_list_get_selected_connection (BURROW_CONNECTION_LIST (burrow_window_get_list (window))));
  g_assert_null (gtk_list_box_get_selected_row (GTK_LIST_BOX (burrow_test_find_widget (burrow_window_get_list (window),
                                                                                       GTK_TYPE_LIST_BOX, NULL))));
  burrow_test_assert_accessible_name (burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Connect"),
                                      "Connect the new connection");
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Save the connection to get its local port"));
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_ROW, "Local port, chosen when you save"));

  close_windows ();
}

/* A failure shows in the row and the banner with its hint, and Test is
 * offered; a port another program holds is said plainly, and another
 * port offered, never reused. */
static void
test_failure_and_port_taken (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  BurrowWindow *window;
  BurrowConnectionRow *row;
  BurrowConnection *connection;
  BurrowConnectionPage *page;
  BurrowStateBanner *banner;
  GtkButton *button;
  guint16 taken;
  g_autofree char *taken_option = NULL;
  g_autofree char *use_label = NULL;
  guint suggested;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  taken = g_socket_listener_add_any_inet_port (squatter, NULL, &error);
  g_assert_no_error (error);
  taken_option = g_strdup_printf ("--local-port=%u", taken);
  add_connection ("Legacy DWH", sshd, taken_option);

  window = open_window ();
  row = wait_for_row (window, "Legacy DWH");
  connection = burrow_connection_row_get_connection (row);
  page = show_page (window, connection);
  banner = BURROW_STATE_BANNER (burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_STATE_BANNER, NULL));
  button = burrow_state_banner_get_button (banner);

  gtk_switch_set_active (burrow_connection_row_get_switch (row), TRUE);
  g_assert_true (burrow_test_wait_until (connection_failed, connection, 20000));
  g_assert_false (gtk_switch_get_active (burrow_connection_row_get_switch (row)));
  g_assert_true (g_str_has_prefix (burrow_connection_row_get_state_text (row), "Failed: "));
  g_assert_true (burrow_state_banner_get_revealed (banner));
  g_assert_nonnull (strstr (burrow_state_banner_get_title (banner), "is taken by another program"));
  g_assert_nonnull (strstr (burrow_state_banner_get_detail (banner), "never reuses a port"));

  suggested = burrow_state_banner_get_suggested_port (banner);
  g_assert_cmpuint (suggested, !=, 0);
  g_assert_cmpuint (suggested, !=, taken);
  use_label = g_strdup_printf ("_Use Port %u", suggested);
  g_assert_cmpstr (gtk_button_get_label (button), ==, use_label);
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-port-taken");

  /* Another port: saved, and the tunnel comes up there. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (burrow_test_wait_until (connection_up, connection, 20000));
  g_assert_cmpuint (burrow_connection_get_local_port (connection), ==, suggested);
  {
    g_autofree char *ini = read_connections_ini ();
    g_autofree char *line = g_strdup_printf ("local-port=%u\n", suggested);

    g_assert_nonnull (strstr (ini, line));
  }

  /* The bastion goes away for good: the row counts the retries, the
   * banner offers to retry now. */
  burrow_test_sshd_stop (sshd);
  {
    const char *text;
    gboolean seen = FALSE;
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!seen && g_get_monotonic_time () < end)
      {
        burrow_test_iterate (100);
        seen = burrow_connection_get_state (connection) == BURROW_TUNNEL_RECONNECTING &&
               burrow_connection_get_next_try (connection) > 0;
      }
    g_assert_true (seen);
    text = burrow_connection_row_get_state_text (row);
    g_assert_true (g_str_has_prefix (text, "Retry in ") || g_str_has_prefix (text, "Reconnecting"));
    g_assert_nonnull (strstr (text, "attempt"));
    g_assert_cmpstr (gtk_button_get_label (button), ==, "_Retry Now");
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-connection", NULL);
  g_assert_true (burrow_test_wait_until (connection_stopped, connection, 10000));
  g_socket_listener_close (squatter);

  close_windows ();
}

static gboolean
name_shown (gpointer data)
{
  RowQuery *query = data;
  BurrowConnectionRow *row = row_named (query->window, query->name);
  GtkWidget *label;

  if (row == NULL)
    return FALSE;

  label = burrow_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LABEL, query->name);
  return label != NULL;
}

/* burrowctl, in another process, adds, renames and removes: the list
 * follows. */
static void
test_follows_burrowctl (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  BurrowWindow *window;
  RowQuery renamed;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  window = open_window ();
  add_connection ("Marketing", sshd, NULL);
  wait_for_row (window, "Marketing");
  /* The empty state gave way to the list. */
  burrow_test_iterate (300);
  g_assert_false (gtk_widget_get_mapped (burrow_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE,
                                                                  "No Connections Yet")));

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Marketing", "--name", "Marketing EU",
                                          "--db-kind", "mysql", NULL), ==, 0);
  renamed.window = window;
  renamed.name = "Marketing EU";
  g_assert_true (burrow_test_wait_until (name_shown, &renamed, 10000));
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (row_named (window, "Marketing EU")), GTK_TYPE_LABEL,
                                             "MySQL · via 127.0.0.1"));

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Marketing EU", NULL), ==, 0);
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (row_named (window, "Marketing EU") != NULL && g_get_monotonic_time () < end)
      burrow_test_iterate (50);
  }
  g_assert_null (row_named (window, "Marketing EU"));

  close_windows ();
}

static gboolean
connection_gone (gpointer data)
{
  return burrow_engine_find_by_name (engine (), data, NULL) == NULL;
}

static gboolean
connection_back (gpointer data)
{
  return burrow_engine_find_by_name (engine (), data, NULL) != NULL;
}

static gboolean
secret_gone (gpointer data)
{
  g_autofree char *secret = burrow_test_lookup_secret (data, BURROW_SECRET_DB_PASSWORD);

  return secret == NULL;
}

static gboolean
undo_offered (gpointer window)
{
  return burrow_test_find_widget (window, GTK_TYPE_BUTTON, "_Undo") != NULL;
}

/* Delete asks, removes at once, and Undo brings everything back; without
 * Undo the secrets leave the keyring once the toast is gone. */
static void
test_delete_undo (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  BurrowWindow *window;
  BurrowConnection *connection;
  AdwMessageDialog *dialog;
  GtkWidget *undo;
  g_autofree char *id = NULL;
  g_autofree char *ini_before = NULL;
  g_autofree char *group = NULL;
  g_autofree char *secret = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  add_connection ("Sales warehouse", sshd, NULL);
  window = open_window ();
  connection = burrow_connection_row_get_connection (wait_for_row (window, "Sales warehouse"));
  id = g_strdup (burrow_connection_get_id (connection));
  ini_before = read_connections_ini ();
  group = g_strdup_printf ("[connection %s]", id);
  show_page (window, connection);

  /* It asks first; Cancel keeps it. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "delete-connection", g_variant_new_string (id));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Sales warehouse”?");
  respond (dialog, "_Cancel");
  burrow_test_iterate (100);
  g_assert_nonnull (burrow_engine_find_by_name (engine (), "Sales warehouse", NULL));

  g_action_group_activate_action (G_ACTION_GROUP (window), "delete-connection", g_variant_new_string (id));
  respond (wait_for_message_dialog (), "_Delete");
  g_assert_true (burrow_test_wait_until (connection_gone, "Sales warehouse", 10000));
  {
    g_autofree char *ini = read_connections_ini ();

    g_assert_null (strstr (ini, group));
  }
  g_assert_null (burrow_window_get_page (window));
  /* Still in the keyring, for the undo. */
  secret = burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, BURROW_TEST_DB_PASSWORD);
  g_clear_pointer (&secret, g_free);

  /* The toast comes with the engine's answer, which may follow the
   * list's change (connections.ini is followed too). */
  g_assert_true (burrow_test_wait_until (undo_offered, window, 10000));
  undo = burrow_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Undo");
  g_assert_nonnull (undo);
  g_free (burrow_test_screenshot (GTK_WIDGET (window), "window-deleted-undo"));
  g_signal_emit_by_name (undo, "clicked");
  g_assert_true (burrow_test_wait_until (connection_back, "Sales warehouse", 10000));

  /* Nothing lost: the same id, the same settings, the same password. */
  connection = burrow_engine_find_by_name (engine (), "Sales warehouse", NULL);
  g_assert_cmpstr (burrow_connection_get_id (connection), ==, id);
  {
    g_autofree char *ini = read_connections_ini ();

    g_assert_cmpstr (ini, ==, ini_before);
  }
  burrow_test_iterate (500);
  secret = burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, BURROW_TEST_DB_PASSWORD);
  g_clear_pointer (&secret, g_free);

  /* Deleted again, and the toast goes without Undo: the secrets go. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "delete-connection", g_variant_new_string (id));
  respond (wait_for_message_dialog (), "_Delete");
  g_assert_true (burrow_test_wait_until (connection_gone, "Sales warehouse", 10000));
  burrow_test_iterate (200);
  g_assert_false (secret_gone (id));
  g_assert_true (burrow_test_wait_until (secret_gone, id, 20000));

  close_windows ();
}

/* Leaving a page with changes asks Save / Discard / Cancel; its Save
 * is the page's, which tests a changed database first. */
static void
test_unsaved_changes (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  BurrowWindow *window;
  BurrowConnection *first, *second;
  BurrowConnectionPage *page;
  BurrowConnectionList *list;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  add_connection ("First", sshd, NULL);
  add_connection ("Second", sshd, NULL);
  window = open_window ();
  list = BURROW_CONNECTION_LIST (burrow_window_get_list (window));
  first = burrow_connection_row_get_connection (wait_for_row (window, "First"));
  second = burrow_connection_row_get_connection (wait_for_row (window, "Second"));
  page = show_page (window, first);

  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Database name", "changed");
  g_assert_true (burrow_connection_page_get_dirty (page));

  /* Cancel: the page and the list stay on the first connection. */
  burrow_connection_list_select (list, second);
  respond (wait_for_message_dialog (), "_Cancel");
  burrow_test_iterate (100);
  g_assert_true ((gpointer) burrow_window_get_page (window) == (gpointer) page);
  g_assert_true (burrow_connection_list_get_selected_connection (list) == first);

  /* Save tests the changed database first, as the page's Save does:
   * closing the test keeps the page, unsaved. */
  burrow_connection_list_select (list, second);
  respond (wait_for_message_dialog (), "_Save");
  g_assert_true (burrow_test_wait_until (save_anyway_offered, NULL, 30000));
  gtk_window_close (find_toplevel (BURROW_TYPE_PROBE_DIALOG));
  burrow_test_iterate (100);
  g_assert_true ((gpointer) burrow_window_get_page (window) == (gpointer) page);
  g_assert_true (burrow_connection_page_get_dirty (page));
  g_assert_cmpstr (burrow_profile_get_db_name (burrow_connection_get_profile (first)), ==, BURROW_TEST_DB_NAME);

  /* Save Anyway: written, then the second one shows. */
  burrow_connection_list_select (list, second);
  respond (wait_for_message_dialog (), "_Save");
  g_assert_true (burrow_test_wait_until (save_anyway_offered, NULL, 30000));
  g_signal_emit_by_name (burrow_test_find_widget (GTK_WIDGET (find_toplevel (BURROW_TYPE_PROBE_DIALOG)),
                                                  GTK_TYPE_BUTTON, "Save _Anyway"), "clicked");
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while ((gpointer) burrow_window_get_page (window) == (gpointer) page && g_get_monotonic_time () < end)
      burrow_test_iterate (50);
  }
  g_assert_cmpstr (burrow_profile_get_db_name (burrow_connection_get_profile (first)), ==, "changed");
  page = BURROW_CONNECTION_PAGE (burrow_window_get_page (window));
  g_assert_true (burrow_connection_page_get_connection (page) == second);

  /* A form that cannot be saved: Save is off, and the dialog says why,
   * as the page's Save does. */
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Host", "");
  g_assert_false (burrow_connection_page_get_valid (page));
  burrow_connection_list_select (list, first);
  {
    AdwMessageDialog *dialog = wait_for_message_dialog ();

    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "The database host is empty"));
    respond (dialog, "_Cancel");
  }
  burrow_test_iterate (100);
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Host", "127.0.0.1");

  /* Discard: nothing written. */
  type_into (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Database name", "dropped");
  burrow_connection_list_select (list, first);
  respond (wait_for_message_dialog (), "_Discard");
  burrow_test_iterate (100);
  g_assert_cmpstr (burrow_profile_get_db_name (burrow_connection_get_profile (second)), ==, BURROW_TEST_DB_NAME);
  {
    g_autofree char *ini = read_connections_ini ();

    g_assert_null (strstr (ini, "dropped"));
  }

  close_windows ();
}

static void
test_search (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  BurrowWindow *window;
  BurrowConnectionList *list;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  add_connection ("Sales warehouse", sshd, NULL);
  add_connection ("Finance", sshd, NULL);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Finance", "--db-kind", "mysql",
                                          "--db-host", "ledger.internal", NULL), ==, 0);
  window = open_window ();
  list = BURROW_CONNECTION_LIST (burrow_window_get_list (window));
  wait_for_row (window, "Sales warehouse");
  wait_for_row (window, "Finance");
  burrow_test_iterate (200);

  /* Ctrl+F opens the search. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
  g_assert_true (burrow_connection_list_get_search_mode (list));

  burrow_connection_list_set_search_text (list, "sales");
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 1);
  burrow_connection_list_set_search_text (list, "LEDGER");
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 1);
  g_assert_nonnull (row_named (window, "Finance"));
  burrow_connection_list_set_search_text (list, "mysql");
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 1);
  burrow_connection_list_set_search_text (list, "127.0.0.1");
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 2);
  burrow_connection_list_set_search_text (list, "oracle");
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 0);
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (list), ADW_TYPE_STATUS_PAGE, "No Results"));

  burrow_connection_list_set_search_mode (list, FALSE);
  g_assert_cmpuint (burrow_connection_list_get_n_shown (list), ==, 2);

  close_windows ();
}

static gboolean
question_dialog_shown (gpointer data)
{
  return find_toplevel (BURROW_TYPE_QUESTION_DIALOG) != NULL;
}

/* A key file whose passphrase is not stored: connecting asks for it, and
 * the answer signs in without being stored; Cancel stops the connect. */
static void
test_passphrase_question (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autofree char *key_dir = burrow_test_make_dir ("burrow-key-XXXXXX");
  g_autofree char *key_path = g_build_filename (key_dir, "locked_key", NULL);
  g_autofree char *public_path = g_strconcat (key_path, ".pub", NULL);
  g_autofree char *public_key = NULL;
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autoptr(GError) error = NULL;
  BurrowWindow *window;
  BurrowConnection *connection;
  BurrowQuestionDialog *dialog;
  g_autofree char *stored = NULL;
  const char *keygen_argv[] = { keygen, "-q", "-t", "ed25519", "-N", "open sesame", "-f", key_path, NULL };

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_true (burrow_test_run (keygen_argv, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (public_path, &public_key, NULL, &error);
  g_assert_no_error (error);
  burrow_test_sshd_set_authorized_keys (sshd, public_key);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);

  remove_all_connections ();
  add_connection ("Locked key", sshd, NULL);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Locked key", "--ssh-key-file", key_path, NULL), ==, 0);
  window = open_window ();
  connection = burrow_connection_row_get_connection (wait_for_row (window, "Locked key"));

  /* Cancel stops the connect. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect",
                                  g_variant_new_string (burrow_connection_get_id (connection)));
  g_assert_true (burrow_test_wait_until (question_dialog_shown, NULL, 15000));
  dialog = BURROW_QUESTION_DIALOG (find_toplevel (BURROW_TYPE_QUESTION_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Unlock the Key");
  /* What is typed is hidden. */
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (burrow_question_dialog_get_entry (dialog))));
  respond (ADW_MESSAGE_DIALOG (dialog), "_Cancel");
  {
    gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

    while (burrow_connection_get_state (connection) != BURROW_TUNNEL_FAILED &&
           burrow_connection_get_state (connection) != BURROW_TUNNEL_RECONNECTING &&
           g_get_monotonic_time () < end)
      burrow_test_iterate (50);
  }
  g_assert_cmpint (burrow_connection_get_state (connection), !=, BURROW_TUNNEL_UP);
  g_action_group_activate_action (G_ACTION_GROUP (window), "disconnect",
                                  g_variant_new_string (burrow_connection_get_id (connection)));
  g_assert_true (burrow_test_wait_until (connection_stopped, connection, 10000));

  /* Answered: the tunnel comes up, and the passphrase is not stored. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect",
                                  g_variant_new_string (burrow_connection_get_id (connection)));
  g_assert_true (burrow_test_wait_until (question_dialog_shown, NULL, 15000));
  dialog = BURROW_QUESTION_DIALOG (find_toplevel (BURROW_TYPE_QUESTION_DIALOG));
  gtk_editable_set_text (burrow_question_dialog_get_entry (dialog), "open sesame");
  g_free (burrow_test_screenshot (GTK_WIDGET (dialog), "question-passphrase"));
  respond (ADW_MESSAGE_DIALOG (dialog), "_Continue");
  g_assert_true (burrow_test_wait_until (connection_up, connection, 20000));

  stored = burrow_test_lookup_secret (burrow_connection_get_id (connection), BURROW_SECRET_KEY_PASSPHRASE);
  g_assert_null (stored);
  {
    g_autofree char *ini = read_connections_ini ();

    g_assert_null (strstr (ini, "open sesame"));
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "disconnect",
                                  g_variant_new_string (burrow_connection_get_id (connection)));
  g_assert_true (burrow_test_wait_until (connection_stopped, connection, 10000));
  burrow_test_remove_dir (key_dir);

  close_windows ();
}

static gboolean
clipboard_has_key (gpointer data)
{
  g_autofree char *text = burrow_test_dup_clipboard (data);

  return g_str_has_prefix (text, "ssh-ed25519 ");
}

/* "Copy" beside Burrow's own key puts the public key, made on first
 * use, on the clipboard. */
static void
test_copy_public_key (void)
{
  BurrowWindow *window;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  window = open_window ();
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "");
  g_action_group_activate_action (G_ACTION_GROUP (window), "copy-public-key", NULL);
  g_assert_true (burrow_test_wait_until (clipboard_has_key, window, 10000));

  close_windows ();
}

/* A server that accepts and never says a word, counting the connections
 * still open. */
typedef struct
{
  GSocketListener *listener;
  GPtrArray       *clients;
  guint            open;
  char             buffer[256];
} Silent;

static void on_silent_accepted (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_silent_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Silent *silent = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0)
    g_input_stream_read_async (G_INPUT_STREAM (source), silent->buffer, sizeof silent->buffer,
                               G_PRIORITY_DEFAULT, NULL, on_silent_read, silent);
  else
    silent->open--;
}

static void
on_silent_accepted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Silent *silent = user_data;
  GSocketConnection *client = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);

  if (client == NULL)
    return;

  g_ptr_array_add (silent->clients, client);
  silent->open++;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (client)), silent->buffer,
                             sizeof silent->buffer, G_PRIORITY_DEFAULT, NULL, on_silent_read, silent);
  g_socket_listener_accept_async (silent->listener, NULL, on_silent_accepted, silent);
}

static gboolean
silent_has_one_open (gpointer data)
{
  return ((Silent *)data)->open > 0;
}

static gboolean
silent_all_closed (gpointer data)
{
  return ((Silent *)data)->open == 0;
}

/* Closing the window cancels what it started: a test that waits on a
 * database that never answers lets go of it at once, not at its
 * timeout. */
static void
test_close_cancels (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  BurrowWindow *window;
  BurrowConnection *connection;
  Silent silent = { listener, clients, 0, { 0 } };
  guint16 port;
  gint64 closed_at;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_silent_accepted, &silent);

  remove_all_connections ();
  add_connection ("Silent database", sshd, NULL);
  port_text = g_strdup_printf ("%u", port);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Silent database", "--no-ssh",
                                          "--db-port", port_text, NULL), ==, 0);

  window = open_window ();
  connection = burrow_connection_row_get_connection (wait_for_row (window, "Silent database"));
  show_page (window, connection);
  g_action_group_activate_action (G_ACTION_GROUP (window), "test-connection", NULL);
  /* The login waits on the silent server. */
  g_assert_true (burrow_test_wait_until (silent_has_one_open, &silent, 10000));
  burrow_test_iterate (500);
  g_assert_cmpuint (silent.open, >, 0);

  closed_at = g_get_monotonic_time ();
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (burrow_test_wait_until (silent_all_closed, &silent, 5000));
  g_assert_cmpint (g_get_monotonic_time () - closed_at, <, 3 * G_USEC_PER_SEC);

  g_socket_listener_close (listener);
  close_windows ();
}

/* The German translation is built and used: template strings and the
 * strings of the C code alike. */
static void
test_translated (void)
{
  g_autofree char *po_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (po_dir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  BurrowWindow *window;
  BurrowConnectionPage *page;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  remove_all_connections ();
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", "de", TRUE);

  window = open_window ();
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "Noch keine Verbindungen"));
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Verbindung _hinzufügen"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "add-connection", NULL);
  page = BURROW_CONNECTION_PAGE (burrow_window_get_page (window));
  g_assert_cmpstr (burrow_connection_page_get_title (page), ==, "Neue Verbindung");
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Name der Verbindung"));
  g_free (burrow_test_screenshot (GTK_WIDGET (window), "window-new-connection-de"));

  close_windows ();
  g_unsetenv ("LANGUAGE");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/window/empty-state", test_empty_state);
  g_test_add_func ("/burrow/window/about", test_about);
  g_test_add_func ("/burrow/window/shortcuts", test_shortcuts);
  g_test_add_func ("/burrow/window/create-through-form", test_create_through_form);
  g_test_add_func ("/burrow/window/invalid-form", test_invalid_form);
  g_test_add_func ("/burrow/window/switch-connects", test_switch_connects);
  g_test_add_func ("/burrow/window/failure-and-port-taken", test_failure_and_port_taken);
  g_test_add_func ("/burrow/window/follows-burrowctl", test_follows_burrowctl);
  g_test_add_func ("/burrow/window/delete-undo", test_delete_undo);
  g_test_add_func ("/burrow/window/unsaved-changes", test_unsaved_changes);
  g_test_add_func ("/burrow/window/search", test_search);
  g_test_add_func ("/burrow/window/passphrase-question", test_passphrase_question);
  g_test_add_func ("/burrow/window/copy-public-key", test_copy_public_key);
  g_test_add_func ("/burrow/window/close-cancels", test_close_cancels);
  g_test_add_func ("/burrow/window/translated", test_translated);

  /* The keyring's bus is the session bus of the whole program. */
  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);

  if (burrow_test_have_display ())
    {
      app = burrow_application_new ();
      /* Tests may share a session bus with other programs. */
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
