/* burrow-ssh-config.h — a bastion from ~/.ssh/config, read by libssh's own
 * parser.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "burrow-profile.h"

G_BEGIN_DECLS

#define BURROW_SSH_CONFIG_ERROR (burrow_ssh_config_error_quark ())

typedef enum
{
  BURROW_SSH_CONFIG_ERROR_NOT_FOUND,     /* no such file */
  BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST,  /* no Host entry matches the alias */
  BURROW_SSH_CONFIG_ERROR_PARSE,
} BurrowSshConfigError;

GQuark burrow_ssh_config_error_quark (void);

/* One Host entry, resolved. @identity_file has ~ and %d expanded;
 * @jump_hosts are USER@HOST:PORT, outermost first; @proxy_command is a
 * ProxyCommand Burrow does not run (set only when there is one). */
typedef struct
{
  char    *alias;
  char    *host_name;
  char    *user;
  guint16  port;
  char    *identity_file;
  GStrv    jump_hosts;
  char    *proxy_command;
} BurrowSshConfigHost;

char                *burrow_ssh_config_default_path (void);
GStrv                burrow_ssh_config_list_hosts   (const char                 *path,
                                                     GError                    **error);
BurrowSshConfigHost *burrow_ssh_config_resolve      (const char                 *path,
                                                     const char                 *alias,
                                                     GError                    **error);
void                 burrow_ssh_config_host_apply   (const BurrowSshConfigHost  *host,
                                                     BurrowProfile              *profile);
void                 burrow_ssh_config_host_free    (BurrowSshConfigHost        *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowSshConfigHost, burrow_ssh_config_host_free)

G_END_DECLS
