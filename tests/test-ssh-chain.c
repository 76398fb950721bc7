/* test-ssh-chain.c — SSH chains against real sshds: one auth for every
 * hop, and a liveness check after sleep or a network change.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes
 * unless it says so. */
#define HANG_GUARD_SECONDS 30

static gboolean
on_hang_guard (gpointer user_data)
{
  gboolean *hung = user_data;

  *hung = TRUE;
  return G_SOURCE_REMOVE;
}

static BurrowTestSshd *
start_sshd (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);

  return sshd;
}

static BurrowSshChain *
new_chain (BurrowTestSshd *sshd)
{
  BurrowSshChain *chain = burrow_ssh_chain_new ("127.0.0.1", burrow_test_sshd_get_port (sshd),
                                                burrow_test_sshd_get_user (sshd));
  g_autoptr(BurrowSshAuth) auth = burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (sshd), NULL);

  burrow_ssh_chain_set_auth (chain, auth);

  return chain;
}

/* Runs the loop until @chain is in @state; returns the seconds it took. */
static double
wait_for_state (BurrowSshChain      *chain,
                BurrowSshChainState  state)
{
  gint64 start = g_get_monotonic_time ();
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);

  while (burrow_ssh_chain_get_state (chain) != state && !hung)
    {
      if (state != BURROW_SSH_CHAIN_FAILED)
        g_assert_cmpint (burrow_ssh_chain_get_state (chain), !=, BURROW_SSH_CHAIN_FAILED);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (hung);
  g_source_remove (guard);

  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

static void
run_loop_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_hang_guard, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_setup_record_auth (BurrowSshChain   *chain,
                      BurrowSshSession *session,
                      guint             hop,
                      gpointer          user_data)
{
  GPtrArray *auths = user_data;

  g_ptr_array_add (auths, burrow_ssh_session_get_auth (session));
}

/* Each hop signs in with the very auth the chain was given. */
static void
test_auth_shared_by_hops (void)
{
  g_autoptr(BurrowTestSshd) jump = start_sshd ();
  g_autoptr(BurrowTestSshd) bastion = start_sshd ();
  g_autoptr(BurrowSshChain) chain = new_chain (bastion);
  g_autoptr(GPtrArray) auths = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jump_key = burrow_test_sshd_get_client_public_key (jump);
  g_autofree char *hop = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (jump),
                                          burrow_test_sshd_get_port (jump));
  const char *jumps[] = { hop, NULL };
  g_autoptr(BurrowSshAuth) auth = burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (jump), NULL);

  burrow_test_sshd_add_authorized_key (bastion, jump_key);
  g_assert_true (burrow_ssh_chain_set_jump_hosts (chain, jumps, &error));
  burrow_ssh_chain_set_auth (chain, auth);
  burrow_ssh_chain_set_setup_func (chain, on_setup_record_auth, auths, NULL);

  burrow_ssh_chain_hold (chain);
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);

  g_assert_cmpuint (auths->len, ==, 2);
  g_assert_true (g_ptr_array_index (auths, 0) == auth);
  g_assert_true (g_ptr_array_index (auths, 1) == auth);
  g_assert_true (burrow_ssh_chain_get_auth (chain) == auth);
  g_assert_nonnull (strstr (burrow_ssh_chain_get_key (chain), burrow_ssh_auth_get_sharing_key (auth)));

  burrow_ssh_chain_release (chain);
}

/* After a resume from sleep the bastion may be gone without a word:
 * check_now finds a frozen one within its few seconds, far sooner than the
 * keepalives (15 s × 3 here), and the chain reconnects at once. */
static void
test_check_now_frozen (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);
  BurrowSshSession *before;
  double noticed;

  burrow_ssh_chain_set_keepalive (chain, 15, 3);
  burrow_ssh_chain_hold (chain);
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);
  before = burrow_ssh_chain_get_session (chain);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), ==, 1);
  burrow_ssh_chain_check_now (chain);
  noticed = wait_for_state (chain, BURROW_SSH_CHAIN_RECONNECTING);
  g_test_message ("the frozen bastion was noticed after %.1f s", noticed);
  g_assert_cmpfloat (noticed, <, 6.0);
  g_assert_error ((GError *)burrow_ssh_chain_get_error (chain), BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);

  /* New connections reach sshd's listener, which was not frozen. */
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);
  g_assert_true (burrow_ssh_chain_get_session (chain) != before);

  burrow_ssh_chain_release (chain);
}

/* A bastion that answers stays: the same session, still up. */
static void
test_check_now_alive (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);
  BurrowSshSession *before;

  burrow_ssh_chain_hold (chain);
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);
  before = burrow_ssh_chain_get_session (chain);

  burrow_ssh_chain_check_now (chain);
  run_loop_for (4500);
  g_assert_cmpint (burrow_ssh_chain_get_state (chain), ==, BURROW_SSH_CHAIN_UP);
  g_assert_true (burrow_ssh_chain_get_session (chain) == before);

  burrow_ssh_chain_release (chain);
}

/* A chain that waits to retry retries now. */
static void
test_check_now_retries (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshChain) chain = new_chain (sshd);
  g_autoptr(GError) error = NULL;
  gboolean hung = FALSE;
  guint guard;

  burrow_ssh_chain_hold (chain);
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);
  burrow_test_sshd_stop (sshd);

  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (!(burrow_ssh_chain_get_attempt (chain) >= 2 && burrow_ssh_chain_get_next_try (chain) > g_get_real_time ())
         && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_ssh_chain_check_now (chain);
  g_assert_cmpint (burrow_ssh_chain_get_next_try (chain), <=, g_get_real_time ());
  wait_for_state (chain, BURROW_SSH_CHAIN_UP);

  burrow_ssh_chain_release (chain);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/ssh-chain/auth-shared-by-hops", test_auth_shared_by_hops);
  g_test_add_func ("/burrow/ssh-chain/check-now-frozen", test_check_now_frozen);
  g_test_add_func ("/burrow/ssh-chain/check-now-alive", test_check_now_alive);
  g_test_add_func ("/burrow/ssh-chain/check-now-retries", test_check_now_retries);

  return g_test_run ();
}
