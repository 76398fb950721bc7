/* burrow-engine-private.h — what the files of BurrowEngine share.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The class spans several files, one job each:
 *   burrow-engine.c          the object, its list of connections, questions,
 *                            Burrow's own key and credentials ready to sign in
 *   burrow-engine-tunnels.c  connect, disconnect, reconnect; network and sleep
 *   burrow-engine-store.c    saving and removing: connections.ini and the
 *                            keyring, written in the order that loses nothing
 *   burrow-engine-trust.c    host keys: record, forget, and trust hop by hop
 *   burrow-engine-probe.c    the test connection
 *   burrow-engine-import.c   ~/.ssh/config
 *   burrow-engine-running.c  the tunnels other Burrow processes run
 * Nothing here is for use outside them.
 */

#pragma once

#include "burrow-connection-private.h"
#include "burrow-engine.h"
#include "burrow-tunnel-manager.h"

G_BEGIN_DECLS

struct _BurrowEngine
{
  GObject              parent_instance;

  GMainContext        *context;
  BurrowProfileStore  *store;
  BurrowTunnelManager *tunnels;
  GHashTable          *by_id;          /* id → BurrowConnection, every one ever listed */
  GPtrArray           *connections;    /* the model: the store's order */
  char                *known_hosts_file;
  guint                n_running;
  gboolean             loaded;
  GPtrArray           *removed_ids;    /* gone from the list, to stop if they stay gone */
  guint                removed_source;
  guint                settings_source;

  BurrowIdentity      *identity;
  GPtrArray           *identity_waiters;   /* GTask */

  GNetworkMonitor     *network_monitor;
  gulong               network_handler;
  GDBusConnection     *system_bus;
  guint                sleep_subscription;
  GCancellable        *cancellable;        /* cancelled in dispose */

  /* Tunnels other Burrow processes run (burrow-engine-running.c). */
  char                *running_dir;
  GFileMonitor        *running_monitor;
  guint                running_scan_source;
  GHashTable          *running_watches;    /* pid → watch on its end */
  GHashTable          *own_records;        /* paths of the records this engine wrote */
  GPtrArray           *elsewhere;          /* what the others run, as last read */
};

/* burrow-engine.c */
gboolean burrow_engine_finish_boolean              (BurrowEngine        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gpointer burrow_engine_finish_pointer              (BurrowEngine        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void     burrow_engine_update_n_running            (BurrowEngine        *self);
void     burrow_engine_emit_ask                    (BurrowEngine        *self,
                                                    BurrowQuestion      *question,
                                                    BurrowProfile       *profile);
void     burrow_engine_prepare_credentials_async   (BurrowEngine        *self,
                                                    BurrowCredentials   *credentials,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean burrow_engine_prepare_credentials_finish  (BurrowEngine        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* burrow-engine-tunnels.c */
void     burrow_engine_stop_connection             (BurrowEngine        *self,
                                                    BurrowConnection    *connection);
void     burrow_engine_restart_connection          (BurrowEngine        *self,
                                                    BurrowConnection    *connection);
void     burrow_engine_watch_chain                 (BurrowSshChain      *chain,
                                                    GPtrArray           *sessions);
void     burrow_engine_watch_system                (BurrowEngine        *self);
void     burrow_engine_unwatch_system              (BurrowEngine        *self);

/* burrow-engine-running.c */
void     burrow_engine_init_running                (BurrowEngine        *self);
void     burrow_engine_finalize_running            (BurrowEngine        *self);
void     burrow_engine_watch_running               (BurrowEngine        *self);
void     burrow_engine_unwatch_running             (BurrowEngine        *self);
void     burrow_engine_apply_running               (BurrowEngine        *self,
                                                    BurrowConnection    *connection);
void     burrow_engine_record_running              (BurrowEngine        *self,
                                                    BurrowConnection    *connection);
GError  *burrow_engine_explain_port_taken          (BurrowEngine        *self,
                                                    BurrowConnection    *connection,
                                                    guint16              port);

G_END_DECLS
