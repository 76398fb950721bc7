/* test-tunnel-manager.c — tunnels to the same bastion account share one
 * SSH session; tunnels to different accounts do not; the I/O priority
 * reaches every source that moves a tunnel's bytes.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-source.h"
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

/* GDK_PRIORITY_REDRAW, a window's drawing (tests of src/core do not
 * include GTK). */
#define REDRAW_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)
#define BULK_CONNECTIONS 2
#define BULK_BYTES (16 * 1024 * 1024)

/* A stand-in for a window's frame clock: a frame falls due at every tick
 * of a timer, and is painted by an idle at the redraw priority. */
typedef struct
{
  BurrowTunnel *tunnel;
  guint         paint_source;
  guint64       bytes_when_due;
  guint         painted_during_bulk;
  guint         painted_late;   /* after the tunnel moved bytes while the frame was due */
} Frames;

static guint64
tunnel_bytes (BurrowTunnel *tunnel)
{
  return burrow_tunnel_get_bytes_sent (tunnel) + burrow_tunnel_get_bytes_received (tunnel);
}

static gboolean
on_frame_paint (gpointer user_data)
{
  Frames *frames = user_data;

  frames->paint_source = 0;
  if (frames->bytes_when_due > 0 && frames->bytes_when_due < 2 * (guint64)BULK_CONNECTIONS * BULK_BYTES)
    frames->painted_during_bulk++;
  if (tunnel_bytes (frames->tunnel) != frames->bytes_when_due)
    frames->painted_late++;

  return G_SOURCE_REMOVE;
}

static gboolean
on_frame_due (gpointer user_data)
{
  Frames *frames = user_data;

  if (frames->paint_source == 0)
    {
      GSource *paint = g_idle_source_new ();

      g_source_set_priority (paint, REDRAW_PRIORITY);
      frames->bytes_when_due = tunnel_bytes (frames->tunnel);
      frames->paint_source = burrow_source_attach (NULL, paint, on_frame_paint, frames);
    }

  return G_SOURCE_CONTINUE;
}

static gpointer
bulk_thread (gpointer data)
{
  Exchange *exchange = data;

  burrow_test_echo_exchange (exchange->port, BULK_CONNECTIONS, BULK_BYTES, &exchange->error);

  return NULL;
}

/* With the tunnels' I/O just below the redraw priority, no byte moves
 * between a frame falling due and its paint, however busy the tunnel:
 * GLib dispatches only the most urgent ready sources, and the paint is
 * ready at once. At G_PRIORITY_DEFAULT the SSH socket and the pumps, ready
 * at every pass under bulk, run first. Through a jump host the bytes also
 * go through the chain's own pump and a second session. */
static void
test_io_priority (gconstpointer data)
{
  gboolean through_jump = GPOINTER_TO_INT (data);
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowTunnelManager) manager = burrow_tunnel_manager_new ();
  g_autoptr(BurrowSshChain) chain = NULL;
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(GError) error = NULL;
  Frames frames = { NULL };
  Exchange exchange = { 0, NULL };
  guint tick;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_test_sshd_write_known_host (sshd, known_hosts);

  g_assert_cmpint (burrow_tunnel_manager_get_io_priority (manager), ==, G_PRIORITY_DEFAULT);
  burrow_tunnel_manager_set_io_priority (manager, REDRAW_PRIORITY + 1);

  chain = new_chain (sshd, burrow_test_sshd_get_client_key_path (sshd), NULL);
  if (through_jump)
    {
      /* The same server is the jump host and the bastion. */
      g_autofree char *hop = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (sshd),
                                              burrow_test_sshd_get_port (sshd));
      const char *jumps[] = { hop, NULL };

      g_assert_true (burrow_ssh_chain_set_jump_hosts (chain, jumps, &error));
      g_assert_no_error (error);
    }
  frames.tunnel = burrow_tunnel_manager_add (manager, chain, "127.0.0.1", burrow_test_echo_get_port (echo), 0);
  g_assert_cmpint (burrow_ssh_chain_get_io_priority (chain), ==, REDRAW_PRIORITY + 1);
  g_assert_cmpint (burrow_tunnel_get_io_priority (frames.tunnel), ==, REDRAW_PRIORITY + 1);
  g_assert_true (burrow_tunnel_start (frames.tunnel, &error));
  g_assert_no_error (error);
  wait_until_up (frames.tunnel);
  g_assert_cmpuint (burrow_ssh_chain_get_n_hops (chain), ==, through_jump ? 2 : 1);

  tick = g_timeout_add (1, on_frame_due, &frames);
  exchange.port = burrow_tunnel_get_bound_port (frames.tunnel);
  burrow_test_run_thread (bulk_thread, &exchange);
  g_assert_no_error (exchange.error);
  g_source_remove (tick);
  burrow_source_clear (NULL, &frames.paint_source);

  g_assert_cmpuint (tunnel_bytes (frames.tunnel), ==, 2 * (guint64)BULK_CONNECTIONS * BULK_BYTES);
  g_test_message ("frames painted during the transfer: %u, after bytes moved while due: %u",
                  frames.painted_during_bulk, frames.painted_late);
  g_assert_cmpuint (frames.painted_during_bulk, >, 0);
  g_assert_cmpuint (frames.painted_late, ==, 0);

  burrow_tunnel_manager_stop_all (manager);
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
  g_test_add_data_func ("/burrow/tunnel-manager/io-priority", GINT_TO_POINTER (FALSE), test_io_priority);
  g_test_add_data_func ("/burrow/tunnel-manager/io-priority-through-jump", GINT_TO_POINTER (TRUE), test_io_priority);

  return g_test_run ();
}
