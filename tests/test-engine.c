/* test-engine.c — the engine the window, the tray and burrowctl share:
 * its list follows connections.ini, connect brings real tunnels up through
 * sshd, saves keep the keyring right, questions reach "ask", and a network
 * change or a resume reaches every chain.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-2fa.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-engine.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes. */
#define HANG_GUARD_SECONDS 30

static BurrowTestKeyring *keyring;

/* A private bus that stands for the system bus, set up before anything
 * looks for it (GLib keeps the first system bus it finds). */
static GTestDBus *system_bus;

#define WAIT_FOR(cond) BURROW_TEST_LOOP_UNTIL (cond, HANG_GUARD_SECONDS)

static BurrowEngine *
new_engine (void)
{
  BurrowEngine *engine = burrow_engine_new ();
  g_autoptr(GError) error = NULL;

  burrow_engine_load (engine, &error);
  g_assert_no_error (error);

  return engine;
}

/* Runs the main loop until no source is ready: idles and pending results
 * are done. */
static void
settle (void)
{
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static BurrowTestSshd *
start_sshd (BurrowEngine *engine)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, burrow_engine_get_known_hosts_file (engine));

  return sshd;
}

/* A connection to @target_port through @sshd, signing in with its client
 * key. */
static BurrowProfile *
sshd_profile (const char     *name,
              BurrowTestSshd *sshd,
              guint16         target_port)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, name);
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_POSTGRESQL);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, target_port);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));
  /* Not the automatic one: other test programs running at the same time
   * start from the same automatic port. */
  burrow_profile_set_local_port_auto (profile, FALSE);
  burrow_profile_set_local_port (profile, burrow_test_get_free_port ());

  return profile;
}

/* A connection straight to db.internal, with @db_password typed (NULL:
 * none given). */
static BurrowCredentials *
direct_credentials (const char *name,
                    const char *db_password)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  BurrowCredentials *credentials;

  burrow_profile_set_name (profile, name);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_tunnel_enabled (profile, FALSE);
  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, db_password);

  return credentials;
}

static BurrowConnection *
save (BurrowEngine      *engine,
      BurrowCredentials *credentials,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_engine_save_async (engine, credentials, NULL, burrow_test_on_done, &result);
  return burrow_engine_save_finish (engine, burrow_test_wait_for (&result), error);
}

static BurrowConnection *
save_profile (BurrowEngine  *engine,
              BurrowProfile *profile)
{
  g_autoptr(BurrowCredentials) credentials = burrow_credentials_new (profile);
  g_autoptr(GError) error = NULL;
  BurrowConnection *connection;

  connection = save (engine, credentials, &error);
  g_assert_no_error (error);

  return connection;
}

static gboolean
connect_connection (BurrowEngine      *engine,
                    BurrowConnection  *connection,
                    GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_engine_connect_async (engine, connection, NULL, burrow_test_on_done, &result);
  return burrow_engine_connect_finish (engine, burrow_test_wait_for (&result), error);
}

static void
disconnect_connection (BurrowEngine     *engine,
                       BurrowConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  burrow_engine_disconnect_async (engine, connection, NULL, burrow_test_on_done, &result);
  burrow_engine_disconnect_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
}

static void
remove_connection (BurrowEngine            *engine,
                   BurrowConnection        *connection,
                   BurrowEngineRemoveFlags  flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  burrow_engine_remove_async (engine, connection, flags, NULL, burrow_test_on_done, &result);
  burrow_engine_remove_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint16 port;
  GError *error;
} Exchange;

static gpointer
exchange_thread (gpointer data)
{
  Exchange *exchange = data;

  burrow_test_echo_exchange (exchange->port, 2, 256 * 1024, &exchange->error);

  return NULL;
}

/* Bytes pass through the port the connection shows, whole. */
static void
assert_bytes_pass (BurrowConnection *connection)
{
  Exchange exchange = { burrow_connection_get_local_port (connection), NULL };
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", exchange.port);

  g_assert_cmpuint (exchange.port, !=, 0);
  g_assert_cmpstr (burrow_connection_get_local_address (connection), ==, address);
  burrow_test_run_thread (exchange_thread, &exchange);
  g_assert_no_error (exchange.error);
}

static BurrowConnection *
item (BurrowEngine *engine,
      guint         position)
{
  g_autoptr(BurrowConnection) connection = g_list_model_get_item (burrow_engine_get_connections (engine), position);

  return connection;
}

static guint
n_items (BurrowEngine *engine)
{
  return g_list_model_get_n_items (burrow_engine_get_connections (engine));
}

/* ------------------------------------------------------------------ */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (char *)name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

/* The engine keeps the default priority for its tunnels' I/O until told
 * otherwise (burrowctl leaves it); the app sets it, and the tunnel manager
 * carries it to the sources (test-tunnel-manager). */
static void
test_io_priority (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  int priority = 0;

  g_assert_cmpint (burrow_engine_get_io_priority (engine), ==, G_PRIORITY_DEFAULT);
  g_signal_connect (engine, "notify", G_CALLBACK (count_notify), counts);

  g_object_set (engine, "io-priority", G_PRIORITY_HIGH_IDLE + 21, NULL);
  g_assert_cmpint (burrow_engine_get_io_priority (engine), ==, G_PRIORITY_HIGH_IDLE + 21);
  g_object_get (engine, "io-priority", &priority, NULL);
  g_assert_cmpint (priority, ==, G_PRIORITY_HIGH_IDLE + 21);
  g_assert_cmpuint (count_of (counts, "io-priority"), ==, 1);

  burrow_engine_set_io_priority (engine, G_PRIORITY_HIGH_IDLE + 21);
  g_assert_cmpuint (count_of (counts, "io-priority"), ==, 1);
  burrow_engine_set_io_priority (engine, G_PRIORITY_DEFAULT);
  g_assert_cmpuint (count_of (counts, "io-priority"), ==, 2);
}

/* The list loads connections.ini, and follows what burrowctl changes in
 * another process: an addition, a change in place (the same object, each
 * property notified once), a removal. */
static void
test_model_follows_file (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowEngine) second = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  BurrowConnection *connection;
  g_autofree char *summary = NULL;

  g_assert_cmpuint (n_items (engine), ==, 0);

  g_assert_cmpint (burrow_test_burrowctl ("", NULL, NULL, "add", "Sales warehouse",
                                          "--db-kind", "postgresql", "--db-host", "db.internal",
                                          "--ssh-host", "bastion.example.com", "--ssh-user", "burrow",
                                          "--ssh-auth", "agent", NULL), ==, 0);
  WAIT_FOR (n_items (engine) == 1);
  connection = item (engine, 0);
  g_assert_cmpstr (burrow_connection_get_name (connection), ==, "Sales warehouse");
  summary = burrow_connection_dup_summary (connection);
  g_assert_cmpstr (summary, ==, "PostgreSQL · via bastion.example.com");
  g_assert_cmpint (burrow_connection_get_state (connection), ==, BURROW_TUNNEL_STOPPED);
  g_assert_true (burrow_engine_lookup (engine, burrow_connection_get_id (connection)) == connection);

  /* A second engine (another window) loads what is there. */
  second = new_engine ();
  g_assert_cmpuint (n_items (second), ==, 1);

  g_signal_connect (connection, "notify", G_CALLBACK (count_notify), counts);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Sales warehouse", "--name", "Sales",
                                          "--ssh-host", "jump.example.com", NULL), ==, 0);
  WAIT_FOR (g_strcmp0 (burrow_connection_get_name (connection), "Sales") == 0 && count_of (counts, "summary") > 0);
  settle ();
  g_assert_true (item (engine, 0) == connection);
  g_assert_cmpuint (count_of (counts, "name"), ==, 1);
  g_assert_cmpuint (count_of (counts, "summary"), ==, 1);
  g_assert_cmpuint (count_of (counts, "state"), ==, 0);
  g_assert_cmpuint (count_of (counts, "error"), ==, 0);
  g_assert_true (burrow_engine_find_by_name (engine, "sales", NULL) == connection);
  g_signal_handlers_disconnect_by_data (connection, counts);

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Sales", NULL), ==, 0);
  WAIT_FOR (n_items (engine) == 0);
  g_assert_null (burrow_engine_lookup (engine, burrow_connection_get_id (connection)));
  WAIT_FOR (n_items (second) == 0);
}

/* Connect brings a real tunnel up through sshd and bytes pass through the
 * port it shows; disconnect and disconnect-all stop them. */
static void
test_connect_and_disconnect (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = start_sshd (engine);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) first_profile = sshd_profile ("First", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowProfile) second_profile = sshd_profile ("Second", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowConnection) first = save_profile (engine, first_profile);
  g_autoptr(BurrowConnection) second = save_profile (engine, second_profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;
  int client;
  char echoed;

  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 0);
  g_assert_true (connect_connection (engine, first, &error));
  g_assert_no_error (error);
  /* Connect finishes once the port listens; the chain comes up after. */
  g_assert_cmpuint (burrow_connection_get_local_port (first), ==,
                    burrow_profile_get_local_port (burrow_connection_get_profile (first)));
  WAIT_FOR (burrow_connection_get_state (first) == BURROW_TUNNEL_UP);
  g_assert_true (burrow_connection_is_running (first));
  g_assert_null (burrow_connection_get_error (first));
  assert_bytes_pass (first);
  WAIT_FOR (burrow_connection_get_bytes_sent (first) >= 512 * 1024);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 1);

  /* The strings point at the port it listens on. */
  {
    g_autoptr(GPtrArray) strings = burrow_connection_dup_connection_strings (first);
    g_autofree char *port_text = g_strdup_printf ("%u", burrow_connection_get_local_port (first));
    gboolean found = FALSE;

    for (guint i = 0; i < strings->len; i++)
      {
        BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

        found |= strstr (string->value, port_text) != NULL;
      }
    g_assert_true (found);
  }

  port = burrow_connection_get_local_port (first);
  disconnect_connection (engine, first);
  g_assert_cmpint (burrow_connection_get_state (first), ==, BURROW_TUNNEL_STOPPED);
  g_assert_null (burrow_connection_get_local_address (first));
  g_assert_cmpint (burrow_test_connect_loopback (port, NULL), <, 0);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 0);

  /* Both at once share one SSH connection, and disconnect-all ends both. */
  g_assert_true (connect_connection (engine, first, &error));
  g_assert_true (connect_connection (engine, second, &error));
  g_assert_no_error (error);
  WAIT_FOR (burrow_connection_get_state (first) == BURROW_TUNNEL_UP &&
            burrow_connection_get_state (second) == BURROW_TUNNEL_UP);
  assert_bytes_pass (second);
  WAIT_FOR (burrow_connection_get_active_connections (second) == 0);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);

  /* A client still connected when the tunnel stops sees its connection
   * end, and the bastion's session goes all the same. */
  client = burrow_test_connect_loopback (burrow_connection_get_local_port (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (send (client, "x", 1, 0), ==, 1);
  WAIT_FOR (recv (client, &echoed, 1, MSG_DONTWAIT) == 1);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 2);

  burrow_engine_disconnect_all_async (engine, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_engine_disconnect_all_finish (engine, burrow_test_wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (burrow_connection_get_state (first), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpint (burrow_connection_get_state (second), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 0);
  WAIT_FOR (burrow_test_sshd_signal_sessions (sshd, 0) == 0);
  close (client);
}

/* A failure that a retry cannot fix stays on the connection with its
 * hint, and the host key to decide on. */
static void
test_connect_unknown_host_key (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  BurrowHostKey *host_key;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  profile = sshd_profile ("Unknown key", sshd, 9);
  connection = save_profile (engine, profile);

  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_FAILED);
  g_assert_error ((GError *)burrow_connection_get_error (connection), BURROW_SSH_ERROR,
                  BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
  g_assert_nonnull (burrow_error_get_hint (burrow_connection_get_error (connection)));
  g_assert_null (burrow_connection_get_local_address (connection));
  host_key = burrow_connection_get_host_key (connection);
  g_assert_nonnull (host_key);
  g_assert_cmpstr (burrow_host_key_get_fingerprint (host_key), ==, fingerprint);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 0);

  /* Trusted through the engine, the next connect gets through. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_trust_host_key_async (engine, host_key, NULL, burrow_test_on_done, &result);
    g_assert_true (burrow_engine_trust_host_key_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);
  g_assert_null (burrow_connection_get_host_key (connection));
  g_assert_null (burrow_connection_get_error (connection));
  disconnect_connection (engine, connection);

  /* Forgotten, it is unknown again. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_forget_host_key_async (engine, "127.0.0.1", burrow_test_sshd_get_port (sshd), NULL,
                                         burrow_test_on_done, &result);
    g_assert_true (burrow_engine_forget_host_key_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_FAILED);
  g_assert_error ((GError *)burrow_connection_get_error (connection), BURROW_SSH_ERROR,
                  BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
}

static char *
lookup (BurrowConnection *connection,
        BurrowSecretKind  kind)
{
  return burrow_test_lookup_secret (burrow_connection_get_id (connection), kind);
}

/* Save stores what was typed, clears what was given empty, forgets what
 * the new sign-in method no longer uses, keeps the rest, and relabels on
 * a rename. */
static void
test_save_secrets (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *label = NULL;

  burrow_profile_set_name (profile, "Finance");
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_MYSQL);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_db_port (profile, 3306);
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  burrow_profile_set_ssh_user (profile, "burrow");
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_PASSWORD);

  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, "db-secret-1");
  burrow_credentials_set_secret (credentials, BURROW_SECRET_SSH_PASSWORD, "ssh-secret-1");
  /* Typed, but the method does not use it: not stored. */
  burrow_credentials_set_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE, "unused-phrase");
  connection = save (engine, credentials, &error);
  g_assert_no_error (error);
  g_assert_true (burrow_engine_lookup (engine, burrow_profile_get_id (profile)) == connection);
  secret = lookup (connection, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "db-secret-1");
  g_clear_pointer (&secret, g_free);
  secret = lookup (connection, BURROW_SECRET_SSH_PASSWORD);
  g_assert_cmpstr (secret, ==, "ssh-secret-1");
  g_clear_pointer (&secret, g_free);
  g_assert_null (lookup (connection, BURROW_SECRET_KEY_PASSPHRASE));
  g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), "db-secret-1"));

  /* Another method, nothing typed: the SSH password goes, the database's
   * stays; a new name relabels the items. */
  g_clear_object (&credentials);
  g_clear_object (&profile);
  profile = burrow_profile_copy (burrow_connection_get_profile (connection), FALSE);
  burrow_profile_set_name (profile, "Finance EU");
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_AGENT);
  credentials = burrow_credentials_new (profile);
  g_clear_object (&connection);
  connection = save (engine, credentials, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (burrow_connection_get_name (connection), ==, "Finance EU");
  g_assert_null (lookup (connection, BURROW_SECRET_SSH_PASSWORD));
  secret = lookup (connection, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "db-secret-1");
  g_clear_pointer (&secret, g_free);
  label = burrow_test_get_secret_label (burrow_connection_get_id (connection), BURROW_SECRET_DB_PASSWORD);
  g_assert_nonnull (strstr (label, "Finance EU"));

  /* Given empty: cleared. */
  g_clear_object (&credentials);
  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, "");
  g_clear_object (&connection);
  connection = save (engine, credentials, &error);
  g_assert_no_error (error);
  g_assert_null (lookup (connection, BURROW_SECRET_DB_PASSWORD));

  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

/* A save that fails loses nothing: a new connection refused by the
 * keyring is not in the file, an existing one whose file cannot be written
 * keeps its secrets, and a refused profile writes no secret at all. */
static void
test_failed_save_loses_nothing (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = direct_credentials ("Locked", "first-secret");
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *secret = NULL;
  int lock;

  connection = save (engine, credentials, &error);
  g_assert_no_error (error);

  /* Another writer holds connections.ini: the edit fails, the old secret
   * stays. */
  lock_path = g_strconcat (burrow_profile_store_get_path (burrow_engine_get_store (engine)), ".lock", NULL);
  lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (flock (lock, LOCK_EX), ==, 0);
  g_clear_object (&credentials);
  g_clear_object (&profile);
  profile = burrow_profile_copy (burrow_connection_get_profile (connection), FALSE);
  burrow_profile_set_db_port (profile, 6543);
  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, "second-secret");
  g_assert_null (save (engine, credentials, &error));
  g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO);
  g_clear_error (&error);
  secret = lookup (connection, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "first-secret");
  g_clear_pointer (&secret, g_free);
  g_assert_cmpuint (burrow_profile_get_db_port (burrow_connection_get_profile (connection)), ==, 5432);

  /* A new one while the file is locked: its secret does not stay. */
  {
    g_autoptr(BurrowCredentials) fresh = direct_credentials ("Fresh", "fresh-secret");
    const char *id = burrow_profile_get_id (burrow_credentials_get_profile (fresh));

    g_assert_null (save (engine, fresh, &error));
    g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO);
    g_clear_error (&error);
    g_assert_null (burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD));
    g_assert_null (burrow_engine_lookup (engine, id));
  }
  close (lock);

  /* Refused (the same name): nothing written anywhere. */
  g_clear_object (&credentials);
  credentials = direct_credentials ("locked", "refused-secret");
  g_assert_null (save (engine, credentials, &error));
  g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
  g_clear_error (&error);
  g_assert_null (burrow_test_lookup_secret (burrow_profile_get_id (burrow_credentials_get_profile (credentials)),
                                            BURROW_SECRET_DB_PASSWORD));

  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

/* Remove takes the secrets along, unless they are kept for an undo: then
 * saving the same profile again brings the connection back whole, and
 * forget_secrets ends it. */
static void
test_remove (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowProfile) kept = NULL;
  g_autoptr(BurrowCredentials) credentials = direct_credentials ("Undo me", "undo-secret");
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(BurrowConnection) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *id = NULL;

  connection = save (engine, credentials, &error);
  g_assert_no_error (error);
  id = g_strdup (burrow_connection_get_id (connection));

  kept = burrow_profile_copy (burrow_connection_get_profile (connection), FALSE);
  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_KEEP_SECRETS);
  g_assert_null (burrow_engine_lookup (engine, id));
  secret = burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "undo-secret");
  g_clear_pointer (&secret, g_free);

  /* Undo: the same connection object, its secret still there. */
  again = save_profile (engine, kept);
  g_assert_true (again == connection);
  g_assert_true (burrow_engine_lookup (engine, id) == connection);
  secret = burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD);
  g_assert_cmpstr (secret, ==, "undo-secret");
  g_clear_pointer (&secret, g_free);

  /* Kept, then forgotten. */
  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_KEEP_SECRETS);
  burrow_engine_forget_secrets_async (engine, id, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_engine_forget_secrets_finish (engine, burrow_test_wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_null (burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD));

  /* Removed for good, and only its own secrets. */
  {
    g_autoptr(BurrowCredentials) other_credentials = direct_credentials ("Neighbour", "neighbour-secret");
    g_autoptr(BurrowConnection) neighbour = NULL;
    g_autofree char *still = NULL;

    neighbour = save (engine, other_credentials, &error);
    g_assert_no_error (error);

    g_clear_object (&again);
    again = save (engine, credentials, &error);
    g_assert_no_error (error);
    remove_connection (engine, again, BURROW_ENGINE_REMOVE_DEFAULT);
    g_assert_null (burrow_test_lookup_secret (id, BURROW_SECRET_DB_PASSWORD));
    g_assert_null (burrow_engine_lookup (engine, id));
    still = lookup (neighbour, BURROW_SECRET_DB_PASSWORD);
    g_assert_cmpstr (still, ==, "neighbour-secret");

    /* What is not there cannot be removed. */
    {
      g_autoptr(GAsyncResult) removed = NULL;

      burrow_engine_remove_async (engine, again, BURROW_ENGINE_REMOVE_DEFAULT, NULL, burrow_test_on_done, &removed);
      g_assert_false (burrow_engine_remove_finish (engine, burrow_test_wait_for (&removed), &error));
      g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  }
}

/* ~/.ssh/config through the engine: its Host entries, one made into a new
 * connection, and a ProxyCommand refused with the reason. */
static void
test_import_ssh_config (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autofree char *path = g_build_filename (g_get_home_dir (), "engine_ssh_config", NULL);
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const BurrowSshConfigHost *bastion = NULL;
  const BurrowSshConfigHost *proxied = NULL;
  BurrowProfile *profile;

  g_file_set_contents (path,
                       "Host warehouse-bastion\n"
                       "  HostName bastion.corp.example\n"
                       "  User analyst\n"
                       "  Port 2022\n"
                       "  ProxyJump ops@gateway.example:22\n"
                       "Host proxied\n"
                       "  HostName proxied.internal\n"
                       "  ProxyCommand nc proxy.example.com 8080\n"
                       "Host *\n"
                       "  ServerAliveInterval 30\n", -1, &error);
  g_assert_no_error (error);

  burrow_engine_read_ssh_config_async (engine, path, NULL, burrow_test_on_done, &result);
  hosts = burrow_engine_read_ssh_config_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hosts->len, ==, 2);
  g_assert_cmpuint (burrow_engine_read_ssh_config_get_skipped (engine, result)->len, ==, 0);
  for (guint i = 0; i < hosts->len; i++)
    {
      const BurrowSshConfigHost *host = g_ptr_array_index (hosts, i);

      if (g_str_equal (host->alias, "warehouse-bastion"))
        bastion = host;
      else if (g_str_equal (host->alias, "proxied"))
        proxied = host;
    }
  g_assert_nonnull (bastion);
  g_assert_nonnull (proxied);

  g_clear_object (&result);
  burrow_engine_import_ssh_host_async (engine, bastion, NULL, NULL, burrow_test_on_done, &result);
  connection = burrow_engine_import_ssh_host_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  profile = burrow_connection_get_profile (connection);
  g_assert_cmpstr (burrow_connection_get_name (connection), ==, "warehouse-bastion");
  g_assert_true (burrow_profile_get_tunnel_enabled (profile));
  g_assert_cmpstr (burrow_profile_get_ssh_host (profile), ==, "bastion.corp.example");
  g_assert_cmpuint (burrow_profile_get_ssh_port (profile), ==, 2022);
  g_assert_cmpstr (burrow_profile_get_ssh_user (profile), ==, "analyst");
  g_assert_cmpstr (burrow_profile_get_jump_hosts (profile)[0], ==, "ops@gateway.example:22");

  g_clear_object (&result);
  burrow_engine_import_ssh_host_async (engine, proxied, connection, NULL, burrow_test_on_done, &result);
  g_assert_null (burrow_engine_import_ssh_host_finish (engine, burrow_test_wait_for (&result), &error));
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "ProxyCommand"));
  g_clear_error (&error);
  g_assert_cmpstr (burrow_profile_get_ssh_host (profile), ==, "bastion.corp.example");

  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

/* Last: it takes the keyring away. Without one, a removal takes the
 * entry and says that the secrets stayed; a new connection with a
 * secret is not saved at all. */
static void
test_without_keyring (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowCredentials) stranded = direct_credentials ("Stranded", NULL);
  g_autoptr(BurrowCredentials) credentials = direct_credentials ("No keyring", "nowhere-to-go");
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  connection = save (engine, stranded, &error);
  g_assert_no_error (error);
  id = g_strdup (burrow_connection_get_id (connection));

  burrow_test_keyring_stop (keyring);

  burrow_engine_remove_async (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT, NULL, burrow_test_on_done, &result);
  g_assert_false (burrow_engine_remove_finish (engine, burrow_test_wait_for (&result), &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "“Stranded” was removed, but its secrets are still in the keyring"));
  g_clear_error (&error);
  g_assert_null (burrow_engine_lookup (engine, id));

  g_assert_null (save (engine, credentials, &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE);
  g_assert_null (burrow_engine_lookup (engine, burrow_profile_get_id (burrow_credentials_get_profile (credentials))));
  g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), "nowhere-to-go"));
}

/* A running connection that another process removes is stopped; one that
 * another process changes reconnects with the new settings. */
static void
test_running_changed_elsewhere (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = start_sshd (engine);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) profile = sshd_profile ("Elsewhere", sshd, 9);
  g_autoptr(BurrowConnection) connection = save_profile (engine, profile);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", burrow_test_echo_get_port (echo));
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);

  /* The target was wrong; burrowctl fixes it while the tunnel runs, and
   * the tunnel is built again: busy, then up. */
  g_signal_connect (connection, "notify", G_CALLBACK (count_notify), counts);
  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "edit", "Elsewhere", "--db-port", port, NULL), ==, 0);
  WAIT_FOR (count_of (counts, "busy") == 2);
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);
  g_signal_handlers_disconnect_by_data (connection, counts);
  assert_bytes_pass (connection);

  g_assert_cmpint (burrow_test_burrowctl (NULL, NULL, NULL, "remove", "Elsewhere", NULL), ==, 0);
  WAIT_FOR (burrow_engine_lookup (engine, burrow_connection_get_id (connection)) == NULL);
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_STOPPED);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 0);
}

/* `burrowctl up NAME` in a process of its own, once it listens. */
static GSubprocess *
spawn_up (const char *name,
          guint      *pid)
{
  const char *argv[] = { g_getenv ("BURROWCTL"), "up", name, NULL };
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *up;

  up = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (up));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening 127.0.0.1:"));
  *pid = atoi (g_subprocess_get_identifier (up));

  return up;
}

static guint
n_records (void)
{
  g_autofree char *dir = burrow_paths_running_dir ();
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;

  return n;
}

/* A record of a tunnel as another Burrow process writes it, by hand. */
static char *
write_record (const char *id,
              const char *name,
              guint       pid,
              guint16     port)
{
  g_autofree char *dir = burrow_paths_running_dir ();
  g_autofree char *file = g_strdup_printf ("%u-handwritten.tunnel", pid);
  g_autofree char *contents = g_strdup_printf ("[tunnel]\nid=%s\nname=%s\npid=%u\nprogram=burrowctl up\n"
                                               "port=%u\nsettings=other\n", id, name, pid, port);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
assert_cause (const GError *error,
              const char   *expected)
{
  g_autofree char *cause = burrow_error_dup_cause (error);

  g_assert_cmpstr (cause, ==, expected);
}

/* The same connection up in burrowctl, in another process: the
 * connection says so while it runs there and no longer once it stops or
 * dies, and a connect here explains why the port is taken and that the
 * one there leads to the same database. A port a stranger holds, or
 * another Burrow's other connection, is said as such, with a free port
 * to use instead. */
static void
test_running_elsewhere (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = start_sshd (engine);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) profile = sshd_profile ("Sales warehouse", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowConnection) connection = save_profile (engine, profile);
  g_autoptr(GSubprocess) up = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint16 port = burrow_profile_get_local_port (burrow_connection_get_profile (connection));
  guint pid;

  up = spawn_up ("Sales warehouse", &pid);
  WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == pid);
  g_assert_cmpuint (burrow_connection_get_running_elsewhere_port (connection), ==, port);
  expected = g_strdup_printf ("Runs in burrowctl (pid %u) on 127.0.0.1:%u", pid, port);
  g_assert_cmpstr (burrow_connection_get_running_elsewhere_summary (connection), ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (burrow_connection_get_state (connection), ==, BURROW_TUNNEL_STOPPED);

  /* Connect here: the port is taken, by the same connection. */
  g_assert_false (connect_connection (engine, connection, &error));
  g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
  expected = g_strdup_printf ("“Sales warehouse” already runs in burrowctl (pid %u) on 127.0.0.1:%u", pid, port);
  assert_cause (error, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpstr (burrow_error_get_hint (error), ==, "Stop it there, or use it: it leads to the same database.");
  g_assert_error ((GError *)burrow_connection_get_error (connection), BURROW_PROFILE_ERROR,
                  BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
  g_clear_error (&error);

  /* Stopped there: no longer up elsewhere, and its record is gone. */
  g_subprocess_send_signal (up, SIGTERM);
  g_assert_true (g_subprocess_wait (up, NULL, &error));
  WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == 0);
  g_assert_null (burrow_connection_get_running_elsewhere_summary (connection));
  g_assert_cmpuint (n_records (), ==, 0);
  g_clear_object (&up);

  /* Killed there, its record left behind: seen gone all the same, and
   * the record cleaned away. */
  up = spawn_up ("Sales warehouse", &pid);
  WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == pid);
  g_assert_cmpuint (n_records (), ==, 1);
  g_subprocess_send_signal (up, SIGKILL);
  g_assert_true (g_subprocess_wait (up, NULL, &error));
  WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == 0);
  WAIT_FOR (n_records () == 0);
  g_clear_object (&up);

  /* Up here now, it is not "elsewhere", and its record is this
   * process's: another engine of this process leaves it be. */
  g_assert_true (connect_connection (engine, connection, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records (), ==, 1);
  settle ();
  g_assert_cmpuint (burrow_connection_get_running_elsewhere (connection), ==, 0);
  {
    g_autoptr(BurrowEngine) beside = new_engine ();

    settle ();
    g_assert_cmpuint (n_records (), ==, 1);
  }
  disconnect_connection (engine, connection);
  g_assert_cmpuint (n_records (), ==, 0);

  /* A program that is not Burrow holds the port. */
  {
    g_autoptr(GSocket) stranger = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
    g_autofree char *record = NULL;
    g_autofree char *hint = NULL;
    guint16 suggested;

    g_assert_true (g_socket_bind (stranger, address, FALSE, &error));
    g_assert_true (g_socket_listen (stranger, &error));
    g_assert_no_error (error);

    g_assert_false (connect_connection (engine, connection, &error));
    g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
    expected = g_strdup_printf ("Port %u is taken by another program", port);
    assert_cause (error, expected);
    g_clear_pointer (&expected, g_free);
    suggested = burrow_engine_suggest_local_port (engine, burrow_connection_get_profile (connection));
    g_assert_cmpuint (suggested, !=, 0);
    g_assert_cmpuint (suggested, !=, port);
    hint = g_strdup_printf ("Stop the program that uses it, or choose another local port for “Sales warehouse”: "
                            "%u is free.", suggested);
    g_assert_cmpstr (burrow_error_get_hint (error), ==, hint);
    g_clear_error (&error);

    /* Another Burrow's other connection on that port (this test's own
     * process stands in for it: a live pid). */
    {
      const char *argv[] = { "sleep", "30", NULL };
      g_autoptr(GSubprocess) other = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
      guint other_pid = atoi (g_subprocess_get_identifier (other));

      record = write_record ("another-id", "Finance", other_pid, port);
      g_assert_false (connect_connection (engine, connection, &error));
      g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
      expected = g_strdup_printf ("Port %u is taken by “Finance”, up in burrowctl (pid %u)", port, other_pid);
      assert_cause (error, expected);
      g_clear_pointer (&expected, g_free);
      g_clear_error (&error);
      g_assert_cmpuint (burrow_connection_get_running_elsewhere (connection), ==, 0);

      /* The same connection, up there with other settings than these:
       * it does not lead where this one would. */
      g_unlink (record);
      g_free (record);
      record = write_record (burrow_connection_get_id (connection), "Sales warehouse", other_pid, port);
      g_assert_false (connect_connection (engine, connection, &error));
      g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
      g_assert_cmpstr (burrow_error_get_hint (error), ==,
                       "Stop it there, then connect here: it runs with the settings it started with.");
      g_clear_error (&error);
      WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == other_pid);

      g_subprocess_force_exit (other);
      g_assert_true (g_subprocess_wait (other, NULL, &error));
      WAIT_FOR (n_records () == 0);
      WAIT_FOR (burrow_connection_get_running_elsewhere (connection) == 0);
    }
  }

  /* A record left by a process that ended before this engine started is
   * ignored, and removed. */
  {
    const char *argv[] = { "sleep", "30", NULL };
    g_autoptr(GSubprocess) gone = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
    guint gone_pid = atoi (g_subprocess_get_identifier (gone));
    g_autoptr(BurrowEngine) later = NULL;
    g_autofree char *record = NULL;
    BurrowConnection *seen;

    g_subprocess_force_exit (gone);
    g_assert_true (g_subprocess_wait (gone, NULL, &error));
    record = write_record (burrow_connection_get_id (connection), "Sales warehouse", gone_pid, port);
    later = new_engine ();
    seen = burrow_engine_lookup (later, burrow_connection_get_id (connection));
    g_assert_nonnull (seen);
    g_assert_cmpuint (burrow_connection_get_running_elsewhere (seen), ==, 0);
    g_assert_false (g_file_test (record, G_FILE_TEST_EXISTS));
  }

  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

/* At start, the connections marked connect-at-start come up, the others
 * stay down, and one already up in burrowctl is left to it. */
static void
test_connect_at_start (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = start_sshd (engine);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) marked_profile = sshd_profile ("Marked", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowProfile) plain_profile = sshd_profile ("Plain", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowProfile) there_profile = sshd_profile ("Up there", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowCredentials) direct = direct_credentials ("Direct", NULL);
  g_autoptr(BurrowConnection) marked = NULL;
  g_autoptr(BurrowConnection) plain = NULL;
  g_autoptr(BurrowConnection) there = NULL;
  g_autoptr(BurrowConnection) direct_connection = NULL;
  g_autoptr(GSubprocess) up = NULL;
  g_autoptr(GPtrArray) started = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint pid;

  burrow_profile_set_connect_at_start (marked_profile, TRUE);
  burrow_profile_set_connect_at_start (there_profile, TRUE);
  burrow_profile_set_connect_at_start (burrow_credentials_get_profile (direct), TRUE);
  marked = save_profile (engine, marked_profile);
  plain = save_profile (engine, plain_profile);
  there = save_profile (engine, there_profile);
  direct_connection = save (engine, direct, &error);
  g_assert_no_error (error);

  up = spawn_up ("Up there", &pid);
  WAIT_FOR (burrow_connection_get_running_elsewhere (there) == pid);

  burrow_engine_connect_at_start_async (engine, NULL, burrow_test_on_done, &result);
  started = burrow_engine_connect_at_start_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (started->len, ==, 1);
  g_assert_true (g_ptr_array_index (started, 0) == marked);

  WAIT_FOR (burrow_connection_get_state (marked) == BURROW_TUNNEL_UP);
  assert_bytes_pass (marked);
  g_assert_cmpint (burrow_connection_get_state (plain), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpint (burrow_connection_get_state (there), ==, BURROW_TUNNEL_STOPPED);
  g_assert_null (burrow_connection_get_error (there));
  g_assert_cmpint (burrow_connection_get_state (direct_connection), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpuint (burrow_engine_get_n_running (engine), ==, 1);

  /* Again: what runs already is left as it is. */
  g_clear_object (&result);
  g_clear_pointer (&started, g_ptr_array_unref);
  burrow_engine_connect_at_start_async (engine, NULL, burrow_test_on_done, &result);
  started = burrow_engine_connect_at_start_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (started->len, ==, 0);

  g_subprocess_send_signal (up, SIGTERM);
  g_assert_true (g_subprocess_wait (up, NULL, &error));
  disconnect_connection (engine, marked);
  remove_connection (engine, marked, BURROW_ENGINE_REMOVE_DEFAULT);
  remove_connection (engine, plain, BURROW_ENGINE_REMOVE_DEFAULT);
  remove_connection (engine, there, BURROW_ENGINE_REMOVE_DEFAULT);
  remove_connection (engine, direct_connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

typedef struct
{
  guint           asked;
  gboolean        answer;
  BurrowQuestion *question;
} Asker;

static gboolean
on_ask (BurrowEngine   *engine,
        BurrowQuestion *question,
        gpointer        user_data)
{
  Asker *asker = user_data;

  asker->asked++;
  g_set_object (&asker->question, question);
  if (asker->answer)
    burrow_question_answer (question, "yes");
  else
    burrow_question_cancel (question);

  return TRUE;
}

/* trust asks about the unknown host key through "ask", named after the
 * connection; no handler is a clear failure; a refusal records nothing;
 * an answer records the key and the tunnel then gets through. */
static void
test_trust_asks (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  Asker asker = { 0 };
  gulong handler;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  profile = sshd_profile ("Ask me", sshd, 9);
  connection = save_profile (engine, profile);

  /* Nobody to ask. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_trust_async (engine, connection, NULL, burrow_test_on_done, &result);
    g_assert_false (burrow_engine_trust_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
    g_assert_nonnull (burrow_error_get_hint (error));
    g_clear_error (&error);
  }

  /* Refused. */
  handler = g_signal_connect (engine, "ask", G_CALLBACK (on_ask), &asker);
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_trust_async (engine, connection, NULL, burrow_test_on_done, &result);
    g_assert_false (burrow_engine_trust_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
    g_clear_error (&error);
  }
  g_assert_cmpuint (asker.asked, ==, 1);
  g_assert_cmpint (burrow_question_get_kind (asker.question), ==, BURROW_QUESTION_HOST_KEY);
  g_assert_cmpstr (burrow_question_get_connection_id (asker.question), ==, burrow_connection_get_id (connection));
  g_assert_cmpstr (burrow_question_get_connection_name (asker.question), ==, "Ask me");
  g_assert_cmpstr (burrow_host_key_get_fingerprint (burrow_question_get_host_key (asker.question)), ==, fingerprint);

  /* Answered: recorded, and asked no more; the sign-in that followed
   * worked. */
  asker.answer = TRUE;
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_trust_async (engine, connection, NULL, burrow_test_on_done, &result);
    g_assert_true (burrow_engine_trust_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_no_error (error);
    g_assert_null (burrow_engine_trust_get_sign_in_error (engine, result));
  }
  g_assert_cmpuint (asker.asked, ==, 2);
  {
    g_autoptr(GAsyncResult) result = NULL;

    burrow_engine_trust_async (engine, connection, NULL, burrow_test_on_done, &result);
    g_assert_true (burrow_engine_trust_finish (engine, burrow_test_wait_for (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (asker.asked, ==, 2);

  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);
  disconnect_connection (engine, connection);

  g_signal_handler_disconnect (engine, handler);
  g_clear_object (&asker.question);
}

static gboolean
on_ask_code (BurrowEngine   *engine,
             BurrowQuestion *question,
             gpointer        user_data)
{
  Asker *asker = user_data;

  asker->asked++;
  g_set_object (&asker->question, question);
  burrow_question_answer (question, "123456");

  return TRUE;
}

/* A bastion that asks for a one-time code after the key: the question
 * reaches "ask" with the server's prompt and the connection's name, and
 * the tunnel comes up once it is answered; with no handler, the
 * connection fails with a clear error instead. */
static void
test_second_factor_asks (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTest2fa) server = burrow_test_2fa_new ();
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  const GError *failure;
  Asker asker = { 0 };
  gulong handler;

  burrow_test_2fa_set_banner (server, "Two-factor sign-in", "Enter the code from your authenticator app.");
  burrow_test_2fa_add_prompt (server, "Verification code: ", FALSE, "123456");
  burrow_test_2fa_start (server, &error);
  g_assert_no_error (error);
  burrow_test_2fa_write_known_host (server, burrow_engine_get_known_hosts_file (engine));

  burrow_profile_set_name (profile, "Second factor");
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_OTHER);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, burrow_test_echo_get_port (echo));
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_2fa_get_port (server));
  burrow_profile_set_ssh_user (profile, burrow_test_2fa_get_user (server));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_2fa_get_client_key_path (server));
  burrow_profile_set_local_port_auto (profile, FALSE);
  burrow_profile_set_local_port (profile, burrow_test_get_free_port ());
  connection = save_profile (engine, profile);

  /* Nobody to answer. */
  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_FAILED);
  failure = burrow_connection_get_error (connection);
  g_assert_error ((GError *)failure, BURROW_SSH_ERROR, BURROW_SSH_ERROR_NOT_ANSWERED);
  g_assert_nonnull (strstr (failure->message, "Verification code"));
  g_assert_nonnull (burrow_error_get_hint (failure));

  handler = g_signal_connect (engine, "ask", G_CALLBACK (on_ask_code), &asker);
  g_assert_true (connect_connection (engine, connection, &error));
  WAIT_FOR (burrow_connection_get_state (connection) == BURROW_TUNNEL_UP);
  g_assert_cmpuint (asker.asked, ==, 1);
  g_assert_cmpint (burrow_question_get_kind (asker.question), ==, BURROW_QUESTION_PROMPT);
  g_assert_cmpstr (burrow_question_get_prompt (asker.question), ==, "Verification code: ");
  g_assert_false (burrow_question_get_echo (asker.question));
  g_assert_cmpstr (burrow_question_get_connection_id (asker.question), ==, burrow_connection_get_id (connection));
  g_assert_cmpstr (burrow_question_get_connection_name (asker.question), ==, "Second factor");
  assert_bytes_pass (connection);

  disconnect_connection (engine, connection);
  g_signal_handler_disconnect (engine, handler);
  g_clear_object (&asker.question);
  remove_connection (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT);
}

/* The test connection runs through the engine with the stored secrets and
 * gives back the probe. */
static void
test_test_connection (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(BurrowTestSshd) sshd = start_sshd (engine);
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowProfile) profile = sshd_profile ("Probe", sshd, burrow_test_echo_get_port (echo));
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A kind without a login: the probe checks that the server answers. */
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_OTHER);
  connection = save_profile (engine, profile);

  burrow_engine_test_async (engine, burrow_connection_get_profile (connection), NULL, burrow_test_on_done, &result);
  probe = burrow_engine_test_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (probe);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_AUTH), ==, BURROW_PROBE_STEP_PASSED);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_CHANNEL), ==, BURROW_PROBE_STEP_PASSED);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowConnection *connections[2];
  gboolean          immediate[2];
} Retries;

static void
on_next_try (BurrowConnection *connection,
             GParamSpec       *pspec,
             gpointer          user_data)
{
  Retries *retries = user_data;
  gint64 next_try = burrow_connection_get_next_try (connection);

  for (guint i = 0; i < 2; i++)
    if (retries->connections[i] == connection && next_try != 0 && next_try <= g_get_real_time ())
      retries->immediate[i] = TRUE;
}

/* Two connections on two bastions (two chains) wait to retry, their
 * bastions back; @wake must make both retry at once. */
static void
assert_wakes_every_chain (BurrowEngine *engine,
                          void        (*wake) (gpointer data),
                          gpointer      data)
{
  g_autoptr(BurrowTestSshd) sshd1 = start_sshd (engine);
  g_autoptr(BurrowTestSshd) sshd2 = start_sshd (engine);
  g_autoptr(BurrowProfile) profile1 = sshd_profile ("Chain one", sshd1, 9);
  g_autoptr(BurrowProfile) profile2 = sshd_profile ("Chain two", sshd2, 9);
  g_autoptr(BurrowConnection) one = save_profile (engine, profile1);
  g_autoptr(BurrowConnection) two = save_profile (engine, profile2);
  g_autoptr(GError) error = NULL;
  Retries retries = { { one, two }, { FALSE, FALSE } };

  g_assert_true (connect_connection (engine, one, &error));
  g_assert_true (connect_connection (engine, two, &error));
  g_assert_no_error (error);
  WAIT_FOR (burrow_connection_get_state (one) == BURROW_TUNNEL_UP &&
            burrow_connection_get_state (two) == BURROW_TUNNEL_UP);

  /* Both bastions go away; wait until each waits to retry later. */
  burrow_test_sshd_stop (sshd1);
  burrow_test_sshd_stop (sshd2);
  WAIT_FOR (burrow_connection_get_attempt (one) >= 2 && burrow_connection_get_next_try (one) > g_get_real_time () &&
            burrow_connection_get_attempt (two) >= 2 && burrow_connection_get_next_try (two) > g_get_real_time ());

  burrow_test_sshd_start (sshd1, &error);
  burrow_test_sshd_start (sshd2, &error);
  g_assert_no_error (error);
  g_signal_connect (one, "notify::next-try", G_CALLBACK (on_next_try), &retries);
  g_signal_connect (two, "notify::next-try", G_CALLBACK (on_next_try), &retries);

  wake (data);
  WAIT_FOR (retries.immediate[0] && retries.immediate[1]);
  WAIT_FOR (burrow_connection_get_state (one) == BURROW_TUNNEL_UP &&
            burrow_connection_get_state (two) == BURROW_TUNNEL_UP);

  g_signal_handlers_disconnect_by_data (one, &retries);
  g_signal_handlers_disconnect_by_data (two, &retries);
  remove_connection (engine, one, BURROW_ENGINE_REMOVE_DEFAULT);
  remove_connection (engine, two, BURROW_ENGINE_REMOVE_DEFAULT);
}

static void
emit_resume (gpointer data)
{
  /* Going to sleep changes nothing; waking up checks every chain. */
  burrow_test_logind_emit_resume (data);
}

/* logind's PrepareForSleep(false) on the system bus (a private one here,
 * where the test owns logind's name) reaches every chain. */
static void
test_resume_reaches_every_chain (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();
  g_autoptr(GDBusConnection) logind = burrow_test_logind_new (system_bus);

  assert_wakes_every_chain (engine, emit_resume, logind);
  g_dbus_connection_close_sync (logind, NULL, NULL);
}

static void
emit_network_available (gpointer data)
{
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
}

/* The network coming back (GNetworkMonitor's "network-changed") reaches
 * every chain. */
static void
test_network_reaches_every_chain (void)
{
  g_autoptr(BurrowEngine) engine = new_engine ();

  assert_wakes_every_chain (engine, emit_network_available, NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  system_bus = burrow_test_start_system_bus ();
  keyring = burrow_test_start_keyring ();

  g_test_add_func ("/burrow/engine/model-follows-file", test_model_follows_file);
  g_test_add_func ("/burrow/engine/connect-and-disconnect", test_connect_and_disconnect);
  g_test_add_func ("/burrow/engine/connect-unknown-host-key", test_connect_unknown_host_key);
  g_test_add_func ("/burrow/engine/save-secrets", test_save_secrets);
  g_test_add_func ("/burrow/engine/failed-save-loses-nothing", test_failed_save_loses_nothing);
  g_test_add_func ("/burrow/engine/remove", test_remove);
  g_test_add_func ("/burrow/engine/running-changed-elsewhere", test_running_changed_elsewhere);
  g_test_add_func ("/burrow/engine/running-elsewhere", test_running_elsewhere);
  g_test_add_func ("/burrow/engine/connect-at-start", test_connect_at_start);
  g_test_add_func ("/burrow/engine/trust-asks", test_trust_asks);
  g_test_add_func ("/burrow/engine/second-factor-asks", test_second_factor_asks);
  g_test_add_func ("/burrow/engine/test-connection", test_test_connection);
  g_test_add_func ("/burrow/engine/resume-reaches-every-chain", test_resume_reaches_every_chain);
  g_test_add_func ("/burrow/engine/network-reaches-every-chain", test_network_reaches_every_chain);
  g_test_add_func ("/burrow/engine/import-ssh-config", test_import_ssh_config);
  g_test_add_func ("/burrow/engine/without-keyring", test_without_keyring);
  g_test_add_func ("/burrow/engine/io-priority", test_io_priority);

  status = g_test_run ();

  burrow_test_keyring_free (keyring);
  /* The bus connections are process-wide singletons that libsecret and
   * the engine keep: stop the bus without waiting for them to be
   * finalized (dropping the GTestDBus would wait). */
  g_test_dbus_stop (system_bus);

  return status;
}
