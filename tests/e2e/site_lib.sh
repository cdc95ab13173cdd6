# shellcheck shell=bash
# Sourced by tests/e2e/site.sh and tests/e2e/browser_bench.sh.
#
#   build_site DIR          the release web app under DIR/waymark/, built for
#                           the public URL /waymark/ (as a static host serves it)
#   start_chromedriver LOG  chromedriver on a free port, logging to LOG; sets
#                           wd to its URL and stops it when the script exits

build_site() {
  rm -rf "$1"
  mkdir -p "$1"
  cargo fetch --locked >/dev/null  # Trunk.toml has cargo offline
  trunk build --release --dist "$1/waymark" --public-url /waymark/ >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_chromedriver() {
  local port
  port=$(free_port)
  chromedriver --port="$port" >"$1" 2>&1 &
  wd_pid=$!
  trap 'kill "$wd_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/status" 2>/dev/null && break
    sleep 0.2
  done
  # shellcheck disable=SC2034  # for the script that sources this file
  wd="http://127.0.0.1:$port"
}
