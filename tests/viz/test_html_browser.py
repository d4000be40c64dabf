"""The pages in a real browser: headless Chromium, network blocked, driven over DevTools.

Chromium is Debian's package (``deploy/browser/install.sh``). Locally these tests skip
when it is missing; in CI (``CI=true``) or with ``TOILES_REQUIRE_BROWSER=1`` they fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import IMG_NAME, NOTES, SCRIPT_NAME, hostile_toile
from toiles.loaders import load_toile
from toiles.reference import reference_dir
from toiles.synthetic import example_toile, synthetic_toile
from toiles.viz import render
from toiles.viz._chromium import Chromium, Page, find_chromium

pytestmark = pytest.mark.browser


def browser_required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("TOILES_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    if find_chromium() is None:
        message = "Chromium absent : installer avec `bash deploy/browser/install.sh`"
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)
    with Chromium() as browser:
        yield browser


def open_page(chromium: Chromium, path: Path) -> Page:
    page = chromium.new_page()
    page.goto(path.resolve().as_uri())
    return page


def assert_offline_and_clean(page: Page, path: Path) -> None:
    log = page.log()
    own = path.resolve().as_uri()
    assert log.console_errors == []
    assert log.exceptions == []
    assert log.outgoing(lambda url: url == own or url.startswith("data:")) == []


def test_reference_page_draws_every_actor_and_flow_offline(chromium: Chromium, tmp_path: Path):
    toile = load_toile(reference_dir("artois-energie-T0"))
    path = render(toile, "html", tmp_path / "energie.html")
    page = open_page(chromium, path)
    assert page.evaluate("window.toiles.ready") is True
    drawn = page.evaluate("window.toiles.drawn()")
    assert drawn == {"nodes": len(toile.actors), "edges": len(toile.flows)}
    title = page.evaluate("document.querySelector('#title-block h1').textContent")
    assert title == toile.name
    assert "illustratives" in page.evaluate("document.querySelector('.illustrative').textContent")
    assert_offline_and_clean(page, path)


def test_hostile_names_are_shown_as_text_and_run_nothing(chromium: Chromium, tmp_path: Path):
    path = render(hostile_toile(), "html", tmp_path / "hostile.html")
    page = open_page(chromium, path)
    page.evaluate("window.toiles.ready")
    assert page.evaluate("document.querySelector('#title-block h1').textContent").endswith(
        SCRIPT_NAME
    )
    found = page.evaluate("window.toiles.search('pwned')")
    assert sorted(found) == ["reseau", "usine"]
    results = page.evaluate("document.getElementById('results').textContent")
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
    sources = page.evaluate("document.querySelector('.sources').textContent")
    assert IMG_NAME in sources
    assert (
        page.evaluate("document.querySelectorAll('img, svg[onload], script:not([type])').length")
        == 3
    )
    chromium.pump(0.5)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert_offline_and_clean(page, path)


def test_filters_and_focus(chromium: Chromium, tmp_path: Path):
    toile = small_toile()
    path = render(toile, "html", tmp_path / "small.html")
    page = open_page(chromium, path)
    page.evaluate("window.toiles.ready")
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
    assert_offline_and_clean(page, path)


CLICK_JS = """
(function (id) {
  var net = window.toiles.network;
  net.fit({ animation: false });
  var p = net.canvasToDOM(net.getPosition(id));
  var r = document.getElementById('network').getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
})(%s)
"""


def test_click_on_an_actor_shows_its_details(chromium: Chromium, tmp_path: Path):
    path = render(small_toile(), "html", tmp_path / "click.html")
    page = open_page(chromium, path)
    page.evaluate("window.toiles.ready")
    page.evaluate("window.toiles.network.setOptions({ physics: false })")
    point = page.evaluate(CLICK_JS % json.dumps("usine"))
    page.click(point["x"], point["y"])
    chromium.pump(0.3)
    assert page.evaluate("window.toiles.lastClick && window.toiles.lastClick.nodes") == ["usine"]
    assert "Sucrerie des Deux Villes" in page.evaluate("window.toiles.lastDetails")
    assert_offline_and_clean(page, path)


def test_large_toile_is_drawn_with_physics_off(chromium: Chromium, tmp_path: Path):
    toile = synthetic_toile(600, 900, seed=4)
    path = render(toile, "html", tmp_path / "large.html")
    page = open_page(chromium, path)
    page.evaluate("window.toiles.ready")
    assert page.evaluate("window.toiles.network.physics.options.enabled") is False
    assert page.evaluate("window.toiles.drawn()") == {"nodes": 600, "edges": 900}
    assert_offline_and_clean(page, path)


def test_highlight_overlay_and_candidate_links(chromium: Chromium, tmp_path: Path):
    path = render(example_toile(), "html", tmp_path / "candidates.html", highlight="candidates")
    page = open_page(chromium, path)
    page.evaluate("window.toiles.ready")
    # 14 flows and one suggested link (glassworks -> greenhouses).
    assert page.evaluate("window.toiles.drawn()")["edges"] == 15
    page.evaluate("window.toiles.applyHighlight(false)")
    assert page.evaluate("window.toiles.drawn()")["edges"] == 14
    assert "Synergies candidates" in page.evaluate(
        "document.getElementById('hl-title').textContent"
    )
    assert_offline_and_clean(page, path)


def test_sankey_page_is_offline_and_escaped(chromium: Chromium, tmp_path: Path):
    path = render(hostile_toile(), "sankey", tmp_path / "sankey.html")
    page = open_page(chromium, path)
    assert page.evaluate("window.toilesSankey.panels") == 1
    assert page.evaluate("window.toilesSankey.bands") > 0
    assert SCRIPT_NAME in page.evaluate("document.body.textContent")
    chromium.pump(0.3)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert_offline_and_clean(page, path)
