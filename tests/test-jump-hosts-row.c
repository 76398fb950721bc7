/* test-jump-hosts-row.c — the hops before the bastion: added, reordered and
 * removed in the form, and in the profile in the same order.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "burrow-core.h"
#include "burrow-form-group.h"
#include "burrow-jump-hosts-row.h"
#include "burrow-problem-row.h"
#include "burrow-tunnel-group.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"

static void
assert_hops (BurrowProfile *profile,
             const char    *joined)
{
  g_autofree char *actual = g_strjoinv (";", (char **)burrow_profile_get_jump_hosts (profile));

  g_assert_cmpstr (actual, ==, joined);
}

static void
test_edit_order (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  const char *hops[] = { "ops@jump1.example.com:2222", "ops@jump2.example.com", NULL };
  GtkWidget *group;
  GtkWindow *window;
  BurrowJumpHostsRow *row;
  GtkWidget *hop;
  GtkWidget *tunnel;
  GtkWidget *tunnel_header;
  GtkWidget *jump_header;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_profile_set_jump_hosts (profile, hops);
  group = g_object_new (BURROW_TYPE_TUNNEL_GROUP, "profile", profile, NULL);
  window = burrow_test_present (group, 640, 900);
  row = BURROW_JUMP_HOSTS_ROW (burrow_test_find_widget (group, BURROW_TYPE_JUMP_HOSTS_ROW, NULL));
  g_assert_nonnull (row);
  /* Each expander row says whether it is expanded, on the header a
   * screen reader meets. */
  tunnel = burrow_test_find_widget (group, ADW_TYPE_EXPANDER_ROW, "SSH Tunnel");
  tunnel_header = burrow_test_find_widget (tunnel, ADW_TYPE_ACTION_ROW, "SSH Tunnel");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (tunnel), FALSE);
  gtk_test_accessible_assert_state (tunnel_header, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (tunnel), TRUE);
  gtk_test_accessible_assert_state (tunnel_header, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  jump_header = burrow_test_find_widget (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Jump Hosts");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  gtk_test_accessible_assert_state (jump_header, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  /* The tunnel's own switch, built by libadwaita, says what it does. */
  gtk_test_accessible_assert_property (burrow_test_find_widget (group, GTK_TYPE_SWITCH, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Use an SSH tunnel");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gtk_test_accessible_assert_state (jump_header, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);

  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "ops@jump1.example.com:2222 → ops@jump2.example.com → bastion");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (burrow_jump_hosts_row_get_hop_row (row, 1))),
                   ==, "ops@jump2.example.com");

  /* Reorder: the second hop is reached first now. */
  burrow_jump_hosts_row_move (row, 1, -1);
  assert_hops (profile, "ops@jump2.example.com;ops@jump1.example.com:2222");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (burrow_jump_hosts_row_get_hop_row (row, 0))),
                   ==, "Jump host 1");
  /* Moving the first one up does nothing. */
  burrow_jump_hosts_row_move (row, 0, -1);
  assert_hops (profile, "ops@jump2.example.com;ops@jump1.example.com:2222");

  /* Add: an empty hop to type into, at the end; the profile gets it as
   * it is typed, and the row keeps the keyboard focus meanwhile. */
  burrow_jump_hosts_row_add (row);
  hop = burrow_jump_hosts_row_get_hop_row (row, 2);
  gtk_editable_set_text (GTK_EDITABLE (hop), "admin@[2001:db8::7]:2200");
  assert_hops (profile, "ops@jump2.example.com;ops@jump1.example.com:2222;admin@[2001:db8::7]:2200");
  g_assert_true (burrow_jump_hosts_row_get_hop_row (row, 2) == hop);

  /* A new, empty hop is not wrong yet. */
  g_assert_false (gtk_widget_has_css_class (hop, "error"));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (hop)));

  /* A hop that does not parse turns red, and the profile says why; the
   * reason shows under that hop, and the rest of the list stays as it is. */
  gtk_editable_set_text (GTK_EDITABLE (hop), "admin@bad host");
  g_assert_true (gtk_widget_has_css_class (hop, "error"));
  gtk_test_accessible_assert_state (hop, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_false (burrow_profile_validate (profile, NULL));
  {
    g_autoptr(GPtrArray) errors = burrow_profile_collect_errors (profile);
    GtkWidget *problem = gtk_widget_get_next_sibling (hop);

    burrow_form_group_show_problems (BURROW_FORM_GROUP (group), errors, TRUE);
    g_assert_true (BURROW_IS_PROBLEM_ROW (problem));
    g_assert_true (gtk_widget_get_visible (problem));
    g_assert_nonnull (strstr (burrow_problem_row_get_text (BURROW_PROBLEM_ROW (problem)), "“admin@bad host” is not valid"));
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
    g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID));
    g_assert_false (gtk_widget_has_css_class (jump_header, "error"));
    g_assert_false (gtk_widget_has_css_class (burrow_jump_hosts_row_get_hop_row (row, 0), "error"));
  }
  burrow_test_screenshot_styles (GTK_WIDGET (window), "jump-hosts-row");

  /* Remove. */
  burrow_jump_hosts_row_remove (row, 2);
  burrow_jump_hosts_row_remove (row, 0);
  assert_hops (profile, "ops@jump1.example.com:2222");
  g_assert_true (burrow_profile_validate (profile, NULL) ||
                 burrow_profile_get_ssh_host (profile) == NULL);

  /* A change from elsewhere shows. */
  burrow_profile_set_jump_hosts (profile, NULL);
  g_assert_null (burrow_jump_hosts_row_get_hosts (row));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "None: Burrow connects to the bastion directly");

  gtk_window_destroy (window);
}

static void
test_accessible_names (void)
{
  BurrowJumpHostsRow *row;
  const char *hops[] = { "a@one", "b@two", NULL };
  GtkWidget *button;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  row = g_object_ref_sink (g_object_new (BURROW_TYPE_JUMP_HOSTS_ROW, "hosts", hops, NULL));
  button = burrow_test_find_widget (burrow_jump_hosts_row_get_hop_row (row, 1), GTK_TYPE_BUTTON, "go-up-symbolic");
  g_assert_nonnull (button);
  /* The first button of a hop moves it up, and says which hop; the
   * first hop's cannot move up. */
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Move jump host 2 up");
  g_assert_false (gtk_widget_get_sensitive (burrow_test_find_widget (burrow_jump_hosts_row_get_hop_row (row, 0),
                                                                     GTK_TYPE_BUTTON, "go-up-symbolic")));
  gtk_test_accessible_assert_property (burrow_test_find_widget (burrow_jump_hosts_row_get_hop_row (row, 0),
                                                                GTK_TYPE_BUTTON, "user-trash-symbolic"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove jump host 1");
  g_assert_finalize_object (row);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/jump-hosts-row/edit-order", test_edit_order);
  g_test_add_func ("/burrow/jump-hosts-row/accessible-names", test_accessible_names);

  return g_test_run ();
}
