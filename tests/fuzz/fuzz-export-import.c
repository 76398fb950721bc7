/* fuzz-export-import.c — a file a colleague sent, given to burrowctl
 * import or the window's Import.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the export file; the store already holds one connection,
 * which an import may update by its id. All or nothing: an import that
 * fails leaves connections.ini byte for byte as it was. One that succeeds
 * adds only connections that pass every check, and exporting them again
 * and importing that elsewhere gives the same connections.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

#define KNOWN_ID "9eee0801-5b49-46de-8810-831b84bb3244"

static BurrowProfileStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, "connections.ini", NULL);
  BurrowProfileStore *store = burrow_profile_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_load (store, &error));
  g_assert_no_error (error);

  return store;
}

static char *
read_all (const char *path,
          gsize      *length)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfile) known = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *before = NULL;
  gsize before_length = 0;

  burrow_fuzz_init ();

  dir = burrow_fuzz_fresh_dir ();
  export_path = burrow_fuzz_write_file (dir, "team.ini", data, size);

  store = open_store (dir, "mine");
  known = burrow_profile_new_with_id (KNOWN_ID);
  burrow_profile_set_name (known, "Sales warehouse");
  burrow_profile_set_db_host (known, "db.internal");
  burrow_profile_set_tunnel_enabled (known, FALSE);
  burrow_profile_set_local_port_auto (known, FALSE);
  burrow_profile_set_local_port (known, 40002);
  g_assert_true (burrow_profile_store_save (store, known, &error));
  g_assert_no_error (error);
  before = read_all (burrow_profile_store_get_path (store), &before_length);

  imported = burrow_profile_store_import (store, export_path, &error);
  if (imported == NULL)
    {
      g_autofree char *after = NULL;
      gsize after_length = 0;

      g_assert_nonnull (error);
      g_assert_nonnull (burrow_error_get_hint (error));
      after = read_all (burrow_profile_store_get_path (store), &after_length);
      g_assert_cmpmem (after, after_length, before, before_length);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
    }
  else
    {
      g_autoptr(BurrowProfileStore) reread = open_store (dir, "mine");
      g_autoptr(BurrowProfileStore) colleague = open_store (dir, "colleague");
      g_autoptr(GPtrArray) again = NULL;
      g_autofree char *second_export = g_build_filename (dir, "again.ini", NULL);

      g_assert_no_error (error);
      g_assert_cmpuint (imported->len, >, 0);
      for (guint i = 0; i < imported->len; i++)
        {
          g_autoptr(GPtrArray) errors = burrow_profile_store_collect_errors (store, g_ptr_array_index (imported, i));

          g_assert_cmpuint (errors->len, ==, 0);
        }
      burrow_fuzz_assert_same_store (store, reread);

      /* Exported again and imported elsewhere: the same connections, but
       * for the local ports this machine chose. */
      g_assert_true (burrow_profile_store_export (store, NULL, second_export, &error));
      g_assert_no_error (error);
      again = burrow_profile_store_import (colleague, second_export, &error);
      g_assert_no_error (error);
      g_assert_nonnull (again);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
        {
          g_autoptr(BurrowProfile) mine = g_list_model_get_item (G_LIST_MODEL (store), i);
          g_autoptr(BurrowProfile) theirs = g_list_model_get_item (G_LIST_MODEL (colleague), i);

          if (burrow_profile_get_local_port_auto (mine))
            burrow_profile_set_local_port (theirs, burrow_profile_get_local_port (mine));
          burrow_fuzz_assert_same_profile (mine, theirs);
        }
    }

  g_clear_object (&store);
  burrow_fuzz_flush_events ();

  return 0;
}
