/* test-identity.c — Burrow's own key: made once, kept only in the keyring,
 * rotated with the old key kept until confirmed; and the guide's
 * restricted authorized_keys line, proved against a real sshd.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libssh/libssh.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "burrow-core.h"
#include "burrow-test-secrets.h"
#include "burrow-test-env.h"
#include "burrow-test-keyring.h"
#include "burrow-test-sshd.h"

static BurrowTestKeyring *keyring;

static BurrowIdentity *
load_identity (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BurrowIdentity *identity;

  burrow_identity_load_async (NULL, burrow_test_on_done, &result);
  identity = burrow_identity_load_finish (burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);

  return identity;
}

static void
test_made_once_kept_in_keyring (void)
{
  g_autoptr(BurrowIdentity) identity = load_identity ();
  g_autoptr(BurrowIdentity) again = NULL;
  g_autofree char *expected_comment = g_strdup_printf (" burrow@%s", g_get_host_name ());
  g_autofree char *stored = NULL;
  g_autofree char *fingerprint = NULL;
  g_auto(GStrv) fields = NULL;
  ssh_key imported = NULL;

  /* "ssh-ed25519 AAAA… burrow@host". */
  fields = g_strsplit (burrow_identity_get_public_key (identity), " ", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 3);
  g_assert_cmpstr (fields[0], ==, "ssh-ed25519");
  g_assert_true (g_str_has_prefix (fields[1], "AAAAC3NzaC1lZDI1NTE5"));
  g_assert_true (g_str_has_suffix (burrow_identity_get_public_key (identity), expected_comment));
  g_assert_null (burrow_identity_get_previous_public_key (identity));

  fingerprint = burrow_identity_dup_fingerprint (identity);
  g_assert_true (g_str_has_prefix (fingerprint, "SHA256:"));

  /* The next load finds the same key instead of making another. */
  again = load_identity ();
  g_assert_cmpstr (burrow_identity_get_public_key (again), ==, burrow_identity_get_public_key (identity));

  /* The private key is in the keyring, in OpenSSH form, and it is the
   * private half of this public key. */
  stored = burrow_test_lookup_secret (BURROW_SECRET_WORKSPACE_ID, BURROW_SECRET_WORKSPACE_KEY);
  g_assert_true (g_str_has_prefix (stored, "-----BEGIN OPENSSH PRIVATE KEY-----"));
  g_assert_cmpint (ssh_pki_import_privkey_base64 (stored, NULL, NULL, NULL, &imported), ==, SSH_OK);
  g_assert_cmpint (ssh_key_cmp (imported, burrow_identity_get_private_key (identity), SSH_KEY_CMP_PRIVATE), ==, 0);
  ssh_key_free (imported);

  /* …and nowhere on disk in the clear. */
  {
    g_auto(GStrv) lines = g_strsplit (stored, "\n", -1);

    g_assert_false (burrow_test_tree_contains (g_get_home_dir (), lines[1]));
    g_assert_false (burrow_test_tree_contains (g_get_user_config_dir (), lines[1]));
    g_assert_false (burrow_test_tree_contains (g_get_user_data_dir (), lines[1]));
  }

  /* The async chain keeps no reference behind. */
  g_assert_finalize_object (g_steal_pointer (&again));
}

static void
test_rotation (void)
{
  g_autoptr(BurrowIdentity) identity = load_identity ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_key = g_strdup (burrow_identity_get_public_key (identity));
  g_autofree char *new_key = NULL;

  burrow_identity_rotate_async (identity, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_identity_rotate_finish (identity, burrow_test_wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  new_key = g_strdup (burrow_identity_get_public_key (identity));
  g_assert_cmpstr (new_key, !=, old_key);
  g_assert_cmpstr (burrow_identity_get_previous_public_key (identity), ==, old_key);
  g_assert_nonnull (burrow_identity_get_previous_private_key (identity));

  /* Both survive a restart until the user confirms. */
  {
    g_autoptr(BurrowIdentity) reloaded = load_identity ();

    g_assert_cmpstr (burrow_identity_get_public_key (reloaded), ==, new_key);
    g_assert_cmpstr (burrow_identity_get_previous_public_key (reloaded), ==, old_key);
  }

  /* A second rotation before confirming keeps the key the bastions have. */
  burrow_identity_rotate_async (identity, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_identity_rotate_finish (identity, burrow_test_wait_for (&result), &error));
  g_clear_object (&result);
  g_assert_cmpstr (burrow_identity_get_previous_public_key (identity), ==, old_key);
  g_clear_pointer (&new_key, g_free);
  new_key = g_strdup (burrow_identity_get_public_key (identity));

  burrow_identity_confirm_rotation_async (identity, NULL, burrow_test_on_done, &result);
  g_assert_true (burrow_identity_confirm_rotation_finish (identity, burrow_test_wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_null (burrow_identity_get_previous_public_key (identity));

  {
    g_autoptr(BurrowIdentity) reloaded = load_identity ();
    g_autofree char *previous = burrow_test_lookup_secret (BURROW_SECRET_WORKSPACE_ID "-previous", BURROW_SECRET_WORKSPACE_KEY);

    g_assert_cmpstr (burrow_identity_get_public_key (reloaded), ==, new_key);
    g_assert_null (burrow_identity_get_previous_public_key (reloaded));
    g_assert_null (previous);
  }

  burrow_identity_confirm_rotation_async (identity, NULL, burrow_test_on_done, &result);
  g_assert_false (burrow_identity_confirm_rotation_finish (identity, burrow_test_wait_for (&result), &error));
  g_assert_error (error, BURROW_IDENTITY_ERROR, BURROW_IDENTITY_ERROR_NO_ROTATION);
}

static BurrowProfile *
make_profile (void)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, "Sales warehouse");
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_db_port (profile, 5432);
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  return profile;
}

static void
test_guide (void)
{
  g_autoptr(BurrowIdentity) identity = load_identity ();
  g_autoptr(BurrowProfile) profile = make_profile ();
  g_autofree char *guide = burrow_identity_dup_guide (identity, profile);
  g_autofree char *restricted = burrow_identity_dup_restricted_line (identity, "db.internal", 5432);
  g_autofree char *line_v6 = burrow_identity_dup_restricted_line (identity, "fd00::5", 5432);
  static const char *steps[] = {
    "sudo groupadd 'burrow'\n",
    "sudo useradd -m -g 'burrow' 'burrow'\n",
    "sudo su - 'burrow'\n",
    "mkdir -p ~/.ssh\n",
    "chmod 700 ~/.ssh\n",
    "touch ~/.ssh/authorized_keys\n",
    "chmod 600 ~/.ssh/authorized_keys\n",
    "AllowTcpForwarding yes",
  };
  gsize last = 0;

  g_test_message ("%s", guide);

  g_assert_true (g_str_has_prefix (restricted, "restrict,port-forwarding,permitopen=\"db.internal:5432\" ssh-ed25519 "));
  g_assert_true (g_str_has_suffix (restricted, burrow_identity_get_public_key (identity)));
  g_assert_true (g_str_has_prefix (line_v6, "restrict,port-forwarding,permitopen=\"[fd00::5]:5432\" "));

  /* The steps, in order. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const char *found = strstr (guide + last, steps[i]);

      g_assert_nonnull (found);
      last = found - guide;
    }

  /* The restricted line, quoted for the shell, appended to the file. */
  {
    g_autofree char *quoted = g_shell_quote (restricted);
    g_autofree char *command = g_strdup_printf ("echo %s >> ~/.ssh/authorized_keys", quoted);

    g_assert_nonnull (strstr (guide, command));
  }

  /* Another user on the bastion. */
  g_clear_pointer (&guide, g_free);
  burrow_profile_set_ssh_user (profile, "analytics");
  guide = burrow_identity_dup_guide (identity, profile);
  g_assert_nonnull (strstr (guide, "sudo useradd -m -g 'analytics' 'analytics'\n"));
  g_assert_null (strstr (guide, "groupadd 'burrow'"));

  /* A name that validation would refuse still reaches the shell as one
   * word: the guide's lines run as root. */
  g_clear_pointer (&guide, g_free);
  burrow_profile_set_ssh_user (profile, "x; touch /tmp/owned #");
  guide = burrow_identity_dup_guide (identity, profile);
  g_test_message ("%s", guide);
  {
    static const char * const words[] = {
      "sudo", "groupadd", "useradd", "-m", "-g", "su", "-", "x; touch /tmp/owned #", NULL,
    };
    g_auto(GStrv) lines = g_strsplit (guide, "\n", -1);
    guint checked = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        const char *line = g_strstrip (lines[i]);
        g_auto(GStrv) argv = NULL;
        guint n;

        if (!g_str_has_prefix (line, "sudo "))
          continue;
        g_assert_true (g_shell_parse_argv (line, NULL, &argv, NULL));
        n = g_strv_length (argv);
        g_assert_cmpstr (argv[n - 1], ==, "x; touch /tmp/owned #");
        for (guint j = 0; j < n; j++)
          g_assert_true (g_strv_contains (words, argv[j]));
        checked++;
      }
    g_assert_cmpuint (checked, ==, 3);
  }
}

static int
listen_on_loopback (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  int fd;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  fd = dup (g_socket_get_fd (socket));
  return fd;
}

static ssh_session
connect_with_key (BurrowTestSshd *sshd,
                  ssh_key         key)
{
  ssh_session session = ssh_new ();
  unsigned int port = burrow_test_sshd_get_port (sshd);
  bool no = false;

  g_assert_nonnull (session);
  ssh_options_set (session, SSH_OPTIONS_HOST, "127.0.0.1");
  ssh_options_set (session, SSH_OPTIONS_PORT, &port);
  ssh_options_set (session, SSH_OPTIONS_USER, burrow_test_sshd_get_user (sshd));
  ssh_options_set (session, SSH_OPTIONS_PROCESS_CONFIG, &no);
  ssh_options_set (session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");

  /* Blocking calls are fine in a test; the host key is the fixture's own. */
  g_assert_cmpint (ssh_connect (session), ==, SSH_OK);
  g_assert_cmpint (ssh_userauth_publickey (session, NULL, key), ==, SSH_AUTH_SUCCESS);

  return session;
}

static int
open_forward (ssh_session  session,
              guint16      port,
              ssh_channel *out)
{
  ssh_channel channel = ssh_channel_new (session);
  int rc = ssh_channel_open_forward (channel, "127.0.0.1", port, "127.0.0.1", 40000);

  if (rc != SSH_OK)
    {
      /* Never close a channel that did not open: libssh would send a
       * close for channel 0 and sshd would drop the session. */
      ssh_channel_free (channel);
      channel = NULL;
    }
  *out = channel;
  return rc;
}

static gboolean
has_pending_connection (int fd)
{
  GPollFD poll_fd = { fd, G_IO_IN, 0 };

  /* Whatever sshd connected has arrived by the time the channel answered. */
  return g_poll (&poll_fd, 1, 200) == 1;
}

/* The guide's recommended line lets the key forward to the one database
 * and to nothing else. Both targets listen, so a refusal can only come
 * from the line. */
static void
test_restricted_line_against_sshd (void)
{
  g_autoptr(BurrowIdentity) identity = load_identity ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_sshd_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *restricted = NULL;
  g_autofree char *keys = NULL;
  ssh_session session;
  ssh_channel channel;
  guint16 permitted_port;
  guint16 other_port;
  int permitted = listen_on_loopback (&permitted_port);
  int other = listen_on_loopback (&other_port);

  restricted = burrow_identity_dup_restricted_line (identity, "127.0.0.1", permitted_port);
  keys = g_strconcat (restricted, "\n", NULL);
  burrow_test_sshd_set_authorized_keys (sshd, keys);
  g_assert_true (burrow_test_sshd_start (sshd, &error));
  g_assert_no_error (error);

  session = connect_with_key (sshd, burrow_identity_get_private_key (identity));

  g_assert_cmpint (open_forward (session, permitted_port, &channel), ==, SSH_OK);
  g_assert_true (has_pending_connection (permitted));
  {
    int accepted = accept (permitted, NULL, NULL);
    char buffer[5] = { 0 };

    g_assert_cmpint (accepted, >=, 0);
    g_assert_cmpint (ssh_channel_write (channel, "ping", 4), ==, 4);
    g_assert_cmpint (read (accepted, buffer, 4), ==, 4);
    g_assert_cmpstr (buffer, ==, "ping");
    close (accepted);
  }
  ssh_channel_close (channel);
  ssh_channel_free (channel);

  g_assert_cmpint (open_forward (session, other_port, &channel), !=, SSH_OK);
  g_assert_null (channel);
  g_assert_false (has_pending_connection (other));

  /* The session is still usable after the refusal. */
  g_assert_cmpint (open_forward (session, permitted_port, &channel), ==, SSH_OK);
  ssh_channel_close (channel);
  ssh_channel_free (channel);

  ssh_disconnect (session);
  ssh_free (session);

  /* The control: the plain line opens the other target, so the refusal
   * above was the restriction's doing. */
  {
    g_autofree char *plain = g_strconcat (burrow_identity_get_public_key (identity), "\n", NULL);

    burrow_test_sshd_set_authorized_keys (sshd, plain);
    session = connect_with_key (sshd, burrow_identity_get_private_key (identity));
    g_assert_cmpint (open_forward (session, other_port, &channel), ==, SSH_OK);
    ssh_channel_close (channel);
    ssh_channel_free (channel);
    ssh_disconnect (session);
    ssh_free (session);
  }

  close (permitted);
  close (other);
}

int
main (int    argc,
      char **argv)
{
  int status;

  burrow_test_init (&argc, &argv);
  keyring = burrow_test_start_keyring ();

  g_test_add_func ("/burrow/identity/made-once-kept-in-keyring", test_made_once_kept_in_keyring);
  g_test_add_func ("/burrow/identity/rotation", test_rotation);
  g_test_add_func ("/burrow/identity/guide", test_guide);
  g_test_add_func ("/burrow/identity/restricted-line-against-sshd", test_restricted_line_against_sshd);

  status = g_test_run ();
  burrow_test_keyring_free (keyring);
  return status;
}
