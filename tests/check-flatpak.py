#!/usr/bin/env python3
# check-flatpak.py — the Flatpak manifest parses, names the app ID, and pins
# every downloaded source by sha256 (runtimes cannot be fetched here, so the
# manifest is checked rather than built).
# Copyright 2026 The Burrow authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

errors = []
if manifest.get("id") != "io.github.burrowapp.Burrow":
    errors.append("the manifest's id is not io.github.burrowapp.Burrow")
if manifest.get("command") != "burrow":
    errors.append("the manifest's command is not burrow")

required_modules = {"libssh", "libpq", "mariadb-connector-c", "libportal", "burrow"}
names = set()


def check_module(module):
    if isinstance(module, str):
        return
    names.add(module.get("name"))
    for source in module.get("sources", []):
        kind = source.get("type")
        if kind in ("archive", "file"):
            if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                errors.append(f"module {module.get('name')}: {source.get('url')} has no sha256")
            if not source.get("url", "").startswith("https://"):
                errors.append(f"module {module.get('name')}: {source.get('url')} is not https")
        elif kind == "git":
            if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                errors.append(f"module {module.get('name')}: git source without a commit")
        elif kind != "dir":
            errors.append(f"module {module.get('name')}: unexpected source type {kind}")
    for sub in module.get("modules", []):
        check_module(sub)


for module in manifest.get("modules", []):
    check_module(module)

missing = required_modules - names
if missing:
    errors.append("missing modules: " + ", ".join(sorted(missing)))

args = manifest.get("finish-args", [])
for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11",
               "--socket=ssh-auth", "--talk-name=org.kde.StatusNotifierWatcher"):
    if needed not in args:
        errors.append(f"finish-args lack {needed}")
for broad in ("--filesystem=home", "--filesystem=host", "--socket=session-bus",
              "--socket=system-bus"):
    if broad in args:
        errors.append(f"finish-args grant more than Burrow needs: {broad}")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"{path}: {len(names)} modules, every download pinned by sha256")
