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

/* A private bus that stands for the system bus, set up before any chain
 * looks for it (GLib keeps the first system bus it finds for the whole
 * process). */
static GTestDBus *system_bus;

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

static BurrowTunnel *
new_tunnel (BurrowTestSshd *sshd,
            const char     *key_file,
            guint16         target_port)
{
  BurrowTunnel *tunnel = burrow_tunnel_new ();

  g_object_set (tunnel,
                "ssh-host", "127.0.0.1",
                "ssh-port", (guint)burrow_test_sshd_get_port (sshd),
                "ssh-user", burrow_test_sshd_get_user (sshd),
                "ssh-auth-method", BURROW_SSH_AUTH_KEY_FILE,
                "ssh-key-file", key_file,
                "target-host", "127.0.0.1",
                "target-port", (guint)target_port,
                NULL);

  return tunnel;
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
  g_autoptr(BurrowTunnel) first = NULL;
  g_autoptr(BurrowTunnel) second = NULL;
  g_autoptr(BurrowTunnel) third = NULL;
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *other_key = burrow_test_sshd_get_client_public_key (other);
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);
  /* A second key for the same account: another way of signing in is
   * another chain. */
  burrow_test_sshd_add_authorized_key (sshd, other_key);

  first = new_tunnel (sshd, burrow_test_sshd_get_client_key_path (sshd), burrow_test_echo_get_port (echo1));
  second = new_tunnel (sshd, burrow_test_sshd_get_client_key_path (sshd), burrow_test_echo_get_port (echo2));
  third = new_tunnel (sshd, burrow_test_sshd_get_client_key_path (other), burrow_test_echo_get_port (echo2));

  g_assert_true (burrow_tunnel_manager_add (manager, first, &error));
  g_assert_no_error (error);
  g_assert_true (burrow_tunnel_manager_add (manager, second, &error));
  g_assert_no_error (error);
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

  g_assert_true (burrow_tunnel_manager_add (manager, third, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 2);
  g_assert_true (burrow_tunnel_start (third, &error));
  wait_until_up (third);
  exchange (third);
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, 0), ==, 2);

  burrow_tunnel_manager_remove (manager, second);
  g_assert_cmpint (burrow_tunnel_get_state (second), ==, BURROW_TUNNEL_STOPPED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);

  burrow_tunnel_manager_stop_all (manager);
  g_assert_cmpint (burrow_tunnel_get_state (third), ==, BURROW_TUNNEL_STOPPED);
}

typedef struct
{
  gboolean immediate;   /* a retry was scheduled for now */
} Retries;

static void
on_next_try (BurrowSshChain *chain,
             GParamSpec     *pspec,
             gpointer        user_data)
{
  Retries *retries = user_data;
  gint64 next_try = burrow_ssh_chain_get_next_try (chain);

  (void)pspec;
  if (next_try != 0 && next_try <= g_get_real_time ())
    retries->immediate = TRUE;
}

/* logind's PrepareForSleep(false), on the system bus, skips the backoff.
 * The test owns logind's name on its private system bus. */
/* Same account, different secrets (a key's passphrase changed in one
 * connection only): two chains, so that neither signs in with the other's. */
static void
test_different_secrets_not_shared (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTunnelManager) manager = burrow_tunnel_manager_new ();
  g_autoptr(BurrowTunnel) first = NULL;
  g_autoptr(BurrowTunnel) second = NULL;
  g_autoptr(BurrowTunnel) third = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = burrow_test_sshd_get_client_key_path (sshd);

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  first = new_tunnel (sshd, key, 1);
  second = new_tunnel (sshd, key, 2);
  third = new_tunnel (sshd, key, 3);
  burrow_tunnel_set_ssh_secret (first, "old passphrase");
  burrow_tunnel_set_ssh_secret (second, "new passphrase");
  burrow_tunnel_set_ssh_secret (third, "new passphrase");

  g_assert_true (burrow_tunnel_manager_add (manager, first, &error));
  g_assert_true (burrow_tunnel_manager_add (manager, second, &error));
  g_assert_true (burrow_tunnel_manager_add (manager, third, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (burrow_tunnel_manager_get_n_chains (manager), ==, 2);
  g_assert_true (burrow_tunnel_get_chain (first) != burrow_tunnel_get_chain (second));
  g_assert_true (burrow_tunnel_get_chain (second) == burrow_tunnel_get_chain (third));

  /* The key tells them apart without holding the secret. */
  g_assert_null (strstr (burrow_ssh_chain_get_key (burrow_tunnel_get_chain (first)), "passphrase"));
}

static void
test_resume_from_sleep (void)
{
  g_autoptr(GDBusConnection) logind = NULL;
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  Retries retries = { FALSE };
  gboolean hung = FALSE;
  guint guard;

  logind = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (system_bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (logind, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);
  tunnel = new_tunnel (sshd, burrow_test_sshd_get_client_key_path (sshd), burrow_test_echo_get_port (echo));
  g_assert_true (burrow_tunnel_start (tunnel, &error));
  wait_until_up (tunnel);

  /* The bastion goes away; wait until a retry is scheduled for later. */
  burrow_test_sshd_stop (sshd);
  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (!(burrow_tunnel_get_attempt (tunnel) >= 2 && burrow_tunnel_get_next_try (tunnel) > g_get_real_time ())
         && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);

  g_signal_connect (burrow_tunnel_get_chain (tunnel), "notify::next-try", G_CALLBACK (on_next_try), &retries);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);

  /* Going to sleep changes nothing; waking up retries now. */
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", TRUE), &error);
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);

  guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
  while (!retries.immediate && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
  wait_until_up (tunnel);

  g_signal_handlers_disconnect_by_data (burrow_tunnel_get_chain (tunnel), &retries);
  burrow_tunnel_stop (tunnel);
  g_dbus_connection_close_sync (logind, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  system_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (system_bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (system_bus), TRUE);

  g_test_add_func ("/burrow/tunnel-manager/shared-session", test_shared_session);
  g_test_add_func ("/burrow/tunnel-manager/different-secrets-not-shared", test_different_secrets_not_shared);
  g_test_add_func ("/burrow/tunnel-manager/resume-from-sleep", test_resume_from_sleep);

  status = g_test_run ();

  /* Chains keep the bus connection, a process-wide singleton: stop the
   * bus without waiting for it to be finalized. */
  g_test_dbus_stop (system_bus);
  g_object_unref (system_bus);

  return status;
}
