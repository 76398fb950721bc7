/* test-probe.c — the test connection passes against real servers, and each
 * failure an analyst meets lands on its own step with a hint.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Started once: starting PostgreSQL and MariaDB for each case would make
 * this program slow for nothing. */
static BurrowTestDatabase *postgres;
static BurrowTestDatabase *mariadb;

/* Burrow's own known_hosts trusts @sshd's current key. */
static void
trust_sshd (BurrowTestSshd *sshd)
{
  g_autofree char *path = burrow_paths_known_hosts_file ();

  burrow_test_sshd_write_known_host (sshd, path);
}

static BurrowTestSshd *
start_sshd (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  trust_sshd (sshd);

  return sshd;
}

static BurrowProfile *
make_profile (BurrowTestSshd     *sshd,
              BurrowDbKind        kind,
              BurrowTestDatabase *db)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, "Sales warehouse");
  burrow_profile_set_db_kind (profile, kind);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, db != NULL ? burrow_test_database_get_port (db) : 1);
  burrow_profile_set_db_name (profile, BURROW_TEST_DB_NAME);
  burrow_profile_set_db_user (profile, BURROW_TEST_DB_USER);

  if (sshd != NULL)
    {
      burrow_profile_set_tunnel_enabled (profile, TRUE);
      burrow_profile_set_ssh_host (profile, "127.0.0.1");
      burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
      burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
      burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
      burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));
    }
  else
    burrow_profile_set_tunnel_enabled (profile, FALSE);

  return profile;
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Runs the probe to its end; returns its error (NULL when every step
 * passed). */
static GError *
run_probe (BurrowProbe  *probe,
           GCancellable *cancellable)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gboolean ok;

  burrow_probe_run_async (probe, cancellable, on_probe_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = burrow_probe_run_finish (probe, result, &error);
  g_assert_true (ok == (error == NULL));

  return error;
}

static BurrowProbe *
probe_for (BurrowProfile *profile,
           const char    *db_password)
{
  g_autoptr(BurrowCredentials) credentials = burrow_credentials_new (profile);

  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, db_password);
  return burrow_probe_new (credentials);
}

/* The probe stopped at @failed: steps before it passed (or do not apply),
 * the ones after were not run, and the failure has a hint. */
static void
assert_failed_at (BurrowProbe     *probe,
                  BurrowProbeStep  failed,
                  GQuark           domain,
                  int              code)
{
  const GError *error;
  BurrowProbeStep step;

  g_assert_true (burrow_probe_get_failed_step (probe, &step));
  g_assert_cmpstr (burrow_probe_step_to_id (step), ==, burrow_probe_step_to_id (failed));

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      BurrowProbeStepState state = burrow_probe_get_step_state (probe, i);

      if (i < failed)
        g_assert_true (state == BURROW_PROBE_STEP_PASSED || state == BURROW_PROBE_STEP_NOT_APPLICABLE);
      else if (i > failed)
        g_assert_true (state == BURROW_PROBE_STEP_NOT_RUN || state == BURROW_PROBE_STEP_NOT_APPLICABLE);
    }

  error = burrow_probe_get_step_error (probe, failed);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", burrow_probe_step_to_id (failed), error->message);
  g_assert_error ((GError *)error, domain, code);
  g_assert_nonnull (burrow_error_get_hint (error));
}

static void
assert_all_passed (BurrowProbe *probe,
                   gboolean     tunnelled)
{
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      gboolean ssh_only = i >= BURROW_PROBE_STEP_HANDSHAKE && i <= BURROW_PROBE_STEP_CHANNEL;
      BurrowProbeStepState expected = tunnelled || !ssh_only
                                      ? BURROW_PROBE_STEP_PASSED : BURROW_PROBE_STEP_NOT_APPLICABLE;

      g_assert_cmpstr (burrow_probe_step_state_to_id (burrow_probe_get_step_state (probe, i)), ==,
                       burrow_probe_step_state_to_id (expected));
      if (expected == BURROW_PROBE_STEP_PASSED)
        {
          g_assert_cmpint (burrow_probe_get_step_duration (probe, i), >=, 0);
          g_assert_nonnull (burrow_probe_get_step_detail (probe, i));
        }
    }
}

static void
on_step_changed (BurrowProbe *probe,
                 guint        step,
                 guint       *count)
{
  count[step]++;
}

static void
test_postgres_tunnel (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autofree char *diagnostics = NULL;
  guint changes[BURROW_PROBE_N_STEPS] = { 0 };

  g_signal_connect (probe, "step-changed", G_CALLBACK (on_step_changed), changes);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);

  /* Each step was reported as it happened. */
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    g_assert_cmpuint (changes[i], >, 0);

  g_assert_true (g_str_has_prefix (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_QUERY), "PostgreSQL "));
  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_HANDSHAKE), "OpenSSH"));
  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_HOST_KEY), "SHA256:"));

  diagnostics = burrow_probe_dup_diagnostics (probe);
  g_test_message ("%s", diagnostics);
  g_assert_nonnull (strstr (diagnostics, "Sales warehouse"));
  g_assert_nonnull (strstr (diagnostics, "ssh -N -L"));
  g_assert_null (strstr (diagnostics, BURROW_TEST_DB_PASSWORD));
}

/* A probe of @kind against @db through a fresh sshd passes every step. */
static BurrowProbe *
assert_kind_passes (BurrowDbKind        kind,
                    BurrowTestDatabase *db)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, kind, db);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);

  return g_steal_pointer (&probe);
}

/* Redshift speaks PostgreSQL's protocol: libpq logs in the same way. */
static void
test_redshift_tunnel (void)
{
  g_autoptr(BurrowProbe) probe = assert_kind_passes (BURROW_DB_KIND_REDSHIFT, postgres);
}

static void
test_mysql_tunnel (void)
{
  g_autoptr(BurrowProbe) probe = assert_kind_passes (BURROW_DB_KIND_MYSQL, mariadb);
}

static void
test_mariadb_tunnel (void)
{
  g_autoptr(BurrowProbe) probe = assert_kind_passes (BURROW_DB_KIND_MARIADB, mariadb);

  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_QUERY), "MariaDB"));
}

static void
test_direct (void)
{
  g_autoptr(BurrowProfile) profile = make_profile (NULL, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, FALSE);
  g_assert_null (burrow_probe_dup_ssh_command (probe));
}

static void
test_name_does_not_resolve (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  burrow_profile_set_ssh_host (profile, "bastion.burrow-test.invalid");
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_RESOLVE, BURROW_SSH_ERROR, BURROW_SSH_ERROR_DNS);
}

static void
test_closed_port (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  burrow_profile_set_ssh_port (profile, burrow_test_get_free_port ());
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_TCP, BURROW_SSH_ERROR, BURROW_SSH_ERROR_REFUSED);
}

/* Something that accepts the connection and hangs up at once: a port that
 * is not SSH, or a firewall that resets. */
static gboolean
on_dropping_accept (GSocketService     *service,
                    GSocketConnection  *connection,
                    GObject            *source,
                    gpointer            user_data)
{
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_dropping_port (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_dropping_accept), NULL);

  burrow_profile_set_ssh_port (profile, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);

  {
    BurrowProbeStep step;

    g_assert_true (burrow_probe_get_failed_step (probe, &step));
    g_assert_cmpint (step, ==, BURROW_PROBE_STEP_HANDSHAKE);
    g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_TCP), ==, BURROW_PROBE_STEP_PASSED);
  }
  g_socket_service_stop (service);
}

static void
test_wrong_user (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  burrow_profile_set_ssh_user (profile, "no-such-burrow-user");
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_AUTH, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
}

static void
test_unauthorized_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_set_authorized_keys (sshd, "");
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_AUTH, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
}

static void
test_wrong_passphrase (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_credentials_new (profile);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autofree char *key = g_build_filename (burrow_test_sshd_get_dir (sshd), "locked_key", NULL);
  g_autofree char *pub_path = g_strconcat (key, ".pub", NULL);
  g_autofree char *pub = NULL;
  const char *argv[] = { keygen, "-q", "-t", "ed25519", "-N", "right-phrase", "-f", key, NULL };

  burrow_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (pub_path, &pub, NULL, &error);
  g_assert_no_error (error);
  burrow_test_sshd_add_authorized_key (sshd, pub);

  burrow_profile_set_ssh_key_file (profile, key);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE, "wrong-phrase");
  probe = burrow_probe_new (credentials);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_AUTH, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG);
}

/* Burrow's own key, not installed on the bastion yet: the hint points at
 * the guide that installs it. */
static void
test_workspace_key_not_installed (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_credentials_new (profile);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autofree char *key = g_build_filename (burrow_test_sshd_get_dir (sshd), "workspace_key", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { keygen, "-q", "-t", "ed25519", "-N", "", "-f", key, NULL };

  burrow_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (key, &text, NULL, &error);
  g_assert_no_error (error);

  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_WORKSPACE_KEY, text);
  probe = burrow_probe_new (credentials);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_AUTH, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
  g_assert_nonnull (strstr (burrow_error_get_hint (burrow_probe_get_step_error (probe, BURROW_PROBE_STEP_AUTH)),
                            "burrowctl guide 'Sales warehouse'"));
}

static gboolean
on_silent_bastion_accept (GSocketService     *service,
                          GSocketConnection  *connection,
                          GObject            *source,
                          GPtrArray          *kept)
{
  g_ptr_array_add (kept, g_object_ref (connection));
  return TRUE;
}

/* A port that accepts and never says a word: a firewall that lets the SYN
 * through to something that is not sshd, or a bastion that hangs. */
static void
test_silent_bastion (void)
{
  g_autoptr(BurrowProfile) profile = make_profile (NULL, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_silent_bastion_accept), kept);

  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, port);
  burrow_profile_set_ssh_user (profile, "burrow");
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_AGENT);

  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  burrow_probe_set_step_timeout (probe, 1);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_HANDSHAKE, BURROW_SSH_ERROR, BURROW_SSH_ERROR_TIMEOUT);
  g_socket_service_stop (service);
}

static void
test_unknown_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *expected = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autoptr(GError) error = NULL;

  g_unlink (known_hosts);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_HOST_KEY, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
  g_assert_cmpstr (burrow_probe_get_host_key_fingerprint (probe), ==, expected);

  /* Once the analyst has checked it, recording it lets the test pass. */
  g_clear_error (&error);
  burrow_probe_trust_host_key (probe, &error);
  g_assert_no_error (error);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
}

static void
test_changed_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);

  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_HOST_KEY, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
  g_assert_null (burrow_probe_get_host_key_fingerprint (probe));
}

/* An sshd with @keyword set to @value refuses the channel to the
 * database: the probe stops at the channel step with the forwarding hint. */
static void
assert_forwarding_refused_by (const char *keyword,
                              const char *value)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_set_option (sshd, keyword, value);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  trust_sshd (sshd);

  profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_CHANNEL, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED);
}

static void
test_forwarding_refused (void)
{
  assert_forwarding_refused_by ("AllowTcpForwarding", "no");
}

static void
test_permit_open_forbids (void)
{
  assert_forwarding_refused_by ("PermitOpen", "127.0.0.1:1");
}

static void
test_database_unreachable (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  burrow_profile_set_db_port (profile, burrow_test_get_free_port ());
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_CHANNEL, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED);
}

static void
test_wrong_db_password (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, "not-the-password");
  g_autoptr(GError) error = NULL;

  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_LOGIN, BURROW_DB_ERROR, BURROW_DB_ERROR_PASSWORD_REFUSED);
}

static void
test_missing_database (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  burrow_profile_set_db_name (profile, "no_such_database");
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_LOGIN, BURROW_DB_ERROR, BURROW_DB_ERROR_DATABASE_MISSING);
}

static gboolean
on_silent_accept (GSocketService     *service,
                  GSocketConnection  *connection,
                  GObject            *source,
                  GPtrArray          *kept)
{
  g_ptr_array_add (kept, g_object_ref (connection));
  return TRUE;
}

/* A kind Burrow cannot log in to: it checks that the server answers, and
 * says that the query does not apply. */
static void
test_reachability_only (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_SQLSERVER, NULL);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_silent_accept), kept);
  burrow_profile_set_db_port (profile, port);

  probe = probe_for (profile, NULL);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_LOGIN), ==, BURROW_PROBE_STEP_PASSED);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_QUERY), ==, BURROW_PROBE_STEP_NOT_APPLICABLE);
  g_assert_nonnull (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_QUERY));
  g_socket_service_stop (service);
}

static void
on_first_step_cancel (BurrowProbe  *probe,
                      guint         step,
                      GCancellable *cancellable)
{
  if (step == BURROW_PROBE_STEP_RESOLVE)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_signal_connect (probe, "step-changed", G_CALLBACK (on_first_step_cancel), cancellable);
  error = run_probe (probe, cancellable);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (burrow_probe_get_failed_step (probe, NULL));
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_QUERY), ==, BURROW_PROBE_STEP_NOT_RUN);
}

static void
on_channel_step_cancel (BurrowProbe  *probe,
                        guint         step,
                        GCancellable *cancellable)
{
  if (step == BURROW_PROBE_STEP_CHANNEL &&
      burrow_probe_get_step_state (probe, step) == BURROW_PROBE_STEP_RUNNING)
    g_cancellable_cancel (cancellable);
}

/* Cancelled while the bastion opens the channel: no step is marked failed,
 * and the same probe then runs again to the end, untouched by what the
 * first run left behind. */
static void
test_cancel_then_run_again (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gulong handler;

  handler = g_signal_connect (probe, "step-changed", G_CALLBACK (on_channel_step_cancel), cancellable);
  error = run_probe (probe, cancellable);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (burrow_probe_get_failed_step (probe, NULL));
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_AUTH), ==, BURROW_PROBE_STEP_PASSED);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_LOGIN), ==, BURROW_PROBE_STEP_NOT_RUN);
  g_signal_handler_disconnect (probe, handler);
  g_clear_error (&error);

  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
}

static void
test_ssh_command (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowProbe) probe = NULL;
  g_autofree char *command = NULL;
  const char *jumps[] = { "ops@jump.example.com:2222", NULL };

  burrow_profile_set_name (profile, "Sales");
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_POSTGRESQL);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_db_port (profile, 5432);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  burrow_profile_set_ssh_port (profile, 2200);
  burrow_profile_set_ssh_user (profile, "burrow");
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, "/home/ana/keys/my key");
  burrow_profile_set_jump_hosts (profile, jumps);
  burrow_profile_set_local_port_auto (profile, FALSE);
  burrow_profile_set_local_port (profile, 15432);

  probe = probe_for (profile, NULL);
  command = burrow_probe_dup_ssh_command (probe);
  g_assert_cmpstr (command, ==,
                   "ssh -N -L 127.0.0.1:15432:db.internal:5432 -p 2200 -J ops@jump.example.com:2222 "
                   "-i '/home/ana/keys/my key' burrow@bastion.example.com");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/probe/postgres-tunnel", test_postgres_tunnel);
  g_test_add_func ("/burrow/probe/redshift-tunnel", test_redshift_tunnel);
  g_test_add_func ("/burrow/probe/mysql-tunnel", test_mysql_tunnel);
  g_test_add_func ("/burrow/probe/mariadb-tunnel", test_mariadb_tunnel);
  g_test_add_func ("/burrow/probe/direct", test_direct);
  g_test_add_func ("/burrow/probe/name-does-not-resolve", test_name_does_not_resolve);
  g_test_add_func ("/burrow/probe/closed-port", test_closed_port);
  g_test_add_func ("/burrow/probe/dropping-port", test_dropping_port);
  g_test_add_func ("/burrow/probe/wrong-user", test_wrong_user);
  g_test_add_func ("/burrow/probe/unauthorized-key", test_unauthorized_key);
  g_test_add_func ("/burrow/probe/wrong-passphrase", test_wrong_passphrase);
  g_test_add_func ("/burrow/probe/workspace-key-not-installed", test_workspace_key_not_installed);
  g_test_add_func ("/burrow/probe/silent-bastion", test_silent_bastion);
  g_test_add_func ("/burrow/probe/unknown-host-key", test_unknown_host_key);
  g_test_add_func ("/burrow/probe/changed-host-key", test_changed_host_key);
  g_test_add_func ("/burrow/probe/forwarding-refused", test_forwarding_refused);
  g_test_add_func ("/burrow/probe/permit-open-forbids", test_permit_open_forbids);
  g_test_add_func ("/burrow/probe/database-unreachable", test_database_unreachable);
  g_test_add_func ("/burrow/probe/wrong-db-password", test_wrong_db_password);
  g_test_add_func ("/burrow/probe/missing-database", test_missing_database);
  g_test_add_func ("/burrow/probe/reachability-only", test_reachability_only);
  g_test_add_func ("/burrow/probe/cancel", test_cancel);
  g_test_add_func ("/burrow/probe/cancel-then-run-again", test_cancel_then_run_again);
  g_test_add_func ("/burrow/probe/ssh-command", test_ssh_command);

  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);
  mariadb = burrow_test_mariadb_new (&error);
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&mariadb, burrow_test_database_free);

  return status;
}
