/* burrow-engine-running.c — the tunnels other Burrow processes run.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each process that runs a tunnel (a window, burrowctl up) keeps one small
 * file per running connection in $XDG_RUNTIME_DIR/burrow/running/: the
 * connection's id and name, the process's pid and start time, the port
 * it listens on, and the settings the tunnel was built from. It writes
 * the file once the port listens and removes it when the tunnel stops.
 * Every engine reads the folder, and again whenever a file comes or goes
 * (a GFileMonitor) or a process that wrote one ends (a pidfd), so that:
 *
 *   - a connection shows "running-elsewhere" while another process runs
 *     it, for the window, the tray and burrowctl list;
 *   - a port that will not listen is explained: the same connection up
 *     in burrowctl (use it, it leads to the same database), another
 *     connection of another Burrow, or a program that is not Burrow.
 *
 * A file whose process is gone (a crash, SIGKILL) is stale: it is
 * ignored and removed by whoever notices. A pid that was reused by an
 * unrelated process is told apart by its start time.
 *
 * The files are a few bytes in the runtime folder, a tmpfs: they are
 * read and written on the engine's thread.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "burrow-engine-private.h"
#include "burrow-error.h"
#include "burrow-paths.h"
#include "burrow-source.h"

#define GROUP "tunnel"
#define SUFFIX ".tunnel"

/* One tunnel another process runs. */
typedef struct
{
  char    *id;
  char    *name;
  guint    pid;
  guint16  port;
  char    *program;
  char    *settings;
} Record;

static void
record_free (Record *record)
{
  g_free (record->id);
  g_free (record->name);
  g_free (record->program);
  g_free (record->settings);
  g_free (record);
}

/* A process that ended without removing its files is watched through a
 * pidfd, where the kernel has them: the records go as it goes. */
typedef struct
{
  int      fd;
  GSource *source;
} PidWatch;

static void
pid_watch_free (PidWatch *watch)
{
  if (watch->source != NULL)
    {
      g_source_destroy (watch->source);
      g_source_unref (watch->source);
    }
  close (watch->fd);
  g_free (watch);
}

/* pid → PidWatch */
static GHashTable *
new_pid_watches (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)pid_watch_free);
}

/* From /proc/PID/stat: the state (field 3) and when the process started
 * (field 22, clock ticks since boot). With the pid, the start time names
 * one process for its whole life. FALSE where /proc does not say. */
static gboolean
read_process_stat (guint    pid,
                   char    *state,
                   guint64 *start_time)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;

  /* The command name is in parentheses and may hold spaces. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return FALSE;

  /* fields[0] is "", fields[1] is field 3, so field 22 is fields[20]. */
  fields = g_strsplit (after_name + 1, " ", 0);
  if (g_strv_length (fields) < 21)
    return FALSE;

  *state = fields[1][0];
  *start_time = g_ascii_strtoull (fields[20], NULL, 10);
  return TRUE;
}

static guint64
own_start_time (void)
{
  static gsize once = 0;
  static guint64 start_time = 0;

  if (g_once_init_enter (&once))
    {
      char state;

      read_process_stat (getpid (), &state, &start_time);
      g_once_init_leave (&once, 1);
    }

  return start_time;
}

static gboolean
process_alive (guint   pid,
               guint64 start_time)
{
  char state;
  guint64 now;

  if (pid == 0 || (kill ((pid_t)pid, 0) != 0 && errno != EPERM))
    return FALSE;

  /* Where /proc does not say, the pid alone has to do. A process that
   * ended but was not reaped yet runs no tunnel either. */
  if (!read_process_stat (pid, &state, &now))
    return TRUE;

  return state != 'Z' && state != 'X' && (start_time == 0 || now == start_time);
}

static char *
record_path (BurrowEngine *self,
             guint         pid,
             const char   *id)
{
  /* The id comes from connections.ini, where a hand may have put any
   * character: the file is named after its hash. */
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, id, -1);
  g_autofree char *name = g_strdup_printf ("%u-%.16s" SUFFIX, pid, hash);

  return g_build_filename (self->running_dir, name, NULL);
}

static Record *
read_record (const char *path,
             guint64    *start_time)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  Record *record;
  guint64 pid, port;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return NULL;

  pid = g_key_file_get_uint64 (key_file, GROUP, "pid", NULL);
  port = g_key_file_get_uint64 (key_file, GROUP, "port", NULL);
  if (pid == 0 || pid > G_MAXINT || port == 0 || port > G_MAXUINT16)
    return NULL;

  record = g_new0 (Record, 1);
  record->id = g_key_file_get_string (key_file, GROUP, "id", NULL);
  record->name = g_key_file_get_string (key_file, GROUP, "name", NULL);
  record->program = g_key_file_get_string (key_file, GROUP, "program", NULL);
  record->settings = g_key_file_get_string (key_file, GROUP, "settings", NULL);
  record->pid = pid;
  record->port = port;
  *start_time = g_key_file_get_uint64 (key_file, GROUP, "start-time", NULL);

  if (record->id == NULL)
    {
      record_free (record);
      return NULL;
    }

  return record;
}

/* "burrowctl (pid 4242)" or "another Burrow window (pid 4242)". */
static char *
describe_place (const Record *record)
{
  if (g_str_has_prefix (record->program != NULL ? record->program : "", "burrowctl"))
    return g_strdup_printf (_("burrowctl (pid %u)"), record->pid);

  return g_strdup_printf (_("another Burrow window (pid %u)"), record->pid);
}

static const Record *
find_record (BurrowEngine *self,
             const char   *id,
             guint16       port)
{
  for (guint i = 0; i < self->elsewhere->len; i++)
    {
      const Record *record = g_ptr_array_index (self->elsewhere, i);

      if ((id == NULL || g_str_equal (record->id, id)) && (port == 0 || record->port == port))
        return record;
    }

  return NULL;
}

/* Sets @connection's "running-elsewhere" from the records last read. */
void
burrow_engine_apply_running (BurrowEngine     *self,
                             BurrowConnection *connection)
{
  const Record *record = find_record (self, burrow_connection_get_id (connection), 0);
  g_autofree char *place = NULL;
  g_autofree char *summary = NULL;

  if (record == NULL)
    {
      burrow_connection_set_running_elsewhere (connection, 0, 0, NULL);
      return;
    }

  place = describe_place (record);
  /* "Runs", not "Up": the other process holds the port even while its
   * tunnel waits for the bastion, and says its own state itself. */
  /* TRANSLATORS: "Runs in burrowctl (pid 4242) on 127.0.0.1:15432" */
  summary = g_strdup_printf (_("Runs in %s on 127.0.0.1:%u"), place, record->port);
  burrow_connection_set_running_elsewhere (connection, record->pid, record->port, summary);
}

static void schedule_scan (BurrowEngine *self);

/* The pidfd stays readable once the process ended: this fires once, and
 * the next read lets go of the watch. */
static gboolean
on_process_ended (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  schedule_scan (user_data);

  return G_SOURCE_REMOVE;
}

static void
watch_process (BurrowEngine *self,
               guint         pid,
               GHashTable   *watches)
{
  PidWatch *watch;

  /* Watched already in this read: a process that runs several tunnels. */
  if (g_hash_table_contains (watches, GUINT_TO_POINTER (pid)))
    return;

  watch = g_hash_table_lookup (self->running_watches, GUINT_TO_POINTER (pid));
  if (watch == NULL)
    {
#ifdef SYS_pidfd_open
      int fd = syscall (SYS_pidfd_open, (pid_t)pid, 0);

      if (fd < 0)
        return;

      watch = g_new0 (PidWatch, 1);
      watch->fd = fd;
      watch->source = g_unix_fd_source_new (fd, G_IO_IN);
      g_source_set_callback (watch->source, G_SOURCE_FUNC (on_process_ended), self, NULL);
      g_source_attach (watch->source, self->context);
#else
      return;
#endif
    }
  else
    g_hash_table_steal (self->running_watches, GUINT_TO_POINTER (pid));

  g_hash_table_insert (watches, GUINT_TO_POINTER (pid), watch);
}

/* Reads every record; removes the stale ones. */
static void
scan (BurrowEngine *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->running_dir, 0, NULL);
  g_autoptr(GHashTable) watches = new_pid_watches ();
  guint own_pid = getpid ();
  const char *name;

  g_ptr_array_set_size (self->elsewhere, 0);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      guint64 start_time = 0;
      Record *record;

      /* Files on their way in (a write's temporary name) are not yet
       * records. */
      if (!g_str_has_suffix (name, SUFFIX))
        continue;

      path = g_build_filename (self->running_dir, name, NULL);
      record = read_record (path, &start_time);
      if (record == NULL)
        continue;

      /* This process's own (of this engine or another one here), or left
       * by an earlier process that had this pid, which is stale. */
      if (record->pid == own_pid)
        {
          if (start_time != 0 && start_time != own_start_time ())
            g_unlink (path);
          record_free (record);
          continue;
        }

      if (!process_alive (record->pid, start_time))
        {
          g_debug ("Removing the record of a tunnel whose process is gone: %s", path);
          g_unlink (path);
          record_free (record);
          continue;
        }

      watch_process (self, record->pid, watches);
      g_ptr_array_add (self->elsewhere, record);
    }

  /* The watches of processes no longer listed go with the old table. */
  g_hash_table_unref (self->running_watches);
  self->running_watches = g_steal_pointer (&watches);

  for (guint i = 0; i < self->connections->len; i++)
    burrow_engine_apply_running (self, g_ptr_array_index (self->connections, i));
}

static gboolean
on_scan (gpointer user_data)
{
  BurrowEngine *self = user_data;

  self->running_scan_source = 0;
  scan (self);

  return G_SOURCE_REMOVE;
}

/* One read for a burst of events (a write is a create and a rename). */
static void
schedule_scan (BurrowEngine *self)
{
  if (self->running_scan_source == 0)
    self->running_scan_source = burrow_source_attach (self->context, g_idle_source_new (), on_scan, self);
}

static void
on_running_dir_changed (GFileMonitor      *monitor,
                        GFile             *file,
                        GFile             *other_file,
                        GFileMonitorEvent  event,
                        gpointer           user_data)
{
  schedule_scan (user_data);
}

void
burrow_engine_init_running (BurrowEngine *self)
{
  self->running_dir = burrow_paths_running_dir ();
  self->running_watches = new_pid_watches ();
  self->own_records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->elsewhere = g_ptr_array_new_with_free_func ((GDestroyNotify)record_free);
}

void
burrow_engine_finalize_running (BurrowEngine *self)
{
  g_clear_pointer (&self->running_watches, g_hash_table_unref);
  g_clear_pointer (&self->own_records, g_hash_table_unref);
  g_clear_pointer (&self->elsewhere, g_ptr_array_unref);
  g_free (self->running_dir);
}

/* Reads the records of the other processes and follows them from now on. */
void
burrow_engine_watch_running (BurrowEngine *self)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (self->running_dir, 0700) != 0)
    g_debug ("Cannot create %s: %s", self->running_dir, g_strerror (errno));

  dir = g_file_new_for_path (self->running_dir);
  self->running_monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->running_monitor != NULL)
    g_signal_connect (self->running_monitor, "changed", G_CALLBACK (on_running_dir_changed), self);
  else
    g_debug ("Tunnels in other Burrow processes are not followed: %s", error->message);

  scan (self);
}

void
burrow_engine_unwatch_running (BurrowEngine *self)
{
  burrow_source_clear (self->context, &self->running_scan_source);
  if (self->running_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->running_monitor, self);
  g_clear_object (&self->running_monitor);
  if (self->running_watches != NULL)
    g_hash_table_remove_all (self->running_watches);
}

/* Writes or removes this process's record of @connection, as its tunnel
 * listens or stops. */
void
burrow_engine_record_running (BurrowEngine     *self,
                              BurrowConnection *connection)
{
  BurrowTunnel *tunnel = burrow_connection_get_tunnel (connection);
  g_autofree char *path = record_path (self, getpid (), burrow_connection_get_id (connection));
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *settings = NULL;
  guint16 port = tunnel != NULL ? burrow_tunnel_get_bound_port (tunnel) : 0;
  gsize length;

  if (port == 0)
    {
      if (g_hash_table_remove (self->own_records, path))
        g_unlink (path);
      return;
    }

  settings = burrow_connection_dup_settings_key (connection);
  key_file = g_key_file_new ();
  g_key_file_set_string (key_file, GROUP, "id", burrow_connection_get_id (connection));
  g_key_file_set_string (key_file, GROUP, "name", burrow_connection_get_name (connection));
  g_key_file_set_uint64 (key_file, GROUP, "pid", getpid ());
  g_key_file_set_uint64 (key_file, GROUP, "start-time", own_start_time ());
  g_key_file_set_string (key_file, GROUP, "program", g_get_prgname () != NULL ? g_get_prgname () : "burrow");
  g_key_file_set_uint64 (key_file, GROUP, "port", port);
  g_key_file_set_string (key_file, GROUP, "settings", settings);
  data = g_key_file_to_data (key_file, &length, NULL);

  g_hash_table_add (self->own_records, g_strdup (path));
  if (g_mkdir_with_parents (self->running_dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_debug ("Other Burrow processes will not see that “%s” runs here: %s",
             burrow_connection_get_name (connection), error != NULL ? error->message : g_strerror (errno));
}

/**
 * burrow_engine_explain_port_taken:
 * @port: the local port that would not listen
 *
 * Returns: (transfer full): why @connection's @port is taken, as
 *   %BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN: the same connection up in
 *   another Burrow process (which leads to the same database), another
 *   connection there, or a program that is not Burrow
 */
GError *
burrow_engine_explain_port_taken (BurrowEngine     *self,
                                  BurrowConnection *connection,
                                  guint16           port)
{
  const char *name = burrow_connection_get_name (connection);
  g_autofree char *settings = burrow_connection_dup_settings_key (connection);
  g_autofree char *place = NULL;
  g_autofree char *hint = NULL;
  const Record *record;
  GError *error = NULL;
  guint16 free_port;

  /* The folder may have changed since the last event was handled. */
  scan (self);

  record = find_record (self, burrow_connection_get_id (connection), port);
  if (record != NULL)
    {
      place = describe_place (record);
      hint = g_strdup (g_strcmp0 (record->settings, settings) == 0
                       ? _("Stop it there, or use it: it leads to the same database.")
                       : _("Stop it there, then connect here: it runs with the settings it started with."));
      burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN, hint,
                        _("“%s” already runs in %s on 127.0.0.1:%u"), name, place, port);
      return error;
    }

  free_port = burrow_engine_suggest_local_port (self, burrow_connection_get_profile (connection));
  if (free_port != 0)
    hint = g_strdup_printf (_("Stop it there, or choose another local port for “%s”: %u is free."),
                            name, free_port);

  record = find_record (self, NULL, port);
  if (record != NULL)
    {
      place = describe_place (record);
      burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN, hint,
                        _("Port %u is taken by “%s”, up in %s"), port,
                        record->name != NULL ? record->name : record->id, place);
      return error;
    }

  g_clear_pointer (&hint, g_free);
  if (free_port != 0)
    hint = g_strdup_printf (_("Stop the program that uses it, or choose another local port for “%s”: "
                              "%u is free."), name, free_port);
  else
    hint = g_strdup (_("Stop the program that uses it, or choose another local port."));
  burrow_set_error (&error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN, hint,
                    _("Port %u is taken by another program"), port);
  return error;
}
