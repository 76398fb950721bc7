/* burrow-form-binding.c — a profile's properties bound both ways to a form's rows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile says NULL for an empty string; an editable's text must never
 * be NULL. The transform makes the one the other, so every string field
 * of every group binds the same way.
 */

#include "config.h"

#include "burrow-form-binding.h"

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

/* Binds @source_property of the group's source (a BurrowProfile) to
 * @target_property of @target, both ways, starting from the profile. */
void
burrow_form_bind (GBindingGroup *bindings,
                  const char    *source_property,
                  gpointer       target,
                  const char    *target_property)
{
  GParamSpec *pspec;

  g_return_if_fail (G_IS_BINDING_GROUP (bindings));
  g_return_if_fail (G_IS_OBJECT (target));

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), target_property);
  g_return_if_fail (pspec != NULL);

  if (pspec->value_type == G_TYPE_STRING)
    g_binding_group_bind_full (bindings, source_property, target, target_property,
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               transform_to_text, transform_copy, NULL, NULL);
  else
    g_binding_group_bind (bindings, source_property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}
