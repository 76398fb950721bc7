/* burrow-error.c — errors that say what went wrong and what to do about it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "burrow-error.h"

void
burrow_set_error (GError     **error,
                  GQuark       domain,
                  int          code,
                  const char  *hint,
                  const char  *format,
                  ...)
{
  g_autofree char *cause = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  cause = g_strdup_vprintf (format, args);
  va_end (args);

  /* The cause must stay on one line for the split to work. */
  g_strdelimit (cause, "\n", ' ');

  if (hint != NULL && *hint != '\0')
    g_set_error (error, domain, code, "%s\n%s", cause, hint);
  else
    g_set_error_literal (error, domain, code, cause);
}

char *
burrow_error_dup_cause (const GError *error)
{
  const char *newline;

  g_return_val_if_fail (error != NULL, NULL);

  newline = strchr (error->message, '\n');
  if (newline == NULL)
    return g_strdup (error->message);

  return g_strndup (error->message, newline - error->message);
}

/* NULL when the error has no hint. */
const char *
burrow_error_get_hint (const GError *error)
{
  const char *newline;

  g_return_val_if_fail (error != NULL, NULL);

  newline = strchr (error->message, '\n');
  if (newline == NULL || newline[1] == '\0')
    return NULL;

  return newline + 1;
}

/* Whether @a and @b say the same: both NULL, or the same domain, code and
 * message. For properties that hold an error and notify only when what
 * they say changes. */
gboolean
burrow_error_equal (const GError *a,
                    const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->domain == b->domain && a->code == b->code && g_strcmp0 (a->message, b->message) == 0;
}
