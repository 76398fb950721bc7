/* burrow-source.h — main-loop sources on a given context, by id.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * g_timeout_add() and friends attach to the global default context, and
 * g_source_remove() only looks there; an object that lives on the
 * thread-default context of the thread that made it needs these instead.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Takes @source, returns its id in @context. */
static inline guint
burrow_source_attach (GMainContext *context,
                      GSource      *source,
                      GSourceFunc   func,
                      gpointer      user_data)
{
  guint id;

  g_source_set_callback (source, func, user_data, NULL);
  id = g_source_attach (source, context);
  g_source_unref (source);

  return id;
}

/* Destroys the source @id names in @context, if any, and zeroes @id. */
static inline void
burrow_source_clear (GMainContext *context,
                     guint        *id)
{
  if (*id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (context, *id);

      if (source != NULL)
        g_source_destroy (source);
      *id = 0;
    }
}

G_END_DECLS
