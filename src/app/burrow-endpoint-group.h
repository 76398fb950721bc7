/* burrow-endpoint-group.h — where the tunnel listens on this computer.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-form-group.h"

G_BEGIN_DECLS

#define BURROW_TYPE_ENDPOINT_GROUP (burrow_endpoint_group_get_type ())

G_DECLARE_FINAL_TYPE (BurrowEndpointGroup, burrow_endpoint_group, BURROW, ENDPOINT_GROUP, BurrowFormGroup)

G_END_DECLS
