/* burrow-indicator.c — Burrow's tray indicator: its tunnels, their state, a menu to drive them.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BurrowTray (src/tray) on the application's bus, fed from the
 * engine's connections:
 * - the icon: Burrow's own when nothing is up, the lit tunnel when one
 *   is, and the attention icon (status NeedsAttention) while one is
 *   reconnecting or has failed;
 * - the tooltip: "2 tunnels up: Sales warehouse 127.0.0.1:15432, …";
 * - the menu: one entry per connection, checked while its tunnel runs,
 *   with its local address when up, that connects or disconnects it
 *   (checked and out of reach, saying where, when another Burrow
 *   process such as burrowctl up runs it);
 *   then Open Burrow, Disconnect All, and Quit.
 * The menu is a GMenu over actions of its own, which BurrowTrayMenu
 * exports as com.canonical.dbusmenu and keeps in step: an entry whose
 * label or check mark changes is updated in place.
 *
 * With no tray host on the bus the tray waits quietly; everything it
 * offers is in the window too.
 *
 * Signals: show-window (string token, nullable) — the host's primary
 * action or "Open Burrow"; @token is the xdg-activation token the host
 * gave, if any.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-connection-state.h"
#include "burrow-connection-watch.h"
#include "burrow-indicator.h"

struct _BurrowIndicator
{
  GObject                parent_instance;

  GApplication          *application;   /* weak: it owns this */
  BurrowEngine          *engine;
  BurrowConnectionWatch *watch;

  GMenu                 *menu;
  GMenu                 *connections_section;
  GSimpleActionGroup    *actions;
  GPtrArray             *tunnel_actions;  /* action names in the group, one per connection */
  BurrowTray            *tray;
};

G_DEFINE_FINAL_TYPE (BurrowIndicator, burrow_indicator, G_TYPE_OBJECT)

enum {
  SIGNAL_SHOW_WINDOW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* How a connection reads in the menu and the tooltip                  */
/* ------------------------------------------------------------------ */

static char *
tunnel_action_name (BurrowConnection *connection)
{
  return g_strconcat ("tunnel-", burrow_connection_get_id (connection), NULL);
}

/* Tray menus take "_" as the start of a mnemonic, as GTK does. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", "_", -1);

  return g_strjoinv ("__", parts);
}

static char *
dup_item_label (BurrowConnection *connection)
{
  g_autofree char *name = escape_mnemonic (burrow_connection_get_name (connection));
  g_autofree char *elsewhere = NULL;
  const char *state = NULL;

  if (burrow_connection_state_is_elsewhere (connection))
    {
      elsewhere = escape_mnemonic (burrow_connection_get_running_elsewhere_summary (connection));
      /* Translators: a connection in the tray's menu that another Burrow
       * process runs: "Sales warehouse — Runs in burrowctl (pid 4242) on 127.0.0.1:15432" */
      return g_strdup_printf (_("%s — %s"), name, elsewhere);
    }

  switch (burrow_connection_state_get_shown (connection))
    {
    case BURROW_TUNNEL_CONNECTING:
      state = _("connecting…");
      break;
    case BURROW_TUNNEL_UP:
      state = burrow_connection_get_local_address (connection);
      break;
    case BURROW_TUNNEL_RECONNECTING:
      state = _("reconnecting…");
      break;
    case BURROW_TUNNEL_FAILED:
      state = _("failed");
      break;
    case BURROW_TUNNEL_STOPPED:
    default:
      break;
    }

  if (state == NULL)
    return g_steal_pointer (&name);

  /* Translators: a connection in the tray's menu and what it is doing:
   * "Sales warehouse — 127.0.0.1:15432", "Legacy DWH — reconnecting…" */
  return g_strdup_printf (_("%s — %s"), name, state);
}

static GMenuItem *
make_connection_item (BurrowConnection *connection)
{
  g_autofree char *label = dup_item_label (connection);
  g_autofree char *action = tunnel_action_name (connection);
  g_autofree char *detailed = g_strconcat ("app.", action, NULL);

  return g_menu_item_new (label, detailed);
}

/* ------------------------------------------------------------------ */
/* The item: icon, status, tooltip                                     */
/* ------------------------------------------------------------------ */

static void
update_item (BurrowIndicator *self)
{
  GListModel *connections = burrow_connection_watch_get_connections (self->watch);
  g_autoptr(GString) up = g_string_new (NULL);
  g_autoptr(GString) trouble = g_string_new (NULL);
  g_autoptr(GString) elsewhere = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  guint n_up = 0;
  guint n_running = 0;
  GAction *disconnect_all;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);
      const char *name = burrow_connection_get_name (connection);

      n_running += burrow_connection_state_wants_switch_on (connection);

      if (burrow_connection_state_is_elsewhere (connection))
        {
          if (elsewhere->len > 0)
            g_string_append_c (elsewhere, '\n');
          /* Translators: a tunnel in the tray's tooltip that another Burrow
           * process runs: "Sales warehouse: Runs in burrowctl (pid 4242) on 127.0.0.1:15432" */
          g_string_append_printf (elsewhere, _("%s: %s"), name,
                                  burrow_connection_get_running_elsewhere_summary (connection));
          continue;
        }

      switch (burrow_connection_state_get_shown (connection))
        {
        case BURROW_TUNNEL_UP:
          if (n_up++ > 0)
            g_string_append (up, _(", "));
          /* Translators: a tunnel in the tray's tooltip: "Sales warehouse 127.0.0.1:15432" */
          g_string_append_printf (up, _("%s %s"), name, burrow_connection_get_local_address (connection));
          break;

        case BURROW_TUNNEL_RECONNECTING:
          if (trouble->len > 0)
            g_string_append_c (trouble, '\n');
          /* Translators: %s is a connection's name */
          g_string_append_printf (trouble, _("%s is reconnecting"), name);
          break;

        case BURROW_TUNNEL_FAILED:
          if (trouble->len > 0)
            g_string_append_c (trouble, '\n');
          /* Translators: %s is a connection's name */
          g_string_append_printf (trouble, _("%s failed"), name);
          break;

        case BURROW_TUNNEL_CONNECTING:
        case BURROW_TUNNEL_STOPPED:
        default:
          break;
        }
    }

  if (n_up > 0)
    /* Translators: %u is a count, %s the tunnels with their addresses */
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u tunnel up: %s", "%u tunnels up: %s", n_up),
                            n_up, up->str);
  else
    g_string_append (body, _("No tunnel is up"));
  if (elsewhere->len > 0)
    g_string_append_printf (body, "\n%s", elsewhere->str);
  if (trouble->len > 0)
    g_string_append_printf (body, "\n%s", trouble->str);

  burrow_tray_set_tooltip (self->tray, _("Burrow"), body->str);

  if (trouble->len > 0)
    {
      burrow_tray_set_status (self->tray, BURROW_TRAY_STATUS_NEEDS_ATTENTION);
      /* Some hosts never show the attention icon: the icon itself says it too. */
      burrow_tray_set_icon_name (self->tray, APP_ID "-attention-symbolic");
    }
  else
    {
      burrow_tray_set_status (self->tray, n_up > 0 ? BURROW_TRAY_STATUS_ACTIVE : BURROW_TRAY_STATUS_PASSIVE);
      burrow_tray_set_icon_name (self->tray, n_up > 0 ? APP_ID "-up-symbolic" : APP_ID "-symbolic");
    }

  disconnect_all = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "disconnect-all");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (disconnect_all), n_running > 0);
}

/* ------------------------------------------------------------------ */
/* The menu                                                            */
/* ------------------------------------------------------------------ */

static void
update_connection (BurrowIndicator  *self,
                   BurrowConnection *connection)
{
  GListModel *connections = burrow_connection_watch_get_connections (self->watch);
  g_autofree char *action_name = tunnel_action_name (connection);
  g_autofree char *label = dup_item_label (connection);
  g_autofree char *shown = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), action_name);
  guint position;

  if (action != NULL)
    {
      BurrowProfile *profile = burrow_connection_get_profile (connection);

      gboolean elsewhere = burrow_connection_state_is_elsewhere (connection);

      g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                 g_variant_new_boolean (burrow_connection_state_wants_switch_on (connection) ||
                                                        elsewhere));
      /* Without a tunnel there is nothing to connect; one that another
       * Burrow process runs is stopped there, not here. */
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                   burrow_profile_get_tunnel_enabled (profile) && !elsewhere);
    }

  /* The entry changes in place, so that an open menu keeps it. */
  for (position = 0; position < g_list_model_get_n_items (connections); position++)
    {
      g_autoptr(BurrowConnection) item = g_list_model_get_item (connections, position);

      if (item == connection)
        break;
    }
  if (position >= (guint)g_menu_model_get_n_items (G_MENU_MODEL (self->connections_section)))
    return;

  g_menu_model_get_item_attribute (G_MENU_MODEL (self->connections_section), position,
                                   G_MENU_ATTRIBUTE_LABEL, "s", &shown);
  if (g_strcmp0 (shown, label) != 0)
    {
      g_autoptr(GMenuItem) item = make_connection_item (connection);

      g_menu_remove (self->connections_section, position);
      g_menu_insert_item (self->connections_section, position, item);
    }
}

static void
on_connection_changed (BurrowIndicator  *self,
                       BurrowConnection *connection)
{
  update_connection (self, connection);
  update_item (self);
}

static void
on_tunnel_activate (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BurrowIndicator *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (action), "connection-id");
  BurrowConnection *connection = burrow_engine_lookup (self->engine, id);

  if (connection == NULL || burrow_connection_state_is_elsewhere (connection))
    return;

  /* A failure stays on the connection, where the window, the menu and
   * the notifications show it. */
  if (burrow_connection_state_wants_switch_on (connection))
    burrow_engine_disconnect_async (self->engine, connection, NULL, NULL, NULL);
  else
    burrow_engine_connect_async (self->engine, connection, NULL, NULL, NULL);
}

static void
rebuild (BurrowIndicator *self)
{
  GListModel *connections = burrow_connection_watch_get_connections (self->watch);
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < self->tunnel_actions->len; i++)
    g_action_map_remove_action (G_ACTION_MAP (self->actions), g_ptr_array_index (self->tunnel_actions, i));
  g_ptr_array_set_size (self->tunnel_actions, 0);
  g_menu_remove_all (self->connections_section);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);
      g_autoptr(GMenuItem) item = make_connection_item (connection);
      g_autoptr(GSimpleAction) action = NULL;
      g_autofree char *name = tunnel_action_name (connection);

      action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (FALSE));
      g_object_set_data_full (G_OBJECT (action), "connection-id",
                              g_strdup (burrow_connection_get_id (connection)), g_free);
      g_signal_connect (action, "activate", G_CALLBACK (on_tunnel_activate), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      g_ptr_array_add (self->tunnel_actions, g_steal_pointer (&name));

      g_menu_append_item (self->connections_section, item);
      update_connection (self, connection);
    }

  if (n == 0)
    g_menu_append (self->connections_section, _("No connections yet"), NULL);

  update_item (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
show_window (BurrowIndicator *self,
             const char      *token)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_WINDOW], 0, token);
}

static void
on_open_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  show_window (user_data, NULL);
}

static void
on_disconnect_all_activate (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  BurrowIndicator *self = user_data;

  burrow_engine_disconnect_all_async (self->engine, NULL, NULL, NULL);
}

static void
on_quit_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BurrowIndicator *self = user_data;

  if (self->application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "quit", NULL);
}

static void
on_tray_activate (BurrowIndicator *self)
{
  show_window (self, burrow_tray_get_activation_token (self->tray));
}

static const GActionEntry indicator_actions[] = {
  { "open", on_open_activate },
  { "disconnect-all", on_disconnect_all_activate },
  { "quit", on_quit_activate },
};

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

/* Where a tray host finds the icons when they are not in its theme's
 * search path (a prefix such as /usr/local or ~/.local). */
static char *
find_icon_theme_path (void)
{
  const char * const *system_dirs = g_get_system_data_dirs ();
  g_autoptr(GPtrArray) dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, (gpointer)g_get_user_data_dir ());
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, (gpointer)system_dirs[i]);

  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *icons = g_build_filename (g_ptr_array_index (dirs, i), "icons", NULL);
      g_autofree char *icon = g_build_filename (icons, "hicolor", "symbolic", "apps",
                                                APP_ID "-up-symbolic.svg", NULL);

      if (g_file_test (icon, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&icons);
    }

  return NULL;
}

static void
burrow_indicator_dispose (GObject *object)
{
  BurrowIndicator *self = BURROW_INDICATOR (object);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *)&self->application);
  self->application = NULL;

  g_clear_object (&self->tray);
  g_clear_object (&self->watch);
  g_clear_object (&self->engine);
  g_clear_object (&self->menu);
  g_clear_object (&self->connections_section);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->tunnel_actions, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_indicator_parent_class)->dispose (object);
}

static void
burrow_indicator_class_init (BurrowIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_indicator_dispose;

  signals[SIGNAL_SHOW_WINDOW] =
    g_signal_new ("show-window", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
burrow_indicator_init (BurrowIndicator *self)
{
  g_autoptr(GMenu) general = g_menu_new ();
  g_autoptr(GMenu) quit = g_menu_new ();

  self->tunnel_actions = g_ptr_array_new_with_free_func (g_free);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), indicator_actions,
                                   G_N_ELEMENTS (indicator_actions), self);

  self->connections_section = g_menu_new ();
  g_menu_append (general, _("_Open Burrow"), "app.open");
  g_menu_append (general, _("_Disconnect All"), "app.disconnect-all");
  g_menu_append (quit, _("_Quit"), "app.quit");

  self->menu = g_menu_new ();
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->connections_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (general));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (quit));
}

/* Public API */

/**
 * burrow_indicator_new:
 * @application: the application, whose "quit" action Quit runs
 * @bus: the session bus the tray item goes on
 * @engine: whose connections it shows and drives
 */
BurrowIndicator *
burrow_indicator_new (GApplication    *application,
                      GDBusConnection *bus,
                      BurrowEngine    *engine)
{
  BurrowIndicator *self;
  g_autofree char *icon_theme_path = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (BURROW_IS_ENGINE (engine), NULL);

  self = g_object_new (BURROW_TYPE_INDICATOR, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *)&self->application);
  self->engine = g_object_ref (engine);
  self->watch = burrow_connection_watch_new (burrow_engine_get_connections (engine));

  /* The menu names its actions "app.NAME": BurrowTrayMenu looks up
   * NAME in the group it is given. */
  self->tray = burrow_tray_new (bus, APP_ID, G_MENU_MODEL (self->menu), G_ACTION_GROUP (self->actions));
  burrow_tray_set_title (self->tray, _("Burrow"));
  burrow_tray_set_attention_icon_name (self->tray, APP_ID "-attention-symbolic");
  icon_theme_path = find_icon_theme_path ();
  burrow_tray_set_icon_theme_path (self->tray, icon_theme_path);
  g_signal_connect_swapped (self->tray, "activate", G_CALLBACK (on_tray_activate), self);

  rebuild (self);
  g_signal_connect_swapped (self->watch, "changed", G_CALLBACK (on_connection_changed), self);
  g_signal_connect_swapped (self->watch, "list-changed", G_CALLBACK (rebuild), self);

  return self;
}

/* Returns: (transfer none): the StatusNotifierItem */
BurrowTray *
burrow_indicator_get_tray (BurrowIndicator *self)
{
  g_return_val_if_fail (BURROW_IS_INDICATOR (self), NULL);

  return self->tray;
}

/* Returns: (transfer none): the menu the tray exports */
GMenuModel *
burrow_indicator_get_menu (BurrowIndicator *self)
{
  g_return_val_if_fail (BURROW_IS_INDICATOR (self), NULL);

  return G_MENU_MODEL (self->menu);
}

/* Returns: (transfer none): the actions its menu names ("app.NAME") */
GActionGroup *
burrow_indicator_get_actions (BurrowIndicator *self)
{
  g_return_val_if_fail (BURROW_IS_INDICATOR (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
