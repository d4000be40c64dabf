"""Centrality report: hand-worked small toiles, NetworkX/igraph parity, determinism."""

from __future__ import annotations

import pytest

from toiles.analysis import centrality_report
from toiles.errors import AnalysisError
from toiles.settings import get_settings
from toiles.synthetic import example_graph, synthetic_graph


def _path(build):
    # ext -> a -> b -> c, plus d -> b: b is on every path between {a, d} and c.
    return build(
        [
            ("ext", "exterieur"),
            ("a", "entreprise"),
            ("b", "entreprise"),
            ("c", "entreprise"),
            ("d", "entreprise"),
        ],
        [
            ("ext", "a", "electricite", 10.0, "MWh"),
            ("a", "b", "chaleur", 6.0, "MWh"),
            ("b", "c", "chaleur", 5.0, "MWh"),
            ("d", "b", "dechets", 2.0, "t"),
        ],
    )


def test_centrality_report_hand_worked_path(build):
    r = centrality_report(_path(build), top=4)
    by_id = {a.actor: a for a in r.ranking}
    b = by_id["b"]
    # Directed pairs through b: (a, c) and (d, c); normalised by (n-1)(n-2) = 3 * 2 = 6.
    assert b.betweenness == pytest.approx(2 / 6)
    assert (b.in_degree, b.out_degree) == (2, 1)
    assert b.strength_in == {"energy": 6.0, "mass": 2.0}
    assert b.strength_out == {"energy": 5.0, "mass": 0.0}
    # Harmonic closeness of b: distance 1 to a, c and d -> 3 / (4 - 1) = 1.
    assert b.closeness == pytest.approx(1.0)
    assert r.ranking[0].actor == "b"
    assert b.articulation
    assert r.articulation_points == ["b"]
    assert sorted(f.flow for f in r.bridges) == ["f2", "f3", "f4"]
    assert "point d'articulation" in b.reason
    # b is the only supplier of c's heat.
    assert b.sole_supplier_of == 1
    assert r.betweenness_method == "exact"
    assert r.n_actors == 4


def test_centrality_report_pagerank_sums_to_one(build):
    r = centrality_report(_path(build), top=4)
    assert sum(a.pagerank for a in r.ranking) == pytest.approx(1.0)


def test_centrality_report_family_filter(build):
    r = centrality_report(_path(build), family="mass", top=4)
    assert r.n_flows == 1
    assert {a.actor for a in r.ranking if a.strength_out.get("mass")} == {"d"}


def test_centrality_report_theme_filter(build):
    r = centrality_report(_path(build), theme="eau_industrielle", top=4)
    assert r.n_flows == 1  # only the waste flow belongs to every theme


def test_centrality_report_parallel_flows_are_not_bridges(build):
    G = build(
        [("a", "entreprise"), ("b", "entreprise")],
        [("a", "b", "chaleur", 1.0, "MWh"), ("a", "b", "vapeur", 1.0, "MWh")],
    )
    assert centrality_report(G).bridges == []


def test_centrality_report_backend_parity_exact():
    G = synthetic_graph(600, 3000, seed=5)
    for options in ({}, {"family": "energy"}, {"theme": "energie"}):
        a = centrality_report(G, backend="networkx", top=30, **options).model_dump()
        b = centrality_report(G, backend="igraph", top=30, **options).model_dump()
        assert (a.pop("backend"), b.pop("backend")) == ("networkx", "igraph")
        assert a == b


def test_centrality_report_backend_parity_sampled():
    G = synthetic_graph(600, 3000, seed=5)
    a = centrality_report(G, backend="networkx", betweenness_samples=40, seed=2).model_dump()
    b = centrality_report(G, backend="igraph", betweenness_samples=40, seed=2).model_dump()
    a.pop("backend")
    b.pop("backend")
    assert a == b
    assert a["betweenness_method"] == "sampled"
    assert a["betweenness_samples"] == 40
    assert a["closeness_method"] == "sampled"


def test_centrality_report_estimated_above_threshold(monkeypatch):
    monkeypatch.setenv("TOILES_EXACT_BETWEENNESS_MAX_EDGES", "100")
    get_settings.cache_clear()
    try:
        r = centrality_report(synthetic_graph(400, 1500, seed=1))
    finally:
        get_settings.cache_clear()
    assert r.betweenness_method == "sampled"
    assert r.betweenness_samples == 256
    assert "estimée" in r.explanation


def test_centrality_report_auto_backend_threshold(monkeypatch):
    monkeypatch.setenv("TOILES_IGRAPH_THRESHOLD", "5")
    get_settings.cache_clear()
    try:
        assert centrality_report(example_graph()).backend == "igraph"
    finally:
        get_settings.cache_clear()


def test_centrality_report_small_toile_uses_networkx():
    assert centrality_report(example_graph()).backend == "networkx"


def test_centrality_report_deterministic():
    G = synthetic_graph(500, 2500, seed=9)
    a = centrality_report(G, betweenness_samples=50, seed=4)
    b = centrality_report(G, betweenness_samples=50, seed=4)
    assert a.model_dump_json() == b.model_dump_json()


def test_centrality_report_no_flow_of_family(build):
    with pytest.raises(AnalysisError, match="aucun flux de la famille « volume »"):
        centrality_report(_path(build), family="volume")


def test_centrality_report_bad_top(build):
    with pytest.raises(AnalysisError, match="au moins 1"):
        centrality_report(_path(build), top=0)


def test_centrality_report_companies_view_ranks_companies_only(build):
    # A grid operator feeds three companies; c1 also sells to c2 and c3. The grid tops the
    # infrastructure view; the companies view ranks c1 first, with the grid kept for paths.
    G = build(
        [
            ("ext", "exterieur"),
            ("grid", "gestionnaire_reseau"),
            ("epci", "epci"),
            ("c1", "entreprise"),
            ("c2", "entreprise"),
            ("c3", "entreprise"),
        ],
        [
            ("ext", "grid", "electricite", 100.0, "MWh"),
            ("grid", "c1", "electricite", 40.0, "MWh"),
            ("grid", "c2", "electricite", 30.0, "MWh"),
            ("grid", "c3", "electricite", 20.0, "MWh"),
            ("grid", "epci", "electricite", 10.0, "MWh"),
            ("c1", "c2", "vapeur", 5.0, "MWh"),
            ("c1", "c3", "vapeur", 5.0, "MWh"),
        ],
    )
    everyone = centrality_report(G, top=3)
    assert everyone.ranking[0].actor == "grid"
    companies = centrality_report(G, top=3, view="companies")
    assert companies.ranking[0].actor == "c1"
    assert {a.kind for a in companies.ranking} == {"entreprise"}
    assert companies.view == "companies"
    assert companies.n_actors == 5  # the grid and the EPCI stay in the graph
    assert "entreprises clés" in companies.explanation


def test_centrality_report_companies_view_names_brokers(build):
    # Two tight groups of companies joined only through "hub": it links both groups.
    actors = [(f"a{i}", "entreprise") for i in range(4)] + [
        (f"b{i}", "entreprise") for i in range(4)
    ]
    flows = [(f"a{i}", f"a{j}", "service") for i in range(4) for j in range(4) if i != j]
    flows += [(f"b{i}", f"b{j}", "service") for i in range(4) for j in range(4) if i != j]
    flows += [("a0", "hub", "service"), ("hub", "b0", "service")]
    G = build([*actors, ("hub", "entreprise")], flows)
    r = centrality_report(G, top=9, view="companies")
    hub = next(a for a in r.ranking if a.actor == "hub")
    assert any(reason.startswith("passeur : relie") for reason in hub.reasons)
    assert hub.articulation
    assert r.groups is not None and r.groups >= 2  # noqa: PT018


def test_centrality_report_unknown_view(build):
    with pytest.raises(AnalysisError, match="vue inconnue"):
        centrality_report(_path(build), view="usines")
