/* burrow-preferences-window.c — Burrow's preferences, bound to GSettings.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control is bound to its key: a change takes effect at once, and
 * other parts of Burrow (new connections' forms, the tray) read the keys.
 */

#include "config.h"

#include "burrow-preferences-window.h"

struct _BurrowPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  GtkSpinButton        *keepalive_spin;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  GtkSwitch            *notifications_switch;
};

G_DEFINE_FINAL_TYPE (BurrowPreferencesWindow, burrow_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
burrow_preferences_window_constructed (GObject *object)
{
  BurrowPreferencesWindow *self = (BurrowPreferencesWindow *)object;

  G_OBJECT_CLASS (burrow_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "keepalive-interval", self->keepalive_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
burrow_preferences_window_dispose (GObject *object)
{
  BurrowPreferencesWindow *self = (BurrowPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (burrow_preferences_window_parent_class)->dispose (object);
}

static void
burrow_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BurrowPreferencesWindow *self = BURROW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BurrowPreferencesWindow *self = BURROW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_preferences_window_class_init (BurrowPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = burrow_preferences_window_constructed;
  object_class->dispose = burrow_preferences_window_dispose;
  object_class->get_property = burrow_preferences_window_get_property;
  object_class->set_property = burrow_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowPreferencesWindow, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, BurrowPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BurrowPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, BurrowPreferencesWindow, notifications_switch);
}

static void
burrow_preferences_window_init (BurrowPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
burrow_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (BURROW_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
