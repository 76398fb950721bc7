/* burrow-database-group.c — the database part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connection's name and the database as the bastion sees it, and the
 * database password, which goes to the keyring and nowhere else: it is
 * shown only in the password row, and counts as changed only once the
 * analyst typed into it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-database-group.h"
#include "burrow-port-row.h"

struct _BurrowDatabaseGroup
{
  BurrowFormGroup      parent_instance;

  gboolean             syncing_kind;
  gboolean             loading_secret;

  /* Template widgets */
  AdwEntryRow         *name_row;
  BurrowProblemRow    *name_problem;
  AdwComboRow         *kind_row;
  AdwEntryRow         *host_row;
  BurrowProblemRow    *host_problem;
  BurrowPortRow       *port_row;
  BurrowProblemRow    *port_problem;
  AdwEntryRow         *database_row;
  AdwEntryRow         *user_row;
  AdwPasswordEntryRow *password_row;
};

G_DEFINE_FINAL_TYPE (BurrowDatabaseGroup, burrow_database_group, BURROW_TYPE_FORM_GROUP)

static BurrowProfile *
profile_of (BurrowDatabaseGroup *self)
{
  return burrow_form_group_get_profile (BURROW_FORM_GROUP (self));
}

static void
update_description (BurrowDatabaseGroup *self)
{
  BurrowProfile *profile = profile_of (self);

  /* Where the host is looked up depends on the tunnel: the bastion
   * resolves it, not this computer. */
  if (profile == NULL || burrow_profile_get_tunnel_enabled (profile))
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Host and port as seen from the bastion: localhost when the database runs on the bastion itself"));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Host and port as seen from this computer"));
}

static void
show_kind (BurrowDatabaseGroup *self)
{
  BurrowProfile *profile = profile_of (self);

  if (profile == NULL)
    return;

  self->syncing_kind = TRUE;
  adw_combo_row_set_selected (self->kind_row, burrow_profile_get_db_kind (profile));
  self->syncing_kind = FALSE;
}

static void
on_profile_notify_db_kind (BurrowDatabaseGroup *self)
{
  show_kind (self);
}

static void
on_profile_notify_tunnel_enabled (BurrowDatabaseGroup *self)
{
  update_description (self);
}

static void
on_kind_row_notify_selected (BurrowDatabaseGroup *self)
{
  BurrowProfile *profile = profile_of (self);
  BurrowDbKind old_kind, new_kind;
  guint port;

  if (self->syncing_kind || profile == NULL)
    return;

  new_kind = adw_combo_row_get_selected (self->kind_row);
  if (new_kind > BURROW_DB_KIND_LAST)
    return;

  old_kind = burrow_profile_get_db_kind (profile);
  port = burrow_profile_get_db_port (profile);
  burrow_profile_set_db_kind (profile, new_kind);

  /* A port the analyst chose stays; the old kind's usual one follows the
   * kind. */
  if (port == 0 || port == burrow_db_kind_get_default_port (old_kind))
    burrow_profile_set_db_port (profile, burrow_db_kind_get_default_port (new_kind));
}

static void
on_password_row_changed (BurrowDatabaseGroup *self)
{
  if (!self->loading_secret)
    burrow_form_group_set_secrets_edited (BURROW_FORM_GROUP (self), TRUE);
}

static void
burrow_database_group_profile_changed (BurrowFormGroup *group)
{
  BurrowDatabaseGroup *self = BURROW_DATABASE_GROUP (group);

  show_kind (self);
  update_description (self);
}

static void
burrow_database_group_load_secrets (BurrowFormGroup   *group,
                                    BurrowCredentials *credentials)
{
  BurrowDatabaseGroup *self = BURROW_DATABASE_GROUP (group);
  const char *password = burrow_credentials_get_secret (credentials, BURROW_SECRET_DB_PASSWORD);

  self->loading_secret = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  self->loading_secret = FALSE;
}

static void
burrow_database_group_collect_secrets (BurrowFormGroup   *group,
                                       BurrowCredentials *credentials)
{
  BurrowDatabaseGroup *self = BURROW_DATABASE_GROUP (group);

  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD,
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
burrow_database_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BURROW_TYPE_DATABASE_GROUP);

  G_OBJECT_CLASS (burrow_database_group_parent_class)->dispose (object);
}

static void
burrow_database_group_class_init (BurrowDatabaseGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BurrowFormGroupClass *group_class = BURROW_FORM_GROUP_CLASS (klass);

  object_class->dispose = burrow_database_group_dispose;

  group_class->profile_changed = burrow_database_group_profile_changed;
  group_class->load_secrets = burrow_database_group_load_secrets;
  group_class->collect_secrets = burrow_database_group_collect_secrets;

  g_type_ensure (BURROW_TYPE_PORT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-database-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, name_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, name_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, kind_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, host_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, host_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, port_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, database_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, user_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowDatabaseGroup, password_row);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_row_notify_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_password_row_changed);
}

static void
burrow_database_group_init (BurrowDatabaseGroup *self)
{
  BurrowFormGroup *group = BURROW_FORM_GROUP (self);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  /* The list is in the enum's order: the selected index is the kind. */
  for (BurrowDbKind kind = 0; kind <= BURROW_DB_KIND_LAST; kind++)
    gtk_string_list_append (kinds, burrow_db_kind_get_display_name (kind));

  gtk_widget_init_template (GTK_WIDGET (self));

  self->syncing_kind = TRUE;
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  self->syncing_kind = FALSE;

  burrow_form_group_bind (group, "name", self->name_row, "text");
  burrow_form_group_bind (group, "db-host", self->host_row, "text");
  burrow_form_group_bind (group, "db-port", self->port_row, "port");
  burrow_form_group_bind (group, "db-name", self->database_row, "text");
  burrow_form_group_bind (group, "db-user", self->user_row, "text");
  burrow_form_group_connect_profile (group, "notify::db-kind", G_CALLBACK (on_profile_notify_db_kind));
  burrow_form_group_connect_profile (group, "notify::tunnel-enabled", G_CALLBACK (on_profile_notify_tunnel_enabled));

  burrow_form_group_add_problem (group, self->name_problem, BURROW_PROFILE_ERROR_NAME);
  burrow_form_group_add_problem (group, self->name_problem, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
  burrow_form_group_add_problem (group, self->host_problem, BURROW_PROFILE_ERROR_DB_HOST);
  burrow_form_group_add_problem (group, self->port_problem, BURROW_PROFILE_ERROR_DB_PORT);

  burrow_accessible_name_inner (GTK_WIDGET (self->password_row), GTK_TYPE_BUTTON, _("Show the password"));

  update_description (self);
}
