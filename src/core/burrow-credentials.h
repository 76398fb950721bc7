/* burrow-credentials.h — what a connection needs to sign in, from the keyring.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile says how to sign in; the secrets that go with it live in the
 * keyring. BurrowCredentials loads the ones the profile's choices need
 * (asynchronously, like every keyring call) and builds the SSH chain for
 * it, so that the probe, `burrowctl up` and the window map a profile onto
 * the engine in one place. The secrets stay in memory only, and are wiped
 * when the object goes.
 */

#pragma once

#include <gio/gio.h>

#include "burrow-profile.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-chain.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CREDENTIALS (burrow_credentials_get_type ())

G_DECLARE_FINAL_TYPE (BurrowCredentials, burrow_credentials, BURROW, CREDENTIALS, GObject)

BurrowCredentials *burrow_credentials_new         (BurrowProfile        *profile);
void               burrow_credentials_load_async  (BurrowProfile        *profile,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
BurrowCredentials *burrow_credentials_load_finish (GAsyncResult         *result,
                                                   GError              **error);
BurrowProfile     *burrow_credentials_get_profile (BurrowCredentials    *self);
const char        *burrow_credentials_get_secret  (BurrowCredentials    *self,
                                                   BurrowSecretKind      kind);
void               burrow_credentials_set_secret  (BurrowCredentials    *self,
                                                   BurrowSecretKind      kind,
                                                   const char           *secret);
BurrowSshChain    *burrow_credentials_build_chain (BurrowCredentials    *self,
                                                   GError              **error);

G_END_DECLS
