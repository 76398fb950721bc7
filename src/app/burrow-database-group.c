/* burrow-database-group.c — the database part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Edits a BurrowProfile in place (the connection page hands it a draft),
 * and the database password, which goes to the keyring and nowhere else:
 * it is shown only in the password row, and only counted as changed once
 * the analyst typed into it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-database-group.h"
#include "burrow-form-binding.h"
#include "burrow-port-row.h"
#include "burrow-problem-row.h"

struct _BurrowDatabaseGroup
{
  AdwPreferencesGroup  parent_instance;

  BurrowProfile       *profile;
  GBindingGroup       *bindings;
  GSignalGroup        *profile_signals;
  GPtrArray           *problems;
  gboolean             syncing_kind;
  gboolean             loading_secret;
  gboolean             secrets_edited;

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

G_DEFINE_FINAL_TYPE (BurrowDatabaseGroup, burrow_database_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_SECRETS_EDITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_secrets_edited (BurrowDatabaseGroup *self,
                    gboolean             edited)
{
  if (self->secrets_edited == edited)
    return;

  self->secrets_edited = edited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS_EDITED]);
}

static void
update_description (BurrowDatabaseGroup *self)
{
  /* Where the host is looked up depends on the tunnel: the bastion
   * resolves it, not this computer. */
  if (self->profile == NULL || burrow_profile_get_tunnel_enabled (self->profile))
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Host and port as seen from the bastion: localhost when the database runs on the bastion itself"));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Host and port as seen from this computer"));
}

static void
show_kind (BurrowDatabaseGroup *self)
{
  self->syncing_kind = TRUE;
  adw_combo_row_set_selected (self->kind_row, burrow_profile_get_db_kind (self->profile));
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
  BurrowDbKind old_kind, new_kind;
  guint port;

  if (self->syncing_kind || self->profile == NULL)
    return;

  new_kind = adw_combo_row_get_selected (self->kind_row);
  if (new_kind > BURROW_DB_KIND_LAST)
    return;

  old_kind = burrow_profile_get_db_kind (self->profile);
  port = burrow_profile_get_db_port (self->profile);
  burrow_profile_set_db_kind (self->profile, new_kind);

  /* A port the analyst chose stays; the old kind's usual one follows the
   * kind. */
  if (port == 0 || port == burrow_db_kind_get_default_port (old_kind))
    burrow_profile_set_db_port (self->profile, burrow_db_kind_get_default_port (new_kind));
}

static void
on_password_row_changed (BurrowDatabaseGroup *self)
{
  if (!self->loading_secret)
    set_secrets_edited (self, TRUE);
}

static void
burrow_database_group_dispose (GObject *object)
{
  BurrowDatabaseGroup *self = (BurrowDatabaseGroup *)object;

  g_clear_object (&self->bindings);
  g_clear_object (&self->profile_signals);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_DATABASE_GROUP);

  G_OBJECT_CLASS (burrow_database_group_parent_class)->dispose (object);
}

static void
burrow_database_group_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BurrowDatabaseGroup *self = BURROW_DATABASE_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_SECRETS_EDITED:
      g_value_set_boolean (value, self->secrets_edited);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_database_group_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BurrowDatabaseGroup *self = BURROW_DATABASE_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      burrow_database_group_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_database_group_class_init (BurrowDatabaseGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_database_group_dispose;
  object_class->get_property = burrow_database_group_get_property;
  object_class->set_property = burrow_database_group_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS_EDITED] =
    g_param_spec_boolean ("secrets-edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_PORT_ROW);
  g_type_ensure (BURROW_TYPE_PROBLEM_ROW);

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
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  self->problems = g_ptr_array_new ();

  /* The list is in the enum's order: the selected index is the kind. */
  for (BurrowDbKind kind = 0; kind <= BURROW_DB_KIND_LAST; kind++)
    gtk_string_list_append (kinds, burrow_db_kind_get_display_name (kind));

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Set up once; set_profile() only changes their source. */
  self->bindings = g_binding_group_new ();
  burrow_form_bind (self->bindings, "name", self->name_row, "text");
  burrow_form_bind (self->bindings, "db-host", self->host_row, "text");
  burrow_form_bind (self->bindings, "db-port", self->port_row, "port");
  burrow_form_bind (self->bindings, "db-name", self->database_row, "text");
  burrow_form_bind (self->bindings, "db-user", self->user_row, "text");
  self->profile_signals = g_signal_group_new (BURROW_TYPE_PROFILE);
  g_signal_group_connect_swapped (self->profile_signals, "notify::db-kind", G_CALLBACK (on_profile_notify_db_kind), self);
  g_signal_group_connect_swapped (self->profile_signals, "notify::tunnel-enabled", G_CALLBACK (on_profile_notify_tunnel_enabled), self);

  self->syncing_kind = TRUE;
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  self->syncing_kind = FALSE;

  burrow_problem_row_add_code (self->name_problem, BURROW_PROFILE_ERROR_NAME);
  burrow_problem_row_add_code (self->name_problem, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
  burrow_problem_row_add_code (self->host_problem, BURROW_PROFILE_ERROR_DB_HOST);
  burrow_problem_row_add_code (self->port_problem, BURROW_PROFILE_ERROR_DB_PORT);
  g_ptr_array_add (self->problems, self->name_problem);
  g_ptr_array_add (self->problems, self->host_problem);
  g_ptr_array_add (self->problems, self->port_problem);

  burrow_accessible_name_inner (GTK_WIDGET (self->password_row), GTK_TYPE_BUTTON, _("Show the password"));

  update_description (self);
}

BurrowProfile *
burrow_database_group_get_profile (BurrowDatabaseGroup *self)
{
  g_return_val_if_fail (BURROW_IS_DATABASE_GROUP (self), NULL);

  return self->profile;
}

/* @profile: (nullable): the profile the rows edit, in place */
void
burrow_database_group_set_profile (BurrowDatabaseGroup *self,
                                   BurrowProfile       *profile)
{
  g_return_if_fail (BURROW_IS_DATABASE_GROUP (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  g_set_object (&self->profile, profile);
  g_binding_group_set_source (self->bindings, profile);
  g_signal_group_set_target (self->profile_signals, profile);

  if (profile != NULL)
    show_kind (self);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/**
 * burrow_database_group_show_problems:
 * @errors: (element-type GError) (nullable): what the validation found
 * @arm: show them even for fields not edited yet
 */
void
burrow_database_group_show_problems (BurrowDatabaseGroup *self,
                                     GPtrArray           *errors,
                                     gboolean             arm)
{
  g_return_if_fail (BURROW_IS_DATABASE_GROUP (self));

  if (arm)
    burrow_problem_rows_set_armed (self->problems, TRUE);
  burrow_problem_rows_pick (self->problems, errors);
}

/* Fills the password row from the keyring's item, unless the analyst has
 * typed into it meanwhile. */
void
burrow_database_group_load_secrets (BurrowDatabaseGroup *self,
                                    BurrowCredentials   *credentials)
{
  const char *password;

  g_return_if_fail (BURROW_IS_DATABASE_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (self->secrets_edited)
    return;

  password = burrow_credentials_get_secret (credentials, BURROW_SECRET_DB_PASSWORD);

  self->loading_secret = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  self->loading_secret = FALSE;
}

gboolean
burrow_database_group_get_secrets_edited (BurrowDatabaseGroup *self)
{
  g_return_val_if_fail (BURROW_IS_DATABASE_GROUP (self), FALSE);

  return self->secrets_edited;
}

/* Gives @credentials the password when it was typed (an empty one clears
 * the keyring's item); leaves it out otherwise, so the stored one stays. */
void
burrow_database_group_collect_secrets (BurrowDatabaseGroup *self,
                                       BurrowCredentials   *credentials)
{
  g_return_if_fail (BURROW_IS_DATABASE_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (self->secrets_edited)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD,
                                   gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

/* What was typed is in the keyring now: further typing is a new edit. */
void
burrow_database_group_mark_secrets_saved (BurrowDatabaseGroup *self)
{
  g_return_if_fail (BURROW_IS_DATABASE_GROUP (self));

  set_secrets_edited (self, FALSE);
}
