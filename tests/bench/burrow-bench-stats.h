/* burrow-bench-stats.h — the one way every benchmark sorts and reads its
 * samples, so that a p50 or p99 means the same in every row of the table.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

static inline int
burrow_bench_compare_doubles (const void *a,
                              const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* The sample at @fraction (0.5 for the median, 0.99 for p99) of @samples,
 * which this sorts. */
static inline double
burrow_bench_percentile (GArray *samples,
                         double  fraction)
{
  g_assert (samples->len > 0);

  g_array_sort (samples, burrow_bench_compare_doubles);
  return g_array_index (samples, double, (guint)(fraction * (samples->len - 1) + 0.5));
}
