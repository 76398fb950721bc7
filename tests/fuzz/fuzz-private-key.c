/* fuzz-private-key.c — a private key pasted into the form or given to
 * burrowctl --ssh-private-key-file, with its passphrase, as the session
 * reads it when it signs in.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the key text, then (after a NUL byte, when there is one) the
 * passphrase. A session signs in with them over one end of a socket pair;
 * on the other end an SSH server of libssh's own, in a thread of this
 * process, finishes the key exchange and refuses every sign-in. So the
 * key goes the whole way it goes in use, to the server's refusal, without
 * a network or another process.
 *
 * The sign-in must fail, with a Burrow error and a hint, and the error's
 * text must hold neither the passphrase nor any line of the key.
 */

#include "config.h"

#include <libssh/server.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-fuzz.h"

#define HOST "fuzz.invalid"

static ssh_key host_key;
static char *known_hosts;

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (host_key != NULL)
    return;

  if (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &host_key) != SSH_OK)
    g_error ("Cannot make the server's host key");

  /* Outside the folder that each input empties. */
  dir = g_build_filename (g_get_user_config_dir (), "burrow", NULL);
  known_hosts = g_build_filename (dir, "known_hosts", NULL);
  if (!burrow_host_keys_trust (known_hosts, HOST, 22, host_key, &error))
    g_error ("Cannot trust the server's host key: %s", error->message);
}

/* The server's side: key exchange, then "no" to every sign-in until the
 * client goes away. */
static gpointer
serve (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  ssh_bind bind = ssh_bind_new ();
  ssh_session session = ssh_new ();
  bool no_config = false;
  ssh_message message;

  if (ssh_bind_options_set (bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no_config) != SSH_OK ||
      ssh_bind_options_set (bind, SSH_BIND_OPTIONS_IMPORT_KEY, ssh_key_dup (host_key)) != SSH_OK ||
      ssh_bind_accept_fd (bind, session, fd) != SSH_OK)
    {
      close (fd);
      goto out;
    }

  if (ssh_handle_key_exchange (session) != SSH_OK)
    goto out;

  ssh_set_auth_methods (session, SSH_AUTH_METHOD_PUBLICKEY);
  while ((message = ssh_message_get (session)) != NULL)
    {
      if (ssh_message_type (message) == SSH_REQUEST_SERVICE)
        ssh_message_service_reply_success (message);
      else
        ssh_message_reply_default (message);
      ssh_message_free (message);
    }

out:
  ssh_disconnect (session);
  ssh_free (session);
  ssh_bind_free (bind);
  return NULL;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (burrow_ssh_session_connect_finish (BURROW_SSH_SESSION (source), result, error));
  g_assert_nonnull (*error);
}

/* No secret in a text that a window, a terminal or a log shows. */
static void
assert_secret_free (const char *text,
                    const char *key,
                    const char *passphrase)
{
  g_auto(GStrv) lines = g_strsplit (key, "\n", -1);

  /* Shorter ones may be words the message uses anyway. */
  if (strlen (passphrase) >= 8)
    g_assert_null (strstr (text, passphrase));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (strlen (line) >= 16 && !g_str_has_prefix (line, "-----"))
        g_assert_null (strstr (text, line));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BurrowSshSession) session = NULL;
  g_autoptr(BurrowSshAuth) auth = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *passphrase = NULL;
  GThread *server;
  int pair[2];

  burrow_fuzz_init ();
  set_up ();

  key = burrow_fuzz_take_string (&data, &size);
  passphrase = burrow_fuzz_take_string (&data, &size);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
  socket = g_socket_new_from_fd (pair[0], &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);
  server = g_thread_new ("fuzz-ssh-server", serve, GINT_TO_POINTER (pair[1]));

  session = burrow_ssh_session_new (HOST, 22, "analyst");
  burrow_ssh_session_set_known_hosts_file (session, known_hosts);
  /* A key whose parts do not belong together signs wrongly, and libssh's
   * server drops such a request without an answer: the client's timeout
   * ends those inputs, so it is short. */
  burrow_ssh_session_set_connect_timeout (session, 2);
  auth = burrow_ssh_auth_new_private_key (key, *passphrase != '\0' ? passphrase : NULL);
  burrow_ssh_session_set_auth (session, auth);
  burrow_ssh_session_connect_async (session, connection, NULL, on_connected, &error);

  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_debug ("Signing in failed as it must: %s", error->message);
  g_assert_true (error->domain == BURROW_SSH_ERROR);
  g_assert_nonnull (burrow_error_get_hint (error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_secret_free (error->message, key, passphrase);

  /* The client lets go of its end, so that the server's thread ends. */
  g_clear_object (&session);
  g_clear_object (&connection);
  g_clear_object (&socket);
  g_thread_join (server);
  burrow_fuzz_flush_events ();

  return 0;
}
