from __future__ import annotations

import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.synthetic import synthetic_graph
from toiles.viz.aggregate import aggregate_graph
from toiles.viz.style import VisualError


def test_group_by_epci_sums_flows_by_kind_status_family():
    # small toile: usine and reseau in CABBALR, incinerateur in CALL, two exterieur actors.
    H = aggregate_graph(graph_from_toile(small_toile()), by="epci")
    assert sorted(H.nodes) == [
        "groupe:epci:200072460",
        "groupe:epci:246200364",
        "groupe:epci:exterieur",
    ]
    cab = H.nodes["groupe:epci:200072460"]
    assert cab["name"] == "CABBALR"
    assert cab["members"] == ("usine", "reseau")
    assert cab["employees"] == 250
    edges = {(u, v, d["kind"], d["status"]): d for u, v, d in H.edges(data=True)}
    # inside CABBALR: f1 (waste heat, 1234.5 MWh), f3 (steam, potential) and f6 (electricity,
    # no quantity) are self-loops, one per kind and status.
    f1 = edges["groupe:epci:200072460", "groupe:epci:200072460", "chaleur_fatale", "existant"]
    assert f1["quantity_base"] == pytest.approx(1234.5)
    assert f1["unit"] == "MWh"
    assert f1["flows"] == ("f1",)
    f6 = edges["groupe:epci:200072460", "groupe:epci:200072460", "electricite", "existant"]
    assert f6["quantity_base"] is None
    assert H.number_of_edges() == 6


@pytest.mark.parametrize("by", ["commune", "zae", "kind", "naf"])
def test_every_grouping_keeps_the_totals(by: str):
    G = synthetic_graph(300, 500, seed=3)
    H = aggregate_graph(G, by=by)
    assert sum(d["count"] for _, d in H.nodes(data=True)) == 300
    assert sum(d["count"] for _, _, d in H.edges(data=True)) == 500
    for family in ("energy", "mass"):
        before = sum(
            d["quantity_base"] or 0 for *_, d in G.edges(data=True) if d["family"] == family
        )
        after = sum(
            d["quantity_base"] or 0 for *_, d in H.edges(data=True) if d["family"] == family
        )
        assert after == pytest.approx(before)


def test_unknown_grouping():
    with pytest.raises(VisualError, match="regroupement inconnu"):
        aggregate_graph(graph_from_toile(small_toile()), by="region")
