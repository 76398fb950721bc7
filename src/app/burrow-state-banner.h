/* burrow-state-banner.h — the strip at the top of a connection's page that says how it is.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_STATE_BANNER (burrow_state_banner_get_type ())

G_DECLARE_FINAL_TYPE (BurrowStateBanner, burrow_state_banner, BURROW, STATE_BANNER, GtkWidget)

BurrowConnection *burrow_state_banner_get_connection     (BurrowStateBanner *self);
void              burrow_state_banner_set_connection     (BurrowStateBanner *self,
                                                          BurrowConnection  *connection);
guint             burrow_state_banner_get_suggested_port (BurrowStateBanner *self);
void              burrow_state_banner_set_suggested_port (BurrowStateBanner *self,
                                                          guint              port);
gboolean          burrow_state_banner_get_revealed       (BurrowStateBanner *self);
const char       *burrow_state_banner_get_title          (BurrowStateBanner *self);
const char       *burrow_state_banner_get_detail         (BurrowStateBanner *self);
GtkButton        *burrow_state_banner_get_button         (BurrowStateBanner *self);

G_END_DECLS
