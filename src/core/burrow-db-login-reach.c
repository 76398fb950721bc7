/* burrow-db-login-reach.c — does the server answer? For the kinds Burrow cannot log in to.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TCP connection opens and the server keeps it open for a moment
 * without closing it. Servers of the kinds Burrow knows wait for the
 * client to speak, so one that speaks first is another service; for
 * "other", speaking first counts as an answer. No credentials are sent.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-db-login-private.h"
#include "burrow-source.h"

/* How long the check waits for a server that may speak first before
 * taking an open, silent connection as the answer. */
#define LISTEN_WINDOW_MS 500

typedef struct
{
  GSocketConnection *connection;
  guint              listen_timer;
} Reach;

/* One read of the server's first words. It outlives the check when the
 * check ends first: the read finishes (cancelled) into its own buffer. */
typedef struct
{
  BurrowDbLogin *login;
  guint8         buffer[256];
} Read;

static Reach *
state (BurrowDbLogin *self)
{
  return self->engine_state;
}

/* Whether this kind's server waits for the client to speak first; all the
 * kinds Burrow knows do, so a greeting from the server means another
 * service listens there. */
static gboolean
kind_server_waits (BurrowDbKind kind)
{
  return kind != BURROW_DB_KIND_OTHER;
}

/* The start of a greeting, printable, for a message. */
static char *
describe_greeting (const guint8 *data,
                   gsize         length)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < length && text->len < 40; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        break;
      g_string_append_c (text, g_ascii_isprint (data[i]) ? (char) data[i] : '.');
    }

  return g_string_free (text, FALSE);
}

/* Ends a check whose server kept the connection open without a word, as
 * servers that wait for their client do. */
static void
succeed_kept_open (BurrowDbLogin *self)
{
  g_autofree char *endpoint = burrow_db_login_format_endpoint (self);
  double seconds = (g_get_monotonic_time () - self->login_done) / (double) G_USEC_PER_SEC;
  char *description;

  if (self->kind == BURROW_DB_KIND_OTHER)
    description = g_strdup_printf (_("%s accepted a TCP connection and kept it open for %.1f s without closing it; no login was tried."),
                                   endpoint, seconds);
  else
    description = g_strdup_printf (_("%s accepted a TCP connection and kept it open for %.1f s without closing it, as %s servers do while they wait for the client; no login was tried."),
                                   endpoint, seconds, burrow_db_login_kind_name (self));
  burrow_db_login_succeed (self, FALSE, FALSE, NULL, NULL, description);
}

static gboolean
on_listen_timer (gpointer user_data)
{
  BurrowDbLogin *self = user_data;

  state (self)->listen_timer = 0;
  succeed_kept_open (self);
  return G_SOURCE_REMOVE;
}

static void
on_input_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree Read *read = user_data;
  g_autoptr(BurrowDbLogin) self = read->login;
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *endpoint = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (self->task == NULL)
    return;

  if (n <= 0)
    {
      burrow_db_login_fail (self, burrow_db_login_error_closed (self));
      return;
    }

  greeting = describe_greeting (read->buffer, n);

  if (kind_server_waits (self->kind))
    {
      g_autofree char *detail = g_strdup_printf (_("it spoke first: “%s”"), greeting);

      burrow_db_login_fail (self, burrow_db_login_error_not_this_kind (self, detail));
      return;
    }

  endpoint = burrow_db_login_format_endpoint (self);
  /* The count as an int: xgettext cannot read a format macro such as
   * G_GSSIZE_FORMAT, and the read fills a small buffer. */
  burrow_db_login_succeed (self, FALSE, FALSE, NULL, NULL,
                           g_strdup_printf (_("%s accepted a TCP connection and the server spoke first (%d bytes: “%s”); no login was tried."),
                                            endpoint, (int)n, greeting));
}

static void
on_socket_client_connect (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BurrowDbLogin) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *input;
  Read *read;
  gint64 elapsed_ms;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (self->task == NULL)
    return;

  if (connection == NULL)
    {
      GError *login_error = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        login_error = burrow_db_login_error_timeout (self);
      else if (burrow_db_login_try_next_address (self))
        return;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        login_error = burrow_db_login_error_refused (self);
      else
        login_error = burrow_db_login_error_connect_failed (self, error->message);
      burrow_db_login_fail (self, login_error);
      return;
    }

  self->login_done = g_get_monotonic_time ();
  self->stage = BURROW_DB_LOGIN_STAGE_LISTEN;
  state (self)->connection = g_steal_pointer (&connection);

  read = g_new0 (Read, 1);
  read->login = g_object_ref (self);
  input = g_io_stream_get_input_stream (G_IO_STREAM (state (self)->connection));
  g_input_stream_read_async (input, read->buffer, sizeof read->buffer, G_PRIORITY_DEFAULT,
                             self->io_cancellable, on_input_read, read);

  /* The rest of the time, if shorter, bounds the window: the deadline
   * gives the same answer. */
  elapsed_ms = (self->login_done - self->started) / 1000;
  if (elapsed_ms < (gint64) self->timeout_ms)
    state (self)->listen_timer = burrow_source_attach (self->context,
                                                       g_timeout_source_new (MIN (LISTEN_WINDOW_MS, self->timeout_ms - elapsed_ms)),
                                                       on_listen_timer, self);
}

/* The engine */

static void
reach_start (BurrowDbLogin *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;

  self->engine_state = g_new0 (Reach, 1);

  /* A database check must go straight to the address it names. */
  g_socket_client_set_enable_proxy (client, FALSE);
  address = g_inet_socket_address_new_from_string (self->address, self->port);
  g_assert (address != NULL);

  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), self->io_cancellable,
                                 on_socket_client_connect, g_object_ref (self));
}

static void
reach_stop (BurrowDbLogin *self)
{
  Reach *reach = g_steal_pointer (&self->engine_state);

  burrow_source_clear (self->context, &reach->listen_timer);
  /* A pending read still holds the stream; it ends with the cancellable. */
  g_clear_object (&reach->connection);
  g_free (reach);
}

/* A server still silent at the deadline is this check's "kept the
 * connection open" answer, not a failure. */
static gboolean
reach_deadline (BurrowDbLogin *self)
{
  if (self->stage != BURROW_DB_LOGIN_STAGE_LISTEN)
    return FALSE;

  succeed_kept_open (self);
  return TRUE;
}

const BurrowDbLoginEngine burrow_db_login_reach_engine = {
  .start = reach_start,
  .stop = reach_stop,
  .deadline = reach_deadline,
};
