/* burrow-enum.h — enum values and the ids that stand for them in files.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Burrow's enums keep one table: the GEnum nicks are also the ids written
 * to connections.ini, the keyring's attributes and the command line.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

const char *burrow_enum_to_id   (GType       type,
                                 int         value);
gboolean    burrow_enum_from_id (GType       type,
                                 const char *id,
                                 gboolean    any_case,
                                 int        *value);

G_END_DECLS
