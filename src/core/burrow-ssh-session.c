/* burrow-ssh-session.c — one SSH connection driven by the GLib main loop.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The libssh session runs in non-blocking mode. A custom GSource watches
 * its socket; each dispatch lets libssh read and write what it can
 * (ssh_event_dopoll with a zero timeout) and then re-calls whichever step
 * is in progress (key exchange, authentication, channel opens) until it
 * stops answering SSH_AGAIN. Nothing here waits: the loop's thread only
 * ever does work that is ready.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <libssh/callbacks.h>
#include <libssh/server.h>   /* ssh_send_keepalive() lives here in 0.10 */
#include <libssh/ssh2.h>

/* From the ssh-agent protocol (draft-miller-ssh-agent). */
#define SSH_AGENTC_REQUEST_IDENTITIES 11
#define SSH_AGENT_IDENTITIES_ANSWER 12
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-host-keys.h"
#include "burrow-paths.h"
#include "burrow-secret-store.h"
#include "burrow-ssh-session.h"

#define DEFAULT_PORT 22
#define DEFAULT_KEEPALIVE_INTERVAL 15
#define DEFAULT_KEEPALIVE_MISSES 3
#define DEFAULT_CONNECT_TIMEOUT 10
/* Seconds ssh-agent has to answer the first question. */
#define AGENT_TIMEOUT 5
/* 64 polls of up to 4 KiB each per dispatch. */
#define DISPATCH_POLL_BUDGET 64
/* What libssh asks of recv() per poll (MAX_BUF_SIZE in its sources). */
#define LIBSSH_READ_SIZE 4096
/* A PAM stack that keeps asking is not going to accept the password. */
#define MAX_KBDINT_ROUNDS 4
/* libssh numbers a session's channels from this value plus one, in the
 * order of their first open call (FIRST_CHANNEL in its session.c). */
#define LIBSSH_FIRST_CHANNEL 42

typedef enum
{
  STEP_NONE,
  STEP_KEY_EXCHANGE,
  STEP_AUTH_NONE,
  STEP_AUTH_KEY,
  STEP_AUTH_AGENT,
  STEP_AUTH_PASSWORD,
  STEP_AUTH_KBDINT,
  STEP_DONE,
} Step;

typedef struct
{
  GSource           source;
  gpointer          tag;
  GIOCondition      events;
  BurrowSshSession *session;
} SocketSource;

typedef struct
{
  BurrowSshSession *session;
  GTask            *task;
  ssh_channel       channel;
  char             *host;
  guint16           port;
  guint32           channel_id;     /* libssh's local number; 0 if none */
  gboolean          refused;        /* the server's answer was seen: */
  guint32           refusal_code;
  char             *refusal_reason;
  GSource          *cancel_source;
  GError           *error;
} OpenOp;

/* libssh's thread-local logging, saved while the session listens to it. */
typedef struct
{
  ssh_logging_callback callback;
  void                *userdata;
  int                  level;
} LogSettings;

/* What a worker thread prepares while TCP and the handshake go on: the
 * decrypted private key, or a first word with ssh-agent. */
typedef struct
{
  gboolean  agent;
  char     *agent_socket;
  char     *path;
  char     *text;
  char     *passphrase;
} Preparation;

typedef struct
{
  ssh_key key;
  guint   agent_keys;
  int     agent_fd;     /* the connection the probe used, for libssh */
} Prepared;

struct _BurrowSshSession
{
  GObject              parent_instance;

  /* Settings */
  char                *host;
  guint16              port;
  char                *user;
  BurrowSshAuthMethod  auth_method;
  BurrowSshAuth       *auth;                /* dropped once signed in */
  char                *known_hosts_file;
  guint                keepalive_interval;
  guint                keepalive_misses;
  guint                connect_timeout;

  GMainContext        *context;
  BurrowSshState       state;
  GError              *error;
  gint64               phase_times[BURROW_SSH_PHASE_LAST + 1];

  /* Connecting */
  GTask               *connect_task;
  GCancellable        *tcp_cancellable;
  GSource             *timeout_source;
  GSource             *cancel_source;
  GSocketConnection   *connection;
  Step                 step;
  guint                offered_methods;
  guint                kbdint_rounds;

  /* Prepared in a worker thread */
  GCancellable        *prep_cancellable;
  gboolean             preparing;
  GError              *prep_error;
  ssh_key              key;
  guint                agent_keys;
  int                  agent_fd;            /* to ssh-agent; libssh's once given */
  gboolean             agent_fd_given;
  gboolean             agent_busy;          /* a worker is in ssh_userauth_agent() */

  /* libssh */
  ssh_session          ssh;
  ssh_event            event;
  gboolean             event_added;
  int                  fd;
  GSource             *socket_source;

  /* The server's host key */
  char                *host_key_type;
  char                *host_key_fingerprint;
  char                *known_host_key_fingerprint;
  ssh_key              server_key;
  BurrowHostKey       *host_key;

  /* Keepalives */
  struct ssh_counter_struct counter;
  guint64              last_in_bytes;
  guint                silent_intervals;
  GSource             *keepalive_source;

  GSource             *activity_source;
  guint64              serviced_in_bytes;   /* input seen by the last service */
  gboolean             opens_answered;      /* an open finished without input */
  GQueue               pending_opens;       /* OpenOp */
  guint32              last_channel_id;     /* libssh's, for the latest open */
  LogSettings          saved_log;           /* while listening for refusals */
  guint                listening;           /* nesting of listen_for_refusals() */
  GList               *abandoned_channels;  /* ssh_channel, open cancelled */
};

G_DEFINE_FINAL_TYPE (BurrowSshSession, burrow_ssh_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BurrowSshState, burrow_ssh_state,
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_AUTHENTICATING, "authenticating"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (BURROW_SSH_STATE_DEAD, "dead"))

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_AUTH_METHOD,
  PROP_KNOWN_HOSTS_FILE,
  PROP_KEEPALIVE_INTERVAL,
  PROP_KEEPALIVE_MISSES,
  PROP_CONNECT_TIMEOUT,
  PROP_STATE,
  PROP_HOST_KEY_FINGERPRINT,
  N_PROPS
};

enum {
  SIGNAL_ACTIVITY,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void advance               (BurrowSshSession *self);
static void start_agent_step      (BurrowSshSession *self);
static void service_channel_opens (BurrowSshSession *self);

/* Helpers */

static void
preparation_free (Preparation *prep)
{
  g_free (prep->agent_socket);
  g_free (prep->path);
  g_clear_pointer (&prep->text, burrow_secret_wipe_free);
  g_clear_pointer (&prep->passphrase, burrow_secret_wipe_free);
  g_free (prep);
}

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->key, ssh_key_free);
  if (prepared->agent_fd >= 0)
    close (prepared->agent_fd);
  g_free (prepared);
}

static void
open_op_free (OpenOp *op)
{
  if (op->cancel_source != NULL)
    {
      g_source_destroy (op->cancel_source);
      g_source_unref (op->cancel_source);
    }
  g_clear_object (&op->task);
  g_clear_error (&op->error);
  g_free (op->host);
  g_free (op->refusal_reason);
  g_free (op);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
set_state (BurrowSshSession *self,
           BurrowSshState    state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_uint (BurrowSshSession *self,
          guint            *field,
          guint             value,
          guint             prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
mark_phase (BurrowSshSession *self,
            BurrowSshPhase    phase)
{
  if (self->phase_times[phase] == 0)
    self->phase_times[phase] = g_get_monotonic_time ();
}

static char *
describe_methods (guint methods)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (methods & SSH_AUTH_METHOD_PUBLICKEY)
    g_ptr_array_add (names, (char *)"publickey");
  if (methods & SSH_AUTH_METHOD_PASSWORD)
    g_ptr_array_add (names, (char *)"password");
  if (methods & SSH_AUTH_METHOD_INTERACTIVE)
    g_ptr_array_add (names, (char *)"keyboard-interactive");
  if (methods & SSH_AUTH_METHOD_HOSTBASED)
    g_ptr_array_add (names, (char *)"hostbased");
  if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
    g_ptr_array_add (names, (char *)"gssapi-with-mic");

  if (names->len == 0)
    return g_strdup (_("nothing"));

  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **)names->pdata);
}

static const char *
describe_auth_method (BurrowSshAuthMethod method)
{
  switch (method)
    {
    case BURROW_SSH_AUTH_KEY_FILE:
    case BURROW_SSH_AUTH_PRIVATE_KEY:
      return _("public key");
    case BURROW_SSH_AUTH_AGENT:
      return _("the keys in ssh-agent");
    case BURROW_SSH_AUTH_PASSWORD:
    default:
      return _("password");
    }
}

/* Takes the socket back from libssh's blocking mode: it made it blocking
 * when it saw the (supplied) socket connected, and a blocking send of a big
 * buffer would stall the whole loop. libssh writes only after poll said the
 * socket is writable, so non-blocking sends just write less. O_NONBLOCK
 * belongs to the open socket, shared by libssh's dup and ours. */
static void
restore_nonblocking (BurrowSshSession *self)
{
  int flags;

  if (self->fd < 0)
    return;

  flags = fcntl (self->fd, F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK) == 0)
    fcntl (self->fd, F_SETFL, flags | O_NONBLOCK);
}

static void
fail_pending_opens (BurrowSshSession *self)
{
  GList *ops = self->pending_opens.head;

  g_queue_init (&self->pending_opens);

  for (GList *l = ops; l != NULL; l = l->next)
    {
      OpenOp *op = l->data;

      /* Freed at finalize, not here: this may run inside a libssh
       * callback (a channel owner closing the session), where freeing a
       * channel is not allowed. */
      self->abandoned_channels = g_list_prepend (self->abandoned_channels, g_steal_pointer (&op->channel));
      g_task_return_error (op->task, g_error_copy (self->error));
      open_op_free (op);
    }
  g_list_free (ops);
}

/* Stops every source and timer. The libssh session itself stays until
 * finalize, so that channel pointers held by others remain valid. */
static void
stop_io (BurrowSshSession *self)
{
  clear_source (&self->socket_source);
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->keepalive_source);
  clear_source (&self->activity_source);

  if (self->tcp_cancellable != NULL)
    g_cancellable_cancel (self->tcp_cancellable);
  if (self->prep_cancellable != NULL)
    g_cancellable_cancel (self->prep_cancellable);

  /* A worker waiting on ssh-agent (a confirmation nobody gives) ends now:
   * libssh reads end-of-file and gives up. The descriptor stays open, and
   * libssh's, until the session is freed. */
  if (self->agent_busy && self->agent_fd >= 0)
    shutdown (self->agent_fd, SHUT_RDWR);

  /* The peer learns at once that we are gone; our descriptor and libssh's
   * share one socket, so this covers both. */
  if (self->fd >= 0)
    {
      shutdown (self->fd, SHUT_RDWR);
      self->fd = -1;
    }
}

/* A session signs in once: after that its secrets are only a risk. */
static void
forget_secrets (BurrowSshSession *self)
{
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  g_clear_pointer (&self->key, ssh_key_free);
}

/* Ends the session with @error (taken). Everything is made consistent
 * before any callback runs, since a callback may drop the last reference
 * or call back into the session. */
static void
finish (BurrowSshSession *self,
        BurrowSshState    state,
        GError           *error)
{
  g_autoptr(GTask) connect_task = NULL;
  gboolean was_ready;

  if (self->state == BURROW_SSH_STATE_DEAD || self->state == BURROW_SSH_STATE_CLOSED)
    {
      g_clear_error (&error);
      return;
    }

  g_object_ref (self);

  was_ready = self->state == BURROW_SSH_STATE_READY;
  g_clear_error (&self->error);
  self->error = error;
  self->step = STEP_NONE;

  stop_io (self);
  forget_secrets (self);
  connect_task = g_steal_pointer (&self->connect_task);
  set_state (self, state);

  if (error != NULL)
    g_debug ("SSH session to %s:%u ended: %s", self->host, self->port, error->message);

  if (self->error != NULL)
    fail_pending_opens (self);
  else
    {
      g_autoptr(GError) closed = NULL;

      burrow_set_error (&closed, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, NULL,
                        _("The connection to %s was closed"), self->host);
      self->error = g_steal_pointer (&closed);
      fail_pending_opens (self);
      g_clear_error (&self->error);
    }

  if (connect_task != NULL)
    {
      if (self->error != NULL)
        g_task_return_error (connect_task, g_error_copy (self->error));
      else
        g_task_return_new_error (connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The connection was closed before it was ready"));
    }

  if (was_ready)
    g_signal_emit (self, signals[SIGNAL_CLOSED], 0, self->error);

  g_object_unref (self);
}

static void
fail (BurrowSshSession *self,
      GError           *error)
{
  finish (self, BURROW_SSH_STATE_DEAD, error);
}

static void
fail_with (BurrowSshSession *self,
           int               code,
           const char       *hint,
           const char       *format,
           ...) G_GNUC_PRINTF (4, 5);

static void
fail_with (BurrowSshSession *self,
           int               code,
           const char       *hint,
           const char       *format,
           ...)
{
  g_autofree char *cause = NULL;
  GError *error = NULL;
  va_list args;

  va_start (args, format);
  cause = g_strdup_vprintf (format, args);
  va_end (args);

  burrow_set_error (&error, BURROW_SSH_ERROR, code, hint, "%s", cause);
  fail (self, error);
}

static gboolean
ssh_is_gone (BurrowSshSession *self)
{
  return !ssh_is_connected (self->ssh) ||
         (ssh_get_status (self->ssh) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

static void
fail_lost (BurrowSshSession *self)
{
  fail_with (self, BURROW_SSH_ERROR_CONNECTION_LOST,
             _("The bastion may have restarted, or the network dropped. Burrow reconnects by itself when it can."),
             _("The connection to %s was lost: %s"), self->host, ssh_get_error (self->ssh));
}

/* Ends a ready session whose connection libssh found gone; TRUE if so. */
static gboolean
fail_if_lost (BurrowSshSession *self)
{
  if (!ssh_is_gone (self))
    return FALSE;

  fail_lost (self);
  return TRUE;
}

/* A libssh call answered SSH_ERROR/SSH_AUTH_ERROR during set-up. */
static void
fail_libssh (BurrowSshSession *self,
             const char       *doing)
{
  /* OpenSSH hangs up after MaxAuthTries refused keys, which an agent full
   * of keys reaches before it offers the right one. */
  if (self->state == BURROW_SSH_STATE_AUTHENTICATING &&
      strstr (ssh_get_error (self->ssh), "authentication failures") != NULL)
    fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
               self->auth_method == BURROW_SSH_AUTH_AGENT
               ? _("The bastion stops after a few refused keys (MaxAuthTries). Keep only the key for this bastion in ssh-agent, or sign in with the key file.")
               : _("The bastion stops after a few refused attempts (MaxAuthTries). Check the user name and the credentials."),
               _("%s refused %s for %s too many times and hung up"),
               self->host, describe_auth_method (self->auth_method), self->user);
  else if (self->state == BURROW_SSH_STATE_AUTHENTICATING)
    /* The server is an SSH server and the key exchange went through: what
     * is left is the account, or the server's own rules for it. */
    fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
               _("The bastion ended the sign-in; its log (e.g. journalctl -u ssh) says why. Check the user name, and that this account may sign in there (AllowUsers, DenyUsers, an expired account)."),
               ssh_is_gone (self) ? _("%s closed the connection during %s: %s") : _("SSH failed with %s during %s: %s"),
               self->host, doing, ssh_get_error (self->ssh));
  else if (ssh_get_serverbanner (self->ssh) != NULL &&
           strstr (ssh_get_error (self->ssh), "no match for method") != NULL)
    /* libssh: "kex error : no match for method …: server [...], client [...]". */
    fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
               _("The bastion’s sshd_config allows only algorithms that Burrow does not use: ask its administrator to allow current ones in Ciphers, KexAlgorithms, HostKeyAlgorithms or MACs."),
               _("Burrow and %s have no algorithm in common: %s"), self->host, ssh_get_error (self->ssh));
  else if (ssh_get_serverbanner (self->ssh) != NULL)
    fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
               _("The server speaks SSH, but the key exchange did not finish; its log says why."),
               _("SSH failed with %s during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
  else if (ssh_is_gone (self))
    fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
               _("Check that the host and port are those of an SSH server; it may also limit connections (MaxStartups)."),
               _("%s closed the connection during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
  else
    fail_with (self, BURROW_SSH_ERROR_PROTOCOL,
               _("Check that the host and port are those of an SSH server."),
               _("SSH failed with %s during %s: %s"), self->host, doing, ssh_get_error (self->ssh));
}

/* The connection ended while connecting or signing in. */
static void
fail_setup_lost (BurrowSshSession *self)
{
  fail_libssh (self, self->step == STEP_KEY_EXCHANGE ? _("the SSH handshake") : _("authentication"));
}

/* Key loading: runs in a worker thread. Decrypting an OpenSSH key costs
 * a bcrypt KDF (100+ ms, seconds with many rounds). libssh answers
 * SSH_ERROR for a wrong passphrase and for a damaged key alike, so the key
 * is looked at first to know which one it is. */

static gboolean
openssh_key_is_encrypted (const char *text,
                          gboolean   *encrypted)
{
  static const char magic[] = "openssh-key-v1";
  const char *begin = strstr (text, "-----BEGIN OPENSSH PRIVATE KEY-----");
  const char *end;
  GString *body;
  guchar *blob;
  gsize blob_len = 0;
  guint32 cipher_len;
  gboolean ok = FALSE;

  begin += strlen ("-----BEGIN OPENSSH PRIVATE KEY-----");
  end = strstr (begin, "-----END OPENSSH PRIVATE KEY-----");
  if (end == NULL)
    return FALSE;

  /* Sized for all of it, so that no copy is left behind by a realloc. */
  body = g_string_sized_new (end - begin + 1);
  for (const char *p = begin; p < end; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (body, *p);

  blob = g_base64_decode (body->str, &blob_len);
  if (blob != NULL && blob_len >= sizeof magic + 4 && memcmp (blob, magic, sizeof magic) == 0)
    {
      cipher_len = (guint32)blob[sizeof magic] << 24 | (guint32)blob[sizeof magic + 1] << 16 |
                   (guint32)blob[sizeof magic + 2] << 8 | (guint32)blob[sizeof magic + 3];
      if (cipher_len <= blob_len - sizeof magic - 4)
        {
          *encrypted = !(cipher_len == 4 && memcmp (blob + sizeof magic + 4, "none", 4) == 0);
          ok = TRUE;
        }
    }

  /* Both hold the whole key: an unencrypted one is the secret itself. */
  explicit_bzero (body->str, body->allocated_len);
  g_string_free (body, TRUE);
  if (blob != NULL)
    explicit_bzero (blob, blob_len);
  g_free (blob);

  return ok;
}

static ssh_key
load_private_key (const char  *text,
                  const char  *passphrase,
                  const char  *name,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gboolean encrypted = FALSE;
  ssh_key key = NULL;

  if (g_str_has_prefix (stripped, "ssh-") || g_str_has_prefix (stripped, "ecdsa-"))
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                        _("Choose the private key: the file without “.pub”."),
                        _("%s is a public key, not a private key"), name);
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (!g_str_has_prefix (stripped, "-----BEGIN ") || strstr (stripped, "PRIVATE KEY-----") == NULL)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                        _("Choose an OpenSSH or PEM private key: its text starts with “-----BEGIN”."),
                        _("%s is not a private key"), name);
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (strstr (stripped, "-----BEGIN OPENSSH PRIVATE KEY-----") != NULL)
    {
      if (!openssh_key_is_encrypted (stripped, &encrypted))
        {
          burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                            _("The key was cut or changed; copy it again from its source."),
                            _("%s is damaged"), name);
          explicit_bzero (stripped, strlen (stripped));
          return NULL;
        }
    }
  else
    {
      encrypted = strstr (stripped, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
                  strstr (stripped, "Proc-Type: 4,ENCRYPTED") != NULL;
    }

  if (encrypted && (passphrase == NULL || *passphrase == '\0'))
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG,
                        _("Enter the passphrase of this key."),
                        _("%s is protected by a passphrase, and none was given"), name);
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  if (ssh_pki_import_privkey_base64 (stripped, encrypted ? passphrase : NULL, NULL, NULL, &key) != SSH_OK)
    {
      if (encrypted)
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_PASSPHRASE_WRONG,
                          _("Check the passphrase; it is case-sensitive."),
                          _("The passphrase of %s is wrong"), name);
      else
        burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                          _("The key is damaged or of a kind Burrow cannot use; Ed25519, ECDSA and RSA keys work."),
                          _("%s could not be read as a private key"), name);
      explicit_bzero (stripped, strlen (stripped));
      return NULL;
    }

  explicit_bzero (stripped, strlen (stripped));
  return key;
}

static ssh_key
read_private_key (Preparation  *prep,
                  GError      **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  ssh_key key;

  if (prep->path != NULL)
    {
      g_autoptr(GError) read_error = NULL;

      name = g_strdup_printf (_("The key file %s"), prep->path);
      if (!g_file_get_contents (prep->path, &contents, NULL, &read_error))
        {
          burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_KEY_INVALID,
                            _("Check the path of the key file and that you may read it."),
                            _("Could not read the key file: %s"), read_error->message);
          return NULL;
        }
    }
  else
    {
      name = g_strdup (_("The private key"));
    }

  key = load_private_key (contents != NULL ? contents : prep->text, prep->passphrase, name, error);
  if (contents != NULL)
    explicit_bzero (contents, strlen (contents));

  return key;
}

static gboolean
agent_io (int      fd,
          guchar  *buffer,
          gsize    len,
          gboolean sending)
{
  for (gsize done = 0; done < len;)
    {
      ssize_t n = sending ? send (fd, buffer + done, len - done, MSG_NOSIGNAL)
                          : recv (fd, buffer + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }

  return TRUE;
}

/* Asks for the agent's keys and reads the whole answer, so that the
 * connection can be handed to libssh with nothing left in it. */
static gboolean
agent_count_keys (int    fd,
                  guint *n_keys)
{
  guchar request[] = { 0, 0, 0, 1, SSH_AGENTC_REQUEST_IDENTITIES };
  guchar header[4];
  g_autofree guchar *reply = NULL;
  guint32 len;

  if (!agent_io (fd, request, sizeof request, TRUE) ||
      !agent_io (fd, header, sizeof header, FALSE))
    return FALSE;

  len = (guint32)header[0] << 24 | (guint32)header[1] << 16 | (guint32)header[2] << 8 | header[3];
  /* libssh's own limit for an answer. */
  if (len < 5 || len > 256 * 1024)
    return FALSE;

  reply = g_malloc (len);
  if (!agent_io (fd, reply, len, FALSE) || reply[0] != SSH_AGENT_IDENTITIES_ANSWER)
    return FALSE;

  *n_keys = (guint)reply[1] << 24 | (guint)reply[2] << 16 | (guint)reply[3] << 8 | (guint)reply[4];
  return TRUE;
}

/* Asks the agent how many keys it holds, with a time limit, and returns
 * the connection in *agent_fd for libssh to sign with. */
static gboolean
probe_agent (const char  *socket_path,
             guint       *n_keys,
             int         *agent_fd,
             GError     **error)
{
  struct sockaddr_un addr = { 0 };
  struct timeval limit = { AGENT_TIMEOUT, 0 };
  struct timeval no_limit = { 0, 0 };
  int saved_errno;
  int fd;

  if (socket_path == NULL || *socket_path == '\0')
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent and add your key with ssh-add, or choose another sign-in method."),
                        _("No ssh-agent is running (SSH_AUTH_SOCK is not set)"));
      return FALSE;
    }

  if (strlen (socket_path) >= sizeof addr.sun_path)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent with a shorter socket path (ssh-agent -a)."),
                        _("The ssh-agent socket path %s is too long"), socket_path);
      return FALSE;
    }

  addr.sun_family = AF_UNIX;
  strcpy (addr.sun_path, socket_path);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0 ||
      connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Start ssh-agent and add your key with ssh-add, or choose another sign-in method."),
                        _("Could not reach ssh-agent at %s: %s"), socket_path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!agent_count_keys (fd, n_keys))
    {
      close (fd);
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_AGENT,
                        _("Restart ssh-agent, or choose another sign-in method."),
                        _("ssh-agent at %s did not answer within %u s"), socket_path, AGENT_TIMEOUT);
      return FALSE;
    }

  /* libssh waits on the agent in poll() and treats a timed-out read as
   * an error; the session bounds the wait itself (see stop_io()). */
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &no_limit, sizeof no_limit);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &no_limit, sizeof no_limit);
  *agent_fd = fd;

  return TRUE;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Preparation *prep = task_data;
  Prepared *prepared = g_new0 (Prepared, 1);
  GError *error = NULL;

  prepared->agent_fd = -1;
  if (prep->agent)
    {
      if (!probe_agent (prep->agent_socket, &prepared->agent_keys, &prepared->agent_fd, &error))
        {
          prepared_free (prepared);
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      prepared->key = read_private_key (prep, &error);
      if (prepared->key == NULL)
        {
          prepared_free (prepared);
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, prepared, (GDestroyNotify)prepared_free);
}

/* Callbacks */

static void
on_prepared (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (source_object);
  GError *error = NULL;
  Prepared *prepared;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  self->preparing = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->state == BURROW_SSH_STATE_DEAD || self->state == BURROW_SSH_STATE_CLOSED)
    {
      g_clear_error (&error);
      g_clear_pointer (&prepared, prepared_free);
      return;
    }

  self->prep_error = error;
  if (prepared != NULL)
    {
      self->key = g_steal_pointer (&prepared->key);
      self->agent_keys = prepared->agent_keys;
      self->agent_fd = prepared->agent_fd;
      prepared->agent_fd = -1;
      prepared_free (prepared);
    }

  if (self->step == STEP_AUTH_KEY || self->step == STEP_AUTH_AGENT)
    advance (self);
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);

  switch (self->step)
    {
    case STEP_NONE:
      fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                 _("Check the host name and port, and that a firewall lets you through."),
                 _("Could not connect to %s port %u within %u s"),
                 self->host, self->port, self->connect_timeout);
      break;
    case STEP_KEY_EXCHANGE:
      fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                 _("Check that this port is an SSH server’s, and that nothing between drops the traffic."),
                 _("The SSH handshake with %s did not finish within %u s"),
                 self->host, self->connect_timeout);
      break;
    case STEP_AUTH_AGENT:
      if (self->agent_busy)
        {
          fail_with (self, BURROW_SSH_ERROR_AGENT,
                     _("The agent did not answer: does it wait for a confirmation (ssh-add -c) or a PIN? Answer its prompt and connect again, or choose another sign-in method."),
                     _("ssh-agent did not sign in to %s within %u s"),
                     self->host, self->connect_timeout);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                 _("The server, its PAM stack or your ssh-agent did not answer in time."),
                 _("Signing in to %s did not finish within %u s"),
                 self->host, self->connect_timeout);
      break;
    }

  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The connection was cancelled")));

  return G_SOURCE_REMOVE;
}

static gboolean
on_activity_idle (gpointer user_data)
{
  BurrowSshSession *self = user_data;

  g_clear_pointer (&self->activity_source, g_source_unref);

  /* A libssh call made outside the dispatch may have taken in a channel
   * confirmation, or the end of the connection. */
  if (fail_if_lost (self))
    return G_SOURCE_REMOVE;

  g_object_ref (self);
  service_channel_opens (self);
  if (self->state == BURROW_SSH_STATE_READY)
    g_signal_emit (self, signals[SIGNAL_ACTIVITY], 0);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

/* Sends a keepalive that wants a reply, and counts the intervals in which
 * nothing at all came back. libssh has one slot for a pending global
 * request: the first call collects the previous reply if there is one
 * (ssh_send_keepalive() hides the outcome), the second then sends a new
 * request; while a request is unanswered neither call sends anything. */
static void
send_keepalive (BurrowSshSession *self)
{
  ssh_send_keepalive (self->ssh);
  ssh_send_keepalive (self->ssh);
}

static gboolean
on_keepalive_tick (gpointer user_data)
{
  BurrowSshSession *self = user_data;
  guint64 in_bytes = self->counter.in_bytes;

  if (in_bytes == self->last_in_bytes)
    self->silent_intervals++;
  else
    self->silent_intervals = 0;
  self->last_in_bytes = in_bytes;

  if (self->silent_intervals >= self->keepalive_misses)
    {
      fail_with (self, BURROW_SSH_ERROR_CONNECTION_LOST,
                 _("The bastion or the network stopped answering. Burrow reconnects by itself when it can."),
                 _("%s did not answer for %u s"), self->host,
                 self->keepalive_interval * self->keepalive_misses);
      return G_SOURCE_REMOVE;
    }

  send_keepalive (self);
  if (fail_if_lost (self))
    return G_SOURCE_REMOVE;

  /* Sending may have consumed packets for channels (trap: any libssh call
   * processes input). */
  burrow_ssh_session_queue_activity (self);

  return G_SOURCE_CONTINUE;
}

static void
become_ready (BurrowSshSession *self)
{
  g_autoptr(GTask) task = NULL;

  mark_phase (self, BURROW_SSH_PHASE_AUTHENTICATED);
  self->step = STEP_DONE;
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  forget_secrets (self);

  if (self->keepalive_interval > 0)
    {
      self->keepalive_source = g_timeout_source_new_seconds (self->keepalive_interval);
      g_source_set_callback (self->keepalive_source, on_keepalive_tick, self, NULL);
      g_source_set_static_name (self->keepalive_source, "[burrow] ssh keepalive");
      g_source_attach (self->keepalive_source, self->context);
      self->last_in_bytes = self->counter.in_bytes;
      send_keepalive (self);
    }

  task = g_steal_pointer (&self->connect_task);
  set_state (self, BURROW_SSH_STATE_READY);
  g_debug ("SSH session to %s:%u is ready", self->host, self->port);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
check_host_key (BurrowSshSession *self)
{
  BurrowHostKeyStatus status;
  ssh_key key = NULL;
  const char *type;

  if (ssh_get_server_publickey (self->ssh, &key) != SSH_OK || key == NULL)
    {
      fail_libssh (self, _("the key exchange"));
      return FALSE;
    }

  self->server_key = key;
  type = ssh_key_type_to_char (ssh_key_type (key));
  self->host_key_type = g_strdup (type != NULL ? type : "unknown");
  self->host_key_fingerprint = burrow_host_keys_fingerprint (key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_KEY_FINGERPRINT]);

  status = burrow_host_keys_check (self->known_hosts_file, self->host, self->port, key,
                                   &self->known_host_key_fingerprint);
  self->host_key = burrow_host_key_new (self->host, self->port, key, status,
                                        self->known_host_key_fingerprint, self->known_hosts_file);
  switch (status)
    {
    case BURROW_HOST_KEY_TRUSTED:
      mark_phase (self, BURROW_SSH_PHASE_HOST_KEY_CHECKED);
      return TRUE;

    case BURROW_HOST_KEY_UNKNOWN:
      fail_with (self, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN,
                 _("Make sure this is the bastion’s fingerprint (its administrator can tell you), then trust it."),
                 _("%s is not known yet: its %s host key has the fingerprint %s"),
                 self->host, self->host_key_type, self->host_key_fingerprint);
      return FALSE;

    case BURROW_HOST_KEY_REVOKED:
      fail_with (self, BURROW_SSH_ERROR_HOST_KEY_REVOKED,
                 _("This key must not be trusted again. Ask the bastion’s administrator for its current host key."),
                 _("The %s host key of %s (%s) is marked revoked in known_hosts; nothing was sent"),
                 self->host_key_type, self->host, self->host_key_fingerprint);
      return FALSE;

    case BURROW_HOST_KEY_CHANGED:
    default:
      fail_with (self, BURROW_SSH_ERROR_HOST_KEY_CHANGED,
                 _("Someone may be intercepting the connection, or the bastion was reinstalled. Ask its administrator before trusting the new key."),
                 _("The host key of %s has changed: it was %s and is now %s (%s); nothing was sent"),
                 self->host, self->known_host_key_fingerprint, self->host_key_fingerprint,
                 self->host_key_type);
      return FALSE;
    }
}

static const char *
stored_password (BurrowSshSession *self)
{
  const char *password = self->auth != NULL ? burrow_ssh_auth_get_secret (self->auth) : NULL;

  return password != NULL ? password : "";
}

/* After "none" was refused, picks the step for the configured method. */
static Step
first_auth_step (BurrowSshSession *self)
{
  switch (self->auth_method)
    {
    case BURROW_SSH_AUTH_KEY_FILE:
    case BURROW_SSH_AUTH_PRIVATE_KEY:
      return STEP_AUTH_KEY;
    case BURROW_SSH_AUTH_AGENT:
      return STEP_AUTH_AGENT;
    case BURROW_SSH_AUTH_PASSWORD:
    default:
      if (self->offered_methods & SSH_AUTH_METHOD_PASSWORD)
        return STEP_AUTH_PASSWORD;
      return STEP_AUTH_KBDINT;
    }
}

static void
fail_not_offered (BurrowSshSession *self)
{
  g_autofree char *offered = describe_methods (self->offered_methods);

  fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
             _("Choose a sign-in method the bastion accepts, or ask its administrator to enable this one."),
             _("%s does not accept sign-in with %s for %s (it offers: %s)"),
             self->host, describe_auth_method (self->auth_method), self->user, offered);
}

static void
fail_denied (BurrowSshSession *self,
             const char       *tried,
             gboolean          partial)
{
  g_autofree char *offered = NULL;

  self->offered_methods = ssh_userauth_list (self->ssh, NULL);
  offered = describe_methods (self->offered_methods);

  if (partial)
    fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
               _("The bastion asks for more than one method; Burrow signs in with one."),
               _("%s accepted the %s for %s but requires another method as well (it offers: %s)"),
               self->host, tried, self->user, offered);
  else if (self->auth_method == BURROW_SSH_AUTH_PASSWORD)
    fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
               _("Check the user name and the password."),
               _("%s refused the %s for %s (it offers: %s)"),
               self->host, tried, self->user, offered);
  else
    fail_with (self, BURROW_SSH_ERROR_AUTH_DENIED,
               _("Add the public key to ~/.ssh/authorized_keys of this user on the bastion, and check the user name."),
               _("%s refused the %s for %s (it offers: %s)"),
               self->host, tried, self->user, offered);
}

/* Handles what an auth call answered; TRUE when the step is over. */
static gboolean
handle_auth_result (BurrowSshSession *self,
                    int               rc,
                    const char       *tried)
{
  switch (rc)
    {
    case SSH_AUTH_AGAIN:
      return FALSE;
    case SSH_AUTH_SUCCESS:
      become_ready (self);
      return TRUE;
    case SSH_AUTH_DENIED:
      fail_denied (self, tried, FALSE);
      return TRUE;
    case SSH_AUTH_PARTIAL:
      fail_denied (self, tried, TRUE);
      return TRUE;
    case SSH_AUTH_ERROR:
    default:
      fail_libssh (self, _("authentication"));
      return TRUE;
    }
}

static void
agent_step_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BurrowSshSession *self = source_object;

  g_task_return_int (task, ssh_userauth_agent (self->ssh, NULL));
}

static void
on_agent_step_done (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (source_object);
  g_autofree char *tried = NULL;
  int rc = g_task_propagate_int (G_TASK (result), NULL);

  self->agent_busy = FALSE;
  if (self->state != BURROW_SSH_STATE_AUTHENTICATING)
    return;   /* timed out, cancelled or closed meanwhile */

  g_main_context_wakeup (self->context);   /* watch the socket again */

  /* As in on_socket_ready(): a server that hung up leaves libssh
   * answering SSH_AGAIN. */
  if (rc == SSH_AUTH_AGAIN)
    {
      if (ssh_is_gone (self))
        fail_setup_lost (self);
      return;
    }

  tried = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the key in ssh-agent",
                                        "the %u keys in ssh-agent", self->agent_keys),
                           self->agent_keys);

  /* libssh answers a signature the agent refused or never gave (the
   * user said no, the agent went away) with SSH_AUTH_ERROR and "Out of
   * memory"; a server that hung up is told apart by the socket. */
  if (rc == SSH_AUTH_ERROR && !ssh_is_gone (self))
    fail_with (self, BURROW_SSH_ERROR_AGENT,
               _("If the key asks for a confirmation (ssh-add -c) or a PIN, accept it when asked; otherwise restart ssh-agent or choose another sign-in method."),
               _("ssh-agent did not sign with %s for %s"), tried, self->host);
  else
    handle_auth_result (self, rc, tried);
}

/* One ssh_userauth_agent() call, in a worker thread: libssh waits for the
 * agent with blocking reads and no time limit, and an agent that asks the
 * user first (ssh-add -c, a hardware key's PIN) would freeze the loop and
 * every tunnel on it. Meanwhile the loop leaves the libssh session alone
 * (the socket source watches nothing and dispatches nothing), and the
 * connect timeout, a close or a cancel ends the wait (stop_io()). */
static void
start_agent_step (BurrowSshSession *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->agent_busy)
    return;   /* on_agent_step_done() comes back */

  if (!self->agent_fd_given && self->agent_fd >= 0)
    {
      /* libssh now owns the probe's connection, and closes it in ssh_free(). */
      ssh_set_agent_socket (self->ssh, self->agent_fd);
      self->agent_fd_given = TRUE;
    }

  self->agent_busy = TRUE;
  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, NULL, on_agent_step_done, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, start_agent_step);
  g_task_run_in_thread (task, agent_step_thread);
}

/* Whether public-key sign-in (a key, or the agent's) can go ahead: the
 * server takes public keys and the worker thread finished without error.
 * FALSE when the session failed, or when on_prepared() will come back. */
static gboolean
auth_prepared (BurrowSshSession *self)
{
  if (!(self->offered_methods & SSH_AUTH_METHOD_PUBLICKEY))
    {
      fail_not_offered (self);
      return FALSE;
    }
  if (self->preparing)
    return FALSE;
  if (self->prep_error != NULL)
    {
      fail (self, g_steal_pointer (&self->prep_error));
      return FALSE;
    }

  return TRUE;
}

/* One pass of the connect/auth state machine: calls the current step until
 * libssh answers SSH_AGAIN, the session is ready, or it failed. */
static void
advance (BurrowSshSession *self)
{
  for (;;)
    {
      int rc;

      switch (self->step)
        {
        case STEP_KEY_EXCHANGE:
          rc = ssh_connect (self->ssh);
          restore_nonblocking (self);
          if (!self->event_added && ssh_event_add_session (self->event, self->ssh) == SSH_OK)
            self->event_added = TRUE;
          if (rc == SSH_AGAIN)
            return;
          if (rc != SSH_OK)
            {
              fail_libssh (self, _("the SSH handshake"));
              return;
            }
          mark_phase (self, BURROW_SSH_PHASE_HANDSHAKE_DONE);
          if (!check_host_key (self))
            return;
          self->step = STEP_AUTH_NONE;
          set_state (self, BURROW_SSH_STATE_AUTHENTICATING);
          break;

        case STEP_AUTH_NONE:
          /* "none" gives the list of methods the server accepts. */
          rc = ssh_userauth_none (self->ssh, NULL);
          if (rc == SSH_AUTH_AGAIN)
            return;
          if (rc == SSH_AUTH_SUCCESS)
            {
              become_ready (self);
              return;
            }
          if (rc == SSH_AUTH_ERROR)
            {
              fail_libssh (self, _("authentication"));
              return;
            }
          self->offered_methods = ssh_userauth_list (self->ssh, NULL);
          self->step = first_auth_step (self);
          break;

        case STEP_AUTH_KEY:
          if (!auth_prepared (self))
            return;
          if (self->key == NULL)
            {
              fail_with (self, BURROW_SSH_ERROR_KEY_INVALID,
                         _("Choose a private key for this connection."),
                         _("No private key was given"));
              return;
            }
          rc = ssh_userauth_publickey (self->ssh, NULL, self->key);
          {
            g_autofree char *tried = g_strdup_printf (_("%s key"), ssh_key_type_to_char (ssh_key_type (self->key)));

            if (handle_auth_result (self, rc, tried))
              return;
          }
          return;

        case STEP_AUTH_AGENT:
          if (!auth_prepared (self))
            return;
          if (self->agent_keys == 0)
            {
              fail_with (self, BURROW_SSH_ERROR_AGENT,
                         _("Add your key to the agent with ssh-add, or choose another sign-in method."),
                         _("ssh-agent holds no keys"));
              return;
            }
          start_agent_step (self);
          return;

        case STEP_AUTH_PASSWORD:
          rc = ssh_userauth_password (self->ssh, NULL, stored_password (self));
          handle_auth_result (self, rc, _("password"));
          return;

        case STEP_AUTH_KBDINT:
          if (!(self->offered_methods & SSH_AUTH_METHOD_INTERACTIVE))
            {
              fail_not_offered (self);
              return;
            }
          rc = ssh_userauth_kbdint (self->ssh, NULL, NULL);
          if (rc == SSH_AUTH_INFO)
            {
              int prompts = ssh_userauth_kbdint_getnprompts (self->ssh);

              if (++self->kbdint_rounds > MAX_KBDINT_ROUNDS)
                {
                  fail_denied (self, _("password (keyboard-interactive)"), FALSE);
                  return;
                }
              /* Every prompt is answered with the password: a server that
               * wants anything else (a one-time code) needs a terminal. */
              for (int i = 0; i < prompts; i++)
                ssh_userauth_kbdint_setanswer (self->ssh, i, stored_password (self));
              break;
            }
          handle_auth_result (self, rc, _("password (keyboard-interactive)"));
          return;

        case STEP_NONE:
        case STEP_DONE:
        default:
          return;
        }
    }
}

/* Reads libssh's "Channel opening failure: channel N error (CODE) REASON"
 * anywhere in @text; @reason points into @text. */
static gboolean
parse_open_failure (const char  *text,
                    guint32     *channel_id,
                    guint32     *code,
                    const char **reason)
{
  const char *start = strstr (text, "Channel opening failure: ");
  unsigned int id, value;
  int end = 0;

  if (start == NULL ||
      sscanf (start, "Channel opening failure: channel %u error (%u)%n", &id, &value, &end) != 2 ||
      end == 0)
    return FALSE;

  *channel_id = id;
  *code = value;
  *reason = start + end;
  while (**reason == ' ')
    (*reason)++;

  return TRUE;
}

static OpenOp *
find_open (BurrowSshSession *self,
           guint32           channel_id)
{
  for (GList *l = self->pending_opens.head; l != NULL; l = l->next)
    {
      OpenOp *op = l->data;

      if (op->channel_id == channel_id)
        return op;
    }

  return NULL;
}

/* libssh keeps only the last error of a session, and one read can carry
 * the refusals of several channels: by the time the opens are looked at,
 * all but the last reason would be gone. Every ssh_set_error() is also
 * logged, though, so while opens are pending the session listens to
 * libssh's log around the calls that take in packets, and files each
 * refusal under its channel. What the thread logged before still goes
 * where it went. */
static void
on_libssh_log (int         priority,
               const char *function,
               const char *buffer,
               void       *userdata)
{
  BurrowSshSession *self = userdata;
  const LogSettings *saved = &self->saved_log;
  guint32 channel_id, code;
  const char *reason;

  if (parse_open_failure (buffer, &channel_id, &code, &reason))
    {
      OpenOp *op = find_open (self, channel_id);

      if (op != NULL)
        {
          op->refused = TRUE;
          op->refusal_code = code;
          g_free (op->refusal_reason);
          op->refusal_reason = g_strdup (reason);
        }
    }

  if (priority <= saved->level)
    {
      if (saved->callback != NULL)
        saved->callback (priority, function, buffer, saved->userdata);
      else
        g_printerr ("[libssh] %s\n", buffer);
    }
}

static void
listen_for_refusals (BurrowSshSession *self)
{
  if (self->listening++ > 0)
    return;

  self->saved_log.callback = ssh_get_log_callback ();
  self->saved_log.userdata = ssh_get_log_userdata ();
  self->saved_log.level = ssh_get_log_level ();

  ssh_set_log_callback (on_libssh_log);
  ssh_set_log_userdata (self);
  if (self->saved_log.level < SSH_LOG_WARN)
    ssh_set_log_level (SSH_LOG_WARN);
}

static void
stop_listening_for_refusals (BurrowSshSession *self)
{
  if (--self->listening > 0)
    return;

  ssh_set_log_level (self->saved_log.level);
  ssh_set_log_callback (self->saved_log.callback);
  ssh_set_log_userdata (self->saved_log.userdata);
}

/* Why the server refused to open @op's channel: what was filed for it,
 * or else the session's last error if that one names its channel. A
 * reason that belongs to another channel is never used. */
static GError *
channel_open_error (BurrowSshSession *self,
                    OpenOp           *op)
{
  const char *message = ssh_get_error (self->ssh);
  guint32 channel_id = 0, code = 0;
  const char *reason = NULL;
  gboolean known = FALSE;
  GError *error = NULL;

  if (op->refused)
    {
      known = TRUE;
      code = op->refusal_code;
      reason = op->refusal_reason;
    }
  else if (op->channel_id != 0 &&
           parse_open_failure (message, &channel_id, &code, &reason) &&
           channel_id == op->channel_id)
    known = TRUE;

  if (ssh_is_gone (self))
    burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, NULL,
                      _("The connection to %s was lost: %s"), self->host, message);
  else if (known && code == SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED)
    burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FORWARDING_PROHIBITED,
                      _("On the bastion, set “AllowTcpForwarding yes” in sshd_config, and allow this target in PermitOpen and in the key’s permitopen=\"…\" option."),
                      _("%s refuses to forward connections to %s:%u"),
                      self->host, op->host, op->port);
  else if (known && reason != NULL && *reason != '\0')
    burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED,
                      _("Check the database host and port as seen from the bastion, and that its firewall or security group lets the bastion in."),
                      _("%s could not connect to %s:%u: %s"),
                      self->host, op->host, op->port, reason);
  else
    burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CHANNEL_OPEN_FAILED,
                      _("Check the database host and port as seen from the bastion, that its firewall or security group lets the bastion in, and that the bastion allows forwarding there (AllowTcpForwarding, PermitOpen)."),
                      _("%s did not open a connection to %s:%u, and gave no reason"),
                      self->host, op->host, op->port);

  return error;
}

/* Serves pending channel opens. The tasks are completed after the walk:
 * their callbacks may run at once, and open more channels or close the
 * session. */
static void
service_channel_opens (BurrowSshSession *self)
{
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  GList *l = self->abandoned_channels;
  gboolean listening;

  /* An answer can only have come with input: asking libssh about each
   * pending channel costs a poll() apiece. */
  if (self->counter.in_bytes == self->serviced_in_bytes && !self->opens_answered)
    return;
  self->serviced_in_bytes = self->counter.in_bytes;
  self->opens_answered = FALSE;

  while (l != NULL)
    {
      GList *next = l->next;
      ssh_channel channel = l->data;
      int rc = ssh_channel_open_forward (channel, "", 0, "127.0.0.1", 0);

      if (rc != SSH_AGAIN)
        {
          /* Never close a channel whose open failed: free it alone. */
          if (rc == SSH_OK)
            burrow_ssh_channel_close_and_free (channel);
          else
            ssh_channel_free (channel);
          self->abandoned_channels = g_list_delete_link (self->abandoned_channels, l);
        }
      l = next;
    }

  /* Asking about one channel may take in the answers for others. */
  listening = !g_queue_is_empty (&self->pending_opens);
  if (listening)
    listen_for_refusals (self);

  l = self->pending_opens.head;
  while (l != NULL)
    {
      GList *next = l->next;
      OpenOp *op = l->data;
      int rc = ssh_channel_open_forward (op->channel, op->host, op->port, "127.0.0.1", 0);

      if (rc != SSH_AGAIN)
        {
          if (rc != SSH_OK)
            {
              op->error = channel_open_error (self, op);
              /* Never ssh_channel_close() a channel that did not open. */
              g_clear_pointer (&op->channel, ssh_channel_free);
            }

          g_queue_delete_link (&self->pending_opens, l);
          g_ptr_array_add (done, op);
        }
      l = next;
    }

  if (listening)
    stop_listening_for_refusals (self);

  for (guint i = 0; i < done->len; i++)
    {
      OpenOp *op = done->pdata[i];

      if (op->error != NULL)
        g_task_return_error (op->task, g_steal_pointer (&op->error));
      else
        g_task_return_pointer (op->task, g_steal_pointer (&op->channel),
                               (GDestroyNotify)burrow_ssh_channel_close_and_free);
      open_op_free (op);
    }
}

static gboolean
on_socket_ready (gpointer user_data)
{
  BurrowSshSession *self = user_data;
  SocketSource *source = (SocketSource *)self->socket_source;
  GIOCondition revents = g_source_query_unix_fd ((GSource *)source, source->tag);

  /* A worker thread has the libssh session; its answer restarts things. */
  if (self->agent_busy)
    return G_SOURCE_CONTINUE;

  g_object_ref (self);

  /* sshd turns on TCP_NODELAY only for interactive sessions, so on a
   * forwarding-only connection Nagle holds its small replies (a channel
   * open confirmation, a database's answer) until what it sent before is
   * acknowledged, and this end's kernel delays that acknowledgement by up
   * to 40 ms. Asking for the acknowledgement now, whenever data came in,
   * removes the stall. TCP_QUICKACK does not stick: the kernel goes back to
   * delayed ACKs on its own, hence once per dispatch. */
  if ((revents & G_IO_IN) != 0 && self->fd >= 0)
    {
      int one = 1;

      setsockopt (self->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }

  /* libssh reads at most 4 KiB per poll: keep polling while a read came
   * back full (the socket likely has more), up to a budget that leaves the
   * loop's other sources their turn. A short read means the socket is
   * drained, and saves a poll per small message. */
  if (self->event_added)
    {
      gboolean listening = !g_queue_is_empty (&self->pending_opens);

      if (listening)
        listen_for_refusals (self);

      for (guint i = 0; i < DISPATCH_POLL_BUDGET; i++)
        {
          guint64 before = self->counter.in_bytes;

          if (ssh_event_dopoll (self->event, 0) != SSH_OK ||
              self->counter.in_bytes - before < LIBSSH_READ_SIZE)
            break;
        }

      if (listening)
        stop_listening_for_refusals (self);
    }

  if (self->step != STEP_DONE)
    {
      advance (self);

      /* A server that hung up during set-up leaves libssh answering
       * SSH_AGAIN, and the socket readable for ever. */
      if ((self->state == BURROW_SSH_STATE_CONNECTING || self->state == BURROW_SSH_STATE_AUTHENTICATING) &&
          self->step != STEP_NONE && !self->agent_busy && ssh_is_gone (self))
        fail_setup_lost (self);
    }

  if (self->state == BURROW_SSH_STATE_READY)
    {
      if ((revents & (G_IO_ERR | G_IO_NVAL)) != 0)
        fail_lost (self);
      else if (!fail_if_lost (self))
        service_channel_opens (self);
    }
  else if (self->socket_source != NULL && (revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) != 0 &&
           self->state != BURROW_SSH_STATE_DEAD && !self->agent_busy)
    {
      /* The socket is finished but libssh did not say so: without this
       * the source would fire for ever. */
      fail_setup_lost (self);
    }

  if (self->state == BURROW_SSH_STATE_READY)
    g_signal_emit (self, signals[SIGNAL_ACTIVITY], 0);

  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/* The socket source */

static gboolean
socket_source_prepare (GSource *source,
                       int     *timeout)
{
  SocketSource *self = (SocketSource *)source;
  GIOCondition wanted = G_IO_IN;

  *timeout = -1;

  /* Watching G_IO_OUT only while libssh holds unsent data keeps an idle
   * session from waking the loop. Once the session is ready, that is its
   * output buffer: libssh asks for POLLOUT after every send as well, only
   * to learn that the next send will not block, and the next
   * ssh_channel_write() finds that out by itself (it polls when it cannot
   * send at once); watching for it would cost a pass of the loop per
   * message. During set-up POLLOUT also completes libssh's connect. While
   * a worker thread signs in with ssh-agent, the session is its alone, and
   * the socket is not watched. */
  if (self->session->agent_busy)
    wanted = 0;
  else if (self->session->ssh != NULL)
    {
      int pending = self->session->step == STEP_DONE ? ssh_get_status (self->session->ssh)
                                                     : ssh_get_poll_flags (self->session->ssh);

      if ((pending & SSH_WRITE_PENDING) != 0)
        wanted |= G_IO_OUT;
    }

  if (wanted != self->events)
    {
      g_source_modify_unix_fd (source, self->tag, wanted);
      self->events = wanted;
    }

  return FALSE;
}

static gboolean
socket_source_check (GSource *source)
{
  SocketSource *self = (SocketSource *)source;

  return g_source_query_unix_fd (source, self->tag) != 0;
}

static gboolean
socket_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs socket_source_funcs = {
  socket_source_prepare,
  socket_source_check,
  socket_source_dispatch,
  NULL, NULL, NULL,
};

static GSource *
socket_source_new (BurrowSshSession *session,
                   int               fd)
{
  GSource *source = g_source_new (&socket_source_funcs, sizeof (SocketSource));
  SocketSource *socket_source = (SocketSource *)source;

  socket_source->session = session;
  socket_source->events = G_IO_IN | G_IO_OUT;
  socket_source->tag = g_source_add_unix_fd (source, fd, socket_source->events);
  g_source_set_static_name (source, "[burrow] ssh socket");
  g_source_set_callback (source, on_socket_ready, session, NULL);
  /* Nothing runs a nested loop from its dispatch; and GLib would otherwise
   * take the socket out of its poll set and put it back around each
   * dispatch, writing to its wakeup eventfd both times. */
  g_source_set_can_recurse (source, TRUE);

  return source;
}

/* From a connected socket to the SSH handshake. */
static void
start_ssh (BurrowSshSession *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);
  g_autofree char *user_known_hosts = burrow_host_keys_user_file ();
  unsigned int port = self->port;
  bool process_config = false;
  socket_t fd;

  mark_phase (self, BURROW_SSH_PHASE_TCP_CONNECTED);

  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV4 ||
      g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* libssh closes the descriptor it is given, on some error paths too, and
   * a closed number can be reused at once by another socket. So libssh
   * gets a dup, and the session watches and shuts down the original, which
   * the GSocket keeps open until the session is finalized. */
  self->fd = g_socket_get_fd (socket);
  fd = fcntl (self->fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    {
      int saved_errno = errno;

      fail_with (self, BURROW_SSH_ERROR_FAILED, _("Close some programs or tunnels, then try again."),
                 _("Could not set up the connection to %s: %s"), self->host, g_strerror (saved_errno));
      return;
    }

  self->ssh = ssh_new ();
  if (self->ssh == NULL ||
      ssh_options_set (self->ssh, SSH_OPTIONS_PROCESS_CONFIG, &process_config) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_HOST, self->host) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_PORT, &port) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_USER, self->user) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_KNOWNHOSTS, self->known_hosts_file) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, user_known_hosts) != SSH_OK ||
      ssh_options_set (self->ssh, SSH_OPTIONS_FD, &fd) != SSH_OK)
    {
      /* ssh_connect() never ran: libssh does not own the dup yet. */
      close (fd);
      fail_with (self, BURROW_SSH_ERROR_FAILED, _("Check the host and user name."),
                 _("Could not set up SSH for %s: %s"), self->host,
                 self->ssh != NULL ? ssh_get_error (self->ssh) : g_strerror (ENOMEM));
      return;
    }

  ssh_set_blocking (self->ssh, 0);
  ssh_set_counters (self->ssh, &self->counter, NULL);
  self->event = ssh_event_new ();

  self->socket_source = socket_source_new (self, self->fd);
  g_source_attach (self->socket_source, self->context);

  self->step = STEP_KEY_EXCHANGE;
  advance (self);
}

static void
on_socket_client_event (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        gpointer            user_data)
{
  BurrowSshSession *self = user_data;

  if (event == G_SOCKET_CLIENT_RESOLVED)
    mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
}

static void
on_tcp_connected (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BurrowSshSession) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source_object), result, &error);
  g_signal_handlers_disconnect_by_func (source_object, on_socket_client_event, self);

  if (self->state != BURROW_SSH_STATE_CONNECTING)
    return;   /* timed out, cancelled or closed meanwhile */

  if (connection == NULL)
    {
      if (error->domain == G_RESOLVER_ERROR)
        fail_with (self, BURROW_SSH_ERROR_DNS,
                   _("Check the spelling of the host name, and your network or VPN connection."),
                   _("The host name %s could not be resolved: %s"), self->host, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        fail_with (self, BURROW_SSH_ERROR_REFUSED,
                   _("Check the port, and that the SSH server on that host is running."),
                   _("%s refused the connection on port %u"), self->host, self->port);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
        fail_with (self, BURROW_SSH_ERROR_UNREACHABLE,
                   _("Check your network or VPN connection."),
                   _("%s cannot be reached: %s"), self->host, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        fail_with (self, BURROW_SSH_ERROR_TIMEOUT,
                   _("Check the host name and port, and that a firewall lets you through."),
                   _("Could not connect to %s port %u: %s"), self->host, self->port, error->message);
      else
        fail_with (self, BURROW_SSH_ERROR_FAILED,
                   _("Check the host name and port, and your network connection."),
                   _("Could not connect to %s port %u: %s"), self->host, self->port, error->message);
      return;
    }

  mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
  self->connection = g_steal_pointer (&connection);
  start_ssh (self);
}

static void
on_open_cancelled_op (OpenOp *op)
{
  BurrowSshSession *self = op->session;

  g_queue_remove (&self->pending_opens, op);
  /* The server may still answer: keep the channel until it does, then
   * close it if it opened (closing it now would kill the session). */
  self->abandoned_channels = g_list_prepend (self->abandoned_channels, g_steal_pointer (&op->channel));
  g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Opening the channel was cancelled"));
  open_op_free (op);
}

static gboolean
on_open_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  OpenOp *op = user_data;

  g_clear_pointer (&op->cancel_source, g_source_unref);
  on_open_cancelled_op (op);

  return G_SOURCE_REMOVE;
}

/* Overrides */

static void
burrow_ssh_session_dispose (GObject *object)
{
  BurrowSshSession *self = (BurrowSshSession *)object;

  stop_io (self);
  g_clear_object (&self->tcp_cancellable);
  g_clear_object (&self->prep_cancellable);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->dispose (object);
}

static void
burrow_ssh_session_finalize (GObject *object)
{
  BurrowSshSession *self = (BurrowSshSession *)object;

  g_assert (self->connect_task == NULL);
  g_assert (g_queue_is_empty (&self->pending_opens));

  for (GList *l = self->abandoned_channels; l != NULL; l = l->next)
    ssh_channel_free (l->data);
  g_list_free (self->abandoned_channels);

  if (self->event != NULL)
    {
      if (self->event_added)
        ssh_event_remove_session (self->event, self->ssh);
      ssh_event_free (self->event);
    }
  if (self->ssh != NULL)
    {
      /* Frees every channel still attached to the session. */
      ssh_disconnect (self->ssh);
      ssh_free (self->ssh);
    }

  if (!self->agent_fd_given && self->agent_fd >= 0)
    close (self->agent_fd);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->key, ssh_key_free);
  g_clear_pointer (&self->server_key, ssh_key_free);
  g_clear_object (&self->host_key);
  g_clear_error (&self->prep_error);
  g_clear_error (&self->error);
  g_main_context_unref (self->context);

  g_free (self->host);
  g_free (self->user);
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  g_free (self->known_hosts_file);
  g_free (self->host_key_type);
  g_free (self->host_key_fingerprint);
  g_free (self->known_host_key_fingerprint);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->finalize (object);
}

static void
burrow_ssh_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_AUTH_METHOD:
      g_value_set_enum (value, self->auth_method);
      break;
    case PROP_KNOWN_HOSTS_FILE:
      g_value_set_string (value, self->known_hosts_file);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    case PROP_KEEPALIVE_MISSES:
      g_value_set_uint (value, self->keepalive_misses);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_HOST_KEY_FINGERPRINT:
      g_value_set_string (value, self->host_key_fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_session_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    case PROP_KNOWN_HOSTS_FILE:
      burrow_ssh_session_set_known_hosts_file (self, g_value_get_string (value));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      burrow_ssh_session_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    case PROP_KEEPALIVE_MISSES:
      burrow_ssh_session_set_keepalive_misses (self, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      burrow_ssh_session_set_connect_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_session_constructed (GObject *object)
{
  BurrowSshSession *self = BURROW_SSH_SESSION (object);

  G_OBJECT_CLASS (burrow_ssh_session_parent_class)->constructed (object);

  if (self->host == NULL)
    self->host = g_strdup ("localhost");
  if (self->port == 0)
    self->port = DEFAULT_PORT;
  if (self->user == NULL || *self->user == '\0')
    {
      g_free (self->user);
      self->user = g_strdup (g_get_user_name ());
    }
}

/* Class */

static void
burrow_ssh_session_class_init (BurrowSshSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = burrow_ssh_session_constructed;
  object_class->dispose = burrow_ssh_session_dispose;
  object_class->finalize = burrow_ssh_session_finalize;
  object_class->get_property = burrow_ssh_session_get_property;
  object_class->set_property = burrow_ssh_session_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH_METHOD] =
    g_param_spec_enum ("auth-method", NULL, NULL,
                       BURROW_TYPE_SSH_AUTH_METHOD, BURROW_SSH_AUTH_AGENT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KNOWN_HOSTS_FILE] =
    g_param_spec_string ("known-hosts-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600, DEFAULT_KEEPALIVE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEPALIVE_MISSES] =
    g_param_spec_uint ("keepalive-misses", NULL, NULL, 1, 100, DEFAULT_KEEPALIVE_MISSES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 3600, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BURROW_TYPE_SSH_STATE, BURROW_SSH_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST_KEY_FINGERPRINT] =
    g_param_spec_string ("host-key-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BurrowSshSession::activity:
   *
   * Emitted after each pass over the socket while the session is ready,
   * and by burrow_ssh_session_queue_activity(): channel owners do their
   * pending reads and writes here, once per pass for all channels.
   */
  signals[SIGNAL_ACTIVITY] =
    g_signal_new ("activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * BurrowSshSession::closed:
   * @error: (nullable): why, or %NULL after burrow_ssh_session_close()
   *
   * Emitted once when a session that was ready ends.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
burrow_ssh_session_init (BurrowSshSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->fd = -1;
  self->agent_fd = -1;
  self->auth_method = BURROW_SSH_AUTH_AGENT;
  self->known_hosts_file = burrow_paths_known_hosts_file ();
  self->keepalive_interval = DEFAULT_KEEPALIVE_INTERVAL;
  self->keepalive_misses = DEFAULT_KEEPALIVE_MISSES;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->last_channel_id = LIBSSH_FIRST_CHANNEL;
}

/* Public API */

/**
 * burrow_ssh_session_new:
 * @host: the server's host name or address
 * @port: its port, 0 for 22
 * @user: (nullable): the account, %NULL for the local user name
 *
 * The session belongs to the calling thread's thread-default main context.
 */
BurrowSshSession *
burrow_ssh_session_new (const char *host,
                        guint16     port,
                        const char *user)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return g_object_new (BURROW_TYPE_SSH_SESSION,
                       "host", host,
                       "port", (guint)(port != 0 ? port : DEFAULT_PORT),
                       "user", user,
                       NULL);
}

const char *
burrow_ssh_session_get_host (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host;
}

guint16
burrow_ssh_session_get_port (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->port;
}

const char *
burrow_ssh_session_get_user (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->user;
}

BurrowSshAuthMethod
burrow_ssh_session_get_auth_method (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), BURROW_SSH_AUTH_AGENT);

  return self->auth_method;
}

/* The auth the session signs in with, until it did; %NULL after. */
BurrowSshAuth *
burrow_ssh_session_get_auth (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->auth;
}

/* Keeps a reference to @auth until signed in. */
void
burrow_ssh_session_set_auth (BurrowSshSession *self,
                             BurrowSshAuth    *auth)
{
  BurrowSshAuthMethod method;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (auth != NULL);
  g_return_if_fail (self->state == BURROW_SSH_STATE_NEW);

  burrow_ssh_auth_ref (auth);
  g_clear_pointer (&self->auth, burrow_ssh_auth_unref);
  self->auth = auth;

  method = burrow_ssh_auth_get_method (auth);
  if (self->auth_method != method)
    {
      self->auth_method = method;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
    }
}

const char *
burrow_ssh_session_get_known_hosts_file (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->known_hosts_file;
}

/* Burrow's own known_hosts; %NULL restores burrow_paths_known_hosts_file(). */
void
burrow_ssh_session_set_known_hosts_file (BurrowSshSession *self,
                                         const char       *path)
{
  g_autofree char *resolved = NULL;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  resolved = path != NULL ? g_strdup (path) : burrow_paths_known_hosts_file ();
  if (g_strcmp0 (resolved, self->known_hosts_file) == 0)
    return;

  g_free (self->known_hosts_file);
  self->known_hosts_file = g_steal_pointer (&resolved);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOWN_HOSTS_FILE]);
}

guint
burrow_ssh_session_get_keepalive_interval (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->keepalive_interval;
}

/* Seconds between keepalives; 0 sends none. */
void
burrow_ssh_session_set_keepalive_interval (BurrowSshSession *self,
                                           guint             seconds)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  set_uint (self, &self->keepalive_interval, seconds, PROP_KEEPALIVE_INTERVAL);
}

guint
burrow_ssh_session_get_keepalive_misses (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->keepalive_misses;
}

/* How many intervals without a byte from the server make it dead. */
void
burrow_ssh_session_set_keepalive_misses (BurrowSshSession *self,
                                         guint             misses)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (misses > 0);

  set_uint (self, &self->keepalive_misses, misses, PROP_KEEPALIVE_MISSES);
}

guint
burrow_ssh_session_get_connect_timeout (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);

  return self->connect_timeout;
}

/* Seconds from connect_async to ready: TCP, handshake and sign-in. */
void
burrow_ssh_session_set_connect_timeout (BurrowSshSession *self,
                                        guint             seconds)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (seconds > 0);

  set_uint (self, &self->connect_timeout, seconds, PROP_CONNECT_TIMEOUT);
}

/**
 * burrow_ssh_session_connect_async:
 * @connection: (nullable): an already connected stream socket to speak SSH
 *   over (a jump host's channel), or %NULL to connect to host:port over TCP
 *
 * Connects, checks the host key and signs in. Call once per session; a
 * session that died is not reused: make a new one.
 */
void
burrow_ssh_session_connect_async (BurrowSshSession    *self,
                                  GSocketConnection   *connection,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (connection == NULL || G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_main_context_push_thread_default (self->context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_ssh_session_connect_async);

  if (self->state != BURROW_SSH_STATE_NEW)
    {
      g_task_return_new_error (task, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                               "This session was already used; make a new one");
      g_main_context_pop_thread_default (self->context);
      return;
    }

  self->connect_task = g_steal_pointer (&task);
  mark_phase (self, BURROW_SSH_PHASE_START);
  set_state (self, BURROW_SSH_STATE_CONNECTING);

  /* The key is decrypted, or the agent asked, while TCP and the handshake
   * go on. */
  if (self->auth == NULL)
    self->auth = burrow_ssh_auth_new_agent ();

  if (self->auth_method == BURROW_SSH_AUTH_KEY_FILE ||
      self->auth_method == BURROW_SSH_AUTH_PRIVATE_KEY ||
      self->auth_method == BURROW_SSH_AUTH_AGENT)
    {
      g_autoptr(GTask) prep_task = NULL;
      Preparation *prep = g_new0 (Preparation, 1);

      prep->agent = self->auth_method == BURROW_SSH_AUTH_AGENT;
      prep->agent_socket = g_strdup (g_getenv ("SSH_AUTH_SOCK"));
      prep->path = g_strdup (burrow_ssh_auth_get_key_file (self->auth));
      prep->text = g_strdup (burrow_ssh_auth_get_private_key (self->auth));
      prep->passphrase = g_strdup (burrow_ssh_auth_get_secret (self->auth));

      self->prep_cancellable = g_cancellable_new ();
      self->preparing = TRUE;
      prep_task = g_task_new (self, self->prep_cancellable, on_prepared, NULL);
      g_task_set_source_tag (prep_task, prepare_thread);
      g_task_set_task_data (prep_task, prep, (GDestroyNotify)preparation_free);
      g_task_run_in_thread (prep_task, prepare_thread);
    }

  self->timeout_source = g_timeout_source_new_seconds (self->connect_timeout);
  g_source_set_callback (self->timeout_source, on_connect_timeout, self, NULL);
  g_source_set_static_name (self->timeout_source, "[burrow] ssh connect timeout");
  g_source_attach (self->timeout_source, self->context);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_connect_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  if (connection != NULL)
    {
      mark_phase (self, BURROW_SSH_PHASE_RESOLVED);
      self->connection = g_object_ref (connection);
      start_ssh (self);
    }
  else
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnectable) address = g_network_address_new (self->host, self->port);

      /* Like ssh, talk to the bastion directly: a desktop's proxy settings
       * are meant for the web, not for SSH. */
      g_socket_client_set_enable_proxy (client, FALSE);
      self->tcp_cancellable = g_cancellable_new ();
      g_signal_connect (client, "event", G_CALLBACK (on_socket_client_event), self);
      g_socket_client_connect_async (client, address, self->tcp_cancellable,
                                     on_tcp_connected, g_object_ref (self));
    }

  g_main_context_pop_thread_default (self->context);
}

gboolean
burrow_ssh_session_connect_finish (BurrowSshSession  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Ends the session. A connect in progress fails with G_IO_ERROR_CANCELLED,
 * pending channel opens fail, and "closed" is emitted with no error if the
 * session was ready. Channel pointers stay valid until finalize. */
void
burrow_ssh_session_close (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  if (self->state == BURROW_SSH_STATE_NEW)
    {
      set_state (self, BURROW_SSH_STATE_CLOSED);
      return;
    }

  finish (self, BURROW_SSH_STATE_CLOSED, NULL);
}

BurrowSshState
burrow_ssh_session_get_state (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), BURROW_SSH_STATE_DEAD);

  return self->state;
}

/* Why the session is dead, %NULL otherwise. */
const GError *
burrow_ssh_session_get_error (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->error;
}

/* The monotonic time (g_get_monotonic_time()) at which @phase was
 * reached, 0 if it was not. */
gint64
burrow_ssh_session_get_phase_time (BurrowSshSession *self,
                                   BurrowSshPhase    phase)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), 0);
  g_return_val_if_fail (phase <= BURROW_SSH_PHASE_LAST, 0);

  return self->phase_times[phase];
}

/* "ssh-ed25519", "ecdsa-sha2-nistp256", …; %NULL before the handshake. */
const char *
burrow_ssh_session_get_host_key_type (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key_type;
}

/* "SHA256:…"; %NULL before the handshake. */
const char *
burrow_ssh_session_get_host_key_fingerprint (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key_fingerprint;
}

/* The recorded fingerprint when the key changed, %NULL otherwise. */
const char *
burrow_ssh_session_get_known_host_key_fingerprint (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->known_host_key_fingerprint;
}

/* The key the server showed and Burrow's verdict on it, once the key
 * exchange finished; it outlives the session for whoever decides on it. */
BurrowHostKey *
burrow_ssh_session_get_host_key (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->host_key;
}

/* Records the key the server showed in Burrow's known_hosts, replacing a
 * recorded key of the same type. Call it after the user confirmed the
 * fingerprint; then connect with a new session. */
gboolean
burrow_ssh_session_trust_host_key (BurrowSshSession  *self,
                                   GError           **error)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), FALSE);

  if (self->server_key == NULL)
    {
      burrow_set_error (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_FAILED,
                        _("Connect first, so that the server shows its key."),
                        _("The host key of %s is not known yet"), self->host);
      return FALSE;
    }

  return burrow_host_keys_trust (self->known_hosts_file, self->host, self->port,
                                 self->server_key, error);
}

/**
 * burrow_ssh_session_open_channel_async:
 *
 * Opens a direct-tcpip channel to @host:@port as seen from the server.
 * The session must be ready.
 */
void
burrow_ssh_session_open_channel_async (BurrowSshSession    *self,
                                       const char          *host,
                                       guint16              port,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenOp *op;
  int rc;

  g_return_if_fail (BURROW_IS_SSH_SESSION (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_ssh_session_open_channel_async);

  if (self->state != BURROW_SSH_STATE_READY)
    {
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        {
          GError *error = NULL;

          burrow_set_error (&error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_CONNECTION_LOST, NULL,
                            _("The connection to %s is not ready"), self->host);
          g_task_return_error (task, error);
        }
      return;
    }

  op = g_new0 (OpenOp, 1);
  op->session = self;
  op->task = g_steal_pointer (&task);
  op->host = g_strdup (host);
  op->port = port;
  op->channel = ssh_channel_new (self->ssh);
  /* The first open call gives the channel its number, and every channel
   * of this session is opened here. */
  if (op->channel != NULL)
    op->channel_id = ++self->last_channel_id;
  g_queue_push_tail (&self->pending_opens, op);

  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (on_open_cancelled), op, NULL);
      g_source_attach (op->cancel_source, self->context);
    }

  /* Sends the request now; the answer is collected in the dispatch. */
  listen_for_refusals (self);
  rc = ssh_channel_open_forward (op->channel, op->host, op->port, "127.0.0.1", 0);
  stop_listening_for_refusals (self);
  if (rc != SSH_AGAIN)
    {
      /* Answered at once, or failed to send: let the service pass say. */
      self->opens_answered = TRUE;
      burrow_ssh_session_queue_activity (self);
    }
}

/* Returns: (transfer full): an open channel; close and free it when done. */
ssh_channel
burrow_ssh_session_open_channel_finish (BurrowSshSession  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The libssh session, for channel I/O on the session's thread; %NULL
 * before connect_async. Do not free it, change its options or poll it. */
ssh_session
burrow_ssh_session_get_handle (BurrowSshSession *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_SESSION (self), NULL);

  return self->ssh;
}

/* Makes the loop look at the socket's write side again now: call it after
 * writing to a channel from another thread's wakeup or a long callback. */
void
burrow_ssh_session_flush (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  g_main_context_wakeup (self->context);
}

/* Emits "activity" once from an idle, however often it is called before. */
void
burrow_ssh_session_queue_activity (BurrowSshSession *self)
{
  g_return_if_fail (BURROW_IS_SSH_SESSION (self));

  if (self->activity_source != NULL || self->state != BURROW_SSH_STATE_READY)
    return;

  self->activity_source = g_idle_source_new ();
  g_source_set_callback (self->activity_source, on_activity_idle, self, NULL);
  g_source_set_static_name (self->activity_source, "[burrow] ssh activity");
  g_source_attach (self->activity_source, self->context);
}

/**
 * burrow_ssh_channel_close_and_free:
 *
 * Ends a channel (telling the server, when it is open) and frees it. Not
 * from inside a libssh callback.
 */
void
burrow_ssh_channel_close_and_free (ssh_channel channel)
{
  if (channel == NULL)
    return;

  /* ssh_channel_close() sends EOF first and, in non-blocking mode, gives up
   * before packing CLOSE when that EOF cannot be flushed at once — the
   * server then keeps the channel, and the database connection behind it,
   * open for ever. With the EOF already queued, close packs its CLOSE
   * whatever the flush. */
  if (ssh_channel_is_open (channel))
    {
      ssh_channel_send_eof (channel);
      ssh_channel_close (channel);
    }

  ssh_channel_free (channel);
}
