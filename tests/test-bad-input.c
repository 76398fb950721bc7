/* test-bad-input.c — what users type and files hold that Burrow did not
 * expect: clear errors, nothing saved half-way, nothing lost beside it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fuzz targets in tests/fuzz find such input; each finding ends up
 * here as a plain case, besides its input in the target's corpus.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "burrow-core.h"
#include "burrow-test-env.h"

static ssh_key
make_key (void)
{
  ssh_key key = NULL;

  g_assert_cmpint (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &key), ==, SSH_OK);
  return key;
}

static char *
key_line (const char *hosts,
          ssh_key     key)
{
  char *base64 = NULL;
  char *line;

  g_assert_cmpint (ssh_pki_export_pubkey_base64 (key, &base64), ==, SSH_OK);
  line = g_strdup_printf ("%s %s %s\n", hosts, ssh_key_type_to_char (ssh_key_type (key)), base64);
  ssh_string_free_char (base64);

  return line;
}

/* A line of Burrow's known_hosts may name several hosts, or a pattern
 * (copied from ~/.ssh/known_hosts, or written by hand). Trusting a new key
 * for one of them must not drop the others' key with the line: they would
 * fall from "changed: refuse" to "unknown: ask". */
static void
test_known_hosts_shared_line (void)
{
  g_autofree char *dir = burrow_test_make_dir ("burrow-bad-input-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "known_hosts", NULL);
  ssh_key old_key = make_key ();
  ssh_key new_key = make_key ();
  g_autofree char *shared = key_line ("db-jump,[db-jump]:2200,10.0.0.7", old_key);
  g_autofree char *pattern = key_line ("*.example.com", old_key);
  g_autofree char *contents = g_strconcat (shared, pattern, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  g_assert_true (burrow_host_keys_trust (path, "10.0.0.7", 22, new_key, &error));
  g_assert_no_error (error);
  g_assert_true (burrow_host_keys_trust (path, "bastion.example.com", 22, new_key, &error));
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (path, "10.0.0.7", 22, new_key, NULL), ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (path, "bastion.example.com", 22, new_key, NULL), ==, BURROW_HOST_KEY_TRUSTED);

  g_assert_cmpint (burrow_host_keys_check (path, "db-jump", 22, old_key, NULL), ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (path, "db-jump", 2200, old_key, NULL), ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (path, "db-jump", 2200, new_key, NULL), ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpint (burrow_host_keys_check (path, "other.example.com", 22, old_key, NULL), ==, BURROW_HOST_KEY_TRUSTED);

  ssh_key_free (old_key);
  ssh_key_free (new_key);
  burrow_test_remove_dir (dir);
}

/* libssh 0.10 runs the command of a "Match exec" line while it parses a
 * config (as ssh does when it connects). Reading ~/.ssh/config for its
 * Host entries must run nothing: not in any spelling libssh accepts, nor
 * past the 1023 bytes after which libssh starts a new line. */
static void
test_ssh_config_runs_no_command (void)
{
  g_autofree char *dir = burrow_test_make_dir ("burrow-bad-input-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "config", NULL);
  g_autofree char *long_comment = g_strnfill (1022, 'x');
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(BurrowSshConfigHost) host = NULL;
  g_autoptr(GError) error = NULL;
  const char *markers[] = { "plain", "quoted", "equals", "after-host", "long-line" };

  g_string_append (config, "Host bastion\n  HostName bastion.example.com\n");
  g_string_append_printf (config, "Match exec \"touch %s/plain\"\n  User mallory\n", dir);
  g_string_append_printf (config, "\"match\" EXEC \"touch %s/quoted\"\n  Port 2222\n", dir);
  g_string_append_printf (config, "Match=exec=\"touch %s/equals\"\n  Port 2223\n", dir);
  g_string_append_printf (config, "Match host bastion* !exec \"touch %s/after-host\"\n  Port 2224\n", dir);
  g_string_append_printf (config, "#%sMatch exec \"touch %s/long-line\"\n  Port 2225\n", long_comment, dir);

  g_file_set_contents (path, config->str, -1, &error);
  g_assert_no_error (error);

  host = burrow_ssh_config_resolve (path, "bastion", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (host->host_name, ==, "bastion.example.com");

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *marker = g_build_filename (dir, markers[i], NULL);

      g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
    }

  /* An entry that depends on a command Burrow does not run does not
   * apply. */
  g_assert_cmpstr (host->user, !=, "mallory");
  g_assert_cmpuint (host->port, ==, 22);

  burrow_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  /* libssh runs a Match exec command with $SHELL. */
  g_setenv ("SHELL", "/bin/sh", TRUE);

  g_test_add_func ("/burrow/bad-input/known-hosts-shared-line", test_known_hosts_shared_line);
  g_test_add_func ("/burrow/bad-input/ssh-config-runs-no-command", test_ssh_config_runs_no_command);

  return g_test_run ();
}
