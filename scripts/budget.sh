#!/usr/bin/env bash
# Builds the release web app and checks the first-load size budget: every
# file in dist/ (wasm, JS, CSS, HTML) gzipped at -9 must total under 150 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

BUDGET_KB=150

cargo fetch --locked >/dev/null
trunk build --release >/dev/null

total=0
printf '%-48s %10s %10s\n' file bytes gzip-9
while IFS= read -r -d '' file; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total=$((total + gz))
  printf '%-48s %10d %10d\n' "${file#dist/}" "$raw" "$gz"
done < <(find dist -type f -print0 | sort -z)

kb=$(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1024 }')
echo "total first load (gzipped): ${kb} KB (budget ${BUDGET_KB} KB)"
if (( total > BUDGET_KB * 1024 )); then
  echo "over budget by $(awk -v b="$total" -v l="$BUDGET_KB" 'BEGIN { printf "%.1f", b / 1024 - l }') KB" >&2
  exit 1
fi
