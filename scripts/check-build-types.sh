#!/usr/bin/env bash
# Every build type builds: configures a folder per CMake build type, and one with Debian's
# dpkg-buildflags (hardening, _FORTIFY_SOURCE; what scripts/package.sh builds with), and
# builds the core libraries in each with warnings as errors. Only the core: a new
# optimiser warning shows there, and the whole tree is built and tested elsewhere.
# scripts/check-build-types.sh [DIR-PREFIX]   (default build-types/ in the source tree)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"  # dpkg-buildflags maps the current folder (-ffile-prefix-map): the source root
prefix=${1:-$root/build-types}
targets=(ir_base ir_sla ir_router ir_routing ir_access)

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
common=(-DIR_WERROR=ON -DIR_BUILD_TESTS=OFF -DIR_BUILD_BENCH=OFF "${launcher[@]}")

build_core() {
  local dir=$1; shift
  cmake -S "$root" -B "$dir" "${common[@]}" "$@" >/dev/null
  cmake --build "$dir" -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null
}

# Release is not here: scripts/test.sh builds and tests the whole tree as Release, with
# warnings as errors, in build/.
for type in Debug RelWithDebInfo MinSizeRel; do
  echo "== core libraries, CMAKE_BUILD_TYPE=$type"
  build_core "$prefix/$type" -DCMAKE_BUILD_TYPE="$type"
done

echo "== core libraries, dpkg-buildflags (hardening=+all)"
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
build_core "$prefix/dpkg-buildflags" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
  -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)"
echo "every build type builds"
