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
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

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
on_engine_file_problem (BurrowEngine *engine,
                        const GError *error,
                        gpointer      user_data)
{
  burrowctl_print_warning (error);
}

/* The one engine of a command, with connections.ini read. */
BurrowEngine *
burrowctl_open_engine (GError **error)
{
  g_autoptr(BurrowEngine) engine = burrow_engine_new ();

  g_signal_connect (engine, "file-problem", G_CALLBACK (on_engine_file_problem), NULL);
  if (!burrow_engine_load (engine, error))
    return NULL;

  return g_steal_pointer (&engine);
}

/* By name, the way people call them, or by id, for scripts; with a
 * reference of its own. */
BurrowConnection *
burrowctl_find_connection (BurrowEngine  *engine,
                           const char    *name,
                           GError       **error)
{
  BurrowConnection *connection = burrow_engine_find_by_name (engine, name, error);

  return connection != NULL ? g_object_ref (connection) : NULL;
}

gboolean
burrowctl_stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

/* Echo goes off before the prompt shows, so that nothing typed after it
 * is echoed; the new line still is (ECHONL). */
static gboolean
terminal_quiet (struct termios *saved)
{
  struct termios quiet;

  if (tcgetattr (STDIN_FILENO, saved) != 0)
    return FALSE;

  quiet = *saved;
  quiet.c_lflag &= ~ECHO;
  quiet.c_lflag |= ECHONL;
  tcsetattr (STDIN_FILENO, TCSANOW, &quiet);

  return TRUE;
}

/**
 * burrowctl_prompt_secret:
 * @whole_text: read to the end (Ctrl+D), for a pasted key; otherwise one
 *   line
 *
 * Asks on the terminal, without echo unless @echo, and reads the answer
 * the way every secret is read (burrow_secret_read_fd()).
 */
char *
burrowctl_prompt_secret (const char  *prompt,
                         gboolean     echo,
                         gboolean     whole_text,
                         GError     **error)
{
  struct termios saved;
  gboolean restore = FALSE;
  char *secret;

  if (!echo)
    restore = terminal_quiet (&saved);

  g_printerr ("%s", prompt);
  secret = burrow_secret_read_fd (STDIN_FILENO, !whole_text, error);

  if (restore)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);

  return secret;
}

/* @option is a path, or "-" for standard input, which on a terminal
 * becomes a prompt without echo. One line ending is dropped from a
 * password; a key is kept as it is. Never NULL on success: "" means the
 * secret is to be forgotten. */
char *
burrowctl_read_secret (const char  *option,
                       const char  *prompt,
                       gboolean     whole_text,
                       GError     **error)
{
  char *text;
  gsize len;

  if (g_str_equal (option, "-") && burrowctl_stdin_is_terminal ())
    {
      g_autofree char *full_prompt = whole_text ? g_strdup_printf (_("%s (end with Ctrl+D)\n"), prompt)
                                                : g_strdup (prompt);

      return burrowctl_prompt_secret (full_prompt, FALSE, whole_text, error);
    }

  text = g_str_equal (option, "-") ? burrow_secret_read_fd (STDIN_FILENO, FALSE, error)
                                   : burrow_secret_read_file (option, error);
  if (text == NULL || whole_text)
    return text;

  len = strlen (text);
  if (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  if (len > 0 && text[len - 1] == '\r')
    text[--len] = '\0';

  return text;
}

/* A question from the engine answered on the terminal, while the loop
 * keeps the sessions going: the line is read once the terminal has one. */
typedef struct
{
  BurrowQuestion *question;
  guint           source;
  gulong          withdrawn_handler;
  struct termios  saved;
  gboolean        restore;
} TerminalQuestion;

static void
terminal_question_end (TerminalQuestion *asked)
{
  if (asked->restore)
    tcsetattr (STDIN_FILENO, TCSANOW, &asked->saved);
  g_clear_handle_id (&asked->source, g_source_remove);
  g_clear_signal_handler (&asked->withdrawn_handler, asked->question);
  g_clear_object (&asked->question);
  g_free (asked);
}

static gboolean
on_terminal_answer (int           fd,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  TerminalQuestion *asked = user_data;
  g_autoptr(GError) error = NULL;
  BurrowQuestion *question = g_object_ref (asked->question);
  char *answer;

  asked->source = 0;
  answer = burrow_secret_read_fd (fd, TRUE, &error);
  terminal_question_end (asked);

  if (answer != NULL)
    burrow_question_answer (question, answer);
  else
    burrow_question_cancel (question);
  burrow_secret_wipe_free (answer);
  g_object_unref (question);

  return G_SOURCE_REMOVE;
}

static void
on_terminal_question_withdrawn (BurrowQuestion *question,
                                gpointer        user_data)
{
  g_printerr ("\n");
  terminal_question_end (user_data);
}

static gboolean
on_engine_ask (BurrowEngine   *engine,
               BurrowQuestion *question,
               gpointer        user_data)
{
  TerminalQuestion *asked;
  const char *text;

  /* Host keys are for `burrowctl trust` to ask about; without a terminal
   * nobody can answer, and the sign-in fails with the engine's error. */
  if (burrow_question_get_kind (question) == BURROW_QUESTION_HOST_KEY || !burrowctl_stdin_is_terminal ())
    return FALSE;

  if (burrow_question_get_title (question) != NULL && *burrow_question_get_title (question) != '\0')
    g_printerr ("%s\n", burrow_question_get_title (question));
  if (burrow_question_get_instruction (question) != NULL && *burrow_question_get_instruction (question) != '\0')
    g_printerr ("%s\n", burrow_question_get_instruction (question));

  asked = g_new0 (TerminalQuestion, 1);
  asked->question = g_object_ref (question);
  if (!burrow_question_get_echo (question))
    asked->restore = terminal_quiet (&asked->saved);

  text = burrow_question_get_prompt (question);
  if (text != NULL && *text != '\0')
    g_printerr ("%s", text);
  else if (burrow_question_get_kind (question) == BURROW_QUESTION_PASSPHRASE)
    g_printerr (_("Passphrase of the key for %s: "), burrow_question_get_host (question));
  else
    g_printerr (_("Answer for %s: "), burrow_question_get_host (question));

  asked->withdrawn_handler = g_signal_connect (question, "withdrawn",
                                               G_CALLBACK (on_terminal_question_withdrawn), asked);
  asked->source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_terminal_answer, asked);

  return TRUE;
}

/* Questions a sign-in meets (a one-time code, a passphrase that is not
 * stored) are asked on the terminal; answers are never stored. */
void
burrowctl_answer_on_terminal (BurrowEngine *engine)
{
  g_signal_connect (engine, "ask", G_CALLBACK (on_engine_ask), NULL);
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
  { "strings", burrowctl_command_strings, N_("Print the ready connection strings of a connection") },
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
