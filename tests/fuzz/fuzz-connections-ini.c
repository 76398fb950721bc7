/* fuzz-connections-ini.c — connections.ini as a hand edit, a broken disk
 * or another program may leave it.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the file. Loading never fails on its content; a file that
 * does not parse is moved aside byte for byte; a second reader sees what
 * the first one does; and saving one connection keeps every other group
 * and key of the file as it was, or fails and changes nothing.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

#define OWN_ID "fuzz-target-own"

static void
on_file_problem (BurrowProfileStore *store,
                 GError             *error,
                 gpointer            user_data)
{
  g_ptr_array_add (user_data, g_error_copy (error));
}

static BurrowProfileStore *
load_store (const char *path,
            GPtrArray  *problems)
{
  BurrowProfileStore *store = burrow_profile_store_new (path);
  g_autoptr(GError) error = NULL;

  g_signal_connect (store, "file-problem", G_CALLBACK (on_file_problem), problems);
  g_assert_true (burrow_profile_store_load (store, &error));
  g_assert_no_error (error);

  return store;
}

/* The file moved aside when it did not parse, or NULL. */
static char *
find_broken (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_has_prefix (name, "connections.ini.broken-"))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }

  return found;
}

static GKeyFile *
parse (const char *contents,
       gsize       length)
{
  GKeyFile *key_file = g_key_file_new ();

  if (!g_key_file_load_from_data (key_file, contents, length,
                                  G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, NULL))
    g_clear_pointer (&key_file, g_key_file_unref);

  return key_file;
}

/* Every group and key of @before is in @after with the same value, but
 * for the group Burrow wrote and the version it set. */
static void
assert_kept (GKeyFile *before,
             GKeyFile *after)
{
  g_auto(GStrv) groups = g_key_file_get_groups (before, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = NULL;

      if (g_str_equal (groups[i], "connection " OWN_ID))
        continue;

      keys = g_key_file_get_keys (before, groups[i], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *was = g_key_file_get_value (before, groups[i], keys[k], NULL);
          g_autofree char *is = g_key_file_get_value (after, groups[i], keys[k], NULL);

          if (g_str_equal (groups[i], "burrow") && g_str_equal (keys[k], "version"))
            continue;
          g_assert_cmpstr (is, ==, was);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_autoptr(GPtrArray) later_problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfileStore) second = NULL;
  g_autoptr(BurrowProfile) own = NULL;
  g_autoptr(GKeyFile) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean saved;

  burrow_fuzz_init ();

  dir = burrow_fuzz_fresh_dir ();
  config_dir = g_build_filename (dir, "burrow", NULL);
  g_mkdir (config_dir, 0700);
  path = burrow_fuzz_write_file (config_dir, "connections.ini", data, size);

  store = load_store (path, problems);
  for (guint i = 0; i < problems->len; i++)
    g_assert_nonnull (burrow_error_get_hint (g_ptr_array_index (problems, i)));

  broken = find_broken (config_dir);
  if (broken != NULL)
    {
      g_autofree char *aside = NULL;
      gsize aside_length = 0;

      g_assert_true (g_file_get_contents (broken, &aside, &aside_length, NULL));
      g_assert_cmpmem (aside, aside_length, data, size);
      g_assert_true (g_error_matches (g_ptr_array_index (problems, 0),
                                      BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_BROKEN_FILE));
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BurrowProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_true (*burrow_profile_get_id (profile) != '\0');
    }

  /* What a salvage wrote reads back the same. */
  second = load_store (path, later_problems);
  burrow_fuzz_assert_same_store (store, second);
  g_clear_object (&second);

  if (g_file_get_contents (path, &contents, &length, NULL))
    before = parse (contents, length);

  own = burrow_profile_new_with_id (OWN_ID);
  burrow_profile_set_name (own, "Fuzz target’s own");
  burrow_profile_set_db_host (own, "db.internal");
  burrow_profile_set_tunnel_enabled (own, FALSE);
  burrow_profile_set_local_port_auto (own, FALSE);
  burrow_profile_set_local_port (own, 40001);

  saved = burrow_profile_store_save (store, own, &error);
  if (!saved)
    {
      g_autofree char *after = NULL;
      gsize after_length = 0;

      g_assert_nonnull (error);
      g_assert_true (error->domain == BURROW_PROFILE_STORE_ERROR || error->domain == BURROW_PROFILE_ERROR);
      g_assert_nonnull (burrow_error_get_hint (error));
      g_assert_true (g_file_get_contents (path, &after, &after_length, NULL) == (contents != NULL));
      if (contents != NULL)
        g_assert_cmpmem (after, after_length, contents, length);
    }
  else
    {
      g_autofree char *after_text = NULL;
      g_autoptr(GKeyFile) after = NULL;
      gsize after_length = 0;

      g_assert_true (g_file_get_contents (path, &after_text, &after_length, NULL));
      after = parse (after_text, after_length);
      g_assert_nonnull (after);
      if (before != NULL)
        assert_kept (before, after);

      second = load_store (path, later_problems);
      burrow_fuzz_assert_same_store (store, second);
      g_assert_nonnull (burrow_profile_store_lookup (second, OWN_ID));
    }

  g_clear_object (&second);
  g_clear_object (&store);
  burrow_fuzz_flush_events ();

  return 0;
}
