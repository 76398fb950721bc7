/* burrow-test-async.h — waiting for Burrow's async calls in a test, and a
 * keyring daemon that the test's own warning settings do not kill.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-test-keyring.h"

/* Pass as the callback with a pointer to a NULL GAsyncResult *; then
 * burrow_test_wait_for () runs the main loop until it is set. */
static inline void
burrow_test_on_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static inline GAsyncResult *
burrow_test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* gnome-keyring-daemon 42 warns "asked to register item …, but it's
 * already registered" when an item that a client has looked at is
 * replaced; with the test's G_DEBUG=fatal-warnings inherited, that warning
 * would kill it. The daemon is not under test: it runs without. */
static inline BurrowTestKeyring *
burrow_test_start_keyring (void)
{
  g_autofree char *debug = g_strdup (g_getenv ("G_DEBUG"));
  g_autoptr(GError) error = NULL;
  BurrowTestKeyring *keyring;

  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  keyring = burrow_test_keyring_new (&error);
  if (debug != NULL)
    g_setenv ("G_DEBUG", debug, TRUE);
  g_assert_no_error (error);

  return keyring;
}
