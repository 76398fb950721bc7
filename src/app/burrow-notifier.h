/* burrow-notifier.h — desktop notifications when a tunnel drops, comes back or gives up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_NOTIFIER (burrow_notifier_get_type ())

G_DECLARE_FINAL_TYPE (BurrowNotifier, burrow_notifier, BURROW, NOTIFIER, GObject)

BurrowNotifier *burrow_notifier_new           (GtkApplication *application,
                                               GSettings      *settings,
                                               GListModel     *connections);
gboolean        burrow_notifier_get_available (BurrowNotifier *self);
gboolean        burrow_notifier_send          (BurrowNotifier *self,
                                               const char     *id,
                                               GNotification  *notification);
void            burrow_notifier_withdraw      (BurrowNotifier *self,
                                               const char     *id);

G_END_DECLS
