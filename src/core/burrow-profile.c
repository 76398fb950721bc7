/* burrow-profile.c — one connection: the database, the tunnel to it, and
 * the local endpoint.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile holds no secret: passwords, passphrases and pasted keys live in
 * the keyring under the profile's id (burrow-secret-store.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-enum.h"
#include "burrow-profile.h"

struct _BurrowProfile
{
  GObject        parent_instance;

  char          *id;
  char          *name;

  BurrowDbKind   db_kind;
  char          *db_host;
  guint          db_port;
  char          *db_name;
  char          *db_user;

  gboolean       tunnel_enabled;
  char          *ssh_host;
  guint          ssh_port;
  char          *ssh_user;
  BurrowProfileAuth  ssh_auth;
  char          *ssh_key_file;
  GStrv          jump_hosts;
  guint          keepalive_interval;

  gboolean       local_port_auto;
  gboolean       connect_at_start;
  guint          local_port;
};

G_DEFINE_FINAL_TYPE (BurrowProfile, burrow_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DB_KIND,
  PROP_DB_HOST,
  PROP_DB_PORT,
  PROP_DB_NAME,
  PROP_DB_USER,
  PROP_TUNNEL_ENABLED,
  PROP_SSH_HOST,
  PROP_SSH_PORT,
  PROP_SSH_USER,
  PROP_SSH_AUTH,
  PROP_SSH_KEY_FILE,
  PROP_JUMP_HOSTS,
  PROP_KEEPALIVE_INTERVAL,
  PROP_LOCAL_PORT_AUTO,
  PROP_LOCAL_PORT,
  PROP_CONNECT_AT_START,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (burrow-profile-error-quark, burrow_profile_error)

GType
burrow_profile_auth_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { BURROW_PROFILE_AUTH_WORKSPACE_KEY, "BURROW_PROFILE_AUTH_WORKSPACE_KEY", "workspace-key" },
        { BURROW_PROFILE_AUTH_PRIVATE_KEY, "BURROW_PROFILE_AUTH_PRIVATE_KEY", "private-key" },
        { BURROW_PROFILE_AUTH_KEY_FILE, "BURROW_PROFILE_AUTH_KEY_FILE", "key-file" },
        { BURROW_PROFILE_AUTH_AGENT, "BURROW_PROFILE_AUTH_AGENT", "agent" },
        { BURROW_PROFILE_AUTH_PASSWORD, "BURROW_PROFILE_AUTH_PASSWORD", "password" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static ("BurrowProfileAuth", values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* The ids are the nicks of the enum type: one table for GObject and for
 * connections.ini. */
const char *
burrow_profile_auth_to_id (BurrowProfileAuth auth)
{
  const char *id = burrow_enum_to_id (BURROW_TYPE_PROFILE_AUTH, auth);

  g_return_val_if_fail (id != NULL, "workspace-key");

  return id;
}

/* Case does not matter: a hand-edited file may say "Password". */
gboolean
burrow_profile_auth_from_id (const char        *id,
                             BurrowProfileAuth *auth)
{
  int value;

  g_return_val_if_fail (auth != NULL, FALSE);

  if (!burrow_enum_from_id (BURROW_TYPE_PROFILE_AUTH, id, TRUE, &value))
    return FALSE;

  *auth = value;
  return TRUE;
}

static void
set_string (BurrowProfile  *self,
            char          **field,
            const char     *value,
            guint           prop)
{
  /* NULL and "" are the same to every reader of a profile. */
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (BurrowProfile *self,
          guint         *field,
          guint          value,
          guint          prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (BurrowProfile *self,
             gboolean      *field,
             gboolean       value,
             guint          prop)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
add_error (GPtrArray  *errors,
           int         code,
           const char *hint,
           const char *message)
{
  GError *error = NULL;

  burrow_set_error (&error, BURROW_PROFILE_ERROR, code, hint, "%s", message);
  g_ptr_array_add (errors, error);
}

static void
check_port (GPtrArray  *errors,
            guint       port,
            int         code,
            const char *what)
{
  if (port >= 1 && port <= 65535)
    return;

  {
    g_autofree char *message = g_strdup_printf (_("The %s port %u is out of range"), what, port);
    add_error (errors, code, _("A port is a number from 1 to 65535."), message);
  }
}

/* connections.ini skips a form feed or vertical tab at the start of a
 * value as a blank, and no name, user or path has a use for control
 * characters: refused rather than saved as something else. */
static void
check_no_control (GPtrArray  *errors,
                  const char *value,
                  int         code,
                  const char *message)
{
  if (value == NULL)
    return;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        {
          add_error (errors, code,
                     _("Remove the invisible characters (tabs, line breaks and the like) from it."),
                     message);
          return;
        }
    }
}

static void
check_host (GPtrArray  *errors,
            const char *host,
            int         code,
            const char *empty_message,
            const char *hint)
{
  g_autofree char *message = NULL;

  if (host == NULL)
    {
      add_error (errors, code, hint, empty_message);
      return;
    }

  if (burrow_host_name_is_valid (host))
    return;

  message = g_strdup_printf (_("“%s” is not a valid host name or address"), host);
  add_error (errors, code, hint, message);
}

static void
burrow_profile_finalize (GObject *object)
{
  BurrowProfile *self = (BurrowProfile *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->db_host, g_free);
  g_clear_pointer (&self->db_name, g_free);
  g_clear_pointer (&self->db_user, g_free);
  g_clear_pointer (&self->ssh_host, g_free);
  g_clear_pointer (&self->ssh_user, g_free);
  g_clear_pointer (&self->ssh_key_file, g_free);
  g_clear_pointer (&self->jump_hosts, g_strfreev);

  G_OBJECT_CLASS (burrow_profile_parent_class)->finalize (object);
}

static void
burrow_profile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BurrowProfile *self = BURROW_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DB_KIND: g_value_set_enum (value, self->db_kind); break;
    case PROP_DB_HOST: g_value_set_string (value, self->db_host); break;
    case PROP_DB_PORT: g_value_set_uint (value, self->db_port); break;
    case PROP_DB_NAME: g_value_set_string (value, self->db_name); break;
    case PROP_DB_USER: g_value_set_string (value, self->db_user); break;
    case PROP_TUNNEL_ENABLED: g_value_set_boolean (value, self->tunnel_enabled); break;
    case PROP_SSH_HOST: g_value_set_string (value, self->ssh_host); break;
    case PROP_SSH_PORT: g_value_set_uint (value, self->ssh_port); break;
    case PROP_SSH_USER: g_value_set_string (value, self->ssh_user); break;
    case PROP_SSH_AUTH: g_value_set_enum (value, self->ssh_auth); break;
    case PROP_SSH_KEY_FILE: g_value_set_string (value, self->ssh_key_file); break;
    case PROP_JUMP_HOSTS: g_value_set_boxed (value, self->jump_hosts); break;
    case PROP_KEEPALIVE_INTERVAL: g_value_set_uint (value, self->keepalive_interval); break;
    case PROP_LOCAL_PORT_AUTO: g_value_set_boolean (value, self->local_port_auto); break;
    case PROP_LOCAL_PORT: g_value_set_uint (value, self->local_port); break;
    case PROP_CONNECT_AT_START: g_value_set_boolean (value, self->connect_at_start); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_profile_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BurrowProfile *self = BURROW_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME: burrow_profile_set_name (self, g_value_get_string (value)); break;
    case PROP_DB_KIND: burrow_profile_set_db_kind (self, g_value_get_enum (value)); break;
    case PROP_DB_HOST: burrow_profile_set_db_host (self, g_value_get_string (value)); break;
    case PROP_DB_PORT: burrow_profile_set_db_port (self, g_value_get_uint (value)); break;
    case PROP_DB_NAME: burrow_profile_set_db_name (self, g_value_get_string (value)); break;
    case PROP_DB_USER: burrow_profile_set_db_user (self, g_value_get_string (value)); break;
    case PROP_TUNNEL_ENABLED: burrow_profile_set_tunnel_enabled (self, g_value_get_boolean (value)); break;
    case PROP_SSH_HOST: burrow_profile_set_ssh_host (self, g_value_get_string (value)); break;
    case PROP_SSH_PORT: burrow_profile_set_ssh_port (self, g_value_get_uint (value)); break;
    case PROP_SSH_USER: burrow_profile_set_ssh_user (self, g_value_get_string (value)); break;
    case PROP_SSH_AUTH: burrow_profile_set_ssh_auth (self, g_value_get_enum (value)); break;
    case PROP_SSH_KEY_FILE: burrow_profile_set_ssh_key_file (self, g_value_get_string (value)); break;
    case PROP_JUMP_HOSTS: burrow_profile_set_jump_hosts (self, g_value_get_boxed (value)); break;
    case PROP_KEEPALIVE_INTERVAL: burrow_profile_set_keepalive_interval (self, g_value_get_uint (value)); break;
    case PROP_LOCAL_PORT_AUTO: burrow_profile_set_local_port_auto (self, g_value_get_boolean (value)); break;
    case PROP_LOCAL_PORT: burrow_profile_set_local_port (self, g_value_get_uint (value)); break;
    case PROP_CONNECT_AT_START: burrow_profile_set_connect_at_start (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_profile_constructed (GObject *object)
{
  BurrowProfile *self = BURROW_PROFILE (object);

  G_OBJECT_CLASS (burrow_profile_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
burrow_profile_class_init (BurrowProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = burrow_profile_finalize;
  object_class->get_property = burrow_profile_get_property;
  object_class->set_property = burrow_profile_set_property;
  object_class->constructed = burrow_profile_constructed;

  /* Stable for the life of the connection: the keyring and the
   * connections.ini group are keyed by it, not by the name. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DB_KIND] =
    g_param_spec_enum ("db-kind", NULL, NULL, BURROW_TYPE_DB_KIND, BURROW_DB_KIND_POSTGRESQL, flags);
  /* As seen from the bastion. */
  properties[PROP_DB_HOST] = g_param_spec_string ("db-host", NULL, NULL, NULL, flags);
  properties[PROP_DB_PORT] = g_param_spec_uint ("db-port", NULL, NULL, 0, G_MAXUINT, 5432, flags);
  properties[PROP_DB_NAME] = g_param_spec_string ("db-name", NULL, NULL, NULL, flags);
  properties[PROP_DB_USER] = g_param_spec_string ("db-user", NULL, NULL, NULL, flags);
  properties[PROP_TUNNEL_ENABLED] = g_param_spec_boolean ("tunnel-enabled", NULL, NULL, TRUE, flags);
  properties[PROP_SSH_HOST] = g_param_spec_string ("ssh-host", NULL, NULL, NULL, flags);
  properties[PROP_SSH_PORT] =
    g_param_spec_uint ("ssh-port", NULL, NULL, 0, G_MAXUINT, BURROW_PROFILE_DEFAULT_SSH_PORT, flags);
  properties[PROP_SSH_USER] = g_param_spec_string ("ssh-user", NULL, NULL, NULL, flags);
  properties[PROP_SSH_AUTH] =
    g_param_spec_enum ("ssh-auth", NULL, NULL, BURROW_TYPE_PROFILE_AUTH, BURROW_PROFILE_AUTH_WORKSPACE_KEY, flags);
  properties[PROP_SSH_KEY_FILE] = g_param_spec_string ("ssh-key-file", NULL, NULL, NULL, flags);
  /* Each USER@HOST:PORT, outermost first. */
  properties[PROP_JUMP_HOSTS] = g_param_spec_boxed ("jump-hosts", NULL, NULL, G_TYPE_STRV, flags);
  /* Seconds between keepalives; 0 turns them off. Any number is kept, and
   * one above BURROW_PROFILE_MAX_KEEPALIVE is reported by validation. */
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, G_MAXUINT, BURROW_PROFILE_DEFAULT_KEEPALIVE, flags);
  properties[PROP_LOCAL_PORT_AUTO] = g_param_spec_boolean ("local-port-auto", NULL, NULL, TRUE, flags);
  /* With local-port-auto, 0 until the store has chosen one. */
  properties[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* Brought up when Burrow starts (burrow_engine_connect_at_start_async()). */
  properties[PROP_CONNECT_AT_START] = g_param_spec_boolean ("connect-at-start", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_profile_init (BurrowProfile *self)
{
  self->db_kind = BURROW_DB_KIND_POSTGRESQL;
  self->db_port = burrow_db_kind_get_default_port (BURROW_DB_KIND_POSTGRESQL);
  self->tunnel_enabled = TRUE;
  self->ssh_port = BURROW_PROFILE_DEFAULT_SSH_PORT;
  self->ssh_auth = BURROW_PROFILE_AUTH_WORKSPACE_KEY;
  self->keepalive_interval = BURROW_PROFILE_DEFAULT_KEEPALIVE;
  self->local_port_auto = TRUE;
}

BurrowProfile *
burrow_profile_new (void)
{
  return g_object_new (BURROW_TYPE_PROFILE, NULL);
}

BurrowProfile *
burrow_profile_new_with_id (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (BURROW_TYPE_PROFILE, "id", id, NULL);
}

/* Every field but the id from @from, each notified only if it changed. */
void
burrow_profile_assign (BurrowProfile *self,
                       BurrowProfile *from)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  g_return_if_fail (BURROW_IS_PROFILE (from));

  g_object_freeze_notify (G_OBJECT (self));
  burrow_profile_set_name (self, from->name);
  burrow_profile_set_db_kind (self, from->db_kind);
  burrow_profile_set_db_host (self, from->db_host);
  burrow_profile_set_db_port (self, from->db_port);
  burrow_profile_set_db_name (self, from->db_name);
  burrow_profile_set_db_user (self, from->db_user);
  burrow_profile_set_tunnel_enabled (self, from->tunnel_enabled);
  burrow_profile_set_ssh_host (self, from->ssh_host);
  burrow_profile_set_ssh_port (self, from->ssh_port);
  burrow_profile_set_ssh_user (self, from->ssh_user);
  burrow_profile_set_ssh_auth (self, from->ssh_auth);
  burrow_profile_set_ssh_key_file (self, from->ssh_key_file);
  burrow_profile_set_jump_hosts (self, (const char * const *)from->jump_hosts);
  burrow_profile_set_keepalive_interval (self, from->keepalive_interval);
  burrow_profile_set_local_port_auto (self, from->local_port_auto);
  burrow_profile_set_local_port (self, from->local_port);
  burrow_profile_set_connect_at_start (self, from->connect_at_start);
  g_object_thaw_notify (G_OBJECT (self));
}

/* A form edits a copy and assigns it back on Save; @new_id gives a
 * duplicate that is a connection of its own. */
BurrowProfile *
burrow_profile_copy (BurrowProfile *self,
                     gboolean       new_id)
{
  BurrowProfile *copy;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);

  copy = new_id ? burrow_profile_new () : burrow_profile_new_with_id (self->id);
  burrow_profile_assign (copy, self);

  return copy;
}

const char *
burrow_profile_get_id (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->id;
}

const char *
burrow_profile_get_name (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->name;
}

void
burrow_profile_set_name (BurrowProfile *self,
                         const char    *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (BURROW_IS_PROFILE (self));

  /* Names are matched on the command line: stray blanks would make two
   * connections that look the same. */
  if (name != NULL)
    stripped = g_strstrip (g_strdup (name));
  set_string (self, &self->name, stripped, PROP_NAME);
}

BurrowDbKind
burrow_profile_get_db_kind (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), BURROW_DB_KIND_OTHER);
  return self->db_kind;
}

void
burrow_profile_set_db_kind (BurrowProfile *self,
                            BurrowDbKind   kind)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  g_return_if_fail (kind <= BURROW_DB_KIND_LAST);

  if (self->db_kind == kind)
    return;

  self->db_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_KIND]);
}

const char *
burrow_profile_get_db_host (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->db_host;
}

void
burrow_profile_set_db_host (BurrowProfile *self,
                            const char    *host)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->db_host, host, PROP_DB_HOST);
}

guint
burrow_profile_get_db_port (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), 0);
  return self->db_port;
}

void
burrow_profile_set_db_port (BurrowProfile *self,
                            guint          port)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_uint (self, &self->db_port, port, PROP_DB_PORT);
}

const char *
burrow_profile_get_db_name (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->db_name;
}

void
burrow_profile_set_db_name (BurrowProfile *self,
                            const char    *name)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->db_name, name, PROP_DB_NAME);
}

const char *
burrow_profile_get_db_user (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->db_user;
}

void
burrow_profile_set_db_user (BurrowProfile *self,
                            const char    *user)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->db_user, user, PROP_DB_USER);
}

gboolean
burrow_profile_get_tunnel_enabled (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), FALSE);
  return self->tunnel_enabled;
}

void
burrow_profile_set_tunnel_enabled (BurrowProfile *self,
                                   gboolean       enabled)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_boolean (self, &self->tunnel_enabled, enabled, PROP_TUNNEL_ENABLED);
}

const char *
burrow_profile_get_ssh_host (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->ssh_host;
}

void
burrow_profile_set_ssh_host (BurrowProfile *self,
                             const char    *host)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->ssh_host, host, PROP_SSH_HOST);
}

guint
burrow_profile_get_ssh_port (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), 0);
  return self->ssh_port;
}

void
burrow_profile_set_ssh_port (BurrowProfile *self,
                             guint          port)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_uint (self, &self->ssh_port, port, PROP_SSH_PORT);
}

const char *
burrow_profile_get_ssh_user (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->ssh_user;
}

void
burrow_profile_set_ssh_user (BurrowProfile *self,
                             const char    *user)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->ssh_user, user, PROP_SSH_USER);
}

BurrowProfileAuth
burrow_profile_get_ssh_auth (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  return self->ssh_auth;
}

void
burrow_profile_set_ssh_auth (BurrowProfile *self,
                             BurrowProfileAuth  auth)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  g_return_if_fail (auth <= BURROW_PROFILE_AUTH_LAST);

  if (self->ssh_auth == auth)
    return;

  self->ssh_auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SSH_AUTH]);
}

const char *
burrow_profile_get_ssh_key_file (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);
  return self->ssh_key_file;
}

void
burrow_profile_set_ssh_key_file (BurrowProfile *self,
                                 const char    *path)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_string (self, &self->ssh_key_file, path, PROP_SSH_KEY_FILE);
}

/* Never NULL: an empty list when there are no jump hosts. */
const char * const *
burrow_profile_get_jump_hosts (BurrowProfile *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (BURROW_IS_PROFILE (self), none);

  return self->jump_hosts != NULL ? (const char * const *)self->jump_hosts : none;
}

void
burrow_profile_set_jump_hosts (BurrowProfile      *self,
                               const char * const *jump_hosts)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) cleaned = NULL;

  g_return_if_fail (BURROW_IS_PROFILE (self));

  for (guint i = 0; jump_hosts != NULL && jump_hosts[i] != NULL; i++)
    {
      g_autofree char *hop = g_strstrip (g_strdup (jump_hosts[i]));

      if (*hop != '\0')
        g_strv_builder_add (builder, hop);
    }
  cleaned = g_strv_builder_end (builder);

  if (g_strv_equal ((const char * const *)cleaned, burrow_profile_get_jump_hosts (self)))
    return;

  g_strfreev (self->jump_hosts);
  self->jump_hosts = cleaned[0] != NULL ? g_steal_pointer (&cleaned) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JUMP_HOSTS]);
}

/* The jump hosts as BurrowJumpHost, outermost first; NULL and @error on
 * the first one that does not parse. */
GPtrArray *
burrow_profile_dup_parsed_jump_hosts (BurrowProfile  *self,
                                      GError        **error)
{
  g_autoptr(GPtrArray) hops = g_ptr_array_new_with_free_func ((GDestroyNotify)burrow_jump_host_free);
  const char * const *texts;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);

  texts = burrow_profile_get_jump_hosts (self);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      BurrowJumpHost *hop = burrow_jump_host_parse (texts[i], error);

      if (hop == NULL)
        return NULL;
      g_ptr_array_add (hops, hop);
    }

  return g_steal_pointer (&hops);
}

guint
burrow_profile_get_keepalive_interval (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), 0);
  return self->keepalive_interval;
}

void
burrow_profile_set_keepalive_interval (BurrowProfile *self,
                                       guint          seconds)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_uint (self, &self->keepalive_interval, seconds, PROP_KEEPALIVE_INTERVAL);
}

gboolean
burrow_profile_get_local_port_auto (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), TRUE);
  return self->local_port_auto;
}

void
burrow_profile_set_local_port_auto (BurrowProfile *self,
                                    gboolean       automatic)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_boolean (self, &self->local_port_auto, automatic, PROP_LOCAL_PORT_AUTO);
}

guint
burrow_profile_get_local_port (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), 0);
  return self->local_port;
}

void
burrow_profile_set_local_port (BurrowProfile *self,
                               guint          port)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_uint (self, &self->local_port, port, PROP_LOCAL_PORT);
}

gboolean
burrow_profile_get_connect_at_start (BurrowProfile *self)
{
  g_return_val_if_fail (BURROW_IS_PROFILE (self), FALSE);
  return self->connect_at_start;
}

void
burrow_profile_set_connect_at_start (BurrowProfile *self,
                                     gboolean       connect_at_start)
{
  g_return_if_fail (BURROW_IS_PROFILE (self));
  set_boolean (self, &self->connect_at_start, connect_at_start, PROP_CONNECT_AT_START);
}

/* Every problem of the profile on its own, one GError per field, in form
 * order. Problems between connections (duplicate names, a local port taken
 * twice) are the store's to find: burrow_profile_store_check (). */
GPtrArray *
burrow_profile_collect_errors (BurrowProfile *self)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);

  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);

  if (self->name == NULL)
    add_error (errors, BURROW_PROFILE_ERROR_NAME,
               _("Give the connection a name, for example “Sales warehouse”."),
               _("The connection has no name"));
  /* connections.ini holds text: a name or a path that is not UTF-8 would
   * be written, then read back as nothing. */
  else if (!g_utf8_validate (self->name, -1, NULL))
    add_error (errors, BURROW_PROFILE_ERROR_NAME,
               _("Type the name again; it holds bytes that are not text."),
               _("The connection name is not valid text"));

  check_host (errors, self->db_host, BURROW_PROFILE_ERROR_DB_HOST,
              _("The database host is empty"),
              _("Enter the database’s host name or address as the bastion sees it, for example db.internal."));
  check_port (errors, self->db_port, BURROW_PROFILE_ERROR_DB_PORT, _("database"));
  check_no_control (errors, self->db_name, BURROW_PROFILE_ERROR_DB_NAME,
                    _("The database name holds a control character"));
  check_no_control (errors, self->db_user, BURROW_PROFILE_ERROR_DB_USER,
                    _("The database user holds a control character"));

  if (self->tunnel_enabled)
    {
      check_host (errors, self->ssh_host, BURROW_PROFILE_ERROR_SSH_HOST,
                  _("The bastion host is empty"),
                  _("Enter the bastion’s host name or address, for example bastion.example.com."));
      check_port (errors, self->ssh_port, BURROW_PROFILE_ERROR_SSH_PORT, _("SSH"));

      if (self->ssh_user != NULL && !burrow_user_name_is_valid (self->ssh_user))
        add_error (errors, BURROW_PROFILE_ERROR_SSH_USER,
                   _("A user name on the bastion is a login name: lower-case letters, digits, “_”, “.” and “-”, "
                     "starting with a letter or “_”, at most 32 characters."),
                   _("The bastion user name is not valid"));

      if (self->ssh_auth == BURROW_PROFILE_AUTH_KEY_FILE && self->ssh_key_file == NULL)
        add_error (errors, BURROW_PROFILE_ERROR_SSH_KEY_FILE,
                   _("Choose the private key file, or pick another way to sign in."),
                   _("No key file is set"));

    }
  else
    {
      /* Kept in the file for when the tunnel is turned on again. */
      check_no_control (errors, self->ssh_host, BURROW_PROFILE_ERROR_SSH_HOST,
                        _("The bastion host holds a control character"));
      check_no_control (errors, self->ssh_user, BURROW_PROFILE_ERROR_SSH_USER,
                        _("The bastion user name holds a control character"));
    }

  check_no_control (errors, self->ssh_key_file, BURROW_PROFILE_ERROR_SSH_KEY_FILE,
                    _("The key file’s path holds a control character"));

  if (self->ssh_key_file != NULL && !g_utf8_validate (self->ssh_key_file, -1, NULL))
    {
      g_autofree char *shown = g_filename_display_name (self->ssh_key_file);
      g_autofree char *message = g_strdup_printf (_("The name of the key file %s is not valid text"), shown);

      add_error (errors, BURROW_PROFILE_ERROR_SSH_KEY_FILE,
                 _("Rename the key file so that its name is UTF-8 text, or paste the key instead."),
                 message);
    }

  /* Checked even with the tunnel off: a hop that does not parse is wrong
   * input, and would be found wrong only when the tunnel is turned on. */
  {
    g_autoptr(GError) hop_error = NULL;
    g_autoptr(GPtrArray) hops = burrow_profile_dup_parsed_jump_hosts (self, &hop_error);

    if (hops == NULL)
      g_ptr_array_add (errors, g_steal_pointer (&hop_error));
  }

  /* A value that was cut down silently would not be the one the user
   * typed; an hour is far beyond any idle timeout worth beating. */
  if (self->keepalive_interval > BURROW_PROFILE_MAX_KEEPALIVE)
    {
      g_autofree char *message =
        g_strdup_printf (_("A keepalive every %u seconds is too rare to keep the tunnel open"),
                         self->keepalive_interval);
      g_autofree char *hint =
        g_strdup_printf (_("Choose at most %u seconds (one hour), or 0 to send no keepalives."),
                         BURROW_PROFILE_MAX_KEEPALIVE);

      add_error (errors, BURROW_PROFILE_ERROR_KEEPALIVE, hint, message);
    }

  if (!self->local_port_auto || self->local_port != 0)
    check_port (errors, self->local_port, BURROW_PROFILE_ERROR_LOCAL_PORT, _("local"));

  return g_steal_pointer (&errors);
}

/**
 * burrow_profile_dup_route:
 *
 * Every hop from here to the bastion, as scripts and `burrowctl list`
 * show them: "ops@jump.example.com:2222 → burrow@bastion.example.com:22",
 * or "direct" without a tunnel.
 */
char *
burrow_profile_dup_route (BurrowProfile *self)
{
  g_autoptr(GString) route = g_string_new (NULL);
  g_autoptr(BurrowJumpHost) bastion = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);

  if (!self->tunnel_enabled)
    return g_strdup (_("direct"));

  /* A hop that does not parse is shown as written: the form says what
   * is wrong with it. */
  for (guint i = 0; self->jump_hosts != NULL && self->jump_hosts[i] != NULL; i++)
    {
      g_autoptr(BurrowJumpHost) hop = burrow_jump_host_parse (self->jump_hosts[i], NULL);
      g_autofree char *text = hop != NULL ? burrow_jump_host_to_string (hop) : g_strdup (self->jump_hosts[i]);

      g_string_append_printf (route, "%s → ", text);
    }

  bastion = burrow_jump_host_new (self->ssh_user,
                                  self->ssh_host != NULL && *self->ssh_host != '\0' ? self->ssh_host : "?",
                                  self->ssh_port);
  last = burrow_jump_host_to_string (bastion);
  g_string_append (route, last);

  return g_string_free (g_steal_pointer (&route), FALSE);
}

/**
 * burrow_profile_dup_summary:
 *
 * One line for a list: "PostgreSQL · via bastion.example.com", "MySQL ·
 * via bastion.example.com and 2 jump hosts", "PostgreSQL · direct".
 */
char *
burrow_profile_dup_summary (BurrowProfile *self)
{
  const char *kind;
  guint n_jumps;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), NULL);

  kind = burrow_db_kind_get_display_name (self->db_kind);
  n_jumps = self->jump_hosts != NULL ? g_strv_length (self->jump_hosts) : 0;

  if (!self->tunnel_enabled)
    /* Translators: a database kind, then how Burrow reaches it. */
    return g_strdup_printf (_("%s · direct"), kind);

  if (n_jumps == 0)
    /* Translators: a database kind, then the bastion's host name. */
    return g_strdup_printf (_("%s · via %s"), kind, self->ssh_host != NULL ? self->ssh_host : "?");

  /* Translators: a database kind, the bastion's host name, then how many
   * jump hosts come before it. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · via %s and %u jump host",
                                       "%s · via %s and %u jump hosts", n_jumps),
                          kind, self->ssh_host != NULL ? self->ssh_host : "?", n_jumps);
}

gboolean
burrow_profile_validate (BurrowProfile  *self,
                         GError        **error)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), FALSE);

  errors = burrow_profile_collect_errors (self);
  if (errors->len == 0)
    return TRUE;

  g_propagate_error (error, g_error_copy (g_ptr_array_index (errors, 0)));
  return FALSE;
}

/* Keys of a connection group in connections.ini; the README documents
 * them. Keys Burrow does not know are left where they are. */
#define KEY_NAME "name"
#define KEY_DB_KIND "db-kind"
#define KEY_DB_HOST "db-host"
#define KEY_DB_PORT "db-port"
#define KEY_DB_NAME "db-name"
#define KEY_DB_USER "db-user"
#define KEY_TUNNEL "ssh-tunnel"
#define KEY_SSH_HOST "ssh-host"
#define KEY_SSH_PORT "ssh-port"
#define KEY_SSH_USER "ssh-user"
#define KEY_SSH_AUTH "ssh-auth"
#define KEY_SSH_KEY_FILE "ssh-key-file"
#define KEY_JUMP_HOSTS "jump-hosts"
#define KEY_KEEPALIVE "keepalive-interval"
#define KEY_LOCAL_PORT "local-port"
#define KEY_CONNECT_AT_START "connect-at-start"

static void
set_or_remove_string (GKeyFile   *key_file,
                      const char *group,
                      const char *key,
                      const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);
}

void
burrow_profile_save_to_key_file (BurrowProfile *self,
                                 GKeyFile      *key_file,
                                 const char    *group)
{
  const char * const *hops;

  g_return_if_fail (BURROW_IS_PROFILE (self));
  g_return_if_fail (key_file != NULL);
  g_return_if_fail (group != NULL);

  set_or_remove_string (key_file, group, KEY_NAME, self->name);
  g_key_file_set_string (key_file, group, KEY_DB_KIND, burrow_db_kind_to_id (self->db_kind));
  set_or_remove_string (key_file, group, KEY_DB_HOST, self->db_host);
  g_key_file_set_uint64 (key_file, group, KEY_DB_PORT, self->db_port);
  set_or_remove_string (key_file, group, KEY_DB_NAME, self->db_name);
  set_or_remove_string (key_file, group, KEY_DB_USER, self->db_user);
  g_key_file_set_boolean (key_file, group, KEY_TUNNEL, self->tunnel_enabled);
  set_or_remove_string (key_file, group, KEY_SSH_HOST, self->ssh_host);
  g_key_file_set_uint64 (key_file, group, KEY_SSH_PORT, self->ssh_port);
  set_or_remove_string (key_file, group, KEY_SSH_USER, self->ssh_user);
  g_key_file_set_string (key_file, group, KEY_SSH_AUTH, burrow_profile_auth_to_id (self->ssh_auth));
  set_or_remove_string (key_file, group, KEY_SSH_KEY_FILE, self->ssh_key_file);

  hops = burrow_profile_get_jump_hosts (self);
  if (hops[0] != NULL)
    g_key_file_set_string_list (key_file, group, KEY_JUMP_HOSTS, hops, g_strv_length ((GStrv)hops));
  else
    g_key_file_remove_key (key_file, group, KEY_JUMP_HOSTS, NULL);

  g_key_file_set_uint64 (key_file, group, KEY_KEEPALIVE, self->keepalive_interval);

  /* "auto" alone until a port is chosen, then "auto:15432": the port is
   * remembered, and still follows the user's choice of automatic. */
  if (self->local_port_auto && self->local_port == 0)
    g_key_file_set_string (key_file, group, KEY_LOCAL_PORT, "auto");
  else if (self->local_port_auto)
    {
      g_autofree char *value = g_strdup_printf ("auto:%u", self->local_port);
      g_key_file_set_string (key_file, group, KEY_LOCAL_PORT, value);
    }
  else
    g_key_file_set_uint64 (key_file, group, KEY_LOCAL_PORT, self->local_port);

  /* Written only where it is on: most connections are brought up by hand. */
  if (self->connect_at_start)
    g_key_file_set_boolean (key_file, group, KEY_CONNECT_AT_START, TRUE);
  else
    g_key_file_remove_key (key_file, group, KEY_CONNECT_AT_START, NULL);
}

static gboolean
read_uint (GKeyFile    *key_file,
           const char  *group,
           const char  *key,
           guint        fallback,
           guint       *out,
           GError     **error)
{
  g_autofree char *text = g_key_file_get_string (key_file, group, key, NULL);
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &value, NULL))
    {
      burrow_set_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_INVALID_ENTRY,
                        _("Correct the value in connections.ini, or remove the line to use the default."),
                        _("“%s” in [%s] is not a number"), key, group);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static void
set_entry_error (GError     **error,
                 const char  *group,
                 const char  *key,
                 const char  *value)
{
  burrow_set_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_INVALID_ENTRY,
                    _("Correct the value in connections.ini, or remove the line to use the default."),
                    _("“%s” in [%s] has a value Burrow does not know: “%s”"), key, group, value);
}

/* true or false; @fallback when the key is not there. */
static gboolean
read_boolean (GKeyFile    *key_file,
              const char  *group,
              const char  *key,
              gboolean     fallback,
              gboolean    *out,
              GError     **error)
{
  g_autofree char *text = g_key_file_get_string (key_file, group, key, NULL);
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  *out = g_key_file_get_boolean (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      set_entry_error (error, group, key, text);
      return FALSE;
    }

  return TRUE;
}

/* Reads every field from @group; on error @self is left untouched, so
 * that a bad edit by hand never half-applies. */
gboolean
burrow_profile_load_from_key_file (BurrowProfile  *self,
                                   GKeyFile       *key_file,
                                   const char     *group,
                                   GError        **error)
{
  g_autoptr(BurrowProfile) read = NULL;
  g_autofree char *kind_id = NULL;
  g_autofree char *auth_id = NULL;
  g_autofree char *local_port = NULL;
  g_auto(GStrv) hops = NULL;
  gboolean flag;
  guint port;

  g_return_val_if_fail (BURROW_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (key_file != NULL, FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  read = burrow_profile_new_with_id (self->id);

  {
    g_autofree char *name = g_key_file_get_string (key_file, group, KEY_NAME, NULL);
    g_autofree char *db_host = g_key_file_get_string (key_file, group, KEY_DB_HOST, NULL);
    g_autofree char *db_name = g_key_file_get_string (key_file, group, KEY_DB_NAME, NULL);
    g_autofree char *db_user = g_key_file_get_string (key_file, group, KEY_DB_USER, NULL);
    g_autofree char *ssh_host = g_key_file_get_string (key_file, group, KEY_SSH_HOST, NULL);
    g_autofree char *ssh_user = g_key_file_get_string (key_file, group, KEY_SSH_USER, NULL);
    g_autofree char *key_path = g_key_file_get_string (key_file, group, KEY_SSH_KEY_FILE, NULL);

    burrow_profile_set_name (read, name);
    burrow_profile_set_db_host (read, db_host);
    burrow_profile_set_db_name (read, db_name);
    burrow_profile_set_db_user (read, db_user);
    burrow_profile_set_ssh_host (read, ssh_host);
    burrow_profile_set_ssh_user (read, ssh_user);
    burrow_profile_set_ssh_key_file (read, key_path);
  }

  kind_id = g_key_file_get_string (key_file, group, KEY_DB_KIND, NULL);
  if (kind_id != NULL)
    {
      BurrowDbKind kind;

      if (!burrow_db_kind_from_id (kind_id, &kind))
        {
          set_entry_error (error, group, KEY_DB_KIND, kind_id);
          return FALSE;
        }
      burrow_profile_set_db_kind (read, kind);
    }

  if (!read_uint (key_file, group, KEY_DB_PORT, burrow_db_kind_get_default_port (read->db_kind), &port, error))
    return FALSE;
  burrow_profile_set_db_port (read, port);

  if (!read_boolean (key_file, group, KEY_TUNNEL, read->tunnel_enabled, &flag, error))
    return FALSE;
  burrow_profile_set_tunnel_enabled (read, flag);

  if (!read_uint (key_file, group, KEY_SSH_PORT, BURROW_PROFILE_DEFAULT_SSH_PORT, &port, error))
    return FALSE;
  burrow_profile_set_ssh_port (read, port);

  auth_id = g_key_file_get_string (key_file, group, KEY_SSH_AUTH, NULL);
  if (auth_id != NULL)
    {
      BurrowProfileAuth auth;

      if (!burrow_profile_auth_from_id (auth_id, &auth))
        {
          set_entry_error (error, group, KEY_SSH_AUTH, auth_id);
          return FALSE;
        }
      burrow_profile_set_ssh_auth (read, auth);
    }

  hops = g_key_file_get_string_list (key_file, group, KEY_JUMP_HOSTS, NULL, NULL);
  burrow_profile_set_jump_hosts (read, (const char * const *)hops);

  if (!read_uint (key_file, group, KEY_KEEPALIVE, BURROW_PROFILE_DEFAULT_KEEPALIVE, &port, error))
    return FALSE;
  burrow_profile_set_keepalive_interval (read, port);

  local_port = g_key_file_get_string (key_file, group, KEY_LOCAL_PORT, NULL);
  if (local_port != NULL)
    {
      const char *number = g_strstrip (local_port);
      gboolean automatic = FALSE;
      guint64 value = 0;

      if (g_str_has_prefix (number, "auto"))
        {
          automatic = TRUE;
          number += strlen ("auto");
          if (*number == ':')
            number++;
          else if (*number != '\0')
            number = "x";
        }

      if (*number != '\0' &&
          !g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT, &value, NULL))
        {
          set_entry_error (error, group, KEY_LOCAL_PORT, local_port);
          return FALSE;
        }
      burrow_profile_set_local_port_auto (read, automatic);
      burrow_profile_set_local_port (read, value);
    }

  if (!read_boolean (key_file, group, KEY_CONNECT_AT_START, FALSE, &flag, error))
    return FALSE;
  burrow_profile_set_connect_at_start (read, flag);

  burrow_profile_assign (self, read);
  return TRUE;
}
