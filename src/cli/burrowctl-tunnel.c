/* burrowctl-tunnel.c — burrowctl test, trust and up: the engine at work.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "burrow-core.h"

#include "burrowctl.h"

/* The connection and what it needs to sign in, or the exit code. */
static int
load_connection (const char         *name,
                 BurrowCredentials **credentials_out)
{
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  profile = burrowctl_find_connection (name, NULL, &error);
  if (profile == NULL)
    return burrowctl_fail (error);

  burrow_credentials_load_async (profile, NULL, burrowctl_on_async_done, &result);
  *credentials_out = burrow_credentials_load_finish (burrowctl_wait (&result), &error);
  if (*credentials_out == NULL)
    return burrowctl_fail (error);

  return BURROWCTL_EXIT_OK;
}

static int
fail_tunnel_disabled (BurrowProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = g_strdup_printf (_("Connect to %s port %u directly, or turn the tunnel on with “burrowctl edit %s --ssh-host HOST”."),
                                           burrow_profile_get_db_host (profile),
                                           burrow_profile_get_db_port (profile),
                                           burrow_profile_get_name (profile));

  burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_SSH_HOST, hint,
                    _("“%s” has no SSH tunnel"), burrow_profile_get_name (profile));
  return burrowctl_fail (error);
}

/* burrowctl test NAME [--json] [--timeout SECONDS] */

static const char *
step_mark (BurrowProbeStepState state)
{
  switch (state)
    {
    case BURROW_PROBE_STEP_PASSED:
      return "✔";
    case BURROW_PROBE_STEP_FAILED:
      return "✘";
    case BURROW_PROBE_STEP_NOT_APPLICABLE:
      return "–";
    default:
      return "·";
    }
}

static void
print_step (BurrowProbe     *probe,
            BurrowProbeStep  step)
{
  BurrowProbeStepState state = burrow_probe_get_step_state (probe, step);
  const char *detail = burrow_probe_get_step_detail (probe, step);
  const GError *error = burrow_probe_get_step_error (probe, step);
  gint64 duration = burrow_probe_get_step_duration (probe, step);
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s %s", step_mark (state), burrow_probe_get_step_title (probe, step));
  if (duration >= 0)
    g_string_append_printf (line, "  %.1f ms", duration / 1000.0);
  if (state == BURROW_PROBE_STEP_NOT_RUN)
    g_string_append_printf (line, "  (%s)", _("not run"));
  else if (detail != NULL)
    g_string_append_printf (line, "  %s", detail);
  g_print ("%s\n", line->str);

  if (error != NULL)
    {
      g_autofree char *cause = burrow_error_dup_cause (error);
      const char *hint = burrow_error_get_hint (error);

      g_print ("    %s\n", cause);
      if (hint != NULL)
        g_print ("    %s\n", hint);
    }
}

/* Each step as it ends, so that a slow one shows where it stands. */
static void
on_probe_step_changed (BurrowProbe *probe,
                       guint        step,
                       gpointer     user_data)
{
  BurrowProbeStepState state = burrow_probe_get_step_state (probe, step);

  if (state == BURROW_PROBE_STEP_PASSED || state == BURROW_PROBE_STEP_FAILED ||
      state == BURROW_PROBE_STEP_NOT_RUN)
    {
      print_step (probe, step);
      fflush (stdout);
    }
}

static char *
probe_to_json (BurrowProbe *probe,
               const char  *name,
               gboolean     passed)
{
  g_autoptr(GString) out = g_string_new ("{\"connection\":");
  g_autofree char *command = burrow_probe_dup_ssh_command (probe);

  burrowctl_json_string (out, name);
  g_string_append_printf (out, ",\"passed\":%s,\"steps\":[", passed ? "true" : "false");

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      const GError *error = burrow_probe_get_step_error (probe, i);
      gint64 duration = burrow_probe_get_step_duration (probe, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"id\":");
      burrowctl_json_string (out, burrow_probe_step_to_id (i));
      g_string_append (out, ",\"title\":");
      burrowctl_json_string (out, burrow_probe_get_step_title (probe, i));
      g_string_append (out, ",\"state\":");
      burrowctl_json_string (out, burrow_probe_step_state_to_id (burrow_probe_get_step_state (probe, i)));
      if (duration >= 0)
        {
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          /* Not printf: in a locale with a decimal comma "%.3f" is not JSON. */
          g_string_append_printf (out, ",\"duration_ms\":%s",
                                  g_ascii_formatd (number, sizeof number, "%.3f", duration / 1000.0));
        }
      else
        g_string_append (out, ",\"duration_ms\":null");
      g_string_append (out, ",\"detail\":");
      burrowctl_json_string (out, burrow_probe_get_step_detail (probe, i));
      if (error != NULL)
        {
          g_autofree char *cause = burrow_error_dup_cause (error);

          g_string_append (out, ",\"error\":{\"message\":");
          burrowctl_json_string (out, cause);
          g_string_append (out, ",\"hint\":");
          burrowctl_json_string (out, burrow_error_get_hint (error));
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, '}');
    }

  g_string_append (out, "],\"host_key_fingerprint\":");
  burrowctl_json_string (out, burrow_probe_get_host_key_fingerprint (probe));
  g_string_append (out, ",\"ssh_command\":");
  burrowctl_json_string (out, command);
  g_string_append (out, "}\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

int
burrowctl_command_test (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  gboolean diagnostics = FALSE;
  int timeout = BURROW_PROBE_DEFAULT_STEP_TIMEOUT;
  gboolean passed;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "diagnostics", 0, 0, G_OPTION_ARG_NONE, &diagnostics, N_("Print the result as text for a support ticket (no secrets in it)"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds each step may take (10)"), N_("SECONDS") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Test a connection step by step: name, TCP, SSH handshake, host key, sign-in, channel, database login and a first query. Exits 0 only when every step passed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;
  if (timeout <= 0 || (json && diagnostics))
    return burrowctl_usage (context, NULL);

  if ((status = load_connection (argv[1], &credentials)) != BURROWCTL_EXIT_OK)
    return status;

  probe = burrow_probe_new (credentials);
  burrow_probe_set_step_timeout (probe, timeout);
  if (!json && !diagnostics)
    g_signal_connect (probe, "step-changed", G_CALLBACK (on_probe_step_changed), NULL);

  burrow_probe_run_async (probe, NULL, burrowctl_on_async_done, &result);
  passed = burrow_probe_run_finish (probe, burrowctl_wait (&result), &error);

  if (json)
    {
      g_autofree char *text = probe_to_json (probe, argv[1], passed);
      g_print ("%s", text);
    }
  else if (diagnostics)
    {
      g_autofree char *text = burrow_probe_dup_diagnostics (probe);
      g_print ("%s", text);
    }
  else if (burrow_probe_get_host_key_fingerprint (probe) != NULL)
    {
      g_autofree char *quoted = burrow_shell_word (argv[1]);

      g_print (_("\nCheck this fingerprint with the bastion’s administrator, then record it with:\n  burrowctl trust %s\n"),
               quoted);
    }
  else if (!passed)
    {
      g_autofree char *command = burrow_probe_dup_ssh_command (probe);

      if (command != NULL)
        g_print (_("\nTo try the same tunnel by hand with OpenSSH:\n  %s\n"), command);
    }

  return passed ? BURROWCTL_EXIT_OK : BURROWCTL_EXIT_FAILED;
}

/* burrowctl trust NAME [--yes] */

typedef struct
{
  GPtrArray *sessions;
} TrustRun;

static void
on_trust_chain_setup (BurrowSshChain   *chain,
                      BurrowSshSession *session,
                      guint             hop,
                      gpointer          user_data)
{
  TrustRun *run = user_data;

  g_ptr_array_add (run->sessions, g_object_ref (session));
}

static gboolean
confirm (const char *question)
{
  char answer[16] = "";

  if (!isatty (STDIN_FILENO))
    return FALSE;

  g_print ("%s [y/N] ", question);
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;

  return answer[0] == 'y' || answer[0] == 'Y';
}

/* Connects once and stops at the first failure or when up. */
static BurrowSshChainState
connect_once (BurrowSshChain *chain)
{
  BurrowSshChainState state;

  burrow_ssh_chain_hold (chain);
  for (;;)
    {
      state = burrow_ssh_chain_get_state (chain);
      if (state == BURROW_SSH_CHAIN_UP || state == BURROW_SSH_CHAIN_RECONNECTING ||
          state == BURROW_SSH_CHAIN_FAILED)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  return state;
}

int
burrowctl_command_trust (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowCredentials) credentials = NULL;
  gboolean yes = FALSE;
  gboolean recorded = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Record the key without asking"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Connect to the bastion (and each jump host), show its host key fingerprint, and record it in Burrow’s known_hosts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;

  if ((status = load_connection (argv[1], &credentials)) != BURROWCTL_EXIT_OK)
    return status;

  if (!burrow_profile_get_tunnel_enabled (burrow_credentials_get_profile (credentials)))
    return fail_tunnel_disabled (burrow_credentials_get_profile (credentials));

  /* One pass per hop at most: each pass may record one more key. */
  for (guint pass = 0; ; pass++)
    {
      g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(BurrowSshChain) chain = NULL;
      g_autoptr(GError) error = NULL;
      TrustRun run = { sessions };
      BurrowSshSession *last;
      BurrowSshChainState state;
      const GError *chain_error;

      chain = burrow_credentials_build_chain (credentials, &error);
      if (chain == NULL)
        return burrowctl_fail (error);

      burrow_ssh_chain_set_setup_func (chain, on_trust_chain_setup, &run, NULL);
      state = connect_once (chain);
      chain_error = burrow_ssh_chain_get_error (chain);
      error = chain_error != NULL ? g_error_copy (chain_error) : NULL;
      burrow_ssh_chain_release (chain);

      last = sessions->len > 0 ? g_ptr_array_index (sessions, sessions->len - 1) : NULL;

      if (state == BURROW_SSH_CHAIN_UP ||
          (last != NULL && sessions->len == burrow_ssh_chain_get_n_hops (chain) &&
           burrow_ssh_session_get_phase_time (last, BURROW_SSH_PHASE_HOST_KEY_CHECKED) != 0))
        {
          /* Every host key is known; signing in may still fail, which
           * `burrowctl test` explains. */
          if (!recorded)
            g_print (_("The host keys of “%s” are recorded already.\n"), argv[1]);
          if (error != NULL)
            burrowctl_print_warning (error);
          return BURROWCTL_EXIT_OK;
        }

      if (!g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN) || last == NULL ||
          pass > burrow_ssh_chain_get_n_hops (chain))
        return burrowctl_fail (error);

      g_print (_("%s port %u presents this %s host key:\n  %s\n"),
               burrow_ssh_session_get_host (last), burrow_ssh_session_get_port (last),
               burrow_ssh_session_get_host_key_type (last),
               burrow_ssh_session_get_host_key_fingerprint (last));

      if (!yes && !confirm (_("Is this the fingerprint the bastion’s administrator gave you?")))
        {
          g_clear_error (&error);
          burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN,
                            _("Compare it with “ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub” run on the bastion, then run “burrowctl trust NAME --yes”."),
                            _("The host key was not recorded."));
          return burrowctl_fail (error);
        }

      g_clear_error (&error);
      if (!burrow_ssh_session_trust_host_key (last, &error))
        return burrowctl_fail (error);

      g_print (_("Recorded.\n"));
      recorded = TRUE;
    }
}

/* burrowctl up NAME */

typedef struct
{
  GMainLoop    *loop;
  BurrowTunnel *tunnel;
  const char   *name;
  int           status;
} UpRun;

static gboolean
on_up_signal (gpointer user_data)
{
  UpRun *run = user_data;

  g_printerr (_("Stopping.\n"));
  burrow_tunnel_stop (run->tunnel);
  run->status = BURROWCTL_EXIT_OK;
  g_main_loop_quit (run->loop);

  return G_SOURCE_CONTINUE;
}

static void
on_up_tunnel_state (BurrowTunnel *tunnel,
                    GParamSpec   *pspec,
                    UpRun        *run)
{
  const GError *error = burrow_tunnel_get_error (tunnel);
  g_autofree char *cause = error != NULL ? burrow_error_dup_cause (error) : NULL;

  switch (burrow_tunnel_get_state (tunnel))
    {
    case BURROW_TUNNEL_CONNECTING:
      g_printerr (_("connecting\n"));
      break;

    case BURROW_TUNNEL_UP:
      g_printerr (_("up\n"));
      break;

    case BURROW_TUNNEL_RECONNECTING:
      /* When the next try comes is known a moment later: see
       * on_up_tunnel_next_try(). */
      g_printerr (_("connection lost%s%s\n"), cause != NULL ? ": " : "", cause != NULL ? cause : "");
      break;

    case BURROW_TUNNEL_FAILED:
      /* Only what a retry cannot fix ends here: a host key, credentials,
       * a bastion that refuses forwarding. */
      if (error != NULL)
        burrowctl_fail (error);
      if (g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN))
        {
          g_autofree char *quoted = burrow_shell_word (run->name);

          g_printerr (_("  Check the fingerprint, then record it with “burrowctl trust %s”.\n"), quoted);
        }
      run->status = BURROWCTL_EXIT_FAILED;
      g_main_loop_quit (run->loop);
      break;

    case BURROW_TUNNEL_STOPPED:
    default:
      break;
    }
}

/* Each retry while reconnecting, with its wait. */
static void
on_up_tunnel_next_try (BurrowTunnel *tunnel,
                       GParamSpec   *pspec,
                       UpRun        *run)
{
  gint64 next_try = burrow_tunnel_get_next_try (tunnel);
  gint64 wait;

  if (next_try == 0 || burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_RECONNECTING)
    return;

  /* next-try is wall-clock time; "attempt" counts the tries made so far. */
  wait = (next_try - g_get_real_time () + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
  g_printerr (_("reconnecting: attempt %u in %d s\n"),
              burrow_tunnel_get_attempt (tunnel) + 1, (int)MAX (wait, 0));
}

int
burrowctl_command_up (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowSshChain) chain = NULL;
  g_autoptr(BurrowTunnel) tunnel = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  BurrowProfile *profile;
  UpRun run = { 0 };
  guint sigint, sigterm;
  int status;

  g_option_context_set_summary (context, _("Bring the tunnel up in the foreground: print “listening 127.0.0.1:PORT” once it listens, reconnect by itself, and stop on Ctrl+C or SIGTERM."));
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;

  if ((status = load_connection (argv[1], &credentials)) != BURROWCTL_EXIT_OK)
    return status;

  profile = burrow_credentials_get_profile (credentials);
  if (!burrow_profile_get_tunnel_enabled (profile))
    return fail_tunnel_disabled (profile);

  chain = burrow_credentials_build_chain (credentials, &error);
  if (chain == NULL)
    return burrowctl_fail (error);

  tunnel = burrow_tunnel_new (chain, burrow_profile_get_db_host (profile),
                              burrow_profile_get_db_port (profile),
                              burrow_profile_get_local_port (profile));

  /* The tunnel is all this loop runs: let it answer small messages
   * without a wake-up's delay. */
  burrow_poll_install (NULL);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.tunnel = tunnel;
  run.name = argv[1];
  run.status = BURROWCTL_EXIT_OK;
  g_signal_connect (tunnel, "notify::state", G_CALLBACK (on_up_tunnel_state), &run);
  g_signal_connect (tunnel, "notify::next-try", G_CALLBACK (on_up_tunnel_next_try), &run);

  if (!burrow_tunnel_start (tunnel, &error))
    return burrowctl_fail (error);

  /* The contract with scripts: this line, on stdout, as soon as the port
   * accepts connections. */
  g_print ("listening 127.0.0.1:%u\n", burrow_tunnel_get_bound_port (tunnel));
  fflush (stdout);

  sigint = g_unix_signal_add (SIGINT, on_up_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_up_signal, &run);

  if (burrow_tunnel_get_state (tunnel) != BURROW_TUNNEL_FAILED)
    g_main_loop_run (loop);
  else
    run.status = BURROWCTL_EXIT_FAILED;

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (tunnel, &run);
  burrow_tunnel_stop (tunnel);

  return run.status;
}
