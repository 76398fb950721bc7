/* burrow-connection.c — one saved connection as it lives: its profile,
 * its tunnel's state, its address and its last error.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every property is derived from the profile and from the tunnel the
 * engine gave the connection (or, when there is none, from why the last
 * connect failed), and recomputed as a whole whenever either changes; a
 * property is notified only when its value differs from the one last
 * notified, so that rows and menus bound to it redraw only for a real
 * change.
 */

#include "config.h"

#include "burrow-connection-private.h"
#include "burrow-db-kind.h"
#include "burrow-error.h"
#include "burrow-ssh-error.h"

struct _BurrowConnection
{
  GObject            parent_instance;

  BurrowProfile     *profile;
  BurrowTunnel      *tunnel;
  GError            *failure;     /* why the last connect failed, without a tunnel */
  BurrowHostKey     *failure_host_key;
  guint              run;
  char              *running_key;

  /* What was last notified. */
  char              *name;
  char              *summary;
  BurrowTunnelState  state;
  guint              attempt;
  gint64             next_try;
  char              *local_address;
  guint16            local_port;
  guint              active_connections;
  guint64            bytes_sent;
  guint64            bytes_received;
  GError            *error;
  BurrowHostKey     *host_key;
  gboolean           busy;
  guint              elsewhere_pid;
  guint16            elsewhere_port;
  char              *elsewhere_summary;
};

G_DEFINE_FINAL_TYPE (BurrowConnection, burrow_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_ID,
  PROP_NAME,
  PROP_SUMMARY,
  PROP_STATE,
  PROP_ATTEMPT,
  PROP_NEXT_TRY,
  PROP_LOCAL_ADDRESS,
  PROP_LOCAL_PORT,
  PROP_ACTIVE_CONNECTIONS,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  PROP_ERROR,
  PROP_HOST_KEY,
  PROP_BUSY,
  PROP_RUNNING_ELSEWHERE,
  PROP_RUNNING_ELSEWHERE_PORT,
  PROP_RUNNING_ELSEWHERE_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_string (BurrowConnection *self,
               char            **field,
               char             *value,
               guint             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }

  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define UPDATE(field, value, prop)                                       \
  G_STMT_START {                                                         \
    if (self->field != (value))                                          \
      {                                                                  \
        self->field = (value);                                           \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
      }                                                                  \
  } G_STMT_END

static gboolean
is_host_key_error (const GError *error)
{
  return g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_UNKNOWN) ||
         g_error_matches (error, BURROW_SSH_ERROR, BURROW_SSH_ERROR_HOST_KEY_CHANGED);
}

/* Recomputes every property and notifies the ones that changed. */
static void
update (BurrowConnection *self)
{
  GObject *object = G_OBJECT (self);
  BurrowTunnel *tunnel = self->tunnel;
  const GError *error;
  BurrowTunnelState state;
  guint16 port;
  BurrowHostKey *host_key;

  g_object_freeze_notify (object);

  update_string (self, &self->name, g_strdup (burrow_profile_get_name (self->profile)), PROP_NAME);
  update_string (self, &self->summary, burrow_profile_dup_summary (self->profile), PROP_SUMMARY);

  if (tunnel != NULL)
    {
      state = burrow_tunnel_get_state (tunnel);
      error = burrow_tunnel_get_error (tunnel);
      port = burrow_tunnel_get_bound_port (tunnel);
    }
  else
    {
      state = self->failure != NULL ? BURROW_TUNNEL_FAILED : BURROW_TUNNEL_STOPPED;
      error = self->failure;
      port = 0;
    }

  UPDATE (state, state, PROP_STATE);
  UPDATE (attempt, tunnel != NULL ? burrow_tunnel_get_attempt (tunnel) : 0, PROP_ATTEMPT);
  UPDATE (next_try, tunnel != NULL ? burrow_tunnel_get_next_try (tunnel) : 0, PROP_NEXT_TRY);
  UPDATE (local_port, port, PROP_LOCAL_PORT);
  update_string (self, &self->local_address, port != 0 ? g_strdup_printf ("127.0.0.1:%u", port) : NULL,
                 PROP_LOCAL_ADDRESS);
  UPDATE (active_connections, tunnel != NULL ? burrow_tunnel_get_active_connections (tunnel) : 0,
          PROP_ACTIVE_CONNECTIONS);
  UPDATE (bytes_sent, tunnel != NULL ? burrow_tunnel_get_bytes_sent (tunnel) : 0, PROP_BYTES_SENT);
  UPDATE (bytes_received, tunnel != NULL ? burrow_tunnel_get_bytes_received (tunnel) : 0,
          PROP_BYTES_RECEIVED);

  if (!burrow_error_equal (error, self->error))
    {
      g_clear_error (&self->error);
      self->error = error != NULL ? g_error_copy (error) : NULL;
      g_object_notify_by_pspec (object, properties[PROP_ERROR]);
    }

  host_key = is_host_key_error (error) ? self->failure_host_key : NULL;
  if (g_set_object (&self->host_key, host_key))
    g_object_notify_by_pspec (object, properties[PROP_HOST_KEY]);

  g_object_thaw_notify (object);
}

static void
on_tunnel_notify (BurrowTunnel *tunnel,
                  GParamSpec   *pspec,
                  gpointer      user_data)
{
  update (user_data);
}

static void
on_profile_notify (BurrowProfile *profile,
                   GParamSpec    *pspec,
                   gpointer       user_data)
{
  update (user_data);
}

static void
burrow_connection_dispose (GObject *object)
{
  BurrowConnection *self = BURROW_CONNECTION (object);

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_data (self->tunnel, self);
  g_clear_object (&self->tunnel);
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->failure_host_key);
  g_clear_object (&self->host_key);

  G_OBJECT_CLASS (burrow_connection_parent_class)->dispose (object);
}

static void
burrow_connection_finalize (GObject *object)
{
  BurrowConnection *self = BURROW_CONNECTION (object);

  g_clear_object (&self->profile);
  g_clear_error (&self->failure);
  g_clear_error (&self->error);
  g_free (self->running_key);
  g_free (self->name);
  g_free (self->summary);
  g_free (self->local_address);
  g_free (self->elsewhere_summary);

  G_OBJECT_CLASS (burrow_connection_parent_class)->finalize (object);
}

static void
burrow_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BurrowConnection *self = BURROW_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ID:
      g_value_set_string (value, burrow_connection_get_id (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_NEXT_TRY:
      g_value_set_int64 (value, self->next_try);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_LOCAL_PORT:
      g_value_set_uint (value, self->local_port);
      break;
    case PROP_ACTIVE_CONNECTIONS:
      g_value_set_uint (value, self->active_connections);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_HOST_KEY:
      g_value_set_object (value, self->host_key);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_RUNNING_ELSEWHERE:
      g_value_set_uint (value, self->elsewhere_pid);
      break;
    case PROP_RUNNING_ELSEWHERE_PORT:
      g_value_set_uint (value, self->elsewhere_port);
      break;
    case PROP_RUNNING_ELSEWHERE_SUMMARY:
      g_value_set_string (value, self->elsewhere_summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_class_init (BurrowConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = burrow_connection_dispose;
  object_class->finalize = burrow_connection_finalize;
  object_class->get_property = burrow_connection_get_property;

  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE, ro);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BURROW_TYPE_TUNNEL_STATE, BURROW_TUNNEL_STOPPED, ro);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* g_get_real_time() of the next try, 0 when none waits. */
  properties[PROP_NEXT_TRY] = g_param_spec_int64 ("next-try", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LOCAL_ADDRESS] = g_param_spec_string ("local-address", NULL, NULL, NULL, ro);
  properties[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_ACTIVE_CONNECTIONS] =
    g_param_spec_uint ("active-connections", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_HOST_KEY] = g_param_spec_object ("host-key", NULL, NULL, BURROW_TYPE_HOST_KEY, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  /* The pid of another Burrow process that runs this tunnel, 0 if none. */
  properties[PROP_RUNNING_ELSEWHERE] = g_param_spec_uint ("running-elsewhere", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RUNNING_ELSEWHERE_PORT] =
    g_param_spec_uint ("running-elsewhere-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_RUNNING_ELSEWHERE_SUMMARY] =
    g_param_spec_string ("running-elsewhere-summary", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_connection_init (BurrowConnection *self)
{
  self->state = BURROW_TUNNEL_STOPPED;
}

BurrowConnection *
burrow_connection_new (BurrowProfile *profile)
{
  BurrowConnection *self;

  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  self = g_object_new (BURROW_TYPE_CONNECTION, NULL);
  self->profile = g_object_ref (profile);
  self->name = g_strdup (burrow_profile_get_name (profile));
  self->summary = burrow_profile_dup_summary (profile);
  g_signal_connect (profile, "notify", G_CALLBACK (on_profile_notify), self);

  return self;
}

BurrowTunnel *
burrow_connection_get_tunnel (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->tunnel;
}

/* Follows @tunnel from now on; %NULL lets go of the one followed. A new
 * tunnel starts with no failure. */
void
burrow_connection_set_tunnel (BurrowConnection *self,
                              BurrowTunnel     *tunnel)
{
  g_return_if_fail (BURROW_IS_CONNECTION (self));

  if (self->tunnel == tunnel)
    return;

  if (self->tunnel != NULL)
    g_signal_handlers_disconnect_by_data (self->tunnel, self);
  g_set_object (&self->tunnel, tunnel);
  if (tunnel != NULL)
    {
      g_signal_connect (tunnel, "notify", G_CALLBACK (on_tunnel_notify), self);
      g_clear_error (&self->failure);
      g_clear_object (&self->failure_host_key);
    }

  update (self);
}

/* Why a connect failed before a tunnel ran (no tunnel is followed then);
 * %NULL makes it stopped and fine. */
void
burrow_connection_set_failed (BurrowConnection *self,
                              const GError     *error)
{
  g_return_if_fail (BURROW_IS_CONNECTION (self));

  g_clear_error (&self->failure);
  if (error != NULL)
    self->failure = g_error_copy (error);
  if (error == NULL)
    g_clear_object (&self->failure_host_key);

  update (self);
}

/* The key a server showed when the connection stopped at an unknown or
 * changed host key. */
void
burrow_connection_set_host_key (BurrowConnection *self,
                                BurrowHostKey    *host_key)
{
  g_return_if_fail (BURROW_IS_CONNECTION (self));

  g_set_object (&self->failure_host_key, host_key);
  update (self);
}

void
burrow_connection_set_busy (BurrowConnection *self,
                            gboolean          busy)
{
  g_return_if_fail (BURROW_IS_CONNECTION (self));

  UPDATE (busy, busy, PROP_BUSY);
}

/* Another Burrow process runs this connection's tunnel (@pid 0: none
 * does); @summary says where, for a row, a menu or burrowctl list. */
void
burrow_connection_set_running_elsewhere (BurrowConnection *self,
                                         guint             pid,
                                         guint16           port,
                                         const char       *summary)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (BURROW_IS_CONNECTION (self));

  if (pid == 0)
    {
      port = 0;
      summary = NULL;
    }

  g_object_freeze_notify (object);
  UPDATE (elsewhere_pid, pid, PROP_RUNNING_ELSEWHERE);
  UPDATE (elsewhere_port, port, PROP_RUNNING_ELSEWHERE_PORT);
  update_string (self, &self->elsewhere_summary, g_strdup (summary), PROP_RUNNING_ELSEWHERE_SUMMARY);
  g_object_thaw_notify (object);
}

/* Each connect or disconnect asked for starts a run: a step of an older
 * run that finishes late must not undo what a newer one did. */
guint
burrow_connection_next_run (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return ++self->run;
}

guint
burrow_connection_get_run (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->run;
}

/* What the running tunnel was built from: the profile's settings that the
 * tunnel depends on, to tell whether a change needs a reconnect. */
char *
burrow_connection_dup_settings_key (BurrowConnection *self)
{
  BurrowProfile *p;
  g_autofree char *jumps = NULL;

  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  p = self->profile;
  jumps = g_strjoinv (";", (char **)burrow_profile_get_jump_hosts (p));

  return g_strdup_printf ("%s:%u|%d|%s|%u|%s|%d|%s|%s|%u|%u",
                          burrow_profile_get_db_host (p), burrow_profile_get_db_port (p),
                          burrow_profile_get_tunnel_enabled (p),
                          burrow_profile_get_ssh_host (p), burrow_profile_get_ssh_port (p),
                          burrow_profile_get_ssh_user (p), burrow_profile_get_ssh_auth (p),
                          burrow_profile_get_ssh_key_file (p), jumps,
                          burrow_profile_get_keepalive_interval (p),
                          burrow_profile_get_local_port (p));
}

const char *
burrow_connection_get_running_key (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->running_key;
}

void
burrow_connection_set_running_key (BurrowConnection *self,
                                   const char       *key)
{
  g_return_if_fail (BURROW_IS_CONNECTION (self));

  g_free (self->running_key);
  self->running_key = g_strdup (key);
}

BurrowProfile *
burrow_connection_get_profile (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->profile;
}

const char *
burrow_connection_get_id (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return burrow_profile_get_id (self->profile);
}

const char *
burrow_connection_get_name (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->name;
}

char *
burrow_connection_dup_summary (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return g_strdup (self->summary);
}

/* Every hop on the way: see burrow_profile_dup_route(). */
char *
burrow_connection_dup_route (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return burrow_profile_dup_route (self->profile);
}

BurrowTunnelState
burrow_connection_get_state (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), BURROW_TUNNEL_STOPPED);

  return self->state;
}

guint
burrow_connection_get_attempt (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->attempt;
}

gint64
burrow_connection_get_next_try (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->next_try;
}

const char *
burrow_connection_get_local_address (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->local_address;
}

guint16
burrow_connection_get_local_port (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->local_port;
}

guint
burrow_connection_get_active_connections (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->active_connections;
}

guint64
burrow_connection_get_bytes_sent (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->bytes_sent;
}

guint64
burrow_connection_get_bytes_received (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->bytes_received;
}

const GError *
burrow_connection_get_error (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->error;
}

/* (nullable) (transfer none) */
BurrowHostKey *
burrow_connection_get_host_key (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->host_key;
}

gboolean
burrow_connection_get_busy (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), FALSE);

  return self->busy;
}

/* The pid of another Burrow process (burrowctl up, another window) that
 * runs this connection's tunnel, 0 when none does. */
guint
burrow_connection_get_running_elsewhere (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->elsewhere_pid;
}

guint16
burrow_connection_get_running_elsewhere_port (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), 0);

  return self->elsewhere_port;
}

/* "Runs in burrowctl (pid 4242) on 127.0.0.1:15432"; %NULL when it runs
 * nowhere else. */
const char *
burrow_connection_get_running_elsewhere_summary (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  return self->elsewhere_summary;
}

/* Whether a tunnel is up or on its way up (connecting, reconnecting). */
gboolean
burrow_connection_is_running (BurrowConnection *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION (self), FALSE);

  return self->state == BURROW_TUNNEL_CONNECTING ||
         self->state == BURROW_TUNNEL_UP ||
         self->state == BURROW_TUNNEL_RECONNECTING;
}

/**
 * burrow_connection_dup_connection_strings:
 *
 * Returns: (transfer full) (element-type BurrowDbConnectionString): the
 *   ready strings for this kind of database, to the address the tunnel
 *   listens on (or will), or to the database itself without a tunnel
 */
GPtrArray *
burrow_connection_dup_connection_strings (BurrowConnection *self)
{
  BurrowProfile *p;
  const char *db_host;
  guint16 port;

  g_return_val_if_fail (BURROW_IS_CONNECTION (self), NULL);

  p = self->profile;
  db_host = burrow_profile_get_db_host (p);

  if (!burrow_profile_get_tunnel_enabled (p))
    return burrow_db_kind_build_connection_strings (burrow_profile_get_db_kind (p), db_host, db_host,
                                                    burrow_profile_get_db_port (p),
                                                    burrow_profile_get_db_name (p),
                                                    burrow_profile_get_db_user (p));

  port = self->local_port != 0 ? self->local_port : burrow_profile_get_local_port (p);
  return burrow_db_kind_build_connection_strings (burrow_profile_get_db_kind (p), db_host, "127.0.0.1", port,
                                                  burrow_profile_get_db_name (p),
                                                  burrow_profile_get_db_user (p));
}
