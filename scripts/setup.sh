#!/usr/bin/env bash
# Installs every tool Waymark's build and tests need, skipping what is present.
# Idempotent: safe to run on every build and in CI. Downloads only from the
# package registries (crates.io, npm, PyPI, Debian); Trunk never downloads.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pinned in Cargo.toml
BINARYEN_VERSION=123
AXE_VERSION=4.14.1             # axe-core, injected into the page by tests/e2e/axe_check.py
CACHE="${WAYMARK_CACHE:-$HOME/.cache/waymark}"

log() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

want_browser=1
want_real=0
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    --real-systems) want_real=1 ;;
    *) echo "usage: setup.sh [--no-browser] [--real-systems]" >&2; exit 2 ;;
  esac
done

rustup target list --installed | grep -q wasm32-unknown-unknown || {
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt || true

if ! have trunk || [[ "$(trunk --version)" != "trunk $TRUNK_VERSION" ]]; then
  log "installing trunk $TRUNK_VERSION (about 6 minutes)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! have wasm-bindgen || [[ "$(wasm-bindgen --version)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: with it, resolution fails on this registry.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! have wasm-opt; then
  log "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
  npm install -g "binaryen@$BINARYEN_VERSION"
fi

apt_pkgs=()
have shellcheck || apt_pkgs+=(shellcheck)
if [[ $want_browser == 1 ]]; then
  have chromium || apt_pkgs+=(chromium)
  have chromedriver || apt_pkgs+=(chromium-driver)
  # pdftotext -bbox, for the printed-checklist test (tests/e2e/print.sh).
  have pdftotext || apt_pkgs+=(poppler-utils)
fi
if (( ${#apt_pkgs[@]} )); then
  log "installing ${apt_pkgs[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
fi

if [[ $want_browser == 1 ]]; then
  axe=$CACHE/axe/node_modules/axe-core
  if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$axe/package.json"; then
    log "installing axe-core@$AXE_VERSION from npm into $CACHE/axe"
    mkdir -p "$CACHE/axe"
    npm install --prefix "$CACHE/axe" --silent --no-audit --no-fund "axe-core@$AXE_VERSION"
  fi
fi

if [[ $want_real == 1 ]]; then
  "$(dirname "$0")/setup-real-systems.sh"
fi
log "toolchain ready"
