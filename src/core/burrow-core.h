/* burrow-core.h — the engine's public headers in one include.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "burrow-channel-pump.h"
#include "burrow-connection.h"
#include "burrow-credentials.h"
#include "burrow-db-kind.h"
#include "burrow-db-login.h"
#include "burrow-engine.h"
#include "burrow-enum.h"
#include "burrow-error.h"
#include "burrow-host-key.h"
#include "burrow-host-keys.h"
#include "burrow-identity.h"
#include "burrow-jump-host.h"
#include "burrow-paths.h"
#include "burrow-poll.h"
#include "burrow-probe-step.h"
#include "burrow-probe.h"
#include "burrow-profile-store.h"
#include "burrow-profile.h"
#include "burrow-question.h"
#include "burrow-secret-store.h"
#include "burrow-shell.h"
#include "burrow-ssh-auth.h"
#include "burrow-ssh-chain.h"
#include "burrow-ssh-config.h"
#include "burrow-ssh-error.h"
#include "burrow-ssh-session.h"
#include "burrow-tunnel-manager.h"
#include "burrow-tunnel.h"
#include "burrow-version.h"
