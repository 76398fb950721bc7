/* test-database-group.c — the database part of the form: kind and port,
 * inline problems, and the password kept apart for the keyring.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-database-group.h"
#include "burrow-port-row.h"
#include "burrow-problem-row.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"

static GtkWidget *
row (GtkWidget  *group,
     GType       type,
     const char *title)
{
  GtkWidget *found = burrow_test_find_widget (group, type, title);

  g_assert_nonnull (found);
  return found;
}

static BurrowProblemRow *
problem_under (GtkWidget *field)
{
  GtkWidget *next = gtk_widget_get_next_sibling (field);

  g_assert_true (BURROW_IS_PROBLEM_ROW (next));
  g_assert_true (burrow_problem_row_get_field (BURROW_PROBLEM_ROW (next)) == field);
  return BURROW_PROBLEM_ROW (next);
}

static void
validate (BurrowDatabaseGroup *group,
          BurrowProfile       *profile)
{
  g_autoptr(GPtrArray) errors = burrow_profile_collect_errors (profile);

  burrow_form_group_show_problems (BURROW_FORM_GROUP (group), errors, FALSE);
}

static void
test_new_destroy (void)
{
  BurrowDatabaseGroup *group;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  group = g_object_ref_sink (g_object_new (BURROW_TYPE_DATABASE_GROUP, NULL));
  g_assert_finalize_object (group);
}

static void
test_kind_fills_port (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  GtkWidget *group;
  GtkWindow *window;
  AdwComboRow *kind_row;
  BurrowPortRow *port_row;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_profile_set_db_port (profile, burrow_db_kind_get_default_port (BURROW_DB_KIND_POSTGRESQL));
  group = g_object_new (BURROW_TYPE_DATABASE_GROUP, "profile", profile, NULL);
  window = burrow_test_present (group, 600, 700);

  kind_row = ADW_COMBO_ROW (row (group, ADW_TYPE_COMBO_ROW, "Kind"));
  port_row = BURROW_PORT_ROW (row (group, BURROW_TYPE_PORT_ROW, "Port"));
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, BURROW_DB_KIND_POSTGRESQL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port_row)), ==, "5432");

  /* Choosing the kind fills its usual port. */
  adw_combo_row_set_selected (kind_row, BURROW_DB_KIND_MYSQL);
  g_assert_cmpint (burrow_profile_get_db_kind (profile), ==, BURROW_DB_KIND_MYSQL);
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 3306);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port_row)), ==, "3306");

  /* A port the analyst typed stays when the kind changes. */
  gtk_editable_set_text (GTK_EDITABLE (port_row), "13306");
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 13306);
  adw_combo_row_set_selected (kind_row, BURROW_DB_KIND_MARIADB);
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 13306);

  /* A change made elsewhere (another process, through the engine) shows,
   * and does not count as the analyst's choice of kind. */
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_REDSHIFT);
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, BURROW_DB_KIND_REDSHIFT);
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 13306);

  gtk_window_destroy (window);
}

static void
test_fields_edit_profile (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  GtkWidget *group;
  GtkWindow *window;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_profile_set_name (profile, "Sales warehouse");
  group = g_object_new (BURROW_TYPE_DATABASE_GROUP, "profile", profile, NULL);
  window = burrow_test_present (group, 600, 700);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (group, ADW_TYPE_ENTRY_ROW, "Connection name"))),
                   ==, "Sales warehouse");

  gtk_editable_set_text (GTK_EDITABLE (row (group, ADW_TYPE_ENTRY_ROW, "Host")), "db.internal");
  gtk_editable_set_text (GTK_EDITABLE (row (group, ADW_TYPE_ENTRY_ROW, "Database name")), "sales");
  gtk_editable_set_text (GTK_EDITABLE (row (group, ADW_TYPE_ENTRY_ROW, "User")), "ana");
  g_assert_cmpstr (burrow_profile_get_db_host (profile), ==, "db.internal");
  g_assert_cmpstr (burrow_profile_get_db_name (profile), ==, "sales");
  g_assert_cmpstr (burrow_profile_get_db_user (profile), ==, "ana");

  /* The port row takes digits only, whatever is pasted. */
  gtk_editable_set_text (GTK_EDITABLE (row (group, BURROW_TYPE_PORT_ROW, "Port")), "");
  gtk_editable_insert_text (GTK_EDITABLE (row (group, BURROW_TYPE_PORT_ROW, "Port")), " 6432\n", -1, &(int){0});
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (group, BURROW_TYPE_PORT_ROW, "Port"))), ==, "6432");
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 6432);

  /* The host is looked up by the bastion, and the group says so. */
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), "bastion"));
  burrow_profile_set_tunnel_enabled (profile, FALSE);
  g_assert_null (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), "bastion"));

  burrow_test_screenshot_styles (GTK_WIDGET (window), "database-group");
  gtk_window_destroy (window);
}

static void
test_problems_inline (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  GtkWidget *group;
  GtkWindow *window;
  GtkWidget *host_row, *port_row;
  BurrowProblemRow *host_problem, *port_problem;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_profile_set_name (profile, "Finance");
  burrow_profile_set_db_port (profile, 5432);
  group = g_object_new (BURROW_TYPE_DATABASE_GROUP, "profile", profile, NULL);
  window = burrow_test_present (group, 600, 800);
  host_row = row (group, ADW_TYPE_ENTRY_ROW, "Host");
  port_row = row (group, BURROW_TYPE_PORT_ROW, "Port");
  host_problem = problem_under (host_row);
  port_problem = problem_under (port_row);

  /* A new form does not open covered in complaints: the empty host is
   * wrong, but untouched. */
  validate (BURROW_DATABASE_GROUP (group), profile);
  g_assert_nonnull (burrow_problem_row_get_text (host_problem));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (host_problem)));
  g_assert_false (gtk_widget_has_css_class (host_row, "error"));

  /* Typed and emptied again: now it says what is wrong and why. */
  gtk_editable_set_text (GTK_EDITABLE (host_row), "db");
  gtk_editable_set_text (GTK_EDITABLE (host_row), "");
  validate (BURROW_DATABASE_GROUP (group), profile);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (host_problem)));
  g_assert_true (gtk_widget_has_css_class (host_row, "error"));
  g_assert_cmpstr (burrow_problem_row_get_text (host_problem), ==,
                   "The database host is empty. Enter the database’s host name or address as the bastion sees it, for example db.internal.");

  gtk_editable_set_text (GTK_EDITABLE (port_row), "70000");
  validate (BURROW_DATABASE_GROUP (group), profile);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (port_problem)));
  g_assert_nonnull (strstr (burrow_problem_row_get_text (port_problem), "70000"));
  g_assert_nonnull (strstr (burrow_problem_row_get_text (port_problem), "1 to 65535"));

  /* Letters stay in sight, with the reason that fits them: the profile
   * sees no port at all there. */
  gtk_editable_set_text (GTK_EDITABLE (port_row), "");
  gtk_editable_insert_text (GTK_EDITABLE (port_row), "abc", -1, &(int){0});
  validate (BURROW_DATABASE_GROUP (group), profile);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port_row)), ==, "abc");
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (port_problem)));
  g_assert_true (gtk_widget_has_css_class (port_row, "error"));
  g_assert_cmpstr (burrow_problem_row_get_text (port_problem), ==,
                   "The port must be a number from 1 to 65535. Type digits only.");
  gtk_test_accessible_assert_property (port_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "The port must be a number from 1 to 65535. Type digits only.");
  burrow_test_screenshot_styles (GTK_WIDGET (window), "database-group-port-letters");
  gtk_editable_set_text (GTK_EDITABLE (port_row), "70000");
  validate (BURROW_DATABASE_GROUP (group), profile);

  burrow_test_screenshot_styles (GTK_WIDGET (window), "database-group-problems");

  /* Fixed, the problems go. */
  gtk_editable_set_text (GTK_EDITABLE (host_row), "db.internal");
  gtk_editable_set_text (GTK_EDITABLE (port_row), "5432");
  validate (BURROW_DATABASE_GROUP (group), profile);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (host_problem)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (port_problem)));
  g_assert_false (gtk_widget_has_css_class (host_row, "error"));

  /* An existing connection shows all its problems at once. */
  burrow_profile_set_db_host (profile, NULL);
  {
    g_autoptr(GPtrArray) errors = burrow_profile_collect_errors (profile);
    BurrowDatabaseGroup *fresh = g_object_new (BURROW_TYPE_DATABASE_GROUP, "profile", profile, NULL);

    g_object_ref_sink (fresh);
    burrow_form_group_show_problems (BURROW_FORM_GROUP (fresh), errors, TRUE);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem_under (row (GTK_WIDGET (fresh), ADW_TYPE_ENTRY_ROW, "Host")))));
    g_object_unref (fresh);
  }

  gtk_window_destroy (window);
}

static void
test_password (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowCredentials) stored = burrow_credentials_new (profile);
  g_autoptr(BurrowCredentials) typed = burrow_credentials_new (profile);
  g_autoptr(BurrowCredentials) untouched = burrow_credentials_new (profile);
  BurrowDatabaseGroup *group;
  GtkWidget *password_row;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  group = g_object_ref_sink (g_object_new (BURROW_TYPE_DATABASE_GROUP, "profile", profile, NULL));
  password_row = row (GTK_WIDGET (group), ADW_TYPE_PASSWORD_ENTRY_ROW, "Password");
  /* libadwaita's own button that shows the password has a name too. */
  gtk_test_accessible_assert_property (burrow_test_find_widget (password_row, GTK_TYPE_BUTTON, "view-reveal-symbolic"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Show the password");

  /* What the keyring holds shows (hidden), and is not a change. */
  burrow_credentials_set_secret (stored, BURROW_SECRET_DB_PASSWORD, "s3cret");
  burrow_form_group_load_secrets (BURROW_FORM_GROUP (group), stored);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "s3cret");
  g_assert_false (burrow_form_group_get_secrets_edited (BURROW_FORM_GROUP (group)));
  burrow_form_group_collect_secrets (BURROW_FORM_GROUP (group), untouched);
  g_assert_null (burrow_credentials_get_secret (untouched, BURROW_SECRET_DB_PASSWORD));

  gtk_editable_set_text (GTK_EDITABLE (password_row), "n3w");
  g_assert_true (burrow_form_group_get_secrets_edited (BURROW_FORM_GROUP (group)));
  burrow_form_group_collect_secrets (BURROW_FORM_GROUP (group), typed);
  g_assert_cmpstr (burrow_credentials_get_secret (typed, BURROW_SECRET_DB_PASSWORD), ==, "n3w");

  /* A keyring answer that comes late does not overwrite what was typed. */
  burrow_form_group_load_secrets (BURROW_FORM_GROUP (group), stored);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "n3w");

  burrow_form_group_mark_secrets_saved (BURROW_FORM_GROUP (group));
  g_assert_false (burrow_form_group_get_secrets_edited (BURROW_FORM_GROUP (group)));

  g_object_unref (group);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/database-group/new-destroy", test_new_destroy);
  g_test_add_func ("/burrow/database-group/kind-fills-port", test_kind_fills_port);
  g_test_add_func ("/burrow/database-group/fields-edit-profile", test_fields_edit_profile);
  g_test_add_func ("/burrow/database-group/problems-inline", test_problems_inline);
  g_test_add_func ("/burrow/database-group/password", test_password);

  return g_test_run ();
}
