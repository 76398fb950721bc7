/* test-host-keys.c — Burrow's known_hosts and the user's, read and written
 * the way OpenSSH does.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "burrow-core.h"
#include "burrow-test-env.h"

typedef struct
{
  char    *dir;
  char    *own_file;
  char    *user_file;
  ssh_key  ed25519_a;
  ssh_key  ed25519_b;
  ssh_key  ecdsa;
  char    *ed25519_a_path;
} Fixture;

static char *
run_keygen (const char * const *args)
{
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  g_assert_nonnull (keygen);
  g_ptr_array_add (argv, keygen);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  burrow_test_run ((const char * const *)argv->pdata, NULL, &output, &error);
  g_assert_no_error (error);

  return output;
}

static ssh_key
make_public_key (Fixture    *fixture,
                 const char *name,
                 const char *type,
                 char      **out_path)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  const char *args[] = { "-q", "-t", type, "-N", "", "-f", path, NULL };
  g_autofree char *output = run_keygen (args);
  ssh_key key = NULL;

  g_assert_cmpint (ssh_pki_import_pubkey_file (pub, &key), ==, SSH_OK);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&pub);

  return key;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = burrow_test_make_dir ("burrow-host-keys-XXXXXX");
  fixture->own_file = g_build_filename (fixture->dir, "burrow", "known_hosts", NULL);
  fixture->user_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  g_unlink (fixture->user_file);

  fixture->ed25519_a = make_public_key (fixture, "a", "ed25519", &fixture->ed25519_a_path);
  fixture->ed25519_b = make_public_key (fixture, "b", "ed25519", NULL);
  fixture->ecdsa = make_public_key (fixture, "c", "ecdsa", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unlink (fixture->user_file);
  burrow_test_remove_dir (fixture->dir);
  ssh_key_free (fixture->ed25519_a);
  ssh_key_free (fixture->ed25519_b);
  ssh_key_free (fixture->ecdsa);
  g_free (fixture->ed25519_a_path);
  g_free (fixture->dir);
  g_free (fixture->own_file);
  g_free (fixture->user_file);
}

static void
write_user_file (Fixture    *fixture,
                 const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (fixture->user_file);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (fixture->user_file, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
known_hosts_line (const char *host,
                  ssh_key     key)
{
  char *base64 = NULL;
  char *line;

  g_assert_cmpint (ssh_pki_export_pubkey_base64 (key, &base64), ==, SSH_OK);
  line = g_strdup_printf ("%s %s %s\n", host, ssh_key_type_to_char (ssh_key_type (key)), base64);
  ssh_string_free_char (base64);

  return line;
}

static void
test_format_host (void)
{
  g_autofree char *plain = burrow_host_keys_format_host ("Bastion.Example.COM", 22);
  g_autofree char *with_port = burrow_host_keys_format_host ("bastion.example.com", 2222);
  g_autofree char *v6 = burrow_host_keys_format_host ("::1", 2222);

  g_assert_cmpstr (plain, ==, "bastion.example.com");
  g_assert_cmpstr (with_port, ==, "[bastion.example.com]:2222");
  g_assert_cmpstr (v6, ==, "[::1]:2222");
}

/* The same text `ssh-keygen -l` shows, so a user can compare them. */
static void
test_fingerprint (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *args[] = { "-l", "-E", "sha256", "-f", fixture->ed25519_a_path, NULL };
  g_autofree char *output = run_keygen (args);
  g_auto(GStrv) fields = g_strsplit (output, " ", 3);
  g_autofree char *fingerprint = burrow_host_keys_fingerprint (fixture->ed25519_a);

  g_assert_cmpstr (fingerprint, ==, fields[1]);
}

static void
test_unknown_trust_check (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *known = NULL;
  g_autofree char *found = NULL;
  struct stat st;

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion.example.com", 2222,
                                           fixture->ed25519_a, &known),
                   ==, BURROW_HOST_KEY_UNKNOWN);
  g_assert_null (known);

  burrow_host_keys_trust (fixture->own_file, "bastion.example.com", 2222, fixture->ed25519_a, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion.example.com", 2222,
                                           fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  /* Another port of the same host is another server. */
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion.example.com", 22,
                                           fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_UNKNOWN);

  /* Only the user may read it. */
  g_assert_cmpint (g_stat (fixture->own_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* OpenSSH reads what Burrow wrote. */
  {
    const char *args[] = { "-F", "[bastion.example.com]:2222", "-f", fixture->own_file, NULL };

    found = run_keygen (args);
    g_assert_nonnull (strstr (found, "ssh-ed25519"));
  }
}

static void
test_changed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *known = NULL;
  g_autofree char *expected = burrow_host_keys_fingerprint (fixture->ed25519_a);

  burrow_host_keys_trust (fixture->own_file, "bastion", 22, fixture->ed25519_a, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_b, &known),
                   ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpstr (known, ==, expected);
  g_clear_pointer (&known, g_free);

  /* A key of another type where one was recorded is refused too. */
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ecdsa, &known),
                   ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpstr (known, ==, expected);
}

/* Trusting a new key replaces the old one of its type for that host, and
 * keeps everything else. */
static void
test_trust_replaces (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  burrow_host_keys_trust (fixture->own_file, "bastion", 22, fixture->ed25519_a, &error);
  g_assert_no_error (error);
  burrow_host_keys_trust (fixture->own_file, "other", 22, fixture->ed25519_a, &error);
  g_assert_no_error (error);
  burrow_host_keys_trust (fixture->own_file, "bastion", 22, fixture->ecdsa, &error);
  g_assert_no_error (error);
  burrow_host_keys_trust (fixture->own_file, "bastion", 22, fixture->ed25519_b, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ecdsa, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "other", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);

  /* bastion ed25519, other ed25519, bastion ecdsa */
  g_file_get_contents (fixture->own_file, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
}

/* ~/.ssh/known_hosts, hashed as Debian writes it, vouches for a host, and
 * Burrow leaves it alone. */
static void
test_user_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *line = known_hosts_line ("[bastion]:2222", fixture->ed25519_a);
  g_autofree char *hashed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  write_user_file (fixture, line);
  {
    const char *args[] = { "-H", "-f", fixture->user_file, NULL };
    g_autofree char *output = run_keygen (args);
    g_autofree char *backup = g_strconcat (fixture->user_file, ".old", NULL);

    g_unlink (backup);
  }
  g_file_get_contents (fixture->user_file, &hashed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hashed, "|1|"));

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 2222, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 2222, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_CHANGED);

  /* Trusting the new key goes to Burrow's file, and from then on wins. */
  burrow_host_keys_trust (fixture->own_file, "bastion", 2222, fixture->ed25519_b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 2222, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);

  g_file_get_contents (fixture->user_file, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hashed, ==, after);
}

/* Comments, markers and garbage are skipped, not fatal. */
static void
test_odd_lines (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *good = known_hosts_line ("bastion", fixture->ed25519_a);
  g_autofree char *revoked = known_hosts_line ("@revoked bastion", fixture->ed25519_b);
  g_autofree char *contents = g_strconcat ("# a comment\n\nnot a known_hosts line\n",
                                           "bastion ssh-ed25519 not-base64!\n",
                                           revoked, good, NULL);

  write_user_file (fixture, contents);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
}

static void
write_own_file (Fixture    *fixture,
                const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (fixture->own_file);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (fixture->own_file, contents, -1, &error);
  g_assert_no_error (error);
}

/* "*.corp,!evil.corp" vouches for every host of corp but evil.corp, as in
 * OpenSSH: a negated pattern that matches rules the whole line out. */
static void
test_negated_pattern (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *line = known_hosts_line ("*.corp,!evil.corp", fixture->ed25519_a);
  g_autofree char *ported = known_hosts_line ("[*.corp]:2222,![evil.corp]:2222", fixture->ed25519_b);
  g_autofree char *revoked = known_hosts_line ("@revoked *,!good.corp", fixture->ecdsa);
  g_autofree char *contents = g_strconcat (line, ported, revoked, NULL);

  write_own_file (fixture, contents);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "good.corp", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "evil.corp", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_UNKNOWN);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "EVIL.corp", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_UNKNOWN);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "good.corp", 2222, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "evil.corp", 2222, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_UNKNOWN);

  /* The same rule for a revocation: it spares the negated host. */
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "good.corp", 22, fixture->ecdsa, NULL),
                   ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "evil.corp", 22, fixture->ecdsa, NULL),
                   ==, BURROW_HOST_KEY_REVOKED);
}

/* Trusting a new key for one host keeps what a shared line says about the
 * others: the host leaves the line, the line stays. */
static void
test_trust_keeps_other_hosts (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *shared = known_hosts_line ("alpha.corp,beta.corp,[gamma.corp]:2222", fixture->ed25519_a);
  g_autofree char *wildcard = known_hosts_line ("*.lab", fixture->ed25519_a);
  g_autofree char *contents = g_strconcat (shared, wildcard, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  write_own_file (fixture, contents);

  burrow_host_keys_trust (fixture->own_file, "beta.corp", 22, fixture->ed25519_b, &error);
  g_assert_no_error (error);
  burrow_host_keys_trust (fixture->own_file, "one.lab", 22, fixture->ed25519_b, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "beta.corp", 22, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "beta.corp", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "alpha.corp", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "gamma.corp", 2222, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  /* A pattern cannot lose one of its hosts: it stays whole. */
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "two.lab", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "one.lab", 22, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_TRUSTED);

  g_file_get_contents (fixture->own_file, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (after, "alpha.corp,[gamma.corp]:2222 ssh-ed25519 "));
  g_assert_nonnull (strstr (after, "*.lab ssh-ed25519 "));
}

/* A key marked @revoked is refused, even when Burrow's own file trusts
 * it, and even under a wildcard pattern. */
static void
test_revoked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *revoked = known_hosts_line ("@revoked *", fixture->ed25519_b);
  g_autofree char *known = NULL;
  g_autoptr(GError) error = NULL;

  write_user_file (fixture, revoked);
  burrow_host_keys_trust (fixture->own_file, "bastion", 22, fixture->ed25519_b, &error);
  g_assert_no_error (error);

  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_b, &known),
                   ==, BURROW_HOST_KEY_REVOKED);
  g_assert_null (known);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "elsewhere", 2222, fixture->ed25519_b, NULL),
                   ==, BURROW_HOST_KEY_REVOKED);
  /* Other keys are not touched by it. */
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion", 22, fixture->ed25519_a, NULL),
                   ==, BURROW_HOST_KEY_CHANGED);
}

/* The object a dialog shows: records an unknown key once, and refuses to
 * replace a changed one, whatever the caller asks. */
static void
test_host_key_object (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BurrowHostKey) unknown = NULL;
  g_autoptr(BurrowHostKey) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *check = NULL;
  g_autofree char *known = NULL;

  unknown = burrow_host_key_new ("bastion.example.com", 2222, fixture->ed25519_a,
                                 BURROW_HOST_KEY_UNKNOWN, NULL, fixture->own_file);
  address = burrow_host_key_dup_address (unknown);
  check = burrow_host_key_dup_check_command (unknown);
  g_assert_cmpstr (address, ==, "[bastion.example.com]:2222");
  g_assert_cmpstr (burrow_host_key_get_key_type (unknown), ==, "ssh-ed25519");
  g_assert_true (g_str_has_prefix (burrow_host_key_get_fingerprint (unknown), "SHA256:"));
  g_assert_cmpstr (check, ==, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");

  g_assert_true (burrow_host_key_trust (unknown, &error));
  g_assert_no_error (error);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion.example.com", 2222,
                                           fixture->ed25519_a, NULL), ==, BURROW_HOST_KEY_TRUSTED);

  changed = burrow_host_key_new ("bastion.example.com", 2222, fixture->ed25519_b,
                                 BURROW_HOST_KEY_CHANGED,
                                 burrow_host_key_get_fingerprint (unknown), fixture->own_file);
  g_assert_false (burrow_host_key_trust (changed, &error));
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
  g_assert_cmpint (burrow_host_keys_check (fixture->own_file, "bastion.example.com", 2222,
                                           fixture->ed25519_b, &known), ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpstr (known, ==, burrow_host_key_get_fingerprint (unknown));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/host-keys/format-host", test_format_host);
  g_test_add ("/burrow/host-keys/fingerprint", Fixture, NULL,
              fixture_set_up, test_fingerprint, fixture_tear_down);
  g_test_add ("/burrow/host-keys/unknown-trust-check", Fixture, NULL,
              fixture_set_up, test_unknown_trust_check, fixture_tear_down);
  g_test_add ("/burrow/host-keys/changed", Fixture, NULL,
              fixture_set_up, test_changed, fixture_tear_down);
  g_test_add ("/burrow/host-keys/trust-replaces", Fixture, NULL,
              fixture_set_up, test_trust_replaces, fixture_tear_down);
  g_test_add ("/burrow/host-keys/user-file", Fixture, NULL,
              fixture_set_up, test_user_file, fixture_tear_down);
  g_test_add ("/burrow/host-keys/odd-lines", Fixture, NULL,
              fixture_set_up, test_odd_lines, fixture_tear_down);
  g_test_add ("/burrow/host-keys/object", Fixture, NULL,
              fixture_set_up, test_host_key_object, fixture_tear_down);
  g_test_add ("/burrow/host-keys/negated-pattern", Fixture, NULL,
              fixture_set_up, test_negated_pattern, fixture_tear_down);
  g_test_add ("/burrow/host-keys/trust-keeps-other-hosts", Fixture, NULL,
              fixture_set_up, test_trust_keeps_other_hosts, fixture_tear_down);
  g_test_add ("/burrow/host-keys/revoked", Fixture, NULL,
              fixture_set_up, test_revoked, fixture_tear_down);

  return g_test_run ();
}
