/* burrow-libssh-compat.c — what Burrow does only because of libssh 0.10.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each piece, and the release that makes it unnecessary:
 *
 * - ssh_send_keepalive() is declared in <libssh/server.h>, though clients
 *   need it. Still so in 0.12: this include goes when libssh.h declares it.
 *
 * - Why a channel open was refused. 0.10 keeps only the session's last
 *   error, and one read can carry the refusals of several channels, so the
 *   reasons are caught from libssh's log ("Channel opening failure: channel
 *   N error (CODE) REASON", logged by every ssh_set_error()), and filed
 *   under libssh's channel numbers, which Burrow guesses: the session
 *   numbers its channels from 42 in the order of their first open call.
 *   0.11 calls channel_open_response_function (struct
 *   ssh_channel_callbacks) for each channel as its answer comes, right
 *   after setting that very error: the log tap, the guessed numbers and
 *   the whole refusal bookkeeping can go then, reading ssh_get_error() in
 *   that callback.
 *
 * - Reading a channel re-opens its whole window. After every
 *   ssh_channel_read*(), 0.10 grows the window back to 1.28 MB whenever it
 *   fell under half of that, whatever the channel still holds: reading a
 *   little at a time from a channel that holds a lot (a client slower than
 *   the database) lets the server send without end, and memory grows by
 *   hundreds of MiB a minute. So a read takes everything the channel
 *   holds, which leaves the window re-opened over an empty buffer: 1.28 MB
 *   in libssh at most, plus what was read, per channel. 0.11.0 counts what
 *   is buffered when it grows the window (grow_window() in channels.c):
 *   burrow_libssh_channel_read_size() can then return @wanted, and the
 *   pump reads in small pieces again.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libssh/server.h>   /* ssh_send_keepalive() */

#include "burrow-libssh-compat.h"

/* FIRST_CHANNEL in libssh's session.c. */
#define LIBSSH_FIRST_CHANNEL 42

int
burrow_libssh_send_keepalive (ssh_session session)
{
  return ssh_send_keepalive (session);
}

/* Reads "Channel opening failure: channel N error (CODE) REASON" anywhere
 * in @text; @reason points into @text. */
gboolean
burrow_libssh_parse_open_failure (const char  *text,
                                  guint32     *channel_id,
                                  guint32     *code,
                                  const char **reason)
{
  const char *start = strstr (text, "Channel opening failure: ");
  unsigned int id, value;
  int end = 0;

  if (start == NULL ||
      sscanf (start, "Channel opening failure: channel %u error (%u)%n", &id, &value, &end) != 2 ||
      end == 0)
    return FALSE;

  *channel_id = id;
  *code = value;
  *reason = start + end;
  while (**reason == ' ')
    (*reason)++;

  return TRUE;
}

/* libssh's number for a session's first channel; each later one is one
 * more, in the order of their first open call. */
guint32
burrow_libssh_first_channel_id (void)
{
  return LIBSSH_FIRST_CHANNEL + 1;
}

/* libssh's logging is per thread: what the thread logged before still
 * goes where it went. */
static void
on_libssh_log (int         priority,
               const char *function,
               const char *buffer,
               void       *userdata)
{
  BurrowLibsshRefusalTap *tap = userdata;
  guint32 channel_id, code;
  const char *reason;

  if (burrow_libssh_parse_open_failure (buffer, &channel_id, &code, &reason))
    tap->func (channel_id, code, reason, tap->user_data);

  if (priority <= tap->saved_level)
    {
      if (tap->saved_callback != NULL)
        tap->saved_callback (priority, function, buffer, tap->saved_userdata);
      else
        g_printerr ("[libssh] %s\n", buffer);
    }
}

/* Listens to libssh's log until the matching stop(); the calls nest. */
void
burrow_libssh_refusal_tap_start (BurrowLibsshRefusalTap *tap)
{
  if (tap->depth++ > 0)
    return;

  tap->saved_callback = ssh_get_log_callback ();
  tap->saved_userdata = ssh_get_log_userdata ();
  tap->saved_level = ssh_get_log_level ();

  ssh_set_log_callback (on_libssh_log);
  ssh_set_log_userdata (tap);
  if (tap->saved_level < SSH_LOG_WARN)
    ssh_set_log_level (SSH_LOG_WARN);
}

void
burrow_libssh_refusal_tap_stop (BurrowLibsshRefusalTap *tap)
{
  g_return_if_fail (tap->depth > 0);

  if (--tap->depth > 0)
    return;

  ssh_set_log_level (tap->saved_level);
  ssh_set_log_callback (tap->saved_callback);
  ssh_set_log_userdata (tap->saved_userdata);
}

/* How much to read from @channel, which holds data, when the caller wants
 * @wanted bytes: everything it holds (see the top of this file). */
gsize
burrow_libssh_channel_read_size (ssh_channel channel,
                                 gsize       wanted)
{
  int held = ssh_channel_poll (channel, 0);

  return held > 0 ? MAX ((gsize)held, wanted) : wanted;
}
