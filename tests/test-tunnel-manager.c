/* test-tunnel-manager.c — tunnels to the same bastion account share one
 * SSH session; tunnels to different accounts do not.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes. */
#define HANG_GUARD_SECONDS 30

static gboolean
on_hang_guard (gpointer user_data)
{
  gboolean *hung = user_data;

  *hung = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until_up (BurrowTunnel *tunnel)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);

  while (burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_UP && !hung)
    {
      g_assert_cmpint (burrow_tunnel_get_state (tunnel), !=, BURROW_TUNNEL_FAILED);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (hung);
  g_source_remove (guard);
}

/* A chain to @sshd's account, built from a profile as the engine does. */
static BurrowSshChain *
new_chain (BurrowTestSshd *sshd,
           const char     *key_file,
           const char     *passphrase)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  BurrowSshChain *chain;

  burrow_profile_set_name (profile, "Shared");
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, key_file);

  credentials = burrow_credentials_new (profile);
  burrow_credentials_set_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE, passphrase);
  chain = burrow_credentials_build_chain (credentials, &error);
  g_assert_no_error (error);

  return chain;
}

static BurrowTunnel *
add_tunnel (BurrowTunnelManager *manager,
            BurrowTestSshd      *sshd,
            const char          *key_file,
            const char          *passphrase,
            guint16              target_port)
{
  g_autoptr(BurrowSshChain) chain = new_chain (sshd, key_file, passphrase);

  return burrow_tunnel_manager_add (manager, chain, "127.0.0.1", target_port, 0);
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

  burrow_test_echo_exchange (exchange->port, 4, 1024 * 1024, &exchange->error);

  return NULL;
}

static void
exchange (BurrowTunnel *tunnel)
{
  Exchange exchange = { burrow_tunnel_get_bound_port (tunnel), NULL };

  burrow_test_run_thread (exchange_thread, &exchange);
  g_assert_no_error (exchange.error);
}

static void
test_shared_session (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTestSshd) other = burrow_test_sshd_new ();
  g_autoptr(BurrowTestEcho) echo1 = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTestEcho) echo2 = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnelManager) manager = burrow_tunnel_manager_new ();
  BurrowTunnel *first;
  BurrowTunnel *second;
  BurrowTunnel *third;
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *other_key = burrow_test_sshd_get_client_public_key (other);
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);
  /* A second key for the same account: another way of signing in is
   * another chain. */
  burrow_test_sshd_add_authorized_key (sshd, other_key);

  first = add_tunnel (manager, sshd, burrow_test_sshd_get_client_key_path (sshd), NULL, burrow_test_echo_get_port (echo1));
  second = add_tunnel (manager, sshd, burrow_test_sshd_get_client_key_path (sshd), NULL, burrow_test_echo_get_port (echo2));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);
  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 1);
  g_assert_true (burrow_tunnel_get_chain (first) == burrow_tunnel_get_chain (second));

  g_assert_true (burrow_tunnel_start (first, &error));
  g_assert_true (burrow_tunnel_start (second, &error));
  g_assert_no_error (error);
  wait_until_up (first);
  wait_until_up (second);

  exchange (first);
  exchange (second);
  g_assert_cmpuint (burrow_test_echo_get_accepted (echo1), ==, 4);
  g_assert_cmpuint (burrow_test_echo_get_accepted (echo2), ==, 4);

  /* One SSH connection carries both tunnels. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 1);

  /* Stopping one leaves the other's session alone. */
  burrow_tunnel_stop (first);
  exchange (second);
  g_assert_cmpint (burrow_tunnel_get_state (second), ==, BURROW_TUNNEL_UP);

  third = add_tunnel (manager, sshd, burrow_test_sshd_get_client_key_path (other), NULL, burrow_test_echo_get_port (echo2));
  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 2);
  g_assert_true (burrow_tunnel_start (third, &error));
  wait_until_up (third);
  exchange (third);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 2);

  g_object_ref (second);
  burrow_tunnel_manager_remove (manager, second);
  g_assert_cmpint (burrow_tunnel_get_state (second), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);
  g_object_unref (second);

  burrow_tunnel_manager_stop_all (manager);
  g_assert_cmpint (burrow_tunnel_get_state (third), ==, BURROW_TUNNEL_STOPPED);
}

/* Same account, different secrets (a key's passphrase changed in one
 * connection only): two chains, so that neither signs in with the other's. */
static void
test_different_secrets_not_shared (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTunnelManager) manager = burrow_tunnel_manager_new ();
  BurrowTunnel *first;
  BurrowTunnel *second;
  BurrowTunnel *third;
  g_autoptr(GError) error = NULL;
  const char *key = burrow_test_sshd_get_client_key_path (sshd);

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  first = add_tunnel (manager, sshd, key, "old passphrase", 1);
  second = add_tunnel (manager, sshd, key, "new passphrase", 2);
  third = add_tunnel (manager, sshd, key, "new passphrase", 3);

  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 2);
  g_assert_true (burrow_tunnel_get_chain (first) != burrow_tunnel_get_chain (second));
  g_assert_true (burrow_tunnel_get_chain (second) == burrow_tunnel_get_chain (third));

  /* The key tells them apart without holding the secret. */
  g_assert_null (strstr (burrow_ssh_chain_get_key (burrow_tunnel_get_chain (first)), "passphrase"));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/tunnel-manager/shared-session", test_shared_session);
  g_test_add_func ("/burrow/tunnel-manager/different-secrets-not-shared", test_different_secrets_not_shared);

  return g_test_run ();
}
