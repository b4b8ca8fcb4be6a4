#!/usr/bin/env bash
# The README's first command: a real login with a second factor on a private bus, without
# touching /etc. Pass --auto to let oathtool answer instead of typing the code from a phone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
if [[ " $* " == *" --auto "* ]] || [ ! -t 0 ]; then scripts/deps.sh demo-auto; fi
cargo build --quiet -p pam_mfa -p mfad -p mfa_cli -p mfa_tests --bin mfa-demo
exec cargo run --quiet -p mfa_tests --bin mfa-demo -- "$@"
