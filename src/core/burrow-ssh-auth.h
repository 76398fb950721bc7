/* burrow-ssh-auth.h — how to sign in to an SSH server, held once.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BurrowSshAuth is made once from what the connection stores (a key
 * file and its passphrase, a pasted key, ssh-agent, or a password) and
 * handed to every session that signs in with it: a chain gives the same
 * one to each of its hops, and tunnels to the same account share it. It
 * never changes once handed over; the secrets it holds are wiped from
 * memory when the last reference goes.
 *
 * What Burrow does not store is asked for: a one-time code the bastion
 * wants, or the passphrase of a key when none was given. The session
 * makes a BurrowQuestion and gives it to the ask func set here; without
 * one, the question is cancelled at once and the sign-in fails with
 * BURROW_SSH_ERROR_NOT_ANSWERED.
 */

#pragma once

#include <glib-object.h>

#include "burrow-question.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_SSH_AUTH_KEY_FILE,     /* a private key file, with an optional passphrase */
  BURROW_SSH_AUTH_PRIVATE_KEY,  /* a private key held in memory (e.g. from the keyring) */
  BURROW_SSH_AUTH_AGENT,        /* ssh-agent at $SSH_AUTH_SOCK */
  BURROW_SSH_AUTH_PASSWORD,     /* password, or the password prompt of keyboard-interactive */
} BurrowSshAuthMethod;

#define BURROW_TYPE_SSH_AUTH_METHOD (burrow_ssh_auth_method_get_type ())
#define BURROW_TYPE_SSH_AUTH (burrow_ssh_auth_get_type ())

typedef struct _BurrowSshAuth BurrowSshAuth;

GType                burrow_ssh_auth_method_get_type (void) G_GNUC_CONST;
GType                burrow_ssh_auth_get_type        (void) G_GNUC_CONST;

BurrowSshAuth       *burrow_ssh_auth_new_key_file    (const char          *path,
                                                      const char          *passphrase);
BurrowSshAuth       *burrow_ssh_auth_new_private_key (const char          *text,
                                                      const char          *passphrase);
BurrowSshAuth       *burrow_ssh_auth_new_agent       (void);
BurrowSshAuth       *burrow_ssh_auth_new_password    (const char          *password);
BurrowSshAuth       *burrow_ssh_auth_ref             (BurrowSshAuth       *self);
void                 burrow_ssh_auth_unref           (BurrowSshAuth       *self);

void                 burrow_ssh_auth_set_ask_func    (BurrowSshAuth       *self,
                                                      BurrowAskFunc        func,
                                                      gpointer             user_data,
                                                      GDestroyNotify       destroy);

BurrowSshAuthMethod  burrow_ssh_auth_get_method      (const BurrowSshAuth *self);
const char          *burrow_ssh_auth_get_key_file    (const BurrowSshAuth *self);
const char          *burrow_ssh_auth_get_private_key (const BurrowSshAuth *self);
const char          *burrow_ssh_auth_get_secret      (const BurrowSshAuth *self);
const char          *burrow_ssh_auth_get_sharing_key (const BurrowSshAuth *self);
gboolean             burrow_ssh_auth_can_ask         (const BurrowSshAuth *self);
void                 burrow_ssh_auth_ask             (const BurrowSshAuth *self,
                                                      BurrowQuestion      *question);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowSshAuth, burrow_ssh_auth_unref)

G_END_DECLS
