/* burrow-host-key.h — a host key a server showed, and Burrow's verdict on it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session that stops at an unknown or changed host key keeps the key it
 * saw in one of these, so that whoever shows the decision (the test dialog,
 * `burrowctl trust`) has the host, the key type and both fingerprints in
 * one object, and can record the key once a person has checked it, after
 * the session itself is gone.
 */

#pragma once

#include <glib-object.h>
#include <libssh/libssh.h>

#include "burrow-host-keys.h"

G_BEGIN_DECLS

#define BURROW_TYPE_HOST_KEY_STATUS (burrow_host_key_status_get_type ())
#define BURROW_TYPE_HOST_KEY (burrow_host_key_get_type ())

GType burrow_host_key_status_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowHostKey, burrow_host_key, BURROW, HOST_KEY, GObject)

BurrowHostKey       *burrow_host_key_new                   (const char     *host,
                                                            guint16         port,
                                                            ssh_key         key,
                                                            BurrowHostKeyStatus status,
                                                            const char     *known_fingerprint,
                                                            const char     *known_hosts_file);
const char          *burrow_host_key_get_host              (BurrowHostKey  *self);
guint16              burrow_host_key_get_port              (BurrowHostKey  *self);
char                *burrow_host_key_dup_address           (BurrowHostKey  *self);
const char          *burrow_host_key_get_key_type          (BurrowHostKey  *self);
const char          *burrow_host_key_get_fingerprint       (BurrowHostKey  *self);
const char          *burrow_host_key_get_known_fingerprint (BurrowHostKey  *self);
BurrowHostKeyStatus  burrow_host_key_get_status            (BurrowHostKey  *self);
const char          *burrow_host_key_get_known_hosts_file  (BurrowHostKey  *self);
char                *burrow_host_key_dup_check_command     (BurrowHostKey  *self);
gboolean             burrow_host_key_trust                 (BurrowHostKey  *self,
                                                            GError        **error);

G_END_DECLS
