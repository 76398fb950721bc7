/* burrow-credentials.c — a profile and the secrets it signs in with.
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

#define N_KINDS (BURROW_SECRET_KIND_LAST + 1)

/* How many keepalives may go unanswered before the session counts as
 * lost; the interval is the profile's. */
#define KEEPALIVE_MISSES 3

/* The ask function, shared by every chain built from these credentials
 * (and by every session of each chain), for as long as the last of them
 * lives. */
typedef struct
{
  gatomicrefcount  ref_count;
  BurrowAskFunc    func;
  gpointer         data;
  GDestroyNotify   destroy;
} Asker;

struct _BurrowCredentials
{
  GObject        parent_instance;

  BurrowProfile *profile;
  char          *secrets[N_KINDS];
  gboolean       given[N_KINDS];
  Asker         *asker;
};

G_DEFINE_FINAL_TYPE (BurrowCredentials, burrow_credentials, G_TYPE_OBJECT)

static Asker *
asker_ref (Asker *asker)
{
  g_atomic_ref_count_inc (&asker->ref_count);
  return asker;
}

static void
asker_unref (Asker *asker)
{
  if (asker == NULL || !g_atomic_ref_count_dec (&asker->ref_count))
    return;

  if (asker->destroy != NULL)
    asker->destroy (asker->data);
  g_free (asker);
}

/* What one fill still has to look up, in order. */
typedef struct
{
  GArray *pending;   /* BurrowSecretKind */
} Fill;

static void fill_next (GTask *task);

static void
fill_free (Fill *fill)
{
  g_array_unref (fill->pending);
  g_free (fill);
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowCredentials *self = g_task_get_source_object (task);
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

  burrow_credentials_set_secret (self, BURROW_SECRET_WORKSPACE_KEY, text);
  burrow_secret_wipe_free (text);

  fill_next (g_steal_pointer (&task));
}

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowCredentials *self = g_task_get_source_object (task);
  Fill *fill = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BurrowSecretKind kind;
  char *secret;

  secret = burrow_secret_store_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kind = g_array_index (fill->pending, BurrowSecretKind, 0);
  g_array_remove_index (fill->pending, 0);

  /* Typed in meanwhile: what a person typed wins over the keyring. */
  if (!self->given[kind])
    burrow_credentials_set_secret (self, kind, secret != NULL ? secret : "");
  burrow_secret_free (secret);

  fill_next (g_steal_pointer (&task));
}

static void
fill_next (GTask *task)
{
  BurrowCredentials *self = g_task_get_source_object (task);
  Fill *fill = g_task_get_task_data (task);
  BurrowSecretKind kind;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (fill->pending->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  kind = g_array_index (fill->pending, BurrowSecretKind, 0);

  /* Burrow's own key is made on first use, which the identity does. */
  if (kind == BURROW_SECRET_WORKSPACE_KEY)
    {
      g_array_remove_index (fill->pending, 0);
      burrow_identity_load_async (g_task_get_cancellable (task), on_identity_loaded, task);
      return;
    }

  burrow_secret_store_lookup_async (burrow_profile_get_id (self->profile), kind,
                                    g_task_get_cancellable (task),
                                    on_secret_looked_up, task);
}

static void
burrow_credentials_finalize (GObject *object)
{
  BurrowCredentials *self = (BurrowCredentials *)object;

  for (guint i = 0; i < N_KINDS; i++)
    g_clear_pointer (&self->secrets[i], burrow_secret_wipe_free);
  g_clear_pointer (&self->asker, asker_unref);
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

/**
 * burrow_credentials_secret_applies:
 *
 * Whether @profile's sign-in method has a use for secrets of @kind at all:
 * the ones it does not are forgotten when the profile is saved. The SSH
 * secrets stay while the tunnel is only switched off, so that switching
 * it on again finds them.
 */
gboolean
burrow_credentials_secret_applies (BurrowProfile    *profile,
                                   BurrowSecretKind  kind)
{
  BurrowProfileAuth auth;

  g_return_val_if_fail (BURROW_IS_PROFILE (profile), FALSE);

  auth = burrow_profile_get_ssh_auth (profile);

  switch (kind)
    {
    case BURROW_SECRET_SSH_PASSWORD:
      return auth == BURROW_PROFILE_AUTH_PASSWORD;
    case BURROW_SECRET_PRIVATE_KEY:
      return auth == BURROW_PROFILE_AUTH_PRIVATE_KEY;
    case BURROW_SECRET_KEY_PASSPHRASE:
      return auth == BURROW_PROFILE_AUTH_PRIVATE_KEY || auth == BURROW_PROFILE_AUTH_KEY_FILE;
    case BURROW_SECRET_WORKSPACE_KEY:
      return auth == BURROW_PROFILE_AUTH_WORKSPACE_KEY;
    case BURROW_SECRET_DB_PASSWORD:
    default:
      return TRUE;
    }
}

/**
 * burrow_credentials_secret_needed:
 *
 * Whether connecting as @profile says now uses secrets of @kind: the ones
 * that apply, the SSH ones only with the tunnel on. A missing one is not
 * an error (a key without a passphrase, a database without a password):
 * whoever needs it says so.
 */
gboolean
burrow_credentials_secret_needed (BurrowProfile    *profile,
                                  BurrowSecretKind  kind)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), FALSE);

  if (kind != BURROW_SECRET_DB_PASSWORD && !burrow_profile_get_tunnel_enabled (profile))
    return FALSE;

  return burrow_credentials_secret_applies (profile, kind);
}

/* Credentials with no secret given yet. */
BurrowCredentials *
burrow_credentials_new (BurrowProfile *profile)
{
  BurrowCredentials *self;

  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  self = g_object_new (BURROW_TYPE_CREDENTIALS, NULL);
  self->profile = g_object_ref (profile);

  return self;
}

/**
 * burrow_credentials_fill_async:
 *
 * Looks up in the keyring every secret @self's profile needs and that was
 * not given; Burrow's own key is made on first use. A secret the keyring
 * does not hold becomes given empty.
 */
void
burrow_credentials_fill_async (BurrowCredentials   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fill *fill;

  g_return_if_fail (BURROW_IS_CREDENTIALS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_credentials_fill_async);

  fill = g_new0 (Fill, 1);
  fill->pending = g_array_new (FALSE, FALSE, sizeof (BurrowSecretKind));
  for (BurrowSecretKind kind = 0; kind < N_KINDS; kind++)
    if (!self->given[kind] && burrow_credentials_secret_needed (self->profile, kind))
      g_array_append_val (fill->pending, kind);
  g_task_set_task_data (task, fill, (GDestroyNotify)fill_free);

  fill_next (g_steal_pointer (&task));
}

gboolean
burrow_credentials_fill_finish (BurrowCredentials  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!burrow_credentials_fill_finish (BURROW_CREDENTIALS (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

/* New credentials for @profile, filled from the keyring. */
void
burrow_credentials_load_async (BurrowProfile       *profile,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(BurrowCredentials) credentials = NULL;
  GTask *task;

  g_return_if_fail (BURROW_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_credentials_load_async);

  credentials = burrow_credentials_new (profile);
  burrow_credentials_fill_async (credentials, cancellable, on_loaded, task);
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

/* Whether the secret was given, or filled: also when given empty. */
gboolean
burrow_credentials_has_secret (BurrowCredentials *self,
                               BurrowSecretKind   kind)
{
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (kind < N_KINDS, FALSE);

  return self->given[kind];
}

/* The secret, %NULL when it was not given or given empty. */
const char *
burrow_credentials_get_secret (BurrowCredentials *self,
                               BurrowSecretKind   kind)
{
  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (kind < N_KINDS, NULL);

  return self->secrets[kind];
}

/**
 * burrow_credentials_set_secret:
 * @secret: (nullable): the secret; "" to give it empty (saving clears the
 *   keyring's item); %NULL to make it not given again
 */
void
burrow_credentials_set_secret (BurrowCredentials *self,
                               BurrowSecretKind   kind,
                               const char        *secret)
{
  g_return_if_fail (BURROW_IS_CREDENTIALS (self));
  g_return_if_fail (kind < N_KINDS);

  g_clear_pointer (&self->secrets[kind], burrow_secret_wipe_free);
  self->given[kind] = secret != NULL;
  if (secret != NULL && secret[0] != '\0')
    {
      burrow_secret_protect_process ();
      self->secrets[kind] = g_strdup (secret);
    }
}

/**
 * burrow_credentials_set_ask_func:
 * @func: (nullable): answers the questions the chains' sessions meet while
 *   signing in (a one-time code, a passphrase that is not stored)
 *
 * For the chains built after this call.
 */
void
burrow_credentials_set_ask_func (BurrowCredentials *self,
                                 BurrowAskFunc      func,
                                 gpointer           user_data,
                                 GDestroyNotify     destroy)
{
  g_return_if_fail (BURROW_IS_CREDENTIALS (self));

  g_clear_pointer (&self->asker, asker_unref);
  if (func == NULL)
    return;

  self->asker = g_new0 (Asker, 1);
  g_atomic_ref_count_init (&self->asker->ref_count);
  self->asker->func = func;
  self->asker->data = user_data;
  self->asker->destroy = destroy;
}

static gboolean
require_secret (BurrowCredentials  *self,
                BurrowSecretKind    kind,
                GError            **error)
{
  const char *name = burrow_profile_get_name (self->profile);
  g_autofree char *word = burrow_shell_word (name != NULL ? name : "");
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

static void
on_ask (BurrowQuestion *question,
        gpointer        user_data)
{
  Asker *asker = user_data;

  asker->func (question, asker->data);
}

/* The one place where a profile's sign-in method becomes the chain's: the
 * secrets were checked by the caller. */
static void
set_chain_auth (BurrowCredentials *self,
                BurrowSshChain    *chain)
{
  const char *passphrase = self->secrets[BURROW_SECRET_KEY_PASSPHRASE];
  g_autoptr(BurrowSshAuth) auth = NULL;

  switch (burrow_profile_get_ssh_auth (self->profile))
    {
    case BURROW_PROFILE_AUTH_KEY_FILE:
      auth = burrow_ssh_auth_new_key_file (burrow_profile_get_ssh_key_file (self->profile), passphrase);
      break;

    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      auth = burrow_ssh_auth_new_private_key (self->secrets[BURROW_SECRET_PRIVATE_KEY], passphrase);
      break;

    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      auth = burrow_ssh_auth_new_private_key (self->secrets[BURROW_SECRET_WORKSPACE_KEY], NULL);
      break;

    case BURROW_PROFILE_AUTH_AGENT:
      auth = burrow_ssh_auth_new_agent ();
      break;

    case BURROW_PROFILE_AUTH_PASSWORD:
      auth = burrow_ssh_auth_new_password (self->secrets[BURROW_SECRET_SSH_PASSWORD]);
      break;

    default:
      g_assert_not_reached ();
    }

  if (self->asker != NULL)
    burrow_ssh_auth_set_ask_func (auth, on_ask, asker_ref (self->asker), (GDestroyNotify)asker_unref);
  burrow_ssh_chain_set_auth (chain, auth);
}

/**
 * burrow_credentials_build_chain:
 *
 * The chain to the profile's bastion, through its jump hosts, signing in
 * as the profile says with the secrets held, and keeping alive as it says.
 * It does nothing until held.
 *
 * Returns: (transfer full): the chain, or %NULL when the profile has no
 *   tunnel or a secret it cannot do without is missing
 */
BurrowSshChain *
burrow_credentials_build_chain (BurrowCredentials  *self,
                                GError            **error)
{
  BurrowProfile *profile;
  g_autoptr(BurrowSshChain) chain = NULL;
  const char * const *jumps;
  const char *host;
  const char *user;

  g_return_val_if_fail (BURROW_IS_CREDENTIALS (self), NULL);

  profile = self->profile;
  host = burrow_profile_get_ssh_host (profile);
  user = burrow_profile_get_ssh_user (profile);

  if (!burrow_profile_get_tunnel_enabled (profile) || host == NULL || *host == '\0' || user == NULL || *user == '\0')
    {
      burrow_set_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_SSH_HOST,
                        _("Turn the SSH tunnel on, and fill in the bastion host and the user to sign in as."),
                        _("“%s” has no SSH tunnel"), burrow_profile_get_name (profile));
      return NULL;
    }

  switch (burrow_profile_get_ssh_auth (profile))
    {
    case BURROW_PROFILE_AUTH_PRIVATE_KEY:
      if (!require_secret (self, BURROW_SECRET_PRIVATE_KEY, error))
        return NULL;
      break;
    case BURROW_PROFILE_AUTH_WORKSPACE_KEY:
      if (!require_secret (self, BURROW_SECRET_WORKSPACE_KEY, error))
        return NULL;
      break;
    case BURROW_PROFILE_AUTH_PASSWORD:
      if (!require_secret (self, BURROW_SECRET_SSH_PASSWORD, error))
        return NULL;
      break;
    case BURROW_PROFILE_AUTH_KEY_FILE:
      if (burrow_profile_get_ssh_key_file (profile) == NULL)
        {
          burrow_set_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_SSH_KEY_FILE,
                            _("Choose the private key file to sign in with."),
                            _("“%s” has no SSH key file set"), burrow_profile_get_name (profile));
          return NULL;
        }
      break;
    case BURROW_PROFILE_AUTH_AGENT:
    default:
      break;
    }

  chain = burrow_ssh_chain_new (host, burrow_profile_get_ssh_port (profile), user);

  jumps = burrow_profile_get_jump_hosts (profile);
  if (jumps != NULL && jumps[0] != NULL &&
      !burrow_ssh_chain_set_jump_hosts (chain, jumps, error))
    return NULL;

  set_chain_auth (self, chain);

  /* 0 turns keepalives off, as the profile's hint says. */
  burrow_ssh_chain_set_keepalive (chain, burrow_profile_get_keepalive_interval (profile), KEEPALIVE_MISSES);

  return g_steal_pointer (&chain);
}
