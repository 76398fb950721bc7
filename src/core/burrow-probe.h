/* burrow-probe.h — the test connection: every step, its time, and what to
 * do when one fails.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a tunnelled connection the probe goes through eight steps in order:
 * resolve the bastion's name (the first jump host's, when there are jumps),
 * TCP to it, the SSH handshake, the host key, signing in, a channel to the
 * database, the database login and a first query. Without a tunnel it
 * resolves and connects to the database itself, then logs in and queries.
 * It stops at the first failure and marks the rest as not run; that step's
 * GError (from the engine's domains) carries the cause and a hint.
 *
 * burrow_probe_get_steps() is a GListModel of the eight BurrowProbeStep
 * objects, made with the probe and kept for its life, so that a window can
 * bind a row to each before the run starts and watch them change as it
 * goes. Each step's duration is what it really took, a failed step's too
 * (a handshake that timed out after 10 s shows 10 s). "step-changed" is
 * emitted after a step changed, for callers that do not bind.
 *
 * The probe lives on the thread-default main context of the thread that
 * made it: run it from that thread. Its sources, and those of everything it
 * drives, are attached to that context; its properties and its steps'
 * are notified there, only on real change.
 *
 * Properties (all read-only):
 *   running                       boolean        a run is under way
 *   server-version                string         the first query's answer
 *                                                ("PostgreSQL 15.8 …") when
 *                                                it passed; NULL otherwise
 *   host-key                      BurrowHostKey  the key of the hop (jump
 *                                                host or bastion) whose host
 *                                                key stopped the run, unknown
 *                                                or changed; NULL otherwise
 *   workspace-key-not-authorized  boolean        the bastion refused Burrow's
 *                                                own key: the key guide is
 *                                                the way out
 */

#pragma once

#include <gio/gio.h>

#include "burrow-credentials.h"
#include "burrow-host-key.h"
#include "burrow-probe-step.h"

G_BEGIN_DECLS

#define BURROW_PROBE_DEFAULT_STEP_TIMEOUT 10

#define BURROW_TYPE_PROBE (burrow_probe_get_type ())

G_DECLARE_FINAL_TYPE (BurrowProbe, burrow_probe, BURROW, PROBE, GObject)

BurrowProbe          *burrow_probe_new                  (BurrowCredentials    *credentials);
void                  burrow_probe_set_step_timeout     (BurrowProbe          *self,
                                                         guint                 seconds);

void                  burrow_probe_run_async            (BurrowProbe          *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean              burrow_probe_run_finish           (BurrowProbe          *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

GListModel           *burrow_probe_get_steps            (BurrowProbe          *self);
BurrowProbeStep      *burrow_probe_get_step             (BurrowProbe          *self,
                                                         BurrowProbeStepId     id);
gboolean              burrow_probe_get_running          (BurrowProbe          *self);
const char           *burrow_probe_get_server_version   (BurrowProbe          *self);
BurrowHostKey        *burrow_probe_get_host_key         (BurrowProbe          *self);
gboolean              burrow_probe_get_workspace_key_not_authorized (BurrowProbe *self);

/* The same as the step objects' getters, by id. */
const char           *burrow_probe_get_step_title       (BurrowProbe          *self,
                                                         BurrowProbeStepId     step);
BurrowProbeStepState  burrow_probe_get_step_state       (BurrowProbe          *self,
                                                         BurrowProbeStepId     step);
gint64                burrow_probe_get_step_duration    (BurrowProbe          *self,
                                                         BurrowProbeStepId     step);
const char           *burrow_probe_get_step_detail      (BurrowProbe          *self,
                                                         BurrowProbeStepId     step);
const GError         *burrow_probe_get_step_error       (BurrowProbe          *self,
                                                         BurrowProbeStepId     step);
gboolean              burrow_probe_get_failed_step      (BurrowProbe          *self,
                                                         BurrowProbeStepId    *step);

/* When the host-key step failed because a key is not recorded yet: its
 * fingerprint, and a way to record it once the analyst has checked it
 * (burrow_host_key_trust() on get_host_key() does the same). */
const char           *burrow_probe_get_host_key_fingerprint (BurrowProbe      *self);
gboolean              burrow_probe_trust_host_key       (BurrowProbe          *self,
                                                         GError              **error);

/* What to show or copy: burrow-probe-report.c. */
char                 *burrow_probe_dup_ssh_command      (BurrowProbe          *self);
char                 *burrow_probe_dup_diagnostics      (BurrowProbe          *self);
char                 *burrow_probe_format_duration      (gint64                usec);

G_END_DECLS
