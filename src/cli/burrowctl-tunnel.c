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

/* The command's engine and the connection called @name, or the exit
 * code. */
static int
open_connection (const char        *name,
                 BurrowEngine     **engine_out,
                 BurrowConnection **connection_out)
{
  g_autoptr(GError) error = NULL;

  *engine_out = burrowctl_open_engine (&error);
  if (*engine_out == NULL)
    return burrowctl_fail (error);

  *connection_out = burrowctl_find_connection (*engine_out, name, &error);
  if (*connection_out == NULL)
    return burrowctl_fail (error);

  burrowctl_answer_on_terminal (*engine_out);
  return BURROWCTL_EXIT_OK;
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
print_step (BurrowProbe       *probe,
            BurrowProbeStepId  step)
{
  BurrowProbeStepState state = burrow_probe_get_step_state (probe, step);
  const char *detail = burrow_probe_get_step_detail (probe, step);
  const GError *error = burrow_probe_get_step_error (probe, step);
  g_autofree char *took = burrow_probe_format_duration (burrow_probe_get_step_duration (probe, step));
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s %s", step_mark (state), burrow_probe_get_step_title (probe, step));
  if (took != NULL)
    g_string_append_printf (line, "  %s", took);
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
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GAsyncResult) prepared = NULL;
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

  if ((status = open_connection (argv[1], &engine, &connection)) != BURROWCTL_EXIT_OK)
    return status;

  /* The probe is made before it runs, so that each step can be printed
   * as it ends. */
  credentials = burrow_credentials_new (burrow_connection_get_profile (connection));
  burrow_engine_prepare_probe_async (engine, credentials, NULL, burrowctl_on_async_done, &prepared);
  probe = burrow_engine_prepare_probe_finish (engine, burrowctl_wait (&prepared), &error);
  if (probe == NULL)
    return burrowctl_fail (error);
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
  gboolean yes;
  guint    recorded;
} TrustRun;

static gboolean
confirm (const char *question)
{
  char answer[16] = "";

  if (!burrowctl_stdin_is_terminal ())
    return FALSE;

  g_print ("%s [y/N] ", question);
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;

  return answer[0] == 'y' || answer[0] == 'Y';
}

/* Each host key not recorded yet, shown, and recorded once confirmed (or
 * with --yes). */
static gboolean
on_trust_ask (BurrowEngine   *engine,
              BurrowQuestion *question,
              gpointer        user_data)
{
  TrustRun *run = user_data;
  BurrowHostKey *key = burrow_question_get_host_key (question);

  if (burrow_question_get_kind (question) != BURROW_QUESTION_HOST_KEY)
    return FALSE;

  g_print (_("%s port %u presents this %s host key:\n  %s\n"),
           burrow_host_key_get_host (key), burrow_host_key_get_port (key),
           burrow_host_key_get_key_type (key), burrow_host_key_get_fingerprint (key));
  fflush (stdout);

  if (run->yes || confirm (_("Is this the fingerprint the bastion’s administrator gave you?")))
    {
      run->recorded++;
      burrow_question_answer (question, "yes");
    }
  else
    burrow_question_cancel (question);

  return TRUE;
}

int
burrowctl_command_trust (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TrustRun run = { FALSE, 0 };
  int status;
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &run.yes, N_("Record the key without asking"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Connect to the bastion (and each jump host), show its host key fingerprint, and record it in Burrow’s known_hosts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;

  if ((status = open_connection (argv[1], &engine, &connection)) != BURROWCTL_EXIT_OK)
    return status;
  g_signal_connect (engine, "ask", G_CALLBACK (on_trust_ask), &run);

  burrow_engine_trust_async (engine, connection, NULL, burrowctl_on_async_done, &result);
  if (!burrow_engine_trust_finish (engine, burrowctl_wait (&result), &error))
    return burrowctl_fail (error);

  if (run.recorded > 0)
    g_print (_("Recorded.\n"));
  else
    g_print (_("The host keys of “%s” are recorded already.\n"), argv[1]);

  /* Trusting a key does not need the sign-in to work, but a person who
   * runs trust means to connect next: say now when that will fail. */
  if (burrow_engine_trust_get_sign_in_error (engine, result) != NULL)
    burrowctl_print_warning (burrow_engine_trust_get_sign_in_error (engine, result));

  return BURROWCTL_EXIT_OK;
}

/* burrowctl up NAME */

typedef struct
{
  GMainLoop    *loop;
  BurrowEngine *engine;
  const char   *name;
  int           status;
} UpRun;

static gboolean
on_up_signal (gpointer user_data)
{
  UpRun *run = user_data;

  g_printerr (_("Stopping.\n"));
  run->status = BURROWCTL_EXIT_OK;
  g_main_loop_quit (run->loop);

  return G_SOURCE_CONTINUE;
}

static void
on_up_state (BurrowConnection *connection,
             GParamSpec       *pspec,
             UpRun            *run)
{
  const GError *error = burrow_connection_get_error (connection);
  g_autofree char *cause = error != NULL ? burrow_error_dup_cause (error) : NULL;

  switch (burrow_connection_get_state (connection))
    {
    case BURROW_TUNNEL_CONNECTING:
      g_printerr (_("connecting\n"));
      break;

    case BURROW_TUNNEL_UP:
      g_printerr (_("up\n"));
      break;

    case BURROW_TUNNEL_RECONNECTING:
      /* When the next try comes is known a moment later: see
       * on_up_next_try(). */
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
on_up_next_try (BurrowConnection *connection,
                GParamSpec       *pspec,
                UpRun            *run)
{
  gint64 next_try = burrow_connection_get_next_try (connection);
  gint64 wait;

  if (next_try == 0 || burrow_connection_get_state (connection) != BURROW_TUNNEL_RECONNECTING)
    return;

  /* next-try is wall-clock time; "attempt" counts the tries made so far. */
  wait = (next_try - g_get_real_time () + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
  g_printerr (_("reconnecting: attempt %u in %d s\n"),
              burrow_connection_get_attempt (connection) + 1, (int)MAX (wait, 0));
}

int
burrowctl_command_up (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  UpRun run = { 0 };
  guint sigint, sigterm;
  int status;

  g_option_context_set_summary (context, _("Bring the tunnel up in the foreground: print “listening 127.0.0.1:PORT” once it listens, reconnect by itself, and stop on Ctrl+C or SIGTERM."));
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;

  if ((status = open_connection (argv[1], &engine, &connection)) != BURROWCTL_EXIT_OK)
    return status;

  /* The tunnel is all this loop runs: let it answer small messages
   * without a wake-up's delay. */
  burrow_poll_install (NULL);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.engine = engine;
  run.name = argv[1];
  run.status = BURROWCTL_EXIT_OK;

  sigint = g_unix_signal_add (SIGINT, on_up_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_up_signal, &run);

  burrow_engine_connect_async (engine, connection, NULL, burrowctl_on_async_done, &result);
  if (!burrow_engine_connect_finish (engine, burrowctl_wait (&result), &error))
    {
      g_source_remove (sigint);
      g_source_remove (sigterm);
      return burrowctl_fail (error);
    }

  /* The contract with scripts: this line, on stdout, as soon as the port
   * accepts connections. */
  g_print ("listening %s\n", burrow_connection_get_local_address (connection));
  fflush (stdout);

  g_signal_connect (connection, "notify::state", G_CALLBACK (on_up_state), &run);
  g_signal_connect (connection, "notify::next-try", G_CALLBACK (on_up_next_try), &run);

  if (burrow_connection_get_state (connection) != BURROW_TUNNEL_FAILED)
    g_main_loop_run (loop);
  else
    on_up_state (connection, NULL, &run);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (connection, &run);

  {
    g_autoptr(GAsyncResult) stopped = NULL;

    burrow_engine_disconnect_async (engine, connection, NULL, burrowctl_on_async_done, &stopped);
    burrow_engine_disconnect_finish (engine, burrowctl_wait (&stopped), NULL);
  }

  return run.status;
}
