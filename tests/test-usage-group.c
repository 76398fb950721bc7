/* test-usage-group.c — the ready strings: the kind's, to the tunnel's port,
 * following the saved connection, copied with a toast, never with a
 * password.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-copy-row.h"
#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-usage-group.h"

static const char *
value_of (BurrowUsageGroup *group,
          const char       *title)
{
  for (guint i = 0; i < burrow_usage_group_get_n_rows (group); i++)
    {
      GtkWidget *row = burrow_usage_group_get_row (group, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return burrow_copy_row_get_value (BURROW_COPY_ROW (row));
    }

  return NULL;
}

/* The engine of a fresh connections.ini, written as burrowctl or a person
 * would write it. */
static BurrowEngine *
engine_with (const char *contents)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "burrow", NULL);
  g_autofree char *path = g_build_filename (dir, "connections.ini", NULL);
  g_autoptr(GError) error = NULL;
  BurrowEngine *engine;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  engine = burrow_engine_new ();
  g_assert_true (burrow_engine_load (engine, &error));
  g_assert_no_error (error);

  return engine;
}

static const char sales_ini[] =
  "[burrow]\nversion=1\n\n"
  "[connection 9eee0801-5b49-46de-8810-831b84bb3244]\n"
  "name=Sales warehouse\ndb-kind=postgresql\ndb-host=db.internal\ndb-port=5432\n"
  "db-name=sales\ndb-user=ana\nssh-tunnel=true\nssh-host=bastion.example.com\n"
  "ssh-port=22\nssh-user=burrow\nssh-auth=workspace-key\nlocal-port=auto:15432\n";

static void
test_strings_follow_connection (void)
{
  g_autoptr(BurrowEngine) engine = engine_with (sales_ini);
  BurrowConnection *connection = burrow_engine_lookup (engine, "9eee0801-5b49-46de-8810-831b84bb3244");
  BurrowProfile *profile;
  BurrowUsageGroup *group;
  GtkWindow *window;
  const char *psql;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_nonnull (connection);
  profile = burrow_connection_get_profile (connection);
  group = g_object_new (BURROW_TYPE_USAGE_GROUP, "connection", connection, NULL);
  window = burrow_test_present (GTK_WIDGET (group), 700, 700);

  /* libpq's host=<real> hostaddr=127.0.0.1 form, so TLS checks the name. */
  psql = value_of (group, "psql");
  g_assert_nonnull (psql);
  g_assert_nonnull (strstr (psql, "host=db.internal"));
  g_assert_nonnull (strstr (psql, "hostaddr=127.0.0.1"));
  g_assert_nonnull (strstr (psql, "port=15432"));
  g_assert_nonnull (value_of (group, "JDBC"));
  g_assert_nonnull (strstr (value_of (group, "JDBC"), "127.0.0.1:15432/sales"));
  g_assert_nonnull (value_of (group, "SQLAlchemy"));
  burrow_test_screenshot_styles (GTK_WIDGET (window), "usage-group");

  /* Another kind, other tools: the group follows the connection. */
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_MYSQL);
  g_assert_null (value_of (group, "psql"));
  g_assert_nonnull (value_of (group, "mysql"));
  g_assert_nonnull (strstr (value_of (group, "mysql"), "15432"));

  /* Without a tunnel the tools go to the database itself. */
  burrow_profile_set_tunnel_enabled (profile, FALSE);
  g_assert_nonnull (strstr (value_of (group, "mysql"), "db.internal"));

  gtk_window_destroy (window);
}

static gboolean
toast_seen (gpointer data)
{
  return *(char **)data != NULL;
}

static void
on_show_toast (GtkWidget *widget,
               GVariant  *parameter)
{
  char **toast = g_object_get_data (G_OBJECT (widget), "toast");

  *toast = g_variant_dup_string (parameter, NULL);
}

static void
test_copy (void)
{
  g_autoptr(BurrowEngine) engine = engine_with (sales_ini);
  BurrowConnection *connection = burrow_engine_lookup (engine, "9eee0801-5b49-46de-8810-831b84bb3244");
  BurrowUsageGroup *group;
  GtkWindow *window;
  GtkWidget *row;
  g_autofree char *clipboard = NULL;
  g_autofree char *toast = NULL;
  GtkWidget *button;
  GSimpleActionGroup *actions;
  g_autoptr(GSimpleAction) show_toast = g_simple_action_new ("show-toast", G_VARIANT_TYPE_STRING);

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  group = g_object_new (BURROW_TYPE_USAGE_GROUP, "connection", connection, NULL);
  window = burrow_test_present (GTK_WIDGET (group), 700, 700);

  /* The window's toast action, as the row asks for it. */
  actions = g_simple_action_group_new ();
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (show_toast));
  g_object_set_data (G_OBJECT (window), "toast", &toast);
  g_signal_connect_swapped (show_toast, "activate", G_CALLBACK (on_show_toast), window);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (actions));
  g_object_unref (actions);

  row = burrow_usage_group_get_row (group, 0);
  button = burrow_test_find_widget (row, GTK_TYPE_BUTTON, "edit-copy-symbolic");
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy psql");
  g_signal_emit_by_name (button, "clicked");

  clipboard = burrow_test_dup_clipboard (GTK_WIDGET (window));
  g_assert_cmpstr (clipboard, ==, burrow_copy_row_get_value (BURROW_COPY_ROW (row)));
  g_assert_true (burrow_test_wait_until (toast_seen, &toast, 2000));
  g_assert_cmpstr (toast, ==, "psql copied");

  gtk_window_destroy (window);
}

static void
test_never_a_password (void)
{
  g_autoptr(BurrowEngine) engine = engine_with (sales_ini);
  BurrowConnection *connection = burrow_engine_lookup (engine, "9eee0801-5b49-46de-8810-831b84bb3244");
  BurrowProfile *profile = burrow_connection_get_profile (connection);
  BurrowUsageGroup *group;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  group = g_object_ref_sink (g_object_new (BURROW_TYPE_USAGE_GROUP, "connection", connection, NULL));

  for (BurrowDbKind kind = 0; kind <= BURROW_DB_KIND_LAST; kind++)
    {
      burrow_profile_set_db_kind (profile, kind);
      g_assert_cmpuint (burrow_usage_group_get_n_rows (group), >, 0);

      for (guint i = 0; i < burrow_usage_group_get_n_rows (group); i++)
        {
          const char *value = burrow_copy_row_get_value (BURROW_COPY_ROW (burrow_usage_group_get_row (group, i)));
          g_autofree char *lower = g_ascii_strdown (value, -1);

          g_assert_null (strstr (lower, "password="));
          g_assert_null (strstr (lower, ":ana@"));
        }
    }

  g_assert_finalize_object (group);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/usage-group/strings-follow-connection", test_strings_follow_connection);
  g_test_add_func ("/burrow/usage-group/copy", test_copy);
  g_test_add_func ("/burrow/usage-group/never-a-password", test_never_a_password);

  return g_test_run ();
}
