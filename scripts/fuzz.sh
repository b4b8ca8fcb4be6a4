#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted input (fuzz/fuzz_targets/*.rs) with libFuzzer, on the
# stable toolchain: no cargo-fuzz, no nightly. Builds fuzz/ with sanitizer-coverage, then runs
# every target for SECONDS (default 20) from its seeds (fuzz/seeds/TARGET). Fails on the first
# crash; the input that crashed is kept in fuzz/target/artifacts/TARGET/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 3600 config_parse
#
# Needs g++ (libfuzzer-sys compiles libFuzzer); scripts/deps.sh test installs it.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-20}
[ $# -gt 0 ] && shift
all=(config_parse wire_step google_authenticator phone_number web_form)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

# What cargo-fuzz passes, minus the address sanitizer (nightly only): coverage counters and
# comparison tracing for libFuzzer, and `cfg(fuzzing)` for code that wants to know.
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares"
export CARGO_TARGET_DIR=target
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros (they are not linked
# with libFuzzer).
host=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --locked --bins --target "$host"

for target in "${targets[@]}"; do
  corpus="target/corpus/$target"
  artifacts="target/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $target for ${seconds}s"
  # -rss_limit_mb: a parser must not balloon on a small input; -max_len: bigger than any
  # legitimate config or form.
  "target/$host/release/$target" "$corpus" "seeds/$target" \
    -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=65536 -timeout=10 \
    -artifact_prefix="$artifacts" -print_final_stats=1 2>"target/$target.log" ||
    { tail -n 60 "target/$target.log"; echo "fuzz: $target FAILED"; exit 1; }
  grep -E '^stat::number_of_executed_units|^Done' "target/$target.log" | tr '\n' ' '
  echo
done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
