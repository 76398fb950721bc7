/* burrow-probe-step-row.h — one step of the test connection, as it runs.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_PROBE_STEP_ROW (burrow_probe_step_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProbeStepRow, burrow_probe_step_row, BURROW, PROBE_STEP_ROW, GtkListBoxRow)

BurrowProbeStepRow *burrow_probe_step_row_new         (BurrowProbeStep    *step);
BurrowProbeStep    *burrow_probe_step_row_get_step    (BurrowProbeStepRow *self);
gboolean            burrow_probe_step_row_get_expanded (BurrowProbeStepRow *self);
void                burrow_probe_step_row_set_action  (BurrowProbeStepRow *self,
                                                       GtkWidget          *action);

G_END_DECLS
