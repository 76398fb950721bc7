/* burrow-test-secrets.h — what the tests of connections and secrets share:
 * waiting for Burrow's async calls, a keyring daemon, and looking for a
 * secret where it must not be.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "burrow-secret-store.h"
#include "burrow-test-keyring.h"

/* Pass as the callback with a pointer to a NULL GAsyncResult *; then
 * burrow_test_wait_for () runs the main loop until it is set. */
static inline void
burrow_test_on_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static inline GAsyncResult *
burrow_test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static inline BurrowTestKeyring *
burrow_test_start_keyring (void)
{
  g_autoptr(GError) error = NULL;
  BurrowTestKeyring *keyring;

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);

  return keyring;
}

/* A plain copy of the secret, NULL when there is none. */
static inline char *
burrow_test_lookup_secret (const char       *connection_id,
                           BurrowSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  burrow_secret_store_lookup_async (connection_id, kind, NULL, burrow_test_on_done, &result);
  secret = burrow_secret_store_lookup_finish (burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  copy = g_strdup (secret);
  burrow_secret_free (secret);

  return copy;
}

/* The first of @needles that a file under @dir holds (what lies under
 * @except left out), and that file in @where; NULL when none does. Only
 * regular files: reading a pipe or a socket would wait for a writer. */
static inline const char *
burrow_test_tree_find (const char          *dir,
                       const char * const  *needles,
                       const char          *except,
                       char               **where)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      const char *found;
      gsize length;

      if (g_strcmp0 (path, except) == 0 || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if ((found = burrow_test_tree_find (path, needles, except, where)) != NULL)
            return found;
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
               g_file_get_contents (path, &contents, &length, NULL))
        {
          for (guint i = 0; needles[i] != NULL; i++)
            if (g_strstr_len (contents, length, needles[i]) != NULL)
              {
                *where = g_steal_pointer (&path);
                return needles[i];
              }
        }
    }

  return NULL;
}

/* Whether any file under @dir holds @needle. */
static inline gboolean
burrow_test_tree_contains (const char *dir,
                           const char *needle)
{
  const char *needles[] = { needle, NULL };
  g_autofree char *where = NULL;

  if (burrow_test_tree_find (dir, needles, NULL, &where) == NULL)
    return FALSE;

  g_test_message ("found in %s", where);
  return TRUE;
}

/* What Seahorse would show for the item, read with libsecret directly. */
static inline char *
burrow_test_get_secret_label (const char       *id,
                              BurrowSecretKind  kind)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  char *label = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);

  g_hash_table_insert (attributes, (char *)"connection-id", (char *)id);
  g_hash_table_insert (attributes, (char *)"kind", (char *)burrow_secret_kind_to_id (kind));
  items = secret_service_search_sync (service, NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_list_free_full (items, g_object_unref);

  return label;
}
