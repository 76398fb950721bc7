/* burrow-fuzz.c — what every fuzz target shares: a private home and temp
 * folder, and input turned into the text or files outside input arrives as.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A target must never touch the user's files, the keyring, an ssh-agent or
 * the network, whatever the input says: everything Burrow finds through
 * the environment points into one temp folder, removed at exit.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "burrow-fuzz.h"
#include "burrow-test-env.h"
#include "burrow-test-profile.h"

/* LeakSanitizer's suppressions for the fuzz programs, besides those
 * tests/lsan.supp gives every sanitized program. libssh 0.10.6 leaks a
 * string on an error path of ssh_pki_import_privkey_base64() for some
 * damaged encrypted keys. libFuzzer's fast unwinder cannot see past
 * libssh, which keeps no frame pointers, so only the library's name can
 * be matched; a key Burrow itself would leak is still seen by the
 * sanitized suite (test-ssh-session), which unwinds whole stacks. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libssh.so.4\n";
}

static char *root;
static char *work;

static void
remove_root (void)
{
  burrow_test_remove_dir (root);
  g_clear_pointer (&root, g_free);
  g_clear_pointer (&work, g_free);
}

static void
set_dir (const char *variable,
         const char *subdir)
{
  g_autofree char *path = g_build_filename (root, subdir, NULL);

  g_mkdir_with_parents (path, 0700);
  g_setenv (variable, path, TRUE);
}

/* Once per process, before anything asks GLib for a home or temp folder:
 * GLib keeps the first answer. */
void
burrow_fuzz_init (void)
{
  const char *tmp = g_getenv ("TMPDIR");
  g_autofree char *template = NULL;

  if (root != NULL)
    return;

  setlocale (LC_ALL, "C.UTF-8");

  template = g_build_filename (tmp != NULL && *tmp != '\0' ? tmp : "/tmp", "burrow-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    g_error ("Cannot make a temp folder for the fuzz target");
  root = g_steal_pointer (&template);
  atexit (remove_root);

  set_dir ("HOME", "home");
  set_dir ("XDG_CONFIG_HOME", "config");
  set_dir ("XDG_DATA_HOME", "data");
  set_dir ("XDG_CACHE_HOME", "cache");
  set_dir ("XDG_STATE_HOME", "state");
  set_dir ("XDG_RUNTIME_DIR", "runtime");
  set_dir ("TMPDIR", "tmp");
  work = g_build_filename (root, "work", NULL);

  /* No keyring, no agent, no settings daemon; and should an input get a
   * parser to run a command, there is no shell to run it with. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("SSH_AUTH_SOCK");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  {
    g_autofree char *no_shell = g_build_filename (root, "no-shell", NULL);
    g_setenv ("SHELL", no_shell, TRUE);
  }

  /* What the test suite treats as a failure is a finding here too. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* An empty folder for one input, and an empty ~/.ssh: what the previous
 * input left there is removed. */
char *
burrow_fuzz_fresh_dir (void)
{
  g_autofree char *ssh_dir = g_build_filename (root, "home", ".ssh", NULL);

  g_assert (root != NULL);

  burrow_test_remove_dir (work);
  burrow_test_remove_dir (ssh_dir);
  if (g_mkdir (work, 0700) != 0 || g_mkdir (ssh_dir, 0700) != 0)
    g_error ("Cannot make %s and %s", work, ssh_dir);

  return g_strdup (work);
}

char *
burrow_fuzz_write_file (const char    *dir,
                        const char    *name,
                        const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents_full (path, (const char *)data, size, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("Cannot write %s: %s", path, error->message);

  return path;
}

/* The bytes up to the next NUL (or the end) as a string, and the input
 * moved past them: how a target splits one input into several fields. */
char *
burrow_fuzz_take_string (const uint8_t **data,
                         size_t         *size)
{
  const uint8_t *end = memchr (*data, '\0', *size);
  size_t len = end != NULL ? (size_t)(end - *data) : *size;
  char *text = g_strndup ((const char *)*data, len);

  *data += len;
  *size -= len;
  if (*size > 0)
    {
      (*data)++;
      (*size)--;
    }

  return text;
}

/* What a store's file monitor queued for the main loop, which a target
 * never runs, so that nothing piles up from one input to the next. */
void
burrow_fuzz_flush_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Every field a user sets, as connections.ini keeps it, and the id. */
void
burrow_fuzz_assert_same_profile (BurrowProfile *a,
                                 BurrowProfile *b)
{
  g_assert_cmpstr (burrow_profile_get_id (a), ==, burrow_profile_get_id (b));
  burrow_test_assert_same_fields (a, b);
}

/* The same connections, in the same order. */
void
burrow_fuzz_assert_same_store (BurrowProfileStore *a,
                               BurrowProfileStore *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BurrowProfile) pa = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(BurrowProfile) pb = g_list_model_get_item (G_LIST_MODEL (b), i);

      burrow_fuzz_assert_same_profile (pa, pb);
    }
}
