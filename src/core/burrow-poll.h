/* burrow-poll.h — a main-loop poll that stays awake briefly for a reply.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the poll did on the calling thread, for tests and the benchmark. */
typedef struct
{
  /* Times the loop waited (a poll with a timeout other than zero). */
  guint64 waits;
  /* Of those, the ones that began awake, after small traffic. */
  guint64 awake;
  /* Of those, the ones that something ended before the loop slept. */
  guint64 answered_awake;
} BurrowPollStats;

void burrow_poll_install       (GMainContext    *context);
void burrow_poll_note_traffic  (gsize            bytes,
                                gboolean         turn);
void burrow_poll_get_stats     (BurrowPollStats *stats);

G_END_DECLS
