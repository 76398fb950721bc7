/* burrow-version.c — the versions of the libraries the engine runs on.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libpq-fe.h>
#include <libssh/libssh.h>
#include <mysql.h>

#include "burrow-version.h"

const char *
burrow_version (void)
{
  return PACKAGE_VERSION;
}

/* The text of "Troubleshooting" in the About window and of
 * `burrowctl --version`: what a bug report needs to know about the run-time
 * libraries, which are not always the ones Burrow was built against. */
char *
burrow_version_libraries (void)
{
  int pq = PQlibVersion ();

  return g_strdup_printf ("Burrow %s\n"
                          "GLib %u.%u.%u\n"
                          "libssh %s\n"
                          "libpq %d.%d\n"
                          "MariaDB Connector/C %s\n",
                          PACKAGE_VERSION,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          ssh_version (0),
                          pq / 10000, pq % 10000,
                          mysql_get_client_info ());
}
