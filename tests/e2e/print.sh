#!/usr/bin/env bash
# The printed checklist on paper: builds the web app under a sub-path
# (/waymark/, as a static host would serve it), serves it, and prints each
# link of tests/print.links to PDF on A4 and Letter in headless Chromium,
# then reads the PDFs back with pdftotext (tests/e2e/print_check.py says
# what is checked).
#
# Usage: tests/e2e/print.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
for tool in trunk chromedriver pdftotext python3; do
  command -v "$tool" >/dev/null || { echo "print: missing $tool: run bash scripts/setup.sh" >&2; exit 2; }
done

site=$CARGO_TARGET_DIR/print-site
out=$CARGO_TARGET_DIR/print-out
rm -rf "$site" "$out"
mkdir -p "$site" "$out"
trunk build --release --dist "$site/waymark" --public-url /waymark/ >/dev/null
cargo build --quiet -p waymark-cli
waymark=$CARGO_TARGET_DIR/debug/waymark

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
wd_port=$(free_port)
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$site" >"$out/http.log" 2>&1 &
http_pid=$!
chromedriver --port="$wd_port" >"$out/chromedriver.log" 2>&1 &
wd_pid=$!
trap 'kill "$http_pid" "$wd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$http_port/waymark/" 2>/dev/null \
    && curl -fsS -o /dev/null "http://127.0.0.1:$wd_port/status" 2>/dev/null && break
  sleep 0.2
done

links=()
while IFS= read -r link; do
  [[ -z $link || $link == \#* ]] && continue
  links+=("$link")
done <tests/print.links

python3 tests/e2e/print_check.py "http://127.0.0.1:$http_port/waymark/" \
  "http://127.0.0.1:$wd_port" "$waymark" "$out" "${links[@]}"
