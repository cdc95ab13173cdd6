#!/usr/bin/env bash
# The built site in headless Chromium (WebDriver, through chromedriver):
# builds the web app under a sub-path (/waymark/, as a static host would
# serve it), serves it, and runs
#   - tests/e2e/print_check.py: each link of tests/print.links printed to
#     PDF on A4 and Letter and read back with pdftotext;
#   - tests/e2e/offline_check.py: after one visit, the app plans and exports
#     with the server stopped (the service worker, src/sw.js);
#   - tests/e2e/axe_check.py: axe-core finds no violation in any state
#     (light, dark, phone, out of date, blocked, no plan);
#   - tests/e2e/hostile_check.py: the hostile links of tests/hostile.links
#     show the CLI's problems, run nothing and log nothing;
#   - tests/e2e/page_check.py: the phone layout, wrapping, Back and Reset,
#     HDInsight's date.
#
# Usage: tests/e2e/site.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
axe_js=${WAYMARK_CACHE:-$HOME/.cache/waymark}/axe/node_modules/axe-core/axe.min.js
[[ -f $axe_js ]] || { echo "site: missing axe-core ($axe_js): run bash scripts/setup.sh" >&2; exit 2; }
for tool in trunk chromedriver pdftotext python3; do
  command -v "$tool" >/dev/null || { echo "site: missing $tool: run bash scripts/setup.sh" >&2; exit 2; }
done

# shellcheck source=tests/e2e/site_lib.sh
source tests/e2e/site_lib.sh

site=$CARGO_TARGET_DIR/site
out=$CARGO_TARGET_DIR/site-out
rm -rf "$out"
mkdir -p "$out"
build_site "$site"
cargo build --quiet -p waymark-cli
waymark=$CARGO_TARGET_DIR/debug/waymark

start_chromedriver "$out/chromedriver.log"

links=()
while IFS= read -r link; do
  [[ -z $link || $link == \#* ]] && continue
  links+=("$link")
done <tests/print.links

status=0
python3 tests/e2e/print_check.py "$site" "$wd" "$waymark" "$out" "${links[@]}" || status=1
python3 tests/e2e/offline_check.py "$site" "$wd" || status=1
python3 tests/e2e/axe_check.py "$site" "$wd" "$axe_js" || status=1
python3 tests/e2e/hostile_check.py "$site" "$wd" "$waymark" tests/hostile.links || status=1
python3 tests/e2e/page_check.py "$site" "$wd" || status=1
exit $status
