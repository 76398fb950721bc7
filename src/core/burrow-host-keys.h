/* burrow-host-keys.h — which host keys Burrow trusts, in known_hosts files.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Burrow records the keys it trusts in its own known_hosts file (OpenSSH
 * format, "[host]:port" for ports other than 22, mode 0600) and also reads
 * the user's ~/.ssh/known_hosts, which it never writes. Burrow's own file is
 * consulted first: a key trusted there wins over a stale entry in ~/.ssh,
 * but never over an "@revoked" line in either file.
 *
 * A NULL known_hosts_file means burrow_paths_known_hosts_file().
 */

#pragma once

#include <glib.h>
#include <libssh/libssh.h>

G_BEGIN_DECLS

typedef enum
{
  BURROW_HOST_KEY_UNKNOWN,   /* no key recorded for this host */
  BURROW_HOST_KEY_TRUSTED,   /* this very key is recorded */
  BURROW_HOST_KEY_CHANGED,   /* another key is recorded: refuse */
  BURROW_HOST_KEY_REVOKED,   /* an @revoked line names this key: refuse */
} BurrowHostKeyStatus;

char                *burrow_host_keys_format_host (const char   *host,
                                                   guint16       port);
char                *burrow_host_keys_user_file   (void);
char                *burrow_host_keys_fingerprint (ssh_key       key);
BurrowHostKeyStatus  burrow_host_keys_check       (const char   *known_hosts_file,
                                                   const char   *host,
                                                   guint16       port,
                                                   ssh_key       key,
                                                   char        **known_fingerprint);
gboolean             burrow_host_keys_trust       (const char   *known_hosts_file,
                                                   const char   *host,
                                                   guint16       port,
                                                   ssh_key       key,
                                                   GError      **error);
gboolean             burrow_host_keys_forget      (const char   *known_hosts_file,
                                                   const char   *host,
                                                   guint16       port,
                                                   GError      **error);

G_END_DECLS
