/* burrow-engine-import.c — ~/.ssh/config through the engine.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is read by libssh in a worker thread (it follows Include and
 * may be large); a Host entry becomes a connection's tunnel through an
 * ordinary save, so that the secrets the new sign-in does not use are
 * forgotten as on any other change.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"

/* What a read of ~/.ssh/config works on, and what it could not read. */
typedef struct
{
  char      *path;
  GPtrArray *skipped;   /* GError, one per entry libssh could not resolve */
} ReadSshConfig;

static void
read_ssh_config_free (ReadSshConfig *read)
{
  g_free (read->path);
  g_ptr_array_unref (read->skipped);
  g_free (read);
}

static void
read_ssh_config_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ReadSshConfig *read = task_data;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify)burrow_ssh_config_host_free);
  g_auto(GStrv) aliases = NULL;
  GError *error = NULL;

  aliases = burrow_ssh_config_list_hosts (read->path, &error);
  if (aliases == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; aliases[i] != NULL; i++)
    {
      GError *entry_error = NULL;
      BurrowSshConfigHost *host = burrow_ssh_config_resolve (read->path, aliases[i], &entry_error);

      /* One entry libssh cannot resolve does not hide the others, and is
       * not left out without a word either. */
      if (host == NULL)
        {
          g_ptr_array_add (read->skipped, entry_error);
          continue;
        }
      g_ptr_array_add (hosts, host);
    }

  g_task_return_pointer (task, g_steal_pointer (&hosts), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * burrow_engine_read_ssh_config_async:
 * @path: (nullable): the file; %NULL for ~/.ssh/config
 *
 * Reads the Host entries (patterns skipped, Include followed) as libssh
 * resolves them, in a worker thread.
 */
void
burrow_engine_read_ssh_config_async (BurrowEngine        *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadSshConfig *read;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_read_ssh_config_async);
  read = g_new0 (ReadSshConfig, 1);
  read->path = g_strdup (path);
  read->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_task_set_task_data (task, read, (GDestroyNotify)read_ssh_config_free);
  g_task_run_in_thread (task, read_ssh_config_thread);
}

/* Returns: (transfer full) (element-type BurrowSshConfigHost) */
GPtrArray *
burrow_engine_read_ssh_config_finish (BurrowEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}

/**
 * burrow_engine_read_ssh_config_get_skipped:
 * @result: the result read_ssh_config_finish() was given
 *
 * Returns: (transfer none) (element-type GError): why each Host entry
 *   that libssh could not resolve is not among the hosts, one error per
 *   entry naming it, with a hint; empty when every entry was read
 */
GPtrArray *
burrow_engine_read_ssh_config_get_skipped (BurrowEngine *self,
                                           GAsyncResult *result)
{
  ReadSshConfig *read;

  g_return_val_if_fail (BURROW_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == burrow_engine_read_ssh_config_async, NULL);

  read = g_task_get_task_data (G_TASK (result));
  return read->skipped;
}

static void
on_imported_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  BurrowConnection *connection;

  connection = burrow_engine_save_finish (BURROW_ENGINE (source), result, &error);
  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

/* The name of a new connection made from an alias: the alias, numbered
 * when a connection has it already. */
static char *
free_name (BurrowEngine *self,
           const char   *alias)
{
  char *name = g_strdup (alias);

  for (guint n = 2; burrow_profile_store_find_by_name (self->store, name) != NULL; n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %u", alias, n);
    }

  return name;
}

/**
 * burrow_engine_import_ssh_host_async:
 * @into: (nullable): the connection whose tunnel to set; %NULL makes a new
 *   connection named after the alias, to a database on the bastion itself
 *
 * Saves the tunnel settings of @host (bastion, port, user, key file, jump
 * hosts) into a connection, as a save does: the secrets the new sign-in
 * method does not use are forgotten. An entry with a ProxyCommand is
 * refused: Burrow does not run commands.
 */
void
burrow_engine_import_ssh_host_async (BurrowEngine              *self,
                                     const BurrowSshConfigHost *host,
                                     BurrowConnection          *into,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (into == NULL || BURROW_IS_CONNECTION (into));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_import_ssh_host_async);

  /* Applying the rest would make a tunnel that skips the proxy and
   * fails, or worse, reaches the bastion some other way. */
  if (host->proxy_command != NULL)
    {
      GError *error = NULL;

      burrow_set_error (&error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE,
                        _("Burrow does not run commands to reach a host. Use ProxyJump in that entry "
                          "if the proxy is an SSH host, or set the connection’s tunnel by hand."),
                        _("“%s” reaches its host through a ProxyCommand (%s)"), host->alias, host->proxy_command);
      g_task_return_error (task, error);
      return;
    }

  if (into != NULL)
    profile = burrow_profile_copy (burrow_connection_get_profile (into), FALSE);
  else
    {
      g_autofree char *name = free_name (self, host->alias);

      profile = burrow_profile_new ();
      burrow_profile_set_name (profile, name);
      burrow_profile_set_db_host (profile, "localhost");
    }

  burrow_ssh_config_host_apply (host, profile);
  credentials = burrow_credentials_new (profile);
  burrow_engine_save_async (self, credentials, cancellable, on_imported_saved, g_steal_pointer (&task));
}

/* Returns: (transfer full): the connection, as listed */
BurrowConnection *
burrow_engine_import_ssh_host_finish (BurrowEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}
