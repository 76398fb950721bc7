/* burrow-identity.h — Burrow's own key pair, and how to put it on a bastion.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

#include "burrow-profile.h"

G_BEGIN_DECLS

#define BURROW_IDENTITY_ERROR (burrow_identity_error_quark ())

typedef enum
{
  BURROW_IDENTITY_ERROR_GENERATE,
  BURROW_IDENTITY_ERROR_CORRUPT,     /* the keyring item is not a key libssh can read */
  BURROW_IDENTITY_ERROR_NO_ROTATION, /* confirm without a rotation under way */
} BurrowIdentityError;

GQuark burrow_identity_error_quark (void);

/* One step of the bastion set-up (burrow_identity_dup_guide_steps()). */
typedef enum
{
  BURROW_GUIDE_STEP_ADMIN,        /* run by an administrator: its commands use sudo */
  BURROW_GUIDE_STEP_BECOME_USER,  /* switch to the bastion user for the steps after it */
  BURROW_GUIDE_STEP_AS_USER,      /* run as the bastion user */
  BURROW_GUIDE_STEP_ALTERNATIVE,  /* instead of the step before it */
  BURROW_GUIDE_STEP_NOTE,         /* something to check; nothing to run */
} BurrowGuideStepKind;

typedef struct
{
  BurrowGuideStepKind  kind;
  char                *title;        /* "Create the key file" */
  char                *explanation;  /* one or two sentences */
  char                *command;      /* shell lines, filled in; NULL for a note */
} BurrowGuideStep;

void burrow_guide_step_free (BurrowGuideStep *step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BurrowGuideStep, burrow_guide_step_free)

#define BURROW_TYPE_IDENTITY (burrow_identity_get_type ())

G_DECLARE_FINAL_TYPE (BurrowIdentity, burrow_identity, BURROW, IDENTITY, GObject)

void            burrow_identity_load_async               (GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
BurrowIdentity *burrow_identity_load_finish              (GAsyncResult        *result,
                                                          GError             **error);

const char     *burrow_identity_get_public_key           (BurrowIdentity      *self);
const char     *burrow_identity_get_previous_public_key  (BurrowIdentity      *self);
char           *burrow_identity_dup_fingerprint          (BurrowIdentity      *self);
ssh_key         burrow_identity_get_private_key          (BurrowIdentity      *self);
ssh_key         burrow_identity_get_previous_private_key (BurrowIdentity      *self);
char           *burrow_identity_dup_private_key_text     (BurrowIdentity      *self);

char           *burrow_identity_dup_restricted_line      (BurrowIdentity      *self,
                                                          const char          *host,
                                                          guint                port);
char           *burrow_identity_dup_guide                (BurrowIdentity      *self,
                                                          BurrowProfile       *profile);
GPtrArray      *burrow_identity_dup_guide_steps          (BurrowIdentity      *self,
                                                          BurrowProfile       *profile);
char           *burrow_identity_dup_guide_script         (BurrowIdentity      *self,
                                                          BurrowProfile       *profile);

void            burrow_identity_rotate_async             (BurrowIdentity      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean        burrow_identity_rotate_finish            (BurrowIdentity      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void            burrow_identity_confirm_rotation_async   (BurrowIdentity      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean        burrow_identity_confirm_rotation_finish  (BurrowIdentity      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
