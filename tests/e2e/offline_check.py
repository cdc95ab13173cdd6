#!/usr/bin/env python3
"""Offline after one visit: the built site is served, opened once in headless
Chromium until its service worker (src/sw.js) controls the page, and then the
server is stopped. With no server:

  - a reload shows the plan;
  - another scenario link (the query is the scenario) plans too;
  - a download works: the exports worker's files came from the cache.

Then a new build is "deployed" (the page changes on the server) and, online
again, a reload gets the new page rather than the cached one.

Usage: offline_check.py SITE_DIR WEBDRIVER_URL
"""

import os
import sys

from print_check import call, new_session, run_js, serve, wait_for

LINK = "v=1&platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar"
OTHER = "v=1&platform=hdinsight&from=4.0&to=5.1&cluster-type=spark&cluster=etl-36&new-cluster=etl-51" \
        "&resource-group=data-rg&location=westeurope&vnet=data-vnet&subnet=hdi&storage-account=etldata&workers=4"
VERDICT = "return !!document.querySelector('[data-testid=verdict]')"


def main():
    site, wd = sys.argv[1:]
    failures = []
    server, base = serve(site)
    sid = new_session(wd)
    try:
        call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{LINK}"})
        wait_for(wd, sid, VERDICT, "the first plan")
        wait_for(wd, sid, "return !!navigator.serviceWorker && !!navigator.serviceWorker.controller",
                 "the service worker to control the page")
        # WebDriver waits for a promise a script returns.
        wait_for(wd, sid, """
            return caches.open('waymark').then(c => c.keys()).then(k =>
              k.some(r => r.url.endsWith('exports_worker_bg.wasm'))
              && k.some(r => /waymark-web-[0-9a-f]+_bg[.]wasm$/.test(r.url)));""",
                 "the page's and the exports worker's files in the cache")
        port = int(base.split(":")[2].split("/")[0])
        server.kill()
        server.wait()

        call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{LINK}"})
        try:
            wait_for(wd, sid, VERDICT, "the plan after a reload with the server stopped", 20)
            print("ok reload offline: the plan is shown")
        except RuntimeError as e:
            failures.append(str(e))

        call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{OTHER}"})
        try:
            wait_for(wd, sid, "const t=document.querySelector('#plan-title');"
                              "return !!t && t.textContent.includes('HDInsight Spark')",
                     "another scenario's plan offline", 20)
            print("ok another link offline: its plan is shown")
        except RuntimeError as e:
            failures.append(str(e))

        download = "[...document.querySelectorAll('button')].find(b => b.textContent.trim() == 'Download Markdown')"
        try:
            wait_for(wd, sid, f"return !!{download}", "the Download Markdown button", 20)
            run_js(wd, sid, f"{download}.click()")
            wait_for(wd, sid,
                     "const s=document.querySelector('[data-testid=status]');"
                     "return !!s && /Downloading|Could not/.test(s.textContent)",
                     "the download's answer offline", 30)
            said = run_js(wd, sid, "return document.querySelector('[data-testid=status]').textContent")
            if "Downloading" in said:
                print(f"ok download offline: {said}")
            else:
                failures.append(f"the download failed offline: {said}")
        except RuntimeError as e:
            failures.append(str(e))

        # A new build deployed: the page on the server changes. Online, the
        # page comes from the network, not from the cache.
        index = os.path.join(site, "waymark", "index.html")
        with open(index, encoding="utf-8") as f:
            page = f.read()
        marker = "<!-- deployed again -->"
        if "<title>" not in page:
            raise RuntimeError("the built index.html has no <title> to mark")
        with open(index, "w", encoding="utf-8") as f:
            f.write(page.replace("<title>", marker + "<title>", 1))
        # The same port: another one would be another origin.
        server, _ = serve(site, port)
        try:
            call(wd, "POST", f"/session/{sid}/url", {"url": f"{base}?{LINK}"})
            wait_for(wd, sid, VERDICT, "the plan online again", 20)
            html = run_js(wd, sid, "return document.documentElement.outerHTML")
            if marker not in html:
                failures.append("online again, the page came from the cache, not the new build")
            else:
                print("ok online again: the new build's page is served")
        finally:
            with open(index, "w", encoding="utf-8") as f:
                f.write(page)
    finally:
        call(wd, "DELETE", f"/session/{sid}")
        server.kill()
    for f in failures:
        print(f"FAIL {f}")
    print(f"offline_check: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
