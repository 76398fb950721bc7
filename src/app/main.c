/* main.c — the entry point of the Burrow window.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "burrow-application.h"
#include "burrow-frame-log.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(BurrowApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = burrow_application_new ();
  burrow_frame_log_attach (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
