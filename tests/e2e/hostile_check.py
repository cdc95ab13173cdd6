#!/usr/bin/env python3
"""Hostile links (web review section 6), opened in the built page in headless
Chromium. For each case of tests/hostile.links:

  - the page shows the expected problem (or plans), and its problems are the
    CLI's: `waymark plan LINK` names the same problems, in the same order, as
    many as the page counts (the page lists the first ones; see m15);
  - no dialog opened (alert, confirm and prompt are recorded, not shown);
  - no img, svg, script, iframe, object or embed element beyond what the page
    has for a plain link, no `on…` attribute, no `javascript:` link;
  - the console has no error or warning and no uncaught exception (read from
    chromedriver's browser log, `goog:loggingPrefs`, and from a hook that
    runs before the page's scripts), except the one warning allowed below.

The time the 5,000-key link takes to show its problems is printed (no
assertion on it).

Usage: hostile_check.py SITE_DIR WEBDRIVER_URL WAYMARK_BIN LINKS_FILE
"""

import json
import re
import subprocess
import sys
import time

from print_check import call, new_session, run_js, serve, wait_for

JOB = "platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/apps/orders.jar"
PLAIN = JOB
# Trunk 0.21 puts one `integrity` on both preloads of the app: the JS
# module's, where Chromium checks it, and the wasm's (`as="fetch"`), where
# it ignores it with this warning (web review m11). Trunk can only drop both
# (`data-integrity="none"`, or a `pattern_preload` without hashes), which
# would lose the check on the JS; so this one warning is allowed.
ALLOWED = [re.compile(r"The `integrity` attribute is currently ignored for preload destinations")]
# Runs before any script of each page: records dialogs, console errors and
# warnings, and uncaught errors, in window.__hostile.
HOOK = """
window.__hostile = {dialogs: [], console: [], uncaught: []};
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__hostile.dialogs.push(name + ': ' + args.join(' ')); return null; };
}
for (const level of ['error', 'warn']) {
  const original = console[level].bind(console);
  console[level] = (...args) => { window.__hostile.console.push(level + ': ' + args.join(' ')); original(...args); };
}
addEventListener('error', e => window.__hostile.uncaught.push(String(e.message)));
addEventListener('unhandledrejection', e => window.__hostile.uncaught.push(String(e.reason)));
"""
ELEMENTS = "img, svg, script, iframe, object, embed"
INSPECT = """
const links = [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href'));
const on = [...document.querySelectorAll('*')].flatMap(e =>
  [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + '[' + a.name + ']'));
const heading = document.querySelector('[data-testid=problems] h3');
return {
  elements: document.querySelectorAll(arguments[0]).length,
  on: on,
  javascript: links.filter(h => /^\\s*javascript:/i.test(h)),
  problems: [...document.querySelectorAll('#problems-list li')].map(li => li.textContent),
  count: heading ? parseInt(heading.textContent, 10) : 0,
  verdict: !!document.querySelector('[data-testid=verdict]') && !heading,
  hook: window.__hostile,
};"""
READY = "return !!document.querySelector('[data-testid=problems]') || !!document.querySelector('[data-testid=verdict]')"


def expand(link):
    """The link with {JOB} and {repeat N TEXT} written out."""
    link = link.replace("{JOB}", JOB)

    def repeat(m):
        n, text = int(m.group(1)), m.group(2)
        return "".join(text.replace("{n}", str(i)) for i in range(1, n + 1))

    return re.sub(r"\{repeat (\d+) ((?:[^{}]|\{n\})*)\}", repeat, link)


def cases(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            expect, link = (part.strip() for part in line.split(" | ", 1))
            out.append((expect, link, expand(link)))
    return out


def cli_problems(waymark, link):
    """(exit status, the problem lines) of `waymark plan LINK`."""
    run = subprocess.run([waymark, "plan", link], capture_output=True, text=True, errors="replace")
    lines = [l[len("  - "):] for l in run.stderr.splitlines() if l.startswith("  - ")]
    return run.returncode, lines


def console_log(wd, sid):
    """Browser log entries (warnings and errors) since the last read."""
    entries = call(wd, "POST", f"/session/{sid}/se/log", {"type": "browser"}) or []
    return [e["message"] for e in entries if e.get("level") in ("SEVERE", "WARNING")]


def open_link(wd, sid, base, link):
    call(wd, "POST", f"/session/{sid}/url", {"url": "about:blank"})
    start = time.time()
    call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{link}"})
    wait_for(wd, sid, READY, "the plan or the problems", seconds=90)
    return time.time() - start


def check(wd, sid, base, waymark, expect, link, baseline):
    """What is wrong with the page for `link` (empty: nothing)."""
    seconds = open_link(wd, sid, base, link)
    page = run_js(wd, sid, INSPECT, ELEMENTS)
    wrong = []
    status, cli = cli_problems(waymark, link.split("#", 1)[0])
    if expect == "plans":
        if not page["verdict"] or page["problems"]:
            wrong.append(f"does not plan: {page['problems'][:3]}")
        if status != 0:
            wrong.append(f"the CLI exits {status}: {cli[:3]}")
    else:
        if not any(expect in p for p in page["problems"]):
            wrong.append(f"the page does not say {expect!r}: {page['problems'][:3]}")
        if not any(expect in p for p in cli):
            wrong.append(f"the CLI does not say {expect!r}: {cli[:3]}")
        if page["count"] != len(cli):
            wrong.append(f"the page counts {page['count']} problems, the CLI {len(cli)}")
        if page["problems"] != cli[:len(page["problems"])]:
            diff = [(w, c) for w, c in zip(page["problems"], cli) if w != c][:2]
            wrong.append(f"the page's problems differ from the CLI's: {diff or 'count'}")
    if page["elements"] != baseline:
        wrong.append(f"{page['elements']} {ELEMENTS} elements, {baseline} for a plain link")
    for what in ("on", "javascript"):
        if page[what]:
            wrong.append(f"{what}: {page[what][:3]}")
    hook = page["hook"] or {}
    if hook.get("dialogs"):
        wrong.append(f"dialogs: {hook['dialogs'][:3]}")
    if hook.get("uncaught"):
        wrong.append(f"uncaught: {hook['uncaught'][:3]}")
    said = hook.get("console", []) + console_log(wd, sid)
    said = [m for m in said if not any(a.search(m) for a in ALLOWED)]
    if said:
        wrong.append(f"console: {[m[:200] for m in said[:3]]}")
    return wrong, seconds, page


def main():
    site, wd, waymark, links_file = sys.argv[1:]
    server, base = serve(site)
    sid = new_session(wd, **{"goog:loggingPrefs": {"browser": "ALL"}})
    failed = 0
    try:
        call(wd, "POST", f"/session/{sid}/goog/cdp/execute",
             {"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": HOOK}})
        open_link(wd, sid, base, PLAIN)
        baseline = run_js(wd, sid, INSPECT, ELEMENTS)["elements"]
        console_log(wd, sid)
        all_cases = cases(links_file)
        for expect, written, link in all_cases:
            name = written if len(written) < 90 else written[:87] + "..."
            wrong, seconds, page = check(wd, sid, base, waymark, expect, link, baseline)
            if page["count"] > 1000:
                print(f"time {page['count']} problems shown (first {len(page['problems'])} listed):"
                      f" {seconds:.2f} s")
            if wrong:
                failed += 1
                print(f"FAIL {name}")
                for w in wrong:
                    print(f"    {w}")
            else:
                print(f"ok {name}")
    finally:
        call(wd, "DELETE", f"/session/{sid}")
        server.kill()
    print(f"hostile_check: {len(all_cases)} links, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
