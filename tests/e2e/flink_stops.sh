#!/usr/bin/env bash
# End-to-end test against real Flink for a route with a stop: a stateful job
# whose tasks take a while to start at every start (like a slow source or a
# large state to restore) moves in place from FROM through the stop STOP
# (chosen with via=) to TO, each version with its own jar. The script must
# wait at the stop until every task runs and a checkpoint has completed
# before it takes the next savepoint; the job ends on TO restored from the
# stop's savepoint with its state; verify passes; a rollback brings it back
# to FROM from the first savepoint.
#
#   bash tests/e2e/flink_stops.sh
#
# Environment: WAYMARK_E2E_FROM / _STOP / _TO (default 1.18.1, 1.19.3,
# 1.20.1), WAYMARK_E2E_SLOW_START (seconds, default 20), WAYMARK_CACHE,
# WAYMARK_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

FROM_V=${WAYMARK_E2E_FROM:-1.18.1}
STOP_V=${WAYMARK_E2E_STOP:-1.19.3}
TO_V=${WAYMARK_E2E_TO:-1.20.1}
SLOW=${WAYMARK_E2E_SLOW_START:-20}
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}

# shellcheck source=tests/e2e/flink_lib.sh
source "$ROOT/tests/e2e/flink_lib.sh"
bash scripts/setup-real-systems.sh --flink "$FROM_V" "$STOP_V" "$TO_V" >&2
REST=localhost:18091
export WAYMARK_POLL_SECONDS=2

case_dir="$WORK/stops"
mkdir -p "$case_dir/jobs"
for v in "$FROM_V" "$STOP_V" "$TO_V"; do
  make_home "$v" "$case_dir/flink-$v" 18091 16133
  build_jar "$v" "$case_dir/jobs/counter-$v.jar"
done
from_home="$case_dir/flink-$FROM_V" stop_home="$case_dir/flink-$STOP_V" to_home="$case_dir/flink-$TO_V"
jar() { printf '%s' "$case_dir/jobs/counter-$1.jar"; }

# checkpointed REST ID: waits until the job has completed a checkpoint.
checkpointed() {
  for _ in $(seq 1 90); do
    if rest_get "$1" "/jobs/$2/checkpoints" 2>/dev/null | grep -qE '"completed":[1-9]'; then return 0; fi
    sleep 2
  done
  fail "job $2 never completed a checkpoint"
}

log "starting Flink $FROM_V with a job that takes ${SLOW}s to start"
"$from_home/bin/start-cluster.sh" >/dev/null
wait_up "$REST"
out=$("$from_home/bin/flink" run -d -m "$REST" -c WaymarkCounter "$(jar "$FROM_V")" --slow-start "$SLOW" 2>&1) || { echo "$out" >&2; fail "could not submit the job"; }
id=$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | tail -1)
[[ -n $id ]] || fail "no job id in: $out"
checkpointed "$REST" "$id"
sleep 4 # some state to carry

link="v=1&platform=flink&from=$FROM_V&to=$TO_V&via=$STOP_V&strategy=in-place&uids=all"
link+="&old-home=$(urlencode "$from_home")&stop1-home=$(urlencode "$stop_home")&new-home=$(urlencode "$to_home")"
link+="&old-jobmanager=$REST&new-jobmanager=$REST&savepoint-dir=$(urlencode "file://$case_dir/savepoints")"
link+="&job1.id=$id&job1.name=slow-counter&job1.class=WaymarkCounter&job1.parallelism=2"
link+="&job1.args=$(urlencode "--slow-start $SLOW")"
link+="&job1.jar=$(urlencode "$(jar "$TO_V")")&job1.stop1-jar=$(urlencode "$(jar "$STOP_V")")&job1.old-jar=$(urlencode "$(jar "$FROM_V")")"
"$WAYMARK" plan "$link" --format json --output "$case_dir/plan.json"
path=$(json '" ".join(d["path"])' <"$case_dir/plan.json")
[[ $path == "$FROM_V $STOP_V $TO_V" ]] || fail "the route is $path, expected $FROM_V $STOP_V $TO_V"
"$WAYMARK" plan "$link" --format sh --output "$case_dir/upgrade.sh"

log "cutover $FROM_V → $STOP_V → $TO_V"
(cd "$case_dir" && bash upgrade.sh cutover --yes --done preflight.go --done preflight.savepoint-dir) >"$case_dir/cutover.log" 2>&1 ||
  { tail -60 "$case_dir/cutover.log"; fail "the cutover failed"; }
# At the stop, the resume waited for the slow tasks before the next savepoint.
hop1=$(sed -n '/Resume slow-counter on Flink '"$STOP_V"'/,/Stop slow-counter with a savepoint/p' "$case_dir/cutover.log")
grep -q "waiting: every task of slow-counter is running" <<<"$hop1" || { echo "$hop1" | tail -30; fail "the stop's resume did not wait for the starting tasks"; }
grep -q "ok: slow-counter completed a checkpoint on Flink $STOP_V" <<<"$hop1" || fail "the stop's resume did not wait for a checkpoint"
grep -qF "$(jar "$STOP_V")" <<<"$hop1" || fail "the stop did not use its own jar"
sp1=$(state_value "$case_dir" JOB1_SAVEPOINT)
sp2=$(state_value "$case_dir" JOB1_SAVEPOINT_STOP1)
new_id=$(state_value "$case_dir" JOB1_NEW_ID)
[[ -n $sp1 && -n $sp2 && -n $new_id ]] || fail "the state file lacks a savepoint or the new id ($sp1, $sp2, $new_id)"

version=$(rest_get "$REST" /config | json 'd["flink-version"]')
[[ $version == "$TO_V" ]] || fail "the cluster runs $version, not $TO_V"
restored=$(rest_get "$REST" "/jobs/$new_id/checkpoints" | json '(d["latest"]["restored"] or {}).get("external_path", "none")')
[[ $restored == "$sp2" ]] || fail "the job on $TO_V restored from $restored, not the stop's savepoint $sp2"
(cd "$case_dir" && bash upgrade.sh verify --yes --done verify.observe) >"$case_dir/verify.log" 2>&1 || { tail -40 "$case_dir/verify.log"; fail "verify failed"; }
# The counts went on from the state carried through both hops.
# The print sink writes "key:count", prefixed "<subtask>> " at parallelism > 1.
first=$(awk '/^([0-9]+> )?[0-3]:[0-9]+$/ { n = split($0, f, ":"); print f[n]; exit }' "$to_home"/log/*taskexecutor*.out 2>/dev/null || true)
[[ ${first:-0} -gt 1 ]] || fail "the job on $TO_V started counting from ${first:-nothing}: its state was lost"
log "OK: on Flink $version from the stop's savepoint, counts going on from $first; verified"

log "rollback to Flink $FROM_V"
(cd "$case_dir" && bash upgrade.sh rollback --yes --done rollback.jobs) >"$case_dir/rollback.log" 2>&1 || { tail -60 "$case_dir/rollback.log"; fail "the rollback failed"; }
version=$(rest_get "$REST" /config | json 'd["flink-version"]')
[[ $version == "$FROM_V" ]] || fail "after the rollback the cluster runs $version, not $FROM_V"
back=$(running "$REST")
[[ $(wc -w <<<"$back") == 1 ]] || fail "after the rollback the cluster runs: $back"
restored=$(rest_get "$REST" "/jobs/$back/checkpoints" | json '(d["latest"]["restored"] or {}).get("external_path", "none")')
[[ $restored == "$sp1" ]] || fail "the rolled-back job restored from $restored, not $sp1"
log "OK: rolled back to Flink $version from the first savepoint"
"$from_home/bin/stop-cluster.sh" >/dev/null 2>&1 || true
echo "flink_stops: 1 passed, 0 failed"
