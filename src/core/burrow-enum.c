/* burrow-enum.c — enum values and the ids that stand for them in files.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-enum.h"

/* NULL when @value is not one of @type's. */
const char *
burrow_enum_to_id (GType type,
                   int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : NULL;
}

/* @any_case: for text a person may have typed or edited (the nicks are
 * lower case); ids Burrow wrote itself must match exactly. */
gboolean
burrow_enum_from_id (GType       type,
                     const char *id,
                     gboolean    any_case,
                     int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autofree char *lower = NULL;
  GEnumValue *found;

  g_return_val_if_fail (value != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  if (any_case)
    id = lower = g_ascii_strdown (id, -1);

  found = g_enum_get_value_by_nick (klass, id);
  if (found == NULL)
    return FALSE;

  *value = found->value;
  return TRUE;
}
