"""Toiles in notebooks: inline display (``_repr_html_``, ``show``) and ``to_pyvis``."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import IMG_NAME, QUOTE_NAME, SCRIPT_NAME, hostile_toile
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_root
from toiles.viz import ToileView, show, to_pyvis
from toiles.viz._assets import vis_network_js
from toiles.viz.style import actor_color, actor_shape, flow_color

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page, Route


def _srcdoc(view: ToileView) -> str:
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" .*></iframe>', view._repr_html_(), re.DOTALL)
    assert match is not None
    return html.unescape(match.group(1))


def test_show_is_the_self_contained_page_in_a_sandboxed_frame():
    view = show(small_toile())
    page = view.page
    # vis-network is inlined like the page's (no <script src>, no address to fetch).
    assert vis_network_js()[:2000] in page
    assert "<script src" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "Content-Security-Policy" in page
    frame = view._repr_html_()
    assert 'sandbox="allow-scripts"' in frame
    assert "allow-same-origin" not in frame
    assert _srcdoc(view) == page


def test_show_escapes_the_data_twice_over():
    view = show(hostile_toile())
    frame = view._repr_html_()
    # Inside the attribute, nothing can close it or open a tag of the notebook's page.
    srcdoc = frame.split('srcdoc="', 1)[1].split('" title=', 1)[0]
    assert "<" not in srcdoc
    assert '"' not in srcdoc
    # And the page in the frame escapes the names as the written page does.
    page = _srcdoc(view)
    assert SCRIPT_NAME not in page
    assert IMG_NAME not in page
    title = frame.split('title="', 1)[1].split('"', 1)[0]
    assert "<" not in title


def test_toile_displays_itself_inline():
    toile = small_toile()
    shown = toile._repr_html_()
    assert shown.startswith("<iframe srcdoc=")
    assert html.escape(toile.name, quote=True) in shown


def test_show_takes_a_graph_and_the_render_options():
    G = graph_from_toile(small_toile())
    view = show(G, group_by="epci", public=True, lang="en", height=400)
    assert "height: 400px" in view._repr_html_()
    assert "Groups" in view.page
    # public: the partners-only incinerator is not in the page
    assert "Unité de valorisation énergétique" not in view.page


def test_show_needs_no_ipython():
    code = (
        "import sys\n"
        "sys.modules['IPython'] = None  # any import of IPython now fails\n"
        "import toiles\n"
        "from toiles.synthetic import example_toile\n"
        "print(toiles.viz.show(example_toile())._repr_html_()[:7])\n"
    )
    done = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "<iframe"


def test_to_pyvis_styles_nodes_and_edges_like_the_page():
    toile = small_toile()
    net = to_pyvis(toile)
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == {a.id for a in toile.actors}
    for actor in toile.actors:
        node = nodes[actor.id]
        assert node["color"] == actor_color(actor.kind)
        assert node["shape"] == actor_shape(actor.kind).vis
        assert node["physics"] is False
        assert {"x", "y"} <= set(node)
    # the network operator (every flow of the small toile passes through it) is the largest
    assert max(nodes.values(), key=lambda n: n["size"])["id"] == "reseau"
    assert len(net.edges) == len(toile.flows)
    by_ends = {(e["from"], e["to"], e["color"]): e for e in net.edges}
    f1 = by_ends["usine", "reseau", flow_color("chaleur_fatale")]
    assert f1["title"] == "Chaleur fatale\n1,234 GWh"  # 1.2345 GWh, 4 significant digits
    assert f1["dashes"] is False
    potential = [e for e in net.edges if e["dashes"]]
    assert potential  # f3, steam, is potential
    assert net.directed
    assert net.options.physics.enabled is False


def test_to_pyvis_escapes_titles_and_the_html_it_writes():
    net = to_pyvis(hostile_toile())
    titles = [n["title"] for n in net.nodes] + [e["title"] for e in net.edges]
    assert all("<" not in t and ">" not in t for t in titles)
    assert html.escape(SCRIPT_NAME, quote=False) in {n["title"] for n in net.nodes}
    # IMG_NAME contains "href"-free markup; QUOTE_NAME's quotes and apostrophes stay readable.
    assert QUOTE_NAME.replace("&", "&amp;") in {n["title"] for n in net.nodes}
    # pyvis writes the data as JSON with <, > and & escaped: no tag can open from a name.
    written = net.generate_html()
    data = written.split("nodes = new vis.DataSet(", 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    assert SCRIPT_NAME not in written
    assert IMG_NAME not in written


@pytest.mark.browser
def test_notebook_frame_draws_offline_in_chromium(page: Page, tmp_path: Path):
    # A notebook's output cell, as Jupyter writes it: the view's HTML in a page of its own.
    toile = small_toile()
    cell = tmp_path / "cellule.html"
    cell.write_text(f"<!DOCTYPE html><html><body>{toile._repr_html_()}</body></html>", "utf-8")
    own = cell.resolve().as_uri()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url == own or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(own)
    frame = page.frame_locator("iframe")
    frame.locator("#network canvas").wait_for()
    inner = page.frames[1]
    for _ in range(50):  # the page's CSP forbids eval: poll instead of wait_for_function
        if inner.evaluate("typeof window.toiles === 'object' && window.toiles.ready === true"):
            break
        page.wait_for_timeout(100)
    drawn = inner.evaluate("window.toiles.drawn()")
    assert drawn == {"nodes": len(toile.actors), "edges": len(toile.flows)}
    assert blocked == []
    assert errors == []


def test_to_pyvis_titles_stay_text_when_pyvis_writes_them_as_html():
    toile = small_toile()
    link = '<a href="javascript:window.__pwned=1">Usine</a>'
    actors = tuple(
        a.model_copy(update={"name": link}) if a.id == "usine" else a for a in toile.actors
    )
    net = to_pyvis(toile.model_copy(update={"actors": actors}))
    # A title mentioning "href" makes pyvis write every tooltip with innerHTML...
    assert "popup.innerHTML" in net.generate_html()
    # ...where the escaped name is text, not a link.
    title = next(n["title"] for n in net.nodes if n["id"] == "usine")
    assert title == '&lt;a href="javascript:window.__pwned=1"&gt;Usine&lt;/a&gt;'


def test_to_pyvis_keeps_every_actor_and_flow_of_the_energy_toile():
    toile = load_toile(reference_root() / "artois-energie-T1")
    net = to_pyvis(toile)
    assert {n["id"] for n in net.nodes} == {a.id for a in toile.actors}
    assert len(net.edges) == len(toile.flows)
