/* burrow-problem-row.c — what is wrong with the field above it, and why.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row of a boxed list that sits right under the field it explains: the
 * cause on one line, what to do about it on the next. It shows only once
 * the field has been edited ("armed"), so that a new, empty form does not
 * open covered in complaints; the field turns red with it, and carries
 * the same text as its accessible description. The codes are
 * BurrowProfileError codes: the validation names the field that is wrong.
 * A port row that holds letters gives its own reason: the profile only
 * sees port 0 there.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-core.h"

#include "burrow-port-row.h"
#include "burrow-problem-row.h"

struct _BurrowProblemRow
{
  AdwPreferencesRow parent_instance;

  GtkWidget     *field;   /* weak */
  GArray        *codes;
  GtkLabel      *cause_label;
  GtkLabel      *hint_label;
  char          *cause;
  char          *hint;
  char          *text;
  gboolean       armed;
  gboolean       has_error;
};

G_DEFINE_FINAL_TYPE (BurrowProblemRow, burrow_problem_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_FIELD,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (BurrowProblemRow *self)
{
  const char *own = BURROW_IS_PORT_ROW (self->field) ? burrow_port_row_get_problem (BURROW_PORT_ROW (self->field)) : NULL;
  const char *cause = own != NULL ? own : self->cause;
  const char *hint = own != NULL ? _("Type digits only.") : self->hint;
  gboolean show = self->armed && (self->has_error || own != NULL);

  g_clear_pointer (&self->text, g_free);
  if (cause != NULL)
    self->text = hint != NULL ? g_strdup_printf ("%s. %s", cause, hint) : g_strdup (cause);
  gtk_label_set_label (self->cause_label, cause);
  gtk_label_set_label (self->hint_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self), show);

  if (self->field == NULL)
    return;

  if (show)
    {
      gtk_widget_add_css_class (self->field, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->text,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->field, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->field),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
on_field_changed (GtkEditable      *field,
                  BurrowProblemRow *self)
{
  burrow_problem_row_set_armed (self, TRUE);
  /* A port row's letters do not change the profile. */
  update (self);
}

static GtkLabel *
make_label (GtkWidget *box)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (label));

  return label;
}

static void
set_field (BurrowProblemRow *self,
           GtkWidget        *field)
{
  g_assert (self->field == NULL);

  if (field == NULL)
    return;

  self->field = field;
  g_object_add_weak_pointer (G_OBJECT (field), (gpointer *)&self->field);

  if (GTK_IS_EDITABLE (field))
    g_signal_connect (field, "changed", G_CALLBACK (on_field_changed), self);
}

static void
burrow_problem_row_dispose (GObject *object)
{
  BurrowProblemRow *self = (BurrowProblemRow *)object;

  if (self->field != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->field, self);
      g_object_remove_weak_pointer (G_OBJECT (self->field), (gpointer *)&self->field);
      self->field = NULL;
    }

  G_OBJECT_CLASS (burrow_problem_row_parent_class)->dispose (object);
}

static void
burrow_problem_row_finalize (GObject *object)
{
  BurrowProblemRow *self = (BurrowProblemRow *)object;

  g_clear_pointer (&self->cause, g_free);
  g_clear_pointer (&self->hint, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->codes, g_array_unref);

  G_OBJECT_CLASS (burrow_problem_row_parent_class)->finalize (object);
}

static void
burrow_problem_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BurrowProblemRow *self = BURROW_PROBLEM_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;

    case PROP_CODE:
      g_value_set_int (value, self->codes->len > 0 ? g_array_index (self->codes, int, 0) : -1);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_problem_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BurrowProblemRow *self = BURROW_PROBLEM_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      set_field (self, g_value_get_object (value));
      break;

    case PROP_CODE:
      if (g_value_get_int (value) >= 0)
        burrow_problem_row_add_code (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_problem_row_class_init (BurrowProblemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_problem_row_dispose;
  object_class->finalize = burrow_problem_row_finalize;
  object_class->get_property = burrow_problem_row_get_property;
  object_class->set_property = burrow_problem_row_set_property;

  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The first BurrowProfileError code shown here; add_code() adds more. */
  properties[PROP_CODE] =
    g_param_spec_int ("code", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
burrow_problem_row_init (BurrowProblemRow *self)
{
  GtkWidget *box;

  self->codes = g_array_new (FALSE, FALSE, sizeof (int));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "problem");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  self->cause_label = make_label (box);
  self->hint_label = make_label (box);
  gtk_widget_add_css_class (GTK_WIDGET (self->cause_label), "problem-cause");
  gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "problem-hint");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
}

/**
 * burrow_problem_row_new:
 * @field: the row whose value this one explains
 * @code: the BurrowProfileError code it shows, or -1
 */
BurrowProblemRow *
burrow_problem_row_new (GtkWidget *field,
                        int        code)
{
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);

  return g_object_new (BURROW_TYPE_PROBLEM_ROW,
                       "field", field,
                       "code", code,
                       NULL);
}

GtkWidget *
burrow_problem_row_get_field (BurrowProblemRow *self)
{
  g_return_val_if_fail (BURROW_IS_PROBLEM_ROW (self), NULL);

  return self->field;
}

void
burrow_problem_row_add_code (BurrowProblemRow *self,
                             int               code)
{
  g_return_if_fail (BURROW_IS_PROBLEM_ROW (self));

  g_array_append_val (self->codes, code);
}

/* @error: (nullable): a Burrow error, cause and hint; %NULL when the field is fine */
void
burrow_problem_row_set_error (BurrowProblemRow *self,
                              const GError     *error)
{
  g_return_if_fail (BURROW_IS_PROBLEM_ROW (self));

  g_clear_pointer (&self->cause, g_free);
  g_clear_pointer (&self->hint, g_free);
  self->has_error = error != NULL;

  if (error != NULL)
    {
      self->cause = burrow_error_dup_cause (error);
      self->hint = g_strdup (burrow_error_get_hint (error));
    }

  update (self);
}

/* The cause and the hint as one sentence each; %NULL when the field is fine. */
const char *
burrow_problem_row_get_text (BurrowProblemRow *self)
{
  g_return_val_if_fail (BURROW_IS_PROBLEM_ROW (self), NULL);

  return self->text;
}

void
burrow_problem_row_set_armed (BurrowProblemRow *self,
                              gboolean          armed)
{
  g_return_if_fail (BURROW_IS_PROBLEM_ROW (self));

  armed = !!armed;
  if (self->armed == armed)
    return;

  self->armed = armed;
  update (self);
}

gboolean
burrow_problem_row_get_armed (BurrowProblemRow *self)
{
  g_return_val_if_fail (BURROW_IS_PROBLEM_ROW (self), FALSE);

  return self->armed;
}

static const GError *
first_error_for (BurrowProblemRow *self,
                 GPtrArray        *errors)
{
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);

      if (error->domain != BURROW_PROFILE_ERROR)
        continue;

      for (guint j = 0; j < self->codes->len; j++)
        if (error->code == g_array_index (self->codes, int, j))
          return error;
    }

  return NULL;
}

/**
 * burrow_problem_rows_pick:
 * @rows: (element-type BurrowProblemRow): the rows of a form
 * @errors: (element-type GError) (nullable): what the validation found
 */
void
burrow_problem_rows_pick (GPtrArray *rows,
                          GPtrArray *errors)
{
  g_return_if_fail (rows != NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      BurrowProblemRow *row = g_ptr_array_index (rows, i);

      burrow_problem_row_set_error (row, first_error_for (row, errors));
    }
}

void
burrow_problem_rows_set_armed (GPtrArray *rows,
                               gboolean   armed)
{
  g_return_if_fail (rows != NULL);

  for (guint i = 0; i < rows->len; i++)
    burrow_problem_row_set_armed (g_ptr_array_index (rows, i), armed);
}
