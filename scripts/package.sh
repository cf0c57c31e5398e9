#!/usr/bin/env bash
# Builds the Debian package dist/inquiryd_<version>_amd64.deb with debhelper (debian/rules:
# dh with CMake, dpkg-buildflags with hardening=+all, dh_shlibdeps for the dependencies),
# then checks it with lintian: any error fails the script.
#   scripts/package.sh                         builds in build-deb/
#   IR_DEB_BUILD_DIR=build-types/dpkg-buildflags scripts/package.sh
#       builds in a folder already configured with the same flags (check-build-types.sh's),
#       compiling only what it has not built yet (what scripts/test-package.sh does)
#   IR_DEB_DBGSYM=1 scripts/package.sh         also builds inquiryd-dbgsym (the debug symbols)
# Prints the .deb's path on its last line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"
dpkg-checkbuilddeps

version=$(dpkg-parsechangelog -S Version)
project=$(sed -n 's/^project(inquiry_router VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
if [ "$version" != "$project" ]; then
  echo "package.sh: debian/changelog says $version, CMakeLists.txt says $project: add a changelog entry" >&2
  exit 1
fi

export IR_DEB_BUILD_DIR=${IR_DEB_BUILD_DIR:-build-deb}
export IR_DEB_OUT=${IR_DEB_OUT:-dist}
cmake_args=()
command -v ccache >/dev/null 2>&1 && cmake_args=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export IR_DEB_CMAKE_ARGS="${cmake_args[*]}"
options="nocheck parallel=${JOBS:-2}"
[ -n "${IR_DEB_DBGSYM:-}" ] || options+=" noddebs"
export DEB_BUILD_OPTIONS=$options
deb="$IR_DEB_OUT/inquiryd_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"
mkdir -p "$IR_DEB_OUT"
rm -f "$deb"

debian/rules clean >/dev/null
log="$IR_DEB_OUT/build.log"
debian/rules binary >"$log" 2>&1 || { tail -40 "$log" >&2; echo "package.sh: the build failed, see $log" >&2; exit 1; }
debian/rules clean >/dev/null
lintian --fail-on error "$deb" >&2
echo "$deb"
