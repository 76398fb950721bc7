/* burrow-shell.h — command lines an analyst can paste into a shell.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *burrow_shell_word (const char *word);

G_END_DECLS
