#!/usr/bin/env bash
# Serves the web app at http://127.0.0.1:8080 with live rebuilds, after
# installing whatever the toolchain is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh --no-browser
cargo fetch --locked >/dev/null
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
