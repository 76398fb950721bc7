/* burrow-question-dialog.h — a one-time code or a passphrase asked while connecting.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_QUESTION_DIALOG (burrow_question_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BurrowQuestionDialog, burrow_question_dialog, BURROW, QUESTION_DIALOG, AdwMessageDialog)

GtkWidget      *burrow_question_dialog_new          (GtkWindow            *parent,
                                                     BurrowQuestion       *question);
BurrowQuestion *burrow_question_dialog_get_question (BurrowQuestionDialog *self);
GtkEditable    *burrow_question_dialog_get_entry    (BurrowQuestionDialog *self);

G_END_DECLS
