/* test-question-dialog.c — a one-time code or a passphrase asked while
 * connecting: shown as the server asked, answered once, never kept.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-question-dialog.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"

typedef struct
{
  gboolean  done;
  char     *answer;
  GError   *error;
} Wait;

static void
on_answered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->answer = burrow_question_wait_finish (BURROW_QUESTION (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Wait *)data)->done;
}

static BurrowQuestion *
one_time_code (gboolean echo)
{
  BurrowQuestion *question = burrow_question_new (BURROW_QUESTION_PROMPT, "bastion.example.com", 22, "ana");

  burrow_question_set_prompt (question, "Duo two-factor login", "Enter the code from your authenticator app.",
                              "Verification code: ", echo);
  burrow_question_set_connection (question, "9eee0801", "Sales warehouse");

  return question;
}

static void
click (GtkWidget  *dialog,
       const char *label)
{
  GtkWidget *button = burrow_test_find_widget (dialog, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
test_answer (void)
{
  g_autoptr(BurrowQuestion) question = one_time_code (FALSE);
  GtkWidget *dialog;
  g_autoptr(GtkEditable) entry = NULL;
  Wait wait = { FALSE, NULL, NULL };

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_question_wait_async (question, NULL, on_answered, &wait);
  dialog = burrow_question_dialog_new (NULL, question);
  gtk_window_present (GTK_WINDOW (dialog));
  burrow_test_wait_until_drawn (dialog);

  /* The server's words, and an entry that hides what is typed. */
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Duo two-factor login");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "Enter the code from your authenticator app."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "“Sales warehouse”"));
  entry = g_object_ref (burrow_question_dialog_get_entry (BURROW_QUESTION_DIALOG (dialog)));
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  gtk_test_accessible_assert_property (entry, GTK_ACCESSIBLE_PROPERTY_LABEL, "Verification code: ");

  gtk_editable_set_text (entry, "492817");
  burrow_test_screenshot_styles (dialog, "question-code");
  click (dialog, "_Continue");
  g_assert_true (burrow_test_wait_until (is_done, &wait, 2000));
  g_assert_no_error (wait.error);
  g_assert_cmpstr (wait.answer, ==, "492817");
  /* Nothing of it stays in the dialog. */
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");

  g_free (wait.answer);
}

static void
test_echo (void)
{
  g_autoptr(BurrowQuestion) question = one_time_code (TRUE);
  GtkWidget *dialog;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  dialog = burrow_question_dialog_new (NULL, question);
  g_assert_true (gtk_entry_get_visibility (GTK_ENTRY (burrow_question_dialog_get_entry (BURROW_QUESTION_DIALOG (dialog)))));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Closed without an answer: the connect does not wait for one. */
  g_assert_true (burrow_question_is_done (question));
}

static void
test_cancel (void)
{
  g_autoptr(BurrowQuestion) question = burrow_question_new (BURROW_QUESTION_PASSPHRASE, "bastion.example.com", 22, "ana");
  GtkWidget *dialog;
  Wait wait = { FALSE, NULL, NULL };

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  burrow_question_set_connection (question, "9eee0801", "Sales warehouse");
  burrow_question_wait_async (question, NULL, on_answered, &wait);
  dialog = burrow_question_dialog_new (NULL, question);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Unlock the Key");

  click (dialog, "_Cancel");
  g_assert_true (burrow_test_wait_until (is_done, &wait, 2000));
  g_assert_null (wait.answer);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&wait.error);
}

static gboolean
is_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* The connect ended meanwhile: the dialog closes by itself. */
static void
test_withdrawn (void)
{
  g_autoptr(BurrowQuestion) question = one_time_code (FALSE);
  g_autoptr(GtkWidget) dialog = NULL;

  if (!burrow_test_have_display ())
    {
      g_test_skip ("No display");
      return;
    }

  dialog = g_object_ref (burrow_question_dialog_new (NULL, question));
  gtk_window_present (GTK_WINDOW (dialog));
  burrow_test_wait_until_drawn (dialog);

  burrow_question_withdraw (question);
  g_assert_true (burrow_test_wait_until (is_hidden, dialog, 2000));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/question-dialog/answer", test_answer);
  g_test_add_func ("/burrow/question-dialog/echo", test_echo);
  g_test_add_func ("/burrow/question-dialog/cancel", test_cancel);
  g_test_add_func ("/burrow/question-dialog/withdrawn", test_withdrawn);

  return g_test_run ();
}
