/* test-question.c — questions asked while connecting, answered once.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-test-env.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static void
test_answer_later (void)
{
  g_autoptr(BurrowQuestion) question = burrow_question_new (BURROW_QUESTION_PROMPT,
                                                            "bastion.example.com", 22, "ana");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  Wait wait = { NULL };

  burrow_question_set_prompt (question, "", "Duo two-factor login", "Passcode or option (1-3): ", TRUE);
  burrow_question_set_connection (question, "id-1", "Sales warehouse");
  g_assert_cmpstr (burrow_question_get_prompt (question), ==, "Passcode or option (1-3): ");
  g_assert_true (burrow_question_get_echo (question));
  g_assert_cmpstr (burrow_question_get_connection_name (question), ==, "Sales warehouse");

  burrow_question_wait_async (question, NULL, on_waited, &wait);
  g_assert_false (burrow_question_is_done (question));
  burrow_question_answer (question, "123456");
  /* Only the first word counts. */
  burrow_question_cancel (question);
  g_assert_true (burrow_question_is_done (question));

  answer = burrow_question_wait_finish (question, wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "123456");
  g_object_unref (wait.result);
}

/* An answer given before the asker waits is kept for it. */
static void
test_answer_first (void)
{
  g_autoptr(BurrowQuestion) question = burrow_question_new (BURROW_QUESTION_PASSPHRASE,
                                                            "bastion.example.com", 22, "ana");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  Wait wait = { NULL };

  burrow_question_answer (question, "correct horse");
  burrow_question_wait_async (question, NULL, on_waited, &wait);
  answer = burrow_question_wait_finish (question, wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "correct horse");
  g_object_unref (wait.result);
}

static void
test_cancel (void)
{
  g_autoptr(BurrowQuestion) question = burrow_question_new (BURROW_QUESTION_PROMPT,
                                                            "bastion.example.com", 22, "ana");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  Wait wait = { NULL };

  burrow_question_wait_async (question, NULL, on_waited, &wait);
  burrow_question_cancel (question);
  burrow_question_answer (question, "too late");

  answer = burrow_question_wait_finish (question, wait_for (&wait), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer);
  g_object_unref (wait.result);
}

static void
on_withdrawn (BurrowQuestion *question,
              gpointer        user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The asker gives up (its connect was cancelled): the dialog hears it,
 * and an answer that comes after is dropped. */
static void
test_withdrawn_by_cancellable (void)
{
  g_autoptr(BurrowQuestion) question = burrow_question_new (BURROW_QUESTION_PROMPT,
                                                            "bastion.example.com", 22, "ana");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  guint withdrawn = 0;

  g_signal_connect (question, "withdrawn", G_CALLBACK (on_withdrawn), &withdrawn);
  burrow_question_wait_async (question, cancellable, on_waited, &wait);
  g_cancellable_cancel (cancellable);

  g_assert_null (burrow_question_wait_finish (question, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (withdrawn, ==, 1);
  g_assert_true (burrow_question_is_done (question));
  burrow_question_answer (question, "ignored");
  g_assert_cmpuint (withdrawn, ==, 1);
  g_object_unref (wait.result);
}

static void
test_host_key_question (void)
{
  g_autoptr(BurrowQuestion) question = NULL;
  g_autoptr(BurrowHostKey) host_key = NULL;
  ssh_key key = NULL;

  g_assert_cmpint (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &key), ==, SSH_OK);
  host_key = burrow_host_key_new ("jump.example.com", 22, key, BURROW_HOST_KEY_UNKNOWN, NULL, NULL);
  ssh_key_free (key);

  question = burrow_question_new_for_host_key (host_key);
  g_assert_cmpint (burrow_question_get_kind (question), ==, BURROW_QUESTION_HOST_KEY);
  g_assert_cmpstr (burrow_question_get_host (question), ==, "jump.example.com");
  g_assert_true (burrow_question_get_host_key (question) == host_key);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/question/answer-later", test_answer_later);
  g_test_add_func ("/burrow/question/answer-first", test_answer_first);
  g_test_add_func ("/burrow/question/cancel", test_cancel);
  g_test_add_func ("/burrow/question/withdrawn-by-cancellable", test_withdrawn_by_cancellable);
  g_test_add_func ("/burrow/question/host-key", test_host_key_question);

  return g_test_run ();
}
