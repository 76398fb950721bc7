/* burrow-host-key.c — a host key a server showed, and Burrow's verdict on it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "burrow-error.h"
#include "burrow-host-key.h"
#include "burrow-ssh-error.h"

struct _BurrowHostKey
{
  GObject              parent_instance;

  char                *host;
  guint16              port;
  ssh_key              key;
  char                *key_type;
  char                *fingerprint;
  char                *known_fingerprint;
  char                *known_hosts_file;
  BurrowHostKeyStatus  status;
};

G_DEFINE_ENUM_TYPE (BurrowHostKeyStatus, burrow_host_key_status,
                    G_DEFINE_ENUM_VALUE (BURROW_HOST_KEY_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (BURROW_HOST_KEY_TRUSTED, "trusted"),
                    G_DEFINE_ENUM_VALUE (BURROW_HOST_KEY_CHANGED, "changed"),
                    G_DEFINE_ENUM_VALUE (BURROW_HOST_KEY_REVOKED, "revoked"))

G_DEFINE_FINAL_TYPE (BurrowHostKey, burrow_host_key, G_TYPE_OBJECT)

static void
burrow_host_key_finalize (GObject *object)
{
  BurrowHostKey *self = (BurrowHostKey *)object;

  g_free (self->host);
  g_clear_pointer (&self->key, ssh_key_free);
  g_free (self->key_type);
  g_free (self->fingerprint);
  g_free (self->known_fingerprint);
  g_free (self->known_hosts_file);

  G_OBJECT_CLASS (burrow_host_key_parent_class)->finalize (object);
}

static void
burrow_host_key_class_init (BurrowHostKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = burrow_host_key_finalize;
}

static void
burrow_host_key_init (BurrowHostKey *self)
{
}

/**
 * burrow_host_key_new:
 * @key: the server's public key; the object keeps a copy
 * @known_fingerprint: (nullable): the recorded key's, when it changed
 * @known_hosts_file: (nullable): where trust() records it; %NULL for
 *   Burrow's own known_hosts
 */
BurrowHostKey *
burrow_host_key_new (const char          *host,
                     guint16              port,
                     ssh_key              key,
                     BurrowHostKeyStatus  status,
                     const char          *known_fingerprint,
                     const char          *known_hosts_file)
{
  BurrowHostKey *self;
  const char *type;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (BURROW_TYPE_HOST_KEY, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->key = ssh_key_dup (key);
  type = ssh_key_type_to_char (ssh_key_type (key));
  self->key_type = g_strdup (type != NULL ? type : "unknown");
  self->fingerprint = burrow_host_keys_fingerprint (key);
  self->status = status;
  self->known_fingerprint = g_strdup (known_fingerprint);
  self->known_hosts_file = g_strdup (known_hosts_file);

  return self;
}

const char *
burrow_host_key_get_host (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return self->host;
}

guint16
burrow_host_key_get_port (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), 0);

  return self->port;
}

/* "bastion.example.com", or "[bastion.example.com]:2222" off port 22: the
 * way known_hosts and OpenSSH's own messages name it. */
char *
burrow_host_key_dup_address (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return burrow_host_keys_format_host (self->host, self->port);
}

/* "ssh-ed25519", "ecdsa-sha2-nistp256", … */
const char *
burrow_host_key_get_key_type (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return self->key_type;
}

/* "SHA256:…", as `ssh-keygen -lf` prints it. */
const char *
burrow_host_key_get_fingerprint (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return self->fingerprint;
}

/* The recorded key's fingerprint when the key changed, %NULL otherwise. */
const char *
burrow_host_key_get_known_fingerprint (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return self->known_fingerprint;
}

BurrowHostKeyStatus
burrow_host_key_get_status (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), BURROW_HOST_KEY_UNKNOWN);

  return self->status;
}

const char *
burrow_host_key_get_known_hosts_file (BurrowHostKey *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  return self->known_hosts_file;
}

/* What the bastion's administrator runs to read the same fingerprint. */
char *
burrow_host_key_dup_check_command (BurrowHostKey *self)
{
  const char *file;

  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), NULL);

  switch (ssh_key_type (self->key))
    {
    case SSH_KEYTYPE_RSA:
      file = "ssh_host_rsa_key.pub";
      break;
    case SSH_KEYTYPE_ECDSA_P256:
    case SSH_KEYTYPE_ECDSA_P384:
    case SSH_KEYTYPE_ECDSA_P521:
      file = "ssh_host_ecdsa_key.pub";
      break;
    case SSH_KEYTYPE_ED25519:
    default:
      file = "ssh_host_ed25519_key.pub";
      break;
    }

  return g_strdup_printf ("ssh-keygen -lf /etc/ssh/%s", file);
}

/**
 * burrow_host_key_trust:
 *
 * Records the key in its known_hosts file, once a person has compared the
 * fingerprint. A changed or revoked key is refused here: replacing a
 * recorded key is a separate, deliberate act (forget the old one first).
 */
gboolean
burrow_host_key_trust (BurrowHostKey  *self,
                       GError        **error)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (BURROW_IS_HOST_KEY (self), FALSE);

  address = burrow_host_key_dup_address (self);

  switch (self->status)
    {
    case BURROW_HOST_KEY_TRUSTED:
      return TRUE;

    case BURROW_HOST_KEY_CHANGED:
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED,
                        _("Ask the bastion’s administrator whether its key was replaced. If it was, remove the old key in the connection’s page first."),
                        _("%s shows a different host key than the one recorded; Burrow does not replace it"),
                        address);
      return FALSE;

    case BURROW_HOST_KEY_REVOKED:
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_REVOKED,
                        _("Ask the bastion’s administrator for the server’s current key."),
                        _("The host key of %s is marked as revoked"), address);
      return FALSE;

    case BURROW_HOST_KEY_UNKNOWN:
    default:
      return burrow_host_keys_trust (self->known_hosts_file, self->host, self->port,
                                     self->key, error);
    }
}
