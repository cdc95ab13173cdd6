#!/usr/bin/env bash
# The browser benchmark of issue 11 (tests/e2e/browser_bench.py) on the
# release build in headless Chromium: navigation to a visible runbook against
# a static page of the same runbook, 200- and 500-job links, edits, ticks and
# Add job. Prints figures and writes them to $CARGO_TARGET_DIR/browser-bench.json;
# asserts nothing about time, fails only when it cannot measure.
#
# Usage: tests/e2e/browser_bench.sh [--reuse-site]
#   --reuse-site  measure the build tests/e2e/site.sh left in
#                 $CARGO_TARGET_DIR/site (scripts/test.sh runs it just before)
#                 instead of building the app again
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# shellcheck source=tests/e2e/site_lib.sh
source tests/e2e/site_lib.sh

case "${1:-}" in
  --reuse-site) reuse=1 ;;
  "") reuse=0 ;;
  *) echo "usage: tests/e2e/browser_bench.sh [--reuse-site]" >&2; exit 2 ;;
esac
tools=(chromedriver python3)
[[ $reuse == 1 ]] || tools+=(trunk)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "browser_bench: missing $tool: run bash scripts/setup.sh" >&2; exit 2; }
done

if [[ $reuse == 1 ]]; then
  site=$CARGO_TARGET_DIR/site
  [[ -f $site/waymark/index.html ]] || {
    echo "browser_bench: no build in $site: run tests/e2e/site.sh first, or drop --reuse-site" >&2
    exit 2
  }
else
  site=$CARGO_TARGET_DIR/bench-site
  build_site "$site"
fi

start_chromedriver "$CARGO_TARGET_DIR/browser-bench-chromedriver.log"
python3 tests/e2e/browser_bench.py "$site" "$wd" "$CARGO_TARGET_DIR/browser-bench.json"
