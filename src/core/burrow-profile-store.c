/* burrow-profile-store.c — the connections, kept in connections.ini.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window and any number of burrowctl processes share one file. Every
 * change is made under an exclusive lock on connections.ini.lock: the file
 * is read again, only the groups of the connections being changed are
 * rewritten, and the result replaces the file in one rename. So two
 * processes adding at once both keep their entry, keys and groups Burrow
 * does not know survive, and a reader never sees half a file.
 *
 * Changes are made in a worker thread (save_async, remove_async), so that
 * a window never waits for another writer's lock on its main loop, or on
 * the caller's thread (save, remove, import). Both kinds go through one
 * queue per store: each change reads the file as the one asked for
 * before it left it, and the list follows them in that order. A
 * synchronous change first waits for the one in the worker, then makes
 * the ones still waiting ahead of it itself. The lock is never waited for
 * longer than LOCK_WAIT_USEC.
 *
 * The list keeps one BurrowProfile per id for as long as the id exists:
 * a reload (after another process wrote) updates the same objects, so that
 * what the window has bound to them stays bound.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-paths.h"
#include "burrow-profile-store.h"
#include "burrow-source.h"

#define GROUP_PREFIX "connection "
#define META_GROUP "burrow"
#define KEY_VERSION "version"

/* How long a change waits for another writer before it gives up. */
#define LOCK_WAIT_USEC (2 * G_USEC_PER_SEC)
#define LOCK_RETRY_USEC (10 * 1000)

struct _BurrowProfileStore
{
  GObject       parent_instance;

  char         *path;
  GPtrArray    *profiles;
  GFileMonitor *monitor;
  guint         reload_source;
  GHashTable   *reported_entries;
  GPtrArray    *pending_problems;
  GMainContext *context;

  /* The changes asked for, in order (Commit). The head may be in the
   * worker; a change leaves the queue once the list follows it. */
  GQueue        changes;
  struct _Commit *working;        /* in the worker thread, until it leaves the queue */
  gboolean      worker_running;   /* until the worker's callback */
  GMutex        written_lock;
  GCond         written_cond;     /* a change in the worker was written */
};

static void burrow_profile_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BurrowProfileStore, burrow_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, burrow_profile_store_list_model_init))

G_DEFINE_QUARK (burrow-profile-store-error-quark, burrow_profile_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILE_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
group_for_id (const char *id)
{
  return g_strconcat (GROUP_PREFIX, id, NULL);
}

static const char *
id_from_group (const char *group)
{
  if (!g_str_has_prefix (group, GROUP_PREFIX) || group[strlen (GROUP_PREFIX)] == '\0')
    return NULL;

  return group + strlen (GROUP_PREFIX);
}

/* Problems found while the lock is held are told only once it is
 * released: a handler that saves would otherwise wait for itself. */
static void
report_problem (BurrowProfileStore *self,
                const GError       *error)
{
  g_ptr_array_add (self->pending_problems, g_error_copy (error));
}

static void
flush_problems (BurrowProfileStore *self)
{
  g_autoptr(GPtrArray) problems = self->pending_problems;

  self->pending_problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  for (guint i = 0; i < problems->len; i++)
    g_signal_emit (self, signals[FILE_PROBLEM], 0, g_ptr_array_index (problems, i));
}

static int
take_lock (const char  *path,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  gint64 deadline;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Check that the folder can be created and that the disk is not full."),
                        _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return -1;
    }

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Check the permissions of Burrow’s configuration folder."),
                        _("Cannot open %s: %s"), lock_path, g_strerror (saved_errno));
      return -1;
    }

  /* Other writers hold the lock only for the few milliseconds it takes to
   * read and write a small file, so waiting a little is enough; a holder
   * that never lets go (a stopped process) must not freeze the window,
   * which runs this on its main loop. */
  deadline = g_get_monotonic_time () + LOCK_WAIT_USEC;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      if (saved_errno == EWOULDBLOCK && g_get_monotonic_time () < deadline)
        {
          g_usleep (LOCK_RETRY_USEC);
          continue;
        }

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        {
          g_autofree char *hint =
            g_strdup_printf (_("Wait for the other Burrow window or burrowctl to finish, then try again. If none "
                               "is running, a stopped one may still hold %s: end it."), lock_path);

          burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                            hint, _("Another Burrow is writing connections.ini"));
        }
      else
        burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                          NULL, _("Cannot lock %s: %s"), lock_path, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

static void
release_lock (int fd)
{
  if (fd >= 0)
    close (fd);
}

static void
copy_group (GKeyFile   *to,
            GKeyFile   *from,
            const char *group)
{
  g_auto(GStrv) keys = g_key_file_get_keys (from, group, NULL, NULL);
  g_autofree char *comment = g_key_file_get_comment (from, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (from, group, keys[i], NULL);
      g_key_file_set_value (to, group, keys[i], value);
    }

  if (comment != NULL && *comment != '\0')
    g_key_file_set_comment (to, group, NULL, comment, NULL);
}

/* A file that does not parse as a whole may still hold groups that do:
 * each "[…]" section is tried on its own. */
static GKeyFile *
salvage (const char *contents)
{
  GKeyFile *result = g_key_file_new ();
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autoptr(GString) chunk = g_string_new (NULL);

  for (guint i = 0; ; i++)
    {
      const char *line = lines[i];
      gboolean header = line != NULL && g_str_has_prefix (g_strchug ((char *)line), "[");

      if (line == NULL || header)
        {
          g_autoptr(GKeyFile) piece = g_key_file_new ();

          if (chunk->len > 0 &&
              g_key_file_load_from_data (piece, chunk->str, chunk->len, G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, NULL))
            {
              g_auto(GStrv) groups = g_key_file_get_groups (piece, NULL);

              for (guint g = 0; groups[g] != NULL; g++)
                copy_group (result, piece, groups[g]);
            }
          g_string_truncate (chunk, 0);
        }

      if (line == NULL)
        break;

      g_string_append (chunk, line);
      g_string_append_c (chunk, '\n');
    }

  return result;
}

static gboolean
write_key_file (const char  *path,
                GKeyFile    *key_file,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *resolved = NULL;
  gsize length;

  data = g_key_file_to_data (key_file, &length, NULL);

  /* A connections.ini that is a link (into a dotfiles repository) stays
   * one: the file it points to is replaced. */
  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      resolved = realpath (path, NULL);
      if (resolved != NULL)
        path = resolved;
    }

  /* Written beside the file and renamed over it: a crash leaves the old
   * file or the new one, never a mix. */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Check that the disk is not full and that the folder is writable."),
                        _("Cannot save the connections: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static char *
broken_path_for (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *candidate = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }

  return candidate;
}

/* Reads connections.ini under the lock. A file that does not parse is
 * renamed aside, byte for byte, and what could be salvaged from it becomes
 * the new file; the problem goes out through "file-problem". */
static GKeyFile *
read_locked (const char  *path,
             GPtrArray   *problems,
             GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *broken = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&key_file);

      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Check the permissions of the file."),
                        _("Cannot read the connections: %s"), local_error->message);
      return NULL;
    }

  if (g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, &parse_error))
    return g_steal_pointer (&key_file);

  broken = broken_path_for (path);
  if (g_rename (path, broken) != 0)
    {
      int saved_errno = errno;
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Fix or move the file by hand; Burrow will not overwrite it."),
                        _("%s cannot be read (%s) and cannot be moved aside: %s"),
                        path, parse_error->message, g_strerror (saved_errno));
      return NULL;
    }

  g_clear_pointer (&key_file, g_key_file_unref);
  key_file = salvage (contents);

  {
    g_autoptr(GError) problem = NULL;
    g_autofree char *hint =
      g_strdup_printf (_("Burrow kept the connections it could read. The original file is %s: "
                         "copy what is missing from it with a text editor."), broken);

    burrow_set_error (&problem, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_BROKEN_FILE,
                      hint, _("connections.ini could not be read: %s"), parse_error->message);
    g_ptr_array_add (problems, g_error_copy (problem));
  }

  /* The original is safe under its new name, so the salvage may take its
   * place; with nothing salvaged there is no file until the next change. */
  {
    gsize n_groups = 0;

    g_strfreev (g_key_file_get_groups (key_file, &n_groups));
    if (n_groups > 0 && !write_key_file (path, key_file, error))
      return NULL;
  }

  return g_steal_pointer (&key_file);
}

static gboolean
check_version (GKeyFile  *key_file,
               GError   **error)
{
  guint64 version = 0;
  g_autofree char *text = g_key_file_get_string (key_file, META_GROUP, KEY_VERSION, NULL);

  /* No version: written by hand, in today's format. */
  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &version, NULL) ||
      version > BURROW_PROFILE_STORE_VERSION)
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NEWER_VERSION,
                        _("Use the newer version of Burrow to change connections; this one only reads them."),
                        _("connections.ini was written by a newer version of Burrow (format %s)"), text);
      return FALSE;
    }

  return TRUE;
}

/* @entry_errors: (nullable): receives why a group could not be read */
static GPtrArray *
profiles_from_key_file (GKeyFile  *key_file,
                        GPtrArray *entry_errors)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *id = id_from_group (groups[i]);
      g_autoptr(BurrowProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      if (id == NULL)
        continue;

      profile = burrow_profile_new_with_id (id);
      if (!burrow_profile_load_from_key_file (profile, key_file, groups[i], &error))
        {
          /* Left in the file as it is, for the user to fix; the list
           * shows the others. */
          if (entry_errors != NULL)
            g_ptr_array_add (entry_errors, g_steal_pointer (&error));
          continue;
        }

      g_ptr_array_add (profiles, g_steal_pointer (&profile));
    }

  return g_steal_pointer (&profiles);
}

static BurrowProfile *
find_in (GPtrArray  *profiles,
         const char *id,
         guint      *index)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      BurrowProfile *profile = g_ptr_array_index (profiles, i);

      if (g_str_equal (burrow_profile_get_id (profile), id))
        {
          if (index != NULL)
            *index = i;
          return profile;
        }
    }

  return NULL;
}

static gboolean
contains_profile (GPtrArray     *profiles,
                  BurrowProfile *profile)
{
  return g_ptr_array_find (profiles, profile, NULL);
}

/* Makes the list match @fresh while keeping the object of every id that
 * stays. @adopt are objects to take in place of a fresh copy with the
 * same id (the caller's own, on save). The list changes one item at a
 * time, so that a view keeps its selection and scroll position when
 * another connection comes or goes. */
static void
sync_model (BurrowProfileStore *self,
            GPtrArray          *fresh,
            GPtrArray          *adopt)
{
  g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self);

  for (guint i = 0; i < fresh->len; i++)
    {
      BurrowProfile *read = g_ptr_array_index (fresh, i);
      const char *id = burrow_profile_get_id (read);
      BurrowProfile *keep = find_in (self->profiles, id, NULL);

      if (keep == NULL && adopt != NULL)
        keep = find_in (adopt, id, NULL);
      if (keep == NULL)
        keep = read;

      burrow_profile_assign (keep, read);
      g_ptr_array_add (next, g_object_ref (keep));
    }

  for (guint i = self->profiles->len; i > 0; i--)
    {
      if (!contains_profile (next, g_ptr_array_index (self->profiles, i - 1)))
        {
          g_ptr_array_remove_index (self->profiles, i - 1);
          g_list_model_items_changed (model, i - 1, 1, 0);
        }
    }

  for (guint i = 0; i < next->len; i++)
    {
      BurrowProfile *wanted = g_ptr_array_index (next, i);
      guint at;

      if (i < self->profiles->len && g_ptr_array_index (self->profiles, i) == wanted)
        continue;

      /* Moved by a hand edit of the file: out of its old place first. */
      if (g_ptr_array_find (self->profiles, wanted, &at))
        {
          g_object_ref (wanted);
          g_ptr_array_remove_index (self->profiles, at);
          g_list_model_items_changed (model, at, 1, 0);
          g_ptr_array_insert (self->profiles, i, wanted);
        }
      else
        g_ptr_array_insert (self->profiles, i, g_object_ref (wanted));

      g_list_model_items_changed (model, i, 0, 1);
    }
}

static gboolean
port_is_bindable (guint port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (socket == NULL)
    return FALSE;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);

  return g_socket_bind (socket, address, TRUE, NULL);
}

static gboolean
port_used_by (GPtrArray     *profiles,
              BurrowProfile *except,
              guint          port)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      BurrowProfile *other = g_ptr_array_index (profiles, i);

      if (g_str_equal (burrow_profile_get_id (other), burrow_profile_get_id (except)))
        continue;
      if (burrow_profile_get_local_port (other) == port)
        return TRUE;
    }

  return FALSE;
}

/* The first free port from 10000 + the database's usual port (15432 for
 * PostgreSQL): a number an analyst recognises. It is chosen once and then
 * stays, so that the tools pointed at it keep working. */
static guint
choose_local_port (GPtrArray     *profiles,
                   BurrowProfile *profile)
{
  guint base = burrow_db_kind_get_default_port (burrow_profile_get_db_kind (profile));
  guint start = (base > 0 && base <= 55535 - 1) ? 10000 + base : 20000;

  for (guint n = 0; n < 65535 - 10000; n++)
    {
      guint port = 10000 + (start - 10000 + n) % (65536 - 10000);

      if (!port_used_by (profiles, profile, port) && port_is_bindable (port))
        return port;
    }

  return 0;
}

static int
compare_names (const char *a,
               const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb);
}

static GPtrArray *
collect_errors_against (BurrowProfile *profile,
                        GPtrArray     *profiles)
{
  GPtrArray *errors = burrow_profile_collect_errors (profile);
  const char *name = burrow_profile_get_name (profile);
  guint port = burrow_profile_get_local_port (profile);

  for (guint i = 0; i < profiles->len; i++)
    {
      BurrowProfile *other = g_ptr_array_index (profiles, i);
      GError *error = NULL;

      if (g_str_equal (burrow_profile_get_id (other), burrow_profile_get_id (profile)))
        continue;

      if (name != NULL && burrow_profile_get_name (other) != NULL &&
          compare_names (name, burrow_profile_get_name (other)) == 0)
        {
          burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DUPLICATE_NAME,
                            _("Choose a name no other connection has."),
                            _("There is already a connection named “%s”"), name);
          g_ptr_array_add (errors, error);
          error = NULL;
        }

      /* An automatic port another connection took meanwhile is chosen
       * anew on save: not the analyst's to fix. */
      if (port != 0 && burrow_profile_get_local_port (other) == port &&
          !burrow_profile_get_local_port_auto (profile))
        {
          burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN,
                            _("Choose another local port, or let Burrow choose one."),
                            _("The local port %u is already used by “%s”"), port,
                            burrow_profile_get_name (other));
          g_ptr_array_add (errors, error);
        }
    }

  return errors;
}

/* One change of connections.ini, made without the store, so that it can
 * run in a worker thread. */
typedef struct _Commit
{
  char      *path;
  GPtrArray *saves;      /* BurrowProfile copies, owned by the change */
  char      *remove_id;
  GPtrArray *problems;   /* GError, told once the change is applied */
  GPtrArray *fresh;      /* the list as written */

  /* Its place in the store's queue. */
  GPtrArray *adopt;      /* the caller's own objects */
  GTask     *task;       /* NULL for a synchronous change */
  gboolean   written;    /* commit_file() ran: done and error hold its result */
  gboolean   done;
  GError    *error;
} Commit;

static void
commit_free (Commit *commit)
{
  g_free (commit->path);
  g_clear_pointer (&commit->saves, g_ptr_array_unref);
  g_free (commit->remove_id);
  g_ptr_array_unref (commit->problems);
  g_clear_pointer (&commit->fresh, g_ptr_array_unref);
  g_clear_pointer (&commit->adopt, g_ptr_array_unref);
  g_clear_object (&commit->task);
  g_clear_error (&commit->error);
  g_free (commit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Commit, commit_free)

static Commit *
commit_new (BurrowProfileStore *self,
            GPtrArray          *saves,
            const char         *remove_id)
{
  Commit *commit = g_new0 (Commit, 1);

  commit->path = g_strdup (self->path);
  commit->remove_id = g_strdup (remove_id);
  commit->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  if (saves != NULL)
    {
      commit->adopt = g_ptr_array_ref (saves);
      commit->saves = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < saves->len; i++)
        g_ptr_array_add (commit->saves, burrow_profile_copy (g_ptr_array_index (saves, i), FALSE));
    }

  return commit;
}

/* The one way connections.ini changes: lock, read again, rewrite only the
 * groups of the saves (checked first, so that a failure changes nothing),
 * drop the removed one, write, unlock. */
static gboolean
commit_file (Commit  *commit,
             GError **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GPtrArray) current = NULL;
  int lock;

  lock = take_lock (commit->path, error);
  if (lock < 0)
    return FALSE;

  key_file = read_locked (commit->path, commit->problems, error);
  if (key_file == NULL || !check_version (key_file, error))
    goto failed;

  current = profiles_from_key_file (key_file, NULL);

  /* Set first, so that a new file starts with it. */
  g_key_file_set_integer (key_file, META_GROUP, KEY_VERSION, BURROW_PROFILE_STORE_VERSION);

  for (guint i = 0; commit->saves != NULL && i < commit->saves->len; i++)
    {
      BurrowProfile *copy = g_ptr_array_index (commit->saves, i);
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *group = NULL;
      guint index;

      /* An export carries an automatic port as "auto" alone; importing it
       * again must not forget the port this machine chose, which the
       * user's tools point at. */
      if (burrow_profile_get_local_port_auto (copy) && burrow_profile_get_local_port (copy) == 0)
        {
          BurrowProfile *known = find_in (current, burrow_profile_get_id (copy), NULL);

          if (known != NULL && burrow_profile_get_local_port_auto (known))
            burrow_profile_set_local_port (copy, burrow_profile_get_local_port (known));
        }

      /* An automatic port is chosen once; again only if another
       * connection has taken it meanwhile (a fixed port set elsewhere). */
      if (burrow_profile_get_local_port_auto (copy) &&
          (burrow_profile_get_local_port (copy) == 0 ||
           port_used_by (current, copy, burrow_profile_get_local_port (copy))))
        burrow_profile_set_local_port (copy, choose_local_port (current, copy));

      errors = collect_errors_against (copy, current);
      if (errors->len > 0)
        {
          g_propagate_error (error, g_error_copy (g_ptr_array_index (errors, 0)));
          goto failed;
        }

      if (find_in (current, burrow_profile_get_id (copy), &index) != NULL)
        g_ptr_array_remove_index (current, index);
      g_ptr_array_add (current, g_object_ref (copy));

      group = group_for_id (burrow_profile_get_id (copy));
      burrow_profile_save_to_key_file (copy, key_file, group);
    }

  if (commit->remove_id != NULL)
    {
      g_autofree char *group = group_for_id (commit->remove_id);

      if (!g_key_file_remove_group (key_file, group, NULL))
        {
          burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
                            _("Another program may have removed it already."),
                            _("The connection is no longer in connections.ini"));
          goto failed;
        }
    }

  if (!write_key_file (commit->path, key_file, error))
    goto failed;

  release_lock (lock);
  commit->fresh = profiles_from_key_file (key_file, NULL);
  return TRUE;

failed:
  release_lock (lock);
  return FALSE;
}

static void
take_problems (BurrowProfileStore *self,
               Commit             *commit)
{
  for (guint i = 0; i < commit->problems->len; i++)
    report_problem (self, g_ptr_array_index (commit->problems, i));
  g_ptr_array_set_size (commit->problems, 0);
}

/* Brings the list up to date after a change that was written; @adopt are
 * the caller's own objects, which take the place of new ones. */
static void
commit_apply (BurrowProfileStore *self,
              Commit             *commit,
              GPtrArray          *adopt)
{
  take_problems (self, commit);
  if (commit->fresh != NULL)
    sync_model (self, commit->fresh, adopt);
  flush_problems (self);

  /* A copy from a form gets the port that was chosen for it too. */
  for (guint i = 0; commit->fresh != NULL && adopt != NULL && i < adopt->len; i++)
    {
      BurrowProfile *profile = g_ptr_array_index (adopt, i);
      BurrowProfile *listed = burrow_profile_store_lookup (self, burrow_profile_get_id (profile));

      if (listed != NULL && listed != profile)
        burrow_profile_assign (profile, listed);
    }
}

/* Writes @change on the calling thread, and says so to a synchronous
 * change waiting for the worker. */
static void
write_change (BurrowProfileStore *self,
              Commit             *change)
{
  GError *error = NULL;
  gboolean done = commit_file (change, &error);

  g_mutex_lock (&self->written_lock);
  change->done = done;
  change->error = error;
  change->written = TRUE;
  g_cond_broadcast (&self->written_cond);
  g_mutex_unlock (&self->written_lock);
}

static gboolean
is_written (BurrowProfileStore *self,
            Commit             *change)
{
  gboolean written;

  g_mutex_lock (&self->written_lock);
  written = change->written;
  g_mutex_unlock (&self->written_lock);

  return written;
}

/* Once it has written, the worker touches the change no more: the queue
 * may let go of it before this thread's task is over. */
static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  write_change (source_object, task_data);
  g_task_return_boolean (task, TRUE);
}

static void settle_changes (BurrowProfileStore *self);

static void
on_change_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BurrowProfileStore *self = BURROW_PROFILE_STORE (source);

  self->worker_running = FALSE;
  settle_changes (self);
}

static gboolean
on_change_return (gpointer user_data)
{
  Commit *change = user_data;

  if (change->done)
    g_task_return_boolean (change->task, TRUE);
  else
    g_task_return_error (change->task, g_steal_pointer (&change->error));
  commit_free (change);

  return G_SOURCE_REMOVE;
}

/* The list follows every change written at the head of the queue, in the
 * order they were asked for; then the next one waiting goes to the
 * worker. A threaded change's caller hears from an idle, never from
 * inside another caller's synchronous change. A synchronous change's
 * caller reads its result and frees it. */
static void
settle_changes (BurrowProfileStore *self)
{
  Commit *change;

  while ((change = g_queue_peek_head (&self->changes)) != NULL && is_written (self, change))
    {
      g_queue_pop_head (&self->changes);
      if (change == self->working)
        self->working = NULL;
      commit_apply (self, change, change->adopt);
      if (change->task != NULL)
        burrow_source_attach (self->context, g_idle_source_new (), on_change_return, change);
    }

  if (!self->worker_running && change != NULL)
    {
      g_autoptr(GTask) worker = g_task_new (self, NULL, on_change_written, NULL);

      self->working = change;
      self->worker_running = TRUE;
      g_task_set_task_data (worker, change, NULL);
      g_task_run_in_thread (worker, change_thread);
    }
}

/* A change made on the caller's thread, in its turn: after the one in the
 * worker (waited for) and the ones asked for before it (made here, in
 * order). */
static gboolean
commit (BurrowProfileStore  *self,
        GPtrArray           *saves,
        const char          *remove_id,
        GError             **error)
{
  g_autoptr(Commit) change = commit_new (self, saves, remove_id);

  g_queue_push_tail (&self->changes, change);

  g_mutex_lock (&self->written_lock);
  while (self->working != NULL && !self->working->written)
    g_cond_wait (&self->written_cond, &self->written_lock);
  g_mutex_unlock (&self->written_lock);

  for (GList *l = self->changes.head; l != NULL && !change->written; l = l->next)
    if (!is_written (self, l->data))
      write_change (self, l->data);

  settle_changes (self);

  if (!change->done)
    g_propagate_error (error, g_steal_pointer (&change->error));
  return change->done;
}

static gboolean
reload (BurrowProfileStore  *self,
        GError             **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  g_autoptr(GPtrArray) entry_errors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  int lock;

  lock = take_lock (self->path, error);
  if (lock < 0)
    return FALSE;

  key_file = read_locked (self->path, problems, error);
  release_lock (lock);
  for (guint i = 0; i < problems->len; i++)
    report_problem (self, g_ptr_array_index (problems, i));
  if (key_file == NULL)
    {
      flush_problems (self);
      return FALSE;
    }

  /* A newer format is still shown; check_version () stops writes. An
   * entry that cannot be read is said once, not at every reload. */
  fresh = profiles_from_key_file (key_file, entry_errors);
  for (guint i = 0; i < entry_errors->len; i++)
    {
      GError *entry_error = g_ptr_array_index (entry_errors, i);

      if (g_hash_table_add (self->reported_entries, g_strdup (entry_error->message)))
        report_problem (self, entry_error);
    }
  sync_model (self, fresh, NULL);
  flush_problems (self);
  return TRUE;
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  BurrowProfileStore *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_source = 0;

  if (!reload (self, &error))
    {
      report_problem (self, error);
      flush_problems (self);
    }

  return G_SOURCE_REMOVE;
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  BurrowProfileStore *self = user_data;

  /* CHANGED comes for every write() of a writer that does not replace
   * the file in one rename (an editor, a shell redirection): reading then
   * would see half a file. The end of the write and the arrival or
   * departure of the whole file are what count. */
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_DELETED:
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      return;
    }

  /* One reload for a burst of events (a rename over the file and the
   * hints that follow it), after the last of them. */
  burrow_source_clear (self->context, &self->reload_source);
  self->reload_source = burrow_source_attach (self->context, g_timeout_source_new (50), on_reload_timeout, self);
}

static GType
burrow_profile_store_get_item_type (GListModel *model)
{
  return BURROW_TYPE_PROFILE;
}

static guint
burrow_profile_store_get_n_items (GListModel *model)
{
  return BURROW_PROFILE_STORE (model)->profiles->len;
}

static gpointer
burrow_profile_store_get_item (GListModel *model,
                               guint       position)
{
  BurrowProfileStore *self = BURROW_PROFILE_STORE (model);

  if (position >= self->profiles->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->profiles, position));
}

static void
burrow_profile_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = burrow_profile_store_get_item_type;
  iface->get_n_items = burrow_profile_store_get_n_items;
  iface->get_item = burrow_profile_store_get_item;
}

static void
burrow_profile_store_dispose (GObject *object)
{
  BurrowProfileStore *self = (BurrowProfileStore *)object;

  burrow_source_clear (self->context, &self->reload_source);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (burrow_profile_store_parent_class)->dispose (object);
}

static void
burrow_profile_store_finalize (GObject *object)
{
  BurrowProfileStore *self = (BurrowProfileStore *)object;

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->reported_entries, g_hash_table_unref);
  g_clear_pointer (&self->pending_problems, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->written_lock);
  g_cond_clear (&self->written_cond);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (burrow_profile_store_parent_class)->finalize (object);
}

static void
burrow_profile_store_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BurrowProfileStore *self = BURROW_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_profile_store_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BurrowProfileStore *self = BURROW_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = burrow_paths_connections_file ();
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_profile_store_class_init (BurrowProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_profile_store_dispose;
  object_class->finalize = burrow_profile_store_finalize;
  object_class->get_property = burrow_profile_store_get_property;
  object_class->set_property = burrow_profile_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowProfileStore::file-problem:
   * @error: what went wrong, with a hint
   *
   * connections.ini did not parse and was moved aside
   * (%BURROW_PROFILE_STORE_ERROR_BROKEN_FILE), a connection in it could not
   * be read and is not listed (%BURROW_PROFILE_ERROR_INVALID_ENTRY), or a
   * reload after another program's change failed.
   */
  signals[FILE_PROBLEM] =
    g_signal_new ("file-problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_profile_store_init (BurrowProfileStore *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->reported_entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_problems = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->changes);
  g_mutex_init (&self->written_lock);
  g_cond_init (&self->written_cond);
}

/* @path: NULL for the user's connections.ini. */
BurrowProfileStore *
burrow_profile_store_new (const char *path)
{
  return g_object_new (BURROW_TYPE_PROFILE_STORE, "path", path, NULL);
}

const char *
burrow_profile_store_get_path (BurrowProfileStore *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), NULL);

  return self->path;
}

/* Reads the file and from then on follows changes other programs make to
 * it. A file that does not parse is not an error here: the store starts
 * with what could be read and says so through "file-problem". */
gboolean
burrow_profile_store_load (BurrowProfileStore  *self,
                           GError             **error)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);

  if (!reload (self, error))
    return FALSE;

  if (self->monitor == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->path);

      /* Without a monitor Burrow still works; it just does not see
       * burrowctl's changes until the next start. */
      self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
      if (self->monitor != NULL)
        g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self);
    }

  return TRUE;
}

/* (transfer none) (nullable) */
BurrowProfile *
burrow_profile_store_lookup (BurrowProfileStore *self,
                             const char         *id)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return find_in (self->profiles, id, NULL);
}

/* Names are matched without regard to case, as duplicates are, and
 * without the blanks around them, which a profile's name never keeps.
 * (transfer none) (nullable) */
BurrowProfile *
burrow_profile_store_find_by_name (BurrowProfileStore *self,
                                   const char         *name)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  trimmed = g_strstrip (g_strdup (name));
  for (guint i = 0; i < self->profiles->len; i++)
    {
      BurrowProfile *profile = g_ptr_array_index (self->profiles, i);
      const char *other = burrow_profile_get_name (profile);

      if (other != NULL && compare_names (other, trimmed) == 0)
        return profile;
    }

  return NULL;
}

/* Every problem of @profile, its own and against the other connections
 * in the list, one GError per field. */
GPtrArray *
burrow_profile_store_collect_errors (BurrowProfileStore *self,
                                     BurrowProfile      *profile)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  return collect_errors_against (profile, self->profiles);
}

/* The port an automatic local port would get now: the first free one
 * from 10000 + the database's usual port that no other connection uses. */
guint16
burrow_profile_store_suggest_local_port (BurrowProfileStore *self,
                                         BurrowProfile      *profile)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), 0);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), 0);

  return choose_local_port (self->profiles, profile);
}

gboolean
burrow_profile_store_check (BurrowProfileStore  *self,
                            BurrowProfile       *profile,
                            GError             **error)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), FALSE);

  errors = collect_errors_against (profile, self->profiles);
  if (errors->len == 0)
    return TRUE;

  g_propagate_error (error, g_error_copy (g_ptr_array_index (errors, 0)));
  return FALSE;
}

/* Adds @profile, or updates the connection with its id. It is checked
 * against the file as it is now, not as it was loaded. An automatic local
 * port is chosen here, once. After this the list holds @profile itself
 * when it was new, or the existing object with @profile's values. */
gboolean
burrow_profile_store_save (BurrowProfileStore  *self,
                           BurrowProfile       *profile,
                           GError             **error)
{
  g_autoptr(GPtrArray) saves = g_ptr_array_new ();

  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), FALSE);

  g_ptr_array_add (saves, profile);

  return commit (self, saves, NULL, error);
}

/* Removes the connection from the file and nothing else; its secrets are
 * the engine's to forget (burrow_engine_remove_async()). */
gboolean
burrow_profile_store_remove (BurrowProfileStore  *self,
                             const char          *id,
                             GError             **error)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return commit (self, NULL, id, error);
}

static void
queue_change (BurrowProfileStore  *self,
              GPtrArray           *saves,
              const char          *remove_id,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  Commit *change = commit_new (self, saves, remove_id);

  change->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (change->task, source_tag);

  g_queue_push_tail (&self->changes, change);
  settle_changes (self);
}

/**
 * burrow_profile_store_save_async:
 *
 * As burrow_profile_store_save(), with the file read and written in a
 * worker thread: waiting for another writer's lock never holds up the
 * caller's loop. Changes asked for by one store are made in order.
 */
void
burrow_profile_store_save_async (BurrowProfileStore  *self,
                                 BurrowProfile       *profile,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) saves = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (BURROW_IS_PROFILE_STORE (self));
  g_return_if_fail (BURROW_IS_PROFILE (profile));

  g_ptr_array_add (saves, g_object_ref (profile));
  queue_change (self, saves, NULL, burrow_profile_store_save_async, cancellable, callback, user_data);
}

gboolean
burrow_profile_store_save_finish (BurrowProfileStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* As burrow_profile_store_remove(), in a worker thread. */
void
burrow_profile_store_remove_async (BurrowProfileStore  *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (BURROW_IS_PROFILE_STORE (self));
  g_return_if_fail (id != NULL);

  queue_change (self, NULL, id, burrow_profile_store_remove_async, cancellable, callback, user_data);
}

gboolean
burrow_profile_store_remove_finish (BurrowProfileStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Writes the connections of @ids (NULL: all) to @path for a colleague.
 * There are no secrets to leave out: none is ever in a profile. An
 * automatic local port is written as "auto", for the importer's own
 * machine to choose. */
gboolean
burrow_profile_store_export (BurrowProfileStore  *self,
                             const char * const  *ids,
                             const char          *path,
                             GError             **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_key_file_set_integer (key_file, META_GROUP, KEY_VERSION, BURROW_PROFILE_STORE_VERSION);
  g_key_file_set_boolean (key_file, META_GROUP, "export", TRUE);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      BurrowProfile *profile = g_ptr_array_index (self->profiles, i);
      g_autoptr(BurrowProfile) copy = NULL;
      g_autofree char *group = NULL;

      if (ids != NULL && !g_strv_contains (ids, burrow_profile_get_id (profile)))
        continue;

      copy = burrow_profile_copy (profile, FALSE);
      if (burrow_profile_get_local_port_auto (copy))
        burrow_profile_set_local_port (copy, 0);

      group = group_for_id (burrow_profile_get_id (copy));
      burrow_profile_save_to_key_file (copy, key_file, group);
    }

  data = g_key_file_to_data (key_file, &length, NULL);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_IO,
                        _("Check that the folder exists and is writable."),
                        _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Adds the connections of an export; one with an id the store has already
 * updates it (a colleague's newer copy). All or nothing: one that does not
 * pass the checks stops the import before anything is written. Returns the
 * imported profiles as they are now in the list. */
GPtrArray *
burrow_profile_store_import (BurrowProfileStore  *self,
                             const char          *path,
                             GError             **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) imported = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (BURROW_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_AN_EXPORT,
                        _("Import a file made with “burrowctl export” or the window’s Export."),
                        _("Cannot read %s: %s"), path, local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *id = id_from_group (groups[i]);
      g_autoptr(BurrowProfile) profile = NULL;

      if (id == NULL)
        continue;

      profile = burrow_profile_new_with_id (id);
      if (!burrow_profile_load_from_key_file (profile, key_file, groups[i], error))
        return NULL;
      g_ptr_array_add (imported, g_steal_pointer (&profile));
    }

  if (imported->len == 0)
    {
      burrow_set_error (error, BURROW_PROFILE_STORE_ERROR, BURROW_PROFILE_STORE_ERROR_NOT_AN_EXPORT,
                        _("Import a file made with “burrowctl export” or the window’s Export."),
                        _("%s holds no connections"), path);
      return NULL;
    }

  if (!commit (self, imported, NULL, error))
    return NULL;

  for (guint i = 0; i < imported->len; i++)
    {
      BurrowProfile *profile = burrow_profile_store_lookup (self, burrow_profile_get_id (g_ptr_array_index (imported, i)));

      if (profile != NULL)
        g_ptr_array_add (result, g_object_ref (profile));
    }

  return g_steal_pointer (&result);
}
