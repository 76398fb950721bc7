/* burrow-endpoint-group.c — where the tunnel listens on this computer.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Automatic (Burrow picks a free port when the connection is saved and
 * keeps it) or a fixed port the analyst types. The port row shows the
 * automatic choice too, read-only, so that it can be seen before
 * connecting.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-endpoint-group.h"
#include "burrow-form-binding.h"
#include "burrow-port-row.h"
#include "burrow-problem-row.h"

struct _BurrowEndpointGroup
{
  AdwPreferencesGroup  parent_instance;

  BurrowProfile       *profile;
  GBindingGroup       *bindings;
  GSignalGroup        *profile_signals;
  GPtrArray           *problems;

  /* Template widgets */
  AdwActionRow        *auto_row;
  GtkSwitch           *auto_switch;
  BurrowPortRow       *port_row;
  BurrowProblemRow    *port_problem;
};

G_DEFINE_FINAL_TYPE (BurrowEndpointGroup, burrow_endpoint_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_port_row (BurrowEndpointGroup *self)
{
  gboolean automatic = self->profile == NULL || burrow_profile_get_local_port_auto (self->profile);
  guint port = self->profile != NULL ? burrow_profile_get_local_port (self->profile) : 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->port_row), !automatic);

  if (!automatic)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->port_row), _("Local port"));
  else if (port != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->port_row), _("Local port, chosen by Burrow"));
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->port_row), _("Local port, chosen when you save"));
}

static void
on_profile_notify (BurrowEndpointGroup *self)
{
  update_port_row (self);
}

static void
burrow_endpoint_group_dispose (GObject *object)
{
  BurrowEndpointGroup *self = (BurrowEndpointGroup *)object;

  g_clear_object (&self->bindings);
  g_clear_object (&self->profile_signals);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_ENDPOINT_GROUP);

  G_OBJECT_CLASS (burrow_endpoint_group_parent_class)->dispose (object);
}

static void
burrow_endpoint_group_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BurrowEndpointGroup *self = BURROW_ENDPOINT_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_endpoint_group_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BurrowEndpointGroup *self = BURROW_ENDPOINT_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      burrow_endpoint_group_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_endpoint_group_class_init (BurrowEndpointGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_endpoint_group_dispose;
  object_class->get_property = burrow_endpoint_group_get_property;
  object_class->set_property = burrow_endpoint_group_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_PORT_ROW);
  g_type_ensure (BURROW_TYPE_PROBLEM_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-endpoint-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, auto_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, auto_switch);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, port_problem);
}

static void
burrow_endpoint_group_init (BurrowEndpointGroup *self)
{
  self->problems = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Set up once; set_profile() only changes their source. */
  self->bindings = g_binding_group_new ();
  burrow_form_bind (self->bindings, "local-port-auto", self->auto_switch, "active");
  burrow_form_bind (self->bindings, "local-port", self->port_row, "port");
  self->profile_signals = g_signal_group_new (BURROW_TYPE_PROFILE);
  g_signal_group_connect_swapped (self->profile_signals, "notify::local-port-auto", G_CALLBACK (on_profile_notify), self);
  g_signal_group_connect_swapped (self->profile_signals, "notify::local-port", G_CALLBACK (on_profile_notify), self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->auto_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose the local port automatically"),
                                  -1);

  burrow_problem_row_add_code (self->port_problem, BURROW_PROFILE_ERROR_LOCAL_PORT);
  burrow_problem_row_add_code (self->port_problem, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
  g_ptr_array_add (self->problems, self->port_problem);

  update_port_row (self);
}

BurrowProfile *
burrow_endpoint_group_get_profile (BurrowEndpointGroup *self)
{
  g_return_val_if_fail (BURROW_IS_ENDPOINT_GROUP (self), NULL);

  return self->profile;
}

/* @profile: (nullable): the profile the rows edit, in place */
void
burrow_endpoint_group_set_profile (BurrowEndpointGroup *self,
                                   BurrowProfile       *profile)
{
  g_return_if_fail (BURROW_IS_ENDPOINT_GROUP (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  g_set_object (&self->profile, profile);
  g_binding_group_set_source (self->bindings, profile);
  g_signal_group_set_target (self->profile_signals, profile);

  update_port_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/**
 * burrow_endpoint_group_show_problems:
 * @errors: (element-type GError) (nullable): what the validation found
 * @arm: show them even for fields not edited yet
 */
void
burrow_endpoint_group_show_problems (BurrowEndpointGroup *self,
                                     GPtrArray           *errors,
                                     gboolean             arm)
{
  g_return_if_fail (BURROW_IS_ENDPOINT_GROUP (self));

  if (arm)
    burrow_problem_rows_set_armed (self->problems, TRUE);
  burrow_problem_rows_pick (self->problems, errors);
}
