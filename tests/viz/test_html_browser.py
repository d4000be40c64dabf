"""The pages in a real browser: Playwright drives Debian's Chromium, every request blocked.

pytest-playwright's ``page`` fixture opens Chromium (``tests/conftest.py`` points it at
``/usr/bin/chromium``; nothing is downloaded). Each page is opened from a ``file://`` URL
with every other request aborted and recorded, so a page that tried to reach the network
fails its test, as does any console error or uncaught exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import IMG_NAME, NOTES, SCRIPT_NAME, hostile_toile
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_dir
from toiles.synthetic import example_toile, synthetic_toile
from toiles.viz import render
from toiles.viz.html import page_records

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import ConsoleMessage, Page, Route

pytestmark = pytest.mark.browser


@dataclass
class Log:
    """What a page did besides drawing: console errors, exceptions, blocked requests."""

    own: str
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def assert_offline_and_clean(self) -> None:
        assert self.console_errors == []
        assert self.exceptions == []
        assert self.blocked == []


def open_page(page: Page, path: Path) -> Log:
    """Open a written page with the network cut off, and wait until it has drawn."""
    log = Log(path.resolve().as_uri())

    def route(r: Route) -> None:
        url = r.request.url
        if url == log.own or url.startswith("data:"):
            r.continue_()
        else:
            log.blocked.append(url)
            r.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda exc: log.exceptions.append(str(exc)))
    page.goto(log.own)
    if page.evaluate("typeof window.toiles") == "object":
        assert page.evaluate("window.toiles.ready") is True
    return log


def energy_path(tmp_path: Path, **options: object) -> Path:
    toile = load_toile(reference_dir("artois-energie-T0"))
    return render(toile, "html", tmp_path / "energie.html", **options)  # type: ignore[arg-type]


def test_reference_page_draws_every_actor_and_flow_offline(page: Page, tmp_path: Path):
    toile = load_toile(reference_dir("artois-energie-T0"))
    G = graph_from_toile(toile)
    log = open_page(page, render(toile, "html", tmp_path / "energie.html"))
    # Business parks without flows are drawn as the areas around their companies.
    parks = [a.id for a in toile.actors if a.kind == "zae" and G.degree(a.id) == 0]
    drawn = page.evaluate("window.toiles.drawn()")
    assert drawn == {"nodes": len(toile.actors) - len(parks), "edges": len(toile.flows)}
    kinds = page.evaluate(
        "JSON.parse(document.getElementById('toile-data').textContent)"
        ".regions.map(function (r) { return r.kind; })"
    )
    assert kinds.count("zae") == len(parks)
    assert {"band", "zae"} <= set(kinds)
    assert page.text_content("#title-block h1") == toile.name
    assert "illustratives" in (page.text_content("#mentions .illustrative") or "")
    headline = page.text_content("#headline") or ""
    assert f"{len(toile.actors)}acteurs" in headline.replace(" ", "")
    log.assert_offline_and_clean()


POSITIONS_JS = "window.toiles.positions()"


def moved(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> float:
    return max(
        max(abs(after[n]["x"] - p["x"]), abs(after[n]["y"] - p["y"])) for n, p in before.items()
    )


def test_page_opens_still_and_rearranges_only_on_request(page: Page, tmp_path: Path):
    log = open_page(page, energy_path(tmp_path))
    before = page.evaluate(POSITIONS_JS)
    page.wait_for_timeout(2000)
    # still: no actor moves by more than a pixel over two seconds after opening
    assert moved(before, page.evaluate(POSITIONS_JS)) <= 1.0
    assert page.evaluate("window.toiles.network.physics.options.enabled") is False
    # « Réorganiser » lets physics run, then stops it by itself
    page.click("#rearrange")
    assert page.evaluate("window.toiles.isMoving()") is True
    for _ in range(60):  # the page's CSP forbids eval: poll instead of wait_for_function
        if not page.evaluate("window.toiles.isMoving()"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.toiles.isMoving()") is False
    assert page.evaluate("window.toiles.network.physics.options.enabled") is False
    settled = page.evaluate(POSITIONS_JS)
    page.wait_for_timeout(1000)
    assert moved(settled, page.evaluate(POSITIONS_JS)) <= 1.0
    log.assert_offline_and_clean()


def test_geographic_page_is_still_too(page: Page, tmp_path: Path):
    log = open_page(page, energy_path(tmp_path, layout="geo"))
    before = page.evaluate(POSITIONS_JS)
    page.wait_for_timeout(2000)
    assert moved(before, page.evaluate(POSITIONS_JS)) <= 1.0
    log.assert_offline_and_clean()


def test_actor_details_list_its_flows_and_a_flow_opens(page: Page, tmp_path: Path):
    toile = small_toile()
    log = open_page(page, render(toile, "html", tmp_path / "small.html"))
    assert page.evaluate("window.toiles.selectActor('usine', false)") is True
    details = page.evaluate("window.toiles.lastDetails")
    assert "10.81Z — Fabrication de sucre" in details
    outgoing = [f for f in toile.flows if f.source == "usine"]
    incoming = [f for f in toile.flows if f.target == "usine"]
    assert f"Flux sortants ({len(outgoing)})" in details
    assert f"Flux entrants ({len(incoming)})" in details
    buttons = page.locator("#details .flows-list button")
    assert buttons.count() == len(outgoing) + len(incoming)
    first = buttons.first
    flow_id = first.get_attribute("data-flow")
    first.click()
    details = page.evaluate("window.toiles.lastDetails")
    flow = next(f for f in toile.flows if f.id == flow_id)
    assert "Quantité" in details
    assert "Statut" in details
    assert flow_id in details
    assert page.evaluate("window.toiles.network.getSelectedEdges()") == [flow.id]
    log.assert_offline_and_clean()


def test_loops_have_their_colours_and_each_can_be_isolated(page: Page, tmp_path: Path):
    log = open_page(page, energy_path(tmp_path, highlight="loops"))
    data = page.evaluate("JSON.parse(document.getElementById('toile-data').textContent)")
    layers = data["highlight"]["layers"]
    assert len(layers) >= 2
    assert len({layer["color"] for layer in layers[:10]}) == min(len(layers), 10)
    page.click("#hl-list button[data-layer='1']")
    drawn = page.evaluate("window.toiles.drawn()")
    assert drawn == {"nodes": len(layers[1]["nodes"]), "edges": len(layers[1]["edges"])}
    # the isolated loop's flows are drawn in the loop's colour
    colour = page.evaluate(
        "window.toiles.edges.get(%r).color.color" % layers[1]["edges"][0]  # noqa: UP031
    )
    assert colour.lower() == layers[1]["color"].lower()
    page.evaluate("window.toiles.showAll()")
    assert page.evaluate("window.toiles.drawn()")["edges"] == data["meta"]["n_flows"]
    log.assert_offline_and_clean()


def test_embed_mode_at_800_by_500(page: Page, tmp_path: Path):
    page.set_viewport_size({"width": 800, "height": 500})
    log = open_page(page, energy_path(tmp_path, embed=True, public=True))
    # the side panel is closed: the toile takes the whole width
    assert page.locator("#side").is_hidden()
    width = page.evaluate("document.getElementById('network').getBoundingClientRect().width")
    assert width >= 780
    # the public mention and a compact legend are visible, inside the frame
    mention = page.locator("#mentions .public")
    assert mention.is_visible()
    assert "Version publique" in (mention.text_content() or "")
    box = mention.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 800
    assert box["y"] + box["height"] <= 500
    assert page.locator("#mini-legend").is_visible()
    assert page.locator("#mini-legend .item").count() >= 3
    assert page.locator("#headline").is_visible()
    # the side panel opens on demand
    page.click("#toggle")
    assert page.locator("#side").is_visible()
    log.assert_offline_and_clean()


def test_hostile_names_are_shown_as_text_and_run_nothing(page: Page, tmp_path: Path):
    log = open_page(page, render(hostile_toile(), "html", tmp_path / "hostile.html"))
    assert (page.text_content("#title-block h1") or "").endswith(SCRIPT_NAME)
    found = page.evaluate("window.toiles.search('pwned')")
    assert sorted(found) == ["reseau", "usine"]
    results = page.text_content("#results") or ""
    assert SCRIPT_NAME in results
    assert IMG_NAME in results
    assert page.evaluate("window.toiles.selectActor('usine', true)") is True
    details = page.evaluate("window.toiles.lastDetails")
    assert SCRIPT_NAME in details
    # fields formatted the French way: 250 employees, the commune named, the SIRET as is
    for text in ("Effectif250", "CommuneBéthune (62119)", "SIRET73282932000074", "EPCICABBALR"):
        assert text in details
    assert IMG_NAME in page.evaluate("window.toiles.showTip('reseau')")
    assert page.evaluate("window.toiles.showFlow('f1')") is True
    details = page.evaluate("window.toiles.lastDetails")
    assert "Quantité1,235 GWh" in details
    assert "StatutExistant" in details
    assert NOTES.replace("\u2028", "") in details.replace("\u2028", "")
    assert IMG_NAME in (page.text_content(".sources") or "")
    assert (
        page.evaluate("document.querySelectorAll('img, svg[onload], script:not([type])').length")
        == 3
    )
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    log.assert_offline_and_clean()


def test_filters_and_focus(page: Page, tmp_path: Path):
    log = open_page(page, render(small_toile(), "html", tmp_path / "small.html"))
    page.evaluate("window.toiles.setFilter('status', 'potentiel', false)")
    assert page.evaluate("window.toiles.drawn()") == {"nodes": 5, "edges": 5}
    page.evaluate("window.toiles.setFilter('status', 'potentiel', true)")
    page.evaluate("window.toiles.setFilter('kind', 'chaleur_fatale', false)")
    assert page.evaluate("window.toiles.drawn()")["edges"] == 4
    page.evaluate("window.toiles.setFilter('kind', 'chaleur_fatale', true)")
    # One step around the incinerator: itself and the heat network; two steps: the
    # sugar factory too (reseau -> usine).
    assert page.evaluate("window.toiles.focusOn('incinerateur', 1)") == 2
    assert page.evaluate("window.toiles.drawn()") == {"nodes": 2, "edges": 1}
    assert page.evaluate("window.toiles.focusOn('incinerateur', 2)") == 3
    page.evaluate("window.toiles.showAll()")
    assert page.evaluate("window.toiles.drawn()") == {"nodes": 5, "edges": 6}
    log.assert_offline_and_clean()


CLICK_JS = """
(function (id) {
  var net = window.toiles.network;
  net.fit({ animation: false });
  var p = net.canvasToDOM(net.getPosition(id));
  var r = document.getElementById('network').getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
})
"""


def test_click_on_an_actor_shows_its_details(page: Page, tmp_path: Path):
    log = open_page(page, render(small_toile(), "html", tmp_path / "click.html"))
    point = page.evaluate(CLICK_JS, "usine")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(300)
    assert page.evaluate("window.toiles.lastClick && window.toiles.lastClick.nodes") == ["usine"]
    assert "Sucrerie des Deux Villes" in page.evaluate("window.toiles.lastDetails")
    log.assert_offline_and_clean()


def test_big_toile_opens_aggregated_still_and_opens_a_group_on_click(page: Page, tmp_path: Path):
    toile = synthetic_toile(600, 900, seed=4)
    log = open_page(page, render(toile, "html", tmp_path / "large.html"))
    data = page.evaluate("JSON.parse(document.getElementById('toile-data').textContent)")
    data["actors"] = page_records(data["actors"])  # columns in the page, records here
    assert data["meta"]["aggregated"] is True
    assert page.evaluate("window.toiles.network.physics.options.enabled") is False
    hubs = [a["id"] for a in data["actors"] if a.get("hub")]
    drawn = page.evaluate("window.toiles.drawn()")
    # one node per group of the layout, plus the hubs drawn on their own
    assert drawn["nodes"] == len(data["regions"]) + len(hubs)
    assert drawn["nodes"] < 100
    before = page.evaluate(POSITIONS_JS)
    page.wait_for_timeout(1000)
    assert moved(before, page.evaluate(POSITIONS_JS)) <= 1.0
    # a click on a group opens it: its actors appear, the group's box goes
    biggest = max(range(len(data["regions"])), key=lambda i: data["regions"][i]["n"])
    point = page.evaluate(CLICK_JS, f"group:{biggest}")
    page.mouse.click(point["x"], point["y"])
    members = [a for a in data["actors"] if a.get("g") == biggest and not a.get("hub")]
    after = page.evaluate("window.toiles.drawn()")
    assert after["nodes"] == drawn["nodes"] - 1 + len(members)
    assert str(data["regions"][biggest]["n"]) in page.evaluate("window.toiles.lastDetails")
    # searching an actor of a closed group opens its group too
    other = next(
        a for a in data["actors"] if a.get("g") not in (None, biggest) and not a.get("hub")
    )
    assert page.evaluate("window.toiles.selectActor(%r, true)" % other["id"]) is True  # noqa: UP031
    assert other["id"] in page.evaluate("window.toiles.nodeView.getIds()")
    log.assert_offline_and_clean()


def test_highlight_overlay_and_candidate_links(page: Page, tmp_path: Path):
    path = render(example_toile(), "html", tmp_path / "candidates.html", highlight="candidates")
    log = open_page(page, path)
    # 14 flows and one proposal (glassworks -> greenhouses), labelled with its quantity.
    assert page.evaluate("window.toiles.drawn()")["edges"] == 15
    label = page.evaluate("window.toiles.edges.get('hl-link:0').label")
    assert label.replace("\u202f", " ") == "1 500 MWh"
    page.evaluate("window.toiles.applyHighlight(false)")
    assert page.evaluate("window.toiles.drawn()")["edges"] == 14
    assert "Synergies candidates" in (page.text_content("#hl-title") or "")
    log.assert_offline_and_clean()


def test_sankey_page_is_offline_and_escaped(page: Page, tmp_path: Path):
    log = open_page(page, render(hostile_toile(), "sankey", tmp_path / "sankey.html"))
    assert page.evaluate("window.toilesSankey.panels") == 1
    assert page.evaluate("window.toilesSankey.bands") > 0
    assert SCRIPT_NAME in (page.text_content("body") or "")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    log.assert_offline_and_clean()


LABELS_JS = """
(function () {
  var net = window.toiles.network, scale = net.getScale(), boxes = [], smallest = Infinity;
  window.toiles.nodeView.getIds().forEach(function (id) {
    var n = net.body.nodes[id];
    if (!n || n.options.hidden || !n.options.label) { return; }
    var s = n.labelModule.size;
    boxes.push([s.left, s.top, s.left + s.width, s.top + s.height]);
    smallest = Math.min(smallest, n.options.font.size * scale);
  });
  var touching = 0;
  for (var i = 0; i < boxes.length; i++) {
    for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) { touching += 1; }
    }
  }
  return { px: net.nodesHandler.options.font.size * scale, smallest: smallest,
    touching: touching, labels: boxes.length };
})()
"""


def test_names_read_without_zoom_on_a_laptop_screen(page: Page, tmp_path: Path):
    page.set_viewport_size({"width": 1366, "height": 768})
    log = open_page(page, energy_path(tmp_path))
    # the toile takes the whole width: the side panel waits behind ☰, the title and the
    # legend stay on screen
    assert page.locator("#side").is_hidden()
    assert "Énergie de l'Artois" in (page.text_content("#headline .title") or "")
    assert page.locator("#mini-legend").is_visible()
    labels = page.evaluate(LABELS_JS)
    assert labels["labels"] >= 60
    assert labels["px"] >= 11.0  # the names read at the opening zoom
    assert labels["smallest"] >= 9.0  # a long word's label is written a little smaller
    assert labels["touching"] == 0
    # the whole drawing is in view
    inside = page.evaluate(
        "(function () { var n = window.toiles.network, c = document.getElementById('network');"
        " return window.toiles.nodeView.getIds().every(function (id) {"
        " var p = n.canvasToDOM(n.getPosition(id));"
        " return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }); })()"
    )
    assert inside is True
    # a click on an actor opens its details over the toile
    assert page.evaluate("window.toiles.selectActor('enedis', false)") is True
    assert page.locator("#side").is_visible()
    assert "Flux sortants" in page.evaluate("window.toiles.lastDetails")
    page.click("#toggle")
    assert page.locator("#side").is_hidden()
    log.assert_offline_and_clean()


def test_wide_screen_keeps_the_side_panel_open(page: Page, tmp_path: Path):
    page.set_viewport_size({"width": 1920, "height": 1080})
    log = open_page(page, energy_path(tmp_path))
    assert page.locator("#side").is_visible()
    assert page.locator("#headline .title").count() == 0  # the title is in the panel
    labels = page.evaluate(LABELS_JS)
    assert labels["px"] >= 11.0
    assert labels["touching"] == 0
    log.assert_offline_and_clean()


def test_opening_view_leaves_the_legend_and_buttons_free(page: Page, tmp_path: Path):
    # The web application frames the picture at about 977 x 520: at that size the lowest
    # band (« Acteurs publics ») used to open under the mini legend and « Réorganiser »,
    # because the view was fitted before the legend was filled (the app frames the
    # compact « embed » page).
    page.set_viewport_size({"width": 977, "height": 520})
    log = open_page(page, energy_path(tmp_path, embed=True))
    lowest = page.evaluate(
        "(function () { var n = window.toiles.network;"
        " var c = document.getElementById('network').getBoundingClientRect();"
        " return Math.max.apply(null, window.toiles.nodeView.getIds().map(function (id) {"
        " return c.top + n.canvasToDOM(n.getPosition(id)).y; })); })()"
    )
    for overlay in ("#mini-legend", "#rearrange"):
        box = page.locator(overlay).bounding_box()
        assert box is not None
        assert lowest + 20 < box["y"], overlay  # a name is written under its node
    log.assert_offline_and_clean()
