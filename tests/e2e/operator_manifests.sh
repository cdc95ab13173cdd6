#!/usr/bin/env bash
# operator_manifests: every manifest the operator golden plans show or write
# (FlinkDeployment, FlinkSessionJob, FlinkStateSnapshot), and every resource
# as a plan's merge patch leaves it, validates against the CRD schema
# (spec.versions[].schema.openAPIV3Schema) of each operator release in
# shared/data/flink-operator-crds that supports the plan's Flink versions.
#
# The schemas are applied strictly: an object schema that lists properties
# and does not preserve unknown fields gets additionalProperties: false, as
# the API server's strict field validation rejects unknown fields (its
# default only warns and prunes them, which would hide a misspelled field).
# Before the plans, known-bad manifests (an unknown upgradeMode, a
# misspelled field, a wrong type, a flinkVersion the release lacks) must
# fail, so the check is real.
#
# Every status or spec field the plans read with kubectl -o jsonpath must
# exist in the same schemas.
#
# The patched resources come from `kubectl patch --local` (offline) applied
# to the plan's full manifest of that kind.
#
# Usage: tests/e2e/operator_manifests.sh   (WAYMARK_CACHE overrides ~/.cache/waymark;
#        FLINK_OPERATOR_CRDS the CRD directory)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${WAYMARK_CACHE:-$HOME/.cache/waymark}
PY=$CACHE/manifest-check/bin/python
CRDS=${FLINK_OPERATOR_CRDS:-}
if [[ -z $CRDS ]]; then
  for dir in "$ROOT/../shared/data/flink-operator-crds" "$ROOT/../../shared/data/flink-operator-crds" /work/shared/data/flink-operator-crds; do
    if [[ -d $dir ]]; then CRDS=$dir; break; fi
  done
fi
if [[ -z $CRDS || ! -d $CRDS ]]; then
  echo "operator_manifests: the operator CRDs (shared/data/flink-operator-crds) are not found; set FLINK_OPERATOR_CRDS" >&2
  exit 1
fi
if ! [[ -x $PY ]] || ! "$PY" -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "operator_manifests: $PY with jsonschema and PyYAML is missing (scripts/setup-real-systems.sh --kubernetes installs it)" >&2
  exit 1
fi
command -v kubectl >/dev/null || { echo "operator_manifests: kubectl is missing" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$PY" - "$ROOT" "$CRDS" "$WORK" <<'PY'
import copy, json, pathlib, re, subprocess, sys
import jsonschema, yaml

root, crds, work = map(pathlib.Path, sys.argv[1:4])
# The Flink lines each release's docs list (shared/data/flink-operator-crds/README.md).
SUPPORT = {
    "1.10.0": ["1.16", "1.17", "1.18", "1.19"],
    "1.13.0": ["1.17", "1.18", "1.19", "1.20", "2.0", "2.1"],
    "1.15.0": ["1.19", "1.20", "2.0", "2.1", "2.2"],
}
FILES = {"FlinkDeployment": "flinkdeployments", "FlinkSessionJob": "flinksessionjobs",
         "FlinkStateSnapshot": "flinkstatesnapshots"}

def strict(schema):
    s = copy.deepcopy(schema)
    def walk(node):
        if isinstance(node, dict):
            if (node.get("type") == "object" and "properties" in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")
                    and "additionalProperties" not in node):
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(s)
    # apiVersion, kind and metadata are the API server's, not in the CRD's schema.
    s.setdefault("properties", {}).update({
        "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}})
    return s

schemas = {}
raw_schemas = {}
for release in SUPPORT:
    for kind, base in FILES.items():
        crd = yaml.safe_load((crds / release / f"{base}.flink.apache.org-v1.yml").read_text())
        version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")
        raw_schemas[(release, kind)] = version["schema"]["openAPIV3Schema"]
        schemas[(release, kind)] = jsonschema.Draft7Validator(strict(version["schema"]["openAPIV3Schema"]))

def errors(release, obj):
    return [e.message for e in schemas[(release, obj["kind"])].iter_errors(obj)]

# The check is real: each of these must fail in every release.
good = yaml.safe_load("""
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: {name: orders, namespace: flink}
spec:
  image: reg/jobs:1.20
  flinkVersion: v1_19
  job: {jarURI: "local:///opt/flink/usrlib/orders.jar", parallelism: 4, upgradeMode: savepoint, state: running}
""")
bad = []
b = copy.deepcopy(good); b["spec"]["job"]["upgradeMode"] = "savepoints"; bad.append(("an unknown upgradeMode", b))
b = copy.deepcopy(good); b["spec"]["job"]["upgardeMode"] = b["spec"]["job"].pop("upgradeMode"); bad.append(("a misspelled field", b))
b = copy.deepcopy(good); b["spec"]["job"]["parallelism"] = "four"; bad.append(("a wrong type", b))
b = copy.deepcopy(good); b["spec"]["flinkVersion"] = "v2_3"; bad.append(("a flinkVersion no release has", b))
b = copy.deepcopy(good); b["spec"]["job"]["state"] = "stopped"; bad.append(("an unknown state", b))
for release in SUPPORT:
    if errors(release, good):
        print(f"operator_manifests: the known-good manifest fails on {release}: {errors(release, good)}", file=sys.stderr)
        sys.exit(1)
    for what, obj in bad:
        if not errors(release, obj):
            print(f"operator_manifests: {what} passes the {release} schema: the check is not real", file=sys.stderr)
            sys.exit(1)

def line(v):
    return ".".join(v.split(".")[:2])

checked, fields, failed, skipped = 0, 0, [], []
per_release = {r: 0 for r in SUPPORT}
for path in sorted((root / "core/tests/golden/flink-operator").glob("*.json")):
    plan = json.loads(path.read_text())
    lines = sorted({line(v) for v in plan["path"]})
    releases = [r for r, ok in SUPPORT.items() if all(l in ok for l in lines)]
    if not releases:
        skipped.append(f"{path.name} (Flink {', '.join(lines)}: no release with a CRD here supports them all)")
        continue
    objects = []
    bases = {}
    d = work / path.stem
    d.mkdir()
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for doc in step.get("documents", []):
                obj = yaml.safe_load(doc["text"])
                objects.append((f"{step['id']} {doc['name']}", obj))
                f = d / doc["name"]
                f.write_text(doc["text"])
                bases.setdefault(obj["kind"], f)
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for cmd in step["commands"]:
                m = re.match(r"kubectl patch (\w+) \S+ --type merge -p (.*) -n \S+$", cmd)
                if not m:
                    continue
                kind = {"flinkdeployment": "FlinkDeployment", "flinksessionjob": "FlinkSessionJob"}[m.group(1)]
                # A session's own patch applies to the session manifest.
                base = bases.get(kind)
                if kind == "FlinkDeployment" and "\"job\"" not in m.group(2):
                    base = next((d / doc["name"] for ph in plan["phases"] for st in ph["steps"]
                                 for doc in st.get("documents", [])
                                 if "kind: FlinkDeployment\n" in doc["text"] and "  job:" not in doc["text"]), base)
                env = {"JOB1_SAVEPOINT": "s3://sp/savepoint-1", "JOB2_SAVEPOINT": "s3://sp/savepoint-2",
                       "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(work)}
                out = subprocess.run(["bash", "-c", f"kubectl patch --local -f {base} --type merge -p {m.group(2)} -o json"],
                                     capture_output=True, text=True, env=env, timeout=60)
                if out.returncode != 0:
                    failed.append(f"{path.name} {step['id']}: kubectl patch --local failed: {out.stderr.strip()[:200]}")
                    continue
                objects.append((f"{step['id']} (patched)", json.loads(out.stdout)))
    # Every field the plan reads with -o jsonpath exists in the CRD's schema.
    kinds = {"flinkdeployment": "FlinkDeployment", "flinksessionjob": "FlinkSessionJob", "flinkstatesnapshot": "FlinkStateSnapshot"}
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for cmd in step["commands"] + [c["command"] for c in step["checks"]]:
                m = re.match(r"kubectl get (flink\w+) \S+ -o '?jsonpath=([^']*)'?", cmd)
                if not m:
                    continue
                for field in re.findall(r"\{\.([\w.]+)\}", m.group(2)):
                    for release in releases:
                        node = raw_schemas[(release, kinds[m.group(1)])]
                        for part in field.split("."):
                            node = (node.get("properties") or {}).get(part)
                            if node is None:
                                break
                        fields += 1
                        if node is None:
                            failed.append(f"{path.name} {step['id']}: .{field} is not in the {release} {kinds[m.group(1)]} schema")
    for what, obj in objects:
        for release in releases:
            checked += 1
            per_release[release] += 1
            errs = errors(release, obj)
            if errs:
                failed.append(f"{path.name} {what} on operator {release}: {errs[:3]}")
for s in skipped:
    print("skip:", s)
for r, n in per_release.items():
    if n == 0:
        failed.append(f"no manifest was validated against operator {r}'s CRDs")
print("per release: " + ", ".join(f"{r}: {n}" for r, n in per_release.items()))
for f in failed:
    print("FAIL", f, file=sys.stderr)
print(f"operator_manifests: {checked + fields - len(failed)} passed, {len(failed)} failed "
      f"({checked} manifest × release validations, {fields} jsonpath fields × release found in the schema; strict, CRDs of {', '.join(SUPPORT)}; {len(bad)} known-bad manifests rejected by each)")
sys.exit(1 if failed or checked == 0 else 0)
PY
