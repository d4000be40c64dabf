"""The synthetic toile generator (toiles/synthetic.py), used by tests and benchmarks."""

from __future__ import annotations

import networkx as nx

from toiles.graph import graph_from_toile
from toiles.models import Toile
from toiles.models.units import get_unit
from toiles.models.vocab import FLOW_KINDS, FlowKind, UnitFamily
from toiles.synthetic import example_toile, synthetic_graph, synthetic_toile


def test_synthetic_toile_is_valid():
    for theme in ("energie", "eau_industrielle", "electromobilite", "autre"):
        toile = synthetic_toile(300, 1200, seed=2, theme=theme)
        Toile.model_validate(toile.model_dump())
        assert (len(toile.actors), len(toile.flows)) == (300, 1200)


def test_synthetic_toile_units_fit_kinds():
    toile = synthetic_toile(300, 1500, seed=1)
    units = set()
    for flow in toile.flows:
        if flow.unit is not None:
            assert get_unit(flow.unit).family in FLOW_KINDS[flow.kind].families
            units.add(flow.unit)
    assert {"MWh", "GWh", "kWh"} <= units  # several units inside one family


def test_synthetic_toile_seeded():
    assert synthetic_toile(200, 800, seed=4) == synthetic_toile(200, 800, seed=4)
    assert synthetic_toile(200, 800, seed=4) != synthetic_toile(200, 800, seed=5)


def test_synthetic_graph_matches_graph_from_toile():
    G1 = graph_from_toile(synthetic_toile(250, 1000, seed=3))
    G2 = synthetic_graph(250, 1000, seed=3)
    assert G1.graph == G2.graph
    assert dict(G1.nodes(data=True)) == dict(G2.nodes(data=True))
    assert sorted(G1.edges(keys=True, data=True)) == sorted(G2.edges(keys=True, data=True))


def test_synthetic_graph_structure():
    G = synthetic_graph(2000, 10000, seed=0)
    outside = {n for n, d in G.nodes(data=True) if d["kind"] == "exterieur"}
    assert 2 <= len(outside) <= 5
    inner = G.subgraph(n for n in G if n not in outside)
    sizes = [len(c) for c in nx.strongly_connected_components(inner)]
    # Mostly supply chains: few, small loops.
    assert max(sizes) <= 10
    assert 0 < sum(1 for s in sizes if s > 1) < 200
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert FlowKind.CHALEUR_FATALE.value in kinds
    assert any(d["zae"] for _, d in G.nodes(data=True))


def test_example_toile_is_valid():
    toile = example_toile()
    Toile.model_validate(toile.model_dump())
    assert {f.family for f in toile.flows} == {UnitFamily.ENERGY, UnitFamily.MASS, None}
