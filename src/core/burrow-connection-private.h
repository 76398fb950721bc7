/* burrow-connection-private.h — what the engine changes in a connection.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the engine (burrow-engine*.c) calls these: everyone else reads the properties
 * and asks the engine for changes.
 */

#pragma once

#include "burrow-connection.h"

G_BEGIN_DECLS

BurrowConnection *burrow_connection_new          (BurrowProfile    *profile);
BurrowTunnel     *burrow_connection_get_tunnel   (BurrowConnection *self);
void              burrow_connection_set_tunnel   (BurrowConnection *self,
                                                  BurrowTunnel     *tunnel);
void              burrow_connection_set_failed   (BurrowConnection *self,
                                                  const GError     *error);
void              burrow_connection_set_host_key (BurrowConnection *self,
                                                  BurrowHostKey    *host_key);
void              burrow_connection_set_busy     (BurrowConnection *self,
                                                  gboolean          busy);
guint             burrow_connection_next_run     (BurrowConnection *self);
guint             burrow_connection_get_run      (BurrowConnection *self);
char             *burrow_connection_dup_settings_key (BurrowConnection *self);
const char       *burrow_connection_get_running_key  (BurrowConnection *self);
void              burrow_connection_set_running_key  (BurrowConnection *self,
                                                      const char       *key);
void              burrow_connection_set_running_elsewhere (BurrowConnection *self,
                                                          guint             pid,
                                                          guint16           port,
                                                          const char       *summary);

G_END_DECLS
