"""Proposed heat networks beyond one ZAE (radius clusters) and Hotmaps' cost pruning."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from toiles.analysis import candidates_report
from toiles.analysis._clusters import radius_clusters
from toiles.analysis._common import haversine_km
from toiles.errors import AnalysisError

LAT, LON = 50.50, 2.60
# 0.0027 degree of latitude is 300 m, 0.045 degree 5.0 km.
M300 = 0.0027


def _site(dlat: float, zae: str | None = None) -> dict[str, object]:
    fields: dict[str, object] = {"lat": LAT + dlat, "lon": LON}
    if zae is not None:
        fields["zae"] = zae
    return fields


def _parks(build, *, sink_dlat: float, small: tuple[float, float] | None = None):
    """A factory of park z1 rejecting 3 GWh at 90 °C, a dairy of park z2 needing 2 GWh at 60 °C.

    ``small``: a third actor, outside any park, needing (MWh, at this latitude offset).
    """
    actors = [
        ("ext", "exterieur"),
        ("z1", "zae", {"name": "ZAE du Nord"}),
        ("z2", "zae", {"name": "ZAE du Sud"}),
        ("usine", "entreprise", _site(0.0, "z1")),
        ("laiterie", "entreprise", _site(sink_dlat, "z2")),
    ]
    flows = [
        ("usine", "ext", "chaleur_fatale", 3000.0, "MWh", {"temperature": 90.0}),
        ("ext", "laiterie", "chaleur", 2000.0, "MWh", {"temperature": 60.0}),
    ]
    if small is not None:
        mwh, dlat = small
        actors.append(("atelier", "entreprise", _site(dlat)))
        flows.append(("ext", "atelier", "chaleur", mwh, "MWh", {"temperature": 60.0}))
    return build(actors, flows)


def test_candidates_report_joins_two_factories_300_m_apart_in_different_zae(build):
    r = candidates_report(_parks(build, sink_dlat=M300), radius_km=2.0)
    # Neither park has both a source and a sink: no ZAE network, one neighbourhood network.
    [net] = r.networks
    assert net.scope == "voisinage"
    assert (net.sources, net.sinks, net.zaes) == (["usine"], ["laiterie"], ["z1", "z2"])
    km = float(haversine_km(LAT, LON, LAT + M300, LON))
    assert km == pytest.approx(0.300, abs=1e-3)
    [edge] = net.edges
    assert edge.length_km == pytest.approx(km * 1.3, abs=1e-3)  # detour factor
    assert net.recoverable_mwh == 2000.0  # min(3,000 supply, 2,000 need)
    assert r.network_count == r.cluster_count == 1
    assert "ZAE du Nord" in net.zae_name
    assert "ZAE du Sud" in net.zae_name
    assert "entre voisins à moins de 2,0 km" in net.explanation


def test_candidates_report_no_network_beyond_the_radius(build):
    G = _parks(build, sink_dlat=0.045)  # 5.0 km apart
    assert candidates_report(G, radius_km=2.0, max_line_cost=None).networks == []
    assert candidates_report(G, radius_km=2.0).discarded_networks == []
    # Within a 6 km radius they are one cluster: the radius is what decides. Its 6.5 km of
    # pipe (about 1.4 MEUR for 2,000 MWh a year) is then above Hotmaps' threshold.
    wide = candidates_report(G, radius_km=6.0, max_line_cost=None)
    assert [n.scope for n in wide.networks] == ["voisinage"]
    [why] = candidates_report(G, radius_km=6.0).discarded_networks
    assert "réseau écarté" in why


def test_candidates_report_prunes_a_line_over_the_cost_threshold(build):
    # A workshop 1.5 km further needs 20 MWh: its line would cost far more per MWh.
    G = _parks(build, sink_dlat=M300, small=(20.0, M300 + 0.0135))
    r = candidates_report(G, radius_km=2.0)
    [net] = r.networks
    assert net.sinks == ["laiterie"]
    [cut] = net.pruned
    assert {cut.source, cut.target} == {"laiterie", "atelier"}
    assert cut.flow_mwh == pytest.approx(20.0)
    # Hotmaps' ratio: investment (195 EUR/m for 5 kW) / (20 MWh x 30 years).
    assert cut.cost_per_mwh == pytest.approx(cut.length_km * 1000 * 195 / (20 * 30), rel=1e-3)
    assert cut.cost_per_mwh > r.max_line_cost == 5.0
    assert "1 canalisation(s) écartée(s)" in net.explanation
    assert "seuil du module Hotmaps" in net.explanation
    assert "Atelier" in net.explanation
    assert any("Hotmaps" in line and "5" in line for line in r.assumptions)
    # Without a threshold the workshop stays on the network.
    [whole] = candidates_report(G, radius_km=2.0, max_line_cost=None).networks
    assert set(whole.sinks) == {"laiterie", "atelier"}
    assert whole.pruned == []


def test_candidates_report_discards_a_whole_network_and_says_why(build):
    G = build(
        [
            ("ext", "exterieur"),
            ("usine", "entreprise", _site(0.0)),
            ("serre", "entreprise", _site(0.017)),  # 1.9 km
        ],
        [
            ("usine", "ext", "chaleur_fatale", 50.0, "MWh", {"temperature": 90.0}),
            ("ext", "serre", "chaleur", 50.0, "MWh", {"temperature": 60.0}),
        ],
    )
    r = candidates_report(G, radius_km=2.0)
    assert r.networks == []
    assert r.network_count == 0
    [why] = r.discarded_networks
    assert why.startswith("Voisinage de Usine : réseau écarté")
    assert "5,0 € par MWh" in why
    assert "1 réseau(x) écarté(s)" in r.explanation
    assert len(candidates_report(G, radius_km=2.0, max_line_cost=None).networks) == 1


def test_candidates_report_actor_of_a_zae_network_is_not_proposed_twice(build):
    G = build(
        [
            ("ext", "exterieur"),
            ("z1", "zae"),
            ("usine", "entreprise", _site(0.0, "z1")),
            ("voisin", "entreprise", _site(0.002, "z1")),
            ("dehors", "entreprise", _site(-M300)),  # outside the park, 300 m away
            ("four", "entreprise", _site(-2 * M300)),  # and a hot source next to it
        ],
        [
            ("usine", "ext", "chaleur_fatale", 3000.0, "MWh", {"temperature": 90.0}),
            ("ext", "voisin", "chaleur", 2000.0, "MWh", {"temperature": 60.0}),
            ("ext", "dehors", "chaleur", 1000.0, "MWh", {"temperature": 60.0}),
            ("four", "ext", "chaleur_fatale", 2000.0, "MWh", {"temperature": 90.0}),
        ],
    )
    r = candidates_report(G, radius_km=2.0)
    by_scope = {n.scope: n for n in r.networks}
    assert set(by_scope) == {"zae", "voisinage"}
    assert (by_scope["zae"].sources, by_scope["zae"].sinks) == (["usine"], ["voisin"])
    # The park's network keeps its actors; the neighbours left form their own network.
    assert (by_scope["voisinage"].sources, by_scope["voisinage"].sinks) == (["four"], ["dehors"])
    members = [a for n in r.networks for a in n.sources + n.sinks]
    assert len(members) == len(set(members))


def test_candidates_report_bad_line_threshold_in_french(build):
    with pytest.raises(AnalysisError, match="seuil de coût d'une canalisation"):
        candidates_report(_parks(build, sink_dlat=M300), max_line_cost=-1.0)


@pytest.mark.parametrize(
    ("seed", "box", "radii"),
    [(seed, (50.2, 50.4, 2.0, 2.4), (0.3, 2.5)) for seed in range(8)]
    # A country-wide spread: latitudes far apart stretch the projection.
    + [(seed, (36.0, 58.0, -5.0, 12.0), (60.0, 180.0)) for seed in range(4)],
)
def test_radius_clusters_match_brute_force_components(seed, box, radii):
    rng = np.random.default_rng(seed)
    n = 250
    lat = rng.uniform(box[0], box[1], n)
    lon = rng.uniform(box[2], box[3], n)
    lat[:3] = np.nan  # no coordinates: no cluster
    radius = float(rng.uniform(*radii))
    labels = radius_clusters(lat, lon, radius)
    km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    G = nx.Graph()
    G.add_nodes_from(range(3, n))
    G.add_edges_from(zip(*np.nonzero(km <= radius), strict=True))
    expected = sorted(sorted(c) for c in nx.connected_components(G))
    got: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        if label >= 0:
            got.setdefault(label, []).append(i)
    assert sorted(got.values()) == expected
    assert labels[:3].tolist() == [-1, -1, -1]


@pytest.mark.parametrize("seed", range(6))
def test_forest_flows_match_networkx_maximum_flow(seed):
    from toiles.analysis._networks import forest_flows

    rng = np.random.default_rng(seed)
    n = 12
    # A random forest: each node hangs on an earlier one, a few roots left alone.
    edges = [(int(rng.integers(0, i)), i) for i in range(1, n) if rng.random() > 0.25]
    is_source = rng.random(n) < 0.4
    qty = rng.uniform(1.0, 100.0, n)
    supply = np.where(is_source, qty, 0.0)
    demand = np.where(is_source, 0.0, qty)
    f = forest_flows(n, edges, supply, demand)
    F = nx.DiGraph()
    F.add_nodes_from(["S", "T"])
    for a, b in edges:
        F.add_edge(a, b)
        F.add_edge(b, a)
    for i in range(n):
        if is_source[i]:
            F.add_edge("S", i, capacity=float(supply[i]))
        else:
            F.add_edge(i, "T", capacity=float(demand[i]))
    assert f.value == pytest.approx(nx.maximum_flow_value(F, "S", "T"))
    assert f.given.sum() == pytest.approx(f.value)
    assert f.taken.sum() == pytest.approx(f.value)
    assert np.all(f.given <= supply + 1e-9)
    assert np.all(f.taken <= demand + 1e-9)


def test_candidates_report_zae_network_removed_whole_frees_its_actors(build):
    # Park z1: a factory and, 1.9 km away, a small need; its only line costs too much.
    # Outside the park, 300 m from the factory, a dairy needs 2,000 MWh.
    G = build(
        [
            ("ext", "exterieur"),
            ("z1", "zae", {"name": "ZAE du Nord"}),
            ("usine", "entreprise", _site(0.0, "z1")),
            ("bureaux", "entreprise", _site(0.017, "z1")),
            ("laiterie", "entreprise", _site(-M300)),
        ],
        [
            ("usine", "ext", "chaleur_fatale", 3000.0, "MWh", {"temperature": 90.0}),
            ("ext", "bureaux", "chaleur", 50.0, "MWh", {"temperature": 60.0}),
            ("ext", "laiterie", "chaleur", 2000.0, "MWh", {"temperature": 60.0}),
        ],
    )
    r = candidates_report(G, radius_km=2.0)
    [why] = r.discarded_networks
    assert why.startswith("ZAE du Nord (ZAE) : réseau écarté")
    # The factory, freed, serves its neighbour outside the park; the offices' line is cut.
    [net] = r.networks
    assert net.scope == "voisinage"
    assert (net.sources, net.sinks, net.zaes) == (["usine"], ["laiterie"], ["z1"])
    assert [{p.source, p.target} for p in net.pruned] == [{"usine", "bureaux"}]
    assert "hors ZAE" in net.zae_name
