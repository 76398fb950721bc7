/* burrow-paths.c — where Burrow keeps the files a user can see.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-paths.h"

/* Everything lives under $XDG_CONFIG_HOME/burrow so that the window and
 * burrowctl share one set of files, and a test moves them all by setting one
 * variable. */
char *
burrow_paths_config_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "burrow", NULL);
}

char *
burrow_paths_connections_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "burrow", "connections.ini", NULL);
}

char *
burrow_paths_known_hosts_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "burrow", "known_hosts", NULL);
}

/* One small file per tunnel a Burrow process runs (the window, the tray,
 * burrowctl up), so that each can tell the others' ports from a stranger's.
 * The runtime dir is the user's alone and empties at logout, as these
 * records must. */
char *
burrow_paths_running_dir (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "burrow", "running", NULL);
}
