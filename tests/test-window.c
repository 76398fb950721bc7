/* test-window.c — the main window opens, shows its empty state, and the
 * application's actions work.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-application.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-window.h"

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* One application for the whole program, as in a real session: a second
 * registration of the same ID would clash on the bus while the first is
 * still being released. */
static BurrowApplication *app;

static void
close_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_empty_state (void)
{
  GtkWidget *window;
  GtkWidget *status_page;
  g_autofree char *screenshot = NULL;
  g_auto(GStrv) accels = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_application_activate (G_APPLICATION (app));

  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_true (BURROW_IS_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Burrow");

  screenshot = burrow_test_screenshot (window, "window-empty");
  g_assert_true (g_file_test (screenshot, G_FILE_TEST_IS_REGULAR));

  status_page = find_child_of_type (window, ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status_page);
  g_assert_true (gtk_widget_get_visible (status_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==, "No Connections Yet");

  /* A second activation brings back the same window, not another one. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char * const *)accels, "<Control>q"));

  close_windows ();
}

static void
test_about (void)
{
  GtkWindow *about = NULL;
  g_autoptr(GListModel) toplevels = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_application_activate (G_APPLICATION (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  toplevels = gtk_window_get_toplevels ();
  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = window;
    }

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Burrow");
  /* The troubleshooting text names the libraries a bug report needs. */
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (ADW_ABOUT_WINDOW (about)), "libssh"));
  g_assert_true (gtk_window_get_transient_for (about) ==
                 gtk_application_get_active_window (GTK_APPLICATION (app)));

  gtk_window_destroy (about);

  close_windows ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/window/empty-state", test_empty_state);
  g_test_add_func ("/burrow/window/about", test_about);

  if (burrow_test_have_display ())
    {
      app = burrow_application_new ();
      /* Tests may share a session bus with other programs. */
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
