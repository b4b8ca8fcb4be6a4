#!/usr/bin/env bash
# Reruns every benchmark (BENCHMARKS.md): the side-by-side login benchmark with the default
# users, the same with 10,000 users compared against it, then the criterion benches of the
# in-process parts. Needs root (private bus, daemon, GA's state files). Not part of
# scripts/test.sh: it takes minutes and its numbers depend on the machine.
#   scripts/bench.sh [mfa-bench options, e.g. --logins 300]
# Output is also kept in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench

out=target/bench
mkdir -p "$out"
# The release driver measures the release daemon and module. Two commands, so each set of
# packages gets the features it gets when mfa-bench builds them itself (no second rebuild).
cargo build --release -p pam_mfa -p mfad -p mfa_cli
cargo build --release -p mfa_tests --bin mfa-bench
bench=target/release/mfa-bench

echo "== logins, default users =="
"$bench" "$@" --save "$out/default.figures" | tee "$out/logins-default.txt"
echo "== logins, 10,000 users (compared with the default run) =="
"$bench" "$@" --users 10000 --baseline "$out/default.figures" | tee "$out/logins-10000.txt"

echo "== criterion: TOTP verify, store update, step encode/decode =="
cargo bench -p mfad --bench totp_verify --bench store_update --bench step_wire 2>&1 |
  tee "$out/criterion.txt"
