/* burrow-fuzz.h — what every fuzz target shares: a private home and temp
 * folder, and input turned into the text or files outside input arrives as.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>

#include "burrow-profile-store.h"

G_BEGIN_DECLS

/* libFuzzer's entry point, which each target defines. */
int   LLVMFuzzerTestOneInput  (const uint8_t *data,
                               size_t         size);

void  burrow_fuzz_init        (void);
char *burrow_fuzz_fresh_dir   (void);
char *burrow_fuzz_write_file  (const char    *dir,
                               const char    *name,
                               const uint8_t *data,
                               size_t         size);
char *burrow_fuzz_take_string (const uint8_t **data,
                               size_t         *size);
void  burrow_fuzz_flush_events (void);

void  burrow_fuzz_assert_same_profile (BurrowProfile      *a,
                                       BurrowProfile      *b);
void  burrow_fuzz_assert_same_store   (BurrowProfileStore *a,
                                       BurrowProfileStore *b);

G_END_DECLS
