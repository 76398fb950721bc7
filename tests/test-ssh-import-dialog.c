/* test-ssh-import-dialog.c — the Host entries of ~/.ssh/config, as the
 * engine reads them, into a new or an existing connection's tunnel.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-ssh-import-dialog.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"

static BurrowTestKeyring *keyring;

static void
write_file (const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static gboolean
loaded (gpointer data)
{
  return burrow_ssh_import_dialog_is_loaded (data);
}

static void
on_imported (BurrowSshImportDialog  *dialog,
             BurrowConnection       *connection,
             BurrowConnection      **slot)
{
  g_set_object (slot, connection);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *)data != NULL;
}

static BurrowConnection *
import (BurrowEngine     *engine,
        const char       *alias,
        BurrowConnection *into,
        const char       *screenshot)
{
  GtkWidget *dialog = burrow_ssh_import_dialog_new (NULL, engine, NULL, NULL);
  BurrowConnection *imported = NULL;

  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &imported);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (burrow_test_wait_until (loaded, dialog, 10000));

  burrow_ssh_import_dialog_choose (BURROW_SSH_IMPORT_DIALOG (dialog), alias, into);
  /* The host's radio is named by its row, once. */
  burrow_test_assert_accessible_name (burrow_test_find_widget (burrow_test_find_widget (dialog, ADW_TYPE_ACTION_ROW, alias),
                                                               GTK_TYPE_CHECK_BUTTON, NULL),
                                      alias);
  burrow_test_assert_accessible_name (burrow_test_find_widget (dialog, GTK_TYPE_BUTTON, "_Import"), "Import");
  if (screenshot != NULL)
    burrow_test_screenshot_styles (dialog, screenshot);

  g_signal_emit_by_name (burrow_test_find_widget (dialog, GTK_TYPE_BUTTON, "_Import"), "clicked");
  g_assert_true (burrow_test_wait_until (is_set, &imported, 10000));

  return imported;
}

static void
test_import (void)
{
  g_autoptr(BurrowEngine) engine = burrow_engine_new ();
  g_autoptr(BurrowConnection) created = NULL;
  g_autoptr(BurrowConnection) updated = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *row;
  BurrowProfile *profile;
  g_autofree char *hops = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  write_file (".ssh/config",
              "Include conf.d/*\n"
              "\n"
              "Host bastion\n"
              "  HostName bastion.example.com\n"
              "  User burrow\n"
              "  Port 2222\n"
              "  IdentityFile ~/.ssh/id_bastion\n"
              "  ProxyJump ops@jump.example.com:2200\n"
              "\n"
              "Host legacy\n"
              "  HostName legacy.example.com\n"
              "  ProxyCommand nc -X connect -x proxy.example.com:3128 %h %p\n"
              "\n"
              "Host *.internal\n"
              "  User nobody\n");
  write_file (".ssh/conf.d/analytics",
              "Host analytics\n"
              "  HostName analytics-bastion.example.com\n"
              "  User ana\n");

  g_assert_true (burrow_engine_load (engine, &error));
  g_assert_no_error (error);

  /* The list: patterns skipped, Include followed, ProxyCommand refused
   * with the reason. */
  dialog = burrow_ssh_import_dialog_new (NULL, engine, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (burrow_test_wait_until (loaded, dialog, 10000));
  g_assert_cmpuint (burrow_ssh_import_dialog_get_n_hosts (BURROW_SSH_IMPORT_DIALOG (dialog)), ==, 3);
  g_assert_null (burrow_ssh_import_dialog_get_host_row (BURROW_SSH_IMPORT_DIALOG (dialog), "*.internal"));
  g_assert_nonnull (burrow_ssh_import_dialog_get_host_row (BURROW_SSH_IMPORT_DIALOG (dialog), "analytics"));

  row = burrow_ssh_import_dialog_get_host_row (BURROW_SSH_IMPORT_DIALOG (dialog), "bastion");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "burrow@bastion.example.com:2222"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "through ops@jump.example.com:2200"));

  row = burrow_ssh_import_dialog_get_host_row (BURROW_SSH_IMPORT_DIALOG (dialog), "legacy");
  g_assert_false (gtk_widget_get_sensitive (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "ProxyCommand"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "does not run commands"));

  /* Nothing chosen, nothing to import. */
  g_assert_false (gtk_widget_get_sensitive (burrow_test_find_widget (dialog, GTK_TYPE_BUTTON, "_Import")));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Into a new connection, named after the entry. */
  created = import (engine, "bastion", NULL, "ssh-import-dialog");
  profile = burrow_connection_get_profile (created);
  g_assert_cmpstr (burrow_connection_get_name (created), ==, "bastion");
  g_assert_cmpstr (burrow_profile_get_ssh_host (profile), ==, "bastion.example.com");
  g_assert_cmpuint (burrow_profile_get_ssh_port (profile), ==, 2222);
  g_assert_cmpstr (burrow_profile_get_ssh_user (profile), ==, "burrow");
  g_assert_cmpint (burrow_profile_get_ssh_auth (profile), ==, BURROW_PROFILE_AUTH_KEY_FILE);
  g_assert_true (g_str_has_suffix (burrow_profile_get_ssh_key_file (profile), "/.ssh/id_bastion"));
  hops = g_strjoinv (";", (char **)burrow_profile_get_jump_hosts (profile));
  g_assert_cmpstr (hops, ==, "ops@jump.example.com:2200");

  /* Into that one again, from another entry: its tunnel changes, its
   * name and database stay. */
  burrow_profile_set_db_host (profile, "warehouse.internal");
  updated = import (engine, "analytics", created, NULL);
  g_assert_true (updated == created);
  g_assert_cmpstr (burrow_connection_get_name (updated), ==, "bastion");
  g_assert_cmpstr (burrow_profile_get_ssh_host (profile), ==, "analytics-bastion.example.com");
  g_assert_cmpstr (burrow_profile_get_ssh_user (profile), ==, "ana");
}

static void
test_no_config (void)
{
  g_autoptr(BurrowEngine) engine = burrow_engine_new ();
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "no-such-config", NULL);
  GtkWidget *dialog;
  GtkWidget *page;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  dialog = burrow_ssh_import_dialog_new (NULL, engine, missing, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (burrow_test_wait_until (loaded, dialog, 10000));

  page = burrow_test_find_widget (dialog, ADW_TYPE_STATUS_PAGE, "No Hosts to Import");
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (page)));
  g_assert_false (gtk_widget_get_sensitive (burrow_test_find_widget (dialog, GTK_TYPE_BUTTON, "_Import")));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/ssh-import-dialog/import", test_import);
  g_test_add_func ("/burrow/ssh-import-dialog/no-config", test_no_config);

  keyring = burrow_test_start_keyring ();
  status = g_test_run ();
  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
