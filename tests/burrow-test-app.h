/* burrow-test-app.h — what the tests of the running application share:
 * connections made by burrowctl on the fixtures' servers, psql through
 * a tunnel, and the window.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-application.h"
#include "burrow-connection-page.h"
#include "burrow-paths.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-window.h"

static inline BurrowTestSshd *
burrow_test_app_start_sshd (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);

  return sshd;
}

/* A connection NAME to @db through @sshd, made by burrowctl as a script
 * would, its host key trusted; @extra_option (nullable) is one more
 * option of burrowctl add. Its local port is one free now, unless
 * @extra_option names one: test programs run side by side, and the
 * port Burrow would choose by itself is the same in each. */
/* An sshd of an earlier case may have had this port, with a host key of
 * its own: the one listening now is a new bastion to this test. */
static inline void
burrow_test_app_forget_port (guint16 port)
{
  g_autofree char *path = burrow_paths_known_hosts_file ();
  g_autofree char *prefix = g_strdup_printf ("[127.0.0.1]:%u ", port);
  g_autofree char *contents = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], prefix))
      g_string_append_printf (kept, "%s\n", lines[i]);
  g_assert_true (g_file_set_contents (path, kept->str, kept->len, NULL));
}

static inline void
burrow_test_app_add_connection (const char         *name,
                                BurrowTestSshd     *sshd,
                                BurrowTestDatabase *db,
                                const char         *extra_option)
{
  g_autofree char *db_port = g_strdup_printf ("%u", burrow_test_database_get_port (db));
  g_autofree char *ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *local_port = g_strdup_printf ("--local-port=%u", burrow_test_get_free_port ());
  const char *args[] = {
    "add", name,
    "--db-kind", "postgresql",
    "--db-host", "127.0.0.1",
    "--db-port", db_port,
    "--db-name", BURROW_TEST_DB_NAME,
    "--db-user", BURROW_TEST_DB_USER,
    "--db-password-file", "-",
    "--ssh-host", "127.0.0.1",
    "--ssh-port", ssh_port,
    "--ssh-user", burrow_test_sshd_get_user (sshd),
    "--ssh-auth", "key-file",
    "--ssh-key-file", burrow_test_sshd_get_client_key_path (sshd),
    extra_option != NULL && g_str_has_prefix (extra_option, "--local-port") ? extra_option : local_port,
    extra_option != NULL && !g_str_has_prefix (extra_option, "--local-port") ? extra_option : NULL,
    NULL,
  };

  g_assert_cmpint (burrow_test_burrowctlv (BURROW_TEST_DB_PASSWORD, args, NULL, NULL), ==, 0);
  burrow_test_app_forget_port (burrow_test_sshd_get_port (sshd));
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "trust", name, "--yes", NULL), ==, 0);
}

typedef struct
{
  char     *out;
  gboolean  done;
  gboolean  success;
} BurrowTestPsql;

static inline void
burrow_test_on_psql_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  BurrowTestPsql *psql = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &psql->out, NULL, &error);
  g_assert_no_error (error);
  psql->success = g_subprocess_get_successful (G_SUBPROCESS (source));
  psql->done = TRUE;
}

static inline gboolean
burrow_test_psql_done (gpointer data)
{
  return ((BurrowTestPsql *)data)->done;
}

/* The real psql client through 127.0.0.1:@port, while this main loop
 * turns (a tunnel of this process may be what answers). Returns what it
 * printed, stripped; *@success says whether it exited 0. */
static inline char *
burrow_test_psql (guint16     port,
                  const char *query,
                  gboolean   *success)
{
  g_autofree char *psql_path = burrow_test_find_program ("psql");
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  BurrowTestPsql psql = { NULL, FALSE, FALSE };

  g_assert_nonnull (psql_path);
  g_subprocess_launcher_setenv (launcher, "PGPASSWORD", BURROW_TEST_DB_PASSWORD, TRUE);
  g_subprocess_launcher_setenv (launcher, "PGCONNECT_TIMEOUT", "10", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, psql_path,
                                         "-h", "127.0.0.1", "-p", port_text,
                                         "-U", BURROW_TEST_DB_USER, "-d", BURROW_TEST_DB_NAME,
                                         "-tA", "-c", query, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, burrow_test_on_psql_done, &psql);
  g_assert_true (burrow_test_wait_until (burrow_test_psql_done, &psql, 30000));
  g_test_message ("psql: %s", psql.out);

  if (success != NULL)
    *success = psql.success;

  return g_strstrip (psql.out);
}

static inline gboolean
burrow_test_app_is_done (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

/* Removes every connection and its secrets: each test starts empty. */
static inline void
burrow_test_app_remove_all (BurrowEngine *engine)
{
  GListModel *connections = burrow_engine_get_connections (engine);

  while (g_list_model_get_n_items (connections) > 0)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, 0);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      burrow_engine_remove_async (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT, NULL,
                                  burrow_test_on_done, &result);
      g_assert_true (burrow_test_wait_until (burrow_test_app_is_done, &result, 10000));
      burrow_engine_remove_finish (engine, result, &error);
      g_assert_no_error (error);
    }
}

/* The window, shown as a launch would show it, once it is drawn. */
static inline BurrowWindow *
burrow_test_app_open_window (BurrowApplication *app)
{
  GtkWidget *window;

  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (BURROW_IS_WINDOW (window));
  burrow_test_wait_until_drawn (window);

  return BURROW_WINDOW (window);
}

/* @connection's page, chosen in the list as a click would. */
static inline BurrowConnectionPage *
burrow_test_app_show_page (BurrowWindow     *window,
                           BurrowConnection *connection)
{
  GtkWidget *page;

  burrow_window_show_connection (window, connection);
  page = burrow_window_get_page (window);
  g_assert_true (BURROW_IS_CONNECTION_PAGE (page));
  g_assert_true (burrow_connection_page_get_connection (BURROW_CONNECTION_PAGE (page)) == connection);

  return BURROW_CONNECTION_PAGE (page);
}
