/* burrow-ssh-auth.c — how to sign in to an SSH server, held once.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-enum.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-auth.h"

struct _BurrowSshAuth
{
  gatomicrefcount      ref_count;
  BurrowSshAuthMethod  method;
  char                *key_file;
  char                *private_key;   /* a secret: the key itself */
  char                *secret;        /* the passphrase or the password */
  char                *sharing_key;
  BurrowAskFunc        ask_func;
  gpointer             ask_data;
  GDestroyNotify       ask_destroy;
};

G_DEFINE_ENUM_TYPE (BurrowSshAuthMethod, burrow_ssh_auth_method,
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_AUTH_KEY_FILE, "key-file"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_AUTH_PRIVATE_KEY, "private-key"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_AUTH_AGENT, "agent"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_AUTH_PASSWORD, "password"))

G_DEFINE_BOXED_TYPE (BurrowSshAuth, burrow_ssh_auth, burrow_ssh_auth_ref, burrow_ssh_auth_unref)

/* Two sessions may share one SSH connection only when they would sign in
 * the same way: otherwise the second would silently use the first one's
 * key or password, and a stale secret would fail them both. The secrets go
 * in as a hash salted per process, never as text. */
static char *
make_sharing_key (const BurrowSshAuth *self)
{
  static char salt[33];
  static gsize salt_made;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  if (g_once_init_enter (&salt_made))
    {
      g_snprintf (salt, sizeof salt, "%08x%08x%08x%08x",
                  g_random_int (), g_random_int (), g_random_int (), g_random_int ());
      g_once_init_leave (&salt_made, 1);
    }

  g_checksum_update (checksum, (const guchar *)salt, -1);
  g_checksum_update (checksum, (const guchar *)(self->secret != NULL ? self->secret : ""), -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)(self->private_key != NULL ? self->private_key : ""), -1);

  return g_strdup_printf ("%s:%s:%s",
                          burrow_enum_to_id (BURROW_TYPE_SSH_AUTH_METHOD, self->method),
                          self->key_file != NULL ? self->key_file : "",
                          g_checksum_get_string (checksum));
}

static BurrowSshAuth *
auth_new (BurrowSshAuthMethod  method,
          const char          *key_file,
          const char          *private_key,
          const char          *secret)
{
  BurrowSshAuth *self = g_new0 (BurrowSshAuth, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->method = method;
  self->key_file = g_strdup (key_file);
  self->private_key = g_strdup (private_key);
  self->secret = g_strdup (secret);
  self->sharing_key = make_sharing_key (self);

  return self;
}

/**
 * burrow_ssh_auth_new_key_file:
 * @path: the private key file; it is read (and decrypted, in a worker
 *   thread) each time a session connects
 * @passphrase: (nullable): its passphrase; %NULL asks for it when the key
 *   turns out to be encrypted
 */
BurrowSshAuth *
burrow_ssh_auth_new_key_file (const char *path,
                              const char *passphrase)
{
  g_return_val_if_fail (path != NULL, NULL);

  return auth_new (BURROW_SSH_AUTH_KEY_FILE, path, NULL, passphrase);
}

/**
 * burrow_ssh_auth_new_private_key:
 * @text: the key's text (OpenSSH or PEM)
 * @passphrase: (nullable): as for burrow_ssh_auth_new_key_file()
 */
BurrowSshAuth *
burrow_ssh_auth_new_private_key (const char *text,
                                 const char *passphrase)
{
  g_return_val_if_fail (text != NULL, NULL);

  return auth_new (BURROW_SSH_AUTH_PRIVATE_KEY, NULL, text, passphrase);
}

BurrowSshAuth *
burrow_ssh_auth_new_agent (void)
{
  return auth_new (BURROW_SSH_AUTH_AGENT, NULL, NULL, NULL);
}

/**
 * burrow_ssh_auth_new_password:
 *
 * For the "password" method, or the password prompt of
 * "keyboard-interactive" when the server offers only that (a PAM stack).
 * Every other prompt is asked.
 */
BurrowSshAuth *
burrow_ssh_auth_new_password (const char *password)
{
  g_return_val_if_fail (password != NULL, NULL);

  return auth_new (BURROW_SSH_AUTH_PASSWORD, NULL, NULL, password);
}

BurrowSshAuth *
burrow_ssh_auth_ref (BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
burrow_ssh_auth_unref (BurrowSshAuth *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->ask_destroy != NULL)
    self->ask_destroy (self->ask_data);
  g_free (self->key_file);
  g_clear_pointer (&self->private_key, burrow_secret_wipe_free);
  g_clear_pointer (&self->secret, burrow_secret_wipe_free);
  g_free (self->sharing_key);
  g_free (self);
}

/**
 * burrow_ssh_auth_set_ask_func:
 * @func: (nullable): answers the questions a sign-in meets, now or later
 *
 * Set it before the auth is handed to a session or a chain; it is called
 * on the thread that runs them.
 */
void
burrow_ssh_auth_set_ask_func (BurrowSshAuth  *self,
                              BurrowAskFunc   func,
                              gpointer        user_data,
                              GDestroyNotify  destroy)
{
  g_return_if_fail (self != NULL);

  if (self->ask_destroy != NULL)
    self->ask_destroy (self->ask_data);
  self->ask_func = func;
  self->ask_data = user_data;
  self->ask_destroy = destroy;
}

BurrowSshAuthMethod
burrow_ssh_auth_get_method (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, BURROW_SSH_AUTH_AGENT);

  return self->method;
}

const char *
burrow_ssh_auth_get_key_file (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->key_file;
}

const char *
burrow_ssh_auth_get_private_key (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->private_key;
}

/* The key's passphrase, or the password; %NULL when none was given. */
const char *
burrow_ssh_auth_get_secret (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->secret;
}

/**
 * burrow_ssh_auth_get_sharing_key:
 *
 * Returns: text that is the same for two auths exactly when they sign in
 * alike (method, key file, and a salted hash of the secrets — never a
 * secret itself)
 */
const char *
burrow_ssh_auth_get_sharing_key (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->sharing_key;
}

gboolean
burrow_ssh_auth_can_ask (const BurrowSshAuth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->ask_func != NULL;
}

/* Hands @question to the ask func, or cancels it when there is none. */
void
burrow_ssh_auth_ask (const BurrowSshAuth *self,
                     BurrowQuestion      *question)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (BURROW_IS_QUESTION (question));

  if (self->ask_func != NULL)
    self->ask_func (question, self->ask_data);
  else
    burrow_question_cancel (question);
}
