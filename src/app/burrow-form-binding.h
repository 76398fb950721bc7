/* burrow-form-binding.h — a profile's properties bound both ways to a form's rows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void burrow_form_bind (GBindingGroup *bindings,
                       const char    *source_property,
                       gpointer       target,
                       const char    *target_property);

G_END_DECLS
