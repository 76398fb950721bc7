/* burrow-form-group.c — a group of a connection's form, editing a profile in place.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the database, SSH tunnel and local endpoint groups share: the
 * profile they edit (the page hands them a draft), their rows bound to
 * its properties both ways, the problem rows under their fields, and
 * whether a secret was typed. The bindings are made once, on the group's
 * own rows; changing the profile only changes their source.
 */

#include "config.h"

#include "burrow-form-group.h"

typedef struct
{
  BurrowProfile *profile;
  GBindingGroup *bindings;
  GSignalGroup  *profile_signals;
  GPtrArray     *problems;
  gboolean       secrets_edited;
} BurrowFormGroupPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BurrowFormGroup, burrow_form_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_SECRETS_EDITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A profile says NULL for an empty string; an editable's text must never
 * be NULL. */
static gboolean
transform_to_text (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL ? text : "");
  return TRUE;
}

static gboolean
transform_copy (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  return g_value_transform (from, to);
}

static void
burrow_form_group_dispose (GObject *object)
{
  BurrowFormGroup *self = (BurrowFormGroup *)object;
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_clear_object (&priv->bindings);
  g_clear_object (&priv->profile_signals);
  g_clear_object (&priv->profile);
  g_clear_pointer (&priv->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_form_group_parent_class)->dispose (object);
}

static void
burrow_form_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BurrowFormGroup *self = BURROW_FORM_GROUP (object);
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, priv->profile);
      break;

    case PROP_SECRETS_EDITED:
      g_value_set_boolean (value, priv->secrets_edited);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_form_group_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BurrowFormGroup *self = BURROW_FORM_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      burrow_form_group_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_form_group_class_init (BurrowFormGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_form_group_dispose;
  object_class->get_property = burrow_form_group_get_property;
  object_class->set_property = burrow_form_group_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A secret was typed (or pasted) since the group was loaded or saved. */
  properties[PROP_SECRETS_EDITED] =
    g_param_spec_boolean ("secrets-edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_PROBLEM_ROW);
}

static void
burrow_form_group_init (BurrowFormGroup *self)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  priv->bindings = g_binding_group_new ();
  priv->profile_signals = g_signal_group_new (BURROW_TYPE_PROFILE);
  priv->problems = g_ptr_array_new ();
}

BurrowProfile *
burrow_form_group_get_profile (BurrowFormGroup *self)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_val_if_fail (BURROW_IS_FORM_GROUP (self), NULL);

  return priv->profile;
}

/* @profile: (nullable): the profile the rows edit, in place */
void
burrow_form_group_set_profile (BurrowFormGroup *self,
                               BurrowProfile   *profile)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (priv->profile == profile)
    return;

  g_set_object (&priv->profile, profile);
  g_binding_group_set_source (priv->bindings, profile);
  g_signal_group_set_target (priv->profile_signals, profile);

  if (BURROW_FORM_GROUP_GET_CLASS (self)->profile_changed != NULL)
    BURROW_FORM_GROUP_GET_CLASS (self)->profile_changed (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/**
 * burrow_form_group_show_problems:
 * @errors: (element-type GError) (nullable): what the validation found
 * @arm: show them even for fields not edited yet
 */
void
burrow_form_group_show_problems (BurrowFormGroup *self,
                                 GPtrArray       *errors,
                                 gboolean         arm)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));

  if (arm)
    burrow_problem_rows_set_armed (priv->problems, TRUE);
  burrow_problem_rows_pick (priv->problems, errors);

  if (BURROW_FORM_GROUP_GET_CLASS (self)->problems_shown != NULL)
    BURROW_FORM_GROUP_GET_CLASS (self)->problems_shown (self, arm);
}

gboolean
burrow_form_group_get_secrets_edited (BurrowFormGroup *self)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_val_if_fail (BURROW_IS_FORM_GROUP (self), FALSE);

  return priv->secrets_edited;
}

/* Fills the secret rows from what the keyring holds, unless the analyst
 * has typed into them meanwhile. */
void
burrow_form_group_load_secrets (BurrowFormGroup   *self,
                                BurrowCredentials *credentials)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (!priv->secrets_edited && BURROW_FORM_GROUP_GET_CLASS (self)->load_secrets != NULL)
    BURROW_FORM_GROUP_GET_CLASS (self)->load_secrets (self, credentials);
}

/* Gives @credentials the secrets that were typed (an empty one clears
 * the keyring's item); the others are left out, so the stored ones stay. */
void
burrow_form_group_collect_secrets (BurrowFormGroup   *self,
                                   BurrowCredentials *credentials)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (priv->secrets_edited && priv->profile != NULL &&
      BURROW_FORM_GROUP_GET_CLASS (self)->collect_secrets != NULL)
    BURROW_FORM_GROUP_GET_CLASS (self)->collect_secrets (self, credentials);
}

/* What was typed is in the keyring now: further typing is a new edit. */
void
burrow_form_group_mark_secrets_saved (BurrowFormGroup *self)
{
  g_return_if_fail (BURROW_IS_FORM_GROUP (self));

  if (BURROW_FORM_GROUP_GET_CLASS (self)->mark_secrets_saved != NULL)
    BURROW_FORM_GROUP_GET_CLASS (self)->mark_secrets_saved (self);
  burrow_form_group_set_secrets_edited (self, FALSE);
}

/* Binds @property of the profile to @target_property of @target, both
 * ways, starting from the profile. */
void
burrow_form_group_bind (BurrowFormGroup *self,
                        const char      *property,
                        gpointer         target,
                        const char      *target_property)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);
  GParamSpec *pspec;

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));
  g_return_if_fail (G_IS_OBJECT (target));

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), target_property);
  g_return_if_fail (pspec != NULL);

  if (pspec->value_type == G_TYPE_STRING)
    g_binding_group_bind_full (priv->bindings, property, target, target_property,
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               transform_to_text, transform_copy, NULL, NULL);
  else
    g_binding_group_bind (priv->bindings, property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* @callback is called as callback (self, …) for the signal of whichever
 * profile the group edits. */
void
burrow_form_group_connect_profile (BurrowFormGroup *self,
                                   const char      *detailed_signal,
                                   GCallback        callback)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));

  g_signal_group_connect_swapped (priv->profile_signals, detailed_signal, callback, self);
}

/* @row shows the problems of @code (a BurrowProfileError). */
void
burrow_form_group_add_problem (BurrowFormGroup  *self,
                               BurrowProblemRow *row,
                               int               code)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));
  g_return_if_fail (BURROW_IS_PROBLEM_ROW (row));

  burrow_problem_row_add_code (row, code);
  if (!g_ptr_array_find (priv->problems, row, NULL))
    g_ptr_array_add (priv->problems, row);
}

void
burrow_form_group_set_secrets_edited (BurrowFormGroup *self,
                                      gboolean         edited)
{
  BurrowFormGroupPrivate *priv = burrow_form_group_get_instance_private (self);

  g_return_if_fail (BURROW_IS_FORM_GROUP (self));

  edited = !!edited;
  if (priv->secrets_edited == edited)
    return;

  priv->secrets_edited = edited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS_EDITED]);
}
