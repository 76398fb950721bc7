/* burrow-probe-step.h — one step of the test connection, for a row to bind to.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items of burrow_probe_get_steps(): every step in order, those that
 * do not apply to a connection included (state NOT_APPLICABLE), so that a
 * dialog can hide or dim them. The probe changes them; each property is
 * notified only when its value really changed, on the probe's main
 * context, all of one change together (a failed step's state, duration
 * and error arrive as one batch of notifications).
 *
 * Properties (all read-only):
 *   id        BurrowProbeStepId     which step
 *   title     string                "Sign in to the bastion"
 *   state     BurrowProbeStepState
 *   duration  int64                 µs the step took, failed or passed;
 *                                   -1 while it has not run
 *   detail    string                what was seen ("Signed in as burrow
 *                                   with a key file"), or why it does not
 *                                   apply; NULL when there is nothing to say
 *   error     GError (boxed)        why it failed; NULL otherwise
 *   cause     string                the error's cause, its first line
 *   hint      string                what to do about it; NULL when the
 *                                   error has no hint
 */

#pragma once

#include <glib-object.h>

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
} BurrowProbeStepId;

#define BURROW_PROBE_N_STEPS (BURROW_PROBE_STEP_QUERY + 1)

typedef enum
{
  BURROW_PROBE_STEP_PENDING,
  BURROW_PROBE_STEP_RUNNING,
  BURROW_PROBE_STEP_PASSED,
  BURROW_PROBE_STEP_FAILED,
  BURROW_PROBE_STEP_NOT_RUN,         /* an earlier step failed, or the test was cancelled */
  BURROW_PROBE_STEP_NOT_APPLICABLE,  /* no tunnel, or no login for this kind */
} BurrowProbeStepState;

#define BURROW_TYPE_PROBE_STEP_ID (burrow_probe_step_id_get_type ())
#define BURROW_TYPE_PROBE_STEP_STATE (burrow_probe_step_state_get_type ())
#define BURROW_TYPE_PROBE_STEP (burrow_probe_step_get_type ())

GType burrow_probe_step_id_get_type    (void) G_GNUC_CONST;
GType burrow_probe_step_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BurrowProbeStep, burrow_probe_step, BURROW, PROBE_STEP, GObject)

BurrowProbeStepId     burrow_probe_step_get_id        (BurrowProbeStep      *self);
const char           *burrow_probe_step_get_title     (BurrowProbeStep      *self);
BurrowProbeStepState  burrow_probe_step_get_state     (BurrowProbeStep      *self);
gint64                burrow_probe_step_get_duration  (BurrowProbeStep      *self);
const char           *burrow_probe_step_get_detail    (BurrowProbeStep      *self);
const GError         *burrow_probe_step_get_error     (BurrowProbeStep      *self);
const char           *burrow_probe_step_get_cause     (BurrowProbeStep      *self);
const char           *burrow_probe_step_get_hint      (BurrowProbeStep      *self);

/* The ids burrowctl --json and the diagnostics use ("host-key", "failed"). */
const char           *burrow_probe_step_to_id         (BurrowProbeStepId     id);
const char           *burrow_probe_step_state_to_id   (BurrowProbeStepState  state);

G_END_DECLS
