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

site=$CARGO_TARGET_DIR/site
out=$CARGO_TARGET_DIR/site-out
rm -rf "$site" "$out"
mkdir -p "$site" "$out"
trunk build --release --dist "$site/waymark" --public-url /waymark/ >/dev/null
cargo build --quiet -p waymark-cli
waymark=$CARGO_TARGET_DIR/debug/waymark

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wd_port=$(free_port)
chromedriver --port="$wd_port" >"$out/chromedriver.log" 2>&1 &
wd_pid=$!
trap 'kill "$wd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$wd_port/status" 2>/dev/null && break
  sleep 0.2
done
wd="http://127.0.0.1:$wd_port"

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
