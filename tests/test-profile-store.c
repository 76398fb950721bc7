/* test-profile-store.c — connections.ini: round trips, checks between
 * connections, a broken file kept byte for byte, concurrent writers, and
 * changes made by another process.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-secrets.h"

static char *
store_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), name, NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, "connections.ini", NULL);
}

static BurrowProfile *
make_profile (const char   *name,
              BurrowDbKind  kind)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, name);
  burrow_profile_set_db_kind (profile, kind);
  burrow_profile_set_db_port (profile, burrow_db_kind_get_default_port (kind) ?: 7000);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  return profile;
}

static BurrowProfileStore *
open_store (const char *path)
{
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_load (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
test_save_and_reload (void)
{
  g_autofree char *path = store_path ("save-and-reload");
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfileStore) again = NULL;
  g_autoptr(BurrowProfile) sales = make_profile ("Sales", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) finance = make_profile ("Finance", BURROW_DB_KIND_MYSQL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  const char *hops[] = { "ops@jump.example.com:2222", NULL };
  GStatBuf st;
  guint port;

  burrow_profile_set_jump_hosts (finance, hops);
  burrow_profile_set_ssh_auth (finance, BURROW_PROFILE_AUTH_AGENT);

  g_assert_true (burrow_profile_store_save (store, sales, &error));
  g_assert_no_error (error);
  g_assert_true (burrow_profile_store_save (store, finance, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_true (burrow_profile_store_lookup (store, burrow_profile_get_id (sales)) == sales);

  /* An automatic port is chosen at the first save and stays. */
  port = burrow_profile_get_local_port (sales);
  g_assert_cmpuint (port, >=, 10000);
  g_assert_true (burrow_profile_get_local_port_auto (sales));
  g_assert_cmpuint (burrow_profile_get_local_port (finance), !=, port);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error));
  g_assert_cmpint (g_key_file_get_integer (key_file, "burrow", "version", NULL), ==, BURROW_PROFILE_STORE_VERSION);

  again = open_store (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  {
    BurrowProfile *read = burrow_profile_store_lookup (again, burrow_profile_get_id (finance));

    g_assert_nonnull (read);
    g_assert_cmpstr (burrow_profile_get_name (read), ==, "Finance");
    g_assert_cmpint (burrow_profile_get_db_kind (read), ==, BURROW_DB_KIND_MYSQL);
    g_assert_cmpint (burrow_profile_get_ssh_auth (read), ==, BURROW_PROFILE_AUTH_AGENT);
    g_assert_cmpstr (burrow_profile_get_jump_hosts (read)[0], ==, hops[0]);
    g_assert_cmpuint (burrow_profile_get_local_port (read), ==, burrow_profile_get_local_port (finance));
    g_assert_true (burrow_profile_store_find_by_name (again, "SALES") ==
                   burrow_profile_store_lookup (again, burrow_profile_get_id (sales)));
  }

  /* Saving again keeps the port that was chosen. */
  burrow_profile_set_db_name (sales, "sales");
  g_assert_true (burrow_profile_store_save (store, sales, &error));
  g_assert_cmpuint (burrow_profile_get_local_port (sales), ==, port);

  /* Removing it drops it from the file. */
  g_assert_true (burrow_profile_store_remove (store, burrow_profile_get_id (sales), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_false (burrow_profile_store_remove (store, burrow_profile_get_id (sales), &error));
  g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND);
}

static void
test_unknown_keys_kept (void)
{
  g_autofree char *path = store_path ("unknown-keys");
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  BurrowProfile *profile;
  const char *original =
    "# Written by hand\n"
    "[burrow]\n"
    "version=1\n"
    "theme=dark\n"
    "\n"
    "[connection abc]\n"
    "name=Legacy DWH\n"
    "db-kind=postgresql\n"
    "db-host=dwh.internal\n"
    "ssh-host=bastion.example.com\n"
    "colour=orange\n"
    "name[de]=Altes DWH\n"
    "\n"
    "[plugin something]\n"
    "setting=42\n";

  g_assert_true (g_file_set_contents (path, original, -1, &error));
  store = open_store (path);

  profile = burrow_profile_store_lookup (store, "abc");
  g_assert_nonnull (profile);
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 5432);
  g_assert_cmpuint (burrow_profile_get_ssh_port (profile), ==, 22);

  burrow_profile_set_db_name (profile, "dwh");
  g_assert_true (burrow_profile_store_save (store, profile, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "colour=orange"));
  g_assert_nonnull (strstr (contents, "name[de]=Altes DWH"));
  g_assert_nonnull (strstr (contents, "theme=dark"));
  g_assert_nonnull (strstr (contents, "[plugin something]\nsetting=42"));
  g_assert_nonnull (strstr (contents, "# Written by hand"));
  g_assert_nonnull (strstr (contents, "db-name=dwh"));
}

static void
test_checks_between_connections (void)
{
  g_autofree char *path = store_path ("checks");
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfile) sales = make_profile ("Sales warehouse", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) twin = make_profile ("sales WAREHOUSE", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) fixed = make_profile ("Fixed", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) other = make_profile ("Other", BURROW_DB_KIND_OTHER);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  burrow_profile_set_local_port_auto (fixed, FALSE);
  burrow_profile_set_local_port (fixed, 24000);
  g_assert_true (burrow_profile_store_save (store, fixed, &error));
  g_assert_true (burrow_profile_store_save (store, sales, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &before, NULL, NULL);

  /* A duplicate name, whatever its case. */
  g_assert_false (burrow_profile_store_save (store, twin, &error));
  g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
  g_clear_error (&error);

  /* A fixed port another connection has. */
  burrow_profile_set_name (twin, "Twin");
  burrow_profile_set_local_port_auto (twin, FALSE);
  burrow_profile_set_local_port (twin, burrow_profile_get_local_port (sales));
  g_assert_false (burrow_profile_store_save (store, twin, &error));
  g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
  g_clear_error (&error);

  /* What the form asks before saving: every problem at once. */
  {
    g_autoptr(GPtrArray) errors = NULL;

    burrow_profile_set_name (twin, "Fixed");
    burrow_profile_set_db_port (twin, 0);
    errors = burrow_profile_store_collect_errors (store, twin);
    g_assert_cmpuint (errors->len, ==, 3);
  }

  /* Refused saves leave the file alone. */
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  /* An automatic port avoids the ports of other connections and ports in
   * use on this machine. */
  {
    g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = NULL;
    guint16 busy = 0;

    /* "Other" has no usual port: its search starts at 20000. */
    for (guint16 port = 20000; port < 20100 && busy == 0; port++)
      {
        g_clear_object (&address);
        address = g_inet_socket_address_new (loopback, port);
        if (g_socket_bind (listener, address, FALSE, NULL) && g_socket_listen (listener, NULL))
          busy = port;
      }
    g_assert_cmpuint (busy, !=, 0);

    burrow_profile_set_local_port_auto (fixed, FALSE);
    burrow_profile_set_local_port (fixed, busy + 1);
    g_assert_true (burrow_profile_store_save (store, fixed, &error));
    g_assert_no_error (error);

    g_assert_true (burrow_profile_store_save (store, other, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (burrow_profile_get_local_port (other), !=, busy);
    g_assert_cmpuint (burrow_profile_get_local_port (other), !=, busy + 1);
    g_assert_cmpuint (burrow_profile_get_local_port (other), >=, 20000);
  }
}

static void
on_file_problem (BurrowProfileStore *store,
                 const GError       *error,
                 gpointer            user_data)
{
  GPtrArray *problems = user_data;

  g_ptr_array_add (problems, g_error_copy (error));
}

static char *
find_broken_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "connections.ini.broken-"))
      return g_build_filename (dir, name, NULL);

  return NULL;
}

static void
test_broken_file (void)
{
  g_autofree char *path = store_path ("broken");
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (path);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *now = NULL;
  const char *original =
    "[burrow]\n"
    "version=1\n"
    "[connection good]\n"
    "name=Good\n"
    "db-host=db.internal\n"
    "ssh-host=bastion.example.com\n"
    "[connection bad\n"
    "name=Half a header\n"
    "this line has no equals sign\n"
    "[connection invalid]\n"
    "name=Unknown kind\n"
    "db-kind=db2\n";

  g_assert_true (g_file_set_contents (path, original, -1, &error));
  g_signal_connect (store, "file-problem", G_CALLBACK (on_file_problem), problems);

  /* Not an error: Burrow starts with what it could read. */
  g_assert_true (burrow_profile_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_nonnull (burrow_profile_store_lookup (store, "good"));

  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_error ((GError *)g_ptr_array_index (problems, 0),
                  BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_BROKEN_FILE);
  g_assert_error ((GError *)g_ptr_array_index (problems, 1),
                  BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_INVALID_ENTRY);

  /* The original bytes survive, under a name the message gives. */
  broken = find_broken_file (path);
  g_assert_nonnull (broken);
  g_assert_true (g_file_get_contents (broken, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, original);
  g_assert_nonnull (strstr (((GError *)g_ptr_array_index (problems, 0))->message, broken));

  /* The new file holds what was salvaged, the unreadable entry included,
   * for the user to fix. */
  g_assert_true (g_file_get_contents (path, &now, NULL, NULL));
  g_assert_nonnull (strstr (now, "[connection good]"));
  g_assert_nonnull (strstr (now, "[connection invalid]"));

  /* Loading again does not repeat the problem already reported. */
  g_assert_true (burrow_profile_store_load (store, &error));
  g_assert_cmpuint (problems->len, ==, 2);

  /* A later save leaves the broken copy alone. */
  {
    g_autoptr(BurrowProfile) added = make_profile ("Added", BURROW_DB_KIND_MARIADB);
    g_autofree char *still = NULL;

    g_assert_true (burrow_profile_store_save (store, added, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (broken, &still, NULL, NULL));
    g_assert_cmpstr (still, ==, original);
  }
}

static void
test_newer_version_is_read_only (void)
{
  g_autofree char *path = store_path ("newer");
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfile) added = make_profile ("Added", BURROW_DB_KIND_MARIADB);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *original = "[burrow]\nversion=99\n[connection a]\nname=Future\ndb-host=db\nssh-host=b\n";

  g_assert_true (g_file_set_contents (path, original, -1, &error));
  store = open_store (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_false (burrow_profile_store_save (store, added, &error));
  g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NEWER_VERSION);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, original);
}

/* Many burrowctl processes add at once: every entry must be there, each
 * with a port of its own. */
static void
test_concurrent_writers (void)
{
  const guint n = 8;
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  const char *burrowctl = g_getenv ("BURROWCTL");

  g_assert_nonnull (burrowctl);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Concurrent %u", i);
      g_autoptr(GError) error = NULL;
      const char *argv[] = { burrowctl, "add", name, "--db-kind", "postgresql", "--db-host", "db.internal",
                             "--ssh-host", "bastion.example.com", NULL };
      GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

      g_assert_no_error (error);
      g_ptr_array_add (processes, process);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_wait_check (g_ptr_array_index (processes, i), NULL, &error);
      g_assert_no_error (error);
    }

  store = open_store (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BurrowProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_hash_table_add (ports, GUINT_TO_POINTER (burrow_profile_get_local_port (profile)));
    }
  g_assert_cmpuint (g_hash_table_size (ports), ==, n);
}

static void
on_notify_name (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (pspec->name));
}

typedef struct
{
  BurrowProfileStore *store;
  guint               changes;
  gboolean            whole_list_replaced;
} Watch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Watch *watch = user_data;

  watch->changes++;
  /* One connection more or less is one item, not the whole list again:
   * a view keeps its selection. */
  if (removed + added != 1)
    watch->whole_list_replaced = TRUE;
}

static gboolean
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }

  return done (data);
}

static gboolean
has_three (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 3;
}

static gboolean
has_one (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 1;
}

/* The window's list follows burrowctl: the same objects, updated. */
static void
test_follows_other_process (void)
{
  g_autofree char *path = store_path ("follow");
  g_autoptr(BurrowProfileStore) window = open_store (path);
  g_autoptr(BurrowProfileStore) other = NULL;
  g_autoptr(BurrowProfile) sales = make_profile ("Sales", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) finance = make_profile ("Finance", BURROW_DB_KIND_MYSQL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Watch watch = { window, 0, FALSE };
  BurrowProfile *kept;
  BurrowProfile *copy;

  g_assert_true (burrow_profile_store_save (window, sales, &error));
  g_assert_true (burrow_profile_store_save (window, finance, &error));
  g_assert_no_error (error);
  kept = burrow_profile_store_lookup (window, burrow_profile_get_id (sales));
  g_assert_true (kept == sales);

  g_signal_connect (window, "items-changed", G_CALLBACK (on_items_changed), &watch);
  g_signal_connect (sales, "notify", G_CALLBACK (on_notify_name), names);

  /* Another process: its own store on the same file. */
  other = open_store (path);
  copy = burrow_profile_store_lookup (other, burrow_profile_get_id (sales));
  g_assert_true (copy != sales);
  burrow_profile_set_db_host (copy, "db2.internal");
  g_assert_true (burrow_profile_store_save (other, copy, &error));
  {
    g_autoptr(BurrowProfile) added = make_profile ("Added elsewhere", BURROW_DB_KIND_MARIADB);
    g_assert_true (burrow_profile_store_save (other, added, &error));
  }
  g_assert_no_error (error);

  g_assert_true (wait_until (has_three, window));
  g_assert_true (burrow_profile_store_lookup (window, burrow_profile_get_id (sales)) == sales);
  g_assert_cmpstr (burrow_profile_get_db_host (sales), ==, "db2.internal");
  /* Only what changed was notified. */
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "db-host");

  g_assert_true (burrow_profile_store_remove (other, burrow_profile_get_id (finance), &error));
  g_assert_true (burrow_profile_store_remove (other, burrow_profile_get_id (sales), &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (has_one, window));
  g_assert_null (burrow_profile_store_lookup (window, burrow_profile_get_id (sales)));
  g_assert_cmpuint (watch.changes, ==, 3);
  g_assert_false (watch.whole_list_replaced);
}

static gboolean
has_two (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 2;
}

static void
on_problem_count (BurrowProfileStore *store,
                  const GError       *problem,
                  gpointer            user_data)
{
  (*(guint *)user_data)++;
}

static gboolean
is_broken_copy (const char *name)
{
  return g_str_has_prefix (name, "connections.ini.broken-");
}

/* A writer that does not rename a whole file into place (an editor, a
 * shell redirection) is read once it has finished, never half-way: a
 * half-written file would look broken and be moved aside. */
static void
test_waits_for_complete_write (void)
{
  g_autofree char *path = store_path ("slow-writer");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfile) first = make_profile ("First", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint problems = 0;
  gint64 until;
  FILE *file;

  g_assert_true (burrow_profile_store_save (store, first, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_signal_connect (store, "file-problem", G_CALLBACK (on_problem_count), &problems);
  /* Let the monitor report the store's own write first. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);

  /* Half a file, still open: a line with no "=" does not parse. */
  file = fopen (path, "w");
  g_assert_nonnull (file);
  fputs (contents, file);
  fputs ("[connection second]\nname=Second\ndb-h", file);
  fflush (file);

  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  g_assert_cmpuint (problems, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  fputs ("ost=db.internal\nssh-host=bastion.example.com\n", file);
  fclose (file);

  g_assert_true (wait_until (has_two, store));
  g_assert_cmpuint (problems, ==, 0);
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_false (is_broken_copy (name));
}

static void
test_export_import (void)
{
  g_autofree char *path = store_path ("export");
  g_autofree char *team_path = store_path ("export-colleague");
  g_autofree char *export_path = g_build_filename (g_get_user_config_dir (), "shared.ini", NULL);
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfileStore) colleague = open_store (team_path);
  g_autoptr(BurrowProfile) sales = make_profile ("Sales", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) fixed = make_profile ("Fixed", BURROW_DB_KIND_MYSQL);
  g_autoptr(BurrowProfile) clash = make_profile ("Sales", BURROW_DB_KIND_MYSQL);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;

  burrow_profile_set_local_port_auto (fixed, FALSE);
  burrow_profile_set_local_port (fixed, 23306);
  g_assert_true (burrow_profile_store_save (store, sales, &error));
  g_assert_true (burrow_profile_store_save (store, fixed, &error));
  g_assert_no_error (error);

  g_assert_true (burrow_profile_store_export (store, NULL, export_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, NULL));
  /* The importer's machine chooses its own automatic port. */
  g_assert_nonnull (strstr (exported, "local-port=auto\n"));
  g_assert_nonnull (strstr (exported, "local-port=23306\n"));

  imported = burrow_profile_store_import (colleague, export_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 2);
  g_assert_nonnull (burrow_profile_store_lookup (colleague, burrow_profile_get_id (sales)));
  g_assert_cmpuint (burrow_profile_get_local_port (burrow_profile_store_lookup (colleague, burrow_profile_get_id (sales))),
                    !=, 0);
  g_clear_pointer (&imported, g_ptr_array_unref);

  /* Again: the same connections are updated, not doubled, and the
   * automatic port this machine has is kept (not chosen anew). */
  {
    BurrowProfile *mine = burrow_profile_store_lookup (colleague, burrow_profile_get_id (sales));

    burrow_profile_set_local_port (mine, 25432);
    g_assert_true (burrow_profile_store_save (colleague, mine, &error));
    g_assert_no_error (error);
  }
  imported = burrow_profile_store_import (colleague, export_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (colleague)), ==, 2);
  g_assert_cmpuint (burrow_profile_get_local_port (burrow_profile_store_lookup (colleague, burrow_profile_get_id (sales))),
                    ==, 25432);
  g_assert_true (burrow_profile_get_local_port_auto (burrow_profile_store_lookup (colleague, burrow_profile_get_id (sales))));
  g_clear_pointer (&imported, g_ptr_array_unref);

  /* A different connection with a name the colleague has: nothing is
   * imported. */
  {
    g_autofree char *third_file = store_path ("export-third");
    g_autoptr(BurrowProfileStore) third = open_store (third_file);
    g_autofree char *third_path = g_strdup (burrow_profile_store_get_path (third));

    g_assert_true (burrow_profile_store_save (third, clash, &error));
    g_assert_no_error (error);
    imported = burrow_profile_store_import (third, export_path, &error);
    g_assert_null (imported);
    g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (third)), ==, 1);
  }

  /* Exporting a subset. */
  {
    const char *ids[] = { burrow_profile_get_id (fixed), NULL };
    g_autofree char *subset = NULL;

    g_assert_true (burrow_profile_store_export (store, ids, export_path, &error));
    g_assert_true (g_file_get_contents (export_path, &subset, NULL, NULL));
    g_assert_null (strstr (subset, burrow_profile_get_id (sales)));
    g_assert_nonnull (strstr (subset, burrow_profile_get_id (fixed)));
  }
}

static void
test_symlinked_file (void)
{
  g_autofree char *path = store_path ("symlink");
  g_autofree char *target_dir = burrow_test_make_dir ("burrow-dotfiles-XXXXXX");
  g_autofree char *target = g_build_filename (target_dir, "connections.ini", NULL);
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfile) profile = make_profile ("Linked", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (target, "[burrow]\nversion=1\n", -1, &error));
  g_assert_cmpint (symlink (target, path), ==, 0);

  store = open_store (path);
  g_assert_true (burrow_profile_store_save (store, profile, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "name=Linked"));

  burrow_test_remove_dir (target_dir);
}

/* A port chosen automatically that a hand edit gave to another connection
 * is chosen again rather than shared. */
static void
test_automatic_port_taken_by_hand (void)
{
  g_autofree char *path = store_path ("port-taken");
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BurrowProfile *automatic;

  g_assert_true (g_file_set_contents (path,
                                      "[connection auto]\nname=Auto\ndb-host=db\nssh-host=b\nlocal-port=auto:21000\n"
                                      "[connection fixed]\nname=Fixed\ndb-host=db\nssh-host=b\nlocal-port=21000\n",
                                      -1, &error));
  store = open_store (path);
  automatic = burrow_profile_store_lookup (store, "auto");

  g_assert_true (burrow_profile_store_save (store, automatic, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (burrow_profile_get_local_port (automatic), !=, 21000);
  g_assert_cmpuint (burrow_profile_get_local_port (automatic), !=, 0);
}

/* A writer that never lets go of the lock (a stopped process) makes a
 * change fail with a clear error instead of freezing the caller. */
static void
test_held_lock (void)
{
  g_autofree char *path = store_path ("held-lock");
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfile) profile = make_profile ("Waits", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;
  int held;

  /* A lock of its own open file: flock () makes it conflict with the
   * store's even inside this process. */
  held = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (held, >=, 0);
  g_assert_cmpint (flock (held, LOCK_EX), ==, 0);

  g_assert_false (burrow_profile_store_save (store, profile, &error));
  g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "Another Burrow is writing connections.ini"));
  g_assert_nonnull (burrow_error_get_hint (error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_clear_error (&error);

  close (held);
  g_assert_true (burrow_profile_store_save (store, profile, &error));
  g_assert_no_error (error);
}

static gboolean
save_async (BurrowProfileStore  *store,
            BurrowProfile       *profile,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_profile_store_save_async (store, profile, NULL, burrow_test_on_done, &result);
  return burrow_profile_store_save_finish (store, burrow_test_wait_for (&result), error);
}

static void
on_saved_in_turn (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GString *order = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error));
  g_assert_no_error (error);
  g_string_append_c (order, 'x');
}

/* Saves and removals in a worker thread: made one after another in the
 * order asked for, each on the file as the one before left it, with the
 * list, the automatic port and the errors as the synchronous ones. */
static void
test_changes_in_a_thread (void)
{
  g_autofree char *path = store_path ("threaded");
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfileStore) reader = NULL;
  g_autoptr(GString) order = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  BurrowProfile *profiles[3];

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *name = g_strdup_printf ("Threaded %u", i);

      profiles[i] = make_profile (name, BURROW_DB_KIND_POSTGRESQL);
      burrow_profile_store_save_async (store, profiles[i], NULL, on_saved_in_turn, order);
    }
  while (order->len < G_N_ELEMENTS (profiles))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(BurrowProfile) listed = g_list_model_get_item (G_LIST_MODEL (store), i);

      /* The caller's own objects are listed, with the port chosen. */
      g_assert_true (listed == profiles[i]);
      g_assert_cmpuint (burrow_profile_get_local_port (profiles[i]), !=, 0);
    }
  g_assert_cmpuint (burrow_profile_get_local_port (profiles[0]), !=, burrow_profile_get_local_port (profiles[1]));

  reader = open_store (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 3);

  /* A duplicate name is refused as by the synchronous save. */
  {
    g_autoptr(BurrowProfile) twin = make_profile ("threaded 0", BURROW_DB_KIND_MYSQL);

    g_assert_false (save_async (store, twin, &error));
    g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DUPLICATE_NAME);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *id = g_strdup (burrow_profile_get_id (profiles[1]));

    burrow_profile_store_remove_async (store, id, NULL, burrow_test_on_done, &result);
    g_assert_true (burrow_profile_store_remove_finish (store, burrow_test_wait_for (&result), &error));
    g_assert_no_error (error);
    g_assert_null (burrow_profile_store_lookup (store, id));
    g_clear_object (&result);

    /* What is not there cannot be removed. */
    burrow_profile_store_remove_async (store, id, NULL, burrow_test_on_done, &result);
    g_assert_false (burrow_profile_store_remove_finish (store, burrow_test_wait_for (&result), &error));
    g_assert_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    g_object_unref (profiles[i]);
}

typedef struct
{
  BurrowProfileStore *store;
  const char         *id;
  gboolean            done;
  gboolean            listed;   /* the id, when the callback ran */
} AsyncSeen;

static void
on_saved_note_list (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AsyncSeen *seen = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_save_finish (BURROW_PROFILE_STORE (source), result, &error));
  g_assert_no_error (error);
  seen->listed = burrow_profile_store_lookup (seen->store, seen->id) != NULL;
  seen->done = TRUE;
}

/* The synchronous calls (burrowctl import) share the queue of the
 * threaded ones: a change asked for after a save that has not run yet
 * sees it, and the list never steps back to what an older change wrote. */
static void
test_sync_calls_queue_behind_threaded (void)
{
  g_autofree char *path = store_path ("one-queue");
  g_autoptr(BurrowProfileStore) store = open_store (path);
  g_autoptr(BurrowProfile) first = make_profile ("Queued first", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(BurrowProfile) second = make_profile ("Queued second", BURROW_DB_KIND_MYSQL);
  g_autoptr(BurrowProfile) third = make_profile ("Queued third", BURROW_DB_KIND_MYSQL);
  g_autoptr(GError) error = NULL;
  AsyncSeen seen_first = { store, burrow_profile_get_id (first), FALSE, FALSE };
  AsyncSeen seen_third = { store, burrow_profile_get_id (third), FALSE, FALSE };

  /* Removing what a threaded save was asked to add: found. */
  burrow_profile_store_save_async (store, first, NULL, on_saved_note_list, &seen_first);
  g_assert_true (burrow_profile_store_remove (store, burrow_profile_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_null (burrow_profile_store_lookup (store, burrow_profile_get_id (first)));
  while (!seen_first.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (seen_first.listed);
  g_assert_null (burrow_profile_store_lookup (store, burrow_profile_get_id (first)));

  /* A synchronous save behind a threaded one: both stay listed, before
   * and after the threaded one's callback. */
  burrow_profile_store_save_async (store, third, NULL, on_saved_note_list, &seen_third);
  g_assert_true (burrow_profile_store_save (store, second, &error));
  g_assert_no_error (error);
  g_assert_nonnull (burrow_profile_store_lookup (store, burrow_profile_get_id (third)));
  g_assert_nonnull (burrow_profile_store_lookup (store, burrow_profile_get_id (second)));
  while (!seen_third.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (seen_third.listed);
  g_assert_nonnull (burrow_profile_store_lookup (store, burrow_profile_get_id (second)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
}

/* A store made on a thread's own main context reloads there when another
 * program writes the file: nothing of it waits on the global default
 * context, which that thread may never run. */
static void
test_follows_on_own_context (void)
{
  g_autofree char *path = store_path ("own-context");
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(BurrowProfileStore) store = NULL;
  g_autoptr(BurrowProfileStore) other = NULL;
  g_autoptr(BurrowProfile) profile = make_profile ("Written elsewhere", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_main_context_push_thread_default (context);
  store = open_store (path);
  g_main_context_pop_thread_default (context);

  other = burrow_profile_store_new (path);
  g_assert_true (burrow_profile_store_save (other, profile, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (context, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_false (g_main_context_pending (NULL));
}

static void
on_problem_save (BurrowProfileStore *store,
                 const GError       *problem,
                 gpointer            user_data)
{
  g_autoptr(BurrowProfile) profile = make_profile ("From the handler", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_save (store, profile, &error));
  g_assert_no_error (error);
}

/* A window that reacts to a problem by saving must not wait for itself. */
static void
test_problem_handler_may_save (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = store_path ("reentrant");
      g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, "[connection x\nbroken\n", -1, &error));
      g_signal_connect (store, "file-problem", G_CALLBACK (on_problem_save), NULL);
      g_assert_true (burrow_profile_store_load (store, &error));
      g_assert_no_error (error);
      g_assert_nonnull (burrow_profile_store_find_by_name (store, "From the handler"));
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* No reference cycle through the file monitor or a pending reload. */
static void
test_store_finalizes (void)
{
  g_autofree char *path = store_path ("finalize");
  BurrowProfileStore *store = open_store (path);
  g_autoptr(BurrowProfile) profile = make_profile ("Lives on", BURROW_DB_KIND_POSTGRESQL);
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_store_save (store, profile, &error));
  g_assert_no_error (error);
  /* Let the monitor see the write and schedule its reload. */
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  g_assert_finalize_object (store);
  g_assert_cmpstr (burrow_profile_get_name (profile), ==, "Lives on");
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/profile-store/save-and-reload", test_save_and_reload);
  g_test_add_func ("/burrow/profile-store/unknown-keys-kept", test_unknown_keys_kept);
  g_test_add_func ("/burrow/profile-store/checks-between-connections", test_checks_between_connections);
  g_test_add_func ("/burrow/profile-store/broken-file", test_broken_file);
  g_test_add_func ("/burrow/profile-store/newer-version-is-read-only", test_newer_version_is_read_only);
  g_test_add_func ("/burrow/profile-store/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/burrow/profile-store/follows-other-process", test_follows_other_process);
  g_test_add_func ("/burrow/profile-store/export-import", test_export_import);
  g_test_add_func ("/burrow/profile-store/symlinked-file", test_symlinked_file);
  g_test_add_func ("/burrow/profile-store/store-finalizes", test_store_finalizes);
  g_test_add_func ("/burrow/profile-store/automatic-port-taken-by-hand", test_automatic_port_taken_by_hand);
  g_test_add_func ("/burrow/profile-store/problem-handler-may-save", test_problem_handler_may_save);
  g_test_add_func ("/burrow/profile-store/held-lock", test_held_lock);
  g_test_add_func ("/burrow/profile-store/waits-for-complete-write", test_waits_for_complete_write);
  g_test_add_func ("/burrow/profile-store/changes-in-a-thread", test_changes_in_a_thread);
  g_test_add_func ("/burrow/profile-store/sync-calls-queue-behind-threaded", test_sync_calls_queue_behind_threaded);
  g_test_add_func ("/burrow/profile-store/follows-on-own-context", test_follows_on_own_context);

  return g_test_run ();
}
