# ruff: noqa: PLC0415  # imports inside the measures: each one is timed or optional
"""Benchmark how readable the pictures are: labels on posters and pages, stillness, layout time.

For each reference toile (``toiles/data/reference``):

1. ``layout_s``: the structured layout (:func:`toiles.viz.layout.structured_layout`), best of 3.
2. Posters A3 and A0 (:func:`toiles.viz.static.poster_figure`): ``named_share`` (actors
   named / actors drawn), ``label_label`` and ``label_node`` overlaps counted on the
   renderer's own boxes (``Text.get_window_extent``), the label size in points.
3. The page in Chromium (Playwright driving Debian's ``/usr/bin/chromium``, every request
   blocked): ``still_s``, the time from navigation until no actor moves by more than 1 px
   over the next 2 s (positions sampled every 100 ms from vis-network); ``labels_shown``,
   the share of actors whose label vis-network draws at the opening zoom (font size times
   scale at least its 5 px threshold); ``label_label`` and ``label_node`` overlaps of the
   drawn labels, from vis-network's own label boxes; ``font_px_at_opening``, the page's
   label size times the opening zoom, and ``min_label_px``, the smallest label drawn. The
   window is 1366 x 768 (:data:`VIEWPORT`).

Then a synthetic toile of 5,000 actors and 7,500 flows: layout time, page time to stillness.
Targets: 0 overlaps on posters, 100 % named on A3 for the reference toiles, page labels
at least 11 px at the opening zoom with no overlap, still within 3 s at 5,000 actors,
layout of 5,000 actors under 5 s.

The last line printed is one JSON object. Run with
``.venv/bin/python benchmarks/bench_views.py [--skip-browser] [--big N]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"  # Debian's package (deploy/browser/install.sh)
#: The page is measured on the commonest laptop screen.
VIEWPORT = {"width": 1366, "height": 768}
#: Label height at the opening zoom that reads without zooming (reference toiles).
TARGET_LABEL_PX = 11.0

PAGE_LABELS_JS = """
(function () {
  var net = window.toiles.network, body = net.body, scale = net.getScale();
  var ids = window.toiles.nodeView.getIds();
  var labels = [], nodes = [], shown = 0, actors = 0, smallest = Infinity;
  ids.forEach(function (id) {
    var n = body.nodes[id];
    if (!n || n.options.hidden || String(id).indexOf("group:") === 0) { return; }
    actors += 1;
    var r = n.shape.radius || n.options.size || 10;
    nodes.push([n.x - r, n.y - r, n.x + r, n.y + r]);
    var size = n.labelModule.size, font = n.options.font.size;
    if (n.options.label && font * scale >= 5 && size.width > 0) {
      shown += 1;
      smallest = Math.min(smallest, font * scale);
      labels.push([size.left, size.top, size.left + size.width, size.top + size.height]);
    } else { labels.push(null); }
  });
  function touch(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
  var ll = 0, ln = 0;
  for (var i = 0; i < labels.length; i++) {
    if (!labels[i]) { continue; }
    for (var j = i + 1; j < labels.length; j++) {
      if (labels[j] && touch(labels[i], labels[j])) { ll += 1; }
    }
    for (var k = 0; k < nodes.length; k++) {
      if (k !== i && touch(labels[i], nodes[k])) { ln += 1; break; }
    }
  }
  // the page's label size at the opening zoom, and the smallest label drawn (a label that
  // would touch its neighbour is written smaller)
  return { actors: actors, shown: shown, label_label: ll, label_node: ln,
    font_px: Math.round(net.nodesHandler.options.font.size * scale * 10) / 10,
    min_px: shown ? Math.round(smallest * 10) / 10 : null,
    shrunk: window.toiles.labelsShrunk || 0,
    side_open: !document.getElementById("side").classList.contains("closed") };
})()
"""


def best_of(runs: int, func: Any) -> float:  # noqa: ANN401  # any callable
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return round(min(times), 4)


def poster_figures(G: Any, paper: str) -> dict[str, Any]:  # noqa: ANN401  # a graph
    from toiles.viz.static import poster_figure

    start = time.perf_counter()
    report = poster_figure(G, paper=paper).toiles_labels
    label_label, label_node = report.overlaps()
    drawn = report.named + report.unnamed
    return {
        "named_share": round(report.named / drawn, 4) if drawn else 1.0,
        "unnamed": report.unnamed,
        "label_label": label_label,
        "label_node": label_node,
        "displaced": report.displaced,
        "label_pt": report.fontsize,
        "seconds": round(time.perf_counter() - start, 2),
    }


def page_figures(browser: Any, path: Path) -> dict[str, Any]:  # noqa: ANN401  # Playwright
    page = browser.new_page(viewport=VIEWPORT)
    own = path.resolve().as_uri()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:  # noqa: ANN401
        if r.request.url == own or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.perf_counter()
    page.goto(own)
    page.evaluate("window.toiles.ready")
    samples: list[tuple[float, dict[str, Any]]] = []
    still_s = None
    while time.perf_counter() - start < 30:
        samples.append((time.perf_counter() - start, page.evaluate("window.toiles.positions()")))
        # the first sample from which nothing moves by more than 1 px for 2 s
        for i, (t, pos) in enumerate(samples):
            if samples[-1][0] - t < 2.0:
                break
            if all(_moved(pos, later) <= 1.0 for _, later in samples[i + 1 :]):
                still_s = round(t, 2)
                break
        if still_s is not None:
            break
        page.wait_for_timeout(100)
    labels = page.evaluate(PAGE_LABELS_JS)
    page.close()
    return {
        "still_s": still_s,
        "labels_shown": round(labels["shown"] / max(labels["actors"], 1), 4),
        "label_label": labels["label_label"],
        "label_node": labels["label_node"],
        "font_px_at_opening": labels["font_px"],
        "min_label_px": labels["min_px"],
        "labels_shrunk": labels["shrunk"],
        "side_panel_open": labels["side_open"],
        "errors": len(errors),
        "blocked_requests": len(blocked),
    }


def _moved(a: dict[str, Any], b: dict[str, Any]) -> float:
    return max(
        (max(abs(a[k]["x"] - b[k]["x"]), abs(a[k]["y"] - b[k]["y"])) for k in a if k in b),
        default=0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--big", type=int, default=5000, help="actors of the big toile")
    args = parser.parse_args()

    from toiles.graph import graph_from_toile
    from toiles.loaders import load_toile
    from toiles.reference import reference_dirs
    from toiles.synthetic import synthetic_graph, synthetic_toile
    from toiles.viz import render
    from toiles.viz.layout import structured_layout

    figures: dict[str, Any] = {"toiles": {}}
    playwright = browser = None
    if not args.skip_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-views-") as tmp:
            folder = Path(tmp)
            for directory in reference_dirs():
                toile = load_toile(directory)
                G = graph_from_toile(toile)
                entry: dict[str, Any] = {
                    "actors": G.number_of_nodes(),
                    "flows": G.number_of_edges(),
                    "layout_s": best_of(3, lambda G=G: structured_layout(G)),
                    "A3": poster_figures(G, "A3"),
                    "A0": poster_figures(G, "A0"),
                }
                if browser is not None:
                    page = render(toile, "html", folder / f"{directory.name}.html")
                    entry["page"] = page_figures(browser, page)
                figures["toiles"][directory.name] = entry
                print(directory.name, json.dumps(entry, ensure_ascii=False), flush=True)
            n = args.big
            big_graph = synthetic_graph(n, n * 3 // 2, seed=20250131)
            big: dict[str, Any] = {
                "actors": n,
                "flows": n * 3 // 2,
                "layout_s": best_of(3, lambda: structured_layout(big_graph)),
            }
            if browser is not None:
                path = render(
                    synthetic_toile(n, n * 3 // 2, seed=20250131), "html", folder / "big.html"
                )
                big["page"] = page_figures(browser, path)
            figures["big"] = big
            print("big", json.dumps(big), flush=True)
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    posters = [e[p] for e in figures["toiles"].values() for p in ("A3", "A0")]
    pages = [e["page"] for e in figures["toiles"].values() if "page" in e]
    figures["summary"] = {
        "poster_overlaps": sum(p["label_label"] + p["label_node"] for p in posters),
        "page_label_px_min": min((p["font_px_at_opening"] for p in pages), default=None),
        "page_label_overlaps": sum(p["label_label"] + p["label_node"] for p in pages),
        "a3_named_min": min(e["A3"]["named_share"] for e in figures["toiles"].values()),
        "layout_big_s": figures["big"]["layout_s"],
        "still_big_s": figures["big"].get("page", {}).get("still_s"),
        "targets": {
            "poster_overlaps": 0,
            "page_label_px_min": TARGET_LABEL_PX,
            "page_label_overlaps": 0,
            "a3_named_min": 1.0,
            "layout_big_s": 5.0,
            "still_big_s": 3.0,
        },
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
