/* burrow-ssh-session.h — one SSH connection driven by the GLib main loop.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to use it
 *
 *   session = burrow_ssh_session_new (host, port, user);
 *   burrow_ssh_session_set_auth (session, auth);   // a BurrowSshAuth, see burrow-ssh-auth.h
 *   burrow_ssh_session_connect_async (session, NULL, cancellable, on_connected, data);
 *   …  burrow_ssh_session_connect_finish () → TRUE once authenticated (state READY)
 *   burrow_ssh_session_open_channel_async (session, "db.internal", 5432, …);
 *   …  burrow_ssh_session_open_channel_finish () → an open direct-tcpip ssh_channel
 *
 * Threading. A session lives on the thread-default GMainContext of the
 * thread that created it, and every call must come from that thread (libssh
 * sessions are not thread-safe). One GSource watches the socket: G_IO_IN
 * always, G_IO_OUT while libssh has unsent data. Its dispatch runs
 * ssh_event_dopoll (event, 0), which is where libssh invokes channel
 * callbacks (ssh_set_channel_callbacks), then advances connect/auth and
 * pending channel opens, then emits "activity". From inside a libssh
 * callback, call nothing of this API except getters and
 * burrow_ssh_session_queue_activity(); do the rest in "activity".
 * Nothing blocks the loop. Signing in with ssh-agent, which libssh does
 * with blocking reads, runs in a worker thread while the loop leaves the
 * session alone, and ends at the connect timeout (an agent waiting for a
 * confirmation or a PIN). What the sign-in needs and the auth does not
 * hold (a one-time code the bastion asks for, the passphrase of an
 * encrypted key) is asked through the auth's ask func as a BurrowQuestion;
 * the connect timeout waits while a person answers.
 *
 * Connecting over something else than TCP (jump hosts): pass a connected
 * GSocketConnection (e.g. one end of a socketpair() wrapped with
 * g_socket_connection_factory_create_connection()) to connect_async; the
 * session keeps a reference and hands libssh a dup() of its descriptor.
 * libssh needs that descriptor in blocking mode for a moment; the session
 * puts it back to non-blocking once the SSH banner is out, so a write never
 * blocks the loop.
 *
 * Channels. open_channel_finish() gives an ssh_channel in state open; the
 * caller owns it and closes it (ssh_channel_close) and frees it
 * (ssh_channel_free) when done, never from inside a libssh callback. A
 * channel whose open failed is never handed out (closing one kills the
 * whole session). Data a caller writes with ssh_channel_write() from
 * outside the dispatch is flushed when the socket is writable: prepare
 * looks at ssh_get_poll_flags() on every loop iteration, and
 * burrow_ssh_session_flush() wakes the loop to do that at once. Because any
 * libssh call may consume incoming packets for other channels,
 * burrow_ssh_session_queue_activity() schedules one coalesced "activity"
 * emission from an idle so that channel owners can re-check their state.
 * Input that libssh takes in outside the dispatch (a channel read, a
 * close, a keepalive) is noticed at the loop's next iteration, and gets a
 * pass and an "activity" of its own. Note that libssh re-arms its write
 * watch after every write, so SSH_WRITE_PENDING in ssh_get_poll_flags() is
 * set right after any write, even one that went out whole; the next
 * dispatch clears it and emits "activity". Each dispatch polls libssh up to
 * 64 times (it reads 4 KiB per poll), so "activity" comes once per batch
 * of packets.
 *
 * The end. When a ready session dies (keepalive misses, the server went
 * away, burrow_ssh_session_check_alive() heard nothing) or is closed, its
 * state becomes DEAD or CLOSED and "closed" is emitted once with the error
 * (NULL after burrow_ssh_session_close()); then the channel opens still
 * pending fail with BURROW_SSH_ERROR_CONNECTION_LOST. A
 * connect that fails reports through connect_finish() only (state DEAD,
 * or CLOSED when closed while connecting). The libssh session, and with it
 * every channel pointer, stays valid until the session object is
 * finalized: free your channels with ssh_channel_free() or just forget
 * them, then drop the session. A session is used once: to reconnect, make
 * a new one.
 */

#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

#include "burrow-host-key.h"
#include "burrow-ssh-auth.h"
#include "burrow-ssh-error.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_SSH_STATE_NEW,
  BURROW_SSH_STATE_CONNECTING,      /* TCP and key exchange, host key check */
  BURROW_SSH_STATE_AUTHENTICATING,
  BURROW_SSH_STATE_READY,
  BURROW_SSH_STATE_CLOSED,          /* burrow_ssh_session_close() was called */
  BURROW_SSH_STATE_DEAD,            /* failed to connect, or lost; see get_error() */
} BurrowSshState;

/* Moments of the connection, for the probe. */
typedef enum
{
  BURROW_SSH_PHASE_START,           /* connect_async was called */
  BURROW_SSH_PHASE_RESOLVED,        /* the host name resolved */
  BURROW_SSH_PHASE_TCP_CONNECTED,
  BURROW_SSH_PHASE_HANDSHAKE_DONE,  /* key exchange finished */
  BURROW_SSH_PHASE_HOST_KEY_CHECKED,
  BURROW_SSH_PHASE_AUTHENTICATED,
} BurrowSshPhase;

#define BURROW_SSH_PHASE_LAST BURROW_SSH_PHASE_AUTHENTICATED

#define BURROW_TYPE_SSH_STATE (burrow_ssh_state_get_type ())
#define BURROW_TYPE_SSH_SESSION (burrow_ssh_session_get_type ())

GType burrow_ssh_state_get_type       (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowSshSession, burrow_ssh_session, BURROW, SSH_SESSION, GObject)

BurrowSshSession    *burrow_ssh_session_new                  (const char           *host,
                                                              guint16               port,
                                                              const char           *user);

/* Settings: change them before connect_async. */
const char          *burrow_ssh_session_get_host             (BurrowSshSession     *self);
guint16              burrow_ssh_session_get_port             (BurrowSshSession     *self);
const char          *burrow_ssh_session_get_user             (BurrowSshSession     *self);
BurrowSshAuthMethod  burrow_ssh_session_get_auth_method      (BurrowSshSession     *self);
BurrowSshAuth       *burrow_ssh_session_get_auth             (BurrowSshSession     *self);
void                 burrow_ssh_session_set_auth             (BurrowSshSession     *self,
                                                              BurrowSshAuth        *auth);
const char          *burrow_ssh_session_get_known_hosts_file (BurrowSshSession     *self);
void                 burrow_ssh_session_set_known_hosts_file (BurrowSshSession     *self,
                                                              const char           *path);
guint                burrow_ssh_session_get_keepalive_interval (BurrowSshSession   *self);
void                 burrow_ssh_session_set_keepalive_interval (BurrowSshSession   *self,
                                                                guint               seconds);
guint                burrow_ssh_session_get_keepalive_misses (BurrowSshSession     *self);
void                 burrow_ssh_session_set_keepalive_misses (BurrowSshSession     *self,
                                                              guint                 misses);
guint                burrow_ssh_session_get_connect_timeout  (BurrowSshSession     *self);
void                 burrow_ssh_session_set_connect_timeout  (BurrowSshSession     *self,
                                                              guint                 seconds);
int                  burrow_ssh_session_get_io_priority      (BurrowSshSession     *self);
void                 burrow_ssh_session_set_io_priority      (BurrowSshSession     *self,
                                                              int                   priority);

/* Connecting. */
void                 burrow_ssh_session_connect_async        (BurrowSshSession     *self,
                                                              GSocketConnection    *connection,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean             burrow_ssh_session_connect_finish       (BurrowSshSession     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                 burrow_ssh_session_close                (BurrowSshSession     *self);
void                 burrow_ssh_session_check_alive          (BurrowSshSession     *self,
                                                              guint                 seconds);

/* State. */
BurrowSshState       burrow_ssh_session_get_state            (BurrowSshSession     *self);
const GError        *burrow_ssh_session_get_error            (BurrowSshSession     *self);
gint64               burrow_ssh_session_get_phase_time       (BurrowSshSession     *self,
                                                              BurrowSshPhase        phase);

/* The server's host key, known once the key exchange finished (also when
 * the connection failed with HOST_KEY_UNKNOWN or HOST_KEY_CHANGED). */
const char          *burrow_ssh_session_get_host_key_type    (BurrowSshSession     *self);
const char          *burrow_ssh_session_get_host_key_fingerprint (BurrowSshSession *self);
const char          *burrow_ssh_session_get_known_host_key_fingerprint (BurrowSshSession *self);
BurrowHostKey       *burrow_ssh_session_get_host_key         (BurrowSshSession     *self);
gboolean             burrow_ssh_session_trust_host_key       (BurrowSshSession     *self,
                                                              GError              **error);

/* Channels, and what channel owners need from the loop. */
void                 burrow_ssh_session_open_channel_async   (BurrowSshSession     *self,
                                                              const char           *host,
                                                              guint16               port,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
ssh_channel          burrow_ssh_session_open_channel_finish  (BurrowSshSession     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
ssh_session          burrow_ssh_session_get_handle           (BurrowSshSession     *self);
void                 burrow_ssh_channel_close_and_free       (ssh_channel           channel);
void                 burrow_ssh_session_flush                (BurrowSshSession     *self);
void                 burrow_ssh_session_queue_activity       (BurrowSshSession     *self);

G_END_DECLS
