/* burrow-tray.c — the tray indicator: a StatusNotifierItem over GDBus.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why this is Burrow's own code: no library fits a GTK 4 application on
 * Debian 12. libayatana-appindicator3 needs GTK 3, and two GTKs cannot
 * share a process; libayatana-appindicator-glib (not in Debian 12)
 * exports its menu as org.gtk.Menus, which no tray host reads;
 * libdbusmenu-glib is unmaintained and its headers pull in GTK 2. The
 * StatusNotifierItem protocol is a handful of properties, methods and
 * signals, so Burrow speaks it over GDBus itself, with no GTK in the
 * process of the tray code at all.
 *
 * What hosts need that is easy to miss: ItemIsMenu must be present and
 * false (XFCE takes a missing one as true and then never calls Activate);
 * Id and Menu must always be readable (the GNOME Shell extension drops an
 * item whose properties fail); registration must be repeated whenever the
 * watcher's name appears again, because a restarted panel forgets every
 * item; and the New* signals, not PropertiesChanged, are what hosts
 * listen to. Inside Flatpak the bus refuses the name
 * org.kde.StatusNotifierItem-PID-N: the item then registers by the
 * connection's unique name, which every watcher takes too.
 */

#include "config.h"

#include <unistd.h>

#include "burrow-tray-dbus.h"
#include "burrow-tray-menu.h"
#include "burrow-tray.h"

#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"
#define ITEM_PATH         "/StatusNotifierItem"
#define MENU_PATH         "/StatusNotifierItem/Menu"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"

struct _BurrowTray
{
  GObject           parent_instance;

  GDBusConnection  *connection;
  char             *id;
  GMenuModel       *menu_model;
  GActionGroup     *actions;

  BurrowTrayMenu   *menu;
  char             *bus_name;
  guint             registration_id;
  guint             own_name_id;
  guint             watch_id;
  gboolean          name_owned;
  char             *watcher_owner;
  GCancellable     *register_cancellable;
  gboolean          registered;

  char             *title;
  BurrowTrayStatus  status;
  char             *icon_name;
  char             *attention_icon_name;
  char             *icon_theme_path;
  char             *tooltip_title;
  char             *tooltip_body;
  char             *activation_token;
};

G_DEFINE_FINAL_TYPE (BurrowTray, burrow_tray, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BurrowTrayStatus, burrow_tray_status,
                    G_DEFINE_ENUM_VALUE (BURROW_TRAY_STATUS_PASSIVE, "passive"),
                    G_DEFINE_ENUM_VALUE (BURROW_TRAY_STATUS_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (BURROW_TRAY_STATUS_NEEDS_ATTENTION, "needs-attention"))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_ID,
  PROP_MENU_MODEL,
  PROP_ACTIONS,
  PROP_BUS_NAME,
  PROP_REGISTERED,
  PROP_TITLE,
  PROP_STATUS,
  PROP_ICON_NAME,
  PROP_ATTENTION_ICON_NAME,
  PROP_ICON_THEME_PATH,
  PROP_TOOLTIP_TITLE,
  PROP_TOOLTIP_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  SIGNAL_SECONDARY_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char item_xml[] =
  "<node>"
  "  <interface name='" ITEM_INTERFACE "'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg name='delta' type='i' direction='in'/>"
  "      <arg name='orientation' type='s' direction='in'/>"
  "    </method>"
  "    <method name='ProvideXdgActivationToken'>"
  "      <arg name='token' type='s' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'>"
  "      <arg name='status' type='s'/>"
  "    </signal>"
  "    <signal name='NewIconThemePath'>"
  "      <arg name='icon_theme_path' type='s'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static GDBusInterfaceInfo *
get_interface_info (void)
{
  static GDBusNodeInfo *info;

  return burrow_tray_dbus_interface (&info, item_xml);
}

/* Helpers */

static const char *
status_to_string (BurrowTrayStatus status)
{
  switch (status)
    {
    case BURROW_TRAY_STATUS_ACTIVE:
      return "Active";
    case BURROW_TRAY_STATUS_NEEDS_ATTENTION:
      return "NeedsAttention";
    case BURROW_TRAY_STATUS_PASSIVE:
    default:
      return "Passive";
    }
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static void
emit_item_signal (BurrowTray *self,
                  const char *name,
                  GVariant   *parameters)
{
  burrow_tray_dbus_emit (self->connection, self->registration_id != 0,
                         ITEM_PATH, ITEM_INTERFACE, name, parameters);
}

/* Stores @value in @field; on a change, notifies @prop_id and returns TRUE. */
static gboolean
set_string (BurrowTray  *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return TRUE;
}

static void
set_registered (BurrowTray *self,
                gboolean    registered)
{
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static const char *
get_shown_icon_name (BurrowTray *self)
{
  if (self->status == BURROW_TRAY_STATUS_NEEDS_ATTENTION && self->attention_icon_name != NULL)
    return self->attention_icon_name;

  return or_empty (self->icon_name);
}

/* Registration */

static void
on_register_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  BurrowTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BURROW_TRAY (user_data);
  g_clear_object (&self->register_cancellable);

  /* A watcher that refuses, or that left before it answered, leaves the
   * item waiting for the next one: that is no fault of the user's. */
  if (error != NULL)
    {
      g_debug ("The status notifier watcher did not take %s: %s", self->bus_name, error->message);
      set_registered (self, FALSE);
      return;
    }

  g_debug ("Registered %s with the status notifier watcher", self->bus_name);
  set_registered (self, TRUE);
}

static void
try_register (BurrowTray *self)
{
  /* A watcher checks that the name it is given has an owner. */
  if (!self->name_owned || self->watcher_owner == NULL)
    return;

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  self->register_cancellable = g_cancellable_new ();

  /* To the owner that just appeared, not the well-known name: a call
   * meant for one watcher must not land on its successor. */
  g_dbus_connection_call (self->connection, self->watcher_owner, WATCHER_PATH,
                          WATCHER_INTERFACE, "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", self->bus_name),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->register_cancellable, on_register_done, self);
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  BurrowTray *self = BURROW_TRAY (user_data);

  g_free (self->watcher_owner);
  self->watcher_owner = g_strdup (name_owner);
  set_registered (self, FALSE);
  try_register (self);
}

static void
on_watcher_vanished (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  BurrowTray *self = BURROW_TRAY (user_data);

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  g_clear_pointer (&self->watcher_owner, g_free);
  set_registered (self, FALSE);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  BurrowTray *self = BURROW_TRAY (user_data);

  self->name_owned = TRUE;
  try_register (self);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  BurrowTray *self = BURROW_TRAY (user_data);
  const char *unique_name;

  /* A bus that refuses the name, as Flatpak's does (a sandboxed app may
   * own only names under its own ID): the watcher takes the item by the
   * connection's unique name instead, with the item at ITEM_PATH as
   * always. */
  unique_name = connection != NULL ? g_dbus_connection_get_unique_name (connection) : NULL;
  if (unique_name != NULL && !self->name_owned && g_strcmp0 (self->bus_name, unique_name) != 0)
    {
      g_debug ("The bus refused %s; the tray item goes by %s", name, unique_name);
      g_free (self->bus_name);
      self->bus_name = g_strdup (unique_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUS_NAME]);
      self->name_owned = TRUE;
      try_register (self);
      return;
    }

  g_debug ("The tray item does not own %s (the bus connection %s)",
           name, connection != NULL ? "refused it" : "is closed");
  self->name_owned = FALSE;
  set_registered (self, FALSE);
}

/* D-Bus */

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  g_autoptr(BurrowTray) self = g_object_ref (BURROW_TRAY (user_data));

  if (g_str_equal (method_name, "Activate") || g_str_equal (method_name, "SecondaryActivate"))
    {
      gboolean primary = g_str_equal (method_name, "Activate");
      int x, y;

      g_variant_get (parameters, "(ii)", &x, &y);
      /* Answered first: showing the window may take a while, and the
       * host waits for the reply. */
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[primary ? SIGNAL_ACTIVATE : SIGNAL_SECONDARY_ACTIVATE], 0, x, y);
      /* A token is good for one activation only. */
      g_clear_pointer (&self->activation_token, g_free);
    }
  else if (g_str_equal (method_name, "ProvideXdgActivationToken"))
    {
      g_free (self->activation_token);
      g_variant_get (parameters, "(s)", &self->activation_token);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "ContextMenu") || g_str_equal (method_name, "Scroll"))
    {
      /* Hosts show the exported menu themselves; a context menu drawn by
       * the item would need a toolkit. Scrolling means nothing here. */
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "Unknown method %s", method_name);
}

static GVariant *
on_get_property (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  BurrowTray *self = BURROW_TRAY (user_data);

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (self->id);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (or_empty (self->title));
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (status_to_string (self->status));
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_string (or_empty (self->icon_theme_path));
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (self->menu != NULL ? MENU_PATH : "/");
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (or_empty (self->icon_name));
  if (g_str_equal (property_name, "AttentionIconName"))
    return g_variant_new_string (or_empty (self->attention_icon_name));
  if (g_str_equal (property_name, "OverlayIconName") ||
      g_str_equal (property_name, "AttentionMovieName"))
    return g_variant_new_string ("");
  /* Icons go by name only: some hosts draw pixmaps blank. */
  if (g_str_equal (property_name, "IconPixmap") ||
      g_str_equal (property_name, "OverlayIconPixmap") ||
      g_str_equal (property_name, "AttentionIconPixmap"))
    return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
  if (g_str_equal (property_name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)",
                          get_shown_icon_name (self),
                          g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                          or_empty (self->tooltip_title),
                          or_empty (self->tooltip_body));

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "Unknown property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = {
  .method_call = on_method_call,
  .get_property = on_get_property,
};

/* GObject */

static void
burrow_tray_constructed (GObject *object)
{
  BurrowTray *self = BURROW_TRAY (object);
  static guint n_items;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (burrow_tray_parent_class)->constructed (object);

  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u",
                                    (int)getpid (), g_atomic_int_add (&n_items, 1) + 1);

  /* The objects first, then the name: a host that sees the name must
   * find the item behind it. */
  self->registration_id =
    g_dbus_connection_register_object (self->connection, ITEM_PATH, get_interface_info (),
                                       &item_vtable, self, NULL, &error);
  if (self->registration_id == 0)
    {
      /* Only a second tray on the same connection gets here. */
      g_critical ("Cannot export the tray item: %s", error->message);
      return;
    }

  if (self->menu_model != NULL)
    {
      self->menu = burrow_tray_menu_new (self->menu_model, self->actions);
      if (!burrow_tray_menu_export (self->menu, self->connection, MENU_PATH, &error))
        {
          g_critical ("Cannot export the tray menu: %s", error->message);
          g_clear_object (&self->menu);
        }
    }

  self->own_name_id = g_bus_own_name_on_connection (self->connection, self->bus_name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    on_name_acquired, on_name_lost,
                                                    self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished,
                                                   self, NULL);
}

static void
burrow_tray_dispose (GObject *object)
{
  BurrowTray *self = BURROW_TRAY (object);

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);

  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  self->watch_id = 0;
  if (self->own_name_id != 0)
    g_bus_unown_name (self->own_name_id);
  self->own_name_id = 0;

  if (self->menu != NULL)
    burrow_tray_menu_unexport (self->menu);
  g_clear_object (&self->menu);

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;

  g_clear_object (&self->menu_model);
  g_clear_object (&self->actions);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (burrow_tray_parent_class)->dispose (object);
}

static void
burrow_tray_finalize (GObject *object)
{
  BurrowTray *self = BURROW_TRAY (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->bus_name, g_free);
  g_clear_pointer (&self->watcher_owner, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->icon_name, g_free);
  g_clear_pointer (&self->attention_icon_name, g_free);
  g_clear_pointer (&self->icon_theme_path, g_free);
  g_clear_pointer (&self->tooltip_title, g_free);
  g_clear_pointer (&self->tooltip_body, g_free);
  g_clear_pointer (&self->activation_token, g_free);

  G_OBJECT_CLASS (burrow_tray_parent_class)->finalize (object);
}

static void
burrow_tray_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BurrowTray *self = BURROW_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_MENU_MODEL:
      g_value_set_object (value, self->menu_model);
      break;

    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;

    case PROP_BUS_NAME:
      g_value_set_string (value, self->bus_name);
      break;

    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;

    case PROP_ATTENTION_ICON_NAME:
      g_value_set_string (value, self->attention_icon_name);
      break;

    case PROP_ICON_THEME_PATH:
      g_value_set_string (value, self->icon_theme_path);
      break;

    case PROP_TOOLTIP_TITLE:
      g_value_set_string (value, self->tooltip_title);
      break;

    case PROP_TOOLTIP_BODY:
      g_value_set_string (value, self->tooltip_body);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tray_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BurrowTray *self = BURROW_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_MENU_MODEL:
      self->menu_model = g_value_dup_object (value);
      break;

    case PROP_ACTIONS:
      self->actions = g_value_dup_object (value);
      break;

    case PROP_TITLE:
      burrow_tray_set_title (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      burrow_tray_set_status (self, g_value_get_enum (value));
      break;

    case PROP_ICON_NAME:
      burrow_tray_set_icon_name (self, g_value_get_string (value));
      break;

    case PROP_ATTENTION_ICON_NAME:
      burrow_tray_set_attention_icon_name (self, g_value_get_string (value));
      break;

    case PROP_ICON_THEME_PATH:
      burrow_tray_set_icon_theme_path (self, g_value_get_string (value));
      break;

    case PROP_TOOLTIP_TITLE:
      burrow_tray_set_tooltip (self, g_value_get_string (value), self->tooltip_body);
      break;

    case PROP_TOOLTIP_BODY:
      burrow_tray_set_tooltip (self, self->tooltip_title, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tray_class_init (BurrowTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = burrow_tray_constructed;
  object_class->dispose = burrow_tray_dispose;
  object_class->finalize = burrow_tray_finalize;
  object_class->get_property = burrow_tray_get_property;
  object_class->set_property = burrow_tray_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* The item's Id: the application ID. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_MENU_MODEL] =
    g_param_spec_object ("menu-model", NULL, NULL,
                         G_TYPE_MENU_MODEL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL,
                         G_TYPE_ACTION_GROUP,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_BUS_NAME] =
    g_param_spec_string ("bus-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* TRUE once a StatusNotifierWatcher took the item; FALSE again when it
   * goes away, until the next one does. */
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       BURROW_TYPE_TRAY_STATUS,
                       BURROW_TRAY_STATUS_PASSIVE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* Shown instead of icon-name while the status is needs-attention. */
  properties[PROP_ATTENTION_ICON_NAME] =
    g_param_spec_string ("attention-icon-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* A folder where hosts look for the icons first, for icons that are
   * not installed in the theme (a build tree). */
  properties[PROP_ICON_THEME_PATH] =
    g_param_spec_string ("icon-theme-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_TOOLTIP_TITLE] =
    g_param_spec_string ("tooltip-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_TOOLTIP_BODY] =
    g_param_spec_string ("tooltip-body", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  signals[SIGNAL_SECONDARY_ACTIVATE] =
    g_signal_new ("secondary-activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
}

static void
burrow_tray_init (BurrowTray *self)
{
  self->status = BURROW_TRAY_STATUS_PASSIVE;
}

/* Public API */

/**
 * burrow_tray_new:
 * @bus: the session bus connection to put the item on
 * @id: the item's Id, the application ID
 * @menu: (nullable): the item's menu; its items name "app.*" actions
 * @actions: (nullable): the group those actions are in (the application)
 */
BurrowTray *
burrow_tray_new (GDBusConnection *bus,
                 const char      *id,
                 GMenuModel      *menu,
                 GActionGroup    *actions)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (menu == NULL || G_IS_MENU_MODEL (menu), NULL);
  g_return_val_if_fail (actions == NULL || G_IS_ACTION_GROUP (actions), NULL);

  return g_object_new (BURROW_TYPE_TRAY,
                       "connection", bus,
                       "id", id,
                       "menu-model", menu,
                       "actions", actions,
                       NULL);
}

GDBusConnection *
burrow_tray_get_connection (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->connection;
}

const char *
burrow_tray_get_id (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->id;
}

const char *
burrow_tray_get_bus_name (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->bus_name;
}

/* The object path of the exported menu, or NULL when there is none. */
const char *
burrow_tray_get_menu_path (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->menu != NULL ? MENU_PATH : NULL;
}

gboolean
burrow_tray_get_registered (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), FALSE);

  return self->registered;
}

const char *
burrow_tray_get_title (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->title;
}

void
burrow_tray_set_title (BurrowTray *self,
                       const char *title)
{
  g_return_if_fail (BURROW_IS_TRAY (self));

  if (set_string (self, &self->title, title, PROP_TITLE))
    emit_item_signal (self, "NewTitle", NULL);
}

BurrowTrayStatus
burrow_tray_get_status (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), BURROW_TRAY_STATUS_PASSIVE);

  return self->status;
}

void
burrow_tray_set_status (BurrowTray       *self,
                        BurrowTrayStatus  status)
{
  const char *shown_before;

  g_return_if_fail (BURROW_IS_TRAY (self));
  g_return_if_fail (status <= BURROW_TRAY_STATUS_NEEDS_ATTENTION);

  if (self->status == status)
    return;

  shown_before = get_shown_icon_name (self);
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status_to_string (status)));
  /* The tooltip's icon follows the icon shown. */
  if (shown_before != get_shown_icon_name (self))
    emit_item_signal (self, "NewToolTip", NULL);
}

const char *
burrow_tray_get_icon_name (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->icon_name;
}

void
burrow_tray_set_icon_name (BurrowTray *self,
                           const char *icon_name)
{
  g_return_if_fail (BURROW_IS_TRAY (self));

  if (set_string (self, &self->icon_name, icon_name, PROP_ICON_NAME))
    {
      emit_item_signal (self, "NewIcon", NULL);
      emit_item_signal (self, "NewToolTip", NULL);
    }
}

const char *
burrow_tray_get_attention_icon_name (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->attention_icon_name;
}

void
burrow_tray_set_attention_icon_name (BurrowTray *self,
                                     const char *icon_name)
{
  g_return_if_fail (BURROW_IS_TRAY (self));

  if (set_string (self, &self->attention_icon_name, icon_name, PROP_ATTENTION_ICON_NAME))
    {
      emit_item_signal (self, "NewAttentionIcon", NULL);
      if (self->status == BURROW_TRAY_STATUS_NEEDS_ATTENTION)
        emit_item_signal (self, "NewToolTip", NULL);
    }
}

const char *
burrow_tray_get_icon_theme_path (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->icon_theme_path;
}

void
burrow_tray_set_icon_theme_path (BurrowTray *self,
                                 const char *path)
{
  g_return_if_fail (BURROW_IS_TRAY (self));

  if (set_string (self, &self->icon_theme_path, path, PROP_ICON_THEME_PATH))
    {
      emit_item_signal (self, "NewIconThemePath", g_variant_new ("(s)", or_empty (path)));
      /* Hosts that do not know NewIconThemePath reload it with the icon. */
      emit_item_signal (self, "NewIcon", NULL);
    }
}

const char *
burrow_tray_get_tooltip_title (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->tooltip_title;
}

const char *
burrow_tray_get_tooltip_body (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->tooltip_body;
}

/* One NewToolTip for both parts. */
void
burrow_tray_set_tooltip (BurrowTray *self,
                         const char *title,
                         const char *body)
{
  /* Copies: either may be the other field's old value. */
  g_autofree char *title_copy = g_strdup (title);
  g_autofree char *body_copy = g_strdup (body);
  gboolean changed;

  g_return_if_fail (BURROW_IS_TRAY (self));

  changed = set_string (self, &self->tooltip_title, title_copy, PROP_TOOLTIP_TITLE);
  changed |= set_string (self, &self->tooltip_body, body_copy, PROP_TOOLTIP_BODY);

  if (changed)
    emit_item_signal (self, "NewToolTip", NULL);
}

/* The xdg-activation token the host gave for the activation under way,
 * for the window to present itself with (gtk_window_set_startup_id());
 * NULL outside "activate" or when the host gave none. */
const char *
burrow_tray_get_activation_token (BurrowTray *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY (self), NULL);

  return self->activation_token;
}
