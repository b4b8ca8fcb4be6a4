#!/usr/bin/env bash
# Install the Debian packages a purpose needs, if any are missing.
#   scripts/deps.sh build   — to build (libpam0g-dev) and run the demo (dbus-daemon)
#   scripts/deps.sh demo-auto — the demo answering by itself (oathtool computes the code)
#   scripts/deps.sh bench   — scripts/bench.sh: the strict pam_google_authenticator it compares
#                             with, oathtool (code cross-check), busctl (enrollment)
#   scripts/deps.sh test    — everything the tests drive (pamtester, pam_wrapper, oathtool, sshd,
#                             and debhelper, sudo, rsync… for the package test)
set -euo pipefail

build=(libpam0g-dev dbus-daemon pkg-config)
test=("${build[@]}" pamtester libpam-wrapper oathtool openssh-server python3-paramiko expect strace systemd util-linux libpam-google-authenticator tmux
  # scripts/package-test.sh: build and install the .debs, drive real sudo/su/scp/sftp/rsync
  dpkg-dev debhelper make sudo rsync openssh-client python3-pexpect man-db groff-base lintian)
# tests/e2e/approve_in_browser.py: the push approval page in headless Chromium, without JavaScript
test+=(chromium chromium-driver python3-selenium fonts-dejavu-core)
# the enrollment QR read back (tests/black_box/qr_decodes.rs); the shells the completions load in
test+=(zbar-tools zsh fish)
# tests/tests/black_box/voice.rs: a certificate for the TLS listener, and a TLS client to reach it
test+=(openssl curl ca-certificates)
# tests/tests/black_box/metrics.rs: promtool checks the daemon's Prometheus text
test+=(prometheus)
# tests/tests/user_name_case.rs: compiles an LD_PRELOAD getpwnam_r shim
test+=(gcc libc6-dev)
# tests/src/postgres.rs: one PostgreSQL server for the shared store's tests ([store] kind =
# "postgres": contract tests, fleets of daemons on one database, outages)
test+=(postgresql)
# scripts/fuzz.sh: libfuzzer-sys compiles libFuzzer (C++)
test+=(g++)
# tests/tests/desktop_programs: the real console and screen-locker programs, headless (an X
# server in memory, typed at with xdotool, screenshots with ImageMagick's import)
test+=(xvfb xauth xdotool imagemagick i3lock xsecurelock xscreensaver vlock)

# scripts/bench.sh: mfa-bench runs Debian's pam_google_authenticator beside pam_mfa
bench=("${build[@]}" libpam-google-authenticator oathtool systemd)

case "${1:-}" in
  build) wanted=("${build[@]}") ;;
  demo-auto) wanted=("${build[@]}" oathtool) ;;
  bench) wanted=("${bench[@]}") ;;
  test) wanted=("${test[@]}") ;;
  *) echo "usage: $0 build|demo-auto|bench|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
