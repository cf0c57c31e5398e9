#!/usr/bin/env bash
# The Debian package installs, works and is removed again on this Debian 12 machine. It
# installs a system package, so it runs only with CI=true (scripts/test.sh calls it; on a
# developer's machine it says so and does nothing). It builds the package in the folder
# scripts/check-build-types.sh configured with dpkg-buildflags (its core libraries are
# reused), installs it with apt, checks the files, the conffile and the system user, runs
# `inquiryd --check-config /etc/inquiryd/inquiryd.toml`, `systemd-analyze verify` on the
# installed unit and the installed daemon as its user for one request, then purges it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${CI:-}" != true ]; then
  echo "test-package: skipped (CI=true runs it: it installs and purges the inquiryd package on this machine)"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if dpkg-query -W -f='${Status}' inquiryd 2>/dev/null | grep -q "ok installed"; then
  echo "test-package: an inquiryd package is installed here already: not touching it" >&2
  exit 1
fi
deb=$(IR_DEB_BUILD_DIR=${IR_DEB_BUILD_DIR:-build-types/dpkg-buildflags} "$root/scripts/package.sh" | tail -1)
case $deb in /*) ;; *) deb=$root/$deb ;; esac  # IR_DEB_OUT may be relative (the default) or absolute
work=$(mktemp -d)
chmod 0755 "$work"  # the installed daemon runs as its own user, in a folder below this one
daemon_pid=""
cleanup() {
  [ -z "$daemon_pid" ] || kill "$daemon_pid" 2>/dev/null || true
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq inquiryd >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }

echo "== installing $deb"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
for f in /usr/sbin/inquiryd /usr/lib/inquiryd/inquiryd /usr/lib/inquiryd/inquiryd-mailparse /usr/bin/inquiryctl \
         /etc/inquiryd/inquiryd.toml /usr/lib/sysusers.d/inquiryd.conf; do
  [ -e "$f" ] || fail "$f is not installed"
done
unit=$(dpkg -L inquiryd | grep '/systemd/system/inquiryd.service$') || fail "no systemd unit in the package"
dpkg-query -W -f='${Conffiles}\n' inquiryd | grep -q '^ /etc/inquiryd/inquiryd.toml ' ||
  fail "/etc/inquiryd/inquiryd.toml is not a conffile"
getent passwd inquiryd | grep -q ':/var/lib/inquiryd:' || fail "no system user inquiryd with home /var/lib/inquiryd"
grep -q '^state_dir = "/var/lib/inquiryd"' /etc/inquiryd/inquiryd.toml || fail "the config's state_dir"

echo "== inquiryd --check-config /etc/inquiryd/inquiryd.toml"
/usr/sbin/inquiryd --check-config /etc/inquiryd/inquiryd.toml
echo "== systemd-analyze verify $unit"
systemd-analyze verify "$unit"

echo "== the installed daemon, as its user, answers"
install -d -o inquiryd -g inquiryd -m 0750 "$work/state"
setpriv --reuid inquiryd --regid inquiryd --init-groups /usr/sbin/inquiryd --config /etc/inquiryd/inquiryd.toml \
  --state-dir "$work/state" --http-listen 127.0.0.1:0 --pub-endpoint "ipc://$work/state/pub.sock" >"$work/log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do [ -s "$work/state/http.port" ] && break; sleep 0.1; done
[ -s "$work/state/http.port" ] || { cat "$work/log" >&2; fail "the installed inquiryd did not start"; }
curl -fsS "http://127.0.0.1:$(cat "$work/state/http.port")/healthz" | grep -q '"ok"' || fail "GET /healthz"
kill -TERM "$daemon_pid"
wait "$daemon_pid" || fail "inquiryd did not exit 0 on SIGTERM"
daemon_pid=""
inquiryctl backup --state-dir "$work/state" "$work/backup.db" | grep -q "integrity_check: ok" || fail "inquiryctl backup"

echo "== purging"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq inquiryd >/dev/null
for f in /usr/sbin/inquiryd /usr/lib/inquiryd /usr/bin/inquiryctl /etc/inquiryd "$unit"; do
  [ ! -e "$f" ] || fail "$f is still there after the purge"
done
echo "test-package: the package installs, checks, runs and purges cleanly"
