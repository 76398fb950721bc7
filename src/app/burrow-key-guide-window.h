/* burrow-key-guide-window.h — how to authorize Burrow's own key on a
 * connection's bastion, with the commands filled in.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_KEY_GUIDE_WINDOW (burrow_key_guide_window_get_type ())

G_DECLARE_FINAL_TYPE (BurrowKeyGuideWindow, burrow_key_guide_window, BURROW, KEY_GUIDE_WINDOW, AdwWindow)

BurrowKeyGuideWindow *burrow_key_guide_window_new          (GtkWindow            *parent,
                                                            BurrowEngine         *engine,
                                                            BurrowProfile        *profile);
BurrowProfile        *burrow_key_guide_window_get_profile  (BurrowKeyGuideWindow *self);
BurrowIdentity       *burrow_key_guide_window_get_identity (BurrowKeyGuideWindow *self);
char                 *burrow_key_guide_window_dup_script   (BurrowKeyGuideWindow *self);
void                  burrow_key_guide_window_set_after_test (BurrowKeyGuideWindow *self,
                                                              gboolean              after_test);

G_END_DECLS
