/* test-application.c — the application around its window: the tray item
 * and its menu as a host reads them, notifications as a server gets
 * them, and start at login, against the real sshd, keyring and
 * PostgreSQL.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "burrow-application.h"
#include "burrow-connection-page.h"
#include "burrow-forget-key-dialog.h"
#include "burrow-host-key-dialog.h"
#include "burrow-host-keys-row.h"
#include "burrow-connection-row.h"
#include "burrow-connection-list.h"
#include "burrow-probe-dialog.h"
#include "burrow-state-banner.h"
#include "burrow-test-dialogs.h"
#include "burrow-test-app.h"
#include "burrow-test-database.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-notifications.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"
#include "burrow-test-up.h"
#include "burrow-test-watcher.h"
#include "burrow-window.h"

#define ITEM_PATH      "/StatusNotifierItem"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define MENU_PATH      "/StatusNotifierItem/Menu"
#define DBUSMENU       "com.canonical.dbusmenu"
#define TIMEOUT_MS     30000

/* One application for the whole program, as in a real session. */
static BurrowApplication *app;
static BurrowTestKeyring *keyring;
static BurrowTestDatabase *postgres;
static BurrowTestNotifications *notifications;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *
bus_address (void)
{
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS");
}

static BurrowEngine *
engine (void)
{
  return burrow_application_get_engine (app);
}

static BurrowTray *
tray (void)
{
  BurrowIndicator *indicator = burrow_application_get_indicator (app);

  g_assert_nonnull (indicator);
  return burrow_indicator_get_tray (indicator);
}

static gboolean
has_connection (gpointer name)
{
  return burrow_engine_find_by_name (engine (), name, NULL) != NULL;
}

/* The engine's connection NAME, once it picked up burrowctl's change. */
static BurrowConnection *
wait_for_connection (const char *name)
{
  g_assert_true (burrow_test_wait_until (has_connection, (gpointer)name, TIMEOUT_MS));
  return burrow_engine_find_by_name (engine (), name, NULL);
}

typedef struct
{
  BurrowConnection  *connection;
  BurrowTunnelState  state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;

  return burrow_connection_get_state (wait->connection) == wait->state &&
         !burrow_connection_get_busy (wait->connection);
}

static void
wait_for_state (BurrowConnection  *connection,
                BurrowTunnelState  state)
{
  StateWait wait = { connection, state };

  g_assert_true (burrow_test_wait_until (has_state, &wait, TIMEOUT_MS));
}

static void
remove_all_connections (void)
{
  burrow_test_app_remove_all (engine ());
}

static void
connect_now (BurrowConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  burrow_engine_connect_async (engine (), connection, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_test_wait_until (burrow_test_app_is_done, &result, TIMEOUT_MS));
  burrow_engine_connect_finish (engine (), result, &error);
  g_assert_no_error (error);
  wait_for_state (connection, BURROW_TUNNEL_UP);
}

static void
disconnect_all (void)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_engine_disconnect_all_async (engine (), NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_test_wait_until (burrow_test_app_is_done, &result, TIMEOUT_MS));
}

static gboolean
tray_registered (gpointer data)
{
  return burrow_tray_get_registered (tray ());
}

static gboolean
tray_not_registered (gpointer data)
{
  return !burrow_tray_get_registered (tray ());
}

/* ------------------------------------------------------------------ */
/* The host's side                                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowTestWatcher *watcher;
  GDBusConnection   *host_bus;
  BurrowTestSignals *signals;
} Host;

static void
host_start (Host *host)
{
  host->watcher = burrow_test_watcher_new (bus_address ());
  host->host_bus = burrow_test_bus_connect (bus_address ());
  host->signals = burrow_test_signals_new (host->host_bus, burrow_tray_get_bus_name (tray ()), NULL, NULL);
  g_assert_true (burrow_test_wait_until (tray_registered, NULL, TIMEOUT_MS));
}

static void
host_stop (Host *host)
{
  g_clear_pointer (&host->signals, burrow_test_signals_free);
  g_clear_pointer (&host->watcher, burrow_test_watcher_free);
  g_dbus_connection_close_sync (host->host_bus, NULL, NULL);
  g_clear_object (&host->host_bus);
  g_assert_true (burrow_test_wait_until (tray_not_registered, NULL, TIMEOUT_MS));
}

static GVariant *
host_call (Host        *host,
           const char  *path,
           const char  *interface,
           const char  *method,
           GVariant    *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = burrow_test_call (host->host_bus, burrow_tray_get_bus_name (tray ()), path, interface,
                            method, parameters, &error);
  g_assert_no_error (error);

  return reply;
}

static GVariant *
item_properties (Host *host)
{
  g_autoptr(GVariant) reply = host_call (host, ITEM_PATH, "org.freedesktop.DBus.Properties", "GetAll",
                                         g_variant_new ("(s)", ITEM_INTERFACE));

  return g_variant_get_child_value (reply, 0);
}

static char *
item_string (Host       *host,
             const char *name)
{
  g_autoptr(GVariant) properties = item_properties (host);
  char *value = NULL;

  g_assert_true (g_variant_lookup (properties, name, "s", &value));
  return value;
}

static char *
item_tooltip_body (Host *host)
{
  g_autoptr(GVariant) properties = item_properties (host);
  g_autoptr(GVariant) tooltip = g_variant_lookup_value (properties, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  char *body = NULL;

  g_assert_nonnull (tooltip);
  g_variant_get (tooltip, "(&s@a(iiay)&ss)", NULL, NULL, NULL, &body);
  return body;
}

/* One entry of the menu as the host reads it. */
typedef struct
{
  int       id;
  char     *label;
  char     *type;
  gboolean  enabled;
  int       toggle_state;   /* -1: no check mark */
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->label);
  g_free (entry->type);
}

/* The top-level entries, in order. */
static GArray *
read_menu (Host *host)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) children = NULL;
  const char * const no_names[] = { NULL };
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  guint revision;

  g_array_set_clear_func (entries, (GDestroyNotify)entry_clear);
  reply = host_call (host, MENU_PATH, DBUSMENU, "GetLayout", g_variant_new ("(ii^as)", 0, -1, no_names));
  g_variant_get (reply, "(u@(ia{sv}av))", &revision, &root);
  children = g_variant_get_child_value (root, 2);

  for (guint i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) properties = g_variant_get_child_value (child, 1);
      Entry entry = { 0, NULL, NULL, TRUE, -1 };

      g_variant_get_child (child, 0, "i", &entry.id);
      g_variant_lookup (properties, "label", "s", &entry.label);
      g_variant_lookup (properties, "type", "s", &entry.type);
      g_variant_lookup (properties, "enabled", "b", &entry.enabled);
      g_variant_lookup (properties, "toggle-state", "i", &entry.toggle_state);
      g_array_append_val (entries, entry);
    }

  return entries;
}

/* The entry whose label starts with @prefix. */
static Entry *
find_entry (GArray     *entries,
            const char *prefix)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (entry->label != NULL && g_str_has_prefix (entry->label, prefix))
        return entry;
    }

  return NULL;
}

static void
click (Host *host,
       int   id)
{
  g_autoptr(GVariant) reply = host_call (host, MENU_PATH, DBUSMENU, "Event",
                                         g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0));
}

typedef struct
{
  Host       *host;
  const char *label;
} MenuWait;

static gboolean
menu_has (gpointer data)
{
  MenuWait *wait = data;
  g_autoptr(GArray) entries = read_menu (wait->host);

  return find_entry (entries, wait->label) != NULL;
}

static void
wait_for_entry (Host       *host,
                const char *label)
{
  MenuWait wait = { host, label };

  g_assert_true (burrow_test_wait_until (menu_has, &wait, TIMEOUT_MS));
}

static gboolean
window_shown (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return BURROW_IS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window));
}

/* ------------------------------------------------------------------ */
/* Tests: the tray                                                     */
/* ------------------------------------------------------------------ */

/* The item registers with the watcher, again after the panel restarts,
 * and says what a host needs to show it. */
static void
test_tray_registers (void)
{
  Host host = { NULL };
  g_autofree char *entry = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GVariant) properties = NULL;
  gboolean item_is_menu = TRUE;
  const char *menu = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  host_start (&host);
  entry = g_strconcat (burrow_tray_get_bus_name (tray ()), ITEM_PATH, NULL);
  g_assert_true (g_strv_contains (burrow_test_watcher_get_items (host.watcher), entry));

  properties = item_properties (&host);
  g_assert_true (g_variant_lookup (properties, "ItemIsMenu", "b", &item_is_menu));
  g_assert_false (item_is_menu);
  g_assert_true (g_variant_lookup (properties, "Menu", "&o", &menu));
  g_assert_cmpstr (menu, ==, MENU_PATH);
  {
    g_autofree char *id = item_string (&host, "Id");
    g_autofree char *title = item_string (&host, "Title");
    g_autofree char *category = item_string (&host, "Category");
    g_autofree char *icon = item_string (&host, "IconName");
    g_autofree char *attention = item_string (&host, "AttentionIconName");
    g_autofree char *status = item_string (&host, "Status");

    g_assert_cmpstr (id, ==, APP_ID);
    g_assert_cmpstr (title, ==, "Burrow");
    g_assert_cmpstr (category, ==, "ApplicationStatus");
    g_assert_cmpstr (icon, ==, APP_ID "-symbolic");
    g_assert_cmpstr (attention, ==, APP_ID "-attention-symbolic");
    g_assert_cmpstr (status, ==, "Passive");
  }
  body = item_tooltip_body (&host);
  g_assert_cmpstr (body, ==, "No tunnel is up");

  /* The panel restarts: a new watcher, which knows no item until it
   * registers again. */
  burrow_test_watcher_stop (host.watcher);
  g_assert_true (burrow_test_wait_until (tray_not_registered, NULL, TIMEOUT_MS));
  burrow_test_watcher_start (host.watcher);
  g_assert_true (burrow_test_wait_until (tray_registered, NULL, TIMEOUT_MS));
  g_assert_true (burrow_test_watcher_wait_for_item (host.watcher, burrow_tray_get_bus_name (tray ()), TRUE, TIMEOUT_MS));
  g_assert_cmpuint (burrow_test_watcher_get_n_registered (host.watcher), ==, 2);

  host_stop (&host);
}

/* The menu lists the real connections; a click brings a real tunnel up
 * that psql talks through, and the host hears of every change. */
static void
test_tray_menu (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(BurrowTestSshd) down = burrow_test_app_start_sshd ();
  g_autoptr(GArray) entries = NULL;
  g_autofree char *address = NULL;
  g_autofree char *label = NULL;
  g_autofree char *out = NULL;
  Host host = { NULL };
  BurrowConnection *sales, *legacy, *finance;
  gboolean success = FALSE;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  burrow_test_app_add_connection ("Legacy_DWH", sshd, postgres, NULL);
  /* A bastion that is gone: its port closed. */
  burrow_test_app_add_connection ("Finance", down, postgres, NULL);
  burrow_test_sshd_stop (down);
  sales = wait_for_connection ("Sales warehouse");
  legacy = wait_for_connection ("Legacy_DWH");
  finance = wait_for_connection ("Finance");

  host_start (&host);
  wait_for_entry (&host, "Finance");
  entries = read_menu (&host);
  g_assert_cmpuint (entries->len, ==, 8);
  g_assert_cmpstr (g_array_index (entries, Entry, 0).label, ==, "Sales warehouse");
  /* A name's "_" is no mnemonic. */
  g_assert_cmpstr (g_array_index (entries, Entry, 1).label, ==, "Legacy__DWH");
  g_assert_cmpstr (g_array_index (entries, Entry, 2).label, ==, "Finance");
  g_assert_cmpstr (g_array_index (entries, Entry, 3).type, ==, "separator");
  g_assert_cmpstr (g_array_index (entries, Entry, 4).label, ==, "_Open Burrow");
  g_assert_cmpstr (g_array_index (entries, Entry, 5).label, ==, "_Disconnect All");
  g_assert_cmpstr (g_array_index (entries, Entry, 6).type, ==, "separator");
  g_assert_cmpstr (g_array_index (entries, Entry, 7).label, ==, "_Quit");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (g_array_index (entries, Entry, i).toggle_state, ==, 0);
      g_assert_true (g_array_index (entries, Entry, i).enabled);
    }
  g_assert_false (find_entry (entries, "_Disconnect All")->enabled);

  /* A click brings the tunnel up. */
  burrow_test_signals_clear (host.signals);
  click (&host, find_entry (entries, "Sales warehouse")->id);
  wait_for_state (sales, BURROW_TUNNEL_UP);
  out = burrow_test_psql (burrow_connection_get_local_port (sales), "SELECT 6 * 7", &success);
  g_assert_true (success);
  g_assert_cmpstr (out, ==, "42");

  /* The host hears that the entry changed, and reads it checked, with
   * its address. */
  address = g_strdup (burrow_connection_get_local_address (sales));
  label = g_strdup_printf ("Sales warehouse — %s", address);
  wait_for_entry (&host, label);
  g_assert_cmpuint (burrow_test_signals_count (host.signals, "ItemsPropertiesUpdated") +
                    burrow_test_signals_count (host.signals, "LayoutUpdated"), >, 0);
  g_clear_pointer (&entries, g_array_unref);
  entries = read_menu (&host);
  g_assert_cmpint (find_entry (entries, "Sales warehouse")->toggle_state, ==, 1);
  g_assert_cmpint (find_entry (entries, "Legacy__DWH")->toggle_state, ==, 0);
  g_assert_true (find_entry (entries, "_Disconnect All")->enabled);
  {
    g_autofree char *icon = item_string (&host, "IconName");
    g_autofree char *status = item_string (&host, "Status");
    g_autofree char *body = item_tooltip_body (&host);
    g_autofree char *expected = g_strdup_printf ("1 tunnel up: Sales warehouse %s", address);

    g_assert_cmpstr (icon, ==, APP_ID "-up-symbolic");
    g_assert_cmpstr (status, ==, "Active");
    g_assert_cmpstr (body, ==, expected);
    g_assert_nonnull (burrow_test_signals_wait (host.signals, "NewIcon", 1, TIMEOUT_MS));
    g_assert_nonnull (burrow_test_signals_wait (host.signals, "NewToolTip", 1, TIMEOUT_MS));
    g_assert_nonnull (burrow_test_signals_wait (host.signals, "NewStatus", 1, TIMEOUT_MS));
  }

  /* The second one on the same bastion; then the one whose bastion is
   * gone keeps trying, and the item asks for attention. */
  click (&host, find_entry (entries, "Legacy__DWH")->id);
  wait_for_state (legacy, BURROW_TUNNEL_UP);
  click (&host, find_entry (entries, "Finance")->id);
  wait_for_entry (&host, "Finance — reconnecting…");
  g_assert_cmpint (burrow_connection_get_state (finance), ==, BURROW_TUNNEL_RECONNECTING);
  {
    g_autofree char *icon = item_string (&host, "IconName");
    g_autofree char *status = item_string (&host, "Status");
    g_autofree char *body = item_tooltip_body (&host);

    g_assert_cmpstr (icon, ==, APP_ID "-attention-symbolic");
    g_assert_cmpstr (status, ==, "NeedsAttention");
    g_assert_true (g_str_has_prefix (body, "2 tunnels up: Sales warehouse 127.0.0.1:"));
    g_assert_nonnull (strstr (body, ", Legacy_DWH 127.0.0.1:"));
    g_assert_nonnull (strstr (body, "\nFinance is reconnecting"));
  }

  /* A click on a checked entry takes its tunnel down. */
  g_clear_pointer (&entries, g_array_unref);
  entries = read_menu (&host);
  click (&host, find_entry (entries, "Legacy__DWH")->id);
  wait_for_state (legacy, BURROW_TUNNEL_STOPPED);
  wait_for_entry (&host, "Legacy__DWH");
  g_clear_pointer (&entries, g_array_unref);
  entries = read_menu (&host);
  g_assert_cmpint (find_entry (entries, "Legacy__DWH")->toggle_state, ==, 0);
  g_assert_cmpstr (find_entry (entries, "Legacy__DWH")->label, ==, "Legacy__DWH");

  /* Disconnect All. */
  click (&host, find_entry (entries, "_Disconnect All")->id);
  wait_for_state (sales, BURROW_TUNNEL_STOPPED);
  out = (g_free (out), burrow_test_psql ((guint16)atoi (strrchr (address, ':') + 1), "SELECT 1", &success));
  g_assert_false (success);

  /* A connection burrowctl adds shows up: the layout changes. */
  burrow_test_signals_clear (host.signals);
  burrow_test_app_add_connection ("Added later", sshd, postgres, NULL);
  wait_for_entry (&host, "Added later");
  g_assert_nonnull (burrow_test_signals_wait (host.signals, "LayoutUpdated", 1, TIMEOUT_MS));

  disconnect_all ();
  host_stop (&host);
}

/* The host's primary action, and "Open Burrow", show the window. */
static void
test_tray_activate (void)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GVariant) reply = NULL;
  Host host = { NULL };

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_test_close_windows ();
  host_start (&host);
  g_assert_false (window_shown (NULL));

  reply = host_call (&host, ITEM_PATH, ITEM_INTERFACE, "Activate", g_variant_new ("(ii)", 0, 0));
  g_assert_true (burrow_test_wait_until (window_shown, NULL, TIMEOUT_MS));
  burrow_test_close_windows ();
  g_assert_false (window_shown (NULL));

  entries = read_menu (&host);
  click (&host, find_entry (entries, "_Open Burrow")->id);
  g_assert_true (burrow_test_wait_until (window_shown, NULL, TIMEOUT_MS));

  burrow_test_close_windows ();
  host_stop (&host);
}

/* ------------------------------------------------------------------ */
/* Tests: notifications                                                */
/* ------------------------------------------------------------------ */

static gboolean
notifier_available (gpointer data)
{
  return burrow_notifier_get_available (burrow_application_get_notifier (app));
}

static gboolean
notification_arrived (gpointer data)
{
  return burrow_test_notifications_find (notifications, data) != NULL;
}

static const BurrowTestNotification *
wait_for_notification (const char *summary_part)
{
  g_assert_true (burrow_test_wait_until (notification_arrived, (gpointer)summary_part, TIMEOUT_MS));
  return burrow_test_notifications_find (notifications, summary_part);
}

static gboolean
page_shows (gpointer connection)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *page;

  if (!BURROW_IS_WINDOW (window))
    return FALSE;
  page = burrow_window_get_page (BURROW_WINDOW (window));

  return page != NULL && burrow_connection_page_get_connection (BURROW_CONNECTION_PAGE (page)) == connection;
}

static gboolean
some_closed (gpointer data)
{
  return burrow_test_notifications_get_n_closed (notifications) > 0;
}

/* A tunnel that drops, comes back and gives up is notified, each
 * replacing the last; a click opens its page; stopping it takes the
 * notification away. */
static void
test_notifications (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autoptr(GError) error = NULL;
  const BurrowTestNotification *dropped, *back, *gave_up;
  BurrowConnection *sales;
  g_autofree char *expected = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  g_assert_true (burrow_test_wait_until (notifier_available, NULL, TIMEOUT_MS));
  burrow_test_notifications_clear (notifications);
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  sales = wait_for_connection ("Sales warehouse");
  connect_now (sales);
  /* Coming up is no news. */
  burrow_test_iterate (300);
  g_assert_cmpuint (burrow_test_notifications_get_n (notifications), ==, 0);

  /* The bastion dies. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
  burrow_test_sshd_stop (sshd);
  dropped = wait_for_notification ("“Sales warehouse” lost its connection");
  g_assert_true (g_str_has_suffix (dropped->body, "Burrow is reconnecting."));
  g_assert_cmpstr (dropped->desktop_entry, ==, APP_ID);
  g_assert_cmpstr (dropped->actions[0], ==, "default");

  /* It comes back: the same notification, replaced. */
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  burrow_engine_retry_now (engine (), sales);
  back = wait_for_notification ("“Sales warehouse” is up again");
  expected = g_strdup_printf ("Your tools reach it on %s again.", burrow_connection_get_local_address (sales));
  g_assert_cmpstr (back->body, ==, expected);
  g_assert_cmpuint (back->replaces_id, ==, dropped->id);

  /* A click on it opens Burrow on that connection. */
  burrow_test_notifications_invoke (notifications, back->id, "default");
  g_assert_true (burrow_test_wait_until (page_shows, sales, TIMEOUT_MS));
  burrow_test_close_windows ();

  /* The bastion comes back with another host key: Burrow gives up. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  gave_up = wait_for_notification ("“Sales warehouse” gave up reconnecting");
  g_assert_nonnull (strstr (gave_up->body, "host key"));
  g_assert_cmpint (burrow_connection_get_state (sales), ==, BURROW_TUNNEL_FAILED);

  /* Stopped on purpose: the notification goes. */
  burrow_engine_disconnect_async (engine (), sales, NULL, NULL, NULL);
  wait_for_state (sales, BURROW_TUNNEL_STOPPED);
  g_assert_true (burrow_test_wait_until (some_closed, NULL, TIMEOUT_MS));
}

/* With notifications off, a tunnel that drops says nothing. */
static void
test_notifications_off (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  GSettings *settings = burrow_application_get_settings (app);
  BurrowConnection *sales;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  g_assert_true (burrow_test_wait_until (notifier_available, NULL, TIMEOUT_MS));
  g_settings_set_boolean (settings, "notifications", FALSE);
  burrow_test_notifications_clear (notifications);
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  sales = wait_for_connection ("Sales warehouse");
  connect_now (sales);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
  burrow_test_sshd_stop (sshd);
  wait_for_state (sales, BURROW_TUNNEL_RECONNECTING);
  burrow_test_iterate (500);
  g_assert_cmpuint (burrow_test_notifications_get_n (notifications), ==, 0);

  disconnect_all ();
  g_settings_set_boolean (settings, "notifications", TRUE);
}

/* ------------------------------------------------------------------ */
/* Tests: start at login                                               */
/* ------------------------------------------------------------------ */

static gboolean
autostart_idle (gpointer data)
{
  return !burrow_autostart_get_busy (data);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
file_missing (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Outside a sandbox, the switch writes and removes the XDG autostart
 * entry, which runs this very program hidden. */
static void
test_autostart_file (void)
{
  GSettings *settings = burrow_application_get_settings (app);
  g_autofree char *path = burrow_autostart_dup_file_path ();
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *expected_exec = g_strdup_printf ("%s --autostart", program);
  g_autofree char *exec = NULL;
  g_autofree char *validate = burrow_test_find_program ("desktop-file-validate");
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (burrow_test_wait_until (file_exists, path, TIMEOUT_MS));
  g_assert_true (burrow_test_wait_until (autostart_idle, burrow_application_get_autostart (app), TIMEOUT_MS));

  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, expected_exec);
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL));
  if (validate != NULL)
    {
      const char *argv[] = { validate, path, NULL };
      g_autofree char *output = NULL;

      g_assert_true (burrow_test_run (argv, NULL, &output, &error));
      g_assert_no_error (error);
    }

  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (burrow_test_wait_until (file_missing, path, TIMEOUT_MS));
  g_assert_true (burrow_test_wait_until (autostart_idle, burrow_application_get_autostart (app), TIMEOUT_MS));
}

/* The file is what the session reads: at start the switch follows it,
 * and a program path with a space is quoted as the specification says. */
static void
test_autostart_follows_file (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (BASE_APP_ID, backend);
  g_autofree char *path = burrow_autostart_dup_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(BurrowAutostart) autostart = NULL;
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "[Desktop Entry]\nType=Application\nName=Burrow\nExec=burrow\n", -1, &error);
  g_assert_no_error (error);

  autostart = burrow_autostart_new (NULL, settings, "/opt/Data Tools/burrow", FALSE);
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  g_assert_false (burrow_autostart_get_busy (autostart));

  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (burrow_test_wait_until (file_missing, path, TIMEOUT_MS));
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));

  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (burrow_test_wait_until (file_exists, path, TIMEOUT_MS));
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "\"/opt/Data Tools/burrow\" --autostart");
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, &error));
  g_assert_cmpstr (argv[0], ==, "/opt/Data Tools/burrow");

  /* Gone behind Burrow's back: the next start says so. */
  g_clear_object (&autostart);
  g_assert_cmpint (g_unlink (path), ==, 0);
  autostart = burrow_autostart_new (NULL, settings, "/opt/Data Tools/burrow", FALSE);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
}

static gboolean
has_requests (gpointer portal)
{
  return burrow_test_portal_get_n_requests (portal) > 0;
}

/* Inside Flatpak the Background portal is asked, with the command that
 * starts Burrow hidden; a refusal turns the switch off again. */
static void
test_autostart_portal (void)
{
  g_autoptr(BurrowTestPortal) portal = burrow_test_portal_new (bus_address ());
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (BASE_APP_ID, backend);
  g_autofree char *path = burrow_autostart_dup_file_path ();
  g_autoptr(BurrowAutostart) autostart = NULL;
  g_autofree const char **command = NULL;
  GVariant *request;
  gboolean flag = FALSE;
  const char *reason = NULL;

  autostart = burrow_autostart_new (NULL, settings, "/app/bin/burrow", TRUE);

  burrow_test_portal_set_answer (portal, BURROW_TEST_PORTAL_GRANT);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (burrow_test_wait_until (has_requests, portal, TIMEOUT_MS));
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));
  request = burrow_test_portal_get_request (portal, 0);
  g_assert_true (g_variant_lookup (request, "autostart", "b", &flag));
  g_assert_true (flag);
  g_assert_true (g_variant_lookup (request, "dbus-activatable", "b", &flag));
  g_assert_true (flag);
  g_assert_true (g_variant_lookup (request, "commandline", "^a&s", &command));
  g_assert_cmpuint (g_strv_length ((GStrv)command), ==, 2);
  g_assert_cmpstr (command[0], ==, "burrow");
  g_assert_cmpstr (command[1], ==, "--autostart");
  g_assert_true (g_variant_lookup (request, "reason", "&s", &reason));
  g_assert_cmpstr (reason, !=, "");
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  /* Nothing is written inside the sandbox. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));
  g_assert_cmpuint (burrow_test_portal_get_n_requests (portal), ==, 2);
  g_assert_true (g_variant_lookup (burrow_test_portal_get_request (portal, 1), "autostart", "b", &flag));
  g_assert_false (flag);

  /* The person says no: the switch goes back off. */
  burrow_test_portal_set_answer (portal, BURROW_TEST_PORTAL_REFUSE);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));
  burrow_test_iterate (100);
  g_assert_cmpuint (burrow_test_portal_get_n_requests (portal), ==, 3);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));

  /* Or dismisses the question. */
  burrow_test_portal_set_answer (portal, BURROW_TEST_PORTAL_CANCEL);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (burrow_test_wait_until (autostart_idle, autostart, TIMEOUT_MS));
  burrow_test_iterate (100);
  g_assert_cmpuint (burrow_test_portal_get_n_requests (portal), ==, 4);
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
}


/* ------------------------------------------------------------------ */
/* Tests: the connection page                                          */
/* ------------------------------------------------------------------ */

static gboolean
probe_ended (gpointer dialog)
{
  return burrow_probe_dialog_get_probe (dialog) != NULL && !burrow_probe_dialog_get_busy (dialog);
}

/* Runs the page's test and returns its dialog once the test stopped. */
static BurrowProbeDialog *
test_page (BurrowConnectionPage *page)
{
  BurrowProbeDialog *dialog;

  burrow_connection_page_test (page);
  dialog = BURROW_PROBE_DIALOG (burrow_test_wait_for_toplevel (BURROW_TYPE_PROBE_DIALOG));
  g_assert_true (burrow_test_wait_until (probe_ended, dialog, TIMEOUT_MS));

  return dialog;
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");

  return contents;
}

typedef struct
{
  const char *path;
  const char *needle;
} FileQuery;

static gboolean
file_lacks (gpointer data)
{
  FileQuery *query = data;
  g_autofree char *contents = read_file (query->path);

  return strstr (contents, query->needle) == NULL;
}

/* A bastion whose key was replaced: the warning points at Forget…, which
 * asks with both fingerprints, forgets only the bastion's key, and the
 * next test records the new one. */
static void
test_forget_host_key (void)
{
  g_autoptr(BurrowTestSshd) bastion = burrow_test_app_start_sshd ();
  g_autoptr(BurrowTestSshd) jump = burrow_test_app_start_sshd ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jump_option = NULL;
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *new_fingerprint = NULL;
  g_autofree char *bastion_entry = NULL;
  g_autofree char *jump_entry = NULL;
  g_autofree char *bastion_label = NULL;
  g_autofree char *jump_label = NULL;
  g_autofree char *label = NULL;
  g_autofree char *known = NULL;
  g_autoptr(GVariant) target = NULL;
  const char *known_hosts = burrow_engine_get_known_hosts_file (engine ());
  BurrowConnection *sales;
  BurrowConnectionPage *page;
  BurrowProbeDialog *probe;
  BurrowHostKeysRow *row;
  GMenuModel *menu;
  GtkWindow *dialog;
  BurrowWindow *window;
  FileQuery gone;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  /* The jump host takes the same key as the bastion. */
  {
    g_autofree char *public_key = burrow_test_sshd_get_client_public_key (bastion);

    burrow_test_sshd_add_authorized_key (jump, public_key);
  }
  jump_option = g_strdup_printf ("--jump=%s@127.0.0.1:%u", burrow_test_sshd_get_user (jump),
                                 burrow_test_sshd_get_port (jump));
  burrow_test_app_add_connection ("Sales warehouse", bastion, postgres, jump_option);
  sales = wait_for_connection ("Sales warehouse");
  bastion_entry = g_strdup_printf ("[127.0.0.1]:%u ", burrow_test_sshd_get_port (bastion));
  jump_entry = g_strdup_printf ("[127.0.0.1]:%u ", burrow_test_sshd_get_port (jump));
  known = read_file (known_hosts);
  g_assert_nonnull (strstr (known, bastion_entry));
  g_assert_nonnull (strstr (known, jump_entry));

  old_fingerprint = burrow_test_sshd_get_host_key_fingerprint (bastion);
  burrow_test_sshd_swap_host_key (bastion, &error);
  g_assert_no_error (error);
  new_fingerprint = burrow_test_sshd_get_host_key_fingerprint (bastion);
  g_assert_cmpstr (old_fingerprint, !=, new_fingerprint);

  /* The test stops at the changed key, and says where to go. */
  window = burrow_test_app_open_window (app);
  page = burrow_test_app_show_page (window, sales);
  probe = test_page (page);
  dialog = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "The Bastion’s Key Has Changed");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "forget the recorded key with “Forget…” under Recorded Host Keys"));
  g_assert_null (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "known_hosts"));
  burrow_test_respond (dialog, "_Close");
  gtk_window_close (GTK_WINDOW (probe));
  burrow_test_iterate (100);

  /* Forget… lists the servers in the order they are reached. */
  row = BURROW_HOST_KEYS_ROW (burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_HOST_KEYS_ROW, NULL));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  {
    GtkWidget *tunnel = burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW, "SSH Tunnel");

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (tunnel), TRUE);
    burrow_test_iterate (300);
    g_free (burrow_test_screenshot (gtk_widget_get_parent (gtk_widget_get_parent (tunnel)), "tunnel-group-host-keys"));
  }
  menu = burrow_host_keys_row_get_menu (row);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  jump_label = g_strdup_printf ("Jump host 127.0.0.1 (port %u)…", burrow_test_sshd_get_port (jump));
  bastion_label = g_strdup_printf ("Bastion 127.0.0.1 (port %u)…", burrow_test_sshd_get_port (bastion));
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, jump_label);
  g_clear_pointer (&label, g_free);
  g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, bastion_label);
  target = g_menu_model_get_item_attribute_value (menu, 1, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE ("(sq)"));
  g_assert_nonnull (target);

  /* It asks, naming the server, with both fingerprints; Cancel keeps
   * the key. */
  gtk_widget_activate_action_variant (GTK_WIDGET (page), "page.forget-host-key", target);
  dialog = burrow_test_wait_for_toplevel (BURROW_TYPE_FORGET_KEY_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (dialog));
  {
    g_autofree char *heading = g_strdup_printf ("Forget the Host Key of 127.0.0.1 (port %u)?",
                                                burrow_test_sshd_get_port (bastion));

    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  }
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), old_fingerprint + strlen ("SHA256:")));
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), new_fingerprint + strlen ("SHA256:")));
  burrow_test_screenshot_styles (GTK_WIDGET (dialog), "forget-host-key");
  burrow_test_respond (dialog, "_Cancel");
  burrow_test_iterate (200);
  g_clear_pointer (&known, g_free);
  known = read_file (known_hosts);
  g_assert_nonnull (strstr (known, bastion_entry));

  /* Forget Key: the bastion's goes, the jump host's stays. */
  gtk_widget_activate_action_variant (GTK_WIDGET (page), "page.forget-host-key", target);
  dialog = burrow_test_wait_for_toplevel (BURROW_TYPE_FORGET_KEY_DIALOG);
  burrow_test_respond (dialog, "_Forget Key");
  gone = (FileQuery) { known_hosts, bastion_entry };
  g_assert_true (burrow_test_wait_until (file_lacks, &gone, TIMEOUT_MS));
  g_clear_pointer (&known, g_free);
  known = read_file (known_hosts);
  g_assert_nonnull (strstr (known, jump_entry));
  burrow_test_iterate (200);
  g_assert_nonnull (burrow_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Test"));

  /* The next test asks to trust the key the bastion shows now. */
  probe = test_page (page);
  dialog = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Trust the Bastion’s Key?");
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), new_fingerprint + strlen ("SHA256:")));
  burrow_test_respond (dialog, "_Trust");
  g_assert_true (burrow_test_wait_until (probe_ended, probe, TIMEOUT_MS));
  g_assert_true (burrow_test_shows (GTK_WIDGET (probe), "The Connection Works"));
  gtk_window_close (GTK_WINDOW (probe));

  connect_now (sales);
  disconnect_all ();
  burrow_test_close_windows ();
}

static gboolean
marked_at_start (gpointer connection)
{
  return burrow_profile_get_connect_at_start (burrow_connection_get_profile (connection));
}

/* "Connect when Burrow starts at login" is the connection's own, saved
 * with it, without a test: the way to the database is the same. */
static void
test_connect_at_start_switch (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_app_start_sshd ();
  g_autofree char *ini_path = g_build_filename (g_get_user_config_dir (), "burrow", "connections.ini", NULL);
  g_autofree char *ini = NULL;
  BurrowConnection *sales;
  BurrowConnectionPage *page;
  GtkWidget *row;
  GtkWidget *toggle;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  sales = wait_for_connection ("Sales warehouse");
  page = burrow_test_app_show_page (burrow_test_app_open_window (app), sales);

  row = burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Connect when Burrow starts at login");
  g_assert_nonnull (row);
  toggle = burrow_test_find_widget (row, GTK_TYPE_SWITCH, NULL);
  burrow_test_assert_accessible_name (toggle, "Connect when Burrow starts at login");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (burrow_connection_page_get_dirty (page));
  g_free (burrow_test_screenshot (gtk_widget_get_parent (gtk_widget_get_parent (row)), "endpoint-group-at-start"));
  gtk_widget_activate_action (GTK_WIDGET (page), "page.save", NULL);
  g_assert_true (burrow_test_wait_until (marked_at_start, sales, TIMEOUT_MS));
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_PROBE_DIALOG));
  ini = read_file (ini_path);
  g_assert_nonnull (strstr (ini, "connect-at-start=true"));

  burrow_test_close_windows ();
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }

  return FALSE;
}

static void
collect_menu_buttons (GtkWidget *widget,
                      GPtrArray *found)
{
  if (GTK_IS_MENU_BUTTON (widget))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_menu_buttons (child, found);
}

/* With tunnels kept up behind a closed window, Quit is where people look
 * for it: in the main menu. */
static void
test_quit_in_menu (void)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean found = FALSE;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_test_close_windows ();
  collect_menu_buttons (GTK_WIDGET (burrow_test_app_open_window (app)), buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (g_ptr_array_index (buttons, i));

      found |= menu != NULL && menu_has_action (menu, "app.quit");
    }
  g_assert_true (found);

  burrow_test_close_windows ();
}

/* ------------------------------------------------------------------ */
/* Tests: a tunnel another process runs                                */
/* ------------------------------------------------------------------ */

static gboolean
runs_elsewhere (gpointer connection)
{
  return burrow_connection_get_running_elsewhere (connection) != 0;
}

static gboolean
runs_nowhere (gpointer connection)
{
  return burrow_connection_get_running_elsewhere (connection) == 0;
}

/* A tunnel that `burrowctl up` runs reads as up there, in the list, on
 * the page and in the tray's menu, and nothing here offers to start a
 * second one on another port: Connect, the switch and the menu entry
 * are out of reach until it stops there. */
static void
test_running_elsewhere (void)
{
  g_autoptr(BurrowTestSshd) sshd = NULL;
  g_autoptr(BurrowTestUp) up = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *label = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *body = NULL;
  g_autofree char *out = NULL;
  Host host = { NULL };
  BurrowWindow *window;
  BurrowConnection *sales;
  BurrowConnectionPage *page;
  BurrowConnectionRow *row;
  BurrowStateBanner *banner;
  GtkWidget *connect_button;
  GtkSwitch *switch_;
  gboolean success = FALSE;
  guint16 port;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  remove_all_connections ();
  burrow_test_close_windows ();
  sshd = burrow_test_app_start_sshd ();
  burrow_test_app_add_connection ("Sales warehouse", sshd, postgres, NULL);
  sales = wait_for_connection ("Sales warehouse");
  host_start (&host);
  wait_for_entry (&host, "Sales warehouse");

  window = burrow_test_app_open_window (app);
  page = burrow_test_app_show_page (window, sales);
  row = BURROW_CONNECTION_ROW (burrow_connection_list_get_row (BURROW_CONNECTION_LIST (burrow_window_get_list (window)),
                                                               sales));
  switch_ = burrow_connection_row_get_switch (row);
  banner = BURROW_STATE_BANNER (burrow_test_find_widget (GTK_WIDGET (page), BURROW_TYPE_STATE_BANNER, NULL));
  connect_button = burrow_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Connect");
  g_assert_nonnull (connect_button);
  g_assert_true (gtk_widget_is_sensitive (connect_button));

  /* burrowctl up, as in a terminal beside the window. */
  up = burrow_test_up_new ("Sales warehouse", NULL, &error);
  g_assert_no_error (error);
  port = burrow_test_up_get_port (up);
  g_assert_true (burrow_test_wait_until (runs_elsewhere, sales, TIMEOUT_MS));
  g_assert_cmpuint (burrow_connection_get_running_elsewhere (sales), ==, (guint)burrow_test_up_get_pid (up));
  summary = g_strdup_printf ("Runs in burrowctl (pid %d) on 127.0.0.1:%u", burrow_test_up_get_pid (up), port);
  g_assert_cmpstr (burrow_connection_get_running_elsewhere_summary (sales), ==, summary);
  burrow_test_iterate (100);

  /* The row and the banner say where it is up. */
  g_assert_cmpstr (burrow_connection_row_get_state_text (row), ==, summary);
  g_assert_true (gtk_switch_get_active (switch_));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (switch_)));
  g_assert_true (burrow_state_banner_get_revealed (banner));
  g_assert_cmpstr (burrow_state_banner_get_title (banner), ==, summary);
  g_assert_nonnull (strstr (burrow_state_banner_get_detail (banner), "another Burrow process"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (burrow_state_banner_get_button (banner))));

  /* Its address is the one to copy, and it leads to the database. */
  g_signal_emit_by_name (burrow_test_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON, NULL), "clicked");
  copied = burrow_test_dup_clipboard (GTK_WIDGET (banner));
  label = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_cmpstr (copied, ==, label);
  out = burrow_test_psql (port, "SELECT 6 * 7", &success);
  g_assert_true (success);
  g_assert_cmpstr (out, ==, "42");

  /* Connect has nothing to add: no second tunnel on another port. */
  g_assert_false (gtk_widget_is_sensitive (connect_button));
  burrow_connection_page_toggle_connection (page);
  burrow_test_iterate (500);
  g_assert_cmpint (burrow_connection_get_state (sales), ==, BURROW_TUNNEL_STOPPED);
  g_assert_false (burrow_connection_get_busy (sales));
  g_assert_null (burrow_connection_get_error (sales));
  g_assert_cmpstr (burrow_state_banner_get_title (banner), ==, summary);
  burrow_test_screenshot_styles (GTK_WIDGET (window), "window-running-elsewhere");

  /* The tray's entry says so too, checked, and a click does nothing. */
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("Sales warehouse — %s", summary);
  wait_for_entry (&host, label);
  entries = read_menu (&host);
  g_assert_cmpint (find_entry (entries, "Sales warehouse")->toggle_state, ==, 1);
  g_assert_false (find_entry (entries, "Sales warehouse")->enabled);
  click (&host, find_entry (entries, "Sales warehouse")->id);
  burrow_test_iterate (500);
  g_assert_cmpint (burrow_connection_get_state (sales), ==, BURROW_TUNNEL_STOPPED);
  g_assert_false (burrow_connection_get_busy (sales));
  body = item_tooltip_body (&host);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("Sales warehouse: %s", summary);
  g_assert_nonnull (strstr (body, label));

  /* Stopped there, it can be connected here again. */
  g_assert_cmpint (burrow_test_up_stop (up, SIGINT), ==, 0);
  g_clear_pointer (&up, burrow_test_up_free);
  g_assert_true (burrow_test_wait_until (runs_nowhere, sales, TIMEOUT_MS));
  burrow_test_iterate (100);
  g_assert_cmpstr (burrow_connection_row_get_state_text (row), ==, "Stopped");
  g_assert_false (gtk_switch_get_active (switch_));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (switch_)));
  g_assert_false (burrow_state_banner_get_revealed (banner));
  g_assert_true (gtk_widget_is_sensitive (connect_button));
  wait_for_entry (&host, "Sales warehouse");
  g_clear_pointer (&entries, g_array_unref);
  entries = read_menu (&host);
  g_assert_cmpstr (find_entry (entries, "Sales warehouse")->label, ==, "Sales warehouse");
  g_assert_true (find_entry (entries, "Sales warehouse")->enabled);
  g_assert_cmpint (find_entry (entries, "Sales warehouse")->toggle_state, ==, 0);

  burrow_test_close_windows ();
  host_stop (&host);
}

/* The window takes passwords into GTK's buffers, where no wipe reaches
 * them: the application is out of core dumps from its start-up on, before
 * any secret comes in. In a process of its own, where nothing else of
 * the tests has touched a secret yet. */
static void
test_not_dumpable (void)
{
  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  if (g_test_subprocess ())
    {
      /* main() has started the application, and nothing more. */
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/application/not-dumpable", test_not_dumpable);
  g_test_add_func ("/burrow/application/tray-registers", test_tray_registers);
  g_test_add_func ("/burrow/application/tray-menu", test_tray_menu);
  g_test_add_func ("/burrow/application/tray-activate", test_tray_activate);
  g_test_add_func ("/burrow/application/notifications", test_notifications);
  g_test_add_func ("/burrow/application/notifications-off", test_notifications_off);
  g_test_add_func ("/burrow/application/autostart-file", test_autostart_file);
  g_test_add_func ("/burrow/application/autostart-follows-file", test_autostart_follows_file);
  g_test_add_func ("/burrow/application/autostart-portal", test_autostart_portal);
  g_test_add_func ("/burrow/application/forget-host-key", test_forget_host_key);
  g_test_add_func ("/burrow/application/connect-at-start-switch", test_connect_at_start_switch);
  g_test_add_func ("/burrow/application/quit-in-menu", test_quit_in_menu);
  g_test_add_func ("/burrow/application/running-elsewhere", test_running_elsewhere);

  /* The keyring's bus is the session bus of the whole program: the
   * application, the tray host, the notification server and the portal
   * all meet there. */
  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);
  notifications = burrow_test_notifications_new (bus_address ());

  if (burrow_test_have_display ())
    {
      app = burrow_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&notifications, burrow_test_notifications_free);
  g_clear_pointer (&postgres, burrow_test_database_free);
  g_clear_pointer (&keyring, burrow_test_keyring_free);

  return status;
}
