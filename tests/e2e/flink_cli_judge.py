"""Judges the flink calls flink_cli_accepts.sh recorded.

Usage: flink_cli_judge.py CALLS LINES VERSION...

CALLS holds one record per call of a shim bin/flink: line number, version,
exit status, arguments, output (tab-separated). LINES is the numbered list of
lines that were run (flink_cli_lines.py's output). A call fails on a parse
error (bad marker) or on any outcome other than failing to reach a system
(no ok marker). The test fails on a failed call, on a line whose flink was
never called (nothing checked it), and on a version with no call.
"""

import collections
import sys

# The CLI rejected the line: an unknown option or action, a jar taken for an
# option, a -t the version lacks, a value it cannot parse.
BAD = ["Unrecognized option", "is not a valid action", "JAR file does not exist", "Could not parse",
       "Missing argument", "No ExecutorFactory found", "Failed to parse", "Invalid value",
       "Could not get job jar", "NumberFormatException", "UnrecognizedOptionException",
       # up to 1.11: a jar taken for an option
       "Could not build the program from JAR file"]
# The line parsed and the client then failed to reach YARN (from 1.11 no
# Hadoop classes here; before, a ResourceManager on a closed port),
# Kubernetes (a closed port) or a JobManager (a closed port).
OK = ["No ClusterClientFactory found", "No Executor found", "Connection refused", "ConnectException",
      "Could not connect", "Could not retrieve", "Failed to retrieve", "KubernetesClient",
      "Could not create the Kubernetes", "UnknownHost", "Timeout", "timed out", "TimeoutException",
      "Failed to submit JobGraph", "Could not complete the operation", "Failed to list jobs",
      "Failed to execute job", "Could not stop with a savepoint", "Could not cancel job",
      "Could not trigger savepoint", "Could not submit job",
      # before 1.11, with Hadoop's classes: the YARN client's first call
      "Connecting to ResourceManager at /127.0.0.1:9",
      # Kubernetes targets: the client's first call to the API server
      "Operation: [get]  for kind: [Service]", "Failed to connect to /127.0.0.1:1"]

calls_path, lines_path, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
lines = {}
for n, text in enumerate(open(lines_path, encoding="utf-8"), 1):
    lines[str(n)] = text.rstrip("\n").split("\t", 1)[1]

per_version, failed, called = collections.Counter(), [], set()
for record in open(calls_path, encoding="utf-8", errors="replace"):
    if not record.strip():
        continue
    n, v, rc, args, out = (record.rstrip("\n").split("\t") + [""] * 5)[:5]
    called.add(n)
    per_version[v] += 1
    if any(m in out for m in BAD) or not any(m in out for m in OK):
        failed.append((v, rc, args, out))

for v, rc, args, out in failed:
    print(f"FAIL {v} (exit {rc}): flink {args}\n     {out[:400]}", file=sys.stderr)
unchecked = [n for n in lines if n not in called]
for n in unchecked:
    print(f"FAIL: the line never called flink: {lines[n]}", file=sys.stderr)
missing = [v for v in versions if not per_version[v]]
for v in missing:
    print(f"FAIL: no command line was checked by Flink {v}", file=sys.stderr)
for v in versions:
    print(f"  Flink {v}: {per_version[v]} calls")
print(f"flink_cli_accepts: {sum(per_version.values()) - len(failed)} calls passed, {len(failed)} failed; "
      f"{len(lines) - len(unchecked)} of {len(lines)} lines checked")
sys.exit(1 if failed or unchecked or missing else 0)
