"""Benchmark the web application: time to interactive of its pages in Chromium (Playwright).

A real uvicorn server runs on 127.0.0.1 (random free port) over a SQLite store in a temporary
folder holding the bundled reference toiles and a synthetic toile of 5,000 actors and 7,500
flows (:func:`toiles.synthetic.synthetic_toile`, seeded). Debian's Chromium is driven by
Playwright; every request that would leave 127.0.0.1 is aborted and counted.

Time to interactive, per page, is the wall time from the navigation's start to the moment
the page can be used:

- home page: the ``load`` event (the cards and the search field are server-rendered);
- toile page: the interactive picture in its frame has drawn (vis-network's first
  ``afterDrawing``, exposed by :mod:`toiles.viz.html` as ``window.toiles.ready``). This
  includes the server drawing the picture for the visitor's role.

Each page is opened ``--runs`` times (default 4), each time in a fresh browser context
(no browser cache). The first opening is *cold*: the server draws the picture (layout
included); later ones are *warm*: the server keeps pictures by content and options
(:mod:`toiles.web.pictures`). Both are reported (``*_cold_s``, and the median of the warm
ones, ``*_tti_s``). Targets: under 1 s for the reference toiles, under 3 s at 5,000 actors.
The last line printed is a JSON object with every figure. Run with
``.venv/bin/python benchmarks/bench_web.py [--runs N] [--actors N --flows M]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests.web.conftest import start_server  # the tests' own server
from toiles.demo import load_reference_toiles
from toiles.graph_db.sqlite import SQLiteStore
from toiles.synthetic import synthetic_toile

CHROMIUM = "/usr/bin/chromium"
TARGET_REFERENCE_S = 1.0
TARGET_LARGE_S = 3.0
SEED = 20250131


def _time_page(browser: object, url: str, *, picture: bool, blocked: list[str]) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]

    def route(route: object) -> None:
        request_url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(request_url).hostname in {"127.0.0.1", None}:
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request_url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    start = time.perf_counter()
    if picture:
        page.goto(url, wait_until="commit")
        frame = page.wait_for_selector("#picture").content_frame()
        # Polled from outside: the picture's CSP forbids the eval wait_for_function uses.
        deadline = start + 60
        while not frame.evaluate("() => window.__toilesDrawnAt !== undefined"):
            if time.perf_counter() > deadline:
                msg = f"the picture of {url} was not drawn within 60 s"
                raise RuntimeError(msg)
            time.sleep(0.01)
    else:
        page.goto(url, wait_until="load")
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    """Measure, print one line per page, then the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--flows", type=int, default=7500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = Path(tmp) / "web.db"
        store = SQLiteStore(db)
        references = sorted({t.id for t in load_reference_toiles(store)})
        large = synthetic_toile(args.actors, args.flows, seed=SEED)
        large = large.model_copy(update={"id": "synthetique-5000", "name": "Synthétique"})
        store.save_toile(large)
        server, thread, base = start_server(store, db)
        figures: dict[str, object] = {"runs": args.runs, "actors_large": len(large.actors)}
        blocked: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                pages = [("home", "/", False)]
                pages += [(f"toile_{t}", f"/toiles/{t}", True) for t in references]
                pages += [("toile_5000", "/toiles/synthetique-5000", True)]
                _time_page(browser, base + "/", picture=False, blocked=blocked)  # warm-up
                for name, path, picture in pages:
                    times = [
                        _time_page(browser, base + path, picture=picture, blocked=blocked)
                        for _ in range(args.runs)
                    ]
                    figures[f"{name}_cold_s"] = round(times[0], 3)
                    figures[f"{name}_tti_s"] = round(statistics.median(times[1:] or times), 3)
                    print(f"{name}: {[round(t, 3) for t in times]}", flush=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()
    reference = [
        v for k, v in figures.items() if k.endswith("_tti_s") and k.startswith("toile_artois")
    ] + [figures["toile_kalundborg_tti_s"]]
    figures |= {
        "reference_max_tti_s": max(reference),  # type: ignore[type-var]
        "target_reference_s": TARGET_REFERENCE_S,
        "target_large_s": TARGET_LARGE_S,
        "reference_ok": max(reference) < TARGET_REFERENCE_S,  # type: ignore[type-var,operator]
        "large_ok": figures["toile_5000_tti_s"] < TARGET_LARGE_S,  # type: ignore[operator]
        "outgoing_requests": len(blocked),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
