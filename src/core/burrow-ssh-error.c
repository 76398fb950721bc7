/* burrow-ssh-error.c — the error domain of SSH sessions and their channels.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "burrow-ssh-error.h"

G_DEFINE_QUARK (burrow-ssh-error-quark, burrow_ssh_error)
