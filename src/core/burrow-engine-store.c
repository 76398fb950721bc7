/* burrow-engine-store.c — the engine's saves and removals: connections.ini
 * and the keyring, written in the order that loses nothing.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order of writes on a save is what keeps a failure from losing
 * anything: a new connection's secrets go first, then its entry in
 * connections.ini (a keyring that refuses leaves no entry without its
 * secrets; a file that refuses takes the secrets just written back out);
 * an existing connection's entry goes first, then its secrets, then the
 * secrets its sign-in no longer uses are forgotten (a file that refuses
 * leaves the old entry with the old secrets).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"
#include "burrow-secret-store.h"

#define N_SECRET_KINDS (BURROW_SECRET_KIND_LAST + 1)

/* ------------------------------------------------------------------ */
/* Keyring writes, one after another                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowSecretKind  kind;
  char             *value;   /* NULL: clear the item */
} SecretOp;

typedef struct
{
  char      *id;
  char      *name;
  GArray    *ops;       /* SecretOp, in order */
  guint      next;
  GArray    *written;   /* BurrowSecretKind stored so far */
} SecretOps;

static void
secret_op_clear (SecretOp *op)
{
  g_clear_pointer (&op->value, burrow_secret_wipe_free);
}

static void
secret_ops_free (SecretOps *ops)
{
  g_free (ops->id);
  g_free (ops->name);
  g_array_unref (ops->ops);
  g_array_unref (ops->written);
  g_free (ops);
}

static SecretOps *
secret_ops_new (BurrowProfile *profile)
{
  SecretOps *ops = g_new0 (SecretOps, 1);

  ops->id = g_strdup (burrow_profile_get_id (profile));
  ops->name = g_strdup (burrow_profile_get_name (profile));
  ops->ops = g_array_new (FALSE, TRUE, sizeof (SecretOp));
  g_array_set_clear_func (ops->ops, (GDestroyNotify)secret_op_clear);
  ops->written = g_array_new (FALSE, FALSE, sizeof (BurrowSecretKind));

  return ops;
}

static void
secret_ops_add (SecretOps        *ops,
                BurrowSecretKind  kind,
                const char       *value)
{
  SecretOp op = { kind, g_strdup (value) };

  g_array_append_val (ops->ops, op);
}

static void secret_ops_next (GTask *task);

static void
on_secret_op_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOps *ops = g_task_get_task_data (task);
  SecretOp *op = &g_array_index (ops->ops, SecretOp, ops->next);
  GError *error = NULL;
  gboolean done;

  done = op->value != NULL ? burrow_secret_store_store_finish (result, &error)
                           : burrow_secret_store_clear_finish (result, &error);
  if (!done)
    {
      g_task_return_error (task, error);
      return;
    }

  if (op->value != NULL)
    g_array_append_val (ops->written, op->kind);
  secret_op_clear (op);
  ops->next++;
  secret_ops_next (g_steal_pointer (&task));
}

static void
secret_ops_next (GTask *task)
{
  SecretOps *ops = g_task_get_task_data (task);
  SecretOp *op;

  if (ops->next == ops->ops->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  op = &g_array_index (ops->ops, SecretOp, ops->next);
  if (op->value != NULL)
    burrow_secret_store_store_async (ops->id, ops->name, op->kind, op->value,
                                     g_task_get_cancellable (task), on_secret_op_done, task);
  else
    burrow_secret_store_clear_async (ops->id, op->kind, g_task_get_cancellable (task),
                                     on_secret_op_done, task);
}

/* Runs @ops in order; the first failure stops the rest. Takes @ops. */
static GTask *
secret_ops_run (BurrowEngine        *self,
                SecretOps           *ops,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, secret_ops_run);
  g_task_set_task_data (task, ops, (GDestroyNotify)secret_ops_free);
  secret_ops_next (g_object_ref (task));

  return task;
}

/* ------------------------------------------------------------------ */
/* Saving and removing                                                 */
/* ------------------------------------------------------------------ */

typedef struct
{
  BurrowCredentials *credentials;
  gboolean           adding;
  char              *old_name;
  gboolean           secrets_given;
  SecretOps         *ops;       /* to write once the file is saved */
  GArray            *written;   /* BurrowSecretKind, for an undo */
  GError            *error;     /* kept while an undo runs */
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->credentials);
  g_free (save->old_name);
  g_clear_pointer (&save->ops, secret_ops_free);
  g_clear_pointer (&save->written, g_array_unref);
  g_clear_error (&save->error);
  g_free (save);
}

/* The secrets typed for @profile that its sign-in uses: each stored, or
 * cleared when given empty. */
static SecretOps *
given_secrets (BurrowCredentials *credentials,
               gboolean          *any)
{
  BurrowProfile *profile = burrow_credentials_get_profile (credentials);
  SecretOps *ops = secret_ops_new (profile);

  *any = FALSE;
  for (BurrowSecretKind kind = 0; kind < N_SECRET_KINDS; kind++)
    {
      const char *value;

      /* Burrow's own key belongs to the workspace, not to a connection. */
      if (kind == BURROW_SECRET_WORKSPACE_KEY || !burrow_credentials_has_secret (credentials, kind) ||
          !burrow_credentials_secret_applies (profile, kind))
        continue;

      value = burrow_credentials_get_secret (credentials, kind);
      secret_ops_add (ops, kind, value != NULL ? value : NULL);
      *any = TRUE;
    }

  return ops;
}

static void
save_done (GTask *task)
{
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  BurrowConnection *connection = burrow_engine_lookup (self, burrow_profile_get_id (profile));

  if (connection == NULL)
    {
      g_task_return_new_error (task, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
                               _("Another program removed the connection as it was saved"));
      return;
    }

  /* New secrets for a running tunnel take effect now; new settings do
   * through the profile's change (on_settings_check). */
  if (save->secrets_given && burrow_connection_get_tunnel (connection) != NULL)
    burrow_engine_restart_connection (self, connection);

  g_task_return_pointer (task, g_object_ref (connection), g_object_unref);
}

static void
on_save_relabelled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  if (!burrow_secret_store_relabel_finish (result, &error))
    {
      g_prefix_error (&error, _("“%s” was saved, but its keyring items keep the old name: "),
                      burrow_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  save_done (task);
}

/* Once the entry is saved, a keyring step (@result, of secret_ops_run())
 * that fails ends the save with an error that says the entry is saved
 * all the same. */
static gboolean
keyring_step_failed (GTask        *task,
                     GAsyncResult *result)
{
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    return FALSE;

  g_prefix_error (&error, _("“%s” was saved, but the keyring was not updated: "),
                  burrow_profile_get_name (burrow_credentials_get_profile (save->credentials)));
  g_task_return_error (task, error);
  return TRUE;
}

static void
on_save_forgotten (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);

  if (keyring_step_failed (task, result))
    return;

  if (!save->adding && g_strcmp0 (save->old_name, burrow_profile_get_name (profile)) != 0)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      burrow_secret_store_relabel_async (burrow_profile_get_id (profile), burrow_profile_get_name (profile),
                                         cancellable, on_save_relabelled, g_steal_pointer (&task));
      return;
    }

  save_done (task);
}

/* The secrets @profile's sign-in no longer uses: forgotten once the file
 * says so, never before (a save that fails would leave the old sign-in
 * without them). */
static void
forget_unused_secrets (BurrowEngine *self,
                       GTask        *task)
{
  Save *save = g_task_get_task_data (task);
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  SecretOps *ops = secret_ops_new (profile);
  static const BurrowSecretKind ssh_kinds[] = {
    BURROW_SECRET_SSH_PASSWORD, BURROW_SECRET_PRIVATE_KEY, BURROW_SECRET_KEY_PASSPHRASE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ssh_kinds); i++)
    if (!burrow_credentials_secret_applies (profile, ssh_kinds[i]))
      secret_ops_add (ops, ssh_kinds[i], NULL);

  g_object_unref (secret_ops_run (self, ops, g_task_get_cancellable (task), on_save_forgotten, task));
}

static void
on_save_secrets_stored (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);

  if (keyring_step_failed (task, result))
    return;

  forget_unused_secrets (self, g_steal_pointer (&task));
}

static void
on_save_undone (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GError) undo_error = NULL;

  /* The save's own error is the one to tell; an undo that failed too
   * leaves secrets that nothing refers to, which a later save of the same
   * id replaces. */
  if (!g_task_propagate_boolean (G_TASK (result), &undo_error))
    g_debug ("Could not take back the secrets of a connection that was not saved: %s", undo_error->message);

  g_task_return_error (task, g_steal_pointer (&save->error));
}

/* A new connection whose secrets were stored, or partly stored, and whose
 * entry could not be written: the secrets go again. */
static void
undo_new_secrets (BurrowEngine *self,
                  GTask        *task,
                  GArray       *written,
                  GError       *error)
{
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = secret_ops_new (burrow_credentials_get_profile (save->credentials));

  save->error = error;
  for (guint i = 0; written != NULL && i < written->len; i++)
    secret_ops_add (ops, g_array_index (written, BurrowSecretKind, i), NULL);

  /* Not cancellable: a cancelled save must not leave half its secrets. */
  g_object_unref (secret_ops_run (self, ops, NULL, on_save_undone, task));
}

static void
on_new_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      undo_new_secrets (self, g_steal_pointer (&task), save->written, error);
      return;
    }

  save_done (task);
}

static void
on_new_secrets_stored (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = g_task_get_task_data (G_TASK (result));
  BurrowProfile *profile = burrow_credentials_get_profile (save->credentials);
  GError *error = NULL;

  save->written = g_array_ref (ops->written);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      undo_new_secrets (self, g_steal_pointer (&task), save->written, error);
      return;
    }

  /* Not cancellable from here: the secrets are in, the entry must follow
   * or they must go again. */
  burrow_profile_store_save_async (self->store, profile, NULL, on_new_saved, g_steal_pointer (&task));
}

static void
on_existing_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowEngine *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  SecretOps *ops = g_steal_pointer (&save->ops);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      secret_ops_free (ops);
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_object_unref (secret_ops_run (self, ops, cancellable, on_save_secrets_stored, g_steal_pointer (&task)));
}

/**
 * burrow_engine_save_async:
 *
 * What `burrowctl add` and `edit` do: checks the profile against the
 * others, then writes it and its secrets in the order that loses nothing
 * when one of them fails, forgets the secrets the sign-in no longer
 * uses, and relabels the keyring's items after a rename.
 */
void
burrow_engine_save_async (BurrowEngine        *self,
                          BurrowCredentials   *credentials,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BurrowProfile *profile;
  BurrowProfile *existing;
  SecretOps *ops;
  GError *error = NULL;
  Save *save;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_save_async);

  profile = burrow_credentials_get_profile (credentials);
  existing = burrow_profile_store_lookup (self->store, burrow_profile_get_id (profile));

  save = g_new0 (Save, 1);
  save->credentials = g_object_ref (credentials);
  save->adding = existing == NULL;
  save->old_name = existing != NULL ? g_strdup (burrow_profile_get_name (existing)) : NULL;
  g_task_set_task_data (task, save, (GDestroyNotify)save_free);

  /* Checked before anything is written, so that a refused connection
   * leaves no secret behind. */
  if (!burrow_profile_store_check (self->store, profile, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ops = given_secrets (credentials, &save->secrets_given);

  if (save->adding)
    {
      g_object_unref (secret_ops_run (self, ops, cancellable, on_new_secrets_stored, g_steal_pointer (&task)));
      return;
    }

  save->ops = ops;
  burrow_profile_store_save_async (self->store, profile, cancellable, on_existing_saved, g_steal_pointer (&task));
}

/* Returns: (transfer full): the saved connection, as listed */
BurrowConnection *
burrow_engine_save_finish (BurrowEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}

static void
on_removed_secrets_cleared (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_engine_forget_secrets_finish (BURROW_ENGINE (source), result, &error))
    {
      g_prefix_error (&error, _("“%s” was removed, but its secrets are still in the keyring: "),
                      (const char *)g_object_get_data (G_OBJECT (task), "burrow-name"));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_profile_store_remove_finish (BURROW_PROFILE_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The entry first: a keyring that fails then leaves secrets nothing
   * refers to, and the error says so; never an entry without them. */
  if (g_task_get_task_data (task) != NULL)
    {
      BurrowEngine *self = g_task_get_source_object (task);
      GCancellable *cancellable = g_task_get_cancellable (task);
      const char *id = g_task_get_task_data (task);

      burrow_engine_forget_secrets_async (self, id, cancellable, on_removed_secrets_cleared, g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * burrow_engine_remove_async:
 *
 * Stops @connection, removes it from connections.ini and, unless
 * @flags keep them for an undo, its secrets from the keyring.
 */
void
burrow_engine_remove_async (BurrowEngine            *self,
                            BurrowConnection        *connection,
                            BurrowEngineRemoveFlags  flags,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_remove_async);

  id = g_strdup (burrow_connection_get_id (connection));
  burrow_engine_stop_connection (self, connection);

  if ((flags & BURROW_ENGINE_REMOVE_KEEP_SECRETS) == 0)
    g_task_set_task_data (task, g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (task), "burrow-name", g_strdup (burrow_connection_get_name (connection)), g_free);

  burrow_profile_store_remove_async (self->store, id, cancellable, on_removed, g_steal_pointer (&task));
}

gboolean
burrow_engine_remove_finish (BurrowEngine  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}

static void
on_secrets_forgotten (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_secret_store_clear_all_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Ends what a remove with KEEP_SECRETS kept: every secret of the
 * connection with @connection_id. */
void
burrow_engine_forget_secrets_async (BurrowEngine        *self,
                                    const char          *connection_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_forget_secrets_async);

  burrow_secret_store_clear_all_async (connection_id, cancellable, on_secrets_forgotten, g_steal_pointer (&task));
}

gboolean
burrow_engine_forget_secrets_finish (BurrowEngine  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return burrow_engine_finish_boolean (self, result, error);
}
