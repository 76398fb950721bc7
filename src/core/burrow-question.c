/* burrow-question.c — something only a person can answer, asked while
 * connecting.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-question.h"
#include "burrow-secret-store.h"

typedef enum
{
  PENDING,
  ANSWERED,
  CANCELLED,
  WITHDRAWN,
} State;

struct _BurrowQuestion
{
  GObject             parent_instance;

  BurrowQuestionKind  kind;
  char               *host;
  guint16             port;
  char               *user;
  char               *title;
  char               *instruction;
  char               *prompt;
  gboolean            echo;
  BurrowHostKey      *host_key;
  char               *connection_id;
  char               *connection_name;

  State               state;
  char               *answer;   /* wiped when taken */
  GTask              *waiter;
  gulong              cancel_handler;
};

G_DEFINE_ENUM_TYPE (BurrowQuestionKind, burrow_question_kind,
                    G_DEFINE_ENUM_VALUE (BURROW_QUESTION_PROMPT, "prompt"),
                    G_DEFINE_ENUM_VALUE (BURROW_QUESTION_PASSPHRASE, "passphrase"),
                    G_DEFINE_ENUM_VALUE (BURROW_QUESTION_HOST_KEY, "host-key"))

G_DEFINE_FINAL_TYPE (BurrowQuestion, burrow_question, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WITHDRAWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Hands the outcome to the waiter, if one waits; otherwise it stays until
 * wait_async() comes. */
static void
settle (BurrowQuestion *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->waiter);
  GCancellable *cancellable;

  if (task == NULL)
    return;

  cancellable = g_task_get_cancellable (task);
  if (cancellable != NULL && self->cancel_handler != 0)
    g_cancellable_disconnect (cancellable, self->cancel_handler);
  self->cancel_handler = 0;

  if (self->state == ANSWERED)
    g_task_return_pointer (task, g_steal_pointer (&self->answer),
                           (GDestroyNotify)burrow_secret_wipe_free);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The question was not answered"));
}

static void
finish (BurrowQuestion *self,
        State           state)
{
  g_object_ref (self);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  if (state == WITHDRAWN)
    g_signal_emit (self, signals[SIGNAL_WITHDRAWN], 0);
  settle (self);
  g_object_unref (self);
}

static gboolean
on_wait_cancelled_idle (gpointer user_data)
{
  BurrowQuestion *self = user_data;

  burrow_question_withdraw (self);

  return G_SOURCE_REMOVE;
}

static void
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  BurrowQuestion *self = user_data;
  GSource *source;

  /* Not from inside the cancellable's own handler: settle() disconnects
   * it, which would deadlock here. */
  source = g_idle_source_new ();
  g_source_set_callback (source, on_wait_cancelled_idle, g_object_ref (self), g_object_unref);
  g_source_attach (source, self->waiter != NULL ? g_task_get_context (self->waiter) : NULL);
  g_source_unref (source);
}

static void
burrow_question_dispose (GObject *object)
{
  BurrowQuestion *self = (BurrowQuestion *)object;

  /* A waiter holds a reference, so none can be left here. */
  g_assert (self->waiter == NULL);
  g_clear_object (&self->host_key);

  G_OBJECT_CLASS (burrow_question_parent_class)->dispose (object);
}

static void
burrow_question_finalize (GObject *object)
{
  BurrowQuestion *self = (BurrowQuestion *)object;

  g_free (self->host);
  g_free (self->user);
  g_free (self->title);
  g_free (self->instruction);
  g_free (self->prompt);
  g_free (self->connection_id);
  g_free (self->connection_name);
  g_clear_pointer (&self->answer, burrow_secret_wipe_free);

  G_OBJECT_CLASS (burrow_question_parent_class)->finalize (object);
}

static void
burrow_question_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BurrowQuestion *self = BURROW_QUESTION (object);

  switch (prop_id)
    {
    case PROP_DONE:
      g_value_set_boolean (value, burrow_question_is_done (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_question_class_init (BurrowQuestionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_question_dispose;
  object_class->finalize = burrow_question_finalize;
  object_class->get_property = burrow_question_get_property;

  /* TRUE once answered, cancelled or withdrawn. */
  properties[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The asker no longer needs an answer: close whatever shows it. */
  signals[SIGNAL_WITHDRAWN] =
    g_signal_new ("withdrawn",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
burrow_question_init (BurrowQuestion *self)
{
}

BurrowQuestion *
burrow_question_new (BurrowQuestionKind  kind,
                     const char         *host,
                     guint16             port,
                     const char         *user)
{
  BurrowQuestion *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (BURROW_TYPE_QUESTION, NULL);
  self->kind = kind;
  self->host = g_strdup (host);
  self->port = port;
  self->user = g_strdup (user);

  return self;
}

/* Record @host_key? Any answer means yes, cancel() means no. */
BurrowQuestion *
burrow_question_new_for_host_key (BurrowHostKey *host_key)
{
  BurrowQuestion *self;

  g_return_val_if_fail (BURROW_IS_HOST_KEY (host_key), NULL);

  self = burrow_question_new (BURROW_QUESTION_HOST_KEY,
                              burrow_host_key_get_host (host_key),
                              burrow_host_key_get_port (host_key),
                              NULL);
  self->host_key = g_object_ref (host_key);

  return self;
}

/**
 * burrow_question_set_prompt:
 * @title: (nullable): what the server calls this exchange (the
 *   keyboard-interactive "name"), often empty
 * @instruction: (nullable): the server's instruction text
 * @prompt: the question itself, as the server wrote it ("Verification code: ")
 * @echo: whether the answer may be shown while typed
 */
void
burrow_question_set_prompt (BurrowQuestion *self,
                            const char     *title,
                            const char     *instruction,
                            const char     *prompt,
                            gboolean        echo)
{
  g_return_if_fail (BURROW_IS_QUESTION (self));

  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->instruction);
  self->instruction = g_strdup (instruction);
  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
  self->echo = echo;
}

/* Which connection asks, so that a dialog can name it. */
void
burrow_question_set_connection (BurrowQuestion *self,
                                const char     *id,
                                const char     *name)
{
  g_return_if_fail (BURROW_IS_QUESTION (self));

  g_free (self->connection_id);
  self->connection_id = g_strdup (id);
  g_free (self->connection_name);
  self->connection_name = g_strdup (name);
}

BurrowQuestionKind
burrow_question_get_kind (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), BURROW_QUESTION_PROMPT);

  return self->kind;
}

const char *
burrow_question_get_host (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->host;
}

guint16
burrow_question_get_port (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), 0);

  return self->port;
}

const char *
burrow_question_get_user (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->user;
}

const char *
burrow_question_get_title (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->title;
}

const char *
burrow_question_get_instruction (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->instruction;
}

const char *
burrow_question_get_prompt (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->prompt;
}

gboolean
burrow_question_get_echo (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), FALSE);

  return self->echo;
}

/* The key to decide on, for BURROW_QUESTION_HOST_KEY; %NULL otherwise. */
BurrowHostKey *
burrow_question_get_host_key (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->host_key;
}

const char *
burrow_question_get_connection_id (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->connection_id;
}

const char *
burrow_question_get_connection_name (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);

  return self->connection_name;
}

gboolean
burrow_question_is_done (BurrowQuestion *self)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), TRUE);

  return self->state != PENDING;
}

/* The answer is copied and wiped once the asker took it. Only the first
 * answer() or cancel() counts. */
void
burrow_question_answer (BurrowQuestion *self,
                        const char     *answer)
{
  g_return_if_fail (BURROW_IS_QUESTION (self));
  g_return_if_fail (answer != NULL);

  if (self->state != PENDING)
    return;

  self->answer = g_strdup (answer);
  finish (self, ANSWERED);
}

void
burrow_question_cancel (BurrowQuestion *self)
{
  g_return_if_fail (BURROW_IS_QUESTION (self));

  if (self->state != PENDING)
    return;

  finish (self, CANCELLED);
}

/**
 * burrow_question_wait_async:
 *
 * Waits for answer() or cancel(). Cancelling @cancellable withdraws the
 * question. One wait per question.
 */
void
burrow_question_wait_async (BurrowQuestion      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_QUESTION (self));
  g_return_if_fail (self->waiter == NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_question_wait_async);
  self->waiter = g_steal_pointer (&task);

  if (self->state != PENDING)
    {
      settle (self);
      return;
    }

  if (cancellable != NULL)
    self->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_wait_cancelled),
                                                  self, NULL);
}

/* Returns: (transfer full): the answer; free it with
 * burrow_secret_wipe_free(). G_IO_ERROR_CANCELLED when there was none. */
char *
burrow_question_wait_finish (BurrowQuestion  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (BURROW_IS_QUESTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The asker no longer needs an answer. */
void
burrow_question_withdraw (BurrowQuestion *self)
{
  g_return_if_fail (BURROW_IS_QUESTION (self));

  if (self->state != PENDING)
    return;

  finish (self, WITHDRAWN);
}
