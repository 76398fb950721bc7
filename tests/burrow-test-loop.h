/* burrow-test-loop.h — turning the main loop until something holds, with
 * a guard against hangs.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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
