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
