/* test-cli.c — burrowctl keeps its contract with scripts: exit codes, help,
 * and output on the right stream.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-test-env.h"

static int
run_burrowctl (const char * const *args,
               char              **out,
               char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *burrowctl = g_getenv ("BURROWCTL");

  g_assert_nonnull (burrowctl);
  g_ptr_array_add (argv, (char *)burrowctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_usage (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  {
    const char *args[] = { NULL };
    g_assert_cmpint (run_burrowctl (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "Usage: burrowctl"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *args[] = { "no-such-command", NULL };
    g_assert_cmpint (run_burrowctl (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "no-such-command"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *args[] = { "--help", NULL };
    g_assert_cmpint (run_burrowctl (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Usage: burrowctl"));
  }
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--version", NULL };

  g_assert_cmpint (run_burrowctl (args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Burrow " PACKAGE_VERSION "\n"));
  /* The run-time libraries a bug report needs. */
  g_assert_nonnull (strstr (out, "libssh 0."));
  g_assert_nonnull (strstr (out, "libpq "));
  g_assert_nonnull (strstr (out, "MariaDB Connector/C "));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/cli/usage", test_usage);
  g_test_add_func ("/burrow/cli/version", test_version);

  return g_test_run ();
}
