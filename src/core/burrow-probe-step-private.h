/* burrow-probe-step-private.h — how the probe changes its steps.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-probe-step.h"

G_BEGIN_DECLS

BurrowProbeStep *burrow_probe_step_new       (BurrowProbeStepId     id);
void             burrow_probe_step_set_title (BurrowProbeStep      *self,
                                              const char           *title);

/* Sets the whole outcome at once (NULL clears @detail and @error) and
 * notifies what changed, together; TRUE when anything did. */
gboolean         burrow_probe_step_update    (BurrowProbeStep      *self,
                                              BurrowProbeStepState  state,
                                              gint64                duration,
                                              const char           *detail,
                                              const GError         *error);

G_END_DECLS
