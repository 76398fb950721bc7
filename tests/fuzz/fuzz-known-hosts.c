/* fuzz-known-hosts.c — known_hosts files: Burrow's own, which a user may
 * edit, and ~/.ssh/known_hosts, which Burrow reads and never writes.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte that picks the host and the key, then Burrow's file and
 * the user's file, separated by a NUL byte. Whatever the files hold:
 * a verdict is consistent, the user's file is never written, trusting a
 * key makes it trusted (unless a line revokes it), and trusting one host's
 * key leaves every other host's verdict as it was.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

typedef struct
{
  const char *host;
  guint16     port;
} Host;

static const Host hosts[] = {
  { "bastion.example.com", 22 },
  { "bastion.example.com", 2222 },
  { "10.0.0.7", 22 },
  { "db-jump", 2200 },
  { "2001:db8::1", 22 },
};

/* Throwaway public keys: two of one type, one of another. */
static const char *key_texts[] = {
  "AAAAC3NzaC1lZDI1NTE5AAAAID7WhwTMnEZ482zXtE9w0O83ZJNAJ4NZGdMaF7VhTQf+",
  "AAAAC3NzaC1lZDI1NTE5AAAAINzl+wW5IHU7/ktQcxlCoDQqBNF87A5KjINjIxfBWLgr",
  "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMKHmQx9MvFtrU1UUh2al5ohc9+pj/BVLWJ4He1HscbzmcwGoL98ZN/SNqQMkxVOTVkGlJC3hsHE/wjHWF6Mn2k=",
};
static const enum ssh_keytypes_e key_types[] = {
  SSH_KEYTYPE_ED25519, SSH_KEYTYPE_ED25519, SSH_KEYTYPE_ECDSA_P256,
};

static ssh_key keys[G_N_ELEMENTS (key_texts)];

#define N_HOSTS G_N_ELEMENTS (hosts)
#define N_KEYS G_N_ELEMENTS (keys)

static void
load_keys (void)
{
  if (keys[0] != NULL)
    return;

  for (guint i = 0; i < N_KEYS; i++)
    {
      if (ssh_pki_import_pubkey_base64 (key_texts[i], key_types[i], &keys[i]) != SSH_OK)
        g_error ("Cannot read the fuzz target's own key %u", i);
    }
}

static BurrowHostKeyStatus
check (const char *path,
       guint       host,
       guint       key)
{
  g_autofree char *fingerprint = NULL;
  BurrowHostKeyStatus status;

  status = burrow_host_keys_check (path, hosts[host].host, hosts[host].port, keys[key], &fingerprint);
  g_assert_cmpint (status, >=, BURROW_HOST_KEY_UNKNOWN);
  g_assert_cmpint (status, <=, BURROW_HOST_KEY_REVOKED);
  if (status == BURROW_HOST_KEY_CHANGED)
    g_assert_true (fingerprint != NULL && g_str_has_prefix (fingerprint, "SHA256:"));
  else
    g_assert_null (fingerprint);

  return status;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *dir = NULL;
  g_autofree char *own = NULL;
  g_autofree char *user = NULL;
  g_autofree char *user_before = NULL;
  g_autofree char *user_after = NULL;
  BurrowHostKeyStatus before[N_HOSTS][N_KEYS];
  g_autoptr(GError) error = NULL;
  const uint8_t *split;
  size_t own_size;
  guint host, key;

  burrow_fuzz_init ();
  load_keys ();

  if (size < 1)
    return 0;

  host = data[0] % N_HOSTS;
  key = (data[0] / N_HOSTS) % N_KEYS;
  data++;
  size--;

  split = memchr (data, '\0', size);
  own_size = split != NULL ? (size_t)(split - data) : size;

  dir = burrow_fuzz_fresh_dir ();
  own = burrow_fuzz_write_file (dir, "known_hosts", data, own_size);
  user = burrow_host_keys_user_file ();
  if (split != NULL)
    {
      g_file_set_contents (user, (const char *)split + 1, size - own_size - 1, &error);
      g_assert_no_error (error);
    }
  else
    g_unlink (user);
  g_file_get_contents (user, &user_before, NULL, NULL);

  for (guint h = 0; h < N_HOSTS; h++)
    for (guint k = 0; k < N_KEYS; k++)
      {
        before[h][k] = check (own, h, k);
        g_assert_cmpint (check (own, h, k), ==, before[h][k]);
      }

  g_assert_true (burrow_host_keys_trust (own, hosts[host].host, hosts[host].port, keys[key], &error));
  g_assert_no_error (error);

  g_assert_cmpint (check (own, host, key), ==,
                   before[host][key] == BURROW_HOST_KEY_REVOKED ? BURROW_HOST_KEY_REVOKED : BURROW_HOST_KEY_TRUSTED);

  for (guint h = 0; h < N_HOSTS; h++)
    {
      g_autofree char *entry = burrow_host_keys_format_host (hosts[h].host, hosts[h].port);
      g_autofree char *trusted_entry = burrow_host_keys_format_host (hosts[host].host, hosts[host].port);

      if (g_str_equal (entry, trusted_entry))
        continue;
      for (guint k = 0; k < N_KEYS; k++)
        g_assert_cmpint (check (own, h, k), ==, before[h][k]);
    }

  g_file_get_contents (user, &user_after, NULL, NULL);
  g_assert_cmpstr (user_after, ==, user_before);

  return 0;
}
