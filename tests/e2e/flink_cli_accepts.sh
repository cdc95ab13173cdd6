#!/usr/bin/env bash
# flink_cli_accepts: every `flink` command line Waymark generates, for every
# planned deployment target, is accepted by the real CLI of the Flink version
# that runs it.
#
# Generic: it takes the link of every golden plan (core/tests/golden/flink*/
# *.json, so a target's goldens are covered as soon as they exist), moves it
# onto every pair of consecutive versions below and, for links with stops,
# every three (from, stop, to), and points the installation directories
# (old-home, new-home, stop1-home) at shim homes whose bin/flink runs the real
# bin/flink of that version (FLINK_HOME from scripts/setup-real-systems.sh)
# and records how it ended. Jars become a real test jar, JobManager addresses
# a closed local port; hadoop, yarn, curl, kubectl and ssh are stubs that fail
# at once, so a line reaches no system. Each command line of the plans that
# calls bin/flink runs through bash (only those; never a line that deletes),
# once per version and shape (tests/e2e/flink_cli_lines.py): every line is run
# by the CLI of the version that will run it.
#
# A parse error fails ("Unrecognized option", "is not a valid action", a jar
# taken for an option, "No ExecutorFactory found": a -t the version lacks);
# failing afterwards to reach YARN (no Hadoop classes here: "No
# ClusterClientFactory found", "No Executor found"), Kubernetes or a
# JobManager is expected. Any other outcome fails too, with its output, and so
# do a line that never called flink and a version that checked no line
# (tests/e2e/flink_cli_judge.py).
#
# Versions: the newest patch on PyPI of every line from 1.9 to 2.3 (1.18.1 to
# 2.0.2 as the other end-to-end tests use them). All run on Java 17 with the
# --add-opens/--add-exports that 1.18 and later ship (without them a 1.17 or
# older client fails running the program: "Unable to make field private final
# byte[] java.lang.String.value accessible", on 1.9.3 already parsing the
# address: "cannot access class sun.net.util.IPAddressUtil"). The
# pre-1.11 YARN form (-m yarn-cluster -yid/-ynm) is run on 1.9.3 and 1.10.3
# with Hadoop's client jars (from PyPI's pyspark, see setup-real-systems.sh),
# without which those clients lack the options.
# Lines before 1.9 (no PyPI package) are not checked.
#
# Usage: tests/e2e/flink_cli_accepts.sh   (WAYMARK_CACHE overrides
# ~/.cache/waymark; FLINK_CLI_VERSIONS overrides the versions, oldest first;
# FLINK_CLI_JOBS the parallelism)
set -euo pipefail
trap 'echo "flink_cli_accepts: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
START=$SECONDS
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
read -r -a VERSIONS <<<"${FLINK_CLI_VERSIONS:-1.9.3 1.10.3 1.11.4 1.12.5 1.13.6 1.14.6 1.15.4 1.16.3 1.17.2 1.18.1 1.19.3 1.20.1 2.0.2 2.1.3 2.2.1 2.3.0}"
# Three calls at a time on two cores: a call waits on timeouts part of its time.
JOBS=${FLINK_CLI_JOBS:-3}

bash scripts/setup-real-systems.sh --flink "${VERSIONS[@]}" --hadoop >&2
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --quiet -p waymark-cli
WAYMARK=$CARGO_TARGET_DIR/debug/waymark

WORK=$(mktemp -d /tmp/waymark-cli-accepts.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# A real jar with a main class that every version runs, built against the oldest.
mkdir -p "$WORK/classes"
javac -nowarn --release 8 -cp "$CACHE/flink/${VERSIONS[0]}/pyflink/lib/*" -d "$WORK/classes" tests/e2e/flink-job/WaymarkProbe.java
(cd "$WORK/classes" && jar cfe "$WORK/job.jar" WaymarkProbe ./*.class)

# The JVM options Flink 1.18 and later ship for Java 17 (the --add-opens the
# client needs to run a program), all versions' together (2.x drops some that
# 1.x needs); older versions get them too, or their client fails in the program.
OPENS=$(for v in "${VERSIONS[@]}"; do
  conf=$CACHE/flink/$v/pyflink/conf
  sed -n "s/^env\.java\.opts\.all: //p" "$conf/flink-conf.yaml" 2>/dev/null || true
  grep -s -A3 "^env:" "$conf/config.yaml" | sed -n "s/^ *all: //p" || true
done | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')
[[ -n $OPENS ]] || { echo "flink_cli_accepts: FAIL: no version has the Java 17 options (env.java.opts.all): add one from 1.18 on" >&2; exit 1; }

FAST="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"

# Before 1.11 the YARN options (-m yarn-cluster -yid/-ynm) exist only with
# Hadoop's classes on HADOOP_CLASSPATH: those clients get the Hadoop client
# jars and a YARN configuration whose ResourceManager is a closed local port,
# tried once, so a line that parses fails at once reaching YARN.
HADOOP_JARS=$(find "$CACHE/hadoop-client" -name '*.jar' | sort | paste -sd:)
[[ -n $HADOOP_JARS ]] || { echo "flink_cli_accepts: FAIL: no Hadoop client jars in $CACHE/hadoop-client" >&2; exit 1; }
mkdir -p "$WORK/hadoop-conf"
cat >"$WORK/hadoop-conf/yarn-site.xml" <<'XML'
<?xml version="1.0"?>
<configuration>
  <property><name>yarn.resourcemanager.address</name><value>127.0.0.1:9</value></property>
  <property><name>yarn.resourcemanager.connect.max-wait.ms</name><value>1000</value></property>
  <property><name>yarn.resourcemanager.connect.retry-interval.ms</name><value>100</value></property>
</configuration>
XML
cat >"$WORK/hadoop-conf/core-site.xml" <<'XML'
<?xml version="1.0"?>
<configuration>
  <property><name>ipc.client.connect.max.retries</name><value>0</value></property>
  <property><name>ipc.client.connect.max.retries.on.timeouts</name><value>0</value></property>
</configuration>
XML
before_1_11() { [[ $(printf '%s\n' "$1" 1.11 | sort -V | head -n 1) != 1.11 ]]; }

# Shim homes: bin/flink records its arguments, output and exit status, then
# flink_cli_judge.py judges them. Other bin/ scripts do nothing.
for v in "${VERSIONS[@]}"; do
  real=$CACHE/flink/$v/pyflink
  home=$WORK/homes/$v
  mkdir -p "$home/bin" "$home/conf" "$home/lib"
  # A client configuration that fails fast: no retries, short timeouts.
  conf=config.yaml
  [[ -f $real/conf/config.yaml ]] || conf=flink-conf.yaml
  cat >"$home/conf/$conf" <<YAML
rest.address: 127.0.0.1
rest.port: 9
client.timeout: 10 s
rest.retry.max-attempts: 0
rest.connection-timeout: 2000
rest.idleness-timeout: 2000
jobmanager.memory.process.size: 1600m
taskmanager.memory.process.size: 1728m
YAML
  cp "$real"/conf/log4j-cli.properties "$home/conf/" 2>/dev/null || true
  hadoop=""
  if before_1_11 "$v"; then
    hadoop="export HADOOP_CLASSPATH=$HADOOP_JARS HADOOP_CONF_DIR=$WORK/hadoop-conf"
  fi
  cat >"$home/bin/flink" <<SH
#!/usr/bin/env bash
$hadoop
# The Kubernetes client: a closed local port, no retries, short timeouts,
# no kubeconfig or service account, so a Kubernetes target fails at once.
export KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_AUTH_TRYKUBECONFIG=false \\
  KUBERNETES_AUTH_TRYSERVICEACCOUNT=false KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \\
  KUBERNETES_CONNECTION_TIMEOUT=1000 KUBERNETES_REQUEST_TIMEOUT=1000
# A client JVM that starts fast (every call is short-lived: the classes of a
# first run archived, see below), with the Java 17 options. JVM_ARGS is read
# by every version; FLINK_ENV_JAVA_OPTS set spares config.sh computing it
# (from 2.0 with one more JVM).
export JVM_ARGS="\${CDS:--XX:SharedArchiveFile=$home/classes.jsa} $FAST $OPENS" FLINK_ENV_JAVA_OPTS="$OPENS"
out=\$(FLINK_CONF_DIR=$home/conf timeout 60 $real/bin/flink "\$@" 2>&1 </dev/null)
rc=\$?
{ printf '%s\t%s\t%s\t' "\$WAYMARK_CLI_LINE" "$v" "\$rc"; printf '%q ' "\$@"; printf '\t'; tr '\n\t' '  ' <<<"\$out" | cut -c1-2000 | tr -d '\n'; printf '\n'; } >"\$(mktemp "\$FLINK_CALLS/call.XXXXXX")"
exit 1
SH
  for s in yarn-session.sh standalone-job.sh taskmanager.sh jobmanager.sh kubernetes-session.sh start-cluster.sh stop-cluster.sh migrate-config-file.sh; do
    printf '#!/usr/bin/env bash\nexit 0\n' >"$home/bin/$s"
  done
  chmod +x "$home"/bin/*
done

# Each version's client classes, archived from one run (class data sharing):
# a call then takes about 40% less CPU. Without an archive a call only starts slower.
mkdir -p "$WORK/warm-up"
printf '%s\n' "${VERSIONS[@]}" | xargs -P "$JOBS" -I{} env CDS=-XX:ArchiveClassesAtExit="$WORK/homes/{}/classes.jsa" \
  FLINK_CALLS="$WORK/warm-up" WAYMARK_CLI_LINE=0 "$WORK/homes/{}/bin/flink" run -m 127.0.0.1:9 -d "$WORK/job.jar" || true

# Stubs for the tools around the flink lines: each fails at once.
mkdir -p "$WORK/stubs"
for t in hadoop yarn curl kubectl aws ssh; do printf '#!/usr/bin/env bash\nexit 7\n' >"$WORK/stubs/$t"; done
printf '#!/usr/bin/env bash\nexit 0\n' >"$WORK/stubs/sleep"
chmod +x "$WORK"/stubs/*

# The lines to run: one per version and shape (see flink_cli_lines.py).
python3 tests/e2e/flink_cli_lines.py "$WORK" "$WAYMARK" "$ROOT" "${VERSIONS[@]}" >"$WORK/lines.txt"
total=$(wc -l <"$WORK/lines.txt")
[[ $total -gt 0 ]] || { echo "flink_cli_accepts: no flink command lines found" >&2; exit 1; }

# Runs each line with dummy values for the variables it refers to.
cat >"$WORK/run.sh" <<'SH'
#!/usr/bin/env bash
export WAYMARK_CLI_LINE=$1
line=$(sed -n "$1p" "$LINES" | cut -f2-)
for name in $(grep -oE '\$\{?[A-Z][A-Z0-9_]*' <<<"$line" | tr -d '${' | sort -u); do
  case $name in
    *SAVEPOINT*) val=file:///tmp/waymark-sp/savepoint-1 ;;
    *_ID | *_ID_* | *ROLLBACK_ID) val=0123456789abcdef0123456789abcdef ;;
    *SESSION | *APP | *APP_*) val=application_1700000000000_0099 ;;
    *URL*) val=http://127.0.0.1:9 ;;
    *DIR*) val=file:///tmp/waymark-sp ;;
    WAYMARK_*) continue ;;
    *) val=dummy ;;
  esac
  export "$name=$val"
done
PATH="$STUBS:$PATH" bash -c "$line" >/dev/null 2>&1 </dev/null || true
SH
chmod +x "$WORK/run.sh"
export FLINK_CALLS=$WORK/calls STUBS=$WORK/stubs LINES=$WORK/lines.txt
mkdir -p "$FLINK_CALLS"
seq "$total" | xargs -P "$JOBS" -n 1 "$WORK/run.sh"

# Judge every recorded flink call.
find "$FLINK_CALLS" -name 'call.*' -exec cat {} + >"$WORK/calls.tsv"
rc=0
python3 tests/e2e/flink_cli_judge.py "$WORK/calls.tsv" "$WORK/lines.txt" "${VERSIONS[@]}" || rc=$?
echo "($total lines on ${#VERSIONS[@]} versions, $((SECONDS - START))s)"
exit "$rc"
