/* burrow-form-group.h — a group of a connection's form, editing a profile in place.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"
#include "burrow-problem-row.h"

G_BEGIN_DECLS

#define BURROW_TYPE_FORM_GROUP (burrow_form_group_get_type ())

G_DECLARE_DERIVABLE_TYPE (BurrowFormGroup, burrow_form_group, BURROW, FORM_GROUP, AdwPreferencesGroup)

struct _BurrowFormGroupClass
{
  AdwPreferencesGroupClass parent_class;

  /* After the profile changed (it may be NULL). */
  void (*profile_changed)    (BurrowFormGroup   *self);
  /* After the problems were picked, for what a group shows besides. */
  void (*problems_shown)     (BurrowFormGroup   *self,
                              gboolean           arm);
  void (*load_secrets)       (BurrowFormGroup   *self,
                              BurrowCredentials *credentials);
  void (*collect_secrets)    (BurrowFormGroup   *self,
                              BurrowCredentials *credentials);
  void (*mark_secrets_saved) (BurrowFormGroup   *self);
};

BurrowProfile *burrow_form_group_get_profile         (BurrowFormGroup   *self);
void           burrow_form_group_set_profile         (BurrowFormGroup   *self,
                                                      BurrowProfile     *profile);
void           burrow_form_group_show_problems       (BurrowFormGroup   *self,
                                                      GPtrArray         *errors,
                                                      gboolean           arm);
gboolean       burrow_form_group_get_secrets_edited  (BurrowFormGroup   *self);
void           burrow_form_group_load_secrets        (BurrowFormGroup   *self,
                                                      BurrowCredentials *credentials);
void           burrow_form_group_collect_secrets     (BurrowFormGroup   *self,
                                                      BurrowCredentials *credentials);
void           burrow_form_group_mark_secrets_saved  (BurrowFormGroup   *self);

/* For the groups themselves. */
void           burrow_form_group_bind                (BurrowFormGroup   *self,
                                                      const char        *property,
                                                      gpointer           target,
                                                      const char        *target_property);
void           burrow_form_group_connect_profile     (BurrowFormGroup   *self,
                                                      const char        *detailed_signal,
                                                      GCallback          callback);
void           burrow_form_group_add_problem         (BurrowFormGroup   *self,
                                                      BurrowProblemRow  *row,
                                                      int                code);
void           burrow_form_group_set_secrets_edited  (BurrowFormGroup   *self,
                                                      gboolean           edited);

G_END_DECLS
