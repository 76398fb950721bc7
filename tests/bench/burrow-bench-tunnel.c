/* burrow-bench-tunnel.c — runs one Burrow tunnel in the foreground, for the benchmark.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same core calls as `burrowctl up`, with the settings on the command
 * line instead of in a profile: prints "listening 127.0.0.1:PORT" once the
 * port is bound, state changes on stderr, keeps the tunnel up until SIGINT
 * or SIGTERM, then closes it cleanly and exits 0. Exits 1 with the error
 * and its hint when the tunnel fails.
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#include "burrow-core.h"

typedef struct
{
  GMainLoop *loop;
  int        status;
} Run;

static gboolean
on_signal (gpointer user_data)
{
  Run *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_state (BurrowTunnel *tunnel,
          GParamSpec   *pspec,
          gpointer      user_data)
{
  Run *run = user_data;
  BurrowTunnelState state = burrow_tunnel_get_state (tunnel);
  g_autoptr(GEnumClass) states = g_type_class_ref (BURROW_TYPE_TUNNEL_STATE);
  const GError *error = burrow_tunnel_get_error (tunnel);

  (void)pspec;

  fprintf (stderr, "state: %s", g_enum_get_value (states, state)->value_nick);
  if (state == BURROW_TUNNEL_UP)
    {
      BurrowSshSession *session = burrow_ssh_chain_get_session (burrow_tunnel_get_chain (tunnel));
      ssh_session handle = session != NULL ? burrow_ssh_session_get_handle (session) : NULL;

      if (handle != NULL)
        fprintf (stderr, ", cipher: %s", ssh_get_cipher_out (handle));
    }
  if (state == BURROW_TUNNEL_RECONNECTING)
    fprintf (stderr, " (attempt %u)", burrow_tunnel_get_attempt (tunnel));
  if (error != NULL)
    {
      g_autofree char *cause = burrow_error_dup_cause (error);

      fprintf (stderr, ": %s", cause);
    }
  fputc ('\n', stderr);

  if (state == BURROW_TUNNEL_FAILED)
    {
      const char *hint = error != NULL ? burrow_error_get_hint (error) : NULL;

      if (hint != NULL)
        fprintf (stderr, "  %s\n", hint);
      run->status = 1;
      g_main_loop_quit (run->loop);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *host = NULL, *user = NULL, *key = NULL, *known_hosts = NULL, *target = NULL;
  g_auto(GStrv) jumps = NULL;
  int port = 22, target_port = 0, local_port = 0;
  GOptionEntry entries[] = {
    { "ssh-host", 0, 0, G_OPTION_ARG_STRING, &host, "Bastion host", "HOST" },
    { "ssh-port", 0, 0, G_OPTION_ARG_INT, &port, "Bastion port", "PORT" },
    { "ssh-user", 0, 0, G_OPTION_ARG_STRING, &user, "User on the bastion", "USER" },
    { "ssh-key-file", 0, 0, G_OPTION_ARG_FILENAME, &key, "Private key (agent when absent)", "FILE" },
    { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, &known_hosts, "known_hosts file", "FILE" },
    { "jump", 0, 0, G_OPTION_ARG_STRING_ARRAY, &jumps, "Jump host, repeatable", "USER@HOST[:PORT]" },
    { "target-host", 0, 0, G_OPTION_ARG_STRING, &target, "Target as seen from the bastion", "HOST" },
    { "target-port", 0, 0, G_OPTION_ARG_INT, &target_port, "Target port", "PORT" },
    { "local-port", 0, 0, G_OPTION_ARG_INT, &local_port, "Local port, 0 for automatic", "PORT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— one Burrow tunnel in the foreground");
  g_autoptr(BurrowSshChain) chain = NULL;
  g_autoptr(BurrowSshAuth) auth = NULL;
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || host == NULL || user == NULL
      || target == NULL || target_port <= 0)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message
               : "--ssh-host, --ssh-user, --target-host and --target-port are needed");
      return 2;
    }

  chain = burrow_ssh_chain_new (host, port, user);
  if (!burrow_ssh_chain_set_jump_hosts (chain, (const char * const *)jumps, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  auth = key != NULL ? burrow_ssh_auth_new_key_file (key, NULL) : burrow_ssh_auth_new_agent ();
  burrow_ssh_chain_set_auth (chain, auth);
  if (known_hosts != NULL)
    burrow_ssh_chain_set_known_hosts_file (chain, known_hosts);
  tunnel = burrow_tunnel_new (chain, target, target_port, local_port);

  /* As burrowctl up does. */
  burrow_poll_install (NULL);
  run.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (tunnel, "notify::state", G_CALLBACK (on_state), &run);
  g_unix_signal_add (SIGINT, on_signal, &run);
  g_unix_signal_add (SIGTERM, on_signal, &run);

  if (!burrow_tunnel_start (tunnel, &error))
    {
      g_autofree char *cause = burrow_error_dup_cause (error);
      const char *hint = burrow_error_get_hint (error);

      fprintf (stderr, "%s\n", cause);
      if (hint != NULL)
        fprintf (stderr, "  %s\n", hint);
      return 1;
    }

  printf ("listening 127.0.0.1:%u\n", burrow_tunnel_get_bound_port (tunnel));
  fflush (stdout);

  g_main_loop_run (run.loop);

  g_signal_handlers_disconnect_by_data (tunnel, &run);
  burrow_tunnel_stop (tunnel);
  g_main_loop_unref (run.loop);

  return run.status;
}
