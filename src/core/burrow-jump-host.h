/* burrow-jump-host.h — host names and USER@HOST[:PORT] hops, checked.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BURROW_TYPE_JUMP_HOST (burrow_jump_host_get_type ())

/* One hop before the bastion. @user is NULL when the text named none (the
 * bastion's user is then the natural choice); @port is 22 when unnamed. */
typedef struct
{
  char    *user;
  char    *host;
  guint16  port;
} BurrowJumpHost;

GType           burrow_jump_host_get_type   (void) G_GNUC_CONST;
BurrowJumpHost *burrow_jump_host_new        (const char            *user,
                                             const char            *host,
                                             guint16                port);
BurrowJumpHost *burrow_jump_host_parse      (const char            *text,
                                             GError               **error);
BurrowJumpHost *burrow_jump_host_parse_full (const char            *text,
                                             gboolean              *port_given,
                                             GError               **error);
BurrowJumpHost *burrow_jump_host_copy       (const BurrowJumpHost  *self);
void            burrow_jump_host_free       (BurrowJumpHost        *self);
char           *burrow_jump_host_to_string  (const BurrowJumpHost  *self);

gboolean        burrow_host_name_is_valid   (const char            *host);
gboolean        burrow_user_name_is_valid   (const char            *user);
char           *burrow_format_host_port     (const char            *host,
                                             guint                  port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowJumpHost, burrow_jump_host_free)

G_END_DECLS
