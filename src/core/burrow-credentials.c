/* burrow-credentials.c — what a connection needs to sign in, from the keyring.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-credentials.h"
#include "burrow-error.h"
#include "burrow-identity.h"
#include "burrow-shell.h"

struct _BurrowCredentials
{
  GObject        parent_instance;

  BurrowProfile *profile;
  char          *secrets[BURROW_SECRET_KIND_LAST + 1];
};

G_DEFINE_FINAL_TYPE (BurrowCredentials, burrow_credentials, G_TYPE_OBJECT)

/* What one load still has to look up, in order. */
typedef struct
{
  BurrowCredentials *credentials;
  GArray            *pending;   /* BurrowSecretKind */
} Load;

static void load_next (GTask *task);

static void
load_free (Load *load)
{
  g_clear_object (&load->credentials);
  g_array_unref (load->pending);
  g_free (load);
}

/* The secrets a profile's choices call for; a missing one is not an error
 * here (the analyst may sign in without a passphrase, or test before
 * storing the database password): whoever needs it says so. */
static GArray *
secrets_needed (BurrowProfile *profile)
{
  GArray *kinds = g_array_new (FALSE, FALSE, sizeof (BurrowSecretKind));
  BurrowSecretKind kind;

  kind = BURROW_SECRET_DB_PASSWORD;
  g_array_append_val (kinds, kind);

  if (!burrow_profile_get_tunnel_enabled (profile))
    return kinds;

  switch (burrow_profile_get_ssh_auth (profile))
    {
    case BURROW_PROFILE_AUTH_PASSWORD:
      kind = BURROW_SECRET_SSH_PASSWORD;
      g_array_append_val (kinds, kind);
      break;

    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      kind = BURROW_SECRET_PRIVATE_KEY;
      g_array_append_val (kinds, kind);
      G_GNUC_FALLTHROUGH;

    case BURROW_PROFILE_AUTH_KEY_FILE:
      kind = BURROW_SECRET_KEY_PASSPHRASE;
      g_array_append_val (kinds, kind);
      break;

    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      kind = BURROW_SECRET_WORKSPACE_KEY;
      g_array_append_val (kinds, kind);
      break;

    case BURROW_PROFILE_AUTH_AGENT:
    default:
      break;
    }

  return kinds;
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  identity = burrow_identity_load_finish (result, &error);
  if (identity == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The engine signs in with key text, as it does with a pasted key. */
  text = burrow_identity_dup_private_key_text (identity);
  if (text == NULL)
    {
      burrow_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                        _("Rotate Burrow’s key, then install the new public key on the bastion."),
                        _("Burrow’s own key could not be read from the keyring."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  burrow_credentials_set_secret (load->credentials, BURROW_SECRET_WORKSPACE_KEY, text);
  burrow_secret_wipe_free (text);

  load_next (g_steal_pointer (&task));
}

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BurrowSecretKind kind;
  char *secret;

  secret = burrow_secret_store_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kind = g_array_index (load->pending, BurrowSecretKind, 0);
  g_array_remove_index (load->pending, 0);
  burrow_credentials_set_secret (load->credentials, kind, secret);
  burrow_secret_free (secret);

  load_next (g_steal_pointer (&task));
}

static void
load_next (GTask *task)
{
  Load *load = g_task_get_task_data (task);
  BurrowSecretKind kind;

  if (load->pending->len == 0)
    {
      g_task_return_pointer (task, g_object_ref (load->credentials), g_object_unref);
      g_object_unref (task);
      return;
    }

  kind = g_array_index (load->pending, BurrowSecretKind, 0);

  /* Burrow's own key is made on first use, which the identity does. */
  if (kind == BURROW_SECRET_WORKSPACE_KEY)
    {
      g_array_remove_index (load->pending, 0);
      burrow_identity_load_async (g_task_get_cancellable (task), on_identity_loaded, task);
      return;
    }

  burrow_secret_store_lookup_async (burrow_profile_get_id (load->credentials->profile), kind,
                                    g_task_get_cancellable (task),
                                    on_secret_looked_up, task);
}

static void
burrow_credentials_finalize (GObject *object)
{
  BurrowCredentials *self = (BurrowCredentials *)object;

  for (guint i = 0; i < G_N_ELEMENTS (self->secrets); i++)
    g_clear_pointer (&self->secrets[i], burrow_secret_wipe_free);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (burrow_credentials_parent_class)->finalize (object);
}

static void
burrow_credentials_class_init (BurrowCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = burrow_credentials_finalize;
}

static void
burrow_credentials_init (BurrowCredentials *self)
{
}

/* Credentials with no secrets yet: for callers that hold them already. */
BurrowCredentials *
burrow_credentials_new (BurrowProfile *profile)
{
  BurrowCredentials *self;

  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  self = g_object_new (BURROW_TYPE_CREDENTIALS, NULL);
  self->profile = g_object_ref (profile);

  return self;
}

void
burrow_credentials_load_async (BurrowProfile       *profile,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (BURROW_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_credentials_load_async);

  load = g_new0 (Load, 1);
  load->credentials = burrow_credentials_new (profile);
  load->pending = secrets_needed (profile);
  g_task_set_task_data (task, load, (GDestroyNotify)load_free);

  load_next (g_steal_pointer (&task));
}

BurrowCredentials *
burrow_credentials_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BurrowProfile *
burrow_credentials_get_profile (BurrowCredentials *self)
{
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), NULL);

  return self->profile;
}

/* NULL when the keyring holds none. */
const char *
burrow_credentials_get_secret (BurrowCredentials *self,
                               BurrowSecretKind   kind)
{
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (kind <= BURROW_SECRET_KIND_LAST, NULL);

  return self->secrets[kind];
}

void
burrow_credentials_set_secret (BurrowCredentials *self,
                               BurrowSecretKind   kind,
                               const char        *secret)
{
  g_return_if_fail (BURROW_IS_CREDENTIALS (self));
  g_return_if_fail (kind <= BURROW_SECRET_KIND_LAST);

  g_clear_pointer (&self->secrets[kind], burrow_secret_wipe_free);
  if (secret != NULL && secret[0] != '\0')
    self->secrets[kind] = g_strdup (secret);
}

static gboolean
require_secret (BurrowCredentials  *self,
                BurrowSecretKind    kind,
                GError            **error)
{
  const char *name = burrow_profile_get_name (self->profile);
  g_autofree char *word = burrow_shell_word (name);
  g_autofree char *hint = NULL;

  if (self->secrets[kind] != NULL)
    return TRUE;

  switch (kind)
    {
    case BURROW_SECRET_SSH_PASSWORD:
      hint = g_strdup_printf (_("Store it with “burrowctl edit %s --ssh-secret-file -”, or in the connection’s page."), word);
      burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, hint,
                        _("No SSH password is stored for “%s”."), name);
      break;

    case BURROW_SECRET_WORKSPACE_KEY:
      burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                        _("Rotate Burrow’s key, then install the new public key on the bastion (“burrowctl guide”)."),
                        _("Burrow’s own key is missing from the keyring."));
      break;

    case BURROW_SECRET_PRIVATE_KEY:
    default:
      hint = g_strdup_printf (_("Paste the key again with “burrowctl edit %s --ssh-private-key-file FILE”, or in the connection’s page."), word);
      burrow_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, hint,
                        _("No private key is stored for “%s”."), name);
      break;
    }

  return FALSE;
}

/* The chain to the profile's bastion, through its jump hosts, signing in as
 * the profile says with the secrets loaded. It does nothing until held. */
BurrowSshChain *
burrow_credentials_build_chain (BurrowCredentials  *self,
                                GError            **error)
{
  BurrowProfile *profile;
  g_autoptr(BurrowSshChain) chain = NULL;
  const char * const *jumps;
  const char *passphrase;
  g_autoptr(BurrowSshAuth) auth = NULL;

  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (burrow_profile_get_tunnel_enabled (self->profile), NULL);

  profile = self->profile;
  passphrase = self->secrets[BURROW_SECRET_KEY_PASSPHRASE];

  chain = burrow_ssh_chain_new (burrow_profile_get_ssh_host (profile),
                                burrow_profile_get_ssh_port (profile),
                                burrow_profile_get_ssh_user (profile));

  jumps = burrow_profile_get_jump_hosts (profile);
  if (jumps != NULL && jumps[0] != NULL &&
      !burrow_ssh_chain_set_jump_hosts (chain, jumps, error))
    return NULL;

  switch (burrow_profile_get_ssh_auth (profile))
    {
    case BURROW_PROFILE_AUTH_KEY_FILE:
      burrow_ssh_chain_set_auth (chain, auth = burrow_ssh_auth_new_key_file (burrow_profile_get_ssh_key_file (profile), passphrase));
      break;

    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      if (!require_secret (self, BURROW_SECRET_PRIVATE_KEY, error))
        return NULL;
      burrow_ssh_chain_set_auth (chain, auth = burrow_ssh_auth_new_private_key (self->secrets[BURROW_SECRET_PRIVATE_KEY], passphrase));
      break;

    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      if (!require_secret (self, BURROW_SECRET_WORKSPACE_KEY, error))
        return NULL;
      burrow_ssh_chain_set_auth (chain, auth = burrow_ssh_auth_new_private_key (self->secrets[BURROW_SECRET_WORKSPACE_KEY], NULL));
      break;

    case BURROW_PROFILE_AUTH_AGENT:
      burrow_ssh_chain_set_auth (chain, auth = burrow_ssh_auth_new_agent ());
      break;

    case BURROW_PROFILE_AUTH_PASSWORD:
      if (!require_secret (self, BURROW_SECRET_SSH_PASSWORD, error))
        return NULL;
      burrow_ssh_chain_set_auth (chain, auth = burrow_ssh_auth_new_password (self->secrets[BURROW_SECRET_SSH_PASSWORD]));
      break;

    default:
      g_assert_not_reached ();
    }

  /* 0 turns keepalives off; the number of misses is the engine's default. */
  burrow_ssh_chain_set_keepalive (chain, burrow_profile_get_keepalive_interval (profile), 3);

  return g_steal_pointer (&chain);
}
