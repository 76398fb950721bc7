/* burrow-accessible.c — names and states that GTK 4.8 and libadwaita 1.2 get wrong.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 leaves some of its own controls without a name: the
 * switch of an expander row, the button that shows a password. A screen
 * reader then says "check box" or "push button" and nothing else. These
 * widgets are not part of its API, so they are found by type under the
 * row, once, when the row is built.
 *
 * GTK 4.8 names a control by its own label followed by the text of what
 * labels it, and gives a text button both: its raw label, "_" and all,
 * and its mnemonic label. A screen reader then says "_Save Save".
 *
 * libadwaita 1.2's expander row does not say whether it is expanded.
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

/* Names @button by @label alone, or, when @label is NULL, by the text it
 * shows alone. Again after each gtk_button_set_label (), which sets the
 * raw label once more. */
void
burrow_accessible_name_button (GtkWidget  *button,
                               const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (button));

  if (label == NULL)
    {
      GtkWidget *child = GTK_IS_BUTTON (button) ? gtk_button_get_child (GTK_BUTTON (button)) : NULL;

      gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      /* A name given before took the label's place. */
      if (GTK_IS_LABEL (child))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL, -1);
      return;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* The name set in a template's <accessibility> for @button, alone. */
void
burrow_accessible_keep_label (GtkWidget *button)
{
  g_return_if_fail (GTK_IS_WIDGET (button));

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
on_expander_row_notify_expanded (AdwExpanderRow *row,
                                 GParamSpec     *pspec,
                                 GtkWidget      *header)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (header),
                               GTK_ACCESSIBLE_STATE_EXPANDED, adw_expander_row_get_expanded (row),
                               -1);
}

/* Keeps the expanded state on @row's header, the part a screen reader
 * meets and activates, from now on. */
void
burrow_accessible_track_expanded (AdwExpanderRow *row)
{
  GtkWidget *header;

  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  header = find (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW);
  if (header == NULL)
    return;

  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_expander_row_notify_expanded), header, 0);
  on_expander_row_notify_expanded (row, NULL, header);
}
