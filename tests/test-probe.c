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
assert_failed_at (BurrowProbe       *probe,
                  BurrowProbeStepId  failed,
                  GQuark             domain,
                  int                code)
{
  const GError *error;
  BurrowProbeStepId step;

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

/* What a dialog bound to the probe would have seen. */
typedef struct
{
  guint     notifies[BURROW_PROBE_N_STEPS];   /* any property of the step */
  guint     running_on;
  guint     running_off;
  gboolean  saw_running[BURROW_PROBE_N_STEPS];
  gint64    running_at[BURROW_PROBE_N_STEPS];  /* when it was first seen running */
} Watch;

static void
on_watched_step_notify (BurrowProbeStep *step,
                        GParamSpec      *pspec,
                        Watch           *watch)
{
  BurrowProbeStepId id = burrow_probe_step_get_id (step);

  watch->notifies[id]++;
  if (burrow_probe_step_get_state (step) == BURROW_PROBE_STEP_RUNNING && !watch->saw_running[id])
    {
      watch->saw_running[id] = TRUE;
      watch->running_at[id] = g_get_monotonic_time ();
    }
}

static void
on_watched_running (BurrowProbe *probe,
                    GParamSpec  *pspec,
                    Watch       *watch)
{
  if (burrow_probe_get_running (probe))
    watch->running_on++;
  else
    watch->running_off++;
}

static void
watch_probe (BurrowProbe *probe,
             Watch       *watch)
{
  GListModel *steps = burrow_probe_get_steps (probe);

  memset (watch, 0, sizeof *watch);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(BurrowProbeStep) step = g_list_model_get_item (steps, i);

      g_signal_connect (step, "notify", G_CALLBACK (on_watched_step_notify), watch);
    }
  g_signal_connect (probe, "notify::running", G_CALLBACK (on_watched_running), watch);
}

static void
unwatch_probe (BurrowProbe *probe,
               Watch       *watch)
{
  GListModel *steps = burrow_probe_get_steps (probe);

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(BurrowProbeStep) step = g_list_model_get_item (steps, i);

      g_signal_handlers_disconnect_by_data (step, watch);
    }
  g_signal_handlers_disconnect_by_data (probe, watch);
}

/* The model and the per-step getters tell the same story. */
static void
assert_model_matches_getters (BurrowProbe *probe)
{
  GListModel *steps = burrow_probe_get_steps (probe);

  g_assert_true (g_list_model_get_item_type (steps) == BURROW_TYPE_PROBE_STEP);
  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, BURROW_PROBE_N_STEPS);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      g_autoptr(BurrowProbeStep) step = g_list_model_get_item (steps, i);
      const GError *error = burrow_probe_step_get_error (step);
      g_autofree char *cause = error != NULL ? burrow_error_dup_cause (error) : NULL;

      g_assert_true (step == burrow_probe_get_step (probe, i));
      g_assert_cmpint (burrow_probe_step_get_id (step), ==, i);
      g_assert_nonnull (burrow_probe_step_get_title (step));
      g_assert_cmpstr (burrow_probe_step_get_title (step), ==, burrow_probe_get_step_title (probe, i));
      g_assert_cmpint (burrow_probe_step_get_state (step), ==, burrow_probe_get_step_state (probe, i));
      g_assert_cmpint (burrow_probe_step_get_duration (step), ==, burrow_probe_get_step_duration (probe, i));
      g_assert_cmpstr (burrow_probe_step_get_detail (step), ==, burrow_probe_get_step_detail (probe, i));
      g_assert_true (error == burrow_probe_get_step_error (probe, i));
      g_assert_cmpstr (burrow_probe_step_get_cause (step), ==, cause);
      g_assert_cmpstr (burrow_probe_step_get_hint (step), ==, error != NULL ? burrow_error_get_hint (error) : NULL);

      /* A step that did not run has no time; one that ran has its own. */
      switch (burrow_probe_step_get_state (step))
        {
        case BURROW_PROBE_STEP_PASSED:
        case BURROW_PROBE_STEP_FAILED:
          g_assert_cmpint (burrow_probe_step_get_duration (step), >=, 0);
          break;
        case BURROW_PROBE_STEP_PENDING:
        case BURROW_PROBE_STEP_RUNNING:
        case BURROW_PROBE_STEP_NOT_RUN:
        case BURROW_PROBE_STEP_NOT_APPLICABLE:
        default:
          g_assert_cmpint (burrow_probe_step_get_duration (step), ==, -1);
          break;
        }
      g_assert_true ((burrow_probe_step_get_state (step) == BURROW_PROBE_STEP_FAILED) == (error != NULL));
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

  Watch watch;

  /* Before the run, every step is there to bind to, waiting. */
  assert_model_matches_getters (probe);
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    g_assert_cmpint (burrow_probe_get_step_state (probe, i), ==, BURROW_PROBE_STEP_PENDING);
  g_assert_false (burrow_probe_get_running (probe));
  g_assert_null (burrow_probe_get_server_version (probe));

  watch_probe (probe, &watch);
  g_signal_connect (probe, "step-changed", G_CALLBACK (on_step_changed), changes);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
  assert_model_matches_getters (probe);
  unwatch_probe (probe, &watch);

  /* Each step was reported as it happened, and ran before it passed. */
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      g_assert_cmpuint (changes[i], >, 0);
      g_assert_cmpuint (watch.notifies[i], >, 0);
    }
  for (guint i = BURROW_PROBE_STEP_RESOLVE; i <= BURROW_PROBE_STEP_LOGIN; i++)
    if (i != BURROW_PROBE_STEP_TCP && i != BURROW_PROBE_STEP_HANDSHAKE)
      g_assert_true (watch.saw_running[i]);
  g_assert_cmpuint (watch.running_on, ==, 1);
  g_assert_cmpuint (watch.running_off, ==, 1);
  g_assert_false (burrow_probe_get_running (probe));

  g_assert_true (g_str_has_prefix (burrow_probe_get_server_version (probe), "PostgreSQL "));
  g_assert_cmpstr (burrow_probe_get_server_version (probe), ==,
                   burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_QUERY));
  g_assert_null (burrow_probe_get_host_key (probe));
  g_assert_false (burrow_probe_get_workspace_key_not_authorized (probe));

  g_assert_true (g_str_has_prefix (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_QUERY), "PostgreSQL "));
  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_HANDSHAKE), "OpenSSH"));
  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_HOST_KEY), "SHA256:"));

  diagnostics = burrow_probe_dup_diagnostics (probe);
  g_test_message ("%s", diagnostics);
  g_assert_nonnull (strstr (diagnostics, "Sales warehouse"));
  g_assert_nonnull (strstr (diagnostics, "ssh -N -L"));
  g_assert_null (strstr (diagnostics, BURROW_TEST_DB_PASSWORD));

  /* A finished run holds nothing of the probe. */
  g_assert_finalize_object (g_steal_pointer (&probe));
}

/* The steps are there, in order, as soon as the probe is; they live as
 * long as whoever holds them. */
static void
test_new_destroy (void)
{
  g_autoptr(BurrowProfile) profile = make_profile (NULL, BURROW_DB_KIND_SQLSERVER, NULL);
  BurrowProbe *probe = probe_for (profile, NULL);
  g_autoptr(BurrowProbeStep) query = NULL;
  GListModel *steps = burrow_probe_get_steps (probe);
  const char *ids[] = { "resolve", "tcp", "handshake", "host-key", "auth", "channel", "login", "query" };

  assert_model_matches_getters (probe);
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    g_assert_cmpstr (burrow_probe_step_to_id (i), ==, ids[i]);
  g_assert_cmpstr (burrow_probe_step_state_to_id (BURROW_PROBE_STEP_NOT_APPLICABLE), ==, "not-applicable");

  /* Without a tunnel the SSH steps, and for a kind Burrow cannot log in
   * to the query, do not apply; the model says so before any run. */
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_RESOLVE), ==, BURROW_PROBE_STEP_PENDING);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_AUTH), ==, BURROW_PROBE_STEP_NOT_APPLICABLE);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_QUERY), ==, BURROW_PROBE_STEP_NOT_APPLICABLE);
  g_assert_cmpstr (burrow_probe_get_step_title (probe, BURROW_PROBE_STEP_LOGIN), ==, "Check that the database answers");
  g_assert_false (burrow_probe_get_running (probe));
  g_assert_null (burrow_probe_get_host_key (probe));

  query = g_list_model_get_item (steps, BURROW_PROBE_STEP_QUERY);
  g_assert_finalize_object (probe);
  g_assert_cmpint (burrow_probe_step_get_id (query), ==, BURROW_PROBE_STEP_QUERY);
  g_assert_finalize_object (g_steal_pointer (&query));
}

/* How a step's time reads, in the diagnostics. */
static void
test_format_duration (void)
{
  const struct { gint64 usec; const char *text; } cases[] = {
    { 0, "0.0 ms" },
    { 300, "0.3 ms" },
    { 18149, "18.1 ms" },
    { 999949, "999.9 ms" },
    { G_USEC_PER_SEC, "1.0 s" },
    { 10 * G_USEC_PER_SEC + 20000, "10.0 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = burrow_probe_format_duration (cases[i].usec);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (burrow_probe_format_duration (-1));
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

  /* The SSH steps do not apply, and the model says so from the start. */
  for (guint i = BURROW_PROBE_STEP_HANDSHAKE; i <= BURROW_PROBE_STEP_CHANNEL; i++)
    g_assert_cmpint (burrow_probe_get_step_state (probe, i), ==, BURROW_PROBE_STEP_NOT_APPLICABLE);

  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, FALSE);
  assert_model_matches_getters (probe);
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
    BurrowProbeStepId step;

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
  /* A key file of the analyst's own: the key guide is not the answer. */
  g_assert_false (burrow_probe_get_workspace_key_not_authorized (probe));
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
  g_assert_true (burrow_probe_get_workspace_key_not_authorized (probe));
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
  g_autofree char *took = NULL;
  g_autofree char *diagnostics = NULL;
  g_autofree char *line = NULL;
  gint64 duration;
  guint16 port;
  Watch watch;

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
  watch_probe (probe, &watch);
  error = run_probe (probe, NULL);
  unwatch_probe (probe, &watch);
  assert_failed_at (probe, BURROW_PROBE_STEP_HANDSHAKE, BURROW_SSH_ERROR, BURROW_SSH_ERROR_TIMEOUT);
  assert_model_matches_getters (probe);
  g_socket_service_stop (service);

  /* While it waited, the handshake was the step shown running, not the
   * name's look-up. */
  g_assert_true (watch.saw_running[BURROW_PROBE_STEP_HANDSHAKE]);
  g_assert_cmpint (g_get_monotonic_time () - watch.running_at[BURROW_PROBE_STEP_HANDSHAKE], >=, 500 * 1000);

  /* The handshake waited for the whole second the session allowed it (a
   * whole-second timer may fire up to a quarter second early), and says
   * so: in the model, and in the text a person copies. */
  duration = burrow_probe_get_step_duration (probe, BURROW_PROBE_STEP_HANDSHAKE);
  g_test_message ("the handshake failed after %.1f ms", duration / 1000.0);
  g_assert_cmpint (duration, >=, 700 * 1000);
  g_assert_cmpint (duration, <, 5 * G_USEC_PER_SEC);
  took = burrow_probe_format_duration (duration);
  g_assert_true (g_str_has_suffix (took, " s") || g_str_has_suffix (took, " ms"));
  diagnostics = burrow_probe_dup_diagnostics (probe);
  line = g_strdup_printf ("✘ SSH handshake (%s)", took);
  g_assert_nonnull (strstr (diagnostics, line));
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

  BurrowHostKey *key;

  g_unlink (known_hosts);
  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_HOST_KEY, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
  g_assert_cmpstr (burrow_probe_get_host_key_fingerprint (probe), ==, expected);

  /* What the dialog shows to decide on it. */
  key = burrow_probe_get_host_key (probe);
  g_assert_nonnull (key);
  g_assert_cmpint (burrow_host_key_get_status (key), ==, BURROW_HOST_KEY_UNKNOWN);
  g_assert_cmpstr (burrow_host_key_get_host (key), ==, "127.0.0.1");
  g_assert_cmpuint (burrow_host_key_get_port (key), ==, burrow_test_sshd_get_port (sshd));
  g_assert_cmpstr (burrow_host_key_get_fingerprint (key), ==, expected);
  g_assert_nonnull (burrow_host_key_get_key_type (key));

  /* Once the analyst has checked it, recording it lets the test pass. */
  g_clear_error (&error);
  burrow_probe_trust_host_key (probe, &error);
  g_assert_no_error (error);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
  g_assert_null (burrow_probe_get_host_key (probe));
}

static void
test_changed_host_key (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(GError) error = NULL;

  g_autofree char *now_shown = NULL;
  BurrowHostKey *key;

  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  now_shown = burrow_test_sshd_get_host_key_fingerprint (sshd);

  error = run_probe (probe, NULL);
  assert_failed_at (probe, BURROW_PROBE_STEP_HOST_KEY, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
  g_assert_null (burrow_probe_get_host_key_fingerprint (probe));

  /* Both fingerprints, to show side by side; recording it is refused. */
  key = burrow_probe_get_host_key (probe);
  g_assert_nonnull (key);
  g_assert_cmpint (burrow_host_key_get_status (key), ==, BURROW_HOST_KEY_CHANGED);
  g_assert_cmpstr (burrow_host_key_get_fingerprint (key), ==, now_shown);
  g_assert_nonnull (burrow_host_key_get_known_fingerprint (key));
  g_assert_cmpstr (burrow_host_key_get_known_fingerprint (key), !=, now_shown);
  g_clear_error (&error);
  g_assert_false (burrow_probe_trust_host_key (probe, &error));
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
}

/* A jump host and a bastion, each its own sshd; one key signs in to both.
 * Burrow's known_hosts holds the key of those named by @trust_jump and
 * @trust_bastion. */
static BurrowProfile *
make_jump_profile (BurrowTestSshd *jump,
                   BurrowTestSshd *bastion,
                   gboolean        trust_jump,
                   gboolean        trust_bastion)
{
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *jump_key = burrow_test_sshd_get_client_public_key (jump);
  g_autofree char *jump_host = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (jump),
                                                burrow_test_sshd_get_port (jump));
  const char *jumps[] = { jump_host, NULL };
  BurrowProfile *profile = make_profile (bastion, BURROW_DB_KIND_POSTGRESQL, postgres);

  burrow_test_sshd_add_authorized_key (bastion, jump_key);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (jump));
  burrow_profile_set_jump_hosts (profile, jumps);

  g_unlink (known_hosts);
  if (trust_jump)
    trust_sshd (jump);
  if (trust_bastion)
    trust_sshd (bastion);

  return profile;
}

/* The probe stopped at the host key of @hop, which it hands over to
 * decide on; recording it lets the next run go one hop further. */
static void
assert_host_key_of (BurrowProbe    *probe,
                    BurrowTestSshd *hop)
{
  g_autofree char *fingerprint = burrow_test_sshd_get_host_key_fingerprint (hop);
  g_autoptr(GError) error = NULL;
  BurrowHostKey *key;

  assert_failed_at (probe, BURROW_PROBE_STEP_HOST_KEY, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
  key = burrow_probe_get_host_key (probe);
  g_assert_nonnull (key);
  g_assert_cmpuint (burrow_host_key_get_port (key), ==, burrow_test_sshd_get_port (hop));
  g_assert_cmpstr (burrow_host_key_get_fingerprint (key), ==, fingerprint);
  g_assert_cmpstr (burrow_probe_get_host_key_fingerprint (probe), ==, fingerprint);

  burrow_host_key_trust (key, &error);
  g_assert_no_error (error);
}

/* With a jump host, the key that stops the test is the one of the hop
 * that showed it, whichever that is. */
static void
test_jump_host_keys (void)
{
  g_autoptr(BurrowTestSshd) jump = start_sshd ();
  g_autoptr(BurrowTestSshd) bastion = start_sshd ();
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  /* The jump host is known, the bastion behind it is not. */
  profile = make_jump_profile (jump, bastion, TRUE, FALSE);
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  g_assert_cmpstr (burrow_probe_get_step_title (probe, BURROW_PROBE_STEP_RESOLVE), ==,
                   "Look up the first jump host’s name");
  error = run_probe (probe, NULL);
  assert_host_key_of (probe, bastion);
  g_clear_error (&error);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
  g_assert_nonnull (strstr (burrow_probe_get_step_detail (probe, BURROW_PROBE_STEP_TCP), "1 jump host"));
  g_clear_object (&probe);
  g_clear_object (&profile);

  /* Neither is known: first the jump host's key, then the bastion's. */
  profile = make_jump_profile (jump, bastion, FALSE, FALSE);
  probe = probe_for (profile, BURROW_TEST_DB_PASSWORD);
  error = run_probe (probe, NULL);
  assert_host_key_of (probe, jump);
  g_clear_error (&error);
  error = run_probe (probe, NULL);
  assert_host_key_of (probe, bastion);
  g_clear_error (&error);
  error = run_probe (probe, NULL);
  g_assert_no_error (error);
  assert_all_passed (probe, TRUE);
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
  assert_model_matches_getters (probe);
  g_assert_cmpint (burrow_probe_get_step_duration (probe, BURROW_PROBE_STEP_LOGIN), >, 0);
  g_assert_cmpint (burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_QUERY), ==, BURROW_PROBE_STEP_NOT_RUN);
  g_assert_nonnull (burrow_probe_step_get_cause (burrow_probe_get_step (probe, BURROW_PROBE_STEP_LOGIN)));
  g_assert_nonnull (burrow_probe_step_get_hint (burrow_probe_get_step (probe, BURROW_PROBE_STEP_LOGIN)));
  g_assert_null (burrow_probe_get_server_version (probe));
  g_assert_false (burrow_probe_get_running (probe));
}

/* Logged in, then the first query refused: the login passed in its own
 * time, and the query failed in the time it took. */
static void
test_query_fails (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  gint64 login, query;

  burrow_test_postgres_run_sql (postgres, "DROP ROLE IF EXISTS burrow_no_version");
  burrow_test_postgres_run_sql (postgres, "CREATE ROLE burrow_no_version LOGIN PASSWORD 'no-version-pw'");
  burrow_test_postgres_run_sql (postgres, "REVOKE EXECUTE ON FUNCTION version() FROM PUBLIC");
  burrow_profile_set_db_user (profile, "burrow_no_version");
  probe = probe_for (profile, "no-version-pw");
  error = run_probe (probe, NULL);
  burrow_test_postgres_run_sql (postgres, "GRANT EXECUTE ON FUNCTION version() TO PUBLIC");
  burrow_test_postgres_run_sql (postgres, "DROP ROLE burrow_no_version");

  assert_failed_at (probe, BURROW_PROBE_STEP_QUERY, BURROW_DB_ERROR, BURROW_DB_ERROR_QUERY_FAILED);
  assert_model_matches_getters (probe);
  login = burrow_probe_get_step_duration (probe, BURROW_PROBE_STEP_LOGIN);
  query = burrow_probe_get_step_duration (probe, BURROW_PROBE_STEP_QUERY);
  g_test_message ("login %.1f ms, query %.1f ms", login / 1000.0, query / 1000.0);
  g_assert_cmpint (login, >, 0);
  /* A round trip through the tunnel to the server and back, at least:
   * not the few microseconds between two lines of the probe. */
  g_assert_cmpint (query, >=, 50);
  g_assert_null (burrow_probe_get_server_version (probe));
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

typedef struct
{
  BurrowProfile        *profile;
  gboolean              cancel_at_start;
  guint                 step_timeout;
  GError               *error;
  BurrowProbeStepState  states[BURROW_PROBE_N_STEPS];
  gint64                durations[BURROW_PROBE_N_STEPS];
  gint64                cancelled_at;
  gint64                ended_at;
  char                 *server_version;
} ThreadedProbe;

static gboolean
on_probe_hang_guard (gpointer user_data)
{
  g_error ("a probe on a worker thread's own context never ended");
  return G_SOURCE_REMOVE;
}

static void
on_threaded_step_changed (BurrowProbe   *probe,
                          guint          step,
                          ThreadedProbe *run)
{
  if (run->cancel_at_start && run->cancelled_at == 0 && step == BURROW_PROBE_STEP_RESOLVE &&
      burrow_probe_get_step_state (probe, step) == BURROW_PROBE_STEP_RUNNING)
    {
      GCancellable *cancellable = g_object_get_data (G_OBJECT (probe), "cancellable");

      run->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (cancellable);
    }
}

/* Makes and runs a probe on this thread's own context, the only one
 * iterated meanwhile: the default context waits in g_thread_join(). */
static gpointer
run_probe_in_thread (gpointer data)
{
  ThreadedProbe *run = data;
  GMainContext *context = g_main_context_new ();
  GSource *guard = g_timeout_source_new_seconds (60);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BurrowProbe) probe = NULL;

  g_main_context_push_thread_default (context);
  g_source_set_callback (guard, on_probe_hang_guard, NULL, NULL);
  g_source_attach (guard, context);

  probe = probe_for (run->profile, BURROW_TEST_DB_PASSWORD);
  burrow_probe_set_step_timeout (probe, run->step_timeout);
  g_object_set_data (G_OBJECT (probe), "cancellable", cancellable);
  g_signal_connect (probe, "step-changed", G_CALLBACK (on_threaded_step_changed), run);

  burrow_probe_run_async (probe, cancellable, on_probe_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  run->ended_at = g_get_monotonic_time ();
  burrow_probe_run_finish (probe, result, &run->error);

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      run->states[i] = burrow_probe_get_step_state (probe, i);
      run->durations[i] = burrow_probe_get_step_duration (probe, i);
    }
  run->server_version = g_strdup (burrow_probe_get_server_version (probe));

  g_clear_object (&probe);
  g_clear_object (&result);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_source_destroy (guard);
  g_source_unref (guard);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static void
run_in_thread (ThreadedProbe *run)
{
  g_thread_join (g_thread_new ("probe", run_probe_in_thread, run));
}

/* A probe made on a worker thread lives on that thread's own context: the
 * SSH chain, the tunnel, the login, its timers and the caller's cancel. */
static void
test_worker_thread (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowProfile) profile = make_profile (sshd, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(BurrowProfile) silent_profile = make_profile (NULL, BURROW_DB_KIND_POSTGRESQL, postgres);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  ThreadedProbe passing = { profile, FALSE, BURROW_PROBE_DEFAULT_STEP_TIMEOUT };
  ThreadedProbe cancelled = { silent_profile, TRUE, BURROW_PROBE_DEFAULT_STEP_TIMEOUT };
  guint16 port;

  run_in_thread (&passing);
  g_assert_no_error (passing.error);
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      g_assert_cmpint (passing.states[i], ==, BURROW_PROBE_STEP_PASSED);
      g_assert_cmpint (passing.durations[i], >=, 0);
    }
  g_assert_true (g_str_has_prefix (passing.server_version, "PostgreSQL "));
  g_free (passing.server_version);

  /* A bastion that never speaks, and a caller that gives up at once: the
   * run ends then, not when the handshake would have timed out. The port
   * is never accepted from (the default context is not run): the kernel
   * completes the connection, and nothing answers. */
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  burrow_profile_set_tunnel_enabled (silent_profile, TRUE);
  burrow_profile_set_ssh_host (silent_profile, "127.0.0.1");
  burrow_profile_set_ssh_port (silent_profile, port);
  burrow_profile_set_ssh_user (silent_profile, "burrow");
  burrow_profile_set_ssh_auth (silent_profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (silent_profile, burrow_test_sshd_get_client_key_path (sshd));

  run_in_thread (&cancelled);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled.cancelled_at, >, 0);
  g_test_message ("the cancelled run ended %.1f ms after the cancel",
                  (cancelled.ended_at - cancelled.cancelled_at) / 1000.0);
  g_assert_cmpint (cancelled.ended_at - cancelled.cancelled_at, <, 3 * G_USEC_PER_SEC);
  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    g_assert_true (cancelled.states[i] == BURROW_PROBE_STEP_NOT_RUN);
  g_assert_null (cancelled.server_version);
  g_clear_error (&cancelled.error);
  g_socket_service_stop (service);
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

  g_test_add_func ("/burrow/probe/new-destroy", test_new_destroy);
  g_test_add_func ("/burrow/probe/format-duration", test_format_duration);
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
  g_test_add_func ("/burrow/probe/jump-host-keys", test_jump_host_keys);
  g_test_add_func ("/burrow/probe/forwarding-refused", test_forwarding_refused);
  g_test_add_func ("/burrow/probe/permit-open-forbids", test_permit_open_forbids);
  g_test_add_func ("/burrow/probe/database-unreachable", test_database_unreachable);
  g_test_add_func ("/burrow/probe/wrong-db-password", test_wrong_db_password);
  g_test_add_func ("/burrow/probe/query-fails", test_query_fails);
  g_test_add_func ("/burrow/probe/missing-database", test_missing_database);
  g_test_add_func ("/burrow/probe/reachability-only", test_reachability_only);
  g_test_add_func ("/burrow/probe/cancel", test_cancel);
  g_test_add_func ("/burrow/probe/cancel-then-run-again", test_cancel_then_run_again);
  g_test_add_func ("/burrow/probe/worker-thread", test_worker_thread);
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
