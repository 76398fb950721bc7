/* burrow-copy-row.c — a ready string to copy: what it is for, the text, and a button.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text is selectable as well, for those who copy by hand. Copying
 * tells the window (action win.show-toast) so that the analyst sees it
 * happened; the row never holds a password, so the toast may name what
 * was copied.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-copy-row.h"

struct _BurrowCopyRow
{
  AdwPreferencesRow  parent_instance;

  char              *value;

  /* Template widgets */
  GtkLabel          *title_label;
  GtkLabel          *value_label;
  GtkButton         *copy_button;
};

G_DEFINE_FINAL_TYPE (BurrowCopyRow, burrow_copy_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_accessible (BurrowCopyRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  g_autofree char *label = g_strdup_printf (_("Copy %s"), title != NULL ? title : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
on_self_notify_title (BurrowCopyRow *self)
{
  gtk_label_set_label (self->title_label,
                       adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  update_accessible (self);
}

static void
on_copy_button_clicked (BurrowCopyRow *self)
{
  burrow_copy_row_copy (self);
}

static void
burrow_copy_row_finalize (GObject *object)
{
  BurrowCopyRow *self = (BurrowCopyRow *)object;

  g_clear_pointer (&self->value, g_free);

  G_OBJECT_CLASS (burrow_copy_row_parent_class)->finalize (object);
}

static void
burrow_copy_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BURROW_TYPE_COPY_ROW);

  G_OBJECT_CLASS (burrow_copy_row_parent_class)->dispose (object);
}

static void
burrow_copy_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BurrowCopyRow *self = BURROW_COPY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_copy_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BurrowCopyRow *self = BURROW_COPY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      burrow_copy_row_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_copy_row_class_init (BurrowCopyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_copy_row_dispose;
  object_class->finalize = burrow_copy_row_finalize;
  object_class->get_property = burrow_copy_row_get_property;
  object_class->set_property = burrow_copy_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-copy-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowCopyRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowCopyRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowCopyRow, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_button_clicked);
}

static void
burrow_copy_row_init (BurrowCopyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::title", G_CALLBACK (on_self_notify_title), NULL);
  update_accessible (self);
}

BurrowCopyRow *
burrow_copy_row_new (const char *title,
                     const char *value)
{
  return g_object_new (BURROW_TYPE_COPY_ROW,
                       "title", title,
                       "value", value,
                       NULL);
}

const char *
burrow_copy_row_get_value (BurrowCopyRow *self)
{
  g_return_val_if_fail (BURROW_IS_COPY_ROW (self), NULL);

  return self->value;
}

void
burrow_copy_row_set_value (BurrowCopyRow *self,
                           const char    *value)
{
  g_return_if_fail (BURROW_IS_COPY_ROW (self));

  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  gtk_label_set_label (self->value_label, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

/* Puts the value on the clipboard and has the window say so. */
void
burrow_copy_row_copy (BurrowCopyRow *self)
{
  const char *title;
  g_autofree char *message = NULL;

  g_return_if_fail (BURROW_IS_COPY_ROW (self));

  if (self->value == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->value);

  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  /* Translators: %s names what was copied, e.g. "JDBC URL" */
  message = g_strdup_printf (_("%s copied"), title != NULL ? title : "");
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}
