/* burrow-version.h — the versions of the libraries the engine runs on.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *burrow_version            (void);
char       *burrow_version_libraries  (void);

G_END_DECLS
