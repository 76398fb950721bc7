/* burrow-ssh-config.c — a bastion from ~/.ssh/config, read by libssh's own
 * parser.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libssh resolves an alias the way it would before connecting: a fresh
 * session with the alias as its host, ssh_options_parse_config (), and the
 * options read back. Two things need help on libssh 0.10:
 *
 * - ProxyJump is turned into a ProxyCommand running "ssh … -W '[%h]:%p'"
 *   (config.c, ssh_config_parse_proxy_jump). Burrow chains hops itself and
 *   never runs ssh, so that command is read back into its jump hosts.
 * - Without an IdentityFile line the identity list still holds libssh's
 *   defaults (%d/id_ed25519, …): those are not a choice of the user.
 *   IdentityFile lines are prepended, so the one read back is the last
 *   such line of the matching entries.
 *
 * Listing the Host entries is a plain scan: libssh has no call for it.
 *
 * Include is followed the way OpenSSH does it (a relative path is under
 * ~/.ssh, globs allowed), by Burrow itself: libssh 0.10 looks for
 * relative paths elsewhere. The file is flattened, the included text in
 * place of each Include line, and that copy is what libssh parses.
 *
 * libssh 0.10 also runs the command of a "Match exec" line while it
 * parses (config.c, ssh_match_exec). Burrow runs no command: in the copy,
 * such a line becomes one that matches nothing.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glob.h>
#include <libssh/libssh.h>
#include <string.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-ssh-config.h"

G_DEFINE_QUARK (burrow-ssh-config-error-quark, burrow_ssh_config_error)

static const char *default_identities[] = {
  "%d/id_ed25519",
  "%d/id_ecdsa",
  "%d/id_rsa",
  "%d/id_dsa",
};

char *
burrow_ssh_config_default_path (void)
{
  return g_build_filename (g_get_home_dir (), ".ssh", "config", NULL);
}

static gboolean
read_config (const char  *path,
             char       **contents,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_get_contents (path, contents, NULL, &local_error))
    return TRUE;

  burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_NOT_FOUND,
                    _("Name the OpenSSH client configuration file to read, for example ~/.ssh/config."),
                    _("Cannot read %s: %s"), path, local_error->message);
  return FALSE;
}

/* OpenSSH's own limit on nested Include lines. */
#define MAX_INCLUDE_DEPTH 16

/* The words after @keyword when @line starts with it, or NULL. */
static GStrv
split_directive (const char *line,
                 const char *keyword)
{
  g_autofree char *words = NULL;
  gsize keyword_len;

  line += strspn (line, " \t");
  keyword_len = strcspn (line, " \t=");
  if (keyword_len != strlen (keyword) || g_ascii_strncasecmp (line, keyword, keyword_len) != 0)
    return NULL;

  line += keyword_len;
  line += strspn (line, " \t=");
  words = g_strchomp (g_strdup (line));
  return g_strsplit_set (words, " \t", -1);
}

static gboolean flatten (const char *path, guint depth, GString *out, gboolean *included, GError **error);

/* The files an Include word names: ~ is the home folder, a relative
 * path is under ~/.ssh, and the name may be a glob. A glob that matches
 * nothing is no error, as in OpenSSH. */
static gboolean
flatten_include (const char  *word,
                 guint        depth,
                 GString     *out,
                 gboolean    *included,
                 GError     **error)
{
  g_autofree char *pattern = NULL;
  glob_t matches = { 0 };
  gboolean ok = TRUE;

  if (word[0] == '~' && (word[1] == '/' || word[1] == '\0'))
    pattern = g_strconcat (g_get_home_dir (), word + 1, NULL);
  else if (!g_path_is_absolute (word))
    pattern = g_build_filename (g_get_home_dir (), ".ssh", word, NULL);
  else
    pattern = g_strdup (word);

  if (glob (pattern, 0, NULL, &matches) != 0)
    {
      globfree (&matches);
      return TRUE;
    }

  for (size_t i = 0; ok && i < matches.gl_pathc; i++)
    {
      if (g_file_test (matches.gl_pathv[i], G_FILE_TEST_IS_REGULAR))
        ok = flatten (matches.gl_pathv[i], depth + 1, out, included, error);
    }
  globfree (&matches);

  return ok;
}

/* @path's text with the text of included files in place of each Include
 * line; *@included tells whether there was one. */
static gboolean
flatten (const char  *path,
         guint        depth,
         GString     *out,
         gboolean    *included,
         GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (depth > MAX_INCLUDE_DEPTH)
    {
      burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                        _("Check the Include lines: one of the files includes itself."),
                        _("Include lines nest more than %u deep at %s"), MAX_INCLUDE_DEPTH, path);
      return FALSE;
    }

  if (!read_config (path, &contents, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = split_directive (lines[i], "include");

      if (words == NULL)
        {
          g_string_append (out, lines[i]);
          if (lines[i + 1] != NULL)
            g_string_append_c (out, '\n');
          continue;
        }

      *included = TRUE;
      g_string_append_c (out, '\n');
      for (guint w = 0; words[w] != NULL && words[w][0] != '#'; w++)
        {
          if (words[w][0] != '\0' && !flatten_include (words[w], depth, out, included, error))
            return FALSE;
        }
      g_string_append_c (out, '\n');
    }

  return TRUE;
}

/* The aliases of the Host lines, in file order and with those of
 * included files, without patterns: "*", "?" and "!" match many hosts
 * and name no one bastion. */
GStrv
burrow_ssh_config_list_hosts (const char  *path,
                              GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  gboolean included = FALSE;

  if (path == NULL)
    path = default_path = burrow_ssh_config_default_path ();

  if (!flatten (path, 0, contents, &included, error))
    return NULL;

  lines = g_strsplit (contents->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = split_directive (lines[i], "host");

      if (tokens == NULL)
        continue;

      for (guint t = 0; tokens[t] != NULL; t++)
        {
          const char *token = tokens[t];

          if (*token == '#')
            break;
          if (*token == '\0' || strpbrk (token, "*?!") != NULL)
            continue;
          if (g_hash_table_add (seen, g_strdup (token)))
            g_strv_builder_add (builder, token);
        }
    }

  return g_strv_builder_end (builder);
}

static char *
expand_path (const char *path)
{
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autoptr(GString) result = g_string_new (NULL);

  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    {
      g_string_append (result, g_get_home_dir ());
      path++;
    }

  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p != '%' || p[1] == '\0')
        {
          g_string_append_c (result, *p);
          continue;
        }

      p++;
      switch (*p)
        {
        case 'd': g_string_append (result, ssh_dir); break;
        case 'u': g_string_append (result, g_get_user_name ()); break;
        case '%': g_string_append_c (result, '%'); break;
        default:
          g_string_append_c (result, '%');
          g_string_append_c (result, *p);
        }
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

static char *find_bad_proxy_jump (const char *path);

/* @path is what libssh reads; @shown_path what the user knows it as. */
static ssh_session
parse_for (const char  *path,
           const char  *shown_path,
           const char  *alias,
           GError     **error)
{
  ssh_session session = ssh_new ();

  if (session == NULL)
    {
      burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                        NULL, _("libssh could not start"));
      return NULL;
    }

  if (ssh_options_set (session, SSH_OPTIONS_HOST, alias) != SSH_OK ||
      ssh_options_parse_config (session, path) != 0)
    {
      const char *reason = ssh_get_error (session);
      g_autofree char *bad_jump = NULL;

      /* libssh 0.10 refuses a malformed ProxyJump without saying why,
       * and with it every entry of the file: the culprit is named here. */
      if (reason == NULL || *reason == '\0')
        bad_jump = find_bad_proxy_jump (path);

      if (bad_jump != NULL)
        burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                          _("Write each hop of a ProxyJump as [USER@]HOST[:PORT], separated by commas: "
                            "libssh refuses every entry of a file in which one is malformed."),
                          _("libssh cannot read the entry for “%s” in %s: the ProxyJump “%s” is not valid"),
                          alias, shown_path, bad_jump);
      else if (reason == NULL || *reason == '\0')
        burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                          _("Check the file with “ssh -G HOST”, which reports the line it does not accept."),
                          _("libssh cannot read the entry for “%s” in %s"), alias, shown_path);
      else
        burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                          _("Check the file with “ssh -G HOST”, which reports the line it does not accept."),
                          _("libssh cannot read the entry for “%s” in %s: %s"),
                          alias, shown_path, reason);
      ssh_free (session);
      return NULL;
    }

  return session;
}

static char *
get_option (ssh_session           session,
            enum ssh_options_e    option)
{
  char *value = NULL;
  char *copy;

  if (ssh_options_get (session, option, &value) != SSH_OK || value == NULL)
    return NULL;

  copy = g_strdup (value);
  ssh_string_free_char (value);
  return copy;
}

/* Undoes ssh_config_parse_proxy_jump () of libssh 0.10:
 *   ssh[ -l USER][ -p PORT][ -J REST] -W '[%h]:%p' HOST
 * into "[USER@]HOST[:PORT]" followed by the hops of REST. NULL when the
 * command is anything else: a ProxyCommand the user wrote. */
static GStrv
jump_hosts_from_proxy_command (const char *command)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *first = NULL;
  const char *user = NULL;
  const char *port = NULL;
  const char *rest = NULL;
  const char *host = NULL;
  gboolean bracket;
  guint i;

  if (!g_shell_parse_argv (command, NULL, &argv, NULL) || !g_str_equal (argv[0], "ssh"))
    return NULL;

  for (i = 1; argv[i] != NULL && argv[i + 1] != NULL; i += 2)
    {
      if (g_str_equal (argv[i], "-l"))
        user = argv[i + 1];
      else if (g_str_equal (argv[i], "-p"))
        port = argv[i + 1];
      else if (g_str_equal (argv[i], "-J"))
        rest = argv[i + 1];
      else if (g_str_equal (argv[i], "-W") && g_str_equal (argv[i + 1], "[%h]:%p"))
        {
          host = argv[i + 2];
          break;
        }
      else
        return NULL;
    }

  if (host == NULL || argv[i + 3] != NULL)
    return NULL;

  /* libssh hands back an IPv6 address without its brackets. */
  bracket = strchr (host, ':') != NULL;
  first = g_strdup_printf ("%s%s%s%s%s%s%s", user != NULL ? user : "", user != NULL ? "@" : "",
                           bracket ? "[" : "", host, bracket ? "]" : "",
                           port != NULL ? ":" : "", port != NULL ? port : "");
  g_strv_builder_add (builder, first);

  if (rest != NULL)
    {
      g_auto(GStrv) hops = g_strsplit (rest, ",", -1);
      g_strv_builder_addv (builder, (const char **)hops);
    }

  return g_strv_builder_end (builder);
}

/* A hop may itself be an alias with its own HostName, User and Port, as
 * OpenSSH resolves it. What the ProxyJump text says outright wins. */
static char *
resolve_hop (const char *path,
             const char *text)
{
  g_autoptr(BurrowJumpHost) hop = NULL;
  g_autofree char *host_name = NULL;
  g_autofree char *user = NULL;
  gboolean has_port = FALSE;
  unsigned int port = 22;
  ssh_session session;

  hop = burrow_jump_host_parse_full (text, &has_port, NULL);
  if (hop == NULL)
    return g_strdup (text);

  session = parse_for (path, path, hop->host, NULL);
  if (session != NULL)
    {
      host_name = get_option (session, SSH_OPTIONS_HOST);
      user = get_option (session, SSH_OPTIONS_USER);
      ssh_options_get_port (session, &port);
      ssh_free (session);
    }

  if (host_name != NULL && burrow_host_name_is_valid (host_name))
    {
      g_free (hop->host);
      hop->host = g_steal_pointer (&host_name);
    }
  if (hop->user == NULL && user != NULL)
    hop->user = g_steal_pointer (&user);
  if (!has_port && port > 0 && port <= 65535)
    hop->port = port;

  return burrow_jump_host_to_string (hop);
}

/* libssh reads a config 1023 bytes at a time (fgets into 1024) and takes
 * each piece for a line of its own. */
#define LIBSSH_LINE_MAX 1023

/* The keyword of a line as libssh's tokenizer reads it: quotes allowed,
 * "=" ends it. */
static gboolean
has_keyword (const char *line,
             const char *keyword)
{
  gsize len;

  line += strspn (line, " \t");
  if (*line == '"')
    len = strcspn (++line, "\"");
  else
    len = strcspn (line, " \t=");

  return len == strlen (keyword) && g_ascii_strncasecmp (line, keyword, len) == 0;
}

/* The value of the first ProxyJump line of @path with a hop that does
 * not read as [USER@]HOST[:PORT], or %NULL. */
static char *
find_bad_proxy_jump (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *value = lines[i] + strspn (lines[i], " \t");
      g_auto(GStrv) hops = NULL;

      if (!has_keyword (value, "proxyjump"))
        continue;

      value += strlen ("proxyjump") + (*value == '"' ? 2 : 0);
      value += strspn (value, " \t");
      if (*value == '=')
        value += 1 + strspn (value + 1, " \t");
      g_strchomp (lines[i]);
      if (g_ascii_strcasecmp (value, "none") == 0)
        continue;

      hops = g_strsplit (value, ",", -1);
      for (guint j = 0; hops[j] != NULL; j++)
        {
          g_autoptr(BurrowJumpHost) hop = burrow_jump_host_parse_full (hops[j], NULL, NULL);

          if (hop == NULL)
            return g_strdup (value);
        }
    }

  return NULL;
}

/* What libssh is given to parse: each piece as libssh will read it, with a
 * Match line that would run a command made one that matches nothing, and
 * no Include left that libssh would follow itself. */
static GString *
text_for_libssh (const char *text)
{
  GString *out = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line);
      gsize at = 0;

      do
        {
          g_autofree char *piece = g_strndup (line + at, MIN (len - at, LIBSSH_LINE_MAX));
          g_autofree char *lower = g_ascii_strdown (piece, -1);

          if (has_keyword (piece, "match") && strstr (lower, "exec") != NULL)
            g_string_append (out, "Match !all");
          else if (!has_keyword (piece, "include"))
            g_string_append (out, piece);
          g_string_append_c (out, '\n');
          at += strlen (piece);
        }
      while (at < len);
    }

  return out;
}

/* A private copy of @path for libssh to read: its Include lines resolved,
 * and nothing in it that would make libssh run a command. */
static char *
flatten_to_file (const char  *path,
                 GError     **error)
{
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GString) safe = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *flat = NULL;
  gboolean included = FALSE;
  int fd;

  if (!flatten (path, 0, contents, &included, error))
    return NULL;
  safe = text_for_libssh (contents->str);

  fd = g_file_open_tmp ("burrow-ssh-config-XXXXXX", &flat, &local_error);
  if (fd >= 0)
    {
      close (fd);
      if (g_file_set_contents_full (flat, safe->str, safe->len, G_FILE_SET_CONTENTS_NONE, 0600, &local_error))
        return g_steal_pointer (&flat);
      g_unlink (flat);
    }

  burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                    _("Check that the temporary folder is writable."),
                    _("Cannot read the files %s includes: %s"), path, local_error->message);
  return NULL;
}

static void
drop_flattened (const char *flat)
{
  if (flat != NULL)
    g_unlink (flat);
}

static gboolean
alias_is_listed (const char *path,
                 const char *alias)
{
  g_auto(GStrv) hosts = burrow_ssh_config_list_hosts (path, NULL);

  return hosts != NULL && g_strv_contains ((const char * const *)hosts, alias);
}

BurrowSshConfigHost *
burrow_ssh_config_resolve (const char  *path,
                           const char  *alias,
                           GError     **error)
{
  g_autoptr(BurrowSshConfigHost) host = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *flat = NULL;
  unsigned int port = 22;
  ssh_session session;

  g_return_val_if_fail (alias != NULL, NULL);

  if (path == NULL)
    path = default_path = burrow_ssh_config_default_path ();

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *ignored = NULL;
      read_config (path, &ignored, error);
      return NULL;
    }

  if (!alias_is_listed (path, alias))
    {
      burrow_set_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST,
                        _("Run “burrowctl import-ssh-config” to list the hosts it has."),
                        _("%s has no Host entry “%s”"), path, alias);
      return NULL;
    }

  flat = flatten_to_file (path, error);
  if (flat == NULL)
    return NULL;

  session = parse_for (flat, path, alias, error);
  if (session == NULL)
    {
      drop_flattened (flat);
      return NULL;
    }

  host = g_new0 (BurrowSshConfigHost, 1);
  host->alias = g_strdup (alias);
  host->host_name = get_option (session, SSH_OPTIONS_HOST);
  host->user = get_option (session, SSH_OPTIONS_USER);
  ssh_options_get_port (session, &port);
  host->port = port;

  identity = get_option (session, SSH_OPTIONS_IDENTITY);
  if (identity != NULL)
    {
      gboolean is_default = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (default_identities); i++)
        is_default |= g_str_equal (identity, default_identities[i]);
      if (!is_default)
        host->identity_file = expand_path (identity);
    }

  proxy = get_option (session, SSH_OPTIONS_PROXYCOMMAND);
  ssh_free (session);

  if (proxy != NULL && g_ascii_strcasecmp (proxy, "none") != 0)
    {
      g_auto(GStrv) hops = jump_hosts_from_proxy_command (proxy);

      if (hops != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (guint i = 0; hops[i] != NULL; i++)
            {
              g_autofree char *resolved = resolve_hop (flat, hops[i]);
              g_strv_builder_add (builder, resolved);
            }
          host->jump_hosts = g_strv_builder_end (builder);
        }
      else
        host->proxy_command = g_steal_pointer (&proxy);
    }

  drop_flattened (flat);
  return g_steal_pointer (&host);
}

/* Fills the tunnel part of @profile; the database part is untouched. */
void
burrow_ssh_config_host_apply (const BurrowSshConfigHost *host,
                              BurrowProfile             *profile)
{
  g_return_if_fail (host != NULL);
  g_return_if_fail (BURROW_IS_PROFILE (profile));

  g_object_freeze_notify (G_OBJECT (profile));
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, host->host_name);
  burrow_profile_set_ssh_port (profile, host->port);
  burrow_profile_set_ssh_user (profile, host->user);
  if (host->identity_file != NULL)
    {
      burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
      burrow_profile_set_ssh_key_file (profile, host->identity_file);
    }
  burrow_profile_set_jump_hosts (profile, (const char * const *)host->jump_hosts);
  g_object_thaw_notify (G_OBJECT (profile));
}

void
burrow_ssh_config_host_free (BurrowSshConfigHost *host)
{
  if (host == NULL)
    return;

  g_free (host->alias);
  g_free (host->host_name);
  g_free (host->user);
  g_free (host->identity_file);
  g_strfreev (host->jump_hosts);
  g_free (host->proxy_command);
  g_free (host);
}
