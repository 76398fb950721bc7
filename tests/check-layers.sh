#!/bin/sh
# check-layers.sh — the engine, the tray and burrowctl never include GTK; the
# dependency lists already make such an include fail to compile, and this
# names the file when someone tries.
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
echo "src/core, src/tray and src/cli are free of GTK"
