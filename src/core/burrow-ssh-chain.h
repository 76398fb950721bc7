/* burrow-ssh-chain.h — an SSH connection to a bastion, through jump hosts, kept up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-ssh-session.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_SSH_CHAIN_STOPPED,
  BURROW_SSH_CHAIN_CONNECTING,
  BURROW_SSH_CHAIN_UP,
  BURROW_SSH_CHAIN_RECONNECTING,
  BURROW_SSH_CHAIN_FAILED,
} BurrowSshChainState;

#define BURROW_TYPE_SSH_CHAIN_STATE (burrow_ssh_chain_state_get_type ())
#define BURROW_TYPE_SSH_CHAIN (burrow_ssh_chain_get_type ())

GType burrow_ssh_chain_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowSshChain, burrow_ssh_chain, BURROW, SSH_CHAIN, GObject)

/* Called with each session of the chain before it connects. */
typedef void (*BurrowSshChainSetupFunc) (BurrowSshChain   *chain,
                                         BurrowSshSession *session,
                                         guint             hop,
                                         gpointer          user_data);

BurrowSshChain      *burrow_ssh_chain_new                  (const char              *host,
                                                            guint16                  port,
                                                            const char              *user);
gboolean             burrow_ssh_chain_set_jump_hosts       (BurrowSshChain          *self,
                                                            const char * const      *jump_hosts,
                                                            GError                 **error);
void                 burrow_ssh_chain_set_auth             (BurrowSshChain          *self,
                                                            BurrowSshAuth           *auth);
BurrowSshAuth       *burrow_ssh_chain_get_auth             (BurrowSshChain          *self);
void                 burrow_ssh_chain_set_known_hosts_file (BurrowSshChain          *self,
                                                            const char              *path);
void                 burrow_ssh_chain_set_keepalive        (BurrowSshChain          *self,
                                                            guint                    interval_seconds,
                                                            guint                    misses);
void                 burrow_ssh_chain_set_io_priority      (BurrowSshChain          *self,
                                                            int                      priority);
int                  burrow_ssh_chain_get_io_priority      (BurrowSshChain          *self);
void                 burrow_ssh_chain_set_setup_func       (BurrowSshChain          *self,
                                                            BurrowSshChainSetupFunc  func,
                                                            gpointer                 user_data,
                                                            GDestroyNotify           destroy);
const char          *burrow_ssh_chain_get_key              (BurrowSshChain          *self);
guint                burrow_ssh_chain_get_n_hops           (BurrowSshChain          *self);

void                 burrow_ssh_chain_hold                 (BurrowSshChain          *self);
void                 burrow_ssh_chain_release              (BurrowSshChain          *self);
void                 burrow_ssh_chain_retry_now            (BurrowSshChain          *self);
void                 burrow_ssh_chain_check_now            (BurrowSshChain          *self);

BurrowSshChainState  burrow_ssh_chain_get_state            (BurrowSshChain          *self);
guint                burrow_ssh_chain_get_attempt          (BurrowSshChain          *self);
gint64               burrow_ssh_chain_get_next_try         (BurrowSshChain          *self);
const GError        *burrow_ssh_chain_get_error            (BurrowSshChain          *self);
BurrowSshSession    *burrow_ssh_chain_get_session          (BurrowSshChain          *self);

G_END_DECLS
