/* burrow-host-keys.c — which host keys Burrow trusts, in known_hosts files.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libssh's ssh_session_is_known_server() stops at the first file with any
 * verdict and does not tell which key was recorded; Burrow needs the old
 * fingerprint to show beside the new one when a key changed, so it walks the
 * files itself with libssh's line parser (which handles hashed host names
 * and "[host]:port" patterns).
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "burrow-error.h"
#include "burrow-host-keys.h"
#include "burrow-paths.h"
#include "burrow-ssh-error.h"

typedef struct
{
  BurrowHostKeyStatus status;
  char *known_fingerprint;
} FileVerdict;

/* The host part of a known_hosts line, as OpenSSH and libssh write it. */
char *
burrow_host_keys_format_host (const char *host,
                              guint16     port)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);
  if (port == 0 || port == 22)
    return g_steal_pointer (&lower);

  return g_strdup_printf ("[%s]:%u", lower, port);
}

char *
burrow_host_keys_user_file (void)
{
  return g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
}

/* "SHA256:…", the same text as `ssh-keygen -l` prints. */
char *
burrow_host_keys_fingerprint (ssh_key key)
{
  unsigned char *hash = NULL;
  size_t hash_len = 0;
  char *text;
  char *result;

  g_return_val_if_fail (key != NULL, NULL);

  if (ssh_get_publickey_hash (key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hash_len) != SSH_OK)
    return NULL;

  text = ssh_get_fingerprint_hash (SSH_PUBLICKEY_HASH_SHA256, hash, hash_len);
  ssh_clean_pubkey_hash (&hash);
  if (text == NULL)
    return NULL;

  result = g_strdup (text);
  ssh_string_free_char (text);

  return result;
}

/* The line without leading blanks, or NULL for blanks and comments. */
static const char *
entry_start (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;

  return *line != '\0' && *line != '#' ? line : NULL;
}

/* "@revoked PATTERN KEY": the rest of the line, or NULL for other lines. */
static const char *
revoked_entry (const char *line)
{
  if (!g_str_has_prefix (line, "@revoked") || (line[8] != ' ' && line[8] != '\t'))
    return NULL;

  return entry_start (line + 8);
}

/* The host patterns of a known_hosts entry: its first field. */
static char *
host_field (const char *entry)
{
  return g_strndup (entry, strcspn (entry, " \t"));
}

static gboolean
pattern_matches (const char *pattern,
                 const char *host_entry)
{
  g_autofree char *lower = g_ascii_strdown (pattern, -1);

  if (g_pattern_match_simple (lower, host_entry))
    return TRUE;

  /* "[host]:22" names the host on the default port too, as libssh reads
   * it. */
  if (lower[0] == '[' && host_entry[0] != '[')
    {
      g_autofree char *with_port = g_strdup_printf ("[%s]:22", host_entry);

      return g_pattern_match_simple (lower, with_port);
    }

  return FALSE;
}

/* Whether a negated pattern of @entry ("*.corp,!evil.corp") names the
 * host: then the line says nothing about it, as in OpenSSH. libssh tries
 * each pattern on its own and skips the negated ones (still in 0.12), so
 * such a line would vouch for the very host it excludes. */
static gboolean
negated_for (const char *entry,
             const char *host_entry)
{
  g_autofree char *field = host_field (entry);
  g_auto(GStrv) patterns = NULL;

  if (field[0] == '|')
    return FALSE;

  patterns = g_strsplit (field, ",", -1);
  for (guint i = 0; patterns[i] != NULL; i++)
    if (patterns[i][0] == '!' && pattern_matches (patterns[i] + 1, host_entry))
      return TRUE;

  return FALSE;
}

static void
check_file (const char  *path,
            const char  *host_entry,
            ssh_key      key,
            FileVerdict *verdict)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *same_type = NULL;
  g_autofree char *other_type = NULL;
  gboolean trusted = FALSE;

  verdict->status = BURROW_HOST_KEY_UNKNOWN;
  verdict->known_fingerprint = NULL;

  /* A missing or unreadable file simply vouches for nothing. */
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      struct ssh_knownhosts_entry *entry = NULL;
      const char *line = entry_start (g_strchomp (lines[i]));
      const char *revoked;

      if (line == NULL)
        continue;

      /* A revoked key is refused whatever else vouches for it. Other
       * markers (@cert-authority) are OpenSSH features libssh cannot
       * honour: a skipped line cannot vouch for a key. */
      revoked = revoked_entry (line);
      if (revoked != NULL)
        {
          if (!negated_for (revoked, host_entry) &&
              ssh_known_hosts_parse_line (host_entry, revoked, &entry) == SSH_OK && entry != NULL &&
              ssh_key_cmp (key, entry->publickey, SSH_KEY_CMP_PUBLIC) == 0)
            {
              ssh_knownhosts_entry_free (entry);
              verdict->status = BURROW_HOST_KEY_REVOKED;
              return;
            }
          ssh_knownhosts_entry_free (entry);
          continue;
        }

      if (*line == '@' || negated_for (line, host_entry) ||
          ssh_known_hosts_parse_line (host_entry, line, &entry) != SSH_OK || entry == NULL)
        continue;

      if (ssh_key_cmp (key, entry->publickey, SSH_KEY_CMP_PUBLIC) == 0)
        trusted = TRUE;
      else if (ssh_key_type (key) == ssh_key_type (entry->publickey))
        {
          if (same_type == NULL)
            same_type = burrow_host_keys_fingerprint (entry->publickey);
        }
      else if (other_type == NULL)
        {
          other_type = burrow_host_keys_fingerprint (entry->publickey);
        }

      ssh_knownhosts_entry_free (entry);
    }

  /* A key of another type is treated as a change too: the key exchange
   * asks for the recorded types first, so a server that offers none of
   * them no longer holds the key that was trusted. */
  if (trusted)
    verdict->status = BURROW_HOST_KEY_TRUSTED;
  else if (same_type != NULL)
    {
      verdict->status = BURROW_HOST_KEY_CHANGED;
      verdict->known_fingerprint = g_steal_pointer (&same_type);
    }
  else if (other_type != NULL)
    {
      verdict->status = BURROW_HOST_KEY_CHANGED;
      verdict->known_fingerprint = g_steal_pointer (&other_type);
    }
}

/* @entry, which names the host among others, with the host left out; NULL
 * when it names nothing else. A hashed entry names one host; a pattern
 * ("*.corp") cannot lose one of its hosts and stays whole. */
static char *
without_host (const char *entry,
              const char *host_entry)
{
  g_autofree char *field = host_field (entry);
  g_autofree char *default_port = g_strdup_printf ("[%s]:22", host_entry);
  g_auto(GStrv) patterns = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (field[0] == '|')
    return NULL;

  patterns = g_strsplit (field, ",", -1);
  for (guint i = 0; patterns[i] != NULL; i++)
    if (g_ascii_strcasecmp (patterns[i], host_entry) != 0 &&
        (host_entry[0] == '[' || g_ascii_strcasecmp (patterns[i], default_port) != 0))
      g_ptr_array_add (kept, patterns[i]);

  if (kept->len == 0)
    return NULL;

  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv (",", (char **)kept->pdata);

  return g_strconcat (joined, entry + strlen (field), NULL);
}

/* @known_fingerprint receives the recorded key's fingerprint when the
 * answer is BURROW_HOST_KEY_CHANGED, NULL otherwise. */
BurrowHostKeyStatus
burrow_host_keys_check (const char  *known_hosts_file,
                        const char  *host,
                        guint16      port,
                        ssh_key      key,
                        char       **known_fingerprint)
{
  g_autofree char *own_file = NULL;
  g_autofree char *user_file = burrow_host_keys_user_file ();
  g_autofree char *host_entry = NULL;
  const char *files[2];
  FileVerdict verdicts[2] = { { 0 } };
  BurrowHostKeyStatus result = BURROW_HOST_KEY_UNKNOWN;

  g_return_val_if_fail (host != NULL, BURROW_HOST_KEY_UNKNOWN);
  g_return_val_if_fail (key != NULL, BURROW_HOST_KEY_UNKNOWN);

  if (known_fingerprint != NULL)
    *known_fingerprint = NULL;

  own_file = known_hosts_file != NULL ? g_strdup (known_hosts_file) : burrow_paths_known_hosts_file ();
  host_entry = burrow_host_keys_format_host (host, port);

  files[0] = own_file;
  files[1] = g_strcmp0 (own_file, user_file) != 0 ? user_file : NULL;

  /* A revocation in either file wins; otherwise Burrow's own file comes
   * first, and the first file with a verdict decides. */
  for (guint i = 0; i < G_N_ELEMENTS (files) && files[i] != NULL; i++)
    {
      check_file (files[i], host_entry, key, &verdicts[i]);
      if (verdicts[i].status == BURROW_HOST_KEY_REVOKED)
        result = BURROW_HOST_KEY_REVOKED;
    }

  for (guint i = 0; i < G_N_ELEMENTS (files) && files[i] != NULL; i++)
    {
      if (result == BURROW_HOST_KEY_UNKNOWN && verdicts[i].status != BURROW_HOST_KEY_UNKNOWN)
        {
          result = verdicts[i].status;
          if (known_fingerprint != NULL)
            *known_fingerprint = g_steal_pointer (&verdicts[i].known_fingerprint);
        }
      g_free (verdicts[i].known_fingerprint);
    }

  return result;
}

/* Records @key for @host in Burrow's own file, replacing a recorded key of
 * the same type for that host (the user chose the new one), keeping the
 * rest: a line that also names other hosts keeps them. Written atomically,
 * readable only by the user. */
gboolean
burrow_host_keys_trust (const char  *known_hosts_file,
                        const char  *host,
                        guint16      port,
                        ssh_key      key,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *host_entry = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  char *base64 = NULL;
  const char *type_name;

  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  path = known_hosts_file != NULL ? g_strdup (known_hosts_file) : burrow_paths_known_hosts_file ();
  host_entry = burrow_host_keys_format_host (host, port);

  type_name = ssh_key_type_to_char (ssh_key_type (key));
  if (type_name == NULL || ssh_pki_export_pubkey_base64 (key, &base64) != SSH_OK)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("This is a bug in Burrow; please report it."),
                        _("The host key of %s could not be written out"), host_entry);
      return FALSE;
    }

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          struct ssh_knownhosts_entry *entry = NULL;
          g_autofree char *kept = NULL;
          gboolean replaced = FALSE;
          const char *line;

          if (lines[i][0] == '\0')
            continue;

          /* A line that vouches for this host with a key of the same type
           * goes; when it also names other hosts (a list, a pattern), it
           * stays for them, without this host. */
          line = entry_start (lines[i]);
          if (line != NULL && *line != '@' && !negated_for (line, host_entry) &&
              ssh_known_hosts_parse_line (host_entry, line, &entry) == SSH_OK &&
              entry != NULL)
            replaced = ssh_key_type (entry->publickey) == ssh_key_type (key);
          ssh_knownhosts_entry_free (entry);

          if (!replaced)
            g_string_append_printf (output, "%s\n", lines[i]);
          else if ((kept = without_host (line, host_entry)) != NULL)
            g_string_append_printf (output, "%s\n", kept);
        }
    }

  g_string_append_printf (output, "%s %s %s\n", host_entry, type_name, base64);
  ssh_string_free_char (base64);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Check that your home directory is writable."),
                        _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents_full (path, output->str, output->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Check that your home directory is writable and not full."),
                        _("Could not record the host key: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* A hashed or multi-host line names @host_entry among others: what is
 * left of it once @host_entry is taken out, or NULL to drop the line. */
static char *
line_without_host (const char *line,
                   const char *host_entry)
{
  const char *space = strpbrk (line, " \t");
  g_autofree char *patterns = NULL;
  g_auto(GStrv) hosts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (space == NULL || line[0] == '|')
    return NULL;

  patterns = g_strndup (line, space - line);
  hosts = g_strsplit (patterns, ",", -1);
  for (guint i = 0; hosts[i] != NULL; i++)
    if (g_ascii_strcasecmp (hosts[i], host_entry) != 0)
      g_ptr_array_add (kept, hosts[i]);

  /* A line whose pattern matched without naming the host (a wildcard)
   * vouches for many hosts: it stays, and the key stays trusted. */
  if (kept->len == g_strv_length (hosts))
    return g_strdup (line);
  if (kept->len == 0)
    return NULL;

  g_ptr_array_add (kept, NULL);
  patterns = g_strjoinv (",", (char **)kept->pdata);
  return g_strconcat (patterns, space, NULL);
}

/* Removes what Burrow's own file records for @host port @port: the lines
 * for that host alone, and its name from lines that also name others.
 * ~/.ssh/known_hosts is never written. */
gboolean
burrow_host_keys_forget (const char  *known_hosts_file,
                         const char  *host,
                         guint16      port,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *host_entry = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (host != NULL, FALSE);

  path = known_hosts_file != NULL ? g_strdup (known_hosts_file) : burrow_paths_known_hosts_file ();
  host_entry = burrow_host_keys_format_host (host, port);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return TRUE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      struct ssh_knownhosts_entry *entry = NULL;
      g_autofree char *kept = NULL;
      const char *line = entry_start (lines[i]);

      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;

      if (line == NULL || *line == '@' ||
          ssh_known_hosts_parse_line (host_entry, line, &entry) != SSH_OK || entry == NULL)
        {
          ssh_knownhosts_entry_free (entry);
          g_string_append_printf (output, "%s\n", lines[i]);
          continue;
        }
      ssh_knownhosts_entry_free (entry);

      kept = line_without_host (line, host_entry);
      if (kept != NULL)
        g_string_append_printf (output, "%s\n", kept);
    }

  if (!g_file_set_contents_full (path, output->str, output->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Check that your home directory is writable and not full."),
                        _("Could not forget the host key: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}
