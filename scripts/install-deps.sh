#!/usr/bin/env bash
# Installs, from Debian 12 packages only, whatever the build and the tests need and
# the machine lacks. Safe to run again: it does nothing when all is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libzmq3-dev cppzmq-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libsqlite3-dev sqlite3 catch2 libre2-dev libcld2-dev
  libtomlplusplus-dev libcli11-dev libsystemd-dev libssl-dev
  libgmime-3.0-dev libhowardhinnant-date-dev tzdata libnotify-dev
  clang-14 libclang-rt-14-dev
  python3 python3-zmq python3-protobuf strace curl swaks exim4-daemon-light libpython3.11-testsuite
  dbus-daemon python3-dbus python3-gi
)
# scripts/notify_screenshot.py (docs/img/notify-messages.png) also wants, only by hand:
# chromium chromium-driver python3-selenium fonts-noto-cjk

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
