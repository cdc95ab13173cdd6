#!/usr/bin/env python3
"""Accessibility: axe-core (from npm, installed by scripts/setup.sh) is
injected into the built page in headless Chromium and run in each state a
person meets: light and dark, desktop and phone width (plan first, the
form opened), commands wrapped, a plan, an out-of-date plan (a field with a bad value), a blocked plan, no plan, and
an HDInsight plan. Every violation is printed with its rule, impact and
first nodes; any violation fails.

Usage: axe_check.py SITE_DIR WEBDRIVER_URL AXE_JS
"""

import json
import sys

from print_check import call, new_session, run_js, serve, wait_for

PLAN = "v=1&platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/a.jar"
BLOCKED = "v=1&platform=flink&from=1.20&to=2.0&uses=dataset&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar"
NO_PLAN = "v=1&platform=flink&from=1.17&to=9.9"
HDINSIGHT = "v=1&platform=hdinsight&from=4.0&to=5.1&cluster-type=kafka&cluster=events-kf-40" \
            "&new-cluster=events-kf-51&resource-group=data-rg&location=westeurope&vnet=data-vnet" \
            "&subnet=hdi&storage-account=eventsdata&workers=4"
# What makes a plan out of date: a bad job id typed into the form.
STALE = """
    const input = document.getElementById('f-job1.id');
    input.value = 'not-a-job-id';
    input.dispatchEvent(new Event('input', {bubbles: true}));"""

OPEN_FORM = "document.querySelector('[data-testid=edit-scenario]').click();"
WRAP = "document.querySelector('[data-testid=wrap]').click();"

STATES = [
    # (name, link, scheme, width, script, what shows it is ready)
    ("plan, light", PLAN, "light", 1280, None, "[data-testid=verdict]"),
    ("plan, dark", PLAN, "dark", 1280, None, "[data-testid=verdict]"),
    # A link that plans on a phone: plan first, the form folded, commands
    # wrapped (the phone's default).
    ("plan first, phone, wrapped", PLAN, "light", 390, None, "[data-testid=verdict]"),
    ("plan first, phone, wrapped, dark", PLAN, "dark", 390, None, "[data-testid=verdict]"),
    ("phone, scenario opened", PLAN, "light", 390, OPEN_FORM, "#scenario-form:not([hidden])"),
    ("desktop, wrapped", PLAN, "light", 1280, WRAP, "html[data-wrap]"),
    ("out of date", PLAN, "light", 1280, STALE, "[data-testid=stale]"),
    ("out of date, dark", PLAN, "dark", 1280, STALE, "[data-testid=stale]"),
    ("blocked", BLOCKED, "light", 1280, None, "[data-testid=verdict]"),
    ("blocked, dark", BLOCKED, "dark", 1280, None, "[data-testid=verdict]"),
    ("no plan", NO_PLAN, "light", 1280, None, "[data-testid=problems]"),
    ("HDInsight", HDINSIGHT, "light", 1280, None, "[data-testid=verdict]"),
]


def cdp(wd, sid, cmd, params):
    return call(wd, "POST", f"/session/{sid}/goog/cdp/execute", {"cmd": cmd, "params": params})


def main():
    site, wd, axe_js = sys.argv[1:]
    with open(axe_js, encoding="utf-8") as f:
        axe = f.read()
    server, base = serve(site)
    sid = new_session(wd)
    failed = 0
    try:
        for name, link, scheme, width, script, ready in STATES:
            cdp(wd, sid, "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            cdp(wd, sid, "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
            call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{link}"})
            wait_for(wd, sid, "return !!document.querySelector('#plan-title')", f"{name}: the page")
            if script:
                run_js(wd, sid, script)
            wait_for(wd, sid, f"return !!document.querySelector({json.dumps(ready)})", f"{name}: {ready}")
            run_js(wd, sid, axe)
            # WebDriver waits for the promise the script returns.
            result = run_js(wd, sid, """
                return axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)})));""")
            if result:
                failed += 1
                print(f"FAIL {name}: {len(result)} violations")
                for v in result:
                    print(f"    {v['id']} ({v['impact']}): {v['help']}")
                    for n in v["nodes"]:
                        print(f"        {n[:300]}")
            else:
                print(f"ok {name}: 0 violations")
    finally:
        call(wd, "DELETE", f"/session/{sid}")
        server.kill()
    print(f"axe_check: {len(STATES)} states, {failed} with violations")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
