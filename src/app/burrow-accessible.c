/* burrow-accessible.c — names for the controls libadwaita builds inside its rows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 leaves some of its own controls without a name: the
 * switch of an expander row, the button that shows a password. A screen
 * reader then says "check box" or "push button" and nothing else. These
 * widgets are not part of its API, so they are found by type under the
 * row, once, when the row is built.
 */

#include "config.h"

#include "burrow-accessible.h"

static GtkWidget *
find (GtkWidget *widget,
      GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      /* A hidden one is not what a screen reader meets (the entry row's
       * apply button, for one). */
      if (!gtk_widget_get_visible (child))
        continue;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;

      found = find (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Names the first visible widget of @type under @root; FALSE if there is
 * none (a libadwaita that builds its rows otherwise). */
gboolean
burrow_accessible_name_inner (GtkWidget  *root,
                              GType       type,
                              const char *label)
{
  GtkWidget *inner;

  g_return_val_if_fail (GTK_IS_WIDGET (root), FALSE);

  inner = find (root, type);
  if (inner == NULL)
    return FALSE;

  gtk_accessible_update_property (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return TRUE;
}
