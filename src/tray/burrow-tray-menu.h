/* burrow-tray-menu.h — a GMenuModel exported as com.canonical.dbusmenu.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tray hosts (KDE, XFCE, the GNOME Shell AppIndicator extension, waybar)
 * read an item's menu through com.canonical.dbusmenu only. This exports
 * any GMenuModel under that interface, with the actions its items name
 * looked up in one GActionGroup: "app.NAME" is NAME in the group, as in a
 * GtkApplication's menus. Sections become separators (and a section's
 * label a disabled item), submenus become items with children; an
 * action's enabled state, a boolean state (a check mark) and a state
 * equal to the item's target (a radio item) are shown and follow the
 * action. A click activates the action with the item's target.
 *
 * Changes to the model, or to the actions' state and enabled flags, are
 * gathered and sent once per main-loop pass: LayoutUpdated when items
 * came or went, ItemsPropertiesUpdated when an item's label, state or
 * enabled flag changed. An item keeps its id while it stays in the same
 * place in the tree with the same action and target (or, with no action,
 * the same label), so a host's open menu is not rebuilt when one entry
 * changes.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BURROW_TYPE_TRAY_MENU (burrow_tray_menu_get_type ())

G_DECLARE_FINAL_TYPE (BurrowTrayMenu, burrow_tray_menu, BURROW, TRAY_MENU, GObject)

BurrowTrayMenu *burrow_tray_menu_new             (GMenuModel       *model,
                                                  GActionGroup     *actions);
gboolean        burrow_tray_menu_export          (BurrowTrayMenu   *self,
                                                  GDBusConnection  *bus,
                                                  const char       *object_path,
                                                  GError          **error);
void            burrow_tray_menu_unexport        (BurrowTrayMenu   *self);

GMenuModel     *burrow_tray_menu_get_model       (BurrowTrayMenu   *self);
GActionGroup   *burrow_tray_menu_get_actions     (BurrowTrayMenu   *self);
const char     *burrow_tray_menu_get_object_path (BurrowTrayMenu   *self);
guint           burrow_tray_menu_get_revision    (BurrowTrayMenu   *self);

G_END_DECLS
