/* test-cli-connections.c — burrowctl's connection commands keep the
 * contract: output, exit codes, secrets only from files or standard input
 * and never anywhere but the keyring.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <pty.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-secrets.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"

static BurrowTestKeyring *keyring;

/* Everything burrowctl printed in this test program, to search for
 * secrets at the end. */
static GString *all_output;

static int
run (const char  *input,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list ap;
  int status;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = burrow_test_burrowctlv (input, (const char * const *)args->pdata, &stdout_text, &stderr_text);

  /* Kept to search for secrets at the end. */
  g_string_append (all_output, stdout_text);
  g_string_append (all_output, stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  return status;
}

static char *
lookup (const char       *connection_name,
        BurrowSecretKind  kind)
{
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  BurrowProfile *profile;

  g_assert_true (burrow_profile_store_load (store, &error));
  profile = burrow_profile_store_find_by_name (store, connection_name);
  g_assert_nonnull (profile);

  return burrow_test_lookup_secret (burrow_profile_get_id (profile), kind);
}

/* Every item of Burrow's schema in the keyring. */
static guint
count_keyring_items (void)
{
  static const SecretSchema schema = {
    BURROW_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    { { "connection-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* Marks connections.ini as written by a newer Burrow (or back): burrowctl
 * still reads it, but every save fails. */
static void
set_file_version (guint version)
{
  g_autofree char *path = burrow_paths_connections_file ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_key_file_set_integer (key_file, "burrow", "version", version);
  g_key_file_save_to_file (key_file, path, &error);
  g_assert_no_error (error);
}

static char *
write_secret_file (const char *dir,
                   const char *name,
                   const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static const char *db_password = "Db-Pa55-0ne!";
static const char *db_password_2 = "Db-Pa55-Tw0?";
static const char *never_saved = "Db-Pa55-Nev3r";
static const char *ssh_password = "Ssh-Pa55-7hree";
static const char *passphrase = "Key-Phrase-F0ur";
static const char *private_key =
  "-----BEGIN OPENSSH PRIVATE KEY-----\n"
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
  "QyNTUxOQAAACBUZXN0S2V5Rm9yQnVycm93VGVzdHNPbmx5MDAwMDAwMDAwAAAAJHRlc3Q=\n"
  "-----END OPENSSH PRIVATE KEY-----\n";

/* add, list, edit, guide, export/import, remove — with every kind of
 * secret — and then no secret anywhere but the keyring. */
static void
test_full_cycle_keeps_secrets_secret (void)
{
  g_autofree char *secrets_dir = burrow_test_make_dir ("burrow-secrets-XXXXXX");
  g_autofree char *db_file = write_secret_file (secrets_dir, "db", db_password);
  g_autofree char *key_file = write_secret_file (secrets_dir, "key", private_key);
  g_autofree char *phrase_file = write_secret_file (secrets_dir, "phrase", passphrase);
  g_autofree char *export_path = g_build_filename (g_get_user_config_dir (), "team.ini", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sales_id = NULL;
  g_autofree char *keys_id = NULL;
  g_autofree char *secret = NULL;

  /* The password from a file, with the line ending a file has; the SSH
   * password from standard input. */
  {
    g_autofree char *with_newline = g_strconcat (db_password, "\n", NULL);
    g_autofree char *path = write_secret_file (secrets_dir, "db-newline", with_newline);
    g_autofree char *stdin_text = g_strconcat (ssh_password, "\n", NULL);

    g_assert_cmpint (run (stdin_text, &out, &err, "add", "Sales warehouse",
                          "--db-kind", "postgresql", "--db-host", "db.internal", "--db-name", "sales",
                          "--db-user", "ana", "--db-password-file", path,
                          "--ssh-host", "bastion.example.com", "--ssh-user", "burrow",
                          "--ssh-auth", "password", "--ssh-secret-file", "-",
                          "--jump", "ops@jump.example.com:2222", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "127.0.0.1:"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  secret = lookup ("Sales warehouse", BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, db_password);
  g_clear_pointer (&secret, g_free);
  secret = lookup ("Sales warehouse", BURROW_SECRET_SSH_PASSWORD);
  g_assert_cmpstr (secret, ==, ssh_password);
  g_clear_pointer (&secret, g_free);

  /* A pasted key and its passphrase. */
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "Keys", "--db-kind", "mysql", "--db-host", "10.0.0.5",
                        "--ssh-host", "bastion.example.com", "--ssh-auth", "private-key",
                        "--ssh-private-key-file", key_file, "--ssh-secret-file", phrase_file, NULL), ==, 0);
  secret = lookup ("Keys", BURROW_SECRET_PRIVATE_KEY);
  g_assert_cmpstr (secret, ==, private_key);
  g_clear_pointer (&secret, g_free);
  secret = lookup ("Keys", BURROW_SECRET_KEY_PASSPHRASE);
  g_assert_cmpstr (secret, ==, passphrase);
  g_clear_pointer (&secret, g_free);

  /* A refused add reads its secret but stores none. */
  {
    guint before = count_keyring_items ();

    g_assert_cmpuint (before, ==, 4);
    g_assert_cmpint (run (NULL, NULL, &err, "add", "Broken", "--db-kind", "postgresql", "--db-host", "bad host",
                          "--db-password-file", db_file, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "bad host"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpuint (count_keyring_items (), ==, before);

    /* One that passes the checks but cannot be saved leaves none either. */
    set_file_version (BURROW_PROFILE_STORE_VERSION + 1);
    g_assert_cmpint (run (NULL, NULL, &err, "add", "Unsaved", "--db-kind", "postgresql", "--db-host", "db.internal",
                          "--db-password-file", db_file, NULL), ==, 1);
    set_file_version (BURROW_PROFILE_STORE_VERSION);
    g_assert_nonnull (strstr (err, "newer version"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpuint (count_keyring_items (), ==, before);
  }

  /* list and list --json. */
  g_assert_cmpint (run (NULL, &out, NULL, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Sales warehouse"));
  g_assert_nonnull (strstr (out, "burrow@bastion.example.com:22"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "[{\"id\":\""));
  g_assert_nonnull (strstr (out, "\"name\":\"Sales warehouse\""));
  g_assert_nonnull (strstr (out, "\"ssh_auth\":\"password\""));
  g_assert_nonnull (strstr (out, "\"jump_hosts\":[\"ops@jump.example.com:2222\"]"));
  g_assert_nonnull (strstr (out, "\"name\":\"Keys\""));
  g_assert_null (strstr (out, "Broken"));
  {
    const char *id = strstr (out, "\"id\":\"") + strlen ("\"id\":\"");
    sales_id = g_strndup (id, strchr (id, '"') - id);
    id = strstr (strstr (out, "},{"), "\"id\":\"") + strlen ("\"id\":\"");
    keys_id = g_strndup (id, strchr (id, '"') - id);
  }
  g_clear_pointer (&out, g_free);

  /* edit: a new password from standard input, a new port. */
  g_assert_cmpint (run (db_password_2, NULL, NULL, "edit", "Sales warehouse",
                        "--db-password-file", "-", "--db-port", "6432", NULL), ==, 0);
  secret = lookup ("Sales warehouse", BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, db_password_2);
  g_clear_pointer (&secret, g_free);

  /* An edit that cannot be saved changes no secret: neither the new
   * password nor the forgetting that a new sign-in method brings. */
  set_file_version (BURROW_PROFILE_STORE_VERSION + 1);
  g_assert_cmpint (run (never_saved, NULL, &err, "edit", "Sales warehouse", "--db-password-file", "-",
                        "--ssh-auth", "workspace-key", NULL), ==, 1);
  set_file_version (BURROW_PROFILE_STORE_VERSION);
  g_assert_nonnull (strstr (err, "newer version"));
  g_clear_pointer (&err, g_free);
  secret = lookup ("Sales warehouse", BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, db_password_2);
  g_clear_pointer (&secret, g_free);
  secret = lookup ("Sales warehouse", BURROW_SECRET_SSH_PASSWORD);
  g_assert_cmpstr (secret, ==, ssh_password);
  g_clear_pointer (&secret, g_free);

  /* A sign-in method that needs no password forgets it. */
  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "Sales warehouse", "--ssh-auth", "workspace-key", NULL), ==, 0);
  secret = lookup ("Sales warehouse", BURROW_SECRET_SSH_PASSWORD);
  g_assert_null (secret);

  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"db_port\":6432"));
  g_assert_nonnull (strstr (out, "\"ssh_auth\":\"workspace-key\""));
  g_clear_pointer (&out, g_free);

  /* pubkey and guide. */
  g_assert_cmpint (run (NULL, &out, NULL, "pubkey", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ssh-ed25519 AAAA"));
  {
    g_autofree char *guide = NULL;
    g_autofree char *key = g_strstrip (g_strdup (out));

    g_assert_cmpint (run (NULL, &guide, NULL, "guide", "Sales warehouse", NULL), ==, 0);
    g_assert_nonnull (strstr (guide, "permitopen=\"db.internal:6432\""));
    g_assert_nonnull (strstr (guide, key));
    g_assert_nonnull (strstr (guide, "AllowTcpForwarding yes"));
  }
  g_clear_pointer (&out, g_free);

  /* A rename renames what Seahorse shows. */
  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "Keys", "--name", "Keys renamed", NULL), ==, 0);
  {
    g_autofree char *label = burrow_test_get_secret_label (keys_id, BURROW_SECRET_PRIVATE_KEY);
    g_assert_cmpstr (label, ==, "Burrow: SSH private key for ‘Keys renamed’");
  }

  /* export, then import into the same list: updated, not doubled. */
  g_assert_cmpint (run (NULL, NULL, NULL, "export", export_path, NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "import", export_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported “Keys renamed”"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, sales_id));
  g_assert_null (strstr (strstr (out, sales_id) + 1, sales_id));
  g_clear_pointer (&out, g_free);

  /* remove takes the secrets with it. */
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Sales warehouse", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Keys renamed", NULL), ==, 0);
  for (guint kind = 0; kind < BURROW_SECRET_WORKSPACE_KEY; kind++)
    {
      g_autofree char *gone_sales = burrow_test_lookup_secret (sales_id, kind);
      g_autofree char *gone_keys = burrow_test_lookup_secret (keys_id, kind);

      g_assert_null (gone_sales);
      g_assert_null (gone_keys);
    }
  g_assert_cmpint (run (NULL, &out, &err, "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The files that held the secrets go; then no secret may be left in the
   * config dir, the runtime dir, the home dir or anything burrowctl
   * printed. */
  burrow_test_remove_dir (secrets_dir);
  {
    const char *secrets[] = { db_password, db_password_2, never_saved, ssh_password, passphrase,
                              "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ" };

    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      {
        g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), secrets[i]));
        g_assert_false (burrow_test_tree_contains (g_get_user_runtime_dir (), secrets[i]));
        g_assert_false (burrow_test_tree_contains (g_get_home_dir (), secrets[i]));
        g_assert_null (strstr (all_output->str, secrets[i]));
      }
  }
}

static void
test_exit_codes (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Usage errors: 2, with the usage. */
  g_assert_cmpint (run (NULL, NULL, &err, "add", "No kind", "--db-host", "db", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--db-kind"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "X", "--db-kind", "db2", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "X", "--db-kind", "mysql", "--ssh-auth", "kerberos", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "X", "--db-kind", "mysql", "--db-port", "abc", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "list", "extra", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "X", "--db-kind", "mysql", "--db-host", "db",
                        "--ssh-host", "b", "--ssh-auth", "private-key", NULL), ==, 2);

  /* Failures: 1, with the cause and a hint. */
  g_assert_cmpint (run (NULL, NULL, &err, "remove", "Nothing", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "burrowctl: There is no connection named “Nothing”\n  "));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (NULL, NULL, NULL, "add", "Ports", "--db-kind", "mysql", "--db-host", "db",
                        "--local-port", "23306", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, &err, "add", "Ports 2", "--db-kind", "mysql", "--db-host", "db",
                        "--local-port", "23306", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "23306"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, &err, "add", "ports", "--db-kind", "mysql", "--db-host", "db", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already a connection named"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, &err, "edit", "Ports", "--db-port", "70000", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "70000"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, &err, "edit", "Ports", "--jump", "user@", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "jump host"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, NULL, &err, "add", "Y", "--db-kind", "mysql", "--db-host", "db",
                        "--db-password-file", "/nonexistent/pw", NULL), ==, 1);
  g_clear_pointer (&err, g_free);

  /* Rename, and "auto" gives the port back to Burrow to choose. */
  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "Ports", "--name", "Renamed", "--local-port", "auto", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"name\":\"Renamed\""));
  g_assert_nonnull (strstr (out, "\"local_port_auto\":true"));
  g_assert_null (strstr (out, "\"local_port\":23306"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Renamed", NULL), ==, 0);

  /* JSON stays JSON whatever the name. */
  g_assert_cmpint (run (NULL, NULL, NULL, "add", "Q \"quoted\" \\ back\tslash", "--db-kind", "other",
                        "--db-host", "db", "--db-port", "7000", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"name\":\"Q \\\"quoted\\\" \\\\ back\\tslash\""));
  g_assert_nonnull (strstr (out, "\"ssh_tunnel\":false"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Q \"quoted\" \\ back\tslash", NULL), ==, 0);
}

static void
test_import_ssh_config (void)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), "ssh_config", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path,
                       "Host dwh-bastion\n"
                       "  HostName bastion.corp.example\n"
                       "  User analyst\n"
                       "  Port 2022\n"
                       "  ProxyJump ops@gateway.example:22\n"
                       "Host proxied\n"
                       "  HostName proxied.internal\n"
                       "  ProxyCommand nc -X connect -x proxy.example.com:8080 %h %p\n"
                       "Host keyed\n"
                       "  HostName keyed.example.com\n"
                       "  IdentityFile /keys/id_keyed\n"
                       "Host *\n"
                       "  ServerAliveInterval 30\n", -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run (NULL, &out, NULL, "import-ssh-config", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "dwh-bastion"));
  g_assert_nonnull (strstr (out, "analyst@bastion.corp.example:2022"));
  g_assert_nonnull (strstr (out, "via ops@gateway.example:22"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (NULL, NULL, NULL, "add", "DWH", "--db-kind", "postgresql", "--db-host", "dwh.internal", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "import-ssh-config", path, "--host", "dwh-bastion", "--connection", "DWH", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"ssh_tunnel\":true,\"ssh_host\":\"bastion.corp.example\",\"ssh_port\":2022,\"ssh_user\":\"analyst\""));
  g_assert_nonnull (strstr (out, "\"jump_hosts\":[\"ops@gateway.example:22\"]"));
  g_clear_pointer (&out, g_free);

  /* A ProxyCommand is not silently dropped: nothing changes. */
  g_assert_cmpint (run (NULL, NULL, &err, "import-ssh-config", path, "--host", "proxied", "--connection", "DWH", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ProxyCommand"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"ssh_host\":\"bastion.corp.example\""));
  g_clear_pointer (&out, g_free);

  /* A key file in place of a password: the password is forgotten. */
  {
    g_autofree char *dir = burrow_test_make_dir ("burrow-import-XXXXXX");
    g_autofree char *secret_path = write_secret_file (dir, "ssh", "Import-Pa55");
    g_autofree char *secret = NULL;

    g_assert_cmpint (run (NULL, NULL, NULL, "edit", "DWH", "--ssh-auth", "password", "--ssh-secret-file", secret_path,
                          NULL), ==, 0);
    secret = lookup ("DWH", BURROW_SECRET_SSH_PASSWORD);
    g_assert_cmpstr (secret, ==, "Import-Pa55");
    g_clear_pointer (&secret, g_free);

    g_assert_cmpint (run (NULL, NULL, NULL, "import-ssh-config", path, "--host", "keyed", "--connection", "DWH", NULL), ==, 0);
    g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "\"ssh_auth\":\"key-file\",\"ssh_key_file\":\"/keys/id_keyed\""));
    g_clear_pointer (&out, g_free);
    secret = lookup ("DWH", BURROW_SECRET_SSH_PASSWORD);
    g_assert_null (secret);
    burrow_test_remove_dir (dir);
  }

  g_assert_cmpint (run (NULL, NULL, &err, "import-ssh-config", path, "--host", "nowhere", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "nowhere"));
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "DWH", NULL), ==, 0);
}

/* add and edit set connect-at-start; list shows it; connections.ini
 * holds it only where it is on. */
static void
test_connect_at_start_option (void)
{
  g_autofree char *path = burrow_paths_connections_file ();
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;

  g_assert_cmpint (run ("", NULL, NULL, "add", "At login", "--db-kind", "postgresql", "--db-host", "db.internal",
                        "--ssh-host", "bastion.example.com", "--ssh-auth", "agent", "--connect-at-start", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"connect_at_start\":true"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "connect-at-start=true"));
  g_clear_pointer (&contents, g_free);

  /* Other changes leave it as it is. */
  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "At login", "--db-port", "6432", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"connect_at_start\":true"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "At login", "--no-connect-at-start", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"connect_at_start\":false"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "connect-at-start"));

  g_assert_cmpint (run (NULL, NULL, NULL, "edit", "At login", "--connect-at-start", "--no-connect-at-start", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "At login", NULL), ==, 0);
}

/* An entry libssh cannot resolve is named in a warning, with the hint,
 * rather than left out of the list without a word. (A ProxyJump libssh
 * cannot parse makes it refuse every entry of the file, and libssh says
 * nothing of why: the warning names the ProxyJump, and leaves no reason
 * empty after a colon.) */
static void
test_import_ssh_config_warns (void)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), "ssh_config_broken", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path,
                       "Host fine\n"
                       "  HostName fine.example.com\n"
                       "Host broken\n"
                       "  ProxyJump ,\n", -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run (NULL, &out, &err, "import-ssh-config", path, NULL), ==, 0);
  g_assert_nonnull (strstr (err, "burrowctl: warning: libssh cannot read the entry for “broken”"));
  g_assert_nonnull (strstr (err, "burrowctl: warning: libssh cannot read the entry for “fine”"));
  g_assert_nonnull (strstr (err, ": the ProxyJump “,” is not valid\n"));
  g_assert_null (strstr (err, ": \n"));
  g_assert_nonnull (strstr (err, "[USER@]HOST[:PORT]"));
  g_assert_null (strstr (out, "broken"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Asked for by name, it is not found, and the warning says why. */
  g_assert_cmpint (run (NULL, NULL, &err, "import-ssh-config", path, "--host", "broken", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "burrowctl: warning: libssh cannot read the entry for “broken”"));
}

/* On a terminal, burrowctl asks, and what is typed is not echoed. */
static void
test_prompts_on_terminal (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) prompts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  GInputStream *stderr_stream;
  char echoed[256] = { 0 };
  int master;
  int slave;
  gssize n;

  if (openpty (&master, &slave, NULL, NULL, NULL) != 0)
    {
      g_test_skip ("No pseudo-terminals here");
      return;
    }
  g_subprocess_launcher_take_stdin_fd (launcher, slave);
  process = g_subprocess_launcher_spawn (launcher, &error,
                                         g_getenv ("BURROWCTL"), "add", "Typed",
                                         "--db-kind", "postgresql", "--db-host", "db.internal",
                                         "--ssh-host", "bastion.example.com", "--ssh-auth", "password",
                                         NULL);
  g_assert_no_error (error);
  stderr_stream = g_subprocess_get_stderr_pipe (process);

  burrow_test_read_until (stderr_stream, prompts, "Database password");
  g_assert_cmpint (write (master, "Typed-Db-Secret\n", 16), ==, 16);
  burrow_test_read_until (stderr_stream, prompts, "SSH password");
  g_assert_cmpint (write (master, "Typed-Ssh-Secret\n", 17), ==, 17);

  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  g_string_append (all_output, prompts->str);

  /* The terminal showed new lines, not the secrets. */
  {
    GPollFD poll_fd = { master, G_IO_IN, 0 };

    /* ECHONL puts at least a new line there; the poll is a hang guard. */
    n = g_poll (&poll_fd, 1, 5000) == 1 ? read (master, echoed, sizeof echoed - 1) : 0;
    g_assert_cmpint (n, >, 0);
  }
  g_assert_null (strstr (echoed, "Typed-"));
  close (master);

  secret = lookup ("Typed", BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "Typed-Db-Secret");
  g_clear_pointer (&secret, g_free);
  secret = lookup ("Typed", BURROW_SECRET_SSH_PASSWORD);
  g_assert_cmpstr (secret, ==, "Typed-Ssh-Secret");

  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Typed", NULL), ==, 0);
  g_assert_null (strstr (all_output->str, "Typed-Db-Secret"));
}

/* A pasted key on a terminal: read to Ctrl+D, not echoed either. */
static void
test_pasted_key_on_terminal (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) prompts = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  GInputStream *stderr_stream;
  char echoed[4096] = { 0 };
  int master;
  int slave;

  if (openpty (&master, &slave, NULL, NULL, NULL) != 0)
    {
      g_test_skip ("No pseudo-terminals here");
      return;
    }
  g_subprocess_launcher_take_stdin_fd (launcher, slave);
  process = g_subprocess_launcher_spawn (launcher, &error,
                                         g_getenv ("BURROWCTL"), "add", "Pasted",
                                         "--db-kind", "postgresql", "--db-host", "db.internal",
                                         "--ssh-host", "bastion.example.com", "--ssh-auth", "private-key",
                                         "--ssh-private-key-file", "-", NULL);
  g_assert_no_error (error);
  stderr_stream = g_subprocess_get_stderr_pipe (process);

  burrow_test_read_until (stderr_stream, prompts, "Database password");
  g_assert_cmpint (write (master, "\n", 1), ==, 1);
  burrow_test_read_until (stderr_stream, prompts, "Ctrl+D");
  g_assert_cmpint (write (master, private_key, strlen (private_key)), ==, (gssize)strlen (private_key));
  g_assert_cmpint (write (master, "\004", 1), ==, 1);
  burrow_test_read_until (stderr_stream, prompts, "Key passphrase");
  g_assert_cmpint (write (master, "Typed-Phrase\n", 13), ==, 13);

  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  {
    GPollFD poll_fd = { master, G_IO_IN, 0 };
    gssize n = g_poll (&poll_fd, 1, 5000) == 1 ? read (master, echoed, sizeof echoed - 1) : 0;

    g_assert_cmpint (n, >, 0);
    g_assert_null (strstr (echoed, "OPENSSH"));
    g_assert_null (strstr (echoed, "Typed-"));
  }
  close (master);

  secret = lookup ("Pasted", BURROW_SECRET_PRIVATE_KEY);
  g_assert_cmpstr (secret, ==, private_key);
  g_clear_pointer (&secret, g_free);
  secret = lookup ("Pasted", BURROW_SECRET_KEY_PASSPHRASE);
  g_assert_cmpstr (secret, ==, "Typed-Phrase");
  g_clear_pointer (&secret, g_free);
  /* An empty answer stores nothing. */
  secret = lookup ("Pasted", BURROW_SECRET_DB_PASSWORD);
  g_assert_null (secret);

  g_assert_cmpint (run (NULL, NULL, NULL, "remove", "Pasted", NULL), ==, 0);
}

/* Last: it takes the keyring away. */
static void
test_no_keyring (void)
{
  g_autofree char *secrets_dir = burrow_test_make_dir ("burrow-secrets-XXXXXX");
  g_autofree char *db_file = write_secret_file (secrets_dir, "db", "no-keyring-secret");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  burrow_test_keyring_stop (keyring);

  g_assert_cmpint (run (NULL, NULL, &err, "add", "Lonely", "--db-kind", "postgresql", "--db-host", "db.internal",
                        "--db-password-file", db_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "keyring"));
  g_assert_null (strstr (err, "no-keyring-secret"));
  g_clear_pointer (&err, g_free);

  /* Nothing half-added, nothing written to disk instead. */
  g_assert_cmpint (run (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "[]\n");
  burrow_test_remove_dir (secrets_dir);
  g_assert_false (burrow_test_tree_contains (g_get_home_dir (), "no-keyring-secret"));
  g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), "no-keyring-secret"));

  g_assert_cmpint (run (NULL, NULL, &err, "pubkey", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "keyring"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);
  all_output = g_string_new (NULL);
  keyring = burrow_test_start_keyring ();

  g_test_add_func ("/burrow/cli-connections/full-cycle-keeps-secrets-secret", test_full_cycle_keeps_secrets_secret);
  g_test_add_func ("/burrow/cli-connections/exit-codes", test_exit_codes);
  g_test_add_func ("/burrow/cli-connections/import-ssh-config", test_import_ssh_config);
  g_test_add_func ("/burrow/cli-connections/import-ssh-config-warns", test_import_ssh_config_warns);
  g_test_add_func ("/burrow/cli-connections/connect-at-start-option", test_connect_at_start_option);
  g_test_add_func ("/burrow/cli-connections/prompts-on-terminal", test_prompts_on_terminal);
  g_test_add_func ("/burrow/cli-connections/pasted-key-on-terminal", test_pasted_key_on_terminal);
  g_test_add_func ("/burrow/cli-connections/no-keyring", test_no_keyring);

  status = g_test_run ();
  burrow_test_keyring_free (keyring);
  g_string_free (all_output, TRUE);
  return status;
}
