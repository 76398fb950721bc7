/* burrow-shell.c — command lines an analyst can paste into a shell.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "burrow-shell.h"

/* One shell word: bare when it cannot be misread, single-quoted otherwise,
 * so that the usual command stays easy to read and an odd name stays safe. */
char *
burrow_shell_word (const char *word)
{
  static const char safe[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";

  g_return_val_if_fail (word != NULL, NULL);

  if (*word != '\0' && strspn (word, safe) == strlen (word))
    return g_strdup (word);

  return g_shell_quote (word);
}
