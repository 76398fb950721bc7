/* burrow-ssh-session-private.h — what the files of BurrowSshSession share.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The class spans several files, one job each:
 *   burrow-ssh-session.c          life cycle, connecting, host key, keepalives, the API
 *   burrow-ssh-session-sign-in.c  signing in: keys, ssh-agent, passwords, prompts
 *   burrow-ssh-session-source.c   the main-loop source on the socket and its dispatch
 *   burrow-ssh-session-channels.c direct-tcpip channel opens
 * Nothing here is for use outside them.
 */

#pragma once

#include <libssh/callbacks.h>

#include "burrow-libssh-compat.h"
#include "burrow-ssh-session.h"

G_BEGIN_DECLS

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
} BurrowSshStep;

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
  int                  io_priority;         /* of the socket source */

  GMainContext        *context;
  BurrowSshState       state;
  GError              *error;
  gint64               phase_times[BURROW_SSH_PHASE_LAST + 1];

  /* Connecting */
  GTask               *connect_task;
  GCancellable        *tcp_cancellable;
  GSource             *timeout_source;
  gint64               timeout_deadline;    /* monotonic, while it runs */
  gint64               timeout_left;        /* µs, while a person answers */
  GSource             *cancel_source;
  GSocketConnection   *connection;
  BurrowSshStep        step;
  guint                offered_methods;
  guint                kbdint_rounds;
  guint                kbdint_prompt;       /* the next one of the round to answer */
  gboolean             kbdint_in_round;     /* prompts received, not all answered */
  gboolean             kbdint_asked;        /* a person answered a prompt */
  gboolean             password_given;      /* the stored password went out */

  /* Asking a person */
  BurrowQuestion      *question;            /* waiting for its answer */
  gboolean             key_needs_passphrase;
  guint                passphrase_tries;

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
  gint64               last_in_time;        /* monotonic, when input last came */
  gint64               last_look_time;      /* when last_in_bytes was compared */
  GSource             *keepalive_source;
  GSource             *silence_source;      /* the silence reaches its limit */
  GSource             *check_source;        /* burrow_ssh_session_check_alive() */
  guint64              check_in_bytes;
  guint                check_seconds;
  gboolean             check_settled;       /* the second keepalive went out */

  /* Channels */
  GSource             *activity_source;
  guint64              passed_in_bytes;     /* input the last pass accounted for */
  guint64              serviced_in_bytes;   /* input seen by the last service */
  gboolean             opens_answered;      /* an open finished without input */
  GQueue               pending_opens;       /* OpenOp */
  guint32              next_channel_id;     /* libssh's, for the next open */
  BurrowLibsshRefusalTap refusal_tap;       /* while opens are pending */
  GList               *abandoned_channels;  /* ssh_channel, open cancelled */
};

/* burrow-ssh-session.c */
void     burrow_ssh_session_set_state           (BurrowSshSession *self,
                                                 BurrowSshState    state);
void     burrow_ssh_session_mark_phase          (BurrowSshSession *self,
                                                 BurrowSshPhase    phase);
void     burrow_ssh_session_fail                (BurrowSshSession *self,
                                                 GError           *error);
void     burrow_ssh_session_fail_with           (BurrowSshSession *self,
                                                 int               code,
                                                 const char       *hint,
                                                 const char       *format,
                                                 ...) G_GNUC_PRINTF (4, 5);
void     burrow_ssh_session_fail_libssh         (BurrowSshSession *self,
                                                 const char       *doing);
void     burrow_ssh_session_fail_setup_lost     (BurrowSshSession *self);
void     burrow_ssh_session_fail_lost           (BurrowSshSession *self);
gboolean burrow_ssh_session_fail_if_lost        (BurrowSshSession *self);
void     burrow_ssh_session_note_input          (BurrowSshSession *self,
                                                 gboolean          just_now);
gboolean burrow_ssh_session_is_gone             (BurrowSshSession *self);
void     burrow_ssh_session_advance             (BurrowSshSession *self);
void     burrow_ssh_session_become_ready        (BurrowSshSession *self);
void     burrow_ssh_session_restore_nonblocking (BurrowSshSession *self);
void     burrow_ssh_session_emit_activity       (BurrowSshSession *self);
void     burrow_ssh_session_pause_connect_timeout  (BurrowSshSession *self);
void     burrow_ssh_session_resume_connect_timeout (BurrowSshSession *self);

/* burrow-ssh-session-sign-in.c */
void     burrow_ssh_session_prepare_sign_in     (BurrowSshSession *self);
void     burrow_ssh_session_advance_sign_in     (BurrowSshSession *self);
const char *burrow_ssh_session_describe_auth_method (BurrowSshAuthMethod method);
void     burrow_ssh_session_stop_sign_in        (BurrowSshSession *self);
void     burrow_ssh_session_clear_sign_in       (BurrowSshSession *self);

/* burrow-ssh-session-source.c */
GSource *burrow_ssh_session_source_new          (BurrowSshSession *self,
                                                 int               fd);
void     burrow_ssh_session_set_agent_busy      (BurrowSshSession *self,
                                                 gboolean          busy);

/* burrow-ssh-session-channels.c */
void     burrow_ssh_session_init_channels       (BurrowSshSession *self);
void     burrow_ssh_session_service_opens       (BurrowSshSession *self);
gboolean burrow_ssh_session_has_pending_opens   (BurrowSshSession *self);
void     burrow_ssh_session_fail_pending_opens  (BurrowSshSession *self);
void     burrow_ssh_session_free_channels       (BurrowSshSession *self);

G_END_DECLS
