/* burrow-secret-store.h — passwords, passphrases and keys, in the keyring
 * and nowhere else.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BURROW_SECRET_SCHEMA_NAME "io.github.burrowapp.Burrow.Secret"

/* The connection id under which the workspace key is kept. */
#define BURROW_SECRET_WORKSPACE_ID "workspace"

typedef enum
{
  BURROW_SECRET_DB_PASSWORD,
  BURROW_SECRET_SSH_PASSWORD,
  BURROW_SECRET_KEY_PASSPHRASE,
  BURROW_SECRET_PRIVATE_KEY,     /* a key pasted into Burrow, OpenSSH or PEM text */
  BURROW_SECRET_WORKSPACE_KEY,   /* Burrow's own key pair */
} BurrowSecretKind;

#define BURROW_SECRET_KIND_LAST BURROW_SECRET_WORKSPACE_KEY
#define BURROW_TYPE_SECRET_KIND (burrow_secret_kind_get_type ())

#define BURROW_SECRET_ERROR (burrow_secret_error_quark ())

typedef enum
{
  BURROW_SECRET_ERROR_NO_SERVICE,   /* no Secret Service on the session bus */
  BURROW_SECRET_ERROR_LOCKED,       /* the keyring is locked and stayed so */
  BURROW_SECRET_ERROR_FAILED,
} BurrowSecretError;

GQuark      burrow_secret_error_quark               (void);

GType       burrow_secret_kind_get_type             (void) G_GNUC_CONST;
const char *burrow_secret_kind_to_id                (BurrowSecretKind     kind);
char       *burrow_secret_dup_label                 (BurrowSecretKind     kind,
                                                     const char          *connection_name);

void        burrow_secret_store_store_async         (const char          *connection_id,
                                                     const char          *connection_name,
                                                     BurrowSecretKind     kind,
                                                     const char          *secret,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean    burrow_secret_store_store_finish        (GAsyncResult        *result,
                                                     GError             **error);

void        burrow_secret_store_lookup_async        (const char          *connection_id,
                                                     BurrowSecretKind     kind,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char       *burrow_secret_store_lookup_finish       (GAsyncResult        *result,
                                                     GError             **error);

void        burrow_secret_store_clear_async         (const char          *connection_id,
                                                     BurrowSecretKind     kind,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean    burrow_secret_store_clear_finish        (GAsyncResult        *result,
                                                     GError             **error);

void        burrow_secret_store_clear_all_async     (const char          *connection_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean    burrow_secret_store_clear_all_finish    (GAsyncResult        *result,
                                                     GError             **error);

void        burrow_secret_store_relabel_async       (const char          *connection_id,
                                                     const char          *connection_name,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean    burrow_secret_store_relabel_finish      (GAsyncResult        *result,
                                                     GError             **error);

/* Reading a secret typed or kept in a file: see burrow-secret-store.c. */
#define BURROW_SECRET_MAX_SIZE (1024 * 1024)

char       *burrow_secret_read_fd                   (int                  fd,
                                                     gboolean             one_line,
                                                     GError             **error);
char       *burrow_secret_read_file                 (const char          *path,
                                                     GError             **error);

void        burrow_secret_protect_process           (void);

void        burrow_secret_free                      (char                *secret);
void        burrow_secret_wipe_free                 (char                *secret);

G_END_DECLS
