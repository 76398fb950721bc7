/* burrow-channel-pump.h — moves bytes between a local socket and an SSH channel.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

#include "burrow-ssh-session.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CHANNEL_PUMP (burrow_channel_pump_get_type ())

G_DECLARE_FINAL_TYPE (BurrowChannelPump, burrow_channel_pump, BURROW, CHANNEL_PUMP, GObject)

/* Called when the pump made libssh calls outside the session's own
 * dispatch: those calls may have consumed packets meant for other channels
 * of the same session, so the owner should service every pump soon. */
typedef void (*BurrowChannelPumpWakeFunc) (gpointer user_data);

/* What the pumps sharing one SSH session know of each other, whichever
 * tunnel they belong to: see burrow_channel_pump_group_for_session(). */
typedef struct
{
  gpointer last_active;  /* the pump that moved data last */
  gint64   shared_at;    /* when another pump than the one before did */
} BurrowChannelPumpGroup;

BurrowChannelPumpGroup *burrow_channel_pump_group_for_session (BurrowSshSession *session);

BurrowChannelPump *burrow_channel_pump_new            (ssh_channel                channel,
                                                       int                        fd);
void               burrow_channel_pump_set_io_priority (BurrowChannelPump        *self,
                                                       int                        priority);
void               burrow_channel_pump_set_wake_func  (BurrowChannelPump         *self,
                                                       BurrowChannelPumpWakeFunc  func,
                                                       gpointer                   user_data);
void               burrow_channel_pump_set_group      (BurrowChannelPump         *self,
                                                       BurrowChannelPumpGroup    *group);
void               burrow_channel_pump_service        (BurrowChannelPump         *self);
void               burrow_channel_pump_close          (BurrowChannelPump         *self);
gboolean           burrow_channel_pump_needs_service  (BurrowChannelPump         *self);
gboolean           burrow_channel_pump_is_finished    (BurrowChannelPump         *self);
guint64            burrow_channel_pump_get_bytes_up   (BurrowChannelPump         *self);
guint64            burrow_channel_pump_get_bytes_down (BurrowChannelPump         *self);
gsize              burrow_channel_pump_get_buffered   (BurrowChannelPump         *self);

G_END_DECLS
