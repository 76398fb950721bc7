/* test-ssh-session.c — SSH sessions against a real sshd: connect, host
 * keys, every sign-in method, channels, keepalives and the errors of each.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/socket.h>

#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes. */
#define HANG_GUARD_SECONDS 30

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  gpointer  pointer;
} Result;

static gboolean
on_hang_guard (gpointer user_data)
{
  gboolean *hung = user_data;

  *hung = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean *flag)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);

  while (!*flag && !hung)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (hung);
  g_source_remove (guard);
}

static void
on_connected (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *r = user_data;

  r->ok = burrow_ssh_session_connect_finish (BURROW_SSH_SESSION (source_object), result, &r->error);
  r->done = TRUE;
}

static gboolean
connect_session (BurrowSshSession   *session,
                 GSocketConnection  *connection,
                 GCancellable       *cancellable,
                 GError            **error)
{
  Result r = { 0 };

  burrow_ssh_session_connect_async (session, connection, cancellable, on_connected, &r);
  wait_for (&r.done);

  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.ok;
}

static void
on_channel_opened (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Result *r = user_data;

  r->pointer = burrow_ssh_session_open_channel_finish (BURROW_SSH_SESSION (source_object), result, &r->error);
  r->done = TRUE;
}

static ssh_channel
open_channel (BurrowSshSession  *session,
              const char        *host,
              guint16            port,
              GError           **error)
{
  Result r = { 0 };

  burrow_ssh_session_open_channel_async (session, host, port, NULL, on_channel_opened, &r);
  wait_for (&r.done);

  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.pointer;
}

typedef struct
{
  ssh_channel channel;
  GString    *data;
  const char *expect;
  gboolean    done;
} ChannelReader;

static void
on_session_activity (BurrowSshSession *session,
                     gpointer          user_data)
{
  ChannelReader *reader = user_data;
  char buffer[4096];
  int n;

  while ((n = ssh_channel_read_nonblocking (reader->channel, buffer, sizeof buffer, 0)) > 0)
    g_string_append_len (reader->data, buffer, n);

  if (n == SSH_EOF || n == SSH_ERROR || strstr (reader->data->str, reader->expect) != NULL)
    reader->done = TRUE;
}

/* Reads from @channel, as a tunnel does: in the session's "activity". */
static char *
read_channel_until (BurrowSshSession *session,
                    ssh_channel       channel,
                    const char       *expect)
{
  ChannelReader reader = { channel, g_string_new (NULL), expect, FALSE };
  gulong handler = g_signal_connect (session, "activity", G_CALLBACK (on_session_activity), &reader);

  on_session_activity (session, &reader);
  wait_for (&reader.done);
  g_signal_handler_disconnect (session, handler);

  return g_string_free (reader.data, FALSE);
}

static BurrowTestSshd *
start_sshd (void)
{
  BurrowTestSshd *sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);

  return sshd;
}

static void
trust_sshd (BurrowTestSshd *sshd)
{
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();

  burrow_test_sshd_write_known_host (sshd, known_hosts);
}

static BurrowSshSession *
new_session (BurrowTestSshd *sshd,
             const char     *user)
{
  BurrowSshSession *session;

  session = burrow_ssh_session_new ("127.0.0.1", burrow_test_sshd_get_port (sshd),
                                    user != NULL ? user : burrow_test_sshd_get_user (sshd));
  burrow_ssh_session_set_auth_key_file (session, burrow_test_sshd_get_client_key_path (sshd), NULL);

  return session;
}

static char *
make_key (const char *type,
          const char *format,
          const char *passphrase)
{
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "keys", NULL);
  char *path;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_mkdir_with_parents (dir, 0700);
  path = g_strdup_printf ("%s/%s-%s-%s", dir, type, format != NULL ? format : "openssh",
                          passphrase != NULL ? "enc" : "plain");
  g_unlink (path);
  {
    g_autofree char *pub = g_strconcat (path, ".pub", NULL);
    g_unlink (pub);
  }

  g_ptr_array_add (argv, keygen);
  g_ptr_array_add (argv, (char *)"-q");
  g_ptr_array_add (argv, (char *)"-t");
  g_ptr_array_add (argv, (char *)type);
  g_ptr_array_add (argv, (char *)"-N");
  g_ptr_array_add (argv, (char *)(passphrase != NULL ? passphrase : ""));
  g_ptr_array_add (argv, (char *)"-f");
  g_ptr_array_add (argv, path);
  if (format != NULL)
    {
      g_ptr_array_add (argv, (char *)"-m");
      g_ptr_array_add (argv, (char *)format);
    }
  g_ptr_array_add (argv, NULL);

  burrow_test_run ((const char * const *)argv->pdata, NULL, NULL, &error);
  g_assert_no_error (error);

  return path;
}

static void
authorize_key (BurrowTestSshd *sshd,
               const char     *private_path)
{
  g_autofree char *pub_path = g_strconcat (private_path, ".pub", NULL);
  g_autofree char *pub = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (pub_path, &pub, NULL, &error);
  g_assert_no_error (error);
  burrow_test_sshd_add_authorized_key (sshd, g_strstrip (pub));
}

/* Connect, sign in with the fixture's key, and read sshd's own banner
 * through a direct-tcpip channel to its port. */
static void
test_connect_and_forward (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *banner = NULL;
  ssh_channel channel;
  gint64 previous = 0;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_NEW);

  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
  g_assert_nonnull (burrow_ssh_session_get_handle (session));

  for (BurrowSshPhase phase = BURROW_SSH_PHASE_START; phase <= BURROW_SSH_PHASE_LAST; phase++)
    {
      gint64 t = burrow_ssh_session_get_phase_time (session, phase);

      g_assert_cmpint (t, >, 0);
      g_assert_cmpint (t, >=, previous);
      previous = t;
    }

  channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
  g_assert_no_error (error);
  g_assert_nonnull (channel);
  g_assert_true (ssh_channel_is_open (channel));

  banner = read_channel_until (session, channel, "\n");
  g_assert_true (g_str_has_prefix (banner, "SSH-2.0-OpenSSH"));

  ssh_channel_close (channel);
  ssh_channel_free (channel);
}

static BurrowSshSession *
new_key_session (BurrowTestSshd *sshd,
                 const char     *key_path,
                 const char     *passphrase)
{
  BurrowSshSession *session = new_session (sshd, NULL);

  burrow_ssh_session_set_auth_key_file (session, key_path, passphrase);
  return session;
}

/* Each kind of key signs in; RSA needs rsa-sha2 since OpenSSH 8.8 refuses
 * ssh-rsa (SHA-1) signatures. */
static void
test_key_kinds (void)
{
  static const struct {
    const char *type;
    const char *format;
  } kinds[] = {
    { "ed25519", NULL },
    { "ecdsa", NULL },
    { "ecdsa", "PEM" },
    { "rsa", NULL },
    { "rsa", "PEM" },
  };
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();

  trust_sshd (sshd);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *key = make_key (kinds[i].type, kinds[i].format, NULL);
      g_autoptr(BurrowSshSession) session = NULL;
      g_autoptr(GError) error = NULL;

      authorize_key (sshd, key);
      session = new_key_session (sshd, key, NULL);
      connect_session (session, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
    }
}

static void
test_key_passphrase (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *key = make_key ("ed25519", NULL, "correct horse");
  g_autofree char *pem_key = make_key ("rsa", "PEM", "correct horse");

  trust_sshd (sshd);
  authorize_key (sshd, key);
  authorize_key (sshd, pem_key);

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, key, "correct horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, pem_key, "correct horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, key, "wrong horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG);
    g_assert_null (strstr (error->message, "wrong horse"));
    g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_DEAD);
  }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, pem_key, "wrong horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG);
  }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, key, NULL);
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG);
  }
}

/* The key held in memory, as it comes from the keyring. */
static void
test_private_key_text (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  trust_sshd (sshd);
  g_file_get_contents (burrow_test_sshd_get_client_key_path (sshd), &text, NULL, &error);
  g_assert_no_error (error);

  session = new_session (sshd, NULL);
  burrow_ssh_session_set_auth_private_key (session, text, NULL);
  g_assert_cmpint (burrow_ssh_session_get_auth_method (session), ==, BURROW_SSH_AUTH_PRIVATE_KEY);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
expect_key_error (BurrowTestSshd *sshd,
                  const char     *path,
                  int             code)
{
  g_autoptr(BurrowSshSession) session = new_key_session (sshd, path, NULL);
  g_autoptr(GError) error = NULL;

  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, code);
  g_assert_nonnull (burrow_error_get_hint (error));
}

static void
test_key_invalid (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "bad-keys", NULL);
  g_autofree char *not_a_key = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *damaged = g_build_filename (dir, "damaged", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *pub = g_strconcat (burrow_test_sshd_get_client_key_path (sshd), ".pub", NULL);
  g_autofree char *good = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *cut = NULL;

  trust_sshd (sshd);
  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (not_a_key, "host=db.internal\nport=5432\n", -1, &error);
  g_assert_no_error (error);

  /* A key cut short, as a bad copy and paste leaves it. */
  g_file_get_contents (burrow_test_sshd_get_client_key_path (sshd), &good, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (good, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 4);
  cut = g_strdup_printf ("%s\n%s\n%s\n-----END OPENSSH PRIVATE KEY-----\n", lines[0], lines[1], lines[2]);
  g_file_set_contents (damaged, cut, -1, &error);
  g_assert_no_error (error);

  expect_key_error (sshd, not_a_key, BURROW_SSH_ERROR_KEY_INVALID);
  expect_key_error (sshd, damaged, BURROW_SSH_ERROR_KEY_INVALID);
  expect_key_error (sshd, pub, BURROW_SSH_ERROR_KEY_INVALID);
  expect_key_error (sshd, missing, BURROW_SSH_ERROR_KEY_INVALID);
}

static void
test_key_unauthorized (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;

  trust_sshd (sshd);
  burrow_test_sshd_set_authorized_keys (sshd, "");
  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
  /* What was tried, and what the server offers. */
  g_assert_nonnull (strstr (error->message, "ssh-ed25519 key"));
  g_assert_nonnull (strstr (error->message, "offers: publickey"));
}

typedef struct
{
  gboolean  emitted;
  guint     count;
  GError   *error;
} ClosedRecord;

static void
on_session_closed (BurrowSshSession *session,
                   const GError     *error,
                   gpointer          user_data)
{
  ClosedRecord *record = user_data;

  record->emitted = TRUE;
  record->count++;
  g_clear_error (&record->error);
  if (error != NULL)
    record->error = g_error_copy (error);
}

static void
test_close (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ClosedRecord closed = { 0 };
  ssh_channel channel;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "closed", G_CALLBACK (on_session_closed), &closed);

  burrow_ssh_session_close (session);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_CLOSED);
  g_assert_null (burrow_ssh_session_get_error (session));
  g_assert_true (closed.emitted);
  g_assert_null (closed.error);

  /* Closing twice is harmless and says nothing more. */
  burrow_ssh_session_close (session);
  g_assert_cmpuint (closed.count, ==, 1);

  channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
  g_assert_null (channel);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/ssh-session/connect-and-forward", test_connect_and_forward);
  g_test_add_func ("/burrow/ssh-session/close", test_close);
  g_test_add_func ("/burrow/ssh-session/key-kinds", test_key_kinds);
  g_test_add_func ("/burrow/ssh-session/key-passphrase", test_key_passphrase);
  g_test_add_func ("/burrow/ssh-session/private-key-text", test_private_key_text);
  g_test_add_func ("/burrow/ssh-session/key-invalid", test_key_invalid);
  g_test_add_func ("/burrow/ssh-session/key-unauthorized", test_key_unauthorized);

  return g_test_run ();
}
