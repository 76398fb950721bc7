#!/bin/sh
# check-layers.sh — the engine, the tray and burrowctl never include GTK (the
# dependency lists already make such an include fail to compile; this
# names the file when someone tries), and only burrowctl installs the
# awake-wait poll.
# Copyright 2026 The Burrow authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=${1:?usage: check-layers.sh SOURCE_ROOT}
cd "$top"
bad=$(grep -rlE '#include[[:space:]]*[<"](gtk/|gdk/|adwaita\.h|gtk\.h)' src/core src/tray src/cli || true)
if [ -n "$bad" ]; then
  echo "These files outside src/app include GTK or libadwaita: $bad"
  exit 1
fi
if grep -qE 'gtk_dep|adw_dep' src/core/meson.build src/tray/meson.build src/cli/meson.build; then
  echo "A layer below src/app depends on GTK in its meson.build"
  exit 1
fi
# The awake-wait poll spins the CPU for a moment after small traffic: fine
# for `burrowctl up`, whose loop runs tunnels only, never for a process
# that draws a window. The engine leaves it to the program that owns the
# loop.
poll=$(grep -rl 'burrow_poll_install' src --include='*.c' | grep -v -e '^src/cli/' -e '^src/core/burrow-poll\.c$' || true)
if [ -n "$poll" ]; then
  echo "Only burrowctl may install the awake-wait poll; these files do too: $poll"
  exit 1
fi
echo "src/core, src/tray and src/cli are free of GTK, and only burrowctl installs the awake-wait poll"
