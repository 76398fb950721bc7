/* burrow-endpoint-group.c — where the tunnel listens on this computer.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Automatic (Burrow picks a free port when the connection is saved and
 * keeps it) or a fixed port the analyst types. The port row shows the
 * automatic choice too, read-only, so that it can be seen before
 * connecting. Whether the tunnel comes up when Burrow starts at login
 * is set here too: it is about when the endpoint is there.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-endpoint-group.h"
#include "burrow-port-row.h"

struct _BurrowEndpointGroup
{
  BurrowFormGroup   parent_instance;

  /* Template widgets */
  AdwActionRow     *auto_row;
  GtkSwitch        *auto_switch;
  BurrowPortRow    *port_row;
  BurrowProblemRow *port_problem;
  AdwActionRow     *at_start_row;
  GtkSwitch        *at_start_switch;
};

G_DEFINE_FINAL_TYPE (BurrowEndpointGroup, burrow_endpoint_group, BURROW_TYPE_FORM_GROUP)

static void
update_port_row (BurrowEndpointGroup *self)
{
  BurrowProfile *profile = burrow_form_group_get_profile (BURROW_FORM_GROUP (self));
  gboolean automatic = profile == NULL || burrow_profile_get_local_port_auto (profile);
  guint port = profile != NULL ? burrow_profile_get_local_port (profile) : 0;

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
burrow_endpoint_group_profile_changed (BurrowFormGroup *group)
{
  update_port_row (BURROW_ENDPOINT_GROUP (group));
}

static void
burrow_endpoint_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BURROW_TYPE_ENDPOINT_GROUP);

  G_OBJECT_CLASS (burrow_endpoint_group_parent_class)->dispose (object);
}

static void
burrow_endpoint_group_class_init (BurrowEndpointGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_endpoint_group_dispose;

  BURROW_FORM_GROUP_CLASS (klass)->profile_changed = burrow_endpoint_group_profile_changed;

  g_type_ensure (BURROW_TYPE_PORT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-endpoint-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, auto_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, auto_switch);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, port_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, at_start_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowEndpointGroup, at_start_switch);
}

static void
burrow_endpoint_group_init (BurrowEndpointGroup *self)
{
  BurrowFormGroup *group = BURROW_FORM_GROUP (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  burrow_form_group_bind (group, "local-port-auto", self->auto_switch, "active");
  burrow_form_group_bind (group, "local-port", self->port_row, "port");
  burrow_form_group_bind (group, "connect-at-start", self->at_start_switch, "active");
  burrow_form_group_connect_profile (group, "notify::local-port-auto", G_CALLBACK (on_profile_notify));
  burrow_form_group_connect_profile (group, "notify::local-port", G_CALLBACK (on_profile_notify));

  burrow_form_group_add_problem (group, self->port_problem, BURROW_PROFILE_ERROR_LOCAL_PORT);
  burrow_form_group_add_problem (group, self->port_problem, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);

  update_port_row (self);
}
