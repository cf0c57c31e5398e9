#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan and runs each for a bounded time
# (FUZZ_SECONDS, default 30) from its seed corpus. A finding fails the script and leaves
# the crashing input in build-fuzz/findings/. Usage: scripts/fuzz.sh [target...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-30}
# Only the fuzz targets and the libraries they link: the daemon itself is not needed here.
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DIR_FUZZ=ON -DIR_SANITIZE=ON -DIR_BUILD_TESTS=OFF -DIR_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" -j"${JOBS:-2}" --target fuzz_all >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/fuzz/*.cpp; do targets+=("$(basename "${f%.cpp}")"); done
fi
mkdir -p "$dir/findings"
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  [ -d "$root/fuzz/corpus/$t" ] && cp -r "$root/fuzz/corpus/$t/." "$work/"
  echo "== fuzz_$t for ${seconds}s"
  status=0
  ASAN_OPTIONS=detect_leaks=1 "$dir/bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$dir/findings/$t-" -print_final_stats=1 "$work" >"$dir/findings/$t.log" 2>&1 || status=$?
  grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" "$dir/findings/$t.log" || true
  rm -rf "$work"
  [ "$status" -eq 0 ] || { echo "fuzz_$t found a problem: see $dir/findings/" >&2; exit 1; }
done
echo "fuzzing done: no findings"
