/* burrow-bench-loop.c — how late the main loop runs while a tunnel on it
 * moves 1 GiB: what the window would feel.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tunnel runs on this program's main loop, as it does in the window; a
 * client thread echoes 1 GiB through it and checks every byte, while a
 * 5 ms timer on the same loop records how late each of its ticks comes.
 * A frame at 60 Hz lasts 16.7 ms: a lateness well below that is invisible.
 *
 *   burrow-bench-loop [MIB]
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "burrow-bench-echo.h"
#include "burrow-bench-stats.h"
#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

#define TICK_MS 5

typedef struct
{
  gint64  expected;
  GArray *lateness_ms;
} Ticks;

static gboolean
on_tick (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();
  double late = MAX (0, now - ticks->expected) / 1000.0;

  g_array_append_val (ticks->lateness_ms, late);
  ticks->expected = now + TICK_MS * 1000;

  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BurrowTestSshd) sshd = NULL;
  g_autoptr(BurrowTestEcho) echo = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowSshChain) chain = NULL;
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  g_autofree char *known_hosts = NULL;
  BurrowBenchTransfer transfer = { 0 };
  Ticks ticks = { 0 };
  gsize mib = argc > 1 ? atoi (argv[1]) : 1024;
  guint tick_source;
  double p99, max;

  home = burrow_test_make_dir ("burrow-bench-XXXXXX");
  config = g_build_filename (home, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  signal (SIGPIPE, SIG_IGN);

  sshd = burrow_test_sshd_new ();
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);

  known_hosts = burrow_paths_known_hosts_file ();
  burrow_test_sshd_write_known_host (sshd, known_hosts);

  profile = burrow_profile_new ();
  burrow_profile_set_name (profile, "Bench");
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_OTHER);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, burrow_test_echo_get_port (echo));
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));
  credentials = burrow_credentials_new (profile);

  chain = burrow_credentials_build_chain (credentials, &error);
  g_assert_no_error (error);
  tunnel = burrow_tunnel_new (chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  burrow_tunnel_start (tunnel, &error);
  g_assert_no_error (error);
  while (burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_UP)
    g_main_context_iteration (NULL, TRUE);

  ticks.lateness_ms = g_array_new (FALSE, FALSE, sizeof (double));
  ticks.expected = g_get_monotonic_time () + TICK_MS * 1000;
  tick_source = g_timeout_add (TICK_MS, on_tick, &ticks);

  transfer.port = burrow_tunnel_get_bound_port (tunnel);
  transfer.bytes = mib * 1024 * 1024;
  burrow_test_run_thread (burrow_bench_transfer_thread, &transfer);
  g_source_remove (tick_source);

  if (!transfer.ok)
    g_error ("The transfer through the tunnel failed: %s", transfer.message);

  p99 = burrow_bench_percentile (ticks.lateness_ms, 0.99);
  max = burrow_bench_percentile (ticks.lateness_ms, 1.0);

  printf ("| main loop lateness while the tunnel echoes %zu MiB (a %d ms timer, %u ticks) | p99 %.1f ms, max %.1f ms | — | | a frame is 16.7 ms |\n",
          mib, TICK_MS, ticks.lateness_ms->len, p99, max);

  burrow_tunnel_stop (tunnel);
  g_array_unref (ticks.lateness_ms);
  burrow_test_remove_dir (home);
  return 0;
}
