#!/usr/bin/env bash
# Builds the release web app and prints the first-load size: every file in
# dist/ (wasm, JS, CSS, HTML) gzipped at -9, except the exports worker's
# (exports_worker*: the renderers, fetched on the first download), whose size
# is printed apart. The check fails if index.html refers to the worker, as
# the page would then fetch it on load.
#
# The standing target is 150 KB. The app is over it today (see the closing
# notes of issue 2): the core alone is ~120 KB gzipped and Leptos's floor
# ~33 KB. Until that is solved, this check fails on any growth past
# CEILING_KB (the measured size plus a little slack), and prints how far the
# build is from the 150 KB target every time. Lower CEILING_KB whenever the
# size drops; never raise it without saying why in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TARGET_KB=150
# Measured 409.9 KB after issue 9's deployment targets (nine runbooks the
# page plans, about 96 KB) and issue 10's page work (about 10 KB); 293.9 KB
# before, after the review fixes of issues 7 and 8. Raised from 295; see
# DEVELOPERS.md for the growth and the levers (issue 11).
CEILING_KB=${WAYMARK_SIZE_CEILING_KB:-432}

cargo fetch --locked >/dev/null
trunk build --release >/dev/null

if grep -q exports_worker dist/index.html; then
  echo "dist/index.html refers to the exports worker: the first load would fetch it" >&2
  exit 1
fi

total=0
worker=0
printf '%-48s %10s %10s\n' file bytes gzip-9
while IFS= read -r -d '' file; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  name=${file#dist/}
  if [[ $name == exports_worker* ]]; then
    worker=$((worker + gz))
    name="$name (worker)"
  elif [[ $name == sw.js ]]; then
    # The service worker: registered after the page has loaded.
    name="$name (after load)"
  else
    total=$((total + gz))
  fi
  printf '%-48s %10d %10d\n' "$name" "$raw" "$gz"
done < <(find dist -type f -print0 | sort -z)

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
if (( worker == 0 )); then
  echo "no exports worker in dist/ (index.html builds it)" >&2
  exit 1
fi
echo "exports worker (gzipped): $(kb "$worker") KB, fetched on the first download"
echo "total first load (gzipped): $(kb "$total") KB (target ${TARGET_KB} KB, ceiling ${CEILING_KB} KB)"
if (( total > TARGET_KB * 1024 )); then
  echo "NOT MET: the first load is $(awk -v b="$total" -v l="$TARGET_KB" 'BEGIN { printf "%.1f", b / 1024 - l }') KB over the ${TARGET_KB} KB target"
fi
if (( total > CEILING_KB * 1024 )); then
  echo "over the ${CEILING_KB} KB ceiling: this change made the first load bigger" >&2
  exit 1
fi
