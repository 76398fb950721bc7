/* burrow-probe-step.c — one step of the test connection, for a row to bind to.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-enum.h"
#include "burrow-error.h"
#include "burrow-probe-step-private.h"

struct _BurrowProbeStep
{
  GObject               parent_instance;

  BurrowProbeStepId     id;
  char                 *title;
  BurrowProbeStepState  state;
  gint64                duration;
  char                 *detail;
  GError               *error;
  char                 *cause;
};

G_DEFINE_ENUM_TYPE (BurrowProbeStepId, burrow_probe_step_id,
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_RESOLVE, "resolve"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_TCP, "tcp"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_HANDSHAKE, "handshake"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_HOST_KEY, "host-key"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_AUTH, "auth"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_CHANNEL, "channel"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_LOGIN, "login"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_QUERY, "query"))

G_DEFINE_ENUM_TYPE (BurrowProbeStepState, burrow_probe_step_state,
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_PASSED, "passed"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_NOT_RUN, "not-run"),
                    G_DEFINE_ENUM_VALUE (BURROW_PROBE_STEP_NOT_APPLICABLE, "not-applicable"))

G_DEFINE_FINAL_TYPE (BurrowProbeStep, burrow_probe_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATE,
  PROP_DURATION,
  PROP_DETAIL,
  PROP_ERROR,
  PROP_CAUSE,
  PROP_HINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Overrides */

static void
burrow_probe_step_finalize (GObject *object)
{
  BurrowProbeStep *self = (BurrowProbeStep *)object;

  g_free (self->title);
  g_free (self->detail);
  g_clear_error (&self->error);
  g_free (self->cause);

  G_OBJECT_CLASS (burrow_probe_step_parent_class)->finalize (object);
}

static void
burrow_probe_step_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BurrowProbeStep *self = BURROW_PROBE_STEP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_enum (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_CAUSE:
      g_value_set_string (value, self->cause);
      break;

    case PROP_HINT:
      g_value_set_string (value, burrow_probe_step_get_hint (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_probe_step_class_init (BurrowProbeStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = burrow_probe_step_finalize;
  object_class->get_property = burrow_probe_step_get_property;

  properties[PROP_ID] =
    g_param_spec_enum ("id", NULL, NULL, BURROW_TYPE_PROBE_STEP_ID, BURROW_PROBE_STEP_RESOLVE, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BURROW_TYPE_PROBE_STEP_STATE, BURROW_PROBE_STEP_PENDING, flags);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_CAUSE] =
    g_param_spec_string ("cause", NULL, NULL, NULL, flags);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_probe_step_init (BurrowProbeStep *self)
{
  self->state = BURROW_PROBE_STEP_PENDING;
  self->duration = -1;
}

/* Private API */

BurrowProbeStep *
burrow_probe_step_new (BurrowProbeStepId id)
{
  BurrowProbeStep *self;

  g_return_val_if_fail (id < BURROW_PROBE_N_STEPS, NULL);

  self = g_object_new (BURROW_TYPE_PROBE_STEP, NULL);
  self->id = id;

  return self;
}

void
burrow_probe_step_set_title (BurrowProbeStep *self,
                             const char      *title)
{
  g_return_if_fail (BURROW_IS_PROBE_STEP (self));

  if (set_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
burrow_probe_step_update (BurrowProbeStep      *self,
                          BurrowProbeStepState  state,
                          gint64                duration,
                          const char           *detail,
                          const GError         *error)
{
  GObject *object = G_OBJECT (self);
  gboolean changed = FALSE;

  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), FALSE);
  g_return_val_if_fail (duration >= -1, FALSE);

  g_object_freeze_notify (object);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (object, properties[PROP_STATE]);
      changed = TRUE;
    }

  if (self->duration != duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (object, properties[PROP_DURATION]);
      changed = TRUE;
    }

  if (set_string (&self->detail, detail))
    {
      g_object_notify_by_pspec (object, properties[PROP_DETAIL]);
      changed = TRUE;
    }

  if (!burrow_error_equal (self->error, error))
    {
      const char *old_hint = burrow_probe_step_get_hint (self);
      g_autofree char *cause = error != NULL ? burrow_error_dup_cause (error) : NULL;
      gboolean hint_changed;

      hint_changed = g_strcmp0 (old_hint, error != NULL ? burrow_error_get_hint (error) : NULL) != 0;
      g_clear_error (&self->error);
      self->error = error != NULL ? g_error_copy (error) : NULL;
      g_object_notify_by_pspec (object, properties[PROP_ERROR]);
      if (set_string (&self->cause, cause))
        g_object_notify_by_pspec (object, properties[PROP_CAUSE]);
      if (hint_changed)
        g_object_notify_by_pspec (object, properties[PROP_HINT]);
      changed = TRUE;
    }

  g_object_thaw_notify (object);

  return changed;
}

/* Public API */

BurrowProbeStepId
burrow_probe_step_get_id (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), BURROW_PROBE_STEP_RESOLVE);

  return self->id;
}

const char *
burrow_probe_step_get_title (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), NULL);

  return self->title;
}

BurrowProbeStepState
burrow_probe_step_get_state (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), BURROW_PROBE_STEP_PENDING);

  return self->state;
}

/* In microseconds; -1 while the step has not run. */
gint64
burrow_probe_step_get_duration (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), -1);

  return self->duration;
}

const char *
burrow_probe_step_get_detail (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), NULL);

  return self->detail;
}

const GError *
burrow_probe_step_get_error (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), NULL);

  return self->error;
}

const char *
burrow_probe_step_get_cause (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), NULL);

  return self->cause;
}

const char *
burrow_probe_step_get_hint (BurrowProbeStep *self)
{
  g_return_val_if_fail (BURROW_IS_PROBE_STEP (self), NULL);

  return self->error != NULL ? burrow_error_get_hint (self->error) : NULL;
}

const char *
burrow_probe_step_to_id (BurrowProbeStepId id)
{
  g_return_val_if_fail (id < BURROW_PROBE_N_STEPS, NULL);

  return burrow_enum_to_id (BURROW_TYPE_PROBE_STEP_ID, id);
}

const char *
burrow_probe_step_state_to_id (BurrowProbeStepState state)
{
  g_return_val_if_fail (state <= BURROW_PROBE_STEP_NOT_APPLICABLE, NULL);

  return burrow_enum_to_id (BURROW_TYPE_PROBE_STEP_STATE, state);
}
