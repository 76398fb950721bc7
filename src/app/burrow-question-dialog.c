/* burrow-question-dialog.c — a one-time code or a passphrase asked while connecting.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the bastion's prompt as it sent it (keyboard-interactive: a Duo
 * or TOTP code, a PIN) or asks for a key's passphrase that is not stored,
 * and hands the answer to the question once. The entry hides what is
 * typed unless the server asked for echo. Cancel stops the connect.
 * Nothing typed here is stored: the entry is emptied as the dialog
 * answers, and the question wipes the answer once the sign-in took it.
 * A connect that ends meanwhile withdraws the question, which closes the
 * dialog.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-question-dialog.h"

struct _BurrowQuestionDialog
{
  AdwMessageDialog  parent_instance;

  BurrowQuestion   *question;
  GtkWidget        *entry;
  gboolean          settled;
};

G_DEFINE_FINAL_TYPE (BurrowQuestionDialog, burrow_question_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_QUESTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_question_withdrawn (BurrowQuestionDialog *self)
{
  self->settled = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_entry_activate (BurrowQuestionDialog *self)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "answer");
}

static void
on_response (BurrowQuestionDialog *self,
             const char           *response)
{
  if (!self->settled && !burrow_question_is_done (self->question))
    {
      self->settled = TRUE;
      if (g_str_equal (response, "answer"))
        burrow_question_answer (self->question, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
      else
        burrow_question_cancel (self->question);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
setup (BurrowQuestionDialog *self)
{
  BurrowQuestion *question = self->question;
  const char *name = burrow_question_get_connection_name (question);
  g_autofree char *address = burrow_format_host_port (burrow_question_get_host (question),
                                                      burrow_question_get_port (question));
  g_autofree char *heading = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  const char *prompt;
  gboolean echo;

  if (burrow_question_get_kind (question) == BURROW_QUESTION_PASSPHRASE)
    {
      heading = g_strdup (_("Unlock the Key"));
      /* Translators: %s is a connection's name */
      g_string_append_printf (body, _("The private key of “%s” is protected by a passphrase that Burrow does not store."),
                              name != NULL ? name : address);
      prompt = _("Passphrase");
      echo = FALSE;
    }
  else
    {
      const char *title = burrow_question_get_title (question);
      const char *instruction = burrow_question_get_instruction (question);

      /* Translators: %s is the bastion, host:port */
      heading = title != NULL && *title != '\0' ? g_strdup (title) : g_strdup_printf (_("%s Asks"), address);
      if (name != NULL)
        /* Translators: the first %s is a connection's name, the second user@host:port */
        g_string_append_printf (body, _("“%s” is signing in as %s@%s."), name,
                                burrow_question_get_user (question), address);
      if (instruction != NULL && *instruction != '\0')
        g_string_append_printf (body, "%s%s", body->len > 0 ? "\n\n" : "", instruction);
      prompt = burrow_question_get_prompt (question);
      if (prompt == NULL || *prompt == '\0')
        prompt = _("Answer");

      echo = burrow_question_get_echo (question);
    }

  g_string_append_printf (body, "%s%s", body->len > 0 ? "\n\n" : "",
                          _("Nothing typed here is stored."));

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body->str);

  /* Hidden unless the server asked for echo; the server's own prompt
   * ("Verification code:") names the entry. */
  self->entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (self->entry), echo);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), echo ? GTK_INPUT_PURPOSE_FREE_FORM : GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), prompt);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, prompt,
                                  -1);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), self->entry);

  g_signal_connect_object (question, "withdrawn", G_CALLBACK (on_question_withdrawn), self, G_CONNECT_SWAPPED);
}

static void
burrow_question_dialog_constructed (GObject *object)
{
  BurrowQuestionDialog *self = (BurrowQuestionDialog *)object;

  G_OBJECT_CLASS (burrow_question_dialog_parent_class)->constructed (object);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "answer", _("_Continue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "answer", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "answer");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);

  setup (self);
}

static void
burrow_question_dialog_dispose (GObject *object)
{
  BurrowQuestionDialog *self = (BurrowQuestionDialog *)object;

  /* Closed without an answer: the connect must not wait for one. */
  if (self->question != NULL && !self->settled && !burrow_question_is_done (self->question))
    {
      self->settled = TRUE;
      burrow_question_cancel (self->question);
    }
  g_clear_object (&self->question);

  G_OBJECT_CLASS (burrow_question_dialog_parent_class)->dispose (object);
}

static void
burrow_question_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BurrowQuestionDialog *self = BURROW_QUESTION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_QUESTION:
      g_value_set_object (value, self->question);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_question_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BurrowQuestionDialog *self = BURROW_QUESTION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_QUESTION:
      self->question = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_question_dialog_class_init (BurrowQuestionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = burrow_question_dialog_constructed;
  object_class->dispose = burrow_question_dialog_dispose;
  object_class->get_property = burrow_question_dialog_get_property;
  object_class->set_property = burrow_question_dialog_set_property;

  properties[PROP_QUESTION] =
    g_param_spec_object ("question", NULL, NULL, BURROW_TYPE_QUESTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_question_dialog_init (BurrowQuestionDialog *self)
{
}

/* @parent: (nullable): the window it belongs to */
GtkWidget *
burrow_question_dialog_new (GtkWindow      *parent,
                            BurrowQuestion *question)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BURROW_IS_QUESTION (question), NULL);

  return g_object_new (BURROW_TYPE_QUESTION_DIALOG,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "question", question,
                       NULL);
}

BurrowQuestion *
burrow_question_dialog_get_question (BurrowQuestionDialog *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION_DIALOG (self), NULL);

  return self->question;
}

/* The entry the answer is typed into, for tests. */
GtkEditable *
burrow_question_dialog_get_entry (BurrowQuestionDialog *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}
