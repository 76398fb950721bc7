/* burrow-tray.h — the tray indicator: a StatusNotifierItem over GDBus.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BurrowTray owns the name org.kde.StatusNotifierItem-PID-N on the bus
 * it is given, exports the item at /StatusNotifierItem and its menu (a
 * BurrowTrayMenu built from @menu and @actions) beside it, and registers
 * with org.kde.StatusNotifierWatcher — again every time a watcher appears,
 * since panels restart. With no watcher on the bus it waits, quietly:
 * "registered" says whether a watcher took the item.
 *
 * It holds no state of its own about tunnels: the application sets the
 * title, status, icons and tooltip, and shows its window on "activate".
 * Everything runs on the thread-default main context of the caller of
 * burrow_tray_new().
 *
 * Signals:
 *   activate (int x, int y)            the host's primary action (a click
 *                                      in KDE, a double click in GNOME)
 *   secondary-activate (int x, int y)  the middle button
 * During "activate", burrow_tray_get_activation_token() gives the
 * xdg-activation token the host provided for it, if any.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  BURROW_TRAY_STATUS_PASSIVE,
  BURROW_TRAY_STATUS_ACTIVE,
  BURROW_TRAY_STATUS_NEEDS_ATTENTION,
} BurrowTrayStatus;

#define BURROW_TYPE_TRAY_STATUS (burrow_tray_status_get_type ())
GType burrow_tray_status_get_type (void) G_GNUC_CONST;

#define BURROW_TYPE_TRAY (burrow_tray_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTray, burrow_tray, BURROW, TRAY, GObject)

BurrowTray       *burrow_tray_new                  (GDBusConnection  *bus,
                                                    const char       *id,
                                                    GMenuModel       *menu,
                                                    GActionGroup     *actions);

GDBusConnection  *burrow_tray_get_connection       (BurrowTray       *self);
const char       *burrow_tray_get_id               (BurrowTray       *self);
const char       *burrow_tray_get_bus_name         (BurrowTray       *self);
const char       *burrow_tray_get_menu_path        (BurrowTray       *self);
gboolean          burrow_tray_get_registered       (BurrowTray       *self);

const char       *burrow_tray_get_title            (BurrowTray       *self);
void              burrow_tray_set_title            (BurrowTray       *self,
                                                    const char       *title);
BurrowTrayStatus  burrow_tray_get_status           (BurrowTray       *self);
void              burrow_tray_set_status           (BurrowTray       *self,
                                                    BurrowTrayStatus  status);
const char       *burrow_tray_get_icon_name        (BurrowTray       *self);
void              burrow_tray_set_icon_name        (BurrowTray       *self,
                                                    const char       *icon_name);
const char       *burrow_tray_get_attention_icon_name (BurrowTray    *self);
void              burrow_tray_set_attention_icon_name (BurrowTray    *self,
                                                    const char       *icon_name);
const char       *burrow_tray_get_icon_theme_path  (BurrowTray       *self);
void              burrow_tray_set_icon_theme_path  (BurrowTray       *self,
                                                    const char       *path);
const char       *burrow_tray_get_tooltip_title    (BurrowTray       *self);
const char       *burrow_tray_get_tooltip_body     (BurrowTray       *self);
void              burrow_tray_set_tooltip          (BurrowTray       *self,
                                                    const char       *title,
                                                    const char       *body);

const char       *burrow_tray_get_activation_token (BurrowTray       *self);

G_END_DECLS
