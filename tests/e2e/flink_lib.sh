# shellcheck shell=bash
# Helpers shared by the real-Flink end-to-end tests (sourced, not run):
# logging, the waymark binary, isolated installations, REST reads, and the
# script's state file. The sourcing script sets CACHE first and
# installs the Flink versions it needs.

log() { printf '[flink-e2e] %s\n' "$*" >&2; }
fail() { printf '[flink-e2e] FAIL: %s\n' "$*" >&2; exit 1; }
# A command that fails under set -e says which, instead of ending silently.
trap 'printf "[flink-e2e] FAIL: line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

cargo build -q -p waymark-cli
WAYMARK=$ROOT/${CARGO_TARGET_DIR:-target}/debug/waymark
[[ -x $WAYMARK ]] || WAYMARK=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/waymark

WORK=$(mktemp -d /tmp/waymark-flink-e2e.XXXXXX)
HOMES=()
cleanup() {
  local home
  for home in "${HOMES[@]}"; do
    if [[ -x $home/bin/stop-cluster.sh ]]; then "$home/bin/stop-cluster.sh" >/dev/null 2>&1 || true; fi
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
  # The Java 17 options the release ships, and the file it reads: 1.19 and
  # later ship config.yaml (nested), 1.18 flink-conf.yaml (flat).
  local java_opts conf=config.yaml
  if [[ -f $dist/conf/config.yaml ]]; then
    java_opts=$(grep -A3 '^env:' "$dist/conf/config.yaml" | sed -n 's/^ *all: //p' | head -1)
  else
    conf=flink-conf.yaml
    java_opts=$(sed -n 's/^env\.java\.opts\.all: //p' "$dist/conf/flink-conf.yaml" | head -1)
  fi
  cat >"$dir/conf/$conf" <<YAML
env.pid.dir: $dir/pid
env.java.opts.all: $java_opts
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc
jobmanager.bind-host: localhost
jobmanager.memory.process.size: 768m
taskmanager.bind-host: localhost
taskmanager.host: localhost
taskmanager.memory.process.size: 1024m
taskmanager.numberOfTaskSlots: 4
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
  for _ in $(seq 1 60); do
    if rest_get "$1" /overview 2>/dev/null | grep -q '"taskmanagers":[1-9]'; then return 0; fi
    sleep 2
  done
  fail "cluster at $1 did not come up"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/:,"))' "$1"; }

# running REST: the ids of the RUNNING jobs there, sorted, one per line.
running() { rest_get "$1" /jobs/overview | json '"\n".join(sorted(j["jid"] for j in d["jobs"] if j["state"]=="RUNNING"))'; }

# state_value DIR NAME: a value the script kept in its state file.
state_value() { awk -F'\t' -v n="$2" '$1 == "value" && $2 == n { v = $3 } END { print v }' "$(state_file "$1")"; }

# state_file DIR: where the script DIR/upgrade.sh keeps its state by default:
# beside it, named for its plan, as its STATE_FILE line says.
state_file() {
  local name
  name=$(sed -n 's|^STATE_FILE=.*pwd)/\(.*\.state\)}$|\1|p' "$1/upgrade.sh")
  [[ -n $name ]] || fail "no default state file in the STATE_FILE line of $1/upgrade.sh"
  printf '%s/%s\n' "$1" "$name"
}


# build_jar VERSION JAR: the test job, compiled against that release.
build_jar() {
  local classes
  classes=$(mktemp -d "$WORK/classes.XXXXXX")
  javac -nowarn --release 11 -cp "$CACHE/flink/$1/pyflink/lib/*" -d "$classes" "$ROOT/tests/e2e/flink-job/WaymarkCounter.java"
  (cd "$classes" && jar cf "$2" ./*.class)
}
