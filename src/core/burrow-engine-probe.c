/* burrow-engine-probe.c — the engine's test connection.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A probe gets its secrets the way a tunnel does (the keyring, Burrow's
 * own key, the engine's "ask"), so that the test goes through exactly
 * what Connect will.
 */

#include "config.h"

#include "burrow-engine-private.h"

static void
on_probe_prepared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowCredentials *credentials = g_task_get_task_data (task);
  GError *error = NULL;

  if (!burrow_engine_prepare_credentials_finish (BURROW_ENGINE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, burrow_probe_new (credentials), g_object_unref);
}

void
burrow_engine_prepare_probe_async (BurrowEngine        *self,
                                   BurrowCredentials   *credentials,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_prepare_probe_async);
  g_task_set_task_data (task, g_object_ref (credentials), g_object_unref);

  burrow_engine_prepare_credentials_async (self, credentials, cancellable, on_probe_prepared, g_steal_pointer (&task));
}

BurrowProbe *
burrow_engine_prepare_probe_finish (BurrowEngine  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}

static void
on_test_run (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  burrow_probe_run_finish (BURROW_PROBE (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

static void
on_test_prepared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BurrowProbe) probe = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  probe = burrow_engine_prepare_probe_finish (BURROW_ENGINE (source), result, &error);
  if (probe == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  burrow_probe_run_async (probe, cancellable, on_test_run, g_steal_pointer (&task));
}

/**
 * burrow_engine_test_async:
 *
 * Runs the test connection for @profile with its stored secrets.
 * test_finish() gives the probe whether or not every step passed: a
 * failed step is in the probe, not an error.
 */
void
burrow_engine_test_async (BurrowEngine        *self,
                          BurrowProfile       *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(BurrowCredentials) credentials = NULL;
  GTask *task;

  g_return_if_fail (BURROW_IS_ENGINE (self));
  g_return_if_fail (BURROW_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_engine_test_async);

  credentials = burrow_credentials_new (profile);
  burrow_engine_prepare_probe_async (self, credentials, cancellable, on_test_prepared, task);
}

BurrowProbe *
burrow_engine_test_finish (BurrowEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return burrow_engine_finish_pointer (self, result, error);
}
