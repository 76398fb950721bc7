/* burrow-bench-probe.c — a full test connection, Burrow's probe beside
 * `ssh -f -N -L` plus `psql` doing the same work, in one run.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both sides resolve and reach the same sshd on loopback, check its host
 * key, sign in with the same key, forward to the same PostgreSQL and log
 * in with a password, then run SELECT version(). Runs alternate, so that
 * the load of the machine favours neither; the medians are printed with
 * their ratio.
 *
 *   burrow-bench-probe [RUNS]
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "burrow-bench-stats.h"
#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static double
run_probe (BurrowCredentials *credentials)
{
  g_autoptr(BurrowProbe) probe = burrow_probe_new (credentials);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  burrow_probe_run_async (probe, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (!burrow_probe_run_finish (probe, result, &error))
    g_error ("The probe failed: %s", error->message);

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* What an analyst does by hand: a background `ssh -f -N -L` (which returns
 * once it is signed in and listening), psql through it, then stop ssh. */
static double
run_openssh_psql (BurrowTestSshd     *sshd,
                  BurrowTestDatabase *db,
                  const char         *known_hosts)
{
  g_autofree char *ssh = burrow_test_find_program ("ssh");
  g_autofree char *psql = burrow_test_find_program ("psql");
  g_autofree char *pkill = burrow_test_find_program ("pkill");
  guint16 local = burrow_test_get_free_port ();
  g_autofree char *forward = g_strdup_printf ("127.0.0.1:%u:127.0.0.1:%u", local, burrow_test_database_get_port (db));
  g_autofree char *pattern = g_strdup_printf ("-L %s", forward);
  g_autofree char *ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  g_autofree char *known_hosts_option = g_strconcat ("UserKnownHostsFile=", known_hosts, NULL);
  g_autofree char *destination = g_strdup_printf ("%s@127.0.0.1", burrow_test_sshd_get_user (sshd));
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=%s dbname=%s",
                                               local, BURROW_TEST_DB_USER, BURROW_TEST_DB_NAME);
  g_autoptr(GError) error = NULL;
  gint64 start, end;
  const char *ssh_argv[] = { ssh, "-f", "-N", "-F", "/dev/null", "-o", "BatchMode=yes",
                             "-o", "StrictHostKeyChecking=yes", "-o", known_hosts_option,
                             "-o", "ExitOnForwardFailure=yes", "-o", "IdentitiesOnly=yes",
                             "-i", burrow_test_sshd_get_client_key_path (sshd),
                             "-p", ssh_port, "-L", forward, destination, NULL };
  const char *psql_argv[] = { psql, "-X", "-q", "-A", "-t", conninfo, "-c", "SELECT version()", NULL };
  const char *kill_argv[] = { pkill, "-f", pattern, NULL };

  start = g_get_monotonic_time ();
  if (!burrow_test_run (ssh_argv, NULL, NULL, &error) ||
      !burrow_test_run (psql_argv, NULL, NULL, &error))
    g_error ("ssh + psql failed: %s", error->message);
  end = g_get_monotonic_time ();

  burrow_test_run (kill_argv, NULL, NULL, NULL);

  return (end - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BurrowTestSshd) sshd = NULL;
  g_autoptr(BurrowTestDatabase) db = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(GArray) burrow_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) openssh_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  g_autofree char *known_hosts = NULL;
  guint runs = argc > 1 ? atoi (argv[1]) : 20;
  double burrow, openssh;

  /* Burrow's known_hosts and the like go to a throwaway place. */
  home = burrow_test_make_dir ("burrow-bench-XXXXXX");
  config = g_build_filename (home, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("PGPASSWORD", BURROW_TEST_DB_PASSWORD, TRUE);
  signal (SIGPIPE, SIG_IGN);

  sshd = burrow_test_sshd_new ();
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  db = burrow_test_postgres_new (&error);
  g_assert_no_error (error);

  /* Both trust the sshd's key from the start, each in its own file. */
  known_hosts = burrow_paths_known_hosts_file ();
  burrow_test_sshd_write_known_host (sshd, known_hosts);

  profile = burrow_profile_new ();
  burrow_profile_set_name (profile, "Bench");
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_POSTGRESQL);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, burrow_test_database_get_port (db));
  burrow_profile_set_db_name (profile, BURROW_TEST_DB_NAME);
  burrow_profile_set_db_user (profile, BURROW_TEST_DB_USER);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));
  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, BURROW_TEST_DB_PASSWORD);

  /* One of each to warm caches, not counted. */
  run_probe (credentials);
  run_openssh_psql (sshd, db, known_hosts);

  for (guint i = 0; i < runs; i++)
    {
      double value;

      value = run_probe (credentials);
      g_array_append_val (burrow_ms, value);
      value = run_openssh_psql (sshd, db, known_hosts);
      g_array_append_val (openssh_ms, value);
    }

  burrow = burrow_bench_percentile (burrow_ms, 0.5);
  openssh = burrow_bench_percentile (openssh_ms, 0.5);

  printf ("| full test connection (SSH sign-in, PostgreSQL login, SELECT version()), median of %u | %.0f ms | %.0f ms (ssh -f -N -L, then psql) | %.2f | ≤ 150 ms and ≤ 1.0 |\n",
           runs, burrow, openssh, burrow / openssh);

  burrow_test_remove_dir (home);
  return 0;
}
