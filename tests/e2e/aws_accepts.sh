#!/usr/bin/env bash
# aws_accepts: every `aws` command line the Amazon Managed Flink golden
# scripts run is one the real AWS CLI accepts (subcommands, options, JSON
# arguments against the service model, JMESPath queries), checked offline.
#
# The calls are the scripts' own: each golden script's values, and every
# command, check, recovery and person's command of it, run with an `aws` shim
# first on PATH, so the argument lists are exactly what bash builds from the
# script (template text included). The shim hands each call to the real
# awscli with dummy credentials and an endpoint on 127.0.0.1 that refuses
# connections: a valid call fails only at the network ("Could not connect to
# the endpoint URL", after parsing and validating its parameters); a bad
# option, JSON shape, type or query fails before. The shim then answers like
# the service (RUNNING, READY or UPDATING in turn) so that template text goes
# on to its next call. Runtime values are checked against the service model's
# list, which the parser does not check. Known-bad commands must be rejected,
# so the check can fail.
#
# Usage: tests/e2e/aws_accepts.sh   (WAYMARK_CACHE overrides ~/.cache/waymark)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
bash "$ROOT/scripts/setup-real-systems.sh" --aws >/dev/null
REAL_AWS=$CACHE/awscli/bin/aws

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
export REAL_AWS LOG=$WORK/results.txt CACHE_FILE=$WORK/seen.txt
: >"$LOG"
: >"$CACHE_FILE"

cat >"$WORK/bin/aws" <<'SH'
#!/usr/bin/env bash
# Checks one call with the real parser (once per distinct call), then
# answers like the service would.
line=$(printf '%q ' "$@")
if ! grep -qxF -- "$line" "$CACHE_FILE"; then
  printf '%s\n' "$line" >>"$CACHE_FILE"
  out=$(env -i PATH="$PATH" HOME="$HOME" AWS_ACCESS_KEY_ID=AKIAWAYMARKCHECK AWS_SECRET_ACCESS_KEY=waymark-check \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard \
    timeout 60 "$REAL_AWS" --endpoint-url http://127.0.0.1:9 "$@" 2>&1 >/dev/null)
  rc=$?
  if [[ $rc == 255 && $out == *"Could not connect to the endpoint URL"* ]]; then
    printf 'ok\t%s\n' "$line" >>"$LOG"
  else
    printf 'FAIL\t%s\t(exit %s) %s\n' "$line" "$rc" "$(tr '\n' ' ' <<<"$out" | cut -c1-300)" >>"$LOG"
  fi
fi
case "$*" in
  # The existence probe before a snapshot is taken: not there yet.
  *describe-application-snapshot*) [[ " $* " == *" --query "* ]] || exit 254 ;;&
  *"ApplicationStatus, RuntimeEnvironment"*) printf '%s\tFLINK-0_0\n' "$SHIM_STATUS" ;;
  *ApplicationStatus*) echo "$SHIM_STATUS" ;;
  *VersionId*) echo 7 ;;
  *BucketARN*) echo arn:aws:s3:::waymark-check ;;
  *list-application-operations*) echo op-0123456789 ;;
esac
exit 0
SH
chmod +x "$WORK/bin/aws"

# One harness per golden script: its values, plausible captured values, and
# each of its commands, checks, recoveries and by-hand commands, three times
# (an application RUNNING, READY and UPDATING).
scripts=("$ROOT"/core/tests/golden/flink-managed/*.sh)
for sh in "${scripts[@]}"; do
  h=$WORK/$(basename "$sh" .sh).harness.sh
  {
    echo 'act() { while [[ $1 != -- ]]; do shift; done; shift; "$@" >/dev/null 2>&1 || true; }'
    echo 'gate() { while [[ $1 != -- ]]; do shift; done; shift; "$@" >/dev/null 2>&1 || true; }'
    echo 'by_hand() { if [[ $1 == "  "* ]]; then bash -c "${1#  }" >/dev/null 2>&1 || true; fi; }'
    sed -n '/^# ---- Scenario values/,/^# ---- This plan/p' "$sh"
    grep -E '^CAPTURED=\(' "$sh"
    cat <<'EOF'
for _n in "${CAPTURED[@]}"; do
  case $_n in
    *_TIME | *_SINCE) _v=2026-01-01T00:00:00Z ;;
    *_SNAPSHOT_HOP*) _v=waymark-20260101-000000-before-FLINK-1_20 ;;
    *_VERSION_HOP*) _v=6 ;; # the shim answers 7: the update took effect
    *_OPERATION_HOP*) _v=op-0123456789 ;;
    *_BUCKET) _v=waymark-check ;;
    *) _v=x ;;
  esac
  printf -v "$_n" '%s' "$_v"
  export "${_n?}"
done
EOF
    for status in RUNNING READY UPDATING; do
      echo "export SHIM_STATUS=$status"
      grep -E '^    (\[\[ .* \]\] \|\| )?(act|gate|by_hand) ' "$sh" || true
      grep -E '^  out=\$\(.*\) \|\| return \$\?$' "$sh" |
        sed -E 's/^  out=\$\((.*)\) \|\| return \$\?$/\1 >\/dev\/null 2>\&1 || true/' || true
    done
  } >"$h"
  PATH="$WORK/bin:$PATH" bash "$h" </dev/null
done

total=$(wc -l <"$LOG")
passed=$(grep -c '^ok' "$LOG" || true)
failed=$(grep -c '^FAIL' "$LOG" || true)
grep '^FAIL' "$LOG" >&2 || true

# Every operation the runbooks use was reached (template branches included).
missing=()
for op in "sts get-caller-identity" "describe-application " describe-application-snapshot create-application-snapshot \
  "update-application " list-application-operations describe-application-operation rollback-application \
  start-application delete-application-snapshot get-metric-statistics head-object delete-object; do
  grep -q "^ok	.*$op" "$LOG" || missing+=("$op")
done
if ((${#missing[@]})); then
  echo "aws_accepts: never reached: ${missing[*]}" >&2
  failed=$((failed + 1))
fi

# Runtime values: the parser passes any string, the service model lists them.
known=$("$CACHE/awscli/bin/python" -c 'import awscli.botocore.session as s; print(" ".join(s.get_session().get_service_model("kinesisanalyticsv2").shape_for("RuntimeEnvironment").enum))')
# (of the plans that are not blocked: a blocked plan names the runtime it lacks)
runnable=()
for sh in "${scripts[@]}"; do grep -qx 'BLOCKED=0' "$sh" && runnable+=("$sh"); done
runtimes=$(grep -ohE '(runtime-environment-update|RUNTIME=)[^ ]*FLINK-[0-9]+_[0-9]+' "${runnable[@]}" | grep -oE 'FLINK-[0-9]+_[0-9]+' | sort -u)
# …and every runtime the planner offers (RUNTIMES in the target's source).
offered=$(grep -oE '^ +\([0-9]+, [0-9]+, (true|false)\),' "$ROOT/core/src/flink/targets/managed/mod.rs" | sed -E 's/^ +\(([0-9]+), ([0-9]+),.*/FLINK-\1_\2/')
[[ -n $offered ]] || { echo "aws_accepts: no RUNTIMES found" >&2; failed=$((failed + 1)); }
runtimes=$(printf '%s\n' $runtimes $offered | sort -u)
for r in $runtimes; do
  if [[ " $known " != *" $r "* ]]; then
    echo "aws_accepts: $r is not a RuntimeEnvironment value of the service model" >&2
    failed=$((failed + 1))
  fi
done

# The check must be able to fail: bad commands are rejected.
update=$(grep -m1 -E "^ok	kinesisanalyticsv2 update-application .*FileKeyUpdate" "$LOG" | cut -f2 || true)
bad=(
  "kinesisanalyticsv2 describe-application --region eu-west-1 --application-name a --no-such-option x"
  "kinesisanalyticsv2 update-application --region eu-west-1 --application-name a --current-application-version-id 7 --application-configuration-update '{\"ApplicationCodeConfigurationUpdate\":{\"CodeContentUpdate\":{\"S3ContentLocationUpdate\":{\"FileKey\":\"k\"}}}}'"
  "kinesisanalyticsv2 update-application --region eu-west-1 --application-name a --current-application-version-id seven"
  "kinesisanalyticsv2 describe-application --region eu-west-1 --application-name a --query 'ApplicationDetail.[ApplicationStatus'"
  "kinesisanalyticsv2 rollback-application --region eu-west-1 --application-name a"
  "${update/FileKeyUpdate/FileKeyUpdat}"
)
controls=0
for b in "${bad[@]}"; do
  [[ -n $b && $b == *kinesisanalyticsv2* ]] || { echo "aws_accepts: no generated update-application to mutate" >&2; failed=$((failed + 1)); continue; }
  : >"$WORK/control.txt"
  (export LOG=$WORK/control.txt CACHE_FILE=$WORK/control-seen.txt; : >"$CACHE_FILE"; eval "$WORK/bin/aws ${b#aws }" >/dev/null)
  if grep -q '^FAIL' "$WORK/control.txt"; then
    controls=$((controls + 1))
  else
    echo "aws_accepts: a bad command was accepted: $b" >&2
    failed=$((failed + 1))
  fi
done

echo "aws_accepts: $passed of $total distinct aws commands accepted, $failed failed; $controls bad commands rejected; runtimes checked: $(echo "$runtimes" | tr '\n' ' ')($("$REAL_AWS" --version 2>&1 | cut -d' ' -f1))"
[[ $failed -eq 0 && $passed -eq $total && $total -gt 0 ]]
