from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.viz import render
from toiles.viz.sankey import sankey_page, sankey_panels


def test_one_panel_per_unit_family_with_totals():
    # small toile: energy flows with quantities f1 1234.5, f2 20000, f3 300, f4 2000,
    # f5 5000 MWh (f6 has no quantity and no unit, so no family).
    panels = sankey_panels(graph_from_toile(small_toile()))
    assert [p.family for p in panels] == ["energy"]
    panel = panels[0]
    assert panel.unit == "MWh"
    assert panel.total == pytest.approx(28534.5)
    kinds = {n.key: n.value for n in panel.kinds}
    assert kinds == pytest.approx(
        {"gaz_naturel": 5000.0, "chaleur": 20000.0, "vapeur": 300.0, "chaleur_fatale": 3234.5}
    )
    assert sum(n.value for n in panel.sources) == pytest.approx(panel.total)
    assert sum(n.value for n in panel.targets) == pytest.approx(panel.total)


def test_smallest_actors_are_gathered_beyond_max_nodes():
    G = nx.MultiDiGraph()
    for i in range(6):
        G.add_node(f"s{i}", name=f"S{i}", kind="entreprise")
    G.add_node("t", name="T", kind="entreprise")
    for i in range(6):
        G.add_edge(f"s{i}", "t", kind="chaleur", family="energy", quantity_base=float(i + 1))
    panel = sankey_panels(G, max_nodes=3)[0]
    assert [n.label for n in panel.sources] == ["S5", "S4", "Autres (4)"]
    assert panel.sources[-1].value == pytest.approx(1 + 2 + 3 + 4)


def test_flows_without_quantity_are_counted():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", kind="chaleur", family="energy", quantity_base=2.0)
    G.add_edge("a", "b", kind="chaleur", family="energy", quantity_base=None)
    assert sankey_panels(G)[0].missing == 1


def test_group_by_epci():
    panel = sankey_panels(graph_from_toile(small_toile()), group_by="epci")[0]
    assert {n.label for n in panel.sources} == {"CABBALR", "CALL", "Extérieur du territoire"}


def test_sankey_page_is_self_contained(tmp_path: Path):
    out = render(small_toile(), "sankey", tmp_path / "s.html")
    page = out.read_text(encoding="utf-8")
    assert "<script src" not in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "Content-Security-Policy" in page
    assert "Émetteurs" in page


def test_empty_sankey():
    G = nx.MultiDiGraph(name="Vide")
    G.add_edge("a", "b", kind="service")
    assert "Aucun flux quantifié" in sankey_page(G)
