/* burrow-connection-row.c — one connection in the list: name, route, state, switch.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binds to a BurrowConnection and follows it live, including changes made
 * by burrowctl in another process (the engine reads them back). The
 * switch asks the window to connect or disconnect (win.connect,
 * win.disconnect with the connection's id) and then shows what the engine
 * reports, not what was clicked: a connect that fails turns it off again.
 * A tunnel that burrowctl (or another Burrow) runs shows as up there,
 * its switch on and out of reach: it is stopped where it runs.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-connection-row.h"
#include "burrow-connection-state.h"
#include "burrow-source.h"

struct _BurrowConnectionRow
{
  GtkListBoxRow     parent_instance;

  BurrowConnection *connection;
  char             *state_text;
  guint             clock_source;
  gboolean          syncing_switch;

  /* Template widgets */
  GtkStack         *state_stack;
  GtkImage         *state_icon;
  GtkSpinner       *spinner;
  GtkLabel         *name_label;
  GtkLabel         *summary_label;
  GtkLabel         *state_label;
  GtkSwitch        *switch_;
};

G_DEFINE_FINAL_TYPE (BurrowConnectionRow, burrow_connection_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *state_styles[] = { "success", "warning", "error", "dim-label" };

static void update (BurrowConnectionRow *self);

static gboolean
on_clock_tick (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update (BurrowConnectionRow *self)
{
  BurrowConnection *connection = self->connection;
  const char *name = burrow_connection_get_name (connection);
  g_autofree char *summary = burrow_connection_dup_summary (connection);
  g_autofree char *switch_label = NULL;
  g_autofree char *description = NULL;
  const char *style;
  BurrowTunnelState shown = burrow_connection_state_get_shown (connection);
  gboolean elsewhere = burrow_connection_state_is_elsewhere (connection);

  g_free (self->state_text);
  self->state_text = burrow_connection_state_dup_title (connection);

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->state_label, self->state_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), self->state_text);

  style = burrow_connection_state_get_style (connection);
  for (guint i = 0; i < G_N_ELEMENTS (state_styles); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), state_styles[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), style);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), style);

  gtk_image_set_from_icon_name (self->state_icon, burrow_connection_state_get_icon_name (connection));
  gtk_spinner_set_spinning (self->spinner, shown == BURROW_TUNNEL_CONNECTING);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    shown == BURROW_TUNNEL_CONNECTING ? "spinner" : "icon");

  /* A tunnel up in another process is on, and stopped there: a switch
   * here would only start a second tunnel on another port. */
  self->syncing_switch = TRUE;
  gtk_switch_set_active (self->switch_, burrow_connection_state_wants_switch_on (connection) || elsewhere);
  self->syncing_switch = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->switch_), !elsewhere);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->switch_),
                               elsewhere ? _("It runs in another Burrow process: stop it there to run it here")
                                         : NULL);

  /* A screen reader says "Connect Sales warehouse", and reads the row as
   * its name, with its route and state. */
  /* Translators: the accessible name of a connection's switch; %s is its name */
  switch_label = g_strdup_printf (_("Connect %s"), name != NULL ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->switch_),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, switch_label,
                                  -1);
  description = g_strdup_printf ("%s. %s", summary != NULL ? summary : "", self->state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  burrow_connection_state_keep_clock (connection, &self->clock_source, on_clock_tick, self);
}

static void
on_connection_notify (BurrowConnectionRow *self)
{
  update (self);
}

static void
on_switch_notify_active (BurrowConnectionRow *self)
{
  gboolean active;

  if (self->syncing_switch || self->connection == NULL)
    return;

  active = gtk_switch_get_active (self->switch_);
  gtk_widget_activate_action (GTK_WIDGET (self), active ? "win.connect" : "win.disconnect",
                              "s", burrow_connection_get_id (self->connection));

  /* Until the engine says otherwise, the switch shows what it did say. */
  update (self);
}

static void
burrow_connection_row_dispose (GObject *object)
{
  BurrowConnectionRow *self = (BurrowConnectionRow *)object;

  burrow_source_clear (NULL, &self->clock_source);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_CONNECTION_ROW);

  G_OBJECT_CLASS (burrow_connection_row_parent_class)->dispose (object);
}

static void
burrow_connection_row_finalize (GObject *object)
{
  BurrowConnectionRow *self = (BurrowConnectionRow *)object;

  g_clear_pointer (&self->state_text, g_free);

  G_OBJECT_CLASS (burrow_connection_row_parent_class)->finalize (object);
}

static void
burrow_connection_row_constructed (GObject *object)
{
  BurrowConnectionRow *self = (BurrowConnectionRow *)object;

  G_OBJECT_CLASS (burrow_connection_row_parent_class)->constructed (object);

  g_assert (self->connection != NULL);
  g_signal_connect_swapped (self->connection, "notify", G_CALLBACK (on_connection_notify), self);
  update (self);
}

static void
burrow_connection_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BurrowConnectionRow *self = BURROW_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BurrowConnectionRow *self = BURROW_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_row_class_init (BurrowConnectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = burrow_connection_row_constructed;
  object_class->dispose = burrow_connection_row_dispose;
  object_class->finalize = burrow_connection_row_finalize;
  object_class->get_property = burrow_connection_row_get_property;
  object_class->set_property = burrow_connection_row_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-connection-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionRow, state_label);
  gtk_widget_class_bind_template_child_full (widget_class, "switch", FALSE,
                                             G_STRUCT_OFFSET (BurrowConnectionRow, switch_));
  gtk_widget_class_bind_template_callback (widget_class, on_switch_notify_active);
}

static void
burrow_connection_row_init (BurrowConnectionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
burrow_connection_row_new (BurrowConnection *connection)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (connection), NULL);

  return g_object_new (BURROW_TYPE_CONNECTION_ROW,
                       "connection", connection,
                       NULL);
}

BurrowConnection *
burrow_connection_row_get_connection (BurrowConnectionRow *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_ROW (self), NULL);

  return self->connection;
}

/* What the row says about the state now, as drawn. */
const char *
burrow_connection_row_get_state_text (BurrowConnectionRow *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_ROW (self), NULL);

  return self->state_text;
}

GtkSwitch *
burrow_connection_row_get_switch (BurrowConnectionRow *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_ROW (self), NULL);

  return self->switch_;
}
