/* burrow-bench-app.c — the window's speed: how soon it shows, how evenly
 * it draws while a tunnel in it moves data, and its tunnel's round trip.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real app (src/app/burrow) runs as a user runs it, on an Xvfb of this
 * program's own (GSK_RENDERER=cairo, as `build-aux/dev shot` draws, unless
 * the environment names another), a private session bus with a real
 * keyring, 200 connections in connections.ini, its own engine, and a real
 * sshd and echo server on loopback. BURROW_FRAME_LOG makes the app write
 * the time of each frame its window paints (src/app/burrow-frame-log.c).
 *
 * 1. Start to first frame: from spawning a fresh process to the end of
 *    the first frame its window paints, several times.
 * 2. Frames while a tunnel in the app echoes 1 GiB (checked byte for
 *    byte): the intervals between the window's frames, beside the same
 *    window idle, and while `burrowctl up` echoes as much instead (the
 *    machine as busy, the app's main loop free). The window draws only
 *    while something moves: one connection signs in with a key file
 *    whose passphrase is not stored, so the app asks for it and the
 *    question stays open; that connection stays "Connecting…", the
 *    spinners of its row and of its page turning, for the whole run.
 * 3. The 64-byte round trip through the app's tunnel, spinner turning,
 *    beside `burrowctl up` of another connection to the same target, in
 *    turns.
 *
 *   burrow-bench-app BUILD_DIR [MIB]
 *
 * BURROW_BENCH_SCREENSHOT=PATH saves the screen (ImageMagick's import)
 * after the transfers, to see what the window was drawing.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "burrow-bench-echo.h"
#include "burrow-bench-stats.h"
#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-sshd.h"
#include "burrow-test-up.h"

#define N_CONNECTIONS 200
#define N_STARTS 5
#define IDLE_SECONDS 5
#define PINGS_PER_TURN 500
#define TURNS 10
#define MIB (1024 * 1024)

/* Of the 200, the first (the top of the list) signs in with a key whose
 * passphrase is asked, the second is connected in the app, the third
 * runs in `burrowctl up`. */
#define UP_NAME "Warehouse 003"

typedef struct
{
  const char      *app_path;
  char            *bus_path;
  char            *dir;
  GDBusConnection *bus;
  GSubprocess     *process;
  char            *frame_log;
  char            *app_log;
} App;

/* The painted times (monotonic µs) of the frames in @app's log. */
static GArray *
read_frames (App *app)
{
  g_autofree char *contents = burrow_test_read_log (app->frame_log);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  GArray *painted = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 counter, frame_time, time;

      /* A line being written has fewer fields. */
      if (sscanf (lines[i], "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                  &counter, &frame_time, &time) == 3)
        g_array_append_val (painted, time);
    }

  return painted;
}

/* Intervals in ms between consecutive frames painted within [@from, @to]. */
static GArray *
frame_intervals (App    *app,
                 gint64  from,
                 gint64  to)
{
  g_autoptr(GArray) painted = read_frames (app);
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 1; i < painted->len; i++)
    {
      gint64 before = g_array_index (painted, gint64, i - 1), after = g_array_index (painted, gint64, i);

      if (before >= from && after <= to)
        {
          double interval = (after - before) / 1000.0;

          g_array_append_val (intervals, interval);
        }
    }

  return intervals;
}

static void
die_with_log (App        *app,
              const char *what)
{
  g_autofree char *log = app->app_log != NULL ? burrow_test_read_log (app->app_log) : g_strdup ("");

  g_error ("%s; the app said:\n%s", what, log);
}

/* Waits until the window painted its first frame; returns its time. */
static gint64
wait_for_first_frame (App *app)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GArray) painted = read_frames (app);

      if (painted->len > 0)
        return g_array_index (painted, gint64, 0);
      if (g_subprocess_get_identifier (app->process) == NULL)
        die_with_log (app, "The app ended before its window showed");
      g_usleep (2000);
    }

  die_with_log (app, "The window showed no frame within 30 s");
  return 0;
}

/* Starts the app with a frame log of its own; returns the monotonic time
 * of the spawn. */
static gint64
app_start (App  *app,
           guint run)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("frames-%u", run);
  gint64 start;

  g_free (app->frame_log);
  app->frame_log = g_build_filename (app->dir, name, NULL);
  g_subprocess_launcher_setenv (launcher, "BURROW_FRAME_LOG", app->frame_log, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, app->app_log);
  g_subprocess_launcher_set_stderr_file_path (launcher, app->app_log);

  start = g_get_monotonic_time ();
  app->process = g_subprocess_launcher_spawn (launcher, &error, app->app_path, NULL);
  if (app->process == NULL)
    g_error ("%s did not start: %s", app->app_path, error->message);

  return start;
}

/* Activates the action @name of the app ("quit", "show-connection") or
 * of its first window ("connect"), with @id as parameter when not %NULL,
 * as the tray or `gapplication action` would over D-Bus. */
static void
app_activate (App        *app,
              gboolean    window,
              const char *name,
              const char *id)
{
  g_autofree char *path = g_strconcat (app->bus_path, window ? "/window/1" : "", NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder parameter;

  g_variant_builder_init (&parameter, G_VARIANT_TYPE ("av"));
  if (id != NULL)
    g_variant_builder_add (&parameter, "v", g_variant_new_string (id));

  reply = g_dbus_connection_call_sync (app->bus, APP_ID, path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", name, &parameter, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  if (reply == NULL)
    die_with_log (app, error->message);
}

/* Quits as the menu does and waits for the process to end, so that the
 * next start owns the bus name again. */
static void
app_quit (App *app)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  app_activate (app, FALSE, "quit", NULL);
  while (g_subprocess_get_identifier (app->process) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  burrow_test_stop_process (&app->process, SIGKILL);
}

/* Whether the window draws continuously: a spinner turning. */
static gboolean
is_animating (gpointer data)
{
  App *app = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GArray) intervals = frame_intervals (app, now - G_USEC_PER_SEC, now);

  if (intervals->len >= 30)
    return TRUE;

  g_usleep (50000);
  return FALSE;
}

static gboolean
is_tunnel_through (gpointer data)
{
  g_autoptr(GError) error = NULL;

  return burrow_test_echo_exchange (GPOINTER_TO_UINT (data), 1, MIB, &error);
}

static void
take_screenshot (void)
{
  const char *path = g_getenv ("BURROW_BENCH_SCREENSHOT");
  g_autofree char *import = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;

  import = burrow_test_find_program ("import");
  if (import == NULL)
    {
      fprintf (stderr, "No screenshot: ImageMagick's import is not installed\n");
      return;
    }

  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    if (!burrow_test_run (argv, NULL, NULL, &error))
      fprintf (stderr, "No screenshot: %s\n", error->message);
    else
      fprintf (stderr, "screenshot: %s\n", path);
  }
}

/* An Xvfb of this program's own, for the app and nothing else. */
static GSubprocess *
start_xvfb (const char *dir)
{
  g_autofree char *xvfb = burrow_test_find_program ("Xvfb");
  g_autofree char *log_path = g_build_filename (dir, "xvfb.log", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  /* -displayfd 1: the display's number comes on its standard output. */
  const char *argv[] = { xvfb, "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset", NULL };
  GSubprocess *process;

  if (xvfb == NULL)
    g_error ("Xvfb is not installed (package xvfb)");
  process = burrow_test_spawn (argv, NULL, log_path, &error);
  if (process == NULL)
    g_error ("Xvfb did not start: %s", error->message);

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *log = burrow_test_read_log (log_path);
      g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

      /* Only a whole line: the last one may be cut. */
      for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
        if (lines[i][0] != '\0' && strspn (lines[i], "0123456789") == strlen (lines[i]))
          {
            g_autofree char *display = g_strconcat (":", lines[i], NULL);

            g_setenv ("DISPLAY", display, TRUE);
            return process;
          }
      if (g_subprocess_get_identifier (process) == NULL)
        g_error ("Xvfb ended: %s", log);
      g_usleep (10000);
    }

  g_error ("Xvfb gave no display within 15 s");
  return NULL;
}

/* 200 connections as an analyst's list might hold them: all through the
 * fixture's sshd, the first three as described at the top, the others
 * never connected. Returns the ids of the first three. */
static GStrv
write_connections (BurrowTestSshd *sshd,
                   guint16         echo_port,
                   const char     *spinner_key)
{
  g_autofree char *path = burrow_paths_connections_file ();
  g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (path);
  g_autoptr(GError) error = NULL;
  static const BurrowDbKind kinds[] = { BURROW_DB_KIND_POSTGRESQL, BURROW_DB_KIND_MYSQL, BURROW_DB_KIND_REDSHIFT };
  GStrv ids = g_new0 (char *, 4);

  for (guint i = 1; i <= N_CONNECTIONS; i++)
    {
      g_autoptr(BurrowProfile) profile = burrow_profile_new ();
      g_autofree char *name = g_strdup_printf ("Warehouse %03u", i);
      g_autofree char *db_host = g_strdup_printf ("db-%03u.internal", i);

      burrow_profile_set_name (profile, name);
      burrow_profile_set_tunnel_enabled (profile, TRUE);
      burrow_profile_set_ssh_host (profile, "127.0.0.1");
      burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
      burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
      burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
      burrow_profile_set_ssh_key_file (profile, i == 1 ? spinner_key : burrow_test_sshd_get_client_key_path (sshd));
      if (i <= 3)
        {
          burrow_profile_set_db_kind (profile, BURROW_DB_KIND_OTHER);
          burrow_profile_set_db_host (profile, "127.0.0.1");
          burrow_profile_set_db_port (profile, echo_port);
          burrow_profile_set_local_port (profile, burrow_test_get_free_port ());
          ids[i - 1] = g_strdup (burrow_profile_get_id (profile));
        }
      else
        {
          burrow_profile_set_db_kind (profile, kinds[i % G_N_ELEMENTS (kinds)]);
          burrow_profile_set_db_host (profile, db_host);
          burrow_profile_set_db_name (profile, "analytics");
          burrow_profile_set_db_user (profile, "analyst");
          burrow_profile_set_local_port (profile, 20000 + i);
        }

      if (!burrow_profile_store_save (store, profile, &error))
        g_error ("Could not save %s: %s", name, error->message);
    }

  return ids;
}

static void
print_figure (const char *what,
              const char *value,
              const char *other,
              double      ratio,
              const char *target)
{
  g_autofree char *ratio_text = ratio > 0 ? g_strdup_printf ("%.2f", ratio) : g_strdup ("");

  printf ("| %s | %s | %s | %s | %s |\n", what, value, other, ratio_text, target);
  fflush (stdout);
}

/* Figure 1: fresh processes, one after the other; the last one stays. */
static void
measure_start (App *app)
{
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *value = NULL, *what = NULL;
  g_autoptr(GString) each = g_string_new (NULL);

  for (guint run = 0; run < N_STARTS; run++)
    {
      gint64 start = app_start (app, run);
      double elapsed = (wait_for_first_frame (app) - start) / 1e6;

      g_array_append_val (seconds, elapsed);
      g_string_append_printf (each, "%s%.2f", run > 0 ? ", " : "", elapsed);
      if (run + 1 < N_STARTS)
        app_quit (app);
    }

  fprintf (stderr, "start to first frame, each run: %s s\n", each->str);
  value = g_strdup_printf ("median %.2f s, max %.2f s", burrow_bench_percentile (seconds, 0.5),
                           burrow_bench_percentile (seconds, 1.0));
  what = g_strdup_printf ("the app: start to its window's first frame, %u connections (%u starts)",
                          N_CONNECTIONS, N_STARTS);
  print_figure (what, value, "—", 0, "≤ 0.5 s");
}

static char *
describe_intervals (GArray *intervals)
{
  return g_strdup_printf ("p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                          burrow_bench_percentile (intervals, 0.5), burrow_bench_percentile (intervals, 0.99),
                          burrow_bench_percentile (intervals, 1.0));
}

/* The intervals between the window's frames while @mib MiB are echoed
 * through 127.0.0.1:@port. */
static GArray *
frames_during_transfer (App        *app,
                        guint16     port,
                        gsize       mib,
                        const char *through)
{
  BurrowBenchTransfer transfer = { port, mib * MIB, FALSE, NULL };
  GArray *intervals;
  gint64 from, to;

  from = g_get_monotonic_time ();
  burrow_test_run_thread (burrow_bench_transfer_thread, &transfer);
  to = g_get_monotonic_time ();
  if (!transfer.ok)
    die_with_log (app, transfer.message);
  intervals = frame_intervals (app, from, to);

  fprintf (stderr, "%s: %u frames in %.1f s (%.2f Gbit/s echoed)\n", through, intervals->len, (to - from) / 1e6,
           mib * MIB * 8.0 / ((to - from) / 1e6) / 1e9);
  if (intervals->len == 0)
    die_with_log (app, "The window drew no frames");

  return intervals;
}

/* Figure 2: the window's frames idle, while the app's tunnel echoes, and
 * while burrowctl up's does (the same work for the machine, none for the
 * app's main loop). */
static void
measure_frames (App     *app,
                guint16  app_port,
                guint16  up_port,
                gsize    mib)
{
  g_autoptr(GArray) idle = NULL;
  g_autoptr(GArray) through_app = NULL;
  g_autoptr(GArray) through_up = NULL;
  g_autofree char *idle_text = NULL, *app_text = NULL, *up_text = NULL;
  g_autofree char *what = NULL, *what_up = NULL;
  gint64 from;

  from = g_get_monotonic_time ();
  g_usleep (IDLE_SECONDS * G_USEC_PER_SEC);
  idle = frame_intervals (app, from, g_get_monotonic_time ());
  fprintf (stderr, "idle: %u frames in %d s\n", idle->len, IDLE_SECONDS);
  if (idle->len == 0)
    die_with_log (app, "The window drew no frames");

  through_app = frames_during_transfer (app, app_port, mib, "the app's tunnel");
  through_up = frames_during_transfer (app, up_port, mib, "burrowctl up");
  take_screenshot ();

  idle_text = describe_intervals (idle);
  app_text = describe_intervals (through_app);
  up_text = describe_intervals (through_up);
  what = g_strdup_printf ("the app: intervals between its window's frames, a spinner turning, while its tunnel "
                          "echoes %" G_GSIZE_FORMAT " MiB (%u frames; beside: the same window idle)",
                          mib, through_app->len);
  print_figure (what, app_text, idle_text, 0, "p99 ≤ 17 ms");
  what_up = g_strdup_printf ("the same window while `burrowctl up` echoes %" G_GSIZE_FORMAT " MiB instead "
                             "(the machine as busy, the app's main loop free)", mib);
  print_figure (what_up, up_text, "", 0, "");
}

/* Figure 3: round trips through the app's tunnel and burrowctl up's, in
 * turns. */
static void
measure_round_trips (App     *app,
                     guint16  app_port,
                     guint16  up_port)
{
  g_autoptr(GArray) through_app = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) through_up = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *app_text = NULL, *up_text = NULL;
  double app_p50, up_p50;

  for (guint turn = 0; turn < TURNS; turn++)
    {
      g_autoptr(GArray) a = burrow_bench_ping_pong (app_port, PINGS_PER_TURN, NULL);
      g_autoptr(GArray) b = burrow_bench_ping_pong (up_port, PINGS_PER_TURN, NULL);

      g_array_append_vals (through_app, a->data, a->len);
      g_array_append_vals (through_up, b->data, b->len);
    }

  app_p50 = burrow_bench_percentile (through_app, 0.5);
  up_p50 = burrow_bench_percentile (through_up, 0.5);
  fprintf (stderr, "round trips: the app p50 %.0f µs, p99 %.0f µs; burrowctl up p50 %.0f µs, p99 %.0f µs\n",
           app_p50, burrow_bench_percentile (through_app, 0.99), up_p50, burrow_bench_percentile (through_up, 0.99));
  if (!is_animating (app))
    die_with_log (app, "The spinner stopped during the round trips");

  app_text = g_strdup_printf ("%.0f µs", app_p50);
  up_text = g_strdup_printf ("%.0f µs (`burrowctl up`)", up_p50);
  print_figure ("the app: 64-byte round trip p50 through its tunnel, a spinner turning", app_text, up_text,
                app_p50 / up_p50, "≤ 1.2");
}

static const char *home_variables[] = {
  "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(BurrowTestSshd) sshd = NULL;
  g_autoptr(BurrowTestEcho) echo = NULL;
  g_autoptr(BurrowTestUp) up = NULL;
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *burrowctl = NULL, *schemas = NULL, *spinner_key = NULL;
  g_autofree char *app_path = NULL;
  g_auto(GStrv) ids = NULL;
  gsize mib;
  guint16 app_port, up_port;
  App app = { 0 };

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s BUILD_DIR [MIB]\n", argv[0]);
      return 2;
    }
  mib = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 1024;
  signal (SIGPIPE, SIG_IGN);

  app_path = g_build_filename (argv[1], "src", "app", "burrow", NULL);
  burrowctl = g_build_filename (argv[1], "src", "cli", "burrowctl", NULL);
  schemas = g_build_filename (argv[1], "data", NULL);
  g_setenv ("BURROWCTL", burrowctl, TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  app.app_path = app_path;
  app.dir = burrow_test_make_dir ("burrow-bench-app-XXXXXX");
  app.app_log = g_build_filename (app.dir, "app.log", NULL);
  app.bus_path = g_strconcat ("/", APP_ID, NULL);
  g_strdelimit (app.bus_path, ".", '/');
  /* HOME and the XDG directories of the app, burrowctl and the keyring in
   * the throwaway directory, before anything reads them. */
  for (guint i = 0; i < G_N_ELEMENTS (home_variables); i++)
    {
      g_autofree char *path = g_build_filename (app.dir, home_variables[i], NULL);

      g_mkdir (path, 0700);
      g_setenv (home_variables[i], path, TRUE);
    }

  xvfb = start_xvfb (app.dir);
  keyring = burrow_test_keyring_new (&error);
  if (keyring == NULL)
    g_error ("%s", error->message);
  app.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (app.bus == NULL)
    g_error ("%s", error->message);
  g_dbus_connection_set_exit_on_close (app.bus, FALSE);

  sshd = burrow_test_up_start_sshd ();
  echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  spinner_key = g_build_filename (app.dir, "passphrase-key", NULL);
  {
    g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
    const char *keygen_argv[] = { keygen, "-q", "-t", "ed25519", "-N", "not stored anywhere", "-f", spinner_key, NULL };

    if (!burrow_test_run (keygen_argv, NULL, NULL, &error))
      g_error ("%s", error->message);
  }
  ids = write_connections (sshd, burrow_test_echo_get_port (echo), spinner_key);

  fprintf (stderr, "the app, %u connections, renderer %s…\n", N_CONNECTIONS, g_getenv ("GSK_RENDERER"));
  measure_start (&app);

  /* The question stays open: the spinner turns until the app quits. Its
   * page shows it too, beside the question. */
  app_activate (&app, TRUE, "connect", ids[0]);
  app_activate (&app, FALSE, "show-connection", ids[0]);
  if (!burrow_test_wait_until (is_animating, &app, 15000))
    die_with_log (&app, "The window does not animate: no spinner turning");

  app_activate (&app, TRUE, "connect", ids[1]);
  {
    g_autofree char *path = burrow_paths_connections_file ();
    g_autoptr(BurrowProfileStore) store = burrow_profile_store_new (path);

    if (!burrow_profile_store_load (store, &error))
      g_error ("%s", error->message);
    app_port = burrow_profile_get_local_port (burrow_profile_store_lookup (store, ids[1]));
  }
  if (!burrow_test_wait_until (is_tunnel_through, GUINT_TO_POINTER (app_port), 30000))
    die_with_log (&app, "The app's tunnel did not come up");

  up = burrow_test_up_new (UP_NAME, NULL, &error);
  if (up == NULL)
    g_error ("%s", error->message);
  up_port = burrow_test_up_get_port (up);
  if (!is_tunnel_through (GUINT_TO_POINTER (up_port)))
    g_error ("burrowctl up's tunnel does not go through");

  fprintf (stderr, "frames while a tunnel echoes %" G_GSIZE_FORMAT " MiB…\n", mib);
  measure_frames (&app, app_port, up_port, mib);

  fprintf (stderr, "round trips, the app beside burrowctl up…\n");
  measure_round_trips (&app, app_port, up_port);

  g_clear_pointer (&up, burrow_test_up_free);
  app_quit (&app);
  g_clear_pointer (&keyring, burrow_test_keyring_free);
  g_clear_pointer (&sshd, burrow_test_sshd_free);
  g_clear_pointer (&echo, burrow_test_echo_free);
  burrow_test_stop_process (&xvfb, SIGTERM);
  g_clear_object (&app.bus);
  burrow_test_remove_dir (app.dir);
  g_free (app.dir);
  g_free (app.bus_path);
  g_free (app.frame_log);
  g_free (app.app_log);

  return 0;
}
