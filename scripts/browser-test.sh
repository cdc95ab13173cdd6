#!/usr/bin/env bash
# Runs the web app's browser tests (tests/browser.rs) in headless Chromium
# through wasm-bindgen-test-runner and chromedriver. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$PWD/webdriver.json}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

for tool in wasm-bindgen-test-runner trunk "$CHROMEDRIVER"; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run bash scripts/setup.sh" >&2; exit 2; }
done

# tests/downloads.rs drives the release build in an iframe: build it where
# the test runner serves it (it serves this directory) and save the CLI's
# output for each link of tests/downloads.links beside it.
dist=target/browser-dist
expected=target/browser-expected
cargo fetch --locked >/dev/null
trunk build --release --dist "$dist" --public-url "/$dist/" >/dev/null
rm -rf "$expected"
mkdir -p "$expected"
n=0
while IFS= read -r link; do
  [[ -z $link || $link == \#* ]] && continue
  for format in md sh json; do
    cargo run -q --bin waymark -- plan "$link" --format "$format" >"$expected/$n.$format"
  done
  n=$((n + 1))
done <tests/downloads.links

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --target wasm32-unknown-unknown -p waymark-web "$@" 2>&1 | tee "$log" || status=$?
echo
echo "== browser test summary"
grep -E '^test result:|^failures:|FAILED|panicked' "$log" || echo "(no summary line: the runner did not finish)"
exit "$status"
