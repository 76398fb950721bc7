#!/bin/sh
# check-potfiles.sh — every file with translatable strings is in POTFILES.in,
# and every file POTFILES.in names exists.
# Copyright 2026 The Burrow authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$top"

listed=$(grep -v '^#' po/POTFILES.in | sed '/^[[:space:]]*$/d' | sort -u)
status=0

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in names $f, which does not exist"
    status=1
  fi
done

found=$( (grep -rlE '\b(N?_|C_|NC_|g_dngettext|ngettext)\(' src --include='*.c' || true
          grep -rl 'translatable="yes"' src --include='*.ui' || true
          ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true) | sort -u)

for f in $found; do
  if ! printf '%s\n' "$listed" | grep -qxF "$f"; then
    echo "$f has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in lists all $(printf '%s\n' "$found" | wc -l) files with translatable strings"
exit "$status"
