#!/usr/bin/env bash
# End-to-end test against real Flink for the standalone application target:
# a stateful job runs in its own job cluster on the old release
# (bin/standalone-job.sh with the jar in usrlib/). The script Waymark
# generates stops it with a savepoint (the job cluster then shuts down),
# stops the old TaskManager, and starts a job cluster of the new release from
# that savepoint under the job id the plan fixes. The counts must go on from
# the carried state; verify passes; a rollback starts an old-release job
# cluster again from the first savepoint.
#
#   bash tests/e2e/flink_application.sh
#
# Environment: WAYMARK_E2E_OLD / WAYMARK_E2E_NEW (default 1.19.3, 1.20.1),
# WAYMARK_CACHE, WAYMARK_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
START=$SECONDS

OLD_V=${WAYMARK_E2E_OLD:-1.19.3}
NEW_V=${WAYMARK_E2E_NEW:-1.20.1}
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}

# shellcheck source=tests/e2e/flink_lib.sh
source "$ROOT/tests/e2e/flink_lib.sh"
bash scripts/setup-real-systems.sh --flink "$OLD_V" "$NEW_V" >&2
REST=localhost:18101
export WAYMARK_POLL_SECONDS=2

case_dir="$WORK/application"
mkdir -p "$case_dir/jobs"
old_home="$case_dir/flink-$OLD_V" new_home="$case_dir/flink-$NEW_V"
make_home "$OLD_V" "$old_home" 18101 16143
make_home "$NEW_V" "$new_home" 18101 16143
# Job clusters are not stopped by stop-cluster.sh: stop them on every exit.
stop_job_clusters() {
  local home
  for home in "$old_home" "$new_home"; do
    "$home/bin/standalone-job.sh" stop >/dev/null 2>&1 || true
    "$home/bin/taskmanager.sh" stop-all >/dev/null 2>&1 || true
  done
}
trap 'stop_job_clusters; cleanup' EXIT

JAR="$case_dir/jobs/counter job.jar"
build_jar "$OLD_V" "$JAR"
ARGS_TEXT="--label 'two words'"
EXPECTED_NAME="--label|two words"

# checkpointed ID: waits until the job has completed a checkpoint.
checkpointed() {
  for _ in $(seq 1 90); do
    if rest_get "$REST" "/jobs/$1/checkpoints" 2>/dev/null | grep -qE '"completed":[1-9]'; then return 0; fi
    sleep 2
  done
  fail "job $1 never completed a checkpoint"
}
# first_count HOME: the first count the job printed in that installation's
# TaskManager output (the print sink writes "key:count").
first_count() {
  awk '/^([0-9]+> )?[0-3]:[0-9]+$/ { n = split($0, f, ":"); print f[n]; exit }' "$1"/log/*taskexecutor*.out 2>/dev/null || true
}

log "starting a Flink $OLD_V job cluster with the job"
mkdir -p "$old_home/usrlib"
cp "$JAR" "$old_home/usrlib/"
"$old_home/bin/standalone-job.sh" start --job-classname WaymarkCounter -Dparallelism.default=2 --label 'two words' >/dev/null
"$old_home/bin/taskmanager.sh" start >/dev/null
wait_up "$REST"
id=""
for _ in $(seq 1 60); do
  id=$(running "$REST" || true)
  [[ -n $id ]] && break
  sleep 2
done
[[ -n $id ]] || fail "the job cluster runs no job"
checkpointed "$id"
sleep 4 # some state to carry

link="v=1&platform=flink&from=$OLD_V&to=$NEW_V&deployment=standalone-application&uids=all"
link+="&old-home=$(urlencode "$old_home")&new-home=$(urlencode "$new_home")"
link+="&savepoint-dir=$(urlencode "file://$case_dir/savepoints")"
link+="&job1.id=$id&job1.name=counter&job1.jar=$(urlencode "$JAR")&job1.class=WaymarkCounter"
link+="&job1.args=$(urlencode "$ARGS_TEXT")&job1.parallelism=2&job1.jobmanager=$REST"
"$WAYMARK" plan "$link" --format sh --output "$case_dir/upgrade.sh"
done_by_person=(--done preflight.go --done preflight.savepoint-dir --done preflight.taskmanagers)

log "cutover: the Flink $OLD_V job cluster stopped with a savepoint, a Flink $NEW_V one started from it"
(cd "$case_dir" && bash upgrade.sh cutover --yes "${done_by_person[@]}") >"$case_dir/cutover.log" 2>&1 ||
  { tail -60 "$case_dir/cutover.log"; fail "the cutover failed"; }
sp1=$(state_value "$case_dir" JOB1_SAVEPOINT)
new_id=$(state_value "$case_dir" JOB1_NEW_ID)
[[ -n $sp1 && -n $new_id ]] || fail "the state file lacks the savepoint or the new id ($sp1, $new_id)"
[[ $new_id != "$id" ]] || fail "the new job cluster reused the old job id"
version=$(rest_get "$REST" /config | json 'd["flink-version"]')
[[ $version == "$NEW_V" ]] || fail "the job cluster runs $version, not $NEW_V"
[[ $(running "$REST") == "$new_id" ]] || fail "the new job cluster runs $(running "$REST"), not the fixed id $new_id"
restored=$(rest_get "$REST" "/jobs/$new_id/checkpoints" | json '(d["latest"]["restored"] or {}).get("external_path", "none")')
[[ $restored == "$sp1" ]] || fail "the job restored from $restored, not $sp1"
name=$(rest_get "$REST" "/jobs/$new_id" | json 'd["name"]')
[[ $name == "$EXPECTED_NAME" ]] || fail "program arguments arrived as '$name', expected '$EXPECTED_NAME'"
(cd "$case_dir" && bash upgrade.sh verify --yes --done verify.observe) >"$case_dir/verify.log" 2>&1 ||
  { tail -40 "$case_dir/verify.log"; fail "verify failed"; }
first=$(first_count "$new_home")
[[ ${first:-0} -gt 1 ]] || fail "the job on $NEW_V started counting from ${first:-nothing}: its state was lost"
log "OK: job cluster on Flink $version (job $new_id) from $sp1, counts going on from $first; verified"

log "rollback to a Flink $OLD_V job cluster"
(cd "$case_dir" && bash upgrade.sh rollback --yes --done rollback.jobs) >"$case_dir/rollback.log" 2>&1 ||
  { tail -60 "$case_dir/rollback.log"; fail "the rollback failed"; }
version=$(rest_get "$REST" /config | json 'd["flink-version"]')
[[ $version == "$OLD_V" ]] || fail "after the rollback the job cluster runs $version, not $OLD_V"
back=$(running "$REST")
[[ $back == "$(state_value "$case_dir" JOB1_ROLLBACK_ID)" ]] || fail "after the rollback the cluster runs: $back"
restored=$(rest_get "$REST" "/jobs/$back/checkpoints" | json '(d["latest"]["restored"] or {}).get("external_path", "none")')
[[ $restored == "$sp1" ]] || fail "the rolled-back job restored from $restored, not $sp1"
log "OK: rolled back to a Flink $version job cluster from the first savepoint"
echo "flink_application: 1 passed, 0 failed ($((SECONDS - START))s)"
