"""The grouped page in Chromium: groups counted as groups, named, with their flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.viz.test_html_browser import open_page
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_root
from toiles.viz import render
from toiles.viz.aggregate import aggregate_graph

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_grouped_page_counts_names_and_quantifies_groups(page: Page, tmp_path: Path):
    toile = load_toile(reference_root() / "artois-energie-T1")
    H = aggregate_graph(graph_from_toile(toile), by="zae")
    log = open_page(page, render(toile, "html", tmp_path / "zae.html", group_by="zae"))
    n = H.number_of_nodes()
    assert page.evaluate("window.toiles.drawn()") == {"nodes": n, "edges": H.number_of_edges()}
    assert f"{n} groupes" in (page.text_content("#title-block") or "")
    assert (page.text_content("#counts") or "").startswith(f"{n} groupes")
    assert "Vue agrégée par : zone d'activités" in (page.text_content("#title-block") or "")
    labels = [
        label.replace("\n", " ")
        for label in page.evaluate(
            "window.toiles.network.body.data.nodes.get().map(function (n) { return n.label; })"
        )
    ]
    assert any(label.startswith("Zone de l'Alouette") for label in labels)
    assert not any(label.startswith("zae-") for label in labels)
    assert any("flux internes" in label for label in labels)
    labelled = page.evaluate(
        "window.toiles.network.body.data.edges.get()"
        ".filter(function (e) { return e.label; })"
        ".map(function (e) { return [e.label, [e.from, e.to].sort().join(' ')]; })"
    )
    quantities = [q for q, _ in labelled]
    assert 0 < len(quantities) <= 12
    assert len({pair for _, pair in labelled}) == len(labelled)  # one figure per pair
    assert all(q.endswith((" MWh", " t", " u")) for q in quantities)
    log.assert_offline_and_clean()
