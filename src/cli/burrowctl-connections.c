/* burrowctl-connections.c — connections, secrets and Burrow's key from a
 * terminal: list, add, edit, remove, pubkey, guide, import-ssh-config,
 * export and import.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets never come from the command line, where ps and the shell's
 * history would show them: on a terminal burrowctl asks without echo,
 * otherwise it reads the files named by the *-file options ("-" is
 * standard input).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "burrow-core.h"

#include "burrowctl.h"

static gboolean
stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

/* @whole_text: read to the end (Ctrl+D), for a pasted key; otherwise one
 * line. */
static char *
prompt_without_echo (const char *prompt,
                     gboolean    whole_text)
{
  struct termios saved;
  struct termios quiet;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean restore;
  int c;

  /* Echo goes off before the prompt shows, so nothing typed after the
   * prompt can be echoed. */
  restore = tcgetattr (STDIN_FILENO, &saved) == 0;
  if (restore)
    {
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  g_printerr ("%s", prompt);

  while ((c = getchar ()) != EOF && (whole_text || c != '\n'))
    g_string_append_c (text, c);
  clearerr (stdin);

  if (restore)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);

  {
    char *result = g_strdup (text->str);

    memset (text->str, 0, text->len);
    return result;
  }
}

static char *
read_stream (FILE  *stream,
             gsize *length)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  size_t n;
  char *result;

  while ((n = fread (buffer, 1, sizeof buffer, stream)) > 0)
    g_string_append_len (text, buffer, n);
  memset (buffer, 0, sizeof buffer);

  *length = text->len;
  result = g_memdup2 (text->str, text->len + 1);
  memset (text->str, 0, text->len);
  return result;
}

/* @option is a path, or "-" for standard input, which on a terminal
 * becomes a prompt without echo. One line ending is dropped from a
 * password; a key is kept as it is. Never NULL on success: "" means the
 * secret is to be forgotten. */
static char *
read_secret (const char  *option,
             const char  *prompt,
             gboolean     whole_text,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *text = NULL;
  gsize length = 0;

  if (g_str_equal (option, "-"))
    {
      if (stdin_is_terminal () && whole_text)
        {
          g_autofree char *full_prompt = g_strdup_printf (_("%s (end with Ctrl+D)\n"), prompt);
          return prompt_without_echo (full_prompt, TRUE);
        }
      if (stdin_is_terminal ())
        return prompt_without_echo (prompt, FALSE);
      text = read_stream (stdin, &length);
    }
  else if (!g_file_get_contents (option, &text, &length, &local_error))
    {
      burrow_set_error (error, G_FILE_ERROR, local_error->code,
                        _("Name a file that holds only the secret, or “-” for standard input."),
                        _("Cannot read %s: %s"), option, local_error->message);
      return NULL;
    }

  /* Text ends at a NUL byte: the secret would be stored cut short. */
  if (memchr (text, '\0', length) != NULL)
    {
      explicit_bzero (text, length);
      g_free (text);
      burrow_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        _("Name a file that holds only the secret, or “-” for standard input."),
                        _("%s holds a NUL byte, which no password or key has"),
                        g_str_equal (option, "-") ? _("Standard input") : option);
      return NULL;
    }

  if (!whole_text)
    {
      gsize len = strlen (text);

      if (len > 0 && text[len - 1] == '\n')
        text[--len] = '\0';
      if (len > 0 && text[len - 1] == '\r')
        text[--len] = '\0';
    }

  return text;
}

typedef struct
{
  BurrowSecretKind  kind;
  char             *value;   /* "" to clear */
} PendingSecret;

static void
pending_secret_free (PendingSecret *pending)
{
  burrow_secret_wipe_free (pending->value);
  g_free (pending);
}

static void
add_pending (GPtrArray        *pending,
             BurrowSecretKind  kind,
             char             *value)
{
  PendingSecret *secret = g_new0 (PendingSecret, 1);

  secret->kind = kind;
  secret->value = value;
  g_ptr_array_add (pending, secret);
}

static gboolean
store_secret (BurrowProfile     *profile,
              BurrowSecretKind   kind,
              const char        *value,
              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (*value == '\0')
    {
      burrow_secret_store_clear_async (burrow_profile_get_id (profile), kind, NULL,
                                       burrowctl_on_async_done, &result);
      return burrow_secret_store_clear_finish (burrowctl_wait (&result), error);
    }

  burrow_secret_store_store_async (burrow_profile_get_id (profile), burrow_profile_get_name (profile),
                                   kind, value, NULL, burrowctl_on_async_done, &result);
  return burrow_secret_store_store_finish (burrowctl_wait (&result), error);
}

static gboolean
clear_all_secrets (BurrowProfile  *profile,
                   GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_secret_store_clear_all_async (burrow_profile_get_id (profile), NULL, burrowctl_on_async_done, &result);
  return burrow_secret_store_clear_all_finish (burrowctl_wait (&result), error);
}

static BurrowIdentity *
load_identity (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_identity_load_async (NULL, burrowctl_on_async_done, &result);
  return burrow_identity_load_finish (burrowctl_wait (&result), error);
}

/* The options add and edit share; strings so that "not given" is NULL. */
typedef struct
{
  char  *name;
  char  *db_kind;
  char  *db_host;
  char  *db_port;
  char  *db_name;
  char  *db_user;
  char  *db_password_file;
  char  *ssh_host;
  char  *ssh_port;
  char  *ssh_user;
  char  *ssh_auth;
  char  *ssh_key_file;
  char  *ssh_private_key_file;
  char  *ssh_secret_file;
  char **jump;
  char  *local_port;
  char  *keepalive;
  gboolean no_ssh;
  gboolean no_jump;
} ProfileOptions;

static void
profile_options_clear (ProfileOptions *options)
{
  g_free (options->name);
  g_free (options->db_kind);
  g_free (options->db_host);
  g_free (options->db_port);
  g_free (options->db_name);
  g_free (options->db_user);
  g_free (options->db_password_file);
  g_free (options->ssh_host);
  g_free (options->ssh_port);
  g_free (options->ssh_user);
  g_free (options->ssh_auth);
  g_free (options->ssh_key_file);
  g_free (options->ssh_private_key_file);
  g_free (options->ssh_secret_file);
  g_strfreev (options->jump);
  g_free (options->local_port);
  g_free (options->keepalive);
}

static GOptionContext *
profile_option_context (ProfileOptions *o,
                        const char     *parameter,
                        gboolean        editing)
{
  GOptionEntry entries[] = {
    { "db-kind", 0, 0, G_OPTION_ARG_STRING, &o->db_kind, N_("Database kind: postgresql, redshift, mysql, mariadb, sqlserver, oracle, mongodb, clickhouse, other"), "KIND" },
    { "db-host", 0, 0, G_OPTION_ARG_STRING, &o->db_host, N_("Database host as seen from the bastion"), "HOST" },
    { "db-port", 0, 0, G_OPTION_ARG_STRING, &o->db_port, N_("Database port (default: the kind’s usual port)"), "PORT" },
    { "db-name", 0, 0, G_OPTION_ARG_STRING, &o->db_name, N_("Database name"), "NAME" },
    { "db-user", 0, 0, G_OPTION_ARG_STRING, &o->db_user, N_("Database user"), "USER" },
    { "db-password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->db_password_file, N_("Read the database password from FILE (“-”: standard input)"), "FILE" },
    { "ssh-host", 0, 0, G_OPTION_ARG_STRING, &o->ssh_host, N_("Bastion host; turns the SSH tunnel on"), "HOST" },
    { "ssh-port", 0, 0, G_OPTION_ARG_STRING, &o->ssh_port, N_("Bastion SSH port (default 22)"), "PORT" },
    { "ssh-user", 0, 0, G_OPTION_ARG_STRING, &o->ssh_user, N_("User on the bastion"), "USER" },
    { "ssh-auth", 0, 0, G_OPTION_ARG_STRING, &o->ssh_auth, N_("How to sign in: workspace-key, key-file, private-key, agent or password"), "METHOD" },
    { "ssh-key-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ssh_key_file, N_("Private key file; Burrow remembers the path"), "FILE" },
    { "ssh-private-key-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ssh_private_key_file, N_("Private key to keep in the keyring (“-”: standard input)"), "FILE" },
    { "ssh-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ssh_secret_file, N_("Read the SSH password or key passphrase from FILE (“-”: standard input)"), "FILE" },
    { "jump", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->jump, N_("A jump host before the bastion, outermost first; repeat for more"), "USER@HOST[:PORT]" },
    { "local-port", 0, 0, G_OPTION_ARG_STRING, &o->local_port, N_("Local port, or “auto” for one Burrow chooses and keeps"), "PORT" },
    { "keepalive", 0, 0, G_OPTION_ARG_STRING, &o->keepalive, N_("Seconds between keepalives (0: off)"), "SECONDS" },
    { NULL }
  };
  GOptionEntry edit_entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name, N_("Rename the connection"), "NAME" },
    { "no-ssh", 0, 0, G_OPTION_ARG_NONE, &o->no_ssh, N_("Connect directly, without the SSH tunnel"), NULL },
    { "no-jump", 0, 0, G_OPTION_ARG_NONE, &o->no_jump, N_("Remove the jump hosts"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_summary (context,
                                editing ? _("Change a connection. Only the options given change; secrets come from the *-file options or a prompt.")
                                        : _("Add a connection. Secrets come from the *-file options (“-”: standard input) or, on a terminal, a prompt."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (editing)
    g_option_context_add_main_entries (context, edit_entries, GETTEXT_PACKAGE);

  return context;
}

static gboolean
parse_number (const char  *text,
              const char  *option,
              guint       *out,
              GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s needs a number, not “%s”"), option, text);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* Applies the options to @profile. Usage errors go to @usage_error (exit
 * 2); the profile's own checks come later. */
static gboolean
apply_options (ProfileOptions  *o,
               BurrowProfile   *profile,
               gboolean         adding,
               GError         **usage_error)
{
  guint number;

  if (o->name != NULL)
    burrow_profile_set_name (profile, o->name);

  if (o->db_kind != NULL)
    {
      BurrowDbKind kind;
      BurrowDbKind old_kind = burrow_profile_get_db_kind (profile);

      if (!burrow_db_kind_from_id (o->db_kind, &kind))
        {
          g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown database kind “%s”"), o->db_kind);
          return FALSE;
        }
      burrow_profile_set_db_kind (profile, kind);

      /* A port that was the old kind's default follows the kind. */
      if (o->db_port == NULL &&
          (adding || burrow_profile_get_db_port (profile) == burrow_db_kind_get_default_port (old_kind)))
        burrow_profile_set_db_port (profile, burrow_db_kind_get_default_port (kind));
    }
  else if (adding)
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--db-kind is required"));
      return FALSE;
    }

  if (o->db_host != NULL)
    burrow_profile_set_db_host (profile, o->db_host);
  if (o->db_port != NULL)
    {
      if (!parse_number (o->db_port, "--db-port", &number, usage_error))
        return FALSE;
      burrow_profile_set_db_port (profile, number);
    }
  if (o->db_name != NULL)
    burrow_profile_set_db_name (profile, o->db_name);
  if (o->db_user != NULL)
    burrow_profile_set_db_user (profile, o->db_user);

  if (adding)
    burrow_profile_set_tunnel_enabled (profile, o->ssh_host != NULL);
  if (o->ssh_host != NULL)
    {
      burrow_profile_set_ssh_host (profile, o->ssh_host);
      burrow_profile_set_tunnel_enabled (profile, TRUE);
    }
  if (o->no_ssh)
    burrow_profile_set_tunnel_enabled (profile, FALSE);
  if (o->ssh_port != NULL)
    {
      if (!parse_number (o->ssh_port, "--ssh-port", &number, usage_error))
        return FALSE;
      burrow_profile_set_ssh_port (profile, number);
    }
  if (o->ssh_user != NULL)
    burrow_profile_set_ssh_user (profile, o->ssh_user);

  if (o->ssh_auth != NULL)
    {
      BurrowProfileAuth auth;

      if (!burrow_profile_auth_from_id (o->ssh_auth, &auth))
        {
          g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown sign-in method “%s”: use workspace-key, key-file, private-key, agent or password"),
                       o->ssh_auth);
          return FALSE;
        }
      burrow_profile_set_ssh_auth (profile, auth);
    }
  else if (o->ssh_key_file != NULL)
    burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  else if (o->ssh_private_key_file != NULL)
    burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_PRIVATE_KEY);

  if (o->ssh_key_file != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (o->ssh_key_file, NULL);
      burrow_profile_set_ssh_key_file (profile, absolute);
    }

  if (o->no_jump)
    burrow_profile_set_jump_hosts (profile, NULL);
  if (o->jump != NULL)
    burrow_profile_set_jump_hosts (profile, (const char * const *)o->jump);

  if (o->local_port != NULL)
    {
      if (g_str_equal (o->local_port, "auto"))
        {
          if (!burrow_profile_get_local_port_auto (profile))
            burrow_profile_set_local_port (profile, 0);
          burrow_profile_set_local_port_auto (profile, TRUE);
        }
      else
        {
          if (!parse_number (o->local_port, "--local-port", &number, usage_error))
            return FALSE;
          burrow_profile_set_local_port_auto (profile, FALSE);
          burrow_profile_set_local_port (profile, number);
        }
    }

  if (o->keepalive != NULL)
    {
      if (!parse_number (o->keepalive, "--keepalive", &number, usage_error))
        return FALSE;
      burrow_profile_set_keepalive_interval (profile, number);
    }

  return TRUE;
}

static gboolean
secret_applies (BurrowSecretKind kind,
                BurrowProfileAuth    auth)
{
  switch (kind)
    {
    case BURROW_SECRET_SSH_PASSWORD:
      return auth == BURROW_PROFILE_AUTH_PASSWORD;
    case BURROW_SECRET_PRIVATE_KEY:
      return auth == BURROW_PROFILE_AUTH_PRIVATE_KEY;
    case BURROW_SECRET_KEY_PASSPHRASE:
      return auth == BURROW_PROFILE_AUTH_PRIVATE_KEY || auth == BURROW_PROFILE_AUTH_KEY_FILE;
    case BURROW_SECRET_DB_PASSWORD:
    case BURROW_SECRET_WORKSPACE_KEY:
    default:
      return TRUE;
    }
}

/* Gathers the secrets to store: from the *-file options, and on a terminal
 * by asking for what a new connection needs. */
static gboolean
gather_secrets (ProfileOptions  *o,
                BurrowProfile   *profile,
                gboolean         adding,
                gboolean         auth_changed,
                GPtrArray       *pending,
                GError         **usage_error,
                GError         **error)
{
  BurrowProfileAuth auth = burrow_profile_get_ssh_auth (profile);
  gboolean tunnel = burrow_profile_get_tunnel_enabled (profile);
  gboolean terminal = stdin_is_terminal ();
  guint from_stdin = 0;
  BurrowSecretKind ssh_kind = auth == BURROW_PROFILE_AUTH_PASSWORD ? BURROW_SECRET_SSH_PASSWORD
                                                                : BURROW_SECRET_KEY_PASSPHRASE;
  char *value;

  from_stdin += g_strcmp0 (o->db_password_file, "-") == 0;
  from_stdin += g_strcmp0 (o->ssh_private_key_file, "-") == 0;
  from_stdin += g_strcmp0 (o->ssh_secret_file, "-") == 0;
  if (from_stdin > 1 && !terminal)
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Only one secret can come from standard input; put the others in files"));
      return FALSE;
    }

  if (o->ssh_private_key_file != NULL && auth != BURROW_PROFILE_AUTH_PRIVATE_KEY)
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ssh-private-key-file goes with --ssh-auth private-key"));
      return FALSE;
    }
  if (o->ssh_secret_file != NULL && !secret_applies (ssh_kind, auth))
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ssh-secret-file goes with --ssh-auth password, private-key or key-file"));
      return FALSE;
    }

  if (o->db_password_file != NULL)
    {
      value = read_secret (o->db_password_file, _("Database password: "), FALSE, error);
      if (value == NULL)
        return FALSE;
      add_pending (pending, BURROW_SECRET_DB_PASSWORD, value);
    }
  else if (adding && terminal)
    add_pending (pending, BURROW_SECRET_DB_PASSWORD,
                 prompt_without_echo (_("Database password (empty for none): "), FALSE));

  if (o->ssh_private_key_file != NULL)
    {
      value = read_secret (o->ssh_private_key_file, _("Paste the private key"), TRUE, error);
      if (value == NULL)
        return FALSE;
      add_pending (pending, BURROW_SECRET_PRIVATE_KEY, value);
    }
  else if (tunnel && auth == BURROW_PROFILE_AUTH_PRIVATE_KEY && (adding || auth_changed))
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--ssh-auth private-key needs --ssh-private-key-file (“-”: standard input)"));
      return FALSE;
    }

  if (o->ssh_secret_file != NULL)
    {
      value = read_secret (o->ssh_secret_file,
                           ssh_kind == BURROW_SECRET_SSH_PASSWORD ? _("SSH password: ") : _("Key passphrase: "),
                           FALSE, error);
      if (value == NULL)
        return FALSE;
      add_pending (pending, ssh_kind, value);
    }
  else if (tunnel && terminal && (adding || auth_changed) &&
           (auth == BURROW_PROFILE_AUTH_PASSWORD || auth == BURROW_PROFILE_AUTH_PRIVATE_KEY || auth == BURROW_PROFILE_AUTH_KEY_FILE))
    add_pending (pending, ssh_kind,
                 prompt_without_echo (auth == BURROW_PROFILE_AUTH_PASSWORD ? _("SSH password: ")
                                                                       : _("Key passphrase (empty for none): "),
                                     FALSE));

  return TRUE;
}

/* After the sign-in method changed and the change was saved: the SSH
 * secrets the new method does not use are forgotten. Never before the
 * save, or a save that fails would leave the old method without them. */
static gboolean
forget_unused_secrets (BurrowProfile  *profile,
                       GError        **error)
{
  static const BurrowSecretKind ssh_kinds[] = {
    BURROW_SECRET_SSH_PASSWORD, BURROW_SECRET_PRIVATE_KEY, BURROW_SECRET_KEY_PASSPHRASE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ssh_kinds); i++)
    {
      if (!secret_applies (ssh_kinds[i], burrow_profile_get_ssh_auth (profile)) &&
          !store_secret (profile, ssh_kinds[i], "", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
store_pending (BurrowProfile  *profile,
               GPtrArray      *pending,
               GError        **error)
{
  for (guint i = 0; i < pending->len; i++)
    {
      PendingSecret *secret = g_ptr_array_index (pending, i);

      if (!store_secret (profile, secret->kind, secret->value, error))
        return FALSE;
    }

  return TRUE;
}

static int
add_or_edit (int      argc,
             char   **argv,
             gboolean adding)
{
  ProfileOptions options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify)pending_secret_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_name = NULL;
  BurrowProfileAuth old_auth;
  int status;

  context = profile_option_context (&options, "NAME", !adding);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = burrowctl_usage (context, error);
      goto out;
    }
  if (argc != 2)
    {
      status = burrowctl_usage (context, NULL);
      goto out;
    }

  if (adding)
    {
      store = burrowctl_open_store (&error);
      profile = burrow_profile_new ();
      burrow_profile_set_name (profile, argv[1]);
    }
  else
    {
      g_autoptr(BurrowProfile) existing = burrowctl_find_connection (argv[1], &store, &error);

      if (existing != NULL)
        profile = burrow_profile_copy (existing, FALSE);
    }

  if (store == NULL || profile == NULL)
    {
      status = burrowctl_fail (error);
      goto out;
    }
  old_auth = burrow_profile_get_ssh_auth (profile);
  old_name = g_strdup (burrow_profile_get_name (profile));

  if (!apply_options (&options, profile, adding, &error))
    {
      status = burrowctl_usage (context, error);
      goto out;
    }

  /* Checked before anything is stored, so that a refused connection leaves
   * no secret behind. */
  if (!burrow_profile_store_check (store, profile, &error))
    {
      status = burrowctl_fail (error);
      goto out;
    }

  {
    g_autoptr(GError) usage_error = NULL;

    if (!gather_secrets (&options, profile, adding, old_auth != burrow_profile_get_ssh_auth (profile),
                         pending, &usage_error, &error))
      {
        status = usage_error != NULL ? burrowctl_usage (context, usage_error) : burrowctl_fail (error);
        goto out;
      }
  }

  if (adding)
    {
      /* A new id has no secrets to lose: they go first, so that a keyring
       * that refuses leaves no connection behind that lacks them. */
      if (!store_pending (profile, pending, &error))
        {
          clear_all_secrets (profile, NULL);
          status = burrowctl_fail (error);
          goto out;
        }
      if (!burrow_profile_store_save (store, profile, &error))
        {
          clear_all_secrets (profile, NULL);
          status = burrowctl_fail (error);
          goto out;
        }
    }
  else
    {
      /* The file first: a save that fails must leave the secrets the
       * connection still uses as they were. */
      if (!burrow_profile_store_save (store, profile, &error))
        {
          status = burrowctl_fail (error);
          goto out;
        }
      if (!store_pending (profile, pending, &error) ||
          (old_auth != burrow_profile_get_ssh_auth (profile) && !forget_unused_secrets (profile, &error)))
        {
          g_prefix_error (&error, _("“%s” was saved, but the keyring was not updated: "),
                          burrow_profile_get_name (profile));
          status = burrowctl_fail (error);
          goto out;
        }
    }

  /* Only the labels change; without a keyring there is nothing to relabel
   * worth failing for. */
  if (!adding && g_strcmp0 (old_name, burrow_profile_get_name (profile)) != 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) relabel_error = NULL;

      burrow_secret_store_relabel_async (burrow_profile_get_id (profile), burrow_profile_get_name (profile),
                                         NULL, burrowctl_on_async_done, &result);
      if (!burrow_secret_store_relabel_finish (burrowctl_wait (&result), &relabel_error))
        burrowctl_print_warning (relabel_error);
    }

  if (adding && burrow_profile_get_tunnel_enabled (profile))
    g_print (_("Added “%s”, local endpoint 127.0.0.1:%u\n"),
             burrow_profile_get_name (profile), burrow_profile_get_local_port (profile));
  else if (adding)
    g_print (_("Added “%s”\n"), burrow_profile_get_name (profile));
  else
    g_print (_("Saved “%s”\n"), burrow_profile_get_name (profile));
  status = BURROWCTL_EXIT_OK;

out:
  profile_options_clear (&options);
  return status;
}

int
burrowctl_command_add (int    argc,
                       char **argv)
{
  return add_or_edit (argc, argv, TRUE);
}

int
burrowctl_command_edit (int    argc,
                        char **argv)
{
  return add_or_edit (argc, argv, FALSE);
}

static void
json_profile (GString       *out,
              BurrowProfile *profile)
{
  const char * const *hops = burrow_profile_get_jump_hosts (profile);

  g_string_append (out, "{\"id\":");
  burrowctl_json_string (out, burrow_profile_get_id (profile));
  g_string_append (out, ",\"name\":");
  burrowctl_json_string (out, burrow_profile_get_name (profile));
  g_string_append (out, ",\"db_kind\":");
  burrowctl_json_string (out, burrow_db_kind_to_id (burrow_profile_get_db_kind (profile)));
  g_string_append (out, ",\"db_host\":");
  burrowctl_json_string (out, burrow_profile_get_db_host (profile));
  g_string_append_printf (out, ",\"db_port\":%u,\"db_name\":", burrow_profile_get_db_port (profile));
  burrowctl_json_string (out, burrow_profile_get_db_name (profile));
  g_string_append (out, ",\"db_user\":");
  burrowctl_json_string (out, burrow_profile_get_db_user (profile));
  g_string_append_printf (out, ",\"ssh_tunnel\":%s,\"ssh_host\":",
                          burrow_profile_get_tunnel_enabled (profile) ? "true" : "false");
  burrowctl_json_string (out, burrow_profile_get_ssh_host (profile));
  g_string_append_printf (out, ",\"ssh_port\":%u,\"ssh_user\":", burrow_profile_get_ssh_port (profile));
  burrowctl_json_string (out, burrow_profile_get_ssh_user (profile));
  g_string_append (out, ",\"ssh_auth\":");
  burrowctl_json_string (out, burrow_profile_auth_to_id (burrow_profile_get_ssh_auth (profile)));
  g_string_append (out, ",\"ssh_key_file\":");
  burrowctl_json_string (out, burrow_profile_get_ssh_key_file (profile));
  g_string_append (out, ",\"jump_hosts\":[");
  for (guint i = 0; hops[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      burrowctl_json_string (out, hops[i]);
    }
  g_string_append_printf (out, "],\"keepalive_interval\":%u,\"local_port_auto\":%s,\"local_port\":%u}",
                          burrow_profile_get_keepalive_interval (profile),
                          burrow_profile_get_local_port_auto (profile) ? "true" : "false",
                          burrow_profile_get_local_port (profile));
}

static char *
describe_route (BurrowProfile *profile)
{
  g_autoptr(BurrowJumpHost) bastion = NULL;
  g_autofree char *text = NULL;

  if (!burrow_profile_get_tunnel_enabled (profile))
    return g_strdup (_("direct"));

  bastion = burrow_jump_host_new (burrow_profile_get_ssh_user (profile),
                                  burrow_profile_get_ssh_host (profile) != NULL ? burrow_profile_get_ssh_host (profile) : "?",
                                  burrow_profile_get_ssh_port (profile));
  text = burrow_jump_host_to_string (bastion);

  return g_strconcat (text, burrow_profile_get_jump_hosts (profile)[0] != NULL ? " (+jump)" : "", NULL);
}

int
burrowctl_command_list (int    argc,
                        char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc != 1)
    return burrowctl_usage (context, NULL);

  store = burrowctl_open_store (&error);
  if (store == NULL)
    return burrowctl_fail (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BurrowProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);

          if (i > 0)
            g_string_append_c (out, ',');
          json_profile (out, profile);
        }
      g_string_append (out, "]\n");
      g_print ("%s", out->str);
      return BURROWCTL_EXIT_OK;
    }

  if (n == 0)
    {
      g_printerr (_("No connections yet; add one with “burrowctl add”.\n"));
      return BURROWCTL_EXIT_OK;
    }

  g_print ("%-24s %-36s %-36s %s\n", _("NAME"), _("DATABASE"), _("VIA"), _("LOCAL"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BurrowProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *database = NULL;
      g_autofree char *route = describe_route (profile);
      g_autofree char *local = NULL;

      database = g_strdup_printf ("%s %s:%u", burrow_db_kind_to_id (burrow_profile_get_db_kind (profile)),
                                  burrow_profile_get_db_host (profile) != NULL ? burrow_profile_get_db_host (profile) : "?",
                                  burrow_profile_get_db_port (profile));
      if (burrow_profile_get_tunnel_enabled (profile))
        local = g_strdup_printf ("127.0.0.1:%u", burrow_profile_get_local_port (profile));
      else
        local = g_strdup ("-");
      g_print ("%-24s %-36s %-36s %s\n", burrow_profile_get_name (profile), database, route, local);
    }

  return BURROWCTL_EXIT_OK;
}

/* -1 when the arguments are right: NAME when @parameter says so, else
 * nothing; otherwise the usage exit code. */
static int
parse_name_only (int          argc,
                 char       **argv,
                 const char  *parameter)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);

  return burrowctl_parse_args (context, &argc, &argv, parameter != NULL ? 1 : 0);
}

int
burrowctl_command_remove (int    argc,
                          char **argv)
{
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, _("NAME"))) >= 0)
    return status;

  profile = burrowctl_find_connection (argv[1], &store, &error);
  if (profile == NULL)
    return burrowctl_fail (error);

  burrow_profile_store_delete_async (store, burrow_profile_get_id (profile), NULL, burrowctl_on_async_done, &result);
  if (!burrow_profile_store_delete_finish (store, burrowctl_wait (&result), &error))
    return burrowctl_fail (error);

  g_print (_("Removed “%s”\n"), burrow_profile_get_name (profile));
  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_pubkey (int    argc,
                          char **argv)
{
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, NULL)) >= 0)
    return status;

  identity = load_identity (&error);
  if (identity == NULL)
    return burrowctl_fail (error);

  g_print ("%s\n", burrow_identity_get_public_key (identity));
  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_guide (int    argc,
                         char **argv)
{
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *guide = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, _("NAME"))) >= 0)
    return status;

  profile = burrowctl_find_connection (argv[1], &store, &error);
  if (profile == NULL)
    return burrowctl_fail (error);

  identity = load_identity (&error);
  if (identity == NULL)
    return burrowctl_fail (error);

  guide = burrow_identity_dup_guide (identity, profile);
  g_print ("%s", guide);
  return BURROWCTL_EXIT_OK;
}

static void
print_ssh_config_host (const BurrowSshConfigHost *host)
{
  g_autoptr(BurrowJumpHost) target = burrow_jump_host_new (host->user, host->host_name, host->port);
  g_autofree char *text = burrow_jump_host_to_string (target);

  g_print ("%-20s %s", host->alias, text);
  if (host->identity_file != NULL)
    g_print (_("  key %s"), host->identity_file);
  if (host->jump_hosts != NULL)
    {
      g_autofree char *hops = g_strjoinv (",", host->jump_hosts);
      g_print (_("  via %s"), hops);
    }
  if (host->proxy_command != NULL)
    g_print (_("  (ProxyCommand, which Burrow does not run)"));
  g_print ("\n");
}

int
burrowctl_command_import_ssh_config (int    argc,
                                     char **argv)
{
  g_autofree char *alias = NULL;
  g_autofree char *connection = NULL;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &alias, N_("The Host entry to use"), "ALIAS" },
    { "connection", 0, 0, G_OPTION_ARG_STRING, &connection, N_("Set this connection’s tunnel from the Host entry"), "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[FILE]");
  g_autoptr(GError) error = NULL;
  g_autoptr(BurrowSshConfigHost) host = NULL;
  const char *path;

  g_option_context_set_summary (context, _("List the Host entries of FILE (default ~/.ssh/config), or set a "
                                           "connection’s tunnel from one of them."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc > 2 || (connection != NULL && alias == NULL))
    return burrowctl_usage (context, NULL);
  path = argc == 2 ? argv[1] : NULL;

  if (alias == NULL)
    {
      g_auto(GStrv) aliases = burrow_ssh_config_list_hosts (path, &error);

      if (aliases == NULL)
        return burrowctl_fail (error);

      for (guint i = 0; aliases[i] != NULL; i++)
        {
          g_autoptr(BurrowSshConfigHost) entry = burrow_ssh_config_resolve (path, aliases[i], &error);

          if (entry == NULL)
            {
              burrowctl_print_warning (error);
              g_clear_error (&error);
              continue;
            }
          print_ssh_config_host (entry);
        }
      return BURROWCTL_EXIT_OK;
    }

  host = burrow_ssh_config_resolve (path, alias, &error);
  if (host == NULL)
    return burrowctl_fail (error);

  if (connection == NULL)
    {
      print_ssh_config_host (host);
      return BURROWCTL_EXIT_OK;
    }

  {
    g_autoptr(BurrowProfileStore) store = NULL;
    g_autoptr(BurrowProfile) copy = NULL;
    g_autoptr(BurrowProfile) profile = NULL;
    BurrowProfileAuth old_auth;

    /* Applying the rest would make a tunnel that skips the proxy and
     * fails, or worse, reaches the bastion some other way. */
    if (host->proxy_command != NULL)
      {
        burrow_set_error (&error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                          _("Burrow does not run commands to reach a host. Use ProxyJump in that entry "
                            "if the proxy is an SSH host, or set the connection with “burrowctl edit”."),
                          _("“%s” reaches its host through a ProxyCommand (%s)"), alias, host->proxy_command);
        return burrowctl_fail (error);
      }

    profile = burrowctl_find_connection (connection, &store, &error);
    if (profile == NULL)
      return burrowctl_fail (error);

    old_auth = burrow_profile_get_ssh_auth (profile);
    copy = burrow_profile_copy (profile, FALSE);
    burrow_ssh_config_host_apply (host, copy);
    if (!burrow_profile_store_save (store, copy, &error))
      return burrowctl_fail (error);

    if (burrow_profile_get_ssh_auth (copy) != old_auth &&
        !forget_unused_secrets (copy, &error))
      {
        g_prefix_error (&error, _("“%s” was saved, but the keyring was not updated: "),
                        burrow_profile_get_name (copy));
        return burrowctl_fail (error);
      }

    g_print (_("“%s” now goes through %s\n"), burrow_profile_get_name (copy), host->host_name);
  }

  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_export (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE [NAME…]");
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc < 2)
    return burrowctl_usage (context, NULL);

  store = burrowctl_open_store (&error);
  if (store == NULL)
    return burrowctl_fail (error);

  for (int i = 2; i < argc; i++)
    {
      BurrowProfile *profile = burrowctl_lookup_connection (store, argv[i], &error);

      if (profile == NULL)
        return burrowctl_fail (error);
      g_ptr_array_add (ids, (char *)burrow_profile_get_id (profile));
    }
  g_ptr_array_add (ids, NULL);

  if (!burrow_profile_store_export (store, argc > 2 ? (const char * const *)ids->pdata : NULL,
                                    argv[1], &error))
    return burrowctl_fail (error);

  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_import (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc != 2)
    return burrowctl_usage (context, NULL);

  store = burrowctl_open_store (&error);
  if (store == NULL)
    return burrowctl_fail (error);

  imported = burrow_profile_store_import (store, argv[1], &error);
  if (imported == NULL)
    return burrowctl_fail (error);

  for (guint i = 0; i < imported->len; i++)
    g_print (_("Imported “%s”\n"), burrow_profile_get_name (g_ptr_array_index (imported, i)));

  return BURROWCTL_EXIT_OK;
}
