/* burrow-ssh-session-channels.c — direct-tcpip channel opens of a session.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An open is sent at once and answered in a later dispatch. Each pending
 * open keeps its ssh_channel and its task; the answers are collected after
 * every pass over the socket, and only when input came in, since asking
 * libssh about a channel costs a poll(). A channel whose open failed is
 * never handed out nor closed (closing it would kill the session); one
 * whose open was cancelled is kept until the server answers, then closed
 * if it opened.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libssh/ssh2.h>

#include "burrow-error.h"
#include "burrow-ssh-session-private.h"

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

/* A refusal read from libssh's log (burrow-libssh-compat.c): filed under
 * its channel, whose answer libssh may already have replaced with another
 * one's by the time the opens are looked at. */
static void
on_refusal (guint32     channel_id,
            guint32     code,
            const char *reason,
            gpointer    user_data)
{
  BurrowSshSession *self = user_data;
  OpenOp *op = find_open (self, channel_id);

  if (op == NULL)
    return;

  op->refused = TRUE;
  op->refusal_code = code;
  g_free (op->refusal_reason);
  op->refusal_reason = g_strdup (reason);
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
           burrow_libssh_parse_open_failure (message, &channel_id, &code, &reason) &&
           channel_id == op->channel_id)
    known = TRUE;

  if (burrow_ssh_session_is_gone (self))
    burrow_ssh_error_set_lost (&error, self->host, message);
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
void
burrow_ssh_session_service_opens (BurrowSshSession *self)
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
    burrow_libssh_refusal_tap_start (&self->refusal_tap);

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
    burrow_libssh_refusal_tap_stop (&self->refusal_tap);

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

void
burrow_ssh_session_fail_pending_opens (BurrowSshSession *self)
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

void
burrow_ssh_session_init_channels (BurrowSshSession *self)
{
  g_queue_init (&self->pending_opens);
  self->next_channel_id = burrow_libssh_first_channel_id ();
  self->refusal_tap.func = on_refusal;
  self->refusal_tap.user_data = self;
}

gboolean
burrow_ssh_session_has_pending_opens (BurrowSshSession *self)
{
  return !g_queue_is_empty (&self->pending_opens);
}

/* At finalize, before the libssh session goes. */
void
burrow_ssh_session_free_channels (BurrowSshSession *self)
{
  g_assert (g_queue_is_empty (&self->pending_opens));

  for (GList *l = self->abandoned_channels; l != NULL; l = l->next)
    ssh_channel_free (l->data);
  g_clear_pointer (&self->abandoned_channels, g_list_free);
}

/* Public API */

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

  /* The callback runs on the session's context, whoever calls. */
  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_main_context_pop_thread_default (self->context);
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
    op->channel_id = self->next_channel_id++;
  g_queue_push_tail (&self->pending_opens, op);

  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (on_open_cancelled), op, NULL);
      g_source_attach (op->cancel_source, self->context);
    }

  /* Sends the request now; the answer is collected in the dispatch. */
  burrow_libssh_refusal_tap_start (&self->refusal_tap);
  rc = ssh_channel_open_forward (op->channel, op->host, op->port, "127.0.0.1", 0);
  burrow_libssh_refusal_tap_stop (&self->refusal_tap);
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
