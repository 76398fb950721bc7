/* test-sshd-fixture.c — the sshd fixture is a real sshd that a real client
 * logs in to, with the options and host-key swaps later tests rely on.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Runs OpenSSH's client against the fixture, trusting only the host key
 * recorded in @known_hosts. */
static gboolean
run_ssh (BurrowTestSshd  *sshd,
         const char      *known_hosts,
         const char      *extra_option,
         const char      *extra_value,
         const char      *command,
         char           **output,
         GError         **error)
{
  g_autofree char *ssh = burrow_test_find_program ("ssh");
  g_autofree char *port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *known_hosts_option = g_strconcat ("UserKnownHostsFile=", known_hosts, NULL);
  g_autofree char *destination = g_strdup_printf ("%s@127.0.0.1", burrow_test_sshd_get_user (sshd));
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_assert_nonnull (ssh);

  g_ptr_array_add (argv, ssh);
  /* No user config: OpenSSH reads ~/.ssh from the password database, not
   * from $HOME, and the machine's own settings must not leak in. */
  g_ptr_array_add (argv, (char *)"-F");
  g_ptr_array_add (argv, (char *)"/dev/null");
  g_ptr_array_add (argv, (char *)"-o");
  g_ptr_array_add (argv, (char *)"BatchMode=yes");
  g_ptr_array_add (argv, (char *)"-o");
  g_ptr_array_add (argv, (char *)"StrictHostKeyChecking=yes");
  g_ptr_array_add (argv, (char *)"-o");
  g_ptr_array_add (argv, (char *)"IdentitiesOnly=yes");
  g_ptr_array_add (argv, (char *)"-o");
  g_ptr_array_add (argv, known_hosts_option);
  g_ptr_array_add (argv, (char *)"-i");
  g_ptr_array_add (argv, (char *)burrow_test_sshd_get_client_key_path (sshd));
  g_ptr_array_add (argv, (char *)"-p");
  g_ptr_array_add (argv, port);
  if (extra_option != NULL)
    {
      g_ptr_array_add (argv, (char *)extra_option);
      g_ptr_array_add (argv, (char *)extra_value);
    }
  g_ptr_array_add (argv, destination);
  if (command != NULL)
    g_ptr_array_add (argv, (char *)command);
  g_ptr_array_add (argv, NULL);

  return burrow_test_run ((const char * const *)argv->pdata, NULL, output, error);
}

static char *
write_known_hosts (BurrowTestSshd *sshd)
{
  g_autofree char *key = burrow_test_sshd_get_host_public_key (sshd);
  g_auto(GStrv) fields = g_strsplit (key, " ", 3);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  char *path;

  line = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", burrow_test_sshd_get_port (sshd), fields[0], fields[1]);
  path = g_build_filename (g_get_user_config_dir (), "test_known_hosts", NULL);
  g_mkdir_with_parents (g_get_user_config_dir (), 0700);
  g_file_set_contents (path, line, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* A started fixture, and a known_hosts file that trusts it. */
static BurrowTestSshd *
start_sshd (char **known_hosts)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (burrow_test_sshd_get_port (sshd), >, 0);
  *known_hosts = write_known_hosts (sshd);

  return sshd;
}

static void
test_login (void)
{
  g_autofree char *known_hosts = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_sshd (&known_hosts);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  run_ssh (sshd, known_hosts, NULL, NULL, "echo logged-in-as-$(id -un)", &output, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, "logged-in-as-"));
  g_assert_nonnull (strstr (output, burrow_test_sshd_get_user (sshd)));
}

static void
test_unauthorized_key (void)
{
  g_autofree char *known_hosts = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_sshd (&known_hosts);
  g_autoptr(GError) error = NULL;

  /* An empty authorized_keys takes effect at the next login, no restart. */
  burrow_test_sshd_set_authorized_keys (sshd, "");
  run_ssh (sshd, known_hosts, NULL, NULL, "true", NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Permission denied"));
}

static void
test_swap_host_key (void)
{
  g_autofree char *known_hosts = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_sshd (&known_hosts);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint16 port = burrow_test_sshd_get_port (sshd);

  before = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_assert_true (g_str_has_prefix (before, "SHA256:"));

  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  after = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpuint (port, ==, burrow_test_sshd_get_port (sshd));

  /* The client that knew the old key refuses the new one. */
  run_ssh (sshd, known_hosts, NULL, NULL, "true", NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HOST IDENTIFICATION HAS CHANGED"));
}

/* `ssh -W` asks sshd for a direct-tcpip channel, the same request a tunnel
 * makes; aimed at sshd's own port it returns sshd's banner. */
static gboolean
forward_to_self (BurrowTestSshd  *sshd,
                 const char      *known_hosts,
                 GError         **error)
{
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *output = NULL;

  if (!run_ssh (sshd, known_hosts, "-W", target, NULL, &output, error))
    return FALSE;

  g_assert_true (g_str_has_prefix (output, "SSH-2.0-OpenSSH"));
  return TRUE;
}

static void
test_forwarding_options (void)
{
  g_autofree char *known_hosts = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_sshd (&known_hosts);
  g_autoptr(GError) error = NULL;

  forward_to_self (sshd, known_hosts, &error);
  g_assert_no_error (error);

  burrow_test_sshd_set_option (sshd, "AllowTcpForwarding", "no");
  burrow_test_sshd_restart (sshd, &error);
  g_assert_no_error (error);
  forward_to_self (sshd, known_hosts, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "administratively prohibited"));
  g_clear_error (&error);

  burrow_test_sshd_set_option (sshd, "AllowTcpForwarding", "yes");
  burrow_test_sshd_set_option (sshd, "PermitOpen", "127.0.0.1:1");
  burrow_test_sshd_restart (sshd, &error);
  g_assert_no_error (error);
  forward_to_self (sshd, known_hosts, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "administratively prohibited"));
}

static void
test_kill_sessions (void)
{
  g_autofree char *known_hosts = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_sshd (&known_hosts);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *ssh = burrow_test_find_program ("ssh");
  g_autofree char *port = NULL;
  g_autofree char *known_hosts_option = NULL;
  g_autofree char *destination = NULL;
  gint64 deadline;
  guint killed = 0;

  port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  known_hosts_option = g_strconcat ("UserKnownHostsFile=", known_hosts, NULL);
  destination = g_strdup_printf ("%s@127.0.0.1", burrow_test_sshd_get_user (sshd));

  {
    const char *argv[] = { ssh, "-F", "/dev/null", "-o", "BatchMode=yes",
                           "-o", known_hosts_option, "-i",
                           burrow_test_sshd_get_client_key_path (sshd),
                           "-p", port, destination, "sleep", "60", NULL };

    client = burrow_test_spawn (argv, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  /* The session appears once the client has connected. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (killed == 0 && g_get_monotonic_time () < deadline)
    {
      g_usleep (50 * 1000);
      killed = burrow_test_sshd_signal_sessions (sshd, SIGKILL);
    }
  g_assert_cmpuint (killed, >, 0);

  /* Its client sees the bastion die, long before `sleep 60` would end. */
  g_subprocess_wait (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (client), ==, 255);
}

/* The names of the fixture's throwaway accounts in /etc/passwd. */
static GPtrArray *
list_password_users (void)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *passwd = NULL;
  g_auto(GStrv) lines = NULL;

  g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL);
  lines = g_strsplit (passwd != NULL ? passwd : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "burrowpw") && strchr (lines[i], ':') != NULL)
      g_ptr_array_add (names, g_strndup (lines[i], strchr (lines[i], ':') - lines[i]));

  return names;
}

static gboolean
can_add_password_user (void)
{
  g_autofree char *useradd = burrow_test_find_program ("useradd");
  g_autofree char *userdel = burrow_test_find_program ("userdel");
  g_autofree char *chpasswd = burrow_test_find_program ("chpasswd");

  if (burrow_test_running_as_root () && useradd != NULL && userdel != NULL && chpasswd != NULL)
    return TRUE;

  g_test_skip ("Creating a user with a password needs root, useradd, userdel and chpasswd");
  return FALSE;
}

static const char *
abort_user_file (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_get_tmp_dir (), "burrow-test-abort-user", NULL);
  return path;
}

/* In a test subprocess about to die without freeing its fixture: makes
 * the account, and removes the files that nothing will remove then. */
static void
add_password_user_and_leave (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autofree char *user = burrow_test_sshd_add_password_user (sshd, "s3cret-Pa55", NULL);
  g_autofree char *root = g_path_get_dirname (g_get_home_dir ());

  g_assert_nonnull (user);
  /* For the parent, which must look for this account alone: tests of
   * other runs on the machine may hold accounts of their own now. */
  g_assert_true (g_file_set_contents (abort_user_file (), user, -1, NULL));
  burrow_test_remove_dir (burrow_test_sshd_get_dir (sshd));
  burrow_test_remove_dir (root);
}

/* A failed assertion does not leave the throwaway account behind. */
static void
test_password_user_removed_on_abort (void)
{
  if (g_test_subprocess ())
    {
      add_password_user_and_leave ();
      /* What a failed assertion does outside a test subprocess (inside
       * one, GLib calls _exit() instead). */
      abort ();
    }

  if (!can_add_password_user ())
    return;

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  {
    g_autoptr(GPtrArray) users = list_password_users ();
    g_autofree char *user = NULL;

    g_assert_true (g_file_get_contents (abort_user_file (), &user, NULL, NULL));
    g_assert_true (g_str_has_prefix (user, "burrowpw"));
    g_assert_false (g_ptr_array_find_with_equal_func (users, user, g_str_equal, NULL));
    g_unlink (abort_user_file ());
  }
}

/* An account left by a test that died without any clean-up (killed, or
 * _exit) is removed when the next one is made. */
static void
test_stale_password_user_removed (void)
{
  g_autoptr(GPtrArray) users = NULL;

  if (g_test_subprocess ())
    {
      add_password_user_and_leave ();
      _exit (1);
    }

  if (!can_add_password_user ())
    return;

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  users = list_password_users ();
  g_assert_cmpuint (users->len, ==, 1);
  g_clear_pointer (&users, g_ptr_array_unref);

  {
    g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *user = burrow_test_sshd_add_password_user (sshd, "s3cret-Pa55", &error);
    g_autofree char *mine = g_strdup_printf ("burrowpw%u", (guint)getpid ());

    g_assert_no_error (error);
    g_assert_cmpstr (user, ==, mine);
    users = list_password_users ();
    g_assert_cmpuint (users->len, ==, 1);
    g_assert_cmpstr (users->pdata[0], ==, mine);
    g_clear_pointer (&users, g_ptr_array_unref);
  }

  users = list_password_users ();
  g_assert_cmpuint (users->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/sshd-fixture/login", test_login);
  g_test_add_func ("/burrow/sshd-fixture/unauthorized-key", test_unauthorized_key);
  g_test_add_func ("/burrow/sshd-fixture/swap-host-key", test_swap_host_key);
  g_test_add_func ("/burrow/sshd-fixture/forwarding-options", test_forwarding_options);
  g_test_add_func ("/burrow/sshd-fixture/kill-sessions", test_kill_sessions);
  g_test_add_func ("/burrow/sshd-fixture/password-user-removed-on-abort", test_password_user_removed_on_abort);
  g_test_add_func ("/burrow/sshd-fixture/stale-password-user-removed", test_stale_password_user_removed);

  return g_test_run ();
}
