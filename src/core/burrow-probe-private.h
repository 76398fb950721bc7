/* burrow-probe-private.h — what the probe's report text needs of the probe.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe spans burrow-probe.c (the steps) and burrow-probe-report.c
 * (the diagnostics and the OpenSSH command).
 */

#pragma once

#include "burrow-probe.h"

G_BEGIN_DECLS

BurrowProfile *burrow_probe_get_profile       (BurrowProbe       *self);
const char    *burrow_probe_auth_method_text  (BurrowProfileAuth  auth);

G_END_DECLS
