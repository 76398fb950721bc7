/* burrow-application.h — the Burrow application: one instance, its engine, its actions.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_APPLICATION (burrow_application_get_type ())

G_DECLARE_FINAL_TYPE (BurrowApplication, burrow_application, BURROW, APPLICATION, AdwApplication)

BurrowApplication *burrow_application_new             (void);
GSettings         *burrow_application_get_settings    (BurrowApplication *self);
BurrowEngine      *burrow_application_get_engine      (BurrowApplication *self);
const GError      *burrow_application_get_load_error  (BurrowApplication *self);

G_END_DECLS
