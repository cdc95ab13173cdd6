#!/usr/bin/env bash
# Times plan generation and rendering (core/examples/bench.rs) in a release
# build and prints median / p99 per stage. Figures only; nothing is asserted.
# Usage: scripts/bench.sh [iterations]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
export WAYMARK_BENCH_ITERS=${1:-${WAYMARK_BENCH_ITERS:-200}}
# The workspace's release profile is tuned for the wasm bundle (opt-level z);
# WAYMARK_BENCH_PROFILE=release-native measures the CLI's speed-tuned build.
if [[ -n ${WAYMARK_BENCH_PROFILE:-} ]]; then
  exec cargo run --profile "$WAYMARK_BENCH_PROFILE" -p waymark-core --example bench
fi
exec cargo run --release -p waymark-core --example bench
