#!/usr/bin/env bash
# End-to-end test against real Flink: a stateful job with uids runs on the old
# release; the script Waymark generates moves it to the new release; the new
# cluster's REST API must show the job running, restored from the savepoint the
# script took. Covers in-place (plus --rollback) and shadow copy.
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

log() { printf '[flink-e2e] %s\n' "$*" >&2; }
fail() { printf '[flink-e2e] FAIL: %s\n' "$*" >&2; exit 1; }

bash scripts/setup-real-systems.sh --flink "$OLD_V" "$NEW_V" >&2
cargo build -q -p waymark-cli
WAYMARK=$ROOT/${CARGO_TARGET_DIR:-target}/debug/waymark
[[ -x $WAYMARK ]] || WAYMARK=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/waymark

WORK=$(mktemp -d /tmp/waymark-flink-e2e.XXXXXX)
HOMES=()
cleanup() {
  local home
  for home in "${HOMES[@]}"; do
    [[ -x $home/bin/stop-cluster.sh ]] && "$home/bin/stop-cluster.sh" >/dev/null 2>&1 || true
  done
  if [[ ${WAYMARK_E2E_KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# make_home VERSION DIR REST_PORT RPC_PORT: an isolated installation whose
# bin/ and conf/ are its own (lib/, opt/, plugins/ are shared read-only).
make_home() {
  local version=$1 dir=$2 rest=$3 rpc=$4
  local dist=$CACHE/flink/$version/pyflink
  [[ -x $dist/bin/flink ]] || fail "Flink $version is not installed under $dist"
  mkdir -p "$dir/conf" "$dir/log" "$dir/pid"
  cp -r "$dist/bin" "$dir/"
  mkdir -p "$dir/lib"  # a real directory: config.sh finds flink-dist with find(1)
  ln -s "$dist"/lib/* "$dir/lib/"
  ln -s "$dist/opt" "$dir/opt"
  ln -s "$dist/plugins" "$dir/plugins"
  cp "$dist"/conf/log4j*.properties "$dir/conf/"
  local java_opts
  java_opts=$(grep -A3 '^env:' "$dist/conf/config.yaml" | sed -n 's/^ *all: //p' | head -1)
  cat >"$dir/conf/config.yaml" <<YAML
env.pid.dir: $dir/pid
env.java.opts.all: $java_opts
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc
jobmanager.bind-host: localhost
jobmanager.memory.process.size: 768m
taskmanager.bind-host: localhost
taskmanager.host: localhost
taskmanager.memory.process.size: 1024m
taskmanager.numberOfTaskSlots: 2
parallelism.default: 1
rest.address: localhost
rest.bind-address: localhost
rest.port: $rest
YAML
  echo "localhost:$rest" >"$dir/conf/masters"
  echo "localhost" >"$dir/conf/workers"
  HOMES+=("$dir")
}

rest_get() { curl -fsS "http://$1$2"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

wait_up() {
  local i
  for i in $(seq 1 60); do
    if rest_get "$1" /overview 2>/dev/null | grep -q '"taskmanagers":[1-9]'; then return 0; fi
    sleep 2
  done
  fail "cluster at $1 did not come up"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/:,"))' "$1"; }

# Compile the job against the old release (same API on both).
JOBDIR="$WORK/my jobs"
mkdir -p "$JOBDIR/classes"
javac -nowarn --release 11 -cp "$CACHE/flink/$OLD_V/pyflink/lib/*" -d "$JOBDIR/classes" tests/e2e/flink-job/WaymarkCounter.java
JAR="$JOBDIR/counter job.jar"
(cd "$JOBDIR/classes" && jar cf "$JAR" ./*.class)
ARGS_TEXT="--label 'two words' --quote \"it's\" --dollar '\$HOME'"
EXPECTED_NAME="--label|two words|--quote|it's|--dollar|\$HOME"

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

  log "$strategy: starting Flink $OLD_V"
  "$old_home/bin/start-cluster.sh" >/dev/null
  wait_up "$old_rest"
  local out job_id
  out=$("$old_home/bin/flink" run -d -m "$old_rest" -c WaymarkCounter "$JAR" --label 'two words' --quote "it's" --dollar '$HOME' 2>&1) || { echo "$out"; fail "could not submit the job"; }
  job_id=$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | tail -1)
  [[ -n $job_id ]] || { echo "$out"; fail "no job id in the submit output"; }
  sleep 8  # let some state build up

  local link
  link="v=1&platform=flink&from=$OLD_V&to=$NEW_V&strategy=$strategy&uids=all"
  link+="&old-home=$(urlencode "$old_home")&new-home=$(urlencode "$new_home")"
  link+="&old-jobmanager=$old_rest&new-jobmanager=$new_rest"
  link+="&savepoint-dir=$(urlencode "file://$case_dir/savepoints")"
  link+="&job1.id=$job_id&job1.name=counter&job1.jar=$(urlencode "$JAR")&job1.class=WaymarkCounter"
  link+="&job1.args=$(urlencode "$ARGS_TEXT")&job1.parallelism=2"
  "$WAYMARK" plan "$link" --format sh --output "$case_dir/upgrade.sh"

  log "$strategy: running the generated script"
  (cd "$case_dir" && bash upgrade.sh --yes) >"$case_dir/run.log" 2>&1 || { tail -60 "$case_dir/run.log"; fail "$strategy: the generated script failed"; }

  # The job runs on the new release, restored from the script's savepoint.
  local version jobs new_id restored saved
  version=$(rest_get "$new_rest" /config | json 'd["flink-version"]')
  [[ $version == "$NEW_V" ]] || fail "$strategy: the new cluster runs $version, not $NEW_V"
  jobs=$(rest_get "$new_rest" /jobs/overview)
  new_id=$(json '[j["jid"] for j in d["jobs"] if j["state"]=="RUNNING"][0]' <<<"$jobs")
  saved=$(sed -n 's/^JOB1_SAVEPOINT\t//p' "$case_dir"/*.state | tail -1)
  [[ -n $saved ]] || fail "$strategy: the script saved no savepoint path"
  restored=$(rest_get "$new_rest" "/jobs/$new_id/checkpoints" | json 'd["latest"]["restored"]["external_path"]')
  [[ $restored == "$saved" ]] || fail "$strategy: restored from '$restored', expected '$saved'"
  local name
  name=$(rest_get "$new_rest" "/jobs/$new_id" | json 'd["name"]')
  [[ $name == "$EXPECTED_NAME" ]] || fail "$strategy: program arguments arrived as '$name', expected '$EXPECTED_NAME'"
  log "$strategy: OK: job $new_id runs on Flink $version, restored from $restored"
  if [[ $strategy == shadow-copy ]]; then
    if rest_get "$old_rest" /overview >/dev/null 2>&1; then fail "shadow-copy: the old cluster still runs after the verify phase"; fi
  fi

  if [[ $strategy == in-place ]]; then
    log "$strategy: rolling back with --rollback"
    (cd "$case_dir" && bash upgrade.sh --yes --rollback) >"$case_dir/rollback.log" 2>&1 || { tail -60 "$case_dir/rollback.log"; fail "rollback failed"; }
    version=$(rest_get "$old_rest" /config | json 'd["flink-version"]')
    [[ $version == "$OLD_V" ]] || fail "rollback: the cluster runs $version, not $OLD_V"
    new_id=$(rest_get "$old_rest" /jobs/overview | json '[j["jid"] for j in d["jobs"] if j["state"]=="RUNNING"][0]')
    restored=$(rest_get "$old_rest" "/jobs/$new_id/checkpoints" | json 'd["latest"]["restored"]["external_path"]')
    [[ $restored == "$saved" ]] || fail "rollback: restored from '$restored', expected '$saved'"
    log "$strategy: OK: rolled back to Flink $version from $restored"
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
