/* burrow-probe-dialog.h — the test connection, step by step, with the
 * decisions it stops for.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_PROBE_DIALOG (burrow_probe_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProbeDialog, burrow_probe_dialog, BURROW, PROBE_DIALOG, AdwWindow)

BurrowProbeDialog *burrow_probe_dialog_new       (GtkWindow         *parent,
                                                  BurrowEngine      *engine,
                                                  BurrowCredentials *credentials);
void               burrow_probe_dialog_run       (BurrowProbeDialog *self);
void               burrow_probe_dialog_cancel    (BurrowProbeDialog *self);
BurrowProbe       *burrow_probe_dialog_get_probe (BurrowProbeDialog *self);
gboolean           burrow_probe_dialog_get_busy  (BurrowProbeDialog *self);

/* Saving a changed database or tunnel: the test runs first; finishes TRUE
 * when it passed or the analyst chose "Save Anyway", FALSE with
 * G_IO_ERROR_CANCELLED when they closed the dialog instead. */
void               burrow_probe_dialog_test_before_save_async  (GtkWindow           *parent,
                                                                BurrowEngine        *engine,
                                                                BurrowCredentials   *credentials,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
gboolean           burrow_probe_dialog_test_before_save_finish (GAsyncResult        *result,
                                                                GError             **error);

G_END_DECLS
