#!/usr/bin/env bash
# The project's whole test run: installs what the tests need, then formatting, lints, unit tests,
# and the black-box tests (private dbus-daemon + real mfad + real pam_mfa.so through libpam).
# Run as root (CI does): some tests run parts as other uids.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh test

cargo fmt --all -- --check
cargo build --workspace --all-targets
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace

# A short bounded fuzzing run of the untrusted-input parsers (docs/fuzzing.md: the long run).
scripts/fuzz.sh 15

# The README's demo must keep working: run it unattended (oathtool answers).
./scripts/demo.sh --auto > target/demo.log 2>&1 || { cat target/demo.log; exit 1; }
grep -q "Demo login succeeded." target/demo.log
echo "demo: 1 passed, 0 failed"

# Last: the Debian packages installed on this machine for real (sshd, sudo, su, scp/sftp/rsync
# through /etc/pam.d), then removed and purged; /etc/pam.d and its users are restored after.
scripts/package-test.sh
