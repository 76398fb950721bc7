/* burrow-question.h — something only a person can answer, asked while
 * connecting.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bastion may ask for more than the stored password (a one-time code
 * from a Duo or TOTP module, a PIN), a key file may need a passphrase that
 * is not stored, and a host key may be new. The part of the engine that
 * meets such a question makes a BurrowQuestion and hands it to a
 * BurrowAskFunc; whoever shows it (a dialog in the window, a prompt on
 * burrowctl's terminal) calls answer() or cancel() exactly once, now or
 * later. The asker waits with wait_async(). When the asker stops caring
 * (the connect was cancelled or timed out) the question is withdrawn: its
 * "withdrawn" signal tells the dialog to close. Answers are wiped from
 * memory as soon as the asker took them, and never stored.
 */

#pragma once

#include <gio/gio.h>

#include "burrow-host-key.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_QUESTION_PROMPT,      /* a keyboard-interactive prompt: a one-time code, a PIN, … */
  BURROW_QUESTION_PASSPHRASE,  /* a private key's passphrase that is not stored */
  BURROW_QUESTION_HOST_KEY,    /* record this unknown host key? any answer means yes */
} BurrowQuestionKind;

#define BURROW_TYPE_QUESTION_KIND (burrow_question_kind_get_type ())
#define BURROW_TYPE_QUESTION (burrow_question_get_type ())

GType burrow_question_kind_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowQuestion, burrow_question, BURROW, QUESTION, GObject)

/* Called with each question; must see to it that answer() or cancel() is
 * called once, now or later. */
typedef void (*BurrowAskFunc) (BurrowQuestion *question,
                               gpointer        user_data);

BurrowQuestion     *burrow_question_new                 (BurrowQuestionKind   kind,
                                                         const char          *host,
                                                         guint16              port,
                                                         const char          *user);
BurrowQuestion     *burrow_question_new_for_host_key    (BurrowHostKey       *host_key);
void                burrow_question_set_prompt          (BurrowQuestion      *self,
                                                         const char          *title,
                                                         const char          *instruction,
                                                         const char          *prompt,
                                                         gboolean             echo);
void                burrow_question_set_connection      (BurrowQuestion      *self,
                                                         const char          *id,
                                                         const char          *name);

BurrowQuestionKind  burrow_question_get_kind            (BurrowQuestion      *self);
const char         *burrow_question_get_host            (BurrowQuestion      *self);
guint16             burrow_question_get_port            (BurrowQuestion      *self);
const char         *burrow_question_get_user            (BurrowQuestion      *self);
const char         *burrow_question_get_title           (BurrowQuestion      *self);
const char         *burrow_question_get_instruction     (BurrowQuestion      *self);
const char         *burrow_question_get_prompt          (BurrowQuestion      *self);
gboolean            burrow_question_get_echo            (BurrowQuestion      *self);
BurrowHostKey      *burrow_question_get_host_key        (BurrowQuestion      *self);
const char         *burrow_question_get_connection_id   (BurrowQuestion      *self);
const char         *burrow_question_get_connection_name (BurrowQuestion      *self);
gboolean            burrow_question_is_done             (BurrowQuestion      *self);

/* For whoever shows it. */
void                burrow_question_answer              (BurrowQuestion      *self,
                                                         const char          *answer);
void                burrow_question_cancel              (BurrowQuestion      *self);

/* For the asker. */
void                burrow_question_wait_async          (BurrowQuestion      *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char               *burrow_question_wait_finish         (BurrowQuestion      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                burrow_question_withdraw            (BurrowQuestion      *self);

G_END_DECLS
