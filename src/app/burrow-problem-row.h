/* burrow-problem-row.h — what is wrong with the field above it, and why.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BURROW_TYPE_PROBLEM_ROW (burrow_problem_row_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProblemRow, burrow_problem_row, BURROW, PROBLEM_ROW, AdwPreferencesRow)

BurrowProblemRow *burrow_problem_row_new       (GtkWidget        *field,
                                                int               code);
GtkWidget        *burrow_problem_row_get_field (BurrowProblemRow *self);
void              burrow_problem_row_add_code  (BurrowProblemRow *self,
                                                int               code);
void              burrow_problem_row_set_error (BurrowProblemRow *self,
                                                const GError     *error);
const char       *burrow_problem_row_get_text  (BurrowProblemRow *self);
void              burrow_problem_row_set_armed (BurrowProblemRow *self,
                                                gboolean          armed);
gboolean          burrow_problem_row_get_armed (BurrowProblemRow *self);

/* For a form's rows at once: each takes the first error of its codes. */
void              burrow_problem_rows_pick      (GPtrArray        *rows,
                                                 GPtrArray        *errors);
void              burrow_problem_rows_set_armed (GPtrArray        *rows,
                                                 gboolean          armed);

G_END_DECLS
