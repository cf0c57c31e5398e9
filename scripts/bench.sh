#!/usr/bin/env bash
# Installs what is missing, builds (release), and runs every benchmark; each prints numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" -DIR_BUILD_BENCH=ON
for b in "$root"/build/bin/bench_*; do
  echo "== $(basename "$b")"
  "$b"
done
