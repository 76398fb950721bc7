/* test-secret-store.c — every kind of secret goes to a real Secret Service
 * and back, labelled for Seahorse; without one, a clear error and nothing
 * on disk.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "burrow-core.h"
#include "burrow-test-echo.h"
#include "burrow-test-env.h"
#include "burrow-test-secrets.h"
#include "burrow-test-keyring.h"

static gboolean
store (const char        *id,
       const char        *name,
       BurrowSecretKind   kind,
       const char        *secret,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  burrow_secret_store_store_async (id, name, kind, secret, NULL, burrow_test_on_done, &result);
  return burrow_secret_store_store_finish (burrow_test_wait_for (&result), error);
}

/* Unlike burrow_test_lookup_secret (), hands the error back: the
 * no-keyring case needs it. */
static char *
lookup (const char        *id,
        BurrowSecretKind   kind,
        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;
  char *copy;

  burrow_secret_store_lookup_async (id, kind, NULL, burrow_test_on_done, &result);
  secret = burrow_secret_store_lookup_finish (burrow_test_wait_for (&result), error);
  copy = g_strdup (secret);
  burrow_secret_free (secret);

  return copy;
}

static gboolean
clear (const char        *id,
       int                kind,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (kind < 0)
    {
      burrow_secret_store_clear_all_async (id, NULL, burrow_test_on_done, &result);
      return burrow_secret_store_clear_all_finish (burrow_test_wait_for (&result), error);
    }

  burrow_secret_store_clear_async (id, kind, NULL, burrow_test_on_done, &result);
  return burrow_secret_store_clear_finish (burrow_test_wait_for (&result), error);
}

static const struct {
  BurrowSecretKind kind;
  const char *secret;
  const char *label;
} kinds[] = {
  { BURROW_SECRET_DB_PASSWORD, "db-pässword-1", "Burrow: database password for ‘Sales warehouse’" },
  { BURROW_SECRET_SSH_PASSWORD, "ssh password 2", "Burrow: SSH password for ‘Sales warehouse’" },
  { BURROW_SECRET_KEY_PASSPHRASE, "passphrase-3", "Burrow: SSH key passphrase for ‘Sales warehouse’" },
  { BURROW_SECRET_PRIVATE_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn…\n-----END OPENSSH PRIVATE KEY-----\n",
    "Burrow: SSH private key for ‘Sales warehouse’" },
  { BURROW_SECRET_WORKSPACE_KEY, "workspace-5", "Burrow: workspace key (Sales warehouse)" },
};

static void
test_every_kind (void)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  keyring = burrow_test_start_keyring ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *read = NULL;

      g_assert_true (store ("conn-1", "Sales warehouse", kinds[i].kind, kinds[i].secret, &error));
      g_assert_no_error (error);
      label = burrow_test_get_secret_label ("conn-1", kinds[i].kind);
      g_assert_cmpstr (label, ==, kinds[i].label);
    }

  /* Each comes back as itself: the kinds do not overwrite each other. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *read = lookup ("conn-1", kinds[i].kind, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (read, ==, kinds[i].secret);
    }

  /* Storing again replaces. */
  g_assert_true (store ("conn-1", "Sales warehouse", BURROW_SECRET_DB_PASSWORD, "changed", &error));
  g_assert_no_error (error);
  {
    g_autofree char *read = lookup ("conn-1", BURROW_SECRET_DB_PASSWORD, &error);
    g_assert_cmpstr (read, ==, "changed");
  }

  /* Clearing one kind leaves the others. */
  g_assert_true (clear ("conn-1", BURROW_SECRET_SSH_PASSWORD, &error));
  g_assert_no_error (error);
  {
    g_autofree char *gone = lookup ("conn-1", BURROW_SECRET_SSH_PASSWORD, &error);
    g_autofree char *still = lookup ("conn-1", BURROW_SECRET_KEY_PASSPHRASE, &error);

    g_assert_no_error (error);
    g_assert_null (gone);
    g_assert_cmpstr (still, ==, "passphrase-3");
  }

  /* Clearing what is not there is fine. */
  g_assert_true (clear ("conn-1", BURROW_SECRET_SSH_PASSWORD, &error));
  g_assert_no_error (error);
}

static void
test_clear_all_of_one_connection (void)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;

  keyring = burrow_test_start_keyring ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (store ("gone", "Gone", kinds[i].kind, kinds[i].secret, &error));
      g_assert_true (store ("stays", "Stays", kinds[i].kind, kinds[i].secret, &error));
      g_assert_no_error (error);
    }

  g_assert_true (clear ("gone", -1, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *gone = lookup ("gone", kinds[i].kind, &error);
      g_autofree char *stays = lookup ("stays", kinds[i].kind, &error);

      g_assert_no_error (error);
      g_assert_null (gone);
      g_assert_cmpstr (stays, ==, kinds[i].secret);
    }
}

static void
test_relabel_after_rename (void)
{
  g_autoptr(BurrowTestKeyring) keyring = burrow_test_start_keyring ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store ("renamed", "Old name", BURROW_SECRET_DB_PASSWORD, "a", &error));
  g_assert_true (store ("renamed", "Old name", BURROW_SECRET_KEY_PASSPHRASE, "b", &error));
  g_assert_true (store ("other", "Old name", BURROW_SECRET_DB_PASSWORD, "c", &error));
  g_assert_no_error (error);

  burrow_secret_store_relabel_async ("renamed", "New name", NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_secret_store_relabel_finish (burrow_test_wait_for (&result), &error));
  g_assert_no_error (error);

  {
    g_autofree char *db = burrow_test_get_secret_label ("renamed", BURROW_SECRET_DB_PASSWORD);
    g_autofree char *phrase = burrow_test_get_secret_label ("renamed", BURROW_SECRET_KEY_PASSPHRASE);
    g_autofree char *other = burrow_test_get_secret_label ("other", BURROW_SECRET_DB_PASSWORD);
    g_autofree char *secret = lookup ("renamed", BURROW_SECRET_DB_PASSWORD, &error);

    g_assert_cmpstr (db, ==, "Burrow: database password for ‘New name’");
    g_assert_cmpstr (phrase, ==, "Burrow: SSH key passphrase for ‘New name’");
    g_assert_cmpstr (other, ==, "Burrow: database password for ‘Old name’");
    g_assert_cmpstr (secret, ==, "a");
  }
}

static void
test_no_secret_service (void)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read = NULL;
  const char *secret = "never-on-disk-7f3a";

  keyring = burrow_test_start_keyring ();
  burrow_test_keyring_stop (keyring);

  g_assert_false (store ("conn-x", "X", BURROW_SECRET_DB_PASSWORD, secret, &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (burrow_error_get_hint (error));
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "keyring"));
  g_assert_null (strstr (error->message, secret));
  g_clear_error (&error);

  read = lookup ("conn-x", BURROW_SECRET_DB_PASSWORD, &error);
  g_assert_null (read);
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE);
  g_clear_error (&error);

  g_assert_false (clear ("conn-x", -1, &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE);

  /* No fallback: the secret is nowhere under the test's home. */
  g_assert_false (burrow_test_tree_contains (g_get_home_dir (), secret));
  g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), secret));
  g_assert_false (burrow_test_tree_contains (g_get_user_data_dir (), secret));
  g_assert_false (burrow_test_tree_contains (g_get_user_runtime_dir (), secret));
}

/* A keyring daemon of the test's own that nobody can answer: no
 * --unlock, and no prompter on the bus. @error gets what storing @secret
 * for @id gives, once the daemon answers at all. */
static GSubprocess *
start_unanswered_keyring (const char  *id,
                          const char  *secret,
                          GError     **error)
{
  g_autofree char *daemon_path = burrow_test_find_program ("gnome-keyring-daemon");
  g_autofree char *debug = g_strdup (g_getenv ("G_DEBUG"));
  const char *argv[] = { daemon_path, "--foreground", "--components=secrets", NULL };
  GSubprocess *daemon;
  gint64 deadline;

  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  daemon = burrow_test_spawn (argv, NULL, NULL, error);
  if (debug != NULL)
    g_setenv ("G_DEBUG", debug, TRUE);
  g_assert_no_error (*error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_clear_error (error);
      secret_service_disconnect ();
      if (store (id, id, BURROW_SECRET_DB_PASSWORD, secret, error) ||
          !g_error_matches (*error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE))
        break;
      g_usleep (50 * 1000);
    }

  g_test_message ("%s", *error != NULL ? (*error)->message : "(stored)");
  return daemon;
}

/* A keyring that exists but is locked, with nobody to type its password:
 * the daemon runs without --unlock and the bus has no prompter. */
static void
test_locked_keyring (void)
{
  g_autoptr(BurrowTestKeyring) keyring = burrow_test_start_keyring ();
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;

  /* The login keyring now exists, with a password. */
  g_assert_true (store ("locked", "Locked", BURROW_SECRET_DB_PASSWORD, "before", &error));
  g_assert_no_error (error);
  burrow_test_keyring_stop (keyring);

  daemon = start_unanswered_keyring ("locked", "after", &error);
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED);
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "Unlock"));
  g_assert_null (strstr (error->message, "after"));
  g_clear_error (&error);

  /* A secret that is there but locked is not "no secret". */
  {
    g_autofree char *read = lookup ("locked", BURROW_SECRET_DB_PASSWORD, &error);

    g_test_message ("lookup: %s / %s", read, error != NULL ? error->message : "no error");
    g_assert_null (read);
    g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED);
    g_clear_error (&error);
  }

  /* Deleting what a locked keyring holds deletes nothing: that must not
   * pass for success, or "Removed" would leave the secrets behind. */
  g_assert_false (clear ("locked", BURROW_SECRET_DB_PASSWORD, &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (clear ("locked", -1, &error));
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED);
  g_clear_error (&error);

  /* Nothing to delete is still fine, locked or not. */
  g_assert_true (clear ("never-stored", -1, &error));
  g_assert_no_error (error);

  secret_service_disconnect ();
  burrow_test_stop_process (&daemon, SIGTERM);
}

/* A default keyring whose collection is not there (its creation was
 * cancelled): a plain cause and a hint, not the object path the service
 * names. */
static void
test_no_login_collection (void)
{
  g_autoptr(BurrowTestKeyring) keyring = burrow_test_start_keyring ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_autofree char *default_path = g_build_filename (dir, "default", NULL);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  burrow_test_keyring_stop (keyring);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (default_path, "login", -1, NULL));

  daemon = start_unanswered_keyring ("nowhere", "secret", &error);
  g_assert_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED);
  g_assert_null (strstr (error->message, "/org/freedesktop"));
  g_assert_null (strstr (error->message, "Object does not exist"));
  g_assert_nonnull (burrow_error_get_hint (error));

  secret_service_disconnect ();
  burrow_test_stop_process (&daemon, SIGTERM);
}

/* Reading a secret leaves no copy behind but the one handed out. The
 * secret is made byte by byte from a seeded pattern, written in pieces
 * whose buffers are wiped, and looked for by the same pattern, so that the
 * test holds no whole copy of it itself; what is looked for is a stretch
 * in its middle (the first bytes of a freed block are taken by the
 * allocator's own bookkeeping). */

#define NEEDLE_OFFSET 300
#define NEEDLE_LENGTH 32
#define PIECE 1000

static guint32 secret_seed;

/* Printable, never a line ending. */
static guint8
secret_byte (guint64 offset)
{
  guint8 byte;

  burrow_test_pattern_fill (&byte, 1, offset, secret_seed);
  return 0x21 + byte % 94;
}

typedef struct
{
  int   fd;
  gsize size;
  char  ending;   /* written after the secret, 0 for none */
} Writer;

static gpointer
write_secret (gpointer data)
{
  Writer *writer = data;
  guint8 piece[PIECE];

  for (gsize done = 0; done < writer->size;)
    {
      gsize n = MIN (sizeof piece, writer->size - done);

      for (gsize i = 0; i < n; i++)
        piece[i] = secret_byte (done + i);
      g_assert_cmpint (write (writer->fd, piece, n), ==, (gssize)n);
      explicit_bzero (piece, sizeof piece);
      done += n;
    }
  if (writer->ending != 0)
    g_assert_cmpint (write (writer->fd, &writer->ending, 1), ==, 1);
  close (writer->fd);

  return NULL;
}

static char *fifo_path;

/* The writer's end opens once the reader has opened its own. */
static gpointer
write_fifo (gpointer data)
{
  Writer *writer = data;

  writer->fd = open (fifo_path, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (writer->fd, >=, 0);
  return write_secret (writer);
}

static gboolean
needle_at (const guint8 *bytes)
{
  for (guint i = 0; i < NEEDLE_LENGTH; i++)
    if (bytes[i] != secret_byte (NEEDLE_OFFSET + i))
      return FALSE;
  return TRUE;
}

/* Whether [@start, @end) is AddressSanitizer's shadow memory: a map of
 * which bytes may be used, one byte for each eight, that never holds the
 * bytes themselves. It is a writable anonymous mapping of some 14 TiB,
 * far more than a scan can read in the test's time. The heap ASan gives
 * out, its quarantine of freed blocks included, is scanned as any other. */
static gboolean
is_sanitizer_shadow (guint64 start,
                     guint64 end)
{
#if defined(__SANITIZE_ADDRESS__)
  size_t scale, offset;
  guint64 shadow_start, shadow_end;

  __asan_get_shadow_mapping (&scale, &offset);
  /* The shadow of the whole user address space (47 bits); ASan maps its
   * first page from a little below the shadow of address 0. */
  shadow_start = (offset & ~(guint64)0xffff);
  shadow_end = offset + ((G_GUINT64_CONSTANT (1) << 47) >> scale);

  return start >= shadow_start && end <= shadow_end;
#else
  return FALSE;
#endif
}

/* How many times the middle of the secret is in this process's writable
 * memory (heap, anonymous mappings, stacks), read through /proc/self/mem
 * into a scratch mapping of its own that the scan skips. */
static guint
count_copies (void)
{
  const gsize chunk = 1024 * 1024;
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;
  guint8 *scratch;
  guint found = 0;
  int mem;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  scratch = mmap (NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (scratch != MAP_FAILED);
  mem = open ("/proc/self/mem", O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (mem, >=, 0);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      guint64 start, end;
      char perms[5];
      char path[256] = "";

      if (sscanf (lines[l], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x %4s %*s %*s %*s %255s",
                  &start, &end, perms, path) < 3)
        continue;
      if (perms[0] != 'r' || perms[1] != 'w' || start == (guint64)(guintptr)scratch)
        continue;
      if (path[0] != '\0' && strcmp (path, "[heap]") != 0 && strncmp (path, "[stack", 6) != 0)
        continue;
      if (is_sanitizer_shadow (start, end))
        continue;

      for (guint64 at = start; at < end; at += chunk - NEEDLE_LENGTH)
        {
          gsize want = MIN (chunk, end - at);
          gssize got = pread (mem, scratch, want, (off_t)at);

          for (gssize i = 0; i + NEEDLE_LENGTH <= got; i++)
            if (scratch[i] == secret_byte (NEEDLE_OFFSET) && needle_at (scratch + i))
              found++;
          if (want < chunk)
            break;
        }
    }

  explicit_bzero (scratch, chunk);
  munmap (scratch, chunk);
  close (mem);

  return found;
}

static void
assert_one_copy_then_none (char  *secret,
                           gsize  size)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), ==, size);
  g_assert_true (needle_at ((guint8 *)secret + NEEDLE_OFFSET));
  g_assert_cmpuint (count_copies (), ==, 1);
  burrow_secret_wipe_free (secret);
  g_assert_cmpuint (count_copies (), ==, 0);
}

static void
test_read_leaves_no_copies (void)
{
  /* The test environment fills freed memory (MALLOC_PERTURB_), which
   * would hide copies an analyst's burrowctl leaves. */
  mallopt (M_PERTURB, 0);
  secret_seed = g_random_int ();

  /* A pasted key on standard input, read to the end. */
  {
    int pipe_fds[2];
    Writer writer = { 0, 20 * 1000, '\n' };
    GThread *thread;
    g_autoptr(GError) error = NULL;
    char *secret;

    g_assert_cmpint (pipe (pipe_fds), ==, 0);
    writer.fd = pipe_fds[1];
    thread = g_thread_new ("writer", write_secret, &writer);
    secret = burrow_secret_read_fd (pipe_fds[0], FALSE, &error);
    g_assert_no_error (error);
    g_thread_join (thread);
    close (pipe_fds[0]);
    g_assert_cmpint (secret[writer.size], ==, '\n');
    secret[writer.size] = '\0';
    assert_one_copy_then_none (secret, writer.size);
  }

  /* A password typed on a terminal: one line, the rest left unread. */
  {
    int pipe_fds[2];
    Writer writer = { 0, 3 * 1000, '\n' };
    GThread *thread;
    g_autoptr(GError) error = NULL;
    char *secret;
    char after;

    g_assert_cmpint (pipe (pipe_fds), ==, 0);
    writer.fd = pipe_fds[1];
    thread = g_thread_new ("writer", write_secret, &writer);
    g_thread_join (thread);
    secret = burrow_secret_read_fd (pipe_fds[0], TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (read (pipe_fds[0], &after, 1), ==, 0);
    close (pipe_fds[0]);
    assert_one_copy_then_none (secret, writer.size);
  }

  /* A file that is a pipe, as `--db-password-file <(pass show db)` gives. */
  {
    g_autofree char *dir = burrow_test_make_dir ("burrow-fifo-XXXXXX");
    Writer writer = { -1, 12 * 1000, 0 };
    GThread *thread;
    g_autoptr(GError) error = NULL;
    char *secret;

    fifo_path = g_build_filename (dir, "secret", NULL);
    g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
    thread = g_thread_new ("writer", write_fifo, &writer);
    secret = burrow_secret_read_file (fifo_path, &error);
    g_assert_no_error (error);
    g_thread_join (thread);
    assert_one_copy_then_none (secret, writer.size);
    g_clear_pointer (&fifo_path, g_free);
    burrow_test_remove_dir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/secret-store/every-kind", test_every_kind);
  g_test_add_func ("/burrow/secret-store/clear-all-of-one-connection", test_clear_all_of_one_connection);
  g_test_add_func ("/burrow/secret-store/relabel-after-rename", test_relabel_after_rename);
  g_test_add_func ("/burrow/secret-store/no-secret-service", test_no_secret_service);
  g_test_add_func ("/burrow/secret-store/locked-keyring", test_locked_keyring);
  g_test_add_func ("/burrow/secret-store/no-login-collection", test_no_login_collection);
  g_test_add_func ("/burrow/secret-store/read-leaves-no-copies", test_read_leaves_no_copies);

  return g_test_run ();
}
