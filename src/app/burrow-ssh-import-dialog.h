/* burrow-ssh-import-dialog.h — a bastion from ~/.ssh/config, into a connection.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_SSH_IMPORT_DIALOG (burrow_ssh_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BurrowSshImportDialog, burrow_ssh_import_dialog, BURROW, SSH_IMPORT_DIALOG, AdwWindow)

GtkWidget *burrow_ssh_import_dialog_new        (GtkWindow             *parent,
                                                BurrowEngine          *engine,
                                                const char            *path,
                                                BurrowConnection      *into);
gboolean   burrow_ssh_import_dialog_is_loaded  (BurrowSshImportDialog *self);
guint      burrow_ssh_import_dialog_get_n_hosts (BurrowSshImportDialog *self);
GtkWidget *burrow_ssh_import_dialog_get_host_row (BurrowSshImportDialog *self,
                                                  const char            *alias);
void       burrow_ssh_import_dialog_choose     (BurrowSshImportDialog *self,
                                                const char            *alias,
                                                BurrowConnection      *into);
void       burrow_ssh_import_dialog_import     (BurrowSshImportDialog *self);

G_END_DECLS
