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
#include <string.h>

#include "burrow-core.h"

#include "burrowctl.h"

static BurrowIdentity *
load_identity (BurrowEngine  *engine,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_engine_load_identity_async (engine, NULL, burrowctl_on_async_done, &result);
  return burrow_engine_load_identity_finish (engine, burrowctl_wait (&result), error);
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
  gboolean connect_at_start;
  gboolean no_connect_at_start;
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
    { "connect-at-start", 0, 0, G_OPTION_ARG_NONE, &o->connect_at_start, N_("Bring the tunnel up when Burrow starts"), NULL },
    { "no-connect-at-start", 0, 0, G_OPTION_ARG_NONE, &o->no_connect_at_start, N_("Leave the tunnel down when Burrow starts"), NULL },
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

  if (o->connect_at_start && o->no_connect_at_start)
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--connect-at-start and --no-connect-at-start contradict each other"));
      return FALSE;
    }
  if (o->connect_at_start || o->no_connect_at_start)
    burrow_profile_set_connect_at_start (profile, o->connect_at_start);

  return TRUE;
}

/* Gathers the secrets to store into @credentials: from the *-file
 * options, and on a terminal by asking for what a new connection (or a
 * new sign-in method) needs. */
static gboolean
gather_secrets (ProfileOptions     *o,
                BurrowCredentials  *credentials,
                gboolean            adding,
                gboolean            auth_changed,
                GError            **usage_error,
                GError            **error)
{
  BurrowProfile *profile = burrow_credentials_get_profile (credentials);
  BurrowProfileAuth auth = burrow_profile_get_ssh_auth (profile);
  gboolean tunnel = burrow_profile_get_tunnel_enabled (profile);
  gboolean terminal = burrowctl_stdin_is_terminal ();
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
  if (o->ssh_secret_file != NULL && !burrow_credentials_secret_applies (profile, ssh_kind))
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--ssh-secret-file goes with --ssh-auth password, private-key or key-file"));
      return FALSE;
    }
  if (o->ssh_private_key_file == NULL && tunnel && auth == BURROW_PROFILE_AUTH_PRIVATE_KEY && (adding || auth_changed))
    {
      g_set_error (usage_error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--ssh-auth private-key needs --ssh-private-key-file (“-”: standard input)"));
      return FALSE;
    }

  if (o->db_password_file != NULL)
    value = burrowctl_read_secret (o->db_password_file, _("Database password: "), FALSE, error);
  else if (adding && terminal)
    value = burrowctl_prompt_secret (_("Database password (empty for none): "), FALSE, FALSE, error);
  else
    value = g_strdup (NULL);
  if (value == NULL && *error != NULL)
    return FALSE;
  if (value != NULL)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, value);
  g_clear_pointer (&value, burrow_secret_wipe_free);

  if (o->ssh_private_key_file != NULL)
    {
      value = burrowctl_read_secret (o->ssh_private_key_file, _("Paste the private key"), TRUE, error);
      if (value == NULL)
        return FALSE;
      burrow_credentials_set_secret (credentials, BURROW_SECRET_PRIVATE_KEY, value);
      g_clear_pointer (&value, burrow_secret_wipe_free);
    }

  if (o->ssh_secret_file != NULL)
    value = burrowctl_read_secret (o->ssh_secret_file,
                                   ssh_kind == BURROW_SECRET_SSH_PASSWORD ? _("SSH password: ") : _("Key passphrase: "),
                                   FALSE, error);
  else if (tunnel && terminal && (adding || auth_changed) &&
           (auth == BURROW_PROFILE_AUTH_PASSWORD || auth == BURROW_PROFILE_AUTH_PRIVATE_KEY ||
            auth == BURROW_PROFILE_AUTH_KEY_FILE))
    value = burrowctl_prompt_secret (auth == BURROW_PROFILE_AUTH_PASSWORD ? _("SSH password: ")
                                                                          : _("Key passphrase (empty for none): "),
                                     FALSE, FALSE, error);
  if (value == NULL && *error != NULL)
    return FALSE;
  if (value != NULL)
    burrow_credentials_set_secret (credentials, ssh_kind, value);
  g_clear_pointer (&value, burrow_secret_wipe_free);

  return TRUE;
}

static int
add_or_edit (int      argc,
             char   **argv,
             gboolean adding)
{
  ProfileOptions options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowConnection) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
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

  engine = burrowctl_open_engine (&error);
  if (engine != NULL && adding)
    {
      profile = burrow_profile_new ();
      burrow_profile_set_name (profile, argv[1]);
    }
  else if (engine != NULL)
    {
      g_autoptr(BurrowConnection) existing = burrowctl_find_connection (engine, argv[1], &error);

      if (existing != NULL)
        profile = burrow_profile_copy (burrow_connection_get_profile (existing), FALSE);
    }

  if (profile == NULL)
    {
      status = burrowctl_fail (error);
      goto out;
    }
  old_auth = burrow_profile_get_ssh_auth (profile);

  if (!apply_options (&options, profile, adding, &error))
    {
      status = burrowctl_usage (context, error);
      goto out;
    }

  /* Checked before any secret is read, so that a refused connection asks
   * for nothing. The engine checks again as it saves. */
  {
    g_autoptr(GPtrArray) errors = burrow_engine_collect_errors (engine, profile);

    if (errors->len > 0)
      {
        status = burrowctl_fail (g_ptr_array_index (errors, 0));
        goto out;
      }
  }

  credentials = burrow_credentials_new (profile);
  {
    g_autoptr(GError) usage_error = NULL;

    if (!gather_secrets (&options, credentials, adding, old_auth != burrow_profile_get_ssh_auth (profile),
                         &usage_error, &error))
      {
        status = usage_error != NULL ? burrowctl_usage (context, usage_error) : burrowctl_fail (error);
        goto out;
      }
  }

  burrow_engine_save_async (engine, credentials, NULL, burrowctl_on_async_done, &result);
  saved = burrow_engine_save_finish (engine, burrowctl_wait (&result), &error);
  if (saved == NULL)
    {
      status = burrowctl_fail (error);
      goto out;
    }

  g_set_object (&profile, burrow_connection_get_profile (saved));
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
json_connection (GString          *out,
                 BurrowConnection *connection)
{
  BurrowProfile *profile = burrow_connection_get_profile (connection);
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
  g_string_append_printf (out, "],\"keepalive_interval\":%u,\"local_port_auto\":%s,\"local_port\":%u,"
                          "\"connect_at_start\":%s",
                          burrow_profile_get_keepalive_interval (profile),
                          burrow_profile_get_local_port_auto (profile) ? "true" : "false",
                          burrow_profile_get_local_port (profile),
                          burrow_profile_get_connect_at_start (profile) ? "true" : "false");

  /* Another Burrow process (burrowctl up, a window) runs it. */
  if (burrow_connection_get_running_elsewhere (connection) != 0)
    {
      g_string_append_printf (out, ",\"running_elsewhere\":{\"pid\":%u,\"port\":%u,\"summary\":",
                              burrow_connection_get_running_elsewhere (connection),
                              burrow_connection_get_running_elsewhere_port (connection));
      burrowctl_json_string (out, burrow_connection_get_running_elsewhere_summary (connection));
      g_string_append (out, "}}");
    }
  else
    g_string_append (out, ",\"running_elsewhere\":null}");
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
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *connections;
  guint n;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc != 1)
    return burrowctl_usage (context, NULL);

  engine = burrowctl_open_engine (&error);
  if (engine == NULL)
    return burrowctl_fail (error);

  connections = burrow_engine_get_connections (engine);
  n = g_list_model_get_n_items (connections);

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);

          if (i > 0)
            g_string_append_c (out, ',');
          json_connection (out, connection);
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
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);
      BurrowProfile *profile = burrow_connection_get_profile (connection);
      g_autofree char *database = NULL;
      g_autofree char *route = burrow_connection_dup_route (connection);
      g_autofree char *local = NULL;

      database = g_strdup_printf ("%s %s:%u", burrow_db_kind_to_id (burrow_profile_get_db_kind (profile)),
                                  burrow_profile_get_db_host (profile) != NULL ? burrow_profile_get_db_host (profile) : "?",
                                  burrow_profile_get_db_port (profile));
      if (burrow_connection_get_running_elsewhere (connection) != 0)
        local = g_strdup (burrow_connection_get_running_elsewhere_summary (connection));
      else if (burrow_profile_get_tunnel_enabled (profile))
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
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, _("NAME"))) >= 0)
    return status;

  engine = burrowctl_open_engine (&error);
  if (engine != NULL)
    connection = burrowctl_find_connection (engine, argv[1], &error);
  if (connection == NULL)
    return burrowctl_fail (error);

  name = g_strdup (burrow_connection_get_name (connection));
  burrow_engine_remove_async (engine, connection, BURROW_ENGINE_REMOVE_DEFAULT, NULL, burrowctl_on_async_done, &result);
  if (!burrow_engine_remove_finish (engine, burrowctl_wait (&result), &error))
    return burrowctl_fail (error);

  g_print (_("Removed “%s”\n"), name);
  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_pubkey (int    argc,
                          char **argv)
{
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, NULL)) >= 0)
    return status;

  engine = burrowctl_open_engine (&error);
  if (engine != NULL)
    identity = load_identity (engine, &error);
  if (identity == NULL)
    return burrowctl_fail (error);

  g_print ("%s\n", burrow_identity_get_public_key (identity));
  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_guide (int    argc,
                         char **argv)
{
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *guide = NULL;
  int status;

  if ((status = parse_name_only (argc, argv, _("NAME"))) >= 0)
    return status;

  engine = burrowctl_open_engine (&error);
  if (engine != NULL)
    connection = burrowctl_find_connection (engine, argv[1], &error);
  if (connection != NULL)
    identity = load_identity (engine, &error);
  if (identity == NULL)
    return burrowctl_fail (error);

  guide = burrow_identity_dup_guide (identity, burrow_connection_get_profile (connection));
  g_print ("%s", guide);
  return BURROWCTL_EXIT_OK;
}

/* burrowctl strings NAME [--json] */
int
burrowctl_command_strings (int    argc,
                           char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("Print the ready ways to reach the database through the tunnel "
                                           "(psql, libpq URI, JDBC, SQLAlchemy, mysql …), one per line as "
                                           "“TOOL: STRING”. No password is ever in them."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = burrowctl_parse_args (context, &argc, &argv, 1)) >= 0)
    return status;

  engine = burrowctl_open_engine (&error);
  if (engine != NULL)
    connection = burrowctl_find_connection (engine, argv[1], &error);
  if (connection == NULL)
    return burrowctl_fail (error);

  strings = burrow_connection_dup_connection_strings (connection);

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < strings->len; i++)
        {
          BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

          g_string_append (out, i > 0 ? ",{\"label\":" : "{\"label\":");
          burrowctl_json_string (out, string->label);
          g_string_append (out, ",\"value\":");
          burrowctl_json_string (out, string->value);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]\n");
      g_print ("%s", out->str);
      return BURROWCTL_EXIT_OK;
    }

  for (guint i = 0; i < strings->len; i++)
    {
      BurrowDbConnectionString *string = g_ptr_array_index (strings, i);

      g_print ("%s: %s\n", string->label, string->value);
    }

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
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &alias, N_("The Host entry to use"), "ALIAS" },
    { "connection", 0, 0, G_OPTION_ARG_STRING, &name, N_("Set this connection’s tunnel from the Host entry"), "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[FILE]");
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const BurrowSshConfigHost *host = NULL;
  const char *path;

  g_option_context_set_summary (context, _("List the Host entries of FILE (default ~/.ssh/config), or set a "
                                           "connection’s tunnel from one of them."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc > 2 || (name != NULL && alias == NULL))
    return burrowctl_usage (context, NULL);
  path = argc == 2 ? argv[1] : NULL;

  engine = burrowctl_open_engine (&error);
  if (engine == NULL)
    return burrowctl_fail (error);

  burrow_engine_read_ssh_config_async (engine, path, NULL, burrowctl_on_async_done, &result);
  hosts = burrow_engine_read_ssh_config_finish (engine, burrowctl_wait (&result), &error);
  if (hosts == NULL)
    return burrowctl_fail (error);

  for (guint i = 0; alias != NULL && i < hosts->len && host == NULL; i++)
    if (g_str_equal (((BurrowSshConfigHost *)g_ptr_array_index (hosts, i))->alias, alias))
      host = g_ptr_array_index (hosts, i);

  /* Each entry that could not be read is said where it matters (in the
   * list, or when the host asked for is not found), so that a host
   * missing is not a mystery. */
  if (host == NULL)
    {
      GPtrArray *skipped = burrow_engine_read_ssh_config_get_skipped (engine, result);

      for (guint i = 0; i < skipped->len; i++)
        burrowctl_print_warning (g_ptr_array_index (skipped, i));
    }

  if (alias == NULL)
    {
      for (guint i = 0; i < hosts->len; i++)
        print_ssh_config_host (g_ptr_array_index (hosts, i));
      return BURROWCTL_EXIT_OK;
    }

  if (host == NULL)
    {
      g_autofree char *file = path != NULL ? g_strdup (path) : burrow_ssh_config_default_path ();

      burrow_set_error (&error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST,
                        _("Run “burrowctl import-ssh-config” to see the Host entries."),
                        _("%s has no Host entry “%s”"), file, alias);
      return burrowctl_fail (error);
    }

  if (name == NULL)
    {
      print_ssh_config_host (host);
      return BURROWCTL_EXIT_OK;
    }

  {
    g_autoptr(BurrowConnection) connection = burrowctl_find_connection (engine, name, &error);
    g_autoptr(BurrowConnection) saved = NULL;
    g_autoptr(GAsyncResult) imported = NULL;

    if (connection == NULL)
      return burrowctl_fail (error);

    burrow_engine_import_ssh_host_async (engine, host, connection, NULL, burrowctl_on_async_done, &imported);
    saved = burrow_engine_import_ssh_host_finish (engine, burrowctl_wait (&imported), &error);
    if (saved == NULL)
      return burrowctl_fail (error);

    g_print (_("“%s” now goes through %s\n"), burrow_connection_get_name (saved), host->host_name);
  }

  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_export (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE [NAME…]");
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc < 2)
    return burrowctl_usage (context, NULL);

  engine = burrowctl_open_engine (&error);
  if (engine == NULL)
    return burrowctl_fail (error);

  for (int i = 2; i < argc; i++)
    {
      g_autoptr(BurrowConnection) connection = burrowctl_find_connection (engine, argv[i], &error);

      if (connection == NULL)
        return burrowctl_fail (error);
      g_ptr_array_add (ids, g_strdup (burrow_connection_get_id (connection)));
    }
  g_ptr_array_add (ids, NULL);

  if (!burrow_profile_store_export (burrow_engine_get_store (engine),
                                    argc > 2 ? (const char * const *)ids->pdata : NULL,
                                    argv[1], &error))
    return burrowctl_fail (error);

  return BURROWCTL_EXIT_OK;
}

int
burrowctl_command_import (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(BurrowEngine) engine = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return burrowctl_usage (context, error);
  if (argc != 2)
    return burrowctl_usage (context, NULL);

  engine = burrowctl_open_engine (&error);
  if (engine == NULL)
    return burrowctl_fail (error);

  imported = burrow_profile_store_import (burrow_engine_get_store (engine), argv[1], &error);
  if (imported == NULL)
    return burrowctl_fail (error);

  for (guint i = 0; i < imported->len; i++)
    g_print (_("Imported “%s”\n"), burrow_profile_get_name (g_ptr_array_index (imported, i)));

  return BURROWCTL_EXIT_OK;
}
