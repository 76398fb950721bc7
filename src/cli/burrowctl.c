/* burrowctl.c — Burrow's connections and tunnels from a terminal.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit codes are a contract with scripts: 0 success, 1 the operation failed
 * (the message and its hint on stderr), 2 the command line was wrong.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "burrow-core.h"

#include "burrowctl.h"

typedef struct
{
  const char           *name;
  BurrowctlCommandFunc  func;
  const char           *summary;
} Command;

static void
print_hint (const GError *error)
{
  const char *hint = burrow_error_get_hint (error);
  g_auto(GStrv) lines = NULL;

  if (hint == NULL)
    return;

  lines = g_strsplit (hint, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_printerr ("  %s\n", lines[i]);
}

/* "burrowctl: the cause", then the hint indented below it: the part a
 * person acts on stands apart from the part that explains. */
int
burrowctl_fail (const GError *error)
{
  g_autofree char *cause = burrow_error_dup_cause (error);

  g_printerr ("burrowctl: %s\n", cause);
  print_hint (error);

  return BURROWCTL_EXIT_FAILED;
}

/* Parses @context's options and expects @n_positional arguments after the
 * command's name; returns -1 when all is well, else the exit code of the
 * usage error already reported. */
int
burrowctl_parse_args (GOptionContext   *context,
                      int              *argc,
                      char           ***argv,
                      int               n_positional)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    return burrowctl_usage (context, error);
  if (*argc != n_positional + 1)
    return burrowctl_usage (context, NULL);

  return -1;
}

int
burrowctl_usage (GOptionContext *context,
                 const GError   *error)
{
  if (error != NULL)
    g_printerr ("burrowctl: %s\n\n", error->message);

  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
    }

  return BURROWCTL_EXIT_USAGE;
}

void
burrowctl_on_async_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
burrowctl_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

void
burrowctl_print_warning (const GError *error)
{
  g_autofree char *cause = burrow_error_dup_cause (error);

  g_printerr (_("burrowctl: warning: %s\n"), cause);
  print_hint (error);
}

static void
on_store_file_problem (BurrowProfileStore *store,
                       const GError       *error,
                       gpointer            user_data)
{
  burrowctl_print_warning (error);
}

BurrowProfileStore *
burrowctl_open_store (GError **error)
{
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (NULL);

  g_signal_connect (store, "file-problem", G_CALLBACK (on_store_file_problem), NULL);
  if (!burrow_profile_store_load (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

/* By name first, the way people call them; by id for scripts. The profile
 * belongs to @store. */
BurrowProfile *
burrowctl_lookup_connection (BurrowProfileStore  *store,
                             const char          *name,
                             GError             **error)
{
  BurrowProfile *profile = burrow_profile_store_find_by_name (store, name);

  if (profile == NULL)
    profile = burrow_profile_store_lookup (store, name);

  if (profile == NULL)
    burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
                      _("Run “burrowctl list” to see the connections."),
                      _("There is no connection named “%s”"), name);

  return profile;
}

/* The connection called @name (or with that id, for scripts), with a
 * reference of its own: the store drops its own when the file monitor sees
 * the connection go, which can happen whenever a command waits on the main
 * loop. */
BurrowProfile *
burrowctl_find_connection (const char          *name,
                           BurrowProfileStore **store_out,
                           GError             **error)
{
  g_autoptr(BurrowProfileStore) store = burrowctl_open_store (error);
  BurrowProfile *profile;

  if (store == NULL)
    return NULL;

  profile = burrowctl_lookup_connection (store, name, error);
  if (profile == NULL)
    return NULL;

  if (store_out != NULL)
    *store_out = g_steal_pointer (&store);

  return g_object_ref (profile);
}

void
burrowctl_json_string (GString    *out,
                       const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  /* JSON is UTF-8, and some of what is printed comes from servers (an SSH
   * banner, a database's version): replace what is not. */
  valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)valid; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static int
command_version (int    argc,
                 char **argv)
{
  g_autofree char *text = burrow_version_libraries ();

  g_print ("%s", text);
  return BURROWCTL_EXIT_OK;
}

static const Command commands[] = {
  { "list", burrowctl_command_list, N_("List the connections") },
  { "add", burrowctl_command_add, N_("Add a connection") },
  { "edit", burrowctl_command_edit, N_("Change a connection") },
  { "remove", burrowctl_command_remove, N_("Remove a connection and its secrets") },
  { "guide", burrowctl_command_guide, N_("Show how to set up the bastion for a connection") },
  { "pubkey", burrowctl_command_pubkey, N_("Print Burrow’s public key (made on first use)") },
  { "import-ssh-config", burrowctl_command_import_ssh_config, N_("List or use the hosts of ~/.ssh/config") },
  { "export", burrowctl_command_export, N_("Write connections to a file, without secrets") },
  { "import", burrowctl_command_import, N_("Add the connections of an exported file") },
  { "trust", burrowctl_command_trust, N_("Show the bastion’s host key and record it") },
  { "test", burrowctl_command_test, N_("Test a connection step by step") },
  { "up", burrowctl_command_up, N_("Bring a tunnel up and keep it up until stopped") },
  { "version", command_version, N_("Print the versions of Burrow and its libraries") },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n",
           _("Usage: burrowctl COMMAND [OPTIONS…]"),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-20s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “burrowctl COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("burrowctl");

  if (argc < 2)
    {
      print_usage (stderr);
      return BURROWCTL_EXIT_USAGE;
    }

  name = argv[1];

  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return BURROWCTL_EXIT_OK;
    }

  if (g_str_equal (name, "--version"))
    name = "version";

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (name, commands[i].name))
        {
          g_autofree char *prgname = g_strconcat ("burrowctl ", name, NULL);

          /* So that a command's --help reads "burrowctl test [OPTION…] NAME". */
          g_set_prgname (prgname);
          return commands[i].func (argc - 1, argv + 1);
        }
    }

  g_printerr (_("burrowctl: unknown command “%s”\n"), name);
  print_usage (stderr);
  return BURROWCTL_EXIT_USAGE;
}
