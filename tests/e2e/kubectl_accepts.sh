#!/usr/bin/env bash
# kubectl_accepts: every kubectl command line of the native Kubernetes and
# operator golden plans is one the real kubectl accepts (command, flags,
# arguments), checked offline against a kubeconfig whose server is
# 127.0.0.1:1.
#
# A valid command gets as far as contacting the server and fails with
# "connection refused"; a bad command, flag or argument fails before that
# ("unknown flag", "unknown command", "accepts 1 arg(s)", a usage error).
# Commands come from the plans' JSON (steps' commands and checks, and the
# kubectl reads inside template commands such as the REST reads of a wait
# loop); captured values ("$JOB1_SAVEPOINT") get dummy values, and the
# documents a step writes (FlinkStateSnapshot manifests) are written to the
# private directory the commands name. Each merge patch is also applied
# offline with `kubectl patch --local` to the step's or plan's full manifest
# of that kind, which checks that the patch is JSON kubectl can merge.
#
# Usage: tests/e2e/kubectl_accepts.sh   (KUBECTL overrides the kubectl on PATH)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KUBECTL=${KUBECTL:-$(command -v kubectl || true)}
if [[ -z $KUBECTL ]]; then
  echo "kubectl_accepts: kubectl is not installed (scripts/setup-real-systems.sh --kubernetes installs it)" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/kubeconfig" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
  name: offline
contexts:
- context: {cluster: offline, user: nobody, namespace: default}
  name: offline
current-context: offline
users:
- name: nobody
  user: {token: dummy}
EOF

python3 - "$ROOT" "$WORK" "$KUBECTL" <<'PY'
import json, os, pathlib, re, subprocess, sys

root, work, kubectl = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
plans = sorted(p for d in ("flink-kubernetes", "flink-operator")
               for p in (root / "core/tests/golden" / d).glob("*.json"))
env = dict(os.environ, KUBECONFIG=str(work / "kubeconfig"), HOME=str(work))
env["PATH"] = f"{pathlib.Path(kubectl).parent}:{env['PATH']}"

REFUSED = ("connection refused", "The connection to the server", "dial tcp 127.0.0.1:1", "Unable to connect to the server")
# kubectl reads inside template commands (a wait loop, a recovery read).
INNER = re.compile(r"kubectl get --raw [^\s)|;]+")

def dummy(name):
    if "SAVEPOINT" in name:
        return "s3://flink-state/savepoints/savepoint-a1b2c3-0123456789ab"
    if name.endswith("_ID"):
        return "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    return "dummy"

def accepted(line, run_env):
    out = subprocess.run(["bash", "-c", line + " --request-timeout=1s"], env=run_env,
                         capture_output=True, text=True, timeout=60)
    text = out.stdout + out.stderr
    ok = out.returncode != 0 and any(r in text for r in REFUSED) and not any(
        p in text for p in ("unknown flag", "unknown command", "unknown shorthand"))
    return ok, out.returncode, text

# The check is real: lines kubectl must reject are rejected.
for bad in ("kubectl patch flinkdeployment orders --type merge --patchh '{}' -n flink",
            "kubectl get --raw -n",
            "kubectl auth can-i get services/proxy --namespce flink",
            "kubectl frobnicate flinkdeployment orders"):
    if accepted(bad, env)[0]:
        print(f"kubectl_accepts: the checker accepts a bad line: {bad}", file=sys.stderr)
        sys.exit(1)

checked, failed, patched = 0, [], 0
seen = set()
for path in plans:
    plan = json.loads(path.read_text())
    if plan["verdict"] == "blocked":
        continue
    secret = work / ("secret-" + path.stem)
    secret.mkdir()
    manifests = {}
    lines = []
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for d in step.get("documents", []):
                (secret / d["name"]).write_text(d["text"])
                kind = re.search(r"^kind: (\w+)$", d["text"], re.M).group(1)
                manifests.setdefault(kind, secret / d["name"])
            for text in step["commands"] + [c["command"] for c in step["checks"]]:
                if text.startswith("kubectl "):
                    # A read piped into a filter: the kubectl part.
                    lines.append(text.split(" | ")[0])
                else:
                    lines.extend(INNER.findall(text))
    for line in lines:
        names = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)\}?", line))
        run_env = dict(env, SECRET_DIR=str(secret), **{n: dummy(n) for n in names if n != "SECRET_DIR"})
        key = (line, tuple(sorted(names)))
        if key in seen:
            continue
        seen.add(key)
        ok, rc, text = accepted(line, run_env)
        checked += 1
        if not ok:
            failed.append(f"{path.name}: {line}\n    exit {rc}: {text.strip()[:300]}")
            continue
        m = re.match(r"kubectl patch (\w+) \S+ --type merge -p (.*) -n \S+$", line)
        if m:
            kind = {"flinkdeployment": "FlinkDeployment", "flinksessionjob": "FlinkSessionJob"}[m.group(1)]
            base = manifests.get(kind)
            if base is None:
                failed.append(f"{path.name}: no {kind} manifest to patch for {line}")
                continue
            local = f"kubectl patch --local -f {base} --type merge -p {m.group(2)} -o json"
            out = subprocess.run(["bash", "-c", local], env=run_env, capture_output=True, text=True, timeout=60)
            checked += 1
            patched += 1
            if out.returncode != 0:
                failed.append(f"{path.name}: {local}\n    exit {out.returncode}: {(out.stdout + out.stderr).strip()[:300]}")
for f in failed:
    print("FAIL", f, file=sys.stderr)
version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True).stdout.splitlines()
print(f"kubectl_accepts: {checked - len(failed)} passed, {len(failed)} failed "
      f"({checked} command lines of {len(plans)} plans, {patched} patches also merged offline; {version[0] if version else 'kubectl ?'})")
sys.exit(1 if failed or checked == 0 else 0)
PY
