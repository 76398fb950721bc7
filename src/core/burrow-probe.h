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
 * "step-changed" is emitted whenever a step's state changes, so a window
 * can show each one turn green as it happens.
 */

#pragma once

#include <gio/gio.h>

#include "burrow-credentials.h"

G_BEGIN_DECLS

typedef enum
{
  BURROW_PROBE_STEP_RESOLVE,
  BURROW_PROBE_STEP_TCP,
  BURROW_PROBE_STEP_HANDSHAKE,
  BURROW_PROBE_STEP_HOST_KEY,
  BURROW_PROBE_STEP_AUTH,
  BURROW_PROBE_STEP_CHANNEL,
  BURROW_PROBE_STEP_LOGIN,
  BURROW_PROBE_STEP_QUERY,
} BurrowProbeStep;

#define BURROW_PROBE_N_STEPS (BURROW_PROBE_STEP_QUERY + 1)

typedef enum
{
  BURROW_PROBE_STEP_PENDING,
  BURROW_PROBE_STEP_RUNNING,
  BURROW_PROBE_STEP_PASSED,
  BURROW_PROBE_STEP_FAILED,
  BURROW_PROBE_STEP_NOT_RUN,         /* an earlier step failed */
  BURROW_PROBE_STEP_NOT_APPLICABLE,  /* no tunnel, or no login for this kind */
} BurrowProbeStepState;

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

const char           *burrow_probe_step_to_id           (BurrowProbeStep       step);
const char           *burrow_probe_step_state_to_id     (BurrowProbeStepState  state);
const char           *burrow_probe_get_step_title       (BurrowProbe          *self,
                                                         BurrowProbeStep       step);
BurrowProbeStepState  burrow_probe_get_step_state       (BurrowProbe          *self,
                                                         BurrowProbeStep       step);
gint64                burrow_probe_get_step_duration    (BurrowProbe          *self,
                                                         BurrowProbeStep       step);
const char           *burrow_probe_get_step_detail      (BurrowProbe          *self,
                                                         BurrowProbeStep       step);
const GError         *burrow_probe_get_step_error       (BurrowProbe          *self,
                                                         BurrowProbeStep       step);
gboolean              burrow_probe_get_failed_step      (BurrowProbe          *self,
                                                         BurrowProbeStep      *step);

/* When the host-key step failed because a key is not recorded yet: that
 * key, and a way to record it once the analyst has checked it. */
const char           *burrow_probe_get_host_key_fingerprint (BurrowProbe      *self);
gboolean              burrow_probe_trust_host_key       (BurrowProbe          *self,
                                                         GError              **error);

char                 *burrow_probe_dup_ssh_command      (BurrowProbe          *self);
char                 *burrow_probe_dup_diagnostics      (BurrowProbe          *self);

G_END_DECLS
