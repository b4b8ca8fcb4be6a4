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
# debian/cargo-target is kept between runs so that a rebuild is incremental. The copy is of the
# working tree, or of the last commit with PACKAGE_TEST_FROM=HEAD (a tree others are editing).
work="$PWD/target/package-test"
mkdir -p "$work"
from=.
if [ "${PACKAGE_TEST_FROM:-}" = HEAD ]; then
  from="$work/head"
  rm -rf "$from" && mkdir -p "$from" && git archive HEAD | tar -x -C "$from"
fi
rsync -a --delete --exclude /target --exclude /.git --exclude /debian/cargo-target \
  "$from/" "$work/src/"
rm -f "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work"/*.ddeb
start=$(date +%s)
if ! (cd "$work/src" && dpkg-buildpackage -b -us -uc) > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  echo "FAIL packages_build (dpkg-buildpackage -b -us -uc in $work/src; log: $work/build.log)"
  exit 1
fi
debs=("$work"/mfad_*.deb "$work"/libpam-mfa_*.deb)
echo "PASS packages_build ($(($(date +%s) - start))s: ${debs[*]##*/})"

# Debian's own checks: any error, warning or pedantic tag fails (overrides say why, in
# debian/*.lintian-overrides). lintian warns about running as root; that is all it says here.
if lintian --pedantic -I --tag-display-limit 0 --fail-on error,warning,pedantic \
    "$work"/pam-mfa_*.changes > "$work/lintian.log" 2>&1; then
  echo "PASS packages_are_lintian_clean"
else
  cat "$work/lintian.log"
  echo "FAIL packages_are_lintian_clean (lintian --pedantic on $work/pam-mfa_*.changes)"
  exit 1
fi

# Debian's python3: paramiko and pexpect come from apt.
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 tests/package/run.py "$work" "${debs[@]}"
