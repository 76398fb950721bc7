/* burrow-ssh-agent.c — a first word with ssh-agent, with a time limit.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libssh talks to the agent with blocking reads and no time limit, and
 * tries every key it holds. Before handing it the agent, Burrow asks how
 * many keys there are itself, bounded in time, so that a missing, dead or
 * empty agent is told apart from a key the server refuses.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-ssh-agent.h"
#include "burrow-ssh-error.h"

/* From the ssh-agent protocol (draft-miller-ssh-agent). */
#define SSH_AGENTC_REQUEST_IDENTITIES 11
#define SSH_AGENT_IDENTITIES_ANSWER 12

static gboolean
agent_io (int      fd,
          guchar  *buffer,
          gsize    len,
          gboolean sending)
{
  for (gsize done = 0; done < len;)
    {
      ssize_t n = sending ? send (fd, buffer + done, len - done, MSG_NOSIGNAL)
                          : recv (fd, buffer + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }

  return TRUE;
}

/* Asks for the agent's keys and reads the whole answer, so that the
 * connection can be handed to libssh with nothing left in it. */
static gboolean
agent_count_keys (int    fd,
                  guint *n_keys)
{
  guchar request[] = { 0, 0, 0, 1, SSH_AGENTC_REQUEST_IDENTITIES };
  guchar header[4];
  g_autofree guchar *reply = NULL;
  guint32 len;

  if (!agent_io (fd, request, sizeof request, TRUE) ||
      !agent_io (fd, header, sizeof header, FALSE))
    return FALSE;

  len = (guint32)header[0] << 24 | (guint32)header[1] << 16 | (guint32)header[2] << 8 | header[3];
  /* libssh's own limit for an answer. */
  if (len < 5 || len > 256 * 1024)
    return FALSE;

  reply = g_malloc (len);
  if (!agent_io (fd, reply, len, FALSE) || reply[0] != SSH_AGENT_IDENTITIES_ANSWER)
    return FALSE;

  *n_keys = (guint)reply[1] << 24 | (guint)reply[2] << 16 | (guint)reply[3] << 8 | (guint)reply[4];
  return TRUE;
}

/* Asks the agent at @socket_path how many keys it holds, within
 * BURROW_SSH_AGENT_TIMEOUT seconds, and returns the connection in
 * @agent_fd for libssh to sign with. Blocks: call it from a worker
 * thread. */
gboolean
burrow_ssh_agent_probe (const char  *socket_path,
                        guint       *n_keys,
                        int         *agent_fd,
                        GError     **error)
{
  struct sockaddr_un addr = { 0 };
  struct timeval limit = { BURROW_SSH_AGENT_TIMEOUT, 0 };
  struct timeval no_limit = { 0, 0 };
  int saved_errno;
  int fd;

  if (socket_path == NULL || *socket_path == '\0')
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent and add your key with ssh-add, or choose another sign-in method."),
                        _("No ssh-agent is running (SSH_AUTH_SOCK is not set)"));
      return FALSE;
    }

  if (strlen (socket_path) >= sizeof addr.sun_path)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent with a shorter socket path (ssh-agent -a)."),
                        _("The ssh-agent socket path %s is too long"), socket_path);
      return FALSE;
    }

  addr.sun_family = AF_UNIX;
  strcpy (addr.sun_path, socket_path);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0 ||
      connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent and add your key with ssh-add, or choose another sign-in method."),
                        _("Could not reach ssh-agent at %s: %s"), socket_path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!agent_count_keys (fd, n_keys))
    {
      close (fd);
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Restart ssh-agent, or choose another sign-in method."),
                        _("ssh-agent at %s did not answer within %u s"), socket_path, BURROW_SSH_AGENT_TIMEOUT);
      return FALSE;
    }

  /* libssh waits on the agent in poll() and treats a timed-out read as
   * an error; whoever hands it to libssh bounds the wait. */
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &no_limit, sizeof no_limit);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &no_limit, sizeof no_limit);
  *agent_fd = fd;

  return TRUE;
}
