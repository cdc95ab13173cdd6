#!/usr/bin/env bash
# flink_cli_accepts: every `flink` command line Waymark generates, for every
# planned deployment target, is accepted by the real CLI of the Flink version
# that runs it.
#
# Generic: it takes the link of every golden plan (core/tests/golden/flink*/
# *.json, so a target's goldens are covered as soon as they exist), moves it
# onto pairs of the installed Flink versions, and points the installation
# directories at shim homes whose bin/flink runs the real bin/flink of that
# version (FLINK_HOME from scripts/setup-real-systems.sh) and records how it
# ended. Jars become a real test jar, JobManager addresses a closed local
# port; hadoop, yarn, curl, kubectl and ssh are stubs that fail at once, so a
# line reaches no system. Each command line of the plans that calls bin/flink
# runs through bash (only those; never a line that deletes).
#
# A parse error fails ("Unrecognized option", "is not a valid action", a jar
# taken for an option, "No ExecutorFactory found": a -t the version lacks);
# failing afterwards to reach YARN (no Hadoop classes here: "No
# ClusterClientFactory found", "No Executor found"), Kubernetes or a
# JobManager is expected. Any other outcome fails too, with its output.
#
# Usage: tests/e2e/flink_cli_accepts.sh   (WAYMARK_CACHE overrides
# ~/.cache/waymark; FLINK_CLI_VERSIONS overrides the versions)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
START=$SECONDS
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
read -r -a VERSIONS <<<"${FLINK_CLI_VERSIONS:-1.18.1 1.19.3 1.20.1 2.0.2}"
JOBS=${FLINK_CLI_JOBS:-2}

bash scripts/setup-real-systems.sh --flink "${VERSIONS[@]}" >&2
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --quiet -p waymark-cli
WAYMARK=$CARGO_TARGET_DIR/debug/waymark

WORK=$(mktemp -d /tmp/waymark-cli-accepts.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# A real jar with a main class (the e2e job), built against the oldest version.
mkdir -p "$WORK/classes"
javac -nowarn --release 11 -cp "$CACHE/flink/${VERSIONS[0]}/pyflink/lib/*" -d "$WORK/classes" tests/e2e/flink-job/WaymarkCounter.java
(cd "$WORK/classes" && jar cfe "$WORK/job.jar" WaymarkCounter ./*.class)

# Shim homes: bin/flink records its arguments, output and exit status, then
# the classifier below judges them. Other bin/ scripts do nothing.
for v in "${VERSIONS[@]}"; do
  real=$CACHE/flink/$v/pyflink
  home=$WORK/homes/$v
  mkdir -p "$home/bin" "$home/conf" "$home/lib"
  # A client configuration that fails fast: no retries, short timeouts.
  opts=$(sed -n "s/^env\.java\.opts\.all: //p" "$real/conf/flink-conf.yaml" 2>/dev/null | head -1 || true)
  [[ -n $opts ]] || opts=$(grep -A3 "^env:" "$real/conf/config.yaml" | sed -n "s/^ *all: //p" | head -1 || true)
  conf=config.yaml
  [[ -f $real/conf/config.yaml ]] || conf=flink-conf.yaml
  cat >"$home/conf/$conf" <<YAML
env.java.opts.all: $opts
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
  cat >"$home/bin/flink" <<SH
#!/usr/bin/env bash
# The Kubernetes client: a closed local port, no retries, short timeouts,
# no kubeconfig or service account, so a Kubernetes target fails at once.
export KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_AUTH_TRYKUBECONFIG=false \\
  KUBERNETES_AUTH_TRYSERVICEACCOUNT=false KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \\
  KUBERNETES_CONNECTION_TIMEOUT=1000 KUBERNETES_REQUEST_TIMEOUT=1000
out=\$(FLINK_CONF_DIR=$home/conf timeout 60 $real/bin/flink "\$@" 2>&1 </dev/null)
rc=\$?
{ printf '%s\t%s\t' "$v" "\$rc"; printf '%q ' "\$@"; printf '\t'; tr '\n\t' '  ' <<<"\$out" | cut -c1-600 | tr -d '\n'; printf '\n'; } >"\$(mktemp "\$FLINK_CALLS/call.XXXXXX")"
exit 1
SH
  for s in yarn-session.sh standalone-job.sh taskmanager.sh jobmanager.sh kubernetes-session.sh start-cluster.sh stop-cluster.sh migrate-config-file.sh; do
    printf '#!/usr/bin/env bash\nexit 0\n' >"$home/bin/$s"
  done
  chmod +x "$home"/bin/*
done

# Stubs for the tools around the flink lines: each fails at once.
mkdir -p "$WORK/stubs"
for t in hadoop yarn curl kubectl aws ssh; do printf '#!/usr/bin/env bash\nexit 7\n' >"$WORK/stubs/$t"; done
printf '#!/usr/bin/env bash\nexit 0\n' >"$WORK/stubs/sleep"
chmod +x "$WORK"/stubs/*

# Pairs of installed versions to move every golden link onto.
pairs=()
for ((i = 0; i + 1 < ${#VERSIONS[@]}; i++)); do pairs+=("${VERSIONS[i]} ${VERSIONS[i+1]}"); done

python3 - "$WORK" "$WAYMARK" "$ROOT" "${pairs[@]}" >"$WORK/lines.txt" <<'PY'
import json, pathlib, re, subprocess, sys, urllib.parse
work, waymark, root = sys.argv[1:4]
pairs = [p.split() for p in sys.argv[4:]]
jar = f"{work}/job.jar"
links = set()
for path in sorted(pathlib.Path(root, "core/tests/golden").glob("flink*/*.json")):
    links.add(json.loads(path.read_text())["link"])
seen, shapes, plans = [], set(), 0
for link in sorted(links):
    q = urllib.parse.parse_qsl(link, keep_blank_values=True)
    for a, b in pairs:
        out = []
        for k, v in q:
            if k in ("via",) or re.fullmatch(r"stop\d+-home|job\d+\.stop\d+-jar", k):
                continue
            if k == "from": v = a
            elif k == "to": v = b
            elif k == "old-home": continue
            elif k == "new-home": continue
            elif re.fullmatch(r"job\d+\.(jar|old-jar)", k): v = jar
            elif re.fullmatch(r"job\d+\.class", k): v = "WaymarkCounter"
            elif k in ("old-jobmanager", "new-jobmanager") or re.fullmatch(r"job\d+\.jobmanager", k):
                v = "127.0.0.1:9" if k != "new-jobmanager" else "127.0.0.2:9"
            out.append((k, v))
        if any(k == "deployment" and v == "standalone-session" for k, v in out) or not any(k == "deployment" for k, v in out):
            out = [(k, v) for k, v in out if k not in ("old-jobmanager", "new-jobmanager")] + [("old-jobmanager", "127.0.0.1:9")]
            if any(k == "strategy" and v == "shadow-copy" for k, v in out):
                out.append(("new-jobmanager", "127.0.0.2:9"))
        out += [("old-home", f"{work}/homes/{a}"), ("new-home", f"{work}/homes/{b}")]
        l = urllib.parse.urlencode(out, safe="/:,;")
        r = subprocess.run([waymark, "plan", l, "--format", "json"], capture_output=True, text=True)
        if r.returncode not in (0, 1) or not r.stdout.startswith("{"):
            continue  # a link the moved versions make invalid (a key of another target's version)
        plans += 1
        plan = json.loads(r.stdout)
        for phase in plan["phases"]:
            for step in phase["steps"]:
                cmds = list(step["commands"]) + [c["command"] for c in step["checks"]]
                for cmd in cmds:
                    if "/bin/flink " not in cmd or "rm -rf" in cmd:
                        continue
                    # One line per shape: the same options with other
                    # variables (job 1 and job 2, hop 1 and hop 2) parse alike.
                    shape = re.sub(r'"\$\{?[A-Z][A-Z0-9_]*(\[@\])?\}?"', '"$V"', cmd)
                    shape = re.sub(r"\d+", "N", shape)
                    if shape not in shapes:
                        shapes.add(shape)
                        seen.append(cmd)
print(f"# {plans} plans, {len(seen)} command shapes", file=sys.stderr)
for cmd in seen:
    print(cmd)
PY
total=$(wc -l <"$WORK/lines.txt")
[[ $total -gt 0 ]] || { echo "flink_cli_accepts: no flink command lines found" >&2; exit 1; }

# Runs each line with dummy values for the variables it refers to.
cat >"$WORK/run.sh" <<'SH'
#!/usr/bin/env bash
line=$1
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
export FLINK_CALLS=$WORK/calls STUBS=$WORK/stubs
mkdir -p "$FLINK_CALLS"
tr '\n' '\0' <"$WORK/lines.txt" | xargs -0 -P "$JOBS" -I{} "$WORK/run.sh" {}

# Judge every recorded flink call.
cat "$FLINK_CALLS"/call.* >"$WORK/calls.tsv"
python3 - "$WORK/calls.tsv" <<'PY'
import collections, sys
bad_markers = ["Unrecognized option", "is not a valid action", "JAR file does not exist", "Could not parse",
               "Missing argument", "No ExecutorFactory found", "Failed to parse", "Invalid value",
               "Could not get job jar", "NumberFormatException", "UnrecognizedOptionException"]
ok_markers = ["No ClusterClientFactory found", "No Executor found", "Connection refused", "ConnectException",
              "Could not connect", "Could not retrieve", "Failed to retrieve", "KubernetesClient",
              "Could not create the Kubernetes", "UnknownHost", "Timeout", "timed out", "TimeoutException",
              "Failed to submit JobGraph", "Could not complete the operation", "Failed to list jobs",
              "Failed to execute job", "Could not stop with a savepoint", "Could not cancel job",
              "Could not trigger savepoint",
              # Kubernetes targets: the client's first call to the API server
              "Operation: [get]  for kind: [Service]", "Failed to connect to /127.0.0.1:1"]
per_version, failed = collections.Counter(), []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.strip():
        continue
    v, rc, args, out = (line.rstrip("\n").split("\t") + ["", "", "", ""])[:4]
    per_version[v] += 1
    if any(m in out for m in bad_markers) or not any(m in out for m in ok_markers):
        failed.append((v, rc, args, out))
for v, rc, args, out in failed:
    print(f"FAIL {v} (exit {rc}): flink {args}\n     {out[:400]}", file=sys.stderr)
for v in sorted(per_version):
    print(f"  Flink {v}: {per_version[v]} command lines checked")
print(f"flink_cli_accepts: {sum(per_version.values()) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed or not per_version else 0)
PY
echo "($total distinct generated lines, $((SECONDS - START))s)"
