/* burrow-connection-state.c — how a connection's state reads, in the list
 * and on its page.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One wording for the row and the banner: "Up on 127.0.0.1:15432",
 * "Retry in 8 s, attempt 3", "Failed: <cause>". A connect that is still
 * loading its secrets reads as connecting, although no tunnel exists yet.
 * A tunnel that another Burrow process runs (burrowctl up) reads as up
 * there, in the engine's words: "Runs in burrowctl (pid 4242) on
 * 127.0.0.1:15432".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-connection-state.h"
#include "burrow-source.h"

BurrowTunnelState
burrow_connection_state_get_shown (BurrowConnection *connection)
{
  BurrowTunnelState state;

  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), BURROW_TUNNEL_STOPPED);

  state = burrow_connection_get_state (connection);
  if (burrow_connection_get_busy (connection) &&
      (state == BURROW_TUNNEL_STOPPED || state == BURROW_TUNNEL_FAILED))
    return BURROW_TUNNEL_CONNECTING;

  return state;
}

/* Whether another Burrow process runs @connection's tunnel while this
 * one does not: it is up, but not here. A connect that failed because
 * of it (its port is taken by that very tunnel) reads as up there too. */
gboolean
burrow_connection_state_is_elsewhere (BurrowConnection *connection)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), FALSE);

  if (burrow_connection_get_running_elsewhere (connection) == 0)
    return FALSE;

  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_STOPPED:
    case BURROW_TUNNEL_FAILED:
      return TRUE;
    case BURROW_TUNNEL_CONNECTING:
    case BURROW_TUNNEL_UP:
    case BURROW_TUNNEL_RECONNECTING:
    default:
      return FALSE;
    }
}

/* "127.0.0.1:15432" where the tunnel listens, here or in the other
 * process that runs it; %NULL when it listens nowhere. */
char *
burrow_connection_state_dup_address (BurrowConnection *connection)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), NULL);

  if (burrow_connection_state_is_elsewhere (connection))
    return g_strdup_printf ("127.0.0.1:%u", burrow_connection_get_running_elsewhere_port (connection));

  return g_strdup (burrow_connection_get_local_address (connection));
}

static int
seconds_until (gint64 when)
{
  gint64 left = when - g_get_real_time ();

  return left <= 0 ? 0 : (int)((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* One line: what the connection is doing now. */
char *
burrow_connection_state_dup_title (BurrowConnection *connection)
{
  const GError *error;

  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), NULL);

  if (burrow_connection_state_is_elsewhere (connection))
    return g_strdup (burrow_connection_get_running_elsewhere_summary (connection));

  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_CONNECTING:
      return g_strdup (_("Connecting…"));

    case BURROW_TUNNEL_UP:
      /* Translators: %s is a local address, 127.0.0.1:15432 */
      return g_strdup_printf (_("Up on %s"), burrow_connection_get_local_address (connection));

    case BURROW_TUNNEL_RECONNECTING:
      {
        gint64 next_try = burrow_connection_get_next_try (connection);
        guint attempt = burrow_connection_get_attempt (connection);

        if (next_try > 0 && seconds_until (next_try) > 0)
          /* Translators: "Retry in 8 s, attempt 3" */
          return g_strdup_printf (_("Retry in %d s, attempt %u"), seconds_until (next_try), attempt);
        /* Translators: %u is the number of the attempt */
        return g_strdup_printf (_("Reconnecting, attempt %u"), attempt);
      }

    case BURROW_TUNNEL_FAILED:
      error = burrow_connection_get_error (connection);
      if (error != NULL)
        {
          g_autofree char *cause = burrow_error_dup_cause (error);

          /* Translators: %s says why, e.g. "Failed: the bastion refused the key" */
          return g_strdup_printf (_("Failed: %s"), cause);
        }
      return g_strdup (_("Failed"));

    case BURROW_TUNNEL_STOPPED:
    default:
      return g_strdup (_("Stopped"));
    }
}

const char *
burrow_connection_state_get_icon_name (BurrowConnection *connection)
{
  if (burrow_connection_state_is_elsewhere (connection))
    return "media-record-symbolic";

  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_RECONNECTING:
      return "dialog-warning-symbolic";
    case BURROW_TUNNEL_FAILED:
      return "dialog-error-symbolic";
    case BURROW_TUNNEL_UP:
    case BURROW_TUNNEL_CONNECTING:
    case BURROW_TUNNEL_STOPPED:
    default:
      return "media-record-symbolic";
    }
}

/* The style class that colours the state: success, warning, error, or
 * dim-label when nothing runs. */
const char *
burrow_connection_state_get_style (BurrowConnection *connection)
{
  if (burrow_connection_state_is_elsewhere (connection))
    return "success";

  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_UP:
      return "success";
    case BURROW_TUNNEL_RECONNECTING:
      return "warning";
    case BURROW_TUNNEL_FAILED:
      return "error";
    case BURROW_TUNNEL_CONNECTING:
    case BURROW_TUNNEL_STOPPED:
    default:
      return "dim-label";
    }
}

/* Whether the title counts down ("Retry in 8 s"): it then changes each
 * second without a notification. */
gboolean
burrow_connection_state_is_counting (BurrowConnection *connection)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), FALSE);

  return burrow_connection_state_get_shown (connection) == BURROW_TUNNEL_RECONNECTING &&
         burrow_connection_get_next_try (connection) > 0;
}

/* Whether the connection's switch reads "on": a tunnel is wanted, up or
 * on its way. */
gboolean
burrow_connection_state_wants_switch_on (BurrowConnection *connection)
{
  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_CONNECTING:
    case BURROW_TUNNEL_UP:
    case BURROW_TUNNEL_RECONNECTING:
      return TRUE;
    case BURROW_TUNNEL_FAILED:
    case BURROW_TUNNEL_STOPPED:
    default:
      return FALSE;
    }
}

/* Keeps a one-second tick running in *@source_id while @connection counts
 * down (the title changes then without a notification), and stops it
 * otherwise. @connection may be %NULL. */
void
burrow_connection_state_keep_clock (BurrowConnection *connection,
                                    guint            *source_id,
                                    GSourceFunc       tick,
                                    gpointer          user_data)
{
  g_return_if_fail (source_id != NULL);

  if (connection != NULL && burrow_connection_state_is_counting (connection))
    {
      if (*source_id == 0)
        *source_id = burrow_source_attach (NULL, g_timeout_source_new_seconds (1), tick, user_data);
    }
  else
    burrow_source_clear (NULL, source_id);
}
