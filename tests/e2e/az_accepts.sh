#!/usr/bin/env bash
# az_accepts: every `az` command line in the HDInsight golden plans is one the
# real Azure CLI accepts (flags and choices), checked without logging in.
#
# A valid command fails with exit status 1 and asks for `az login`; a bad flag
# or value fails with exit status 2 ("unrecognized arguments", "invalid
# choice"). Secrets appear as "$NAME" references and get dummy values; values
# the script reads from the old cluster (VM sizes) get values as `az hdinsight
# show` reports them.
#
# Usage: tests/e2e/az_accepts.sh   (WAYMARK_CACHE overrides ~/.cache/waymark)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
VENV=$CACHE/azure-cli
JOBS=${AZ_ACCEPTS_JOBS:-2}

if [[ ! -x $VENV/bin/az ]]; then
  echo "az_accepts: installing azure-cli into $VENV (once)"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet azure-cli
fi
AZ=$VENV/bin/az

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --quiet -p waymark-cli)
WAYMARK=$CARGO_TARGET_DIR/debug/waymark

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Every az line of every golden scenario's JSON plan, deduplicated.
SCENARIOS=$ROOT/core/tests/golden/hdinsight/SCENARIOS.tsv
while IFS=$'\t' read -r name link; do
  "$WAYMARK" plan "$link" --format json >"$WORK/$name.json"
done <"$SCENARIOS"
python3 - "$WORK" >"$WORK/commands.txt" <<'PY'
import json, pathlib, sys
seen = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    plan = json.loads(path.read_text())
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for cmd in step["commands"]:
                if cmd.startswith("az ") and cmd not in seen:
                    seen.append(cmd)
for cmd in seen:
    print(cmd)
PY
total=$(wc -l <"$WORK/commands.txt")
if [[ $total -eq 0 ]]; then
  echo "az_accepts: no az commands found" >&2
  exit 1
fi

# One checker per command: a throwaway HOME (no login, no cached tokens), the
# az of the venv first on PATH, dummy secrets.
cat >"$WORK/check.sh" <<'SH'
#!/usr/bin/env bash
set -uo pipefail
line=$1 venv=$2 work=$3
home=$(mktemp -d "$work/home.XXXXXX")
# Files the plan writes before its az commands (hdi-metastore.json, in the
# script's private directory SECRET_DIR).
printf '{"hive-site": {}, "hive-env": {}}\n' >"$home/hdi-metastore.json"
out=$(cd "$home" && HOME=$home SECRET_DIR=$home PATH="$venv/bin:$PATH" AZURE_CORE_COLLECT_TELEMETRY=no \
  HTTP_PASSWORD=dummy-Passw0rd SSH_PASSWORD=dummy-Passw0rd CLUSTER_ADMIN_PASSWORD=dummy-Passw0rd \
  METASTORE_PASSWORD=dummy SOURCE_SAS=sv=dummy DEST_SAS=sv=dummy \
  HEADNODE_SIZE=Standard_E8_V3 WORKERNODE_SIZE=Standard_D13_V2 ZOOKEEPERNODE_SIZE=Standard_A4_V2 \
  bash -c "$line" 2>&1 </dev/null)
status=$?
rm -rf "$home"
if [[ $status -eq 1 ]] && grep -q "az login" <<<"$out"; then
  printf 'ok\t%s\n' "$line"
else
  printf 'FAIL\t%s\t(exit %s) %s\n' "$line" "$status" "$(tr '\n' ' ' <<<"$out" | cut -c1-300)"
fi
SH
chmod +x "$WORK/check.sh"

tr '\n' '\0' <"$WORK/commands.txt" |
  xargs -0 -P "$JOBS" -I{} "$WORK/check.sh" {} "$VENV" "$WORK" >"$WORK/results.txt"

passed=$(grep -c '^ok' "$WORK/results.txt" || true)
failed=$(grep -c '^FAIL' "$WORK/results.txt" || true)
grep '^FAIL' "$WORK/results.txt" >&2 || true
echo "az_accepts: $passed passed, $failed failed (az $("$AZ" version --query '"azure-cli"' -o tsv 2>/dev/null || echo '?'))"
[[ $failed -eq 0 && $passed -eq $total ]]
