#!/usr/bin/env python3
"""The printed checklist, checked on paper: each link of a list is opened in
headless Chromium (WebDriver, through chromedriver), some steps are ticked,
the page is printed to PDF on A4 and on Letter, and `pdftotext -bbox` reads
the words back with their boxes. For every PDF:

  - no two words overlap (text printed on top of text);
  - the link that reopens the plan is there, the print date, and how many
    steps were ticked;
  - every step title of the plan is there (the CLI's JSON for the same link
    says which), and every phase heading is on the page of its first step;
  - no control prints: under print media no button, input or select is
    rendered, and no button label is in the text.

Usage: print_check.py SITE_DIR WEBDRIVER_URL WAYMARK_BIN OUT_DIR LINK...
(SITE_DIR holds the build under waymark/; it is served on a free port.)
Exits 1 when a check fails, naming the link, the paper and what was wrong.
"""

import base64
import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

PAPERS = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}
# Button labels that never occur in runbook prose.
BUTTON_LABELS = ["Copy link", "Print checklist", "Download Markdown", "Download script",
                 "Download JSON", "Reset progress", "Add job"]


def serve(site, port=None):
    """Serves `site` on `port` (default: a free one): (process, base URL of
    /waymark/)."""
    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", site], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/waymark/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).read()
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the site did not come up on port {port}")


def new_session(wd, **extra):
    """A headless Chromium session; `extra` adds capabilities (such as
    `goog:loggingPrefs`)."""
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]},
        **extra}}}
    return call(wd, "POST", "/session", caps)["sessionId"]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.loads(resp.read() or b"{}").get("value")
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")[:500]
        raise RuntimeError(f"WebDriver {method} {path}: {e.code} {detail}") from None


def run_js(wd, sid, script, *args):
    return call(wd, "POST", f"/session/{sid}/execute/sync", {"script": script, "args": list(args)})


def wait_for(wd, sid, script, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if run_js(wd, sid, script):
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def words_by_page(pdf):
    """[(page, [(xmin, ymin, xmax, ymax, text)])] from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", out, re.S):
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</word>', page):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            words.append((x0, y0, x1, y1, html.unescape(m.group(5))))
        pages.append(words)
    return pages


def overlaps(words, slack=0.6):
    """Pairs of words whose boxes intersect by more than `slack` points both
    ways: text printed over text."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] >= a[3] - slack:
                break
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > slack and dy > slack:
                found.append((a[4], b[4]))
    return found


def squash(text):
    return re.sub(r"\s+", "", text)


def spaced(text):
    return re.sub(r"\s+", " ", text).strip()


def find(tokens, wanted, gap):
    """The index in `tokens` where `wanted` starts as a subsequence whose
    words are at most `gap` tokens apart (pdftotext may read a badge beside
    a wrapped title in between), or -1."""
    if not wanted:
        return 0
    for start, tok in enumerate(tokens):
        if tok != wanted[0]:
            continue
        at, ok = start, True
        for w in wanted[1:]:
            nxt = next((j for j in range(at + 1, min(len(tokens), at + 2 + gap)) if tokens[j] == w), None)
            if nxt is None:
                ok = False
                break
            at = nxt
        if ok:
            return start
    return -1


def check_pdf(pdf, plan, link_url, ticked):
    problems = []
    pages = words_by_page(pdf)
    page_tokens = [[w[4] for w in words] for words in pages]
    whole = spaced(" ".join(" ".join(t) for t in page_tokens))
    for n, words in enumerate(pages, 1):
        pairs = overlaps(words)
        if pairs:
            problems.append(f"page {n}: {len(pairs)} overlapping word pairs, e.g. {pairs[:3]}")
    if squash(link_url) not in squash(whole):
        problems.append(f"the link that reopens the plan is missing ({link_url[:60]}…)")
    if not re.search(r"Printed \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", whole):
        problems.append("no print date")
    steps = sum(len(p["steps"]) for p in plan["phases"])
    if ticked and f"{ticked} of {steps} steps ticked when printed" not in whole:
        problems.append(f"the {ticked} ticked steps are not said ({ticked} of {steps})")
    for label in BUTTON_LABELS:
        if label in whole:
            problems.append(f"a button label is printed: {label!r}")

    def page_of(wanted, gap):
        for i, tokens in enumerate(page_tokens):
            if find(tokens, wanted, gap) >= 0:
                return i
        return None

    for phase_no, phase in enumerate(plan["phases"], 1):
        for step_no, step in enumerate(phase["steps"], 1):
            if page_of([f"{phase_no}.{step_no}"] + step["title"].split(), 8) is None:
                problems.append(f"step {phase_no}.{step_no} missing: {step['title']!r}")
        heading = page_of([f"{phase_no}."] + phase["title"].split(), 0)
        if heading is None:
            problems.append(f"phase heading missing: {phase_no}. {phase['title']}")
        elif phase["steps"]:
            first = page_of([f"{phase_no}.1"] + phase["steps"][0]["title"].split(), 8)
            if first is not None and first != heading:
                problems.append(f"phase heading '{phase_no}. {phase['title']}' is on page "
                                f"{heading + 1}, its first step on page {first + 1}")
    return problems, len(pages), sum(len(w) for w in pages)


def main():
    site, wd, waymark, out_dir, *links = sys.argv[1:]
    server, base = serve(site)
    sid = new_session(wd)
    failures = 0
    pdfs = 0
    try:
        for n, link in enumerate(links):
            plan = json.loads(subprocess.run([waymark, "plan", link, "--format", "json"],
                                             capture_output=True, text=True, check=True).stdout)
            url = f"{base}?{link}"
            call(wd, "POST", f"/session/{sid}/url", {"url": url})
            wait_for(wd, sid, "return !!document.querySelector('[data-testid=verdict]')",
                     f"the plan of link {n}")
            extra = os.environ.get("PRINT_EXTRA_CSS")
            if extra:  # for trying a print style without a rebuild
                run_js(wd, sid, "const s=document.createElement('style');s.media='print';"
                                "s.textContent=arguments[0];document.head.append(s)", extra)
            # Tick the first two steps a person can tick: ticked steps print ticked.
            run_js(wd, sid, """
                const boxes = [...document.querySelectorAll('input.step__check:not([disabled])')];
                boxes.slice(0, 2).forEach(b => b.click());""")
            time.sleep(0.3)
            ticked = run_js(wd, sid, "return document.querySelectorAll('input.step__check:checked').length")
            link_url = run_js(wd, sid,
                              "const e=document.querySelector('[data-testid=print-link]');"
                              "return e ? e.textContent : ''")
            if not link_url.endswith(plan["link"]):
                print(f"FAIL link {n}: the print link {link_url!r} does not reopen {plan['link']!r}")
                failures += 1
            call(wd, "POST", f"/session/{sid}/goog/cdp/execute",
                 {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})
            shown = run_js(wd, sid, """
                return [...document.querySelectorAll('button, input:not([type=checkbox]), select, textarea')]
                  .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80));""")
            call(wd, "POST", f"/session/{sid}/goog/cdp/execute",
                 {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}})
            if shown:
                print(f"FAIL link {n}: controls rendered in print media: {shown[:3]}")
                failures += 1
            for paper, (w, h) in PAPERS.items():
                data = call(wd, "POST", f"/session/{sid}/print",
                            {"page": {"width": w, "height": h}, "background": True})
                pdf = f"{out_dir}/print-{n}-{paper}.pdf"
                with open(pdf, "wb") as f:
                    f.write(base64.b64decode(data))
                pdfs += 1
                problems, pages, words = check_pdf(pdf, plan, link_url, ticked)
                status = "ok" if not problems else "FAIL"
                print(f"{status} link {n} {paper}: {pages} pages, {words} words ({plan['title']})")
                for p in problems[:12]:
                    print(f"    {p}")
                failures += bool(problems)
    finally:
        call(wd, "DELETE", f"/session/{sid}")
        server.kill()
    print(f"print_check: {pdfs} PDFs of {len(links)} links, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
