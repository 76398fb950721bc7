/* burrow-profile.h — one connection: the database, the tunnel to it, and
 * the local endpoint.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "burrow-db-kind.h"

G_BEGIN_DECLS

/* How Burrow signs in to the bastion. The ids are those of connections.ini
 * and of burrowctl's --ssh-auth. */
typedef enum
{
  BURROW_PROFILE_AUTH_WORKSPACE_KEY,
  BURROW_PROFILE_AUTH_PRIVATE_KEY,   /* pasted; kept in the keyring */
  BURROW_PROFILE_AUTH_KEY_FILE,      /* a path Burrow remembers */
  BURROW_PROFILE_AUTH_AGENT,
  BURROW_PROFILE_AUTH_PASSWORD,
} BurrowProfileAuth;

#define BURROW_PROFILE_AUTH_LAST BURROW_PROFILE_AUTH_PASSWORD
#define BURROW_TYPE_PROFILE_AUTH (burrow_profile_auth_get_type ())

GType        burrow_profile_auth_get_type (void) G_GNUC_CONST;
const char  *burrow_profile_auth_to_id    (BurrowProfileAuth  auth);
gboolean     burrow_profile_auth_from_id  (const char        *id,
                                           BurrowProfileAuth *auth);

/* Each code names the field that is wrong, so that a form can put the
 * message beside it. */
#define BURROW_PROFILE_ERROR (burrow_profile_error_quark ())

typedef enum
{
  BURROW_PROFILE_ERROR_NAME,
  BURROW_PROFILE_ERROR_DUPLICATE_NAME,
  BURROW_PROFILE_ERROR_DB_HOST,
  BURROW_PROFILE_ERROR_DB_PORT,
  BURROW_PROFILE_ERROR_SSH_HOST,
  BURROW_PROFILE_ERROR_SSH_PORT,
  BURROW_PROFILE_ERROR_SSH_USER,
  BURROW_PROFILE_ERROR_SSH_KEY_FILE,
  BURROW_PROFILE_ERROR_JUMP_HOST,
  BURROW_PROFILE_ERROR_KEEPALIVE,
  BURROW_PROFILE_ERROR_LOCAL_PORT,
  BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN,
  BURROW_PROFILE_ERROR_INVALID_ENTRY,   /* a connections.ini group Burrow cannot read */
  BURROW_PROFILE_ERROR_DB_NAME,
  BURROW_PROFILE_ERROR_DB_USER,
} BurrowProfileError;

GQuark burrow_profile_error_quark (void);

#define BURROW_PROFILE_DEFAULT_SSH_PORT   22
#define BURROW_PROFILE_DEFAULT_KEEPALIVE  15
#define BURROW_PROFILE_MAX_KEEPALIVE      3600

#define BURROW_TYPE_PROFILE (burrow_profile_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProfile, burrow_profile, BURROW, PROFILE, GObject)

BurrowProfile      *burrow_profile_new                  (void);
BurrowProfile      *burrow_profile_new_with_id          (const char     *id);
BurrowProfile      *burrow_profile_copy                 (BurrowProfile  *self,
                                                         gboolean        new_id);
void                burrow_profile_assign               (BurrowProfile  *self,
                                                         BurrowProfile  *from);

const char         *burrow_profile_get_id               (BurrowProfile  *self);
const char         *burrow_profile_get_name             (BurrowProfile  *self);
void                burrow_profile_set_name             (BurrowProfile  *self,
                                                         const char     *name);

BurrowDbKind        burrow_profile_get_db_kind          (BurrowProfile  *self);
void                burrow_profile_set_db_kind          (BurrowProfile  *self,
                                                         BurrowDbKind    kind);
const char         *burrow_profile_get_db_host          (BurrowProfile  *self);
void                burrow_profile_set_db_host          (BurrowProfile  *self,
                                                         const char     *host);
guint               burrow_profile_get_db_port          (BurrowProfile  *self);
void                burrow_profile_set_db_port          (BurrowProfile  *self,
                                                         guint           port);
const char         *burrow_profile_get_db_name          (BurrowProfile  *self);
void                burrow_profile_set_db_name          (BurrowProfile  *self,
                                                         const char     *name);
const char         *burrow_profile_get_db_user          (BurrowProfile  *self);
void                burrow_profile_set_db_user          (BurrowProfile  *self,
                                                         const char     *user);

gboolean            burrow_profile_get_tunnel_enabled   (BurrowProfile  *self);
void                burrow_profile_set_tunnel_enabled   (BurrowProfile  *self,
                                                         gboolean        enabled);
const char         *burrow_profile_get_ssh_host         (BurrowProfile  *self);
void                burrow_profile_set_ssh_host         (BurrowProfile  *self,
                                                         const char     *host);
guint               burrow_profile_get_ssh_port         (BurrowProfile  *self);
void                burrow_profile_set_ssh_port         (BurrowProfile  *self,
                                                         guint           port);
const char         *burrow_profile_get_ssh_user         (BurrowProfile  *self);
void                burrow_profile_set_ssh_user         (BurrowProfile  *self,
                                                         const char     *user);
BurrowProfileAuth       burrow_profile_get_ssh_auth         (BurrowProfile  *self);
void                burrow_profile_set_ssh_auth         (BurrowProfile  *self,
                                                         BurrowProfileAuth   auth);
const char         *burrow_profile_get_ssh_key_file     (BurrowProfile  *self);
void                burrow_profile_set_ssh_key_file     (BurrowProfile  *self,
                                                         const char     *path);
const char * const *burrow_profile_get_jump_hosts       (BurrowProfile  *self);
void                burrow_profile_set_jump_hosts       (BurrowProfile  *self,
                                                         const char * const *jump_hosts);
GPtrArray          *burrow_profile_dup_parsed_jump_hosts (BurrowProfile *self,
                                                         GError        **error);
guint               burrow_profile_get_keepalive_interval (BurrowProfile *self);
void                burrow_profile_set_keepalive_interval (BurrowProfile *self,
                                                         guint           seconds);

gboolean            burrow_profile_get_local_port_auto  (BurrowProfile  *self);
void                burrow_profile_set_local_port_auto  (BurrowProfile  *self,
                                                         gboolean        automatic);
guint               burrow_profile_get_local_port       (BurrowProfile  *self);
void                burrow_profile_set_local_port       (BurrowProfile  *self,
                                                         guint           port);
gboolean            burrow_profile_get_connect_at_start (BurrowProfile  *self);
void                burrow_profile_set_connect_at_start (BurrowProfile  *self,
                                                         gboolean        connect_at_start);

char               *burrow_profile_dup_route            (BurrowProfile  *self);
char               *burrow_profile_dup_summary          (BurrowProfile  *self);

gboolean            burrow_profile_validate             (BurrowProfile  *self,
                                                         GError        **error);
GPtrArray          *burrow_profile_collect_errors       (BurrowProfile  *self);

gboolean            burrow_profile_load_from_key_file   (BurrowProfile  *self,
                                                         GKeyFile       *key_file,
                                                         const char     *group,
                                                         GError        **error);
void                burrow_profile_save_to_key_file     (BurrowProfile  *self,
                                                         GKeyFile       *key_file,
                                                         const char     *group);

G_END_DECLS
