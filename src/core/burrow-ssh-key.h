/* burrow-ssh-key.h — private keys read from a file or from text, checked.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libssh/libssh.h>

G_BEGIN_DECLS

ssh_key burrow_ssh_key_load     (const char  *path,
                                 const char  *text,
                                 const char  *passphrase,
                                 gboolean    *needs_passphrase,
                                 GError     **error);
char   *burrow_ssh_key_describe (const char  *path);

G_END_DECLS
