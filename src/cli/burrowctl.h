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

/* Shared by the commands (burrowctl.c). Each command makes one engine;
 * the engine is asynchronous, and a command runs the main loop until the
 * result it waits for is in. */
void           burrowctl_on_async_done (GObject       *source,
                                        GAsyncResult  *result,
                                        gpointer       user_data);
GAsyncResult  *burrowctl_wait          (GAsyncResult **slot);
void           burrowctl_print_warning (const GError  *error);
BurrowEngine  *burrowctl_open_engine   (GError       **error);
BurrowConnection *burrowctl_find_connection (BurrowEngine  *engine,
                                             const char    *name,
                                             GError       **error);
void           burrowctl_json_string   (GString       *out,
                                        const char    *value);
gboolean       burrowctl_stdin_is_terminal (void);
char          *burrowctl_prompt_secret (const char    *prompt,
                                        gboolean       echo,
                                        gboolean       whole_text,
                                        GError       **error);
char          *burrowctl_read_secret   (const char    *option,
                                        const char    *prompt,
                                        gboolean       whole_text,
                                        GError       **error);
void           burrowctl_answer_on_terminal (BurrowEngine *engine);

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
int burrowctl_command_strings           (int argc, char **argv);

/* burrowctl-tunnel.c */
int burrowctl_command_test              (int argc, char **argv);
int burrowctl_command_trust             (int argc, char **argv);
int burrowctl_command_up                (int argc, char **argv);

int burrowctl_usage (GOptionContext *context,
                     const GError   *error);

G_END_DECLS
