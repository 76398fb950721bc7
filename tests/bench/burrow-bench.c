/* burrow-bench.c — Burrow's tunnel beside OpenSSH's `ssh -N -L`, in one run.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One throwaway sshd on loopback, one echo server, and both tunnels to it,
 * twice: with one cipher forced on both sides (the tunnels themselves
 * compared), then with each client on its own default settings (what
 * users get). Each time: the bulk throughput of 512 MiB echoed and checked
 * byte for byte (the sender half-closes at the end), the 64-byte round trip
 * (p50, p99), the round trip while another connection moves bulk data
 * (p99), 200 connections opened at once doing 50 round trips each, and the
 * CPU and memory of each tunnel process idling with 200 connections open.
 * Absolute figures move with the machine's load: the ratios are what
 * counts.
 *
 *   burrow-bench BURROW_BENCH_TUNNEL_PROGRAM [BULK_MIB [FIGURES]]
 *
 * FIGURES picks some of bulk,rtt,load,fan,idle (all by default), e.g. to run
 * one of them under a profiler; BURROW_BENCH_TABLES=same or =defaults runs
 * one of the two comparisons.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-bench-echo.h"
#include "burrow-bench-stats.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

#define CIPHER "aes128-gcm@openssh.com"
#define MESSAGE BURROW_BENCH_MESSAGE
#define PINGS 5000

/* BURROW_BENCH_PINGS changes it, e.g. to have time to attach a profiler. */
static guint n_pings = PINGS;
#define FAN_OUT 200
#define FAN_OUT_ROUNDS 50
#define FAN_OUT_RUNS 3
#define MIB (1024 * 1024)

typedef struct
{
  const char  *name;
  GSubprocess *process;
  guint16      port;
  double       bulk_gbits;
  double       bulk_seconds;
  double       bulk_bytes;
  double       bulk_cpu_seconds;
  double       p50_us;
  double       p99_us;
  double       loaded_p99_us;
  double       load_bytes;
  double       load_seconds;
  double       fan_out_s;
  guint        fan_out_failures;
  double       idle_cpu_percent;
  double       idle_rss_mib;
  gboolean     bulk_ok;
} Path;

static gboolean read_process (GSubprocess *process,
                              double      *cpu_seconds,
                              double      *rss_mib);

static void
measure_bulk (Path  *path,
              gsize  bytes)
{
  g_autoptr(GError) error = NULL;
  double cpu_before = 0, cpu_after = 0, rss;
  gboolean cpu_known;
  double start;

  cpu_known = read_process (path->process, &cpu_before, &rss);
  start = burrow_bench_now ();

  if (!burrow_test_echo_exchange (path->port, 1, bytes, &error))
    {
      fprintf (stderr, "%s: bulk transfer failed: %s\n", path->name, error->message);
      path->bulk_ok = FALSE;
    }
  path->bulk_seconds += burrow_bench_now () - start;
  path->bulk_bytes += bytes;
  /* Throughput depends on what else the machine runs: the tunnel's own CPU
   * time per byte does much less, and says where a difference comes from. */
  if (cpu_known && read_process (path->process, &cpu_after, &rss))
    path->bulk_cpu_seconds += cpu_after - cpu_before;
  path->bulk_gbits = path->bulk_bytes * 8.0 / path->bulk_seconds / 1e9;
}

typedef struct
{
  guint16  port;
  gboolean stop;
  gboolean started;
  guint64  received;
  double   seconds;
} Load;

static gpointer
load_thread (gpointer data)
{
  Load *load = data;
  g_autofree char *buffer = g_malloc0 (256 * 1024);
  int fd = burrow_bench_connect (load->port);

  double start = burrow_bench_now ();

  fcntl (fd, F_SETFL, O_NONBLOCK);
  while (!g_atomic_int_get (&load->stop))
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

      poll (&pfd, 1, 100);
      if (pfd.revents & POLLOUT)
        send (fd, buffer, 256 * 1024, MSG_NOSIGNAL);
      if (pfd.revents & POLLIN)
        {
          ssize_t n = recv (fd, buffer, 256 * 1024, 0);

          if (n > 0)
            {
              load->received += n;
              g_atomic_int_set (&load->started, TRUE);
            }
        }
    }

  load->seconds = burrow_bench_now () - start;
  close (fd);
  return NULL;
}

static GArray *
quiet_ping_pong (Path *path)
{
  return burrow_bench_ping_pong (path->port, n_pings / 10, NULL);
}

static GArray *
loaded_ping_pong (Path *path)
{
  Load load = { path->port, FALSE, FALSE };
  GArray *samples;
  GThread *thread;

  thread = g_thread_new ("load", load_thread, &load);
  while (!g_atomic_int_get (&load.started))
    g_usleep (1000);
  g_usleep (200000);
  samples = burrow_bench_ping_pong (path->port, n_pings / 4, NULL);
  g_atomic_int_set (&load.stop, TRUE);
  g_thread_join (thread);
  path->load_bytes += load.received;
  path->load_seconds += load.seconds;

  return samples;
}

/* Both paths in turns, so that a change in the machine's load between
 * them does not show up as a difference between tunnels. Returns the
 * sorted samples of each path. */
static void
take_turns (Path     *paths,
            GArray  **samples,
            guint     n_paths,
            guint     rounds,
            GArray *(*measure) (Path *path))
{
  for (guint i = 0; i < n_paths; i++)
    samples[i] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint round = 0; round < rounds; round++)
    for (guint i = 0; i < n_paths; i++)
      {
        g_autoptr(GArray) block = measure (&paths[i]);

        g_array_append_vals (samples[i], block->data, block->len);
      }
}

/* Quiet round trips, or round trips while another connection of the same
 * path moves bulk data. */
static void
measure_round_trips (Path     *paths,
                     guint     n_paths,
                     gboolean  loaded)
{
  GArray *samples[2];

  g_assert (n_paths == G_N_ELEMENTS (samples));
  take_turns (paths, samples, n_paths, loaded ? 2 : 10, loaded ? loaded_ping_pong : quiet_ping_pong);

  for (guint i = 0; i < n_paths; i++)
    {
      if (loaded)
        {
          paths[i].loaded_p99_us = burrow_bench_percentile (samples[i], 0.99);
          /* What the bulk connection still gets beside the round trips. */
          fprintf (stderr, "%s under load: p50 %.0f µs, p90 %.0f µs, p99 %.0f µs, max %.0f µs; "
                   "the bulk connection echoed %.2f Gbit/s meanwhile\n", paths[i].name,
                   burrow_bench_percentile (samples[i], 0.5), burrow_bench_percentile (samples[i], 0.9), paths[i].loaded_p99_us,
                   burrow_bench_percentile (samples[i], 1.0), paths[i].load_bytes * 8.0 / paths[i].load_seconds / 1e9);
        }
      else
        {
          paths[i].p50_us = burrow_bench_percentile (samples[i], 0.5);
          paths[i].p99_us = burrow_bench_percentile (samples[i], 0.99);
        }
      g_array_unref (samples[i]);
    }
}

typedef struct
{
  int   fd;
  guint round;
  gsize got;
  gboolean sent;
} FanConnection;

static void
measure_fan_out (Path *path)
{
  g_autofree FanConnection *connections = g_new0 (FanConnection, FAN_OUT);
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, FAN_OUT);
  struct sockaddr_in addr = { 0 };
  char out[MESSAGE], in[MESSAGE];
  guint remaining = FAN_OUT;
  double start = burrow_bench_now ();

  memset (out, 'f', sizeof out);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = htons (path->port);

  for (guint i = 0; i < FAN_OUT; i++)
    {
      int one = 1;

      connections[i].fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      setsockopt (connections[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect (connections[i].fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS)
        {
          close (connections[i].fd);
          connections[i].fd = -1;
          path->fan_out_failures++;
          remaining--;
        }
    }

  while (remaining > 0)
    {
      for (guint i = 0; i < FAN_OUT; i++)
        {
          fds[i].fd = connections[i].fd;
          fds[i].events = connections[i].sent ? POLLIN : POLLOUT;
          fds[i].revents = 0;
        }

      if (poll (fds, FAN_OUT, 60000) <= 0)
        {
          path->fan_out_failures += remaining;
          break;
        }

      for (guint i = 0; i < FAN_OUT; i++)
        {
          FanConnection *c = &connections[i];
          gboolean failed = FALSE;

          if (c->fd < 0 || fds[i].revents == 0)
            continue;

          if (!c->sent && (fds[i].revents & POLLOUT))
            {
              failed = send (c->fd, out, sizeof out, MSG_NOSIGNAL) != sizeof out;
              c->sent = TRUE;
              c->got = 0;
            }
          else if (c->sent && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            {
              ssize_t n = recv (c->fd, in + c->got, sizeof in - c->got, 0);

              if (n <= 0)
                failed = TRUE;
              else if ((c->got += n) == sizeof in)
                {
                  c->sent = FALSE;
                  if (++c->round == FAN_OUT_ROUNDS)
                    {
                      close (c->fd);
                      c->fd = -1;
                      remaining--;
                    }
                }
            }

          if (failed)
            {
              close (c->fd);
              c->fd = -1;
              path->fan_out_failures++;
              remaining--;
            }
        }
    }

  path->fan_out_s += burrow_bench_now () - start;
  for (guint i = 0; i < FAN_OUT; i++)
    if (connections[i].fd >= 0)
      close (connections[i].fd);
}

static gboolean
read_process (GSubprocess *process,
              double      *cpu_seconds,
              double      *rss_mib)
{
  const char *pid = g_subprocess_get_identifier (process);
  g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *stat = NULL;
  g_autofree char *status = NULL;
  unsigned long utime, stime;
  const char *rss;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL)
      || !g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;

  /* Fields 14 and 15, after the command name in parentheses. */
  if (sscanf (strrchr (stat, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return FALSE;
  *cpu_seconds = (double)(utime + stime) / sysconf (_SC_CLK_TCK);

  rss = strstr (status, "VmRSS:");
  *rss_mib = rss != NULL ? g_ascii_strtod (rss + 6, NULL) / 1024.0 : 0;

  return TRUE;
}

static void
measure_idle (Path *path)
{
  int fds[FAN_OUT];
  double cpu_before, cpu_after, rss;

  for (guint i = 0; i < FAN_OUT; i++)
    {
      fds[i] = burrow_bench_connect (path->port);
      if (!burrow_bench_ping (fds[i]))
        g_error ("%s: idle connection %u failed", path->name, i);
    }

  g_usleep (G_USEC_PER_SEC);
  read_process (path->process, &cpu_before, &rss);
  g_usleep (5 * G_USEC_PER_SEC);
  read_process (path->process, &cpu_after, &rss);

  path->idle_cpu_percent = (cpu_after - cpu_before) / 5.0 * 100.0;
  path->idle_rss_mib = rss;

  for (guint i = 0; i < FAN_OUT; i++)
    close (fds[i]);
}

static GSubprocess *
spawn (const char * const *argv,
       const char         *log_path,
       guint16             port)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = burrow_test_spawn (argv, NULL, log_path, &error);

  if (process == NULL || !burrow_test_wait_for_port (port, 15000, process, &error))
    {
      g_autofree char *log = burrow_test_read_log (log_path);

      g_error ("%s did not start: %s\n%s", argv[0], error->message, log);
    }

  return process;
}

static int
digits_after_point (double value)
{
  return value >= 100 || value == 0 ? 0 : value >= 10 ? 1 : 2;
}

static void
print_row (const char *what,
           const char *unit,
           double      burrow,
           double      openssh,
           const char *target)
{
  /* No exponent for a figure in the thousands, and fewer decimals the
   * larger the figure. */
  printf ("| %s | %.*f %s | %.*f %s | %.2f | %s |\n",
          what, digits_after_point (burrow), burrow, unit, digits_after_point (openssh), openssh, unit,
          openssh != 0 ? burrow / openssh : 0, target);
}

/* The cipher a client negotiates with a server that takes them all: the
 * first of its list. For ssh, the list its configuration gives
 * (ssh -G); for Burrow, what the tunnel said in its log. */
static char *
openssh_default_cipher (const char *ssh)
{
  const char *argv[] = { ssh, "-G", "-F", "/dev/null", "127.0.0.1", NULL };
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  if (!burrow_test_run (argv, NULL, &output, &error))
    return g_strdup ("?");

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "ciphers "))
      return g_strndup (lines[i] + 8, strcspn (lines[i] + 8, ","));

  return g_strdup ("?");
}

static char *
burrow_cipher (const char *log_path)
{
  g_autofree char *log = burrow_test_read_log (log_path);
  const char *found = strstr (log, "cipher: ");

  return found != NULL ? g_strndup (found + 8, strcspn (found + 8, "\n")) : g_strdup ("?");
}

/* One sshd, one echo server and both tunnels to it, measured and printed
 * as a table. @cipher is forced on the server and both clients; NULL
 * leaves each on its own defaults, as users get them. Returns whether
 * every transfer went through. */
static gboolean
compare (const char *tunnel_program,
         gsize       bulk_bytes,
         const char *figures,
         const char *cipher)
{
  g_autoptr(BurrowTestSshd) sshd = NULL;
  g_autoptr(BurrowTestEcho) echo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *known_hosts = NULL, *ssh = NULL;
  g_autofree char *ssh_log = NULL, *burrow_log = NULL;
  g_autofree char *ssh_port = NULL, *forward = NULL, *known_option = NULL, *destination = NULL;
  g_autofree char *burrow_port = NULL, *target_port = NULL;
  g_autofree char *heading = NULL;
  g_autoptr(GPtrArray) argv_ssh = g_ptr_array_new ();
  Path paths[2] = { { .name = "Burrow", .bulk_ok = TRUE }, { .name = "OpenSSH", .bulk_ok = TRUE } };
  Path *burrow = &paths[0], *openssh = &paths[1];

  dir = burrow_test_make_dir ("burrow-bench-XXXXXX");
  known_hosts = g_build_filename (dir, "known_hosts", NULL);
  ssh_log = g_build_filename (dir, "ssh.log", NULL);
  burrow_log = g_build_filename (dir, "burrow.log", NULL);

  sshd = burrow_test_sshd_new ();
  if (cipher != NULL)
    burrow_test_sshd_set_option (sshd, "Ciphers", cipher);
  burrow_test_sshd_set_option (sshd, "LogLevel", "ERROR");
  if (!burrow_test_sshd_start (sshd, &error))
    g_error ("%s", error->message);
  burrow_test_sshd_write_known_host (sshd, known_hosts);
  echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);

  openssh->port = burrow_test_get_free_port ();
  ssh = burrow_test_find_program ("ssh");
  ssh_port = g_strdup_printf ("%u", burrow_test_sshd_get_port (sshd));
  forward = g_strdup_printf ("127.0.0.1:%u:127.0.0.1:%u", openssh->port, burrow_test_echo_get_port (echo));
  known_option = g_strdup_printf ("UserKnownHostsFile=%s", known_hosts);
  destination = g_strdup_printf ("%s@127.0.0.1", burrow_test_sshd_get_user (sshd));
  {
    const char *args[] = {
      ssh, "-N", "-F", "/dev/null",
      "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", known_option,
      "-o", "IdentitiesOnly=yes", "-o", "ExitOnForwardFailure=yes",
      "-i", burrow_test_sshd_get_client_key_path (sshd), "-p", ssh_port,
      "-L", forward, destination,
    };

    for (guint i = 0; i < G_N_ELEMENTS (args); i++)
      {
        g_ptr_array_add (argv_ssh, (char *)args[i]);
        if (i == 3 && cipher != NULL)
          {
            g_ptr_array_add (argv_ssh, (char *)"-c");
            g_ptr_array_add (argv_ssh, (char *)cipher);
          }
      }
    g_ptr_array_add (argv_ssh, NULL);
    openssh->process = spawn ((const char * const *)argv_ssh->pdata, ssh_log, openssh->port);
  }

  burrow->port = burrow_test_get_free_port ();
  burrow_port = g_strdup_printf ("%u", burrow->port);
  target_port = g_strdup_printf ("%u", burrow_test_echo_get_port (echo));
  {
    const char *argv_burrow[] = {
      tunnel_program, "--ssh-host", "127.0.0.1", "--ssh-port", ssh_port,
      "--ssh-user", burrow_test_sshd_get_user (sshd),
      "--ssh-key-file", burrow_test_sshd_get_client_key_path (sshd),
      "--known-hosts", known_hosts,
      "--target-host", "127.0.0.1", "--target-port", target_port,
      "--local-port", burrow_port, NULL
    };
    burrow->process = spawn (argv_burrow, burrow_log, burrow->port);
  }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (!burrow_test_echo_exchange (paths[i].port, 2, MIB, &error))
        g_error ("%s: warm-up failed: %s", paths[i].name, error->message);
    }

  if (cipher != NULL)
    heading = g_strdup_printf ("cipher %s on both", cipher);
  else
    {
      g_autofree char *ours = burrow_cipher (burrow_log);
      g_autofree char *theirs = openssh_default_cipher (ssh);

      heading = g_strdup_printf ("each on its defaults: Burrow %s, OpenSSH %s", ours, theirs);
    }
  fprintf (stderr, "%s\n", heading);

  fprintf (stderr, "bulk (%" G_GSIZE_FORMAT " MiB echoed)…\n", bulk_bytes / MIB);
  /* Every measure takes turns between the paths, in rounds. */
  for (guint round = 0; round < 2 && strstr (figures, "bulk") != NULL; round++)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      measure_bulk (&paths[i], bulk_bytes / 2);
  fprintf (stderr, "round trips…\n");
  if (strstr (figures, "rtt") != NULL)
    measure_round_trips (paths, G_N_ELEMENTS (paths), FALSE);
  if (strstr (figures, "load") != NULL)
    measure_round_trips (paths, G_N_ELEMENTS (paths), TRUE);
  fprintf (stderr, "fan-out…\n");
  for (guint round = 0; round < FAN_OUT_RUNS && strstr (figures, "fan") != NULL; round++)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      measure_fan_out (&paths[i]);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    paths[i].fan_out_s /= FAN_OUT_RUNS;
  fprintf (stderr, "idle with %u connections…\n", FAN_OUT);
  for (guint i = 0; i < G_N_ELEMENTS (paths) && strstr (figures, "idle") != NULL; i++)
    measure_idle (&paths[i]);

  printf ("| figure (%s) | Burrow | OpenSSH `ssh -N -L` | ratio | target |\n", heading);
  printf ("|---|---|---|---|---|\n");
  print_row (g_strdup_printf ("bulk, %" G_GSIZE_FORMAT " MiB echoed and checked%s", bulk_bytes / MIB,
                              burrow->bulk_ok && openssh->bulk_ok ? "" : " (FAILED)"),
             "Gbit/s", burrow->bulk_gbits, openssh->bulk_gbits, "≥ 1.0");
  print_row ("tunnel's CPU time per GiB echoed (user + system)", "s",
             burrow->bulk_cpu_seconds / (burrow->bulk_bytes / 1024 / MIB),
             openssh->bulk_cpu_seconds / (openssh->bulk_bytes / 1024 / MIB), "");
  print_row ("64-byte round trip p50", "µs", burrow->p50_us, openssh->p50_us, "≤ 0.7");
  print_row ("64-byte round trip p99", "µs", burrow->p99_us, openssh->p99_us, "");
  print_row ("round trip p99 under bulk load", "µs", burrow->loaded_p99_us, openssh->loaded_p99_us, "≤ 0.3");
  print_row (g_strdup_printf ("%u connections at once × %u round trips, mean of %u (failures: %u / %u)", FAN_OUT, FAN_OUT_ROUNDS, FAN_OUT_RUNS,
                              burrow->fan_out_failures, openssh->fan_out_failures),
             "s", burrow->fan_out_s, openssh->fan_out_s, "≤ 1.0, no failure");
  print_row (g_strdup_printf ("idle CPU, %u connections open", FAN_OUT), "%",
             burrow->idle_cpu_percent, openssh->idle_cpu_percent, "");
  print_row (g_strdup_printf ("resident memory, %u connections open", FAN_OUT), "MiB",
             burrow->idle_rss_mib, openssh->idle_rss_mib, "");
  printf ("\n");
  fflush (stdout);

  if (g_getenv ("BURROW_BENCH_PAUSE") != NULL)
    {
      fprintf (stderr, "tunnel pids: Burrow %s, OpenSSH %s; press Enter\n",
               g_subprocess_get_identifier (burrow->process), g_subprocess_get_identifier (openssh->process));
      getchar ();
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    burrow_test_stop_process (&paths[i].process, SIGTERM);
  burrow_test_remove_dir (dir);

  return burrow->bulk_ok && openssh->bulk_ok && burrow->fan_out_failures == 0;
}

int
main (int    argc,
      char **argv)
{
  gsize bulk_bytes = 512 * (gsize)MIB;
  const char *figures = "bulk,rtt,load,fan,idle";
  const char *tables = g_getenv ("BURROW_BENCH_TABLES");
  gboolean ok = TRUE;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s BURROW_BENCH_TUNNEL [BULK_MIB [FIGURES]]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    bulk_bytes = g_ascii_strtoull (argv[2], NULL, 10) * MIB;
  if (argc > 3)
    figures = argv[3];

  signal (SIGPIPE, SIG_IGN);
  if (g_getenv ("BURROW_BENCH_PINGS") != NULL)
    n_pings = MAX (100, g_ascii_strtoull (g_getenv ("BURROW_BENCH_PINGS"), NULL, 10));

  /* The same cipher on both sides compares the tunnels themselves; each
   * on its own defaults is what users get. */
  if (tables == NULL || strstr (tables, "same") != NULL)
    ok &= compare (argv[1], bulk_bytes, figures, CIPHER);
  if (tables == NULL || strstr (tables, "defaults") != NULL)
    ok &= compare (argv[1], bulk_bytes, figures, NULL);

  return ok ? 0 : 1;
}
