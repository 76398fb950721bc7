/* burrow-probe-dialog.c — the test connection, step by step, with the
 * decisions it stops for.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog asks the engine for a probe of the connection as the form
 * has it (secrets typed in included), binds a row to each of its steps,
 * and runs it: the rows turn as the steps do. When the run ends, the
 * line on top says what it found — the server's version when every step
 * passed, the failed step and its cause otherwise — and the failed row
 * shows what to do.
 *
 * Two failures have a way out right there. A host key that is not
 * recorded yet opens the decision (BurrowHostKeyDialog); trusting it
 * records it and runs the test again, which stops at the next hop whose
 * key is new, so that each jump host is asked about in turn. A changed
 * key opens the same dialog as a warning, with no way to accept it. When
 * the bastion refuses Burrow's own key, the failed row offers the key
 * guide, whose "Test Again" comes back here.
 *
 * Cancel stops the run; closing the dialog does too. For a save, the
 * dialog runs the test first and answers whether to go on: at once when
 * every step passed, or when the analyst chooses "Save Anyway".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-copy-row.h"
#include "burrow-host-key-dialog.h"
#include "burrow-key-guide-window.h"
#include "burrow-probe-dialog.h"
#include "burrow-probe-step-row.h"
#include "burrow-window-parent.h"

typedef enum
{
  OUTCOME_NONE,       /* running, or not run yet */
  OUTCOME_PASSED,
  OUTCOME_FAILED,
  OUTCOME_CANCELLED,
  OUTCOME_NOT_STARTED,  /* the probe could not be prepared */
} Outcome;

struct _BurrowProbeDialog
{
  AdwWindow             parent_instance;

  BurrowEngine         *engine;
  BurrowCredentials    *credentials;
  BurrowProbe          *probe;

  /* The dialog's life: cancelled when it closes. */
  GCancellable         *cancellable;
  /* The run under way: Cancel cancels it alone. */
  GCancellable         *run_cancellable;
  gboolean              busy;
  gboolean              rerun;     /* once the run under way has stopped */
  Outcome               outcome;

  /* Set while the dialog answers a save. */
  GTask                *save_task;
  gulong                save_cancelled_handler;

  /* Not owned: they close with the dialog. */
  GtkWindow            *host_key_dialog;
  GtkWindow            *guide_window;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *again_button;
  GtkButton            *save_anyway_button;
  GtkStack             *summary_stack;
  GtkSpinner           *summary_spinner;
  GtkImage             *summary_icon;
  GtkLabel             *summary_title;
  GtkLabel             *summary_description;
  GtkListBox           *steps_list;
  AdwPreferencesGroup  *share_group;
  BurrowCopyRow        *ssh_command_row;
  GtkButton            *diagnostics_button;
};

G_DEFINE_FINAL_TYPE (BurrowProbeDialog, burrow_probe_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_CREDENTIALS,
  PROP_PROBE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_probe (BurrowProbeDialog *self);

/* Helpers */

static BurrowProfile *
profile (BurrowProbeDialog *self)
{
  return burrow_credentials_get_profile (self->credentials);
}

static void
toast (BurrowProbeDialog *self,
       const char        *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
set_busy (BurrowProbeDialog *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_summary (BurrowProbeDialog *self,
             const char        *icon_name,
             const char        *style,
             const char        *title,
             const char        *description)
{
  static const char *styles[] = { "success", "error", "dim-label" };

  if (icon_name == NULL)
    {
      gtk_stack_set_visible_child_name (self->summary_stack, "spinner");
      gtk_spinner_set_spinning (self->summary_spinner, TRUE);
    }
  else
    {
      gtk_image_set_from_icon_name (self->summary_icon, icon_name);
      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        {
          if (g_strcmp0 (styles[i], style) == 0)
            gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), styles[i]);
          else
            gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), styles[i]);
        }
      gtk_stack_set_visible_child_name (self->summary_stack, "icon");
      gtk_spinner_set_spinning (self->summary_spinner, FALSE);
    }

  gtk_label_set_label (self->summary_title, title);
  gtk_label_set_label (self->summary_description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_description), description != NULL);
}

/* The buttons for where the test stands: Cancel while it runs, Test
 * Again once it ended, and Save Anyway after a failure before a save. */
static void
update_buttons (BurrowProbeDialog *self)
{
  gboolean ended = !self->busy;
  gboolean saving = self->save_task != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->again_button), ended);
  gtk_widget_set_visible (GTK_WIDGET (self->save_anyway_button),
                          ended && saving && self->outcome != OUTCOME_PASSED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->diagnostics_button), self->probe != NULL && ended);
}

static void
show_running (BurrowProbeDialog *self)
{
  g_autofree char *title = g_strdup_printf (_("Testing “%s”…"), burrow_profile_get_name (profile (self)));

  set_summary (self, NULL, NULL, title, NULL);
}

static gint64
total_duration (BurrowProbe *probe)
{
  gint64 total = 0;

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    total += MAX (burrow_probe_get_step_duration (probe, i), 0);

  return total;
}

static void
show_passed (BurrowProbeDialog *self)
{
  g_autofree char *took = burrow_probe_format_duration (total_duration (self->probe));
  g_autofree char *description = NULL;
  const char *version = burrow_probe_get_server_version (self->probe);

  if (version != NULL)
    /* Translators: the database's own words, then the test's time: "PostgreSQL 15.8 on x86_64… \n Every step passed in 37.2 ms." */
    description = g_strdup_printf (_("%s\nEvery step passed in %s."), version, took);
  else
    description = g_strdup_printf (_("Every step passed in %s."), took);

  set_summary (self, "emblem-ok-symbolic", "success", _("The Connection Works"), description);
}

static void
show_failed (BurrowProbeDialog *self)
{
  BurrowProbeStepId failed;
  g_autofree char *description = NULL;

  if (!burrow_probe_get_failed_step (self->probe, &failed))
    {
      set_summary (self, "dialog-error-symbolic", "error", _("The Test Failed"), NULL);
      return;
    }

  {
    BurrowProbeStep *step = burrow_probe_get_step (self->probe, failed);
    const char *cause = burrow_probe_step_get_cause (step);

    /* Translators: a step of the test, then why it failed */
    description = g_strdup_printf (_("“%s” did not pass: %s"), burrow_probe_step_get_title (step),
                                   cause != NULL ? cause : _("no reason given"));
  }

  if (self->save_task != NULL)
    {
      g_autofree char *unsaved = g_strdup_printf ("%s\n%s", description,
                                                  _("Nothing is saved yet: change the settings, or save them anyway."));
      g_free (description);
      description = g_steal_pointer (&unsaved);
    }

  set_summary (self, "dialog-error-symbolic", "error", _("The Test Failed"), description);
}

static BurrowProbeStepRow *
row_for_step (BurrowProbeDialog *self,
              BurrowProbeStepId  id)
{
  /* One row per step, in the steps' order. */
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->steps_list, id);

  return row != NULL ? BURROW_PROBE_STEP_ROW (row) : NULL;
}

static GtkWidget *
action_button (BurrowProbeDialog *self,
               const char        *label,
               const char        *accessible_label,
               GCallback          on_clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  burrow_accessible_name_button (button, accessible_label);
  g_signal_connect_object (button, "clicked", on_clicked, self, G_CONNECT_SWAPPED);

  return button;
}

/* The answer to a save: once. */
static void
answer_save (BurrowProbeDialog *self,
             gboolean           save)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->save_task);

  if (task == NULL)
    return;

  g_clear_signal_handler (&self->save_cancelled_handler, g_task_get_cancellable (task));

  if (save)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s", _("The connection was not saved"));
}

/* Callbacks */

static void on_host_key_dialog_response (BurrowProbeDialog   *self,
                                         const char          *response,
                                         BurrowHostKeyDialog *dialog);

static void
present_host_key (BurrowProbeDialog *self)
{
  BurrowHostKey *key = burrow_probe_get_host_key (self->probe);
  BurrowHostKeyDialog *dialog;

  if (key == NULL || self->host_key_dialog != NULL)
    return;

  dialog = burrow_host_key_dialog_new (GTK_WINDOW (self), key, profile (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_host_key_dialog_response),
                           self, G_CONNECT_SWAPPED);
  self->host_key_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->host_key_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_host_key_trusted (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BurrowProbeDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!burrow_engine_trust_host_key_finish (BURROW_ENGINE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_summary (self, "dialog-error-symbolic", "error", _("The Key Was Not Recorded"), error->message);
      return;
    }

  /* The test goes on from the start: the next hop may have a key of its
   * own to decide on. */
  run_probe (self);
}

static void
on_host_key_dialog_response (BurrowProbeDialog   *self,
                             const char          *response,
                             BurrowHostKeyDialog *dialog)
{
  BurrowHostKey *key = burrow_host_key_dialog_get_host_key (dialog);
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, BURROW_HOST_KEY_RESPONSE_TRUST) != 0 ||
      burrow_host_key_get_status (key) != BURROW_HOST_KEY_UNKNOWN)
    return;

  /* Translators: %s is a server's name */
  message = g_strdup_printf (_("Host key of %s recorded"), burrow_host_key_get_host (key));
  toast (self, message);

  show_running (self);
  set_busy (self, TRUE);
  update_buttons (self);
  burrow_engine_trust_host_key_async (self->engine, key, self->cancellable,
                                      on_host_key_trusted, g_object_ref (self));
}

static void
on_review_key_clicked (BurrowProbeDialog *self)
{
  present_host_key (self);
}

static void
on_guide_test_again (BurrowProbeDialog    *self,
                     BurrowKeyGuideWindow *guide)
{
  gtk_window_close (GTK_WINDOW (guide));
  burrow_probe_dialog_run (self);
}

static void
on_show_guide_clicked (BurrowProbeDialog *self)
{
  BurrowKeyGuideWindow *guide;

  if (self->guide_window != NULL)
    {
      gtk_window_present (self->guide_window);
      return;
    }

  guide = burrow_key_guide_window_new (GTK_WINDOW (self), self->engine, profile (self));
  burrow_key_guide_window_set_after_test (guide, TRUE);
  gtk_window_set_modal (GTK_WINDOW (guide), TRUE);
  g_signal_connect_object (guide, "test-again", G_CALLBACK (on_guide_test_again), self, G_CONNECT_SWAPPED);
  self->guide_window = GTK_WINDOW (guide);
  g_object_add_weak_pointer (G_OBJECT (guide), (gpointer *)&self->guide_window);
  gtk_window_present (GTK_WINDOW (guide));
}

/* What the failed row offers, when there is something to do from here. */
static void
offer_way_out (BurrowProbeDialog *self)
{
  BurrowProbeStepId failed;
  BurrowProbeStepRow *row;

  if (!burrow_probe_get_failed_step (self->probe, &failed) ||
      (row = row_for_step (self, failed)) == NULL)
    return;

  if (failed == BURROW_PROBE_STEP_HOST_KEY && burrow_probe_get_host_key (self->probe) != NULL)
    {
      burrow_probe_step_row_set_action (row, action_button (self, _("_Review the Key…"),
                                                            _("Review the server’s host key"),
                                                            G_CALLBACK (on_review_key_clicked)));
      present_host_key (self);
    }
  else if (burrow_probe_get_workspace_key_not_authorized (self->probe))
    burrow_probe_step_row_set_action (row, action_button (self, _("_Authorize Burrow’s Key…"),
                                                          _("Show how to authorize Burrow’s key on the bastion"),
                                                          G_CALLBACK (on_show_guide_clicked)));
}

static void
on_probe_run (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BurrowProbeDialog) self = user_data;
  BurrowProbe *probe = BURROW_PROBE (source);
  g_autoptr(GError) error = NULL;
  gboolean passed;

  passed = burrow_probe_run_finish (probe, result, &error);

  /* A run of a probe the dialog has let go of. */
  if (probe != self->probe)
    return;

  if (self->rerun && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->rerun = FALSE;
      run_probe (self);
      return;
    }

  set_busy (self, FALSE);

  if (passed)
    {
      self->outcome = OUTCOME_PASSED;
      show_passed (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !burrow_probe_get_failed_step (probe, NULL))
    {
      self->outcome = OUTCOME_CANCELLED;
      set_summary (self, "process-stop-symbolic", "dim-label", _("The Test Was Stopped"),
                   _("The steps after the last one that ran were not run."));
    }
  else
    {
      self->outcome = OUTCOME_FAILED;
      show_failed (self);
    }

  update_buttons (self);

  if (self->outcome == OUTCOME_PASSED && self->save_task != NULL)
    {
      answer_save (self, TRUE);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (self->outcome == OUTCOME_FAILED)
    offer_way_out (self);
}

static GtkWidget *
create_step_row (gpointer item,
                 gpointer user_data)
{
  return GTK_WIDGET (burrow_probe_step_row_new (item));
}

static void
set_probe (BurrowProbeDialog *self,
           BurrowProbe       *probe)
{
  g_autofree char *command = NULL;

  if (!g_set_object (&self->probe, probe))
    return;

  gtk_list_box_bind_model (self->steps_list, burrow_probe_get_steps (probe),
                           create_step_row, NULL, NULL);

  command = burrow_probe_dup_ssh_command (probe);
  burrow_copy_row_set_value (self->ssh_command_row, command);
  gtk_widget_set_visible (GTK_WIDGET (self->ssh_command_row), command != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE]);
}

static void
run_probe (BurrowProbeDialog *self)
{
  g_assert (self->probe != NULL);

  /* One run at a time: the one under way stops, and the new one starts
   * when it has. */
  if (burrow_probe_get_running (self->probe))
    {
      self->rerun = TRUE;
      g_cancellable_cancel (self->run_cancellable);
      return;
    }

  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  self->run_cancellable = g_cancellable_new ();

  self->outcome = OUTCOME_NONE;
  set_busy (self, TRUE);
  show_running (self);
  update_buttons (self);

  burrow_probe_run_async (self->probe, self->run_cancellable, on_probe_run, g_object_ref (self));
}

static void
on_probe_prepared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BurrowProbeDialog) self = user_data;
  g_autoptr(BurrowProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  probe = burrow_engine_prepare_probe_finish (BURROW_ENGINE (source), result, &error);
  if (probe == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          g_cancellable_is_cancelled (self->cancellable))
        return;

      set_busy (self, FALSE);
      self->outcome = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? OUTCOME_CANCELLED : OUTCOME_NOT_STARTED;
      set_summary (self, "dialog-error-symbolic", "error", _("The Test Could Not Start"), error->message);
      update_buttons (self);
      return;
    }

  set_probe (self, probe);
  run_probe (self);
}

static void
on_cancel_button_clicked (BurrowProbeDialog *self)
{
  burrow_probe_dialog_cancel (self);
}

static void
on_again_button_clicked (BurrowProbeDialog *self)
{
  burrow_probe_dialog_run (self);
}

static void
on_save_anyway_button_clicked (BurrowProbeDialog *self)
{
  answer_save (self, TRUE);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_diagnostics_button_clicked (BurrowProbeDialog *self)
{
  g_autofree char *text = NULL;

  if (self->probe == NULL)
    return;

  text = burrow_probe_dup_diagnostics (self->probe);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, _("Diagnostics copied"));
}

static void
on_save_cancelled (GCancellable      *cancellable,
                   BurrowProbeDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
win_show_toast (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  toast (BURROW_PROBE_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

/* Overrides */

static gboolean
burrow_probe_dialog_close_request (GtkWindow *window)
{
  BurrowProbeDialog *self = BURROW_PROBE_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  burrow_probe_dialog_cancel (self);
  answer_save (self, FALSE);

  if (self->host_key_dialog != NULL)
    gtk_window_destroy (self->host_key_dialog);
  if (self->guide_window != NULL)
    gtk_window_destroy (self->guide_window);

  return GTK_WINDOW_CLASS (burrow_probe_dialog_parent_class)->close_request (window);
}

/* Destroyed (by its parent, or by gtk_window_destroy()) without closing:
 * what runs for it stops all the same. */
static void
burrow_probe_dialog_unrealize (GtkWidget *widget)
{
  BurrowProbeDialog *self = BURROW_PROBE_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
  burrow_probe_dialog_cancel (self);
  answer_save (self, FALSE);

  GTK_WIDGET_CLASS (burrow_probe_dialog_parent_class)->unrealize (widget);
}

static void
burrow_probe_dialog_constructed (GObject *object)
{
  BurrowProbeDialog *self = (BurrowProbeDialog *)object;

  G_OBJECT_CLASS (burrow_probe_dialog_parent_class)->constructed (object);

  g_assert (BURROW_IS_ENGINE (self->engine));
  g_assert (BURROW_IS_CREDENTIALS (self->credentials));

  burrow_window_follow_parent (GTK_WINDOW (self));
  adw_window_title_set_subtitle (self->window_title, burrow_profile_get_name (profile (self)));
  show_running (self);
  update_buttons (self);
}

static void
burrow_probe_dialog_dispose (GObject *object)
{
  BurrowProbeDialog *self = (BurrowProbeDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  answer_save (self, FALSE);

  if (self->host_key_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->host_key_dialog), (gpointer *)&self->host_key_dialog);
  self->host_key_dialog = NULL;
  if (self->guide_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->guide_window), (gpointer *)&self->guide_window);
  self->guide_window = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_PROBE_DIALOG);

  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->probe);
  g_clear_object (&self->credentials);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (burrow_probe_dialog_parent_class)->dispose (object);
}

static void
burrow_probe_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BurrowProbeDialog *self = BURROW_PROBE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;

    case PROP_PROBE:
      g_value_set_object (value, self->probe);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BurrowProbeDialog *self = BURROW_PROBE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_dialog_class_init (BurrowProbeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = burrow_probe_dialog_constructed;
  object_class->dispose = burrow_probe_dialog_dispose;
  object_class->get_property = burrow_probe_dialog_get_property;
  object_class->set_property = burrow_probe_dialog_set_property;

  widget_class->unrealize = burrow_probe_dialog_unrealize;

  window_class->close_request = burrow_probe_dialog_close_request;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BURROW_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, BURROW_TYPE_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBE] =
    g_param_spec_object ("probe", NULL, NULL, BURROW_TYPE_PROBE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Preparing, running, or recording a host key. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_COPY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-probe-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, again_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, save_anyway_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, summary_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, summary_spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, summary_title);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, summary_description);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, steps_list);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, share_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, ssh_command_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowProbeDialog, diagnostics_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_again_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_anyway_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_diagnostics_button_clicked);

  /* The copy rows say what they copied through the window they are in. */
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", win_show_toast);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
burrow_probe_dialog_init (BurrowProbeDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  burrow_accessible_keep_label (GTK_WIDGET (self->cancel_button));
  burrow_accessible_keep_label (GTK_WIDGET (self->again_button));
  burrow_accessible_keep_label (GTK_WIDGET (self->save_anyway_button));
  burrow_accessible_keep_label (GTK_WIDGET (self->diagnostics_button));
  /* "Copy" and the row's title would read "Copy The same tunnel…". */
  burrow_accessible_name_inner (GTK_WIDGET (self->ssh_command_row), GTK_TYPE_BUTTON,
                                _("Copy the OpenSSH command for the same tunnel"));
}

/* Public API */

/* A dialog for @credentials (a profile, saved or not, and the secrets
 * typed with it); burrow_probe_dialog_run() starts the test. */
BurrowProbeDialog *
burrow_probe_dialog_new (GtkWindow         *parent,
                         BurrowEngine      *engine,
                         BurrowCredentials *credentials)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BURROW_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (credentials), NULL);

  return g_object_new (BURROW_TYPE_PROBE_DIALOG,
                       "transient-for", parent,
                       "engine", engine,
                       "credentials", credentials,
                       NULL);
}

/* Starts the test, or starts it again; a run under way is stopped first. */
void
burrow_probe_dialog_run (BurrowProbeDialog *self)
{
  g_return_if_fail (BURROW_IS_PROBE_DIALOG (self));

  if (self->host_key_dialog != NULL)
    gtk_window_destroy (self->host_key_dialog);

  if (self->probe != NULL)
    {
      run_probe (self);
      return;
    }

  if (self->busy)
    return;

  self->outcome = OUTCOME_NONE;
  set_busy (self, TRUE);
  show_running (self);
  update_buttons (self);
  burrow_engine_prepare_probe_async (self->engine, self->credentials, self->cancellable,
                                     on_probe_prepared, g_object_ref (self));
}

/* Stops the run under way; the steps that did not run say so. */
void
burrow_probe_dialog_cancel (BurrowProbeDialog *self)
{
  g_return_if_fail (BURROW_IS_PROBE_DIALOG (self));

  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

/* The probe, once the engine prepared it; %NULL before. */
BurrowProbe *
burrow_probe_dialog_get_probe (BurrowProbeDialog *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_DIALOG (self), NULL);

  return self->probe;
}

gboolean
burrow_probe_dialog_get_busy (BurrowProbeDialog *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * burrow_probe_dialog_test_before_save_async:
 *
 * Shows the test of @credentials over @parent and runs it, as Metamapper
 * does before it keeps a changed connection. @cancellable (the caller's,
 * on the main thread) closes the dialog.
 */
void
burrow_probe_dialog_test_before_save_async (GtkWindow           *parent,
                                            BurrowEngine        *engine,
                                            BurrowCredentials   *credentials,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  BurrowProbeDialog *self;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (BURROW_IS_ENGINE (engine));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = burrow_probe_dialog_new (parent, engine, credentials);
  self->save_task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->save_task, burrow_probe_dialog_test_before_save_async);

  if (cancellable != NULL)
    self->save_cancelled_handler = g_signal_connect_object (cancellable, "cancelled",
                                                            G_CALLBACK (on_save_cancelled), self, 0);

  adw_window_title_set_title (self->window_title, _("Test Before Saving"));
  gtk_window_present (GTK_WINDOW (self));
  burrow_probe_dialog_run (self);
}

gboolean
burrow_probe_dialog_test_before_save_finish (GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == burrow_probe_dialog_test_before_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
