/* test-cli.c — burrowctl keeps its contract with scripts: exit codes, help,
 * and output on the right stream.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-test-env.h"

static void
test_usage (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  {
    const char *args[] = { NULL };
    g_assert_cmpint (burrow_test_burrowctlv (NULL, args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "Usage: burrowctl"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *args[] = { "no-such-command", NULL };
    g_assert_cmpint (burrow_test_burrowctlv (NULL, args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "no-such-command"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *args[] = { "--help", NULL };
    g_assert_cmpint (burrow_test_burrowctlv (NULL, args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Usage: burrowctl"));
  }
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--version", NULL };

  g_assert_cmpint (burrow_test_burrowctlv (NULL, args, &out, &err), ==, 0);
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
