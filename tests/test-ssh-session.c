/* test-ssh-session.c — SSH sessions against a real sshd: connect, host
 * keys, every sign-in method, channels, keepalives and the errors of each.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-2fa.h"
#include "burrow-test-echo.h"
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

/* Hands @auth (taken) to @session. */
static void
use_auth (BurrowSshSession *session,
          BurrowSshAuth    *auth)
{
  burrow_ssh_session_set_auth (session, auth);
  burrow_ssh_auth_unref (auth);
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
  use_auth (session, burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (sshd), NULL));

  return session;
}

static char *
make_key (const char *type,
          const char *format,
          const char *passphrase,
          const char *tag)
{
  g_autofree char *keygen = burrow_test_find_program ("ssh-keygen");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "keys", NULL);
  char *path;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_mkdir_with_parents (dir, 0700);
  path = g_strdup_printf ("%s/%s-%s-%s%s", dir, type, format != NULL ? format : "openssh",
                          passphrase != NULL ? "enc" : "plain", tag != NULL ? tag : "");
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
  /* The smallest RSA key OpenSSH accepts keeps the test quick. */
  if (g_str_equal (type, "rsa"))
    {
      g_ptr_array_add (argv, (char *)"-b");
      g_ptr_array_add (argv, (char *)"2048");
    }
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

  use_auth (session, burrow_ssh_auth_new_key_file (key_path, passphrase));
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
    { "ecdsa", "PKCS8" },
    { "rsa", NULL },
    { "rsa", "PEM" },
  };
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();

  trust_sshd (sshd);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *key = make_key (kinds[i].type, kinds[i].format, NULL, NULL);
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
  g_autofree char *key = make_key ("ed25519", NULL, "correct horse", NULL);
  g_autofree char *pem_key = make_key ("rsa", "PEM", "correct horse", NULL);
  g_autofree char *pkcs8_key = make_key ("ecdsa", "PKCS8", "correct horse", NULL);

  trust_sshd (sshd);
  authorize_key (sshd, key);
  authorize_key (sshd, pem_key);
  authorize_key (sshd, pkcs8_key);

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, pkcs8_key, "correct horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, pkcs8_key, "wrong horse");
    g_autoptr(GError) error = NULL;

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG);
  }

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
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_NOT_ANSWERED);
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
  use_auth (session, burrow_ssh_auth_new_private_key (text, NULL));
  g_assert_cmpint (burrow_ssh_session_get_auth_method (session), ==, BURROW_SSH_AUTH_PRIVATE_KEY);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* One auth, held by reference: the session keeps it until it signed in,
 * and two auths share a connection only when they sign in alike. */
static void
test_auth_held_once (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(BurrowSshAuth) auth = NULL;
  g_autoptr(BurrowSshAuth) same = burrow_ssh_auth_new_password ("s3cret");
  g_autoptr(BurrowSshAuth) other = burrow_ssh_auth_new_password ("other");
  g_autoptr(BurrowSshAuth) key = burrow_ssh_auth_new_key_file ("/tmp/key", "s3cret");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (burrow_ssh_auth_get_sharing_key (same), !=, burrow_ssh_auth_get_sharing_key (other));
  g_assert_cmpstr (burrow_ssh_auth_get_sharing_key (same), !=, burrow_ssh_auth_get_sharing_key (key));
  g_assert_null (strstr (burrow_ssh_auth_get_sharing_key (same), "s3cret"));
  {
    g_autoptr(BurrowSshAuth) again = burrow_ssh_auth_new_password ("s3cret");

    g_assert_cmpstr (burrow_ssh_auth_get_sharing_key (same), ==, burrow_ssh_auth_get_sharing_key (again));
  }

  trust_sshd (sshd);
  auth = burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (sshd), NULL);
  session = burrow_ssh_session_new ("127.0.0.1", burrow_test_sshd_get_port (sshd), burrow_test_sshd_get_user (sshd));
  burrow_ssh_session_set_auth (session, auth);
  g_assert_true (burrow_ssh_session_get_auth (session) == auth);
  g_assert_cmpint (burrow_ssh_session_get_auth_method (session), ==, BURROW_SSH_AUTH_KEY_FILE);

  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Signed in: the session lets go of the secrets. */
  g_assert_null (burrow_ssh_session_get_auth (session));
  g_assert_cmpint (burrow_ssh_session_get_auth_method (session), ==, BURROW_SSH_AUTH_KEY_FILE);
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

/* Each key error is one plain sentence, for a key file by its path and
 * for a pasted key as what it is: no capital inside a sentence ("The
 * passphrase of The private key"), and no "the private key is not a
 * private key". */
static void
test_key_error_wording (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *key = make_key ("ed25519", NULL, "correct horse", NULL);
  g_autofree char *pub = g_strconcat (burrow_test_sshd_get_client_key_path (sshd), ".pub", NULL);
  g_autofree char *notes = g_build_filename (g_get_user_data_dir (), "notes.txt", NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *pub_text = NULL;
  g_autoptr(GError) error = NULL;
  struct {
    const char *path;      /* a key file, or */
    const char *text;      /* a pasted key */
    const char *passphrase;
    int         code;
    const char *expected;  /* %s: the path */
  } cases[] = {
    { NULL, NULL, "wrong horse", BURROW_SSH_ERROR_PASSPHRASE_WRONG, "The passphrase of the pasted private key is wrong" },
    { key, NULL, "wrong horse", BURROW_SSH_ERROR_PASSPHRASE_WRONG, "The passphrase of the key file %s is wrong" },
    { NULL, "host=db.internal\n", NULL, BURROW_SSH_ERROR_KEY_INVALID, "The pasted text is not a private key" },
    { notes, NULL, NULL, BURROW_SSH_ERROR_KEY_INVALID, "The key file %s is not a private key" },
    { NULL, NULL, NULL, BURROW_SSH_ERROR_KEY_INVALID, "The pasted text is a public key, not a private key" },
    { pub, NULL, NULL, BURROW_SSH_ERROR_KEY_INVALID, "The key file %s is a public key, not a private key" },
  };

  trust_sshd (sshd);
  g_file_get_contents (key, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (pub, &pub_text, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (notes, "host=db.internal\nport=5432\n", -1, &error);
  g_assert_no_error (error);
  cases[0].text = key_text;
  cases[4].text = pub_text;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);
      g_autoptr(GError) failure = NULL;
      g_autofree char *cause = NULL;
      g_autofree char *expected = NULL;
      g_auto(GStrv) parts = NULL;

      use_auth (session, cases[i].path != NULL ? burrow_ssh_auth_new_key_file (cases[i].path, cases[i].passphrase)
                                               : burrow_ssh_auth_new_private_key (cases[i].text, cases[i].passphrase));
      connect_session (session, NULL, NULL, &failure);
      g_assert_error (failure, BURROW_SSH_ERROR, cases[i].code);
      g_assert_nonnull (burrow_error_get_hint (failure));
      cause = burrow_error_dup_cause (failure);
      parts = g_strsplit (cases[i].expected, "%s", -1);
      expected = g_strjoinv (cases[i].path != NULL ? cases[i].path : "", parts);
      g_assert_cmpstr (cause, ==, expected);
    }
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

/* Debian installs ssh-agent setgid, and the kernel drops the parent-death
 * signal that makes other fixtures die with the test. A failed assertion
 * aborts the test, so the agent is killed from the SIGABRT handler, which
 * then hands over to the handler it replaced (the sshd fixture's). */
static volatile GPid watched_agent;
static struct sigaction unwatched_abort;

static void
on_abort_kill_agent (int signum)
{
  if (watched_agent > 0)
    kill (watched_agent, SIGKILL);
  sigaction (signum, &unwatched_abort, NULL);
  raise (signum);
}

static void
watch_agent (GSubprocess *agent)
{
  const char *id = agent != NULL ? g_subprocess_get_identifier (agent) : NULL;
  gboolean was_watching = watched_agent > 0;

  watched_agent = id != NULL ? atoi (id) : 0;
  if (watched_agent > 0 && !was_watching)
    {
      struct sigaction action = { 0 };

      action.sa_handler = on_abort_kill_agent;
      sigemptyset (&action.sa_mask);
      sigaction (SIGABRT, &action, &unwatched_abort);
    }
  else if (watched_agent == 0 && was_watching)
    sigaction (SIGABRT, &unwatched_abort, NULL);
}

static gboolean
connect_with_agent (BurrowTestSshd  *sshd,
                    GError         **error)
{
  g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);

  use_auth (session, burrow_ssh_auth_new_agent ());
  if (!connect_session (session, NULL, NULL, error))
    return FALSE;

  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
  return TRUE;
}

/* ssh-agent started for the test, holding the fixture's key. */
static void
test_agent (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *agent_program = burrow_test_find_program ("ssh-agent");
  g_autofree char *add_program = burrow_test_find_program ("ssh-add");
  g_autofree char *dir = burrow_test_make_dir ("burrow-agent-XXXXXX");
  g_autofree char *socket_path = g_build_filename (dir, "agent.sock", NULL);
  g_autofree char *old_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  g_autofree char *agent_log = g_build_filename (dir, "agent.log", NULL);
  g_autoptr(GSubprocess) agent = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (agent_program == NULL || add_program == NULL)
    {
      g_test_skip ("ssh-agent is not installed (package openssh-client)");
      return;
    }

  trust_sshd (sshd);

  {
    const char *argv[] = { agent_program, "-D", "-a", socket_path, NULL };

    agent = burrow_test_spawn (argv, NULL, agent_log, &error);
    g_assert_no_error (error);
  }
  watch_agent (agent);

  deadline = g_get_monotonic_time () + HANG_GUARD_SECONDS * G_USEC_PER_SEC;
  while (!g_file_test (socket_path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_setenv ("SSH_AUTH_SOCK", socket_path, TRUE);

  /* An agent with nothing in it is told apart from a refused key. */
  connect_with_agent (sshd, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);
  g_assert_nonnull (strstr (error->message, "no keys"));
  g_clear_error (&error);

  {
    const char *argv[] = { add_program, burrow_test_sshd_get_client_key_path (sshd), NULL };

    burrow_test_run (argv, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  connect_with_agent (sshd, &error);
  g_assert_no_error (error);

  /* The agent holds a key the server does not know. */
  burrow_test_sshd_set_authorized_keys (sshd, "");
  connect_with_agent (sshd, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
  g_assert_nonnull (strstr (error->message, "ssh-agent"));
  g_clear_error (&error);

  /* More refused keys in the agent than the server's MaxAuthTries. */
  {
    g_autoptr(BurrowTestSshd) strict = burrow_test_sshd_new ();

    burrow_test_sshd_set_option (strict, "MaxAuthTries", "1");
    burrow_test_sshd_set_authorized_keys (strict, "");
    burrow_test_sshd_start (strict, &error);
    g_assert_no_error (error);
    trust_sshd (strict);

    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *tag = g_strdup_printf ("-extra%u", i);
        g_autofree char *extra = make_key ("ed25519", NULL, NULL, tag);
        const char *argv[] = { add_program, extra, NULL };

        burrow_test_run (argv, NULL, NULL, &error);
        g_assert_no_error (error);
      }

    connect_with_agent (strict, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
    g_assert_nonnull (strstr (burrow_error_get_hint (error), "MaxAuthTries"));
    g_clear_error (&error);
  }

  /* An agent that went away and left its socket behind. */
  burrow_test_stop_process (&agent, SIGKILL);
  g_assert_true (g_file_test (socket_path, G_FILE_TEST_EXISTS));
  connect_with_agent (sshd, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);
  g_clear_error (&error);

  /* No agent at all. */
  g_unsetenv ("SSH_AUTH_SOCK");
  connect_with_agent (sshd, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);

  if (old_socket != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_socket, TRUE);
  watch_agent (NULL);
  burrow_test_remove_dir (dir);
}

/* An ssh-agent that lists the fixture's key and then never signs, like
 * one waiting for a confirmation (ssh-add -c) or a PIN that nobody gives.
 * It serves one connection at a time in its own thread, and hangs up on a
 * signing request after FAKE_AGENT_PATIENCE_MS if nobody did before. */
#define FAKE_AGENT_PATIENCE_MS 10000

typedef struct
{
  int       listen_fd;
  GBytes   *key_blob;
  gboolean  refuse;           /* answer a signing request with a failure */
  gint      sign_requested;   /* atomic */
  GThread  *thread;
} FakeAgent;

static gboolean
fake_agent_read (GIOStream *stream,
                 guchar    *buffer,
                 gsize      len)
{
  gsize n = 0;

  return g_input_stream_read_all (g_io_stream_get_input_stream (stream), buffer, len, &n, NULL, NULL) &&
         n == len;
}

static void
put_uint32 (GByteArray *array,
            guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, bytes, 4);
}

static gboolean
fake_agent_answer (FakeAgent *agent,
                   GIOStream *stream,
                   guint8     request)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) message = g_byte_array_new ();
  gsize blob_len;
  const guint8 *blob = g_bytes_get_data (agent->key_blob, &blob_len);

  if (request == 11)   /* SSH_AGENTC_REQUEST_IDENTITIES */
    {
      guint8 type = 12;   /* SSH_AGENT_IDENTITIES_ANSWER */

      g_byte_array_append (body, &type, 1);
      put_uint32 (body, 1);
      put_uint32 (body, blob_len);
      g_byte_array_append (body, blob, blob_len);
      put_uint32 (body, 4);
      g_byte_array_append (body, (const guint8 *)"fake", 4);
    }
  else
    {
      guint8 type = 5;   /* SSH_AGENT_FAILURE */

      g_byte_array_append (body, &type, 1);
    }

  put_uint32 (message, body->len);
  g_byte_array_append (message, body->data, body->len);

  return g_output_stream_write_all (g_io_stream_get_output_stream (stream),
                                    message->data, message->len, NULL, NULL, NULL);
}

static void
fake_agent_serve (FakeAgent *agent,
                  int        fd)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  GIOStream *stream;

  if (socket == NULL)
    {
      close (fd);
      return;
    }
  connection = g_socket_connection_factory_create_connection (socket);
  stream = G_IO_STREAM (connection);

  for (;;)
    {
      guchar header[4];
      g_autofree guchar *request = NULL;
      guint32 len;

      if (!fake_agent_read (stream, header, 4))
        return;
      len = (guint32)header[0] << 24 | (guint32)header[1] << 16 | (guint32)header[2] << 8 | header[3];
      if (len == 0 || len > 256 * 1024)
        return;
      request = g_malloc (len);
      if (!fake_agent_read (stream, request, len))
        return;

      if (request[0] == 13)   /* SSH_AGENTC_SIGN_REQUEST */
        g_atomic_int_set (&agent->sign_requested, 1);
      if (request[0] == 13 && !agent->refuse)
        {
          g_socket_condition_timed_wait (socket, G_IO_IN, FAKE_AGENT_PATIENCE_MS * 1000, NULL, NULL);
          return;
        }

      if (!fake_agent_answer (agent, stream, request[0]))
        return;
    }
}

static gpointer
fake_agent_thread (gpointer data)
{
  FakeAgent *agent = data;
  int fd;

  /* shutdown() of the listening socket ends accept(). */
  while ((fd = accept (agent->listen_fd, NULL, NULL)) >= 0)
    fake_agent_serve (agent, fd);

  return NULL;
}

static FakeAgent *
fake_agent_start (const char *socket_path,
                  const char *public_key,
                  gboolean    refuse)
{
  FakeAgent *agent = g_new0 (FakeAgent, 1);
  g_auto(GStrv) fields = g_strsplit (public_key, " ", 3);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  guchar *blob;
  gsize blob_len;

  blob = g_base64_decode (fields[1], &blob_len);
  agent->key_blob = g_bytes_new_take (blob, blob_len);
  agent->refuse = refuse;

  g_assert_cmpuint (strlen (socket_path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, socket_path);
  agent->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (agent->listen_fd, >=, 0);
  g_assert_cmpint (bind (agent->listen_fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (agent->listen_fd, 4), ==, 0);
  agent->thread = g_thread_new ("fake-agent", fake_agent_thread, agent);

  return agent;
}

static void
fake_agent_stop (FakeAgent *agent)
{
  shutdown (agent->listen_fd, SHUT_RDWR);
  g_thread_join (agent->thread);
  close (agent->listen_fd);
  g_bytes_unref (agent->key_blob);
  g_free (agent);
}

typedef struct
{
  BurrowSshSession *session;
  FakeAgent        *agent;
  guint             ticks_while_signing;
} SigningTicker;

static gboolean
on_signing_tick (gpointer user_data)
{
  SigningTicker *ticker = user_data;

  if (g_atomic_int_get (&ticker->agent->sign_requested) &&
      burrow_ssh_session_get_state (ticker->session) == BURROW_SSH_STATE_AUTHENTICATING)
    ticker->ticks_while_signing++;

  return G_SOURCE_CONTINUE;
}

/* Signs in to @sshd with a fake agent holding its key; returns how many
 * times a timer fired after the agent got the signing request and before
 * the session gave up. */
static guint
connect_with_fake_agent (BurrowTestSshd  *sshd,
                         gboolean         refuse,
                         GError         **error)
{
  g_autofree char *dir = burrow_test_make_dir ("burrow-agent-XXXXXX");
  g_autofree char *socket_path = g_build_filename (dir, "agent.sock", NULL);
  g_autofree char *old_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  g_autofree char *public_key = burrow_test_sshd_get_client_public_key (sshd);
  g_autoptr(BurrowSshSession) session = NULL;
  SigningTicker ticker = { 0 };
  FakeAgent *agent;
  guint tick;

  agent = fake_agent_start (socket_path, public_key, refuse);
  g_setenv ("SSH_AUTH_SOCK", socket_path, TRUE);

  session = new_session (sshd, NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  burrow_ssh_session_set_connect_timeout (session, 2);
  ticker.session = session;
  ticker.agent = agent;
  tick = g_timeout_add (50, on_signing_tick, &ticker);

  connect_session (session, NULL, NULL, error);
  g_source_remove (tick);
  g_assert_true (g_atomic_int_get (&agent->sign_requested));

  /* libssh keeps its agent connection open until the session is freed. */
  g_clear_object (&session);
  fake_agent_stop (agent);
  if (old_socket != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_socket, TRUE);
  else
    g_unsetenv ("SSH_AUTH_SOCK");
  burrow_test_remove_dir (dir);

  return ticker.ticks_while_signing;
}

/* An agent that never signs ends the sign-in at the connect timeout with
 * an ssh-agent error, and the loop keeps running while it waits: a timer
 * fires after the agent got the signing request and before the session
 * gave up. */
static void
test_agent_never_signs (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GError) error = NULL;
  guint ticks;

  trust_sshd (sshd);
  ticks = connect_with_fake_agent (sshd, FALSE, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "confirmation"));
  g_assert_cmpuint (ticks, >, 0);
}

/* The user said no: the agent answers the signing request with a failure,
 * which is the agent's doing, not the server's. */
static void
test_agent_refuses_to_sign (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(GError) error = NULL;

  trust_sshd (sshd);
  connect_with_fake_agent (sshd, TRUE, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);
  g_assert_nonnull (strstr (error->message, "did not sign"));
}

/* The right password signs in; a wrong one is refused, the error naming
 * @method and never the password. */
static void
check_password_sign_in (BurrowTestSshd *sshd,
                        const char     *user,
                        const char     *method)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(BurrowSshSession) session = new_session (sshd, user);
    g_autofree char *banner = NULL;
    ssh_channel channel;

    use_auth (session, burrow_ssh_auth_new_password ("s3cret-Pa55"));
    connect_session (session, NULL, NULL, &error);
    g_assert_no_error (error);

    /* Forwarding works for an account whose shell is nologin. */
    channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
    g_assert_no_error (error);
    banner = read_channel_until (session, channel, "\n");
    g_assert_true (g_str_has_prefix (banner, "SSH-2.0-"));
    ssh_channel_close (channel);
    ssh_channel_free (channel);
  }

  {
    g_autoptr(BurrowSshSession) session = new_session (sshd, user);

    use_auth (session, burrow_ssh_auth_new_password ("wrong-Pa55"));
    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
    g_assert_nonnull (strstr (error->message, method));
    g_assert_null (strstr (error->message, "wrong-Pa55"));
  }
}

/* An sshd with a throwaway user that has a password, configured with
 * @options (keyword, value, …, NULL). NULL, with the test skipped, when
 * such a user cannot be made here. */
static BurrowTestSshd *
start_password_sshd (char              **user,
                     const char * const *options)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;

  *user = burrow_test_sshd_add_password_user (sshd, "s3cret-Pa55", &error);
  if (*user == NULL)
    {
      g_test_skip (error->message);
      return NULL;
    }

  for (guint i = 0; options[i] != NULL; i += 2)
    burrow_test_sshd_set_option (sshd, options[i], options[i + 1]);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  trust_sshd (sshd);

  return g_steal_pointer (&sshd);
}

static void
test_password (void)
{
  const char *options[] = { "PasswordAuthentication", "yes", NULL };
  g_autofree char *user = NULL;
  g_autoptr(BurrowTestSshd) sshd = start_password_sshd (&user, options);

  if (sshd != NULL)
    check_password_sign_in (sshd, user, "password");
}

/* OpenSSH offers keyboard-interactive for passwords only through PAM. */
static void
test_keyboard_interactive (void)
{
  const char *options[] = { "UsePAM", "yes",
                            "KbdInteractiveAuthentication", "yes",
                            "PasswordAuthentication", "no",
                            NULL };
  g_autofree char *user = NULL;
  g_autoptr(BurrowTestSshd) sshd = NULL;

  if (!g_file_test ("/etc/pam.d/sshd", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("sshd has no PAM configuration (/etc/pam.d/sshd)");
      return;
    }

  sshd = start_password_sshd (&user, options);
  if (sshd != NULL)
    check_password_sign_in (sshd, user, "keyboard-interactive");
}

/* A server that takes no password at all says what it does take. */
static void
test_password_not_offered (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  use_auth (session, burrow_ssh_auth_new_password ("anything"));
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
  g_assert_nonnull (strstr (error->message, "offers: publickey"));
}

static void
test_host_key_unknown_then_trusted (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(GError) error = NULL;

  /* Each test case may have trusted other servers: start from nothing. */
  g_unlink (known_hosts);

  {
    g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
    g_assert_nonnull (strstr (error->message, fingerprint));
    g_assert_nonnull (strstr (error->message, "ssh-ed25519"));
    g_assert_cmpstr (burrow_ssh_session_get_host_key_fingerprint (session), ==, fingerprint);
    g_assert_cmpstr (burrow_ssh_session_get_host_key_type (session), ==, "ssh-ed25519");
    g_assert_null (burrow_ssh_session_get_known_host_key_fingerprint (session));
    g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_DEAD);
    g_assert_cmpint (burrow_host_key_get_status (burrow_ssh_session_get_host_key (session)), ==,
                     BURROW_HOST_KEY_UNKNOWN);
    g_assert_cmpstr (burrow_host_key_get_fingerprint (burrow_ssh_session_get_host_key (session)), ==,
                     fingerprint);
    g_clear_error (&error);

    burrow_ssh_session_trust_host_key (session, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_test (known_hosts, G_FILE_TEST_EXISTS));
  }

  {
    g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);

    connect_session (session, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  /* Trust is per name: the same server reached as "localhost" is another
   * entry, recorded as such. */
  {
    g_autoptr(BurrowSshSession) session = NULL;
    g_autofree char *entry = g_strdup_printf ("[localhost]:%u ", burrow_test_sshd_get_port (sshd));
    g_autofree char *contents = NULL;

    session = burrow_ssh_session_new ("localhost", burrow_test_sshd_get_port (sshd), burrow_test_sshd_get_user (sshd));
    use_auth (session, burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (sshd), NULL));
    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
    g_clear_error (&error);

    burrow_ssh_session_trust_host_key (session, &error);
    g_assert_no_error (error);
    g_file_get_contents (known_hosts, &contents, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (contents, entry));
  }
}

static void
test_host_key_changed (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *new_fingerprint = NULL;
  g_autofree char *log = NULL;

  trust_sshd (sshd);
  old_fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  new_fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);

  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
  g_assert_nonnull (strstr (error->message, old_fingerprint));
  g_assert_nonnull (strstr (error->message, new_fingerprint));
  g_assert_cmpstr (burrow_ssh_session_get_known_host_key_fingerprint (session), ==, old_fingerprint);
  g_assert_cmpstr (burrow_ssh_session_get_host_key_fingerprint (session), ==, new_fingerprint);
  g_assert_cmpint (burrow_host_key_get_status (burrow_ssh_session_get_host_key (session)), ==,
                   BURROW_HOST_KEY_CHANGED);
  g_assert_cmpstr (burrow_host_key_get_known_fingerprint (burrow_ssh_session_get_host_key (session)), ==,
                   old_fingerprint);

  /* Nothing was offered to a server that may be an impostor. The server
   * logs the end of the connection (proof the log is written) but no
   * sign-in attempt. */
  g_clear_object (&session);
  burrow_test_sshd_stop (sshd);
  log = burrow_test_sshd_get_log (sshd);
  g_assert_nonnull (strstr (log, "127.0.0.1"));
  g_assert_null (strstr (log, "publickey for"));
  g_assert_null (strstr (log, "password for"));
  g_assert_null (strstr (log, "Accepted"));
}

/* known_hosts as OpenSSH reads it, against a real server: a negated
 * pattern does not vouch for the host it excludes, and trusting a new key
 * keeps what a shared line says about the other hosts. */
static void
test_host_key_patterns (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowTestSshd) other = start_sshd ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autofree char *key = burrow_test_sshd_get_host_public_key (sshd);
  g_autofree char *other_key = burrow_test_sshd_get_host_public_key (other);
  g_auto(GStrv) fields = g_strsplit (key, " ", 3);
  g_auto(GStrv) other_fields = g_strsplit (other_key, " ", 3);
  guint port = burrow_test_sshd_get_port (sshd);
  g_autofree char *dir = g_path_get_dirname (known_hosts);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  {
    g_autofree char *line = g_strdup_printf ("[127.0.0.*]:%u,![127.0.0.1]:%u %s %s\n", port, port,
                                             fields[0], fields[1]);
    g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);

    g_file_set_contents (known_hosts, line, -1, &error);
    g_assert_no_error (error);
    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN);
    g_clear_error (&error);
  }

  {
    g_autofree char *shared = g_strdup_printf ("[127.0.0.1]:%u,[localhost]:%u %s %s\n", port, port,
                                               other_fields[0], other_fields[1]);
    g_autofree char *kept = g_strdup_printf ("[localhost]:%u %s %s\n", port, other_fields[0], other_fields[1]);
    g_autofree char *after = NULL;
    g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);
    g_autoptr(BurrowSshSession) again = new_session (sshd, NULL);

    g_file_set_contents (known_hosts, shared, -1, &error);
    g_assert_no_error (error);
    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
    g_clear_error (&error);

    burrow_ssh_session_trust_host_key (session, &error);
    g_assert_no_error (error);
    g_file_get_contents (known_hosts, &after, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (after, kept));
    connect_session (again, NULL, NULL, &error);
    g_assert_no_error (error);
  }
}

/* ~/.ssh/known_hosts vouches for a host, and Burrow never writes it. */
static void
test_host_key_from_user_known_hosts (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  g_autofree char *own_file = burrow_paths_known_hosts_file ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_unlink (own_file);
  burrow_test_sshd_write_known_host (sshd, user_file);
  g_file_get_contents (user_file, &before, NULL, NULL);

  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (user_file, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (own_file, G_FILE_TEST_EXISTS));
  g_unlink (user_file);
}

static void
test_channel_errors (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ssh_channel channel;
  guint16 closed_port = burrow_test_get_free_port ();

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  channel = open_channel (session, "127.0.0.1", closed_port, &error);
  g_assert_null (channel);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED);
  g_assert_nonnull (burrow_error_get_hint (error));
  g_clear_error (&error);

  /* A failed open must leave the session, and other channels, alone. */
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
  channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
  g_assert_no_error (error);
  {
    g_autofree char *banner = read_channel_until (session, channel, "\n");

    g_assert_true (g_str_has_prefix (banner, "SSH-2.0-"));
  }
  ssh_channel_close (channel);
  ssh_channel_free (channel);
}

typedef struct
{
  BurrowSshSession *session;
  guint16           good_port;
  guint             pending;
  guint             opened;
  guint             failed;
  guint             cancelled;
  guint             reopen;     /* opens still to start from callbacks */
  GPtrArray        *channels;
  gboolean          done;
} Fanout;

static void
on_fanout_opened (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fanout *fanout = user_data;
  g_autoptr(GError) error = NULL;
  ssh_channel channel;

  channel = burrow_ssh_session_open_channel_finish (fanout->session, result, &error);
  fanout->pending--;

  if (channel != NULL)
    {
      fanout->opened++;
      g_ptr_array_add (fanout->channels, channel);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fanout->cancelled++;
  else
    {
      g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED);
      fanout->failed++;
    }

  /* Opening from a completion callback must work too. */
  if (fanout->reopen > 0)
    {
      fanout->reopen--;
      fanout->pending++;
      burrow_ssh_session_open_channel_async (fanout->session, "127.0.0.1", fanout->good_port,
                                             NULL, on_fanout_opened, fanout);
    }

  fanout->done = fanout->pending == 0;
}

/* Many opens at once, some refused, one cancelled while in flight: every
 * one gets its own answer and the session carries on. */
static void
test_many_channels (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint16 closed_port = burrow_test_get_free_port ();
  Fanout fanout = { 0 };
  ssh_channel channel;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  fanout.session = session;
  fanout.good_port = burrow_test_sshd_get_port (sshd);
  fanout.channels = g_ptr_array_new ();
  fanout.reopen = 3;

  for (guint i = 0; i < 20; i++)
    {
      fanout.pending++;
      burrow_ssh_session_open_channel_async (session, "127.0.0.1",
                                             i % 4 == 3 ? closed_port : fanout.good_port,
                                             NULL, on_fanout_opened, &fanout);
    }
  fanout.pending++;
  burrow_ssh_session_open_channel_async (session, "127.0.0.1", fanout.good_port,
                                         cancellable, on_fanout_opened, &fanout);
  g_cancellable_cancel (cancellable);

  wait_for (&fanout.done);

  g_assert_cmpuint (fanout.opened, ==, 15 + 3);
  g_assert_cmpuint (fanout.failed, ==, 5);
  g_assert_cmpuint (fanout.cancelled, ==, 1);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);

  for (guint i = 0; i < fanout.channels->len; i++)
    {
      ssh_channel_close (fanout.channels->pdata[i]);
      ssh_channel_free (fanout.channels->pdata[i]);
    }
  g_ptr_array_unref (fanout.channels);

  /* The cancelled channel did not take the session down when its answer
   * came: a new channel still carries data. */
  channel = open_channel (session, "127.0.0.1", fanout.good_port, &error);
  g_assert_no_error (error);
  {
    g_autofree char *banner = read_channel_until (session, channel, "\n");

    g_assert_true (g_str_has_prefix (banner, "SSH-2.0-"));
  }
  ssh_channel_close (channel);
  ssh_channel_free (channel);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
}

/* What the kernel says of the CPU, apart from how Burrow asks. */
static gboolean
cpuinfo_has_flag (const char *flag)
{
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return FALSE;

  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "flags") || g_str_has_prefix (lines[i], "Features"))
      {
        g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", -1);

        return g_strv_contains ((const char * const *)words, flag);
      }

  return FALSE;
}

/* Against sshd's default ciphers, a CPU with AES instructions gets
 * AES-GCM (less CPU per byte there), any other ChaCha20-Poly1305. */
static void
test_cipher_follows_cpu (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ssh_session handle;
  const char *expected = cpuinfo_has_flag ("aes") ? "aes128-gcm@openssh.com" : "chacha20-poly1305@openssh.com";

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  handle = burrow_ssh_session_get_handle (session);
  g_test_message ("cipher out %s, in %s", ssh_get_cipher_out (handle), ssh_get_cipher_in (handle));
  g_assert_cmpstr (ssh_get_cipher_out (handle), ==, expected);
  g_assert_cmpstr (ssh_get_cipher_in (handle), ==, expected);
}

static void
expect_forwarding_prohibited (BurrowTestSshd *sshd)
{
  g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);
  g_autoptr(GError) error = NULL;
  ssh_channel channel;

  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
  g_assert_null (channel);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED);
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "AllowTcpForwarding"));
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
}

static void
test_forwarding_prohibited (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();

    burrow_test_sshd_set_option (sshd, "AllowTcpForwarding", "no");
    burrow_test_sshd_start (sshd, &error);
    g_assert_no_error (error);
    trust_sshd (sshd);
    expect_forwarding_prohibited (sshd);
  }

  {
    g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();

    burrow_test_sshd_set_option (sshd, "PermitOpen", "127.0.0.1:1");
    burrow_test_sshd_start (sshd, &error);
    g_assert_no_error (error);
    trust_sshd (sshd);
    expect_forwarding_prohibited (sshd);
  }

  /* The restricted key line Burrow's guide hands out. */
  {
    g_autoptr(BurrowTestSshd) sshd = start_sshd ();
    g_autofree char *key = burrow_test_sshd_get_client_public_key (sshd);
    g_autofree char *line = g_strdup_printf ("restrict,port-forwarding,permitopen=\"127.0.0.1:1\" %s", key);

    burrow_test_sshd_set_authorized_keys (sshd, line);
    trust_sshd (sshd);
    expect_forwarding_prohibited (sshd);
  }
}

/* Refusals for several channels that come back in one read each reach
 * their own channel: libssh keeps only the last error of a session. The
 * requests leave in one TCP segment (corked), so sshd answers them in one
 * pass and one write, and the session takes all the answers in at once.
 * A name with an empty label fails to resolve at once inside sshd, without
 * a DNS server; the closed port fails a moment later. */
static void
test_channel_refusals_kept_apart (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint16 closed_port = burrow_test_get_free_port ();
  g_autofree char *permit = g_strdup_printf ("bastion..invalid:5 127.0.0.1:%u", closed_port);
  struct { const char *host; guint16 port; int code; } opens[] = {
    { "bastion..invalid", 5, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED },
    { "127.0.0.1", 1, BURROW_SSH_ERROR_FORWARDING_PROHIBITED },
    { "bastion..invalid", 5, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED },
    { "127.0.0.1", closed_port, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED },
  };
  Result results[G_N_ELEMENTS (opens)] = { 0 };
  int fd, on = 1, off = 0;

  burrow_test_sshd_set_option (sshd, "PermitOpen", permit);
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 0);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  fd = ssh_get_fd (burrow_ssh_session_get_handle (session));
  g_assert_cmpint (setsockopt (fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (opens); i++)
    burrow_ssh_session_open_channel_async (session, opens[i].host, opens[i].port, NULL,
                                           on_channel_opened, &results[i]);
  g_assert_cmpint (setsockopt (fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (opens); i++)
    {
      g_autofree char *target = g_strdup_printf ("%s:%u", opens[i].host, opens[i].port);

      wait_for (&results[i].done);
      g_test_message ("%s: %s", target, results[i].error != NULL ? results[i].error->message : "open");
      g_assert_null (results[i].pointer);
      g_assert_error (results[i].error, BURROW_SSH_ERROR, opens[i].code);
      g_assert_nonnull (strstr (results[i].error->message, target));
      g_clear_error (&results[i].error);
    }

  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
}

static gboolean
wait_readable (int  fd,
               guint timeout_ms)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  return poll (&pfd, 1, timeout_ms) == 1;
}

/* A libssh call made outside the session's dispatch may take in what other
 * channels wait for (here: ssh_channel_poll() on a quiet channel reads the
 * socket, and with it the confirmation of another open). The socket is
 * then drained, so no event comes: the session must notice by itself and
 * give the waiting open its answer at once, not at the next keepalive. */
static void
test_input_taken_outside_dispatch (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ssh_channel quiet;
  Result r = { 0 };
  gboolean late = FALSE;
  guint guard;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 0);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  quiet = open_channel (session, "127.0.0.1", burrow_test_echo_get_port (echo), &error);
  g_assert_no_error (error);

  /* The bastion holds its answer until the request is out: libssh reads
   * the socket right after it sends (in the open call, and while it
   * flushes), and an answer already there, as when this process lost the
   * CPU for a moment, would be taken in by those calls, not by the call
   * outside the dispatch that this test is about. */
  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), >, 0);
  burrow_ssh_session_open_channel_async (session, "127.0.0.1", burrow_test_echo_get_port (echo), NULL,
                                         on_channel_opened, &r);
  /* libssh may keep the open request queued until the socket is known to
   * be writable; send it now, without the loop, so that its answer is the
   * next thing the socket holds. */
  g_assert_cmpint (ssh_blocking_flush (burrow_ssh_session_get_handle (session), 5000), ==, SSH_OK);
  burrow_test_sshd_signal_sessions (sshd, SIGCONT);
  g_assert_true (wait_readable (ssh_get_fd (burrow_ssh_session_get_handle (session)), 30000));
  g_assert_cmpint (ssh_channel_poll (quiet, 0), ==, 0);
  g_assert_false (wait_readable (ssh_get_fd (burrow_ssh_session_get_handle (session)), 0));

  guard = g_timeout_add_seconds (3, on_hang_guard, &late);
  while (!r.done && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (guard);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.pointer);

  burrow_ssh_channel_close_and_free (r.pointer);
  burrow_ssh_channel_close_and_free (quiet);
}

static void
on_state_notify (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  gboolean *dead = user_data;

  if (burrow_ssh_session_get_state (BURROW_SSH_SESSION (object)) == BURROW_SSH_STATE_DEAD)
    *dead = TRUE;
}

/* A frozen bastion keeps the TCP connection up; only keepalives that
 * expect an answer find out. */
static void
test_keepalive_detects_frozen_server (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ClosedRecord closed = { 0 };
  gboolean dead = FALSE;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 1);
  burrow_ssh_session_set_keepalive_misses (session, 2);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "closed", G_CALLBACK (on_session_closed), &closed);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_state_notify), &dead);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGSTOP), >, 0);
  wait_for (&dead);

  g_assert_true (closed.emitted);
  g_assert_error (closed.error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (closed.error->message, "did not answer for 2 s"));
  g_assert_error (burrow_ssh_session_get_error (session), BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
  g_clear_error (&closed.error);

  burrow_test_sshd_signal_sessions (sshd, SIGCONT);
}

/* An idle session with keepalives stays up: the server answers them. */
static void
test_keepalive_keeps_idle_session (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waited = FALSE;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 1);
  burrow_ssh_session_set_keepalive_misses (session, 2);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Unanswered keepalives would kill it after two intervals. */
  g_timeout_add_seconds (3, (GSourceFunc)on_hang_guard, &waited);
  wait_for (&waited);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
}

static void
on_count_activity (BurrowSshSession *session,
                   gpointer          user_data)
{
  guint *count = user_data;

  (*count)++;
}

static guint idle_polls;

static int
count_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  idle_polls++;
  return g_poll (fds, n_fds, timeout);
}

/* An idle session does not wake the loop: no write watch left on, no
 * zero timeout, no polling. Every poll() of the loop is counted: a busy
 * loop would make thousands in this second, an idle one a handful (the
 * test's own timers). */
static void
test_idle_is_quiet (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GMainContext *context = g_main_context_default ();
  GPollFunc saved_poll = g_main_context_get_poll_func (context);
  gboolean waited = FALSE;
  guint activity = 0;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 0);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (session, "activity", G_CALLBACK (on_count_activity), &activity);
  idle_polls = 0;
  g_main_context_set_poll_func (context, count_poll);
  g_timeout_add_seconds (1, (GSourceFunc)on_hang_guard, &waited);
  wait_for (&waited);
  g_main_context_set_poll_func (context, saved_poll);

  /* Whatever the server still had to say right after sign-in. */
  g_test_message ("%u polls, %u activity", idle_polls, activity);
  g_assert_cmpuint (activity, <=, 3);
  g_assert_cmpuint (idle_polls, <=, 20);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);
}

/* A TCP relay between the session and sshd that can reset the session's
 * side (SO_LINGER 0, then close: an RST), as a bastion's firewall or a
 * crashed host does. */
typedef struct
{
  int      listen_fd;
  guint16  port;
  guint16  target_port;
  gint     reset;      /* atomic: reset the client's side now */
  GThread *thread;
} Relay;

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;
  int client = accept (relay->listen_fd, NULL, NULL);
  int server;
  g_autoptr(GError) error = NULL;

  if (client < 0)
    return NULL;
  server = burrow_test_connect_loopback (relay->target_port, &error);
  g_assert_no_error (error);

  while (!g_atomic_int_get (&relay->reset))
    {
      struct pollfd fds[2] = { { client, POLLIN, 0 }, { server, POLLIN, 0 } };
      char buffer[16384];

      if (poll (fds, 2, 20) <= 0)
        continue;
      for (guint i = 0; i < 2; i++)
        if (fds[i].revents != 0)
          {
            ssize_t n = recv (fds[i].fd, buffer, sizeof buffer, 0);

            if (n <= 0 || send (fds[1 - i].fd, buffer, n, MSG_NOSIGNAL) != n)
              g_atomic_int_set (&relay->reset, 1);
          }
    }

  {
    struct linger linger = { 1, 0 };

    setsockopt (client, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    close (client);
    close (server);
  }

  return NULL;
}

static Relay *
relay_start (guint16 target_port)
{
  Relay *relay = g_new0 (Relay, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t len = sizeof addr;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  relay->target_port = target_port;
  relay->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (bind (relay->listen_fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (relay->listen_fd, 1), ==, 0);
  g_assert_cmpint (getsockname (relay->listen_fd, (struct sockaddr *)&addr, &len), ==, 0);
  relay->port = ntohs (addr.sin_port);
  relay->thread = g_thread_new ("relay", relay_thread, relay);

  return relay;
}

static void
relay_stop (Relay *relay)
{
  g_atomic_int_set (&relay->reset, 1);
  shutdown (relay->listen_fd, SHUT_RDWR);
  g_thread_join (relay->thread);
  close (relay->listen_fd);
  g_free (relay);
}

typedef struct
{
  FakeAgent *agent;
  Relay     *relay;
  guint      polls_at_reset;
  guint      tick;
} ResetWatch;

static gboolean
on_reset_when_signing (gpointer user_data)
{
  ResetWatch *watch = user_data;

  if (!g_atomic_int_get (&watch->agent->sign_requested))
    return G_SOURCE_CONTINUE;

  g_atomic_int_set (&watch->relay->reset, 1);
  watch->polls_at_reset = idle_polls;
  watch->tick = 0;
  return G_SOURCE_REMOVE;
}

/* While a worker signs in through ssh-agent, the loop leaves the socket
 * alone; a reset from the server then must not make its source fire over
 * and over (poll() reports POLLHUP and POLLERR whatever was asked). */
static void
test_agent_server_reset (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *dir = burrow_test_make_dir ("burrow-agent-XXXXXX");
  g_autofree char *socket_path = g_build_filename (dir, "agent.sock", NULL);
  g_autofree char *old_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
  g_autofree char *public_key = burrow_test_sshd_get_client_public_key (sshd);
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GMainContext *context = g_main_context_default ();
  GPollFunc saved_poll = g_main_context_get_poll_func (context);
  Relay *relay = relay_start (burrow_test_sshd_get_port (sshd));
  ResetWatch watch = { 0 };
  guint polls_after;

  /* The relay is the server, as far as the session knows. */
  {
    g_autofree char *key = burrow_test_sshd_get_host_public_key (sshd);

    burrow_test_append_known_host (known_hosts, relay->port, key);
  }

  watch.agent = fake_agent_start (socket_path, public_key, FALSE);
  watch.relay = relay;
  g_setenv ("SSH_AUTH_SOCK", socket_path, TRUE);

  session = burrow_ssh_session_new ("127.0.0.1", relay->port, burrow_test_sshd_get_user (sshd));
  use_auth (session, burrow_ssh_auth_new_agent ());
  burrow_ssh_session_set_connect_timeout (session, 4);
  watch.tick = g_timeout_add (10, on_reset_when_signing, &watch);
  idle_polls = 0;
  g_main_context_set_poll_func (context, count_poll);
  connect_session (session, NULL, NULL, &error);
  g_main_context_set_poll_func (context, saved_poll);
  g_clear_handle_id (&watch.tick, g_source_remove);

  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT);
  g_assert_cmpuint (watch.polls_at_reset, >, 0);
  polls_after = idle_polls - watch.polls_at_reset;
  g_test_message ("%u polls between the reset and the end of the sign-in", polls_after);
  /* The connect timeout ends it well over a second later; a spinning
   * source polls tens of thousands of times meanwhile. */
  g_assert_cmpuint (polls_after, <, 100);

  g_clear_object (&session);
  fake_agent_stop (watch.agent);
  relay_stop (relay);
  if (old_socket != NULL)
    g_setenv ("SSH_AUTH_SOCK", old_socket, TRUE);
  else
    g_unsetenv ("SSH_AUTH_SOCK");
  burrow_test_remove_dir (dir);
}


/* A bastion whose connection is reset (a firewall, a host that crashed):
 * the error says it was lost, and why. */
static void
test_server_reset (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cause = NULL;
  ClosedRecord closed = { 0 };
  Relay *relay = relay_start (burrow_test_sshd_get_port (sshd));

  /* The relay is the server, as far as the session knows. */
  {
    g_autofree char *key = burrow_test_sshd_get_host_public_key (sshd);

    burrow_test_append_known_host (known_hosts, relay->port, key);
  }

  session = burrow_ssh_session_new ("127.0.0.1", relay->port, burrow_test_sshd_get_user (sshd));
  use_auth (session, burrow_ssh_auth_new_key_file (burrow_test_sshd_get_client_key_path (sshd), NULL));
  burrow_ssh_session_set_keepalive_interval (session, 0);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "closed", G_CALLBACK (on_session_closed), &closed);

  g_atomic_int_set (&relay->reset, 1);
  wait_for (&closed.emitted);

  g_assert_error (closed.error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
  g_test_message ("%s", closed.error->message);
  cause = burrow_error_dup_cause (closed.error);
  g_assert_true (g_str_has_prefix (cause, "The connection to 127.0.0.1 was lost: "));
  g_assert_nonnull (strstr (cause, "reset"));
  g_assert_nonnull (burrow_error_get_hint (closed.error));
  g_clear_error (&closed.error);
  relay_stop (relay);
}

/* libssh does not always know why a socket ended: then the cause is the
 * sentence alone, never one that ends in a colon with nothing after it. */
static void
test_lost_without_reason (void)
{
  const char *reasons[] = { NULL, "", "  \n" };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *cause = NULL;

      burrow_ssh_error_set_lost (&error, "bastion.example.com", reasons[i]);
      g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
      cause = burrow_error_dup_cause (error);
      g_assert_cmpstr (cause, ==, "The connection to bastion.example.com was lost");
      g_assert_nonnull (burrow_error_get_hint (error));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *cause = NULL;

    burrow_ssh_error_set_lost (&error, "bastion.example.com", "Socket error: disconnected");
    cause = burrow_error_dup_cause (error);
    g_assert_cmpstr (cause, ==, "The connection to bastion.example.com was lost: Socket error: disconnected");
  }
}

/* A bastion that dies closes the socket: seen at once, keepalives off. */
static void
test_server_killed (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  ClosedRecord closed = { 0 };

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_set_keepalive_interval (session, 0);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "closed", G_CALLBACK (on_session_closed), &closed);

  g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
  wait_for (&closed.emitted);

  g_assert_error (closed.error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_DEAD);
  g_clear_error (&closed.error);
}

static void
on_splice_done (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

/* SSH over a socket the caller connected, as a jump host provides: one end
 * of a socketpair, the other pumped to sshd. */
static void
test_connect_over_stream (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) inner_socket = NULL;
  g_autoptr(GSocket) outer_socket = NULL;
  g_autoptr(GSocketConnection) inner = NULL;
  g_autoptr(GSocketConnection) outer = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *banner = NULL;
  ssh_channel channel;
  int fds[2];

  trust_sshd (sshd);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  inner_socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  outer_socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  inner = g_socket_connection_factory_create_connection (inner_socket);
  outer = g_socket_connection_factory_create_connection (outer_socket);

  tcp = g_socket_client_connect_to_host (client, "127.0.0.1", burrow_test_sshd_get_port (sshd), NULL, &error);
  g_assert_no_error (error);
  g_io_stream_splice_async (G_IO_STREAM (outer), G_IO_STREAM (tcp), G_IO_STREAM_SPLICE_NONE,
                            G_PRIORITY_DEFAULT, cancellable, on_splice_done, NULL);

  session = new_session (sshd, NULL);
  connect_session (session, inner, NULL, &error);
  g_assert_no_error (error);
  /* libssh made the socket blocking when it took it; a blocking write
   * would stall the loop. */
  g_assert_cmpint (fcntl (g_socket_get_fd (inner_socket), F_GETFL) & O_NONBLOCK, !=, 0);

  channel = open_channel (session, "127.0.0.1", burrow_test_sshd_get_port (sshd), &error);
  g_assert_no_error (error);
  banner = read_channel_until (session, channel, "\n");
  g_assert_true (g_str_has_prefix (banner, "SSH-2.0-OpenSSH"));
  ssh_channel_close (channel);
  ssh_channel_free (channel);

  burrow_ssh_session_close (session);
  g_cancellable_cancel (cancellable);
}

static void
test_connection_refused (void)
{
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = burrow_ssh_session_new ("127.0.0.1", burrow_test_get_free_port (), NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_REFUSED);
  g_assert_nonnull (burrow_error_get_hint (error));
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_DEAD);
}

static void
test_dns_failure (void)
{
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;

  /* An empty label: the C library refuses the name itself, so the test
   * asks no DNS server (and .invalid would never resolve anyway). */
  session = burrow_ssh_session_new ("bastion..invalid", 22, NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_DNS);
  /* The name once, in Burrow's words, not GLib's "Error resolving". */
  g_assert_true (g_str_has_prefix (error->message, "The host name bastion..invalid does not resolve\n"));
}

static void
on_silent_accept (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GSocketConnection **accepted = user_data;

  *accepted = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source_object), result, NULL, NULL);
}

/* Something that accepts and never speaks: the handshake times out. */
static void
test_handshake_timeout (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GSocketConnection *accepted = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_silent_accept, &accepted);

  session = burrow_ssh_session_new ("127.0.0.1", port, NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  burrow_ssh_session_set_connect_timeout (session, 1);
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "handshake"));

  g_clear_object (&accepted);
}

static void
on_http_accept (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = NULL;
  const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source_object), result, NULL, NULL);
  if (connection != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 reply, sizeof reply - 1, NULL, NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
}

/* A web server where the bastion should be. */
static void
test_not_ssh (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_http_accept, NULL);

  session = burrow_ssh_session_new ("127.0.0.1", port, NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PROTOCOL);
}

/* An SSH server that allows only an old cipher: the error says that the
 * two sides share no algorithm, and points at sshd_config rather than at
 * the host and port. */
static void
test_no_common_algorithm (void)
{
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *hint;

  burrow_test_sshd_set_option (sshd, "Ciphers", "aes128-cbc");
  burrow_test_sshd_start (sshd, &error);
  g_assert_no_error (error);
  trust_sshd (sshd);

  session = new_session (sshd, NULL);
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PROTOCOL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "no algorithm in common"));
  g_assert_nonnull (strstr (error->message, "aes128-cbc"));
  hint = burrow_error_get_hint (error);
  g_assert_nonnull (strstr (hint, "Ciphers"));
  g_assert_null (strstr (hint, "MaxStartups"));
  g_assert_null (strstr (hint, "host and port"));
}

static void
on_state_kill_sessions (GObject    *object,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  BurrowTestSshd *sshd = user_data;

  if (burrow_ssh_session_get_state (BURROW_SSH_SESSION (object)) == BURROW_SSH_STATE_AUTHENTICATING)
    g_assert_cmpuint (burrow_test_sshd_signal_sessions (sshd, SIGKILL), >, 0);
}

/* A server that hangs up during sign-in is an SSH server: the hint is
 * about the account, not about the host and port. */
static void
test_hang_up_during_sign_in (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *hint;

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_state_kill_sessions), sshd);
  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "authentication"));
  hint = burrow_error_get_hint (error);
  g_assert_nonnull (strstr (hint, "sign-in"));
  g_assert_null (strstr (hint, "MaxStartups"));
}

/* Closing a session that is still connecting ends the connect. */
static void
test_close_while_connecting (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autoptr(BurrowSshSession) session = NULL;
  Result r = { 0 };

  trust_sshd (sshd);
  session = new_session (sshd, NULL);
  burrow_ssh_session_connect_async (session, NULL, NULL, on_connected, &r);
  burrow_ssh_session_close (session);
  wait_for (&r.done);

  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_CLOSED);
  g_clear_error (&r.error);
}

static void
test_cancel_connect (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *accepted = NULL;
  Result r = { 0 };
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_silent_accept, &accepted);

  session = burrow_ssh_session_new ("127.0.0.1", port, NULL);
  use_auth (session, burrow_ssh_auth_new_agent ());
  burrow_ssh_session_connect_async (session, NULL, cancellable, on_connected, &r);
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);

  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_DEAD);
  g_clear_error (&r.error);
  g_clear_object (&accepted);
}

/* Questions: a bastion that asks for a second factor (the 2FA fixture, a
 * libssh server), and keys whose passphrase is not stored. */

typedef struct
{
  GPtrArray  *questions;   /* every question asked, in order */
  const char *answers[4];  /* given in turn; NULL cancels */
  guint       next;
  guint       delay_ms;    /* answer from a timer this much later */
  gboolean    never;       /* leave every question open */
} Asker;

static gboolean
on_answer_later (gpointer user_data)
{
  Asker *asker = user_data;
  BurrowQuestion *question = g_ptr_array_index (asker->questions, asker->questions->len - 1);
  const char *answer = asker->answers[asker->next++];

  if (answer != NULL)
    burrow_question_answer (question, answer);
  else
    burrow_question_cancel (question);

  return G_SOURCE_REMOVE;
}

static void
on_ask (BurrowQuestion *question,
        gpointer        user_data)
{
  Asker *asker = user_data;

  g_ptr_array_add (asker->questions, g_object_ref (question));
  if (asker->never)
    return;
  if (asker->delay_ms > 0)
    g_timeout_add (asker->delay_ms, on_answer_later, asker);
  else
    on_answer_later (asker);
}

static Asker *
asker_new (const char *first_answer,
           ...)
{
  Asker *asker = g_new0 (Asker, 1);
  const char *answer = first_answer;
  va_list args;

  asker->questions = g_ptr_array_new_with_free_func (g_object_unref);
  va_start (args, first_answer);
  for (guint i = 0; answer != NULL && i < G_N_ELEMENTS (asker->answers); i++)
    {
      asker->answers[i] = answer;
      answer = va_arg (args, const char *);
    }
  va_end (args);

  return asker;
}

static void
asker_free (Asker *asker)
{
  g_ptr_array_unref (asker->questions);
  g_free (asker);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Asker, asker_free)

static BurrowQuestion *
asked (Asker *asker,
       guint  index)
{
  g_assert_cmpuint (index, <, asker->questions->len);
  return g_ptr_array_index (asker->questions, index);
}

/* A bastion that takes the fixture's key, answers "partial success", and
 * asks "Verification code:" (echo off), expecting 123456. */
static BurrowTest2fa *
start_2fa (void)
{
  BurrowTest2fa *server = burrow_test_2fa_new ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(GError) error = NULL;

  burrow_test_2fa_set_banner (server, "Two-factor sign-in", "Enter the code from your authenticator app.");
  burrow_test_2fa_add_prompt (server, "Verification code: ", FALSE, "123456");
  burrow_test_2fa_start (server, &error);
  g_assert_no_error (error);
  burrow_test_2fa_write_known_host (server, known_hosts);

  return server;
}

/* A session to @server signing in with its key, asking @asker (may be
 * NULL: no ask func). */
static BurrowSshSession *
new_2fa_session (BurrowTest2fa *server,
                 Asker         *asker)
{
  BurrowSshSession *session;
  BurrowSshAuth *auth = burrow_ssh_auth_new_key_file (burrow_test_2fa_get_client_key_path (server), NULL);

  if (asker != NULL)
    burrow_ssh_auth_set_ask_func (auth, on_ask, asker, NULL);
  session = burrow_ssh_session_new ("127.0.0.1", burrow_test_2fa_get_port (server), burrow_test_2fa_get_user (server));
  use_auth (session, auth);

  return session;
}

/* The code is asked after the key, answered later than the connect
 * timeout would allow (it waits while a person answers), and the session
 * then forwards. */
static void
test_second_factor (void)
{
  g_autoptr(BurrowTest2fa) server = start_2fa ();
  g_autoptr(BurrowTestEcho) echo = burrow_test_echo_new (BURROW_TEST_ECHO_MODE_ECHO, 0);
  g_autoptr(Asker) asker = asker_new ("123456", NULL);
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  BurrowQuestion *question;
  ssh_channel channel;

  /* Answered well after the connect timeout would have run out, with room
   * for the handshake and the key on a busy machine. */
  asker->delay_ms = 4500;
  session = new_2fa_session (server, asker);
  burrow_ssh_session_set_connect_timeout (session, 3);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (burrow_ssh_session_get_state (session), ==, BURROW_SSH_STATE_READY);

  g_assert_cmpuint (asker->questions->len, ==, 1);
  question = asked (asker, 0);
  g_assert_cmpint (burrow_question_get_kind (question), ==, BURROW_QUESTION_PROMPT);
  g_assert_cmpstr (burrow_question_get_prompt (question), ==, "Verification code: ");
  g_assert_false (burrow_question_get_echo (question));
  g_assert_cmpstr (burrow_question_get_title (question), ==, "Two-factor sign-in");
  g_assert_cmpstr (burrow_question_get_instruction (question), ==, "Enter the code from your authenticator app.");
  g_assert_cmpstr (burrow_question_get_host (question), ==, "127.0.0.1");
  g_assert_cmpuint (burrow_question_get_port (question), ==, burrow_test_2fa_get_port (server));

  channel = open_channel (session, "127.0.0.1", burrow_test_echo_get_port (echo), &error);
  g_assert_no_error (error);
  g_assert_cmpint (ssh_channel_write (channel, "ping\n", 5), ==, 5);
  burrow_ssh_session_flush (session);
  reply = read_channel_until (session, channel, "\n");
  g_assert_cmpstr (reply, ==, "ping\n");
  burrow_ssh_channel_close_and_free (channel);
}

static void
test_second_factor_wrong (void)
{
  g_autoptr(BurrowTest2fa) server = start_2fa ();
  g_autoptr(Asker) asker = asker_new ("000000", NULL);
  g_autoptr(BurrowSshSession) session = new_2fa_session (server, asker);
  g_autoptr(GError) error = NULL;

  connect_session (session, NULL, NULL, &error);
  g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AUTH_DENIED);
  g_assert_null (strstr (error->message, "000000"));
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "code"));
  g_assert_cmpuint (asker->questions->len, ==, 1);
}

static void
expect_not_answered (const GError *error)
{
  g_assert_error ((GError *)error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_NOT_ANSWERED);
  g_assert_nonnull (strstr (error->message, "“Verification code”"));
  g_assert_nonnull (strstr (burrow_error_get_hint (error), "burrowctl"));
}

static void
test_second_factor_cancelled (void)
{
  g_autoptr(BurrowTest2fa) server = start_2fa ();
  g_autoptr(Asker) asker = asker_new (NULL);
  g_autoptr(BurrowSshSession) session = new_2fa_session (server, asker);
  g_autoptr(GError) error = NULL;

  asker->delay_ms = 10;
  connect_session (session, NULL, NULL, &error);
  expect_not_answered (error);
  g_assert_cmpuint (asker->questions->len, ==, 1);
}

static void
test_second_factor_no_ask_func (void)
{
  g_autoptr(BurrowTest2fa) server = start_2fa ();
  g_autoptr(BurrowSshSession) session = new_2fa_session (server, NULL);
  g_autoptr(GError) error = NULL;

  connect_session (session, NULL, NULL, &error);
  expect_not_answered (error);
}

static void
on_question_withdrawn (BurrowQuestion *question,
                       gpointer        user_data)
{
  gboolean *withdrawn = user_data;

  *withdrawn = TRUE;
}

/* Cancelling the connect, or closing the session, while a person is
 * answering withdraws the question (its dialog closes). */
static void
test_second_factor_withdrawn (void)
{
  g_autoptr(BurrowTest2fa) server = start_2fa ();

  for (guint how = 0; how < 2; how++)
    {
      g_autoptr(Asker) asker = asker_new (NULL);
      g_autoptr(BurrowSshSession) session = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      gboolean withdrawn = FALSE;
      gboolean hung = FALSE;
      guint guard;
      Result r = { 0 };

      asker->never = TRUE;
      session = new_2fa_session (server, asker);
      burrow_ssh_session_connect_async (session, NULL, cancellable, on_connected, &r);
      guard = g_timeout_add_seconds (HANG_GUARD_SECONDS, on_hang_guard, &hung);
      while (asker->questions->len == 0 && !hung)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (hung);
      g_source_remove (guard);
      g_signal_connect (asked (asker, 0), "withdrawn", G_CALLBACK (on_question_withdrawn), &withdrawn);

      if (how == 0)
        g_cancellable_cancel (cancellable);
      else
        burrow_ssh_session_close (session);
      wait_for (&r.done);

      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_true (withdrawn);
      g_assert_true (burrow_question_is_done (asked (asker, 0)));
      /* A late answer changes nothing. */
      burrow_question_answer (asked (asker, 0), "123456");
      g_assert_cmpint (burrow_ssh_session_get_state (session), !=, BURROW_SSH_STATE_READY);
      g_clear_error (&r.error);
    }
}

/* Two prompts in one round, one of them echoed: each is asked in turn,
 * with its own echo flag. */
static void
test_second_factor_two_prompts (void)
{
  g_autoptr(BurrowTest2fa) server = burrow_test_2fa_new ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(Asker) asker = asker_new ("654321", "laptop", NULL);
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;

  burrow_test_2fa_add_prompt (server, "Verification code: ", FALSE, "654321");
  burrow_test_2fa_add_prompt (server, "Name this device: ", TRUE, "laptop");
  burrow_test_2fa_start (server, &error);
  g_assert_no_error (error);
  burrow_test_2fa_write_known_host (server, known_hosts);

  asker->delay_ms = 20;
  session = new_2fa_session (server, asker);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (asker->questions->len, ==, 2);
  g_assert_cmpstr (burrow_question_get_prompt (asked (asker, 0)), ==, "Verification code: ");
  g_assert_false (burrow_question_get_echo (asked (asker, 0)));
  g_assert_cmpstr (burrow_question_get_prompt (asked (asker, 1)), ==, "Name this device: ");
  g_assert_true (burrow_question_get_echo (asked (asker, 1)));
}

/* Signing in with a password on a keyboard-interactive bastion: the
 * password prompt gets the stored password, and only the code is asked. */
static void
test_password_then_code (void)
{
  g_autoptr(BurrowTest2fa) server = burrow_test_2fa_new ();
  g_autofree char *known_hosts = burrow_paths_known_hosts_file ();
  g_autoptr(Asker) asker = asker_new ("123456", NULL);
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  BurrowSshAuth *auth = burrow_ssh_auth_new_password ("s3cret-Pa55");

  burrow_test_2fa_set_key_first (server, FALSE);
  burrow_test_2fa_set_password (server, "s3cret-Pa55");
  burrow_test_2fa_add_prompt (server, "Verification code: ", FALSE, "123456");
  burrow_test_2fa_start (server, &error);
  g_assert_no_error (error);
  burrow_test_2fa_write_known_host (server, known_hosts);

  burrow_ssh_auth_set_ask_func (auth, on_ask, asker, NULL);
  session = burrow_ssh_session_new ("127.0.0.1", burrow_test_2fa_get_port (server), burrow_test_2fa_get_user (server));
  use_auth (session, auth);
  connect_session (session, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (asker->questions->len, ==, 1);
  g_assert_cmpstr (burrow_question_get_prompt (asked (asker, 0)), ==, "Verification code: ");
}

/* An encrypted key given without its passphrase: it is asked, asked again
 * when wrong; without an ask func, the error says how to answer. */
static void
test_passphrase_asked (void)
{
  g_autoptr(BurrowTestSshd) sshd = start_sshd ();
  g_autofree char *key = make_key ("ed25519", NULL, "correct horse", "-asked");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  trust_sshd (sshd);
  authorize_key (sshd, key);
  g_file_get_contents (key, &text, NULL, &error);
  g_assert_no_error (error);

  for (guint pasted = 0; pasted < 2; pasted++)
    {
      g_autoptr(Asker) asker = asker_new ("wrong horse", "correct horse", NULL);
      g_autoptr(BurrowSshSession) session = new_session (sshd, NULL);
      BurrowSshAuth *auth = pasted ? burrow_ssh_auth_new_private_key (text, NULL)
                                   : burrow_ssh_auth_new_key_file (key, NULL);

      asker->delay_ms = 10;
      burrow_ssh_auth_set_ask_func (auth, on_ask, asker, NULL);
      use_auth (session, auth);
      connect_session (session, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (asker->questions->len, ==, 2);
      g_assert_cmpint (burrow_question_get_kind (asked (asker, 0)), ==, BURROW_QUESTION_PASSPHRASE);
      g_assert_false (burrow_question_get_echo (asked (asker, 0)));
      if (!pasted)
        g_assert_nonnull (strstr (burrow_question_get_title (asked (asker, 0)), key));
    }

  {
    g_autoptr(BurrowSshSession) session = new_key_session (sshd, key, NULL);

    connect_session (session, NULL, NULL, &error);
    g_assert_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_NOT_ANSWERED);
    g_assert_nonnull (strstr (error->message, key));
    g_assert_nonnull (strstr (burrow_error_get_hint (error), "burrowctl"));
  }
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
  g_test_add_func ("/burrow/ssh-session/auth-held-once", test_auth_held_once);
  g_test_add_func ("/burrow/ssh-session/key-unauthorized", test_key_unauthorized);
  g_test_add_func ("/burrow/ssh-session/agent", test_agent);
  g_test_add_func ("/burrow/ssh-session/agent-never-signs", test_agent_never_signs);
  g_test_add_func ("/burrow/ssh-session/agent-refuses-to-sign", test_agent_refuses_to_sign);
  g_test_add_func ("/burrow/ssh-session/agent-server-reset", test_agent_server_reset);
  g_test_add_func ("/burrow/ssh-session/password", test_password);
  g_test_add_func ("/burrow/ssh-session/keyboard-interactive", test_keyboard_interactive);
  g_test_add_func ("/burrow/ssh-session/password-not-offered", test_password_not_offered);
  g_test_add_func ("/burrow/ssh-session/second-factor", test_second_factor);
  g_test_add_func ("/burrow/ssh-session/second-factor-wrong", test_second_factor_wrong);
  g_test_add_func ("/burrow/ssh-session/second-factor-cancelled", test_second_factor_cancelled);
  g_test_add_func ("/burrow/ssh-session/second-factor-no-ask-func", test_second_factor_no_ask_func);
  g_test_add_func ("/burrow/ssh-session/second-factor-withdrawn", test_second_factor_withdrawn);
  g_test_add_func ("/burrow/ssh-session/second-factor-two-prompts", test_second_factor_two_prompts);
  g_test_add_func ("/burrow/ssh-session/password-then-code", test_password_then_code);
  g_test_add_func ("/burrow/ssh-session/passphrase-asked", test_passphrase_asked);
  g_test_add_func ("/burrow/ssh-session/host-key-unknown-then-trusted", test_host_key_unknown_then_trusted);
  g_test_add_func ("/burrow/ssh-session/host-key-changed", test_host_key_changed);
  g_test_add_func ("/burrow/ssh-session/host-key-from-user-known-hosts", test_host_key_from_user_known_hosts);
  g_test_add_func ("/burrow/ssh-session/host-key-patterns", test_host_key_patterns);
  g_test_add_func ("/burrow/ssh-session/channel-errors", test_channel_errors);
  g_test_add_func ("/burrow/ssh-session/many-channels", test_many_channels);
  g_test_add_func ("/burrow/ssh-session/cipher-follows-cpu", test_cipher_follows_cpu);
  g_test_add_func ("/burrow/ssh-session/forwarding-prohibited", test_forwarding_prohibited);
  g_test_add_func ("/burrow/ssh-session/channel-refusals-kept-apart", test_channel_refusals_kept_apart);
  g_test_add_func ("/burrow/ssh-session/input-taken-outside-dispatch", test_input_taken_outside_dispatch);
  g_test_add_func ("/burrow/ssh-session/keepalive-detects-frozen-server", test_keepalive_detects_frozen_server);
  g_test_add_func ("/burrow/ssh-session/keepalive-keeps-idle-session", test_keepalive_keeps_idle_session);
  g_test_add_func ("/burrow/ssh-session/idle-is-quiet", test_idle_is_quiet);
  g_test_add_func ("/burrow/ssh-session/server-killed", test_server_killed);
  g_test_add_func ("/burrow/ssh-session/server-reset", test_server_reset);
  g_test_add_func ("/burrow/ssh-session/lost-without-reason", test_lost_without_reason);
  g_test_add_func ("/burrow/ssh-session/key-error-wording", test_key_error_wording);
  g_test_add_func ("/burrow/ssh-session/connect-over-stream", test_connect_over_stream);
  g_test_add_func ("/burrow/ssh-session/connection-refused", test_connection_refused);
  g_test_add_func ("/burrow/ssh-session/dns-failure", test_dns_failure);
  g_test_add_func ("/burrow/ssh-session/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/burrow/ssh-session/not-ssh", test_not_ssh);
  g_test_add_func ("/burrow/ssh-session/no-common-algorithm", test_no_common_algorithm);
  g_test_add_func ("/burrow/ssh-session/hang-up-during-sign-in", test_hang_up_during_sign_in);
  g_test_add_func ("/burrow/ssh-session/cancel-connect", test_cancel_connect);
  g_test_add_func ("/burrow/ssh-session/close-while-connecting", test_close_while_connecting);

  return g_test_run ();
}
