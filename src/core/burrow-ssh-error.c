/* burrow-ssh-error.c — the error domain of SSH sessions and their channels.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-error.h"
#include "burrow-ssh-error.h"

G_DEFINE_QUARK (burrow-ssh-error-quark, burrow_ssh_error)

/**
 * burrow_ssh_error_set_lost:
 * @host: the server whose connection ended
 * @reason: (nullable): what libssh said, which may be empty: it does not
 *   always know why a socket ended
 *
 * Sets %BURROW_SSH_ERROR_CONNECTION_LOST: "The connection to HOST was
 * lost: REASON", or the sentence alone when there is no reason, never
 * one that ends in a colon.
 */
void
burrow_ssh_error_set_lost (GError     **error,
                           const char  *host,
                           const char  *reason)
{
  const char *hint = _("The bastion may have restarted, or the network dropped. "
                       "Burrow reconnects by itself when it can.");
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (*stripped != '\0')
    burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, hint,
                      _("The connection to %s was lost: %s"), host, stripped);
  else
    burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, hint,
                      _("The connection to %s was lost"), host);
}
