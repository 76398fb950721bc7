/* fuzz-ssh-config.c — an OpenSSH client configuration, as
 * burrowctl import-ssh-config and the window's import read ~/.ssh/config.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is ~/.ssh/config (in the target's own home); ~/.ssh/extra is
 * there for Include lines to find. Every listed alias resolves or fails
 * with an error, what resolves fills a profile, and no temporary copy is
 * left behind.
 *
 * An input that could name a file outside the private home in an Include
 * line (any "/" in a file that says "include") is skipped: the target
 * reads only its own files.
 */

#include "config.h"

#include <string.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

/* Resolving starts a libssh parse per hop: a few aliases are enough. */
#define MAX_RESOLVED 6

static const char extra[] =
  "Host extra\n"
  "  HostName extra.example.com\n"
  "  User included\n";

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

static void
check_alias (const char *path,
             const char *alias)
{
  g_autoptr(BurrowSshConfigHost) host = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  host = burrow_ssh_config_resolve (path, alias, &error);
  if (host == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == BURROW_SSH_CONFIG_ERROR);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (host->alias, ==, alias);

  profile = burrow_profile_new ();
  burrow_profile_set_name (profile, alias);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_ssh_config_host_apply (host, profile);
  g_assert_true (burrow_profile_get_tunnel_enabled (profile));
  errors = burrow_profile_collect_errors (profile);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *dir = NULL;
  g_autofree char *ssh_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *extra_path = NULL;
  g_auto(GStrv) hosts = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  burrow_fuzz_init ();

  if (strstr (lower, "include") != NULL && memchr (data, '/', size) != NULL)
    return 0;

  dir = burrow_fuzz_fresh_dir ();
  ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  path = burrow_fuzz_write_file (ssh_dir, "config", data, size);
  extra_path = burrow_fuzz_write_file (ssh_dir, "extra", (const uint8_t *)extra, strlen (extra));

  hosts = burrow_ssh_config_list_hosts (path, &error);
  if (hosts == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == BURROW_SSH_CONFIG_ERROR);
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_assert_cmpstr (hosts[i], !=, "");
      g_assert_null (strpbrk (hosts[i], "*?! \t\n"));
      g_assert_true (g_hash_table_add (seen, hosts[i]));
      if (i < MAX_RESOLVED)
        check_alias (path, hosts[i]);
    }

  /* An alias the file does not list is an error, not a guess. */
  if (!g_hash_table_contains (seen, "not-listed"))
    {
      g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "not-listed", &error);

      g_assert_null (host);
      g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST);
    }

  g_assert_true (dir_is_empty (g_get_tmp_dir ()));

  return 0;
}
