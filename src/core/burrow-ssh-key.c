/* burrow-ssh-key.c — private keys read from a file or from text, checked.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libssh answers SSH_ERROR for a wrong passphrase and for a damaged key
 * alike, so the key is looked at first to know which one it is.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "burrow-error.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-error.h"
#include "burrow-ssh-key.h"

static gboolean
openssh_key_is_encrypted (const char *text,
                          gboolean   *encrypted)
{
  static const char magic[] = "openssh-key-v1";
  const char *begin = strstr (text, "-----BEGIN OPENSSH PRIVATE KEY-----");
  const char *end;
  GString *body;
  guchar *blob;
  gsize blob_len = 0;
  guint32 cipher_len;
  gboolean ok = FALSE;

  begin += strlen ("-----BEGIN OPENSSH PRIVATE KEY-----");
  end = strstr (begin, "-----END OPENSSH PRIVATE KEY-----");
  if (end == NULL)
    return FALSE;

  /* Sized for all of it, so that no copy is left behind by a realloc. */
  body = g_string_sized_new (end - begin + 1);
  for (const char *p = begin; p < end; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (body, *p);

  blob = g_base64_decode (body->str, &blob_len);
  if (blob != NULL && blob_len >= sizeof magic + 4 && memcmp (blob, magic, sizeof magic) == 0)
    {
      cipher_len = (guint32)blob[sizeof magic] << 24 | (guint32)blob[sizeof magic + 1] << 16 |
                   (guint32)blob[sizeof magic + 2] << 8 | (guint32)blob[sizeof magic + 3];
      if (cipher_len <= blob_len - sizeof magic - 4)
        {
          *encrypted = !(cipher_len == 4 && memcmp (blob + sizeof magic + 4, "none", 4) == 0);
          ok = TRUE;
        }
    }

  /* Both hold the whole key: an unencrypted one is the secret itself. */
  explicit_bzero (body->str, body->allocated_len);
  g_string_free (body, TRUE);
  if (blob != NULL)
    explicit_bzero (blob, blob_len);
  g_free (blob);

  return ok;
}

/* Each error names the key in a whole sentence, a key file by its path
 * and a key held as text (pasted into the window, or stored so) as what
 * it is: spliced into another sentence, "The key file …" would keep its
 * capital, and "the private key" would be what the text is not. */
static ssh_key
load_private_key (const char  *text,
                  const char  *passphrase,
                  const char  *path,
                  gboolean    *needs_passphrase,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gboolean encrypted = FALSE;
  ssh_key key = NULL;

  if (g_str_has_prefix (stripped, "ssh-") || g_str_has_prefix (stripped, "ecdsa-"))
    {
      if (path != NULL)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("Choose the private key: the file without “.pub”."),
                          _("The key file %s is a public key, not a private key"), path);
      else
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("Paste the private key: the text of the file without “.pub”."),
                          _("The pasted text is a public key, not a private key"));
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (!g_str_has_prefix (stripped, "-----BEGIN ") || strstr (stripped, "PRIVATE KEY-----") == NULL)
    {
      if (path != NULL)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("Choose an OpenSSH or PEM private key: its text starts with “-----BEGIN”."),
                          _("The key file %s is not a private key"), path);
      else
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("Paste an OpenSSH or PEM private key: its text starts with “-----BEGIN”."),
                          _("The pasted text is not a private key"));
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (strstr (stripped, "-----BEGIN OPENSSH PRIVATE KEY-----") != NULL)
    {
      if (!openssh_key_is_encrypted (stripped, &encrypted))
        {
          if (path != NULL)
            burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                              _("The key was cut or changed; copy it again from its source."),
                              _("The key file %s is damaged"), path);
          else
            burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                              _("The key was cut or changed; copy it again from its source."),
                              _("The pasted private key is damaged"));
          explicit_bzero (stripped, strlen (stripped));
          return NULL;
        }
    }
  else
    {
      encrypted = strstr (stripped, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
                  strstr (stripped, "Proc-Type: 4,ENCRYPTED") != NULL;
    }

  if (encrypted && (passphrase == NULL || *passphrase == '\0'))
    {
      *needs_passphrase = TRUE;
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (ssh_pki_import_privkey_base64 (stripped, encrypted ? passphrase : NULL, NULL, NULL, &key) != SSH_OK)
    {
      if (encrypted && path != NULL)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG,
                          _("Check the passphrase; it is case-sensitive."),
                          _("The passphrase of the key file %s is wrong"), path);
      else if (encrypted)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG,
                          _("Check the passphrase; it is case-sensitive."),
                          _("The passphrase of the pasted private key is wrong"));
      else if (path != NULL)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("The key is damaged or of a kind Burrow cannot use; Ed25519, ECDSA and RSA keys work."),
                          _("The key file %s could not be read as a private key"), path);
      else
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("The key is damaged or of a kind Burrow cannot use; Ed25519, ECDSA and RSA keys work."),
                          _("The pasted text could not be read as a private key"));
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  explicit_bzero (stripped, strlen (stripped));
  return key;
}

/**
 * burrow_ssh_key_load:
 * @path: (nullable): a key file to read
 * @text: (nullable): the key's text, when @path is %NULL
 * @passphrase: (nullable): the passphrase, for an encrypted key
 * @needs_passphrase: (out): set when the key is encrypted and @passphrase
 *   is %NULL or empty: then %NULL is returned with no error
 *
 * Reads and decrypts a private key. Decrypting an OpenSSH key costs a
 * bcrypt KDF (100+ ms, seconds with many rounds): call it from a worker
 * thread.
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
ssh_key
burrow_ssh_key_load (const char  *path,
                     const char  *text,
                     const char  *passphrase,
                     gboolean    *needs_passphrase,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  ssh_key key;

  *needs_passphrase = FALSE;
  burrow_secret_protect_process ();

  if (path != NULL)
    {
      g_autoptr(GError) read_error = NULL;

      if (!g_file_get_contents (path, &contents, NULL, &read_error))
        {
          burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                            _("Check the path of the key file and that you may read it."),
                            _("Could not read the key file: %s"), read_error->message);
          return NULL;
        }
    }

  key = load_private_key (contents != NULL ? contents : text, passphrase, path, needs_passphrase, error);
  if (contents != NULL)
    explicit_bzero (contents, strlen (contents));

  return key;
}

/* "The key file PATH", or "The private key" for one held in memory: the
 * start of a sentence. */
char *
burrow_ssh_key_describe (const char *path)
{
  if (path != NULL)
    return g_strdup_printf (_("The key file %s"), path);

  return g_strdup (_("The private key"));
}
