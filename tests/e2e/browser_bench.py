#!/usr/bin/env python3
"""The browser benchmark of issue 11: how fast the built site shows and
updates a runbook in headless Chromium (WebDriver through chromedriver, CDP
commands through chromedriver's goog/cdp/execute). It prints figures and
writes them as JSON; it asserts nothing about time. It fails only when it
cannot measure: the page does not show the runbook, the console has an
error, a control it needs is missing.

Definitions, the same for the app and for the static page:
  - cold load: the HTTP cache is cleared and disabled, the origin's storage
    (service worker, caches, local storage) is cleared, and the service
    worker is bypassed, before each navigation from about:blank;
  - painted: the next frame after the change is in the DOM has run (a
    requestAnimationFrame callback sees it, then a message posted from that
    callback arrives: after that frame's style, layout and paint);
  - runbook visible: a frame is painted holding the first step title
    (`.step__title`), or for the 200- and 500-job links the last one: the
    number of step titles has reached the count it settles at;
  - the static page of a runbook: the app's DOM once it shows that runbook,
    without its scripts and wasm/JS preloads, stylesheets kept, served by
    the same server;
  - edit, tick, Add job: the event is dispatched in the page (an `input`
    event after one character is appended to job 1's name; `click()` on the
    first step's checkbox or on Add job), timed from just before it to the
    paint of the frame that shows its effect (a step title holding the new
    name; the step marked done; one more job in the form). Event Timing
    does not report such script events, so it is not used.

Usage: browser_bench.py SITE_DIR WEBDRIVER_URL OUT_JSON
(SITE_DIR holds the build under waymark/; it is served on a free port.)
"""

import json
import os
import statistics
import sys
import time

from axe_check import cdp
from print_check import call, new_session, run_js, serve

# The review's "stops" link: a typical one-job link (route 1.7 → 1.16.3 → 1.20).
TYPICAL = "v=1&platform=flink&from=1.7&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90" \
          "&job1.name=orders&job1.jar=/apps/orders.jar"
COLD_LOADS = 5       # per page and throttling, for the first-visit and typical links
BIG_LOADS = 3        # per link of 200 and 500 jobs
EDITS = {2: 5, 200: 5, 500: 3}
TICKS = 5
ADD_JOBS = 3
THROTTLE = 4
BLANK = "bench-blank.html"  # written beside the build: see Browser.prepare

# Installed before any of the page's scripts on every navigation.
INSTRUMENT = r"""
(() => {
  const b = window.__bench = {errors: [], longtasks: [], frames: [], changed: 0};
  const err = m => b.errors.push(String(m).slice(0, 300));
  const consoleError = console.error;
  console.error = function (...args) { err(args.join(' ')); return consoleError.apply(this, args); };
  addEventListener('error', e => err(e.message
    || 'could not load ' + (e.target && (e.target.src || e.target.href))), true);
  addEventListener('unhandledrejection', e => err('unhandled rejection: ' + e.reason));
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  // After the frame that requestAnimationFrame precedes has been produced.
  b.afterPaint = () => new Promise(done => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => done(performance.now());
    c.port2.postMessage(0);
  }));
  // Each frame, the number of step titles; a change is stamped when its frame is painted.
  const titles = document.getElementsByClassName('step__title');
  let last = 0;
  const frame = () => {
    if (titles.length !== last) {
      last = titles.length;
      const rec = {steps: last, painted: null};
      b.frames.push(rec);
      b.changed = performance.now();
      const c = new MessageChannel();
      c.port1.onmessage = () => { rec.painted = performance.now(); };
      c.port2.postMessage(0);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""

# Resolves once step titles are painted and their count has not changed for
# `quiet` ms (or the wait times out): what the load measured.
SETTLE = r"""
const [quiet, timeout] = arguments;
const b = window.__bench;
const start = performance.now();
return new Promise(done => {
  const poll = () => {
    const f = b && b.frames.filter(r => r.painted !== null);
    const settled = f && f.length && f[f.length - 1].steps > 0 && performance.now() - b.changed > quiet;
    if (settled || performance.now() - start > timeout) {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let nodes = 0;
      while (walker.nextNode()) nodes++;
      const files = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .filter(r => !r.name.startsWith('data:'));
      const final = f && f.length ? f[f.length - 1].steps : 0;
      const first = f ? f.find(r => r.steps > 0) : null;
      const all = f ? f.find(r => r.steps === final) : null;
      const visible = all ? all.painted : null;
      const long = (b ? b.longtasks : []).filter(([t]) => visible === null || t <= visible);
      done({
        errors: b ? b.errors : ['the instrumentation did not run'],
        steps: final,
        first: first ? first.painted : null,
        last: visible,
        nodes,
        elements: document.getElementsByTagName('*').length,
        fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
        transferred: files.reduce((n, r) => n + r.transferSize, 0),
        cached: files.filter(r => r.transferSize === 0).map(r => r.name),
        longest: long.reduce((m, [, d]) => Math.max(m, d), 0),
        verdict: !!document.querySelector('[data-testid=verdict]'),
      });
    } else {
      setTimeout(poll, 100);
    }
  };
  poll();
});
"""

# The app's DOM as a page without scripts: the static page of the same runbook.
STATIC_PAGE = r"""
const d = document.documentElement.cloneNode(true);
d.querySelectorAll('script, link[rel=preload], link[rel=modulepreload]').forEach(e => e.remove());
return '<!doctype html>\n' + d.outerHTML;
"""

# One character typed into a field (the input event the app listens to) →
# painted with a step title that holds the new value. Milliseconds.
EDIT = r"""
const [id, suffix] = arguments;
const input = document.getElementById(id);
if (!input) return {error: 'no field #' + id};
const name = input.value + suffix;
const titles = document.getElementsByClassName('step__title');
const shown = () => [...titles].some(t => t.textContent.includes(name));
return new Promise(done => {
  const start = performance.now();
  const finish = () => window.__bench.afterPaint().then(t => done({ms: t - start}));
  const watch = new MutationObserver(() => { if (shown()) { watch.disconnect(); finish(); } });
  watch.observe(document.body, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { watch.disconnect(); done({error: 'no step title shows ' + JSON.stringify(name)}); }, 30000);
  input.value = name;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  if (shown()) { watch.disconnect(); finish(); }
});
"""

# A click on a control → painted once `ready()` holds. Milliseconds.
CLICK = r"""
const [selector, ready] = arguments;
const target = document.querySelector(selector);
if (!target) return {error: 'nothing matches ' + selector};
const holds = new Function('target', 'before', ready);
const before = {checked: target.checked, items: document.querySelectorAll('[data-testid=group-item]').length};
return new Promise(done => {
  const start = performance.now();
  const finish = () => window.__bench.afterPaint().then(t => done({ms: t - start}));
  const watch = new MutationObserver(() => { if (holds(target, before)) { watch.disconnect(); finish(); } });
  watch.observe(document.body, {childList: true, subtree: true, attributes: true});
  setTimeout(() => { watch.disconnect(); done({error: 'no change after clicking ' + selector}); }, 30000);
  target.click();
  if (holds(target, before)) { watch.disconnect(); finish(); }
});
"""
# The ticked step shows as done (found again by id: the list may be rebuilt).
TICKED = "const e = document.getElementById(target.id);" \
         "return !!e && e.checked !== before.checked && " \
         "e.closest('[data-testid=step]').classList.contains('step--done') === e.checked;"
ADDED = "return document.querySelectorAll('[data-testid=group-item]').length > before.items;"

IDLE = "return new Promise(r => setTimeout(() => window.__bench.afterPaint().then(r), 200));"


def jobs(n):
    """The jobs of the 200/500-job links: core/examples/bench.rs's without
    class, arguments and parallelism, which would take the 500-job link past
    the 64 KiB request line the server (Python's http.server) accepts."""
    return "".join(f"&job{i}.id={i:032x}&job{i}.name=job-{i}&job{i}.jar=/apps/job%20{i}.jar"
                   for i in range(1, n + 1))


def big_link(n):
    return "v=1&platform=flink&from=1.17&to=1.20&strategy=in-place&uids=all" \
           "&savepoint-dir=s3://b/sp" + jobs(n)


class Failure(Exception):
    pass


class Browser:
    def __init__(self, wd, site_dir, base):
        self.wd, self.site_dir, self.base = wd, site_dir, base
        self.origin = base.split("/waymark/")[0]
        with open(os.path.join(site_dir, "waymark", BLANK), "w", encoding="utf-8") as f:
            f.write("<!doctype html><title>Blank</title>\n")
        self.sid = new_session(wd)
        call(wd, "POST", f"/session/{self.sid}/timeouts", {"script": 300_000, "pageLoad": 300_000})
        call(wd, "POST", f"/session/{self.sid}/window/rect", {"width": 1280, "height": 900})
        for cmd, params in [("Network.enable", {}),
                            ("Network.setCacheDisabled", {"cacheDisabled": True}),
                            ("Network.setBypassServiceWorker", {"bypass": True}),
                            ("Page.addScriptToEvaluateOnNewDocument", {"source": INSTRUMENT})]:
            self.cdp(cmd, params)

    def cdp(self, cmd, params):
        return cdp(self.wd, self.sid, cmd, params)

    def js(self, script, *args):
        return run_js(self.wd, self.sid, script, *args)

    def go(self, url):
        call(self.wd, "POST", f"/session/{self.sid}/url", {"url": url})

    def prepare(self, throttle):
        """Cold and throttled for the next navigation. About:blank first, so
        that the page gets a new renderer process (nothing compiled in it);
        then a blank page of the same origin, because the throttling set on
        a page lasts through a same-origin navigation but not through a
        change of process."""
        self.go("about:blank")
        self.cdp("Network.clearBrowserCache", {})
        self.cdp("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": "all"})
        self.go(self.base + BLANK)
        self.cdp("Emulation.setCPUThrottlingRate", {"rate": throttle})

    def cold_load(self, url, what, throttle=1, quiet=300, cpu=False):
        """Navigates to `url` cold and returns SETTLE's figures once the
        number of steps has not changed for `quiet` ms; with `cpu`, also the
        renderer's main-thread time in seconds (Performance.getMetrics,
        thread ticks): all tasks, style and layout."""
        self.prepare(throttle)
        if cpu:
            self.cdp("Performance.enable", {"timeDomain": "threadTicks"})
        try:
            self.go(url)
            got = self.js(SETTLE, quiet, 60_000)
            if cpu:
                metrics = {m["name"]: m["value"] for m in self.cdp("Performance.getMetrics", {})["metrics"]}
                got["cpu"] = {k: metrics.get(f"{k}Duration", 0) for k in ("Task", "RecalcStyle", "Layout")}
        finally:
            if cpu:
                self.cdp("Performance.disable", {})
            self.cdp("Emulation.setCPUThrottlingRate", {"rate": 1})
        for k in ("first", "last", "longest", "fcp"):
            if got[k] is not None:
                got[k] = round(got[k], 1)
        if got["errors"]:
            raise Failure(f"{what}: errors in the console: {got['errors'][:3]}")
        if not got["steps"] or got["first"] is None:
            raise Failure(f"{what}: no runbook shown (no painted step title)")
        if got["cached"]:
            raise Failure(f"{what}: not a cold load, from a cache: {got['cached'][:3]}")
        return got

    def task_seconds(self):
        """The renderer's main-thread time so far (Performance enabled)."""
        metrics = self.cdp("Performance.getMetrics", {})["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def check_idle_errors(self, what):
        errors = self.js("return window.__bench.errors")
        if errors:
            raise Failure(f"{what}: errors in the console: {errors[:3]}")

    def static_page(self, url, name):
        """Loads the app at `url`, saves its DOM as the static page `name`
        beside the build and returns the page's URL."""
        got = self.cold_load(url, f"the app at {url[:60]} (for its static page)")
        with open(os.path.join(self.site_dir, "waymark", name), "w", encoding="utf-8") as f:
            f.write(self.js(STATIC_PAGE))
        return self.base + name, got["steps"]

    def close(self):
        call(self.wd, "DELETE", f"/session/{self.sid}")


def median(values):
    return round(statistics.median(values), 1)


def measure_throttle(browser):
    """How much slower a fixed loop runs at THROTTLE× after a navigation
    (median against median: the throttling works in time slices, so a short
    run may fall between them): it really applies to the measured page."""
    loop = "const t = performance.now(); let x = 0; for (let i = 0; i < 5e7; i++) x += i % 7;" \
           "return performance.now() - t;"
    times = {1: [], THROTTLE: []}
    for _ in range(3):  # interleaved: the other processes of a busy machine slow both
        for rate in times:
            browser.prepare(rate)
            browser.go(browser.base + "sw.js")
            times[rate] += [browser.js(loop) for _ in range(2)]
    browser.cdp("Emulation.setCPUThrottlingRate", {"rate": 1})
    return statistics.median(times[THROTTLE]) / statistics.median(times[1])


def navigation(browser, name, link, results, rows):
    """Figure 1: the app against its static page, cold, at 1× and THROTTLE×."""
    app_url = browser.base + (f"?{link}" if link else "")
    static_url, steps = browser.static_page(app_url, f"bench-static-{name.replace(' ', '-')}.html")
    for rate in (1, THROTTLE):
        app, static = [], []
        for _ in range(COLD_LOADS):  # interleaved, so a busy moment hits both
            app.append(browser.cold_load(app_url, f"{name}: the app", rate))
            static.append(browser.cold_load(static_url, f"{name}: the static page", rate))
        app_ms, static_ms = [g["first"] for g in app], [g["first"] for g in static]
        a, s = median(app_ms), median(static_ms)
        # The fastest loads too: on a busy machine they vary less than the medians.
        a_min, s_min = min(app_ms), min(static_ms)
        key = f"{name}, CPU {rate}x"
        results["navigation"][key] = {
            "app_ms": app_ms, "static_ms": static_ms, "app_median_ms": a, "static_median_ms": s,
            "ratio": round(a / s, 2), "ratio_of_fastest": round(a_min / s_min, 2), "steps": steps,
            "app_bytes": app[0]["transferred"], "static_bytes": static[0]["transferred"],
            # First contentful paint, beside our definition, as a cross-check.
            "app_fcp_median_ms": median([g["fcp"] for g in app if g["fcp"]] or [0]),
            "static_fcp_median_ms": median([g["fcp"] for g in static if g["fcp"]] or [0]),
            "app_longest_task_ms": median([g["longest"] for g in app])}
        rows.append((f"navigation → first step painted, {key}",
                     f"app {a:.0f} ms, static {s:.0f} ms: {a / s:.2f}× (fastest {a_min:.0f}, {s_min:.0f}: "
                     f"{a_min / s_min:.2f}×)",
                     f"median of {COLD_LOADS} cold loads each; {steps} steps; "
                     f"{app[0]['transferred'] // 1024} / {static[0]['transferred'] // 1024} KiB transferred"))


def repeat(browser, what, n, script, args):
    """Runs the in-page timing `script` `n` times (`args(i)`: its arguments),
    each once the page is idle. Returns the times it measured and the
    renderer's main-thread CPU time around each call (Performance.getMetrics,
    thread ticks), in ms: on a busy machine the CPU time varies less."""
    wall, cpu = [], []
    browser.cdp("Performance.enable", {"timeDomain": "threadTicks"})
    try:
        for i in range(n):
            before = browser.task_seconds()
            got = browser.js(script, *args(i))
            after = browser.task_seconds()
            if "error" in got:
                raise Failure(f"{what}: {got['error']}")
            wall.append(round(got["ms"], 1))
            cpu.append(round((after - before) * 1000, 1))
            browser.js(IDLE)
    finally:
        browser.cdp("Performance.disable", {})
    browser.check_idle_errors(what)
    return wall, cpu


def interaction(results, rows, kind, label, jobs_n, timed):
    wall, cpu = timed
    results[kind][str(jobs_n)] = {"ms": wall, "median_ms": median(wall),
                                  "cpu_ms": cpu, "cpu_median_ms": median(cpu)}
    rows.append((f"{label} → painted, {jobs_n} jobs",
                 f"{median(wall):.0f} ms (max {max(wall):.0f}); CPU {median(cpu):.0f} ms",
                 f"median of {len(wall)}"))


def edits(browser, jobs_n, results, rows):
    """Figure 3 on the page already loaded: one character into job 1's name."""
    timed = repeat(browser, f"edit at {jobs_n} jobs", EDITS[jobs_n], EDIT,
                   lambda i: ("f-job1.name", "abcdefghij"[i]))
    interaction(results, rows, "edit", "edit: 1 character in a job name", jobs_n, timed)


def tick(browser, jobs_n, results, rows):
    """Figure 4 on the page already loaded: the first step's checkbox, on and off."""
    timed = repeat(browser, f"tick at {jobs_n} jobs", TICKS, CLICK, lambda i: ("input.step__check", TICKED))
    interaction(results, rows, "tick", "tick a step", jobs_n, timed)


def big(browser, jobs_n, results, rows):
    """Figures 2, 3, 4 (and 5 at 500 jobs) for a link of `jobs_n` jobs."""
    url = browser.base + "?" + big_link(jobs_n)
    loads = [browser.cold_load(url, f"the {jobs_n}-job link", quiet=1000, cpu=True) for _ in range(BIG_LOADS)]
    visible = [g["last"] for g in loads]
    longest = [round(g["longest"]) for g in loads]
    cpu = {k: round(statistics.median([g["cpu"][k] for g in loads]), 3) for k in loads[0]["cpu"]}
    last = loads[-1]
    results["big"][str(jobs_n)] = {"visible_ms": visible, "visible_median_ms": median(visible),
                                   "steps": last["steps"], "dom_elements": last["elements"],
                                   "dom_nodes": last["nodes"], "longest_task_ms": longest,
                                   "main_thread_s": cpu, "link_bytes": len(big_link(jobs_n))}
    rows.append((f"{jobs_n}-job link: navigation → last step painted",
                 f"{median(visible) / 1000:.2f} s; longest task {max(longest)} ms",
                 f"median of {BIG_LOADS} cold loads; {last['steps']} steps, {last['elements']} elements "
                 f"({last['nodes']} nodes), link {len(big_link(jobs_n)) // 1024} KiB"))
    rows.append((f"{jobs_n}-job link: main-thread CPU time of the load",
                 f"{cpu['Task']:.2f} s, of which style {cpu['RecalcStyle']:.2f} s, layout {cpu['Layout']:.2f} s",
                 "Performance.getMetrics, thread ticks; median"))
    edits(browser, jobs_n, results, rows)
    tick(browser, jobs_n, results, rows)
    if jobs_n == 500:
        add = "#add-job"
        if not browser.js(f"return !!document.querySelector({json.dumps(add)})"):
            raise Failure("no Add job button (#add-job)")
        timed = repeat(browser, f"Add job at {jobs_n} jobs", ADD_JOBS, CLICK, lambda i: (add, ADDED))
        interaction(results, rows, "add_job", "Add job: a new job in the form", jobs_n, timed)


class Rows(list):
    """The table's rows, each also printed as it is measured (a slow or
    failing run still shows what it got)."""

    def append(self, row):
        print("  " + ": ".join(row[:2]) + f" ({row[2]})", flush=True)
        super().append(row)


def print_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    header = ("what", "figure", "how")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def measure(browser, results, rows):
    """All the figures, in order; returns how much the throttling slowed a loop."""
    slowdown = measure_throttle(browser)
    results["throttle_measured"] = round(slowdown, 2)
    if slowdown < 1.5:  # a busy machine blurs the ratio, but not to 1
        raise Failure(f"CPU throttling {THROTTLE}× did not apply: a loop ran {slowdown:.1f}× slower")
    navigation(browser, "first visit", "", results, rows)
    browser.cold_load(browser.base, "first visit: the app")  # the example: 2 jobs
    edits(browser, 2, results, rows)
    tick(browser, 2, results, rows)
    navigation(browser, "typical link", TYPICAL, results, rows)
    for n in (200, 500):
        big(browser, n, results, rows)
    return slowdown


def main():
    site, wd, out_json = sys.argv[1:]
    started = time.time()
    results = {"navigation": {}, "big": {}, "edit": {}, "tick": {}, "add_job": {},
               "definitions": "tests/e2e/browser_bench.py, its docstring"}
    rows = Rows()
    server, base = serve(site)
    try:
        browser = Browser(wd, site, base)
        try:
            slowdown = measure(browser, results, rows)
        finally:
            browser.close()
    except (Failure, RuntimeError) as e:
        print(f"FAIL browser benchmark: {e}")
        return 1
    finally:
        server.kill()
    results["seconds"] = round(time.time() - started)
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    print(f"\nBrowser benchmark: headless Chromium, 1280×900; cold = HTTP cache cleared and disabled, "
          f"origin storage cleared, service worker bypassed; CPU {THROTTLE}× = "
          f"Emulation.setCPUThrottlingRate (a JS loop ran {slowdown:.1f}× slower). "
          f"Figures only, nothing asserted on time.")
    print_table(rows)
    print(f"browser_bench: {results['seconds']} s; figures in {out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
