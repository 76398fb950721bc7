/* burrowctl.h — what the commands of burrowctl share.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "burrow-core.h"

G_BEGIN_DECLS

/* The exit codes scripts rely on. */
enum {
  BURROWCTL_EXIT_OK = 0,
  BURROWCTL_EXIT_FAILED = 1,
  BURROWCTL_EXIT_USAGE = 2,
};

/* Each command is a function of its own arguments (argv[0] is its name),
 * listed in the table in burrowctl.c, and returns one of the exit codes. */
typedef int (*BurrowctlCommandFunc) (int argc, char **argv);

int burrowctl_fail  (const GError *error);
int burrowctl_parse_args (GOptionContext   *context,
                          int              *argc,
                          char           ***argv,
                          int               n_positional);

/* Shared by the commands (burrowctl.c). The engine is asynchronous; a
 * command runs the main loop until the result it waits for is in. */
void           burrowctl_on_async_done (GObject       *source,
                                        GAsyncResult  *result,
                                        gpointer       user_data);
GAsyncResult  *burrowctl_wait          (GAsyncResult **slot);
void           burrowctl_print_warning (const GError  *error);
BurrowProfileStore *burrowctl_open_store (GError **error);
BurrowProfile *burrowctl_lookup_connection (BurrowProfileStore  *store,
                                            const char          *name,
                                            GError             **error);
BurrowProfile *burrowctl_find_connection (const char          *name,
                                          BurrowProfileStore **store,
                                          GError             **error);
void           burrowctl_json_string   (GString       *out,
                                        const char    *value);

/* burrowctl-connections.c */
int burrowctl_command_list              (int argc, char **argv);
int burrowctl_command_add               (int argc, char **argv);
int burrowctl_command_edit              (int argc, char **argv);
int burrowctl_command_remove            (int argc, char **argv);
int burrowctl_command_pubkey            (int argc, char **argv);
int burrowctl_command_guide             (int argc, char **argv);
int burrowctl_command_import_ssh_config (int argc, char **argv);
int burrowctl_command_export            (int argc, char **argv);
int burrowctl_command_import            (int argc, char **argv);

/* burrowctl-tunnel.c */
int burrowctl_command_test              (int argc, char **argv);
int burrowctl_command_trust             (int argc, char **argv);
int burrowctl_command_up                (int argc, char **argv);

int burrowctl_usage (GOptionContext *context,
                     const GError   *error);

G_END_DECLS
