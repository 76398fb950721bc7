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
#include <string.h>

#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-secrets.h"

static BurrowTestKeyring *keyring;

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


static guint
count_connections (void)
{
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_load (store, &error));
  return g_list_model_get_n_items (G_LIST_MODEL (store));
}

static void
remove_all_connections (void)
{
  g_autofree char *path = burrow_paths_connections_file ();

  g_unlink (path);
}

/* A value burrowctl refuses: the exit code it must give, and a word the
 * message must hold so that the user knows which value was wrong. */
typedef struct
{
  const char *option;
  const char *value;
  int         status;
  const char *says;
} Refusal;

/* Ports, host names with spaces or letters outside ASCII, empty fields and
 * very long values: each refused with a message that names what is wrong,
 * and no connection saved. */
static void
test_cli_refusals (void)
{
  g_autofree char *long_host = g_strnfill (254, 'a');
  g_autofree char *long_label = g_strnfill (64, 'b');
  g_autofree char *long_label_host = g_strconcat (long_label, ".example.com", NULL);
  const Refusal refusals[] = {
    { "--db-port", "0", 1, "out of range" },
    { "--db-port", "65536", 1, "out of range" },
    { "--db-port", "4294967296", 2, "needs a number" },
    { "--db-port", "-1", 2, "needs a number" },
    { "--db-port", " 5432", 2, "needs a number" },
    { "--db-port", "54 32", 2, "needs a number" },
    { "--db-port", "0x10", 2, "needs a number" },
    { "--db-port", "", 2, "needs a number" },
    { "--db-host", "", 1, "empty" },
    { "--db-host", "db internal", 1, "not a valid host name" },
    { "--db-host", " db.internal", 1, "not a valid host name" },
    { "--db-host", "bücher.example", 1, "not a valid host name" },
    { "--db-host", "db_.internal-", 1, "not a valid host name" },
    { "--db-host", long_host, 1, "not a valid host name" },
    { "--db-host", long_label_host, 1, "not a valid host name" },
    { "--db-host", "10.0.0.256", 1, "not a valid host name" },
    { "--ssh-host", "bastion example", 1, "not a valid host name" },
    { "--ssh-port", "0", 1, "out of range" },
    { "--ssh-user", "ana maria", 1, "user name" },
    { "--ssh-user", "ana;reboot", 1, "user name" },
    { "--ssh-user", "jose\xcc\x81", 1, "user name" },
    { "--jump", "ops@jump host", 1, "jump host" },
    { "--jump", "ops@jump:99999", 1, "jump host" },
    { "--local-port", "65536", 1, "out of range" },
    { "--local-port", "auto:1", 2, "needs a number" },
    { "--keepalive", "3601", 1, "keepalive" },
    { "--db-kind", "postgres ", 2, "Unknown database kind" },
  };

  remove_all_connections ();

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const Refusal *r = &refusals[i];
      const char *ssh_host = g_str_equal (r->option, "--ssh-host") ? r->value : "bastion.example.com";
      g_autofree char *err = NULL;
      int status;

      if (g_str_equal (r->option, "--db-host") || g_str_equal (r->option, "--ssh-host") ||
          g_str_equal (r->option, "--db-kind"))
        status = burrow_test_burrowctl (NULL, NULL, &err, "add", "Refused",
                                        "--db-kind", g_str_equal (r->option, "--db-kind") ? r->value : "postgresql",
                                        "--db-host", g_str_equal (r->option, "--db-host") ? r->value : "db.internal",
                                        "--ssh-host", ssh_host, NULL);
      else
        status = burrow_test_burrowctl (NULL, NULL, &err, "add", "Refused",
                                        "--db-kind", "postgresql", "--db-host", "db.internal",
                                        "--ssh-host", ssh_host, r->option, r->value, NULL);

      if (status != r->status || strstr (err, r->says) == NULL)
        g_error ("%s “%s”: exit %d (not %d), said: %s", r->option, r->value, status, r->status, err);
      g_assert_cmpuint (count_connections (), ==, 0);
    }
}

/* What burrowctl accepts comes back as it was typed (a name without the
 * blanks around it), and the name as typed finds the connection again. */
static void
test_cli_odd_but_valid (void)
{
  g_autofree char *long_name = g_strnfill (4096, 'n');
  g_autofree char *err = NULL;
  const char *names[] = { "  Entrepôt des ventes  ", "Tab\there", "Sales \"warehouse\" ’24", long_name };

  remove_all_connections ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *port = g_strdup_printf ("%u", 40100 + i);

      g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "add", names[i],
                                              "--db-kind", "postgresql", "--db-host", "db.internal",
                                              "--db-name", "ventes été", "--db-user", "José",
                                              "--local-port", port, NULL), ==, 0);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "edit", names[i], "--db-port", "6543", NULL), ==, 0);
      g_clear_pointer (&err, g_free);
    }

  {
    g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (burrow_profile_store_load (store, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, G_N_ELEMENTS (names));
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (names[i]));
        BurrowProfile *profile = burrow_profile_store_find_by_name (store, trimmed);

        if (profile == NULL)
          g_error ("“%s” was not saved as typed", names[i]);
        g_assert_cmpstr (burrow_profile_get_name (profile), ==, trimmed);
        g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 6543);
        g_assert_cmpstr (burrow_profile_get_db_name (profile), ==, "ventes été");
        g_assert_cmpstr (burrow_profile_get_db_user (profile), ==, "José");
      }
  }
}

/* A name is a positional argument: the shell hands it over as bytes, and
 * bytes that are not UTF-8 would be saved but read back as no name at
 * all, leaving a connection no command can name. */
static void
test_cli_name_not_utf8 (void)
{
  g_autofree char *err = NULL;

  remove_all_connections ();

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "add", "Sales\xff",
                                          "--db-kind", "postgresql", "--db-host", "db.internal", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "name"));
  g_assert_cmpuint (count_connections (), ==, 0);
}

/* A key file is a path, and a path may be any bytes; one connections.ini
 * cannot keep would be saved and lost on the next read. */
static void
test_cli_key_file_not_utf8 (void)
{
  g_autofree char *err = NULL;

  remove_all_connections ();

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "add", "Key file",
                                          "--db-kind", "postgresql", "--db-host", "db.internal",
                                          "--ssh-host", "bastion.example.com", "--ssh-auth", "key-file",
                                          "--ssh-key-file", "/tmp/id_\xff", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "key file"));
  g_assert_cmpuint (count_connections (), ==, 0);
}

/* connections.ini keeps a value's leading form feed or vertical tab as
 * blanks to skip, so "\fsales" was saved and read back as "sales". Such
 * characters have no place in a database name, a user or a path. */
static void
test_cli_control_characters (void)
{
  const char *options[][2] = {
    { "--db-name", "\fsales" },
    { "--db-user", "\vana" },
    { "--db-name", "sales\x7f" },
  };

  remove_all_connections ();

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "add", "Control",
                                              "--db-kind", "postgresql", "--db-host", "db.internal",
                                              options[i][0], options[i][1], NULL), ==, 1);
      g_assert_nonnull (strstr (err, "control character"));
      g_assert_cmpuint (count_connections (), ==, 0);
    }
}

/* A secret with a NUL byte in it cannot be a password or a key: it is
 * refused, not cut short at the NUL and stored. */
static void
test_cli_secret_with_nul (void)
{
  g_autofree char *dir = burrow_test_make_dir ("burrow-bad-input-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "password", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  remove_all_connections ();
  g_file_set_contents (path, "first\0second\n", 14, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, &err, "add", "Nul",
                                          "--db-kind", "postgresql", "--db-host", "db.internal",
                                          "--db-password-file", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "NUL"));
  g_assert_cmpuint (count_connections (), ==, 0);

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
  g_test_add_func ("/burrow/bad-input/cli-refusals", test_cli_refusals);
  g_test_add_func ("/burrow/bad-input/cli-odd-but-valid", test_cli_odd_but_valid);
  g_test_add_func ("/burrow/bad-input/cli-name-not-utf8", test_cli_name_not_utf8);
  g_test_add_func ("/burrow/bad-input/cli-key-file-not-utf8", test_cli_key_file_not_utf8);
  g_test_add_func ("/burrow/bad-input/cli-secret-with-nul", test_cli_secret_with_nul);
  g_test_add_func ("/burrow/bad-input/cli-control-characters", test_cli_control_characters);

  keyring = burrow_test_start_keyring ();

  {
    int status = g_test_run ();

    burrow_test_keyring_free (keyring);
    return status;
  }
}
