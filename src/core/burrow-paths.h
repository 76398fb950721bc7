/* burrow-paths.h — where Burrow keeps the files a user can see.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *burrow_paths_config_dir      (void);
char *burrow_paths_connections_file (void);
char *burrow_paths_known_hosts_file (void);
char *burrow_paths_running_dir      (void);

G_END_DECLS
