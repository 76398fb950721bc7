/* burrow-host-keys-row.h — the servers of a tunnel whose recorded host keys can be forgotten.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_HOST_KEYS_ROW (burrow_host_keys_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowHostKeysRow, burrow_host_keys_row, BURROW, HOST_KEYS_ROW, AdwActionRow)

GtkWidget     *burrow_host_keys_row_new         (void);
BurrowProfile *burrow_host_keys_row_get_profile (BurrowHostKeysRow *self);
void           burrow_host_keys_row_set_profile (BurrowHostKeysRow *self,
                                                 BurrowProfile     *profile);
GMenuModel    *burrow_host_keys_row_get_menu    (BurrowHostKeysRow *self);

G_END_DECLS
