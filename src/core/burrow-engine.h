/* burrow-engine.h — the one object the window, the tray and burrowctl hold.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine owns everything between a saved connection and a running
 * tunnel: the profile store (connections.ini), the keyring, Burrow's own
 * key, the known_hosts file and the tunnel manager, and it watches the
 * network and resume from sleep once for every SSH chain. Nothing above
 * src/core builds a chain, a tunnel or a probe by hand: it calls these.
 *
 * The connections are a GListModel of BurrowConnection, in the order of
 * connections.ini, kept up to date when another process (burrowctl, a
 * second window) changes the file. The tunnels other Burrow processes run
 * are followed too (BurrowConnection:running-elsewhere), so that a
 * connect whose port is taken says by whom.
 *
 * Every operation is an _async/_finish pair with a GCancellable, runs on
 * the thread-default GMainContext of the thread that made the engine, and
 * never blocks it (keyring calls are libsecret's async ones; file writes
 * and key decryption run in GTask threads). Errors carry a cause and a
 * hint (burrow-error.h).
 *
 * Questions. When the bastion asks for more than Burrow stores (a
 * one-time code), when a key file needs a passphrase that is not stored,
 * or when burrow_engine_trust_async() meets an unknown host key, the
 * engine emits "ask" with a BurrowQuestion. A handler that will answer
 * it, now or later, returns TRUE; when no handler does, the question is
 * cancelled at once and the sign-in fails with a clear error. Answers are
 * never stored.
 *
 * Properties: "n-running" (uint), the connections up or on their way up;
 * "io-priority" (int), the main-loop priority of the tunnels' I/O
 * (burrow_engine_set_io_priority).
 *
 * Signals: "ask" (BurrowQuestion) → gboolean handled, as above;
 * "file-problem" (GError) when connections.ini could not be read whole
 * (it was moved aside; the message says where).
 *
 * The awake-wait poll (burrow-poll.h) is not installed by the engine:
 * the program that owns the loop decides (burrowctl up does; a process
 * that draws a window must not).
 */

#pragma once

#include <gio/gio.h>

#include "burrow-connection.h"
#include "burrow-credentials.h"
#include "burrow-host-key.h"
#include "burrow-identity.h"
#include "burrow-probe.h"
#include "burrow-profile-store.h"
#include "burrow-question.h"
#include "burrow-ssh-config.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_ENGINE_REMOVE_DEFAULT      = 0,
  /* Keep the keyring items, for an undo: saving the same profile again
   * brings the connection back whole; forget_secrets_async() ends it. */
  BURROW_ENGINE_REMOVE_KEEP_SECRETS = 1 << 0,
} BurrowEngineRemoveFlags;

#define BURROW_TYPE_ENGINE (burrow_engine_get_type ())

G_DECLARE_FINAL_TYPE (BurrowEngine, burrow_engine, BURROW, ENGINE, GObject)

BurrowEngine       *burrow_engine_new                      (void);
gboolean            burrow_engine_load                     (BurrowEngine            *self,
                                                            GError                 **error);

/* What there is. */
GListModel         *burrow_engine_get_connections          (BurrowEngine            *self);
BurrowConnection   *burrow_engine_lookup                   (BurrowEngine            *self,
                                                            const char              *id);
BurrowConnection   *burrow_engine_find_by_name             (BurrowEngine            *self,
                                                            const char              *name,
                                                            GError                 **error);
BurrowProfileStore *burrow_engine_get_store                (BurrowEngine            *self);
const char         *burrow_engine_get_known_hosts_file     (BurrowEngine            *self);
guint               burrow_engine_get_n_running            (BurrowEngine            *self);
int                 burrow_engine_get_io_priority          (BurrowEngine            *self);
void                burrow_engine_set_io_priority          (BurrowEngine            *self,
                                                            int                      priority);
GPtrArray          *burrow_engine_collect_errors           (BurrowEngine            *self,
                                                            BurrowProfile           *profile);
guint16             burrow_engine_suggest_local_port       (BurrowEngine            *self,
                                                            BurrowProfile           *profile);

/* Tunnels. connect finishes once the local port listens; the
 * connection's state then follows the SSH chain. */
void                burrow_engine_connect_async            (BurrowEngine            *self,
                                                            BurrowConnection        *connection,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_connect_finish           (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_disconnect_async         (BurrowEngine            *self,
                                                            BurrowConnection        *connection,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_disconnect_finish        (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_disconnect_all_async     (BurrowEngine            *self,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_disconnect_all_finish    (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_retry_now                (BurrowEngine            *self,
                                                            BurrowConnection        *connection);

/* Connects every connection marked "connect-at-start" (the app calls it
 * when it starts at login); gives the connections it connected. */
void                burrow_engine_connect_at_start_async   (BurrowEngine            *self,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
GPtrArray          *burrow_engine_connect_at_start_finish  (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);

/* The test connection. prepare_probe gives a probe that has not run yet,
 * its secrets loaded, so that a dialog can bind to its steps before
 * burrow_probe_run_async(); @credentials holds the profile to test (saved
 * or not) and any secrets typed into a form, the rest come from the
 * keyring. test_async() runs one for a saved profile and returns it when
 * done (a failed step is in the probe, not an error). */
void                burrow_engine_prepare_probe_async      (BurrowEngine            *self,
                                                            BurrowCredentials       *credentials,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
BurrowProbe        *burrow_engine_prepare_probe_finish     (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_test_async               (BurrowEngine            *self,
                                                            BurrowProfile           *profile,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
BurrowProbe        *burrow_engine_test_finish              (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);

/* Saving. @credentials holds the profile (a new id adds a connection) and
 * the secrets typed in: each one given is stored, an empty one clears its
 * item, one not given is left as it is; secrets the profile's sign-in no
 * longer uses are forgotten once the file is saved. A running connection
 * whose route changed reconnects with the new settings. */
void                burrow_engine_save_async               (BurrowEngine            *self,
                                                            BurrowCredentials       *credentials,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
BurrowConnection   *burrow_engine_save_finish              (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_remove_async             (BurrowEngine            *self,
                                                            BurrowConnection        *connection,
                                                            BurrowEngineRemoveFlags  flags,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_remove_finish            (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_forget_secrets_async     (BurrowEngine            *self,
                                                            const char              *connection_id,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_forget_secrets_finish    (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);

/* Host keys. trust_async() connects hop by hop and asks ("ask", a
 * BURROW_QUESTION_HOST_KEY) about each key not recorded yet; it finishes
 * TRUE once every hop's key is recorded, whether or not signing in would
 * work (get_sign_in_error then says why signing in failed, if it did).
 * A changed key is never replaced: forget it first, deliberately. */
void                burrow_engine_trust_host_key_async     (BurrowEngine            *self,
                                                            BurrowHostKey           *host_key,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_trust_host_key_finish    (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_forget_host_key_async    (BurrowEngine            *self,
                                                            const char              *host,
                                                            guint16                  port,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_forget_host_key_finish   (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
void                burrow_engine_trust_async              (BurrowEngine            *self,
                                                            BurrowConnection        *connection,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean            burrow_engine_trust_finish             (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
const GError       *burrow_engine_trust_get_sign_in_error  (BurrowEngine            *self,
                                                            GAsyncResult            *result);

/* Burrow's own key, made on first use. */
void                burrow_engine_load_identity_async      (BurrowEngine            *self,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
BurrowIdentity     *burrow_engine_load_identity_finish     (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);

/* ~/.ssh/config. read gives its Host entries (BurrowSshConfigHost,
 * patterns skipped, Include followed), and get_skipped why the entries
 * libssh could not resolve are not among them; import sets a connection's tunnel
 * from one of them (@into %NULL: a new connection named after the alias).
 * An entry with a ProxyCommand is refused, with the reason. */
void                burrow_engine_read_ssh_config_async    (BurrowEngine            *self,
                                                            const char              *path,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
GPtrArray          *burrow_engine_read_ssh_config_finish   (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
GPtrArray          *burrow_engine_read_ssh_config_get_skipped (BurrowEngine         *self,
                                                            GAsyncResult            *result);
void                burrow_engine_import_ssh_host_async    (BurrowEngine            *self,
                                                            const BurrowSshConfigHost *host,
                                                            BurrowConnection        *into,
                                                            GCancellable            *cancellable,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
BurrowConnection   *burrow_engine_import_ssh_host_finish   (BurrowEngine            *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);

G_END_DECLS
