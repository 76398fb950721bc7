/* test-key-guide.c — the key guide shows Burrow's real public key and the
 * line restricted to the connection's database; its script, run as
 * written, installs a key the bastion accepts; rotating names the
 * bastions that need the new key and keeps the old one until it is
 * forgotten.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "burrow-key-guide-window.h"
#include "burrow-test-dialogs.h"
#include "burrow-test-env.h"

static BurrowTestDatabase *postgres;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
guide_ready (gpointer data)
{
  return burrow_key_guide_window_get_identity (data) != NULL;
}

static BurrowKeyGuideWindow *
open_guide (BurrowEngine  *engine,
            BurrowProfile *profile)
{
  BurrowKeyGuideWindow *guide = burrow_key_guide_window_new (NULL, engine, profile);

  gtk_window_present (GTK_WINDOW (guide));
  g_assert_true (burrow_test_wait_until (guide_ready, guide, BURROW_TEST_DIALOG_TIMEOUT_MS));
  burrow_test_wait_until_drawn (GTK_WIDGET (guide));

  return guide;
}

static BurrowProfile *
workspace_key_profile (const char     *name,
                       BurrowTestSshd *sshd)
{
  BurrowProfile *profile = burrow_test_make_profile (name, sshd, postgres);

  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  return profile;
}

static BurrowConnection *
save_profile (BurrowEngine  *engine,
              BurrowProfile *profile)
{
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BurrowConnection *connection;

  burrow_engine_save_async (engine, credentials, NULL, burrow_test_on_done, &result);
  connection = burrow_engine_save_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);

  return connection;
}

/* Runs @script as an administrator would, with a stand-in for sudo: the
 * administrator's commands are written to @sudo_log, the bastion user's
 * run for real in @home. */
static void
run_script (const char  *script,
            const char  *home,
            char       **sudo_log)
{
  g_autofree char *dir = burrow_test_make_dir ("burrow-guide-XXXXXX");
  g_autofree char *bin = g_build_filename (dir, "bin", NULL);
  g_autofree char *sudo = g_build_filename (bin, "sudo", NULL);
  g_autofree char *script_path = g_build_filename (dir, "authorize-burrow.sh", NULL);
  g_autofree char *log_path = g_build_filename (dir, "sudo.log", NULL);
  g_autofree char *path = g_strdup_printf ("%s:%s", bin, g_getenv ("PATH"));
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GError) error = NULL;
  const char *fake_sudo =
    "#!/bin/sh\n"
    "if [ \"$1\" = -u ]; then\n"
    "  shift 2\n"
    "  [ \"$1\" = -i ] && shift\n"
    "  cd \"$FAKE_HOME\" && HOME=\"$FAKE_HOME\" exec \"$@\"\n"
    "fi\n"
    "echo \"$*\" >> \"$SUDO_LOG\"\n";

  g_mkdir_with_parents (bin, 0755);
  g_file_set_contents (sudo, fake_sudo, -1, &error);
  g_assert_no_error (error);
  g_chmod (sudo, 0755);
  g_file_set_contents (script_path, script, -1, &error);
  g_assert_no_error (error);

  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "SUDO_LOG", log_path, TRUE);
  shell = g_subprocess_launcher_spawn (launcher, &error, "sh", "-e", script_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (shell, NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (log_path, sudo_log, NULL, &error);
  g_assert_no_error (error);
  burrow_test_remove_dir (dir);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    n++;

  return n;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_shows_key_and_commands (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = workspace_key_profile ("Sales warehouse", sshd);
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *restricted = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *useradd = NULL;
  g_autofree char *script = NULL;
  g_autofree char *home = NULL;
  g_autofree char *sudo_log = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *authorized_path = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  const char *user = burrow_test_sshd_get_user (sshd);
  BurrowKeyGuideWindow *guide;
  GStatBuf st;

  guide = open_guide (engine, profile);

  /* The key the engine signs in with, made on first use. */
  burrow_engine_load_identity_async (engine, NULL, burrow_test_on_done, &result);
  identity = burrow_engine_load_identity_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (burrow_key_guide_window_get_identity (guide) == identity);

  restricted = burrow_identity_dup_restricted_line (identity, "127.0.0.1", burrow_test_database_get_port (postgres));
  fingerprint = burrow_identity_dup_fingerprint (identity);
  useradd = g_strdup_printf ("sudo useradd -m -g '%s' '%s'", user, user);

  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), burrow_identity_get_public_key (identity)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), restricted));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), fingerprint));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), useradd));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "chmod 600 ~/.ssh/authorized_keys"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "“AllowTcpForwarding yes”"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "Sales warehouse"));

  burrow_test_screenshot_styles (GTK_WIDGET (guide), "key-guide");

  /* Each command copies on its own. */
  {
    GtkWidget *row = burrow_test_find_widget (GTK_WIDGET (guide), ADW_TYPE_PREFERENCES_ROW, "Line for authorized_keys, for this database only (recommended)");
    g_autofree char *copied = NULL;

    g_assert_nonnull (row);
    burrow_test_click (row, "edit-copy-symbolic");
    copied = burrow_test_dup_clipboard (GTK_WIDGET (guide));
    g_assert_cmpstr (copied, ==, restricted);
  }

  /* All of it as one script, which installs a key the bastion accepts. */
  burrow_test_assert_accessible_name (burrow_test_find_button (GTK_WIDGET (guide), "Copy as _Script"),
                                      "Copy every command as one script");
  burrow_test_click (GTK_WIDGET (guide), "Copy as _Script");
  script = burrow_test_dup_clipboard (GTK_WIDGET (guide));
  g_test_message ("%s", script);
  g_assert_true (g_str_has_prefix (script, "#!/bin/sh\n"));

  home = burrow_test_make_dir ("burrow-bastion-home-XXXXXX");
  run_script (script, home, &sudo_log);
  g_test_message ("sudo: %s", sudo_log);
  {
    g_autofree char *groupadd = g_strdup_printf ("groupadd %s\n", user);
    g_autofree char *useradd_run = g_strdup_printf ("useradd -m -g %s %s\n", user, user);

    g_assert_nonnull (strstr (sudo_log, groupadd));
    g_assert_nonnull (strstr (sudo_log, useradd_run));
  }

  authorized_path = g_build_filename (home, ".ssh", "authorized_keys", NULL);
  g_assert_cmpint (g_stat (authorized_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *ssh_dir = g_build_filename (home, ".ssh", NULL);

    g_assert_cmpint (g_stat (ssh_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }
  g_file_get_contents (authorized_path, &authorized, NULL, &error);
  g_assert_no_error (error);
  /* The restricted line, once; the plain one is only offered. */
  g_assert_cmpuint (count (authorized, "ssh-ed25519 "), ==, 1);
  g_assert_nonnull (strstr (authorized, restricted));

  burrow_test_sshd_set_authorized_keys (sshd, authorized);
  {
    g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);

    g_clear_object (&result);
    burrow_engine_prepare_probe_async (engine, credentials, NULL, burrow_test_on_done, &result);
    probe = burrow_engine_prepare_probe_finish (engine, burrow_test_wait_for (&result), &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    burrow_probe_run_async (probe, NULL, burrow_test_on_done, &result);
    burrow_probe_run_finish (probe, burrow_test_wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_QUERY), ==, BURROW_PROBE_STEP_PASSED);
  }

  burrow_test_remove_dir (home);
  burrow_test_close_windows ();
}

static void
on_test_again (BurrowKeyGuideWindow *guide,
               guint                *count)
{
  (*count)++;
}

static void
test_follows_profile (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = workspace_key_profile ("Sales warehouse", sshd);
  BurrowKeyGuideWindow *guide = open_guide (engine, profile);
  guint pressed = 0;

  /* The form changes while the guide is open: the commands follow. */
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  burrow_profile_set_ssh_user (profile, "analytics");
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_db_port (profile, 6432);
  burrow_test_iterate (50);
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "sudo useradd -m -g 'analytics' 'analytics'"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "permitopen=\"db.internal:6432\""));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "On bastion.example.com"));
  burrow_test_screenshot_styles (GTK_WIDGET (guide), "key-guide-example");

  /* Further down: the key line, the alternative and the notes. */
  {
    GtkStack *stack = GTK_STACK (burrow_test_find_widget (GTK_WIDGET (guide), GTK_TYPE_STACK, NULL));
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_stack_get_visible_child (stack));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    burrow_test_iterate (100);
    g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "Or add it without that restriction"));
    burrow_test_screenshot_styles (GTK_WIDGET (guide), "key-guide-example-end");
  }

  /* Opened with no test run, its button offers a test, not another one. */
  g_signal_connect (guide, "test-again", G_CALLBACK (on_test_again), &pressed);
  g_assert_null (burrow_test_find_button (GTK_WIDGET (guide), "Test _Again"));
  burrow_test_assert_accessible_name (burrow_test_find_button (GTK_WIDGET (guide), "_Test"), "Test the connection");
  burrow_test_click (GTK_WIDGET (guide), "_Test");
  g_assert_cmpuint (pressed, ==, 1);
  /* From a test that ran, it offers that test again. */
  burrow_key_guide_window_set_after_test (guide, TRUE);
  burrow_test_assert_accessible_name (burrow_test_find_button (GTK_WIDGET (guide), "Test _Again"),
                                      "Test the connection again");
  burrow_test_click (GTK_WIDGET (guide), "Test _Again");
  g_assert_cmpuint (pressed, ==, 2);

  burrow_test_close_windows ();
}

static gboolean
key_changed (gpointer data)
{
  BurrowKeyGuideWindow *guide = data;
  BurrowIdentity *identity = burrow_key_guide_window_get_identity (guide);

  return burrow_identity_get_previous_public_key (identity) != NULL;
}

static gboolean
old_key_forgotten (gpointer data)
{
  BurrowKeyGuideWindow *guide = data;
  BurrowIdentity *identity = burrow_key_guide_window_get_identity (guide);

  return burrow_identity_get_previous_public_key (identity) == NULL;
}

static void
test_rotate (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) mine = workspace_key_profile ("Sales warehouse", sshd);
  g_autoptr(BurrowProfile) other = workspace_key_profile ("Finance", sshd);
  g_autoptr(BurrowProfile) own_key = burrow_test_make_profile ("Own key", sshd, postgres);
  g_autoptr(BurrowConnection) saved_mine = NULL;
  g_autoptr(BurrowConnection) saved_other = NULL;
  g_autoptr(BurrowConnection) saved_own_key = NULL;
  const char *jumps[] = { "ops@jump.example.com:2222", NULL };
  g_autofree char *old_key = NULL;
  g_autofree char *account = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (sshd),
                                              burrow_test_sshd_get_port (sshd));
  BurrowKeyGuideWindow *guide;
  BurrowIdentity *identity;
  GtkWindow *confirm;

  burrow_profile_set_ssh_host (other, "finance-bastion.example.com");
  burrow_profile_set_ssh_port (other, 22);
  burrow_profile_set_ssh_user (other, "burrow");
  burrow_profile_set_jump_hosts (other, jumps);
  burrow_profile_set_ssh_host (own_key, "elsewhere.example.com");
  saved_mine = save_profile (engine, mine);
  saved_other = save_profile (engine, other);
  saved_own_key = save_profile (engine, own_key);

  guide = open_guide (engine, burrow_connection_get_profile (saved_mine));
  identity = burrow_key_guide_window_get_identity (guide);
  old_key = g_strdup (burrow_identity_get_public_key (identity));

  /* The confirmation names every bastion and jump host that signs in
   * with Burrow's key, and only those. */
  burrow_test_click (GTK_WIDGET (guide), "_Rotate…");
  confirm = burrow_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (confirm));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), account));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), "Sales warehouse"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), "burrow@finance-bastion.example.com"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), "ops@jump.example.com:2222"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), "jump host for Finance"));
  g_assert_false (burrow_test_shows (GTK_WIDGET (confirm), "elsewhere.example.com"));
  burrow_test_screenshot_styles (GTK_WIDGET (confirm), "key-guide-rotate");

  burrow_test_respond (confirm, "_Make a New Key");
  g_assert_true (burrow_test_wait_until (key_changed, guide, BURROW_TEST_DIALOG_TIMEOUT_MS));
  burrow_test_iterate (50);

  /* The new key shows; the old one still signs in until forgotten. */
  g_assert_cmpstr (burrow_identity_get_public_key (identity), !=, old_key);
  g_assert_cmpstr (burrow_identity_get_previous_public_key (identity), ==, old_key);
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), burrow_identity_get_public_key (identity)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), "Replace the old key"));

  burrow_test_click (GTK_WIDGET (guide), "_Forget…");
  confirm = burrow_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (confirm));
  g_assert_true (burrow_test_shows (GTK_WIDGET (confirm), account));
  burrow_test_respond (confirm, "_Forget the Old Key");
  g_assert_true (burrow_test_wait_until (old_key_forgotten, guide, BURROW_TEST_DIALOG_TIMEOUT_MS));
  burrow_test_iterate (50);
  g_assert_false (burrow_test_shows (GTK_WIDGET (guide), "Forget the old key"));

  burrow_test_close_windows ();
}

int
main (int    argc,
      char **argv)
{
  static const BurrowTestCase cases[] = {
    { "/burrow/key-guide/shows-key-and-commands", test_shows_key_and_commands },
    { "/burrow/key-guide/follows-profile", test_follows_profile },
    { "/burrow/key-guide/rotate", test_rotate },
  };

  return burrow_test_dialogs_main (&argc, &argv, cases, G_N_ELEMENTS (cases), &postgres);
}
