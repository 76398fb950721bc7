/* burrow-error.h — errors that say what went wrong and what to do about it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every Burrow error carries two parts in its message: the cause, on the
 * first line, and a hint a person can act on, on the lines after it. Keeping
 * both in the plain GError message means they survive g_propagate_error()
 * and g_prefix_error(), and any caller that just prints the message shows
 * both. The window and burrowctl split them to lay them out.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        burrow_set_error          (GError       **error,
                                       GQuark         domain,
                                       int            code,
                                       const char    *hint,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (5, 6);
char       *burrow_error_dup_cause    (const GError  *error);
const char *burrow_error_get_hint     (const GError  *error);
gboolean    burrow_error_equal        (const GError  *a,
                                       const GError  *b);

G_END_DECLS
