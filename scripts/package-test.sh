#!/usr/bin/env bash
# Build the Debian packages, install them on THIS machine, and prove real logins through
# /etc/pam.d (sshd, sudo, su, scp/sftp/rsync), then remove and purge them and prove nothing is
# left behind (tests/package/run.py). As root. It restores /etc/pam.d, /var/lib/pam and the
# users it makes, and refuses to run where mfad or libpam-mfa is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "package-test: run as root (it installs packages)" >&2; exit 1; }
scripts/deps.sh test

# Build from a copy: dpkg-buildpackage writes the .debs next to the source tree, and the copy's
# debian/cargo-target is kept between runs so that a rebuild is incremental.
work="$PWD/target/package-test"
mkdir -p "$work"
rsync -a --delete --exclude /target --exclude /.git --exclude /debian/cargo-target ./ "$work/src/"
rm -f "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo
start=$(date +%s)
if ! (cd "$work/src" && dpkg-buildpackage -b -us -uc) > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  echo "FAIL packages_build (dpkg-buildpackage -b -us -uc; log: $work/build.log)"
  exit 1
fi
echo "PASS packages_build ($(($(date +%s) - start))s: $(cd "$work" && echo mfad_*.deb libpam-mfa_*.deb))"

# Debian's python3: paramiko and pexpect come from apt.
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 tests/package/run.py "$work" "$work"/mfad_*.deb "$work"/libpam-mfa_*.deb
