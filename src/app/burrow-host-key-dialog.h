/* burrow-host-key-dialog.h — a bastion's host key to decide on: trust a
 * new one, or stop at a changed one.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

/* The responses: trust only for a key that is not recorded yet. */
#define BURROW_HOST_KEY_RESPONSE_TRUST  "trust"
#define BURROW_HOST_KEY_RESPONSE_CANCEL "cancel"

#define BURROW_TYPE_HOST_KEY_DIALOG (burrow_host_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BurrowHostKeyDialog, burrow_host_key_dialog, BURROW, HOST_KEY_DIALOG, AdwMessageDialog)

BurrowHostKeyDialog *burrow_host_key_dialog_new          (GtkWindow           *parent,
                                                          BurrowHostKey       *host_key,
                                                          BurrowProfile       *profile);
BurrowHostKey       *burrow_host_key_dialog_get_host_key (BurrowHostKeyDialog *self);

G_END_DECLS
