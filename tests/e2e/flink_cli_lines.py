"""The `flink` command lines flink_cli_accepts.sh runs, one per version and shape.

Usage: flink_cli_lines.py WORK WAYMARK ROOT VERSION...   (oldest first)

Takes the link of every golden Flink plan, moves it onto each pair of
consecutive VERSIONS (from, to) and, when the link has stops (`via`), onto
each three consecutive versions (from, stop, to), with every installation
directory (old-home, new-home, stop1-home) a shim home WORK/homes/<version>.
Plans each with WAYMARK and prints every generated line that calls bin/flink,
tab-separated after the versions of the homes it calls: one line per version
and shape, where the shape is the line with variables, numbers (job and hop
numbering, parallelism, ids) and its homes replaced, so a shape is run by the
CLI of every version that will run it. A line that calls a bin/flink outside
the shim homes is an error (it would be checked by nothing). Blocked plans
are left out: their scripts run nothing.

The pre-1.11 YARN form (`-m yarn-cluster -yid …`, `-ynm …`) is run like the
others: its options belong to FlinkYarnSessionCli, which the client loads only
when Hadoop's classes are on its classpath (without them 1.9.3 and 1.10.3
answer "Unrecognized option: -yid"), so flink_cli_accepts.sh gives those
clients Hadoop's client jars.
"""

import collections
import json
import pathlib
import re
import subprocess
import sys
import urllib.parse

work, waymark, root = sys.argv[1:4]
versions = sys.argv[4:]
jar = f"{work}/job.jar"


def home(v):
    return f"{work}/homes/{v}"


HOME_RE = re.compile(re.escape(f"{work}/homes/") + r"([0-9.]+)/bin/flink\b")

links = sorted({json.loads(p.read_text())["link"] for p in pathlib.Path(root, "core/tests/golden").glob("flink*/*.json")})

# (from, stop or None, to): every pair and, for links with stops, every triple.
pairs = [(versions[i], None, versions[i + 1]) for i in range(len(versions) - 1)]
triples = [(versions[i], versions[i + 1], versions[i + 2]) for i in range(len(versions) - 2)]


def moved(query, a, stop, b):
    """The link's pairs with versions, homes, jars and JobManagers replaced."""
    out, jobs = [], set()
    for k, v in query:
        if k in ("via", "old-home", "new-home") or re.fullmatch(r"stop\d+-home|job\d+\.stop\d+-jar", k):
            continue
        job = re.match(r"(job\d+)\.", k)
        if job:
            jobs.add(job.group(1))
        if k == "from":
            v = a
        elif k == "to":
            v = b
        elif re.fullmatch(r"job\d+\.(jar|old-jar)", k):
            v = jar
        elif re.fullmatch(r"job\d+\.class", k):
            v = "WaymarkProbe"
        elif k == "old-jobmanager" or re.fullmatch(r"job\d+\.jobmanager", k):
            v = "127.0.0.1:9"
        elif k == "new-jobmanager":
            v = "127.0.0.2:9"
        out.append((k, v))
    keys = {k: v for k, v in out}
    # A standalone session needs the JobManagers' addresses (a shadow copy both).
    if keys.get("deployment", "standalone-session") == "standalone-session":
        out = [(k, v) for k, v in out if k not in ("old-jobmanager", "new-jobmanager")]
        out.append(("old-jobmanager", "127.0.0.1:9"))
        if keys.get("strategy") == "shadow-copy":
            out.append(("new-jobmanager", "127.0.0.2:9"))
    if stop:
        out += [("via", stop), ("stop1-home", home(stop))]
        out += [(f"{j}.stop1-jar", jar) for j in sorted(jobs)]
    out += [("old-home", home(a)), ("new-home", home(b))]
    return urllib.parse.urlencode(out, safe="/:,;")


def flink_lines(plan):
    for phase in plan["phases"]:
        for step in phase["steps"]:
            for cmd in list(step["commands"]) + [c["command"] for c in step["checks"]]:
                if "/bin/flink " in cmd and "rm -rf" not in cmd:
                    yield cmd


# Values the CLI parses as names (targets, claim modes, the pre-1.11 YARN
# address): kept in the shape, unlike other values.
NAMES = {"yarn-cluster", "remote", "local", "yarn-session", "yarn-per-job", "yarn-application",
         "kubernetes-session", "kubernetes-application", "claim", "no_claim", "legacy"}


def value_class(word):
    """What the parser sees of a value: a name it knows, words (an array),
    a quoted word (spaces, quotes), or a plain word (a variable is one)."""
    if word in NAMES:
        return word
    if word.endswith('[@]}"'):
        return "A"
    if re.fullmatch(r'"\$\{?[A-Z][A-Z0-9_]*\}?"', word):
        return "X"
    return "Q" if any(c in word for c in "'\"\\ ") else "X"


def shell_words(cmd):
    """The line's words as written (quotes kept) and its unquoted ; & | ( )."""
    words, word, quote, i = [], "", None, 0
    while i < len(cmd):
        c = cmd[i]
        if c == "\\" and quote != "'":
            word += cmd[i:i + 2]
            i += 2
            continue
        if quote:
            quote = None if c == quote else quote
            word += c
        elif c in "'\"":
            quote = c
            word += c
        elif c.isspace() or c in ";&|()":
            if word:
                words.append(word)
            word = ""
            if not c.isspace():
                op = cmd[i:i + 2] if cmd[i:i + 2] in ("&&", "||") else c
                words.append(op)
                i += len(op) - 1
        else:
            word += c
        i += 1
    return words + ([word] if word else [])


def shape(cmd):
    """The flink calls' actions, options and classes of values, in order:
    what the CLI's parser sees, without the values it does not parse."""
    words = shell_words(cmd)
    out = []
    calling = False
    for w in words:
        if w.endswith("/bin/flink"):
            out.append("flink")
            calling, action = True, True
        elif w in (";", "&&", "||", "|", "(", ")", "&"):
            calling = False
        if not calling or w.endswith("/bin/flink"):
            continue
        if action:
            out.append(w)
            action = False
        elif w.startswith("-D") and "=" in w:
            key, value = w.split("=", 1)
            out.append(f"{key}={value_class(value)}")
        elif w.startswith("-"):
            out.append(w)
        else:
            out.append(value_class(w))
    return " ".join(out)


plans, blocked, seen, chosen, strays = 0, 0, set(), [], []
for link in links:
    query = urllib.parse.parse_qsl(link, keep_blank_values=True)
    has_stops = any(k == "via" for k, _ in query)
    for a, stop, b in pairs + (triples if has_stops else []):
        r = subprocess.run([waymark, "plan", moved(query, a, stop, b), "--format", "json"], capture_output=True, text=True)
        if r.returncode not in (0, 1) or not r.stdout.startswith("{"):
            continue  # a link the moved versions make invalid (a key of another target's version)
        plan = json.loads(r.stdout)
        if plan["verdict"] == "blocked":
            blocked += 1  # its script runs nothing (native Kubernetes before 1.11, say)
            continue
        plans += 1
        for cmd in flink_lines(plan):
            called = tuple(sorted(set(HOME_RE.findall(cmd)), key=versions.index))
            if not called or cmd.count("/bin/flink") > len(HOME_RE.findall(cmd)):
                strays.append(cmd)
                continue
            key = (called, shape(cmd))
            if key not in seen:
                seen.add(key)
                chosen.append((",".join(called), cmd))

per_version = collections.Counter(v for called, _ in chosen for v in called.split(","))
print(f"# {plans} plans ({blocked} blocked plans left out), {len(chosen)} lines (one per version and shape): "
      + ", ".join(f"{v} {per_version[v]}" for v in versions), file=sys.stderr)
for cmd in strays:
    print(f"FAIL: a line calls a bin/flink that is not a shim home: {cmd}", file=sys.stderr)
for called, cmd in chosen:
    print(f"{called}\t{cmd}")
sys.exit(1 if strays else 0)
