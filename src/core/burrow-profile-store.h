/* burrow-profile-store.h — the connections, kept in connections.ini.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "burrow-profile.h"

G_BEGIN_DECLS

#define BURROW_PROFILE_STORE_ERROR (burrow_profile_store_error_quark ())

typedef enum
{
  BURROW_PROFILE_STORE_ERROR_NOT_FOUND,
  BURROW_PROFILE_STORE_ERROR_BROKEN_FILE,    /* moved aside; see the "file-problem" signal */
  BURROW_PROFILE_STORE_ERROR_NEWER_VERSION,  /* written by a newer Burrow: read-only */
  BURROW_PROFILE_STORE_ERROR_IO,
  BURROW_PROFILE_STORE_ERROR_NOT_AN_EXPORT,
} BurrowProfileStoreError;

GQuark burrow_profile_store_error_quark (void);

/* The version key of connections.ini that this Burrow writes. */
#define BURROW_PROFILE_STORE_VERSION 1

#define BURROW_TYPE_PROFILE_STORE (burrow_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProfileStore, burrow_profile_store, BURROW, PROFILE_STORE, GObject)

BurrowProfileStore *burrow_profile_store_new              (const char          *path);
const char         *burrow_profile_store_get_path         (BurrowProfileStore  *self);
gboolean            burrow_profile_store_load             (BurrowProfileStore  *self,
                                                           GError             **error);
BurrowProfile      *burrow_profile_store_lookup           (BurrowProfileStore  *self,
                                                           const char          *id);
BurrowProfile      *burrow_profile_store_find_by_name     (BurrowProfileStore  *self,
                                                           const char          *name);
GPtrArray          *burrow_profile_store_collect_errors   (BurrowProfileStore  *self,
                                                           BurrowProfile       *profile);
guint16             burrow_profile_store_suggest_local_port (BurrowProfileStore *self,
                                                           BurrowProfile       *profile);
gboolean            burrow_profile_store_check            (BurrowProfileStore  *self,
                                                           BurrowProfile       *profile,
                                                           GError             **error);
gboolean            burrow_profile_store_save             (BurrowProfileStore  *self,
                                                           BurrowProfile       *profile,
                                                           GError             **error);
void                burrow_profile_store_save_async       (BurrowProfileStore  *self,
                                                           BurrowProfile       *profile,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            burrow_profile_store_save_finish      (BurrowProfileStore  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                burrow_profile_store_remove_async     (BurrowProfileStore  *self,
                                                           const char          *id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            burrow_profile_store_remove_finish    (BurrowProfileStore  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
gboolean            burrow_profile_store_remove           (BurrowProfileStore  *self,
                                                           const char          *id,
                                                           GError             **error);
gboolean            burrow_profile_store_export           (BurrowProfileStore  *self,
                                                           const char * const  *ids,
                                                           const char          *path,
                                                           GError             **error);
GPtrArray          *burrow_profile_store_import           (BurrowProfileStore  *self,
                                                           const char          *path,
                                                           GError             **error);

G_END_DECLS
