#!/usr/bin/env bash
# Installs what is missing, builds, and runs inquiryd on its embedded defaults
# (state in ./state, HTTP on 127.0.0.1:8080, alerts on tcp://127.0.0.1:5556).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" -DIR_BUILD_TESTS=OFF -DIR_BUILD_BENCH=OFF
cd "$root"
exec "$root/build/bin/inquiryd" "$@"
