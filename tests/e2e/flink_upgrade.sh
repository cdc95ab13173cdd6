#!/usr/bin/env bash
# End-to-end test against real Flink: two stateful jobs with uids run on the
# old release; the script Waymark generates moves them to the new release.
# Job 2's jar is broken at first, so the cutover stops half-way. In place,
# the jar is fixed and the same command carries on, then verify and a
# rollback; as a shadow copy, the partial cutover is rolled back, then a
# fresh plan moves the jobs for good and the decommission retires the old
# cluster. Each time the REST API must show each job restored from its own
# savepoint, with its arguments intact.
#
#   bash tests/e2e/flink_upgrade.sh [in-place|shadow-copy]...
#
# Environment: WAYMARK_E2E_OLD / WAYMARK_E2E_NEW (Flink versions, default
# 1.19.3 and 1.20.1), WAYMARK_CACHE (where the distributions live),
# WAYMARK_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

OLD_V=${WAYMARK_E2E_OLD:-1.19.3}
NEW_V=${WAYMARK_E2E_NEW:-1.20.1}
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
STRATEGIES=("$@")
[[ ${#STRATEGIES[@]} -gt 0 ]] || STRATEGIES=(in-place shadow-copy)

# shellcheck source=tests/e2e/flink_lib.sh
source "$ROOT/tests/e2e/flink_lib.sh"
bash scripts/setup-real-systems.sh --flink "$OLD_V" "$NEW_V" >&2

# Compile the job against the old release (same API on both).
JOBDIR="$WORK/my jobs"
mkdir -p "$JOBDIR"
JAR="$JOBDIR/counter job.jar"
build_jar "$OLD_V" "$JAR"
ARGS_TEXT="--label 'two words' --quote \"it's\" --dollar '\$HOME'"
EXPECTED_NAME="--label|two words|--quote|it's|--dollar|\$HOME"

# submit HOME REST: starts the counter job on the cluster at REST; prints its id.
submit() {
  local out id
  out=$("$1/bin/flink" run -d -m "$2" -c WaymarkCounter "$JAR" --label 'two words' --quote "it's" --dollar '$HOME' 2>&1) || { echo "$out" >&2; fail "could not submit the job"; }
  id=$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | tail -1)
  [[ -n $id ]] || { echo "$out" >&2; fail "no job id in the submit output"; }
  printf '%s' "$id"
}

# assert_restored REST SAVEPOINT...: exactly these savepoints' jobs run at
# REST, each restored from its own savepoint, with the arguments intact.
assert_restored() {
  local rest=$1 what=$2 id restored name
  shift 2
  local want=("$@") got=()
  for id in $(running "$rest"); do
    restored=$(rest_get "$rest" "/jobs/$id/checkpoints" | json '(d["latest"]["restored"] or {}).get("external_path", "none")')
    name=$(rest_get "$rest" "/jobs/$id" | json 'd["name"]')
    [[ $name == "$EXPECTED_NAME" ]] || fail "$what: program arguments arrived as '$name', expected '$EXPECTED_NAME'"
    got+=("$restored")
  done
  [[ "$(printf '%s\n' "${got[@]}" | sort)" == "$(printf '%s\n' "${want[@]}" | sort)" ]] ||
    fail "$what: the jobs at $rest restored from (${got[*]}), expected (${want[*]})"
}

run_case() {
  local strategy=$1 old_rest new_rest case_dir
  case_dir="$WORK/$strategy"
  mkdir -p "$case_dir"
  if [[ $strategy == in-place ]]; then
    old_rest=localhost:18081; new_rest=localhost:18081
    make_home "$OLD_V" "$case_dir/flink-$OLD_V" 18081 16123
    make_home "$NEW_V" "$case_dir/flink-$NEW_V" 18081 16123
  else
    old_rest=localhost:18081; new_rest=localhost:18082
    make_home "$OLD_V" "$case_dir/flink-$OLD_V" 18081 16123
    make_home "$NEW_V" "$case_dir/flink-$NEW_V" 18082 16124
  fi
  local old_home="$case_dir/flink-$OLD_V" new_home="$case_dir/flink-$NEW_V"

  log "$strategy: starting Flink $OLD_V with two jobs"
  "$old_home/bin/start-cluster.sh" >/dev/null
  wait_up "$old_rest"
  local id1 id2
  id1=$(submit "$old_home" "$old_rest")
  id2=$(submit "$old_home" "$old_rest")
  sleep 8  # let some state build up

  # Job 2's jar is broken until the operator "fixes" it: the cutover stops at
  # its resume, after job 1 moved and job 2 was stopped with a savepoint.
  local broken="$JOBDIR/job two.jar"
  : >"$broken"
  local link
  link="v=1&platform=flink&from=$OLD_V&to=$NEW_V&strategy=$strategy&uids=all"
  link+="&old-home=$(urlencode "$old_home")&new-home=$(urlencode "$new_home")"
  link+="&old-jobmanager=$old_rest&new-jobmanager=$new_rest"
  link+="&savepoint-dir=$(urlencode "file://$case_dir/savepoints")"
  link+="&job1.id=$id1&job1.name=counter&job1.jar=$(urlencode "$JAR")&job1.class=WaymarkCounter"
  link+="&job1.args=$(urlencode "$ARGS_TEXT")&job1.parallelism=2"
  link+="&job2.id=$id2&job2.name=counter-two&job2.jar=$(urlencode "$broken")&job2.old-jar=$(urlencode "$JAR")&job2.class=WaymarkCounter"
  link+="&job2.args=$(urlencode "$ARGS_TEXT")&job2.parallelism=2"
  "$WAYMARK" plan "$link" --format sh --output "$case_dir/upgrade.sh"
  local script=(bash upgrade.sh)
  local cutover=(cutover --yes --done preflight.go --done preflight.savepoint-dir)
  export WAYMARK_POLL_SECONDS=2

  if [[ $strategy == shadow-copy ]]; then
    log "$strategy: prepare starts the new cluster"
    (cd "$case_dir" && "${script[@]}" prepare --yes --done prepare.preconditions --done "prepare.install.$NEW_V" --done prepare.rehearse) >"$case_dir/prepare.log" 2>&1 ||
      { tail -40 "$case_dir/prepare.log"; fail "$strategy: prepare failed"; }
  fi

  log "$strategy: a cutover that stops at job 2's resume"
  if (cd "$case_dir" && "${script[@]}" "${cutover[@]}") >"$case_dir/cutover-1.log" 2>&1; then
    fail "$strategy: the cutover went through with a broken jar"
  fi
  grep -q "Stopped at .*Resume counter-two" "$case_dir/cutover-1.log" || { tail -30 "$case_dir/cutover-1.log"; fail "$strategy: it did not stop at job 2's resume"; }
  local sp1 sp2
  sp1=$(state_value "$case_dir" JOB1_SAVEPOINT)
  sp2=$(state_value "$case_dir" JOB2_SAVEPOINT)
  [[ -n $sp1 && -n $sp2 ]] || fail "$strategy: the savepoints were not kept ($sp1, $sp2)"

  if [[ $strategy == in-place ]]; then
    log "$strategy: the jar fixed, the same command carries on"
    cp "$JAR" "$broken"
    (cd "$case_dir" && "${script[@]}" "${cutover[@]}") >"$case_dir/cutover-2.log" 2>&1 || { tail -60 "$case_dir/cutover-2.log"; fail "$strategy: the resumed cutover failed"; }
    grep -q "Already done" "$case_dir/cutover-2.log" || fail "$strategy: the rerun did not skip the finished steps"
    [[ $(state_value "$case_dir" JOB1_SAVEPOINT) == "$sp1" ]] || fail "$strategy: job 1 was savepointed again"
    assert_restored "$new_rest" "$strategy after the resumed cutover" "$sp1" "$sp2"
    local version
    version=$(rest_get "$new_rest" /config | json 'd["flink-version"]')
    [[ $version == "$NEW_V" ]] || fail "$strategy: the new cluster runs $version, not $NEW_V"
    (cd "$case_dir" && "${script[@]}" verify --yes --done verify.observe) >"$case_dir/verify.log" 2>&1 || { tail -40 "$case_dir/verify.log"; fail "$strategy: verify failed"; }
    log "$strategy: OK: both jobs on Flink $version, each from its own savepoint; verified"

    log "$strategy: rolling back after the verify"
    (cd "$case_dir" && "${script[@]}" rollback --yes --done rollback.jobs) >"$case_dir/rollback.log" 2>&1 || { tail -60 "$case_dir/rollback.log"; fail "rollback failed"; }
    version=$(rest_get "$old_rest" /config | json 'd["flink-version"]')
    [[ $version == "$OLD_V" ]] || fail "rollback: the cluster runs $version, not $OLD_V"
    assert_restored "$old_rest" "$strategy after the rollback" "$sp1" "$sp2"
    log "$strategy: OK: rolled back to Flink $version, each job from its own savepoint"
  else
    log "$strategy: rolling back the partial cutover"
    (cd "$case_dir" && "${script[@]}" rollback --yes --done rollback.jobs) >"$case_dir/rollback.log" 2>&1 || { tail -60 "$case_dir/rollback.log"; fail "$strategy: the rollback of a partial cutover failed"; }
    assert_restored "$old_rest" "$strategy after the partial rollback" "$sp1" "$sp2"
    [[ -z $(running "$new_rest") ]] || fail "$strategy: jobs left on the new cluster after the rollback"
    log "$strategy: OK: both jobs back on Flink $OLD_V from their savepoints"

    log "$strategy: a fresh plan moves them for good"
    cp "$JAR" "$broken"
    local ids
    ids=$(running "$old_rest")
    id1=$(sed -n 1p <<<"$ids") id2=$(sed -n 2p <<<"$ids")
    link=$(sed -E "s/job1\.id=[0-9a-f]{32}/job1.id=$id1/; s/job2\.id=[0-9a-f]{32}/job2.id=$id2/" <<<"$link")
    "$WAYMARK" plan "$link" --format sh --output "$case_dir/upgrade.sh"
    mv "$(state_file "$case_dir")" "$case_dir/first-try.state"
    # The rollback stopped the new cluster: a fresh plan starts from prepare.
    (cd "$case_dir" && "${script[@]}" prepare --yes --done prepare.preconditions --done "prepare.install.$NEW_V" --done prepare.rehearse) >"$case_dir/prepare-2.log" 2>&1 ||
      { tail -40 "$case_dir/prepare-2.log"; fail "$strategy: the second prepare failed"; }
    (cd "$case_dir" && "${script[@]}" "${cutover[@]}") >"$case_dir/cutover-3.log" 2>&1 || { tail -60 "$case_dir/cutover-3.log"; fail "$strategy: the second cutover failed"; }
    (cd "$case_dir" && "${script[@]}" verify --yes --done verify.observe) >"$case_dir/verify.log" 2>&1 || { tail -40 "$case_dir/verify.log"; fail "$strategy: verify failed"; }
    assert_restored "$new_rest" "$strategy after the second cutover" "$(state_value "$case_dir" JOB1_SAVEPOINT)" "$(state_value "$case_dir" JOB2_SAVEPOINT)"
    rest_get "$old_rest" /overview >/dev/null 2>&1 || fail "$strategy: the old cluster was retired before the decommission"
    log "$strategy: decommission after a soak (the verify time moved back four days)"
    printf 'finished\tverify\t%s\n' $(($(date +%s) - 4 * 86400)) >>"$(state_file "$case_dir")"
    if (cd "$case_dir" && printf '%s\n' "$old_home" | "${script[@]}" decommission --yes) >"$case_dir/decommission.log" 2>&1; then
      fail "$strategy: the decommission ran its person's steps without a person"
    fi
    grep -q "needs a person" "$case_dir/decommission.log" || { tail -30 "$case_dir/decommission.log"; fail "$strategy: decommission did not stop for a person"; }
    if rest_get "$old_rest" /overview >/dev/null 2>&1; then fail "$strategy: the decommission did not stop the old cluster"; fi
    log "$strategy: OK: moved for good, old cluster retired by the decommission"
  fi
  "$old_home/bin/stop-cluster.sh" >/dev/null 2>&1 || true
  "$new_home/bin/stop-cluster.sh" >/dev/null 2>&1 || true
  sleep 3
}

passed=0
for s in "${STRATEGIES[@]}"; do
  run_case "$s"
  passed=$((passed + 1))
done
echo "flink_upgrade: $passed passed, 0 failed"
