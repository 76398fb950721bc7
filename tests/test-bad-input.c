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

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/bad-input/known-hosts-shared-line", test_known_hosts_shared_line);

  return g_test_run ();
}
