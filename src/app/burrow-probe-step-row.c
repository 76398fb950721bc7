/* burrow-probe-step-row.c — one step of the test connection, as it runs.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BurrowProbeStep: a spinner while the step runs, then
 * a check or a cross with the time the step really took and what it saw.
 * A failed step opens under its title with the cause and what to do about
 * it (and, when the dialog gives one, a button that does it). A step that
 * did not run says so. Steps that cannot apply to the connection (the SSH
 * steps of a direct one) hide, unless they say why.
 *
 * The step notifies each change as one batch of properties; the row
 * redraws from the step's state at each of them, which is cheap and can
 * never show half of a change.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-probe-step-row.h"

struct _BurrowProbeStepRow
{
  GtkListBoxRow    parent_instance;

  BurrowProbeStep *step;
  gulong           notify_handler;

  /* Template widgets */
  GtkStack        *status_stack;
  GtkImage        *status_icon;
  GtkSpinner      *spinner;
  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkLabel        *duration_label;
  GtkRevealer     *revealer;
  GtkLabel        *cause_label;
  GtkLabel        *hint_label;
  GtkBox          *action_box;
};

G_DEFINE_FINAL_TYPE (BurrowProbeStepRow, burrow_probe_step_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_STEP,
  PROP_EXPANDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
set_icon (BurrowProbeStepRow *self,
          const char         *icon_name,
          const char         *style)
{
  static const char *styles[] = { "success", "error", "dim-label" };

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      if (g_strcmp0 (styles[i], style) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), styles[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), styles[i]);
    }
}

static const char *
state_text (BurrowProbeStepState state)
{
  switch (state)
    {
    case BURROW_PROBE_STEP_PENDING:
      return _("waiting");
    case BURROW_PROBE_STEP_RUNNING:
      return _("running");
    case BURROW_PROBE_STEP_PASSED:
      return _("passed");
    case BURROW_PROBE_STEP_FAILED:
      return _("failed");
    case BURROW_PROBE_STEP_NOT_RUN:
      return _("not run");
    case BURROW_PROBE_STEP_NOT_APPLICABLE:
    default:
      return _("does not apply");
    }
}

/* What a screen reader says for the row: the step, how it went and how
 * long it took, then what it saw or why it failed. */
static void
update_accessible (BurrowProbeStepRow   *self,
                   BurrowProbeStepState  state,
                   const char           *took)
{
  g_autofree char *label = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  const char *detail = burrow_probe_step_get_detail (self->step);

  if (took != NULL)
    /* Translators: a step of the test, its outcome and its time: "Sign in to the bastion: passed, 11.7 ms" */
    label = g_strdup_printf (_("%s: %s, %s"), burrow_probe_step_get_title (self->step), state_text (state), took);
  else
    /* Translators: a step of the test and its outcome: "Sign in to the bastion: not run" */
    label = g_strdup_printf (_("%s: %s"), burrow_probe_step_get_title (self->step), state_text (state));

  if (detail != NULL)
    g_string_append (description, detail);
  if (state == BURROW_PROBE_STEP_FAILED)
    {
      const char *cause = burrow_probe_step_get_cause (self->step);
      const char *hint = burrow_probe_step_get_hint (self->step);

      if (cause != NULL)
        g_string_append_printf (description, "%s%s", description->len > 0 ? " " : "", cause);
      if (hint != NULL)
        g_string_append_printf (description, "%s%s", description->len > 0 ? " " : "", hint);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

static void
update (BurrowProbeStepRow *self)
{
  BurrowProbeStepState state = burrow_probe_step_get_state (self->step);
  const char *detail = burrow_probe_step_get_detail (self->step);
  g_autofree char *took = burrow_probe_format_duration (burrow_probe_step_get_duration (self->step));
  gboolean running = state == BURROW_PROBE_STEP_RUNNING;
  gboolean failed = state == BURROW_PROBE_STEP_FAILED;
  gboolean was_expanded = gtk_revealer_get_reveal_child (self->revealer);

  gtk_label_set_label (self->title_label, burrow_probe_step_get_title (self->step));

  switch (state)
    {
    case BURROW_PROBE_STEP_PASSED:
      set_icon (self, "object-select-symbolic", "success");
      break;
    case BURROW_PROBE_STEP_FAILED:
      set_icon (self, "window-close-symbolic", "error");
      break;
    case BURROW_PROBE_STEP_NOT_RUN:
    case BURROW_PROBE_STEP_NOT_APPLICABLE:
      set_icon (self, "list-remove-symbolic", "dim-label");
      break;
    case BURROW_PROBE_STEP_PENDING:
    case BURROW_PROBE_STEP_RUNNING:
    default:
      set_icon (self, "radio-symbolic", "dim-label");
      break;
    }

  gtk_stack_set_visible_child_name (self->status_stack, running ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, running);

  /* A step that did not run is not part of what happened: dimmed. */
  if (state == BURROW_PROBE_STEP_NOT_RUN || state == BURROW_PROBE_STEP_NOT_APPLICABLE ||
      state == BURROW_PROBE_STEP_PENDING)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");

  if (state == BURROW_PROBE_STEP_NOT_RUN && detail == NULL)
    set_label (self->subtitle_label, _("Not run"));
  else
    set_label (self->subtitle_label, detail);

  set_label (self->duration_label, took);

  if (failed)
    {
      const char *hint = burrow_probe_step_get_hint (self->step);
      g_autofree char *markup = NULL;

      if (hint != NULL)
        /* Translators: before what to do about a failed step */
        markup = g_markup_printf_escaped ("<b>%s</b> %s", _("What to do:"), hint);

      set_label (self->cause_label, burrow_probe_step_get_cause (self->step));
      gtk_label_set_markup (self->hint_label, markup != NULL ? markup : "");
      gtk_widget_set_visible (GTK_WIDGET (self->hint_label), markup != NULL);
    }
  gtk_revealer_set_reveal_child (self->revealer, failed);
  if (!failed)
    burrow_probe_step_row_set_action (self, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self),
                          state != BURROW_PROBE_STEP_NOT_APPLICABLE || detail != NULL);

  update_accessible (self, state, took);

  if (was_expanded != failed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}

/* Callbacks */

static void
on_step_notify (BurrowProbeStepRow *self)
{
  update (self);
}

/* Overrides */

static void
burrow_probe_step_row_set_step (BurrowProbeStepRow *self,
                                BurrowProbeStep    *step)
{
  g_assert (self->step == NULL);

  self->step = g_object_ref (step);
  self->notify_handler = g_signal_connect_object (step, "notify", G_CALLBACK (on_step_notify),
                                                  self, G_CONNECT_SWAPPED);
  update (self);
}

static void
burrow_probe_step_row_dispose (GObject *object)
{
  BurrowProbeStepRow *self = (BurrowProbeStepRow *)object;

  g_clear_signal_handler (&self->notify_handler, self->step);
  g_clear_object (&self->step);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_PROBE_STEP_ROW);

  G_OBJECT_CLASS (burrow_probe_step_row_parent_class)->dispose (object);
}

static void
burrow_probe_step_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BurrowProbeStepRow *self = BURROW_PROBE_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_object (value, self->step);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, burrow_probe_step_row_get_expanded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_step_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BurrowProbeStepRow *self = BURROW_PROBE_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      burrow_probe_step_row_set_step (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_step_row_class_init (BurrowProbeStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_probe_step_row_dispose;
  object_class->get_property = burrow_probe_step_row_get_property;
  object_class->set_property = burrow_probe_step_row_set_property;

  properties[PROP_STEP] =
    g_param_spec_object ("step", NULL, NULL, BURROW_TYPE_PROBE_STEP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether the cause and the fix show under the title. */
  properties[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-probe-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, revealer);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, cause_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeStepRow, action_box);
}

static void
burrow_probe_step_row_init (BurrowProbeStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

BurrowProbeStepRow *
burrow_probe_step_row_new (BurrowProbeStep *step)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (step), NULL);

  return g_object_new (BURROW_TYPE_PROBE_STEP_ROW, "step", step, NULL);
}

BurrowProbeStep *
burrow_probe_step_row_get_step (BurrowProbeStepRow *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP_ROW (self), NULL);

  return self->step;
}

/* Whether the cause and the fix show: they do while the step has failed. */
gboolean
burrow_probe_step_row_get_expanded (BurrowProbeStepRow *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP_ROW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

/* A button under the fix that does it ("Show the Key Guide"), while the
 * step stays failed; %NULL takes it away. */
void
burrow_probe_step_row_set_action (BurrowProbeStepRow *self,
                                  GtkWidget          *action)
{
  GtkWidget *child;

  g_return_if_fail (BURROW_IS_PROBE_STEP_ROW (self));
  g_return_if_fail (action == NULL || GTK_IS_WIDGET (action));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->action_box))) != NULL)
    gtk_box_remove (self->action_box, child);

  if (action != NULL)
    gtk_box_append (self->action_box, action);
  gtk_widget_set_visible (GTK_WIDGET (self->action_box), action != NULL);
}
