/* burrow-tray-dbus.h — what the tray item and its menu share on the bus.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both objects describe their interface in XML parsed once, and send
 * signals only while exported, without complaint when the bus is gone
 * (the session is ending: nobody is left to hear them).
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parses @xml into *@cache the first time; returns its one interface. */
static inline GDBusInterfaceInfo *
burrow_tray_dbus_interface (GDBusNodeInfo **cache,
                            const char     *xml)
{
  if (g_once_init_enter (cache))
    {
      GDBusNodeInfo *parsed = g_dbus_node_info_new_for_xml (xml, NULL);

      g_assert (parsed != NULL && parsed->interfaces[0] != NULL);
      g_once_init_leave (cache, parsed);
    }

  return (*cache)->interfaces[0];
}

/* Sends @signal_name from @object_path when @exported; takes a floating
 * @parameters in any case. */
static inline void
burrow_tray_dbus_emit (GDBusConnection *bus,
                       gboolean         exported,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;

  if (parameters != NULL)
    g_variant_ref_sink (parameters);

  if (exported &&
      !g_dbus_connection_emit_signal (bus, NULL, object_path, interface_name,
                                      signal_name, parameters, &error))
    g_debug ("Could not send %s: %s", signal_name, error->message);

  g_clear_pointer (&parameters, g_variant_unref);
}

G_END_DECLS
