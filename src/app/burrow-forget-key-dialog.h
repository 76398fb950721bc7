/* burrow-forget-key-dialog.h — asks before Burrow forgets the host key it recorded for a server.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_FORGET_KEY_RESPONSE_FORGET "forget"
#define BURROW_FORGET_KEY_RESPONSE_CANCEL "cancel"

#define BURROW_TYPE_FORGET_KEY_DIALOG (burrow_forget_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BurrowForgetKeyDialog, burrow_forget_key_dialog, BURROW, FORGET_KEY_DIALOG, AdwMessageDialog)

BurrowForgetKeyDialog *burrow_forget_key_dialog_new      (GtkWindow             *parent,
                                                          const char            *host,
                                                          guint16                port,
                                                          BurrowHostKey         *seen);
const char            *burrow_forget_key_dialog_get_host (BurrowForgetKeyDialog *self);
guint16                burrow_forget_key_dialog_get_port (BurrowForgetKeyDialog *self);

G_END_DECLS
