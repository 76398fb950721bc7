/* test-preferences-window.c — every preference is bound to its GSettings key.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-preferences-window.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"

static void
test_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  GtkWidget *window;
  GtkWidget *spin;
  const char *switches[][2] = {
    { "Keep tunnels up when the window is closed", "run-in-background" },
    { "Start at login", "start-at-login" },
    { "Notifications", "notifications" },
  };

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  window = burrow_preferences_window_new (settings);
  gtk_window_present (GTK_WINDOW (window));
  burrow_test_screenshot_styles (window, "preferences");

  spin = burrow_test_find_widget (window, GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 15);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 40);
  g_assert_cmpuint (g_settings_get_uint (settings, "keepalive-interval"), ==, 40);
  g_settings_set_uint (settings, "keepalive-interval", 20);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 20);

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      GtkWidget *row = burrow_test_find_widget (window, ADW_TYPE_ACTION_ROW, switches[i][0]);
      GtkWidget *toggle = burrow_test_find_widget (row, GTK_TYPE_SWITCH, NULL);
      gboolean before = g_settings_get_boolean (settings, switches[i][1]);

      g_assert_nonnull (toggle);
      g_assert_cmpint (gtk_switch_get_active (GTK_SWITCH (toggle)), ==, before);
      burrow_test_assert_accessible_name (toggle, switches[i][0]);
      gtk_switch_set_active (GTK_SWITCH (toggle), !before);
      g_assert_cmpint (g_settings_get_boolean (settings, switches[i][1]), ==, !before);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/preferences-window/bound", test_bound);

  return g_test_run ();
}
