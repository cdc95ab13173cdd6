#!/usr/bin/env bash
# Waymark's one test command: everything CI runs, in order.
#
#   bash scripts/test.sh           all checks, installing whatever is missing
#   bash scripts/test.sh --quick   skip the real-system end-to-end tests
#
# Ends with a line "N passed, M failed" over the checks below.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
  esac
done

if [[ $quick == 1 ]]; then
  bash scripts/setup.sh || exit 1
else
  bash scripts/setup.sh --real-systems || exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
# Tests that need a tool fail rather than skip when it is missing.
export WAYMARK_REQUIRE_TOOLS=1

passed=0
failed=0
failures=()
check() {
  local name=$1
  shift
  printf '\n\033[1m=== %s\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}

check "format" cargo fmt --all --check
check "clippy (native)" cargo clippy --workspace --all-targets -- -D warnings
check "clippy (wasm)" cargo clippy -p waymark-web --target wasm32-unknown-unknown --all-targets -- -D warnings
check "native tests" cargo test --workspace
check "browser tests" bash scripts/browser-test.sh
check "built site: print, offline, axe, hostile links, phone" bash tests/e2e/site.sh
check "browser benchmark" bash tests/e2e/browser_bench.sh --reuse-site
check "size budget" bash scripts/budget.sh
check "benchmark" bash scripts/bench.sh
if [[ $quick == 0 ]]; then
  check "az accepts every command" bash tests/e2e/az_accepts.sh
  check "aws accepts every command" bash tests/e2e/aws_accepts.sh
  check "kubectl accepts every command" bash tests/e2e/kubectl_accepts.sh
  check "operator manifests match the CRDs" bash tests/e2e/operator_manifests.sh
  check "real Flink upgrade" bash tests/e2e/flink_upgrade.sh
  check "real Flink route with a stop" bash tests/e2e/flink_stops.sh
  check "real Flink standalone application cluster" bash tests/e2e/flink_application.sh
  check "flink CLI accepts every command" bash tests/e2e/flink_cli_accepts.sh
fi

printf '\n'
for f in "${failures[@]}"; do printf 'failed: %s\n' "$f"; done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
