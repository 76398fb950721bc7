/* burrow-libssh-compat.h — what Burrow does only because of libssh 0.10.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian 12 ships libssh 0.10.6. Every piece here works around something
 * a later release does better; burrow-libssh-compat.c says which release,
 * so that each piece can go when the floor moves.
 */

#pragma once

#include <glib.h>
#include <libssh/libssh.h>
#include <libssh/callbacks.h>

G_BEGIN_DECLS

/* Keepalives. */
int      burrow_libssh_send_keepalive        (ssh_session   session);

/* Why the server refused to open a channel. */
typedef void (*BurrowLibsshRefusalFunc) (guint32     channel_id,
                                         guint32     code,
                                         const char *reason,
                                         gpointer    user_data);

typedef struct
{
  BurrowLibsshRefusalFunc  func;
  gpointer                 user_data;
  ssh_logging_callback     saved_callback;
  void                    *saved_userdata;
  int                      saved_level;
  guint                    depth;
} BurrowLibsshRefusalTap;

void     burrow_libssh_refusal_tap_start     (BurrowLibsshRefusalTap  *tap);
void     burrow_libssh_refusal_tap_stop      (BurrowLibsshRefusalTap  *tap);
gboolean burrow_libssh_parse_open_failure    (const char              *text,
                                              guint32                 *channel_id,
                                              guint32                 *code,
                                              const char             **reason);
guint32  burrow_libssh_first_channel_id      (void);

/* Reading what a channel holds. */
gsize    burrow_libssh_channel_read_size     (ssh_channel   channel,
                                              gsize         wanted);

G_END_DECLS
