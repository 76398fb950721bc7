/* test-tray-menu.c — a GMenuModel read as com.canonical.dbusmenu by a host
 * on another connection of a private bus.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-test-env.h"
#include "burrow-test-watcher.h"
#include "burrow-tray-menu.h"

#define MENU_PATH "/io/github/burrowapp/Burrow/TestMenu"
#define DBUSMENU  "com.canonical.dbusmenu"

static GTestDBus *test_bus;

typedef struct
{
  GDBusConnection    *app_bus;
  GDBusConnection    *host_bus;
  GMenu              *menu;
  GMenu              *tunnels;
  GSimpleActionGroup *actions;
  BurrowTrayMenu     *tray_menu;
  BurrowTestSignals  *signals;
  GPtrArray          *activated;    /* "name(parameter)" */
} Fixture;

static void
on_action_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  Fixture *f = user_data;
  g_autofree char *text = parameter ? g_variant_print (parameter, FALSE) : g_strdup ("");

  g_ptr_array_add (f->activated,
                   g_strdup_printf ("%s(%s)", g_action_get_name (G_ACTION (action)), text));
}

/* What the window gives the tray: one entry per connection, a check
 * mark for up; then Open Burrow, Disconnect all; then Quit. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GMenu) general = g_menu_new ();
  g_autoptr(GMenu) quit = g_menu_new ();
  g_autoptr(GError) error = NULL;
  static const GActionEntry entries[] = {
    { "tunnel-sales", NULL, NULL, "true", NULL },
    { "tunnel-finance", NULL, NULL, "false", NULL },
    { "show", on_action_activated, NULL, NULL, NULL },
    { "disconnect-all", on_action_activated, NULL, NULL, NULL },
    { "quit", on_action_activated, NULL, NULL, NULL },
  };

  f->app_bus = burrow_test_bus_connect (g_test_dbus_get_bus_address (test_bus));
  f->host_bus = burrow_test_bus_connect (g_test_dbus_get_bus_address (test_bus));
  f->activated = g_ptr_array_new_with_free_func (g_free);

  f->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (f->actions), entries, G_N_ELEMENTS (entries), f);

  f->tunnels = g_menu_new ();
  g_menu_append (f->tunnels, "Sales warehouse — 127.0.0.1:15432", "app.tunnel-sales");
  g_menu_append (f->tunnels, "Finance", "app.tunnel-finance");
  g_menu_append (general, "_Open Burrow", "app.show");
  g_menu_append (general, "_Disconnect All", "app.disconnect-all");
  g_menu_append (quit, "_Quit", "app.quit");

  f->menu = g_menu_new ();
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (f->tunnels));
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (general));
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (quit));

  f->tray_menu = burrow_tray_menu_new (G_MENU_MODEL (f->menu), G_ACTION_GROUP (f->actions));
  burrow_tray_menu_export (f->tray_menu, f->app_bus, MENU_PATH, &error);
  g_assert_no_error (error);

  f->signals = burrow_test_signals_new (f->host_bus,
                                        g_dbus_connection_get_unique_name (f->app_bus),
                                        DBUSMENU, MENU_PATH);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->signals, burrow_test_signals_free);
  g_assert_finalize_object (f->tray_menu);
  g_clear_object (&f->menu);
  g_clear_object (&f->tunnels);
  g_clear_object (&f->actions);
  g_dbus_connection_close_sync (f->app_bus, NULL, NULL);
  g_dbus_connection_close_sync (f->host_bus, NULL, NULL);
  g_clear_object (&f->app_bus);
  g_clear_object (&f->host_bus);
  g_clear_pointer (&f->activated, g_ptr_array_unref);
}

/* Reading the menu as a host does */

static GVariant *
call (Fixture     *f,
      const char  *method,
      GVariant    *parameters,
      GError     **error)
{
  return burrow_test_call (f->host_bus, g_dbus_connection_get_unique_name (f->app_bus),
                           MENU_PATH, DBUSMENU, method, parameters, error);
}

static GVariant *
get_layout (Fixture            *f,
            int                 parent,
            int                 depth,
            const char * const *names,
            guint              *revision)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *layout;
  const char * const no_names[] = { NULL };

  reply = call (f, "GetLayout",
                g_variant_new ("(ii^as)", parent, depth, names != NULL ? names : no_names),
                &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);

  return layout;
}

static guint
layout_n_children (GVariant *layout)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);

  return g_variant_n_children (children);
}

static GVariant *
layout_child (GVariant *layout,
              guint     index)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);
  g_autoptr(GVariant) boxed = g_variant_get_child_value (children, index);

  return g_variant_get_variant (boxed);
}

static int
layout_id (GVariant *layout)
{
  int id;

  g_variant_get_child (layout, 0, "i", &id);

  return id;
}

static GVariant *
layout_properties (GVariant *layout)
{
  return g_variant_get_child_value (layout, 1);
}

static GVariant *
layout_lookup (GVariant           *layout,
               const char         *name,
               const GVariantType *type)
{
  g_autoptr(GVariant) properties = layout_properties (layout);

  return g_variant_lookup_value (properties, name, type);
}

static char *
layout_string (GVariant   *layout,
               const char *name)
{
  g_autoptr(GVariant) value = layout_lookup (layout, name, G_VARIANT_TYPE_STRING);

  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

static gboolean
layout_boolean (GVariant   *layout,
                const char *name)
{
  g_autoptr(GVariant) value = layout_lookup (layout, name, G_VARIANT_TYPE_BOOLEAN);

  g_assert_nonnull (value);
  return g_variant_get_boolean (value);
}

static int
layout_int (GVariant   *layout,
            const char *name)
{
  g_autoptr(GVariant) value = layout_lookup (layout, name, G_VARIANT_TYPE_INT32);

  g_assert_nonnull (value);
  return g_variant_get_int32 (value);
}

/* The id of the top-level item labelled @label, or -1. */
static int
find_item (Fixture    *f,
           const char *label)
{
  g_autoptr(GVariant) root = NULL;
  guint revision;

  root = get_layout (f, 0, -1, NULL, &revision);
  for (guint i = 0; i < layout_n_children (root); i++)
    {
      g_autoptr(GVariant) child = layout_child (root, i);
      g_autofree char *text = layout_string (child, "label");

      if (g_strcmp0 (text, label) == 0)
        return layout_id (child);
    }

  return -1;
}

static void
send_event (Fixture    *f,
            int         id,
            const char *event_id)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = call (f, "Event",
                g_variant_new ("(isvu)", id, event_id, g_variant_new_int32 (0), 0), &error);
  g_assert_no_error (error);
}

/* Lets whatever the menu queued reach the host: one round trip through
 * the bus after the queue ran. */
static void
settle (Fixture *f)
{
  g_autoptr(GVariant) reply = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  reply = call (f, "AboutToShow", g_variant_new ("(i)", 0), NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Tests */

static void
test_new_destroy (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  BurrowTrayMenu *tray_menu = burrow_tray_menu_new (G_MENU_MODEL (menu), NULL);

  g_assert_true (burrow_tray_menu_get_model (tray_menu) == G_MENU_MODEL (menu));
  g_assert_null (burrow_tray_menu_get_actions (tray_menu));
  g_assert_null (burrow_tray_menu_get_object_path (tray_menu));
  g_assert_cmpuint (burrow_tray_menu_get_revision (tray_menu), ==, 1);
  g_assert_finalize_object (tray_menu);
}

static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GVariant) root = NULL;
  static const struct {
    const char *label;      /* NULL: a separator */
    gboolean    check;
    int         toggle_state;
  } expected[] = {
    { "Sales warehouse — 127.0.0.1:15432", TRUE, 1 },
    { "Finance", TRUE, 0 },
    { NULL },
    { "_Open Burrow", FALSE },
    { "_Disconnect All", FALSE },
    { NULL },
    { "_Quit", FALSE },
  };
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autofree char *root_display = NULL;
  guint revision;

  root = get_layout (f, 0, -1, NULL, &revision);
  g_assert_cmpuint (revision, ==, burrow_tray_menu_get_revision (f->tray_menu));
  g_assert_cmpint (layout_id (root), ==, 0);
  root_display = layout_string (root, "children-display");
  g_assert_cmpstr (root_display, ==, "submenu");

  g_assert_cmpuint (layout_n_children (root), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GVariant) child = layout_child (root, i);
      g_autofree char *label = layout_string (child, "label");
      g_autofree char *type = layout_string (child, "type");
      g_autofree char *toggle_type = layout_string (child, "toggle-type");

      g_test_message ("item %u: id %d, %s", i, layout_id (child), label ? label : "separator");
      g_assert_false (g_hash_table_contains (ids, GINT_TO_POINTER (layout_id (child))));
      g_hash_table_add (ids, GINT_TO_POINTER (layout_id (child)));
      g_assert_cmpint (layout_id (child), >, 0);
      g_assert_cmpuint (layout_n_children (child), ==, 0);

      if (expected[i].label == NULL)
        {
          g_assert_cmpstr (type, ==, "separator");
          g_assert_null (label);
          continue;
        }

      /* Mnemonics go through as they are: GMenu and dbusmenu agree on
       * them ("_" marks the access key, "__" is an underscore). */
      g_assert_cmpstr (label, ==, expected[i].label);
      g_assert_null (type);
      g_assert_true (layout_boolean (child, "enabled"));
      g_assert_true (layout_boolean (child, "visible"));

      if (expected[i].check)
        {
          g_assert_cmpstr (toggle_type, ==, "checkmark");
          g_assert_cmpint (layout_int (child, "toggle-state"), ==, expected[i].toggle_state);
        }
      else
        g_assert_null (toggle_type);
    }
}

static void
test_layout_depth_and_filter (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GMenu) more = g_menu_new ();
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) shallow = NULL;
  g_autoptr(GVariant) filtered = NULL;
  g_autoptr(GVariant) submenu = NULL;
  g_autoptr(GVariant) from_submenu = NULL;
  g_autoptr(GVariant) properties = NULL;
  const char * const only_label[] = { "label", NULL };
  g_autofree char *display = NULL;
  g_autofree char *inner_label = NULL;
  guint revision;
  int submenu_id;

  g_menu_append (more, "Le_gacy DWH", "app.show");
  g_menu_append_submenu (f->menu, "_More", G_MENU_MODEL (more));

  shallow = get_layout (f, 0, 0, NULL, &revision);
  g_assert_cmpuint (layout_n_children (shallow), ==, 0);

  /* The submenu's items only show with a depth that reaches them. */
  root = get_layout (f, 0, 1, NULL, &revision);
  submenu = layout_child (root, layout_n_children (root) - 1);
  display = layout_string (submenu, "children-display");
  g_assert_cmpstr (display, ==, "submenu");
  g_assert_cmpuint (layout_n_children (submenu), ==, 0);
  submenu_id = layout_id (submenu);

  from_submenu = get_layout (f, submenu_id, -1, NULL, &revision);
  g_assert_cmpint (layout_id (from_submenu), ==, submenu_id);
  g_assert_cmpuint (layout_n_children (from_submenu), ==, 1);
  {
    g_autoptr(GVariant) inner = layout_child (from_submenu, 0);

    inner_label = layout_string (inner, "label");
  }
  g_assert_cmpstr (inner_label, ==, "Le_gacy DWH");

  filtered = get_layout (f, 0, -1, only_label, &revision);
  g_assert_cmpuint (layout_n_children (filtered), ==, 9);
  {
    g_autoptr(GVariant) first = layout_child (filtered, 0);

    properties = layout_properties (first);
  }
  g_assert_cmpuint (g_variant_n_children (properties), ==, 1);
  g_assert_true (g_variant_lookup (properties, "label", "&s", NULL));
}

static void
test_layout_unknown_item (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char * const no_names[] = { NULL };

  reply = call (f, "GetLayout", g_variant_new ("(ii^as)", 4242, -1, no_names), &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (reply);
}

/* Section labels and what GTK hides or greys out, as a host shows them. */
static void
test_sections_and_states (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GMenu) labelled = g_menu_new ();
  g_autoptr(GMenu) empty = g_menu_new ();
  g_autoptr(GMenuItem) hidden = g_menu_item_new ("Retry now", "app.retry");
  g_autoptr(GMenuItem) with_icon = g_menu_item_new ("Finance (MySQL)", "app.tunnel-finance");
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new ("network-server-symbolic");
  GAction *action;
  guint revision;
  guint n;

  g_menu_item_set_attribute (hidden, "hidden-when", "s", "action-missing");
  g_menu_item_set_icon (with_icon, icon);
  g_menu_append (labelled, "Not an action", NULL);
  g_menu_append (labelled, "Somewhere else", "win.close");
  g_menu_append_item (labelled, hidden);
  g_menu_append_item (labelled, with_icon);
  g_menu_append_section (f->menu, "Other", G_MENU_MODEL (labelled));
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (empty));

  action = g_action_map_lookup_action (G_ACTION_MAP (f->actions), "disconnect-all");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);

  root = get_layout (f, 0, -1, NULL, &revision);
  n = layout_n_children (root);
  /* 7 as before, a separator, the header and its four items; the empty
   * section adds nothing, not even a separator. */
  g_assert_cmpuint (n, ==, 13);

  {
    g_autoptr(GVariant) disconnect = layout_child (root, 4);
    g_autoptr(GVariant) separator = layout_child (root, 7);
    g_autoptr(GVariant) header = layout_child (root, 8);
    g_autoptr(GVariant) plain = layout_child (root, 9);
    g_autoptr(GVariant) foreign = layout_child (root, 10);
    g_autoptr(GVariant) missing = layout_child (root, 11);
    g_autoptr(GVariant) iconic = layout_child (root, 12);
    g_autofree char *separator_type = layout_string (separator, "type");
    g_autofree char *header_label = layout_string (header, "label");
    g_autofree char *icon_name = layout_string (iconic, "icon-name");

    g_assert_false (layout_boolean (disconnect, "enabled"));
    g_assert_cmpstr (separator_type, ==, "separator");
    g_assert_cmpstr (header_label, ==, "Other");
    g_assert_false (layout_boolean (header, "enabled"));
    g_assert_false (layout_boolean (plain, "enabled"));
    g_assert_false (layout_boolean (foreign, "enabled"));
    g_assert_true (layout_boolean (foreign, "visible"));
    g_assert_false (layout_boolean (missing, "visible"));
    g_assert_cmpstr (icon_name, ==, "network-server-symbolic");
    g_assert_true (layout_boolean (iconic, "enabled"));
  }
}

/* A string-stateful action with targets: a radio group. */
static void
test_radio_items (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSimpleAction) port = g_simple_action_new_stateful ("port", G_VARIANT_TYPE_STRING,
                                                               g_variant_new_string ("auto"));
  g_autoptr(GMenu) ports = g_menu_new ();
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) state = NULL;
  guint revision;
  int fixed_id;

  g_action_map_add_action (G_ACTION_MAP (f->actions), G_ACTION (port));
  g_menu_append (ports, "Automatic", "app.port::auto");
  g_menu_append (ports, "Fixed", "app.port::fixed");
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (ports));

  root = get_layout (f, 0, -1, NULL, &revision);
  {
    g_autoptr(GVariant) automatic = layout_child (root, 8);
    g_autoptr(GVariant) fixed = layout_child (root, 9);
    g_autofree char *type = layout_string (automatic, "toggle-type");

    g_assert_cmpstr (type, ==, "radio");
    g_assert_cmpint (layout_int (automatic, "toggle-state"), ==, 1);
    g_assert_cmpint (layout_int (fixed, "toggle-state"), ==, 0);
    fixed_id = layout_id (fixed);
  }

  send_event (f, fixed_id, "clicked");
  settle (f);
  state = g_action_get_state (G_ACTION (port));
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "fixed");
}

static void
test_event_activates (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GAction *tunnel;
  int open_id = find_item (f, "_Open Burrow");
  int quit_id = find_item (f, "_Quit");
  int finance_id = find_item (f, "Finance");

  g_assert_cmpint (open_id, >, 0);

  /* Opening and hovering are no clicks. */
  send_event (f, open_id, "opened");
  send_event (f, open_id, "hovered");
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 0);

  send_event (f, open_id, "clicked");
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 0), ==, "show()");

  /* The check mark's action is a boolean state: a click flips it, as
   * GTK's menus do. */
  send_event (f, finance_id, "clicked");
  settle (f);
  tunnel = g_action_map_lookup_action (G_ACTION_MAP (f->actions), "tunnel-finance");
  state = g_action_get_state (tunnel);
  g_assert_true (g_variant_get_boolean (state));

  reply = call (f, "EventGroup",
                g_variant_new_parsed ("([(%i, 'clicked', <0>, uint32 0), (4242, 'clicked', <0>, uint32 0)],)",
                                      quit_id),
                &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) errors = g_variant_get_child_value (reply, 0);

    g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
  }
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 1), ==, "quit()");

  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, "Event", g_variant_new ("(isvu)", 4242, "clicked", g_variant_new_int32 (0), 0), &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
}

/* A disabled entry, or one whose target does not fit, is never run. */
static void
test_event_disabled (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GVariant) root = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (f->actions), "show");
  int open_id = find_item (f, "_Open Burrow");
  guint revision;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
  send_event (f, open_id, "clicked");
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 0);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  g_menu_append (f->tunnels, "Mismatch", "app.show::with-a-target");
  root = get_layout (f, 0, -1, NULL, &revision);
  {
    g_autoptr(GVariant) mismatch = layout_child (root, 2);

    g_assert_false (layout_boolean (mismatch, "enabled"));
    send_event (f, layout_id (mismatch), "clicked");
  }
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 0);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) group = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "label", "toggle-state", NULL };
  int sales_id = find_item (f, "Sales warehouse — 127.0.0.1:15432");
  int finance_id = find_item (f, "Finance");
  guint32 version;
  const char *direction;
  const char *status;

  reply = burrow_test_call (f->host_bus, g_dbus_connection_get_unique_name (f->app_bus),
                            MENU_PATH, "org.freedesktop.DBus.Properties", "GetAll",
                            g_variant_new ("(s)", DBUSMENU), &error);
  g_assert_no_error (error);
  all = g_variant_get_child_value (reply, 0);
  g_assert_true (g_variant_lookup (all, "Version", "u", &version));
  g_assert_cmpuint (version, ==, 3);
  g_assert_true (g_variant_lookup (all, "TextDirection", "&s", &direction));
  g_assert_cmpstr (direction, ==, "ltr");
  g_assert_true (g_variant_lookup (all, "Status", "&s", &status));
  g_assert_cmpstr (status, ==, "normal");
  g_clear_pointer (&reply, g_variant_unref);

  reply = call (f, "GetGroupProperties",
                g_variant_new_parsed ("([%i, %i, 4242], %^as)", sales_id, finance_id, names), &error);
  g_assert_no_error (error);
  group = g_variant_get_child_value (reply, 0);
  /* The unknown id is left out. */
  g_assert_cmpuint (g_variant_n_children (group), ==, 2);
  {
    g_autoptr(GVariant) properties = NULL;
    const char *label;
    int id;
    int toggle;

    g_variant_get_child (group, 1, "(i@a{sv})", &id, &properties);
    g_assert_cmpint (id, ==, finance_id);
    g_assert_cmpuint (g_variant_n_children (properties), ==, 2);
    g_assert_true (g_variant_lookup (properties, "label", "&s", &label));
    g_assert_cmpstr (label, ==, "Finance");
    g_assert_true (g_variant_lookup (properties, "toggle-state", "i", &toggle));
    g_assert_cmpint (toggle, ==, 0);
  }
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_pointer (&group, g_variant_unref);

  /* No ids: every item, the root first. */
  reply = call (f, "GetGroupProperties", g_variant_new_parsed ("(@ai [], @as [])"), &error);
  g_assert_no_error (error);
  group = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (group), ==, 8);
  g_clear_pointer (&reply, g_variant_unref);

  reply = call (f, "GetProperty", g_variant_new ("(is)", sales_id, "toggle-state"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpint (g_variant_get_int32 (value), ==, 1);
  g_clear_pointer (&reply, g_variant_unref);

  reply = call (f, "GetProperty", g_variant_new ("(is)", sales_id, "no-such-thing"), &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  reply = call (f, "AboutToShowGroup", g_variant_new_parsed ("([0, %i, 4242],)", sales_id), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) updates = g_variant_get_child_value (reply, 0);
    g_autoptr(GVariant) errors = g_variant_get_child_value (reply, 1);

    g_assert_cmpuint (g_variant_n_children (updates), ==, 0);
    g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
  }
}

/* A tunnel that goes up or down changes its entry's check mark, and only
 * that: no new layout. */
static void
test_state_updates_properties (Fixture       *f,
                               gconstpointer  data)
{
  GAction *finance = g_action_map_lookup_action (G_ACTION_MAP (f->actions), "tunnel-finance");
  GAction *quit = g_action_map_lookup_action (G_ACTION_MAP (f->actions), "quit");
  int finance_id = find_item (f, "Finance");
  int quit_id = find_item (f, "_Quit");
  GVariant *parameters;
  g_autoptr(GVariant) updated = NULL;
  g_autoptr(GVariant) removed = NULL;
  g_autoptr(GVariant) properties = NULL;
  int id;
  int toggle;
  gboolean enabled;

  g_simple_action_set_state (G_SIMPLE_ACTION (finance), g_variant_new_boolean (TRUE));
  parameters = burrow_test_signals_wait (f->signals, "ItemsPropertiesUpdated", 1, 5000);
  g_variant_get (parameters, "(@a(ia{sv})@a(ias))", &updated, &removed);
  g_assert_cmpuint (g_variant_n_children (updated), ==, 1);
  g_assert_cmpuint (g_variant_n_children (removed), ==, 0);
  g_variant_get_child (updated, 0, "(i@a{sv})", &id, &properties);
  g_assert_cmpint (id, ==, finance_id);
  g_assert_cmpuint (g_variant_n_children (properties), ==, 1);
  g_assert_true (g_variant_lookup (properties, "toggle-state", "i", &toggle));
  g_assert_cmpint (toggle, ==, 1);
  g_clear_pointer (&updated, g_variant_unref);
  g_clear_pointer (&removed, g_variant_unref);
  g_clear_pointer (&properties, g_variant_unref);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (quit), FALSE);
  parameters = burrow_test_signals_wait (f->signals, "ItemsPropertiesUpdated", 2, 5000);
  g_variant_get (parameters, "(@a(ia{sv})@a(ias))", &updated, &removed);
  g_variant_get_child (updated, 0, "(i@a{sv})", &id, &properties);
  g_assert_cmpint (id, ==, quit_id);
  g_assert_true (g_variant_lookup (properties, "enabled", "b", &enabled));
  g_assert_false (enabled);

  /* The same state again is no change. */
  g_simple_action_set_state (G_SIMPLE_ACTION (finance), g_variant_new_boolean (TRUE));
  settle (f);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "ItemsPropertiesUpdated"), ==, 2);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "LayoutUpdated"), ==, 0);
}

/* A connection added or removed: LayoutUpdated with a revision that
 * grows, and the entries that stayed keep their ids. */
static void
test_layout_updated (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSimpleAction) legacy = g_simple_action_new_stateful ("tunnel-legacy", NULL,
                                                                 g_variant_new_boolean (FALSE));
  g_autoptr(GVariant) root = NULL;
  GVariant *parameters;
  int sales_id = find_item (f, "Sales warehouse — 127.0.0.1:15432");
  int quit_id = find_item (f, "_Quit");
  guint first_revision = burrow_tray_menu_get_revision (f->tray_menu);
  guint revision;
  guint signal_revision;
  int parent;

  g_action_map_add_action (G_ACTION_MAP (f->actions), G_ACTION (legacy));
  g_menu_append (f->tunnels, "Legacy DWH", "app.tunnel-legacy");

  parameters = burrow_test_signals_wait (f->signals, "LayoutUpdated", 1, 5000);
  g_variant_get (parameters, "(ui)", &signal_revision, &parent);
  g_assert_cmpuint (signal_revision, >, first_revision);
  g_assert_cmpint (parent, ==, 0);

  root = get_layout (f, 0, -1, NULL, &revision);
  g_assert_cmpuint (revision, ==, signal_revision);
  g_assert_cmpuint (layout_n_children (root), ==, 8);
  g_assert_cmpint (find_item (f, "Sales warehouse — 127.0.0.1:15432"), ==, sales_id);
  g_assert_cmpint (find_item (f, "_Quit"), ==, quit_id);
  g_assert_cmpint (find_item (f, "Legacy DWH"), >, quit_id);

  g_menu_remove (f->tunnels, 0);
  parameters = burrow_test_signals_wait (f->signals, "LayoutUpdated", 2, 5000);
  g_variant_get (parameters, "(ui)", &revision, &parent);
  g_assert_cmpuint (revision, >, signal_revision);
  g_assert_cmpint (find_item (f, "Sales warehouse — 127.0.0.1:15432"), ==, -1);
  g_assert_cmpint (find_item (f, "_Quit"), ==, quit_id);
}

/* The window shows a tunnel's address in its entry by replacing the
 * item: the host hears of the new label on the same id. */
static void
test_label_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GVariant) updated = NULL;
  g_autoptr(GVariant) properties = NULL;
  GVariant *parameters;
  int finance_id = find_item (f, "Finance");
  const char *label;
  int id;

  g_menu_remove (f->tunnels, 1);
  g_menu_insert (f->tunnels, 1, "Finance — 127.0.0.1:13306", "app.tunnel-finance");

  parameters = burrow_test_signals_wait (f->signals, "ItemsPropertiesUpdated", 1, 5000);
  g_variant_get (parameters, "(@a(ia{sv})@a(ias))", &updated, NULL);
  g_assert_cmpuint (g_variant_n_children (updated), ==, 1);
  g_variant_get_child (updated, 0, "(i@a{sv})", &id, &properties);
  g_assert_cmpint (id, ==, finance_id);
  g_assert_true (g_variant_lookup (properties, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "Finance — 127.0.0.1:13306");
  g_assert_cmpint (find_item (f, "Finance — 127.0.0.1:13306"), ==, finance_id);
  settle (f);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "LayoutUpdated"), ==, 0);
}

/* Submenus: a change inside one names that submenu as the parent. */
static void
test_submenu_layout_updated (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GMenu) more = g_menu_new ();
  GVariant *parameters;
  int more_id;
  int parent;
  guint revision;

  g_menu_append (more, "Finance", "app.tunnel-finance");
  g_menu_append_submenu (f->menu, "More", G_MENU_MODEL (more));
  burrow_test_signals_wait (f->signals, "LayoutUpdated", 1, 5000);
  more_id = find_item (f, "More");
  g_assert_cmpint (more_id, >, 0);

  g_menu_append (more, "Quit", "app.quit");
  parameters = burrow_test_signals_wait (f->signals, "LayoutUpdated", 2, 5000);
  g_variant_get (parameters, "(ui)", &revision, &parent);
  g_assert_cmpint (parent, ==, more_id);
}

static void
test_unexport (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  burrow_tray_menu_unexport (f->tray_menu);
  g_assert_null (burrow_tray_menu_get_object_path (f->tray_menu));

  reply = call (f, "AboutToShow", g_variant_new ("(i)", 0), &error);
  g_assert_nonnull (error);
  g_assert_null (reply);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);

  g_test_add_func ("/burrow/tray-menu/new-destroy", test_new_destroy);
#define ADD(path, func) \
  g_test_add ("/burrow/tray-menu/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("layout", test_layout);
  ADD ("layout-depth-and-filter", test_layout_depth_and_filter);
  ADD ("layout-unknown-item", test_layout_unknown_item);
  ADD ("sections-and-states", test_sections_and_states);
  ADD ("radio-items", test_radio_items);
  ADD ("event-activates", test_event_activates);
  ADD ("event-disabled", test_event_disabled);
  ADD ("properties", test_properties);
  ADD ("state-updates-properties", test_state_updates_properties);
  ADD ("layout-updated", test_layout_updated);
  ADD ("label-change", test_label_change);
  ADD ("submenu-layout-updated", test_submenu_layout_updated);
  ADD ("unexport", test_unexport);
#undef ADD

  status = g_test_run ();

  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);

  return status;
}
