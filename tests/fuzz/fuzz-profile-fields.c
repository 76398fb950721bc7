/* fuzz-profile-fields.c — what a user types into the connection form or
 * gives burrowctl add and edit: any text in any field.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the fields, separated by NUL bytes, in form order (name, kind,
 * database host, port, name and user, bastion host, port and user, sign-in
 * method, key file, jump hosts separated by ";", keepalive, local port).
 * Text fields arrive as UTF-8, as GTK and GOption hand them over; a key
 * file is a path, any bytes. Numbers are read as burrowctl reads them.
 *
 * A connection the checks accept is saved and reads back from
 * connections.ini exactly as it was typed; one they refuse gets an error
 * with a hint for each wrong field, and nothing is written.
 */

#include "config.h"

#include <string.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

typedef enum
{
  FIELD_NAME,
  FIELD_DB_KIND,
  FIELD_DB_HOST,
  FIELD_DB_PORT,
  FIELD_DB_NAME,
  FIELD_DB_USER,
  FIELD_SSH_HOST,
  FIELD_SSH_PORT,
  FIELD_SSH_USER,
  FIELD_SSH_AUTH,
  FIELD_KEY_FILE,
  FIELD_JUMP_HOSTS,
  FIELD_KEEPALIVE,
  FIELD_LOCAL_PORT,
  N_FIELDS
} Field;

/* As burrowctl's --*-port options: a number, or a usage error. */
static gboolean
read_number (const char *text,
             guint      *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

/* FALSE when burrowctl would stop at a usage error, before any check. */
static gboolean
fill (BurrowProfile *profile,
      char         **f)
{
  BurrowDbKind kind = BURROW_DB_KIND_POSTGRESQL;
  BurrowProfileAuth auth = BURROW_PROFILE_AUTH_WORKSPACE_KEY;
  g_auto(GStrv) hops = NULL;
  guint number;

  burrow_profile_set_name (profile, f[FIELD_NAME]);
  if (*f[FIELD_DB_KIND] != '\0' && !burrow_db_kind_from_id (f[FIELD_DB_KIND], &kind))
    return FALSE;
  burrow_profile_set_db_kind (profile, kind);
  burrow_profile_set_db_port (profile, burrow_db_kind_get_default_port (kind));
  burrow_profile_set_db_host (profile, f[FIELD_DB_HOST]);
  if (*f[FIELD_DB_PORT] != '\0')
    {
      if (!read_number (f[FIELD_DB_PORT], &number))
        return FALSE;
      burrow_profile_set_db_port (profile, number);
    }
  burrow_profile_set_db_name (profile, f[FIELD_DB_NAME]);
  burrow_profile_set_db_user (profile, f[FIELD_DB_USER]);

  burrow_profile_set_tunnel_enabled (profile, *f[FIELD_SSH_HOST] != '\0');
  burrow_profile_set_ssh_host (profile, f[FIELD_SSH_HOST]);
  if (*f[FIELD_SSH_PORT] != '\0')
    {
      if (!read_number (f[FIELD_SSH_PORT], &number))
        return FALSE;
      burrow_profile_set_ssh_port (profile, number);
    }
  burrow_profile_set_ssh_user (profile, f[FIELD_SSH_USER]);
  if (*f[FIELD_SSH_AUTH] != '\0' && !burrow_profile_auth_from_id (f[FIELD_SSH_AUTH], &auth))
    return FALSE;
  burrow_profile_set_ssh_auth (profile, auth);
  burrow_profile_set_ssh_key_file (profile, f[FIELD_KEY_FILE]);

  hops = g_strsplit (f[FIELD_JUMP_HOSTS], ";", -1);
  burrow_profile_set_jump_hosts (profile, (const char * const *)hops);

  if (*f[FIELD_KEEPALIVE] != '\0')
    {
      if (!read_number (f[FIELD_KEEPALIVE], &number))
        return FALSE;
      burrow_profile_set_keepalive_interval (profile, number);
    }

  /* Empty: a port Burrow chooses, which burrowctl calls "auto". */
  burrow_profile_set_local_port_auto (profile, *f[FIELD_LOCAL_PORT] == '\0');
  if (*f[FIELD_LOCAL_PORT] != '\0')
    {
      if (!read_number (f[FIELD_LOCAL_PORT], &number))
        return FALSE;
      burrow_profile_set_local_port (profile, number);
    }

  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfileStore) reread = NULL;
  g_autoptr(BurrowProfile) existing = NULL;
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(BurrowProfile) typed = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char *fields[N_FIELDS];
  gboolean saved;

  burrow_fuzz_init ();

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *raw = burrow_fuzz_take_string (&data, &size);

      fields[i] = i == FIELD_KEY_FILE ? g_steal_pointer (&raw) : g_utf8_make_valid (raw, -1);
    }

  dir = burrow_fuzz_fresh_dir ();
  path = g_build_filename (dir, "connections.ini", NULL);
  store = burrow_profile_store_new (path);
  g_assert_true (burrow_profile_store_load (store, &error));

  /* One connection already there, for a name or port to clash with. */
  existing = burrow_profile_new ();
  burrow_profile_set_name (existing, "Sales warehouse");
  burrow_profile_set_db_host (existing, "db.internal");
  burrow_profile_set_tunnel_enabled (existing, FALSE);
  burrow_profile_set_local_port_auto (existing, FALSE);
  burrow_profile_set_local_port (existing, 15432);
  g_assert_true (burrow_profile_store_save (store, existing, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  profile = burrow_profile_new ();
  if (!fill (profile, fields))
    goto out;

  errors = burrow_profile_store_collect_errors (store, profile);
  for (guint i = 0; i < errors->len; i++)
    {
      const GError *e = g_ptr_array_index (errors, i);
      g_autofree char *cause = burrow_error_dup_cause (e);

      g_assert_true (e->domain == BURROW_PROFILE_ERROR);
      g_assert_true (cause != NULL && *cause != '\0');
      g_assert_nonnull (burrow_error_get_hint (e));
      g_assert_true (g_utf8_validate (e->message, -1, NULL));
    }

  /* The save adopts @profile and brings it up to date with the file:
   * what was typed is compared from a copy. */
  typed = burrow_profile_copy (profile, FALSE);
  saved = burrow_profile_store_save (store, profile, &error);
  if (errors->len > 0)
    {
      g_assert_false (saved);
      g_assert_nonnull (error);
      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
      goto out;
    }

  g_assert_no_error (error);
  g_assert_true (saved);

  /* An automatic port is chosen on the first save. */
  if (burrow_profile_get_local_port_auto (typed))
    burrow_profile_set_local_port (typed, burrow_profile_get_local_port (profile));

  reread = burrow_profile_store_new (path);
  g_assert_true (burrow_profile_store_load (reread, &error));
  g_assert_no_error (error);
  burrow_fuzz_assert_same_store (store, reread);
  burrow_fuzz_assert_same_profile (typed, burrow_profile_store_lookup (reread, burrow_profile_get_id (profile)));
  burrow_fuzz_assert_same_profile (typed, profile);

out:
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (fields[i]);
  g_clear_object (&reread);
  g_clear_object (&store);
  burrow_fuzz_flush_events ();

  return 0;
}
