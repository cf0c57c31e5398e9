#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test twice: a normal build and an
# AddressSanitizer + UndefinedBehaviorSanitizer build, both with warnings as errors; checks
# that the core libraries build in every build type; with CI=true, builds, installs and
# purges the Debian package (scripts/test-package.sh); then fuzzes the parsers of untrusted
# input (mail, webhooks) for a bounded time each (FUZZ_SECONDS, default 20).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"

run_suite() {
  local dir=$1; shift
  "$root/scripts/build.sh" "$dir" -DIR_WERROR=ON "$@"
  ctest --test-dir "$dir" --output-on-failure -j2 --timeout 600
}

echo "== release build (-O3) and tests"
BUILD_TYPE=Release run_suite "$root/build" -DIR_BUILD_BENCH=ON
echo "== sanitizer build (ASan + UBSan) and tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite "$root/build-asan" -DIR_SANITIZE=ON -DIR_BUILD_BENCH=OFF
echo "== every build type (core libraries)"
"$root/scripts/check-build-types.sh" "$root/build-types"
echo "== the Debian package (CI=true only: installs and purges it here)"
IR_DEB_BUILD_DIR=build-types/dpkg-buildflags "$root/scripts/test-package.sh"
echo "== fuzzing the mail and webhook parsers (clang, libFuzzer, ASan + UBSan)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} "$root/scripts/fuzz.sh"
echo "all tests passed (release and sanitizer builds, fuzzing)"
