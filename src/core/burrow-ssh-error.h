/* burrow-ssh-error.h — the error domain of SSH sessions and their channels.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One code per cause, so that the window and the probe can tell an analyst
 * what went wrong and where without parsing messages. Every error is set
 * with burrow_set_error(): the cause on the first line, a hint after it.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BURROW_SSH_ERROR (burrow_ssh_error_quark ())

typedef enum
{
  BURROW_SSH_ERROR_FAILED,                /* anything without its own code */
  BURROW_SSH_ERROR_DNS,                   /* the host name did not resolve */
  BURROW_SSH_ERROR_REFUSED,               /* TCP connection refused */
  BURROW_SSH_ERROR_UNREACHABLE,           /* no route to the host or network */
  BURROW_SSH_ERROR_TIMEOUT,               /* TCP connect, handshake or auth took too long */
  BURROW_SSH_ERROR_PROTOCOL,              /* not SSH, or the key exchange failed */
  BURROW_SSH_ERROR_HOST_KEY_UNKNOWN,      /* the host key is not recorded yet */
  BURROW_SSH_ERROR_HOST_KEY_CHANGED,      /* the host key differs from the recorded one */
  BURROW_SSH_ERROR_AUTH_DENIED,           /* the server refused the credentials */
  BURROW_SSH_ERROR_AGENT,                 /* no ssh-agent, or it could not be used */
  BURROW_SSH_ERROR_KEY_INVALID,           /* the private key is not a key, or is corrupt */
  BURROW_SSH_ERROR_PASSPHRASE_WRONG,      /* the passphrase is missing or wrong */
  BURROW_SSH_ERROR_FORWARDING_PROHIBITED, /* the server refuses direct-tcpip to that target */
  BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED,   /* the server could not reach the target */
  BURROW_SSH_ERROR_CONNECTION_LOST,       /* an established session died */
  BURROW_SSH_ERROR_HOST_KEY_REVOKED,      /* the host key is marked @revoked */
  BURROW_SSH_ERROR_NOT_ANSWERED,          /* the server or the key asked, and nobody answered */
} BurrowSshError;

GQuark burrow_ssh_error_quark    (void);
void   burrow_ssh_error_set_lost (GError     **error,
                                  const char  *host,
                                  const char  *reason);

G_END_DECLS
