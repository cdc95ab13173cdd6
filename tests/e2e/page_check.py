#!/usr/bin/env python3
"""The page's own behaviour in the built site, in headless Chromium:

  - phone (390 px): a link that plans opens plan first, the form folded
    behind "Edit scenario", which opens it and focuses it; the first visit
    and a link with problems open on the form; on a wide screen nothing is
    folded (web review M5);
  - phone: Shift+Tab up through the runbook never leaves the focused
    element under the sticky progress bar (m2 on a phone);
  - "Wrap long lines": on by default on a phone, off on a wide screen,
    remembered across a reload and never in the link; Copy copies the same
    text wrapped or not;
  - Back after an edit restores the scenario before it, one entry per edit
    (not per keystroke); "Reset to example" asks first, and Back brings the
    scenario back with its ticked steps (m14);
  - HDInsight's "Plan as of" shows the date the plan uses (m8).

Figures (where the plan starts on a phone) are printed, not asserted.

Usage: page_check.py SITE_DIR WEBDRIVER_URL
"""

import datetime
import json
import sys
import time

from print_check import call, new_session, run_js, serve, wait_for

JOB = "job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar"
PLAN = f"v=1&platform=flink&from=1.17&to=1.20&{JOB}"
STOPS = f"v=1&platform=flink&from=1.7&to=1.20&{JOB}"
BAD = "v=1&platform=flink&from=1.17&to=9.9"
HDINSIGHT = "v=1&platform=hdinsight&from=4.0&to=5.1&cluster-type=kafka&cluster=events-kf-40" \
            "&new-cluster=events-kf-51&resource-group=data-rg&location=westeurope&vnet=data-vnet" \
            "&subnet=hdi&storage-account=eventsdata&workers=4"
READY = "return !!document.querySelector('#plan-title')"
SHOWN = "const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;"


class Page:
    def __init__(self, wd, sid, base):
        self.wd, self.sid, self.base = wd, sid, base
        self.failures = []

    def js(self, script, *args):
        return run_js(self.wd, self.sid, script, *args)

    def width(self, width):
        call(self.wd, "POST", f"/session/{self.sid}/goog/cdp/execute",
             {"cmd": "Emulation.setDeviceMetricsOverride",
              "params": {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600}})

    def open(self, link, fresh=True):
        if fresh:
            call(self.wd, "POST", f"/session/{self.sid}/url", {"url": self.base + "?v=1"})
            self.js("localStorage.clear()")
        call(self.wd, "POST", f"/session/{self.sid}/url",
             {"url": self.base + ("?" + link if link else "")})
        wait_for(self.wd, self.sid, READY, f"the page for {link[:40]!r}")

    def shown(self, selector):
        return self.js(SHOWN, selector)

    def expect(self, ok, what):
        print(("ok " if ok else "FAIL ") + what)
        if not ok:
            self.failures.append(what)

    def wait(self, script, what, *args):
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.js(script, *args):
                return True
            time.sleep(0.1)
        self.expect(False, f"timed out: {what}")
        return False

    def keys(self, *values):
        actions = []
        for v in values:
            actions.append({"type": "keyDown", "value": v})
        for v in reversed(values):
            actions.append({"type": "keyUp", "value": v})
        call(self.wd, "POST", f"/session/{self.sid}/actions",
             {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})


def phone_layout(p):
    p.width(390)
    p.open(STOPS)
    plan_top = p.js("return document.getElementById('plan').getBoundingClientRect().top + scrollY")
    step_top = p.js("return document.querySelector('.step').getBoundingClientRect().top + scrollY")
    print(f"figure phone, a link that plans: the plan starts at {plan_top:.0f} px,"
          f" the first step at {step_top:.0f} px (screen 844 px)")
    p.expect(not p.shown("#scenario-form"), "phone, link that plans: the form is folded")
    p.expect(plan_top < 844, "phone, link that plans: the plan starts on the first screen")
    p.expect(p.js("return document.querySelector('[data-testid=edit-scenario]')"
                  ".getAttribute('aria-expanded')") == "false", "the fold says it is closed")
    p.js("document.querySelector('[data-testid=edit-scenario]').click()")
    p.wait("return document.activeElement && document.activeElement.id === 'f-platform'",
           "Edit scenario focuses the form")
    p.expect(p.shown("#scenario-form"), "Edit scenario shows the form")
    p.expect(p.js("return document.querySelector('[data-testid=edit-scenario]')"
                  ".getAttribute('aria-expanded')") == "true", "the fold says it is open")

    p.open("")
    p.expect(p.shown("#scenario-form") and not p.shown("[data-testid=edit-scenario]"),
             "phone, first visit: the form comes first, nothing folded")
    p.open(BAD)
    p.expect(p.shown("#scenario-form"), "phone, a link with problems: the form shows")
    p.width(1280)
    p.open(STOPS)
    p.expect(p.shown("#scenario-form") and not p.shown("[data-testid=edit-scenario]"),
             "desktop, link that plans: the form beside the plan, no fold")


HIDDEN_BY_BAR = """
const el = document.activeElement, bar = document.querySelector('.progress');
if (!el || !bar || bar.contains(el) || el === document.body) return null;
const b = bar.getBoundingClientRect(), r = el.getBoundingClientRect();
const stuck = b.top <= 1;
return stuck && r.top < b.bottom - 1 ? (el.id || el.tagName) + ' at ' + Math.round(r.top) +
  ' under the bar ending at ' + Math.round(b.bottom) : '';"""


def sticky_bar(p):
    p.width(390)
    p.open(STOPS)
    # Tick a step so the bar has its buttons (its tallest form).
    p.js("document.querySelector('.step__check').click()")
    p.js("const all = document.querySelectorAll('.step__check'); all[all.length - 1].focus();")
    hidden, seen = [], 0
    for _ in range(60):
        p.keys("\ue008", "\ue004")  # Shift+Tab
        what = p.js(HIDDEN_BY_BAR)
        if what is None:
            continue
        seen += 1
        if what:
            hidden.append(what)
    p.expect(seen > 20 and not hidden,
             f"phone, Shift+Tab through {seen} elements of the runbook: none under the sticky bar"
             + (f" ({hidden[:3]})" if hidden else ""))


COPIED = """
window.__copied = [];
navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };
document.querySelector('.step .copy').click();"""
PRE = """
const pre = document.querySelector('.commands pre.screen-only');
return {space: getComputedStyle(pre).whiteSpace, fits: pre.scrollWidth <= pre.clientWidth + 1};"""


def wrap_toggle(p):
    p.width(390)
    p.open(STOPS)
    box = "[data-testid=wrap]"
    p.expect(p.js(f"return document.querySelector('{box}').checked"), "phone: wrap is on by default")
    pre = p.js(PRE)
    p.expect(pre["space"] == "pre-wrap" and pre["fits"], f"phone: commands wrap ({pre})")
    p.js(COPIED)
    p.wait("return window.__copied.length === 1", "Copy (wrapped)")
    wrapped = p.js("return window.__copied[0]")
    p.js(f"document.querySelector('{box}').click()")
    pre = p.js(PRE)
    p.expect(pre["space"] == "pre", f"unticked: commands scroll again ({pre})")
    p.js(COPIED)
    p.wait("return window.__copied.length === 1", "Copy (not wrapped)")
    p.expect(bool(wrapped) and p.js("return window.__copied[0]") == wrapped,
             "Copy copies the same text wrapped or not")
    p.expect("wrap" not in p.js("return location.href"), "the wrap choice is not in the link")
    p.open(STOPS, fresh=False)
    p.expect(not p.js(f"return document.querySelector('{box}').checked"),
             "the choice is remembered across a reload")
    p.width(1280)
    p.open(STOPS)
    p.expect(not p.js(f"return document.querySelector('{box}').checked"),
             "desktop: wrap is off by default")


TYPE = """
const input = document.getElementById(arguments[0]);
input.focus();
input.value = arguments[1];
input.dispatchEvent(new Event('input', {bubbles: true}));"""
LEAVE = """
const input = document.getElementById(arguments[0]);
input.dispatchEvent(new Event('change', {bubbles: true}));
input.blur();"""
VALUE = "return document.getElementById(arguments[0]).value"


def back_and_reset(p):
    p.width(1280)
    p.open(PLAN)
    start = p.js("return history.length")
    for typed in ["b", "bi", "bil", "billing"]:
        p.js(TYPE, "f-job1.name", typed)
    p.js(LEAVE, "f-job1.name")
    p.wait("return location.search.includes('billing')", "the address bar follows the edit")
    p.expect(p.js("return history.length") == start + 1, "one edit, typed in 4 keystrokes, is one history entry")
    p.js(TYPE, "f-job1.parallelism", "4")
    p.js(LEAVE, "f-job1.parallelism")
    p.wait("return location.search.includes('parallelism=4')", "a second edit")
    p.expect(p.js("return history.length") == start + 2, "a second edit is a second entry")
    p.js("history.back()")
    p.wait("return !location.search.includes('parallelism')", "Back")
    p.expect(p.js(VALUE, "f-job1.parallelism") == "" and p.js(VALUE, "f-job1.name") == "billing",
             "Back undoes the last edit only")
    p.js("history.back()")
    p.wait("return document.getElementById('f-job1.name').value === 'orders'",
           "Back again restores the name")
    p.expect("job1.name=orders" in p.js("return location.search"), "Back restores the link")
    p.js("history.forward()")
    p.wait("return document.getElementById('f-job1.name').value === 'billing'", "Forward redoes")

    # Reset: asks (window.confirm, answered here), Cancel changes nothing,
    # OK loads the example; Back brings the scenario back with its tick.
    p.open(PLAN)
    p.js("document.querySelector('.step__check').click()")
    ticked = p.js("return document.querySelector('.step__check').id")
    answer = "window.__asked = []; window.confirm = m => { window.__asked.push(m); return ANSWER; };"
    p.js(answer.replace("ANSWER", "false"))
    p.js("document.getElementById('reset').click()")
    p.expect(len(p.js("return window.__asked")) == 1, "Reset asks first")
    p.expect("job1.name=orders" in p.js("return location.search") and
             "job2" not in p.js("return location.search"), "Cancel changes nothing")
    p.js(answer.replace("ANSWER", "true"))
    p.js("document.getElementById('reset').click()")
    p.wait("return document.getElementById('f-job1.name').value === 'orders' &&"
           " location.search.includes('job2')", "Replace loads the example (two jobs)")
    p.js("history.back()")
    p.wait("return !location.search.includes('job2')", "Back after Reset")
    p.wait("return document.getElementById(arguments[0]) && document.getElementById(arguments[0]).checked",
           "Back after Reset: the scenario's ticked step is still ticked", ticked)


def date_placeholder(p):
    p.width(1280)
    p.open(HDINSIGHT)
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    placeholder = p.js("return document.getElementById('f-date').placeholder")
    p.expect(placeholder == f"today ({today})", f"HDInsight Plan as of shows {placeholder!r}")
    facts = p.js("return document.body.textContent.includes(arguments[0])", today)
    p.expect(facts, "the plan says the same date")


def main():
    site, wd = sys.argv[1:]
    server, base = serve(site)
    sid = new_session(wd)
    p = Page(wd, sid, base)
    try:
        for check in (phone_layout, sticky_bar, wrap_toggle, back_and_reset, date_placeholder):
            try:
                check(p)
            except RuntimeError as e:
                p.expect(False, f"{check.__name__}: {e}")
    finally:
        call(wd, "DELETE", f"/session/{sid}")
        server.kill()
    print(f"page_check: {len(p.failures)} failed")
    return 1 if p.failures else 0


if __name__ == "__main__":
    sys.exit(main())
