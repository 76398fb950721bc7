/* burrow-test-engine.h — what the tests that drive the engine share: the
 * main loop turned until something holds, with a guard against hangs; a
 * loaded engine; an sshd whose host key it knows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-core.h"
#include "burrow-test-sshd.h"

static inline gboolean
burrow_test_on_flag_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static inline gboolean
burrow_test_on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Turns the default main context until @cond holds; fails the test after
 * @seconds. A tick wakes the loop now and then: some conditions (a
 * server's process ending) change without any event in this process. */
#define BURROW_TEST_LOOP_UNTIL(cond, seconds)                                                   \
  G_STMT_START {                                                                                \
    gboolean hung_ = FALSE;                                                                     \
    guint guard_ = g_timeout_add_seconds ((seconds), burrow_test_on_flag_timeout, &hung_);     \
    guint tick_ = g_timeout_add (10, burrow_test_on_tick, NULL);                                \
    while (!(cond) && !hung_)                                                                   \
      g_main_context_iteration (NULL, TRUE);                                                    \
    if (hung_)                                                                                  \
      g_error ("timed out waiting for %s", #cond);                                              \
    g_source_remove (tick_);                                                                    \
    g_source_remove (guard_);                                                                   \
  } G_STMT_END

static inline BurrowEngine *
burrow_test_new_engine (void)
{
  BurrowEngine *engine = burrow_engine_new ();
  g_autoptr(GError) error = NULL;

  burrow_engine_load (engine, &error);
  g_assert_no_error (error);

  return engine;
}

/* An sshd; its host key recorded in Burrow's known_hosts when @trusted. */
static inline BurrowTestSshd *
burrow_test_start_sshd (BurrowEngine *engine,
                        gboolean      trusted)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  if (trusted)
    burrow_test_sshd_write_known_host (sshd, burrow_engine_get_known_hosts_file (engine));

  return sshd;
}

/* A private bus that stands for the system bus, where a test plays
 * logind. Call it before anything looks for the system bus: GLib keeps
 * the first it finds. Stop it with g_test_dbus_stop(): the connections
 * that libsecret and the engine keep would make dropping it wait. */
static inline GTestDBus *
burrow_test_start_system_bus (void)
{
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

  g_test_dbus_up (bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);

  return bus;
}

/* A connection to @bus that owns logind's name there. */
static inline GDBusConnection *
burrow_test_logind_new (GTestDBus *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *logind;

  logind = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (logind, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  return logind;
}

/* What logind says around a sleep: going to sleep (which changes
 * nothing), then waking up. */
static inline void
burrow_test_logind_emit_resume (GDBusConnection *logind)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (logind, NULL, &error);
  g_assert_no_error (error);
}
