/* test-tray.c — the tray item against a StatusNotifierWatcher on a
 * private bus, read as a host reads it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "burrow-test-env.h"
#include "burrow-test-watcher.h"
#include "burrow-tray.h"

#define ITEM_PATH      "/StatusNotifierItem"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define APP_ID         "io.github.burrowapp.Burrow"

static GTestDBus *test_bus;

/* The private bus; a test's subprocess uses its parent's, whose address
 * it inherits, so that its stderr holds only what the tray says. */
static const char *
bus_address (void)
{
  if (test_bus != NULL)
    return g_test_dbus_get_bus_address (test_bus);

  return g_getenv ("DBUS_SESSION_BUS_ADDRESS");
}

typedef struct
{
  BurrowTestWatcher  *watcher;
  GDBusConnection    *app_bus;
  GDBusConnection    *host_bus;
  GMenu              *menu;
  GSimpleActionGroup *actions;
  BurrowTray         *tray;
  BurrowTestSignals  *signals;
  GPtrArray          *activated;
} Fixture;

static void
on_action_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->activated, g_strdup (g_action_get_name (G_ACTION (action))));
}

static BurrowTray *
make_tray (GDBusConnection *bus,
           GMenuModel      *menu,
           GActionGroup    *actions)
{
  BurrowTray *tray = burrow_tray_new (bus, APP_ID, menu, actions);

  burrow_tray_set_title (tray, "Burrow");
  burrow_tray_set_icon_name (tray, APP_ID "-symbolic");
  burrow_tray_set_attention_icon_name (tray, APP_ID "-attention-symbolic");

  return tray;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const GActionEntry entries[] = {
    { "tunnel-sales", NULL, NULL, "false", NULL },
    { "show", on_action_activated, NULL, NULL, NULL },
    { "quit", on_action_activated, NULL, NULL, NULL },
  };
  g_autoptr(GMenu) tunnels = g_menu_new ();
  g_autoptr(GMenu) general = g_menu_new ();
  const char *address = bus_address ();

  f->watcher = burrow_test_watcher_new (address);
  f->app_bus = burrow_test_bus_connect (address);
  f->host_bus = burrow_test_bus_connect (address);
  f->activated = g_ptr_array_new_with_free_func (g_free);

  f->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (f->actions), entries, G_N_ELEMENTS (entries), f);
  g_menu_append (tunnels, "Sales warehouse", "app.tunnel-sales");
  g_menu_append (general, "_Open Burrow", "app.show");
  g_menu_append (general, "_Quit", "app.quit");
  f->menu = g_menu_new ();
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (tunnels));
  g_menu_append_section (f->menu, NULL, G_MENU_MODEL (general));

  f->signals = burrow_test_signals_new (f->host_bus,
                                        g_dbus_connection_get_unique_name (f->app_bus),
                                        ITEM_INTERFACE, ITEM_PATH);

  f->tray = make_tray (f->app_bus, G_MENU_MODEL (f->menu), G_ACTION_GROUP (f->actions));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->signals, burrow_test_signals_free);
  if (f->tray != NULL)
    g_assert_finalize_object (f->tray);
  g_clear_object (&f->menu);
  g_clear_object (&f->actions);
  g_clear_pointer (&f->watcher, burrow_test_watcher_free);
  g_dbus_connection_close_sync (f->app_bus, NULL, NULL);
  g_dbus_connection_close_sync (f->host_bus, NULL, NULL);
  g_clear_object (&f->app_bus);
  g_clear_object (&f->host_bus);
  g_clear_pointer (&f->activated, g_ptr_array_unref);
}

static gboolean
is_registered (gpointer data)
{
  return burrow_tray_get_registered (BURROW_TRAY (data));
}

static gboolean
is_not_registered (gpointer data)
{
  return !burrow_tray_get_registered (BURROW_TRAY (data));
}

static GVariant *
get_all (Fixture *f)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* Registered means the name is owned: a host can reach the item. */
  g_assert_true (burrow_test_wait_until (is_registered, f->tray, 5000));

  reply = burrow_test_call (f->host_bus, burrow_tray_get_bus_name (f->tray), ITEM_PATH,
                            "org.freedesktop.DBus.Properties", "GetAll",
                            g_variant_new ("(s)", ITEM_INTERFACE), &error);
  g_assert_no_error (error);

  return g_variant_get_child_value (reply, 0);
}

static char *
lookup_string (GVariant   *properties,
               const char *name)
{
  char *value = NULL;

  g_assert_true (g_variant_lookup (properties, name, "s", &value));

  return value;
}

/* Lets what the tray sent reach the host: one round trip to the item. */
static void
settle (Fixture *f)
{
  g_autoptr(GVariant) properties = get_all (f);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Tests */

static void
test_register (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *prefix = g_strdup_printf ("org.kde.StatusNotifierItem-%d-", (int)getpid ());
  g_autofree char *bus_name = g_strdup (burrow_tray_get_bus_name (f->tray));
  g_autofree char *entry = g_strconcat (bus_name, ITEM_PATH, NULL);

  g_assert_true (g_str_has_prefix (bus_name, prefix));
  g_assert_false (burrow_tray_get_registered (f->tray));

  g_assert_true (burrow_test_wait_until (is_registered, f->tray, 5000));
  g_assert_true (g_strv_contains (burrow_test_watcher_get_items (f->watcher), entry));
  g_assert_cmpuint (burrow_test_watcher_get_n_registered (f->watcher), ==, 1);

  /* The item leaves with the tray: its name goes, and the watcher
   * forgets it. */
  g_assert_finalize_object (g_steal_pointer (&f->tray));
  g_assert_true (burrow_test_watcher_wait_for_item (f->watcher, bus_name, FALSE, 5000));
}

/* A panel that restarts forgets its items: the tray registers again with
 * each new watcher. */
static void
test_watcher_restart (Fixture       *f,
                      gconstpointer  data)
{
  const char *bus_name = burrow_tray_get_bus_name (f->tray);

  g_assert_true (burrow_test_wait_until (is_registered, f->tray, 5000));

  for (guint round = 0; round < 2; round++)
    {
      burrow_test_watcher_stop (f->watcher);
      g_assert_true (burrow_test_wait_until (is_not_registered, f->tray, 5000));

      burrow_test_watcher_start (f->watcher);
      g_assert_true (burrow_test_watcher_wait_for_item (f->watcher, bus_name, TRUE, 5000));
      g_assert_true (burrow_test_wait_until (is_registered, f->tray, 5000));
    }

  /* Once per watcher that appeared: three in all. */
  g_assert_cmpuint (burrow_test_watcher_get_n_registered (f->watcher), ==, 3);
}

/* With no watcher on the bus the tray waits without a word, and
 * registers as soon as one comes. */
static void
test_no_watcher (void)
{
  if (g_test_subprocess ())
    {
      const char *address = bus_address ();
      g_autoptr(GDBusConnection) bus = burrow_test_bus_connect (address);
      g_autoptr(BurrowTray) tray = make_tray (bus, NULL, NULL);
      g_autoptr(BurrowTestWatcher) watcher = NULL;
      gboolean never = FALSE;

      burrow_test_wait_for_flag (&never, 500);
      g_assert_false (burrow_tray_get_registered (tray));

      watcher = burrow_test_watcher_new (address);
      g_assert_true (burrow_test_wait_until (is_registered, tray, 5000));
      g_assert_true (burrow_test_watcher_wait_for_item (watcher, burrow_tray_get_bus_name (tray), TRUE, 5000));
      g_clear_object (&tray);
      g_dbus_connection_close_sync (bus, NULL, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autofree char *category = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *attention = NULL;
  g_autofree char *theme_path = NULL;
  const char *menu_path;
  const char *tooltip_icon;
  const char *tooltip_title;
  const char *tooltip_body;
  gboolean item_is_menu = TRUE;

  properties = get_all (f);
  category = lookup_string (properties, "Category");
  id = lookup_string (properties, "Id");
  title = lookup_string (properties, "Title");
  status = lookup_string (properties, "Status");
  icon = lookup_string (properties, "IconName");
  attention = lookup_string (properties, "AttentionIconName");
  theme_path = lookup_string (properties, "IconThemePath");
  g_assert_cmpstr (category, ==, "ApplicationStatus");
  g_assert_cmpstr (id, ==, APP_ID);
  g_assert_cmpstr (title, ==, "Burrow");
  g_assert_cmpstr (status, ==, "Passive");
  g_assert_cmpstr (icon, ==, APP_ID "-symbolic");
  g_assert_cmpstr (attention, ==, APP_ID "-attention-symbolic");
  g_assert_cmpstr (theme_path, ==, "");

  /* XFCE takes a missing ItemIsMenu as true and never calls Activate. */
  g_assert_true (g_variant_lookup (properties, "ItemIsMenu", "b", &item_is_menu));
  g_assert_false (item_is_menu);
  g_assert_true (g_variant_lookup (properties, "Menu", "&o", &menu_path));
  g_assert_cmpstr (menu_path, ==, burrow_tray_get_menu_path (f->tray));
  g_assert_true (g_variant_lookup (properties, "WindowId", "i", NULL));
  pixmaps = g_variant_lookup_value (properties, "IconPixmap", G_VARIANT_TYPE ("a(iiay)"));
  g_assert_nonnull (pixmaps);
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 0);

  burrow_tray_set_status (f->tray, BURROW_TRAY_STATUS_ACTIVE);
  burrow_tray_set_icon_name (f->tray, APP_ID "-up-symbolic");
  burrow_tray_set_icon_theme_path (f->tray, "/usr/share/burrow/icons");
  burrow_tray_set_tooltip (f->tray, "Burrow",
                           "2 tunnels up: Sales warehouse 127.0.0.1:15432, Finance 127.0.0.1:13306");
  g_clear_pointer (&properties, g_variant_unref);
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&icon, g_free);
  g_clear_pointer (&theme_path, g_free);

  properties = get_all (f);
  status = lookup_string (properties, "Status");
  icon = lookup_string (properties, "IconName");
  theme_path = lookup_string (properties, "IconThemePath");
  g_assert_cmpstr (status, ==, "Active");
  g_assert_cmpstr (icon, ==, APP_ID "-up-symbolic");
  g_assert_cmpstr (theme_path, ==, "/usr/share/burrow/icons");
  tooltip = g_variant_lookup_value (properties, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_assert_nonnull (tooltip);
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &tooltip_icon, NULL, &tooltip_title, &tooltip_body);
  g_assert_cmpstr (tooltip_icon, ==, APP_ID "-up-symbolic");
  g_assert_cmpstr (tooltip_title, ==, "Burrow");
  g_assert_cmpstr (tooltip_body, ==,
                   "2 tunnels up: Sales warehouse 127.0.0.1:15432, Finance 127.0.0.1:13306");
  g_clear_pointer (&tooltip, g_variant_unref);
  g_clear_pointer (&properties, g_variant_unref);
  g_clear_pointer (&status, g_free);

  /* A tunnel that reconnects: NeedsAttention, and the tooltip shows the
   * attention icon. */
  burrow_tray_set_status (f->tray, BURROW_TRAY_STATUS_NEEDS_ATTENTION);
  properties = get_all (f);
  status = lookup_string (properties, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  tooltip = g_variant_lookup_value (properties, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &tooltip_icon, NULL, NULL, NULL);
  g_assert_cmpstr (tooltip_icon, ==, APP_ID "-attention-symbolic");
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Hosts reload what changed when they hear a New* signal; one is sent
 * for each real change and none for a value set again. */
static void
test_signals (Fixture       *f,
              gconstpointer  data)
{
  const char *status;
  const char *theme_path;
  guint notified = 0;

  settle (f);
  burrow_test_signals_clear (f->signals);
  g_signal_connect (f->tray, "notify", G_CALLBACK (on_notify), &notified);

  burrow_tray_set_title (f->tray, "Burrow");
  burrow_tray_set_status (f->tray, BURROW_TRAY_STATUS_PASSIVE);
  burrow_tray_set_icon_name (f->tray, APP_ID "-symbolic");
  burrow_tray_set_tooltip (f->tray, NULL, NULL);
  settle (f);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, NULL), ==, 0);
  g_assert_cmpuint (notified, ==, 0);

  burrow_tray_set_title (f->tray, "Burrow (2 up)");
  burrow_tray_set_status (f->tray, BURROW_TRAY_STATUS_ACTIVE);
  burrow_tray_set_icon_name (f->tray, APP_ID "-up-symbolic");
  burrow_tray_set_attention_icon_name (f->tray, APP_ID "-failed-symbolic");
  burrow_tray_set_tooltip (f->tray, "Burrow", "1 tunnel up: Sales warehouse 127.0.0.1:15432");
  burrow_tray_set_icon_theme_path (f->tray, "/tmp/icons");
  burrow_tray_set_status (f->tray, BURROW_TRAY_STATUS_NEEDS_ATTENTION);
  settle (f);

  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewTitle"), ==, 1);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewStatus"), ==, 2);
  g_variant_get (burrow_test_signals_get (f->signals, "NewStatus", 1), "(&s)", &status);
  g_assert_cmpstr (status, ==, "Active");
  g_variant_get (burrow_test_signals_get (f->signals, "NewStatus", 2), "(&s)", &status);
  g_assert_cmpstr (status, ==, "NeedsAttention");
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewAttentionIcon"), ==, 1);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewIconThemePath"), ==, 1);
  g_variant_get (burrow_test_signals_get (f->signals, "NewIconThemePath", 1), "(&s)", &theme_path);
  g_assert_cmpstr (theme_path, ==, "/tmp/icons");
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewIcon"), >=, 1);
  g_assert_cmpuint (burrow_test_signals_count (f->signals, "NewToolTip"), >=, 1);
  /* title, status twice, icon, attention icon, tooltip title and body,
   * theme path. */
  g_assert_cmpuint (notified, ==, 8);
}

/* The Menu property leads to the exported menu, which the host reads
 * and clicks through the item's name. */
static void
test_menu (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GVariant) properties = get_all (f);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GError) error = NULL;
  const char *menu_path;
  const char * const no_names[] = { NULL };
  int quit_id = -1;

  g_assert_true (g_variant_lookup (properties, "Menu", "&o", &menu_path));
  reply = burrow_test_call (f->host_bus, burrow_tray_get_bus_name (f->tray), menu_path,
                            "com.canonical.dbusmenu", "GetLayout",
                            g_variant_new ("(ii^as)", 0, -1, no_names), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u@(ia{sv}av))", NULL, &layout);
  children = g_variant_get_child_value (layout, 2);
  /* Sales warehouse, a separator, Open Burrow, Quit. */
  g_assert_cmpuint (g_variant_n_children (children), ==, 4);
  for (guint i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) child_properties = g_variant_get_child_value (child, 1);
      const char *label;

      if (g_variant_lookup (child_properties, "label", "&s", &label) && g_str_equal (label, "_Quit"))
        g_variant_get_child (child, 0, "i", &quit_id);
    }
  g_assert_cmpint (quit_id, >, 0);
  g_clear_pointer (&reply, g_variant_unref);

  reply = burrow_test_call (f->host_bus, burrow_tray_get_bus_name (f->tray), menu_path,
                            "com.canonical.dbusmenu", "Event",
                            g_variant_new ("(isvu)", quit_id, "clicked", g_variant_new_int32 (0), 0),
                            &error);
  g_assert_no_error (error);
  settle (f);
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 0), ==, "quit");
}

/* A tray with no menu still answers for Menu: the GNOME Shell extension
 * drops an item whose Menu cannot be read. */
static void
test_no_menu (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GVariant) properties = NULL;
  const char *menu_path;

  g_clear_object (&f->tray);
  f->tray = make_tray (f->app_bus, NULL, NULL);
  g_assert_null (burrow_tray_get_menu_path (f->tray));

  properties = get_all (f);
  g_assert_true (g_variant_lookup (properties, "Menu", "&o", &menu_path));
  g_assert_cmpstr (menu_path, ==, "/");
}

typedef struct
{
  BurrowTray   *tray;
  GApplication *app;
  int           x;
  int           y;
  char         *token;
  guint         n_activated;
  guint         n_app_activated;
  guint         n_secondary;
} Activation;

static void
on_tray_activate (BurrowTray *tray,
                  int         x,
                  int         y,
                  gpointer    user_data)
{
  Activation *activation = user_data;

  activation->x = x;
  activation->y = y;
  g_free (activation->token);
  activation->token = g_strdup (burrow_tray_get_activation_token (tray));
  activation->n_activated++;
  g_application_activate (activation->app);
}

static void
on_tray_secondary_activate (BurrowTray *tray,
                            int         x,
                            int         y,
                            gpointer    user_data)
{
  Activation *activation = user_data;

  activation->n_secondary++;
}

static void
on_app_activate (GApplication *app,
                 gpointer      user_data)
{
  Activation *activation = user_data;

  activation->n_app_activated++;
}

static gboolean
app_activated (gpointer data)
{
  return ((Activation *)data)->n_app_activated > 0;
}

static gboolean
secondary_activated (gpointer data)
{
  return ((Activation *)data)->n_secondary > 0;
}

static void
on_app_quit (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  gboolean *quit = user_data;

  *quit = TRUE;
}

static void
call_item (GDBusConnection *host,
           BurrowTray      *tray,
           const char      *method,
           GVariant        *parameters)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = burrow_test_call (host, burrow_tray_get_bus_name (tray), ITEM_PATH, ITEM_INTERFACE,
                            method, parameters, &error);
  g_assert_no_error (error);
}

/* As in the window: the tray on the application's own connection, with
 * the application as the action group. A click on the icon reaches the
 * application (which shows its window), with the host's activation
 * token; a menu entry runs the application's action. */
static void
test_activate_reaches_application (void)
{
  const char *address = bus_address ();
  g_autoptr(GApplication) app = NULL;
  g_autoptr(BurrowTestWatcher) watcher = burrow_test_watcher_new (address);
  g_autoptr(GDBusConnection) host = burrow_test_bus_connect (address);
  g_autoptr(GSimpleAction) quit = g_simple_action_new ("quit", NULL);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char * const no_names[] = { NULL };
  Activation activation = { NULL };
  gboolean quit_called = FALSE;

  app = g_application_new ("io.github.burrowapp.Burrow.TrayTest", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_app_activate), &activation);
  g_signal_connect (quit, "activate", G_CALLBACK (on_app_quit), &quit_called);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (quit));
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
  g_menu_append (menu, "_Quit", "app.quit");

  activation.app = app;
  activation.tray = burrow_tray_new (g_application_get_dbus_connection (app), APP_ID,
                                     G_MENU_MODEL (menu), G_ACTION_GROUP (app));
  g_signal_connect (activation.tray, "activate", G_CALLBACK (on_tray_activate), &activation);
  g_signal_connect (activation.tray, "secondary-activate",
                    G_CALLBACK (on_tray_secondary_activate), &activation);
  g_assert_true (burrow_test_wait_until (is_registered, activation.tray, 5000));

  call_item (host, activation.tray, "ProvideXdgActivationToken", g_variant_new ("(s)", "token-42"));
  call_item (host, activation.tray, "Activate", g_variant_new ("(ii)", 640, 12));
  g_assert_true (burrow_test_wait_until (app_activated, &activation, 5000));
  g_assert_cmpuint (activation.n_activated, ==, 1);
  g_assert_cmpint (activation.x, ==, 640);
  g_assert_cmpint (activation.y, ==, 12);
  g_assert_cmpstr (activation.token, ==, "token-42");
  /* A token serves one activation. */
  g_assert_null (burrow_tray_get_activation_token (activation.tray));

  call_item (host, activation.tray, "Activate", g_variant_new ("(ii)", 0, 0));
  g_assert_cmpuint (activation.n_app_activated, ==, 2);
  g_assert_null (activation.token);

  call_item (host, activation.tray, "SecondaryActivate", g_variant_new ("(ii)", 1, 2));
  g_assert_true (burrow_test_wait_until (secondary_activated, &activation, 5000));
  g_assert_cmpuint (activation.n_app_activated, ==, 2);

  /* Methods a host may call that need nothing from Burrow still answer. */
  call_item (host, activation.tray, "ContextMenu", g_variant_new ("(ii)", 1, 2));
  call_item (host, activation.tray, "Scroll", g_variant_new ("(is)", 120, "vertical"));

  reply = burrow_test_call (host, burrow_tray_get_bus_name (activation.tray),
                            burrow_tray_get_menu_path (activation.tray), "com.canonical.dbusmenu",
                            "GetLayout", g_variant_new ("(ii^as)", 0, -1, no_names), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) layout = NULL;
    g_autoptr(GVariant) children = NULL;
    g_autoptr(GVariant) boxed = NULL;
    g_autoptr(GVariant) item = NULL;
    int quit_id;

    g_variant_get (reply, "(u@(ia{sv}av))", NULL, &layout);
    children = g_variant_get_child_value (layout, 2);
    boxed = g_variant_get_child_value (children, 0);
    item = g_variant_get_variant (boxed);
    g_variant_get_child (item, 0, "i", &quit_id);
    g_clear_pointer (&reply, g_variant_unref);
    reply = burrow_test_call (host, burrow_tray_get_bus_name (activation.tray),
                              burrow_tray_get_menu_path (activation.tray), "com.canonical.dbusmenu",
                              "Event", g_variant_new ("(isvu)", quit_id, "clicked",
                                                      g_variant_new_int32 (0), 0),
                              &error);
    g_assert_no_error (error);
  }
  g_assert_true (burrow_test_wait_for_flag (&quit_called, 5000));

  g_assert_finalize_object (activation.tray);
  g_free (activation.token);
  g_dbus_connection_close_sync (host, NULL, NULL);
}

/* In a Flatpak sandbox the bus refuses the name
 * org.kde.StatusNotifierItem-PID-N: here another connection owns it
 * first. The item then registers by its connection's unique name, and a
 * host reaches it there. */
static void
test_name_taken (void)
{
  const char *address = bus_address ();
  g_autoptr(BurrowTestWatcher) watcher = burrow_test_watcher_new (address);
  g_autoptr(GDBusConnection) bus = burrow_test_bus_connect (address);
  g_autoptr(GDBusConnection) owner = burrow_test_bus_connect (address);
  g_autoptr(GDBusConnection) host = burrow_test_bus_connect (address);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) id = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *probe_name = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *entry = NULL;
  const char *unique_name = g_dbus_connection_get_unique_name (bus);
  BurrowTray *tray;
  guint32 request_result;
  guint n;

  /* Trays number their names in turn: the next one is known. */
  tray = make_tray (bus, NULL, NULL);
  probe_name = g_strdup (burrow_tray_get_bus_name (tray));
  g_assert_finalize_object (tray);
  n = (guint)g_ascii_strtoull (strrchr (probe_name, '-') + 1, NULL, 10);
  taken = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int)getpid (), n + 1);

  reply = g_dbus_connection_call_sync (owner, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", taken, 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &request_result);
  g_assert_cmpuint (request_result, ==, 1 /* primary owner */);
  g_clear_pointer (&reply, g_variant_unref);

  tray = make_tray (bus, NULL, NULL);
  g_assert_true (burrow_test_wait_until (is_registered, tray, 5000));
  g_assert_cmpstr (burrow_tray_get_bus_name (tray), ==, unique_name);
  entry = g_strconcat (unique_name, ITEM_PATH, NULL);
  g_assert_true (g_strv_contains (burrow_test_watcher_get_items (watcher), entry));

  reply = burrow_test_call (host, unique_name, ITEM_PATH, "org.freedesktop.DBus.Properties", "Get",
                            g_variant_new ("(ss)", ITEM_INTERFACE, "Id"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &id);
  g_assert_cmpstr (g_variant_get_string (id, NULL), ==, APP_ID);

  /* A panel that restarts takes it again by the same name. */
  burrow_test_watcher_stop (watcher);
  g_assert_true (burrow_test_wait_until (is_not_registered, tray, 5000));
  burrow_test_watcher_start (watcher);
  g_assert_true (burrow_test_watcher_wait_for_item (watcher, unique_name, TRUE, 5000));
  g_assert_true (burrow_test_wait_until (is_registered, tray, 5000));

  /* The item leaves with its connection. */
  g_assert_finalize_object (tray);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_assert_true (burrow_test_watcher_wait_for_item (watcher, unique_name, FALSE, 5000));
  g_dbus_connection_close_sync (owner, NULL, NULL);
  g_dbus_connection_close_sync (host, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);

  if (!g_test_subprocess ())
    {
      test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (test_bus);
    }

#define ADD(path, func) \
  g_test_add ("/burrow/tray/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("register", test_register);
  ADD ("watcher-restart", test_watcher_restart);
  ADD ("properties", test_properties);
  ADD ("signals", test_signals);
  ADD ("menu", test_menu);
  ADD ("no-menu", test_no_menu);
#undef ADD
  g_test_add_func ("/burrow/tray/no-watcher", test_no_watcher);
  g_test_add_func ("/burrow/tray/name-taken", test_name_taken);
  g_test_add_func ("/burrow/tray/activate-reaches-application", test_activate_reaches_application);

  status = g_test_run ();

  if (test_bus != NULL)
    g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);

  return status;
}
