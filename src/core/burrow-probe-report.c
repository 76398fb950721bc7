/* burrow-probe-report.c — the test connection as text: diagnostics to
 * copy, and the OpenSSH command that opens the same tunnel.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here holds a secret, and nothing here may print one: the text
 * goes into support tickets.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-jump-host.h"
#include "burrow-probe-private.h"
#include "burrow-shell.h"
#include "burrow-version.h"

const char *
burrow_probe_auth_method_text (BurrowProfileAuth auth)
{
  switch (auth)
    {
    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      return _("Burrow’s own key");
    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      return _("the pasted private key");
    case BURROW_PROFILE_AUTH_KEY_FILE:
      return _("a key file");
    case BURROW_PROFILE_AUTH_AGENT:
      return _("ssh-agent");
    case BURROW_PROFILE_AUTH_PASSWORD:
      return _("a password");
    default:
      return "?";
    }
}

/* A step's time as a person reads it: milliseconds while they are few,
 * seconds from one second on ("0.3 ms", "18.1 ms", "10.0 s"). */
char *
burrow_probe_format_duration (gint64 usec)
{
  if (usec < 0)
    return NULL;

  if (usec < G_USEC_PER_SEC)
    /* TRANSLATORS: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), usec / 1000.0);

  /* TRANSLATORS: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), usec / (double) G_USEC_PER_SEC);
}

static void
append_quoted (GString    *command,
               const char *word)
{
  g_autofree char *quoted = burrow_shell_word (word);

  g_string_append_c (command, ' ');
  g_string_append (command, quoted);
}

/* The OpenSSH command that opens the same tunnel, for trying it by hand. */
char *
burrow_probe_dup_ssh_command (BurrowProbe *self)
{
  BurrowProfile *p;
  g_autoptr(GString) command = g_string_new ("ssh -N");
  const char * const *jumps;
  g_autofree char *forward = NULL;
  g_autofree char *database = NULL;
  g_autofree char *destination = NULL;
  guint local_port;

  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  p = burrow_probe_get_profile (self);
  if (!burrow_profile_get_tunnel_enabled (p))
    return NULL;

  local_port = burrow_profile_get_local_port (p);
  if (local_port == 0)
    local_port = burrow_db_kind_get_default_port (burrow_profile_get_db_kind (p)) + 10000;
  database = burrow_format_host_port (burrow_profile_get_db_host (p), burrow_profile_get_db_port (p));
  forward = g_strdup_printf ("127.0.0.1:%u:%s", local_port, database);
  append_quoted (command, "-L");
  append_quoted (command, forward);

  if (burrow_profile_get_ssh_port (p) != 22)
    {
      g_autofree char *port = g_strdup_printf ("%u", burrow_profile_get_ssh_port (p));

      append_quoted (command, "-p");
      append_quoted (command, port);
    }

  jumps = burrow_profile_get_jump_hosts (p);
  if (jumps != NULL && jumps[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", (char **)jumps);

      append_quoted (command, "-J");
      append_quoted (command, joined);
    }

  if (burrow_profile_get_ssh_auth (p) == BURROW_PROFILE_AUTH_KEY_FILE)
    {
      append_quoted (command, "-i");
      append_quoted (command, burrow_profile_get_ssh_key_file (p));
    }

  destination = g_strdup_printf ("%s@%s", burrow_profile_get_ssh_user (p), burrow_profile_get_ssh_host (p));
  append_quoted (command, destination);

  return g_string_free (g_steal_pointer (&command), FALSE);
}

static const char *
state_mark (BurrowProbeStepState state)
{
  switch (state)
    {
    case BURROW_PROBE_STEP_PASSED:
      return "✔";
    case BURROW_PROBE_STEP_FAILED:
      return "✘";
    case BURROW_PROBE_STEP_RUNNING:
      return "…";
    case BURROW_PROBE_STEP_NOT_APPLICABLE:
      return "–";
    case BURROW_PROBE_STEP_PENDING:
    case BURROW_PROBE_STEP_NOT_RUN:
    default:
      return "·";
    }
}

/* Text for a support ticket: what was tested and what happened, with no
 * secret in it. */
char *
burrow_probe_dup_diagnostics (BurrowProbe *self)
{
  BurrowProfile *p;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = NULL;
  g_autofree char *libraries = burrow_version_libraries ();
  g_autofree char *command = NULL;

  g_return_val_if_fail (BURROW_IS_PROBE (self), NULL);

  p = burrow_probe_get_profile (self);
  when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S %z");

  g_string_append_printf (text, _("Test of “%s”, %s\n"), burrow_profile_get_name (p), when);
  g_string_append_printf (text, _("Database: %s at %s port %u, database “%s”, user “%s”\n"),
                          burrow_db_kind_get_display_name (burrow_profile_get_db_kind (p)),
                          burrow_profile_get_db_host (p), burrow_profile_get_db_port (p),
                          burrow_profile_get_db_name (p) ? burrow_profile_get_db_name (p) : "",
                          burrow_profile_get_db_user (p) ? burrow_profile_get_db_user (p) : "");

  if (burrow_profile_get_tunnel_enabled (p))
    {
      const char * const *jumps = burrow_profile_get_jump_hosts (p);

      g_string_append_printf (text, _("SSH tunnel: %s@%s port %u, signing in with %s\n"),
                              burrow_profile_get_ssh_user (p), burrow_profile_get_ssh_host (p),
                              burrow_profile_get_ssh_port (p),
                              burrow_probe_auth_method_text (burrow_profile_get_ssh_auth (p)));
      if (jumps != NULL && jumps[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", (char **)jumps);
          g_string_append_printf (text, _("Jump hosts: %s\n"), joined);
        }
    }
  else
    g_string_append (text, _("No SSH tunnel\n"));

  g_string_append_c (text, '\n');

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      BurrowProbeStep *step = burrow_probe_get_step (self, i);
      gint64 duration = burrow_probe_step_get_duration (step);
      const char *detail = burrow_probe_step_get_detail (step);
      const char *cause = burrow_probe_step_get_cause (step);
      const char *hint = burrow_probe_step_get_hint (step);

      g_string_append_printf (text, "%s %s", state_mark (burrow_probe_step_get_state (step)),
                              burrow_probe_step_get_title (step));
      if (duration >= 0)
        {
          g_autofree char *took = burrow_probe_format_duration (duration);
          g_string_append_printf (text, " (%s)", took);
        }
      if (detail != NULL)
        g_string_append_printf (text, ": %s", detail);
      g_string_append_c (text, '\n');

      if (cause != NULL)
        g_string_append_printf (text, "    %s\n", cause);
      if (hint != NULL)
        g_string_append_printf (text, "    %s\n", hint);
    }

  command = burrow_probe_dup_ssh_command (self);
  if (command != NULL)
    {
      BurrowProfileAuth auth = burrow_profile_get_ssh_auth (p);

      g_string_append_printf (text, _("\nThe same tunnel with OpenSSH:\n  %s\n"), command);
      if (auth == BURROW_PROFILE_AUTH_WORKSPACE_KEY || auth == BURROW_PROFILE_AUTH_PRIVATE_KEY)
        g_string_append (text, _("  (The key Burrow signs in with stays in the keyring: add one of your own with -i, or use ssh-agent.)\n"));
    }

  g_string_append_printf (text, "\n%s", libraries);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
