/* burrow-ssh-agent.h — a first word with ssh-agent, with a time limit.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seconds ssh-agent has to answer the first question. */
#define BURROW_SSH_AGENT_TIMEOUT 5

gboolean burrow_ssh_agent_probe (const char  *socket_path,
                                 guint       *n_keys,
                                 int         *agent_fd,
                                 GError     **error);

G_END_DECLS
