from __future__ import annotations

import math

import networkx as nx
import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.synthetic import synthetic_graph
from toiles.viz.layout import (
    layout_positions,
    main_family,
    node_measure,
    scale_sizes,
)
from toiles.viz.style import VisualError


def test_layout_is_seeded():
    G = graph_from_toile(small_toile())
    assert layout_positions(G, seed=3) == layout_positions(G, seed=3)
    assert layout_positions(G, seed=3) != layout_positions(G, seed=4)


def test_large_layout_uses_igraph_and_is_seeded():
    G = synthetic_graph(400, 600, seed=2)
    first = layout_positions(G, seed=1, large=100)
    assert first == layout_positions(G, seed=1, large=100)
    assert len(first) == 400
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())


def test_actors_without_flows_go_in_a_grid_below():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b")
    G.add_nodes_from(["z1", "z2", "z3"])
    pos = layout_positions(G, seed=0)
    lowest_linked = max(pos["a"][1], pos["b"][1])
    assert all(pos[z][1] > lowest_linked for z in ("z1", "z2", "z3"))
    assert len({pos[z][1] for z in ("z1", "z2", "z3")}) == 1


def test_geo_layout_keeps_west_left_and_north_up():
    G = graph_from_toile(small_toile())
    pos = layout_positions(G, method="geo")
    # usine (lon 2.6402) is west of incinerateur (2.83) and north of it (lat 50.53 > 50.43);
    # y grows downwards on screen.
    assert pos["usine"][0] < pos["incinerateur"][0]
    assert pos["usine"][1] < pos["incinerateur"][1]


def test_unknown_layout_is_refused():
    with pytest.raises(VisualError, match="disposition inconnue"):
        layout_positions(graph_from_toile(small_toile()), method="circle")


def test_throughflow_in_main_family():
    # small toile, energy family (5 quantified flows): usine receives 300 + 5000 MWh and
    # sends 1234.5 + 2000 MWh, so its throughflow is max(5300, 3234.5) = 5300 MWh.
    G = graph_from_toile(small_toile())
    assert main_family(G) == "energy"
    measure = node_measure(G, size_by="throughflow")
    assert measure["usine"] == pytest.approx(5300.0)
    assert measure["reseau"] == pytest.approx(1234.5 + 20000.0)


def test_employees_and_centrality_measures():
    G = graph_from_toile(small_toile())
    assert node_measure(G, size_by="employees")["usine"] == 250.0
    pagerank = node_measure(G, size_by="centrality")
    assert sum(pagerank.values()) == pytest.approx(1.0)
    with pytest.raises(VisualError, match="mesure de taille inconnue"):
        node_measure(G, size_by="height")


def test_sizes_have_areas_proportional_to_measures():
    sizes = scale_sizes({"a": 0.0, "b": 25.0, "c": 100.0}, smallest=0.0, largest=10.0)
    assert sizes == {"a": 0.0, "b": 5.0, "c": 10.0}
