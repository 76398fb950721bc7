/* burrow-credentials.h — a profile and the secrets it signs in with.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile says how to sign in; the secrets that go with it live in the
 * keyring. BurrowCredentials holds a profile with the secrets a person
 * typed (in a form, on a terminal) and fills in the rest from the keyring,
 * asynchronously; burrow_credentials_build_chain() is the one way from a
 * profile to an SSH chain, for the tunnels, the probe and `burrowctl
 * trust`. The secrets stay in memory only, and are wiped when the object
 * goes.
 *
 * Each secret is in one of three states: not given (the keyring's item
 * stays as it is, and filling looks it up), given (a value to use and,
 * when saved, to store) or given empty (no value, and saving clears the
 * keyring's item).
 */

#pragma once

#include <gio/gio.h>

#include "burrow-profile.h"
#include "burrow-question.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-chain.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CREDENTIALS (burrow_credentials_get_type ())

G_DECLARE_FINAL_TYPE (BurrowCredentials, burrow_credentials, BURROW, CREDENTIALS, GObject)

/* The rules of which secret goes with which choice of a profile. */
gboolean           burrow_credentials_secret_applies  (BurrowProfile        *profile,
                                                       BurrowSecretKind      kind);
gboolean           burrow_credentials_secret_needed   (BurrowProfile        *profile,
                                                       BurrowSecretKind      kind);

BurrowCredentials *burrow_credentials_new             (BurrowProfile        *profile);
void               burrow_credentials_load_async      (BurrowProfile        *profile,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BurrowCredentials *burrow_credentials_load_finish     (GAsyncResult         *result,
                                                       GError              **error);
void               burrow_credentials_fill_async      (BurrowCredentials    *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           burrow_credentials_fill_finish     (BurrowCredentials    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

BurrowProfile     *burrow_credentials_get_profile     (BurrowCredentials    *self);
gboolean           burrow_credentials_has_secret      (BurrowCredentials    *self,
                                                       BurrowSecretKind      kind);
const char        *burrow_credentials_get_secret      (BurrowCredentials    *self,
                                                       BurrowSecretKind      kind);
void               burrow_credentials_set_secret      (BurrowCredentials    *self,
                                                       BurrowSecretKind      kind,
                                                       const char           *secret);
void               burrow_credentials_set_ask_func    (BurrowCredentials    *self,
                                                       BurrowAskFunc         func,
                                                       gpointer              user_data,
                                                       GDestroyNotify        destroy);

BurrowSshChain    *burrow_credentials_build_chain     (BurrowCredentials    *self,
                                                       GError              **error);

G_END_DECLS
