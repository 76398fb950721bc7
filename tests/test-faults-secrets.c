/* test-faults-secrets.c — where secrets go, and where they must not: a
 * user's whole flow through burrowctl, then every file, log, error text
 * and process detail searched; listeners and file modes; no core dump
 * while secrets are held; and no credential sent to a changed host key.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-test-up.h"

static BurrowTestKeyring *keyring;
static BurrowTestDatabase *postgres;

/* Every secret the test hands Burrow, right and wrong, and everything
 * burrowctl printed. */
static GPtrArray *secrets;
static GString *transcript;

/* A secret no file or program could hold by chance. */
static char *
new_secret (const char *kind)
{
  char *secret = g_strdup_printf ("%s-%08x%08x", kind, g_random_int (), g_random_int ());

  g_ptr_array_add (secrets, g_strdup (secret));
  return secret;
}

/* burrowctl as a script runs it; what it printed, stdout then stderr. */
#define ctl(input, output, ...) burrow_test_burrowctl_merged (input, output, __VA_ARGS__)

/* Writes @contents to a file of its own in @dir, as a user keeps a secret
 * to hand to burrowctl. */
static char *
secret_file (const char *dir,
             const char *name,
             const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_chmod (path, 0600);

  return path;
}

static void
assert_no_secret_in (const char *what,
                     const char *text,
                     gsize       length)
{
  for (guint i = 0; i < secrets->len; i++)
    if (g_strstr_len (text, length, g_ptr_array_index (secrets, i)) != NULL)
      g_error ("a secret (%s…) is in %s", (const char *)g_ptr_array_index (secrets, i), what);
}

static void
assert_no_secret_under (const char *dir,
                        const char *except)
{
  g_autofree char *where = NULL;
  const char *found;

  g_ptr_array_add (secrets, NULL);
  found = burrow_test_tree_find (dir, (const char * const *)secrets->pdata, except, &where);
  g_ptr_array_remove_index (secrets, secrets->len - 1);
  if (found != NULL)
    g_error ("a secret (%s…) is in %s", found, where);
}

/* NUL-separated, as in /proc/PID/cmdline and environ. */
static void
assert_no_secret_in_proc (GPid        pid,
                          const char *file)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int)pid, file);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize i = 0; i < length; i++)
    if (contents[i] == '\0')
      contents[i] = '\n';
  assert_no_secret_in (path, contents, length);
}

/* A key pair whose private half is protected by @passphrase; returns the
 * private key's text, and its public line in @public_key. */
static char *
new_key (const char  *dir,
         const char  *passphrase,
         char       **public_key)
{
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autofree char *path = g_build_filename (dir, "pasted_key", NULL);
  g_autofree char *public_path = g_strconcat (path, ".pub", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { keygen, "-q", "-t", "ed25519", "-N", passphrase, "-C", "pasted", "-f", path, NULL };
  char *text = NULL;

  burrow_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (public_path, public_key, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_unlink (public_path);

  return text;
}

/* Each line of the key's armoured body is a secret of its own: a copy of
 * any of them is a copy of the key. */
static void
add_key_lines (const char *key)
{
  g_auto(GStrv) lines = g_strsplit (key, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strlen (lines[i]) >= 32 && !g_str_has_prefix (lines[i], "-----"))
      g_ptr_array_add (secrets, g_strdup (lines[i]));
}

static void
pg_login (guint16     port,
          const char *password)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *keys[] = { "host", "port", "user", "password", "dbname", "connect_timeout", NULL };
  const char *values[] = { "127.0.0.1", port_text, BURROW_TEST_DB_USER, password, BURROW_TEST_DB_NAME, "20", NULL };
  PGconn *conn = PQconnectdbParams (keys, values, 0);
  PGresult *result;

  g_assert_cmpstr (PQerrorMessage (conn), ==, "");
  result = PQexec (conn, "SELECT 6 * 7");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "42");
  PQclear (result);
  PQfinish (conn);
}

/* The test of @name fails at @step, and says so without a secret. */
static void
assert_test_fails_at (const char *name,
                      const char *step)
{
  g_autofree char *out = NULL;
  g_autofree char *failed = g_strconcat ("✘ ", step, NULL);

  g_assert_cmpint (ctl (NULL, &out, "test", name, NULL), ==, 1);
  g_assert_nonnull (strstr (out, failed));
  assert_no_secret_in ("a failed test's text", out, strlen (out));
}

static void
assert_private_modes (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  struct stat st;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_test_message ("%s: %o", dir, st.st_mode & 0777);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      g_test_message ("%s: %o", path, st.st_mode & 0777);
      if (S_ISDIR (st.st_mode))
        assert_private_modes (path);
      else
        g_assert_cmpint (st.st_mode & 077, ==, 0);
    }
}

/* Whether a process killed by SIGQUIT leaves a core here at all: when it
 * does not (a core_pattern that pipes elsewhere, a hard limit of 0),
 * Burrow's own protection cannot be seen from outside. */
static gboolean
cores_land_in (const char *core_dir)
{
  g_autofree char *sleep_path = burrow_test_find_program ("sleep");
  const char *argv[] = { sleep_path, "60", NULL };
  g_autoptr(GSubprocess) control = NULL;
  g_autoptr(GError) error = NULL;
  gboolean landed;

  control = burrow_test_spawn_dumpable (argv, core_dir, &error);
  g_assert_no_error (error);
  g_usleep (100 * 1000);
  g_subprocess_send_signal (control, SIGQUIT);
  g_subprocess_wait (control, NULL, &error);
  g_assert_no_error (error);

  landed = burrow_test_dir_has_core (core_dir);
  burrow_test_remove_dir (core_dir);
  g_mkdir (core_dir, 0700);

  return landed;
}

/* A user's whole flow with every kind of secret: add connections with a
 * database password, an SSH password, and a pasted key with its
 * passphrase (from files and from standard input); trust, test, bring a
 * tunnel up and use it; mistype each secret; disconnect and remove. All
 * along and afterwards, no secret is in a file outside the keyring, in
 * what burrowctl printed (its debug messages included), in an error, in
 * the command line or environment of the running tunnel, or in a core
 * dump of it; the tunnel listens on loopback only; Burrow's files and
 * folder are its user's alone; and removing a connection takes its
 * secrets out of the keyring. */
static void
test_full_flow (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *input_dir = burrow_test_make_dir ("burrow-secret-input-XXXXXX");
  g_autofree char *core_dir = burrow_test_make_dir ("burrow-core-XXXXXX");
  g_autofree char *db_password = new_secret ("db");
  g_autofree char *ssh_password = new_secret ("ssh");
  g_autofree char *passphrase = new_secret ("passphrase");
  g_autofree char *wrong_db = new_secret ("wrong-db");
  g_autofree char *wrong_ssh = new_secret ("wrong-ssh");
  g_autofree char *wrong_passphrase = new_secret ("wrong-passphrase");
  g_autofree char *public_key = NULL;
  g_autofree char *private_key = new_key (input_dir, passphrase, &public_key);
  g_autofree char *db_file = secret_file (input_dir, "db", db_password);
  g_autofree char *ssh_file = secret_file (input_dir, "ssh", ssh_password);
  g_autofree char *key_file = secret_file (input_dir, "key", private_key);
  g_autofree char *passphrase_file = secret_file (input_dir, "passphrase", passphrase);
  g_autofree char *wrong_db_file = secret_file (input_dir, "wrong-db", wrong_db);
  g_autofree char *wrong_ssh_file = secret_file (input_dir, "wrong-ssh", wrong_ssh);
  g_autofree char *wrong_passphrase_file = secret_file (input_dir, "wrong-passphrase", wrong_passphrase);
  g_autofree char *alter = g_strdup_printf ("ALTER USER %s PASSWORD '%s'", BURROW_TEST_DB_USER, db_password);
  g_autofree char *db_port = g_strdup_printf ("%u", burrow_test_database_get_port (postgres));
  /* Not automatic ones: other test programs start from the same. */
  g_autofree char *key_port = g_strdup_printf ("%u", burrow_test_get_free_port ());
  g_autofree char *password_port = g_strdup_printf ("%u", burrow_test_get_free_port ());
  g_autofree char *ssh_port = NULL;
  g_autofree char *password_user = NULL;
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "burrow", NULL);
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_autofree char *test_root = g_path_get_dirname (g_get_home_dir ());
  g_autofree char *out = NULL;
  g_autofree char *sshd_log = NULL;
  g_autofree char *db_log = NULL;
  g_autofree char *id_password = NULL;
  g_autofree char *id_key = NULL;
  g_autofree char *stored_key = NULL;
  gboolean with_password;

  add_key_lines (private_key);
  burrow_test_postgres_run_sql (postgres, alter);

  burrow_test_sshd_set_option (sshd, "PasswordAuthentication", "yes");
  burrow_test_sshd_add_authorized_key (sshd, public_key);
  password_user = burrow_test_sshd_add_password_user (sshd, ssh_password, &error);
  with_password = password_user != NULL;
  if (!with_password)
    {
      g_test_message ("no SSH password here: %s", error->message);
      g_clear_error (&error);
    }
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));

  /* Adding, with secrets from files and from standard input. */
  g_assert_cmpint (ctl (private_key, NULL, "add", "Pasted key",
                        "--db-kind", "postgresql", "--db-host", "127.0.0.1", "--db-port", db_port,
                        "--db-name", BURROW_TEST_DB_NAME, "--db-user", BURROW_TEST_DB_USER,
                        "--db-password-file", db_file,
                        "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                        "--ssh-user", burrow_test_sshd_get_user (sshd),
                        "--ssh-auth", "private-key", "--ssh-private-key-file", "-",
                        "--ssh-secret-file", passphrase_file, "--local-port", key_port, NULL), ==, 0);
  if (with_password)
    g_assert_cmpint (ctl (db_password, NULL, "add", "Password",
                          "--db-kind", "postgresql", "--db-host", "127.0.0.1", "--db-port", db_port,
                          "--db-name", BURROW_TEST_DB_NAME, "--db-user", BURROW_TEST_DB_USER,
                          "--db-password-file", "-",
                          "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                          "--ssh-user", password_user,
                          "--ssh-auth", "password", "--ssh-secret-file", ssh_file,
                          "--local-port", password_port, NULL), ==, 0);

  /* Trusting and testing: every step passes with the stored secrets. */
  g_assert_cmpint (ctl (NULL, NULL, "trust", "Pasted key", "--yes", NULL), ==, 0);
  g_assert_cmpint (ctl (NULL, &out, "test", "Pasted key", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "✔ SELECT version()"));
  g_clear_pointer (&out, g_free);
  if (with_password)
    {
      g_assert_cmpint (ctl (NULL, NULL, "trust", "Password", "--yes", NULL), ==, 0);
      g_assert_cmpint (ctl (NULL, &out, "test", "Password", "--json", NULL), ==, 0);
      g_clear_pointer (&out, g_free);
    }

  /* Each secret mistyped: the test fails at the right step, and says so
   * without the secret, right or wrong. */
  g_assert_cmpint (ctl (NULL, NULL, "edit", "Pasted key", "--db-password-file", wrong_db_file, NULL), ==, 0);
  assert_test_fails_at ("Pasted key", "Log in to the database");
  g_assert_cmpint (ctl (NULL, NULL, "edit", "Pasted key", "--db-password-file", db_file,
                        "--ssh-secret-file", wrong_passphrase_file, NULL), ==, 0);
  assert_test_fails_at ("Pasted key", "Sign in to the bastion");
  g_assert_cmpint (ctl (NULL, NULL, "edit", "Pasted key", "--ssh-secret-file", passphrase_file, NULL), ==, 0);
  if (with_password)
    {
      g_assert_cmpint (ctl (NULL, NULL, "edit", "Password", "--ssh-secret-file", wrong_ssh_file, NULL), ==, 0);
      assert_test_fails_at ("Password", "Sign in to the bastion");
      g_assert_cmpint (ctl (NULL, &out, "up", "Password", NULL), ==, 1);
      assert_no_secret_in ("up's refusal", out, strlen (out));
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (ctl (NULL, NULL, "edit", "Password", "--ssh-secret-file", ssh_file, NULL), ==, 0);
    }

  /* The user's own copies go: from here on, a secret outside the keyring
   * is one Burrow put there. */
  burrow_test_remove_dir (input_dir);

  /* Connected, and used. */
  {
    g_autoptr(BurrowTestUp) up = burrow_test_up_new (with_password ? "Password" : "Pasted key", NULL, &error);
    g_autoptr(BurrowTestUp) dumped = NULL;
    g_autoptr(GPtrArray) listeners = NULL;
    gboolean cores_land;

    g_assert_no_error (error);
    pg_login (burrow_test_up_get_port (up), db_password);
    assert_no_secret_in_proc (burrow_test_up_get_pid (up), "cmdline");
    assert_no_secret_in_proc (burrow_test_up_get_pid (up), "environ");

    listeners = burrow_test_process_list_listeners (burrow_test_up_get_pid (up));
    g_assert_cmpuint (listeners->len, >=, 1);
    for (guint i = 0; i < listeners->len; i++)
      {
        const char *address = g_ptr_array_index (listeners, i);

        g_test_message ("burrowctl up listens on %s", address);
        g_assert_true (g_str_has_prefix (address, "127.0.0.1:") || g_str_has_prefix (address, "[::1]:"));
      }

    /* Disconnecting. */
    g_assert_cmpint (burrow_test_up_stop (up, SIGTERM), ==, 0);
    {
      g_autofree char *said = burrow_test_up_get_output (up);

      g_string_append (transcript, said);
    }

    /* A tunnel that holds its secrets, made to dump core. */
    cores_land = cores_land_in (core_dir);
    dumped = burrow_test_up_new ("Pasted key", core_dir, &error);
    g_assert_no_error (error);
    pg_login (burrow_test_up_get_port (dumped), db_password);
    g_assert_cmpint (burrow_test_up_stop (dumped, SIGQUIT), ==, 128 + SIGQUIT);
    if (cores_land)
      {
        g_assert_false (burrow_test_dir_has_core (core_dir));
      }
    else
      g_test_message ("processes leave no core here (kernel.core_pattern, limits): "
                      "only the process's own setting was checked");
    burrow_test_remove_dir (core_dir);
  }

  /* Removing takes the secrets out of the keyring too. */
  {
    g_autoptr(BurrowEngine) engine = burrow_engine_new ();
    BurrowConnection *connection;

    g_assert_true (burrow_engine_load (engine, &error));
    connection = burrow_engine_find_by_name (engine, "Pasted key", &error);
    g_assert_no_error (error);
    id_key = g_strdup (burrow_connection_get_id (connection));
    if (with_password)
      {
        connection = burrow_engine_find_by_name (engine, "Password", &error);
        g_assert_no_error (error);
        id_password = g_strdup (burrow_connection_get_id (connection));
      }
  }
  stored_key = burrow_test_lookup_secret (id_key, BURROW_SECRET_PRIVATE_KEY);
  g_assert_nonnull (stored_key);
  g_assert_cmpint (ctl (NULL, NULL, "remove", "Pasted key", NULL), ==, 0);
  for (BurrowSecretKind kind = 0; kind <= BURROW_SECRET_KIND_LAST; kind++)
    g_assert_null (burrow_test_lookup_secret (id_key, kind));
  if (with_password)
    {
      g_assert_cmpint (ctl (NULL, NULL, "remove", "Password", NULL), ==, 0);
      for (BurrowSecretKind kind = 0; kind <= BURROW_SECRET_KIND_LAST; kind++)
        g_assert_null (burrow_test_lookup_secret (id_password, kind));
    }

  /* Everywhere a secret must not be. The keyring's own files are
   * encrypted, and are where secrets belong. */
  assert_no_secret_in ("what burrowctl printed", transcript->str, transcript->len);
  sshd_log = burrow_test_sshd_get_log (sshd);
  assert_no_secret_in ("the bastion's log", sshd_log, strlen (sshd_log));
  db_log = burrow_test_database_get_log (postgres);
  assert_no_secret_in ("the database's log", db_log, strlen (db_log));
  assert_no_secret_under (test_root, keyrings);
  assert_no_secret_under (g_get_tmp_dir (), keyrings);

  /* Burrow's files are its user's alone, whatever the umask. */
  assert_private_modes (config_dir);
}

/* The process keeps out of core dumps from the first secret it holds on,
 * and only then: before, a crash can still be reported with its core. */
static void
test_not_dumpable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *secret = new_secret ("dump");
      g_autofree char *found = NULL;

      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);

      burrow_secret_store_store_async ("not-dumpable", "Not dumpable", BURROW_SECRET_DB_PASSWORD, secret,
                                       NULL, burrow_test_on_done, &result);
      burrow_secret_store_store_finish (burrow_test_wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);

      found = burrow_test_lookup_secret ("not-dumpable", BURROW_SECRET_DB_PASSWORD);
      g_assert_cmpstr (found, ==, secret);
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Each of these, read from a file or standard input or looked up in the
 * keyring, makes the process that holds it undumpable. */
static void
test_not_dumpable_when_read (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      char *secret;
      int fds[2];

      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);
      g_assert_cmpint (pipe (fds), ==, 0);
      g_assert_cmpint (write (fds[1], "typed\n", 6), ==, 6);
      close (fds[1]);
      secret = burrow_secret_read_fd (fds[0], TRUE, &error);
      g_assert_no_error (error);
      close (fds[0]);
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      burrow_secret_wipe_free (secret);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The bastion's host key changes (a new server at the same address, or
 * someone in between): Burrow refuses with both fingerprints, and sends
 * no credential at all, neither a password nor a key's signature, as the
 * bastion's own log shows. */
static void
test_changed_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ssh_password = new_secret ("ssh");
  g_autofree char *input_dir = burrow_test_make_dir ("burrow-secret-input-XXXXXX");
  g_autofree char *ssh_file = secret_file (input_dir, "ssh", ssh_password);
  g_autofree char *ssh_port = NULL;
  g_autofree char *password_user = NULL;
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *new_fingerprint = NULL;
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log_path = NULL;
  const char *names[2] = { "Changed key", NULL };

  burrow_test_sshd_set_option (sshd, "PasswordAuthentication", "yes");
  burrow_test_sshd_set_option (sshd, "LogLevel", "DEBUG3");
  password_user = burrow_test_sshd_add_password_user (sshd, ssh_password, &error);
  if (password_user == NULL)
    {
      g_test_message ("no SSH password here, a key only: %s", error->message);
      g_clear_error (&error);
    }
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  old_fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);

  g_assert_cmpint (ctl ("", NULL, "add", "Changed key",
                        "--db-kind", "other", "--db-host", "127.0.0.1", "--db-port", "9",
                        "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                        "--ssh-user", burrow_test_sshd_get_user (sshd),
                        "--ssh-auth", "key-file", "--ssh-key-file", burrow_test_sshd_get_client_key_path (sshd),
                        NULL), ==, 0);
  if (password_user != NULL)
    {
      g_assert_cmpint (ctl ("", NULL, "add", "Changed key, password",
                            "--db-kind", "other", "--db-host", "127.0.0.1", "--db-port", "9",
                            "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
                            "--ssh-user", password_user,
                            "--ssh-auth", "password", "--ssh-secret-file", ssh_file, NULL), ==, 0);
      names[1] = "Changed key, password";
    }
  burrow_test_remove_dir (input_dir);

  /* With the key it knows, each signs in: the log shows what a sign-in
   * looks like there. */
  for (guint i = 0; i < G_N_ELEMENTS (names) && names[i] != NULL; i++)
    {
      g_assert_cmpint (ctl (NULL, NULL, "trust", names[i], "--yes", NULL), ==, 0);
      g_assert_cmpint (ctl (NULL, &out, "test", names[i], NULL), ==, 1);
      g_assert_nonnull (strstr (out, "✔ Sign in to the bastion"));
      g_clear_pointer (&out, g_free);
    }
  log = burrow_test_sshd_get_log (sshd);
  g_assert_nonnull (strstr (log, "userauth-request for user"));
  g_assert_nonnull (strstr (log, "Accepted publickey"));
  if (password_user != NULL)
    g_assert_nonnull (strstr (log, "Accepted password"));
  g_clear_pointer (&log, g_free);

  /* The new server writes its log from the start of the file: empty it
   * in between. */
  burrow_test_sshd_stop (sshd);
  log_path = g_build_filename (burrow_test_sshd_get_dir (sshd), "sshd.log", NULL);
  g_file_set_contents (log_path, "", 0, &error);
  g_assert_no_error (error);
  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  new_fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_assert_cmpstr (old_fingerprint, !=, new_fingerprint);

  for (guint i = 0; i < G_N_ELEMENTS (names) && names[i] != NULL; i++)
    {
      g_assert_cmpint (ctl (NULL, &out, "test", names[i], NULL), ==, 1);
      g_assert_nonnull (strstr (out, old_fingerprint));
      g_assert_nonnull (strstr (out, new_fingerprint));
      g_assert_null (strstr (out, "✔ Sign in to the bastion"));
      g_clear_pointer (&out, g_free);

      g_assert_cmpint (ctl (NULL, &out, "up", names[i], NULL), ==, 1);
      g_assert_nonnull (strstr (out, new_fingerprint));
      g_clear_pointer (&out, g_free);

      /* Trusting does not replace a changed key. */
      g_assert_cmpint (ctl (NULL, &out, "trust", names[i], "--yes", NULL), ==, 1);
      g_clear_pointer (&out, g_free);
    }

  /* The new server saw connections and key exchanges, and not one
   * request to sign in. */
  log = burrow_test_sshd_get_log (sshd);
  g_assert_nonnull (strstr (log, "Connection from 127.0.0.1"));
  g_assert_nonnull (strstr (log, "kex: algorithm"));
  g_assert_null (strstr (log, "userauth-request"));
  g_assert_null (strstr (log, "Accepted"));
  g_assert_null (strstr (log, "Failed "));
  g_assert_null (strstr (log, "Postponed"));
  assert_no_secret_in ("the bastion's log", log, strlen (log));
  assert_no_secret_in ("what burrowctl printed", transcript->str, transcript->len);

  g_assert_cmpint (ctl (NULL, NULL, "remove", "Changed key", NULL), ==, 0);
  if (password_user != NULL)
    g_assert_cmpint (ctl (NULL, NULL, "remove", "Changed key, password", NULL), ==, 0);
}

/* This process's own debug messages would go to stdout, among the TAP
 * lines; burrowctl's are what the test is after. */
static GLogWriterOutput
drop_debug (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Files made with a permissive umask are the test of Burrow's modes. */
  umask (022);
  /* Whatever burrowctl logs, at any level, is searched too. */
  g_log_set_writer_func (drop_debug, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  burrow_test_init (&argc, &argv);
  secrets = g_ptr_array_new_with_free_func (g_free);
  transcript = g_string_new (NULL);
  burrow_test_burrowctl_keep_output (transcript);

  g_test_add_func ("/burrow/faults-secrets/not-dumpable", test_not_dumpable);
  g_test_add_func ("/burrow/faults-secrets/not-dumpable-when-read", test_not_dumpable_when_read);
  g_test_add_func ("/burrow/faults-secrets/full-flow", test_full_flow);
  g_test_add_func ("/burrow/faults-secrets/changed-host-key", test_changed_host_key);

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  if (!g_test_subprocess ())
    {
      postgres = burrow_test_postgres_new (&error);
      g_assert_no_error (error);
    }

  status = g_test_run ();

  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&keyring, burrow_test_keyring_free);
  burrow_test_burrowctl_keep_output (NULL);
  g_ptr_array_unref (secrets);
  g_string_free (transcript, TRUE);

  return status;
}
