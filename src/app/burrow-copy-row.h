/* burrow-copy-row.h — a ready string to copy: what it is for, the text, and a button.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BURROW_TYPE_COPY_ROW (burrow_copy_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowCopyRow, burrow_copy_row, BURROW, COPY_ROW, AdwPreferencesRow)

BurrowCopyRow *burrow_copy_row_new       (const char    *title,
                                          const char    *value);
const char    *burrow_copy_row_get_value (BurrowCopyRow *self);
void           burrow_copy_row_set_value (BurrowCopyRow *self,
                                          const char    *value);
void           burrow_copy_row_copy      (BurrowCopyRow *self);

G_END_DECLS
